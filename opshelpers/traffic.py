"""Traffic operations (流量运营): visits, channels, landing pages, budget, attribution.

Every function takes plain DataFrames with the sample's column names (see
`data/DATA_DICTIONARY.md`; map your own with `ops.read_table`) and returns a tidy
DataFrame. Rates carry their denominator and a Wilson 95 % interval. Every report
says the window it covers (`start`, `end`) and, where it shows ROI, the gross `margin`
it assumed: ROI = (attributed revenue × margin − spend) / spend and ROAS = attributed
revenue / spend, the glossary's `roi` and `roas`.

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
from .metrics import ENGAGEMENTS, GROSS_MARGIN, add_rate, ratio, require, two_proportions
from .i18n import t

__all__ = ["uv_pv", "channel_report", "keyword_report", "kol_report", "compare_pages",
           "conversion_drop", "budget_reallocation", "attribution", "touch_paths"]


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


def _money_columns(out: pd.DataFrame, margin: float) -> pd.DataFrame:
    """CPC, CPA, ROAS and ROI of rows with `spend`, `signups`, `revenue` (and `clicks`);
    NaN where nothing was spent (a free channel has no cost per anything)."""
    if not 0 < margin <= 1:
        raise ValueError(f"margin is the gross margin, a fraction in (0, 1]; got {margin}")
    paid = out["spend"].to_numpy(float) > 0
    if "clicks" in out:
        out["cpc"] = np.where(paid, ratio(out["spend"], out["clicks"]), np.nan)
    out["cpa"] = np.where(paid, ratio(out["spend"], out["signups"]), np.nan)
    out["roas"] = np.where(paid, ratio(out["revenue"], out["spend"]), np.nan)
    out["margin"] = float(margin)
    out["roi"] = np.where(paid, ratio(out["revenue"] * margin - out["spend"], out["spend"]),
                          np.nan)
    return out


def channel_report(channel_daily: pd.DataFrame, visits: pd.DataFrame, orders: pd.DataFrame,
                   start: str | None = None, end: str | None = None,
                   margin: float = GROSS_MARGIN) -> pd.DataFrame:
    """One row per channel: cost, reach, conversion and what the acquired users bought.

    Revenue is everything the users who *signed up* in [start, end] paid, up to the end
    of the data (a cohort view: later cohorts have had less time to buy). ROAS =
    revenue / spend; ROI = (revenue × `margin` − spend) / spend. Both are NaN for
    channels without spend. Columns `start` and `end` state the window (both days
    included), `margin` the gross margin ROI assumed.

    >>> cd = pd.DataFrame({"date": pd.to_datetime(["2026-01-01"]), "channel": ["sem"],
    ...                    "spend": [30.0], "impressions": [200], "clicks": [5]})
    >>> v = pd.DataFrame({"visit_time": pd.to_datetime(["2026-01-01"] * 2),
    ...                   "channel": ["sem"] * 2, "signed_up": [True, False],
    ...                   "user_id": [10, None]})
    >>> o = pd.DataFrame({"user_id": [10, 10], "paid": [50.0, 40.0]})
    >>> r = channel_report(cd, v, o).iloc[0]
    >>> int(r.signups), float(r.cpa), float(r.roas), float(r.roi)   # ROI: (90 × .5 − 30) / 30
    (1, 30.0, 3.0, 0.5)

    Taught in 01_traffic §The channel league table.
    """
    require(channel_daily, ["date", "channel", "spend", "impressions", "clicks"],
            "channel_report(channel_daily)")
    require(visits, ["visit_time", "channel", "signed_up", "user_id"], "channel_report(visits)")
    require(orders, ["user_id", "paid"], "channel_report(orders)")
    lo, hi = _bounds(visits["visit_time"].dt.normalize(), start, end, "channel_report")
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
    out.insert(1, "start", lo)
    out.insert(2, "end", hi)
    for col in ("impressions", "clicks", "visits", "signups", "buyers", "orders"):
        out[col] = out[col].astype(int)
    out = add_rate(out, "ctr", "clicks", "impressions")
    out = add_rate(out, "cvr", "signups", "visits")
    out = add_rate(out, "buyer_rate", "buyers", "signups")
    out = _money_columns(out, margin)
    return out.sort_values("roi", ascending=False, na_position="last", ignore_index=True)


def _bounds(times: pd.Series, start, end, caller: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, end] with the data's first and last time where not given."""
    lo = pd.Timestamp(start) if start is not None else times.min()
    hi = pd.Timestamp(end) if end is not None else times.max()
    if hi < lo:
        raise ValueError(f"{caller}: end {hi.date()} is before start {lo.date()}")
    return lo, hi


