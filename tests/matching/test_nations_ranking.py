"""A question naming a nation prefers the entries that apply there, its own rules first."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.matching.matcher import Matcher, named_nation

ALL = ["England", "Wales", "Scotland", "Northern Ireland"]


def _twins(kb: KnowledgeBase, jurisdictions: dict[str, list[str]]) -> Matcher:
    """A matcher over the shipped entries plus entries identical but for id and jurisdiction."""
    base = kb.raw_entries[0]
    extra = [
        Entry.model_validate(
            {
                **base.model_dump(),
                "id": f"legal.zebra-{suffix}",
                "kind": "legal",
                "title": "Zebra crossing contracts",
                "short_answer": "What the rules say about zebra crossing contracts.",
                "body": "Zebra crossing contracts and social value.",
                "questions": [f"zebra crossing contract rules {i}" for i in range(5)],
                "keywords": ["zebra crossing"],
                "aliases": [],
                "related": [],
                "jurisdiction": where,
                "nation_notes": {},
            }
        )
        for suffix, where in jurisdictions.items()
    ]
    return Matcher(replace(kb, raw_entries=(*kb.raw_entries, *extra)))


def _order(matcher: Matcher, question: str) -> list[str]:
    return [m.entry.id for m in matcher.ask(question, top=10).matches if m.entry.id.startswith("legal.zebra")]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("zebra crossing contract rules in scotland", "legal.zebra-scotland"),
        ("zebra crossing contract rules for a glasgow council", "legal.zebra-scotland"),
        ("zebra crossing contract rules for an english council", "legal.zebra-england"),
    ],
)
def test_an_entry_that_does_not_apply_in_the_named_nation_comes_after_one_that_does(
    kb: KnowledgeBase, question: str, first: str
) -> None:
    matcher = _twins(kb, {"england": ["England"], "scotland": ["Scotland"]})
    assert _order(matcher, question)[0] == first


def test_of_the_entries_that_apply_the_nations_own_comes_first(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"everywhere": ALL, "devolved": ALL[1:], "wales": ["Wales"]})
    assert _order(matcher, "zebra crossing contract rules in wales") == [
        "legal.zebra-wales",
        "legal.zebra-devolved",
        "legal.zebra-everywhere",
    ]


def test_without_a_nation_or_with_several_the_twins_score_alike(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"england": ["England"], "scotland": ["Scotland"]})
    for question in ("zebra crossing contract rules", "zebra crossing contract rules in scotland and england"):
        scores = {m.entry.id: m.score for m in matcher.ask(question, top=10).matches}
        assert scores["legal.zebra-england"] == pytest.approx(scores["legal.zebra-scotland"])


def test_the_answer_carries_the_nation_the_question_names(matcher: Matcher) -> None:
    assert matcher.ask("can a Cardiff council insist on the real living wage").nation == "Wales"
    assert matcher.ask("can we insist on the real living wage").nation is None
    assert matcher.ask("does TUPE apply when a Belfast council retenders").nation == "Northern Ireland"
    assert named_nation(["wales", "scotland"]) is None
