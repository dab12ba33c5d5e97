"""opshelpers.community: hand-worked examples, planted facts, text tagging, bad inputs."""

import json

import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import community as cm

T = pd.to_datetime


@pytest.fixture(scope="module")
def s():
    names = ("users", "events", "orders", "community_members", "community_daily",
             "points_ledger", "feedback")
    return {n: ops.load_sample(n) for n in names}


def tiny():
    members = pd.DataFrame({"user_id": [1, 2, 3, 4], "group_id": ["a", "a", "a", "b"],
                            "group_type": ["deals", "deals", "deals", "interest"],
                            "join_date": T(["2026-01-01"] * 3 + ["2026-01-03"]),
                            "leave_date": T([None, None, "2026-01-06", None])})
    daily = pd.DataFrame({"date": T(["2026-01-05", "2026-01-05", "2026-01-06", "2026-01-07"]),
                          "group_id": ["a", "a", "a", "a"], "user_id": [1, 2, 1, 1],
                          "messages": [9, 1, 5, 0], "checkins": [0, 0, 1, 1],
                          "replies_received": [3, 0, 1, 0]})
    return members, daily


def test_group_health_by_hand():
    members, daily = tiny()
    gh = cm.group_health(members, daily, freq="W").set_index(["period", "group_id"])
    wk = gh.loc[(pd.Timestamp("2026-01-05"), "a")]
    assert wk[["members", "active_members", "messages", "leaves"]].tolist() == [3, 2, 15, 1]
    assert wk["top10_share"] == pytest.approx(14 / 15, abs=1e-3)   # one person talks
    assert wk["messages_per_active"] == 7.5
    silent = gh.loc[(pd.Timestamp("2026-01-05"), "b")]
    assert silent[["members", "active_members", "messages"]].tolist() == [1, 0, 0]


def test_bad_members_after_data_end():
    members, daily = tiny()
    late = pd.concat([members, pd.DataFrame({"user_id": [9], "group_id": ["a"],
                                             "group_type": ["deals"],
                                             "join_date": T(["2026-02-01"])})])
    with pytest.raises(ValueError, match="1 member\\(s\\) joined after the last day"):
        cm.group_health(late, daily)


def test_streaks_by_hand():
    _, daily = tiny()
    st = cm.checkin_streaks(daily).set_index("user_id")
    assert st.loc[1, "longest_streak"] == 2 and st.loc[1, "checkin_days"] == 2


def test_challenge_lifts_then_decays(s, truths):
    c = truths.planted["community"]["challenge"]
    out = cm.challenge_effect(s["community_members"], s["community_daily"],
                              truths.challenge_groups, *c).set_index(["arm", "period"])
    during = out.loc[("challenge", "during")]
    assert during["lift_vs_other"] > 1.4
    assert during["messages_per_member_day_low"] > out.loc[
        ("challenge", "before"), "messages_per_member_day_high"] * 0.95
    after = out.loc[("challenge", "after"), "lift_vs_other"]
    assert after - 1 < 0.5 * (during["lift_vs_other"] - 1)          # most of the lift is gone
    with pytest.raises(ValueError, match="have no members"):
        cm.challenge_effect(s["community_members"], s["community_daily"], ["g99"], *c)


def test_membership_gap_is_mostly_selection(s):
    out = cm.membership_effect(s["users"], s["events"], s["community_members"]).set_index("method")
    assert out.loc["naive", "gap"] > 0.15
    for method in ("exact", "propensity"):
        assert 0.2 < out.loc[method, "share_of_naive_gap"] < 0.5        # ≈ one third
        assert out.loc[method, "gap"] > 0                               # a real, smaller effect


def test_koc_concentration(s, truths):
    rank = cm.koc_ranking(s["users"], s["community_members"], s["community_daily"])
    n_members = s["community_members"]["user_id"].nunique()
    assert len(rank) == n_members
    total_referrals = s["users"]["referrer_id"].notna().sum()
    conc = cm.concentration(rank["referral_signups"], total=total_referrals).set_index("top_share")
    assert conc.loc[0.02, "total_share"] == pytest.approx(0.30, abs=0.07)
    top = rank.head(len(truths.koc_user_ids))["user_id"]
    assert top.isin(truths.koc_user_ids).mean() > 0.8


