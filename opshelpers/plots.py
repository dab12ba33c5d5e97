"""Plotting: one house style, the bundled CJK font, labels from the message catalogue.

Importing this module registers Noto Sans CJK — installed with the package from PyPI
(`noto-cjk-sans-otc`, SIL Open Font Licence) — and puts it first among matplotlib's
sans-serif fonts, so Chinese titles, ticks and legends draw on a machine without any
system font even when `ops.setup()` was not called; `use_house_style()` (called by
`ops.setup()`) adds the house look. Nothing silences matplotlib's
"Glyph … missing" warning: a character the font lacks shows up as a visible warning.
Default titles and axis labels speak the language chosen by `ops.setup(lang=...)`.
"""

from __future__ import annotations

import functools

import numpy as np
import matplotlib
import matplotlib.ticker
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager

from .i18n import language, t

CJK_FONT = "Noto Sans CJK SC"
# HTML pages we write name the fonts a reader's own machine has (no web fonts, no CDN)
CSS_FONT_STACK = ('"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", '
                  '"Noto Sans SC", "Source Han Sans SC", sans-serif')


@functools.cache
def register_cjk_font() -> str:
    """Add the bundled Noto Sans CJK collection to matplotlib; returns the family name.

    >>> register_cjk_font()
    'Noto Sans CJK SC'
    """
    from noto_cjk_sans_otc import FONT_PATH

    font_manager.fontManager.addfont(str(FONT_PATH))
    if CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        raise RuntimeError(f"{FONT_PATH} holds no {CJK_FONT!r} face; reinstall opshelpers")
    return CJK_FONT


def _put_cjk_font_first() -> None:
    font = register_cjk_font()
    families = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font]
    matplotlib.rcParams["font.sans-serif"] = [font, *families]


_put_cjk_font_first()


def use_house_style() -> None:
    """Seaborn's white grid, colour-blind palette, figures readable in a report
    (800×400 px at 100 dpi), and the CJK font for every text."""
    font = register_cjk_font()
    sns.set_theme(style="whitegrid", palette="colorblind", rc={
        "figure.figsize": (8, 4), "figure.dpi": 100, "savefig.dpi": 100,
        "axes.titlesize": 12, "axes.labelsize": 10, "legend.fontsize": 9,
        "axes.spines.top": False, "axes.spines.right": False,
        "font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"]})


def value_label(column: str, value) -> str:
    """How a chart names a category value: `plots.<column>.<value>` from the catalogue
    (抖音 for douyin, 周一 for Monday) in the current language, else the value itself.

    >>> value_label("platform", "douyin"), value_label("platform", "kuaishou")
    ('抖音', 'kuaishou')
    """
    from .i18n import messages

    key = f"plots.{column}.{str(value).lower()}"
    return t(key) if key in messages() else str(value)


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


