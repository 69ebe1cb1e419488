"""What a question says besides its topic: a nation it names prefers the entries that apply there, its own
rules first; not naming a case study nor asking for an example prefers the general entries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.matching.matcher import Answer, Matcher, named_nation

ALL = ["England", "Wales", "Scotland", "Northern Ireland"]


def _twins(kb: KnowledgeBase, jurisdictions: dict[str, list[str]], kind: str = "legal") -> Matcher:
    """A matcher over the shipped entries plus entries identical but for id and jurisdiction."""
    base = kb.raw_entries[0]
    extra = [
        Entry.model_validate(
            {
                **base.model_dump(),
                "id": f"{kind}.zebra-{suffix}",
                "kind": kind,
                "title": "Zebra crossing contracts",
                "short_answer": "What the rules say about zebra crossing contracts.",
                "body": "Zebra crossing contracts and social value.",
                "questions": [f"zebra crossing contract rules {i}" for i in range(5)],
                "keywords": ["zebra crossing"],
                "aliases": [],
                "related": [],
                "jurisdiction": where,
                "nation_notes": {},
            }
        )
        for suffix, where in jurisdictions.items()
    ]
    return Matcher(replace(kb, raw_entries=(*kb.raw_entries, *extra)))


def _order_of(answer: Answer) -> list[str]:
    return [m.entry.id for m in answer.matches if m.entry.id.startswith("legal.zebra")]


def _order(matcher: Matcher, question: str) -> list[str]:
    return [m.entry.id for m in matcher.ask(question, top=10).matches if m.entry.id.startswith("legal.zebra")]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("zebra crossing contract rules in scotland", "legal.zebra-scotland"),
        ("zebra crossing contract rules for a glasgow council", "legal.zebra-scotland"),
        ("zebra crossing contract rules for an english council", "legal.zebra-england"),
    ],
)
def test_an_entry_that_does_not_apply_in_the_named_nation_comes_after_one_that_does(
    kb: KnowledgeBase, question: str, first: str
) -> None:
    matcher = _twins(kb, {"england": ["England"], "scotland": ["Scotland"]})
    assert _order(matcher, question)[0] == first


def test_of_the_entries_that_apply_the_nations_own_comes_first(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"everywhere": ALL, "devolved": ALL[1:], "wales": ["Wales"]})
    assert _order(matcher, "zebra crossing contract rules in wales") == [
        "legal.zebra-wales",
        "legal.zebra-devolved",
        "legal.zebra-everywhere",
    ]


def test_without_a_nation_or_with_several_the_twins_score_alike(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"england": ["England"], "scotland": ["Scotland"]})
    for question in ("zebra crossing contract rules", "zebra crossing contract rules in scotland and england"):
        scores = {m.entry.id: m.score for m in matcher.ask(question, top=10).matches}
        assert scores["legal.zebra-england"] == pytest.approx(scores["legal.zebra-scotland"])


def test_the_answer_carries_the_nation_the_question_names(matcher: Matcher) -> None:
    assert matcher.ask("can a Cardiff council insist on the real living wage").nation == "Wales"
    assert matcher.ask("can we insist on the real living wage").nation is None
    assert matcher.ask("does TUPE apply when a Belfast council retenders").nation == "Northern Ireland"
    assert named_nation(["wales", "scotland"]) is None


# The asker's nation (SVBOT_NATION, --nation, the checklist's) when the question names none.

ZEBRA = "zebra crossing contracts, what does the law say about them for a parish"


def test_a_devolved_askers_own_law_comes_first(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"shared": ["England", "Wales"], "wales": ["Wales"]})
    scores = {m.entry.id: m.score for m in matcher.ask(ZEBRA, top=10).matches}
    assert scores["legal.zebra-shared"] == pytest.approx(scores["legal.zebra-wales"])
    welsh = matcher.ask(ZEBRA, top=10, user_nation="Wales")
    assert _order_of(welsh) == ["legal.zebra-wales", "legal.zebra-shared"]
    own = next(m.score for m in welsh.matches if m.entry.id == "legal.zebra-wales")
    assert own == pytest.approx(min(scores["legal.zebra-wales"] * (1 + kb.matching.home_own), 1.0))


@pytest.mark.parametrize(
    ("question", "user_nation", "lowered"),
    [
        # another nation's own law loses home_other; England's (the entries are written around it) and
        # the law shared by England and Wales keep their scores
        (ZEBRA, "Scotland", {"legal.zebra-wales"}),
        (ZEBRA, "England", {"legal.zebra-wales"}),
        # a question naming a nation is ranked for that nation, whoever asks
        (f"{ZEBRA} in england and wales", "Wales", set()),
        (f"{ZEBRA} in wales", "Scotland", set()),
    ],
)
def test_the_askers_nation_lowers_only_another_nations_own_law(
    kb: KnowledgeBase, question: str, user_nation: str, lowered: set[str]
) -> None:
    matcher = _twins(kb, {"england": ["England"], "shared": ["England", "Wales"], "wales": ["Wales"]})
    plain = {m.entry.id: m.score for m in matcher.ask(question, top=10).matches if "zebra" in m.entry.id}
    asked = matcher.ask(question, top=10, user_nation=user_nation).matches
    expected = {i: s * (1 - kb.matching.home_other) if i in lowered else s for i, s in plain.items()}
    got = {m.entry.id: m.score for m in asked if "zebra" in m.entry.id}
    assert got == pytest.approx(expected)
    assert all(got[i] < plain[i] for i in lowered)


def test_a_scottish_officers_duty_is_never_the_welsh_acts(matcher: Matcher) -> None:
    question = "what social value duty do we have"
    welsh_act = "legal.wales-socially-responsible-procurement"
    assert welsh_act in [m.entry.id for m in matcher.ask(question, top=3).matches]
    scottish = matcher.ask(question, top=3, user_nation="Scotland")
    assert scottish.best.entry.id == "legal.scotland-sustainable-procurement"
    assert welsh_act not in [m.entry.id for m in scottish.matches]


def test_a_nation_named_in_the_question_wins_over_the_askers(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"scotland": ["Scotland"], "wales": ["Wales"]})
    answer = matcher.ask("zebra crossing contract rules in scotland", top=10, user_nation="Wales")
    assert answer.nation == "Scotland"
    assert _order_of(answer)[0] == "legal.zebra-scotland"


def test_good_practice_is_the_same_for_every_asker(kb: KnowledgeBase) -> None:
    matcher = _twins(kb, {"wales": ["Wales"]}, kind="principle")
    plain = matcher.ask(ZEBRA, top=10).best
    welsh = matcher.ask(ZEBRA, top=10, user_nation="Wales").best
    assert plain.entry.id == welsh.entry.id == "principle.zebra-wales"
    assert welsh.score == pytest.approx(plain.score)


def test_a_welsh_officers_duty_is_the_welsh_acts(matcher: Matcher) -> None:
    question = "what social value duty do we have"
    assert matcher.ask(question).best.entry.id == "legal.duty-to-consider"
    welsh = matcher.ask(question, user_nation="Wales")
    assert welsh.best.entry.id == "legal.wales-socially-responsible-procurement"
    assert welsh.nation is None, "the question names no nation: the caller leads with the asker's"


# A case study is one authority's story: a question about the general rule prefers the general entry.


def _assert_lowered_by(matcher: Matcher, kb: KnowledgeBase, setting: str, question: str, entry: str, lowered: bool):
    """The entry's score is the score with ``setting`` (a matching.yaml factor) at 0, times 1 - it if ``lowered``."""
    without = Matcher(replace(kb, matching=kb.matching.model_copy(update={setting: 0.0})))
    factor = 1 - getattr(kb.matching, setting) if lowered else 1.0
    assert _score(matcher, question, entry) == pytest.approx(_score(without, question, entry) * factor)


