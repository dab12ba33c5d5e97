"""Loading: the sample company's tables, and an analyst's own CSV/Excel exports.

`load_sample("orders")` returns a typed table of the Chayu sample (generated into
`data/` on first use). `read_table(path, mapping=..., table="orders")` reads a user's
file in UTF-8, UTF-8 with BOM or GBK/GB18030, renames columns, checks them against the
schema and never drops a row silently: bad rows raise an error (default) or come back
in a report with counts and examples.

Taught in 00_start_here §The data.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from .schema import EVENT_SCHEMA, TABLES, Table

__all__ = ["load_sample", "read_table", "validate", "sample_dir", "ensure_sample",
           "pseudonymize", "SchemaError", "Loaded", "SAMPLE_SEED", "SAMPLE_USERS"]

SAMPLE_SEED = 7
SAMPLE_USERS = 16_000   # keeps data/ under 25 MB
ENCODINGS = ("utf-8-sig", "gb18030")   # utf-8-sig also reads plain UTF-8; gb18030 ⊃ GBK
TRUE = {"true", "1", "yes", "y", "t", "是", "真"}
FALSE = {"false", "0", "no", "n", "f", "否", "假"}
MAX_EXAMPLES = 5


class SchemaError(ValueError):
    """A file does not fit the table it should be: names the column and the fix."""


class Loaded(NamedTuple):
    data: pd.DataFrame
    report: pd.DataFrame   # one row per (column, problem): n_rows, example rows


# ---------------------------------------------------------------- the sample
def sample_dir() -> Path:
    """Folder of the sample CSVs: $OPSLAB_DATA, else `data/` beside the package."""
    env = os.environ.get("OPSLAB_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def ensure_sample(folder: Path | None = None, force: bool = False) -> Path:
    """Generate the sample CSVs into `folder` unless they are already there and intact.

    Intact means: every file matches `SHA256SUMS`, the manifest committed with the
    generator. After changing the generator, `force=True` rewrites files and manifest.
    """
    from .synth import TABLES as NAMES, generate, write_tables

    folder = Path(folder or sample_dir())
    sums = folder / "SHA256SUMS"
    if not force and sums.exists() and all((folder / f"{n}.csv").exists() for n in NAMES):
        expected = dict(line.split("  ")[::-1] for line in sums.read_text().splitlines())
        if all(_sha256(folder / name) == digest for name, digest in expected.items()):
            return folder
    tables, _ = generate(seed=SAMPLE_SEED, n_users=SAMPLE_USERS)
    write_tables(tables, folder, fmt="csv")
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def load_sample(name: str) -> pd.DataFrame:
    """One table of the Chayu sample, with parsed dates and nullable integer ids.

    >>> load_sample("users").columns[:3].tolist()
    ['user_id', 'signup_time', 'channel']
    """
    if name not in TABLES:
        close = difflib.get_close_matches(name, TABLES, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"no sample table {name!r}.{hint} Tables: {', '.join(TABLES)}")
    return _load_sample_cached(name, str(sample_dir())).copy()


@functools.lru_cache(maxsize=16)
def _load_sample_cached(name: str, folder: str) -> pd.DataFrame:
    path = ensure_sample(Path(folder)) / f"{name}.csv"
    return _coerce(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]),
                   TABLES[name], source=path.name, invalid="raise").data


# ---------------------------------------------------------------- user files
def read_table(path: str | Path, mapping: dict[str, str] | None = None,
               table: str | Table | None = None, *, required: tuple[str, ...] | None = None,
               encoding: str | None = None, sheet: str | int = 0,
               invalid: Literal["raise", "report"] = "raise") -> pd.DataFrame | Loaded:
    """Read a CSV/Excel/Parquet export, rename its columns and validate them.

    `mapping` maps *your* column names to ours: `{"uid": "user_id", "ts": "event_time"}`.
    `table` is a canonical table name ("orders") or "events" for the minimal event log;
    `required` overrides which columns must be present. With `invalid="raise"` any
    unparseable row stops the load with an error naming the column and showing up to
    5 rows; with `invalid="report"` the good rows come back with a report of the bad.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = p.write_text("uid,ts,action\\n1,2026-01-02 10:00:00,app_open\\n", encoding="gbk")
    >>> read_table(p, {"uid": "user_id", "ts": "event_time", "action": "event"},
    ...            table="events").dtypes["event_time"]
    dtype('<M8[us]')
    """
    path = Path(path)
    raw = _read_raw(path, encoding, sheet)
    if raw.empty:
        raise SchemaError(f"{path.name} has a header but no rows; export the data again "
                          "or check the filter you exported with")
    raw = _apply_mapping(raw, mapping or {}, path.name)
    spec = _resolve_table(table, raw)
    if required is not None:
        spec = Table(spec.name, spec.chinese, spec.grain, spec.columns,
                     optional=tuple(c for c in spec.names if c not in required))
    result = _coerce(raw, spec, source=path.name, invalid=invalid)
    return result if invalid == "report" else result.data


def validate(df: pd.DataFrame, table: str | Table) -> Loaded:
    """Check an in-memory frame against a table; returns good rows and a problem report."""
    spec = _resolve_table(table, df)
    as_text = df.astype(object).where(df.notna(), None)
    return _coerce(as_text, spec, source="DataFrame", invalid="report")


def _read_raw(path: Path, encoding: str | None, sheet) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; check the path (relative paths "
                                f"start in {Path.cwd()})")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path, sheet_name=sheet, dtype=str)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise SchemaError(f"{path.name}: unsupported file type {suffix!r}; use CSV, Excel "
                          "(.xlsx) or Parquet")
    data = path.read_bytes()
    if not data.strip():
        raise SchemaError(f"{path.name} is empty (0 rows, no header)")
    text = None
    for enc in ([encoding] if encoding else ENCODINGS):
        try:
            text = data.decode(enc)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        tried = encoding or " / ".join(ENCODINGS)
        raise SchemaError(f"{path.name} cannot be decoded as {tried}; save it as UTF-8 "
                          "(Excel: 另存为 → CSV UTF-8) or pass encoding=...")
    from io import StringIO

    sep = "\t" if suffix == ".tsv" else _delimiter(text)
    return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                       na_values=["", "NA", "NULL", "null", "None", "nan"])


def _delimiter(text: str) -> str:
    """The header line's delimiter (comma, semicolon, tab or |), so the fast C parser runs."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _apply_mapping(raw: pd.DataFrame, mapping: dict[str, str], source: str) -> pd.DataFrame:
    raw = raw.rename(columns=lambda c: str(c).strip())
    missing = [k for k in mapping if k not in raw.columns]
    if missing:
        raise SchemaError(f"{source}: the mapping names column(s) {missing} but the file has "
                          f"none such; its columns are {list(raw.columns)}")
    targets = list(mapping.values())
    dup = {t for t in targets if targets.count(t) > 1}
    if dup:
        raise SchemaError(f"mapping sends several columns to {sorted(dup)}; map one each")
    return raw.rename(columns=mapping)


