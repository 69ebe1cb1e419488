"""Follow-ups to a scope finder answer: which inputs a short message changes, and what it leaves alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.matching.followup import Turn
from bot.matching.matcher import Matcher
from bot.render import Renderer
from bot.scope import Procurement
from bot.scope_followup import ScopeFollowUp, read_scope_followup, scope_read_as

# The acceptance test's check: services, £216,000 including VAT, a sub-central authority.
CHECKED = Procurement("services", 216_000, "sub-central", None, dt.date(2026, 3, 3), "included")


def after(matcher: Matcher, question: str, before: Procurement = CHECKED) -> ScopeFollowUp | None:
    return read_scope_followup(matcher, question, Turn("scope", "", 0.0, before))


@pytest.mark.parametrize(
    ("question", "changes"),
    [
        ("what about a framework?", {"framework": True}),
        ("what if it's a framework?", {"framework": True}),
        ("and if it was a call-off?", {"call_off": True}),
        ("and if it was 100k?", {"value": 100_000}),
        ("what if it was £0.1m?", {"value": 100_000}),
        ("and 100,000?", {"value": 100_000}),
        ("what if it's worth £1.2 million?", {"value": 1_200_000}),
        ("what if it started in 2025?", {"start": dt.date(2025, 1, 1)}),
        # Before the last 1 January on or before the check's start (3 March 2026).
        ("what if it started before January?", {"start": dt.date(2025, 12, 31)}),
        ("and from 1 March 2026?", {"start": dt.date(2026, 3, 1)}),
        ("what if it starts on 2027-01-04?", {"start": dt.date(2027, 1, 4)}),
        ("and excluding VAT?", {"vat": "excluded"}),
        ("what if it's exempt from VAT?", {"vat": "exempt"}),
        ("and for goods?", {"type": "goods"}),
        ("what about an NHS trust?", {"body": "nhs"}),
        ("what about wales?", {"nation": "Wales"}),
        (
            "what about 100k ex VAT for a framework in scotland from March 2027?",
            {"value": 100_000, "vat": "excluded", "framework": True, "nation": "Scotland"}
            | {"start": dt.date(2027, 3, 1)},
        ),
    ],
)
def test_a_follow_up_changes_the_inputs_it_names_and_keeps_the_rest(
    matcher: Matcher, question: str, changes: dict[str, object]
) -> None:
    followup = after(matcher, question)
    assert followup is not None and followup.problem is None, question
    assert followup.before == CHECKED
    assert followup.now == replace(CHECKED, **changes)


@pytest.mark.parametrize(
    "question",
    [
        "what is the living wage?",
        "what about TUPE?",
        "and for a three year term?",  # says something the finder does not ask
        "what about 60% services?",  # a share, not a value
        "and 100k or 200k?",  # two values: which?
        "what about the national toms?",
    ],
)
def test_a_message_saying_anything_else_is_left_to_the_matcher(matcher: Matcher, question: str) -> None:
    assert after(matcher, question) is None


def test_without_a_scope_check_just_before_nothing_is_a_scope_follow_up(matcher: Matcher) -> None:
    assert read_scope_followup(matcher, "and if it was 100k?", None) is None
    assert read_scope_followup(matcher, "and if it was 100k?", Turn("thresholds", "legal.thresholds", 0.0)) is None


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("what if it was £1,2m?", "could be read two ways (£1,200,000 or £12,000,000)"),
        ("what if it started on 31 February 2026?", "February 2026 has 28 days"),
        ("and if it was 0?", "the value must be a positive amount"),
    ],
)
def test_a_follow_up_the_finder_cannot_take_says_why(matcher: Matcher, question: str, problem: str) -> None:
    followup = after(matcher, question)
    assert followup is not None and followup.problem is not None
    assert problem in followup.problem
    assert followup.now == CHECKED


def test_inputs_that_no_longer_fit_are_dropped_not_misread(matcher: Matcher) -> None:
    scottish = replace(CHECKED, body="scottish", nation="Scotland")
    england = after(matcher, "what about england?", scottish)
    assert england is not None and england.now.body is None  # a Scottish body is not England's
    mixed = replace(CHECKED, type="mixed", services_share=60.0)
    goods = after(matcher, "and for goods?", mixed)
    assert goods is not None and goods.now.type == "goods" and goods.now.services_share is None
    framework = after(matcher, "what about a call off?", replace(CHECKED, framework=True))
    assert framework is not None and framework.now.call_off and not framework.now.framework


def test_the_answer_says_which_inputs_changed_and_how_a_date_was_read(matcher: Matcher) -> None:
    followup = after(matcher, "what if it was 100k for a framework in 2025?")
    assert followup is not None
    said = Renderer().render("scope/read_as.txt.j2", **scope_read_as(followup))
    assert said.strip() == (
        "Same procurement as your last scope check, but £100,000 instead of £216,000, a framework instead of "
        'a single contract and starting 1 January 2025 instead of 3 March 2026 (reading "in 2025" as that day):'
    )


def test_scope_followups_must_name_the_finders_own_values(kb_copy: Path) -> None:
    path = kb_copy / "matching.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scope_followups"]["arrangement"]["frameworks"] = ["dps"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="frameworks is not a value the scope finder takes"):
        load_knowledge(kb_copy)


@pytest.mark.parametrize(
    ("question", "changes"),
    [
        ("goods?", {"type": "goods"}),
        ("£100k?", {"value": 100_000}),
        ("a framework in Wales", {"framework": True, "nation": "Wales"}),
    ],
)
def test_a_message_of_inputs_alone_needs_no_cue(matcher: Matcher, question: str, changes: dict[str, object]) -> None:
    followup = after(matcher, question)
    assert followup is not None and followup.now == replace(CHECKED, **changes)


@pytest.mark.parametrize(
    "question",
    ["what is a framework?", "and what's a call-off?", "is it a framework?", "does it count as works?"],
)
def test_a_question_about_an_input_is_not_a_change_to_it(matcher: Matcher, question: str) -> None:
    assert after(matcher, question) is None
