"""Questions of 03_community: how concentrated a group's talk is, violations measured with
the rule set, how fast admins removed spam and how much of it the rules catch, the
check-in challenge, the interest groups' retention after matching, KOCs, the cost and
the wear of pushes to the private-domain pool, and two decisions (what to change in the
group rules next, whether to move paid budget into pushes).

The solvers are plain pandas and numpy (the packaged `group_rules.json` read as data):
an independent computation that `opshelpers.community` is checked against, never a call
to it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import Text
from ..phrases import CHALLENGE_GROUPS
from . import question

RULES_FILE = Path(__file__).resolve().parent.parent / "group_rules.json"
FLOOD_MESSAGES = 5                          # 刷屏: this many by one sender in one group …
FLOOD_WINDOW = pd.Timedelta(minutes=2)      # … within this span, both ends included
POOL_WIDE = ("moments", "group_broadcast")  # pushes that go to the whole pool at once
KOC_TOP = 400                               # q7: the most influential members looked at

# ---------------------------------------------------------------- shared pieces


def _challenge(data) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = data.scenario.community.challenge
    return pd.Timestamp(start), pd.Timestamp(end)


def _change(data) -> pd.Timestamp:
    """The day the upgraded group rules (群规升级) took effect."""
    return pd.Timestamp(data.scenario.moderation.rule_change)


def _present(members: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    """Members who belonged at any time in [lo, hi]: joined by hi, not gone by lo."""
    gone = members["leave_date"].notna() & (members["leave_date"] <= lo)
    return members[(members["join_date"] <= hi) & ~gone]


def _between(df: pd.DataFrame, column: str, lo: pd.Timestamp, hi: pd.Timestamp
             ) -> pd.DataFrame:
    return df[(df[column] >= lo) & (df[column] <= hi)]


# ---------------------------------------------------------------- group health


def _top10_share(data, end: pd.Timestamp | None = None, of_posters: bool = False) -> float:
    """g07's share of messages sent by its top ⌈10 %⌉ members, challenge start … `end`."""
    lo, hi = _challenge(data)
    hi = hi if end is None else end
    m = data["community_members"]
    n = _present(m[m["group_id"] == "g07"], lo, hi)["user_id"].nunique()
    d = data["community_daily"]
    d = _between(d[d["group_id"] == "g07"], "date", lo, hi)
    per = d.groupby("user_id")["messages"].sum().sort_values(ascending=False)
    if of_posters:
        n = int((per > 0).sum())
    return float(per.head(int(np.ceil(0.1 * n))).sum() / per.sum())


@question("q1_g07_top10_challenge", "03_community", rate=True, tolerance=0.002,
          prompt=Text(zh="打卡群 g07，把挑战的三周（{s.community.challenge[0]} 至 "
                         "{s.community.challenge[1]}）合在一起看：这段时间里在群的成员"
                         "（{s.community.challenge[1]} 及以前入群，且没有在 "
                         "{s.community.challenge[0]} 当天或之前退群）中，发言最多的前 10%"
                         "（人数向上取整）贡献了这段时间群里全部消息的多大比例？用 0–1 之间的"
                         "小数作答。",
                      en="Group g07 over the three challenge weeks pooled "
                         "({s.community.challenge[0]} … {s.community.challenge[1]}): of the "
                         "members in the group at any time in the span (joined on or before "
                         "{s.community.challenge[1]}, not left on or before "
                         "{s.community.challenge[0]}), the top 10 % by messages (rounded up "
                         "to whole members): what share of the group's messages in the span "
                         "did they send? Give a fraction between 0 and 1."),
          hint=Text(zh="分三步：先数这段时间在群的成员有多少人，乘以 10% 向上取整，得到“头部”人数；"
                       "再把每人这三周的消息数加总、从多到少排；最后用头部的消息数除以全群的"
                       "消息数。头部人数按全部在群成员算，不只是发过言的人。",
                    en="three steps: count the members in the group during the span and "
                       "take 10 % of them, rounded up, as the size of the top; sum each "
                       "member's messages over the three weeks and sort them; divide the "
                       "top's messages by the group's. The top is sized on every member "
                       "present, not only on those who posted."))
def g07_top10_challenge(data) -> float:
    return _top10_share(data)


@g07_top10_challenge.mistake(Text(
    zh="这里的 10% 是按发过言的人算的；群健康度的头部占比按这段时间全部在群成员的 10% 取人，"
       "潜水的人也算在群规模里。",
    en="this takes 10 % of the members who posted; the top10 share of group health takes "
       "10 % of every member present in the span, lurkers included."))
def g07_top10_of_posters(data) -> float:
    return _top10_share(data, of_posters=True)


