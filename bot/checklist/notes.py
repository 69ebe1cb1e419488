"""Whether a dispute's note, or a decision maker's note upholding one, gives a reason (``notes:`` in checklist.yaml).

A note is what stands in the record for overriding the reasons checker, so "agreed", "ok"
or a single character will not do: a note needs a few words of substance, the rule an
admin reads and tunes in knowledge/checklist.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.schema import NoteRule

# Words as people write them: letters and digits, with inner apostrophes ("building's").
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class NoteReading:
    """The words of substance a note gives, and the stock phrases it leans on."""

    substance: list[str]
    stock: list[str]

    def enough(self, rule: NoteRule) -> bool:
        return len(self.substance) >= rule.min_words


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def read_note(text: str, rule: NoteRule) -> NoteReading:
    """The note's words of substance (not filler, not inside a stock non-answer) and the stock phrases found."""
    words = _words(text)
    stock: list[str] = []
    # Longest phrases first, so "as above" is taken whole before any shorter phrase inside it.
    for phrase in sorted(rule.non_answers, key=lambda p: -len(_words(p))):
        pattern = _words(phrase)
        size = len(pattern)
        i = 0
        while size and i + size <= len(words):
            if words[i : i + size] == pattern:
                if phrase not in stock:
                    stock.append(phrase)
                words = words[:i] + words[i + size :]
            else:
                i += 1
    filler = {w.casefold() for w in rule.filler_words}
    # One character is not a word of substance unless it is a figure ("5 sites").
    substance = [w for w in words if w not in filler and (len(w) > 1 or w.isdigit())]
    return NoteReading(substance, stock)