def _resolve_table(table, df: pd.DataFrame) -> Table:
    if isinstance(table, Table):
        return table
    if table is None or table == "events":
        if table is None and not set(EVENT_SCHEMA.required) <= set(df.columns):
            matches = [t for t in TABLES.values() if set(t.required) <= set(df.columns)]
            if matches:
                return matches[0]
        return TABLES["events"]
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    return TABLES[table]


def _coerce(raw: pd.DataFrame, spec: Table, source: str, invalid: str) -> Loaded:
    missing = [c for c in spec.required if c not in raw.columns]
    if missing:
        lines = []
        for c in missing:
            close = difflib.get_close_matches(c, [str(x) for x in raw.columns], n=1, cutoff=0.5)
            guess = close[0] if close else "<your column>"
            lines.append(f"  - '{c}' ({spec.column(c).chinese}): map it with "
                         f"mapping={{'{guess}': '{c}'}} (CLI: --map {c}={guess})")
        raise SchemaError(f"{source} is missing required column(s) for table "
                          f"'{spec.name}':\n" + "\n".join(lines) +
                          f"\nColumns found: {list(raw.columns)}")
    out, bad = {}, []
    row_no = np.arange(len(raw)) + 2   # file line numbers: header is line 1
    for col in spec.columns:
        if col.name not in raw.columns:
            continue
        values, problems = _parse(raw[col.name], col)
        out[col.name] = values
        for problem, mask in problems.items():
            if mask.any():
                bad.append((col.name, problem, mask))
    extra = [c for c in raw.columns if c not in out]
    for c in extra:   # keep the user's other columns untouched
        out[c] = raw[c]
    data = pd.DataFrame(out, index=raw.index)
    report_rows, any_bad = [], np.zeros(len(raw), bool)
    for name, problem, mask in bad:
        m = np.asarray(mask)
        any_bad |= m
        ex = [f"line {n}: {v!r}" for n, v in zip(row_no[m][:MAX_EXAMPLES],
                                                 raw[name].to_numpy()[m][:MAX_EXAMPLES])]
        report_rows.append({"column": name, "problem": problem, "n_rows": int(m.sum()),
                            "examples": "; ".join(ex)})
    report = pd.DataFrame(report_rows, columns=["column", "problem", "n_rows", "examples"])
    if any_bad.any() and invalid == "raise":
        detail = "\n".join(f"  - {r.column}: {r.n_rows} row(s) {r.problem}, e.g. {r.examples}"
                           for r in report.itertuples())
        raise SchemaError(f"{source}: {int(any_bad.sum())} of {len(raw)} rows cannot be used "
                          f"as table '{spec.name}':\n{detail}\nFix them in the file, or call "
                          "read_table(..., invalid='report') to load the other rows and get "
                          "these back as a report.")
    return Loaded(data.loc[~any_bad].reset_index(drop=True), report)


