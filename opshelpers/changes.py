"""The one change-point scan: the day a daily series changed most, and whether it is real.

Every split day that leaves `min_days` on each side is tried; the split with the largest
gain wins ("one level before, another after" vs "one level"). Because many days were
tried, the best gain always looks large, so its p-value comes from shuffling the order
of the days `permutations` times: p = (1 + shuffles with a gain ≥ the observed one) /
(permutations + 1), never 0.

Two gains: the binomial likelihood ratio for a rate built from daily successes and
trials (a channel's conversion, a theme's share of feedback), and the squared-error
reduction for a daily value (a mean shift). Used by `traffic.conversion_drop`,
`community.theme_surge`, `monitor.level_shift` and the weekly report.

>>> days = pd.date_range("2026-01-01", periods=40)
>>> trials = pd.Series(100, index=days)
>>> successes = pd.Series([20] * 25 + [5] * 15, index=days)
>>> r = rate_change(successes, trials, min_days=7, permutations=99)
>>> str(r["change_date"].date()), r["rate_before"], r["rate_after"], r["p_value"]
('2026-01-26', 0.2, 0.05, 0.01)
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

__all__ = ["rate_change", "rate_changes", "shuffled_rate_gains", "level_change",
           "MIN_PERMUTATIONS"]

MIN_PERMUTATIONS = 19   # fewer shuffles cannot give a p-value below 0.05


def _candidates(n_days: int, min_days: int) -> np.ndarray:
    return np.arange(min_days, n_days - min_days + 1)


def _binomial_gain(s: np.ndarray, n: np.ndarray, min_days: int) -> np.ndarray:
    """2·(log L(two rates) − log L(one rate)) at every candidate split."""
    cs, cn = np.cumsum(s), np.cumsum(n)
    k = _candidates(s.size, min_days)
    s1, n1 = cs[k - 1], cn[k - 1]
    s2, n2 = cs[-1] - s1, cn[-1] - n1

    def loglik(x, m):
        p = np.clip(x / m, 1e-12, 1 - 1e-12)
        return x * np.log(p) + (m - x) * np.log(1 - p)

    return 2 * (loglik(s1, n1) + loglik(s2, n2) - loglik(cs[-1], cn[-1]))


def _mean_gain(x: np.ndarray, min_days: int) -> np.ndarray:
    """Reduction of the squared error from one mean to a mean before and one after."""
    k = _candidates(x.size, min_days)
    c = np.cumsum(x)
    m1, m2 = c[k - 1] / k, (c[-1] - c[k - 1]) / (x.size - k)
    return k * (x.size - k) / x.size * (m1 - m2) ** 2


def _scan(columns: tuple[np.ndarray, ...], gain: Callable, min_days: int,
          permutations: int, seed: int) -> tuple[int, float, float, np.ndarray]:
    """(split index, observed gain, permutation p-value) of the best split, and the best
    gain of each shuffle (what the p-value counts)."""
    if permutations < MIN_PERMUTATIONS:
        raise ValueError(f"permutations must be ≥ {MIN_PERMUTATIONS} for a p-value below "
                         f"0.05 to be possible, not {permutations}")
    n_days = columns[0].size
    if n_days < 2 * min_days:
        raise ValueError(f"need at least {2 * min_days} days (min_days={min_days} on each "
                         f"side), got {n_days}")
    observed = gain(*columns, min_days)
    best = int(np.argmax(observed))
    rng = np.random.default_rng(seed)
    shuffled = np.array([gain(*(c[order] for c in columns), min_days).max()
                         for order in (rng.permutation(n_days) for _ in range(permutations))])
    exceed = int((shuffled >= observed[best]).sum())
    return int(_candidates(n_days, min_days)[best]), float(observed[best]), \
        (1 + exceed) / (permutations + 1), shuffled


def _days_with_trials(successes: pd.Series, trials: pd.Series
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(which days had trials, their successes, their trials): days without are skipped."""
    keep = trials.to_numpy(float) > 0
    return keep, successes.to_numpy(float)[keep], trials.to_numpy(float)[keep]


