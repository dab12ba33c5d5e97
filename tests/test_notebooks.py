"""Notebook harness: editions generated from their sources, executed, and in sync."""

import re
import shutil

import nbformat
import pandas as pd
import pytest

from opshelpers import glossary, i18n, notebooks

EDITIONS = sorted(notebooks.ROOT.glob("zh/**/*.ipynb")) + \
    sorted(notebooks.ROOT.glob("en/**/*.ipynb"))
HEADINGS = {"zh": ("## 学习目标", "## 小结", "## 练习", "## 回顾"),
            "en": ("## Learning goals", "## Summary", "## Exercises", "Recap")}


def test_every_edition_is_generated_from_its_current_source():
    assert notebooks.stale_editions() == []


def test_every_lesson_has_its_editions():
    for stem in notebooks.converted():
        for lang in i18n.LANGS:
            for role in notebooks.ROLES:
                assert (notebooks.folder(lang, role) / f"{stem}.ipynb").exists()
    assert "00_start_here" in notebooks.converted()
    for stem in notebooks.LESSONS:                       # unconverted: English only
        assert (notebooks.folder("en", "trainee") / f"{stem}.ipynb").exists()


@pytest.mark.parametrize("stem", notebooks.converted())
def test_every_prose_cell_has_its_twin(stem):
    assert notebooks.twin_problems(notebooks.read_source(stem)) == []


def _source(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for lang, text in cells:
        cell = nbformat.v4.new_markdown_cell(text)
        if lang:
            cell.metadata["lang"] = lang
        nb.cells.append(cell)
    return nb


def test_twin_problems_name_the_missing_or_mismatched_twin():
    assert notebooks.twin_problems(_source(("zh", "# 标题"), ("en", "# Title"))) == []
    assert "no en twin" in notebooks.twin_problems(_source(("zh", "只有中文")))[0]
    assert "start with its zh" in notebooks.twin_problems(_source(("en", "English")))[0]
    assert "'#' count" in notebooks.twin_problems(_source(("zh", "## 一"), ("en", "no")))[0]
    assert "start with its zh" in notebooks.twin_problems(_source((None, "untagged")))[0]


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A copy of 00's source and editions, the build pointed at it."""
    root = tmp_path / "notebooks"
    shutil.copytree(notebooks.SOURCES, root / "source")
    for lang in i18n.LANGS:
        for role in notebooks.ROLES:
            src = notebooks.folder(lang, role) / "00_start_here.ipynb"
            dst = root / src.relative_to(notebooks.ROOT)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    monkeypatch.setattr(notebooks, "ROOT", root)
    monkeypatch.setattr(notebooks, "SOURCES", root / "source")
    return root


def test_a_hand_edited_edition_is_caught(sandbox):
    assert notebooks.stale_editions(["00_start_here"]) == []
    path = sandbox / "zh" / "00_start_here.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[5].source += "\n手工改的一句。"
    nbformat.write(nb, path)
    assert notebooks.stale_editions(["00_start_here"]) == [
        "zh/00_start_here.ipynb: edited by hand (cells differ from its source)"]
    path.unlink()
    assert notebooks.stale_editions(["00_start_here"]) == ["zh/00_start_here.ipynb: missing"]


def test_an_edition_older_than_its_source_is_caught(sandbox):
    source = sandbox / "source" / "00_start_here.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = notebooks.stale_editions(["00_start_here"])
    assert len(stale) == 4 and all(s.endswith("older than its source") for s in stale)


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.relative_to(notebooks.ROOT).as_posix())
def test_committed_editions_are_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute it: make notebooks"
    for c in code:
        assert not any(o.output_type == "error" for o in c.outputs)
        assert not any(o.get("name") == "stderr" for o in c.outputs), c.source
        assert all(len(line) <= 88 for line in c.source.splitlines()), c.source
        assert not c.source.rstrip().endswith(";"), "a trailing ';' breaks strict nbval"
    lang = path.relative_to(notebooks.ROOT).parts[0]
    setup = [c.source for c in code if "ops.setup(" in c.source]
    assert setup and all(f'ops.setup(lang="{lang}")' in s for s in setup)
    sources = "\n".join(c.source for c in nb.cells)
    assert all(h in sources for h in HEADINGS[lang]), HEADINGS[lang]


def test_trainee_editions_have_no_solutions_and_solutions_have_rubrics():
    for path in EDITIONS:
        if "solutions" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert notebooks.BEGIN not in text and notebooks.END not in text
    zh = nbformat.read(notebooks.folder("zh", "trainee") / "00_start_here.ipynb", 4)
    solution = nbformat.read(notebooks.folder("zh", "solution") / "00_start_here.ipynb", 4)
    text = "\n".join(c.source for c in zh.cells)
    assert "q1_kol_march_signups = None" in text and "自查清单" in text and "评分要点" not in text
    text = "\n".join(c.source for c in solution.cells)
    assert "评分要点" in text and "自查清单" not in text


def test_strip_solution_keeps_answer_names_and_rejects_broken_markers():
    src = "a = 1\n### BEGIN SOLUTION\nx = a * 2\nq7_total = x\n### END SOLUTION\ncheck(q7_total)"
    assert notebooks.strip_solution(src) == \
        "a = 1\n# YOUR CODE HERE\nq7_total = None\ncheck(q7_total)"
    assert notebooks.strip_solution(src, lang="zh").splitlines()[1] == "# 在这里写你的代码"
    with pytest.raises(ValueError, match="without"):
        notebooks.strip_solution("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without"):
        notebooks.strip_solution("x = 1\n### END SOLUTION")


