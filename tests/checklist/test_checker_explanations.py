"""A refusal's explanation names the rule that really decided it, not another that fired beside it."""

from __future__ import annotations

import pytest

from bot.checklist.checker import ReasonsChecker, Verdict
from bot.render import Renderer


def explained(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> tuple[Verdict, str]:
    verdict = checker.check(step, decision, reasons)
    assert not verdict.accepted, verdict
    text = Renderer().render(
        "checklist/problem.txt.j2", code=verdict.problems[0], step=None, negative=False, verdict=verdict
    )
    return verdict, text


@pytest.mark.parametrize(
    "reasons",
    [
        "12 KPIs, reported 4 times a year, RAG-rated",
        "Measurement: 8 KPIs, RAG rated, 4 reporting points per year, 2 review meetings.",
    ],
)
def test_numbers_with_no_content_are_explained_as_such(checker: ReasonsChecker, reasons: str) -> None:
    """A RAG rating is no framework or tool: the explanation is about numbers that measure nothing named."""
    verdict, text = explained(checker, "measurement", "measure", reasons)
    assert verdict.problems == ["empty_numbers"]
    assert text.startswith("This gives numbers and ratings") and "without saying what they measure" in text
    assert "framework" not in text


def test_a_pasted_policy_paragraph_naming_the_corporate_plan_is_explained_as_pasted_policy(
    checker: ReasonsChecker,
) -> None:
    reasons = (
        "Bury Council is committed to social value and its Corporate Plan 2025-2030 sets out priorities for jobs, "
        "skills and a greener borough."
    )
    verdict, text = explained(checker, "outcomes", "outcomes-identified", reasons)
    assert verdict.problems == ["pasted_policy"]
    assert {"pasted_policy", "plans_named"} <= set(verdict.rules)
    assert "framework_names" not in verdict.rules, "a plan is not a framework or a tool"
    assert text.startswith("This reads like a policy statement pasted in")


def test_a_plan_named_alone_is_explained_as_a_plan(checker: ReasonsChecker) -> None:
    verdict, text = explained(checker, "outcomes", "outcomes-identified", "Outcomes in line with the council plan.")
    assert verdict.problems == ["plans_named"]
    assert text.startswith("This names the authority's own plan")


def test_frameworks_named_are_still_explained_as_frameworks(checker: ReasonsChecker) -> None:
    verdict, text = explained(checker, "process", "secure-through-process", "using TOMs, SROI, HACT and PPN 002")
    assert verdict.problems == ["framework_names"]
    assert text.startswith("This names frameworks, tools or rules")


@pytest.mark.parametrize(
    "reasons",
    [
        "As on the 2022 grounds maintenance contract, we will use the same outcomes.",
        # however much the earlier contract did, it says nothing about this one
        "As on the 2022 grounds maintenance contract, where the provider took on two local apprentices and bought "
        "plants from local nurseries, we will use the same outcomes.",
    ],
)
def test_outcomes_taken_over_from_an_earlier_contract_are_earlier_grounds(
    checker: ReasonsChecker, reasons: str
) -> None:
    verdict, text = explained(checker, "outcomes", "outcomes-identified", reasons)
    assert verdict.problems == ["earlier_grounds"], verdict
    assert "model:veto" not in verdict.rules, "a rule says why, not the model's generic veto"
    assert "different, earlier procurement" in text