def _window(df: pd.DataFrame, time: str, start, end, caller: str
            ) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """The rows of `df` whose `time` is in [start, end], and those bounds."""
    lo, hi = _bounds(df[time], start, end, caller)
    kept = df[(df[time] >= lo) & (df[time] <= hi)]
    if kept.empty:
        raise ValueError(f"{caller}: no rows between {lo.date()} and {hi.date()}; "
                         f"the data runs {df[time].min().date()} … {df[time].max().date()}")
    return kept, lo, hi


def keyword_report(search_terms: pd.DataFrame, start: str | None = None,
                   end: str | None = None, margin: float = GROSS_MARGIN) -> pd.DataFrame:
    """One row per SEM keyword (搜索词报告) over the months in [start, end]: reach, cost,
    position, conversion and what its signups bought.

    `avg_position` is weighted by impressions; `click_cvr` = signups / clicks (a
    keyword report knows clicks, not visits); `spend_share` = its share of the
    keywords' spend; `wasted` marks spend that brought no signup at all. Most spend
    first.

    >>> st = pd.DataFrame({"month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01"]),
    ...     "keyword": ["绿茶", "绿茶", "奶茶加盟"], "match_type": ["broad"] * 3,
    ...     "impressions": [1000, 1000, 500], "clicks": [30, 50, 20],
    ...     "cost": [60.0, 90.0, 50.0], "avg_position": [2.0, 3.0, 2.5],
    ...     "signups": [3, 2, 0], "orders": [1, 1, 0], "paid": [100.0, 80.0, 0.0]})
    >>> r = keyword_report(st)
    >>> r[["keyword", "avg_position", "cpa", "spend_share", "wasted"]].values.tolist()
    [['绿茶', 2.5, 30.0, 0.75, False], ['奶茶加盟', 2.5, nan, 0.25, True]]

    Taught in 01_traffic §Search terms.
    """
    cols = ["month", "keyword", "match_type", "impressions", "clicks", "cost",
            "avg_position", "signups", "orders", "paid"]
    require(search_terms, cols, "keyword_report(search_terms)")
    st, lo, hi = _window(search_terms, "month", start, end, "keyword_report")
    st = st.assign(position_x_impressions=st["avg_position"] * st["impressions"])
    out = st.groupby(["keyword", "match_type"], observed=True, sort=False).agg(
        months=("month", "nunique"), impressions=("impressions", "sum"),
        clicks=("clicks", "sum"), spend=("cost", "sum"),
        position_x_impressions=("position_x_impressions", "sum"),
        signups=("signups", "sum"), orders=("orders", "sum"), revenue=("paid", "sum"),
    ).reset_index()
    out.insert(2, "start", lo)
    out.insert(3, "end", (hi + pd.offsets.MonthEnd(0)).normalize())
    out["avg_position"] = ratio(out.pop("position_x_impressions"), out["impressions"])
    out = add_rate(out, "ctr", "clicks", "impressions")
    out = add_rate(out, "click_cvr", "signups", "clicks")
    out = _money_columns(out, margin)
    out["spend_share"] = out["spend"] / out["spend"].sum()
    out["wasted"] = (out["spend"] > 0) & (out["signups"] == 0)
    return out.sort_values("spend", ascending=False, ignore_index=True)


