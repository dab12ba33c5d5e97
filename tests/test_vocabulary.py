"""One vocabulary (docs/vocabulary.md): signatures, old names, result columns, bad
parameters, and one definition per metric."""

import importlib
import inspect
import warnings

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import (activity, community, content, experiments, glossary, metrics,
                        monitor, sql, traffic, users)

MODULES = ["activity", "arrays", "changes", "community", "content", "events", "experiments",
           "metrics", "monitor", "quality", "reports", "sql", "traffic", "users"]
# parameter names the vocabulary retired, and what replaced them
RETIRED = {"cohort": "freq", "window_days": "window", "gap_minutes": "gap",
           "horizon": "follow_up_days", "outcome": "metric / follow_up_days",
           "treated": "treatment", "a": "control", "b": "treatment", "value": "metric",
           "rate": "metric", "customer": "user", "success_a": "successes_control",
           "success_b": "successes_treatment", "n_a": "n_control", "n_b": "n_treatment"}


def public_functions():
    for name in MODULES:
        module = importlib.import_module(f"opshelpers.{name}")
        for fname in getattr(module, "__all__", []):
            obj = getattr(module, fname)
            if inspect.isfunction(obj):
                yield f"{name}.{fname}", obj


@pytest.mark.parametrize("name, func", list(public_functions()))
def test_signatures_speak_the_vocabulary(name, func):
    params = inspect.signature(func).parameters
    retired = {p: RETIRED[p] for p in params if p in RETIRED}
    assert not retired, f"{name} still takes {retired} (old → new)"
    for p in params.values():
        if p.name in ("window", "gap") and p.default is not p.empty:
            assert isinstance(p.default, str), f"{name}({p.name}=) must default to a duration"
        if p.name == "freq" and p.default is not p.empty:
            assert p.default in ops.arrays.PERIODS, name
    if "control" in params and "treatment" in params and "metric" in params:
        order = list(params)
        assert order.index("metric") < order.index("control"), f"{name}: data, metric, arms"


def test_the_scan_finds_functions():
    assert len(list(public_functions())) > 80


def tiny_outcomes():
    return pd.DataFrame({"variant": ["A"] * 500 + ["B"] * 500,
                         "converted": [1] * 50 + [0] * 450 + [1] * 80 + [0] * 420,
                         "revenue": np.r_[np.arange(500) % 9, np.arange(500) % 11] * 1.0,
                         "pre_revenue": np.r_[np.arange(500) % 7, np.arange(500) % 5] * 1.0})


def tiny_events():
    t = pd.to_datetime(["2026-01-01 09:00", "2026-01-01 09:20", "2026-01-01 11:00",
                        "2026-01-03 10:00", "2026-01-02 08:00"])
    return pd.DataFrame({"user_id": [1, 1, 1, 1, 2], "event_time": t,
                         "event": ["app_open", "view_product", "purchase", "app_open",
                                   "app_open"]})


def tiny_users():
    return pd.DataFrame({"user_id": [1, 2], "channel": ["seo", "kol"],
                         "signup_time": pd.to_datetime(["2026-01-01 08:00",
                                                        "2026-01-02 07:00"])})


