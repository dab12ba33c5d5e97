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


# ================================================================ per-post like rate, topics by
def test_post_engagement_like_rate_is_likes_per_read_and_blank_without_reads():
    out = ct.post_engagement(tiny().assign(reads=[100, 0, 500]))
    assert out["like_rate"].iloc[0] == 0.05 and out["like_rate"].iloc[2] == 0.04   # 5/100, 20/500
    assert np.isnan(out["like_rate"].iloc[1])                                      # 0 reads


def test_topic_performance_by_platform_equals_sql_with_wilson_cis(posts):
    import duckdb
    from statsmodels.stats.proportion import proportion_confint

    out = ct.topic_performance(posts, "shares", by="platform")
    ref = duckdb.sql("select platform, topic, sum(shares) as s, sum(reads) as r, "
                     "count(*) as n from posts group by platform, topic").df()
    m = out.merge(ref, on=["platform", "topic"], how="outer", validate="1:1", indicator=True)
    assert (m["_merge"] == "both").all() and len(out) == len(ref) > 10
    assert (m["shares"] == m["s"]).all() and (m["reads"] == m["r"]).all()
    assert (m["posts"] == m["n"]).all()
    assert m["shares_per_read"].to_numpy() == pytest.approx((m["s"] / m["r"]).to_numpy(),
                                                            rel=1e-12)
    low, high = proportion_confint(m["s"], m["r"], method="wilson")
    assert m["shares_per_read_low"].to_numpy() == pytest.approx(np.asarray(low), rel=1e-12)
    assert m["shares_per_read_high"].to_numpy() == pytest.approx(np.asarray(high), rel=1e-12)
    # platforms in order, best topic first within each
    assert out["platform"].tolist() == sorted(out["platform"])
    for _, g in out.groupby("platform"):
        assert g["shares_per_read"].is_monotonic_decreasing
    # without `by`: one row per topic, pooled over all platforms, best first
    pooled = ct.topic_performance(posts, "shares")
    byhand = posts.groupby("topic")[["shares", "reads"]].sum()
    byhand = (byhand["shares"] / byhand["reads"]).sort_values(ascending=False)
    assert pooled["topic"].tolist() == byhand.index.tolist()
    assert pooled["shares_per_read"].to_numpy() == pytest.approx(byhand.to_numpy(), rel=1e-12)


# ================================================================ posting heatmap: rows, weights
def _three_evening_posts():
    return pd.DataFrame({"publish_time": pd.to_datetime(["2026-03-02 20:05", "2026-03-09 20:40",
                                                         "2026-03-16 20:59", "2026-03-03 23:10"]),
                         "platform": ["douyin", "douyin", "douyin", "wechat"],
                         "completion_rate": [0.2, 0.4, 0.9, 0.5],
                         "reads": [100, 300, 600, 50]})


def test_posting_heatmap_by_hand_weighted_mean_and_the_min_posts_boundary():
    p = _three_evening_posts()
    plain = ct.posting_heatmap(p, min_posts=3).set_index(["weekday", "hour"])
    assert len(plain) == 7 * 24
    assert list(plain.index.get_level_values("weekday").categories) == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert plain.loc[("Monday", 20), "completion_rate"] == pytest.approx(0.5, abs=1e-15)
    assert plain.loc[("Monday", 20), "posts"] == 3                 # exactly min_posts: shown
    assert np.isnan(plain.loc[("Tuesday", 23), "completion_rate"])  # 1 post < 3
    assert plain.loc[("Tuesday", 23), "posts"] == 1
    assert plain["posts"].sum() == 4 and plain.loc[("Sunday", 0), "posts"] == 0
    weighted = ct.posting_heatmap(p, min_posts=3, weight="reads").set_index(["weekday", "hour"])
    # (0.2·100 + 0.4·300 + 0.9·600) / 1000 = 0.68, not the per-post mean 0.5
    assert weighted.loc[("Monday", 20), "completion_rate"] == pytest.approx(0.68, abs=1e-15)
    fewer = ct.posting_heatmap(p, min_posts=4, weight="reads").set_index(["weekday", "hour"])
    assert np.isnan(fewer.loc[("Monday", 20), "completion_rate"])   # one fewer than min_posts
    assert fewer.loc[("Monday", 20), "posts"] == 3                  # the count stays
    by_platform = ct.posting_heatmap(p, min_posts=1, rows="platform", weight="reads")
    assert by_platform["platform"].astype(str).tolist() == ["douyin"] * 24 + ["wechat"] * 24
    assert by_platform["hour"].tolist() == list(range(24)) * 2
    live = by_platform[by_platform["posts"] > 0]
    assert live[["platform", "hour", "posts"]].astype(str).values.tolist() == [
        ["douyin", "20", "3"], ["wechat", "23", "1"]]
    assert live["completion_rate"].tolist() == pytest.approx([0.68, 0.5], abs=1e-15)


def test_posting_heatmap_bad_input_names_the_column():
    p = _three_evening_posts()
    with pytest.raises(ValueError, match="1 post\\(s\\) have a missing or negative reads"):
        ct.posting_heatmap(p.assign(reads=[100, -1, 600, 50]), weight="reads")
    with pytest.raises(ValueError, match="1 post\\(s\\) have a missing or negative reads"):
        ct.posting_heatmap(p.assign(reads=[100, np.nan, 600, 50]), weight="reads")
    with pytest.raises(ValueError, match="'account'"):
        ct.posting_heatmap(p, rows="account")
    with pytest.raises(ValueError, match="'impressions'"):
        ct.posting_heatmap(p, weight="impressions")
    with pytest.raises(ValueError, match="no posts with a completion_rate"):
        ct.posting_heatmap(p.assign(completion_rate=np.nan))


