"""Questions of 05_activity: planning a campaign from past 复盘 (a forecast for the 2026
中秋 gift boxes), what 618 brought (the tail's incremental GMV on a shorter baseline, the
ROI of the whole campaign), the live room's coupon top-up (its conversion lift and what
each extra coupon CNY brought back), two velocity rules at checkout, the checkout test's
winner's curse and Holm over four metrics, and two decisions (the mid-autumn plan and
whether to ship checkout B).

The solvers are plain pandas / numpy / scipy: an independent computation that
`opshelpers.activity` and `opshelpers.experiments` are checked against, never a call to
them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import integrate, stats

from ..i18n import Text
from . import question

MARGIN = 0.5                          # gross margin, as the glossary's campaign_roi
DAY = pd.Timedelta(days=1)
CHECKOUT = "checkout_button"           # the checkout experiment of ab_assignments
FESTIVAL_COST = 80_000.0              # q1, d1: the 2026 mid-autumn plan, CNY
PACE_TARGET = 310_000                 # q2: a higher burst target, CNY
PACE_BASELINE_DAYS = 14               # q2: the days whose hourly shape paces it
LIVE_BEFORE_FROM = "2026-06-13"       # q4, q5: the burst after its two ramp days
ORDER_RULE_WINDOW = pd.Timedelta("12h")  # q7: a rule on orders per device
TRUE_LIFT = 0.025                     # q8: a planning guess of checkout B's real lift


# ---------------------------------------------------------------- planning


def _log_returns(data, incremental: bool = True, coupons: bool = True) -> pd.DataFrame:
    h = data["campaign_history"]
    gain = h["gmv"] - h["baseline_gmv"] if incremental else h["gmv"]
    cost = h["media_spend"] + (h["coupon_cost"] if coupons else 0)
    return h.assign(per_cost=gain / cost)


def _festival_median(data, **how) -> float:
    r = _log_returns(data, **how)
    festival = r.loc[r["kind"] == "festival", "per_cost"]
    return float(np.exp(np.log(festival).mean()) * FESTIVAL_COST)


@question("q1_festival_forecast", "05_activity", tolerance=250,
          prompt=Text(zh="2026 年中秋礼盒活动计划投入 80,000 元（投放加优惠券）。用 `campaign_history` "
                         "里往届节日营销（kind 为 festival）的记录，按本课的方法（每元成本带来的增量"
                         " GMV 取对数、求平均、再还原），预计它能带来多少增量 GMV？答中位预测，单位元。",
                      en="The 2026 mid-autumn gift-box campaign is planned at 80,000 CNY "
                         "(media plus coupons). From the festival campaigns (kind festival) "
                         "in `campaign_history`, the lesson's way (incremental GMV per CNY "
                         "of cost, averaged on the log scale, then back), what incremental "
                         "GMV should it bring? Give the median forecast in CNY."),
          hint=Text(zh="先给每场往届活动算“增量 GMV ÷ 总成本”，成本要把优惠券也算上；只留节日营销，"
                       "在对数上求平均再还原，最后乘以这次的投入。",
                    en="for each past campaign, incremental GMV over its whole cost "
                       "(coupons included); keep the festivals, average on the log scale, "
                       "come back, and scale by this campaign's cost."))
def festival_forecast(data) -> float:
    return _festival_median(data)


@festival_forecast.mistake(Text(zh="这是回报率的算术平均乘以投入：一场特别好的活动会把平均拉高。"
                                   "回报按倍数波动，要在对数上平均（几何平均）。",
                                en="this is the arithmetic mean of the returns times the "
                                   "cost: one lucky campaign pulls it up. Returns vary by a "
                                   "factor, so average them on the log scale (the geometric "
                                   "mean)."))
def festival_arithmetic_mean(data) -> float:
    r = _log_returns(data)
    return float(r.loc[r["kind"] == "festival", "per_cost"].mean() * FESTIVAL_COST)


@festival_forecast.mistake(Text(zh="这里把大促、上新和节日营销混在一起平均了；不同类型的活动回报差别很大，"
                                   "只用节日营销。",
                                en="this averages sales, launches and festivals together; "
                                   "the kinds return very differently, so keep the "
                                   "festivals."))
def all_kinds_pooled(data) -> float:
    r = _log_returns(data)
    return float(np.exp(np.log(r["per_cost"]).mean()) * FESTIVAL_COST)


@festival_forecast.mistake(Text(zh="这里用的是活动期的总 GMV，不是增量 GMV：不做活动那几天也有基线销量。",
                                en="this uses the campaigns' whole GMV, not the incremental "
                                   "GMV: those days would have sold the baseline anyway."))
def festival_total_gmv(data) -> float:
    return _festival_median(data, incremental=False)


@festival_forecast.mistake(Text(zh="成本只算了投放费，没算优惠券成本；往届每元回报被算高了。",
                                en="the cost is media only, without the coupons, so every "
                                   "past return looks higher than it was."))
def festival_media_only(data) -> float:
    return _festival_median(data, coupons=False)


# ---------------------------------------------------------------- what 618 brought


def _daily_gmv(data) -> pd.Series:
    o = data["orders"]
    return o.groupby(o["order_time"].dt.normalize())["gmv"].sum()


def _phase(data, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end, _ = data.scenario.activity.phases_618[name]
    return pd.Timestamp(start), pd.Timestamp(end)


def _baseline_per_day(data, days: int, before: pd.Timestamp) -> float:
    daily = _daily_gmv(data)
    window = pd.date_range(before - days * DAY, periods=days)
    return float(daily.reindex(window, fill_value=0.0).mean())


def _pace_alert_hours(data, target: float, shaped: bool = True,
                      cumulative: bool = True) -> int:
    """Hours of the burst whose cumulative GMV is below 90 % of the target's pace, the
    pace shaped by the hour-of-day GMV of the 14 days before the burst."""
    o = data["orders"]
    start, end = _phase(data, "burst")
    hours = pd.date_range(start, end + DAY, freq="h", inclusive="left")
    before = o[(o["order_time"] >= start - PACE_BASELINE_DAYS * DAY)
               & (o["order_time"] < start)]
    profile = before.groupby(before["order_time"].dt.hour)["gmv"].sum()
    weight = profile.reindex(hours.hour, fill_value=0).to_numpy() if shaped else (
        np.ones(len(hours)))
    share = weight / weight.sum() * target
    inside = o[(o["order_time"] >= start) & (o["order_time"] < end + DAY)]
    actual = inside.groupby(inside["order_time"].dt.floor("h"))["gmv"].sum().reindex(
        hours, fill_value=0).to_numpy()
    if cumulative:
        actual, share = actual.cumsum(), share.cumsum()
    return int((actual < 0.9 * share).sum())


@question("q2_pace_alert_hours", "05_activity", tolerance=0,
          prompt=Text(zh="如果爆发期的 GMV 目标定成 310,000 元（进度节奏仍按爆发期开始前 14 天每个钟点的"
                         " GMV 分布来分摊，累计 GMV 低于目标进度的 90% 就预警），爆发期 8 天里会有多少个小时在预警？",
                      en="Had the burst's GMV target been 310,000 CNY (the pace still "
                         "shaped by the hour-of-day GMV of the 14 days before the burst, an "
                         "alert when cumulative GMV is below 90 % of the pace), how many "
                         "hours of the burst's 8 days would be in alert?"),
          hint=Text(zh="目标不是平均摊到每个小时：凌晨和晚上的成交本来就不一样。比的是累计值，不是每个小时各比各的。",
                    en="the target is not spread evenly over the hours: the small hours and "
                       "the evening sell differently. Compare cumulative amounts, not each "
                       "hour on its own."))
def pace_alert_hours(data) -> int:
    return _pace_alert_hours(data, PACE_TARGET)


@pace_alert_hours.mistake(Text(zh="目标被平均摊到了每个小时；凌晨几乎没人下单，这样的节奏一开场就落后。"
                                  "按平日每个钟点的成交占比来分摊。",
                               en="the target is spread evenly over the hours; hardly anyone "
                                  "orders at night, so such a pace is behind from the "
                                  "start. Shape it by an ordinary day's hourly share."))
def pace_flat(data) -> int:
    return _pace_alert_hours(data, PACE_TARGET, shaped=False)


@pace_alert_hours.mistake(Text(zh="这里是每个小时各比各的：一个小时卖得少就报警，哪怕总进度领先。"
                                  "预警看的是累计 GMV 对累计目标。",
                               en="this compares each hour on its own, so one slow hour "
                                  "alarms even when the total is ahead. The alert compares "
                                  "cumulative GMV with the cumulative target."))
def pace_hour_by_hour(data) -> int:
    return _pace_alert_hours(data, PACE_TARGET, cumulative=False)


def _phases_618(data) -> pd.DataFrame:
    """Per 618 phase: days, GMV, coupon cost (every discount of its days) and spend, with
    the lesson's 21-day baseline before the warm-up."""
    c = data["campaigns"]
    c = c[c["campaign_id"].str.startswith("618")]
    o = data["orders"]
    day = o["order_time"].dt.normalize()
    base = _baseline_per_day(data, data.scenario.activity.lift_baseline_days,
                             pd.Timestamp(c["start_date"].min()))
    rows = []
    for r in c.itertuples():
        inside = day.between(r.start_date, r.end_date)
        n = (pd.Timestamp(r.end_date) - pd.Timestamp(r.start_date)).days + 1
        rows.append({"gmv": o.loc[inside, "gmv"].sum(), "baseline": base * n,
                     "coupons": o.loc[inside, "discount"].sum(), "spend": r.spend})
    p = pd.DataFrame(rows)
    return p.assign(incremental=p["gmv"] - p["baseline"], cost=p["spend"] + p["coupons"])


