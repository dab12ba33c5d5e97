"""opshelpers.users: hand-worked examples, planted facts, bad input (SQL equality: test_sql)."""

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import users as us

T = pd.to_datetime


@pytest.fixture(scope="module")
def s():
    return {n: ops.load_sample(n) for n in ("users", "events", "orders", "ab_assignments")}


def tiny():
    users = pd.DataFrame({"user_id": [1, 2, 3],
                          "signup_time": T(["2026-01-01 10:00", "2026-01-01 12:00",
                                            "2026-01-03 09:00"]),
                          "channel": ["seo", "kol", "seo"]})
    events = pd.DataFrame({
        "user_id": [1, 1, 1, 1, 2, 2, 3, 3],
        "event_time": T(["2026-01-01 10:00", "2026-01-02 08:00", "2026-01-02 09:00",
                         "2026-01-08 10:00", "2026-01-01 12:00", "2026-01-05 10:00",
                         "2026-01-03 09:00", "2026-01-04 09:00"]),
        "event": ["signup", "app_open", "purchase", "app_open", "signup", "app_open",
                  "signup", "app_open"]})
    return users, events


# ------------------------------------------------------------------ retention
def test_retention_by_hand_with_censoring():
    users, events = tiny()
    r = us.retention(users, events, days=(1, 4, 7), cohort="D", end="2026-01-08")
    r = r.set_index(["cohort", "day"])
    jan1 = r.loc[pd.Timestamp("2026-01-01")]
    assert jan1.loc[1, ["cohort_size", "eligible", "retained"]].tolist() == [2, 2, 1]
    assert jan1.loc[4, "retained"] == 1 and jan1.loc[7, "retained"] == 1   # user 2 day 4, user 1 day 7
    jan3 = r.loc[pd.Timestamp("2026-01-03")]
    assert jan3.loc[1, "rate"] == 1.0
    assert jan3.loc[7, "eligible"] == 0 and np.isnan(jan3.loc[7, "rate"])   # censored, not 0 %
    assert not jan3.loc[7, "complete"]
    unb = us.retention(users, events, days=(2,), cohort="D", kind="unbounded",
                       end="2026-01-08").set_index("cohort")
    assert unb.loc[pd.Timestamp("2026-01-01"), "retained"] == 2     # both came back later


def test_onboarding_lift_through_the_helper(s, truths):
    users = s["users"][~s["users"]["user_id"].isin(truths.fraud_user_ids)]
    r = us.retention(users, s["events"], days=(7,), by="onboarding", cohort="M")
    by = r.groupby("onboarding")[["retained", "eligible"]].sum()
    rate = by["retained"] / by["eligible"]
    assert rate["v1"] == pytest.approx(truths.d7_before, abs=1e-9)
    assert rate["v2"] == pytest.approx(truths.d7_after, abs=1e-9)


def test_triangle_blanks_censored_cells(s):
    tri = us.retention_triangle(us.retention(s["users"], s["events"], days=(1, 30), cohort="M"))
    assert np.isnan(tri.loc[pd.Timestamp("2026-06-01"), 30])
    assert tri.loc[pd.Timestamp("2026-01-01"), 30] > 0


def test_events_before_signup_are_an_error():
    users, events = tiny()
    early = pd.concat([events, pd.DataFrame({"user_id": [3], "event_time": T(["2026-01-01"]),
                                             "event": ["app_open"]})])
    with pytest.raises(ValueError, match="1 active day\\(s\\) fall before the user's signup"):
        us.retention(users, early)


def test_nat_event_time_is_an_error():
    users, events = tiny()
    events.loc[0, "event_time"] = pd.NaT
    with pytest.raises(ValueError, match="1 event\\(s\\) have no event_time"):
        us.retention(users, events)


def test_duplicates_and_order_do_not_change_results(s):
    users, events = tiny()
    noisy = pd.concat([events, events]).sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(us.retention(users, noisy, cohort="D"),
                                  us.retention(users, events, cohort="D"))
    steps = ["signup", "app_open"]
    pd.testing.assert_frame_equal(us.funnel(noisy, steps), us.funnel(events, steps))


