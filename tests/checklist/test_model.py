"""The trained second opinion (bot/checklist/model.py): its features, its veto and its rescue."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.checklist.checker import MODEL_VETO, ReasonsChecker
from bot.checklist.model import RESCUE_RULE, VETO_RULE, CheckerModel, StackedModel, features, stack_features
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import FEATURE_FAMILIES, FEATURE_KINDS, CheckerModelFile, StackFile
from bot.render import Renderer

ACCEPTED = ("outcomes", "outcomes-identified", "8 apprenticeships for Wigan care leavers over the 3-year contract.")
# Refused only softly: the element "who" is missing, no tick-box rule fired.
SOFT = ("consultation", "consult", "at a drop-in session - for the Northtown day centre contract")
# Refused by a tick-box rule (boilerplate).
BLOCKED = ("outcomes", "none-relevant", "Not relevant.")


def model_file(
    weights: str, intercept: float = 0.0, stack: str | None = None, asks: dict[str, str] | None = None
) -> CheckerModelFile:
    return CheckerModelFile(
        model="a test model",
        trained=dt.date(2026, 12, 2),
        trained_on=["tests"],
        reasons=3,
        features=list(FEATURE_FAMILIES),
        intercept=intercept,
        weights=weights,
        veto_asks=asks or {},
        stack=StackFile(model="a test stack", trained_on=["tests"], reasons=3, intercept=0.0, weights=stack)
        if stack
        else None,
    )


def checker_with(
    kb: KnowledgeBase,
    weights: str,
    veto: float = 0,
    rescue: float = 0,
    stack: str | None = None,
    at: float = 0,
    asks: dict[str, str] | None = None,
) -> ReasonsChecker:
    """``at``: the stack's veto and rescue, both at that P (0: off)."""
    update = {"model_veto": veto, "model_rescue": rescue, "model_stack_veto": at, "model_stack_rescue": at}
    config = kb.checker.model_copy(update=update)
    model = model_file(weights, stack=stack, asks=asks)
    return ReasonsChecker(config, kb.checklist.steps, kb.matching.stopwords, kb.justification, model)


def test_features_are_words_shape_and_option_never_rules() -> None:
    feats = features("outcomes", "none-relevant", True, "Not relevant in Rochdale, £1m")
    assert {"w:not", "w:relevant", "b:not relevant", "shape:money", "shape:figure", "shape:name"} <= feats
    assert {"option:outcomes/none-relevant", "option:negative", "shape:words<10"} <= feats
    assert all(f.startswith(FEATURE_KINDS) for f in feats)
    assert "shape:lower-case" in features("scope", "applies", False, "services, £3m")
    assert "shape:bullets" in features("scope", "applies", False, "- services\n- £3m")
    # The first model's families only, unless others are asked for.
    assert not any(f.startswith(("c:", "n:", "s:")) for f in feats)


def test_the_other_families_letters_steps_polarity_and_more_shapes() -> None:
    every = list(FEATURE_FAMILIES)
    feats = features("outcomes", "none-relevant", True, "Not relevant in Rochdale, 2027", every)
    # Letter runs inside words, the ends marked: a typo or a plural still shares most of them.
    assert {"c:<not", "c:not>", "c:<rel", "c:roch", "c:ale>"} <= feats
    assert not any(f.startswith("c:") and "2027" in f for f in feats)  # figures are no word
    assert {"c:<rel", "c:elev"} <= features("outcomes", "none-relevant", True, "relevent", every)
    # A word on a negative option, and a word at its step.
    assert {"n:relevant", "s:outcomes/relevant", "shape:date"} <= feats
    positive = features("outcomes", "outcomes-identified", False, "relevant", every)
    assert "n:relevant" not in positive and "s:outcomes/relevant" in positive
    assert "shape:list" in features(
        "outcomes", "outcomes-identified", False, "jobs, skills, net zero, wellbeing", every
    )
    assert "shape:list" not in features("outcomes", "outcomes-identified", False, "jobs, skills", every)
    for dated in ("by 14/03/2026", "on 1 Dec", "in March 2027", "in Q3"):
        assert "shape:date" in features("decision", "defer", False, dated, every), dated
    assert "shape:date" not in features("decision", "defer", False, "awaiting the board", every)


