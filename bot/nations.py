"""The four nations: what an answer says about where an entry applies.

Procurement law differs across the UK (the 2012 Act in England and, for
non-devolved bodies, Wales; the Social Partnership and Public Procurement
(Wales) Act 2023; the Procurement Reform (Scotland) Act 2014; PPN 01/21 in
Northern Ireland). Entries carry ``jurisdiction`` and, where the nations
differ, ``nation_notes``; this module decides what an answer leads with for a
user's nation, or, with no nation set, where the nations differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.matching.matcher import Answer

if TYPE_CHECKING:
    from bot.core import Snapshot

# Command-line and environment spelling -> the jurisdiction names entries use.
NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
ALL_NATIONS = tuple(NATIONS.values())
MAX_SEE_ALSO = 2


def parse_nation(value: str | None) -> str | None:
    """``england``/``Wales``/``northern ireland`` -> the jurisdiction name; None if blank.

    Raises ValueError naming the accepted values for anything else.
    """
    if value is None or not value.strip():
        return None
    key = "-".join(value.strip().lower().replace("_", " ").split())
    if key in NATIONS:
        return NATIONS[key]
    raise ValueError(f"unknown nation '{value}': use one of {', '.join(NATIONS)}")


def nation_key(name: str) -> str:
    """The jurisdiction name -> its command-line spelling (``Northern Ireland`` -> ``northern-ireland``)."""
    return next(k for k, v in NATIONS.items() if v == name)


@dataclass(frozen=True)
class NationView:
    """What to say about nations alongside one entry."""

    nation: str | None
    applies: bool
    covers: tuple[str, ...]
    note: str | None = None
    other_notes: dict[str, str] = field(default_factory=dict)
    see_also: tuple[Entry, ...] = ()

    @property
    def everywhere(self) -> bool:
        return set(self.covers) >= set(ALL_NATIONS)


def _own_rules(entry: Entry, nation: str) -> bool:
    """Whether an entry is about the nation's own rules: for England, England alone; for the
    devolved nations, rules that apply there but not in England."""
    if nation == "England":
        return tuple(entry.jurisdiction) == ("England",)
    return nation in entry.jurisdiction and "England" not in entry.jurisdiction


def _written_for(kb: KnowledgeBase, entry: Entry, nation: str) -> tuple[Entry, ...]:
    """Entries on the nation's own rules: legal entries for that nation alone, then the
    entry's related ones and other legal entries on those rules (fewest nations first)."""
    related = [e for e in (kb.get(i) for i in entry.related) if e and _own_rules(e, nation)]
    legal = [e for e in kb.entries if e.kind == "legal" and _own_rules(e, nation)]
    own = sorted(legal, key=lambda e: len(e.jurisdiction))
    own = [e for e in own if len(e.jurisdiction) == 1] + related + own
    out: list[Entry] = []
    for candidate in own:
        if candidate.id != entry.id and candidate not in out:
            out.append(candidate)
    return tuple(out[:MAX_SEE_ALSO])


def nation_view(kb: KnowledgeBase, entry: Entry, nation: str | None) -> NationView:
    """Lead with the user's nation: its note, or that the entry does not apply there and what does.

    With no nation, list every nation's note so the answer says where they differ.
    """
    notes = dict(getattr(entry, "nation_notes", None) or {})
    covers = tuple(entry.jurisdiction)
    if nation is None:
        return NationView(None, True, covers, other_notes=notes)
    applies = nation in covers
    see_also: tuple[Entry, ...] = ()
    shared = entry.kind == "legal" and nation not in notes and len(covers) > 1 and nation != "England"
    if not applies or shared:
        # A legal answer shared by several nations still points a Welsh, Scottish or NI
        # reader to their own regime; one that does not apply points to what does.
        see_also = _written_for(kb, entry, nation)
    return NationView(nation, applies, covers, note=notes.get(nation), see_also=see_also)


def answer_context(snap: Snapshot, answer: Answer) -> dict[str, object]:
    """What the answer templates need besides the answer: related topics and the nation view."""
    entry = answer.entry
    if entry is None:
        return {"related": [], "view": None}
    return {"related": snap.related(entry), "view": nation_view(snap.kb, entry, answer.nation)}
