"""Questions of 03b_members_voice: how fast points are burnt and who holds them, whether
reaching a tier makes buyers come back, what new tier thresholds would move and cost,
satisfaction by where the feedback comes from, what the feedback talks about, and two
decisions (whether to lower the silver threshold, the top lines of the 用户需求分析报告).

The solvers are plain pandas (the packaged `themes.json` read as data): an independent
computation that `opshelpers.community` is checked against, never a call to it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import Text
from . import question

THEMES_FILE = Path(__file__).resolve().parent.parent / "themes.json"
CNY_PER_POINT = 0.01
THRESHOLDS = {"silver": 300, "gold": 1000}          # the tiers as they are (CNY paid)
PROPOSED = {"silver": 250, "gold": 900}             # q4, q5: the proposal
MULTIPLIER = {"bronze": 1.0, "silver": 1.2, "gold": 1.5}   # points per CNY, by tier
DAY = pd.Timedelta(days=1)

# ---------------------------------------------------------------- shared pieces


def _month(df: pd.DataFrame, column: str, year: int, month: int) -> pd.Series:
    return (df[column].dt.year == year) & (df[column].dt.month == month)


def _last_order_day(data) -> pd.Timestamp:
    return data["orders"]["order_time"].max().normalize()


def _mentions(data, theme: str) -> pd.Series:
    """True where the feedback's text contains a keyword of `theme` (case-insensitive)."""
    words = [w.lower() for w in json.loads(THEMES_FILE.read_text(encoding="utf-8"))
             ["themes"][theme]]
    text = data["feedback"]["text"].fillna("").astype(str).str.lower()
    return text.apply(lambda s: any(w in s for w in words))


def _surge(data) -> pd.Timestamp:
    return pd.Timestamp(data.scenario.voice.shipping_surge_date)


# ---------------------------------------------------------------- points


def _june_points(data) -> tuple[float, float]:
    """(issued, redeemed) points in June 2026, both positive."""
    p = data["points_ledger"]
    p = p.loc[_month(p, "event_time", 2026, 6), "points"]
    return float(p[p > 0].sum()), float(-p[p < 0].sum())


@question("q1_june_burn_rate", "03b_members_voice", rate=True, tolerance=0.001,
          prompt=Text(zh="积分消耗率：2026 年 6 月兑换掉的积分，占 6 月发放积分的多大比例？"
                         "用 0–1 之间的小数作答。",
                      en="The points burn rate: the points redeemed in June 2026 as a share "
                         "of the points issued in June 2026. Give a fraction between 0 and "
                         "1."),
          hint=Text(zh="`points_ledger` 里发放是正数、兑换是负数。只留 6 月的流水，分别加总发放和兑换"
                       "（兑换取绝对值），再相除；分子分母都只算这一个月。",
                    en="in `points_ledger` points issued are positive and redeemed "
                       "negative. Keep June's entries, add up the issued and the redeemed "
                       "(as a positive number) separately, then divide; both sides cover "
                       "that month only."))
def june_burn_rate(data) -> float:
    issued, redeemed = _june_points(data)
    return redeemed / issued


@june_burn_rate.mistake(Text(zh="这是截至 6 月底的累计消耗率（开业以来兑换 ÷ 开业以来发放）；题目只看 6 月"
                                "当月的兑换和发放。",
                             en="this is the cumulative share up to the end of June (all "
                                "redeemed ÷ all issued so far); the question takes June's "
                                "redemptions and issues only."))
def cumulative_burn_rate(data) -> float:
    p = data["points_ledger"]
    p = p.loc[p["event_time"] < pd.Timestamp("2026-07-01"), "points"]
    return float(-p[p < 0].sum() / p[p > 0].sum())


@june_burn_rate.mistake(Text(zh="分母用了 6 月底还没兑换的积分余额；消耗率的分母是当月发放的积分。",
                             en="the denominator is the balance still unredeemed at the end "
                                "of June; the burn rate divides by the points issued in the "
                                "month."))
def redeemed_over_outstanding(data) -> float:
    p = data["points_ledger"]
    outstanding = p.loc[p["event_time"] < pd.Timestamp("2026-07-01"), "points"].sum()
    return _june_points(data)[1] / float(outstanding)


