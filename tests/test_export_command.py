"""Exporting the decision record as a file: Word needs a file, the format follows the file's name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from samples import GOOD

from bot.chat import Chat
from bot.checklist.details import ChecklistDetails
from bot.core import Svbot
from bot.store import Store


def started(env) -> str:
    store = Store(env.db)
    checklist_id = store.create_checklist(ChecklistDetails("Meals on wheels & <more>"), "alice")
    store.close()
    return checklist_id


def test_word_export_needs_a_file(run, env) -> None:
    checklist_id = started(env)
    result = run("checklist", "export", checklist_id, "--format", "docx")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "svbot: a .docx record is a file, not text for the screen: "
        f"add -o FILE, e.g. -o social-value-record-{checklist_id}.docx"
    )


def test_word_export_writes_a_word_file(run, env, tmp_path: Path) -> None:
    checklist_id = started(env)
    target = tmp_path / "record.docx"
    result = run("checklist", "export", checklist_id, "-o", str(target))
    assert result.exit_code == 0 and result.stdout.strip() == f"Wrote {target}"
    assert zipfile.is_zipfile(target), "the format follows the file's extension"
    doc = Document(str(target))
    assert doc.core_properties.title == "Social value decision record: Meals on wheels & <more>"
    folder = run("checklist", "export", checklist_id, "--format", "docx", "-o", str(tmp_path))
    assert folder.exit_code == 2
    assert f"e.g. {tmp_path / f'social-value-record-{checklist_id}.docx'}" in folder.stderr


def test_an_unknown_checklist_is_one_line(run, env, tmp_path: Path) -> None:
    result = run("checklist", "export", "nope", "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 1 and result.stderr.strip() == "svbot: there is no checklist 'nope'"
    assert not (tmp_path / "x.docx").exists()


def test_the_chat_exports_word_to_a_file_only(shared_app: Svbot, tmp_path: Path) -> None:
    shared_app.store.set_person_name("erin", "Erin Jones")
    target = tmp_path / "record.docx"
    decision, reasons = GOOD["scope"]
    lines = ["new Parks cleaning", "answer scope", decision, reasons, "export docx", f"export {target}", "quit"]
    said: list[str] = []
    session = Chat(shared_app, "erin", read=lambda _: lines.pop(0), write=said.append)
    session.run()
    text = "\n".join(said)
    assert f"give a file name, e.g.: export docx social-value-record-{session.current}.docx" in text
    assert f"Wrote the decision record to {target}." in text
    doc = Document(io.BytesIO(target.read_bytes()))
    assert any(p.text == reasons for p in doc.paragraphs)
