"""opshelpers.monitor: exact decompositions, brute-force checks, planted facts, bad input."""

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import monitor as mo


@pytest.fixture(scope="module")
def s():
    return {n: ops.load_sample(n) for n in ("events", "orders", "users")}


@pytest.fixture(scope="module")
def kpis(s):
    return mo.kpi_table(s["events"], s["orders"])


def test_kpi_table_factors_match_a_computation_from_the_raw_tables(kpis, s):
    k = kpis.set_index("period")
    ev, orders = s["events"], s["orders"]
    day = orders["order_time"].dt.normalize()
    dau = ev.groupby(ev["event_time"].dt.normalize())["user_id"].nunique()
    payers = orders.groupby(day)["user_id"].nunique().reindex(dau.index, fill_value=0)
    n = orders.groupby(day).size().reindex(dau.index, fill_value=0)
    gmv = orders.groupby(day)["gmv"].sum().reindex(dau.index, fill_value=0)
    assert k["active_users"].tolist() == dau.tolist()
    np.testing.assert_allclose(k["paying_rate"], payers / dau, rtol=1e-12)
    ok = n > 0
    np.testing.assert_allclose(k.loc[ok.to_numpy(), "orders_per_payer"], (n / payers)[ok],
                               rtol=1e-12)
    np.testing.assert_allclose(k.loc[ok.to_numpy(), "aov"], (gmv / n)[ok], rtol=1e-12)
    np.testing.assert_allclose(k["gmv"], gmv, rtol=1e-12)
    d = pd.Timestamp("2026-04-15")
    assert k.loc[d, "active_users_wow"] == pytest.approx(
        k.loc[d, "active_users"] / k.loc[d - pd.Timedelta(days=7), "active_users"] - 1,
        abs=1e-4)


def test_kpi_tree_contributions_sum_exactly(kpis):
    t = mo.kpi_tree(kpis, ("2026-05-11", "2026-05-31"), ("2026-06-11", "2026-06-18"))
    factors = t[t["factor"] != "gmv"]
    assert factors["contribution"].sum() == pytest.approx(
        t.loc[t["factor"] == "gmv", "contribution"].iloc[0], abs=0.01)
    assert factors.set_index("factor")["contribution"].idxmax() in ("paying_rate", "aov")


def test_kpi_tree_by_hand():
    k = pd.DataFrame({"period": ["a", "b"], "active_users": [100, 120], "payers": [10, 12],
                      "orders": [10, 12], "gmv": [1000.0, 1200.0]})
    t = mo.kpi_tree(k, "a", "b").set_index("factor")
    assert t.loc["active_users", "contribution"] == pytest.approx(200.0)   # only users moved
    assert t.loc[["paying_rate", "orders_per_payer", "aov"], "contribution"].abs().max() < 1e-9


def test_stickiness_equals_brute_force(s):
    st = mo.stickiness(s["events"]).set_index("date")
    ev = s["events"]
    day = ev["event_time"].dt.normalize()
    for d in ("2026-02-10", "2026-06-30"):
        d = pd.Timestamp(d)
        window = ev[(day > d - pd.Timedelta(days=30)) & (day <= d)]
        assert st.loc[d, "mau"] == window["user_id"].nunique()
        assert st.loc[d, "dau"] == ev[day == d]["user_id"].nunique()


def test_drill_down_names_feed_ads_for_the_march_dip(s):
    ev = s["events"].merge(s["users"][["user_id", "channel"]])
    active = ev.assign(day=ev["event_time"].dt.normalize()).drop_duplicates(["user_id", "day"])
    dd = mo.drill_down(active, "channel", "event_time", ("2026-03-03", "2026-03-09"),
                       ("2026-03-10", "2026-03-16"))
    assert dd.iloc[0]["channel"] == "feed_ads" and dd.iloc[0]["contribution"] < 0


