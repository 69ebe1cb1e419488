"""Cleaning Slack text and applying the glossary."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import GlossaryFile, GlossaryTerm
from bot.matching.normalise import MAX_QUESTION_CHARS, MAX_WORDS, Normaliser, canonical_token, clean
from bot.paths import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    kb = load_knowledge(KNOWLEDGE_DIR)
    return Normaliser(kb.glossary, kb.matching.stopwords)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U123ABC> what is the threshold?", "what is the threshold"),
        ("<@U123ABC|jo> hello", "hello"),
        ("ask in <#C024BE7LR|general> please", "ask in general please"),
        ("ask in <#C024BE7LR> please", "ask in please"),
        ("read <https://example.org/guide?a=1&b=2|the guidance> now", "read the guidance now"),
        ("read <https://example.org/guide> now", "read now"),
        ("<mailto:jo@example.org|email Jo> today", "email jo today"),
        ("<!channel> heads up", "heads up"),
        ("<!here> anyone?", "anyone"),
        ("<!subteam^S0123|@procurement-team> ping", "ping"),
        ("see https://www.gov.uk/guidance/ppn-002 for more", "see for more"),
    ],
)
def test_slack_markup(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (":wave: hi :slightly_smiling_face: there :+1:", "hi there"),
        ("thanks :pray::skin-tone-2:", "thanks"),
        ("great 😀 ☃ stuff", "great stuff"),
    ],
)
def test_emoji(text: str, expected: str) -> None:
    assert clean(text) == expected


def test_html_entities() -> None:
    assert clean("fish &amp; chips &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot; &#39;x&#39;") == (
        "fish chips b bold b quoted x"
    )


def test_punctuation_and_apostrophes() -> None:
    text = "What's the council’s view?! (s.1(3)) -- e-mail / SME's"
    assert clean(text) == "whats the councils view s 1 3 e mail smes"


def test_accents_and_compatibility_forms() -> None:
    assert clean("Café in Ynys Môn, naïve façade") == "cafe in ynys mon naive facade"
    assert clean("ＦＵＬＬ width ﬁnance Straße") == "full width finance strasse"


def test_zero_width_and_direction_characters() -> None:
    # Invisible inside a word, so read as nothing: the word looks whole.
    assert clean("pro\u200bcure\u200dment act") == "procurement act"
    assert clean("social\u00a0value\u2003act") == "social value act"  # no-break and em spaces are spaces
    assert clean("abc\u202eevil\u202c def\u2066x\u2069") == "abc evil def x"
    assert clean("\ufeffbom start") == "bom start"


def test_control_characters() -> None:
    assert clean("line one\x00\x07\x1b[31mred\r\nline two") == "line one 31mred line two"


def test_only_lowercase_letters_digits_and_single_spaces() -> None:
    out = clean("  MIXED\tCase\n\n  and   £1.2m — 10% ")
    assert out == "mixed case and 1 2m 10"


@pytest.mark.parametrize(
    "text",
    [
        "£216,000",
        "£ 216000",
        "210k",
        "210K",
        "£60k",
        "£1.2m",
        "1.2m",
        "5m",
        "£5 million",
        "£2bn",
        "5 million pounds",
        "250000 GBP",
        "£90",
    ],
)
def test_sums_of_money_become_one_word(normaliser: Normaliser, text: str) -> None:
    assert clean(f"a {text} contract", money=True) == "a pounds contract"
    assert "pounds" in normaliser.canonical_words(f"a {text} contract")
    assert clean(f"a {text} contract") != "a pounds contract"  # only the matcher reads figures as money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 2026 order", "the 2026 order"),
        ("20% weighting", "20 weighting"),
        ("s.1(3)", "s1 3"),
        ("6 months", "6 months"),
        ("PPN 002", "ppn 002"),
        ("3 bids", "3 bids"),
    ],
)
def test_other_figures_stay(text: str, expected: str) -> None:
    assert clean(text, money=True) == expected


@pytest.mark.parametrize("text", ["s.52", "s52", "s 52", "S. 52", "section 52", "Section 52", "ss.52"])
def test_a_section_is_one_word_however_it_is_written(text: str) -> None:
    assert clean(f"does {text} apply", money=True) == "does s52 apply"


def test_only_the_matcher_joins_a_section() -> None:
    assert clean("section 52 and s.1(3)") == "section 52 and s 1 3"


@pytest.mark.parametrize("text", ["its 52 weeks", "sections 5", "items 52", "52s"])
def test_other_numbers_after_an_s_are_not_sections(text: str) -> None:
    assert "s52" not in clean(text, money=True) and "s5" not in clean(text, money=True).split()


def test_a_question_citing_a_section_finds_the_entry_citing_it(matcher) -> None:
    assert matcher.ask("s52?").best.entry.id == "legal.kpis-and-transparency"


@pytest.mark.parametrize("text", ["", "   ", "?!...", ":wave:", "<@U1>", "\u200b\u200b"])
def test_nothing_left(text: str) -> None:
    assert clean(text) == ""


def test_very_long_input_is_truncated() -> None:
    words = clean("word " * 5000)
    assert len(words.split()) == MAX_WORDS == 400
    long_word = clean("a" * 100_000)
    assert len(long_word) == MAX_QUESTION_CHARS * 2


def test_knowledge_is_read_whole() -> None:
    text = "word " * 5000 + "last"
    assert clean(text, whole=True).split() == ["word"] * 5000 + ["last"]


def test_canonical_token() -> None:
    assert canonical_token("Living Wage") == "living_wage"
    assert canonical_token("social value act") == "social_value_act"


def test_spelling_fixes(normaliser: Normaliser) -> None:
    assert normaliser.canonical_words("procurment threshhold") == ["procurement", "threshold"]
    assert normaliser.canonical_words("organization program") == ["organisation", "programme"]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("third sector organisations", "vcse"),
        ("working with the voluntary sector", "vcse"),
        ("Not-for-profit providers", "vcse"),
        ("small businesses", "sme"),
        ("the Social Value Act", "social_value_act"),
        ("real living wage", "living_wage"),
        ("CBRs on a Scottish contract", "community_benefit"),
    ],
)
def test_synonyms_become_one_token(normaliser: Normaliser, text: str, token: str) -> None:
    assert token in normaliser.canonical_words(text)
    assert token in normaliser.terms(text)


def test_synonyms_apply_after_spelling_fixes(normaliser: Normaliser) -> None:
    glossary = GlossaryFile(
        terms=[GlossaryTerm(term="vcse", meaning="x", variants=["third sector"])],
        spellings={"secter": "sector"},
    )
    assert Normaliser(glossary).canonical_words("the third secter") == ["the", "vcse"]


def test_longest_phrase_wins(normaliser: Normaliser) -> None:
    # "social value act" must not be split into "social_value" + "act".
    assert normaliser.canonical_words("social value act") == ["social_value_act"]


def test_terms_drop_stopwords_and_stem(normaliser: Normaliser) -> None:
    assert normaliser.terms("what are the thresholds for contracts") == ["threshold", "contract"]


def test_a_stopword_of_several_words_drops_only_that_phrase() -> None:
    """ "in short" says how to answer, not what about; "short notice" keeps its "short"."""
    plain = Normaliser(GlossaryFile(), ["in", "the", "what", "in short"])
    assert plain.terms("what is the act, in short?") == ["is", "act"]
    assert plain.terms("a contract at short notice") == ["contract", "at", "short", "notic"]
    assert Normaliser(GlossaryFile(), ["in"]).terms("the act in short") == ["the", "act", "short"]


def test_a_glossary_phrase_wins_over_a_stopword_phrase() -> None:
    glossary = GlossaryFile(terms=[GlossaryTerm(term="in short", meaning="x")])
    assert Normaliser(glossary, ["in short"]).terms("in short") == ["in_short"]


def test_the_shipped_stopwords_leave_in_short_out(normaliser: Normaliser) -> None:
    assert normaliser.terms("what does the social value act require, in short?") == ["social_value_act", "requir"]
    assert "english" not in normaliser.canonical_words("the urgency exception in plain english")


def test_terms_keep_digits(normaliser: Normaliser) -> None:
    assert normaliser.terms("the 10 percent weighting from 2025") == ["10", "percent", "weight", "2025"]


def test_empty_glossary() -> None:
    plain = Normaliser(GlossaryFile())
    assert plain.canonical_words("Third Sector") == ["third", "sector"]


@pytest.mark.parametrize("text", ["is it enough that we thought about it", "we must take into account", "considered"])
def test_everyday_words_for_the_duty_read_as_consider(normaliser: Normaliser, text: str) -> None:
    assert normaliser.terms("consider") == ["consid"]
    assert "consid" in normaliser.terms(text)


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("we're a Glasgow council", "scotland"),
        ("an Edinburgh housing association", "scotland"),
        ("we're in Cardiff", "wales"),
        ("a Swansea school", "wales"),
        ("HSC trust in Belfast", "northern_ireland"),
        ("a Derry council", "northern_ireland"),
    ],
)
def test_a_nations_cities_name_the_nation(normaliser: Normaliser, text: str, token: str) -> None:
    assert token in normaliser.canonical_words(text)


def test_a_longer_phrase_starting_inside_a_shorter_one_wins(normaliser: Normaliser) -> None:
    # "not relevant" is the tick-box answer, but not when it is about the subject matter.
    assert normaliser.canonical_words("officers say it's not relevant to the subject matter") == [
        "officers", "say", "its", "not", "subject_matter",
    ]  # fmt: skip
    assert normaliser.canonical_words("we put not relevant on the form") == [
        "we",
        "put",
        "not_applicable",
        "on",
        "the",
        "form",
    ]
    glossary = GlossaryFile(
        terms=[
            GlossaryTerm(term="ab", meaning="x", variants=["a b"]),
            GlossaryTerm(term="bcd", meaning="x", variants=["b c d"]),
            GlossaryTerm(term="bc", meaning="x", variants=["b c"]),
        ]
    )
    plain = Normaliser(glossary)
    assert plain.canonical_words("a b c d") == ["a", "bcd"]  # longer, and runs past "a b"
    assert plain.canonical_words("a b c") == ["ab", "c"]  # "b c" is no longer than "a b": first wins


def test_small_numbers_in_words_are_figures(normaliser: Normaliser) -> None:
    assert normaliser.terms("the three strands") == normaliser.terms("the 3 strands") == ["3", "strand"]
    assert normaliser.terms("two stages") == normaliser.terms("2 stages")
    assert normaliser.terms("the 4 nations") == ["nation"]  # "4" is text speak for "for"


@pytest.mark.parametrize("filler", ["basically", "exactly", "literally", "honestly", "tbh"])
def test_filler_words_say_nothing(normaliser: Normaliser, filler: str) -> None:
    assert normaliser.terms(f"is that {filler} social value") == normaliser.terms("is that social value")
