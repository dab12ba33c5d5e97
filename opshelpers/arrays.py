"""Integer-array building blocks behind the fast paths of retention, funnels, RFM,
stickiness and sessions.

At millions of events, grouping by (user, day) in pandas spends its time hashing
and copying. Turning users into dense integer codes and timestamps into integer
days or ticks lets numpy answer the same questions with one pass (scatter, gather,
bincount, one sort) — as fast as DuckDB on this machine (see benchmarks/results.md).

>>> t = pd.Series(pd.to_datetime(["1970-01-02 23:59", "2026-01-01 00:00"]))
>>> day_numbers(t).tolist()
[1, 20454]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["active_pairs", "day_numbers", "dates", "ticks", "from_ticks", "duration_ticks",
           "duration", "whole_days",
           "ids", "dense_codes", "user_codes", "positions", "sort_by_user", "PERIODS",
           "check_period", "period_start", "period_numbers", "periods_between"]

PERIODS = ("D", "W", "M", "Q", "Y")   # day, week (Monday–Sunday), month, quarter, year


def check_period(freq, name: str = "freq") -> str:
    """`freq` if it is one of PERIODS, else a ValueError naming the parameter.

    >>> check_period("W")
    'W'
    """
    if not isinstance(freq, str) or freq not in PERIODS:
        from .i18n import t

        raise ValueError(t("arrays.bad_period", name=name, given=freq))
    return freq


def period_start(times: pd.Series, freq: str, name: str = "freq") -> pd.Series:
    """The first day of the calendar period (D, W = Monday, M, Q, Y) each time falls in:
    the one way every helper buckets time into periods.

    >>> t = pd.Series(pd.to_datetime(["2026-03-04 10:00", "2026-03-08 23:59"]))
    >>> period_start(t, "W").dt.strftime("%a %m-%d").tolist(), period_start(t, "D").dt.day.tolist()
    (['Mon 03-02', 'Mon 03-02'], [4, 8])
    """
    check_period(freq, name)
    return times.dt.normalize() if freq == "D" else times.dt.to_period(freq).dt.start_time


def period_numbers(times: pd.Series, freq: str, name: str = "freq") -> np.ndarray:
    """Each time's period as a number, consecutive periods one apart (for indexing).

    >>> t = pd.Series(pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-09"]))
    >>> n = period_numbers(t, "W"); (n - n[0]).tolist()
    [0, 1, 2]
    """
    check_period(freq, name)
    return times.dt.to_period(freq).astype("int64").to_numpy()


def periods_between(first, last, freq: str, name: str = "freq") -> pd.DataFrame:
    """Every period from the one holding `first` to the one holding `last`: its number
    (as `period_numbers`), first day `start` and last day `end` (dates, inclusive).

    >>> periods_between("2026-03-04", "2026-03-10", "W")[["start", "end"]].astype(str).values.tolist()
    [['2026-03-02', '2026-03-08'], ['2026-03-09', '2026-03-15']]
    """
    check_period(freq, name)
    spans = pd.period_range(pd.Timestamp(first).to_period(freq),
                            pd.Timestamp(last).to_period(freq), freq=freq)
    return pd.DataFrame({"number": spans.asi8, "start": spans.start_time,
                         "end": spans.end_time.normalize()})


def _naive(times: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise TypeError(f"column {times.name!r} must hold datetimes, not {times.dtype}; "
                        "parse it with pd.to_datetime or ops.read_table")
    return times.dt.tz_localize(None) if isinstance(times.dtype, pd.DatetimeTZDtype) else times


def day_numbers(times: pd.Series) -> np.ndarray:
    """Calendar day of each timestamp (wall-clock time) as days since 1970-01-01 (int32).

    Missing times (NaT) have no day: they are an error, not a silent wrap-around.
    """
    if times.isna().any():
        raise ValueError(f"column {times.name!r} has {int(times.isna().sum())} missing "
                         "time(s) (NaT); drop or fix them first")
    values, unit = ticks(_naive(times))
    days = values // (86_400 * np.timedelta64(1, "s") // np.timedelta64(1, unit))
    return days.astype(np.int32)          # half the memory; ±5.8 million years fit


def dates(days: np.ndarray, like: pd.Series) -> pd.DatetimeIndex:
    """Day numbers back to midnight timestamps, in the unit and time zone of `like`.

    >>> dates(np.array([20454]), like=pd.Series(pd.to_datetime(["2026-01-01 10:00"])))[0]
    Timestamp('2026-01-01 00:00:00')
    """
    out = pd.DatetimeIndex(np.asarray(days).astype("datetime64[D]"))
    if isinstance(like.dtype, pd.DatetimeTZDtype):
        return out.as_unit(like.dtype.unit).tz_localize(like.dtype.tz)
    return out.as_unit(np.datetime_data(like.dtype)[0])


def ticks(times: pd.Series) -> tuple[np.ndarray, str]:
    """Timestamps as int64 in their own unit ('s', 'ms', 'us' or 'ns'), and the unit.

    Time-zone-aware columns are taken in UTC, so durations stay exact across DST.

    >>> ticks(pd.Series(pd.to_datetime(["1970-01-01 00:00:01"])).dt.as_unit("ms"))
    (array([1000]), 'ms')
    """
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    values = _naive(times).to_numpy()
    unit = np.datetime_data(values.dtype)[0]
    return values.view(np.int64), unit


def from_ticks(values: np.ndarray, unit: str, like: pd.Series) -> pd.DatetimeIndex:
    """The inverse of `ticks`: int64 ticks back to timestamps with `like`'s time zone.

    >>> from_ticks(np.array([1000]), "ms", like=pd.Series(pd.to_datetime(["2026-01-01"])))[0]
    Timestamp('1970-01-01 00:00:01')
    """
    out = pd.DatetimeIndex(np.asarray(values).view(f"datetime64[{unit}]"))
    if isinstance(like.dtype, pd.DatetimeTZDtype):
        return out.tz_localize("UTC").tz_convert(like.dtype.tz)
    return out


def duration(given, name: str = "window") -> pd.Timedelta:
    """A positive duration ('7D', '24h', '30min' or a Timedelta), else a ValueError that
    names the parameter. A bare number is refused: 7 could be days, minutes or
    nanoseconds.

    >>> duration("30min")
    Timedelta('0 days 00:30:00')
    >>> duration(7)
    Traceback (most recent call last):
    ...
    ValueError: window=7 没有单位：请写成带单位的时长，例如 window='7D'（天）或 '7min'（分钟）
    """
    from .i18n import t

    if isinstance(given, (int, float)) and not isinstance(given, bool):
        raise ValueError(t("params.number_duration", name=name, given=given))
    try:
        length = pd.Timedelta(given)
    except (ValueError, TypeError):
        length = pd.NaT
    if given is None or isinstance(given, bool) or pd.isna(length) or length <= pd.Timedelta(0):
        raise ValueError(t("params.bad_duration", name=name, given=given))
    return length


def whole_days(given, name: str = "window") -> int:
    """A positive duration of whole calendar days ('14D') as a day count.

    >>> whole_days("14D")
    14
    """
    from .i18n import t

    length = duration(given, name)
    if length % pd.Timedelta(days=1):
        raise ValueError(t("params.whole_days", name=name, given=given))
    return int(length / pd.Timedelta(days=1))


def duration_ticks(given: str | pd.Timedelta, unit: str, name: str = "window") -> int:
    """A positive duration ('30min', '7D') as a whole number of `unit` ticks (rounded down).

    >>> duration_ticks("30min", "s")
    1800
    """
    return int(duration(given, name).value // pd.Timedelta(1, unit=unit).value)


def ids(column: pd.Series) -> np.ndarray:
    """The id column as a numpy array: int64 for (nullable) integers with no missing ids.

    >>> ids(pd.Series([3, 1], dtype="Int64")).dtype
    dtype('int64')
    """
    if pd.api.types.is_integer_dtype(column) and not column.hasnans:
        return column.to_numpy(dtype=np.int64)
    return column.to_numpy()


def dense_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for the values, and the value of each code (`uniques[code]`).

    Codes follow the values' sort order and are a new array (callers may modify it).
    Small-range integers use an offset (no hashing; codes of ids that never occur are
    simply unused); anything else goes through `pd.factorize`. Missing values get −1.

    >>> dense_codes(np.array([7, 5, 7]))
    (array([2, 0, 2]), array([5, 6, 7]))
    """
    if values.dtype.kind in "iu" and len(values):
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= 2 * len(values) + 1024:
            return np.subtract(values, lo, dtype=np.int64), np.arange(lo, hi + 1,
                                                                    dtype=values.dtype)
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), np.asarray(uniques)