# ------------------------------------------------------------------ funnel
def test_funnel_by_hand():
    _, events = tiny()
    f = us.funnel(events, ["signup", "app_open", "purchase"], window="2D").set_index("step")
    assert f["users"].tolist() == [3, 2, 1]                     # user 2 came back after 4 days
    assert f.loc[2, "median_minutes"] == pytest.approx(1380.0)   # 22 h and 24 h
    assert f.loc[3, "step_conversion"] == pytest.approx(0.5)
    wide = us.funnel(events, ["signup", "app_open"], window="7D")
    assert wide["users"].tolist() == [3, 3]
    with pytest.raises(ValueError, match=r"step\(s\) \['pay'\] never occur"):
        us.funnel(events, ["signup", "pay"])


def test_funnel_breakdown(s):
    f = us.funnel(s["events"], ["signup", "purchase"], users=s["users"], by="channel")
    first = f[f["step"] == 1].set_index("channel")["users"]
    assert first.sum() == len(s["users"])
    with pytest.raises(ValueError, match="needs users="):
        us.funnel(s["events"], ["signup", "purchase"], by="channel")


# ------------------------------------------------------------------ RFM
def test_rfm_matches_plain_pandas(s):
    orders = s["orders"]
    ours = us.rfm_summary(orders).set_index("user_id")
    end = orders["order_time"].max().normalize()
    day = orders.assign(d=orders["order_time"].dt.normalize())
    daily = day.groupby(["user_id", "d"])["paid"].sum().reset_index()
    plain = daily.groupby("user_id").agg(first=("d", "min"), last=("d", "max"),
                                         n=("d", "size"), total=("paid", "sum"))
    first_amt = daily.sort_values("d").groupby("user_id")["paid"].first()
    assert (ours["frequency"] == plain["n"] - 1).all()
    assert (ours["recency"] == (plain["last"] - plain["first"]).dt.days).all()
    assert (ours["T"] == (end - plain["first"]).dt.days).all()
    mv = ((plain["total"] - first_amt) / (plain["n"] - 1)).fillna(0)
    assert np.allclose(ours["monetary_value"], mv.where(plain["n"] > 1, 0), atol=1e-3)
    assert ours["orders"].sum() == len(orders)


@pytest.mark.parametrize("multiplier", [1, 2.5])
def test_rfm_in_weeks_follows_lifetimes_period_rules(s, multiplier):
    """lifetimes' summary_data_from_transaction_data(freq="W", freq_multiplier=m), written
    out in plain pandas: orders bucketed into weekly periods, one purchase per period."""
    orders = s["orders"]
    end = pd.Timestamp("2026-05-31")
    ours = us.rfm_summary(orders, end=end, freq="W", freq_multiplier=multiplier) \
        .set_index("user_id")
    kept = orders[orders["order_time"].dt.normalize() <= end]
    week = kept["order_time"].dt.to_period("W")
    per = kept.groupby(["user_id", week])["paid"].sum().reset_index()
    per["start"] = per["order_time"].dt.start_time
    g = per.groupby("user_id")
    first, last, n = g["start"].min(), g["start"].max(), g.size()
    end_week = end.to_period("W").start_time
    weeks = pd.Timedelta(weeks=1) * multiplier
    assert (ours["frequency"] == n - 1).all()
    assert np.allclose(ours["recency"], (last - first) / weeks, rtol=0, atol=1e-12)
    assert np.allclose(ours["T"], (end_week - first) / weeks, rtol=0, atol=1e-12)
    repeat = per.sort_values("start").groupby("user_id")["paid"].apply(
        lambda x: x.iloc[1:].mean() if len(x) > 1 else 0.0)
    assert np.allclose(ours["monetary_value"], repeat, rtol=1e-12, atol=0)
    assert ours["orders"].sum() == len(kept)
    with pytest.raises(ValueError, match="freq must be D .days. or W .weeks."):
        us.rfm_summary(orders, freq="M")
    with pytest.raises(ValueError, match="freq_multiplier must be a positive number"):
        us.rfm_summary(orders, freq_multiplier=0)


def test_rfm_one_order_customers_and_ties():
    o = pd.DataFrame({"user_id": [1, 2, 3, 4], "paid": [10.0, 10.0, 10.0, 99.0],
                      "order_time": T(["2026-01-01"] * 4)})
    summ = us.rfm_summary(o, end="2026-01-10").set_index("user_id")
    assert (summ["frequency"] == 0).all() and (summ["monetary_value"] == 0).all()
    sc = us.rfm_scores(summ)
    assert sc.loc[[1, 2, 3], "m_score"].nunique() == 1          # ties share a score
    assert sc.loc[4, "m_score"] == 5
    with pytest.raises(ValueError, match="no orders"):
        us.rfm_summary(o.iloc[:0])
    with pytest.raises(ValueError, match="every order is after end=2025-12-31"):
        us.rfm_summary(o, end="2025-12-31")