def _roi(gain, cost, margin: float = MARGIN):
    return (gain * margin - cost) / cost


@question("q3_campaign_roi", "05_activity", signed=True, tolerance=0.005,
          prompt=Text(zh="整场 618（预热期、爆发期、延续期合起来）的活动 ROI 是多少？按词汇表的定义："
                         "（增量 GMV × 毛利率 − 活动成本）÷ 活动成本，毛利率 50%，活动成本 = 投放费 + "
                         "这些天所有订单的优惠金额，基线用本课的 21 天。写成小数（−0.25 表示 −25%）。",
                      en="What is the campaign ROI of the whole 618 (warm-up, burst and tail "
                         "together)? The glossary's definition: (incremental GMV × margin − "
                         "cost) / cost, with a 50 % margin, cost = media spend + every "
                         "discount on orders of those days, and the lesson's 21-day "
                         "baseline. A fraction (−0.25 is −25 %)."),
          hint=Text(zh="整场活动的 ROI 不是三个阶段 ROI 的平均：先把三个阶段的增量 GMV 和成本分别加总，"
                       "再代入公式。",
                    en="the whole campaign's ROI is not the mean of the phases' ROIs: add up "
                       "the three phases' incremental GMV and their costs first, then use "
                       "the formula."))
def campaign_roi(data) -> float:
    p = _phases_618(data)
    return float(_roi(p["incremental"].sum(), p["cost"].sum()))


