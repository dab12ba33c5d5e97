"""The Chayu 茶语 scenario: every planted fact of the sample company, as data.

The generator (`opshelpers.synth`) reads only this object, so a lesson, a test or a
hiring exercise can change one number (say, the Xiaohongshu conversion drop) and get
a consistent company back. Dates are local calendar days (Asia/Shanghai, naive).

>>> s = Scenario()
>>> s.traffic.feed_ads_pause
('2026-03-10', '2026-03-16')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

CHANNELS = ("seo", "sem", "feed_ads", "kol", "xiaohongshu", "community", "referral")
PAID_CHANNELS = ("sem", "feed_ads", "kol", "xiaohongshu")
PLATFORMS = ("wechat", "xiaohongshu", "douyin", "bilibili", "zhihu")
THEMES = ("price", "taste", "packaging", "shipping", "service")


@dataclass(frozen=True)
class TrafficFacts:
    # expected direct (non-referral) signups per day at n_users=20_000, by channel
    daily_signups: dict = field(default_factory=lambda: {
        "seo": 15.0, "sem": 13.0, "feed_ads": 24.0, "kol": 8.5,
        "xiaohongshu": 10.0, "community": 6.5})
    # growth of each channel's signups over the half-year (SEM's stay flat as its CPC rises)
    signup_growth: dict = field(default_factory=lambda: {
        "seo": 0.15, "sem": 0.0, "feed_ads": 0.15, "kol": 0.15, "xiaohongshu": 0.15,
        "community": 0.15})
    # weekend visits relative to a weekday's level (lifestyle platforms peak at weekends)
    weekend_visit_lift: dict = field(default_factory=lambda: {
        "seo": 1.1, "sem": 1.1, "feed_ads": 1.1, "kol": 1.2, "xiaohongshu": 1.2,
        "community": 1.1})
    weekday_visit_level: float = 0.94
    # visit → signup conversion (landing page A); referral's is per invite click
    cvr: dict = field(default_factory=lambda: {
        "seo": 0.12, "sem": 0.10, "feed_ads": 0.08, "kol": 0.12,
        "xiaohongshu": 0.08, "community": 0.20, "referral": 0.40})
    landing_page_b_lift: float = 1.25          # CVR(lp_b) / CVR(lp_a)
    landing_page_b_share: float = 0.5          # visits sent to lp_b in the page test
    device_mix: dict = field(default_factory=lambda: {
        "ios": 0.36, "android": 0.39, "mini_program": 0.25})
    # share of non-signup visits that leave after one page (feed ads bring idle clicks)
    bounce_rate: dict = field(default_factory=lambda: {
        "seo": 0.5, "sem": 0.5, "feed_ads": 0.68, "kol": 0.5, "xiaohongshu": 0.5,
        "community": 0.5, "referral": 0.5})
    more_pages_p: float = 0.35                 # a non-bounce visit views 1 + Geometric(p) pages
    feed_ads_pause: tuple = ("2026-03-10", "2026-03-16")
    retargeting_share: float = 0.2            # feed-ads users' activity while ads are off
    drop_channel: str = "xiaohongshu"           # whose landing conversion breaks …
    xhs_drop_date: str = "2026-04-20"           # … from this day
    xhs_cvr_after: float = 0.03                # from 0.08
    # cost per click at the start and end of the half-year (CNY)
    cpc_start: dict = field(default_factory=lambda: {
        "sem": 2.2, "feed_ads": 0.75, "kol": 0.9, "xiaohongshu": 0.8})
    cpc_end: dict = field(default_factory=lambda: {
        "sem": 6.6, "feed_ads": 0.8, "kol": 0.9, "xiaohongshu": 0.85})
    ctr: dict = field(default_factory=lambda: {
        "seo": 0.035, "sem": 0.045, "feed_ads": 0.012, "kol": 0.03,
        "xiaohongshu": 0.02, "community": 0.15})
    referral_ctr: float = 0.25                 # share of shown invite cards that are clicked
    landed_click_share: float = 0.92           # ad clicks whose landing page loads (a visit)
    referral_reward: float = 10.0              # CNY per referred signup (the referral "spend")
    # paid channels: volume ∝ spend^elasticity (diminishing returns); daily budget swings
    elasticity: dict = field(default_factory=lambda: {
        "sem": 0.55, "feed_ads": 0.75, "kol": 0.85, "xiaohongshu": 0.7})
    budget_sigma: float = 0.25
    # multi-touch: share of (non-referral) signups with earlier visits, and their channels
    touch_share: float = 0.4
    extra_touches_max: int = 2                 # a path has up to this many more touches,
    extra_touch_p: float = 0.3                 # each with this probability
    touch_lookback_days: float = 10.0          # touches happen up to this long before signup
    touch_weights: dict = field(default_factory=lambda: {
        "feed_ads": 0.32, "kol": 0.28, "xiaohongshu": 0.12, "seo": 0.1, "sem": 0.1,
        "community": 0.08})
    repeat_visit_share: float = 0.12           # anonymous visitors who come back
    # user quality by acquisition channel (multiplies engagement)
    engagement: dict = field(default_factory=lambda: {
        "seo": 1.0, "sem": 0.95, "feed_ads": 0.7, "kol": 1.25,
        "xiaohongshu": 0.95, "community": 1.2, "referral": 1.1})
    # SEM search terms (search_terms table): the keywords SEM visits came through.
    # (keyword, match type, kind, share of SEM clicks, conversion factor, buyer factor,
    #  CPC factor, average position); conversion 0 = wasted spend, long_tail = cheap
    # exact terms that convert best
    keywords: tuple = (
        ("茶语", "exact", "brand", .06, 2.0, 1.2, .45, 1.0),
        ("茶语官网", "exact", "brand", .03, 2.1, 1.2, .45, 1.0),
        ("茶语app", "exact", "brand", .02, 2.2, 1.3, .45, 1.1),
        ("绿茶", "broad", "generic", .09, .8, .9, 1.1, 3.4),
        ("红茶推荐", "phrase", "generic", .07, 1.0, 1.0, 1.0, 2.6),
        ("乌龙茶", "broad", "generic", .06, .8, .9, 1.05, 3.1),
        ("普洱茶", "broad", "generic", .05, .7, 1.0, 1.15, 3.6),
        ("茶叶", "broad", "generic", .1, .6, .8, 1.3, 4.2),
        ("好喝的茶叶", "phrase", "generic", .05, 1.1, 1.0, 1.0, 2.4),
        ("茶叶礼盒", "phrase", "generic", .06, 1.0, 1.3, 1.2, 2.2),
        ("花茶", "broad", "generic", .04, .8, .8, .95, 3.0),
        ("白茶", "broad", "generic", .04, .8, .9, 1.0, 3.3),
        ("茶叶品牌排行", "phrase", "generic", .04, .9, .9, 1.1, 2.8),
        ("冷泡茶怎么泡", "exact", "long_tail", .012, 2.8, 1.2, .6, 1.6),
        ("低咖啡因茶推荐", "exact", "long_tail", .01, 3.0, 1.3, .6, 1.5),
        ("办公室养生茶", "exact", "long_tail", .012, 2.6, 1.2, .65, 1.8),
        ("送长辈的茶叶礼盒", "exact", "long_tail", .01, 2.9, 1.5, .7, 1.7),
        ("新手泡茶入门", "exact", "long_tail", .008, 2.5, 1.1, .55, 1.4),
        ("奶茶加盟", "broad", "irrelevant", .05, 0.0, 0.0, 1.2, 2.5),
        ("茶叶批发市场", "broad", "irrelevant", .04, 0.0, 0.0, 1.1, 2.9),
        ("免费领茶叶", "broad", "irrelevant", .035, 0.0, 0.0, .9, 2.1),
        ("茶艺师证书报考", "broad", "irrelevant", .03, 0.0, 0.0, 1.0, 3.2),
        ("茶饮店装修", "broad", "irrelevant", .025, 0.0, 0.0, 1.15, 3.7),
    )
    ctr_position_slope: float = 0.9       # CTR ∝ average position^(−slope)
    position_sigma: float = 0.08          # month-to-month wobble of a keyword's position
    # KOL collaborations (kol_posts table): (name, tier, platform, posts per 30 days,
    #  reads per post at n_users=20,000, engagement per read, click level, conversion factor, buyer factor,
    #  fee level). 茶言观色's reads are inflated (刷量): many reads, few clicks or likes.
    kols: tuple = (
        ("茶小满", "mid", "xiaohongshu", 4, 6_000, .065, 1.0, 1.45, 1.5, 1.0),
        ("陈一口", "head", "douyin", 2, 45_000, .022, 2.6, .65, .6, 3.4),
        ("阿凯爱喝茶", "tail", "bilibili", 3, 2_000, .05, .35, 1.1, 1.05, .42),
        ("茶言观色", "mid", "wechat", 3, 9_000, .011, .45, .8, .85, 1.1),
        ("一叶知秋", "mid", "zhihu", 2, 3_500, .03, .6, 1.0, 1.0, .7),
    )
    kol_decay_days: float = 4.0           # a post's traffic halves every ~2.8 days


@dataclass(frozen=True)
class UserFacts:
    onboarding_change: str = "2026-02-15"
    # daily return probability curve: r_inf + (r1 - r_inf) * exp(-(day-1)/tau)
    curve_before: tuple = (0.447, 0.053, 6.0)
    curve_after: tuple = (0.585, 0.083, 7.0)
    d7_before: float = 0.20                     # targets the curves were tuned to
    d7_after: float = 0.28
    weekend_activity: float = 1.15
    second_session_share: float = 0.08          # active days with a second app session
    # funnel: each step's share of the sessions that reached the step before
    funnel: dict = field(default_factory=lambda: {
        "view_product": 0.35, "add_to_cart": 0.2, "checkout": 0.35})
    city_tier_mix: dict = field(default_factory=lambda: {1: 0.22, 2: 0.33, 3: 0.28, 4: 0.17})
    age_group_mix: dict = field(default_factory=lambda: {
        "18-24": 0.2, "25-34": 0.42, "35-44": 0.25, "45+": 0.13})
    loyal_share: float = 0.3                    # never churn (scaled by engagement)
    lifetime_days: float = 25.0                 # mean active life of the others
    buyer_share: float = 0.35                   # most users never buy
    purchase_prob: float = 0.07                 # per active day, for a typical buyer
    new_user_days: int = 7                      # a user's first week counts as "new" …
    new_user_purchase_lift: float = 1.6         # … and buys more often then
    second_order_share: float = 0.07            # buying sessions that place two orders
    gift_order_share: float = 0.012             # orders with a gift box added …
    gift_extra_cny: tuple = (600.0, 1600.0)     # … worth this much more (the heavy tail)
    cny_per_item: float = 90.0                  # items in an order ≈ GMV / this
    refill_share: float = 0.06                  # loyal drinkers who re-order on a cycle
    refill_cycle_days: tuple = (14.0, 28.0)
    refill_keep: float = 0.95
    refill_size: float = 1.8                    # a refill is a bigger, steady basket
    aov_median: float = 118.0                   # CNY
    aov_sigma: float = 0.55
    k_factor: float = 0.30                      # invites per user × invite conversion
    invite_click: float = 0.5
    winback_date: str = "2026-05-10"
    winback_experiment: str = "winback_0510"
    winback_send_hour: int = 10                 # the message goes out at 10:00
    winback_window_days: int = 14               # "reactivated" = active within this window
    winback_holdout: float = 0.10
    winback_lift: float = 0.10                  # extra reactivation, treated vs control
    dormant_days: int = 30
    # acquisition campaigns (user_campaigns table): the offer each new user came through.
    # (campaign, pool, share of the pool, D7 factor, first-order-in-14-days factor,
    #  factor on having invited someone who signed up, factor on ordering twice or more);
    #  each factor averages 1 over its pool, so the campaigns split the pool's real
    #  users, not invented ones. The gift buys first orders, not loyal customers.
    campaigns: tuple = (
        ("invite_rebate", "referral", 0.6, 1.2, 1.433, 0.6, 1.3),
        ("share_poster", "referral", 0.4, 0.7, 0.35, 1.6, 0.55),
        ("new_user_gift", "other", 0.25, 0.95, 1.6, 1.0, 0.6),
        ("none", "other", 0.75, 1.0167, 0.8, 1.0, 1.1333),
    )
    poster_reward: float = 6.0        # CNY per poster signup; rebates get the rest of the
                                      # referral spend, so both add up to channel_daily's
    gift_cost: float = 12.0           # CNY per new-user gift pack (user-ops budget)
    campaign_quality_days: tuple = (7, 14)      # D7 retention; first order within 14 days
    # interest tags (order_lines, product_views): tea categories and how they lean.
    # (category, base weight, weight for 45+, weight for 18-24, lean with spend)
    categories: tuple = (
        ("绿茶", 1.0, 0.8, 1.0, 0.0),
        ("红茶", 0.9, 1.0, 0.9, 0.0),
        ("乌龙茶", 0.7, 1.3, 0.6, 0.2),
        ("普洱茶", 0.5, 2.2, 0.3, 0.9),
        ("白茶", 0.5, 1.2, 0.5, 0.3),
        ("花茶", 0.8, 0.4, 2.4, -0.4),
        ("茶具", 0.25, 1.0, 0.8, 0.5),
    )
    interest_focus: float = 1.5       # >1 sharpens the pull of age and spend on the favourite
    views_on_favourite: float = 0.55  # share of a user's views on the favourite category


@dataclass(frozen=True)
class CommunityFacts:
    member_share: float = 0.25                  # share of users who join a group
    member_effect: float = 0.12                 # causal lift on activity after joining
    selection: float = 2.2                      # how strongly engagement drives joining
    group_type_mix: dict = field(default_factory=lambda: {
        "deals": 0.5, "interest": 0.38, "industry": 0.12})
    join_delay_days: float = 10.0               # mean wait after signup (at least 2 days)
    leave_share: float = 0.18                   # members who leave their group again
    # share of members active in their group on a day, by group type
    daily_activity: dict = field(default_factory=lambda: {
        "deals": 0.10, "interest": 0.16, "industry": 0.08})
    messages_per_active_day: float = 3.0        # mean (negative binomial)
    group_day_sigma: float = 0.6                # bursty groups: log-sd of a group's daily activity
    challenge: tuple = ("2026-04-06", "2026-04-26")   # 21-day check-in challenge
    challenge_lift: float = 2.2
    challenge_decay_days: float = 2.0           # after it, the lift fades within a week (e^-t/2)
    checkin_share: float = 0.08                 # active members who check in, normally …
    challenge_checkin_share: float = 0.75       # … and in a challenge group during it
    challenge_budget: tuple = (8_000.0, 7_350.0)  # (budget, spend) CNY
    koc_share_of_members: float = 0.02
    koc_share_of_referrals: float = 0.30
    koc_signup_days: int = 60                   # KOC are early users (first 60 days)
    koc_activity_lift: float = 4.0              # KOC are active in their group far more often,
    koc_message_lift: int = 3                   # post more per day …
    koc_reply_rate: float = 1.5                 # … and get more replies per message …
    reply_rate: float = 0.4                     # … than other members
    deals_purchase_lift: float = 2.5            # 福利群 members buy more often once they join
    interest_activity_lift: float = 1.3         # 兴趣群 members stay more active
    points_per_cny: int = 1
    checkin_points: int = 5
    signup_points: int = 100
    redeem_share: float = 0.45                  # share of issued points ever redeemed
    redeem_min_points: int = 300                # balance needed to redeem
    gift_redeem_points: int = 1000              # redemptions this big are gifts, not coupons
    # tier by cumulative paid CNY (the data dictionary states these)
    tier_thresholds: dict = field(default_factory=lambda: {"gold": 1000, "silver": 300})


@dataclass(frozen=True)
class VoiceFacts:
    n_feedback: int = 3000                      # at n_users=20_000
    theme_share: dict = field(default_factory=lambda: {
        "price": 0.24, "taste": 0.32, "packaging": 0.16, "shipping": 0.10,
        "service": 0.18})
    shipping_surge_date: str = "2026-05-20"
    shipping_share_after: float = 0.38
    complaint_share: float = 0.4                # feedback that complains, any theme but shipping
    shipping_complaint_share: float = 0.45      # shipping feedback that complains …
    shipping_complaint_share_after: float = 0.9  # … and after the surge
    source_mix: dict = field(default_factory=lambda: {
        "app_review": 0.35, "survey": 0.2, "service_chat": 0.25, "comment": 0.2})
    # who writes where (source bias): the share of each source's feedback that complains,
    # as measured over the whole half-year (the generator solves each source's base odds
    # so that, with the themes' and the surge's shifts, its share comes out at this) …
    source_complaint_share: dict = field(default_factory=lambda: {
        "app_review": 0.45, "survey": 0.15, "service_chat": 0.7, "comment": 0.3})
    # … and the scores each source gives: (P(1), P(2), P(3)) for a complaint,
    # (P(4), P(5)) for praise. App reviews are polarised (1s and 5s, few 3s).
    source_scores: dict = field(default_factory=lambda: {
        "app_review": ((0.75, 0.17, 0.08), (0.15, 0.85)),
        "survey": ((0.1, 0.35, 0.55), (0.62, 0.38)),
        "service_chat": ((0.55, 0.37, 0.08), (0.8, 0.2)),
        "comment": ((0.35, 0.4, 0.25), (0.4, 0.6))})
    # authors: a comment follows an order of the last `comment_days`, a service chat
    # (mostly) one of the last `chat_days`; survey answers come from buyers, the more
    # orders they have placed the likelier (a buyer with k orders answers with weight
    # ∝ k × min(1, k / survey_loyal_orders)); app reviews from any user
    comment_days: int = 14
    chat_days: int = 30
    chat_buyer_share: float = 0.85
    survey_loyal_orders: int = 3


@dataclass(frozen=True)
class ModerationFacts:
    """The 12 groups' moderation export (group_messages): spam (违规) and the rule change."""

    window: tuple = ("2026-03-16", "2026-05-10")   # the export's days (8 weeks)
    rule_change: str = "2026-04-13"             # 群规升级: keyword auto-detection from here
    spammer_share: float = 0.015                # of the window's members: spam accounts
    spammer_group_weight: dict = field(default_factory=lambda: {
        "deals": 2.0, "interest": 1.0, "industry": 1.5})   # spam goes where buyers are
    # violations per 1,000 messages (ordinary + violations), before and after the change
    violations_per_1000: tuple = (210.0, 105.0)
    # kinds by share of violation messages; a flood (刷屏) is one sender's burst of
    # near-identical messages within `flood_seconds`
    kind_mix: dict = field(default_factory=lambda: {
        "ad": 0.30, "wechat": 0.30, "link": 0.18, "flood": 0.22})
    flood_size: tuple = (5, 8)
    flood_seconds: int = 110
    disguised_share: float = 0.25               # ad/wechat/link posts written to dodge
    #                                             keyword rules (谐音, spaces, emoji)
    # ordinary messages that innocently hold a word keyword rules flag (批发价, 加微信 …),
    # and ones only a naive rule flags (微信支付, 链接, 加群)
    trap_share: float = 0.014
    naive_trap_share: float = 0.01
    # removal (删除): share of violation messages ever removed, and the median minutes
    # from sent to removal of the removed ones, before and after the change
    removed_share: tuple = (0.6, 0.9)
    minutes_to_removal: tuple = (180.0, 15.0)
    removal_sigma: float = 0.9                  # log-sd of the minutes to removal
    # after the change the rules catch the plain posts fast; what they miss waits for
    # an admin, as before: this share of it is removed, after this median wait
    missed_removed_share: float = 0.6
    missed_minutes: float = 90.0


