"""The metric registry: every metric the curriculum uses, defined once.

Each metric has an English name, the Chinese term (中文), a formula, its denominator
(every rate carries one), the area it belongs to, and one sentence on how it misleads;
formula, denominator and that sentence are written in English and in 中文.
One definition per metric: `COMPUTED_IN` names every helper column that computes a
metric, and a test checks each of those columns against the formula written here on
the sample. Lessons and reports show these definitions; the helpers compute them.

>>> METRICS["cvr"].chinese
'转化率'
>>> METRICS["cvr"].formula_in("zh")
'注册数 / 访问数'
>>> table("users")["metric"].iloc[0]
'new_users'

Taught in 00_start_here §Glossary.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import pandas as pd

from . import i18n
from .schema import TABLES

AREAS = ("traffic", "users", "community", "content", "activity", "data")
COLUMNS = ("metric", "name", "chinese", "area", "formula", "denominator", "unit",
           "misleads_when")   # the columns of table(); labels in catalogue/glossary.toml


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
    formula_zh: str = field(default="", repr=False)
    denominator_zh: str = field(default="", repr=False)
    misleads_zh: str = field(default="", repr=False)

    def formula_in(self, lang: str | None = None) -> str:
        return self.formula_zh if i18n.language(lang) == "zh" else self.formula

    def denominator_in(self, lang: str | None = None) -> str:
        return self.denominator_zh if i18n.language(lang) == "zh" else self.denominator

    def misleads_in(self, lang: str | None = None) -> str:
        return self.misleads_zh if i18n.language(lang) == "zh" else self.misleads


def _m(key: str, name: str, chinese: str, area: str, *, formula: tuple[str, str],
       denominator: tuple[str, str], misleads: tuple[str, str], unit: str = "rate") -> Metric:
    """One metric; `formula`, `denominator` and `misleads` are (English, 中文) pairs."""
    return Metric(key, name, chinese, area, formula[0], denominator[0], misleads[0], unit,
                  formula_zh=formula[1], denominator_zh=denominator[1], misleads_zh=misleads[1])


_NONE = ("—", "—")   # the denominator of a count or a sum

METRICS: dict[str, Metric] = {m.key: m for m in [
    # traffic 流量
    _m("pv", "Page views (PV)", "浏览量", "traffic", unit="count",
       formula=("count of page views", "页面被浏览的总次数"),
       denominator=_NONE,
       misleads=("one bored visitor clicking around inflates it; report UV beside it",
                 "一个访客随手乱点就能把它刷高；要和 UV 一起报")),
    _m("uv", "Unique visitors (UV)", "独立访客数", "traffic", unit="count",
       formula=("distinct visitors in the period", "统计周期内去重后的访客数"),
       denominator=_NONE,
       misleads=("UVs of different periods don't add up: a daily sum double-counts",
                 "不同周期的 UV 不能相加：把每天的 UV 加起来会重复计算")),
    _m("bounce_rate", "Bounce rate", "跳出率", "traffic",
       formula=("visits with one page and no action / visits",
                "只看了一页且没有任何操作的访问数 / 访问数"),
       denominator=("visits", "访问数"),
       misleads=("a landing page that answers the question at once can bounce and still succeed",
                 "落地页一眼就给了用户答案，跳出也可能是成功")),
    _m("ctr", "Click-through rate (CTR)", "点击率", "traffic",
       formula=("clicks / impressions", "点击数 / 曝光数"),
       denominator=("impressions", "曝光数"),
       misleads=("clickbait raises CTR and lowers everything after the click",
                 "标题党能拉高点击率，但点击之后的每一步都会变差")),
    _m("cpc", "Cost per click (CPC)", "单次点击成本", "traffic", unit="CNY",
       formula=("spend / clicks", "花费 / 点击数"),
       denominator=("clicks", "点击数"),
       misleads=("cheap clicks from a poor audience cost more per customer",
                 "人群不准，点击再便宜，摊到每个成交客户上反而更贵")),
    _m("cvr", "Conversion rate (CVR)", "转化率", "traffic",
       formula=("signups / visits", "注册数 / 访问数"),
       denominator=("visits", "访问数"),
       misleads=("say which step it converts to; a rate on 30 visits is noise (look at the CI)",
                 "先说清转化到哪一步；30 次访问算出的转化率只是噪声（看置信区间）")),
    _m("cpa", "Cost per acquisition (CPA)", "获客成本", "traffic", unit="CNY",
       formula=("spend / signups", "花费 / 注册数"),
       denominator=("signups", "注册数"),
       misleads=("cheap users who never buy are expensive; pair CPA with LTV or ROI",
                 "用户不下单，获客成本再低也是贵；CPA 要和 LTV 或 ROI 一起看")),
    _m("click_cvr", "Click conversion rate", "点击转化率", "traffic",
       formula=("signups / clicks (a keyword report knows clicks, not visits)",
                "注册数 / 点击量（搜索词报告里只有点击，没有访问）"),
       denominator=("clicks", "点击量"),
       misleads=("a little above CVR, because some clicks never load the page",
                 "比转化率（CVR）略高：有些点击没等页面打开就走了")),
    _m("roi", "Return on investment (ROI)", "投资回报率", "traffic", unit="ratio",
       formula=("(attributed revenue × gross margin − spend) / spend: attributed revenue "
                "= what the users the channel acquired paid; margin 0.5 unless you set "
                "yours (ops.metrics.GROSS_MARGIN)",
                "（归因收入 × 毛利率 − 花费）/ 花费；归因收入 = 该渠道获取的用户实付的金额，"
                "毛利率默认 0.5，可换成自家的（ops.metrics.GROSS_MARGIN）"),
       denominator=("spend", "花费"),
       misleads=("depends on the attribution window and model (last-touch flatters search)"
                 " and on the margin; attributed, not incremental: those users might have "
                 "come anyway",
                 "取决于归因窗口、归因模型（末次触点归因会高估搜索）和毛利率；它是归因口径，"
                 "不是增量口径：这些用户不投放也可能会来")),
    _m("roas", "Return on ad spend (ROAS)", "广告支出回报率", "traffic", unit="ratio",
       formula=("attributed revenue / spend", "归因收入 / 花费"),
       denominator=("spend", "花费"),
       misleads=("revenue is not profit: at a 50% margin a ROAS below 2.0 loses money "
                 "(ROI < 0)",
                 "收入不是利润：毛利率 50% 时，ROAS 低于 2.0 就是亏钱（ROI < 0）")),
    _m("cpm", "Cost per thousand reads (CPM)", "千次阅读成本", "traffic", unit="CNY",
       formula=("spend / reads × 1000", "花费 / 阅读（播放）量 × 1000"),
       denominator=("reads", "阅读（播放）量"),
       misleads=("reads can be bought (刷量): cheap reads that nobody engages with or "
                 "clicks are worth nothing",
                 "阅读量可以刷：便宜却没人互动、没人点击的阅读一文不值")),
    _m("cpe", "Cost per engagement (CPE)", "单次互动成本", "traffic", unit="CNY",
       formula=("spend / (likes + comments + shares + saves)",
                "花费 /（点赞 + 评论 + 分享 + 收藏）"),
       denominator=("engagements", "互动数"),
       misleads=("engagement is not purchase: a funny post is liked and sells nothing",
                 "互动不等于购买：段子类内容点赞多，但不带货")),
    _m("cost_per_order", "Cost per order", "单均成本", "traffic", unit="CNY",
       formula=("spend / orders of the acquired users", "花费 / 获取的用户下的订单数"),
       denominator=("orders", "订单数"),
       misleads=("later cohorts have had less time to order; compare over the same window",
                 "晚来的用户下单时间更短；比较时要用同一个时间窗口")),

    # users 用户
    _m("new_users", "New users", "新增用户", "users", unit="count",
       formula=("users who signed up in the period", "统计周期内注册的用户数"),
       denominator=_NONE,
       misleads=("counts signups, not people who will use the product; watch D1 beside it",
                 "数的是注册，不是真正会用产品的人；要同时看次日留存（D1）")),
    _m("dau", "Daily active users (DAU)", "日活跃用户数", "users", unit="count",
       formula=("distinct users with any event that day", "当天有任意行为的去重用户数"),
       denominator=_NONE,
       misleads=("the definition of 'active' decides the number: app_open ≠ purchase",
                 "“活跃”怎么定义决定了日活是多少：打开 App（app_open）≠ 下单（purchase）")),
    _m("mau", "Monthly active users (MAU)", "月活跃用户数", "users", unit="count",
       formula=("distinct users with any event in the 30 days ending that day",
                "截至当天近 30 天内有任意行为的去重用户数"),
       denominator=_NONE,
       misleads=("a campaign spike inflates it for a month",
                 "一次活动带来的峰值，会把月活虚高整整一个月")),
    _m("stickiness", "Stickiness (DAU/MAU)", "用户粘性", "users",
       formula=("DAU / MAU", "日活 / 月活"),
       denominator=("MAU", "月活"),
       misleads=("a shrinking MAU raises it while the business shrinks",
                 "月活下滑时粘性反而上升，业务其实在萎缩")),
    _m("sessions_per_user", "Sessions per active user", "人均会话数", "users", unit="ratio",
       formula=("sessions / distinct users with an event, in the period",
                "统计周期内：会话数 / 有行为的去重用户数"),
       denominator=("active users", "活跃用户数"),
       misleads=("depends on the inactivity gap that ends a session (30 min here); say which",
                 "取决于无操作多久算一次会话结束（本课程取 30 分钟）；要写明口径")),
    _m("session_length", "Session length", "会话时长", "users", unit="minutes",
       formula=("last event − first event of a session",
                "会话内最后一个事件时间 − 第一个事件时间"),
       denominator=("sessions", "会话数"),
       misleads=("a one-event session counts as 0 minutes and time after the last event is "
                 "invisible: it understates real time in the app",
                 "只有一个事件的会话记为 0 分钟，最后一个事件之后的停留也算不进来："
                 "会低估用户真实的使用时长")),
    _m("retention_dn", "N-day retention (Dn)", "第N日留存率", "users",
       formula=("users of a cohort active on day N after signup / cohort size",
                "同批新增中注册后第 N 天活跃的人数 / 该批新增用户数"),
       denominator=("cohort users", "同批新增用户数"),
       misleads=("a cohort whose day N is after the data end is not 0 %: it is unknown "
                 "(censored)",
                 "第 N 天还在数据截止日之后的批次，留存不是 0%，而是未知（还观察不到）")),
    _m("retention_unbounded", "Unbounded retention", "N日后留存率", "users",
       formula=("users active on day N or later / cohort size",
                "第 N 天及以后有过活跃的人数 / 该批新增用户数"),
       denominator=("cohort users", "同批新增用户数"),
       misleads=("always ≥ Dn; say which one you report",
                 "一定 ≥ 第 N 日留存；汇报时要说明用的是哪一种")),
    _m("churn_rate", "Churn rate", "流失率", "users",
       formula=("users active last period and not this one / users active last period",
                "上期活跃、本期不活跃的用户数 / 上期活跃用户数"),
       denominator=("last period's active users", "上期活跃用户数"),
       misleads=("the choice of period decides who counts as churned",
                 "周期怎么取，决定了谁算流失")),
    _m("paying_rate", "Paying rate", "付费率", "users",
       formula=("paying users / active users", "付费用户数 / 活跃用户数"),
       denominator=("active users", "活跃用户数"),
       misleads=("a campaign can lift it by adding payers who never return",
                 "一场活动拉来一批买完就走的用户，付费率就上去了")),
    _m("arpu", "Average revenue per user (ARPU)", "每用户平均收入", "users", unit="CNY",
       formula=("revenue / active users", "收入 / 活跃用户数"),
       denominator=("active users", "活跃用户数"),
       misleads=("a few whales move it; show the median",
                 "几个大额付费用户（大R）就能拉动均值；要同时给中位数")),
    _m("arppu", "Average revenue per paying user (ARPPU)", "每付费用户平均收入", "users",
       unit="CNY",
       formula=("revenue / paying users", "收入 / 付费用户数"),
       denominator=("paying users", "付费用户数"),
       misleads=("rises when small payers leave, which is bad news",
                 "小额付费用户流失时它反而上升，这是坏消息")),
    _m("aov", "Average order value (AOV)", "客单价", "users", unit="CNY",
       formula=("GMV / orders", "GMV / 订单数"),
       denominator=("orders", "订单数"),
       misleads=("a few gift boxes pull the mean up; check the median",
                 "几单礼盒就能把均值拉高；要看中位数")),
    _m("paid_aov", "Paid amount per order", "实付客单价", "users", unit="CNY",
       formula=("amount paid / orders (after coupons)", "实付金额 / 订单数（扣除优惠后）"),
       denominator=("orders", "订单数"),
       misleads=("lower than AOV by the average coupon; say which one you quote",
                 "比客单价（GMV / 订单数）少了平均优惠金额；汇报时要说清用的是哪一个")),
    _m("repeat_rate", "Repeat purchase rate", "复购率", "users",
       formula=("buyers with ≥ 2 orders in the period / buyers",
                "统计周期内下单 ≥ 2 次的买家数 / 买家数"),
       denominator=("buyers", "买家数"),
       misleads=("longer periods always look better; fix the window",
                 "周期越长复购率越好看；统计窗口要固定")),
    _m("k_factor", "Viral coefficient (K)", "K因子/病毒系数", "users", unit="ratio",
       formula=("invites per user × invite conversion", "人均邀请数 × 邀请转化率"),
       denominator=("users", "用户数"),
       misleads=("K < 1 does not grow on its own; cycle time matters as much as K",
                 "K < 1 时光靠裂变涨不起来；传播周期和 K 值一样重要")),
    _m("ltv", "Lifetime value (LTV)", "用户生命周期价值", "users", unit="CNY",
       formula=("revenue a user brings over their life (observed or modelled)",
                "一个用户在整个生命周期内带来的收入（实际观测或模型预估）"),
       denominator=("users", "用户数"),
       misleads=("half a year of data cannot see a lifetime: say the horizon",
                 "半年的数据看不到完整生命周期：要说明算的是多长时间的 LTV")),
    _m("rfm", "RFM segment", "RFM分层", "users", unit="count",
       formula=("recency, frequency, monetary scores per buyer",
                "给每个买家按最近一次消费（R）、消费频次（F）、消费金额（M）打分"),
       denominator=("buyers", "买家数"),
       misleads=("scores depend on the cut-offs; segments of 5 people are anecdotes",
                 "分数取决于分档阈值；只有 5 个人的分层只是个例")),

    # community 社群
    _m("group_active_rate", "Group active rate", "群活跃率", "community",
       formula=("members with ≥ 1 message or check-in / members",
                "发言或打卡 ≥ 1 次的成员数 / 群成员数"),
       denominator=("members", "群成员数"),
       misleads=("a bot or one chatty admin makes a dead group look alive",
                 "一个机器人或一个话痨群管，就能让死群看起来很活跃")),
    _m("messages_per_active", "Messages per active member", "人均发言数", "community",
       unit="ratio",
       formula=("messages / active members", "发言数 / 活跃成员数"),
       denominator=("active members", "活跃成员数"),
       misleads=("skewed by the top 10 %: report their share too",
                 "会被发言最多的前 10% 拉偏：要同时报他们的发言占比")),
    _m("checkin_rate", "Check-in rate", "打卡率", "community",
       formula=("members who checked in / members", "打卡成员数 / 群成员数"),
       denominator=("members", "群成员数"),
       misleads=("rises during a challenge by design; compare with its own pre-period",
                 "打卡挑战期间本来就会上升；要和该群挑战前的水平比")),
    _m("csat", "Customer satisfaction (CSAT)", "满意度", "community",
       formula=("feedback scoring 4 or 5 / feedback", "打 4–5 分的反馈数 / 反馈数"),
       denominator=("feedback", "反馈数"),
       misleads=("it describes who answered: service chats come from people with a "
                 "problem, surveys from loyal buyers; compare a source with itself",
                 "它描述的是回答的人：找客服的多半遇到了问题，填问卷的多是老客户；"
                 "只和同一来源的自己比")),
    _m("open_rate", "Open rate (pool push)", "打开率", "community",
       formula=("contacts who read the push / contacts it went to",
                "看了这次触达的人数 / 触达人数"),
       denominator=("contacts pushed to", "触达人数"),
       misleads=("pushing more often lowers it and loses contacts: read it with "
                 "unsubscribes, week by week",
                 "推得越勤，打开率越低、删好友越多：要和删除数一起按周看")),
    _m("points_liability", "Points liability", "积分负债", "community", unit="count",
       formula=("points issued − points redeemed (− expired)",
                "已发放积分 − 已核销积分（− 已过期积分）"),
       denominator=_NONE,
       misleads=("unredeemed points are a debt to members, not a gain",
                 "没核销的积分是欠会员的债，不是收益")),

    # content 内容
    _m("read_rate", "Read rate", "阅读率/打开率", "content",
       formula=("reads / impressions", "阅读数 / 曝光数"),
       denominator=("impressions", "曝光数"),
       misleads=("platforms count a 'read' differently; compare within a platform",
                 "各平台“阅读”的统计口径不同；只在同一平台内比较")),
    _m("completion_rate", "Completion rate", "完播率", "content",
       formula=("average share of a video watched", "视频平均被看完的比例"),
       denominator=("plays", "播放数"),
       misleads=("short videos complete more by length alone",
                 "视频越短完播率越高，光时长就能拉开差距")),
    _m("engagement_rate", "Engagement rate", "互动率", "content",
       formula=("(likes + comments + shares + saves) / reads",
                "（点赞 + 评论 + 分享 + 收藏）/ 阅读数"),
       denominator=("reads", "阅读数"),
       misleads=("on tiny audiences it swings wildly; pool before comparing",
                 "阅读量很小时波动极大；先合并再比较")),
    _m("like_rate", "Like rate", "点赞率", "content",
       formula=("likes / reads", "点赞数 / 阅读数"),
       denominator=("reads", "阅读数"),
       misleads=("a like costs nothing; it shows approval, not that anyone will share or buy",
                 "点赞零成本，只代表认可，不代表会转发或购买")),
    _m("share_rate", "Share rate", "分享率/转发率", "content",
       formula=("shares / reads", "分享数 / 阅读数"),
       denominator=("reads", "阅读数"),
       misleads=("giveaway posts ('share to win') buy shares that spread nothing",
                 "“转发抽奖”换来的转发，传播不出去")),
    _m("follow_rate", "Follows per 1k reads", "千次阅读涨粉", "content", unit="ratio",
       formula=("follows / reads × 1000", "涨粉数 / 阅读数 × 1000"),
       denominator=("reads", "阅读数"),
       misleads=("a viral post brings followers who never read again",
                 "爆款带来的粉丝，很多之后再也不看")),

    # activity 活动
    _m("gmv", "Gross merchandise value (GMV)", "商品交易总额", "activity", unit="CNY",
       formula=("sum of order values before discounts", "优惠前的订单金额之和"),
       denominator=_NONE,
       misleads=("includes coupons and (later) refunds; it is not revenue",
                 "含优惠券抵扣和之后的退款；GMV 不等于收入")),
    _m("incremental_gmv", "Incremental GMV", "增量GMV", "activity", unit="CNY",
       formula=("campaign GMV − baseline GMV expected without it",
                "活动期 GMV − 不做活动时预计的基线 GMV"),
       denominator=_NONE,
       misleads=("the baseline is a model; campaigns also pull sales forward from later days",
                 "基线是模型估出来的；活动还会提前透支之后几天的销量")),
    _m("campaign_roi", "Campaign ROI", "活动ROI", "activity", unit="ratio",
       formula=("(incremental GMV × margin − cost) / cost",
                "（增量 GMV × 毛利率 − 活动成本）/ 活动成本"),
       denominator=("cost", "活动成本"),
       misleads=("using total instead of incremental GMV makes every campaign look good",
                 "用总 GMV 代替增量 GMV，每场活动看起来都很成功")),
    _m("participation_rate", "Participation rate", "参与率", "activity",
       formula=("users who took part / users reached", "参与用户数 / 触达用户数"),
       denominator=("users reached", "触达用户数"),
       misleads=("'reached' is easy to define generously",
                 "“触达”的口径很容易往有利的方向定；要写清什么算触达")),
    _m("coupon_redemption", "Coupon redemption rate", "核销率", "activity",
       formula=("coupons used / coupons issued", "已核销券数 / 已发放券数"),
       denominator=("coupons issued", "已发放券数"),
       misleads=("fraud rings redeem at 100 %: high is not always good",
                 "羊毛党团伙的核销率是 100%：核销率高不一定是好事")),
    _m("conversion_lift", "Conversion lift (A/B)", "转化提升", "activity",
       formula=("conversion(B) − conversion(A), with a CI",
                "B 组转化率 − A 组转化率，附置信区间"),
       denominator=("users per variant", "每组用户数"),
       misleads=("peeking daily and stopping at p < 0.05 finds effects that are not there",
                 "每天偷看结果、一到 p < 0.05 就停实验，会“发现”并不存在的效果")),

    _m("cart_abandonment", "Cart abandonment rate", "购物车放弃率", "activity",
       formula=("users who added to cart and never started checkout / users who added to cart",
                "加购后从未进入结算的用户数 / 加购用户数"),
       denominator=("users who added to cart", "加购用户数"),
       misleads=("counted per user, not per event: one user adding ten times is one user",
                 "按人去重，不按事件次数：一个人加购十次也只算一个人")),
    _m("checkout_abandonment", "Checkout abandonment rate", "结算放弃率", "activity",
       formula=("users who started checkout and never bought / users who started checkout",
                "进入结算后从未购买的用户数 / 进入结算的用户数"),
       denominator=("users who started checkout", "进入结算的用户数"),
       misleads=("a broken payment step shows here, not in cart abandonment",
                 "支付环节出故障时反映在这里，而不是购物车放弃率")),

    # data 数据
    _m("wow", "Week over week (WoW)", "周环比", "data", unit="ratio",
       formula=("this week / last week − 1", "本周 / 上周 − 1"),
       denominator=("last week", "上周"),
       misleads=("a holiday in either week explains most swings",
                 "两周中只要有一周赶上节假日，大部分波动就是它造成的")),
    _m("yoy_same_weekday", "Same-weekday comparison", "同比(同星期)", "data", unit="ratio",
       formula=("today / same weekday last week − 1", "今天 / 上周同一天 − 1"),
       denominator=("same weekday last week", "上周同一天"),
       misleads=("one odd day last week makes today look odd",
                 "上周那天本身异常，今天看起来也会异常")),
    _m("gmv_tree", "GMV KPI tree", "GMV指标拆解", "data", unit="CNY",
       formula=("GMV = active users × paying rate × orders per payer × AOV",
                "GMV = 活跃用户数 × 付费率 × 付费用户人均订单数 × 客单价"),
       denominator=_NONE,
       misleads=("an identity explains where, not why; drill into the factor that moved",
                 "恒等式只说明变化出在哪，不说明为什么；要下钻到变动的那个因子")),
]}


# metric → the (module.function, column) pairs that compute it; tests/test_glossary_i18n.py
# recomputes each column from the glossary's formula on the sample
COMPUTED_IN: dict[str, list[tuple[str, str]]] = {
    "ctr": [("traffic.channel_report", "ctr"), ("traffic.keyword_report", "ctr")],
    "cvr": [("traffic.channel_report", "cvr"), ("traffic.kol_report", "cvr")],
    "cpc": [("traffic.channel_report", "cpc"), ("traffic.keyword_report", "cpc")],
    "cpa": [("traffic.channel_report", "cpa"), ("traffic.keyword_report", "cpa"),
            ("traffic.kol_report", "cpa")],
    "roi": [("traffic.channel_report", "roi"), ("traffic.keyword_report", "roi"),
            ("traffic.kol_report", "roi")],
    "roas": [("traffic.channel_report", "roas"), ("traffic.keyword_report", "roas"),
             ("traffic.kol_report", "roas")],
    "click_cvr": [("traffic.keyword_report", "click_cvr")],
    "cpm": [("traffic.kol_report", "cpm")],
    "cpe": [("traffic.kol_report", "cpe")],
    "cost_per_order": [("traffic.kol_report", "cost_per_order")],
    "csat": [("community.satisfaction_by_source", "csat")],
    "open_rate": [("community.push_report", "open_rate"),
                  ("community.push_fatigue", "open_rate")],
    "bounce_rate": [("traffic.uv_pv", "bounce_rate")],
    "uv": [("traffic.uv_pv", "uv")],
    "dau": [("monitor.stickiness", "dau")],
    "mau": [("monitor.stickiness", "mau")],
    "stickiness": [("monitor.stickiness", "stickiness")],
    "paying_rate": [("monitor.kpi_table", "paying_rate"), ("users.revenue_metrics",
                                                           "paying_rate")],
    "arpu": [("users.revenue_metrics", "arpu")],
    "arppu": [("users.revenue_metrics", "arppu")],
    "aov": [("monitor.kpi_table", "aov"), ("activity.phase_report", "aov")],
    "paid_aov": [("users.revenue_metrics", "paid_aov")],
    "k_factor": [("users.referral", "k_factor"), ("users.campaign_quality", "k_factor")],
    "read_rate": [("content.post_engagement", "read_rate")],
    "engagement_rate": [("content.post_engagement", "engagement_rate"),
                        ("traffic.kol_report", "engagement_rate")],
    "share_rate": [("content.post_engagement", "share_rate")],
    "like_rate": [("content.post_engagement", "like_rate"), ("content.engagement", "like_rate")],
    "campaign_roi": [("activity.phase_report", "campaign_roi")],
    "incremental_gmv": [("activity.phase_report", "incremental_gmv")],
}


def table(area: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """The registry as a table (one row per metric), optionally for one area.

    Formula, denominator and misleads_when are in `lang` (default: the language of
    `ops.setup`); `name` is always the English name, `chinese` the 中文 term.

    >>> table("traffic").columns.tolist()[:3]
    ['metric', 'name', 'chinese']
    >>> table("traffic", lang="zh").set_index("metric").loc["cvr", "formula"]
    '注册数 / 访问数'
    >>> table("traffic", lang="en").set_index("metric").loc["cvr", "formula"]
    'signups / visits'
    """
    if area is not None and area not in AREAS:
        raise ValueError(f"unknown area {area!r}; choose one of {', '.join(AREAS)}")
    lang = i18n.language(lang)
    rows = [{"metric": m.key, "name": m.name, "chinese": m.chinese, "area": m.area,
             "formula": m.formula_in(lang), "denominator": m.denominator_in(lang),
             "unit": m.unit, "misleads_when": m.misleads_in(lang)}
            for m in METRICS.values() if area is None or m.area == area]
    return pd.DataFrame(rows)


_ABBREVIATED = re.compile(r"^.+ \(([^()]+)\)$")   # 'Conversion rate (CVR)' → 'CVR'


def term(key: str, lang: str | None = None) -> str:
    """The metric's name for prose and plot labels, in `lang`.

    English: 'English (中文)'. 中文: '中文（abbreviation）' when the English name ends in
    one, else '中文（English）'.

    >>> term("aov", lang="en")
    'Average order value (AOV) (客单价)'
    >>> term("cvr", lang="zh")
    '转化率（CVR）'
    >>> term("new_users", lang="zh")
    '新增用户（New users）'
    """
    if key not in METRICS:
        raise KeyError(f"no metric {key!r} in the glossary; see glossary.table() for the list")
    m = METRICS[key]
    if i18n.language(lang) == "en":
        return f"{m.name} ({m.chinese})"
    found = _ABBREVIATED.match(m.name)
    return f"{m.chinese}（{found.group(1) if found else m.name}）"


@functools.cache
def _chinese_labels() -> dict[str, str]:
    """Column name → 中文 label: schema columns (first table wins), then metric keys, then
    the glossary table's own columns, then result columns (catalogue `columns.*`)."""
    labels: dict[str, str] = {}
    for t in TABLES.values():
        for c in t.columns:
            labels.setdefault(c.name, c.chinese)
    for m in METRICS.values():
        labels.setdefault(m.key, m.chinese)
    for name in COLUMNS:
        labels.setdefault(name, i18n.t(f"glossary.column.{name}", lang="zh"))
    for key, texts in i18n.messages().items():
        if key.startswith("columns."):
            labels.setdefault(key.removeprefix("columns."), texts["zh"])
    return labels