def test_drill_down_mix_and_rate_by_hand():
    data = pd.DataFrame({
        "t": pd.to_datetime(["2026-01-01"] * 4 + ["2026-01-02"] * 4),
        "ch": ["x", "x", "y", "y", "x", "y", "y", "y"],
        "conv": [1, 0, 1, 1, 0, 1, 1, 1], "n": 1})
    dd = mo.drill_down(data, "ch", "t", ("2026-01-01", "2026-01-01"),
                       ("2026-01-02", "2026-01-02"), numerator="conv",
                       denominator="n").set_index("ch")
    total = 0.75 - 0.75
    assert dd["contribution"].sum() == pytest.approx(total, abs=1e-9)
    assert dd.loc["x", "rate"] == pytest.approx(0.5 * (0 - 0.5))      # x got worse
    assert dd.loc["y", "mix"] == pytest.approx(0.25 * 1.0)            # y got bigger


def test_anomalies_flag_the_dip_with_few_false_alarms(kpis, truths):
    phases = truths.planted["activity"]["phases_618"].values()
    known = [(min(p[0] for p in phases), max(p[1] for p in phases))]
    a = mo.detect_anomalies(kpis.set_index("period")["active_users"], burn_in=28,
                            known_events=known)
    flagged = set(a.loc[a["anomaly"], "date"])
    dip = set(pd.date_range(*truths.planted["traffic"]["feed_ads_pause"]))
    assert len(flagged & dip) >= 5                         # most of the dip week
    checked = len(a) - 28 - len(pd.date_range(*known[0])) - len(dip)
    assert len(flagged - dip) <= 0.05 * checked            # few false alarms (≤ 5 % of days)
    assert a.loc[a["known"], "date"].between(*known[0]).all()
    row = a.set_index("date").loc["2026-03-10"]
    assert row["value"] < row["low"] < row["expected"]


def test_level_shift_finds_the_xiaohongshu_drop():
    v = ops.load_sample("visits")
    daily = lambda ch: v[v["channel"] == ch].groupby(  # noqa: E731
        v.loc[v["channel"] == ch, "visit_time"].dt.normalize())["signed_up"].mean()
    xhs = mo.level_shift(daily("xiaohongshu")).iloc[0]
    assert xhs["significant"]                      # the planted day, give or take a day's noise
    assert abs(xhs["change_date"] - pd.Timestamp("2026-04-20")) <= pd.Timedelta(days=1)
    for ch in ("seo", "sem", "feed_ads", "kol", "community"):
        assert not mo.level_shift(daily(ch)).iloc[0]["significant"], ch
    step = pd.Series([1.0] * 20 + [3.0] * 20, index=pd.date_range("2026-01-01", periods=40))
    assert mo.level_shift(step, min_days=5).iloc[0]["change_date"] == pd.Timestamp("2026-01-21")


def test_anomaly_bad_input():
    s = pd.Series([1.0] * 10, index=pd.date_range("2026-01-01", periods=10))
    with pytest.raises(ValueError, match="STL needs at least 15"):
        mo.detect_anomalies(s)
    gap = pd.Series(range(30), index=pd.date_range("2026-01-01", periods=31).delete(5))
    with pytest.raises(ValueError, match="1 missing day"):
        mo.detect_anomalies(gap)


def test_user_paths(s):
    p = mo.user_paths(s["events"], steps=2, top=50)
    assert p["path"].str.startswith("signup").all()
    assert p["share"].sum() <= 1.0 + 1e-9
    tiny = pd.DataFrame({"user_id": [1, 1, 1, 2], "event": ["signup", "app_open", "app_open",
                                                            "signup"],
                         "event_time": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:01",
                                                       "2026-01-01 10:02", "2026-01-01 09:00"])})
    out = mo.user_paths(tiny, steps=2).set_index("path")["users"]
    assert out.to_dict() == {"signup > app_open > (exit)": 1, "signup > (exit)": 1}


def test_level_shift_p_value_counts_the_observed_split():
    """p = (1 + shuffles at least as extreme) / (shuffles + 1): never 0."""
    s = pd.Series([0.0] * 20 + [10.0] * 20, index=pd.date_range("2026-01-01", periods=40))
    r = mo.level_shift(s, min_days=5, permutations=19, seed=0).iloc[0]
    assert r["p_value"] == pytest.approx(1 / 20)
    assert r["change_date"] == pd.Timestamp("2026-01-21")
