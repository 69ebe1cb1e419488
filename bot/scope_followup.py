"""Follow-ups to a scope finder answer: "and if it was 100k?" asks the finder again with that input changed.

After a scope check (the chat's ``scope``, ``/socialvalue scope``, "Check scope"
on a checklist), a short message that names one or more of the finder's inputs
is read as the same procurement with those inputs changed: the value, however
it is written ("100k", "£0.1m", "100,000", read by ``bot/amounts.py``), the
start date ("in 2025", "before January", "from 1 March 2026", read by
``bot/dates.py``), the nation, and the type, body type, VAT treatment and
arrangement named by the phrases in ``matching.yaml`` (``scope_followups``,
keyed by the finder's own option values); also whether it is health care, whether
the body is a UK one, and the services share of a mixed contract ("services are
70% of it"), named by the phrases in ``scope.yaml`` (``followups``). A message
that also says anything else is a new question, for the matcher. The answer says which inputs changed
(``prompts/scope/read_as.txt.j2``), so a wrong reading is easy to spot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.amounts import AmountError, figures_in
from bot.dates import DateError, find_when
from bot.knowledge.schema import ScopeFollowups
from bot.matching.followup import Turn
from bot.matching.matcher import Matcher, named_nation
from bot.matching.normalise import clean
from bot.scope import BODY_NAMES, BODY_NATION, TYPE_NAMES, Procurement, ScopeError, _money, starting

# The inputs a follow-up may change, in the order the answer names them.
INPUTS = ("type", "services_share", "health_care", "value", "vat", "arrangement", "body", "uk_body", "nation", "start")
START_WHAT = "the start date"
# A share of the value: "70%", "70 %", "70 per cent", "12.5 percent".
_PERCENT = re.compile(r"(?<![\d.,£])(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s?cent\b)", re.IGNORECASE)


@dataclass(frozen=True)
class ScopeFollowUp:
    """A follow-up to a scope finder answer: the procurement asked about before, and now.

    ``start_said`` is how the start date was said ("in 2025") when it changed; ``problem`` is why
    the follow-up cannot be asked (a value that reads two ways, a day that does not exist), in
    words for the person, with ``now`` then the same as ``before``."""

    before: Procurement
    now: Procurement
    start_said: str | None = None
    problem: str | None = None

    @property
    def changed(self) -> dict[str, tuple[Any, Any]]:
        """What the follow-up changed: input -> (before, now)."""
        return {
            n: (_read(self.before, n), _read(self.now, n))
            for n in INPUTS
            if _read(self.before, n) != _read(self.now, n)
        }


def arrangement(p: Procurement) -> str:
    """The finder's arrangement value (``ARRANGEMENTS``) for a procurement's flags."""
    return "call-off" if p.call_off else "framework" if p.framework else "contract"


def _read(p: Procurement, name: str) -> Any:
    if name == "start":
        return (p.start, p.start_until)
    return arrangement(p) if name == "arrangement" else getattr(p, name)


def read_scope_followup(
    matcher: Matcher, question: str, previous: Turn | None, words: ScopeFollowups | None = None
) -> ScopeFollowUp | None:
    """The last scope check with what ``question`` names changed, or None when the question is not
    such a follow-up: there was no scope check just before, or it says anything the finder does not ask.

    ``words``: scope.yaml's ``followups``, the phrases for health care, a UK body and a services share."""
    if previous is None or previous.scope is None:
        return None
    before = previous.scope
    changes: dict[str, Any] = {}
    problem: str | None = None
    said: str | None = None
    text = _share(question, words, changes)
    try:
        found = find_when(text, START_WHAT)
    except DateError as exc:
        found, problem = None, str(exc)
        text = _blank(text, exc.span)
    else:
        text = _blank(text, found[1] if found else None)
    if found is not None:
        when = found[0]
        # "in 2025" is any day of 2025 (the finder answers for each part that differs), not 1 January.
        changes["start"] = when.first_day(before.start)
        changes["start_until"] = when.last_day(before.start) if when.whole else None
        said = None if when.exact or when.whole else when.text
    values = set()
    for figure in figures_in(text):
        if text[figure.span[1] : figure.span[1] + 1] == "%":
            return None  # a share, not a value
        text = _blank(text, figure.span)
        try:
            values.add(figure.pounds())
        except AmountError as exc:
            problem = problem or str(exc)
    if problem is None and len(values) > 1:
        return None  # two values: which one is meant?
    if problem is None and values:
        changes["value"] = values.pop()
    rest = _flags(clean(text), words, changes)
    opening = clean(question).partition(" ")[0]
    if rest is None or not _only_inputs(matcher, rest, changes, words, opening):
        return None
    if problem is not None:
        # Only the finder's inputs, but one it cannot take: say why rather than answer another question.
        return ScopeFollowUp(before, before, problem=problem)
    if not changes:
        return None
    return _asked_again(before, changes, said)


