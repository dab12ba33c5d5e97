"""opshelpers.content: hand-worked examples, planted facts, compliance, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import opshelpers as ops
from opshelpers import content as ct


@pytest.fixture(scope="module")
def posts():
    return ops.load_sample("posts")


def tiny():
    return pd.DataFrame({
        "post_id": [1, 2, 3], "account": "chayu", "platform": ["wechat", "wechat", "douyin"],
        "publish_time": pd.to_datetime(["2026-01-05 20:30", "2026-01-06 09:00",
                                        "2026-01-05 20:10"]),
        "topic": ["tea_health", "promotion", "tea_health"],
        "title": ["3个养胃小技巧", "全网最低价！", "喝茶会失眠吗？"],
        "text_length": [800, 300, 0],
        "impressions": [1000, 2000, 5000], "reads": [100, 100, 500], "likes": [5, 1, 20],
        "shares": [4, 0, 10], "comments": [1, 1, 5], "saves": [0, 2, 5], "follows": [2, 0, 3],
        "completion_rate": [np.nan, np.nan, 0.4]})


def test_engagement_pools_before_dividing():
    out = ct.engagement(tiny(), by="platform").set_index("platform")
    assert out.loc["wechat", "reads"] == 200 and out.loc["wechat", "share_rate"] == 0.02
    assert out.loc["wechat", "engagement_rate"] == pytest.approx(14 / 200)
    assert out.loc["wechat", "follows_per_1k"] == 10.0
    assert np.isnan(out.loc["wechat", "completion"]) and out.loc["douyin", "completion"] == 0.4


def test_heatmap_blanks_sparse_cells():
    cells = ct.posting_heatmap(tiny(), min_posts=1).set_index(["weekday", "hour"])
    assert len(cells) == 7 * 24 and cells["posts"].sum() == tiny()["completion_rate"].notna().sum()
    assert cells.loc[("Monday", 20), "completion_rate"] == 0.4
    assert cells.loc[("Monday", 20), "posts"] == 1
    sparse = ct.posting_heatmap(tiny(), min_posts=2).set_index(["weekday", "hour"])
    assert np.isnan(sparse.loc[("Monday", 20), "completion_rate"])
    assert sparse.loc[("Monday", 20), "posts"] == 1          # the count stays visible


def test_evening_videos_complete_more(posts):
    v = posts[posts["completion_rate"].notna()]
    prime = v["publish_time"].dt.hour.between(20, 21)
    t = stats.ttest_ind(v.loc[prime, "completion_rate"], v.loc[~prime, "completion_rate"],
                        equal_var=False)
    assert t.statistic > 3
    cells = ct.posting_heatmap(v, min_posts=1).fillna({"completion_rate": 0})
    total = (cells["completion_rate"] * cells["posts"]).groupby(cells["hour"]).sum()
    by_hour = total / cells.groupby("hour")["posts"].sum()
    assert by_hour[[20, 21]].mean() > 1.15 * by_hour.drop([20, 21]).mean()


def test_titles_with_numbers_get_more_clicks(posts):
    eff = ct.title_effects(posts).set_index("feature")
    assert eff.loc["has_number", "effect_low"] > 0.2                  # planted ×1.3
    assert eff.loc["has_emoji", "effect_low"] < 0 < eff.loc["has_emoji", "effect_high"]


def test_tea_health_has_the_highest_share_rate(posts):
    top = ct.topic_performance(posts).iloc[0]
    assert top["topic"] == "tea_health"


def test_viral_post_found(posts, truths):
    v = ct.viral_posts(posts)
    assert v["post_id"].tolist() == [truths.viral_post_id]
    assert v["multiple"].iloc[0] == pytest.approx(11, abs=1.5)


def test_check_copy_words_categories_exceptions():
    hits = ct.check_copy("史上最低价！国家级工艺，治疗失眠。第一次喝？最近很火。Best tea")
    assert hits["word"].tolist() == ["史上最", "国家级", "治疗", "Best"]
    assert hits["category"].tolist() == ["absolute", "authority", "medical", "absolute"]
    assert ct.check_copy("第一次买，最近回购").empty
    assert ct.check_copy("").empty
    with pytest.raises(TypeError, match="needs text, got float"):
        ct.check_copy(float("nan"))


def test_check_titles_finds_every_planted_banned_title(posts, truths):
    found = ct.check_titles(posts)
    high = set(found.loc[found["severity"] == "high", "post_id"])
    assert high == set(truths.banned_post_ids)
    assert (found["severity"] == "review").any()      # soft health claims are surfaced


def test_title_features_reject_empty_titles():
    with pytest.raises(ValueError, match="1 title\\(s\\) are empty or not text"):
        ct.title_features(pd.DataFrame({"title": ["ok", ""]}))


def test_competitor_outgrows_us_on_xiaohongshu(posts):
    b = ct.competitor_benchmark(posts, "xiaohongshu").set_index("account")
    assert b["follows_per_week"].idxmax() == "competitor_shanjian"
    assert b.loc["competitor_shanjian", "posts_per_week"] > 2 * b.loc["chayu", "posts_per_week"]
    assert b.loc["competitor_shanjian", "median_text_length"] < 0.5 * b.loc["chayu",
                                                                            "median_text_length"]
    with pytest.raises(ValueError, match="no posts on platform 'tiktok'"):
        ct.competitor_benchmark(posts, "tiktok")


def test_calendar_gaps_by_hand():
    plan = pd.DataFrame({"platform": "wechat",
                         "publish_time": pd.to_datetime(["2026-07-01", "2026-07-02",
                                                         "2026-07-09"])})
    gaps = ct.calendar_gaps(plan, max_gap_days=3)
    assert gaps[["days_without_post"]].values.tolist() == [[6]]
    weeks = ct.cadence(plan)
    assert weeks["period"].dt.strftime("%m-%d").tolist() == ["06-29", "07-06"]
    assert weeks["posts"].tolist() == [2, 1]


def test_robust_z_is_the_normal_consistent_mad_by_hand():
    from scipy.stats import norm

    reads = [100, 120, 90, 110, 5000, 95, 105]
    posts = pd.DataFrame({"platform": ["douyin"] * 7, "reads": reads})
    out = ct.viral_posts(posts, threshold=0)
    logr = np.log1p(np.array(reads, float))
    sigma = np.median(np.abs(logr - np.median(logr))) / norm.ppf(0.75)
    z = (logr - np.median(logr)) / sigma
    assert out["robust_z"].to_numpy() == pytest.approx(np.sort(z[z > 0])[::-1], rel=1e-12)
    assert out.index[0] == 4                                  # the 5,000-read post


# ---------------------------------------------------------------- public opinion (舆情)
def _mentions(platform, times, negative=True):
    return pd.DataFrame({"platform": platform, "negative": negative,
                         "created_time": pd.to_datetime(times)})


def _calm(platform, days=10):
    start = pd.Timestamp("2026-01-01 12:00:00")
    return _mentions(platform, start + pd.to_timedelta(range(0, 24 * days, 12), "h"))


def test_opinion_alerts_pin_the_count_the_window_and_the_platform():
    from scipy.stats import poisson

    at = pd.Timestamp("2026-01-11 20:00:00")
    seven = _mentions("douyin", [at + pd.Timedelta(minutes=10 * k) for k in range(7)])
    eight = _mentions("douyin", [at + pd.Timedelta(minutes=10 * k) for k in range(8)])
    base = pd.concat([_calm("douyin"), _calm("xiaohongshu")], ignore_index=True)
    none = ct.opinion_alerts(pd.concat([base, seven], ignore_index=True))
    assert none.empty                                          # 7 < min_count
    r = ct.opinion_alerts(pd.concat([base, eight], ignore_index=True))
    assert r[["platform", "count"]].values.tolist() == [["douyin", 8]]
    assert r.loc[0, "first_alarm"] == at + pd.Timedelta(minutes=70)
    # the calm mentions of the 7 days before the window: 14, i.e. 0.25 per 3 h → floor
    assert r.loc[0, "expected"] == 0.5
    assert r.loc[0, "p_value"] == pytest.approx(poisson.sf(7, 0.5))
    # the window is (t − 3 h, t]: a mention exactly 3 h earlier is outside it
    spread = _mentions("douyin", [at + pd.Timedelta(hours=3) * (k // 7) for k in range(8)])
    assert ct.opinion_alerts(pd.concat([base, spread], ignore_index=True)).empty


def test_opinion_alerts_merge_an_episode_and_skip_the_first_week():
    at = pd.Timestamp("2026-01-11 20:00:00")
    long = _mentions("douyin", [at + pd.Timedelta(minutes=10 * k) for k in range(30)])
    again = _mentions("douyin", [at + pd.Timedelta(days=1, minutes=10 * k) for k in range(9)])
    r = ct.opinion_alerts(pd.concat([_calm("douyin"), long, again], ignore_index=True))
    assert len(r) == 2                                         # two bursts a day apart
    assert r.loc[0, "last_alarm"] == at + pd.Timedelta(minutes=290)
    early = _mentions("douyin", [pd.Timestamp("2026-01-02 20:00:00")
                                 + pd.Timedelta(minutes=k) for k in range(20)])
    r = ct.opinion_alerts(pd.concat([_calm("douyin"), early], ignore_index=True))
    assert r.empty and r.attrs["unjudged"] > 0                 # no full baseline yet
    with pytest.raises(ValueError, match="must be longer than the window"):
        ct.opinion_alerts(early, window="1D", baseline="1D")


def test_opinion_alerts_on_the_sample_flag_the_planted_burst_only(t):
    from opshelpers.scenario import Scenario

    facts = Scenario().mentions
    m = t["brand_mentions"]
    negative = m["text"].str.contains("贵|涨价|慢|破损|差评|态度差|踩雷|失望|不新鲜|套路|异物|虫|退款|避雷")
    alerts = ct.opinion_alerts(m.assign(negative=negative))
    assert alerts["platform"].tolist() == [facts.burst_platform]
    onset = pd.Timestamp(facts.burst_start)
    assert onset <= alerts.loc[0, "first_alarm"] <= onset + pd.Timedelta(hours=3)