def test_posting_heatmap_pooled_read_rate_per_platform_hour_equals_duckdb(posts):
    import duckdb

    raw = posts[posts["account"] == "chayu"]
    assert (raw["impressions"] > 0).all()            # every post has a read_rate
    sql = duckdb.sql("select platform, hour(publish_time) as h, count(*) as n, "
                     "sum(reads) / sum(impressions) as pooled, avg(reads / impressions) as mean "
                     "from raw group by platform, h").df().rename(columns={"h": "hour"})
    ours = ct.post_engagement(raw)
    platforms = sorted(raw["platform"].unique())
    for min_posts in (3, 4):
        cells = ct.posting_heatmap(ours, "read_rate", min_posts=min_posts, rows="platform",
                                   weight="impressions")
        assert len(cells) == len(platforms) * 24
        assert cells["platform"].astype(str).tolist() == [p for p in platforms for _ in range(24)]
        assert cells["hour"].tolist() == list(range(24)) * len(platforms)
        m = cells.assign(platform=cells["platform"].astype(str)).merge(
            sql, on=["platform", "hour"], how="left")
        m["n"] = m["n"].fillna(0)
        assert (m["posts"] == m["n"]).all() and m["posts"].sum() == len(raw)
        enough = m["n"] >= min_posts
        assert m.loc[enough, "read_rate"].to_numpy() == pytest.approx(
            m.loc[enough, "pooled"].to_numpy(), rel=1e-12)
        assert m.loc[~enough, "read_rate"].isna().all()
        at_boundary = m["n"] == min_posts                      # exactly min_posts: shown
        assert at_boundary.sum() > 0 and m.loc[at_boundary, "read_rate"].notna().all()
        assert ((m["n"] == min_posts - 1) & m["read_rate"].isna()).sum() > 0
    # unweighted it is the per-post mean, and that differs from the pooled rate
    plain = ct.posting_heatmap(ours, "read_rate", min_posts=3, rows="platform")
    m = plain.assign(platform=plain["platform"].astype(str)).merge(sql, on=["platform", "hour"])
    shown = m[m["read_rate"].notna()]
    assert shown["read_rate"].to_numpy() == pytest.approx(shown["mean"].to_numpy(), rel=1e-12)
    assert (shown["mean"] - shown["pooled"]).abs().max() > 1e-3
    # weekday rows: 7 × 24, pooled per weekday × hour
    week = ct.posting_heatmap(ours, "read_rate", min_posts=2, weight="impressions")
    assert len(week) == 7 * 24
    wsql = duckdb.sql("select dayname(publish_time) as weekday, hour(publish_time) as hour, "
                      "count(*) as n, sum(reads) / sum(impressions) as pooled from raw "
                      "group by all having count(*) >= 2").df()
    w = week.assign(weekday=week["weekday"].astype(str)).merge(wsql, on=["weekday", "hour"])
    assert len(w) == week["read_rate"].notna().sum() > 0 and (w["posts"] == w["n"]).all()
    assert w["read_rate"].to_numpy() == pytest.approx(w["pooled"].to_numpy(), rel=1e-12)


# ================================================================ comments (评论)
def test_comment_themes_count_other_and_double_themes_by_hand():
    c = pd.DataFrame({"post_id": [1, 1, 1, 2, 2],
                      "text": ["又涨价了，物流也慢", "太慢了", "好喝", "太贵了", "客服态度差，退款好慢"]})
    out = ct.comment_themes(c)
    assert out[["post_id", "theme", "negative_comments", "share"]].values.tolist() == [
        [1, "other", 1, 0.5], [1, "price", 1, 0.5], [1, "shipping", 1, 0.5],
        [2, "price", 1, 0.5], [2, "service", 1, 0.5]]
    # "好喝" is not negative, so post 1 has 2 negative comments; one names two themes
    assert out.loc[out["post_id"] == 1, "share"].sum() == 1.5


def _comments(post_id, negative, neutral):
    texts = ["太贵了"] * negative + ["好喝"] * neutral                    # -1 and 0
    return pd.DataFrame({"post_id": post_id, "text": texts,
                         "likes": [3] * negative + [1] * neutral})


def test_comment_summary_boundaries_by_hand():
    from statsmodels.stats.proportion import proportion_confint

    c = pd.concat([_comments(1, 5, 5),       # 10 comments, share 0.5 exactly: criticized
                   _comments(2, 4, 6),       # 10 comments, share 0.4
                   _comments(3, 9, 0),       # share 1 but 9 comments < min_comments
                   _comments(4, 6, 4)],      # 10 comments, 0.6
                  ignore_index=True)
    posts = pd.DataFrame({"post_id": [4, 3, 2, 1, 5], "platform": "douyin",
                          "topic": "promotion", "title": list("abcde")})
    s = ct.comment_summary(c, posts, min_comments=10, criticized_share=0.5)
    assert s["post_id"].tolist() == [4, 3, 2, 1, 5]                     # posts' order, all
    s = s.set_index("post_id")
    assert s["criticized"].to_dict() == {4: True, 3: False, 2: False, 1: True, 5: False}
    assert s["comments"].tolist() == [10, 9, 10, 10, 0]
    assert s["negative"].tolist() == [6, 9, 4, 5, 0]
    assert s["likes_on_negative"].tolist() == [18, 27, 12, 15, 0]
    assert s.loc[1, "negative_share"] == 0.5 and np.isnan(s.loc[5, "negative_share"])
    assert s.loc[[4, 3, 2, 1], "top_complaint"].eq("price").all()
    assert s.loc[[4, 3, 2, 1], "top_complaint_share"].eq(1.0).all()
    assert pd.isna(s.loc[5, "top_complaint"])
    assert (s["platform"] == "douyin").all() and s.loc[5, "title"] == "e"
    low, high = proportion_confint([6, 9, 4, 5], [10, 9, 10, 10], method="wilson")
    assert s.loc[[4, 3, 2, 1], "negative_share_low"].to_numpy() == pytest.approx(low, rel=1e-12)
    assert s.loc[[4, 3, 2, 1], "negative_share_high"].to_numpy() == pytest.approx(high,
                                                                               rel=1e-12)
    # the same comments, one fewer allowed: post 3 (9 comments) is now criticized too
    nine = ct.comment_summary(c, min_comments=9).set_index("post_id")
    assert nine["criticized"].to_dict() == {1: True, 2: False, 3: True, 4: True}
    # share 0.4 exactly at criticized_share=0.4 counts; 0.41 does not
    assert ct.comment_summary(c, criticized_share=0.4).set_index("post_id").loc[2, "criticized"]
    assert not ct.comment_summary(c, criticized_share=0.41).set_index("post_id").loc[
        2, "criticized"]


