"""The SQL of opshelpers.sql, transpiled to Spark SQL by sqlglot, gives on a local
PySpark the same retention, funnel, RFM, DAU/MAU and sessions as on DuckDB."""

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import cases, run  # noqa: E402

pyspark = pytest.importorskip(
    "pyspark", reason="PySpark is not installed: pip install 'opshelpers[spark]'")
if shutil.which("java") is None:
    pytest.skip("Java (JDK 17+) is not on PATH: PySpark cannot start a local session",
                allow_module_level=True)

pytestmark = pytest.mark.xdist_group("spark")    # one local Spark, on one worker

QUERIES = {
    "retention": lambda: sql.retention_sql(cases.RETENTION_DAYS, freq="W"),
    "funnel": lambda: sql.funnel_sql(cases.FUNNEL_STEPS, window=cases.FUNNEL_WINDOW),
    "rfm": lambda: sql.RFM_SUMMARY,
    "dau_mau": lambda: sql.dau_mau_sql(cases.MAU_WINDOW),
    "sessions": lambda: sql.sessions_sql(cases.SESSION_GAP),
}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("opshelpers-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def tables():
    return {n: ops.load_sample(n)[cols] for n, cols in run.COLUMNS.items()}


def _as_case_result(name, frame):
    # the canonical retention form also checks a triangle
    return cases.with_triangle(frame) if name == "retention" else frame


@pytest.mark.parametrize("name", list(QUERIES))
def test_spark_equals_duckdb(spark, tables, name):
    case = next(c for c in cases.CASES if c.name == name)
    query = QUERIES[name]()
    on_spark = sql.run(query, engine="spark", spark=spark, **tables)
    on_duckdb = sql.run(query, **tables)
    cases.check_equal(case, {"duckdb": _as_case_result(name, on_duckdb),
                             "spark": _as_case_result(name, on_spark)})


def test_spark_reads_tables_already_registered(spark, tables):
    spark.createDataFrame(tables["events"]).createOrReplaceTempView("events")
    got = sql.run(sql.DAU, engine="spark", spark=spark)          # no tables passed
    want = sql.run(sql.DAU, events=tables["events"])
    assert got["dau"].tolist() == want["dau"].tolist()
    assert pd.to_datetime(got["day"]).tolist() == pd.to_datetime(want["day"]).tolist()

