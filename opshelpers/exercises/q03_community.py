"""Questions of 03_community: the check-in challenge, membership, KOCs, deals groups, points."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from ..phrases import CHALLENGE_GROUPS
from . import question

CNY_PER_POINT = 0.01


def _challenge(data) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = data.scenario.community.challenge
    return pd.Timestamp(start), pd.Timestamp(end)


def _before_challenge(data) -> tuple[pd.Timestamp, pd.Timestamp]:
    """As many days as the challenge lasts, right before it starts."""
    start, end = _challenge(data)
    days = pd.Timedelta(days=(end - start).days + 1)
    return start - days, start - pd.Timedelta(days=1)


def _g07(data) -> pd.DataFrame:
    d = data["community_daily"]
    return d[d["group_id"] == "g07"]


@question("q1_g07_posters", "03_community", tolerance=0,
          prompt=Text(zh="打卡挑战期间（{s.community.challenge[0]} 至 {s.community.challenge[1]}），"
                         "g07 群里至少发过一条消息的成员有多少人？",
                      en="How many members posted at least one message in g07 during the "
                         "challenge ({s.community.challenge[0]} … {s.community.challenge[1]})?"),
          hint=Text(zh="在 `community_daily` 里留下 g07、挑战期内、消息数大于 0 的行，再数有"
                       "多少个不同的成员。",
                    en="in `community_daily` keep g07's rows in the challenge with messages "
                       "> 0, then count distinct members."))
def g07_posters(data) -> int:
    d = _g07(data)
    w = d[d["date"].between(*_challenge(data)) & (d["messages"] > 0)]
    return int(w["user_id"].nunique())


@g07_posters.mistake(Text(zh="这是 g07 整个半年里发过言的人数；题目只看打卡挑战期间。",
                          en="this counts g07's posters over the whole half-year; the question "
                             "keeps the challenge days only."))
def g07_half_year(data) -> int:
    d = _g07(data)
    return int(d.loc[d["messages"] > 0, "user_id"].nunique())


@g07_posters.mistake(Text(zh="这数的是“人·天”的行数，同一个人发言几天就被数了几次；题目按人去重。",
                          en="this counts member-days, so a member who posted on several days "
                             "counts several times; count distinct members."))
def g07_member_days(data) -> int:
    d = _g07(data)
    return int((d["date"].between(*_challenge(data)) & (d["messages"] > 0)).sum())


def _challenge_messages(data, groups: tuple[str, ...] | None = CHALLENGE_GROUPS
                        ) -> tuple[pd.DataFrame, int]:
    """The daily rows of `groups` (None: every group) and their challenge messages."""
    d = data["community_daily"]
    if groups is not None:
        d = d[d["group_id"].isin(groups)]
    return d, d[d["date"].between(*_challenge(data))]["messages"].sum()


@question("q2_during_vs_before", "03_community", tolerance=0.01,
          prompt=Text(zh="四个参加打卡挑战的群，挑战期间的消息数是挑战前同样天数的多少倍？"
                         "（挑战期间消息数 ÷ 挑战开始前那段时间的消息数）",
                      en="In the four challenge groups: messages during the challenge divided "
                         "by messages in the same number of days right before it."),
          hint=Text(zh="挑战群是 `g05`、`g07`、`g08`、`g02`。两个时间窗一样长：挑战期间，和紧挨着"
                       "它之前同样天数的一段；各自把消息数加总再相除。",
                    en="the challenge groups are g05, g07, g08 and g02; sum their messages in "
                       "each window (the challenge days and as many days right before "
                       "them), then divide."))
def during_vs_before(data) -> float:
    d, during = _challenge_messages(data)
    before = d[d["date"].between(*_before_challenge(data))]["messages"].sum()
    return float(during / before)


@during_vs_before.mistake(Text(zh="这里用了全部群；题目只比较参加挑战的四个群。",
                               en="this uses every group; the question compares the four "
                                  "challenge groups only."))
def all_groups_ratio(data) -> float:
    d, during = _challenge_messages(data, groups=None)
    before = d[d["date"].between(*_before_challenge(data))]["messages"].sum()
    return float(during / before)


@during_vs_before.mistake(Text(zh="分母用了挑战开始前的全部日子；两个窗口要一样长，只取挑战前同样天数的"
                                  "那一段。",
                               en="the denominator is every day before the challenge; the two "
                                  "windows must be equally long, so take as many days as the "
                                  "challenge lasts."))
def all_days_before(data) -> float:
    d, during = _challenge_messages(data)
    before = d[d["date"] < _challenge(data)[0]]["messages"].sum()
    return float(during / before)


def _membership_effect(data) -> pd.DataFrame:
    from ..community import membership_effect

    return membership_effect(data["users"], data["events"],
                             data["community_members"]).set_index("method")


@question("q3_matched_share", "03_community", rate=True, tolerance=0.01,
          prompt=Text(zh="用精确匹配比较后，成员和非成员的留存差距还剩下原始（直接对比）差距的"
                         "多少比例？用 0–1 之间的小数作答。",
                      en="With exact matching, what share of the naive member vs non-member "
                         "gap remains? Give a fraction between 0 and 1."),
          hint=Text(zh="直接对比的差距里混着“本来就活跃的人更爱进群”的选择偏差。精确匹配只拿"
                       "同渠道、首周活跃度相同的人比；看匹配后的差距占原始差距的比例。",
                    en="the naive gap mixes the group's effect with who joins (selection). "
                       "Exact matching compares like with like (same channel and first-week "
                       "activity); take the matched gap as a share of the naive one."))
def matched_share(data) -> float:
    return float(_membership_effect(data).loc["exact", "share_of_naive_gap"])


@matched_share.mistake(Text(zh="这是匹配后被去掉的那部分（1 − 剩下的比例）；题目问的是还剩下多少。",
                            en="this is the part that matching removes (1 − what remains); the "
                               "question asks for the share that remains."))
def removed_share(data) -> float:
    return float(1 - _membership_effect(data).loc["exact", "share_of_naive_gap"])


@matched_share.mistake(Text(zh="这是匹配后的差距本身（留存率之差）；题目要把它除以原始差距，变成比例。",
                            en="this is the matched gap itself (a difference of rates); the "
                               "question divides it by the naive gap."))
def matched_gap(data) -> float:
    return float(_membership_effect(data).loc["exact", "gap"])


def _referrals(data) -> tuple[pd.Series, pd.Series, int]:
    """Referral signups per referrer, per group member (most first), and in all."""
    u, m = data["users"], data["community_members"]
    refs = u["referrer_id"].dropna().value_counts()
    members = m["user_id"].drop_duplicates()
    per = members.map(refs).fillna(0).sort_values(ascending=False)
    return refs, per, u["referrer_id"].notna().sum()


def _top(per: pd.Series, n: int) -> float:
    return per.head(max(1, round(0.02 * n))).sum()


@question("q4_top2_referral_share", "03_community", rate=True, tolerance=0.005,
          prompt=Text(zh="邀请最多的前 2% 社群成员，带来了全部邀请注册的多少比例？"
                         "用 0–1 之间的小数作答。",
                      en="What share of *all* referral signups do the top 2 % of group members "
                         "bring? Give a fraction between 0 and 1."),
          hint=Text(zh="先算每个成员邀请来的注册数，从多到少排，取前 2% 的成员加总；分母是"
                       "全部邀请注册，不管邀请人是不是社群成员。",
                    en="referral signups per member, the top 2 % of members; divide by *all* "
                       "referral signups, whether the referrer is a member or not."))
def top2_referral_share(data) -> float:
    _, per, total = _referrals(data)
    return float(_top(per, len(per)) / total)


@top2_referral_share.mistake(Text(zh="分母只算了社群成员带来的邀请注册；题目的分母是全部邀请注册。",
                                  en="the denominator counts the members' referrals only; the "
                                     "question divides by all referral signups."))
def members_referrals_only(data) -> float:
    _, per, _ = _referrals(data)
    return float(_top(per, len(per)) / per.sum())


@top2_referral_share.mistake(Text(zh="这里取的是全部用户里的前 2%；题目只在社群成员里取前 2%。",
                                  en="this takes the top 2 % of all users; the question takes "
                                     "the top 2 % of group members."))
def top2_all_users(data) -> float:
    refs, _, total = _referrals(data)
    return float(_top(refs.sort_values(ascending=False), len(data["users"])) / total)


def _deals_rate(members: pd.DataFrame, orders: pd.DataFrame) -> float:
    o = orders.merge(members, on="user_id")
    bought = o[o["order_time"] >= o["join_date"]]["user_id"].unique()
    deals = members[members["group_type"] == "deals"]
    return float(deals["user_id"].isin(bought).mean())


def _first_groups(data) -> pd.DataFrame:
    return data["community_members"].sort_values("join_date").drop_duplicates("user_id")


@question("q5_deals_buyer_rate", "03_community", rate=True, tolerance=0.003,
          prompt=Text(zh="福利群成员里，入群后下过单的占多少？用 0–1 之间的小数作答。",
                      en="What share of deals-group (福利群) members ordered after joining? "
                         "Give a fraction between 0 and 1."),
          hint=Text(zh="每个成员只算一次，按他最早加入的群归类；下单时间在入群日当天或之后才算。",
                    en="count each member once, in the first group they joined; only orders "
                       "on or after the join date count."))
def deals_buyer_rate(data) -> float:
    return _deals_rate(_first_groups(data), data["orders"])


@deals_buyer_rate.mistake(Text(zh="入群之前的订单也被算进去了；题目只看入群之后的下单。",
                               en="orders from before joining count here too; the question "
                                  "keeps orders after joining."))
def ever_ordered(data) -> float:
    m = _first_groups(data)
    deals = m[m["group_type"] == "deals"]
    return float(deals["user_id"].isin(data["orders"]["user_id"]).mean())


@deals_buyer_rate.mistake(Text(zh="这是全部社群成员的入群后下单率；题目只看福利群（deals）的成员。",
                               en="this is the buyer rate of every group member; the question "
                                  "keeps the deals groups' members."))
def all_members_rate(data) -> float:
    m = _first_groups(data)
    o = data["orders"].merge(m, on="user_id")
    bought = o[o["order_time"] >= o["join_date"]]["user_id"].unique()
    return float(m["user_id"].isin(bought).mean())


@question("q6_liability_cny", "03_community", tolerance=1.0,
          prompt=Text(zh="到 6 月底，还没兑换的积分折合多少元？也就是积分负债（1 积分 = 0.01 元）。",
                      en="What is the outstanding points liability at the end of June, in CNY "
                         "(1 point = 0.01 CNY)?"),
          hint=Text(zh="`points_ledger` 里发放是正数、兑换是负数，全部积分变动加总就是剩余积分，"
                       "再换算成元。",
                    en="in `points_ledger` points issued are positive and redeemed negative: "
                       "sum every movement, then convert to CNY."))
def liability_cny(data) -> float:
    return float(data["points_ledger"]["points"].sum() * CNY_PER_POINT)


@liability_cny.mistake(Text(zh="这只加了发放的积分，没有减掉已经兑换的；负债是还没兑换的那部分。",
                            en="this adds up the points issued but not the redemptions; the "
                               "liability is what is still unredeemed."))
def issued_only(data) -> float:
    p = data["points_ledger"]["points"]
    return float(p[p > 0].sum() * CNY_PER_POINT)


@liability_cny.mistake(Text(zh="这是积分数，还没有换算成元（1 积分 = 0.01 元）。",
                            en="this is in points, not yet in CNY (1 point = 0.01 CNY)."))
def in_points(data) -> float:
    return float(data["points_ledger"]["points"].sum())


def _tagged(data) -> pd.DataFrame:
    from ..community import tag_themes

    return tag_themes(data["feedback"])


@question("q7_surge_date", "03_community", kind="date", tolerance=3,
          prompt=Text(zh="提到物流的反馈从哪天开始激增？用 'YYYY-MM-DD' 作答。",
                      en="From which date did feedback about shipping surge? Answer "
                         "'YYYY-MM-DD'."),
          hint=Text(zh="先给每条反馈打上主题标签，再找“提到物流的反馈占比”在哪一天前后变化最大，"
                       "看的是占比水平的突变点，不是某一天的高峰。",
                    en="tag every feedback with its themes, then find the day where the share "
                       "of feedback mentioning shipping changes most — a change of level, not "
                       "one busy day."))
def surge_date(data) -> str:
    from ..community import theme_surge

    surge = theme_surge(_tagged(data))
    return str(surge.set_index("theme").loc["shipping", "change_date"].date())


@surge_date.mistake(Text(zh="这是物流反馈条数最多的一天：单日高峰可能只是当天反馈多。题目找的是"
                            "物流占比整体抬升的那一天。",
                         en="this is the day with the most shipping feedback, which may just "
                            "be a busy day; the question looks for the day the share rose "
                            "for good."))
def busiest_shipping_day(data) -> str:
    t = _tagged(data)
    ship = t[t["theme_shipping"]]
    return str(ship.groupby(ship["created_time"].dt.normalize()).size().idxmax().date())
