"""Content operations (内容运营): engagement, timing, titles, virality, compliance,
calendar, public opinion (舆情) and comments.

Input: the `posts` table (account, platform, publish_time, format, topic, title,
impressions, reads, completion_rate, likes, shares, comments, saves, follows); for
comments `post_comments`, for public opinion `brand_mentions`.
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
           "comment_themes", "comment_summary", "marketing_calendar", "draft_calendar",
           "opinion_volume", "opinion_alerts"]

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
    """Per-post rates (read_rate, engagement_rate, like_rate, share_rate) plus
    `reads_index`: reads ÷ the median reads of the same platform."""
    require(posts, ["platform"] + COUNTS, "post_engagement")
    out = posts.copy()
    out["read_rate"] = ratio(out["reads"], out["impressions"])   # the glossary's read_rate
    inter = out[ENGAGEMENTS].sum(axis=1)
    out["engagement_rate"] = ratio(inter, out["reads"])
    out["like_rate"] = ratio(out["likes"], out["reads"])
    out["share_rate"] = ratio(out["shares"], out["reads"])
    med = out.groupby("platform", observed=True)["reads"].transform("median")
    out["reads_index"] = ratio(out["reads"], med)
    return out


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@renamed(value="metric")
def posting_heatmap(posts: pd.DataFrame, metric: str = "completion_rate",
                    min_posts: int = 3, rows: str = "weekday", weight: str | None = None
                    ) -> pd.DataFrame:
    """`metric` per publishing hour and `rows` (the weekday, or a column such as
    platform), one row per cell — every hour 0–23 and every row value, empty cells
    included: `rows`, hour, posts, and `metric`, blank (NaN) where fewer than
    `min_posts` posts make it (too few to say; `plots.posting_heatmap` greys them).
    The metric is the mean per post, or with `weight` the weighted mean — the pooled
    rate: read_rate weighted by impressions is Σreads / Σimpressions.

    >>> p = pd.DataFrame({"publish_time": pd.to_datetime(["2026-03-02 20:00"] * 2),
    ...                   "completion_rate": [0.4, 0.6]})
    >>> posting_heatmap(p, min_posts=2).query("posts > 0").values.tolist()
    [['Monday', 20, 2, 0.5]]
    >>> p["platform"], p["reads"] = "douyin", [300, 100]
    >>> cells = posting_heatmap(p, min_posts=2, rows="platform", weight="reads")
    >>> cells.query("posts > 0").values.tolist()
    [['douyin', 20, 2, 0.45]]
    """
    need = ["publish_time", metric] + ([] if rows == "weekday" else [rows]) \
        + ([weight] if weight else [])
    require(posts, need, "posting_heatmap")
    p = posts.dropna(subset=[metric])
    if p.empty:
        raise ValueError(f"posting_heatmap: no posts with a {metric}")
    if weight and (p[weight].isna() | (p[weight] < 0)).any():
        raise ValueError(f"posting_heatmap: {int((p[weight].isna() | (p[weight] < 0)).sum())}"
                         f" post(s) have a missing or negative {weight}")
    key = (p["publish_time"].dt.day_name() if rows == "weekday" else p[rows]).rename(rows)
    values = WEEKDAYS if rows == "weekday" else sorted(posts[rows].dropna().unique())
    cells = pd.MultiIndex.from_product([values, range(24)], names=[rows, "hour"])
    w = p[weight].astype(float) if weight else pd.Series(1.0, index=p.index)
    g = pd.DataFrame({"w": w, "wx": w * p[metric]}).groupby(
        [key, p["publish_time"].dt.hour.rename("hour")])
    sums = g.sum()
    out = pd.DataFrame({"posts": g.size(), metric: ratio(sums["wx"], sums["w"])},
                       index=sums.index).reindex(cells)
    out["posts"] = out["posts"].fillna(0).astype(int)
    out[metric] = out[metric].where(out["posts"] >= min_posts)
    out = out.reset_index()
    out[rows] = pd.Categorical(out[rows], categories=list(values), ordered=True)
    out.attrs["weight"] = weight
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
def topic_performance(posts: pd.DataFrame, metric: str = "shares", by: str | None = None
                      ) -> pd.DataFrame:
    """Per topic (and per `by`, e.g. platform — a Douyin play and a WeChat read are not
    the same event, so compare topics within one platform): the pooled count `metric`
    per read (e.g. shares / reads, in column `shares_per_read`) with Wilson CIs, best
    first (within each `by` value).

    >>> p = pd.DataFrame({"platform": ["douyin", "douyin", "wechat"],
    ...     "topic": ["tea_health", "promotion", "promotion"],
    ...     "shares": [30, 10, 5], "reads": [1000, 1000, 100]})
    >>> topic_performance(p, by="platform")[["platform", "topic", "shares_per_read"]
    ...     ].values.tolist()
    [['douyin', 'tea_health', 0.03], ['douyin', 'promotion', 0.01], ['wechat', 'promotion', 0.05]]
    """
    keys = ([by] if by else []) + ["topic"]
    require(posts, keys + ["reads", metric], "topic_performance")
    g = posts.groupby(keys, observed=True)
    out = g[[metric, "reads"]].sum()
    out["posts"] = g.size()
    out = add_rate(out.reset_index(), f"{metric}_per_read", metric, "reads")
    order = ([by] if by else []) + [f"{metric}_per_read"]
    return out.sort_values(order, ascending=[True] * bool(by) + [False], ignore_index=True)


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


def marketing_calendar(start, end, path: str | None = None) -> pd.DataFrame:
    """The dates a content calendar plans around (营销日历): festivals, solar terms
    (节气) and shopping festivals from `opshelpers/marketing_calendar.json` (or your own
    file of the same shape), one row per occasion between `start` and `end`
    (inclusive): date, name, name_en, kind, topic, lead_days (post this many days
    ahead: gifts need time to ship). A range outside the file's coverage is an error.

    >>> marketing_calendar("2026-07-01", "2026-07-31")["name"].tolist()
    ['小暑', '初伏', '大暑', '中伏']
    """
    d = load_word_list("marketing_calendar.json", path)
    covered = pd.to_datetime(d["covers"])
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if lo > hi:
        raise ValueError(f"marketing_calendar: start {lo.date()} is after end {hi.date()}")
    if lo < covered[0] or hi > covered[1]:
        raise ValueError(f"marketing_calendar: the calendar covers {d['covers'][0]} to "
                         f"{d['covers'][1]}; {lo.date()}–{hi.date()} is outside it — pass "
                         f"path= to your own file with the same shape")
    out = pd.DataFrame(d["occasions"])
    out["date"] = pd.to_datetime(out["date"])
    out = out[(out["date"] >= lo) & (out["date"] <= hi)]
    return out[["date", "name", "name_en", "kind", "topic", "lead_days"]].sort_values(
        "date", ignore_index=True)


SLACK_DAYS = 3       # an occasion's post may go out this many days before its target day


def draft_calendar(start, end, per_week: dict, hours: dict, topics: dict,
                   occasions: pd.DataFrame | None = None) -> pd.DataFrame:
    """A first draft of a content calendar: per platform, `per_week[platform]` posts a
    week, one every 7 / per_week days from `start` up to `end` (inclusive), each at
    `hours[platform]` o'clock, topics taken in turn from `topics[platform]` (list a
    topic twice to post it twice as often). With `occasions` (from
    `marketing_calendar`), each occasion takes the platform's free planned post
    nearest to its date minus its lead_days — at most `SLACK_DAYS` (3) days before
    that and not after the date — which gets the occasion's topic and name; when no
    post is that close, one is added on that day (`added` True). Occasions before
    `start`, or whose day to post falls after `end`, are left to another plan. One
    row per planned post: publish_time, platform, topic, occasion ("" when none),
    added.

    >>> plan = draft_calendar("2026-07-01", "2026-07-14", {"douyin": 3.5},
    ...                       {"douyin": 20}, {"douyin": ["tea_health", "brewing_tips"]})
    >>> plan["publish_time"].dt.day.tolist(), plan["topic"].tolist()[:3]
    ([1, 3, 5, 7, 9, 11, 13], ['tea_health', 'brewing_tips', 'tea_health'])
    """
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    days = (hi - lo).days + 1
    if days < 1:
        raise ValueError(f"draft_calendar: start {lo.date()} is after end {hi.date()}")
    rows = []
    for platform, rate in per_week.items():
        for name, given in (("hours", hours), ("topics", topics)):
            if platform not in given:
                raise ValueError(f"draft_calendar: {name} has no entry for {platform!r}; "
                                 f"give one for every platform in per_week")
        if not 0 < rate <= 7:
            raise ValueError(f"draft_calendar: per_week[{platform!r}] = {rate}; give "
                             f"posts a week above 0 and at most 7 (one a day)")
        hour = hours[platform]
        if isinstance(hour, bool) or not isinstance(hour, (int, np.integer)) \
                or not 0 <= hour <= 23:
            raise ValueError(f"draft_calendar: hours[{platform!r}] = {hour!r}; give a "
                             f"whole hour from 0 to 23")
        if not topics[platform]:
            raise ValueError(f"draft_calendar: topics[{platform!r}] is empty")
        step = 7 / rate                                   # days between posts
        n = int(np.ceil(days / step - 1e-9))
        offsets = np.floor(np.arange(n) * step + 1e-9).astype(int)
        rows.append(pd.DataFrame({
            "publish_time": lo + pd.to_timedelta(offsets, "D") + pd.Timedelta(hours=hour),
            "platform": platform,
            "topic": [topics[platform][i % len(topics[platform])] for i in range(n)],
            "occasion": ""}))
    plan = pd.concat(rows, ignore_index=True).assign(added=False)
    if occasions is not None and len(occasions):
        require(occasions, ["date", "name", "topic", "lead_days"], "draft_calendar")
        for occ in occasions.itertuples():
            day = pd.Timestamp(occ.date).normalize()
            target = max(day - pd.Timedelta(days=int(occ.lead_days)), lo)
            if day < lo or target > hi:                    # not this plan's to cover
                continue
            for platform in per_week:
                at = plan["publish_time"].dt.normalize()
                free = plan[(plan["platform"] == platform) & (plan["occasion"] == "")
                            & (at >= target - pd.Timedelta(days=SLACK_DAYS)) & (at <= day)]
                if len(free):
                    i = (free["publish_time"].dt.normalize() - target).abs().idxmin()
                    plan.loc[i, ["topic", "occasion"]] = [occ.topic, occ.name]
                else:                                      # no post near it: add one
                    plan.loc[len(plan)] = [target + pd.Timedelta(hours=hours[platform]),
                                           platform, occ.topic, occ.name, True]
    return plan.sort_values(["publish_time", "platform"], ignore_index=True)


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
def opinion_volume(mentions: pd.DataFrame, freq: str = "D", by: str = "platform",
                   flag: str = "negative", time: str = "created_time") -> pd.DataFrame:
    """Mentions per period and platform, every period from the first to the last
    included (zeros too): `mentions`, `flagged` (the boolean column `flag`) and the
    flagged share with its Wilson CI — the daily view a 舆情 monitor plots.

    >>> m = pd.DataFrame({"platform": ["douyin"] * 3, "negative": [True, False, True],
    ...     "created_time": pd.to_datetime(["2026-05-26 20:10", "2026-05-26 21:00",
    ...                                     "2026-05-28 09:00"])})
    >>> opinion_volume(m)[["mentions", "flagged"]].values.tolist()
    [[2, 1], [0, 0], [1, 1]]
    """
    require(mentions, [by, flag, time], "opinion_volume")
    per = arrays.period_start(mentions[time], freq).rename("period")
    f = mentions[flag].fillna(False).astype(bool)
    g = pd.DataFrame({"mentions": 1, "flagged": f.astype(int)}).groupby(
        [per, mentions[by].rename(by)], observed=True).sum()
    every = arrays.periods_between(per.min(), per.max(), freq)["start"]
    cells = pd.MultiIndex.from_product([pd.DatetimeIndex(every, name="period"),
                                        sorted(mentions[by].dropna().unique())],
                                       names=["period", by])
    out = g.reindex(cells, fill_value=0).reset_index()
    return add_rate(out, "flagged_share", "flagged", "mentions")


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


# ------------------------------------------------------------------ comments (评论)
def comment_themes(comments: pd.DataFrame, dictionary: dict | None = None,
                   by: str = "post_id") -> pd.DataFrame:
    """Complaint themes per post: the negative comments (sentiment < 0, from
    `community.tag_themes`) counted by theme — one row per post and theme it has,
    with `share` = that theme's negative comments / the post's negative comments
    (a comment can name two themes, so shares can add up to more than 1). A
    negative comment that names no theme counts under theme "other".

    >>> c = pd.DataFrame({"post_id": [1, 1, 1, 2],
    ...                   "text": ["太贵了", "又涨价了，物流也慢", "好喝", "物流好慢"]})
    >>> comment_themes(c)[["post_id", "theme", "negative_comments"]].values.tolist()
    [[1, 'price', 2], [1, 'shipping', 1], [2, 'shipping', 1]]
    """
    from .community import load_themes, tag_themes

    require(comments, [by, "text"], "comment_themes")
    d = dictionary or load_themes()
    tagged = comments if "sentiment" in comments else tag_themes(comments, d)
    neg = tagged[tagged["sentiment"] < 0]
    if neg.empty:
        return pd.DataFrame({by: pd.Series([], dtype=comments[by].dtype),
                             "theme": pd.Series([], dtype=object),
                             "negative_comments": pd.Series([], dtype=int),
                             "share": pd.Series([], dtype=float)})
    flags = neg[[f"theme_{n}" for n in d["themes"]]].copy()
    flags.columns = list(d["themes"])
    flags["other"] = ~flags.any(axis=1)
    long = flags.assign(**{by: neg[by]}).melt(id_vars=by, var_name="theme")
    long = long[long["value"]]
    out = long.groupby([by, "theme"]).size().rename("negative_comments").reset_index()
    total = neg.groupby(by).size()
    out["share"] = out["negative_comments"] / out[by].map(total).to_numpy()
    return out.sort_values([by, "negative_comments", "theme"], ascending=[True, False, True],
                           ignore_index=True)


def comment_summary(comments: pd.DataFrame, posts: pd.DataFrame | None = None,
                    min_comments: int = 10, criticized_share: float = 0.5,
                    dictionary: dict | None = None) -> pd.DataFrame:
    """Per post: comments, negative comments (sentiment < 0), `negative_share` with its
    Wilson CI, the top complaint theme and its share of the negative comments, the
    likes on negative comments, and `criticized` (挨骂的帖子): at least `min_comments`
    comments and a negative share of at least `criticized_share`. With `posts`, every
    post appears (0 comments included) with its platform, topic, title and time, and
    comments whose post_id is not in `posts` raise an error that counts them.

    >>> c = pd.DataFrame({"post_id": [7] * 4, "likes": [5, 2, 0, 1],
    ...                   "text": ["太贵了", "先涨价再打折", "好喝", "物流好慢"]})
    >>> r = comment_summary(c, min_comments=4).iloc[0]
    >>> int(r["negative"]), float(r["negative_share"]), r["top_complaint"], bool(r["criticized"])
    (3, 0.75, 'price', True)
    """
    from .community import load_themes, tag_themes

    require(comments, ["post_id", "text", "likes"], "comment_summary")
    d = dictionary or load_themes()
    tagged = tag_themes(comments, d)
    tagged["negative"] = tagged["sentiment"] < 0
    g = tagged.groupby("post_id")
    out = pd.DataFrame({"comments": g.size(), "negative": g["negative"].sum(),
                        "likes_on_negative": tagged["likes"].where(tagged["negative"], 0)
                        .groupby(tagged["post_id"]).sum()})
    if posts is not None:
        require(posts, ["post_id"], "comment_summary (posts)")
        orphans = ~out.index.isin(posts["post_id"])
        if orphans.any():
            raise ValueError(f"comment_summary: {int(out.loc[orphans, 'comments'].sum())} "
                             f"comment(s) belong to {int(orphans.sum())} post_id(s) not in "
                             f"posts (e.g. {out.index[orphans][0]}); load the matching posts")
        out = out.reindex(posts["post_id"].to_numpy(), fill_value=0)
    out.index.name = "post_id"
    out = add_rate(out.reset_index(), "negative_share", "negative", "comments")
    top = comment_themes(tagged, d).drop_duplicates("post_id").set_index("post_id")
    out["top_complaint"] = out["post_id"].map(top["theme"])
    out["top_complaint_share"] = out["post_id"].map(top["share"])
    out["criticized"] = (out["comments"] >= min_comments) & \
        (out["negative_share"] >= criticized_share)
    if posts is not None:
        info = [c for c in ("account", "platform", "topic", "title", "publish_time")
                if c in posts]
        out = posts[["post_id"] + info].merge(out, on="post_id", how="left")
    return out