def test_rfm_calibration_end_leaves_later_orders_out_with_a_count():
    o = pd.DataFrame({"user_id": [1, 1, 1, 2], "paid": [10.0, 20.0, 40.0, 5.0],
                      "order_time": T(["2026-01-01", "2026-01-11", "2026-01-20",
                                       "2026-01-05"])})
    with pytest.warns(ops.DataQualityWarning, match="1 order.s. after end=2026-01-15"):
        summ = us.rfm_summary(o, end="2026-01-15")
    assert summ.attrs["excluded_orders"] == 1
    one = summ.set_index("user_id").loc[1]          # as if the 01-20 order did not exist, seen on 01-15
    assert (one["frequency"], one["recency"], one["T"], one["monetary_value"],
            one["orders"], one["revenue"]) == (1.0, 10.0, 14.0, 20.0, 1 + 1, 30.0)
    assert us.rfm_summary(o).attrs["excluded_orders"] == 0


def test_rfm_segments_cover_everyone_and_revenue(s):
    seg = us.rfm_segments(us.rfm_summary(s["orders"]))
    summary = us.segment_summary(seg)
    assert summary["customers"].sum() == s["orders"]["user_id"].nunique()
    assert summary["revenue_share"].sum() == pytest.approx(1, abs=1e-3)
    top = summary.iloc[0]
    assert top["segment"] == "重要价值客户" and top["revenue_share"] > 0.4
    en = us.rfm_segments(us.rfm_summary(s["orders"]), lang="en")
    assert en.loc[en["segment_en"] == "champions", "action"].eq(
        "reward, early access, ask for reviews").all()


def test_rfm_segments_use_the_scores_against_their_mean(s):
    """High = score above the mean score, recomputed here from the ranks by hand."""
    summ = us.rfm_summary(s["orders"])
    seg = us.rfm_segments(summ).set_index("user_id")
    rank = {"r": (-summ["recency_days"]), "f": summ["orders"], "m": summ["revenue"]}
    high = {}
    for k, x in rank.items():
        score = np.ceil(x.rank(method="average", pct=True) * 5).clip(1, 5)
        high[k] = pd.Series((score > score.mean()).to_numpy(), index=summ["user_id"])
    champions = high["r"] & high["f"] & high["m"]
    assert set(seg.index[seg["segment"] == "重要价值客户"]) == set(champions[champions].index)
    at_risk = ~high["r"] & high["f"] & high["m"]
    assert set(seg.index[seg["segment"] == "重要保持客户"]) == set(at_risk[at_risk].index)
    # F is high exactly for repeat buyers on the sample (the mean F score sits between
    # the one-order buyers' score and the next)
    assert (seg["f_score"] > seg["f_score"].mean()).equals(seg["orders"] > 1)
    # scores already there are used, not recomputed
    given = us.rfm_scores(summ).assign(r_score=5, f_score=5, m_score=1)
    given.loc[0, ["r_score", "f_score", "m_score"]] = [1, 1, 5]
    assert us.rfm_segments(given)["segment"].value_counts().to_dict() == {
        "一般价值客户": len(given) - 1, "重要挽留客户": 1}


# ------------------------------------------------------------------ AARRR, comebacks
def test_aarrr_equals_plain_pandas(s):
    u, e, o = s["users"], s["events"], s["orders"]
    a = us.aarrr(u, e, o, days=30, early_days=7).set_index("stage")
    day = e.assign(d=e["event_time"].dt.normalize())[["user_id", "d"]].drop_duplicates()
    last = day["d"].max()
    cohort = u[u["signup_time"].dt.normalize() + pd.Timedelta(days=30) <= last]
    m = day.merge(cohort[["user_id", "signup_time"]], on="user_id")
    off = (m["d"] - m["signup_time"].dt.normalize()).dt.days
    active = {"activation": m.loc[off.between(1, 7), "user_id"],
              "retention": m.loc[off.between(8, 30), "user_id"]}
    first = o.groupby("user_id")["order_time"].min()
    lag = first.reindex(cohort["user_id"]).to_numpy() - cohort["signup_time"].to_numpy()
    ref = u[u["referrer_id"].notna()].merge(
        cohort[["user_id", "signup_time"]], left_on="referrer_id", right_on="user_id",
        suffixes=("", "_referrer"))
    quick = ref[ref["signup_time"] - ref["signup_time_referrer"] < pd.Timedelta(days=30)]
    expected = {"acquisition": len(cohort),
                "activation": active["activation"].nunique(),
                "retention": active["retention"].nunique(),
                "revenue": int((lag < pd.Timedelta(days=30)).sum()),
                "referral": quick["referrer_id"].nunique()}
    assert a["users"].to_dict() == expected
    assert (a["cohort"] == len(cohort)).all()
    assert a.loc["revenue", "rate"] == expected["revenue"] / len(cohort)
    assert a["step"].tolist() == [1, 2, 3, 4, 5]