@campaign_roi.mistake(Text(zh="这是三个阶段 ROI 的平均：天数和花费不同的阶段被当成一样重。先加总再相除。",
                           en="this is the mean of the three phases' ROIs, weighing phases "
                              "of different size alike. Add up first, then divide."))
def mean_of_phase_rois(data) -> float:
    p = _phases_618(data)
    return float(_roi(p["incremental"], p["cost"]).mean())


@campaign_roi.mistake(Text(zh="这里用的是全部 GMV，不是增量 GMV：平时也会卖出的那部分不能算活动的功劳。",
                           en="this uses the whole GMV, not the incremental GMV: what would "
                              "have sold anyway is not the campaign's doing."))
def roi_on_total_gmv(data) -> float:
    p = _phases_618(data)
    return float(_roi(p["gmv"].sum(), p["cost"].sum()))


@campaign_roi.mistake(Text(zh="成本只算了投放费，漏了优惠券：券是实打实让出去的钱，也是活动成本。",
                           en="the cost is media only: the coupons are money given away, "
                              "and a campaign cost too."))
def roi_without_coupons(data) -> float:
    p = _phases_618(data)
    return float(_roi(p["incremental"].sum(), p["spend"].sum()))


@campaign_roi.mistake(Text(zh="没乘毛利率：GMV 不是利润，卖出 1 元只赚回毛利那部分。",
                           en="the margin is missing: GMV is not profit, a CNY sold earns "
                              "back only its margin."))
def roi_without_margin(data) -> float:
    p = _phases_618(data)
    return float(_roi(p["incremental"].sum(), p["cost"].sum(), margin=1.0))


# ---------------------------------------------------------------- the live room


def _live_split(data, before_from: str = LIVE_BEFORE_FROM):
    live = data["live_hourly"]
    at = pd.Timestamp(data.scenario.live.topup_time)
    burst_end = _phase(data, "burst")[1] + DAY
    before = live[(live["hour"] >= before_from) & (live["hour"] < at)]
    after = live[(live["hour"] >= at) & (live["hour"] < burst_end)]
    return before, after


def _conversion(rows: pd.DataFrame) -> float:
    return rows["buyers"].sum() / rows["viewers"].sum()


@question("q4_live_conversion_lift", "05_activity", rate=True, signed=True,
          tolerance=0.005,
          prompt=Text(zh="直播间加券（{s.live.topup_time:.16} 起）之后到爆发期结束，转化率（成交人数 ÷ 观看人数）"
                         "比加券前高了百分之多少？“加券前”取 2026-06-13 零点到加券那一刻，"
                         "避开爆发期头两天的起量期。用“加券后 ÷ 加券前 − 1”作答，写成小数。",
                      en="After the live room's coupon top-up (from {s.live.topup_time:.16}) to "
                         "the end of the burst, by what share was conversion (buyers / "
                         "viewers) above its level before the top-up? Take 'before' from "
                         "2026-06-13 00:00 to the top-up, past the burst's two ramp "
                         "days. Answer after / before − 1 as a fraction."),
          hint=Text(zh="每一段的转化率都用总下单人数除以总观看人数，不要把每小时的转化率直接平均；"
                       "两段的时间边界都要照题目卡准。",
                    en="each stretch's conversion is its total buyers over its total viewers, "
                       "not a mean of the hourly rates; hold both stretches exactly to the "
                       "question's bounds."))
def live_conversion_lift(data) -> float:
    before, after = _live_split(data)
    return float(_conversion(after) / _conversion(before) - 1)


@live_conversion_lift.mistake(Text(zh="这是每小时转化率的平均：观看很少的早场和晚上高峰一样重。"
                                      "用总人数相除。",
                                   en="this is the mean of the hourly rates, which weighs a "
                                      "quiet morning hour like the evening peak. Divide the "
                                      "totals."))
def mean_of_hourly_conversion(data) -> float:
    before, after = _live_split(data)
    return float((after["buyers"] / after["viewers"]).mean()
                 / (before["buyers"] / before["viewers"]).mean() - 1)


@live_conversion_lift.mistake(Text(zh="这是百分点的差（加券后 − 加券前），题目问的是相对高了多少（后 ÷ 前 − 1）。",
                                   en="this is the difference in points (after − before); "
                                      "the question asks for the relative lift (after / "
                                      "before − 1)."))
