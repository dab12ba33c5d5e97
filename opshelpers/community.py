"""Community operations (社群运营): groups, challenges, KOC, membership, points, user voice.

Inputs use the sample's columns: `community_members` (user_id, group_id, group_type,
join_date, leave_date), `community_daily` (date, group_id, user_id, messages, checkins,
replies_received), `points_ledger`, `feedback` (created_time, text, score).

Taught in 03_community.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from . import arrays
from .changes import rate_changes
from .io import load_word_list
from .metrics import add_rate, ratio, require, two_proportions
from .quality import SchemaError

from .compat import days_as_duration, renamed
from .events import early_and_follow_up

__all__ = ["group_health", "checkin_streaks", "challenge_effect", "membership_effect",
           "koc_ranking", "concentration", "group_conversion", "points_liability",
           "tier_transitions", "repeat_by_tier", "tier_threshold_jump", "tier_change",
           "satisfaction_by_source", "load_group_rules", "flag_violations",
           "moderation_summary", "pool_size", "push_report", "push_fatigue",
           "load_themes", "tag_themes",
           "theme_trend", "theme_surge", "quotes", "needs_report"]


def _check_members(members: pd.DataFrame, data_end: pd.Timestamp, what: str) -> None:
    require(members, ["user_id", "group_id", "join_date"], what)
    late = members["join_date"] > data_end
    if late.any():
        raise ValueError(f"{what}: {int(late.sum())} member(s) joined after the last day of "
                         f"activity data ({data_end.date()}); filter members to the same "
                         "date range as the activity")


# ------------------------------------------------------------------ group health
def group_health(members: pd.DataFrame, daily: pd.DataFrame, freq: str = "W"
                 ) -> pd.DataFrame:
    """Per group and period: members, active members, messages, concentration, joins/leaves.

    `members` counts who belonged at any time in the period; `active_members` those with
    ≥ 1 message or check-in; `top10_share` is the share of the period's messages sent
    by the most active 10 % of its members (is the group one person talking?). Groups
    without any message still appear, with zeros.

    Taught in 03_community §Group health.
    """
    require(daily, ["date", "group_id", "user_id", "messages", "checkins"], "group_health")
    last = daily["date"].max()
    _check_members(members, last, "group_health")
    spans = arrays.periods_between(min(members["join_date"].min(), daily["date"].min()), last,
                                   freq)
    rows = []
    leave = members["leave_date"] if "leave_date" in members else pd.Series(pd.NaT,
                                                                            members.index)
    for lo, hi in zip(spans["start"], spans["end"]):
        present = members[(members["join_date"] <= hi) & (leave.isna() | (leave > lo))]
        joins = members[(members["join_date"] >= lo) & (members["join_date"] <= hi)]
        leaves = members[(leave >= lo) & (leave <= hi)]
        d = daily[(daily["date"] >= lo) & (daily["date"] <= hi)]
        per_user = d.groupby(["group_id", "user_id"])["messages"].sum()
        for gid, grp in present.groupby("group_id"):
            msgs = per_user.get(gid, pd.Series(dtype=float)).sort_values(ascending=False)
            n = grp["user_id"].nunique()
            top = int(np.ceil(0.1 * n))
            rows.append({"period": lo, "group_id": gid, "members": n,
                         "messages": int(msgs.sum()),
                         "top10_share": ratio(msgs.head(top).sum(), msgs.sum()).item(),
                         "joins": int((joins["group_id"] == gid).sum()),
                         "leaves": int((leaves["group_id"] == gid).sum())})
    out = pd.DataFrame(rows)
    active = daily[(daily["messages"] > 0) | (daily["checkins"] > 0)]
    act = (active.assign(period=arrays.period_start(active["date"], freq))
           .groupby(["period", "group_id"])["user_id"].nunique().rename("active_members"))
    out = out.join(act, on=["period", "group_id"])
    out["active_members"] = out["active_members"].fillna(0).astype(int)
    out = add_rate(out, "active_rate", "active_members", "members")
    out["messages_per_active"] = ratio(out["messages"], out["active_members"])
    out["complete"] = out["period"].map(dict(zip(spans["start"], spans["end"] <= last)))
    return out


def checkin_streaks(daily: pd.DataFrame) -> pd.DataFrame:
    """Longest run of consecutive check-in days per member and group.

    >>> d = pd.DataFrame({"group_id": "g", "user_id": 1, "checkins": 1,
    ...                   "date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-04"])})
    >>> int(checkin_streaks(d)["longest_streak"].iloc[0])
    2
    """
    require(daily, ["date", "group_id", "user_id", "checkins"], "checkin_streaks")
    c = daily[daily["checkins"] > 0][["group_id", "user_id", "date"]].drop_duplicates()
    c = c.sort_values(["group_id", "user_id", "date"])
    gap = c.groupby(["group_id", "user_id"])["date"].diff().dt.days.ne(1)
    run = gap.cumsum()
    length = c.groupby(run).size()
    streaks = pd.DataFrame({"group_id": c.groupby(run)["group_id"].first(),
                            "user_id": c.groupby(run)["user_id"].first(), "length": length})
    out = streaks.groupby(["group_id", "user_id"])["length"].agg(
        longest_streak="max", checkin_days="sum").reset_index()
    return out


# ------------------------------------------------------------------ challenge
@renamed(window_days=("window", days_as_duration))
def challenge_effect(members: pd.DataFrame, daily: pd.DataFrame, groups: list[str],
                     start: str, end: str, window: str = "21D") -> pd.DataFrame:
    """Messages per member per day before / during / after a challenge, vs other groups;
    before and after are the `window` (whole days) either side of the challenge.

    Members count if they belonged for the whole before-to-after span, so the same
    people are compared with themselves; the groups without the challenge give the
    baseline for what would have happened anyway. Intervals are 95 % normal intervals
    over members. `lift_vs_other` is the difference-in-differences ratio:
    (challenge / its own before) ÷ (others / their own before).

    Taught in 03_community §The check-in challenge.
    """
    require(daily, ["date", "group_id", "user_id", "messages"], "challenge_effect")
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    w = pd.Timedelta(days=arrays.whole_days(window))
    spans = {"before": (s - w, s - pd.Timedelta(days=1)), "during": (s, e),
             "after": (e + pd.Timedelta(days=1), e + w)}
    leave = members["leave_date"] if "leave_date" in members else pd.Series(pd.NaT,
                                                                            members.index)
    stay = members[(members["join_date"] <= s - w) & (leave.isna() | (leave > e + w))]
    missing = set(groups) - set(members["group_id"])
    if missing:
        raise ValueError(f"challenge groups {sorted(missing)} have no members")
    rows = []
    for name, (lo, hi) in spans.items():
        days = (hi - lo).days + 1
        d = daily[(daily["date"] >= lo) & (daily["date"] <= hi)]
        per = d.groupby(["group_id", "user_id"])["messages"].sum()
        m = stay[["group_id", "user_id"]].join(per, on=["group_id", "user_id"]).fillna(0)
        m["rate"] = m["messages"] / days
        m["arm"] = np.where(m["group_id"].isin(groups), "challenge", "other")
        for arm, g in m.groupby("arm"):
            mean, se = g["rate"].mean(), g["rate"].std(ddof=1) / np.sqrt(len(g))
            rows.append({"arm": arm, "period": name, "members": len(g),
                         "messages_per_member_day": mean,
                         "messages_per_member_day_low": mean - 1.96 * se,
                         "messages_per_member_day_high": mean + 1.96 * se})
    out = pd.DataFrame(rows)
    wide = out.pivot(index="period", columns="arm", values="messages_per_member_day")
    rel = wide.div(wide.loc["before"], axis=1)
    out["vs_own_before"] = [rel.loc[p, a] for a, p in zip(out["arm"], out["period"])]
    out["lift_vs_other"] = [rel.loc[p, "challenge"] / rel.loc[p, "other"]
                            if a == "challenge" else np.nan
                            for a, p in zip(out["arm"], out["period"])]
    order = {"before": 0, "during": 1, "after": 2}
    return out.sort_values(["arm", "period"], key=lambda c: c.map(order) if c.name == "period"
                           else c, ignore_index=True)


# ------------------------------------------------------------------ membership effect
@renamed(outcome="follow_up_days")
def membership_effect(users: pd.DataFrame, events: pd.DataFrame, members: pd.DataFrame,
                      early_days: int = 7, follow_up_days: tuple[int, int] = (31, 60)
                      ) -> pd.DataFrame:
    """Do group members retain better? Naive gap vs two fairer comparisons.

    Outcome: active on any day follow_up_days[0] … follow_up_days[1] after signup. Engaged users join
    groups more, so the naive member vs non-member gap mixes the group's effect with
    who joins (selection bias). `exact` compares members with non-members of the same
    signup channel and first-week activity (active days 1…early_days, capped at 5);
    `propensity` weights by the inverse of a statsmodels logit of joining on the same
    features. Users whose outcome window ends after the data are left out.

    Taught in 03_community §Do groups make users stay?
    """
    u = early_and_follow_up(users, events, early_days, follow_up_days, "membership_effect")
    u["early"] = u.pop("early_active_days").clip(upper=5)
    u["retained"] = u.pop("active_in_follow_up").astype(int)
    u["member"] = u["user_id"].isin(members["user_id"]).astype(int)
    u["channel"] = u["channel"].astype(str)
    naive = u.groupby("member")["retained"].mean()
    rows = [{"method": "naive", "member_rate": naive[1], "nonmember_rate": naive[0]}]
    strata = u.groupby(["channel", "early", "member"])["retained"].agg(["mean", "size"])
    strata = strata.unstack("member").dropna()
    w = strata[("size", 1)]
    rows.append({"method": "exact",
                 "member_rate": np.average(strata[("mean", 1)], weights=w),
                 "nonmember_rate": np.average(strata[("mean", 0)], weights=w)})
    model = smf.logit("member ~ C(channel) + C(early)", data=u).fit(disp=False)
    ps = model.predict(u).clip(0.01, 0.99)
    treated = u["member"] == 1
    weight = np.where(treated, 1.0, ps / (1 - ps))        # effect on the members (ATT)
    rows.append({"method": "propensity",
                 "member_rate": u.loc[treated, "retained"].mean(),
                 "nonmember_rate": np.average(u.loc[~treated, "retained"],
                                              weights=weight[~treated.to_numpy()])})
    out = pd.DataFrame(rows)
    out["gap"] = out["member_rate"] - out["nonmember_rate"]
    out["share_of_naive_gap"] = out["gap"] / out.loc[0, "gap"]
    out["members"] = int(treated.sum())
    out["nonmembers"] = int((~treated).sum())
    out.attrs["unmatched_rows"] = dict(u.attrs.get("unmatched_rows", {}))   # warned once
    return out


# ------------------------------------------------------------------ KOC
def concentration(values: pd.Series, shares=(0.01, 0.02, 0.05, 0.1, 0.2),
                  total: float | None = None) -> pd.DataFrame:
    """Share of the total held by the top x % (Pareto view).

    `total` defaults to the sum of `values`; pass a larger one when part of the total
    comes from outside the ranked population (e.g. referrals by non-members).

    >>> concentration(pd.Series([10, 0, 0, 0, 0, 0, 0, 0, 0, 10]), shares=(0.1,))
       top_share  top_n  total_share
    0        0.1      1          0.5
    """
    v = pd.Series(values).fillna(0).sort_values(ascending=False).to_numpy(float)
    total = v.sum() if total is None else float(total)
    rows = []
    for x in shares:
        n = max(1, int(round(x * len(v))))
        rows.append({"top_share": x, "top_n": n,
                     "total_share": v[:n].sum() / total if total else np.nan})
    return pd.DataFrame(rows)


def koc_ranking(users: pd.DataFrame, members: pd.DataFrame, daily: pd.DataFrame
                ) -> pd.DataFrame:
    """Members ranked by influence: referral signups brought, replies triggered, messages.

    `influence` is the mean of the three percentile ranks, so one very chatty member
    does not outrank one who actually brings people in.

    Taught in 03_community §Finding KOCs.
    """
    require(users, ["user_id", "referrer_id"], "koc_ranking(users)")
    require(daily, ["user_id", "messages", "replies_received"], "koc_ranking(daily)")
    ids = members["user_id"].drop_duplicates()
    out = pd.DataFrame({"user_id": ids.to_numpy()})
    refs = users["referrer_id"].dropna().astype("int64").value_counts()
    talk = daily.groupby("user_id")[["messages", "replies_received"]].sum()
    out["referral_signups"] = out["user_id"].map(refs).fillna(0).astype(int)
    out = out.join(talk, on="user_id").fillna({"messages": 0, "replies_received": 0})
    out[["messages", "replies_received"]] = out[["messages", "replies_received"]].astype(int)
    ranks = out[["referral_signups", "replies_received", "messages"]].rank(pct=True)
    out["influence"] = ranks.mean(axis=1)
    return out.sort_values(["referral_signups", "influence"], ascending=False,
                           ignore_index=True)


# ------------------------------------------------------------------ conversion
def group_conversion(members: pd.DataFrame, orders: pd.DataFrame, by: str = "group_type"
                     ) -> pd.DataFrame:
    """Buyers, orders and GMV per member after joining, by group type, with CIs."""
    require(members, ["user_id", "join_date", by], "group_conversion(members)")
    require(orders, ["user_id", "order_time", "paid"], "group_conversion(orders)")
    m = members.sort_values("join_date").drop_duplicates("user_id")[["user_id", "join_date", by]]
    o = orders.merge(m, on="user_id")
    o = o[o["order_time"] >= o["join_date"]]
    per = m.join(o.groupby("user_id")["paid"].agg(["sum", "size"]), on="user_id").fillna(0)
    g = per.groupby(by, observed=True)
    out = pd.DataFrame({"members": g.size(), "buyers": g["size"].apply(lambda s: (s > 0).sum()),
                        "orders": g["size"].sum().astype(int), "gmv": g["sum"].sum(),
                        "gmv_per_member": g["sum"].mean(),
                        "se": g["sum"].std(ddof=1) / np.sqrt(g.size())}).reset_index()
    out = add_rate(out, "buyer_rate", "buyers", "members")
    out["gmv_per_member_low"] = out["gmv_per_member"] - 1.96 * out["se"]
    out["gmv_per_member_high"] = out["gmv_per_member"] + 1.96 * out["se"]
    return out.drop(columns="se")


# ------------------------------------------------------------------ points
def points_liability(ledger: pd.DataFrame, cny_per_point: float = 0.01, freq: str = "M"
                     ) -> pd.DataFrame:
    """Points issued, redeemed and outstanding per period, and the liability in CNY."""
    require(ledger, ["event_time", "points"], "points_liability")
    p = ledger.assign(period=arrays.period_start(ledger["event_time"], freq))
    g = p.groupby("period")["points"]
    out = pd.DataFrame({"issued": g.apply(lambda x: x[x > 0].sum()),
                        "redeemed": g.apply(lambda x: -x[x < 0].sum())}).reset_index()
    out["outstanding"] = (out["issued"] - out["redeemed"]).cumsum()
    out["redeemed_share_cum"] = ratio(out["redeemed"].cumsum(), out["issued"].cumsum())
    out["liability_cny"] = out["outstanding"] * cny_per_point
    return out


def tier_transitions(ledger: pd.DataFrame) -> pd.DataFrame:
    """How members moved between tiers: counts of (from_tier → to_tier) changes."""
    require(ledger, ["user_id", "event_time", "tier"], "tier_transitions")
    p = ledger.sort_values(["user_id", "event_time"])
    prev = p.groupby("user_id")["tier"].shift()
    moved = p[prev.notna() & (prev != p["tier"])]
    return (pd.DataFrame({"from_tier": prev[moved.index], "to_tier": moved["tier"]})
            .value_counts().rename("members").reset_index())


def repeat_by_tier(ledger: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Repeat-purchase rate (≥ 2 orders) of buyers by their final tier, with CIs."""
    require(ledger, ["user_id", "event_time", "tier"], "repeat_by_tier(ledger)")
    tier = ledger.sort_values("event_time").groupby("user_id")["tier"].last()
    n = orders.groupby("user_id").size()
    b = pd.DataFrame({"orders": n}).join(tier, how="inner")
    out = b.groupby("tier").agg(buyers=("orders", "size"),
                                repeaters=("orders", lambda s: int((s >= 2).sum())))
    return add_rate(out.reset_index(), "repeat_rate", "repeaters", "buyers")