def test_aarrr_boundaries_and_names():
    """Exactly day 7 activates and day 8 retains; an order at exactly 30 × 24 h does not
    count; a referral at 29 days does."""
    u = pd.DataFrame({"user_id": [1, 2, 3], "referrer_id": [None, 1, None],
                      "signup_time": T(["2026-01-01 10:00", "2026-01-30 09:00",
                                        "2026-01-01 10:00"])})
    e = pd.DataFrame({"user_id": [1, 1, 3, 3], "event": "app_open",
                      "event_time": T(["2026-01-08 09:00", "2026-03-31 00:00", "2026-01-09 00:00",
                                       "2026-01-02 00:00"])})
    o = pd.DataFrame({"user_id": [1, 3], "order_time": T(["2026-01-31 10:00",
                                                         "2026-01-31 09:59"])})
    a = us.aarrr(u, e, o, days=30, early_days=7, lang="zh").set_index("stage")
    assert a["users"].tolist() == [3, 2, 1, 1, 1]
    assert a.loc["activation", "name"] == "促活"
    assert a.loc["retention", "definition"] == "注册后第 8 至 30 天至少活跃一天"
    with pytest.raises(ValueError, match="no user's first 30 days"):
        us.aarrr(u, e[e["event_time"] < "2026-01-20"], o)
    with pytest.raises(ValueError, match="referrer_id"):
        us.aarrr(u.drop(columns="referrer_id"), e, o)


def test_comebacks_by_hand_and_at_the_window_end():
    e = pd.DataFrame({"user_id": [1, 1, 2, 2, 3, 3], "event": "app_open",
                      "event_time": T(["2026-01-01 00:00", "2026-02-01 08:00", "2026-01-01 00:00",
                                       "2026-01-31 00:00", "2026-01-01 00:00", "2026-03-02 00:00"])})
    o = pd.DataFrame({"user_id": [1, 1, 1, 3], "paid": [10.0, 7.0, 5.0, 99.0],
                      "order_time": T(["2025-12-30 00:00", "2026-02-01 07:00",
                                       "2026-02-10 23:59", "2026-03-02 00:00"])})
    c = us.comebacks(e, o, dormant_days=30, window="10D", as_of="2026-03-11")
    # user 2: 29 silent days, not a comeback; user 1: 30; user 3 back on 03-02, whose
    # 10 days end on 03-11 exactly, so it is judged
    assert c[["user_id", "silent_days"]].values.tolist() == [[1, 30], [3, 59]]
    assert c["paid_before"].tolist() == [10.0, 0.0]
    assert c["paid_after"].tolist() == [12.0, 99.0]          # 07:00 on the return day counts
    assert c["ordered_after"].tolist() == [True, True]
    assert c.attrs["unobserved_comebacks"] == 0
    late = us.comebacks(e, o, dormant_days=30, window="10D", as_of="2026-03-10")
    assert late["user_id"].tolist() == [1] and late.attrs["unobserved_comebacks"] == 1
    with pytest.raises(ValueError, match="whole days"):
        us.comebacks(e, o, window="36h")