@g07_top10_challenge.mistake(Text(
    zh="这是挑战第一周（{s.community.challenge[0]} 起 7 天）的占比；题目把三周合在一起算。",
    en="this is the challenge's first week only (7 days from {s.community.challenge[0]}); "
       "the question pools the three weeks."))
def g07_top10_first_week(data) -> float:
    return _top10_share(data, end=_challenge(data)[0] + pd.Timedelta(days=6))


# ---------------------------------------------------------------- group rules (群规)


def _rules() -> dict[str, list[str]]:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]


def _flood(messages: pd.DataFrame) -> pd.Series:
    """True for a message among ≥ FLOOD_MESSAGES by its sender in its group within
    FLOOD_WINDOW: it sits in a run of FLOOD_MESSAGES consecutive messages of the sender
    whose first and last lie at most FLOOD_WINDOW apart."""
    m = messages.sort_values(["group_id", "user_id", "sent_time"])
    times = m.groupby(["group_id", "user_id"])["sent_time"]
    k = FLOOD_MESSAGES - 1
    hit = pd.Series(False, index=m.index)
    for place in range(FLOOD_MESSAGES):          # the message's place in the run
        first, last = times.shift(place), times.shift(place - k)
        hit |= (last - first <= FLOOD_WINDOW).fillna(False)
    return hit.reindex(messages.index)


def _flags(data) -> pd.Series:
    """The rule kind of each group message ("" if none): the first kind of the rule set
    whose pattern it matches (case-insensitive), else "flood"."""
    m = data["group_messages"]
    text = m["text"].fillna("").astype(str)
    kind = pd.Series("", index=m.index, dtype=object)
    for name, patterns in _rules().items():
        hit = pd.Series(False, index=m.index)
        for p in patterns:
            hit |= text.str.contains(p, case=False, regex=True)
        kind[(kind == "") & hit] = name
    kind[(kind == "") & _flood(m)] = "flood"
    return kind


def _messages(data) -> pd.DataFrame:
    """group_messages with the group's type, the rule flag and whether an admin removed it."""
    m = data["group_messages"]
    types = data["community_members"].drop_duplicates("group_id").set_index("group_id")
    return m.assign(group_type=m["group_id"].map(types["group_type"]), flag=_flags(data),
                    removed=m["removed_time"].notna(),
                    after=m["sent_time"] >= _change(data))


def _per_1000_after(data, deals_only: bool = True, removals: bool = False) -> float:
    m = _messages(data)
    m = m[m["after"]]
    if deals_only:
        m = m[m["group_type"] == "deals"]
    hits = m["removed_reason"].notna() if removals else m["flag"] != ""
    return float(1000 * hits.sum() / len(m))


@question("q2_deals_violations_per_1000_after", "03_community", tolerance=0.5,
          prompt=Text(zh="用正文的群规规则集（`group_rules.json` 里的规则，按文件顺序逐类匹配，"
                         "不区分大小写；再加上刷屏：同一个人在同一个群 2 分钟内发了 5 条及以上，"
                         "这几条都算，首尾两端都含在内）给每条群消息判违规。福利群（group_type 为 "
                         "deals）里 {s.moderation.rule_change} 及以后发出的消息，每千条有多少条"
                         "违规？答每千条的条数。",
                      en="Judge every group message with the lesson's rule set (the patterns "
                         "of `group_rules.json`, kinds in file order, case-insensitive; plus "
                         "flooding: a message among 5 or more by one sender in one group "
                         "within 2 minutes, both ends included). In the deals groups "
                         "(group_type deals), among the messages sent on or after "
                         "{s.moderation.rule_change}: how many violations per 1,000 "
                         "messages?"),
          hint=Text(zh="群的类型在 community_members 里，按 group_id 接过来。违规按规则判，不看管理员"
                       "删没删：删除的标准跟着群规一起变了，拿它比前后不公平。刷屏要按发送人和群"
                       "分组、按时间排好再数。",
                    en="the group's type is in community_members, joined by group_id. Judge "
                       "by the rules, not by what admins removed: removals changed with the "
                       "rules, so they cannot compare before with after. For flooding, "
                       "group by sender and group and order by time before counting."))
def deals_violations_per_1000_after(data) -> float:
    return _per_1000_after(data)


@deals_violations_per_1000_after.mistake(Text(
    zh="这数的是管理员删掉的消息（removed_reason 不为空）；删不删跟着群规升级一起变了，"
       "要用同一把尺子——规则判出的违规——来量。",
    en="this counts the admins' removals (removed_reason not empty); removal changed "
       "with the rule upgrade, so measure with one fixed yardstick, the rule flags."))
def deals_removals_per_1000_after(data) -> float:
    return _per_1000_after(data, removals=True)


@deals_violations_per_1000_after.mistake(Text(
    zh="这是全部群的违规率；题目只看福利群（deals）。",
    en="this is the rate over every group; the question keeps the deals groups."))
