"""Hiring exercises: per-candidate data, notebooks without answers, sandboxed grading.

    opshelpers assess secret   --out key.txt
    opshelpers assess new      --exercise growth_analyst --candidate c042 --secret key.txt --out out/
    opshelpers assess solution --exercise growth_analyst --candidate c042 --secret key.txt --out out/
    opshelpers assess grade    submission.ipynb --candidate c042 --secret key.txt --out reports/
    opshelpers assess batch    submissions/ --exercise growth_analyst --secret key.txt --out scores.csv -j 2

Add `--bank my_bank.py` for a private question bank (without it: the public demo bank).

Each candidate's data comes from `synth.generate` with a seed and scenario variations
derived from HMAC-SHA256(secret, exercise:candidate): different numbers, dates, the
channel that breaks and the experiment whose split is off, so answers cannot be shared.
The expected answers are computed by the bank's solvers from that data, in the grading
process, before the candidate's code runs in the sandbox (`opshelpers.sandbox`); only the
candidate's plain answer values come back out, and they are scored by `answers.score`,
the scorer of the trainee checks. The notebook carries a fingerprint (scrypt of the
secret, so it cannot be used to guess the secret offline) that shows it is this
candidate's exercise.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd

from . import answers, bank as banks, sandbox, synth
from .bank import Exercise, NotPosed
from .i18n import language, t
from .render import page
from .scenario import Scenario

__all__ = ["derive", "new_secret", "new_package", "solution_package", "expected_answers",
           "grade", "grade_batch", "MIN_SECRET_BYTES"]

MIN_SECRET_BYTES = 16
MAX_SUBMISSION_MB = 20
DROP_CHANNELS = ("xiaohongshu", "seo", "kol", "sem")
SPLIT_TESTS = ("checkout_button", "coupon_banner")


# ------------------------------------------------------------------ ids, secret, derivation
def _read_secret(secret: str | bytes | Path) -> bytes:
    if isinstance(secret, Path) or (isinstance(secret, str) and Path(secret).is_file()):
        data = Path(secret).read_bytes().strip()
    else:
        data = secret.encode() if isinstance(secret, str) else bytes(secret)
    if len(data) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes; make a random "
                         "one with: opshelpers assess secret --out key.txt")
    return data


def _check_candidate(candidate: str) -> None:
    if not candidate or len(candidate) > 64 or not all(
            c.isascii() and (c.isalnum() or c in "-_") for c in candidate):
        raise ValueError(f"candidate id {candidate!r} must be 1–64 letters, digits, - or _")


def _exercise(exercises: dict[str, Exercise], name: str | None) -> Exercise:
    if name not in exercises:
        raise KeyError(f"unknown exercise {name!r}; choose one of {', '.join(exercises)}")
    return exercises[name]


def derive(secret, exercise: str, candidate: str,
           scenario: Scenario | None = None) -> tuple[int, Scenario, str]:
    """(seed, scenario, fingerprint) for one candidate: seed and scenario variations from
    HMAC(secret, exercise:candidate), the fingerprint from scrypt(secret, …).

    >>> s1, _, f1 = derive("0123456789abcdef", "junior_ops", "c1")
    >>> s2, _, f2 = derive("0123456789abcdef", "junior_ops", "c2")
    >>> s1 != s2 and f1 != f2 and len(f1) == 32
    True
    """
    _check_candidate(candidate)
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", exercise or ""):
        raise KeyError(f"unknown exercise {exercise!r}")
    key = _read_secret(secret)
    digest = hmac.new(key, f"{exercise}:{candidate}".encode(), hashlib.sha256).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    seed = int.from_bytes(digest[8:16], "little") % (2 ** 31)
    base = scenario or Scenario()
    start, end = pd.Timestamp(base.start), pd.Timestamp(base.end)
    span = (end - start).days
    # the break lands in the middle half-year's third: weeks of data before and after it
    drop_day = start + pd.Timedelta(days=int(rng.integers(span * 0.45, span * 0.65)))
    split = rng.choice(SPLIT_TESTS + ("none",))
    off_share = float(rng.uniform(0.40, 0.44))
    ab_share = off_share if split == "checkout_button" else 0.5
    srm_share = off_share if split == "coupon_banner" else 0.5
    varied = base.with_changes(
        traffic={"drop_channel": str(rng.choice(DROP_CHANNELS)),
                 "xhs_drop_date": str(drop_day.date()),
                 "xhs_cvr_after": float(rng.uniform(0.025, 0.045)),
                 "landing_page_b_lift": float(rng.uniform(1.15, 1.35))},
        users={"k_factor": float(rng.uniform(0.22, 0.36))},
        content={"number_title_ctr_lift": float(rng.uniform(1.2, 1.45))},
        activity={"ab_share_b": ab_share, "srm_share_b": srm_share})
    # the fingerprint is shown to the candidate: a slow KDF makes guessing a human-chosen
    # secret from it offline impractical (each guess costs ~0.1 s and 16 MiB)
    fingerprint = hashlib.scrypt(key, salt=f"opslab-fingerprint:{exercise}:{candidate}".encode(),
                                 n=2 ** 14, r=8, p=1, dklen=16).hex()
    return seed, varied, fingerprint


def new_secret(path: str | Path) -> Path:
    """Write a new random 32-byte secret (hex) to `path`, readable by its owner only;
    an existing file is never overwritten."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def _tables(secret, ex: Exercise, candidate: str) -> dict[str, pd.DataFrame]:
    seed, scenario, _ = derive(secret, ex.name, candidate)
    tables, _ = synth.generate(scenario, seed=seed, n_users=ex.n_users)
    return {n: tables[n] for n in ex.tables}