def retention_heatmap(triangle: pd.DataFrame, title: str | None = None, ax=None):
    """Cohorts × days heatmap of a `users.retention_triangle`; blank = censored."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.2 * len(triangle) + 1.5))
    labels = [pd.Timestamp(c).strftime("%m-%d") for c in triangle.index]
    sns.heatmap(triangle.set_axis(labels), ax=ax, cmap="Blues", vmin=0,
                cbar_kws={"label": t("plots.share_of_cohort")})
    ax.set(title=t("plots.retention_title") if title is None else title,
           xlabel=t("plots.days_since_signup"), ylabel=t("plots.signup_cohort"))
    return ax


def funnel_chart(funnel: pd.DataFrame, title: str | None = None, ax=None,
                 label: str = "event", share: str = "conversion"):
    """Horizontal bars of users per step, labelled with the `share` column (conversion
    from the start for `users.funnel`; the cohort share for `users.aarrr`, whose
    `label` is "name")."""
    if ax is None:
        _, ax = plt.subplots()
    labels = [f"{s}. {e}" for s, e in zip(funnel["step"], funnel[label])]
    ax.barh(labels[::-1], funnel["users"].to_numpy()[::-1], color="C0")
    for y, (users, conv) in enumerate(zip(funnel["users"].to_numpy()[::-1],
                                          funnel[share].to_numpy()[::-1])):
        ax.text(users, y, f" {users:,} ({conv:.0%})", va="center", fontsize=9)
    ax.set(title=t("plots.funnel_title") if title is None else title,
           xlabel=t("plots.users"))
    ax.margins(x=0.25)
    return ax


def lifecycle_chart(lifecycle: pd.DataFrame, title: str | None = None, ax=None):
    """Stacked bars per period: new, returning, resurrected up; dormant down."""
    if ax is None:
        _, ax = plt.subplots()
    wide = lifecycle.pivot_table(index="period", columns="state", values="users",
                                 aggfunc="sum", fill_value=0, observed=False)
    up = [s for s in ("new", "returning", "resurrected") if s in wide]
    bottom = np.zeros(len(wide))
    x = wide.index
    for i, s in enumerate(up):
        ax.bar(x, wide[s], bottom=bottom, width=5, label=t(f"users.state_name.{s}"),
               color=f"C{i}")
        bottom = bottom + wide[s].to_numpy()
    if "dormant" in wide:
        ax.bar(x, -wide["dormant"], width=5, label=t("users.state_name.dormant"), color="C3")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(title=t("plots.lifecycle_title") if title is None else title,
           ylabel=t("plots.users"))
    ax.legend(ncol=4, fontsize=8)
    ax.figure.autofmt_xdate()
    return ax


def posting_heatmap(cells: pd.DataFrame, metric: str, title: str | None = None, ax=None):
    """Heatmap of a `content.posting_heatmap` table — rows (weekdays, or platforms) ×
    every hour 0–23: colour = `metric` (its mean per post, or the pooled rate when the
    table was weighted), number = posts behind the cell; grey = too few posts to say
    (the metric is blank there), empty = no post. Returns the Axes.

    >>> cells = pd.DataFrame({"platform": ["douyin"] * 24, "hour": range(24),
    ...                       "posts": [0] * 20 + [6, 2, 0, 0],
    ...                       "read_rate": [np.nan] * 20 + [0.08, np.nan, np.nan, np.nan]})
    >>> posting_heatmap(cells, "read_rate", "t").get_title()
    't'
    """
    rows = cells.columns[0]
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.45 * cells[rows].nunique() + 1.4))
    mean = cells.pivot_table(index=rows, columns="hour", values=metric, aggfunc="first",
                             observed=False, dropna=False)
    posts = cells.pivot_table(index=rows, columns="hour", values="posts", aggfunc="first",
                              observed=False, dropna=False).fillna(0)
    mean = mean.reindex(columns=range(24))
    posts = posts.reindex(index=mean.index, columns=range(24), fill_value=0)
    names = [value_label(rows, v) for v in mean.index]
    from .glossary import METRICS

    name = METRICS[metric].name if metric in METRICS else metric
    if metric in METRICS and language() == "zh":
        name = METRICS[metric].chinese
    few = (posts > 0) & mean.isna()
    ax.imshow(np.where(few, 1.0, np.nan), cmap="Greys", vmin=0, vmax=4, aspect="auto",
              extent=(0, 24, len(mean), 0))
    sns.heatmap(mean.set_axis(names), ax=ax, cmap="Blues",
                annot=posts.where(posts > 0).to_numpy(), fmt=".0f",
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": name if cells.attrs.get("weight")     # pooled rate
                          else t("plots.mean_of", metric=name)})
    for i, j in zip(*np.nonzero(few.to_numpy())):      # counts of the greyed cells too
        ax.text(j + 0.5, i + 0.5, f"{posts.iat[i, j]:.0f}", ha="center", va="center",
                fontsize=8, color="dimgrey")
    ax.grid(False)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0)
    ax.set(title=t("plots.posting_title") if title is None else title,
           xlabel=t("plots.publish_hour"), ylabel="")
    return ax


def opinion_chart(volume: pd.DataFrame, alerts: pd.DataFrame | None = None,
                  title: str | None = None, ax=None):
    """Flagged (negative) mentions per period and platform from `content.opinion_volume`,
    one line each, with every alarm of `content.opinion_alerts` marked on its
    platform's line. Returns the Axes.

    >>> v = pd.DataFrame({"period": pd.date_range("2026-05-25", periods=3).repeat(2),
    ...                   "platform": ["douyin", "zhihu"] * 3, "flagged": [2, 1, 40, 1, 9, 0]})
    >>> a = pd.DataFrame({"platform": ["douyin"],
    ...                   "first_alarm": [pd.Timestamp("2026-05-26 20:25")]})
    >>> len(opinion_chart(v, a, "t").lines)
    3
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.6))
    wide = volume.pivot_table(index="period", columns="platform", values="flagged",
                              aggfunc="sum", observed=True)
    for i, platform in enumerate(wide.columns):
        ax.plot(wide.index, wide[platform], color=f"C{i}", lw=1.2,
                label=value_label("platform", platform))
        if alerts is not None and len(alerts):
            hit = alerts[alerts["platform"] == platform]
            if len(hit):
                at = wide.index.searchsorted(pd.to_datetime(hit["first_alarm"]),
                                             side="right") - 1     # the period it falls in
                at = at[at >= 0]
                days = wide.index[at]
                ax.plot(days, wide[platform].to_numpy()[at], "v", ms=10,
                        color="black", label=t("plots.alarm"))
    ax.set_yscale("symlog", linthresh=10)              # a burst and a normal day, both legible
    ax.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set(title=t("plots.opinion_title") if title is None else title,
           ylabel=t("plots.negative_mentions"), xlabel="")
    ax.legend(ncols=3, frameon=False)
    return ax


def shuffle_chart(shuffled: pd.DataFrame, observed: float, title: str | None = None,
                  ax=None):
    """What chance alone gives (`changes.shuffled_rate_gains`) as a histogram, with the
    observed best split as a red line: the p-value is the share of the bars at or to
    the right of the line. Returns the Axes.

    >>> null = pd.DataFrame({"shuffle": [1, 2, 3], "lr_stat": [2.0, 3.5, 5.0]})
    >>> shuffle_chart(null, 30.0, "t").get_title()
    't'
    """
    if ax is None:
        _, ax = plt.subplots()
    ax.hist(shuffled["lr_stat"], bins=20, color="C0", alpha=0.8,
            label=t("plots.shuffled"))
    ax.axvline(observed, color="C3", lw=2, label=t("plots.observed"))
    ax.set_title(title if title is not None else t("plots.shuffle_title"))
    ax.set_xlabel(t("plots.best_split_lr"))
    ax.set_ylabel(t("plots.shuffles"))
    ax.legend()
    return ax
