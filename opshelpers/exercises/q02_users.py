"""Questions of 02_users: what a kept user of a campaign costs, a cohort's retention with
censoring, an onboarding change on one channel, cart abandonment, RFM as of a date,
interest tags and spend, the odds of churn, what a win-back message is worth, sessions,
and two decisions (which campaign to scale, whom to wake and with what).

The solvers are plain pandas (statsmodels for the churn fit): an independent
computation that `opshelpers.users` is checked against, never a call to it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from ..i18n import Text
from ..metrics import GROSS_MARGIN
from . import question

WINBACK = "winback_0510"        # the win-back experiment of ab_assignments

# ---------------------------------------------------------------- shared pieces


def _users_with(data, event: str) -> set:
    """The user_ids with at least one `event` in the event log."""
    e = data["events"]
    return set(e.loc[e["event"] == event, "user_id"])


def _active(data) -> pd.DataFrame:
    """Distinct (user_id, day) pairs with any event: the unit of "active"."""
    e = data["events"]
    return pd.DataFrame({"user_id": e["user_id"].to_numpy(),
                         "day": e["event_time"].dt.normalize().to_numpy()}).drop_duplicates()


def _last_day(data) -> pd.Timestamp:
    return data["events"]["event_time"].max().normalize()


def _retained(data, n: int, users: pd.DataFrame | None = None, *, exactly: bool = True,
              censored: bool = False) -> pd.DataFrame:
    """`users` (default all) with `retained`: active on day n after the signup day (or on
    any day from n on). Users whose day n is after the last event day cannot be judged:
    they are left out unless `censored` (then they count as lost)."""
    u = data["users"] if users is None else users
    u = u.assign(sd=u["signup_time"].dt.normalize())
    if not censored:
        u = u[u["sd"] + pd.Timedelta(days=n) <= _last_day(data)]
    hit = u[["user_id", "sd"]].merge(_active(data), on="user_id")
    offset = (hit["day"] - hit["sd"]).dt.days
    hit = hit.loc[offset == n if exactly else offset >= n, "user_id"]
    return u.assign(retained=u["user_id"].isin(hit))


def _channel(data, name: str) -> pd.DataFrame:
    u = data["users"]
    return u[u["channel"] == name]


# ---------------------------------------------------------------- campaigns


def _campaign(data, name: str) -> tuple[float, pd.DataFrame]:
    """A campaign's spend and its users (rows of `users`)."""
    uc = data["user_campaigns"]
    uc = uc[uc["campaign"] == name]
    u = data["users"]
    return float(uc["cost"].sum()), u[u["user_id"].isin(uc["user_id"])]


@question("q1_poster_cost_per_retained", "02_users", tolerance=0.1,
          prompt=Text(zh="裂变海报（share_poster）活动：活动总花费（它带来的用户的 cost 之和）除以"
                         "其中第 7 日留存的人数，每留下一个用户花了多少元？",
                      en="Campaign share_poster (裂变海报): its spend (the sum of its users' "
                         "cost) divided by the number of its users retained on day 7. What "
                         "did one kept user cost, in CNY?"),
          hint=Text(zh="花费在 user_campaigns；第7日留存是注册后恰好第 7 个自然日有活跃。分子是整个"
                       "活动的花费，分母是留下来的人数，不是活动带来的全部人数。",
                    en="the spend is in user_campaigns; day-7 retention means active on "
                       "exactly the 7th calendar day after signup. Divide the campaign's "
                       "whole spend by the users who stayed, not by all its users."))
def poster_cost_per_retained(data) -> float:
    spend, users = _campaign(data, "share_poster")
    return spend / float(_retained(data, 7, users)["retained"].sum())


@poster_cost_per_retained.mistake(Text(
    zh="这是每个拉新用户的成本；人均最便宜的活动，不一定是每留下一个人最便宜的。分母要用第 7 日"
       "还活跃的人数。",
    en="this is the cost per acquired user; the cheapest per user is not the cheapest per "
       "kept user. Divide by the users still active on day 7."))
def poster_cost_per_user(data) -> float:
    spend, users = _campaign(data, "share_poster")
    return spend / len(users)


@poster_cost_per_retained.mistake(Text(
    zh="这是每个首单的成本（注册 14 天内下首单的人数作分母）；题目问的是每个第 7 日留存用户的成本。",
    en="this is the cost per first order (users ordering within 14 days of signup); the "
       "question divides by the users retained on day 7."))
def poster_cost_per_first_order(data) -> float:
    spend, users = _campaign(data, "share_poster")
    window = pd.Timedelta(days=14)
    # as the lesson's campaign table counts it: only users whose 14 days are all in the data
    judged = users["signup_time"] + window <= _last_day(data) + pd.Timedelta(days=1)
    first = users["user_id"].map(data["orders"].groupby("user_id")["order_time"].min())
    return spend / float((judged & (first - users["signup_time"] < window)).sum())


# ---------------------------------------------------------------- retention


def _june(data) -> pd.DataFrame:
    u = data["users"]
    year = data["events"]["event_time"].max().year
    return u[(u["signup_time"].dt.year == year) & (u["signup_time"].dt.month == 6)]