def test_the_reading_is_a_logistic_dot_product() -> None:
    model = CheckerModel(-1.0, {"w:relevant": 3.0, "w:not": 0.5, "w:care": -2.0})
    reading = model.read("outcomes", "none-relevant", True, "not relevant")
    assert reading.score == pytest.approx(1 / (1 + 2.718281828 ** -(-1.0 + 3.0 + 0.5)), rel=1e-6)
    assert reading.top == [("w:relevant", 3.0), ("w:not", 0.5)]
    justified = model.read("outcomes", "none-relevant", True, "care")
    assert justified.score < 0.5 and justified.top == [("w:care", -2.0)]


def test_the_veto_refuses_what_the_rules_accept(kb: KnowledgeBase) -> None:
    assert checker_with(kb, "+10 w:leavers", veto=0).check(*ACCEPTED).accepted
    checker = checker_with(kb, "+10 w:leavers", veto=0.9)
    verdict = checker.check(*ACCEPTED)
    assert not verdict.accepted
    assert verdict.problems == [MODEL_VETO]
    assert verdict.rules[-1] == VETO_RULE
    option = checker.option("outcomes", "outcomes-identified")
    assert verdict.question == option.ask[option.needs[0]]
    assert verdict.model is not None and verdict.model.score > 0.9
    # Below the threshold, the rules stand.
    assert checker_with(kb, "+1 w:leavers", veto=0.9).check(*ACCEPTED).accepted


def test_the_veto_never_overrules_what_the_record_completes(kb: KnowledgeBase) -> None:
    """The model reads the words only: where the checklist's record supplies an element, it cannot veto."""
    reasons = "not needed: a 2-week interim cover while the re-tender completes"
    checker = checker_with(kb, "+10 w:interim", veto=0.9)
    with_record = checker.check("decision", "proceed-without", reasons, record=["decision-maker"])
    assert with_record.accepted and "recorded:decision-maker" in with_record.rules
    assert with_record.model is None or with_record.model.score >= 0.9
    # The same words, accepted without the record's help, are vetoed.
    alone = checker_with(kb, "+10 w:interim", veto=0.9).check(
        *ACCEPTED[:2], "8 interim apprenticeships for Wigan care leavers"
    )
    assert not alone.accepted and alone.rules[-1] == VETO_RULE


def test_the_rescue_accepts_a_soft_refusal_only(kb: KnowledgeBase) -> None:
    assert not checker_with(kb, "-10 w:northtown", rescue=0).check(*SOFT).accepted
    checker = checker_with(kb, "-10 w:northtown\n-10 w:relevant", rescue=0.9)
    verdict = checker.check(*SOFT)
    assert verdict.accepted and verdict.problems == [] and verdict.question == ""
    assert verdict.rules == [RESCUE_RULE, "unrecognised:who"]
    # A tick-box rule fired: the model cannot accept it, however sure it is.
    blocked = checker.check(*BLOCKED)
    assert not blocked.accepted and blocked.problems == ["boilerplate"]
    assert not checker_with(kb, "-1 w:northtown", rescue=0.9).check(*SOFT).accepted


def test_the_veto_says_why_in_plain_words_not_the_model_s(kb: KnowledgeBase) -> None:
    checker = checker_with(kb, "+10 w:the\n+10 w:over", veto=0.9)
    verdict = checker.check(*ACCEPTED)
    text = Renderer().render("checklist/problem.txt.j2", code=MODEL_VETO, step=None, negative=False, verdict=verdict)
    assert text.startswith("These reasons could be given for many procurements: nothing in them ties the decision")
    assert "a fact of this one that a reader could check" in text
    assert text.endswith(verdict.question)
    # Never the function words that weighed most.
    assert '"the"' not in text and '"over"' not in text and "weigh" not in text


