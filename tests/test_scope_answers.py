"""Scope answers through the finder, `svbot scope` and the chat (the Slack form: tests/slack/test_scope_modal.py).

Wales: whether a devolved Welsh authority's contract is a "prescribed contract" (SI 2026/75, reg. 4), on
which the socially responsible procurement duty asks all reasonable steps to meet its objectives. Mixed
contracts: the reason s.1 leaves out one whose services are not the greater part.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_chat import chat

from bot.core import Svbot
from bot.knowledge.loader import KnowledgeBase
from bot.scope import Procurement, ScopeFinder

IN_FORCE = dt.date(2026, 3, 25)  # SI 2026/75, reg. 1(2)
AFTER = dt.date(2026, 4, 1)
RULE = "wales.prescribed-contracts"
SI_2026_75 = "https://www.legislation.gov.uk/wsi/2026/75/made"


@pytest.fixture(scope="module")
def finder(kb: KnowledgeBase) -> ScopeFinder:
    return ScopeFinder(kb)


def figure(kb: KnowledgeBase, fact_id: str, day: dt.date = AFTER) -> float:
    return float(kb.facts.on(fact_id, day).value)


def prescribed(finder: ScopeFinder, type_: str, value: float, body: str = "sub-central", **kw):
    kw.setdefault("start", AFTER)
    kw.setdefault("vat", "included")
    kw.setdefault("nation", "Wales")
    result = finder.find(Procurement(type_, value, body, **kw))
    return result, next(d for d in result.duties if d.id == RULE)


def test_the_rule_starts_when_si_2026_75_says_and_its_figures_are_facts(kb: KnowledgeBase) -> None:
    spec = next(d for d in kb.scope.duties if d.id == RULE)
    start = kb.facts.get(spec.in_force)
    assert start.values[0].value == IN_FORCE and "SI 2026/75" in start.notes
    assert spec.source.url == SI_2026_75 and "reg. 4" in spec.source.title
    assert spec.excluded is not None and "reg. 3" in spec.excluded.source.title
    # Every figure is a Procurement Act threshold held once in facts.yaml, none typed into scope.yaml.
    for kinds in spec.thresholds_by_body.values():
        assert all(fact_id in kb.facts for fact_id in kinds.values())


@pytest.mark.parametrize(
    ("type_", "fact_id"),
    [
        ("services", "threshold.welsh.sub-central.goods-services"),
        ("goods", "threshold.welsh.sub-central.goods-services"),
        ("works", "threshold.welsh.works"),
        ("light-touch", "threshold.welsh.light-touch"),
    ],
)
def test_a_welsh_council_contract_is_prescribed_from_its_threshold(
    finder: ScopeFinder, kb: KnowledgeBase, type_: str, fact_id: str
) -> None:
    amount = figure(kb, fact_id)
    verdicts = [prescribed(finder, type_, amount + delta)[1].applies for delta in (-1, 0, 1)]
    assert verdicts == [False, True, True]
    _, at = prescribed(finder, type_, amount)
    assert f"£{amount:,.0f}" in at.why and "prescribed contract" in at.why and "reasonable steps" in at.why
    assert "excluded contract" in at.why and at.source.url == SI_2026_75


def test_below_the_threshold_it_may_still_be_prescribed_by_its_kind(finder: ScopeFinder) -> None:
    _, below = prescribed(finder, "services", 100_000)
    assert below.applies is False
    assert "major construction or outsourcing services contract" in below.why and "s.24(1)" in below.why


def test_not_in_force_before_25_march_2026(finder: ScopeFinder) -> None:
    _, before = prescribed(finder, "services", 5_000_000, start=IN_FORCE - dt.timedelta(days=1))
    assert before.applies is False and "25 March 2026" in before.why
    _, on = prescribed(finder, "services", 5_000_000, start=IN_FORCE)
    assert on.applies is True


def test_value_without_vat_has_vat_added_before_the_comparison(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    amount = figure(kb, "threshold.welsh.sub-central.goods-services")
    _, duty = prescribed(finder, "services", amount / 1.2 + 1, vat="excluded")
    assert duty.applies is True
    _, exempt = prescribed(finder, "services", amount - 1, vat="exempt")
    assert exempt.applies is False


def test_a_body_of_unknown_class_is_answered_only_where_central_and_sub_central_agree(
    finder: ScopeFinder, kb: KnowledgeBase
) -> None:
    central = figure(kb, "threshold.welsh.central.goods-services")
    sub_central = figure(kb, "threshold.welsh.sub-central.goods-services")
    for body in ("devolved-welsh", "nhs"):
        assert prescribed(finder, "services", central - 1, body)[1].applies is False
        assert prescribed(finder, "services", sub_central, body)[1].applies is True
        _, between = prescribed(finder, "services", (central + sub_central) // 2, body)
        assert between.applies is None
        assert f"£{central:,.0f}" in between.why and f"£{sub_central:,.0f}" in between.why
        assert "whether yours is a central government or a sub-central authority" in between.why
        assert "--body sub-central --nation wales" in between.why
    # A council is sub-central: the same value is below its figure.
    assert prescribed(finder, "services", (central + sub_central) // 2)[1].applies is False


def test_a_mixed_contract_turns_on_what_most_of_it_is(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    goods = figure(kb, "threshold.welsh.sub-central.goods-services")
    works = figure(kb, "threshold.welsh.works")
    assert prescribed(finder, "mixed", goods, services_share=70)[1].applies is True
    _, unsure = prescribed(finder, "mixed", goods, services_share=40)
    assert unsure.applies is None and "mainly goods or mainly works" in unsure.why and "--type works" in unsure.why
    assert prescribed(finder, "mixed", works, services_share=40)[1].applies is True
    assert prescribed(finder, "mixed", goods - 1, services_share=40)[1].applies is False


def test_health_care_may_be_an_excluded_contract(finder: ScopeFinder) -> None:
    _, duty = prescribed(finder, "services", 5_000_000, health_care=True)
    assert duty.applies is None and "s.120A" in duty.why and "reg. 3(b)" in duty.why


def test_a_uk_body_in_wales_is_told_to_check(finder: ScopeFinder) -> None:
    _, duty = prescribed(finder, "services", 5_000_000, uk_body=True)
    assert duty.applies is None and "Schedule 1 of the 2023 Act" in duty.why


def test_the_sentence_to_paste_says_whether_the_contract_is_prescribed(finder: ScopeFinder) -> None:
    result, _ = prescribed(finder, "services", 300_000, "devolved-welsh")
    assert result.act_applies is False
    assert result.why.endswith(
        "on prescribed contracts. This contract is one (SI 2026/75, reg. 4): £300,000 is at or above the £207,720"
        " threshold in force since 1 January 2026, unless it is an excluded contract."
    ), result.why
    below, _ = prescribed(finder, "services", 100_000, "devolved-welsh")
    assert below.why.endswith("By its value this contract is not one (SI 2026/75, reg. 4): £100,000 is below the"
                              " £135,018 threshold in force since 1 January 2026."), below.why  # fmt: skip
    # Before the duty is in force nothing more is said of prescribed contracts.
    early, _ = prescribed(finder, "services", 300_000, "devolved-welsh", start=IN_FORCE - dt.timedelta(days=1))
    assert "contract is one" not in early.why


def test_cli(run) -> None:
    out = run("scope", "--type", "services", "--value", "250000", "--body", "sub-central", "--nation", "wales",
              "--start", "2026-04-01", "--json").stdout  # fmt: skip
    duties = {d["id"]: d for d in json.loads(out)["duties"]}
    assert duties[RULE]["applies"] is True and duties[RULE]["source"]["url"] == SI_2026_75
    text = run("scope", "--type", "services", "--value", "150000", "--body", "devolved-welsh",
               "--start", "2026-04-01").stdout  # fmt: skip
    assert "Prescribed contracts: all reasonable steps" in text and "Cannot tell from what was given" in text


def test_chat(shared_app: Svbot) -> None:
    session, script = chat(shared_app, ["scope", "services", "250k", "excluded", "devolved-welsh", "", "",
                                        "2026-04-01", "q"])  # fmt: skip
    assert session.last_scope is not None
    duty = next(d for d in session.last_scope[1].duties if d.id == RULE)
    assert duty.applies is True
    assert "Prescribed contracts: all reasonable steps" in script.text
    assert "this is a prescribed contract" in script.text


# A mixed contract with services at half its value: the reason given is that services are not the greater
# part, the same on every surface (the Slack form: tests/slack/test_scope_modal.py).
HALF = "services are half the value or less"


def test_half_services_cli(run) -> None:
    out = run("scope", "--type", "mixed", "--services-share", "50", "--value", "250000", "--body", "sub-central",
              "--start", "2026-04-01").stdout  # fmt: skip
    assert out.splitlines()[0].endswith("apply? No") and HALF in out and "alone" not in out


def test_half_services_chat(shared_app: Svbot) -> None:
    session, script = chat(shared_app, ["scope", "mixed", "250k", "excluded", "sub-central", "50", "", "",
                                        "2026-04-01", "q"])  # fmt: skip
    assert session.last_scope is not None and session.last_scope[1].act_applies is False
    assert HALF in script.text and "alone" not in session.last_scope[1].why


# PPN 002, dated: for procurements under the Procurement Act 2023 only, its model mandatory from
# facts.yaml's date; before the Act, PPN 06/20 applied instead.
def ppn_002(finder: ScopeFinder, start: dt.date, body: str = "central"):
    result = finder.find(Procurement("services", 500_000, body, start=start, vat="included"))
    return next(d for d in result.duties if d.id == "ppn-002")


def test_ppn_002_is_not_said_to_apply_to_a_procurement_before_the_procurement_act(
    finder: ScopeFinder, kb: KnowledgeBase
) -> None:
    act = kb.facts.get("date.procurement-act.commencement").values[0].value
    for body in ("central", "nhs"):
        before = ppn_002(finder, act - dt.timedelta(days=1), body)
        assert before.applies is False and "PPN 06/20" in before.why and "24 February 2025" in before.why
        assert "may" not in before.why


def test_ppn_002_in_the_transition_and_after_its_model_became_mandatory(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    act = kb.facts.get("date.procurement-act.commencement").values[0].value
    mandatory = kb.facts.get("date.ppn002.mandatory").values[0].value
    transition = ppn_002(finder, act)
    assert transition.applies is None
    assert "mandatory for in-scope organisations only since 1 October 2025" in transition.why
    assert ppn_002(finder, mandatory - dt.timedelta(days=1)).applies is None
    assert ppn_002(finder, mandatory).applies is True
    small = finder.find(Procurement("services", 1_000, "central", start=act, vat="included"))
    assert next(d for d in small.duties if d.id == "ppn-002").applies is False  # below the threshold either way


def test_ppn_002_dated_in_the_cli(run) -> None:
    out = run("scope", "--type", "services", "--value", "500000", "--body", "central", "--start", "2024-06-01",
              "--json").stdout  # fmt: skip
    ppn = next(d for d in json.loads(out)["duties"] if d["id"] == "ppn-002")
    assert ppn["applies"] is False and "PPN 06/20" in ppn["why"]


@pytest.mark.parametrize(
    "procurement",
    [
        Procurement("services", 300_000, "devolved-welsh", start=AFTER, vat="included"),  # prescribed
        Procurement("services", 100_000, "devolved-welsh", start=AFTER, vat="included"),  # not, by value
        Procurement("services", 150_000, "devolved-welsh", start=AFTER, vat="included"),  # turns on the class
        Procurement("mixed", 150_000, "devolved-welsh", start=AFTER, vat="included", services_share=40),
        Procurement("services", 3_000_000, "devolved-welsh", start=AFTER, vat="included", health_care=True),
        Procurement("mixed", 300_000, "sub-central", start=AFTER, vat="included", services_share=50),
    ],
)
def test_the_sentence_can_be_quoted_at_the_scope_step(finder: ScopeFinder, checker, procurement) -> None:
    # The checker refuses a phrase said twice as padding: the sentence says each thing once.
    result = finder.find(procurement)
    assert result.act_applies is False
    verdict = checker.check("scope", "does-not-apply", result.why)
    assert verdict.accepted, (verdict.problems, result.why)
