"""Questions of 02_users: retention, the cart funnel, RFM, K-factor, win-back and sessions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Text
from . import question

WINBACK = "winback_0510"        # the win-back experiment of ab_assignments


def _active_days(data) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """Signups with their signup day `sd`, distinct (user_id, day) activity, the last day."""
    users, events = data["users"], data["events"]
    active = events.assign(day=events["event_time"].dt.normalize())[["user_id", "day"]]
    return users.assign(sd=users["signup_time"].dt.normalize()), active.drop_duplicates(), \
        active["day"].max()


def _retained(data, n: int, *, exactly: bool = True, censored: bool = False) -> pd.DataFrame:
    """Signups with `retained`: active on day n after signup (or on any day from n on).
    Users whose day n is after the data ends are left out unless `censored`."""
    users, active, last = _active_days(data)
    u = users if censored else users[users["sd"] + pd.Timedelta(days=n) <= last]
    hit = u.merge(active, left_on="user_id", right_on="user_id")
    day_n = hit["sd"] + pd.Timedelta(days=n)
    hit = hit[hit["day"] == day_n if exactly else hit["day"] >= day_n]["user_id"]
    return u.assign(retained=u["user_id"].isin(hit))


def _january(r: pd.DataFrame) -> float:
    return float(r[r["signup_time"].dt.month == 1]["retained"].mean())


@question("q1_d1_january", "02_users", rate=True, tolerance=0.002,
          prompt=Text(zh="1 月注册的用户，次日留存率是多少？用 0–1 之间的小数作答。",
                      en="What is the D1 retention of the users who signed up in January? "
                         "Give a fraction between 0 and 1."),
          hint=Text(zh="次日留存：注册后的第 1 天（按自然日算）恰好有活跃。分母是 1 月的全部"
                       "注册用户，分子是其中第 1 天有事件的人。",
                    en="D1: active on exactly the calendar day after signup. The denominator "
                       "is all of January's signups, the numerator those with an event on "
                       "day 1."))
def d1_january(data) -> float:
    return _january(_retained(data, 1))


@d1_january.mistake(Text(zh="这是“第 1 天及以后任意一天活跃”的比例；次日留存只看注册后恰好第 1 天。",
                         en="this counts users active on day 1 *or any later day*; D1 "
                            "retention looks at exactly day 1."))
def d1_or_later(data) -> float:
    return _january(_retained(data, 1, exactly=False))


@d1_january.mistake(Text(zh="这是全部注册用户的次日留存；题目只看 1 月注册的这批用户。",
                         en="this is the D1 retention of all signups; the question keeps "
                            "January's cohort only."))
def d1_all_months(data) -> float:
    return float(_retained(data, 1)["retained"].mean())


def _after_before(data, **retained) -> tuple[float, float]:
    """D7 retention of signups from the onboarding change on, and of those before it."""
    r = _retained(data, 7, **retained)
    later = r["signup_time"] >= data.scenario.users.onboarding_change
    return r[later]["retained"].mean(), r[~later]["retained"].mean()


@question("q2_d7_lift", "02_users", rate=True, signed=True, tolerance=0.004,
          prompt=Text(zh="{s.users.onboarding_change} 起注册的用户，第7日留存比之前注册的用户"
                         "变化了多少？用“之后 − 之前”作答，写成小数。",
                      en="By how much did D7 retention change for signups from "
                         "{s.users.onboarding_change} on? Answer after − before, as a "
                         "fraction."),
          hint=Text(zh="第7日留存：注册后恰好第 7 天有活跃。按注册日期分成前后两组，各算一个"
                       "留存率再相减。第 7 天落在数据截止日之后的用户还看不到结果，要先剔除。",
                    en="D7: active on exactly day 7 after signup. Split the signups at the "
                       "date, compute each group's rate, subtract. Leave out users whose "
                       "day 7 is after the data ends."))
def d7_lift(data) -> float:
    after, before = _after_before(data)
    return float(after - before)


@d7_lift.mistake(Text(zh="第 7 天还没到的新用户被当成了流失，拉低了新组的留存。第 7 天在数据"
                         "截止日之后的用户要剔除。",
                      en="users whose day 7 is after the data ends were counted as lost, "
                         "which pulls the newer group down; leave them out."))
def d7_censored_kept(data) -> float:
    after, before = _after_before(data, censored=True)
    return float(after - before)


@d7_lift.mistake(Text(zh="这是“第 7 天及以后任意一天活跃”的比例之差；第7日留存只看恰好第 7 天。",
                      en="this compares users active on day 7 *or any later day*; D7 "
                         "retention looks at exactly day 7."))
def d7_or_later(data) -> float:
    after, before = _after_before(data, exactly=False)
    return float(after - before)


@d7_lift.mistake(Text(zh="这是相对变化（之后 / 之前 − 1）；题目要两个留存率直接相减的差。",
                      en="this is the relative change (after / before − 1); the question "
                         "asks for the difference of the two rates."))
def d7_relative(data) -> float:
    after, before = _after_before(data)
    return float(after / before - 1)


def _users_with(data, event: str) -> set:
    """The user_ids with at least one `event` in the event log."""
    e = data["events"]
    return set(e.loc[e["event"] == event, "user_id"])


@question("q3_cart_to_purchase", "02_users", rate=True, tolerance=0.002,
          prompt=Text(zh="加购过的用户里，有多少比例最终下单购买了？用 0–1 之间的小数作答。",
                      en="Of the users who ever added something to the cart, what share "
                         "ever bought? Give a fraction between 0 and 1."),
          hint=Text(zh="按人算，不按次数：分别找出加购过的用户和购买过的用户，两者都有的人数"
                       "除以加购过的人数。",
                    en="count people, not events: the users who both added to cart and "
                       "bought, over the users who added to cart."))
def cart_to_purchase(data) -> float:
    carted, bought = _users_with(data, "add_to_cart"), _users_with(data, "purchase")
    return len(carted & bought) / len(carted)


@cart_to_purchase.mistake(Text(zh="这是购买事件数 / 加购事件数，数的是次数；题目按人去重来算。",
                               en="this divides purchase events by add-to-cart events; the "
                                  "question counts distinct users."))
def cart_events_ratio(data) -> float:
    ev = data["events"]["event"]
    return float(ev.eq("purchase").sum() / ev.eq("add_to_cart").sum())


@cart_to_purchase.mistake(Text(zh="分母用了全部注册用户；题目的分母是加购过的用户。",
                               en="the denominator is all users; the question divides by the "
                                  "users who added to cart."))
def cart_over_all_users(data) -> float:
    carted, bought = _users_with(data, "add_to_cart"), _users_with(data, "purchase")
    return len(carted & bought) / len(data["users"])


def _rfm(data) -> pd.DataFrame:
    """Per buyer: days since the last order (`rec`), orders (`n`) and money spent (`m`)."""
    o = data["orders"]
    end = o["order_time"].max().normalize()
    c = o.groupby("user_id").agg(last=("order_time", "max"), n=("paid", "size"),
                                 m=("paid", "sum"))
    return c.assign(rec=(end - c["last"].dt.normalize()).dt.days)


def _champions(c: pd.DataFrame, recent: bool = True) -> pd.Series:
    def score(x: pd.Series, ascending: bool = True) -> pd.Series:
        return np.ceil(x.rank(pct=True, ascending=ascending) * 5).clip(1, 5)
    r, f, m = score(c["rec"], ascending=not recent), score(c["n"]), score(c["m"])
    return (r > r.mean()) & (f > f.mean()) & (m > m.mean())


def _revenue_share(c: pd.DataFrame, top: pd.Series) -> float:
    return float(c.loc[top, "m"].sum() / c["m"].sum())


@question("q4_champions_share", "02_users", rate=True, tolerance=0.005,
          prompt=Text(zh="重要价值客户（R、F、M 三项都优于平均）贡献了多少比例的实付金额？"
                         "用 0–1 之间的小数作答。",
                      en="What share of revenue (amount paid) comes from 重要价值客户, the "
                         "customers better than the mean on R, F and M?"),
          hint=Text(zh="按下单用户汇总：最近一次下单距今天数（R，越小越好）、订单数（F）、"
                       "实付总额（M），三项都比平均好的就是重要价值客户；再看他们的实付占全部的比例。",
                    en="per buyer: days since the last order (R, smaller is better), orders "
                       "(F) and amount paid (M); better than the mean on all three is "
                       "重要价值客户. Then their share of all money paid."))
def champions_share(data) -> float:
    c = _rfm(data)
    return _revenue_share(c, _champions(c))


@champions_share.mistake(Text(zh="这是重要价值客户的人数占比；题目问的是他们贡献的金额占比。",
                              en="this is the segment's share of customers; the question "
                                 "asks for its share of revenue."))
def champions_headcount(data) -> float:
    return float(_champions(_rfm(data)).mean())


@champions_share.mistake(Text(zh="R 的方向反了：R 是距最近一次下单的天数，越小越好。",
                              en="recency is reversed: R is days since the last order, so "
                                 "smaller is better."))
def recency_reversed(data) -> float:
    c = _rfm(data)
    return _revenue_share(c, _champions(c, recent=False))


@question("q5_k_factor", "02_users", tolerance=0.002,
          prompt=Text(zh="半年来茶语的裂变 K 因子是多少？",
                      en="What is Chayu's viral K-factor over the half-year?"),
          hint=Text(zh="K 因子 = 人均邀请数 × 邀请转化率，两者相乘其实就是：被邀请来的注册数"
                       " / 全部注册用户数。",
                    en="K = invites per user × invite conversion, which comes to referred "
                       "signups over all users."))
def k_factor(data) -> float:
    u = data["users"]
    return float(u["referrer_id"].notna().sum() / len(u))


@k_factor.mistake(Text(zh="这是人均发出的邀请次数，还没乘邀请转化率；K 因子数的是邀请真正带来的注册。",
                       en="this is invites per user, before the invite conversion; K counts "
                          "the signups the invites brought."))
def invites_per_user(data) -> float:
    return float(data["events"]["event"].eq("invite").sum() / len(data["users"]))


@k_factor.mistake(Text(zh="这是成功邀请过别人的用户占比；K 因子数的是被邀请来的注册数，一个人可以"
                          "带来好几个。",
                       en="this is the share of users who referred someone; K counts the "
                          "referred signups, and one user can bring several."))
def referrer_share(data) -> float:
    u = data["users"]
    return float(u["referrer_id"].nunique() / len(u))


@k_factor.mistake(Text(zh="分母只用了非邀请来的用户；K 因子的分母是全部注册用户。",
                       en="the denominator is the non-referred users only; K divides by all "
                          "users."))
def over_organic(data) -> float:
    u = data["users"]
    referred = u["referrer_id"].notna().sum()
    return float(referred / (len(u) - referred))


def _reactivation(data, days: int | None = 14) -> pd.Series:
    """Share of each win-back variant active within `days` of the send (None: any time after)."""
    ab = data["ab_assignments"]
    ab = ab[ab["experiment"] == WINBACK]
    e = data["events"]
    t = e["event_time"]
    start = pd.Timestamp(data.scenario.users.winback_date)
    window = t >= start
    if days is not None:
        window &= t < start + pd.Timedelta(days=days)
    back = e.loc[window, "user_id"]
    return ab.assign(back=ab["user_id"].isin(back)).groupby("variant")["back"].mean()


@question("q6_winback_lift", "02_users", rate=True, signed=True, tolerance=0.003,
          prompt=Text(zh="{s.users.winback_date} 发出的召回消息，把 14 天内的回流率提高了多少？"
                         "用“发送组 − 对照组”作答，写成小数。",
                      en="Reactivation within 14 days of {s.users.winback_date}: message group "
                         "minus holdout, as a fraction."),
          hint=Text(zh="实验是 `winback_0510`。回流 = 从发送当天起 14 天内（含当天）有任意活跃；"
                       "两组各算回流率，再相减。",
                    en="the experiment is `winback_0510`. Back = active on any day of the 14 "
                       "starting with the send; compare the two variants."))
def winback_lift(data) -> float:
    rate = _reactivation(data)
    return float(rate["message"] - rate["holdout"])


@winback_lift.mistake(Text(zh="这是发送组自己的回流率；没有减掉对照组的话，自然回流也被算成了召回效果。",
                           en="this is the message group's rate alone; without subtracting "
                              "the holdout, users who came back anyway count as the "
                              "message's effect."))
def message_only(data) -> float:
    return float(_reactivation(data)["message"])


@winback_lift.mistake(Text(zh="这里数了发送之后任何时候的回流；题目只看发送起 14 天内。",
                           en="this counts users back at any time after the send; the "
                              "question stops after 14 days."))
def no_window(data) -> float:
    rate = _reactivation(data, days=None)
    return float(rate["message"] - rate["holdout"])


@winback_lift.mistake(Text(zh="这是相对提升（发送组 / 对照组 − 1）；题目要两组回流率直接相减的差。",
                           en="this is the relative lift (message / holdout − 1); the question "
                              "asks for the difference of the two rates."))
def winback_relative(data) -> float:
    rate = _reactivation(data)
    return float(rate["message"] / rate["holdout"] - 1)


def _sessions(data) -> pd.DataFrame:
    """Sessions of 30-minute gaps: start time and number of events."""
    e = data["events"].sort_values(["user_id", "event_time"])
    gap = e.groupby("user_id")["event_time"].diff()
    session = (gap.isna() | (gap > pd.Timedelta(minutes=30))).cumsum()
    return e.groupby(session).agg(start=("event_time", "min"), n=("event", "size"))


def _one_event_share(s: pd.DataFrame) -> float:
    return float((s["n"] == 1).mean())


@question("q7_one_event_june", "02_users", rate=True, tolerance=0.002,
          prompt=Text(zh="按 30 分钟间隔切分会话，6 月开始的会话里，只有一个事件的占多少？"
                         "用 0–1 之间的小数作答。",
                      en="Of the sessions (30-minute gap) that started in June, what share "
                         "had only one event?"),
          hint=Text(zh="每个用户的事件按时间排好，和上一个事件相隔超过 30 分钟就算新会话；"
                       "按会话开始时间留下 6 月的，再看只有一个事件的比例。",
                    en="order each user's events by time; a gap over 30 minutes starts a new "
                       "session. Keep the sessions that start in June, then the share with "
                       "one event."))
def one_event_june(data) -> float:
    s = _sessions(data)
    return _one_event_share(s[s["start"].dt.month == 6])


@one_event_june.mistake(Text(zh="这是按 App 自带的 `session_id` 分的会话；题目按 30 分钟的间隔"
                                "自己切分会话。",
                             en="these are the app's own `session_id` sessions; the question "
                                "splits sessions at gaps over 30 minutes."))
def app_session_ids(data) -> float:
    e = data["events"]
    s = e.groupby("session_id").agg(start=("event_time", "min"), n=("event", "size"))
    return _one_event_share(s[s["start"].dt.month == 6])


@one_event_june.mistake(Text(zh="这是全部会话的比例；题目只看 6 月开始的会话。",
                             en="this is the share over all sessions; the question keeps the "
                                "sessions that start in June."))
def all_months_sessions(data) -> float:
    return _one_event_share(_sessions(data))
