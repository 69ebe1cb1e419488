"""Terms a new user asks about get their meaning; questions an audit found answered wrongly reach the right topic."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.core import Svbot
from bot.knowledge.loader import KnowledgeBase
from bot.matching.matcher import Matcher


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("what's a light touch contract", "light touch"),
        ("what is the light touch regime", "light touch"),
        ("what counts as light touch services", "light touch"),
        ("is home care light touch", "light touch"),
        ("does home care count as light touch", "light touch"),
        ("what is a WPPN", "WPPN"),
        ("whats an ndpb", "NDPB"),
        ("is a cic a vcse", "VCSE"),
    ],
)
def test_what_a_term_means(matcher: Matcher, question: str, term: str) -> None:
    answer = matcher.ask(question)
    assert answer.definition is not None and answer.definition.term == term
    assert answer.replied and not answer.off_topic


@pytest.mark.parametrize(
    "question",
    ["does it apply to goods", "is it urgent", "does the act apply to works contracts", "is social value mandatory"],
)
def test_a_question_that_only_ends_with_a_term_is_not_a_definition(matcher: Matcher, question: str) -> None:
    assert matcher.ask(question).definition is None


def test_the_light_touch_meaning_gives_the_threshold_in_force(matcher: Matcher, kb: KnowledgeBase) -> None:
    meaning = matcher.ask("what's a light touch contract").definition.meaning
    assert "{{" not in meaning
    assert kb.facts.on("threshold.light-touch", kb.on).text in meaning
    assert "Procurement Regulations 2024" in meaning


@pytest.mark.parametrize(
    "question",
    [
        "what's a light touch contract",
        "what is the light touch regime",
        "what counts as light touch services",
        "is home care light touch",
    ],
)
def test_light_touch_questions_reach_the_thresholds(matcher: Matcher, question: str) -> None:
    answer = matcher.ask(question)
    assert answer.answered and answer.best.entry.id == "legal.thresholds"


def test_light_touch_monitoring_is_not_light_touch_contracts(matcher: Matcher) -> None:
    assert matcher.ask("what is light touch monitoring").definition.term == "light touch monitoring"
    answer = matcher.ask("light-touch social value monitoring")
    assert answer.best.entry.id == "principle.proportionate-measurement"
    assert matcher.ask("what's a light touch contract").best.entry.id != "principle.proportionate-measurement"


@pytest.mark.parametrize("nation", [None, "England", "Wales", "Scotland", "Northern Ireland"])
def test_do_we_have_to_consider_social_value_is_answered_for_every_nation(app: Svbot, nation: str | None) -> None:
    answer = app.answer("do we have to consider social value when procuring", nation=nation)
    assert answer.answered and answer.entry.id == "legal.duty-to-consider"


def test_a_welsh_health_board_is_told_what_applies_to_it(app: Svbot) -> None:
    answer = app.answer("we are a welsh health board - does the social value act apply")
    assert answer.answered and answer.nation == "Wales"
    assert answer.entry.id in {"legal.wales-socially-responsible-procurement", "legal.who-is-covered"}
    assert answer.entry.id != "legal.provider-selection-regime"


def written_forms(text: str, term: str) -> Counter[str]:
    """How ``text`` writes ``term`` each time it is not the first word of a sentence (a capital there says nothing)."""
    words = r"\s+".join(map(re.escape, term.split()))
    found = re.finditer(rf"(^|[.!?:]\s+|\n)?(?<![\w-])({words})(?![\w-])", text, re.IGNORECASE | re.MULTILINE)
    return Counter(" ".join(m.group(2).split()) for m in found if m.group(1) is None)


def test_each_term_is_written_as_the_knowledge_writes_it(kb: KnowledgeBase) -> None:
    """'VCSE', 'Wales', 'Social Value Act': where entries and meanings write a term one way (nine times in
    ten or more), the glossary writes it that way too, so a definition prints it as people write it."""
    text = "\n".join(f"{e.title}\n{e.short_answer}\n{e.body}\n{e.takeaway or ''}" for e in kb.entries)
    text += "\n" + "\n".join(t.meaning for t in kb.glossary.terms)
    for item in kb.glossary.terms:
        forms = written_forms(text, item.term)
        if not forms:
            continue
        usual, count = forms.most_common(1)[0]
        if usual != usual.lower() and count >= 0.9 * forms.total():
            assert item.term == usual, (item.term, dict(forms))


@pytest.mark.parametrize(("question", "written"), [("what's a VCSE?", "VCSE"), ("what does meat stand for", "MEAT")])
def test_ask_prints_the_term_as_the_glossary_writes_it(run, question: str, written: str) -> None:
    out = run("ask", "--no-log", question).stdout
    assert out.startswith(f"{written}: ")
