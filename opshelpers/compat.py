"""Old spellings of the API, kept one release with a warning that names the new one.

`docs/vocabulary.md` is the vocabulary every public function follows. When a name
changed, the old keyword (and, where the order changed, the old positional order)
still works through `renamed`, and a `FutureWarning` in the user's language says how
to write the call today.

>>> import warnings
>>> @renamed(window_days=("window", days_as_duration))
... def follow(window: str = "7D") -> str:
...     return window
>>> with warnings.catch_warnings(record=True) as seen:
...     warnings.simplefilter("always")
...     follow(window_days=14), str(seen[0].message)
('14D', "follow(window_days=14) 的写法已弃用，请改为 follow(window='14D')")
"""

from __future__ import annotations

import functools
import inspect
import sys
import warnings
from pathlib import Path
from typing import Callable

from .i18n import t

PACKAGE = str(Path(__file__).resolve().parent)

__all__ = ["renamed", "days_as_duration", "minutes_as_duration", "warn_deprecated",
           "bare_number"]


def days_as_duration(days) -> str:
    """An old whole-day count as a duration string: 7 → '7D'.

    >>> days_as_duration(30)
    '30D'
    """
    return f"{int(days)}D"


def minutes_as_duration(minutes) -> str:
    """An old minute count as a duration string: 30 → '30min'."""
    return f"{int(minutes)}min"


def bare_number(value, caller: str, name: str, unit: str):
    """An old unitless count (7) as the duration it meant ('7D'), with a warning;
    anything else unchanged (checked later by `arrays.duration`).

    >>> bare_number("7D", "funnel_sql", "window", "D")
    '7D'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        warn_deprecated(f"{caller}({name}={value})", f"{caller}({name}='{value}{unit}')")
        return f"{value}{unit}"
    return value


def warn_deprecated(old: str, new: str) -> None:
    """One FutureWarning: `old` is deprecated, write `new` (in the user's language),
    pointing at the user's line: the first caller outside this package."""
    warnings.warn(t("compat.renamed", old=old, new=new), FutureWarning,
                  stacklevel=_first_outside_package())


def _first_outside_package() -> int:
    """The stack level (for warnings.warn) of the first frame not in opshelpers."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def renamed(old_order: tuple[str, ...] | None = None,
            **old_names: str | tuple[str, Callable]) -> Callable:
    """Accept the old keyword names (`old="new"` or `old=("new", convert)`) and, with
    `old_order`, the old order of the arguments after the first, warning once per call.

    Positional arguments beyond the ones the new signature takes positionally are
    read in `old_order` (the parameters' old order after the first argument).
    """
    def wrap(func: Callable) -> Callable:
        sig = inspect.signature(func)
        positional = [p.name for p in sig.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        name = func.__name__

        @functools.wraps(func)
        def call(*args, **kwargs):
            old_spelling, new_spelling, dots = [], [], ""
            if old_order is not None and len(args) > len(positional):
                dots = "…, "
                head, rest = args[:1], args[1:]
                moved = dict(zip(old_order, rest))
                old_spelling += [repr(v) for v in rest]
                new_spelling += [f"{k}={v!r}" for k, v in moved.items()]
                clash = set(moved) & set(kwargs)
                if clash:
                    raise TypeError(f"{name}() got {sorted(clash)} twice")
                args, kwargs = head, {**moved, **kwargs}
            for old, spec in old_names.items():
                if old not in kwargs:
                    continue
                new, convert = (spec, None) if isinstance(spec, str) else spec
                if new in kwargs:
                    raise TypeError(f"{name}() got both {old}= (deprecated) and {new}=; "
                                    f"keep {new}=")
                value = kwargs.pop(old)
                kwargs[new] = convert(value) if convert else value
                old_spelling.append(f"{old}={value!r}")
                new_spelling.append(f"{new}={kwargs[new]!r}")
            if old_spelling:
                warn_deprecated(f"{name}({dots}{', '.join(old_spelling)})",
                                f"{name}({dots}{', '.join(new_spelling)})")
            return func(*args, **kwargs)

        return call
    return wrap
