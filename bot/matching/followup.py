"""Follow-up questions: "what about wales?" read in the context of the previous answer.

A conversation (a Slack thread, a direct message, a terminal chat) keeps its
last few answered topics for a while in an in-process LRU. A short question
opening with a follow-up cue from ``matching.yaml`` ("what about", "and
for"...) is then read with the previous question, and so is one without a cue
that points back ("source?", "is that a legal requirement?") or is too thin to
answer alone ("when?"). A nation on its own re-answers the previous topic for
that nation; anything else is matched as the previous question plus the new
words, the topic just answered keeping a small lead, and takes that whole
question's verdict (answered, not sure, outside). When that finds the same topic again,
the answer leads with what the entry says about the new words ("and for goods?"
after the thresholds: the sentences on goods), so it is not the same answer twice.
After a scope finder answer, a follow-up naming the finder's inputs ("and for
goods?", "and if it was 100k?") asks the finder again with them changed
(``bot/scope_followup.py``). The answer names the topic it was read with (``Answer.read_as``, or the
scope check's changes), so a wrong reading is easy to spot.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.knowledge.schema import Entry
from bot.matching.matcher import HOME_DEFAULT, Answer, Matcher, named_nation
from bot.matching.normalise import Normaliser, clean
from bot.scope import Procurement

MAX_CONVERSATIONS = 5_000
TTL_S = 30 * 60
TURNS = 3
# How much the previous question and the new words together count, against the new words alone.
COMBINED_WEIGHT = 2 / 3
# A sentence ends at ". " before a capital or an opening bracket; "s.1(13)" and "e.g. the" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
MAX_FOCUS = 3


@dataclass(frozen=True)
class Turn:
    """One answered question in a conversation: an entry, or a scope finder check (``scope``)."""

    question: str
    entry_id: str
    at: float
    scope: Procurement | None = None


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

    def remember(self, key: str, question: str, entry_id: str, scope: Procurement | None = None) -> None:
        """Keep an answered question (``entry_id``), or a scope finder check (``scope``, no entry)."""
        with self._lock:
            turns = self._data.pop(key, None) or deque(maxlen=self._turns)
            turns.append(Turn(question, entry_id, self._clock(), scope))
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


def _points_back(matcher: Matcher, question: str) -> bool:
    """Whether the question uses a ``followup_refs`` word ("it", "that", "source")."""
    text = f" {clean(question)} "
    return any(f" {clean(w)} " in text for w in matcher.config.followup_refs if clean(w))


def _stands_alone(matcher: Matcher, question: str) -> bool:
    """Greetings and thanks, glossary questions ("and what's a VCSE?", but not "is that the same for
    an NHS trust?") and subjects svbot does not cover ("what about TUPE?") are answered as they
    are, whatever came before."""
    if matcher.small_talk(question) is not None:
        return True
    rest = _cue_rest(matcher, question) or question
    if matcher.definition(rest) is not None and not _points_back(matcher, question):
        return True
    known, _ = matcher.query_terms(question)
    return matcher.outside_topic(question, anchored=matcher.anchored(known)) is not None


def _leans_on_context(matcher: Matcher, question: str, user_nation: str | None) -> bool:
    """Whether a short question without a cue is read with the previous one.

    It is when it points back (a ``followup_refs`` word: "what did it achieve?", "source?") and,
    besides those words and a nation, says little (less than ``min_query_weight``) or finds no
    answer on its own; or when it is too thin to answer alone: no word svbot reads ("when?"), one
    ordinary word in common with its best topic ("what do we need to record?"), or nothing but a
    request for an example ("can you give an example?").
    """
    config = matcher.config
    known, unknown = matcher.query_terms(question)
    if len(known) + len(unknown) > config.followup_max_terms:
        return False
    if not known and not unknown:
        return bool(clean(question))
    pointing = _points_back(matcher, question)
    if pointing:
        words = matcher.normaliser.canonical_words(question)
        other = _ref_terms(matcher) | _nation_terms(matcher.normaliser, words)
        if matcher.information([t for t in known if t not in other], unknown) < config.min_query_weight:
            return True
    alone = matcher.ask(question, user_nation=user_nation)
    if pointing and not alone.answered:
        return True
    if not known or alone.best is None:
        return False
    own = [t for t in known if t not in matcher.example_terms]
    return matcher.evidence(alone.best.entry, own, unknown) is None


def _ref_terms(matcher: Matcher) -> set[str]:
    """The terms of the words that point back ("source", "examples")."""
    return {t for w in matcher.config.followup_refs for t in matcher.normaliser.terms(w)}


def read_followup(
    matcher: Matcher,
    question: str,
    previous: Turn | None,
    entry: Entry | None,
    top: int = 3,
    *,
    user_nation: str | None = None,
) -> Answer | None:
    """The answer to ``question`` read as a follow-up to ``previous``, or None if it is not one.

    ``user_nation`` is the asker's nation, as for ``Matcher.ask``."""
    if previous is None or entry is None:
        return None
    if _stands_alone(matcher, question):
        return None
    cued = _cue_rest(matcher, question)
    pointing = cued is None
    if pointing and not _leans_on_context(matcher, question, user_nation):
        return None
    rest = cued if cued is not None else clean(question)
    words = matcher.normaliser.canonical_words(rest)
    nation = named_nation(words)
    content, _ = matcher.query_terms(rest)
    if nation is not None and len(content) <= 1:
        if not _one_nations_law(entry, nation):
            # "what about wales?": the same topic, for that nation.
            return replace(Answer.for_entry(entry), question=question, nation=nation, read_as=entry)
        # "what about NI?" after Scotland's own law: the previous question, asked of that nation.
        asked = " ".join(w for w in matcher.normaliser.canonical_words(previous.question) if not named_nation([w]))
        again = matcher.ask(f"{asked} {rest}", top=top, user_nation=user_nation)
        if not again.answered:
            return None
        return replace(again, question=question, read_as=entry)
    # The previous question and the new words together find the candidates; the new words alone
    # then weigh in, so "and liverpool?" after Oldham's answer is Liverpool, not Oldham again.
    width = max(top, 1) * 3
    combined = matcher.ask(f"{previous.question} {rest}", top=width, user_nation=user_nation)
    alone = matcher.ask(rest, top=width, user_nation=user_nation)
    together = {m.entry.id: m for m in combined.matches}
    # New words that answer nothing on their own ("works") only narrow the combined question.
    by_itself = {m.entry.id: m for m in alone.matches} if alone.answered and not pointing else {}
    weight = COMBINED_WEIGHT if by_itself else 1.0
    # The topic just answered stays first unless the new words clearly lead elsewhere; not when an
    # example is asked for after a rule ("has any council done that?" wants a case study).
    stay = entry.kind == "case_study" or not matcher.wants_example(question)
    fused = []
    for entry_id, match in together.items():
        alone_score = by_itself[entry_id].score if entry_id in by_itself else 0.0
        score = weight * match.score + (1 - weight) * alone_score
        if entry_id == entry.id and stay:
            score = min(score * (1 + matcher.config.followup_stay), 1.0)
        fused.append(replace(match, score=score))
    fused.sort(key=lambda m: m.score, reverse=True)
    matches = fused[: max(top, 1)]
    if not matches or matches[0].score < matcher.config.answer_threshold:
        return None
    if not combined.answered:
        # What svbot would say to the whole question: not sure ("is there a case study?" when the
        # topic has none), or outside what it covers.
        return replace(combined, question=question, matches=matches, nation=nation, read_as=entry)
    answer = Answer(question, True, False, matches, nation=nation, read_as=entry)
    if matches[0].entry.id != entry.id:
        return answer
    # The same topic again: lead with what it says about the new words, not the same answer twice.
    wanted = set(content) - _nation_terms(matcher.normaliser, words)
    if not wanted:
        return answer
    return replace(answer, focus_on=rest, focus=passages(matcher.normaliser, entry, wanted))


def _one_nations_law(entry: Entry, nation: str) -> bool:
    """Whether an entry is one devolved nation's own law, not ``nation``'s (Scotland's duty, asked
    about NI). England's law asked about another nation is the same topic: the answer says where it
    applies and points to that nation's own law (``bot.nations``)."""
    only = tuple(entry.jurisdiction)
    return entry.kind == "legal" and len(only) == 1 and only[0] != HOME_DEFAULT and nation not in only


def _nation_terms(normaliser: Normaliser, words: list[str]) -> set[str]:
    """The terms of the words that name a nation ("wales" is read as the term "wale")."""
    return {t for w in words if named_nation([w]) for t in normaliser.terms(w)}


def passages(normaliser: Normaliser, entry: Entry, terms: set[str], limit: int = MAX_FOCUS) -> tuple[str, ...]:
    """The entry's sentences and list items that use any of ``terms`` (as the matcher reads them), in order."""
    out: list[str] = []
    for block in (entry.short_answer, *entry.body.split("\n")):
        for sentence in _SENTENCE_END.split(block.strip().removeprefix("- ")):
            if sentence and terms.intersection(normaliser.terms(sentence)) and sentence not in out:
                out.append(sentence)
                if len(out) == limit:
                    return tuple(out)
    return tuple(out)