def _balances(data) -> pd.DataFrame:
    """Per user: the points balance over every entry and the tier at the last entry."""
    p = data["points_ledger"].sort_values(["user_id", "event_time"], kind="stable")
    g = p.groupby("user_id")
    return pd.DataFrame({"balance": g["points"].sum(), "tier": g["tier"].last()})


@question("q2_gold_share_of_outstanding", "03b_members_voice", rate=True, tolerance=0.002,
          prompt=Text(zh="数据截止时还没兑换的积分（每个用户全部流水的积分加总），有多大比例在金卡用户"
                         "手里？金卡按用户最后一条积分流水上的等级（tier 为 gold）算。用 0–1 之间的小数"
                         "作答。",
                      en="Of the points still outstanding when the data ends (each user's "
                         "points summed over all their entries), what share is held by gold "
                         "users — users whose tier at their last ledger entry is gold? Give "
                         "a fraction between 0 and 1."),
          hint=Text(zh="分两步：先按用户把积分加总得到余额，并按时间排好取每人最后一条流水的等级；"
                       "再用金卡用户的余额之和除以全部余额之和。比的是积分，不是人数；等级会升，"
                       "要看最新的那条。",
                    en="two steps: sum each user's points to a balance, and take the tier "
                       "of each user's last entry in time order; then divide the gold "
                       "users' balances by all balances. It is a share of points, not of "
                       "users; tiers go up over time, so take the latest."))
def gold_share_of_outstanding(data) -> float:
    b = _balances(data)
    return float(b.loc[b["tier"] == "gold", "balance"].sum() / b["balance"].sum())


@gold_share_of_outstanding.mistake(Text(zh="这是金卡用户占用户数的比例；题目问的是他们手里的积分占全部未兑换积分的比例。",
                                        en="this is gold users' share of the users; the "
                                           "question asks for their share of the "
                                           "outstanding points."))
def gold_share_of_users(data) -> float:
    return float((_balances(data)["tier"] == "gold").mean())


@gold_share_of_outstanding.mistake(Text(zh="这里只加了等级栏写着 gold 的那些流水：那是记账当时的等级，用户升金卡以前攒的积分"
                                           "就漏掉了。要按用户最后一条流水上的等级，把他的全部积分都算进去。",
                                        en="this adds up the entries whose own tier column "
                                           "says gold: that is the tier when the entry was "
                                           "made, so points earned before a user reached "
                                           "gold are missed. Take each user's tier at their "
                                           "last entry and count all their points."))
def gold_entries_share(data) -> float:
    p = data["points_ledger"]
    return float(p.loc[p["tier"] == "gold", "points"].sum() / p["points"].sum())


# ---------------------------------------------------------------- tiers


def _jump(data, days: int = 30, threshold: float = 300.0, width: float = 100.0,
          complete: bool = True) -> float:
    """Above − below share of buyers ordering again within `days` of the first order's
    day, first order paid in [threshold − width, threshold + width); buyers whose window
    ends after the last order's day are left out if `complete`."""
    o = data["orders"].sort_values(["user_id", "order_time"], kind="stable")
    first = o.groupby("user_id").agg(time=("order_time", "first"), paid=("paid", "first"))
    start = first["time"].dt.normalize()
    span = pd.Timedelta(days=days)
    seen = (start + span <= _last_order_day(data) + DAY) | (not complete)
    near = (first["paid"] >= threshold - width) & (first["paid"] < threshold + width)
    later = o.join(first["time"].rename("first_time"), on="user_id")
    later = later.join(start.rename("start"), on="user_id")
    later = later[(later["order_time"] > later["first_time"])
                  & (later["order_time"] < later["start"] + span)]
    b = first[near & seen]
    again = b.index.isin(later["user_id"])
    above = (b["paid"] >= threshold).to_numpy()
    return float(again[above].mean() - again[~above].mean())


