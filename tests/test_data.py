"""The sample data: determinism (byte-identical to the committed manifest), the schema,
the data dictionary, the CLI, and consistency between tables."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opshelpers import io, schema, synth

ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_regenerated_sample_matches_committed_manifest(sample, tmp_path):
    tables, _ = sample
    synth.write_tables(tables, tmp_path)
    committed = (ROOT / "data" / "SHA256SUMS").read_text()
    assert (tmp_path / "SHA256SUMS").read_text() == committed


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    a, _ = synth.generate(seed=3, n_users=2000)
    b, _ = synth.generate(seed=3, n_users=2000)
    c, _ = synth.generate(seed=4, n_users=2000)
    for name in synth.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["orders"]["paid"].equals(c["orders"]["paid"])


def test_every_table_matches_the_schema(t):
    assert set(t) == set(schema.TABLES)
    for name, df in t.items():
        assert list(df.columns) == schema.TABLES[name].names, name
        checked = io.validate(df, name)
        good, report = checked.data, checked.report
        assert report.empty, (name, report)


def test_data_dictionary_is_current():
    text = (ROOT / "data" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert text == schema.render_dictionary() + "\n"
    for name, table in schema.TABLES.items():
        for col in table.columns:
            assert f"| `{col.name}` |" in text


def test_data_dictionary_is_bilingual_chinese_first():
    cjk = re.compile("[\u4e00-\u9fff]")
    for name, table in schema.TABLES.items():
        for col in table.columns:
            assert col.meaning_zh and cjk.search(col.meaning_zh), (name, col.name)
    text = schema.render_dictionary()
    rule = text.index("\n---\n")
    assert text.index("# 数据字典") < rule < text.index("# Data dictionary")
    for name, table in schema.TABLES.items():
        heading = f"## `{name}` — {table.chinese}\n"
        zh, en = text.index(heading), text.rindex(heading)
        assert zh < rule < en, name
        assert text.index(f"粒度：{table.grain_in('zh').rstrip('。')}。") < rule, name
        assert text.index(f"Grain: {table.grain}.") > rule, name
        for col in table.columns:
            assert text.index(f"| {col.meaning_zh} |", zh) < rule, (name, col.name)
            assert text.index(f"| {col.meaning} |", en) > rule, (name, col.name)


def test_tables_are_consistent(t, truths):
    users, events, orders, visits = t["users"], t["events"], t["orders"], t["visits"]
    assert users["user_id"].tolist() == list(range(1, len(users) + 1))
    assert users["signup_time"].is_monotonic_increasing         # ids in signup order
    for name in ("events", "orders", "ab_assignments", "community_members", "feedback",
                 "points_ledger"):
        assert t[name]["user_id"].isin(users["user_id"]).all(), name
    # each user signed up in exactly one visit
    signed = visits.loc[visits["signed_up"], "user_id"]
    assert signed.is_unique and set(signed) == set(users["user_id"])
    # nobody acts before signing up
    first = events.groupby("user_id")["event_time"].min()
    assert (first >= users.set_index("user_id")["signup_time"].reindex(first.index)).all()
    # a purchase event per order, with its revenue
    buys = events[events["event"] == "purchase"]
    assert len(buys) == len(orders)
    assert np.isclose(buys["revenue"].sum(), orders["paid"].sum())
    assert (orders["paid"] == (orders["gmv"] - orders["discount"]).round(2)).all()
    assert t["points_ledger"].groupby("user_id")["points"].sum().min() >= 0


def test_scale_up_keeps_the_facts_roughly():
    t, truths = synth.generate(seed=11, n_users=60_000)
    assert len(t["users"]) == pytest.approx(60_000, rel=0.1)
    assert truths.d7_after - truths.d7_before == pytest.approx(0.08, abs=0.02)
    assert truths.k_factor == pytest.approx(0.30, abs=0.03)


def test_too_small_is_refused():
    with pytest.raises(ValueError, match="n_users=100 is too small"):
        synth.generate(n_users=100)


def test_cli_generate_writes_tables(tmp_path):
    out = tmp_path / "gen"
    r = subprocess.run([sys.executable, "-m", "opshelpers", "data", "generate", "--users",
                        "800", "--seed", "2", "--out", str(out)], capture_output=True,
                       text=True, check=True)
    assert f"wrote {len(synth.TABLES)} tables" in r.stdout
    assert "100%" in r.stderr                                   # the progress bar
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(synth.TABLES)
    bad = subprocess.run([sys.executable, "-m", "opshelpers", "data", "generate", "--users",
                          "-5", "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode == 2 and "must be a positive integer" in bad.stderr
