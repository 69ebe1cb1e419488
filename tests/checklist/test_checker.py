"""The reasons checker: tick-boxes refused, reasons that explain the decision accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.checklist.checker import PROBLEMS, ReasonsChecker, Verdict
from bot.knowledge.loader import KnowledgeBase
from bot.render import Renderer
from bot.scope import TYPES, Procurement, ScopeFinder

REASONS = Path(__file__).resolve().parent.parent / "data" / "reasons.yaml"


def refused(checker: ReasonsChecker, step: str, decision: str, reasons: str | None) -> Verdict:
    verdict = checker.check(step, decision, reasons)
    assert not verdict.accepted, verdict
    assert len(verdict.problems) == 1 and verdict.question, verdict
    return verdict


def accepted(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> Verdict:
    verdict = checker.check(step, decision, reasons)
    assert verdict.accepted, verdict
    assert verdict.problems == [] and verdict.missing == [] and verdict.question == ""
    return verdict


def addressed(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> Verdict:
    """Accepted with every element the option needs recognised by its cues (not on substance alone)."""
    verdict = accepted(checker, step, decision, reasons)
    assert verdict.elements == list(checker.option(step, decision).needs), verdict
    return verdict


# Reasons that cannot be read as reasons -------------------------------------------------


@pytest.mark.parametrize("reasons", ["", "   ", "\n\t\n", None])
@pytest.mark.parametrize(("step", "decision"), [("outcomes", "outcomes-identified"), ("outcomes", "none-relevant")])
def test_empty(checker: ReasonsChecker, step: str, decision: str, reasons: str | None) -> None:
    # Issue 8: empty reasons are refused for a negative decision as for a positive one.
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["empty"]
    assert verdict.rules == ["empty"]


def test_too_long(checker: ReasonsChecker) -> None:
    specific = "8 apprenticeships for Wigan care leavers over the 3-year contract. "
    reasons = specific * (checker.config.max_chars // len(specific) + 1)
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["too_long"]


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
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["gibberish"]


@pytest.mark.parametrize(
    "reasons",
    [
        "jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs jobs",
        "Apprenticeships for Salford care leavers. Apprenticeships for Salford care leavers.",
        "Eight apprentices from Bury and also eight apprentices from Bury",
    ],
)
def test_repetition(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["repetition"]


# The issue's tick-boxes in disguise, each refused for the right reason ------------------


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "problem"),
    [
        # Decorated dismissals: a place, a value, a date or a reference is not a reason.
        ("outcomes", "none-relevant", "Not relevant to this contract (ref ADS-2027-014).", "dismissal"),
        ("outcomes", "none-relevant", "Not relevant 2027 Rochdale £1m", "dismissal"),
        ("scope", "does-not-apply", "n/a - Rochdale, £1m, 2027", "dismissal"),
        ("decision", "proceed-without", "Proceed without social value on 1 Dec 2026.", "dismissal"),
        (
            "proportionality",
            "proportionate",
            "£3.2m over 5 years, asks are proportionate and relevant. Considered in line with the Act.",
            "boilerplate",
        ),
        # Bare references.
        ("scope", "applies", "see decision notice DN-2027-031", "reference"),
        ("consultation", "no-consultation", "as per legal advice received 14/03/2026", "reference"),
        # Buzzword lists and framework names dropped.
        (
            "outcomes",
            "outcomes-identified",
            "jobs, skills, apprenticeships, net zero, local spend, wellbeing...",
            "buzzwords",
        ),
        ("process", "secure-through-process", "using TOMs, SROI, HACT and PPN 002", "framework_names"),
        # A council's policy paragraph pasted in, with its name.
        (
            "scope",
            "applying-by-policy",
            "In line with the Council's Social Value Policy 2024, Tameside Council is committed to securing social, "
            "economic and environmental benefits through all its procurement activity, and will seek to maximise "
            "social value wherever possible.",
            "pasted_policy",
        ),
        # Reasons about a different, earlier procurement.
        (
            "outcomes",
            "none-relevant",
            "None - same as last time when we bought the library books in 2022.",
            "earlier_procurement",
        ),
        # Urgency of the authority's own making.
        (
            "scope",
            "urgency-exception",
            "Urgent - the contract expires on 31 March 2027 and there is not enough time to run a full process.",
            "own_urgency",
        ),
        # Numbers with no content.
        ("measurement", "measure", "12 KPIs, reported 4 times a year, RAG-rated.", "empty_numbers"),
        ("process", "secure-through-process", "10% weighting.", "decoration"),
        # A long paragraph naming the council, the value and the years, ending without why.
        (
            "scope",
            "does-not-apply",
            "Stockport Metropolitan Borough Council is procuring this contract with an estimated value of £450,000 "
            "over the years 2026 to 2029. Officers have reviewed the requirements of the Public Services (Social "
            "Value) Act 2012 and the Council's Contract Procedure Rules, and having taken all matters into account, "
            "officers are satisfied the Act does not apply.",
            "framework_names",
        ),
    ],
)
def test_tick_boxes_in_disguise(checker: ReasonsChecker, step: str, decision: str, reasons: str, problem: str) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == [problem]
    assert problem in verdict.rules


def test_a_long_paragraph_without_why_also_fires_the_conclusion_rule(checker: ReasonsChecker) -> None:
    reasons = (
        "Calderdale Council intends to procure this requirement at an estimated total value of £1.2m for the period "
        "2026 to 2030. Taking everything into account, officers are satisfied the Act does not apply."
    )
    verdict = refused(checker, "scope", "does-not-apply", reasons)
    assert verdict.problems == ["unexplained_conclusion"]
    assert {"unexplained_conclusion", "needs:outside-act"} <= set(verdict.rules)


def test_a_decorated_dismissal_is_a_dismissal_not_gibberish(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "scope", "does-not-apply", "n/a - Rochdale, £1m, 2027")
    assert verdict.problems == ["dismissal"]
    assert "gibberish" not in verdict.rules
    assert verdict.missing == ["outside-act"]


def test_decoration_around_a_restated_decision(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "scope", "applies", "Oldham Council, £2m, 2026-2030: the Act applies.")
    assert verdict.problems == ["boilerplate"]
    assert "decoration" in verdict.rules
    # The value stands in a sentence of decoration only, so it is not the deciding fact.
    assert verdict.missing == ["services", "value"]


def test_decoration_alone(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "scope", "applies", "Yes - Rochdale 2027")
    assert verdict.problems == ["decoration"]


def test_urgency_from_an_unforeseeable_event_lifts_the_own_urgency_rule(checker: ReasonsChecker) -> None:
    reasons = "The provider collapsed without warning last week; the old contract ends on 31 March anyway"
    accepted(checker, "scope", "urgency-exception", reasons)
    verdict = refused(checker, "scope", "urgency-exception", "The old contract ends on 31 March, so it is urgent")
    assert verdict.problems == ["own_urgency"]


def test_own_urgency_blocks_even_beside_other_reasons(checker: ReasonsChecker) -> None:
    reasons = "Framework call-off; the current contract ends on 31 March so there is no time to consult the market."
    verdict = refused(checker, "consultation", "no-consultation", reasons)
    assert verdict.problems == ["own_urgency"]
    assert verdict.missing == []


@pytest.mark.parametrize(
    "reasons",
    [
        "Not relevant.",
        "N/A",
        "Standard clauses apply.",
        "As per the council's procurement strategy.",
        "Social value has been considered in line with the Act.",
        "Socail value has been considred in line with teh act",
        "Not releavnt",
        "standard claueses aply",
        "TBC - will update later",
    ],
)
def test_boilerplate_and_its_typos(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "outcomes", "outcomes-identified", reasons)
    assert verdict.problems in (["boilerplate"], ["dismissal"], ["reference"])
    assert "boilerplate" in verdict.rules


@pytest.mark.parametrize("reasons", ["Jobs for locals.", "Helps.", "Twelve local apprenticeships."])
def test_too_short(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "outcomes", "outcomes-identified", reasons)
    assert verdict.problems == ["too_short"]


def test_restating_the_decision_is_not_a_reason(checker: ReasonsChecker) -> None:
    # Was a test accepting either of two problems (issue 8): the rule is now exact.
    verdict = refused(checker, "consultation", "consult", "We will consult on this.")
    assert verdict.problems == ["missing_element"]
    assert verdict.missing == ["who", "how"]
    assert verdict.question == checker.option("consultation", "consult").ask["who"]


# The issue's good reasons, carrying their weight in words ----------------------------------


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "applies", "Yes it applies - services contract worth £3m"),
        ("scope", "applies", "Services contract above threshold"),
        (
            "outcomes",
            "outcomes-identified",
            "work placements for young people from the local college and a partnership with the nursery next door",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "providers recruit nationally, so the one local ask that makes sense is paid placements for residents",
        ),
        (
            "scope",
            "urgency-exception",
            "emergency cover after our home care provider collapsed; visits needed tomorrow",
        ),
        ("measurement", "measure", "conditions checked on a monthly site visit by the contract manager"),
        ("measurement", "measure", "informal sign-in sheet for the volunteers, reviewed each term with the provider"),
        (
            "outcomes",
            "none-relevant",
            "single-source service that only one local body is licensed to provide, and they already employ locally",
        ),
        (
            "process",
            "not-pursued",
            "framework whose award criteria are fixed, so we cannot add a question; instead we'll ask for one "
            "commitment at the call-off and record it",
        ),
        (
            "measurement",
            "no-measurement",
            "the one commitment is already verified by an existing check: the supplier's living wage accreditation",
        ),
        (
            "measurement",
            "measure",
            "- placements counted by the college\n- checked by the contract manager at the six-monthly review",
        ),
        (
            "scope",
            "applying-by-policy",
            "goods only (furniture) so outside the Act, but our local policy covers all procurement",
        ),
    ],
)
def test_good_reasons_in_words(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    verdict = accepted(checker, step, decision, reasons)
    assert verdict.elements == list(checker.option(step, decision).needs)
    assert set(verdict.says) == set(verdict.elements)


def test_reasons_that_pass_report_no_rules(checker: ReasonsChecker) -> None:
    # Decoration and a framework's name beside reasons that address every element are harmless.
    reasons = "Signed off by Jo Bloggs, Director of Adult Care, on 3 February 2027, before the tender notice (PPN 002)."
    verdict = accepted(checker, "decision", "proceed", reasons)
    assert verdict.rules == []


def test_cue_language(checker: ReasonsChecker, kb: KnowledgeBase) -> None:
    # '~' allows words in between: "below ~ threshold".
    accepted(checker, "scope", "does-not-apply", "we are well below the services threshold and no local policy applies")
    refused(checker, "scope", "does-not-apply", "we are well below what the Act expects here and no policy applies")
    # '*' ends a stem: "collaps*".
    accepted(checker, "scope", "urgency-exception", "our meals provider's sudden collapse left people without food")
    # An element 'like' others is recognised by their cues too.
    why_without = kb.justification.elements["why-without"]
    assert "rules-out" in why_without.like and "sole" not in why_without.cues
    accepted(checker, "decision", "proceed-without", "a parts order from the sole maker; agreed by the head of fleet")


def test_the_framework_question(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "process", "not-pursued", "Not pursued as the framework fixes the criteria.")
    assert verdict.problems == ["missing_element"]
    assert verdict.elements == ["constraint"] and verdict.missing == ["instead"]
    assert verdict.rules == ["needs:instead"]
    assert verdict.question == checker.option("process", "not-pursued").ask["instead"]


# Every element of every option: present, the reasons pass; taken out, they fail on it ----

# One reason per option that addresses each element in its own clause, and the same
# reason with one element's clause taken out.
ELEMENTS = {
    ("scope", "applies"): ("home care service", "above the threshold"),
    ("scope", "applying-by-policy"): ("goods only, so outside the Act", "but our policy applies to everything we buy"),
    ("scope", "does-not-apply"): ("works only, resurfacing the car park",),
    ("scope", "urgency-exception"): ("the provider went into administration without warning on Friday",),
    ("outcomes", "outcomes-identified"): ("paid placements for care leavers in the new service",),
    ("outcomes", "none-relevant"): ("a software subscription renewal with nothing delivered here",),
    ("process", "secure-through-process"): ("a scored question in the tender", "on jobs for care leavers"),
    ("process", "not-pursued"): ("the framework terms are fixed", "we will ask the supplier at the annual review"),
    ("proportionality", "proportionate"): ("bidders are small charities, so we ask one short question",),
    ("proportionality", "scaled-back"): ("we dropped the carbon plan", "because bidders are tiny charities"),
    ("consultation", "consult"): ("the carers' forum", "at a drop-in session"),
    ("consultation", "no-consultation"): ("only one licensed supplier holds the rights, so nobody else to ask",),
    ("measurement", "measure"): (
        "the contract manager checks payroll records",
        "every quarter",
        "for apprentices' hours",
    ),
    ("measurement", "no-measurement"): ("we did not ask for any commitments in this licence",),
    ("decision", "proceed"): ("signed off by the head of adult care", "before the tender notice"),
    ("decision", "proceed-without"): ("software licence renewal with no local element", "agreed by the director"),
    ("decision", "defer"): ("awaiting the market engagement results", "due next month"),
}


def test_every_option_has_a_case(checker: ReasonsChecker, kb: KnowledgeBase) -> None:
    options = {(s.id, o.id) for s in kb.checklist.steps for o in s.options}
    assert set(ELEMENTS) == options
    for key, clauses in ELEMENTS.items():
        assert len(clauses) == len(checker.option(*key).needs), key


@pytest.mark.parametrize(("step", "decision"), sorted(ELEMENTS))
def test_each_element_is_needed(checker: ReasonsChecker, step: str, decision: str) -> None:
    clauses = ELEMENTS[(step, decision)]
    needs = checker.option(step, decision).needs
    accepted(checker, step, decision, "; ".join(clauses) + " - for the Northtown day centre contract")
    for i, need in enumerate(needs):
        rest = [c for j, c in enumerate(clauses) if j != i]
        reasons = (
            "; ".join(rest) + " - for the Northtown day centre contract" if rest else "it's the Northtown contract"
        )
        verdict = refused(checker, step, decision, reasons)
        assert need in verdict.missing, (need, verdict)
        assert f"needs:{need}" in verdict.rules
        assert verdict.question == checker.option(step, decision).ask[verdict.missing[0]]


# Verdict and its explanation -------------------------------------------------------------


def test_every_problem_has_its_own_explanation(checker: ReasonsChecker) -> None:
    renderer = Renderer()
    verdict = refused(checker, "process", "not-pursued", "Not pursued as the framework fixes the criteria.")
    texts = {
        code: renderer.render("checklist/problem.txt.j2", code=code, step=None, negative=True, verdict=verdict)
        for code in PROBLEMS
    }
    explanations = {code: text.removesuffix(verdict.question) for code, text in texts.items()}
    assert len(set(explanations.values())) == len(PROBLEMS)
    for text in texts.values():
        assert "\n" not in text
        assert text.endswith(
            "what will you do or record instead (at the call-off, in the contract, at the next re-tender)?"
        )
    assert "You give the constraint that rules it out:" in texts["missing_element"]
    assert "what you will do or record instead" in texts["missing_element"]


def test_rules_come_from_data(kb: KnowledgeBase) -> None:
    reasons = "Handled by the Tameside hub under scheme 42 as usual, which takes on people leaving prison."
    shipped = ReasonsChecker.for_knowledge(kb)
    assert shipped.check("outcomes", "outcomes-identified", reasons).missing == ["outcome"]
    outcome = kb.justification.elements["outcome"]
    more_cues = outcome.model_copy(update={"cues": [*outcome.cues, "leaving prison"]})
    elements = {**kb.justification.elements, "outcome": more_cues}
    justification = kb.justification.model_copy(update={"elements": elements})
    tuned = ReasonsChecker(kb.checker, kb.checklist.steps, kb.matching.stopwords, justification)
    assert tuned.check("outcomes", "outcomes-identified", reasons).accepted
    stricter = kb.checker.model_copy(update={"earlier_procurement": [*kb.checker.earlier_procurement, "as usual"]})
    assert (
        ReasonsChecker(stricter, kb.checklist.steps, kb.matching.stopwords, justification)
        .check("outcomes", "outcomes-identified", reasons)
        .accepted
    ), "an explaining rule does not sink reasons that address every element"
    urgent = kb.checker.model_copy(update={"own_urgency": [*kb.checker.own_urgency, "as usual"]})
    blocked = ReasonsChecker(urgent, kb.checklist.steps, kb.matching.stopwords, justification)
    excuse = "a software licence renewal with nothing delivered here, bought as usual"
    assert shipped.check("outcomes", "none-relevant", excuse).accepted
    assert blocked.check("outcomes", "none-relevant", excuse).problems == ["own_urgency"]
    # Urgency excuses only what is not done: beside a positive option it blocks nothing.
    assert blocked.check("outcomes", "outcomes-identified", reasons).accepted


def test_an_option_without_elements_is_judged_on_substance(kb: KnowledgeBase) -> None:
    steps = {**kb.justification.steps, "decision": {}}
    bare = ReasonsChecker(
        kb.checker, kb.checklist.steps, kb.matching.stopwords, kb.justification.model_copy(update={"steps": steps})
    )
    assert bare.option("decision", "defer") is None
    assert bare.check("decision", "defer", "waiting for the carers' forum to meet next month").accepted
    verdict = bare.check("decision", "defer", "Deferred until further notice.")
    assert not verdict.accepted and verdict.question == kb.checker.default_question


def test_is_negative(checker: ReasonsChecker) -> None:
    assert checker.is_negative("outcomes", "none-relevant")
    assert checker.is_negative("decision", "proceed-without")
    assert not checker.is_negative("outcomes", "outcomes-identified")
    assert not checker.is_negative("no-such-step", "none-relevant")


def test_a_boilerplate_sentence_does_not_sink_a_specific_one(checker: ReasonsChecker) -> None:
    verdict = accepted(
        checker,
        "outcomes",
        "outcomes-identified",
        "Social value has been considered. 8 apprenticeships for Wigan care leavers over the 3-year contract.",
    )
    assert "leavers" in verdict.signals


# The labelled development set ---------------------------------------------------------


def test_dev_set_rates(checker: ReasonsChecker) -> None:
    items = yaml.safe_load(REASONS.read_text(encoding="utf-8"))["reasons"]
    accept = [i for i in items if i["label"] == "accept"]
    refuse = [i for i in items if i["label"] == "refuse"]
    assert len(accept) >= 200 and len(refuse) >= 200

    def is_accepted(item: dict) -> bool:
        return checker.check(item["step"], item["decision"], item["reasons"]).accepted

    wrongly_refused = [i["reasons"] for i in accept if not is_accepted(i)]
    wrongly_accepted = [i["reasons"] for i in refuse if is_accepted(i)]
    assert 1 - len(wrongly_refused) / len(accept) >= 0.97, wrongly_refused
    assert 1 - len(wrongly_accepted) / len(refuse) >= 0.97, wrongly_accepted


# Kinds of failure found on reasons written by people who never saw the rules ----------


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # s.1(11)-(12): s.1 does not apply to devolved Welsh authorities.
        (
            "scope",
            "does-not-apply",
            "We are a Welsh council exercising devolved functions, so s.1 does not apply to our "
            "library cleaning contract; the Wales procurement duty covers it instead.",
        ),
        ("scope", "applying-by-policy", "we're in Wales, so our own community benefits policy is what we apply"),
        # A market of a handful of specialists is a constraint stated in words.
        (
            "process",
            "not-pursued",
            "only three firms in the country service this organ; criteria would make no difference to who bids",
        ),
        # Consultation stood in for by recent engagement with an unchanged market.
        (
            "consultation",
            "no-consultation",
            "we held a supplier day in the spring; the market is unchanged and there is nothing new to learn",
        ),
        # Measurement stood in for by an existing check.
        (
            "measurement",
            "no-measurement",
            "the only term is a recycled-paper one, which the caretaker sees on each visit to the store",
        ),
        # A counted, modest ask is proportionate on its face.
        (
            "proportionality",
            "proportionate",
            "£20k grounds contract: one work placement and peat-free compost, nothing more",
        ),
        # A mixed contract whose services are the greater part by value.
        (
            "scope",
            "applies",
            "mainly services: the equipment is a small part of the value, the rest is the repairs service",
        ),
    ],
)
def test_reasons_in_words_of_kinds_once_missed(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    addressed(checker, step, decision, reasons)


def test_a_restated_conclusion_beside_its_grounds_is_not_padding(checker: ReasonsChecker) -> None:
    reasons = (
        "Devolved Welsh authority: s.1 does not apply. s.1 does not apply to procurement by authorities whose "
        "functions are wholly or mainly Welsh devolved functions."
    )
    accepted(checker, "scope", "does-not-apply", reasons)
    # Padding is still padding when the repeated run is in words.
    verdict = refused(checker, "scope", "does-not-apply", "it does not apply here and it does not apply here at all")
    assert verdict.problems == ["repetition"]


def test_a_list_of_counted_asks_is_not_a_buzzword_list(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "outcomes", "outcomes-identified", "Jobs, skills, net zero, local spend.")
    assert verdict.problems == ["buzzwords"]
    accepted(checker, "outcomes", "outcomes-identified", "two apprentices, one work placement, ten school visits")


def test_stakeholder_speak_is_pasted_policy_even_with_cue_words(checker: ReasonsChecker) -> None:
    reasons = (
        "We will engage with all relevant stakeholders in line with best practice, making sure every voice is "
        "heard and that feedback shapes a service that meets the needs of the community."
    )
    verdict = refused(checker, "consultation", "consult", reasons)
    assert verdict.problems == ["pasted_policy"]


# The scope finder's sentence, quoted at the scope step ("=" in the chat) -------------------


def test_the_scope_finders_example_sentence_is_accepted(checker: ReasonsChecker) -> None:
    reasons = (
        "Services, £216,000 including VAT, sub-central authority, starting 3 March 2026: above the £207,720 "
        "threshold in force since 1 January 2026, so s.1 applies"
    )
    assert accepted(checker, "scope", "applies", reasons).elements == ["services", "value"]


@pytest.mark.parametrize("body", ["central", "sub-central", "devolved-welsh", "scottish", "ni", "utility", "nhs"])
def test_every_sentence_the_scope_finder_decides_is_accepted(
    checker: ReasonsChecker, kb: KnowledgeBase, body: str
) -> None:
    finder = ScopeFinder(kb)
    decided = 0
    for type_ in TYPES:
        share = 70.0 if type_ == "mixed" else None
        for value in (50_000, 216_000, 6_000_000):
            for call_off, framework in ((False, False), (True, False), (False, True)):
                procurement = Procurement(
                    type_, value, body, services_share=share, call_off=call_off, framework=framework
                )
                result = finder.find(procurement)
                if result.act_applies is None:
                    continue  # undecided: the sentence says what is missing, not a decision
                decision = "applies" if result.act_applies else "does-not-apply"
                accepted(checker, "scope", decision, result.why)
                decided += 1
    assert decided, body


# Words that undercut the option, claims that no duty applies, the law restated, hedges ----


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "proportionality",
            "proportionate",
            "The asks are a fun run for the leader's charity: not linked to the grounds contract, but popular.",
        ),
        ("decision", "proceed", "Proceed: the tender went out on 2 March 2026, signed off by the head of waste."),
        ("decision", "defer", "Deferred by the director until the panel meets in May, after the contract is awarded."),
    ],
)
def test_words_that_undercut_the_option_block_it(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    contradicts = checker.option(step, decision).contradicts[0]
    assert verdict.problems == ["contradiction"] and verdict.rules[0] == "contradiction"
    assert verdict.question == contradicts.ask and verdict.admits == contradicts.says
    text = Renderer().render(
        "checklist/problem.txt.j2", code="contradiction", step=None, negative=False, verdict=verdict
    )
    assert contradicts.says in text
    # The rule is data: without the option's `contradicts`, the same reasons pass.
    steps = {**kb.justification.steps}
    steps[step] = {**steps[step], decision: steps[step][decision].model_copy(update={"contradicts": []})}
    lenient = ReasonsChecker(
        kb.checker, kb.checklist.steps, kb.matching.stopwords, kb.justification.model_copy(update={"steps": steps})
    )
    assert lenient.check(step, decision, reasons).accepted


def test_a_claim_that_no_duty_applies_at_all_is_refused(checker: ReasonsChecker) -> None:
    verdict = refused(
        checker, "scope", "does-not-apply", "We are a Welsh council, so social value does not apply to us at all."
    )
    assert verdict.problems == ["overclaim"]
    accepted(
        checker,
        "scope",
        "does-not-apply",
        "We are a Welsh council, so s.1 does not apply to us; our socially responsible procurement duty is covered "
        "at the outcomes step.",
    )


def test_the_law_restated_is_not_a_reason(checker: ReasonsChecker) -> None:
    reasons = "The Act covers public services contracts and frameworks for services above the thresholds."
    assert refused(checker, "scope", "applies", reasons).problems == ["restated_law"]
    reasons = "Yes - linked to the subject matter of the contract and proportionate."
    assert refused(checker, "proportionality", "proportionate", reasons).problems == ["restated_law"]


def test_hedges_are_not_decisions(checker: ReasonsChecker) -> None:
    reasons = "Perhaps some local jobs or greener vans, to be looked at in more detail later."
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["hedged"]
    reasons = "The usual market engagement process will be followed."
    assert refused(checker, "consultation", "consult", reasons).problems == ["hedged"]
    # A hedge beside a count still commits to something.
    accepted(checker, "outcomes", "outcomes-identified", "two paid placements for care leavers, and maybe a third")


def test_headings_spread_over_sentences_are_a_buzzword_list(checker: ReasonsChecker) -> None:
    reasons = "Economic: local jobs. Social: wellbeing. Environmental: net zero."
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["buzzwords"]
    reasons = "None relevant. Licence. Software. Statutory. Sole supplier."
    assert refused(checker, "outcomes", "none-relevant", reasons).problems == ["buzzwords"]
    accepted(checker, "outcomes", "outcomes-identified", "- 2 apprentices\n- 10 school visits\n- electric vans")


def test_short_deciding_facts_linked_by_prepositions_are_not_buzzwords(checker: ReasonsChecker) -> None:
    accepted(checker, "scope", "applies", "Cleaning services, above threshold, English county council.")


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # Urgency caused by someone else, stated in words.
        (
            "scope",
            "urgency-exception",
            "the coach firm handed back the school routes with a week's notice (their staffing, not ours)",
        ),
        ("scope", "urgency-exception", "a court order gives us ten days to put an independent visitor in place"),
        # Nothing about the work touches the area.
        (
            "outcomes",
            "none-relevant",
            "an audit done remotely by a specialist firm over a fortnight; no role here for a placement",
        ),
        (
            "outcomes",
            "none-relevant",
            "interim cover while the full tender runs, with the same staff transferring over",
        ),
        # A lever named in words.
        (
            "process",
            "secure-through-process",
            "further competition lets us add our own question on local hires at call-off",
        ),
        (
            "process",
            "not-pursued",
            "the job is three weeks long, too short for a placement; instead they'll post vacancies on our jobs board",
        ),
        (
            "process",
            "not-pursued",
            "consortium prices are the same for every member; what we can do is opt into green energy",
        ),
        # Grounds and cuts in words.
        (
            "proportionality",
            "proportionate",
            "the asks are about how the service is delivered and bidders already report on it",
        ),
        (
            "proportionality",
            "scaled-back",
            "we won't ask for a carbon plan, only for one local hire, as it's a one-year pilot",
        ),
        ("proportionality", "scaled-back", "reduced from three KPIs to one because the contract is six months long"),
        # Whom and how, in words; consultation stood in for by findings that still hold.
        ("consultation", "consult", "talking to the parents' forum and the drivers about what makes a good journey"),
        ("proportionality", "proportionate", "both asks come straight from what the cleaners do every day"),
        ("scope", "does-not-apply", "we are the Welsh Government, which s.1(11)-(12) takes out of the Act"),
        ("scope", "does-not-apply", "a Belfast trust, and the 2012 Act extends to England and Wales only"),
        (
            "proportionality",
            "proportionate",
            "the bidders are big firms with their own trainee schemes; two trainees is easy for them",
        ),
        (
            "consultation",
            "no-consultation",
            "the engagement for this service ran last autumn and the findings still hold",
        ),
        ("measurement", "no-measurement", "a two-week job with no social value asks in it, so nothing to report on"),
        ("outcomes", "outcomes-identified", "laptops refurbished and reused where they can be, and old kit taken back"),
        (
            "decision",
            "defer",
            "waiting on the health board's view on a joint contract, expected at their next board meeting",
        ),
        ("scope", "applies", "street cleansing, all services, tendering it ourselves, well above the threshold"),
        (
            "decision",
            "defer",
            "waiting for the fee review, which reports at the end of June; the director decides after that",
        ),
    ],
)
def test_reasons_in_words_found_on_a_second_independent_set(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


def test_own_urgency_cues_do_not_block_a_positive_option(checker: ReasonsChecker) -> None:
    reasons = "A scored question on how bidders will cut staff turnover among the carers, and a retention KPI."
    accepted(checker, "process", "secure-through-process", reasons)


def test_contractions_read_as_the_words_they_stand_for(checker: ReasonsChecker) -> None:
    # "we'll ask" is "we will ask"; "won't allow" is "will not allow".
    accepted(checker, "process", "not-pursued", "the framework's terms are fixed; we'll ask them for one placement")
    accepted(
        checker,
        "process",
        "not-pursued",
        "the consortium's contract terms won't allow it; we'll ask them for one placement",
    )
    verdict = refused(checker, "process", "not-pursued", "the framework's terms are fixed; well, ask them sometime")
    assert verdict.missing == ["instead"]


def test_data_already_collected_is_evidence(checker: ReasonsChecker) -> None:
    addressed(
        checker,
        "measurement",
        "measure",
        "we'll track the switch to electric buses from the operator's monthly fuel data",
    )


def test_a_review_with_nothing_said_about_it_is_not_what_is_awaited(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "decision", "defer", "Deferred to Q3 2027/28 pending review, Sefton, £1.6m.")
    assert verdict.missing == ["awaited"]


# Specific reasons whose words no cue knows -------------------------------------------------

WALK_THROUGH = (
    "We will sit down with the tenants' repairs group in their community room to walk through the draft repairs "
    "specification, response priorities and the apprenticeship offer"
)


def test_specific_reasons_missing_one_elements_cues_are_accepted_on_substance(
    checker: ReasonsChecker, kb: KnowledgeBase
) -> None:
    verdict = accepted(checker, "consultation", "consult", WALK_THROUGH)
    # The rule id tells an admin which element's cues to extend.
    assert verdict.elements == ["who"] and verdict.rules == ["unrecognised:how"]
    off = kb.checker.model_copy(update={"accept_on_substance": 0})
    strict = ReasonsChecker(off, kb.checklist.steps, kb.matching.stopwords, kb.justification)
    verdict = refused(strict, "consultation", "consult", WALK_THROUGH)
    assert verdict.missing == ["how"] and verdict.rules == ["needs:how"]


def test_substance_outweighs_neither_a_tick_box_rule_nor_two_missing_elements(checker: ReasonsChecker) -> None:
    reasons = WALK_THROUGH + ". The council is committed to maximising social value wherever possible."
    assert refused(checker, "consultation", "consult", reasons).problems == ["pasted_policy"]
    reasons = (
        "Our thinking covers the draft repairs specification, response priorities, the apprenticeship offer and vans"
    )
    verdict = refused(checker, "consultation", "consult", reasons)
    assert verdict.missing == ["who", "how"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "missing"),
    [
        # "officer" is not a role, and "then" is not a time.
        ("decision", "proceed", "Officer decision taken prior to procurement.", ["decision-maker"]),
        ("decision", "defer", "Awaiting feedback from the provider forum, then decide.", ["by-when"]),
    ],
)
def test_words_too_vague_to_be_an_element(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, missing: list[str]
) -> None:
    assert refused(checker, step, decision, reasons).missing == missing


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "problem"),
    [
        ("measurement", "measure", "Will check quarterly and review annually as appropriate.", "hedged"),
        (
            "outcomes",
            "outcomes-identified",
            "Social value underpins our commitment to positive impacts, so every pound spent brings lasting benefits.",
            "pasted_policy",
        ),
        (
            "proportionality",
            "proportionate",
            "Relevant and proportionate in all the circumstances, given the nature, scale and complexity of it.",
            "restated_law",
        ),
    ],
)
def test_generic_prose_is_set_aside(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, problem: str
) -> None:
    assert refused(checker, step, decision, reasons).problems == [problem]


def test_a_modest_ask_directly_about_the_work_is_proportionate(checker: ReasonsChecker) -> None:
    reasons = (
        "for a two-year cleaning contract, the real living wage for the cleaners is modest and directly about the work"
    )
    assert accepted(checker, "proportionality", "proportionate", reasons).elements == ["grounds"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # A renewal is a constraint only when it is of a licence or a subscription.
        (
            "outcomes",
            "none-relevant",
            "Not relevant - just the renewal of an existing service with the current provider.",
        ),
        # "Already" is a stand-in for consultation only when it says what was already done.
        (
            "consultation",
            "no-consultation",
            "No consultation - we already know what the service needs and the providers.",
        ),
    ],
)
def test_words_that_only_sound_like_a_constraint(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    refused(checker, step, decision, reasons)


def test_an_existing_check_in_any_tense_stands_in_for_measurement(checker: ReasonsChecker) -> None:
    reasons = "the one requirement is Euro 6 vans, and our fleet team already checks every vehicle's details"
    accepted(checker, "measurement", "no-measurement", reasons)


# Issue 11 on reasons_dev3: facts that contradict the option, credentials, own-making urgency,
# regard-and-conclusion paragraphs, reasons for another step ---------------------------------


def without_contradictions(kb: KnowledgeBase, step: str, decision: str) -> ReasonsChecker:
    steps = {**kb.justification.steps}
    steps[step] = {**steps[step], decision: steps[step][decision].model_copy(update={"contradicts": []})}
    justification = kb.justification.model_copy(update={"steps": steps})
    return ReasonsChecker(kb.checker, kb.checklist.steps, kb.matching.stopwords, justification)


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "admits"),
    [
        ("scope", "applies", "Applies - goods only purchase of 40 laptops, £300k.", "goods only or works only"),
        ("scope", "applies", "The Act applies: it is a works contract for the new depot roof, £2m.", "works only"),
        (
            "scope",
            "applies",
            "Applies: it's a £60k training course, well under the threshold, but the Act is good practice.",
            "below the threshold",
        ),
        ("scope", "does-not-apply", "Does not apply - the service is delivered in Wales.", "where the service"),
        ("scope", "does-not-apply", "does not apply as the supplier is based in Scotland", "not the place"),
        (
            "consultation",
            "no-consultation",
            "No consultation needed as we will hold a market engagement event in March with the providers.",
            "you will consult after all",
        ),
        (
            "consultation",
            "no-consultation",
            "not consulting - we plan to run a survey of providers in the next few weeks instead",
            "you will consult after all",
        ),
        (
            "consultation",
            "no-consultation",
            "Not consulting; the libraries consultation last year covered social value generally.",
            "about something else",
        ),
        (
            "consultation",
            "no-consultation",
            "Providers were consulted last time this was tendered and we expect the same views.",
            "earlier procurement are assumed",
        ),
    ],
)
def test_facts_that_contradict_the_option_are_named(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, admits: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["contradiction"] and verdict.rules[0] == "contradiction"
    assert admits in verdict.admits
    fired = next(c for c in checker.option(step, decision).contradicts if c.says == verdict.admits)
    assert verdict.question == fired.ask
    text = Renderer().render(
        "checklist/problem.txt.j2", code="contradiction", step=None, negative=True, verdict=verdict
    )
    assert verdict.admits in text and verdict.question in text
    # The rule is data: without the option's contradictions, they are not what refuses it.
    assert "contradiction" not in without_contradictions(kb, step, decision).check(step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "scope",
            "applies",
            "each lot is below the threshold but together the framework is £4m of care services, so it applies "
            "to the whole framework",
        ),
        (
            "scope",
            "applies",
            "It's not goods only: the kit is a small part, the maintenance services are most of the £1.2m.",
        ),
        (
            "scope",
            "does-not-apply",
            "we're a devolved welsh authority and it is delivered in wales, so s.1 doesn't apply to us",
        ),
        (
            "consultation",
            "no-consultation",
            "no consultation now: 6-week emergency cover after the provider went into administration; we'll consult "
            "users properly before the re-tender",
        ),
        (
            "consultation",
            "no-consultation",
            "the same providers were consulted on this service last time it was tendered and nothing has changed",
        ),
        (
            "consultation",
            "no-consultation",
            "no consultation: emergency 8 week cover after the provider collapsed. we'll consult providers and service "
            "users properly before the full tender",
        ),
    ],
)
def test_words_that_lift_a_contradiction(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    accepted(checker, step, decision, reasons)


def test_a_place_alone_does_not_take_a_procurement_outside_the_act(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "scope", "does-not-apply", "Does not apply - the service is delivered in Wales.")
    assert verdict.missing == ["outside-act"]


@pytest.mark.parametrize(
    "reasons",
    [
        "The incumbent is an accredited Living Wage employer with ISO 14001 and a strong CSR record, so social value "
        "is assured.",
        "The supplier is a Disability Confident Leader and an Armed Forces Covenant signatory.",
        "All bidders must be carbon neutral certified and hold the Living Wage accreditation.",
        # one cue each
        "The incumbent is an accredited Living Wage employer.",
        "The supplier is Disability Confident and employs local people.",
    ],
)
def test_credentials_are_not_outcomes(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "outcomes", "outcomes-identified", reasons)
    assert verdict.problems == ["credentials"] and verdict.missing == ["outcome"]


def test_suppliers_that_are_living_wage_employers_are_a_credential_paying_it_is_an_outcome(
    checker: ReasonsChecker,
) -> None:
    reasons = "All shortlisted suppliers are Real Living Wage employers and carbon literate."
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["credentials"]
    addressed(checker, "outcomes", "outcomes-identified", "all 30 cleaners paid the real living wage")


def test_a_checked_credential_is_evidence(checker: ReasonsChecker) -> None:
    addressed(checker, "measurement", "measure", "ISO 14001 audit reports reviewed by the contract manager every year")


@pytest.mark.parametrize(
    "reasons",
    [
        "The previous attempt at this procurement slipped because of vacancies in the commissioning team, so we now "
        "need to award urgently.",
        "urgent as the timetable slipped after the cabinet approval was delayed",
        "Relying on urgency: we knew the contract was ending in March but the re-procurement started late.",
        # one cue each
        "urgent: the re-tender slipped by four months",
        "we knew the cover arrangement was ending",
    ],
)
def test_urgency_from_the_authoritys_own_delays(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "scope", "urgency-exception", reasons).problems == ["own_urgency"]


def test_vacancies_offered_to_local_people_are_no_excuse_of_urgency(checker: ReasonsChecker) -> None:
    reasons = (
        "we'd like to score apprenticeships but the contract is six weeks long - no apprentice could start and finish"
        " anything. instead the supplier has agreed to post any vacancies on our jobs board."
    )
    addressed(checker, "process", "not-pursued", reasons)


NORFOLK = (
    "Norfolk County Council has considered the requirements of the Public Services (Social Value) Act 2012 in "
    "relation to the proposed contract for occupational health services for the period 1 April 2027 to 31 March "
    "2030, with an estimated value of £1.2m. Having had regard to the Council's Social Value Policy and the views of "
    "the service, officers have concluded that there are no outcomes relevant to this contract."
)
KENT = (
    "Kent County Council has had regard to the Procurement Act 2023, the Public Services (Social Value) Act 2012 and "
    "the Council's Commissioning Framework. Given the estimated contract value of £2.1m over an initial term of three "
    "years with an option to extend by one year, officers consider that pursuing social value through the "
    "procurement process is not appropriate in this instance."
)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("outcomes", "none-relevant", NORFOLK),
        ("process", "not-pursued", KENT),
        # one cue: without it, these would be accepted on their substance
        (
            "outcomes",
            "none-relevant",
            "The Trust has had regard to the occupational health market, the three-year term, the staff survey "
            "results and the views of the clinical leads.",
        ),
    ],
)
def test_regard_and_a_conclusion_are_not_substance(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    # The long paragraphs are also concluded at length; the short one only announces regard.
    assert verdict.problems == ["concluded_at_length" if reasons in (NORFOLK, KENT) else "unexplained_conclusion"]
    assert not any(r.startswith("unrecognised:") for r in verdict.rules)


@pytest.mark.parametrize(
    "reasons",
    [
        "Salford City Council's social value priorities are to build a fairer, greener and healthier city where "
        "everyone can thrive, and this contract will contribute to those priorities.",
        "This contract will contribute to our corporate priorities of a thriving economy, healthy communities and a "
        "greener borough.",
        # one cue each: the authority's priorities, not what this contract will do
        "Our priorities are to get more local people into jobs and to cut carbon, and this contract will help.",
        "It will contribute to our targets on jobs and carbon.",
    ],
)
def test_a_councils_vision_statement_is_pasted_policy(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "outcomes", "outcomes-identified", reasons).problems == ["pasted_policy"]


def test_an_organisations_name_is_never_substance(checker: ReasonsChecker) -> None:
    verdict = checker.check("outcomes", "none-relevant", "Wigan Metropolitan Borough Council's licence renewal")
    assert "wigan" not in verdict.signals and "metropolitan" not in verdict.signals
    assert "licence" in verdict.signals


PAYROLL = (
    "Payroll records and the site visit sheet are checked by the contract manager each quarter to confirm the "
    "apprentices are in post."
)


def test_reasons_written_for_another_step_are_not_accepted_on_substance(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "consultation", "no-consultation", PAYROLL)
    assert verdict.problems == ["other_step"] and verdict.answers == "measurement"
    assert verdict.missing == ["why-not"] and verdict.rules[0] == "other_step"
    text = Renderer().render("checklist/problem.txt.j2", code="other_step", step=None, negative=True, verdict=verdict)
    assert "an answer to the measurement step" in text and verdict.question in text
    addressed(checker, "measurement", "measure", PAYROLL)


def test_reasons_that_speak_of_their_own_step_may_still_be_accepted_on_substance(checker: ReasonsChecker) -> None:
    # They answer consultation's who and how as well, but say what the market engagement would (not) tell us.
    reasons = (
        "Specialist actuarial work: three firms in the market, all known to us, and four weeks of work. A market "
        "engagement would tell us nothing about social value we could use."
    )
    verdict = accepted(checker, "consultation", "no-consultation", reasons)
    assert verdict.rules == ["unrecognised:why-not"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "process",
            "secure-through-process",
            "Spec requires the service in Welsh for anyone who asks for it - a requirement every bidder must meet, "
            "not a scored extra.",
        ),
        (
            "process",
            "secure-through-process",
            "Contract term: the operator must run the bus service with Welsh-speaking drivers on the rural routes.",
        ),
        (
            "process",
            "not-pursued",
            "Call-off from the Scotland Excel food framework. Community benefits were secured when the framework was "
            "let and the call-off terms don't allow additions; we'll report the framework benefits that come to our "
            "area.",
        ),
        (
            "process",
            "not-pursued",
            "direct award under the YPO framework whose terms are fixed; the framework's own community benefits will "
            "be reported to us each year",
        ),
        (
            "process",
            "not-pursued",
            "The contract is itself the social value: it's the park café, reserved for a supported employment provider"
            " whose staff are mostly people with learning disabilities. A scored SV question on top would add nothing.",
        ),
        (
            "proportionality",
            "proportionate",
            "Relevant: the service is delivered in people's homes, so carers living nearer their rounds matters for "
            "reliability and carbon. Proportionate: we score it lightly and don't set a target.",
        ),
        (
            "proportionality",
            "proportionate",
            "Proportionate - NHS tenders carry a net zero and social value question anyway, and we've kept ours to "
            "what the laundry service can actually change: water and energy use and vehicle miles.",
        ),
        (
            "proportionality",
            "scaled-back",
            "We had a community fund contribution in the draft; legal pointed out it has nothing to do with the "
            "subject (IT hardware maintenance), so it's out. Kept e-waste recycling and reuse of old kit, which are "
            "about the hardware.",
        ),
        (
            "consultation",
            "consult",
            "ask the children: the school council at each of the special schools, about what they want from their "
            "transport escorts",
        ),
        (
            "decision",
            "proceed",
            "Proceed. The programme's SRO approved it on the date of this record, before the tender notice. The Social "
            "Value Model outcome chosen is skills for people facing barriers to work, at the minimum weighting.",
        ),
        ("decision", "proceed", "Penderfyniad gan y Cyfarwyddwr Cyllid cyn cyhoeddi'r hysbysiad tendr."),
        (
            "decision",
            "proceed-without",
            "Proceed without: it's a trade fair stand in another city and nothing about it touches our area. Decided "
            "by the Head of Inward Investment before booking.",
        ),
        (
            "decision",
            "proceed-without",
            "Bwrw ymlaen heb ofynion gwerth cymdeithasol: darn sbâr untro gan yr unig wneuthurwr, felly dim "
            "cystadleuaeth a dim i'w adeiladu i mewn. Penderfyniad gan y Pennaeth Ystadau cyn gosod yr archeb.",
        ),
        (
            "decision",
            "proceed-without",
            "actuarial valuation: no SV (see outcomes). chair of the pension committee and the s151 officer agreed "
            "this before we ask the firms to quote",
        ),
        (
            "scope",
            "applying-by-policy",
            "We're in Wales: the Act's duty is England-focused for us here, but the Well-being of Future Generations "
            "(Wales) Act goals and our own community benefits policy mean we apply it",
        ),
    ],
)
def test_reasons_in_words_found_on_the_third_development_set(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


def test_a_pointer_to_another_step_of_the_checklist_is_not_a_reference(checker: ReasonsChecker) -> None:
    reasons = (
        "proceed without: below the floor in our policy and nothing delivered locally (see outcomes). signed off by "
        "the head of finance before ordering"
    )
    addressed(checker, "decision", "proceed-without", reasons)
    verdict = refused(checker, "decision", "defer", "Deferred, see decision notice DN-2027-031.")
    assert "reference" in verdict.rules


# What the checklist's record already shows ------------------------------------------------


def test_the_record_answers_the_decision_maker_and_the_revisit_date(checker: ReasonsChecker) -> None:
    interim = (
        "interim 6-month contract while the service is redesigned; nothing the supplier could add in that time, "
        "social value goes into the full tender"
    )
    alone = refused(checker, "decision", "proceed-without", interim)
    assert alone.missing == ["decision-maker"]
    verdict = checker.check("decision", "proceed-without", interim, {"decision-maker"})
    assert verdict.accepted, verdict
    assert "recorded:decision-maker" in verdict.rules and "decision-maker" in verdict.elements
    # Waiting for something named, with the revisit date the deferral carries.
    waiting = "Waiting for the estates review"
    assert refused(checker, "decision", "defer", waiting).missing == ["by-when"]
    assert checker.check("decision", "defer", waiting, {"revisit-date"}).accepted
    # A fact the option does not need changes nothing.
    assert not checker.check("decision", "defer", waiting, {"decision-maker", "before-start"}).accepted


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "does-not-apply", "Not applicable as our service users are all in Scotland."),
        ("consultation", "no-consultation", "we consulted for the last contract in 2021"),
        ("scope", "does-not-apply", "As the contract is for services in Scotland, the English Act is not engaged."),
        (
            "consultation",
            "no-consultation",
            "Not needed, the VCSE sector was consulted on the council's new procurement strategy in 2025.",
        ),
    ],
)
def test_more_facts_that_contradict_the_option(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    assert refused(checker, step, decision, reasons).problems == ["contradiction"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # talk with the providers and tenants at an event in January
        ("consultation", "consult", "siarad â'r darparwyr a'r tenantiaid mewn digwyddiad ym mis Ionawr"),
        # check the payroll every quarter to see the apprentices are in post
        ("measurement", "measure", "gwirio'r gyflogres bob chwarter i weld bod y prentisiaid yn eu swyddi"),
        # jobs for local people and apprenticeships for the area's young people
        ("outcomes", "outcomes-identified", "swyddi i bobl leol a phrentisiaethau i bobl ifanc yr ardal"),
        # defer until the results of the tenants' survey are available in March
        ("decision", "defer", "gohirio nes bydd canlyniadau arolwg y tenantiaid ar gael ym mis Mawrth"),
    ],
)
def test_reasons_in_welsh(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    addressed(checker, step, decision, reasons)


def test_a_dismissal_in_welsh_is_still_a_dismissal(checker: ReasonsChecker) -> None:
    refused(checker, "consultation", "no-consultation", "Dim ymgynghori - Cyngor Sir Gâr, £1m, 2027.")


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("decision", "proceed-without", "Proceed without social value on 1 Dec 2026."),
        ("decision", "proceed", "Proceed."),
        ("decision", "defer", "Deferred pending further consideration."),
        ("decision", "proceed-without", "Not relevant to this contract (ref ADS-2027-014)."),
    ],
)
def test_the_record_never_turns_a_tick_box_into_reasons(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = checker.check(step, decision, reasons, {"decision-maker", "before-start", "revisit-date"})
    assert not verdict.accepted, verdict


def test_waiting_for_a_named_decision_is_what_is_awaited(checker: ReasonsChecker) -> None:
    for reasons in (
        "waiting for the cabinet's budget decision on 12 February 2027",
        "deferred until the council's budget is set in March 2027",
    ):
        addressed(checker, "decision", "defer", reasons)


def test_one_local_ask_kept_because_providers_recruit_nationally(checker: ReasonsChecker) -> None:
    addressed(
        checker,
        "proportionality",
        "scaled-back",
        "providers recruit nationally, so the only local ask that makes sense is one work-experience offer per year",
    )


def test_more_would_keep_the_only_bidder_away(checker: ReasonsChecker) -> None:
    reasons = "cut it to one ask: the incumbent is a one-man band and anything more would stop him bidding"
    addressed(checker, "proportionality", "scaled-back", reasons)


def test_credentials_are_set_aside_only_where_they_pose_as_outcomes(checker: ReasonsChecker, kb: KnowledgeBase) -> None:
    record = "the bidders all have a track record of taking apprentices, so asking for two is easy for them"
    addressed(checker, "proportionality", "proportionate", record + " on a £3m contract")
    assert refused(checker, "outcomes", "outcomes-identified", "Our supplier has a track record.").problems == [
        "credentials"
    ]
    everywhere = kb.checker.model_copy(update={"credentials_steps": []})
    strict = ReasonsChecker(everywhere, kb.checklist.steps, kb.matching.stopwords, kb.justification)
    assert strict.check("proportionality", "proportionate", record).problems == ["credentials"]


def test_a_market_without_capacity_is_no_urgency_of_the_authoritys_making(checker: ReasonsChecker) -> None:
    reasons = (
        "not pursued: there's a lack of capacity in the local care market, so we can't ask more of providers than the "
        "rates cover; we'll revisit at the fee review"
    )
    addressed(checker, "process", "not-pursued", reasons)
    verdict = refused(checker, "process", "not-pursued", "not pursued due to our lack of capacity; we'll revisit")
    assert verdict.problems == ["own_urgency"]


def test_consulting_once_the_service_runs_stands_in_for_consulting_now(checker: ReasonsChecker) -> None:
    reasons = (
        "no consultation before we buy - it's a pilot; we will consult the users once the service is running and feed"
        " that into the full tender"
    )
    addressed(checker, "consultation", "no-consultation", reasons)


TAMESIDE = (
    "This report seeks approval to procure a contract for the provision of occupational therapy equipment and "
    "associated servicing across Tameside for 2027 to 2031 at an estimated value of £2.8m. Officers have reviewed "
    "the relevant legislation and are satisfied that the Public Services (Social Value) Act 2012 does not apply."
)


def test_a_long_paragraph_ending_in_a_conclusion_does_not_justify_a_negative_option(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "scope", "does-not-apply", TAMESIDE)
    assert verdict.problems == ["concluded_at_length"] and verdict.missing == []
    text = Renderer().render(
        "checklist/problem.txt.j2", code="concluded_at_length", step=None, negative=True, verdict=verdict
    )
    assert "ends in a conclusion" in text and verdict.question in text
    # A short conclusion with its grounds is still reasons; so is a long positive answer.
    accepted(checker, "scope", "does-not-apply", "Officers are satisfied it is goods only: 400 laptops, no services.")
    accepted(
        checker,
        "decision",
        "proceed",
        "On balance the director of children's services decided to proceed with the two asks, on 2 February, before "
        "the tender notice, having weighed the cost to the three small bidders against the placements for care "
        "leavers that the panel wanted, and agreed both.",
    )


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "outcomes",
            "none-relevant",
            "emergency cover for 8 weeks while the failed provider's contract is re-let; nothing can be built into "
            "cover this short",
        ),
        (
            "decision",
            "defer",
            "hold until the autumn budget settles whether the service continues at all; revisit in november",
        ),
    ],
)
def test_cover_too_short_and_a_budget_awaited(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    addressed(checker, step, decision, reasons)


def test_a_policy_that_scores_social_value_anyway(checker: ReasonsChecker) -> None:
    reasons = (
        "we're an NI department so the English Act isn't ours, but PPN 01/21 means we score social value at 10% anyway"
    )
    addressed(checker, "scope", "applying-by-policy", reasons)
    reasons = "goods, so not the Act, but we weight carbon at 5% anyway"
    addressed(checker, "scope", "applying-by-policy", reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "answers"),
    [
        (
            "outcomes",
            "none-relevant",
            "We will hold a supplier day with local providers and the VCSE forum in March to discuss the "
            "specification.",
            "consultation",
        ),
        (
            "process",
            "not-pursued",
            "The provider will send quarterly returns on apprentices and local spend, checked against payroll by the "
            "contract manager.",
            "measurement",
        ),
        (
            "proportionality",
            "scaled-back",
            "The director of place approved the approach on 4 May, before the notice was published.",
            "decision",
        ),
    ],
)
def test_a_refusal_says_which_step_the_reasons_answer_instead(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, answers: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["other_step"] and verdict.answers == answers


def test_the_only_supplier_leaves_no_market_to_consult(checker: ReasonsChecker) -> None:
    reasons = (
        "no consultation: the only supplier is the manufacturer, and we will hold a handover meeting with them after "
        "award, which is not consultation"
    )
    addressed(checker, "consultation", "no-consultation", reasons)


# Issue 11 on reasons_dev5: written by someone who never saw the rules --------------------------


@pytest.mark.parametrize(
    "reasons",
    [
        "The contract will help us on our journey to net zero and reflects our values as a caring council.",
        "As an anchor institution we want this contract to lift the whole borough, in line with our ambitions.",
        "These asks are proportionate because social value is a council priority for every department.",
        "This tender is contributing to our corporate plan, recognising the role we play in the town.",
    ],
)
def test_an_authoritys_priorities_values_and_ambitions_are_pasted_policy(checker: ReasonsChecker, reasons: str) -> None:
    verdict = checker.check("outcomes", "outcomes-identified", reasons)
    assert not verdict.accepted and "pasted_policy" in verdict.rules, verdict


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "proportionality",
            "proportionate",
            "Having regard to the budget, the length of the term, the mix of bidders in the region and the low risk, "
            "the requirements stand.",
        ),
        (
            "measurement",
            "no-measurement",
            "We have taken the view that formal measurement would not be a good use of officer hours given the "
            "workload across the team this year.",
        ),
        (
            "outcomes",
            "none-relevant",
            "It is not considered that this specialist service, staffed to national standards, could add anything "
            "beyond its core requirements.",
        ),
        (
            "decision",
            "proceed-without",
            "After careful consideration of everything in this checklist and the pressures on the service, the "
            "senior officer has decided to go ahead without specific requirements.",
        ),
    ],
)
def test_a_view_taken_or_regard_had_is_a_conclusion_without_grounds(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert "unexplained_conclusion" in verdict.rules, verdict


# Generalising from the sixth development set (issue 11): scope, outcomes, process, proportionality ----------


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "element"),
    [
        (
            "scope",
            "does-not-apply",
            "We have looked at this with colleagues in legal and finance over several weeks: the day opportunities "
            "service is long established and the providers who will bid all have strong community links already.",
            "outside-act",
        ),
        (
            "scope",
            "urgency-exception",
            "Relying on the exception because the day service is critical for vulnerable adults and any gap in "
            "provision would put them at risk, so the award must be made quickly.",
            "urgent-event",
        ),
        (
            "process",
            "secure-through-process",
            "Through this we want more local people in good jobs, more money spent with local small businesses and "
            "charities, and less carbon from vans and buildings.",
            "lever",
        ),
    ],
)
def test_an_essential_element_is_never_waived_on_substance(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, element: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.missing == [element] and f"needs:{element}" in verdict.rules, verdict
    elements = {**kb.justification.elements}
    elements[element] = elements[element].model_copy(update={"essential": False})
    lenient = ReasonsChecker(
        kb.checker,
        kb.checklist.steps,
        kb.matching.stopwords,
        kb.justification.model_copy(update={"elements": elements}),
    )
    assert accepted(lenient, step, decision, reasons).rules[0] == f"unrecognised:{element}"


def test_the_law_restated_beside_a_fact_of_this_procurement_keeps_the_fact(checker: ReasonsChecker) -> None:
    reasons = (
        "The fitting is a small part of the price of the new boiler: by value this is a goods contract, and the Act "
        "covers services contracts (or mixed contracts mainly for services)."
    )
    verdict = addressed(checker, "scope", "does-not-apply", reasons)
    assert "restated_law" not in verdict.rules
    by_policy = (
        "Works only: relaying the paving on the high street, £300k. The Act does not cover works contracts, but the "
        "council's local labour policy applies to all capital works over £250k."
    )
    addressed(checker, "scope", "applying-by-policy", by_policy)
    # a list of the contracts the Act covers is not a clause about this one
    listed = "The Act covers public services contracts, and frameworks mainly for services, above the thresholds."
    assert refused(checker, "scope", "applies", listed).missing == ["services", "value"]


@pytest.mark.parametrize(
    "reasons",
    [
        "The Act does not cover goods contracts, works contracts or call-offs; such contracts fall outside it.",
        "Goods and works contracts are not caught by section 1, nor are call-offs. Not applicable.",
        "Section 1 covers services contracts above threshold. Goods contracts and call-offs are outside its scope.",
    ],
)
def test_the_exceptions_listed_in_general_are_restated_law(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "scope", "does-not-apply", reasons)
    assert verdict.missing == ["outside-act"] and "restated_law" in verdict.rules, verdict


@pytest.mark.parametrize(
    ("decision", "reasons"),
    [
        ("does-not-apply", "probably below threshold, not checked yet"),
        ("does-not-apply", "i think it's mostly goods so it doesn't apply"),
        ("applying-by-policy", "not sure if it's services or goods, so going with our sv policy to be safe"),
        # the hedge's own figure is no commitment
        (
            "applying-by-policy",
            "we're not 100% sure whether it's goods or services, so our policy covers it to be safe",
        ),
    ],
)
def test_doubt_about_the_deciding_fact_is_a_hedge(checker: ReasonsChecker, decision: str, reasons: str) -> None:
    assert "hedged" in refused(checker, "scope", decision, reasons).rules


def test_a_claim_that_s1_does_not_apply_at_all_is_lifted_by_the_duty_that_applies_instead(
    checker: ReasonsChecker,
) -> None:
    instead = "welsh county council: the 2012 Act doesn't apply to us at all, the SPPP Act duty applies instead"
    assert "overclaim" not in addressed(checker, "scope", "does-not-apply", instead).rules
    alone = "a welsh county council, so the 2012 Act doesn't apply to us at all"
    assert refused(checker, "scope", "does-not-apply", alone).problems == ["overclaim"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "admits"),
    [
        (
            "scope",
            "applies",
            "Purchase of 300 laptops for schools, £600k, equipment only, no support contract. The Act applies.",
            "goods only",
        ),
        (
            "scope",
            "applies",
            "Buying 12 gritters by open tender, £2.1m: vehicles only, maintenance stays in-house. Applies.",
            "goods only",
        ),
        (
            "scope",
            "does-not-apply",
            "We are establishing a new framework for agency social workers; call-offs follow, so the Act does not "
            "apply.",
            "framework",
        ),
        (
            "outcomes",
            "none-relevant",
            "The contract will employ about 40 porters across the two hospital sites. No relevant outcomes.",
            "employs people",
        ),
        (
            "proportionality",
            "proportionate",
            "The asks are fine: suppliers can decide not to bid if they feel it's too much for them.",
            "need not bid",
        ),
        (
            "proportionality",
            "scaled-back",
            "Cut from 10 KPIs to 2 because of budget pressures and the need to achieve savings this year.",
            "budget",
        ),
    ],
)
def test_facts_that_contradict_the_option_on_the_sixth_set(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, admits: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["contradiction"] and admits in verdict.admits, verdict
    assert "contradiction" not in without_contradictions(kb, step, decision).check(step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "does-not-apply", "we're calling off from the YPO framework for cleaning, a call-off under it"),
        ("scope", "does-not-apply", "a new framework mainly for goods: office furniture and stationery"),
        (
            "outcomes",
            "none-relevant",
            "the provider will employ the same 20 staff, who transfer under TUPE for this short interim extension",
        ),
        (
            "proportionality",
            "scaled-back",
            "budget pressures shrank the contract and the only bidders are two sole traders, so we dropped the "
            "carbon report",
        ),
    ],
)
def test_what_lifts_the_sixth_sets_contradictions(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    assert "contradiction" not in addressed(checker, step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "rule"),
    [
        (
            "outcomes",
            "outcomes-identified",
            "We'll use the outcomes copied from the 2023 grounds maintenance contract: apprentices and local spend.",
            "earlier_grounds",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Outcomes as set out in the social value plan for the libraries contract: volunteering and school visits.",
            "earlier_grounds",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Our priorities are Good Jobs, Healthy Lives and a Greener Borough. This contract will contribute.",
            "pasted_policy",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "This contract will help with tackling climate change and reducing inequalities across the borough.",
            "pasted_policy",
        ),
        (
            "scope",
            "urgency-exception",
            "The provider gave notice as expected under the contract in March, and the re-tender cannot finish in "
            "time.",
            "own_urgency",
        ),
        (
            "proportionality",
            "proportionate",
            "We are confident the asks are proportionate and that the whole approach has been thought through.",
            "unexplained_conclusion",
        ),
    ],
)
def test_tick_boxes_of_the_sixth_set_in_other_words(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, rule: str
) -> None:
    assert rule in refused(checker, step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "applying-by-policy", "small value job, so not covered by the act; our SV policy covers it anyway"),
        ("process", "secure-through-process", "we've split it into lots by district so smaller providers can bid"),
        ("process", "secure-through-process", "lotted by service type so small local contractors can win work"),
        (
            "process",
            "not-pursued",
            "single supplier for the replacement part; it's a purchase order, not a tender",
        ),
        ("process", "not-pursued", "call-off with fixed framework terms and no further competition"),
        ("proportionality", "proportionate", "the asks are about the drivers on this route and their pay"),
        ("proportionality", "proportionate", "both asks are about staff working on this contract, nothing wider"),
        ("proportionality", "scaled-back", "the helpline is national, so we removed the local recruitment ask"),
        ("proportionality", "scaled-back", "two local firms bid; neither can report carbon, so we took that ask out"),
        (
            "scope",
            "urgency-exception",
            "the laundry supplier lost its accreditation after an unannounced inspection and theatres need linen",
        ),
    ],
)
def test_good_reasons_of_the_sixth_set_in_other_words(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "support the local economy, create jobs and reduce emissions for the borough",
        "Outcomes: more jobs for local people, local spend with SMEs and reduced carbon emissions.",
        "target: 10% social value. 4 apprentices. £40k local spend. 150 volunteer hours",
        "It will contribute to the government's missions, covering growth, jobs and inequalities, plus more.",
    ],
)
def test_outcomes_named_only_as_themes_are_refused(checker: ReasonsChecker, kb: KnowledgeBase, reasons: str) -> None:
    verdict = refused(checker, "outcomes", "outcomes-identified", reasons)
    assert "themes_only" in verdict.rules, verdict
    off = kb.checker.model_copy(update={"min_beyond_themes": 0})
    lenient = ReasonsChecker(off, kb.checklist.steps, kb.matching.stopwords, kb.justification)
    assert "themes_only" not in lenient.check("outcomes", "outcomes-identified", reasons).rules


@pytest.mark.parametrize(
    "reasons",
    [
        "5 apprenticeships for ex-offenders through the probation service",
        "buying school meal veg from county farms",
        "jobs for care leavers on the cleaning crews",
    ],
)
def test_outcomes_that_say_for_whom_or_through_what_are_more_than_themes(checker: ReasonsChecker, reasons: str) -> None:
    assert "themes_only" not in addressed(checker, "outcomes", "outcomes-identified", reasons).rules


def test_themes_only_sinks_reasons_that_would_pass_and_leaves_other_refusals_their_own_explanation(
    checker: ReasonsChecker,
) -> None:
    verdict = refused(
        checker, "outcomes", "outcomes-identified", "Good opportunities for residents across the borough."
    )
    assert verdict.problems == ["missing_element"] and "themes_only" not in verdict.rules, verdict


def test_themes_only_judges_outcomes_not_the_reasons_for_none(checker: ReasonsChecker) -> None:
    reasons = "no jobs, no local spend and no carbon here: a licence"
    assert "themes_only" not in addressed(checker, "outcomes", "none-relevant", reasons).rules


def test_the_steps_hints_echoed_back_are_boilerplate(checker: ReasonsChecker) -> None:
    reasons = (
        "We have weighed the contract value and length, how each matter links to the subject of the contract, and "
        "the market and the burden on bidders, especially SMEs and VCSE organisations."
    )
    verdict = refused(checker, "proportionality", "proportionate", reasons)
    assert "boilerplate" in verdict.rules, verdict
    own = "the contract value and length are small, so one ask: the cleaners' pay, which every bidder can price"
    addressed(checker, "proportionality", "proportionate", own)


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "admits"),
    [
        (
            "outcomes",
            "outcomes-identified",
            "We'll ask the provider what they think would work and agree them once the contract has begun, jobs "
            "or training most likely.",
            "still to be identified",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Outcomes such as jobs and local spend will be identified with the winning bidder.",
            "still to be identified",
        ),
        (
            "outcomes",
            "none-relevant",
            "A specialist renal dialysis service: patient safety comes first, rather than social value, so none.",
            "safety or quality",
        ),
    ],
)
def test_outcomes_left_for_later_or_set_against_safety_contradict_the_option(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, admits: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["contradiction"] and admits in verdict.admits, verdict
    assert "contradiction" not in without_contradictions(kb, step, decision).check(step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "rule"),
    [
        (
            "outcomes",
            "outcomes-identified",
            "The depot rebuild in 2024 gave us 6 apprentices and a community garden. Same again here.",
            "earlier_grounds",
        ),
        (
            "proportionality",
            "proportionate",
            "proportionate: we use these same requirements on our other contracts and nobody has ever told us they "
            "were too much",
            "earlier_grounds",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Priority outcomes drawn from our Social Value Framework apply. Bidders will be expected to demonstrate "
            "how they will deliver them.",
            "pasted_policy",
        ),
    ],
)
def test_more_tick_boxes_of_the_seventh_set_in_other_words(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, rule: str
) -> None:
    assert rule in refused(checker, step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("outcomes", "none-relevant", "a one-day asbestos survey of a single building by one surveyor"),
        ("outcomes", "none-relevant", "scaffold hire for six weeks; the main works contract carries the social value"),
        (
            "outcomes",
            "none-relevant",
            "a six-month extension on the same terms; the live contract doesn't let us add anything",
        ),
        (
            "proportionality",
            "proportionate",
            "a labour-only contract, so pay is core to it, and local firms already pay it",
        ),
        ("proportionality", "scaled-back", "recycling reports only on the main lot; the kiosk lot is one person"),
        ("process", "not-pursued", "a subscription on the publisher's fixed terms, nothing to tender"),
    ],
)
def test_good_reasons_of_the_seventh_set_in_other_words(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


def test_working_in_partnership_with_the_council_is_no_outcome(checker: ReasonsChecker) -> None:
    reasons = "the specification requires the provider to work in partnership with the council and other agencies"
    assert "outcome" not in checker.check("process", "secure-through-process", reasons).elements


@pytest.mark.parametrize(
    "reasons",
    ["By policy, below threshold.", "below the threshold so applying local policy", "Goods, so by policy."],
)
def test_by_policy_restates_the_option_and_names_no_policy(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "scope", "applying-by-policy", reasons).missing == ["local-policy"]


@pytest.mark.parametrize(
    "reasons",
    [
        "goods only (library shelving); the council's social value policy covers all purchases over £25k",
        "below threshold at £80k; cabinet resolved in 2024 to apply social value to all contracts over £50k",
        "works, so not the Act; our climate plan asks every capital scheme for local labour",
        "a welsh county council: the SPPP Act's socially responsible procurement duty applies instead",
    ],
)
def test_a_policy_named_or_described_applies_social_value_by_policy(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "scope", "applying-by-policy", reasons)


def test_the_policy_applied_is_essential_to_applying_by_policy(checker: ReasonsChecker) -> None:
    reasons = (
        "Goods only: the supply of salt and grit for the winter, roughly two thousand tonnes, delivered to three "
        "depots, and we would like suppliers to think about packaging and delivery miles anyway."
    )
    assert refused(checker, "scope", "applying-by-policy", reasons).missing == ["local-policy"]


def test_a_service_by_phone_or_online_still_has_users_for_none_relevant(
    checker: ReasonsChecker, kb: KnowledgeBase
) -> None:
    reasons = "Nothing relevant: the benefits advice line is run from the supplier's national call centre."
    verdict = refused(checker, "outcomes", "none-relevant", reasons)
    assert verdict.problems == ["contradiction"] and "by phone or online" in verdict.admits, verdict
    lifted = "Hosting for our planning software in the supplier's cloud, supported by its call centre; no local staff."
    assert "contradiction" not in addressed(checker, "outcomes", "none-relevant", lifted).rules


@pytest.mark.parametrize(
    "reasons",
    ["None: temporary accommodation is a statutory service.", "none - it's a temporary accommodation contract"],
)
def test_what_the_service_is_called_does_not_rule_outcomes_out(checker: ReasonsChecker, reasons: str) -> None:
    assert "rules-out" not in checker.check("outcomes", "none-relevant", reasons).elements


@pytest.mark.parametrize(
    "reasons",
    [
        "Urgent requirement - see emergency decision notice EDN-26-09.",
        "Urgency exception applies - see emergency decision record EDR-27-02 dated 04/01/2027.",
    ],
)
def test_a_references_own_words_are_not_substance_beside_it(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "scope", "urgency-exception", reasons)
    assert "reference" in verdict.rules and verdict.missing == ["urgent-event"], verdict


def test_exempt_alone_names_no_fact_but_an_exempt_arrangement_does(checker: ReasonsChecker) -> None:
    assert refused(checker, "scope", "does-not-apply", "This procurement is exempt.").missing == ["outside-act"]
    reasons = "an exempt public-public arrangement: the neighbouring council runs our out-of-hours cover"
    addressed(checker, "scope", "does-not-apply", reasons)


def test_a_course_online_for_our_own_staff_is_no_service_residents_use(checker: ReasonsChecker) -> None:
    reasons = "a two-day course for 12 finance staff, delivered online by a national provider; nothing in it reaches us"
    assert "contradiction" not in addressed(checker, "outcomes", "none-relevant", reasons).rules


@pytest.mark.parametrize(
    ("decision", "reasons"),
    [
        ("secure-through-process", "bidders have to say how they'll cut van mileage and we mark it"),
        (
            "not-pursued",
            "it's a concession run on the operator's national terms, so there is nothing for us to score",
        ),
        ("not-pursued", "joining another council's contract as a named party, their terms; nothing for us to add"),
    ],
)
def test_the_process_in_plain_words(checker: ReasonsChecker, decision: str, reasons: str) -> None:
    addressed(checker, "process", decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("proportionality", "proportionate", "the asks are about staff"),
        ("scope", "applying-by-policy", "PSR, so applying by policy either way."),
        ("outcomes", "none-relevant", "nothing in it for social value"),
    ],
)
def test_words_near_the_new_cues_that_say_nothing_of_this_contract(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    assert refused(checker, step, decision, reasons).missing, reasons


def test_asks_about_the_people_who_deliver_this_contract_are_linked_to_it(checker: ReasonsChecker) -> None:
    reasons = "both asks are about the drivers and vans that deliver this contract, and cost little to meet"
    addressed(checker, "proportionality", "proportionate", reasons)


def test_part_time_staff_are_not_a_part_only_one_supplier_makes(checker: ReasonsChecker) -> None:
    reasons = "the cleaners are mostly part-time and work across the borough's schools; nothing relevant"
    assert "rules-out" not in checker.check("outcomes", "none-relevant", reasons).elements
    addressed(checker, "outcomes", "none-relevant", "the replacement part only fits the maker's own pumps")


def test_the_law_as_contracting_authorities_must_apply_it_is_restated_law(checker: ReasonsChecker) -> None:
    reasons = "Outcomes follow the policy statement, which asks contracting authorities to create jobs and cut waste."
    assert "restated_law" in refused(checker, "outcomes", "outcomes-identified", reasons).rules


def test_a_fear_of_how_it_could_be_seen_is_a_hedge(checker: ReasonsChecker) -> None:
    reasons = "Not consulting because talking to providers could be seen as favouring those we spoke to."
    assert "hedged" in refused(checker, "consultation", "no-consultation", reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # Northern Ireland: a procurement policy note is the policy that applies social value
        (
            "scope",
            "applying-by-policy",
            "NI department, the 2012 act does not extend here; PPN 01/21 makes us score SV",
        ),
        ("scope", "does-not-apply", "a welsh county borough council, so s.1 is replaced by the SPPP Act duty"),
        (
            "outcomes",
            "none-relevant",
            "replacement sensor for the water plant: only the original maker's sensor fits, a single item",
        ),
        ("outcomes", "outcomes-identified", "day centre transport: more trips out for people in the rural villages"),
        (
            "process",
            "not-pursued",
            "direct award under the framework's fixed award criteria, so we can't add a question",
        ),
        ("process", "not-pursued", "one-off order of parts, bought on price from the maker: no room for a question"),
        (
            "proportionality",
            "proportionate",
            "pay and rotas are the guarding service; every bidder can price them",
        ),
        (
            "proportionality",
            "scaled-back",
            "translation is remote work by national agencies, so we removed the local jobs ask",
        ),
        (
            "proportionality",
            "scaled-back",
            "tiny contract for a parish hall: no SV question, the recycling ask is in the spec only",
        ),
        ("consultation", "consult", "the tenants' panel on repair times first, then a PME notice to contractors"),
        (
            "measurement",
            "no-measurement",
            "no social value terms in this one-off licence renewal, so nothing to monitor",
        ),
        (
            "measurement",
            "no-measurement",
            "the one commitment, paying the living wage, is checked through payroll already",
        ),
        ("decision", "defer", "wait for the operators' replies on electric buses, due at the june transport board"),
    ],
)
def test_reasons_in_words_found_on_the_fifth_development_set(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


def test_asks_taken_out_because_unrelated_do_not_contradict_proportionate(checker: ReasonsChecker) -> None:
    reasons = (
        "Five-year highways contract: apprentices on site and recycled surfacing are about the works we're buying. "
        "We left out the school talks the first draft had, as they are unrelated to highways."
    )
    verdict = addressed(checker, "proportionality", "proportionate", reasons)
    assert "contradiction" not in verdict.rules
    kept = "Five-year highways contract: the school talks are unrelated to highways, but they are a nice extra."
    assert refused(checker, "proportionality", "proportionate", kept).problems == ["contradiction"]


def test_consulting_on_the_permanent_service_later_does_not_contradict_no_consultation(
    checker: ReasonsChecker,
) -> None:
    reasons = (
        "Emergency cover after the day care provider went into administration; no time to consult before the "
        "direct award. We will consult users properly on the permanent service."
    )
    addressed(checker, "consultation", "no-consultation", reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "Social value reported quarterly to the Social Value Board and annually to Cabinet via the dashboard.",
        "they'll send us a report every quarter with their social value numbers in",
        "The provider completes the social value section of the quarterly performance return, reviewed by the "
        "contract manager.",
    ],
)
def test_measuring_names_what_is_measured_not_only_the_machinery(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "measurement", "measure", reasons)
    assert "measured" in verdict.missing and "needs:measured" in verdict.rules, verdict
    only_what = refused(checker, "measurement", "measure", "payroll records checked by the contract manager monthly")
    assert only_what.missing == ["measured"]
    assert only_what.question == checker.option("measurement", "measure").ask["measured"]


@pytest.mark.parametrize(
    "reasons",
    [
        "conditions checked on a monthly site visit by the contract manager",
        "the apprentices' hours are on the payroll extract we get each quarter",
        "the Living Wage accreditation certificate is checked every year",
    ],
)
def test_what_is_measured_in_words(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "measurement", "measure", reasons)


def test_the_machinery_of_a_tender_is_not_substance(checker: ReasonsChecker) -> None:
    reasons = (
        "Social value will form part of the quality evaluation and the winning bidder's offer will be incorporated "
        "into the contract, with remedies for non-delivery. Bidders will be encouraged to describe their offer in "
        "their response, through a combination of arrangements set out in the dashboard."
    )
    verdict = refused(checker, "process", "secure-through-process", reasons)
    assert verdict.missing == ["outcome"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "admits"),
    [
        (
            "scope",
            "does-not-apply",
            "Does not apply: this is a contract for services (cleaning the depots for four years) and we have "
            "chosen not to apply it.",
            "contract for services",
        ),
        (
            "scope",
            "does-not-apply",
            "Under the threshold, so the Act is not engaged: £180,000 plus VAT.",
            "without VAT",
        ),
        (
            "decision",
            "proceed",
            "Proceed, signed off by the head of service on 4 May; the ITT was issued on 20 April.",
            "already started",
        ),
        ("decision", "defer", "Deferred until the spring: the tender was published last week.", "already started"),
        (
            "process",
            "secure-through-process",
            "20% of the marks go to local bidders, and the contract will require subcontractors to be local firms.",
            "equal treatment",
        ),
        (
            "consultation",
            "no-consultation",
            "Residents were consulted on our social value policy in 2024 and those views apply to this contract.",
            "about something else",
        ),
    ],
)
def test_facts_that_contradict_the_option_on_the_fifth_set(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, admits: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["contradiction"] and admits in verdict.admits, verdict
    assert "contradiction" not in without_contradictions(kb, step, decision).check(step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("scope", "does-not-apply", "Below the threshold: £150,000 including VAT over the whole term, a call-off."),
        ("decision", "proceed", "director approved the social value asks on 3 March, before the tender was published"),
        (
            "process",
            "secure-through-process",
            "the in-borough location can't be a scored preference for local firms, so the spec names the estates to "
            "be cleaned, and a scored question asks every bidder for jobs for local care leavers",
        ),
    ],
)
def test_what_lifts_the_fifth_sets_contradictions(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = accepted(checker, step, decision, reasons)
    assert "contradiction" not in verdict.rules


def test_grounds_carried_over_from_an_earlier_procurement_block(checker: ReasonsChecker) -> None:
    reasons = "As with the 2022 grounds maintenance tender, the Act applied: a services contract well over threshold."
    verdict = refused(checker, "scope", "applies", reasons)
    assert verdict.problems == ["earlier_grounds"], verdict
    text = Renderer().render(
        "checklist/problem.txt.j2", code="earlier_grounds", step=None, negative=False, verdict=verdict
    )
    assert "earlier procurement" in text
    again = "The last cleaning contract delivered 12 apprenticeships and we expect similar."
    assert refused(checker, "outcomes", "outcomes-identified", again).problems == ["earlier_grounds"]


def test_the_current_contracts_history_is_not_accepted_on_substance(checker: ReasonsChecker) -> None:
    reasons = (
        "No consultation proposed. The service has been in place since 2016 and the current provider has delivered "
        "it satisfactorily, users expressed satisfaction in the yearly questionnaire, and no significant changes "
        "to the specification are anticipated."
    )
    assert "earlier_procurement" in refused(checker, "consultation", "no-consultation", reasons).rules


def test_an_end_date_the_contract_fixed_is_own_urgency_whatever_notice_is_given(checker: ReasonsChecker) -> None:
    reasons = (
        "Relying on urgency: the provider has given notice it will not extend beyond the contract end date of "
        "31 March, so there is no time for a full procurement."
    )
    assert refused(checker, "scope", "urgency-exception", reasons).problems == ["own_urgency"]
    collapse = "The provider went into administration without warning on 2 March and gave notice the same day."
    addressed(checker, "scope", "urgency-exception", collapse)


def test_the_steps_own_question_echoed_back_is_boilerplate(checker: ReasonsChecker) -> None:
    reasons = (
        "Yes, we will consult the market, the VCSE sector and service users on these matters before the procurement "
        "starts."
    )
    verdict = refused(checker, "consultation", "consult", reasons)
    assert verdict.problems == ["boilerplate"], verdict
    addressed(checker, "consultation", "consult", "we will ask the carers' forum at its March meeting about respite")


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "rule"),
    [
        (
            "proportionality",
            "proportionate",
            "Per our Social Value Policy (2024), paragraph 2.1: 'The Council will ensure that asks place no undue "
            "burden on bidders.'",
            "pasted_policy",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Delivered in line with Welsh Government policy, supporting the national performance framework.",
            "pasted_policy",
        ),
        (
            "scope",
            "does-not-apply",
            "The Act only applies to public services contracts above the thresholds; goods contracts are excluded.",
            "restated_law",
        ),
        (
            "proportionality",
            "proportionate",
            "Relevance, proportionality, low burden, value for money, outcomes-focused.",
            "buzzwords",
        ),
    ],
)
def test_quoted_policy_restated_law_and_stock_phrases_on_the_fifth_set(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, rule: str
) -> None:
    assert rule in refused(checker, step, decision, reasons).rules


def test_a_negation_in_a_short_list_is_not_a_stock_phrase(checker: ReasonsChecker) -> None:
    addressed(checker, "measurement", "no-measurement", "insurance renewal, no SV commitments, nothing to monitor")


def test_a_list_of_decorations_with_a_generic_word_is_decoration(checker: ReasonsChecker) -> None:
    reasons = "The Act applies. Wigan Borough, £2.4m, 2027-2030, services. Officers are satisfied the duty is engaged."
    verdict = refused(checker, "scope", "applies", reasons)
    assert verdict.elements == [] and verdict.missing == ["services", "value"], verdict
    addressed(checker, "scope", "applies", "home care, £2.4m, 2027-2030, well over the light touch threshold")


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        # an earlier contract's results used as evidence for what this one asks
        (
            "outcomes",
            "outcomes-identified",
            "the last contract delivered 8 apprenticeships, so this time we're asking for 10 for care leavers",
        ),
        # a provider's collapse is unforeseeable whatever the contract's original end date
        (
            "scope",
            "urgency-exception",
            "The provider went bust on 3 June; the original contract end date was next year, so this was not "
            "foreseeable.",
        ),
        (
            "process",
            "secure-through-process",
            "scored question on jobs for local residents, open to all bidders wherever they're based; no marks for "
            "being local",
        ),
        (
            "decision",
            "proceed",
            "Approved by the director on 2 March; the tender was published on 10 March, after the decision.",
        ),
        (
            "consultation",
            "consult",
            "we will consult the market and the vcse sector on these matters before the procurement starts, at a "
            "webinar",
        ),
        ("measurement", "measure", "KPI report each quarter, checked against payroll by the contract manager"),
        ("consultation", "consult", "yes - we'll consult the VCSE sector and service users at the carers forum in may"),
    ],
)
def test_good_reasons_near_the_fifth_sets_new_rules_are_accepted(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = accepted(checker, step, decision, reasons)
    assert not {"earlier_grounds", "own_urgency", "contradiction"} & set(verdict.rules), verdict


# Consultation, measurement and decision on the sixth development set (issue 11) ---------


@pytest.mark.parametrize(
    "reasons",
    [
        "It's a single spare part from the only company that makes it, so there is nobody to ask.",
        "one-off purchase of grit bins, a single delivery from three quotes",
        "only one firm makes compatible cartridges for our printers",
    ],
)
def test_a_single_source_or_a_one_off_purchase_leaves_nothing_to_consult_on(
    checker: ReasonsChecker, reasons: str
) -> None:
    addressed(checker, "consultation", "no-consultation", reasons)


@pytest.mark.parametrize(
    "reasons",
    ["Consultation is not appropriate for this contract.", "There is no one to consult.", "Nothing to consult on."],
)
def test_a_bare_judgement_that_consulting_is_not_appropriate_is_refused(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "consultation", "no-consultation", reasons).missing == ["why-not"]


@pytest.mark.parametrize(
    "reasons",
    [
        "procede with social value as above. agreed by the youth service manager, nothing advertised yet",
        "proceed - assistant director approved it, no notice issued yet",
        "go ahead with sv built in, signed off by the head of housing on 3/12",
    ],
)
def test_the_procurement_not_started_yet_in_words(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "decision", "proceed", reasons)


def test_a_citation_in_brackets_beside_the_decision_is_not_a_reference(checker: ReasonsChecker) -> None:
    reasons = (
        "Proceed. Decision by the Cabinet Member for Adults on 19/11/2026 (ref DN-2026-118), before the tender "
        "notice planned for 12/01/2027."
    )
    addressed(checker, "decision", "proceed", reasons)
    bare = refused(checker, "decision", "proceed", "Proceed: see decision notice DN-2027-031.")
    assert bare.problems == ["reference"]


@pytest.mark.parametrize(
    "reasons",
    [
        "defer til the food waste baseline's in at the end of the month",
        "defer till the footfall count's in at the end of january",
        "defer until the wellbeing objectives refresh is agreed by cabinet next month",
    ],
)
def test_what_a_deferral_awaits_in_words(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "decision", "defer", reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "we're going to defer this one for now, the new director will want to take a view at some point, so we'll "
        "come back to it when the time is right",
        "defer until things settle down and the new director gives a view, in the new year",
    ],
)
def test_waiting_on_nothing_in_particular_is_a_hedge(checker: ReasonsChecker, reasons: str) -> None:
    verdict = refused(checker, "decision", "defer", reasons)
    assert verdict.problems == ["hedged"], verdict


def test_this_one_counts_nothing_beside_a_hedge(checker: ReasonsChecker) -> None:
    # "this one" points at the contract; "one apprentice" counts a commitment that a hedge cannot undo.
    hedged = refused(checker, "decision", "defer", "defer this one for now, maybe in the new year")
    assert "hedged" in hedged.rules, hedged
    assert checker._set_aside_as("maybe one apprentice a year", [], "outcomes") is None


@pytest.mark.parametrize(
    "reasons",
    [
        "call-off; the framework owner tracks the supplier's commitments",
        "it's a call-off and the framework manager monitors the suppliers' commitments, so we don't duplicate it",
    ],
)
def test_someone_elses_check_leaves_nothing_to_measure(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "measurement", "no-measurement", reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "ask the school councils what they want from the bus routes",
        "we'll run it past the town councils at their joint meeting in march",
    ],
)
def test_councils_of_the_people_consulted_are_who_is_consulted(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "consultation", "consult", reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "The successful supplier will be required to report against their social value commitments on a quarterly "
        "basis, reviewed at quarterly contract management meetings.",
        "Supplier to submit quarterly returns against its commitments, reviewed at the contract management meeting.",
    ],
)
def test_commitments_reported_against_are_not_what_is_measured(checker: ReasonsChecker, reasons: str) -> None:
    assert "measured" in refused(checker, "measurement", "measure", reasons).missing


@pytest.mark.parametrize(
    "reasons",
    [
        "the contract manager checks the commitments on a site visit every month",
        "every commitment is checked at the six-monthly review using timesheets and invoices",
    ],
)
def test_commitments_checked_are_what_is_measured(checker: ReasonsChecker, reasons: str) -> None:
    addressed(checker, "measurement", "measure", reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "admits"),
    [
        (
            "decision",
            "proceed",
            "Proceed with social value built in. The tender notice was published on 3 October and bids closed last "
            "week; the head of service signed this off today.",
            "already started",
        ),
        (
            "decision",
            "proceed",
            "Proceed. Bids were received on 2 November and evaluation is under way; signed off by the head of service.",
            "already started",
        ),
        ("decision", "defer", "Deferred until the spring: tenders closed last week.", "already started"),
        (
            "consultation",
            "consult",
            "We will consult: the specification was finalised last week, the tender goes out on Monday, and the "
            "successful bidder will be asked for feedback at the first contract review.",
            "contract is let",
        ),
        (
            "consultation",
            "consult",
            "consult - we will ask service users once the contract has started",
            "contract is let",
        ),
        (
            "consultation",
            "no-consultation",
            "we don't think consultation is needed as we already have a good idea of what's needed and the market "
            "hasn't changed much since we last looked",
            "own view",
        ),
        (
            "measurement",
            "no-measurement",
            "as discussed with the contract manager we're not going to measure social value on this one, she has got "
            "23 contracts on her books already and there's no system to put the data in",
            "workload",
        ),
        (
            "measurement",
            "no-measurement",
            "we won't measure it: the provider has always been reliable and we've worked with them for years, so "
            "we'd know if something was going wrong",
            "trust in the provider",
        ),
        (
            "decision",
            "proceed",
            "proceed - signed off by AD 05/01/2027 after the ITT went out on 12/12/2026",
            "already",
        ),
        (
            "decision",
            "proceed",
            "Proceed. Approved by the Director of Place on 11 December. The procurement was launched on 1 December so "
            "we will add social value as a clarification.",
            "already started",
        ),
        (
            "consultation",
            "no-consultation",
            "No consultation, as the incumbent provider has run the service for eleven years and knows exactly what "
            "residents need.",
            "own view",
        ),
        (
            "consultation",
            "no-consultation",
            "The team has consulted extensively on similar contracts over the years, so there is no need to consult "
            "again for this one.",
            "something else",
        ),
        (
            "consultation",
            "no-consultation",
            "We didn't consult because the service users are vulnerable adults and we didn't want to raise "
            "expectations or cause any distress by asking them about a contract that might not change much.",
            "worry about asking",
        ),
    ],
)
def test_facts_that_contradict_consulting_measuring_and_deciding(
    checker: ReasonsChecker, kb: KnowledgeBase, step: str, decision: str, reasons: str, admits: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == ["contradiction"] and admits in verdict.admits, verdict
    assert "contradiction" not in without_contradictions(kb, step, decision).check(step, decision, reasons).rules


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "decision",
            "proceed",
            "The Executive Director approved the community benefit clauses before the contract notice was published.",
        ),
        (
            "decision",
            "proceed",
            "Proceed. Agreed by the procurement board this morning; nothing has gone to market yet.",
        ),
        (
            "consultation",
            "consult",
            "meet the provider forum next month, before the tender, and ask the successful provider again at the "
            "first review",
        ),
        (
            "consultation",
            "no-consultation",
            "we know the market: only one firm holds the licence for the system, so there is nobody to consult",
        ),
        (
            "consultation",
            "no-consultation",
            "We know this market well, but the actuarial fees are set by the pension regulations, so consulting "
            "could not change what we buy.",
        ),
        (
            "consultation",
            "no-consultation",
            "Asking the residents directly could cause distress, so their advocates and families fed in through the "
            "care home forum in October instead.",
        ),
    ],
)
def test_what_lifts_the_contradictions_of_consulting_and_deciding(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    verdict = accepted(checker, step, decision, reasons)
    assert "contradiction" not in verdict.rules


def test_the_market_in_general_is_not_whom_you_consult(checker: ReasonsChecker) -> None:
    verdict = refused(
        checker, "consultation", "consult", "soft market testing - 3 responses expected, 1 event, 2 weeks"
    )
    assert verdict.missing == ["who"], verdict
    addressed(checker, "consultation", "consult", "soft market testing with the four local care providers at a webinar")


def test_what_they_are_consulted_on_says_how(checker: ReasonsChecker) -> None:
    addressed(
        checker,
        "consultation",
        "consult",
        "tenants' panel on the gardens lot, and the two social enterprises on lot size",
    )


def test_a_vulnerable_group_alone_does_not_rule_out_consulting(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "consultation", "no-consultation", "No consultation: the users are vulnerable children.")
    assert verdict.missing == ["why-not"], verdict


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("consultation", "no-consultation", "one accredited valuer, two days' work - nothing to consult on"),
        ("decision", "proceed", "Proceed - COO, 2 Dec 26, care leaver placements in; ITT Feb"),
        ("decision", "proceed-without", "valuer PO, 2-day job, nothing to attach SV to; Head of Culture, 2 Dec"),
        ("decision", "defer", "defer till the schools tell us welsh-speaking staff numbers, end Jan"),
        ("decision", "defer", "defer till the reuse charity confirms volumes, before xmas"),
        ("measurement", "measure", "appointments by clinic location from the existing activity report, quarterly"),
    ],
)
def test_short_reasons_in_words_found_on_the_seventh_set(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    addressed(checker, step, decision, reasons)


def test_factors_named_in_the_abstract_are_a_conclusion_without_grounds(checker: ReasonsChecker) -> None:
    reasons = (
        "The Council has considered whether to consult on the matters set out in this checklist. Given the nature of "
        "the requirement, the level of existing knowledge of the market and of service users' needs, the relatively "
        "short timescale available and the resource implications of a formal consultation exercise, it has been "
        "decided that consultation is not necessary or proportionate in this case."
    )
    verdict = refused(checker, "consultation", "no-consultation", reasons)
    assert verdict.problems == ["concluded_at_length"], verdict


def test_a_platform_that_prices_outcomes_is_a_name_not_a_measure(checker: ReasonsChecker) -> None:
    reasons = (
        "Social value will be measured using an online social value platform. The supplier will upload evidence "
        "each quarter; the platform will calculate the financial value of outcomes delivered using recognised proxy "
        "values, and the contract manager will receive an automated dashboard."
    )
    verdict = refused(checker, "measurement", "measure", reasons)
    assert "framework_names" in verdict.rules and verdict.missing == ["measured"], verdict


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "decision",
            "defer",
            "Deferred: the board agreed that more work was needed before a final decision could be made, and "
            "officers will report back to a future meeting.",
        ),
        (
            "consultation",
            "consult",
            "We will engage with the market, partners and communities through surveys, focus groups and one-to-one "
            "meetings as appropriate.",
        ),
        (
            "decision",
            "proceed",
            "Proceeding with social value built in: the project sponsor is happy with the approach and the board has "
            "been kept informed, and the tender will go out as soon as the documents are ready.",
        ),
    ],
)
def test_stock_phrases_of_waiting_and_approval_are_hedges(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    assert refused(checker, step, decision, reasons).problems == ["hedged"]


# Consultation, measurement and decision: wordings written apart from the sets (issue 11) -----


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("consultation", "consult", "Carers will be asked at the carers' centre coffee morning what respite they use."),
        ("consultation", "consult", "- who: the 6 nurseries in the pilot  - how: a visit to each in term 2"),
        (
            "consultation",
            "consult",
            "We'll hold a market sounding with the four specialist fostering agencies via Teams in January.",
        ),
        (
            "consultation",
            "no-consultation",
            "Direct award to the existing provider under the PSR: there is no alternative provider and patients stay "
            "with their current service.",
        ),
        (
            "consultation",
            "no-consultation",
            "extension of the current contract by six months while the new service is designed with users",
        ),
        ("consultation", "no-consultation", "it's a fee set by the court, nothing to consult on"),
        (
            "consultation",
            "no-consultation",
            "annual renewal of the insurance policy: the terms are set by the insurer market and there are no users",
        ),
        (
            "consultation",
            "no-consultation",
            "regional contract let by BSO for the department; the department's consultation covers it and we cannot "
            "alter the spec",
        ),
        ("measurement", "measure", "carbon: fuel cards give us the diesel litres per month per vehicle"),
        ("measurement", "no-measurement", "Dim mesur: dim ymrwymiadau gwerth cymdeithasol yn y contract untro hwn."),
        (
            "measurement",
            "no-measurement",
            "Only the living wage condition was set, and our payroll compliance check covers it every year.",
        ),
        ("decision", "proceed", "The Board approved the approach at its meeting; the ITT has not been issued."),
    ],
)
def test_hard_genuine_reasons_in_plain_words(checker: ReasonsChecker, step: str, decision: str, reasons: str) -> None:
    addressed(checker, step, decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("consultation", "consult", "We will consult the market."),
        ("consultation", "consult", "The market will be asked via the usual portal."),
        ("consultation", "no-consultation", "Consultation is not a statutory requirement for this contract."),
        ("consultation", "no-consultation", "Direct award, so no consultation."),
        ("consultation", "no-consultation", "not consulting: interim arrangement"),
        ("consultation", "no-consultation", "No consultation, as set by the council's rules."),
        ("measurement", "no-measurement", "No measurement, the framework covers it."),
        ("measurement", "no-measurement", "No measurement as monitoring would cost more than it is worth."),
        ("decision", "proceed", "Decision: Proceed. Decision maker: Director. Date: before the procurement starts."),
    ],
)
def test_tick_boxes_near_the_new_cues_are_refused(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    refused(checker, step, decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        (
            "decision",
            "proceed",
            "We're proceeding - the ITT was published yesterday and the director approved it this morning.",
        ),
        ("decision", "defer", "Defer: the tender has been published, so we will look at it at award."),
        ("consultation", "no-consultation", "The provider market was consulted on a previous occasion."),
    ],
)
def test_a_started_or_earlier_procurement_contradicts_the_option(
    checker: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    assert refused(checker, step, decision, reasons).problems == ["contradiction"]


def test_a_procurement_still_to_be_advertised_has_not_started(checker: ReasonsChecker) -> None:
    reasons = (
        "The Assistant Director for Commissioning has approved the recommendation to proceed with social value built "
        "in. The procurement will be advertised on the Find a Tender service next spring."
    )
    assert "contradiction" not in accepted(checker, "decision", "proceed", reasons).rules


@pytest.mark.parametrize(
    "reasons",
    [
        "Deferred to a future meeting of the Procurement Board (ref PB-2026-12).",
        "Deferred: the board met on 4 December and agreed more work was needed before a final decision could be made.",
    ],
)
def test_a_date_or_a_reference_beside_a_hedge_commits_to_nothing(checker: ReasonsChecker, reasons: str) -> None:
    assert refused(checker, "decision", "defer", reasons).problems == ["hedged"]
    assert checker._set_aside_as("maybe 2 apprentices a year from 2027", [], "outcomes") is None


def test_not_having_consulted_is_no_earlier_consultation(checker: ReasonsChecker) -> None:
    verdict = refused(checker, "consultation", "no-consultation", "We haven't consulted as nobody would be interested.")
    assert verdict.missing == ["why-not"], verdict
    addressed(
        checker,
        "consultation",
        "no-consultation",
        "The service is being brought in-house; there is no external market, and staff have been consulted through "
        "the union.",
    )


def test_a_meeting_alone_is_not_what_a_deferral_awaits(checker: ReasonsChecker) -> None:
    assert refused(checker, "decision", "defer", "Deferred to next meeting.").missing == ["awaited"]
    addressed(checker, "decision", "defer", "Defer until the budget is set at the cabinet meeting on 20 February.")


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "problem"),
    [
        (
            "measurement",
            "no-measurement",
            "honestly we're not going to bother measuring this one, the supplier is a decent outfit, they've said "
            "they'll do apprenticeships and stuff, and chasing paperwork every quarter just creates work for everybody",
            "contradiction",
        ),
        (
            "consultation",
            "no-consultation",
            "The Council has a well-established relationship with the provider market and receives regular informal "
            "feedback through day-to-day contract management, which provides sufficient insight into market capacity.",
            "contradiction",
        ),
        (
            "decision",
            "defer",
            "we're putting this on ice for a bit because there are a few moving parts at the moment, including the "
            "restructure and the budget round, and it makes sense to wait and see where everything lands",
            "hedged",
        ),
    ],
)
def test_long_informal_tick_boxes_are_not_accepted_on_their_substance(
    checker: ReasonsChecker, step: str, decision: str, reasons: str, problem: str
) -> None:
    verdict = refused(checker, step, decision, reasons)
    assert verdict.problems == [problem], verdict


def test_who_decided_and_when_are_never_taken_on_substance(checker: ReasonsChecker, kb: KnowledgeBase) -> None:
    reasons = (
        "the director is comfortable with the approach and has given the nod, so we're cracking on and will get the "
        "documents finalised and out to the market straight after the holidays"
    )
    verdict = refused(checker, "decision", "proceed", reasons)
    assert verdict.missing == ["timing"], verdict
    assert checker.check("decision", "proceed", reasons, record=["before-start"]).accepted


def test_nothing_asked_for_lifts_the_workload_contradiction(checker: ReasonsChecker) -> None:
    reasons = (
        "We asked for nothing beyond the actuarial advice itself, and chasing paperwork for commitments that do not "
        "exist just creates work for the pension fund team."
    )
    assert "contradiction" not in accepted(checker, "measurement", "no-measurement", reasons).rules


# The rules alone: a constraint that leaves nothing to do, a lever that names its outcome ----------


@pytest.fixture(scope="module")
def rules(kb: KnowledgeBase) -> ReasonsChecker:
    """The rules without the trained model's say, so each test fails when its rule is broken."""
    config = kb.checker.model_copy(
        update=dict.fromkeys(("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue"), 0)
    )
    return ReasonsChecker(config, kb.checklist.steps, kb.matching.stopwords, kb.justification, kb.checker_model)


