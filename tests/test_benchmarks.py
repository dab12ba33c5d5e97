"""The benchmark's equality checks at sample size, the integer-array fast paths on
hand-worked cases, and the runner end to end on a tiny dataset. No timing is asserted."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import arrays, monitor, sql, users as us

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import cases, run  # noqa: E402

T = pd.to_datetime


@pytest.fixture(scope="module")
def sample():
    return {n: ops.load_sample(n)[cases_columns] for n, cases_columns in run.COLUMNS.items()}


def _data(tables):
    return cases.Data(tables["events"], tables["users"], tables["orders"],
                      sql.connect(**tables))


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("event_dtype", ["str", "category"])
def test_three_implementations_agree_on_the_sample(sample, case, event_dtype):
    tables = dict(sample, events=sample["events"].astype({"event": event_dtype}))
    d = _data(tables)
    results = {impl: getattr(case, impl)(d) for impl in cases.IMPLEMENTATIONS}
    cases.check_equal(case, results)
    assert len(case.canonical(results["opshelpers"])) > 0


def test_the_equality_check_can_fail(sample):
    d = _data(sample)
    case = next(c for c in cases.CASES if c.name == "funnel")
    good = case.opshelpers(d)
    bad = good.copy()
    bad.loc[bad.index[-1], "users"] += 1
    with pytest.raises(AssertionError, match="funnel: pandas differs"):
        cases.check_equal(case, {"opshelpers": good, "pandas": bad})
    ret = next(c for c in cases.CASES if c.name == "retention")
    table, triangle = ret.opshelpers(d)
    wrong = triangle.copy()
    wrong.iloc[0, 0] += 0.1
    with pytest.raises(AssertionError, match="triangle disagrees"):
        cases.check_equal(ret, {"opshelpers": (table, wrong)})


# ------------------------------------------------------------------ sessions by hand
def test_sessions_by_hand_gap_is_strictly_greater():
    e = pd.DataFrame({"user_id": ["b", "a", "a", "a", "b"],
                      "event_time": T(["2026-01-01 10:00:00", "2026-01-01 09:30:00",
                                       "2026-01-01 09:00:00", "2026-01-01 10:00:01",
                                       "2026-01-01 10:30:00"])})
    s = us.sessions(e)        # unsorted input, string ids; 30 min exactly stays in session
    assert s[["user_id", "session", "events"]].values.tolist() == [
        ["a", 1, 2], ["a", 2, 1], ["b", 1, 2]]
    assert s["minutes"].tolist() == [30.0, 0.0, 30.0]
    assert s["start"].tolist() == list(T(["2026-01-01 09:00:00", "2026-01-01 10:00:01",
                                          "2026-01-01 10:00:00"]))


def test_sessions_keep_the_time_zone_and_split_across_dst():
    e = pd.DataFrame({"user_id": [1, 1], "event_time": pd.to_datetime(
        ["2026-03-29 01:50", "2026-03-29 03:10"]).tz_localize("Europe/Berlin")})
    s = us.sessions(e, gap="30min")    # 01:50 → 03:10 local is 20 real minutes (DST)
    assert len(s) == 1 and s["minutes"].iloc[0] == 20.0
    assert str(s["start"].dt.tz) == "Europe/Berlin"


def test_empty_events_are_an_error_not_a_crash():
    e = pd.DataFrame({"user_id": pd.Series([], dtype="int64"),
                      "event_time": pd.Series([], dtype="datetime64[ns]")})
    users = pd.DataFrame({"user_id": [1], "signup_time": T(["2026-01-01"])})
    for call in (lambda: us.sessions(e), lambda: us.retention(users, e),
                 lambda: monitor.stickiness(e)):
        with pytest.raises(ValueError, match="the events table is empty"):
            call()


def test_sessions_errors_name_the_problem():
    e = pd.DataFrame({"user_id": [1.0, np.nan], "event_time": T(["2026-01-01"] * 2)})
    with pytest.raises(ValueError, match="1 event\\(s\\) have no user_id"):
        us.sessions(e)
    for bad in ("0min", "-5min", None, "abc"):
        with pytest.raises(ValueError, match=r"^gap must be a positive duration"):
            us.sessions(e.dropna(), gap=bad)
    with pytest.raises(ValueError, match=r"^gap=30 has no unit"):
        us.sessions(e.dropna(), gap=30)


# ------------------------------------------------------------------ fast paths by hand
def test_funnel_with_a_repeated_step_and_string_ids():
    e = pd.DataFrame({"user_id": ["x", "x", "x", "y", "y"],
                      "event": ["open", "view", "open", "open", "view"],
                      "event_time": T(["2026-01-01 09:00", "2026-01-01 09:05",
                                       "2026-01-01 09:10", "2026-01-01 09:00",
                                       "2026-01-01 09:01"])})
    f = us.funnel(e, ["open", "view", "open"])
    assert f["users"].tolist() == [2, 2, 1]
    assert f["median_minutes"].tolist()[1:] == [3.0, 5.0]


def test_retention_rejects_duplicate_users():
    users = pd.DataFrame({"user_id": [1, 1], "signup_time": T(["2026-01-01"] * 2)})
    events = pd.DataFrame({"user_id": [1], "event_time": T(["2026-01-02"])})
    with pytest.raises(ValueError, match="1 user_id\\(s\\) appear more than once"):
        us.retention(users, events)


def test_arrays_positions_and_codes():
    keys = np.array([10, 30, 20])
    assert arrays.positions(keys, np.array([20, 99, 10, 5])).tolist() == [2, -1, 0, -1]
    wide = np.array([10, 10 ** 12])                   # too sparse for a lookup table
    assert arrays.positions(wide, np.array([10 ** 12, 3])).tolist() == [1, -1]
    codes, uniques = arrays.dense_codes(np.array(["b", "a", "b"], dtype=object))
    assert uniques[codes].tolist() == ["b", "a", "b"]
    assert arrays.duration_ticks("7D", "ms") == 7 * 86_400_000


def test_stickiness_with_string_ids_equals_brute_force():
    rng = np.random.default_rng(3)
    e = pd.DataFrame({"user_id": rng.choice(list("abcdefghij"), 400),
                      "event_time": T("2026-01-01") + pd.to_timedelta(
                          rng.integers(0, 60 * 24 * 3600, 400), unit="s")})
    st = monitor.stickiness(e, window=7).set_index("date")
    day = e["event_time"].dt.normalize()
    for d in st.index[::5]:
        window = e[(day > d - pd.Timedelta(days=7)) & (day <= d)]
        assert st.loc[d, "mau"] == window["user_id"].nunique()
        assert st.loc[d, "dau"] == e.loc[day == d, "user_id"].nunique()


# ------------------------------------------------------------------ the runner
def test_runner_end_to_end_on_a_tiny_dataset(tmp_path):
    out = tmp_path / "results.md"
    # DuckDB reads the Parquet files itself here (the out-of-core path of the 50M run)
    assert run.main(["--sizes", "30k", "--data-dir", str(tmp_path / "data"),
                     "--in-memory-max-events", "1k", "--memory-limit", "500MB",
                     "--out", str(out)]) == 0
    text = out.read_text()
    assert "DuckDB here: DuckDB on Parquet, out of core (memory_limit 500MB)" in text
    assert "| Cohort retention D1/D7/D30 + triangle |" in text
    assert text.count("\n| ") >= 5 + 2
    assert (tmp_path / "results.png").stat().st_size > 10_000
    rows = pd.read_json(tmp_path / "results.json", typ="series")["rows"]
    assert len(rows) == len(cases.CASES) * len(cases.IMPLEMENTATIONS)
    assert all(r["peak_mb"] >= 0 and r["median_s"] > 0 for r in rows)


def test_parse_size():
    assert run.parse_size("10M") == 10_000_000
    assert run.parse_size("500k") == 500_000
    assert run.parse_size("2_500_000") == 2_500_000
