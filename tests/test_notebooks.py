"""Notebook harness: trainee copies in sync, executed, and the exercise checker honest."""

import nbformat
import pytest

import opshelpers as ops
from opshelpers import exercises, glossary, notebooks


def test_trainee_copies_are_in_sync_with_solutions():
    assert notebooks.stale_copies() == []


@pytest.mark.parametrize("path", sorted(notebooks.ROOT.glob("*.ipynb")) +
                         sorted(notebooks.SOLUTIONS.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_are_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute it: make notebooks"
    for c in code:
        assert not any(o.output_type == "error" for o in c.outputs)
        assert not any(o.get("name") == "stderr" for o in c.outputs), c.source
        assert all(len(line) <= 88 for line in c.source.splitlines()), c.source
        assert not c.source.rstrip().endswith(";"), "a trailing ';' breaks strict nbval"
    sources = "\n".join(c.source for c in nb.cells)
    assert "## Learning goals" in sources and "## Exercises" in sources
    assert "## Summary" in sources and "Recap" in sources


def test_trainee_copy_has_no_solutions():
    for path in notebooks.ROOT.glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert notebooks.BEGIN not in text and notebooks.END not in text


def test_strip_solution_keeps_answer_names_and_rejects_broken_markers():
    src = "a = 1\n### BEGIN SOLUTION\nx = a * 2\nq7_total = x\n### END SOLUTION\ncheck(q7_total)"
    assert notebooks.strip_solution(src) == \
        "a = 1\n# YOUR CODE HERE\nq7_total = None\ncheck(q7_total)"
    with pytest.raises(ValueError, match="without"):
        notebooks.strip_solution("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without"):
        notebooks.strip_solution("x = 1\n### END SOLUTION")


def test_check_feedback_is_honest():
    users = ops.load_sample("users")
    march_kol = ((users["signup_time"].dt.month == 3) & (users["channel"] == "kol")).sum()
    assert exercises.feedback("q1_kol_march_signups", march_kol)[0] == "passed"
    assert exercises.feedback("q1_kol_march_signups", march_kol + 1)[0] == "not yet"
    assert exercises.feedback("q1_kol_march_signups", None)[0] == "unanswered"
    assert exercises.feedback("q2_top_channel", "  Referral ")[0] == "passed"
    assert exercises.feedback("q3_buyer_share", "lots")[0] == "not yet"
    status, message = exercises.feedback("q3_buyer_share", 17.8)   # percent, not fraction
    assert status == "not yet" and "fraction" in message
    assert str(round(exercises.QUESTIONS["q4_median_paid"].solve(), 1)) not in \
        exercises.feedback("q4_median_paid", 1.0)[1]              # never reveals the answer
    with pytest.raises(KeyError, match="unknown question"):
        exercises.feedback("q99", 1)


def test_check_all_counts(capsys):
    ops.check_all({"q2_top_channel": "referral"}, "00_start_here")
    out = capsys.readouterr().out
    assert out.strip().endswith("1 of 5 checks passed.")


def test_glossary_complete():
    g = glossary.table()
    assert g["metric"].is_unique and len(g) >= 40
    assert set(g["area"]) == set(glossary.AREAS)
    assert g[["chinese", "formula", "denominator", "misleads_when"]].ne("").all().all()
    assert glossary.term("aov") == "Average order value (AOV) (客单价)"
    with pytest.raises(ValueError, match="unknown area"):
        glossary.table("sales")


def test_navigation_links():
    assert notebooks.navigation("00_start_here").endswith("[01_traffic →](01_traffic.ipynb)")