@question("q2_june_d14", "02_users", rate=True, tolerance=0.003,
          prompt=Text(zh="2026 年 6 月注册的用户，第 14 日留存率是多少？第 14 天落在数据截止日之后的"
                         "用户还无法判断，不计入分母。用 0–1 之间的小数作答。",
                      en="What is the day-14 retention of the users who signed up in June "
                         "2026? Users whose day 14 falls after the data ends cannot be judged "
                         "and are left out of the denominator. Give a fraction between 0 and "
                         "1."),
          hint=Text(zh="第 14 日留存：注册后恰好第 14 个自然日有活跃（日期相减，不按 24 小时算）。"
                       "6 月下旬注册的人，第 14 天还没到，先把他们剔除，再算比例。",
                    en="day 14: active on exactly the 14th calendar day after the signup "
                       "day (subtract dates, not 24-hour spans). Late-June signups have "
                       "not reached day 14 yet: drop them first, then take the share."))
def june_d14(data) -> float:
    return float(_retained(data, 14, _june(data))["retained"].mean())


@june_d14.mistake(Text(zh="第 14 天还没到的 6 月下旬新用户被当成了流失，留存被拉低了；他们要从分母里剔除。",
                       en="the late-June signups whose day 14 has not come yet were counted "
                          "as lost, which pulls the rate down; leave them out."))
def june_d14_censored_as_lost(data) -> float:
    return float(_retained(data, 14, _june(data), censored=True)["retained"].mean())


@june_d14.mistake(Text(zh="这是“第 14 天及以后任意一天活跃”的比例；第 14 日留存只看恰好第 14 天。",
                       en="this counts users active on day 14 *or any later day*; day-14 "
                          "retention looks at exactly day 14."))
def june_d14_or_later(data) -> float:
    return float(_retained(data, 14, _june(data), exactly=False)["retained"].mean())


def _onboarding_rates(users: pd.DataFrame, data) -> pd.Series:
    return _retained(data, 7, users).groupby("onboarding")["retained"].mean()


@question("q3_sem_onboarding_lift", "02_users", rate=True, signed=True, tolerance=0.004,
          prompt=Text(zh="只看 SEM（sem）渠道来的用户：新版引导（onboarding 为 v2）的第7日留存比旧版"
                         "（v1）高多少？用“v2 − v1”作答，写成小数（例如 0.05 表示高 5 个百分点）。",
                      en="Users of channel sem only: by how much is the day-7 retention of "
                         "the new onboarding (onboarding v2) above the old one (v1)? Answer "
                         "v2 − v1 as a fraction (0.05 means 5 percentage points higher)."),
          hint=Text(zh="先筛出 sem 渠道的用户，按 onboarding 分两组，各算第7日留存（恰好第 7 天活跃，"
                       "第 7 天还没到的人剔除），再相减。",
                    en="keep the sem users, split them by onboarding, compute each group's "
                       "day-7 retention (active on exactly day 7, users not yet at day 7 "
                       "left out), then subtract."))
def sem_onboarding_lift(data) -> float:
    rate = _onboarding_rates(_channel(data, "sem"), data)
    return float(rate["v2"] - rate["v1"])


@sem_onboarding_lift.mistake(Text(zh="这是全部渠道合在一起的差；题目只看 SEM 渠道的用户。",
                                  en="this is the difference over all channels; the question "
                                     "keeps the sem users only."))
def onboarding_lift_all_channels(data) -> float:
    rate = _onboarding_rates(data["users"], data)
    return float(rate["v2"] - rate["v1"])


@sem_onboarding_lift.mistake(Text(zh="这是相对提升（v2 / v1 − 1）；题目要两个留存率直接相减的百分点差。",
                                  en="this is the relative lift (v2 / v1 − 1); the question "
                                     "asks for the difference of the two rates, in "
                                     "percentage points."))
def onboarding_relative_lift(data) -> float:
    rate = _onboarding_rates(_channel(data, "sem"), data)
    return float(rate["v2"] / rate["v1"] - 1)


# ---------------------------------------------------------------- the cart


def _never_after_cart(data, event: str, users: pd.DataFrame | None = None) -> float:
    """Of the users (of `users`, default all) who added to cart, the share with no `event`."""
    carted = _users_with(data, "add_to_cart")
    carted = carted if users is None else carted & set(users["user_id"])
    return len(carted - _users_with(data, event)) / len(carted)


@question("q4_kol_cart_abandonment", "02_users", rate=True, tolerance=0.003,
          prompt=Text(zh="KOL（kol）渠道来的用户，购物车放弃率是多少？按指标表的定义：加购后从未"
                         "进入结算的用户数 / 加购用户数。用 0–1 之间的小数作答。",
                      en="What is the cart abandonment rate of the users of channel kol? As "
                         "the glossary defines it: users who added to cart and never started "
                         "checkout / users who added to cart. Give a fraction between 0 and "
                         "1."),
          hint=Text(zh="按人算，不按次数：kol 用户里有加购事件的人是分母，其中一次 checkout 事件都没有"
                       "的人是分子。",
                    en="count people, not events: the kol users with an add_to_cart event "
                       "are the denominator, those of them with no checkout event at all "
                       "the numerator."))