def kol_report(kol_posts: pd.DataFrame, by: str = "kol_name", start: str | None = None,
               end: str | None = None, margin: float = GROSS_MARGIN) -> pd.DataFrame:
    """KOL collaborations (KOL 合作) per `by` ("kol_name" or "post_id") for posts published in
    [start, end]: fee, reach, engagement, the traffic and signups each brought, and
    what those signups bought.

    `engagements` = likes + comments + shares + saves; CPM (千次阅读成本) = spend /
    reads × 1000; CPE (单次互动成本) = spend / engagements; `cvr` = signups / visits;
    `cpa` = spend / signups; `cost_per_order` = spend / orders. Lowest CPA first.

    >>> kp = pd.DataFrame({"post_id": [1, 2], "kol_name": ["甲", "甲"], "tier": ["mid"] * 2,
    ...     "platform": ["zhihu"] * 2, "publish_date": pd.to_datetime(["2026-01-02"] * 2),
    ...     "fee": [100.0, 100.0], "reads": [4000, 6000], "likes": [60, 40],
    ...     "comments": [10, 10], "shares": [5, 5], "saves": [5, 15], "visits": [80, 120],
    ...     "signups": [8, 12], "orders": [4, 6], "paid": [500.0, 700.0]})
    >>> kol_report(kp)[["kol_name", "posts", "cpm", "cpe", "cpa", "roas"]].values.tolist()
    [['甲', 2, 20.0, 1.3333333333333333, 10.0, 6.0]]

    Taught in 01_traffic §KOL collaborations.
    """
    cols = ["post_id", "kol_name", "tier", "platform", "publish_date", "fee", "reads",
            *ENGAGEMENTS, "visits", "signups", "orders", "paid"]
    require(kol_posts, cols, "kol_report(kol_posts)")
    if by not in ("kol_name", "post_id"):
        raise ValueError(f"by must be 'kol_name' or 'post_id', not {by!r}")
    kp, lo, hi = _window(kol_posts, "publish_date", start, end, "kol_report")
    kp = kp.assign(engagements=kp[ENGAGEMENTS].sum(axis=1))
    keys = ["kol_name", "tier", "platform"]
    if by == "post_id":
        keys = ["post_id", *keys, "publish_date"]
    out = kp.groupby(keys, observed=True, sort=False).agg(
        posts=("post_id", "size"), spend=("fee", "sum"), reads=("reads", "sum"),
        engagements=("engagements", "sum"), **{c: (c, "sum") for c in ENGAGEMENTS},
        visits=("visits", "sum"), signups=("signups", "sum"), orders=("orders", "sum"),
        revenue=("paid", "sum")).reset_index()
    out.insert(len(keys), "start", lo)
    out.insert(len(keys) + 1, "end", hi)
    out["cpm"] = ratio(out["spend"] * 1000, out["reads"])
    out["cpe"] = ratio(out["spend"], out["engagements"])
    out = add_rate(out, "engagement_rate", "engagements", "reads")
    out = add_rate(out, "cvr", "signups", "visits")
    out = _money_columns(out, margin)
    out["cost_per_order"] = ratio(out["spend"], out["orders"])
    return out.sort_values("cpa", ignore_index=True, na_position="last")


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


RECENT_DAYS = 28   # "today's level" of a channel in a budget plan: its last 28 days


