"""opshelpers.experiments and opshelpers.activity: scipy/statsmodels equality, planted
facts (A/B lift, CUPED, SRM, 618 lift, fraud ring), hand-worked examples, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest

import opshelpers as ops
from opshelpers import activity as ac
from opshelpers import experiments as ex


@pytest.fixture(scope="module")
def s():
    names = ("orders", "campaigns", "events", "users", "ab_assignments")
    return {n: ops.load_sample(n) for n in names}


@pytest.fixture(scope="module")
def checkout(s, truths):
    first, last = truths.planted["activity"]["ab_window"]
    return ex.user_outcomes(s["ab_assignments"], s["orders"], "checkout_button", first, last,
                            pre_start="2026-01-01")


def toy(seed=0, n=400):
    rng = np.random.default_rng(seed)
    x = rng.gamma(2, 50, 2 * n)
    v = np.repeat(["A", "B"], n)
    y = 0.8 * x + rng.normal(0, 30, 2 * n) + np.where(v == "B", 10, 0)
    return pd.DataFrame({"variant": v, "revenue": y, "pre_revenue": x,
                         "converted": (rng.random(2 * n) < np.where(v == "B", .2, .1)).astype(int)})


def test_tests_equal_scipy_and_statsmodels():
    d = toy()
    a, b = d[d.variant == "A"], d[d.variant == "B"]
    m = ex.mean_test(d).iloc[0]
    ref = stats.ttest_ind(b["revenue"], a["revenue"], equal_var=False)
    assert m["t"] == pytest.approx(ref.statistic, abs=1e-9)
    assert m["p_value"] == pytest.approx(ref.pvalue, abs=1e-9)
    c = ex.conversion_test(d).iloc[0]
    z, p = proportions_ztest([b.converted.sum(), a.converted.sum()], [len(b), len(a)])
    assert c["p_value"] == pytest.approx(p, abs=1e-9)
    ps = [0.01, 0.04, 0.03, 0.2]
    for method in ("holm", "fdr_bh"):
        assert np.allclose(ex.adjust_pvalues(ps, method), multipletests(ps, method=method)[1],
                           atol=1e-12)
    es = proportion_effectsize(0.115, 0.10)
    exact = NormalIndPower().solve_power(effect_size=abs(es), alpha=0.05, power=0.8)
    plan = ex.sample_size(0.10, 0.015).iloc[0]
    assert plan["n_control_exact"] == exact                        # unrounded, as statsmodels
    assert plan["n_control"] == plan["n_treatment"] == int(np.ceil(exact))
    assert plan["total"] == 2 * int(np.ceil(exact))
    uneven = ex.sample_size(0.10, 0.015, ratio=2).iloc[0]
    exact2 = NormalIndPower().solve_power(effect_size=abs(es), alpha=0.05, power=0.8, ratio=2)
    assert uneven["n_control_exact"] == exact2
    assert uneven["n_treatment"] == int(np.ceil(2 * exact2))
    mde = ex.minimum_detectable_effect(0.10, int(plan["n_control"]))
    assert mde == pytest.approx(0.015, abs=5e-5)


def test_delta_method_relative_ci_covers_truth_by_simulation():
    hits = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        d = pd.DataFrame({"variant": np.repeat(["A", "B"], 300),
                          "revenue": np.r_[rng.exponential(100, 300), rng.exponential(110, 300)]})
        r = ex.mean_test(d).iloc[0]
        hits += r["relative_lift_low"] <= 0.10 <= r["relative_lift_high"]
    assert 0.9 <= hits / 200 <= 0.99                     # ≈ 95 % coverage


def test_cuped_by_hand_and_unbiased():
    d = toy()
    c = ex.cuped(d).iloc[0]
    theta = np.cov(d.pre_revenue, d.revenue)[0, 1] / d.pre_revenue.var()
    assert c["theta"] == pytest.approx(theta, rel=1e-12)
    corr = np.corrcoef(d.pre_revenue, d.revenue)[0, 1]
    assert c["variance_reduction"] == pytest.approx(corr ** 2, rel=1e-9)
    assert c["diff"] == pytest.approx(10, abs=6)
    with pytest.raises(ValueError, match="constant"):
        ex.cuped(d.assign(pre_revenue=1.0))


def test_checkout_ab_planted(checkout, truths):
    c = ex.conversion_test(checkout).iloc[0]
    planted = truths.planted["activity"]
    assert c["diff_low"] <= planted["ab_rate_b"] - planted["ab_rate_a"] <= c["diff_high"]
    cu = ex.cuped(checkout).iloc[0]
    assert cu["variance_reduction"] >= 0.30
    plain = ex.mean_test(checkout).iloc[0]
    assert (cu["diff_high"] - cu["diff_low"]) < 0.85 * (plain["diff_high"] - plain["diff_low"])
    assert not ex.srm_check(checkout["variant"])["srm"].iloc[0]


def test_srm_flags_the_coupon_banner(s):
    b = s["ab_assignments"].query("experiment == 'coupon_banner'")
    r = ex.srm_check(b["variant"]).iloc[0]
    ref = stats.chisquare(b["variant"].value_counts().sort_index())
    assert r["p_value"] == pytest.approx(ref.pvalue, rel=1e-9) and r["srm"]
    broken = ex.srm_check(b["variant"])
    assert ex.decide(broken, ex.conversion_test(toy()), lang="en").startswith("Stop")
    assert ex.decide(broken, ex.conversion_test(toy()), lang="zh").startswith("停止：样本比例失衡")


def test_bad_experiment_input():
    with pytest.raises(ValueError, match="variant 'B' has zero users"):
        ex.conversion_test(toy().query("variant == 'A'"))
    with pytest.raises(ValueError, match="at least two variants"):
        ex.srm_check(pd.Series(["A"] * 10))
    with pytest.raises(ValueError, match=r"variant\(s\) \['C'\] have zero users"):
        ex.srm_check(pd.Series(["A", "B"] * 5), expected={"A": 1, "B": 1, "C": 1})


def test_decisions():
    d = toy(n=2000)
    ok = ex.srm_check(d["variant"])
    assert ex.decide(ok, ex.conversion_test(d), lang="en").startswith("Ship B")
    assert ex.decide(ok, ex.conversion_test(d), lang="zh").startswith("上线 B")
    flat = d.assign(converted=np.tile([0, 1], len(d) // 2))
    assert ex.decide(ok, ex.conversion_test(flat), lang="en").startswith("Keep running")


# ------------------------------------------------------------------ activity
def test_618_lift(s, truths):
    rep = ac.phase_report(s["orders"], s["campaigns"], s["events"],
                          ["618_warmup", "618_burst", "618_tail"]).set_index("phase")
    low = rep["incremental_gmv_low"] / rep["baseline_gmv"]
    high = rep["incremental_gmv_high"] / rep["baseline_gmv"]
    assert (rep["lift"] > 0).all()                           # every phase lifts GMV: no 0,
    assert (low[["burst", "tail"]] > 0).all()                # beyond doubt after the warm-up
    planted = {p: m - 1 for p, (_, _, m) in truths.planted["activity"]["phases_618"].items()}
    for phase, lift in planted.items():                      # the planted lift is inside; the
        # interval counts the baseline's day-to-day noise, campaign days vary ~±0.05 more
        assert low[phase] - 0.05 < lift < high[phase] + 0.05, phase
    assert rep.loc["tail", "lift"] < rep.loc["burst", "lift"]
    burst = rep.loc["burst"]
    assert burst["incremental_gmv_low"] > 0
    assert burst["gmv"] == pytest.approx(burst["baseline_gmv"] + burst["incremental_gmv"])
    with pytest.raises(ValueError, match="no campaigns"):
        ac.phase_report(s["orders"], s["campaigns"], s["events"], ["double11"])


def test_phase_report_by_hand():
    orders = pd.DataFrame({"user_id": [1, 2, 3], "gmv": [100.0, 100.0, 300.0],
                           "discount": [0.0, 0.0, 30.0], "paid": [100.0, 100.0, 270.0],
                           "order_time": pd.to_datetime(["2026-01-01", "2026-01-02",
                                                         "2026-01-03"])})
    camp = pd.DataFrame({"campaign_id": ["x"], "phase": ["burst"],
                         "start_date": pd.to_datetime(["2026-01-03"]),
                         "end_date": pd.to_datetime(["2026-01-03"]), "spend": [50.0]})
    events = pd.DataFrame({"user_id": [3, 4], "event_time": pd.to_datetime(["2026-01-03"] * 2)})
    r = ac.phase_report(orders, camp, events, ["x"], baseline_days=2, margin=0.5).iloc[0]
    assert r["incremental_gmv"] == 200.0 and r["coupon_cost"] == 30.0
    assert r["campaign_roi"] == pytest.approx((200 * 0.5 - 80) / 80)
    assert r["buyer_rate"] == 0.5 and r["lift"] == 2.0


def test_fraud_ring_precision_recall(s, truths):
    rings = ac.fraud_rings(s["orders"], s["users"], min_accounts=10)
    flagged = set(rings.iloc[0]["user_ids"])
    truth = set(truths.fraud_user_ids)
    precision = len(flagged & truth) / len(flagged)
    recall = len(flagged & truth) / len(truth)
    assert precision >= 0.9 and recall >= 0.9
    top = rings.iloc[0]
    assert top["devices"] <= 3 and top["coupon"] == "NEW20" and top["coupon_share"] == 1.0
    assert len(rings) == 1                      # nothing else that large


def test_pace_monitor_by_hand():
    orders = pd.DataFrame({"gmv": [10.0, 10.0, 40.0],
                           "order_time": pd.to_datetime(["2026-01-01 10:30", "2026-01-01 20:10",
                                                         "2026-01-02 10:05"])})
    pm = ac.pace_monitor(orders, 100.0, "2026-01-02", "2026-01-02", baseline_days=1)
    at10 = pm.set_index("hour").loc["2026-01-02 10:00"]
    assert at10["target_pace"] == 50.0 and at10["cumulative_gmv"] == 40.0
    assert at10["alert"]                          # 0.8 < 0.9
    assert pm["target_pace"].iloc[-1] == 100.0


def test_zero_control_conversions_are_undefined_with_a_reason_and_no_warning():
    import warnings

    d = pd.DataFrame({"variant": ["A"] * 100 + ["B"] * 100,
                      "converted": [0] * 100 + [1] * 10 + [0] * 90})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ex.conversion_test(d).iloc[0]
        m = ex.mean_test(d.assign(revenue=d["converted"] * 9.9)).iloc[0]
    assert np.isnan(r["relative_lift"]) and np.isnan(r["relative_lift_low"])
    assert r["note"].startswith("relative lift undefined: the control arm's converted is 0")
    assert np.isnan(m["relative_lift"]) and m["note"].startswith("relative lift undefined")
    assert r["diff"] == pytest.approx(0.1, abs=1e-15) and np.isfinite(r["diff_low"])


def test_wald_beside_newcombe_welch_df_and_the_ratio_ci_match_statsmodels_and_scipy():
    from statsmodels.stats.proportion import confint_proportions_2indep

    d = pd.DataFrame({"variant": ["A"] * 1000 + ["B"] * 800,
                      "converted": [1] * 100 + [0] * 900 + [1] * 150 + [0] * 650})
    r = ex.conversion_test(d).iloc[0]
    wald = confint_proportions_2indep(150, 800, 100, 1000, compare="diff", method="wald")
    ratio = confint_proportions_2indep(150, 800, 100, 1000, compare="ratio")
    assert (r["diff_wald_low"], r["diff_wald_high"]) == pytest.approx(wald, rel=1e-12)
    assert (r["relative_lift_low"] + 1, r["relative_lift_high"] + 1) == pytest.approx(
        ratio, rel=1e-12)
    assert (r["n_control"], r["successes_control"], r["n_treatment"],
            r["successes_treatment"]) == (1000, 100, 800, 150)
    assert r["relative_lift"] == pytest.approx(150 / 800 / 0.1 - 1, rel=1e-12)
    y = d.assign(revenue=np.arange(len(d)) % 7 * 1.5)
    m = ex.mean_test(y).iloc[0]
    a, b = y.loc[y["variant"] == "A", "revenue"], y.loc[y["variant"] == "B", "revenue"]
    va, vb = a.var() / len(a), b.var() / len(b)
    welch_df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    assert m["df"] == pytest.approx(welch_df, rel=1e-12)                 # by hand
    assert m["note"] == ""


def test_boundary_fraud_ring_of_exactly_min_accounts_is_reported():
    def ring(n):   # n accounts sharing one device and IP
        return pd.DataFrame({"user_id": range(1, n + 1), "device_id": ["dv1"] * n,
                             "ip": ["1.1.1.1"] * n, "coupon_code": ["NEW20"] * n,
                             "order_time": pd.Timestamp("2026-05-03")})
    assert len(ac.fraud_rings(ring(5), min_accounts=5)) == 1
    assert len(ac.fraud_rings(ring(4), min_accounts=5)) == 0


# ------------------------------------------------------------------ count_test (aggregated)
@pytest.mark.parametrize("test_id", ["title_ab", "post_time"])
def test_count_test_on_the_content_tests_matches_statsmodels(test_id):
    from statsmodels.stats.proportion import confint_proportions_2indep

    ct = ops.load_sample("content_tests").query("test_id == @test_id")
    r = ex.count_test(ct).iloc[0]
    a, b = ct[ct["variant"] == "A"], ct[ct["variant"] == "B"]
    sa, na, sb, nb = (int(x) for x in (a["reads"].sum(), a["impressions"].sum(),
                                       b["reads"].sum(), b["impressions"].sum()))
    assert (r["successes_control"], r["n_control"], r["successes_treatment"],
            r["n_treatment"]) == (sa, na, sb, nb)
    assert (r["metric"], r["control"], r["treatment"]) == ("reads/impressions", "A", "B")
    z, p = proportions_ztest([sb, sa], [nb, na])
    assert r["z"] == pytest.approx(z, rel=1e-12) and r["p_value"] == pytest.approx(p, rel=1e-9)
    pooled = (sa + sb) / (na + nb)                                       # by hand
    z_hand = (sb / nb - sa / na) / np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    assert r["z"] == pytest.approx(z_hand, rel=1e-9)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z_hand)), rel=1e-9)
    assert r["diff"] == pytest.approx(sb / nb - sa / na, rel=1e-12)
    newcombe = confint_proportions_2indep(sb, nb, sa, na, compare="diff", method="newcomb")
    wald = confint_proportions_2indep(sb, nb, sa, na, compare="diff", method="wald")
    ratio = confint_proportions_2indep(sb, nb, sa, na, compare="ratio", method="log-adjusted")
    assert (r["diff_low"], r["diff_high"]) == pytest.approx(newcombe, rel=1e-12)
    assert (r["diff_wald_low"], r["diff_wald_high"]) == pytest.approx(wald, rel=1e-12)
    assert (r["relative_lift_low"] + 1, r["relative_lift_high"] + 1) == pytest.approx(
        ratio, rel=1e-12)
    if test_id == "title_ab":      # planted: B's number title is read more, beyond doubt
        assert r["p_value"] < 0.01 and r["diff_low"] > 0
    else:                          # planted: the same read rate at 12:00 and 20:00
        assert r["p_value"] > 0.05 and r["diff_low"] < 0 < r["diff_high"]
    narrow = ex.count_test(ct, alpha=0.2).iloc[0]
    ci80 = confint_proportions_2indep(sb, nb, sa, na, compare="diff", method="newcomb",
                                      alpha=0.2)
    assert (narrow["diff_low"], narrow["diff_high"]) == pytest.approx(ci80, rel=1e-12)
    assert r["diff_low"] < narrow["diff_low"] < narrow["diff_high"] < r["diff_high"]


def test_count_test_equals_conversion_test_on_the_expanded_impressions():
    daily = pd.DataFrame({"variant": ["A", "A", "B", "B"], "reads": [6, 4, 8, 7],
                          "impressions": [60, 40, 50, 50]})
    counted = ex.count_test(daily).iloc[0]
    one_per_impression = pd.DataFrame({"variant": ["A"] * 100 + ["B"] * 100,
                                       "converted": [1] * 10 + [0] * 90 + [1] * 15 + [0] * 85})
    each = ex.conversion_test(one_per_impression).iloc[0]
    numbers = ["n_control", "successes_control", "rate_control", "n_treatment",
               "successes_treatment", "rate_treatment", "diff", "diff_low", "diff_high",
               "diff_wald_low", "diff_wald_high", "relative_lift", "relative_lift_low",
               "relative_lift_high", "z", "p_value"]
    assert counted[numbers].tolist() == pytest.approx(each[numbers].tolist(), rel=1e-12)
    assert (counted["rate_control"], counted["rate_treatment"]) == (0.1, 0.15)
    assert counted["relative_lift"] == pytest.approx(0.5, rel=1e-12)
    # z by hand: pooled 25/200
    assert counted["z"] == pytest.approx(0.05 / np.sqrt(0.125 * 0.875 * 0.02), rel=1e-12)
    # other columns and arm names; swapping the arms flips the difference
    likes = daily.assign(likes=[3, 1, 2, 2])
    r = ex.count_test(likes, "likes", "reads").iloc[0]
    assert r["metric"] == "likes/reads" and (r["rate_control"], r["rate_treatment"]) == (
        0.4, pytest.approx(4 / 15))
    flipped = ex.count_test(daily, control="B", treatment="A").iloc[0]
    assert flipped["diff"] == pytest.approx(-counted["diff"], rel=1e-12)
    assert flipped["p_value"] == pytest.approx(counted["p_value"], rel=1e-12)
    # no reads in the control arm: the relative lift is undefined, as in conversion_test
    zero = ex.count_test(daily.assign(reads=[0, 0, 8, 7])).iloc[0]
    assert np.isnan(zero["relative_lift"]) and np.isnan(zero["relative_lift_low"])
    assert zero["note"].startswith("relative lift undefined: the control arm's reads/impressions")


def test_count_test_bad_input_names_the_column_or_variant():
    daily = pd.DataFrame({"variant": ["A", "A", "B", "B"], "reads": [6, 4, 8, 7],
                          "impressions": [60, 40, 50, 50]})
    with pytest.raises(ValueError, match=r"1 row\(s\) have more reads than impressions"):
        ex.count_test(daily.assign(reads=[6, 41, 8, 7]))
    with pytest.raises(ValueError, match=r"variant 'B' has no impressions; variants present: "
                                         r"\['A'\]"):
        ex.count_test(daily[daily["variant"] == "A"])
    with pytest.raises(ValueError, match=r"variant 'C' has no impressions"):
        ex.count_test(daily, treatment="C")
    with pytest.raises(ValueError, match=r"variant 'B' has no impressions"):
        ex.count_test(daily.assign(reads=[6, 4, 0, 0], impressions=[60, 40, 0, 0]))
    with pytest.raises(ValueError, match=r"1 row\(s\) have a missing or negative reads"):
        ex.count_test(daily.assign(reads=[6, -4, 8, 7]))
    with pytest.raises(ValueError, match=r"1 row\(s\) have a missing or negative impressions"):
        ex.count_test(daily.assign(impressions=[60, 40, np.nan, 50]))
    with pytest.raises(ValueError, match="'views'"):
        ex.count_test(daily, trials="views")
    with pytest.raises(ValueError, match="'variant'"):
        ex.count_test(daily.rename(columns={"variant": "arm"}))
