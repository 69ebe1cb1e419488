"""Schema of the svbot database, created and upgraded with sqlite-utils migrations.

Migrations are append-only: never edit one that has shipped, add a new one.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.store import chain

migrations = Migrations("svbot")


@migrations()
def m001_initial(db: Database) -> None:
    db["checklists"].create(
        {
            "id": str,
            "title": str,
            "reference": str,
            "value": str,
            "category": str,
            "created_by": str,
            "created_at": str,
            "source": str,
            "team": str,
            "channel": str,
            "thread_ts": str,
        },
        pk="id",
        not_null={"title", "created_by", "created_at", "source"},
    )
    db["answers"].create(
        {
            "id": int,
            "checklist_id": str,
            "step": str,
            "decision": str,
            "reasons": str,
            "author": str,
            "created_at": str,
            "accepted": int,
            "problems": str,
            "supersedes": int,
        },
        pk="id",
        not_null={"checklist_id", "step", "decision", "reasons", "author", "created_at", "accepted"},
        foreign_keys=[("checklist_id", "checklists", "id"), ("supersedes", "answers", "id")],
    )
    db["answers"].create_index(["checklist_id", "step", "id"])
    db["events"].create(
        {"id": int, "at": str, "kind": str, "actor": str, "checklist_id": str, "data": str},
        pk="id",
        not_null={"at", "kind"},
    )
    db["questions"].create(
        {
            "id": int,
            "asked_at": str,
            "text": str,
            "source": str,
            "user": str,
            "answered": int,
            "best_id": str,
            "best_score": float,
        },
        pk="id",
        not_null={"asked_at", "answered"},
    )
    db["questions"].create_index(["answered", "asked_at"])
    db["feedback"].create(
        {"id": int, "at": str, "user": str, "entry_id": str, "question": str, "helpful": int},
        pk="id",
        not_null={"at", "entry_id", "helpful"},
    )


@migrations()
def m002_slack_and_sign_off(db: Database) -> None:
    db["checklists"].add_column("decision_maker", str)
    db["checklists"].add_column("parent_ts", str)
    db["slack_messages"].create(
        {"checklist_id": str, "step": str, "channel": str, "ts": str},
        pk=("checklist_id", "step"),
        foreign_keys=[("checklist_id", "checklists", "id")],
    )
    db["processed_events"].create({"event_id": str, "at": float}, pk="event_id")
    db["processed_events"].create_index(["at"])


@migrations()
def m003_slack_post_claims(db: Database) -> None:
    # One row per thing posted in a checklist's thread (a step message, the record at a
    # completion): whoever inserts it posts it, so concurrent accepts never post twice.
    db["slack_posts"].create(
        {"checklist_id": str, "key": str, "at": str},
        pk=("checklist_id", "key"),
        foreign_keys=[("checklist_id", "checklists", "id")],
    )


@migrations()
def m004_states_and_sign_off(db: Database) -> None:
    """Answer states (see bot/checklist/states.py), disputes, deferral, withdrawal, start date, names."""
    answers = db["answers"]
    answers.add_column("status", str)
    # Before states existed an answer was either accepted or refused.
    db.execute("update answers set status = case when accepted = 1 then 'accepted' else 'refused' end")
    for column in (
        "dispute_note",
        "disputed_by",
        "disputed_at",
        "resolution_note",
        "resolved_by",
        "resolved_at",
        "revisit_on",
        "rules",
        "cites",
        "kb_fingerprint",
        "kb_date",
        "scope",
    ):
        answers.add_column(column, str)
    answers.create_index(["checklist_id", "status"])
    checklists = db["checklists"]
    for column in (
        "decision_maker_role",
        "buying",
        "starts_on",
        "start_event",
        "withdrawn_at",
        "withdrawn_by",
        "withdraw_reason",
    ):
        checklists.add_column(column, str)
    db["people"].create({"user": str, "name": str, "updated_at": str}, pk="user", not_null={"name", "updated_at"})


@migrations()
def m005_hash_chain(db: Database) -> None:
    """Tamper evidence (see chain.py). Existing history is sealed now, and a marker says so."""
    for table in ("answers", "events"):
        db[table].add_column("seq", int)
        db[table].add_column("prev_hash", str)
        db[table].add_column("hash", str)
    db["checklists"].add_column("chain_head", str)
    db["checklists"].add_column("chain_length", int)
    db["events"].create_index(["checklist_id", "seq"])
    sealed_at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    for checklist in list(db["checklists"].rows):
        rows = [
            ("answers", a, a["created_at"], 0) for a in db["answers"].rows_where("checklist_id = ?", [checklist["id"]])
        ]
        rows += [("events", e, e["at"], 1) for e in db["events"].rows_where("checklist_id = ?", [checklist["id"]])]
        # Oldest first; an answer before the event that logged it.
        for table, row, _, _ in sorted(rows, key=lambda r: (r[2], r[3], r[1]["id"])):
            chain.seal(db, checklist["id"], table, row)
        snapshot = {name: checklist.get(name) for name in chain.CHECKLIST_FIELDS}
        data = {
            "earlier_entries": len(rows),
            "note": "history written before this upgrade was sealed now",
            "checklist": snapshot,
        }
        marker = {
            "at": sealed_at,
            "kind": chain.STARTED_BY_MIGRATION,
            "actor": None,
            "checklist_id": checklist["id"],
            "data": json.dumps(data, ensure_ascii=False),
        }
        marker["id"] = db["events"].insert(marker).last_pk
        chain.seal(db, checklist["id"], "events", marker)


@migrations()
def m006_slack_nation_and_body(db: Database) -> None:
    # Chosen in Slack's "New checklist" form (defaults SVBOT_NATION / SVBOT_BODY).
    db["checklists"].add_column("nation", str)
    db["checklists"].add_column("body_type", str)


@migrations()
def m007_indexes_for_who_is_waiting(db: Database) -> None:
    # The App Home and the daily reminder ask, in SQL, which checklists wait on a person.
    db["checklists"].create_index(["decision_maker"], if_not_exists=True)
    db["checklists"].create_index(["created_by"], if_not_exists=True)
    db["answers"].create_index(["author"], if_not_exists=True)


@migrations()
def m008_question_language(db: Database) -> None:
    # A question in a language svbot does not read ("welsh", "other-script"), marked for the report.
    db["questions"].add_column("language", str)
