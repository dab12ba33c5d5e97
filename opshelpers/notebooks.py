"""The curriculum's notebooks: one bilingual source per lesson, four generated editions.

A lesson's source is a MyST Markdown notebook, `notebooks/source/NN_name.md` (read with
jupytext, so a reviewer reads a diff). Its code cells are shared; each prose cell comes
twice, tagged `{"lang": "zh"}` and then `{"lang": "en"}` (twins). Worked answers are
marked `### BEGIN SOLUTION` / `### END SOLUTION`. Some cells are written by the build:

- `{"tags": ["nav"]}` — the navigation line (previous · contents · next);
- `{"question": "q1_…"}` — the exercise's prompt, from its definition in
  `opshelpers.exercises` (one source for prompt, answer and feedback);
- `{"open": "q6_…"}` — an open question's self-check list (trainee editions) or its
  rubric (solution editions).

`build()` writes, for each language, a trainee edition (`notebooks/zh/NN.ipynb`, marked
blocks replaced by placeholders) and a solution edition (`notebooks/zh/solutions/…`),
executes both so strict nbval compares their outputs, and records the source's SHA-256
in each, so a test can tell an edition older than its source or edited by hand.

Lessons not yet converted keep their English solution notebook as their source
(`notebooks/en/solutions/NN.ipynb`) and get an English trainee copy only.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import nbformat

from .i18n import LANGS, t
from .scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = ROOT / "source"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
ANSWER = re.compile(r"^(\s*)(q\d+\w*)\s*=")
SETUP = re.compile(r"ops\.setup\(\)")
LESSONS = ("00_start_here", "01_traffic", "02_users", "03_community", "03b_members_voice",
           "04_content", "05_activity", "06_data", "07_capstone_weekly_review")
ROLES = ("trainee", "solution")


def folder(lang: str, role: str) -> Path:
    """Where the editions of one language and role live.

    >>> folder("zh", "solution").relative_to(ROOT).as_posix()
    'zh/solutions'
    """
    return ROOT / lang / ("solutions" if role == "solution" else "")


def converted() -> list[str]:
    """Lessons that have a bilingual source (the others are English-only for now)."""
    return [s for s in LESSONS if (SOURCES / f"{s}.md").exists()]


def strip_solution(source: str, cell_type: str = "code", lang: str = "en") -> str:
    """Replace marked solution blocks in one cell's source.

    >>> print(strip_solution("x = 1\\n### BEGIN SOLUTION\\nq1_a = x + 1\\n### END SOLUTION"))
    x = 1
    # YOUR CODE HERE
    q1_a = None
    """
    out, inside, block = [], False, []
    for line in source.splitlines():
        if line.strip() == BEGIN:
            if inside:
                raise ValueError(f"nested {BEGIN!r} in:\n{source}")
            inside, block = True, []
            continue
        if line.strip() == END:
            if not inside:
                raise ValueError(f"{END!r} without {BEGIN!r} in:\n{source}")
            inside = False
            if cell_type == "markdown":
                out.append(t("notebooks.your_answer", lang))
            else:
                indent = re.match(r"\s*", block[0]).group(0) if block else ""
                out.append(f"{indent}{t('notebooks.your_code', lang)}")
                out += [f"{m.group(1)}{m.group(2)} = None" for m in map(ANSWER.match, block)
                        if m]
            continue
        (block if inside else out).append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r} in:\n{source}")
    return "\n".join(out)


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable metadata: python3 kernelspec, no editor state, numbered cell ids."""
    keep = nb.metadata.get("opslab")
    nb.metadata = nbformat.NotebookNode({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    if keep:
        nb.metadata["opslab"] = keep
    for i, cell in enumerate(nb.cells):
        cell.metadata = nbformat.NotebookNode(
            {k: v for k, v in cell.metadata.items() if k == "tags"})
        cell["id"] = f"c{i:03d}"
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def _link(stem: str, lang: str) -> str:
    """Relative link from an edition of `lang` to lesson `stem` (English if unconverted)."""
    if lang == "en" or stem in converted():
        return f"{stem}.ipynb"
    return f"../en/{stem}.ipynb"


def navigation(stem: str, lang: str = "en") -> str:
    """The navigation line written at the top and bottom of every lesson.

    >>> navigation("00_start_here").endswith("[01_traffic →](01_traffic.ipynb)")
    True
    """
    i = LESSONS.index(stem)

    def named(s: str) -> str:
        mark = "" if lang == "en" or s in converted() else t("notebooks.english_only", lang)
        return f"{s}{mark}"

    prev = (f"[← {named(LESSONS[i - 1])}]({_link(LESSONS[i - 1], lang)})" if i > 0
            else t("notebooks.start", lang))
    nxt = (f"[{named(LESSONS[i + 1])} →]({_link(LESSONS[i + 1], lang)})"
           if i + 1 < len(LESSONS) else t("notebooks.end", lang))
    contents = f"[{t('notebooks.contents', lang)}]({_link(LESSONS[0], lang)}#Contents)"
    return f"{prev} · {contents} · {nxt}"


# ------------------------------------------------------------------ bilingual sources
def read_source(stem: str) -> nbformat.NotebookNode:
    import jupytext

    return jupytext.read(SOURCES / f"{stem}.md")


def source_digest(stem: str) -> str:
    return hashlib.sha256((SOURCES / f"{stem}.md").read_bytes()).hexdigest()


def _lang(cell) -> str | None:
    return cell.metadata.get("lang")


def in_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """A copy of a bilingual notebook keeping the prose cells of `lang` (and the shared
    ones). The analyst templates are written this way too.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("中", metadata={
    ...     "lang": "zh"}), nbformat.v4.new_markdown_cell("en", metadata={"lang": "en"})])
    >>> [c.source for c in in_language(nb, "en").cells]
    ['en']
    """
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if c.cell_type != "markdown" or _lang(c) in (None, lang)]
    return out


def twin_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Prose cells of a source without their twin in the other language, in order.

    Every markdown cell is tagged zh and followed by its en twin, unless the build writes
    it (nav, question, open). Twins have the same headings depth and solution markers.
    """
    problems, cells, i = [], nb.cells, 0
    while i < len(cells):
        cell = cells[i]
        where = f"cell {i} ({cell.source.strip()[:40]!r})"
        if cell.cell_type != "markdown" or _generated(cell):
            if _lang(cell) is not None:
                problems.append(f"{where}: only prose cells have a language")
            i += 1
            continue
        if _lang(cell) != "zh":
            problems.append(f"{where}: a prose cell must start with its zh text, then en")
            i += 1
            continue
        twin = cells[i + 1] if i + 1 < len(cells) else None
        if twin is None or twin.cell_type != "markdown" or _lang(twin) != "en":
            problems.append(f"{where}: the zh cell has no en twin right after it")
            i += 1
            continue
        for part in ("#", BEGIN, "$$"):
            if _count(cell.source, part) != _count(twin.source, part):
                problems.append(f"{where}: its twins differ in {part!r} count")
        if not cell.source.strip() or not twin.source.strip():
            problems.append(f"{where}: an empty twin")
        i += 2
    return problems


def _count(text: str, part: str) -> int:
    if part == "#":
        return len(re.findall(r"^#+ ", text, flags=re.M))
    return text.count(part)


def _generated(cell) -> bool:
    meta = cell.metadata
    return "nav" in meta.get("tags", []) or "question" in meta or "open" in meta


def _filled(cell, stem: str, lang: str) -> str:
    """A cell's text in an edition of `lang`: the navigation line written, the setup
    call given the edition's language; other cells as they are."""
    if "nav" in cell.metadata.get("tags", []):
        return navigation(stem, lang)
    if cell.cell_type == "code":
        return SETUP.sub(f'ops.setup(lang="{lang}")', cell.source)
    return cell.source


def _question_text(cell, lang: str, role: str) -> str:
    from .exercises import QUESTIONS

    if "question" in cell.metadata:
        qid = cell.metadata["question"]
        q = QUESTIONS[qid]
        number = re.match(r"q(\d+)", qid).group(1)
        return f"**Q{number}.** {q.text('prompt', lang)}"
    q = QUESTIONS[cell.metadata["open"]]
    head, items = ((t("notebooks.selfcheck", lang), q.selfcheck) if role == "trainee"
                   else (t("notebooks.rubric", lang), q.rubric))
    scenario = Scenario()                  # a rubric may name the scenario's dates
    return "\n".join([f"*{head}*", ""] + [f"- [ ] {x.get(lang, s=scenario)}"
                                          if role == "trainee" else
                                          f"- {x.get(lang, s=scenario)}" for x in items])


def edition(source: nbformat.NotebookNode, stem: str, lang: str, role: str,
            digest: str) -> nbformat.NotebookNode:
    """One edition (sources only, not executed) of a bilingual source."""
    nb = nbformat.v4.new_notebook()
    for cell in in_language(source, lang).cells:
        text = (_question_text(cell, lang, role) if {"question", "open"} & set(cell.metadata)
                else _filled(cell, stem, lang))
        if role == "trainee" and BEGIN in text:
            text = strip_solution(text, cell.cell_type, lang)
        elif BEGIN in text and cell.cell_type == "markdown":   # solution prose: no markers
            text = "\n".join(line for line in text.splitlines()
                             if line.strip() not in (BEGIN, END))
        new = (nbformat.v4.new_code_cell(text) if cell.cell_type == "code"
               else nbformat.v4.new_markdown_cell(text))
        tags = cell.metadata.get("tags", [])
        if tags:
            new.metadata["tags"] = list(tags)
        nb.cells.append(new)
    nb.metadata["opslab"] = {"source": f"source/{stem}.md", "source_sha256": digest,
                             "lang": lang, "role": role}
    return normalise(nb)


# ------------------------------------------------------------------ legacy (English-only)
def make_trainee_copy(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The trainee version of an English solution notebook (sources only)."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if BEGIN in cell.source:
            cell.source = strip_solution(cell.source, cell.cell_type, "en")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return normalise(nb)


def _legacy_solution(stem: str) -> nbformat.NotebookNode:
    nb = normalise(nbformat.read(folder("en", "solution") / f"{stem}.ipynb", as_version=4))
    for cell in nb.cells:
        cell.source = _filled(cell, stem, "en")
    return nb


# ------------------------------------------------------------------ build and check
def run_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 300) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def expected_editions(stem: str) -> dict[Path, nbformat.NotebookNode]:
    """Every edition a lesson's source implies (unexecuted), by path."""
    if stem in converted():
        source, digest = read_source(stem), source_digest(stem)
        problems = twin_problems(source)
        if problems:
            raise ValueError(f"source/{stem}.md: " + "; ".join(problems))
        return {folder(lang, role) / f"{stem}.ipynb": edition(source, stem, lang, role, digest)
                for lang in LANGS for role in ROLES}
    solution = _legacy_solution(stem)
    return {folder("en", "solution") / f"{stem}.ipynb": solution,
            folder("en", "trainee") / f"{stem}.ipynb": make_trainee_copy(solution)}


def build(names: list[str] | None = None, execute: bool = True) -> list[Path]:
    """Write (and execute) every edition of the named lessons (default: all)."""
    written = []
    for stem in LESSONS:
        if names and stem not in names:
            continue
        for path, nb in expected_editions(stem).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if execute:
                run_notebook(nb, path.parent)
            nbformat.write(nb, path)
            written.append(path)
    return written


def stale_editions(lessons: list[str] | None = None) -> list[str]:
    """Editions missing, older than their source, or edited by hand (as 'path: why')."""
    stale = []
    for stem in lessons or LESSONS:
        for path, expected in expected_editions(stem).items():
            name = path.relative_to(ROOT).as_posix()
            if not path.exists():
                stale.append(f"{name}: missing")
                continue
            actual = nbformat.read(path, as_version=4)
            recorded = actual.metadata.get("opslab", {}).get("source_sha256")
            if recorded != expected.metadata.get("opslab", {}).get("source_sha256"):
                stale.append(f"{name}: older than its source")
            elif [(c.cell_type, c.source) for c in expected.cells] != \
                    [(c.cell_type, c.source) for c in actual.cells]:
                stale.append(f"{name}: edited by hand (cells differ from its source)")
    return stale
