"""Traffic operations (流量运营): visits, channels, landing pages, budget, attribution.

Every function takes plain DataFrames with the sample's column names (see
`data/DATA_DICTIONARY.md`; map your own with `ops.read_table`) and returns a tidy
DataFrame. Rates carry their denominator and a Wilson 95 % interval.

Taught in 01_traffic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize

from . import arrays
from .changes import rate_changes
from .compat import renamed
from .metrics import add_rate, ratio, require, two_proportions
from .i18n import t

__all__ = ["uv_pv", "channel_report", "compare_pages", "conversion_drop",
           "budget_reallocation", "attribution", "touch_paths"]


def uv_pv(visits: pd.DataFrame, freq: str = "D", by: str | list[str] | None = None
          ) -> pd.DataFrame:
    """Visits, unique visitors (UV), page views (PV) and bounce rate per period [and group].

    >>> v = pd.DataFrame({"visit_time": pd.to_datetime(["2026-01-01 10:00"] * 3),
    ...                   "visitor_id": [1, 1, 2], "pageviews": [1, 3, 2],
    ...                   "bounced": [True, False, False]})
    >>> r = uv_pv(v).iloc[0]
    >>> int(r.visits), int(r.uv), int(r.pv), round(float(r.bounce_rate), 4)
    (3, 2, 6, 0.3333)

    Taught in 01_traffic §UV, PV and bounce.
    """
    require(visits, ["visit_time", "visitor_id", "pageviews", "bounced"], "uv_pv")
    keys = ([by] if isinstance(by, str) else list(by or []))
    require(visits, keys, "uv_pv(by=...)")
    g = visits.assign(period=arrays.period_start(visits["visit_time"], freq),
                      bounced=visits["bounced"].astype(bool))
    out = g.groupby(["period", *keys], observed=True).agg(
        visits=("visitor_id", "size"), uv=("visitor_id", "nunique"),
        pv=("pageviews", "sum"), bounces=("bounced", "sum")).reset_index()
    out["pv_per_visit"] = ratio(out["pv"], out["visits"])
    return add_rate(out, "bounce_rate", "bounces", "visits")


def channel_report(channel_daily: pd.DataFrame, visits: pd.DataFrame, orders: pd.DataFrame,
                   start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """One row per channel: cost, reach, conversion and what the acquired users bought.

    Revenue is everything the users who *signed up* in [start, end] paid, up to the end
    of the data (a cohort view: later cohorts have had less time to buy). ROI and ROAS
    are NaN for channels without spend.

    Taught in 01_traffic §The channel league table.
    """
    require(channel_daily, ["date", "channel", "spend", "impressions", "clicks"],
            "channel_report(channel_daily)")
    require(visits, ["visit_time", "channel", "signed_up", "user_id"], "channel_report(visits)")
    require(orders, ["user_id", "paid"], "channel_report(orders)")
    lo = pd.Timestamp(start) if start else visits["visit_time"].min().normalize()
    hi = pd.Timestamp(end) if end else visits["visit_time"].max().normalize()
    if hi < lo:
        raise ValueError(f"end {hi.date()} is before start {lo.date()}")
    cd = channel_daily[(channel_daily["date"] >= lo) & (channel_daily["date"] <= hi)]
    day = visits["visit_time"].dt.normalize()
    v = visits[(day >= lo) & (day <= hi)]
    cost = cd.groupby("channel", observed=True)[["spend", "impressions", "clicks"]].sum()
    reach = v.groupby("channel", observed=True).agg(
        visits=("signed_up", "size"), signups=("signed_up", "sum"))
    new_users = v.loc[v["signed_up"].astype(bool), ["user_id", "channel"]]
    bought = orders.merge(new_users, on="user_id")
    sales = bought.groupby("channel", observed=True).agg(
        buyers=("user_id", "nunique"), orders=("paid", "size"), revenue=("paid", "sum"))
    out = cost.join(reach, how="outer").join(sales, how="left").fillna(0)
    out = out.reset_index().rename(columns={"index": "channel"})
    for col in ("impressions", "clicks", "visits", "signups", "buyers", "orders"):
        out[col] = out[col].astype(int)
    out = add_rate(out, "ctr", "clicks", "impressions")
    out = add_rate(out, "cvr", "signups", "visits")
    out = add_rate(out, "buyer_rate", "buyers", "signups")
    paid = out["spend"] > 0
    out["cpc"] = np.where(paid, ratio(out["spend"], out["clicks"]), np.nan)
    out["cpa"] = np.where(paid, ratio(out["spend"], out["signups"]), np.nan)
    out["roas"] = np.where(paid, ratio(out["revenue"], out["spend"]), np.nan)
    out["roi"] = out["roas"] - 1
    return out.sort_values("roi", ascending=False, na_position="last", ignore_index=True)


@renamed(old_order=("control", "treatment", "page", "metric", "alpha", "lang"),
         a="control", b="treatment", outcome="metric")
def compare_pages(visits: pd.DataFrame, metric: str = "signed_up", *, control: str = "lp_a",
                  treatment: str = "lp_b", page: str = "landing_page", alpha: float = 0.05,
                  lang: str | None = None) -> pd.DataFrame:
    """Conversion (`metric`, 0/1 per visit) of the `treatment` page vs the `control`
    page: `metrics.two_proportions`' columns (rates, difference with CIs, relative lift,
    z-test) and a verdict in `lang` (default `ops.setup`'s).

    >>> v = pd.DataFrame({"landing_page": ["lp_a"] * 1000 + ["lp_b"] * 1000,
    ...                   "signed_up": [True] * 100 + [False] * 900 + [True] * 150 + [False] * 850})
    >>> compare_pages(v)[["rate_control", "rate_treatment", "diff"]].iloc[0].round(4).tolist()
    [0.1, 0.15, 0.05]

    Taught in 01_traffic §Landing page A vs B.
    """
    require(visits, [page, metric], "compare_pages")
    counts = visits.groupby(page, observed=True)[metric].agg(["sum", "size"])
    for name in (control, treatment):
        if name not in counts.index:
            raise ValueError(f"no visits with {page} == {name!r}; values present: "
                             f"{sorted(map(str, counts.index))}")
    sa, na = (int(x) for x in counts.loc[control])
    sb, nb = (int(x) for x in counts.loc[treatment])
    r = two_proportions(sa, na, sb, nb, alpha=alpha)
    if r["p_value"] >= alpha:
        verdict = t("traffic.compare_pages.same", lang, p=r["p_value"], a=control)
    else:
        verdict = t("traffic.compare_pages.better", lang,
                    better=treatment if r["diff"] > 0 else control,
                    diff=r["diff"], low=r["diff_low"], high=r["diff_high"], p=r["p_value"])
    return pd.DataFrame([{"metric": metric, "control": control, "treatment": treatment, **r,
                          "verdict": verdict}])


@renamed(outcome="metric")
def conversion_drop(visits: pd.DataFrame, group: str = "channel",
                    metric: str = "signed_up", time: str = "visit_time",
                    min_days: int = 14, permutations: int = 199, alpha: float = 0.01,
                    seed: int = 0, trials_name: str = "visits") -> pd.DataFrame:
    """Find, per group, the day its conversion rate (mean of the 0/1 `metric`) changed
    most, and whether it is real: `changes.rate_changes` on each group's daily counts
    (the binomial likelihood ratio of the best split day, with a permutation p-value:
    searching many days makes a plain z-test far too optimistic).

    Taught in 01_traffic §Why did one channel's conversion fall?
    """
    require(visits, [group, metric, time], "conversion_drop")
    return rate_changes(visits, group, metric, time, min_days, permutations, alpha, seed,
                        trials_name)


def budget_reallocation(channel_daily: pd.DataFrame, visits: pd.DataFrame,
                        since: str | None = None, max_change: float = 0.5,
                        budget: float | None = None, lang: str | None = None
                        ) -> pd.DataFrame:
    """Recommend daily spend per paid channel that buys the most signups for the budget.

    Per channel a Poisson regression (statsmodels GLM) of daily signups on log(spend)
    and a time trend estimates the *elasticity* b: +1 % spend → +b % signups. With
    b < 1 returns diminish, so the *marginal* CPA (cost of the next signup,
    = spend / (b × signups)) is above the average CPA. Spend moves from high to low
    marginal CPA until they are equal or a channel hits ±`max_change` of today's level.
    Each row's `explanation` is written in `lang` (default: `ops.setup`'s).

    Taught in 01_traffic §Shifting budget.
    """
    require(channel_daily, ["date", "channel", "spend"], "budget_reallocation(channel_daily)")
    require(visits, ["visit_time", "channel", "signed_up"], "budget_reallocation(visits)")
    if not 0 < max_change < 1:
        raise ValueError(f"max_change must be between 0 and 1, got {max_change}")
    cd = channel_daily.copy()
    if since is not None:
        cd = cd[cd["date"] >= pd.Timestamp(since)]
    signups = (visits[visits["signed_up"].astype(bool)]
               .assign(date=lambda v: v["visit_time"].dt.normalize())
               .groupby(["date", "channel"], observed=True).size().rename("signups"))
    cd = cd.join(signups, on=["date", "channel"]).fillna({"signups": 0})
    paid = cd.groupby("channel", observed=True)["spend"].sum()
    paid = paid[paid > 0].index
    fits, fixed = [], []
    for ch in paid:
        d = cd[(cd["channel"] == ch) & (cd["spend"] > 0)]
        per_signup = ratio(d["spend"], d["signups"])
        if len(d) < 14 or np.nanstd(per_signup) < 1e-9 * np.nanmean(per_signup):
            fixed.append(ch)   # too few days, or pay-per-signup (cost ∝ result): not a lever
            continue
        months = (d["date"] - d["date"].min()).dt.days.to_numpy() / 30.0
        X = sm.add_constant(np.column_stack([np.log(d["spend"].to_numpy()), months]))
        res = sm.GLM(d["signups"].to_numpy(), X, family=sm.families.Poisson()).fit()
        b = float(res.params[1])
        low, high = res.conf_int()[1]
        recent = d.tail(28)
        fits.append({"channel": ch, "spend_per_day": recent["spend"].mean(),
                     "signups_per_day": recent["signups"].mean(), "elasticity": b,
                     "elasticity_low": low, "elasticity_high": high, "days": len(d)})
    if not fits:
        raise ValueError("no paid channel has 14+ days with spend; widen the date range")
    out = pd.DataFrame(fits)
    s0, y0 = out["spend_per_day"].to_numpy(), out["signups_per_day"].to_numpy()
    b = np.clip(out["elasticity"].to_numpy(), 0.05, 1.0)   # ≥ 1 would mean no ceiling
    total = float(budget if budget is not None else s0.sum())

    def negative_signups(x):
        return -np.sum(y0 * (x / s0) ** b)

    bounds = [(s * (1 - max_change), s * (1 + max_change)) for s in s0]
    res = optimize.minimize(negative_signups, s0 * total / s0.sum(), bounds=bounds,
                            constraints=[{"type": "eq", "fun": lambda x: x.sum() - total}],
                            method="SLSQP")
    if not res.success:
        raise RuntimeError(f"the optimiser did not converge: {res.message}")
    x = res.x
    out["cpa"] = s0 / np.maximum(y0, 1e-9)
    out["marginal_cpa"] = s0 / np.maximum(b * y0, 1e-9)
    out["recommended_spend"] = x
    out["change_pct"] = x / s0 - 1
    out["expected_signups"] = y0 * (x / s0) ** b
    out["explanation"] = [_explain(r, lang) for r in out.itertuples()]
    for ch in fixed:
        d = cd[cd["channel"] == ch].tail(28)
        out.loc[len(out)] = {
            "channel": ch, "spend_per_day": d["spend"].mean(),
            "signups_per_day": d["signups"].mean(), "recommended_spend": d["spend"].mean(),
            "change_pct": 0.0, "expected_signups": d["signups"].mean(),
            "cpa": float(ratio(d["spend"].sum(), d["signups"].sum())),
            "explanation": t("traffic.budget.fixed", lang, channel=ch)}
    out["days"] = out["days"].astype("Int64")
    return out.sort_values("marginal_cpa", ignore_index=True, na_position="last")


def _explain(r, lang: str | None) -> str:
    direction = "raise" if r.change_pct > 0.01 else "cut" if r.change_pct < -0.01 else "keep"
    return t(f"traffic.budget.{direction}", lang, channel=r.channel,
             change=abs(r.change_pct), marginal=r.marginal_cpa, cpa=r.cpa,
             elasticity=r.elasticity)


def _paths(visits: pd.DataFrame, caller: str) -> pd.DataFrame:
    """Converting visitors' visits up to their signup, with position `pos` of `n`."""
    require(visits, ["visitor_id", "visit_time", "channel", "signed_up"], caller)
    v = visits.sort_values(["visitor_id", "visit_time"], kind="stable")
    signed = v["signed_up"].astype(bool)
    first_signup = v["visit_time"].where(signed).groupby(v["visitor_id"]).transform("min")
    p = v.loc[v["visit_time"] <= first_signup, ["visitor_id", "channel"]].copy()  # NaT: none
    p["pos"] = p.groupby("visitor_id").cumcount()
    p["n"] = p.groupby("visitor_id")["pos"].transform("size")
    return p


