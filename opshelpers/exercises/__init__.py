"""Self-check for trainees: `ops.check("q1_kol_march_signups", q1_kol_march_signups)`.

Each question is defined beside its solver, one module per lesson (`q00_start_here`, …):

    @question("q3_buyer_share", "00_start_here", rate=True, tolerance=0.002,
              prompt=Text(zh=…, en=…), hint=Text(zh=…, en=…))
    def buyer_share(data):
        return data["orders"]["user_id"].nunique() / len(data["users"])

    @buyer_share.mistake(Text(zh="分母用了下单用户…", en="the denominator is …"))
    def buyers_over_buyers(data): …

The right answer is computed from the data when checked (never stored), the answer is
read as a plain value and scored by `opshelpers.answers` (the scorer `assess` grades
with), and a wrong answer is compared with the question's declared mistakes so the
message can name the mistake. No message shows the expected value. An unanswered
question (`None` or `...`) is reported, never raised, so trainee editions run cleanly.

Taught in 00_start_here §How exercises work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..answers import Spec, score, unanswered
from ..i18n import Text, language, t
from ..scenario import Scenario


class Data(Mapping):
    """The tables a solver reads (`data["users"]`), loaded on first use, and the scenario
    (`data.scenario`) whose dates and ids the questions name."""

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None,
                 scenario: Scenario | None = None,
                 loader: Callable[[str], pd.DataFrame] | None = None):
        from ..io import load_sample

        self._tables = dict(tables or {})
        self._loader = loader or load_sample
        self.scenario = scenario or Scenario()
        self._answers: dict[tuple[str, str], Any] = {}

    def value(self, q: "Question", mistake: str | None = None) -> Any:
        """What question `q` (or one of its declared mistakes) gives on these tables,
        computed once per Data (the tables are read, never changed)."""
        key = (q.qid, mistake or "")
        if key not in self._answers:
            fn = q.solve if mistake is None else q.mistakes[mistake][1]
            self._answers[key] = fn(self)
        return self._answers[key]

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = self._loader(name)
        return self._tables[name]

    def __iter__(self):
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


@dataclass
class Question:
    qid: str
    lesson: str
    spec: Spec
    prompt: Text
    hint: Text
    solve: Callable[[Data], Any]
    mistakes: dict[str, tuple[Text, Callable[[Data], Any]]] = field(default_factory=dict)
    rubric: tuple[Text, ...] = ()
    selfcheck: tuple[Text, ...] = ()

    def mistake(self, why: Text):
        """Declare a common mistake: the decorated function computes the value it gives
        from the same data, and `why` is what the trainee is told when they make it."""
        def register(fn: Callable[[Data], Any]):
            if fn.__name__ in self.mistakes:
                raise ValueError(f"{self.qid}: mistake {fn.__name__!r} declared twice")
            self.mistakes[fn.__name__] = (why, fn)
            return fn
        return register

    def text(self, part: str, lang: str | None = None,
             scenario: Scenario | None = None) -> str:
        """The question's prompt or hint in `lang`, dates and ids filled from the scenario."""
        return getattr(self, part).get(lang, s=scenario or Scenario())


QUESTIONS: dict[str, Question] = {}


def question(qid: str, lesson: str, *, prompt: Text, hint: Text, kind: str = "number",
             tolerance: float = 0.0, rate: bool = False, signed: bool = False,
             choices: tuple[str, ...] = (), rubric: tuple[Text, ...] = (),
             selfcheck: tuple[Text, ...] = ()):
    """Register the decorated solver as question `qid` of `lesson`; returns the Question."""
    def register(solve: Callable[[Data], Any]) -> Question:
        if qid in QUESTIONS:
            raise ValueError(f"question {qid!r} is defined twice")
        q = Question(qid, lesson, Spec(kind, tolerance, rate, signed, tuple(choices)),
                     prompt, hint, solve, rubric=tuple(rubric), selfcheck=tuple(selfcheck))
        QUESTIONS[qid] = q
        return q
    return register


_STATUS = {"check.passed": "passed", "check.unanswered": "unanswered",
           "check.open_question": "open"}


def feedback(question_id: str, answer: Any, lang: str | None = None,
             data: Data | None = None) -> tuple[str, str]:
    """(status, message) for one answer; status is passed, not yet, unanswered or open."""
    lang = language(lang)
    if question_id not in QUESTIONS:
        raise KeyError(t("check.unknown", lang, qid=question_id, known=", ".join(QUESTIONS)))
    q = QUESTIONS[question_id]
    data = data or Data()
    expected = None if q.spec.kind == "open" or unanswered(answer) else data.value(q)
    verdict = score(q.spec, expected, answer)
    if verdict.message == "check.not_yet" and q.mistakes:    # which mistake, if any
        wrong = {name: data.value(q, name) for name in q.mistakes}
        verdict = score(q.spec, expected, answer, wrong)
    status = _STATUS.get(verdict.message, "not yet")
    if verdict.mistake in q.mistakes:
        why = q.mistakes[verdict.mistake][0].get(lang, s=data.scenario)
    elif verdict.mistake:
        why = t(f"check.common.{verdict.mistake}", lang)
    elif verdict.message == "check.not_yet":
        return status, t("check.not_yet", lang, qid=question_id,
                         hint=q.hint.get(lang, s=data.scenario))
    elif verdict.message.startswith("check.shape."):
        why = t(verdict.message, lang, **verdict.fields)
    else:
        return status, t(verdict.message, lang, qid=question_id)
    return status, t("check.mistake", lang, qid=question_id, why=why)


def check(question_id: str, answer: Any, lang: str | None = None) -> None:
    """Print friendly feedback on one answer (never raises for a missing answer)."""
    print(feedback(question_id, answer, lang)[1])


def check_all(namespace: Mapping, lesson: str, lang: str | None = None) -> None:
    """Check every question of a lesson against the variables in `namespace` (globals())."""
    lang = language(lang)
    data = Data()
    results = [feedback(q.qid, namespace.get(q.qid), lang, data)
               for q in QUESTIONS.values() if q.lesson == lesson]
    if not results:
        raise KeyError(t("check.no_lesson", lang, lesson=lesson))
    graded = [status for status, _ in results if status != "open"]
    summary = t("check.summary", lang, passed=graded.count("passed"), total=len(graded))
    print("\n".join([message for _, message in results] + [summary]))   # one write


# importing a lesson's module registers its questions
from . import (q00_start_here, q01_traffic, q02_users, q03_community,  # noqa: E402,F401
               q03b_members_voice, q04_content, q05_activity, q06_data,
               q07_capstone_weekly_review)
