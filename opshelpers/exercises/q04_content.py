"""Questions of 04_content: like and share rates pooled the right way, the two content
tests (the title A/B and the posting-time test), criticised posts and the comments under
them, the 舆情 alarm on brand mentions against a fixed daily rule, the viral post, the
posting rhythm, advertising-law words in titles, and two decisions (answering the
Douyin burst, moving every Douyin video to 20:00).

The solvers are plain pandas / numpy / scipy (the packaged `themes.json` and `adlaw.json`
read as data): an independent computation that `opshelpers.content`,
`opshelpers.community` and `opshelpers.experiments` are checked against, never a call
to them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import poisson

from ..i18n import Text
from . import question

PACKAGE = Path(__file__).resolve().parent.parent
THEMES_FILE = PACKAGE / "themes.json"
ADLAW_FILE = PACKAGE / "adlaw.json"
OURS = "chayu"                   # our own account in posts
MIN_COMMENTS = 10                # q5, q6: posts with at least this many comments
NEGATIVE_SHARE = 0.25            # q5: … and at least this share of negative comments
CRITICISED_SHARE = 0.5           # q6: the criticised posts (挨骂的帖子)
ALARM = {"baseline": pd.Timedelta(days=7), "p_value": 1e-6, "min_count": 8, "floor": 0.5}
DAILY_RULE = 6                   # q8: the fixed rule, negative mentions a day
BURST_DAYS = 4                   # q8: the onset day and the three days after it
Q2 = (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-07-01"))    # [start, end)
DAY = pd.Timedelta(days=1)
HOUR = pd.Timedelta(hours=1)

# ---------------------------------------------------------------- shared pieces


def _ours(data) -> pd.DataFrame:
    p = data["posts"]
    return p[p["account"] == OURS]


def _pooled(df: pd.DataFrame, num: str, den: str) -> float:
    return float(df[num].sum() / df[den].sum())


def _words(kind: str) -> list[str]:
    """The lower-cased `negative` or `positive` words of themes.json, longest first."""
    words = json.loads(THEMES_FILE.read_text(encoding="utf-8"))[kind]
    return sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))


def _sentiment(texts: pd.Series) -> pd.Series:
    """Positive − negative word hits: negative words first, longest first, each hit
    replaced by a space so a stretch of text counts once (不划算 is not also 划算)."""
    lists = ((_words("negative"), -1), (_words("positive"), 1))

    def one(s: str) -> int:
        score = 0
        for words, sign in lists:
            for w in words:
                if w in s:
                    score += sign * s.count(w)
                    s = s.replace(w, " ")
        return score

    return texts.fillna("").astype(str).str.lower().apply(one)


# ---------------------------------------------------------------- rates


@question("q1_yeya_like_rate", "04_content", rate=True, tolerance=0.0001,
          prompt=Text(zh="竞品 `{s.content.competitor_names[1]}` 在小红书上的整体点赞率是多少？"
                         "用 `posts` 表，整体点赞率 = 它所有小红书内容的点赞数之和 ÷ 阅读数之和。"
                         "用 0–1 之间的小数作答，保留四位小数。",
                      en="What is `{s.content.competitor_names[1]}`'s pooled like rate on "
                         "Xiaohongshu? From `posts`: the likes of all its Xiaohongshu posts "
                         "added up, divided by their reads added up. Give a fraction "
                         "between 0 and 1, to four decimals."),
          hint=Text(zh="先筛出这个账号、平台是小红书的内容，再分别把点赞和阅读加总后相除。"
                       "整体的比率是总数相除，不是每篇算一个比率再平均；分母是阅读，不是曝光。",
                    en="keep that account's posts on platform xiaohongshu, add up the likes "
                       "and the reads separately, then divide. A pooled rate divides the "
                       "totals; it is not the mean of each post's rate. The denominator is "
                       "reads, not impressions."))
def yeya_like_rate(data) -> float:
    p = data["posts"]
    rival = data.scenario.content.competitor_names[1]
    return _pooled(p[(p["account"] == rival) & (p["platform"] == "xiaohongshu")],
                   "likes", "reads")


@yeya_like_rate.mistake(Text(zh="这是每篇点赞率（点赞 ÷ 阅读）的平均数：阅读少的笔记和爆款笔记权重一样。"
                                "题目要的是整体点赞率，先加总再相除。",
                             en="this is the mean of each post's likes / reads, which "
                                "weighs a note few people read like a hit. The question "
                                "asks for the pooled rate: add up first, then divide."))
def yeya_mean_of_post_rates(data) -> float:
    p = data["posts"]
    rival = data.scenario.content.competitor_names[1]
    x = p[(p["account"] == rival) & (p["platform"] == "xiaohongshu")]
    return float((x["likes"] / x["reads"]).mean())


@yeya_like_rate.mistake(Text(zh="分母用了曝光量；点赞率按阅读算（看过内容的人里有多少点了赞）。",
                             en="the denominator is impressions; the like rate is per read "
                                "(of the people who opened the post, how many liked it)."))
def yeya_likes_per_impression(data) -> float:
    p = data["posts"]
    rival = data.scenario.content.competitor_names[1]
    return _pooled(p[(p["account"] == rival) & (p["platform"] == "xiaohongshu")],
                   "likes", "impressions")


@yeya_like_rate.mistake(Text(zh="这里把这个竞品在所有平台的内容都算进来了；题目只看小红书。",
                             en="this pools the competitor's posts on every platform; the "
                                "question keeps Xiaohongshu."))
def yeya_all_platforms(data) -> float:
    p = data["posts"]
    return _pooled(p[p["account"] == data.scenario.content.competitor_names[1]],
                   "likes", "reads")


def _health_over_promo(posts: pd.DataFrame, pooled: bool = True) -> float:
    def rate(topic: str) -> float:
        x = posts[posts["topic"] == topic]
        return _pooled(x, "shares", "reads") if pooled else float(
            (x["shares"] / x["reads"]).mean())
    return rate("tea_health") / rate("promotion")


@question("q2_douyin_health_vs_promo", "04_content", tolerance=0.02,
          prompt=Text(zh="我们自己（chayu）在抖音发的内容里，养生选题（topic 为 tea_health）的分享率是促销选题"
                         "（promotion）的多少倍？用 `posts` 表，分享率按整体算：分享数之和 ÷ 阅读数之和。"
                         "答倍数（比如 1.5）。",
                      en="On our own (chayu) Douyin posts, the share rate of topic "
                         "tea_health is how many times that of topic promotion? From "
                         "`posts`, each share rate pooled: shares added up / reads added "
                         "up. Answer the ratio (e.g. 1.5)."),
          hint=Text(zh="先只留我们自己账号、平台是抖音的内容，再按选题分两组，各自把分享和阅读加总后"
                       "相除，最后养生的除以促销的。",
                    en="keep our own account's posts on platform douyin, split them by the "
                       "two topics, add up shares and reads within each and divide, then "
                       "divide tea_health's rate by promotion's."))
def douyin_health_vs_promo(data) -> float:
    o = _ours(data)
    return _health_over_promo(o[o["platform"] == "douyin"])


@douyin_health_vs_promo.mistake(Text(zh="这是两组每篇分享率平均数的比值；题目要的是整体分享率（先加总再相除）"
                                        "的比值。",
                                     en="this divides the means of each post's share "
                                        "rate; the question divides the pooled rates "
                                        "(add up first, then divide)."))
def douyin_health_vs_promo_mean_rates(data) -> float:
    o = _ours(data)
    return _health_over_promo(o[o["platform"] == "douyin"], pooled=False)


@douyin_health_vs_promo.mistake(Text(zh="这里用了我们所有平台的内容；题目只看抖音。",
                                     en="this takes our posts on every platform; the "
                                        "question keeps Douyin."))
def health_vs_promo_all_platforms(data) -> float:
    return _health_over_promo(_ours(data))


@douyin_health_vs_promo.mistake(Text(zh="这里把竞品账号的抖音内容也算进来了；题目只看我们自己的账号。",
                                     en="this includes the competitors' Douyin posts; the "
                                        "question keeps our own account."))
def health_vs_promo_all_accounts(data) -> float:
    p = data["posts"]
    return _health_over_promo(p[p["platform"] == "douyin"])


# ---------------------------------------------------------------- the two content tests


def _test(data, test_id: str) -> pd.DataFrame:
    c = data["content_tests"]
    return c[c["test_id"] == test_id]


def _read_rate(df: pd.DataFrame) -> pd.Series:
    """Pooled reads / impressions per variant."""
    g = df.groupby("variant")[["reads", "impressions"]].sum()
    return g["reads"] / g["impressions"]


def _title_first_days(data, days: int | None = 3) -> pd.DataFrame:
    t = _test(data, "title_ab")
    if days is None:
        return t
    return t[t["date"] < t["date"].min() + days * DAY]


@question("q3_title_lift_first3", "04_content", rate=True, signed=True, tolerance=0.002,
          prompt=Text(zh="文案 A/B 测试（`content_tests` 表里 test_id 为 title_ab）只看头 3 天"
                         "（{s.content_tests.title_start} 起的 3 天）：带数字的标题（B 组）的阅读率比普通标题"
                         "（A 组）相对高了多少？阅读率 = 这几天的阅读数之和 ÷ 曝光数之和，相对提升 = "
                         "B 的阅读率 ÷ A 的阅读率 − 1。用小数作答（0.1 表示高 10%）。",
                      en="The title A/B test (test_id title_ab in `content_tests`), its "
                         "first 3 days only (3 days from {s.content_tests.title_start}): by "
                         "how much, relatively, is the read rate of the title with a "
                         "number (variant B) above the plain title's (A)? Read rate = "
                         "those days' reads added up / impressions added up; relative "
                         "lift = B's read rate / A's − 1. Answer as a fraction (0.1 "
                         "means 10 % higher)."),
          hint=Text(zh="从测试的第一天起数 3 天，只留这几天的数据；每组把阅读和曝光分别加总再相除，"
                       "然后用 B 除以 A 再减 1。问的是相对提升，不是两个阅读率相减。",
                    en="count 3 days from the test's first day and keep those rows; in "
                       "each variant add up reads and impressions and divide, then take B "
                       "over A minus 1. It asks for the relative lift, not the difference "
                       "of the two rates."))
def title_lift_first3(data) -> float:
    r = _read_rate(_title_first_days(data))
    return float(r["B"] / r["A"] - 1)


@title_lift_first3.mistake(Text(zh="这是整个测试（全部 7 天）的相对提升；题目只看头 3 天。",
                                en="this is the lift over the whole test (all 7 days); "
                                   "the question keeps the first 3."))
def title_lift_all_days(data) -> float:
    r = _read_rate(_title_first_days(data, days=None))
    return float(r["B"] / r["A"] - 1)


@title_lift_first3.mistake(Text(zh="这是两个阅读率相减的差（绝对差，单位是百分点）；题目问的是相对提升："
                                   "B ÷ A − 1。",
                                en="this subtracts the two read rates (an absolute "
                                   "difference, in percentage points); the question asks "
                                   "for the relative lift B / A − 1."))
def title_absolute_difference(data) -> float:
    r = _read_rate(_title_first_days(data))
    return float(r["B"] - r["A"])


@title_lift_first3.mistake(Text(zh="这是每天各算一个相对提升再取平均：推送后头一天的曝光最多，却和后面曝光很少的"
                                   "日子权重一样。先把 3 天的阅读和曝光加总，再比。",
                                en="this averages a lift per day, which weighs the day "
                                   "after the push, with most of the impressions, like "
                                   "the quiet days after it. Add up the 3 days' reads and "
                                   "impressions first, then compare."))
def title_mean_daily_lift(data) -> float:
    t = _title_first_days(data)
    g = t.groupby(["date", "variant"])[["reads", "impressions"]].sum()
    daily = (g["reads"] / g["impressions"]).unstack("variant")
    return float((daily["B"] / daily["A"] - 1).mean())


def _weekend(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["date"].dt.day_of_week >= 5]


def _completion(df: pd.DataFrame) -> pd.Series:
    return df.groupby("variant")["completion_rate"].mean()


@question("q4_weekend_completion_diff", "04_content", rate=True, signed=True,
          tolerance=0.002,
          prompt=Text(zh="发布时间测试（`content_tests` 表里 test_id 为 post_time）只看周六和周日：20:00 发的"
                         "视频（B 组）的平均完播率比 12:00 发的（A 组）高多少？每天每组一行，对这些天的 "
                         "completion_rate 取平均，B 减 A。写成小数（可以是负数）。",
                      en="The posting-time test (test_id post_time in `content_tests`), "
                         "Saturdays and Sundays only: how much higher is the mean "
                         "completion rate of the videos posted at 20:00 (variant B) than "
                         "of those at 12:00 (A)? One row per day and variant: average "
                         "completion_rate over those days, B minus A. Answer as a fraction "
                         "(it may be negative)."),
          hint=Text(zh="按日期判断星期几，只留周末的行；两组各对完播率取平均，用 B 减 A。"
                       "问的是完播率之差，不是比值，也不是阅读率。",
                    en="find each date's weekday and keep the weekend rows; average the "
                       "completion rate per variant and subtract A from B. It asks for a "
                       "difference of completion rates, not a ratio and not the read "
                       "rate."))
def weekend_completion_diff(data) -> float:
    c = _completion(_weekend(_test(data, "post_time")))
    return float(c["B"] - c["A"])


@weekend_completion_diff.mistake(Text(zh="这是整个测试所有天的差；题目只看周六和周日。",
                                      en="this is the difference over every day of the "
                                         "test; the question keeps Saturdays and Sundays."))
def completion_diff_all_days(data) -> float:
    c = _completion(_test(data, "post_time"))
    return float(c["B"] - c["A"])


@weekend_completion_diff.mistake(Text(zh="这是相对提升 B ÷ A − 1；题目问的是两个完播率相减的差。",
                                      en="this is the relative lift B / A − 1; the "
                                         "question asks for the difference of the two "
                                         "completion rates."))
def weekend_completion_ratio(data) -> float:
    c = _completion(_weekend(_test(data, "post_time")))
    return float(c["B"] / c["A"] - 1)


@weekend_completion_diff.mistake(Text(zh="这是周末阅读率（阅读 ÷ 曝光）的差；题目问的是完播率 completion_rate。",
                                      en="this is the weekend difference of the read "
                                         "rate (reads / impressions); the question asks "
                                         "about completion_rate."))
def weekend_read_rate_diff(data) -> float:
    r = _read_rate(_weekend(_test(data, "post_time")))
    return float(r["B"] - r["A"])


# ---------------------------------------------------------------- comments


def _per_post(data, strict_neutral: bool = True) -> pd.DataFrame:
    """Per commented post: comments, negative comments, their share, and the likes of
    all and of the negative comments. A comment is negative when its sentiment < 0
    (`strict_neutral`), or ≤ 0 when not."""
    c = data["post_comments"]
    s = _sentiment(c["text"])
    neg = s < 0 if strict_neutral else s <= 0
    g = pd.DataFrame({"post_id": c["post_id"], "neg": neg, "likes": c["likes"],
                      "neg_likes": c["likes"].where(neg, 0)}).groupby("post_id")
    out = pd.DataFrame({"comments": g.size(), "negative": g["neg"].sum(),
                        "likes": g["likes"].sum(), "neg_likes": g["neg_likes"].sum()})
    out["share"] = out["negative"] / out["comments"]
    return out


def _count_negative_posts(data, min_comments: int | None = MIN_COMMENTS,
                          strict_share: bool = False, strict_comments: bool = False,
                          strict_neutral: bool = True) -> int:
    pp = _per_post(data, strict_neutral)
    keep = pp["share"] > NEGATIVE_SHARE if strict_share else pp["share"] >= NEGATIVE_SHARE
    if min_comments is not None:
        keep &= (pp["comments"] > min_comments if strict_comments
                 else pp["comments"] >= min_comments)
    return int(keep.sum())


@question("q5_posts_25pct_negative", "04_content", tolerance=0,
          prompt=Text(zh="我们自己的内容里，评论数至少 10 条的（按 `post_comments` 表数），有多少篇的负面评论"
                         "占比达到了 25%（≥ 0.25）？负面评论：用 `themes.json` 的情绪词给每条评论打分"
                         "（全部转成小写，先按负面词、再按正面词，各自从长到短，每出现一次减 1 或加 1，"
                         "数过的地方换成空格），分数小于 0 就算负面。答篇数。",
                      en="Of our own posts with at least 10 comments (counted in "
                         "`post_comments`), how many have a negative share of their "
                         "comments of at least 25 % (≥ 0.25)? A comment is negative when "
                         "its score is below 0: with the sentiment words of "
                         "`themes.json`, lower-case the text, then negative words and "
                         "then positive words, each longest first, count −1 or +1 per "
                         "occurrence and replace what was counted with a space. Answer a "
                         "number of posts."),
          hint=Text(zh="先给每条评论打分、标出负面，再按内容汇总：评论条数、负面条数和负面占比；"
                       "两个条件都是“至少”，刚好等于门槛的也算。",
                    en="score every comment and flag the negative ones, then per post: "
                       "its comments, its negative comments and their share. Both "
                       "conditions say at least, so a post exactly at a threshold "
                       "counts."))
def posts_25pct_negative(data) -> int:
    return _count_negative_posts(data)


@posts_25pct_negative.mistake(Text(zh="这里没有筛评论数：只有两三条评论的内容，一条负面就能过门槛。"
                                      "题目只看评论数至少 10 条的内容。",
                                   en="this skips the comment filter: on a post with two "
                                      "or three comments one negative comment clears the "
                                      "bar. The question keeps posts with at least 10 "
                                      "comments."))
def negative_posts_any_comments(data) -> int:
    return _count_negative_posts(data, min_comments=None)


@posts_25pct_negative.mistake(Text(zh="这里用了“大于”25%，负面占比刚好是 0.25 的内容被漏掉了；题目是“达到”，"
                                      "等于也算。",
                                   en="this takes a share above 25 %, which drops the "
                                      "posts at exactly 0.25; the question says at least, "
                                      "so equal counts."))
def negative_posts_share_above(data) -> int:
    return _count_negative_posts(data, strict_share=True)


@posts_25pct_negative.mistake(Text(zh="这里把分数等于 0 的评论（没有情绪词，或者正负抵消）也算成了负面；"
                                      "负面是分数小于 0。",
                                   en="this counts comments scoring 0 (no sentiment word, "
                                      "or as many positive as negative) as negative; "
                                      "negative means a score below 0."))
def negative_posts_zero_counted(data) -> int:
    return _count_negative_posts(data, strict_neutral=False)


def _criticised(pp: pd.DataFrame) -> pd.DataFrame:
    return pp[(pp["comments"] >= MIN_COMMENTS) & (pp["share"] >= CRITICISED_SHARE)]


@question("q6_negative_like_share", "04_content", rate=True, tolerance=0.003,
          prompt=Text(zh="挨骂的帖子：我们自己的内容里评论至少 10 条、负面评论占一半及以上的那几篇（负面的"
                         "判法和上一题一样，用 `post_comments` 表）。这几篇评论区里的点赞，有多大比例点在"
                         "负面评论上？即负面评论的点赞数之和 ÷ 这几篇全部评论的点赞数之和。用 0–1 之间的"
                         "小数作答。",
                      en="The criticised posts: our own posts with at least 10 comments of "
                         "which half or more are negative (negative as in the question "
                         "before, from `post_comments`). Of all the likes given to comments "
                         "under those posts, what share went to the negative comments — "
                         "the negative comments' likes added up / all their comments' "
                         "likes added up? Give a fraction between 0 and 1."),
          hint=Text(zh="先按内容找出这几篇挨骂的帖子，再只看它们下面的评论：负面评论的点赞加总，除以"
                       "全部评论的点赞加总。比的是点赞，不是评论条数。",
                    en="find the criticised posts first, then look only at the comments "
                       "under them: add up the negative comments' likes and divide by all "
                       "their comments' likes. It is a share of likes, not of comments."))
def negative_like_share(data) -> float:
    pp = _criticised(_per_post(data))
    return float(pp["neg_likes"].sum() / pp["likes"].sum())


@negative_like_share.mistake(Text(zh="这是这几篇帖子里负面评论占评论条数的比例；题目问的是点赞落在负面评论上的比例。",
                                  en="this is the negative share of the comments under "
                                     "those posts; the question asks for the share of "
                                     "the likes."))
def negative_comment_share(data) -> float:
    pp = _criticised(_per_post(data))
    return float(pp["negative"].sum() / pp["comments"].sum())


@negative_like_share.mistake(Text(zh="这里用了我们所有内容的评论；题目只看那几篇挨骂的帖子。",
                                  en="this takes the comments under all our posts; the "
                                     "question keeps the criticised posts."))
def negative_like_share_all_posts(data) -> float:
    pp = _per_post(data)
    return float(pp["neg_likes"].sum() / pp["likes"].sum())


# ---------------------------------------------------------------- the 舆情 alarm


def _negative_mentions(data) -> pd.DataFrame:
    m = data["brand_mentions"]
    return m[_sentiment(m["text"]) < 0]


def _alarm_times(data, window: pd.Timedelta, platform: str) -> np.ndarray:
    """Times of the negative mentions on `platform` whose window alarms: count in
    (t − window, t] against the count in the 7 days before that window scaled to the
    window (at least the floor), Poisson tail below p_value and count ≥ min_count;
    windows whose baseline starts before the first mention are not judged."""
    first = data["brand_mentions"]["created_time"].min().to_datetime64()
    neg = _negative_mentions(data)
    t = np.sort(neg.loc[neg["platform"] == platform, "created_time"].to_numpy())
    w, base = window.to_timedelta64(), ALARM["baseline"].to_timedelta64()
    opened = np.searchsorted(t, t - w, side="right")
    count = np.arange(len(t)) - opened + 1
    before = opened - np.searchsorted(t, t - w - base, side="right")
    expected = np.maximum(before * (w / base), ALARM["floor"])
    tail = poisson.sf(count - 1, expected)
    alarm = (t - w - base >= first) & (tail < ALARM["p_value"]) \
        & (count >= ALARM["min_count"])
    return t[alarm]


def _alarm_hours(data, window: pd.Timedelta, from_onset: bool = False) -> float:
    s = data.scenario.mentions
    times = _alarm_times(data, window, s.burst_platform)
    start = np.datetime64(pd.Timestamp(s.burst_start)) if from_onset else times[0]
    return float((times[-1] - start) / np.timedelta64(1, "h"))


@question("q7_alarm_hours_1h", "04_content", tolerance=0.05,
          prompt=Text(zh="正文的舆情预警规则：按平台，每来一条负面提及（时间 t），数 (t − 窗口, t] 里的负面"
                         "提及数；期望值 = 这个窗口之前 7 天的负面提及数 × 窗口 ÷ 7 天，最少按 0.5 算；"
                         "泊松分布下出现这么多条的概率 P(X ≥ 条数) 小于 1e-6、而且条数至少 8 条就报警。"
                         "7 天基线的起点早于整张 `brand_mentions` 表第一条提及的窗口不判断。负面：用 "
                         "`themes.json` 的情绪词打分，小于 0。值班同事想把窗口从 3 小时改成 1 小时。"
                         "改完以后，抖音这一轮（{s.mentions.burst_start} 开始）从第一次报警到最后一次"
                         "报警（按触发报警的那条提及的时间）相隔多少小时？答小时数，保留两位小数。",
                      en="The lesson's opinion alarm: per platform, at each negative mention "
                         "(time t) count the negative mentions in (t − window, t]; the "
                         "expected count is the negative mentions in the 7 days before "
                         "that window × window / 7 days, at least 0.5; alarm when the "
                         "Poisson chance of that many or more, P(X ≥ count), is below 1e-6 "
                         "and the count is at least 8. Windows whose 7-day baseline starts "
                         "before the first mention of the whole `brand_mentions` table are "
                         "not judged. Negative: the score from the sentiment words of "
                         "`themes.json` is below 0. The person on duty wants a 1-hour "
                         "window instead of 3 hours. With it, how many hours lie between "
                         "the first and the last alarm (the times of the mentions that "
                         "trigger them) of the Douyin burst that began at "
                         "{s.mentions.burst_start}? Answer in hours, to two decimals."),
          hint=Text(zh="先给全部提及打分、挑出负面的，只留抖音，按时间排好；对每一条，用二分查找"
                       "（或者滚动计数）数出窗口里和窗口前 7 天里的条数，算期望值和泊松上尾概率，"
                       "标出报警的那些条。起点是第一条报警，终点是最后一条报警；窗口一短，计数"
                       "掉下来得也快。",
                    en="score all mentions, keep the negative Douyin ones in time order; "
                       "for each, count (with a binary search or a rolling count) the "
                       "mentions in its window and in the 7 days before it, work out the "
                       "expected count and the Poisson upper tail, and mark the alarming "
                       "ones. Measure from the first alarm to the last; a shorter window's "
                       "count also falls back sooner."))
def alarm_hours_1h(data) -> float:
    return _alarm_hours(data, HOUR)


@alarm_hours_1h.mistake(Text(zh="这是正文 3 小时窗口的结果；题目把窗口改成了 1 小时。",
                             en="this is the lesson's 3-hour window; the question uses a "
                                "1-hour window."))
def alarm_hours_3h(data) -> float:
    return _alarm_hours(data, 3 * HOUR)


@alarm_hours_1h.mistake(Text(zh="这里从爆发开始的时刻 {s.mentions.burst_start} 算起；题目从第一次报警算起，"
                                "报警要等窗口里攒够条数才会响。",
                             en="this counts from the burst's onset, "
                                "{s.mentions.burst_start}; the question counts from the "
                                "first alarm, which waits until the window holds enough "
                                "mentions."))
def alarm_hours_from_onset(data) -> float:
    return _alarm_hours(data, HOUR, from_onset=True)


def _fixed_rule_days(data, strict: bool = False, burst_days: int | None = BURST_DAYS) -> int:
    neg = _negative_mentions(data)
    per_day = neg.groupby([neg["platform"], neg["created_time"].dt.normalize()]).size()
    alarm = per_day > DAILY_RULE if strict else per_day >= DAILY_RULE
    if burst_days:
        s = data.scenario.mentions
        onset = pd.Timestamp(s.burst_start).normalize()
        day = per_day.index.get_level_values(1)
        alarm &= ~((per_day.index.get_level_values(0) == s.burst_platform)
                   & (day >= onset) & (day < onset + burst_days * DAY))
    return int(alarm.sum())


@question("q8_fixed_rule_false_alarms", "04_content", tolerance=0,
          prompt=Text(zh="有同事提议用一条固定规则代替泊松预警：某个平台一个自然日里负面提及达到 6 条（≥ 6）"
                         "就报警（负面的判法同上一题，用 `brand_mentions` 表）。把抖音爆发那几天——"
                         "{s.mentions.burst_start} 所在的那一天和之后三天——去掉，这条规则在半年里还会"
                         "响多少次？一个平台的一天算一次，答次数。",
                      en="A colleague proposes a fixed rule instead of the Poisson alarm: "
                         "alarm when a platform has 6 or more negative mentions in a "
                         "calendar day (negative as in the question before, from "
                         "`brand_mentions`). Leaving out the Douyin burst — the day of "
                         "{s.mentions.burst_start} and the three days after it — how many "
                         "times would the rule fire over the half-year? One platform on "
                         "one day is one time; answer a count."),
          hint=Text(zh="把负面提及按平台和日期（时间取到当天 0 点）计数，留下达到门槛的平台-天，"
                       "再去掉抖音爆发的那几天。门槛是“达到”，刚好等于也算。",
                    en="count the negative mentions per platform and calendar day, keep the "
                       "platform-days at or over the bar, then drop Douyin's burst days. "
                       "At the bar counts."))
def fixed_rule_false_alarms(data) -> int:
    return _fixed_rule_days(data)


@fixed_rule_false_alarms.mistake(Text(zh="这里没有去掉抖音爆发的那几天；那是真报警，题目问的是爆发以外的误报。",
                                      en="this keeps Douyin's burst days, which are true "
                                         "alarms; the question asks for the ones outside "
                                         "the burst."))
def fixed_rule_with_burst(data) -> int:
    return _fixed_rule_days(data, burst_days=None)


@fixed_rule_false_alarms.mistake(Text(zh="这里用了“超过 6 条”；规则是达到 6 条就报警，刚好 6 条也算。",
                                      en="this takes more than 6; the rule fires at 6 or "
                                         "more, so exactly 6 counts."))
def fixed_rule_strict(data) -> int:
    return _fixed_rule_days(data, strict=True)


@fixed_rule_false_alarms.mistake(Text(zh="这里只去掉了爆发开始后的三天；爆发的尾巴拖到了第四天，那天抖音的负面"
                                         "还是平时的好几倍，也要去掉。",
                                      en="this leaves out three days only; the burst's "
                                         "tail reaches the fourth day, when Douyin's "
                                         "negative mentions are still several times the "
                                         "usual, so leave it out too."))
def fixed_rule_three_burst_days(data) -> int:
    return _fixed_rule_days(data, burst_days=3)


# ---------------------------------------------------------------- the viral post, rhythm


def _share_rate(df: pd.DataFrame) -> pd.Series:
    return df["shares"] / df["reads"]


def _viral_share_rate(data) -> float:
    o = _ours(data)
    w = o[o["platform"] == "wechat"]
    return float(_share_rate(w.loc[[w["reads"].idxmax()]]).iloc[0])


@question("q9_viral_share_vs_median", "04_content", tolerance=0.002,
          prompt=Text(zh="我们那篇公众号爆款（我们自己在 wechat 上阅读数最多的一篇，用 `posts` 表）的分享率"
                         "（分享数 ÷ 阅读数）是我们公众号文章分享率中位数的多少倍？中位数按我们每篇公众号"
                         "文章各自的分享率算。答倍数。",
                      en="Our viral WeChat post (our own post on wechat with the most reads, "
                         "in `posts`): its share rate (shares / reads) is how many times "
                         "the median share rate of our WeChat posts, each post's own "
                         "shares / reads? Answer the ratio."),
          hint=Text(zh="只留我们自己的公众号文章，按阅读数找出爆款、算它的分享率；再给每篇算分享率、"
                       "取中位数，两者相除。比较的是中位数，不是整体分享率。",
                    en="keep our own WeChat posts, find the viral one by reads and take its "
                       "share rate; give every post its share rate, take the median, and "
                       "divide. Compare with the median, not the pooled rate."))
def viral_share_vs_median(data) -> float:
    o = _ours(data)
    return _viral_share_rate(data) / float(_share_rate(o[o["platform"] == "wechat"]).median())


@viral_share_vs_median.mistake(Text(zh="中位数里算进了竞品的公众号文章；题目和我们自己的公众号文章比。",
                                    en="the median includes the competitors' WeChat posts; "
                                       "the question compares with our own."))
def viral_vs_all_accounts_median(data) -> float:
    p = data["posts"]
    return _viral_share_rate(data) / float(_share_rate(p[p["platform"] == "wechat"]).median())


@viral_share_vs_median.mistake(Text(zh="分母用了整体分享率（分享之和 ÷ 阅读之和），爆款自己的阅读占了一大块；"
                                       "题目用每篇分享率的中位数。",
                                    en="the denominator is the pooled share rate (shares "
                                       "added up / reads added up), a big part of it the "
                                       "viral post's own reads; the question uses the "
                                       "median of each post's rate."))
def viral_vs_pooled_rate(data) -> float:
    o = _ours(data)
    return _viral_share_rate(data) / _pooled(o[o["platform"] == "wechat"], "shares", "reads")


@viral_share_vs_median.mistake(Text(zh="中位数里算进了我们所有平台的内容；题目只和公众号文章比。",
                                    en="the median includes our posts on every platform; "
                                       "the question compares with our WeChat posts."))
def viral_vs_all_platforms_median(data) -> float:
    return _viral_share_rate(data) / float(_share_rate(_ours(data)).median())


def _douyin_per_week(data, own: bool = True, whole: bool = False) -> float:
    p = _ours(data) if own else data["posts"]
    p = p[p["platform"] == "douyin"]
    if whole:
        start, end = pd.Timestamp(data.scenario.start), pd.Timestamp(data.scenario.end) + DAY
    else:
        start, end = Q2
    n = ((p["publish_time"] >= start) & (p["publish_time"] < end)).sum()
    return float(n / ((end - start) / DAY / 7))


@question("q10_douyin_per_week_q2", "04_content", tolerance=0.05,
          prompt=Text(zh="2026 年二季度（2026-04-01 至 2026-06-30，含首尾两天，共 91 天）我们自己在抖音上"
                         "平均每周发多少条？用 `posts` 表，条数 ÷（91 ÷ 7）。答条数，保留两位小数。",
                      en="In the second quarter of 2026 (2026-04-01 … 2026-06-30, both days "
                         "included, 91 days) how many Douyin posts a week did we (chayu) "
                         "publish? From `posts`: the posts / (91 / 7). Answer posts per "
                         "week, to two decimals."),
          hint=Text(zh="只留我们自己账号、平台是抖音、发布时间落在这三个月里的内容（6 月 30 日全天都算），"
                       "数条数，再除以这段时间的周数。",
                    en="keep our own account's Douyin posts published in those three months "
                       "(all of June 30 included), count them, and divide by the weeks of "
                       "the period."))
def douyin_per_week_q2(data) -> float:
    return _douyin_per_week(data)


@douyin_per_week_q2.mistake(Text(zh="这是整个半年（1 月到 6 月）的每周条数；题目只看二季度。",
                                 en="this is the rate over the whole half-year (January "
                                    "to June); the question keeps the second quarter."))
def douyin_per_week_half_year(data) -> float:
    return _douyin_per_week(data, whole=True)


@douyin_per_week_q2.mistake(Text(zh="这里把竞品账号的抖音内容也算进来了；题目只看我们自己的账号。",
                                 en="this includes the competitors' Douyin posts; the "
                                    "question keeps our own account."))
def douyin_per_week_all_accounts(data) -> float:
    return _douyin_per_week(data, own=False)


# ---------------------------------------------------------------- advertising law


@lru_cache(maxsize=1)
def _adlaw() -> dict:
    return json.loads(ADLAW_FILE.read_text(encoding="utf-8"))


def _adlaw_hits(title: str) -> list[str]:
    """The severities of the ad-law words found in `title`: everyday phrases (exceptions)
    masked first, then words longest first, each hit masked so a stretch counts once."""
    d = _adlaw()
    text = title.lower()
    for phrase in d.get("exceptions", []):
        text = text.replace(phrase.lower(), "\0" * len(phrase))
    found = []
    for rule in sorted(d["rules"], key=lambda r: len(r["word"]), reverse=True):
        w = rule["word"].lower()
        n = text.count(w)
        if n:
            found += [rule["severity"]] * n
            text = text.replace(w, "\0" * len(w))
    return found


def _title_hits(data, account: str | None) -> pd.Series:
    """The ad-law severities found in each title of `account` (every account if None)."""
    p = data["posts"]
    if account is not None:
        p = p[p["account"] == account]
    return p["title"].dropna().astype(str).apply(_adlaw_hits)


def _rival_hits(data) -> pd.Series:
    return _title_hits(data, data.scenario.content.competitor_names[0])


@question("q11_shanjian_high_risk_titles", "04_content", tolerance=0,
          prompt=Text(zh="竞品 `{s.content.competitor_names[0]}` 发过的内容（`posts` 表）里，有多少篇的标题含有"
                         "至少一个高风险（severity 为 high）的广告法违禁词？词表用 `adlaw.json`：先把 "
                         "exceptions 里的日常说法（比如“第一次”“最近”）排除掉，再不区分大小写地查 rules "
                         "里的词，长词优先。答篇数。",
                      en="How many of `{s.content.competitor_names[0]}`'s posts (in `posts`) "
                         "have a title with at least one high-severity (severity high) "
                         "advertising-law word? Use `adlaw.json`: first mask the everyday "
                         "phrases in exceptions (such as 第一次, 最近), then look for the "
                         "words in rules, case-insensitive, longer words first. Answer a "
                         "number of posts."),
          hint=Text(zh="把词表当数据读进来；每个标题先把日常说法遮掉，再从长到短找违禁词，找到的地方也"
                       "遮掉。只看严重程度为 high 的词，一篇标题命中几个词都只算一篇。",
                    en="read the word list as data; in each title mask the everyday phrases "
                       "first, then look for the words longest first, masking each hit. "
                       "Keep the high-severity words, and count a title once however many "
                       "words it hits."))
def shanjian_high_risk_titles(data) -> int:
    return int(_rival_hits(data).apply(lambda h: "high" in h).sum())


@shanjian_high_risk_titles.mistake(Text(zh="这里把需要送审（review）的词也算进来了；题目只问高风险（high）的。",
                                        en="this counts the words to review too; the "
                                           "question asks for high-severity words only."))
def shanjian_any_risk_titles(data) -> int:
    return int(_rival_hits(data).apply(bool).sum())


@shanjian_high_risk_titles.mistake(Text(zh="这里检查了全部账号的标题（也包括我们自己和另一个竞品）；题目只问这一个竞品。",
                                        en="this checks the titles of every account (ours "
                                           "and the other competitor's too); the question "
                                           "asks about this competitor only."))
def all_accounts_high_risk_titles(data) -> int:
    return int(_title_hits(data, None).apply(lambda h: "high" in h).sum())


# ---------------------------------------------------------------- decisions


@question("q12_opinion_response", "04_content", kind="open",
          prompt=Text(zh="2026-05-26 晚上 20:25，舆情监测对抖音报了警。接下来的 3 小时和第一天，你分别做"
                         "什么？哪些数字能说明这次爆发是真的、有多大？写五到六句话。",
                      en="On 2026-05-26 at 20:25 the opinion monitor alarmed on Douyin. "
                         "What do you do in the first 3 hours and in the first day, and "
                         "which numbers show that the burst is real and how big it is? "
                         "Five or six sentences."),
          hint=Text(zh="先确认是真的：窗口里的负面条数和期望值差多少、尾部概率多小、别的平台有没有一起"
                       "报警、原文说的是什么。再排动作：谁进群、先查什么、对外说什么、对最早发帖的"
                       "用户怎么办；第一天要给出核实结果和补救方案，盯住会不会扩散到别的平台。最后"
                       "想想事后要留下什么。",
                    en="first make sure it is real: the negative count in the window against "
                       "the expected count, how small the tail probability is, whether other "
                       "platforms alarmed, what the texts say. Then the actions: who joins "
                       "the group, what is checked first, what is said in public, what to "
                       "do about the user who posted first; within the day, a verified "
                       "finding and a remedy, and a watch on whether it spreads. Last, "
                       "what should stay once it is over."),
          selfcheck=(Text(zh="我用数字说明了爆发是真的：窗口里的条数对比期望值、尾部概率，以及只有抖音报警。",
                          en="I showed with numbers that the burst is real: the count in "
                             "the window against the expected count, the tail probability, "
                             "and that only Douyin alarmed."),
                     Text(zh="我说了原文在说什么（质量投诉，大量转发），而不只是看条数。",
                          en="I said what the texts say (a quality complaint, reposted "
                             "widely), not just how many there are."),
                     Text(zh="我的头 3 小时有拉群、查批次和订单、一条对外口径、私信最早的投诉人，而且没有删帖"
                             "或争辩。",
                          en="my first 3 hours convene a group, check the batch and the "
                             "orders, put out one holding statement and message the first "
                             "complainer privately, without deleting posts or arguing."),
                     Text(zh="我写了第一天要给出的核实结果和补救方案，以及事后的复盘和预警规则由谁接收。",
                          en="I wrote the verified finding and remedy due within the day, "
                             "and the review afterwards, with who gets the alarm.")),
          rubric=(Text(zh="确认是真的：20:25 那一刻抖音 3 小时窗口里有 8 条负面（规则的最低条数），前 7 天的"
                          "基线折到 3 小时只有约 0.29 条（按下限 0.5 算），尾部概率约 6e-8，远低于 1e-6；"
                          "爆发后 3 小时内抖音负面约 230 条，平时一整天才约 2 条；只有抖音报警，其他平台"
                          "头一天几乎没动；原文是质量投诉（喝出异物、泡开有虫子、求退款），一半以上是"
                          "转发，最早那条被转了约 3,000 次（1 分）",
                       en="it is real: at 20:25 Douyin's 3-hour window holds 8 negative "
                          "mentions (the rule's minimum) against a 7-day baseline of about "
                          "0.29 per 3 hours (the floor 0.5 applies), a tail probability of "
                          "about 6e-8, far below 1e-6; within 3 hours of the onset about "
                          "230 negative Douyin mentions, where a normal day has about 2; "
                          "only Douyin alarmed, the other platforms barely moved that day; "
                          "the texts are a quality complaint (喝出异物, 泡开有虫子, 求退款), "
                          "more than half reposts, the first one reposted about 3,000 "
                          "times (1 point)"),
                  Text(zh="头 3 小时：拉品控、客服、法务、公关进一个群，指定一个负责人；按投诉里的产品查"
                          "批次、封存留样，查这个产品的订单和同批次发货；发一条统一口径的声明：不删帖、"
                          "不争辩，说明已经看到、正在核实、几点前给结果；私信最早发帖的用户，请他提供"
                          "订单号和照片，先把人安抚住（1 分）",
                       en="the first 3 hours: 品控 (quality), 客服 (service), 法务 (legal) and "
                          "公关 (PR) in one group with one owner; pull the batch named in the "
                          "complaints and keep samples, check that product's orders and what "
                          "else shipped from the batch; one holding statement — no deleted "
                          "posts, no arguing: we have seen it, we are checking, a result by "
                          "a stated time; message the first complainer privately for the "
                          "order number and photos (1 point)"),
                  Text(zh="第一天：公布核实结果和补救方案（退款或换货、第三方检测报告，查实了就召回这个"
                          "批次）；客服统一话术，主动联系买过这个批次的用户；盯住小红书、微博等平台，"
                          "看会不会扩散，有扩散就在那里同步回应（1 分）",
                       en="the first day: publish the verified finding and the remedy (refund "
                          "or exchange, a third-party test report, a recall of the batch if "
                          "confirmed); one script for service, contacting the buyers of "
                          "that batch first; watch Xiaohongshu, Weibo and the others for "
                          "spread and answer there too if it spreads (1 point)"),
                  Text(zh="事后：做一次复盘（哪里出的问题、多久发现、多久回应），把预警规则固定下来"
                          "（3 小时窗口、7 天基线、尾部概率小于 1e-6、至少 8 条），写清楚报警推给谁、"
                          "谁值班、多久之内必须响应（1 分）",
                       en="afterwards: a 复盘 (review: what went wrong, how fast it was "
                          "seen and answered), and the alarm kept as a rule (3-hour window, "
                          "7-day baseline, tail probability below 1e-6, at least 8) with "
                          "who is paged, who is on duty and how fast they must respond "
                          "(1 point)")))
def opinion_response(data):
    return None


@question("q13_move_douyin_to_20", "04_content", kind="open",
          prompt=Text(zh="有人提议：以后抖音视频一律改到晚上 20:00 发。你同意吗？哪些数字能决定这件事？"
                         "写四到五句话。",
                      en="Someone proposes posting every Douyin video at 20:00 from now on. "
                         "Do you agree? Which numbers decide it? Four or five sentences."),
          hint=Text(zh="看发布时间测试：两个时段的阅读率和完播率各自差多少、差别是不是偶然；再想想"
                       "之前那张按发布时刻画的热力图，每个格子里有几条视频，它能证明什么。最后说清楚"
                       "改哪些、留哪些，以及这个测试没有回答什么。",
                    en="look at the posting-time test: how far apart the two slots are on "
                       "read rate and on completion, and whether each gap could be chance; "
                       "then at the heatmap by publishing hour from before, how many videos "
                       "each cell holds and what it can prove. Last, say what to move, "
                       "what to keep, and what the test does not answer."),
          selfcheck=(Text(zh="我分开说了阅读率和完播率：一个没差别，一个有差别，并给了数字和 p 值或区间。",
                          en="I kept read rate and completion apart: one shows no "
                             "difference, the other does, with numbers and a p-value or "
                             "interval."),
                     Text(zh="我说明了热力图只是观察数据、每格视频很少，它提出的假设是靠测试检验的。",
                          en="I said the heatmap is observational with few videos per "
                             "cell, a hypothesis that the test checked."),
                     Text(zh="我的建议分了情况（哪些视频改到 20:00、哪些时段保留），不是一刀切。",
                          en="my recommendation depends on the video (which move to 20:00, "
                             "which slots stay), not one rule for all."),
                     Text(zh="我说了这个测试的局限：只测了一个系列、4 周、4 月，之后要再测。",
                          en="I named the test's limits: one series, 4 weeks, April, and a "
                             "re-test later.")),
          rubric=(Text(zh="阅读率没差别：发布时间测试里 12:00 的阅读率约 6.96%，20:00 约 7.01%，p ≈ 0.36；"
                          "20:00 不会让更多人点开（1 分）",
                       en="no difference in read rate: in the posting-time test 12:00 reads "
                          "at about 6.96 % and 20:00 at about 7.01 %, p ≈ 0.36; 20:00 does "
                          "not get more people to open the video (1 point)"),
                  Text(zh="完播率有差别：12:00 约 0.316，20:00 约 0.361，相对高约 14%（区间约 +9% 到 +19%），"
                          "p < 0.001；20:00 的观众看得更久，而不是更多（1 分）",
                       en="a difference in completion: about 0.316 at 12:00 and 0.361 at "
                          "20:00, about 14 % higher (interval about +9 % … +19 %), "
                          "p < 0.001; at 20:00 people watch further, not more people watch "
                          "(1 point)"),
                  Text(zh="热力图是观察数据：我们的抖音视频在 20 点、21 点的格子里只有约 10 条和 4 条，"
                          "完播率高可能是选题、时长碰巧不同；它只是一个假设，是这次测试检验了它（1 分）",
                       en="the heatmap is observational: our Douyin videos in the 20:00 and "
                          "21:00 cells are about 10 and 4, so a high completion there may be "
                          "topic or length by chance; it was a hypothesis, which the test "
                          "checked (1 point)"),
                  Text(zh="决定：把看重完播的视频（长教程、讲工艺的）挪到 20:00，中午保留一部分时段做曝光、"
                          "顺便中午看评论；不全部改。局限：只测了一个系列、4 周、4 月，换季或换选题要"
                          "再测（1 分）",
                       en="decide: move the videos where completion matters (long tutorials, "
                          "how the tea is made) to 20:00, keep some noon slots for reach and "
                          "the noon look at comments; not all of them. Limits: one series, "
                          "4 weeks, April; re-test with another season or topic (1 point)")))
def move_douyin_to_20(data):
    return None
