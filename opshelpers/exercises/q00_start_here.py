"""Questions of 00_start_here: loading tables, counting at the right grain, a first rate."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from . import question


def _march(users: pd.DataFrame) -> pd.Series:
    return users["signup_time"].dt.month.eq(3)


@question("q1_kol_march_signups", "00_start_here", tolerance=0,
          prompt=Text(zh="2026 年 3 月通过 KOL 渠道注册的用户有多少人？",
                      en="How many users signed up through the KOL channel in March 2026?"),
          hint=Text(zh="两个条件同时成立：注册月份是 3 月，并且渠道是 'kol'；满足的行数就是人数。",
                    en="two conditions at once: signup month is 3 and channel is 'kol'; "
                       "the rows that meet both are the users."))
def kol_march_signups(data):
    u = data["users"]
    return int((_march(u) & u["channel"].eq("kol")).sum())


@kol_march_signups.mistake(Text(zh="这是 3 月所有渠道的注册人数；题目只问 KOL 渠道。",
                                en="this is March's signups over all channels; the question "
                                   "asks for KOL only."))
def all_channels(data):
    return int(_march(data["users"]).sum())


@kol_march_signups.mistake(Text(zh="这是 KOL 半年的注册人数；题目只问 3 月。",
                                en="this is KOL's signups over the whole half-year; the "
                                   "question asks for March only."))
def whole_half_year(data):
    return int(data["users"]["channel"].eq("kol").sum())


def _signups_and_buyers(data) -> pd.DataFrame:
    u, o = data["users"], data["orders"]
    return u.assign(buyer=u["user_id"].isin(o["user_id"])).groupby("channel")["buyer"] \
        .agg(["sum", "size"])


@question("q2_best_buyer_rate_channel", "00_start_here", kind="text",
          prompt=Text(zh="哪个获客渠道来的用户**最容易成为下单用户**？比较各渠道的下单用户占比"
                         "（下单用户数 / 注册用户数），用数据里的渠道名作答，例如 'seo'。",
                      en="Users of which acquisition channel are **most likely to become "
                         "buyers**? Compare each channel's buyer rate (buyers / signups) and "
                         "answer with the channel's name as in the data, e.g. 'seo'."),
          hint=Text(zh="给每个用户标上是否在订单表里出现过，再按渠道求这个标记的平均值。",
                    en="mark each user as a buyer or not (do they appear in orders?), then "
                       "average that mark by channel."))
def best_buyer_rate_channel(data):
    c = _signups_and_buyers(data)
    return str((c["sum"] / c["size"]).idxmax())


@best_buyer_rate_channel.mistake(Text(
    zh="这是下单用户**人数**最多的渠道：它注册的人本来就多。题目比的是占比，不是人数。",
    en="this channel has the most buyers because it has the most signups; the question "
       "compares rates, not counts."))
def most_buyers(data):
    return str(_signups_and_buyers(data)["sum"].idxmax())


@question("q3_buyer_share", "00_start_here", rate=True, tolerance=0.002,
          prompt=Text(zh="注册用户中，下过至少一单的用户占比多少？用 0–1 之间的小数作答。",
                      en="What share of registered users placed at least one order? Give a "
                         "fraction between 0 and 1."),
          hint=Text(zh="分子是下单用户数（去重），分母是全部注册用户数。",
                    en="distinct users with an order, over all registered users."))
def buyer_share(data):
    return data["orders"]["user_id"].nunique() / len(data["users"])


@buyer_share.mistake(Text(zh="分子数的是订单而不是人：同一个用户的多笔订单要去重（nunique）。",
                          en="the numerator counts orders, not people: count each buyer once "
                             "(nunique)."))
def orders_over_users(data):
    return len(data["orders"]) / len(data["users"])


def _coupon_paid(data) -> pd.Series:
    o = data["orders"]
    return o.loc[o["coupon_code"].notna(), "paid"]


@question("q4_coupon_median_paid", "00_start_here", tolerance=0.5,
          prompt=Text(zh="用了优惠券的订单，每单实付金额（paid）的中位数是多少元？",
                      en="For orders that used a coupon, what is the median amount paid "
                         "per order, in CNY?"),
          hint=Text(zh="先筛出 coupon_code 不为空的订单，再对实付金额取中位数。",
                    en="keep the orders whose coupon_code is filled in, then take the median "
                       "of what was paid."))
def coupon_median_paid(data):
    return float(_coupon_paid(data).median())


@coupon_median_paid.mistake(Text(zh="这是平均数：订单金额长尾分布，少数大单会把平均数拉高。题目要中位数。",
                                 en="this is the mean: order values are heavy-tailed, so a few "
                                    "big orders pull it up. The question asks for the median."))
def coupon_mean_paid(data):
    return float(_coupon_paid(data).mean())


@coupon_median_paid.mistake(Text(zh="这是全部订单的中位数；题目只看用了优惠券的订单。",
                                 en="this is the median of all orders; the question keeps only "
                                    "orders with a coupon."))
def all_orders_median(data):
    return float(data["orders"]["paid"].median())


@coupon_median_paid.mistake(Text(zh="这是优惠前的 GMV；实付金额是 paid 列（GMV 减去优惠）。",
                                 en="this is GMV before the discount; the amount paid is the "
                                    "paid column (GMV minus discount)."))
def coupon_median_gmv(data):
    o = data["orders"]
    return float(o.loc[o["coupon_code"].notna(), "gmv"].median())


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _daily(data, how: str) -> pd.Series:
    e = data["events"]
    return e.groupby(e["event_time"].dt.normalize())["user_id"].agg(how)


def _by_weekday(daily: pd.Series, how: str) -> str:
    return str(daily.groupby(daily.index.day_name()).agg(how).idxmin())


@question("q5_quietest_weekday", "00_start_here", kind="choice", choices=WEEKDAYS,
          prompt=Text(zh="一周中哪一天的**平均**日活最低？用英文星期名作答（pandas 的 "
                         "day_name() 就是这样写的），例如 'Monday'。",
                      en="On which day of the week is **average** DAU lowest? Answer like "
                         "'Monday' (as pandas' day_name() writes it)."),
          hint=Text(zh="先算每天的日活（当天去重用户数），再按星期几求平均。",
                    en="DAU per date first (distinct users that day), then the average by "
                       "weekday."))
def quietest_weekday(data):
    return _by_weekday(_daily(data, "nunique"), "mean")


@quietest_weekday.mistake(Text(zh="这是按星期几**求和**的结果：半年里各星期几出现的次数不同"
                                  "（有的 26 次，有的 25 次），要用平均数比较。",
                               en="this sums DAU by weekday: weekdays occur a different number "
                                  "of times in the half-year (26 or 25), so compare averages."))
def summed(data):
    return _by_weekday(_daily(data, "nunique"), "sum")


@question("q6_march_story", "00_start_here", kind="open",
          prompt=Text(zh="回看日活和注册图：2026-03-10 这一周发生了什么？要查原因，你会先打开哪张表？"
                         "写两句话。",
                      en="Look at the DAU and signup charts again. In two sentences: what "
                         "happened in the week of 2026-03-10, and which table would you open "
                         "first to find out why?"),
          hint=Text(zh="对比那一周前后：哪条渠道的线几乎消失了？",
                    en="compare that week with the ones around it: whose line almost "
                       "vanishes?"),
          selfcheck=(Text(zh="我说清了变化本身：哪个指标、哪几天、跌了大约多少。",
                          en="I said what changed: which metric, which days, roughly how much."),
                     Text(zh="我指出了是哪个渠道，并用图上看到的事实支持。",
                          en="I named the channel and backed it with what the chart shows."),
                     Text(zh="我选的表能检验这个猜想（例如看花费或曝光），而不只是再看一遍结果。",
                          en="the table I chose can test the guess (spend or impressions), "
                             "not just show the outcome again.")),
          rubric=(Text(zh="指出注册和日活在 03-10…03-16 同时下降，其余周平稳（1 分）",
                       en="signups and DAU both dip 03-10…03-16 while other weeks are "
                          "steady (1 point)"),
                  Text(zh="指出 feed_ads（信息流）渠道几乎消失（1 分）",
                       en="names feed_ads as the channel that almost vanishes (1 point)"),
                  Text(zh="先查 channel_daily：这一周信息流花费为 0，投放被暂停（1 分）",
                       en="opens channel_daily first: feed-ads spend is zero that week, the "
                          "ads were paused (1 point)")))
def march_story(data):
    return None
