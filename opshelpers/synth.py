"""The Chayu 茶语 generator: seeded, vectorised, deterministic.

`generate(Scenario(), seed=7, n_users=20_000)` returns the twelve tables of DESIGN §2
and a `Truths` object with the planted numbers and what they imply. Each part of the
company draws from its own random stream (spawned from `seed`), so changing one part
of the scenario leaves the others' draws unchanged.

>>> tables, truths = generate(Scenario(), seed=1, n_users=2_000)
>>> sorted(tables)[:3]
['ab_assignments', 'campaigns', 'channel_daily']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import phrases
from .scenario import CHANNELS, PLATFORMS, THEMES, Scenario

__all__ = ["Scenario", "Truths", "generate", "users_for_events", "write_tables", "TABLES"]

TABLES = ("users", "visits", "events", "orders", "channel_daily", "posts", "campaigns",
          "ab_assignments", "community_members", "community_daily", "points_ledger",
          "feedback")
DAY = 86_400
PAGES = ("lp_a", "lp_b", "lp_invite")
DEVICES = ("ios", "android", "mini_program")
# event names in funnel order (their codes sort events within a second)
EVENTS = ("signup", "app_open", "view_product", "add_to_cart", "checkout", "purchase", "invite")
REFERENCE_USERS = 20_000      # scenario volumes are stated at this size
# share of app sessions starting in each hour of the day (lunch and evening peaks)
HOUR_WEIGHTS = np.array([2, 1, .5, .3, .3, .5, 1.5, 3, 4, 4, 4, 4.5, 6, 5, 4, 4, 4, 4.5,
                         5, 6, 7.5, 8, 6.5, 4])


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

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- small helpers
class _Calendar:
    def __init__(self, scenario: Scenario):
        self.start = np.datetime64(scenario.start, "D")
        self.n_days = int((np.datetime64(scenario.end, "D") - self.start).astype(int)) + 1
        days = np.arange(self.n_days)
        self.weekday = (days + self.start.astype("datetime64[D]").view("int64") + 3) % 7
        self.weekend = self.weekday >= 5

    def day(self, date: str) -> int:
        return int((np.datetime64(date, "D") - self.start).astype(int))

    def window(self, first: str, last: str) -> np.ndarray:
        mask = np.zeros(self.n_days, bool)
        mask[self.day(first): self.day(last) + 1] = True
        return mask

    def to_datetime(self, seconds: np.ndarray) -> np.ndarray:
        base = self.start.astype("datetime64[s]")
        return base + np.asarray(seconds, "int64").astype("timedelta64[s]")

    def to_date(self, day_index: np.ndarray) -> np.ndarray:
        return self.start + np.asarray(day_index, "int64").astype("timedelta64[D]")


def _time_of_day(rng: np.random.Generator, n: int, weights=HOUR_WEIGHTS) -> np.ndarray:
    hours = rng.choice(24, size=n, p=weights / weights.sum())
    return hours * 3600 + rng.integers(0, 3600, size=n)


def _lognormal_mean_one(rng, sigma, n):
    return np.exp(rng.normal(-sigma ** 2 / 2, sigma, size=n))


def _codes(codes, categories) -> pd.Categorical:
    """A categorical from integer codes: cheap for the 10M-row tables."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories)


def _ids_or_na(ids: np.ndarray) -> pd.arrays.IntegerArray:
    """Nullable ids where 0 means 'none' (an invite sent outside any session)."""
    return pd.arrays.IntegerArray(ids.astype(np.int64), ids == 0)


def _pick(rng, options, n):
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size=n)]


class _Progress:
    def __init__(self, callback: Callable[[str, float], None] | None, steps: int):
        self.callback, self.steps, self.done = callback, steps, 0

    def __call__(self, name: str) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(name, self.done / self.steps)


# ---------------------------------------------------------------- the generator
def generate(scenario: Scenario | None = None, seed: int = 7, n_users: int = 20_000,
             progress: Callable[[str, float], None] | None = None
             ) -> tuple[dict[str, pd.DataFrame], Truths]:
    """Generate the company's tables and the planted truths.

    `n_users` is the approximate number of registered users; every volume scales with
    it. `progress(step, fraction)` is called after each step (the CLI draws a bar).
    """
    if n_users < 500:
        raise ValueError(f"n_users={n_users} is too small for the planted facts; use ≥ 500")
    scenario = scenario or Scenario()
    streams = dict(zip(
        ["traffic", "users", "referral", "community", "activity", "orders", "channel",
         "ab", "cdaily", "points", "feedback", "posts", "fraud"],
        [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(13)]))
    gen = _Generator(scenario, streams, n_users / REFERENCE_USERS, _Progress(progress, 11))
    return gen.run(seed, n_users)


def users_for_events(n_events: int, seed: int = 7, scenario: Scenario | None = None) -> int:
    """How many users make about `n_events` events: sized from a 20,000-user pilot.

    Events grow in proportion to users, so one small run gives the rate.

    >>> users_for_events(36_000, seed=1)
    2034
    """
    if n_events <= 0:
        raise ValueError(f"n_events must be positive, got {n_events}")
    pilot, _ = generate(scenario, seed=seed, n_users=REFERENCE_USERS)
    per_user = len(pilot["events"]) / REFERENCE_USERS
    return max(500, int(round(n_events / per_user)))