@question("q3_silver_jump_30d", "03b_members_voice", rate=True, signed=True, tolerance=0.003,
          prompt=Text(zh="用正文的断点检验看银卡门槛（300 元），但复购窗口改成 30 天：首单实付在 "
                         "[200, 300) 元的买家（首单后还是铜卡）和 [300, 400) 元的买家（首单直接到银卡）"
                         "各有多大比例在首单那天起 30 天内（首单日 + 30 天之前）又下了一单？和首单同一"
                         "时间的订单不算复购；30 天窗口结束在最后一笔订单那天之后的买家不算。"
                         "门槛上方的比例减去下方的比例是多少？写成小数（可以是负数）。",
                      en="Run the lesson's threshold check at the silver threshold (300 "
                         "CNY) with a 30-day window: of the buyers whose first order paid "
                         "in [200, 300) (still bronze after it) and in [300, 400) (silver "
                         "at once), what share ordered again within 30 days of the first "
                         "order's day (before that day + 30 days)? An order at the very "
                         "time of the first is not a return; buyers whose window ends after "
                         "the day of the last order are left out. What is the share above "
                         "minus the share below? Answer as a fraction (it may be "
                         "negative)."),
          hint=Text(zh="先给每个买家找出首单（按下单时间排第一的那笔）的时间和实付，只留首单在门槛"
                       "上下各 100 元以内的人；窗口从首单那天的 0 点起算，整天数；再看首单之后、"
                       "窗口结束之前有没有订单。减的顺序是上方减下方。",
                    en="find each buyer's first order (the earliest by order time), its "
                       "time and paid, and keep those within 100 CNY either side of the "
                       "threshold; the window counts whole days from the start of the first "
                       "order's day; then look for an order after the first and before the "
                       "window ends. Subtract below from above."))
def silver_jump_30d(data) -> float:
    return _jump(data)


@silver_jump_30d.mistake(Text(zh="这是正文的 60 天窗口；题目把复购窗口改成了 30 天（能看满 30 天的买家也"
                                 "更多）。",
                              en="this is the lesson's 60-day window; the question uses 30 "
                                 "days (which also keeps more buyers whose window is "
                                 "complete)."))
def silver_jump_60d(data) -> float:
    return _jump(data, days=60)


@silver_jump_30d.mistake(Text(zh="这里把 30 天窗口还没走完的买家也算进来了：最后一笔订单那天离他们的首单不到 30 天，"
                                 "没复购不等于不会复购。这些人要剔除。",
                              en="this keeps the buyers whose 30 days are not over when "
                                 "the data ends: no return yet is not no return. Leave them "
                                 "out."))
def silver_jump_incomplete_windows(data) -> float:
    return _jump(data, complete=False)


def _tier(cumulative: pd.Series, thresholds: dict) -> pd.Series:
    """gold / silver / bronze: the highest threshold the cumulative paid reaches."""
    return pd.Series(np.where(cumulative >= thresholds["gold"], "gold",
                              np.where(cumulative >= thresholds["silver"], "silver",
                                       "bronze")), index=cumulative.index)


def _moves(data, recent_days: int = 90) -> pd.DataFrame:
    """Per buyer: tier now and under the proposal (cumulative paid up to the last order's
    day) and paid per 30 days, from the `recent_days` up to and including that day."""
    last = _last_order_day(data)
    o = data["orders"]
    o = o[o["order_time"] < last + DAY]
    cum = o.groupby("user_id")["paid"].sum()
    lately = o[o["order_time"] >= last + DAY - pd.Timedelta(days=recent_days)]
    per_30d = lately.groupby("user_id")["paid"].sum().reindex(cum.index, fill_value=0.0)
    return pd.DataFrame({"before": _tier(cum, THRESHOLDS), "after": _tier(cum, PROPOSED),
                         "per_30d": per_30d * 30 / recent_days})


