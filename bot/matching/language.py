"""Messages svbot cannot read as a question: no words at all (a lone emoji), or words in a language it
does not read (another script, or Welsh).

The knowledge, the glossary and the matcher are English, so such a message would only get "outside
what I cover". It gets a reply that says what svbot can read instead (``prompts/unread.txt.j2``), and
``bot.core`` decides what the unanswered log keeps: a question in another language, marked as such,
so an admin sees it; nothing for a message without words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Literal

from bot.matching.normalise import clean, has_link, without_markup

Unread = Literal["no-words", "welsh", "other-script"]
# A message is Welsh when this share of its words or more are common Welsh words (two at least).
WELSH_SHARE = 1 / 3


def _letters(question: str) -> list[str]:
    """The letters and digits of a message, Slack markup, links and emoji codes (":smile:") left out."""
    return [c for c in without_markup(question) if unicodedata.category(c)[0] in "LN"]


def unread(question: str, welsh_words: Iterable[str] = ()) -> Unread | None:
    """Why svbot cannot read ``question`` as a question, or None when it can (or it is blank, or a link)."""
    if not question.strip() or has_link(question):
        return None
    letters = _letters(question)
    if not letters:
        return "no-words"
    alphabetic = [c for c in letters if unicodedata.category(c)[0] == "L"]
    latin = sum(1 for c in alphabetic if unicodedata.name(c, "").startswith("LATIN"))
    if alphabetic and latin * 2 < len(alphabetic):
        return "other-script"
    words = clean(question).split()
    welsh = set(welsh_words)
    hits = sum(1 for w in words if w in welsh)
    if hits >= 2 and hits >= WELSH_SHARE * len(words):
        return "welsh"
    return None
