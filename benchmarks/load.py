"""Loading an export: `read_table` (validated) against DuckDB and pandas reading the same
CSV with the types given up front, results asserted equal. Median of 3 after a warm-up.

    .venv/bin/python benchmarks/load.py big/events.csv

DuckDB as an expert writes it: `read_csv` with explicit column types (no sniffing of
types), all threads, `.df()` into pandas. pandas: the C parser with dtypes and one
ISO-format date column. Neither validates anything (no formats, windows, duplicates,
ids kept as written): the ratio is the price of the checks.
"""

from __future__ import annotations

import statistics
import sys
import time

import duckdb
import numpy as np
import pandas as pd

import opshelpers as ops


def by_opshelpers(path: str) -> pd.DataFrame:
    return ops.read_table(path, table="events")


def by_duckdb(path: str) -> pd.DataFrame:
    types = {"user_id": "BIGINT", "event_time": "TIMESTAMP", "event": "VARCHAR",
             "session_id": "BIGINT", "revenue": "DOUBLE"}
    return duckdb.sql(f"SELECT * FROM read_csv('{path}', header=true, columns={types})").df()


def by_pandas(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"user_id": "int64", "event": "str", "session_id": "Int64",
                                  "revenue": "float64"}, engine="c")
    df["event_time"] = pd.to_datetime(df["event_time"], format="%Y-%m-%d %H:%M:%S")
    return df


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    for c in a.columns:
        x, y = a[c].to_numpy(), b[c].to_numpy()
        if c == "event_time":
            assert (x.astype("datetime64[us]") == y.astype("datetime64[us]")).all(), c
        elif c == "event":
            assert (np.asarray(x, dtype=object) == np.asarray(y, dtype=object)).all(), c
        else:
            xs, ys = pd.Series(x, dtype="Float64"), pd.Series(y, dtype="Float64")
            assert xs.equals(ys), c


def main(path: str) -> None:
    reference = by_opshelpers(path)
    results = {}
    for name, fn in (("opshelpers.read_table", by_opshelpers), ("DuckDB read_csv", by_duckdb),
                     ("pandas read_csv", by_pandas)):
        same(reference, fn(path))               # warm-up, and the results agree
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn(path)
            runs.append(time.perf_counter() - t0)
        results[name] = statistics.median(runs)
    best = min(v for k, v in results.items() if not k.startswith("opshelpers"))
    print(f"{len(reference):,} rows of {path}")
    for name, seconds in results.items():
        print(f"{name:24} {seconds:6.2f} s   {seconds / best:5.2f}× the faster baseline")


if __name__ == "__main__":
    main(sys.argv[1])
