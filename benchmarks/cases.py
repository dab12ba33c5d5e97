"""The five benchmarked metrics, each computed three ways, and how to compare them.

For every metric there is
- `opshelpers`: the helper an analyst calls;
- `pandas`: the plain pandas a tutorial would write (merge, groupby, a loop per day
  where tutorials loop) — correct, not deliberately slow;
- `duckdb`: the SQL in `opshelpers.sql`, on DuckDB (DataFrames registered in memory,
  or Parquet files read straight from disk for the out-of-core run);
and a `canonical` function that turns any of the three results into one sorted table,
so the benchmark (and tests/test_benchmarks.py, at sample size) can assert that all
three agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from opshelpers import monitor, sql, users

RETENTION_DAYS = (1, 7, 30)
FUNNEL_STEPS = ["view_product", "add_to_cart", "checkout", "purchase"]
FUNNEL_WINDOW = "7D"
MAU_WINDOW = "30D"
SESSION_GAP = "30min"


@dataclass
class Data:
    """The inputs: DataFrames for opshelpers and pandas, a DuckDB connection whose
    tables `events`, `users`, `orders` are either those DataFrames or Parquet views."""

    events: pd.DataFrame
    users: pd.DataFrame
    orders: pd.DataFrame
    con: object


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    opshelpers: Callable[[Data], object]
    pandas: Callable[[Data], object]
    duckdb: Callable[[Data], object]
    canonical: Callable[[object], pd.DataFrame]


# ------------------------------------------------------------------ retention
def retention_opshelpers(d: Data):
    table = users.retention(d.users, d.events, days=RETENTION_DAYS, freq="W")
    return table, users.retention_triangle(table)


def retention_pandas(d: Data):
    ev = d.events[["user_id", "event_time"]].copy()
    ev["date"] = ev["event_time"].dt.normalize()
    ev = ev.drop_duplicates(["user_id", "date"])
    u = d.users[["user_id", "signup_time"]].copy()
    u["signup_date"] = u["signup_time"].dt.normalize()
    u["cohort"] = u["signup_time"].dt.to_period("W").dt.start_time
    df = ev.merge(u, on="user_id")
    df["day_n"] = (df["date"] - df["signup_date"]).dt.days
    last = ev["date"].max()
    parts = []
    for n in RETENTION_DAYS:
        u["eligible"] = u["signup_date"] + pd.Timedelta(days=n) <= last
        g = u.groupby("cohort")
        part = pd.DataFrame({"cohort_size": g.size(), "eligible": g["eligible"].sum()})
        part["retained"] = df[df["day_n"] == n].groupby("cohort")["user_id"].nunique()
        parts.append(part.fillna({"retained": 0}).assign(day=n).reset_index())
    table = pd.concat(parts)
    return with_triangle(table)


def retention_duckdb(d: Data):
    table = d.con.execute(sql.retention_sql(RETENTION_DAYS, freq="W")).df()
    return with_triangle(table)


def with_triangle(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A retention table with its rates and the cohort × day triangle, in plain pandas:
    the form the pandas baseline and any SQL engine's result are compared in."""
    eligible = table["eligible"].where(table["eligible"] > 0)
    table = table.assign(rate=table["retained"] / eligible)
    return table, table.pivot(index="cohort", columns="day", values="rate")


def retention_canonical(result) -> pd.DataFrame:
    table, triangle = result
    out = table[["cohort", "day", "cohort_size", "eligible", "retained"]].copy()
    out["cohort"] = pd.to_datetime(out["cohort"]).astype("datetime64[ns]")
    out = _ints(out, ["day", "cohort_size", "eligible", "retained"])
    out = out.sort_values(["cohort", "day"], ignore_index=True)
    # the triangle must hold the same rates (blank where no one is eligible yet)
    tri = triangle.copy()
    tri.index = pd.to_datetime(tri.index).astype("datetime64[ns]")
    rate = np.where(out["eligible"] > 0, out["retained"] / out["eligible"].clip(lower=1),
                    np.nan)
    shown = tri.stack(future_stack=True).reindex(
        pd.MultiIndex.from_frame(out[["cohort", "day"]])).to_numpy(float)
    out["triangle_matches"] = np.isclose(shown, rate, atol=1e-4, equal_nan=True)
    return out


