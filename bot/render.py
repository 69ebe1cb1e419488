"""Render everything the bot says from the Jinja2 templates in ``prompts/``.

Two environments share the templates folder. Slack templates (``*.slack.j2``)
escape every value they print with Slack's three entities, so user text can
never become a mention or a link; templates themselves may still use markup.
Text templates (``*.txt.j2``, ``*.md.j2``, ...) drop control characters so
nothing printed can drive a terminal. HTML templates (``*.html.j2``) do the
same and HTML-escape every value (Jinja2's autoescape).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.paths import PROMPTS_DIR

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def slack_escape(value: object) -> str:
    """Escape text for Slack: only &, < and > are special."""
    text = _CONTROL.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(value: object) -> str:
    """Text safe to print: no control or direction-changing characters."""
    return _CONTROL.sub("", str(value))


def _finalize_slack(value: Any) -> Any:
    return slack_escape(value) if value is not None else ""


def _finalize_plain(value: Any) -> Any:
    return plain(value) if value is not None else ""


def _finalize_html(value: Any) -> Any:
    # Markup (a macro's output) is escaped already; anything else is cleaned, then autoescaped.
    if value is None:
        return ""
    return value if isinstance(value, Markup) else plain(value)


# Characters that are Markdown syntax anywhere in a line, and an entity-like "&name;".
_MD_INLINE = re.compile(r"([\\`*_\[\]<|])|&(?=#?\w+;)")
# Syntax only at the start of a line: headings, quotes, lists, setext underlines.
_MD_LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)](?:\s|$)))?)([.)#>+=-])", re.MULTILINE)


def markdown_text(value: object) -> str:
    """User text inside a Markdown record, escaped for Markdown (not HTML): it reads as typed.

    "Care & Support" and "a > b" stay as they are; anything that would become
    markup (raw HTML, emphasis, links, table pipes, a heading or quote at the
    start of a line) is backslash-escaped, so it shows literally.
    """
    text = _MD_INLINE.sub(lambda m: "\\" + (m.group(1) or "&"), plain(value))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_cell(value: object) -> str:
    """User text in a Markdown table cell: one line, escaped."""
    return markdown_text(" ".join(str(value).split()))


def and_list(items: Any) -> str:
    """Items as a sentence reads them: "England and Wales", "England, Wales and Northern Ireland"."""
    words = [str(i) for i in items]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def _shorten(value: str, limit: int) -> str:
    value = str(value)
    return value if len(value) <= limit else value[: max(limit - 1, 0)].rstrip() + "…"


def shorten_apart(values: Iterable[object], limit: int) -> list[str]:
    """Each value cut after a whole word to fit ``limit`` characters ("…" marks a cut), but never where
    two different values would read the same: the cut then comes after the first word they differ in."""
    texts = [str(v) for v in values]
    return [
        _cut_after_word(text, limit, max([0, *(_alike_for(text, o) + 1 for o in texts if o != text)])) for text in texts
    ]


def _alike_for(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` begin with in common."""
    return next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))


def _cut_after_word(text: str, limit: int, least: int) -> str:
    """``text`` to the last space that leaves it within ``limit`` with its "…", or to the first space past
    ``least`` characters when that is further; whole if it fits or no space comes."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < least:
        cut = text.find(" ", least)
    return text if cut <= 0 else text[:cut] + "…"


class Renderer:
    """Loads templates once; ``render`` fills one in."""

    def __init__(self, folder: Path = PROMPTS_DIR):
        self.folder = folder
        common: dict[str, Any] = {
            "undefined": StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "keep_trailing_newline": False,
            "autoescape": False,
        }
        self._slack = Environment(loader=FileSystemLoader(folder), finalize=_finalize_slack, **common)
        self._plain = Environment(loader=FileSystemLoader(folder), finalize=_finalize_plain, **common)
        self._html = Environment(
            loader=FileSystemLoader(folder), finalize=_finalize_html, **{**common, "autoescape": True}
        )
        for env in (self._slack, self._plain, self._html):
            env.filters["shorten"] = _shorten
            env.filters["md"] = markdown_text
            env.filters["cell"] = markdown_cell
            env.filters["and_list"] = and_list
            env.filters["shorten_apart"] = shorten_apart

    def _env(self, name: str) -> Environment:
        if name.endswith(".slack.j2"):
            return self._slack
        return self._html if name.endswith(".html.j2") else self._plain

    def render(self, name: str, **context: Any) -> str:
        """Render template ``name`` (a path under prompts/) with ``context``."""
        return self._env(name).get_template(name).render(**context).strip()

    def strings(self, name: str) -> Any:
        """The ``{% set %}`` values of a template, e.g. button labels."""
        return self._env(name).get_template(name).module