def all_groups_violations_per_1000_after(data) -> float:
    return _per_1000_after(data, deals_only=False)


def _removal_minutes(data, reason: str | None = "ad") -> pd.Series:
    """Minutes from sent to removal of the messages removed (for `reason`, None: any)
    that were sent before the rule change."""
    m = data["group_messages"]
    keep = m["removed_time"].notna() & (m["sent_time"] < _change(data))
    if reason is not None:
        keep &= m["removed_reason"] == reason
    m = m[keep]
    return (m["removed_time"] - m["sent_time"]).dt.total_seconds() / 60


@question("q3_ad_median_removal_before", "03_community", tolerance=1.0,
          prompt=Text(zh="群规升级（{s.moderation.rule_change}）之前发出、被管理员以广告（removed_reason "
                         "为 ad）删掉的消息，从发出到被删的时间中位数是多少分钟？",
                      en="Of the messages sent before the rule upgrade "
                         "({s.moderation.rule_change}) that admins removed as ads "
                         "(removed_reason ad): what is the median time from sent to removed, "
                         "in minutes?"),
          hint=Text(zh="每条消息用删除时间减发送时间，换算成分钟；先按删除原因和发送时间筛好，再取"
                       "中位数。删除时间有几条特别晚的，所以看中位数。",
                    en="removed_time minus sent_time for each message, in minutes; filter "
                       "by the reason and the send time first, then take the median. A few "
                       "removals come very late, which is why the median is asked."))
def ad_median_removal_before(data) -> float:
    return float(_removal_minutes(data).median())


@ad_median_removal_before.mistake(Text(zh="这是平均数：几条拖了很久才删的消息把它拉高了；题目问中位数。",
                                       en="this is the mean, pulled up by a few removals "
                                          "that came very late; the question asks for the "
                                          "median."))
def ad_mean_removal_before(data) -> float:
    return float(_removal_minutes(data).mean())


@ad_median_removal_before.mistake(Text(zh="这里算了所有删除原因的消息；题目只看以广告（ad）删掉的。",
                                       en="this takes the removals of every reason; the "
                                          "question keeps those removed as ads."))
def any_reason_median_removal_before(data) -> float:
    return float(_removal_minutes(data, reason=None).median())


def _recall(data, after: bool = True) -> float:
    m = _messages(data)
    m = m[m["removed"] & (m["after"] == after)]
    return float((m["flag"] != "").mean())


@question("q4_rules_recall_after", "03_community", rate=True, tolerance=0.003,
          prompt=Text(zh="{s.moderation.rule_change} 及以后发出、被管理员删掉的消息里，有多大比例被"
                         "Q2 的规则集判为违规（任意一类，含刷屏）？也就是规则集对“管理员认定的违规”"
                         "的召回率。用 0–1 之间的小数作答。",
                      en="Of the messages sent on or after {s.moderation.rule_change} that "
                         "admins removed, what share does the rule set of Q2 flag (any kind, "
                         "flooding included)? This is the rules' recall on what admins "
                         "judged a violation. Give a fraction between 0 and 1."),
          hint=Text(zh="召回率的分母是“真的违规”——这里拿管理员删掉的消息当作真的；分子是其中规则"
                       "也判出来的，刷屏判出来的也算。别把分母和分子弄反。",
                    en="recall divides by the true violations — here the messages admins "
                       "removed — and counts those the rules flag too, flooding included. "
                       "Mind which is the denominator."))
def rules_recall_after(data) -> float:
    return _recall(data)


@rules_recall_after.mistake(Text(
    zh="这里只用了 group_rules.json 里的关键词规则，漏了刷屏：刷屏不是关键词，要按发送人和时间去数。"
       "题目要任意一类，含刷屏。",
    en="this uses the patterns of group_rules.json only and leaves flooding out: flooding "
       "is no keyword, it is counted by sender and time. The question takes any kind, "
       "flooding included."))
def rules_recall_after_without_flood(data) -> float:
    m = _messages(data)
    m = m[m["removed"] & m["after"]]
    return float(m["flag"].isin(list(_rules())).mean())


@rules_recall_after.mistake(Text(zh="这是群规升级之前的召回率；题目看升级当天及以后发出的消息。",
                                 en="this is the recall before the upgrade; the question "
                                    "keeps messages sent on or after it."))
def rules_recall_before(data) -> float:
    return _recall(data, after=False)


# ---------------------------------------------------------------- the check-in challenge


