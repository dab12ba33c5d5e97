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
import matplotlib.dates
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


# lesson 05: campaigns (活动运营)

def _thousands(axis) -> None:
    axis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))


def _days(ax, when) -> None:
    """Date ticks as 06-15, about eight of them, whatever the span."""
    when = pd.to_datetime(pd.Series(when)).dropna()
    span = (when.max() - when.min()) / pd.Timedelta(days=1) if len(when) else 0
    ax.xaxis.set_major_locator(matplotlib.dates.DayLocator(interval=max(1, round(span / 8))))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m-%d"))


def pace_chart(pace: pd.DataFrame, events: dict | None = None, title: str | None = None,
               ax=None):
    """The `activity.pace_monitor` picture: cumulative actual (solid) against the
    target's pace (dashed), the alert hours as red dots on the actual line, and each
    of `events` ({label: time}) as a dotted vertical line. Returns the Axes.

    >>> p = pd.DataFrame({"hour": pd.date_range("2026-06-11", periods=3, freq="h"),
    ...                   "gmv": [5.0, 1, 1], "cumulative_gmv": [5.0, 6, 7],
    ...                   "target_pace": [4.0, 8, 12], "attainment": [1.25, 0.75, 0.58],
    ...                   "alert": [False, True, True]})
    >>> ax = pace_chart(p, {"加券": "2026-06-11 01:00"})
    >>> [len(line.get_xdata()) for line in ax.lines]
    [3, 3, 2, 2]
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    cum = next(c for c in pace.columns if c.startswith("cumulative_"))
    hour, actual = pd.to_datetime(pace["hour"]), pace[cum].to_numpy(float)
    gmv = cum == "cumulative_gmv"
    ax.plot(hour, actual, color="C0", lw=1.8,
            label=t("plots.cumulative_gmv" if gmv else "plots.cumulative_actual"))
    ax.plot(hour, pace["target_pace"], "--", color="grey", lw=1.4,
            label=t("plots.target_pace"))
    alert = pace["alert"].to_numpy(bool)
    if alert.any():
        ax.plot(hour[alert], actual[alert], "o", ms=4, color="C3",
                label=t("plots.alert_hours"))
    for label, when in (events or {}).items():
        ax.axvline(pd.Timestamp(when), color="black", ls=":", lw=1)
        ax.text(pd.Timestamp(when), 0.98, f" {label}", transform=ax.get_xaxis_transform(),
                va="top", fontsize=9)
    _thousands(ax.yaxis)
    _days(ax, hour)
    ax.set(title=t("plots.pace_title" if gmv else "plots.pace_title_other")
           if title is None else title, ylabel=t("plots.cny") if gmv else "", xlabel="")
    ax.legend(loc="upper left", frameon=False)
    return ax


def _breaks(when: pd.Series, *values, step: pd.Timedelta):
    """x and y arrays with a blank point inserted after every gap longer than two
    periods (the room is off at night), so a line breaks there instead of bridging it."""
    x = pd.to_datetime(when).to_numpy("datetime64[ns]")
    at = np.flatnonzero(np.diff(x) > 2 * step.to_timedelta64()) + 1
    x = np.insert(x, at, x[at - 1] + step.to_timedelta64())
    return (x, *(np.insert(np.asarray(v, float), at, np.nan) for v in values))


def live_panels(kpis: pd.DataFrame, at=None, at_label: str | None = None,
                title: str | None = None):
    """Three stacked panels of `activity.live_kpis` sharing the time axis: viewers (bars),
    conversion with its Wilson 95 % band, AOV; a dashed line at `at` (a coupon top-up)
    on each. Lines break over gaps longer than two periods. Returns the Figure.

    >>> k = pd.DataFrame({"period": pd.to_datetime(["2026-06-11 20:00", "2026-06-11 21:00"]),
    ...                   "viewers": [100, 300], "conversion": [0.02, 0.04],
    ...                   "conversion_low": [0.01, 0.02], "conversion_high": [0.07, 0.07],
    ...                   "aov": [100.0, 90.0]})
    >>> len(live_panels(k, at="2026-06-11 21:00").axes)
    3
    """
    k = kpis.sort_values("period")
    period = pd.to_datetime(k["period"])
    step = period.diff().median()
    step = pd.Timedelta(hours=1) if pd.isna(step) else step
    fig, (top, mid, low) = plt.subplots(3, 1, figsize=(9, 7), sharex=True,
                                        layout="constrained")
    top.bar(period, k["viewers"], width=0.8 * step / pd.Timedelta(days=1), color="C0")
    x, conv, lo, hi, aov = _breaks(period, k["conversion"], k["conversion_low"],
                                   k["conversion_high"], k["aov"], step=step)
    mid.fill_between(x, lo, hi, color="C0", alpha=0.2, lw=0, label=t("plots.wilson_band"))
    mid.plot(x, conv, "o-", ms=2.5, lw=1, color="C0", label=t("plots.conversion"))
    low.plot(x, aov, "o-", ms=2.5, lw=1, color="C2")
    percent = matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:g}%")    # 5%, 2.5%
    mid.yaxis.set_major_formatter(percent)
    for ax in (top, low):
        _thousands(ax.yaxis)
    for ax, label in zip((top, mid, low),
                         ("plots.viewers", "plots.conversion", "plots.aov_cny")):
        ax.set_ylabel(t(label))
        if at is not None:
            ax.axvline(pd.Timestamp(at), color="black", ls="--", lw=1)
    if at is not None:
        top.text(pd.Timestamp(at), 1.0, f" {at_label or t('plots.coupon_topup')}",
                 transform=top.get_xaxis_transform(), va="bottom", fontsize=9)
    mid.set_ylim(0, 1.3 * np.nanmax(hi))                    # headroom for the legend
    mid.legend(loc="upper left", frameon=False, ncols=2, fontsize=8)
    _days(low, period)
    per = ("plots.live_title_hour" if step < pd.Timedelta(days=1) else
           "plots.live_title_day" if step == pd.Timedelta(days=1) else "plots.live_title")
    fig.suptitle(t(per) if title is None else title)
    return fig


def winners_curse_chart(true_diff: float, se: float, alpha: float = 0.05,
                        observed: float | None = None, ax=None, title: str | None = None):
    """The winner's curse (赢家诅咒): where the observed lift of a test lands when the real
    one is `true_diff` and the test measures it with standard error `se` — the normal
    curve over ±4 se, the significant part (beyond ±z·se) shaded, lines at the true
    lift, at the average of the significant results (`experiments.winners_curse`) and
    at `observed`. The x axis is in percentage points. Returns the Axes.

    >>> ax = winners_curse_chart(0.02, 0.01, observed=0.03)
    >>> [round(float(line.get_xdata()[0]), 2) for line in ax.lines[1:]]
    [2.0, 2.77, 3.0]
    """
    from scipy.stats import norm

    from .experiments import winners_curse

    if ax is None:
        _, ax = plt.subplots()
    w = winners_curse(true_diff, se, alpha).iloc[0]
    cut = norm.ppf(1 - alpha / 2) * se
    x = np.union1d(np.linspace(true_diff - 4 * se, true_diff + 4 * se, 400), [-cut, cut])
    x = x[np.abs(x - true_diff) <= 4 * se]
    y = norm.pdf(x, true_diff, se)
    ax.plot(100 * x, y, color="C0", lw=1.5)
    ax.fill_between(100 * x, 0, y, where=np.abs(x) >= cut * (1 - 1e-12), color="C1",
                    alpha=0.35, lw=0, label=t("plots.significant_win", power=w["power"]))
    for key, lift, style in (("plots.true_lift", true_diff, dict(color="black")),
                             ("plots.winners_mean", w["exaggeration"] * true_diff,
                              dict(color="C3", ls="--")),
                             ("plots.observed_lift", observed, dict(color="C2", ls="-."))):
        if lift is not None:
            ax.axvline(100 * lift, lw=1.8, label=t(key, pp=100 * lift), **style)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v + 0:g}"))
    ax.set_yticks([])
    ax.set_ylim(bottom=0)
    ax.set(xlabel=t("plots.lift_pp"), title=t("plots.curse_title", times=w["exaggeration"])
           if title is None else title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return ax


def returns_chart(returns: pd.DataFrame, forecast: pd.DataFrame | None = None, ax=None,
                  title: str | None = None):
    """Return per CNY of cost of past campaigns (`activity.campaign_returns`), one row per
    kind on a log axis: a dot per campaign, a bar at the kind's geometric mean, and the
    prediction interval of `activity.campaign_forecast` as a wide translucent band on
    its kind's row. Returns the Axes.

    >>> r = pd.DataFrame({"kind": ["sale", "sale", "launch"],
    ...                   "return_per_cost": [1.0, 4.0, 0.5]})
    >>> ax = returns_chart(r)
    >>> len(ax.get_yticklabels()), float(ax.lines[1].get_xdata()[0])    # sale: √(1 × 4)
    (2, 2.0)
    """
    kinds = list(dict.fromkeys(returns["kind"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.6 + 0.7 * len(kinds)))
    for i, kind in enumerate(kinds):
        r = returns.loc[returns["kind"] == kind, "return_per_cost"].to_numpy(float)
        first = i == 0
        ax.plot(r, np.full(r.size, i), "o", color="C0", alpha=0.7, zorder=3,
                label=t("plots.past_campaign") if first else "_nolegend_")
        g = np.exp(np.log(r).mean())
        ax.plot([g, g], [i - 0.28, i + 0.28], color="black", lw=2.2, zorder=4,
                label=t("plots.geometric_mean") if first else "_nolegend_")
    for n, f in enumerate(() if forecast is None else forecast.itertuples()):
        ax.plot([f.incremental_gmv_low / f.total_cost, f.incremental_gmv_high / f.total_cost],
                [kinds.index(f.kind)] * 2, lw=14, alpha=0.3, color="C1",
                solid_capstyle="butt", zorder=2,
                label=t("plots.forecast_range", level=f.level) if n == 0 else "_nolegend_")
    ax.set_xscale("log")
    ticks = matplotlib.ticker.LogLocator(subs=(1, 1.5, 2, 3, 4, 5, 6, 7, 8))   # 0.5 … 1, 1.5
    ax.xaxis.set_major_locator(ticks)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_yticks(range(len(kinds)), [value_label("kind", k) for k in kinds])
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set(xlabel=t("plots.return_per_cost"),
           title=t("plots.returns_title") if title is None else title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3, frameon=False)
    return ax


def cuped_chart(outcomes: pd.DataFrame, metric: str = "revenue",
                covariate: str = "pre_revenue", variant: str = "variant", ax=None,
                title: str | None = None):
    """The CUPED picture: each user's spend before the test (x) against their spend in
    it (y), coloured by variant, with the pooled least-squares line y = a + θ·x whose
    slope θ = cov(x, y) / var(x) is what `experiments.cuped` subtracts. Returns the Axes.

    >>> o = pd.DataFrame({"variant": list("ABAB"), "pre_revenue": [0.0, 100, 200, 300],
    ...                   "revenue": [10.0, 60, 110, 160]})
    >>> line = cuped_chart(o).lines[0]
    >>> round(float(np.polyfit(line.get_xdata(), line.get_ydata(), 1)[0]), 2)
    0.5
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    for i, (name, g) in enumerate(outcomes.groupby(variant, observed=True, sort=True)):
        ax.scatter(g[covariate], g[metric], s=9, alpha=0.3, lw=0, color=f"C{i}",
                   label=t("plots.arm", name=value_label(variant, name)))
    x, y = outcomes[covariate].to_numpy(float), outcomes[metric].to_numpy(float)
    theta = np.cov(x, y)[0, 1] / np.var(x, ddof=1)
    line = np.linspace(x.min(), x.max(), 200)          # many points: straight on any scale
    ax.plot(line, y.mean() + theta * (line - x.mean()), color="black", lw=1.5,
            label=t("plots.theta_line", theta=theta))
    if zeros := int(((x == 0) & (y == 0)).sum()):       # often most users: one dot
        ax.plot([0], [0], "o", ms=12, mfc="none", mec="black", mew=1.2,
                label=t("plots.spent_nothing", n=zeros))
    for axis in (ax.xaxis, ax.yaxis):
        _thousands(axis)
    ax.set(xlabel=t("plots.pre_spend"), ylabel=t("plots.test_spend"),
           title=t("plots.cuped_title") if title is None else title)
    legend = ax.legend(title=t("plots.variant"), loc="upper center", ncols=2,
                       bbox_to_anchor=(0.5, -0.13), frameon=False)
    for handle in legend.legend_handles:                # legend dots: full colour, bigger
        handle.set_alpha(1)
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([30])
    return ax
