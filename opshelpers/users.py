"""User operations (用户运营): lifecycle, retention, funnels, RFM, referral, revenue, churn.

Inputs use the sample's column names: `users` (user_id, signup_time, …), `events`
(user_id, event_time, event), `orders` (user_id, order_time, paid). Outputs are tidy
DataFrames; rates carry their denominator and a Wilson 95 % interval.

Taught in 02_users.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from . import arrays
from .compat import days_as_duration, renamed
from .events import active_days, check_events, early_and_follow_up
from .experiments import note_both_arms, one_arm_per_user
from .metrics import add_rate, ratio, require, two_proportions
from .i18n import t
from .quality import note_excluded, note_unmatched, same_id_kind, unmatched_rows

__all__ = ["active_days", "lifecycle", "retention", "retention_triangle", "funnel",
           "sessions", "rfm_summary", "rfm_scores", "rfm_segments", "segment_summary",
           "referral", "revenue_metrics", "churn_risk_rules", "churn_features",
           "churn_model", "churn_scores", "campaign_quality", "interest_tags",
           "winback_effect", "SEGMENTS", "LIFECYCLE_STATES", "NO_CAMPAIGN",
           "lifecycle_states", "aarrr", "comebacks"]


# ------------------------------------------------------------------ lifecycle
LIFECYCLE_STATES = ("new", "returning", "resurrected", "dormant", "lapsed", "churned")


def lifecycle_states(lang: str | None = None) -> pd.DataFrame:
    """The lifecycle states with their name and definition in `lang` (default
    `ops.setup`'s), one row each in the order `lifecycle` uses.

    >>> lifecycle_states("en").iloc[2].tolist()
    ['resurrected', 'resurrected', 'active in the period, not in the one before, but at some earlier time']
    >>> lifecycle_states("zh").loc[2, "name"]
    '回流'
    """
    return pd.DataFrame({"state": list(LIFECYCLE_STATES),
                         "name": [t(f"users.state_name.{s}", lang) for s in LIFECYCLE_STATES],
                         "definition": [t(f"users.state_definition.{s}", lang)
                                        for s in LIFECYCLE_STATES]})


def lifecycle(users: pd.DataFrame, events: pd.DataFrame, freq: str = "W",
              churn_after: int = 4) -> pd.DataFrame:
    """Every registered user's state in every period, counted: period, state, users.

    `complete` is False for a period that runs past the data (its dormant count is
    inflated: the period is not over yet).

    The states partition the registered users of each period (see `lifecycle_states`),
    in the spirit of PostHog's lifecycle chart, extended with lapsed and churned stocks.

    Taught in 02_users §Lifecycle.
    """
    require(users, ["user_id", "signup_time"], "lifecycle(users)")
    arrays.check_period(freq)
    if churn_after < 2:
        raise ValueError("churn_after must be ≥ 2 periods")
    unmatched = unmatched_rows(users["user_id"], events["user_id"], "users", "events")
    act = active_days(events)
    act = act[act["user_id"].isin(users["user_id"])] if unmatched else act
    # the first period is the earliest signup's or event's: a user may sign up before
    # any event in the data (an index below 0 would wrap to the last period)
    spans = arrays.periods_between(min(act["date"].min(), users["signup_time"].min()),
                                   max(act["date"].max(), users["signup_time"].max()), freq)
    first = spans["number"].iloc[0]
    act_p = pd.DataFrame({"user_id": act["user_id"].to_numpy(),
                          "p": arrays.period_numbers(act["date"], freq) - first}
                         ).drop_duplicates()
    signup_p = arrays.period_numbers(users["signup_time"], freq) - first
    last_p = len(spans) - 1
    span = last_p - signup_p + 1
    uid = np.repeat(users["user_id"].to_numpy(), span)
    p = np.repeat(signup_p, span) + np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    grid = pd.DataFrame({"user_id": uid, "p": p, "signup_p": np.repeat(signup_p, span)})
    key = act_p["user_id"].to_numpy().astype(np.int64) * (last_p + 2) + act_p["p"].to_numpy()
    gkey = grid["user_id"].to_numpy().astype(np.int64) * (last_p + 2) + grid["p"].to_numpy()
    grid["active"] = np.isin(gkey, key)
    grid["prev"] = np.isin(gkey - 1, key)
    last_active = grid["p"].where(grid["active"]).groupby(grid["user_id"]).ffill()
    grid["gap"] = grid["p"] - last_active.fillna(grid["signup_p"] - 10 ** 6)
    new = grid["p"] == grid["signup_p"]
    state = np.select(
        [new, grid["active"] & grid["prev"], grid["active"], grid["prev"],
         grid["gap"] < churn_after],
        ["new", "returning", "resurrected", "dormant", "lapsed"], "churned")
    periods = pd.DatetimeIndex(spans["start"])
    out = (pd.DataFrame({"period": periods[grid["p"].to_numpy()], "state": state})
           .groupby(["period", "state"]).size().rename("users").reset_index())
    out["state"] = pd.Categorical(out["state"], categories=list(LIFECYCLE_STATES))
    # a period that runs past the last day of data is censored: flag it
    out["complete"] = out["period"].map(dict(zip(periods, spans["end"] <= act["date"].max())))
    out = out.sort_values(["period", "state"], ignore_index=True)
    return note_unmatched(out, "events", unmatched, len(events), "lifecycle")


# ------------------------------------------------------------------ retention
@renamed(cohort="freq")
def retention(users: pd.DataFrame, events: pd.DataFrame, days=(1, 7, 30),
              freq: str = "W", kind: str = "n_day", by: str | None = None,
              end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Cohort retention, tidy: cohort, [by], day, cohort_size, eligible, retained, rate, CI.

    Users are grouped into cohorts by the `freq` period (D/W/M/Q/Y) of their signup.

    `kind="n_day"`: active exactly on day N after the signup day (第N日留存).
    `kind="unbounded"`: active on day N or any later day (N日及以后留存).
    Censoring: a user whose day N is after `end` (default: last event date) cannot be
    judged yet; they are left out of `eligible` (never counted as not retained), and
    `complete` is False for a cohort where that happened.

    Taught in 02_users §Cohort retention.
    """
    require(users, ["user_id", "signup_time"], "retention(users)")
    check_events(events, "retention")
    arrays.check_period(freq)
    if kind not in ("n_day", "unbounded"):
        raise ValueError(f"kind must be 'n_day' or 'unbounded', not {kind!r}")
    days = sorted({int(d) for d in np.atleast_1d(days)})
    if days[0] < 0:
        raise ValueError("retention days must be ≥ 0")
    if by is not None:
        require(users, [by], "retention(by=...)")
    user_ids = _unique_user_ids(users, "retention(users)")
    if users["signup_time"].isna().any():
        raise ValueError(f"retention: {int(users['signup_time'].isna().sum())} user(s) have "
                         "no signup_time; fix or drop them first")
    signup = arrays.day_numbers(users["signup_time"])
    event_day = arrays.day_numbers(events["event_time"])
    last = (arrays.day_numbers(pd.Series([pd.Timestamp(end)]))[0] if end is not None
            else event_day.max())
    # integer days instead of a (user, date) groupby: one gather and one scatter per N
    same_id_kind(users["user_id"], events["user_id"], "users", "events")
    pos = arrays.positions(user_ids, arrays.ids(events["user_id"]))
    unmatched = int((pos < 0).sum())
    if unmatched:                         # events of users not in `users` cannot count
        pos, event_day = pos[pos >= 0], event_day[pos >= 0]
    offset = event_day - signup[pos]
    if (offset < 0).any():
        early = np.unique(pos[offset < 0].astype(np.int64) * (int(event_day.max()) + 1)
                          + event_day[offset < 0])
        raise ValueError(f"{len(early)} active day(s) fall before the user's signup "
                         "day; check that user_id and signup_time refer to the same users")
    if kind == "unbounded":
        furthest = np.full(len(user_ids), -1, dtype=np.int64)
        np.maximum.at(furthest, pos, offset)
    per_user = {}
    for d in days:
        if kind == "n_day":
            hit = np.zeros(len(user_ids), dtype=bool)
            hit[pos[offset == d]] = True
        else:
            hit = furthest >= d
        eligible = signup + d <= last
        per_user[f"e{d}"], per_user[f"r{d}"] = eligible, hit & eligible
    cohorts = arrays.period_start(users["signup_time"], freq)
    keys = ["cohort"] + ([by] if by else [])
    frame = pd.DataFrame({"cohort": cohorts.to_numpy(), **per_user})
    if by:
        frame.insert(1, by, users[by].reset_index(drop=True))   # keeps a categorical
    sums = frame.groupby(keys, observed=True)
    size = sums.size()
    totals = sums.sum()
    out = pd.concat([pd.DataFrame({"day": d, "cohort_size": size, "eligible": totals[f"e{d}"],
                                   "retained": totals[f"r{d}"]}) for d in days])
    out = out.reset_index().sort_values(keys + ["day"], kind="stable", ignore_index=True)
    out = add_rate(out, "rate", "retained", "eligible")
    out["complete"] = out["eligible"] == out["cohort_size"]
    return note_unmatched(out, "events", unmatched, len(events), "retention")


def _unique_user_ids(users: pd.DataFrame, what: str) -> np.ndarray:
    user_ids = arrays.ids(users["user_id"])
    dup = pd.Series(user_ids).duplicated()
    if dup.any():
        raise ValueError(f"{what}: {int(dup.sum())} user_id(s) appear more than once, e.g. "
                         f"{user_ids[dup.to_numpy()][:3].tolist()}; keep one row per user "
                         "(users.drop_duplicates('user_id'))")
    return user_ids


@renamed(value="metric")
def retention_triangle(retention_table: pd.DataFrame, metric: str = "rate") -> pd.DataFrame:
    """The classic triangle for display: cohorts down, days across; censored cells are
    blank (NaN). (The one wide result in the package: it is a picture, not data.)"""
    require(retention_table, ["cohort", "day", metric, "eligible"], "retention_triangle")
    t = retention_table.copy()
    t.loc[t["eligible"] == 0, metric] = np.nan
    return t.pivot_table(index="cohort", columns="day", values=metric, aggfunc="first",
                         dropna=False)


# ------------------------------------------------------------------ funnels
def funnel(events: pd.DataFrame, steps: list[str], window: str = "7D",
           users: pd.DataFrame | None = None, by: str | None = None) -> pd.DataFrame:
    """Ordered funnel: each step must follow the previous one within `window` of step 1.

    A user enters at their first `steps[0]` event; step k counts when a `steps[k]` event
    happens at or after the step k−1 time and no later than entry + window.
    Returns step, event, users, conversion from start and from previous step (with
    CIs), drop-off and the median minutes from the previous step [per `by` group].

    Taught in 02_users §Funnels.
    """
    check_events(events, "funnel")
    require(events, ["event"], "funnel")
    if isinstance(steps, str) or len(steps) < 2:
        raise ValueError(t("params.no_steps", given=steps))
    ticks, unit = arrays.ticks(events["event_time"])
    limit = arrays.duration_ticks(window, unit)
    per_minute = arrays.duration_ticks("1min", unit) or 1
    names = list(dict.fromkeys(steps))          # a step may repeat (open → view → open)
    rows = _event_rows(events["event"], names)
    unknown = [n for n, r in zip(names, rows) if not len(r)]
    if unknown:
        seen = sorted(str(x) for x in events["event"].dropna().unique())
        raise ValueError(t("params.unknown_steps", unknown=unknown, seen=seen[:20]))
    step_users = arrays.ids(events["user_id"]).take(np.concatenate(rows))
    codes, user_ids = arrays.dense_codes(step_users)
    has_user = codes >= 0                 # an event without a user cannot be followed
    sizes = np.cumsum([len(r) for r in rows])[:-1]
    step_events = {n: (c[ok], ticks.take(r)[ok]) for n, r, c, ok in
                   zip(names, rows, np.split(codes, sizes), np.split(has_user, sizes))}
    # per user: entry time t0 and the time reached so far; each step is one pass of
    # "earliest step-k event at or after the previous step and within t0 + window"
    never = np.iinfo(np.int64).max
    reached = np.full(int(codes.max()) + 1 if len(codes) else 0, never, dtype=np.int64)
    np.minimum.at(reached, *step_events[steps[0]])
    entry = reached.copy()
    cur = np.flatnonzero(reached != never)
    parts = [(cur, 1, np.full(len(cur), np.nan))]
    for k, step in enumerate(steps[1:], start=2):
        c, tk = step_events[step]
        before = reached[c]
        ok = (before != never) & (tk >= before) & (tk <= entry[c] + limit)
        nxt = np.full(len(reached), never, dtype=np.int64)
        np.minimum.at(nxt, c[ok], tk[ok])
        cur = cur[nxt[cur] != never]
        parts.append((cur, k, (nxt[cur] - reached[cur]) / per_minute))
        reached = nxt
    keys = []
    if by is None:
        out = pd.DataFrame({
            "step": np.arange(1, len(steps) + 1),
            "users": [len(p[0]) for p in parts],
            "median_minutes": [np.median(p[2]) if k > 1 and len(p[0]) else np.nan
                               for k, p in enumerate(parts, start=1)]})
    else:
        if users is None:
            raise ValueError("funnel(by=...) needs users= to look the attribute up")
        require(users, ["user_id", by], "funnel(users)")
        long = pd.DataFrame({
            "user_id": user_ids[np.concatenate([p[0] for p in parts])],
            "step": np.concatenate([np.full(len(p[0]), p[1]) for p in parts]),
            "minutes": np.concatenate([p[2] for p in parts])})
        lost = unmatched_rows(users["user_id"], pd.Series(user_ids[parts[0][0]]), "users",
                              "events")
        long = long.merge(users[["user_id", by]], on="user_id", how="inner")
        keys = [by]
        out = long.groupby(keys + ["step"], observed=True).agg(
            users=("user_id", "size"), median_minutes=("minutes", "median"))
        groups = out.index.get_level_values(0).unique()
        every_step = pd.MultiIndex.from_product([groups, range(1, len(steps) + 1)],
                                                names=keys + ["step"])
        out = out.reindex(every_step).reset_index()      # a step nobody reached shows 0
        out["users"] = out["users"].fillna(0).astype(int)
    out.insert(len(keys) + 1, "event", [steps[k - 1] for k in out["step"]])
    grp = out.groupby(keys, observed=True)["users"] if keys else out["users"]
    out["start_users"] = grp.transform("first") if keys else out["users"].iloc[0]
    out["prev_users"] = (grp.shift(1) if keys else out["users"].shift(1)).fillna(
        out["users"]).astype(int)
    out = add_rate(out, "conversion", "users", "start_users")
    out = add_rate(out, "step_conversion", "users", "prev_users")
    out["drop_off"] = out["prev_users"] - out["users"]
    if by is not None:
        out = note_unmatched(out, "funnel entrants", lost, len(parts[0][0]), "funnel(by=...)")
    return out


def _event_rows(event: pd.Series, names: list[str]) -> list[np.ndarray]:
    """Row numbers of the events named `names[j]`, for each j — comparing category
    codes, not millions of strings, when the column is categorical."""
    if isinstance(event.dtype, pd.CategoricalDtype):
        codes = event.cat.codes.to_numpy()
        position = {str(c): k for k, c in enumerate(event.cat.categories)}
        return [np.flatnonzero(codes == position[n]) if n in position
                else np.array([], dtype=np.int64) for n in names]
    return [np.flatnonzero((event == n).to_numpy(dtype=bool, na_value=False))
            for n in names]


# ------------------------------------------------------------------ sessions
def sessions(events: pd.DataFrame, gap: str = "30min") -> pd.DataFrame:
    """Split each user's events into sessions (会话切分): a new session starts when more
    than `gap` passes since the user's previous event (the web-analytics convention).

    One row per session: user_id, session (1, 2, … per user), start, end, events,
    minutes (end − start; 0 for a one-event session). Sorted by user and start.

    >>> e = pd.DataFrame({"user_id": [1, 1, 1, 2], "event_time": pd.to_datetime(
    ...     ["2026-01-01 09:00", "2026-01-01 09:20", "2026-01-01 10:00",
    ...      "2026-01-01 09:05"])})
    >>> s = sessions(e)
    >>> s[["user_id", "session", "events"]].values.tolist(), s["minutes"].tolist()
    ([[1, 1, 2], [1, 2, 1], [2, 1, 1]], [20.0, 0.0, 0.0])

    Taught in 02_users §Sessions.
    """
    check_events(events, "sessions")
    arrays.duration(gap, "gap")
    t, unit = arrays.ticks(events["event_time"])
    codes, user_ids = arrays.user_codes(events["user_id"])
    codes, t, lo = arrays.sort_by_user(codes, t)   # t: ticks since `lo`, per user in order
    starts_new = np.empty(len(t), dtype=bool)
    starts_new[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=starts_new[1:])
    starts_new[1:] |= t[1:] - t[:-1] > arrays.duration_ticks(gap, unit, "gap")
    first = np.flatnonzero(starts_new)
    del starts_new
    last = np.r_[first[1:], len(t)] - 1
    # gather what the sessions need, then free the per-event arrays before building
    # the result (it is large too: one row per session)
    user, start, end = codes[first], t[first], t[last]
    del codes, t
    n_events = last
    n_events -= first
    n_events += 1
    del first, last
    number = np.arange(len(user))                 # 1, 2, … within each user:
    base = np.where(np.r_[True, user[1:] != user[:-1]], number, 0)
    np.maximum.accumulate(base, out=base)         # index of the user's first session
    number -= base
    number += 1
    del base
    minutes = (end - start) / (arrays.duration_ticks("1min", unit) or 1)
    start += lo
    end += lo
    times = events["event_time"]
    return pd.DataFrame({
        "user_id": user_ids[user], "session": number,
        "start": arrays.from_ticks(start, unit, like=times),
        "end": arrays.from_ticks(end, unit, like=times),
        "events": n_events, "minutes": minutes})


# ------------------------------------------------------------------ RFM
SEGMENTS = {
    # (R high, F high, M high): (中文, English); the suggested action is in the catalogue
    (True, True, True): ("重要价值客户", "champions"),
    (False, True, True): ("重要保持客户", "at-risk loyal"),
    (True, False, True): ("重要发展客户", "big new spenders"),
    (False, False, True): ("重要挽留客户", "lapsing big spenders"),
    (True, True, False): ("一般价值客户", "frequent small buyers"),
    (False, True, False): ("一般保持客户", "fading regulars"),
    (True, False, False): ("一般发展客户", "new small buyers"),
    (False, False, False): ("一般挽留客户", "lost small buyers"),
}


RFM_PERIODS = {"D": 1, "W": 7}   # lifetimes' models need periods of one fixed length


@renamed(customer="user", value="amount")
def rfm_summary(orders: pd.DataFrame, end: str | pd.Timestamp | None = None,
                user: str = "user_id", time: str = "order_time", amount: str = "paid",
                freq: str = "D", freq_multiplier: float = 1) -> pd.DataFrame:
    """Per-customer recency, frequency, monetary value and tenure: one row per customer.

    Columns follow lifetimes' `summary_data_from_transaction_data` where they overlap,
    counted in `freq` periods (D = days, W = Monday–Sunday weeks) divided by
    `freq_multiplier`: `frequency` = purchase periods − 1 (repeat purchases), `recency`
    = periods from the first to the last purchase, `T` = periods from the first
    purchase to `end`'s period, `monetary_value` = mean spend per repeat purchase
    period (0 if none). Marketing RFM adds `recency_days` (days since the last
    purchase), `orders` and `revenue`. Orders after `end` are left out, counted in
    `attrs["excluded_orders"]` with a DataQualityWarning (a calibration period:
    lifetimes' `observation_period_end`).

    >>> o = pd.DataFrame({"user_id": [1, 1, 1, 2], "paid": [10.0, 20.0, 40.0, 5.0],
    ...     "order_time": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-11",
    ...                                   "2026-01-05"])})
    >>> rfm_summary(o, end="2026-01-31")[["user_id", "frequency", "recency", "T",
    ...                                   "monetary_value", "recency_days"]]
       user_id  frequency  recency     T  monetary_value  recency_days
    0        1        1.0     10.0  30.0            40.0            20
    1        2        0.0      0.0  26.0             0.0            26

    In weeks (Monday–Sunday), 2026-01-01 and 2026-01-11 are one week apart:

    >>> rfm_summary(o, end="2026-01-31", freq="W")[["user_id", "recency", "T"]]
       user_id  recency    T
    0        1      1.0  4.0
    1        2      0.0  3.0

    Taught in 02_users §RFM.
    """
    require(orders, [user, time, amount], "rfm_summary")
    if freq not in RFM_PERIODS:
        raise ValueError(t("users.rfm.bad_freq", given=freq))
    if not freq_multiplier > 0:
        raise ValueError(t("users.rfm.bad_multiplier", given=freq_multiplier))
    if orders.empty:
        raise ValueError("rfm_summary: no orders")
    if orders[time].isna().any():
        raise ValueError(f"rfm_summary: {int(orders[time].isna().sum())} order(s) have no "
                         f"{time}; fix or drop them first")
    day = arrays.day_numbers(orders[time])
    stop = (arrays.day_numbers(pd.Series([pd.Timestamp(end)]))[0] if end is not None
            else day.max())
    late = day > stop
    if late.any():
        orders, day = orders[~late], day[~late]
        if orders.empty:
            raise ValueError(f"rfm_summary: every order is after end="
                             f"{np.datetime64(int(stop), 'D')}; choose a later end")
    codes, customers = pd.factorize(orders[user], sort=True)
    if (codes < 0).any():
        raise ValueError(f"rfm_summary: {int((codes < 0).sum())} order(s) have no {user}; "
                         "fix or drop them first")
    # periods: day 0 (1970-01-01) is a Thursday, so Monday weeks start at day 7k − 3
    width = RFM_PERIODS[freq]
    shift = 3 if freq == "W" else 0
    period, stop_period = (day + shift) // width, (int(stop) + shift) // width
    # one sort of (customer, period) keys gives purchase periods in order per customer
    first_period = period.min()
    span = int(stop_period - first_period) + 1
    key = codes.astype(np.int64) * span + (period - first_period)
    order = np.argsort(key, kind="stable")
    key = key[order]
    new_period = np.r_[True, key[1:] != key[:-1]]
    period_index = np.cumsum(new_period) - 1
    period_sum = np.bincount(period_index, weights=orders[amount].to_numpy(float)[order])
    period_key = key[new_period]
    cust = period_key // span
    purchase_period = period_key % span + first_period
    first_of = np.r_[True, cust[1:] != cust[:-1]]
    last_of = np.r_[cust[1:] != cust[:-1], True]
    n_periods = np.bincount(cust)
    total = np.bincount(cust, weights=period_sum)
    first, last = purchase_period[first_of], purchase_period[last_of]
    first_day = np.full(len(customers), np.iinfo(np.int64).max)
    last_day = np.full(len(customers), np.iinfo(np.int64).min)
    np.minimum.at(first_day, codes, day)
    np.maximum.at(last_day, codes, day)
    out = pd.DataFrame({
        user: customers,
        "frequency": (n_periods - 1).astype(float),
        "recency": (last - first) / freq_multiplier,
        "T": (stop_period - first) / freq_multiplier,
        "monetary_value": ratio(total - period_sum[first_of], n_periods - 1),
        "recency_days": (stop - last_day).astype(int),
        "orders": np.bincount(codes),
        "revenue": total,
        "first_purchase": arrays.dates(first_day, like=orders[time]),
        "last_purchase": arrays.dates(last_day, like=orders[time])})
    out["monetary_value"] = out["monetary_value"].fillna(0.0)
    return note_excluded(out, "excluded_orders", int(late.sum()),
                         t("users.rfm.after_end", n=int(late.sum()),
                           end=np.datetime64(int(stop), "D")))


def rfm_scores(summary: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Quantile scores 1…bins for R (recent = high), F (orders) and M (revenue).

    Tied values always get the same score (average rank), so with many one-order
    customers F has fewer distinct scores than bins — that is the data, not a bug.
    """
    require(summary, ["recency_days", "orders", "revenue"], "rfm_scores")
    out = summary.copy()

    def score(x: pd.Series, ascending: bool = True) -> pd.Series:
        pct = x.rank(method="average", pct=True, ascending=ascending)
        return np.ceil(pct * bins).clip(1, bins).astype(int)

    out["r_score"] = score(out["recency_days"], ascending=False)
    out["f_score"] = score(out["orders"])
    out["m_score"] = score(out["revenue"])
    out["rfm_code"] = (out["r_score"].astype(str) + out["f_score"].astype(str)
                       + out["m_score"].astype(str))
    return out


def rfm_segments(summary: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The eight classic segments (重要价值客户 …) from the 1–5 scores of `rfm_scores`
    (computed here when `summary` has none): R, F and M are each "high" when the
    buyer's score is above the mean score of all buyers. Adds segment (中文),
    segment_en and a suggested action in `lang` (default `ops.setup`'s).

    >>> s = pd.DataFrame({"user_id": [1, 2, 3, 4], "recency_days": [5, 80, 10, 90],
    ...                   "orders": [4, 3, 1, 1], "revenue": [500.0, 400.0, 60.0, 30.0]})
    >>> rfm_segments(s, lang="en")[["user_id", "segment"]].values.tolist()
    [[1, '重要价值客户'], [2, '重要保持客户'], [3, '一般发展客户'], [4, '一般挽留客户']]
    """
    scored = summary if {"r_score", "f_score", "m_score"} <= set(summary) \
        else rfm_scores(summary)
    out = scored.copy()
    r_high, f_high, m_high = (out[c] > out[c].mean() for c in ("r_score", "f_score", "m_score"))
    keys = list(zip(r_high, f_high, m_high))
    out["segment"] = [SEGMENTS[k][0] for k in keys]
    out["segment_en"] = [SEGMENTS[k][1] for k in keys]
    actions = {k: t("users.rfm_action." + en.replace(" ", "_").replace("-", "_"), lang)
               for k, (_, en) in SEGMENTS.items()}
    out["action"] = [actions[k] for k in keys]
    return out


def segment_summary(segmented: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue and their shares per segment, biggest revenue first."""
    require(segmented, ["segment", "revenue"], "segment_summary")
    g = segmented.groupby(["segment", "segment_en", "action"], observed=True).agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"),
        mean_recency_days=("recency_days", "mean"), mean_orders=("orders", "mean"))
    g = g.reset_index()
    g["customer_share"] = g["customers"] / g["customers"].sum()
    g["revenue_share"] = g["revenue"] / g["revenue"].sum()
    return g.sort_values("revenue", ascending=False, ignore_index=True)


# ------------------------------------------------------------------ referral
def referral(users: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Invites per user, invite conversion, K-factor and viral cycle time (one row).

    K = invites per user × invite conversion = referred signups / users. The cycle
    time is the median days from an inviter's signup to their invitee's signup.

    Taught in 02_users §Referral (裂变).
    """
    require(users, ["user_id", "signup_time", "referrer_id"], "referral(users)")
    require(events, ["user_id", "event"], "referral(events)")
    invites = int((events["event"] == "invite").sum())
    referred = users[users["referrer_id"].notna()]
    inviter_signup = users.set_index("user_id")["signup_time"]
    cycle = (referred["signup_time"]
             - inviter_signup.reindex(referred["referrer_id"].astype("int64")).to_numpy())
    n = len(users)
    return pd.DataFrame([{
        "users": n, "inviters": int(events.loc[events["event"] == "invite", "user_id"].nunique()),
        "invites": invites, "referred_signups": len(referred),
        "invites_per_user": invites / n if n else np.nan,
        "invite_conversion": len(referred) / invites if invites else np.nan,
        "k_factor": len(referred) / n if n else np.nan,
        "cycle_time_days": cycle.dt.total_seconds().median() / 86400}])


# ------------------------------------------------------------------ acquisition campaigns
NO_CAMPAIGN = "none"   # the campaign of users who came through none


def campaign_quality(users: pd.DataFrame, user_campaigns: pd.DataFrame,
                     events: pd.DataFrame, orders: pd.DataFrame, days: int = 7,
                     first_order_days: int = 14, end: str | pd.Timestamp | None = None
                     ) -> pd.DataFrame:
    """One row per acquisition campaign (拉新活动) — and `NO_CAMPAIGN` for users who came
    through none: how many users it brought, what each cost, and who they are.

    Quality is Dn retention (`retention`'s, day `days`) and the first-order rate: the
    share who ordered within `first_order_days` of signing up. Both leave out users
    who cannot be judged yet (their window ends after `end`, default the last event),
    so `d7_eligible` / `first_order_eligible` are the denominators. `k_factor` =
    signups the campaign's users referred / its users; `cost_per_first_order` =
    spend / first orders; `revenue` is everything its users paid.

    >>> u = pd.DataFrame({"user_id": [1, 2, 3], "referrer_id": [None, 1, None],
    ...     "signup_time": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-02"])})
    >>> uc = pd.DataFrame({"user_id": [1, 2], "campaign": ["poster", "poster"],
    ...                    "cost": [6.0, 6.0]})
    >>> e = pd.DataFrame({"user_id": [1, 2, 3, 3], "event": ["app_open"] * 4,
    ...     "event_time": pd.to_datetime(["2026-01-08", "2026-01-03", "2026-01-09",
    ...                                   "2026-01-20"])})
    >>> o = pd.DataFrame({"user_id": [1], "order_time": pd.to_datetime(["2026-01-05"]),
    ...                   "paid": [80.0]})
    >>> r = campaign_quality(u, uc, e, o).set_index("campaign")
    >>> r.loc["poster", ["users", "cost_per_user", "d7_rate", "first_order_rate",
    ...                  "k_factor", "cost_per_first_order"]].tolist()
    [2.0, 6.0, 0.5, 0.5, 0.5, 12.0]
    >>> r.loc["none", ["d7_rate", "first_order_rate"]].tolist()
    [1.0, 0.0]

    Taught in 02_users §Acquisition campaigns.
    """
    require(users, ["user_id", "signup_time", "referrer_id"], "campaign_quality(users)")
    require(user_campaigns, ["user_id", "campaign", "cost"],
            "campaign_quality(user_campaigns)")
    require(orders, ["user_id", "order_time", "paid"], "campaign_quality(orders)")
    check_events(events, "campaign_quality")
    if not user_campaigns["user_id"].is_unique:
        raise ValueError("campaign_quality: user_campaigns lists a user more than once; "
                         "keep one campaign per user (the one that acquired them)")
    unknown = ~user_campaigns["user_id"].isin(users["user_id"])
    if unknown.any():
        raise ValueError(f"campaign_quality: {int(unknown.sum())} user(s) of "
                         "user_campaigns are not in users; load both from the same export")
    u = users[["user_id", "signup_time", "referrer_id"]].merge(
        user_campaigns[["user_id", "campaign", "cost"]], on="user_id", how="left")
    u["campaign"] = u["campaign"].astype(object).where(u["campaign"].notna(), NO_CAMPAIGN)
    u["cost"] = u["cost"].fillna(0.0)
    kept = retention(u, events, days=(days,), freq="Y", by="campaign", end=end)
    d7 = kept.groupby("campaign")[["eligible", "retained"]].sum()
    last = (pd.Timestamp(end) if end is not None else events["event_time"].max()).normalize()
    window = pd.Timedelta(days=first_order_days)
    judged = u["signup_time"] + window <= last + pd.Timedelta(days=1)   # window seen whole
    first = orders.groupby("user_id")["order_time"].min().reindex(u["user_id"]).to_numpy()
    u["first_order"] = judged.to_numpy() & (first - u["signup_time"].to_numpy() < window)
    u["judged"] = judged.to_numpy()
    u["referred"] = u["user_id"].map(users["referrer_id"].dropna().astype("int64")
                                     .value_counts()).fillna(0).astype(int)
    u["revenue"] = u["user_id"].map(orders.groupby("user_id")["paid"].sum()).fillna(0.0)
    g = u.groupby("campaign").agg(users=("user_id", "size"), spend=("cost", "sum"),
                                  first_order_eligible=("judged", "sum"),
                                  first_orders=("first_order", "sum"),
                                  referred_signups=("referred", "sum"),
                                  revenue=("revenue", "sum"))
    g = g.join(d7.rename(columns={"eligible": "d7_eligible", "retained": "d7_retained"}))
    out = g.reset_index()
    out["cost_per_user"] = ratio(out["spend"], out["users"])
    out = add_rate(out, "d7_rate", "d7_retained", "d7_eligible")
    out = add_rate(out, "first_order_rate", "first_orders", "first_order_eligible")
    out["k_factor"] = ratio(out["referred_signups"], out["users"])
    out["cost_per_first_order"] = np.where(out["spend"] > 0,
                                           ratio(out["spend"], out["first_orders"]), np.nan)
    out["revenue_per_cost"] = np.where(out["spend"] > 0,
                                       ratio(out["revenue"], out["spend"]), np.nan)
    return out.sort_values("cost_per_user", ascending=False, ignore_index=True)


def interest_tags(product_views: pd.DataFrame, order_lines: pd.DataFrame,
                  orders: pd.DataFrame, item_weight: float = 3.0) -> pd.DataFrame:
    """Each user's interest tag (兴趣标签): the tea category they looked at and bought
    most. Score = views + `item_weight` × items bought (buying says more than looking);
    ties go to the category bought more, then to the first in name order. One row per
    user with any view or purchase: user_id, tag, score, share (of the user's whole
    score), views, items.

    >>> pv = pd.DataFrame({"user_id": [1, 1, 1, 2], "category": ["花茶", "花茶", "绿茶", "红茶"]})
    >>> ol = pd.DataFrame({"order_id": [9], "category": ["绿茶"], "items": [1]})
    >>> o = pd.DataFrame({"order_id": [9], "user_id": [1]})
    >>> tags = interest_tags(pv, ol, o)        # user 1: 花茶 2 views; 绿茶 1 view + 3 × 1 item
    >>> tags[["user_id", "tag", "score", "views", "items"]].values.tolist()
    [[1, '绿茶', 4.0, 1, 1], [2, '红茶', 1.0, 1, 0]]
    >>> round(float(tags["share"].iloc[0]), 4)
    0.6667

    Taught in 02_users §Layering by interest.
    """
    require(product_views, ["user_id", "category"], "interest_tags(product_views)")
    require(order_lines, ["order_id", "category", "items"], "interest_tags(order_lines)")
    require(orders, ["order_id", "user_id"], "interest_tags(orders)")
    if item_weight < 0:
        raise ValueError(f"item_weight must be ≥ 0, got {item_weight}")
    lines = order_lines.merge(orders[["order_id", "user_id"]], on="order_id", how="left")
    lost = int(lines["user_id"].isna().sum())
    if lost:
        raise ValueError(f"interest_tags: {lost} order line(s) have an order_id that is "
                         "not in orders; load both from the same export")
    views = product_views.groupby(["user_id", "category"]).size().rename("views")
    items = lines.groupby(["user_id", "category"])["items"].sum()
    per = pd.concat([views, items], axis=1).fillna(0).reset_index()
    per["score"] = per["views"] + item_weight * per["items"]
    per["share"] = per["score"] / per.groupby("user_id")["score"].transform("sum")
    per = per.sort_values(["user_id", "score", "items", "category"],
                          ascending=[True, False, False, True], kind="stable")
    top = per.drop_duplicates("user_id").rename(columns={"category": "tag"})
    top[["views", "items"]] = top[["views", "items"]].astype(int)
    return top[["user_id", "tag", "score", "share", "views", "items"]].reset_index(drop=True)


# ------------------------------------------------------------------ AARRR
AARRR_STAGES = ("acquisition", "activation", "retention", "revenue", "referral")


def aarrr(users: pd.DataFrame, events: pd.DataFrame, orders: pd.DataFrame,
          days: int = 30, early_days: int = 7, lang: str | None = None) -> pd.DataFrame:
    """The AARRR chain (拉新 → 促活 → 留存 → 转化 → 推荐) of one signup cohort, each stage
    as a share of the users whose first `days` days after signup are all in the data.

    activation = active on one of days 1 … `early_days` after signup; retention = active
    on one of days `early_days` + 1 … `days`; revenue = ordered within `days` × 24 h of
    signing up; referral = brought a signup within `days` × 24 h of signing up. The
    stages are shares of the same cohort, not a funnel: a referrer need not have paid.
    One row per stage: step, stage, name, definition (in `lang`), users, cohort, rate
    and its Wilson CI.

    >>> u = pd.DataFrame({"user_id": [1, 2, 3], "referrer_id": [None, 1, None],
    ...     "signup_time": pd.to_datetime(["2026-01-01", "2026-01-05", "2026-01-20"])})
    >>> e = pd.DataFrame({"user_id": [1, 1, 2, 3], "event": ["app_open"] * 4,
    ...     "event_time": pd.to_datetime(["2026-01-03", "2026-01-09", "2026-01-06",
    ...                                   "2026-02-28"])})
    >>> o = pd.DataFrame({"user_id": [2], "order_time": pd.to_datetime(["2026-01-06"]),
    ...                   "paid": [50.0]})
    >>> a = aarrr(u, e, o, days=10, early_days=3, lang="en")
    >>> a[["stage", "users", "cohort"]].values.tolist()
    [['acquisition', 3, 3], ['activation', 2, 3], ['retention', 1, 3], ['revenue', 1, 3], ['referral', 1, 3]]
    """
    require(users, ["user_id", "signup_time", "referrer_id"], "aarrr(users)")
    require(orders, ["user_id", "order_time"], "aarrr(orders)")
    check_events(events, "aarrr")
    u = users if "channel" in users else users.assign(channel="")
    cohort = early_and_follow_up(u, events, early_days, (early_days + 1, days), "aarrr")
    if cohort.empty:
        raise ValueError(f"aarrr: no user's first {days} days after signup are in the data; "
                         "use fewer days or later data")
    window = pd.Timedelta(days=days)
    signup = cohort.set_index("user_id")["signup_time"]
    first = orders.groupby("user_id")["order_time"].min().reindex(signup.index)
    referred = users.loc[users["referrer_id"].notna(), ["referrer_id", "signup_time"]]
    lag = (referred["signup_time"].to_numpy()
           - signup.reindex(referred["referrer_id"].astype("int64")).to_numpy())
    referrers = set(referred["referrer_id"].astype("int64")[lag < window])
    counts = [len(cohort), int((cohort["early_active_days"] > 0).sum()),
              int(cohort["active_in_follow_up"].sum()),
              int((first - signup < window).sum()),
              int(signup.index.isin(list(referrers)).sum())]
    fill = {"days": days, "early": early_days, "first": early_days + 1}
    out = pd.DataFrame({
        "step": np.arange(1, len(AARRR_STAGES) + 1), "stage": list(AARRR_STAGES),
        "name": [t(f"users.aarrr_stage.{s}", lang) for s in AARRR_STAGES],
        "definition": [t(f"users.aarrr_definition.{s}", lang, **fill) for s in AARRR_STAGES],
        "users": counts, "cohort": len(cohort)})
    out = add_rate(out, "rate", "users", "cohort")
    out.attrs.update(cohort.attrs)
    return out



# ------------------------------------------------------------------ revenue
def revenue_metrics(events: pd.DataFrame, orders: pd.DataFrame, freq: str = "M"
                    ) -> pd.DataFrame:
    """Per `freq` period: active and paying users, paying rate (CI), ARPU, ARPPU and
    `paid_aov` (实付客单价 = paid / orders; the glossary's `aov` is GMV / orders).

    Taught in 02_users §Money: ARPU, ARPPU, paying rate.
    """
    check_events(events, "revenue_metrics")
    require(orders, ["user_id", "order_time", "paid"], "revenue_metrics(orders)")
    active = events.groupby(arrays.period_start(events["event_time"], freq))["user_id"] \
        .nunique().rename("active_users")
    o = orders.groupby(arrays.period_start(orders["order_time"], freq)).agg(
        paying_users=("user_id", "nunique"), orders=("paid", "size"), revenue=("paid", "sum"))
    out = active.to_frame().join(o, how="left").fillna(0).reset_index(names="period")
    out[["paying_users", "orders"]] = out[["paying_users", "orders"]].astype(int)
    out = add_rate(out, "paying_rate", "paying_users", "active_users")
    out["arpu"] = ratio(out["revenue"], out["active_users"])
    out["arppu"] = ratio(out["revenue"], out["paying_users"])
    out["paid_aov"] = ratio(out["revenue"], out["orders"])
    return out


# ------------------------------------------------------------------ churn
def churn_risk_rules(summary: pd.DataFrame, min_days: int = 45, gap_multiple: float = 2.0,
                     lang: str | None = None) -> pd.DataFrame:
    """Flag buyers whose silence is long for *them*: an explainable rule.

    At risk when days since the last purchase exceed both `min_days` and
    `gap_multiple` × the buyer's own average gap between purchase days (one-time
    buyers: `min_days` alone). Adds `avg_gap_days`, `at_risk` and a `reason`.
    """
    require(summary, ["frequency", "recency", "recency_days"], "churn_risk_rules")
    out = summary.copy()
    out["avg_gap_days"] = ratio(out["recency"], out["frequency"])
    limit = np.fmax(min_days, gap_multiple * out["avg_gap_days"].fillna(0))
    out["at_risk"] = out["recency_days"] > limit
    out["reason"] = [t("users.churn.silent", lang, days=d, limit=int(round(x))) if risky
                     else "" for d, x, risky in zip(out["recency_days"], limit,
                                                    out["at_risk"])]
    return out


def churn_features(users: pd.DataFrame, events: pd.DataFrame, orders: pd.DataFrame,
                   early_days: int = 7, follow_up_days: tuple[int, int] = (31, 60)
                   ) -> pd.DataFrame:
    """One row per user whose follow-up is observed: first-week features and the label.

    `churned` = 1 when the user has no active day on days follow_up_days[0] …
    follow_up_days[1] after the signup day (day 0 = signup day, as in retention);
    users whose follow-up ends after the data are left out. Features: active days on
    days 1 … `early_days`, a purchase within `early_days` × 24 h of signup, channel.
    """
    u = early_and_follow_up(users, events, early_days, follow_up_days, "churn_features")
    lost_orders = unmatched_rows(users["user_id"], orders["user_id"], "users", "orders")
    buy_t = orders.merge(users[["user_id", "signup_time"]], on="user_id")
    early_buy = buy_t[(buy_t["order_time"] - buy_t["signup_time"]) <=
                      pd.Timedelta(days=early_days)]["user_id"].unique()
    u["early_purchase"] = u["user_id"].isin(early_buy).astype(int)
    u["churned"] = (~u.pop("active_in_follow_up")).astype(int)
    return note_unmatched(u, "orders", lost_orders, len(orders), "churn_features")


def _fit_churn(features: pd.DataFrame):
    if features["churned"].nunique() < 2:
        raise ValueError("churn_model: the label has one value only; widen the data range")
    return smf.logit("churned ~ early_active_days + early_purchase + C(channel)",
                     data=features).fit(disp=False)


@renamed(horizon="follow_up_days")
def churn_model(users: pd.DataFrame, events: pd.DataFrame, orders: pd.DataFrame,
                early_days: int = 7, follow_up_days: tuple[int, int] = (31, 60),
                alpha: float = 0.05) -> pd.DataFrame:
    """Logistic model of churn from a user's first week (statsmodels' Logit on
    `churn_features`): one row per term with coefficient, standard error, z, p-value,
    the coefficient's CI and the odds ratio exp(coef) with its CI.

    An odds ratio below 1 means the feature goes with less churn.
    """
    fit = _fit_churn(churn_features(users, events, orders, early_days, follow_up_days))
    ci = fit.conf_int(alpha)
    out = pd.DataFrame({"term": fit.params.index, "coef": fit.params.to_numpy(),
                        "std_err": fit.bse.to_numpy(), "z": fit.tvalues.to_numpy(),
                        "p_value": fit.pvalues.to_numpy(), "coef_low": ci[0].to_numpy(),
                        "coef_high": ci[1].to_numpy()})
    for col in ("", "_low", "_high"):
        out[f"odds_ratio{col}"] = np.exp(out[f"coef{col}"])
    out.attrs["users"] = int(fit.nobs)
    return out


def churn_scores(users: pd.DataFrame, events: pd.DataFrame, orders: pd.DataFrame,
                 early_days: int = 7, follow_up_days: tuple[int, int] = (31, 60)
                 ) -> pd.DataFrame:
    """`churn_features` with each user's predicted churn probability from `churn_model`."""
    features = churn_features(users, events, orders, early_days, follow_up_days)
    return features.assign(churn_probability=_fit_churn(features).predict(features))


@renamed(treated="treatment", window_days=("window", days_as_duration))
def winback_effect(assignments: pd.DataFrame, events: pd.DataFrame,
                   experiment: str = "winback_0510", treatment: str = "message",
                   control: str = "holdout", window: str = "14D", by: str | None = None
                   ) -> pd.DataFrame:
    """Reactivation (any active day) within `window` (whole calendar days, from the
    assignment day) of assignment, treatment vs held-out control: one row, or one row
    per value of the `assignments` column `by` (merge a layer onto the assignments
    first). A small group's interval is wide: the holdout was sized for the total.

    >>> a = pd.DataFrame({"experiment": "w", "user_id": [1, 2, 3, 4],
    ...     "variant": ["message", "message", "holdout", "holdout"],
    ...     "layer": ["buyer", "never", "buyer", "never"],
    ...     "assigned_time": pd.to_datetime(["2026-05-10"] * 4)})
    >>> e = pd.DataFrame({"user_id": [1, 3, 4], "event": ["app_open"] * 3,
    ...     "event_time": pd.to_datetime(["2026-05-12", "2026-05-30", "2026-05-11"])})
    >>> r = winback_effect(a, e, experiment="w", by="layer")
    >>> r[["layer", "rate_treatment", "rate_control", "diff"]].values.tolist()
    [['buyer', 1.0, 0.0, 1.0], ['never', 0.0, 1.0, -1.0]]

    User 3 came back on day 20, after the 14-day window.

    Taught in 02_users §Win-back.
    """
    days = arrays.whole_days(window)
    require(assignments, ["experiment", "user_id", "variant", "assigned_time"],
            "winback_effect(assignments)")
    if by is not None:
        require(assignments, [by], "winback_effect(by=...)")
    if not (assignments["experiment"] == experiment).any():
        raise ValueError(f"no assignments for experiment {experiment!r}; experiments: "
                         f"{sorted(assignments['experiment'].astype(str).unique())}")
    a, both = one_arm_per_user(assignments, experiment)
    act = active_days(events).merge(a[["user_id", "assigned_time"]], on="user_id")
    start = act["assigned_time"].dt.normalize()
    back = act[(act["date"] >= start) & (act["date"] < start + pd.Timedelta(days=days))]
    a = a.assign(reactivated=a["user_id"].isin(back["user_id"]))
    groups = [(None, a)] if by is None else a.groupby(by, observed=True, sort=True)
    rows = []
    for key, g in groups:
        counts = g.groupby("variant", observed=True)["reactivated"].agg(["sum", "size"])
        for v in (treatment, control):
            if v not in counts.index:
                where = "" if by is None else f" in {by}={key!r}"
                raise ValueError(f"variant {v!r} missing{where}; variants: "
                                 f"{list(counts.index)}")
        rows.append({**({} if by is None else {by: key}), "experiment": experiment,
                     "control": control, "treatment": treatment,
                     **two_proportions(counts.loc[control, "sum"], counts.loc[control, "size"],
                                       counts.loc[treatment, "sum"],
                                       counts.loc[treatment, "size"])})
    return note_both_arms(pd.DataFrame(rows), experiment, both)


# ------------------------------------------------------------------ win-back
def comebacks(events: pd.DataFrame, orders: pd.DataFrame, dormant_days: int = 30,
              window: str = "30D", as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Every natural return (自然回流): an active day after at least `dormant_days` days
    without any activity, with what the user had paid before it and paid in the
    `window` (whole days, from the return day) after it — the value of a comeback by
    layer, to size a win-back before anyone is messaged.

    One row per return: user_id, date, silent_days (days without activity before it),
    paid_before, paid_after, ordered_after. Returns whose window ends after `as_of`
    (default the last event day) cannot be judged yet: they are left out and counted
    in `attrs["unobserved_comebacks"]`.

    >>> e = pd.DataFrame({"user_id": [1, 1, 1, 2, 2], "event": ["app_open"] * 5,
    ...     "event_time": pd.to_datetime(["2026-01-01", "2026-01-31", "2026-03-15",
    ...                                   "2026-01-01", "2026-02-01"])})
    >>> o = pd.DataFrame({"user_id": [1, 1], "paid": [40.0, 25.0],
    ...     "order_time": pd.to_datetime(["2026-01-01 12:00", "2026-02-09 09:00"])})
    >>> c = comebacks(e, o, dormant_days=30, window="10D", as_of="2026-03-31")
    >>> c[["user_id", "silent_days"]].values.tolist(), c["paid_before"].tolist()
    ([[1, 42], [2, 30]], [65.0, 0.0])

    User 1's return on 31 January came after 29 silent days: not a comeback.
    """
    check_events(events, "comebacks")
    require(orders, ["user_id", "order_time", "paid"], "comebacks(orders)")
    if dormant_days < 1:
        raise ValueError(f"dormant_days must be ≥ 1, got {dormant_days}")
    span = pd.Timedelta(days=arrays.whole_days(window))
    act = active_days(events).sort_values(["user_id", "date"], ignore_index=True)
    silent = (act["date"] - act.groupby("user_id")["date"].shift()).dt.days - 1
    back = act.assign(silent_days=silent)[silent >= dormant_days].reset_index(drop=True)
    back["silent_days"] = back["silent_days"].astype(int)
    last = (pd.Timestamp(as_of).normalize() if as_of is not None else act["date"].max())
    seen = back["date"] + span <= last + pd.Timedelta(days=1)
    unobserved = int((~seen).sum())
    back = back[seen].reset_index(drop=True)
    o = orders[["user_id", "order_time", "paid"]].merge(
        back[["user_id", "date"]].reset_index(names="row"), on="user_id")
    before = o[o["order_time"] < o["date"]].groupby("row")["paid"].sum()
    after = o[(o["order_time"] >= o["date"]) & (o["order_time"] < o["date"] + span)]
    back["paid_before"] = back.index.map(before).fillna(0.0).astype(float)
    back["paid_after"] = back.index.map(after.groupby("row")["paid"].sum()).fillna(0.0)
    back["ordered_after"] = back.index.isin(after["row"])
    back.attrs["unobserved_comebacks"] = unobserved
    return back[["user_id", "date", "silent_days", "paid_before", "paid_after",
                 "ordered_after"]]