# (old call, today's call): the old one warns once and returns the same result
OLD_AND_NEW = {
    "retention(cohort=)": (lambda: users.retention(tiny_users(), tiny_events(), cohort="D"),
                           lambda: users.retention(tiny_users(), tiny_events(), freq="D")),
    "retention_triangle(value=)": (
        lambda: users.retention_triangle(users.retention(tiny_users(), tiny_events()),
                                         value="rate"),
        lambda: users.retention_triangle(users.retention(tiny_users(), tiny_events()),
                                         metric="rate")),
    "conversion_test positional": (
        lambda: experiments.conversion_test(tiny_outcomes(), "A", "B", "converted"),
        lambda: experiments.conversion_test(tiny_outcomes(), "converted", control="A",
                                            treatment="B")),
    "mean_test positional": (
        lambda: experiments.mean_test(tiny_outcomes(), "revenue", "A", "B"),
        lambda: experiments.mean_test(tiny_outcomes(), "revenue", control="A",
                                      treatment="B")),
    "cuped positional": (
        lambda: experiments.cuped(tiny_outcomes(), "revenue", "pre_revenue", "A", "B"),
        lambda: experiments.cuped(tiny_outcomes(), control="A", treatment="B")),
    "two_proportions(success_a=)": (
        lambda: pd.DataFrame([metrics.two_proportions(success_a=5, n_a=50, success_b=9,
                                                      n_b=50)]),
        lambda: pd.DataFrame([metrics.two_proportions(5, 50, 9, 50)])),
    "stickiness(window=2)": (lambda: monitor.stickiness(tiny_events(), window=2),
                             lambda: monitor.stickiness(tiny_events(), window="2D")),
    "funnel_sql(window_days=)": (lambda: sql.funnel_sql(["a", "b"], window_days=3),
                                 lambda: sql.funnel_sql(["a", "b"], window="3D")),
    "funnel_sql(steps, 3)": (lambda: sql.funnel_sql(["a", "b"], 3),
                             lambda: sql.funnel_sql(["a", "b"], "3D")),
    "sessions_sql(gap_minutes=)": (lambda: sql.sessions_sql(gap_minutes=45),
                                   lambda: sql.sessions_sql(gap="45min")),
    "dau_mau_sql(30)": (lambda: sql.dau_mau_sql(30), lambda: sql.dau_mau_sql("30D")),
    "retention_sql(cohort='month')": (lambda: sql.retention_sql((1, 7), cohort="month"),
                                      lambda: sql.retention_sql((1, 7), freq="M")),
    "retention_sql((1, 7), 'week')": (lambda: sql.retention_sql((1, 7), "week"),
                                      lambda: sql.retention_sql((1, 7), "W")),
}


@pytest.mark.parametrize("case", list(OLD_AND_NEW))
def test_old_names_warn_once_and_give_the_same_result(case):
    old, new = OLD_AND_NEW[case]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        before = old()
    deprecations = [w for w in seen if w.category is FutureWarning]
    assert len(deprecations) == 1, [str(w.message) for w in seen]
    assert "deprecated: write" in str(deprecations[0].message)
    assert deprecations[0].filename == __file__          # points at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        today = new()
    if isinstance(today, str):
        assert before == today
    else:
        pd.testing.assert_frame_equal(before, today)


def test_old_names_that_need_the_sample(t):
    a, e = t["ab_assignments"], t["events"]
    with pytest.warns(FutureWarning, match=r"winback_effect\(treated='message'\)"):
        old = users.winback_effect(a, e, treated="message")
    with pytest.warns(FutureWarning, match=r"winback_effect\(window_days=14\) is deprecated: "
                                           r"write winback_effect\(window='14D'\)"):
        users.winback_effect(a, e, window_days=14)
    pd.testing.assert_frame_equal(old, users.winback_effect(a, e, treatment="message"))
    v = t["visits"][t["visits"]["landing_page"] != "lp_invite"]
    with pytest.warns(FutureWarning, match=r"compare_pages\(a='lp_a'\)"):
        old = traffic.compare_pages(v, a="lp_a")
    pd.testing.assert_frame_equal(old, traffic.compare_pages(v, control="lp_a"))
    with pytest.warns(FutureWarning, match=r"rfm_summary\(customer='user_id'\)"):
        old = users.rfm_summary(t["orders"], customer="user_id")
    pd.testing.assert_frame_equal(old, users.rfm_summary(t["orders"]))
    with pytest.warns(FutureWarning, match=r"title_effects\(outcome='read_rate'\)"):
        old = content.title_effects(t["posts"], outcome="read_rate")
    pd.testing.assert_frame_equal(old, content.title_effects(t["posts"]))


def test_both_spellings_at_once_is_an_error():
    with pytest.raises(TypeError, match=r"both cohort= \(deprecated\) and freq="):
        users.retention(tiny_users(), tiny_events(), cohort="D", freq="D")
    with pytest.raises(TypeError, match=r"got \['control'\] twice"):
        experiments.conversion_test(tiny_outcomes(), "A", "B", control="A")


def test_warnings_speak_the_users_language():
    ops.i18n.set_language("zh")
    with pytest.warns(FutureWarning, match=r"retention\(cohort='D'\) 的写法已弃用，请改为 "
                                           r"retention\(freq='D'\)"):
        users.retention(tiny_users(), tiny_events(), cohort="D")


