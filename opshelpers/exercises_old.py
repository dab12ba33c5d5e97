"""Self-check for trainees: `check("q1_kol_march_signups", q1_kol_march_signups)`.

Every question's right answer is computed from the sample data when checked (never
stored as a literal), compared with a tolerance, and reported in one friendly line.
Feedback never reveals the expected value — it gives a hint instead — and an
unanswered question (`None` or `...`) is reported, never raised, so the trainee copies
of the notebooks run cleanly from top to bottom.

Taught in 00_start_here §How exercises work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from .io import load_sample


@dataclass(frozen=True)
class Question:
    qid: str
    lesson: str
    prompt: str
    solve: Callable[[], Any]          # computes the right answer from the sample
    kind: str = "number"              # number | text | set | date (tolerance in days)
    tolerance: float = 0.0            # absolute, for numbers
    hint: str = ""


def _kol_march_signups() -> int:
    u = load_sample("users")
    march = u["signup_time"].dt.month.eq(3)
    return int((march & u["channel"].eq("kol")).sum())


def _top_channel() -> str:
    return str(load_sample("users")["channel"].value_counts().idxmax())


def _buyer_share() -> float:
    return load_sample("orders")["user_id"].nunique() / len(load_sample("users"))


def _median_paid() -> float:
    return float(load_sample("orders")["paid"].median())


def _busiest_weekday() -> str:
    ev = load_sample("events")
    dau = ev.groupby(ev["event_time"].dt.normalize())["user_id"].nunique()
    return str(dau.groupby(dau.index.day_name()).mean().idxmax())


# ---- 01_traffic (plain pandas, independent of opshelpers.traffic)
def _sem_cpa() -> float:
    spend = load_sample("channel_daily").query("channel == 'sem'")["spend"].sum()
    signups = load_sample("visits").query("channel == 'sem'")["signed_up"].sum()
    return float(spend / signups)


def _best_roi_channel() -> str:
    cd, v, o = load_sample("channel_daily"), load_sample("visits"), load_sample("orders")
    spend = cd.groupby("channel")["spend"].sum()
    acquired = v.loc[v["signed_up"], ["user_id", "channel"]]
    revenue = o.merge(acquired, on="user_id").groupby("channel")["paid"].sum()
    media = [c for c in spend.index if spend[c] > 0 and c != "referral"]
    return str(((revenue[media] - spend[media]) / spend[media]).idxmax())


def _feed_bounce() -> float:
    return float(load_sample("visits").query("channel == 'feed_ads'")["bounced"].mean())


def _page_diff() -> float:
    v = load_sample("visits")
    rate = v[v["landing_page"].isin(["lp_a", "lp_b"])].groupby("landing_page")["signed_up"].mean()
    return float(rate["lp_b"] - rate["lp_a"])


def _xhs_drop_date() -> str:
    v = load_sample("visits").query("channel == 'xiaohongshu'")
    daily = v.groupby(v["visit_time"].dt.normalize())["signed_up"].agg(["sum", "size"])
    s, n = daily["sum"].cumsum(), daily["size"].cumsum()
    before = s / n
    after = (s.iloc[-1] - s) / (n.iloc[-1] - n)
    gap = (before - after)[14:-14]
    return str((gap.idxmax() + pd.Timedelta(days=1)).date())


def _first_touch_kol() -> float:
    v = load_sample("visits").sort_values(["visitor_id", "visit_time"])
    converters = v.loc[v["signed_up"], "visitor_id"]
    first = v[v["visitor_id"].isin(converters)].groupby("visitor_id")["channel"].first()
    return float((first == "kol").sum())


# ---- 02_users
def _cohort_users():
    users, events = load_sample("users"), load_sample("events")
    active = events.assign(day=events["event_time"].dt.normalize())[["user_id", "day"]]
    return users.assign(sd=users["signup_time"].dt.normalize()), active.drop_duplicates(), \
        active["day"].max()


def _d_retention(users, active, last, n) -> pd.DataFrame:
    u = users[users["sd"] + pd.Timedelta(days=n) <= last]
    hit = u.merge(active, left_on="user_id", right_on="user_id")
    hit = hit[hit["day"] == hit["sd"] + pd.Timedelta(days=n)]["user_id"]
    return u.assign(retained=u["user_id"].isin(hit))


def _d1_january() -> float:
    users, active, last = _cohort_users()
    r = _d_retention(users, active, last, 1)
    return float(r[r["signup_time"].dt.month == 1]["retained"].mean())


def _d7_lift() -> float:
    users, active, last = _cohort_users()
    r = _d_retention(users, active, last, 7)
    later = r["signup_time"] >= "2026-02-15"
    return float(r[later]["retained"].mean() - r[~later]["retained"].mean())


def _cart_to_purchase() -> float:
    e = load_sample("events")
    carted = set(e.loc[e["event"] == "add_to_cart", "user_id"])
    bought = set(e.loc[e["event"] == "purchase", "user_id"])
    return len(carted & bought) / len(carted)


def _june_one_event_sessions() -> float:
    e = load_sample("events").sort_values(["user_id", "event_time"])
    gap = e.groupby("user_id")["event_time"].diff()
    session = (gap.isna() | (gap > pd.Timedelta(minutes=30))).cumsum()
    s = e.groupby(session).agg(start=("event_time", "min"), n=("event", "size"))
    june = s[s["start"].dt.month == 6]
    return float((june["n"] == 1).mean())


def _champions_share() -> float:
    o = load_sample("orders")
    end = o["order_time"].max().normalize()
    c = o.groupby("user_id").agg(last=("order_time", "max"), n=("paid", "size"),
                                 m=("paid", "sum"))
    rec = (end - c["last"].dt.normalize()).dt.days
    top = (rec < rec.mean()) & (c["n"] > c["n"].mean()) & (c["m"] > c["m"].mean())
    return float(c.loc[top, "m"].sum() / c["m"].sum())


def _k_factor() -> float:
    u = load_sample("users")
    return float(u["referrer_id"].notna().sum() / len(u))


def _winback_lift() -> float:
    ab = load_sample("ab_assignments").query("experiment == 'winback_0510'")
    e = load_sample("events")
    t = e["event_time"]
    back = e.loc[(t >= "2026-05-10") & (t < "2026-05-24"), "user_id"]
    rate = ab.assign(back=ab["user_id"].isin(back)).groupby("variant")["back"].mean()
    return float(rate["message"] - rate["holdout"])


# ---- 03_community
CHALLENGE = ("2026-04-06", "2026-04-26")


def _g07_posters() -> int:
    d = load_sample("community_daily")
    w = d[(d["group_id"] == "g07") & d["date"].between(*CHALLENGE) & (d["messages"] > 0)]
    return int(w["user_id"].nunique())


def _during_vs_before() -> float:
    from .phrases import CHALLENGE_GROUPS

    d = load_sample("community_daily")
    d = d[d["group_id"].isin(CHALLENGE_GROUPS)]
    during = d[d["date"].between(*CHALLENGE)]["messages"].sum()
    before = d[d["date"].between("2026-03-16", "2026-04-05")]["messages"].sum()
    return float(during / before)


def _matched_share() -> float:
    from .community import membership_effect

    out = membership_effect(load_sample("users"), load_sample("events"),
                            load_sample("community_members")).set_index("method")
    return float(out.loc["exact", "share_of_naive_gap"])


def _top2_referral_share() -> float:
    u, m = load_sample("users"), load_sample("community_members")
    refs = u["referrer_id"].dropna().value_counts()
    members = m["user_id"].drop_duplicates()
    per = members.map(refs).fillna(0).sort_values(ascending=False)
    top = per.head(max(1, round(0.02 * len(members)))).sum()
    return float(top / u["referrer_id"].notna().sum())


def _deals_buyer_rate() -> float:
    m = load_sample("community_members").sort_values("join_date").drop_duplicates("user_id")
    o = load_sample("orders").merge(m, on="user_id")
    bought = o[o["order_time"] >= o["join_date"]]["user_id"].unique()
    deals = m[m["group_type"] == "deals"]
    return float(deals["user_id"].isin(bought).mean())


def _liability_cny() -> float:
    return float(load_sample("points_ledger")["points"].sum() * 0.01)


def _surge_date() -> str:
    from .community import tag_themes, theme_surge

    surge = theme_surge(tag_themes(load_sample("feedback")))
    return str(surge.set_index("theme").loc["shipping", "change_date"].date())


# ---- 04_content
def _douyin_completion() -> float:
    p = load_sample("posts")
    return float(p[(p["account"] == "chayu") & (p["platform"] == "douyin")]
                 ["completion_rate"].mean())


def _best_share_topic() -> str:
    p = load_sample("posts")
    g = p.groupby("topic")[["shares", "reads"]].sum()
    return str((g["shares"] / g["reads"]).idxmax())


def _number_ctr_ratio() -> float:
    p = load_sample("posts")
    ctr = p["reads"] / p["impressions"]
    digits = p["title"].str.contains(r"\d")
    return float(ctr[digits].mean() / ctr[~digits].mean())


def _viral_post_id() -> int:
    p = load_sample("posts")
    rel = p["reads"] / p.groupby("platform")["reads"].transform("median")
    return int(p.loc[rel.idxmax(), "post_id"])


def _our_risky_titles() -> int:
    from .content import check_titles

    p = load_sample("posts")
    found = check_titles(p[p["account"] == "chayu"])
    return int(found.loc[found["severity"] == "high", "post_id"].nunique())


def _shanjian_per_week() -> float:
    p = load_sample("posts")
    x = p[p["platform"] == "xiaohongshu"]
    weeks = (x["publish_time"].max() - x["publish_time"].min()).days / 7
    return float((x["account"] == "competitor_shanjian").sum() / weeks)


# ---- 05_activity
def _burst_gmv() -> float:
    o = load_sample("orders")
    return float(o.loc[o["order_time"].between("2026-06-11", "2026-06-18 23:59:59"),
                       "gmv"].sum())


def _burst_lift() -> float:
    o = load_sample("orders")
    daily = o.groupby(o["order_time"].dt.normalize())["gmv"].sum()
    base = daily["2026-05-11":"2026-05-31"].mean()
    return float(daily["2026-06-11":"2026-06-18"].mean() / base - 1)


def _ring_accounts() -> int:
    return int(load_sample("orders").groupby("device_id")["user_id"].nunique().max())


def _checkout_outcomes() -> pd.DataFrame:
    ab = load_sample("ab_assignments").query("experiment == 'checkout_button'")
    o = load_sample("orders")
    m = ab.merge(o[["user_id", "order_time", "paid"]], on="user_id", how="left")
    m = m[(m["order_time"] >= m["assigned_time"]) & (m["order_time"] < "2026-05-13")]
    pre = o[o["order_time"] < "2026-04-01"].groupby("user_id")["paid"].sum()
    return ab.assign(converted=ab["user_id"].isin(m["user_id"]),
                     revenue=ab["user_id"].map(m.groupby("user_id")["paid"].sum()).fillna(0),
                     pre=ab["user_id"].map(pre).fillna(0))


def _checkout_diff() -> float:
    rate = _checkout_outcomes().groupby("variant")["converted"].mean()
    return float(rate["B"] - rate["A"])


def _variance_reduction() -> float:
    d = _checkout_outcomes()
    return float(np.corrcoef(d["pre"], d["revenue"])[0, 1] ** 2)


def _srm_experiment() -> str:
    from scipy.stats import chisquare

    ab = load_sample("ab_assignments")
    tests = ab[ab["experiment"] != "winback_0510"]
    p = tests.groupby("experiment")["variant"].apply(lambda v: chisquare(v.value_counts()).pvalue)
    return str(p.idxmin())


def _sample_size_needed() -> float:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    es = proportion_effectsize(0.185, 0.17)
    return float(np.ceil(NormalIndPower().solve_power(effect_size=abs(es), alpha=0.05,
                                                      power=0.8)))


# ---- 06_data
def _daily_dau() -> pd.Series:
    e = load_sample("events")
    return e.groupby(e["event_time"].dt.normalize())["user_id"].nunique()


def _dip_change() -> float:
    dau = _daily_dau()
    return float(dau["2026-03-10":"2026-03-16"].mean() / dau["2026-03-03":"2026-03-09"].mean()
                 - 1)


def _june_stickiness() -> float:
    e = load_sample("events")
    day = e["event_time"].dt.normalize()
    ratios = []
    for d in pd.date_range("2026-06-01", "2026-06-30"):
        mau = e.loc[(day > d - pd.Timedelta(days=30)) & (day <= d), "user_id"].nunique()
        ratios.append(e.loc[day == d, "user_id"].nunique() / mau)
    return float(np.mean(ratios))


def _dip_driver() -> str:
    e = load_sample("events").merge(load_sample("users")[["user_id", "channel"]])
    day = e["event_time"].dt.normalize()
    active = e.assign(day=day).drop_duplicates(["user_id", "day"])
    before = active[active["day"].between("2026-03-03", "2026-03-09")]["channel"].value_counts()
    after = active[active["day"].between("2026-03-10", "2026-03-16")]["channel"].value_counts()
    return str((after - before).idxmin())


def _may_day_dau() -> int:
    return int(_daily_dau()["2026-05-01"])


def _top_factor() -> str:
    o = load_sample("orders")
    dau = _daily_dau()

    def level(lo, hi):
        d = o[o["order_time"].dt.normalize().between(lo, hi)]
        days = len(pd.date_range(lo, hi))
        users = dau[lo:hi].mean()
        payers = d.groupby(d["order_time"].dt.normalize())["user_id"].nunique().sum() / days
        n, g = len(d) / days, d["gmv"].sum() / days
        return {"dau": users, "paying_rate": payers / users, "orders_per_payer": n / payers,
                "aov": g / n, "gmv": g}

    a, b = level("2026-05-11", "2026-05-31"), level("2026-06-11", "2026-06-18")
    lm = (b["gmv"] - a["gmv"]) / (np.log(b["gmv"]) - np.log(a["gmv"]))
    contrib = {k: lm * np.log(b[k] / a[k]) for k in ("dau", "paying_rate",
                                                     "orders_per_payer", "aov")}
    return max(contrib, key=contrib.get)


def _cart_abandon() -> float:
    e = load_sample("events")
    carted = set(e.loc[e["event"] == "add_to_cart", "user_id"])
    checked = set(e.loc[e["event"] == "checkout", "user_id"])
    return len(carted - checked) / len(carted)


# ---- 07_capstone_weekly_review (week 2026-04-20 … 04-26)
WEEK, LAST = ("2026-04-20", "2026-04-26"), ("2026-04-13", "2026-04-19")


def _week_dau() -> float:
    return float(_daily_dau()[WEEK[0]:WEEK[1]].mean())


def _week_gmv_wow() -> float:
    o = load_sample("orders")
    day = o["order_time"].dt.normalize()
    return float(o.loc[day.between(*WEEK), "paid"].sum() / o.loc[day.between(*LAST),
                                                                 "paid"].sum() - 1)


def _week_signups(visits, window):
    day = visits["visit_time"].dt.normalize()
    return visits[day.between(*window)].groupby("channel")["signed_up"].sum()


def _worst_channel() -> str:
    v = load_sample("visits")
    return str((_week_signups(v, WEEK) - _week_signups(v, LAST)).idxmin())


def _xhs_cvr_week() -> float:
    v = load_sample("visits")
    x = v[(v["channel"] == "xiaohongshu") & v["visit_time"].dt.normalize().between(*WEEK)]
    return float(x["signed_up"].mean())


def _lost_signups() -> float:
    v = load_sample("visits")
    x = v[v["channel"] == "xiaohongshu"]
    day = x["visit_time"].dt.normalize()
    before = x[day.between("2026-03-23", "2026-04-19")]["signed_up"].mean()
    week = x[day.between(*WEEK)]
    return float(len(week) * before - week["signed_up"].sum())


def _ending_campaign() -> str:
    c = load_sample("campaigns")
    ends = c[c["end_date"].between(*WEEK)]
    return str(ends["campaign_id"].iloc[0])


QUESTIONS: dict[str, Question] = {q.qid: q for q in [
    Question("q1_kol_march_signups", "00_start_here",
             "How many users signed up through the KOL channel in March 2026?",
             _kol_march_signups, "number", 0,
             "filter users on signup month == 3 and channel == 'kol', then count rows"),
    Question("q2_top_channel", "00_start_here",
             "Which acquisition channel brought the most users over the half-year?",
             _top_channel, "text", 0,
             "value_counts() on users.channel; answer with the channel's name as a string"),
    Question("q3_buyer_share", "00_start_here",
             "What share of registered users placed at least one order? (fraction 0–1)",
             _buyer_share, "number", 0.002,
             "distinct user_id in orders divided by the number of users; a fraction, not %"),
    Question("q4_median_paid", "00_start_here",
             "What is the median amount paid per order, in CNY?",
             _median_paid, "number", 0.5,
             "use the paid column (after discounts), and the median, not the mean"),
    Question("q5_busiest_weekday", "00_start_here",
             "On which day of the week is average DAU highest? (e.g. 'Monday')",
             _busiest_weekday, "text", 0,
             "DAU per date first (nunique users per day), then average by day_name()"),
    Question("q1_sem_cpa", "01_traffic", "SEM's cost per signup (CPA) over the half-year, CNY",
             _sem_cpa, "number", 0.5, "total SEM spend divided by SEM signups (visits that "
             "signed up)"),
    Question("q2_best_roi_channel", "01_traffic",
             "Which paid media channel has the highest ROI? (referral rewards excluded)",
             _best_roi_channel, "text", 0, "ROI = (revenue of the users a channel brought − "
             "spend) / spend; compare sem, feed_ads, kol, xiaohongshu"),
    Question("q3_feed_bounce", "01_traffic", "Bounce rate of feed_ads visits (fraction)",
             _feed_bounce, "number", 0.002, "mean of the bounced column for feed_ads visits"),
    Question("q4_page_diff", "01_traffic",
             "CVR of lp_b minus CVR of lp_a (fraction, all channel traffic)",
             _page_diff, "number", 0.002, "signed_up mean per landing page, lp_invite left "
             "out; B minus A as a fraction, not percent"),
    Question("q5_xhs_drop_date", "01_traffic",
             "From which date (YYYY-MM-DD) did Xiaohongshu's conversion fall?",
             _xhs_drop_date, "text", 0, "use ops.traffic.conversion_drop, or compare daily "
             "CVR before/after each candidate day"),
    Question("q6_first_touch_kol", "01_traffic",
             "How many signups does first-touch attribution credit to kol?",
             _first_touch_kol, "number", 0.5, "first channel of each converting visitor's "
             "path (ops.traffic.attribution)"),
    Question("q1_d1_january", "02_users", "D1 retention of the users who signed up in January",
             _d1_january, "number", 0.002, "active on exactly the day after signup; the "
             "denominator is January's signups"),
    Question("q2_d7_lift", "02_users",
             "D7 retention of signups from 2026-02-15 on minus D7 of earlier signups (fraction)",
             _d7_lift, "number", 0.004, "leave out users whose day 7 is after the data end; "
             "answer as a fraction like 0.05"),
    Question("q3_cart_to_purchase", "02_users",
             "Of users who ever added to cart, what share ever purchased?",
             _cart_to_purchase, "number", 0.002, "two sets of user_ids, their intersection "
             "over the cart set"),
    Question("q4_champions_share", "02_users",
             "Revenue share of 重要价值客户 (R, F, M all better than the mean)",
             _champions_share, "number", 0.005, "ops.users.rfm_segments then "
             "ops.users.segment_summary; revenue_share of 重要价值客户"),
    Question("q5_k_factor", "02_users", "Chayu's viral K-factor over the half-year",
             _k_factor, "number", 0.002, "invites per user × invite conversion = referred "
             "signups / users"),
    Question("q6_winback_lift", "02_users",
             "Reactivation within 14 days of 2026-05-10: message minus holdout (fraction)",
             _winback_lift, "number", 0.003, "active any day 05-10 … 05-23; compare the "
             "two variants of winback_0510"),
    Question("q7_one_event_june", "02_users",
             "Share of June's sessions (30-minute gap, by start date) with only one event",
             _june_one_event_sessions, "number", 0.002, "split each user's events where "
             "the gap exceeds 30 minutes (ops.users.sessions); keep sessions starting in June"),
    Question("q1_g07_posters", "03_community",
             "How many members posted at least one message in g07 during the challenge?",
             _g07_posters, "number", 0, "community_daily rows of g07 from 04-06 to 04-26 with "
             "messages > 0; count distinct user_id"),
    Question("q2_during_vs_before", "03_community",
             "Messages in the challenge groups during the challenge ÷ the 21 days before",
             _during_vs_before, "number", 0.01, "sum messages of the four challenge groups "
             "in each window (03-16…04-05 and 04-06…04-26), then divide"),
    Question("q3_matched_share", "03_community",
             "The exact-matching gap as a share of the naive member gap",
             _matched_share, "number", 0.01, "community.membership_effect, method 'exact', "
             "column share_of_naive_gap"),
    Question("q4_top2_referral_share", "03_community",
             "Share of all referral signups brought by the top 2 % of members",
             _top2_referral_share, "number", 0.005, "referral signups per member, top 2 % "
             "of members, divided by *all* referral signups (members or not)"),
    Question("q5_deals_buyer_rate", "03_community",
             "Share of deals-group (福利群) members who ordered after joining",
             _deals_buyer_rate, "number", 0.003, "orders on or after join_date; each member "
             "counted once (first group joined)"),
    Question("q6_liability_cny", "03_community",
             "Outstanding points at the end of June, in CNY (1 point = 0.01 CNY)",
             _liability_cny, "number", 1.0, "sum of all points movements × 0.01"),
    Question("q7_surge_date", "03_community",
             "From which date (YYYY-MM-DD) did shipping complaints surge?",
             _surge_date, "date", 3, "community.theme_surge on tagged feedback"),
    Question("q1_douyin_completion", "04_content",
             "Mean completion rate of Chayu's Douyin videos", _douyin_completion, "number",
             0.002, "our account only, platform douyin, mean of completion_rate"),
    Question("q2_best_share_topic", "04_content", "Which topic has the highest share rate?",
             _best_share_topic, "text", 0, "pool first: total shares / total reads per topic"),
    Question("q3_number_ctr_ratio", "04_content",
             "Mean CTR of titles with a number ÷ mean CTR of titles without (all posts)",
             _number_ctr_ratio, "number", 0.02, "CTR = reads / impressions per post; "
             "a digit anywhere in the title counts"),
    Question("q4_viral_post_id", "04_content", "The post_id of the viral post (爆款)",
             _viral_post_id, "number", 0, "reads relative to the platform's median; "
             "content.viral_posts"),
    Question("q5_our_risky_titles", "04_content",
             "How many of Chayu's own posts have a high-severity advertising-law word?",
             _our_risky_titles, "number", 0, "content.check_titles on our posts, severity "
             "'high', distinct post_id"),
    Question("q6_shanjian_per_week", "04_content",
             "competitor_shanjian's Xiaohongshu posts per week", _shanjian_per_week,
             "number", 0.1, "posts ÷ weeks covered by all Xiaohongshu posts in the data"),
    Question("q1_burst_gmv", "05_activity", "Total GMV during the 618 burst (06-11 … 06-18)",
             _burst_gmv, "number", 1.0, "sum gmv (before discounts) of orders on those days"),
    Question("q2_burst_lift", "05_activity",
             "Burst GMV per day ÷ mean daily GMV of 05-11 … 05-31, minus 1",
             _burst_lift, "number", 0.02, "daily GMV first, then the two means"),
    Question("q3_ring_accounts", "05_activity",
             "How many accounts share the most-shared device?", _ring_accounts, "number", 0,
             "distinct user_id per device_id in orders; the maximum"),
    Question("q4_checkout_diff", "05_activity",
             "Checkout test: conversion of B minus A (fraction)", _checkout_diff, "number",
             0.002, "converted = an order after assignment, up to 2026-05-12"),
    Question("q5_variance_reduction", "05_activity",
             "CUPED variance reduction on test revenue with pre-April revenue as covariate",
             _variance_reduction, "number", 0.01, "1 − var(adjusted)/var(raw) = corr(x, y)²"),
    Question("q6_srm_experiment", "05_activity", "Which A/B test has a sample-ratio mismatch?",
             _srm_experiment, "text", 0, "χ² test of the variant counts of each test"),
    Question("q7_sample_size", "05_activity",
             "Users per arm to detect 17 % → 18.5 % with 80 % power, α = 0.05",
             _sample_size_needed, "number", 5, "experiments.sample_size(0.17, 0.015)"),
    Question("q1_dip_change", "06_data",
             "Mean DAU of 03-10…03-16 vs 03-03…03-09, as a change (e.g. −0.05)",
             _dip_change, "number", 0.005, "daily DAU first, then the two weekly means"),
    Question("q2_june_stickiness", "06_data", "Mean DAU/MAU (30-day MAU) over June",
             _june_stickiness, "number", 0.003, "monitor.stickiness, then the June mean"),
    Question("q3_dip_driver", "06_data",
             "Which acquisition channel's users explain most of the March DAU dip?",
             _dip_driver, "text", 0, "monitor.drill_down on active user-days by channel"),
    Question("q4_may_day_dau", "06_data", "With SQL: how many users were active on 2026-05-01?",
             _may_day_dau, "number", 0, "SELECT count(DISTINCT user_id) … WHERE "
             "CAST(event_time AS DATE) = '2026-05-01'"),
    Question("q5_top_factor", "06_data",
             "Which GMV-tree factor contributed most to the 618-burst GMV rise "
             "(vs 05-11…05-31)?", _top_factor, "text", 0,
             "monitor.kpi_tree with the two date ranges; the largest contribution"),
    Question("q6_cart_abandon", "06_data",
             "Share of users who added to cart but never reached checkout",
             _cart_abandon, "number", 0.002, "users with add_to_cart minus users with "
             "checkout, over users with add_to_cart"),
    Question("q1_week_dau", "07_capstone_weekly_review", "Mean DAU in the week of 20 April",
             _week_dau, "number", 0.5, "daily DAU 04-20 … 04-26, then the mean"),
    Question("q2_week_gmv_wow", "07_capstone_weekly_review",
             "Revenue (paid amount) this week vs last week, as a change", _week_gmv_wow,
             "number", 0.003, "sum paid per week (Mon–Sun), this / last − 1"),
    Question("q3_worst_channel", "07_capstone_weekly_review",
             "Which channel lost the most signups week over week?", _worst_channel, "text",
             0, "signups per channel this week minus last week; the most negative"),
    Question("q4_xhs_cvr_week", "07_capstone_weekly_review",
             "Xiaohongshu's visit → signup conversion this week", _xhs_cvr_week, "number",
             0.002, "mean of signed_up for its visits this week"),
    Question("q5_lost_signups", "07_capstone_weekly_review",
             "Signups lost this week if XHS had kept its CVR of the 4 weeks before",
             _lost_signups, "number", 3.0, "this week's XHS visits × CVR of 03-23 … 04-19, "
             "minus this week's XHS signups"),
    Question("q6_ending_campaign", "07_capstone_weekly_review",
             "Which campaign ended this week? (campaign_id)", _ending_campaign, "text", 0,
             "campaigns whose end_date falls in the week"),
]}


def _unanswered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _matches(q: Question, answer: Any) -> bool:
    expected = q.solve()
    if q.kind == "text":
        return str(answer).strip().lower() == str(expected).strip().lower()
    if q.kind == "date":
        try:
            days = abs((pd.Timestamp(answer) - pd.Timestamp(expected)).days)
        except (TypeError, ValueError):
            return False
        return days <= q.tolerance
    if q.kind == "set":
        return {str(a).lower() for a in answer} == {str(e).lower() for e in expected}
    if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
        answer = answer.squeeze()
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(value) and abs(value - float(expected)) <= q.tolerance + 1e-9)


def feedback(question_id: str, answer: Any) -> tuple[str, str]:
    """(status, message) for one answer; status is 'passed', 'not yet' or 'unanswered'."""
    if question_id not in QUESTIONS:
        raise KeyError(f"unknown question {question_id!r}; questions: {', '.join(QUESTIONS)}")
    q = QUESTIONS[question_id]
    if _unanswered(answer):
        return "unanswered", f"⏳ {question_id}: no answer yet — set {question_id} = ..."
    if _matches(q, answer):
        return "passed", f"✅ {question_id}: checks passed."
    return "not yet", f"❌ {question_id}: not yet. Hint: {q.hint}."


def check(question_id: str, answer: Any) -> None:
    """Print friendly feedback on one answer (never raises for a missing answer)."""
    print(feedback(question_id, answer)[1])


def check_all(namespace: dict, lesson: str) -> None:
    """Check every question of a lesson against the variables in `namespace` (globals())."""
    results = [feedback(q.qid, namespace.get(q.qid)) for q in QUESTIONS.values()
               if q.lesson == lesson]
    if not results:
        raise KeyError(f"no questions for lesson {lesson!r}")
    for _, message in results:
        print(message)
    passed = sum(status == "passed" for status, _ in results)
    print(f"{passed} of {len(results)} checks passed.")
