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
    meaning_zh: str = ""  # the meaning in 中文, as an 运营 person would put it


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
        C("user_id", "id", "用户ID", "registered user", meaning_zh="注册用户的唯一 ID"),
        C("signup_time", "datetime", "注册时间", "local time of registration",
          meaning_zh="注册的本地时间"),
        C("channel", "category", "获客渠道", "acquisition channel of the signup visit: seo, "
          "sem, feed_ads (信息流), kol, xiaohongshu, community (社群), referral (裂变)",
          meaning_zh="注册那次访问的获客渠道：seo、sem、feed_ads 信息流、kol、"
                     "xiaohongshu 小红书、community 社群、referral 裂变"),
        C("landing_page", "category", "落地页", "lp_a / lp_b for channel traffic, lp_invite "
          "for invite links", meaning_zh="渠道流量落地 lp_a / lp_b，邀请链接落地 lp_invite"),
        C("device", "category", "设备", "ios, android or mini_program (小程序)",
          meaning_zh="ios、android 或 mini_program 小程序"),
        C("city_tier", "int", "城市等级", "1 = first-tier city … 4 = fourth tier and below",
          meaning_zh="1 = 一线城市 … 4 = 四线及以下"),
        C("age_group", "category", "年龄段", "self-reported age band",
          meaning_zh="用户自填的年龄段"),
        C("referrer_id", "id", "邀请人ID", "user whose invite brought this user; empty "
          "unless channel is referral", nullable=True,
          meaning_zh="邀请该用户注册的老用户；仅 channel 为 referral 时有值，其余为空"),
        C("onboarding", "category", "新手引导版本", "v1 before 2026-02-15, v2 from then on",
          meaning_zh="2026-02-15 之前为 v1，当天起为 v2"),
    ), optional=("landing_page", "device", "city_tier", "age_group", "referrer_id",
                 "onboarding"), key=('user_id',), time='signup_time',
          grain_zh="每行是一位注册用户"),
    Table("visits", "访问表", "one row per landing visit from an acquisition channel "
          "(anonymous until signup)", (
        C("visit_id", "id", "访问ID", "landing visit", meaning_zh="落地页访问的唯一 ID"),
        C("visitor_id", "id", "访客ID", "anonymous visitor (cookie / device); all visits "
          "of one visitor, before and at signup, share it",
          meaning_zh="匿名访客（cookie / 设备）；同一访客注册前及注册时的所有访问共用这个 ID"),
        C("visit_time", "datetime", "访问时间", "local time the visitor landed",
          meaning_zh="访客进入落地页的本地时间"),
        C("channel", "category", "渠道", "traffic source of the visit",
          meaning_zh="本次访问的流量来源"),
        C("landing_page", "category", "落地页", "page the visitor landed on",
          meaning_zh="访客进入的落地页"),
        C("device", "category", "设备", "visitor's device", meaning_zh="访客使用的设备"),
        C("pageviews", "int", "浏览页数", "pages viewed in the visit (PV)", "pages",
          meaning_zh="本次访问的浏览页数（PV）"),
        C("bounced", "bool", "是否跳出", "left after one page without any action",
          meaning_zh="只看了一页、没有任何操作就离开（跳出）"),
        C("signed_up", "bool", "是否注册", "the visitor registered in this visit",
          meaning_zh="访客在本次访问中完成了注册"),
        C("user_id", "id", "用户ID", "the new user's id if signed_up", nullable=True,
          meaning_zh="注册成功时为新用户的 ID，未注册为空"),
    ), optional=("visitor_id", "landing_page", "device", "pageviews", "bounced", "signed_up",
                 "user_id"), key=('visit_id',), time='visit_time',
          grain_zh="每行是一次从获客渠道进入落地页的访问（注册前为匿名访客）"),
    Table("events", "行为事件表", "one row per tracked app event", (
        C("user_id", "id", "用户ID", "user who acted", meaning_zh="触发事件的用户"),
        C("event_time", "datetime", "事件时间", "local time of the event",
          meaning_zh="事件发生的本地时间"),
        C("event", "category", "事件名", "signup, app_open, view_product, add_to_cart, "
          "checkout, purchase, invite",
          meaning_zh="signup 注册、app_open 打开 App、view_product 浏览商品、"
                     "add_to_cart 加购、checkout 去结算、purchase 支付成功、invite 发出邀请"),
        C("session_id", "id", "会话ID", "app session (empty for an invite sent outside a "
          "session)", nullable=True, meaning_zh="App 会话 ID（在会话之外发出的邀请为空）"),
        C("revenue", "money", "收入", "amount paid, on purchase events only", "CNY",
          nullable=True, meaning_zh="实付金额，仅 purchase 事件有值"),
    ), optional=("session_id", "revenue"), key=(), time='event_time',
          grain_zh="每行是一条 App 埋点事件"),
    Table("orders", "订单表", "one row per order", (
        C("order_id", "id", "订单ID", "order", meaning_zh="订单唯一 ID"),
        C("user_id", "id", "用户ID", "buyer", meaning_zh="下单用户"),
        C("order_time", "datetime", "下单时间", "local time the order was paid",
          meaning_zh="订单支付成功的本地时间"),
        C("session_id", "id", "会话ID", "app session the order was placed in",
          meaning_zh="下单所在的 App 会话"),
        C("items", "int", "件数", "number of items", "items", meaning_zh="商品件数"),
        C("gmv", "money", "商品交易额", "list value of the order before discounts (GMV)",
          "CNY", meaning_zh="订单优惠前的原价总额（GMV）"),
        C("discount", "money", "优惠金额", "coupon discount", "CNY",
          meaning_zh="优惠券抵扣金额"),
        C("paid", "money", "实付金额", "amount paid = gmv − discount", "CNY",
          meaning_zh="实付金额 = gmv − discount"),
        C("coupon_code", "category", "优惠券", "coupon used (NEW20 = new-user coupon)",
          nullable=True, meaning_zh="使用的优惠券（NEW20 = 新人券）"),
        C("campaign_id", "category", "活动ID", "campaign phase running when ordered",
          nullable=True, meaning_zh="下单时正在进行的活动阶段"),
        C("device_id", "text", "设备号", "hashed device identifier",
          meaning_zh="设备号（已哈希）"),
        C("ip", "text", "IP地址", "client IP address", meaning_zh="客户端 IP 地址"),
    ), optional=("session_id", "items", "discount", "coupon_code", "campaign_id",
                 "device_id", "ip"), key=('order_id',), time='order_time',
          grain_zh="每行是一笔订单"),
    Table("channel_daily", "渠道日报", "one row per channel per day", (
        C("date", "date", "日期", "local calendar day", meaning_zh="自然日（本地日期）"),
        C("channel", "category", "渠道", "acquisition channel", meaning_zh="获客渠道"),
        C("spend", "money", "花费", "media cost; referral = invite rewards paid; 0 for "
          "organic channels", "CNY",
          meaning_zh="投放花费；referral 为实际发放的邀请奖励；自然流量渠道为 0"),
        C("impressions", "int", "曝光量", "times an ad or listing was shown",
          meaning_zh="广告或展位的曝光量"),
        C("clicks", "int", "点击量", "clicks on it (≥ landing visits: some never load)",
          meaning_zh="点击量（≥ 落地页访问数：有的点击没等到页面加载完）"),
    ), key=('date', 'channel'), time='date',
          grain_zh="每行是一个渠道一天的数据"),
    Table("posts", "内容表", "one row per published post (ours and two competitors')", (
        C("post_id", "id", "内容ID", "post", meaning_zh="内容唯一 ID"),
        C("account", "category", "账号", "chayu (ours), competitor_shanjian, competitor_yeya",
          meaning_zh="chayu 为我方账号，competitor_shanjian、competitor_yeya 为竞品账号"),
        C("platform", "category", "平台", "wechat (公众号), xiaohongshu, douyin, bilibili, "
          "zhihu",
          meaning_zh="wechat 公众号、xiaohongshu 小红书、douyin 抖音、bilibili B 站、"
                     "zhihu 知乎"),
        C("publish_time", "datetime", "发布时间", "local publish time",
          meaning_zh="发布的本地时间"),
        C("format", "category", "形式", "article, image_note, short_video, long_video, "
          "answer",
          meaning_zh="article 文章、image_note 图文笔记、short_video 短视频、"
                     "long_video 长视频、answer 回答"),
        C("topic", "category", "选题", "editorial topic", meaning_zh="内容选题"),
        C("title", "text", "标题", "title as published (Chinese)",
          meaning_zh="发布时的标题（中文）"),
        C("text_length", "int", "字数", "characters of text; 0 for videos", "characters",
          meaning_zh="正文字数；视频为 0"),
        C("duration_sec", "int", "时长", "video length; 0 for text posts", "seconds",
          meaning_zh="视频时长；图文为 0"),
        C("impressions", "int", "曝光量", "times shown in feeds",
          meaning_zh="在信息流里的曝光量"),
        C("reads", "int", "阅读/播放量", "opens or plays",
          meaning_zh="阅读（打开）或播放次数"),
        C("completion_rate", "rate", "完播率", "average share of the video watched; empty "
          "for text posts", nullable=True, meaning_zh="视频平均播放完成比例；图文为空"),
        C("likes", "int", "点赞数", "likes", meaning_zh="点赞数"),
        C("shares", "int", "分享/转发数", "shares", meaning_zh="分享/转发数"),
        C("comments", "int", "评论数", "comments", meaning_zh="评论数"),
        C("saves", "int", "收藏数", "saves / favourites", meaning_zh="收藏数"),
        C("follows", "int", "涨粉数", "new followers attributed to the post",
          meaning_zh="归因到这条内容的涨粉数"),
    ), key=('post_id',), time='publish_time',
          grain_zh="每行是一篇已发布的内容（含我们和两个竞品账号）"),
    Table("campaigns", "活动表", "one row per campaign phase", (
        C("campaign_id", "id", "活动ID", "campaign phase (orders.campaign_id)",
          meaning_zh="活动阶段 ID（对应 orders.campaign_id）"),
        C("campaign_name", "text", "活动名称", "name used internally (Chinese)",
          meaning_zh="内部使用的活动名称（中文）"),
        C("phase", "category", "阶段", "launch, warmup (预热期), burst (爆发期), tail (延续期), "
          "community, always_on",
          meaning_zh="launch 上线期、warmup 预热期、burst 爆发期、tail 延续期、"
                     "community 社群、always_on 常态化"),
        C("start_date", "date", "开始日期", "first day", meaning_zh="活动首日"),
        C("end_date", "date", "结束日期", "last day (inclusive)",
          meaning_zh="活动最后一天（含当天）"),
        C("budget", "money", "预算", "planned cost", "CNY", meaning_zh="计划花费"),
        C("spend", "money", "实际花费", "actual cost (media, gifts; coupons excluded)", "CNY",
          meaning_zh="实际花费（投放、礼品；不含优惠券）"),
        C("coupon_code", "category", "优惠券", "coupon the campaign issues", nullable=True,
          meaning_zh="本活动发放的优惠券"),
    ), key=('campaign_id',), time='start_date',
          grain_zh="每行是一个活动阶段"),
    Table("ab_assignments", "实验分组表", "one row per user per experiment", (
        C("experiment", "category", "实验名", "checkout_button, coupon_banner, winback_0510",
          meaning_zh="checkout_button 结算按钮、coupon_banner 优惠券横幅、"
                     "winback_0510 流失召回"),
        C("user_id", "id", "用户ID", "assigned user", meaning_zh="被分组的用户"),
        C("variant", "category", "组别", "A/B, or message/holdout",
          meaning_zh="A/B，或 message 触达组 / holdout 对照组"),
        C("assigned_time", "datetime", "分组时间", "first exposure",
          meaning_zh="首次曝光（进组）时间"),
    ), key=('experiment', 'user_id'), time='assigned_time',
          grain_zh="每行是一个用户在一个实验中的分组"),
    Table("community_members", "社群成员表", "one row per user per group joined", (
        C("user_id", "id", "用户ID", "member", meaning_zh="群成员"),
        C("group_id", "id", "群ID", "WeChat group", meaning_zh="微信群 ID"),
        C("group_name", "text", "群名", "group name (Chinese)", meaning_zh="群名（中文）"),
        C("group_type", "category", "群类型", "deals (福利群), interest (兴趣群), "
          "industry (行业交流群)",
          meaning_zh="deals 福利群、interest 兴趣群、industry 行业交流群"),
        C("join_date", "date", "入群日期", "day joined", meaning_zh="入群日期"),
        C("leave_date", "date", "退群日期", "day left; empty if still a member", nullable=True,
          meaning_zh="退群日期；仍在群里为空"),
        C("role", "category", "角色", "admin (群管理) or member",
          meaning_zh="admin 群管理 或 member 普通群成员"),
    ), key=('user_id', 'group_id'), time='join_date',
          grain_zh="每行是一个用户加入的一个群"),
    Table("community_daily", "社群日活表", "one row per member per group per day with "
          "activity (no row = silent)", (
        C("date", "date", "日期", "local calendar day", meaning_zh="自然日（本地日期）"),
        C("group_id", "id", "群ID", "group", meaning_zh="群 ID"),
        C("user_id", "id", "用户ID", "member", meaning_zh="群成员"),
        C("messages", "int", "发言数", "messages sent (ordinary chat: the spam in "
          "group_messages is not counted)", "messages",
          meaning_zh="当天发言条数（日常聊天；group_messages 里的违规消息不计入）"),
        C("checkins", "int", "打卡数", "check-ins (打卡)", "check-ins",
          meaning_zh="当天打卡次数"),
        C("replies_received", "int", "被回复数", "replies to this member's messages",
          meaning_zh="该成员的发言被回复的次数"),
    ), key=('date', 'group_id', 'user_id'), time='date',
          grain_zh="每行是一个成员在一个群里有发言或打卡的一天（没有这行 = 当天没说话）"),
    Table("points_ledger", "积分流水", "one row per points movement", (
        C("user_id", "id", "用户ID", "member of the points programme",
          meaning_zh="积分体系的会员"),
        C("event_time", "datetime", "时间", "local time", meaning_zh="积分变动的本地时间"),
        C("points", "int", "积分变动", "+ earned, − redeemed", "points",
          meaning_zh="+ 为获得，− 为兑换消耗"),
        C("reason", "category", "原因", "signup_bonus, order, checkin, redeem_coupon, "
          "redeem_gift",
          meaning_zh="signup_bonus 注册奖励、order 下单、checkin 打卡、"
                     "redeem_coupon 兑换优惠券、redeem_gift 兑换礼品"),
        C("tier", "category", "会员等级", "bronze / silver / gold at that time (by "
          "cumulative paid CNY: ≥300 silver, ≥1000 gold)",
          meaning_zh="当时的会员等级 bronze / silver / gold（按累计实付金额："
                     "≥300 元为 silver，≥1000 元为 gold）"),
    ), key=(), time='event_time',
          grain_zh="每行是一笔积分变动"),
    Table("feedback", "用户反馈表", "one row per survey answer, review, comment or service "
          "chat", (
        C("feedback_id", "id", "反馈ID", "feedback item", meaning_zh="反馈唯一 ID"),
        C("user_id", "id", "用户ID", "author", meaning_zh="反馈用户"),
        C("created_time", "datetime", "时间", "local time", meaning_zh="反馈的本地时间"),
        C("source", "category", "来源", "app_review, survey, service_chat, comment",
          meaning_zh="app_review 应用商店评价、survey 问卷、service_chat 客服会话、"
                     "comment 评论"),
        C("score", "int", "评分", "1 (worst) … 5 (best)", meaning_zh="1（最差）… 5（最好）"),
        C("text", "text", "内容", "what the user wrote (Chinese)",
          meaning_zh="用户写下的原文（中文）"),
    ), key=('feedback_id',), time='created_time',
          grain_zh="每行是一条反馈：问卷回答、应用商店评价、评论或一次客服会话"),
    Table("search_terms", "搜索词报告", "one row per SEM keyword per month", (
        C("month", "date", "月份", "first day of the month", meaning_zh="当月第一天"),
        C("keyword", "text", "关键词", "the bought keyword (Chinese), as in the SEM account",
          meaning_zh="购买的关键词（中文），与 SEM 账户里一致"),
        C("match_type", "category", "匹配方式", "exact (精确), phrase (短语), broad (广泛)",
          meaning_zh="exact 精确、phrase 短语、broad 广泛"),
        C("impressions", "int", "展现量", "times the ad was shown for it",
          meaning_zh="该词触发广告的展现量"),
        C("clicks", "int", "点击量", "ad clicks (≥ its landing visits: some never load)",
          meaning_zh="广告点击量（≥ 其落地页访问数：有的点击没等到页面加载完）"),
        C("cost", "money", "消费", "what the clicks cost; a month's keywords add up to "
          "channel_daily's SEM spend", "CNY",
          meaning_zh="这些点击的消费；同月所有关键词加总 = channel_daily 里 SEM 的花费"),
        C("avg_position", "float", "平均排名", "average ad position (1 = top)",
          meaning_zh="广告平均排名（1 = 最靠前）"),
        C("signups", "int", "注册数", "signups from its visits (they add up to the SEM "
          "signups in visits)",
          meaning_zh="这些访问带来的注册数（加总 = visits 里 SEM 渠道的注册数）"),
        C("orders", "int", "订单数", "orders those signups placed, up to 2026-06-30",
          meaning_zh="这些注册用户截至 2026-06-30 的订单数"),
        C("paid", "money", "实付金额", "what those orders paid", "CNY",
          meaning_zh="这些订单的实付金额"),
    ), key=("month", "keyword"), time="month",
          grain_zh="每行是一个 SEM 关键词一个月的数据"),
    Table("kol_posts", "KOL 合作表", "one row per KOL collaboration post", (
        C("post_id", "id", "合作ID", "collaboration post", meaning_zh="合作内容 ID"),
        C("kol_name", "category", "达人", "the KOL's account name (Chinese)",
          meaning_zh="达人账号名（中文）"),
        C("tier", "category", "达人量级", "head (头部), mid (腰部), tail (尾部)",
          meaning_zh="head 头部、mid 腰部、tail 尾部"),
        C("platform", "category", "平台", "xiaohongshu, douyin, bilibili, wechat, zhihu",
          meaning_zh="xiaohongshu 小红书、douyin 抖音、bilibili B 站、wechat 公众号、"
                     "zhihu 知乎"),
        C("publish_date", "date", "发布日期", "day the post went live",
          meaning_zh="内容上线日期"),
        C("fee", "money", "合作费用", "KOL spend booked to the post over the days it "
          "brought traffic; all posts add up to channel_daily's KOL spend", "CNY",
          meaning_zh="计入这条内容的 KOL 费用，按它带来流量的天数分摊；"
                     "所有合作加总 = channel_daily 里 KOL 的花费"),
        C("reads", "int", "阅读/播放量", "reads or plays the KOL reported",
          meaning_zh="达人回传的阅读/播放量"),
        C("likes", "int", "点赞数", "likes", meaning_zh="点赞数"),
        C("comments", "int", "评论数", "comments", meaning_zh="评论数"),
        C("shares", "int", "分享数", "shares", meaning_zh="分享数"),
        C("saves", "int", "收藏数", "saves", meaning_zh="收藏数"),
        C("visits", "int", "访问数", "KOL visits credited to the post (its tracked link)",
          meaning_zh="归因到这条内容（专属追踪链接）的 KOL 渠道访问数"),
        C("signups", "int", "注册数", "signups among them", meaning_zh="其中完成注册的人数"),
        C("orders", "int", "订单数", "orders those signups placed, up to 2026-06-30",
          meaning_zh="这些注册用户截至 2026-06-30 的订单数"),
        C("paid", "money", "实付金额", "what those orders paid", "CNY",
          meaning_zh="这些订单的实付金额"),
    ), key=("post_id",), time="publish_date",
          grain_zh="每行是一次 KOL 合作发布的内容"),
    Table("user_campaigns", "拉新活动表", "one row per user acquired through a campaign", (
        C("user_id", "id", "用户ID", "the new user", meaning_zh="通过拉新活动注册的新用户"),
        C("campaign", "category", "拉新活动", "invite_rebate (an invite whose sender earns a "
          "rebate), share_poster (a poster shared in WeChat), new_user_gift (a gift pack "
          "for signing up); users without a campaign have no row",
          meaning_zh="invite_rebate 邀请返利、share_poster 裂变海报、new_user_gift 新人礼包；"
                     "没有参加拉新活动的用户不在表里"),
        C("signup_time", "datetime", "注册时间", "local time of signup",
          meaning_zh="注册的本地时间"),
        C("cost", "money", "获客花费", "what the campaign spent on this user: the rewards "
          "of both invite campaigns add up to channel_daily's referral spend; a gift pack "
          "is paid from the user-operations budget", "CNY",
          meaning_zh="活动花在这个用户身上的钱：两种邀请活动的奖励加总 = channel_daily 里"
                     " referral 的花费；新人礼包走用户运营预算"),
    ), key=("user_id",), time="signup_time",
          grain_zh="每行是一个通过拉新活动注册的用户"),
    Table("product_views", "商品浏览表", "one row per product view (a view_product event)", (
        C("user_id", "id", "用户ID", "user who viewed", meaning_zh="浏览商品的用户"),
        C("event_time", "datetime", "浏览时间", "local time of the view_product event",
          meaning_zh="view_product 事件的本地时间"),
        C("category", "category", "品类", "tea category viewed: 绿茶, 红茶, 乌龙茶, 普洱茶, "
          "白茶, 花茶, 茶具 (teaware)",
          meaning_zh="浏览的品类：绿茶、红茶、乌龙茶、普洱茶、白茶、花茶、茶具"),
    ), time="event_time", grain_zh="每行是一次商品浏览（一条 view_product 事件）"),
    Table("order_lines", "订单明细表", "one row per order and category", (
        C("line_id", "id", "明细ID", "order line", meaning_zh="订单明细 ID"),
        C("order_id", "id", "订单ID", "the order (orders.order_id)",
          meaning_zh="所属订单（orders.order_id）"),
        C("category", "category", "品类", "tea category bought (as in product_views)",
          meaning_zh="购买的品类（同 product_views）"),
        C("items", "int", "件数", "items of that category; an order's lines add up to "
          "its items", "items", meaning_zh="该品类的件数；一笔订单的明细加总 = 订单件数"),
        C("gmv", "money", "GMV", "value before discount; an order's lines add up to its "
          "GMV to the cent", "CNY",
          meaning_zh="优惠前金额；一笔订单的明细加总 = 订单 GMV（精确到分）"),
    ), key=("line_id",), grain_zh="每行是一笔订单里的一个品类"),
    Table("group_messages", "群消息导出", "one row per message in the 12 member groups, "
          "2026-03-16 … 2026-05-10 (the moderation export)", (
        C("message_id", "id", "消息ID", "message, numbered in time order",
          meaning_zh="消息 ID，按发送时间编号"),
        C("group_id", "id", "群ID", "the group (community_members.group_id)",
          meaning_zh="所在的群（community_members.group_id）"),
        C("user_id", "id", "用户ID", "sender, a member of that group on that day",
          meaning_zh="发送人，当天是该群成员"),
        C("sent_time", "datetime", "发送时间", "local time the message was sent",
          meaning_zh="消息发送的本地时间"),
        C("text", "text", "内容", "what was written (Chinese, emoji as sent); besides the "
          "members' ordinary chat, which community_daily counts exactly (its messages "
          "per member and day), the export holds violations (违规) that community_daily "
          "does not count: ads, WeChat ids, links and floods (刷屏) posted by spam "
          "accounts, some disguised (谐音, spaces, emoji) against keyword rules",
          meaning_zh="消息原文（中文，含表情）；除了 community_daily 精确计数的日常聊天"
                     "（每个成员每天的 messages），导出里还有 community_daily 不计入的违规消息："
                     "广告号发的卖货广告、微信号、链接和刷屏，其中一些用谐音、空格、表情躲关键词"),
        C("removed_time", "datetime", "删除时间", "when an admin removed the message; "
          "empty if it was never removed. From the rule change on 2026-04-13 (群规升级) "
          "admins use keyword auto-detection",
          nullable=True, meaning_zh="管理员删除这条消息的时间；没删为空。"
                                    "2026-04-13 群规升级起，管理员用关键词自动识别"),
        C("removed_reason", "category", "删除原因", "the admin's reason: ad (卖货广告), "
          "wechat (引流加微信), link (链接), flood (刷屏); empty if not removed. Only "
          "violations are removed, but not every violation is",
          nullable=True, meaning_zh="管理员标注的原因：ad 卖货广告、wechat 引流加微信、"
                                    "link 链接、flood 刷屏；没删为空。删掉的都是违规，"
                                    "但违规不一定都被删了"),
    ), key=("message_id",), time="sent_time",
          grain_zh="每行是 12 个会员群里的一条消息（2026-03-16 … 2026-05-10 的群管理导出）"),
    Table("wecom_contacts", "企业微信好友表", "one row per user who added our WeCom "
          "(企业微信) account", (
        C("user_id", "id", "用户ID", "the contact (users.user_id)",
          meaning_zh="加了好友的用户（users.user_id）"),
        C("added_time", "datetime", "添加时间", "local time they added us",
          meaning_zh="添加好友的本地时间"),
        C("source", "category", "来源", "package_card (包裹卡: the card in a parcel, "
          "after an order), order_page (下单页: the page after paying), group (社群: "
          "invited in their member group, after joining it)",
          meaning_zh="package_card 包裹卡（订单包裹里的卡片，下过单才有）、"
                     "order_page 下单页（支付完成页）、group 社群（入群后在群里被邀请）"),
        C("removed_time", "datetime", "删除时间", "when the user deleted us; empty if "
          "still a contact. Every removal comes within 24 hours of a push "
          "(pool_pushes.unsubscribes counts them)", nullable=True,
          meaning_zh="用户删除好友的时间；仍是好友为空。每一次删除都发生在某次触达后"
                     " 24 小时内（pool_pushes.unsubscribes 就是这些删除）"),
    ), key=("user_id",), time="added_time",
          grain_zh="每行是一个加了我们企业微信的用户"),
    Table("pool_pushes", "私域触达表", "one row per push to the private-domain pool "
          "(私域流量池)", (
        C("push_id", "id", "触达ID", "push", meaning_zh="触达 ID"),
        C("sent_time", "datetime", "发送时间", "local time it went out (never two pushes "
          "within 24 hours)", meaning_zh="发出的本地时间（任意两次触达相隔超过 24 小时）"),
        C("kind", "category", "触达方式", "one_to_one (1v1 私聊: staff message chosen "
          "contacts), moments (朋友圈: a post all contacts can see), group_broadcast "
          "(群发: one message to every contact)",
          meaning_zh="one_to_one 1v1 私聊（员工私聊挑选的好友）、moments 朋友圈"
                     "（所有好友可见的一条朋友圈）、group_broadcast 群发（发给每个好友）"),
        C("audience", "int", "触达人数", "contacts it went to: for moments and "
          "group_broadcast every contact in the pool at sent_time (added by then, not "
          "removed), as wecom_contacts gives it; for one_to_one the chosen subset",
          meaning_zh="触达的好友数：朋友圈和群发是发送时池子里的全部好友（此前已添加、"
                     "尚未删除，可由 wecom_contacts 算出）；1v1 私聊是挑选的一部分"),
        C("reads", "int", "阅读数", "contacts who opened or viewed it",
          meaning_zh="打开或看到内容的好友数"),
        C("clicks", "int", "点击数", "contacts who clicked its link",
          meaning_zh="点击链接的好友数"),
        C("orders", "int", "订单数", "orders the SCRM tool attributes to it (a count "
          "from the tool, not rows of orders)",
          meaning_zh="SCRM 工具归因到这次触达的订单数（工具给的计数，不对应 orders 表的行）"),
        C("paid", "money", "实付金额", "what those attributed orders paid", "CNY",
          meaning_zh="这些归因订单的实付金额"),
        C("unsubscribes", "int", "删好友数", "contacts who deleted us within 24 hours "
          "after it (their removed_time in wecom_contacts)",
          meaning_zh="发送后 24 小时内删除我们的好友数（即 wecom_contacts 里的 removed_time）"),
        C("cost", "money", "成本", "staff time (writing, sending 1v1 messages) plus the "
          "push coupons its orders used", "CNY",
          meaning_zh="人力成本（写文案、发 1v1 私聊）加上订单用掉的触达优惠券"),
    ), key=("push_id",), time="sent_time", grain_zh="每行是对私域流量池的一次触达"),
    Table("post_comments", "评论表", "one row per comment under one of our own posts "
          "(posts with account chayu)", (
        C("comment_id", "id", "评论ID", "comment, numbered in time order",
          meaning_zh="评论 ID，按评论时间编号"),
        C("post_id", "id", "内容ID", "the post commented on (posts.post_id); each of our "
          "posts has exactly posts.comments rows here",
          meaning_zh="被评论的内容（posts.post_id）；我们每条内容在这里正好有 posts.comments 行"),
        C("created_time", "datetime", "评论时间", "local time of the comment, after the "
          "post's publish_time (most within 48 hours)",
          meaning_zh="评论的本地时间，晚于内容的 publish_time（大多在 48 小时内）"),
        C("text", "text", "评论内容", "what was written (Chinese, short): praise, "
          "questions, chat and complaints (price, taste, packaging, shipping, service)",
          meaning_zh="评论原文（中文，很短）：夸奖、提问、闲聊和吐槽（价格、口味、包装、物流、服务）"),
        C("likes", "int", "点赞数", "likes the comment got",
          meaning_zh="这条评论得到的点赞数"),
    ), key=("comment_id",), time="created_time",
          grain_zh="每行是我们自己（chayu）某条内容下的一条评论"),
    Table("brand_mentions", "舆情监测", "one row per public post mentioning 茶语 on the "
          "five platforms (the monitoring tool's export)", (
        C("mention_id", "id", "提及ID", "mention, numbered in time order",
          meaning_zh="提及 ID，按发布时间编号"),
        C("platform", "category", "平台", "xiaohongshu, douyin, wechat, zhihu or bilibili",
          meaning_zh="xiaohongshu 小红书、douyin 抖音、wechat 微信、zhihu 知乎、bilibili B站"),
        C("created_time", "datetime", "发布时间", "local time the mention was posted",
          meaning_zh="提及内容发布的本地时间"),
        C("text", "text", "内容", "what was written (Chinese): positive, neutral or "
          "negative about 茶语; reposts (转发) start with 转发 or //",
          meaning_zh="原文（中文）：对茶语正面、中性或负面的说法；转发以“转发”或“//”开头"),
        C("reposts", "int", "转发数", "times the mention was reposted",
          meaning_zh="这条内容被转发的次数"),
    ), key=("mention_id",), time="created_time",
          grain_zh="每行是五个平台上一条提到茶语的公开内容（舆情监测工具导出）"),
    Table("content_tests", "内容测试", "one row per test, variant and day of two content "
          "tests: title_ab (文案 A/B: one WeChat article, two titles, pushed to two random "
          "halves of the followers) and post_time (触达时间: one Douyin video a day at "
          "12:00, arm A, and one at 20:00, arm B, for 4 weeks)", (
        C("test_id", "category", "测试ID", "title_ab or post_time",
          meaning_zh="title_ab 文案 A/B 测试，或 post_time 发布时间测试"),
        C("variant", "category", "组别", "A or B (title_ab: A the plain title, B the one with "
          "a number; post_time: A at 12:00, B at 20:00)",
          meaning_zh="A 或 B（title_ab：A 是普通标题，B 是带数字的标题；post_time：A 是 12:00，B 是 20:00）"),
        C("title", "text", "标题", "the title shown (post_time: that day's video)",
          meaning_zh="展示的标题（post_time：当天那条视频的标题）"),
        C("publish_hour", "int", "发布时刻", "hour of the day it was published or pushed",
          meaning_zh="发布或推送的时刻（几点）"),
        C("date", "date", "日期", "the day of the readout", meaning_zh="数据所在的日期"),
        C("impressions", "int", "曝光数", "impressions that day", meaning_zh="当天曝光数"),
        C("reads", "int", "阅读数", "reads (views, for videos) that day",
          meaning_zh="当天阅读数（视频为播放数）"),
        C("completion_rate", "rate", "完播率", "average share of the video watched that "
          "day; empty for the article", nullable=True,
          meaning_zh="当天视频平均播放完成比例；文章为空"),
        C("likes", "int", "点赞数", "likes that day", meaning_zh="当天点赞数"),
        C("shares", "int", "分享数", "shares that day", meaning_zh="当天分享数"),
    ), key=("test_id", "variant", "date"), time="date",
          grain_zh="两个内容测试里每个测试、每组、每天一行：title_ab（文案 A/B：一篇公众号文章、"
                   "两个标题，随机推给两半粉丝）和 post_time（触达时间：4 周里每天 12:00 和 "
                   "20:00 各发一条抖音视频，A 组 12:00，B 组 20:00）"),
    Table("campaign_history", "历史活动复盘", "one row per campaign of 2024–2025, as its "
          "复盘 sheet recorded it: what it cost and what it brought", (
        C("campaign_id", "id", "活动ID", "campaign, e.g. 2025_618", meaning_zh="活动 ID，如 2025_618"),
        C("campaign_name", "text", "活动名称", "name used in the company",
          meaning_zh="公司内部的活动名称"),
        C("kind", "category", "活动类型", "sale (大促: 618, 双11, 双12), festival (节日礼盒: "
          "年货节, 七夕, 中秋) or launch (新品上新)",
          meaning_zh="sale 大促（618、双11、双12）、festival 节日礼盒（年货节、七夕、中秋）或 "
                     "launch 新品上新"),
        C("start_date", "date", "开始日期", "first day", meaning_zh="第一天"),
        C("end_date", "date", "结束日期", "last day (included)", meaning_zh="最后一天（含）"),
        C("days", "int", "天数", "days from start_date to end_date, both included",
          meaning_zh="从开始到结束的天数，首尾都算"),
        C("media_spend", "money", "投放花费", "advertising and KOL spend", "CNY",
          meaning_zh="广告投放和达人合作的花费"),
        C("coupon_cost", "money", "优惠券成本", "discounts the campaign's coupons gave", "CNY",
          meaning_zh="活动优惠券让利的金额"),
        C("baseline_gmv", "money", "基线GMV", "the GMV those days would have brought "
          "without the campaign (the mean daily GMV of the weeks before, × days)", "CNY",
          meaning_zh="不做活动时这些天预计的 GMV（活动前几周的日均 GMV × 天数）"),
        C("gmv", "money", "GMV", "GMV of the campaign days (before discounts)", "CNY",
          meaning_zh="活动期间的 GMV（优惠前）"),
    ), key=("campaign_id",), time="start_date",
          grain_zh="每行是 2024–2025 年的一场活动，按当时复盘表的记录：花了多少、带来多少"),
    Table("live_hourly", "直播间小时数据", "one row per hour on air of the brand's own "
          "Douyin live room (抖音品牌自播), as 抖音电商罗盘 exports it; its orders are "
          "Douyin's, not in orders", (
        C("hour", "datetime", "小时", "the start of the hour (on air 10:00–24:00)",
          meaning_zh="该小时的开始时刻（每天 10:00–24:00 开播）"),
        C("viewers", "int", "观看人数", "people who entered the room that hour",
          meaning_zh="该小时进入直播间的人数"),
        C("buyers", "int", "成交人数", "people who bought that hour",
          meaning_zh="该小时下单成交的人数"),
        C("orders", "int", "成交订单数", "orders placed that hour",
          meaning_zh="该小时的成交订单数"),
        C("gmv", "money", "成交金额", "GMV of those orders (before discounts)", "CNY",
          meaning_zh="这些订单的成交金额（优惠前）"),
        C("coupon_cost", "money", "优惠券成本", "discounts those orders took (store, 618 and "
          "top-up coupons)", "CNY",
          meaning_zh="这些订单用掉的优惠（店铺券、618 券和加券）"),
    ), key=("hour",), time="hour",
          grain_zh="茶语抖音品牌自播直播间每个开播小时一行（抖音电商罗盘导出）；"
                   "这些订单在抖音，不在 orders 表里"),
]}