def test_result_columns_name_the_arms_and_intervals(t):
    frames = {
        "conversion_test": experiments.conversion_test(tiny_outcomes()),
        "mean_test": experiments.mean_test(tiny_outcomes()),
        "compare_pages": traffic.compare_pages(
            t["visits"][t["visits"]["landing_page"] != "lp_invite"]),
        "winback_effect": users.winback_effect(t["ab_assignments"], t["events"]),
        "phase_report": activity.phase_report(t["orders"], t["campaigns"], t["events"],
                                              ["618_warmup", "618_burst", "618_tail"]),
        "challenge_effect": community.challenge_effect(
            t["community_members"], t["community_daily"], ["g02", "g05"], "2026-04-06",
            "2026-04-26"),
    }
    for name, df in frames.items():
        cols = list(df.columns)
        assert not [c for c in cols if c.endswith(("_a", "_b"))], (name, cols)
        assert not {"ci_low", "ci_high", "relative_low", "relative_high"} & set(cols), name
        for c in cols:                    # every interval has its estimate beside it
            if c.endswith("_low"):
                assert c.removesuffix("_low") in cols or c.removesuffix("_wald_low") in cols, \
                    (name, c)
                assert c.removesuffix("_low") + "_high" in cols, (name, c)


@pytest.mark.parametrize("bad", [0, -3, "-1D", "0D", None, "abc", True])
def test_a_bad_window_stops_with_the_parameter_named(t, bad):
    e, u = tiny_events(), tiny_users()
    calls = [lambda: users.funnel(e, ["app_open", "purchase"], window=bad),
             lambda: users.sessions(e, gap=bad),
             lambda: monitor.stickiness(e, window=bad),
             lambda: users.winback_effect(t["ab_assignments"], t["events"], window=bad),
             lambda: community.challenge_effect(t["community_members"], t["community_daily"],
                                                ["g02"], "2026-04-06", "2026-04-26",
                                                window=bad),
             lambda: sql.funnel_sql(["a", "b"], window=bad),
             lambda: sql.sessions_sql(gap=bad),
             lambda: sql.dau_mau_sql(window=bad)]
    for call in calls:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)     # old unitless spellings
            with pytest.raises(ValueError, match=r"^(window|gap)(=\S+ has no unit| must be "
                                                 r"a positive duration)"):
                call()


def test_calendar_windows_must_be_whole_days(t):
    with pytest.raises(ValueError, match=r"^window counts calendar days, so it must be whole"):
        monitor.stickiness(tiny_events(), window="36h")
    with pytest.raises(ValueError, match=r"^window counts calendar days"):
        users.winback_effect(t["ab_assignments"], t["events"], window="1D12h")


def test_bad_funnel_steps_are_named():
    e = tiny_events()
    for steps in ([], ["app_open"], "app_open"):
        with pytest.raises(ValueError, match=r"^a funnel needs at least two steps"):
            users.funnel(e, steps)
    with pytest.raises(ValueError, match=r"step\(s\) \['pay'\] never occur in events; events "
                                         r"seen: \['app_open', 'purchase', 'view_product'\]"):
        users.funnel(e, ["app_open", "pay"])


def test_a_missing_column_is_one_error_type_everywhere(t, tmp_path):
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,user_id\n1,2\n", encoding="utf-8")
    cases = [lambda: users.retention(tiny_users().drop(columns="signup_time"), tiny_events()),
             lambda: traffic.uv_pv(t["visits"].drop(columns="visitor_id")),
             lambda: experiments.conversion_test(tiny_outcomes().drop(columns="converted")),
             lambda: ops.read_table(csv, table="orders")]
    for call in cases:
        with pytest.raises(ops.SchemaError) as err:
            call()
        assert isinstance(err.value, KeyError) and isinstance(err.value, ValueError)
        assert not str(err.value).startswith(("'", '"'))      # not KeyError's quoted repr


