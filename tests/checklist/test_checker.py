"""The reasons checker: tick-boxes refused, procurement-specific reasons accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import KnowledgeBase

REASONS = Path(__file__).resolve().parent.parent / "data" / "reasons.yaml"


def refused_for(checker: ReasonsChecker, reasons: str, step: str = "outcomes", decision: str = "outcomes-identified"):
    verdict = checker.check(step, decision, reasons)
    assert not verdict.accepted, verdict
    return verdict.problems


# One test per rule, with reasons written for these tests ---------------------------


@pytest.mark.parametrize("reasons", ["", "   ", "\n\t\n", None])
def test_empty(checker: ReasonsChecker, reasons: str | None) -> None:
    assert refused_for(checker, reasons) == ["empty"]


def test_too_long(checker: ReasonsChecker) -> None:
    specific = "8 apprenticeships for Wigan care leavers over the 3-year contract. "
    reasons = specific * (checker.config.max_chars // len(specific) + 1)
    assert refused_for(checker, reasons) == ["too_long"]


@pytest.mark.parametrize(
    "reasons",
    [
        "asdf qwerty blah zzz xxx hmm",
        "!!!! ---- 1234 5678 %%%% ????",
        "bcdfg hjklm npqrs tvwxz bcdfg",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit",
        "aaaaargh noooooo wheeeee",
    ],
)
def test_gibberish(checker: ReasonsChecker, reasons: str) -> None:
    assert refused_for(checker, reasons) == ["gibberish"]


@pytest.mark.parametrize(
    "reasons",
    [
        "jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs",
        "Apprenticeships for Salford care leavers. Apprenticeships for Salford care leavers.",
        "Eight apprentices from Bury and also eight apprentices from Bury",
    ],
)
def test_repetition(checker: ReasonsChecker, reasons: str) -> None:
    assert refused_for(checker, reasons) == ["repetition"]


@pytest.mark.parametrize(
    "reasons",
    [
        "Not relevant.",
        "N/A",
        "Standard clauses apply.",
        "As per the council's procurement strategy.",
        "Social value has been considered in line with the Act.",
        # typo'd and reworded variants are still boilerplate
        "Socail value has been considred in line with teh act",
        "Not releavnt",
        "standard claueses aply",
        "TBC - will update later",
    ],
)
def test_boilerplate(checker: ReasonsChecker, reasons: str) -> None:
    assert refused_for(checker, reasons) == ["boilerplate"]


def test_boilerplate_on_a_negative_option(checker: ReasonsChecker) -> None:
    assert refused_for(checker, "None relevant", decision="none-relevant") == ["boilerplate"]


@pytest.mark.parametrize(
    "reasons",
    [
        "We have looked carefully at every option available to us and we are confident that the approach "
        "taken will secure the maximum possible benefit for the wider community, and we will keep this under "
        "regular review with colleagues across the organisation to make sure that the commitments made at the "
        "outset are honoured in full and reported on through our usual governance arrangements going forward.",
        # A long boilerplate paragraph: length is not specificity.
        "The council is committed to delivering social value through all its procurement. The council is fully "
        "committed to improving the economic, social and environmental wellbeing of the area and will ensure "
        "that social value is embedded throughout the procurement lifecycle, in line with our corporate "
        "strategy and best practice, so that maximum benefit is delivered to all our communities and "
        "stakeholders across the whole of the borough.",
    ],
)
def test_long_generic(checker: ReasonsChecker, reasons: str) -> None:
    assert len(reasons.split()) >= checker.config.max_unanchored_words
    assert refused_for(checker, reasons, step="process", decision="secure-through-process") == ["long_generic"]


@pytest.mark.parametrize("reasons", ["Jobs for locals.", "Helps.", "Twelve local apprenticeships."])
def test_too_short(checker: ReasonsChecker, reasons: str) -> None:
    assert refused_for(checker, reasons) == ["too_short"]


def test_negative_weak(checker: ReasonsChecker) -> None:
    reasons = "Licence renewal for proprietary software, no social value."
    # The same words would pass for a positive option; a negative one needs more.
    assert checker.check("outcomes", "outcomes-identified", reasons).specificity >= checker.config.min_specific
    assert refused_for(checker, reasons, decision="none-relevant") == ["negative_weak"]


@pytest.mark.parametrize(
    "reasons",
    [
        "We think it will help people in the area in various ways.",
        "We looked at this and nothing came up.",
    ],
)
def test_not_specific(checker: ReasonsChecker, reasons: str) -> None:
    assert refused_for(checker, reasons) == ["not_specific"]


def test_restating_the_decision_is_not_a_reason(checker: ReasonsChecker) -> None:
    problems = refused_for(checker, "We will consult on this.", step="consultation", decision="consult")
    assert problems in (["boilerplate"], ["not_specific"])


# Accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "applies", "£2.3m meals on wheels contract for Kirklees, above threshold."),
        ("outcomes", "outcomes-identified", "8 apprenticeships for Wigan care leavers over the 3-year contract."),
        ("outcomes", "outcomes-identified", "Carbon cut by 40 tonnes."),
        ("consultation", "consult", "Supplier day at Dewsbury Town Hall on 14 March 2027 with VCSE providers."),
        (
            "measurement",
            "measure",
            "Quarterly KPI report to the contract manager: apprentices started, local spend in Oldham, tonnes of CO2.",
        ),
        (
            "decision",
            "proceed",
            "Approved by Jo Bloggs, Director of Adult Care, on 3 February 2027, before the tender notice.",
        ),
        (
            "outcomes",
            "none-relevant",
            "Sole supplier renewal of the Civica licence, £38k a year; no staff, deliveries or local spend, "
            "so no outcomes in Barnsley.",
        ),
    ],
)
def test_short_specific_reasons_accepted(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    verdict = checker.check(step, decision, reasons)
    assert verdict.accepted, verdict
    assert verdict.problems == []
    assert verdict.signals
    config = checker.config
    needed = config.min_specific_negative if checker.is_negative(step, decision) else config.min_specific
    assert verdict.specificity >= needed


def test_boilerplate_sentence_does_not_sink_a_specific_one(checker: ReasonsChecker) -> None:
    verdict = checker.check(
        "outcomes",
        "outcomes-identified",
        "Social value has been considered. 8 apprenticeships for Wigan care leavers over the 3-year contract.",
    )
    assert verdict.accepted
    assert "wigan" in verdict.signals


def test_is_negative(checker: ReasonsChecker) -> None:
    assert checker.is_negative("outcomes", "none-relevant")
    assert checker.is_negative("decision", "proceed-without")
    assert not checker.is_negative("outcomes", "outcomes-identified")
    assert not checker.is_negative("no-such-step", "none-relevant")


def test_rules_come_from_data(kb: KnowledgeBase) -> None:
    reasons = "Handled by the Tameside hub under scheme 42 as usual."
    shipped = ReasonsChecker(kb.checker, kb.checklist.steps, kb.matching.stopwords)
    assert shipped.check("outcomes", "outcomes-identified", reasons).accepted
    config = kb.checker.model_copy(update={"boilerplate": [*kb.checker.boilerplate, reasons]})
    tuned = ReasonsChecker(config, kb.checklist.steps, kb.matching.stopwords)
    assert tuned.check("outcomes", "outcomes-identified", reasons).problems == ["boilerplate"]


# The labelled development set ---------------------------------------------------------


def test_dev_set_rates(checker: ReasonsChecker) -> None:
    items = yaml.safe_load(REASONS.read_text(encoding="utf-8"))["reasons"]
    accept = [i for i in items if i["label"] == "accept"]
    refuse = [i for i in items if i["label"] == "refuse"]
    assert len(accept) >= 50 and len(refuse) >= 50

    def accepted(item: dict) -> bool:
        return checker.check(item["step"], item["decision"], item["reasons"]).accepted

    wrongly_refused = [i["reasons"] for i in accept if not accepted(i)]
    wrongly_accepted = [i["reasons"] for i in refuse if accepted(i)]
    assert 1 - len(wrongly_refused) / len(accept) >= 0.95, wrongly_refused
    assert 1 - len(wrongly_accepted) / len(refuse) >= 0.95, wrongly_accepted