def budget_reallocation(channel_daily: pd.DataFrame, visits: pd.DataFrame,
                        since: str | None = None, max_change: float = 0.5,
                        budget: float | None = None, hold: list[str] | tuple = (),
                        check_breaks: bool = True, lang: str | None = None
                        ) -> pd.DataFrame:
    """Recommend daily spend per paid channel that buys the most signups for the budget.

    Per channel a Poisson regression (statsmodels GLM) of daily signups on log(spend)
    and a time trend estimates the *elasticity* b: +1 % spend → +b % signups. With
    b < 1 returns diminish, so the *marginal* CPA (cost of the next signup,
    = spend / (b × signups)) is above the average CPA. Spend moves from high to low
    marginal CPA until they are equal or a channel hits ±`max_change` of today's level.

    "Today's level" (`spend_per_day`, `signups_per_day`, `cpa`) is the last 28 days,
    stated in `start` and `end`; the elasticity is fitted on every day since `since`.
    A channel is held at today's spend, not optimised, when its conversion broke
    (`check_breaks`: a significant fall found by `conversion_drop`, which you fix
    before you move money) or when you name it in `hold`; pay-per-result channels and
    channels with < 14 days of spend are kept too. `status` says which: optimised,
    broken, held or fixed. Each row's `explanation` is written in `lang` (default:
    `ops.setup`'s).

    Taught in 01_traffic §Shifting budget.
    """
    require(channel_daily, ["date", "channel", "spend"], "budget_reallocation(channel_daily)")
    require(visits, ["visit_time", "channel", "signed_up"], "budget_reallocation(visits)")
    if not 0 < max_change < 1:
        raise ValueError(f"max_change must be between 0 and 1, got {max_change}")
    cd = channel_daily.copy()
    v = visits
    if since is not None:
        cd = cd[cd["date"] >= pd.Timestamp(since)]
        v = v[v["visit_time"] >= pd.Timestamp(since)]
    signups = (v[v["signed_up"].astype(bool)]
               .assign(date=lambda x: x["visit_time"].dt.normalize())
               .groupby(["date", "channel"], observed=True).size().rename("signups"))
    cd = cd.join(signups, on=["date", "channel"]).fillna({"signups": 0})
    paid = cd.groupby("channel", observed=True)["spend"].sum()
    paid = [str(c) for c in paid[paid > 0].index]
    hold = [hold] if isinstance(hold, str) else list(hold)
    unknown = sorted(set(hold) - set(paid))
    if unknown:
        raise ValueError(f"hold names {unknown}, which are not paid channels here; "
                         f"paid channels: {paid}")
    end = cd["date"].max()
    start = end - pd.Timedelta(days=RECENT_DAYS - 1)
    breaks = _breaks(v, paid) if check_breaks else {}
    fits, kept = [], []
    for ch in paid:
        d = cd[(cd["channel"] == ch) & (cd["spend"] > 0)]
        recent = d[d["date"] >= start]
        per_signup = ratio(d["spend"], d["signups"])
        if len(d) < 14 or len(recent) == 0 or \
                np.nanstd(per_signup) < 1e-9 * np.nanmean(per_signup):
            kept.append((ch, "fixed", t("traffic.budget.fixed", lang, channel=ch)))
            continue   # too few days, or pay-per-signup (cost ∝ result): not a lever
        months = (d["date"] - d["date"].min()).dt.days.to_numpy() / 30.0
        X = sm.add_constant(np.column_stack([np.log(d["spend"].to_numpy()), months]))
        res = sm.GLM(d["signups"].to_numpy(), X, family=sm.families.Poisson()).fit()
        low, high = res.conf_int()[1]
        fits.append({"channel": ch, "spend_per_day": recent["spend"].mean(),
                     "signups_per_day": recent["signups"].mean(),
                     "elasticity": float(res.params[1]), "elasticity_low": low,
                     "elasticity_high": high, "days": len(d)})
    if not fits:
        raise ValueError("no paid channel has 14+ days with spend; widen the date range")
    out = pd.DataFrame(fits)
    out["status"] = ["broken" if c in breaks else "held" if c in hold else "optimised"
                     for c in out["channel"]]
    free = out["status"].eq("optimised").to_numpy()
    s0, y0 = out["spend_per_day"].to_numpy(), out["signups_per_day"].to_numpy()
    b = np.clip(out["elasticity"].to_numpy(), 0.05, 1.0)   # ≥ 1 would mean no ceiling
    x = s0.copy()
    if free.any():
        total = float(budget if budget is not None else s0.sum()) - s0[~free].sum()
        if total <= 0:
            raise ValueError(f"budget {budget} does not even cover the held channels' "
                             f"{s0[~free].sum():.2f} a day")
        x[free] = _allocate(s0[free], y0[free], b[free], total, max_change)
    out["cpa"] = s0 / np.maximum(y0, 1e-9)
    out["marginal_cpa"] = s0 / np.maximum(b * y0, 1e-9)
    out["recommended_spend"] = x
    out["change_pct"] = x / s0 - 1
    out["expected_signups"] = y0 * (x / s0) ** b
    out["explanation"] = [
        _explain(r, lang) if r.status == "optimised"
        else t("traffic.budget.held", lang, channel=r.channel) if r.status == "held"
        else t("traffic.budget.broken", lang, channel=r.channel, **breaks[r.channel])
        for r in out.itertuples()]
    for ch, status, why in kept:
        d = cd[(cd["channel"] == ch) & (cd["date"] >= start)]
        out.loc[len(out)] = {
            "channel": ch, "status": status, "spend_per_day": d["spend"].mean(),
            "signups_per_day": d["signups"].mean(), "recommended_spend": d["spend"].mean(),
            "change_pct": 0.0, "expected_signups": d["signups"].mean(),
            "cpa": float(ratio(d["spend"].sum(), d["signups"].sum())), "explanation": why}
    out["days"] = out["days"].astype("Int64")
    out.insert(1, "start", start)
    out.insert(2, "end", end)
    order = ["channel", "status", "start", "end", "spend_per_day", "signups_per_day", "cpa",
             "elasticity", "elasticity_low", "elasticity_high", "marginal_cpa",
             "recommended_spend", "change_pct", "expected_signups", "days", "explanation"]
    return out[order].sort_values(["marginal_cpa"], ignore_index=True, na_position="last")