def test_comment_summary_rejects_comments_on_unknown_posts():
    c = pd.concat([_comments(1, 2, 1), _comments(99, 1, 1)], ignore_index=True)
    with pytest.raises(ValueError, match=r"2 comment\(s\) belong to 1 post_id\(s\) not in "
                                         r"posts \(e\.g\. 99\)"):
        ct.comment_summary(c, pd.DataFrame({"post_id": [1, 2]}))
    with pytest.raises(ValueError, match="'likes'"):
        ct.comment_summary(c.drop(columns="likes"))
    with pytest.raises(ValueError, match="'post_id'"):
        ct.comment_summary(c, pd.DataFrame({"id": [1, 2]}))


def _theme_dictionary():
    import json
    from pathlib import Path

    return json.loads((Path(ct.__file__).parent / "themes.json").read_text(encoding="utf-8"))


def test_comment_summary_on_the_sample_flags_exactly_the_planted_posts(t, truths):
    pc, posts = t["post_comments"], t["posts"]
    ours = posts[posts["account"] == "chayu"]
    s = ct.comment_summary(pc, ours)
    assert s["post_id"].tolist() == ours["post_id"].tolist()
    price_ids, taste_id = truths.price_backlash_post_ids, truths.taste_backlash_post_id
    assert len(price_ids) >= 2 and taste_id > 0
    crit = s[s["criticized"]].set_index("post_id")
    assert sorted(crit.index) == sorted(price_ids + [taste_id])
    assert crit.loc[price_ids, "top_complaint"].eq("price").all()
    assert crit.loc[taste_id, "top_complaint"] == "taste"

    # independent recount from themes.json read as data: sentiment = positive − negative
    # keyword hits, longest phrase first, each stretch counted once; negative if < 0
    d = _theme_dictionary()
    neg = sorted({w.lower() for w in d["negative"]}, key=len, reverse=True)
    pos = sorted({w.lower() for w in d["positive"]}, key=len, reverse=True)

    def score(text):
        text, n = str(text).lower(), 0
        for words, sign in ((neg, -1), (pos, 1)):
            for w in words:
                n += sign * text.count(w)
                text = text.replace(w, " ")
        return n

    lower = pc["text"].str.lower()
    is_neg = pc["text"].map(score) < 0
    ref = pd.DataFrame({"comments": pc.groupby("post_id").size(),
                        "negative": is_neg.groupby(pc["post_id"]).sum(),
                        "likes_on_negative": pc["likes"].where(is_neg, 0)
                        .groupby(pc["post_id"]).sum()})
    ref = ref.reindex(ours["post_id"], fill_value=0)
    got = s.set_index("post_id")
    assert ref["negative"].sum() > 100
    for col in ("comments", "negative", "likes_on_negative"):
        assert got[col].tolist() == ref[col].tolist(), col
    # top complaint: the theme most negative comments name (ties: alphabetical), else other
    flags = pd.DataFrame({name: lower.map(lambda x, ws=words: any(w.lower() in x for w in ws))
                          for name, words in d["themes"].items()})
    flags["other"] = ~flags.any(axis=1)
    counts = flags[is_neg].groupby(pc.loc[is_neg, "post_id"]).sum()
    counts = counts[sorted(counts.columns)]
    top = counts.idxmax(axis=1)                     # the first maximum: alphabetical order
    share = counts.max(axis=1) / ref.loc[counts.index, "negative"]
    assert got.loc[counts.index, "top_complaint"].tolist() == top.tolist()
    assert got.loc[counts.index, "top_complaint_share"].to_numpy() == pytest.approx(
        share.to_numpy(), rel=1e-12)
    assert got.drop(counts.index)["top_complaint"].isna().all()


# ================================================================ marketing calendar (营销日历)
SOLAR_TERMS = {  # the sun's apparent ecliptic longitude (degrees) at each 节气
    "春分": 0, "清明": 15, "谷雨": 30, "立夏": 45, "小满": 60, "芒种": 75, "夏至": 90,
    "小暑": 105, "大暑": 120, "立秋": 135, "处暑": 150, "白露": 165, "秋分": 180,
    "寒露": 195, "霜降": 210, "立冬": 225, "小雪": 240, "大雪": 255, "冬至": 270,
    "小寒": 285, "大寒": 300, "立春": 315, "雨水": 330, "惊蛰": 345}
DOG_DAYS = ("初伏", "中伏", "末伏")
J2000 = pd.Timestamp("2000-01-01 12:00")       # JD 2451545.0
DELTA_T_SECONDS = 69.2                           # TT − UT around 2026


