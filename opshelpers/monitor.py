"""Data operations (数据运营): KPI tables, stickiness, the GMV tree, anomalies, root causes,
user paths.

Taught in 06_data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.seasonal import STL

from . import arrays
from .changes import level_change
from .compat import bare_number
from .metrics import ratio, require

__all__ = ["kpi_table", "stickiness", "kpi_tree", "detect_anomalies", "level_shift",
           "drill_down", "user_paths"]


def kpi_table(events: pd.DataFrame, orders: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Core KPIs per period with period-over-period change.

    active_users (DAU for "D"), new_users (signup events), payers, orders, gmv (order
    value before discounts), paid (revenue after discounts), paying_rate,
    orders_per_payer, aov (= gmv / orders), arpu (= paid / active users). Daily tables add `*_dod` and the
    same-weekday comparison `*_wow`; weekly `*_wow`; monthly `*_mom`.
    """
    require(events, ["user_id", "event_time", "event"], "kpi_table(events)")
    require(orders, ["user_id", "order_time", "gmv", "paid"], "kpi_table(orders)")
    e_p = arrays.period_start(events["event_time"], freq)
    o_p = arrays.period_start(orders["order_time"], freq)
    out = pd.DataFrame({
        "active_users": events.groupby(e_p)["user_id"].nunique(),
        "new_users": events[events["event"] == "signup"].groupby(
            e_p[events["event"] == "signup"]).size()})
    o = orders.groupby(o_p).agg(payers=("user_id", "nunique"), orders=("paid", "size"),
                                gmv=("gmv", "sum"), paid=("paid", "sum"))
    out = out.join(o).fillna(0)
    out.index.name = "period"
    for c in ("new_users", "payers", "orders"):
        out[c] = out[c].astype(int)
    out["paying_rate"] = ratio(out["payers"], out["active_users"])
    out["orders_per_payer"] = ratio(out["orders"], out["payers"])
    out["aov"] = ratio(out["gmv"], out["orders"])
    out["arpu"] = ratio(out["paid"], out["active_users"])
    base = ["active_users", "new_users", "gmv", "paid", "paying_rate", "aov"]
    if freq == "D":
        for c in base:
            out[f"{c}_dod"] = out[c].pct_change(fill_method=None)
            out[f"{c}_wow"] = out[c] / out[c].shift(7) - 1
    else:
        tag = {"W": "wow", "M": "mom"}.get(freq, "pop")
        for c in base:
            out[f"{c}_{tag}"] = out[c].pct_change(fill_method=None)
    return out.reset_index()


def stickiness(events: pd.DataFrame, window: str = "30D") -> pd.DataFrame:
    """DAU, MAU (distinct users in the last `window`, whole days, ending that day) and
    DAU/MAU per day.

    Each active day of a user covers the days until their next active day or
    `window` days later, whichever is first; summing the coverage counts each user
    once per day — exact and fast.
    """
    require(events, ["user_id", "event_time"], "stickiness")
    if events.empty:
        raise ValueError("stickiness: the events table is empty")
    window = arrays.whole_days(bare_number(window, "stickiness", "window", "D"))
    user, d, first_day = arrays.active_pairs(events)
    n = int(d.max()) + 1
    following = np.r_[d[1:], 0]
    same_user = np.r_[user[1:] == user[:-1], False]
    covered_to = np.minimum(np.where(same_user, following, n + window), d + window)
    diff = np.bincount(d, minlength=n + window + 1) - np.bincount(
        np.minimum(covered_to, n + window), minlength=n + window + 1)
    mau = np.cumsum(diff)[:n]
    dau = np.bincount(d, minlength=n)
    start = arrays.dates(np.array([first_day]), like=events["event_time"])[0]
    days = pd.date_range(start, periods=n)
    out = pd.DataFrame({"date": days, "dau": dau, "mau": mau.astype(int)})
    out["stickiness"] = ratio(out["dau"], out["mau"])
    out["complete_window"] = out["date"] >= start + pd.Timedelta(days=window - 1)
    return out