@dataclass(frozen=True)
class PoolFacts:
    """The private-domain pool (私域流量池): WeCom contacts and the pushes they get."""

    # contacts (wecom_contacts): the chance an order's page (下单页) or its package card
    # (包裹卡) gets the buyer to add us, and a group member (社群) once after joining
    order_page_take_up: float = 0.22            # per order, minutes after it
    package_card_take_up: float = 0.25          # per order, when the parcel arrives
    package_days: tuple = (2.0, 6.0)            # days from order to parcel
    group_take_up: float = 0.7                  # per member …
    group_delay_days: float = 7.0               # … a mean of this many days after joining
    # pushes (pool_pushes): from this Monday on, 2–4 a week, never two within 2 days
    pushes_start: str = "2026-02-02"
    pushes_per_week: dict = field(default_factory=lambda: {2: 0.35, 3: 0.4, 4: 0.25})
    one_to_one_share: float = 0.25              # of pushes; the rest pool-wide, half each
    one_to_one_audience: tuple = (150, 400)     # contacts per 1v1 push at n_users=20,000
    read_rate: dict = field(default_factory=lambda: {
        "one_to_one": 0.78, "moments": 0.30, "group_broadcast": 0.46})
    click_rate: dict = field(default_factory=lambda: {       # per read
        "one_to_one": 0.25, "moments": 0.08, "group_broadcast": 0.12})
    order_rate: dict = field(default_factory=lambda: {       # per click
        "one_to_one": 0.30, "moments": 0.18, "group_broadcast": 0.18})
    unsubscribes_per_1000: dict = field(default_factory=lambda: {
        "one_to_one": 4.0, "moments": 3.0, "group_broadcast": 3.0})
    # fatigue (触达疲劳): in a week with this many pool-wide pushes or more, each is read
    # less and drives more contacts to remove us
    fatigue_pushes: int = 3
    fatigue_read: float = 0.72
    fatigue_unsubscribes: float = 2.0
    aov_median: float = 150.0                   # CNY per attributed order
    aov_sigma: float = 0.5
    # cost: staff time (a 1v1 message per contact; copy and design per pool-wide push,
    # stated at n_users=20,000) plus the push coupon on the orders that use it
    staff_per_contact: float = 0.3
    staff_per_push: float = 30.0
    coupon_value: float = 5.0
    coupon_use: float = 0.4


