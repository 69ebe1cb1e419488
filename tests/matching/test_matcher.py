"""Matching questions to knowledge entries: right answers, honest refusals, no crashes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import KnowledgeBase
from bot.matching.matcher import Answer, Matcher

QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"


@pytest.fixture(scope="module")
def dev_set() -> dict:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


def check_shape(answer: Answer) -> None:
    scores = [m.score for m in answer.matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    ids = [m.entry.id for m in answer.matches]
    assert len(ids) == len(set(ids))
    if answer.ambiguous:
        assert answer.answered
    if answer.answered:
        assert answer.matches


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # typos
        ("socail vaule threshhold", "legal.thresholds"),
        ("what are the procurment threshholds for the social value act", "legal.thresholds"),
        # paraphrases
        ("is the act relevant when we buy goods only, like furniture", "legal.scope-services"),
        ("do we have to give social value a weighting of 10% in the scoring", "legal.award-criteria-weighting"),
        ("can we favour local companies in the award", "legal.local-preference"),
        ("what did oldham do with its banking contract", "case.oldham-banking"),
        ("is there a record we should keep of the decision", "legal.record-keeping"),
        ("reserved contracts for mutuals", "legal.reserved-contracts"),
        # Slack style: mention, emoji, markup
        ("<@U0ABC12> can we insist that suppliers pay the real living wage? :thinking_face:", "legal.living-wage"),
        ("<!here> what happens if it's urgent :rotating_light:", "legal.urgency"),
    ],
)
def test_finds_the_right_entry(matcher: Matcher, question: str, expected: str) -> None:
    answer = matcher.ask(question)
    check_shape(answer)
    assert answer.answered, [(m.entry.id, m.score) for m in answer.matches]
    assert answer.best.entry.id == expected


def test_question_text_is_kept(matcher: Matcher) -> None:
    assert matcher.ask("reserved contracts for mutuals").question == "reserved contracts for mutuals"


@pytest.mark.parametrize(
    "question",
    [
        "how do I book annual leave",
        "what is TUPE",
        "how do i submit my timesheet",
        "what's the weather like in Leeds",
    ],
)
def test_out_of_scope_is_not_answered(matcher: Matcher, question: str) -> None:
    answer = matcher.ask(question)
    check_shape(answer)
    assert not answer.answered
    assert not answer.ambiguous


@pytest.mark.parametrize("question", ["social value?", "contracts", "tender", "the act", "procurement"])
def test_vague_one_word_questions_are_not_answered(matcher: Matcher, question: str) -> None:
    # Regression: short aliases ("before going out to tender") normalise to one common word, and the
    # verbatim-example rule used to answer any one-word question from them with a score of 1.0.
    answer = matcher.ask(question)
    assert not answer.answered, [(m.entry.id, m.score) for m in answer.matches]


@pytest.mark.parametrize(
    "question",
    ["", "   ", "!!!???", "asdkjh qwpoeiru zxmcnv", "the the the", ":wave:", "<@U123>", "\x00\u200b", "🙂" * 50],
)
def test_empty_or_garbage(matcher: Matcher, question: str) -> None:
    answer = matcher.ask(question)
    assert answer.answered is False
    assert answer.ambiguous is False
    check_shape(answer)


def test_huge_question_does_not_crash(matcher: Matcher) -> None:
    answer = matcher.ask("what are the thresholds " * 5000)
    check_shape(answer)


def test_default_returns_three_matches(matcher: Matcher) -> None:
    answer = matcher.ask("how should we measure social value during the contract")
    assert len(answer.matches) == 3
    check_shape(answer)


@pytest.mark.parametrize("top", [1, 2, 5, 10])
def test_top_n_is_honoured(matcher: Matcher, top: int) -> None:
    answer = matcher.ask("how do we open up contracts to small charities and smes", top=top)
    assert len(answer.matches) == top
    check_shape(answer)


def test_top_below_one_still_gives_the_best(matcher: Matcher) -> None:
    assert len(matcher.ask("reserved contracts for mutuals", top=0).matches) == 1


def test_best_is_the_same_whatever_top(matcher: Matcher) -> None:
    question = "do we need to consult before the tender"
    ids = [matcher.ask(question, top=n).best.entry.id for n in (1, 3, 10)]
    assert len(set(ids)) == 1


AMBIGUITY_PROBES = [
    "do we need to consult before the tender",
    "how should we measure social value during the contract",
    "socail vaule threshhold",
    "reserved contracts for mutuals",
]


@pytest.mark.parametrize("question", AMBIGUITY_PROBES)
def test_ambiguity_flag_follows_the_margin(matcher: Matcher, question: str) -> None:
    answer = matcher.ask(question)
    first, second = answer.matches[0].score, answer.matches[1].score
    close = first - second < matcher.config.ambiguity_margin
    assert answer.ambiguous == (answer.answered and close)


def with_margin(kb: KnowledgeBase, margin: float) -> Matcher:
    return Matcher(replace(kb, matching=kb.matching.model_copy(update={"ambiguity_margin": margin})))


def test_ambiguity_flag_set_and_cleared(kb: KnowledgeBase) -> None:
    question = "what did oldham do with its banking contract"
    wide = with_margin(kb, 1.0)
    assert wide.ask(question).answered and wide.ask(question).ambiguous
    # Ambiguity needs a runner-up: with one match there is nothing to confuse it with.
    assert not wide.ask(question, top=1).ambiguous
    narrow = with_margin(kb, 0.0).ask(question)
    assert narrow.answered and not narrow.ambiguous


def test_signals_are_reported(matcher: Matcher) -> None:
    match = matcher.ask("reserved contracts for mutuals").best
    assert match.signals
    # Every signal is one matching.yaml can tune: the weights, or the trained model's model_lift.
    assert set(match.signals) <= {"terms", "fuzzy", "model"}
    assert {k for k, w in matcher.config.weights.items() if w} <= set(match.signals)
    assert ("model" in match.signals) == bool(matcher.config.model_lift)
    assert all(0.0 <= v <= 1.0 for v in match.signals.values())


def test_as_json_shape(matcher: Matcher) -> None:
    data = matcher.ask("reserved contracts for mutuals").as_json()
    assert set(data) == {"answered", "ambiguous", "matches"}
    assert data["answered"] is True
    assert len(data["matches"]) == 3
    first = data["matches"][0]
    assert set(first) == {"id", "kind", "title", "score", "jurisdiction"}
    assert first["jurisdiction"] and set(first["jurisdiction"]) <= {"England", "Wales", "Scotland", "Northern Ireland"}
    assert first["id"] == "legal.reserved-contracts"
    assert first["kind"] == "legal"


def test_glossary_synonym_finds_entry(matcher: Matcher) -> None:
    # "third sector" is a glossary variant of "vcse".
    known, unknown = matcher.query_terms("helping third sector bidders")
    assert "vcse" in known
    assert unknown == []


def test_misspelt_term_corrected_unknown_term_kept(matcher: Matcher) -> None:
    known, unknown = matcher.query_terms("threshhold gdpr")
    assert "threshold" in known
    assert unknown == ["gdpr"]


def test_answer_threshold_is_respected(matcher: Matcher) -> None:
    threshold = matcher.config.answer_threshold
    for question in ("reserved contracts for mutuals", "how do I book annual leave", "tell me about value"):
        answer = matcher.ask(question)
        best = answer.best.score if answer.matches else 0.0
        assert answer.answered == (best >= threshold)


# The development question set ----------------------------------------------------


def test_dev_set_accuracy(matcher: Matcher, dev_set: dict) -> None:
    in_scope = dev_set["in_scope"]
    assert len(in_scope) >= 200
    top1 = recall3 = 0
    misses = []
    for item in in_scope:
        ids = [m.entry.id for m in matcher.ask(item["q"], top=3).matches]
        expect = set(item["expect"])
        top1 += bool(ids) and ids[0] in expect
        recall3 += bool(expect & set(ids))
        if not ids or ids[0] not in expect:
            misses.append((item["q"], ids[:1], sorted(expect)))
    n = len(in_scope)
    assert top1 / n >= 0.85, misses[:20]
    assert recall3 / n >= 0.93, misses[:20]


def test_dev_set_out_of_scope(matcher: Matcher, dev_set: dict) -> None:
    out_of_scope = [str(q) for q in dev_set["out_of_scope"]]
    assert len(out_of_scope) >= 40
    wrongly = [q for q in out_of_scope if matcher.ask(q).answered]
    assert len(wrongly) / len(out_of_scope) <= 0.10, wrongly


def test_dev_set_questions_are_not_answered_worse_than_half(matcher: Matcher, dev_set: dict) -> None:
    # The bot should answer most in-scope questions rather than hedge on everything.
    answered = sum(matcher.ask(item["q"]).answered for item in dev_set["in_scope"])
    assert answered / len(dev_set["in_scope"]) >= 0.7


# The 2026 development questions (issue 13): the four nations, the new entries, follow-ups ----------

QUESTIONS_2026 = QUESTIONS.parent / "questions_2026.yaml"


def test_2026_set_is_large_and_well_formed() -> None:
    data = yaml.safe_load(QUESTIONS_2026.read_text(encoding="utf-8"))
    assert len(data["in_scope"]) + len(data["out_of_scope"]) >= 150
    assert sum(1 for item in data["in_scope"] if item.get("after")) >= 15
    assert all(item["expect"] for item in data["in_scope"])


def test_2026_set_accuracy_on_the_entries_present(app) -> None:
    """Questions whose expected entries are all in today's knowledge; the rest wait for them."""
    data = yaml.safe_load(QUESTIONS_2026.read_text(encoding="utf-8"))
    kb = app.snapshot().kb
    items = [i for i in data["in_scope"] if all(kb.get(e) for e in i["expect"])]
    assert len(items) >= 25
    top1 = recall3 = 0
    misses = []
    for n, item in enumerate(items):
        conversation = f"dev-{n}"
        if item.get("after"):
            app.answer(item["after"], conversation=conversation)
        answer = app.answer(item["q"], conversation=conversation)
        ids = [m.entry.id for m in answer.matches]
        top1 += bool(ids) and ids[0] in item["expect"]
        recall3 += bool(set(item["expect"]) & set(ids[:3]))
        if not ids or ids[0] not in item["expect"]:
            misses.append((item["q"], ids[:1]))
    assert top1 / len(items) >= 0.7, misses
    assert recall3 / len(items) >= 0.85, misses
    wrongly = [q for q in data["out_of_scope"] if app.answer(q).answered]
    assert len(wrongly) <= 1, wrongly