def _sun_apparent_longitude(jde):
    """Meeus, Astronomical Algorithms ch. 25, low precision (≈ 0.01°): degrees 0–360."""
    T = (np.asarray(jde, float) - 2451545.0) / 36525
    L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T ** 2
    M = np.radians(357.52911 + 35999.05029 * T - 0.0001537 * T ** 2)
    C = ((1.914602 - 0.004817 * T - 0.000014 * T ** 2) * np.sin(M)
         + (0.019993 - 0.000101 * T) * np.sin(2 * M) + 0.000289 * np.sin(3 * M))
    omega = np.radians(125.04 - 1934.136 * T)
    return (L0 + C - 0.00569 - 0.00478 * np.sin(omega)) % 360


def _solar_term_moments(year):
    """{name: Beijing time} of every 15° crossing whose Beijing date is in `year`."""
    first = pd.Timestamp(f"{year - 1}-12-25")
    jd = 2451545.0 + (first - J2000) / pd.Timedelta(days=1) + np.arange(0.0, 380.0)
    lon = np.degrees(np.unwrap(np.radians(_sun_apparent_longitude(jd))))
    moments = {}
    for k in range(int(np.ceil(lon[0] / 15)), int(np.floor(lon[-1] / 15)) + 1):
        target = 15.0 * k
        i = int(np.searchsorted(lon, target)) - 1           # lon[i] < target <= lon[i + 1]
        lo, hi = jd[i], jd[i + 1]
        for _ in range(60):                                  # bisection to ~1e-13 day
            mid = (lo + hi) / 2
            ahead = (_sun_apparent_longitude(mid) - target % 360 + 180) % 360 - 180
            lo, hi = (mid, hi) if ahead < 0 else (lo, mid)
        ut = J2000 + pd.Timedelta(days=(lo - 2451545.0)) - pd.Timedelta(seconds=DELTA_T_SECONDS)
        beijing = ut + pd.Timedelta(hours=8)
        if beijing.year == year:
            name = next(n for n, deg in SOLAR_TERMS.items() if deg == int(target % 360))
            assert name not in moments
            moments[name] = beijing
    return moments


def _stem(day):
    """Heavenly stem of a day, 0 甲 … 6 庚 … 9 癸 (2000-01-01 was a 戊 day, 4)."""
    return (4 + (pd.Timestamp(day) - pd.Timestamp("2000-01-01")).days) % 10


def _nth_geng_day(start, n):
    day, seen = pd.Timestamp(start).normalize(), 0
    while True:
        seen += _stem(day) == 6
        if seen == n:
            return day
        day += pd.Timedelta(days=1)


def test_solar_term_helpers_reproduce_known_moments():
    # the check on the checker: the 2026 March equinox is 14:46 UTC (22:46 Beijing), the
    # June solstice 08:24 UTC, the December solstice 20:50 UTC on Dec 21 (US Naval Obs.)
    m = _solar_term_moments(2026)
    for name, known in (("春分", "2026-03-20 22:46"), ("夏至", "2026-06-21 16:24"),
                        ("冬至", "2026-12-22 04:50")):
        assert abs(m[name] - pd.Timestamp(known)) < pd.Timedelta(minutes=20), name
    assert len(m) == 24
    assert _stem("2000-01-01") == 4 and _stem("2000-01-03") == 6          # 戊, then 庚
    assert _nth_geng_day("2000-01-03", 1) == pd.Timestamp("2000-01-03")   # on or after


def test_solar_terms_and_dog_days_in_the_calendar_are_astronomically_right():
    year = ct.marketing_calendar("2026-01-01", "2026-12-31")
    terms = year[year["kind"] == "solar_term"]
    assert sorted(terms["name"]) == sorted(list(SOLAR_TERMS) + list(DOG_DAYS))
    moments = _solar_term_moments(2026)
    for row in terms[terms["name"].isin(list(SOLAR_TERMS))].itertuples():
        at = moments[row.name]
        ok = {at.normalize()}
        since_midnight = at - at.normalize()
        if since_midnight < pd.Timedelta(minutes=30):
            ok.add(at.normalize() - pd.Timedelta(days=1))
        if since_midnight > pd.Timedelta(hours=23, minutes=30):
            ok.add(at.normalize() + pd.Timedelta(days=1))
        assert row.date in ok, (row.name, row.date, at)
    day = terms.set_index("name")["date"]
    summer, autumn = moments["夏至"].normalize(), moments["立秋"].normalize()
    assert day["初伏"] == _nth_geng_day(summer, 3)
    assert day["中伏"] == _nth_geng_day(summer, 4)
    assert day["末伏"] == _nth_geng_day(autumn, 1)
    assert all(_stem(day[n]) == 6 for n in DOG_DAYS)                    # all 庚 days


def test_marketing_calendar_range_is_inclusive_and_bounded(tmp_path):
    july = ct.marketing_calendar("2026-07-01", "2026-07-31")
    assert july.columns.tolist() == ["date", "name", "name_en", "kind", "topic", "lead_days"]
    assert july["date"].is_monotonic_increasing
    assert ct.marketing_calendar("2026-07-01", "2026-07-07")["name"].tolist() == ["小暑"]
    assert ct.marketing_calendar("2026-07-07", "2026-07-07")["name"].tolist() == ["小暑"]
    assert ct.marketing_calendar("2026-07-08", "2026-07-14").empty
    whole = ct.marketing_calendar("2026-01-01", "2026-12-31")
    assert whole["name"].iloc[0] == "元旦" and whole["name"].iloc[-1] == "冬至"   # both ends
    assert whole["date"].is_monotonic_increasing and len(whole) == whole["name"].nunique()
    topics = set(ops.load_sample("posts")["topic"])
    assert set(whole["topic"]) <= topics                    # topics a plan can use
    assert (whole["lead_days"] >= 0).all()
    for lo, hi in (("2025-12-31", "2026-01-10"), ("2026-12-01", "2027-01-01")):
        with pytest.raises(ValueError, match="covers 2026-01-01 to 2026-12-31"):
            ct.marketing_calendar(lo, hi)
    with pytest.raises(ValueError, match="start 2026-07-31 is after end 2026-07-01"):
        ct.marketing_calendar("2026-07-31", "2026-07-01")
    own = tmp_path / "cal.json"
    own.write_text('{"covers": ["2027-01-01", "2027-12-31"], "occasions": [{"date": '
                   '"2027-06-18", "name": "618", "name_en": "618", "kind": "shopping", '
                   '"topic": "promotion", "lead_days": 14}]}', encoding="utf-8")
    mine = ct.marketing_calendar("2027-06-18", "2027-06-18", path=str(own))
    assert mine[["name", "lead_days"]].values.tolist() == [["618", 14]]


