"""The glossary and the table grains in 中文 and English."""

import re

import pandas as pd
import pytest

from opshelpers import glossary, i18n, schema

CJK = re.compile(r"[\u4e00-\u9fff]")
BRACKETED = re.compile(r"`[^`]*`|\([^()]*\)|（[^（）]*）|\[[^\[\]]*\]|【[^【】]*】")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?: +[A-Za-z][A-Za-z'’-]*){3,}")


def latin_runs(text: str) -> list[str]:
    """Runs of 4+ Latin words separated by spaces, outside backticks and brackets."""
    return LATIN_RUN.findall(BRACKETED.sub(" ", text))


def test_latin_runs_helper():
    assert latin_runs("只看 DAU 和 MAU 的 ROI") == []
    assert latin_runs("打开 App（app open is not a purchase）") == []
    assert latin_runs("先说清 which step it converts 到哪") == ["which step it converts"]


def chinese_texts():
    for m in glossary.METRICS.values():
        for part in ("formula_zh", "denominator_zh", "misleads_zh"):
            yield f"{m.key}.{part}", getattr(m, part)
        yield f"{m.key}.term", glossary.term(m.key, lang="zh")
    for t in schema.TABLES.values():
        yield f"{t.name}.grain_zh", t.grain_zh
    for name in glossary.COLUMNS:
        yield f"glossary.column.{name}", i18n.t(f"glossary.column.{name}", lang="zh")


@pytest.mark.parametrize("key", list(glossary.METRICS))
def test_every_metric_is_written_in_chinese(key):
    m = glossary.METRICS[key]
    assert m.formula_zh.strip() and m.denominator_zh.strip() and m.misleads_zh.strip()
    assert CJK.search(m.formula_zh), m.formula_zh
    assert CJK.search(m.misleads_zh), m.misleads_zh
    if m.denominator == "—":                       # a count or a sum has no denominator
        assert m.denominator_zh == "—"
    else:
        assert CJK.search(m.denominator_zh), m.denominator_zh


def test_chinese_texts_hold_no_run_of_four_latin_words():
    found = {where: runs for where, text in chinese_texts() if (runs := latin_runs(text))}
    assert found == {}


def test_every_table_has_a_chinese_grain():
    for t in schema.TABLES.values():
        assert CJK.search(t.grain_zh), t.name
        assert t.grain_in("zh") == t.grain_zh
        assert t.grain_in("en") == t.grain
    assert schema.TABLES["orders"].grain_in("zh") == "每行是一笔订单"


def _old_table(area=None) -> pd.DataFrame:
    """The registry table as it was before it spoke 中文, built from the English fields."""
    return pd.DataFrame([{"metric": m.key, "name": m.name, "chinese": m.chinese,
                          "area": m.area, "formula": m.formula,
                          "denominator": m.denominator, "unit": m.unit,
                          "misleads_when": m.misleads}
                         for m in glossary.METRICS.values() if area is None or m.area == area])


@pytest.mark.parametrize("area", [None, *glossary.AREAS])
def test_english_table_is_unchanged(area):
    pd.testing.assert_frame_equal(glossary.table(area, lang="en"), _old_table(area))


def test_chinese_table_has_the_same_shape_and_english_names():
    en, zh = glossary.table(lang="en"), glossary.table(lang="zh")
    assert zh.columns.tolist() == en.columns.tolist() == list(glossary.COLUMNS)
    assert zh.shape == en.shape
    same = ["metric", "name", "chinese", "area", "unit"]
    pd.testing.assert_frame_equal(zh[same], en[same])
    cvr = zh.set_index("metric").loc["cvr"]
    assert (cvr["formula"], cvr["denominator"]) == ("注册数 / 访问数", "访问数")
    assert CJK.search(cvr["misleads_when"])


def test_table_follows_the_chosen_language():
    try:
        i18n.set_language("en")
        pd.testing.assert_frame_equal(glossary.table("data"), _old_table("data"))
        i18n.set_language("zh")
        assert glossary.table("data")["formula"].iloc[0] == "本周 / 上周 − 1"
    finally:
        i18n.set_language("zh")


def test_term_in_both_languages():
    assert glossary.term("aov", lang="en") == "Average order value (AOV) (客单价)"
    assert glossary.term("cvr", lang="en") == "Conversion rate (CVR) (转化率)"
    assert glossary.term("aov", lang="zh") == "客单价（AOV）"
    assert glossary.term("cvr", lang="zh") == "转化率（CVR）"
    assert glossary.term("stickiness", lang="zh") == "用户粘性（DAU/MAU）"
    assert glossary.term("new_users", lang="zh") == "新增用户（New users）"
    for key, m in glossary.METRICS.items():
        zh = glossary.term(key, lang="zh")
        assert zh.startswith(m.chinese + "（") and zh.endswith("）"), zh
        assert "(" not in zh.removeprefix(m.chinese), zh   # '(CVR)' became '（CVR）'
    with pytest.raises(KeyError, match="no metric 'nope'"):
        glossary.term("nope", lang="zh")


def test_labelled_renames_known_columns_in_chinese_only():
    df = pd.DataFrame({"channel": ["seo", "kol"], "gmv": [10.0, 20.0], "cvr": [0.1, 0.2],
                       "my_own": [1, 2]}).set_index("channel")
    zh = glossary.labelled(df, lang="zh")
    assert zh.index.name == "获客渠道"                  # users.channel: first table wins
    assert zh.columns.tolist() == ["商品交易额", "转化率", "my_own"]   # schema before metric
    assert zh.to_numpy().tolist() == df.to_numpy().tolist()
    assert zh.index.tolist() == df.index.tolist()
    en = glossary.labelled(df, lang="en")
    pd.testing.assert_frame_equal(en, df)
    assert en is not df
    assert df.columns.tolist() == ["gmv", "cvr", "my_own"]     # the input is untouched


def test_labelled_glossary_table_headers():
    g = glossary.table("traffic", lang="zh")
    zh = glossary.labelled(g, lang="zh")
    assert zh.columns.tolist() == ["指标", "英文名", "中文名", "领域", "公式", "分母", "单位",
                                   "何时会误导"]
    assert zh.to_numpy().tolist() == g.to_numpy().tolist()
    assert glossary.labelled(g, lang="en").columns.tolist() == list(glossary.COLUMNS)


def test_labelled_follows_the_chosen_language_and_never_makes_duplicates():
    df = pd.DataFrame({"gmv": [1], "商品交易额": [2], "dau": [3]})
    try:
        i18n.set_language("en")
        assert glossary.labelled(df).columns.tolist() == ["gmv", "商品交易额", "dau"]
        i18n.set_language("zh")
        assert glossary.labelled(df).columns.tolist() == ["gmv", "商品交易额", "日活跃用户数"]
    finally:
        i18n.set_language("zh")


def test_labelled_names_of_grouped_and_pivoted_frames():
    df = pd.DataFrame({"channel": ["seo", "kol", "seo"], "date": [1, 1, 2],
                       "gmv": [1.0, 2.0, 3.0], "paid": [1.0, 1.0, 1.0]})
    grouped = df.groupby(["channel", "date"]).agg({"gmv": ["sum", "mean"], "paid": "sum"})
    zh = glossary.labelled(grouped, lang="zh")
    assert zh.index.names == ["获客渠道", "日期"]
    assert zh.columns.tolist() == [("商品交易额", "sum"), ("商品交易额", "mean"), ("实付金额", "sum")]
    assert zh.to_numpy().tolist() == grouped.to_numpy().tolist()
    assert grouped.index.names == ["channel", "date"]          # the input keeps its names
    pivot = df.pivot_table(index="date", columns="channel", values="gmv", aggfunc="sum")
    zh = glossary.labelled(pivot, lang="zh")
    assert (zh.index.name, zh.columns.name) == ("日期", "获客渠道")
    assert zh.columns.tolist() == ["kol", "seo"]                # values are not names
    assert pivot.columns.name == "channel"
