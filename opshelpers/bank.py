"""Question banks for hiring exercises: what a question is, and how a bank is loaded.

A bank is a Python file (or a folder of them) that the hiring manager keeps private: it
holds the solvers, so it never goes to candidates and is never mounted into the grading
sandbox. Each file defines `EXERCISES`, a list of `Exercise`. The package ships one
public demo bank (`DEMO`) to try the flow; its solvers are readable by anyone who
installs opshelpers, so it is not for real hiring. docs/question_bank.md is the guide.

>>> q = Question("q1_uv", {"zh": "独立访客数？", "en": "Unique visitors?"},
...              lambda t: int(t["visits"]["visitor_id"].nunique()), Spec("number"))
>>> q.text("en"), clear_winner(pd.Series({"kol": 9.0, "seo": 2.0}), margin=5)
('Unique visitors?', 'kol')
>>> clear_winner(pd.Series({"kol": 9.0, "seo": 6.0}), margin=5).reason
'kol leads seo by 3, not more than 5'
"""

from __future__ import annotations

import importlib.util
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .answers import Spec

__all__ = ["Question", "OpenQuestion", "Exercise", "NotPosed", "clear_winner", "load",
           "DEMO", "Spec"]

DEMO = Path(__file__).resolve().parent / "banks" / "demo.py"
_loaded = itertools.count()


def _text(texts: dict[str, str] | str, lang: str) -> str:
    return texts if isinstance(texts, str) else texts.get(lang) or texts["en"]


@dataclass(frozen=True)
class NotPosed:
    """A solver's answer when the candidate's data does not settle the question (no
    clear winner, too few rows): the question is left out for that candidate."""

    reason: str


@dataclass(frozen=True)
class Question:
    """An auto-graded question. `solve(tables)` computes the expected answer from the
    candidate's own tables (a dict of DataFrames) or returns `NotPosed`."""

    qid: str
    prompt: dict[str, str]
    solve: Callable[[dict[str, pd.DataFrame]], Any]
    spec: Spec = field(default_factory=Spec)
    points: float = 1.0

    def text(self, lang: str) -> str:
        return _text(self.prompt, lang)


@dataclass(frozen=True)
class OpenQuestion:
    """A question the manager marks by hand against `rubric`, out of `points`."""

    qid: str
    prompt: dict[str, str]
    rubric: dict[str, str]
    points: float = 2.0

    def text(self, lang: str) -> str:
        return _text(self.prompt, lang)

    def rubric_text(self, lang: str) -> str:
        return _text(self.rubric, lang)


@dataclass(frozen=True)
class Exercise:
    """One hiring exercise: its tables, questions and open questions, the size of each
    candidate's dataset and the time the candidate is given."""

    name: str
    title: dict[str, str]
    level: str
    tables: tuple[str, ...]
    questions: tuple[Question, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    n_users: int = 4000
    minutes: int = 90
    public: bool = False

    def __post_init__(self):
        ids = [q.qid for q in self.questions] + [q.qid for q in self.open_questions]
        bad = [i for i in ids if not i.isidentifier()]
        if bad or len(set(ids)) != len(ids):
            raise ValueError(f"exercise {self.name!r}: question ids must be distinct Python "
                             f"names (bad or repeated: {bad or sorted(ids)})")

    def title_text(self, lang: str) -> str:
        return _text(self.title, lang)


def clear_winner(strength: pd.Series, margin: float) -> str | NotPosed:
    """The index of the largest value when it beats the runner-up by more than
    `margin`, else `NotPosed` saying by how much it leads."""
    ranked = strength.dropna().sort_values(ascending=False)
    if ranked.empty:
        return NotPosed("no option has a value")
    if len(ranked) > 1 and ranked.iloc[0] - ranked.iloc[1] <= margin:
        return NotPosed(f"{ranked.index[0]} leads {ranked.index[1]} by "
                        f"{ranked.iloc[0] - ranked.iloc[1]:.6g}, not more than {margin:g}")
    return str(ranked.index[0])


def load(path: str | Path | None = None) -> dict[str, Exercise]:
    """The exercises of a bank file, or of every `*.py` in a bank folder (None: the
    public demo bank). A bank file defines `EXERCISES = [Exercise(...), ...]`."""
    path = Path(path) if path is not None else DEMO
    if not path.exists():
        raise FileNotFoundError(f"no question bank at {path}: pass --bank FILE_OR_FOLDER")
    files = sorted(path.glob("*.py")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"the bank folder {path} has no .py files")
    exercises: dict[str, Exercise] = {}
    for file in files:
        spec = importlib.util.spec_from_file_location(f"_opslab_bank_{next(_loaded)}", file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found = getattr(module, "EXERCISES", None)
        if not isinstance(found, (list, tuple)) or not all(isinstance(e, Exercise)
                                                           for e in found):
            raise ValueError(f"{file} must define EXERCISES = [Exercise(...), ...]")
        for ex in found:
            if ex.name in exercises:
                raise ValueError(f"exercise {ex.name!r} is defined twice (again in {file})")
            exercises[ex.name] = ex
    return exercises
