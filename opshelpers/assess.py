"""Hiring exercises: per-candidate data, hidden answers, autograding in a sandboxed run.

    opshelpers assess secret   --out key.txt
    opshelpers assess new      --exercise growth_analyst --candidate c042 --secret key.txt --out out/
    opshelpers assess solution --exercise growth_analyst --candidate c042 --secret key.txt --out out/
    opshelpers assess grade    out/growth_analyst_c042/exercise.ipynb --candidate c042 --secret key.txt
    opshelpers assess batch    submissions/ --exercise growth_analyst --secret key.txt --out scores.csv

Each candidate's data comes from `synth.generate` with a seed and scenario variations
derived from HMAC-SHA256(secret, exercise:candidate): different numbers, dates and the
channel that breaks, so answers cannot be shared. The package holds the notebook and
the data only; a fingerprint in the notebook (scrypt of the secret, so it cannot be
used to guess the secret offline) lets grading detect a wrong secret or candidate id. A
secret is at least 16 bytes; `assess secret` writes a random 32-byte one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import nbformat
import numpy as np
import pandas as pd

from . import synth
from .scenario import Scenario
from .render import page

MIN_SECRET_BYTES = 16

__all__ = ["EXERCISES", "derive", "new_secret", "new_package", "solution_package", "grade",
           "grade_batch"]

N_USERS = 4000            # candidate datasets: big enough for the facts, fast to grade
DROP_CHANNELS = ("xiaohongshu", "seo", "kol", "sem")


@dataclass(frozen=True)
class Task:
    qid: str
    prompt: str
    solve: Callable[[dict[str, pd.DataFrame]], Any]
    kind: str = "number"          # number | text | date
    tolerance: float = 0.0        # full credit within; half credit within 3× (dates: days)
    hint_code: str = ""           # the reference solution's code (plain pandas)


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str
    level: str
    tables: tuple[str, ...]
    tasks: tuple[Task, ...]
    rubric: tuple[tuple[str, str], ...]   # (open question, what earns full marks)


# ------------------------------------------------------------------ answers (plain pandas)
def _cvr(t):
    return float(t["visits"]["signed_up"].mean())


def _paid_aov(t):
    return float(t["orders"]["paid"].mean())


def _d7(t):
    from .users import retention

    r = retention(t["users"], t["events"], days=(7,), freq="Y")
    return float(r["retained"].sum() / r["eligible"].sum())


def _top_channel(t):
    return str(t["users"]["channel"].value_counts().idxmax())


def _march_buyers(t):
    o = t["orders"]
    return int(o.loc[o["order_time"].dt.month == 3, "user_id"].nunique())


def _drop(t):
    """(statistic, channel, first day) of the strongest conversion change point."""
    from .traffic import conversion_drop

    v = t["visits"]
    top = conversion_drop(v[v["landing_page"] != "lp_invite"], seed=0).iloc[0]
    return top["lr_stat"], top["channel"], top["change_date"]


def _drop_after(t):
    _, ch, day = _drop(t)
    v = t["visits"]
    return float(v[(v["channel"] == ch) & (v["visit_time"] >= day)]["signed_up"].mean())


def _top10_share(t):
    rev = t["orders"].groupby("user_id")["paid"].sum().sort_values(ascending=False)
    return float(rev.head(int(np.ceil(0.1 * len(rev)))).sum() / rev.sum())


def _ab(t):
    ab = t["ab_assignments"].query("experiment == 'checkout_button'")
    o = t["orders"]
    m = ab.merge(o[["user_id", "order_time"]], on="user_id", how="left")
    m = m[(m["order_time"] >= m["assigned_time"]) & (m["order_time"] < "2026-05-13")]
    conv = ab.assign(c=ab["user_id"].isin(m["user_id"])).groupby("variant")["c"].agg(
        ["mean", "size"])
    diff = conv.loc["B", "mean"] - conv.loc["A", "mean"]
    se = np.sqrt((conv["mean"] * (1 - conv["mean"]) / conv["size"]).sum())
    return diff, diff - 1.96 * se


def _prime_gap(t):
    p = t["posts"]
    v = p[p["completion_rate"].notna()]
    prime = v["publish_time"].dt.hour.between(20, 21)
    return float(v.loc[prime, "completion_rate"].mean() - v.loc[~prime, "completion_rate"].mean())


def _best_topic(t):
    g = t["posts"].groupby("topic")[["shares", "reads"]].sum()
    return str((g["shares"] / g["reads"]).idxmax())


def _number_ratio(t):
    p = t["posts"]
    ctr = p["reads"] / p["impressions"]
    d = p["title"].str.contains(r"\d")
    return float(ctr[d].mean() / ctr[~d].mean())


def _banned(t):
    from .content import check_titles

    f = check_titles(t["posts"])
    return int(f.loc[f["severity"] == "high", "post_id"].nunique())


def _viral(t):
    p = t["posts"]
    rel = p["reads"] / p.groupby("platform")["reads"].transform("median")
    return int(p.loc[rel.idxmax(), "post_id"])


def _fast_competitor(t):
    x = t["posts"][t["posts"]["platform"] == "xiaohongshu"]
    return str(x.groupby("account")["follows"].sum().idxmax())


EXERCISES: dict[str, Exercise] = {e.name: e for e in [
    Exercise("junior_ops", "Operations associate: metrics and pivots", "junior",
             ("users", "visits", "events", "orders"), (
        Task("q1_uv", "How many unique visitors (distinct visitor_id) are in visits?",
             lambda t: int(t["visits"]["visitor_id"].nunique())),
        Task("q2_pv", "Total page views (PV) over all visits?",
             lambda t: int(t["visits"]["pageviews"].sum())),
        Task("q3_cvr", "Overall visit → signup conversion rate (a fraction)?", _cvr,
             tolerance=0.001),
        Task("q4_paid_aov", "Paid amount per order (实付客单价 = amount paid / orders, "
             "CNY)?", _paid_aov,
             tolerance=0.5),
        Task("q5_d7", "D7 retention: share of users active exactly 7 days after signup "
             "(only users whose day 7 is within the data)?", _d7, tolerance=0.005),
        Task("q6_top_channel", "Which acquisition channel brought the most users?",
             _top_channel, kind="text"),
        Task("q7_march_buyers", "How many distinct users ordered in March 2026?",
             _march_buyers),
    ), (("DAU fell 10 % yesterday. List, in order, the first three things you check.",
         "checks data first (tracking, partial day), then same weekday last week, then "
         "splits by channel / platform / new vs returning"),)),
    Exercise("growth_analyst", "Growth analyst: what broke, who matters, ship or not",
             "mid", ("users", "visits", "events", "orders", "ab_assignments"), (
        Task("q1_drop_channel", "One channel's landing conversion suddenly dropped. Which?",
             lambda t: _drop(t)[1], kind="text"),
        Task("q2_drop_date", "From which date (YYYY-MM-DD) is it lower?",
             lambda t: str(_drop(t)[2].date()), kind="date", tolerance=2),
        Task("q3_rate_after", "That channel's conversion rate after the drop (fraction)?",
             _drop_after, tolerance=0.005),
        Task("q4_top10_share", "Share of revenue from the top 10 % of buyers?",
             _top10_share, tolerance=0.01),
        Task("q5_ab_diff", "checkout_button test: conversion of B minus A (an order after "
             "assignment, up to 2026-05-12), a fraction?", lambda t: float(_ab(t)[0]),
             tolerance=0.003),
        Task("q6_ab_ci_low", "Lower end of the 95 % CI of that difference (normal "
             "approximation)?", lambda t: float(_ab(t)[1]), tolerance=0.004),
        Task("q7_srm_test", "Which experiment has a sample-ratio mismatch?",
             lambda t: "coupon_banner", kind="text"),
    ), (("Pick two RFM segments and write one action for each, with the metric and "
         "denominator you would judge it by.",
         "segments defined from recency/frequency/monetary; actions specific; a metric with "
         "a denominator and a holdout"),
        ("Would you ship checkout B? Answer in three sentences.",
         "uses the CI, not only the point estimate; mentions SRM check and power"))),
    Exercise("content_ops", "Content operator: timing, topics, titles, compliance", "junior",
             ("posts",), (
        Task("q1_prime_gap", "Mean completion rate of videos published 20:00–21:59 minus "
             "that of videos published at other hours (all accounts)?", _prime_gap,
             tolerance=0.005),
        Task("q2_best_topic", "Which topic has the highest share rate (pooled shares / "
             "reads)?", _best_topic, kind="text"),
        Task("q3_number_ratio", "Mean CTR (reads / impressions) of titles with a digit ÷ "
             "without?", _number_ratio, tolerance=0.03),
        Task("q4_banned", "How many posts have a title with an advertising-law absolute, "
             "authority or medical claim (最, 第一, 国家级, 治疗, 降血压, 神器 …)?", _banned),
        Task("q5_viral", "post_id of the viral post (far above its platform's median)?",
             _viral),
        Task("q6_competitor", "Which account gained the most followers on Xiaohongshu?",
             _fast_competitor, kind="text"),
    ), (("Rewrite two non-compliant titles so they pass and keep the hook.",
         "removes the absolute/medical claim, keeps a concrete hook (a number, a benefit)"),)),
]}


# ------------------------------------------------------------------ derivation
def _read_secret(secret: str | bytes | Path) -> bytes:
    if isinstance(secret, Path) or (isinstance(secret, str) and Path(secret).is_file()):
        data = Path(secret).read_bytes().strip()
    else:
        data = secret.encode() if isinstance(secret, str) else bytes(secret)
    if len(data) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes; make a random "
                         "one with: opshelpers assess secret --out key.txt")
    return data


def _check_ids(exercise: str, candidate: str) -> Exercise:
    if exercise not in EXERCISES:
        raise KeyError(f"unknown exercise {exercise!r}; choose one of {', '.join(EXERCISES)}")
    if not candidate or not all(c.isalnum() or c in "-_" for c in candidate):
        raise ValueError(f"candidate id {candidate!r} must be letters, digits, - or _")
    return EXERCISES[exercise]


def derive(secret, exercise: str, candidate: str) -> tuple[int, Scenario, str]:
    """(seed, scenario, fingerprint) for one candidate: seed and scenario from
    HMAC(secret, …), the fingerprint from scrypt(secret, …)."""
    _check_ids(exercise, candidate)
    key = _read_secret(secret)
    digest = hmac.new(key, f"{exercise}:{candidate}".encode(), hashlib.sha256).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    seed = int.from_bytes(digest[8:16], "little") % (2 ** 31)
    drop_day = pd.Timestamp("2026-04-06") + pd.Timedelta(days=int(rng.integers(0, 35)))
    scenario = Scenario().with_changes(
        traffic={"drop_channel": str(rng.choice(DROP_CHANNELS)),
                 "xhs_drop_date": str(drop_day.date()),
                 "xhs_cvr_after": float(rng.uniform(0.025, 0.045)),
                 "landing_page_b_lift": float(rng.uniform(1.15, 1.35))},
        users={"k_factor": float(rng.uniform(0.22, 0.36))},
        content={"number_title_ctr_lift": float(rng.uniform(1.2, 1.45))})
    # the fingerprint is shown to the candidate: a slow KDF makes guessing a human-chosen
    # secret from it offline impractical (each guess costs ~0.1 s and 16 MiB)
    fingerprint = hashlib.scrypt(key, salt=f"opslab-fingerprint:{exercise}:{candidate}".encode(),
                                 n=2 ** 14, r=8, p=1, dklen=16).hex()
    return seed, scenario, fingerprint


def new_secret(path: str | Path) -> Path:
    """Write a new random 32-byte secret (hex) to `path`, readable by its owner only;
    an existing file is never overwritten."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def _tables(secret, exercise: str, candidate: str) -> dict[str, pd.DataFrame]:
    seed, scenario, _ = derive(secret, exercise, candidate)
    tables, _ = synth.generate(scenario, seed=seed, n_users=N_USERS)
    return {n: tables[n] for n in EXERCISES[exercise].tables}


