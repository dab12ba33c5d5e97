"""The Chayu 茶语 generator: seeded, vectorised, deterministic.

`generate(Scenario(), seed=7, n_users=20_000)` returns the tables of DESIGN §2 (plus
`search_terms` and `kol_posts`, lesson 01's SEM and KOL detail; `user_campaigns`,
`product_views` and `order_lines`, lesson 02's; `group_messages`, `wecom_contacts` and
`pool_pushes`, lesson 03's moderation export and private-domain pool; `post_comments`,
`brand_mentions` and `content_tests`, lesson 04's comments, 舆情 and content tests;
`campaign_history` and `live_hourly`, lesson 05's past campaigns and Douyin live room)
and a `Truths` object with the planted numbers and what they imply.

The company is planted by a chain of planters (`PLANTERS`), one per domain. A planter
is a plain function: its parameters after `ctx` name what it reads (tables and hidden
columns that earlier planters returned), it returns a dict of what it makes, and an
`rng` parameter asks for its own random stream. That stream is keyed by the planter's
name, not by its place in the chain (`planter_stream`), so a planter added later (a new
table, a new planted fact) leaves every other planter's draws, and so every table it
does not feed, byte-identical. What a planter returns under a name in `TABLES` is a
published table; under the name of a `Truths` field, a truth.

>>> tables, truths = generate(Scenario(), seed=1, n_users=2_000)
>>> sorted(tables)[:3]
['ab_assignments', 'brand_mentions', 'campaign_history']
"""

from __future__ import annotations

import inspect
import zlib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import phrases
from .scenario import CHANNELS, PLATFORMS, THEMES, ModerationFacts, Scenario

__all__ = ["Scenario", "Truths", "Planter", "PLANTERS", "generate", "planter_stream",
           "stream_key", "users_for_events", "write_tables", "TABLES"]

TABLES = ("users", "visits", "events", "orders", "channel_daily", "posts", "campaigns",
          "ab_assignments", "community_members", "community_daily", "points_ledger",
          "feedback", "search_terms", "kol_posts", "user_campaigns", "product_views",
          "order_lines", "group_messages", "wecom_contacts", "pool_pushes", "post_comments",
          "brand_mentions", "content_tests", "campaign_history", "live_hourly")
DAY = 86_400
PAGES = ("lp_a", "lp_b", "lp_invite")
DEVICES = ("ios", "android", "mini_program")
# event names in funnel order (their codes sort events within a second)
EVENTS = ("signup", "app_open", "view_product", "add_to_cart", "checkout", "purchase", "invite")
# seconds after a session's start at which each funnel step happens
STEP_SECONDS = {"view_product": 40, "add_to_cart": 160, "checkout": 260}
REFERENCE_USERS = 20_000      # scenario volumes are stated at this size
# share of app sessions starting in each hour of the day (lunch and evening peaks)
HOUR_WEIGHTS = np.array([2, 1, .5, .3, .3, .5, 1.5, 3, 4, 4, 4, 4.5, 6, 5, 4, 4, 4, 4.5,
                         5, 6, 7.5, 8, 6.5, 4])
# share of posts published in each hour (editors post in the evening)
POST_HOUR_WEIGHTS = np.array([.2, .1, 0, 0, 0, 0, .2, .6, 1.2, 1, .8, .8, 1.5, 1, .6, .5, .6,
                              1, 1.6, 1.8, 2.2, 2.2, 1.5, .6])
# calibration, not facts: they make the planted facts come out as stated
DIRECT_MEMBER_SHARE = 0.68       # of all members, those who signed up directly (not referred)
NON_KOC_INVITE_SHARE = 0.82      # of the invites that make K, those not sent by KOC
REFERRAL_GENERATIONS = 8         # invitees invite too; K < 1 dies out well before this
WINBACK_NOT_BACK_ANYWAY = 0.9    # treated users who would not have come back on their own
REDEEMERS_PER_REDEEM_SHARE = 1.6  # eligible balances redeemed, per unit of redeem_share
MAX_DAILY_ACTIVITY = 0.92        # caps on daily probabilities
MAX_PURCHASE_PROB = 0.85
MAX_GROUP_ACTIVITY = 0.95
CAMPAIGN_SOLVER_STEPS = 8         # iterations solving a campaign's purchase multiplier


@dataclass
class Truths:
    """Planted values and what they imply on the generated data (hidden labels too)."""

    seed: int
    n_users: int
    planted: dict
    d7_before: float = np.nan
    d7_after: float = np.nan
    k_factor: float = np.nan
    invites_per_user: float = np.nan
    invite_conversion: float = np.nan
    koc_user_ids: list = field(default_factory=list)
    koc_referral_share: float = np.nan
    fraud_user_ids: list = field(default_factory=list)
    fraud_devices: list = field(default_factory=list)
    challenge_groups: list = field(default_factory=list)
    winback_treated_rate: float = np.nan
    winback_control_rate: float = np.nan
    viral_post_id: int = -1
    banned_post_ids: list = field(default_factory=list)
    feedback_theme: dict = field(default_factory=dict)
    srm_share_b: float = np.nan
    wasted_keywords: list = field(default_factory=list)
    long_tail_keywords: list = field(default_factory=list)
    kol_to_renew: str = ""
    kol_inflated_reads: str = ""
    favourite_categories: list = field(default_factory=list)   # per user, by user_id
    message_violation: dict = field(default_factory=dict)  # message_id → ad, wechat, link,
    #                                                        flood or none (group_messages)
    price_backlash_post_ids: list = field(default_factory=list)   # promotion posts whose
    #                                                  comments are mostly price complaints
    taste_backlash_post_id: int = -1            # the new_product post with taste complaints
    burst_mention_ids: list = field(default_factory=list)   # brand_mentions of the burst
    topup_incremental_gmv: float = np.nan       # live room GMV the top-up added (expected)
    topup_coupon_cost: float = np.nan           # what the top-up coupons cost

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- shared, read-only context
@dataclass(frozen=True)
class Calendar:
    """The scenario's days; day index 0 is `Scenario.start`, seconds count from its midnight."""

    start: np.datetime64
    n_days: int
    weekend: np.ndarray           # bool per day index

    @classmethod
    def of(cls, scenario: Scenario) -> "Calendar":
        start = np.datetime64(scenario.start, "D")
        n_days = int((np.datetime64(scenario.end, "D") - start).astype(int)) + 1
        weekday = (np.arange(n_days) + start.view("int64") + 3) % 7   # 1970-01-01: a Thursday
        return cls(start, n_days, weekday >= 5)

    @property
    def end_second(self) -> int:
        """The first second after the data."""
        return self.n_days * DAY

    def day(self, date: str) -> int:
        return int((np.datetime64(date, "D") - self.start).astype(int))

    def window(self, first: str, last: str) -> np.ndarray:
        """Bool per day: inside first..last (both included)."""
        mask = np.zeros(self.n_days, bool)
        mask[self.day(first): self.day(last) + 1] = True
        return mask

    def to_datetime(self, seconds: np.ndarray) -> np.ndarray:
        base = self.start.astype("datetime64[s]")
        return base + np.asarray(seconds, "int64").astype("timedelta64[s]")

    def to_date(self, day_index: np.ndarray) -> np.ndarray:
        return self.start + np.asarray(day_index, "int64").astype("timedelta64[D]")


@dataclass(frozen=True)
class Context:
    """What every planter may read besides its inputs."""

    scenario: Scenario
    cal: Calendar
    scale: float                  # n_users / REFERENCE_USERS: volumes are stated at 20,000


# ---------------------------------------------------------------- planters and their streams
def stream_key(name: str) -> int:
    """A planter name's stable 32-bit key (CRC-32; Python's `hash()` changes per process)."""
    return zlib.crc32(name.encode("utf-8"))


def planter_stream(seed: int, name: str) -> np.random.Generator:
    """The random stream of the planter called `name`: from (seed, name) alone, so no
    other planter, nor the order of the chain, moves it."""
    return np.random.default_rng(np.random.SeedSequence([seed, stream_key(name)]))


@dataclass(frozen=True)
class Planter:
    """One step of the chain: `plant(ctx, [rng,] **needs)` returns `{name: value}` for
    each name in `gives`. Its parameters after `ctx` (other than `rng`) are its needs."""

    name: str                     # keys its random stream: renaming a planter reseeds it
    plant: Callable[..., dict]
    gives: tuple[str, ...]

    @property
    def needs(self) -> tuple[str, ...]:
        params = inspect.signature(self.plant).parameters
        return tuple(p for p in params if p not in ("ctx", "rng"))

    @property
    def random(self) -> bool:
        return "rng" in inspect.signature(self.plant).parameters


def _check_chain(planters: tuple[Planter, ...]) -> None:
    """Refuse a chain with a need nobody gave earlier, a name given twice, or two
    planters sharing a stream."""
    given: set[str] = set()
    keys: dict[int, str] = {}
    for p in planters:
        if stream_key(p.name) in keys:
            raise ValueError(f"planters {keys[stream_key(p.name)]!r} and {p.name!r} would "
                             "share a random stream; rename one")
        keys[stream_key(p.name)] = p.name
        missing = sorted(set(p.needs) - given)
        if missing:
            raise ValueError(f"planter {p.name!r} needs {missing}, which no earlier planter "
                             "gives")
        twice = sorted(set(p.gives) & given)
        if twice:
            raise ValueError(f"planter {p.name!r} gives {twice} again")
        given |= set(p.gives)
    unmade = [t for t in TABLES if t not in given]
    if unmade:
        raise ValueError(f"no planter gives the tables {unmade}")


def _run(planters: tuple[Planter, ...], ctx: Context, seed: int,
         progress: Callable[[str, float], None] | None) -> dict:
    """Run the chain; returns what it made, less the intermediates, which are freed after
    their last reader (at scale they hold tens of millions of rows)."""
    _check_chain(planters)
    published = set(TABLES) | {f.name for f in fields(Truths)}
    last_reader = {need: i for i, p in enumerate(planters) for need in p.needs}
    made: dict = {}
    for i, p in enumerate(planters):
        inputs = {name: made[name] for name in p.needs}
        if p.random:
            inputs["rng"] = planter_stream(seed, p.name)
        out = p.plant(ctx, **inputs)
        if set(out) != set(p.gives):
            raise RuntimeError(f"planter {p.name!r} returned {sorted(out)}, not its declared "
                               f"{sorted(p.gives)}")
        made.update(out)
        for name in p.needs:
            if last_reader[name] == i and name not in published:
                del made[name]
        if progress is not None:
            progress(p.name, (i + 1) / (len(planters) + 1))
    return made


# ---------------------------------------------------------------- small helpers
def _time_of_day(rng: np.random.Generator, n: int, weights: np.ndarray = HOUR_WEIGHTS
                 ) -> np.ndarray:
    """Seconds after midnight, hours drawn by `weights`."""
    hours = rng.choice(24, size=n, p=weights / weights.sum())
    return hours * 3600 + rng.integers(0, 3600, size=n)


