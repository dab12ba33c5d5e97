"""Questions of 01_traffic: cost per signup, ROI, bounce, landing pages, a break, attribution."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from . import question


def _sem(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["channel"].eq("sem")]


@question("q1_sem_cpa", "01_traffic", tolerance=0.5,
          prompt=Text(zh="半年下来，SEM（搜索广告）每带来一个注册用户要花多少钱？"
                         "求 SEM 的获客成本（CPA），单位：元。",
                      en="What did one SEM signup cost over the half-year? Give SEM's cost "
                         "per signup (CPA), in CNY."),
          hint=Text(zh="获客成本 = 花费 / 注册数。花费在 `channel_daily`，注册数看 `visits` "
                       "里 `signed_up` 为真的访问；两边都只留 SEM。",
                    en="CPA = spend / signups: the spend is in `channel_daily`, the signups "
                       "are the visits with `signed_up` true; keep SEM only on both sides."))
def sem_cpa(data) -> float:
    spend = _sem(data["channel_daily"])["spend"].sum()
    signups = _sem(data["visits"])["signed_up"].sum()
    return float(spend / signups)


@sem_cpa.mistake(Text(zh="这是单次点击成本（CPC），分母是点击数；获客成本（CPA）的分母是注册数。",
                      en="this is the cost per click (CPC): it divides by clicks. CPA divides "
                         "by signups."))
def sem_cpc(data) -> float:
    cd = _sem(data["channel_daily"])
    return float(cd["spend"].sum() / cd["clicks"].sum())


@sem_cpa.mistake(Text(zh="这是全部渠道合在一起的获客成本；题目只问 SEM。",
                      en="this is the CPA of all channels together; the question asks for "
                         "SEM only."))
def all_channels_cpa(data) -> float:
    return float(data["channel_daily"]["spend"].sum() / data["visits"]["signed_up"].sum())


def _spend_and_revenue(data) -> tuple[pd.Series, pd.Series]:
    """Spend per channel, and what the users each channel brought have paid so far."""
    cd, v, o = data["channel_daily"], data["visits"], data["orders"]
    spend = cd.groupby("channel")["spend"].sum()
    acquired = v.loc[v["signed_up"], ["user_id", "channel"]]
    revenue = o.merge(acquired, on="user_id").groupby("channel")["paid"].sum()
    return spend, revenue


def _roi(spend: pd.Series, revenue: pd.Series, channels: list[str]) -> pd.Series:
    return (revenue[channels] - spend[channels]) / spend[channels]


def _media(spend: pd.Series) -> list[str]:
    return [c for c in spend.index if spend[c] > 0 and c != "referral"]


@question("q2_best_roi_channel", "01_traffic", kind="text",
          prompt=Text(zh="付费投放渠道里，哪个的投资回报率（ROI）最高？邀请奖励（referral）"
                         "不算投放，不参与比较。用数据里的渠道名作答。",
                      en="Which paid media channel has the highest ROI? Leave referral "
                         "rewards out, and answer with the channel's name as in the data."),
          hint=Text(zh="ROI =（渠道带来的用户累计实付金额 − 花费）/ 花费。先按渠道汇总花费，"
                       "再把注册用户的订单按他们的来源渠道汇总；只比较有投放花费的四个媒体渠道。",
                    en="ROI = (what the users a channel brought have paid − spend) / spend; "
                       "compare the four media channels that have spend."))
def best_roi_channel(data) -> str:
    spend, revenue = _spend_and_revenue(data)
    return str(_roi(spend, revenue, _media(spend)).idxmax())


@best_roi_channel.mistake(Text(
    zh="这是带来实付金额最多的渠道；ROI 要减去花费再除以花费，比的是每花一元赚回多少。",
    en="this channel brought the most revenue; ROI subtracts and divides by the spend, "
       "so it compares the return per yuan."))
def most_revenue(data) -> str:
    spend, revenue = _spend_and_revenue(data)
    return str(revenue[_media(spend)].idxmax())


def _feed(visits: pd.DataFrame) -> pd.DataFrame:
    return visits[visits["channel"].eq("feed_ads")]


@question("q3_feed_bounce", "01_traffic", rate=True, tolerance=0.002,
          prompt=Text(zh="信息流广告（feed_ads）带来的访问，跳出率是多少？用 0–1 之间的小数作答。",
                      en="What is the bounce rate of feed-ads visits? Give a fraction "
                         "between 0 and 1."),
          hint=Text(zh="跳出率 = 跳出的访问 / 全部访问。`visits` 已经标好了每次访问是否跳出，"
                       "只看 feed_ads 渠道。",
                    en="bounce rate = bounced visits / visits; `visits` already marks each "
                       "visit as bounced or not. Keep feed_ads visits only."))
def feed_bounce(data) -> float:
    return float(_feed(data["visits"])["bounced"].mean())


@feed_bounce.mistake(Text(zh="这是全部渠道的跳出率；题目只问信息流广告。",
                          en="this is the bounce rate of all channels; the question asks for "
                             "feed ads only."))
def all_channels_bounce(data) -> float:
    return float(data["visits"]["bounced"].mean())


def _page_cvr(data) -> pd.Series:
    v = data["visits"]
    pages = v[v["landing_page"].isin(["lp_a", "lp_b"])]
    return pages.groupby("landing_page")["signed_up"].mean()


@question("q4_page_diff", "01_traffic", rate=True, signed=True, tolerance=0.002,
          prompt=Text(zh="落地页 B（lp_b）的转化率比落地页 A（lp_a）高多少？"
                         "用 B − A 作答，写成小数（全部渠道的流量）。",
                      en="By how much does lp_b's conversion rate beat lp_a's? Answer B − A "
                         "as a fraction (all channel traffic)."),
          hint=Text(zh="转化率 = 注册的访问 / 访问，按落地页分别算；邀请页 lp_invite 不参加"
                       "这场对比，先去掉。",
                    en="conversion = visits that signed up / visits, per landing page; "
                       "leave the invite page lp_invite out of the comparison."))
def page_diff(data) -> float:
    rate = _page_cvr(data)
    return float(rate["lp_b"] - rate["lp_a"])


@page_diff.mistake(Text(zh="这是相对提升（B / A − 1）；题目问的是两个转化率直接相减的差。",
                        en="this is the relative lift (B / A − 1); the question asks for the "
                           "difference of the two rates."))
def relative_lift(data) -> float:
    rate = _page_cvr(data)
    return float(rate["lp_b"] / rate["lp_a"] - 1)


def _daily_cvr(data) -> pd.DataFrame:
    v = data["visits"]
    x = v[v["channel"].eq(data.scenario.traffic.drop_channel)]
    return x.groupby(x["visit_time"].dt.normalize())["signed_up"].agg(["sum", "size"])


def _split_gap(data) -> pd.Series:
    """For each day: conversion up to that day minus conversion after it (two weeks kept
    clear at both ends)."""
    daily = _daily_cvr(data)
    s, n = daily["sum"].cumsum(), daily["size"].cumsum()
    before = s / n
    after = (s.iloc[-1] - s) / (n.iloc[-1] - n)
    return (before - after)[14:-14]


@question("q5_xhs_drop_date", "01_traffic", kind="date",
          prompt=Text(zh="`{s.traffic.drop_channel}` 渠道的转化率从哪一天开始掉下来？"
                         "用 'YYYY-MM-DD' 作答。",
                      en="From which date did the conversion rate of `{s.traffic.drop_channel}` "
                         "fall? Answer 'YYYY-MM-DD'."),
          hint=Text(zh="单日转化率波动大，别盯着某一天。对每个候选日，比较它之前和之后的整体"
                       "转化率，差距最大的那个切分点就是变化日；答案是下跌后的第一天。",
                    en="single days are noisy: for every candidate day compare the conversion "
                       "before it with the conversion after it; the split with the largest "
                       "gap is the change. Answer with the first day at the lower level."))
def xhs_drop_date(data) -> str:
    return str((_split_gap(data).idxmax() + pd.Timedelta(days=1)).date())


@xhs_drop_date.mistake(Text(zh="这是还在旧水平的最后一天；题目问的是转化率变低后的第一天。",
                            en="this is the last day at the old level; the question asks for "
                               "the first day of the lower conversion."))
def last_day_before(data) -> str:
    return str(_split_gap(data).idxmax().date())


@xhs_drop_date.mistake(Text(zh="这是转化率最低的单独一天：单日波动很大。题目问的是转化率整体"
                               "从哪天起变低。",
                            en="this is the single day with the lowest conversion, and single "
                               "days are noisy; the question asks from when the level fell."))
def lowest_day(data) -> str:
    daily = _daily_cvr(data)
    return str((daily["sum"] / daily["size"]).idxmin().date())


def _converter_visits(data) -> pd.DataFrame:
    v = data["visits"].sort_values(["visitor_id", "visit_time"])
    converters = v.loc[v["signed_up"], "visitor_id"]
    return v[v["visitor_id"].isin(converters)]


@question("q6_first_touch_kol", "01_traffic", tolerance=0.5,
          prompt=Text(zh="按首次触点归因，KOL 渠道能分到多少个注册？",
                      en="How many signups does first-touch attribution credit to KOL?"),
          hint=Text(zh="只看最终注册了的访客；把每个人的访问按时间排好，第一次访问的渠道"
                       "拿走这个注册的全部功劳。",
                    en="keep the visitors who signed up; order each one's visits by time, "
                       "and the channel of the first visit gets the whole credit."))
def first_touch_kol(data) -> float:
    first = _converter_visits(data).groupby("visitor_id")["channel"].first()
    return float((first == "kol").sum())


@first_touch_kol.mistake(Text(zh="这是末次触点归因：看的是注册那次访问的渠道。首次触点看的是"
                                 "每个注册访客的第一次访问。",
                              en="this is last-touch: the channel of the visit that signed "
                                 "up. First-touch credits each converter's first visit."))
def last_touch_kol(data) -> float:
    v = data["visits"]
    return float(v.loc[v["signed_up"], "channel"].eq("kol").sum())


@first_touch_kol.mistake(Text(zh="这里把没有注册的访客也算进去了；归因只分配注册用户的功劳。",
                              en="this also counts visitors who never signed up; attribution "
                                 "shares out the credit for signups only."))
def every_visitor_first(data) -> float:
    v = data["visits"].sort_values(["visitor_id", "visit_time"])
    return float(v.groupby("visitor_id")["channel"].first().eq("kol").sum())
