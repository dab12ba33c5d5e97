"""The metric registry: every metric the curriculum uses, defined once.

Each metric has an English name, the Chinese term (中文), a formula, its denominator
(every rate carries one), the area it belongs to, and one sentence on how it misleads.
Notebooks, templates, SQL and reports all read their definitions from here.

>>> METRICS["cvr"].chinese
'转化率'
>>> table("users")["metric"].iloc[0]
'new_users'

Taught in 00_start_here §Glossary.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

AREAS = ("traffic", "users", "community", "content", "activity", "data")


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    chinese: str
    area: str
    formula: str
    denominator: str
    misleads: str
    unit: str = "rate"   # rate (0–1) | CNY | count | ratio | days | minutes


_M = Metric
METRICS: dict[str, Metric] = {m.key: m for m in [
    # traffic 流量
    _M("pv", "Page views (PV)", "浏览量", "traffic", "count of page views", "—",
       "one bored visitor clicking around inflates it; report UV beside it", "count"),
    _M("uv", "Unique visitors (UV)", "独立访客数", "traffic", "distinct visitors in the period",
       "—", "UVs of different periods don't add up: a daily sum double-counts", "count"),
    _M("bounce_rate", "Bounce rate", "跳出率", "traffic",
       "visits with one page and no action / visits", "visits",
       "a landing page that answers the question at once can bounce and still succeed"),
    _M("ctr", "Click-through rate (CTR)", "点击率", "traffic", "clicks / impressions",
       "impressions", "clickbait raises CTR and lowers everything after the click"),
    _M("cpc", "Cost per click (CPC)", "单次点击成本", "traffic", "spend / clicks", "clicks",
       "cheap clicks from a poor audience cost more per customer", "CNY"),
    _M("cvr", "Conversion rate (CVR)", "转化率", "traffic", "signups / visits", "visits",
       "say which step it converts to; a rate on 30 visits is noise (look at the CI)"),
    _M("cpa", "Cost per acquisition (CPA)", "获客成本", "traffic", "spend / signups",
       "signups", "cheap users who never buy are expensive; pair CPA with LTV or ROI", "CNY"),
    _M("roi", "Return on investment (ROI)", "投资回报率", "traffic",
       "(revenue − spend) / spend", "spend",
       "depends on the attribution window and model; last-touch flatters search", "ratio"),
    _M("roas", "Return on ad spend (ROAS)", "广告支出回报率", "traffic", "revenue / spend",
       "spend", "revenue is not profit: a 2.0 ROAS can lose money at a 40% margin", "ratio"),
    # users 用户
    _M("new_users", "New users", "新增用户", "users", "users who signed up in the period", "—",
       "counts signups, not people who will use the product; watch D1 beside it", "count"),
    _M("dau", "Daily active users (DAU)", "日活跃用户数", "users",
       "distinct users with any event that day", "—",
       "the definition of 'active' decides the number: app_open ≠ purchase", "count"),
    _M("mau", "Monthly active users (MAU)", "月活跃用户数", "users",
       "distinct users with any event in the 30 days ending that day", "—",
       "a campaign spike inflates it for a month", "count"),
    _M("stickiness", "Stickiness (DAU/MAU)", "用户粘性", "users", "DAU / MAU", "MAU",
       "a shrinking MAU raises it while the business shrinks"),
    _M("sessions_per_user", "Sessions per active user", "人均会话数", "users",
       "sessions / distinct users with an event, in the period", "active users",
       "depends on the inactivity gap that ends a session (30 min here); say which",
       "ratio"),
    _M("session_length", "Session length", "会话时长", "users",
       "last event − first event of a session", "sessions",
       "a one-event session counts as 0 minutes and time after the last event is "
       "invisible: it understates real time in the app", "minutes"),
    _M("retention_dn", "N-day retention (Dn)", "第N日留存率", "users",
       "users of a cohort active on day N after signup / cohort size", "cohort users",
       "a cohort whose day N is after the data end is not 0 %: it is unknown (censored)"),
    _M("retention_unbounded", "Unbounded retention", "N日后留存率", "users",
       "users active on day N or later / cohort size", "cohort users",
       "always ≥ Dn; say which one you report"),
    _M("churn_rate", "Churn rate", "流失率", "users",
       "users active last period and not this one / users active last period",
       "last period's active users", "the choice of period decides who counts as churned"),
    _M("paying_rate", "Paying rate", "付费率", "users", "paying users / active users",
       "active users", "a campaign can lift it by adding payers who never return"),
    _M("arpu", "Average revenue per user (ARPU)", "每用户平均收入", "users",
       "revenue / active users", "active users", "a few whales move it; show the median", "CNY"),
    _M("arppu", "Average revenue per paying user (ARPPU)", "每付费用户平均收入", "users",
       "revenue / paying users", "paying users",
       "rises when small payers leave, which is bad news", "CNY"),
    _M("aov", "Average order value (AOV)", "客单价", "users", "GMV / orders", "orders",
       "a few gift boxes pull the mean up; check the median", "CNY"),
    _M("repeat_rate", "Repeat purchase rate", "复购率", "users",
       "buyers with ≥ 2 orders in the period / buyers", "buyers",
       "longer periods always look better; fix the window"),
    _M("k_factor", "Viral coefficient (K)", "K因子/病毒系数", "users",
       "invites per user × invite conversion", "users",
       "K < 1 does not grow on its own; cycle time matters as much as K", "ratio"),
    _M("ltv", "Lifetime value (LTV)", "用户生命周期价值", "users",
       "revenue a user brings over their life (observed or modelled)", "users",
       "half a year of data cannot see a lifetime: say the horizon", "CNY"),
    _M("rfm", "RFM segment", "RFM分层", "users",
       "recency, frequency, monetary scores per buyer", "buyers",
       "scores depend on the cut-offs; segments of 5 people are anecdotes", "count"),
    # community 社群
    _M("group_active_rate", "Group active rate", "群活跃率", "community",
       "members with ≥ 1 message or check-in / members", "members",
       "a bot or one chatty admin makes a dead group look alive"),
    _M("messages_per_active", "Messages per active member", "人均发言数", "community",
       "messages / active members", "active members",
       "skewed by the top 10 %: report their share too", "ratio"),
    _M("checkin_rate", "Check-in rate", "打卡率", "community",
       "members who checked in / members", "members",
       "rises during a challenge by design; compare with its own pre-period"),
    _M("points_liability", "Points liability", "积分负债", "community",
       "points issued − points redeemed (− expired)", "—",
       "unredeemed points are a debt to members, not a gain", "count"),
    # content 内容
    _M("read_rate", "Read rate", "阅读率/打开率", "content", "reads / impressions",
       "impressions", "platforms count a 'read' differently; compare within a platform"),
    _M("completion_rate", "Completion rate", "完播率", "content",
       "average share of a video watched", "plays", "short videos complete more by length alone"),
    _M("engagement_rate", "Engagement rate", "互动率", "content",
       "(likes + comments + shares + saves) / reads", "reads",
       "on tiny audiences it swings wildly; pool before comparing"),
    _M("share_rate", "Share rate", "分享率/转发率", "content", "shares / reads", "reads",
       "giveaway posts ('share to win') buy shares that spread nothing"),
    _M("follow_rate", "Follows per 1k reads", "千次阅读涨粉", "content",
       "follows / reads × 1000", "reads", "a viral post brings followers who never read again",
       "ratio"),
    # activity 活动
    _M("gmv", "Gross merchandise value (GMV)", "商品交易总额", "activity",
       "sum of order values before discounts", "—",
       "includes coupons and (later) refunds; it is not revenue", "CNY"),
    _M("incremental_gmv", "Incremental GMV", "增量GMV", "activity",
       "campaign GMV − baseline GMV expected without it", "—",
       "the baseline is a model; campaigns also pull sales forward from later days", "CNY"),
    _M("campaign_roi", "Campaign ROI", "活动ROI", "activity",
       "(incremental GMV × margin − cost) / cost", "cost",
       "using total instead of incremental GMV makes every campaign look good", "ratio"),
    _M("participation_rate", "Participation rate", "参与率", "activity",
       "users who took part / users reached", "users reached",
       "'reached' is easy to define generously"),
    _M("coupon_redemption", "Coupon redemption rate", "核销率", "activity",
       "coupons used / coupons issued", "coupons issued",
       "fraud rings redeem at 100 %: high is not always good"),
    _M("conversion_lift", "Conversion lift (A/B)", "转化提升", "activity",
       "conversion(B) − conversion(A), with a CI", "users per variant",
       "peeking daily and stopping at p < 0.05 finds effects that are not there"),
    # data 数据
    _M("wow", "Week over week (WoW)", "周环比", "data", "this week / last week − 1",
       "last week", "a holiday in either week explains most swings", "ratio"),
    _M("yoy_same_weekday", "Same-weekday comparison", "同比(同星期)", "data",
       "today / same weekday last week − 1", "same weekday last week",
       "one odd day last week makes today look odd", "ratio"),
    _M("gmv_tree", "GMV KPI tree", "GMV指标拆解", "data",
       "GMV = DAU × paying rate × orders per payer × AOV", "—",
       "an identity explains where, not why; drill into the factor that moved", "CNY"),
]}


def table(area: str | None = None) -> pd.DataFrame:
    """The registry as a table (one row per metric), optionally for one area.

    >>> table("traffic").columns.tolist()[:3]
    ['metric', 'name', 'chinese']
    """
    if area is not None and area not in AREAS:
        raise ValueError(f"unknown area {area!r}; choose one of {', '.join(AREAS)}")
    rows = [{"metric": m.key, "name": m.name, "chinese": m.chinese, "area": m.area,
             "formula": m.formula, "denominator": m.denominator, "unit": m.unit,
             "misleads_when": m.misleads}
            for m in METRICS.values() if area is None or m.area == area]
    return pd.DataFrame(rows)


def term(key: str) -> str:
    """'English (中文)' for prose and plot labels: `term("cvr")` → 'Conversion rate (CVR) (转化率)'."""
    if key not in METRICS:
        raise KeyError(f"no metric {key!r} in the glossary; see glossary.table() for the list")
    m = METRICS[key]
    return f"{m.name} ({m.chinese})"