@question("q4_movers_250_900", "03b_members_voice", tolerance=0,
          prompt=Text(zh="会员等级按累计实付（到最后一笔订单那天为止的全部订单）来定，达到门槛（≥）就升级。"
                         "现在的门槛是银卡 300 元、金卡 1000 元；有人提议改成银卡 250 元、金卡 900 元。"
                         "改了以后，有多少个买家会升一级或更多？答人数。",
                      en="Tiers go by cumulative paid (every order up to the day of the last "
                         "order); reaching a threshold (≥) reaches the tier. The thresholds "
                         "are silver 300 and gold 1,000 CNY; the proposal is silver 250 and "
                         "gold 900. How many buyers would move up a tier (or more) under it? "
                         "Answer a number of buyers."),
          hint=Text(zh="每个买家的累计实付只算一次，分别按现在和提议的门槛各定一个等级，再数两个等级"
                       "不一样的人。两道门槛都动了，铜卡升银卡、银卡升金卡都要算上。",
                    en="sum each buyer's paid once, give them a tier under the current and "
                       "under the proposed thresholds, and count the buyers whose two tiers "
                       "differ. Both thresholds move, so count bronze to silver and silver "
                       "to gold alike."))
def movers_250_900(data) -> int:
    m = _moves(data)
    return int((m["before"] != m["after"]).sum())


@movers_250_900.mistake(Text(zh="这只数了铜卡升银卡的人；金卡门槛也降了，银卡升金卡的人也要算上。",
                             en="this counts bronze to silver only; the gold threshold moves "
                                "too, so count silver to gold as well."))
def movers_bronze_to_silver(data) -> int:
    m = _moves(data)
    return int(((m["before"] == "bronze") & (m["after"] == "silver")).sum())


@movers_250_900.mistake(Text(zh="这只数了银卡升金卡的人；银卡门槛也降了，铜卡升银卡的人也要算上。",
                             en="this counts silver to gold only; the silver threshold moves "
                                "too, so count bronze to silver as well."))
def movers_silver_to_gold(data) -> int:
    m = _moves(data)
    return int(((m["before"] == "silver") & (m["after"] == "gold")).sum())


def _extra_points(data, recent_days: int = 90) -> float:
    m = _moves(data, recent_days)
    gain = m["after"].map(MULTIPLIER) - m["before"].map(MULTIPLIER)
    return float((m["per_30d"] * gain).sum())


@question("q5_extra_liability_250_900", "03b_members_voice", tolerance=0.1,
          prompt=Text(zh="还是 Q4 的门槛调整。各等级每消费 1 元得的积分 = 倍率 × 1，倍率铜卡 1、银卡 1.2、"
                         "金卡 1.5；每人每 30 天的消费按最后一笔订单那天及之前 90 天的实付 × 30 ÷ 90 "
                         "估算。调整后每 30 天会多出多少积分负债？按 1 积分 = 0.01 元，答元。",
                      en="The change of Q4 again. Each tier earns multiplier × 1 point per "
                         "CNY, the multipliers bronze 1, silver 1.2, gold 1.5; a buyer's "
                         "spending per 30 days is their paid in the 90 days up to and "
                         "including the day of the last order × 30 / 90. How much extra "
                         "points liability would the change add per 30 days, in CNY at "
                         "0.01 CNY a point?"),
          hint=Text(zh="只有升了级的人会多拿积分：每人多出的积分 = 每 30 天消费 × (新倍率 − 旧倍率)。"
                       "90 天从最后一笔订单那天往前数，含那一天；全部加总后再换算成元。",
                    en="only buyers who move up earn more: each earns spending per 30 days "
                       "× (new multiplier − old multiplier) extra points. The 90 days count "
                       "back from the day of the last order, that day included; add them "
                       "all up, then convert to CNY."))
def extra_liability_250_900(data) -> float:
    return _extra_points(data) * CNY_PER_POINT


@extra_liability_250_900.mistake(Text(zh="这是积分数，还没有换算成元（1 积分 = 0.01 元）。",
                                      en="this is in points, not yet in CNY (1 point = 0.01 "
                                         "CNY)."))
def extra_points_250_900(data) -> float:
    return _extra_points(data)


@extra_liability_250_900.mistake(Text(zh="这里每 30 天的消费只用了最近 30 天的实付；题目按最近 90 天的实付 × 30 ÷ 90 "
                                         "估算，一个月的数波动太大。",
                                      en="this takes spending per 30 days from the last 30 "
                                         "days only; the question uses the last 90 days × "
                                         "30 / 90, since one month is too noisy."))
def extra_liability_30d_window(data) -> float:
    return _extra_points(data, recent_days=30) * CNY_PER_POINT


