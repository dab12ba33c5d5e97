"""Shared metric arithmetic: rates that carry their denominator and a Wilson interval.

Results keep full precision; round only when you display them.

>>> add_rate(pd.DataFrame({"signups": [3], "visits": [20]}), "cvr", "signups", "visits").round(4)
   signups  visits   cvr  cvr_low  cvr_high
0        3      20  0.15   0.0524    0.3604
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from .compat import renamed
from .quality import SchemaError
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          proportions_ztest)

SMALL_DENOMINATOR = 30   # below this a rate is flagged as unreliable
# Chayu's gross margin on what customers pay: the default of every ROI (channel, keyword,
# KOL, campaign). An assumption: pass your own business's `margin=`.
GROSS_MARGIN = 0.5
# what counts as an engagement (互动) in the glossary's engagement_rate, CPE and the rest
ENGAGEMENTS = ["likes", "comments", "shares", "saves"]


def wilson(successes, trials, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (statsmodels); NaN where there are no trials."""
    s = np.asarray(successes, float)
    n = np.asarray(trials, float)
    safe = np.where(n > 0, n, 1)
    low, high = proportion_confint(s, safe, alpha=alpha, method="wilson")
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def add_rate(df: pd.DataFrame, name: str, numerator: str, denominator: str,
             ci: bool = True) -> pd.DataFrame:
    """Add `name` = numerator / denominator (NaN when 0) and its Wilson CI columns."""
    num, den = df[numerator].to_numpy(float), df[denominator].to_numpy(float)
    out = df.copy()
    out[name] = np.divide(num, den, out=np.full(len(df), np.nan), where=den > 0)
    if ci:
        out[f"{name}_low"], out[f"{name}_high"] = wilson(num, den)
    return out


def ratio(numerator, denominator) -> np.ndarray:
    """Elementwise numerator / denominator with NaN (not inf) for a zero denominator."""
    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan),
                     where=den != 0)


def require(df: pd.DataFrame, columns, what: str) -> None:
    """Raise a `SchemaError` (the one error for a missing column; a KeyError and a
    ValueError too) naming the missing columns of `what` and how to fix them."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(f"{what} needs column(s) {missing}; it has {list(df.columns)}. "
                       "Rename yours (df.rename(columns={...})) or load it with "
                       "ops.read_table(path, mapping={...}).")


@renamed(success_a="successes_control", n_a="n_control", success_b="successes_treatment",
         n_b="n_treatment")
def two_proportions(successes_control: int, n_control: int, successes_treatment: int,
                    n_treatment: int, alpha: float = 0.05) -> dict:
    """Treatment vs control: rates, difference with Newcombe's CI (and the Wald CI beside
    it, as most tools report it), relative lift, z-test (statsmodels).

    >>> r = two_proportions(100, 1000, 150, 1000)
    >>> round(r["diff"], 10), r["p_value"] < 0.01
    (0.05, True)
    """
    sa, na, sb, nb = successes_control, n_control, successes_treatment, n_treatment
    for n in (na, nb):
        if n <= 0:
            raise ValueError("each arm needs at least one observation")
    z, p = proportions_ztest([sb, sa], [nb, na])
    low, high = confint_proportions_2indep(sb, nb, sa, na, compare="diff", method="newcomb",
                                           alpha=alpha)
    wald_low, wald_high = confint_proportions_2indep(sb, nb, sa, na, compare="diff",
                                                     method="wald", alpha=alpha)
    ra, rb = sa / na, sb / nb
    return {"n_control": int(na), "successes_control": int(sa), "rate_control": ra,
            "n_treatment": int(nb), "successes_treatment": int(sb), "rate_treatment": rb,
            "diff": rb - ra, "diff_low": float(low), "diff_high": float(high),
            "diff_wald_low": float(wald_low), "diff_wald_high": float(wald_high),
            "relative_lift": rb / ra - 1 if ra > 0 else np.nan,
            "z": float(z), "p_value": float(p)}