def kol_cart_abandonment(data) -> float:
    return _never_after_cart(data, "checkout", _channel(data, "kol"))


@kol_cart_abandonment.mistake(Text(zh="这是全部渠道的购物车放弃率；题目只看 KOL 渠道来的用户。",
                                   en="this is the rate over all channels; the question keeps "
                                      "the kol users only."))
def cart_abandonment_all_channels(data) -> float:
    return _never_after_cart(data, "checkout")


@kol_cart_abandonment.mistake(Text(zh="这是加购后从没购买的比例；购物车放弃率看的是连结算都没进入的人，"
                                      "结算在购买之前。",
                                   en="this is the share that never bought; cart abandonment "
                                      "stops one step earlier, at checkout."))
def kol_carted_never_bought(data) -> float:
    return _never_after_cart(data, "purchase", _channel(data, "kol"))


@kol_cart_abandonment.mistake(Text(zh="这是按事件次数算的（1 − 结算次数 / 加购次数）；购物车放弃率按人去重。",
                                   en="this counts events (1 − checkouts / add-to-carts); "
                                      "cart abandonment counts distinct users."))
def kol_cart_abandonment_by_events(data) -> float:
    e = data["events"]
    ev = e.loc[e["user_id"].isin(_channel(data, "kol")["user_id"]), "event"]
    return float(1 - ev.eq("checkout").sum() / ev.eq("add_to_cart").sum())


# ---------------------------------------------------------------- RFM


def _rfm(data, end: str | None) -> pd.DataFrame:
    """Per buyer as of `end` (None: the last order's day): recency in days, orders, paid,
    the 1–5 scores and whether each is above its mean."""
    o = data["orders"]
    day = o["order_time"].dt.normalize()
    stop = pd.Timestamp(end) if end is not None else day.max()
    o = o.assign(day=day)[day <= stop]
    c = o.groupby("user_id").agg(last=("day", "max"), orders=("paid", "size"),
                                 revenue=("paid", "sum"))
    c["recency_days"] = (stop - c["last"]).dt.days

    def score(x: pd.Series, ascending: bool = True) -> pd.Series:
        return np.ceil(x.rank(method="average", pct=True, ascending=ascending) * 5).clip(1, 5)

    for col, x, asc in (("r", "recency_days", False), ("f", "orders", True),
                        ("m", "revenue", True)):
        s = score(c[x], ascending=asc)
        c[col] = s > s.mean()
    return c


def _at_risk_loyal(c: pd.DataFrame) -> pd.Series:
    return ~c["r"] & c["f"] & c["m"]


@question("q5_at_risk_loyal_share_march", "02_users", rate=True, tolerance=0.005,
          prompt=Text(zh="以 2026-03-31 为截止日做 RFM（只算 2026-03-31 及以前的订单）：R、F、M 各按"
                         "正文的方法打 1–5 分，高于全体下单用户平均分算“高”。重要保持客户"
                         "（R 不高、F 高、M 高）贡献了截至 2026-03-31 实付金额的多大比例？"
                         "用 0–1 之间的小数作答。",
                      en="RFM as of 2026-03-31 (orders on or before 2026-03-31 only): score "
                         "R, F and M 1–5 as the lesson does; a score above the mean of all "
                         "buyers is high. What share of the amount paid up to 2026-03-31 "
                         "comes from 重要保持客户 (R not high, F high, M high)? Give a "
                         "fraction between 0 and 1."),
          hint=Text(zh="先把 3 月 31 日之后的订单去掉，R 是截止日减去最后一次下单日期的天数（越近分越高），"
                       "F 是订单数，M 是实付总额；分段之后用这一段的实付除以全部实付。",
                    en="drop the orders after 31 March first. R is the days from the last "
                       "order's date to the cut-off (more recent scores higher), F the "
                       "orders, M the total paid; after segmenting, divide the segment's "
                       "paid by everyone's."))
def at_risk_loyal_share_march(data) -> float:
    c = _rfm(data, "2026-03-31")
    return float(c.loc[_at_risk_loyal(c), "revenue"].sum() / c["revenue"].sum())


@at_risk_loyal_share_march.mistake(Text(
    zh="这里用了半年的全部订单；题目要以 3 月 31 日为截止日，之后的订单都不算，R 也从这一天往回数。",
    en="this uses every order of the half-year; the question cuts off at 31 March: later "
       "orders do not count, and R is counted back from that day."))
def at_risk_loyal_share_full_period(data) -> float:
    c = _rfm(data, None)
    return float(c.loc[_at_risk_loyal(c), "revenue"].sum() / c["revenue"].sum())


@at_risk_loyal_share_march.mistake(Text(zh="这是重要保持客户的人数占比；题目问的是他们贡献的实付金额占比。",
                                        en="this is the segment's share of buyers; the "
                                           "question asks for its share of the amount "
                                           "paid."))