def _checkin_share(data, longest: bool = False, all_members: bool = False) -> float:
    lo, hi = _challenge(data)
    d = data["community_daily"]
    d = _between(d[d["group_id"].isin(CHALLENGE_GROUPS) & (d["checkins"] > 0)], "date", lo, hi)
    days = d[["group_id", "user_id", "date"]].drop_duplicates()
    days = days.sort_values(["group_id", "user_id", "date"])
    if longest:      # the longest run of consecutive days
        step = days.groupby(["group_id", "user_id"])["date"].diff().dt.days != 1
        run = step.cumsum()
        per = days.groupby(run).agg(group_id=("group_id", "first"),
                                    user_id=("user_id", "first"), n=("date", "size"))
        per = per.groupby(["group_id", "user_id"])["n"].max()
    else:
        per = days.groupby(["group_id", "user_id"]).size()
    if all_members:
        m = data["community_members"]
        m = _present(m[m["group_id"].isin(CHALLENGE_GROUPS)], lo, hi)
        return float((per >= 7).sum() / len(m[["group_id", "user_id"]].drop_duplicates()))
    return float((per >= 7).mean())


@question("q5_challenge_checkin_days", "03_community", rate=True, tolerance=0.001,
          prompt=Text(zh="四个挑战群（g02、g05、g07、g08）：挑战期间（{s.community.challenge[0]} 至 "
                         "{s.community.challenge[1]}）至少打过一次卡（checkins 大于 0）的成员中，"
                         "有多大比例在这段时间里累计打卡 7 天或以上（不要求连续）？用 0–1 之间的"
                         "小数作答。",
                      en="In the four challenge groups (g02, g05, g07, g08): of the members "
                         "who checked in (checkins > 0) at least once during the challenge "
                         "({s.community.challenge[0]} … {s.community.challenge[1]}), what "
                         "share checked in on 7 or more different days in that span (not "
                         "necessarily in a row)? Give a fraction between 0 and 1."),
          hint=Text(zh="只留挑战群、挑战期内、打了卡的行，按成员数不同的打卡日期；分母是这些打过卡的"
                       "成员，分子是其中天数够 7 天的。",
                    en="keep the rows of the challenge groups, in the challenge, with a "
                       "check-in; count each member's distinct check-in days. The "
                       "denominator is these members, the numerator those with 7 days or "
                       "more."))
def challenge_checkin_days(data) -> float:
    return _checkin_share(data)


@challenge_checkin_days.mistake(Text(
    zh="这里数的是最长连续打卡天数（连续 7 天）；题目问的是累计打卡天数，中间断过也算。",
    en="this counts the longest run of consecutive days; the question counts check-in "
       "days in all, with gaps allowed."))
def challenge_streak_7(data) -> float:
    return _checkin_share(data, longest=True)


@challenge_checkin_days.mistake(Text(
    zh="分母用了挑战期间全部在群的成员；题目的分母只是打过卡的成员。",
    en="the denominator is every member present in the challenge; the question divides "
       "by the members who checked in."))
def challenge_checkin_days_all_members(data) -> float:
    return _checkin_share(data, all_members=True)


# ---------------------------------------------------------------- selection bias


def _followed(data) -> pd.DataFrame:
    """Users whose day 60 after signup is in the data: channel, active days on days 1…7
    (capped at 5) and whether active on any day 31…60."""
    u = data["users"]
    e = data["events"]
    act = pd.DataFrame({"user_id": e["user_id"].to_numpy(),
                        "day": e["event_time"].dt.normalize().to_numpy()}).drop_duplicates()
    act = act.merge(u[["user_id", "signup_time"]], on="user_id")
    act["offset"] = (act["day"] - act["signup_time"].dt.normalize()).dt.days
    seen = u["signup_time"].dt.normalize() + pd.Timedelta(days=60) <= act["day"].max()
    u = u.loc[seen, ["user_id", "channel"]].copy()
    early = act[act["offset"].between(1, 7)].groupby("user_id").size()
    late = set(act.loc[act["offset"].between(31, 60), "user_id"])
    u["early"] = u["user_id"].map(early).fillna(0).clip(upper=5)
    u["retained"] = u["user_id"].isin(late).astype(float)
    u["channel"] = u["channel"].astype(str)
    return u


def _gap(data, group_type: str | None = "interest", exact: bool = True) -> float:
    """Member − non-member retention; members of `group_type` (None: any group)."""
    m = data["community_members"]
    if group_type is not None:
        m = m[m["group_type"] == group_type]
    u = _followed(data)
    u["member"] = u["user_id"].isin(m["user_id"])
    if not exact:
        rate = u.groupby("member")["retained"].mean()
        return float(rate[True] - rate[False])
    s = u.groupby(["channel", "early", "member"])["retained"].agg(["mean", "size"])
    s = s.unstack("member").dropna()
    w = s[("size", True)]
    return float(((s[("mean", True)] - s[("mean", False)]) * w).sum() / w.sum())


