"""Data-quality signals shared by the loaders and the analysis helpers.

A helper that joins two tables never drops rows without saying so: the result carries
the count in `result.attrs["unmatched_rows"]` ({table: rows}), and when more than 1 % of
a table's rows find no partner one `DataQualityWarning` says how many. Ids of two
tables must be of one kind (both integers or both text) before they are compared.

>>> import pandas as pd
>>> from opshelpers import i18n
>>> before = i18n.language()
>>> def refusal(lang):
...     _ = i18n.set_language(lang)
...     try:
...         same_id_kind(pd.Series([1, 2]), pd.Series(["007"]), "users", "events")
...     except ValueError as err:
...         return str(err)
>>> print(refusal("zh").split("；")[0])
users.user_id 的 ID 是整数，而 events.user_id 的 ID 是文本（例如 '007'）
>>> print(refusal("en").split(";")[0])
users.user_id holds integer ids but events.user_id holds text ids (e.g. '007')
>>> _ = i18n.set_language(before)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .i18n import t

__all__ = ["DataQualityWarning", "SchemaError", "same_id_kind", "unmatched_rows",
           "note_unmatched",
           "note_excluded", "UNMATCHED_WARN_SHARE"]

UNMATCHED_WARN_SHARE = 0.01   # warn when more than 1 % of a table's rows find no partner


class DataQualityWarning(UserWarning):
    """Rows were left out of a result (unmatched ids, excluded users, a date window)."""


class SchemaError(KeyError, ValueError):
    """A file or frame does not fit the table it should be (a missing column, a column
    that cannot be read): names the column and the fix. The one error for a missing
    column everywhere; it is a KeyError and a ValueError, so either `except` catches it."""

    def __str__(self) -> str:            # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def _id_kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "integer"
    if pd.api.types.is_float_dtype(s):
        return "integer" if bool(np.all(np.mod(s.dropna(), 1) == 0)) else "decimal"
    return "text"


def same_id_kind(left: pd.Series, right: pd.Series, left_table: str, right_table: str,
                 column: str = "user_id") -> None:
    """Refuse to join integer ids with text ids: nothing would match, silently.

    `read_table` keeps ids as integers only when every value is a plain integer, so
    `007` in one export and `7` in another are different users until you decide
    otherwise. The message says how to align them.
    """
    a, b = _id_kind(left), _id_kind(right)
    if a == b or left.empty or right.empty:
        return
    example = right.dropna().iloc[0] if b == "text" else left.dropna().iloc[0]
    raise ValueError(t("quality.id_kinds", left_table=left_table, right_table=right_table,
                       column=column, a=t(f"quality.kind.{a}"), b=t(f"quality.kind.{b}"),
                       example=example))


def unmatched_rows(keys: pd.Series, values: pd.Series, key_table: str, value_table: str,
                   column: str = "user_id") -> int:
    """How many of `values` (e.g. events.user_id) are not among `keys` (users.user_id).

    >>> unmatched_rows(pd.Series([1, 2]), pd.Series([1, 1, 3]), "users", "events")
    1
    """
    same_id_kind(keys, values, key_table, value_table, column)
    return int((~values.isin(keys)).sum())


def note_unmatched(result: pd.DataFrame, table: str, unmatched: int, total: int,
                   what: str) -> pd.DataFrame:
    """Record on `result` how many of `table`'s rows found no partner; warn above 1 %.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     r = note_unmatched(pd.DataFrame(), "events", 5, 100, "retention")
    >>> r.attrs["unmatched_rows"], w[0].category.__name__
    ({'events': 5}, 'DataQualityWarning')
    """
    counts = dict(result.attrs.get("unmatched_rows", {}))
    counts[table] = counts.get(table, 0) + int(unmatched)
    result.attrs["unmatched_rows"] = counts
    if total and unmatched / total > UNMATCHED_WARN_SHARE:
        warnings.warn(t("quality.unmatched", what=what, unmatched=unmatched, total=total,
                        table=table, share=unmatched / total),
                      DataQualityWarning, stacklevel=3)
    return result


def note_excluded(result: pd.DataFrame, key: str, count: int, message: str) -> pd.DataFrame:
    """Record `count` under `result.attrs[key]` and warn with `message` if it is not 0."""
    result.attrs[key] = int(count)
    if count:
        warnings.warn(message, DataQualityWarning, stacklevel=3)
    return result