def at_risk_loyal_headcount_share(data) -> float:
    return float(_at_risk_loyal(_rfm(data, "2026-03-31")).mean())


# ---------------------------------------------------------------- interest tags


def _tags(data) -> pd.Series:
    """Each user's interest tag: the category with the highest views + 3 × items bought;
    ties to the category bought more, then to the first in name order."""
    views = data["product_views"].groupby(["user_id", "category"]).size().rename("views")
    lines = data["order_lines"].merge(data["orders"][["order_id", "user_id"]], on="order_id")
    items = lines.groupby(["user_id", "category"])["items"].sum()
    per = pd.concat([views, items], axis=1).fillna(0).reset_index()
    per["score"] = per["views"] + 3 * per["items"]
    per = per.sort_values(["user_id", "score", "items", "category"],
                          ascending=[True, False, False, True])
    return per.drop_duplicates("user_id").set_index("user_id")["category"]


def _spend_by_tag(data, buyers_only: bool = True) -> pd.DataFrame:
    tags = _tags(data)
    paid = data["orders"].groupby("user_id")["paid"].sum()
    t = pd.DataFrame({"tag": tags, "paid": paid.reindex(tags.index)})
    return t.dropna() if buyers_only else t.fillna({"paid": 0.0})


def _mean_ratio(t: pd.DataFrame) -> float:
    mean = t.groupby("tag")["paid"].mean()
    return float(mean["普洱茶"] / mean["花茶"])


@question("q6_puer_vs_flower_spend", "02_users", tolerance=0.005,
          prompt=Text(zh="按正文的兴趣标签（得分 = 浏览次数 + 3 × 购买件数，取得分最高的品类；同分时取"
                         "买得多的，再同分按品类名排序取第一个）：在下过单的用户里，标签为普洱茶的人"
                         "人均累计实付，是标签为花茶的人的几倍？答一个倍数（例如 1.8）。",
                      en="With the lesson's interest tags (score = views + 3 × items bought, "
                         "the category with the top score; ties to the one bought more, then "
                         "the first in name order): among users with at least one order, how "
                         "many times the mean total paid of the 花茶-tagged users is that of "
                         "the 普洱茶-tagged users? Answer a ratio (such as 1.8)."),
          hint=Text(zh="购买件数来自 order_lines，要先用 order_id 接上 orders 才知道是谁买的；"
                       "累计实付是每人全部订单的 paid 之和。两组各求人均，再相除。",
                    en="items bought come from order_lines, joined to orders by order_id to "
                       "know who bought them; total paid is the sum of paid over a user's "
                       "orders. Take each group's mean, then divide."))
def puer_vs_flower_spend(data) -> float:
    return _mean_ratio(_spend_by_tag(data))


@puer_vs_flower_spend.mistake(Text(zh="这里把没下过单的用户按 0 元也算进了平均；题目只看下过单的用户。",
                                   en="this averages over every tagged user, counting those "
                                      "who never ordered as 0; the question keeps the "
                                      "buyers."))
def puer_vs_flower_with_non_buyers(data) -> float:
    return _mean_ratio(_spend_by_tag(data, buyers_only=False))


@puer_vs_flower_spend.mistake(Text(zh="这是两组累计实付的总额之比，人数多的一组占便宜；题目比的是人均。",
                                   en="this divides the two groups' totals, which favours "
                                      "the bigger group; the question compares means per "
                                      "user."))
def puer_vs_flower_total_ratio(data) -> float:
    total = _spend_by_tag(data).groupby("tag")["paid"].sum()
    return float(total["普洱茶"] / total["花茶"])


# ---------------------------------------------------------------- churn odds


def _churn_odds_ratio(data) -> float:
    """exp(coef) of early_active_days in the logit of churn on the first week."""
    u = data["users"][["user_id", "signup_time", "channel"]]
    u = u.assign(sd=u["signup_time"].dt.normalize())
    act = _active(data).merge(u[["user_id", "sd"]], on="user_id")
    offset = (act["day"] - act["sd"]).dt.days
    u = u[u["sd"] + pd.Timedelta(days=60) <= act["day"].max()].copy()
    early = act[(offset >= 1) & (offset <= 7)].groupby("user_id").size()
    late = set(act.loc[(offset >= 31) & (offset <= 60), "user_id"])
    o = data["orders"].merge(u[["user_id", "signup_time"]], on="user_id")
    bought = set(o.loc[o["order_time"] - o["signup_time"] <= pd.Timedelta(days=7), "user_id"])
    u["early_active_days"] = u["user_id"].map(early).fillna(0)
    u["early_purchase"] = u["user_id"].isin(bought).astype(int)
    u["churned"] = (~u["user_id"].isin(late)).astype(int)
    u["channel"] = u["channel"].astype(str)
    fit = smf.logit("churned ~ early_active_days + early_purchase + C(channel)",
                    data=u).fit(disp=False)
    return float(np.exp(fit.params["early_active_days"]))


