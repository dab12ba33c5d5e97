"""opshelpers.traffic: hand-worked examples, planted facts, statsmodels cross-checks."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import opshelpers as ops
from opshelpers import traffic


@pytest.fixture(scope="module")
def data():
    return {n: ops.load_sample(n) for n in ("visits", "channel_daily", "orders",
                                            "search_terms", "kol_posts")}


def tiny_visits():
    return pd.DataFrame({
        "visit_time": pd.to_datetime(["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00",
                                      "2026-01-02 09:00", "2026-01-02 12:00"]),
        "visitor_id": [1, 1, 2, 3, 4], "channel": ["seo", "seo", "sem", "sem", "sem"],
        "landing_page": ["lp_a", "lp_a", "lp_b", "lp_b", "lp_a"],
        "pageviews": [1, 4, 2, 1, 3], "bounced": [True, False, False, True, False],
        "signed_up": [False, True, False, False, True], "user_id": [pd.NA, 10, pd.NA, pd.NA, 11]})


def test_uv_pv_by_hand():
    out = traffic.uv_pv(tiny_visits(), by="channel")
    d1 = out[out["period"] == "2026-01-01"].set_index("channel")
    assert d1.loc["seo", ["visits", "uv", "pv", "bounces"]].tolist() == [2, 1, 5, 1]
    assert d1.loc["seo", "bounce_rate"] == 0.5
    low, high = proportion_confint(1, 2, method="wilson")
    assert d1.loc["seo", "bounce_rate_low"] == pytest.approx(low, abs=1e-4)
    assert d1.loc["seo", "bounce_rate_high"] == pytest.approx(high, abs=1e-4)


def test_channel_report_by_hand():
    cd = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
                       "channel": ["seo", "sem"], "spend": [0.0, 30.0],
                       "impressions": [100, 200], "clicks": [3, 5]})
    orders = pd.DataFrame({"user_id": [10, 11, 11], "paid": [50.0, 20.0, 40.0]})
    out = traffic.channel_report(cd, tiny_visits(), orders).set_index("channel")
    assert out.loc["sem", ["visits", "signups", "buyers", "orders"]].tolist() == [3, 1, 1, 2]
    assert out.loc["sem", "cpa"] == 30.0 and out.loc["sem", "cpc"] == 6.0
    assert out.loc["sem", "roas"] == 2.0 and out.loc["sem", "roi"] == 0.0   # 60 × .5 − 30
    assert out.loc["sem", ["start", "end"]].tolist() == [pd.Timestamp("2026-01-01"),
                                                         pd.Timestamp("2026-01-02")]
    at_70 = traffic.channel_report(cd, tiny_visits(), orders, margin=0.7).set_index("channel")
    assert at_70.loc["sem", "roi"] == pytest.approx((60 * 0.7 - 30) / 30, abs=1e-12)
    with pytest.raises(ValueError, match="margin is the gross margin"):
        traffic.channel_report(cd, tiny_visits(), orders, margin=50)
    assert np.isnan(out.loc["seo", "roi"])                     # no spend, no ROI
    assert out.loc["seo", "ctr"] == 0.03


def test_channel_report_window_includes_both_end_days(data):
    cd, v, o = data["channel_daily"], data["visits"], data["orders"]
    rep = traffic.channel_report(cd, v, o, start="2026-03-01", end="2026-03-31")
    sem = rep.set_index("channel").loc["sem"]
    march = cd[(cd.channel == "sem") & cd.date.between("2026-03-01", "2026-03-31")]
    visits = v[(v.channel == "sem") & v.visit_time.between("2026-03-01", "2026-03-31 23:59:59")]
    assert sem["spend"] == pytest.approx(march.spend.sum(), abs=1e-9)
    assert sem["visits"] == len(visits) and sem["signups"] == visits.signed_up.sum()
    assert (sem["start"], sem["end"]) == (pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-31"))
    one_day = traffic.channel_report(cd, v, o, start="2026-03-31", end="2026-03-31")
    last = v[(v.channel == "sem") & (v.visit_time.dt.normalize() == "2026-03-31")]
    assert one_day.set_index("channel").loc["sem", "visits"] == len(last) > 0
    with pytest.raises(ValueError, match="end 2026-03-01 is before start 2026-03-31"):
        traffic.channel_report(cd, v, o, start="2026-03-31", end="2026-03-01")


def test_the_shuffles_drawn_are_the_ones_the_p_value_counts(data):
    feed = data["visits"][data["visits"]["channel"] == "feed_ads"]
    daily = feed.groupby(feed.visit_time.dt.normalize())["signed_up"].agg(["sum", "size"])
    found = ops.changes.rate_change(daily["sum"], daily["size"], seed=3)
    null = ops.changes.shuffled_rate_gains(daily["sum"], daily["size"], seed=3)
    assert len(null) == 199 and null["shuffle"].tolist() == list(range(1, 200))
    assert found["p_value"] == (1 + (null["lr_stat"] >= found["lr_stat"]).sum()) / 200


def test_channel_report_recovers_kol_and_sem(data):
    rep = traffic.channel_report(data["channel_daily"], data["visits"], data["orders"])
    paid = rep.dropna(subset=["roi"]).query("channel != 'referral'")
    assert paid.iloc[0]["channel"] == "kol"
    assert paid.set_index("channel")["cpa"].idxmax() == "sem"
    assert rep["signups"].sum() == len(ops.load_sample("users"))      # every signup counted


def test_compare_pages_matches_statsmodels_and_finds_b(data):
    v = data["visits"][data["visits"]["landing_page"] != "lp_invite"]
    r = traffic.compare_pages(v, lang="en").iloc[0]
    assert r["rate_treatment"] > r["rate_control"] and r["p_value"] < 1e-6
    lp = v.groupby("landing_page", observed=True)["signed_up"].mean()
    assert r["rate_control"] == lp["lp_a"] and r["rate_treatment"] == lp["lp_b"]
    assert r["diff_low"] > 0
    assert r["verdict"].startswith("lp_b converts better")
    assert traffic.compare_pages(v, lang="zh")["verdict"].iloc[0].startswith("lp_b 转化更好")
    small = traffic.compare_pages(pd.DataFrame({
        "landing_page": ["lp_a"] * 20 + ["lp_b"] * 20,
        "signed_up": [True] * 2 + [False] * 18 + [True] * 3 + [False] * 17}), lang="en").iloc[0]
    assert small["verdict"].startswith("No significant difference")
    with pytest.raises(ValueError, match="no visits with landing_page == 'lp_c'"):
        traffic.compare_pages(v, treatment="lp_c")


def test_conversion_drop_finds_xiaohongshu_on_april_20(data):
    out = traffic.conversion_drop(data["visits"], seed=1)
    top = out.iloc[0]
    assert top["channel"] == "xiaohongshu"
    # the planted day: daily noise at the sample's size moves the best split by a day in
    # about one draw in four (exact in ~75 %, within a day in ~95 %)
    assert abs(top["change_date"] - pd.Timestamp("2026-04-20")) <= pd.Timedelta(days=1)
    assert top["significant"] and top["rate_after"] < 0.5 * top["rate_before"]
    assert out["significant"].sum() == 1            # no false alarm on other channels


def test_conversion_drop_on_a_planted_toy():
    rng = np.random.default_rng(3)
    days = pd.date_range("2026-01-01", periods=60)
    rows = [{"visit_time": d, "channel": "x", "signed_up": rng.random() < (0.2 if i < 40 else 0.05)}
            for i, d in enumerate(days) for _ in range(50)]
    out = traffic.conversion_drop(pd.DataFrame(rows), min_days=7)
    assert out.iloc[0]["change_date"] == days[40]
    with pytest.raises(ValueError, match="permutations must be ≥ 19"):
        traffic.conversion_drop(pd.DataFrame(rows), permutations=5)


def test_budget_reallocation_recovers_elasticities_and_moves_money(data, truths):
    out = traffic.budget_reallocation(data["channel_daily"], data["visits"],
                                      lang="en").set_index("channel")
    planted = truths.planted["traffic"]["elasticity"]
    for ch, e in planted.items():
        assert out.loc[ch, "elasticity_low"] - 0.05 < e < out.loc[ch, "elasticity_high"] + 0.05
    assert out.loc["sem", "change_pct"] < 0                     # worst marginal CPA gives
    assert out["recommended_spend"].sum() == pytest.approx(out["spend_per_day"].sum(), rel=1e-4)
    assert out["expected_signups"].sum() > out["signups_per_day"].sum()
    assert out.loc["referral", "change_pct"] == 0                # pay-per-result: untouched
    assert (out["change_pct"].abs() <= 0.5 + 1e-9).all()
    sem = out.loc["sem"]
    assert sem["explanation"] == (f"cut sem by {abs(sem['change_pct']):.0%}: the next signup "
                                  f"costs {sem['marginal_cpa']:.0f} CNY (average "
                                  f"{sem['cpa']:.0f}); +1% spend → +{sem['elasticity']:.2f}% "
                                  "signups")
    zh = traffic.budget_reallocation(data["channel_daily"], data["visits"], lang="zh")
    assert zh.set_index("channel").loc["sem", "explanation"].startswith(
        f"sem 减投 {abs(sem['change_pct']):.0%}：下一个注册的成本")
    assert zh.set_index("channel").loc["referral", "explanation"].startswith("referral 保持不变")


def test_budget_holds_the_broken_channel_and_says_why(data):
    cd, v = data["channel_daily"], data["visits"]
    out = traffic.budget_reallocation(cd, v, lang="en").set_index("channel")
    assert out["status"].to_dict() == {"kol": "optimised", "feed_ads": "optimised",
                                       "xiaohongshu": "broken", "sem": "optimised",
                                       "referral": "fixed"}
    xhs = out.loc["xiaohongshu"]
    assert xhs["change_pct"] == 0 and xhs["recommended_spend"] == xhs["spend_per_day"]
    assert xhs["explanation"].startswith("hold xiaohongshu: its conversion fell from 9.")
    assert "on 2026-04-2" in xhs["explanation"]
    # today's level is the last 28 days, both ends included, and says so
    assert (out["end"] == pd.Timestamp("2026-06-30")).all()
    assert (out["start"] == pd.Timestamp("2026-06-03")).all()
    sem_days = cd[(cd.channel == "sem") & (cd.date >= "2026-06-03")]
    signed = v[(v.channel == "sem") & v.signed_up & (v.visit_time >= "2026-06-03")]
    assert out.loc["sem", "cpa"] == pytest.approx(sem_days.spend.sum() / len(signed),
                                                  rel=1e-12)
    # the money the held channel keeps is not moved: the others share the rest
    free = out[out["status"] == "optimised"]
    assert free["recommended_spend"].sum() == pytest.approx(free["spend_per_day"].sum(),
                                                            rel=1e-6)
    unchecked = traffic.budget_reallocation(cd, v, check_breaks=False).set_index("channel")
    assert unchecked.loc["xiaohongshu", "status"] == "optimised"
    assert unchecked.loc["xiaohongshu", "change_pct"] != 0
    mine = traffic.budget_reallocation(cd, v, hold=["kol"], lang="zh").set_index("channel")
    assert mine.loc["kol", "status"] == "held" and mine.loc["kol", "change_pct"] == 0
    assert mine.loc["kol", "explanation"].startswith("kol 暂不调整")
    with pytest.raises(ValueError, match=r"hold names \['tv'\], which are not paid"):
        traffic.budget_reallocation(cd, v, hold=["tv"])
    with pytest.raises(ValueError, match="cannot be reached within"):
        traffic.budget_reallocation(cd, v, budget=10_000)
    one = traffic.budget_reallocation(cd, v, hold="kol").set_index("channel")   # one name
    assert one.loc["kol", "status"] == "held"
    with pytest.raises(ValueError, match="needs 28\\+ days of visits"):
        traffic.budget_reallocation(cd, v, since="2026-06-10")
    short = traffic.budget_reallocation(cd, v, since="2026-06-10", check_breaks=False)
    assert (short["status"] != "broken").all()


def test_keyword_report_equals_plain_pandas(data, truths):
    st = data["search_terms"]
    out = traffic.keyword_report(st).set_index("keyword")
    g = st.groupby("keyword")
    want = pd.DataFrame({"impressions": g.impressions.sum(), "clicks": g.clicks.sum(),
                         "spend": g.cost.sum(), "signups": g.signups.sum(),
                         "revenue": g.paid.sum(),
                         "avg_position": (st.avg_position * st.impressions).groupby(
                             st.keyword).sum() / g.impressions.sum()})
    out = out.loc[want.index]
    for col in ("impressions", "clicks", "signups"):
        assert (out[col] == want[col]).all(), col
    for col in ("spend", "revenue", "avg_position"):
        np.testing.assert_allclose(out[col], want[col], rtol=1e-12, err_msg=col)
    np.testing.assert_allclose(out["cpa"], (want.spend / want.signups).where(
        want.signups > 0), rtol=1e-12)
    np.testing.assert_allclose(out["roi"], (want.revenue * 0.5 - want.spend) / want.spend,
                               rtol=1e-12)
    assert sorted(out.index[out["wasted"]]) == sorted(truths.wasted_keywords)
    assert out["spend_share"].sum() == pytest.approx(1, abs=1e-12)
    assert (out["start"] == pd.Timestamp("2026-01-01")).all()
    assert (out["end"] == pd.Timestamp("2026-06-30")).all()
    # a window of months: exactly the months asked for, both ends included
    spring = traffic.keyword_report(st, start="2026-03-01", end="2026-04-01")
    assert (spring["months"] == 2).all()
    assert spring["clicks"].sum() == st[st.month.between("2026-03-01", "2026-04-01")
                                         ].clicks.sum()
    assert (spring["end"] == pd.Timestamp("2026-04-30")).all()
    with pytest.raises(ValueError, match="no rows between 2027-01-01"):
        traffic.keyword_report(st, start="2027-01-01", end="2027-02-01")


def test_kol_report_equals_plain_pandas_and_finds_the_kol_to_renew(data, truths):
    kp = data["kol_posts"]
    out = traffic.kol_report(kp).set_index("kol_name")
    g = kp.groupby("kol_name")
    engaged = kp[["likes", "comments", "shares", "saves"]].sum(axis=1).groupby(kp.kol_name).sum()
    np.testing.assert_allclose(out.loc[g.fee.sum().index, "cpm"],
                               g.fee.sum() / g.reads.sum() * 1000, rtol=1e-12)
    np.testing.assert_allclose(out.loc[engaged.index, "cpe"], g.fee.sum() / engaged,
                               rtol=1e-12)
    np.testing.assert_allclose(out.loc[engaged.index, "cost_per_order"],
                               g.fee.sum() / g.orders.sum(), rtol=1e-12)
    assert out["posts"].sum() == len(kp)
    assert out["cost_per_order"].idxmin() == truths.kol_to_renew
    assert out["engagement_rate"].idxmin() == truths.kol_inflated_reads
    assert out["cpm"].idxmin() != truths.kol_to_renew
    posts = traffic.kol_report(kp, by="post_id")
    assert len(posts) == len(kp) and posts["spend"].sum() == pytest.approx(kp.fee.sum())
    with pytest.raises(ValueError, match="by must be 'kol_name' or 'post_id'"):
        traffic.kol_report(kp, by="platform")
    with pytest.raises(ops.SchemaError, match=r"kol_report\(kol_posts\) needs column"):
        traffic.kol_report(kp.drop(columns="reads"))


def test_attribution_by_hand_and_conserves_signups(data):
    v = pd.DataFrame({"visitor_id": [1, 1, 1, 2, 3], "signed_up": [False, False, True, True, False],
                      "visit_time": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03",
                                                    "2026-01-01", "2026-01-01"]),
                      "channel": ["kol", "feed_ads", "sem", "sem", "seo"]})
    out = traffic.attribution(v)
    assert out.columns[0] == "channel" and out["channel"].tolist()[0] == "sem"
    out = out.set_index("channel")
    assert out.loc["kol"].tolist() == pytest.approx([1.0, 0.0, 1 / 3, 0.4], abs=1e-12)
    assert out.loc["feed_ads"].tolist() == pytest.approx([0.0, 0.0, 1 / 3, 0.2], abs=1e-12)
    assert "seo" not in out.index                               # never converted
    full = traffic.attribution(data["visits"]).set_index("channel")
    signups = int(data["visits"]["signed_up"].sum())
    assert np.allclose(full.sum(), signups, atol=0.01)
    # last-touch flatters search, first-touch credits awareness channels
    assert full.loc["sem", "last_touch"] > full.loc["sem", "first_touch"]
    assert full.loc["kol", "first_touch"] > full.loc["kol", "last_touch"]
    paths = traffic.touch_paths(v)
    assert paths.set_index("visitor_id").loc[1, "path"] == "kol > feed_ads > sem"


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match=r"uv_pv needs column\(s\) \['visitor_id'\]"):
        traffic.uv_pv(tiny_visits().drop(columns="visitor_id"))
    with pytest.raises(KeyError, match=r"channel_report\(orders\) needs column\(s\) \['paid'\]"):
        traffic.channel_report(pd.DataFrame(columns=["date", "channel", "spend", "impressions",
                                                     "clicks"]), tiny_visits(),
                               pd.DataFrame({"user_id": [1]}))