@dataclass(frozen=True)
class EventSchema:
    """The minimal event log any analyst export can be mapped to."""

    required: tuple[str, ...] = ("user_id", "event_time", "event")
    optional: tuple[str, ...] = ("revenue", "session_id")


EVENT_SCHEMA = EventSchema()


_UNIT_ZH = {"CNY": "元", "pages": "页", "items": "件", "characters": "字", "seconds": "秒",
            "messages": "条", "check-ins": "次", "points": "分"}


def render_dictionary() -> str:
    """Markdown data dictionary of every table (written to data/DATA_DICTIONARY.md).

    中文版在前，English after a horizontal rule; each part links to the other.

    >>> md = render_dictionary()
    >>> md.index("# 数据字典") < md.index("\\n---\\n") < md.index("# Data dictionary")
    True
    >>> "| `paid` | money | 元 | 实付金额 | 实付金额 = gmv − discount |" in md
    True
    """
    out = ['<a id="zh"></a>', "",
           "# 数据字典 — 茶语 Chayu 样例数据（2026-01-01 … 2026-06-30）", "",
           "[English version below ↓](#en)", "",
           "本文件由 `opshelpers.schema.render_dictionary()` 生成，请勿手工修改。"
           "时间均为北京时间（Asia/Shanghai），存储时不带时区；金额单位为元（CNY）；"
           "比率为 0–1 之间的小数。", ""]
    for t in TABLES.values():
        out += [f"## `{t.name}` — {t.chinese}", "", f"粒度：{t.grain_in('zh').rstrip('。')}。",
                "", "| 列 | 类型 | 单位 | 中文名 | 含义 |", "|---|---|---|---|---|"]
        for c in t.columns:
            kind = c.kind + ("，可为空" if c.nullable else "")
            unit = _UNIT_ZH.get(c.unit, c.unit)
            out.append(f"| `{c.name}` | {kind} | {unit} | {c.chinese} | {c.meaning_zh} |")
        out.append("")
    out += ["---", "", '<a id="en"></a>', "",
            "# Data dictionary — Chayu 茶语 sample (2026-01-01 … 2026-06-30)", "",
            "[中文版在上方 ↑](#zh)", "",
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
