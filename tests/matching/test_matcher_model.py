"""The matcher's trained model: its features, its arithmetic, how it is fused and when it is left out."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from kbtools import edit

from bot.knowledge.loader import KnowledgeBase, check_folder, fingerprint_folder, load_knowledge
from bot.matching.matcher import Matcher
from bot.matching.model import MODEL_FILE, OUTSIDE, MatcherModel, entry_fingerprint, features


def tiny_model(kb: KnowledgeBase, weights: dict[str, list[list]], classes: tuple[str, ...]) -> MatcherModel:
    """A hand-written model over ``classes``, fresh for ``kb``'s entries."""
    return MatcherModel(
        classes=classes,
        intercepts=(0.0,) * len(classes),
        weights=weights,
        fingerprints={e.id: entry_fingerprint(e) for e in kb.raw_entries},
    )


def with_model_settings(kb: KnowledgeBase, lift: float, cut: float = 1.0) -> KnowledgeBase:
    return dataclasses.replace(kb, matching=kb.matching.model_copy(update={"model_lift": lift, "model_outside": cut}))


def test_features_are_terms_pairs_and_letter_runs() -> None:
    feats = features(["real_living_wage", "supplier"], ["real", "living", "wage", "suppliers", "2026"])
    assert {"t:real_living_wage", "t:supplier"} <= feats
    assert "p:real_living_wage supplier" in feats
    assert {"c:<sup", "c:iers", "c:ers>", "c:<rea", "c:real"} <= feats
    assert not any(f.startswith("c:") and "202" in f for f in feats), "numbers have no letter runs"
    assert not any(f.startswith("b:") for f in feats), "no phrasing given, no word pairs"


def test_features_keep_the_phrasing_as_pairs_of_words(matcher: Matcher) -> None:
    """ "can you calculate our SROI" asks svbot to do something; the stopwords that say so are pairs too."""
    feats = matcher.model_features("can you calculate our SROI?")
    assert {"b:can you", "b:you calculate", "b:calculate our", "b:our sroi"} <= feats
    assert "t:can" not in feats and "t:you" not in feats, "stopwords are still no terms"


def test_probabilities_are_a_softmax_over_summed_weights(kb: KnowledgeBase) -> None:
    model = tiny_model(kb, {"t:a": [[0, 2.0], [1, -1.0]], "t:b": [[0, 1.0]]}, ("x", "y", OUTSIDE))
    p = model.probabilities({"t:a", "t:b", "t:unknown"})
    total = math.exp(3.0) + math.exp(-1.0) + math.exp(0.0)
    assert p["x"] == pytest.approx(math.exp(3.0) / total)
    assert p["y"] == pytest.approx(math.exp(-1.0) / total)
    assert sum(p.values()) == pytest.approx(1.0)


def test_a_broken_weight_row_leaves_the_rules_alone(kb: KnowledgeBase) -> None:
    model = tiny_model(kb, {"t:a": [["zero", "two"]]}, ("x", OUTSIDE))
    assert model.probabilities({"t:a"}) == {}


def test_the_models_likeliest_entry_is_scored_and_can_win(kb: KnowledgeBase) -> None:
    """The model's pick joins the rules' shortlist even when it shares no word with the question."""
    question = "zorblax frobnication for our living wage suppliers"
    plain = Matcher(with_model_settings(kb, 0.0)).ask(question, top=20)
    target = "case.skill-mill"
    assert target not in [m.entry.id for m in plain.matches]
    classes = (*(e.id for e in kb.entries), OUTSIDE)
    model = tiny_model(kb, {"t:zorblax": [[classes.index(target), 12.0]]}, classes)
    fused = Matcher(with_model_settings(kb, 5.0), model=model).ask(question, top=20)
    assert fused.matches[0].entry.id == target
    assert fused.matches[0].signals["model"] == pytest.approx(1.0, abs=1e-3)


def test_the_models_outside_class_refuses(kb: KnowledgeBase) -> None:
    """The rules would answer: "not sure". They would not either: "outside what I cover"."""
    question = "reserved contracts for mutuals zorblax"
    classes = (*(e.id for e in kb.entries), OUTSIDE)
    model = tiny_model(kb, {"t:zorblax": [[len(classes) - 1, 12.0]]}, classes)
    assert Matcher(with_model_settings(kb, 0.1, cut=1.0), model=model).ask(question).answered
    refused = Matcher(with_model_settings(kb, 0.1, cut=0.6), model=model).ask(question)
    assert not refused.answered and not refused.off_topic and refused.matches
    strict = with_model_settings(kb, 0.1, cut=0.6)
    strict = dataclasses.replace(strict, matching=strict.matching.model_copy(update={"answer_threshold": 0.95}))
    assert Matcher(strict, model=model).ask(question).off_topic
    strict_without = dataclasses.replace(strict, matching=strict.matching.model_copy(update={"model_outside": 1.0}))
    assert not Matcher(strict_without, model=model).ask(question).off_topic


