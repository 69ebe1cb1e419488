"""Every format of the decision record carries the same facts (they all render build_record's data).

Each format is read back the way its reader would: Markdown with its escapes
undone, HTML with html.parser, CSV with csv, JSON with json, Word with python-docx.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from rich_records import PEOPLE

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistService
from bot.core import Svbot

KINDS = ("complete", "deferred", "withdrawn")


@pytest.fixture(scope="module")
def service(shared_app: Svbot) -> ChecklistService:
    return shared_app.checklists


# Reading each format back -----------------------------------------------------------------------


def read_md(data: bytes) -> str:
    text = data.decode("utf-8")
    text = re.sub(r"^> ?", "", text, flags=re.MULTILINE)  # quoted reasons
    return re.sub(r"\\(.)", r"\1", text)  # Markdown escapes undone


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def read_html(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return "".join(parser.parts)


def read_csv(data: bytes) -> str:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return "\n".join(cell.removeprefix("'") for row in rows for cell in row)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def read_json(data: bytes) -> str:
    return "\n".join(_strings(json.loads(data)))


def read_docx(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    return "\n".join(
        "".join("\n" if t.tag == qn("w:br") else t.text or "" for t in p.iter(qn("w:t"), qn("w:br")))
        for p in body.iter(qn("w:p"))
    )


READERS: dict[str, Callable[[bytes], str]] = {
    "md": read_md,
    "html": read_html,
    "csv": read_csv,
    "json": read_json,
    "docx": read_docx,
}
DOCUMENTS = ("md", "html", "docx")


# The facts -------------------------------------------------------------------------------------


def facts(record: dict[str, Any]) -> list[str]:
    """What every format must say: details, people, each answer in full, disputes, the outcome."""
    out = [record["id"], record["title"], record["reference"], record["value"], record["buying"]]
    out += [record["created_by_name"], record["decision_maker_name"], record["decision_maker_role"]]
    out += [record["knowledge"]["fingerprint"], record["chain"]["digest"]]
    for answer in record["history"]:
        out += [answer["reasons"], answer["decision"], answer["author_name"]]
        for note in (answer["dispute"], answer["resolution"]):
            if note:
                out += [note["note"], note["by_name"]]
    if record["sign_off"]:
        out += [record["sign_off"]["by_name"], record["sign_off"]["at"][:10]]
    if record["timing"]["starts_on"]:
        out.append(record["timing"]["starts_on"])
    if record["withdrawal"]:
        out.append(record["withdrawal"]["reason"])
    if record["deferral"]:
        out += [record["deferral"]["waiting_for"], record["deferral"]["revisit_on"]]
    return [f for f in out if f]


def document_facts(record: dict[str, Any]) -> list[str]:
    """What the documents add for a reader: questions, labels, the guidance in front of the team."""
    out = [step["question"] for step in record["steps"]]
    out += [step["decision_label"] for step in record["steps"] if step["decision_label"]]
    out += [e["title"] for e in record["cited_entries"]]
    out += [e["short_answer"] for step in record["steps"] for e in step["cites"]]
    out += [p for a in record["history"] for p in a["problems"]]
    return out


def missing(text: str, wanted: list[str]) -> list[str]:
    """Facts not in the text; a fact with line breaks may be laid out a line at a time."""
    return [f for f in wanted if not all(line.strip() in text for line in str(f).splitlines() if line.strip())]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", list(READERS))
def test_every_format_carries_the_same_facts(
    service: ChecklistService, ids: dict[str, str], kind: str, fmt: str
) -> None:
    record = service.record(ids[kind], names=PEOPLE.get)
    text = READERS[fmt](service.export_bytes(ids[kind], fmt, names=PEOPLE.get))
    wanted = facts(record) + (document_facts(record) if fmt in DOCUMENTS else [])
    assert missing(text, wanted) == []


def test_the_facts_include_every_kind_of_thing(service: ChecklistService, ids: dict[str, str]) -> None:
    """The checklists above really hold what the comparison is meant to cover."""
    record = service.record(ids["complete"])
    statuses = {a["status"] for a in record["history"]}
    assert statuses == {"accepted", "refused", "disputed", "upheld"}
    assert any(a["superseded_by"] for a in record["history"] if a["status"] == "accepted")
    assert {d["outcome"] for d in record["disputes"]} == {"upheld", "superseded"}
    assert record["timing"]["late_sign_off"] and record["status"] == "complete"
    assert any("\n" in a["reasons"] for a in record["history"])
    assert all(c in record["title"] for c in '&<>|*_"£')
    assert service.record(ids["deferred"])["status"] == "deferred"
    assert service.record(ids["withdrawn"])["status"] == "withdrawn"


@pytest.mark.parametrize("kind", KINDS)
def test_step_states_agree_across_formats(service: ChecklistService, ids: dict[str, str], kind: str) -> None:
    record = service.record(ids[kind], names=PEOPLE.get)
    labels = service.app.renderer.strings("checklist/labels.txt.j2").step_status
    rows = list(csv.DictReader(io.StringIO(service.export(ids[kind], "csv").removeprefix("\ufeff"))))
    current = {r["step"]: r["answer_status"] for r in rows if r["kind"] == "current"}
    data = json.loads(service.export(ids[kind], "json"))
    assert current == {s["id"]: s["status"] for s in data["steps"]} == {s["id"]: s["status"] for s in record["steps"]}
    summaries = {
        "md": [line for line in service.export(ids[kind], "md").splitlines() if re.match(r"\| \d\. ", line)],
        "docx": [
            " | ".join(c.text for c in row.cells)
            for row in Document(io.BytesIO(service.export_bytes(ids[kind], "docx"))).tables[1].rows[1:]
        ],
        "html": re.findall(r"<tr><th scope=\"row\">\d\. .*?</tr>", service.export(ids[kind], "html")),
    }
    for fmt, lines in summaries.items():
        assert len(lines) == len(record["steps"]), fmt
        for line, step in zip(lines, record["steps"], strict=True):
            assert labels[step["status"]].replace("'", "&#39;" if fmt == "html" else "'") in line, (fmt, step["id"])


# Who overrode the checker ------------------------------------------------------------------------

OWN_DISPUTE = "(self-upheld: who had also disputed it)"
WORDED = [f for f in READERS if f != "json"]  # JSON carries it as resolution.own_dispute


def _own_dispute(service: ChecklistService) -> str:
    own = service.new(ChecklistDetails("Office cleaning, one site", decision_maker="sole-officer"), "sole-officer")
    refused = service.answer(own, "outcomes", "none-relevant", "Not relevant.", "sole-officer")
    service.dispute(own, refused.answer.id, "One office of four staff; nothing local to add.", "sole-officer")
    service.resolve_dispute(own, refused.answer.id, "I accept it: one small office.", "sole-officer")
    return own


@pytest.mark.parametrize("fmt", WORDED)
def test_accepting_one_s_own_dispute_is_said_in_every_format(service: ChecklistService, fmt: str) -> None:
    own = _own_dispute(service)
    # Beside the step's accepted answer and in the list of disputes (CSV: current and history rows).
    assert READERS[fmt](service.export_bytes(own, fmt)).count(OWN_DISPUTE) >= 2


def test_accepting_one_s_own_dispute_in_json_and_checklist_show(service: ChecklistService) -> None:
    own = _own_dispute(service)
    record = json.loads(service.export(own, "json"))
    assert record["disputes"][0]["resolution"]["own_dispute"] is True
    assert record["steps"][1]["resolution"]["own_dispute"] is True
    shown = service.app.renderer.render("checklist/show.txt.j2", record=service.record(own))
    assert f"accepted by sole-officer {OWN_DISPUTE} over the checker's objection" in shown


@pytest.mark.parametrize("fmt", list(READERS))
def test_a_decision_maker_accepting_the_team_s_dispute_is_not_flagged(service: ChecklistService, fmt: str) -> None:
    other = service.new(ChecklistDetails("Office cleaning, two sites", decision_maker="dora"), "alice")
    refused = service.answer(other, "outcomes", "none-relevant", "Not relevant.", "bob")
    service.dispute(other, refused.answer.id, "Two offices of four staff; nothing local to add.", "bob")
    service.resolve_dispute(other, refused.answer.id, "Accepted: two small offices.", "dora")
    assert service.record(other)["disputes"][0]["resolution"]["own_dispute"] is False
    assert OWN_DISPUTE not in READERS[fmt](service.export_bytes(other, fmt))
