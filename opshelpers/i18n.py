"""The message catalogue: every sentence a person reads from the package, in 中文 and English.

Messages live in `opshelpers/catalogue/*.toml`, one table per message id holding its
`zh` and `en` texts (placeholders in `{braces}` are the same in both; a test checks it).
`ops.setup(lang=...)` chooses the language; every function that writes text for a person
also takes `lang=` so one call can differ. Chinese is the default.

>>> t("check.passed", qid="q1", lang="en")
'✅ q1: checks passed.'
>>> t("check.passed", qid="q1", lang="zh")
'✅ q1：检查通过。'

Taught in 00_start_here §How exercises work.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

LANGS = ("zh", "en")
CATALOGUE = Path(__file__).resolve().parent / "catalogue"
_current = {"lang": "zh"}


def set_language(lang: str) -> str:
    """Make `lang` ("zh" or "en") the language of every message; returns it.

    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr': use "zh" (中文) or "en" (English)
    """
    _current["lang"] = _checked(lang)
    return lang


def language(lang: str | None = None) -> str:
    """`lang` if given (checked), else the language chosen by `ops.setup(lang=...)`."""
    return _current["lang"] if lang is None else _checked(lang)


def _checked(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f'unknown language {lang!r}: use "zh" (中文) or "en" (English)')
    return lang


@functools.cache
def messages() -> dict[str, dict[str, str]]:
    """Every message id → {"zh": …, "en": …}, read once from the catalogue files."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE.glob("*.toml")):
        with path.open("rb") as f:
            for key, texts in _flatten(tomllib.load(f)):
                if key in out:
                    raise ValueError(f"message {key!r} is defined twice ({path.name})")
                out[key] = texts
    return out


def _flatten(table: dict, prefix: str = ""):
    """Nested TOML tables → ("a.b.c", {"zh": …, "en": …}) pairs."""
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and set(value) <= set(LANGS) and value:
            yield key, value
        elif isinstance(value, dict):
            yield from _flatten(value, key + ".")
        else:
            raise ValueError(f"catalogue entry {key!r} must be a table of zh and en texts")


def t(key: str, lang: str | None = None, **fields) -> str:
    """The message `key` in `lang` (default: the current language), fields filled in."""
    texts = messages().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in opshelpers/catalogue; add it there")
    return texts[language(lang)].format(**fields)


def placeholders(text: str) -> set[str]:
    """Names of the `{fields}` a text uses.

    >>> sorted(placeholders("{qid}: {n:,} rows"))
    ['n', 'qid']
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Text:
    """A sentence written in both languages beside the code that uses it (a question's
    prompt, a hint). `Text(zh="转化率", en="conversion rate").get("en")` → 'conversion rate'.
    """

    zh: str
    en: str

    def get(self, lang: str | None = None, **fields) -> str:
        return getattr(self, language(lang)).format(**fields)


_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\([^()]*\)|（[^（）]*）"
                        r"|<[^>]*>|https?://\S+", re.S)
_LATIN_RUN = re.compile(r"[A-Za-z][\w'’.-]*(?:[ \t]+[A-Za-z][\w'’.-]*){3,}")


def latin_runs(text: str) -> list[str]:
    """Runs of four or more Latin-script words in Chinese prose, outside code, formulas,
    links and brackets: an untranslated sentence.

    >>> latin_runs("转化率（conversion rate, CVR）= 注册数 / 访问数")
    []
    >>> latin_runs("这一周 the campaign was paused 了")
    ['the campaign was paused']
    """
    return _LATIN_RUN.findall(_NOT_PROSE.sub(" ", text))
