"""opshelpers.reports: the weekly review's numbers, HTML and an Excel file that opens."""

import openpyxl
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import reports


@pytest.fixture(scope="module")
def tables():
    return {n: ops.load_sample(n) for n in ("events", "orders", "visits", "posts", "campaigns")}


def test_weekly_review_numbers(tables):
    r = reports.weekly_report(tables, "2026-04-20")
    k = r["kpis"].set_index("kpi")
    ev = tables["events"]
    day = ev["event_time"].dt.normalize()
    dau = ev[day.between("2026-04-20", "2026-04-26")].groupby(day)["user_id"].nunique()
    assert k.loc["active_users_per_day", "this_week"] == pytest.approx(dau.mean(), abs=1e-3)
    assert r["channels"].iloc[0]["channel"] == "xiaohongshu"          # worst signups WoW
    conv = r["conversion"]
    assert conv["channel"].tolist() == ["xiaohongshu"]
    assert abs(conv["change_date"].iloc[0] - pd.Timestamp("2026-04-20")) <= pd.Timedelta(days=1)
    assert "checkin_challenge" in set(r["campaigns"]["campaign_id"])


def dau_on(tables, day: str) -> int:
    ev = tables["events"]
    return int(ev.loc[ev["event_time"].dt.normalize() == day, "user_id"].nunique())


def test_html_and_excel(tables, tmp_path):
    r = reports.weekly_report(tables, "2026-04-20")
    page = reports.to_html(r, tmp_path / "w.html", "Weekly review 2026-04-20", notes="a\n\nb",
                           lang="en")
    text = page.read_text(encoding="utf-8")
    assert "<h2>kpis</h2>" in text and "xiaohongshu" in text and "<p>b</p>" in text
    book = openpyxl.load_workbook(reports.to_excel(r, tmp_path / "w.xlsx", lang="en"))
    assert book.sheetnames == list(r)
    ws = book["daily"]
    assert ws.cell(1, 2).value == "active_users"
    assert ws.cell(2, 2).value == dau_on(tables, "2026-04-20")
    assert len(ws._charts) == 1


def test_html_and_excel_in_chinese(tables, tmp_path):
    r = reports.weekly_report(tables, "2026-04-20")
    text = reports.to_html(r, tmp_path / "w.html", "周报", lang="zh").read_text("utf-8")
    assert '<html lang="zh-CN">' in text and "<h2>核心指标（本周 vs 上周）</h2>" in text
    assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"' in text
    assert "http" not in text                              # nothing fetched by the page
    book = openpyxl.load_workbook(reports.to_excel(r, tmp_path / "w.xlsx", lang="zh"))
    assert book.sheetnames[:2] == ["核心指标（本周 vs 上周）", "每日数据"]
    ws = book["每日数据"]
    assert ws.cell(2, 2).value == dau_on(tables, "2026-04-20")
    assert ws.cell(1, 2).value != "active_users"


def test_bad_weeks(tables):
    with pytest.raises(ValueError, match="is a Tuesday; weeks start on Monday"):
        reports.weekly_report(tables, "2026-04-21")
    with pytest.raises(ValueError, match="a partial week is not reviewed"):
        reports.weekly_report(tables, "2026-06-29")
    with pytest.raises(KeyError, match="needs the 'posts' table"):
        reports.weekly_report({k: v for k, v in tables.items() if k != "posts"}, "2026-04-20")
