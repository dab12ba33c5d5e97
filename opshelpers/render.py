"""HTML pages from Jinja2 templates (`opshelpers/html/*.html`), autoescaped.

Every value put into a page is escaped unless it is already HTML that we built (a
table from `DataFrame.to_html`, marked `safe` in the template). The pages name a CJK
font stack so the reader's fonts draw the Chinese: no web font, nothing fetched.

>>> print(page("base.html", title="<GMV> 周报", lang="zh").splitlines()[1])
<html lang="zh-CN">
>>> "&lt;GMV&gt; 周报" in page("base.html", title="<GMV> 周报", lang="zh")
True
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from .plots import CSS_FONT_STACK

__all__ = ["page"]

FOLDER = Path(__file__).resolve().parent / "html"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def page(template: str, **fields) -> str:
    """The page `template` filled with `fields` (a missing field is an error, not a blank)."""
    return _environment().get_template(template).render(font_stack=CSS_FONT_STACK, **fields)
