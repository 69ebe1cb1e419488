"""The HTML decision record: one printable, accessible file, every value escaped."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest
from rich_records import PEOPLE, complete_checklist, deferred_checklist

from bot.checklist.service import ChecklistService
from bot.core import Svbot


class Page(HTMLParser):
    """The parts of a page the accessibility checks look at."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self.open.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        for tag in set(self.open):
            self.text[tag][-1] += data

    def all(self, tag: str) -> list[str]:
        return self.text.get(tag, [])


@pytest.fixture(scope="module")
def service(shared_app: Svbot) -> ChecklistService:
    return shared_app.checklists


@pytest.fixture(scope="module")
def checklist_id(service: ChecklistService) -> str:
    return complete_checklist(service)


@pytest.fixture(scope="module")
def html(service: ChecklistService, checklist_id: str) -> str:
    return service.export(checklist_id, "html", names=PEOPLE.get)


def test_the_page_declares_its_language_and_title(service: ChecklistService, checklist_id: str, html: str) -> None:
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en-GB"}) in page.tags
    title = "Social value decision record: " + service.record(checklist_id)["title"]
    assert page.all("title") == [title]
    assert page.all("h1") == [title]


def test_user_text_is_escaped(html: str) -> None:
    assert "<north>" not in html and "<Singh>" not in html and "<9f8e>" not in html
    assert "Care &amp; Support &lt;north&gt;" in html
    assert "Dora &lt;Singh&gt;" in html


def test_headings_go_down_one_level_at_a_time(html: str) -> None:
    levels = [int(tag[1]) for tag, _ in Page(html).tags if tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1


def test_tables_have_captions_and_scoped_headers(html: str) -> None:
    page = Page(html)
    tags = [tag for tag, _ in page.tags]
    assert tags.count("table") == tags.count("caption") == tags.count("thead") == 3
    headers = [attrs for tag, attrs in page.tags if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    assert "When (UTC)" in page.all("th")


def test_status_is_in_words_and_the_page_prints(html: str) -> None:
    page = Page(html)
    text = "".join(page.chunks)
    assert "Late sign-off:" in page.all("strong")
    assert "accepted by the decision maker over the checker's objection" in text
    assert "@media print" in html and "thead { display: table-header-group; }" in html


def test_a_deferred_record_says_so(service: ChecklistService) -> None:
    page = Page(service.export(deferred_checklist(service), "html"))
    assert "Deferred:" in page.all("strong")
    assert any("revisit on 2099-02-01" in p for p in page.all("p"))