@question("q6_interest_exact_gap", "03_community", rate=True, signed=True, tolerance=0.003,
          prompt=Text(zh="按正文的精确匹配比较成员和非成员的留存，但这次只把兴趣群（group_type 为 "
                         "interest）的成员算作成员，其余的人（包括其他群的成员）都算非成员。只看"
                         "注册后第 60 天已在数据里的用户；留存 = 注册后第 31–60 天有任意一天活跃；"
                         "分层 = 注册渠道 × 注册后第 1–7 天的活跃天数（超过 5 天按 5 天算）。只用成员和"
                         "非成员都有的层，两组各自的留存率按每层的成员人数加权平均，再相减。成员减"
                         "非成员是多少？写成小数（例如 0.05 表示高 5 个百分点，可以是负数）。",
                      en="Compare member and non-member retention with the lesson's exact "
                         "matching, but count only the interest-group members (group_type "
                         "interest) as members; everyone else, members of other groups "
                         "included, is a non-member. Keep the users whose day 60 after "
                         "signup is in the data; retained = active on any day 31…60 after "
                         "signup; strata = signup channel × active days on days 1…7 (capped "
                         "at 5). Using the strata that have both members and non-members, "
                         "average each side's retention over them weighted by the stratum's "
                         "members, then subtract. What is member − non-member? Answer as a "
                         "fraction (0.05 means 5 points higher; it may be negative)."),
          hint=Text(zh="活跃按自然日算，天数用日期相减。先给每个用户算好渠道、首周活跃天数和是否留存，"
                       "再按渠道和首周活跃天数分层；每层求两组的留存率，去掉只有一组的层，用每层的"
                       "成员人数当权重。",
                    en="active means any event on a calendar day; count days by subtracting "
                       "dates. Give every user a channel, first-week active days and "
                       "retained first, then form the strata by channel and first-week "
                       "days; take both sides' rates per stratum, drop the strata with one "
                       "side only, and weight by the stratum's members."))
def interest_exact_gap(data) -> float:
    return _gap(data)


@interest_exact_gap.mistake(Text(
    zh="这是直接对比的差距，没有分层：本来就活跃的人更爱进群，这个差距里混着选择偏差。",
    en="this is the naive gap, without strata: engaged users join groups more, so it "
       "mixes selection with the group's effect."))
def interest_naive_gap(data) -> float:
    return _gap(data, exact=False)


@interest_exact_gap.mistake(Text(
    zh="这里把所有群的成员都算成了成员；题目只把兴趣群（interest）的成员算作成员。",
    en="this counts the members of every group as members; the question counts the "
       "interest groups' members only."))
def all_groups_exact_gap(data) -> float:
    return _gap(data, group_type=None)


# ---------------------------------------------------------------- KOC


def _koc(data) -> pd.DataFrame:
    """Per group member: referral signups, replies received, messages, influence."""
    ids = data["community_members"]["user_id"].drop_duplicates()
    refs = data["users"]["referrer_id"].dropna().astype("int64").value_counts()
    talk = data["community_daily"].groupby("user_id")[["messages", "replies_received"]].sum()
    k = pd.DataFrame({"user_id": ids.to_numpy()})
    k["referral_signups"] = k["user_id"].map(refs).fillna(0)
    k = k.join(talk, on="user_id").fillna({"messages": 0, "replies_received": 0})
    ranks = [k[c].rank(pct=True) for c in ("referral_signups", "replies_received", "messages")]
    k["influence"] = sum(ranks) / 3
    return k


def _without_referral(k: pd.DataFrame, by: str | None) -> int:
    """Members without a referral signup among the KOC_TOP first by `by` (None: in the
    order of the lesson's table, referral signups first). Ties keep the table's order,
    as `nlargest` on the lesson's table does."""
    k = k.sort_values(["referral_signups", "influence"], ascending=False, kind="stable")
    top = k.head(KOC_TOP) if by is None else k.nlargest(KOC_TOP, by)
    return int((top["referral_signups"] == 0).sum())


@question("q7_koc_influential_without_referral", "03_community", tolerance=0,
          prompt=Text(zh=f"按正文 KOC 排名的影响力（邀请注册数、收到的回复数、消息数各自在全部社群成员里"
                         f"求百分位排名——pandas 的 `rank(pct=True)`，并列取平均——三个排名再取平均）："
                         f"影响力最高的 {KOC_TOP} 名成员中，有多少人一个邀请注册都没有带来？答人数。",
                      en=f"With the influence of the lesson's KOC ranking (the percentile ranks "
                         f"over all group members — pandas `rank(pct=True)`, ties averaged — "
                         f"of referral signups, replies received and messages, averaged): "
                         f"among the {KOC_TOP} members with the highest influence, how many "
                         f"brought no referral signup at all? Answer a number of members."),
          hint=Text(zh="邀请注册数是 users 里 referrer_id 等于该成员的注册数，回复数和消息数是 "
                       "community_daily 里全部日子加总；没有记录的成员按 0 算，也要参与排名。"
                       "按影响力排好再取前面的人：正文的排名表默认先按邀请数排，不是按影响力。",
                    en="referral signups are the users whose referrer_id is the member; "
                       "replies and messages are summed over every day of community_daily; "
                       "members with no rows count as 0 and are ranked too. Sort by "
                       "influence before taking the top: the lesson's table is ordered by "
                       "referrals first, not by influence."))
