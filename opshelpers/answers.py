"""The answer model: how a trainee's or a candidate's answer is read and scored.

One scorer for `ops.check()` (trainees) and `assess` (hiring). An answer is first turned
into a plain Python value — `float`, `str` or `pandas.Timestamp` — from built-in, numpy
or pandas scalars only, so no object can observe or fake the comparison; a table, a
Series or an object of another type gets a message of its own. Then it is compared with
the expected value (numbers and dates with a tolerance, text case- and space-blind,
choices against the options) and, when wrong, with the question's declared mistakes so
the message can say which mistake it looks like — never the expected value.

>>> spec = Spec("number", tolerance=0.001, rate=True)
>>> score(spec, 0.178, 17.8).mistake
'percent'
>>> score(spec, 0.178, 0.1781).credit
1.0
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

KINDS = ("number", "text", "date", "choice", "open")


@dataclass(frozen=True)
class Spec:
    """What an answer must look like: its kind and how close counts.

    tolerance: absolute for numbers, in days for dates. rate: the answer is a fraction
    0–1 (a percentage is then a recognised mistake). signed: a change whose sign matters.
    choices: the options of a choice question.
    """

    kind: str = "number"
    tolerance: float = 0.0
    rate: bool = False
    signed: bool = False
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown answer kind {self.kind!r}; use one of {KINDS}")
        if self.tolerance < 0:
            raise ValueError(f"tolerance must be ≥ 0, got {self.tolerance}")
        if self.kind == "choice" and not self.choices:
            raise ValueError("a choice question needs its choices")


@dataclass(frozen=True)
class Verdict:
    """credit 1 (within tolerance), 0.5 (within 3× — hiring's partial credit) or 0;
    `message` is a catalogue id and `fields` fill it; `mistake` names a declared one."""

    credit: float
    message: str
    fields: dict = field(default_factory=dict)
    mistake: str | None = None

    @property
    def passed(self) -> bool:
        return self.credit == 1.0


class ShapeError(ValueError):
    """The answer is not a plain value of the kind due; `.message` is a catalogue id."""

    def __init__(self, message: str, **fields):
        super().__init__(message)
        self.message, self.fields = message, fields


def unanswered(answer: Any) -> bool:
    """`None` and `...` mean "not answered yet" (the trainee copies' placeholders)."""
    return answer is None or answer is Ellipsis


_NUMBER_TYPES = (int, float, np.integer, np.floating)


def plain(answer: Any, kind: str) -> float | str | pd.Timestamp:
    """The answer as a plain value of `kind`, or `ShapeError` saying what is wrong.

    >>> plain(np.int64(3), "number"), plain(" KOL ", "text")
    (3.0, 'kol')
    >>> try:
    ...     plain(pd.Series([1, 2]), "number")
    ... except ShapeError as e:
    ...     e.message, e.fields
    ('check.shape.series', {'n': 2})
    """
    if isinstance(answer, pd.DataFrame):
        raise ShapeError("check.shape.table")
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple, set, dict)):
        raise ShapeError("check.shape.series", n=int(np.size(answer)))
    if kind == "number":
        if type(answer) is bool or isinstance(answer, np.bool_):
            raise ShapeError("check.shape.not_a_number", type="bool")
        if isinstance(answer, str):
            raise ShapeError("check.shape.not_a_number", type="str")
        if not _trusted(answer, _NUMBER_TYPES):
            raise ShapeError("check.shape.fake", type=type(answer).__name__)
        value = float(answer)
        if not math.isfinite(value):
            raise ShapeError("check.shape.not_finite")
        return value
    if kind in ("text", "choice"):
        if not _trusted(answer, (str, np.str_)):
            if _trusted(answer, _NUMBER_TYPES + (bool, np.bool_)):
                raise ShapeError("check.shape.not_text", type=type(answer).__name__)
            raise ShapeError("check.shape.fake", type=type(answer).__name__)
        return " ".join(str(answer).split()).lower()
    if kind == "date":
        if _trusted(answer, (str, np.str_)):
            text = str(answer).strip()
            try:     # ISO only: "03/04" is March or April depending on who reads it
                return pd.Timestamp(dt.date.fromisoformat(text[:10]))
            except ValueError:
                raise ShapeError("check.shape.not_date", given=text[:40]) from None
        if _trusted(answer, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
            value = pd.Timestamp(answer)
            if pd.isna(value):
                raise ShapeError("check.shape.not_date", given="NaT")
            return value.tz_localize(None).normalize() if value.tz else value.normalize()
        raise ShapeError("check.shape.fake", type=type(answer).__name__)
    raise ValueError(f"kind {kind!r} has no plain value")


def _trusted(answer: Any, types: tuple[type, ...]) -> bool:
    """Exactly one of `types` (numpy scalars by their own classes): no subclass can
    override equality, hashing or conversion to reach the comparison."""
    cls = type(answer)
    if cls in types:
        return True
    return cls.__module__ == "numpy" and issubclass(cls, types) and \
        isinstance(answer, numbers.Number | np.str_ | np.datetime64)


def _distance(kind: str, a, b) -> float:
    if kind == "number":
        return abs(a - b)
    if kind == "date":
        return abs((a - b).days)
    return 0.0 if a == b else math.inf


def score(spec: Spec, expected: Any, answer: Any,
          mistakes: dict[str, Any] | None = None) -> Verdict:
    """Score one answer against the expected value and the named wrong values.

    `mistakes` maps a mistake's name to the value it would give (computed from the
    same data); the common ones of the kind (a percentage for a rate, the wrong sign,
    rounding too early) are added here. The expected value never enters a message.

    >>> score(Spec("number", 0.5), 10.0, 10.4).credit, score(Spec("number", 0.5), 10.0, 11).credit
    (1.0, 0.5)
    >>> score(Spec("number", 0), 12.0, 9, {"only_march": 9}).mistake
    'only_march'
    >>> score(Spec("text"), "kol", ["kol"]).message
    'check.shape.series'
    """
    if spec.kind == "open":
        return Verdict(0.0, "check.open_question")
    if unanswered(answer):
        return Verdict(0.0, "check.unanswered")
    kind = "text" if spec.kind == "choice" else spec.kind
    try:
        given = plain(answer, kind)
    except ShapeError as e:
        return Verdict(0.0, e.message, e.fields)
    want = plain(expected, kind)
    if spec.kind == "choice" and given not in {plain(c, "text") for c in spec.choices}:
        return Verdict(0.0, "check.shape.not_choice", {"choices": ", ".join(spec.choices)})
    tol = spec.tolerance + (1e-9 if kind == "number" else 0)
    off = _distance(kind, given, want)
    if off <= tol:
        return Verdict(1.0, "check.passed")
    for name, value, near in _candidates(spec, want, mistakes or {}, tol):
        if _distance(kind, given, value) <= near and _distance(kind, value, want) > tol:
            return Verdict(0.0, "check.mistake", mistake=name)
    credit = 0.5 if kind != "text" and spec.tolerance > 0 and off <= 3 * spec.tolerance else 0.0
    return Verdict(credit, "check.not_yet")


def _candidates(spec: Spec, want, declared: dict[str, Any], tol: float):
    """(name, wrong value, how near counts) for each mistake worth naming."""
    kind = "text" if spec.kind == "choice" else spec.kind
    for name, value in declared.items():
        yield name, plain(value, kind), tol
    if kind != "number":
        return
    if spec.rate:
        yield "percent", want * 100, tol * 100      # 17.8 for 0.178: the same precision
    if spec.signed and want != 0:
        yield "sign", -want, tol
    for digits in range(0, 4):
        yield "rounded", round(want, digits), 1e-9