@pytest.mark.parametrize(
    "reasons",
    [
        "call-off from the national roofing framework; its award criteria are fixed at framework level",
        "the tribunal appoints the assessor, so nothing in the process is ours to set",
        "bought at the regulator's fixed tariff, there's no spec or criterion we can set",
        "an independent inquiry chair: any contract asks would compromise the inquiry's independence",
        "a one-day skip hire bought on three quotes",
        "the PSR direct award to the existing provider keeps the current terms for a year",
    ],
)
def test_a_constraint_that_leaves_nothing_to_set_makes_instead_moot(rules: ReasonsChecker, reasons: str) -> None:
    verdict = accepted(rules, "process", "not-pursued", reasons)
    assert "moot:instead" in verdict.rules and verdict.elements == ["constraint", "instead"], verdict


@pytest.mark.parametrize(
    "reasons",
    ["The framework fixes the criteria.", "Framework fixes it.", "Out of our hands.", "not pursued, nothing we set"],
)
def test_a_constraint_named_but_not_described_makes_nothing_moot(rules: ReasonsChecker, reasons: str) -> None:
    verdict = refused(rules, "process", "not-pursued", reasons)
    assert "instead" in verdict.missing and "moot:instead" not in verdict.rules, verdict


@pytest.mark.parametrize(
    "reasons",
    [
        "Braille and easy-read letters as a contract condition",
        "a KPI on repeat call-outs to the same household",
        "scored question on keeping the village library van running",
        "step-free routes as a spec requirement",
    ],
)
def test_a_lever_that_names_what_it_secures_needs_no_outcome_word(rules: ReasonsChecker, reasons: str) -> None:
    verdict = accepted(rules, "process", "secure-through-process", reasons)
    assert verdict.rules == ["named:outcome"], verdict


