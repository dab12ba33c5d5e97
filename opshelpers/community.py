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
from .metrics import add_rate, ratio, require
from .quality import SchemaError

from .compat import days_as_duration, renamed
from .events import early_and_follow_up

__all__ = ["group_health", "checkin_streaks", "challenge_effect", "membership_effect",
           "koc_ranking", "concentration", "group_conversion", "points_liability",
           "tier_transitions", "repeat_by_tier", "load_themes", "tag_themes",
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