def koc_influential_without_referral(data) -> int:
    return _without_referral(_koc(data), "influence")


@koc_influential_without_referral.mistake(Text(
    zh=f"这是按消息数排的前 {KOC_TOP} 名：话多的人不一定能带来新人，影响力把三个指标的排名平均，"
       "正是为了不让一个话痨排到前面。",
    en=f"this takes the top {KOC_TOP} by messages only: the chattiest members need not "
       "bring anyone in; influence averages three ranks so that one chatty member does "
       "not top the list."))
def koc_by_messages(data) -> int:
    return _without_referral(_koc(data), "messages")


@koc_influential_without_referral.mistake(Text(
    zh=f"这是按收到的回复数排的前 {KOC_TOP} 名；题目按影响力（三个排名的平均）排。",
    en=f"this takes the top {KOC_TOP} by replies received only; the question ranks by "
       "influence (the mean of the three ranks)."))
def koc_by_replies(data) -> int:
    return _without_referral(_koc(data), "replies_received")


@koc_influential_without_referral.mistake(Text(
    zh=f"这是直接取了正文排名表的前 {KOC_TOP} 行：那张表先按邀请注册数排，前面的人当然都带来过"
       "新人。要先按影响力排序再取。",
    en="this takes the first rows of the lesson's ranking table as it comes: it is "
       "ordered by referral signups first, so everyone at the top brought someone. Sort "
       "by influence first."))
def koc_table_order(data) -> int:
    return _without_referral(_koc(data), None)


# ---------------------------------------------------------------- the private-domain pool


def _cost_per_order(data, heavy_only: bool = True, kinds: tuple[str, ...] = ("moments",)
                    ) -> float:
    p = data["pool_pushes"]
    week = p["sent_time"].dt.to_period("W").dt.start_time        # Monday
    wide = p["kind"].isin(POOL_WIDE)
    per_week = week[wide].value_counts()
    keep = p["kind"].isin(kinds)
    if heavy_only:
        keep &= week.map(per_week).fillna(0) >= 3
    p = p[keep]
    return float(p["cost"].sum() / p["orders"].sum())


@question("q8_moments_cost_per_order_heavy", "03_community", tolerance=0.05,
          prompt=Text(zh="私域触达：按周一到周日分周，把全量推送（朋友圈 moments 和群发 "
                         "group_broadcast）有 3 条及以上的周挑出来。这些周里发的朋友圈"
                         "（moments），每单成本（成本之和 ÷ 订单数之和）是多少元？",
                      en="Pushes to the pool: split time into Monday–Sunday weeks and pick "
                         "the weeks that held 3 or more pool-wide pushes (moments and "
                         "group_broadcast). For the moments pushes sent in those weeks, "
                         "what is the cost per order (Σ cost / Σ orders), in CNY?"),
          hint=Text(zh="先按周数全量推送的条数（1 对 1 不算），定下是哪几周；再在这些周里只留朋友圈，"
                       "成本和订单各自加总后相除，不要把每条的每单成本求平均。",
                    en="first count the pool-wide pushes per week (one-to-one messages do "
                       "not count) to know which weeks; then keep the moments pushes of "
                       "those weeks, add up cost and orders, and divide — not the mean of "
                       "each push's cost per order."))
def moments_cost_per_order_heavy(data) -> float:
    return _cost_per_order(data)


@moments_cost_per_order_heavy.mistake(Text(zh="这是全部周的朋友圈每单成本；题目只看全量推送 3 条及以上的周。",
                                           en="this is the moments' cost per order over "
                                              "every week; the question keeps the weeks "
                                              "with 3 or more pool-wide pushes."))
def moments_cost_per_order_all_weeks(data) -> float:
    return _cost_per_order(data, heavy_only=False)


@moments_cost_per_order_heavy.mistake(Text(zh="这里把群发也算了进去；题目只算这些周里的朋友圈。",
                                           en="this adds the group broadcasts; the question "
                                              "keeps the moments pushes of those weeks."))
def pool_wide_cost_per_order_heavy(data) -> float:
    return _cost_per_order(data, kinds=POOL_WIDE)


def _june_pushes(data) -> pd.DataFrame:
    p = data["pool_pushes"]
    return p[(p["sent_time"].dt.year == 2026) & (p["sent_time"].dt.month == 6)]