def conversion_points(data) -> float:
    before, after = _live_split(data)
    return float(_conversion(after) - _conversion(before))


@live_conversion_lift.mistake(Text(zh="“加券前”拿的是 5 月的平日：平日和大促的转化本来就不一样，"
                                      "比出来的是大促的效果，不是加券的效果。",
                                   en="'before' here is ordinary May: a sale converts "
                                      "differently anyway, so this measures the sale, not "
                                      "the top-up."))
def conversion_against_may(data) -> float:
    live = data["live_hourly"]
    may = live[live["hour"].dt.month == 5]
    return float(_conversion(_live_split(data)[1]) / _conversion(may) - 1)


def _run_rate_effect(data, column: str) -> float:
    """Actual − expected after the top-up, where expected = the per-viewer rate before
    it × the viewers after it (the lesson's counterfactual)."""
    before, after = _live_split(data)
    per_viewer = before[column].sum() / before["viewers"].sum()
    return float(after[column].sum() - per_viewer * after["viewers"].sum())


@question("q5_topup_gmv_per_coupon", "05_activity", tolerance=0.1,
          prompt=Text(zh="加券多花的每 1 元券成本，换回了多少元增量 GMV？增量 GMV 按本课的方法算"
                         "（加券前每位观众带来的 GMV × 加券后的观众数 = 不加券时的预期）；多花的券成本也用同样的"
                         "方法算：加券后实际的券成本减去按加券前“每位观众的券成本”推算的预期。时间段同上一题。",
                      en="For each extra CNY of coupon cost the top-up spent, how many CNY "
                         "of incremental GMV came back? Incremental GMV the lesson's way "
                         "(GMV per viewer before × viewers after = what to expect without "
                         "the top-up); the extra coupon cost the same way: the actual "
                         "coupon cost after, less what the coupon cost per viewer before "
                         "predicts. The same stretches as the question before."),
          hint=Text(zh="同一个“加券前的每位观众 × 加券后的观众数”的反事实，用两次：一次在 GMV 上，一次在"
                       "券成本上，然后相除。",
                    en="the same counterfactual (per viewer before × viewers after) twice: "
                       "once on GMV, once on the coupon cost; then divide."))
def topup_gmv_per_coupon(data) -> float:
    return _run_rate_effect(data, "gmv") / _run_rate_effect(data, "coupon_cost")


@topup_gmv_per_coupon.mistake(Text(zh="分母用了加券后的全部券成本：平时也会发的店铺券不是这次加券多花的钱。",
                                   en="the denominator is all coupon cost after the top-up: "
                                      "the store coupons it would have spent anyway are not "
                                      "the top-up's extra cost."))
def per_all_coupons_after(data) -> float:
    return _run_rate_effect(data, "gmv") / float(_live_split(data)[1]["coupon_cost"].sum())


@topup_gmv_per_coupon.mistake(Text(zh="分子用了加券后的全部 GMV：不加券也会卖出的那部分不是券换来的。",
                                   en="the numerator is all GMV after the top-up: what would "
                                      "have sold without it is not the coupon's doing."))
def all_gmv_per_extra_coupon(data) -> float:
    return float(_live_split(data)[1]["gmv"].sum()) / _run_rate_effect(data, "coupon_cost")


# ---------------------------------------------------------------- velocity rules


def _trailing_distinct(o: pd.DataFrame, key: str, window: pd.Timedelta,
                       distinct: str | None) -> pd.Series:
    """For each order, the orders (or distinct `distinct`) of its `key` in (t − window,
    t], this order included; the orders of a key are looped over in time order."""
    counts = pd.Series(0, index=o.index)
    keyed = o[o[key].notna()].sort_values([key, "order_time"], kind="stable")
    for _, g in keyed.groupby(key, sort=False):
        times, who = g["order_time"].tolist(), g[distinct].tolist() if distinct else None
        for i, ix in enumerate(g.index):
            j = i
            while j > 0 and times[j - 1] > times[i] - window:
                j -= 1
            counts[ix] = len(set(who[j:i + 1])) if distinct else i - j + 1
    return counts


@question("q6_ip_rule_blocks", "05_activity", tolerance=0,
          prompt=Text(zh="风控规则改成按 IP：同一个 IP 在过去 24 小时内（含这一单）已有 3 个或以上不同的账号下单，"
                         "这一单就被拦截。放在 2026 年上半年的全部订单上，会拦下多少单？",
                      en="The risk rule works on the IP instead: an order is blocked when its "
                         "IP has had 3 or more distinct accounts ordering in the past 24 "
                         "hours (this order included). Run over every order of the first half "
                         "of 2026, how many orders does it block?"),
          hint=Text(zh="每一单只往前看 24 小时，是滚动窗口，不是按自然日切；数的是不同账号，不是订单数。",
                    en="each order looks back 24 hours: a trailing window, not calendar "
                       "days; it counts distinct accounts, not orders."))
def ip_rule_blocks(data) -> int:
    o = data["orders"]
    return int((_trailing_distinct(o, "ip", pd.Timedelta("24h"), "user_id") >= 3).sum())


