"""Plotting: one house style, and figures that return their matplotlib objects.

Labels are English because a fresh machine has no CJK font; `cjk_font()` switches to
one when installed (for Chinese group names or titles), without printing warnings.
"""

from __future__ import annotations

import logging

import matplotlib as mpl
import numpy as np
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Hiragino Sans GB", "AR PL UMing CN")


def use_house_style() -> None:
    """Seaborn's white grid, small figures (notebook-friendly), colour-blind palette."""
    sns.set_theme(style="whitegrid", palette="colorblind", rc={
        "figure.figsize": (7, 3.4), "figure.dpi": 72, "savefig.dpi": 72,
        "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
        "axes.spines.top": False, "axes.spines.right": False})
    # font fallback warnings must never reach notebook outputs
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def cjk_font() -> str | None:
    """Use the first installed CJK font for plot text; returns its name or None.

    >>> cjk_font() in (None, *CJK_FONTS)
    True
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            mpl.rcParams["font.sans-serif"] = [name, *mpl.rcParams["font.sans-serif"]]
            mpl.rcParams["axes.unicode_minus"] = False
            return name
    return None


def daily_line(series: pd.Series, title: str, ylabel: str, ax=None,
               shade: tuple[str, str] | None = None):
    """A daily time series as a line, optionally shading one date window; returns the Axes.

    >>> s = pd.Series([1, 2, 3], index=pd.date_range("2026-01-01", periods=3))
    >>> daily_line(s, "t", "y").get_title()
    't'
    """
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(series.index, series.to_numpy(), lw=1.4)
    if shade is not None:
        ax.axvspan(pd.Timestamp(shade[0]), pd.Timestamp(shade[1]), color="C3", alpha=0.15)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.figure.autofmt_xdate()
    return ax


def retention_heatmap(triangle: pd.DataFrame, title: str = "Retention by cohort", ax=None):
    """Cohorts × days heatmap of a `users.retention_triangle`; blank = censored."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.2 * len(triangle) + 1.5))
    labels = [pd.Timestamp(c).strftime("%m-%d") for c in triangle.index]
    sns.heatmap(triangle.set_axis(labels), ax=ax, cmap="Blues", vmin=0,
                cbar_kws={"label": "share of cohort"})
    ax.set(title=title, xlabel="days since signup", ylabel="signup cohort")
    return ax


def funnel_chart(funnel: pd.DataFrame, title: str = "Funnel", ax=None):
    """Horizontal bars of users per step, labelled with conversion from the start."""
    if ax is None:
        _, ax = plt.subplots()
    labels = [f"{s}. {e}" for s, e in zip(funnel["step"], funnel["event"])]
    ax.barh(labels[::-1], funnel["users"].to_numpy()[::-1], color="C0")
    for y, (users, conv) in enumerate(zip(funnel["users"].to_numpy()[::-1],
                                          funnel["conversion"].to_numpy()[::-1])):
        ax.text(users, y, f" {users:,} ({conv:.0%})", va="center", fontsize=9)
    ax.set(title=title, xlabel="users")
    ax.margins(x=0.25)
    return ax


def lifecycle_chart(lifecycle: pd.DataFrame, title: str = "User lifecycle", ax=None):
    """Stacked bars per period: new, returning, resurrected up; dormant down."""
    if ax is None:
        _, ax = plt.subplots()
    wide = lifecycle.pivot_table(index="period", columns="state", values="users",
                                 aggfunc="sum", fill_value=0, observed=False)
    up = [s for s in ("new", "returning", "resurrected") if s in wide]
    bottom = np.zeros(len(wide))
    x = wide.index
    for i, s in enumerate(up):
        ax.bar(x, wide[s], bottom=bottom, width=5, label=s, color=f"C{i}")
        bottom = bottom + wide[s].to_numpy()
    if "dormant" in wide:
        ax.bar(x, -wide["dormant"], width=5, label="dormant", color="C3")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(title=title, ylabel="users")
    ax.legend(ncol=4, fontsize=8)
    ax.figure.autofmt_xdate()
    return ax