@question("q9_pool_unsubscribes_june", "03_community", tolerance=0.05,
          prompt=Text(zh="2026 年 6 月发出的全部私域推送合在一起：每触达 1,000 个联系人，有多少人删了"
                         "我们（1000 × 删除数之和 ÷ 触达人数之和）？",
                      en="Pooled over every push to the pool sent in June 2026: how many "
                         "contacts unsubscribed per 1,000 reached (1000 × Σ unsubscribes / "
                         "Σ audience)?"),
          hint=Text(zh="把 6 月各条推送的删除数和触达人数分别加总再相除；每条推送的比率直接平均，会让"
                       "触达人数少的 1 对 1 消息和整池推送一样重。",
                    en="add up June's unsubscribes and audiences, then divide; averaging "
                       "each push's rate would weigh a small one-to-one message as much as "
                       "a push to the whole pool."))
def pool_unsubscribes_june(data) -> float:
    p = _june_pushes(data)
    return float(1000 * p["unsubscribes"].sum() / p["audience"].sum())


@pool_unsubscribes_june.mistake(Text(zh="这是各条推送比率的平均；题目要合在一起算：删除数之和除以触达人数之和。",
                                     en="this is the mean of the pushes' rates; the question "
                                        "pools them: Σ unsubscribes / Σ audience."))
def pool_unsubscribes_june_mean_rate(data) -> float:
    p = _june_pushes(data)
    return float((1000 * p["unsubscribes"] / p["audience"]).mean())


@pool_unsubscribes_june.mistake(Text(zh="这是每 100 人的数；题目问每 1,000 人。",
                                     en="this is per 100 contacts; the question asks per "
                                        "1,000."))
def pool_unsubscribes_june_per_100(data) -> float:
    p = _june_pushes(data)
    return float(100 * p["unsubscribes"].sum() / p["audience"].sum())


# ---------------------------------------------------------------- decisions


@question("q10_rules_next_step", "03_community", kind="open",
          prompt=Text(zh="{s.moderation.rule_change} 的群规升级上线一个月了。组长问你：管用吗？下一步改什么？"
                         "写四到五句话，带上数字。",
                      en="The 群规 upgrade of {s.moderation.rule_change} is a month old. Your "
                         "lead asks: did it work, and what do we change next? Four or five "
                         "sentences, with the numbers."),
          hint=Text(zh="前后比较要用同一把尺子：规则判出的违规，而不是管理员删了多少。再把规则判的和"
                       "管理员删的交叉对一对，看规则漏了什么、错判了什么。",
                    en="compare before with after on one fixed yardstick, the rule flags, "
                       "not what admins removed. Then cross the rule flags with the admins' "
                       "removal reasons: what do the rules miss, and what do they flag "
                       "wrongly?"),
          selfcheck=(Text(zh="我用规则判出的违规（每千条消息）比较了升级前后，并说明了为什么不用管理员的删除数。",
                          en="I compared violations per 1,000 messages before and after, "
                             "measured by the rule flags, and said why not by the admins' "
                             "removals."),
                     Text(zh="我给出了删除变快、删得更全的数字（删除时间中位数、违规被删的比例）。",
                          en="I gave the numbers for faster and fuller removal (median "
                             "minutes to removal, share of violations removed)."),
                     Text(zh="我举了规则漏判和错判的例子，并各提了一条改法，还说了改完怎么量。",
                          en="I named what the rules miss and what they flag wrongly, with "
                             "one change for each, and how I would measure after the "
                             "change."),
                     Text(zh="我说明了前后对比不是实验，还有别的原因会让数字变化。",
                          en="I said a before/after comparison is not an experiment and "
                             "named what else could move the numbers.")),
          rubric=(Text(zh="管用：按同一套规则量，违规从每千条约 180 条降到约 94 条；不能用管理员删了多少来比，"
                          "删除的标准跟着群规一起变了（1 分）",
                       en="it worked: on the fixed rule yardstick, violations fell from about "
                          "180 to about 94 per 1,000 messages; admins' removals cannot measure "
                          "it, since what they remove changed with the rules (1 point)"),
                  Text(zh="处理也更快更全：删除时间中位数从约 179 分钟降到约 14 分钟，违规被删的比例从约 0.57 "
                          "升到约 0.86（1 分）",
                       en="moderation got faster and fuller: the median minutes to removal "
                          "fell from about 179 to about 14, and the share of violations "
                          "removed rose from about 0.57 to about 0.86 (1 point)"),
                  Text(zh="下一步改规则：管理员删掉的消息里，规则漏判了约 17%（升级前约五分之一），多是变着"
                          "花样写的（谐音、加空格、💚信、卫星号、全角的 ｔ．ｃｎ），要补这些变体的写法；"
                          "又错判了正常聊天（怎么加VIP会员群、618清仓价还有吗、我们自己的 chayu.com），"
                          "要把自家域名加白名单、规则判出的先由人看一眼；每改一次规则，都在一份人工标注的"
                          "样本上重新量召回率和精确率（1 分）",
                       en="next, the rules: they miss about 17 % of what admins removed "
                          "(about a fifth before the change), mostly disguised spam (谐音, "
                          "spaces, 💚信, 卫星号, full-width ｔ．ｃｎ), so add patterns for "
                          "the disguises; they flag innocent chat (怎么加VIP会员群, 618清仓价还有吗, "
                          "our own chayu.com), so whitelist our domain and keep a human check "
                          "on flags; after each rule change re-measure recall and precision "
                          "on a labelled sample (1 point)"),
                  Text(zh="说明局限：前后对比不是实验，季节、新进群的人、活动节奏都可能让违规变化，"
                          "下降不能全算在群规头上（1 分）",
                       en="states the limit: a before/after comparison is not an experiment; "
                          "the season, new members and the campaign calendar could move "
                          "violations too, so not all of the fall belongs to the rules "
                          "(1 point)")))
