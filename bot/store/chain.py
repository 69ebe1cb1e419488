"""Tamper evidence: each checklist's answers and events form one SHA-256 hash chain.

Every answer and event row written for a checklist carries ``seq`` (its place
in the checklist's history), ``prev_hash`` and ``hash`` = SHA-256 of the
previous hash and the row's canonical content. The checklist row keeps the
head (``chain_head``, ``chain_length``), so a deleted last row shows too.
Editing, deleting or inserting any row breaks a link that ``verify``
recomputes. An answer's status, dispute and resolution columns change after
it is written; ``verify`` replays the chained events to check them, and the
checklist's own details likewise.

It is evidence, not proof: someone who can write the database can rebuild
the whole chain. The record prints the final digest, so a copy filed
elsewhere pins the history as it stood.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from bot.checklist.details import DETAIL_FIELDS

GENESIS = "0" * 64

# An answer's content as first written (``accepted`` is the checker's verdict and never changes;
# ``status`` does, and is checked against the events instead).
ANSWER_FIELDS = (
    "id",
    "checklist_id",
    "step",
    "decision",
    "reasons",
    "author",
    "created_at",
    "accepted",
    "problems",
    "supersedes",
    "rules",
    "cites",
    "kb_fingerprint",
    "kb_date",
    "revisit_on",
    "scope",
)
EVENT_FIELDS = ("id", "at", "kind", "actor", "checklist_id", "data")
# The checklist's details that events set; verify replays the events and compares.
CHECKLIST_FIELDS = (*DETAIL_FIELDS, "created_by")
STARTED_BY_MIGRATION = "chain.started"


def content(table: str, row: dict[str, Any]) -> dict[str, Any]:
    fields = ANSWER_FIELDS if table == "answers" else EVENT_FIELDS
    return {"table": table, **{name: row.get(name) for name in fields}}


def link(prev_hash: str, table: str, row: dict[str, Any]) -> str:
    """The hash of one row, chained to the one before it."""
    canonical = json.dumps(content(table, row), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def seal(db: Database, checklist_id: str, table: str, row: dict[str, Any]) -> None:
    """Add a just-written row (as stored, with its id) to the end of its checklist's chain.

    Call inside the write transaction that wrote the row, so the chain cannot fork.
    """
    head, length = db.execute(
        "select coalesce(chain_head, ?), coalesce(chain_length, 0) from checklists where id = ?",
        [GENESIS, checklist_id],
    ).fetchone()
    digest = link(head, table, row)
    db.execute(
        f"update {table} set seq = ?, prev_hash = ?, hash = ? where id = ?", [length + 1, head, digest, row["id"]]
    )
    db.execute(
        "update checklists set chain_head = ?, chain_length = ? where id = ?", [digest, length + 1, checklist_id]
    )


@dataclass
class ChainReport:
    """What ``verify`` found for one checklist."""

    checklist_id: str
    links: int = 0
    digest: str = GENESIS
    started_at: str | None = None
    started_by_migration: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.checklist_id,
            "intact": self.intact,
            "links": self.links,
            "digest": self.digest,
            "started_at": self.started_at,
            "started_by_migration": self.started_by_migration,
            "problems": self.problems,
        }


def check(checklist: dict[str, Any], rows: Iterable[tuple[str, dict[str, Any]]], report: ChainReport) -> ChainReport:
    """Recompute the chain over ``rows`` ((table, row) pairs) and compare with what is stored."""
    ordered = sorted(rows, key=lambda tr: (tr[1].get("seq") is None, tr[1].get("seq") or 0))
    prev = GENESIS
    for expected, (table, row) in enumerate(ordered, 1):
        where = f"{table[:-1]} #{row['id']}"
        if row.get("seq") is None:
            report.problems.append(f"{where} is not in the chain: it was added outside svbot")
            continue
        if row["seq"] != expected:
            report.problems.append(f"{where} is entry {row['seq']} of the chain, expected {expected}: rows are missing")
        if row.get("prev_hash") != prev:
            report.problems.append(f"{where} does not follow the entry before it: a row was removed or reordered")
        if link(row.get("prev_hash") or "", table, row) != row.get("hash"):
            report.problems.append(f"{where} was changed after it was written")
        prev = row.get("hash") or ""
        if table == "events" and row["kind"] == STARTED_BY_MIGRATION:
            report.started_by_migration = True
            report.started_at = row["at"]
        if report.started_at is None:
            report.started_at = row.get("at") or row.get("created_at")
        report.links += 1
    report.digest = prev
    if checklist.get("chain_head") != prev or (checklist.get("chain_length") or 0) != report.links:
        report.problems.append("the chain ends early: its last entries were removed")
    return report


def replay(
    checklist: dict[str, Any], answers: list[dict[str, Any]], events: list[dict[str, Any]], report: ChainReport
) -> ChainReport:
    """Check the columns that change after writing (answer states, checklist details) against the events."""
    details: dict[str, Any] = {}
    expected = {a["id"]: _first_state(a) for a in answers}
    for event in sorted(events, key=lambda e: e.get("seq") or 0):
        data = json.loads(event.get("data") or "{}")
        kind = event["kind"]
        if kind == "checklist.created":
            details.update({k: v for k, v in data.items() if k in CHECKLIST_FIELDS}, created_by=event["actor"])
        elif kind == STARTED_BY_MIGRATION:
            details = dict(data.get("checklist") or {})
        elif kind == "checklist.context":  # Slack's form once set the nation and body type after creation
            details.update(nation=data.get("nation"), body_type=data.get("body_type"))
        elif kind == "checklist.decision_maker":
            details.update(decision_maker=data.get("decision_maker"), decision_maker_role=data.get("role"))
        elif kind == "checklist.start":
            details.update(starts_on=data.get("starts_on"), start_event=data.get("start_event"))
        elif kind == "checklist.withdrawn":
            details.update(withdrawn_by=event["actor"], withdraw_reason=data.get("reason"))
        elif kind in ("answer.disputed", "answer.upheld") and data.get("answer_id") in expected:
            prefix, note = (
                ("disputed", "dispute_note") if kind == "answer.disputed" else ("resolved", "resolution_note")
            )
            expected[data["answer_id"]].update(
                {"status": kind.partition(".")[2], note: data.get("note"), f"{prefix}_by": event["actor"]}
            )
    for name, value in details.items():
        if checklist.get(name) != value:
            report.problems.append(f"the checklist's {name.replace('_', ' ')} was changed outside svbot")
    for answer in answers:
        for name, value in expected[answer["id"]].items():
            if answer.get(name) != value:
                report.problems.append(f"answer #{answer['id']}'s {name.replace('_', ' ')} was changed outside svbot")
    return report


def _first_state(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": "accepted" if answer.get("accepted") else "refused",
        "dispute_note": None,
        "disputed_by": None,
        "resolution_note": None,
        "resolved_by": None,
    }
