"""The curriculum's notebooks: trainee copies generated from the solution sources.

A solution notebook (`notebooks/solutions/NN_name.ipynb`) marks worked answers with
`### BEGIN SOLUTION` / `### END SOLUTION`. `make_trainee_copy` replaces each marked
block by a placeholder — an answer assignment `q… = ...` becomes `q… = None` — and
`build()` executes both copies so that strict nbval has outputs to compare.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
SOLUTIONS = ROOT / "solutions"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
ANSWER = re.compile(r"^(\s*)(q\d+\w*)\s*=")
LESSONS = ("00_start_here", "01_traffic", "02_users", "03_community", "04_content",
           "05_activity", "06_data", "07_capstone_weekly_review")


def strip_solution(source: str, cell_type: str = "code") -> str:
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
                out.append("*Your answer here.*")
            else:
                indent = re.match(r"\s*", block[0]).group(0) if block else ""
                out.append(f"{indent}# YOUR CODE HERE")
                out += [f"{m.group(1)}{m.group(2)} = None" for m in map(ANSWER.match, block)
                        if m]
            continue
        (block if inside else out).append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r} in:\n{source}")
    return "\n".join(out)


def make_trainee_copy(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The trainee version of a solution notebook (sources only, outputs cleared)."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if BEGIN in cell.source:
            cell.source = strip_solution(cell.source, cell.cell_type)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return normalise(nb)


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable metadata: python3 kernelspec, no editor state, no cell ids churn."""
    nb.metadata = nbformat.NotebookNode({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    for i, cell in enumerate(nb.cells):
        cell.metadata = nbformat.NotebookNode(
            {k: v for k, v in cell.metadata.items() if k in ("tags",)})
        cell["id"] = f"c{i:03d}"
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def navigation(stem: str) -> str:
    """The navigation line written at the top and bottom of every lesson."""
    i = LESSONS.index(stem)
    prev = f"[← {LESSONS[i - 1]}]({LESSONS[i - 1]}.ipynb)" if i > 0 else "← (start)"
    nxt = f"[{LESSONS[i + 1]} →]({LESSONS[i + 1]}.ipynb)" if i + 1 < len(LESSONS) else "(end) →"
    return f"{prev} · [Contents](00_start_here.ipynb#Contents) · {nxt}"


def _set_navigation(nb, stem: str) -> None:
    for cell in nb.cells:
        if "nav" in cell.metadata.get("tags", []):
            cell.source = navigation(stem)


def run_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 300) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def build(names: list[str] | None = None, execute: bool = True) -> list[Path]:
    """Normalise + execute each solution notebook and write its executed trainee copy."""
    written = []
    for src in sorted(SOLUTIONS.glob("*.ipynb")):
        if names and src.stem not in names:
            continue
        solution = normalise(nbformat.read(src, as_version=4))
        _set_navigation(solution, src.stem)
        trainee = make_trainee_copy(solution)
        if execute:
            run_notebook(solution, SOLUTIONS)
            run_notebook(trainee, ROOT)
        nbformat.write(solution, src)
        nbformat.write(trainee, ROOT / src.name)
        written += [src, ROOT / src.name]
    return written


def stale_copies() -> list[str]:
    """Names of trainee notebooks whose sources differ from what their solution implies."""
    stale = []
    for src in sorted(SOLUTIONS.glob("*.ipynb")):
        expected = make_trainee_copy(nbformat.read(src, as_version=4))
        path = ROOT / src.name
        if not path.exists():
            stale.append(src.stem)
            continue
        actual = nbformat.read(path, as_version=4)
        if [(c.cell_type, c.source) for c in expected.cells] != \
                [(c.cell_type, c.source) for c in actual.cells]:
            stale.append(src.stem)
    return stale