def _breaks(visits: pd.DataFrame, channels: list[str]) -> dict[str, dict]:
    """Paid channels whose conversion fell for real (`conversion_drop`), with the facts."""
    v = visits[visits["channel"].astype(str).isin(channels)]
    if v["visit_time"].dt.normalize().nunique() < 28:
        raise ValueError("budget_reallocation: checking for broken channels needs 28+ days "
                         "of visits; widen `since`, or pass check_breaks=False and check "
                         "each channel's conversion yourself")
    found = rate_changes(v, "channel", "signed_up", "visit_time", trials_name="visits")
    fell = found[found["significant"] & (found["change"] < 0)]
    return {str(r.channel): {"date": r.change_date.date().isoformat(),
                             "before": r.rate_before, "after": r.rate_after, "p": r.p_value}
            for r in fell.itertuples()}


def _allocate(s0: np.ndarray, y0: np.ndarray, b: np.ndarray, total: float,
              max_change: float) -> np.ndarray:
    """Daily spend per channel, summing to `total` within ±max_change of s0, that
    maximises Σ y0 (x / s0)^b."""
    def negative_signups(x):
        return -np.sum(y0 * (x / s0) ** b)

    bounds = [(s * (1 - max_change), s * (1 + max_change)) for s in s0]
    lo, hi = sum(a for a, _ in bounds), sum(c for _, c in bounds)
    if not lo - 1e-9 <= total <= hi + 1e-9:
        raise ValueError(f"a budget of {total:.2f} a day cannot be reached within "
                         f"±{max_change:.0%} of today's spend ({lo:.2f} … {hi:.2f}); "
                         "raise max_change or change the budget")
    res = optimize.minimize(negative_signups, s0 * total / s0.sum(), bounds=bounds,
                            constraints=[{"type": "eq", "fun": lambda x: x.sum() - total}],
                            method="SLSQP")
    if not res.success:
        raise RuntimeError(f"the optimiser did not converge: {res.message}")
    return res.x


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
