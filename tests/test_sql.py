"""opshelpers.sql: every core metric in DuckDB SQL equals the pandas helpers."""

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import sql, traffic, users as us


@pytest.fixture(scope="module")
def s():
    names = ("users", "events", "orders", "visits", "channel_daily")
    return {n: ops.load_sample(n) for n in names}


def test_dau_equals_pandas(s):
    ours = s["events"].groupby(s["events"]["event_time"].dt.normalize())["user_id"].nunique()
    got = sql.query(sql.DAU, events=s["events"])
    assert got["dau"].tolist() == ours.tolist()


@pytest.mark.parametrize("freq", ["W", "M", "Q"])
def test_retention_equals_pandas(s, freq):
    ours = us.retention(s["users"], s["events"], days=(1, 7, 30), freq=freq)
    got = sql.query(sql.retention_sql((1, 7, 30), freq), users=s["users"],
                    events=s["events"])
    got["cohort"] = pd.to_datetime(got["cohort"])
    m = ours.merge(got, on=["cohort", "day"], suffixes=("", "_sql"))
    assert len(m) == len(ours) == len(got)
    for col in ("cohort_size", "eligible", "retained"):
        assert (m[col] == m[f"{col}_sql"]).all(), col


def test_funnel_equals_pandas(s):
    steps = ["app_open", "view_product", "add_to_cart", "checkout", "purchase"]
    ours = us.funnel(s["events"], steps, window="7D")["users"].tolist()
    got = sql.query(sql.funnel_sql(steps, "7D"), events=s["events"])["users"].tolist()
    assert got == ours
    # a window that is not whole days: the SQL twin counts seconds as the pandas one does
    short = us.funnel(s["events"], steps[:3], window="90min")["users"].tolist()
    assert sql.query(sql.funnel_sql(steps[:3], "90min"),
                     events=s["events"])["users"].tolist() == short
    assert short[2] < ours[2]


def test_channel_report_equals_pandas(s):
    ours = traffic.channel_report(s["channel_daily"], s["visits"], s["orders"]).set_index(
        "channel").sort_index()
    got = sql.query(sql.CHANNEL_REPORT, channel_daily=s["channel_daily"], visits=s["visits"],
                    orders=s["orders"]).set_index("channel").sort_index()
    for col in ("visits", "signups", "buyers", "orders"):
        assert (got[col] == ours[col]).all(), col
    assert np.allclose(got["revenue"], ours["revenue"], atol=0.01)
    for col in ("roas", "roi"):
        assert np.allclose(got[col].astype(float), ours[col].astype(float), rtol=1e-12,
                           equal_nan=True), col


def test_rfm_equals_pandas(s):
    ours = us.rfm_summary(s["orders"])
    ours = ours.set_index("user_id")
    got = sql.query(sql.RFM_SUMMARY, orders=s["orders"]).set_index("user_id")
    for col in ("frequency", "recency", "T", "recency_days", "orders"):
        assert (got[col].astype(float) == ours[col].astype(float)).all(), col
    assert np.allclose(got["monetary_value"], ours["monetary_value"], atol=1e-3)
    assert np.allclose(got["revenue"], ours["revenue"], atol=0.01)


def test_bad_input():
    with pytest.raises(TypeError, match="must be a DataFrame"):
        sql.connect(events=[1, 2])
    with pytest.raises(ValueError, match=r"^freq must be D \(day\)"):
        sql.retention_sql(freq="fortnight")
    for bad in (0, "-1D", None, "abc"):
        with pytest.raises(ValueError, match=r"^window(=0 has no unit| must be a positive)"):
            sql.funnel_sql(["a", "b"], bad)
    with pytest.raises(ValueError, match="at least two steps"):
        sql.funnel_sql(["a"])
    with pytest.raises(ValueError, match="cannot contain quotes"):
        sql.funnel_sql(["a", "b'; DROP TABLE x; --"])


def test_run_explains_bad_engine_arguments(s):
    with pytest.raises(ValueError, match="engine must be one of"):
        sql.run(sql.DAU, engine="bigquery", events=s["events"])
    with pytest.raises(ValueError, match="needs spark=<SparkSession>"):
        sql.run(sql.DAU, engine="spark", events=s["events"])
    dau = sql.run(sql.DAU, events=s["events"])                  # DuckDB, the default
    by_hand = s["events"].groupby(s["events"]["event_time"].dt.normalize())["user_id"].nunique()
    assert dau.iloc[:, -1].tolist() == by_hand.tolist()


def test_to_spark_rewrites_duckdb_only_syntax():
    text = sql.to_spark(sql.retention_sql((1, 7), freq="W"))
    assert "EXPLODE(ARRAY(1, 7))" in text and "unnest" not in text.lower()


def test_tables_can_be_parquet_or_csv_files(s, tmp_path):
    events, users = s["events"], s["users"]
    events.to_parquet(tmp_path / "events.parquet")
    users.to_csv(tmp_path / "users.csv", index=False)
    q = sql.retention_sql((1, 7), "W")
    from_files = sql.query(q, events=tmp_path / "events.parquet",
                           users=str(tmp_path / "users.csv"))
    from_frames = sql.query(q, events=events, users=users)
    pd.testing.assert_frame_equal(from_files, from_frames)
    (tmp_path / "parts").mkdir()
    events.iloc[::2].to_parquet(tmp_path / "parts" / "a.parquet")
    events.iloc[1::2].to_parquet(tmp_path / "parts" / "b.parquet")
    globbed = sql.query(sql.DAU, events=str(tmp_path / "parts" / "*.parquet"))
    assert globbed["dau"].tolist() == sql.query(sql.DAU, events=events)["dau"].tolist()


def test_bad_tables_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="table 'events': no file"):
        sql.query(sql.DAU, events=tmp_path / "missing.parquet")
    with pytest.raises(ValueError, match="table 'events': .* is neither Parquet nor CSV"):
        sql.query(sql.DAU, events=tmp_path / "events.xlsx")
    with pytest.raises(TypeError, match="table 'events' must be a DataFrame or a path"):
        sql.query(sql.DAU, events=[1, 2, 3])
