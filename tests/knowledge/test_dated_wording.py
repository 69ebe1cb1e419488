"""The light-touch and Social Value Model definitions, and what entries say of PPN 002, are dated from
facts.yaml: no figure or date of PPN 002 typed by hand, none left undated."""

from __future__ import annotations

import re

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import PROSE_FIELDS
from bot.matching.matcher import Matcher


def shown(kb: KnowledgeBase, fact_id: str) -> str:
    """A fact as ``{{fact:ID}}`` renders it today: "£207,720 (from 1 January 2026)"."""
    value = kb.facts.on(fact_id, kb.on)
    return f"{value.text} (from {value.effective_from.day} {value.effective_from:%B %Y})"


def definition(kb: KnowledgeBase, term: str) -> str:
    """A glossary meaning as svbot shows it today."""
    return kb.facts.render(next(t.meaning for t in kb.glossary.terms if t.term == term), kb.on)


def test_the_light_touch_definition_dates_each_threshold(kb: KnowledgeBase, matcher: Matcher) -> None:
    meaning = definition(kb, "light touch")
    assert matcher.ask("what does light touch mean").definition.meaning == meaning
    named = ("threshold.light-touch", "threshold.sub-central.goods-services", "threshold.central.goods-services")
    for fact_id in named:
        assert shown(kb, fact_id) in meaning, (fact_id, meaning)
    assert "for procurements started from 24 February 2025" in meaning and "SI 2016/275" in meaning


def test_the_social_value_model_definition_is_dated(kb: KnowledgeBase) -> None:
    meaning = definition(kb, "Social Value Model")
    assert "mandatory for central government departments, executive agencies and NDPBs since 1 October 2025" in meaning
    assert f"at least {kb.facts.on('weighting.ppn002.minimum', kb.on).text} of the total score" in meaning


def test_no_entry_types_ppn_002s_weighting_or_date_by_hand(kb: KnowledgeBase) -> None:
    typed = re.compile(r"\d+%|1 October 2025")
    for entry in kb.raw_entries:
        for name in PROSE_FIELDS:
            value = getattr(entry, name)
            texts = value.values() if isinstance(value, dict) else [value] if isinstance(value, str) else []
            for text in texts:
                for sentence in re.split(r"(?<=[.:;])\s", " ".join(text.split())):
                    if "PPN 002" in sentence:
                        assert not typed.search(sentence), f"{entry.id}.{name}: {sentence}"