@question("q7_odds_three_days", "02_users", tolerance=0.01,
          prompt=Text(zh="按正文的流失模型（注册后第 1–7 天的活跃天数、注册 7 天内是否下单、渠道，"
                         "流失 = 第 31–60 天没有任何活跃；只用第 60 天已在数据里的用户）："
                         "其他条件相同，首周多活跃 3 天的用户，流失的优势（odds，流失 : 不流失）"
                         "会变成原来的几倍？"
                         "答一个倍数。",
                      en="With the lesson's churn model (active days on days 1–7 after "
                         "signup, an order within 7 days of signup, channel; churned = no "
                         "active day on days 31–60; only users whose day 60 is in the data): "
                         "for a user with 3 more active days in the first week, all else "
                         "equal, by what factor are the odds of churning multiplied? Answer "
                         "the factor."),
          hint=Text(zh="逻辑回归的系数在对数优势上是相加的：多 1 天，优势乘以一次优势比（odds "
                       "ratio）；多 3 天就要连乘三次。",
                    en="logistic coefficients add on the log-odds scale: one more day "
                       "multiplies the odds by the odds ratio once, so three more days "
                       "multiply by it three times over."))
def odds_three_days(data) -> float:
    return _churn_odds_ratio(data) ** 3


@odds_three_days.mistake(Text(zh="这是把优势比乘以 3；优势是按乘法累积的，多 3 天要把优势比连乘三次。",
                              en="this multiplies the odds ratio by 3; odds compound, so "
                                 "three more days multiply by it three times over."))
def three_times_odds_ratio(data) -> float:
    return 3 * _churn_odds_ratio(data)


@odds_three_days.mistake(Text(zh="这是把每天的降幅按直线相加（1 − 3 × 每天的降幅）；逻辑回归的效果在优势上"
                                 "是连乘的，不是相加的。",
                              en="this adds up the daily drop in a straight line (1 − 3 × "
                                 "the drop); in a logistic model the effects multiply the "
                                 "odds, they do not add."))
def linear_odds_ratio(data) -> float:
    return 1 - 3 * (1 - _churn_odds_ratio(data))


# ---------------------------------------------------------------- win-back value

LAYERS = ("never", "up_to_300", "over_300")     # paid before: 0, ≤ 300, > 300 CNY


def _layer(paid_before: pd.Series) -> pd.Series:
    return pd.Series(np.select([paid_before <= 0, paid_before <= 300], LAYERS[:2], LAYERS[2]),
                     index=paid_before.index)


def _paid_between(orders: pd.DataFrame, starts: pd.DataFrame, days: int | None
                  ) -> pd.Series:
    """Per row of `starts` (user_id, date): the user's paid before `date` (days None) or
    in [date, date + days)."""
    o = orders[["user_id", "order_time", "paid"]].merge(
        starts[["user_id", "date"]].reset_index(names="row"), on="user_id")
    if days is None:
        keep = o["order_time"] < o["date"]
    else:
        keep = (o["order_time"] >= o["date"]) & \
            (o["order_time"] < o["date"] + pd.Timedelta(days=days))
    return o[keep].groupby("row")["paid"].sum().reindex(starts.index, fill_value=0.0)


def _layer_values(data) -> pd.Series:
    """Mean paid in the 30 days from a natural comeback, by what the user paid before it:
    each user's first comeback (≥ 30 silent days) dated 2026-02-01 … 2026-05-09."""
    act = _active(data).sort_values(["user_id", "day"])
    silent = (act["day"] - act.groupby("user_id")["day"].shift()).dt.days - 1
    back = act[(silent >= 30) & (act["day"] >= "2026-02-01") & (act["day"] <= "2026-05-09")]
    back = back.drop_duplicates("user_id").rename(columns={"day": "date"})
    back = back.reset_index(drop=True)
    before = _paid_between(data["orders"], back, None)
    after = _paid_between(data["orders"], back, 30)
    return after.groupby(_layer(before)).mean().reindex(list(LAYERS))


def _winback(data) -> tuple[pd.Series, pd.Series]:
    """Reactivation rate per variant (active within 14 days from the assignment day) and
    the message users per layer (by what they paid before their assignment day)."""
    ab = data["ab_assignments"]
    ab = ab[ab["experiment"] == WINBACK]
    arms = ab.groupby("user_id")["variant"].nunique()
    ab = ab[ab["user_id"].isin(arms.index[arms == 1])]
    ab = ab.sort_values("assigned_time").drop_duplicates("user_id")
    ab = ab.assign(date=ab["assigned_time"].dt.normalize()).reset_index(drop=True)
    act = _active(data).merge(ab[["user_id", "date"]], on="user_id")
    back = act.loc[(act["day"] >= act["date"]) &
                   (act["day"] < act["date"] + pd.Timedelta(days=14)), "user_id"]
    rate = ab.assign(back=ab["user_id"].isin(back)).groupby("variant")["back"].mean()
    layer = _layer(_paid_between(data["orders"], ab, None))
    treated = layer[ab["variant"] == "message"].value_counts().reindex(list(LAYERS),
                                                                        fill_value=0)
    return rate, treated


