"""Follow-up questions read in the context of the previous answer, per conversation."""

from __future__ import annotations

import pytest

from bot.core import Svbot
from bot.matching.followup import Conversations

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


def test_a_city_names_its_nation_in_a_follow_up(app: Svbot) -> None:
    app.answer(LIVING_WAGE, conversation="t-city")
    follow = app.answer("what about glasgow?", conversation="t-city")
    assert follow.best.entry.id == "legal.living-wage" and follow.nation == "Scotland"