# ---------------------------------------------------------------- voice of the user


def _csat(scores: pd.Series) -> float:
    return float((scores >= 4).mean())


def _scores(data, source: str | None = None) -> pd.Series:
    f = data["feedback"]
    return f["score"] if source is None else f.loc[f["source"] == source, "score"]


@question("q6_survey_csat_gap", "03b_members_voice", rate=True, signed=True, tolerance=0.003,
          prompt=Text(zh="满意度（CSAT）= 打 4 分或 5 分的反馈占比。问卷（source 为 survey）的 CSAT 比全部"
                         "反馈合在一起的 CSAT 高多少？写成小数（问卷减全部，可以是负数）。",
                      en="CSAT = the share of feedback scoring 4 or 5. What is the CSAT of "
                         "the survey feedback (source survey) minus the CSAT of all feedback "
                         "pooled? Answer as a fraction (it may be negative)."),
          hint=Text(zh="两个 CSAT 都是占比：打 4–5 分的条数除以条数，一个只算问卷，一个算全部来源；"
                       "比的是占比，不是平均分。",
                    en="both CSATs are shares — the feedback scoring 4–5 over the "
                       "feedback — one of the surveys only, one of every source; compare "
                       "shares, not mean scores."))
def survey_csat_gap(data) -> float:
    return _csat(_scores(data, "survey")) - _csat(_scores(data))


@survey_csat_gap.mistake(Text(zh="这是问卷自己的 CSAT；题目问它比全部反馈的 CSAT 高多少。",
                              en="this is the surveys' CSAT itself; the question asks how "
                                 "far it is above the CSAT of all feedback."))
def survey_csat(data) -> float:
    return _csat(_scores(data, "survey"))


@survey_csat_gap.mistake(Text(zh="这是平均分之差再除以 5；CSAT 是打 4–5 分的占比，不是平均分。",
                              en="this is the difference of the mean scores divided by 5; "
                                 "CSAT is the share scoring 4–5, not a mean score."))
def survey_mean_gap_over_5(data) -> float:
    return float((_scores(data, "survey").mean() - _scores(data).mean()) / 5)


def _shipping_share(data, source: str | None = "service_chat", after: bool = True) -> float:
    f = data["feedback"]
    keep = (f["created_time"] >= _surge(data)) == after
    if source is not None:
        keep &= f["source"] == source
    return float(_mentions(data, "shipping")[keep].mean())


@question("q7_chat_shipping_share_after", "03b_members_voice", rate=True, tolerance=0.003,
          prompt=Text(zh="{s.voice.shipping_surge_date} 及以后创建的客服对话（source 为 service_chat）"
                         "反馈里，有多大比例提到了物流？提到物流 = 正文含有 `themes.json` 里 shipping "
                         "主题的任意一个关键词（不区分大小写，子串匹配即可）。用 0–1 之间的小数作答。",
                      en="Of the service-chat feedback (source service_chat) created on or "
                         "after {s.voice.shipping_surge_date}, what share mentions shipping — "
                         "its text contains any keyword of theme shipping in `themes.json` "
                         "(case-insensitive substring match)? Give a fraction between 0 and "
                         "1."),
          hint=Text(zh="把 shipping 的关键词表读出来，正文统一转小写再逐个查有没有；先按来源和创建时间"
                       "筛好，再算提到物流的占比。没有正文的反馈算没提到。",
                    en="read the shipping keyword list, lower-case the texts and look for "
                       "each keyword; filter by source and creation time first, then take "
                       "the share that mentions shipping. Feedback without text mentions "
                       "nothing."))
def chat_shipping_share_after(data) -> float:
    return _shipping_share(data)


@chat_shipping_share_after.mistake(Text(zh="这里算了全部来源的反馈；题目只看客服对话（service_chat）。",
                                        en="this takes feedback of every source; the "
                                           "question keeps the service chats."))
def all_sources_shipping_share_after(data) -> float:
    return _shipping_share(data, source=None)


@chat_shipping_share_after.mistake(Text(zh="这是 {s.voice.shipping_surge_date} 之前的占比；题目看当天及以后创建的反馈。",
                                        en="this is the share before "
                                           "{s.voice.shipping_surge_date}; the question "
                                           "keeps feedback created on or after it."))
