"""Follow-ups to a scope finder answer: which inputs a short message changes, and what it leaves alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.schema import ScopeFollowups
from bot.matching.followup import Turn
from bot.matching.matcher import Matcher
from bot.paths import KNOWLEDGE_DIR
from bot.render import Renderer
from bot.scope import Procurement
from bot.scope_followup import ScopeFollowUp, read_scope_followup, scope_read_as

# The acceptance test's check: services, £216,000 including VAT, a sub-central authority.
CHECKED = Procurement("services", 216_000, "sub-central", None, dt.date(2026, 3, 3), "included")


@cache
def _words() -> ScopeFollowups | None:
    """The shipped scope.yaml's follow-up phrases (health care, a UK body, a services share)."""
    scope = load_knowledge(KNOWLEDGE_DIR).scope
    return scope.followups if scope is not None else None


def after(matcher: Matcher, question: str, before: Procurement = CHECKED) -> ScopeFollowUp | None:
    return read_scope_followup(matcher, question, Turn("scope", "", 0.0, before), _words())


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
        # Any day of 2025, not 1 January: the finder answers for each part of it that differs.
        ("what if it started in 2025?", {"start": dt.date(2025, 1, 1), "start_until": dt.date(2025, 12, 31)}),
        ("and in June 2027?", {"start": dt.date(2027, 6, 1), "start_until": dt.date(2027, 6, 30)}),
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
            | {"start": dt.date(2027, 3, 1), "start_until": dt.date(2027, 3, 31)},
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
        "what about 60%?",  # a share of what?
        "and 100k or 200k?",  # two values: which?
        "what is 20% of the weighting for services?",  # a share, but of something else
        "what about 60% services and 40% works?",  # two shares: which?
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
        "a single contract and starting in 2025 instead of 3 March 2026:"
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


WELSH = replace(CHECKED, nation="Wales")


@pytest.mark.parametrize(
    ("question", "before", "changes"),
    [
        ("it's health care services", CHECKED, {"health_care": True}),
        ("what if it's healthcare?", CHECKED, {"health_care": True}),
        ("and if it's not health care?", replace(CHECKED, health_care=True), {"health_care": False}),
        ("services are 70% of it", CHECKED, {"type": "mixed", "services_share": 70.0}),
        ("what about 60% services?", CHECKED, {"type": "mixed", "services_share": 60.0}),
        ("goods are 30% of it", CHECKED, {"type": "mixed", "services_share": 70.0}),
        ("and if services were 40 per cent?", replace(CHECKED, type="mixed", services_share=70.0),
         {"services_share": 40.0}),
        ("we're a central government department", WELSH, {"body": "central"}),
        ("we're a UK body", WELSH, {"uk_body": True}),
        ("what if we're a UK-wide body?", WELSH, {"uk_body": True}),
        ("our functions are not devolved", WELSH, {"uk_body": True}),
        ("and if we're a devolved body?", replace(WELSH, uk_body=True), {"uk_body": False}),
    ],
)  # fmt: skip
def test_a_follow_up_changes_health_care_the_uk_body_and_the_services_share(
    matcher: Matcher, question: str, before: Procurement, changes: dict[str, object]
) -> None:
    followup = after(matcher, question, before)
    assert followup is not None and followup.problem is None, question
    assert followup.now == replace(before, **changes)


def test_a_share_the_finder_cannot_take_says_why(matcher: Matcher) -> None:
    followup = after(matcher, "what about 150% services?")
    assert followup is not None and followup.problem == "the services share is a percentage from 0 to 100"


def test_the_answer_says_how_health_care_the_uk_body_and_the_share_changed(matcher: Matcher) -> None:
    said = [
        Renderer().render("scope/read_as.txt.j2", **scope_read_as(f)).strip()
        for f in (
            after(matcher, "services are 70% of it"),
            after(matcher, "it's health care services"),
            after(matcher, "we're a UK body", WELSH),
        )
        if f is not None
    ]
    assert said == [
        "Same procurement as your last scope check, but mixed contract instead of services and 70% services "
        "instead of no services share:",
        "Same procurement as your last scope check, but health care services instead of not health care:",
        "Same procurement as your last scope check, but a UK body whose functions are mainly not devolved "
        "instead of not a UK body:",
    ]