# Misspelt glossary words are respelt before the glossary reads the question, so its phrases still join.


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("does the act apply to acadamy trusts", "does the act apply to academy trusts"),
        ("emergancy procurement", "emergency procurement"),
        ("climate chnage asks", "climate change asks"),  # completes the phrase "climate change"
        ("how much does a bid writer charge", "how much does a bid writer charge"),  # "change" alone is no phrase
        ("a grnt to a charity", "a grnt to a charity"),  # words under five letters stay (too easily another word)
        ("our gender policies", "our gender policies"),  # words the knowledge uses stay (not "tender", "police")
    ],
)
def test_misspelt_glossary_words_are_respelt(matcher: Matcher, question: str, expected: str) -> None:
    assert matcher.respell(question) == expected


def test_a_misspelt_phrase_still_finds_its_entry(matcher: Matcher) -> None:
    answer = matcher.ask("does the social value act cover acadamy trusts")
    assert answer.answered and answer.best.entry.id == "legal.who-is-covered"


def test_words_late_in_a_long_entry_are_indexed(kb: KnowledgeBase) -> None:
    # The matcher reads only the first words of a message, but every word of an entry.
    entries = list(kb.raw_entries)
    i = next(n for n, e in enumerate(entries) if e.id == "legal.urgency")
    padding = " ".join(["The authority keeps a note."] * 150)
    entries[i] = entries[i].model_copy(update={"body": f"{padding} Quokkas and wombats are mentioned last."})
    answer = Matcher(replace(kb, raw_entries=tuple(entries))).ask("quokkas and wombats")
    assert answer.matches and answer.best.entry.id == "legal.urgency"


@pytest.mark.parametrize(
    "question",
    [
        "do we have to consider social value",
        "do we need to think about social value",
        "have we got to consider social value?",
    ],
)
def test_whether_the_duty_to_consider_binds_us_is_answered(matcher: Matcher, question: str) -> None:
    # Two words every entry uses ("consider", "social value") and a fuzzy match to the title: just
    # above the answer threshold, calibrated on every development set with out-of-scope answers held.
    answer = matcher.ask(question)
    assert answer.answered and answer.best.entry.id == "legal.duty-to-consider"


def test_an_acronym_users_write_finds_its_topic(matcher: Matcher) -> None:
    answer = matcher.ask("CBRs - from what contract value?")
    assert answer.best.entry.id == "legal.scotland-sustainable-procurement"
