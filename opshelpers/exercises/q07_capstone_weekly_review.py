"""Questions of 07_capstone_weekly_review: the week of 20 April, its change, cause and size."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from . import question
from .q06_data import _dau

WEEK = ("2026-04-20", "2026-04-26")            # the week under review (Mon–Sun)
LAST = ("2026-04-13", "2026-04-19")            # the week before it
BEFORE = ("2026-03-23", "2026-04-19")          # the four weeks before it


@question("q1_week_dau", "07_capstone_weekly_review", tolerance=0.5,
          prompt=Text(zh="本周（2026-04-20 至 2026-04-26）的平均日活 DAU 是多少？",
                      en="What was the mean DAU in the week of 20 April (2026-04-20 … "
                         "2026-04-26)?"),
          hint=Text(zh="先算这 7 天每天的日活（当天去重用户数），再取平均。",
                    en="daily DAU of the seven days first (distinct users each day), then "
                       "the mean."))
def week_dau(data) -> float:
    return float(_dau(data)[WEEK[0]:WEEK[1]].mean())


@week_dau.mistake(Text(zh="这是周活（整周去重的用户数）；题目问的是 7 天日活的平均。",
                       en="this is the weekly active users (distinct over the week); the "
                          "question asks for the mean of the seven daily DAUs."))
def week_wau(data) -> int:
    e = data["events"]
    return int(e.loc[e["event_time"].dt.normalize().between(*WEEK), "user_id"].nunique())


def _paid_in(data, window: tuple[str, str]) -> float:
    o = data["orders"]
    return o.loc[o["order_time"].dt.normalize().between(*window), "paid"].sum()


@question("q2_week_gmv_wow", "07_capstone_weekly_review", signed=True, tolerance=0.0005,
          prompt=Text(zh="本周的实付金额比上周变化了多少？用周环比作答，写成小数（例如 0.05）。",
                      en="Revenue (amount paid) this week vs last week, as a change (e.g. "
                         "0.05)."),
          hint=Text(zh="两周都按周一到周日算，各自把实付金额 `paid` 加总；周环比 = 本周 / 上周 − 1。",
                    en="sum what was paid in each week (Monday to Sunday); the change is this "
                       "week / last week − 1."))
def week_gmv_wow(data) -> float:
    return float(_paid_in(data, WEEK) / _paid_in(data, LAST) - 1)


@week_gmv_wow.mistake(Text(zh="这是两周实付金额相差的元数；周环比要相对变化（本周 / 上周 − 1）。",
                           en="this is the difference in CNY; the question asks for the "
                              "relative change (this week / last week − 1)."))
def week_change_in_cny(data) -> float:
    return float(_paid_in(data, WEEK) - _paid_in(data, LAST))


@week_gmv_wow.mistake(Text(zh="两周都漏掉了周日：拿带时间的下单时间和日期字符串比，区间只到周日零点。"
                              "先取日期再筛。",
                           en="both weeks miss their Sunday: comparing order times with date "
                              "strings stops at midnight as Sunday begins. Take the date "
                              "first."))
def week_without_sunday(data) -> float:
    o = data["orders"]
    t = o["order_time"]
    return float(o.loc[t.between(*WEEK), "paid"].sum() / o.loc[t.between(*LAST), "paid"].sum()
                 - 1)


def _signups(data, window: tuple[str, str]) -> pd.Series:
    v = data["visits"]
    day = v["visit_time"].dt.normalize()
    return v[day.between(*window)].groupby("channel")["signed_up"].sum()


@question("q3_worst_channel", "07_capstone_weekly_review", kind="text",
          prompt=Text(zh="和上周比，哪个渠道的注册数减少得最多？用数据里的渠道名作答。",
                      en="Which channel lost the most signups week over week? Answer with the "
                         "channel's name as in the data."),
          hint=Text(zh="按渠道分别算本周和上周的注册数，相减，看哪个负得最多。",
                    en="signups per channel this week minus last week; the most negative."))
def worst_channel(data) -> str:
    return str((_signups(data, WEEK) - _signups(data, LAST)).idxmin())


def _drop_channel_visits(data) -> pd.DataFrame:
    v = data["visits"]
    return v[v["channel"] == data.scenario.traffic.drop_channel]


def _in(visits: pd.DataFrame, window: tuple[str, str]) -> pd.DataFrame:
    return visits[visits["visit_time"].dt.normalize().between(*window)]


@question("q4_xhs_cvr_week", "07_capstone_weekly_review", rate=True, tolerance=0.002,
          prompt=Text(zh="本周 `{s.traffic.drop_channel}` 渠道从访问到注册的转化率是多少？"
                         "用 0–1 之间的小数作答。",
                      en="What was `{s.traffic.drop_channel}`'s visit → signup conversion this "
                         "week? Give a fraction between 0 and 1."),
          hint=Text(zh="只看这个渠道本周的访问：注册了的访问 / 全部访问。",
                    en="its visits this week only: the visits that signed up over all of "
                       "them."))
def xhs_cvr_week(data) -> float:
    return float(_in(_drop_channel_visits(data), WEEK)["signed_up"].mean())


@xhs_cvr_week.mistake(Text(zh="这是这个渠道整个半年的转化率；题目只看本周。",
                           en="this is the channel's conversion over the whole half-year; the "
                              "question asks about this week."))
def xhs_cvr_half_year(data) -> float:
    return float(_drop_channel_visits(data)["signed_up"].mean())


@xhs_cvr_week.mistake(Text(zh="这是本周全部渠道的转化率；题目只问这一个渠道。",
                           en="this is this week's conversion over all channels; the question "
                              "asks about this one channel."))
def all_channels_cvr_week(data) -> float:
    return float(_in(data["visits"], WEEK)["signed_up"].mean())


def _lost(data, baseline: tuple[str, str]) -> float:
    x = _drop_channel_visits(data)
    before = _in(x, baseline)["signed_up"].mean()
    week = _in(x, WEEK)
    return float(len(week) * before - week["signed_up"].sum())


@question("q5_lost_signups", "07_capstone_weekly_review", signed=True, tolerance=3.0,
          prompt=Text(zh="如果 `{s.traffic.drop_channel}` 保持前四周（2026-03-23 至 2026-04-19）"
                         "的转化率，本周本该多拿到多少注册？也就是本周损失的注册数。",
                      en="How many signups did we lose this week, compared with "
                         "`{s.traffic.drop_channel}` keeping the conversion rate of the four "
                         "weeks before (2026-03-23 … 2026-04-19)?"),
          hint=Text(zh="预期注册 = 本周访问数 × 前四周的转化率；损失 = 预期注册 − 本周实际注册。",
                    en="expected = this week's visits × the conversion of the four weeks "
                       "before; lost = expected − this week's actual signups."))
def lost_signups(data) -> float:
    return _lost(data, BEFORE)


@lost_signups.mistake(Text(zh="基线转化率里混进了本周自己的数据，把下跌也算进了基线；基线只用前四周。",
                           en="the baseline conversion includes this week, drop and all; "
                              "use the four weeks before only."))
def baseline_with_week(data) -> float:
    return _lost(data, (BEFORE[0], WEEK[1]))


@lost_signups.mistake(Text(zh="基线只用了上周一周的转化率：一周样本少、波动大。题目用前四周的转化率。",
                           en="the baseline is last week's conversion alone, a small and noisy "
                              "sample; the question uses the four weeks before."))
def baseline_last_week(data) -> float:
    return _lost(data, LAST)


@question("q6_ending_campaign", "07_capstone_weekly_review", kind="text",
          prompt=Text(zh="本周结束的是哪个活动？用 `campaign_id` 作答。",
                      en="Which campaign ended this week? Answer with its `campaign_id`."),
          hint=Text(zh="在 `campaigns` 里找结束日期 `end_date` 落在本周（周一到周日）的活动。",
                    en="the campaign whose `end_date` falls in this week (Monday to "
                       "Sunday)."))
def ending_campaign(data) -> str:
    c = data["campaigns"]
    return str(c[c["end_date"].between(*WEEK)]["campaign_id"].iloc[0])


@ending_campaign.mistake(Text(zh="这个活动本周还在进行，但没有在本周结束；题目问的是本周结束的活动。",
                              en="this campaign runs during the week but does not end in it; "
                                 "the question asks which one ended."))
def still_running(data) -> str:
    c = data["campaigns"]
    running = (c["start_date"] <= WEEK[1]) & (c["end_date"] > WEEK[1])
    return str(c[running]["campaign_id"].iloc[0])
