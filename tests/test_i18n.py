"""The message catalogue, Chinese prose, and Chinese that actually draws."""

import re
import warnings

import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.backends.backend_agg import FigureCanvasAgg

import opshelpers as ops
from opshelpers import exercises, i18n, notebooks, plots
from opshelpers.templates import FOLDER


def test_every_message_has_both_languages_with_the_same_placeholders():
    messages = i18n.messages()
    assert len(messages) > 40
    for key, texts in messages.items():
        assert set(texts) == set(i18n.LANGS), key
        assert all(texts.values()), f"{key}: an empty text"
        assert i18n.placeholders(texts["zh"]) == i18n.placeholders(texts["en"]), key


def test_language_follows_setup_and_can_be_overridden_per_call():
    try:
        ops.setup(lang="en")
        assert ops.t("check.passed", qid="q1") == "✅ q1: checks passed."
        assert ops.t("check.passed", "zh", qid="q1") == "✅ q1：检查通过。"
        ops.setup()
        assert i18n.language() == "zh"
        with pytest.raises(ValueError, match='use "zh"'):
            ops.setup(lang="cn")
        with pytest.raises(KeyError, match="no message 'nope'"):
            ops.t("nope")
    finally:
        ops.setup()


def test_setup_shows_a_data_quality_warning_as_its_message_alone(monkeypatch):
    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)   # restored after
    ops.setup()
    ops.setup()                                      # twice: still one wrapper
    shown = warnings.formatwarning("3 行被剔除", ops.DataQualityWarning, "/x/compat.py", 118)
    assert shown == "DataQualityWarning: 3 行被剔除\n"
    other = warnings.formatwarning("old", DeprecationWarning, "/x/y.py", 7)
    assert other.startswith("/x/y.py:7: DeprecationWarning: old")


def test_catalogue_file_errors_are_named(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[x]\ny = "only one language"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE", tmp_path)
    i18n.messages.cache_clear()
    try:
        with pytest.raises(ValueError, match="'x.y' must be a table of zh and en"):
            i18n.messages()
    finally:
        monkeypatch.undo()
        i18n.messages.cache_clear()


def test_latin_runs_flags_untranslated_sentences_only():
    assert i18n.latin_runs("用 `ops.check(question_id, answer)` 检查") == []
    assert i18n.latin_runs("$$\\text{signups per visit and more}$$") == []
    assert i18n.latin_runs("KOL 和 SEM 的 ROI") == []                      # three-word terms
    assert i18n.latin_runs("| 转化率 | conversion rate (CVR) | 访问中…") == []
    assert i18n.latin_runs("先看 daily active users by channel 再说") == \
        ["daily active users by channel"]


def _chinese_texts():
    for key, texts in i18n.messages().items():
        yield f"catalogue {key}", texts["zh"]
    for q in exercises.QUESTIONS.values():
        for part in ("prompt", "hint"):
            yield f"{q.qid} {part}", getattr(q, part).zh
        for name, (why, _) in q.mistakes.items():
            yield f"{q.qid} mistake {name}", why.zh
        for item in q.rubric + q.selfcheck:
            yield f"{q.qid} rubric/self-check", item.zh
    for stem in notebooks.converted():
        for i, cell in enumerate(notebooks.read_source(stem).cells):
            if cell.metadata.get("lang") == "zh":
                yield f"source/{stem}.md cell {i}", cell.source
    for path in sorted(FOLDER.glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.metadata.get("lang") == "zh":
                yield f"templates/{path.name} cell {i}", cell.source


def test_chinese_texts_hold_no_untranslated_sentence():
    found = {where: runs for where, text in _chinese_texts() if (runs := i18n.latin_runs(text))}
    assert found == {}


def _render(text: str, family: str | None = None, fname: str | None = None
            ) -> tuple[np.ndarray, list[str]]:
    fig = Figure(figsize=(1, 1), dpi=100)
    FigureCanvasAgg(fig)
    font = FontProperties(fname=fname, size=40) if fname else FontProperties(family=family, size=40)
    fig.text(0.5, 0.5, text, fontproperties=font, ha="center", va="center")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128
    return pixels, [str(w.message) for w in caught]


def test_chinese_draws_with_the_bundled_font_and_not_as_boxes():
    assert plots.register_cjk_font() == "Noto Sans CJK SC"
    chars = "留存转化"
    ours = [_render(c, "Noto Sans CJK SC") for c in chars]
    assert all(not msgs for _, msgs in ours), [m for _, m in ours]     # no missing glyph
    assert all(p.sum() > 50 for p, _ in ours)                          # something drawn
    # four different characters give four different pictures ...
    assert len({p.tobytes() for p, _ in ours}) == len(chars)
    # ... while a font without CJK draws the same box for each, and says so
    boxes = [_render(c, "DejaVu Sans") for c in chars]
    assert all(any("missing from font" in m for m in msgs) for _, msgs in boxes)
    assert len({p.tobytes() for p, _ in boxes}) == 1


def test_the_bundled_font_file_itself_has_the_glyphs():
    """Whatever the machine has installed: the file that comes with the package draws."""
    from noto_cjk_sans_otc import FONT_PATH

    plots.register_cjk_font()
    registered = {f.fname for f in font_manager.fontManager.ttflist
                  if f.name == "Noto Sans CJK SC"}
    assert str(FONT_PATH) in registered
    shots = [_render(c, fname=str(FONT_PATH)) for c in "留存转化"]
    assert all(not msgs for _, msgs in shots)
    assert len({p.tobytes() for p, _ in shots}) == 4


def test_house_style_draws_chinese_labels_without_warnings():
    ops.setup()
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([1, 2], [3, 4], label=ops.t("users.state_name.new"))
    ax.set(title=ops.t("plots.funnel_title"), xlabel=ops.t("plots.users"))
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert [str(w.message) for w in caught] == []
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    assert fig.dpi >= 100 and fig.get_size_inches()[0] * fig.dpi >= 800


def test_a_missing_glyph_is_never_silenced():
    ops.setup()
    assert not any("Glyph" in str(f[1]) for f in warnings.filters if f[1] is not None)
    _, msgs = _render("\U0001D54F", "Noto Sans CJK SC")     # 𝕏: not in the CJK font
    assert any("missing from font" in m for m in msgs)


def _wrapped(text: str) -> bool:
    """Two lines of one Chinese paragraph (not a heading, list item, table or formula)."""
    cjk = re.compile(r"[\u4e00-\u9fff，。；：、）」！？（「]")
    lines = [line.strip() for line in text.splitlines()]
    block = ("#", "|", "- ", "* ", "$$", "<", "```")
    return any(a and b and not a.startswith(block) and not b.startswith(block)
               and cjk.match(a[-1]) and cjk.match(b[0]) for a, b in zip(lines, lines[1:]))


def test_chinese_paragraphs_are_not_wrapped():
    """Markdown joins wrapped lines with a space, which shows between Chinese sentences:
    write each Chinese paragraph on one line."""
    assert _wrapped("第一句，\n第二句。") and not _wrapped("## 标题\n正文。")
    found = [where for where, text in _chinese_texts()
             if where.startswith(("source/", "templates/")) and _wrapped(text)]
    assert found == []