def test_concentration_by_hand():
    c = cm.concentration(pd.Series([5, 3, 1, 1]), shares=(0.25, 0.5), total=20)
    assert c["top_n"].tolist() == [1, 2] and c["total_share"].tolist() == [0.25, 0.4]


def test_deals_convert_interest_retain(s):
    conv = cm.group_conversion(s["community_members"], s["orders"]).set_index("group_type")
    assert conv.loc["deals", "buyer_rate"] > conv.loc["interest", "buyer_rate"]
    assert conv.loc["deals", "gmv_per_member_low"] > conv.loc["interest", "gmv_per_member"]
    members, daily = tiny()
    orders = pd.DataFrame({"user_id": [1, 1, 4], "paid": [10.0, 30.0, 7.0],
                           "order_time": T(["2025-12-31", "2026-01-02", "2026-01-04"])})
    hand = cm.group_conversion(members, orders).set_index("group_type")
    assert hand.loc["deals", ["members", "buyers", "orders", "gmv"]].tolist() == [3, 1, 1, 30.0]


def test_points_and_tiers(s):
    pl = cm.points_liability(s["points_ledger"])
    assert pl["outstanding"].is_monotonic_increasing
    assert pl["outstanding"].iloc[-1] == s["points_ledger"]["points"].sum()
    assert pl["liability_cny"].iloc[-1] == pytest.approx(pl["outstanding"].iloc[-1] / 100)
    tr = cm.tier_transitions(s["points_ledger"])
    assert set(tr["from_tier"]) <= {"bronze", "silver"}               # tiers never drop
    rep = cm.repeat_by_tier(s["points_ledger"], s["orders"]).set_index("tier")["repeat_rate"]
    assert rep["gold"] > rep["silver"] > rep["bronze"]


def test_tag_themes_mixed_traditional_empty():
    fb = pd.DataFrame({"text": ["發貨太慢", "Shipping was SLOW but the taste is great", "",
                                None, "价格不划算", "包裝很精緻"]})
    tg = cm.tag_themes(fb)
    assert tg["themes"].tolist() == ["shipping", "taste,shipping", "", "", "price",
                                     "packaging"]
    assert tg.loc[0, "theme_shipping"] and tg.loc[1, "theme_shipping"] and tg.loc[1, "theme_taste"]
    assert not tg.loc[[2, 3], [c for c in tg if c.startswith("theme_")]].any().any()
    assert tg.loc[4, "sentiment"] == -1                 # 不划算: one negative, not +1 −1
    assert tg.loc[5, "theme_packaging"] and tg.loc[5, "sentiment"] == 1


def test_custom_dictionary(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"themes": {"app": ["闪退", "crash"]}}), encoding="utf-8")
    tg = cm.tag_themes(pd.DataFrame({"text": ["又闪退了", "ok"]}), cm.load_themes(p))
    assert tg["theme_app"].tolist() == [True, False]
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a 'themes' object"):
        cm.load_themes(bad)


def test_tags_agree_with_planted_themes(s, truths):
    tg = cm.tag_themes(s["feedback"])
    truth = s["feedback"]["feedback_id"].map(truths.feedback_theme)
    for theme in ("price", "taste", "packaging", "shipping", "service"):
        hit = tg[f"theme_{theme}"]
        assert (hit == (truth == theme)).mean() > 0.95, theme


def test_shipping_surge_found_on_may_20(s):
    surge = cm.theme_surge(cm.tag_themes(s["feedback"]))
    top = surge.iloc[0]
    assert top["theme"] == "shipping" and top["significant"]
    assert abs((top["change_date"] - pd.Timestamp("2026-05-20")).days) <= 3
    assert (surge["change"] > 0).all()


def test_needs_report_and_quotes(s):
    tg = cm.tag_themes(s["feedback"])
    rep = cm.needs_report(tg).set_index("theme")
    assert rep.loc["shipping", "complaint_share"] == rep["complaint_share"].max()
    assert rep.loc["shipping", "mean_score"] == rep["mean_score"].min()
    q = cm.quotes(tg, "shipping", n=3)
    assert len(q) == 3 and all(any(k in x for k in ("物流", "发货", "快递")) for x in q)
    with pytest.raises(ops.SchemaError, match="no column theme_logistics"):
        cm.quotes(tg, "logistics")