@ip_rule_blocks.mistake(Text(zh="这数的是订单数，不是不同账号数：一个人一天在家下几单也会被拦。",
                             en="this counts orders, not distinct accounts: one person "
                                "ordering a few times at home would be blocked."))
def ip_rule_counting_orders(data) -> int:
    o = data["orders"]
    return int((_trailing_distinct(o, "ip", pd.Timedelta("24h"), None) >= 3).sum())


@ip_rule_blocks.mistake(Text(zh="这是按自然日切的：一个 IP 当天有 3 个账号就把当天的单全拦了，"
                                "包括第 3 个账号出现之前的单。规则是每一单往前看 24 小时。",
                             en="this cuts by calendar day, blocking an IP's whole day once "
                                "it reaches 3 accounts, orders before the third account "
                                "included. The rule looks back 24 hours from each order."))
def ip_rule_calendar_day(data) -> int:
    o = data["orders"][lambda d: d["ip"].notna()]
    n = o.groupby(["ip", o["order_time"].dt.normalize()])["user_id"].transform("nunique")
    return int((n >= 3).sum())


@ip_rule_blocks.mistake(Text(zh="这是刷单团伙的账号数；规则拦的是订单，而且每一单只看它之前 24 小时，"
                                "团伙最先下的几单拦不住。",
                             en="this is the ring's number of accounts; the rule blocks "
                                "orders, and each looks back only 24 hours, so the ring's "
                                "first orders get through."))
def ring_size(data) -> int:
    return int(data.scenario.activity.fraud_accounts)


