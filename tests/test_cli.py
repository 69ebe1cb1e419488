"""The svbot command line, per /work/shared/interfaces.md: JSON shapes and exit codes."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from samples import GOOD, TICK_BOX

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.cli import cli
from bot.store import Store

STEP_IDS = ["scope", "outcomes", "process", "proportionality", "consultation", "measurement", "decision"]


def as_json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def store(env) -> Store:
    """The database the CLI uses, for setting up records without paying for a knowledge load."""
    return Store(env.db)


@pytest.fixture
def checklist(store: Store) -> str:
    return store.create_checklist(ChecklistDetails("Meals on wheels, Kirklees 2027"), "alice")


def answer_directly(store: Store, checklist_id: str, step: str, refused: bool = False) -> None:
    """Record an answer as the service would (a refused one with its problem)."""
    decision, good = GOOD[step]
    reasons, problems = (TICK_BOX, ["This could be pasted into any procurement."]) if refused else (good, [])
    status = AnswerStatus.REFUSED if refused else AnswerStatus.ACCEPTED
    store.add_answer(checklist_id, step, decision, reasons, "alice", status, problems)


def answer(run, checklist_id: str, step: str, by: str = "alice", reasons: str | None = None):
    decision, good = GOOD[step]
    options = ["--decision", decision, "--reasons", reasons or good, "--by", by, "--json"]
    return run("checklist", "answer", checklist_id, step, *options)


# ask -------------------------------------------------------------------------------------


def test_ask_json(run) -> None:
    data = as_json(run("ask", "can we reserve a contract for a public service mutual", "--json"))
    assert {"answered", "matches"} <= set(data)
    assert data["answered"] is True
    assert len(data["matches"]) >= 3
    for match in data["matches"]:
        assert set(match) == {"id", "kind", "title", "score", "jurisdiction"}
        assert match["kind"] in ("legal", "principle", "case_study")
        assert 0 <= match["score"] <= 1
    assert data["matches"][0]["id"] == "legal.reserved-contracts"
    scores = [m["score"] for m in data["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_top(run) -> None:
    data = as_json(run("ask", "how can smaller charities win council contracts", "--json", "--top", "6"))
    assert len(data["matches"]) == 6


def test_ask_text_gives_answer_with_sources(run) -> None:
    result = run("ask", "can we reserve a contract for a public service mutual")
    assert result.exit_code == 0
    assert "Reserved contracts" in result.stdout
    assert "Sources:" in result.stdout
    assert "Not legal advice." in result.stdout


def test_ask_out_of_scope_says_so(run) -> None:
    result = run("ask", "how do I book annual leave")
    assert result.exit_code == 0
    assert "outside what I cover" in result.stdout
    assert "line manager" in result.stdout  # the kind of source to ask, from matching.yaml


def test_ask_unsure_offers_closest_topics(run) -> None:
    result = run("ask", "social value for a school uniform supplier")
    assert result.exit_code == 0
    assert "not sure I have an answer" in result.stdout
    assert "case.wakefield-fresh-pastures" in result.stdout


def test_ask_batch_json_lines_in_order(run) -> None:
    questions = [
        "can we reserve a contract for a public service mutual",
        "what is TUPE",
        "what did oldham do with its banking contract",
        "how do I book annual leave",
    ]
    result = run("ask", "-", "--json", input="\n".join(questions) + "\n")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(questions)
    rows = [json.loads(line) for line in lines]
    assert [r["question"] for r in rows] == questions
    assert [r["answered"] for r in rows] == [True, False, True, False]
    assert rows[0]["matches"][0]["id"] == "legal.reserved-contracts"
    assert rows[2]["matches"][0]["id"] == "case.oldham-banking"


def test_unanswered_questions_are_logged_and_reported(run, env) -> None:
    asked = [
        "how do I book annual leave",
        "how do i book my annual leave please",
        "can we reserve a contract for a public service mutual",
    ]
    assert run("ask", "-", "--json", input="\n".join(asked) + "\n").exit_code == 0
    assert run("ask", "is the canteen open on saturday", "--json", "--no-log").exit_code == 0
    with sqlite3.connect(env.db) as db:
        logged = db.execute("select text, answered, source from questions order by id").fetchall()
    assert [(t, a) for t, a, _ in logged] == [
        ("how do I book annual leave", 0),
        ("how do i book my annual leave please", 0),
        ("can we reserve a contract for a public service mutual", 1),
    ]
    assert {s for _, _, s in logged} == {"cli"}
    report = as_json(run("report", "--json"))
    assert report["questions"]["total"] == 3
    assert report["questions"]["unanswered"] == 2
    # Near-identical questions are grouped so each gap shows once.
    [group] = report["questions"]["unanswered_groups"]
    assert group["count"] == 2
    assert group["question"] in {"how do I book annual leave", "how do i book my annual leave please"}


# checklist -------------------------------------------------------------------------------


def test_checklist_answer_accepted_and_refused(run, checklist: str) -> None:
    accepted = answer(run, checklist, "scope")
    data = as_json(accepted)
    assert data["accepted"] is True
    assert data["problems"] == []
    refused = answer(run, checklist, "outcomes", reasons=TICK_BOX)
    assert refused.exit_code == 0
    data = json.loads(refused.stdout)
    assert data["accepted"] is False
    assert isinstance(data["problems"], list) and len(data["problems"]) == 1
    assert all(isinstance(p, str) and p for p in data["problems"])
    show = as_json(run("checklist", "show", checklist, "--json"))
    assert [h["accepted"] for h in show["history"]] == [True, False]
    assert show["open_steps"] == STEP_IDS[1:]


def test_checklist_answer_text_output(run, checklist: str, store: Store) -> None:
    decision, reasons = GOOD["scope"]
    ok = run("checklist", "answer", checklist, "scope", "--decision", decision, "--reasons", reasons, "--by", "alice")
    assert ok.exit_code == 0
    assert ok.stdout.startswith("Recorded: ")
    assert "Still open: outcomes" in ok.stdout
    assert store.current_answers(checklist)["scope"].decision == decision
    refused = run(
        "checklist", "answer", checklist, "outcomes", "--decision", "none-relevant", "--reasons", "n/a", "--by", "bob"
    )
    assert refused.exit_code == 0
    assert "Not recorded as an answer yet" in refused.stdout
    assert "case.oldham-banking" in refused.stdout


def test_checklist_unknown_id_exits_1(run) -> None:
    result = run("checklist", "answer", "nope1234", "scope", "--decision", "applies", "--reasons", "x", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "there is no checklist 'nope1234'"}
    shown = run("checklist", "show", "nope1234")
    assert shown.exit_code == 1
    assert "no checklist 'nope1234'" in shown.stderr


def test_checklist_unknown_step_and_option_exit_1(run, checklist: str) -> None:
    step = run("checklist", "answer", checklist, "living-wage", "--decision", "applies", "--reasons", "x")
    assert step.exit_code == 1
    assert "no step 'living-wage'" in step.stderr
    option = run("checklist", "answer", checklist, "scope", "--decision", "maybe", "--reasons", "x")
    assert option.exit_code == 1
    assert "applies, applying-by-policy" in option.stderr


def test_sign_off_not_allowed_exits_1(run, checklist: str) -> None:
    result = answer(run, checklist, "decision", by="mallory")
    assert result.exit_code == 1
    assert "alice" in json.loads(result.stdout)["error"]
    named = as_json(run("checklist", "decision-maker", checklist, "dora", "--by", "alice", "--json"))
    assert named == {"id": checklist, "decision_maker": "dora", "role": None}
    for step in STEP_IDS[:-1]:
        assert as_json(answer(run, checklist, step))["accepted"] is True
    assert as_json(answer(run, checklist, "decision", by="dora"))["accepted"] is True


@pytest.mark.parametrize(
    "args",
    [
        ["checklist", "answer", "abc", "scope", "--reasons", "x"],
        ["checklist", "answer", "abc", "scope", "--decision", "applies"],
        ["checklist", "export", "abc", "--format", "xlsx"],
        ["checklist", "new"],
        ["ask", "x", "--top", "0"],
        ["ask"],
        ["no-such-command"],
        ["report", "--bogus"],
    ],
)
def test_usage_errors_exit_2(run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_checklist_new_json(run) -> None:
    data = as_json(run("checklist", "new", "--title", "Meals on wheels", "--by", "alice", "--json"))
    assert set(data) == {"id"}
    text = run("checklist", "new", "--title", "Libraries cleaning", "--by", "alice")
    assert text.exit_code == 0
    assert text.stdout.startswith("Started checklist ")
    assert "Steps: scope, outcomes, process" in text.stdout


def test_checklist_list(run, store: Store, checklist: str) -> None:
    newer = store.create_checklist(ChecklistDetails("Second"), "bob")
    answer_directly(store, newer, "scope")
    rows = as_json(run("checklist", "list", "--json"))
    assert [r["id"] for r in rows] == [newer, checklist]
    first = rows[0]
    assert {"id", "title", "location", "status", "steps_answered"} <= set(first)
    assert first["title"] == "Second"
    assert first["location"] == {"where": "local"}
    assert first["status"] == "open"
    assert first["steps_answered"] == 1
    text = run("checklist", "list")
    assert text.exit_code == 0
    assert checklist in text.stdout and "Second" in text.stdout


def test_checklist_list_empty(run) -> None:
    assert "No checklists yet" in run("checklist", "list").stdout


def test_checklist_show(run, store: Store, checklist: str) -> None:
    for step in STEP_IDS:
        answer_directly(store, checklist, step)
    record = as_json(run("checklist", "show", checklist, "--json"))
    assert record["id"] == checklist
    assert record["status"] == "complete"
    assert record["sign_off"]["by"] == "alice"
    assert len(record["history"]) == len(STEP_IDS)
    text = run("checklist", "show", checklist)
    assert text.exit_code == 0
    assert "History (7 answers)" in text.stdout


def test_checklist_export_formats(run, store: Store, checklist: str, tmp_path: Path) -> None:
    answer_directly(store, checklist, "scope")
    answer_directly(store, checklist, "outcomes", refused=True)
    md = run("checklist", "export", checklist, "--format", "md")
    assert md.exit_code == 0
    assert "Revision history" in md.stdout
    data = json.loads(run("checklist", "export", checklist, "--format", "json").stdout)
    assert data["id"] == checklist
    target = tmp_path / "record.csv"
    written = as_json(run("checklist", "export", checklist, "--format", "csv", "-o", str(target), "--json"))
    assert written == {"id": checklist, "format": "csv", "path": str(target)}
    raw = target.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff"), "Excel reads UTF-8 only with a byte-order mark"
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert [r["kind"] for r in rows].count("current") == len(STEP_IDS)
    assert [r["kind"] for r in rows].count("history") == 2
    assert rows[0]["checklist_id"] == checklist


def test_checklist_new_with_details(run, store: Store) -> None:
    created = run(
        "checklist",
        "new",
        "--title",
        "Home care",
        "--reference",
        "HC-7",
        "--value",
        "£14m",
        "--category",
        "adult social care",
        "--decision-maker",
        "dora",
        "--by",
        "alice",
        "--json",
    )
    row = store.get_checklist(as_json(created)["id"])
    assert (row["reference"], row["value"], row["category"]) == ("HC-7", "£14m", "adult social care")
    assert row["decision_maker"] == "dora"
    assert row["created_by"] == "alice"


# report, backup, purge --------------------------------------------------------------------------


def test_report_json(run, store: Store, checklist: str) -> None:
    answer_directly(store, checklist, "scope")
    answer_directly(store, checklist, "outcomes", refused=True)
    report = as_json(run("report", "--json"))
    assert set(report) >= {"checklists", "decisions", "answers", "questions", "feedback"}
    assert report["checklists"] == {
        "started": 1,
        "completed": 0,
        "open": 1,
        "deferred": 0,
        "withdrawn": 0,
        "late_sign_offs": [],
    }
    assert report["decisions"]["scope"] == {"applies": 1}
    assert report["answers"]["total"] == 2
    assert report["answers"]["refused"] == 1
    assert report["answers"]["refusal_rate"] == 0.5
    assert report["answers"]["top_refusal_reasons"][0]["count"] == 1
    text = run("report")
    assert text.exit_code == 0 and text.stdout.strip()


def test_backup(run, checklist: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    assert as_json(run("backup", str(target), "--json")) == {"backup": str(target)}
    with sqlite3.connect(target) as copy:
        assert copy.execute("select id from checklists").fetchall() == [(checklist,)]


def test_backup_onto_the_database_is_a_usage_error(run, env) -> None:
    assert run("backup", str(env.db)).exit_code == 2


def test_purge(run, env, store: Store) -> None:
    store.log_question("how do I book annual leave", answered=False, best_id=None, best_score=None, source="cli")
    store.db.execute("update questions set asked_at = '2020-01-01T00:00:00+00:00'")
    assert as_json(run("purge", "--json")) == {"purged": 1, "kept_days": 90}
    assert as_json(run("purge", "--days", "7", "--json")) == {"purged": 0, "kept_days": 7}
    with sqlite3.connect(env.db) as db:
        assert db.execute("select text from questions").fetchall() == [(None,)]
    assert as_json(run("report", "--json"))["questions"]["unanswered_groups"] == []


def test_purge_retention_from_environment(run, env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_QUESTION_RETENTION_DAYS", "30")
    assert as_json(run("purge", "--json"))["kept_days"] == 30


# chat, version, help ---------------------------------------------------------------------------


def test_chat_command_reads_stdin(run) -> None:
    result = run("chat", "--by", "alice", input="can we reserve a contract for a public service mutual\nquit\n")
    assert result.exit_code == 0
    assert "Hello. Ask" in result.stdout, "no name given yet: never greeted by a login id"
    assert "Reserved contracts" in result.stdout
    assert "Goodbye" in result.stdout


def test_broken_knowledge_exits_1_with_a_message(run, kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (kb_copy / "matching.yaml").unlink()
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    result = run("ask", "thresholds", "--json")
    assert result.exit_code == 1
    assert "matching.yaml" in result.stderr
    assert "svbot kb check" in result.stderr


INTERFACE_COMMANDS = {"ask", "chat", "checklist", "kb", "report", "serve"}


def test_every_interface_command_exists() -> None:
    assert set(cli.commands) >= INTERFACE_COMMANDS
    assert {"new", "answer", "list", "show", "export"} <= set(cli.commands["checklist"].commands)
    assert "check" in cli.commands["kb"].commands


def test_the_interface_list_matches_the_shared_interfaces() -> None:
    # The shared document lives outside the repository; where it is absent the test says so (skipped).
    interfaces = Path("/work/shared/interfaces.md")
    if not interfaces.exists():
        pytest.skip(f"{interfaces} is not on this machine")
    text = interfaces.read_text(encoding="utf-8")
    assert [name for name in sorted(INTERFACE_COMMANDS) if f"`svbot {name}" not in text] == []


def test_every_subcommand_takes_json() -> None:
    def leaves(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    missing = [
        " ".join(path)
        for path, command in leaves(cli)
        if path not in {("chat",), ("serve",)} and "--json" not in {o for p in command.params for o in p.opts}
    ]
    assert missing == []


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "svbot" in result.stdout


def test_blank_questions_are_not_logged_as_gaps(run) -> None:
    blank = run("ask", "   ")
    assert blank.exit_code == 0
    assert blank.stdout.startswith("Give a question, e.g. svbot ask")
    assert "noted" not in blank.stdout
    assert as_json(run("ask", "", "--json")) == {"answered": False, "ambiguous": False, "matches": []}
    assert run("ask", "what is the weather in leeds").exit_code == 0
    report = json.loads(run("report", "--json").stdout)
    assert report["questions"]["total"] == 1


# States, disputes, withdrawal, verify -----------------------------------------------------------


def test_export_json_without_a_file_prints_json(run, store: Store, checklist: str) -> None:
    answer_directly(store, checklist, "scope")
    for args in (["--json"], ["--format", "json"], ["--format", "json", "--json"]):
        data = as_json(run("checklist", "export", checklist, *args))
        assert data["id"] == checklist and data["steps"][0]["decision"] == GOOD["scope"][0]


def test_dispute_and_resolve_from_the_command_line(run, checklist: str) -> None:
    refused = as_json(answer(run, checklist, "outcomes", reasons=TICK_BOX))
    assert refused["accepted"] is False
    options = ["--decision", "outcomes-identified", "--reasons", TICK_BOX, "--by", "alice"]
    text = run("checklist", "answer", checklist, "outcomes", *options).stdout
    assert f"svbot checklist dispute {checklist} outcomes --note" in text
    note = "One office, no staff transfer: nothing the contract could add."
    disputed = as_json(run("checklist", "dispute", checklist, "outcomes", "--note", note, "--by", "bob", "--json"))
    assert disputed["status"] == "disputed"
    again = run("checklist", "dispute", checklist, "outcomes", "--note", note, "--by", "bob")
    assert "is disputed, not refused" in again.stderr, "only a refused answer is disputed"
    listed = run("checklist", "list").stdout
    assert "0/7 (1 disputed)" in listed
    show = run("checklist", "show", checklist).stdout
    assert "disputed" in show and note in show
    unnamed = run(
        "checklist", "resolve", checklist, "outcomes", "--note", "Agreed: one office, no staff.", "--by", "alice"
    )
    assert unnamed.exit_code == 1 and "No decision maker is named for this checklist" in unnamed.stderr
    assert f"svbot checklist decision-maker {checklist} LOGIN" in unnamed.stderr
    assert run("checklist", "decision-maker", checklist, "alice", "--by", "alice").exit_code == 0
    denied = run("checklist", "resolve", checklist, "outcomes", "--note", "ok", "--by", "bob")
    assert denied.exit_code == 1 and "alice" in denied.stderr
    nod = run("checklist", "resolve", checklist, "outcomes", "--note", ".", "--by", "alice")
    assert nod.exit_code == 1 and "needs at least 3 words of your own" in nod.stderr
    note = "Agreed: the reasons fit this contract."
    resolved = run("checklist", "resolve", checklist, "outcomes", "--note", note, "--by", "alice", "--json")
    assert as_json(resolved)["status"] == "upheld"
    assert "1/7" in run("checklist", "list").stdout
    assert "over the checker's objection" in run("checklist", "export", checklist).stdout


def test_dispute_needs_a_refused_answer(run, checklist: str) -> None:
    nothing = run("checklist", "dispute", checklist, "outcomes", "--note", "why")
    assert nothing.exit_code == 1 and "has no answer yet" in nothing.stderr
    assert run("checklist", "dispute", checklist, "outcomes").exit_code == 2


def test_sign_off_refusal_names_the_open_steps(run, checklist: str) -> None:
    answer(run, checklist, "scope")
    refused = answer(run, checklist, "decision")
    assert refused.exit_code == 1
    assert "outcomes, process, proportionality, consultation, measurement" in json.loads(refused.stdout)["error"]


def test_defer_withdraw_and_start_date(run, store: Store, checklist: str) -> None:
    reasons = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."
    no_date = run(
        "checklist", "answer", checklist, "decision", "--decision", "defer", "--reasons", reasons, "--by", "alice"
    )
    assert no_date.exit_code == 2 and "revisit date" in no_date.stderr
    deferred = run(
        "checklist",
        "answer",
        checklist,
        "decision",
        "--decision",
        "defer",
        "--reasons",
        reasons,
        "--revisit",
        "2099-02-01",
        "--by",
        "alice",
    )
    assert deferred.exit_code == 0 and "deferred until 2099-02-01" in deferred.stdout
    assert "deferred" in run("checklist", "list").stdout
    started = run("checklist", "starts", checklist, "2027-03-01", "--event", "tender-notice", "--by", "alice")
    assert started.exit_code == 0 and store.get_checklist(checklist)["starts_on"] == "2027-03-01"
    bad = run("checklist", "starts", checklist, "March", "--by", "alice")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr
    assert run("checklist", "withdraw", checklist, "--reason", "Duplicate", "--by", "alice").exit_code == 0
    assert "withdrawn" in run("checklist", "list").stdout
    again = answer(run, checklist, "scope")
    assert again.exit_code == 1 and "withdrawn" in json.loads(again.stdout)["error"]


def test_new_with_every_detail_and_a_blank_decision_maker(run, store: Store) -> None:
    created = run(
        "checklist",
        "new",
        "--title",
        "Home care",
        "--buying",
        "home care\nfor 300 adults",
        "--decision-maker",
        "dora",
        "--decision-maker-role",
        "Director of Adult Care",
        "--starts",
        "2027-05-01",
        "--start-event",
        "transparency-notice",
        "--by",
        "alice",
        "--json",
    )
    row = store.get_checklist(as_json(created)["id"])
    assert row["buying"] == "home care for 300 adults", "details never break a record's layout"
    assert (row["decision_maker_role"], row["starts_on"], row["start_event"]) == (
        "Director of Adult Care",
        "2027-05-01",
        "transparency-notice",
    )
    blank = run("checklist", "new", "--title", "X", "--decision-maker", "   ")
    assert blank.exit_code == 1 and "needs a name" in blank.stderr
    bad_event = run("checklist", "new", "--title", "X", "--start-event", "press-release")
    assert bad_event.exit_code == 1 and "tender-notice" in bad_event.stderr
    renamed = run("checklist", "decision-maker", row["id"], "  ", "--by", "alice")
    assert renamed.exit_code == 1 and "needs a name" in renamed.stderr


def test_verify_says_intact_then_catches_an_edit(run, env, store: Store, checklist: str) -> None:
    answer_directly(store, checklist, "scope")
    ok = run("checklist", "verify", checklist)
    assert ok.exit_code == 0 and "the history is intact" in ok.stdout
    digest = as_json(run("checklist", "verify", checklist, "--json"))["digest"]
    assert digest in run("checklist", "export", checklist).stdout, "the record prints the final digest"
    conn = sqlite3.connect(env.db)
    with conn:
        conn.execute("update answers set reasons = 'We considered it.' where checklist_id = ?", [checklist])
    conn.close()
    broken = run("checklist", "verify", checklist)
    assert broken.exit_code == 1
    assert "NOT intact" in broken.stdout and "was changed after it was written" in broken.stdout
    assert as_json_any(run("checklist", "verify", checklist, "--json"))["intact"] is False
    assert run("checklist", "verify", "nope1234").exit_code == 1


def as_json_any(result) -> dict:
    return json.loads(result.stdout)


@pytest.mark.parametrize("question", ["what is TUPE", "what's the weather like in Leeds", "zzqx vvkp"])
def test_replies_say_noted_only_when_the_question_was_logged(run, question: str) -> None:
    logged = run("ask", question)
    unlogged = run("ask", "--no-log", question)
    assert "I've noted the question" in logged.stdout
    assert "noted" not in unlogged.stdout
    assert json.loads(run("report", "--json").stdout)["questions"]["total"] == 1
