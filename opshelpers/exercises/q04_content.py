"""Questions of 04_content: completion, share rate, titles, the viral post, ad-law, competitors."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from . import question

OURS = "chayu"                  # our own account in posts


def _douyin(posts: pd.DataFrame) -> pd.DataFrame:
    return posts[posts["platform"] == "douyin"]


@question("q1_douyin_completion", "04_content", rate=True, tolerance=0.002,
          prompt=Text(zh="我们自己（chayu）在抖音发的视频，平均完播率是多少？用 0–1 之间的小数作答。",
                      en="What is the mean completion rate of Chayu's own Douyin videos? Give "
                         "a fraction between 0 and 1."),
          hint=Text(zh="只留我们自己的账号、平台是抖音的内容，对完播率 `completion_rate` 取平均。",
                    en="keep our own account on platform douyin, then average "
                       "`completion_rate`."))
def douyin_completion(data) -> float:
    p = data["posts"]
    return float(_douyin(p[p["account"] == OURS])["completion_rate"].mean())


@douyin_completion.mistake(Text(zh="这里把竞品账号的抖音视频也算进去了；题目只看我们自己的账号。",
                                en="this includes the competitors' Douyin videos; the question "
                                   "keeps our own account."))
def all_accounts_douyin(data) -> float:
    return float(_douyin(data["posts"])["completion_rate"].mean())


@douyin_completion.mistake(Text(zh="这是我们所有平台视频的平均完播率；题目只看抖音。",
                                en="this averages our videos on every platform; the question "
                                   "keeps Douyin."))
def ours_all_platforms(data) -> float:
    p = data["posts"]
    return float(p[p["account"] == OURS]["completion_rate"].mean())


@question("q2_best_share_topic", "04_content", kind="text",
          prompt=Text(zh="哪个内容主题的分享率最高（合并计算：总分享 / 总阅读）？用数据里的"
                         "主题名作答。",
                      en="Which topic has the highest (pooled) share rate? Answer with the "
                         "topic's name as in the data."),
          hint=Text(zh="先按主题把分享数和阅读数分别加总，再相除比较；不要对每篇的分享率求平均。",
                    en="pool first: total shares / total reads per topic, not the mean of "
                       "each post's rate."))
def best_share_topic(data) -> str:
    g = data["posts"].groupby("topic")[["shares", "reads"]].sum()
    return str((g["shares"] / g["reads"]).idxmax())


def _read_rate_by_digits(data) -> tuple[pd.Series, pd.Series]:
    p = data["posts"]
    return p["reads"] / p["impressions"], p["title"].str.contains(r"\d")


@question("q3_number_read_rate_ratio", "04_content", tolerance=0.02,
          prompt=Text(zh="标题里带数字的内容，平均阅读率是不带数字的多少倍？（全部内容，每篇"
                         "先算阅读率再取平均）",
                      en="Mean read rate of titles with a number divided by mean read rate of "
                         "titles without one (all posts, per-post read rate)."),
          hint=Text(zh="每篇的阅读率 = 阅读 / 曝光；标题里任意位置出现阿拉伯数字就算“带数字”。"
                       "两组各取平均再相除。",
                    en="per post, read rate = reads / impressions; a digit anywhere in the "
                       "title counts. Average each group, then divide."))
def number_read_rate_ratio(data) -> float:
    read_rate, digits = _read_rate_by_digits(data)
    return float(read_rate[digits].mean() / read_rate[~digits].mean())


@number_read_rate_ratio.mistake(Text(zh="这是两组平均阅读率相减的差；题目问的是倍数，要相除。",
                                     en="this subtracts the two mean read rates; the question "
                                        "asks how many times higher, so divide."))
def read_rate_difference(data) -> float:
    read_rate, digits = _read_rate_by_digits(data)
    return float(read_rate[digits].mean() - read_rate[~digits].mean())


@question("q4_viral_post_id", "04_content", tolerance=0,
          prompt=Text(zh="哪一篇是爆款？给出它的 `post_id`。",
                      en="What is the post_id of the viral post (爆款)?"),
          hint=Text(zh="各平台的流量量级差很多：拿每篇的阅读数和它所在平台的阅读中位数比，"
                       "倍数最高的就是爆款。",
                    en="platforms differ in scale: compare each post's reads with its "
                       "platform's median reads; the highest multiple is the viral post."))
def viral_post_id(data) -> int:
    p = data["posts"]
    rel = p["reads"] / p.groupby("platform")["reads"].transform("median")
    return int(p.loc[rel.idxmax(), "post_id"])


@viral_post_id.mistake(Text(zh="这是分享数最多的一篇；题目看的是阅读数相对同平台中位数的倍数。",
                            en="this is the most shared post; the question measures reads "
                               "against the platform's median."))
def most_shared(data) -> int:
    p = data["posts"]
    return int(p.loc[p["shares"].idxmax(), "post_id"])


def _title_risks(data, own: bool = True):
    from ..content import check_titles

    p = data["posts"]
    return check_titles(p[p["account"] == OURS] if own else p)


@question("q5_our_risky_titles", "04_content", tolerance=0,
          prompt=Text(zh="我们自己发的内容里，有多少篇标题含有高风险的广告法违禁词？",
                      en="How many of Chayu's own posts have a high-severity advertising-law "
                         "word in the title?"),
          hint=Text(zh="拿违禁词表逐条检查我们自己账号的标题，只留严重程度为 high 的命中，"
                       "再数有多少篇不同的内容。",
                    en="check our own titles against the ad-law word list, keep the hits of "
                       "severity 'high', and count distinct posts."))
def our_risky_titles(data) -> int:
    found = _title_risks(data)
    return int(found.loc[found["severity"] == "high", "post_id"].nunique())


@our_risky_titles.mistake(Text(zh="这里把竞品账号的内容也检查进来了；题目只问我们自己的内容。",
                               en="this checks the competitors' posts too; the question asks "
                                  "about our own."))
def all_accounts_risky(data) -> int:
    found = _title_risks(data, own=False)
    return int(found.loc[found["severity"] == "high", "post_id"].nunique())


@our_risky_titles.mistake(Text(zh="这里所有风险等级都算进来了；题目只问高风险（high）的违禁词。",
                               en="this counts every severity; the question asks for "
                                  "high-severity words only."))
def any_severity(data) -> int:
    return int(_title_risks(data)["post_id"].nunique())


@our_risky_titles.mistake(Text(zh="这数的是命中的词数：一个标题可能命中好几个词。题目按内容篇数去重。",
                               en="this counts word hits, and one title can hit several words; "
                                  "count distinct posts."))
def high_hits(data) -> int:
    return int(_title_risks(data)["severity"].eq("high").sum())


def _xhs(data) -> pd.DataFrame:
    p = data["posts"]
    return p[p["platform"] == "xiaohongshu"]


def _weeks(posts: pd.DataFrame) -> float:
    return (posts["publish_time"].max() - posts["publish_time"].min()).days / 7


@question("q6_shanjian_per_week", "04_content", tolerance=0.1,
          prompt=Text(zh="竞品 `{s.content.competitor_names[0]}` 在小红书上平均每周发多少篇？",
                      en="How many Xiaohongshu posts per week does "
                         "`{s.content.competitor_names[0]}` publish?"),
          hint=Text(zh="它在小红书的发文数，除以数据里全部小红书内容覆盖的周数（最早到最晚"
                       "发布时间之间的天数 / 7）。",
                    en="its Xiaohongshu posts divided by the weeks covered by all Xiaohongshu "
                       "posts in the data (days from the first to the last post / 7)."))
def shanjian_per_week(data) -> float:
    x = _xhs(data)
    rival = data.scenario.content.competitor_names[0]
    return float((x["account"] == rival).sum() / _weeks(x))


@shanjian_per_week.mistake(Text(zh="这里把它在所有平台的发文都算上了；题目只看小红书。",
                                en="this counts its posts on every platform; the question "
                                   "keeps Xiaohongshu."))
def rival_all_platforms(data) -> float:
    p = data["posts"]
    rival = data.scenario.content.competitor_names[0]
    return float((p["account"] == rival).sum() / _weeks(_xhs(data)))
