"""Follow-up questions: "what about wales?" read in the context of the previous answer.

A conversation (a Slack thread, a direct message, a terminal chat) keeps its
last few answered topics for a while in an in-process LRU. A short question
opening with a follow-up cue from ``matching.yaml`` ("what about", "and
for"...) is then read with the previous question: a nation on its own
re-answers the previous topic for that nation; anything else is matched as the
previous question plus the new words. The answer names the topic it was read
with (``Answer.read_as``), so a wrong reading is easy to spot.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.knowledge.schema import Entry
from bot.matching.matcher import Answer, Matcher, named_nation
from bot.matching.normalise import clean

MAX_CONVERSATIONS = 5_000
TTL_S = 30 * 60
TURNS = 3
# How much the previous question and the new words together count, against the new words alone.
COMBINED_WEIGHT = 2 / 3


@dataclass(frozen=True)
class Turn:
    """One answered question in a conversation."""

    question: str
    entry_id: str
    at: float


class Conversations:
    """The last few answered topics per conversation, forgotten after ``ttl_s`` of silence."""

    def __init__(
        self,
        max_conversations: int = MAX_CONVERSATIONS,
        ttl_s: float = TTL_S,
        turns: int = TURNS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._max = max_conversations
        self._ttl = ttl_s
        self._turns = turns
        self._clock = clock
        self._lock = threading.Lock()
        self._data: OrderedDict[str, deque[Turn]] = OrderedDict()

    def last(self, key: str) -> Turn | None:
        """The most recent turn of the conversation, if it is recent enough."""
        with self._lock:
            turns = self._data.get(key)
            if not turns:
                return None
            if self._clock() - turns[-1].at > self._ttl:
                del self._data[key]
                return None
            return turns[-1]

    def remember(self, key: str, question: str, entry_id: str) -> None:
        with self._lock:
            turns = self._data.pop(key, None) or deque(maxlen=self._turns)
            turns.append(Turn(question, entry_id, self._clock()))
            self._data[key] = turns
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


def _cue_rest(matcher: Matcher, question: str) -> str | None:
    """The words after a follow-up cue ("what about wales?" -> "wales"), or None if not a follow-up."""
    text = clean(question)
    config = matcher.config
    for cue in sorted((clean(c) for c in config.followup_cues), key=len, reverse=True):
        if cue and (text == cue or text.startswith(cue + " ")):
            rest = text[len(cue) :].strip()
            known, unknown = matcher.query_terms(rest)
            if rest and len(known) + len(unknown) <= config.followup_max_terms:
                return rest
            return None
    return None


def read_followup(
    matcher: Matcher, question: str, previous: Turn | None, entry: Entry | None, top: int = 3
) -> Answer | None:
    """The answer to ``question`` read as a follow-up to ``previous``, or None if it is not one."""
    if previous is None or entry is None:
        return None
    rest = _cue_rest(matcher, question)
    if rest is None:
        return None
    words = matcher.normaliser.canonical_words(rest)
    nation = named_nation(words)
    content, _ = matcher.query_terms(rest)
    if nation is not None and len(content) <= 1:
        # "what about wales?": the same topic, for that nation.
        return replace(Answer.for_entry(entry), question=question, nation=nation, read_as=entry)
    # The previous question and the new words together find the candidates; the new words alone
    # then weigh in, so "and liverpool?" after Oldham's answer is Liverpool, not Oldham again.
    width = max(top, 1) * 3
    combined = matcher.ask(f"{previous.question} {rest}", top=width)
    alone = matcher.ask(rest, top=width)
    together = {m.entry.id: m for m in combined.matches}
    # New words that answer nothing on their own ("works") only narrow the combined question.
    by_itself = {m.entry.id: m for m in alone.matches} if alone.answered else {}
    weight = COMBINED_WEIGHT if by_itself else 1.0
    fused = []
    for entry_id, match in together.items():
        alone_score = by_itself[entry_id].score if entry_id in by_itself else 0.0
        fused.append(replace(match, score=weight * match.score + (1 - weight) * alone_score))
    fused.sort(key=lambda m: m.score, reverse=True)
    matches = fused[: max(top, 1)]
    if not matches or matches[0].score < matcher.config.answer_threshold:
        return None
    return Answer(question, True, False, matches, nation=nation, read_as=entry)