@dataclass(frozen=True)
class ContentFacts:
    competitor_names: tuple = ("competitor_shanjian", "competitor_yeya")
    outgrower: str = "competitor_shanjian"      # the competitor that out-grows us on XHS
    # posts per week on Xiaohongshu: us vs the competitor that out-grows us
    xhs_posts_per_week: dict = field(default_factory=lambda: {
        "chayu": 3.0, "competitor_shanjian": 9.0, "competitor_yeya": 2.5})
    # our posts per week on the other platforms; competitors post this share of it
    posts_per_week: dict = field(default_factory=lambda: {
        "wechat": 2.0, "douyin": 4.0, "bilibili": 1.0, "zhihu": 1.5})
    competitor_post_share: float = 0.7
    topic_mix: dict = field(default_factory=lambda: {
        "tea_health": 0.18, "brewing_tips": 0.2, "new_product": 0.17, "tea_culture": 0.15,
        "promotion": 0.15, "lifestyle": 0.15})
    number_title_share: float = 0.35            # titles with a number ("5 个…")
    # reach: followers by account (ours = 1) × impressions per post by platform
    followers: dict = field(default_factory=lambda: {
        "chayu": 1.0, "competitor_shanjian": 0.9, "competitor_yeya": 0.6})
    impressions: dict = field(default_factory=lambda: {
        "wechat": 6000, "xiaohongshu": 4000, "douyin": 15000, "bilibili": 5000,
        "zhihu": 2500})
    reach_growth: float = 0.2                   # reach growth over the half-year …
    outgrower_reach_growth: float = 1.6         # … the outgrowing competitor's on Xiaohongshu
    read_ctr: float = 0.08                      # reads / impressions
    completion: dict = field(default_factory=lambda: {"short_video": 0.32, "long_video": 0.18})
    # per read
    like_rate: float = 0.035
    share_rate: float = 0.012
    short_video_share_lift: float = 2.0         # short videos are forwarded far more
    comment_rate: float = 0.006
    save_rate: float = 0.018
    follow_rate: float = 0.004
    outgrower_follow_rate: float = 0.009
    # text length (characters): the outgrower's short Xiaohongshu notes vs everyone else
    short_note_length: tuple = (150, 400)
    text_length: tuple = (400, 2500)
    video_seconds: dict = field(default_factory=lambda: {
        "short_video": (15, 90), "long_video": (180, 900)})
    viral_platform: str = "wechat"              # our one viral post, published …
    viral_after_day: int = 40                   # … after the account has warmed up
    prime_time_completion_lift: float = 1.25    # videos published 20:00–22:00
    health_share_lift: float = 1.8              # topic tea_health share rate
    number_title_ctr_lift: float = 1.3
    viral_multiple: float = 10.0
    banned_title_share: float = 0.06