def kpi_tree(kpis: pd.DataFrame, before, after) -> pd.DataFrame:
    """Split a GMV change into active users, paying rate, orders per payer and AOV (LMDI).

    GMV = active users × paying rate × orders per payer × AOV holds exactly, so with the
    logarithmic mean L(a, b) = (a − b)/(ln a − ln b) each factor's contribution is
    L(GMV₁, GMV₀) × ln(x₁/x₀) and the contributions add up to the change exactly.
    `before` and `after` are period labels, or (first, last) date ranges that are
    averaged per day.
    """
    require(kpis, ["period", "active_users", "gmv", "payers", "orders"], "kpi_tree")
    k = kpis.set_index("period")

    def level(sel):
        rows = k.loc[sel[0]:sel[1]] if isinstance(sel, tuple) else k.loc[[sel]]
        if rows.empty:
            raise ValueError(f"no KPI rows for {sel}")
        m = rows[["active_users", "payers", "orders", "gmv"]].mean()
        return pd.Series({"active_users": m["active_users"], "paying_rate": m["payers"] /
                          m["active_users"], "orders_per_payer": m["orders"] / m["payers"],
                          "aov": m["gmv"] / m["orders"], "gmv": m["gmv"]})

    x0, x1 = level(before), level(after)
    g0, g1 = x0["gmv"], x1["gmv"]
    lm = (g1 - g0) / (np.log(g1) - np.log(g0)) if g1 != g0 else g0
    factors = ["active_users", "paying_rate", "orders_per_payer", "aov"]
    out = pd.DataFrame({"factor": factors, "before": x0[factors].to_numpy(),
                        "after": x1[factors].to_numpy()})
    out["change_pct"] = out["after"] / out["before"] - 1
    out["contribution"] = lm * np.log(out["after"] / out["before"])
    out["share_of_change"] = out["contribution"] / (g1 - g0) if g1 != g0 else np.nan
    total = pd.DataFrame([{"factor": "gmv", "before": g0, "after": g1,
                           "change_pct": g1 / g0 - 1, "contribution": g1 - g0,
                           "share_of_change": 1.0}])
    return pd.concat([out, total], ignore_index=True)


def detect_anomalies(series: pd.Series, period: int = 7, threshold: float = 3.5,
                     trend_days: int = 29, burn_in: int = 0, sustained: int = 7,
                     sustained_threshold: float = 5.0,
                     known_events: list[tuple[str, str]] | None = None) -> pd.DataFrame:
    """Flag days far from what trend and weekly seasonality predict (STL + robust z).

    A robust STL (statsmodels) splits the series into trend, weekly seasonal and
    residual; residuals are scaled by the normal-consistent MAD (scipy) into z. A day is flagged when
    |z| > threshold (a spike or dip), or when it lies in a run of `sustained` days
    whose mean z × √sustained exceeds `sustained_threshold` (a week-long dip that no
    single day shows clearly), with its own z of the same sign beyond 1. Days inside `known_events` (campaigns, holidays) are marked
    `known` instead; the first `burn_in` days (a launch ramp) are never flagged.
    """
    s = pd.Series(series).astype(float)
    if not isinstance(s.index, pd.DatetimeIndex):
        raise TypeError("the series needs a DatetimeIndex of days")
    full = pd.date_range(s.index.min(), s.index.max(), freq="D")
    if len(full) != len(s):
        raise ValueError(f"{len(full) - len(s)} missing day(s) in the series; reindex with "
                         "fill_value=0 (a day without activity) or interpolate explicitly")
    if len(s) < 2 * period + 1:
        raise ValueError(f"the series has {len(s)} days; STL needs at least {2 * period + 1}")
    trend = trend_days if trend_days % 2 else trend_days + 1
    res = STL(s.to_numpy(), period=period, trend=trend, robust=True).fit()
    resid = pd.Series(res.resid, s.index)
    expected = s - resid
    mad = stats.median_abs_deviation(resid, scale="normal")   # robust σ of the residual
    scale = mad if mad > 0 else resid.std()
    z = (resid - resid.median()) / scale
    run = z.rolling(sustained, center=True, min_periods=sustained).mean() * np.sqrt(sustained)
    in_run = pd.Series(False, index=s.index)
    for i in np.flatnonzero(run.abs().to_numpy() > sustained_threshold):
        lo, hi = i - sustained // 2, i + sustained // 2 + 1
        window = z.iloc[lo:hi]
        same = (np.sign(window) == np.sign(run.iloc[i])) & (window.abs() > 1.0)
        in_run.loc[window.index[same]] = True
    out = pd.DataFrame({"date": s.index, "value": s.to_numpy(), "expected": expected,
                        "low": expected - threshold * scale,
                        "high": expected + threshold * scale, "z": z, "run_z": run})
    flag = ((out["z"].abs() > threshold) | in_run.to_numpy()) & \
        (np.arange(len(out)) >= burn_in)
    known = np.zeros(len(out), bool)
    for first, last in known_events or []:
        known |= out["date"].between(pd.Timestamp(first), pd.Timestamp(last)).to_numpy()
    out["known"] = flag & known
    out["anomaly"] = flag & ~known
    out["kind"] = np.where(~flag, "", np.where(out["z"] > 0, "spike", "dip"))
    return out.reset_index(drop=True)