def labelled(df: pd.DataFrame, lang: str | None = None, table: str | None = None
             ) -> pd.DataFrame:
    """A copy of `df` whose column names (and index and column-axis names) are shown in
    `lang` when known: a schema column, a metric key, or a column of `table()`. Unknown
    names stay as they are, and so does a name whose label another name already has.
    Values are never changed; in English the names are returned unchanged. Two tables
    may use one name for two things (`kind` is 触达方式 in one, 活动类型 in another):
    `table=` puts that table's own labels first.

    >>> df = pd.DataFrame({"channel": ["seo"], "cvr": [0.12], "note": ["x"]})
    >>> zh = labelled(df.set_index("channel"), lang="zh")
    >>> zh.index.name, zh.columns.tolist(), zh.to_numpy().tolist()
    ('获客渠道', ['转化率', 'note'], [[0.12, 'x']])
    >>> labelled(df, lang="en").columns.tolist()
    ['channel', 'cvr', 'note']
    >>> labelled(pd.DataFrame({"kind": ["sale"]}), "zh", table="campaign_history").columns[0]
    '活动类型'
    """
    if i18n.language(lang) == "en":
        return df.copy()
    labels = _chinese_labels()
    if table is not None:
        if table not in TABLES:
            raise ValueError(f"labelled: unknown table {table!r}; tables: {sorted(TABLES)}")
        labels = {**labels, **{c.name: c.chinese for c in TABLES[table].columns}}
    names = [*df.index.names, *df.columns.names]
    names += [x for c in df.columns for x in (c if isinstance(c, tuple) else (c,))]
    taken = {n for n in names if not isinstance(n, str) or n not in labels}
    rename: dict[str, str] = {}
    for n in dict.fromkeys(names):   # distinct, in order
        if isinstance(n, str) and n in labels and labels[n] not in taken:
            rename[n] = labels[n]
            taken.add(labels[n])

    def shown(name):
        return rename.get(name, name)

    return df.rename(columns=rename).rename_axis(index=shown, columns=shown)
