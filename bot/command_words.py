"""Command words typed nearly right ("anser", "chekclist"): asked about, never answered as questions.

The chat and the Slack command share the rule. A word one edit from a command word (a
letter added, dropped or changed, or two letters swapped) is a slip, not a question: the
person is asked "did you mean ...?", and nothing is answered or logged as unanswered.
Short words are left alone, since one edit joins too many ordinary words ("now", "new"),
and so is an English word ("expert" is one edit from "export", "shoe" from "show"): a line
starting with one is a question, for the matcher. A word counts as English when the dictionary
has it as a common word, or has it at all and the knowledge base uses it ("checklists"): a
dictionary's rarest entries would otherwise hide slips ("scop", an Old English poet, for "scope").
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    from bot.matching.matcher import Answer

log = logging.getLogger("svbot.command_words")
# Words shorter than this are never taken for a slip ("how" is one edit from "show").
MIN_LENGTH = 4
# A dictionary word seen at least this often in the dictionary's corpus is English whatever the
# knowledge says ("slope", "withdrew"); a rarer one only if the knowledge base uses it too.
COMMON_WORD = 100


@cache
def _english() -> dict[str, int]:
    """pyspellchecker's English words and how often each is seen, loaded (about a quarter of a second)
    only when a word is one edit from a command word. Without the package no word counts as English."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        log.warning("pyspellchecker is not installed: any word near a command word is asked about")
        return {}
    return dict(SpellChecker(language="en").word_frequency.items())


def is_english_word(word: str, known: Callable[[str], bool] | None = None) -> bool:
    """Whether ``word`` (in any case) is an English word: common in the dictionary, or in it and
    ``known`` to the knowledge base (``Matcher.knows``)."""
    seen = _english().get(word.lower())
    if seen is None:
        return False
    return seen >= COMMON_WORD or (known is not None and known(word))


def near_command(word: str, names: Iterable[str], known: Callable[[str], bool] | None = None) -> str | None:
    """The one command word ``word`` is a single edit from, if exactly one and ``word`` is no English
    word itself (``is_english_word``, with ``known``); None for a command word itself."""
    low = word.lower()
    names = [n for n in names if len(n) >= MIN_LENGTH]
    if len(low) < MIN_LENGTH or low in names:
        return None
    close = [n for n in names if OSA.distance(low, n, score_cutoff=1) <= 1]
    if len(close) != 1 or is_english_word(low, known):
        return None
    return close[0]


def stray_word(rest: str) -> bool:
    """Whether what follows a command word that takes no words is one stray word ("scope now"):
    more than that is a question starting with the word ("list of frameworks")."""
    return len(rest.split()) == 1


def heard(answer: Answer) -> bool:
    """Whether svbot has something to say to a line: an answer, a definition, or "outside what I cover"."""
    return answer.replied or answer.outside is not None