# ================================================================ draft calendar (内容日历)
def _occasions(*rows):
    return pd.DataFrame([{"date": pd.Timestamp(d), "name": n, "topic": tp, "lead_days": lead}
                         for d, n, tp, lead in rows])


def _as_rows(plan):
    return plan.assign(publish_time=plan["publish_time"].dt.strftime("%m-%d %H")).values.tolist()


def test_draft_calendar_by_hand_with_occasions_and_lead_days():
    # douyin 3.5 a week: every 2 days from 07-01 (1 3 5 7 9 11 13); wechat 2 a week:
    # every 3.5 days (1 4 8 11)
    occ = _occasions(("2026-07-08", "X", "promotion", 3),     # target 07-05
                     ("2026-07-10", "Y", "new_product", 0),   # wechat 07-11 nearer, but after
                     ("2026-07-14", "W", "lifestyle", 1),     # target 07-13
                     ("2026-07-14", "Z", "tea_culture", 0))   # wechat: nothing free near → added
    plan = ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": 3.5, "wechat": 2},
                             {"douyin": 20, "wechat": 9},
                             {"douyin": ["tea_health", "brewing_tips"],
                              "wechat": ["tea_culture", "lifestyle"]}, occasions=occ)
    assert plan.columns.tolist() == ["publish_time", "platform", "topic", "occasion", "added"]
    assert _as_rows(plan) == [
        ["07-01 09", "wechat", "tea_culture", "", False],
        ["07-01 20", "douyin", "tea_health", "", False],
        ["07-03 20", "douyin", "brewing_tips", "", False],
        ["07-04 09", "wechat", "promotion", "X", False],    # 1 day before 07-05 beats 3 after
        ["07-05 20", "douyin", "promotion", "X", False],    # on the target day
        ["07-07 20", "douyin", "brewing_tips", "", False],
        ["07-08 09", "wechat", "new_product", "Y", False],  # 2 before, as 07-11 is after 07-10
        ["07-09 20", "douyin", "new_product", "Y", False],
        ["07-11 09", "wechat", "lifestyle", "W", False],
        ["07-11 20", "douyin", "tea_culture", "Z", False],  # exactly SLACK_DAYS (3) before
        ["07-13 20", "douyin", "lifestyle", "W", False],
        ["07-14 09", "wechat", "tea_culture", "Z", True]]   # on the end day, added


@pytest.mark.parametrize("rate, date, lead, days, day, added", [
    (3.5, "2026-07-12", 1, [1, 3, 5, 7, 9, 11, 13], 11, False),   # target 07-11: that post
    (3.5, "2026-07-13", 1, [1, 3, 5, 7, 9, 11, 13], 11, False),   # 07-12 midway: the earlier
    (3.5, "2026-07-14", 0, [1, 3, 5, 7, 9, 11, 13], 13, False),   # 07-14: 13 nearer than 11
    (2, "2026-07-10", 0, [1, 4, 8, 11], 8, False),                # 11 nearer, but after 07-10
    (2, "2026-07-11", 1, [1, 4, 8, 11], 11, False),   # target 07-10 between 8 and 11: 11
    (2, "2026-07-11", 2, [1, 4, 8, 11], 8, False),    # target 07-09 between 8 and 11: 8
    (1, "2026-07-04", 0, [1, 8], 1, False),           # 3 days before the target: still taken
    (1, "2026-07-05", 0, [1, 5, 8], 5, True),         # 4 days: too far, a post is added
    (1, "2026-07-03", 5, [1, 8], 1, False)])          # target before the start: the start
def test_draft_calendar_occasion_takes_the_nearest_free_post(rate, date, lead, days, day,
                                                             added):
    plan = ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": rate}, {"douyin": 20},
                             {"douyin": ["tea_health"]},
                             occasions=_occasions((date, "O", "promotion", lead)))
    assert plan["publish_time"].dt.day.tolist() == days
    hit = plan[plan["occasion"] == "O"]
    assert hit["publish_time"].dt.day.tolist() == [day] and hit["topic"].tolist() == ["promotion"]
    assert hit["added"].tolist() == [added] and plan["added"].sum() == added
    assert (plan.loc[plan["occasion"] == "", "topic"] == "tea_health").all()
    assert (plan["publish_time"].dt.hour == 20).all()


def test_draft_calendar_an_added_post_is_never_before_the_start():
    # 1 a week: 07-01 and 07-08. A takes 07-01; B's target (07-05 − 10 days) is before the
    # plan, and nothing free is near: its post is added on the first day, not on 06-25
    plan = ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": 1}, {"douyin": 20},
                             {"douyin": ["tea_health"]},
                             occasions=_occasions(("2026-07-02", "A", "promotion", 0),
                                                  ("2026-07-05", "B", "new_product", 10)))
    assert _as_rows(plan) == [["07-01 20", "douyin", "promotion", "A", False],
                              ["07-01 20", "douyin", "new_product", "B", True],
                              ["07-08 20", "douyin", "tea_health", "", False]]