def test_comebacks_equal_plain_pandas_on_the_sample(s):
    e, o = s["events"], s["orders"]
    c = us.comebacks(e, o)
    day = e.assign(d=e["event_time"].dt.normalize())[["user_id", "d"]].drop_duplicates()
    day = day.sort_values(["user_id", "d"])
    day["gap"] = day.groupby("user_id")["d"].diff().dt.days
    back = day[day["gap"] > 30]
    judged = back[back["d"] + pd.Timedelta(days=30) <= day["d"].max() + pd.Timedelta(days=1)]
    assert len(c) == len(judged) and c.attrs["unobserved_comebacks"] == len(back) - len(judged)
    m = judged[["user_id", "d"]].merge(o[["user_id", "order_time", "paid"]], on="user_id")
    before = m[m["order_time"] < m["d"]].groupby(["user_id", "d"])["paid"].sum()
    after = m[(m["order_time"] >= m["d"]) & (m["order_time"] < m["d"] + pd.Timedelta(days=30))]
    mine = c.set_index(["user_id", "date"])
    assert mine["paid_before"].sum() == pytest.approx(before.sum())
    got = mine.loc[mine["ordered_after"], "paid_after"]
    want = after.groupby(["user_id", "d"])["paid"].sum()
    assert got.to_numpy() == pytest.approx(want.reindex(got.index).to_numpy())
    assert len(got) == len(want)


# ------------------------------------------------------------------ lifecycle, referral, money
def test_lifecycle_by_hand():
    users, events = tiny()
    lc = us.lifecycle(users, events, freq="D", churn_after=3)
    table = lc.pivot_table(index="period", columns="state", values="users",
                           aggfunc="sum", fill_value=0, observed=False)
    day = lambda d: table.loc[pd.Timestamp(d)]  # noqa: E731
    assert day("2026-01-01")[["new"]].tolist() == [2]
    assert day("2026-01-02")[["returning", "dormant"]].tolist() == [1, 1]   # 1 back, 2 idle
    assert day("2026-01-03")[["dormant", "lapsed", "new"]].tolist() == [1, 1, 1]
    assert day("2026-01-04")["churned"] == 1                              # user 2, 3 idle days
    assert day("2026-01-05")[["resurrected", "churned", "dormant"]].tolist() == [1, 1, 1]
    assert day("2026-01-07")[["churned", "lapsed"]].tolist() == [2, 1]
    assert day("2026-01-08")[["resurrected", "churned"]].tolist() == [1, 2]   # user 1 is back
    assert (table.sum(axis=1) == [2, 2, 3, 3, 3, 3, 3, 3]).all()          # a partition


def test_referral_matches_planted_k(s, truths):
    users, events = s["users"], s["events"]
    r = us.referral(users, events).iloc[0]
    invites = int((events["event"] == "invite").sum())               # independent counts
    referred = users[users["referrer_id"].notna()]
    assert r["invites_per_user"] == invites / len(users)
    assert r["invite_conversion"] == len(referred) / invites
    assert r["k_factor"] == len(referred) / len(users)
    assert r["k_factor"] == pytest.approx(0.30, abs=0.04)              # the planted K
    inviter = users.set_index("user_id")["signup_time"]
    gap = referred["signup_time"].to_numpy() - \
        inviter.loc[referred["referrer_id"].astype("int64")].to_numpy()
    assert r["cycle_time_days"] == pytest.approx(
        pd.Series(gap).dt.total_seconds().median() / 86400, rel=1e-12)


def test_revenue_metrics_identity(s):
    events, orders = s["events"], s["orders"]
    m = us.revenue_metrics(events, orders, freq="W").set_index("period")
    week = lambda t: t - pd.to_timedelta(t.dt.day_of_week, unit="D")     # noqa: E731
    active = events.groupby(week(events["event_time"].dt.normalize()))["user_id"].nunique()
    o = orders.assign(w=week(orders["order_time"].dt.normalize())).groupby("w")
    paying, revenue, n = o["user_id"].nunique(), o["paid"].sum(), o.size()
    assert m["active_users"].tolist() == active.tolist()
    assert m["arpu"].to_numpy() == pytest.approx((revenue / active).to_numpy(), rel=1e-12)
    assert m["arppu"].to_numpy() == pytest.approx((revenue / paying).to_numpy(), rel=1e-12)
    assert m["paid_aov"].to_numpy() == pytest.approx((revenue / n).to_numpy(), rel=1e-12)
    assert "aov" not in m              # the glossary's aov is GMV / orders: another metric
    assert m["paying_rate"].to_numpy() == pytest.approx((paying / active).to_numpy(),
                                                        rel=1e-12)


