"""The core metrics as SQL, run on DuckDB (embedded, no server).

The SQL is plain and readable: it runs on DuckDB as is, on Spark through `run(...,
engine="spark")` (transpiled by sqlglot), and with small changes on other warehouses
(Postgres, ClickHouse): `date_trunc('week', …)` and `INTERVAL 604800 SECOND` are the usual spots
to adapt. A table is a DataFrame or a path to Parquet/CSV files, which DuckDB reads
itself — out of core, so the files may be larger than memory.

>>> import pandas as pd
>>> e = pd.DataFrame({"user_id": [1, 1, 2], "event_time": pd.to_datetime(
...     ["2026-01-01 09:00", "2026-01-01 10:00", "2026-01-01 11:00"]), "event": "app_open"})
>>> int(query(DAU, events=e)["dau"].iloc[0])
2

Taught in 06_data §SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from .arrays import check_period, duration, whole_days
from .compat import bare_number, days_as_duration, minutes_as_duration, renamed, warn_deprecated
from .i18n import t
from .metrics import GROSS_MARGIN

__all__ = ["connect", "query", "run", "to_spark", "DAU", "dau_mau_sql", "retention_sql",
           "funnel_sql", "sessions_sql", "CHANNEL_REPORT", "RFM_SUMMARY"]

READERS = {".parquet": "read_parquet", ".pq": "read_parquet", ".csv": "read_csv_auto",
           ".tsv": "read_csv_auto", ".txt": "read_csv_auto", ".gz": "read_csv_auto"}


def connect(**tables: pd.DataFrame | str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with each table registered under its name.

    A DataFrame is registered without a copy; a path (or glob such as
    'events/*.parquet') to Parquet or CSV files becomes a view that DuckDB reads
    when a query runs, spilling to disk when it needs more memory than it may use.
    """
    con = duckdb.connect()
    try:   # no progress bar in notebooks or logs (some DuckDB builds refuse the setting)
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    for name, table in tables.items():
        if isinstance(table, pd.DataFrame):
            con.register(name, table)
        elif isinstance(table, (str, Path)):
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM {_file_reader(name, table)}")
        else:
            raise TypeError(f"table {name!r} must be a DataFrame or a path to Parquet/CSV "
                            f"files, got {type(table).__name__}")
    return con


def _file_reader(name: str, path: str | Path) -> str:
    text = str(path)
    reader = READERS.get(Path(text).suffix.lower())
    if reader is None:
        raise ValueError(f"table {name!r}: {text} is neither Parquet nor CSV (by its "
                         f"ending); use one of {sorted(READERS)} or load it with "
                         "ops.read_table and pass the DataFrame")
    if not any(ch in text for ch in "*?[") and not Path(text).exists():
        raise FileNotFoundError(f"table {name!r}: no file {text}")
    return f"{reader}('{text.replace(chr(39), chr(39) * 2)}')"


