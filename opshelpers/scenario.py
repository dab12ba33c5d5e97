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
    # visit → signup conversion (landing page A); referral's is per invite click
    cvr: dict = field(default_factory=lambda: {
        "seo": 0.12, "sem": 0.10, "feed_ads": 0.08, "kol": 0.12,
        "xiaohongshu": 0.08, "community": 0.20, "referral": 0.40})
    landing_page_b_lift: float = 1.25          # CVR(lp_b) / CVR(lp_a)
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
    # paid channels: volume ∝ spend^elasticity (diminishing returns); daily budget swings
    elasticity: dict = field(default_factory=lambda: {
        "sem": 0.55, "feed_ads": 0.75, "kol": 0.85, "xiaohongshu": 0.7})
    budget_sigma: float = 0.25
    # multi-touch: share of (non-referral) signups with earlier visits, and their channels
    touch_share: float = 0.4
    touch_weights: dict = field(default_factory=lambda: {
        "feed_ads": 0.32, "kol": 0.28, "xiaohongshu": 0.12, "seo": 0.1, "sem": 0.1,
        "community": 0.08})
    repeat_visit_share: float = 0.12           # anonymous visitors who come back
    # user quality by acquisition channel (multiplies engagement)
    engagement: dict = field(default_factory=lambda: {
        "seo": 1.0, "sem": 0.95, "feed_ads": 0.7, "kol": 1.25,
        "xiaohongshu": 0.95, "community": 1.2, "referral": 1.1})


@dataclass(frozen=True)
class UserFacts:
    onboarding_change: str = "2026-02-15"
    # daily return probability curve: r_inf + (r1 - r_inf) * exp(-(day-1)/tau)
    curve_before: tuple = (0.447, 0.053, 6.0)
    curve_after: tuple = (0.585, 0.083, 7.0)
    d7_before: float = 0.20                     # targets the curves were tuned to
    d7_after: float = 0.28
    weekend_activity: float = 1.15
    loyal_share: float = 0.3                    # never churn (scaled by engagement)
    lifetime_days: float = 25.0                 # mean active life of the others
    buyer_share: float = 0.35                   # most users never buy
    purchase_prob: float = 0.07                 # per active day, for a typical buyer
    refill_share: float = 0.06                  # loyal drinkers who re-order on a cycle
    refill_cycle_days: tuple = (14.0, 28.0)
    refill_keep: float = 0.95
    refill_size: float = 1.8                    # a refill is a bigger, steady basket
    aov_median: float = 118.0                   # CNY
    aov_sigma: float = 0.55
    k_factor: float = 0.30                      # invites per user × invite conversion
    invite_click: float = 0.5
    winback_date: str = "2026-05-10"
    winback_holdout: float = 0.10
    winback_lift: float = 0.10                  # extra reactivation, treated vs control
    dormant_days: int = 30


@dataclass(frozen=True)
class CommunityFacts:
    member_share: float = 0.25                  # share of users who join a group
    member_effect: float = 0.12                 # causal lift on activity after joining
    selection: float = 2.2                      # how strongly engagement drives joining
    challenge: tuple = ("2026-04-06", "2026-04-26")   # 21-day check-in challenge
    challenge_lift: float = 2.2
    koc_share_of_members: float = 0.02
    koc_share_of_referrals: float = 0.30
    deals_purchase_lift: float = 2.0            # 福利群 members buy more
    interest_activity_lift: float = 1.3         # 兴趣群 members stay more active
    points_per_cny: int = 1
    checkin_points: int = 5
    signup_points: int = 100
    redeem_share: float = 0.45                  # share of issued points ever redeemed


@dataclass(frozen=True)
class VoiceFacts:
    n_feedback: int = 3000                      # at n_users=20_000
    theme_share: dict = field(default_factory=lambda: {
        "price": 0.24, "taste": 0.32, "packaging": 0.16, "shipping": 0.10,
        "service": 0.18})
    shipping_surge_date: str = "2026-05-20"
    shipping_share_after: float = 0.38


@dataclass(frozen=True)
class ContentFacts:
    competitor_names: tuple = ("competitor_shanjian", "competitor_yeya")
    # posts per week on Xiaohongshu: us vs the competitor that out-grows us
    xhs_posts_per_week: dict = field(default_factory=lambda: {
        "chayu": 3.0, "competitor_shanjian": 9.0, "competitor_yeya": 2.5})
    prime_time_completion_lift: float = 1.25    # videos published 20:00–22:00
    health_share_lift: float = 1.8              # topic tea_health share rate
    number_title_ctr_lift: float = 1.3
    viral_multiple: float = 10.0
    banned_title_share: float = 0.06


@dataclass(frozen=True)
class ActivityFacts:
    launch: tuple = ("2026-03-25", "2026-04-05")     # new-tea launch
    launch_lift: float = 1.3
    phases_618: dict = field(default_factory=lambda: {
        "warmup": ("2026-06-01", "2026-06-10", 1.15),
        "burst": ("2026-06-11", "2026-06-18", 2.6),
        "tail": ("2026-06-19", "2026-06-25", 1.3)})
    budget_618: float = 260_000.0
    fraud_accounts: int = 40
    fraud_devices: int = 3
    fraud_window: tuple = ("2026-05-03", "2026-05-06")
    new_user_coupon: str = "NEW20"
    ab_window: tuple = ("2026-04-01", "2026-05-12")
    ab_min_tenure_days: int = 7                # the test targets returning users
    ab_rate_a: float = 0.165                    # share ordering during the test, as
    ab_rate_b: float = 0.20                     # measured at 100k users (the targets)
    ab_purchase_mult: float = 2.0               # on non-refill purchases; gives rate_b
    srm_share_b: float = 0.465                  # coupon_banner: intended 0.5


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

    def with_changes(self, **sections) -> "Scenario":
        """Copy with some section fields changed: `s.with_changes(users={"k_factor": .4})`."""
        updates = {}
        for name, changes in sections.items():
            updates[name] = replace(getattr(self, name), **changes)
        return replace(self, **updates)