@dataclass(frozen=True)
class ActivityFacts:
    launch: tuple = ("2026-03-25", "2026-04-05")     # new-tea launch
    launch_lift: float = 1.3
    launch_budget: tuple = (60_000.0, 58_400.0)     # (budget, spend) CNY
    launch_coupon: str = "LAUNCH15"
    launch_discount: float = 15.0               # CNY off …
    launch_coupon_min: float = 49.0             # … an order of at least this GMV …
    launch_coupon_use: float = 0.3              # … taken by this share of launch orders
    # A campaign's GMV lift is over the mean daily GMV of the `lift_baseline_days` before
    # it (for the 618 phases: before the warm-up), as a phase report measures it; the
    # business's own growth since that baseline is part of the planted lift, not on top.
    lift_baseline_days: int = 21
    phases_618: dict = field(default_factory=lambda: {
        "warmup": ("2026-06-01", "2026-06-10", 1.15),
        "burst": ("2026-06-11", "2026-06-18", 2.6),
        "tail": ("2026-06-19", "2026-06-25", 1.3)})
    campaign_activity_share: float = 0.12       # a 618 phase lifts active days by this share
    #                                             of its GMV lift (the rest: more buying)
    budget_618: float = 260_000.0
    # share of the 618 budget per phase, and the share of that actually spent
    budget_share_618: dict = field(default_factory=lambda: {
        "warmup": 0.25, "burst": 0.55, "tail": 0.20})
    spent_618: dict = field(default_factory=lambda: {"warmup": 0.97, "burst": 1.04, "tail": 0.92})
    coupon_618: str = "C618"
    discount_618: float = 0.10                  # share of GMV off …
    coupon_618_use: float = 0.7                 # … taken by this share of 618 orders
    fraud_accounts: int = 40
    fraud_devices: int = 3
    fraud_window: tuple = ("2026-05-03", "2026-05-06")
    fraud_channel: str = "feed_ads"             # the ring signs up through feed ads …
    fraud_device_type: str = "android"          # … on Android phones
    fraud_main_device_share: float = 0.6        # the ring's main phone holds this share of
    #                                             its accounts, the other phones the rest
    #                                             evenly; each order goes out via any ring IP
    fraud_order_gmv: tuple = (29.0, 36.0)       # CNY: just above the coupon's minimum
    new_user_coupon: str = "NEW20"
    new_user_discount: float = 20.0             # CNY off …
    new_user_coupon_min: float = 29.0           # … an order of at least this GMV …
    new_user_coupon_use: float = 0.6            # … taken by this share of first-week buyers
    other_device_share: float = 0.1             # orders from a user's second device
    other_ip_share: float = 0.15                # orders from another network
    ab_experiment: str = "checkout_button"
    ab_window: tuple = ("2026-04-01", "2026-05-12")
    ab_share_b: float = 0.5
    ab_min_tenure_days: int = 7                # the test targets returning users
    ab_rate_a: float = 0.165                    # share ordering during the test, as
    ab_rate_b: float = 0.20                     # measured at 100k users (the targets)
    ab_purchase_mult: float = 2.0               # on non-refill purchases; gives rate_b
    srm_experiment: str = "coupon_banner"
    srm_window: tuple = ("2026-05-15", "2026-05-31")
    srm_share_b: float = 0.465                  # intended 0.5


