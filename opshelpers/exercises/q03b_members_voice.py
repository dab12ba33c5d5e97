"""Questions of 03b_members_voice: the points liability and the voice of the user
(first edition, moved from 03_community until the lesson's rewrite lands)."""

from __future__ import annotations

import pandas as pd

from ..i18n import Text
from . import question

CNY_PER_POINT = 0.01


@question("q6_liability_cny", "03b_members_voice", tolerance=1.0,
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


@question("q7_surge_date", "03b_members_voice", kind="date", tolerance=3,
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


# Unlike a busiest day, which can fall on the change date itself, the first mention is
# the start of shipping's "before" level: the change scan keeps at least `min_days` (14)
# feedback days before the change, so the two meet only if shipping went unmentioned
# in all of them but the last three (then "before" was no level at all).
@surge_date.mistake(Text(zh="这是第一次有人提到物流的日子：物流反馈一直都有，题目问的是它的占比从哪天起"
                            "明显抬升、而且没有再回落。",
                         en="this is the first day anyone mentioned shipping; shipping feedback "
                            "was there all along, and the question asks from which day its "
                            "share rose and stayed up."))
def first_shipping_mention(data) -> str:
    t = _tagged(data)
    return str(t.loc[t["theme_shipping"], "created_time"].min().date())
