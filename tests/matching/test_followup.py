"""Follow-up questions read in the context of the previous answer, per conversation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as dc_replace

import pytest

from bot.core import Svbot
from bot.matching.followup import Conversations
from bot.scope import Procurement

LIVING_WAGE = "can we insist that suppliers pay the real living wage"
SCOPE = "which contracts does the act cover"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_conversations_remember_expire_and_evict() -> None:
    clock = Clock()
    memory = Conversations(max_conversations=2, ttl_s=60, turns=2, clock=clock)
    memory.remember("a", "first", "legal.act-overview")
    memory.remember("a", "second", "legal.thresholds")
    assert memory.last("a").entry_id == "legal.thresholds"
    assert memory.last("b") is None
    clock.now = 61
    assert memory.last("a") is None  # forgotten after a minute of silence
    memory.remember("a", "q", "legal.thresholds")
    memory.remember("b", "q", "legal.thresholds")
    memory.remember("c", "q", "legal.thresholds")
    assert len(memory) == 2 and memory.last("a") is None  # least recently used goes first


def test_what_about_wales_after_the_living_wage(app: Svbot) -> None:
    first = app.answer(LIVING_WAGE, conversation="t1")
    assert first.best.entry.id == "legal.living-wage" and first.read_as is None
    follow = app.answer("what about wales?", conversation="t1")
    assert follow.answered
    assert follow.best.entry.id == "legal.living-wage"
    assert follow.read_as.id == "legal.living-wage"
    assert follow.nation == "Wales"
    assert follow.as_json()["read_as"] == {"id": "legal.living-wage", "title": follow.read_as.title}


def test_and_for_goods_after_a_scope_answer(app: Svbot) -> None:
    alone = app.answer("and for goods?")
    assert alone.read_as is None
    assert app.answer(SCOPE, conversation="t2").best.entry.id == "legal.scope-services"
    follow = app.answer("and for goods?", conversation="t2")
    assert follow.answered and follow.best.entry.id == "legal.scope-services"
    assert follow.read_as.id == "legal.scope-services"


def test_follow_ups_chain(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="t3")
    app.answer("what about wales?", conversation="t3")
    again = app.answer("and scotland?", conversation="t3")
    assert again.best.entry.id == "legal.living-wage" and again.nation == "Scotland"


def test_conversations_do_not_leak(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="t4")
    other = app.answer("what about wales?", conversation="t5")
    assert other.read_as is None


@pytest.mark.parametrize(
    "question",
    [
        "what did oldham do with its banking contract",  # no cue: a new question
        "and what about the rules on reserving contracts for mutuals and social enterprises",  # too long
    ],
)
def test_new_questions_are_not_follow_ups(app: Svbot, question: str) -> None:
    app.answer(LIVING_WAGE, conversation="t6")
    assert app.answer(question, conversation="t6").read_as is None


def test_unanswered_questions_leave_the_context_alone(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="t7")
    app.answer("how do I book annual leave", conversation="t7")
    assert app.answer("what about wales?", conversation="t7").read_as.id == "legal.living-wage"


def test_follow_up_expires(app: Svbot) -> None:
    clock = Clock()
    app.conversations = Conversations(ttl_s=10, clock=clock)
    app.answer(LIVING_WAGE, conversation="t8")
    clock.now = 11
    assert app.answer("what about wales?", conversation="t8").read_as is None


def test_the_new_words_pick_among_the_context(app: Svbot) -> None:
    app.answer("what did oldham do with its banking contract", conversation="t9")
    follow = app.answer("and liverpool?", conversation="t9")
    assert follow.best.entry.id == "case.liverpool"
    assert follow.read_as.id == "case.oldham-banking"


# The previous answer as context (issue 13, acceptance audit) ----------------------------------------

THRESHOLDS = "what are the current procurement thresholds for the SVA"


def test_and_for_goods_after_the_thresholds_leads_with_what_they_say_about_goods(app: Svbot) -> None:
    first = app.answer(THRESHOLDS, conversation="f1")
    assert first.entry.id == "legal.thresholds" and first.focus_on is None
    follow = app.answer("and for goods?", conversation="f1")
    assert follow.read_as.id == "legal.thresholds" and follow.entry.id == "legal.thresholds"
    assert follow.focus_on == "goods" and follow.focus
    assert all("goods" in passage.lower() for passage in follow.focus)
    assert follow.as_json()["focus"] == {"on": "goods", "passages": list(follow.focus)}


def test_the_focus_is_shown_before_the_entry(app: Svbot) -> None:
    from bot.nations import answer_context

    app.answer(THRESHOLDS, conversation="f2")
    follow = app.answer("and for goods?", conversation="f2")
    snap = app.snapshot()
    text = app.renderer.render("answer.txt.j2", answer=follow, full=False, noted=False, **answer_context(snap, follow))
    lead, _, _ = text.partition("=" * len(follow.entry.title))
    assert 'On "goods"' in lead and all(passage in lead for passage in follow.focus)


def test_a_nation_follow_up_has_no_focus(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="f3")
    follow = app.answer("what about wales?", conversation="f3")
    assert follow.focus_on is None and follow.nation == "Wales"


def test_a_follow_up_the_entry_says_nothing_about_says_so(app: Svbot) -> None:
    from bot.matching.followup import passages

    entry = app.snapshot().kb.get("legal.living-wage")
    assert passages(app.snapshot().matcher.normaliser, entry, {"zzzz"}) == ()


def _scope(app: Svbot, conversation: str, **changes: object) -> Procurement:
    procurement = Procurement("services", 250_000, "sub-central", None, dt.date(2026, 3, 3), "excluded")
    procurement = dc_replace(procurement, **changes)
    app.remember_scope(conversation, procurement)
    return procurement


@pytest.mark.parametrize(
    ("question", "changed"),
    [
        ("and for goods?", {"type": ("services", "goods")}),
        ("what about works", {"type": ("services", "works")}),
        ("and for light touch services?", {"type": ("services", "light-touch")}),
        ("what about an nhs trust?", {"body": ("sub-central", "nhs")}),
        ("what about wales?", {"nation": (None, "Wales")}),
        ("and for goods in scotland?", {"type": ("services", "goods"), "nation": (None, "Scotland")}),
    ],
)
def test_a_follow_up_to_a_scope_check_changes_that_input(app: Svbot, question: str, changed: dict) -> None:
    before = _scope(app, "s1")
    follow = app.answer(question, conversation="s1")
    assert follow.scope is not None and follow.scope.before == before
    assert follow.scope.changed == changed
    assert follow.replied and follow.entry is None
    assert app.conversations.last("s1").scope == follow.scope.now


@pytest.mark.parametrize(
    "question",
    [
        "what about the living wage?",
        "and for goods and the living wage?",
        "and for goods and works?",
        "can we insist on the real living wage",
    ],
)
def test_other_questions_after_a_scope_check_stand_alone(app: Svbot, question: str) -> None:
    _scope(app, "s2")
    answer = app.answer(question, conversation="s2")
    assert answer.scope is None and answer.read_as is None


def test_a_scope_follow_up_needs_a_scope_check_before_it(app: Svbot) -> None:
    app.answer(THRESHOLDS, conversation="s3")
    assert app.answer("and for goods?", conversation="s3").scope is None


def test_a_city_names_its_nation_in_a_follow_up(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="t-city")
    follow = app.answer("what about glasgow?", conversation="t-city")
    assert follow.best.entry.id == "legal.living-wage" and follow.nation == "Scotland"


# A short question that points back ("it", "that", "source", "examples") without a cue is a follow-up too.


@pytest.mark.parametrize(
    ("before", "question", "entry"),
    [
        ("what is skill mill", "what did they achieve?", "case.skill-mill"),  # says little besides "they"
        ("tell me about the preston model", "sources?", "case.preston-model"),  # nothing but a pointing word
        ("what is the preston model", "any more detail?", "case.preston-model"),
        ("do we need a social value policy", "has any council done that?", "case.birmingham-policy"),
    ],
)
def test_a_short_question_that_points_back_is_a_follow_up(app: Svbot, before: str, question: str, entry: str) -> None:
    conversation = f"p-{question}"
    first = app.answer(before, conversation=conversation)
    assert app.answer(question).best is None or app.answer(question).best.entry.id != entry, "alone: not the topic"
    follow = app.answer(question, conversation=conversation)
    assert follow.read_as.id == first.entry.id
    assert entry in [m.entry.id for m in follow.matches[:2]]


@pytest.mark.parametrize(
    "question",
    [
        "cheers for that",  # small talk
        "is that GDPR compliant?",  # a subject svbot does not cover
        "what about TUPE?",  # the same, after a cue
        "and what's a VCSE?",  # a glossary question
    ],
)
def test_what_stands_on_its_own_is_not_a_follow_up(app: Svbot, question: str) -> None:
    conversation = f"s-{question}"
    app.answer(LIVING_WAGE, conversation=conversation)
    follow = app.answer(question, conversation=conversation)
    assert follow.read_as is None
    assert follow.entry is None or follow.entry.id != "legal.living-wage"


def test_a_question_pointing_back_is_not_a_glossary_question(app: Svbot) -> None:
    """Alone, "is that ok for an nhs trust?" reads as "is X an NHS trust?" and gets the glossary's meaning."""
    question = "is that ok for an nhs trust?"
    assert app.answer(question).definition is not None
    app.answer(LIVING_WAGE, conversation="p-glossary")
    follow = app.answer(question, conversation="p-glossary")
    assert follow.read_as.id == "legal.living-wage" and follow.best.entry.id == "legal.living-wage"