@pytest.mark.parametrize(
    "reasons",
    [
        "Social value as a contract requirement.",
        "social value commitments priced into the contract",
        "the usual asks as a spec requirement",
        "Scored question on the usual themes.",
        "We will put social value into the contract terms.",
        "whatever bidders offer as a contract condition",
        "their ideas as a contract condition",
    ],
)
def test_a_lever_that_names_nothing_still_needs_its_outcome(rules: ReasonsChecker, reasons: str) -> None:
    verdict = refused(rules, "process", "secure-through-process", reasons)
    assert verdict.missing == ["outcome"], verdict


@pytest.mark.parametrize(
    ("step", "decision", "element", "reasons"),
    [
        # who a contract reaches and where: a stop on a route, advice where people are, a habitat
        ("outcomes", "outcomes-identified", "outcome", "a bus stop added on the route past the sheltered housing"),
        ("outcomes", "outcomes-identified", "outcome", "benefits advice sessions held at the foodbank on Fridays"),
        ("outcomes", "outcomes-identified", "outcome", "wildflower margins and bat boxes along the cemetery paths"),
        ("outcomes", "outcomes-identified", "outcome", "interpreters recruited from the refugee community it serves"),
        # whom: a friends group, governors, committees, operators; how: a call, a month
        ("consultation", "consult", "who", "a call with the two taxi operators and the friends of the park in March"),
        ("consultation", "consult", "who", "ring round the village hall committees before christmas"),
        ("consultation", "consult", "how", "the school governors at their november meeting"),
        # why not consult: an emergency, a tiny hire, independence, this service's own survey
        ("consultation", "no-consultation", "why-not", "interim cover after the provider went into liquidation"),
        ("consultation", "no-consultation", "why-not", "a two-week scaffold hire, one supplier quote"),
        ("consultation", "no-consultation", "why-not", "the survey of this service's users last term tells us"),
        # what a record counts: a rate per round, sign-ins, enrolments
        ("measurement", "measure", "measured", "missed bins per round from the crew app, checked monthly"),
        ("measurement", "measure", "measured", "the club's sign-in sheets looked at each term"),
        # why scaled: a qualification that takes years, no chargers yet, few makers
        (
            "proportionality",
            "scaled-back",
            "why-scaled",
            "cut the apprentice ask: the electrical licence takes years to get",
        ),
        (
            "proportionality",
            "scaled-back",
            "why-scaled",
            "dropped the EV requirement, no charging points at the depot until the rebuild",
        ),
        ("proportionality", "scaled-back", "why-scaled", "local spend target dropped: only a few manufacturers"),
        (
            "proportionality",
            "proportionate",
            "grounds",
            "the travel-training ask costs the operator very little and is about pupils they already carry",
        ),
        # what rules outcomes out: a maker's own warranty work, an independent review
        ("outcomes", "none-relevant", "rules-out", "the boiler maker's own engineer does the warranty servicing"),
        ("outcomes", "none-relevant", "rules-out", "statutory independence of the review rules out extras"),
        # what a deferral awaits: someone else's decision
        ("decision", "defer", "awaited", "holding until the cabinet decides the depot site in February"),
        ("decision", "defer", "awaited", "wait until the board sets the budget envelope at its March meeting"),
        ("decision", "proceed", "decision-maker", "Permanent Secretary signed it off on 3 March, before the notice"),
        # outside the Act: an exempt arrangement between councils, vehicles with a little servicing
        (
            "scope",
            "does-not-apply",
            "outside-act",
            "an exempted horizontal arrangement with the next-door council, no contract for the Act to attach to",
        ),
        ("scope", "does-not-apply", "outside-act", "buying four minibuses; servicing is a small part of the value"),
        (
            "scope",
            "applying-by-policy",
            "local-policy",
            "a £20k grounds contract, far below the threshold; we are applying social value anyway",
        ),
        # a payment fixed by law; a variation that keeps the terms agreed; an ask cut from part of it
        ("outcomes", "none-relevant", "rules-out", "paying the statutory coroner's fees, set by regulation"),
        ("outcomes", "none-relevant", "rules-out", "buying back unused annual leave from staff - not a supply at all"),
        ("process", "not-pursued", "constraint", "the deed of variation only extends the end date"),
        ("proportionality", "scaled-back", "dropped", "no local labour target - the work is two specialist engineers"),
        ("proportionality", "proportionate", "grounds", "wages are most of the contract cost, so the living wage ask"),
        ("process", "not-pursued", "constraint", "bought through the supply chain catalogue at list prices"),
        ("process", "not-pursued", "instead", "two-week cover after the provider collapsed, then the full tender"),
        (
            "scope",
            "applying-by-policy",
            "local-policy",
            "below threshold at £80k; our constitution's contract rules ask for social value on everything over £50k",
        ),
        # a sum under £100,000 is below every services threshold; no social value requirements set
        ("scope", "does-not-apply", "outside-act", "a £60,000 grounds maintenance contract"),
        ("scope", "applying-by-policy", "outside-act", "£38k litter contract; the town council's own policy"),
        (
            "measurement",
            "no-measurement",
            "why-none",
            "emergency cover with no SV requirements; the re-let will have KPIs",
        ),
        # the bidders already hold what is asked; parts from one maker abroad; companies asked by email
        (
            "proportionality",
            "proportionate",
            "grounds",
            "asking for a named apprentice is reasonable; every likely bidder has one already",
        ),
        ("proportionality", "scaled-back", "why-scaled", "removed the local spend KPI - the parts come from one maker"),
        ("consultation", "consult", "who", "we'll email the four bus companies a draft lot structure in January"),
        ("measurement", "measure", "measured", "CBR delivery checked at each quarterly contract review"),
    ],
)
def test_plain_words_for_an_element_are_recognised(
    rules: ReasonsChecker, step: str, decision: str, element: str, reasons: str
) -> None:
    verdict = rules.check(step, decision, reasons)
    assert element in verdict.elements and not any(r.startswith("unrecognised:") for r in verdict.rules), verdict