def test_churn_rules_and_model(s):
    summ = us.churn_risk_rules(us.rfm_summary(s["orders"]), lang="en")
    flagged = summ[summ["at_risk"]]
    assert (flagged["recency_days"] > 45).all() and flagged["reason"].str.startswith("silent").all()
    assert (summ.loc[~summ["at_risk"], "reason"] == "").all()
    one = flagged.iloc[0]
    limit = max(45, 2 * (0 if pd.isna(one["avg_gap_days"]) else one["avg_gap_days"]))
    assert one["reason"] == f"silent {one['recency_days']} days (limit {round(limit)})"
    zh = us.churn_risk_rules(us.rfm_summary(s["orders"]), lang="zh")
    assert zh.loc[one.name, "reason"] == f"已沉默 {one['recency_days']} 天（阈值 {round(limit)} 天）"
    coef = us.churn_model(s["users"], s["events"], s["orders"]).set_index("term")
    assert coef.loc["early_active_days", "coef"] < 0
    assert coef.loc["early_active_days", "p_value"] < 1e-6
    assert coef.loc["early_active_days", "odds_ratio_high"] < 1
    assert np.allclose(coef["odds_ratio"], np.exp(coef["coef"]), rtol=1e-15)
    assert (coef["coef_low"] < coef["coef"]).all() and (coef["coef"] < coef["coef_high"]).all()
    scored = us.churn_scores(s["users"], s["events"], s["orders"])
    assert scored["churn_probability"].between(0, 1).all()
    assert coef.attrs["users"] == len(scored)
    # a logit's fitted probabilities average to the observed churn rate
    assert scored["churn_probability"].mean() == pytest.approx(scored["churned"].mean(),
                                                               abs=1e-6)


def test_churn_features_by_hand():
    users = pd.DataFrame({"user_id": [1, 2, 3], "channel": ["seo", "seo", "kol"],
                          "signup_time": T(["2026-01-01 10:00", "2026-01-01 12:00",
                                            "2026-03-01 09:00"])})
    events = pd.DataFrame({"user_id": [1, 1, 1, 2, 2, 3, 1],
                           "event_time": T(["2026-01-02 08:00", "2026-01-02 18:00",
                                            "2026-01-08 08:00", "2026-01-09 08:00",
                                            "2026-02-01 08:00", "2026-03-02 08:00",
                                            "2026-03-02 08:00"])})
    orders = pd.DataFrame({"user_id": [2], "order_time": T(["2026-01-08 11:00"]),
                           "paid": [9.0]})
    f = us.churn_features(users, events, orders, early_days=7, follow_up_days=(31, 60))
    # user 3 signed up 2026-03-01: day 60 is after the data (03-02), so not yet known
    assert f["user_id"].tolist() == [1, 2]
    # user 1: days 1 and 7 active (twice on day 1 counts once); day 60 = 03-02 active
    # user 2: day 8 is outside the first 7 days; day 31 = 02-01 active; the order at
    # 6 days 23 hours is inside the first 7 × 24 h
    assert f["early_active_days"].tolist() == [2, 0]
    assert f["churned"].tolist() == [0, 0]
    assert f["early_purchase"].tolist() == [0, 1]
    late = us.churn_features(users, events, orders, follow_up_days=(32, 59))
    assert late["churned"].tolist() == [1, 1]                 # days 31 and 60 left out
    with pytest.raises(ValueError, match="need 0 < early_days < follow_up_days"):
        us.churn_features(users, events, orders, early_days=31)


def test_winback_effect_recovers_planted_lift(s, truths):
    r = us.winback_effect(s["ab_assignments"], s["events"]).iloc[0]
    assert r["diff"] == pytest.approx(truths.winback_treated_rate - truths.winback_control_rate,
                                      abs=1e-3)
    assert r["diff_low"] > 0 and r["p_value"] < 0.001
    with pytest.raises(ValueError, match="no assignments for experiment 'nope'"):
        us.winback_effect(s["ab_assignments"], s["events"], experiment="nope")


def test_winback_effect_by_layer_adds_up(s):
    ab = s["ab_assignments"]
    ab = ab.assign(layer=np.where(ab["user_id"] % 2 == 0, "even", "odd"))
    whole = us.winback_effect(ab, s["events"]).iloc[0]
    parts = us.winback_effect(ab, s["events"], by="layer").set_index("layer")
    assert parts.index.tolist() == ["even", "odd"]
    for arm in ("control", "treatment"):
        assert parts[f"n_{arm}"].sum() == whole[f"n_{arm}"]
        assert parts[f"successes_{arm}"].sum() == whole[f"successes_{arm}"]
    even = ab[(ab["experiment"] == "winback_0510") & (ab["layer"] == "even")]
    assert parts.loc["even", "n_control"] == (even["variant"] == "holdout").sum()
    with pytest.raises(ValueError, match="layer_x"):
        us.winback_effect(ab, s["events"], by="layer_x")