def expected_answers(secret, exercise: str, candidate: str, bank=None,
                     tables: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """Each question's expected answer for this candidate (a plain value), or `NotPosed`
    when the candidate's data does not settle it."""
    ex = _exercise(banks.load(bank), exercise)
    tables = tables if tables is not None else _tables(secret, ex, candidate)
    out = {}
    for q in ex.questions:
        value = q.solve(tables)
        out[q.qid] = value if isinstance(value, NotPosed) else _plain(value)
    return out


def _plain(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return str(v.date())
    return v


# ------------------------------------------------------------------ packages
def _notebook(ex: Exercise, candidate: str, fingerprint: str, expected: dict[str, Any],
              lang: str, filled: bool) -> nbformat.NotebookNode:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell(t("assess.notebook.intro", lang, title=ex.title_text(lang),
                                 candidate=candidate, tables=", ".join(ex.tables),
                                 minutes=ex.minutes))]
    load = "\n".join(f'{n} = pd.read_csv("data/{n}.csv", parse_dates={_dates(n)})'
                     for n in ex.tables)
    cells.append(new_code_cell("import numpy as np\nimport pandas as pd\n\n" + load))
    posed = [q for q in ex.questions if not isinstance(expected[q.qid], NotPosed)]
    for n, q in enumerate(posed, 1):
        cells.append(new_markdown_cell(t("assess.notebook.question", lang, n=n,
                                         prompt=q.text(lang))))
        value = repr(expected[q.qid]) if filled else "None"
        cell = new_code_cell(f"{t('assess.notebook.working', lang)}\n{q.qid} = {value}")
        cell.metadata["opslab"] = {"question": q.qid}
        cells.append(cell)
    for n, q in enumerate(ex.open_questions, 1):
        cells.append(new_markdown_cell(t("assess.notebook.open_question", lang, n=n,
                                         prompt=q.text(lang))))
        cell = new_markdown_cell(t("assess.notebook.open_answer", lang))
        cell.metadata["opslab"] = {"answer": q.qid}
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["opslab"] = {"exercise": ex.name, "candidate": candidate,
                             "fingerprint": fingerprint}
    return nb


def _dates(table: str) -> list[str]:
    from .schema import TABLES

    return [c.name for c in TABLES[table].columns if c.kind in ("datetime", "date")]


def new_package(exercise: str, candidate: str, secret, out: str | Path, bank=None,
                lang: str | None = None, answers: bool = False) -> Path:
    """Write `out/<exercise>_<candidate>/` with the notebook and the candidate's data
    (with `answers`: the manager's reference, every answer filled in, and the rubric)."""
    lang = language(lang)
    ex = _exercise(banks.load(bank), exercise)
    _, _, fingerprint = derive(secret, exercise, candidate)
    folder = Path(out) / (f"{exercise}_{candidate}" + ("_solution" if answers else ""))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    tables = _tables(secret, ex, candidate)
    for name, df in tables.items():
        df.to_csv(folder / "data" / f"{name}.csv", index=False)
    expected = expected_answers(secret, exercise, candidate, bank, tables)
    nbformat.write(_notebook(ex, candidate, fingerprint, expected, lang, answers),
                   folder / "exercise.ipynb")
    if answers:
        rubric = "\n".join(f"- **{q.text(lang)}** — {t('assess.report.rubric', lang)}: "
                           f"{q.rubric_text(lang)} ({q.points:g})" for q in ex.open_questions)
        (folder / "RUBRIC.md").write_text(f"# {ex.title_text(lang)}\n\n{rubric}\n",
                                          encoding="utf-8")
    return folder


def solution_package(exercise: str, candidate: str, secret, out, bank=None,
                     lang: str | None = None) -> Path:
    """The manager's reference: the notebook with every answer filled in, and the rubric."""
    return new_package(exercise, candidate, secret, out, bank, lang, answers=True)


# ------------------------------------------------------------------ reading answers back
class Unplain:
    """An answer that arrived as something other than a plain value (message id + fields)."""

    def __init__(self, message: str, **fields):
        self.message, self.fields = message, fields


def from_wire(text: str | None, names: list[str]) -> dict[str, Any]:
    """The sandbox's answer record (untrusted JSON) → {qid: plain value or Unplain}.
    Anything malformed becomes `Unplain`, never an exception.

    >>> a = from_wire('{"q1": {"t": "float", "v": "0.25"}, "q2": {"t": "huge"}}', ["q1", "q2", "q3"])
    >>> a["q1"], a["q2"].message, a["q3"].message
    (0.25, 'assess.answer.huge', 'assess.answer.missing')
    """
    try:
        record = json.loads(text) if text and len(text) <= 200_000 else {}
    except (ValueError, RecursionError):
        record = {}
    if not isinstance(record, dict):
        record = {}
    return {n: _one(record.get(n, {"t": "missing"})) for n in names}


def _one(item, depth: int = 0):
    if not isinstance(item, dict) or not isinstance(item.get("t"), str):
        return Unplain("assess.answer.unreadable")
    kind, v = item["t"], item.get("v")
    try:
        if kind == "none":
            return None
        if kind == "int" and type(v) is int and abs(v) <= 10 ** 15:
            return v
        if kind == "float" and type(v) is str and len(v) < 40:
            f = float(v)
            return f if np.isfinite(f) else Unplain("check.shape.not_finite")
        if kind == "text" and type(v) is str and len(v) <= 500:
            return v
        if kind == "date" and type(v) is str and len(v) == 10:
            return str(pd.Timestamp(v).date())
        if kind == "bool":
            return True
        if kind == "list" and type(v) is list and depth == 0 and len(v) <= 50:
            return [_one(x, 1) for x in v]
    except ValueError:
        return Unplain("assess.answer.unreadable")
    if kind == "missing":
        return Unplain("assess.answer.missing")
    if kind == "huge":
        return Unplain("assess.answer.huge")
    if kind == "not_finite":
        return Unplain("check.shape.not_finite")
    if kind == "too_long" and type(item.get("n")) is int:
        return Unplain("assess.answer.too_long", n=item["n"])
    if kind == "other" and type(item.get("type")) is str:
        return Unplain("assess.answer.not_plain", type=item["type"][:60])
    return Unplain("assess.answer.unreadable")


def _show(value) -> str:
    if isinstance(value, Unplain):
        return "—"
    if isinstance(value, float):
        return f"{value:.10g}"
    return "None" if value is None else str(value)


def _verdict(q, expected, given, lang: str) -> tuple[float, str]:
    """(points, why) for one auto-graded question, via the trainee checks' scorer."""
    if isinstance(given, Unplain):
        return 0.0, t(given.message, lang, qid=q.qid, **given.fields)
    if isinstance(given, list) and any(isinstance(x, Unplain) for x in given):
        return 0.0, t("assess.answer.not_plain", lang, type="list")
    v = answers.score(q.spec, expected, given)
    if v.message == "check.passed":
        why = t("assess.answer.correct", lang)
    elif v.message == "check.unanswered":
        why = t("check.unanswered", lang, qid=q.qid)
    elif v.mistake:
        key = f"check.common.{v.mistake}"
        mistake = t(key, lang) if key in _catalogue() else v.mistake
        why = t("assess.answer.mistake", lang, why=mistake)
    elif v.message == "check.not_yet":
        why = t("assess.answer.close" if v.credit else "assess.answer.wrong", lang)
    else:
        why = t(v.message, lang, qid=q.qid, **v.fields)
    return v.credit * q.points, why


def _catalogue():
    from .i18n import messages

    return messages()


# ------------------------------------------------------------------ grading
def grade(submission: str | Path, candidate: str, secret, exercise: str | None = None,
          bank=None, limits: sandbox.Limits | None = None, use_sandbox: bool = True,
          out: str | Path | None = None, unverified: bool = False,
          lang: str | None = None) -> dict:
    """Grade one submitted notebook; returns the report dict (and writes the reports to
    `out`). `report["fatal"]` says why nothing could be graded. Raises FileNotFoundError
    for a missing submission and sandbox.SandboxUnavailable when there is no sandbox and
    `use_sandbox` was not turned off."""
    submission = Path(submission)
    if not submission.is_file():
        raise FileNotFoundError(f"no submission at {submission}")
    return _grade(submission.read_bytes(), str(submission), candidate, secret, exercise,
                  banks.load(bank), bank, limits or sandbox.Limits(), use_sandbox,
                  out, unverified, language(lang))


def _grade(data: bytes, source: str, candidate: str, secret, exercise, exercises, bank_path,
           limits, use_sandbox, out, unverified, lang) -> dict:
    started = time.perf_counter()
    _check_candidate(candidate)
    if use_sandbox:
        _check_sandbox(secret, bank_path)
    report: dict = {"candidate": candidate, "submission": source, "exercise": exercise,
                    "lang": lang, "problems": [], "questions": [], "not_posed": [],
                    "open": [], "cell_errors": [], "sandboxed": use_sandbox,
                    "public_bank": False, "fatal": None}

    def fatal(message: str, **fields):
        report["fatal"] = t(message, lang, **fields)
        return _finish(report, started, out, exercises.get(report["exercise"]))

    if len(data) > MAX_SUBMISSION_MB * 2 ** 20:
        return fatal("assess.problem.too_large", mb=len(data) / 2 ** 20, limit=MAX_SUBMISSION_MB)
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        meta = nb.metadata.get("opslab", {})
        meta = meta if isinstance(meta, dict) else {}
    except Exception as err:   # noqa: BLE001 — not UTF-8, not JSON, not a notebook
        return fatal("assess.problem.unreadable", why=f"{type(err).__name__}: {str(err)[:200]}")
    exercise = exercise or meta.get("exercise")
    report["exercise"] = exercise if isinstance(exercise, str) else None
    if exercise not in exercises:
        return fatal("assess.problem.unknown_exercise", known=", ".join(exercises))
    ex = exercises[exercise]
    report["public_bank"] = ex.public
    report["title"] = ex.title_text(lang)
    _, _, fingerprint = derive(secret, exercise, candidate)
    given_print = meta.get("fingerprint")
    if not given_print:
        if not unverified:
            return fatal("assess.problem.fingerprint_missing_fatal")
        report["problems"].append(t("assess.problem.fingerprint_missing", lang))
    elif not (isinstance(given_print, str) and hmac.compare_digest(given_print, fingerprint)):
        return fatal("assess.problem.fingerprint_wrong")
    if not use_sandbox:
        report["problems"].append(t("assess.problem.no_sandbox", lang))

    tables = _tables(secret, ex, candidate)
    expected = expected_answers(secret, exercise, candidate, bank_path, tables)
    posed = [q for q in ex.questions if not isinstance(expected[q.qid], NotPosed)]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for q in posed:
        if not re.search(rf"^\s*{q.qid}\s*=", code, re.M):
            report["problems"].append(t("assess.problem.deleted", lang, qid=q.qid))

    import tempfile

    with tempfile.TemporaryDirectory(prefix="opslab-data-") as tmp:
        files = {}
        for name, df in tables.items():
            files[f"{name}.csv"] = Path(tmp) / f"{name}.csv"
            df.to_csv(files[f"{name}.csv"], index=False)
        run = sandbox.run_notebook(data, files, [q.qid for q in posed], limits, use_sandbox)
    for key, fields in run.problems:
        report["problems"].append(t(key, lang, **fields))
    for c in run.cells:
        if c["error"]:
            report["cell_errors"].append({"cell": c["cell"], "error": c["error"]})
        if c["timed_out"] and not c["stopped"]:
            report["problems"].append(t("assess.problem.cell_timeout", lang, cell=c["cell"]))
        if c["stopped"] == "stuck":
            report["problems"].append(t("assess.problem.cell_stuck", lang, cell=c["cell"]))
        if c["stopped"] == "dead":
            report["problems"].append(t("assess.problem.kernel_died", lang, cell=c["cell"]))
        if c["truncated"]:
            report["problems"].append(t("assess.problem.output_capped", lang, cell=c["cell"]))
    given = from_wire(run.answers, [q.qid for q in posed])
    if run.answers is None and posed:
        report["problems"].append(t("assess.problem.no_answers", lang))
    for q in posed:
        pts, why = _verdict(q, expected[q.qid], given[q.qid], lang)
        report["questions"].append({
            "question": q.qid, "prompt": q.text(lang), "given": _show(given[q.qid]),
            "expected": _show(expected[q.qid]), "points": pts, "max": q.points, "why": why})
    report["not_posed"] = [{"question": q.qid, "prompt": q.text(lang),
                            "why": expected[q.qid].reason}
                           for q in ex.questions if q not in posed]
    report["open"] = [{"question": q.qid, "prompt": q.text(lang), "rubric": q.rubric_text(lang),
                       "max": q.points, "answer": _open_answer(nb, q.qid)}
                      for q in ex.open_questions]
    return _finish(report, started, out, ex)


def _check_sandbox(secret, bank) -> None:
    """A working sandbox, and neither the secret file nor the bank inside what it shows."""
    if why := sandbox.available():
        raise sandbox.SandboxUnavailable(why)
    if isinstance(secret, Path) or (isinstance(secret, str) and Path(secret).is_file()):
        sandbox.check_private(Path(secret), "secret")
    if bank is not None:
        sandbox.check_private(Path(bank), "question bank")


def _open_answer(nb, qid: str) -> str:
    """The candidate's markdown answer to an open question (the cells tagged for it)."""
    placeholders = {t("assess.notebook.open_answer", lang) for lang in ("zh", "en")}
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"
             and isinstance(c.metadata.get("opslab"), dict)
             and c.metadata["opslab"].get("answer") == qid
             and c.source.strip() not in placeholders]
    return "\n\n".join(texts)[:20_000]