def test_draft_calendar_keeps_the_weekly_rate_and_no_gap_is_too_long():
    import math

    per_week = {"douyin": 5, "xiaohongshu": 3.5, "wechat": 2, "zhihu": 1, "bilibili": 0.5}
    hours = {"douyin": 20, "xiaohongshu": 12, "wechat": 21, "zhihu": 9, "bilibili": 18}
    topics = {p: ["tea_health", "brewing_tips", "tea_culture"] for p in per_week}
    span = ("2026-03-02", "2026-05-24")                 # 12 whole Monday–Sunday weeks
    weeks = pd.period_range(*span, freq="W-SUN")
    plan = ct.draft_calendar(*span, per_week, hours, topics)
    assert len(weeks) == 12 and not plan["added"].any() and (plan["occasion"] == "").all()
    assert plan["publish_time"].min() == pd.Timestamp("2026-03-02 09:00")
    assert plan["publish_time"].max() < pd.Timestamp("2026-05-25")
    for platform, rate in per_week.items():
        mine = plan[plan["platform"] == platform]
        assert len(mine) == rate * 12
        assert (mine["publish_time"].dt.hour == hours[platform]).all()
        assert (mine["publish_time"].dt.minute == 0).all()
        weekly = mine.groupby(mine["publish_time"].dt.to_period("W-SUN")).size() \
            .reindex(weeks, fill_value=0)
        assert weekly.between(math.floor(rate), math.ceil(rate)).all(), (platform, weekly)
        assert ct.calendar_gaps(mine, max_gap_days=math.ceil(7 / rate) + 1).empty
        assert mine["topic"].tolist()[:4] == (topics[platform] * 2)[:4]     # in turn
    # with the marketing calendar's occasions: the same planned posts, relabelled, plus
    # added ones; every occasion on every platform exactly once
    occ = ct.marketing_calendar(*span)
    marked = ct.draft_calendar(*span, per_week, hours, topics, occasions=occ)
    kept = marked[~marked["added"]]
    assert kept[["publish_time", "platform"]].values.tolist() == \
        plan[["publish_time", "platform"]].values.tolist()
    for platform in per_week:
        mine = marked[marked["platform"] == platform]
        assert sorted(mine.loc[mine["occasion"] != "", "occasion"]) == sorted(occ["name"])
        assert ct.calendar_gaps(mine, max_gap_days=math.ceil(7 / per_week[platform]) + 1).empty
        named = mine[mine["occasion"] != ""].merge(occ, left_on="occasion", right_on="name")
        assert (named["topic_x"] == named["topic_y"]).all()
        lead = named["date"] - named["publish_time"].dt.normalize()
        target = named["date"] - pd.to_timedelta(named["lead_days"], unit="D")
        assert (lead >= pd.Timedelta(0)).all()                         # never after the day
        assert (named["publish_time"].dt.normalize() >= target - pd.Timedelta(days=3)).all()
    # a span that is not whole weeks: about rate × days / 7 posts, the first on the start
    odd = ct.draft_calendar("2026-07-01", "2026-07-30", per_week, hours, topics)
    for platform, rate in per_week.items():
        mine = odd[odd["platform"] == platform]
        assert abs(len(mine) - rate * 30 / 7) < 1
        assert mine["publish_time"].dt.normalize().iloc[0] == pd.Timestamp("2026-07-01")
        assert mine["publish_time"].max() < pd.Timestamp("2026-07-31")
        assert ct.calendar_gaps(mine, max_gap_days=math.ceil(7 / rate) + 1).empty
    # the end day is in the plan: every 2 days from 07-01 to 07-13 ends on 07-13
    ends = ct.draft_calendar("2026-07-01", "2026-07-13", {"douyin": 3.5}, {"douyin": 20},
                             {"douyin": ["tea_health"]})
    assert ends["publish_time"].dt.day.tolist() == [1, 3, 5, 7, 9, 11, 13]


def test_draft_calendar_bad_input_names_the_parameter():
    args = ("2026-07-01", "2026-07-14")
    topics = {"douyin": ["tea_health"]}
    for rate in (0, -1):
        with pytest.raises(ValueError, match=r"per_week\['douyin'\] = " + str(rate)):
            ct.draft_calendar(*args, {"douyin": rate}, {"douyin": 20}, topics)
    with pytest.raises(ValueError, match="hours has no entry for 'wechat'"):
        ct.draft_calendar(*args, {"douyin": 2, "wechat": 1}, {"douyin": 20},
                          {**topics, "wechat": ["promotion"]})
    with pytest.raises(ValueError, match="topics has no entry for 'douyin'"):
        ct.draft_calendar(*args, {"douyin": 2}, {"douyin": 20}, {})
    with pytest.raises(ValueError, match=r"topics\['douyin'\] is empty"):
        ct.draft_calendar(*args, {"douyin": 2}, {"douyin": 20}, {"douyin": []})
    with pytest.raises(ValueError, match="start 2026-07-14 is after end 2026-07-01"):
        ct.draft_calendar("2026-07-14", "2026-07-01", {"douyin": 2}, {"douyin": 20}, topics)
    with pytest.raises(ValueError, match="'lead_days'"):
        ct.draft_calendar(*args, {"douyin": 2}, {"douyin": 20}, topics,
                          occasions=_occasions(("2026-07-08", "X", "promotion", 3))
                          .drop(columns="lead_days"))