def touch_paths(visits: pd.DataFrame) -> pd.DataFrame:
    """One row per converting visitor: its channels in time order up to the signup.

    Taught in 01_traffic §Attribution.
    """
    path = _paths(visits, "touch_paths")
    out = path.groupby("visitor_id", sort=False)["channel"].agg(
        lambda c: " > ".join(map(str, c))).rename("path").reset_index()
    out["touches"] = out["path"].str.count(">") + 1
    return out


def attribution(visits: pd.DataFrame, first_last_share: float = 0.4) -> pd.DataFrame:
    """Signups credited to channels by first-, last-touch, linear and position-based
    models: one row per channel, most last-touch signups first.

    Position-based gives `first_last_share` to the first and to the last touch and
    splits the rest over the middle ones (one touch: all; two: half each).

    >>> v = pd.DataFrame({"visitor_id": [1, 1, 1, 2], "signed_up": [False, False, True, True],
    ...     "visit_time": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-01"]),
    ...     "channel": ["kol", "feed_ads", "sem", "sem"]})
    >>> attribution(v).round(4).values.tolist()[0]
    ['sem', 1.0, 2.0, 1.3333, 1.4]
    """
    if not 0 <= first_last_share <= 0.5:
        raise ValueError("first_last_share must be between 0 and 0.5")
    p = _paths(visits, "attribution")
    first, last = p["pos"].eq(0), p["pos"].eq(p["n"] - 1)
    middle_share = np.where(p["n"] > 2, (1 - 2 * first_last_share) / (p["n"] - 2).clip(1), 0)
    ends = np.where(p["n"] == 1, 1.0, np.where(p["n"] == 2, 0.5, first_last_share))
    credit = pd.DataFrame({
        "channel": p["channel"].astype(str),
        "first_touch": first.astype(float), "last_touch": last.astype(float),
        "linear": 1.0 / p["n"],
        "position_based": np.where(first | last, ends, middle_share)})
    out = credit.groupby("channel").sum().reset_index()
    return out.sort_values("last_touch", ascending=False, kind="stable", ignore_index=True)
