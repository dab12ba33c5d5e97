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
from scipy.sparse.csgraph import connected_components

from .metrics import GROSS_MARGIN, add_rate, ratio, require

__all__ = ["phase_report", "pace_monitor", "fraud_rings", "postmortem"]


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


def pace_monitor(orders: pd.DataFrame, target_gmv: float, start: str, end: str,
                 baseline_days: int = 14, tolerance: float = 0.1) -> pd.DataFrame:
    """Hourly cumulative GMV vs the target's pace, with an alert below (1 − tolerance).

    The pace is shaped like a normal day: the target is spread over the hours in
    proportion to the hourly GMV profile of the `baseline_days` before `start`.
    """
    require(orders, ["order_time", "gmv"], "pace_monitor")
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    pre = orders[(orders["order_time"] >= lo - pd.Timedelta(days=baseline_days)) &
                 (orders["order_time"] < lo)]
    profile = pre.groupby(pre["order_time"].dt.hour)["gmv"].sum().reindex(range(24),
                                                                          fill_value=0)
    if profile.sum() == 0:
        raise ValueError("no orders in the baseline period to shape the pace")
    hours = pd.date_range(lo, hi, freq="h", inclusive="left")
    weight = profile.to_numpy()[hours.hour]
    target = np.cumsum(weight / weight.sum() * target_gmv)
    o = orders[(orders["order_time"] >= lo) & (orders["order_time"] < hi)]
    actual = o.groupby(o["order_time"].dt.floor("h"))["gmv"].sum().reindex(hours,
                                                                           fill_value=0)
    out = pd.DataFrame({"hour": hours, "gmv": actual.to_numpy(),
                        "cumulative_gmv": actual.cumsum().to_numpy(), "target_pace": target})
    out["attainment"] = ratio(out["cumulative_gmv"], out["target_pace"])
    out["alert"] = out["attainment"] < 1 - tolerance
    return out


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


def postmortem(goals: dict, actuals: dict, higher_is_better: dict | None = None
               ) -> pd.DataFrame:
    """The 复盘 table: goal vs actual per KPI, attainment and a verdict.

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
        if goal == 0 or act == 0:
            att = np.nan                      # a ratio to zero means nothing: status only
        else:
            att = act / goal if up else goal / act
        rows.append({"kpi": k, "goal": goal, "actual": act, "attainment": att,
                     "status": "met" if met else "missed"})
    return pd.DataFrame(rows)
