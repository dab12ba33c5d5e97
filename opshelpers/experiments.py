"""A/B tests (实验): SRM, proportion and mean tests, CUPED, power, multiple testing, a decision.

All statistics come from scipy/statsmodels; this module only wires them together and
words the result. Taught in 05_activity §The checkout A/B test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize

from .compat import renamed
from .metrics import require, two_proportions
from .quality import note_excluded
from .i18n import t

__all__ = ["srm_check", "one_arm_per_user", "user_outcomes", "conversion_test", "count_test",
           "mean_test", "cuped",
           "sample_size", "minimum_detectable_effect", "winners_curse", "adjust_pvalues",
           "decide"]


def srm_check(variants: pd.Series, expected: dict | None = None, alpha: float = 0.001
              ) -> pd.DataFrame:
    """Sample-ratio mismatch: χ² of observed vs intended split (flag at p < alpha).

    >>> r = srm_check(pd.Series(["A"] * 5000 + ["B"] * 4600))
    >>> bool(r["srm"].iloc[0])
    True
    """
    counts = pd.Series(variants).value_counts().sort_index()
    if len(counts) < 2:
        raise ValueError(f"SRM needs at least two variants with users; got {dict(counts)}")
    share = pd.Series(expected) if expected else pd.Series(1 / len(counts), counts.index)
    missing = set(share.index) - set(counts.index)
    if missing:
        raise ValueError(f"variant(s) {sorted(missing)} have zero users — the split is broken")
    share = share.reindex(counts.index) / share.sum()
    chi2, p = stats.chisquare(counts.to_numpy(), share.to_numpy() * counts.sum())
    return pd.DataFrame([{"users": int(counts.sum()),
                          **{f"n_{k}": int(v) for k, v in counts.items()},
                          **{f"share_{k}": v / counts.sum() for k, v in counts.items()},
                          "chi2": float(chi2), "p_value": float(p),
                          "srm": bool(p < alpha)}])


def one_arm_per_user(assignments: pd.DataFrame, experiment: str
                     ) -> tuple[pd.DataFrame, int]:
    """The experiment's assignments with one row per user, and how many users were
    excluded because they were assigned to more than one arm (as experiment platforms
    do: such a user's outcome belongs to neither arm). A user assigned twice to the
    same arm keeps the earliest assignment.

    >>> a = pd.DataFrame({"experiment": "t", "user_id": [1, 1, 2, 3, 3],
    ...                   "variant": ["A", "B", "A", "B", "B"],
    ...                   "assigned_time": pd.to_datetime(["2026-01-01"] * 5)})
    >>> kept, both = one_arm_per_user(a, "t")
    >>> kept["user_id"].tolist(), both
    ([2, 3], 1)
    """
    a = assignments[assignments["experiment"] == experiment]
    arms = a.groupby("user_id")["variant"].nunique()
    both = arms.index[arms > 1]
    a = a[~a["user_id"].isin(both)]
    if "assigned_time" in a.columns:
        a = a.sort_values("assigned_time", kind="stable")
    return a.drop_duplicates("user_id").sort_index(), len(both)


def note_both_arms(result: pd.DataFrame, experiment: str, n: int) -> pd.DataFrame:
    """Record on `result` the users `one_arm_per_user` left out, and warn if any."""
    return note_excluded(result, "excluded_users", n,
                         f"experiment {experiment!r}: {n:,} user(s) were assigned to more "
                         "than one arm and are left out of both "
                         "(result.attrs['excluded_users'] has the count); check the "
                         "assignment logic")


def user_outcomes(assignments: pd.DataFrame, orders: pd.DataFrame, experiment: str,
                  start: str, end: str, pre_start: str | None = None) -> pd.DataFrame:
    """One row per assigned user: converted (ordered after assignment, by `end`),
    revenue in the test window, and pre-period revenue (from `pre_start` to `start`)."""
    require(assignments, ["experiment", "user_id", "variant", "assigned_time"],
            "user_outcomes(assignments)")
    require(orders, ["user_id", "order_time", "paid"], "user_outcomes(orders)")
    if not (assignments["experiment"] == experiment).any():
        raise ValueError(f"no assignments for experiment {experiment!r}")
    a, both = one_arm_per_user(assignments, experiment)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    m = a[["user_id", "variant", "assigned_time"]].merge(orders[["user_id", "order_time",
                                                                 "paid"]], on="user_id",
                                                         how="left")
    during = m[(m["order_time"] >= m["assigned_time"]) & (m["order_time"] < hi)]
    out = a[["user_id", "variant"]].copy()
    out["converted"] = out["user_id"].isin(during["user_id"]).astype(int)
    out["revenue"] = out["user_id"].map(during.groupby("user_id")["paid"].sum()).fillna(0.0)
    pre = orders[(orders["order_time"] < lo) &
                 (orders["order_time"] >= pd.Timestamp(pre_start) if pre_start else True)]
    out["pre_revenue"] = out["user_id"].map(pre.groupby("user_id")["paid"].sum()).fillna(0.0)
    return note_both_arms(out.reset_index(drop=True), experiment, both)


def _ratio_ci(mean_a, var_a, n_a, mean_b, var_b, n_b, alpha=0.05):
    """Delta-method CI for the relative lift mean_b / mean_a − 1 (NaN when mean_a is 0)."""
    if mean_a == 0 or mean_b == 0:
        return np.nan, np.nan, np.nan
    r = mean_b / mean_a
    se = r * np.sqrt(var_b / (n_b * mean_b ** 2) + var_a / (n_a * mean_a ** 2))
    z = stats.norm.ppf(1 - alpha / 2)
    return r - 1, r - 1 - z * se, r - 1 + z * se


@renamed(old_order=("control", "treatment", "metric", "alpha"))
def conversion_test(outcomes: pd.DataFrame, metric: str = "converted", *,
                    control: str = "A", treatment: str = "B", alpha: float = 0.05
                    ) -> pd.DataFrame:
    """Two-proportion z-test of `metric` (0/1 per user), treatment vs control, with
    absolute (Newcombe, Wald) and relative lift CIs; the relative CI is statsmodels' for
    the ratio of two proportions (log-adjusted). With no conversions in the control arm
    the relative lift is undefined: NaN, and `note` says why.

    >>> o = pd.DataFrame({"variant": ["A"] * 1000 + ["B"] * 1000,
    ...                   "converted": [1] * 100 + [0] * 900 + [1] * 150 + [0] * 850})
    >>> r = conversion_test(o).iloc[0]
    >>> round(float(r["diff"]), 10), bool(r["relative_lift_low"] > 0)
    (0.05, True)
    """
    g = _groups(outcomes, metric, control, treatment)
    return _proportion_result(metric, control, treatment, int(g[control].sum()),
                              len(g[control]), int(g[treatment].sum()), len(g[treatment]),
                              alpha)


def count_test(counts: pd.DataFrame, successes: str = "reads", trials: str = "impressions",
               *, control: str = "A", treatment: str = "B", alpha: float = 0.05
               ) -> pd.DataFrame:
    """`conversion_test` for readouts that arrive as counts (a content test's reads and
    impressions per variant and day): sums `successes` and `trials` per `variant`, then
    the same two-proportion test, with `metric` named successes/trials.

    >>> daily = pd.DataFrame({"variant": ["A", "A", "B", "B"], "reads": [60, 40, 80, 70],
    ...                       "impressions": [600, 400, 500, 500]})
    >>> r = count_test(daily).iloc[0]
    >>> float(r["rate_control"]), float(r["rate_treatment"]), bool(r["p_value"] < 0.01)
    (0.1, 0.15, True)
    """
    require(counts, ["variant", successes, trials], "count_test")
    for col in (successes, trials):
        bad = counts[col].isna() | (counts[col] < 0)
        if bad.any():
            raise ValueError(f"count_test: {int(bad.sum())} row(s) have a missing or "
                             f"negative {col}; fix them first")
        if (counts[col] % 1 != 0).any():
            raise ValueError(f"count_test: {int((counts[col] % 1 != 0).sum())} row(s) have "
                             f"a {col} that is not a whole number; counts must be whole")
    if (counts[successes] > counts[trials]).any():
        raise ValueError(f"count_test: {int((counts[successes] > counts[trials]).sum())} "
                         f"row(s) have more {successes} than {trials}")
    sums = counts.groupby("variant", observed=True)[[successes, trials]].sum()
    for v in (control, treatment):
        if v not in sums.index or sums.loc[v, trials] == 0:
            raise ValueError(f"variant {v!r} has no {trials}; variants present: "
                             f"{sorted(counts['variant'].astype(str).unique())}")
    return _proportion_result(f"{successes}/{trials}", control, treatment,
                              int(sums.loc[control, successes]), int(sums.loc[control, trials]),
                              int(sums.loc[treatment, successes]),
                              int(sums.loc[treatment, trials]), alpha)


def _proportion_result(metric, control, treatment, sa, na, sb, nb, alpha) -> pd.DataFrame:
    r = two_proportions(sa, na, sb, nb, alpha=alpha)
    note = ""
    if sa == 0:
        lo = hi = np.nan
        note = t("experiments.note.zero_control", metric=metric)
    else:
        lo, hi = (x - 1 for x in confint_proportions_2indep(
            sb, nb, sa, na, compare="ratio", method="log-adjusted", alpha=alpha))
    r.update(relative_lift_low=float(lo), relative_lift_high=float(hi))
    order = ["n_control", "successes_control", "rate_control", "n_treatment",
             "successes_treatment", "rate_treatment", "diff", "diff_low", "diff_high",
             "diff_wald_low", "diff_wald_high", "relative_lift", "relative_lift_low",
             "relative_lift_high", "z", "p_value"]
    return pd.DataFrame([{"metric": metric, "control": control, "treatment": treatment,
                          **{k: r[k] for k in order}, "note": note}])


def _groups(outcomes, metric, control, treatment):
    require(outcomes, ["variant", metric], "experiment test")
    g = {v: outcomes.loc[outcomes["variant"] == v, metric].astype(float)
         for v in (control, treatment)}
    for v, x in g.items():
        if len(x) == 0:
            raise ValueError(f"variant {v!r} has zero users; variants present: "
                             f"{sorted(outcomes['variant'].astype(str).unique())}")
    return g


@renamed(old_order=("metric", "control", "treatment", "alpha"))
def mean_test(outcomes: pd.DataFrame, metric: str = "revenue", *, control: str = "A",
              treatment: str = "B", alpha: float = 0.05) -> pd.DataFrame:
    """Welch t-test (scipy) of a per-user `metric`, treatment vs control; absolute and
    relative (delta-method) CIs and the Welch degrees of freedom."""
    g = _groups(outcomes, metric, control, treatment)
    a, b = g[control], g[treatment]
    welch = stats.ttest_ind(b, a, equal_var=False)
    ci = welch.confidence_interval(1 - alpha)
    rel, lo, hi = _ratio_ci(a.mean(), a.var(ddof=1), len(a), b.mean(), b.var(ddof=1),
                            len(b), alpha)
    note = t("experiments.note.zero_control", metric=metric) if a.mean() == 0 else ""
    return pd.DataFrame([{"metric": metric, "control": control, "treatment": treatment,
                          "n_control": len(a), "mean_control": a.mean(),
                          "n_treatment": len(b), "mean_treatment": b.mean(),
                          "diff": b.mean() - a.mean(),
                          "diff_low": ci.low, "diff_high": ci.high, "relative_lift": rel,
                          "relative_lift_low": lo, "relative_lift_high": hi,
                          "t": welch.statistic, "df": float(welch.df), "p_value": welch.pvalue,
                          "note": note}])


@renamed(old_order=("metric", "covariate", "control", "treatment", "alpha"))
def cuped(outcomes: pd.DataFrame, metric: str = "revenue", covariate: str = "pre_revenue",
          *, control: str = "A", treatment: str = "B", alpha: float = 0.05) -> pd.DataFrame:
    """CUPED: subtract θ·(x − mean x) with θ = cov(x, y)/var(x), then the Welch test.

    Randomisation makes x independent of the variant, so the estimate stays unbiased
    while the variance shrinks by corr(x, y)². Reports `variance_reduction`.
    """
    require(outcomes, [metric, covariate, "variant"], "cuped")
    x, y = outcomes[covariate].astype(float), outcomes[metric].astype(float)
    if x.var() == 0:
        raise ValueError(f"{covariate} is constant: CUPED needs a covariate that varies")
    theta = np.cov(x, y, ddof=1)[0, 1] / x.var(ddof=1)
    adjusted = outcomes.assign(**{f"{metric}_cuped": y - theta * (x - x.mean())})
    out = mean_test(adjusted, f"{metric}_cuped", control=control, treatment=treatment,
                    alpha=alpha)
    out["theta"] = theta
    out["variance_reduction"] = 1 - adjusted[f"{metric}_cuped"].var() / y.var()
    return out


def sample_size(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8,
                ratio: float = 1.0) -> pd.DataFrame:
    """Users needed to detect an absolute lift `mde` on a conversion rate `baseline`
    (statsmodels' NormalIndPower on Cohen's h), with `ratio` treatment users per control
    user. `n_control_exact` is statsmodels' unrounded answer; the arms are rounded up.

    >>> sample_size(0.10, 0.015)[["n_control_exact", "n_control", "n_treatment", "total"]].round(1)
       n_control_exact  n_control  n_treatment  total
    0           6686.2       6687         6687  13374
    """
    if not 0 < baseline < 1 or not 0 < baseline + mde < 1:
        raise ValueError("baseline and baseline + mde must be rates between 0 and 1")
    if mde == 0 or not ratio > 0:
        raise ValueError(f"mde must be non-zero and ratio positive; got mde={mde!r}, "
                         f"ratio={ratio!r}")
    es = proportion_effectsize(baseline + mde, baseline)
    n = float(NormalIndPower().solve_power(effect_size=abs(es), alpha=alpha, power=power,
                                           ratio=ratio))
    n_control, n_treatment = int(np.ceil(n)), int(np.ceil(n * ratio))
    return pd.DataFrame([{"baseline": baseline, "mde": mde, "alpha": alpha, "power": power,
                          "ratio": ratio, "n_control_exact": n, "n_control": n_control,
                          "n_treatment": n_treatment, "total": n_control + n_treatment}])


def minimum_detectable_effect(baseline: float, n_per_arm: int, alpha: float = 0.05,
                              power: float = 0.8) -> float:
    """Smallest absolute lift detectable with `n_per_arm` users per arm."""
    es = NormalIndPower().solve_power(nobs1=n_per_arm, alpha=alpha, power=power, ratio=1.0)
    # invert Cohen's h: h = 2·asin(√p2) − 2·asin(√p1)
    p2 = np.sin(np.arcsin(np.sqrt(baseline)) + es / 2) ** 2
    return float(p2 - baseline)


def winners_curse(true_diff: float, se: float, alpha: float = 0.05) -> pd.DataFrame:
    """What a significant result tells you when the real lift is `true_diff` and the
    test measures it with standard error `se` (赢家诅咒, Gelman & Carlin's design
    analysis): `power` = P(significant); `type_s` = P(wrong sign | significant);
    `exaggeration` = E[|observed| | significant] / |true_diff|, how much a winner's
    lift overstates the real one on average. Exact for a normal estimate.

    >>> w = winners_curse(0.02, 0.01)
    >>> w[["power", "type_s", "exaggeration"]].round(3).values.tolist()
    [[0.516, 0.0, 1.386]]
    """
    if not se > 0:
        raise ValueError(f"winners_curse: se must be positive, got {se!r}")
    if true_diff == 0 or not np.isfinite(true_diff):
        raise ValueError("winners_curse: true_diff must be a non-zero lift (a planning "
                         f"guess of the real effect), got {true_diff!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    d = abs(true_diff)              # the curse is symmetric in the sign
    z = stats.norm.ppf(1 - alpha / 2)
    up, down = z - d / se, -z - d / se          # the critical values in units of se
    p_up, p_down = stats.norm.sf(up), stats.norm.cdf(down)
    power = p_up + p_down
    # E[|X|; X > z·se] + E[|X|; X < −z·se] for X ~ N(d, se²)
    mean_abs = (d * p_up + se * stats.norm.pdf(up)) + (se * stats.norm.pdf(down) - d * p_down)
    return pd.DataFrame([{"true_diff": true_diff, "se": se, "alpha": alpha,
                          "power": power, "type_s": p_down / power,
                          "exaggeration": mean_abs / power / d}])


def adjust_pvalues(p_values, method: str = "holm") -> np.ndarray:
    """Holm ('holm') or Benjamini–Hochberg ('fdr_bh') adjusted p-values (statsmodels)."""
    if method not in ("holm", "fdr_bh"):
        raise ValueError("method must be 'holm' or 'fdr_bh'")
    return multipletests(np.asarray(p_values, float), method=method)[1]


def decide(srm: pd.DataFrame, test: pd.DataFrame, alpha: float = 0.05,
           min_lift: float = 0.0, lang: str | None = None) -> str:
    """A plain-language decision from an SRM check and a test result, in `lang`
    (default: the language of `ops.setup`)."""
    if bool(srm["srm"].iloc[0]):
        return t("experiments.decide.srm", lang, p=srm["p_value"].iloc[0])
    r = test.iloc[0]
    fields = dict(metric=r["metric"], diff=r["diff"], low=r["diff_low"],
                  high=r["diff_high"], p=r["p_value"])
    if r["p_value"] < alpha and r["diff"] > min_lift:
        return t("experiments.decide.ship", lang, **fields)
    if r["p_value"] < alpha and r["diff"] < 0:
        return t("experiments.decide.keep_a", lang, **fields)
    return t("experiments.decide.inconclusive", lang, **fields)