@dataclass(frozen=True)
class CommentFacts:
    """Comments under our own posts (post_comments): one row per comment posts.comments
    counts, and the few posts that drew criticism."""

    # what an ordinary comment is; complaints split by theme like the feedback's
    kind_mix: dict = field(default_factory=lambda: {
        "praise": 0.36, "question": 0.26, "chat": 0.22, "complaint": 0.16})
    complaint_themes: dict = field(default_factory=lambda: {
        "price": 0.22, "taste": 0.28, "packaging": 0.16, "shipping": 0.18, "service": 0.16})
    # criticised posts (挨骂的帖子), picked among our posts with at least
    # `backlash_min_comments` comments: promotion posts whose comments are mostly price
    # complaints (先涨价再打折) and one new_product post with taste complaints
    price_backlash_posts: int = 3
    price_backlash_share: float = 0.7
    taste_backlash_posts: int = 1
    taste_backlash_share: float = 0.65
    backlash_min_comments: int = 10
    # hours from the post to a comment: log-normal, cut at the data's end
    delay_median_hours: float = 3.0
    delay_sigma: float = 1.4
    likes_mean: float = 1.5                     # per comment; complaints on a criticised …
    backlash_likes_mean: float = 6.0            # … post are liked more (people agree)


@dataclass(frozen=True)
class MentionFacts:
    """Public mentions of 茶语 (brand_mentions, 舆情监测) and the one negative burst."""

    per_day: dict = field(default_factory=lambda: {      # mentions a day, at the start
        "xiaohongshu": 30.0, "douyin": 25.0, "wechat": 10.0, "zhihu": 6.0, "bilibili": 5.0})
    growth: float = 0.2                         # over the half-year
    weekend_lift: float = 1.15
    sentiment_mix: dict = field(default_factory=lambda: {
        "positive": 0.37, "neutral": 0.55, "negative": 0.08})
    # the burst (负面舆情爆发): a quality complaint (喝出异物, 茶里有虫) going viral on
    # one platform, rising for a few hours and decaying over about 2 days; its
    # intensity ∝ (1 − exp(−t / rise)) × exp(−t / decay), t hours from the onset
    burst_platform: str = "douyin"
    burst_start: str = "2026-05-26 20:00:00"    # a Tuesday evening
    burst_mentions: int = 1200
    burst_rise_hours: float = 2.0
    burst_decay_hours: float = 12.0
    burst_repost_share: float = 0.7             # of the burst's mentions, reposts of it
    seed_post_reposts: int = 3000               # the complaint that started it