def test_missing_columns_are_named():
    users, events = tiny()
    with pytest.raises(ops.SchemaError, match=r"retention\(users\) needs column\(s\) \['signup_time'\]"):
        us.retention(users.drop(columns="signup_time"), events)
    with pytest.raises(ops.SchemaError, match=r"rfm_summary needs column\(s\) \['paid'\]"):
        us.rfm_summary(pd.DataFrame({"user_id": [1], "order_time": T(["2026-01-01"])}))
    with pytest.raises(ValueError, match="kind must be 'n_day' or 'unbounded'"):
        us.retention(users, events, kind="rolling")


@pytest.mark.parametrize("weeks_early", [1, 5])
def test_lifecycle_counts_a_signup_before_the_first_event(weeks_early):
    """A signed up `weeks_early` weeks before any event in the data, active in week 0
    (2026-01-05); B signs up and is active in week 0. Nobody may be counted twice."""
    signup_a = pd.Timestamp("2026-01-05") - pd.Timedelta(weeks=weeks_early)
    users = pd.DataFrame({"user_id": [1, 2],
                          "signup_time": [signup_a, pd.Timestamp("2026-01-06")]})
    events = pd.DataFrame({"user_id": [1, 2], "event": ["app_open"] * 2,
                           "event_time": pd.to_datetime(["2026-01-06", "2026-01-07"])})
    out = us.lifecycle(users, events, freq="W", churn_after=10)
    out = out[out["users"] > 0]
    per_week = out.groupby("period")["users"].sum()
    assert (per_week.loc[:"2026-01-04"] == 1).all()          # only A exists before week 0
    assert per_week.loc["2026-01-05"] == 2
    week0 = out[out["period"] == "2026-01-05"].set_index("state")["users"].to_dict()
    assert week0 == {"new": 1, "resurrected": 1}
    first = out[out["period"] == out["period"].min()]
    assert first["state"].tolist() == ["new"] and first["period"].iloc[0] == \
        signup_a.to_period("W").start_time


def test_boundaries_session_gap_and_unbounded_retention():
    t0 = pd.Timestamp("2026-01-05 10:00")
    e = pd.DataFrame({"user_id": [1, 1, 1], "event": ["app_open"] * 3,
                      "event_time": [t0, t0 + pd.Timedelta(minutes=30),
                                     t0 + pd.Timedelta(minutes=60, seconds=1)]})
    s = us.sessions(e, gap="30min")
    assert s["events"].tolist() == [2, 1]        # exactly 30 min: same; 30 min 1 s: new
    users = pd.DataFrame({"user_id": [1, 2], "signup_time": [t0, t0]})
    ev = pd.DataFrame({"user_id": [1, 2, 2], "event": ["app_open"] * 3,
                       "event_time": [t0 + pd.Timedelta(days=7),           # exactly day 7
                                      t0 + pd.Timedelta(days=6),           # before
                                      t0 + pd.Timedelta(days=20)]})        # long after
    n_day = us.retention(users, ev, days=(7,), cohort="W", kind="n_day").iloc[0]
    unbounded = us.retention(users, ev, days=(7,), cohort="W", kind="unbounded").iloc[0]
    assert n_day["retained"] == 1 and unbounded["retained"] == 2


# ------------------------------------------------------------------ acquisition campaigns
@pytest.fixture(scope="module")
def acquisition():
    return {n: ops.load_sample(n) for n in ("users", "user_campaigns", "events", "orders",
                                            "product_views", "order_lines")}


