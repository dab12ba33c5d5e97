"""Campaign operations (活动运营): phase reports, incremental lift, pacing, fraud, 复盘.

Inputs: `orders` (user_id, order_time, gmv, discount, paid, coupon_code, campaign_id,
device_id, ip), `campaigns` (campaign_id, phase, start_date, end_date, budget, spend),
`events` for active users, `users` for signup times.

Taught in 05_activity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import norm
from scipy.sparse.csgraph import connected_components

from .arrays import period_start
from .metrics import GROSS_MARGIN, add_rate, ratio, require

__all__ = ["campaign_returns", "campaign_forecast", "phase_report", "pace_monitor",
           "live_kpis", "intervention_effect", "fraud_rings", "velocity_flags", "postmortem"]


def campaign_returns(history: pd.DataFrame) -> pd.DataFrame:
    """Past campaigns with their cost (media + coupons), incremental GMV (GMV − baseline)
    and return per CNY of cost (incremental GMV / cost).

    >>> h = pd.DataFrame({"campaign_id": ["a"], "kind": ["sale"], "media_spend": [80.0],
    ...                   "coupon_cost": [20.0], "baseline_gmv": [500.0], "gmv": [590.0]})
    >>> campaign_returns(h)[["total_cost", "incremental_gmv", "return_per_cost"]].values.tolist()
    [[100.0, 90.0, 0.9]]
    """
    require(history, ["campaign_id", "kind", "media_spend", "coupon_cost", "baseline_gmv",
                      "gmv"], "campaign_returns")
    out = history.copy()
    out["total_cost"] = out["media_spend"] + out["coupon_cost"]
    out["incremental_gmv"] = out["gmv"] - out["baseline_gmv"]
    out["return_per_cost"] = ratio(out["incremental_gmv"], out["total_cost"])
    return out


def campaign_forecast(history: pd.DataFrame, cost: float, kind: str, level: float = 0.8
                      ) -> pd.DataFrame:
    """What incremental GMV a campaign of `kind` costing `cost` CNY can expect, with a
    `level` prediction interval for one new campaign, from past campaigns.

    Returns per CNY of cost vary by a factor, not by an amount, so the model is
    log(incremental GMV / cost) = the kind's level + noise, fitted by OLS (statsmodels)
    over all past campaigns (the kinds share one noise level). The forecast is the
    median exp(level) × cost; the interval is for a single campaign (the model's
    uncertainty plus one campaign's own luck).

    >>> h = pd.DataFrame({"campaign_id": list("abcd"), "kind": ["sale"] * 4,
    ...                   "media_spend": [100.0] * 4, "coupon_cost": [0.0] * 4,
    ...                   "baseline_gmv": [0.0] * 4, "gmv": [50.0, 100.0, 100.0, 200.0]})
    >>> f = campaign_forecast(h, 1_000, "sale")
    >>> round(float(f["incremental_gmv"].iloc[0]), 6)
    1000.0
    """
    import statsmodels.formula.api as smf

    r = campaign_returns(history)
    bad = r.loc[~(r["incremental_gmv"] > 0) | ~(r["total_cost"] > 0), "campaign_id"].tolist()
    if bad:
        raise ValueError(f"campaign_forecast: campaigns {bad} have no positive incremental "
                         "GMV or cost, so a return per CNY has no logarithm; check their "
                         "baseline_gmv, or leave them out and say so")
    if not cost > 0:
        raise ValueError(f"campaign_forecast: cost must be positive CNY, got {cost!r}")
    kinds = sorted(r["kind"].unique())
    if kind not in kinds:
        raise ValueError(f"campaign_forecast: no past campaign of kind {kind!r}; "
                         f"known kinds: {kinds}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    data = pd.DataFrame({"log_return": np.log(r["return_per_cost"].to_numpy(float)),
                         "kind": r["kind"].astype(str).to_numpy()})
    if len(data) <= len(kinds):
        raise ValueError("campaign_forecast needs more past campaigns than kinds to "
                         f"measure the noise; it has {len(data)} for {len(kinds)} kinds")
    fit = smf.ols("log_return ~ 0 + C(kind)", data).fit()
    pred = fit.get_prediction(pd.DataFrame({"kind": [kind]})).summary_frame(alpha=1 - level)
    per_cost = np.exp(pred["mean"].iloc[0])
    return pd.DataFrame([{
        "kind": kind, "total_cost": float(cost),
        "past_campaigns": int((data["kind"] == kind).sum()),
        "return_per_cost": per_cost, "incremental_gmv": per_cost * cost,
        "incremental_gmv_low": np.exp(pred["obs_ci_lower"].iloc[0]) * cost,
        "incremental_gmv_high": np.exp(pred["obs_ci_upper"].iloc[0]) * cost,
        "level": level}])


def phase_report(orders: pd.DataFrame, campaigns: pd.DataFrame, events: pd.DataFrame,
                 campaign_ids: list[str], baseline_days: int = 21,
                 margin: float = GROSS_MARGIN
                 ) -> pd.DataFrame:
    """Per phase: active users, buyers, orders, GMV, AOV, coupon cost, incremental GMV and
    the campaign ROI (the glossary's `campaign_roi`, on incremental GMV).

    The baseline is the mean daily GMV of the `baseline_days` before the first phase;
    `incremental_gmv` = phase GMV − baseline × days, with a 95 % interval from the
    day-to-day spread of the baseline. ROI = (incremental GMV × margin − spend − coupon
    cost) / (spend + coupon cost): the glossary's `campaign_roi`, not the channel `roi`
    (attributed revenue) of `traffic.channel_report`.
    """
    require(orders, ["user_id", "order_time", "gmv", "discount", "paid"], "phase_report")
    require(campaigns, ["campaign_id", "phase", "start_date", "end_date", "spend"],
            "phase_report(campaigns)")
    c = campaigns[campaigns["campaign_id"].isin(campaign_ids)].sort_values("start_date")
    if c.empty:
        raise ValueError(f"no campaigns {campaign_ids}; known: "
                         f"{campaigns['campaign_id'].tolist()}")
    day = orders["order_time"].dt.normalize()
    daily = orders.groupby(day)["gmv"].sum()
    first = c["start_date"].min()
    base_days = pd.date_range(first - pd.Timedelta(days=baseline_days), periods=baseline_days)
    base = daily.reindex(base_days, fill_value=0.0)
    mu, sd = base.mean(), base.std(ddof=1)
    act_day = events["event_time"].dt.normalize()
    rows = []
    for r in c.itertuples():
        days = pd.date_range(r.start_date, r.end_date)
        if len(days) == 0:
            raise ValueError(f"campaign {r.campaign_id} has an empty window")
        o = orders[day.isin(days)]
        active = events.loc[act_day.isin(days), "user_id"].nunique()
        n = len(days)
        inc = o["gmv"].sum() - mu * n
        half = 1.96 * sd * np.sqrt(n) * np.sqrt(1 + 1 / baseline_days) if n else 0
        cost = float(r.spend) + o["discount"].sum()
        rows.append({"campaign_id": r.campaign_id, "phase": r.phase, "days": n,
                     "active_users": active, "buyers": o["user_id"].nunique(),
                     "orders": len(o), "gmv": o["gmv"].sum(), "paid": o["paid"].sum(),
                     "coupon_cost": o["discount"].sum(), "spend": float(r.spend),
                     "baseline_gmv": mu * n, "incremental_gmv": inc,
                     "incremental_gmv_low": inc - half, "incremental_gmv_high": inc + half,
                     "lift": o["gmv"].sum() / (mu * n) - 1 if mu > 0 else np.nan,
                     "campaign_roi": (inc * margin - cost) / cost if cost else np.nan})
    out = pd.DataFrame(rows)
    out = add_rate(out, "buyer_rate", "buyers", "active_users")
    out["aov"] = ratio(out["gmv"], out["orders"])
    return out


def pace_monitor(data: pd.DataFrame, target_gmv: float, start: str, end: str,
                 baseline_days: int = 14, tolerance: float = 0.1, time: str = "order_time",
                 metric: str = "gmv") -> pd.DataFrame:
    """Hourly cumulative `metric` vs the target's pace, with an alert below (1 − tolerance).

    `data` is one row per order (`order_time`, `gmv`) or an hourly export (pass
    `time="hour"`). The pace is shaped like a normal day: the target is spread over the
    hours from `start` to the end of `end` in proportion to the hour-of-day profile of
    the `baseline_days` before `start`. `attainment` = cumulative / pace.

    >>> d = pd.DataFrame({"hour": pd.date_range("2026-06-01", periods=48, freq="h"),
    ...                   "gmv": 1.0})
    >>> p = pace_monitor(d, 24.0, "2026-06-02", "2026-06-02", baseline_days=1, time="hour")
    >>> float(p["target_pace"].iloc[-1]), bool(p["alert"].any())
    (24.0, False)
    """
    require(data, [time, metric], "pace_monitor")
    if not target_gmv > 0:
        raise ValueError(f"pace_monitor: target_gmv must be positive, got {target_gmv!r}")
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    if hi <= lo:
        raise ValueError(f"pace_monitor: end {end} is before start {start}")
    when = data[time]
    pre = data[(when >= lo - pd.Timedelta(days=baseline_days)) & (when < lo)]
    profile = pre.groupby(pre[time].dt.hour)[metric].sum().reindex(range(24), fill_value=0)
    if profile.sum() == 0:
        raise ValueError(f"pace_monitor: no {metric} in the {baseline_days} days before "
                         f"{start} to shape the pace; pass a longer baseline_days")
    hours = pd.date_range(lo, hi, freq="h", inclusive="left")
    weight = profile.to_numpy()[hours.hour]
    target = np.cumsum(weight / weight.sum() * target_gmv)
    d = data[(when >= lo) & (when < hi)]
    actual = d.groupby(d[time].dt.floor("h"))[metric].sum().reindex(hours, fill_value=0)
    out = pd.DataFrame({"hour": hours, metric: actual.to_numpy(),
                        f"cumulative_{metric}": actual.cumsum().to_numpy(),
                        "target_pace": target})
    out["attainment"] = ratio(out[f"cumulative_{metric}"], out["target_pace"])
    out["alert"] = out["attainment"] < 1 - tolerance
    return out


def live_kpis(live: pd.DataFrame, freq: str = "D", time: str = "hour") -> pd.DataFrame:
    """A live room's (直播间) numbers per period (D, W, M) or per hour (`freq="h"`):
    viewers, buyers, orders, GMV, coupon cost, conversion (buyers / viewers, with its
    Wilson interval), AOV (GMV / orders) and GMV per viewer (UV价值).

    >>> h = pd.DataFrame({"hour": pd.to_datetime(["2026-06-01 20:00", "2026-06-01 21:00"]),
    ...                   "viewers": [100, 300], "buyers": [2, 10], "orders": [2, 12],
    ...                   "gmv": [200.0, 1000.0], "coupon_cost": [0.0, 50.0]})
    >>> k = live_kpis(h)
    >>> k[["conversion", "aov", "gmv_per_viewer"]].values.tolist()
    [[0.03, 85.71428571428571, 3.0]]
    """
    cols = ["viewers", "buyers", "orders", "gmv", "coupon_cost"]
    require(live, [time, *cols], "live_kpis")
    period = live[time].dt.floor("h") if freq == "h" else period_start(live[time], freq)
    out = live.groupby(period.rename("period"))[cols].sum().reset_index()
    out = add_rate(out, "conversion", "buyers", "viewers")
    out["aov"] = ratio(out["gmv"], out["orders"])
    out["gmv_per_viewer"] = ratio(out["gmv"], out["viewers"])
    return out


def _ratio_se(metric: np.ndarray, exposure: np.ndarray) -> tuple[float, float]:
    """Σ metric / Σ exposure over rows (hours) and its standard error, by the classic
    ratio-estimator variance Σ (metric − r × exposure)² / (n (n − 1) × mean exposure²)."""
    n = metric.size
    r = metric.sum() / exposure.sum()
    if n < 2:
        return r, np.nan
    resid = metric - r * exposure
    return r, float(np.sqrt((resid ** 2).sum() / (n * (n - 1)) / exposure.mean() ** 2))


def intervention_effect(live: pd.DataFrame, at: str, start: str, end: str,
                        metric: str = "gmv", exposure: str = "viewers", time: str = "hour",
                        level: float = 0.95) -> pd.DataFrame:
    """What a change made at `at` (a coupon top-up, a new host) added to `metric`, against
    the run-rate before it.

    Before = hours from `start` up to `at`; after = from `at` to the end of day `end`.
    Without the change, each unit of `exposure` after it would have brought what it
    brought before (`rate_before` = Σ metric / Σ exposure), so `expected` = rate_before
    × exposure after, and `effect` = actual − expected. The interval comes from the
    hour-to-hour spread of both rates (ratio estimator), so it fits a change that
    leaves `exposure` alone (a coupon changes who buys, not who comes).

    >>> h = pd.DataFrame({"hour": pd.date_range("2026-06-01", periods=4, freq="h"),
    ...                   "viewers": [100, 100, 100, 100], "gmv": [200.0, 220, 300, 320]})
    >>> e = intervention_effect(h, "2026-06-01 02:00", "2026-06-01", "2026-06-01")
    >>> e[["rate_before", "expected", "effect"]].values.tolist()
    [[2.1, 420.0, 200.0]]
    """
    require(live, [time, metric, exposure], "intervention_effect")
    lo, cut = pd.Timestamp(start), pd.Timestamp(at)
    hi = pd.Timestamp(end) + pd.Timedelta(days=1)
    if not lo < cut < hi:
        raise ValueError(f"intervention_effect: `at` {at} must fall after start {start} "
                         f"and before the end of {end}")
    when = live[time]
    parts = {}
    for name, mask in (("before", (when >= lo) & (when < cut)),
                       ("after", (when >= cut) & (when < hi))):
        rows = live[mask & (live[exposure] > 0)]
        if len(rows) < 2:
            raise ValueError(f"intervention_effect: fewer than 2 hours with {exposure} "
                             f"{name} {at}; widen start/end")
        parts[name] = (rows[metric].to_numpy(float), rows[exposure].to_numpy(float))
    r_b, se_b = _ratio_se(*parts["before"])
    r_a, se_a = _ratio_se(*parts["after"])
    x_a = parts["after"][1].sum()
    actual = parts["after"][0].sum()
    expected = r_b * x_a
    effect = actual - expected
    half = norm.ppf(1 - (1 - level) / 2) * x_a * np.hypot(se_a, se_b)
    return pd.DataFrame([{
        "at": cut, "hours_before": len(parts["before"][0]),
        "hours_after": len(parts["after"][0]), "rate_before": r_b, "rate_after": r_a,
        "lift": r_a / r_b - 1, f"{exposure}_after": x_a, "actual": actual,
        "expected": expected, "effect": effect, "effect_low": effect - half,
        "effect_high": effect + half}])


def fraud_rings(orders: pd.DataFrame, users: pd.DataFrame | None = None,
                min_accounts: int = 5, coupon: str | None = None) -> pd.DataFrame:
    """Groups of accounts linked by a shared device or IP (防刷单), with the evidence.

    Accounts, devices and IPs form a graph (an order links its account to its device
    and IP); connected components (scipy.sparse.csgraph) are candidate rings. A ring
    is reported when it has ≥ `min_accounts` accounts. Evidence: devices and IPs
    shared, share of orders using `coupon` (default: the most used coupon in the
    ring), median account age at first order, and the time span of their signups.
    """
    require(orders, ["user_id", "device_id", "ip", "order_time"], "fraud_rings")
    o = orders.dropna(subset=["device_id", "ip"])
    acc, acc_idx = np.unique(o["user_id"].to_numpy(), return_inverse=True)
    dev, dev_idx = np.unique(o["device_id"].astype(str).to_numpy(), return_inverse=True)
    ips, ip_idx = np.unique(o["ip"].astype(str).to_numpy(), return_inverse=True)
    n = len(acc) + len(dev) + len(ips)
    rows_ = np.concatenate([acc_idx, acc_idx])
    cols_ = np.concatenate([len(acc) + dev_idx, len(acc) + len(dev) + ip_idx])
    graph = sparse.coo_matrix((np.ones(rows_.size), (rows_, cols_)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    o = o.assign(ring=label[acc_idx])
    size = o.groupby("ring")["user_id"].nunique()
    rings = size[size >= min_accounts].index
    out = []
    for ring in rings:
        r = o[o["ring"] == ring]
        top_coupon = coupon or (r["coupon_code"].mode().iloc[0]
                                if "coupon_code" in r and r["coupon_code"].notna().any()
                                else None)
        row = {"ring": int(ring), "accounts": r["user_id"].nunique(),
               "devices": r["device_id"].nunique(), "ips": r["ip"].nunique(),
               "orders": len(r), "coupon": top_coupon,
               "coupon_share": (r["coupon_code"] == top_coupon).mean()
               if top_coupon else np.nan,
               "first_order": r["order_time"].min(), "last_order": r["order_time"].max(),
               "user_ids": sorted(r["user_id"].unique().tolist())}
        if users is not None:
            su = users.set_index("user_id").loc[row["user_ids"], "signup_time"]
            first = r.groupby("user_id")["order_time"].min()
            row["median_minutes_signup_to_order"] = \
                ((first - su.reindex(first.index)).dt.total_seconds() / 60).median()
            row["signup_span_days"] = (su.max() - su.min()).total_seconds() / 86400
        row["accounts_per_device"] = row["accounts"] / row["devices"]
        out.append(row)
    res = pd.DataFrame(out)
    if res.empty:
        return res
    return res.sort_values("accounts_per_device", ascending=False, ignore_index=True)


def velocity_flags(orders: pd.DataFrame, key: str, window: str = "24h", min_count: int = 3,
                   distinct: str | None = "user_id", time: str = "order_time"
                   ) -> pd.DataFrame:
    """A velocity rule (频控规则) as a risk engine runs it at checkout: for each order,
    how many orders (`distinct=None`) or distinct accounts (`distinct="user_id"`) the
    same `key` (device_id, ip) had in the trailing `window` (after t − window, up to
    t: an order exactly one window earlier no longer counts), this order included; the
    order is `flagged` (blocked) when that count reaches `min_count`.

    Rows with an empty `key` are never flagged (and counted in no window).

    >>> o = pd.DataFrame({"order_id": [1, 2, 3, 4], "user_id": [7, 8, 9, 9],
    ...                   "device_id": ["d"] * 4, "order_time": pd.to_datetime(
    ...                       ["2026-05-03 10:00", "2026-05-03 11:00", "2026-05-03 12:00",
    ...                        "2026-05-04 12:00"])})
    >>> velocity_flags(o, "device_id")[["window_count", "flagged"]].values.tolist()
    [[1, False], [2, False], [3, True], [1, False]]
    """
    cols = [key, time] + ([distinct] if distinct else [])
    require(orders, cols, "velocity_flags")
    if min_count < 1:
        raise ValueError(f"velocity_flags: min_count must be at least 1, got {min_count}")
    span = pd.Timedelta(window)
    if span <= pd.Timedelta(0):
        raise ValueError(f"velocity_flags: window must be positive, got {window!r}")
    o = orders
    codes = pd.factorize(o[key])[0]              # an empty key is −1
    order = np.lexsort((np.arange(len(o)), o[time].to_numpy(), codes))
    keys = codes[order]
    t = o[time].to_numpy("datetime64[ns]")[order]
    who = o[distinct].to_numpy()[order] if distinct else None
    count = np.zeros(len(o), dtype=np.int64)
    has_key = keys >= 0
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(o) else np.array([])
    bounds = np.r_[starts, len(o)].astype(int)
    for a, b in zip(bounds[:-1], bounds[1:]):
        if not has_key[a]:
            continue
        tt = t[a:b]
        lo = np.searchsorted(tt, tt - span.to_timedelta64(), side="right")
        if who is None:
            count[a:b] = np.arange(b - a) - lo + 1
        else:
            w = who[a:b]
            count[a:b] = [len(set(w[j:i + 1])) for i, j in enumerate(lo)]
    out = o.iloc[order][[c for c in ("order_id", "user_id", time, key, "coupon_code")
                         if c in o.columns]].copy()
    out["window_count"] = count
    out["flagged"] = has_key & (count >= min_count)
    return out.iloc[np.argsort(order, kind="stable")]


def postmortem(goals: dict, actuals: dict, higher_is_better: dict | None = None
               ) -> pd.DataFrame:
    """The 复盘 table: goal vs actual per KPI, attainment (actual / goal, for positive
    numbers only: an ROI goal of −50 % has no attainment, just a status) and a verdict.

    >>> postmortem({"gmv": 100, "cpa": 20}, {"gmv": 120, "cpa": 25}, {"cpa": False})[
    ...     ["kpi", "attainment", "status"]].values.tolist()
    [['gmv', 1.2, 'met'], ['cpa', 0.8, 'missed']]
    """
    missing = set(goals) - set(actuals)
    if missing:
        raise KeyError(f"no actual value for {sorted(missing)}")
    better = higher_is_better or {}
    rows = []
    for k, goal in goals.items():
        act = actuals[k]
        up = better.get(k, True)
        met = act >= goal if up else act <= goal
        if goal <= 0 or act <= 0:
            att = np.nan      # a ratio of a loss (ROI < 0) or of zero means nothing: status only
        else:
            att = act / goal if up else goal / act
        rows.append({"kpi": k, "goal": goal, "actual": act, "attainment": att,
                     "status": "met" if met else "missed"})
    return pd.DataFrame(rows)