def positions(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each of `values` in the (unique) `keys`, −1 where absent.

    >>> positions(np.array([10, 30, 20]), np.array([20, 99, 10])).tolist()
    [2, -1, 0]
    """
    if keys.dtype.kind in "iu" and values.dtype.kind in "iu" and len(keys):
        lo, hi = int(keys.min()), int(keys.max())
        if hi - lo <= 4 * len(keys) + 1024:
            index = np.int32 if len(keys) < 2**31 else np.int64   # half the memory
            table = np.full(hi - lo + 1, -1, dtype=index)
            table[keys - lo] = np.arange(len(keys))
            if not len(values) or (values.min() >= lo and values.max() <= hi):
                return table[values - lo]                 # the usual case: no mask
            inside = (values >= lo) & (values <= hi)
            out = np.full(len(values), -1, dtype=index)
            out[inside] = table[values[inside] - lo]
            return out
    return pd.Index(keys).get_indexer(values)


def user_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """`dense_codes` of a user id column, refusing rows without a user.

    >>> user_codes(pd.Series([7, 5, 7]))[0].tolist()
    [2, 0, 2]
    """
    codes, uniques = dense_codes(ids(column))
    if (codes < 0).any():
        raise ValueError(f"{int((codes < 0).sum())} event(s) have no {column.name}; drop or "
                         "fix them first")
    return codes, uniques


def sort_by_user(codes: np.ndarray, values: np.ndarray, unique: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    """Sort (user code, value) pairs by user, then value, with one integer sort;
    `unique=True` also drops repeated pairs.

    Returns the sorted codes, the sorted values minus their minimum, and that minimum.
    `codes` is used as scratch space (pass a fresh array, e.g. from `dense_codes`).

    >>> c, v, lo = sort_by_user(np.array([1, 0, 1]), np.array([30, 20, 10]))
    >>> c.tolist(), v.tolist(), lo
    ([0, 1, 1], [10, 0, 20], 10)
    """
    if not len(values):
        return codes, values.astype(np.int64), 0
    lo = int(values.min())
    span = int(values.max()) - lo + 1
    if int(codes.max()) + 1 >= np.iinfo(np.int64).max // span:   # keys would overflow
        order = np.lexsort((values, codes))
        codes, values = codes[order], values[order] - lo
        if unique:
            keep = np.r_[True, (codes[1:] != codes[:-1]) | (values[1:] != values[:-1])]
            codes, values = codes[keep], values[keep]
        return codes, values, lo
    key = codes                                   # build (user, value) keys in place
    key *= span
    key += values
    key -= lo
    key.sort()
    if unique:
        key = key[np.r_[True, key[1:] != key[:-1]]]
    codes = key // span
    key -= codes * span                           # what is left is value − lo
    return codes, key, lo


def active_pairs(events: pd.DataFrame, user: str = "user_id", time: str = "event_time"
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    """Distinct (user, day) pairs, sorted by user then day: user codes, day offsets
    from the first day, and that first day's number.

    Sorting integer keys (user × days + day) beats hashing (user, date) tuples.

    >>> e = pd.DataFrame({"user_id": [2, 1, 2], "event_time": pd.to_datetime(
    ...     ["2026-01-02 08:00", "2026-01-01 09:00", "2026-01-02 21:00"])})
    >>> [a.tolist() for a in active_pairs(e)[:2]]
    [[0, 1], [0, 1]]
    """
    codes, _ = user_codes(events[user])
    codes, day, first = sort_by_user(codes, day_numbers(events[time]), unique=True)
    return codes, day.astype(np.int32), first
