"""Command words typed nearly right ("anser", "chekclist"): asked about, never answered as questions.

The chat and the Slack command share the rule. A word one edit from a command word (a
letter added, dropped or changed, or two letters swapped) is a slip, not a question: the
person is asked "did you mean ...?", and nothing is answered or logged as unanswered.
Short words are left alone, since one edit joins too many ordinary words ("now", "new"),
and so is any word an English dictionary knows ("expert" is one edit from "export", "shoe"
from "show"): a line starting with one is a question, for the matcher.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    from bot.matching.matcher import Answer

log = logging.getLogger("svbot.command_words")
# Words shorter than this are never taken for a slip ("how" is one edit from "show").
MIN_LENGTH = 4


@cache
def _english() -> frozenset[str]:
    """The words of pyspellchecker's English dictionary, loaded (about a quarter of a second) only when
    a word is one edit from a command word. Without the package no word counts as English, as before."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        log.warning("pyspellchecker is not installed: any word near a command word is asked about")
        return frozenset()
    return frozenset(SpellChecker(language="en").word_frequency.keys())


def is_english_word(word: str) -> bool:
    """Whether an English dictionary knows ``word`` (in any case)."""
    return word.lower() in _english()


def near_command(word: str, names: Iterable[str]) -> str | None:
    """The one command word ``word`` is a single edit from, if exactly one and ``word`` is no English
    word itself; None for a command word itself."""
    low = word.lower()
    names = [n for n in names if len(n) >= MIN_LENGTH]
    if len(low) < MIN_LENGTH or low in names:
        return None
    close = [n for n in names if OSA.distance(low, n, score_cutoff=1) <= 1]
    if len(close) != 1 or is_english_word(low):
        return None
    return close[0]


def stray_word(rest: str) -> bool:
    """Whether what follows a command word that takes no words is one stray word ("scope now"):
    more than that is a question starting with the word ("list of frameworks")."""
    return len(rest.split()) == 1


def heard(answer: Answer) -> bool:
    """Whether svbot has something to say to a line: an answer, a definition, or "outside what I cover"."""
    return answer.replied or answer.outside is not None