def chat_shipping_share_before(data) -> float:
    return _shipping_share(data, after=False)


def _packaging_low(data, whole: bool = False, worst: int = 2) -> int:
    f = data["feedback"]
    keep = _mentions(data, "packaging") & (f["score"] <= worst)
    if not whole:
        keep &= ((f["created_time"] >= pd.Timestamp("2026-04-01"))
                 & (f["created_time"] < pd.Timestamp("2026-07-01")))
    return int(keep.sum())


@question("q8_packaging_low_scores_q2", "03b_members_voice", tolerance=0,
          prompt=Text(zh="2026-04-01 至 2026-06-30（含首尾两天）创建的反馈里，提到包装（正文含 `themes.json` "
                         "里 packaging 主题的任意一个关键词，不区分大小写）并且打了 1 分或 2 分的有多少条？"
                         "答条数。",
                      en="Of the feedback created 2026-04-01 … 2026-06-30 (both days "
                         "included), how many mention packaging (the text contains any "
                         "keyword of theme packaging in `themes.json`, case-insensitive) and "
                         "score 1 or 2? Answer a number of feedback."),
          hint=Text(zh="三个条件同时满足才算：创建时间在这三个月里（6 月 30 日全天都算）、提到包装、"
                       "分数不超过 2。",
                    en="count the feedback meeting all three: created in those three "
                       "months (all of June 30 included), mentioning packaging, scoring "
                       "no more than 2."))
def packaging_low_scores_q2(data) -> int:
    return _packaging_low(data)


@packaging_low_scores_q2.mistake(Text(zh="这是整个半年的条数；题目只看 4 月到 6 月创建的反馈。",
                                      en="this counts the whole half-year; the question "
                                         "keeps the feedback created April to June."))
def packaging_low_scores_half_year(data) -> int:
    return _packaging_low(data, whole=True)


@packaging_low_scores_q2.mistake(Text(zh="这里把 3 分也算进去了；题目只数 1 分和 2 分。",
                                      en="this counts scores of 3 too; the question counts "
                                         "1 and 2 only."))
def packaging_three_or_lower_q2(data) -> int:
    return _packaging_low(data, worst=3)


def _polarity(data, source: str | None = "app_review", scores: tuple = (1, 5)) -> float:
    return float(_scores(data, source).isin(scores).mean())


@question("q9_app_review_polarity", "03b_members_voice", rate=True, tolerance=0.002,
          prompt=Text(zh="应用商店评价（source 为 app_review）里，打了 1 分或 5 分（两头的分数）的占多大比例？"
                         "用 0–1 之间的小数作答。",
                      en="Of the app-store reviews (source app_review), what share scored 1 "
                         "or 5 (either extreme)? Give a fraction between 0 and 1."),
          hint=Text(zh="只留应用商店评价，数分数在两头的条数再除以评价条数；最低分和最高分都要算。",
                    en="keep the app reviews, count those at either end of the scale and "
                       "divide by the reviews; both the lowest and the highest score "
                       "count."))
def app_review_polarity(data) -> float:
    return _polarity(data)


@app_review_polarity.mistake(Text(zh="这只算了 5 分；两头的分数，1 分也要算上。",
                                  en="this counts the 5s only; either extreme means the 1s "
                                     "too."))
def app_review_fives(data) -> float:
    return _polarity(data, scores=(5,))


@app_review_polarity.mistake(Text(zh="这是全部来源的反馈；题目只看应用商店评价（app_review）。",
                                  en="this is over feedback of every source; the question "
                                     "keeps the app reviews."))
def all_sources_polarity(data) -> float:
    return _polarity(data, source=None)


# ---------------------------------------------------------------- decisions


