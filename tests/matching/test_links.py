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