# ================================================================ opinion volume (舆情)
def test_opinion_volume_by_hand_keeps_empty_periods_and_platforms():
    m = _mentions("douyin", ["2026-05-26 20:10", "2026-05-26 21:00", "2026-05-28 09:00"])
    m["negative"] = [True, False, True]
    m = pd.concat([m, _mentions("zhihu", ["2026-05-28 23:59"], negative=False)],
                  ignore_index=True)
    v = ct.opinion_volume(m)
    assert v[["period", "platform", "mentions", "flagged"]].astype(str).values.tolist() == [
        ["2026-05-26", "douyin", "2", "1"], ["2026-05-26", "zhihu", "0", "0"],
        ["2026-05-27", "douyin", "0", "0"], ["2026-05-27", "zhihu", "0", "0"],   # no mention
        ["2026-05-28", "douyin", "1", "1"], ["2026-05-28", "zhihu", "1", "0"]]
    share = v["flagged_share"].to_numpy()
    assert share[[0, 4, 5]].tolist() == [0.5, 1.0, 0.0]
    assert np.isnan(share[[1, 2, 3]]).all() and v["flagged_share_low"].iloc[[1, 2, 3]].isna().all()
    with pytest.raises(ValueError, match="'negative'"):
        ct.opinion_volume(m.drop(columns="negative"))


@pytest.mark.parametrize("freq", ["D", "W"])
def test_opinion_volume_on_the_sample_equals_plain_pandas_and_statsmodels_wilson(freq):
    from statsmodels.stats.proportion import proportion_confint

    m = ops.load_sample("brand_mentions")
    m = m.assign(negative=m["text"].str.contains("贵|涨价|慢|破损|差评|失望|退款|避雷"))
    v = ct.opinion_volume(m, freq=freq)
    day = m["created_time"].dt.floor("D")
    start = day if freq == "D" else day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    ref = m.groupby([start.rename("period"), "platform"])["negative"].agg(["size", "sum"])
    periods = pd.date_range(start.min(), start.max(), freq="D" if freq == "D" else "7D")
    full = pd.MultiIndex.from_product([periods, sorted(m["platform"].unique())],
                                      names=["period", "platform"])
    ref = ref.reindex(full, fill_value=0).reset_index()
    assert len(v) == len(ref) == len(periods) * m["platform"].nunique()
    assert (v["period"].to_numpy() == ref["period"].to_numpy()).all()
    assert (v["platform"].to_numpy() == ref["platform"].to_numpy()).all()
    assert v["mentions"].tolist() == ref["size"].tolist()
    assert v["flagged"].tolist() == ref["sum"].tolist() and ref["sum"].sum() > 100
    seen = ref["size"] > 0
    low, high = proportion_confint(ref.loc[seen, "sum"], ref.loc[seen, "size"],
                                   method="wilson")
    assert v.loc[seen, "flagged_share"].to_numpy() == pytest.approx(
        (ref.loc[seen, "sum"] / ref.loc[seen, "size"]).to_numpy(), rel=1e-12)
    assert v.loc[seen, "flagged_share_low"].to_numpy() == pytest.approx(np.asarray(low),
                                                                        rel=1e-12, abs=1e-15)
    assert v.loc[seen, "flagged_share_high"].to_numpy() == pytest.approx(np.asarray(high),
                                                                         rel=1e-12)
    assert v.loc[~seen, ["flagged_share", "flagged_share_low"]].isna().all().all()


# ================================================================ plots
def _texts_by_cell(ax):
    from matplotlib.colors import to_hex

    grey, plain = {}, {}
    for txt in ax.texts:
        x, y = txt.get_position()
        cell = (int(round(y - 0.5)), int(round(x - 0.5)))
        target = grey if to_hex(txt.get_color()) == to_hex("dimgrey") else plain
        assert cell not in target
        target[cell] = txt.get_text()
    return grey, plain


@pytest.mark.parametrize("rows", ["platform", "weekday"])
def test_plot_posting_heatmap_writes_the_counts_of_greyed_cells(posts, rows):
    import matplotlib.pyplot as plt
    from opshelpers import plots

    ours = ct.post_engagement(posts[posts["account"] == "chayu"])
    cells = ct.posting_heatmap(ours, "read_rate", min_posts=3, rows=rows, weight="impressions")
    ax = plots.posting_heatmap(cells, "read_rate")
    try:
        ax.figure.canvas.draw()                               # renders (Agg)
        values = list(cells[rows].cat.categories)
        where = {(values.index(r), h): n for r, h, n in
                 cells[[rows, "hour", "posts"]].itertuples(index=False)}
        few = {c for c, n in where.items() if n > 0} - {
            (values.index(r), h) for r, h in
            cells.loc[cells["read_rate"].notna(), [rows, "hour"]].itertuples(index=False)}
        shown = {c for c, n in where.items() if n > 0} - few
        assert few and shown                                  # both kinds of cell exist
        grey, plain = _texts_by_cell(ax)
        assert grey == {c: str(where[c]) for c in few}        # greyed cells: their counts
        assert plain == {c: str(where[c]) for c in shown}     # coloured cells: theirs
        image = np.ma.filled(ax.images[0].get_array().astype(float), np.nan)
        assert image.shape == (len(values), 24)
        assert {tuple(ij) for ij in np.argwhere(~np.isnan(image))} == few
        labels = [x.get_text() for x in ax.get_yticklabels()]
        assert labels == [plots.value_label(rows, v) for v in values]
        assert labels[0] == ("Bilibili" if rows == "platform" else "Mon")
    finally:
        plt.close(ax.figure)


