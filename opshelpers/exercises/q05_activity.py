"""Questions of 05_activity: the 618 burst, a fraud ring, the checkout test, SRM, sample size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import Text
from . import question
from .q02_users import WINBACK

BASELINE = ("2026-05-11", "2026-05-31")      # the three ordinary weeks before 618
CHECKOUT = "checkout_button"                  # the checkout experiment of ab_assignments


def _burst(data) -> tuple[str, str]:
    start, end, _ = data.scenario.activity.phases_618["burst"]
    return start, end


def _gmv_between(data, start: str, end: str, column: str = "gmv",
                 whole_last_day: bool = True) -> float:
    """Sum of `column` over orders from `start` to `end`: calendar days, both included
    (`whole_last_day=False` is the mistake of stopping at the last day's midnight)."""
    o = data["orders"]
    when = o["order_time"].dt.normalize() if whole_last_day else o["order_time"]
    return float(o.loc[when.between(start, end), column].sum())


@question("q1_burst_gmv", "05_activity", tolerance=1.0,
          prompt=Text(zh="618 爆发期（{s.activity.phases_618[burst][0]} 至 "
                         "{s.activity.phases_618[burst][1]}）的 GMV 一共多少元？",
                      en="What was the total GMV during the 618 burst "
                         "({s.activity.phases_618[burst][0]} … "
                         "{s.activity.phases_618[burst][1]})?"),
          hint=Text(zh="GMV 是优惠前的成交额（`gmv` 列），不是实付金额。时间窗要包含最后一天的"
                       "全天，不要只到当天零点。",
                    en="GMV is before discounts (the `gmv` column), not the amount paid. Make "
                       "sure the window includes the whole of its last day."))
def burst_gmv(data) -> float:
    start, end = _burst(data)
    return _gmv_between(data, start, end)


@burst_gmv.mistake(Text(zh="这是实付金额（`paid`，优惠后）；GMV 是优惠前的成交额。",
                        en="this is the amount paid (after discounts); GMV is before "
                           "discounts."))
def burst_paid(data) -> float:
    start, end = _burst(data)
    return _gmv_between(data, start, end, "paid")


@burst_gmv.mistake(Text(zh="时间窗只到最后一天的零点，最后一整天的订单都漏掉了。",
                        en="the window stops at midnight at the start of the last day, so "
                           "that day's orders are missing."))
def burst_last_day_missing(data) -> float:
    return _gmv_between(data, *_burst(data), whole_last_day=False)


@burst_gmv.mistake(Text(zh="这是整个 618 活动（预热期到延续期）的 GMV；题目只问爆发期。",
                        en="this is the GMV of the whole 618 campaign (warm-up to tail); the "
                           "question asks for the burst only."))
def whole_618(data) -> float:
    phases = data.scenario.activity.phases_618
    return _gmv_between(data, phases["warmup"][0], phases["tail"][1])


def _daily_gmv(data) -> pd.Series:
    o = data["orders"]
    return o.groupby(o["order_time"].dt.normalize())["gmv"].sum()


def _burst_over_base(data) -> float:
    daily = _daily_gmv(data)
    start, end = _burst(data)
    return daily[start:end].mean() / daily[BASELINE[0]:BASELINE[1]].mean()


@question("q2_burst_lift", "05_activity", signed=True, tolerance=0.02,
          prompt=Text(zh="爆发期的日均 GMV，比平日基线（2026-05-11 至 2026-05-31 的日均 GMV）"
                         "高出多少？用“爆发期日均 ÷ 基线日均 − 1”作答。",
                      en="Burst GMV per day relative to the baseline (mean daily GMV of "
                         "2026-05-11 … 2026-05-31), minus 1."),
          hint=Text(zh="先算每天的 GMV，再分别求两个时间窗的日均；两个窗口天数不同，只能比日均。",
                    en="daily GMV first, then the mean of each window; the windows differ in "
                       "length, so compare means per day."))
def burst_lift(data) -> float:
    return float(_burst_over_base(data) - 1)


@burst_lift.mistake(Text(zh="这是倍数本身，还没减 1；题目问的是高出多少（倍数 − 1）。",
                         en="this is the ratio itself; the question asks for the lift, "
                            "ratio − 1."))
def burst_ratio(data) -> float:
    return float(_burst_over_base(data))


@burst_lift.mistake(Text(zh="这是两个时间窗 GMV 总额之比：两个窗口天数不同，要比日均。",
                         en="this compares the windows' total GMV, but they differ in length; "
                            "compare GMV per day."))
def totals_ratio(data) -> float:
    daily = _daily_gmv(data)
    start, end = _burst(data)
    return float(daily[start:end].sum() / daily[BASELINE[0]:BASELINE[1]].sum() - 1)


@burst_lift.mistake(Text(zh="这比的是客单价（每单平均 GMV）；题目比的是每天的 GMV。",
                         en="this compares the average order value; the question compares GMV "
                            "per day."))
def aov_lift(data) -> float:
    o = data["orders"]
    day = o["order_time"].dt.normalize()
    start, end = _burst(data)
    burst = o.loc[day.between(start, end), "gmv"].mean()
    return float(burst / o.loc[day.between(*BASELINE), "gmv"].mean() - 1)


@question("q3_ring_accounts", "05_activity", tolerance=0,
          prompt=Text(zh="被共用最多的那台设备上，登录下单过多少个账号？",
                      en="How many accounts share the most-shared device?"),
          hint=Text(zh="在订单表里按设备号 `device_id` 数不同的用户数，看最大的那个。",
                    en="count distinct users per `device_id` in orders, and take the "
                       "largest."))
def ring_accounts(data) -> int:
    return int(data["orders"].groupby("device_id")["user_id"].nunique().max())


@ring_accounts.mistake(Text(zh="这数的是订单数：同一个账号下了好几单会被重复计数。题目按账号去重。",
                            en="this counts orders, so an account that ordered several times "
                               "counts several times; count distinct accounts."))
def orders_per_device(data) -> int:
    return int(data["orders"].groupby("device_id").size().max())


@ring_accounts.mistake(Text(zh="这是按 IP 分组的结果；题目问的是同一台设备（`device_id`）。",
                            en="this groups by IP address; the question asks about one device "
                               "(`device_id`)."))
def accounts_per_ip(data) -> int:
    return int(data["orders"].groupby("ip")["user_id"].nunique().max())


def _checkout_outcomes(data, until_end: bool = True) -> pd.DataFrame:
    """Per user of the checkout test: ordered during it, test revenue, revenue before it."""
    ab = data["ab_assignments"]
    ab = ab[ab["experiment"] == CHECKOUT]
    o = data["orders"]
    start, end = data.scenario.activity.ab_window
    m = ab.merge(o[["user_id", "order_time", "paid"]], on="user_id", how="left")
    keep = m["order_time"] >= m["assigned_time"]
    if until_end:
        keep &= m["order_time"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    m = m[keep]
    pre = o[o["order_time"] < start].groupby("user_id")["paid"].sum()
    return ab.assign(converted=ab["user_id"].isin(m["user_id"]),
                     revenue=ab["user_id"].map(m.groupby("user_id")["paid"].sum()).fillna(0),
                     pre=ab["user_id"].map(pre).fillna(0))


def _b_minus_a(d: pd.DataFrame) -> float:
    rate = d.groupby("variant")["converted"].mean()
    return float(rate["B"] - rate["A"])


@question("q4_checkout_diff", "05_activity", rate=True, signed=True, tolerance=0.002,
          prompt=Text(zh="结算按钮实验（`checkout_button`）里，B 组的下单转化率比 A 组高多少？"
                         "用 B − A 作答，写成小数。",
                      en="In the checkout test (`checkout_button`), by how much did B's "
                         "conversion beat A's? Answer B − A as a fraction."),
          hint=Text(zh="转化 = 分组之后、实验结束（{s.activity.ab_window[1]}，含当天）之前下过单。"
                       "两组各算转化率再相减。",
                    en="converted = ordered after being assigned and up to the end of the "
                       "test ({s.activity.ab_window[1]}, included). Compare the two "
                       "variants."))
def checkout_diff(data) -> float:
    return _b_minus_a(_checkout_outcomes(data))


@checkout_diff.mistake(Text(zh="这是相对提升（B / A − 1）；题目要两组转化率直接相减的差。",
                            en="this is the relative lift (B / A − 1); the question asks for "
                               "the difference of the two rates."))
def checkout_relative(data) -> float:
    rate = _checkout_outcomes(data).groupby("variant")["converted"].mean()
    return float(rate["B"] / rate["A"] - 1)


@checkout_diff.mistake(Text(zh="实验结束之后的订单也算进来了；转化只统计到实验结束那天。",
                            en="orders after the test ended count here too; conversion stops "
                               "at the test's last day."))
def after_test_end(data) -> float:
    return _b_minus_a(_checkout_outcomes(data, until_end=False))


def _pre_revenue_corr(data) -> float:
    d = _checkout_outcomes(data)
    return np.corrcoef(d["pre"], d["revenue"])[0, 1]


@question("q5_variance_reduction", "05_activity", rate=True, tolerance=0.01,
          prompt=Text(zh="用 CUPED、以实验开始（{s.activity.ab_window[0]}）前的实付金额作协变量，"
                         "结算实验里人均收入的方差能降低多少比例？",
                      en="By what share does CUPED reduce the variance of the checkout test's "
                         "revenue per user, with revenue before {s.activity.ab_window[0]} as "
                         "the covariate?"),
          hint=Text(zh="方差降低比例 = 1 − 调整后方差 / 原始方差。协变量和实验期收入的相关性越强，"
                       "降得越多：按用户对齐两者再算。",
                    en="1 − var(adjusted) / var(raw); the more the covariate correlates with "
                       "the test revenue, the more it shrinks. Line both up per user first."))
def variance_reduction(data) -> float:
    return float(_pre_revenue_corr(data) ** 2)


@variance_reduction.mistake(Text(zh="这是相关系数本身；方差降低的比例是相关系数的平方。",
                                 en="this is the correlation itself; the variance shrinks by "
                                    "its square."))
def correlation_only(data) -> float:
    return float(_pre_revenue_corr(data))


def _srm_pvalues(data, skip: tuple[str, ...] = (WINBACK,)) -> pd.Series:
    from scipy.stats import chisquare

    ab = data["ab_assignments"]
    tests = ab[~ab["experiment"].isin(skip)]
    return tests.groupby("experiment")["variant"].apply(
        lambda v: chisquare(v.value_counts()).pvalue)


@question("q6_srm_experiment", "05_activity", kind="text",
          prompt=Text(zh="哪个 A/B 实验出现了样本比例失衡（SRM）？用实验名作答。",
                      en="Which A/B test has a sample-ratio mismatch (SRM)? Answer with the "
                         "experiment's name."),
          hint=Text(zh="对每个按 1:1 分流的实验，用卡方检验比较两组的实际人数和预期人数，"
                       "p 值最小的那个就是。",
                    en="for each test meant to split 1:1, a χ² test of its variant counts; "
                       "the smallest p-value is the one."))
def srm_experiment(data) -> str:
    return str(_srm_pvalues(data).idxmin())


@srm_experiment.mistake(Text(zh="`winback_0510` 本来就是 9:1 的留出组设计，人数不均是故意的；"
                                "样本比例失衡是实际分流偏离了设计比例。",
                             en="`winback_0510` is a 90/10 holdout by design; a sample-ratio "
                                "mismatch is a split that differs from the one intended."))
def holdout_by_design(data) -> str:
    return str(_srm_pvalues(data, skip=()).idxmin())


def _users_per_arm(alternative: str = "two-sided") -> float:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    es = proportion_effectsize(0.185, 0.17)
    return float(np.ceil(NormalIndPower().solve_power(effect_size=abs(es), alpha=0.05,
                                                      power=0.8, alternative=alternative)))


@question("q7_sample_size", "05_activity", tolerance=5,
          prompt=Text(zh="想把转化率从 17% 提到 18.5% 的效果测出来（检验功效 80%，α = 0.05，"
                         "双侧检验），每组需要多少用户？",
                      en="How many users per arm would detect 17 % → 18.5 % with 80 % power, "
                         "α = 0.05 (two-sided)?"),
          hint=Text(zh="两比例检验的样本量：基线 17%，最小可检测提升 1.5 个百分点；答案是每组的人数。",
                    en="a two-proportion sample size: baseline 17 %, minimum detectable "
                       "effect 1.5 points; answer per arm."))
def sample_size(data) -> float:
    return _users_per_arm()


@sample_size.mistake(Text(zh="这是两组加起来的总人数；题目问的是每组多少人。",
                          en="this is the total over both arms; the question asks per arm."))
def both_arms(data) -> float:
    return 2 * _users_per_arm()


@sample_size.mistake(Text(zh="这是单侧检验的样本量；题目按双侧检验算。",
                          en="this is the one-sided sample size; the question is two-sided."))
def one_sided(data) -> float:
    return _users_per_arm("larger")