def test_campaign_quality_equals_plain_pandas(acquisition):
    a = acquisition
    u, uc, e, o = a["users"], a["user_campaigns"], a["events"], a["orders"]
    out = us.campaign_quality(u, uc, e, o).set_index("campaign")
    last = e.event_time.max().normalize()
    m = u.merge(uc[["user_id", "campaign", "cost"]], how="left", on="user_id")
    m["campaign"] = m.campaign.fillna("none")
    signup = m.set_index("user_id").signup_time
    day7 = signup.dt.normalize() + pd.Timedelta(days=7)
    active = set(zip(e.user_id, e.event_time.dt.normalize()))
    m["d7_ok"] = (day7 <= last).to_numpy()
    m["d7"] = [(i, d) in active for i, d in zip(m.user_id, day7)]
    first = o.groupby("user_id").order_time.min().reindex(m.user_id).to_numpy()
    m["fo_ok"] = (signup + pd.Timedelta(days=14) <= last + pd.Timedelta(days=1)).to_numpy()
    m["fo"] = m.fo_ok & (first - m.signup_time.to_numpy() < pd.Timedelta(days=14))
    for name, g in m.groupby("campaign"):
        row = out.loc[name]
        assert row["users"] == len(g)
        assert row["spend"] == pytest.approx(g.cost.fillna(0).sum(), abs=1e-9)
        assert row["d7_eligible"] == g.d7_ok.sum()
        assert row["d7_rate"] == pytest.approx((g.d7 & g.d7_ok).sum() / g.d7_ok.sum(),
                                               rel=1e-12)
        assert row["first_order_rate"] == pytest.approx(g.fo.sum() / g.fo_ok.sum(),
                                                        rel=1e-12)
        referred = u.referrer_id.isin(g.user_id).sum()
        assert row["k_factor"] == pytest.approx(referred / len(g), rel=1e-12)
    assert np.isnan(out.loc["none", "cost_per_first_order"])
    assert out["cost_per_user"].drop("none").idxmin() == "share_poster"
    assert out["cost_per_first_order"].idxmax() == "share_poster"


def test_campaign_quality_boundaries_and_bad_input():
    u = pd.DataFrame({"user_id": [1, 2], "referrer_id": [None, None],
                      "signup_time": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 09:00"])})
    e = pd.DataFrame({"user_id": [1, 2], "event": ["app_open"] * 2,
                      "event_time": pd.to_datetime(["2026-01-15 08:00", "2026-01-15 10:00"])})
    # an order exactly 14 days after signup is outside "within 14 days"; a second earlier
    o = pd.DataFrame({"user_id": [1, 2], "paid": [10.0, 10.0],
                      "order_time": pd.to_datetime(["2026-01-15 09:00", "2026-01-15 08:59"])})
    uc = pd.DataFrame({"user_id": [1, 2], "campaign": ["a", "b"], "cost": [1.0, 1.0]})
    r = us.campaign_quality(u, uc, e, o).set_index("campaign")
    assert r.loc["a", "first_order_rate"] == 0.0 and r.loc["b", "first_order_rate"] == 1.0
    # the last event is day 14: everyone's 14-day window is complete, not censored
    assert (r["first_order_eligible"] == 1).all()
    # with data to the end of 14 January the window (to 15 January 09:00) is not whole
    early = us.campaign_quality(u, uc, e, o, end="2026-01-14").set_index("campaign")
    assert (early["first_order_eligible"] == 0).all() and early["first_order_rate"].isna().all()
    with pytest.raises(ValueError, match="lists a user more than once"):
        us.campaign_quality(u, pd.concat([uc, uc]), e, o)
    with pytest.raises(ValueError, match="1 user\\(s\\) of user_campaigns are not in users"):
        us.campaign_quality(u, pd.concat([uc, uc.assign(user_id=[3, 4]).head(1)]), e, o)


def test_interest_tags_equal_plain_pandas(acquisition):
    a = acquisition
    tags = us.interest_tags(a["product_views"], a["order_lines"], a["orders"])
    assert tags["user_id"].is_unique
    views = a["product_views"].groupby(["user_id", "category"]).size()
    lines = a["order_lines"].merge(a["orders"][["order_id", "user_id"]])
    items = lines.groupby(["user_id", "category"])["items"].sum()
    score = views.add(3 * items, fill_value=0)
    best = score.groupby(level=0).max()
    mine = tags.set_index("user_id")
    top = score[score == best.reindex(score.index.get_level_values(0)).to_numpy()]
    single = top.groupby(level=0).size() == 1                       # no tie: one answer
    want = top[single.reindex(top.index.get_level_values(0)).to_numpy()]
    want = pd.Series(want.index.get_level_values(1), index=want.index.get_level_values(0))
    assert (mine.loc[want.index, "tag"] == want).all()
    np.testing.assert_allclose(mine["score"], best.reindex(mine.index), rtol=1e-12)
    np.testing.assert_allclose(mine["share"], (best / score.groupby(level=0).sum())
                               .reindex(mine.index), rtol=1e-12)
    with pytest.raises(ValueError, match="item_weight must be ≥ 0"):
        us.interest_tags(a["product_views"], a["order_lines"], a["orders"], item_weight=-1)
