"""The decision record as a Word document (.docx), rendered from ``build_record``'s data.

Most councils attach a Word file to the procurement file, and downloadable
documents fall under the public sector accessibility regulations, so the
document uses real Heading styles in order, tables with a marked header row
that repeats on each page, a title and en-GB language in its properties and
styles (Word's proofing language), and states everything in words. The words
come from ``prompts/checklist/record_words.txt.j2``, shared with the HTML record.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.render import plain

LANGUAGE = "en-GB"
# Elements that must follow w:lang inside w:rPr (the schema fixes the order; Word is strict).
_AFTER_LANG = {qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath")}
_STYLE_IDS: dict[str, str] = {}


def docx_bytes(record: dict[str, Any], words: Any) -> bytes:
    """The record as a .docx file's bytes. ``words``: the record_words template module."""
    doc = Document()
    _set_up(doc, record, words)
    _write(doc, record, words)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_up(doc: DocxDocument, record: dict[str, Any], words: Any) -> None:
    props = doc.core_properties
    props.title = _text(words.title(record))
    props.subject = _text(words.subject)
    props.author = _text(record["created_by_name"])
    props.language = LANGUAGE
    props.keywords = "social value; decision record"
    props.comments = _text(words.footer(record))
    _set_language(doc)
    section = doc.sections[0]
    # A4 with 2 cm margins: the paper a UK procurement file is printed on.
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))


