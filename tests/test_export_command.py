"""Exporting the decision record as a file: Word needs a file, the format follows the file's name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
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


@pytest.mark.parametrize("name", ["record.pdf", "record.xlsx", "record.txt", "record.PDF"])
def test_a_file_svbot_does_not_write_is_refused(run, env, tmp_path: Path, name: str) -> None:
    """Markdown written into record.pdf is no PDF: the extension is refused, with the formats svbot writes."""
    checklist_id = started(env)
    target = tmp_path / name
    suffix = name.rsplit(".", 1)[1].lower()
    for extra in ([], ["--format", "md"]):
        result = run("checklist", "export", checklist_id, "-o", str(target), *extra)
        assert result.exit_code == 2, extra
        assert result.stdout == ""
        assert result.stderr.strip() == (
            f"svbot: svbot does not write .{suffix} files, so {target} would not open as one: "
            "name the file .md, .json, .csv, .html, .docx instead, e.g. record.md; nothing was written."
        )
        assert not target.exists()


def test_other_spellings_of_a_written_format_are_taken(run, env, tmp_path: Path) -> None:
    checklist_id = started(env)
    for name, starts in (("record.markdown", "# "), ("record.htm", "<!DOCTYPE html>")):
        target = tmp_path / name
        assert run("checklist", "export", checklist_id, "-o", str(target)).exit_code == 0
        assert target.read_text(encoding="utf-8").lstrip("\ufeff").startswith(starts), name


def test_the_chat_refuses_a_file_svbot_does_not_write(shared_app: Svbot, tmp_path: Path) -> None:
    shared_app.store.set_person_name("erin", "Erin Jones")
    pdf, xlsx = tmp_path / "record.pdf", tmp_path / "record.xlsx"
    lines = ["new Parks cleaning", f"export {pdf}", f"export md {xlsx}", "quit"]
    said: list[str] = []
    Chat(shared_app, "erin", read=lambda _: lines.pop(0), write=said.append).run()
    text = "\n".join(said)
    assert "svbot does not write .pdf files" in text and "svbot does not write .xlsx files" in text
    assert ".md, .json, .csv, .html, .docx" in text
    assert "Wrote the decision record" not in text
    assert not pdf.exists() and not xlsx.exists()


KINDS = {"md": "Markdown", "json": "JSON", "csv": "CSV", "html": "HTML", "docx": "Word"}


@pytest.mark.parametrize(
    ("given", "name", "implied"),
    [
        ("md", "x.docx", "docx"),
        ("docx", "record.md", "md"),
        ("json", "record.csv", "csv"),
        ("html", "r.markdown", "md"),
    ],
)
def test_a_format_the_file_name_contradicts_is_refused_naming_both(run, env, tmp_path: Path, given, name, implied):
    checklist_id = started(env)
    target = tmp_path / name
    result = run("checklist", "export", checklist_id, "--format", given, "-o", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"svbot: the format asked for is {given} ({KINDS[given]}), but {target} is named as a .{implied} "
        f"({KINDS[implied]}) file, and a {KINDS[given]} record written there would not open as one: name the file "
        f"{target.with_suffix('.' + given).name}, or leave the format out to write .{implied}; nothing was written."
    )
    assert "Traceback" not in result.stderr and not target.exists()


def test_a_format_the_file_name_agrees_with_or_no_extension_is_written(run, env, tmp_path: Path) -> None:
    checklist_id = started(env)
    agreed = tmp_path / "record.md"
    assert run("checklist", "export", checklist_id, "--format", "md", "-o", str(agreed)).exit_code == 0
    assert agreed.read_text(encoding="utf-8").lstrip("\ufeff").startswith("# ")
    bare = tmp_path / "record"
    assert run("checklist", "export", checklist_id, "--format", "docx", "-o", str(bare)).exit_code == 0
    assert zipfile.is_zipfile(bare)
    followed = tmp_path / "x.docx"  # no --format: the extension decides
    assert run("checklist", "export", checklist_id, "-o", str(followed)).exit_code == 0
    assert zipfile.is_zipfile(followed)


def test_the_chat_refuses_a_format_the_file_name_contradicts(shared_app: Svbot, tmp_path: Path) -> None:
    shared_app.store.set_person_name("erin", "Erin Jones")
    target = tmp_path / "x.docx"
    lines = ["new Parks cleaning", f"export md {target}", f"export {target}", "quit"]
    said: list[str] = []
    Chat(shared_app, "erin", read=lambda _: lines.pop(0), write=said.append).run()
    text = "\n".join(said)
    assert f"the format asked for is md (Markdown), but {target} is named as a .docx (Word) file" in text
    assert "name the file x.md, or leave the format out to write .docx" in text and "Traceback" not in text
    assert zipfile.is_zipfile(target), "then `export x.docx` writes a Word file"