# ------------------------------------------------------------------ funnel
def funnel_opshelpers(d: Data):
    return users.funnel(d.events, FUNNEL_STEPS, window=FUNNEL_WINDOW)


def funnel_pandas(d: Data):
    ev = d.events.loc[d.events["event"].isin(FUNNEL_STEPS), ["user_id", "event_time", "event"]]
    cur = (ev[ev["event"] == FUNNEL_STEPS[0]].groupby("user_id", as_index=False)["event_time"]
           .min().rename(columns={"event_time": "t0"}))
    cur["t"] = cur["t0"]
    counts = [len(cur)]
    for step in FUNNEL_STEPS[1:]:
        nxt = ev.loc[ev["event"] == step, ["user_id", "event_time"]]
        m = cur.merge(nxt, on="user_id")
        m = m[(m["event_time"] >= m["t"])
              & (m["event_time"] <= m["t0"] + pd.Timedelta(FUNNEL_WINDOW))]
        cur = m.groupby("user_id", as_index=False).agg(t0=("t0", "first"),
                                                       t=("event_time", "min"))
        counts.append(len(cur))
    return pd.DataFrame({"step": range(1, len(FUNNEL_STEPS) + 1), "event": FUNNEL_STEPS,
                         "users": counts})


def funnel_duckdb(d: Data):
    return d.con.execute(sql.funnel_sql(FUNNEL_STEPS, window=FUNNEL_WINDOW)).df()


def funnel_canonical(result) -> pd.DataFrame:
    out = result[["step", "event", "users"]].astype({"event": str})
    return _ints(out, ["step", "users"]).sort_values("step", ignore_index=True)


# ------------------------------------------------------------------ RFM
def rfm_opshelpers(d: Data):
    return users.rfm_summary(d.orders)


def rfm_pandas(d: Data):
    o = d.orders[["user_id", "order_time", "paid"]].copy()
    o["date"] = o["order_time"].dt.normalize()
    daily = (o.groupby(["user_id", "date"], as_index=False)
             .agg(paid=("paid", "sum"), orders=("paid", "size")))
    end = daily["date"].max()
    s = daily.groupby("user_id").agg(
        first=("date", "min"), last=("date", "max"), days=("date", "count"),
        revenue=("paid", "sum"), first_amount=("paid", "first"), orders=("orders", "sum"),
        recency_days=("date", lambda x: (end - x.max()).days))    # the classic RFM idiom
    s["frequency"] = s["days"] - 1
    s["recency"] = (s["last"] - s["first"]).dt.days
    s["T"] = (end - s["first"]).dt.days
    s["monetary_value"] = ((s["revenue"] - s["first_amount"]) / s["frequency"]
                           ).where(s["frequency"] > 0, 0.0)
    return s


def rfm_duckdb(d: Data):
    return d.con.execute(sql.RFM_SUMMARY).df()


def rfm_canonical(result) -> pd.DataFrame:
    cols = ["frequency", "recency", "T", "monetary_value", "recency_days", "orders",
            "revenue"]
    out = (result.reset_index() if "user_id" not in result.columns else result)
    out = out[["user_id"] + cols].copy()
    out = _ints(out, ["user_id", "frequency", "recency", "T", "recency_days", "orders"])
    out[["monetary_value", "revenue"]] = out[["monetary_value", "revenue"]].astype(float)
    return out.sort_values("user_id", ignore_index=True)


# ------------------------------------------------------------------ DAU / MAU
def dau_mau_opshelpers(d: Data):
    return monitor.stickiness(d.events, window=MAU_WINDOW)