def rules_next_step(data):
    return None


@question("q11_pool_vs_paid", "03_community", kind="open",
          prompt=Text(zh="老板说：企业微信私域推送每单成本大约 5.75 元，付费渠道要 29 元左右——把付费预算的"
                         "20% 挪到推送上。你怎么回？写四到五句话。",
                      en="Your boss: a push to our WeCom pool costs about 5.75 CNY per order, "
                         "paid channels about 29 — move 20 % of the paid budget into pushes. "
                         "Answer in four or five sentences."),
          hint=Text(zh="想一想池子里的人是从哪里来的、推送触达的是谁，推送带来的订单里有多少本来就会发生；"
                       "再看池子有多大、推得越勤会怎样。",
                    en="ask where the pool's contacts came from and whom a push reaches, and "
                       "how many of the orders credited to a push would have happened "
                       "anyway; then how big the pool is and what pushing more often does "
                       "to it."),
          selfcheck=(Text(zh="我说明了两个每单成本不能直接比：推送触达的是已经买过、进过群的老客，付费渠道买的是新客。",
                          en="I said why the two costs per order do not compare: pushes "
                             "reach customers already won, paid channels buy new ones."),
                     Text(zh="我指出推送带来的订单有一部分本来就会发生，并提出用对照组（holdout）来量。",
                          en="I said part of the orders credited to pushes would have "
                             "happened anyway, and proposed a holdout to measure it."),
                     Text(zh="我用数字说明了池子的大小和推送疲劳（打开率、删除率随每周推送次数的变化）。",
                          en="I gave numbers for the pool's size and for push fatigue (open "
                             "and unsubscribe rates by pushes per week)."),
                     Text(zh="我提出了钱更好的用法，并给出推送频率的上限。",
                          en="I proposed a better use of the money and a cap on how often "
                             "to push.")),
          rubric=(Text(zh="两个数不能比：池子里是已经争取到的人（联系人约一半来自社群，其余来自订单页和包裹卡），"
                          "推送触达的是老客，不带来新客；付费渠道的钱买的是拉新，两个每单成本说的不是同一件事"
                          "（1 分）",
                       en="the two do not compare: the pool is people already won (about half "
                          "its contacts came from the groups, the rest from the order page and "
                          "package cards); pushes reach existing customers and acquire no "
                          "one, while paid channels buy new ones, so the two costs per order "
                          "do not measure the same thing (1 point)"),
                  Text(zh="算在推送头上的订单，有一部分不推也会下；要留一个不推送的对照组（holdout）量出"
                          "真正多出来的订单，再算每单成本（1 分）",
                       en="orders credited to a push would partly have happened anyway; keep "
                          "a holdout that gets no push to measure the extra orders before "
                          "pricing them (1 point)"),
                  Text(zh="池子小，而且会推疲：6 月 30 日只有约 2,970 个联系人；一周全量推送 3 条及以上时打开率"
                          "约 0.28，只推 1 条时约 0.43，每千人删除约 6 人，只推 1 条时约 2 人；多塞预算只会把"
                          "池子推薄（1 分）",
                       en="the pool is small and wears out: about 2,970 contacts on 06-30; "
                          "weeks with 3 or more pool-wide pushes have an open rate of about "
                          "0.28 against about 0.43 with one, and about 6 unsubscribes per "
                          "1,000 against about 2; more budget would only push it thinner "
                          "(1 point)"),
                  Text(zh="钱更好的用法：把池子做大（包裹卡、订单页引导加企业微信），全量推送每周不超过 2 条"
                          "（1 分）",
                       en="the better use of the money: grow the pool (package cards, the "
                          "order page) and keep pool-wide pushes to 2 a week at most "
                          "(1 point)")))
def pool_vs_paid(data):
    return None