def test_a_question_pointing_back_at_a_nation_is_the_same_topic_there(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="p-nation")
    follow = app.answer("is it the same in scotland?", conversation="p-nation")
    assert follow.best.entry.id == "legal.living-wage" and follow.nation == "Scotland"


def test_a_pointing_follow_up_is_read_with_its_topic_not_on_its_own_words(app: Svbot) -> None:
    """ "when did it come in?" alone finds some entry with a start date; after the Welsh duty it is that duty."""
    question = "when did it come in?"
    assert app.answer(question).best.entry.id != "legal.wales-socially-responsible-procurement"
    app.answer("what is the socially responsible procurement duty in wales", conversation="p-alone")
    follow = app.answer(question, conversation="p-alone")
    assert follow.best.entry.id == "legal.wales-socially-responsible-procurement"


# A nation after one nation's own law is that nation's law, not the same again.


@pytest.mark.parametrize(
    ("question", "nation", "expected"),
    [
        ("what about northern ireland?", "Northern Ireland", {"legal.northern-ireland", "legal.devolved-nations"}),
        ("and in wales?", "Wales", {"legal.wales-socially-responsible-procurement"}),
    ],
)
def test_another_nation_after_one_nations_own_law(app: Svbot, question: str, nation: str, expected: set) -> None:
    conversation = f"n-{question}"
    first = app.answer("what is the sustainable procurement duty in scotland", conversation=conversation)
    assert first.entry.id == "legal.scotland-sustainable-procurement"
    follow = app.answer(question, conversation=conversation)
    assert follow.read_as.id == first.entry.id and follow.nation == nation
    assert follow.best.entry.id in expected