def dau_mau_pandas(d: Data):
    ev = d.events[["user_id", "event_time"]].copy()
    ev["date"] = ev["event_time"].dt.normalize()
    ev = ev.drop_duplicates(["user_id", "date"])
    dau = ev.groupby("date")["user_id"].nunique()
    mau = {}
    for day in dau.index:                       # one window per day, as tutorials do
        start = day - pd.Timedelta(MAU_WINDOW)
        in_window = (ev["date"] > start) & (ev["date"] <= day)
        mau[day] = ev.loc[in_window, "user_id"].nunique()
    out = pd.DataFrame({"dau": dau, "mau": pd.Series(mau)})
    out["stickiness"] = out["dau"] / out["mau"]
    return out.rename_axis("date").reset_index()


def dau_mau_duckdb(d: Data):
    return d.con.execute(sql.dau_mau_sql(MAU_WINDOW)).df()


def dau_mau_canonical(result) -> pd.DataFrame:
    out = result[["date", "dau", "mau"]].copy()
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    out = _ints(out, ["dau", "mau"])
    out = out[out["dau"] > 0]                   # SQL lists only days with activity
    return out.sort_values("date", ignore_index=True)


# ------------------------------------------------------------------ sessions
def sessions_opshelpers(d: Data):
    return users.sessions(d.events, gap=SESSION_GAP)


def sessions_pandas(d: Data):
    ev = d.events[["user_id", "event_time"]].sort_values(["user_id", "event_time"])
    gap = ev.groupby("user_id")["event_time"].diff()
    ev["session_key"] = (gap.isna() | (gap > pd.Timedelta(SESSION_GAP))
                         ).cumsum()
    s = ev.groupby("session_key").agg(user_id=("user_id", "first"),
                                      start=("event_time", "min"),
                                      end=("event_time", "max"),
                                      events=("event_time", "size"))
    s["session"] = s.groupby("user_id").cumcount() + 1
    return s.reset_index(drop=True)


def sessions_duckdb(d: Data):
    return d.con.execute(sql.sessions_sql(SESSION_GAP)).df()


def sessions_canonical(result) -> pd.DataFrame:
    out = result[["user_id", "session", "start", "end", "events"]].copy()
    for col in ("start", "end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    out = _ints(out, ["user_id", "session", "events"])
    return out.sort_values(["user_id", "session"], ignore_index=True)


# ------------------------------------------------------------------ registry
CASES = (
    Case("retention", "Cohort retention D1/D7/D30 + triangle", retention_opshelpers,
         retention_pandas, retention_duckdb, retention_canonical),
    Case("funnel", "Ordered funnel, 4 steps, 7-day window", funnel_opshelpers,
         funnel_pandas, funnel_duckdb, funnel_canonical),
    Case("rfm", "RFM summary (lifetimes columns)", rfm_opshelpers, rfm_pandas, rfm_duckdb,
         rfm_canonical),
    Case("dau_mau", "DAU / 30-day MAU", dau_mau_opshelpers, dau_mau_pandas,
         dau_mau_duckdb, dau_mau_canonical),
    Case("sessions", "Sessionisation, 30-minute gap", sessions_opshelpers, sessions_pandas,
         sessions_duckdb, sessions_canonical),
)
IMPLEMENTATIONS = ("opshelpers", "duckdb", "pandas")


def check_equal(case: Case, results: dict[str, object]) -> None:
    """Raise AssertionError unless every implementation's canonical table is identical."""
    tables = {impl: case.canonical(r) for impl, r in results.items()}
    if case.name == "retention":
        for impl, t in tables.items():
            bad = int((~t["triangle_matches"]).sum())
            assert bad == 0, (f"retention: {impl}'s triangle disagrees with its table in "
                              f"{bad} cells")
    reference_impl, reference = next(iter(tables.items()))
    for impl, t in tables.items():
        try:
            # opshelpers rounds money to 4 decimals: tolerate that, nothing more
            pd.testing.assert_frame_equal(t, reference, check_dtype=False, rtol=0, atol=1e-4)
        except AssertionError as err:
            raise AssertionError(f"{case.name}: {impl} differs from {reference_impl}: "
                                 f"{err}") from None


def _ints(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for col in cols:
        values = df[col]
        if values.dtype.kind == "m":
            values = values.dt.days
        df[col] = pd.to_numeric(values).round().astype("int64")
    return df