@pytest.mark.parametrize("reasons", ["the lease terms cant be varied, so it waits for the next letting"])
def test_a_contraction_typed_without_its_apostrophe_is_read(rules: ReasonsChecker, reasons: str) -> None:
    verdict = accepted(rules, "process", "not-pursued", reasons)
    assert verdict.elements == ["constraint", "instead"] and verdict.rules == [], verdict


@pytest.mark.parametrize(
    ("step", "decision", "reasons", "rule"),
    [
        # a view for someone else to settle, an intention that waits on conditions
        (
            "scope",
            "applies",
            "I would say it is services over the threshold, so it applies.",
            "hedged",
        ),
        ("consultation", "consult", "We may run a session for local providers if time allows.", "hedged"),
        ("decision", "defer", "waiting on a few things, will pick up in the new year", "hedged"),
        # advice given when an earlier contract was let, relied on again
        (
            "scope",
            "applies",
            "When the cleaning contract was last let, legal said it was services above the threshold and we have "
            "relied on that advice again.",
            "earlier_grounds",
        ),
        # the exceptions listed in general
        (
            "scope",
            "does-not-apply",
            "The Act does not apply to goods or works contracts or to call-offs under a framework.",
            "restated_law",
        ),
        # a national agenda, or the authority's list of priority outcomes
        (
            "outcomes",
            "outcomes-identified",
            "This contract supports the levelling up agenda and the Good Work Plan.",
            "pasted_policy",
        ),
        (
            "outcomes",
            "outcomes-identified",
            "Our social value policy identifies four priority outcomes for jobs, skills, local firms and carbon, and "
            "this contract will contribute to all four.",
            "pasted_policy",
        ),
        # the authority's own timetable
        (
            "consultation",
            "no-consultation",
            "There is insufficient time before the go-live date to consult anyone.",
            "own_urgency",
        ),
        # words that undercut the option
        (
            "outcomes",
            "outcomes-identified",
            "local jobs and apprenticeships, with the supplier to confirm which in their bid",
            "contradiction",
        ),
        ("scope", "applies", "Services contract above the threshold, like all our contracts.", "contradiction"),
        (
            "outcomes",
            "outcomes-identified",
            "We expect the successful provider to support local charities and community groups.",
            "contradiction",
        ),
        ("outcomes", "outcomes-identified", "Supporting local SMEs and VCSEs wherever we can.", "hedged"),
        (
            "outcomes",
            "none-relevant",
            "a stationery order for the offices; we'd rather keep it simple this year",
            "contradiction",
        ),
        (
            "measurement",
            "no-measurement",
            "no monitoring - chasing returns takes ages and in the end they do what they said",
            "contradiction",
        ),
        (
            "decision",
            "proceed",
            "Proceed with no social value requirements; approved by the Head of Finance on 2 Feb, before the notice.",
            "contradiction",
        ),
        (
            "consultation",
            "consult",
            "Residents and businesses were consulted through workshops and a survey on the council plan last year.",
            "contradiction",
        ),
        (
            "decision",
            "proceed",
            "Approved by the director on 5 May; the ITT had already gone out in April.",
            "contradiction",
        ),
    ],
)
def test_tick_boxes_in_plain_words_are_refused(
    rules: ReasonsChecker, step: str, decision: str, reasons: str, rule: str
) -> None:
    verdict = refused(rules, step, decision, reasons)
    assert rule in verdict.rules, verdict


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("decision", "proceed", "Approved by the director on 5 May, before the ITT goes out in June, jobs scored."),
        (
            "consultation",
            "consult",
            "We'll meet the three day-care providers in March about the transport lot, building on the council plan "
            "survey.",
        ),
        ("scope", "applies", "home care for 40 people, £2m over four years, so services well over the threshold"),
    ],
)
def test_the_same_words_beside_a_fact_of_this_procurement_pass(
    rules: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    accepted(rules, step, decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("outcomes", "none-relevant", "None: it is an extension."),
        ("outcomes", "none-relevant", "n/a - licence"),
        ("measurement", "no-measurement", "none: one-off"),
    ],
)
def test_a_bare_dismissal_beside_one_category_word_is_refused(
    rules: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    assert refused(rules, step, decision, reasons).problems == ["dismissal"]


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("outcomes", "none-relevant", "None: a 3-month extension on the same terms while the new service is designed."),
        ("measurement", "no-measurement", "none - a one-off delivery of salt, checked on the delivery note"),
        ("process", "not-pursued", "n/a - a call-off where the framework fixed the award criteria at price only"),
    ],
)
def test_a_dismissal_beside_the_fact_that_decides_it_passes(
    rules: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    accepted(rules, step, decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("outcomes", "outcomes-identified", "the contract goes to Greenway Jobs Ltd"),
        ("outcomes", "outcomes-identified", "We'll use Local Carbon Partners CIC."),
        ("measurement", "measure", "Quarterly reports from Apprentice Counts Ltd."),
        ("outcomes", "outcomes-identified", "the grounds contract goes to Friends of Hollin Trees"),
    ],
)
def test_a_cue_word_inside_an_organisation_s_name_counts_for_nothing(
    rules: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    refused(rules, step, decision, reasons)


@pytest.mark.parametrize(
    ("step", "decision", "reasons"),
    [
        ("consultation", "consult", "talking to the Friends of Beckfield Cemetery at their March meeting"),
        (
            "outcomes",
            "outcomes-identified",
            "two apprenticeships a year at Hargreaves Roofing Ltd's depot for care leavers",
        ),
    ],
)
def test_an_organisation_named_beside_what_it_does_still_counts(
    rules: ReasonsChecker, step: str, decision: str, reasons: str
) -> None:
    accepted(rules, step, decision, reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "spend with Wrexham SMEs on the fit-out",
        "jobs on the bins for local people, HGV training included",
        "catering spend kept with Fife growers",
    ],
)
def test_a_place_named_beside_a_theme_says_where(rules: ReasonsChecker, reasons: str) -> None:
    accepted(rules, "outcomes", "outcomes-identified", reasons)