@dataclass(frozen=True)
class ContentTestFacts:
    """Two content tests with daily readouts (content_tests)."""

    # (a) 文案 A/B: one WeChat article pushed to two random halves of the followers
    title_start: str = "2026-02-24"             # 7 days from this push (20:00)
    titles: tuple = ("冷泡茶怎么泡", "冷泡茶 3 步泡法")     # A plain, B with a number
    title_impressions: int = 21_000             # per arm over the 7 days
    title_read_rate: tuple = (0.080, 0.092)     # reads / impressions, A and B
    # (b) 触达时间: one Douyin video a day at 12:00 (A) and one at 20:00 (B), 4 weeks
    time_start: str = "2026-04-06"              # a Monday
    time_days: int = 28
    time_hours: tuple = (12, 20)
    time_impressions: int = 15_000              # per video (mean)
    time_read_rate: float = 0.07                # the same in both arms: no real difference
    time_completion: float = 0.32               # at 12:00 …
    time_completion_lift: float = 1.12          # … this much higher at 20:00 (prime time)
    like_rate: float = 0.035                    # per read
    share_rate: float = 0.012


@dataclass(frozen=True)
class HistoryFacts:
    """Chayu's campaigns of 2024–2025 as their 复盘 sheets recorded them (campaign_history):
    the record a planner forecasts the next campaign from."""

    # (campaign_id, name, kind, first day, last day, media spend in CNY)
    campaigns: tuple = (
        ("2024_nianhuo", "2024 年货节", "festival", "2024-01-15", "2024-01-31", 42_000.0),
        ("2024_spring_tea", "2024 春茶上新", "launch", "2024-03-20", "2024-04-02", 38_000.0),
        ("2024_618", "2024 618 年中大促", "sale", "2024-06-01", "2024-06-20", 150_000.0),
        ("2024_qixi", "2024 七夕礼盒", "festival", "2024-08-01", "2024-08-10", 30_000.0),
        ("2024_midautumn", "2024 中秋礼盒", "festival", "2024-09-01", "2024-09-16", 65_000.0),
        ("2024_double11", "2024 双11", "sale", "2024-10-25", "2024-11-11", 170_000.0),
        ("2024_double12", "2024 双12", "sale", "2024-12-08", "2024-12-12", 60_000.0),
        ("2025_nianhuo", "2025 年货节", "festival", "2025-01-10", "2025-01-26", 55_000.0),
        ("2025_spring_tea", "2025 春茶上新", "launch", "2025-03-22", "2025-04-04", 45_000.0),
        ("2025_618", "2025 618 年中大促", "sale", "2025-06-01", "2025-06-20", 200_000.0),
        ("2025_qixi", "2025 七夕礼盒", "festival", "2025-07-22", "2025-07-31", 36_000.0),
        ("2025_midautumn", "2025 中秋礼盒", "festival", "2025-09-15", "2025-10-06", 80_000.0),
        ("2025_double11", "2025 双11", "sale", "2025-10-20", "2025-11-11", 230_000.0),
        ("2025_double12", "2025 双12", "sale", "2025-12-08", "2025-12-12", 70_000.0))
    # mean daily GMV without a campaign, at the start of 2024 and at the end of 2025
    # (growing exponentially in between): the baseline each 复盘 measured against
    baseline_per_day: tuple = (5_800.0, 12_800.0)
    # median incremental GMV per CNY of cost (media + coupons), by kind; each campaign
    # varies around it by a lognormal factor of this sigma
    return_per_cost: dict = field(default_factory=lambda: {
        "sale": 0.95, "festival": 1.3, "launch": 0.7})
    return_sigma: float = 0.22
    coupon_share: dict = field(default_factory=lambda: {     # coupon cost / campaign GMV
        "sale": 0.07, "festival": 0.05, "launch": 0.06})