def _share(question: str, words: ScopeFollowups | None, changes: dict[str, Any]) -> str:
    """``question`` with a services share ("services are 70% of it", "30% goods") taken out into
    ``changes`` (a mixed contract with that services share). A percentage beside no kind, or beside
    two, is left in place: the message is then no follow-up."""
    if words is None:
        return question
    found = list(_PERCENT.finditer(question))
    kinds = [
        (kind, m.span())
        for kind, names in words.share_kinds.items()
        for m in re.finditer(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", question, re.IGNORECASE)
    ]
    if len(found) != 1 or len({kind for kind, _ in kinds}) != 1:
        return question
    share = float(found[0].group(1))
    kind = kinds[0][0]
    changes["type"] = "mixed"
    changes["services_share"] = share if kind == "services" else 100 - share
    for span in sorted([found[0].span(), *(span for _, span in kinds)], reverse=True):
        question = _blank(question, span)
    return question


def _flags(text: str, words: ScopeFollowups | None, changes: dict[str, Any]) -> str | None:
    """``text`` (cleaned) with the phrases that say it is health care, or a UK body, or not,
    taken out into ``changes``; None when it says both yes and no to one of them."""
    if words is None:
        return text
    for name, phrases in (("health_care", words.health_care), ("uk_body", words.uk_body)):
        named = [(clean(p), True) for p in phrases.said] + [(clean(p), False) for p in phrases.denied]
        # Longest first, so "not devolved" says a UK body before "devolved" could say the other.
        for phrase, value in sorted(named, key=lambda item: len(item[0]), reverse=True):
            pattern = re.compile(rf"(?<!\S){re.escape(phrase)}(?!\S)")
            if phrase and pattern.search(text):
                if changes.get(name, value) != value:
                    return None  # "health care, not health care": two answers to one input
                changes[name] = value
                text = pattern.sub(" ", text)
    return text


def _blank(text: str, span: tuple[int, int] | None) -> str:
    """``text`` with ``span`` (a date or a figure already read) blanked out."""
    if span is None:
        return text
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def _only_inputs(
    matcher: Matcher, text: str, changes: dict[str, Any], words: ScopeFollowups | None, opening: str = ""
) -> bool:
    """Whether ``text`` (dates, figures and scope.yaml's phrases taken out) is only a follow-up cue,
    the finder's inputs and filler words (matching.yaml's and scope.yaml's); the inputs it names go
    into ``changes``. ``opening``: the message's first word, as said."""
    config = matcher.config
    normaliser = matcher.normaliser
    fillers: Sequence[str] = words.fillers if words else ()
    rest = clean(text)
    cued = False
    for cue in sorted((clean(c) for c in config.followup_cues), key=len, reverse=True):
        if cue and (rest == cue or rest.startswith(cue + " ")):
            rest, cued = rest[len(cue) :].strip(), True
            break
    if {clean(w) for w in config.definition_cues}.intersection(rest.split()):
        return False  # "and what's a call-off?" asks what the word means
    said = normaliser.canonical_words(rest)
    if not cued and words is not None and opening in {clean(w) for w in words.asks}:
        return False  # "is it a framework?" asks about an input
    own = {w for filler in fillers for w in normaliser.canonical_words(clean(filler))}
    if not cued and any(w not in _input_words(matcher) | own and named_nation([w]) is None for w in said):
        return False  # "is it a framework?" without a cue is a question, not "goods?" or "£100k?"
    left = set(normaliser.terms(rest))
    nation = named_nation(said)
    if nation is not None:
        changes["nation"] = nation
        left -= {t for w in said if named_nation([w]) for t in normaliser.terms(w)}
    # Longest phrases first, so "mixed contract" is the type, not "contract" a filler.
    phrases = [
        (set(normaliser.terms(phrase)), name, value)
        for name, choices in config.scope_followups.items()
        for value, named in choices.items()
        for phrase in named
    ]
    phrases.sort(key=lambda item: len(item[0]), reverse=True)
    # Phrases naming the same value may share words: "central government department" is both
    # "central government" and "government department".
    used: dict[tuple[str, str], set[str]] = {}
    for terms, name, value in phrases:
        if terms and terms <= left | used.get((name, value), set()):
            if changes.get(name, value) != value:
                return False  # "goods and works": two answers to one input
            changes[name] = value
            used.setdefault((name, value), set()).update(terms)
            left -= terms
    left -= {t for w in (*config.scope_followup_fillers, *fillers) for t in normaliser.terms(w)}
    return not left


def _input_words(matcher: Matcher) -> set[str]:
    """The words a follow-up without a cue may use: the finder's inputs, the fillers, articles, "in" and "for"."""
    config = matcher.config
    said = [p for choices in config.scope_followups.values() for named in choices.values() for p in named]
    words = {
        w for phrase in (*said, *config.scope_followup_fillers) for w in matcher.normaliser.canonical_words(phrase)
    }
    return words | {"a", "an", "the", "in", "for"}


def _asked_again(before: Procurement, changes: dict[str, Any], said: str | None) -> ScopeFollowUp | None:
    """``before`` with ``changes``; inputs that no longer fit (a mixed contract's share, a Scottish
    body in another nation) are dropped, so the finder asks for them rather than misread them."""
    fields = dict(changes)
    if "arrangement" in fields:
        chosen = fields.pop("arrangement")
        fields["framework"], fields["call_off"] = chosen == "framework", chosen == "call-off"
    if "type" in fields:
        fields["light_touch_hint"] = None
        if fields["type"] != "mixed":
            fields["services_share"] = None
    if "services_share" in fields and fields["services_share"] is not None:
        fields["type"] = "mixed"  # a share makes a mixed contract, whatever it was
    nation = fields.get("nation")
    body = fields.get("body", before.body)
    if nation is not None and body in BODY_NATION and BODY_NATION[body] != nation:
        fields["body"] = None
    try:
        now = replace(before, **fields)
    except ScopeError as exc:  # a value the finder does not take ("what if it was 0?")
        return ScopeFollowUp(before, before, problem=str(exc))
    return ScopeFollowUp(before, now, start_said=said if "start" in fields else None)


def scope_read_as(followup: ScopeFollowUp) -> dict[str, object]:
    """What ``prompts/scope/read_as.txt.j2`` needs to say how a follow-up changed the scope check."""
    changed = {name: tuple(_said(name, v) for v in pair) for name, pair in followup.changed.items()}
    named = {name: _said(name, _read(followup.now, name)) for name in INPUTS}
    return {"changed": changed, "now": named, "start_said": followup.start_said}


def _said(name: str, value: Any) -> str | None:
    """One input's value in the words the answer uses."""
    if value is None:
        return None
    if name in ("health_care", "uk_body"):
        return "yes" if value else "no"
    if name == "services_share":
        return f"{value:g}%"
    if name == "type":
        return TYPE_NAMES[value].lower()
    if name == "body":
        return BODY_NAMES[value]
    if name == "value":
        return _money(value)
    if name == "start":
        return starting(*value).removeprefix("starting ")
    return str(value)