def _score(matcher: Matcher, question: str, entry_id: str) -> float:
    return next(m.score for m in matcher.ask(question, top=20).matches if m.entry.id == entry_id)


def test_a_question_on_the_general_rule_prefers_the_general_entry(matcher: Matcher) -> None:
    assert matcher.ask("social value weighting for a council?").best.entry.id == "legal.award-criteria-weighting"


@pytest.mark.parametrize(
    ("question", "case", "lowered"),
    [
        ("how much weighting should councils give social value", "case.manchester-weighting", True),
        # named, asked for as an example, or in the case's own words: the case keeps its score
        ("manchester social value weighting rules", "case.manchester-weighting", False),
        ("example of a council giving social value a high weighting", "case.manchester-weighting", False),
        ("has any council raised its social value weighting to 20 per cent", "case.manchester-weighting", False),
        ("social value champions", "case.west-midlands-champions", False),
        ("which officer should be our social value champion", "case.west-midlands-champions", True),
    ],
)
def test_a_case_study_loses_only_when_neither_named_nor_asked_for(
    matcher: Matcher, kb: KnowledgeBase, question: str, case: str, lowered: bool
) -> None:
    _assert_lowered_by(matcher, kb, "case_unnamed", question, case, lowered)


def test_a_case_studys_names_are_its_own_words(matcher: Matcher, kb: KnowledgeBase) -> None:
    index = {d.entry.id: i for i, d in enumerate(matcher._docs)}
    assert "manchest" in matcher._case_names[index["case.manchester-weighting"]]
    assert "preston" in matcher._case_names[index["case.preston-model"]]
    assert not any("weight" in names or "council" in names for names in matcher._case_names.values())
    assert all(kb.get(matcher._docs[i].entry.id).kind == "case_study" for i in matcher._case_names)