def _parse(s: pd.Series, col) -> tuple[pd.Series, dict[str, pd.Series]]:
    """Parse one column by its kind; returns values and {problem: bad-row mask}."""
    present = s.notna() & s.astype(str).str.strip().ne("")
    problems: dict[str, pd.Series] = {}
    if not col.nullable:
        problems["are empty"] = ~present
    kind = col.kind
    if kind == "datetime" or kind == "date":
        if pd.api.types.is_datetime64_any_dtype(s):
            parsed = s
        else:
            text = s.astype(str).str.strip()
            parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
            retry = parsed.isna() & present
            if retry.any():
                parsed[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed")
        problems["have an unparseable date"] = parsed.isna() & present
        if kind == "date":
            parsed = parsed.dt.normalize()
        return parsed.astype("datetime64[us]"), problems
    if kind in ("int", "float", "money", "rate"):
        num = pd.to_numeric(s, errors="coerce")
        problems["are not numbers"] = num.isna() & present
        if kind == "money" and col.name != "revenue":
            problems["have a negative amount"] = num < 0
        if kind == "rate":
            problems["are outside 0–1 (rates are fractions; divide percents by 100)"] = \
                (num < 0) | (num > 1)
        if kind == "int":
            frac = num.notna() & (num % 1 != 0)
            problems["are not whole numbers"] = frac
            num = num.where(~frac)
            return _int_column(num), problems
        return num.astype(float), problems
    if kind == "id":
        num = pd.to_numeric(s, errors="coerce")
        if (num.notna() | ~present).all() and (num.dropna() % 1 == 0).all():
            return _int_column(num), problems
        return s.astype("str").str.strip(), problems
    if kind == "bool":
        text = s.astype(str).str.strip().str.lower()
        val = text.map(lambda x: True if x in TRUE else (False if x in FALSE else None))
        problems["are not true/false"] = val.isna() & present
        return val.astype("boolean"), problems
    return s.astype("str"), problems


def _int_column(num: pd.Series) -> pd.Series:
    """Plain int64 when complete (friendlier), nullable Int64 only when values are missing."""
    return num.astype("Int64") if num.isna().any() else num.astype("int64")


def load_word_list(packaged: str, path: str | Path | None = None) -> dict:
    """A JSON word list: the one shipped in the package (`packaged`), or your own file."""
    import json
    from importlib import resources

    if path is None:
        text = resources.files("opshelpers").joinpath(packaged).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return json.loads(text)


def pseudonymize(df: pd.DataFrame, columns: list[str], secret: str) -> pd.DataFrame:
    """Replace identifying columns (phone, WeChat id …) by keyed hashes before sharing.

    HMAC-SHA256 with your `secret`: the same person gets the same code in every table
    (joins still work), but without the secret nobody can test a guessed phone number.
    Missing values stay missing. Keep the secret out of the shared files.

    >>> df = pd.DataFrame({"phone": ["13800138000", None]})
    >>> pseudonymize(df, ["phone"], "k")["phone"].tolist()
    ['af8579fcbb489aca', nan]
    """
    import hmac

    if not secret:
        raise ValueError("pseudonymize needs a non-empty secret (a plain hash of a phone "
                         "number can be reversed by trying all numbers)")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"pseudonymize: no column(s) {missing}; columns: {list(df.columns)}")
    out = df.copy()
    key = secret.encode()
    for c in columns:
        out[c] = df[c].map(lambda v: np.nan if pd.isna(v) else hmac.new(
            key, str(v).encode(), hashlib.sha256).hexdigest()[:16])
    return out
