"""Analysts' real exports: every case either loads the right values or stops with one
line naming the file, the column and the fix (issue 14). A table of cases, then the
helpers' joins, the report command, and a property test over corrupted copies."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import opshelpers as ops
from opshelpers.io import read_table
from opshelpers.quality import DataQualityWarning, SchemaError

ORDERS = ("order_id", "user_id", "order_time", "paid")
HEAD = "order_id,user_id,order_time,paid\n"


def orders(rows: str, **kw):
    return dict(text=HEAD + rows, table="orders", required=ORDERS, **kw)


# id, file text, read_table kwargs, then either {"column": expected values} or the
# exception type and key words of its message
LOADS = [
    ("thousands and decimals", orders('1,1,2026-03-01 10:00,"1,234.50"\n'),
     {"paid": [1234.5]}),
    ("yuan signs", orders("1,1,2026-03-01,￥12\n2,1,2026-03-01,¥ 8.5\n3,1,2026-03-01,99元\n"
                          "4,1,2026-03-01,CNY 7\n"), {"paid": [12.0, 8.5, 99.0, 7.0]}),
    ("full-width digits", orders("1,1,2026-03-01,１２３．５\n"), {"paid": [123.5]}),
    ("Chinese dates", orders("1,1,2026年3月1日,1\n2,1,2026年3月1日 14:05,1\n"),
     {"order_time": ["2026-03-01 00:00", "2026-03-01 14:05"]}),
    ("slash and dot dates", orders("1,1,2026/3/1,1\n2,1,2026.3.2 09:05:07,1\n"),
     {"order_time": ["2026-03-01", "2026-03-02 09:05:07"]}),
    ("day first decided by a day > 12",
     orders("1,1,2026-03-01 10:00,1\n2,1,05/03/2026,1\n3,1,25/03/2026,1\n"),
     {"order_time": ["2026-03-01 10:00", "2026-03-05", "2026-03-25"]}),
    ("month first decided by a day > 12", orders("1,1,03/05/2026,1\n2,1,03/25/2026,1\n"),
     {"order_time": ["2026-03-05", "2026-03-25"]}),
    ("dayfirst given", orders("1,1,05/03/2026,1\n", dayfirst=True),
     {"order_time": ["2026-03-05"]}),
    ("Excel serial days", orders("1,1,46082,1\n2,1,46082.5,1\n"),
     {"order_time": ["2026-03-01", "2026-03-01 12:00"]}),
    ("epoch seconds and ms (UTC → Shanghai)", orders("1,1,1772323200,1\n2,1,1772323200000,1\n"),
     {"order_time": ["2026-03-01 08:00", "2026-03-01 08:00"]}),
    ("ISO with +08:00 and Z", orders("1,1,2026-03-01T10:00:00+08:00,1\n"
                                     "2,1,2026-03-01T02:00:00Z,1\n"),
     {"order_time": ["2026-03-01 10:00", "2026-03-01 10:00"]}),
    ("ids above int64 stay text",
     orders("1,99999999999999999999,2026-03-01,1\n2,7,2026-03-01,1\n"),
     {"user_id": ["99999999999999999999", "7"]}),
    ("20-digit ids stay distinct", orders("1,12345678901234567890,2026-03-01,1\n"
                                          "2,12345678901234567891,2026-03-01,1\n"),
     {"user_id": ["12345678901234567890", "12345678901234567891"]}),
    ("leading zeros stay distinct",
     orders("1,007,2026-03-01,1\n2,7,2026-03-01,1\n3,0007,2026-03-01,1\n"),
     {"user_id": ["007", "7", "0007"]}),
    ("a date-looking number in a money column is a number", orders("1,1,2026-03-01,20260301\n"),
     {"paid": [20260301.0]}),
    ("duplicates dropped on request",
     orders("1,1,2026-03-01,1000\n1,1,2026-03-01,1000\n2,1,2026-03-02,435\n",
            duplicates="drop"), {"paid": [1000.0, 435.0]}),
    ("duplicates kept on request",
     orders("1,1,2026-03-01,1000\n1,1,2026-03-01,1000\n", duplicates="keep"),
     {"paid": [1000.0, 1000.0]}),
    ("as_of keeps its whole last day",
     orders("1,1,2026-06-30 23:59:59,1\n2,1,2026-07-01 00:00:00,1\n", as_of="2026-06-30"),
     {"order_id": [1]}),
    ("min_date keeps its first day from midnight",
     orders("1,1,2025-12-31 23:59:59,1\n2,1,2026-01-01 00:00:00,1\n",
            min_date="2026-01-01"), {"order_id": [2]}),
    ("literal NA is an event name", dict(text="user_id,event_time,event\n1,2026-01-01,NA\n",
                                         table="events"), {"event": ["NA"]}),
    ("True/False strings", dict(text="visit_id,visit_time,channel,signed_up\n"
                                     "1,2026-01-01,seo,True\n2,2026-01-01,seo,False\n",
                                table="visits"), {"signed_up": [True, False]}),
    ("percent in a rate column", dict(text="post_id,completion_rate\n1,12%\n2,0.5\n",
                                      table=ops.schema.TABLES["posts"], required=("post_id",)),
     {"completion_rate": [0.12, 0.5]}),
    ("old Mac line endings", dict(text=HEAD.replace("\n", "\r") + "1,1,2026-03-01,5\r",
                                  table="orders", required=ORDERS), {"paid": [5.0]}),
]

STOPS = [
    ("inf amount", orders("1,1,2026-03-01,inf\n"), SchemaError, ["paid", "infinite"]),
    ("1e999 amount", orders("1,1,2026-03-01,1e999\n"), SchemaError, ["paid", "infinite"]),
    ("ambiguous day/month", orders("1,1,2026-03-01 10:00,1\n2,1,05/03/2026,1\n"),
     SchemaError, ["order_time", "05/03/2026", "dayfirst=True", "--monthfirst"]),
    ("two date orders mixed", orders("1,1,25/03/2026,1\n2,1,03/25/2026,1\n"), SchemaError,
     ["order_time", "mixes two date orders"]),
    ("naive and zoned times mixed", orders("1,1,2026-03-01T10:00:00+08:00,1\n"
                                           "2,1,2026-03-01 10:00:00,1\n"),
     SchemaError, ["order_time", "UTC offset", "one zone"]),
    ("thousands vs decimal comma", orders('1,1,2026-03-01,"1,234"\n2,1,2026-03-01,"12,5"\n'),
     SchemaError, ["paid", "'1,234'", "'12,5'"]),
    ("yuan sign in a count column", dict(text="order_id,user_id,order_time,paid,items\n"
                                              "1,1,2026-03-01,5,¥3\n", table="orders",
                                         required=ORDERS + ("items",)),
     SchemaError, ["items", "not numbers"]),
    ("duplicate order_id", orders("1,1,2026-03-01,1000\n1,1,2026-03-01,1000\n"),
     SchemaError, ["1 row(s) repeat a order_id", "row 3", "duplicates='drop'",
                   "--duplicates"]),
    ("a date in 2099", orders("1,1,2026-03-01,1\n2,1,2099-01-01,1\n"), SchemaError,
     ["order_time", "after today", "row 3", "as_of"]),
    ("a date years before the rest", orders("1,1,2026-03-01,1\n2,1,2026-03-02,1\n"
                                            "3,1,2016-01-01,1\n"),
     SchemaError, ["order_time", "more than a year away", "row 4", "min_date"]),
    ("unquoted comma splits a row", orders("1,1,2026-03-01,1\n2,1,2026-03-01,1,5\n"),
     SchemaError, ["has 5 field(s) where the header has 4", "row 3"]),
    ("duplicate header names", dict(text="user_id,user_id,event_time\n1,2,2026-01-01\n",
                                    table="events"), SchemaError, ["['user_id']",
                                                                   "more than once"]),
    ("Chinese headers", dict(text="用户ID,事件时间,行为\n1,2026-01-01,app_open\n",
                             table="events"), SchemaError,
     ["'user_id' (用户ID)", "your columns are ['用户ID', '事件时间', '行为']",
      "'用户ID': 'user_id'", "'事件时间': 'event_time'", "--map"]),
    ("missing column hint uses the file's names", dict(
        text="uid,ts\n1,2026-01-01\n", table="events", mapping={"uid": "user_id",
                                                                "ts": "event_time"}),
     SchemaError, ["'event' (事件名)", "your columns are ['uid', 'ts']"]),
]


def _write(tmp_path, text, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _call(tmp_path, case):
    case = dict(case)
    path = _write(tmp_path, case.pop("text"))
    return read_table(path, case.pop("mapping", None), **case)


def _as_expected(values):
    if values and isinstance(values[0], str) and values[0][:2] == "20" and "-" in values[0]:
        return [pd.Timestamp(v) for v in values]
    return values


@pytest.mark.parametrize("name, case, expected", LOADS, ids=[c[0] for c in LOADS])
def test_export_loads_right(tmp_path, name, case, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)   # window cases warn; tested below
        df = _call(tmp_path, case)
    for column, values in expected.items():
        got = df[column].tolist()
        assert got == _as_expected(values), (column, got)


@pytest.mark.parametrize("name, case, error, words", STOPS, ids=[c[0] for c in STOPS])
def test_export_stops_with_one_clear_line(tmp_path, name, case, error, words):
    with pytest.raises(error) as caught:
        _call(tmp_path, case)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith("export.csv") or "export.csv" in message
    for w in words:
        assert w in message, (w, message)


# ---------------------------------------------------------------- formats and reports
def test_detected_formats_are_reported(tmp_path):
    path = _write(tmp_path, HEAD + '1,1,2026年3月1日,"￥1,234.50"\n2,1,46082,12元\n')
    loaded = read_table(path, table="orders", required=ORDERS, invalid="report")
    formats = loaded.formats.groupby("column")["format"].apply(list).to_dict()
    assert formats["order_time"] == ["Chinese dates (2026年3月1日)", "Excel serial day numbers"]
    assert formats["paid"] == ["full-width digits or signs (１２３ → 123)",
                               "currency signs (¥ / 元 / CNY / RMB) removed",
                               "thousands separators (1,234.50)"]
    assert loaded.data.attrs["formats"]["paid"].startswith("full-width")


def test_duplicates_are_listed_in_the_report(tmp_path):
    text = HEAD + "1,1,2026-03-01,1000\n1,1,2026-03-01,1000\n2,1,2026-03-02,435\n"
    loaded = read_table(_write(tmp_path, text), table="orders", required=ORDERS,
                        invalid="report", duplicates="drop")
    assert loaded.data["paid"].sum() == 1435
    row = loaded.report.iloc[0]
    assert (row["column"], row["n_rows"], row["action"]) == ("order_id", 1, "removed")
    assert "1 exact copies" in row["problem"]
    assert loaded.rejected["row_in_file"].tolist() == [3]
    kept = read_table(_write(tmp_path, text), table="orders", required=ORDERS,
                      invalid="report", duplicates="keep")
    assert kept.data["paid"].sum() == 2435 and kept.report["action"].tolist() == ["kept"]
    assert kept.rejected.empty


def test_window_excludes_counts_and_warns(tmp_path):
    text = HEAD + "1,1,2026-03-01,1\n2,1,2099-01-01,1\n3,1,2025-01-01,1\n"
    path = _write(tmp_path, text)
    with pytest.warns(DataQualityWarning, match="2 of 3 rows fall outside the date window"):
        df = read_table(path, table="orders", required=ORDERS, min_date="2026-01-01",
                        as_of="2026-06-30")
    assert df["order_id"].tolist() == [1] and df.attrs["excluded_rows"] == 2
    loaded = read_table(path, table="orders", required=ORDERS, min_date="2026-01-01",
                        as_of="2026-06-30", invalid="report")
    assert loaded.report["action"].tolist() == ["excluded"]
    assert loaded.rejected["row_in_file"].tolist() == [3, 4]


def test_implausible_dates_are_excluded_in_report_mode(tmp_path):
    text = HEAD + "1,1,2026-03-01,1\n2,1,2099-01-01,1\n"
    loaded = read_table(_write(tmp_path, text), table="orders", required=ORDERS,
                        invalid="report")
    assert loaded.data["order_id"].tolist() == [1]
    assert "after today" in loaded.rejected["why_rejected"].iloc[0]


def test_a_long_history_is_not_implausible(tmp_path):
    days = pd.date_range("2021-01-01", "2026-06-30", freq="7D")
    text = HEAD + "".join(f"{i},1,{d.date()},1\n" for i, d in enumerate(days))
    assert len(read_table(_write(tmp_path, text), table="orders", required=ORDERS)) == \
        len(days)


def test_ragged_rows_are_rejected_with_their_text(tmp_path):
    text = HEAD + "1,1,2026-03-01,1\n2,1,2026-03-01,1,5\n3,1,2026-03-02,2\n"
    loaded = read_table(_write(tmp_path, text), table="orders", required=ORDERS,
                        invalid="report")
    assert loaded.data["order_id"].tolist() == [1, 3]
    assert loaded.rejected["line_text"].tolist() == ["2,1,2026-03-01,1,5"]
    assert loaded.rejected["row_in_file"].tolist() == [3]      # the file's own line


# ---------------------------------------------------------------- files
def test_tz_aware_parquet_is_converted(tmp_path):
    path = tmp_path / "e.parquet"
    pd.DataFrame({"user_id": [1], "event_time": pd.to_datetime(["2026-03-01 02:00"]).tz_localize(
        "UTC"), "event": ["app_open"]}).to_parquet(path)
    df = read_table(path, table="events")
    assert df["event_time"].tolist() == [pd.Timestamp("2026-03-01 10:00")]


def test_old_excel_xls_is_read(tmp_path):
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "orders_old_excel.xls"   # written by xlwt
    df = read_table(path, {"订单号": "order_id", "用户": "user_id", "下单时间": "order_time",
                           "实付金额": "paid"}, table="orders", required=ORDERS)
    assert df["user_id"].tolist() == ["007", "7"] and df["paid"].sum() == 208.5


@pytest.mark.parametrize("name, content, words", [
    ("broken.xlsx", b"PK\x03\x04garbage", ["broken.xlsx", "cannot be opened as an Excel"]),
    ("empty.xlsx", b"", ["empty.xlsx is empty (0 bytes"]),
    ("page.xls", b"<html><table><tr><td>1</td></tr></table></html>", ["web page"]),
])
def test_bad_excel_files(tmp_path, name, content, words):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(SchemaError) as caught:
        read_table(tmp_path / name, table="events")
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_csv_named_xls_is_read_as_text(tmp_path):
    path = _write(tmp_path, "user_id,event_time,event\n1,2026-01-01,app_open\n", "x.xls")
    loaded = read_table(path, table="events", invalid="report")
    assert loaded.data["event"].tolist() == ["app_open"]
    assert "plain text (CSV) despite its .xls name" in " ".join(loaded.formats["format"])


def test_folder_and_permission(tmp_path, monkeypatch):
    _write(tmp_path, "a", "inside.csv")
    with pytest.raises(SchemaError, match="is a folder, not a file.*inside.csv"):
        read_table(tmp_path, table="events")
    path = _write(tmp_path, "user_id,event_time,event\n1,2026-01-01,x\n")

    def denied(self):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(type(path), "read_bytes", denied)   # root reads any file
    with pytest.raises(SchemaError, match="export.csv cannot be read: permission denied"):
        read_table(path, table="events")


def test_utf16_tab_text_from_excel(tmp_path):
    text = "用户ID\t事件时间\t事件名\n1\t2026-01-01 10:00\t打开\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    df = read_table(path, {"用户ID": "user_id", "事件时间": "event_time", "事件名": "event"},
                    table="events")
    assert df["event"].tolist() == ["打开"]


def test_explicit_encoding(tmp_path):
    path = _write(tmp_path, "user_id,event_time,event\n1,2026-01-01,打开\n", encoding="gbk")
    assert read_table(path, table="events", encoding="gbk")["event"].tolist() == ["打开"]


def test_huge_header_line_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"x" * (17 << 20))
    with pytest.raises(SchemaError, match="first line is longer than 1 MB"):
        read_table(path, table="events")


# ---------------------------------------------------------------- helpers' joins
def _users_events(events_users, user_ids=(1, 2)):
    users = pd.DataFrame({"user_id": list(user_ids),
                          "signup_time": pd.to_datetime(["2026-01-01"] * len(user_ids))})
    events = pd.DataFrame({"user_id": events_users, "event_time": pd.to_datetime(
        ["2026-01-02"] * len(events_users)), "event": "app_open"})
    return users, events


def test_retention_counts_and_warns_about_unknown_users():
    users, events = _users_events([1, 2, 3, 3, 3])
    with pytest.warns(DataQualityWarning, match="3 of 5 events rows"):
        table = ops.users.retention(users, events, days=(1,), freq="D")
    assert table.attrs["unmatched_rows"] == {"events": 3}
    assert table["retained"].tolist() == [2]


def test_no_warning_at_or_below_one_percent():
    users, events = _users_events([1] * 99 + [3])          # exactly 1 %: counted, quiet
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        table = ops.users.retention(users, events, days=(1,), freq="D")
    assert table.attrs["unmatched_rows"] == {"events": 1}


def test_integer_and_text_ids_are_not_joined():
    users, events = _users_events(["1", "2"])
    with pytest.raises(ValueError, match="users.user_id holds integer ids but "
                                         "events.user_id holds text ids"):
        ops.users.retention(users, events, days=(1,))


def test_lifecycle_and_funnel_count_unknown_users():
    users, events = _users_events([1, 2, 3, 3])
    with pytest.warns(DataQualityWarning):
        life = ops.users.lifecycle(users, events, freq="W")
    assert life.attrs["unmatched_rows"] == {"events": 2}
    users["group"] = ["a", "b"]
    with pytest.warns(DataQualityWarning, match="1 of 3 funnel entrants"):
        f = ops.users.funnel(events, ["app_open", "app_open"], users=users, by="group")
    assert f.attrs["unmatched_rows"] == {"funnel entrants": 1}
    assert f.loc[f["step"] == 1, "users"].sum() == 2


def test_users_in_both_arms_are_excluded_with_a_count():
    a = pd.DataFrame({"experiment": "t", "user_id": [1, 1, 2, 3, 4],
                      "variant": ["A", "B", "A", "B", "A"],
                      "assigned_time": pd.to_datetime(["2026-01-01"] * 5)})
    o = pd.DataFrame({"user_id": [1, 2], "order_time": pd.to_datetime(["2026-01-02"] * 2),
                      "paid": [10.0, 20.0]})
    with pytest.warns(DataQualityWarning, match="1 user\\(s\\) were assigned to more than one"):
        out = ops.experiments.user_outcomes(a, o, "t", "2026-01-01", "2026-01-31")
    assert out["user_id"].tolist() == [2, 3, 4] and out.attrs["excluded_users"] == 1
    assert out["converted"].tolist() == [1, 0, 0]


def test_window_parameter_is_checked():
    users, events = _users_events([1, 2])
    with pytest.raises(ValueError, match="window must be a positive duration.*'abc'"):
        ops.users.funnel(events, ["app_open", "app_open"], window="abc")
    with pytest.raises(ValueError, match="window must be a positive duration.*'-1D'"):
        ops.users.funnel(events, ["app_open", "app_open"], window="-1D")


# ---------------------------------------------------------------- the report command
def test_report_counts_each_bad_row_once(tmp_path, capsys):
    from opshelpers.cli import main

    rows = ["1,2026-01-01 10:00,app_open"] * 4 + ["1,bad,app_open"] * 3 + ["1,2026-01-01,"] * 3
    path = _write(tmp_path, "user_id,event_time,event\n" + "\n".join(rows) + "\n")
    code = main(["report", "funnel", "--lang", "en", "--data", str(path), "--out",
                 str(tmp_path / "r.html")])
    assert code == 2
    assert "6 of 10 rows cannot be used" in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["--param", "days=1,seven"], ["--param days=1,seven", "'seven' is not one"]),
    (["--param", "freq=H"], ["--param freq=H", "one of D, W, M, Q, Y"]),
    (["--param", "colour=red"], ["no parameter(s) ['colour']"]),
    (["--param", "window=abc"], ["--param window=abc", "positive duration"]),
    (["--out", "{tmp}"], ["is a folder; name the report file"]),
    (["--out", "{tmp}/r.pdf"], ["must end in .html"]),
    (["--out", "{tmp}/taken.html"], ["a file of that name exists"]),
])
def test_report_refuses_bad_options_before_any_work(tmp_path, capsys, args, words):
    from opshelpers.cli import main

    (tmp_path / "taken").write_text("x")
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "r.html")]
    name = "funnel" if "window=abc" in args else "retention"
    assert main(["report", "--lang", "en", name, *args]) == 2
    err = capsys.readouterr().err
    assert "[1/3]" not in err                      # nothing was read or run
    assert all(w in err for w in words), err


# ---------------------------------------------------------------- property
def test_corrupted_copies_keep_every_row_accounted_for(tmp_path):
    """Rows loaded + rows rejected = rows in the file, for random corruptions; rows
    only reformatted (Chinese dates, ¥ and thousands separators) keep their values."""
    base = ops.load_sample("orders").head(300).reset_index(drop=True)
    rng = np.random.default_rng(14)
    columns = list(base.columns)
    checked = 0
    for trial in range(12):
        text = base.astype(object).where(base.notna(), "").astype(str)
        reformatted = set()
        for i in rng.choice(len(text), 60, replace=False):
            action = rng.integers(4)
            col = columns[rng.integers(len(columns))]
            if action == 0:
                text.loc[i, col] = ""
            elif action == 1:
                text.loc[i, col] = "??" + text.loc[i, col][::-1]
            elif action == 2 and i not in reformatted:
                t = base.loc[i, "order_time"]
                text.loc[i, "order_time"] = f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"
                text.loc[i, "gmv"] = f"¥{base.loc[i, 'gmv']:,.2f}"
                reformatted.add(i)
        dup = rng.choice(len(text), 5, replace=False)
        text = pd.concat([text, text.iloc[dup]], ignore_index=True)
        path = tmp_path / f"corrupt{trial}.csv"
        text.to_csv(path, index=False)
        loaded = read_table(path, table="orders", invalid="report", duplicates="drop")
        assert len(loaded.data) + len(loaded.rejected) == len(text), trial
        assert 5 <= len(loaded.rejected) < len(text) // 2       # the corruptions bite
        assert loaded.data["order_id"].is_unique
        intact = base.set_index("order_id")
        got = loaded.data.set_index("order_id")
        text_ids = got.index.dtype.kind not in "iu"    # a garbled id makes all ids text
        for i in reformatted:
            oid = base.loc[i, "order_id"]
            key = str(oid) if text_ids else oid
            if key in got.index and text.loc[i, "order_id"] == str(oid):
                row = got.loc[key]
                if isinstance(row, pd.DataFrame):
                    continue
                if text.loc[i, "order_time"].startswith(str(base.loc[i, "order_time"].year)):
                    assert row["order_time"] == intact.loc[oid, "order_time"]
                    assert row["gmv"] == pytest.approx(intact.loc[oid, "gmv"])
                    checked += 1
    assert checked > 100                          # reformatted rows were really compared