# A question on what the law requires prefers the legal entries to good practice and case studies.


@pytest.mark.parametrize(
    ("question", "entry", "lowered"),
    [
        ("do we have to apply social value to goods contracts", "principle.apply-beyond-minimum", True),
        ("are we legally obliged to apply social value to goods contracts", "principle.apply-beyond-minimum", True),
        ("should we apply social value to goods contracts", "principle.apply-beyond-minimum", False),
        ("do we have to apply social value to goods contracts", "legal.scope-services", False),
    ],
)
def test_a_question_on_what_the_law_requires_lowers_only_the_entries_that_are_not_legal(
    matcher: Matcher, kb: KnowledgeBase, question: str, entry: str, lowered: bool
) -> None:
    _assert_lowered_by(matcher, kb, "obligation_not_legal", question, entry, lowered)


def test_must_we_score_it_is_the_duty_not_the_tick_box(matcher: Matcher) -> None:
    assert matcher.ask("must we score social value or is thinking about it enough").best.entry.id == (
        "legal.duty-to-consider"
    )


def test_a_place_named_outweighs_the_askers_nation(matcher: Matcher, kb: KnowledgeBase) -> None:
    # A Welsh officer asking about Leeds City Council is not asking about the Welsh Act.
    question = "what is our social value duty as leeds city council"
    welsh_act = "legal.wales-socially-responsible-procurement"
    answer = matcher.ask(question, user_nation="Wales")
    assert answer.nation == "England" and welsh_act not in [m.entry.id for m in answer.matches]
    placeless = Matcher(replace(kb, matching=kb.matching.model_copy(update={"nation_places": {}})))
    assert welsh_act in [m.entry.id for m in placeless.ask(question, user_nation="Wales").matches]


@pytest.mark.parametrize(
    ("question", "nation"),
    [
        ("social value duty for a council in gwynedd", "Wales"),
        ("community benefits at fife council", "Scotland"),
        ("does the act cover a contract for hackney", "England"),
        ("what about a council in newport and one in leeds", None),  # two nations: none leads
    ],
)
def test_a_place_names_its_nation(matcher: Matcher, question: str, nation: str | None) -> None:
    assert matcher.ask(question).nation == nation


def test_places_in_two_nations_leave_out_the_askers_nation(matcher: Matcher) -> None:
    question = "what is our social value duty for councils in newport and leeds"
    scores = [{m.entry.id: m.score for m in matcher.ask(question, user_nation=n).matches} for n in ("Wales", None)]
    assert scores[0] == scores[1] and "legal.wales-socially-responsible-procurement" in scores[0]


# "do we have to think about social value for a 50k cleaning contract" asks whether the duty reaches
# this contract, which the thresholds decide; a value-tied question about another duty does not.
@pytest.mark.parametrize(
    "question",
    [
        "do we have to think about social value for a 50k cleaning contract?",
        "does the act apply to our £300k cleaning contract?",
    ],
)
def test_whether_the_duty_reaches_a_contract_of_a_value_is_the_thresholds(matcher: Matcher, question: str) -> None:
    assert matcher.ask(question).best.entry.id == "legal.thresholds"


@pytest.mark.parametrize(
    ("question", "entry", "raised"),
    [
        ("do we have to think about social value for a 50k cleaning contract?", "legal.thresholds", True),
        ("do we have to think about social value for a cleaning contract?", "legal.duty-to-consider", False),
        ("is there a legal requirement for KPIs on contracts over £5m", "legal.thresholds", False),
        ("does the procurement act apply to our £60k service", "legal.thresholds", False),
        ("does the act apply to our £300k cleaning contract?", "legal.relevance-proportionality", False),
    ],
)
def test_only_a_question_on_the_duty_naming_a_sum_raises_the_thresholds(
    matcher: Matcher, kb: KnowledgeBase, question: str, entry: str, raised: bool
) -> None:
    without = Matcher(replace(kb, matching=kb.matching.model_copy(update={"value_question": 0.0})))
    expected = _score(without, question, entry) * (1 + kb.matching.value_question if raised else 1.0)
    assert _score(matcher, question, entry) == pytest.approx(min(expected, 1.0))
    if raised:
        assert _score(matcher, question, entry) > _score(without, question, entry)
