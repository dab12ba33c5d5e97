"""Content operations (内容运营): engagement, timing, titles, virality, compliance, calendar.

Input: the `posts` table (account, platform, publish_time, format, topic, title,
impressions, reads, completion_rate, likes, shares, comments, saves, follows).
Platforms count a "read" differently, so rates are pooled *within* a platform and
compared across platforms only as an index against the platform's own median.

Taught in 04_content.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import stats
import statsmodels.formula.api as smf

from . import arrays
from .io import load_word_list
from .compat import renamed
from .metrics import ENGAGEMENTS, add_rate, ratio, require

__all__ = ["engagement", "post_engagement", "posting_heatmap", "title_features",
           "title_effects", "topic_performance", "viral_posts", "load_adlaw", "check_copy",
           "check_titles", "cadence", "calendar_gaps", "competitor_benchmark",
           "opinion_alerts"]

COUNTS = ["impressions", "reads", "likes", "shares", "comments", "saves", "follows"]
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def engagement(posts: pd.DataFrame, by=("account", "platform")) -> pd.DataFrame:
    """Pooled engagement per group: sums first, then rates (with Wilson CIs).

    read_rate = reads / impressions; like/share/comment/save rates and
    engagement_rate = (likes + comments + shares + saves) / reads;
    follows_per_1k = follows / reads × 1000; completion = read-weighted mean.

    Taught in 04_content §Engagement.
    """
    keys = [by] if isinstance(by, str) else list(by)
    require(posts, keys + COUNTS, "engagement")
    p = posts.assign(interactions=posts[ENGAGEMENTS].sum(axis=1),
                     _done=posts["completion_rate"].fillna(0) * posts["reads"],
                     _video_reads=np.where(posts["completion_rate"].notna(), posts["reads"], 0))
    g = p.groupby(keys, observed=True)
    out = g[COUNTS + ["interactions", "_done", "_video_reads"]].sum()
    out.insert(0, "posts", g.size())
    out = out.reset_index()
    out = add_rate(out, "read_rate", "reads", "impressions")
    for name in ("likes", "shares", "comments", "saves"):
        out = add_rate(out, f"{name[:-1]}_rate", name, "reads", ci=name == "shares")
    out = add_rate(out, "engagement_rate", "interactions", "reads")
    out["follows_per_1k"] = 1000 * ratio(out["follows"], out["reads"])
    out["completion"] = ratio(out["_done"], out["_video_reads"])
    return out.drop(columns=["_done", "_video_reads"])


def post_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    """Per-post rates plus `reads_index`: reads ÷ the median of the same platform."""
    require(posts, ["platform"] + COUNTS, "post_engagement")
    out = posts.copy()
    out["read_rate"] = ratio(out["reads"], out["impressions"])   # the glossary's read_rate
    inter = out[ENGAGEMENTS].sum(axis=1)
    out["engagement_rate"] = ratio(inter, out["reads"])
    out["share_rate"] = ratio(out["shares"], out["reads"])
    med = out.groupby("platform", observed=True)["reads"].transform("median")
    out["reads_index"] = ratio(out["reads"], med)
    return out


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@renamed(value="metric")
def posting_heatmap(posts: pd.DataFrame, metric: str = "completion_rate",
                    min_posts: int = 3) -> pd.DataFrame:
    """Mean `metric` per weekday × publishing hour, one row per cell (all 7 × 24, empty
    cells included): weekday (Monday first), hour, posts, and `metric` — blank (NaN)
    where fewer than `min_posts` posts make it. `plots.posting_heatmap` draws it.

    >>> p = pd.DataFrame({"publish_time": pd.to_datetime(["2026-03-02 20:00"] * 2),
    ...                   "completion_rate": [0.4, 0.6]})
    >>> posting_heatmap(p, min_posts=2).query("posts > 0").values.tolist()
    [['Monday', 20, 2, 0.5]]
    """
    require(posts, ["publish_time", metric], "posting_heatmap")
    p = posts.dropna(subset=[metric])
    if p.empty:
        raise ValueError(f"no posts with a {metric}")
    cells = pd.MultiIndex.from_product([WEEKDAYS, range(24)], names=["weekday", "hour"])
    g = p.groupby([p["publish_time"].dt.day_name().rename("weekday"),
                   p["publish_time"].dt.hour.rename("hour")])[metric]
    out = pd.DataFrame({"posts": g.size(), metric: g.mean()}).reindex(cells)
    out["posts"] = out["posts"].fillna(0).astype(int)
    out[metric] = out[metric].where(out["posts"] >= min_posts)
    out = out.reset_index()
    out["weekday"] = pd.Categorical(out["weekday"], categories=WEEKDAYS, ordered=True)
    return out


def title_features(posts: pd.DataFrame, title: str = "title") -> pd.DataFrame:
    """Title length, has a number, is a question, has an emoji (新增列).

    >>> title_features(pd.DataFrame({"title": ["5个泡茶技巧🍵", "喝茶会失眠吗？"]}))[
    ...     ["title_length", "has_number", "is_question", "has_emoji"]].values.tolist()
    [[7, True, False, True], [7, False, True, False]]
    """
    require(posts, [title], "title_features")
    t = posts[title]
    if not t.map(lambda x: isinstance(x, str) and x.strip() != "").all():
        bad = int((~t.map(lambda x: isinstance(x, str) and x.strip() != "")).sum())
        raise ValueError(f"{bad} title(s) are empty or not text; fix or drop them first")
    out = posts.copy()
    out["title_length"] = t.str.len()
    out["has_number"] = t.str.contains(r"\d")
    out["is_question"] = t.str.contains(r"[?？吗]")
    out["has_emoji"] = t.map(lambda x: bool(EMOJI.search(x)))
    return out


@renamed(outcome="metric")
def title_effects(posts: pd.DataFrame, metric: str = "read_rate") -> pd.DataFrame:
    """Relative effect of title features on `metric` (default the read rate, reads /
    impressions), platform and topic held fixed.

    OLS of log(metric) on the features plus platform and topic (statsmodels); effects
    are exp(coefficient) − 1 with 95 % CIs: "+30 %" means 1.3× the read rate, all else
    equal. Posts where the metric is 0 or missing are left out (no logarithm).
    """
    f = post_engagement(title_features(posts))
    require(f, [metric], "title_effects")
    f = f[(f[metric] > 0) & f[metric].notna()]
    f = f.assign(log_y=np.log(f[metric]), **{c: f[c].astype(int) for c in
                                              ("has_number", "is_question", "has_emoji")})
    model = smf.ols("log_y ~ has_number + is_question + has_emoji + title_length"
                    " + C(platform) + C(topic)", data=f).fit()
    rows = []
    for term in ("has_number", "is_question", "has_emoji", "title_length"):
        low, high = model.conf_int().loc[term]
        rows.append({"feature": term, "effect": np.expm1(model.params[term]),
                     "effect_low": np.expm1(low), "effect_high": np.expm1(high),
                     "p_value": model.pvalues[term]})
    return pd.DataFrame(rows)


@renamed(rate="metric")
def topic_performance(posts: pd.DataFrame, metric: str = "shares") -> pd.DataFrame:
    """Per topic: the pooled count `metric` per read (e.g. shares / reads, in column
    `shares_per_read`) with Wilson CIs, best first."""
    require(posts, ["topic", "reads", metric], "topic_performance")
    g = posts.groupby("topic", observed=True)[[metric, "reads"]].sum().reset_index()
    g["posts"] = posts.groupby("topic", observed=True).size().to_numpy()
    out = add_rate(g, f"{metric}_per_read", metric, "reads")
    return out.sort_values(f"{metric}_per_read", ascending=False, ignore_index=True)


def viral_posts(posts: pd.DataFrame, threshold: float = 3.5) -> pd.DataFrame:
    """Posts far above their platform's robust baseline (爆款).

    robust_z = (log reads − platform median) / MAD on log reads, the MAD scaled to a
    normal's standard deviation (scipy's `median_abs_deviation(scale="normal")`); flagged
    when above `threshold`. `multiple` = reads ÷ platform median reads.
    """
    require(posts, ["platform", "reads"], "viral_posts")
    logr = np.log1p(posts["reads"].astype(float))
    grp = logr.groupby(posts["platform"], observed=True)
    med = grp.transform("median")
    mad = grp.transform(lambda x: stats.median_abs_deviation(x, scale="normal"))
    out = posts.copy()
    out["robust_z"] = ratio(logr - med, mad)
    out["multiple"] = ratio(posts["reads"], posts.groupby(
        "platform", observed=True)["reads"].transform("median"))
    return out[out["robust_z"] > threshold].sort_values("robust_z", ascending=False)


# ------------------------------------------------------------------ compliance (广告法)
def load_adlaw(path: str | None = None) -> dict:
    """The advertising-law word list (`opshelpers/adlaw.json`, or your own file)."""
    d = load_word_list("adlaw.json", path)
    if not isinstance(d.get("rules"), list):
        raise ValueError("an advertising-law list needs 'rules': [{word, category, ...}]")
    return d


def check_copy(text: str, wordlist: dict | None = None) -> pd.DataFrame:
    """Flag advertising-law risks in one piece of copy: word, category, severity, fix.

    Longer words win (全网最 before 最); everyday phrases in `exceptions` (第一次, 最近,
    治愈时刻 …) are not flagged. Case-insensitive for English; `word` is the text as
    written.

    >>> check_copy("全网最好喝的岩茶，第一次喝就爱上")[["word", "category"]].values.tolist()
    [['全网最', 'absolute']]
    """
    if not isinstance(text, str):
        raise TypeError(f"check_copy needs text, got {type(text).__name__}")
    d = wordlist or load_adlaw()
    masked = text.lower()
    for exc in d.get("exceptions", []):
        masked = masked.replace(exc.lower(), "\0" * len(exc))
    rows = []
    for rule in sorted(d["rules"], key=lambda r: len(r["word"]), reverse=True):
        w = rule["word"].lower()
        start = masked.find(w)
        while start >= 0:
            rows.append({"word": text[start:start + len(w)], "position": start,
                         "category": rule["category"], "severity": rule["severity"],
                         "suggestion": rule["suggestion"]})
            masked = masked[:start] + "\0" * len(w) + masked[start + len(w):]
            start = masked.find(w)
    return pd.DataFrame(rows, columns=["word", "position", "category", "severity",
                                       "suggestion"]).sort_values("position",
                                                                  ignore_index=True)


def check_titles(posts: pd.DataFrame, title: str = "title",
                 wordlist: dict | None = None) -> pd.DataFrame:
    """One row per risk found in a table of titles (post_id, title, word, category, …)."""
    require(posts, [title], "check_titles")
    d = wordlist or load_adlaw()
    found = []
    for idx, t in posts[title].items():
        if not isinstance(t, str):
            continue
        hits = check_copy(t, d)
        if len(hits):
            found.append(hits.assign(index=idx, title=t))
    cols = ["index", "title", "word", "category", "severity", "suggestion"]
    if not found:
        return pd.DataFrame(columns=cols)
    out = pd.concat(found, ignore_index=True)[cols]
    if "post_id" in posts:
        out.insert(0, "post_id", posts.loc[out["index"], "post_id"].to_numpy())
    return out.drop(columns="index")


# ------------------------------------------------------------------ calendar, competitors
def cadence(plan: pd.DataFrame, freq: str = "W", time: str = "publish_time",
            by: str = "platform") -> pd.DataFrame:
    """Posts per `freq` period and platform (a content calendar's rhythm): one row per
    period × platform from the first to the last period, zeros included.

    >>> plan = pd.DataFrame({"platform": ["wechat", "douyin", "wechat"],
    ...     "publish_time": pd.to_datetime(["2026-07-01", "2026-07-02", "2026-07-15"])})
    >>> cadence(plan)["posts"].tolist()
    [1, 1, 0, 0, 0, 1]
    """
    require(plan, [time, by], "cadence")
    per = arrays.period_start(plan[time], freq).rename("period")
    counts = plan.groupby([per, plan[by]], observed=True).size()
    every = arrays.periods_between(per.min(), per.max(), freq)["start"]
    cells = pd.MultiIndex.from_product([every.rename("period"),
                                        sorted(plan[by].astype(str).unique())],
                                       names=["period", by])
    counts.index = counts.index.set_levels(counts.index.levels[1].astype(str), level=1)
    return counts.reindex(cells, fill_value=0).rename("posts").reset_index()


def calendar_gaps(plan: pd.DataFrame, max_gap_days: int = 4, time: str = "publish_time",
                  by: str = "platform") -> pd.DataFrame:
    """Stretches longer than `max_gap_days` without a post, per platform."""
    require(plan, [time, by], "calendar_gaps")
    rows = []
    for name, g in plan.sort_values(time).groupby(by, observed=True):
        days = g[time].dt.normalize().drop_duplicates()
        gap = days.diff().dt.days
        for end, size in zip(days[gap > max_gap_days], gap[gap > max_gap_days]):
            rows.append({by: name, "from": end - pd.Timedelta(days=int(size)), "to": end,
                         "days_without_post": int(size) - 1})
    return pd.DataFrame(rows, columns=[by, "from", "to", "days_without_post"])


def competitor_benchmark(posts: pd.DataFrame, platform: str | None = None) -> pd.DataFrame:
    """Per account (and platform): posts per week, text length, reads, engagement, growth."""
    require(posts, ["account", "platform", "publish_time", "reads", "follows"],
            "competitor_benchmark")
    p = posts if platform is None else posts[posts["platform"] == platform]
    if p.empty:
        raise ValueError(f"no posts on platform {platform!r}")
    weeks = (p["publish_time"].max() - p["publish_time"].min()).days / 7
    eng = engagement(p, by=["account", "platform"])
    extra = p.groupby(["account", "platform"], observed=True).agg(
        median_reads=("reads", "median"), median_text_length=("text_length", "median"))
    out = eng.join(extra, on=["account", "platform"])
    out["posts_per_week"] = out["posts"] / weeks
    out["follows_per_week"] = out["follows"] / weeks
    return out[["account", "platform", "posts", "posts_per_week", "median_text_length",
                "median_reads", "engagement_rate", "share_rate", "follows",
                "follows_per_week", "follows_per_1k"]]


# ------------------------------------------------------------------ public opinion (舆情)
def opinion_alerts(mentions: pd.DataFrame, flag: str = "negative", by: str = "platform",
                   window: str = "3h", baseline: str = "7D", p_value: float = 1e-6,
                   min_count: int = 8, floor: float = 0.5, time: str = "created_time"
                   ) -> pd.DataFrame:
    """A public-opinion alarm (舆情预警): per `by` value (a platform), count the flagged
    mentions (the boolean column `flag`, e.g. negative ones) in the `window` ending
    at each of them, and alarm when a count that high would be this rare by chance —
    Poisson upper tail below `p_value` — given the platform's usual rate: its flagged
    mentions per window over the `baseline` before that window (at least `floor`, so a
    quiet platform does not alarm on two posts), and the count is at least `min_count`.
    Windows whose baseline starts before the data are not judged (counted in
    `attrs["unjudged"]`). One row per alarm episode — consecutive alarming windows
    less than `window` apart — with the first alarm's time, the window's count, the
    expected count, the tail probability, and the last alarm's time.

    >>> t = pd.Timestamp("2026-01-01 12:00") + pd.to_timedelta(range(0, 240, 12), "h")
    >>> calm = pd.DataFrame({"platform": "douyin", "negative": True, "created_time": t})
    >>> burst = pd.DataFrame({"platform": "douyin", "negative": True, "created_time":
    ...     pd.Timestamp("2026-01-11 20:00") + pd.to_timedelta(range(0, 90, 10), "min")})
    >>> alerts = opinion_alerts(pd.concat([calm, burst], ignore_index=True))
    >>> alerts[["platform", "first_alarm", "count"]].values.tolist()
    [['douyin', Timestamp('2026-01-11 21:10:00'), 8]]
    """
    from scipy.stats import poisson

    require(mentions, [by, flag, time], "opinion_alerts")
    if mentions[time].isna().any():
        raise ValueError(f"opinion_alerts: {int(mentions[time].isna().sum())} mention(s) "
                         f"have no {time}; fix or drop them first")
    span, base = arrays.duration(window, "window"), arrays.duration(baseline, "baseline")
    if base <= span:
        raise ValueError(f"baseline ({baseline}) must be longer than the window ({window})")
    start = mentions[time].min()
    rows, unjudged = [], 0
    flagged = mentions[mentions[flag].fillna(False).astype(bool)]
    for key, g in flagged.groupby(by, sort=True):
        t = np.sort(g[time].to_numpy())
        i = np.arange(len(t))
        in_window = i - np.searchsorted(t, t - span, side="right") + 1
        before = np.searchsorted(t, t - span, side="right") \
            - np.searchsorted(t, t - span - base, side="right")
        judged = t - span - base >= start.to_datetime64()
        unjudged += int((~judged).sum())
        expected = np.maximum(before * (span / base), floor)
        tail = poisson.sf(in_window - 1, expected)
        alarm = judged & (tail < p_value) & (in_window >= min_count)
        hits = np.flatnonzero(alarm)
        if not len(hits):
            continue
        episode = np.cumsum(np.r_[True, np.diff(t[hits]) >= span])
        for k in np.unique(episode):
            first, last = hits[episode == k][0], hits[episode == k][-1]
            rows.append({by: key, "first_alarm": pd.Timestamp(t[first]),
                         "count": int(in_window[first]), "expected": float(expected[first]),
                         "p_value": float(tail[first]), "last_alarm": pd.Timestamp(t[last])})
    out = pd.DataFrame(rows, columns=[by, "first_alarm", "count", "expected", "p_value",
                                      "last_alarm"])
    out.attrs["unjudged"] = unjudged
    return out
