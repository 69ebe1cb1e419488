"""The store over a real SQLite file: schema, upgrades, concurrency, retention, backup."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.store import Store
from bot.store.migrations import migrations

TABLES = {
    "checklists",
    "answers",
    "events",
    "questions",
    "feedback",
    "slack_messages",
    "processed_events",
    "slack_posts",
}
OLD = "2020-01-01T00:00:00.000000+00:00"
ALL_MIGRATIONS = [
    "m001_initial",
    "m002_slack_and_sign_off",
    "m003_slack_post_claims",
    "m004_states_and_sign_off",
    "m005_hash_chain",
    "m006_slack_nation_and_body",
    "m007_indexes_for_who_is_waiting",
    "m008_question_language",
]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "svbot.db"


@pytest.fixture
def store(path: Path) -> Store:
    store = Store(path)
    yield store
    store.close()


def answer(store: Store, checklist_id: str, n: int, author: str = "tester"):
    return store.add_answer(
        checklist_id, "outcomes", "outcomes-identified", f"reason {n}", author, AnswerStatus.ACCEPTED, []
    )


# Schema and migrations ----------------------------------------------------------------------


def test_migrations_create_tables(store: Store) -> None:
    assert set(store.db.table_names()) >= TABLES
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == ALL_MIGRATIONS
    assert migrations.pending(store.db) == []


def test_migrate_is_idempotent(path: Path, store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Twice"), "alice")
    again = Store(path)
    again.migrate()
    assert again.get_checklist(checklist_id)["title"] == "Twice"
    assert len(migrations.applied(again.db)) == len(ALL_MIGRATIONS)


def test_upgrade_from_older_schema_keeps_data(path: Path) -> None:
    old = Database(path)
    migrations.apply(old, stop_before="m002_slack_and_sign_off")
    assert "decision_maker" not in old["checklists"].columns_dict
    assert not old["slack_messages"].exists()
    old["checklists"].insert(
        {"id": "abcd1234", "title": "Legacy", "created_by": "alice", "created_at": OLD, "source": "local"}
    )
    old["answers"].insert(
        {
            "checklist_id": "abcd1234",
            "step": "scope",
            "decision": "applies",
            "reasons": "£1m cleaning contract for 14 Leeds libraries.",
            "author": "alice",
            "created_at": OLD,
            "accepted": 1,
            "problems": "[]",
        }
    )
    old.conn.close()

    store = Store(path)

    assert {"decision_maker", "parent_ts"} <= set(store.db["checklists"].columns_dict)
    assert set(store.db.table_names()) >= TABLES
    row = store.get_checklist("abcd1234")
    assert row["title"] == "Legacy"
    assert row["decision_maker"] is None
    [kept] = store.answers("abcd1234")
    assert kept.reasons == "£1m cleaning contract for 14 Leeds libraries."
    assert kept.accepted
    # The upgraded database takes new writes that use the new columns.
    store.set_decision_maker("abcd1234", "dora", "alice")
    assert store.get_checklist("abcd1234")["decision_maker"] == "dora"
    assert answer(store, "abcd1234", 2).id == kept.id + 1


def test_wal_and_foreign_keys(store: Store) -> None:
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert store.db.execute("pragma busy_timeout").fetchone()[0] >= 5000
    with pytest.raises(sqlite3.IntegrityError):
        store.db["answers"].insert(
            {
                "checklist_id": "missing",
                "step": "scope",
                "decision": "applies",
                "reasons": "x",
                "author": "a",
                "created_at": OLD,
                "accepted": 1,
            }
        )


def test_answer_to_unknown_checklist(store: Store) -> None:
    with pytest.raises(KeyError):
        answer(store, "missing", 1)
    assert store.db["answers"].count == 0
    assert store.db["events"].count == 0


def test_failed_write_rolls_back(store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Rollback"), "alice")
    with pytest.raises(RuntimeError), store.write() as db:
        db["feedback"].insert({"at": OLD, "entry_id": "legal.x", "helpful": 1})
        raise RuntimeError("boom")
    assert store.db["feedback"].count == 0
    assert store.get_checklist(checklist_id) is not None


# Checklists and answers ------------------------------------------------------------------------


def test_answers_supersede_and_events_are_logged(store: Store) -> None:
    checklist_id = store.create_checklist(
        ChecklistDetails("Events", reference="R1", value="£2m", category="care"), "alice"
    )
    first = answer(store, checklist_id, 1)
    refused = store.add_answer(
        checklist_id, "outcomes", "none-relevant", "n/a", "bob", AnswerStatus.REFUSED, ["boilerplate"]
    )
    second = answer(store, checklist_id, 2)
    assert (first.supersedes, refused.supersedes, second.supersedes) == (None, None, first.id)
    assert refused.problems == ["boilerplate"]
    assert [a.id for a in store.answers(checklist_id)] == [first.id, refused.id, second.id]
    assert store.current_answers(checklist_id) == {"outcomes": second}
    kinds = [r["kind"] for r in store.db["events"].rows_where(order_by="id")]
    assert kinds == ["checklist.created", "answer.accepted", "answer.refused", "answer.accepted"]
    row = store.get_checklist(checklist_id)
    assert (row["reference"], row["value"], row["category"], row["source"]) == ("R1", "£2m", "care", "local")


def test_slack_location_and_step_messages(store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Slack"), "U1", team="T1", channel="C1", thread_ts="1.2")
    assert store.get_checklist(checklist_id)["source"] == "slack"
    assert store.find_checklist_by_thread("C1", "1.2")["id"] == checklist_id
    assert store.find_checklist_by_thread("C1", "9.9") is None
    store.set_step_message(checklist_id, "scope", "C1", "1.3")
    store.set_step_message(checklist_id, "scope", "C1", "1.4")
    assert store.step_messages(checklist_id)["scope"]["ts"] == "1.4"


def test_list_checklists_newest_first(store: Store) -> None:
    ids = [store.create_checklist(ChecklistDetails(f"C{i}"), "alice" if i % 2 else "bob") for i in range(4)]
    assert [r["id"] for r in store.list_checklists()] == ids[::-1]
    assert [r["id"] for r in store.list_checklists("alice")] == [ids[3], ids[1]]


# Concurrency ------------------------------------------------------------------------------------


def test_concurrent_writers_in_threads(path: Path, store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Threads"), "alice")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write(worker: int) -> None:
        own = Store(path)
        try:
            start.wait()
            for n in range(25):
                answer(own, checklist_id, worker * 100 + n, author=f"worker-{worker}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    rows = store.answers(checklist_id)
    assert len(rows) == 200
    assert sorted(r.reasons for r in rows) == sorted(f"reason {w * 100 + n}" for w in range(8) for n in range(25))
    # Each accepted answer supersedes exactly the one before it: no lost update.
    supersedes = [r.supersedes for r in rows]
    assert supersedes == [None, *[r.id for r in rows[:-1]]]
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"


def _process_writer(path: str, checklist_id: str, worker: int, count: int) -> None:
    store = Store(path)
    for n in range(count):
        answer(store, checklist_id, worker * 1000 + n, author=f"process-{worker}")
    store.close()


def test_concurrent_writers_in_processes(path: Path, store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Processes"), "alice")
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_process_writer, args=(str(path), checklist_id, i, 30)) for i in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0]
    rows = store.answers(checklist_id)
    assert len(rows) == 60
    assert {r.author for r in rows} == {"process-0", "process-1"}
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"


def _open_fresh(path: str, start, results) -> None:
    start.wait()
    try:
        Store(path).close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_migrating_a_new_database_at_once(tmp_path: Path) -> None:
    # Regression: migrations in deferred transactions failed with "database is locked" here.
    # The file is put in WAL mode first so this exercises the migrations alone (see the next test).
    context = multiprocessing.get_context("fork")
    failures = []
    for trial in range(2):
        path = str(tmp_path / f"fresh-{trial}.db")
        with sqlite3.connect(path) as conn:
            conn.execute("pragma journal_mode = wal")
        start, results = context.Barrier(4), context.Queue()
        processes = [context.Process(target=_open_fresh, args=(path, start, results)) for _ in range(4)]
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=60) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        failures += [o for o in outcomes if o != "ok"]
        assert [m.name for m in migrations.applied(Database(path))] == ALL_MIGRATIONS
    assert failures == []


def test_opening_a_new_database_waits_for_another_writer(path: Path) -> None:
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("create table scratch (x)")
    other.execute("begin immediate")
    release = threading.Timer(0.3, other.execute, ["commit"])
    release.start()
    try:
        store = Store(path)
    finally:
        release.join()
        other.close()
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"


# Slack event dedupe ------------------------------------------------------------------------------


def test_claim_event_dedupes(store: Store) -> None:
    assert store.claim_event("Ev001")
    assert not store.claim_event("Ev001")
    assert store.claim_event("Ev002")
    # Old ids expire after the TTL, so the table does not grow for ever.
    store.db.execute("update processed_events set at = at - 7200 where event_id = 'Ev001'")
    assert store.claim_event("Ev001", ttl_s=3600)
    assert store.db["processed_events"].count == 2


def test_claim_event_across_store_objects(path: Path, store: Store) -> None:
    other = Store(path)
    assert store.claim_event("Ev777")
    assert not other.claim_event("Ev777")


# Questions, feedback and retention -----------------------------------------------------------------


def test_log_question_and_unanswered(store: Store) -> None:
    store.log_question("what is tupe", answered=False, best_id=None, best_score=None, source="cli")
    store.log_question("thresholds?", answered=True, best_id="legal.thresholds", best_score=0.8, source="cli")
    long_id = store.log_question("x" * 5000, answered=False, best_id=None, best_score=None, source="slack", user="U1")
    texts = [r["text"] for r in store.unanswered_questions()]
    assert "what is tupe" in texts
    assert "thresholds?" not in texts
    assert len(store.db["questions"].get(long_id)["text"]) == 2000


def test_purge_clears_old_question_text(store: Store) -> None:
    store.db["questions"].insert_all(
        [
            {"asked_at": OLD, "text": "old question", "source": "slack", "user": "U1", "answered": 0},
            {"asked_at": OLD, "text": None, "source": "slack", "user": None, "answered": 0},
        ]
    )
    store.db["feedback"].insert(
        {"at": OLD, "user": "U1", "entry_id": "legal.thresholds", "question": "old feedback", "helpful": 0}
    )
    recent = store.log_question("recent question", answered=False, best_id=None, best_score=None, source="cli")
    store.add_feedback("legal.thresholds", True, "U2", "recent feedback")

    purged = store.purge_questions(90)

    assert purged == 2
    old = store.db["questions"].get(1)
    assert (old["text"], old["user"], old["answered"]) == (None, None, 0)
    assert store.db["questions"].get(recent)["text"] == "recent question"
    feedback = {r["question"] for r in store.db["feedback"].rows}
    assert feedback == {None, "recent feedback"}
    assert [r["text"] for r in store.unanswered_questions()] == ["recent question"]
    [event] = store.db["events"].rows_where("kind = 'purge'")
    assert json.loads(event["data"]) == {"older_than_days": 90, "rows": 2}


def test_purge_with_zero_days_clears_everything(store: Store) -> None:
    store.db["questions"].insert(
        {"asked_at": (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat(), "text": "q", "answered": 0}
    )
    assert store.purge_questions(0) == 1
    assert store.unanswered_questions() == []


# Backup ------------------------------------------------------------------------------------------


def test_backup_is_a_readable_copy(tmp_path: Path, store: Store) -> None:
    checklist_id = store.create_checklist(ChecklistDetails("Backed up"), "alice")
    answer(store, checklist_id, 1)
    target = tmp_path / "backup.db"
    store.backup(target)
    copy = sqlite3.connect(target)
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("select title from checklists").fetchall() == [("Backed up",)]
    assert copy.execute("select count(*) from answers").fetchone()[0] == 1
    copy.close()
    restored = Store(target)
    assert [a.reasons for a in restored.answers(checklist_id)] == ["reason 1"]