def _finish(report: dict, started: float, out, ex: Exercise | None) -> dict:
    if report["fatal"]:
        report["problems"].append(report["fatal"])
    report["points"] = float(sum(q["points"] for q in report["questions"]))
    report["max_points"] = float(sum(q["max"] for q in report["questions"]))
    report["score"] = report["points"] / report["max_points"] if report["max_points"] else 0.0
    report["open_max"] = float(sum(q["max"] for q in report["open"]))
    report["seconds"] = time.perf_counter() - started
    if out is not None:
        write_reports(report, Path(out))
    return report


# ------------------------------------------------------------------ reports
def _md(text: str) -> str:
    """Candidate text made inert in Markdown: HTML and Markdown syntax escaped."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", text)


def _md_cell(text: str) -> str:
    return _md(text).replace("\r", " ").replace("\n", " ")


def write_reports(report: dict, out: Path) -> list[Path]:
    """JSON, Markdown and HTML reports: `<exercise>_<candidate>.*` is the manager's copy
    (with the expected answers), `….candidate.*` the candidate's (without)."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{report['exercise']}_{report['candidate']}"
    paths = [out / f"{stem}.json"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str),
                        encoding="utf-8")
    for manager, suffix in ((True, ""), (False, ".candidate")):
        md, html = out / f"{stem}{suffix}.md", out / f"{stem}{suffix}.html"
        md.write_text(_markdown(report, manager), encoding="utf-8")
        html.write_text(_html(report, manager), encoding="utf-8")
        paths += [md, html]
    return paths


