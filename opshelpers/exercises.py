"""Self-check for trainees: `check("q1_kol_march_signups", q1_kol_march_signups)`.

Every question's right answer is computed from the sample data when checked (never
stored as a literal), compared with a tolerance, and reported in one friendly line.
Feedback never reveals the expected value — it gives a hint instead — and an
unanswered question (`None` or `...`) is reported, never raised, so the trainee copies
of the notebooks run cleanly from top to bottom.

Taught in 00_start_here §How exercises work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from .io import load_sample


@dataclass(frozen=True)
class Question:
    qid: str
    lesson: str
    prompt: str
    solve: Callable[[], Any]          # computes the right answer from the sample
    kind: str = "number"              # number | text | set
    tolerance: float = 0.0            # absolute, for numbers
    hint: str = ""


def _kol_march_signups() -> int:
    u = load_sample("users")
    march = u["signup_time"].dt.month.eq(3)
    return int((march & u["channel"].eq("kol")).sum())


def _top_channel() -> str:
    return str(load_sample("users")["channel"].value_counts().idxmax())


def _buyer_share() -> float:
    return load_sample("orders")["user_id"].nunique() / len(load_sample("users"))


def _median_paid() -> float:
    return float(load_sample("orders")["paid"].median())


def _busiest_weekday() -> str:
    ev = load_sample("events")
    dau = ev.groupby(ev["event_time"].dt.normalize())["user_id"].nunique()
    return str(dau.groupby(dau.index.day_name()).mean().idxmax())


QUESTIONS: dict[str, Question] = {q.qid: q for q in [
    Question("q1_kol_march_signups", "00_start_here",
             "How many users signed up through the KOL channel in March 2026?",
             _kol_march_signups, "number", 0,
             "filter users on signup month == 3 and channel == 'kol', then count rows"),
    Question("q2_top_channel", "00_start_here",
             "Which acquisition channel brought the most users over the half-year?",
             _top_channel, "text", 0,
             "value_counts() on users.channel; answer with the channel's name as a string"),
    Question("q3_buyer_share", "00_start_here",
             "What share of registered users placed at least one order? (fraction 0–1)",
             _buyer_share, "number", 0.002,
             "distinct user_id in orders divided by the number of users; a fraction, not %"),
    Question("q4_median_paid", "00_start_here",
             "What is the median amount paid per order, in CNY?",
             _median_paid, "number", 0.5,
             "use the paid column (after discounts), and the median, not the mean"),
    Question("q5_busiest_weekday", "00_start_here",
             "On which day of the week is average DAU highest? (e.g. 'Monday')",
             _busiest_weekday, "text", 0,
             "DAU per date first (nunique users per day), then average by day_name()"),
]}


def _unanswered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _matches(q: Question, answer: Any) -> bool:
    expected = q.solve()
    if q.kind == "text":
        return str(answer).strip().lower() == str(expected).strip().lower()
    if q.kind == "set":
        return {str(a).lower() for a in answer} == {str(e).lower() for e in expected}
    if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
        answer = answer.squeeze()
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(value) and abs(value - float(expected)) <= q.tolerance + 1e-9)


def feedback(question_id: str, answer: Any) -> tuple[str, str]:
    """(status, message) for one answer; status is 'passed', 'not yet' or 'unanswered'."""
    if question_id not in QUESTIONS:
        raise KeyError(f"unknown question {question_id!r}; questions: {', '.join(QUESTIONS)}")
    q = QUESTIONS[question_id]
    if _unanswered(answer):
        return "unanswered", f"⏳ {question_id}: no answer yet — set {question_id} = ..."
    if _matches(q, answer):
        return "passed", f"✅ {question_id}: checks passed."
    return "not yet", f"❌ {question_id}: not yet. Hint: {q.hint}."


def check(question_id: str, answer: Any) -> None:
    """Print friendly feedback on one answer (never raises for a missing answer)."""
    print(feedback(question_id, answer)[1])


def check_all(namespace: dict, lesson: str) -> None:
    """Check every question of a lesson against the variables in `namespace` (globals())."""
    results = [feedback(q.qid, namespace.get(q.qid)) for q in QUESTIONS.values()
               if q.lesson == lesson]
    if not results:
        raise KeyError(f"no questions for lesson {lesson!r}")
    for _, message in results:
        print(message)
    passed = sum(status == "passed" for status, _ in results)
    print(f"{passed} of {len(results)} checks passed.")
