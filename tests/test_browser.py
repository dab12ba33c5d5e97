"""Pages we write, drawn by a real browser: the Chinese shows as characters, not boxes.

Debian's fonts-noto-cjk stands in for a reader's laptop font (.ci/run installs it and
Chromium); the page itself names the font stack and fetches nothing.
"""

import os
import shutil
import subprocess

import pytest

from opshelpers import reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: .ci/run installs it")
    pytest.skip("Chromium is not installed (apt-get install chromium fonts-noto-cjk)",
                allow_module_level=True)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot(page, tmp_path, size="1000,800") -> bytes:
    shot = tmp_path / f"{page.stem}.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                    f"--window-size={size}", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=60)
    return shot.read_bytes()


def test_report_headings_draw_as_distinct_chinese_glyphs(tmp_path):
    chars = ["留", "存", "转", "\ue000", "\ue001"]       # the last two: no font has them
    shots = []
    for i, char in enumerate(chars):
        page = reports.to_html({}, tmp_path / f"p{i}.html", title=char, lang="zh")
        shots.append(screenshot(page, tmp_path, "300,200"))
    assert len(set(shots[:3])) == 3                     # three characters, three pictures
    assert shots[3] == shots[4]                         # the method: missing glyphs look alike
    assert shots[3] not in shots[:3]                    # and the real ones are not boxes


def test_weekly_report_page_renders(tmp_path):
    import opshelpers as ops

    tables = {n: ops.load_sample(n) for n in ("events", "orders", "visits", "posts",
                                              "campaigns")}
    page = reports.to_html(reports.weekly_report(tables, "2026-04-20"),
                           tmp_path / "weekly.html", "茶语周报 2026-04-20", lang="zh")
    assert "http" not in page.read_text(encoding="utf-8")
    assert screenshot(page, tmp_path).startswith(b"\x89PNG")