def test_navigation_links_to_the_english_edition_until_a_lesson_is_converted():
    assert notebooks.navigation("00_start_here", "en").endswith(
        "[01_traffic →](01_traffic.ipynb)")
    zh = notebooks.navigation("00_start_here", "zh")
    assert zh.startswith("←（开始） · [目录](00_start_here.ipynb#Contents)")
    assert zh.endswith("[01_traffic →](01_traffic.ipynb)")          # converted: stays in zh
    assert notebooks.navigation("01_traffic", "en").startswith(
        "[← 00_start_here](00_start_here.ipynb)")
    zh01 = notebooks.navigation("01_traffic", "zh")                    # 02 is converted
    assert zh01.endswith("[02_users →](02_users.ipynb)")
    assert notebooks.navigation("02_users", "zh").endswith("[03_community →](03_community.ipynb)")
    assert notebooks.navigation("03_community", "zh").endswith(
        "[03b_members_voice →](03b_members_voice.ipynb)")
    assert notebooks.navigation("03b_members_voice", "zh").endswith(
        "[04_content →](04_content.ipynb)")
    assert notebooks.navigation("04_content", "zh").endswith(
        "[05_activity →](05_activity.ipynb)")
    zh05 = notebooks.navigation("05_activity", "zh")                   # 06 is not yet
    assert "(../en/06_data.ipynb)" in zh05 and "英文版" in zh05
    assert zh05.startswith("[← 04_content](04_content.ipynb)")


def test_glossary_complete():
    g = glossary.table()
    assert g["metric"].is_unique and len(g) >= 40
    assert set(g["area"]) == set(glossary.AREAS)
    assert g[["chinese", "formula", "denominator", "misleads_when"]].ne("").all().all()
    assert glossary.term("aov", lang="en") == "Average order value (AOV) (客单价)"
    with pytest.raises(ValueError, match="unknown area"):
        glossary.table("sales")


# --------------------------------------------------------- answers not on the screen
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?\d[\d,]*(?:\.\d+)?(?:\s?%)?")


def _shown_numbers(text: str) -> list[tuple[float, int, bool]]:
    """Every number written in `text`: (value, significant digits as written, percent).
    A percentage's value is its fraction; for it the digits are its decimals."""
    found = []
    for token in NUMBER.findall(text.replace("−", "-")):
        raw = token.replace(",", "").replace(" ", "")
        percent = raw.endswith("%")
        raw = raw.rstrip("%")
        if percent:
            decimals = len(raw.split(".")[1]) if "." in raw else 0
            found.append((float(raw) / 100, decimals, True))
        else:
            digits = raw.lstrip("-").replace(".", "").lstrip("0")
            found.append((float(raw), len(digits) if "." in raw else
                          len(digits.rstrip("0")) or 1, False))
    return found


def _gives(shown: tuple[float, int, bool], answer: float) -> bool:
    """Does a written number state `answer`: the answer rounded to the 3+ significant
    digits it shows, or a percentage with 1+ decimals equal to the answer's? (Two digits
    or a whole percentage match unrelated numbers by chance: table indices, a CTR.)"""
    value, digits, percent = shown
    if percent:
        return digits >= 1 and round(100 * value, digits) == round(100 * answer, digits)
    return digits >= 3 and value == float(f"{answer:.{digits}g}")


def _cell_text(cell) -> str:
    if cell.cell_type == "markdown":
        return cell.source
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out["text"])
        for mime in ("text/plain", "text/markdown"):
            parts.append(out.get("data", {}).get(mime, ""))
    return "\n".join(parts)


@pytest.mark.parametrize("stem", notebooks.converted())
@pytest.mark.parametrize("lang", notebooks.LANGS)
def test_no_answer_is_on_the_screen_before_its_question(stem, lang):
    """In the solution edition, nothing shown above a question — prose or output — states
    its answer: no number there is the answer at 3+ significant digits or as a
    percentage with 1+ decimals, and a date answer is not written out."""
    from opshelpers.exercises import QUESTIONS, Data

    path = notebooks.folder(lang, "solution") / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    data, shown, checked, above_prompt = Data(), [], 0, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.match(r"\*\*Q\d+\.\*\*", cell.source):
            above_prompt = len(shown)              # the prompt itself may name numbers
        asked = re.search(r'ops\.check\("(q\w+)"', cell.source)
        q = QUESTIONS.get(asked.group(1)) if asked and cell.cell_type == "code" else None
        if q is not None and q.spec.kind in ("number", "date"):
            want = data.value(q)
            text = "\n".join(shown[:above_prompt])
            if q.spec.kind == "date":
                assert str(pd.Timestamp(want).date()) not in text, q.qid
            else:
                stated = [x for x in _shown_numbers(text) if _gives(x, float(want))]
                assert not stated, f"{q.qid}: {want} is on the screen above it: {stated[:3]}"
            checked += 1
        shown.append(_cell_text(cell))
    assert checked >= (1 if stem == "00_start_here" else 7), checked


def test_the_screen_check_reads_numbers_as_written():
    assert _shown_numbers("wasted 23.3 % of 1,831.5 signups, row 11, v0.5x") == [
        (0.233, 1, True), (1831.5, 5, False), (11.0, 2, False)]
    assert _shown_numbers("单均成本约3.50元") == [(3.5, 3, False)]
    assert _gives((0.0277, 3, False), 0.02767) and not _gives((0.035, 2, False), 0.0348)
    assert _gives((0.233, 1, True), 0.2334) and not _gives((0.23, 0, True), 0.2334)
    assert not _gives((0.0350, 3, False), 0.0348) and _gives((1800.0, 2, False), 1831) is False
