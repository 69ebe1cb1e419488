"""Honest edges: glossary definitions, subjects svbot does not cover, near misses, the common-words path."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.matching import matcher as matcher_module
from bot.matching.matcher import Matcher
from bot.matching.normalise import clean


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("what's a VCSE", "vcse"),
        ("what does MEAT stand for", "meat"),
        ("What is an SME?", "sme"),
        ("define sroi", "sroi"),
        ("what does the acronym PSED mean", "psed"),
    ],
)
def test_definition_questions_get_the_glossary_meaning(matcher: Matcher, kb: KnowledgeBase, question, term) -> None:
    answer = matcher.ask(question)
    meaning = next(t.meaning for t in kb.glossary.terms if t.term == term)
    assert answer.definition is not None and answer.definition.meaning == meaning
    assert answer.replied and not answer.off_topic
    assert answer.as_json()["answered"] is True
    assert answer.as_json()["definition"] == {"term": term, "meaning": meaning}


def test_definition_offers_only_topics_that_use_the_term(matcher: Matcher) -> None:
    answer = matcher.ask("what does MEAT stand for")
    assert not answer.answered
    assert answer.matches
    assert all(matcher.mentions(m.entry, "meat") for m in answer.matches)


@pytest.mark.parametrize(
    "question",
    [
        "what about wales",  # not a term on its own: "about" is not a definition word
        "what is the weighting for social value in a works contract",
        "what is wales",  # a term whose meaning only repeats its name
        "SME",  # no cue
    ],
)
def test_other_questions_are_not_definitions(matcher: Matcher, question: str) -> None:
    assert matcher.definition(question) is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what is TUPE", "TUPE and staff transfers"),
        ("do GDPR rules apply to our suppliers", "data protection and UK GDPR"),
        ("IR35 for contractors", "IR35 and employment status"),
        ("when is the tender clarification deadline", "tender timetables and clarification questions"),
        ("how do i publish a contract award notice on find a tender", "procurement procedure, notices and time limits"),
    ],
)
def test_off_topic_names_the_subject_and_who_to_ask(matcher: Matcher, question: str, topic: str) -> None:
    answer = matcher.ask(question)
    assert not answer.answered
    assert answer.off_topic
    assert answer.outside is not None and answer.outside.topic == topic
    assert answer.as_json()["outside"]["ask"] == answer.outside.ask


def test_outside_override_decides(kb: KnowledgeBase) -> None:
    question = "can we reserve a contract for a public service mutual tupe"
    never = Matcher(replace(kb, matching=kb.matching.model_copy(update={"outside_override": 0.0})))
    always = Matcher(replace(kb, matching=kb.matching.model_copy(update={"outside_override": 1.0})))
    assert never.ask(question).answered and not never.ask(question).off_topic
    vetoed = always.ask(question)
    assert not vetoed.answered and vetoed.off_topic


def test_low_scores_are_off_topic_middling_ones_not_sure(matcher: Matcher) -> None:
    low = matcher.ask("what's the weather like in Leeds")
    assert low.off_topic and low.outside is None
    middling = matcher.ask("can we still do the social value consideration after the itt went out")
    assert not middling.answered and not middling.off_topic and middling.matches


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("*urgent* call-off from YPO?", "legal.scope-services"),
        ("academies and nhs trusts", "legal.who-is-covered"),
        ("can we ringfence the contract for local firms only", "legal.local-preference"),
        ("wat r the thresholds 4 works contracts", "legal.thresholds"),
        ("social\u00advalue act", "legal.act-overview"),
        ("what is the pro\u00adcure\u00adment threshold", "legal.thresholds"),
    ],
)
def test_near_misses_from_the_issue(matcher: Matcher, question: str, expected: str) -> None:
    answer = matcher.ask(question)
    assert answer.answered, [(m.entry.id, m.score) for m in answer.matches]
    assert answer.best.entry.id == expected


def test_academies_do_not_offer_the_commissioning_academy(matcher: Matcher) -> None:
    ids = [m.entry.id for m in matcher.ask("academies and nhs trusts").matches]
    assert "principle.skills-and-training" not in ids


def test_ppn_002_for_a_district_council_is_not_preston(matcher: Matcher) -> None:
    answer = matcher.ask("does PPN 002 apply to us? we're a district council")
    assert answer.best.entry.id != "case.preston-model"


def test_pasted_link_is_ignored(matcher: Matcher) -> None:
    url = "https://www.gov.uk/government/publications/ppn-002-taking-account-of-social-value-in-the-award-of-contracts"
    plain = matcher.ask("what weighting should social value get")
    pasted = matcher.ask(f"{url} what weighting should social value get")
    slack = matcher.ask(f"<{url}> what weighting should social value get")
    assert pasted.best.entry.id == plain.best.entry.id == slack.best.entry.id
    assert abs(pasted.best.score - plain.best.score) < 1e-9


def test_soft_hyphen_joins_and_zero_width_space_splits() -> None:
    assert clean("pro\u00adcure\u00adment") == "procurement"
    assert clean("social\u200bvalue") == "social value"


def test_spelling_may_stand_for_several_words(matcher: Matcher) -> None:
    known, _ = matcher.query_terms("socialvalue act")
    assert known == ["social_value_act"]


# The common-words path: words in more than COMMON_MIN_DF entries only re-score a shortlist.


def _synthetic(kb: KnowledgeBase, count: int) -> KnowledgeBase:
    """``count`` entries about made-up towns, every one using "contract", plus the shipped ones."""
    base = kb.raw_entries[0]
    extra = []
    for n in range(count):
        town = f"zed{n:04d}ville"
        extra.append(
            Entry.model_validate(
                {
                    **base.model_dump(),
                    "id": f"case.synthetic-{n}",
                    "kind": "case_study",
                    "takeaway": "A made-up town.",
                    "title": f"{town} contract example",
                    "short_answer": f"What {town} did with a contract.",
                    "body": f"The {town} contract story.",
                    "questions": [f"what did {town} do {i}" for i in range(5)],
                    "keywords": [town, "contract"],
                    "aliases": [],
                    "related": [],
                }
            )
        )
    return replace(kb, raw_entries=(*kb.raw_entries, *extra))


def test_common_words_rescore_the_shortlist(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic = _synthetic(kb, 260)
    big = Matcher(synthetic)
    assert "contract" in big._common  # used by more entries than the common-word floor
    monkeypatch.setattr(matcher_module, "COMMON_MIN_DF", 10**9)
    full = Matcher(synthetic)  # walks every posting, common words included
    assert full._common == {}
    for question in ("zed0042ville contract", "what did zed0100ville do with the contract", "contract"):
        fast, slow = big.ask(question, top=5), full.ask(question, top=5)
        # The shortcut only drops entries that have none of the rarer words; those it keeps
        # score exactly as in a full walk, common words included.
        assert fast.best.entry.id == slow.best.entry.id
        slow_signals = {m.entry.id: m.signals for m in slow.matches}
        for m in fast.matches:
            if m.entry.id in slow_signals:
                assert m.signals == pytest.approx(slow_signals[m.entry.id])
    assert big.ask("zed0042ville contract").best.entry.id == "case.synthetic-42"


def test_small_knowledge_base_has_no_common_words(matcher: Matcher) -> None:
    assert matcher._common == {}
