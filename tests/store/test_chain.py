"""Tamper evidence: the hash chain over a checklist's answers and events, and its verification."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.store import Store
from bot.store.chain import GENESIS
from bot.store.migrations import migrations

OLD = "2020-01-01T00:00:00.000000+00:00"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "svbot.db")


@pytest.fixture
def history(store: Store) -> str:
    """A checklist with accepted, refused, disputed and upheld answers and detail changes."""
    checklist_id = store.create_checklist(ChecklistDetails("Chained", reference="R-1", value="£1m"), "alice")
    store.add_answer(
        checklist_id, "scope", "applies", "£1m cleaning for 14 Leeds libraries", "alice", AnswerStatus.ACCEPTED, []
    )
    refused = store.add_answer(checklist_id, "outcomes", "none-relevant", "n/a", "bob", AnswerStatus.REFUSED, ["x"])
    store.dispute(refused.id, "one office, no staff transfer", "bob")
    store.set_decision_maker(checklist_id, "dora", "alice", "Director")
    store.uphold(refused.id, "agreed: nothing to add for one office", "dora")
    store.set_start(checklist_id, "2027-04-01", "tender-notice", "alice")
    return checklist_id


def tamper(store: Store, sql: str, *args: object) -> None:
    """Edit the database behind svbot's back, as someone with the file could."""
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute(sql, args)
    conn.close()


def test_an_untouched_history_is_intact(store: Store, history: str) -> None:
    report = store.verify_chain(history)
    assert report.intact, report.problems
    answers = store.db["answers"].count_where("checklist_id = ?", [history])
    events = store.db["events"].count_where("checklist_id = ?", [history])
    assert report.links == answers + events
    assert report.digest == store.get_checklist(history)["chain_head"] != GENESIS
    assert not report.started_by_migration


def test_each_write_extends_the_digest(store: Store, history: str) -> None:
    before = store.verify_chain(history).digest
    store.add_answer(history, "process", "secure-through-process", "two lots", "alice", AnswerStatus.ACCEPTED, [])
    after = store.verify_chain(history)
    assert after.intact and after.digest != before


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("update answers set reasons = 'We considered it carefully.' where step = 'scope'", "was changed after"),
        ("update answers set author = 'mallory' where step = 'scope'", "was changed after"),
        (
            "update events set data = replace(data, 'dora', 'mallory') where kind = 'checklist.decision_maker'",
            "changed",
        ),
        ("update answers set status = 'accepted' where step = 'outcomes'", "status was changed outside svbot"),
        ("update answers set resolution_note = 'fine' where step = 'outcomes'", "resolution note was changed"),
        ("update checklists set decision_maker = 'mallory'", "decision maker was changed outside svbot"),
        ("update checklists set value = '£10k'", "value was changed outside svbot"),
        ("update checklists set starts_on = '2030-01-01'", "starts on was changed outside svbot"),
        ("delete from events where kind = 'checklist.start'", "ends early"),
        ("delete from events where kind = 'answer.disputed'", "rows are missing"),
    ],
)
def test_verify_catches_edits_made_directly_in_sqlite(store: Store, history: str, sql: str, found: str) -> None:
    assert store.verify_chain(history).intact
    tamper(store, sql)
    report = store.verify_chain(history)
    assert not report.intact
    assert any(found in p for p in report.problems), report.problems


def test_verify_catches_a_row_added_outside_svbot(store: Store, history: str) -> None:
    tamper(
        store,
        "insert into answers (checklist_id, step, decision, reasons, author, created_at, accepted, status) "
        "values (?, 'process', 'secure-through-process', 'added later', 'mallory', ?, 1, 'accepted')",
        history,
        OLD,
    )
    problems = store.verify_chain(history).problems
    assert any("added outside svbot" in p for p in problems), problems


def test_chains_are_per_checklist(store: Store, history: str) -> None:
    other = store.create_checklist(ChecklistDetails("Other"), "carol")
    tamper(store, "update answers set reasons = 'changed' where checklist_id = ?", history)
    assert store.verify_chain(other).intact
    assert not store.verify_chain(history).intact


# Upgrading a database written before states and the chain existed --------------------------------


def _old_database(path: Path) -> None:
    old = Database(path)
    migrations.apply(old, stop_before="m004_states_and_sign_off")
    old["checklists"].insert(
        {
            "id": "abcd1234",
            "title": "Legacy",
            "created_by": "alice",
            "created_at": OLD,
            "source": "local",
            "decision_maker": "dora",
        }
    )
    for n, accepted in enumerate([1, 0, 1], 1):
        old["answers"].insert(
            {
                "checklist_id": "abcd1234",
                "step": "scope",
                "decision": "applies",
                "reasons": f"£1m cleaning contract for 14 Leeds libraries, attempt {n}",
                "author": "alice",
                "created_at": OLD[:-7] + f"{n}+00:00",
                "accepted": accepted,
                "problems": "[]" if accepted else '["boilerplate"]',
            }
        )
        old["events"].insert(
            {
                "at": OLD[:-7] + f"{n}+00:00",
                "kind": "answer.accepted" if accepted else "answer.refused",
                "actor": "alice",
                "checklist_id": "abcd1234",
                "data": json.dumps({"answer_id": n}),
            }
        )
    old.conn.close()


def test_an_old_database_is_upgraded_with_states_and_a_chain_that_says_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)

    store = Store(path)

    assert [a.status for a in store.answers("abcd1234")] == [
        AnswerStatus.ACCEPTED,
        AnswerStatus.REFUSED,
        AnswerStatus.ACCEPTED,
    ]
    report = store.verify_chain("abcd1234")
    assert report.intact, report.problems
    assert report.started_by_migration
    assert report.links == 3 + 3 + 1
    marker = list(store.db["events"].rows_where("kind = 'chain.started'"))
    assert len(marker) == 1 and json.loads(marker[0]["data"])["earlier_entries"] == 6
    # The sealed history is protected from now on, and new writes continue the chain.
    store.add_answer("abcd1234", "outcomes", "outcomes-identified", "jobs", "alice", AnswerStatus.ACCEPTED, [])
    assert store.verify_chain("abcd1234").intact
    tamper(store, "update answers set reasons = 'rewritten' where id = 1")
    assert not store.verify_chain("abcd1234").intact
