"""The weekly business review (周报): tables, HTML and an Excel workbook.

`weekly_report(tables, "2026-04-20")` computes the review for the week starting that
Monday from the raw tables; `to_html` and `to_excel` render it. Taught in 06_data
§Reports and used in 07_capstone_weekly_review.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import content, monitor, traffic
from .glossary import labelled
from .i18n import language, messages, t
from .render import page

__all__ = ["weekly_report", "to_html", "to_excel"]


def weekly_report(tables: dict[str, pd.DataFrame], week_start: str,
                  known_events: list[tuple[str, str]] | None = None) -> dict[str, pd.DataFrame]:
    """Sections of the weekly review for the 7 days from `week_start` (a Monday).

    kpis (this week vs last, WoW), daily (the week's days), anomalies (the detector's
    flags in the week), channels (signups and CVR by channel with change), conversion
    (change points in channel conversion up to the week's end), content (our top posts
    of the week), campaigns (running or starting within two weeks).
    """
    for name in ("events", "orders", "visits", "posts", "campaigns"):
        if name not in tables:
            raise KeyError(f"weekly_report needs the {name!r} table")
    start = pd.Timestamp(week_start).normalize()
    if start.day_name() != "Monday":
        raise ValueError(f"{start.date()} is a {start.day_name()}; weeks start on Monday")
    end = start + pd.Timedelta(days=6)
    ev, orders, visits = tables["events"], tables["orders"], tables["visits"]
    if ev["event_time"].max().normalize() < end:
        raise ValueError(f"the data ends {ev['event_time'].max().date()}, before the week "
                         f"ends ({end.date()}): a partial week is not reviewed")
    ev = ev[ev["event_time"] < end + pd.Timedelta(days=1)]
    orders = orders[orders["order_time"] < end + pd.Timedelta(days=1)]
    visits = visits[visits["visit_time"] < end + pd.Timedelta(days=1)]
    daily = monitor.kpi_table(ev, orders, "D").set_index("period")
    cols = ["active_users", "new_users", "payers", "orders", "gmv", "paid"]
    this = daily.loc[start:end, cols]
    last = daily.loc[start - pd.Timedelta(days=7):start - pd.Timedelta(days=1), cols]
    kpis = pd.DataFrame({"this_week": this.mean(), "last_week": last.mean()})
    # the week's rates are kpi_table's weekly ones (distinct payers / distinct active
    # users of the week), not sums of daily counts, which count a user once per day
    weekly = monitor.kpi_table(ev, orders, "W").set_index("period")
    for rate in ("paying_rate", "aov"):
        kpis.loc[rate] = weekly[rate].reindex([start, start - pd.Timedelta(days=7)]).to_numpy()
    kpis["wow"] = kpis["this_week"] / kpis["last_week"] - 1
    kpis = kpis.rename(index={c: f"{c}_per_day" for c in cols})
    anomalies = monitor.detect_anomalies(daily["active_users"], burn_in=28,
                                         known_events=known_events)
    anomalies = anomalies[anomalies["date"].between(start, end) &
                          (anomalies["anomaly"] | anomalies["known"])]
    v_day = visits["visit_time"].dt.normalize()
    week_v = visits[v_day.between(start, end)]
    prev_v = visits[v_day.between(start - pd.Timedelta(days=7), start - pd.Timedelta(days=1))]
    ch = pd.DataFrame({"visits": week_v.groupby("channel", observed=True).size(),
                       "signups": week_v.groupby("channel", observed=True)["signed_up"].sum(),
                       "signups_last_week": prev_v.groupby("channel", observed=True)
                       ["signed_up"].sum()}).fillna(0)
    ch["cvr"] = ch["signups"] / ch["visits"]
    ch["cvr_last_week"] = (ch["signups_last_week"] /
                           prev_v.groupby("channel", observed=True).size())
    ch["signups_wow"] = ch["signups"] / ch["signups_last_week"] - 1
    drops = traffic.conversion_drop(visits, min_days=7, seed=0)   # a week after is enough
    drops = drops[drops["significant"]]
    posts = tables["posts"]
    ours = posts[(posts["account"] == "chayu") &
                 posts["publish_time"].dt.normalize().between(start, end)]
    top = content.post_engagement(ours).sort_values("reads", ascending=False).head(5)[
        ["publish_time", "platform", "title", "reads", "engagement_rate", "share_rate"]]
    camp = tables["campaigns"]
    running = camp[(camp["end_date"] >= start) &
                   (camp["start_date"] <= end + pd.Timedelta(days=14))]
    return {"kpis": kpis.reset_index(names="kpi"),
            "daily": this.reset_index().rename(columns={"period": "date"}),
            "anomalies": anomalies.reset_index(drop=True),
            "channels": ch.reset_index().sort_values("signups_wow"),
            "conversion": drops.reset_index(drop=True),
            "content": top.reset_index(drop=True),
            "campaigns": running.reset_index(drop=True)}


def _shown(x: float) -> str:
    """Display only: 4 significant digits, thousands whole with separators (12,030).

    >>> _shown(12030.4), _shown(0.07614), _shown(-0.1023)
    ('12,030', '0.07614', '-0.1023')
    """
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _section(name: str, lang: str | None) -> str:
    key = f"reports.section.{name}"
    return t(key, lang) if key in messages() else name


def _readable(df: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """Column names, and the KPI names of the kpis section, in `lang` (for display)."""
    if "kpi" in df:
        df = df.assign(kpi=[t(f"reports.kpi.{k}", lang) for k in df["kpi"]])
    return labelled(df, lang)


def to_html(report: dict[str, pd.DataFrame], path: str | Path, title: str,
            notes: str = "", lang: str | None = None) -> Path:
    """A self-contained HTML page: one titled table per section, notes on top.

    Headings and column names in `lang` (default: `ops.setup`'s); the page names a CJK
    font stack so a reader's own fonts draw the Chinese (no web font, nothing fetched).
    """
    path = Path(path)
    lang = language(lang)
    sections = [{"heading": _section(name, lang),
                 "table": _readable(df, lang).to_html(index=False, na_rep="",
                                                     float_format=_shown) if len(df) else ""}
                for name, df in report.items()]
    text = page("report.html", title=title, lang=lang, sections=sections,
                notes=[p for p in notes.split("\n\n") if p] if notes else [],
                nothing=t("reports.nothing", lang))
    path.write_text(text, encoding="utf-8")
    return path


def to_excel(report: dict[str, pd.DataFrame], path: str | Path,
             lang: str | None = None) -> Path:
    """An .xlsx workbook: one sheet per section and a line chart of daily KPIs.

    Sheet names and column headers in `lang` (default: `ops.setup`'s)."""
    from openpyxl.chart import LineChart, Reference

    path = Path(path)
    sheets = {name: _section(name, lang)[:31] for name in report}
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, df in report.items():
            out = df.copy()
            for c in out.columns:
                if isinstance(out[c].dtype, pd.DatetimeTZDtype):
                    out[c] = out[c].dt.tz_localize(None)
            _readable(out, lang).to_excel(xl, sheet_name=sheets[name], index=False)
        ws = xl.book[sheets["daily"]]
        n = len(report["daily"])
        chart = LineChart()
        chart.title, chart.y_axis.title = t("reports.daily_chart", lang), t("reports.users", lang)
        col = list(report["daily"].columns).index("active_users") + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        ws.add_chart(chart, "J2")
    return path
