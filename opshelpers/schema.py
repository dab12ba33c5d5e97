"""The canonical tables: every column's type, unit, Chinese name and meaning.

One definition drives three things: `io.load_sample` dtypes, `io.read_table`
validation, and `data/DATA_DICTIONARY.md` (`render_dictionary`).

>>> TABLES["orders"].grain
'one row per order'
>>> EVENT_SCHEMA.required
('user_id', 'event_time', 'event')
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import language


@dataclass(frozen=True)
class Column:
    name: str
    kind: str          # id | int | float | money | rate | bool | datetime | date | category | text
    chinese: str
    meaning: str
    unit: str = ""
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    chinese: str
    grain: str
    columns: tuple[Column, ...]
    optional: tuple[str, ...] = ()   # columns a user's own export may lack
    key: tuple[str, ...] = ()        # columns that identify a row (duplicates are reported)
    time: str | None = None          # the time a row happened at (the date window applies)
    grain_zh: str = ""               # the grain in 中文: '每行是一笔订单'

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.name not in self.optional)

    def grain_in(self, lang: str | None = None) -> str:
        """The grain in `lang` (default: the language of `ops.setup`).

        >>> TABLES["orders"].grain_in("zh"), TABLES["orders"].grain_in("en")
        ('每行是一笔订单', 'one row per order')
        """
        return (self.grain_zh or self.grain) if language(lang) == "zh" else self.grain

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}; columns: {self.names}")


C = Column
TABLES: dict[str, Table] = {t.name: t for t in [
    Table("users", "用户表", "one row per registered user", (
        C("user_id", "id", "用户ID", "registered user"),
        C("signup_time", "datetime", "注册时间", "local time of registration"),
        C("channel", "category", "获客渠道", "acquisition channel of the signup visit: seo, "
          "sem, feed_ads (信息流), kol, xiaohongshu, community (社群), referral (裂变)"),
        C("landing_page", "category", "落地页", "lp_a / lp_b for channel traffic, lp_invite "
          "for invite links"),
        C("device", "category", "设备", "ios, android or mini_program (小程序)"),
        C("city_tier", "int", "城市等级", "1 = first-tier city … 4 = fourth tier and below"),
        C("age_group", "category", "年龄段", "self-reported age band"),
        C("referrer_id", "id", "邀请人ID", "user whose invite brought this user; empty "
          "unless channel is referral", nullable=True),
        C("onboarding", "category", "新手引导版本", "v1 before 2026-02-15, v2 from then on"),
    ), optional=("landing_page", "device", "city_tier", "age_group", "referrer_id",
                 "onboarding"), key=('user_id',), time='signup_time',
          grain_zh="每行是一位注册用户"),
    Table("visits", "访问表", "one row per landing visit from an acquisition channel "
          "(anonymous until signup)", (
        C("visit_id", "id", "访问ID", "landing visit"),
        C("visitor_id", "id", "访客ID", "anonymous visitor (cookie / device); all visits "
          "of one visitor, before and at signup, share it"),
        C("visit_time", "datetime", "访问时间", "local time the visitor landed"),
        C("channel", "category", "渠道", "traffic source of the visit"),
        C("landing_page", "category", "落地页", "page the visitor landed on"),
        C("device", "category", "设备", "visitor's device"),
        C("pageviews", "int", "浏览页数", "pages viewed in the visit (PV)", "pages"),
        C("bounced", "bool", "是否跳出", "left after one page without any action"),
        C("signed_up", "bool", "是否注册", "the visitor registered in this visit"),
        C("user_id", "id", "用户ID", "the new user's id if signed_up", nullable=True),
    ), optional=("visitor_id", "landing_page", "device", "pageviews", "bounced", "signed_up",
                 "user_id"), key=('visit_id',), time='visit_time',
          grain_zh="每行是一次从获客渠道进入落地页的访问（注册前为匿名访客）"),
    Table("events", "行为事件表", "one row per tracked app event", (
        C("user_id", "id", "用户ID", "user who acted"),
        C("event_time", "datetime", "事件时间", "local time of the event"),
        C("event", "category", "事件名", "signup, app_open, view_product, add_to_cart, "
          "checkout, purchase, invite"),
        C("session_id", "id", "会话ID", "app session (empty for an invite sent outside a "
          "session)", nullable=True),
        C("revenue", "money", "收入", "amount paid, on purchase events only", "CNY",
          nullable=True),
    ), optional=("session_id", "revenue"), key=(), time='event_time',
          grain_zh="每行是一条 App 埋点事件"),
    Table("orders", "订单表", "one row per order", (
        C("order_id", "id", "订单ID", "order"),
        C("user_id", "id", "用户ID", "buyer"),
        C("order_time", "datetime", "下单时间", "local time the order was paid"),
        C("session_id", "id", "会话ID", "app session the order was placed in"),
        C("items", "int", "件数", "number of items", "items"),
        C("gmv", "money", "商品交易额", "list value of the order before discounts (GMV)",
          "CNY"),
        C("discount", "money", "优惠金额", "coupon discount", "CNY"),
        C("paid", "money", "实付金额", "amount paid = gmv − discount", "CNY"),
        C("coupon_code", "category", "优惠券", "coupon used (NEW20 = new-user coupon)",
          nullable=True),
        C("campaign_id", "category", "活动ID", "campaign phase running when ordered",
          nullable=True),
        C("device_id", "text", "设备号", "hashed device identifier"),
        C("ip", "text", "IP地址", "client IP address"),
    ), optional=("session_id", "items", "discount", "coupon_code", "campaign_id",
                 "device_id", "ip"), key=('order_id',), time='order_time',
          grain_zh="每行是一笔订单"),
    Table("channel_daily", "渠道日报", "one row per channel per day", (
        C("date", "date", "日期", "local calendar day"),
        C("channel", "category", "渠道", "acquisition channel"),
        C("spend", "money", "花费", "media cost; referral = invite rewards paid; 0 for "
          "organic channels", "CNY"),
        C("impressions", "int", "曝光量", "times an ad or listing was shown"),
        C("clicks", "int", "点击量", "clicks on it (≥ landing visits: some never load)"),
    ), key=('date', 'channel'), time='date',
          grain_zh="每行是一个渠道一天的数据"),
    Table("posts", "内容表", "one row per published post (ours and two competitors')", (
        C("post_id", "id", "内容ID", "post"),
        C("account", "category", "账号", "chayu (ours), competitor_shanjian, competitor_yeya"),
        C("platform", "category", "平台", "wechat (公众号), xiaohongshu, douyin, bilibili, "
          "zhihu"),
        C("publish_time", "datetime", "发布时间", "local publish time"),
        C("format", "category", "形式", "article, image_note, short_video, long_video, "
          "answer"),
        C("topic", "category", "选题", "editorial topic"),
        C("title", "text", "标题", "title as published (Chinese)"),
        C("text_length", "int", "字数", "characters of text; 0 for videos", "characters"),
        C("duration_sec", "int", "时长", "video length; 0 for text posts", "seconds"),
        C("impressions", "int", "曝光量", "times shown in feeds"),
        C("reads", "int", "阅读/播放量", "opens or plays"),
        C("completion_rate", "rate", "完播率", "average share of the video watched; empty "
          "for text posts", nullable=True),
        C("likes", "int", "点赞数", "likes"),
        C("shares", "int", "分享/转发数", "shares"),
        C("comments", "int", "评论数", "comments"),
        C("saves", "int", "收藏数", "saves / favourites"),
        C("follows", "int", "涨粉数", "new followers attributed to the post"),
    ), key=('post_id',), time='publish_time',
          grain_zh="每行是一篇已发布的内容（含我们和两个竞品账号）"),
    Table("campaigns", "活动表", "one row per campaign phase", (
        C("campaign_id", "id", "活动ID", "campaign phase (orders.campaign_id)"),
        C("campaign_name", "text", "活动名称", "name used internally (Chinese)"),
        C("phase", "category", "阶段", "launch, warmup (预热期), burst (爆发期), tail (延续期), "
          "community, always_on"),
        C("start_date", "date", "开始日期", "first day"),
        C("end_date", "date", "结束日期", "last day (inclusive)"),
        C("budget", "money", "预算", "planned cost", "CNY"),
        C("spend", "money", "实际花费", "actual cost (media, gifts; coupons excluded)", "CNY"),
        C("coupon_code", "category", "优惠券", "coupon the campaign issues", nullable=True),
    ), key=('campaign_id',), time='start_date',
          grain_zh="每行是一个活动阶段"),
    Table("ab_assignments", "实验分组表", "one row per user per experiment", (
        C("experiment", "category", "实验名", "checkout_button, coupon_banner, winback_0510"),
        C("user_id", "id", "用户ID", "assigned user"),
        C("variant", "category", "组别", "A/B, or message/holdout"),
        C("assigned_time", "datetime", "分组时间", "first exposure"),
    ), key=('experiment', 'user_id'), time='assigned_time',
          grain_zh="每行是一个用户在一个实验中的分组"),
    Table("community_members", "社群成员表", "one row per user per group joined", (
        C("user_id", "id", "用户ID", "member"),
        C("group_id", "id", "群ID", "WeChat group"),
        C("group_name", "text", "群名", "group name (Chinese)"),
        C("group_type", "category", "群类型", "deals (福利群), interest (兴趣群), "
          "industry (行业交流群)"),
        C("join_date", "date", "入群日期", "day joined"),
        C("leave_date", "date", "退群日期", "day left; empty if still a member", nullable=True),
        C("role", "category", "角色", "admin (群管理) or member"),
    ), key=('user_id', 'group_id'), time='join_date',
          grain_zh="每行是一个用户加入的一个群"),
    Table("community_daily", "社群日活表", "one row per member per group per day with "
          "activity (no row = silent)", (
        C("date", "date", "日期", "local calendar day"),
        C("group_id", "id", "群ID", "group"),
        C("user_id", "id", "用户ID", "member"),
        C("messages", "int", "发言数", "messages sent", "messages"),
        C("checkins", "int", "打卡数", "check-ins (打卡)", "check-ins"),
        C("replies_received", "int", "被回复数", "replies to this member's messages"),
    ), key=('date', 'group_id', 'user_id'), time='date',
          grain_zh="每行是一个成员在一个群里有发言或打卡的一天（没有这行 = 当天没说话）"),
    Table("points_ledger", "积分流水", "one row per points movement", (
        C("user_id", "id", "用户ID", "member of the points programme"),
        C("event_time", "datetime", "时间", "local time"),
        C("points", "int", "积分变动", "+ earned, − redeemed", "points"),
        C("reason", "category", "原因", "signup_bonus, order, checkin, redeem_coupon, "
          "redeem_gift"),
        C("tier", "category", "会员等级", "bronze / silver / gold at that time (by "
          "cumulative paid CNY: ≥300 silver, ≥1000 gold)"),
    ), key=(), time='event_time',
          grain_zh="每行是一笔积分变动"),
    Table("feedback", "用户反馈表", "one row per survey answer, review, comment or service "
          "chat", (
        C("feedback_id", "id", "反馈ID", "feedback item"),
        C("user_id", "id", "用户ID", "author"),
        C("created_time", "datetime", "时间", "local time"),
        C("source", "category", "来源", "app_review, survey, service_chat, comment"),
        C("score", "int", "评分", "1 (worst) … 5 (best)"),
        C("text", "text", "内容", "what the user wrote (Chinese)"),
    ), key=('feedback_id',), time='created_time',
          grain_zh="每行是一条反馈：问卷回答、应用商店评价、评论或一次客服会话"),
]}


@dataclass(frozen=True)
class EventSchema:
    """The minimal event log any analyst export can be mapped to."""

    required: tuple[str, ...] = ("user_id", "event_time", "event")
    optional: tuple[str, ...] = ("revenue", "session_id")


EVENT_SCHEMA = EventSchema()


def render_dictionary() -> str:
    """Markdown data dictionary of every table (written to data/DATA_DICTIONARY.md)."""
    out = ["# Data dictionary — Chayu 茶语 sample (2026-01-01 … 2026-06-30)", "",
           "Generated by `opshelpers.schema.render_dictionary()`; do not edit by hand. "
           "Times are local (Asia/Shanghai) and stored without a zone. Money in CNY; rates "
           "are fractions 0–1.", ""]
    for t in TABLES.values():
        out += [f"## `{t.name}` — {t.chinese}", "", f"Grain: {t.grain}.", "",
                "| column | type | unit | 中文 | meaning |", "|---|---|---|---|---|"]
        for c in t.columns:
            kind = c.kind + (", nullable" if c.nullable else "")
            out.append(f"| `{c.name}` | {kind} | {c.unit} | {c.chinese} | {c.meaning} |")
        out.append("")
    return "\n".join(out)