@pytest.mark.parametrize(
    "reasons",
    ["Jobs and local spend in Rochdale.", "Local jobs and local spend for Rochdale and Oldham.", "More jobs for Bury."],
)
def test_places_named_beside_themes_alone_are_still_themes(rules: ReasonsChecker, reasons: str) -> None:
    assert refused(rules, "outcomes", "outcomes-identified", reasons).problems == ["themes_only"]


@pytest.mark.parametrize(
    "reasons",
    [
        "Better access to services for all residents.",
        "Patients will benefit from a better service.",
        "Debt advice and financial wellbeing for residents.",
        "Supporting patients, carers and families across the area.",
        "Habitat improvements and biodiversity net gain in line with policy.",
        "Opportunities for young people and the long-term unemployed.",
        "Tackling poverty, improving health and protecting the environment.",
    ],
)
def test_whom_outcomes_are_for_named_in_general_is_a_theme(rules: ReasonsChecker, reasons: str) -> None:
    assert refused(rules, "outcomes", "outcomes-identified", reasons).problems == ["themes_only"]


@pytest.mark.parametrize(
    "reasons", ["£250k cleaning contract.", "£150,000 advocacy contract", "£1.2m services contract"]
)
def test_a_sum_over_100k_takes_nothing_outside_the_act(rules: ReasonsChecker, reasons: str) -> None:
    assert "outside-act" in refused(rules, "scope", "does-not-apply", reasons).missing


