"""The Markdown, HTML and Word records take their words from one place: record_words.txt.j2.

Each document is read back as its reader would (see test_record_formats) and must
hold every heading, label and sentence the shared words template gives for the
record; and a word changed in that template changes in every document.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich_records import PEOPLE
from test_record_formats import READERS, missing

from bot.checklist.service import RECORD_WORDS, ChecklistService
from bot.core import Svbot
from bot.paths import PROMPTS_DIR
from bot.render import Renderer

DOCUMENTS = ("md", "html", "docx")
KINDS = ("complete", "deferred", "withdrawn")


@pytest.fixture(scope="module")
def service(shared_app: Svbot) -> ChecklistService:
    return shared_app.checklists


def words_for(w: Any, record: dict[str, Any]) -> Iterator[str]:
    """Every string the shared template gives for this record, as the documents must show it."""
    yield str(w.title(record))
    yield from w.headings.values()
    yield from w.detail_columns + w.summary_columns + w.history_columns
    for key, label in w.detail_rows:
        yield label
        yield str(w.detail(key, record))
    yield w.intro
    yield w.history_intro
    yield str(w.footer(record))
    if record["timing"]["late_sign_off"]:
        yield from (w.late_label, str(w.late(record)))
    if record["withdrawal"]:
        yield from (w.withdrawn_label, str(w.withdrawn(record)))
    if record["deferral"]:
        yield from (w.deferred_label, str(w.deferred(record)))
    labels = w.step_labels
    for number, step in enumerate(record["steps"], 1):
        yield from (str(w.step_heading(step, number)), labels["question"], labels["duty"], labels["status"])
        if step["status"] == "open":
            yield w.not_answered
            continue
        yield from (labels["decision"], str(w.step_decision(step)), str(w.step_status(step)))
        yield from (labels["reasons"], labels["recorded"], str(w.step_recorded(step)))
        if step["dispute"]:
            yield from (labels["disputed"], str(w.person_at(step["dispute"])))
        if step["resolution"]:
            yield from (labels["resolution"], str(w.person_at(step["resolution"])))
        if step["knowledge"]:
            yield from (labels["knowledge"], str(w.step_knowledge(step)))
        yield from (str(w.cite(entry)) for entry in step["cites"])
    yield from (str(w.dispute(d)) for d in record["disputes"])
    yield from (str(w.cited(entry)) for entry in record["cited_entries"])
    for answer in record["history"]:
        yield from (str(w.outcome(answer)), str(w.answer_heading(answer)), str(w.answer_by(answer)))
        if answer["problems"]:
            yield w.checker_said
        if answer["dispute"]:
            yield w.answer_disputed
        if answer["resolution"]:
            yield w.answer_upheld
    if not record["history"]:
        yield w.no_answers


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_every_document_says_what_the_shared_words_say(
    service: ChecklistService, ids: dict[str, str], kind: str, fmt: str
) -> None:
    record = service.record(ids[kind], names=PEOPLE.get)
    words = service.app.renderer.strings(RECORD_WORDS)
    text = READERS[fmt](service.export_bytes(ids[kind], fmt, names=PEOPLE.get))
    assert missing(text, [w for w in words_for(words, record) if w]) == []


# A word changed in the shared template changes in every document -------------------------------

# (as the templates write it, as it is changed to): the words without their quotes are what a reader sees.
RELABELLED = [
    ('"Procurement reference"', '"Contract notice number"'),
    ('"Revision history"', '"Everything that was said"'),
    ('"Recorded by"', '"Written down by"'),
    ("Exported by svbot from checklist", "Printed by svbot from checklist"),
    ('"refused by the checker"', '"turned down by the checker"'),
]


@pytest.fixture
def relabelled(tmp_path: Path, shared_app: Svbot, monkeypatch: pytest.MonkeyPatch) -> Svbot:
    """The app rendering from a copy of prompts/ whose record words were changed."""
    folder = Path(shutil.copytree(PROMPTS_DIR, tmp_path / "prompts"))
    for name in (RECORD_WORDS, "checklist/labels.txt.j2"):
        path = folder / name
        text = path.read_text()
        for old, new in RELABELLED:
            text = text.replace(old, new)
        path.write_text(text)
    monkeypatch.setattr(shared_app, "renderer", Renderer(folder))
    return shared_app


@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_a_word_changed_in_one_place_changes_in_every_document(
    relabelled: Svbot, ids: dict[str, str], fmt: str
) -> None:
    text = READERS[fmt](relabelled.checklists.export_bytes(ids["complete"], fmt, names=PEOPLE.get))
    for old, new in RELABELLED:
        assert new.strip('"') in text, (fmt, new)
        assert old.strip('"') not in text, (fmt, old)