def _header(report: dict, manager: bool) -> dict:
    lang = report["lang"]
    notes = [t("assess.report.manager_copy" if manager else "assess.report.candidate_copy",
               lang)]
    if report["sandboxed"] and not report["fatal"]:
        notes.append(t("assess.report.sandboxed", lang))
    if report["public_bank"] and manager:
        notes.append(t("assess.report.demo_bank", lang))
    return {"title": t("assess.report.title", lang,
                       exercise=report.get("title") or report["exercise"],
                       candidate=report["candidate"]),
            "score": t("assess.report.score", lang, points=report["points"],
                       max=report["max_points"], share=report["score"],
                       seconds=report["seconds"]),
            "notes": notes}


def _markdown(report: dict, manager: bool) -> str:
    lang, h = report["lang"], _header(report, manager)
    L = lambda key: t(f"assess.report.{key}", lang)      # noqa: E731
    lines = [f"# {_md(h['title'])}", "", f"**{h['score']}**", "", *[f"> {n}" for n in h["notes"]],
             ""]
    if report["problems"]:
        lines += [f"## {L('problems')}", "", *[f"- {_md(p)}" for p in report["problems"]], ""]
    if report["questions"]:
        cols = ["question", "prompt", "given"] + (["expected"] if manager else []) + [
            "points", "why"]
        lines += [f"## {L('questions')}", "", "| " + " | ".join(L(c) for c in cols) + " |",
                  "|" + "---|" * len(cols)]
        for q in report["questions"]:
            cells = [q["question"], q["prompt"], q["given"]] + (
                [q["expected"]] if manager else []) + [f"{q['points']:g} / {q['max']:g}", q["why"]]
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        lines.append("")
    if report["not_posed"] and manager:
        lines += [f"## {L('not_posed')}", "",
                  *[f"- {_md(q['question'])}: {_md(q['why'])}" for q in report["not_posed"]], ""]
    if report["open"]:
        lines += [f"## {L('open')}", ""]
        for q in report["open"]:
            answer = q["answer"].strip() or L("no_answer")
            lines += [f"### {_md(q['question'])} ({q['max']:g})", "", _md(q["prompt"]), ""]
            if manager:
                lines += [f"*{L('rubric')}:* {_md(q['rubric'])}", ""]
            lines += [f"*{L('answer')}:*", "", *[f"> {_md(x)}" for x in answer.splitlines()], ""]
        if manager:
            lines += [t("assess.report.marks_hint", lang, marks="marks.csv",
                        points=max(q["max"] for q in report["open"])), ""]
    if report["cell_errors"]:
        lines += [f"## {L('cell_errors')}", "",
                  *[f"- {t('assess.report.cell', lang, cell=e['cell'])}: `{_md(e['error'])}`"
                    for e in report["cell_errors"]], ""]
    return "\n".join(lines)