def rate_change(successes: pd.Series, trials: pd.Series, min_days: int = 14,
                permutations: int = 199, alpha: float = 0.01, seed: int = 0,
                trials_name: str = "trials") -> dict:
    """The day a daily rate (successes / trials, indexed by day) changed most.

    Days without trials are skipped. Returns change_date (first day of the new rate),
    rate_before, rate_after, change, `{trials_name}_before`, `{trials_name}_after` (say
    "visits"), lr_stat (the likelihood ratio), p_value and significant (p < alpha).
    """
    keep, s, n = _days_with_trials(successes, trials)
    k, stat, p, _ = _scan((s, n), _binomial_gain, min_days, permutations, seed)
    before, after = float(s[:k].sum() / n[:k].sum()), float(s[k:].sum() / n[k:].sum())
    return {"change_date": trials.index[keep][k], "rate_before": before,
            "rate_after": after, "change": after - before,
            f"{trials_name}_before": int(n[:k].sum()),
            f"{trials_name}_after": int(n[k:].sum()),
            "lr_stat": stat, "p_value": p, "significant": p < alpha}


def shuffled_rate_gains(successes: pd.Series, trials: pd.Series, min_days: int = 14,
                        permutations: int = 199, seed: int = 0) -> pd.DataFrame:
    """What chance alone gives: for each shuffle of the days (the same shuffles as
    `rate_change` with this seed), the likelihood ratio of the best split. The p-value
    of `rate_change` is (1 + shuffles at or above the observed lr_stat) / (shuffles + 1).

    >>> days = pd.date_range("2026-01-01", periods=40)
    >>> s = pd.Series([20] * 25 + [5] * 15, index=days)
    >>> null = shuffled_rate_gains(s, pd.Series(100, index=days), 7, 99)
    >>> len(null), bool(null["lr_stat"].max() < rate_change(s, s * 0 + 100, 7, 99)["lr_stat"])
    (99, True)

    Taught in 01_traffic §Why did one channel's conversion fall?
    """
    _, s, n = _days_with_trials(successes, trials)
    shuffled = _scan((s, n), _binomial_gain, min_days, permutations, seed)[3]
    return pd.DataFrame({"shuffle": np.arange(1, permutations + 1), "lr_stat": shuffled})


def rate_changes(rows: pd.DataFrame, group: str, metric: str, time: str,
                 min_days: int = 14, permutations: int = 199, alpha: float = 0.01,
                 seed: int = 0, trials_name: str = "trials") -> pd.DataFrame:
    """`rate_change` for each `group` of `rows` (one row per trial, `metric` 0/1), on its
    daily counts: one row per group with at least 2 × `min_days` days, significant and
    strongest first."""
    daily = (rows.assign(day=rows[time].dt.normalize())
             .groupby([group, "day"], observed=True)[metric].agg(["sum", "size"]))
    found = []
    for name, d in daily.groupby(level=0, observed=True):
        d = d.droplevel(0)
        d = d[d["size"] > 0]
        if len(d) >= 2 * min_days:
            found.append({group: name, **rate_change(d["sum"], d["size"], min_days,
                                                     permutations, alpha, seed, trials_name)})
    if not found:
        raise ValueError(f"no {group} has ≥ {2 * min_days} days with rows; lower min_days")
    return pd.DataFrame(found).sort_values(["significant", "lr_stat"], ascending=False,
                                           ignore_index=True)


def level_change(series: pd.Series, min_days: int = 14, permutations: int = 199,
                 alpha: float = 0.01, seed: int = 0) -> dict:
    """The day a daily value's level (mean) changed most; missing days are skipped.

    For series without a trend (a daily rate read as a value, a ratio): returns
    change_date, mean_before, mean_after, change, gain (squared-error reduction),
    p_value and significant.
    """
    s = pd.Series(series).astype(float).dropna()
    x = s.to_numpy()
    k, stat, p, _ = _scan((x,), _mean_gain, min_days, permutations, seed)
    before, after = float(x[:k].mean()), float(x[k:].mean())
    return {"change_date": s.index[k], "mean_before": before, "mean_after": after,
            "change": after - before,
            "gain": stat, "p_value": p, "significant": p < alpha}
