"""Command words typed nearly right ("anser", "chekclist"): asked about, never answered as questions.

The chat and the Slack command share the rule. A word one edit from a command word (a
letter added, dropped or changed, or two letters swapped) is a slip, not a question: the
person is asked "did you mean ...?", and nothing is answered or logged as unanswered.
Short words are left alone, since one edit joins too many ordinary words ("now", "new").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    from bot.matching.matcher import Answer

# Words shorter than this are never taken for a slip ("how" is one edit from "show").
MIN_LENGTH = 4


def near_command(word: str, names: Iterable[str]) -> str | None:
    """The one command word ``word`` is a single edit from, if exactly one; None for a command word itself."""
    low = word.lower()
    names = [n for n in names if len(n) >= MIN_LENGTH]
    if len(low) < MIN_LENGTH or low in names:
        return None
    close = [n for n in names if OSA.distance(low, n, score_cutoff=1) <= 1]
    return close[0] if len(close) == 1 else None


def stray_word(rest: str) -> bool:
    """Whether what follows a command word that takes no words is one stray word ("scope now"):
    more than that is a question starting with the word ("list of frameworks")."""
    return len(rest.split()) == 1


def heard(answer: Answer) -> bool:
    """Whether svbot has something to say to a line: an answer, a definition, or "outside what I cover"."""
    return answer.replied or answer.outside is not None
