"""A message that is only a link is read as what the link points to (legislation.gov.uk, GOV.UK)."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import KnowledgeBase
from bot.matching.links import LinkReader, link_key
from bot.matching.matcher import Matcher

ACT_S1 = "https://www.legislation.gov.uk/ukpga/2012/3/section/1"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (ACT_S1, "legislation.gov.uk/ukpga/2012/3/section/1"),
        ("http://legislation.gov.uk/ukpga/2012/3/section/1/enacted", "legislation.gov.uk/ukpga/2012/3/section/1"),
        ("https://www.legislation.gov.uk/ukpga/2012/3/contents).", "legislation.gov.uk/ukpga/2012/3"),
        ("https://www.GOV.UK/guidance/x/?utm=1#part", "gov.uk/guidance/x"),
        ("not a link", None),
    ],
)
def test_link_key(url: str, key: str | None) -> None:
    assert link_key(url) == key


@pytest.fixture(scope="module")
def links(kb: KnowledgeBase) -> LinkReader:
    return LinkReader(kb.entries)


def test_an_address_a_source_cites_reads_as_its_title(links: LinkReader) -> None:
    assert links.read(ACT_S1).startswith("Public Services (Social Value) Act 2012, s.1")


def test_an_address_inside_a_cited_document_reads_as_the_document_and_its_provision(links: LinkReader) -> None:
    read = links.read("https://www.legislation.gov.uk/ukpga/2012/3/section/3")
    assert read.startswith("Public Services (Social Value) Act 2012") and read.endswith("section 3")
    assert links.read("https://www.legislation.gov.uk/ukpga/2012/3").startswith("Public Services (Social Value) Act")


def test_an_unknown_address_keeps_only_what_its_path_says(links: LinkReader) -> None:
    assert links.read("https://www.legislation.gov.uk/ukpga/1999/99/section/149") == "section 149"
    assert links.read("https://example.org/news/item") == ""


def test_a_bare_link_to_the_act_is_answered(matcher: Matcher) -> None:
    for message in (ACT_S1, f"<{ACT_S1}>", f"what's this? {ACT_S1}"):
        answer = matcher.ask(message)
        assert answer.answered and not answer.off_topic, message
        assert answer.best.entry.id in {"legal.act-overview", "legal.duty-to-consider", "legal.scope-services"}
        assert answer.link.startswith("Public Services (Social Value) Act 2012")
        assert answer.as_json()["link"] == answer.link


def test_a_link_beside_a_question_leaves_the_question_alone(matcher: Matcher) -> None:
    question = "can we insist suppliers pay the real living wage"
    alone, with_link = matcher.ask(question), matcher.ask(f"{question} {ACT_S1}")
    assert [m.entry.id for m in with_link.matches] == [m.entry.id for m in alone.matches]
    assert with_link.link is None


def test_an_unknown_link_alone_is_still_outside(matcher: Matcher) -> None:
    answer = matcher.ask("https://example.org/some/page")
    assert not answer.answered and answer.link is None


def test_ask_says_how_the_link_was_read(run) -> None:
    out = run("ask", "--no-log", ACT_S1).stdout
    assert "Read the link as" in out and "outside what I cover" not in out


PPN_002 = "https://www.gov.uk/government/publications/ppn-002-taking-account-of-social-value-in-the-award-of-contracts"
PPN_002_WORDS = "ppn 002 taking account of social value in the award of contracts"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        # A publication page above the cited ones: its own words, not the publisher its sources share.
        (PPN_002, PPN_002_WORDS),
        # A page of it no source cites: the page's words, the publication's as far as the page leaves them out.
        (f"{PPN_002}/annex-a-html", f"{PPN_002_WORDS} annex a"),
        (
            f"{PPN_002}/ppn-002-taking-account-of-social-value-in-the-award-of-contracts-html",
            PPN_002_WORDS,
        ),
        (
            "https://www.gov.uk/guidance/reserving-below-threshold-procurements?x=1",
            "reserving below threshold procurements",
        ),
        (
            "https://assets.publishing.service.gov.uk/media/65c4a1/PPN_002_Social_Value_Model.pdf",
            "ppn 002 social value model",
        ),
        ("https://www.finance-ni.gov.uk/publications/ppn-01-21-scoring-social-value", "ppn 01 21 scoring social value"),
        ("https://www.gov.uk/government/organisations", ""),  # nothing in words
    ],
)
def test_a_government_address_reads_as_the_words_of_its_path(links: LinkReader, url: str, words: str) -> None:
    assert links.read(url) == words


def test_a_cited_publication_page_still_reads_as_its_source(links: LinkReader, kb: KnowledgeBase) -> None:
    cited = next(s for e in kb.entries for s in e.sources if s.url and s.url.startswith(f"{PPN_002}/"))
    assert links.read(cited.url) == cited.title


@pytest.mark.parametrize(
    "message",
    [
        PPN_002,
        f"{PPN_002}/ppn-002-taking-account-of-social-value-in-the-award-of-contracts-html",
        f"what's this? <{PPN_002}>",
        f"does this apply to councils? {PPN_002}",
    ],
)
def test_a_link_to_a_publication_is_answered(matcher: Matcher, message: str) -> None:
    answer = matcher.ask(message)
    assert answer.answered and not answer.off_topic, message
    assert answer.best.entry.id == "legal.social-value-model", message
    assert answer.link.startswith("ppn 002 taking account of social value")


@pytest.mark.parametrize(
    "question",
    [
        "should we split this contract into lots to help SMEs",
        "does the act make us deliver social value or just think about it",
    ],
)
def test_a_link_beside_a_question_about_something_else_is_left_out(matcher: Matcher, question: str) -> None:
    alone, with_link = matcher.ask(question), matcher.ask(f"{question} {PPN_002}")
    assert [(m.entry.id, m.score) for m in with_link.matches] == [(m.entry.id, m.score) for m in alone.matches]
    assert with_link.link is None


def test_a_labelled_link_is_named_by_its_label(matcher: Matcher) -> None:
    answer = matcher.ask(f"does this apply to councils? <{PPN_002}|PPN 002>")
    assert answer.answered and answer.best.entry.id == "legal.social-value-model"
    assert answer.link is None


def test_ask_reads_a_publication_link_for_the_question_about_it(run) -> None:
    out = run("ask", "--no-log", f"does this apply to councils? {PPN_002}").stdout
    assert f'Read the link as "{PPN_002_WORDS}"' in out
    assert "I'm not sure" not in out


@pytest.mark.parametrize(
    "asked", ["can someone explain this in normal words", "summarise it for me please", "can you give me the gist"]
)
def test_asking_for_a_link_in_other_words_points_at_it(matcher: Matcher, asked: str) -> None:
    message = f"{ACT_S1} {asked}"
    assert not matcher.ask(asked).answered
    answer = matcher.ask(message)
    assert answer.link is not None and answer.best.entry.id in {"legal.act-overview", "legal.duty-to-consider"}


@pytest.mark.parametrize("message", ["https://www.acas.org.uk/tupe", "what's this? <https://www.acas.org.uk/tupe>"])
def test_a_link_naming_a_subject_svbot_does_not_cover_is_outside(matcher: Matcher, message: str) -> None:
    """No source explains the address, but its words still name the subject, and who to ask about it."""
    answer = matcher.ask(message)
    assert not answer.answered and answer.off_topic
    assert answer.outside is not None and "TUPE" in answer.outside.topic and answer.outside.ask


def test_a_links_words_only_veto_as_the_questions_own_would(matcher: Matcher) -> None:
    """A question naming social value is not made outside by a link's words, and a link naming nothing is not."""
    assert matcher.ask("social value in a contract with staff transfers https://www.acas.org.uk/tupe").outside is None
    assert matcher.ask("https://example.org/guide").outside is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gov.uk/government/publications/procurement-policy-note-0620-taking-account-of-social-value-in-the-award-of-central-government-contracts",
        "https://www.gov.uk/government/publications/ppn-0620-taking-account-of-social-value",
    ],
)
def test_a_ppn_numbered_in_its_address_reads_as_the_ppn(matcher: Matcher, url: str) -> None:
    answer = matcher.ask(url)
    assert "06/20" in answer.link
    assert answer.answered and answer.best.entry.id in {"legal.social-value-model", "legal.award-criteria-weighting"}