class _Generator:
    def __init__(self, sc: Scenario, rng: dict, scale: float, progress: _Progress):
        self.sc, self.rng, self.scale, self.progress = sc, rng, scale, progress
        self.cal = _Calendar(sc)
        self.volume: dict[str, np.ndarray] = {}   # paid channels' daily volume multiplier

    # ------------------------------------------------------------ orchestration
    def run(self, seed: int, n_users: int):
        sc = self.sc
        truths = Truths(seed=seed, n_users=n_users, planted=asdict(sc))
        visits = self._direct_visits()
        self.progress("visits")
        users = self._users_from_visits(visits)
        members = self._membership(users, first=True)
        users, visits, members, invites = self._referrals(users, visits, members, truths)
        users, visits = self._fraud_ring(users, visits, truths)
        users = users.infer_objects()
        visits = self._touches(users, visits)
        self.progress("users")
        active = self._activity_days(users, members, invites)
        refills = self._refills(users)
        active = pd.concat([active, refills], ignore_index=True).drop_duplicates()
        active, winback = self._winback(users, active, truths)
        self.progress("activity")
        events, sessions = self._events(users, active, invites)
        del active, invites                      # large at scale: free before the next step
        self.progress("events")
        ab, purchase_mult = self._ab_assignments(users, sessions, truths)
        orders = self._orders(users, members, sessions, purchase_mult, refills)
        events = self._purchase_events(events, sessions, orders)
        del sessions, refills
        self.progress("orders")
        community_daily = self._community_daily(members, truths)
        self.progress("community")
        points = self._points(users, orders, community_daily)
        feedback = self._feedback(users, orders, truths)
        posts = self._posts(truths)
        self.progress("content")
        channel_daily = self._channel_daily(visits)
        campaigns = self._campaigns()
        ab = pd.concat([ab, winback], ignore_index=True)
        truths.fraud_devices = self.fraud_devices
        tables = {
            "users": self._finish_users(users),
            "visits": self._finish_visits(visits, users),
            "events": events, "orders": self._finish_orders(orders),
            "channel_daily": channel_daily,
            "posts": posts, "campaigns": campaigns, "ab_assignments": ab,
            "community_members": self._finish_members(members),
            "community_daily": community_daily, "points_ledger": points,
            "feedback": feedback,
        }
        self._renumber_users(users, tables, truths)
        self._measure(tables, truths)
        self.progress("tables")
        return tables, truths

    @staticmethod
    def _renumber_users(users, tables, truths) -> None:
        """Give user ids in signup order (as a real database would)."""
        order = np.lexsort((users.index.to_numpy(), users["seconds"].to_numpy()))
        new_id = np.empty(users.index.max() + 2, dtype=np.int64)
        new_id[users.index.to_numpy()[order] + 1] = np.arange(1, len(users) + 1)
        for name, df in tables.items():
            for col in ("user_id", "referrer_id"):
                if col in df:
                    old = df[col]
                    if old.dtype == "Int64":
                        mapped = pd.array(new_id[old.fillna(0).to_numpy("int64")], dtype="Int64")
                        df[col] = pd.Series(mapped, index=df.index).where(old.notna())
                    else:
                        df[col] = new_id[old.to_numpy()]
        tables["users"] = tables["users"].sort_values("user_id", ignore_index=True)
        truths.koc_user_ids = sorted(int(new_id[i]) for i in truths.koc_user_ids)
        truths.fraud_user_ids = sorted(int(new_id[i]) for i in truths.fraud_user_ids)

    # ------------------------------------------------------------ traffic
    def _direct_visits(self) -> pd.DataFrame:
        tf, cal, rng = self.sc.traffic, self.cal, self.rng["traffic"]
        days = np.arange(cal.n_days)
        pause = cal.window(*tf.feed_ads_pause)
        xhs_drop = days >= cal.day(tf.xhs_drop_date)
        lp_mix = 0.5 + 0.5 * tf.landing_page_b_lift
        parts = []
        for c, per_day in tf.daily_signups.items():
            growth = 1.0 + (0.0 if c == "sem" else 0.15) * days / cal.n_days
            weekly = np.where(cal.weekend, 1.2 if c in ("xiaohongshu", "kol") else 1.1, 0.94)
            expected_visits = per_day * self.scale * growth * weekly / (tf.cvr[c] * lp_mix)
            if c in tf.elasticity:   # paid: daily budget swings move volume (and cost)
                volume = np.exp(rng.normal(0, tf.budget_sigma, cal.n_days))
                self.volume[c] = volume
                expected_visits = expected_visits * volume
            if c == "feed_ads":
                expected_visits = np.where(pause, 0.0, expected_visits)
            counts = rng.poisson(expected_visits)
            day = np.repeat(days, counts)
            n = day.size
            page_b = rng.random(n) >= 0.5
            cvr = np.full(n, tf.cvr[c])
            if c == tf.drop_channel:
                cvr = np.where(xhs_drop[day], tf.xhs_cvr_after, cvr)
            cvr = np.where(page_b, cvr * tf.landing_page_b_lift, cvr)
            parts.append(pd.DataFrame({
                "day": day, "channel": _codes(np.full(n, CHANNELS.index(c)), CHANNELS),
                "landing_page": _codes(page_b.astype(np.int8), PAGES),
                "signed_up": rng.random(n) < cvr}))
        visits = pd.concat(parts, ignore_index=True)
        return self._visit_details(visits, rng)

    def _visit_details(self, visits: pd.DataFrame, rng) -> pd.DataFrame:
        n = len(visits)
        # nothing in the data's last hour: a signup 15 min later must still be inside it
        visits["seconds"] = np.minimum(visits["day"].to_numpy() * DAY + _time_of_day(rng, n),
                                       self.cal.n_days * DAY - 3600 - 1000)
        visits["device"] = _codes(rng.choice(len(DEVICES), n, p=[.36, .39, .25]), DEVICES)
        bounce_p = np.where(visits["channel"].eq("feed_ads"), 0.68, 0.5)
        bounced = (~visits["signed_up"]) & (rng.random(n) < bounce_p)
        visits["bounced"] = bounced
        visits["pageviews"] = np.where(bounced, 1, 2 + rng.geometric(0.35, n) - 1)
        return visits

    def _users_from_visits(self, visits: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng["users"]
        signed = visits.loc[visits["signed_up"]]
        users = pd.DataFrame({
            "visit_index": signed.index.to_numpy(),
            "seconds": signed["seconds"].to_numpy() + rng.integers(30, 900, len(signed)),
            "channel": signed["channel"].to_numpy(),
            "landing_page": signed["landing_page"].to_numpy(),
            "device": signed["device"].to_numpy(),
            "referrer": -1,
        })
        return self._user_latents(users, rng)

    def _user_latents(self, users: pd.DataFrame, rng) -> pd.DataFrame:
        uf, n = self.sc.users, len(users)
        users["seconds"] = np.minimum(users["seconds"], self.cal.n_days * DAY - 3600)
        users["day"] = users["seconds"] // DAY
        quality = users["channel"].map(self.sc.traffic.engagement).to_numpy()
        users["engagement"] = quality * _lognormal_mean_one(rng, 0.6, n)
        buyer_p = np.clip(uf.buyer_share * users["engagement"] ** 0.5, 0, 0.9)
        users["buyer"] = rng.random(n) < buyer_p
        users["propensity"] = _lognormal_mean_one(rng, 0.9, n)
        users["value"] = _lognormal_mean_one(rng, 0.4, n)
        users["city_tier"] = rng.choice([1, 2, 3, 4], n, p=[.22, .33, .28, .17])
        users["age_group"] = rng.choice(["18-24", "25-34", "35-44", "45+"], n,
                                        p=[.2, .42, .25, .13])
        users["fraud"] = False
        return users

    # ------------------------------------------------------------ community membership
    def _membership(self, users: pd.DataFrame, first: bool) -> pd.DataFrame:
        cf, rng, cal = self.sc.community, self.rng["community"], self.cal
        if users.empty:
            return pd.DataFrame(columns=["user_index", "group_id", "group_type", "join_day",
                                         "leave_day", "koc"])
        e = users["engagement"].to_numpy()
        weight = e ** cf.selection
        p_join = np.clip(cf.member_share * weight / weight.mean(), 0, 0.9)
        delay = 2 + rng.exponential(10, len(users)).astype(int)
        join_day = users["day"].to_numpy() + delay
        joins = (rng.random(len(users)) < p_join) & (join_day < cal.n_days - 7)
        idx = np.flatnonzero(joins)
        groups = phrases.GROUPS
        type_p = np.array([{"deals": .5, "interest": .38, "industry": .12}[g[2]] for g in groups])
        per_type = {t: sum(1 for g in groups if g[2] == t) for t in ("deals", "interest", "industry")}
        type_p = type_p / np.array([per_type[g[2]] for g in groups])
        group = rng.choice(len(groups), size=idx.size, p=type_p / type_p.sum())
        leave = rng.random(idx.size) < 0.18
        leave_day = np.where(leave, join_day[idx] + 5 + rng.exponential(40, idx.size).astype(int), -1)
        leave_day = np.where(leave_day >= cal.n_days, -1, leave_day)
        members = pd.DataFrame({
            "user_index": users.index.to_numpy()[idx],
            "group_id": np.array([g[0] for g in groups])[group],
            "group_type": np.array([g[2] for g in groups])[group],
            "join_day": join_day[idx], "leave_day": leave_day,
            "koc": False,
        })
        if first:  # KOC: a few of the most engaged early members
            # referral users join later; size the KOC group for the final membership
            n_koc = max(2, round(cf.koc_share_of_members * len(members) / 0.68))
            eng = users.loc[members["user_index"], "engagement"].to_numpy()
            early = users.loc[members["user_index"], "day"].to_numpy() < 60
            score = np.where(early, eng * rng.random(len(members)) ** 0.3, 0)
            members.loc[np.argsort(-score)[:n_koc], "koc"] = True
        return members

    # ------------------------------------------------------------ referral (裂变)
    def _referrals(self, users, visits, members, truths):
        uf, cf, cal, rng = self.sc.users, self.sc.community, self.cal, self.rng["referral"]
        q_signup = self.sc.traffic.cvr["referral"]
        per_invite = uf.invite_click * q_signup
        koc_idx = members.loc[members["koc"], "user_index"].to_numpy()
        all_invites, new_visit_parts = [], []
        inviters = users
        # KOC invite volume is set once so they bring the planted share of referrals
        base = uf.k_factor * 0.82 / per_invite   # 0.82: KOC invites make up the rest
        others_rate = base * (users["engagement"] ** 0.5).sum() / (1 - uf.k_factor)
        koc_rate = cf.koc_share_of_referrals / (1 - cf.koc_share_of_referrals) * others_rate
        for generation in range(8):
            rate = base * inviters["engagement"].to_numpy(float) ** 0.5
            if generation == 0:
                is_koc = np.isin(inviters.index.to_numpy(), koc_idx)
                rate = np.where(is_koc, koc_rate / max(len(koc_idx), 1), rate)
            n_inv = rng.poisson(rate)
            who = np.repeat(inviters.index.to_numpy(), n_inv)
            if who.size == 0:
                break
            start = inviters.loc[who, "seconds"].to_numpy()
            # most people invite soon after joining; KOC keep inviting all along
            remaining = cal.n_days * DAY - start
            delay = np.where(np.isin(who, koc_idx), DAY + rng.random(who.size) * (remaining - DAY),
                             (1 + rng.exponential(30, who.size)) * DAY)
            sec = (start + delay).astype("int64")
            sec = (sec // DAY) * DAY + _time_of_day(rng, who.size)
            keep = sec < cal.n_days * DAY
            who, sec = who[keep], sec[keep]
            clicked = rng.random(who.size) < uf.invite_click
            signed = clicked & (rng.random(who.size) < q_signup)
            all_invites.append(pd.DataFrame({"user_index": who, "seconds": sec,
                                             "converted": signed}))
            k = int(clicked.sum())
            vis = pd.DataFrame({"day": sec[clicked] // DAY,
                                "channel": _codes(np.full(k, CHANNELS.index("referral")), CHANNELS),
                                "landing_page": _codes(np.full(k, 2), PAGES),
                                "signed_up": signed[clicked], "referrer": who[clicked]})
            vis = self._visit_details(vis, rng)
            vis["seconds"] = sec[clicked] + rng.integers(60, 3 * 3600, clicked.sum())
            vis["seconds"] = np.minimum(vis["seconds"], cal.n_days * DAY - 3600 - 1000)
            vis["day"] = vis["seconds"] // DAY
            vis.index = np.arange(len(visits), len(visits) + len(vis)) + \
                sum(len(p) for p in new_visit_parts)
            new_visit_parts.append(vis)
            signed_vis = vis.loc[vis["signed_up"]]
            new = pd.DataFrame({
                "visit_index": signed_vis.index.to_numpy(),
                "seconds": signed_vis["seconds"].to_numpy()
                + rng.integers(30, 600, len(signed_vis)),
                "channel": "referral", "landing_page": "lp_invite",
                "device": signed_vis["device"].to_numpy(),
                "referrer": signed_vis["referrer"].to_numpy(),
            })
            new = self._user_latents(new, rng)
            new.index = np.arange(len(users), len(users) + len(new))
            users = pd.concat([users, new])
            m = self._membership(new, first=False)
            if not m.empty:
                members = pd.concat([members, m], ignore_index=True)
            inviters = new
            if new.empty:
                break
        visits = pd.concat([visits] + new_visit_parts)
        visits["referrer"] = visits["referrer"].fillna(-1).astype("int64")
        invites = pd.concat(all_invites, ignore_index=True)
        truths.koc_user_ids = sorted(int(i) + 1 for i in koc_idx)
        return users, visits, members, invites

    # ------------------------------------------------------------ fraud ring (防刷单)
    def _fraud_ring(self, users, visits, truths):
        af, cal, rng = self.sc.activity, self.cal, self.rng["fraud"]
        n = af.fraud_accounts
        first, last = cal.day(af.fraud_window[0]), cal.day(af.fraud_window[1])
        sec = rng.integers(first * DAY, (last + 1) * DAY, n)
        vis = pd.DataFrame({"day": sec // DAY,
                            "channel": _codes(np.full(n, CHANNELS.index("feed_ads")), CHANNELS),
                            "landing_page": _codes(rng.integers(0, 2, n), PAGES),
                            "signed_up": True, "referrer": -1})
        vis = self._visit_details(vis, rng)
        vis["seconds"] = sec
        vis["device"] = _codes(np.full(n, DEVICES.index("android")), DEVICES)
        vis.index = np.arange(visits.index.max() + 1, visits.index.max() + 1 + n)
        new = pd.DataFrame({"visit_index": vis.index.to_numpy(), "seconds": sec + 60,
                            "channel": "feed_ads",
                            "landing_page": np.asarray(vis["landing_page"], dtype=object),
                            "device": "android", "referrer": -1})
        new = self._user_latents(new, rng)
        new["engagement"], new["buyer"], new["fraud"] = 0.0, False, True
        new.index = np.arange(len(users), len(users) + n)
        truths.fraud_user_ids = sorted(int(i) + 1 for i in new.index)
        return pd.concat([users, new]), pd.concat([visits, vis])

    # ------------------------------------------------------------ touch paths
    def _touches(self, users, visits) -> pd.DataFrame:
        """Earlier visits by the same visitor before a signup (multi-touch paths)."""
        tf, cal, rng = self.sc.traffic, self.cal, self.rng["traffic"]
        cand = users.loc[~users["fraud"] & (users["channel"] != "referral")]
        has = rng.random(len(cand)) < tf.touch_share
        cand = cand.loc[has]
        n_touch = 1 + rng.binomial(2, 0.3, len(cand))
        owner = np.repeat(np.arange(len(cand)), n_touch)
        signup_visit = cand["visit_index"].to_numpy()[owner]
        when = visits.loc[signup_visit, "seconds"].to_numpy() - \
            rng.uniform(0.02, 10, owner.size) * DAY
        keep = when >= 0
        owner, signup_visit, when = owner[keep], signup_visit[keep], when[keep]
        names = list(tf.touch_weights)
        w = np.array([tf.touch_weights[c] for c in names])
        chan = rng.choice(len(names), owner.size, p=w / w.sum())
        paused = cal.window(*tf.feed_ads_pause)[(when // DAY).astype(int)]
        keep = ~((np.array(names)[chan] == "feed_ads") & paused)   # no ads, no ad touches
        owner, signup_visit, when, chan = owner[keep], signup_visit[keep], when[keep], chan[keep]
        k = owner.size
        vis = pd.DataFrame({
            "day": (when // DAY).astype(int),
            "channel": _codes(np.array([CHANNELS.index(c) for c in names])[chan], CHANNELS),
            "landing_page": _codes(rng.integers(0, 2, k), PAGES),
            "signed_up": False, "referrer": -1})
        vis = self._visit_details(vis, rng)
        vis["seconds"] = when.astype(np.int64)
        vis["touch_of"] = signup_visit
        vis.index = np.arange(visits.index.max() + 1, visits.index.max() + 1 + k)
        return pd.concat([visits, vis])

    # ------------------------------------------------------------ activity
    def _activity_days(self, users, members, invites) -> pd.DataFrame:
        uf, cf, cal, rng = self.sc.users, self.sc.community, self.cal, self.rng["activity"]
        change = cal.day(uf.onboarding_change)
        weekly = np.where(cal.weekend, uf.weekend_activity, 1.0)
        weekly = weekly / weekly.mean()
        camp = np.ones(cal.n_days)
        for first, last, lift in self.sc.activity.phases_618.values():
            camp[cal.window(first, last)] = 1.0 + (lift - 1.0) * 0.12
        m = members.drop_duplicates("user_index").set_index("user_index")
        join = np.full(len(users), 10 ** 6)
        leave = np.full(len(users), 10 ** 6)
        mlift = np.ones(len(users))
        pos = users.index.get_indexer(m.index)
        join[pos] = m["join_day"].to_numpy()
        leave[pos] = np.where(m["leave_day"].to_numpy() >= 0, m["leave_day"].to_numpy(), 10 ** 6)
        mlift[pos] = 1 + cf.member_effect * np.where(
            m["group_type"].to_numpy() == "interest", cf.interest_activity_lift, 1.0)
        sday = users["day"].to_numpy()
        eng = users["engagement"].to_numpy()
        # feed-ads retargeting brings its own users back; the pause switches that off too
        pause = cal.window(*self.sc.traffic.feed_ads_pause)
        retarget = users["channel"].eq("feed_ads").to_numpy()
        # churn: most users stop for good after a while; engaged users are more often loyal
        loyal = rng.random(len(users)) < np.clip(uf.loyal_share * eng, 0, 0.9)
        lifetime = np.where(loyal, 10 ** 6, rng.exponential(uf.lifetime_days, len(users)))
        parts = [pd.DataFrame({"user_index": users.index.to_numpy(), "day": sday})]
        chunk = 50_000
        for lo in range(0, len(users), chunk):
            hi = min(lo + chunk, len(users))
            span = cal.n_days - sday[lo:hi] - 1
            owner = np.repeat(np.arange(lo, hi), span)
            offsets = np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
            rel = offsets + 1
            day = sday[owner] + rel
            r1, rinf, tau = np.where(sday[owner] < change, 1, 0)[None, :] * \
                np.array(uf.curve_before)[:, None] + \
                np.where(sday[owner] < change, 0, 1)[None, :] * np.array(uf.curve_after)[:, None]
            curve = rinf + (r1 - rinf) * np.exp(-(rel - 1) / tau)
            in_group = (day >= join[owner]) & (day < leave[owner])
            p = eng[owner] * curve * weekly[day] * camp[day] * np.where(in_group, mlift[owner], 1.0)
            p = np.where(rel <= lifetime[owner], p, 0.0)
            p = np.where(retarget[owner] & pause[day], p * self.sc.traffic.retargeting_share, p)
            hit = rng.random(owner.size) < np.minimum(p, 0.92)
            parts.append(pd.DataFrame({"user_index": users.index.to_numpy()[owner[hit]],
                                       "day": day[hit]}))
        inv = invites[["user_index"]].assign(day=invites["seconds"] // DAY)
        return pd.concat(parts + [inv], ignore_index=True).drop_duplicates()

    def _refills(self, users) -> pd.DataFrame:
        """Loyal tea drinkers re-order on their own cycle (复购): (user, day) of each refill."""
        uf, cal, rng = self.sc.users, self.cal, self.rng["activity"]
        real = users.loc[users["buyer"] & ~users["fraud"]]
        weight = real["propensity"].to_numpy() * real["engagement"].to_numpy()
        n = int(round(uf.refill_share * len(users)))
        pick = rng.choice(len(real), size=min(n, len(real)), replace=False,
                          p=weight / weight.sum())
        who = real.index.to_numpy()[np.sort(pick)]
        cycle = rng.uniform(*uf.refill_cycle_days, who.size)
        signup = users.loc[who, "day"].to_numpy()
        first = signup + rng.exponential(12, who.size)
        k = np.arange(int(cal.n_days / uf.refill_cycle_days[0]) + 2)
        days = first[:, None] + k[None, :] * cycle[:, None] + \
            rng.normal(0, 2, (who.size, k.size))
        # each refill cycle continues with probability refill_keep
        alive = np.cumprod(rng.random((who.size, k.size)) < uf.refill_keep, axis=1)
        ok = (alive == 1) & (days < cal.n_days) & (days >= signup[:, None] + 1)
        owner = np.broadcast_to(who[:, None], days.shape)[ok]
        return pd.DataFrame({"user_index": owner, "day": days[ok].astype(int)})

    def _winback(self, users, active, truths):
        uf, cal, rng = self.sc.users, self.cal, self.rng["ab"]
        d0 = cal.day(uf.winback_date)
        before = active.loc[active["day"] < d0].groupby("user_index")["day"].max()
        eligible = before.index[(before < d0 - uf.dormant_days).to_numpy()]
        eligible = eligible[~users.loc[eligible, "fraud"].to_numpy()]
        eligible = np.sort(eligible.to_numpy())
        holdout = rng.random(eligible.size) < uf.winback_holdout
        treated = eligible[~holdout]
        extra_hit = rng.random(treated.size) < uf.winback_lift / 0.9
        extra = pd.DataFrame({"user_index": treated[extra_hit],
                              "day": d0 + rng.integers(0, 14, extra_hit.sum())})
        active = pd.concat([active, extra], ignore_index=True).drop_duplicates()
        window = active.loc[(active["day"] >= d0) & (active["day"] < d0 + 14), "user_index"]
        back = np.isin(eligible, window.unique())
        truths.winback_treated_rate = float(back[~holdout].mean())
        truths.winback_control_rate = float(back[holdout].mean())
        assigned = cal.to_datetime(np.full(eligible.size, d0 * DAY + 10 * 3600))
        winback = pd.DataFrame({"experiment": "winback_0510", "user_id": eligible + 1,
                                "variant": np.where(holdout, "holdout", "message"),
                                "assigned_time": assigned})
        return active, winback

    # ------------------------------------------------------------ sessions and events
    def _events(self, users, active, invites):
        rng, cal = self.rng["activity"], self.cal
        active = active.sort_values(["user_index", "day"], ignore_index=True)
        u = active["user_index"].to_numpy()
        day = active["day"].to_numpy()
        signup_sec = users["seconds"].to_numpy()
        upos = users.index.get_indexer(u)
        is_signup_day = day == users["day"].to_numpy()[upos]
        start = np.where(is_signup_day, signup_sec[upos], day * DAY + _time_of_day(rng, u.size))
        # signup day: the visit's session continues in the app; other days may add a 2nd
        second = (~is_signup_day) & (rng.random(u.size) < 0.08)
        s_user = np.concatenate([u, u[second]])
        s_day = np.concatenate([day, day[second]])
        s_start = np.concatenate([start, day[second] * DAY + _time_of_day(rng, second.sum())])
        s_signup = np.concatenate([is_signup_day, np.zeros(second.sum(), bool)])
        order = np.lexsort((s_user, s_start))   # session ids in time order
        sessions = pd.DataFrame({"user_index": s_user[order], "day": s_day[order],
                                 "start": np.minimum(s_start[order], cal.n_days * DAY - 3600),
                                 "signup": s_signup[order]})
        sessions["session_id"] = np.arange(1, len(sessions) + 1)
        n = len(sessions)
        browse = rng.random(n) < 0.35
        cart = browse & (rng.random(n) < 0.2)
        checkout = cart & (rng.random(n) < 0.35)
        sessions["browse"], sessions["cart"], sessions["checkout"] = browse, cart, checkout
        # compact arrays: at 1M users this is ~15M rows
        s_user = sessions["user_index"].to_numpy().astype(np.int32)
        s_id = sessions["session_id"].to_numpy().astype(np.int32)
        s_start = sessions["start"].to_numpy().astype(np.int32)
        steps = [(sessions["signup"].to_numpy(), 0), (np.ones(n, bool), 1), (browse, 40),
                 (cart, 160), (checkout, 260)]
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
        events = pd.DataFrame({
            "user_index": np.concatenate([s_user[i] for i in idx] + [i_user.astype(np.int32)]),
            "session_id": np.concatenate([s_id[i] for i in idx] + [session_of.astype(np.int32)]),
            "seconds": np.concatenate([s_start[i] + off for i, (_, off) in zip(idx, steps)]
                                      + [i_sec.astype(np.int32)]),
            "code": np.concatenate([np.full(i.size, c, np.int8) for c, i in enumerate(idx)]
                                   + [np.full(i_sec.size, EVENTS.index("invite"), np.int8)]),
        })
        return events, sessions

    def _purchase_events(self, events, sessions, orders) -> pd.DataFrame:
        """Add view/cart/checkout/purchase events for sessions that bought; finish the log."""
        cal = self.cal
        bought = sessions.loc[sessions["session_id"].isin(orders["session_id"])]
        cols = {c: [events[c].to_numpy()] for c in ("user_index", "session_id", "seconds",
                                                     "code")}
        for name, flag, offset in (("view_product", "browse", 40), ("add_to_cart", "cart", 160),
                                   ("checkout", "checkout", 260)):
            need = bought.loc[~bought[flag]]
            cols["user_index"].append(need["user_index"].to_numpy().astype(np.int32))
            cols["session_id"].append(need["session_id"].to_numpy().astype(np.int32))
            cols["seconds"].append((need["start"].to_numpy() + offset).astype(np.int32))
            cols["code"].append(np.full(len(need), EVENTS.index(name), np.int8))
        cols["user_index"].append((orders["user_id"].to_numpy() - 1).astype(np.int32))
        cols["session_id"].append(orders["session_id"].to_numpy().astype(np.int32))
        cols["seconds"].append(orders["seconds"].to_numpy().astype(np.int32))
        cols["code"].append(np.full(len(orders), EVENTS.index("purchase"), np.int8))
        arr = {c: np.concatenate(v) for c, v in cols.items()}
        del cols, events
        revenue = np.full(arr["code"].size, np.nan)
        revenue[arr["code"].size - len(orders):] = orders["paid"].to_numpy()
        # one int64 sort key: time, then user, then funnel order (EVENTS is in that order)
        n_users = int(arr["user_index"].max()) + 1
        key = (arr["seconds"].astype(np.int64) * n_users + arr["user_index"]) * 8 + arr["code"]
        order = np.argsort(key, kind="stable")
        del key
        return pd.DataFrame({
            "user_id": arr["user_index"][order] + 1,
            "event_time": cal.to_datetime(arr["seconds"][order]),
            "event": pd.Categorical.from_codes(arr["code"][order], EVENTS),
            "session_id": _ids_or_na(arr["session_id"][order]),
            "revenue": np.round(revenue[order], 2),
        })

    # ------------------------------------------------------------ experiments
    def _ab_assignments(self, users, sessions, truths):
        af, cal, rng = self.sc.activity, self.cal, self.rng["ab"]
        first, last = cal.day(af.ab_window[0]), cal.day(af.ab_window[1])
        in_win = sessions.loc[(sessions["day"] >= first) & (sessions["day"] <= last)]
        seen = in_win.groupby("user_index")["start"].min()
        # returning customers only: each has a pre-period (for CUPED) before the test
        old = users.loc[seen.index, "day"].to_numpy() < first - af.ab_min_tenure_days
        seen = seen[old & ~users.loc[seen.index, "fraud"].to_numpy()]
        variant_b = rng.random(len(seen)) < 0.5
        checkout = pd.DataFrame({"experiment": "checkout_button", "user_id": seen.index + 1,
                                 "variant": np.where(variant_b, "B", "A"),
                                 "assigned_time": cal.to_datetime(seen.to_numpy())})
        # purchase multiplier on B users during the window (tuned to the planted rates)
        mult = pd.Series(np.where(variant_b, af.ab_purchase_mult, 1.0),
                         index=seen.index)
        b_first, b_last = cal.day("2026-05-15"), cal.day("2026-05-31")
        in_b = sessions.loc[(sessions["day"] >= b_first) & (sessions["day"] <= b_last)]
        seen_b = in_b.groupby("user_index")["start"].min()
        seen_b = seen_b[~users.loc[seen_b.index, "fraud"].to_numpy()]
        banner_b = rng.random(len(seen_b)) < af.srm_share_b
        banner = pd.DataFrame({"experiment": "coupon_banner", "user_id": seen_b.index + 1,
                               "variant": np.where(banner_b, "B", "A"),
                               "assigned_time": cal.to_datetime(seen_b.to_numpy())})
        truths.srm_share_b = float(banner_b.mean())
        ab = pd.concat([checkout, banner], ignore_index=True)
        return ab, (mult, first, last)

    # ------------------------------------------------------------ orders
    def _orders(self, users, members, sessions, ab_mult, refills) -> pd.DataFrame:
        uf, af, cf, cal = self.sc.users, self.sc.activity, self.sc.community, self.cal
        rng = self.rng["orders"]
        campaign_mult = np.ones(cal.n_days)
        campaign_id = np.full(cal.n_days, "", dtype=object)
        campaign_mult[cal.window(*af.launch)] = af.launch_lift
        campaign_id[cal.window(*af.launch)] = "new_tea_launch"
        for phase, (first, last, lift) in af.phases_618.items():
            campaign_mult[cal.window(first, last)] = lift
            campaign_id[cal.window(first, last)] = f"618_{phase}"
        ui = sessions["user_index"].to_numpy()
        day = sessions["day"].to_numpy()
        upos = users.index.get_indexer(ui)
        deal_members = members.loc[members["group_type"] == "deals", ["user_index", "join_day"]]
        deal_join = pd.Series(deal_members["join_day"].to_numpy(),
                              index=deal_members["user_index"].to_numpy())
        deal_join = deal_join[~deal_join.index.duplicated()]
        dj = deal_join.reindex(ui).fillna(10 ** 6).to_numpy()
        mult, ab_first, ab_last = ab_mult
        abm = np.where((day >= ab_first) & (day <= ab_last),
                       mult.reindex(ui).fillna(1.0).to_numpy(), 1.0)
        new_user = (day - users["day"].to_numpy()[upos]) < 7
        p = (uf.purchase_prob * users["propensity"].to_numpy()[upos]
             * users["buyer"].to_numpy()[upos] * campaign_mult[day]
             * np.where(day >= dj, cf.deals_purchase_lift, 1.0) * abm
             * np.where(new_user, 1.6, 1.0))
        buy = rng.random(ui.size) < np.minimum(p, 0.85)
        first_today = ~pd.MultiIndex.from_arrays([ui, day]).duplicated()
        refill = first_today & pd.MultiIndex.from_arrays([ui, day]).isin(
            pd.MultiIndex.from_arrays([refills["user_index"], refills["day"]]))
        buy |= refill
        s = sessions.assign(refill=refill).loc[buy]
        n_orders = 1 + (rng.random(len(s)) < 0.07)
        s = s.loc[s.index.repeat(n_orders)]
        n = len(s)
        upos = users.index.get_indexer(s["user_index"].to_numpy())
        gmv = uf.aov_median * users["value"].to_numpy()[upos] * \
            _lognormal_mean_one(rng, uf.aov_sigma, n) * np.exp(uf.aov_sigma ** 2 / 2)
        is_refill = s["refill"].to_numpy() & ~pd.Series(s.index).duplicated().to_numpy()
        # loyal drinkers stock up (囤货) during campaigns instead of ordering more often
        gmv = np.where(is_refill, uf.aov_median * uf.refill_size * campaign_mult[s["day"]]
                       * users["value"].to_numpy()[upos] * _lognormal_mean_one(rng, 0.15, n), gmv)
        gift = rng.random(n) < 0.012
        gmv = np.round(np.where(gift, gmv + rng.uniform(600, 1600, n), gmv), 1)
        items = np.maximum(1, np.round(gmv / 90 + rng.normal(0, .5, n))).astype(int)
        sday = s["day"].to_numpy()
        new_user = (sday - users["day"].to_numpy()[upos]) < 7
        camp = campaign_id[sday]
        coupon = np.full(n, "", dtype=object)
        discount = np.zeros(n)
        first_of_user = ~pd.Series(s["user_index"].to_numpy()).duplicated().to_numpy()
        use_new = new_user & first_of_user & (rng.random(n) < 0.6) & (gmv >= 29)
        coupon[use_new], discount[use_new] = af.new_user_coupon, 20.0
        is618 = np.char.startswith(camp.astype(str), "618") & ~use_new & (rng.random(n) < 0.7)
        coupon[is618], discount[is618] = "C618", np.round(gmv[is618] * 0.1, 1)
        launch = (camp == "new_tea_launch") & ~use_new & (rng.random(n) < 0.3) & (gmv >= 49)
        coupon[launch], discount[launch] = "LAUNCH15", 15.0
        seconds = s["start"].to_numpy() + 300 + rng.integers(0, 240, n)
        device, ip = self._devices(users, upos, rng, n)
        orders = pd.DataFrame({
            "user_index": s["user_index"].to_numpy(), "session_id": s["session_id"].to_numpy(),
            "seconds": seconds, "items": items, "gmv": gmv, "discount": discount,
            "coupon_code": coupon, "campaign_id": camp, "device_id": device, "ip": ip})
        orders = pd.concat([orders, self._fraud_orders(users, sessions, rng)], ignore_index=True)
        orders = orders.sort_values(["seconds", "user_index"], ignore_index=True)
        orders["paid"] = np.round(orders["gmv"] - orders["discount"], 2)
        orders["order_id"] = np.arange(1, len(orders) + 1)
        orders["user_id"] = orders["user_index"] + 1
        return orders

    def _devices(self, users, upos, rng, n):
        n_users = len(users)
        dev_rng = np.random.default_rng(self.rng["orders"].integers(2 ** 32))
        home_device = dev_rng.integers(16 ** 9, 16 ** 10, n_users)
        ip_pool = max(1000, int(n_users * 1.5))
        home_ip = dev_rng.integers(0, ip_pool, n_users)
        other = rng.random(n) < 0.1
        device = np.where(other, home_device[upos] + 1, home_device[upos])
        ipn = np.where(rng.random(n) < 0.15, rng.integers(0, ip_pool, n), home_ip[upos])
        device_s = np.char.add("dv", np.char.mod("%x", device))
        ip_s = np.char.add(np.char.add("113.", np.char.mod("%d", 64 + ipn // 65536 % 150)),
                           np.char.add(np.char.add(".", np.char.mod("%d", ipn // 256 % 256)),
                                       np.char.add(".", np.char.mod("%d", ipn % 256))))
        return device_s.astype(object), ip_s.astype(object)

    def _fraud_orders(self, users, sessions, rng) -> pd.DataFrame:
        af = self.sc.activity
        fraud_idx = users.index[users["fraud"]].to_numpy()
        s = sessions.loc[sessions["user_index"].isin(fraud_idx) & sessions["signup"]]
        n = len(s)
        devices = np.array([f"dv{x:x}" for x in rng.integers(16 ** 9, 16 ** 10, af.fraud_devices)])
        ips = np.array([f"223.104.{rng.integers(1, 250)}.{rng.integers(2, 250)}"
                        for _ in range(af.fraud_devices)])
        k = rng.integers(0, af.fraud_devices, n)
        self.fraud_devices = devices.tolist()
        gmv = np.round(rng.uniform(29, 36, n), 1)
        return pd.DataFrame({
            "user_index": s["user_index"].to_numpy(), "session_id": s["session_id"].to_numpy(),
            "seconds": s["start"].to_numpy() + rng.integers(60, 180, n), "items": 1,
            "gmv": gmv, "discount": 20.0, "coupon_code": af.new_user_coupon,
            "campaign_id": "", "device_id": devices[k].astype(object),
            "ip": ips[(k + (rng.random(n) < .3)) % af.fraud_devices].astype(object)})

    # ------------------------------------------------------------ community activity
    def _community_daily(self, members, truths) -> pd.DataFrame:
        cf, cal, rng = self.sc.community, self.cal, self.rng["cdaily"]
        truths.challenge_groups = list(phrases.CHALLENGE_GROUPS)
        groups = [g[0] for g in phrases.GROUPS]
        gpos = {g: i for i, g in enumerate(groups)}
        # bursty group days: some days a group blows up
        burst = np.exp(rng.normal(-0.18, 0.6, (len(groups), cal.n_days)))
        ch_first, ch_last = cal.day(cf.challenge[0]), cal.day(cf.challenge[1])
        days = np.arange(cal.n_days)
        after = np.clip(days - ch_last, 0, None)
        challenge_curve = np.where((days >= ch_first) & (days <= ch_last), cf.challenge_lift,
                                   np.where(days > ch_last,
                                            1 + (cf.challenge_lift - 1) * np.exp(-after / 6), 1))
        in_challenge = np.array([g in phrases.CHALLENGE_GROUPS for g in groups])
        end = np.where(members["leave_day"] >= 0, members["leave_day"], cal.n_days)
        span = np.maximum(end - members["join_day"].to_numpy(), 0)
        owner = np.repeat(np.arange(len(members)), span)
        day = members["join_day"].to_numpy()[owner] + \
            np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
        g = members["group_id"].map(gpos).to_numpy()[owner]
        gtype = members["group_type"].to_numpy()[owner]
        tenure = day - members["join_day"].to_numpy()[owner]
        koc = members["koc"].to_numpy()[owner]
        base = np.select([gtype == "deals", gtype == "interest"], [0.10, 0.16], 0.08)
        lift = np.where(in_challenge[g], challenge_curve[day], 1.0)
        p = base * burst[g, day] * lift * (0.55 + 0.45 * np.exp(-tenure / 45)) * \
            np.where(koc, 4.0, 1.0)
        active = rng.random(owner.size) < np.minimum(p, 0.95)
        owner, day, g, koc, lift = owner[active], day[active], g[active], koc[active], lift[active]
        n = owner.size
        messages = rng.negative_binomial(1.2, 1.2 / (1.2 + 3.0), n) * np.where(koc, 3, 1)
        in_window = in_challenge[g] & (day >= ch_first) & (day <= ch_last)
        checkins = (rng.random(n) < np.where(in_window, 0.75, 0.08)).astype(int)
        messages = np.where((messages == 0) & (checkins == 0), 1, messages)
        replies = rng.poisson(messages * np.where(koc, 1.5, 0.4))
        out = pd.DataFrame({
            "date": cal.to_date(day), "group_id": np.array(groups)[g],
            "user_id": members["user_index"].to_numpy()[owner] + 1,
            "messages": messages, "checkins": checkins, "replies_received": replies})
        return out.sort_values(["date", "group_id", "user_id"], ignore_index=True)

    # ------------------------------------------------------------ points (会员积分)
    def _points(self, users, orders, community_daily) -> pd.DataFrame:
        cf, cal, rng = self.sc.community, self.cal, self.rng["points"]
        signup = pd.DataFrame({"user_index": users.index.to_numpy(),
                               "seconds": users["seconds"].to_numpy() + 5,
                               "points": cf.signup_points, "reason": "signup_bonus"})
        paid = orders.loc[~orders["user_index"].isin(users.index[users["fraud"]])]
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
        cand = total[total >= 300]
        redeem = rng.random(len(cand)) < np.clip(cf.redeem_share * 1.6, 0, 1)
        cand = cand[redeem]
        amount = (np.floor(cand.to_numpy() * rng.uniform(0.4, 0.9, len(cand)) / 100) * 100)
        last = earned.groupby("user_index")["seconds"].max().reindex(cand.index).to_numpy()
        when = last + rng.integers(1, 20, len(cand)) * DAY
        keep = (when < cal.n_days * DAY) & (amount > 0)
        red = pd.DataFrame({"user_index": cand.index.to_numpy()[keep], "seconds": when[keep],
                            "points": -amount[keep].astype(int),
                            "reason": np.where(amount[keep] >= 1000, "redeem_gift",
                                               "redeem_coupon")})
        ledger = pd.concat([earned, red], ignore_index=True)
        ledger = ledger.sort_values(["seconds", "user_index"], ignore_index=True)
        # tier at the time of the entry, from cumulative paid amount (CNY)
        spend = order_pts.assign(cny=order_pts["points"])
        spend = spend.sort_values("seconds")
        spend["cum"] = spend.groupby("user_index")["cny"].cumsum()
        ledger = pd.merge_asof(ledger, spend[["seconds", "user_index", "cum"]],
                               on="seconds", by="user_index", direction="backward")
        cum = ledger["cum"].fillna(0).to_numpy()
        tier = np.select([cum >= 1000, cum >= 300], ["gold", "silver"], "bronze")
        return pd.DataFrame({"user_id": ledger["user_index"].to_numpy() + 1,
                             "event_time": cal.to_datetime(ledger["seconds"].to_numpy()),
                             "points": ledger["points"].to_numpy(),
                             "reason": ledger["reason"].to_numpy(), "tier": tier})

    # ------------------------------------------------------------ user voice (用户之声)
    def _feedback(self, users, orders, truths) -> pd.DataFrame:
        vf, cal, rng = self.sc.voice, self.cal, self.rng["feedback"]
        n = int(round(vf.n_feedback * self.scale))
        real = users.loc[~users["fraud"]]
        day = np.sort(rng.integers(0, cal.n_days, n))
        # the author signed up on or before the feedback day
        sday = np.sort(real["day"].to_numpy())
        order_idx = np.argsort(real["day"].to_numpy(), kind="stable")
        upto = np.searchsorted(sday, day, side="right")
        pick = (rng.random(n) * np.maximum(upto, 1)).astype(int)
        who = real.index.to_numpy()[order_idx][pick]
        surge = day >= cal.day(vf.shipping_surge_date)
        themes = np.array(THEMES)
        base = np.array([vf.theme_share[t] for t in THEMES])
        after = base * (1 - vf.shipping_share_after) / (1 - base[3])
        after[3] = vf.shipping_share_after
        theme = np.where(surge, rng.choice(5, n, p=after), rng.choice(5, n, p=base))
        complaint_p = np.where(themes[theme] == "shipping",
                               np.where(surge, 0.9, 0.45), 0.4)
        complaint = rng.random(n) < complaint_p
        texts = np.empty(n, dtype=object)
        for t_i, t in enumerate(THEMES):
            for kind, flag in (("complaint", True), ("praise", False)):
                mask = (theme == t_i) & (complaint == flag)
                k = mask.sum()
                texts[mask] = (_pick(rng, phrases.FEEDBACK_OPENINGS, k)
                               + _pick(rng, phrases.FEEDBACK_PHRASES[t][kind], k)
                               + _pick(rng, phrases.FEEDBACK_CLOSINGS, k))
        score = np.where(complaint, rng.choice([1, 2, 3], n, p=[.35, .4, .25]),
                         rng.choice([4, 5], n, p=[.4, .6]))
        source = rng.choice(["app_review", "survey", "service_chat", "comment"], n,
                            p=[.35, .2, .25, .2])
        seconds = day * DAY + _time_of_day(rng, n)
        fb = pd.DataFrame({"feedback_id": np.arange(1, n + 1), "user_id": who + 1,
                           "created_time": cal.to_datetime(seconds), "source": source,
                           "score": score, "text": texts})
        truths.feedback_theme = dict(zip(fb["feedback_id"].tolist(), themes[theme].tolist()))
        return fb

    # ------------------------------------------------------------ content (内容)
    def _posts(self, truths) -> pd.DataFrame:
        cf, cal, rng = self.sc.content, self.cal, self.rng["posts"]
        fmt_by_platform = {"wechat": "article", "xiaohongshu": "image_note",
                           "douyin": "short_video", "bilibili": "long_video", "zhihu": "answer"}
        per_week = {"wechat": 2.0, "douyin": 4.0, "bilibili": 1.0, "zhihu": 1.5}
        rows = []
        accounts = ("chayu",) + tuple(cf.competitor_names)
        for account in accounts:
            for platform in PLATFORMS:
                rate = cf.xhs_posts_per_week[account] if platform == "xiaohongshu" else \
                    per_week[platform] * (1.0 if account == "chayu" else 0.7)
                n = rng.poisson(rate * cal.n_days / 7)
                rows.append(pd.DataFrame({"account": account, "platform": platform,
                                          "day": np.sort(rng.integers(0, cal.n_days, n))}))
        posts = pd.concat(rows, ignore_index=True)
        n = len(posts)
        posts["format"] = posts["platform"].map(fmt_by_platform)
        hour_w = np.array([.2, .1, 0, 0, 0, 0, .2, .6, 1.2, 1, .8, .8, 1.5, 1, .6, .5, .6, 1,
                           1.6, 1.8, 2.2, 2.2, 1.5, .6])
        posts["seconds"] = posts["day"] * DAY + _time_of_day(rng, n, hour_w)
        hour = posts["seconds"] % DAY // 3600
        topic = rng.choice(phrases.TOPICS, n, p=[.18, .2, .17, .15, .15, .15])
        subject = np.array([phrases.TITLE_SUBJECTS[t][i % len(phrases.TITLE_SUBJECTS[t])]
                            for t, i in zip(topic, rng.integers(0, 100, n))], dtype=object)
        kind = rng.random(n)
        has_number = kind < 0.35
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
        # follower base by account and platform drives impressions
        followers = {"chayu": 1.0, "competitor_shanjian": 0.9, "competitor_yeya": 0.6}
        plat_scale = {"wechat": 6000, "xiaohongshu": 4000, "douyin": 15000, "bilibili": 5000,
                      "zhihu": 2500}
        growth = np.where((posts["account"] == "competitor_shanjian")
                          & (posts["platform"] == "xiaohongshu"),
                          1 + 1.6 * posts["day"] / cal.n_days, 1 + 0.2 * posts["day"] / cal.n_days)
        impressions = (posts["platform"].map(plat_scale) * posts["account"].map(followers)
                       * growth * np.exp(rng.normal(0, 0.45, n)))
        ctr = 0.08 * np.where(has_number, cf.number_title_ctr_lift, 1.0) * \
            np.exp(rng.normal(0, 0.15, n))
        reads = impressions * ctr
        mine = np.flatnonzero(posts["account"].eq("chayu").to_numpy()
                              & posts["platform"].eq("wechat").to_numpy()
                              & (posts["day"].to_numpy() > 40) & ~banned)
        viral = int(mine[rng.integers(0, mine.size)])
        plat_median = pd.Series(reads).groupby(posts["platform"]).transform("median")
        reads = np.array(reads, float)
        reads[viral] = plat_median.iloc[viral] * cf.viral_multiple * 1.1
        posts["viral"] = np.arange(n) == viral
        impressions = np.array(impressions, float)
        impressions[viral] = reads[viral] / ctr[viral]
        video = posts["format"].isin(["short_video", "long_video"]).to_numpy()
        duration = np.where(posts["format"].eq("short_video"), rng.integers(15, 90, n),
                            np.where(posts["format"].eq("long_video"),
                                     rng.integers(180, 900, n), 0))
        prime = (hour >= 20) & (hour < 22)
        completion = np.where(video, np.clip(
            np.where(posts["format"].eq("short_video"), 0.32, 0.18)
            * np.where(prime, cf.prime_time_completion_lift, 1.0)
            * np.exp(rng.normal(0, 0.18, n)), 0.01, 0.95), np.nan)
        length = np.where(video, 0, np.where(
            (posts["account"] == "competitor_shanjian") & (posts["platform"] == "xiaohongshu"),
            rng.integers(150, 400, n), rng.integers(400, 2500, n)))
        share_rate = 0.012 * np.where(topic == "tea_health", cf.health_share_lift, 1.0) * \
            np.exp(rng.normal(0, 0.3, n))
        reads_i = np.round(reads).astype(int)
        posts = posts.assign(
            impressions=np.round(impressions).astype(int), reads=reads_i,
            completion_rate=np.round(completion, 4),
            likes=rng.binomial(reads_i, 0.035), shares=rng.binomial(reads_i, share_rate),
            comments=rng.binomial(reads_i, 0.006), saves=rng.binomial(reads_i, 0.018),
            follows=rng.binomial(reads_i, np.where(posts["account"] == "competitor_shanjian",
                                                   0.009, 0.004)),
            duration_sec=duration, text_length=length)
        posts = posts.sort_values(["seconds", "account", "platform"], ignore_index=True)
        posts["post_id"] = np.arange(1, n + 1)
        truths.viral_post_id = int(posts.loc[posts["viral"], "post_id"].iloc[0])
        truths.banned_post_ids = posts.loc[posts["banned"], "post_id"].tolist()
        return pd.DataFrame({
            "post_id": posts["post_id"], "account": posts["account"],
            "platform": posts["platform"], "publish_time": cal.to_datetime(posts["seconds"]),
            "format": posts["format"], "topic": posts["topic"], "title": posts["title"],
            "text_length": posts["text_length"], "duration_sec": posts["duration_sec"],
            "impressions": posts["impressions"], "reads": posts["reads"],
            "completion_rate": posts["completion_rate"], "likes": posts["likes"],
            "shares": posts["shares"], "comments": posts["comments"], "saves": posts["saves"],
            "follows": posts["follows"]})

    # ------------------------------------------------------------ spend and campaigns
    def _channel_daily(self, visits) -> pd.DataFrame:
        tf, cal, rng = self.sc.traffic, self.cal, self.rng["channel"]
        counts = visits.groupby(["channel", "day"], observed=True).size()
        signups = visits.loc[visits["signed_up"]].groupby(["channel", "day"],
                                                          observed=True).size()
        idx = pd.MultiIndex.from_product([list(CHANNELS), range(cal.n_days)],
                                         names=["channel", "day"])
        v = counts.reindex(idx, fill_value=0).to_numpy()
        su = signups.reindex(idx, fill_value=0).to_numpy()
        ch = idx.get_level_values(0).to_numpy()
        day = idx.get_level_values(1).to_numpy()
        clicks = np.round(v / 0.92 + rng.normal(0, np.sqrt(v + 1) * 0.3)).astype(int)
        clicks = np.maximum(clicks, v)
        ctr = pd.Series(ch).map({**tf.ctr, "referral": 0.25}).to_numpy()
        impressions = np.round(clicks / ctr * np.exp(rng.normal(0, 0.08, v.size))).astype(int)
        t = day / (cal.n_days - 1)
        cpc_start = pd.Series(ch).map(tf.cpc_start).fillna(0).to_numpy()
        cpc_end = pd.Series(ch).map(tf.cpc_end).fillna(0).to_numpy()
        # diminishing returns: m× the volume costs m^(1/elasticity)× the money
        volume = np.ones(v.size)
        premium = np.ones(v.size)
        for c, e in tf.elasticity.items():
            rows = ch == c
            volume[rows] = self.volume[c][day[rows]]
            premium[rows] = volume[rows] ** (1 / e - 1)
        spend = clicks * (cpc_start + (cpc_end - cpc_start) * t) * premium * \
            np.exp(rng.normal(0, 0.05, v.size))
        spend = np.where(ch == "referral", su * 10.0, spend)   # invite rewards
        return pd.DataFrame({"date": cal.to_date(day), "channel": ch,
                             "spend": np.round(spend, 2), "impressions": impressions,
                             "clicks": clicks}).sort_values(["date", "channel"],
                                                            ignore_index=True)

    def _campaigns(self) -> pd.DataFrame:
        af, cf = self.sc.activity, self.sc.community
        rows = [("new_tea_launch", "春茶上新", "launch", *af.launch, 60_000.0, 58_400.0, "LAUNCH15")]
        share = {"warmup": .25, "burst": .55, "tail": .20}
        spent = {"warmup": .97, "burst": 1.04, "tail": .92}
        for phase, (first, last, _) in af.phases_618.items():
            budget = af.budget_618 * share[phase]
            rows.append((f"618_{phase}", {"warmup": "618预热期", "burst": "618爆发期",
                                          "tail": "618延续期"}[phase], phase, first, last,
                         budget, round(budget * spent[phase], 2), "C618"))
        rows.append(("checkin_challenge", "21天打卡挑战", "community", *cf.challenge,
                     8_000.0, 7_350.0, ""))
        rows.append(("new_user_coupon", "新人专享券", "always_on", self.sc.start, self.sc.end,
                     0.0, 0.0, af.new_user_coupon))
        out = pd.DataFrame(rows, columns=["campaign_id", "campaign_name", "phase", "start_date",
                                          "end_date", "budget", "spend", "coupon_code"])
        out["start_date"] = pd.to_datetime(out["start_date"])
        out["end_date"] = pd.to_datetime(out["end_date"])
        return out

    # ------------------------------------------------------------ finishing
    def _measure(self, tables, truths) -> None:
        """What the plants imply, measured on the final tables as a trainee would."""
        users, events = tables["users"], tables["events"]
        real = users.loc[~users["user_id"].isin(truths.fraud_user_ids)]
        start = np.datetime64(self.sc.start, "D")
        signup_day = (real["signup_time"].to_numpy().astype("datetime64[D]") - start).astype(int)
        event_day = (events["event_time"].to_numpy().astype("datetime64[D]") - start).astype(int)
        width = self.cal.n_days + 8
        active_key = events["user_id"].to_numpy() * width + event_day
        hit = np.isin(real["user_id"].to_numpy() * width + signup_day + 7, active_key,
                      kind="table")   # keys are dense small ints: a lookup table is fastest
        complete = signup_day + 7 < self.cal.n_days
        later = signup_day >= self.cal.day(self.sc.users.onboarding_change)
        truths.d7_before = float(hit[complete & ~later].mean())
        truths.d7_after = float(hit[complete & later].mean())
        n_invites = int((events["event"] == "invite").sum())
        referred = int(users["referrer_id"].notna().sum())
        truths.invites_per_user = n_invites / len(users)
        truths.invite_conversion = referred / n_invites
        truths.k_factor = truths.invites_per_user * truths.invite_conversion
        truths.koc_referral_share = float(users["referrer_id"].isin(truths.koc_user_ids).sum()
                                          / referred)

    def _finish_users(self, users) -> pd.DataFrame:
        cal, uf = self.cal, self.sc.users
        sec = users["seconds"].to_numpy()
        ref = users["referrer"].to_numpy()
        return pd.DataFrame({
            "user_id": users.index.to_numpy() + 1,
            "signup_time": cal.to_datetime(sec),
            "channel": users["channel"].to_numpy(),
            "landing_page": users["landing_page"].to_numpy(),
            "device": users["device"].to_numpy(),
            "city_tier": users["city_tier"].to_numpy(),
            "age_group": users["age_group"].to_numpy(),
            "referrer_id": pd.Series(ref + 1, dtype="Int64").where(ref >= 0).array,
            "onboarding": np.where(users["day"].to_numpy() < cal.day(uf.onboarding_change),
                                   "v1", "v2"),
        }).sort_values("user_id", ignore_index=True)

    def _finish_visits(self, visits, users) -> pd.DataFrame:
        visits = visits.sort_values("seconds", kind="stable")
        user_of_visit = pd.Series(users.index.to_numpy() + 1, index=users["visit_index"].to_numpy())
        return pd.DataFrame({
            "visit_id": np.arange(1, len(visits) + 1),
            "visitor_id": self._visitor_ids(visits),
            "visit_time": self.cal.to_datetime(visits["seconds"].to_numpy()),
            "channel": visits["channel"].array,
            "landing_page": visits["landing_page"].array,
            "device": visits["device"].array,
            "pageviews": visits["pageviews"].to_numpy(),
            "bounced": visits["bounced"].to_numpy(),
            "signed_up": visits["signed_up"].to_numpy(),
            "user_id": pd.array(user_of_visit.reindex(visits.index).to_numpy(), dtype="Int64"),
        })

    def _visitor_ids(self, visits) -> np.ndarray:
        """One id per visitor: touches share their signup's; some anonymous visitors return."""
        rng = self.rng["traffic"]
        n = len(visits)
        pos = np.arange(n)
        parent = pos.copy()
        # a touch belongs to the visitor who later signs up
        touch_of = visits["touch_of"].to_numpy() if "touch_of" in visits else np.full(n, np.nan)
        is_touch = ~np.isnan(touch_of)
        at = pd.Series(pos, index=visits.index)
        parent[is_touch] = at.reindex(touch_of[is_touch].astype(np.int64)).to_numpy()
        # anonymous repeat visits point at an earlier anonymous first visit
        anon = np.flatnonzero(~is_touch & ~visits["signed_up"].to_numpy())
        repeat = rng.random(anon.size) < self.sc.traffic.repeat_visit_share
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
        return rank[visitor]

    def _finish_orders(self, orders) -> pd.DataFrame:
        out = pd.DataFrame({
            "order_id": orders["order_id"].to_numpy(), "user_id": orders["user_id"].to_numpy(),
            "order_time": self.cal.to_datetime(orders["seconds"].to_numpy()),
            "session_id": orders["session_id"].to_numpy(), "items": orders["items"].to_numpy(),
            "gmv": orders["gmv"].to_numpy(), "discount": orders["discount"].to_numpy(),
            "paid": orders["paid"].to_numpy(),
            "coupon_code": orders["coupon_code"].replace("", np.nan).to_numpy(),
            "campaign_id": orders["campaign_id"].replace("", np.nan).to_numpy(),
            "device_id": orders["device_id"].to_numpy(), "ip": orders["ip"].to_numpy()})
        return out

    def _finish_members(self, members) -> pd.DataFrame:
        cal = self.cal
        names = {g[0]: g[1] for g in phrases.GROUPS}
        # the first member of each group is its volunteer admin (群管理)
        first = ~members.sort_values(["join_day", "user_index"])["group_id"].duplicated()
        role = np.where(first.reindex(members.index).to_numpy(), "admin", "member")
        leave = members["leave_day"].to_numpy()
        out = pd.DataFrame({
            "user_id": members["user_index"].to_numpy() + 1,
            "group_id": members["group_id"].to_numpy(),
            "group_name": members["group_id"].map(names).to_numpy(),
            "group_type": members["group_type"].to_numpy(),
            "join_date": cal.to_date(members["join_day"].to_numpy()),
            "leave_date": pd.Series(cal.to_date(np.where(leave >= 0, leave, 0))).where(
                leave >= 0),
            "role": role,
        })
        return out.sort_values(["join_date", "group_id", "user_id"], ignore_index=True)


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