def _lognormal_mean_one(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    return np.exp(rng.normal(-sigma ** 2 / 2, sigma, size=n))


def _lognormal_median_one(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    return np.exp(rng.normal(0.0, sigma, size=n))


def _draw(rng: np.random.Generator, mix: dict, n: int) -> np.ndarray:
    """`n` draws of the keys of `mix` ({value: probability})."""
    p = np.array(list(mix.values()), float)
    return np.array(list(mix))[rng.choice(len(p), size=n, p=p / p.sum())]


def _codes(codes, categories) -> pd.Categorical:
    """A categorical from integer codes: cheap for the 10M-row tables."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories)


def _ids_or_na(ids: np.ndarray) -> pd.arrays.IntegerArray:
    """Nullable ids where 0 means 'none' (an invite sent outside any session)."""
    return pd.arrays.IntegerArray(ids.astype(np.int64), ids == 0)


def _pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size=n)]


def _device_ids(numbers: np.ndarray) -> np.ndarray:
    """Hashed-looking device ids: 'dv' + hex."""
    return np.char.add("dv", np.char.mod("%x", np.asarray(numbers))).astype(object)


def _stack(frames: list[pd.DataFrame], columns: list[str], **concat) -> pd.DataFrame:
    """pd.concat that also accepts no frames (an empty frame with `columns`)."""
    return pd.concat(frames, **concat) if frames else pd.DataFrame(columns=columns)


def _page_b(ctx: Context, rng: np.random.Generator, n: int) -> np.ndarray:
    """Which of `n` visits the landing-page test sends to lp_b."""
    return rng.random(n) < ctx.scenario.traffic.landing_page_b_share


def _visit_details(ctx: Context, rng: np.random.Generator, visits: pd.DataFrame,
                   seconds: np.ndarray | None = None) -> pd.DataFrame:
    """Add time (by default a time of day on `day`), device, bounce and pageviews to
    freshly made visits (day, channel, landing_page, signed_up)."""
    tf, n = ctx.scenario.traffic, len(visits)
    if seconds is None:
        seconds = visits["day"].to_numpy() * DAY + _time_of_day(rng, n)
    # nothing in the data's last hour: a signup 15 min later must still be inside it
    visits["seconds"] = np.minimum(seconds, ctx.cal.end_second - 3600 - 1000)
    visits["device"] = _codes(rng.choice(len(DEVICES), n, p=[tf.device_mix[d] for d in DEVICES]),
                              DEVICES)
    bounce_p = np.array([tf.bounce_rate[c] for c in CHANNELS])[visits["channel"].cat.codes]
    bounced = (~visits["signed_up"].to_numpy()) & (rng.random(n) < bounce_p)
    visits["bounced"] = bounced
    visits["pageviews"] = np.where(bounced, 1, 1 + rng.geometric(tf.more_pages_p, n))
    return visits


def _user_latents(ctx: Context, rng: np.random.Generator, users: pd.DataFrame) -> pd.DataFrame:
    """Add signup day and the hidden traits that drive behaviour to freshly made users."""
    sc, n = ctx.scenario, len(users)
    users["seconds"] = np.minimum(users["seconds"], ctx.cal.end_second - 3600)
    users["day"] = users["seconds"] // DAY
    quality = users["channel"].map(sc.traffic.engagement).to_numpy()
    users["engagement"] = quality * _lognormal_mean_one(rng, 0.6, n)
    buyer_p = np.clip(sc.users.buyer_share * users["engagement"] ** 0.5, 0, 0.9)
    users["buyer"] = rng.random(n) < buyer_p
    users["propensity"] = _lognormal_mean_one(rng, 0.9, n)    # how often a buyer buys
    users["value"] = _lognormal_mean_one(rng, 0.4, n)         # how much a buyer spends
    users["city_tier"] = _draw(rng, sc.users.city_tier_mix, n)
    users["age_group"] = _draw(rng, sc.users.age_group_mix, n)
    users["fraud"] = False
    return users


MEMBER_COLUMNS = ["user_index", "group_id", "group_type", "join_day", "leave_day", "koc"]


def _join_groups(ctx: Context, rng: np.random.Generator, users: pd.DataFrame) -> pd.DataFrame:
    """Which of `users` join a member group, which group, when, and whether they leave."""
    cf, cal = ctx.scenario.community, ctx.cal
    if users.empty:
        return pd.DataFrame(columns=MEMBER_COLUMNS)
    weight = users["engagement"].to_numpy() ** cf.selection      # engaged users join more
    p_join = np.clip(cf.member_share * weight / weight.mean(), 0, 0.9)
    delay = 2 + rng.exponential(cf.join_delay_days, len(users)).astype(int)
    join_day = users["day"].to_numpy() + delay
    joins = (rng.random(len(users)) < p_join) & (join_day < cal.n_days - 7)
    idx = np.flatnonzero(joins)
    groups = phrases.GROUPS
    per_type = {t: sum(1 for g in groups if g[2] == t) for t in cf.group_type_mix}
    group_p = np.array([cf.group_type_mix[g[2]] / per_type[g[2]] for g in groups])
    group = rng.choice(len(groups), size=idx.size, p=group_p / group_p.sum())
    leave = rng.random(idx.size) < cf.leave_share
    leave_day = np.where(leave, join_day[idx] + 5 + rng.exponential(40, idx.size).astype(int), -1)
    leave_day = np.where(leave_day >= cal.n_days, -1, leave_day)
    return pd.DataFrame({
        "user_index": users.index.to_numpy()[idx],
        "group_id": np.array([g[0] for g in groups])[group],
        "group_type": np.array([g[2] for g in groups])[group],
        "join_day": join_day[idx], "leave_day": leave_day,
        "koc": False,
    })


def _gmv_campaigns(ctx: Context) -> list[list[tuple[str, str, str, float]]]:
    """The campaigns that lift GMV, as series of (campaign_id, first, last, lift); a
    series shares the baseline before its first day (the 618 phases)."""
    af = ctx.scenario.activity
    return [[("new_tea_launch", *af.launch, af.launch_lift)],
            [(f"618_{phase}", first, last, lift)
             for phase, (first, last, lift) in af.phases_618.items()]]


def _campaign_days(ctx: Context, day: np.ndarray,
                   expected_gmv: Callable[[np.ndarray], Callable[[float], float]]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each day's purchase multiplier and campaign id ("" on ordinary days).

    A planted lift is the campaign's GMV over the mean daily GMV of the
    `lift_baseline_days` before its series, as a phase report measures it: the
    business's own growth since the baseline is part of it, not on top. So each
    campaign's multiplier is solved from `expected_gmv(sessions)(multiplier)`, the
    expected GMV of the sessions (a bool mask over `day`, each session's day index).
    """
    cal, baseline_days = ctx.cal, ctx.scenario.activity.lift_baseline_days
    mult = np.ones(cal.n_days)
    campaign_id = np.full(cal.n_days, "", dtype=object)
    for series in _gmv_campaigns(ctx):
        start = min(cal.day(first) for _, first, _, _ in series)
        baseline_first = max(start - baseline_days, 0)
        in_baseline = (day >= baseline_first) & (day < start)
        baseline = expected_gmv(in_baseline)(1.0) / (start - baseline_first)
        for cid, first, last, lift in series:
            days = cal.window(first, last)
            gmv_at = expected_gmv(days[day])
            target = lift * baseline * days.sum()
            m = lift
            for _ in range(CAMPAIGN_SOLVER_STEPS):   # fixed point; capped odds bend it
                m *= target / gmv_at(m)
            mult[days] = m
            campaign_id[days] = cid
    return mult, campaign_id


def _ip_pool(n_users: int) -> int:
    """How many home networks the users share (a few users share one)."""
    return max(1000, int(n_users * 1.5))


# ---------------------------------------------------------------- traffic and signups
def plant_traffic(ctx: Context, rng: np.random.Generator) -> dict:
    """Direct (non-referral) visits by channel and day, with the feed-ads pause, the
    landing-page test and the Xiaohongshu conversion drop.

    Gives `direct_visits` and `paid_volume` ({paid channel: daily volume multiplier}:
    budget swings, which `channel_daily` turns into spend).
    """
    tf, cal = ctx.scenario.traffic, ctx.cal
    days = np.arange(cal.n_days)
    pause = cal.window(*tf.feed_ads_pause)
    dropped = days >= cal.day(tf.xhs_drop_date)
    # the page test lifts the average conversion; volumes are stated as signups
    page_mix = 1 + tf.landing_page_b_share * (tf.landing_page_b_lift - 1)
    parts, paid_volume = [], {}
    for c, per_day in tf.daily_signups.items():
        growth = 1.0 + tf.signup_growth[c] * days / cal.n_days
        weekly = np.where(cal.weekend, tf.weekend_visit_lift[c], tf.weekday_visit_level)
        expected_visits = per_day * ctx.scale * growth * weekly / (tf.cvr[c] * page_mix)
        if c in tf.elasticity:   # paid: daily budget swings move volume (and cost)
            paid_volume[c] = np.exp(rng.normal(0, tf.budget_sigma, cal.n_days))
            expected_visits = expected_visits * paid_volume[c]
        if c == "feed_ads":
            expected_visits = np.where(pause, 0.0, expected_visits)
        day = np.repeat(days, rng.poisson(expected_visits))
        n = day.size
        page_b = _page_b(ctx, rng, n)
        cvr = np.full(n, tf.cvr[c])
        if c == tf.drop_channel:
            cvr = np.where(dropped[day], tf.xhs_cvr_after, cvr)
        cvr = np.where(page_b, cvr * tf.landing_page_b_lift, cvr)
        parts.append(pd.DataFrame({
            "day": day, "channel": _codes(np.full(n, CHANNELS.index(c)), CHANNELS),
            "landing_page": _codes(page_b.astype(np.int8), PAGES),
            "signed_up": rng.random(n) < cvr}))
    visits = _visit_details(ctx, rng, pd.concat(parts, ignore_index=True))
    return {"direct_visits": visits, "paid_volume": paid_volume}


def plant_signups(ctx: Context, rng: np.random.Generator, direct_visits: pd.DataFrame) -> dict:
    """The users who signed up in a direct visit, with their hidden traits."""
    signed = direct_visits.loc[direct_visits["signed_up"]]
    users = pd.DataFrame({
        "visit_index": signed.index.to_numpy(),
        "seconds": signed["seconds"].to_numpy() + rng.integers(30, 900, len(signed)),
        "channel": signed["channel"].to_numpy(),
        "landing_page": signed["landing_page"].to_numpy(),
        "device": signed["device"].to_numpy(),
        "referrer": -1,
    })
    return {"direct_users": _user_latents(ctx, rng, users)}


def plant_membership(ctx: Context, rng: np.random.Generator, direct_users: pd.DataFrame
                     ) -> dict:
    """Direct users' group memberships, and the KOC: a few of the most engaged early
    members (referred users join later, in `referral`)."""
    cf = ctx.scenario.community
    members = _join_groups(ctx, rng, direct_users)
    # size the KOC group for the final membership, referred members included
    n_koc = max(2, round(cf.koc_share_of_members * len(members) / DIRECT_MEMBER_SHARE))
    joined = direct_users.loc[members["user_index"]]
    early = joined["day"].to_numpy() < cf.koc_signup_days
    score = np.where(early, joined["engagement"].to_numpy() * rng.random(len(members)) ** 0.3,
                     0)
    members.loc[np.argsort(-score)[:n_koc], "koc"] = True
    return {"direct_members": members}


# ---------------------------------------------------------------- referral (裂变)
def plant_referrals(ctx: Context, rng: np.random.Generator, direct_users: pd.DataFrame,
                    direct_members: pd.DataFrame, direct_visits: pd.DataFrame) -> dict:
    """Invites, invite visits and the users they bring, generation after generation
    (invitees invite too), so that K ≈ k_factor and KOC bring their share.

    Gives `invites` (user_index, seconds, converted), `referral_visits`,
    `referral_users` (numbered after the direct users; `referrer` = inviter) and
    `referral_members` (the group memberships of referred users).
    """
    uf, cf, cal = ctx.scenario.users, ctx.scenario.community, ctx.cal
    q_signup = ctx.scenario.traffic.cvr["referral"]
    per_invite = uf.invite_click * q_signup
    koc_idx = direct_members.loc[direct_members["koc"], "user_index"].to_numpy()
    # KOC invite volume is set once so they bring the planted share of referrals
    base = uf.k_factor * NON_KOC_INVITE_SHARE / per_invite
    others_rate = base * (direct_users["engagement"] ** 0.5).sum() / (1 - uf.k_factor)
    koc_rate = cf.koc_share_of_referrals / (1 - cf.koc_share_of_referrals) * others_rate
    next_user, next_visit = len(direct_users), len(direct_visits)
    invites, visits, users, members = [], [], [], []
    inviters = direct_users
    for generation in range(REFERRAL_GENERATIONS):
        rate = base * inviters["engagement"].to_numpy(float) ** 0.5
        if generation == 0:
            is_koc = np.isin(inviters.index.to_numpy(), koc_idx)
            rate = np.where(is_koc, koc_rate / max(len(koc_idx), 1), rate)
        who = np.repeat(inviters.index.to_numpy(), rng.poisson(rate))
        if who.size == 0:
            break
        start = inviters.loc[who, "seconds"].to_numpy()
        # most people invite soon after joining; KOC keep inviting all along
        remaining = cal.end_second - start
        delay = np.where(np.isin(who, koc_idx), DAY + rng.random(who.size) * (remaining - DAY),
                         (1 + rng.exponential(30, who.size)) * DAY)
        sec = (start + delay).astype("int64")
        sec = (sec // DAY) * DAY + _time_of_day(rng, who.size)
        keep = sec < cal.end_second
        who, sec = who[keep], sec[keep]
        clicked = rng.random(who.size) < uf.invite_click
        signed = clicked & (rng.random(who.size) < q_signup)
        invites.append(pd.DataFrame({"user_index": who, "seconds": sec, "converted": signed}))
        k = int(clicked.sum())
        visit_sec = sec[clicked] + rng.integers(60, 3 * 3600, k)
        vis = pd.DataFrame({"day": visit_sec // DAY,
                            "channel": _codes(np.full(k, CHANNELS.index("referral")), CHANNELS),
                            "landing_page": _codes(np.full(k, PAGES.index("lp_invite")), PAGES),
                            "signed_up": signed[clicked]})
        vis = _visit_details(ctx, rng, vis, seconds=visit_sec)
        vis["day"] = vis["seconds"] // DAY
        vis.index = np.arange(next_visit, next_visit + k)
        next_visit += k
        visits.append(vis)
        signed_vis = vis.loc[vis["signed_up"]]
        new = pd.DataFrame({
            "visit_index": signed_vis.index.to_numpy(),
            "seconds": signed_vis["seconds"].to_numpy() + rng.integers(30, 600, len(signed_vis)),
            "channel": "referral", "landing_page": "lp_invite",
            "device": signed_vis["device"].to_numpy(),
            "referrer": who[clicked][signed[clicked]],
        })
        new = _user_latents(ctx, rng, new)
        new.index = np.arange(next_user, next_user + len(new))
        next_user += len(new)
        users.append(new)
        members.append(_join_groups(ctx, rng, new))
        inviters = new
        if new.empty:
            break
    return {"invites": _stack(invites, ["user_index", "seconds", "converted"],
                              ignore_index=True),
            "referral_visits": _stack(visits, list(direct_visits.columns)),
            "referral_users": _stack(users, list(direct_users.columns)),
            "referral_members": _stack([m for m in members if not m.empty], MEMBER_COLUMNS,
                                       ignore_index=True)}


# ---------------------------------------------------------------- fraud ring (防刷单)
def plant_fraud_ring(ctx: Context, rng: np.random.Generator) -> dict:
    """Accounts that sign up in a burst to farm the new-user coupon, and the few
    devices and IPs they share.

    Gives `fraud_users` and `fraud_visits` numbered from 0 (`people` puts them after
    everyone else), `fraud_devices` and `fraud_ips`.
    """
    af, cal = ctx.scenario.activity, ctx.cal
    n = af.fraud_accounts
    first, last = cal.day(af.fraud_window[0]), cal.day(af.fraud_window[1])
    sec = rng.integers(first * DAY, (last + 1) * DAY, n)
    visits = pd.DataFrame({"day": sec // DAY,
                           "channel": _codes(np.full(n, CHANNELS.index(af.fraud_channel)),
                                             CHANNELS),
                           "landing_page": _codes(_page_b(ctx, rng, n).astype(np.int8), PAGES),
                           "signed_up": True})
    visits = _visit_details(ctx, rng, visits, seconds=sec)
    visits["device"] = _codes(np.full(n, DEVICES.index(af.fraud_device_type)), DEVICES)
    users = pd.DataFrame({"visit_index": np.arange(n), "seconds": sec + 60,
                          "channel": af.fraud_channel,
                          "landing_page": np.asarray(visits["landing_page"], dtype=object),
                          "device": af.fraud_device_type, "referrer": -1})
    users = _user_latents(ctx, rng, users)
    users["engagement"], users["buyer"], users["fraud"] = 0.0, False, True
    devices = _device_ids(rng.integers(16 ** 9, 16 ** 10, af.fraud_devices)).tolist()
    ips = [f"223.104.{rng.integers(1, 250)}.{rng.integers(2, 250)}"
           for _ in range(af.fraud_devices)]
    return {"fraud_users": users, "fraud_visits": visits, "fraud_devices": devices,
            "fraud_ips": ips}


def assemble_people(ctx: Context, direct_users: pd.DataFrame, referral_users: pd.DataFrame,
                    fraud_users: pd.DataFrame, direct_visits: pd.DataFrame,
                    referral_visits: pd.DataFrame, fraud_visits: pd.DataFrame,
                    direct_members: pd.DataFrame, referral_members: pd.DataFrame) -> dict:
    """Everyone who signed up (`people`, indexed by user index), every landing visit
    (`arrivals`) and every membership (`members`); the ring is numbered last.

    Also gives the truths `koc_user_ids` and `fraud_user_ids` (user index + 1, before
    ids are put in signup order).
    """
    users_before = len(direct_users) + len(referral_users)
    visits_before = len(direct_visits) + len(referral_visits)
    fraud_users = fraud_users.set_axis(fraud_users.index + users_before).assign(
        visit_index=fraud_users["visit_index"].to_numpy() + visits_before)
    fraud_visits = fraud_visits.set_axis(fraud_visits.index + visits_before)
    people = pd.concat([direct_users, referral_users, fraud_users]).infer_objects()
    members = pd.concat([direct_members, referral_members], ignore_index=True)
    return {"people": people,
            "arrivals": pd.concat([direct_visits, referral_visits, fraud_visits]),
            "members": members,
            "koc_user_ids": sorted(int(i) + 1 for i in
                                   members.loc[members["koc"].astype(bool), "user_index"]),
            "fraud_user_ids": sorted(int(i) + 1 for i in fraud_users.index)}


def plant_touches(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                  arrivals: pd.DataFrame) -> dict:
    """Earlier visits by the same visitor before a signup (multi-touch paths)."""
    tf, cal = ctx.scenario.traffic, ctx.cal
    cand = people.loc[~people["fraud"] & (people["channel"] != "referral")]
    cand = cand.loc[rng.random(len(cand)) < tf.touch_share]
    n_touch = 1 + rng.binomial(tf.extra_touches_max, tf.extra_touch_p, len(cand))
    signup_visit = np.repeat(cand["visit_index"].to_numpy(), n_touch)
    when = arrivals.loc[signup_visit, "seconds"].to_numpy() - \
        rng.uniform(0.02, tf.touch_lookback_days, signup_visit.size) * DAY
    keep = when >= 0
    signup_visit, when = signup_visit[keep], when[keep]
    names = list(tf.touch_weights)
    w = np.array([tf.touch_weights[c] for c in names])
    chan = rng.choice(len(names), signup_visit.size, p=w / w.sum())
    paused = cal.window(*tf.feed_ads_pause)[(when // DAY).astype(int)]
    keep = ~((np.array(names)[chan] == "feed_ads") & paused)   # no ads, no ad touches
    signup_visit, when, chan = signup_visit[keep], when[keep], chan[keep]
    k = signup_visit.size
    vis = pd.DataFrame({
        "day": (when // DAY).astype(int),
        "channel": _codes(np.array([CHANNELS.index(c) for c in names])[chan], CHANNELS),
        "landing_page": _codes(_page_b(ctx, rng, k).astype(np.int8), PAGES),
        "signed_up": False})
    vis = _visit_details(ctx, rng, vis, seconds=when.astype(np.int64))
    vis["touch_of"] = signup_visit
    vis.index = np.arange(arrivals.index.max() + 1, arrivals.index.max() + 1 + k)
    return {"touch_visits": vis}


# ---------------------------------------------------------------- activity
def plant_activity(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                   members: pd.DataFrame, invites: pd.DataFrame) -> dict:
    """The (user_index, day) pairs on which each user opens the app: a retention curve
    (better after the onboarding change), churn, weekends, 618, group membership and
    the feed-ads pause; inviting counts as active."""
    sc, cal = ctx.scenario, ctx.cal
    uf, cf = sc.users, sc.community
    change = cal.day(uf.onboarding_change)
    weekly = np.where(cal.weekend, uf.weekend_activity, 1.0)
    weekly = weekly / weekly.mean()
    camp = np.ones(cal.n_days)
    for first, last, lift in sc.activity.phases_618.values():
        camp[cal.window(first, last)] = 1.0 + (lift - 1.0) * sc.activity.campaign_activity_share
    m = members.drop_duplicates("user_index").set_index("user_index")
    join = np.full(len(people), 10 ** 6)
    leave = np.full(len(people), 10 ** 6)
    mlift = np.ones(len(people))
    pos = people.index.get_indexer(m.index)
    join[pos] = m["join_day"].to_numpy()
    leave[pos] = np.where(m["leave_day"].to_numpy() >= 0, m["leave_day"].to_numpy(), 10 ** 6)
    mlift[pos] = 1 + cf.member_effect * np.where(
        m["group_type"].to_numpy() == "interest", cf.interest_activity_lift, 1.0)
    sday = people["day"].to_numpy()
    eng = people["engagement"].to_numpy()
    # feed-ads retargeting brings its own users back; the pause switches that off too
    pause = cal.window(*sc.traffic.feed_ads_pause)
    retarget = people["channel"].eq("feed_ads").to_numpy()
    # churn: most users stop for good after a while; engaged users are more often loyal
    loyal = rng.random(len(people)) < np.clip(uf.loyal_share * eng, 0, 0.9)
    lifetime = np.where(loyal, 10 ** 6, rng.exponential(uf.lifetime_days, len(people)))
    parts = [pd.DataFrame({"user_index": people.index.to_numpy(), "day": sday})]
    chunk = 50_000
    for lo in range(0, len(people), chunk):
        hi = min(lo + chunk, len(people))
        span = cal.n_days - sday[lo:hi] - 1
        owner = np.repeat(np.arange(lo, hi), span)
        rel = np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span) + 1
        day = sday[owner] + rel
        r1, rinf, tau = np.where(sday[owner] < change, 1, 0)[None, :] * \
            np.array(uf.curve_before)[:, None] + \
            np.where(sday[owner] < change, 0, 1)[None, :] * np.array(uf.curve_after)[:, None]
        curve = rinf + (r1 - rinf) * np.exp(-(rel - 1) / tau)
        in_group = (day >= join[owner]) & (day < leave[owner])
        p = eng[owner] * curve * weekly[day] * camp[day] * np.where(in_group, mlift[owner], 1.0)
        p = np.where(rel <= lifetime[owner], p, 0.0)
        p = np.where(retarget[owner] & pause[day], p * sc.traffic.retargeting_share, p)
        hit = rng.random(owner.size) < np.minimum(p, MAX_DAILY_ACTIVITY)
        parts.append(pd.DataFrame({"user_index": people.index.to_numpy()[owner[hit]],
                                   "day": day[hit]}))
    inv = invites[["user_index"]].assign(day=invites["seconds"] // DAY)
    return {"active_days": pd.concat(parts + [inv], ignore_index=True).drop_duplicates()}


def plant_refills(ctx: Context, rng: np.random.Generator, people: pd.DataFrame) -> dict:
    """Loyal tea drinkers re-order on their own cycle (复购): (user_index, day) of each."""
    uf, cal = ctx.scenario.users, ctx.cal
    real = people.loc[people["buyer"] & ~people["fraud"]]
    weight = real["propensity"].to_numpy() * real["engagement"].to_numpy()
    n = int(round(uf.refill_share * len(people)))
    pick = rng.choice(len(real), size=min(n, len(real)), replace=False,
                      p=weight / weight.sum())
    who = real.index.to_numpy()[np.sort(pick)]
    cycle = rng.uniform(*uf.refill_cycle_days, who.size)
    signup = people.loc[who, "day"].to_numpy()
    first = signup + rng.exponential(12, who.size)
    k = np.arange(int(cal.n_days / uf.refill_cycle_days[0]) + 2)
    days = first[:, None] + k[None, :] * cycle[:, None] + \
        rng.normal(0, 2, (who.size, k.size))
    # each refill cycle continues with probability refill_keep
    alive = np.cumprod(rng.random((who.size, k.size)) < uf.refill_keep, axis=1)
    ok = (alive == 1) & (days < cal.n_days) & (days >= signup[:, None] + 1)
    owner = np.broadcast_to(who[:, None], days.shape)[ok]
    return {"refill_days": pd.DataFrame({"user_index": owner, "day": days[ok].astype(int)})}


# ---------------------------------------------------------------- experiments
def plant_winback(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                  active_days: pd.DataFrame, refill_days: pd.DataFrame) -> dict:
    """A win-back message to dormant users with a held-out control; the message brings
    some treated users back (`reactivated_days`).

    Gives `winback_assignments` and the truths `winback_treated_rate` and
    `winback_control_rate` (share back within the window).
    """
    uf, cal = ctx.scenario.users, ctx.cal
    d0, window = cal.day(uf.winback_date), uf.winback_window_days
    active = pd.concat([active_days, refill_days], ignore_index=True)
    before = active.loc[active["day"] < d0].groupby("user_index")["day"].max()
    eligible = before.index[(before < d0 - uf.dormant_days).to_numpy()]
    eligible = np.sort(eligible[~people.loc[eligible, "fraud"].to_numpy()].to_numpy())
    holdout = rng.random(eligible.size) < uf.winback_holdout
    treated = eligible[~holdout]
    extra_hit = rng.random(treated.size) < uf.winback_lift / WINBACK_NOT_BACK_ANYWAY
    reactivated = pd.DataFrame({"user_index": treated[extra_hit],
                                "day": d0 + rng.integers(0, window, extra_hit.sum())})
    after = pd.concat([active, reactivated], ignore_index=True)
    back_users = after.loc[(after["day"] >= d0) & (after["day"] < d0 + window), "user_index"]
    back = np.isin(eligible, back_users.unique())
    sent = cal.to_datetime(np.full(eligible.size, d0 * DAY + uf.winback_send_hour * 3600))
    assignments = pd.DataFrame({"experiment": uf.winback_experiment, "user_id": eligible + 1,
                                "variant": np.where(holdout, "holdout", "message"),
                                "assigned_time": sent})
    return {"reactivated_days": reactivated, "winback_assignments": assignments,
            "winback_treated_rate": float(back[~holdout].mean()),
            "winback_control_rate": float(back[holdout].mean())}


# ---------------------------------------------------------------- sessions and events
def plant_sessions(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                   active_days: pd.DataFrame, refill_days: pd.DataFrame,
                   reactivated_days: pd.DataFrame, invites: pd.DataFrame) -> dict:
    """App sessions on every active day and the events in them (signup, app_open, the
    browse → cart → checkout funnel, invites); purchases come with the orders.

    Gives `sessions` (user_index, day, start, signup, session_id, browse, cart,
    checkout) and `app_events` (compact arrays: user_index, session_id, seconds, code).
    """
    uf, cal = ctx.scenario.users, ctx.cal
    active = pd.concat([active_days, refill_days, reactivated_days], ignore_index=True)
    active = active.drop_duplicates().sort_values(["user_index", "day"], ignore_index=True)
    u = active["user_index"].to_numpy()
    day = active["day"].to_numpy()
    signup_sec = people["seconds"].to_numpy()
    upos = people.index.get_indexer(u)
    is_signup_day = day == people["day"].to_numpy()[upos]
    start = np.where(is_signup_day, signup_sec[upos], day * DAY + _time_of_day(rng, u.size))
    # signup day: the visit's session continues in the app; other days may add a 2nd
    second = (~is_signup_day) & (rng.random(u.size) < uf.second_session_share)
    s_user = np.concatenate([u, u[second]])
    s_day = np.concatenate([day, day[second]])
    s_start = np.concatenate([start, day[second] * DAY + _time_of_day(rng, second.sum())])
    s_signup = np.concatenate([is_signup_day, np.zeros(second.sum(), bool)])
    order = np.lexsort((s_user, s_start))   # session ids in time order
    sessions = pd.DataFrame({"user_index": s_user[order], "day": s_day[order],
                             "start": np.minimum(s_start[order], cal.end_second - 3600),
                             "signup": s_signup[order]})
    sessions["session_id"] = np.arange(1, len(sessions) + 1)
    n = len(sessions)
    browse = rng.random(n) < uf.funnel["view_product"]
    cart = browse & (rng.random(n) < uf.funnel["add_to_cart"])
    checkout = cart & (rng.random(n) < uf.funnel["checkout"])
    sessions["browse"], sessions["cart"], sessions["checkout"] = browse, cart, checkout
    # compact arrays: at 1M users this is ~15M rows
    s_user = sessions["user_index"].to_numpy().astype(np.int32)
    s_id = sessions["session_id"].to_numpy().astype(np.int32)
    s_start = sessions["start"].to_numpy().astype(np.int32)
    steps = [(sessions["signup"].to_numpy(), 0), (np.ones(n, bool), 1),
             (browse, STEP_SECONDS["view_product"]), (cart, STEP_SECONDS["add_to_cart"]),
             (checkout, STEP_SECONDS["checkout"])]
    idx = [np.flatnonzero(mask) for mask, _ in steps]
    # an invite belongs to the inviter's first session that day, if any, after its start
    width = cal.n_days + 1
    s_key = s_user.astype(np.int64) * width + sessions["day"].to_numpy()
    keys, first = np.unique(s_key, return_index=True)      # first = earliest (time order)
    i_user = invites["user_index"].to_numpy()
    i_sec = invites["seconds"].to_numpy()
    i_key = i_user.astype(np.int64) * width + i_sec // DAY
    pos = np.clip(np.searchsorted(keys, i_key), 0, max(keys.size - 1, 0))
    found = keys[pos] == i_key if keys.size else np.zeros(i_key.size, bool)
    session_of = np.where(found, s_id[first[pos]], 0)
    i_sec = np.where(found, np.maximum(i_sec, s_start[first[pos]] + 120), i_sec)
    app_events = pd.DataFrame({
        "user_index": np.concatenate([s_user[i] for i in idx] + [i_user.astype(np.int32)]),
        "session_id": np.concatenate([s_id[i] for i in idx] + [session_of.astype(np.int32)]),
        "seconds": np.concatenate([s_start[i] + off for i, (_, off) in zip(idx, steps)]
                                  + [i_sec.astype(np.int32)]),
        "code": np.concatenate([np.full(i.size, c, np.int8) for c, i in enumerate(idx)]
                               + [np.full(i_sec.size, EVENTS.index("invite"), np.int8)]),
    })
    return {"sessions": sessions, "app_events": app_events}


def _first_seen(people: pd.DataFrame, sessions: pd.DataFrame, first: int, last: int
                ) -> pd.Series:
    """Each real (non-fraud) user's first session start in days first..last."""
    inside = sessions.loc[(sessions["day"] >= first) & (sessions["day"] <= last)]
    seen = inside.groupby("user_index")["start"].min()
    return seen[~people.loc[seen.index, "fraud"].to_numpy()]


def plant_checkout_test(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                        sessions: pd.DataFrame) -> dict:
    """The checkout-button A/B test on returning users, assigned at their first session
    in the window; gives `checkout_assignments` and `checkout_b_users` (user indices:
    their purchases get `ab_purchase_mult` during the window)."""
    af, cal = ctx.scenario.activity, ctx.cal
    first = cal.day(af.ab_window[0])
    seen = _first_seen(people, sessions, first, cal.day(af.ab_window[1]))
    # returning customers only: each has a pre-period (for CUPED) before the test
    seen = seen[people.loc[seen.index, "day"].to_numpy() < first - af.ab_min_tenure_days]
    variant_b = rng.random(len(seen)) < af.ab_share_b
    assignments = pd.DataFrame({"experiment": af.ab_experiment, "user_id": seen.index + 1,
                                "variant": np.where(variant_b, "B", "A"),
                                "assigned_time": cal.to_datetime(seen.to_numpy())})
    return {"checkout_assignments": assignments,
            "checkout_b_users": seen.index.to_numpy()[variant_b]}


def plant_coupon_banner(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                        sessions: pd.DataFrame) -> dict:
    """A banner test whose assignment is broken (sample-ratio mismatch); it changes
    nothing else. Gives `banner_assignments` and the truth `srm_share_b`."""
    af, cal = ctx.scenario.activity, ctx.cal
    seen = _first_seen(people, sessions, *(cal.day(d) for d in af.srm_window))
    banner_b = rng.random(len(seen)) < af.srm_share_b
    assignments = pd.DataFrame({"experiment": af.srm_experiment, "user_id": seen.index + 1,
                                "variant": np.where(banner_b, "B", "A"),
                                "assigned_time": cal.to_datetime(seen.to_numpy())})
    return {"banner_assignments": assignments, "srm_share_b": float(banner_b.mean())}


# ---------------------------------------------------------------- orders
def plant_home_devices(ctx: Context, rng: np.random.Generator, people: pd.DataFrame) -> dict:
    """Each user's own phone and home network (numbers; orders format them)."""
    n = len(people)
    return {"home_devices": pd.DataFrame({"device": rng.integers(16 ** 9, 16 ** 10, n),
                                          "ip": rng.integers(0, _ip_pool(n), n)},
                                         index=people.index)}


def plant_orders(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                 members: pd.DataFrame, sessions: pd.DataFrame, checkout_b_users: np.ndarray,
                 refill_days: pd.DataFrame, home_devices: pd.DataFrame) -> dict:
    """Real customers' orders: buyers buy in sessions (more when new, in a deals group,
    in arm B of the checkout test, and in campaigns), refills stock up, coupons apply.

    Gives `shop_orders` (user_index, session_id, seconds, items, gmv, discount,
    coupon_code, campaign_id, device_id, ip).
    """
    sc, cal = ctx.scenario, ctx.cal
    uf, af, cf = sc.users, sc.activity, sc.community
    ui = sessions["user_index"].to_numpy()
    day = sessions["day"].to_numpy()
    upos = people.index.get_indexer(ui)
    deal_members = members.loc[members["group_type"] == "deals", ["user_index", "join_day"]]
    deal_join = pd.Series(deal_members["join_day"].to_numpy(),
                          index=deal_members["user_index"].to_numpy())
    deal_join = deal_join[~deal_join.index.duplicated()]
    dj = deal_join.reindex(ui).fillna(10 ** 6).to_numpy()
    in_test = (day >= cal.day(af.ab_window[0])) & (day <= cal.day(af.ab_window[1]))
    abm = np.where(in_test & np.isin(ui, checkout_b_users), af.ab_purchase_mult, 1.0)
    signup_day = people["day"].to_numpy()
    value = people["value"].to_numpy()
    new_user = (day - signup_day[upos]) < uf.new_user_days
    p = (uf.purchase_prob * people["propensity"].to_numpy()[upos]
         * people["buyer"].to_numpy()[upos]
         * np.where(day >= dj, cf.deals_purchase_lift, 1.0) * abm
         * np.where(new_user, uf.new_user_purchase_lift, 1.0))
    first_today = ~pd.MultiIndex.from_arrays([ui, day]).duplicated()
    refill = first_today & pd.MultiIndex.from_arrays([ui, day]).isin(
        pd.MultiIndex.from_arrays([refill_days["user_index"], refill_days["day"]]))
    # expected order values in units of aov_median: a regular order and a gift's extra
    session_value = value[upos]
    regular_order = np.exp(uf.aov_sigma ** 2 / 2)
    gift_extra = uf.gift_order_share * np.mean(uf.gift_extra_cny) / uf.aov_median

    def expected_gmv(sessions: np.ndarray) -> Callable[[float], float]:
        """Expected GMV (in aov_median) of the masked sessions, as a function of the
        purchase multiplier: refills stock up by it, other buys become likelier."""
        v, r, odds = session_value[sessions], refill[sessions], p[sessions]
        regular = v * regular_order + gift_extra
        second = uf.second_order_share * regular

        def at(mult: float) -> float:
            bought = np.where(r, 1.0, np.minimum(odds * mult, MAX_PURCHASE_PROB))
            first = np.where(r, uf.refill_size * mult * v + gift_extra, regular)
            return float((bought * (first + second)).sum())
        return at

    campaign_mult, campaign_id = _campaign_days(ctx, day, expected_gmv)
    buy = rng.random(ui.size) < np.minimum(p * campaign_mult[day], MAX_PURCHASE_PROB)
    buy |= refill
    s = sessions.assign(refill=refill).loc[buy]
    s = s.loc[s.index.repeat(1 + (rng.random(len(s)) < uf.second_order_share))]
    n = len(s)
    upos = people.index.get_indexer(s["user_index"].to_numpy())
    sday = s["day"].to_numpy()
    gmv = uf.aov_median * value[upos] * \
        _lognormal_mean_one(rng, uf.aov_sigma, n) * np.exp(uf.aov_sigma ** 2 / 2)
    is_refill = s["refill"].to_numpy() & ~pd.Series(s.index).duplicated().to_numpy()
    # loyal drinkers stock up (囤货) during campaigns instead of ordering more often
    gmv = np.where(is_refill, uf.aov_median * uf.refill_size * campaign_mult[sday]
                   * value[upos] * _lognormal_mean_one(rng, 0.15, n), gmv)
    gift = rng.random(n) < uf.gift_order_share
    gmv = np.round(np.where(gift, gmv + rng.uniform(*uf.gift_extra_cny, n), gmv), 1)
    items = np.maximum(1, np.round(gmv / uf.cny_per_item + rng.normal(0, .5, n))).astype(int)
    new_user = (sday - signup_day[upos]) < uf.new_user_days
    camp = campaign_id[sday]
    coupon = np.full(n, "", dtype=object)
    discount = np.zeros(n)
    first_of_user = ~pd.Series(s["user_index"].to_numpy()).duplicated().to_numpy()
    use_new = new_user & first_of_user & (rng.random(n) < af.new_user_coupon_use) & \
        (gmv >= af.new_user_coupon_min)
    coupon[use_new], discount[use_new] = af.new_user_coupon, af.new_user_discount
    is618 = np.char.startswith(camp.astype(str), "618") & ~use_new & \
        (rng.random(n) < af.coupon_618_use)
    coupon[is618], discount[is618] = af.coupon_618, np.round(gmv[is618] * af.discount_618, 1)
    launch = (camp == "new_tea_launch") & ~use_new & (rng.random(n) < af.launch_coupon_use) & \
        (gmv >= af.launch_coupon_min)
    coupon[launch], discount[launch] = af.launch_coupon, af.launch_discount
    seconds = s["start"].to_numpy() + 300 + rng.integers(0, 240, n)
    # most orders come from the user's own phone and home network
    home = home_devices.iloc[upos]
    device = np.where(rng.random(n) < af.other_device_share, home["device"].to_numpy() + 1,
                      home["device"].to_numpy())
    ipn = np.where(rng.random(n) < af.other_ip_share, rng.integers(0, _ip_pool(len(people)), n),
                   home["ip"].to_numpy())
    ip = np.char.add(np.char.add("113.", np.char.mod("%d", 64 + ipn // 65536 % 150)),
                     np.char.add(np.char.add(".", np.char.mod("%d", ipn // 256 % 256)),
                                 np.char.add(".", np.char.mod("%d", ipn % 256))))
    return {"shop_orders": pd.DataFrame({
        "user_index": s["user_index"].to_numpy(), "session_id": s["session_id"].to_numpy(),
        "seconds": seconds, "items": items, "gmv": gmv, "discount": discount,
        "coupon_code": coupon, "campaign_id": camp, "device_id": _device_ids(device),
        "ip": ip.astype(object)})}


def plant_fraud_orders(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                       sessions: pd.DataFrame, fraud_devices: list, fraud_ips: list) -> dict:
    """Each ring account places one small order with the new-user coupon at signup,
    from one of the ring's devices and IPs."""
    af = ctx.scenario.activity
    fraud_idx = people.index[people["fraud"]].to_numpy()
    s = sessions.loc[sessions["user_index"].isin(fraud_idx) & sessions["signup"]]
    n, k_devices = len(s), len(fraud_devices)
    # accounts by phone: the main one holds its share, the others split the rest
    weights = np.full(k_devices, (1 - af.fraud_main_device_share) / max(k_devices - 1, 1))
    weights[0] = af.fraud_main_device_share
    quantile = (np.arange(n) + 0.5) / max(n, 1)
    device = rng.permutation(np.searchsorted(np.cumsum(weights) / weights.sum(), quantile))
    ip = rng.integers(0, len(fraud_ips), n)
    return {"fraud_orders": pd.DataFrame({
        "user_index": s["user_index"].to_numpy(), "session_id": s["session_id"].to_numpy(),
        "seconds": s["start"].to_numpy() + rng.integers(60, 180, n), "items": 1,
        "gmv": np.round(rng.uniform(*af.fraud_order_gmv, n), 1),
        "discount": af.new_user_discount, "coupon_code": af.new_user_coupon,
        "campaign_id": "", "device_id": np.array(fraud_devices, dtype=object)[device],
        "ip": np.array(fraud_ips, dtype=object)[ip]})}


def assemble_orders(ctx: Context, shop_orders: pd.DataFrame, fraud_orders: pd.DataFrame
                    ) -> dict:
    """All orders in time order with ids and paid amounts: `order_book` (with
    user_index and seconds, for points and events) and the `orders` table."""
    book = pd.concat([shop_orders, fraud_orders], ignore_index=True)
    book = book.sort_values(["seconds", "user_index"], ignore_index=True)
    book["paid"] = np.round(book["gmv"] - book["discount"], 2)
    book["order_id"] = np.arange(1, len(book) + 1)
    book["user_id"] = book["user_index"] + 1
    orders = pd.DataFrame({
        "order_id": book["order_id"].to_numpy(), "user_id": book["user_id"].to_numpy(),
        "order_time": ctx.cal.to_datetime(book["seconds"].to_numpy()),
        "session_id": book["session_id"].to_numpy(), "items": book["items"].to_numpy(),
        "gmv": book["gmv"].to_numpy(), "discount": book["discount"].to_numpy(),
        "paid": book["paid"].to_numpy(),
        "coupon_code": book["coupon_code"].replace("", np.nan).to_numpy(),
        "campaign_id": book["campaign_id"].replace("", np.nan).to_numpy(),
        "device_id": book["device_id"].to_numpy(), "ip": book["ip"].to_numpy()})
    return {"order_book": book, "orders": orders}


def assemble_events(ctx: Context, app_events: pd.DataFrame, sessions: pd.DataFrame,
                    order_book: pd.DataFrame) -> dict:
    """The `events` table: app events plus, for sessions that bought, the funnel steps
    they skipped and a purchase per order (with its revenue)."""
    bought = sessions.loc[sessions["session_id"].isin(order_book["session_id"])]
    cols = {c: [app_events[c].to_numpy()] for c in ("user_index", "session_id", "seconds",
                                                     "code")}
    for name, flag in (("view_product", "browse"), ("add_to_cart", "cart"),
                       ("checkout", "checkout")):
        need = bought.loc[~bought[flag]]
        cols["user_index"].append(need["user_index"].to_numpy().astype(np.int32))
        cols["session_id"].append(need["session_id"].to_numpy().astype(np.int32))
        cols["seconds"].append((need["start"].to_numpy() + STEP_SECONDS[name]).astype(np.int32))
        cols["code"].append(np.full(len(need), EVENTS.index(name), np.int8))
    cols["user_index"].append(order_book["user_index"].to_numpy().astype(np.int32))
    cols["session_id"].append(order_book["session_id"].to_numpy().astype(np.int32))
    cols["seconds"].append(order_book["seconds"].to_numpy().astype(np.int32))
    cols["code"].append(np.full(len(order_book), EVENTS.index("purchase"), np.int8))
    arr = {c: np.concatenate(v) for c, v in cols.items()}
    del cols
    revenue = np.full(arr["code"].size, np.nan)
    revenue[arr["code"].size - len(order_book):] = order_book["paid"].to_numpy()
    # one int64 sort key: time, then user, then funnel order (EVENTS is in that order)
    n_users = int(arr["user_index"].max()) + 1
    key = (arr["seconds"].astype(np.int64) * n_users + arr["user_index"]) * 8 + arr["code"]
    order = np.argsort(key, kind="stable")
    del key
    return {"events": pd.DataFrame({
        "user_id": arr["user_index"][order] + 1,
        "event_time": ctx.cal.to_datetime(arr["seconds"][order]),
        "event": pd.Categorical.from_codes(arr["code"][order], EVENTS),
        "session_id": _ids_or_na(arr["session_id"][order]),
        "revenue": np.round(revenue[order], 2),
    })}


# ---------------------------------------------------------------- community
def plant_community_daily(ctx: Context, rng: np.random.Generator, members: pd.DataFrame
                          ) -> dict:
    """Members' days with messages or check-ins: bursty groups, fading novelty, KOC who
    talk a lot, and the check-in challenge that lifts its groups and then decays."""
    cf, cal = ctx.scenario.community, ctx.cal
    groups = [g[0] for g in phrases.GROUPS]
    gpos = {g: i for i, g in enumerate(groups)}
    # bursty group days: some days a group blows up
    sigma = cf.group_day_sigma
    burst = np.exp(rng.normal(-sigma ** 2 / 2, sigma, (len(groups), cal.n_days)))
    ch_first, ch_last = cal.day(cf.challenge[0]), cal.day(cf.challenge[1])
    days = np.arange(cal.n_days)
    after = np.clip(days - ch_last, 0, None)
    challenge_curve = np.where(
        (days >= ch_first) & (days <= ch_last), cf.challenge_lift,
        np.where(days > ch_last, 1 + (cf.challenge_lift - 1)
                 * np.exp(-after / cf.challenge_decay_days), 1))
    in_challenge = np.array([g in phrases.CHALLENGE_GROUPS for g in groups])
    end = np.where(members["leave_day"] >= 0, members["leave_day"], cal.n_days)
    span = np.maximum(end - members["join_day"].to_numpy(), 0)
    owner = np.repeat(np.arange(len(members)), span)
    day = members["join_day"].to_numpy()[owner] + \
        np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    g = members["group_id"].map(gpos).to_numpy()[owner]
    tenure = day - members["join_day"].to_numpy()[owner]
    koc = members["koc"].to_numpy(bool)[owner]
    base = members["group_type"].map(cf.daily_activity).to_numpy()[owner]
    lift = np.where(in_challenge[g], challenge_curve[day], 1.0)
    p = base * burst[g, day] * lift * (0.55 + 0.45 * np.exp(-tenure / 45)) * \
        np.where(koc, cf.koc_activity_lift, 1.0)
    active = rng.random(owner.size) < np.minimum(p, MAX_GROUP_ACTIVITY)
    owner, day, g, koc = owner[active], day[active], g[active], koc[active]
    n = owner.size
    shape = 1.2   # negative binomial: most active days have a message or two, a few many
    messages = rng.negative_binomial(shape, shape / (shape + cf.messages_per_active_day), n) * \
        np.where(koc, cf.koc_message_lift, 1)
    in_window = in_challenge[g] & (day >= ch_first) & (day <= ch_last)
    checkins = (rng.random(n) < np.where(in_window, cf.challenge_checkin_share,
                                         cf.checkin_share)).astype(int)
    messages = np.where((messages == 0) & (checkins == 0), 1, messages)
    replies = rng.poisson(messages * np.where(koc, cf.koc_reply_rate, cf.reply_rate))
    out = pd.DataFrame({
        "date": cal.to_date(day), "group_id": np.array(groups)[g],
        "user_id": members["user_index"].to_numpy()[owner] + 1,
        "messages": messages, "checkins": checkins, "replies_received": replies})
    return {"community_daily": out.sort_values(["date", "group_id", "user_id"],
                                               ignore_index=True),
            "challenge_groups": list(phrases.CHALLENGE_GROUPS)}


def plant_points(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                 order_book: pd.DataFrame, community_daily: pd.DataFrame) -> dict:
    """The points ledger (会员积分): earned at signup, per paid CNY and per check-in,
    redeemed later by some users with enough points; the tier at each entry."""
    cf, cal = ctx.scenario.community, ctx.cal
    signup = pd.DataFrame({"user_index": people.index.to_numpy(),
                           "seconds": people["seconds"].to_numpy() + 5,
                           "points": cf.signup_points, "reason": "signup_bonus"})
    paid = order_book.loc[~order_book["user_index"].isin(people.index[people["fraud"]])]
    order_pts = pd.DataFrame({"user_index": paid["user_index"].to_numpy(),
                              "seconds": paid["seconds"].to_numpy() + 60,
                              "points": np.floor(paid["paid"].to_numpy()
                                                 * cf.points_per_cny).astype(int),
                              "reason": "order"})
    ck = community_daily.loc[community_daily["checkins"] > 0]
    ck_sec = (ck["date"].to_numpy() - cal.start).astype("timedelta64[D]").astype(int) * DAY
    checkin_pts = pd.DataFrame({"user_index": ck["user_id"].to_numpy() - 1,
                                "seconds": ck_sec + 9 * 3600 + rng.integers(0, 12 * 3600,
                                                                            len(ck)),
                                "points": cf.checkin_points, "reason": "checkin"})
    earned = pd.concat([signup, order_pts, checkin_pts], ignore_index=True)
    # redemptions: users with enough points turn some into coupons or gifts, later
    total = earned.groupby("user_index")["points"].sum()
    cand = total[total >= cf.redeem_min_points]
    redeem = rng.random(len(cand)) < np.clip(cf.redeem_share * REDEEMERS_PER_REDEEM_SHARE, 0, 1)
    cand = cand[redeem]
    amount = (np.floor(cand.to_numpy() * rng.uniform(0.4, 0.9, len(cand)) / 100) * 100)
    last = earned.groupby("user_index")["seconds"].max().reindex(cand.index).to_numpy()
    when = last + rng.integers(1, 20, len(cand)) * DAY
    keep = (when < cal.end_second) & (amount > 0)
    red = pd.DataFrame({"user_index": cand.index.to_numpy()[keep], "seconds": when[keep],
                        "points": -amount[keep].astype(int),
                        "reason": np.where(amount[keep] >= cf.gift_redeem_points,
                                           "redeem_gift", "redeem_coupon")})
    ledger = pd.concat([earned, red], ignore_index=True)
    ledger = ledger.sort_values(["seconds", "user_index"], ignore_index=True)
    # tier at the time of the entry, from cumulative paid amount (CNY)
    spend = order_pts.assign(cny=order_pts["points"] / cf.points_per_cny)
    spend = spend.sort_values("seconds")
    spend["cum"] = spend.groupby("user_index")["cny"].cumsum()
    ledger = pd.merge_asof(ledger, spend[["seconds", "user_index", "cum"]],
                           on="seconds", by="user_index", direction="backward")
    cum = ledger["cum"].fillna(0).to_numpy()
    tiers = cf.tier_thresholds
    tier = np.select([cum >= tiers["gold"], cum >= tiers["silver"]], ["gold", "silver"],
                     "bronze")
    return {"points_ledger": pd.DataFrame({
        "user_id": ledger["user_index"].to_numpy() + 1,
        "event_time": cal.to_datetime(ledger["seconds"].to_numpy()),
        "points": ledger["points"].to_numpy(),
        "reason": ledger["reason"].to_numpy(), "tier": tier})}


# ---------------------------------------------------------------- user voice (用户之声)
def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _base_log_odds(target: float, shifts: np.ndarray, weights: np.ndarray) -> float:
    """The log-odds b whose average of expit(b + shifts), weighted, is `target`."""
    lo, hi = -12.0, 12.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.average(_expit(mid + shifts), weights=weights) < target \
            else (lo, mid)
    return (lo + hi) / 2


def _feedback_authors(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                      order_book: pd.DataFrame, seconds: np.ndarray, source: np.ndarray
                      ) -> np.ndarray:
    """Who wrote each feedback item (user index): app reviews come from any user signed
    up before, comments from the buyer of a recent order, service chats mostly so, and
    survey answers from buyers weighted towards those with many orders before."""
    vf = ctx.scenario.voice
    n = seconds.size
    real = people.loc[~people["fraud"]]
    by_signup = np.argsort(real["seconds"].to_numpy(), kind="stable")
    signup = real["seconds"].to_numpy()[by_signup]
    anyone = real.index.to_numpy()[by_signup]
    ob = order_book.loc[~order_book["user_index"].isin(people.index[people["fraud"]])]
    o_sec = ob["seconds"].to_numpy()                      # order_book is in time order
    o_user = ob["user_index"].to_numpy()
    before = np.searchsorted(o_sec, seconds, side="left")   # orders strictly before
    width = np.int64(ctx.cal.end_second + 1)
    user_key = np.sort(o_user.astype(np.int64) * width + o_sec)

    def prior_orders(users: np.ndarray, at: np.ndarray) -> np.ndarray:
        base = users.astype(np.int64) * width
        return (np.searchsorted(user_key, base + at, side="left")
                - np.searchsorted(user_key, base, side="left"))

    upto = np.maximum(np.searchsorted(signup, seconds, side="left"), 1)
    who = anyone[(rng.random(n) * upto).astype(int)]

    def recent(rows: np.ndarray, days: int) -> None:
        hi = before[rows]
        lo = np.searchsorted(o_sec, seconds[rows] - days * DAY, side="left")
        lo = np.where(hi > lo, lo, 0)                     # none that recent: any earlier one
        has = hi > 0
        pick = lo + (rng.random(rows.size) * (hi - lo)).astype(int)
        who[rows[has]] = o_user[pick[has]]

    recent(np.flatnonzero(source == "comment"), vf.comment_days)
    chat = np.flatnonzero(source == "service_chat")
    recent(chat[rng.random(chat.size) < vf.chat_buyer_share], vf.chat_days)
    survey = np.flatnonzero((source == "survey") & (before > 0))
    todo = survey
    for _ in range(60):                                   # accept ∝ min(1, k / loyal)
        if todo.size == 0:
            break
        cand = o_user[(rng.random(todo.size) * before[todo]).astype(int)]
        who[todo] = cand
        k = prior_orders(cand, seconds[todo])
        todo = todo[rng.random(todo.size) >= np.minimum(1.0, k / vf.survey_loyal_orders)]
    return who


def plant_feedback(ctx: Context, rng: np.random.Generator, people: pd.DataFrame,
                   order_book: pd.DataFrame) -> dict:
    """Survey answers, reviews, comments and service chats in Chinese: a theme each,
    complaints about shipping jump from the surge date, and each source has its own
    writers (source bias): service chats come from people with a problem, survey
    answers from loyal buyers, app reviews are polarised. Gives `feedback` and the truth
    `feedback_theme`."""
    vf, cal = ctx.scenario.voice, ctx.cal
    n = int(round(vf.n_feedback * ctx.scale))
    day = np.sort(rng.integers(0, cal.n_days, n))
    seconds = day * DAY + _time_of_day(rng, n)
    first_signup = int(people.loc[~people["fraud"], "seconds"].min())
    seconds = np.maximum(seconds, first_signup + 600)     # someone has signed up by then
    surge = day >= cal.day(vf.shipping_surge_date)
    themes = np.array(THEMES)
    shipping = THEMES.index("shipping")
    base = np.array([vf.theme_share[t] for t in THEMES])
    after = base * (1 - vf.shipping_share_after) / (1 - base[shipping])
    after[shipping] = vf.shipping_share_after
    theme = np.where(surge, rng.choice(len(THEMES), n, p=after),
                     rng.choice(len(THEMES), n, p=base))
    source = _draw(rng, vf.source_mix, n)
    who = _feedback_authors(ctx, rng, people, order_book, seconds, source)
    # complaint odds: the source's base, shifted for shipping (more after the surge);
    # each source's base is solved so its half-year complaint share is as planted
    shift = np.zeros((2, len(THEMES)))
    shift[0, shipping] = _logit(vf.shipping_complaint_share) - _logit(vf.complaint_share)
    shift[1, shipping] = _logit(vf.shipping_complaint_share_after) - _logit(vf.complaint_share)
    share_after = 1 - cal.day(vf.shipping_surge_date) / cal.n_days
    mix = np.vstack([base * (1 - share_after), after * share_after])
    log_odds = {s: _base_log_odds(p, shift.ravel(), mix.ravel())
                for s, p in vf.source_complaint_share.items()}
    odds = np.array([log_odds[s] for s in source]) + shift[surge.astype(int), theme]
    complaint = rng.random(n) < _expit(odds)
    texts = np.empty(n, dtype=object)
    for t_i, t in enumerate(THEMES):
        for kind, flag in (("complaint", True), ("praise", False)):
            mask = (theme == t_i) & (complaint == flag)
            k = mask.sum()
            texts[mask] = (_pick(rng, phrases.FEEDBACK_OPENINGS, k)
                           + _pick(rng, phrases.FEEDBACK_PHRASES[t][kind], k)
                           + _pick(rng, phrases.FEEDBACK_CLOSINGS, k))
    score = np.empty(n, np.int64)
    for s, (low, high) in vf.source_scores.items():
        for flag, options, p in ((True, [1, 2, 3], low), (False, [4, 5], high)):
            mask = (source == s) & (complaint == flag)
            score[mask] = rng.choice(options, mask.sum(), p=np.asarray(p) / np.sum(p))
    fb = pd.DataFrame({"feedback_id": np.arange(1, n + 1), "user_id": who + 1,
                       "created_time": cal.to_datetime(seconds), "source": source,
                       "score": score, "text": texts})
    return {"feedback": fb,
            "feedback_theme": dict(zip(fb["feedback_id"].tolist(), themes[theme].tolist()))}


# ---------------------------------------------------------------- content (内容)
def plant_posts(ctx: Context, rng: np.random.Generator) -> dict:
    """Our posts and two competitors' on five platforms, with reach and engagement:
    prime-time videos complete more, tea_health is shared more, number titles are
    clicked more, one post goes viral, some titles break the advertising law.

    Gives `posts` and the truths `viral_post_id` and `banned_post_ids`.
    """
    cf, cal = ctx.scenario.content, ctx.cal
    fmt_by_platform = {"wechat": "article", "xiaohongshu": "image_note",
                       "douyin": "short_video", "bilibili": "long_video", "zhihu": "answer"}
    rows = []
    for account in ("chayu",) + tuple(cf.competitor_names):
        share = 1.0 if account == "chayu" else cf.competitor_post_share
        for platform in PLATFORMS:
            rate = cf.xhs_posts_per_week[account] if platform == "xiaohongshu" else \
                cf.posts_per_week[platform] * share
            n = rng.poisson(rate * cal.n_days / 7)
            rows.append(pd.DataFrame({"account": account, "platform": platform,
                                      "day": np.sort(rng.integers(0, cal.n_days, n))}))
    posts = pd.concat(rows, ignore_index=True)
    n = len(posts)
    posts["format"] = posts["platform"].map(fmt_by_platform)
    posts["seconds"] = posts["day"] * DAY + _time_of_day(rng, n, POST_HOUR_WEIGHTS)
    hour = posts["seconds"] % DAY // 3600
    topic = _draw(rng, cf.topic_mix, n)
    subject = np.array([phrases.TITLE_SUBJECTS[t][i % len(phrases.TITLE_SUBJECTS[t])]
                        for t, i in zip(topic, rng.integers(0, 100, n))], dtype=object)
    kind = rng.random(n)
    has_number = kind < cf.number_title_share
    banned = (kind > 1 - cf.banned_title_share)
    pattern = np.where(has_number, _pick(rng, phrases.TITLE_NUMBER_PATTERNS, n),
                       np.where(banned, _pick(rng, phrases.BANNED_TITLE_PATTERNS, n),
                                _pick(rng, phrases.TITLE_PLAIN_PATTERNS, n)))
    number = rng.choice([3, 5, 6, 7, 8, 10], n)
    titles = [p.format(n=k, s=s) for p, k, s in zip(pattern, number, subject)]
    emoji = rng.random(n) < 0.15
    titles = np.where(emoji, np.char.add(np.array(titles, dtype=str), "🍵"), titles)
    posts["title"], posts["topic"] = titles, topic
    posts["banned"] = banned
    outgrower_xhs = ((posts["account"] == cf.outgrower)
                     & (posts["platform"] == "xiaohongshu")).to_numpy()
    growth = 1 + np.where(outgrower_xhs, cf.outgrower_reach_growth, cf.reach_growth) * \
        posts["day"].to_numpy() / cal.n_days
    impressions = np.array(posts["platform"].map(cf.impressions)
                           * posts["account"].map(cf.followers)
                           * growth * np.exp(rng.normal(0, 0.45, n)), float)
    ctr = cf.read_ctr * np.where(has_number, cf.number_title_ctr_lift, 1.0) * \
        np.exp(rng.normal(0, 0.15, n))
    reads = impressions * ctr
    mine = np.flatnonzero(posts["account"].eq("chayu").to_numpy()
                          & posts["platform"].eq(cf.viral_platform).to_numpy()
                          & (posts["day"].to_numpy() > cf.viral_after_day) & ~banned)
    viral = int(mine[rng.integers(0, mine.size)])
    plat_median = pd.Series(reads).groupby(posts["platform"]).transform("median")
    reads[viral] = plat_median.iloc[viral] * cf.viral_multiple * 1.1
    posts["viral"] = np.arange(n) == viral
    impressions[viral] = reads[viral] / ctr[viral]
    fmt = posts["format"].to_numpy()
    video = np.isin(fmt, list(cf.completion))
    duration = np.zeros(n, dtype=np.int64)
    completion = np.full(n, np.nan)
    prime = ((hour >= 20) & (hour < 22)).to_numpy()
    for video_format, (shortest, longest) in cf.video_seconds.items():
        rows_f = fmt == video_format
        duration[rows_f] = rng.integers(shortest, longest, rows_f.sum())
    noise = np.exp(rng.normal(0, 0.18, n))
    for video_format, level in cf.completion.items():
        rows_f = fmt == video_format
        completion[rows_f] = np.clip(level * np.where(prime[rows_f],
                                                      cf.prime_time_completion_lift, 1.0)
                                     * noise[rows_f], 0.01, 0.95)
    length = np.where(video, 0, np.where(outgrower_xhs, rng.integers(*cf.short_note_length, n),
                                         rng.integers(*cf.text_length, n)))
    share_rate = cf.share_rate * np.where(topic == "tea_health", cf.health_share_lift, 1.0) * \
        np.where(fmt == "short_video", cf.short_video_share_lift, 1.0) * \
        np.exp(rng.normal(0, 0.3, n))
    reads_i = np.round(reads).astype(int)
    follow_rate = np.where(posts["account"] == cf.outgrower, cf.outgrower_follow_rate,
                           cf.follow_rate)
    posts = posts.assign(
        impressions=np.round(impressions).astype(int), reads=reads_i,
        completion_rate=np.round(completion, 4),
        likes=rng.binomial(reads_i, cf.like_rate), shares=rng.binomial(reads_i, share_rate),
        comments=rng.binomial(reads_i, cf.comment_rate),
        saves=rng.binomial(reads_i, cf.save_rate),
        follows=rng.binomial(reads_i, follow_rate),
        duration_sec=duration, text_length=length)
    posts = posts.sort_values(["seconds", "account", "platform"], ignore_index=True)
    posts["post_id"] = np.arange(1, n + 1)
    table = pd.DataFrame({
        "post_id": posts["post_id"], "account": posts["account"],
        "platform": posts["platform"], "publish_time": cal.to_datetime(posts["seconds"]),
        "format": posts["format"], "topic": posts["topic"], "title": posts["title"],
        "text_length": posts["text_length"], "duration_sec": posts["duration_sec"],
        "impressions": posts["impressions"], "reads": posts["reads"],
        "completion_rate": posts["completion_rate"], "likes": posts["likes"],
        "shares": posts["shares"], "comments": posts["comments"], "saves": posts["saves"],
        "follows": posts["follows"]})
    return {"posts": table,
            "viral_post_id": int(posts.loc[posts["viral"], "post_id"].iloc[0]),
            "banned_post_ids": posts.loc[posts["banned"], "post_id"].tolist()}


# ---------------------------------------------------------------- spend and campaigns
def plant_channel_daily(ctx: Context, rng: np.random.Generator, arrivals: pd.DataFrame,
                        touch_visits: pd.DataFrame, paid_volume: dict) -> dict:
    """Spend, impressions and clicks per channel and day: clicks from visits, CPC
    rising (SEM steeply), diminishing returns on budget swings, invite rewards."""
    tf, cal = ctx.scenario.traffic, ctx.cal
    visits = pd.concat([arrivals[["channel", "day", "signed_up"]],
                        touch_visits[["channel", "day", "signed_up"]]])
    counts = visits.groupby(["channel", "day"], observed=True).size()
    signups = visits.loc[visits["signed_up"]].groupby(["channel", "day"], observed=True).size()
    idx = pd.MultiIndex.from_product([list(CHANNELS), range(cal.n_days)],
                                     names=["channel", "day"])
    v = counts.reindex(idx, fill_value=0).to_numpy()
    su = signups.reindex(idx, fill_value=0).to_numpy()
    ch = idx.get_level_values(0).to_numpy()
    day = idx.get_level_values(1).to_numpy()
    clicks = np.round(v / tf.landed_click_share + rng.normal(0, np.sqrt(v + 1) * 0.3)).astype(int)
    clicks = np.maximum(clicks, v)
    ctr = pd.Series(ch).map({**tf.ctr, "referral": tf.referral_ctr}).to_numpy()
    impressions = np.round(clicks / ctr * np.exp(rng.normal(0, 0.08, v.size))).astype(int)
    t = day / (cal.n_days - 1)
    cpc_start = pd.Series(ch).map(tf.cpc_start).fillna(0).to_numpy()
    cpc_end = pd.Series(ch).map(tf.cpc_end).fillna(0).to_numpy()
    # diminishing returns: m× the volume costs m^(1/elasticity)× the money
    premium = np.ones(v.size)
    for c, e in tf.elasticity.items():
        rows = ch == c
        premium[rows] = paid_volume[c][day[rows]] ** (1 / e - 1)
    spend = clicks * (cpc_start + (cpc_end - cpc_start) * t) * premium * \
        np.exp(rng.normal(0, 0.05, v.size))
    spend = np.where(ch == "referral", su * tf.referral_reward, spend)   # invite rewards
    return {"channel_daily": pd.DataFrame({
        "date": cal.to_date(day), "channel": ch, "spend": np.round(spend, 2),
        "impressions": impressions, "clicks": clicks}).sort_values(["date", "channel"],
                                                                   ignore_index=True)}


def plant_campaigns(ctx: Context) -> dict:
    """The `campaigns` table: the launch, the three 618 phases, the check-in challenge
    and the always-on new-user coupon."""
    sc = ctx.scenario
    af, cf = sc.activity, sc.community
    names = {"warmup": "618预热期", "burst": "618爆发期", "tail": "618延续期"}
    rows = [("new_tea_launch", "春茶上新", "launch", *af.launch, *af.launch_budget,
             af.launch_coupon)]
    for phase, (first, last, _) in af.phases_618.items():
        budget = af.budget_618 * af.budget_share_618[phase]
        rows.append((f"618_{phase}", names[phase], phase, first, last, budget,
                     round(budget * af.spent_618[phase], 2), af.coupon_618))
    rows.append(("checkin_challenge", "21天打卡挑战", "community", *cf.challenge,
                 *cf.challenge_budget, ""))
    rows.append(("new_user_coupon", "新人专享券", "always_on", sc.start, sc.end, 0.0, 0.0,
                 af.new_user_coupon))
    out = pd.DataFrame(rows, columns=["campaign_id", "campaign_name", "phase", "start_date",
                                      "end_date", "budget", "spend", "coupon_code"])
    out["start_date"] = pd.to_datetime(out["start_date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    return {"campaigns": out}


# ---------------------------------------------------------------- published tables
def plant_visitors(ctx: Context, rng: np.random.Generator, arrivals: pd.DataFrame,
                   touch_visits: pd.DataFrame, people: pd.DataFrame) -> dict:
    """The `visits` table, with one visitor id per visitor: touches share their
    signup's, and some anonymous visitors come back."""
    visits = pd.concat([arrivals, touch_visits]).sort_values("seconds", kind="stable")
    n = len(visits)
    pos = np.arange(n)
    parent = pos.copy()
    # a touch belongs to the visitor who later signs up
    touch_of = visits["touch_of"].to_numpy()
    is_touch = ~np.isnan(touch_of)
    at = pd.Series(pos, index=visits.index)
    parent[is_touch] = at.reindex(touch_of[is_touch].astype(np.int64)).to_numpy()
    # anonymous repeat visits point at an earlier anonymous first visit
    anon = np.flatnonzero(~is_touch & ~visits["signed_up"].to_numpy())
    repeat = rng.random(anon.size) < ctx.scenario.traffic.repeat_visit_share
    earlier = anon[(rng.random(anon.size) * np.arange(anon.size)).astype(np.int64)]
    first_visits = anon[~repeat]
    # map each chosen earlier visit to a first visit at or before it (a root)
    root = first_visits[np.maximum(np.searchsorted(first_visits, earlier, "right") - 1, 0)]
    ok = repeat & (root < anon)
    parent[anon[ok]] = root[ok]
    _, visitor = np.unique(parent, return_inverse=True)
    order = np.unique(visitor, return_index=True)[1]       # number visitors by first visit
    rank = np.empty(order.size, np.int64)
    rank[np.argsort(order)] = np.arange(1, order.size + 1)
    user_of_visit = pd.Series(people.index.to_numpy() + 1,
                              index=people["visit_index"].to_numpy())
    return {"visits": pd.DataFrame({
        "visit_id": np.arange(1, n + 1),
        "visitor_id": rank[visitor],
        "visit_time": ctx.cal.to_datetime(visits["seconds"].to_numpy()),
        "channel": visits["channel"].array,
        "landing_page": visits["landing_page"].array,
        "device": visits["device"].array,
        "pageviews": visits["pageviews"].to_numpy(),
        "bounced": visits["bounced"].to_numpy(),
        "signed_up": visits["signed_up"].to_numpy(),
        "user_id": pd.array(user_of_visit.reindex(visits.index).to_numpy(), dtype="Int64"),
    })}


def publish_users(ctx: Context, people: pd.DataFrame) -> dict:
    """The `users` table (ids are put in signup order at the end)."""
    cal, uf = ctx.cal, ctx.scenario.users
    ref = people["referrer"].to_numpy()
    return {"users": pd.DataFrame({
        "user_id": people.index.to_numpy() + 1,
        "signup_time": cal.to_datetime(people["seconds"].to_numpy()),
        "channel": people["channel"].to_numpy(),
        "landing_page": people["landing_page"].to_numpy(),
        "device": people["device"].to_numpy(),
        "city_tier": people["city_tier"].to_numpy(),
        "age_group": people["age_group"].to_numpy(),
        "referrer_id": pd.Series(ref + 1, dtype="Int64").where(ref >= 0).array,
        "onboarding": np.where(people["day"].to_numpy() < cal.day(uf.onboarding_change),
                               "v1", "v2"),
    }).sort_values("user_id", ignore_index=True)}


def publish_members(ctx: Context, members: pd.DataFrame) -> dict:
    """The `community_members` table; the first member of each group is its volunteer
    admin (群管理)."""
    cal = ctx.cal
    names = {g[0]: g[1] for g in phrases.GROUPS}
    first = ~members.sort_values(["join_day", "user_index"])["group_id"].duplicated()
    role = np.where(first.reindex(members.index).to_numpy(), "admin", "member")
    leave = members["leave_day"].to_numpy()
    out = pd.DataFrame({
        "user_id": members["user_index"].to_numpy() + 1,
        "group_id": members["group_id"].to_numpy(),
        "group_name": members["group_id"].map(names).to_numpy(),
        "group_type": members["group_type"].to_numpy(),
        "join_date": cal.to_date(members["join_day"].to_numpy()),
        "leave_date": pd.Series(cal.to_date(np.where(leave >= 0, leave, 0))).where(leave >= 0),
        "role": role,
    })
    return {"community_members": out.sort_values(["join_date", "group_id", "user_id"],
                                                 ignore_index=True)}


def publish_experiments(ctx: Context, checkout_assignments: pd.DataFrame,
                        banner_assignments: pd.DataFrame,
                        winback_assignments: pd.DataFrame) -> dict:
    """The `ab_assignments` table: every experiment's assignments."""
    return {"ab_assignments": pd.concat(
        [checkout_assignments, banner_assignments, winback_assignments], ignore_index=True)}


# ---------------------------------------------------------------- search terms and KOLs
def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` (an integer) split in proportion to `weights`, largest remainders first,
    so the parts add up to it exactly.

    >>> _split(10, np.array([1.0, 1.0, 1.0])).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, float)
    if total == 0 or w.sum() <= 0:
        return np.zeros(w.size, np.int64)
    exact = total * w / w.sum()
    part = np.floor(exact).astype(np.int64)
    extra = np.argsort(-(exact - part), kind="stable")[: total - part.sum()]
    part[extra] += 1
    return part


def _draw_in_slots(rng: np.random.Generator, slot: np.ndarray, weights: np.ndarray
                   ) -> np.ndarray:
    """For each row, an option drawn with the weights of its slot (`weights[slot]`, one
    row of option weights per slot: a month, a day)."""
    out = np.empty(slot.size, np.int64)
    cum = np.cumsum(weights, axis=1)
    for s in np.unique(slot):
        rows = np.flatnonzero(slot == s)
        u = rng.random(rows.size) * cum[s, -1]
        out[rows] = np.minimum(np.searchsorted(cum[s], u, side="right"), cum.shape[1] - 1)
    return out


def _attribute(rng: np.random.Generator, slot: np.ndarray, signed_up: np.ndarray,
               buyer: np.ndarray, reach: np.ndarray, convert: np.ndarray,
               buy: np.ndarray) -> np.ndarray:
    """Which option (keyword, post) each visit came through, given what the visit did.

    Option k gets `reach[slot, k]` of a slot's visits, converts at `convert[k]` × the
    channel's rate and its signups buy at `buy[k]` × theirs; Bayes' rule turns that
    into the chance of each option given the visit's outcome, so the allocation is
    drawn on the real visits and their real orders."""
    share = reach / reach.sum(axis=1, keepdims=True)
    cvr = signed_up.mean()
    f = convert[None, :] / (share @ convert)[:, None]          # Σ share·f = 1 per slot
    bought = buyer[signed_up].mean() if signed_up.any() else 0.0
    g = buy[None, :] / ((share * f) @ buy)[:, None]
    no_signup = share * np.clip(1 - cvr * f, 0, None)
    signup_buyer = share * f * g
    signup_other = share * f * np.clip(1 - bought * g, 0, None)
    out = np.empty(slot.size, np.int64)
    for rows, w in ((~signed_up, no_signup), (signed_up & buyer, signup_buyer),
                    (signed_up & ~buyer, signup_other)):
        idx = np.flatnonzero(rows)
        out[idx] = _draw_in_slots(rng, slot[idx], w)
    return out


def _channel_visits(visits: pd.DataFrame, orders: pd.DataFrame, channel: str
                    ) -> pd.DataFrame:
    """A channel's visits with what each signup went on to buy (to the end of data)."""
    v = visits.loc[visits["channel"] == channel, ["visit_time", "signed_up", "user_id"]]
    v = v.reset_index(drop=True)
    sales = orders.groupby("user_id").agg(orders=("paid", "size"), paid=("paid", "sum"))
    v = v.join(sales, on="user_id")
    v["signed_up"] = v["signed_up"].to_numpy(bool)
    v["orders"] = v["orders"].fillna(0).astype(np.int64)
    v["paid"] = v["paid"].fillna(0.0)
    v["buyer"] = v["signed_up"].to_numpy() & (v["orders"].to_numpy() > 0)
    return v


def _outcomes(v: pd.DataFrame, option: np.ndarray, slot: np.ndarray, n_slots: int,
              n_options: int) -> dict[str, np.ndarray]:
    """Visits, signups, orders and paid amount per (slot, option)."""
    key = slot * n_options + option
    size = n_slots * n_options
    signed = v["signed_up"].to_numpy()
    counts = {
        "visits": np.bincount(key, minlength=size),
        "signups": np.bincount(key, weights=signed, minlength=size).round().astype(np.int64),
        "orders": np.bincount(key, weights=v["orders"].to_numpy() * signed,
                              minlength=size).round().astype(np.int64),
        "paid": np.bincount(key, weights=v["paid"].to_numpy() * signed, minlength=size)}
    return {k: x.reshape(n_slots, n_options) for k, x in counts.items()}


def plant_search_terms(ctx: Context, rng: np.random.Generator, visits: pd.DataFrame,
                       orders: pd.DataFrame, channel_daily: pd.DataFrame) -> dict:
    """The `search_terms` table: SEM's keywords by month. Every SEM visit is credited to
    one keyword, so clicks, cost and impressions add up to `channel_daily`'s SEM rows
    and signups to `visits`' (to the click, the cent, the person)."""
    tf = ctx.scenario.traffic
    kw = pd.DataFrame(list(tf.keywords), columns=[
        "keyword", "match_type", "kind", "share", "convert", "buy", "cpc", "position"])
    v = _channel_visits(visits, orders, "sem")
    start = pd.Timestamp(ctx.scenario.start)
    vt = v["visit_time"].dt
    month = ((vt.year - start.year) * 12 + vt.month - start.month).to_numpy()
    n_months, n_kw = int(month.max()) + 1, len(kw)
    position = np.maximum(1.0, kw["position"].to_numpy()[None, :] * np.exp(
        rng.normal(0, tf.position_sigma, (n_months, n_kw))))
    # a better position than usual wins more of the searches' clicks
    reach = kw["share"].to_numpy()[None, :] * (position / kw["position"].to_numpy()
                                               ) ** -tf.ctr_position_slope
    option = _attribute(rng, month, v["signed_up"].to_numpy(), v["buyer"].to_numpy(),
                        reach, kw["convert"].to_numpy(), kw["buy"].to_numpy())
    got = _outcomes(v, option, month, n_months, n_kw)
    cd = channel_daily.loc[channel_daily["channel"] == "sem"]
    cdd = pd.DatetimeIndex(cd["date"])
    cd_month = (cdd.year - start.year) * 12 + cdd.month - start.month
    clicks, cost, impressions = (np.zeros((n_months, n_kw), np.int64) for _ in range(3))
    # CTR follows position, with each keyword-month's own noise
    ctr = position ** -tf.ctr_position_slope * _lognormal_mean_one(
        rng, 0.15, n_months * n_kw).reshape(n_months, n_kw)
    for m in range(n_months):
        rows = cd_month == m
        landed = got["visits"][m]
        # clicks whose page never loaded are spread like the landed ones
        clicks[m] = landed + _split(int(cd.loc[rows, "clicks"].sum()) - int(landed.sum()),
                                    reach[m])
        cents = int(round(cd.loc[rows, "spend"].sum() * 100))
        cost[m] = _split(cents, clicks[m] * kw["cpc"].to_numpy())
        impressions[m] = _split(int(cd.loc[rows, "impressions"].sum()), clicks[m] / ctr[m])
    months = pd.date_range(start.to_period("M").to_timestamp(), periods=n_months,
                           freq="MS")
    table = pd.DataFrame({
        "month": np.repeat(months, n_kw),
        "keyword": np.tile(kw["keyword"].to_numpy(), n_months),
        "match_type": np.tile(kw["match_type"].to_numpy(), n_months),
        "impressions": impressions.ravel(), "clicks": clicks.ravel(),
        "cost": cost.ravel() / 100, "avg_position": np.round(position.ravel(), 1),
        "signups": got["signups"].ravel(), "orders": got["orders"].ravel(),
        "paid": np.round(got["paid"].ravel(), 2)})
    return {"search_terms": table,
            "wasted_keywords": kw.loc[kw["kind"] == "irrelevant", "keyword"].tolist(),
            "long_tail_keywords": kw.loc[kw["kind"] == "long_tail", "keyword"].tolist()}


def plant_kol_posts(ctx: Context, rng: np.random.Generator, visits: pd.DataFrame,
                    orders: pd.DataFrame, channel_daily: pd.DataFrame) -> dict:
    """The `kol_posts` table: each KOL collaboration post, its reach and engagement, and
    the KOL visits, signups and orders it brought. A visit is credited to a post live
    that day (traffic decays after publishing) and each day's KOL spend is booked to
    those posts, so fees add up to `channel_daily`'s KOL spend to the cent."""
    tf, cal = ctx.scenario.traffic, ctx.cal
    kols = pd.DataFrame(list(tf.kols), columns=[
        "kol", "tier", "platform", "per_30d", "reads", "engagement", "clicks", "convert",
        "buy", "fee"])
    posts = []
    for i, k in kols.iterrows():
        gap = 30 / k["per_30d"]
        day = rng.uniform(0, min(gap, 3))       # every KOL has a post in the first days
        while day < cal.n_days:
            posts.append((i, int(day)))
            day += gap * rng.uniform(0.7, 1.3)
    posts = pd.DataFrame(posts, columns=["kol_index", "day"]).sort_values(
        ["day", "kol_index"], ignore_index=True)
    k_of = posts["kol_index"].to_numpy()
    age = np.arange(cal.n_days)[:, None] - posts["day"].to_numpy()[None, :]
    live = np.where(age >= 0, np.exp(-np.clip(age, 0, None) / tf.kol_decay_days), 0.0)
    size = _lognormal_mean_one(rng, 0.3, len(posts))           # some posts land better
    traffic = live * (kols["clicks"].to_numpy()[k_of] * size)[None, :]
    v = _channel_visits(visits, orders, "kol")
    vday = (v["visit_time"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    option = _attribute(rng, vday, v["signed_up"].to_numpy(), v["buyer"].to_numpy(),
                        traffic, kols["convert"].to_numpy()[k_of],
                        kols["buy"].to_numpy()[k_of])
    got = _outcomes(v, option, np.zeros(len(v), np.int64), 1, len(posts))
    cd = channel_daily.loc[channel_daily["channel"] == "kol"]
    cd_day = (cd["date"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    cents = np.zeros(len(posts), np.int64)
    fee_weight = live * kols["fee"].to_numpy()[k_of][None, :]
    for d, spend in zip(cd_day, cd["spend"].to_numpy()):
        cents += _split(int(round(spend * 100)), fee_weight[d])
    reads = np.round(kols["reads"].to_numpy()[k_of] * ctx.scale * size *
                     _lognormal_mean_one(rng, 0.25, len(posts))).astype(np.int64)
    engaged = reads * kols["engagement"].to_numpy()[k_of] * \
        _lognormal_mean_one(rng, 0.2, len(posts))
    mix = rng.dirichlet([6, 1.5, 1, 1.5], len(posts))     # likes, comments, shares, saves
    counts = np.round(engaged[:, None] * mix).astype(np.int64)
    table = pd.DataFrame({
        "post_id": np.arange(1, len(posts) + 1),
        "kol_name": kols["kol"].to_numpy()[k_of], "tier": kols["tier"].to_numpy()[k_of],
        "platform": kols["platform"].to_numpy()[k_of],
        "publish_date": cal.to_date(posts["day"].to_numpy()),
        "fee": cents / 100, "reads": reads,
        "likes": counts[:, 0], "comments": counts[:, 1], "shares": counts[:, 2],
        "saves": counts[:, 3], "visits": got["visits"][0],
        "signups": got["signups"][0], "orders": got["orders"][0],
        "paid": np.round(got["paid"][0], 2)})
    value = kols["clicks"] * kols["convert"] * kols["buy"] / kols["fee"]   # orders per CNY
    return {"kol_posts": table, "kol_to_renew": str(kols.loc[value.idxmax(), "kol"]),
            "kol_inflated_reads": str(kols.loc[kols["engagement"].idxmin(), "kol"])}


def _draw_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """For each row of `weights` (rows × options), an option drawn with those weights."""
    cum = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), weights.shape[1] - 1)


def _user_outcomes(ctx: Context, users: pd.DataFrame, events: pd.DataFrame,
                   orders: pd.DataFrame) -> pd.DataFrame:
    """Per user (in users' order): active on day D after signup, first order within the
    first F days (D, F = `campaign_quality_days`), whether anyone they invited signed
    up, and whether they ordered twice or more."""
    d7, first = ctx.scenario.users.campaign_quality_days
    signup = users.set_index("user_id")["signup_time"]
    e_day = (events["event_time"].dt.normalize()
             - signup.reindex(events["user_id"]).dt.normalize().to_numpy()).dt.days
    active = set(events.loc[e_day.to_numpy() == d7, "user_id"])
    lag = orders["order_time"] - signup.reindex(orders["user_id"]).to_numpy()
    bought = set(orders.loc[(lag < pd.Timedelta(days=first)).to_numpy(), "user_id"])
    inviters = set(users["referrer_id"].dropna().astype(np.int64))
    counts = orders["user_id"].value_counts()
    ids = users["user_id"]
    return pd.DataFrame({"d7": ids.isin(active).to_numpy(),
                         "first_order": ids.isin(bought).to_numpy(),
                         "invited": ids.isin(inviters).to_numpy(),
                         "repeat": ids.isin(counts.index[counts >= 2]).to_numpy()})


def plant_user_campaigns(ctx: Context, rng: np.random.Generator, users: pd.DataFrame,
                         events: pd.DataFrame, orders: pd.DataFrame,
                         channel_daily: pd.DataFrame) -> dict:
    """The `user_campaigns` table: the acquisition offer each new user came through —
    an invite with a rebate (邀请返利) or a share poster (裂变海报) for referral signups,
    a new-user gift pack (新人礼包) for some others — and what it cost. Offers are
    drawn on the users' real D7 activity, first orders and invites (Bayes' rule on the
    planted factors), and the two invite offers' costs add up to `channel_daily`'s
    referral spend to the cent."""
    uf = ctx.scenario.users
    camp = pd.DataFrame(list(uf.campaigns), columns=[
        "campaign", "pool", "share", "d7", "first_order", "invited", "repeat"])
    u = users.sort_values("user_id", ignore_index=True)
    got = _user_outcomes(ctx, u, events, orders)
    referral = (u["channel"] == "referral").to_numpy()
    chosen = np.empty(len(u), object)
    for pool, rows in (("referral", referral), ("other", ~referral)):
        options = camp[camp["pool"] == pool].reset_index(drop=True)
        o = got[rows]
        w = np.tile(options["share"].to_numpy(float), (len(o), 1))
        for col in ("d7", "first_order", "invited", "repeat"):
            p = np.clip(o[col].mean() * options[col].to_numpy(float), 1e-6, 1 - 1e-6)
            w *= np.where(o[col].to_numpy()[:, None], p[None, :], 1 - p[None, :])
        chosen[rows] = options["campaign"].to_numpy()[_draw_rows(rng, w)]
    out = pd.DataFrame({"user_id": u["user_id"], "campaign": chosen,
                        "signup_time": u["signup_time"]})
    out = out[out["campaign"] != "none"].reset_index(drop=True)
    cents = np.zeros(len(out), np.int64)
    poster = (out["campaign"] == "share_poster").to_numpy()
    rebate = (out["campaign"] == "invite_rebate").to_numpy()
    cents[poster] = int(round(uf.poster_reward * 100))
    referral_spend = channel_daily.loc[channel_daily["channel"] == "referral", "spend"].sum()
    rest = int(round(referral_spend * 100)) - int(cents[poster].sum())
    cents[rebate] = _split(rest, np.ones(int(rebate.sum())))
    cents[(out["campaign"] == "new_user_gift").to_numpy()] = int(round(uf.gift_cost * 100))
    out["cost"] = cents / 100
    return {"user_campaigns": out}


def _favourites(ctx: Context, rng: np.random.Generator, users: pd.DataFrame,
                orders: pd.DataFrame, cats: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each user's category weights (age and spend lean them) and favourite category."""
    uf = ctx.scenario.users
    u = users.sort_values("user_id", ignore_index=True)
    spent = np.log1p(orders.groupby("user_id")["paid"].sum().reindex(u["user_id"])
                     .fillna(0).to_numpy())
    z = (spent - spent[spent > 0].mean()) / spent[spent > 0].std()
    z = np.where(spent > 0, z, 0.0)
    age = u["age_group"].to_numpy()
    w = np.tile(cats["base"].to_numpy(float), (len(u), 1))
    w *= np.where((age == "45+")[:, None], cats["old"].to_numpy()[None, :], 1.0)
    w *= np.where((age == "18-24")[:, None], cats["young"].to_numpy()[None, :], 1.0)
    w *= np.exp(z[:, None] * cats["spend"].to_numpy()[None, :])
    w /= w.sum(axis=1, keepdims=True)
    favourite = _draw_rows(rng, w ** uf.interest_focus)
    return w, favourite


def plant_interests(ctx: Context, rng: np.random.Generator, users: pd.DataFrame,
                    events: pd.DataFrame, orders: pd.DataFrame) -> dict:
    """The tea categories behind the data: `product_views` (the category of every
    view_product event) and `order_lines` (each order's items and GMV by category, to
    the item and the cent). Each user has a favourite category, leaned by age and spend;
    most of their views and buys fall on it."""
    uf = ctx.scenario.users
    cats = pd.DataFrame(list(uf.categories),
                        columns=["category", "base", "old", "young", "spend"])
    names = cats["category"].to_numpy()
    w, favourite = _favourites(ctx, rng, users, orders, cats)
    index = pd.Series(np.arange(len(w)), index=np.sort(users["user_id"].to_numpy()))

    def pick(user_ids: np.ndarray, on_favourite: float) -> np.ndarray:
        rows = index.reindex(user_ids).to_numpy()
        mine = rng.random(rows.size) < on_favourite
        return np.where(mine, favourite[rows], _draw_rows(rng, w[rows]))

    views = events.loc[events["event"] == "view_product", ["user_id", "event_time"]]
    views = views.sort_values(["event_time", "user_id"], kind="stable", ignore_index=True)
    views["category"] = names[pick(views["user_id"].to_numpy(), uf.views_on_favourite)]
    o = orders.sort_values("order_id", ignore_index=True)
    n_lines = np.minimum(o["items"].to_numpy(), 1 + rng.poisson(0.35, len(o)))
    line_order = np.repeat(o.index.to_numpy(), n_lines)
    first = np.r_[True, line_order[1:] != line_order[:-1]]
    lead = pick(o["user_id"].to_numpy()[line_order], 0.7)
    other = _draw_rows(rng, w[index.reindex(o["user_id"].to_numpy()[line_order]).to_numpy()])
    category = np.where(first, lead, other)
    items = np.empty(line_order.size, np.int64)
    gmv = np.empty(line_order.size, np.int64)
    starts = np.flatnonzero(first)
    for k, (a, n) in enumerate(zip(starts, n_lines)):
        share = rng.dirichlet(np.full(n, 2.0)) if n > 1 else np.ones(1)
        items[a:a + n] = 1 + _split(int(o.at[k, "items"]) - n, share)
        gmv[a:a + n] = _split(int(round(o.at[k, "gmv"] * 100)), items[a:a + n] * share)
    lines = pd.DataFrame({"order_id": o["order_id"].to_numpy()[line_order],
                          "category": names[category], "items": items, "gmv": gmv / 100})
    lines = lines.groupby(["order_id", "category"], sort=False, as_index=False).sum()
    lines.insert(0, "line_id", np.arange(1, len(lines) + 1))
    return {"product_views": views, "order_lines": lines,
            "favourite_categories": names[favourite].tolist()}


# ---------------------------------------------------------------- group moderation (群管理)
def _spam_texts(rng: np.random.Generator, kind: str, disguised: np.ndarray) -> np.ndarray:
    """Texts of `disguised.size` spam posts of one kind, with made-up ids, codes, sites."""
    n = disguised.size
    plain, hidden = phrases.SPAM[kind]["plain"], phrases.SPAM[kind]["disguised"]
    template = np.where(disguised, _pick(rng, hidden, n), _pick(rng, plain, n))
    ids = _pick(rng, phrases.SPAM_ID_PREFIXES, n) + \
        np.char.mod("%d", rng.integers(1_000, 1_000_000, n)).astype(object)
    letters = np.array(list("abcdefghijkmnopqrstuyzABCDEFGHJKLMNPQRSTUYZ23456789"))
    codes = ["".join(c) for c in letters[rng.integers(0, letters.size, (n, 6))]]
    sites = _pick(rng, phrases.SPAM_SITES, n)
    return np.array([t.format(id=i, code=c, site=s)
                     for t, i, c, s in zip(template, ids, codes, sites)], dtype=object)


def _removal_plan(mf: ModerationFacts) -> tuple[float, float]:
    """After the rule change: the share of caught (plain or flood) violations removed
    and their median minutes to removal, so that all violations together come out at
    the planted `removed_share` and `minutes_to_removal` (the missed ones wait for an
    admin: `missed_removed_share`, `missed_minutes`)."""
    from math import erf, log, sqrt

    missed = mf.disguised_share * (1 - mf.kind_mix["flood"])      # by message
    share, target = mf.removed_share[1], mf.minutes_to_removal[1]
    p_caught = (share - missed * mf.missed_removed_share) / (1 - missed)

    def below(median: float) -> float:        # P(minutes ≤ target) of a lognormal
        return 0.5 * (1 + erf((log(target) - log(median)) / (mf.removal_sigma * sqrt(2))))

    lo, hi = log(0.5), log(target * 10)
    for _ in range(60):
        mid = (lo + hi) / 2
        removed_by_target = ((1 - missed) * p_caught * below(np.exp(mid))
                             + missed * mf.missed_removed_share * below(mf.missed_minutes))
        lo, hi = (mid, hi) if removed_by_target / share > 0.5 else (lo, mid)
    return p_caught, float(np.exp((lo + hi) / 2))


def plant_group_messages(ctx: Context, rng: np.random.Generator,
                         community_members: pd.DataFrame, community_daily: pd.DataFrame,
                         koc_user_ids: list) -> dict:
    """The groups' moderation export (`group_messages`) over the export window: every
    ordinary message `community_daily` counts, at times within its day, and the
    violations (违规) of a few spam accounts on top — ads, WeChat ids, links, floods,
    some disguised against keyword rules — fewer after the rule change (群规升级),
    when admins also remove them more often and far sooner. The truth
    `message_violation` holds every message's kind."""
    mf, cal = ctx.scenario.moderation, ctx.cal
    first, last = cal.day(mf.window[0]), cal.day(mf.window[1])
    change = cal.day(mf.rule_change)
    # ---- ordinary chat: bursts of a few messages, some seconds to minutes apart
    cd = community_daily
    cd_day = (cd["date"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    rows = np.flatnonzero((cd_day >= first) & (cd_day <= last)
                          & (cd["messages"].to_numpy() > 0))
    owner = np.repeat(rows, cd["messages"].to_numpy()[rows])
    n = owner.size
    new_burst = np.r_[True, owner[1:] != owner[:-1]] | (rng.random(n) < 0.55)
    burst = np.cumsum(new_burst) - 1
    gap = np.where(new_burst, 0, rng.integers(15, 300, n))
    offset = np.cumsum(gap) - np.cumsum(gap)[np.flatnonzero(new_burst)][burst]
    span = np.maximum.reduceat(offset, np.flatnonzero(new_burst))
    start = np.minimum(_time_of_day(rng, span.size), DAY - 1 - span)
    o_sec = cd_day[owner] * DAY + start[burst] + offset
    u = rng.random(n)
    trap = u < mf.trap_share
    naive = (u >= mf.trap_share) & (u < mf.trap_share + mf.naive_trap_share)
    o_text = (_pick(rng, phrases.GROUP_CHAT, n)
              + _pick(rng, phrases.GROUP_CHAT_ENDINGS, n))
    o_text[trap] = _pick(rng, phrases.GROUP_CHAT_TRAPS, int(trap.sum()))
    o_text[naive] = _pick(rng, phrases.GROUP_CHAT_NAIVE_TRAPS, int(naive.sum()))
    ordinary = pd.DataFrame({"seconds": o_sec, "group_id": cd["group_id"].to_numpy()[owner],
                             "user_id": cd["user_id"].to_numpy()[owner], "text": o_text,
                             "kind": "none", "removed": -1})
    # ---- spam accounts: ordinary members (not admins, not KOC) there ≥ 2 weeks of it
    m = community_members
    join = (m["join_date"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    leave = m["leave_date"].to_numpy().astype("datetime64[D]")
    leave = np.where(np.isnat(leave), cal.n_days,
                     (leave - cal.start).astype("timedelta64[D]").astype(int))
    lo, hi = np.maximum(join, first), np.minimum(leave - 1, last)     # days present
    present = hi >= lo
    eligible = present & (hi - lo >= 13) & (m["role"].to_numpy() == "member") \
        & ~m["user_id"].isin(koc_user_ids).to_numpy()
    n_spam = min(int(eligible.sum()), max(3, int(round(mf.spammer_share * present.sum()))))
    w = m["group_type"].map(mf.spammer_group_weight).to_numpy(float) * (hi - lo + 1)
    w = np.where(eligible, w, 0)
    spam = np.sort(rng.choice(len(m), n_spam, replace=False, p=w / w.sum())) if n_spam \
        else np.zeros(0, np.int64)
    intensity = _lognormal_mean_one(rng, 0.6, n_spam)
    # ---- violations: per day, in proportion to the day's ordinary messages
    kinds = list(mf.kind_mix)
    size = np.array([np.mean(mf.flood_size) if k == "flood" else 1.0 for k in kinds])
    by_message = np.array([mf.kind_mix[k] for k in kinds])
    per_event = by_message / size / (by_message / size).sum()   # kind of an event
    per_day = np.bincount(cd_day[owner] - first, minlength=last - first + 1)
    days = np.arange(first, last + 1)
    rate = np.where(days < change, mf.violations_per_1000[0], mf.violations_per_1000[1])
    someone = ((lo[spam][None, :] <= days[:, None]) & (hi[spam][None, :] >= days[:, None])
               ).any(axis=1)
    expected = per_day * rate / (1000 - rate) / (per_event * size).sum() * someone
    n_events = rng.poisson(expected)
    e_day = np.repeat(days, n_events)
    e_who = np.empty(e_day.size, np.int64)
    for d in np.unique(e_day):
        here = np.flatnonzero(e_day == d)
        there = (lo[spam] <= d) & (hi[spam] >= d)
        ww = np.where(there, intensity, 0)
        e_who[here] = rng.choice(n_spam, here.size, p=ww / ww.sum())
    n_e = e_day.size
    e_kind = np.array(kinds, dtype=object)[rng.choice(len(kinds), n_e, p=per_event)]
    flood = e_kind == "flood"
    e_size = np.where(flood, rng.integers(mf.flood_size[0], mf.flood_size[1] + 1, n_e), 1)
    e_start = e_day * DAY + np.minimum(_time_of_day(rng, n_e), DAY - mf.flood_seconds - 1)
    disguised = ~flood & (rng.random(n_e) < mf.disguised_share)
    # removal, decided per post (an admin removes a flood at once, after its last message)
    after = e_day >= change
    p_caught, caught_minutes = _removal_plan(mf)
    p_removed = np.where(~after, mf.removed_share[0],
                         np.where(disguised, mf.missed_removed_share, p_caught))
    median = np.where(~after, mf.minutes_to_removal[0],
                      np.where(disguised, mf.missed_minutes, caught_minutes))
    removed = rng.random(n_e) < p_removed
    wait = np.round(median * 60 * _lognormal_median_one(rng, mf.removal_sigma, n_e))
    msg_event = np.repeat(np.arange(n_e), e_size)
    first_msg = np.r_[0, np.cumsum(e_size)[:-1]]
    step = np.arange(msg_event.size) - first_msg[msg_event]
    # a flood's lags: the first message at 0, the others within flood_seconds
    longest = int(e_size.max()) if n_e else 1
    lag = np.sort(rng.integers(1, mf.flood_seconds + 1, (n_e, longest - 1)), axis=1)
    lag = np.c_[np.zeros(n_e, np.int64), lag]
    v_sec = e_start[msg_event] + lag[msg_event, step]
    end_sec = e_start + lag[np.arange(n_e), e_size - 1]
    v_removed = np.where(removed[msg_event],
                         end_sec[msg_event] + np.maximum(wait[msg_event], 60) + 2 * step, -1)
    v_text = np.empty(msg_event.size, dtype=object)
    for k in ("ad", "wechat", "link"):
        ev = np.flatnonzero(e_kind == k)
        v_text[np.isin(msg_event, ev)] = _spam_texts(rng, k, disguised[ev])
    fm = flood[msg_event]
    v_text[fm] = (_pick(rng, phrases.SPAM_FLOODS, n_e)[msg_event[fm]]
                  + _pick(rng, phrases.SPAM_FLOOD_ENDINGS, int(fm.sum())))
    who = spam[e_who[msg_event]]
    violations = pd.DataFrame({"seconds": v_sec, "group_id": m["group_id"].to_numpy()[who],
                               "user_id": m["user_id"].to_numpy()[who], "text": v_text,
                               "kind": e_kind[msg_event], "removed": v_removed})
    msgs = pd.concat([ordinary, violations], ignore_index=True)
    msgs = msgs.sort_values(["seconds", "group_id", "user_id"], kind="stable",
                            ignore_index=True)
    gone = msgs["removed"].to_numpy() >= 0
    out = pd.DataFrame({
        "message_id": np.arange(1, len(msgs) + 1),
        "group_id": msgs["group_id"].to_numpy(), "user_id": msgs["user_id"].to_numpy(),
        "sent_time": cal.to_datetime(msgs["seconds"].to_numpy()),
        "text": msgs["text"].to_numpy(),
        "removed_time": pd.Series(cal.to_datetime(np.where(gone, msgs["removed"], 0)))
        .where(gone).to_numpy(),
        "removed_reason": msgs["kind"].where(gone).to_numpy()})
    return {"group_messages": out,
            "message_violation": dict(zip(out["message_id"].tolist(),
                                          msgs["kind"].tolist()))}


# ---------------------------------------------------------------- private-domain pool (私域)
def _push_days(rng: np.random.Generator, ctx: Context) -> list[tuple[int, int]]:
    """(week start, day) of every push: 2–4 a week from `pushes_start`, never on
    consecutive days (so each push's 24 hours hold no other push), the last one at
    least a day before the data ends."""
    from itertools import combinations

    pf, cal = ctx.scenario.pool, ctx.cal
    sizes = np.array(list(pf.pushes_per_week))
    p = np.array(list(pf.pushes_per_week.values()), float)
    out, previous = [], -10
    for week in range(cal.day(pf.pushes_start), cal.n_days - 1, 7):
        n = int(rng.choice(sizes, p=p / p.sum()))
        while n > 0:
            options = [c for c in combinations(range(7), n)
                       if all(b - a >= 2 for a, b in zip(c, c[1:]))
                       and week + c[0] - previous >= 2 and week + c[-1] <= cal.n_days - 2]
            if options:
                break
            n -= 1
        if n == 0:
            continue
        chosen = options[rng.integers(len(options))]
        out += [(week, week + d) for d in chosen]
        previous = week + chosen[-1]
    return out


def plant_private_pool(ctx: Context, rng: np.random.Generator, orders: pd.DataFrame,
                       community_members: pd.DataFrame, fraud_user_ids: list) -> dict:
    """The private-domain pool (私域流量池): `wecom_contacts`, the buyers (through the
    order page or the package card) and group members who add our WeCom account, and
    `pool_pushes`, what we send them — 1v1 messages, moments posts, broadcasts — with
    reads, clicks, attributed orders, cost and the contacts each push loses. Weeks with
    many pool-wide pushes wear the pool out (fewer reads, more removals)."""
    pf, cal = ctx.scenario.pool, ctx.cal
    base = cal.start.astype("datetime64[s]")
    o = orders.loc[~orders["user_id"].isin(fraud_user_ids)]
    o_sec = (o["order_time"].to_numpy().astype("datetime64[s]") - base).astype(np.int64)
    o_user = o["user_id"].to_numpy()
    n = o_sec.size
    page = rng.random(n) < pf.order_page_take_up
    page_sec = o_sec + rng.integers(60, 900, n)
    card = rng.random(n) < pf.package_card_take_up
    arrive = o_sec // DAY + np.ceil(rng.uniform(*pf.package_days, n)).astype(np.int64)
    card_sec = arrive * DAY + _time_of_day(rng, n)
    m = community_members
    join = (m["join_date"].to_numpy().astype("datetime64[D]") - cal.start).astype(np.int64)
    leave = m["leave_date"].to_numpy().astype("datetime64[D]")
    leave = np.where(np.isnat(leave), cal.n_days,
                     (leave - cal.start).astype("timedelta64[D]").astype(np.int64))
    g_day = join + 1 + rng.exponential(pf.group_delay_days, len(m)).astype(np.int64)
    group = (rng.random(len(m)) < pf.group_take_up) & (g_day < leave)
    g_sec = g_day * DAY + _time_of_day(rng, len(m))
    cand = pd.DataFrame({
        "user_id": np.concatenate([o_user[page], o_user[card],
                                   m["user_id"].to_numpy()[group]]),
        "seconds": np.concatenate([page_sec[page], card_sec[card], g_sec[group]]),
        "source": np.repeat(["order_page", "package_card", "group"],
                            [page.sum(), card.sum(), group.sum()])})
    cand = cand[cand["seconds"] < cal.end_second]
    cand = cand.sort_values(["seconds", "user_id"], kind="stable").drop_duplicates("user_id")
    c_user = cand["user_id"].to_numpy()
    c_added = cand["seconds"].to_numpy()
    c_removed = np.full(c_user.size, -1, np.int64)
    # ---- pushes
    schedule = _push_days(rng, ctx)
    n_push = len(schedule)
    kinds = np.where(rng.random(n_push) < pf.one_to_one_share, "one_to_one",
                     np.where(rng.random(n_push) < 0.5, "moments", "group_broadcast"))
    hours = {"one_to_one": np.arange(10, 20), "moments": np.array([12, 20, 21]),
             "group_broadcast": np.array([19, 20, 21])}
    wide = kinds != "one_to_one"
    week = np.array([w for w, _ in schedule])
    wide_in_week = pd.Series(wide).groupby(week).transform("sum").to_numpy()
    tired = wide & (wide_in_week >= pf.fatigue_pushes)
    rows = []
    for i, (_, day) in enumerate(schedule):
        kind = kinds[i]
        sent = day * DAY + int(rng.choice(hours[kind])) * 3600 + int(rng.integers(60)) * 60
        pool = np.flatnonzero((c_added <= sent) & (c_removed < 0))
        if kind == "one_to_one":
            lo, hi = pf.one_to_one_audience
            k = min(pool.size, int(round(rng.integers(lo, hi + 1) * ctx.scale)))
            pool = np.sort(rng.choice(pool, k, replace=False))
        audience = pool.size
        read_p = pf.read_rate[kind] * (pf.fatigue_read if tired[i] else 1.0) * \
            _lognormal_mean_one(rng, 0.08, 1)[0]
        reads = int(rng.binomial(audience, min(read_p, 0.98)))
        clicks = int(rng.binomial(reads, pf.click_rate[kind]))
        n_orders = int(rng.binomial(clicks, pf.order_rate[kind]))
        paid = float(np.round(np.sum(pf.aov_median * np.exp(
            rng.normal(0, pf.aov_sigma, n_orders))), 2))
        leave_p = pf.unsubscribes_per_1000[kind] / 1000 * \
            (pf.fatigue_unsubscribes if tired[i] else 1.0)
        leavers = rng.choice(pool, int(rng.binomial(audience, leave_p)), replace=False)
        c_removed[leavers] = sent + 60 + np.minimum(
            rng.exponential(3 * 3600, leavers.size).astype(np.int64), DAY - 120)
        staff = audience * pf.staff_per_contact if kind == "one_to_one" else \
            pf.staff_per_push * ctx.scale
        coupons = int(rng.binomial(n_orders, pf.coupon_use)) * pf.coupon_value
        rows.append((i + 1, sent, kind, audience, reads, clicks, n_orders, paid,
                     leavers.size, round(staff + coupons, 2)))
    pushes = pd.DataFrame(rows, columns=["push_id", "sent_time", "kind", "audience", "reads",
                                         "clicks", "orders", "paid", "unsubscribes", "cost"])
    pushes["sent_time"] = cal.to_datetime(pushes["sent_time"].to_numpy())
    gone = c_removed >= 0
    contacts = pd.DataFrame({
        "user_id": c_user, "added_time": cal.to_datetime(c_added),
        "source": cand["source"].to_numpy(),
        "removed_time": pd.Series(cal.to_datetime(np.where(gone, c_removed, 0)))
        .where(gone).to_numpy()})
    return {"wecom_contacts": contacts.reset_index(drop=True), "pool_pushes": pushes}


# ---------------------------------------------------------------- lesson 04: content
def _texts(rng: np.random.Generator, pool: list[str], endings: list[str], n: int) -> np.ndarray:
    """n texts from `pool` with a product name for {p} and an ending drawn for each."""
    core = _pick(rng, pool, n)
    product = _pick(rng, phrases.COMMENT_PRODUCTS, n)
    ending = _pick(rng, endings, n)
    return np.array([c.format(p=p) + e for c, p, e in zip(core, product, ending)], dtype=object)


def plant_post_comments(ctx: Context, rng: np.random.Generator, posts: pd.DataFrame,
                        viral_post_id: int) -> dict:
    """Every comment on our own posts, exactly posts.comments of them per post: praise,
    questions, chat and complaints by theme; a few promotion posts draw price complaints
    (先涨价再打折) and one new_product post taste complaints.

    Gives `post_comments` and the truths `price_backlash_post_ids`, `taste_backlash_post_id`.
    """
    from scipy.special import ndtr, ndtri

    cf, cal = ctx.scenario.comments, ctx.cal
    mine = posts[(posts["account"] == "chayu") & (posts["comments"] > 0)]
    enough = mine[(mine["comments"] >= cf.backlash_min_comments)
                  & (mine["post_id"] != viral_post_id)]
    promo = enough.loc[enough["topic"] == "promotion", "post_id"].to_numpy()
    price_ids = np.sort(rng.choice(promo, min(cf.price_backlash_posts, promo.size),
                                   replace=False))
    new = enough.loc[enough["topic"] == "new_product", "post_id"].to_numpy()
    taste_ids = np.sort(rng.choice(new, min(cf.taste_backlash_posts, new.size), replace=False))
    post_id = np.repeat(mine["post_id"].to_numpy(), mine["comments"].to_numpy())
    n = post_id.size
    kinds = list(cf.kind_mix)
    kind = _draw(rng, cf.kind_mix, n).astype(object)
    theme = _draw(rng, cf.complaint_themes, n).astype(object)
    kind = np.where(kind == "complaint", theme, kind)
    u = rng.random(n)
    on_price, on_taste = np.isin(post_id, price_ids), np.isin(post_id, taste_ids)
    kind = np.where(on_price & (u < cf.price_backlash_share), "price", kind)
    kind = np.where(on_taste & (u < cf.taste_backlash_share), "taste", kind)
    text = np.empty(n, dtype=object)
    pools = {"praise": phrases.COMMENT_PRAISE, "question": phrases.COMMENT_QUESTIONS,
             "chat": phrases.COMMENT_CHAT, **phrases.COMMENT_COMPLAINTS}
    for k, pool in pools.items():
        rows = kind == k
        complaint = k not in kinds
        text[rows] = _texts(rng, pool, phrases.COMMENT_COMPLAINT_ENDINGS if complaint
                            else phrases.COMMENT_ENDINGS, int(rows.sum()))
    # delay: log-normal hours, drawn below the time left before the data ends
    start = (posts.set_index("post_id")["publish_time"].reindex(post_id).to_numpy()
             - cal.start.astype("datetime64[s]")).astype("timedelta64[s]").astype(np.int64)
    left = (cal.end_second - 1 - start) / 3600
    mu, sigma = np.log(cf.delay_median_hours), cf.delay_sigma
    top = ndtr((np.log(np.maximum(left, 1e-3)) - mu) / sigma)
    hours = np.exp(mu + sigma * ndtri(rng.random(n) * top))
    seconds = start + np.clip(np.round(hours * 3600).astype(np.int64), 30, None)
    seconds = np.minimum(seconds, cal.end_second - 1)
    backlash = (on_price & (kind == "price")) | (on_taste & (kind == "taste"))
    mean = np.where(backlash, cf.backlash_likes_mean, cf.likes_mean)
    likes = rng.negative_binomial(1, 1 / (1 + mean))
    order = np.lexsort((post_id, seconds))
    table = pd.DataFrame({"comment_id": np.arange(1, n + 1), "post_id": post_id[order],
                          "created_time": cal.to_datetime(seconds[order]),
                          "text": text[order], "likes": likes[order]})
    return {"post_comments": table, "price_backlash_post_ids": [int(i) for i in price_ids],
            "taste_backlash_post_id": int(taste_ids[0]) if taste_ids.size else -1}


def plant_brand_mentions(ctx: Context, rng: np.random.Generator) -> dict:
    """Public mentions of 茶语 on the five platforms, hour by hour with the day's and the
    week's rhythm: mostly positive or neutral, a steady trickle of negatives, and one
    burst of a quality complaint and its reposts on one platform.

    Gives `brand_mentions` and the truth `burst_mention_ids`.
    """
    mf, cal = ctx.scenario.mentions, ctx.cal
    hours = np.arange(cal.n_days * 24)
    shape = HOUR_WEIGHTS[hours % 24] / HOUR_WEIGHTS.mean()
    week = np.where(cal.weekend[hours // 24], mf.weekend_lift, 1.0)
    growth = 1 + mf.growth * hours / hours.size
    frames = []
    for platform in PLATFORMS:
        lam = mf.per_day[platform] / 24 * shape * week * growth
        count = rng.poisson(lam)
        hour = np.repeat(hours, count)
        frames.append(pd.DataFrame({
            "platform": platform, "seconds": hour * 3600 + rng.integers(0, 3600, hour.size),
            "kind": _draw(rng, mf.sentiment_mix, hour.size)}))
    base = pd.concat(frames, ignore_index=True)
    # the burst: intensity per minute from the onset, with a mild night dip
    onset = int((np.datetime64(mf.burst_start, "s") - cal.start.astype("datetime64[s]"))
                .astype(np.int64))
    minutes = np.arange(0, min(4 * DAY, cal.end_second - onset) // 60)
    t = minutes / 60
    curve = (1 - np.exp(-t / mf.burst_rise_hours)) * np.exp(-t / mf.burst_decay_hours) * \
        np.sqrt(HOUR_WEIGHTS[((onset // 60 + minutes) // 60) % 24] / HOUR_WEIGHTS.mean())
    curve[0] = 0.0
    picked = rng.choice(minutes.size, mf.burst_mentions - 1, p=curve / curve.sum())
    b_sec = np.concatenate([[onset], onset + minutes[picked] * 60
                            + rng.integers(0, 60, picked.size)])
    repost = np.concatenate([[False], rng.random(picked.size) < mf.burst_repost_share])
    burst = pd.DataFrame({"platform": mf.burst_platform, "seconds": b_sec,
                          "kind": np.where(repost, "repost", "burst")})
    m = pd.concat([base.assign(burst=False), burst.assign(burst=True)], ignore_index=True)
    n = len(m)
    kind = m["kind"].to_numpy()
    text = np.empty(n, dtype=object)
    for k, pool, endings in (
            ("positive", phrases.MENTION_POSITIVE, phrases.MENTION_ENDINGS),
            ("neutral", phrases.MENTION_NEUTRAL, phrases.MENTION_ENDINGS),
            ("negative", phrases.MENTION_NEGATIVE, phrases.MENTION_NEGATIVE_ENDINGS),
            ("burst", phrases.MENTION_BURST, phrases.MENTION_NEGATIVE_ENDINGS),
            ("repost", phrases.MENTION_BURST_REPOSTS, phrases.MENTION_NEGATIVE_ENDINGS)):
        rows = kind == k
        text[rows] = _texts(rng, pool, endings, int(rows.sum()))
    reposts = rng.negative_binomial(1, 1 / (1 + np.where(kind == "burst", 40.0,
                                                         np.where(kind == "repost", 0.5, 1.5))))
    seed_row = np.flatnonzero(m["burst"].to_numpy() & (m["seconds"].to_numpy() == onset))[0]
    reposts[seed_row] = mf.seed_post_reposts
    order = np.lexsort((np.arange(n), m["seconds"].to_numpy()))
    table = pd.DataFrame({"mention_id": np.arange(1, n + 1),
                          "platform": m["platform"].to_numpy()[order],
                          "created_time": cal.to_datetime(m["seconds"].to_numpy()[order]),
                          "text": text[order], "reposts": reposts[order]})
    ids = table.loc[m["burst"].to_numpy()[order], "mention_id"]
    return {"brand_mentions": table, "burst_mention_ids": ids.astype(int).tolist()}


def plant_content_tests(ctx: Context, rng: np.random.Generator) -> dict:
    """Two content tests, one row per test, variant and day: a title A/B on one WeChat
    article (B's number title is read more) and a posting-time test on Douyin (12:00
    vs 20:00: the same read rate, a little more completion at 20:00).

    Gives `content_tests`.
    """
    tf, cal = ctx.scenario.content_tests, ctx.cal
    rows = []
    # (a) one article, two titles, pushed at 20:00 to two random halves; its daily
    # impressions fall off after the push day
    decay = np.array([0.5, 0.2, 0.1, 0.07, 0.05, 0.045, 0.035])
    d0 = cal.day(tf.title_start)
    for arm, title, rate in zip("AB", tf.titles, tf.title_read_rate):
        imp = np.round(tf.title_impressions * decay * _lognormal_mean_one(rng, 0.05, 7)
                       ).astype(int)
        reads = rng.binomial(imp, rate)
        rows.append(pd.DataFrame({
            "test_id": "title_ab", "variant": arm, "title": title, "publish_hour": 20,
            "date": cal.to_date(d0 + np.arange(7)), "impressions": imp, "reads": reads,
            "completion_rate": np.nan, "likes": rng.binomial(reads, tf.like_rate),
            "shares": rng.binomial(reads, tf.share_rate)}))
    # (b) each day two videos of the same series; a coin decides which goes out at 12:00
    days = cal.day(tf.time_start) + np.arange(tf.time_days)
    pair = np.array([rng.choice(len(phrases.TEST_VIDEO_TITLES), 2, replace=False)
                     for _ in days])
    swap = rng.random(days.size) < 0.5
    for i, (arm, hour) in enumerate(zip("AB", tf.time_hours)):
        pick = np.where(swap, pair[:, 1 - i], pair[:, i])
        imp = np.round(tf.time_impressions * _lognormal_mean_one(rng, 0.3, days.size)
                       ).astype(int)
        reads = rng.binomial(imp, tf.time_read_rate)
        level = tf.time_completion * (tf.time_completion_lift if hour == 20 else 1.0)
        completion = np.clip(level * _lognormal_mean_one(rng, 0.08, days.size), 0.01, 0.95)
        rows.append(pd.DataFrame({
            "test_id": "post_time", "variant": arm,
            "title": np.array(phrases.TEST_VIDEO_TITLES, dtype=object)[pick],
            "publish_hour": hour, "date": cal.to_date(days), "impressions": imp,
            "reads": reads, "completion_rate": np.round(completion, 4),
            "likes": rng.binomial(reads, tf.like_rate),
            "shares": rng.binomial(reads, tf.share_rate)}))
    table = pd.concat(rows, ignore_index=True)
    return {"content_tests": table}


def plant_campaign_history(ctx: Context, rng: np.random.Generator) -> dict:
    """Chayu's 2024–2025 campaigns, one row each, as their 复盘 sheets recorded them:
    media spend, coupon cost, the baseline GMV the days would have brought anyway, and
    the GMV. Incremental GMV (gmv − baseline_gmv) is the kind's return per CNY of cost
    times a lognormal factor; coupons are a share of the campaign's GMV.

    Gives `campaign_history`.
    """
    hf = ctx.scenario.history
    rows = []
    first, last = np.datetime64("2024-01-01"), np.datetime64("2025-12-31")
    growth = np.log(hf.baseline_per_day[1] / hf.baseline_per_day[0]) / (last - first
                                                                     ).astype(int)
    factor = np.exp(rng.normal(0.0, hf.return_sigma, len(hf.campaigns)))
    for (cid, name, kind, start, end, media), eps in zip(hf.campaigns, factor):
        days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
        per_day = hf.baseline_per_day[0] * np.exp(growth * (days - first).astype(int))
        base = float(per_day.sum()) * ctx.scale
        media = media * ctx.scale
        k, share = hf.return_per_cost[kind] * eps, hf.coupon_share[kind]
        # incremental = k × (media + coupons), coupons = share × (base + incremental)
        inc = k * (media + share * base) / (1 - k * share)
        gmv = base + inc
        rows.append((cid, name, kind, start, end, len(days), round(media, 2),
                     round(share * gmv, 2), round(base, 2), round(gmv, 2)))
    out = pd.DataFrame(rows, columns=["campaign_id", "campaign_name", "kind", "start_date",
                                      "end_date", "days", "media_spend", "coupon_cost",
                                      "baseline_gmv", "gmv"])
    out["start_date"] = pd.to_datetime(out["start_date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    return {"campaign_history": out}


def plant_live_hourly(ctx: Context, rng: np.random.Generator) -> dict:
    """The brand's Douyin live room, one row per hour on air (the 抖音电商罗盘 export):
    viewers with the evening's prime time, the 618 phases and a slow start of the burst;
    buyers by the phase's conversion; orders, GMV and coupon cost. From `topup_time` to
    the end of the burst a 满199减30 top-up lifts conversion and AOV (not viewers).

    Gives `live_hourly` and the truths `topup_incremental_gmv` (what the top-up added on
    the viewers who came, by the planted rates) and `topup_coupon_cost`.
    """
    lf, af, cal = ctx.scenario.live, ctx.scenario.activity, ctx.cal
    days = np.arange(np.datetime64(lf.start), np.datetime64(lf.end) + 1)
    on_air = np.arange(lf.first_hour, lf.last_hour + 1)
    hour = (days[:, None].astype("datetime64[h]") + on_air[None, :]).ravel()
    day = np.repeat(days, on_air.size)
    phase = np.full(hour.size, "normal", dtype=object)
    for name, (first, last, _) in af.phases_618.items():
        phase[(day >= np.datetime64(first)) & (day <= np.datetime64(last))] = name
    weekday = (day.astype(int) + 3) % 7                        # 1970-01-01: a Thursday
    shape = np.tile(np.asarray(lf.hour_shape) / np.mean(lf.hour_shape), days.size)
    lam = lf.viewers_per_hour * ctx.scale * shape * np.where(weekday >= 5, lf.weekend_lift, 1)
    lam *= np.array([lf.phase_viewers.get(p, 1.0) for p in phase])
    burst_start = np.datetime64(af.phases_618["burst"][0])
    for i, ramp in enumerate(lf.burst_ramp):
        lam[day == burst_start + i] *= ramp
    viewers = rng.poisson(lam * _lognormal_mean_one(rng, 0.15, hour.size))
    conv = np.array([lf.conversion[p] for p in phase])
    aov = np.array([lf.aov[p] for p in phase])
    topup = (hour >= np.datetime64(lf.topup_time, "h")) & (phase == "burst")
    conv_t = np.where(topup, conv * lf.topup_conversion, conv)
    aov_t = np.where(topup, aov * lf.topup_aov, aov)
    buyers = rng.binomial(viewers, conv_t)
    orders = buyers + rng.binomial(buyers, lf.second_order_share)
    shape_k = 4.0                                               # per order: CV 0.5
    gmv = np.where(orders > 0, rng.gamma(np.maximum(orders, 1) * shape_k, aov_t / shape_k), 0.0)
    gmv = np.round(gmv, 2)
    in_618 = phase != "normal"
    coupon = gmv * np.where(in_618, af.discount_618 * af.coupon_618_use, lf.store_coupon_share)
    topups = np.where(topup, rng.binomial(orders, lf.topup_use), 0)
    coupon = np.round(coupon + topups * lf.topup_discount, 2)
    per_order = 1 + lf.second_order_share
    expected_gain = viewers * per_order * (conv_t * aov_t - conv * aov)
    table = pd.DataFrame({"hour": hour.astype("datetime64[s]"), "viewers": viewers,
                          "buyers": buyers, "orders": orders, "gmv": gmv,
                          "coupon_cost": coupon})
    return {"live_hourly": table,
            "topup_incremental_gmv": float(expected_gain[topup].sum()),
            "topup_coupon_cost": float(topups.sum() * lf.topup_discount)}


# ---------------------------------------------------------------- the chain
PLANTERS: tuple[Planter, ...] = (
    Planter("traffic", plant_traffic, ("direct_visits", "paid_volume")),
    Planter("signups", plant_signups, ("direct_users",)),
    Planter("membership", plant_membership, ("direct_members",)),
    Planter("referral", plant_referrals,
            ("invites", "referral_visits", "referral_users", "referral_members")),
    Planter("fraud_ring", plant_fraud_ring,
            ("fraud_users", "fraud_visits", "fraud_devices", "fraud_ips")),
    Planter("people", assemble_people,
            ("people", "arrivals", "members", "koc_user_ids", "fraud_user_ids")),
    Planter("touches", plant_touches, ("touch_visits",)),
    Planter("activity", plant_activity, ("active_days",)),
    Planter("refills", plant_refills, ("refill_days",)),
    Planter("winback", plant_winback,
            ("reactivated_days", "winback_assignments", "winback_treated_rate",
             "winback_control_rate")),
    Planter("sessions", plant_sessions, ("sessions", "app_events")),
    Planter("checkout_test", plant_checkout_test, ("checkout_assignments", "checkout_b_users")),
    Planter("coupon_banner", plant_coupon_banner, ("banner_assignments", "srm_share_b")),
    Planter("home_devices", plant_home_devices, ("home_devices",)),
    Planter("orders", plant_orders, ("shop_orders",)),
    Planter("fraud_orders", plant_fraud_orders, ("fraud_orders",)),
    Planter("order_book", assemble_orders, ("order_book", "orders")),
    Planter("events", assemble_events, ("events",)),
    Planter("community_daily", plant_community_daily, ("community_daily", "challenge_groups")),
    Planter("points", plant_points, ("points_ledger",)),
    Planter("feedback", plant_feedback, ("feedback", "feedback_theme")),
    Planter("posts", plant_posts, ("posts", "viral_post_id", "banned_post_ids")),
    Planter("channel_daily", plant_channel_daily, ("channel_daily",)),
    Planter("campaigns", plant_campaigns, ("campaigns",)),
    Planter("visitors", plant_visitors, ("visits",)),
    Planter("users", publish_users, ("users",)),
    Planter("community_members", publish_members, ("community_members",)),
    Planter("ab_assignments", publish_experiments, ("ab_assignments",)),
    Planter("search_terms", plant_search_terms,
            ("search_terms", "wasted_keywords", "long_tail_keywords")),
    Planter("kol_posts", plant_kol_posts,
            ("kol_posts", "kol_to_renew", "kol_inflated_reads")),
    Planter("user_campaigns", plant_user_campaigns, ("user_campaigns",)),
    Planter("interests", plant_interests,
            ("product_views", "order_lines", "favourite_categories")),
    Planter("group_messages", plant_group_messages, ("group_messages", "message_violation")),
    Planter("private_pool", plant_private_pool, ("wecom_contacts", "pool_pushes")),
    Planter("post_comments", plant_post_comments,
            ("post_comments", "price_backlash_post_ids", "taste_backlash_post_id")),
    Planter("brand_mentions", plant_brand_mentions, ("brand_mentions", "burst_mention_ids")),
    Planter("content_tests", plant_content_tests, ("content_tests",)),
    Planter("campaign_history", plant_campaign_history, ("campaign_history",)),
    Planter("live_hourly", plant_live_hourly,
            ("live_hourly", "topup_incremental_gmv", "topup_coupon_cost")),
)


# ---------------------------------------------------------------- the generator
def generate(scenario: Scenario | None = None, seed: int = 7, n_users: int = 20_000,
             progress: Callable[[str, float], None] | None = None
             ) -> tuple[dict[str, pd.DataFrame], Truths]:
    """Generate the company's tables and the planted truths.

    `n_users` is the approximate number of registered users; every volume scales with
    it. `progress(step, fraction)` is called after each planter (the CLI draws a bar).
    """
    if n_users < 500:
        raise ValueError(f"n_users={n_users} is too small for the planted facts; use ≥ 500")
    scenario = scenario or Scenario()
    ctx = Context(scenario, Calendar.of(scenario), n_users / REFERENCE_USERS)
    made = _run(PLANTERS, ctx, seed, progress)
    truths = Truths(seed=seed, n_users=n_users, planted=asdict(scenario),
                    **{f.name: made[f.name] for f in fields(Truths) if f.name in made})
    tables = {name: made[name] for name in TABLES}
    _put_ids_in_signup_order(tables, truths)
    _measure(ctx, tables, truths)
    if progress is not None:
        progress("tables", 1.0)
    return tables, truths


def users_for_events(n_events: int, seed: int = 7, scenario: Scenario | None = None) -> int:
    """How many users make about `n_events` events: sized from a 20,000-user pilot.

    Events grow in proportion to users, so one small run gives the rate.

    >>> users_for_events(36_000, seed=1)
    2035
    """
    if n_events <= 0:
        raise ValueError(f"n_events must be positive, got {n_events}")
    pilot, _ = generate(scenario, seed=seed, n_users=REFERENCE_USERS)
    per_user = len(pilot["events"]) / REFERENCE_USERS
    return max(500, int(round(n_events / per_user)))


def _put_ids_in_signup_order(tables: dict[str, pd.DataFrame], truths: Truths) -> None:
    """Give user ids in signup order (as a real database would), in every table and in
    the truths; the tables are the generator's own, so this rewrites them in place."""
    users = tables["users"]
    old = users["user_id"].to_numpy()
    order = np.lexsort((old, users["signup_time"].to_numpy()))
    new_id = np.empty(old.max() + 1, dtype=np.int64)
    new_id[old[order]] = np.arange(1, len(users) + 1)
    for df in tables.values():
        for col in ("user_id", "referrer_id"):
            if col in df:
                ids = df[col]
                if ids.dtype == "Int64":
                    mapped = pd.array(new_id[ids.fillna(0).to_numpy("int64")], dtype="Int64")
                    df[col] = pd.Series(mapped, index=df.index).where(ids.notna())
                else:
                    df[col] = new_id[ids.to_numpy()]
    tables["users"] = users.sort_values("user_id", ignore_index=True)
    truths.koc_user_ids = sorted(int(new_id[i]) for i in truths.koc_user_ids)
    truths.fraud_user_ids = sorted(int(new_id[i]) for i in truths.fraud_user_ids)
    if truths.favourite_categories:          # one per user, by old id 1…N: re-index
        by_new = np.empty(len(users), dtype=object)
        by_new[new_id[np.arange(1, len(users) + 1)] - 1] = truths.favourite_categories
        truths.favourite_categories = by_new.tolist()


def _measure(ctx: Context, tables: dict[str, pd.DataFrame], truths: Truths) -> None:
    """What the plants imply, measured on the final tables as a trainee would."""
    users, events, cal = tables["users"], tables["events"], ctx.cal
    real = users.loc[~users["user_id"].isin(truths.fraud_user_ids)]
    signup_day = (real["signup_time"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    event_day = (events["event_time"].to_numpy().astype("datetime64[D]") - cal.start).astype(int)
    width = cal.n_days + 8
    active_key = events["user_id"].to_numpy() * width + event_day
    hit = np.isin(real["user_id"].to_numpy() * width + signup_day + 7, active_key,
                  kind="table")   # keys are dense small ints: a lookup table is fastest
    complete = signup_day + 7 < cal.n_days
    later = signup_day >= cal.day(ctx.scenario.users.onboarding_change)
    truths.d7_before = float(hit[complete & ~later].mean())
    truths.d7_after = float(hit[complete & later].mean())
    n_invites = int((events["event"] == "invite").sum())
    referred = int(users["referrer_id"].notna().sum())
    truths.invites_per_user = n_invites / len(users)
    truths.invite_conversion = referred / n_invites
    truths.k_factor = truths.invites_per_user * truths.invite_conversion
    truths.koc_referral_share = float(users["referrer_id"].isin(truths.koc_user_ids).sum()
                                      / referred)


def write_tables(tables: dict[str, pd.DataFrame], folder: str | Path, fmt: str = "csv",
                 progress: Callable[[str, float], None] | None = None) -> list[Path]:
    """Write tables as UTF-8 CSV (byte-stable) or Parquet, plus a SHA256SUMS manifest."""
    import hashlib

    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', not {fmt!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, (name, df) in enumerate(tables.items()):
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False, lineterminator="\n", date_format=None,
                      float_format="%.10g")
        else:
            df.to_parquet(path, index=False)
        written.append(path)
        if progress is not None:
            progress(f"write {name}", (i + 1) / len(tables))
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in written]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    return written