@question("q10_lower_silver", "03b_members_voice", kind="open",
          prompt=Text(zh="市场部提议把银卡门槛从 300 元降到 200 元，理由是“让更多人觉得被重视，就会多买”。"
                         "你支持吗？用数字说明：会动到哪些人、积分负债要多出多少（倍率铜卡 1、银卡 1.2、"
                         "金卡 1.5），以及到了银卡的人是不是真的会多买（看 300 元门槛的断点检验）。写四到五"
                         "句话。",
                      en="Marketing proposes lowering the silver threshold from 300 to 200 "
                         "CNY \"so more people feel valued and buy more\". Decide, with "
                         "numbers: whom it moves, what it costs in points liability "
                         "(multipliers bronze 1, silver 1.2, gold 1.5), and whether reaching "
                         "silver seems to make people buy (the threshold check at 300). Four "
                         "or five sentences."),
          hint=Text(zh="先算门槛调整会让多少人换等级、每 30 天多出多少积分负债（折成元）；再看首单刚好"
                       "在 300 元上下的两群人，复购有没有差别、差别的区间有多宽；最后想一想，怎么才能"
                       "真正量出“升级让人多买”。",
                    en="first find how many buyers change tier and how much liability (in "
                       "CNY) it adds per 30 days; then compare the repeat rates of the "
                       "buyers whose first order fell just either side of 300, with the "
                       "interval of the difference; last, ask how you would really measure "
                       "whether a tier makes people buy."),
          selfcheck=(Text(zh="我说了门槛调整会动到多少人、是从哪个等级升到哪个等级。",
                          en="I said how many buyers the change moves, and from which tier "
                             "to which."),
                     Text(zh="我给出了每 30 天多出的积分负债（元），并说明这是一笔负债，不是收益。",
                          en="I gave the extra points liability per 30 days in CNY and "
                             "called it a liability, not a gain."),
                     Text(zh="我用 300 元门槛的断点检验说明了升到银卡的人有没有多买，并给出了差值的区间。",
                          en="I used the threshold check at 300 to say whether reaching "
                             "silver makes people buy, with the interval of the "
                             "difference."),
                     Text(zh="我给出了建议：先做一个随机对照的测试，而不是直接全量上线，还说了看什么指标。",
                          en="I recommended a randomised test rather than a rollout, and "
                             "said what I would measure.")),
          rubric=(Text(zh="会动到谁：按累计实付，约 350 个铜卡买家会升到银卡（累计 200–300 元之间的人），"
                          "其他人的等级不变（1 分）",
                       en="whom it moves: about 350 bronze buyers (cumulative paid between "
                          "200 and 300 CNY) become silver; no one else changes tier "
                          "(1 point)"),
                  Text(zh="成本：按最近 90 天的消费节奏，这些人每 30 天多拿约 4,070 积分，折合约 41 元的积分"
                          "负债；这是我们欠用户的钱，会随兑换变成真实成本，不是一笔收益（1 分）",
                       en="the cost: at the last 90 days' pace these buyers earn about 4,070 "
                          "more points per 30 days, about 41 CNY of points liability; it is "
                          "money we owe, which becomes a real cost as points are redeemed, "
                          "not a gain (1 point)"),
                  Text(zh="有没有用：300 元门槛的断点检验里，首单刚好不到 300 元的买家 60 天内复购约 0.71，"
                          "刚过 300 元、直接到银卡的约 0.68，差约 −0.03，区间约 −0.16 到 0.08：看不出银卡让人"
                          "多买；但门槛附近的买家太少（约 230 对 75 人），也排除不了一个不大的效果（1 分）",
                       en="does it work: in the threshold check at 300, buyers whose first "
                          "order fell just below repeat within 60 days at about 0.71, those "
                          "just above (silver at once) at about 0.68, a difference of about "
                          "−0.03 with an interval of about −0.16 … 0.08: no sign that the "
                          "tier makes people buy, but too few buyers near 300 (about 230 and "
                          "75) to rule out a modest effect (1 point)"),
                  Text(zh="建议先测试、不全量上线：比如随机挑一半够 200 元的铜卡买家先升银卡，另一半不动，"
                          "看一两个月的复购和客单价，再对照多出的积分负债决定（1 分）",
                       en="recommends a test, not a rollout: e.g. lift a random half of the "
                          "bronze buyers above 200 CNY to silver and leave the other half, "
                          "compare repeat purchase and spend over a month or two, and weigh "
                          "it against the extra liability (1 point)")))
def lower_silver(data):
    return None


