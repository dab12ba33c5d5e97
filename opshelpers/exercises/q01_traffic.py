"""Questions of 01_traffic: a month's CPA, a page test on one channel, what a break
cost, wasted search spend, a keyword pick, the position effect, a KOL's cost per order,
attribution with other weights, and two decisions (which KOL to renew, the bid list)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import traffic
from ..i18n import Text
from . import question

# ---------------------------------------------------------------- channel cost


def _month_cpa(data, channel: str, month: int | None, per: str = "signups") -> float:
    cd, v = data["channel_daily"], data["visits"]
    cd = cd[cd["channel"] == channel]
    v = v[v["channel"] == channel]
    if month is not None:
        cd = cd[cd["date"].dt.month == month]
        v = v[v["visit_time"].dt.month == month]
    count = v["signed_up"].sum() if per == "signups" else len(v)
    return float(cd["spend"].sum() / count)


@question("q1_feed_ads_march_cpa", "01_traffic", tolerance=0.05,
          prompt=Text(zh="2026 年 3 月，信息流（feed_ads）每带来一个注册花了多少元（CPA）？",
                      en="In March 2026, what did one feed-ads (信息流) signup cost (CPA, CNY)?"),
          hint=Text(zh="分子和分母都只取 3 月、只取信息流：花费在 channel_daily，注册在 visits。",
                    en="numerator and denominator both March only and feed ads only: the "
                       "spend is in channel_daily, the signups in visits."))
def feed_ads_march_cpa(data):
    return _month_cpa(data, "feed_ads", 3)


@feed_ads_march_cpa.mistake(Text(
    zh="这是信息流整个半年的 CPA（渠道排行榜里那个数）；题目只问 3 月。",
    en="this is feed ads' CPA over the whole half-year (the league table's); the question "
       "asks for March."))
def feed_ads_half_year_cpa(data):
    return _month_cpa(data, "feed_ads", None)


@feed_ads_march_cpa.mistake(Text(
    zh="这是每次访问的成本：分母要用注册数，不是访问数。",
    en="this is the cost per visit: divide by signups, not by visits."))
def feed_ads_march_cost_per_visit(data):
    return _month_cpa(data, "feed_ads", 3, per="visits")


# ---------------------------------------------------------------- landing pages


def _page_test(visits: pd.DataFrame) -> pd.Series:
    return traffic.compare_pages(visits[visits["landing_page"] != "lp_invite"]).iloc[0]


@question("q2_kol_page_diff", "01_traffic", rate=True, signed=True, tolerance=0.0005,
          prompt=Text(zh="只看 KOL 渠道的访问：落地页 lp_b 的注册转化率比 lp_a 高多少？"
                         "答 lp_b − lp_a 的差，用 0–1 之间的小数。",
                      en="KOL visits only: by how much does landing page lp_b's signup rate "
                         "beat lp_a's? Answer lp_b − lp_a as a fraction."),
          hint=Text(zh="先把访问筛到 KOL 一个渠道，再做和正文一样的两页对比。",
                    en="narrow the visits to the one channel first, then compare the two "
                       "pages as the lesson did."))
def kol_page_diff(data):
    v = data["visits"]
    return float(_page_test(v[v["channel"] == "kol"])["diff"])


@kol_page_diff.mistake(Text(zh="这是所有渠道合在一起的差；题目只看 KOL。",
                            en="this is the difference over all channels; the question "
                               "keeps KOL only."))
def all_channels_page_diff(data):
    return float(_page_test(data["visits"])["diff"])


@kol_page_diff.mistake(Text(zh="这是相对提升（差 / lp_a 的转化率）；题目要两个转化率的差。",
                            en="this is the relative lift (difference / lp_a's rate); the "
                               "question asks for the difference of the two rates."))
def kol_relative_lift(data):
    v = data["visits"]
    return float(_page_test(v[v["channel"] == "kol"])["relative_lift"])


# ---------------------------------------------------------------- what a break cost


def _xhs_split(data) -> tuple[pd.DataFrame, pd.DataFrame]:
    v = data["visits"]
    drops = traffic.conversion_drop(v, seed=0)
    day = drops.loc[drops["channel"] == "xiaohongshu", "change_date"].iloc[0]
    xhs = v[v["channel"] == "xiaohongshu"]
    return xhs[xhs["visit_time"] < day], xhs[xhs["visit_time"] >= day]


@question("q3_xhs_lost_signups", "01_traffic", tolerance=3,
          prompt=Text(zh="小红书转化率断崖之后（从突变日到 6 月 30 日），如果转化率一直保持在突变前"
                         "的水平，会多出多少个注册？",
                      en="After Xiaohongshu's conversion broke (from the change day to "
                         "30 June), how many more signups would it have brought had its rate "
                         "stayed at the level before the break?"),
          hint=Text(zh="突变后的访问数不变，把转化率换回突变前的水平，再和实际注册数比。",
                    en="keep the visits after the break as they were, put the rate back to "
                       "its level before, and compare with the signups that happened."))
def xhs_lost_signups(data):
    before, after = _xhs_split(data)
    return float(len(after) * before["signed_up"].mean() - after["signed_up"].sum())


@xhs_lost_signups.mistake(Text(
    zh="基准用了整个半年的转化率，它已经混进了突变后的低转化；应该用突变前的转化率。",
    en="the baseline is the whole half-year's rate, which already contains the broken "
       "weeks; use the rate before the break."))
def whole_period_baseline(data):
    before, after = _xhs_split(data)
    rate = pd.concat([before, after])["signed_up"].mean()
    return float(len(after) * rate - after["signed_up"].sum())


@xhs_lost_signups.mistake(Text(
    zh="乘的是突变前的访问数；损失发生在突变之后，要乘突变后的访问数。",
    en="this multiplies by the visits before the break; the loss happened after it, so use "
       "the visits after."))
def visits_before_break(data):
    before, after = _xhs_split(data)
    return float(len(before) * (before["signed_up"].mean() - after["signed_up"].mean()))


# ---------------------------------------------------------------- search terms


def _keywords(data, start=None, end=None) -> pd.DataFrame:
    return traffic.keyword_report(data["search_terms"], start=start, end=end)


@question("q4_january_wasted_share", "01_traffic", rate=True, tolerance=0.002,
          prompt=Text(zh="2026 年 1 月，SEM 关键词的花费里，有多大比例花在了一个注册都没带来的词上？"
                         "用 0–1 之间的小数作答。",
                      en="In January 2026, what share of SEM keyword spend went to keywords "
                         "that brought no signup at all? Give a fraction."),
          hint=Text(zh="只取 1 月那一行行数据，按关键词汇总后，找出注册为 0 的词，用它们的花费除以"
                       "当月总花费。",
                    en="January's rows only; per keyword, find those with no signup, and "
                       "divide their spend by the month's total spend."))
def january_wasted_share(data):
    k = _keywords(data, "2026-01-01", "2026-01-01")
    return float(k.loc[k["wasted"], "spend"].sum() / k["spend"].sum())


@january_wasted_share.mistake(Text(zh="这是整个半年的浪费占比；题目只问 1 月。",
                                   en="this is the half-year's wasted share; the question "
                                      "asks for January."))
def half_year_wasted_share(data):
    k = _keywords(data)
    return float(k.loc[k["wasted"], "spend"].sum() / k["spend"].sum())


@january_wasted_share.mistake(Text(zh="这是点击量的占比；题目问的是花费（钱）的占比。",
                                   en="this is the share of clicks; the question asks for "
                                      "the share of spend (money)."))
def january_wasted_click_share(data):
    k = _keywords(data, "2026-01-01", "2026-01-01")
    return float(k.loc[k["wasted"], "clicks"].sum() / k["clicks"].sum())


BRAND = ("茶语", "茶语官网", "茶语app")


def _best_exact(data, start=None, end=None, brand: bool = False) -> str:
    k = _keywords(data, start, end)
    k = k[k["match_type"].eq("exact") & (brand | ~k["keyword"].isin(BRAND))]
    return str(k.loc[k["roi"].idxmax(), "keyword"])


@question("q5_best_exact_keyword_q2", "01_traffic", kind="text",
          prompt=Text(zh="2026 年 4–6 月，不算品牌词（茶语、茶语官网、茶语app），哪个精确匹配"
                         "（exact）关键词的 ROI 最高？用数据里的关键词原文作答。",
                      en="In April–June 2026, leaving out the brand terms (茶语, 茶语官网, "
                         "茶语app), which exact-match keyword has the highest ROI? Answer with "
                         "the keyword as written in the data."),
          hint=Text(zh="三个条件：时间只取二季度、匹配方式是 exact、去掉品牌词；然后比 ROI。",
                    en="three filters: the second quarter only, exact match, no brand "
                       "terms; then compare ROI."))
def best_exact_keyword_q2(data):
    return _best_exact(data, "2026-04-01", "2026-06-01")


@best_exact_keyword_q2.mistake(Text(zh="这是整个半年里 ROI 最高的词；题目只看 4–6 月。",
                                    en="this keyword leads over the whole half-year; the "
                                       "question looks at April–June only."))
def best_exact_half_year(data):
    return _best_exact(data)


@best_exact_keyword_q2.mistake(Text(zh="这是品牌词：搜品牌名的人本来就想找我们，题目要的是品牌词以外的机会。",
                                    en="this is a brand term: people searching our name were "
                                       "looking for us anyway; the question asks for the "
                                       "chance beyond the brand."))
def best_exact_with_brand(data):
    return _best_exact(data, "2026-04-01", "2026-06-01", brand=True)


def _position_slope(st: pd.DataFrame) -> float:
    return float(np.polyfit(np.log(st["avg_position"]),
                            np.log(st["clicks"] / st["impressions"]), 1)[0])


def _green_tea_june(data) -> tuple[pd.Series, float]:
    st = data["search_terms"]
    row = st[(st["keyword"] == "绿茶") & (st["month"] == "2026-06-01")].iloc[0]
    return row, _position_slope(st)


@question("q6_green_tea_extra_clicks", "01_traffic", tolerance=2,
          prompt=Text(zh="先查出 2026 年 6 月「绿茶」这个词的平均排名。假设提高出价把平均排名提到 "
                         "2.0、展现量不变，按正文拟合的「排名—点击率」关系，6 月会多出多少次点击？",
                      en="Look up 绿茶's average position in June 2026. Suppose a higher bid "
                         "lifts it to position 2.0 with the same impressions: by the "
                         "position–CTR relationship fitted in the lesson, how many more clicks "
                         "would June have brought?"),
          hint=Text(zh="拟合的是 log(点击率) 和 log(排名) 的直线：排名变成原来的几分之一，点击率就"
                       "变成原来的（这个比例的 −斜率 次方）倍。答的是多出的点击，不是总点击。",
                    en="the fit is a line of log(CTR) on log(position): when the position "
                       "becomes r times what it was, CTR becomes r to the power of the slope. "
                       "Answer the extra clicks, not the total."))
def green_tea_extra_clicks(data):
    row, slope = _green_tea_june(data)
    return float(row["clicks"] * (2.0 / row["avg_position"]) ** slope - row["clicks"])


@green_tea_extra_clicks.mistake(Text(
    zh="这是点击量按排名同比例变化（线性）的结果；拟合的是对数关系，斜率不是 −1。",
    en="this scales clicks in proportion to the position (a straight line); the fit is on "
       "logs, and its slope is not −1."))
def proportional_clicks(data):
    row, _ = _green_tea_june(data)
    return float(row["clicks"] * row["avg_position"] / 2.0 - row["clicks"])


@green_tea_extra_clicks.mistake(Text(zh="这是提价后的总点击；题目问的是多出来的点击。",
                                     en="this is the total after the change; the question "
                                        "asks for the extra clicks."))
def total_clicks_at_two(data):
    row, slope = _green_tea_june(data)
    return float(row["clicks"] * (2.0 / row["avg_position"]) ** slope)


# ---------------------------------------------------------------- KOL


def _kol_row(data, start=None) -> pd.Series:
    return traffic.kol_report(data["kol_posts"], start=start).set_index("kol_name").loc["茶小满"]


@question("q7_xiaoman_q2_cost_per_order", "01_traffic", tolerance=0.05,
          prompt=Text(zh="茶小满 2026-04-01 及以后发布的合作内容，平均每带来一笔订单花了多少元合作费？",
                      en="For 茶小满's posts published on or after 2026-04-01, what fee did "
                         "one order cost (CNY)?"),
          hint=Text(zh="先按发布日期筛出二季度的合作，再用合作费除以这些合作带来的订单数。",
                    en="keep the posts published from April on, then divide their fees by the "
                       "orders they brought."))
def xiaoman_q2_cost_per_order(data):
    return float(_kol_row(data, "2026-04-01")["cost_per_order"])


@xiaoman_q2_cost_per_order.mistake(Text(zh="这是整个半年的单均成本；题目只看 4 月以后发布的。",
                                        en="this is the half-year's cost per order; the "
                                           "question keeps posts from April on."))
def xiaoman_half_year(data):
    return float(_kol_row(data)["cost_per_order"])


@xiaoman_q2_cost_per_order.mistake(Text(zh="这是每个注册的成本（CPA）；题目问的是每笔订单。",
                                        en="this is the cost per signup (CPA); the question "
                                           "asks per order."))
def xiaoman_q2_cpa(data):
    return float(_kol_row(data, "2026-04-01")["cpa"])


# ---------------------------------------------------------------- attribution


def _credit(data, share: float, model: str = "position_based") -> float:
    out = traffic.attribution(data["visits"], first_last_share=share).set_index("channel")
    return float(out.loc["kol", model])


@question("q8_kol_credit_30", "01_traffic", tolerance=0.05,
          prompt=Text(zh="换一种位置归因的权重：首次和末次触点各得 30%，其余 40% 平分给中间的触点。"
                         "这样算，KOL 渠道分到多少个注册？",
                      en="Position-based attribution with other weights: 30 % each to the "
                         "first and the last touch, the other 40 % shared by the touches in "
                         "between. How many signups does KOL get credited with?"),
          hint=Text(zh="正文用的是首末各 40%；同一个归因函数有一个参数管首末触点的份额。",
                    en="the lesson gave first and last 40 % each; the same attribution "
                       "helper has a parameter for that share."))
def kol_credit_30(data):
    return _credit(data, 0.3)


@kol_credit_30.mistake(Text(zh="这是默认权重（首末各 40%）的结果，正文里已经算过；题目要 30%。",
                            en="this is the default weights' result (40 % each), computed in "
                               "the lesson; the question asks for 30 %."))
def kol_credit_40(data):
    return _credit(data, 0.4)


@kol_credit_30.mistake(Text(zh="这是首次触点归因的结果；位置归因要把功劳分给路径上的每个触点。",
                            en="this is first-touch credit; position-based spreads the credit "
                               "over every touch of the path."))
def kol_first_touch(data):
    return _credit(data, 0.4, "first_touch")


# ---------------------------------------------------------------- decisions


@question("q9_renew_kol", "01_traffic", kind="open",
          prompt=Text(zh="合作预算只够续约一位 KOL。你续谁？写三到四句话：用哪个数字支持你的选择，"
                         "为什么不选千次阅读成本最低的那位，以及哪位 KOL 的数据你信不过。",
                      en="The budget renews one KOL only. Whom do you renew? In three or four "
                         "sentences: which number backs your choice, why not the one with the "
                         "cheapest CPM, and whose numbers you do not trust."),
          hint=Text(zh="从花钱一直看到下单：阅读 → 互动 → 访问 → 注册 → 订单，哪一步把差距拉开了？",
                    en="follow the money all the way: reads → engagement → visits → signups "
                       "→ orders. At which step do the KOLs part ways?"),
          selfcheck=(Text(zh="我点名了一位 KOL，并给出单均成本或 ROI 这样落到订单和收入上的数字。",
                          en="I named one KOL and gave a number that reaches orders or "
                             "revenue (cost per order, ROI)."),
                     Text(zh="我说明了千次阅读成本最低的那位为什么不值得续：阅读便宜，订单贵。",
                          en="I said why the cheapest CPM is not the pick: cheap reads, "
                             "dear orders."),
                     Text(zh="我指出了互动率异常低的那位，并说明阅读量可能是刷的、要怎么核实。",
                          en="I named the KOL whose engagement is oddly low, and how I "
                             "would check whether the reads were bought."),
                     Text(zh="我注意到了样本量：发文少、订单少的 KOL，单均成本的波动更大。",
                          en="I noticed sample size: a KOL with few posts and orders has a "
                             "noisier cost per order.")),
          rubric=(Text(zh="续约茶小满：单均成本最低（约 3.5 元）、ROI 最高（约 23），二季度依然领先（1 分）",
                       en="renew 茶小满: the lowest cost per order (about 3.5 CNY) and the "
                          "highest ROI (about 23), still ahead in Q2 (1 point)"),
                  Text(zh="陈一口千次阅读成本最低（约 8.6 元），但单均成本约 23 元：阅读多、转化低"
                          "（1 分）",
                       en="陈一口 has the cheapest CPM (about 8.6 CNY) but about 23 CNY per "
                          "order: many reads, few buyers (1 point)"),
                  Text(zh="茶言观色互动率约 1.1%，不到其他人的一半，访问也少：阅读量疑似刷量，"
                          "续约前要平台后台数据或按效果结算（1 分）",
                       en="茶言观色's engagement rate is about 1.1 %, under half anyone "
                          "else's, with few visits: the reads look bought; ask for platform "
                          "data or pay per result before renewing (1 point)"),
                  Text(zh="提到阿凯爱喝茶 ROI 第二（约 15）但规模小、二季度订单少，适合继续小额测试"
                          "（1 分）",
                       en="notes 阿凯爱喝茶 is second on ROI (about 15) but small, with few "
                          "Q2 orders: keep testing it on a small budget (1 point)")))
def renew_kol(data):
    return None


@question("q10_bid_list", "01_traffic", kind="open",
          prompt=Text(zh="下周你要改 SEM 的出价表。写出你会做的三处修改（加词、否词、调价、改匹配方式都算），"
                         "每处给出支持它的一个数字。",
                      en="Next week you edit the SEM bid list. Write the three changes you "
                         "would make (add, negate, re-bid or re-match a keyword) and one "
                         "number that supports each."),
          hint=Text(zh="三类词分开看：一个注册都没带来的词、花钱最多却亏钱的泛词、量小但便宜又能成交的长尾词。",
                    en="look at three groups apart: words with no signup at all, the broad "
                       "words that spend most and lose money, and the small cheap long-tail "
                       "words that sell."),
          selfcheck=(Text(zh="我处理了花钱却一个注册都没带来的词，说清了用什么办法堵住，以及它们占多少花费。",
                          en="I dealt with the words that spend and bring no signup: how to "
                             "stop them, and how much of the spend they take."),
                     Text(zh="我处理了花费最大、ROI 为负的泛词：降价、改成短语或精确匹配，而不是一刀切停掉。",
                          en="I dealt with the biggest broad word whose ROI is negative: "
                             "lower the bid or tighten the match, not simply stop it."),
                     Text(zh="我给长尾词加了预算或提了排名，并用它们的 CPA 或 ROI 说明理由。",
                          en="I gave the long-tail words more budget or a better position, "
                             "with their CPA or ROI as the reason."),
                     Text(zh="我说明了如何验证：改完以后看哪个指标、看多久。",
                          en="I said how I would check the change worked: which metric, "
                             "over how long.")),
          rubric=(Text(zh="否定 5 个零注册的词（奶茶加盟、茶叶批发市场、免费领茶叶、茶艺师证书报考、"
                          "茶饮店装修），约占 SEM 花费的 20%（1 分）",
                       en="negate the 5 words with no signup (奶茶加盟, 茶叶批发市场, "
                          "免费领茶叶, 茶艺师证书报考, 茶饮店装修): about 20 % of SEM spend "
                          "(1 point)"),
                  Text(zh="「茶叶」花费最多（约 14%）但 ROI 约 −0.79、CPA 约 87 元：降价或改成短语匹配（1 分）",
                       en="茶叶 spends most (about 14 %) with ROI about −0.79 and CPA about 87 "
                          "CNY: lower the bid or move it to phrase match (1 point)"),
                  Text(zh="长尾精确词（冷泡茶怎么泡、送长辈的茶叶礼盒等）CPA 约 10 元，是泛词的五分之一："
                          "加预算、提排名（排名升一位点击率明显上升）（1 分）",
                       en="the exact long-tail words (冷泡茶怎么泡, 送长辈的茶叶礼盒, …) cost "
                          "about 10 CNY a signup, a fifth of the generic words: more budget, "
                          "a better position (CTR climbs with position) (1 point)"),
                  Text(zh="说明验证方式：按周看花费、CPA 和 ROI，至少看两到四周，新注册用户的订单"
                          "要等一段时间才完整（1 分）",
                       en="says how to check: weekly spend, CPA and ROI over two to four "
                          "weeks, remembering new users' orders take time to arrive (1 "
                          "point)")))
def bid_list(data):
    return None