def _extra_revenue(data, effect: str = "lift") -> float:
    rate, treated = _winback(data)
    lift = {"lift": rate["message"] - rate["holdout"], "message": rate["message"],
            "holdout": rate["holdout"]}[effect]
    return float((treated * lift * _layer_values(data)).sum())


@question("q8_winback_extra_revenue", "02_users", tolerance=5,
          prompt=Text(zh="用召回测试量出的整体提升，估一估这条消息在 30 天里带来了多少额外收入。"
                         "按用户此前累计实付分三层：从没买过（0 元）、"
                         "买过不超过 300 元、超过 300 元。每层的价值 = 该层用户自然回流后 30 天内的人均"
                         "实付：自然回流是沉默至少 30 天（两次活跃日之间隔着的天数 ≥ 30）后的一个活跃日，"
                         "每人取 2026-02-01 至 2026-05-09 之间的第一次；此前实付 = 回流当天零点之前的订单"
                         "实付之和，之后实付 = 回流当天起 30 天内的订单实付之和。"
                         "winback_0510 实验的整体提升 = 发送组（message）回流率 − 对照组（holdout）"
                         "回流率，回流指分组当天起 14 天内有任意活跃。发送组用户按分组当天之前的累计"
                         "实付分层。请计算：各层发送组人数 × 整体提升 × 该层价值，三层相加，"
                         "这条消息带来多少元额外收入？",
                      en="With the overall lift the win-back test measured, estimate the extra "
                         "revenue the message brought in 30 days. Layer "
                         "users by what they paid before: never bought (0), bought up to 300 "
                         "CNY, over 300 CNY. A layer's value = the mean paid in the 30 days "
                         "from a natural comeback: an active day after at least 30 silent "
                         "days (days strictly between two active days ≥ 30), each user's "
                         "first one dated 2026-02-01 … 2026-05-09; paid before = orders "
                         "before the comeback day's midnight, paid after = orders in the 30 "
                         "days from that day. The overall lift of experiment winback_0510 = "
                         "the reactivation rate (any active day in the 14 days from the "
                         "assignment day) of message minus that of holdout. Layer the "
                         "message users by what they paid before their assignment day. "
                         "Compute Σ over layers (message users in the layer × overall lift × "
                         "layer value): how many CNY of extra revenue did the message bring?"),
          hint=Text(zh="分三步：先从活跃日里找出自然回流，算每层的人均 30 天实付；再算实验两组的 14 天"
                       "回流率之差；最后数一数发送组每层有多少人，三者相乘后按层相加。",
                    en="three steps: find the natural comebacks among the active days and "
                       "each layer's mean paid in 30 days; then the difference of the two "
                       "arms' 14-day reactivation rates; then count the message users in "
                       "each layer, multiply the three and add up the layers."))
def winback_extra_revenue(data) -> float:
    return _extra_revenue(data)


@winback_extra_revenue.mistake(Text(
    zh="这里乘的是发送组自己的回流率：不发消息也会回来的人，本来就会花这笔钱。要乘两组回流率之差。",
    en="this multiplies by the message group's own reactivation rate: users who would have "
       "come back anyway would have spent that money without the message. Use the "
       "difference between the arms."))
def extra_revenue_from_treated_rate(data) -> float:
    return _extra_revenue(data, "message")


@winback_extra_revenue.mistake(Text(
    zh="这里乘的是对照组的回流率，那是不发消息也会发生的自然回流；消息的作用是两组回流率之差。",
    en="this multiplies by the holdout's rate, the comebacks that happen without any "
       "message; the message's effect is the difference between the arms."))
def extra_revenue_from_holdout_rate(data) -> float:
    return _extra_revenue(data, "holdout")


# ---------------------------------------------------------------- sessions


def _sessions(data, minutes: int) -> pd.DataFrame:
    """Sessions split at gaps over `minutes`: start time and number of events."""
    e = data["events"].sort_values(["user_id", "event_time"])
    gap = e.groupby("user_id")["event_time"].diff()
    session = (gap.isna() | (gap > pd.Timedelta(minutes=minutes))).cumsum()
    return e.groupby(session).agg(start=("event_time", "min"), n=("event", "size"))


def _one_event_share(s: pd.DataFrame, june: bool = True) -> float:
    if june:
        s = s[(s["start"].dt.year == 2026) & (s["start"].dt.month == 6)]
    return float((s["n"] == 1).mean())


@question("q9_one_event_june_15min", "02_users", rate=True, tolerance=0.002,
          prompt=Text(zh="按 15 分钟间隔切分会话（和同一用户上一个事件相隔超过 15 分钟就开始新会话），"
                         "2026 年 6 月开始的会话里，只有一个事件的占多少？用 0–1 之间的小数作答。",
                      en="Split sessions at 15-minute gaps (more than 15 minutes since the "
                         "user's previous event starts a new session). Of the sessions that "
                         "started in June 2026, what share had exactly one event? Give a "
                         "fraction between 0 and 1."),
          hint=Text(zh="每个用户的事件按时间排好，看和上一个事件的间隔；按会话的开始时间留下 6 月的，"
                       "再看只有一个事件的比例。正文默认的间隔不是 15 分钟。",
                    en="order each user's events by time and look at the gap to the "
                       "previous one; keep the sessions that start in June, then the share "
                       "with one event. The lesson's default gap is not 15 minutes."))