def level_shift(series: pd.Series, min_days: int = 14, permutations: int = 199,
                alpha: float = 0.01, seed: int = 0) -> pd.DataFrame:
    """The day a daily series' level changed most, with a permutation p-value: one row
    from `changes.level_change` (for series without a trend, such as a daily rate)."""
    return pd.DataFrame([level_change(series, min_days, permutations, alpha, seed)])


def drill_down(data: pd.DataFrame, dimension: str, time: str, before: tuple, after: tuple,
               numerator: str | None = None, denominator: str | None = None
               ) -> pd.DataFrame:
    """Which values of `dimension` explain a change between two periods?

    Count metric (no `denominator`): rows (or the sum of `numerator`) per day; each
    value's contribution is its change in daily average. Rate metric (numerator /
    denominator): the change splits exactly into mix (Δ share × old rate), rate
    (old share × Δ rate) and interaction per value.
    """
    require(data, [dimension, time] + [c for c in (numerator, denominator) if c],
            "drill_down")
    t = data[time].dt.normalize()

    def agg(lo, hi):
        d = data[(t >= pd.Timestamp(lo)) & (t <= pd.Timestamp(hi))]
        days = (pd.Timestamp(hi) - pd.Timestamp(lo)).days + 1
        g = d.groupby(dimension, observed=True)
        num = g[numerator].sum() if numerator else g.size()
        den = g[denominator].sum() if denominator else None
        return num / days, (den / days if den is not None else None)

    n0, d0 = agg(*before)
    n1, d1 = agg(*after)
    idx = n0.index.union(n1.index)
    n0, n1 = n0.reindex(idx, fill_value=0), n1.reindex(idx, fill_value=0)
    if denominator is None:
        out = pd.DataFrame({"before": n0, "after": n1})
        out["contribution"] = out["after"] - out["before"]
        out["share_of_change"] = out["contribution"] / out["contribution"].sum()
    else:
        d0, d1 = d0.reindex(idx, fill_value=0), d1.reindex(idx, fill_value=0)
        w0, w1 = d0 / d0.sum(), d1 / d1.sum()
        r0 = pd.Series(ratio(n0, d0), idx).fillna(0)
        r1 = pd.Series(ratio(n1, d1), idx).fillna(0)
        out = pd.DataFrame({"share_before": w0, "share_after": w1, "rate_before": r0,
                            "rate_after": r1})
        out["mix"] = (w1 - w0) * r0
        out["rate"] = w0 * (r1 - r0)
        out["interaction"] = (w1 - w0) * (r1 - r0)
        out["contribution"] = out["mix"] + out["rate"] + out["interaction"]
        out["share_of_change"] = out["contribution"] / out["contribution"].sum()
    out = out.reset_index().rename(columns={"index": dimension})
    order = out["contribution"].abs().sort_values(ascending=False).index
    return out.loc[order].reset_index(drop=True)


def user_paths(events: pd.DataFrame, start: str = "signup", steps: int = 4,
               top: int = 10) -> pd.DataFrame:
    """The most common event sequences after `start` (repeats collapsed), with exits.

    Each user's first `steps` distinct-in-a-row events after their first `start`
    event, joined by " > "; paths shorter than `steps` end in "(exit)".
    """
    require(events, ["user_id", "event_time", "event"], "user_paths")
    ev = events.sort_values(["user_id", "event_time"], kind="stable")
    first = ev[ev["event"] == start].groupby("user_id")["event_time"].min()
    if first.empty:
        raise ValueError(f"no {start!r} events")
    e = ev[ev["user_id"].isin(first.index)]
    e = e[e["event_time"] >= e["user_id"].map(first)]
    e = e[e["event"].astype(str) != e.groupby("user_id")["event"].shift().astype(str)]
    e = e.groupby("user_id").head(steps + 1)
    paths = e.groupby("user_id")["event"].agg(lambda x: " > ".join(map(str, x)))
    n = e.groupby("user_id").size()
    paths = paths.where(n > steps, paths + " > (exit)")
    out = paths.value_counts().rename("users").reset_index().rename(
        columns={"event": "path", "index": "path"})
    out.columns = ["path", "users"]
    out["share"] = out["users"] / out["users"].sum()
    return out.head(top)