@dataclass(frozen=True)
class LiveFacts:
    """The brand's own Douyin live room (抖音品牌自播), hour by hour (live_hourly): the
    618 burst starts slowly, and a coupon top-up (加券) lifts conversion from a known
    hour to the end of the burst while the number of viewers is unchanged."""

    start: str = "2026-05-01"
    end: str = "2026-06-25"
    first_hour: int = 10                        # on air 10:00 …
    last_hour: int = 23                         # … to midnight (the 23:00 hour is the last)
    viewers_per_hour: float = 150.0             # mean on an ordinary weekday (at 20,000 users)
    # viewers by hour on air, 10:00 … 23:00 (mean 1): the evening is prime time
    hour_shape: tuple = (0.5, 0.6, 0.7, 0.7, 0.6, 0.6, 0.7, 0.8, 0.9, 1.3, 1.8, 2.0, 1.8,
                         1.0)
    weekend_lift: float = 1.15
    phase_viewers: dict = field(default_factory=lambda: {   # viewers × this in a 618 phase
        "warmup": 1.3, "burst": 2.4, "tail": 1.4})
    burst_ramp: tuple = (0.7, 0.85)             # viewers on the first burst days (ads learn)
    conversion: dict = field(default_factory=lambda: {      # buyers / viewers
        "normal": 0.022, "warmup": 0.019, "burst": 0.032, "tail": 0.024})
    second_order_share: float = 0.06            # buyers who place a second order that hour
    aov: dict = field(default_factory=lambda: {             # GMV per order, CNY
        "normal": 118.0, "warmup": 118.0, "burst": 135.0, "tail": 122.0})
    store_coupon_share: float = 0.05            # coupon cost / GMV on ordinary days
    # the top-up: 满199减30 from this hour to the end of the burst
    topup_time: str = "2026-06-15 20:00:00"
    topup_conversion: float = 1.35              # conversion × this
    topup_aov: float = 1.06                     # AOV × this (baskets filled up to 199)
    topup_discount: float = 30.0
    topup_use: float = 0.45                     # share of orders that take the top-up coupon