def one_event_june_15min(data) -> float:
    return _one_event_share(_sessions(data, 15))


@one_event_june_15min.mistake(Text(zh="这是按 30 分钟间隔切出来的会话；题目要求按 15 分钟切分。",
                                   en="these sessions were split at 30-minute gaps; the "
                                      "question splits at 15 minutes."))
def one_event_june_30min(data) -> float:
    return _one_event_share(_sessions(data, 30))


@one_event_june_15min.mistake(Text(zh="这是全部会话的比例；题目只看 6 月开始的会话。",
                                   en="this is the share over all sessions; the question "
                                      "keeps the sessions that start in June."))
def one_event_all_months_15min(data) -> float:
    return _one_event_share(_sessions(data, 15), june=False)


# ---------------------------------------------------------------- decisions


@question("q10_scale_campaign", "02_users", kind="open",
          prompt=Text(zh="下季度的拉新预算可以让三个活动中的一个翻倍：新人礼包（new_user_gift）、邀请返利"
                         "（invite_rebate）、裂变海报（share_poster）。你加码哪一个？为什么？写三到四句话，"
                         "带上数字。",
                      en="Next quarter the acquisition budget can double one of the three "
                         "campaigns: 新人礼包 (new_user_gift), 邀请返利 (invite_rebate), 裂变海报 "
                         "(share_poster). Which one, and why? Three or four sentences, with "
                         "the numbers."),
          hint=Text(zh="别停在每个用户的成本上：一直看到留存、首单和收入，再和没参加活动的用户比一比。"
                       "正文的活动质量表把这些放在了一张表里。",
                    en="do not stop at the cost per user: follow it to retention, first "
                       "orders and revenue, and compare with the users who came through no "
                       "campaign. The lesson's campaign-quality table has all of it."),
          selfcheck=(Text(zh="我点名了一个活动，并给出落到首单或收入上的数字（每个首单的成本、每花 1 元带来的收入）。",
                          en="I named one campaign and gave a number that reaches first "
                             "orders or revenue (cost per first order, revenue per CNY "
                             "spent)."),
                     Text(zh="我说明了人均成本最低的活动为什么不是答案，并拿它的留存和没参加活动的用户比过。",
                          en="I said why the cheapest campaign per user is not the pick, "
                             "and compared its retention with the users of no campaign."),
                     Text(zh="我提到了预算翻倍的风险（被薅羊毛、边际效果递减），以及怎么控制。",
                          en="I named the risks of doubling the budget (abuse, diminishing "
                             "returns) and how I would contain them."),
                     Text(zh="我没有拿 K 因子当选择的理由，或者说明了它为什么不是理由。",
                          en="I did not pick on the K-factor, or I said why it is not a "
                             "reason.")),
          rubric=(Text(zh="加码邀请返利：每个首单约 60 元，三个活动里最低；每花 1 元带来约 15 元收入，也最高"
                          "（新人礼包约 81 元、约 11 元）（1 分）",
                       en="scale invite_rebate: about 60 CNY per first order, the lowest of "
                          "the three, and about 15 CNY of revenue per CNY spent, the highest "
                          "(the gift: about 81 CNY and about 11) (1 point)"),
                  Text(zh="裂变海报人均只要 6 元，最便宜，但每个首单约 170 元，最贵：首单率约 4%，第7日留存"
                          "约 20%，还不如没参加活动的用户（约 25%）（1 分）",
                       en="the poster is the cheapest per user (6 CNY) but the dearest per "
                          "first order (about 170 CNY): about 4 % place a first order, and "
                          "its day-7 retention of about 20 % is below that of the users of "
                          "no campaign (about 25 %) (1 point)"),
                  Text(zh="说出风险和办法：返利容易被自己邀请自己、被羊毛党批量刷，要按设备号和 IP 查一人多号；"
                          "预算翻倍后边际效果会递减，分步加预算、边加边看每个首单的成本（1 分）",
                       en="names a risk and its remedy: rebates invite self-invites and "
                          "coupon farmers (羊毛党), so check device_id and ip for one person "
                          "with many accounts; a doubled budget has diminishing returns, so "
                          "raise it in steps and watch the cost per first order (1 point)"),
                  Text(zh="K 因子不是选海报的理由：海报用户的 K 约 0.28，不比新人礼包（约 0.30）高，也低于"
                          "没参加活动的用户（约 0.34）（1 分）",
                       en="the K-factor is no reason to pick the poster: its users' K is "
                          "about 0.28, no higher than the gift's (about 0.30) and below "
                          "the users of no campaign (about 0.34) (1 point)")))
def scale_campaign(data):
    return None


