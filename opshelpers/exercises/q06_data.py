"""Questions of 06_data: the March DAU dip, stickiness, SQL, the GMV tree, cart abandonment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Text
from . import question
from .q00_start_here import _daily
from .q02_users import _users_with

JUNE = ("2026-06-01", "2026-06-30")
MAY_DAY = "2026-05-01"

BASELINE = ("2026-05-11", "2026-05-31")      # the three ordinary weeks before 618


def _burst(data) -> tuple[str, str]:
    start, end, _ = data.scenario.activity.phases_618["burst"]
    return start, end


def _dau(data) -> pd.Series:
    """Distinct active users per day."""
    return _daily(data, "nunique")


def _pause_and_week_before(data) -> tuple[tuple, tuple]:
    """The feed-ads pause and the seven days right before it."""
    start, end = data.scenario.traffic.feed_ads_pause
    first = pd.Timestamp(start)
    return (start, end), (first - pd.Timedelta(days=7), first - pd.Timedelta(days=1))


@question("q1_dip_change", "06_data", signed=True, tolerance=0.005,
          prompt=Text(zh="{s.traffic.feed_ads_pause[0]} 至 {s.traffic.feed_ads_pause[1]} 的平均"
                         "日活 DAU，比前一周变化了多少？写成相对变化的小数（例如 −0.05）。",
                      en="How did mean DAU of {s.traffic.feed_ads_pause[0]} … "
                         "{s.traffic.feed_ads_pause[1]} compare with the week before? Answer "
                         "as a change, e.g. −0.05."),
          hint=Text(zh="先算每天的日活，再分别求这一周和前一周的日均，相对变化 = 本周 / 上周 − 1。",
                    en="daily DAU first, then each week's mean; the change is this week / "
                       "the week before − 1."))
def dip_change(data) -> float:
    dau = _dau(data)
    (start, end), (lo, hi) = _pause_and_week_before(data)
    return float(dau[start:end].mean() / dau[lo:hi].mean() - 1)


@dip_change.mistake(Text(zh="这是日活相差的人数；题目要相对变化（本周 / 上周 − 1）。",
                         en="this is the difference in users; the question asks for the "
                            "relative change (this week / the week before − 1)."))
def dip_in_users(data) -> float:
    dau = _dau(data)
    (start, end), (lo, hi) = _pause_and_week_before(data)
    return float(dau[start:end].mean() - dau[lo:hi].mean())


@dip_change.mistake(Text(zh="这是和半年日均相比的变化；题目比的是紧挨着的前一周。",
                         en="this compares with the half-year's mean DAU; the question "
                            "compares with the week right before."))
def dip_vs_half_year(data) -> float:
    dau = _dau(data)
    (start, end), _ = _pause_and_week_before(data)
    return float(dau[start:end].mean() / dau.mean() - 1)


@question("q2_june_stickiness", "06_data", rate=True, tolerance=0.003,
          prompt=Text(zh="6 月的平均粘性（DAU / MAU，MAU 取截至当天的近 30 天）是多少？",
                      en="What was the mean DAU/MAU over June, with a 30-day MAU?"),
          hint=Text(zh="对 6 月的每一天：当天的日活，除以截至当天（含）过去 30 天的去重活跃用户数；"
                       "再对这 30 个比值取平均。",
                    en="for every June day: that day's DAU over the distinct users active in "
                       "the 30 days up to and including it; then the mean of those ratios."))
def june_stickiness(data) -> float:
    e = data["events"]
    day = e["event_time"].dt.normalize()
    ratios = []
    for d in pd.date_range(*JUNE):
        mau = e.loc[(day > d - pd.Timedelta(days=30)) & (day <= d), "user_id"].nunique()
        ratios.append(e.loc[day == d, "user_id"].nunique() / mau)
    return float(np.mean(ratios))


@june_stickiness.mistake(Text(zh="分母用了 6 月整月的月活；题目的 MAU 是每天往前滚动 30 天。",
                              en="the denominator is June's calendar-month MAU; the question "
                                 "uses a rolling 30-day MAU for each day."))
def calendar_month_mau(data) -> float:
    e = data["events"]
    in_june = e["event_time"].dt.normalize().between(*JUNE)
    return float(_dau(data)[JUNE[0]:JUNE[1]].mean() / e.loc[in_june, "user_id"].nunique())


def _active_by_channel(data, start, end) -> pd.Series:
    """Active user-days per acquisition channel between two days (both included)."""
    e = data["events"].merge(data["users"][["user_id", "channel"]])
    active = e.assign(day=e["event_time"].dt.normalize()).drop_duplicates(["user_id", "day"])
    return active[active["day"].between(start, end)]["channel"].value_counts()


@question("q3_dip_driver", "06_data", kind="text",
          prompt=Text(zh="3 月的日活下滑，主要是哪个获客渠道来的用户造成的？用数据里的渠道名作答。",
                      en="Which acquisition channel's users explain most of the March DAU dip? "
                         "Answer with the channel's name as in the data."),
          hint=Text(zh="把活跃的“人·天”按用户的注册渠道拆开，比较下滑那一周和前一周，"
                       "减少得最多的渠道就是主因。",
                    en="split active user-days by the users' signup channel and compare the "
                       "dip week with the week before; the channel that lost the most is "
                       "the driver."))
def dip_driver(data) -> str:
    (start, end), (lo, hi) = _pause_and_week_before(data)
    before = _active_by_channel(data, lo, hi)
    after = _active_by_channel(data, start, end)
    return str((after - before).idxmin())


@question("q4_may_day_dau", "06_data", tolerance=0,
          prompt=Text(zh="用 SQL 查：2026-05-01 当天有多少活跃用户？",
                      en="With SQL: how many users were active on 2026-05-01?"),
          hint=Text(zh="在 `events` 里筛出事件时间落在这一天的行，对 `user_id` 去重计数。",
                    en="keep the `events` whose time falls on that day and count distinct "
                       "`user_id`."))
def may_day_dau(data) -> int:
    return int(_dau(data)[MAY_DAY])


@may_day_dau.mistake(Text(zh="这数的是当天的事件条数（`count(*)`）；日活要对用户去重（`DISTINCT`）。",
                          en="this counts the day's events (`count(*)`); DAU counts distinct "
                             "users (`DISTINCT`)."))
def may_day_events(data) -> int:
    e = data["events"]
    return int(e["event_time"].dt.normalize().eq(MAY_DAY).sum())


def _contributions(data) -> dict[str, float]:
    """Log-mean (LMDI) split of the GMV change, baseline → burst, over the tree's factors
    and, under "gmv", the change itself."""
    o = data["orders"]
    dau = _dau(data)

    def level(lo: str, hi: str) -> dict[str, float]:
        d = o[o["order_time"].dt.normalize().between(lo, hi)]
        days = len(pd.date_range(lo, hi))
        users = dau[lo:hi].mean()
        payers = d.groupby(d["order_time"].dt.normalize())["user_id"].nunique().sum() / days
        n, g = len(d) / days, d["gmv"].sum() / days
        return {"active_users": users, "paying_rate": payers / users, "orders_per_payer": n / payers,
                "aov": g / n, "gmv": g}

    a, b = level(*BASELINE), level(*_burst(data))
    lm = (b["gmv"] - a["gmv"]) / (np.log(b["gmv"]) - np.log(a["gmv"]))
    return {k: lm * np.log(b[k] / a[k]) for k in ("active_users", "paying_rate",
                                                   "orders_per_payer", "aov", "gmv")}


@question("q5_top_factor", "06_data", kind="text",
          prompt=Text(zh="把 GMV 拆成 活跃用户数 × 付费率 × 人均订单数 × 客单价，从平日基线"
                         "（2026-05-11 至 2026-05-31）到 618 爆发期，哪个因子对 GMV 增长贡献最大？"
                         "用因子名作答（`active_users`、`paying_rate`、`orders_per_payer`、`aov`）。",
                      en="Split GMV into active users × paying rate × orders per payer × AOV: "
                         "which factor contributed most to the GMV rise from the baseline "
                         "(2026-05-11 … 2026-05-31) to the 618 burst? Answer with the factor's "
                         "name (`active_users`, `paying_rate`, `orders_per_payer`, `aov`)."),
          hint=Text(zh="分别算两个时期每个因子的日均水平，再把 GMV 的变化按各因子的对数变化分摊；"
                       "分到最多的那个因子贡献最大。",
                    en="each factor's daily level in both periods, then share the GMV change "
                       "out by each factor's log change; the factor with the largest share "
                       "wins."))
def top_factor(data) -> str:
    contrib = _contributions(data)
    del contrib["gmv"]
    return max(contrib, key=contrib.get)


@top_factor.mistake(Text(zh="`gmv` 是树的根节点，也就是 GMV 的总变化，不是拆出来的因子；"
                            "请在四个因子里比较。",
                         en="`gmv` is the root of the tree — the total change — not a factor; "
                            "compare the four factors."))
def tree_root(data) -> str:
    contrib = _contributions(data)
    return max(contrib, key=contrib.get)


@question("q6_cart_abandon", "06_data", rate=True, tolerance=0.002,
          prompt=Text(zh="加购过的用户里，有多少比例从来没有进入结算？用 0–1 之间的小数作答。",
                      en="What share of the users who added something to the cart never "
                         "reached checkout? Give a fraction between 0 and 1."),
          hint=Text(zh="按人算：加购过但从没有结算（checkout）事件的用户数，除以加购过的用户数。",
                    en="count people: users with add_to_cart but no checkout, over users "
                       "with add_to_cart."))
def cart_abandon(data) -> float:
    carted, checked = _users_with(data, "add_to_cart"), _users_with(data, "checkout")
    return len(carted - checked) / len(carted)


@cart_abandon.mistake(Text(zh="这是加购后从没购买的比例；题目问的是连结算都没进入的比例，"
                              "结算在购买之前。",
                           en="this is the share that never bought; the question stops one "
                              "step earlier, at checkout."))
def never_bought(data) -> float:
    carted, bought = _users_with(data, "add_to_cart"), _users_with(data, "purchase")
    return len(carted - bought) / len(carted)


@cart_abandon.mistake(Text(zh="这是按事件次数算的（1 − 结算次数 / 加购次数）；题目按人去重。",
                           en="this counts events (1 − checkouts / add-to-carts); the question "
                              "counts distinct users."))
def abandon_by_events(data) -> float:
    ev = data["events"]["event"]
    return float(1 - ev.eq("checkout").sum() / ev.eq("add_to_cart").sum())
