"""The Word (.docx) decision record: content from build_record, and accessible structure."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from rich_records import PEOPLE

from bot.checklist.service import ChecklistError, ChecklistService
from bot.core import Svbot


@pytest.fixture(scope="module")
def service(shared_app: Svbot) -> ChecklistService:
    return shared_app.checklists


def word(service: ChecklistService, checklist_id: str) -> DocxDocument:
    return Document(io.BytesIO(service.export_bytes(checklist_id, "docx", names=PEOPLE.get)))


def all_text(doc: DocxDocument) -> str:
    """Every paragraph and table cell, in document order."""
    parts = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append(
                "".join("\n" if t.tag == qn("w:br") else t.text or "" for t in block.iter(qn("w:t"), qn("w:br")))
            )
        elif block.tag == qn("w:tbl"):
            parts.extend(t.text or "" for t in block.iter(qn("w:t")))
    return "\n".join(parts)


def headings(doc: DocxDocument) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith("Heading ")
    ]


def test_the_word_record_carries_every_fact(service: ChecklistService, ids: dict[str, str]) -> None:
    record = service.record(ids["complete"], names=PEOPLE.get)
    doc = word(service, ids["complete"])
    text = all_text(doc)
    assert record["title"] in text and record["value"] in text and record["reference"] in text
    assert "Dora <Singh>, Head of <Facilities> & Estates" in text
    for step in record["steps"]:
        assert step["title"] in text and step["question"] in text and step["decision_label"] in text
    for answer in record["history"]:
        assert answer["reasons"] in text, "every answer in full, line breaks kept"
    first = record["history"][5]
    assert "\n" in first["reasons"] and first["superseded_by"], "the superseded answer, with its line break"
    paragraph = next(p for p in doc.paragraphs if "Line two" in p.text)
    assert paragraph._p.xpath(".//w:br"), "a newline in the reasons is a line break in Word"
    assert f"superseded by #{first['superseded_by']}" in text and "refused by the checker" in text
    assert "Accepted:\nfixed national framework" in text, "the decision maker's note in full"
    assert "accepted by the decision maker over the checker's objection" in text
    assert "ended: the step was revised and the new answer accepted" in text
    for entry in record["cited_entries"]:
        assert entry["short_answer"] in text
    assert record["knowledge"]["fingerprint"] in text
    assert record["chain"]["digest"] in text


def test_a_late_sign_off_is_said_in_words_first(service: ChecklistService, ids: dict[str, str]) -> None:
    doc = word(service, ids["complete"])
    notice = doc.paragraphs[1]
    assert notice.text.startswith("Late sign-off: the decision was signed off on ")
    assert "after the procurement started on 2020-01-01" in notice.text
    assert notice.runs[0].bold, "the label stands out by weight, not colour"
    assert "a late sign-off" in all_text(doc)


def test_deferred_and_withdrawn_records_say_so(service: ChecklistService, ids: dict[str, str]) -> None:
    deferred = all_text(word(service, ids["deferred"]))
    assert "Deferred: by Alice O'Neil & Co" in deferred and "revisit on 2099-02-01" in deferred
    assert "disputed: the team disagrees with the checker" in deferred
    assert "waiting for the decision maker" in deferred, "a pending dispute"
    withdrawn = all_text(word(service, ids["withdrawn"]))
    assert "Withdrawn: on " in withdrawn and "Started twice by mistake; see <9f8e> & co" in withdrawn
    assert "open: not yet answered" in withdrawn


def test_document_language_title_and_styles_are_set(service: ChecklistService, ids: dict[str, str]) -> None:
    doc = word(service, ids["complete"])
    props = doc.core_properties
    assert props.language == "en-GB"
    assert props.title == "Social value decision record: " + service.record(ids["complete"])["title"]
    langs = doc.styles.element.findall(".//" + qn("w:lang"))
    assert langs and {lang.get(qn("w:val")) for lang in langs} == {"en-GB"}
    for name in ("Normal", "Heading 1", "Heading 2", "Quote", "List Bullet"):
        lang = doc.styles[name].element.find(qn("w:rPr") + "/" + qn("w:lang"))
        assert lang is not None and lang.get(qn("w:val")) == "en-GB", name
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "en-GB"


def test_headings_are_real_and_in_order(service: ChecklistService, ids: dict[str, str]) -> None:
    found = headings(word(service, ids["complete"]))
    assert found[0] == (1, "Social value decision record: " + service.record(ids["complete"])["title"])
    assert [level for level, _ in found].count(1) == 1
    for (before, _), (after, text) in itertools.pairwise(found):
        assert after <= before + 1, f"heading level skipped before {text!r}"
    texts = [text for _, text in found]
    for section in ("Procurement", "Summary", "Disputes", "Revision history", "Every answer in full"):
        assert section in texts


def test_tables_have_repeating_header_rows_and_captions(service: ChecklistService, ids: dict[str, str]) -> None:
    doc = word(service, ids["complete"])
    assert len(doc.tables) == 3
    for table in doc.tables:
        header = table.rows[0]
        repeat = header._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader"))
        assert repeat is not None and repeat.get(qn("w:val")) == "true"
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert all(row._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is None for row in table.rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
    summary = doc.tables[1]
    assert [c.text for c in summary.rows[0].cells] == ["Step", "Decision", "Status", "Recorded by", "When (UTC)"]
    statuses = {row.cells[0].text: row.cells[2].text for row in summary.rows[1:]}
    assert statuses["5. Will you consult?"] == "accepted by the decision maker over the checker's objection"
    history = doc.tables[2]
    assert len(history.rows) == 1 + len(service.record(ids["complete"])["history"])


def test_no_colour_carries_meaning(service: ChecklistService, ids: dict[str, str]) -> None:
    body = word(service, ids["complete"]).element.body.xml
    assert not re.search(r"<w:(color|highlight|shd)\b", body), "status is written in words, never coloured"


def test_export_refuses_docx_as_text(service: ChecklistService, ids: dict[str, str]) -> None:
    with pytest.raises(ChecklistError, match="is a file, not text"):
        service.export(ids["complete"], "docx")
    assert service.export_bytes(ids["complete"], "md") == service.export(ids["complete"], "md").encode()