def _tiers(cumulative: pd.Series, thresholds: dict, base: str) -> np.ndarray:
    """The highest tier whose threshold the cumulative amount reaches, else `base`."""
    ordered = sorted(thresholds.items(), key=lambda kv: kv[1], reverse=True)
    return np.select([cumulative >= v for _, v in ordered], [k for k, _ in ordered], base)


def tier_threshold_jump(orders: pd.DataFrame, threshold: float = 300.0,
                        width: float = 100.0, window: str = "60D",
                        end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Does reaching a tier make buyers come back? A regression-discontinuity check
    (断点回归) on the first order: buyers whose first order paid in [threshold − width,
    threshold) stay in the lower tier, those in [threshold, threshold + width) reach
    the tier at once; compare the share of each who ordered again within `window`
    (whole days from the first order's day; an order at the very same time is part of
    the first purchase, not a return) — buyers just either side are alike but for the
    tier. `control` = below, `treatment` = above. Buyers whose window ends after
    `end` (default the last order's day) are left out, counted in `attrs["unobserved"]`.

    >>> o = pd.DataFrame({"user_id": [1, 1, 2, 3, 3, 4], "paid": [250.0, 40, 280, 310, 50, 390],
    ...     "order_time": pd.to_datetime(["2026-01-01", "2026-01-20", "2026-01-02",
    ...                                   "2026-01-03", "2026-02-01", "2026-01-04"])})
    >>> r = tier_threshold_jump(o, end="2026-06-30")
    >>> r[["n_control", "rate_control", "n_treatment", "rate_treatment", "diff"]].values.tolist()
    [[2.0, 0.5, 2.0, 0.5, 0.0]]
    """
    require(orders, ["user_id", "order_time", "paid"], "tier_threshold_jump")
    if width <= 0:
        raise ValueError(f"width must be > 0, got {width}")
    span = pd.Timedelta(days=arrays.whole_days(window))
    o = orders.sort_values(["user_id", "order_time"], kind="stable")
    first = o.groupby("user_id").agg(first_time=("order_time", "first"),
                                     first_paid=("paid", "first"))
    last = (pd.Timestamp(end) if end is not None else o["order_time"].max()).normalize()
    start = first["first_time"].dt.normalize()
    seen = start + span <= last + pd.Timedelta(days=1)
    near = first["first_paid"].between(threshold - width, threshold + width,
                                       inclusive="left")
    later = o.join(first["first_time"], on="user_id").join(start.rename("start"),
                                                           on="user_id")
    later = later[(later["order_time"] > later["first_time"])
                  & (later["order_time"] < later["start"] + span)]
    b = first[near & seen].assign(again=lambda d: d.index.isin(later["user_id"]),
                                  above=lambda d: d["first_paid"] >= threshold)
    below, above = b[~b["above"]], b[b["above"]]
    out = pd.DataFrame([{"threshold": threshold, "width": width,
                         **two_proportions(int(below["again"].sum()), len(below),
                                           int(above["again"].sum()), len(above))}])
    out.attrs["unobserved"] = int((near & ~seen).sum())
    return out


def tier_change(orders: pd.DataFrame, thresholds: dict, new_thresholds: dict,
                points_multiplier: dict, end: str | pd.Timestamp | None = None,
                recent: str = "90D", base: str = "bronze", points_per_cny: float = 1.0,
                cny_per_point: float = 0.01) -> pd.DataFrame:
    """Whom new tier thresholds (会员等级门槛) would move, and the points liability they
    would add. Tiers come from each buyer's cumulative paid up to `end` (default the
    last order's day), under `thresholds` and under `new_thresholds` (CNY, e.g.
    {"gold": 1000, "silver": 300}); below every threshold is `base`. Each tier earns
    points_per_cny × `points_multiplier[tier]` points per CNY: a planning assumption,
    stated, since the multiplier is what the design chooses. Spending is assumed to
    go on as in the `recent` window before `end` (per 30 days). One row per
    (tier_before, tier_after): buyers, paid_per_30d, extra points and liability (CNY)
    per 30 days.

    >>> o = pd.DataFrame({"user_id": [1, 2, 3], "paid": [250.0, 320.0, 1200.0],
    ...     "order_time": pd.to_datetime(["2026-06-01", "2026-06-10", "2026-06-20"])})
    >>> r = tier_change(o, {"gold": 1000, "silver": 300}, {"gold": 1000, "silver": 200},
    ...                 {"bronze": 1.0, "silver": 1.2, "gold": 1.5}, end="2026-06-30")
    >>> r[["tier_before", "tier_after", "buyers"]].values.tolist()
    [['bronze', 'silver', 1], ['gold', 'gold', 1], ['silver', 'silver', 1]]

    Buyer 1 paid 250 in the last 90 days, so 250 × 30 / 90 a month at 0.2 more points:

    >>> r["extra_points_per_30d"].round(6).tolist()
    [16.666667, 0.0, 0.0]
    """
    require(orders, ["user_id", "order_time", "paid"], "tier_change")
    tiers = {base, *thresholds, *new_thresholds}
    missing = sorted(tiers - set(points_multiplier))
    if missing:
        raise ValueError(f"tier_change: points_multiplier has no value for {missing}; "
                         "give one per tier, e.g. {'bronze': 1, 'silver': 1.2, 'gold': 1.5}")
    last = (pd.Timestamp(end) if end is not None else orders["order_time"].max()).normalize()
    o = orders[orders["order_time"] < last + pd.Timedelta(days=1)]
    days = arrays.whole_days(recent, "recent")
    cum = o.groupby("user_id")["paid"].sum()
    lately = o[o["order_time"] >= last + pd.Timedelta(days=1 - days)]
    per_30d = lately.groupby("user_id")["paid"].sum().reindex(cum.index, fill_value=0.0) \
        * 30 / days
    b = pd.DataFrame({"tier_before": _tiers(cum, thresholds, base),
                      "tier_after": _tiers(cum, new_thresholds, base),
                      "paid_per_30d": per_30d.to_numpy()})
    gain = (b["tier_after"].map(points_multiplier) - b["tier_before"].map(points_multiplier))
    b["extra_points_per_30d"] = b["paid_per_30d"] * points_per_cny * gain
    out = b.groupby(["tier_before", "tier_after"]).agg(
        buyers=("paid_per_30d", "size"), paid_per_30d=("paid_per_30d", "sum"),
        extra_points_per_30d=("extra_points_per_30d", "sum")).reset_index()
    out["extra_liability_cny_per_30d"] = out["extra_points_per_30d"] * cny_per_point
    out["moved"] = out["tier_before"] != out["tier_after"]
    return out


def _add_per_1000(df: pd.DataFrame, name: str, numerator: str, denominator: str
                  ) -> pd.DataFrame:
    """`add_rate`, shown per 1,000: the rate and its Wilson CI columns times 1,000."""
    out = add_rate(df, name, numerator, denominator)
    for col in (name, f"{name}_low", f"{name}_high"):
        out[col] = out[col] * 1000
    return out


# ------------------------------------------------------------------ private-domain pool
POOL_WIDE_PUSHES = ("moments", "group_broadcast")   # sent to the whole pool at once


def pool_size(contacts: pd.DataFrame, freq: str = "W", by: str | None = None
              ) -> pd.DataFrame:
    """The private-domain pool (私域流量池) over time: per `freq` period [and `by`
    value] the contacts added, the contacts who removed us, and the pool at the
    period's end (added so far − removed so far). The last period runs to the last
    add or removal in the data; `complete` says whether it is over.

    >>> c = pd.DataFrame({"user_id": [1, 2, 3],
    ...     "added_time": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-13"]),
    ...     "removed_time": pd.to_datetime([None, "2026-01-14", None])})
    >>> pool_size(c)[["period", "added", "removed", "pool"]].values.tolist()
    [[Timestamp('2026-01-05 00:00:00'), 2, 0, 2], [Timestamp('2026-01-12 00:00:00'), 1, 1, 2]]
    """
    require(contacts, ["user_id", "added_time", "removed_time"], "pool_size")
    if contacts["added_time"].isna().any():
        raise ValueError(f"pool_size: {int(contacts['added_time'].isna().sum())} contact(s) "
                         "have no added_time; fix or drop them first")
    if by is not None:
        require(contacts, [by], "pool_size(by=...)")
        if contacts[by].isna().any():
            raise ValueError(f"pool_size: {int(contacts[by].isna().sum())} contact(s) have "
                             f"no {by}; fill it (e.g. 'unknown') so no contact is left out")
    early = contacts["removed_time"] < contacts["added_time"]
    if early.any():
        raise ValueError(f"pool_size: {int(early.sum())} contact(s) were removed before "
                         "they were added; check added_time and removed_time")
    keys = [by] if by else []
    last = pd.concat([contacts["added_time"], contacts["removed_time"]]).max()
    spans = arrays.periods_between(contacts["added_time"].min(), last, freq)
    flows = []
    for column, name in (("added_time", "added"), ("removed_time", "removed")):
        c = contacts[contacts[column].notna()]
        flows.append(c.assign(period=arrays.period_start(c[column], freq))
                     .groupby(keys + ["period"], observed=True).size().rename(name))
    groups = [None] if by is None else sorted(contacts[by].dropna().unique())
    index = pd.MultiIndex.from_product([groups, spans["start"]], names=[by or "_", "period"])
    out = pd.concat(flows, axis=1, sort=True)
    out = (out.reindex(index if by else pd.Index(spans["start"], name="period"))
           .fillna(0).astype(int))
    grown = out["added"] - out["removed"]
    out["pool"] = grown.groupby(level=0).cumsum() if by else grown.cumsum()
    out = out.reset_index()
    out = out.drop(columns="_") if "_" in out else out
    out["complete"] = out["period"].map(dict(zip(spans["start"], spans["end"] <= last)))
    return out


def push_report(pushes: pd.DataFrame) -> pd.DataFrame:
    """Each push to the pool (私域触达) with its rates: open rate (打开率 = reads /
    audience, Wilson CI), click rate (clicks / reads), order rate (orders / audience),
    unsubscribes per 1,000 audience, cost per order and paid per CNY of cost.

    >>> p = pd.DataFrame({"push_id": [1], "audience": [1000], "reads": [300], "clicks": [60],
    ...                   "orders": [12], "paid": [1800.0], "unsubscribes": [4], "cost": [120.0]})
    >>> push_report(p)[["open_rate", "click_rate", "order_rate", "unsubscribes_per_1000",
    ...                 "cost_per_order"]].values.tolist()
    [[0.3, 0.2, 0.012, 4.0, 10.0]]
    """
    need = ["audience", "reads", "clicks", "orders", "paid", "unsubscribes", "cost"]
    require(pushes, need, "push_report")
    over = pushes["reads"] > pushes["audience"]
    if over.any():
        raise ValueError(f"push_report: {int(over.sum())} push(es) have more reads than "
                         "audience; audience must count everyone the push went to")
    out = add_rate(pushes.copy(), "open_rate", "reads", "audience")
    out["click_rate"] = ratio(out["clicks"], out["reads"])
    out["order_rate"] = ratio(out["orders"], out["audience"])
    out["unsubscribes_per_1000"] = ratio(out["unsubscribes"], out["audience"]) * 1000
    out["cost_per_order"] = ratio(out["cost"], out["orders"])
    out["paid_per_cost"] = ratio(out["paid"], out["cost"])
    return out


def push_fatigue(pushes: pd.DataFrame, freq: str = "W",
                 pool_wide: tuple[str, ...] = POOL_WIDE_PUSHES) -> pd.DataFrame:
    """Does pushing more often wear the pool out (触达疲劳)? Periods grouped by how
    many pool-wide pushes (`pool_wide` kinds) they held: periods, pushes, the open
    rate over those pushes (reads / audience, Wilson CI) and unsubscribes per 1,000
    audience (Wilson CI). More pushes in a week is not random — a campaign week
    gets more — so read it as a warning sign to test, not as proof.

    >>> p = pd.DataFrame({"kind": ["moments"] * 3, "audience": [100, 100, 100],
    ...     "reads": [40, 20, 20], "unsubscribes": [0, 2, 2],
    ...     "sent_time": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-13"])})
    >>> push_fatigue(p)[["pushes_per_period", "periods", "pushes", "open_rate",
    ...                  "unsubscribes_per_1000"]].values.tolist()
    [[1.0, 1.0, 1.0, 0.4, 0.0], [2.0, 1.0, 2.0, 0.2, 20.0]]
    """
    require(pushes, ["kind", "sent_time", "audience", "reads", "unsubscribes"],
            "push_fatigue")
    wide = pushes[pushes["kind"].isin(pool_wide)]
    if wide.empty:
        raise ValueError(f"push_fatigue: no pushes of kind {list(pool_wide)}; kinds in the "
                         f"data: {sorted(pushes['kind'].astype(str).unique())}")
    w = wide.assign(period=arrays.period_start(wide["sent_time"], freq))
    w["pushes_per_period"] = w.groupby("period")["period"].transform("size")
    out = w.groupby("pushes_per_period").agg(
        periods=("period", "nunique"), pushes=("period", "size"),
        audience=("audience", "sum"), reads=("reads", "sum"),
        unsubscribes=("unsubscribes", "sum")).reset_index()
    out = add_rate(out, "open_rate", "reads", "audience")
    return _add_per_1000(out, "unsubscribes_per_1000", "unsubscribes", "audience")


# ------------------------------------------------------------------ feedback sources
def satisfaction_by_source(feedback: pd.DataFrame, by: str = "source",
                           satisfied_from: int = 4) -> pd.DataFrame:
    """Satisfaction by how the feedback was collected (问卷、评价、客服对话 …): per `by`
    value the feedback count, the mean score with its t interval, CSAT (满意度: share
    scoring `satisfied_from` or more, Wilson CI) and the share of scores 1–2.

    Who writes differs by source — people with a problem open a service chat, loyal
    buyers answer surveys — so a source's score describes its writers, not all users.

    >>> fb = pd.DataFrame({"source": ["survey"] * 3 + ["chat"] * 2, "score": [5, 4, 2, 1, 4]})
    >>> r = satisfaction_by_source(fb)
    >>> r[["source", "feedback", "mean_score", "csat", "low_score_share"]].values.tolist()
    [['chat', 2, 2.5, 0.5, 0.5], ['survey', 3, 3.6666666666666665, 0.6666666666666666, 0.3333333333333333]]
    """
    from scipy import stats

    require(feedback, [by, "score"], "satisfaction_by_source")
    score = pd.to_numeric(feedback["score"], errors="coerce")
    if score.isna().any():
        raise ValueError(f"satisfaction_by_source: {int(score.isna().sum())} feedback row(s) "
                         "have no numeric score; fix or drop them first")
    outside = sorted(set(score[~score.between(1, 5)].tolist()))
    if outside:
        raise ValueError(f"satisfaction_by_source: scores must be 1–5, found {outside[:5]}; "
                         "rescale them first")
    if feedback[by].isna().any():
        raise ValueError(f"satisfaction_by_source: {int(feedback[by].isna().sum())} feedback "
                         f"row(s) have no {by}; fill it (e.g. 'unknown') so none is left out")
    f = pd.DataFrame({by: feedback[by].to_numpy(), "score": score.to_numpy()})
    f["satisfied"] = f["score"] >= satisfied_from
    f["low"] = f["score"] <= 2
    out = f.groupby(by, observed=True).agg(
        feedback=("score", "size"), mean_score=("score", "mean"), sd=("score", "std"),
        satisfied=("satisfied", "sum"), low=("low", "sum")).reset_index()
    half = stats.t.ppf(0.975, out["feedback"] - 1) * out["sd"] / np.sqrt(out["feedback"])
    out["mean_score_low"] = out["mean_score"] - half
    out["mean_score_high"] = out["mean_score"] + half
    out = add_rate(out, "csat", "satisfied", "feedback")
    out["low_score_share"] = ratio(out["low"], out["feedback"])
    return out.drop(columns=["sd", "low"])


# ------------------------------------------------------------------ group rules (群规)
VIOLATION_KINDS = ("link", "wechat", "ad", "flood")


def load_group_rules(path: str | None = None) -> dict:
    """The 群规 rule set, kind → regular expressions: the packaged
    `group_rules.json`, or your own file of the same shape."""
    return load_word_list("group_rules.json", path)["rules"]


def flag_violations(messages: pd.DataFrame, rules: dict | None = None,
                    flood_messages: int = 5, flood_window: str = "2min") -> pd.DataFrame:
    """Flag group messages that break the group rules (违规): the first rule kind
    whose pattern a text matches (`load_group_rules`, checked in its order), else
    flooding (刷屏) — a message among at least `flood_messages` by one sender in one
    group within `flood_window` — else "" (no violation). Returns `messages` with a
    `flagged` column; rows and order unchanged.

    >>> m = pd.DataFrame({"group_id": ["g"] * 7, "user_id": [1, 2, 3, 3, 3, 3, 3],
    ...     "text": ["加我微信 tea888", "今天的白茶真香", "好", "好", "好", "好", "好"],
    ...     "sent_time": pd.to_datetime(["2026-04-01 09:00:00", "2026-04-01 09:01:00"]
    ...                                 + [f"2026-04-01 10:00:{s:02d}" for s in range(5)])})
    >>> flag_violations(m)["flagged"].tolist()
    ['wechat', '', 'flood', 'flood', 'flood', 'flood', 'flood']
    """
    import re
    import warnings

    require(messages, ["group_id", "user_id", "sent_time", "text"], "flag_violations")
    if flood_messages < 2:
        raise ValueError(f"flood_messages must be ≥ 2, got {flood_messages}")
    rules = load_group_rules() if rules is None else rules
    text = messages["text"].fillna("").astype(str)
    flagged = pd.Series("", index=messages.index, dtype=object)
    for kind, patterns in rules.items():
        try:
            with warnings.catch_warnings():     # a group in your pattern is fine here
                warnings.filterwarnings("ignore", "This pattern is interpreted",
                                        UserWarning)
                hit = text.str.contains("|".join(f"(?:{p})" for p in patterns),
                                        regex=True, flags=re.IGNORECASE)
        except re.error as err:
            raise ValueError(f"flag_violations: a pattern of rule {kind!r} is not a valid "
                             f"regular expression ({err}); escape it or fix it") from None
        flagged[(flagged == "") & hit] = kind
    # flooding: for each message, how many of the sender's messages in the group fall
    # in the window starting at it; a burst marks every message it holds
    if messages["sent_time"].isna().any():
        raise ValueError(f"flag_violations: {int(messages['sent_time'].isna().sum())} "
                         "message(s) have no sent_time; fix or drop them first")
    order = messages.sort_values(["group_id", "user_id", "sent_time"], kind="stable")
    sender = order.groupby(["group_id", "user_id"], sort=False).ngroup().to_numpy()
    t, unit = arrays.ticks(order["sent_time"])
    span = arrays.duration_ticks(flood_window, unit, "flood_window")
    # one sorted key per (sender, time rank): ranks, not raw ticks, so the key cannot
    # overflow however many senders and years the export holds
    times = np.unique(t)
    rank = np.searchsorted(times, t)
    reach = np.searchsorted(times, t + span, side="right") - 1    # last time in the window
    width = np.int64(len(times))
    key = sender.astype(np.int64) * width + rank
    end = np.searchsorted(key, sender.astype(np.int64) * width + reach, side="right")
    start = np.flatnonzero(end - np.arange(len(key)) >= flood_messages)
    cover = np.zeros(len(key) + 1, dtype=np.int64)
    np.add.at(cover, start, 1)
    np.add.at(cover, end[start], -1)
    burst = pd.Series(np.cumsum(cover)[:-1] > 0, index=order.index).reindex(messages.index)
    flagged[(flagged == "") & burst.to_numpy()] = "flood"
    return messages.assign(flagged=flagged.to_numpy())


def moderation_summary(flagged: pd.DataFrame, change_date: str | pd.Timestamp,
                       within: str = "1h") -> pd.DataFrame:
    """Before vs after a rule change (群规升级), measured with one fixed yardstick:
    the rule flags of `flag_violations` (admins' removals changed with the rules, so
    they cannot measure the change themselves). One row per side: messages, flagged
    violations, violations per 1,000 messages (Wilson CI), the share of flagged
    violations an admin removed, the share removed within `within` of being sent,
    and the median minutes from sent to removal of the flagged violations an admin
    removed (removals of unflagged messages are not counted). Needs
    `removed_time`; messages sent on `change_date` or later are "after".

    >>> m = pd.DataFrame({"flagged": ["ad", "", "link", ""],
    ...     "sent_time": pd.to_datetime(["2026-04-01 09:00", "2026-04-02 09:00",
    ...                                  "2026-04-20 09:00", "2026-04-21 09:00"]),
    ...     "removed_time": pd.to_datetime(["2026-04-01 12:00", None, "2026-04-20 09:10", None])})
    >>> r = moderation_summary(m, "2026-04-13")
    >>> r[["side", "messages", "violations", "per_1000", "median_minutes_to_removal"]].values.tolist()
    [['before', 2, 1, 500.0, 180.0], ['after', 2, 1, 500.0, 10.0]]
    """
    require(flagged, ["flagged", "sent_time", "removed_time"], "moderation_summary")
    limit = arrays.duration(within, "within")
    change = pd.Timestamp(change_date)
    f = flagged.assign(side=np.where(flagged["sent_time"] >= change, "after", "before"))
    f["violation"] = f["flagged"].fillna("").astype(str) != ""
    minutes = (f["removed_time"] - f["sent_time"]).dt.total_seconds() / 60
    if (minutes < 0).any():
        raise ValueError(f"moderation_summary: {int((minutes < 0).sum())} message(s) were "
                         "removed before they were sent; check the time columns")
    f["removed"] = f["violation"] & f["removed_time"].notna()
    f["fast"] = f["removed"] & (minutes <= limit.total_seconds() / 60)
    f["minutes"] = minutes.where(f["removed"])
    out = f.groupby("side").agg(messages=("violation", "size"),
                                violations=("violation", "sum"), removed=("removed", "sum"),
                                removed_fast=("fast", "sum"),
                                median_minutes_to_removal=("minutes", "median"))
    out = out.reindex(["before", "after"]).reset_index()
    out = _add_per_1000(out, "per_1000", "violations", "messages")
    out = add_rate(out, "removed_share", "removed", "violations")
    out = add_rate(out, "removed_fast_share", "removed_fast", "violations")
    return out


# ------------------------------------------------------------------ voice of the user
def load_themes(path: str | None = None) -> dict:
    """The theme dictionary (themes → keywords, plus positive/negative words).

    Ships as `opshelpers/themes.json`; pass your own JSON file with the same shape.
    """
    d = load_word_list("themes.json", path)
    if "themes" not in d or not isinstance(d["themes"], dict):
        raise ValueError("a theme dictionary needs a 'themes' object: {theme: [keywords]}")
    return d


def tag_themes(feedback: pd.DataFrame, dictionary: dict | None = None,
               text: str = "text") -> pd.DataFrame:
    """One boolean column per theme (a text may have several), plus sentiment.

    `sentiment` = positive − negative keyword hits; `themes` lists the matches; empty or
    missing texts get no theme. Matching is case-insensitive substring search, so it
    works on Chinese, English and mixed text without word segmentation.

    >>> tag_themes(pd.DataFrame({"text": ["物流太慢了", "Great TASTE, 價格也划算", None]})
    ...            )[["themes", "sentiment"]].values.tolist()
    [['shipping', -1], ['price,taste', 2], ['', 0]]
    """
    require(feedback, [text], "tag_themes")
    d = dictionary or load_themes()
    t = feedback[text].fillna("").astype(str).str.lower()
    out = feedback.copy()
    names = list(d["themes"])
    for name in names:
        words = [w.lower() for w in d["themes"][name]]
        out[f"theme_{name}"] = t.apply(lambda s, ws=words: any(w in s for w in ws))
    pos = sorted({w.lower() for w in d.get("positive", [])}, key=len, reverse=True)
    neg = sorted({w.lower() for w in d.get("negative", [])}, key=len, reverse=True)
    out["sentiment"] = t.apply(lambda s: _sentiment(s, pos, neg))
    flags = out[[f"theme_{n}" for n in names]].to_numpy()
    out["themes"] = [",".join(n for n, f in zip(names, row) if f) for row in flags]
    return out


def _sentiment(text: str, positive: list[str], negative: list[str]) -> int:
    """Positive − negative hits, longest phrase first, each stretch of text counted once
    (so 不划算 is one negative, not a negative plus the positive 划算)."""
    score = 0
    for words, sign in ((negative, -1), (positive, 1)):
        for w in words:
            if w in text:
                score += sign * text.count(w)
                text = text.replace(w, " ")
    return score


def theme_trend(tagged: pd.DataFrame, freq: str = "W", time: str = "created_time"
                ) -> pd.DataFrame:
    """Per period and theme: mentions, share of all feedback (CI) and mean sentiment."""
    cols = [c for c in tagged.columns if c.startswith("theme_")]
    if not cols:
        raise SchemaError("no theme_ columns: run tag_themes first")
    require(tagged, [time, "sentiment"], "theme_trend")
    per = arrays.period_start(tagged[time], freq)
    rows = []
    for c in cols:
        g = tagged.groupby(per)
        rows.append(pd.DataFrame({
            "period": g.size().index, "theme": c.removeprefix("theme_"),
            "mentions": g[c].sum().to_numpy(), "feedback": g.size().to_numpy(),
            "sentiment": tagged[tagged[c]].groupby(per)["sentiment"].mean()
            .reindex(g.size().index).to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    return add_rate(out, "share", "mentions", "feedback")


def theme_surge(tagged: pd.DataFrame, time: str = "created_time", min_days: int = 14,
                seed: int = 0, rising_only: bool = True) -> pd.DataFrame:
    """Per theme, the day its share of feedback changed most, with a permutation p-value.

    The change-point scan (`changes.rate_changes`) on "does this feedback mention the
    theme". Shares add up to one, so when one theme surges the others fall;
    `rising_only` keeps the themes whose share went up.
    """
    cols = [c for c in tagged.columns if c.startswith("theme_")]
    if not cols:
        raise SchemaError("no theme_ columns: run tag_themes first")
    long = pd.concat([pd.DataFrame({"theme": c.removeprefix("theme_"), time: tagged[time],
                                    "mentioned": tagged[c].to_numpy()}) for c in cols],
                     ignore_index=True)
    out = rate_changes(long, "theme", "mentioned", time, min_days, seed=seed,
                       trials_name="feedback")
    return out[out["change"] > 0].reset_index(drop=True) if rising_only else out


def quotes(tagged: pd.DataFrame, theme: str, n: int = 3, negative: bool = True,
           text: str = "text") -> list[str]:
    """Representative quotes: the most common distinct texts of a theme (by sentiment)."""
    col = f"theme_{theme}"
    if col not in tagged:
        raise SchemaError(f"no column {col}; themes: "
                       f"{[c.removeprefix('theme_') for c in tagged if c.startswith('theme_')]}")
    t = tagged[tagged[col] & ((tagged["sentiment"] < 0) if negative
                              else (tagged["sentiment"] >= 0))]
    return t[text].value_counts().head(n).index.tolist()


def needs_report(tagged: pd.DataFrame, time: str = "created_time") -> pd.DataFrame:
    """The 《用户需求分析报告》 table: per theme, volume, share, complaints, score, quote."""
    cols = [c for c in tagged.columns if c.startswith("theme_")]
    require(tagged, ["sentiment", "score"], "needs_report")
    rows = []
    for c in cols:
        t = tagged[tagged[c]]
        name = c.removeprefix("theme_")
        q = quotes(tagged, name, n=1)
        rows.append({"theme": name, "mentions": len(t),
                     "share": len(t) / len(tagged),
                     "complaint_share": (t["sentiment"] < 0).mean() if len(t) else np.nan,
                     "mean_score": t["score"].mean() if len(t) else np.nan,
                     "top_complaint": q[0] if q else ""})
    return pd.DataFrame(rows).sort_values("mentions", ascending=False, ignore_index=True)
