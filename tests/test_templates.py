"""Analyst templates via the CLI: sample data, renamed GB18030 copies, bad inputs."""

import nbformat
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import notebooks, templates
from opshelpers.cli import main
from opshelpers.templates import FOLDER, TEMPLATES

# per template: (main output table, sample tables as (data, data2), a renaming of columns)
CASES = {
    "retention": ("retention", ("events", None), {"user_id": "用户ID", "event_time": "时间"}),
    "funnel": ("funnel", ("events", None), {"user_id": "uid", "event_time": "ts",
                                            "event": "action"}),
    "rfm": ("segments", ("orders", None), {"user_id": "客户", "order_time": "下单时间",
                                           "paid": "实付"}),
    "channel_roi": ("channels", ("channel_daily", "visits"), {"spend": "花费", "channel": "渠道"}),
    "ab_test": ("conversion", ("ab_assignments", "orders"), {"variant": "组别"}),
    "content": ("engagement", ("posts", None), {"reads": "阅读数", "title": "标题"}),
    "kpi_monitor": ("kpis", ("events", "orders"), {"event_time": "时间"}),
}


def _ab_verdict_zh() -> str:
    """The checkout test's verdict on the sample, as the template computes it."""
    ex = ops.experiments
    outcomes = ex.user_outcomes(ops.load_sample("ab_assignments"), ops.load_sample("orders"),
                                "checkout_button", "2026-04-01", "2026-05-12")
    return ex.decide(ex.srm_check(outcomes["variant"]), ex.conversion_test(outcomes), lang="zh")


def _export(name, rename, folder):
    """A sample table as an analyst's export: renamed columns, GB18030 (GBK superset)."""
    df = ops.load_sample(name).rename(columns=rename)
    path = folder / f"{name}.csv"
    df.to_csv(path, index=False, encoding="gb18030")
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_template_on_sample_and_on_a_renamed_gbk_export(name, tmp_path):
    table, (t1, t2), rename = CASES[name]
    assert main(["report", name, "--out", str(tmp_path / "a.html")]) == 0
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "数据质量" in html and "Data quality" not in html     # Chinese by default
    assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"' in html   # CJK font stack
    assert ("<img" in html) == (name != "ab_test")              # every other has a chart
    if name == "ab_test":
        assert _ab_verdict_zh() in html                         # the verdict, in Chinese
    assert "load_input" not in html                             # code hidden by default
    args = ["report", name, "--out", str(tmp_path / "b.html"),
            "--data", str(_export(t1, rename, tmp_path)),
            "--map", ",".join(f"{ours}={yours}" for ours, yours in rename.items())]
    if t2:
        args += ["--data2", str(_export(t2, {}, tmp_path))]
    if name == "channel_roi":
        args += ["--param", f"orders={_export('orders', {}, tmp_path)}"]
    assert main(args) == 0
    a = pd.read_csv(tmp_path / "a" / f"{table}.csv")
    b = pd.read_csv(tmp_path / "b" / f"{table}.csv")
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert (tmp_path / "b" / "tables.xlsx").exists()


def test_show_code_and_params(tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "retention", "--out", str(out), "--show-code", "--lang", "en",
                 "--param", "freq=M,days=1,7"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "load_input" in html and "Data quality" in html and "数据质量" not in html
    assert set(pd.read_csv(tmp_path / "r" / "retention.csv")["day"]) == {1, 7}


def test_bad_inputs_give_one_clear_message(tmp_path, capsys):
    renamed = _export("events", {"user_id": "uid"}, tmp_path)
    assert main(["report", "--lang", "en", "retention", "--data", str(renamed), "--out",
                 str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "missing required column(s)" in err and "--map user_id=uid" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["report", "--lang", "en", "rfm", "--data", str(empty), "--out", str(tmp_path / "x.html")]) == 2
    assert "is empty" in capsys.readouterr().err
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(b"user_id,event_time\n1,\x81\x30\xff\xff\n")
    assert main(["report", "--lang", "en", "retention", "--data", str(garbage), "--out",
                 str(tmp_path / "x.html")]) == 2
    assert "cannot be decoded" in capsys.readouterr().err
    wrong = tmp_path / "w.csv"
    pd.DataFrame({"user_id": [1, 2, 3], "event_time": ["x", "y", "2026-01-01"]}).to_csv(
        wrong, index=False)
    assert main(["report", "--lang", "en", "retention", "--data", str(wrong), "--out",
                 str(tmp_path / "x.html")]) == 2
    assert "2 of 3 rows cannot be used (worst: column 'event_time' have an unparseable date" in \
        capsys.readouterr().err
    assert main(["report", "retention", "--data", str(wrong), "--out",
                 str(tmp_path / "x.html")]) == 2                    # 中文 by default
    assert "w.csv：3 行里有 2 行无法使用（最多的问题：列 'event_time' 日期无法解析" in \
        capsys.readouterr().err
    assert main(["report", "--lang", "en", "nope", "--out", str(tmp_path / "x.html")]) == 2
    assert main(["report", "--lang", "en", "retention", "--param", "colour=red",
                 "--out", str(tmp_path / "x.html")]) == 2
    assert "has no parameter(s) ['colour']" in capsys.readouterr().err


def test_dropped_rows_are_listed_in_the_report(tmp_path):
    events = ops.load_sample("events").head(2000).astype({"event_time": str})
    events.loc[[3, 7], "event_time"] = "not a time"
    path = tmp_path / "e.csv"
    events.to_csv(path, index=False)
    data, problems = templates.load_input(str(path), "events", ("user_id", "event_time"))
    assert len(data) == 1998 and problems["n_rows"].tolist() == [2]
    assert main(["report", "retention", "--data", str(path), "--out",
                 str(tmp_path / "r.html")]) == 0
    assert "日期无法解析" in (tmp_path / "r.html").read_text(encoding="utf-8")   # zh default


def test_list(capsys):
    assert main(["report", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in templates.TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_has_its_prose_in_both_languages(name):
    nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    assert notebooks.twin_problems(nb) == []