@question("q11_whom_to_wake", "02_users", kind="open",
          prompt=Text(zh="你可以给沉默用户发召回短信（每条 0.05 元），还可以再加一张 10 元优惠券。按此前累计"
                         "实付分三层（从没买过、不超过 300 元、超过 300 元），你唤醒哪几层、各用什么？"
                         "怎么知道它起了作用？每人期望收益 = 回流提升 × 该层价值（Q8 的自然回流后 30 天"
                         f"人均实付）× 毛利率 {GROSS_MARGIN:.0%} − 成本，回流提升按计划的 0.10 算；"
                         "优惠券只有回来的人会用，每个收到消息的人摊到的券成本 = winback_0510 发送组的"
                         "回流率 × 10 元。写四到五句话，带上数字。",
                      en="You may send dormant users a win-back SMS (0.05 CNY each) and, on "
                         "top, a 10-CNY coupon. With the three layers of what they paid "
                         "before (never bought, up to 300 CNY, over 300 CNY): which layers "
                         "do you wake, with what, and how will you know it worked? Expected "
                         "value per user = lift × the layer's value (Q8's mean paid in 30 "
                         f"days after a natural comeback) × the gross margin of "
                         f"{GROSS_MARGIN:.0%} − cost, with the planned lift of 0.10; only "
                         "users who come back use the coupon, so its cost per messaged user "
                         "= the reactivation rate of winback_0510's message group × 10 CNY. "
                         "Four or five sentences, with the numbers."),
          hint=Text(zh="先算每层短信的保本成本（提升 × 层价值 × 毛利率），和 0.05 元比；再把券的成本加上去"
                       "看哪层还是正的。最后想想：上次测试的样本量是按哪一层设计的？",
                    en="first each layer's break-even cost of an SMS (lift × value × "
                       "margin) against 0.05 CNY; then add the coupon's cost and see which "
                       "layers stay positive. Last, ask what the earlier test's sample "
                       "size was planned for."),
          selfcheck=(Text(zh="我给三层各算了期望收益（或短信的保本成本），写出了数字。",
                          en="I worked out each layer's expected value (or the SMS "
                             "break-even cost), with the numbers."),
                     Text(zh="我说明了券的成本落在所有回来的人身上，包括本来就会回来的人，并据此决定给不给、给哪层。",
                          en="I said the coupon's cost falls on everyone who comes back, "
                             "those who would have come anyway included, and decided from "
                             "that whether and to whom to give it."),
                     Text(zh="我在每一层都留了对照组，并说明了为什么上次测试的分层结果不能直接拿来用。",
                          en="I kept a holdout in every layer and said why the earlier "
                             "test's per-layer results cannot be used as they are."),
                     Text(zh="我写清了怎么判断起效：看哪个指标、和谁比、看多久。",
                          en="I said how I will know it worked: which metric, against whom, "
                             "over how long.")),
          rubric=(Text(zh="三层都发短信：短信的保本成本约 0.39 / 1.5 / 2.8 元，都高于 0.05 元，连从没买过的人"
                          "每人也约 +0.34 元（1 分）",
                       en="SMS to all three layers: its break-even cost is about 0.39 / 1.5 "
                          "/ 2.8 CNY, all above 0.05 CNY, so even never-buyers give about "
                          "+0.34 CNY each (1 point)"),
                  Text(zh="券最多只给超过 300 元的一层：发送组回流率约 16%，券成本约 1.6 元/人，加券后从没买过的"
                          "一层约 −1.3 元、不超过 300 元的约 −0.15 元，只有超过 300 元的仍约 +1.1 元；而且只有"
                          "券能额外拉高回流时才值得，不发券也说得通（1 分）",
                       en="the coupon for the over-300 layer at most: the message group's "
                          "reactivation is about 16 %, so the coupon costs about 1.6 CNY per "
                          "user; with it never-buyers give about −1.3 CNY and the up-to-300 "
                          "layer about −0.15, only over-300 stays positive (about +1.1); and "
                          "it pays only if it lifts reactivation further, so no coupon at "
                          "all is a fair answer too (1 point)"),
                  Text(zh="每层都留对照组：winback_0510 的样本量是按整体设计的，不超过 300 元和超过 300 元两层的"
                          "对照组只有 18 人和 9 人，分层提升的置信区间下限约 −0.25、上限约 +0.1 到 +0.2，"
                          "都跨过 0，各层真实提升并不知道"
                          "（1 分）",
                       en="a holdout in each layer: winback_0510 was sized for the total; "
                          "the up-to-300 and over-300 layers had holdouts of 18 and 9 users, "
                          "and their lifts' intervals run from about −0.25 up to +0.1 or +0.2, across 0, so the "
                          "lift per layer is unknown (1 point)"),
                  Text(zh="验证方式：发送后 14 天的回流率和 30 天的实付，每层和本层对照组比，再扣掉短信和券的成本"
                          "算回报（1 分）",
                       en="how to check: reactivation within 14 days and revenue within 30 "
                          "days of the send, each layer against its own holdout, less the "
                          "cost of the SMS and the coupons (1 point)")))
def whom_to_wake(data):
    return None