def _html(report: dict, manager: bool) -> str:
    lang, h = report["lang"], _header(report, manager)
    labels = {k: t(f"assess.report.{k}", lang) for k in (
        "question", "prompt", "given", "expected", "points", "why", "questions", "not_posed",
        "open", "rubric", "answer", "no_answer", "cell_errors", "problems")}
    errors = [{"cell": t("assess.report.cell", lang, cell=e["cell"]), "error": e["error"]}
              for e in report["cell_errors"]]
    marks = (t("assess.report.marks_hint", lang, marks="marks.csv",
               points=max(q["max"] for q in report["open"]))
             if manager and report["open"] else "")
    return page("assessment.html", lang=lang, title=h["title"], score_line=h["score"],
                notes=h["notes"], problems=report["problems"], questions=report["questions"],
                not_posed=report["not_posed"] if manager else [], open=report["open"],
                errors=errors, manager=manager, labels=labels, marks_hint=marks)


# ------------------------------------------------------------------ batch
def grade_batch(folder: str | Path, exercise: str, secret, out: str | Path, bank=None,
                jobs: int = 1, limits: sandbox.Limits | None = None, use_sandbox: bool = True,
                lang: str | None = None, progress: bool = False) -> pd.DataFrame:
    """Grade every `<candidate>.ipynb` in a folder: one CSV row per candidate (a failed
    grading's row says why), each candidate's reports next to the CSV, the manual marks
    of `marks.csv` (beside it) added up. Every submission is read once, before any runs."""
    lang = language(lang)
    exercises = banks.load(bank)
    ex = _exercise(exercises, exercise)
    if use_sandbox:
        _check_sandbox(secret, bank)
    out = Path(out)
    reports = out.parent
    submissions = {p.stem: p.read_bytes() for p in sorted(Path(folder).glob("*.ipynb"))}
    limits = limits or sandbox.Limits()

    def one(candidate: str) -> dict:
        try:
            r = _grade(submissions[candidate], f"{folder}/{candidate}.ipynb", candidate, secret,
                       exercise, exercises, bank, limits, use_sandbox, reports, False, lang)
            row = {"candidate": candidate, "score": r["score"] if not r["fatal"] else np.nan,
                   "points": r["points"], "max_points": r["max_points"],
                   "seconds": r["seconds"], "problems": "; ".join(r["problems"])}
            row.update({q["question"]: q["points"] for q in r["questions"]})
        except Exception as err:    # noqa: BLE001 — one bad grading never stops the batch
            row = {"candidate": candidate, "score": np.nan,
                   "problems": t("assess.problem.failed", lang,
                                 why=f"{type(err).__name__}: {str(err)[:300]}")}
        return row

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(one, c): c for c in submissions}
        iterator = concurrent.futures.as_completed(futures)
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(iterator, total=len(futures), desc="grading")
        rows = [f.result() for f in iterator]
    table = pd.DataFrame(rows, columns=None).sort_values("candidate", ignore_index=True) \
        if rows else pd.DataFrame(columns=["candidate", "score", "problems"])
    table = _add_marks(table, ex, reports / "marks.csv", lang)
    table.to_csv(out, index=False)
    return table