def test_the_shipped_model_is_loaded_lazily_and_read(kb: KnowledgeBase) -> None:
    assert kb.checker_model is not None
    checker = ReasonsChecker.for_knowledge(kb)
    assert checker._model is None
    reading = checker.model_reading(*ACCEPTED)
    assert reading is not None and 0 <= reading.score <= 1
    assert checker._model is not None and len(checker._model.weights) > 1000
    assert checker.model_reading("outcomes", "none-relevant", "  ") is None


def test_the_rescue_never_waives_an_essential_element(kb: KnowledgeBase) -> None:
    checker = checker_with(kb, "-10 w:framework\n-10 w:northtown", rescue=0.9)
    # Missing what to do instead (not essential): the model may accept it.
    assert checker.check("process", "not-pursued", "Not pursued as the framework fixes the criteria.").accepted
    # Missing the constraint that rules it out (essential): it may not, however sure it is.
    reasons = "we will record the local spend at the next re-tender - for the Northtown day centre contract"
    verdict = checker.check("process", "not-pursued", reasons)
    assert not verdict.accepted and verdict.missing == ["constraint"]


# -- the stack (model_stack_veto, model_stack_rescue): the rules' verdict and the words weighed together ---

# A stack that trusts the words alone: P(tick-box) is the words model's.
TRUST_WORDS = "+1 words:if-accepted\n+1 words:if-refused"
CONTRADICTED = (
    "decision",
    "defer",
    "Deferred by the director until the panel meets in May, after the contract is awarded.",
)


def test_the_stack_reads_the_verdict_never_the_words() -> None:
    assert stack_features(True, False, [], ["named:who"]) == {"verdict:accepted", "rule:named:who"}
    refused = stack_features(False, False, ["boilerplate", "dismissal"], ["boilerplate", "needs:rules-out"])
    assert refused == {
        "verdict:refused",
        "verdict:hard",
        "problem:boilerplate",
        "rule:boilerplate",
        "rule:needs:rules-out",
    }
    assert "verdict:soft" in stack_features(False, True, ["missing_element"], ["needs:who"])


def test_the_stack_weighs_the_words_log_odds_by_the_verdict() -> None:
    stack = StackedModel(-0.5, {"verdict:accepted": -1.0, "rule:boilerplate": 2.0, "words:if-refused": 0.75})
    score, top = stack.read({"verdict:refused", "rule:boilerplate"}, accepted=False, log_odds=4.0)
    assert score == pytest.approx(1 / (1 + 2.718281828 ** -(-0.5 + 2.0 + 0.75 * 4.0)), rel=1e-6)
    assert top == [("words:if-refused", 3.0), ("rule:boilerplate", 2.0)]
    # Where the rules accepted, the log-odds weigh by words:if-accepted, here nothing.
    accepted, _ = stack.read({"verdict:accepted"}, accepted=True, log_odds=4.0)
    assert accepted == pytest.approx(1 / (1 + 2.718281828**1.5), rel=1e-6)


def test_the_stack_refuses_what_the_rules_accept(kb: KnowledgeBase) -> None:
    checker = checker_with(kb, "+10 w:leavers", stack=TRUST_WORDS, at=0.5)
    verdict = checker.check(*ACCEPTED)
    assert not verdict.accepted and verdict.problems == [MODEL_VETO] and verdict.rules[-1] == VETO_RULE
    assert verdict.model is not None and verdict.model.stacked is not None and verdict.model.stacked > 0.99
    assert verdict.model.stacked_top[0][0] == "words:if-accepted"
    # Off at 0, and the stack's own weights can keep what the words would refuse.
    assert checker_with(kb, "+10 w:leavers", stack=TRUST_WORDS, at=0).check(*ACCEPTED).accepted
    trusting = checker_with(kb, "+10 w:leavers", stack=TRUST_WORDS + "\n-20 verdict:accepted", at=0.5)
    assert trusting.check(*ACCEPTED).accepted