@pytest.mark.parametrize(
    "reasons",
    [
        "Not relevant, it's £40k.",
        "Not relevant - it's £40k.",
        "Doesn't apply, £40k contract.",
        "Not applicable here, £9,500.",
    ],
)
def test_a_dismissal_beside_a_small_sum_is_still_a_dismissal(rules: ReasonsChecker, reasons: str) -> None:
    # The sum is below every threshold, but a value alone says neither what is bought nor which
    # threshold it was weighed against: the reasons must say it in words.
    verdict = refused(rules, "scope", "does-not-apply", reasons)
    assert verdict.problems == ["dismissal"] and "outside the Act" in verdict.question


@pytest.mark.parametrize(
    "reasons",
    [
        "£40k of translation services, well below the threshold",
        "We're Cardiff Council, a devolved Welsh authority, so s.1 doesn't apply; the SPPP (Wales) Act duty does.",
    ],
)
def test_a_ground_in_words_beside_the_option_is_no_dismissal(rules: ReasonsChecker, reasons: str) -> None:
    accepted(rules, "scope", "does-not-apply", reasons)


@pytest.mark.parametrize(
    "reasons", ["One office, no staff transfer", "One office, no staff changes.", "no staff turnover expected"]
)
def test_no_staff_transfer_is_not_no_staff(rules: ReasonsChecker, reasons: str) -> None:
    # Who is employed stays the same: that says nothing about why outcomes are ruled out.
    verdict = refused(rules, "outcomes", "none-relevant", reasons)
    assert verdict.missing == ["rules-out"] and "rules out" in verdict.question


@pytest.mark.parametrize(
    "reasons",
    [
        "software licence, no staff, no deliveries",
        "no staff on site, nothing delivered locally",
        "remote audit by one assessor; no staff or premises anywhere near us",
    ],
)
def test_no_staff_at_all_still_rules_outcomes_out(rules: ReasonsChecker, reasons: str) -> None:
    addressed(rules, "outcomes", "none-relevant", reasons)


@pytest.mark.parametrize(
    "reasons",
    [
        "a single wage term and one scored question suit an £80k two-year contract with local cleaning firms bidding",
        "one short scored question suits a contract this size",
    ],
)
def test_asks_weighed_against_the_contract_are_grounds(rules: ReasonsChecker, reasons: str) -> None:
    verdict = addressed(rules, "proportionality", "proportionate", reasons)
    assert "other_step" not in verdict.rules