def test_the_models_refusal_of_a_social_value_question_is_not_sure(kb: KnowledgeBase) -> None:
    question = "should the real living wage zorblax sit with social value"
    classes = (*(e.id for e in kb.entries), OUTSIDE)
    model = tiny_model(kb, {"t:zorblax": [[len(classes) - 1, 12.0]]}, classes)
    refused = Matcher(with_model_settings(kb, 0.1, cut=0.6), model=model).ask(question)
    assert not refused.answered and refused.matches
    assert not refused.off_topic


def test_a_question_on_a_glossary_term_is_not_refused_as_outside(kb: KnowledgeBase) -> None:
    """ "is home care light touch?" asks about svbot's own words: the outside class does not refuse it."""
    classes = (*(e.id for e in kb.entries), OUTSIDE)
    model = tiny_model(kb, {"t:home": [[len(classes) - 1, 12.0]]}, classes)
    matcher = Matcher(with_model_settings(kb, 0.1, cut=0.6), model=model)
    membership = matcher.ask("is home care light touch")
    assert membership.definition is not None and membership.answered
    assert membership.best.entry.id == "legal.thresholds"
    assert not matcher.ask("home care contracts under the light touch thresholds").answered


def test_without_a_model_the_scores_keep_their_scale(kb: KnowledgeBase) -> None:
    """A model weight with no model to give it a value is left out of the sum, not counted as zero."""
    question = "can we ask suppliers to pay the real living wage"
    rules = Matcher(with_model_settings(kb, 0.0)).ask(question)
    weighted = Matcher(dataclasses.replace(with_model_settings(kb, 0.5), folder=Path("/nonexistent")))
    assert weighted.model is None
    assert weighted.ask(question).best.score == pytest.approx(rules.best.score)


def test_the_shipped_model_is_fresh_and_used(kb: KnowledgeBase, matcher: Matcher) -> None:
    assert (kb.folder / MODEL_FILE).exists()
    assert matcher.model is not None
    assert matcher.model_stale == []
    assert "model" in matcher.ask("can we ask suppliers to pay the real living wage").best.signals


def test_an_edited_entry_makes_the_model_stale(kb_copy: Path) -> None:
    edit(kb_copy / "legal-1.yaml", "- what is the social value act?", "- what does the social value act say?")
    kb, findings = check_folder(kb_copy)
    assert kb is not None
    matcher = Matcher(kb)
    assert matcher.model is None
    assert matcher.model_stale == ["legal.act-overview"]
    stale = [f for f in findings if f.code == "model-stale"]
    assert len(stale) == 1 and stale[0].severity == "warning"
    assert "legal.act-overview" in stale[0].message and "bench/train_matcher.py" in stale[0].message
    assert matcher.ask("what does the social value act say").answered


def test_an_unreadable_model_is_a_warning_and_the_rules_answer(kb_copy: Path) -> None:
    (kb_copy / MODEL_FILE).write_text('{"classes": [', encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is not None
    assert [f.code for f in findings if f.code.startswith("model")] == ["model"]
    matcher = Matcher(kb)
    assert matcher.model is None
    assert matcher.ask("can we ask suppliers to pay the real living wage").answered


def test_retraining_counts_as_a_knowledge_change(kb_copy: Path) -> None:
    before = fingerprint_folder(kb_copy)
    data = json.loads((kb_copy / MODEL_FILE).read_text(encoding="utf-8"))
    data["intercepts"][0] += 1.0
    (kb_copy / MODEL_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert fingerprint_folder(kb_copy) != before
    assert load_knowledge(kb_copy).fingerprint == fingerprint_folder(kb_copy)


def test_kb_check_says_the_model_is_stale_and_ask_still_answers(run, kb_copy: Path, monkeypatch) -> None:
    assert "0 warning(s)" in run("kb", "check", "--folder", str(kb_copy)).output
    edit(kb_copy / "legal-1.yaml", "- what is the social value act?", "- what does the social value act say?")
    result = run("kb", "check", "--folder", str(kb_copy))
    assert result.exit_code == 0
    assert "the matcher's model was trained before entries changed (legal.act-overview)" in result.output
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    answer = run("ask", "--no-log", "--json", "what does the social value act say")
    assert answer.exit_code == 0 and json.loads(answer.stdout)["matches"][0]["id"] == "legal.act-overview"


def test_a_links_words_are_left_to_the_rules(matcher: Matcher) -> None:
    """The words of an address are not a person's phrasing, which is what the model learnt from."""
    link = "https://www.gov.uk/government/publications/ppn-002-taking-account-of-social-value-in-the-award-of-contracts"
    answer = matcher.ask(link)
    assert answer.link is not None and answer.matches
    assert all("model" not in m.signals for m in answer.matches)
    assert "model" in matcher.ask("ppn 002 taking account of social value in the award of contracts").best.signals