def _set_language(doc: DocxDocument) -> None:
    """en-GB on the document defaults, on every style and in the settings, so Word proofs in British English."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _lang(rpr)
    for style in doc.styles:
        if style.type is not None and style.element.find(qn("w:name")) is not None:
            _lang(style.element.get_or_add_rPr())
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    # The template claims it has been proofed already; let Word check it in en-GB.
    proof = settings.find(qn("w:proofState"))
    if proof is not None:
        settings.remove(proof)


def _lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        follower = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if follower is not None:
            follower.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _write(doc: DocxDocument, record: dict[str, Any], words: Any) -> None:
    _heading(doc, _text(words.title(record)), 1)
    _notices(doc, record, words)
    _heading(doc, words.headings["procurement"], 2)
    rows = [[label, words.detail(key, record)] for key, label in words.detail_rows]
    _table(doc, words.captions["procurement"], words.detail_columns, rows)
    doc.add_paragraph(words.intro)
    _heading(doc, words.headings["summary"], 2)
    summary = [
        [
            words.step_cell(step, n),
            step["decision_label"] or "",
            words.step_status(step),
            step["author_name"] or "",
            words.stamp(step["at"]),
        ]
        for n, step in enumerate(record["steps"], 1)
    ]
    _table(doc, words.captions["summary"], words.summary_columns, summary)
    for n, step in enumerate(record["steps"], 1):
        _step(doc, step, n, words)
    _disputes(doc, record, words)
    _heading(doc, words.headings["cited"], 2)
    for entry in record["cited_entries"] or [None]:
        _styled(doc, _text(words.cited(entry) if entry else words.nothing), "List Bullet")
    _history(doc, record, words)
    doc.add_paragraph(_text(words.footer(record)))


def _notices(doc: DocxDocument, record: dict[str, Any], words: Any) -> None:
    """What a reader must see first: a late sign-off, a withdrawal, a deferral."""
    if record["timing"]["late_sign_off"]:
        _labelled(doc, words.late_label, words.late(record))
    if record["withdrawal"]:
        _labelled(doc, words.withdrawn_label, words.withdrawn(record))
    if record["deferral"]:
        _labelled(doc, words.deferred_label, words.deferred(record))


def _step(doc: DocxDocument, step: dict[str, Any], number: int, words: Any) -> None:
    labels = words.step_labels
    _heading(doc, _text(words.step_heading(step, number)), 2)
    _labelled(doc, labels["question"], step["question"])
    _labelled(doc, labels["duty"], step["duty"])
    if step["status"] == "open":
        _labelled(doc, labels["status"], words.not_answered)
    else:
        _labelled(doc, labels["decision"], words.step_decision(step))
        _labelled(doc, labels["status"], words.step_status(step))
        _labelled(doc, labels["reasons"], "")
        _quote(doc, step["reasons"])
        _labelled(doc, labels["recorded"], words.step_recorded(step))
        if step["revisit_on"]:
            _labelled(doc, labels["revisit"], step["revisit_on"])
        if step["dispute"]:
            _labelled(doc, labels["disputed"], words.person_at(step["dispute"]) + ":")
            _quote(doc, step["dispute"]["note"])
        if step["contradicts"] or step["objection"]:
            _labelled(doc, labels["objection"], words.objection(step))
        if step["resolution"]:
            _labelled(doc, labels["resolution"], words.person_at(step["resolution"]) + ":")
            _quote(doc, step["resolution"]["note"])
        if step["scope"]:
            _labelled(doc, labels["scope"], words.scope_finder(step))
        if step["knowledge"]:
            _labelled(doc, labels["knowledge"], words.step_knowledge(step))
    if step["cites"]:
        _heading(doc, labels["guidance" if step["cites_as_answered"] else "guidance_now"], 3)
        for entry in step["cites"]:
            _styled(doc, _text(words.cite(entry)), "List Bullet")


def _disputes(doc: DocxDocument, record: dict[str, Any], words: Any) -> None:
    _heading(doc, words.headings["disputes"], 2)
    for dispute in record["disputes"] or [None]:
        _styled(doc, _text(words.dispute(dispute) if dispute else words.nothing), "List Bullet")


def _history(doc: DocxDocument, record: dict[str, Any], words: Any) -> None:
    _heading(doc, words.headings["history"], 2)
    doc.add_paragraph(words.history_intro)
    rows = [
        [str(a["id"]), words.stamp(a["at"]), a["step"], a["decision"], a["author_name"], words.outcome(a)]
        for a in record["history"]
    ]
    _table(doc, words.captions["history"], words.history_columns, rows)
    _heading(doc, words.headings["answers"], 3)
    for a in record["history"]:
        _heading(doc, _text(words.answer_heading(a)), 4)
        doc.add_paragraph(_text(words.answer_by(a)))
        _quote(doc, a["reasons"])
        if a["problems"]:
            doc.add_paragraph(words.checker_said)
            for problem in a["problems"]:
                _styled(doc, _text(problem), "List Bullet")
        if a["dispute"]:
            _labelled(doc, words.answer_disputed, words.person_at(a["dispute"]) + ":")
            _quote(doc, a["dispute"]["note"])
        if a["resolution"]:
            _labelled(doc, words.answer_upheld, words.person_at(a["resolution"]) + ":")
            _quote(doc, a["resolution"]["note"])
    if not record["history"]:
        doc.add_paragraph(words.no_answers)


def _heading(doc: DocxDocument, text: str, level: int) -> Paragraph:
    return _styled(doc, text, f"Heading {level}")


def _styled(doc: DocxDocument, text: str, style: str) -> Paragraph:
    """A paragraph in a named style, set by the style's id: python-docx's lookup by name
    rescans every style for each paragraph (about 10 ms each, most of a record's time)."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = _style_id(doc, style)
    return paragraph


def _style_id(doc: DocxDocument, style: str) -> str:
    # Every record starts from python-docx's default template, so a style's id never changes.
    if style not in _STYLE_IDS:
        _STYLE_IDS[style] = str(doc.styles[style].style_id)
    return _STYLE_IDS[style]


def _labelled(doc: DocxDocument, label: str, text: str) -> Paragraph:
    """A paragraph that starts with a bold label: the label says what the text is, not its colour."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(_text(label)).bold = True
    if text:
        paragraph.add_run(" " + _text(text))
    return paragraph


def _quote(doc: DocxDocument, text: str | None) -> None:
    """User text as typed, line breaks kept (python-docx turns each newline into a break)."""
    _styled(doc, _text(text or ""), "Quote")


def _table(doc: DocxDocument, caption: str, columns: list[str], rows: list[list[str]]) -> Table:
    """A captioned table whose first row is a real header row, repeated at the top of each page."""
    _styled(doc, _text(caption), "Caption")
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    header = table.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, name in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].add_run(_text(name)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(_text(value))
    _describe_table(table, caption)
    return table


def _describe_table(table: Table, caption: str) -> None:
    """Word's own table title (alt text), read out by screen readers before the table."""
    props = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), _text(caption))
    props.append(title)


def _text(value: object) -> str:
    """Text safe for the document's XML: control characters (which Word cannot store) removed."""
    return plain("" if value is None else value).strip()
