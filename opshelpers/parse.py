"""Parsing one export column by its kind, the way an analyst's files really look.

Each parser takes the column as text (or already typed, from Parquet/Excel) and returns
the values, a mask per problem (rows that cannot be used, never dropped here) and the
formats it recognised, so the loader can say what it did. A value is only ever read one
way: when two readings fit (05/03/2026 as 5 March or 3 May; 1,234 next to 12,5) the
parser stops and asks instead of guessing.

- dates: ISO 8601 (fast path), with a UTC offset (converted to `tz`, stored without a
  zone), 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, day/month/year or
  month/day/year when a value > 12 decides it, Excel serial day numbers, Unix epoch
  seconds and milliseconds, English month names;
- numbers: 1,234.50, ¥/￥/元/CNY/RMB (money columns only), 12% (rate columns only),
  full-width digits (１２３), the Unicode minus; `inf` is a problem, not a number;
- ids: integers only when every value is a plain integer that fits int64, otherwise
  the text exactly as written (`007` and `7` stay two ids);
- missing: empty cells everywhere; NA/NULL/None/nan/-/#N/A only in number, date,
  id and true/false columns (an event literally named "NA" stays text).

>>> parse_column(pd.Series(["￥1,234.50", "12元"]), "money", "paid").values.tolist()
[1234.5, 12.0]
>>> parse_column(pd.Series(["007", "7"]), "id", "user_id").values.tolist()
['007', '7']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .i18n import t
from .quality import SchemaError

__all__ = ["Parsed", "parse_column", "NULL_TOKENS", "TRUE", "FALSE"]

NULL_TOKENS = ("", "NA", "N/A", "n/a", "NULL", "null", "Null", "None", "none", "nan",
               "NaN", "#N/A", "-", "--", "—")
TRUE = ("true", "1", "yes", "y", "t", "是", "真", "1.0")
FALSE = ("false", "0", "no", "n", "f", "否", "假", "0.0")
INT64_MAX = np.iinfo(np.int64).max
EXAMPLES = 3


@dataclass
class Parsed:
    values: pd.Series
    problems: dict[str, np.ndarray] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)


def parse_column(s: pd.Series, kind: str, name: str, *, nullable: bool = True,
                 dayfirst: bool | None = None, date_format: str | None = None,
                 tz: str = "Asia/Shanghai") -> Parsed:
    """Parse one column of kind id | int | float | money | rate | bool | datetime | date |
    category | text. Column-level ambiguities raise `SchemaError` naming the column."""
    s = s.reset_index(drop=True)
    if kind in ("datetime", "date"):
        out = _dates(s, name, dayfirst, date_format, tz)
        if kind == "date":
            out.values = out.values.dt.normalize()
    elif kind in ("int", "float", "money", "rate"):
        out = _numbers(s, kind, name)
    elif kind == "id":
        out = _ids(s, name)
    elif kind == "bool":
        out = _bools(s)
    else:
        out = _texts(s, strip=kind == "category")
    if not nullable:
        empty = out.values.isna().to_numpy().copy()
        if kind not in ("category", "text"):
            empty &= ~_any_problem(out, len(s))   # a garbled value is not also "empty"
        out.problems = {t("parse.problem.empty"): empty, **out.problems}
    return out


def _any_problem(out: Parsed, n: int) -> np.ndarray:
    bad = np.zeros(n, bool)
    for m in out.problems.values():
        bad |= m
    return bad


# ------------------------------------------------------------------ text
def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s) or \
        isinstance(s.dtype, pd.CategoricalDtype)


def _arrow_text(s: pd.Series) -> pa.ChunkedArray | pa.Array:
    """The column as trimmed arrow strings (nulls as empty strings)."""
    if s.dtype != "str":
        s = s.astype("str")
    arr = pa.array(s)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.string())
    arr = pc.fill_null(arr, "")
    return pc.utf8_trim_whitespace(arr)


def _null_mask(arr) -> np.ndarray:
    return pc.is_in(arr, value_set=pa.array(NULL_TOKENS)).to_numpy(zero_copy_only=False)


def _to_series(arr, mask: np.ndarray | None = None) -> pd.Series:
    """Arrow strings back to pandas `str`, NaN where `mask` (missing) is True."""
    out = arr.to_pandas(types_mapper={
        pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    if out.dtype != "str":
        out = out.astype("str")
    if mask is not None and mask.any():
        out = out.mask(mask)
    return out


def _texts(s: pd.Series, strip: bool) -> Parsed:
    if not _is_text(s):
        return Parsed(s.astype("str").mask(s.isna()))
    arr = pc.fill_null(pa.array(s if s.dtype == "str" else s.astype("str")), "")
    if strip:
        arr = pc.utf8_trim_whitespace(arr)
    empty = pc.equal(pc.utf8_trim_whitespace(arr) if not strip else arr, "")
    return Parsed(_to_series(arr, empty.to_numpy(zero_copy_only=False)))


# ------------------------------------------------------------------ ids
def _ids(s: pd.Series, name: str) -> Parsed:
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("str").mask(s.isna()), formats=[t("parse.format.bool_ids")])
    if pd.api.types.is_integer_dtype(s):
        return Parsed(_int_column(s))
    if pd.api.types.is_float_dtype(s):
        finite = s.dropna()
        bad = s.notna().to_numpy() & ~np.isfinite(s.fillna(0).to_numpy())
        frac = s.notna().to_numpy() & ~bad & (np.mod(s.fillna(0).to_numpy(), 1) != 0)
        if (np.abs(finite) < 2 ** 53).all():
            problems = {t("parse.problem.id_decimals"): frac | bad}
            return Parsed(_int_column(s.where(~(frac | bad))), problems)
    arr = _arrow_text(s)
    missing = _null_mask(arr)
    canonical = pc.match_substring_regex(arr, r"^(0|-?[1-9][0-9]{0,18})$")
    canonical = canonical.to_numpy(zero_copy_only=False)
    if (canonical | missing).all() and canonical.any():
        try:
            if missing.any():
                nums = pc.cast(pc.if_else(pa.array(missing), None, arr), pa.int64())
            else:                          # the usual export: one cast, no mask
                nums = pc.cast(arr, pa.int64())
        except pa.ArrowInvalid:        # above the int64 maximum: keep the text
            pass
        else:
            if not missing.any():
                return Parsed(pd.Series(nums.to_numpy(), dtype="int64"))
            values = pd.Series(nums.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get))
            return Parsed(_int_column(values))
    formats = []
    if canonical.any() and not canonical[~missing].all():
        formats = [t("parse.format.text_ids")]
    return Parsed(_to_series(arr, missing), formats=formats)


def _int_column(num: pd.Series) -> pd.Series:
    """Plain int64 when complete (friendlier), nullable Int64 only when values are missing."""
    return num.astype("Int64") if num.isna().any() else num.astype("int64")


# ------------------------------------------------------------------ booleans
def _bools(s: pd.Series) -> Parsed:
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("boolean"))
    arr = pc.utf8_lower(_arrow_text(s))
    missing = _null_mask(arr)
    is_true = pc.is_in(arr, value_set=pa.array(TRUE)).to_numpy(zero_copy_only=False)
    is_false = pc.is_in(arr, value_set=pa.array(FALSE)).to_numpy(zero_copy_only=False)
    values = pd.array(np.where(is_true, True, False), dtype="boolean")
    values[~(is_true | is_false)] = pd.NA
    bad = ~(is_true | is_false | missing)
    return Parsed(pd.Series(values), {t("parse.problem.not_bool"): bad})


# ------------------------------------------------------------------ numbers
_CURRENCY = r"(?:¥|CNY|RMB|元)"
_THOUSANDS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_DECIMAL_COMMA = r"[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})"


def _numbers(s: pd.Series, kind: str, name: str) -> Parsed:
    formats: list[str] = []
    if pd.api.types.is_bool_dtype(s):
        s = s.astype("float")
    if pd.api.types.is_numeric_dtype(s):
        num = s.astype(float).to_numpy()
        present = ~np.isnan(num)
    else:
        arr = _arrow_text(s)
        missing = _null_mask(arr)
        present = ~missing
        try:                                       # the fast path: plain numbers
            num = pc.cast(pc.if_else(pa.array(missing), None, arr), pa.float64())
            num = num.to_numpy(zero_copy_only=False).astype(float)
        except pa.ArrowInvalid:
            num, formats = _numbers_slow(arr, missing, kind, name)
    problems: dict[str, np.ndarray] = {}
    unparsed = present & np.isnan(num)
    if unparsed.any():
        problems[t("parse.problem.not_number")] = unparsed
    infinite = np.isinf(num)
    if infinite.any():
        problems[t("parse.problem.infinite")] = infinite
        num = np.where(infinite, np.nan, num)
    if kind == "money" and name != "revenue":
        problems[t("parse.problem.negative")] = num < 0
    if kind == "rate":
        problems[t("parse.problem.rate_range")] = (num < 0) | (num > 1)
    if kind == "int":
        frac = ~np.isnan(num) & (np.mod(np.nan_to_num(num), 1) != 0)
        problems[t("parse.problem.not_whole")] = frac
        num = np.where(frac, np.nan, num)
        return Parsed(_int_column(pd.Series(num)), _nonempty(problems), formats)
    return Parsed(pd.Series(num, dtype=float), _nonempty(problems), formats)


def _nonempty(problems: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, bool) for k, v in problems.items() if np.asarray(v).any()}


def _numbers_slow(arr, missing: np.ndarray, kind: str, name: str
                  ) -> tuple[np.ndarray, list[str]]:
    """Numbers written as people write them; one reading per column or a clear stop."""
    text = _to_series(arr)
    num = pd.to_numeric(text.where(~missing), errors="coerce").to_numpy(dtype=float, copy=True)
    rest = np.flatnonzero(~missing & np.isnan(num))
    uniq = pd.unique(text.iloc[rest].to_numpy())
    norm = pd.Series(uniq, dtype=object).map(_normalise_number)
    formats = []
    if (norm != pd.Series(uniq, dtype=object).str.strip()).any():
        formats.append(t("parse.format.full_width"))
    currency = norm.str.contains(_CURRENCY, regex=True)
    if currency.any():
        if kind != "money":
            currency[:] = False        # ¥ in a count or a rate column: not a number here
        else:
            formats.append(t("parse.format.currency"))
    body = norm.where(~currency, norm.str.replace(_CURRENCY, "", regex=True).str.strip())
    percent = body.str.fullmatch(r"[+-]?[0-9.,]+\s*%")
    if percent.any() and kind == "rate":
        formats.append(t("parse.format.percent"))
    thousands = body.str.replace(r"^[+-]", "", regex=True).str.rstrip("%").str.strip() \
        .str.fullmatch(_THOUSANDS)
    decimal_comma = body.str.replace(r"^[+-]", "", regex=True).str.rstrip("%").str.strip() \
        .str.fullmatch(_DECIMAL_COMMA)
    if thousands.any() and decimal_comma.any():
        a = uniq[thousands.to_numpy()][0]
        b = uniq[decimal_comma.to_numpy()][0]
        raise SchemaError(t("parse.stop.separators", name=name, a=a, b=b))
    if thousands.any():
        formats.append(t("parse.format.thousands"))
    clean = body.str.replace(",", "", regex=False).where(~decimal_comma, None)
    clean = clean.where(~percent | (kind == "rate"), None)
    value = pd.to_numeric(clean.str.rstrip("%").str.strip(), errors="coerce")
    value = value.where(~percent, value / 100)
    lookup = dict(zip(uniq, value.to_numpy(dtype=float)))
    num[rest] = text.iloc[rest].map(lookup).to_numpy(dtype=float)
    return num, formats


def _normalise_number(v: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", v).replace("\u2212", "-").strip()


# ------------------------------------------------------------------ dates
_TIME = r"(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?)?"
_YMD = r"^([0-9]{4})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})" + _TIME + "$"
_CN = r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]" + _TIME.replace("[ T]+", "[ T]*") + "$"
_AB_YEAR = r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})" + _TIME + "$"
_COMPACT = r"^([0-9]{4})([0-9]{2})([0-9]{2})" + _TIME + "$"
_OFFSET = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:Z|[+-][0-9]{2}:?[0-9]{2})$"
_NUMBER = r"^[0-9]+(?:\.[0-9]+)?$"
_MONTHS = r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
# plausible ranges (1970 … 2100) keep the numeric readings apart: no value fits two
_SERIAL = (25_569, 73_051)                 # Excel day numbers (origin 1899-12-30)
_EPOCH_S = (1e8, 4.2e9)
_EPOCH_MS = (1e11, 4.2e12)


def _dates(s: pd.Series, name: str, dayfirst: bool | None, date_format: str | None,
           tz: str) -> Parsed:
    if pd.api.types.is_datetime64_any_dtype(s):
        formats = []
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            formats.append(t("parse.format.zone", zone=s.dtype.tz, tz=tz))
            s = s.dt.tz_convert(tz).dt.tz_localize(None)
        return Parsed(s.astype("datetime64[us]"), formats=formats)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        s = s.astype("str").mask(s.isna(), "")
    arr = _arrow_text(s)
    missing = _null_mask(arr)
    n = len(missing)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    if date_format is not None:
        text = _to_series(arr, missing)
        parsed = pd.to_datetime(text, format=date_format, errors="coerce")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_convert(tz).dt.tz_localize(None)
        out = parsed.astype("datetime64[us]").to_numpy()
        formats = [t("parse.format.given", format=date_format)]
    else:
        try:                                       # the fast path: plain ISO 8601
            ts = pc.cast(pc.if_else(pa.array(missing), None, arr), pa.timestamp("us"))
            out = ts.to_numpy(zero_copy_only=False).astype("datetime64[us]")
            formats = [t("parse.format.iso")] if (~missing).any() else []
        except pa.ArrowInvalid:
            out, formats = _dates_slow(arr, missing, name, dayfirst, tz)
    values = pd.Series(out)
    bad = ~missing & values.isna().to_numpy()
    problems = {t("parse.problem.bad_date"): bad} if bad.any() else {}
    return Parsed(values, problems, formats)


def _dates_slow(arr, missing: np.ndarray, name: str, dayfirst: bool | None, tz: str
                ) -> tuple[np.ndarray, list[str]]:
    """Dates that are not all plain ISO 8601: a vectorised ISO pass, then one pass per
    format over the distinct values left. Naive and zoned times never mix silently."""
    n = len(missing)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    formats: list[str] = []
    zoned = naive = False
    text = arr.to_numpy(zero_copy_only=False)
    try:            # most values are ISO 8601 even when a few are not: one vectorised pass
        iso = pd.to_datetime(pd.Series(text).where(~missing), format="ISO8601",
                             errors="coerce")
    except ValueError:                     # zoned and naive mixed: sorted out per value
        iso = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
    if isinstance(iso.dtype, pd.DatetimeTZDtype):
        zoned = True
        iso = iso.dt.tz_convert(tz).dt.tz_localize(None)
    # a bare year or year-month is not the time of an event
    long_enough = pc.utf8_length(arr).to_numpy(zero_copy_only=False) >= 10
    iso_ok = iso.notna().to_numpy() & long_enough
    if iso_ok.any():
        naive = not zoned
        out[iso_ok] = iso.to_numpy()[iso_ok].astype("datetime64[us]")
        formats.append(t("parse.format.iso_zoned", tz=tz) if zoned else t("parse.format.iso"))
    rows = np.flatnonzero(~missing & ~iso_ok)
    if not len(rows):
        return out, formats
    uniq, inverse = np.unique(text[rows], return_inverse=True)
    u = pd.Series(uniq, dtype=object).map(_normalise_number)
    parsed = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    todo = pd.Series(True, index=u.index)

    def take(mask: pd.Series, values: pd.Series, label: str) -> bool:
        nonlocal todo
        mask = mask & todo & values.notna()
        if mask.any():
            parsed[mask] = values[mask].astype("datetime64[us]")
            todo &= ~mask
            if label not in formats:
                formats.append(label)
        return bool(mask.any())

    offset = u.str.fullmatch(_OFFSET)
    if offset.any():
        when = pd.to_datetime(u.where(offset), format="ISO8601", utc=True, errors="coerce")
        zoned |= take(offset, when.dt.tz_convert(tz).dt.tz_localize(None),
                      t("parse.format.iso_zoned", tz=tz))
    plain = u.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}" + _TIME) & todo
    if plain.any():
        naive |= take(plain, pd.to_datetime(u.where(plain), format="ISO8601",
                                            errors="coerce"), t("parse.format.iso"))
    for pattern, label in ((_YMD, t("parse.format.ymd")), (_CN, t("parse.format.chinese")),
                           (_COMPACT, t("parse.format.compact"))):
        parts = u.str.extract(pattern)
        naive |= take(parts[0].notna(), _from_parts(parts, 0, 1, 2), label)
    parts = u.str.extract(_AB_YEAR)
    ab = parts[0].notna() & todo
    if ab.any():
        first, second = parts[0].astype(float), parts[1].astype(float)
        day_first_seen = ab & (first > 12) & (second <= 12)
        month_first_seen = ab & (second > 12) & (first <= 12)
        if day_first_seen.any() and month_first_seen.any():
            a, b = uniq[day_first_seen.to_numpy()][0], uniq[month_first_seen.to_numpy()][0]
            raise SchemaError(t("parse.stop.date_orders", name=name, a=a, b=b))
        order = dayfirst
        if order is None:
            if day_first_seen.any() or month_first_seen.any():
                order = bool(day_first_seen.any())
            else:
                example = uniq[ab.to_numpy()][0]
                raise SchemaError(t("parse.stop.day_month", name=name, example=example))
        day, month = (0, 1) if order else (1, 0)
        naive |= take(ab, _from_parts(parts, 2, month, day),
                      t("parse.format.day_first" if order else "parse.format.month_first"))
    number = u.str.fullmatch(_NUMBER) & todo
    if number.any():
        x = pd.to_numeric(u.where(number), errors="coerce")
        serial = number & x.between(*_SERIAL)
        when = pd.Timestamp("1899-12-30") + pd.to_timedelta(x.where(serial), unit="D")
        naive |= take(serial, when.dt.round("us"), t("parse.format.excel_serial"))
        for (lo, hi), unit, label in ((_EPOCH_S, "s", "parse.format.epoch_s"),
                                      (_EPOCH_MS, "ms", "parse.format.epoch_ms")):
            fit = number & x.between(lo, hi)
            when = pd.to_datetime(x.where(fit), unit=unit, utc=True)
            take(fit, when.dt.tz_convert(tz).dt.tz_localize(None),   # absolute instants
                 t(label, tz=tz))
    months = u.str.contains(_MONTHS, regex=True) & todo
    if months.any():
        try:
            named = pd.to_datetime(u.where(months), format="mixed", errors="coerce")
        except ValueError:
            named = pd.Series(pd.NaT, index=u.index)
        if not isinstance(named.dtype, pd.DatetimeTZDtype):
            naive |= take(months, named, t("parse.format.month_names"))
    if zoned and naive:
        raise SchemaError(t("parse.stop.zones", name=name))
    out[rows] = parsed.to_numpy()[inverse]
    return out, formats


def _from_parts(parts: pd.DataFrame, year: int, month: int, day: int) -> pd.Series:
    """Timestamps from extracted (year, month, day, hour, minute, second, fraction)."""
    frame = pd.DataFrame({"year": parts[year], "month": parts[month], "day": parts[day],
                          "hour": parts[3], "minute": parts[4], "second": parts[5]})
    frame = frame.apply(pd.to_numeric, errors="coerce")
    frame[["hour", "minute", "second"]] = frame[["hour", "minute", "second"]].fillna(0)
    ok = frame["year"].notna()
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[us]")
    if ok.any():
        when = pd.to_datetime(frame[ok], errors="coerce")
        micro = pd.to_numeric(parts.loc[ok, 6].fillna("0").str.ljust(6, "0"))
        result[ok] = (when + pd.to_timedelta(micro, unit="us")).astype("datetime64[us]")
    return result
