"""Loaders: encodings, mapping, schema validation and the exact bad-input messages."""

import pandas as pd
import pytest

import opshelpers as ops
from opshelpers.io import SchemaError, read_table

EVENTS = "uid,ts,action,amount\n1,2026-01-02 10:00:00,app_open,\n2,2026-01-03 11:30:00,purchase,99.5\n"
MAP = {"uid": "user_id", "ts": "event_time", "action": "event", "amount": "revenue"}


def write(tmp_path, text, name="export.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_round_trip_with_chinese_text(tmp_path, encoding):
    text = "用户ID,时间,事件\n1,2026-01-02 10:00:00,打开应用\n2,2026-01-05 09:00:00,购买\n"
    p = write(tmp_path, text, encoding=encoding)
    df = read_table(p, {"用户ID": "user_id", "时间": "event_time", "事件": "event"},
                    table="events")
    assert df["event"].tolist() == ["打开应用", "购买"]
    assert df.columns[0] == "user_id"          # a BOM must not stick to the first header
    assert df["event_time"].iloc[1] == pd.Timestamp("2026-01-05 09:00")


def test_mapping_renames_and_types(tmp_path):
    df = read_table(write(tmp_path, EVENTS), MAP, table="events")
    assert list(df.columns) == ["user_id", "event_time", "event", "revenue"]
    assert df["user_id"].dtype == "int64"
    assert df["revenue"].isna().tolist() == [True, False]
    assert df["revenue"].iloc[1] == 99.5


def test_excel_is_read(tmp_path):
    p = tmp_path / "orders.xlsx"
    pd.DataFrame({"订单号": [1, 2], "用户": [5, 6], "时间": ["2026-02-01 10:00", "2026-02-02 11:00"],
                  "金额": [120.0, 88.5]}).to_excel(p, index=False)
    df = read_table(p, {"订单号": "order_id", "用户": "user_id", "时间": "order_time",
                        "金额": "paid"}, table="orders",
                    required=("order_id", "user_id", "order_time", "paid"))
    assert df["paid"].sum() == pytest.approx(208.5)


def test_invalid_rows_are_reported_never_dropped_silently(tmp_path):
    text = EVENTS + "3,not a date,app_open,\n4,2026-01-04 08:00:00,,\n"
    loaded = read_table(write(tmp_path, text), MAP, table="events", invalid="report")
    assert len(loaded.data) == 2
    report = loaded.report.set_index("column")
    assert report.loc["event_time", "n_rows"] == 1
    assert "row 4: 'not a date'" in report.loc["event_time", "examples"]
    assert report.loc["event", "problem"] == "are empty"
    assert len(loaded.data) + report["n_rows"].sum() == 4


# ---- bad inputs: each gives one clear message naming the column and the fix
def test_bad_missing_column_names_it_and_suggests_map(tmp_path):
    p = write(tmp_path, "uid,ts\n1,2026-01-02\n")
    with pytest.raises(SchemaError) as e:
        read_table(p, {"uid": "user_id", "ts": "event_time"}, table="events")
    msg = str(e.value)
    assert "missing required column(s) for table 'events'" in msg
    assert "'event' (事件名)" in msg and "--map event=" in msg


def test_bad_close_name_is_suggested(tmp_path):
    p = write(tmp_path, "user_id,event_tim,event\n1,2026-01-02,app_open\n")
    with pytest.raises(SchemaError, match=r"mapping=\{'event_tim': 'event_time'\}"):
        read_table(p, table="events")


def test_bad_mapping_key_not_in_file(tmp_path):
    with pytest.raises(SchemaError, match=r"mapping names column\(s\) \['userid'\]"):
        read_table(write(tmp_path, EVENTS), {"userid": "user_id"}, table="events")


def test_bad_two_columns_mapped_to_one(tmp_path):
    with pytest.raises(SchemaError, match=r"several columns to \['user_id'\]"):
        read_table(write(tmp_path, EVENTS), {"uid": "user_id", "ts": "user_id"})


def test_bad_unparseable_date_shows_rows(tmp_path):
    p = write(tmp_path, EVENTS + "3,31/02/2026 25:99,app_open,\n")
    with pytest.raises(SchemaError) as e:
        read_table(p, MAP, table="events")
    msg = str(e.value)
    assert "1 of 3 rows cannot be used as table 'events'" in msg
    assert "event_time: 1 row(s) have an unparseable date (e.g. row 4: '31/02/2026 25:99')" in msg
    assert "invalid='report'" in msg


@pytest.mark.parametrize("paid, message", [
    ("-5", r"paid: 1 row\(s\) have a negative amount"),
    ("12 块", r"paid: 1 row\(s\) are not numbers \(e.g. row 2: '12 块'\)")])
def test_bad_amounts(tmp_path, paid, message):
    text = f"order_id,user_id,order_time,paid\n1,1,2026-01-01 10:00,{paid}\n"
    with pytest.raises(SchemaError, match=message):
        read_table(write(tmp_path, text), table="orders",
                   required=("order_id", "user_id", "order_time", "paid"))


def test_bad_rate_given_in_percent(tmp_path):
    text = "post_id,completion_rate\n1,45\n"
    table = ops.schema.TABLES["posts"]
    with pytest.raises(SchemaError, match="outside 0–1 .*divide percents by 100"):
        read_table(write(tmp_path, text), table=table, required=("post_id",))




def test_bad_empty_file(tmp_path):
    with pytest.raises(SchemaError, match="export.csv is empty"):
        read_table(write(tmp_path, ""), table="events")


def test_bad_header_only(tmp_path):
    with pytest.raises(SchemaError, match="has a header but no rows"):
        read_table(write(tmp_path, "uid,ts,action\n"), MAP, table="events")


def test_bad_undecodable_bytes(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"user_id,event\n1,\x81\x30\xff\xff\n")
    with pytest.raises(SchemaError, match="cannot be decoded as utf-8-sig / gb18030"):
        read_table(p, table="events")


def test_bad_file_type_and_missing_file(tmp_path):
    with pytest.raises(SchemaError, match="unsupported file type '.json'"):
        read_table(write(tmp_path, "{}", name="x.json"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_table(tmp_path / "nope.csv")


def test_unknown_sample_name_suggests():
    with pytest.raises(KeyError, match="Did you mean 'orders'"):
        ops.load_sample("order")


def test_load_sample_types():
    orders = ops.load_sample("orders")
    assert str(orders["order_time"].dtype).startswith("datetime64")
    assert orders["order_id"].is_unique and orders["order_id"].dtype == "int64"
    users = ops.load_sample("users")
    assert users["referrer_id"].dtype == "Int64"          # nullable: most have no referrer
    assert (users["referrer_id"].notna() == users["channel"].eq("referral")).all()


def test_validate_in_memory_frame():
    df = pd.DataFrame({"user_id": [1, 2], "event_time": ["2026-01-01", "oops"],
                       "event": ["app_open", "purchase"]})
    checked = ops.validate(df, "events")
    assert len(checked.data) == 1 and checked.report["n_rows"].tolist() == [1]
    assert checked.rejected["row_in_file"].tolist() == [3]


def test_pseudonymize_is_keyed_and_joinable():
    a = pd.DataFrame({"phone": ["13800138000", "13900139000", None], "x": [1, 2, 3]})
    b = pd.DataFrame({"phone": ["13900139000"]})
    pa, pb = ops.io.pseudonymize(a, ["phone"], "s1"), ops.io.pseudonymize(b, ["phone"], "s1")
    assert pa.loc[1, "phone"] == pb.loc[0, "phone"]                  # joins still work
    assert "13800138000" not in pa.to_string() and pd.isna(pa.loc[2, "phone"])
    assert ops.io.pseudonymize(a, ["phone"], "s2").loc[0, "phone"] != pa.loc[0, "phone"]
    with pytest.raises(ValueError, match="non-empty secret"):
        ops.io.pseudonymize(a, ["phone"], "")
    with pytest.raises(KeyError, match=r"no column\(s\) \['wechat'\]"):
        ops.io.pseudonymize(a, ["wechat"], "s")
