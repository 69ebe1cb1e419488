"""Everyday mistakes on the command line: one clear line, the right exit status, nothing lost."""

from __future__ import annotations

import codecs
import json
import sqlite3
from pathlib import Path

import pytest

from bot.checklist.details import ChecklistDetails
from bot.store import Store


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture
def checklist(env) -> str:
    return Store(env.db).create_checklist(ChecklistDetails("Meals on wheels"), "alice")


# Files named on the command line ---------------------------------------------------------


def test_export_to_a_missing_folder(run, checklist: str) -> None:
    result = run("checklist", "export", checklist, "-o", "/nonexistent/x.md")
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "svbot: cannot write /nonexistent/x.md: the folder /nonexistent does not exist. "
        "Check the spelling, or create it first."
    )


def test_export_to_a_folder_and_to_home(run, checklist: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("checklist", "export", checklist, "-o", str(tmp_path))
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith(f"svbot: {tmp_path} is a folder; give a file name inside it")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert run("checklist", "export", checklist, "-o", "~/record.md").exit_code == 0
    assert (tmp_path / "record.md").read_text(encoding="utf-8").startswith("# Social value decision record")


def test_backup_to_a_missing_folder(run, checklist: str) -> None:
    result = run("backup", "/nonexistent/x.db")
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith("svbot: cannot write /nonexistent/x.db: the folder /nonexistent")


def test_backup_never_overwrites_a_file_that_is_not_a_backup(run, checklist: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = run("backup", str(notes))
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"svbot: {notes} already exists and is not a database backup; nothing was overwritten. Choose a new file name."
    )
    assert notes.read_text() == "my notes\n"


def test_backup_replaces_an_earlier_backup(run, checklist: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    assert run("backup", str(target)).exit_code == 0
    Store(Path("svbot.db")).create_checklist(ChecklistDetails("Added later"), "bob")
    assert run("backup", str(target)).exit_code == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("select count(*) from checklists").fetchone() == (2,)


# The environment --------------------------------------------------------------------------


def test_database_in_a_missing_folder(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_DB", "/nonexistent/svbot.db")
    result = run("checklist", "list")
    assert result.exit_code == 1
    assert one_line(result.stderr).startswith(
        "svbot: cannot open the database /nonexistent/svbot.db: the folder /nonexistent does not exist."
    )


def test_database_that_is_not_a_database(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 200)
    monkeypatch.setenv("SVBOT_DB", str(notes))
    for command in (["checklist", "list"], ["purge"], ["backup", str(tmp_path / "b.db")]):
        result = run(*command)
        assert result.exit_code == 1
        assert one_line(result.stderr).startswith(f"svbot: {notes} is not an svbot database")
    assert notes.read_text() == "my notes\n" * 200, "left as it was"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORT", "3000x", "PORT must be a whole number, not '3000x'"),
        ("SVBOT_QUESTION_RETENTION_DAYS", "90days", "SVBOT_QUESTION_RETENTION_DAYS must be a whole number"),
        ("SVBOT_QUESTION_RETENTION_DAYS", "-5", "SVBOT_QUESTION_RETENTION_DAYS must be between 1 and 36500, not -5"),
        ("SVBOT_QUESTION_RETENTION_DAYS", "0", "SVBOT_QUESTION_RETENTION_DAYS must be between 1 and 36500, not 0"),
        (
            "SVBOT_NATION",
            "france",
            "SVBOT_NATION must be one of england, wales, scotland, northern-ireland, not 'france'",
        ),
    ],
)
def test_malformed_settings_are_refused(
    run, env, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    store = Store(env.db)
    store.log_question("how do I book annual leave", answered=False, best_id=None, best_score=None, source="cli")
    monkeypatch.setenv(name, value)
    result = run("purge")
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith(f"svbot: {message}")
    assert store.db.execute("select text from questions").fetchall() == [("how do I book annual leave",)]


@pytest.mark.parametrize("days", ["0", "-3"])
def test_purge_refuses_to_forget_every_question_at_once(run, env, days: str) -> None:
    """``purge --days 0`` is refused exactly as SVBOT_QUESTION_RETENTION_DAYS=0 is: nothing is erased."""
    store = Store(env.db)
    store.log_question("how do I book annual leave", answered=False, best_id=None, best_score=None, source="cli")
    result = run("purge", "--days", days)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"svbot: --days must be between 1 and 36500, not {days} (zero or less would forget every question at once); "
        "nothing was changed."
    )
    assert store.db.execute("select text from questions").fetchall() == [("how do I book annual leave",)]


@pytest.mark.parametrize("command", [("ask", "living wage"), ("checklist", "new", "--title", "Meals"), ("chat",)])
def test_an_unknown_nation_setting_is_one_line_for_every_command(
    run, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    monkeypatch.setenv("SVBOT_NATION", "france")
    result = run(*command)
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith("svbot: SVBOT_NATION must be one of england, wales")


# Batch questions ------------------------------------------------------------------------------


def test_batch_answers_every_line_whatever_the_encoding(run) -> None:
    lines = [
        "living wage of £12.60 an hour".encode(),
        "is a £50k cleaning contract covered".encode("cp1252"),  # saved from Excel: "£" is byte A3
        b"",
        b"what did oldham do with its banking contract",
        b"   ",
        "caf\u00e9 contract social value".encode("cp1252"),
    ]
    result = run("ask", "-", "--json", input=b"\n".join(lines) + b"\n")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == [
        "living wage of £12.60 an hour",
        "is a £50k cleaning contract covered",
        "",
        "what did oldham do with its banking contract",
        "",
        "café contract social value",
    ]
    assert rows[2] == {"question": "", "answered": False, "ambiguous": False, "matches": []}
    assert rows[3]["matches"][0]["id"].startswith("case.")


def test_batch_without_a_final_newline_or_with_a_bom(run) -> None:
    result = run("ask", "-", "--json", input="\ufeffliving wage\nwhat is TUPE".encode())
    assert [json.loads(line)["question"] for line in result.stdout.splitlines()] == ["living wage", "what is TUPE"]


QUESTIONS = ["living wage of £12.60 an hour", "what did oldham do with its banking contract"]
UNICODE_QUESTIONS = "\r\n".join(QUESTIONS) + "\r\n"


@pytest.mark.parametrize(
    "saved",
    [
        UNICODE_QUESTIONS.encode("utf-16"),  # Notepad's and Excel's "Unicode": UTF-16 with its byte order mark
        codecs.BOM_UTF16_BE + UNICODE_QUESTIONS.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + UNICODE_QUESTIONS.encode("utf-16-le"),
        UNICODE_QUESTIONS.encode("utf-8-sig"),
        UNICODE_QUESTIONS.encode("utf-32"),
    ],
)
def test_batch_reads_text_saved_with_a_byte_order_mark(run, saved: bytes) -> None:
    result = run("ask", "-", "--json", input=saved)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == QUESTIONS
    assert all(r["answered"] for r in rows), rows
    assert rows[1]["matches"][0]["id"].startswith("case.")


def test_the_chat_reads_unicode_text_too(run) -> None:
    typed = "can we reserve a contract for a public service mutual\r\nquit\r\n".encode("utf-16")
    result = run("chat", "--by", "alice", input=typed)
    assert result.exit_code == 0
    assert "Reserved contracts" in result.stdout
    assert "outside what I cover" not in result.stdout


@pytest.mark.parametrize(
    "saved",
    [
        # UTF-8 without a mark, cut in the middle of "£" (two bytes) after a line that showed it is UTF-8
        (UNICODE_QUESTIONS + "is £").encode()[:-1],
        # ...or in the middle of "€" (three bytes), two of them kept
        "a contract worth 5m €".encode()[:-1],
    ],
)
def test_utf8_text_cut_short_is_refused_not_read_as_windows_1252(run, saved: bytes) -> None:
    result = run("ask", "-", "--json", input=saved)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "svbot: the text read stops in the middle of a character (cut short, or a download that did not finish?); "
        "save the whole text as UTF-8 and try again."
    )
    assert "Â" not in result.stdout and "â‚" not in result.stdout, "no mojibake answered"


def test_windows_1252_text_ending_in_an_accented_letter_is_not_cut_short(run) -> None:
    """é (byte E9) at the very end also starts a UTF-8 character: with nothing else UTF-8, it is Windows-1252."""
    result = run("ask", "-", "--json", input="contract for a caf\u00e9".encode("cp1252"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["question"] == "contract for a caf\u00e9"


@pytest.mark.parametrize(
    ("saved", "said"),
    [
        (UNICODE_QUESTIONS.encode("utf-16-le"), "UTF-16"),  # no byte order mark: every other byte is zero
        (UNICODE_QUESTIONS.encode("utf-16")[:-1], "UTF-16"),  # cut short in the middle of a character
    ],
)
def test_unreadable_text_is_refused_in_one_line(run, saved: bytes, said: str) -> None:
    for command in (("ask", "-", "--json"), ("chat", "--by", "alice")):
        result = run(*command, input=saved)
        assert result.exit_code == 2, command
        assert said in one_line(result.stderr) and "UTF-8" in result.stderr
        assert "outside what I cover" not in result.stdout


# Bad dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2026-13-01", "31/02/2026"])
def test_a_bad_date_is_a_usage_error_for_every_command(run, checklist: str, bad: str) -> None:
    """Exit status 2 wherever a date is typed wrongly, as for any other usage error."""
    deferred = ("--decision", "defer", "--reasons", "budget", "--revisit", bad)
    commands = [
        ("checklist", "new", "--title", "Meals", "--starts", bad),
        ("checklist", "starts", checklist, bad),
        ("checklist", "answer", checklist, "decision", *deferred, "--by", "alice"),
        ("checklist", "try", "decision", *deferred),
        ("scope", "--type", "services", "--value", "250000", "--start", bad),
        ("report", "--since", bad),
        ("facts", "--on", bad),
    ]
    for command in commands:
        result = run(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert bad in one_line(result.stderr), command


def test_an_unknown_checklist_is_still_a_problem_not_a_usage_error(run) -> None:
    assert run("checklist", "starts", "nope", "2027-01-01").exit_code == 1