def expected_answers(secret, exercise: str, candidate: str) -> dict[str, Any]:
    ex = EXERCISES[exercise]
    t = _tables(secret, exercise, candidate)
    return {task.qid: task.solve(t) for task in ex.tasks}


# ------------------------------------------------------------------ packages
def _notebook(ex: Exercise, candidate: str, fingerprint: str,
              answers: dict[str, Any] | None = None) -> nbformat.NotebookNode:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell(
        f"# {ex.title}\n\nCandidate `{candidate}`. Your data is in `data/` (one CSV per "
        f"table: {', '.join(ex.tables)}). Answer each question by setting its variable; "
        "keep the variable names. Any Python and pandas are fine. Open questions: write "
        "in the markdown cells. Time: about 90 minutes.")]
    load = "\n".join(f'{n} = pd.read_csv("data/{n}.csv", parse_dates={_dates(n)})'
                     for n in ex.tables)
    cells.append(new_code_cell("import numpy as np\nimport pandas as pd\n\n" + load))
    for i, task in enumerate(ex.tasks, 1):
        cells.append(new_markdown_cell(f"**Q{i}.** {task.prompt}"))
        value = "None" if answers is None else repr(_plain(answers[task.qid]))
        cells.append(new_code_cell(f"# your working here\n{task.qid} = {value}"))
    for i, (question, _) in enumerate(ex.rubric, 1):
        cells.append(new_markdown_cell(f"**Open question {i}.** {question}"))
        cells.append(new_markdown_cell("*Your answer here.*"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["opslab"] = {"exercise": ex.name, "candidate": candidate,
                             "fingerprint": fingerprint}
    return nb


def _dates(table: str) -> list[str]:
    from .schema import TABLES

    return [c.name for c in TABLES[table].columns if c.kind in ("datetime", "date")]


def _plain(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def new_package(exercise: str, candidate: str, secret, out: str | Path,
                answers: bool = False) -> Path:
    """Write `out/<exercise>_<candidate>/` with the notebook and the candidate's data."""
    ex = _check_ids(exercise, candidate)
    _, _, fingerprint = derive(secret, exercise, candidate)
    folder = Path(out) / (f"{exercise}_{candidate}" + ("_solution" if answers else ""))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    tables = _tables(secret, exercise, candidate)
    for name, df in tables.items():
        df.to_csv(folder / "data" / f"{name}.csv", index=False)
    sol = expected_answers(secret, exercise, candidate) if answers else None
    nbformat.write(_notebook(ex, candidate, fingerprint, sol), folder / "exercise.ipynb")
    if answers:
        rubric = "\n".join(f"- **{q}** — full marks when: {r}" for q, r in ex.rubric)
        (folder / "RUBRIC.md").write_text(f"# Rubric: {ex.title}\n\n{rubric}\n",
                                          encoding="utf-8")
    return folder


def solution_package(exercise: str, candidate: str, secret, out) -> Path:
    """The manager's reference: the notebook with every answer filled in, and the rubric."""
    return new_package(exercise, candidate, secret, out, answers=True)


# ------------------------------------------------------------------ grading
RUNNER = r"""
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
names = json.loads(sys.argv[3])
dump = ("import json as _j\n_out = {}\nfor _n in %r:\n    _v = globals().get(_n, '__missing__')\n"
        "    try:\n        _j.dumps(_v); _out[_n] = _v\n    except TypeError:\n"
        "        _out[_n] = str(_v)\nopen(%r, 'w').write(_j.dumps(_out))") % (names, sys.argv[2])
nb.cells.append(nbformat.v4.new_code_cell(dump))
client = NotebookClient(nb, timeout=int(sys.argv[4]), kernel_name="python3",
                        allow_errors=True, resources={"metadata": {"path": sys.argv[5]}})
client.execute()
errors = [{"cell": i, "error": f"{o.get('ename')}: {o.get('evalue')}"}
          for i, c in enumerate(nb.cells) if c.cell_type == "code"
          for o in c.get("outputs", []) if o.get("output_type") == "error"]
print(json.dumps(errors))
"""


def grade(submission: str | Path, candidate: str, secret, exercise: str | None = None,
          cell_timeout: int = 60, total_timeout: int = 300, out: str | Path | None = None,
          unverified: bool = False) -> dict:
    """Grade one submitted notebook; returns the report dict (and writes it if `out`).

    `report["fatal"]` says why nothing could be graded (missing or unreadable file,
    missing fingerprint unless `unverified`)."""
    submission = Path(submission)
    if not submission.is_file():
        raise FileNotFoundError(f"no submission at {submission}")
    started = time.perf_counter()
    report: dict = {"candidate": candidate, "submission": str(submission), "problems": []}
    try:
        nb = nbformat.read(submission, as_version=4)
    except Exception as err:   # not JSON, not a notebook
        return _finish(report, exercise, None, {}, started, out,
                       f"not a readable notebook: {type(err).__name__}: {err}")
    meta = nb.metadata.get("opslab", {})
    exercise = exercise or meta.get("exercise")
    if exercise not in EXERCISES:
        return _finish(report, exercise, None, {}, started, out,
                       "cannot tell which exercise this is: pass --exercise")
    _, _, fingerprint = derive(secret, exercise, candidate)
    if meta.get("fingerprint") != fingerprint:
        if meta.get("fingerprint"):
            raise ValueError("this notebook was not generated for this candidate with this "
                             "secret: check --candidate and --secret")
        if not unverified:
            return _finish(report, exercise, None, {}, started, out,
                           "the notebook's fingerprint is missing, so it cannot be shown to "
                           "be this candidate's exercise: not graded (pass "
                           "--accept-unverified to grade it anyway)")
        report["problems"].append("fingerprint missing: graded at the manager's request")
    ex = EXERCISES[exercise]
    expected = expected_answers(secret, exercise, candidate)
    names = [t.qid for t in ex.tasks]
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for n in names:
        if f"{n} =" not in source and f"{n}=" not in source:
            report["problems"].append(f"answer cell for {n} was deleted or renamed")
    given, errors = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "data").mkdir()
        for name, df in _tables(secret, exercise, candidate).items():
            df.to_csv(work / "data" / f"{name}.csv", index=False)
        copy = work / "submission.ipynb"
        shutil.copyfile(submission, copy)            # never touch the original
        answers_file = work / "answers.json"
        env = {**os.environ, "http_proxy": "http://127.0.0.1:9",
               "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}
        # own process group, so a timeout also kills the kernel the runner started
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(copy), str(answers_file), json.dumps(names),
             str(cell_timeout), str(work)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=work, start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=total_timeout)
            if proc.returncode != 0:
                tail = stderr.strip().splitlines()[-1:] or ["(no message)"]
                report["problems"].append(f"execution stopped: {tail[0][:300]}")
            else:
                errors = json.loads(stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            report["problems"].append(f"execution exceeded {total_timeout} s and was stopped")
        if answers_file.exists():
            given = json.loads(answers_file.read_text())
    report["cell_errors"] = errors
    return _finish(report, exercise, expected, given, started, out)


def _score(task: Task, expected, given) -> tuple[float, str]:
    if given is None or given == "__missing__":
        return 0.0, "no answer"
    try:
        if task.kind == "text":
            ok = str(given).strip().lower() == str(expected).strip().lower()
            return (1.0, "correct") if ok else (0.0, "wrong")
        if task.kind == "date":
            off = abs((pd.Timestamp(given) - pd.Timestamp(expected)).days)
        else:
            off = abs(float(given) - float(expected))
    except (TypeError, ValueError):
        return 0.0, "not a valid answer"
    tol = task.tolerance
    if off <= tol + 1e-9:
        return 1.0, "correct"
    if tol > 0 and off <= 3 * tol + 1e-9:
        return 0.5, "close (half credit)"
    return 0.0, "wrong"


def _finish(report, exercise, expected, given, started, out, fatal: str | None = None):
    rows = []
    report["fatal"] = fatal
    if fatal:
        report["problems"].append(fatal)
    if exercise in EXERCISES and expected is not None:
        for task in EXERCISES[exercise].tasks:
            pts, verdict = _score(task, expected[task.qid], given.get(task.qid))
            rows.append({"question": task.qid, "points": pts, "verdict": verdict,
                         "expected": _plain(expected[task.qid]),
                         "given": given.get(task.qid)})
    n = len(EXERCISES[exercise].tasks) if exercise in EXERCISES else 0
    report.update(exercise=exercise, questions=rows,
                  score=round(sum(r["points"] for r in rows) / n, 4) if n else 0.0,
                  seconds=round(time.perf_counter() - started, 1),
                  rubric=[q for q, _ in EXERCISES[exercise].rubric]
                  if exercise in EXERCISES else [])
    if out is not None:
        _write_report(report, Path(out))
    return report


def _write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{report['exercise']}_{report['candidate']}"
    (out / f"{stem}.json").write_text(json.dumps(report, indent=2, default=str),
                                      encoding="utf-8")
    lines = [f"# {report['exercise']} — candidate {report['candidate']}", "",
             f"Score: **{report['score']:.0%}** · graded in {report['seconds']} s", ""]
    if report["problems"]:
        lines += ["Problems:", *[f"- {p}" for p in report["problems"]], ""]
    lines += ["| question | points | verdict | expected | given |", "|---|---|---|---|---|"]
    lines += [f"| {r['question']} | {r['points']} | {r['verdict']} | {r['expected']} | "
              f"{r['given']} |" for r in report["questions"]]
    lines += ["", "Open questions for manual marking:", *[f"- {q}" for q in report["rubric"]]]
    md = "\n".join(lines) + "\n"
    (out / f"{stem}.md").write_text(md, encoding="utf-8")
    table = pd.DataFrame(report["questions"]).to_html(index=False) if report["questions"] \
        else ""
    (out / f"{stem}.html").write_text(
        page("assessment.html", title=stem, lang="en", score=report["score"], table=table),
        encoding="utf-8")


def grade_batch(folder: str | Path, exercise: str, secret, out: str | Path,
                **kwargs) -> pd.DataFrame:
    """Grade every `<candidate>.ipynb` in a folder into one CSV (one row per candidate)."""
    rows = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            r = grade(path, path.stem, secret, exercise=exercise, **kwargs)
            row = {"candidate": path.stem, "score": r["score"], "seconds": r["seconds"],
                   "problems": "; ".join(r["problems"])}
            row.update({q["question"]: q["points"] for q in r["questions"]})
        except ValueError as err:
            row = {"candidate": path.stem, "score": np.nan, "problems": str(err)}
        rows.append(row)
    table = pd.DataFrame(rows)
    table.to_csv(out, index=False)
    return table
