"""Plotting: one house style, and figures that return their matplotlib objects.

Labels are English because a fresh machine has no CJK font; `cjk_font()` switches to
one when installed (for Chinese group names or titles), without printing warnings.
"""

from __future__ import annotations

import logging

import matplotlib as mpl
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