def _ring_devices(data) -> set:
    """The devices the ring's accounts ordered from: accounts linked by a shared device
    or IP (connected components), the group with the most accounts."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    o = data["orders"]
    users = pd.factorize(o["user_id"])[0]
    rows, cols = [], []
    for key in ("device_id", "ip"):
        k = pd.factorize(o[key])[0]
        ok = k >= 0
        rows.append(users[ok])
        cols.append(users.max() + 1 + k[ok] + (0 if key == "device_id" else 10**7))
    r, c = np.concatenate(rows), np.concatenate(cols)
    nodes, codes = np.unique(np.r_[r, c], return_inverse=True)
    m = len(nodes)
    g = coo_matrix((np.ones(len(r)), (codes[:len(r)], codes[len(r):])), shape=(m, m))
    _, label = connected_components(g, directed=False)
    user_label = pd.Series(label[np.searchsorted(nodes, users)], index=o.index)
    accounts = o.groupby(user_label)["user_id"].nunique()
    biggest = accounts.idxmax()
    return set(o.loc[user_label == biggest, "device_id"].dropna())


def _order_rule_devices(data) -> pd.Series:
    o = data["orders"]
    flagged = _trailing_distinct(o, "device_id", ORDER_RULE_WINDOW, None) >= 3
    return o.loc[flagged, "device_id"]


@question("q7_device_rule_false_alarms", "05_activity", tolerance=0,
          prompt=Text(zh="再试一条按单数的规则：同一台设备在过去 12 小时内（含这一单）已有 3 单或以上就拦截，"
                         "不管是不是同一个账号。被它拦过单的设备里，有几台不属于那个刷单团伙（团伙账号从没用过）？",
                      en="Try a rule on orders instead: block an order when its device has "
                         "had 3 or more orders in the past 12 hours (this one included), "
                         "whatever the account. Of the devices it blocks, how many are not "
                         "the ring's (no ring account ever used them)?"),
          hint=Text(zh="先找出被拦的设备，再去掉团伙用过的设备。团伙是通过共用设备或 IP 连起来的那一大群账号。",
                    en="find the devices blocked, then take away the devices the ring used; "
                       "the ring is the big group of accounts linked by shared devices or "
                       "IPs."))
def device_rule_false_alarms(data) -> int:
    return len(set(_order_rule_devices(data)) - _ring_devices(data))


@device_rule_false_alarms.mistake(Text(zh="这是被拦的设备总数，团伙的设备也算进去了；题目只问误伤的。",
                                       en="this is every device blocked, the ring's "
                                          "included; the question asks for the false "
                                          "alarms only."))
def devices_blocked(data) -> int:
    return int(_order_rule_devices(data).nunique())


@device_rule_false_alarms.mistake(Text(zh="这里数的是 12 小时内不同的账号数；题目的规则数的是订单数，"
                                          "不管是不是同一个账号。",
                                       en="this counts distinct accounts in the window; the "
                                          "rule counts orders, whatever the account."))
def device_rule_by_accounts(data) -> int:
    o = data["orders"]
    flagged = _trailing_distinct(o, "device_id", ORDER_RULE_WINDOW, "user_id") >= 3
    return len(set(o.loc[flagged, "device_id"]) - _ring_devices(data))


@device_rule_false_alarms.mistake(Text(zh="这数的是误伤的订单数；题目问的是几台设备。",
                                       en="this counts the orders blocked by mistake; the "
                                          "question asks how many devices."))
def false_alarm_orders(data) -> int:
    return int((~_order_rule_devices(data).isin(_ring_devices(data))).sum())


# ---------------------------------------------------------------- the checkout test


def _checkout_outcomes(data) -> pd.DataFrame:
    """Per user of the checkout test: converted (an order after assignment, by the end of
    the test's last day), orders, revenue paid in the test, and revenue before it."""
    ab = data["ab_assignments"]
    ab = ab[ab["experiment"] == CHECKOUT]
    o = data["orders"]
    start, end = data.scenario.activity.ab_window
    m = ab.merge(o[["user_id", "order_time", "paid"]], on="user_id")
    m = m[(m["order_time"] >= m["assigned_time"]) & (m["order_time"] < pd.Timestamp(end) + DAY)]
    pre = o[(o["order_time"] >= "2026-01-01") & (o["order_time"] < start)]
    return ab.assign(converted=ab["user_id"].isin(m["user_id"]).astype(float),
                     orders=ab["user_id"].map(m.groupby("user_id").size()).fillna(0.0),
                     revenue=ab["user_id"].map(m.groupby("user_id")["paid"].sum()).fillna(0.0),
                     pre=ab["user_id"].map(pre.groupby("user_id")["paid"].sum()).fillna(0.0))


def _checkout_se(data) -> tuple[float, float]:
    d = _checkout_outcomes(data)
    g = d.groupby("variant")["converted"]
    p, n = g.mean(), g.size()
    se = np.sqrt((p * (1 - p) / n).sum())
    return float(p["B"] - p["A"]), float(se)


def _curse(true_lift: float, se: float):
    """(power, E|observed| among significant results) by numerical integration."""
    z = stats.norm.ppf(0.975)
    dens = stats.norm(true_lift, se).pdf
    lo, hi = true_lift - 12 * se, true_lift + 12 * se
    power = (integrate.quad(dens, z * se, hi)[0] + integrate.quad(dens, lo, -z * se)[0])
    mean_abs = (integrate.quad(lambda x: x * dens(x), z * se, hi)[0]
                - integrate.quad(lambda x: x * dens(x), lo, -z * se)[0])
    return power, mean_abs / power


@question("q8_exaggeration", "05_activity", tolerance=0.005,
          prompt=Text(zh="假设结算按钮 B 的真实提升只有 2.5 个百分点，用这次实验的标准误"
                         "（√(pA(1−pA)/nA + pB(1−pB)/nB)），双侧 α = 0.05：在所有“显著”的实验结果里，"
                         "观测到的提升平均是真实提升的几倍（夸大倍数）？",
                      en="Suppose checkout B really lifts conversion by only 2.5 points. "
                         "With this test's standard error (√(pA(1−pA)/nA + pB(1−pB)/nB)) "
                         "and a two-sided α = 0.05: among all the results that come out "
                         "significant, how many times the real lift is the observed lift on "
                         "average (the exaggeration ratio)?"),
          hint=Text(zh="观测到的提升围绕真实提升呈正态分布，宽度是标准误；只留超过显著线的那部分（两侧），"
                       "求它们绝对值的平均，再除以真实提升。",
                    en="the observed lift is normal around the real lift, with the standard "
                       "error as its width; keep the part beyond the significance line (both "
                       "sides), average its absolute value, divide by the real lift."))
def exaggeration(data) -> float:
    _, se = _checkout_se(data)
    return float(_curse(TRUE_LIFT, se)[1] / TRUE_LIFT)


@exaggeration.mistake(Text(zh="这是本次观测到的提升 ÷ 2.5 个百分点：只是这一次的结果，不是“显著结果平均会夸大多少”。",
                           en="this is this test's observed lift over 2.5 points: one "
                              "result, not how much significant results overstate on "
                              "average."))
def observed_over_true(data) -> float:
    return _checkout_se(data)[0] / TRUE_LIFT


@exaggeration.mistake(Text(zh="这是检验功效（结果显著的概率）；题目问的是显著结果的平均夸大倍数。",
                           en="this is the power (the chance of a significant result); the "
                              "question asks for the exaggeration of the significant ones."))
def power_not_exaggeration(data) -> float:
    return float(_curse(TRUE_LIFT, _checkout_se(data)[1])[0])


def _checkout_pvalues(data) -> pd.Series:
    d = _checkout_outcomes(data)
    a, b = (d[d["variant"] == v] for v in ("A", "B"))
    pooled = d["converted"].mean()
    z = (b["converted"].mean() - a["converted"].mean()) / np.sqrt(
        pooled * (1 - pooled) * (1 / len(a) + 1 / len(b)))
    theta = np.cov(d["pre"], d["revenue"])[0, 1] / d["pre"].var()
    adjusted = d["revenue"] - theta * (d["pre"] - d["pre"].mean())

    def welch(col: pd.Series) -> float:
        return float(stats.ttest_ind(col[d["variant"] == "B"], col[d["variant"] == "A"],
                                     equal_var=False).pvalue)

    return pd.Series({"conversion": 2 * stats.norm.sf(abs(z)),
                      "revenue": welch(d["revenue"]), "cuped": welch(adjusted),
                      "orders": welch(d["orders"])})


def _holm(p: pd.Series) -> pd.Series:
    order = p.sort_values()
    m = len(order)
    steps = np.maximum.accumulate((m - np.arange(m)) * order.to_numpy())
    return pd.Series(np.minimum(steps, 1.0), index=order.index)[p.index]


@question("q9_holm_four_metrics", "05_activity", tolerance=0.00002,
          prompt=Text(zh="复盘会上又加了第四个指标：实验期内人均下单数（每个分到组的用户在分组之后、实验结束之前下了几单，"
                         "Welch t 检验）。四个指标（转化率、人均收入、CUPED 调整后的人均收入、人均下单数）一起做 Holm "
                         "校正后，人均下单数的 p 值是多少？",
                      en="At the review a fourth metric is added: orders per user in the "
                         "test (how many orders each assigned user placed after assignment "
                         "and by the test's end, Welch t-test). With the four metrics "
                         "(conversion, revenue per user, CUPED revenue per user, orders per "
                         "user) Holm-adjusted together, what is the p-value of orders per "
                         "user?"),
          hint=Text(zh="先按用户数出实验期的下单数（没下单的是 0），做两组的 Welch 检验，拿到第四个 p 值；再把四个"
                       " p 值从小到大排好，按 Holm 的规则逐个放大：最小的乘 4，第二小的乘 3……",
                    en="count each user's orders in the test first (0 for those who did not "
                       "order) and test the two arms (Welch) for the fourth p-value; then "
                       "sort the four and scale them by Holm's rule: the smallest × 4, the "
                       "second × 3, …"))
def holm_four_metrics(data) -> float:
    return float(_holm(_checkout_pvalues(data))["orders"])


@holm_four_metrics.mistake(Text(zh="这是 Bonferroni（每个 p 都乘 4）：它比 Holm 更保守；题目要 Holm。",
                                en="this is Bonferroni (every p × 4), stricter than Holm; "
                                   "the question asks for Holm."))
def bonferroni_four(data) -> float:
    return float(min(1.0, 4 * _checkout_pvalues(data)["orders"]))


@holm_four_metrics.mistake(Text(zh="这是没校正的 p 值；同时看四个指标，要校正。",
                                en="this is the unadjusted p-value; with four metrics at "
                                   "once it needs adjusting."))
def unadjusted(data) -> float:
    return float(_checkout_pvalues(data)["orders"])


@holm_four_metrics.mistake(Text(zh="这里只统计了下过单的用户；没下单的用户是 0 单，也要算进两组的平均里。",
                                en="this keeps only the users who ordered; a user who did not "
                                   "order placed 0 orders and belongs in the arm's mean too."))
def orders_among_buyers(data) -> float:
    d = _checkout_outcomes(data)
    buyers = d[d["orders"] > 0]
    p = _checkout_pvalues(data)
    p["orders"] = stats.ttest_ind(buyers.loc[buyers["variant"] == "B", "orders"],
                                  buyers.loc[buyers["variant"] == "A", "orders"],
                                  equal_var=False).pvalue
    return float(_holm(p)["orders"])


# ---------------------------------------------------------------- decisions


@question("q10_midautumn_plan", "05_activity", kind="open",
          prompt=Text(zh="老板让你做 2026 年中秋礼盒活动的策划，投入 80,000 元（投放加优惠券）。你会定什么目标"
                         "（给出数字和区间）、怎么向老板说这笔钱值不值，事前验尸里排在最前面的三条风险是什么？"
                         "写五到六句话。",
                      en="You are asked to plan the 2026 mid-autumn gift-box campaign at "
                         "80,000 CNY (media plus coupons). What target do you set (numbers "
                         "and a range), how do you tell the boss whether the money is worth "
                         "it, and which three risks top your pre-mortem? Five or six "
                         "sentences."),
          hint=Text(zh="从往届同类活动的回报出发，先给增量的中位数和区间，再加上基线变成目标；按毛利算一遍这笔钱"
                       "能不能赚回来，赚不回来就写清楚还图什么。风险要贴着这场活动想：礼盒是节日商品，"
                       "过了节就不值钱。",
                    en="start from past campaigns of the same kind: the increment's median "
                       "and range first, then add the baseline for a target; work out with "
                       "the margin whether the money comes back, and if not, say what else "
                       "it buys. Think of risks this campaign has: a gift box is worth "
                       "little after the festival."),
          selfcheck=(Text(zh="我给了增量的中位预测和 80% 区间，并说明只用了节日营销、在对数上平均。",
                          en="I gave the increment's median forecast and 80 % range, from the "
                             "festivals only, averaged on the log scale."),
                     Text(zh="我把预测加上基线变成了目标，分了保底和冲刺，说了对外承诺哪一档。",
                          en="I turned the forecast plus the baseline into targets, a floor "
                             "and a stretch, and said which one we promise."),
                     Text(zh="我按毛利率算了活动 ROI，并写出了亏钱也要做的理由和复盘时要查的数字。",
                          en="I worked out the campaign ROI at the margin, and wrote why it is "
                             "worth running at a loss, with a number to check afterwards."),
                     Text(zh="我的三条风险贴着中秋礼盒：节前送达、节后库存、券被薅，每条有信号和预案。",
                          en="My three risks belong to mid-autumn gift boxes: delivery before "
                             "the day, stock left after it, coupon fraud — each with a signal "
                             "and a fallback.")),
          rubric=(Text(zh="预测：往届 6 场节日营销的几何平均回报约每元 1.16 元，8 万成本的中位预测增量约 9.2 万元，"
                          "80% 区间约 6.7 万到 12.7 万（1 分）",
                       en="forecast: the six past festivals' geometric-mean return is about 1.16 "
                          "CNY per CNY; at 80,000 the median increment is about 92,000 CNY, 80 % "
                          "range about 67,000–127,000 (1 point)"),
                  Text(zh="目标 = 活动天数 × 活动前日均基线 + 增量；保底用区间下限，对外只承诺保底（1 分）",
                       en="target = campaign days × the pre-campaign daily baseline + the "
                          "increment; the floor from the range's bottom, and only the floor "
                          "promised (1 point)"),
                  Text(zh="值不值：毛利率 50% 时中位 ROI 约（9.2 × 0.5 − 8）/ 8 ≈ −42%；要写明图的是新客和团购客户"
                          "以后的复购，并定一个复盘时查的数（如 90 天复购率）（1 分）",
                       en="worth it: at a 50 % margin the median ROI is about (92 × 0.5 − 80) / "
                          "80 ≈ −42 %; say it buys new and corporate customers' later orders, "
                          "with a number to review (e.g. 90-day repeat rate) (1 point)"),
                  Text(zh="风险：中秋是 2026-09-25，发货截止和物流爆仓排第一；节后卖不掉的礼盒是库存损失（预售、"
                          "分批备货）；券被刷单（先开频控规则）；活动中按小时盯进度、预留加券预算并只在部分"
                          "时段用（1 分）",
                       en="risks: the festival is 2026-09-25, so shipping cut-offs and courier "
                          "overload first; boxes unsold after it are a stock loss (pre-sale, "
                          "stock in batches); coupon fraud (the velocity rule live first); "
                          "watch the pace hourly, keep a top-up reserve and use it in some "
                          "hours only (1 point)")))
def midautumn_plan(data):
    return None


@question("q11_ship_checkout_b", "05_activity", kind="open",
          prompt=Text(zh="产品经理要把结算页 B 全量上线，并在下季度的收入预测里按“转化率 +3.7 个百分点”来算。"
                         "你同意哪一半、不同意哪一半？哪些数字支持你？写四到五句话。",
                      en="The product manager wants to launch checkout B to everyone and to "
                         "forecast next quarter's revenue with '+3.7 points of conversion'. "
                         "Which half do you agree with, which not, and which numbers back "
                         "you? Four or five sentences."),
          hint=Text(zh="分开回答两件事：B 该不该上线（看检验、校正和分流是否正常），3.7 能不能直接拿来做预测"
                       "（看这个样本量能可靠测出多大的提升，以及功效不足时显著的结果会怎样）。最后想想上线后"
                       "怎么量出真实的提升。",
                    en="answer two things apart: should B launch (the tests, the adjustment, "
                       "whether the split is sound), and can 3.7 go into a forecast as it is "
                       "(what lift this sample reliably detects, and what happens to "
                       "significant results when power is low). Last, how to measure the "
                       "real lift after launch."),
          selfcheck=(Text(zh="我同意上线，并给了转化率差、区间和 p 值，以及校正后的结果和 SRM 检查。",
                          en="I agreed to launch, with the conversion difference, its interval "
                             "and p-value, the adjusted results and the SRM check."),
                     Text(zh="我说明了最小可检测效应约 3.8 个百分点，观测值就在线附近。",
                          en="I said the minimum detectable effect is about 3.8 points and the "
                             "observed lift sits right at it."),
                     Text(zh="我用赢家诅咒解释了为什么预测要打折，并给了打折后的数。",
                          en="I used the winner's curse to explain why the forecast needs a "
                             "discount, and gave the discounted number."),
                     Text(zh="我提出上线后留一部分用户继续用 A，量出真实提升。",
                          en="I proposed keeping some users on A after launch to measure the "
                             "real lift.")),
          rubric=(Text(zh="上线：转化率高约 3.7 个百分点（区间约 1.1–6.3），p ≈ 0.006；三个指标 Holm 校正后都 < "
                          "0.05；没有 SRM（1 分）",
                       en="launch: conversion about 3.7 points higher (interval about 1.1–6.3), "
                          "p ≈ 0.006; all three metrics < 0.05 after Holm; no SRM (1 point)"),
                  Text(zh="每组约 1,700 人，MDE 约 3.8 个百分点：实验功效不足，观测值刚过线（1 分）",
                       en="about 1,700 per arm, MDE about 3.8 points: the test is "
                          "under-powered and the result barely passed (1 point)"),
                  Text(zh="赢家诅咒：真实提升若是 1.5 个百分点，功效约 20%，显著结果平均夸大约 2.2 倍；"
                          "预测按约 1.5–2 个百分点做，不按 3.7（1 分）",
                       en="winner's curse: at a real 1.5 points, power is about 20 % and "
                          "significant results overstate about 2.2-fold on average; forecast "
                          "with about 1.5–2 points, not 3.7 (1 point)"),
                  Text(zh="上线后留 5–10% 的用户继续用 A 一个月（留出组），量出真实提升再更新预测（1 分）",
                       en="keep 5–10 % of users on A for a month after launch (a holdout), "
                          "measure the real lift, then update the forecast (1 point)")))
def ship_checkout_b(data):
    return None