# ------------------------------------------------------------------ one definition
def _recomputed(metric: str, df: pd.DataFrame) -> pd.Series:
    """The glossary formula of `metric`, recomputed from the columns beside it."""
    def div(a, b):
        return pd.Series(metrics.ratio(a, b), index=df.index)

    def paid_only(x):            # cost metrics of a free channel are undefined, not 0
        return x.where(df["spend"] > 0)

    formulas = {
        "ctr": lambda: div(df["clicks"], df["impressions"]),
        "cvr": lambda: div(df["signups"], df["visits"]),
        "cpc": lambda: paid_only(div(df["spend"], df["clicks"])),
        "cpa": lambda: paid_only(div(df["spend"], df["signups"])),
        "roi": lambda: paid_only(div(df["revenue"] * df["margin"] - df["spend"],
                                     df["spend"])),
        "click_cvr": lambda: div(df["signups"], df["clicks"]),
        "cpm": lambda: div(df["spend"], df["reads"]) * 1000,
        "cpe": lambda: div(df["spend"], df[["likes", "comments", "shares", "saves"]]
                           .sum(axis=1)),
        "cost_per_order": lambda: div(df["spend"], df["orders"]),
        "roas": lambda: paid_only(div(df["revenue"], df["spend"])),
        "bounce_rate": lambda: div(df["bounces"], df["visits"]),
        "stickiness": lambda: div(df["dau"], df["mau"]),
        "paying_rate": lambda: div(df["payers"] if "payers" in df else df["paying_users"],
                                   df["active_users"]),
        "arpu": lambda: div(df["revenue"], df["active_users"]),
        "arppu": lambda: div(df["revenue"], df["paying_users"]),
        "aov": lambda: div(df["gmv"], df["orders"]),
        "paid_aov": lambda: div(df["revenue"], df["orders"]),
        "k_factor": lambda: div(df["referred_signups"], df["users"]),
        "read_rate": lambda: div(df["reads"], df["impressions"]),
        "engagement_rate": lambda: div(df[["likes", "comments", "shares", "saves"]].sum(axis=1),
                                       df["reads"]),
        "share_rate": lambda: div(df["shares"], df["reads"]),
        "like_rate": lambda: div(df["likes"], df["reads"]),
        "campaign_roi": lambda: div(df["incremental_gmv"] * 0.5 - df["spend"]
                                    - df["coupon_cost"], df["spend"] + df["coupon_cost"]),
        "incremental_gmv": lambda: df["gmv"] - df["baseline_gmv"],
        "csat": lambda: div(df["satisfied"], df["feedback"]),
        "open_rate": lambda: div(df["reads"], df["audience"]),
    }
    return formulas[metric]()


def _outputs(t) -> dict[str, pd.DataFrame]:
    return {
        "traffic.channel_report": traffic.channel_report(t["channel_daily"], t["visits"],
                                                         t["orders"]),
        "traffic.uv_pv": traffic.uv_pv(t["visits"]),
        "traffic.keyword_report": traffic.keyword_report(t["search_terms"]),
        "traffic.kol_report": traffic.kol_report(t["kol_posts"]),
        "monitor.stickiness": monitor.stickiness(t["events"]),
        "monitor.kpi_table": monitor.kpi_table(t["events"], t["orders"], "W"),
        "users.revenue_metrics": users.revenue_metrics(t["events"], t["orders"]),
        "users.referral": users.referral(t["users"], t["events"]),
        "users.campaign_quality": users.campaign_quality(t["users"], t["user_campaigns"],
                                                         t["events"], t["orders"]),
        "content.post_engagement": content.post_engagement(t["posts"]),
        "content.engagement": content.engagement(t["posts"], by="platform"),
        "community.satisfaction_by_source": community.satisfaction_by_source(t["feedback"]),
        "community.push_report": community.push_report(t["pool_pushes"]),
        "community.push_fatigue": community.push_fatigue(t["pool_pushes"]),
        "activity.phase_report": activity.phase_report(
            t["orders"], t["campaigns"], t["events"], ["618_warmup", "618_burst", "618_tail"],
            margin=0.5),
    }


COUNTS = {"uv", "dau", "mau"}      # counts: checked against raw tables in their modules' tests


def test_every_computed_metric_follows_its_glossary_formula(t):
    outputs = _outputs(t)
    checked = 0
    for metric, places in glossary.COMPUTED_IN.items():
        assert metric in glossary.METRICS, metric
        for where, column in places:
            out = outputs[where]
            assert column in out, (metric, where)
            if metric in COUNTS:
                continue
            got, want = out[column].astype(float), _recomputed(metric, out).astype(float)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, equal_nan=True,
                                       err_msg=f"{metric} in {where}")
            assert got.notna().any(), (metric, where)
            checked += 1
    assert checked >= 20


def test_revenue_columns_are_the_sums_the_formulas_assume(t):
    o = t["orders"]
    money = users.revenue_metrics(t["events"], o, freq="M")
    month = o["order_time"].dt.to_period("M").dt.start_time
    assert np.allclose(money["revenue"], o.groupby(month)["paid"].sum().to_numpy(), rtol=1e-12)
    kpis = monitor.kpi_table(t["events"], o, "W")
    week = o["order_time"].dt.to_period("W").dt.start_time
    assert np.allclose(kpis["gmv"], o.groupby(week)["gmv"].sum().reindex(kpis["period"])
                       .fillna(0).to_numpy(), rtol=1e-12)