def query(sql: str, **tables: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Run `sql` against the given tables (DataFrames or file paths, by keyword name)."""
    con = connect(**tables)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


ENGINES = ("duckdb", "spark")


def run(sql: str, engine: str = "duckdb", spark=None, **tables: object) -> pd.DataFrame:
    """Run one of these queries on DuckDB (default) or on a user's SparkSession.

    The SQL is written once, in DuckDB's dialect; for Spark it is transpiled by sqlglot
    (`to_spark`). Tables are pandas DataFrames, paths to Parquet/CSV files, or (Spark)
    Spark DataFrames; with Spark, tables you do not pass must already exist as tables or
    views of those names (e.g. `events` in your metastore).

    >>> e = pd.DataFrame({"user_id": [1, 2], "event_time": pd.to_datetime(
    ...     ["2026-01-01 09:00", "2026-01-01 10:00"]), "event": "app_open"})
    >>> int(run(DAU, events=e)["dau"].iloc[0])
    2
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine == "duckdb":
        if spark is not None:
            raise ValueError("spark= is only used with engine='spark'")
        return query(sql, **tables)
    if spark is None:
        raise ValueError("engine='spark' needs spark=<SparkSession>, e.g. SparkSession"
                         ".builder.getOrCreate() (pip install 'opshelpers[spark]')")
    text = to_spark(sql)
    for name, table in tables.items():
        if hasattr(table, "createOrReplaceTempView"):          # already a Spark DataFrame
            frame = table
        elif isinstance(table, (str, Path)):
            reader = READERS.get(Path(str(table)).suffix.lower())
            frame = (spark.read.parquet(str(table)) if reader == "read_parquet" else
                     spark.read.csv(str(table), header=True, inferSchema=True))
        else:
            frame = spark.createDataFrame(table)
        frame.createOrReplaceTempView(name)
    return spark.sql(text).toPandas()


def to_spark(sql: str) -> str:
    """The query in Spark SQL, transpiled from DuckDB's dialect by sqlglot.

    >>> print(to_spark("SELECT CAST(event_time AS DATE) AS day FROM events"))
    SELECT
      CAST(event_time AS DATE) AS day
    FROM events
    """
    try:
        import sqlglot
    except ImportError as err:
        raise ImportError("to_spark needs sqlglot: pip install 'opshelpers[spark]'") from err
    statements = sqlglot.transpile(sql, read="duckdb", write="spark", pretty=True)
    if len(statements) != 1:
        raise ValueError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


# the SQL unit of each period of the vocabulary (date_trunc; weeks start on Monday in
# DuckDB and Spark alike)
PERIOD_UNITS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
SQL_UNITS = {unit: freq for freq, unit in PERIOD_UNITS.items()}   # the old cohort="week"


def _seconds(value, name: str) -> int:
    """A duration as whole seconds for an INTERVAL (the SQL twins' resolution)."""
    length = duration(value, name)
    if length % pd.Timedelta(seconds=1):
        raise ValueError(t("params.bad_duration", name=name, given=value))
    return int(length.total_seconds())


DAU = """
SELECT CAST(event_time AS DATE) AS day,
       count(DISTINCT user_id)  AS dau
FROM events
GROUP BY 1
ORDER BY 1
"""


def dau_mau_sql(window: str = "30D") -> str:
    """DAU, MAU (distinct users in the `window`, whole days, ending on the day) and
    DAU/MAU per day — the same numbers as `monitor.stickiness`."""
    window = whole_days(bare_number(window, "dau_mau_sql", "window", "D"))
    return f"""
WITH active AS (
    SELECT DISTINCT user_id, CAST(event_time AS DATE) AS day FROM events
),
days AS (SELECT DISTINCT day FROM active)
SELECT d.day AS date,
       sum(CASE WHEN a.day = d.day THEN 1 ELSE 0 END) AS dau,
       count(DISTINCT a.user_id)                       AS mau,
       sum(CASE WHEN a.day = d.day THEN 1 ELSE 0 END) / count(DISTINCT a.user_id)
                                                       AS stickiness
FROM days d
JOIN active a ON a.day <= d.day AND a.day > d.day - {window}
GROUP BY d.day
ORDER BY d.day
"""


@renamed(gap_minutes=("gap", minutes_as_duration))
def sessions_sql(gap: str = "30min") -> str:
    """Sessions, same definition as `users.sessions`: a new session starts after more
    than `gap` without an event of that user. One row per session."""
    seconds = _seconds(bare_number(gap, "sessions_sql", "gap", "min"), "gap")
    return f"""
WITH flagged AS (
    SELECT user_id, event_time,
           CASE WHEN lag(event_time) OVER w IS NULL
                  OR lag(event_time) OVER w < event_time - INTERVAL {seconds} SECOND
                THEN 1 ELSE 0 END AS new_session
    FROM events
    WINDOW w AS (PARTITION BY user_id ORDER BY event_time)
),
numbered AS (
    SELECT user_id, event_time,
           sum(new_session) OVER (PARTITION BY user_id ORDER BY event_time
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session
    FROM flagged
)
SELECT user_id, session, min(event_time) AS start, max(event_time) AS "end",
       count(*) AS events
FROM numbered
GROUP BY user_id, session
ORDER BY user_id, session
"""


@renamed(cohort=("freq", lambda unit: SQL_UNITS.get(unit, unit)))
def retention_sql(days=(1, 7, 30), freq: str = "W") -> str:
    """N-day retention per signup cohort of `freq` periods (D/W/M/Q/Y), censoring-aware
    (users who cannot have reached day N yet are not eligible). Same definition as
    `users.retention`."""
    if freq in SQL_UNITS:                           # the old cohort="week"
        warn_deprecated(f"retention_sql(…, {freq!r})", f"retention_sql(…, {SQL_UNITS[freq]!r})")
        freq = SQL_UNITS[freq]
    cohort = PERIOD_UNITS[check_period(freq)]
    day_list = ", ".join(str(int(d)) for d in days)
    return f"""
WITH active AS (
    SELECT DISTINCT user_id, CAST(event_time AS DATE) AS day FROM events
),
cohorts AS (
    SELECT user_id, CAST(signup_time AS DATE) AS signup_day,
           CAST(date_trunc('{cohort}', signup_time) AS DATE) AS cohort
    FROM users
),
last_day AS (SELECT max(day) AS last_day FROM active),
n AS (SELECT unnest([{day_list}]) AS day)
SELECT c.cohort, n.day,
       count(*) AS cohort_size,
       count(*) FILTER (WHERE c.signup_day + n.day <= l.last_day) AS eligible,
       count(a.user_id) FILTER (WHERE c.signup_day + n.day <= l.last_day) AS retained
FROM cohorts c CROSS JOIN n CROSS JOIN last_day l
LEFT JOIN active a ON a.user_id = c.user_id AND a.day = c.signup_day + n.day
GROUP BY ALL
ORDER BY c.cohort, n.day
"""


@renamed(window_days=("window", days_as_duration))
def funnel_sql(steps: list[str], window: str = "7D") -> str:
    """Ordered funnel, same definition as `users.funnel`: users per step, each step
    within `window` of the first."""
    if isinstance(steps, str) or len(steps) < 2:
        raise ValueError(t("params.no_steps", given=steps))
    seconds = _seconds(bare_number(window, "funnel_sql", "window", "D"), "window")
    for s in steps:
        if "'" in s:
            raise ValueError(f"step names cannot contain quotes: {s!r}")
    parts = [f"""s1 AS (
    SELECT user_id, min(event_time) AS t0, min(event_time) AS t
    FROM events WHERE event = '{steps[0]}' GROUP BY user_id
)"""]
    for k, step in enumerate(steps[1:], start=2):
        parts.append(f"""s{k} AS (
    SELECT p.user_id, p.t0, min(e.event_time) AS t
    FROM s{k - 1} p JOIN events e
      ON e.user_id = p.user_id AND e.event = '{step}'
     AND e.event_time >= p.t AND e.event_time <= p.t0 + INTERVAL {seconds} SECOND
    GROUP BY p.user_id, p.t0
)""")
    counts = "\nUNION ALL ".join(f"SELECT {k} AS step, '{s}' AS event, count(*) AS users "
                                 f"FROM s{k}" for k, s in enumerate(steps, start=1))
    return "WITH " + ",\n".join(parts) + "\n" + counts + "\nORDER BY step"


# traffic.channel_report in SQL (whole period; ROI at the default gross margin)
CHANNEL_REPORT = f"""
WITH cost AS (
    SELECT channel, sum(spend) AS spend, sum(impressions) AS impressions,
           sum(clicks) AS clicks
    FROM channel_daily GROUP BY channel
),
reach AS (
    SELECT channel, count(*) AS visits, count(*) FILTER (WHERE signed_up) AS signups
    FROM visits GROUP BY channel
),
sales AS (
    SELECT v.channel, count(DISTINCT o.user_id) AS buyers, count(*) AS orders,
           sum(o.paid) AS revenue
    FROM orders o JOIN visits v ON v.user_id = o.user_id AND v.signed_up
    GROUP BY v.channel
)
SELECT r.channel, c.spend, c.impressions, c.clicks, r.visits, r.signups,
       coalesce(s.buyers, 0) AS buyers, coalesce(s.orders, 0) AS orders,
       coalesce(s.revenue, 0) AS revenue,
       r.signups / r.visits AS cvr,
       CASE WHEN c.spend > 0 THEN c.spend / r.signups END AS cpa,
       CASE WHEN c.spend > 0 THEN coalesce(s.revenue, 0) / c.spend END AS roas,
       CASE WHEN c.spend > 0
            THEN (coalesce(s.revenue, 0) * {GROSS_MARGIN} - c.spend) / c.spend END AS roi
FROM reach r LEFT JOIN cost c USING (channel) LEFT JOIN sales s USING (channel)
ORDER BY r.channel
"""

RFM_SUMMARY = """
WITH per_day AS (
    SELECT user_id, CAST(order_time AS DATE) AS day, sum(paid) AS amount, count(*) AS n
    FROM orders GROUP BY 1, 2
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY day) AS k FROM per_day
),
stop AS (SELECT max(day) AS stop FROM per_day)
SELECT user_id,
       count(*) - 1                                        AS frequency,
       max(day) - min(day)                                 AS recency,
       any_value(stop) - min(day)                          AS "T",
       coalesce(sum(amount) FILTER (WHERE k > 1) / nullif(count(*) - 1, 0), 0)
                                                           AS monetary_value,
       any_value(stop) - max(day)                          AS recency_days,
       sum(n)                                              AS orders,
       sum(amount)                                         AS revenue
FROM ranked, stop
GROUP BY user_id
ORDER BY user_id
"""