def test_the_stack_accepts_what_the_rules_refuse_even_a_tick_box_rule(kb: KnowledgeBase) -> None:
    checker = checker_with(kb, "-10 w:relevant", stack=TRUST_WORDS, at=0.5)
    verdict = checker.check(*BLOCKED)
    assert verdict.accepted and verdict.problems == [] and verdict.question == ""
    assert verdict.rules[0] == RESCUE_RULE and "overruled:boilerplate" in verdict.rules
    soft = checker_with(kb, "-10 w:northtown", stack=TRUST_WORDS, at=0.5).check(*SOFT)
    assert soft.accepted and soft.rules == [RESCUE_RULE, "unrecognised:who"]
    # A rule the stack learned to trust keeps the refusal, however the words read.
    trusting = checker_with(kb, "-10 w:relevant", stack=TRUST_WORDS + "\n+20 rule:boilerplate", at=0.5)
    assert trusting.check(*BLOCKED).problems == ["boilerplate"]


def test_the_stack_never_overrules_a_contradiction_unreadable_reasons_or_the_record(kb: KnowledgeBase) -> None:
    checker = checker_with(kb, "-10 w:deferred\n-10 w:asdf", stack=TRUST_WORDS, at=0.5)
    contradicted = checker.check(*CONTRADICTED)
    assert not contradicted.accepted and contradicted.problems == ["contradiction"]
    unreadable = checker.check("outcomes", "outcomes-identified", "asdf qwerty blah zzz xxx hmm")
    assert not unreadable.accepted and unreadable.problems == ["gibberish"]
    reasons = "not needed: a 2-week interim cover while the re-tender completes"
    vetoing = checker_with(kb, "+10 w:interim", stack=TRUST_WORDS, at=0.5)
    recorded = vetoing.check("decision", "proceed-without", reasons, record=["decision-maker"])
    assert recorded.accepted and "recorded:decision-maker" in recorded.rules


def test_a_veto_asks_for_the_element_most_likely_missing(kb: KnowledgeBase) -> None:
    consulted = ("consultation", "consult", "We asked the 40 members of the tenants panel in May 2026 about it.")
    option = kb.justification.steps["consultation"]["consult"]
    assert option.needs == ["who", "how"]
    # The rules found both: the element that option's tick-boxes most often lack is asked for.
    asked = checker_with(kb, "+10 w:panel", 0.9, asks={"consultation/consult": "how"}).check(*consulted)
    assert not asked.accepted and asked.rules[-1] == VETO_RULE
    assert asked.missing == ["how"] and asked.elements == ["who"] and asked.question == option.ask["how"]
    text = Renderer().render("checklist/problem.txt.j2", code=MODEL_VETO, step=None, negative=False, verdict=asked)
    assert f"Most of all they need {asked.says['how']}, in words a reader could check." in text
    assert text.lower().endswith(option.ask["how"].lower())
    # Without one, justification.yaml's first needed element, and the general sentence.
    plain = checker_with(kb, "+10 w:panel", 0.9).check(*consulted)
    assert plain.missing == [] and plain.question == option.ask["who"]
    text = Renderer().render("checklist/problem.txt.j2", code=MODEL_VETO, step=None, negative=False, verdict=plain)
    assert "such as what is bought, for whom, where, or the constraint that decided it" in text
    # An element the rules took on weaker evidence than its cues comes first: one they accepted
    # on substance alone (unrecognised:ELEMENT).
    weak = checker_with(kb, "+10 w:panel", 0.9, asks={"consultation/consult": "how"})
    on_substance = replace(asked, rules=["unrecognised:who"], elements=["how"])
    assert weak._likely_missing("consultation", "consult", on_substance) == ["who"]
    assert weak._likely_missing("consultation", "consult", replace(asked, rules=["named:who"])) == ["who"]
    assert weak._likely_missing("consultation", "consult", replace(asked, rules=[])) == ["how"]
