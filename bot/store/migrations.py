"""Schema of the svbot database, created and upgraded with sqlite-utils migrations.

Migrations are append-only: never edit one that has shipped, add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

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