@question("q11_needs_report_top3", "03b_members_voice", kind="open",
          prompt=Text(zh="写出本月《用户需求分析报告》最前面的三条：每条需求写上提及量和趋势、一句有代表性的"
                         "用户原话、优先级和负责的团队。",
                      en="Write the top three lines of this month's 用户需求分析报告 (user-needs "
                         "report): each need with its count and trend, one representative "
                         "quote, a priority and the team that owns it."),
          hint=Text(zh="先给每条反馈打上主题标签，按主题看提及量、占比、抱怨占比和平均分；再看哪个主题的"
                       "占比在某天之后明显变了。排序不只看提及量，也看来势和严重程度。别忘了反馈从哪个"
                       "渠道来，会影响你看到的是谁的声音。",
                    en="tag every feedback with its themes and look at each theme's "
                       "mentions, share, complaint share and mean score; then at which "
                       "theme's share changed after some day. Rank by trend and severity, "
                       "not by volume alone. Mind where the feedback comes from: the source "
                       "decides whose voice you hear."),
          selfcheck=(Text(zh="我的三条都有提及量（或占比）、趋势、一句用户原话、优先级和负责团队。",
                          en="each of my three lines has a count (or share), a trend, a "
                             "quote, a priority and an owner."),
                     Text(zh="我把正在变坏的主题排在了前面，哪怕它的总提及量不是最多的。",
                          en="I put the theme that is getting worse first, even though it "
                             "is not the most mentioned."),
                     Text(zh="我说明了排序的理由（来势、抱怨占比、分数），不只是按提及量排。",
                          en="I gave the reason for the order (trend, complaint share, "
                             "score), not volume alone."),
                     Text(zh="我提醒了渠道偏差：客服对话里抱怨多，问卷里忠实老客多。",
                          en="I noted the source bias: service chats over-represent "
                             "complaints, surveys loyal buyers.")),
          rubric=(Text(zh="第一条是物流：{s.voice.shipping_surge_date} 起提到物流的反馈占比从约 11% 升到约 38%，"
                          "提到物流的平均分约 2.6，是各主题里最低的，抱怨占比约 0.59；原话如“发货慢，催了也"
                          "没用”；优先级高，归仓储 / 物流（1 分）",
                       en="first, shipping: since {s.voice.shipping_surge_date} its share of "
                          "feedback rose from about 11 % to about 38 %; its mean score, about "
                          "2.6, is the lowest of the themes and its complaint share about "
                          "0.59; quote 发货慢，催了也没用; priority high, owner warehouse / "
                          "logistics (1 point)"),
                  Text(zh="口感：提及最多（约 730 条，约 30%），抱怨占比约 0.25，主要说批次之间不一致，原话"
                          "“和上次买的口感不一样”；归产品 / 采购，抓批次一致性（1 分）",
                       en="taste: the most mentioned (about 730, about 30 %), complaint share "
                          "about 0.25, mostly that batches differ — quote 和上次买的口感不一样; "
                          "owner product / sourcing, consistency between batches (1 point)"),
                  Text(zh="包装：约 360 条，抱怨占比约 0.36，原话“密封条没封好”，归供应链 / 包材供应商；"
                          "或者选价格（约 510 条，抱怨约 0.36，“比别家贵了二十多块”）、客服（约 380 条，"
                          "“问了三次都没人回”），并说明理由（1 分）",
                       en="packaging: about 360 mentions, complaint share about 0.36, quote "
                          "密封条没封好, owner supply chain / the packaging supplier; or price "
                          "(about 510, complaints about 0.36, 比别家贵了二十多块) or service "
                          "(about 380, 问了三次都没人回), with a reason (1 point)"),
                  Text(zh="提醒偏差：客服对话里抱怨的人多，问卷多是忠实老客，CSAT 分别约 0.31 和 0.85；"
                          "各来源的声音不能直接合起来当成全体用户的看法（1 分）",
                       en="notes the bias: service chats over-represent complaints and "
                          "surveys loyal buyers (CSAT about 0.31 against about 0.85); the "
                          "sources cannot simply be pooled as the voice of all users "
                          "(1 point)")))
def needs_report_top3(data):
    return None