def test_opinion_chart_marks_each_alarm_on_its_platform_line():
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from opshelpers import plots

    v = pd.DataFrame({"period": pd.date_range("2026-05-25", periods=3).repeat(2),
                      "platform": ["douyin", "zhihu"] * 3, "flagged": [2, 1, 40, 1, 9, 0]})
    a = pd.DataFrame({"platform": ["douyin", "weibo"],
                      "first_alarm": pd.to_datetime(["2026-05-26 20:25", "2026-05-26 01:00"])})
    ax = plots.opinion_chart(v, a, "t")
    try:
        ax.figure.canvas.draw()
        lines = {ln.get_label(): ln for ln in ax.lines}
        assert sorted(lines) == ["Douyin", "Zhihu", "alarm"] and len(ax.lines) == 3
        assert lines["Douyin"].get_ydata().tolist() == [2, 40, 9]
        assert lines["Zhihu"].get_ydata().tolist() == [1, 1, 0]
        x, y = lines["alarm"].get_xydata()[0]
        assert x == mdates.date2num(pd.Timestamp("2026-05-26")) and y == 40
        assert ax.get_title() == "t"
    finally:
        plt.close(ax.figure)


def test_opinion_chart_on_the_sample_marks_every_alarm():
    import matplotlib.pyplot as plt
    from opshelpers import plots

    m = ops.load_sample("brand_mentions")
    m = m.assign(negative=m["text"].str.contains(
        "贵|涨价|慢|破损|差评|态度差|踩雷|失望|不新鲜|套路|异物|虫|退款|避雷"))
    alerts = ct.opinion_alerts(m)
    ax = plots.opinion_chart(ct.opinion_volume(m), alerts)
    try:
        ax.figure.canvas.draw()
        marks = [ln for ln in ax.lines if ln.get_marker() == "v"]
        assert len(alerts) >= 1 and sum(len(ln.get_xdata()) for ln in marks) == len(alerts)
        assert all(np.isfinite(ln.get_ydata()).all() for ln in marks)
        assert ax.get_title() == "Negative mentions per day by platform"
    finally:
        plt.close(ax.figure)


def test_value_label_speaks_the_language_and_falls_back_to_the_value():
    from opshelpers import i18n, plots

    assert plots.value_label("platform", "douyin") == "Douyin"
    assert plots.value_label("platform", "WeChat") == "WeChat"           # case-insensitive key
    assert plots.value_label("weekday", "Monday") == "Mon"
    assert plots.value_label("platform", "kuaishou") == "kuaishou"
    assert plots.value_label("hour", 20) == "20"
    i18n.set_language("zh")
    assert plots.value_label("platform", "douyin") == "抖音"
    assert plots.value_label("weekday", "Sunday") == "周日"


# ---------------------------------------------------------------- edge cases found in review
def test_comment_summary_with_no_comments_lists_every_post_at_zero():
    none = pd.DataFrame({"post_id": pd.Series([], dtype=int), "text": pd.Series([], dtype=str),
                         "likes": pd.Series([], dtype=int)})
    out = ct.comment_summary(none, pd.DataFrame({"post_id": [1, 2]}))
    assert out["post_id"].tolist() == [1, 2] and out["comments"].tolist() == [0, 0]
    assert not out["criticized"].any() and out["negative_share"].isna().all()


def test_draft_calendar_leaves_occasions_outside_its_range_alone():
    occ = pd.DataFrame({"date": pd.to_datetime(["2026-06-28", "2026-11-11", "2026-07-20"]),
                        "name": ["before", "far", "soon"], "topic": ["x", "y", "z"],
                        "lead_days": [0, 14, 10]})
    plan = ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": 1}, {"douyin": 20},
                                  {"douyin": ["a"]}, occ)
    # "soon" (20 Jul, 10 days ahead → 10 Jul) is inside; the other two are not this plan's
    assert plan["occasion"].tolist() == ["", "soon"]
    assert plan["publish_time"].max() <= pd.Timestamp("2026-07-14 23:59")
    assert not plan["added"].any()


@pytest.mark.parametrize("hour", [24, -1, 20.5, "20"])
def test_draft_calendar_refuses_a_bad_hour(hour):
    with pytest.raises(ValueError, match=r"hours\['douyin'\].*whole hour from 0 to 23"):
        ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": 2}, {"douyin": hour},
                               {"douyin": ["a"]})


def test_draft_calendar_refuses_more_than_one_post_a_day():
    with pytest.raises(ValueError, match=r"per_week\['douyin'\] = 8.*at most 7"):
        ct.draft_calendar("2026-07-01", "2026-07-14", {"douyin": 8}, {"douyin": 20},
                               {"douyin": ["a"]})


def test_opinion_chart_marks_an_alarm_on_weekly_data():
    v = pd.DataFrame({"period": pd.to_datetime(["2026-05-18", "2026-05-25"]).repeat(2),
                      "platform": ["douyin", "zhihu"] * 2, "flagged": [3, 1, 40, 2]})
    a = pd.DataFrame({"platform": ["douyin"], "first_alarm": [pd.Timestamp("2026-05-27 21:00")]})
    ax = ops.plots.opinion_chart(v, a, "t")
    marker = [ln for ln in ax.lines if ln.get_marker() == "v"][0]
    assert marker.get_ydata().tolist() == [40]
    ax.figure.clf()


@pytest.mark.parametrize("weight, label", [(None, "mean Completion rate"),
                                           ("reads", "Completion rate")])
def test_posting_heatmap_colour_bar_says_mean_only_when_unweighted(weight, label):
    p = pd.DataFrame({"publish_time": pd.to_datetime(["2026-03-02 20:00"] * 2),
                      "platform": "douyin", "reads": [300, 100],
                      "completion_rate": [0.4, 0.6]})
    cells = ct.posting_heatmap(p, min_posts=2, rows="platform", weight=weight)
    ax = ops.plots.posting_heatmap(cells, "completion_rate", "t")
    assert ax.figure.axes[-1].get_ylabel() == label
    ax.figure.clf()