def _add_marks(table: pd.DataFrame, ex: Exercise, path: Path, lang: str) -> pd.DataFrame:
    """Sum the manual marks of marks.csv (candidate, question, points, note) into
    `manual` and `total`; write a blank marks.csv for the manager when there is none."""
    if not ex.open_questions or table.empty:
        return table
    maxima = {q.qid: q.points for q in ex.open_questions}
    if not path.exists():
        blank = pd.DataFrame([{"candidate": c, "question": q, "points": "", "note": ""}
                              for c in table["candidate"] for q in maxima])
        blank.to_csv(path, index=False)
    marks = pd.read_csv(path, dtype={"candidate": str, "question": str})
    for row, m in enumerate(marks.itertuples(index=False), 2):
        if m.question in maxima and pd.notna(m.points) and not (
                0 <= float(m.points) <= maxima[m.question]):
            raise ValueError(t("assess.batch.bad_mark", lang, file=path, row=row,
                               candidate=m.candidate, qid=m.question, value=m.points,
                               points=maxima[m.question]))
    marks = marks[marks["question"].isin(maxima)]
    marked = marks.dropna(subset=["points"]).groupby("candidate")
    manual = marked["points"].sum()
    complete = marked["question"].nunique() == len(maxima)
    table["manual"] = table["candidate"].map(manual)
    done = table["candidate"].map(complete).eq(True)
    full = table["max_points"] + sum(maxima.values()) if "max_points" in table else np.nan
    table["total"] = np.where(done, (table.get("points", 0) + table["manual"]) / full, np.nan)
    table["marks"] = np.where(done, "", t("assess.batch.marks_missing", lang))
    return table