@dataclass(frozen=True)
class Scenario:
    """Every planted fact; the generator's only input besides seed and size."""

    start: str = "2026-01-01"
    end: str = "2026-06-30"
    traffic: TrafficFacts = field(default_factory=TrafficFacts)
    users: UserFacts = field(default_factory=UserFacts)
    community: CommunityFacts = field(default_factory=CommunityFacts)
    voice: VoiceFacts = field(default_factory=VoiceFacts)
    content: ContentFacts = field(default_factory=ContentFacts)
    activity: ActivityFacts = field(default_factory=ActivityFacts)
    moderation: ModerationFacts = field(default_factory=ModerationFacts)
    pool: PoolFacts = field(default_factory=PoolFacts)
    comments: CommentFacts = field(default_factory=CommentFacts)
    mentions: MentionFacts = field(default_factory=MentionFacts)
    content_tests: ContentTestFacts = field(default_factory=ContentTestFacts)
    history: HistoryFacts = field(default_factory=HistoryFacts)
    live: LiveFacts = field(default_factory=LiveFacts)

    def with_changes(self, **sections) -> "Scenario":
        """Copy with some section fields changed: `s.with_changes(users={"k_factor": .4})`."""
        updates = {}
        for name, changes in sections.items():
            updates[name] = replace(getattr(self, name), **changes)
        return replace(self, **updates)
