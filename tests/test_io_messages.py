"""Loading messages in both languages: for real failures, the Chinese text comes from
the catalogue (opshelpers/catalogue/io.toml) and still names the file, the column and
the row or value; the English text is the one the other tests match."""

from __future__ import annotations

import warnings

import pytest

from opshelpers import i18n
from opshelpers.io import read_table
from opshelpers.quality import DataQualityWarning, SchemaError

ORDERS = ("order_id", "user_id", "order_time", "paid")
HEAD = "order_id,user_id,order_time,paid\n"


def _write(tmp_path, text, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _orders(path, **kw):
    return read_table(path, table="orders", required=ORDERS, **kw)


def _stop(lang, call) -> str:
    i18n.set_language(lang)
    with pytest.raises(SchemaError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message, message
    if lang == "zh":
        assert i18n.latin_runs(message) == [], message      # no English sentence left
    return message


def _has(message: str, *words: str) -> None:
    for w in words:
        assert w in message, (w, message)


def test_undecodable_gbk_file(tmp_path):
    path = _write(tmp_path, "用户ID,事件时间,事件\n1,2026-01-02 10:00:00,打开应用\n",
                  name="gbk导出.csv", encoding="gbk")
    mapping = {"用户ID": "user_id", "事件时间": "event_time", "事件": "event"}

    def call():
        return read_table(path, mapping, table="events", encoding="utf-8")

    _has(_stop("zh", call), "gbk导出.csv 无法按 utf-8 解码", "另存为 UTF-8 编码",
         "`--encoding`")
    _has(_stop("en", call), "gbk导出.csv cannot be decoded as utf-8; save it as UTF-8",
         "(CLI: --encoding)")
    assert read_table(path, mapping, table="events")["event"].tolist() == ["打开应用"]


def test_missing_required_column(tmp_path):
    path = _write(tmp_path, "uid,ts\n1,2026-01-02\n")

    def call():
        return read_table(path, {"uid": "user_id", "ts": "event_time"}, table="events")

    _has(_stop("zh", call), "export.csv 缺少表 'events' 的必需列：'event'（事件名）",
         "文件里的列是 ['uid', 'ts']", "`--map event=<你的列名>`")
    _has(_stop("en", call), "export.csv is missing required column(s) for table 'events': "
         "'event' (事件名); your columns are ['uid', 'ts']", "--map event=<your column>")


def test_not_a_number_in_a_money_column(tmp_path):
    path = _write(tmp_path, HEAD + "1,1,2026-01-01 10:00,12 块\n2,1,2026-01-01 11:00,8\n")
    for lang, problem, why, example in [
            ("zh", "不是数字", "paid：不是数字", "第 2 行：'12 块'"),
            ("en", "are not numbers", "paid are not numbers", "row 2: '12 块'")]:
        i18n.set_language(lang)
        loaded = _orders(path, invalid="report")
        assert loaded.data["order_id"].tolist() == [2]
        row = loaded.report.iloc[0]
        assert (row["column"], row["problem"], row["n_rows"], row["action"], row["examples"]) \
            == ("paid", problem, 1, "dropped", example)          # the action stays English
        assert problem == i18n.t("parse.problem.not_number", lang)
        assert loaded.rejected["why_rejected"].tolist() == [why]
        assert loaded.rejected["row_in_file"].tolist() == [2]
    _has(_stop("zh", lambda: _orders(path)), "export.csv：2 行中有 1 行不能作为表 'orders' 使用",
         "paid：1 行不是数字（例如第 2 行：'12 块'）", "`read_table(..., invalid='report')`")
    _has(_stop("en", lambda: _orders(path)), "export.csv: 1 of 2 rows cannot be used",
         "paid: 1 row(s) are not numbers (e.g. row 2: '12 块')")


def test_duplicate_key(tmp_path):
    path = _write(tmp_path, HEAD + "7,1,2026-03-01,1000\n7,1,2026-03-01,1000\n8,1,2026-03-02,5\n")
    _has(_stop("zh", lambda: _orders(path)), "export.csv：1 行的 order_id 与前面的行重复",
         "1 行是完全相同的重复行", "例如第 3 行：(7,)", "`duplicates='drop'`")
    _has(_stop("en", lambda: _orders(path)), "export.csv: 1 row(s) repeat a order_id seen on "
         "an earlier row (1 of them exact copies), e.g. row 3: (7,)", "duplicates='drop'")
    for lang, words in [("zh", ["与前面某行的 order_id 相同", "已去重，只保留第一行"]),
                        ("en", ["repeat a order_id", "1 exact copies", "the first is kept"])]:
        i18n.set_language(lang)
        loaded = _orders(path, invalid="report", duplicates="drop")
        assert loaded.report["action"].tolist() == ["removed"]
        _has(loaded.report["problem"].iloc[0], *words)
        assert loaded.rejected["row_in_file"].tolist() == [3]


def test_ragged_line(tmp_path):
    path = _write(tmp_path, HEAD + "1,1,2026-03-01,1\n2,1,2026-03-01,1,5\n3,1,2026-03-02,2\n")
    for lang, reason in [("zh", "有 5 个字段，而表头是 4 列（值里有未加引号的 ','？）"),
                         ("en", "has 5 field(s) where the header has 4 (an unquoted ',' "
                                "inside a value?)")]:
        i18n.set_language(lang)
        rejected = _orders(path, invalid="report").rejected
        assert rejected["why_rejected"].tolist() == [reason]
        assert rejected["row_in_file"].tolist() == [3]
        assert rejected["line_text"].tolist() == ["2,1,2026-03-01,1,5"]
    _has(_stop("zh", lambda: _orders(path)), "export.csv：", "1 行有 5 个字段，而表头是 4 列",
         "例如第 3 行：'2,1,2026-03-01,1,5'")
    _has(_stop("en", lambda: _orders(path)), "export.csv: ", "1 line(s) has 5 field(s) where "
         "the header has 4", "(e.g. row 3 '2,1,2026-03-01,1,5')")


def test_date_outside_the_window(tmp_path):
    path = _write(tmp_path, HEAD + "1,1,2026-03-01,1\n2,1,2099-01-01,1\n")
    window = dict(min_date="2026-01-01", as_of="2026-06-30")
    for lang, warning, problem, example in [
            ("zh", "export.csv：2 行中有 1 行不在日期范围内，已剔除",
             "不在日期范围 2026-01-01 至 2026-06-30 内", "第 3 行：'2099-01-01'"),
            ("en", "export.csv: 1 of 2 rows fall outside the date window and were left out",
             "fall outside the window 2026-01-01 to 2026-06-30", "row 3: '2099-01-01'")]:
        i18n.set_language(lang)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            df = _orders(path, **window)
        assert df["order_id"].tolist() == [1]
        said = [str(w.message) for w in caught if w.category is DataQualityWarning]
        assert len(said) == 1 and said[0].startswith(warning), said
        if lang == "zh":
            assert i18n.latin_runs(said[0]) == [], said
        loaded = _orders(path, invalid="report", **window)
        row = loaded.report.iloc[0]
        assert (row["column"], row["problem"], row["action"], row["examples"]) == \
            ("order_time", problem, "excluded", example)
        assert loaded.rejected["why_rejected"].tolist() == [
            i18n.t("io.rows.why", column="order_time", problem=problem)]


def test_english_assembly_is_unchanged():
    """The assembling patterns give exactly the sentences written before the catalogue."""
    part = i18n.t("io.rows.part", "en", column="paid", n=2, problem="are not numbers",
                  examples="row 2: 'x'")
    assert part == "paid: 2 row(s) are not numbers (e.g. row 2: 'x')"
    assert i18n.t("io.rows.part", "zh", column="paid", n=2, problem="不是数字",
                  examples="第 2 行：'x'") == "paid：2 行不是数字（例如第 2 行：'x'）"
    assert i18n.t("io.rows.why", "en", column="paid", problem="are not numbers") == \
        "paid are not numbers"
