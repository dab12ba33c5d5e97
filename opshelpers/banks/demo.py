"""PUBLIC DEMO BANK — anyone who installs opshelpers can read these solvers.

Use it to try the hiring flow (`opshelpers assess new / grade / batch` without --bank).
For real hiring, copy this file somewhere private, change the questions and pass
`--bank your_bank.py`: docs/question_bank.md says how. Each solver computes its answer
from the candidate's own tables and returns `NotPosed` when that data does not settle
the question (a choice without a clear winner), so no candidate is asked something their
data cannot answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from opshelpers.bank import Exercise, NotPosed, OpenQuestion, Question, Spec, clear_winner
from opshelpers.scenario import CHANNELS

AB_END = "2026-05-13"                 # checkout_button test: orders before this day count
SRM_ALPHA, SRM_CLEAR = 0.001, 0.01    # flagged below the first; clearly fine above the second
DROP_MARGIN = 10.0                    # lr_stat lead the broken channel needs over the next


# ------------------------------------------------------------------ junior_ops
def visitors(t):
    return int(t["visits"]["visitor_id"].nunique())


def pageviews(t):
    return int(t["visits"]["pageviews"].sum())


def signup_rate(t):
    return float(t["visits"]["signed_up"].mean())


def paid_per_order(t):
    return float(t["orders"]["paid"].mean())


def d7_retention(t):
    from opshelpers.users import retention

    r = retention(t["users"], t["events"], days=(7,), freq="Y")
    return float(r["retained"].sum() / r["eligible"].sum())


def top_channel(t):
    return clear_winner(t["users"]["channel"].value_counts().astype(float),
                        margin=0)


def march_buyers(t):
    o = t["orders"]
    return int(o.loc[o["order_time"].dt.month == 3, "user_id"].nunique())


# ------------------------------------------------------------------ growth_analyst
def _drop(t):
    """(channel, first day) of the clearest conversion change point, or NotPosed."""
    from opshelpers.traffic import conversion_drop

    v = t["visits"]
    scan = conversion_drop(v[v["landing_page"] != "lp_invite"], seed=0)
    scan = scan[scan["change"] < 0].set_index("channel")
    winner = clear_winner(scan["lr_stat"], margin=DROP_MARGIN)
    if isinstance(winner, NotPosed):
        return winner
    return winner, scan.loc[winner, "change_date"]


def drop_channel(t):
    d = _drop(t)
    return d if isinstance(d, NotPosed) else d[0]


def drop_date(t):
    d = _drop(t)
    return d if isinstance(d, NotPosed) else str(d[1].date())


def rate_after_drop(t):
    d = _drop(t)
    if isinstance(d, NotPosed):
        return d
    v = t["visits"]
    after = v[(v["channel"] == d[0]) & (v["visit_time"] >= d[1])]
    return float(after["signed_up"].mean())


def top10_share(t):
    rev = t["orders"].groupby("user_id")["paid"].sum().sort_values(ascending=False)
    return float(rev.head(int(np.ceil(0.1 * len(rev)))).sum() / rev.sum())


def _ab(t):
    ab = t["ab_assignments"].query("experiment == 'checkout_button'")
    o = t["orders"]
    m = ab.merge(o[["user_id", "order_time"]], on="user_id", how="left")
    m = m[(m["order_time"] >= m["assigned_time"]) & (m["order_time"] < AB_END)]
    conv = ab.assign(c=ab["user_id"].isin(m["user_id"])).groupby("variant")["c"].agg(
        ["mean", "size"])
    diff = conv.loc["B", "mean"] - conv.loc["A", "mean"]
    se = np.sqrt((conv["mean"] * (1 - conv["mean"]) / conv["size"]).sum())
    return float(diff), float(diff - 1.96 * se)


def ab_diff(t):
    return _ab(t)[0]


def ab_ci_low(t):
    return _ab(t)[1]


def srm_experiment(t):
    """The one 50/50 test whose split is off (p < 0.001, every other p > 0.01), 'none'
    when every p > 0.01; anything in between is not posed."""
    ab = t["ab_assignments"]
    p = {}
    for name in ("checkout_button", "coupon_banner"):
        n = ab.loc[ab["experiment"] == name, "variant"].value_counts()
        p[name] = stats.chisquare([n.get("A", 0), n.get("B", 0)]).pvalue
    flagged = [k for k, v in p.items() if v < SRM_ALPHA]
    unclear = [k for k, v in p.items() if SRM_ALPHA <= v <= SRM_CLEAR]
    if unclear or len(flagged) > 1:
        return NotPosed(f"split p-values {p} do not single out one experiment or none")
    return flagged[0] if flagged else "none"


# ------------------------------------------------------------------ content_ops
def prime_time_gap(t):
    p = t["posts"]
    v = p[p["completion_rate"].notna()]
    prime = v["publish_time"].dt.hour.between(20, 21)
    return float(v.loc[prime, "completion_rate"].mean() - v.loc[~prime, "completion_rate"].mean())


def best_share_topic(t):
    g = t["posts"].groupby("topic")[["shares", "reads"]].sum()
    return clear_winner(g["shares"] / g["reads"], margin=0.001)


def digit_title_ratio(t):
    p = t["posts"]
    ctr = p["reads"] / p["impressions"]
    d = p["title"].str.contains(r"\d")
    return float(ctr[d].mean() / ctr[~d].mean())


def risky_titles(t):
    from opshelpers.content import check_titles

    f = check_titles(t["posts"])
    return int(f.loc[f["severity"] == "high", "post_id"].nunique())


def viral_post(t):
    p = t["posts"]
    rel = p["reads"] / p.groupby("platform")["reads"].transform("median")
    winner = clear_winner(pd.Series(rel.to_numpy(), index=p["post_id"].to_numpy()), margin=2.0)
    return winner if isinstance(winner, NotPosed) else int(winner)


def fastest_account(t):
    x = t["posts"][t["posts"]["platform"] == "xiaohongshu"]
    follows = x.groupby("account")["follows"].sum().astype(float)
    return clear_winner(follows, margin=0.05 * follows.sum())


EXERCISES = [
    Exercise(
        "junior_ops", {"zh": "运营专员：指标与透视", "en": "Operations associate: metrics and pivots"},
        "junior", ("users", "visits", "events", "orders"), (
            Question("q1_uv", {"zh": "visits 表里有多少独立访客（按 visitor_id 去重）？",
                               "en": "How many unique visitors (distinct visitor_id) are in visits?"},
                     visitors),
            Question("q2_pv", {"zh": "所有访问的浏览量（PV）合计是多少？",
                               "en": "Total page views (PV) over all visits?"}, pageviews),
            Question("q3_cvr", {"zh": "访问 → 注册的整体转化率是多少？（写成 0–1 的小数）",
                                "en": "Overall visit → signup conversion rate (a fraction 0–1)?"},
                     signup_rate, Spec("number", tolerance=0.001, rate=True)),
            Question("q4_paid_aov", {"zh": "实付客单价是多少元？（实付金额 ÷ 订单数）",
                                     "en": "Paid amount per order (amount paid / orders, CNY)?"},
                     paid_per_order, Spec("number", tolerance=0.5)),
            Question("q5_d7", {"zh": "D7 留存率：注册后第 7 天恰好活跃的用户占比（只算第 7 天落在数据期内的用户）？",
                               "en": "D7 retention: share of users active exactly 7 days after signup "
                                     "(only users whose day 7 is within the data)?"},
                     d7_retention, Spec("number", tolerance=0.005, rate=True)),
            Question("q6_top_channel", {"zh": "哪个获客渠道带来的注册用户最多？",
                                        "en": "Which acquisition channel brought the most users?"},
                     top_channel, Spec("choice", choices=CHANNELS)),
            Question("q7_march_buyers", {"zh": "2026 年 3 月有多少个不同的用户下过单？",
                                         "en": "How many distinct users ordered in March 2026?"},
                     march_buyers),
        ), (
            OpenQuestion("open1_dau_drop",
                         {"zh": "昨天 DAU 下跌了 10%。按顺序写出你最先检查的三件事。",
                          "en": "DAU fell 10 % yesterday. List, in order, the first three things you check."},
                         {"zh": "先查数据本身（埋点、当天数据是否完整），再对比上周同一天，然后按渠道 / 平台 / 新老用户拆分",
                          "en": "checks data first (tracking, partial day), then the same weekday last "
                                "week, then splits by channel / platform / new vs returning"}),
        ), public=True),
    Exercise(
        "growth_analyst", {"zh": "增长分析师：哪里坏了、谁最重要、上不上线",
                           "en": "Growth analyst: what broke, who matters, ship or not"},
        "mid", ("users", "visits", "events", "orders", "ab_assignments"), (
            Question("q1_drop_channel", {"zh": "有一个渠道的落地页转化率突然下降了。是哪个渠道？",
                                         "en": "One channel's landing conversion suddenly dropped. Which?"},
                     drop_channel, Spec("choice", choices=CHANNELS)),
            Question("q2_drop_date", {"zh": "从哪一天（YYYY-MM-DD）开始变低的？",
                                      "en": "From which date (YYYY-MM-DD) is it lower?"},
                     drop_date, Spec("date", tolerance=2)),
            Question("q3_rate_after", {"zh": "下降之后，这个渠道的转化率是多少？（0–1 的小数）",
                                       "en": "That channel's conversion rate after the drop (a fraction)?"},
                     rate_after_drop, Spec("number", tolerance=0.005, rate=True)),
            Question("q4_top10_share", {"zh": "消费金额最高的前 10% 买家贡献了多少比例的收入？",
                                        "en": "Share of revenue from the top 10 % of buyers?"},
                     top10_share, Spec("number", tolerance=0.01, rate=True)),
            Question("q5_ab_diff", {"zh": "checkout_button 实验：B 组转化率减 A 组转化率（分配之后、2026-05-12 及之前下过单算转化），是多少？",
                                    "en": "checkout_button test: conversion of B minus A (an order after "
                                          "assignment, up to 2026-05-12), a fraction?"},
                     ab_diff, Spec("number", tolerance=0.003, signed=True)),
            Question("q6_ab_ci_low", {"zh": "这个差值 95% 置信区间的下限是多少？（正态近似）",
                                      "en": "Lower end of the 95 % CI of that difference (normal approximation)?"},
                     ab_ci_low, Spec("number", tolerance=0.004)),
            Question("q7_srm_test", {"zh": "checkout_button 和 coupon_banner 都按 50/50 分流。哪个实验存在样本比例失衡（SRM，p < 0.001）？都没有就答 'none'。",
                                     "en": "checkout_button and coupon_banner were both meant to split 50/50. "
                                           "Which one has a sample-ratio mismatch (p < 0.001)? Answer 'none' if neither."},
                     srm_experiment, Spec("choice", choices=("checkout_button", "coupon_banner", "none"))),
        ), (
            OpenQuestion("open1_rfm_actions",
                         {"zh": "选两个 RFM 分层，各写一个运营动作，并写明你用哪个指标（含分母）来判断效果。",
                          "en": "Pick two RFM segments and write one action for each, with the metric "
                                "and denominator you would judge it by."},
                         {"zh": "分层由最近一次消费 / 消费频次 / 消费金额定义；动作具体；指标有分母，并留对照组",
                          "en": "segments defined from recency/frequency/monetary; actions specific; a "
                                "metric with a denominator and a holdout"}),
            OpenQuestion("open2_ship",
                         {"zh": "checkout B 要不要全量上线？用三句话回答。",
                          "en": "Would you ship checkout B? Answer in three sentences."},
                         {"zh": "依据置信区间而不只看点估计；提到 SRM 检查和统计功效",
                          "en": "uses the CI, not only the point estimate; mentions the SRM check and power"}),
        ), public=True),
    Exercise(
        "content_ops", {"zh": "内容运营：发布时间、选题、标题与合规",
                        "en": "Content operator: timing, topics, titles, compliance"},
        "junior", ("posts",), (
            Question("q1_prime_gap", {"zh": "20:00–21:59 发布的视频，平均完播率比其他时段发布的高多少？（所有账号）",
                                      "en": "Mean completion rate of videos published 20:00–21:59 minus "
                                            "that of videos published at other hours (all accounts)?"},
                     prime_time_gap, Spec("number", tolerance=0.005, signed=True)),
            Question("q2_best_topic", {"zh": "哪个选题（topic）的分享率最高？（分享数合计 ÷ 阅读数合计）",
                                       "en": "Which topic has the highest share rate (pooled shares / reads)?"},
                     best_share_topic, Spec("text")),
            Question("q3_number_ratio", {"zh": "标题带数字的帖子平均 CTR（阅读 ÷ 曝光）是不带数字的多少倍？",
                                         "en": "Mean CTR (reads / impressions) of titles with a digit ÷ without?"},
                     digit_title_ratio, Spec("number", tolerance=0.03)),
            Question("q4_banned", {"zh": "有多少篇帖子的标题含广告法禁用的极限词、权威或医疗功效用语（最、第一、国家级、治疗、降血压、神器……）？",
                                   "en": "How many posts have a title with an advertising-law absolute, "
                                         "authority or medical claim (最, 第一, 国家级, 治疗, 降血压, 神器 …)?"},
                     risky_titles),
            Question("q5_viral", {"zh": "哪篇是爆款（阅读数远高于所在平台的中位数）？写出它的 post_id。",
                                  "en": "post_id of the viral post (far above its platform's median)?"},
                     viral_post),
            Question("q6_competitor", {"zh": "在小红书上，哪个账号涨粉最多？",
                                       "en": "Which account gained the most followers on Xiaohongshu?"},
                     fastest_account, Spec("text")),
        ), (
            OpenQuestion("open1_rewrite",
                         {"zh": "改写两个不合规的标题，让它们合规，同时保留吸引点。",
                          "en": "Rewrite two non-compliant titles so they pass and keep the hook."},
                         {"zh": "去掉极限词 / 医疗功效用语，保留具体的吸引点（数字、利益点）",
                          "en": "removes the absolute/medical claim, keeps a concrete hook (a number, a benefit)"}),
        ), public=True),
]
