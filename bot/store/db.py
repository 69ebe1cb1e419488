"""The one object that reads and writes svbot's SQLite database.

Every write runs in a short ``BEGIN IMMEDIATE`` transaction, so concurrent
writers queue on SQLite's lock (with a busy timeout) instead of failing on a
lock upgrade. WAL mode lets readers carry on while one process writes.
Connections are per thread: the Slack app answers requests on a pool.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlite_utils import Database

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.problems import Problem
from bot.store import chain
from bot.store.migrations import migrations

BUSY_TIMEOUT_S = 30.0


def now() -> str:
    """The current time as an ISO 8601 UTC string (sorts correctly as text)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer. ``status`` is an ``AnswerStatus``; everything else never changes once written."""

    id: int
    checklist_id: str
    step: str
    decision: str
    reasons: str
    author: str
    created_at: str
    status: AnswerStatus
    problems: list[str]
    supersedes: int | None
    rules: list[str] = field(default_factory=list)
    cites: list[dict[str, str]] = field(default_factory=list)
    kb_fingerprint: str | None = None
    kb_date: str | None = None
    revisit_on: str | None = None
    scope: dict[str, Any] | None = None
    dispute_note: str | None = None
    disputed_by: str | None = None
    disputed_at: str | None = None
    resolution_note: str | None = None
    resolved_by: str | None = None
    resolved_at: str | None = None

    @property
    def accepted(self) -> bool:
        """Accepted by the checker itself (an upheld answer was accepted by a person instead)."""
        return self.status is AnswerStatus.ACCEPTED

    @property
    def counts(self) -> bool:
        return self.status.counts

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AnswerRow:
        status = row.get("status") or ("accepted" if row["accepted"] else "refused")
        return cls(
            id=row["id"],
            checklist_id=row["checklist_id"],
            step=row["step"],
            decision=row["decision"],
            reasons=row["reasons"],
            author=row["author"],
            created_at=row["created_at"],
            status=AnswerStatus(status),
            problems=json.loads(row["problems"] or "[]"),
            supersedes=row["supersedes"],
            rules=json.loads(row.get("rules") or "[]"),
            cites=json.loads(row.get("cites") or "[]"),
            kb_fingerprint=row.get("kb_fingerprint"),
            kb_date=row.get("kb_date"),
            revisit_on=row.get("revisit_on"),
            scope=json.loads(row["scope"]) if row.get("scope") else None,
            dispute_note=row.get("dispute_note"),
            disputed_by=row.get("disputed_by"),
            disputed_at=row.get("disputed_at"),
            resolution_note=row.get("resolution_note"),
            resolved_by=row.get("resolved_by"),
            resolved_at=row.get("resolved_at"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "step": self.step,
            "decision": self.decision,
            "reasons": self.reasons,
            "author": self.author,
            "at": self.created_at,
            "status": str(self.status),
            "accepted": self.accepted,
            "counts": self.counts,
            "problems": self.problems,
            "rules": self.rules,
            "supersedes": self.supersedes,
            "revisit_on": self.revisit_on,
            "scope": self.scope,
            "dispute": {"note": self.dispute_note, "by": self.disputed_by, "at": self.disputed_at}
            if self.disputed_at
            else None,
            "resolution": {"note": self.resolution_note, "by": self.resolved_by, "at": self.resolved_at}
            if self.resolved_at
            else None,
        }


class Store:
    """Owns the database file: schema, migrations and every query."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        try:
            self.migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _open_problem(Path(self.path), exc) from None

    def _connect(self) -> Database:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if self.path != ":memory:":
            self._enable_wal(conn)
        # In WAL mode NORMAL keeps every committed transaction through a process crash
        # (SIGKILL); only an OS crash or power cut can lose the last ones.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return Database(conn)

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        """Switch to WAL, waiting for other writers: SQLite does not apply busy_timeout to this pragma."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.01
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @property
    def db(self) -> Database:
        """This thread's connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent, safe when several processes start at once)."""
        # BEGIN IMMEDIATE makes concurrent starters queue on the write lock
        # (busy_timeout) instead of failing on a read-to-write upgrade.
        with self.write() as db:
            migrations.apply(db)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A short write transaction that takes SQLite's write lock up front.

        Threads of this process queue on a Python lock first: SQLite's busy
        handler sleeps in growing steps (up to 100 ms), which under load costs
        far more than the writes themselves. Other processes still wait on
        SQLite's lock through busy_timeout.
        """
        db = self.db
        with self._write_lock:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            else:
                db.conn.execute("COMMIT")

    def _event(self, db: Database, kind: str, actor: str | None, checklist_id: str | None, **data: Any) -> None:
        """Log an event; one about a checklist joins that checklist's hash chain."""
        row = {
            "at": now(),
            "kind": kind,
            "actor": actor,
            "checklist_id": checklist_id,
            "data": json.dumps(data, ensure_ascii=False),
        }
        row["id"] = db["events"].insert(row).last_pk
        if checklist_id is not None:
            chain.seal(db, checklist_id, "events", row)

    # Checklists ------------------------------------------------------------

    def create_checklist(
        self,
        details: ChecklistDetails,
        created_by: str,
        *,
        team: str | None = None,
        channel: str | None = None,
        parent_ts: str | None = None,
        thread_ts: str | None = None,
        checklist_id: str | None = None,
    ) -> str:
        """Save a new checklist; its details go on the row and, as given, into the chained creation event."""
        checklist_id = checklist_id or secrets.token_hex(4)
        given = details.stored()
        with self.write() as db:
            db["checklists"].insert(
                {
                    "id": checklist_id,
                    **given,
                    "created_by": created_by,
                    "created_at": now(),
                    "source": "slack" if channel else "local",
                    "team": team,
                    "channel": channel,
                    "parent_ts": parent_ts,
                    "thread_ts": thread_ts,
                }
            )
            self._event(db, "checklist.created", created_by, checklist_id, **given)
        return checklist_id

    def set_decision_maker(self, checklist_id: str, user: str, actor: str, role: str | None = None) -> None:
        with self.write() as db:
            db["checklists"].update(checklist_id, {"decision_maker": user, "decision_maker_role": role})
            self._event(db, "checklist.decision_maker", actor, checklist_id, decision_maker=user, role=role)

    def set_start(self, checklist_id: str, starts_on: str, start_event: str | None, actor: str) -> None:
        """When the procurement starts (or started), and what marks it."""
        with self.write() as db:
            db["checklists"].update(checklist_id, {"starts_on": starts_on, "start_event": start_event})
            self._event(db, "checklist.start", actor, checklist_id, starts_on=starts_on, start_event=start_event)

    def withdraw(self, checklist_id: str, reason: str, actor: str) -> None:
        with self.write() as db:
            db["checklists"].update(
                checklist_id, {"withdrawn_at": now(), "withdrawn_by": actor, "withdraw_reason": reason}
            )
            self._event(db, "checklist.withdrawn", actor, checklist_id, reason=reason)

    def get_checklist(self, checklist_id: str) -> dict[str, Any] | None:
        rows = list(self.db["checklists"].rows_where("id = ?", [checklist_id]))
        return rows[0] if rows else None

    def find_checklist_by_thread(self, channel: str, thread_ts: str) -> dict[str, Any] | None:
        rows = list(self.db["checklists"].rows_where("channel = ? and thread_ts = ?", [channel, thread_ts]))
        return rows[0] if rows else None

    def all_checklists(self) -> list[dict[str, Any]]:
        """Every checklist, oldest first (the report's figures; lists use ``list_checklists``)."""
        return list(self.db["checklists"].rows_where(order_by="created_at, rowid"))

    def list_checklists(self, created_by: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        where, args = ("created_by = ?", [created_by]) if created_by else (None, [])
        return list(self.db["checklists"].rows_where(where, args, order_by="created_at desc, rowid desc", limit=limit))

    def checklist_states(
        self,
        which: str,
        *,
        decision_step: str,
        sign_off: Iterable[str],
        required: Sequence[str],
        defer: str,
        user: str | None = None,
        waiting_for_sign_off: bool = False,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Checklists with where each has got to, worked out in one query (no replay per checklist).

        ``which``: ``decider`` (``user`` signs them off), ``involved`` (``user`` started or
        answered them; the newest ``limit``) or ``slack`` (every Slack checklist not withdrawn).
        Each row is the checklist plus ``answered`` and ``disputed`` (step ids whose current
        answer counts / is disputed), the ``decision`` step's current ``decision``,
        ``decision_status`` and ``revisit_on``, ``signed`` (a sign-off that still stands: the
        rules of ``bot.checklist.progress``) and ``required_open`` (how many of the ``required``
        steps do not count yet). ``waiting_for_sign_off`` keeps those where every required step
        counts and the sign-off is all that is left (not signed, not deferred).
        """
        pick = _PICK[which] + (" order by created_at desc, id limit :n" if which == "involved" else "")
        where = " where required_open = 0 and not signed and not deferred" if waiting_for_sign_off else ""
        sql = f"select * from ({_STATES.format(pick=pick)}){where} order by created_at desc, id limit :n"
        params = {
            "user": user,
            "n": limit,
            "decision_step": decision_step,
            "sign_off": json.dumps(sorted(sign_off)),
            "required": json.dumps(list(required)),
            "defer": defer,
        }
        rows = []
        for row in self.db.query(sql, params):
            row["answered"] = json.loads(row["answered"])
            row["disputed"] = json.loads(row["disputed"])
            row["signed"], row["deferred"] = bool(row["signed"]), bool(row["deferred"])
            rows.append(row)
        return rows

    # Answers ---------------------------------------------------------------

    def add_answer(
        self,
        checklist_id: str,
        step: str,
        decision: str,
        reasons: str,
        author: str,
        status: AnswerStatus | bool,
        problems: list[str],
        *,
        rules: list[str] | None = None,
        cites: list[dict[str, str]] | None = None,
        kb_fingerprint: str | None = None,
        kb_date: str | None = None,
        revisit_on: str | None = None,
        scope: dict[str, Any] | None = None,
    ) -> AnswerRow:
        """Append an answer; an accepted one supersedes the step's current answer.

        ``status`` may still be given as a bool (accepted or refused), as before states existed.
        """
        if isinstance(status, bool):
            status = AnswerStatus.ACCEPTED if status else AnswerStatus.REFUSED
        with self.write() as db:
            if not db["checklists"].count_where("id = ?", [checklist_id]):
                raise KeyError(checklist_id)
            previous = self._current_id(db, checklist_id, step) if status is AnswerStatus.ACCEPTED else None
            record = {
                "checklist_id": checklist_id,
                "step": step,
                "decision": decision,
                "reasons": reasons,
                "author": author,
                "created_at": now(),
                "accepted": int(status is AnswerStatus.ACCEPTED),
                "status": str(status),
                "problems": json.dumps(problems, ensure_ascii=False),
                "supersedes": previous,
                "rules": json.dumps(rules or [], ensure_ascii=False),
                "cites": json.dumps(cites or [], ensure_ascii=False),
                "kb_fingerprint": kb_fingerprint,
                "kb_date": kb_date,
                "revisit_on": revisit_on,
                "scope": json.dumps(scope, ensure_ascii=False) if scope else None,
            }
            answer_id = db["answers"].insert(record).last_pk
            chain.seal(db, checklist_id, "answers", {**record, "id": answer_id})
            self._event(db, f"answer.{status}", author, checklist_id, step=step, decision=decision, answer_id=answer_id)
        return AnswerRow.from_row({**record, "id": answer_id})

    @staticmethod
    def _current_id(db: Database, checklist_id: str, step: str) -> int | None:
        row = db.execute(
            "select id from answers where checklist_id = ? and step = ? and status != 'refused' "
            "order by id desc limit 1",
            [checklist_id, step],
        ).fetchone()
        return row[0] if row else None

    def dispute(self, answer_id: int, note: str, by: str) -> AnswerRow:
        """Record a refused answer as disputed by the team, with their note."""
        return self._move(answer_id, AnswerStatus.REFUSED, AnswerStatus.DISPUTED, "disputed", note, by)

    def uphold(self, answer_id: int, note: str, by: str) -> AnswerRow:
        """Record a disputed answer as accepted by a person over the checker's objection."""
        return self._move(answer_id, AnswerStatus.DISPUTED, AnswerStatus.UPHELD, "resolved", note, by)

    def _move(
        self, answer_id: int, before: AnswerStatus, after: AnswerStatus, prefix: str, note: str, by: str
    ) -> AnswerRow:
        note_column = "dispute_note" if prefix == "disputed" else "resolution_note"
        at = now()
        with self.write() as db:
            row = db.execute("select checklist_id, step, status from answers where id = ?", [answer_id]).fetchone()
            if row is None or row[2] != before:
                raise KeyError(answer_id)
            checklist_id, step = row[0], row[1]
            db.execute(
                f"update answers set status = ?, {note_column} = ?, {prefix}_by = ?, {prefix}_at = ? where id = ?",
                [str(after), note, by, at, answer_id],
            )
            self._event(db, f"answer.{after}", by, checklist_id, step=step, answer_id=answer_id, note=note)
        return self.answer(answer_id)

    def answer(self, answer_id: int) -> AnswerRow:
        return AnswerRow.from_row(self.db["answers"].get(answer_id))

    def answers(self, checklist_id: str) -> list[AnswerRow]:
        """Every answer to the checklist, oldest first."""
        return [
            AnswerRow.from_row(r)
            for r in self.db["answers"].rows_where("checklist_id = ?", [checklist_id], order_by="id")
        ]

    def current_answers(self, checklist_id: str) -> dict[str, AnswerRow]:
        """Each step's current answer: the latest that is not refused (it may be disputed: check ``counts``)."""
        current: dict[str, AnswerRow] = {}
        for answer in self.answers(checklist_id):
            if answer.status is not AnswerStatus.REFUSED:
                current[answer.step] = answer
        return current

    def events(self, checklist_id: str) -> list[dict[str, Any]]:
        """The checklist's events, oldest first, with their data decoded."""
        return [
            {**r, "data": json.loads(r["data"] or "{}")}
            for r in self.db["events"].rows_where("checklist_id = ?", [checklist_id], order_by="id")
        ]

    def verify_chain(self, checklist_id: str) -> chain.ChainReport:
        """Recompute the checklist's hash chain and replay its events against the stored rows."""
        checklist = self.get_checklist(checklist_id)
        if checklist is None:
            raise KeyError(checklist_id)
        answers = list(self.db["answers"].rows_where("checklist_id = ?", [checklist_id]))
        events = list(self.db["events"].rows_where("checklist_id = ?", [checklist_id]))
        report = chain.ChainReport(checklist_id)
        chain.check(checklist, [("answers", a) for a in answers] + [("events", e) for e in events], report)
        return chain.replay(checklist, answers, events, report)

    # People ----------------------------------------------------------------

    def set_person_name(self, user: str, name: str) -> None:
        """The name to print for ``user`` on records (asked once by the chat)."""
        with self.write() as db:
            db["people"].upsert({"user": user, "name": name, "updated_at": now()}, pk="user")
            self._event(db, "person.named", user, None, name=name)

    def person_name(self, user: str) -> str | None:
        row = self.db.execute("select name from people where user = ?", [user]).fetchone()
        return row[0] if row else None

    def people_named(self, name: str) -> list[str]:
        """The ids of everyone who gave ``name`` (any case or spacing), in id order."""
        wanted = " ".join(name.split()).casefold()
        rows = self.db.execute("select user, name from people order by user").fetchall()
        return [user for user, given in rows if " ".join(given.split()).casefold() == wanted]

    # Slack bookkeeping -----------------------------------------------------

    def set_step_message(self, checklist_id: str, step: str, channel: str, ts: str) -> None:
        with self.write() as db:
            db["slack_messages"].upsert(
                {"checklist_id": checklist_id, "step": step, "channel": channel, "ts": ts},
                pk=("checklist_id", "step"),
            )

    def step_messages(self, checklist_id: str) -> dict[str, dict[str, str]]:
        return {r["step"]: r for r in self.db["slack_messages"].rows_where("checklist_id = ?", [checklist_id])}

    def claim_post(self, checklist_id: str, key: str) -> bool:
        """Claim posting ``key`` (e.g. ``step:scope``) in a checklist's thread; False if already claimed.

        The claim is a row, so it holds across threads and processes: each thing is posted once.
        """
        with self.write() as db:
            cursor = db.execute(
                "insert or ignore into slack_posts (checklist_id, key, at) values (?, ?, ?)", [checklist_id, key, now()]
            )
            return cursor.rowcount == 1

    def release_post(self, checklist_id: str, key: str) -> None:
        """Give up a claim whose post failed, so a later change can post it."""
        with self.write() as db:
            db.execute("delete from slack_posts where checklist_id = ? and key = ?", [checklist_id, key])

    def claim_event(self, event_id: str, ttl_s: float = 3600.0) -> bool:
        """Record a Slack event id; False if it was already seen (a retry)."""
        at = time.time()
        with self.write() as db:
            db.execute("delete from processed_events where at < ?", [at - ttl_s])
            cursor = db.execute("insert or ignore into processed_events (event_id, at) values (?, ?)", [event_id, at])
            return cursor.rowcount == 1

    # Questions and feedback ------------------------------------------------

    def log_question(
        self,
        text: str,
        *,
        answered: bool,
        best_id: str | None,
        best_score: float | None,
        source: str,
        user: str | None = None,
        language: str | None = None,
    ) -> int:
        """Log a question; ``language`` marks one in a language svbot does not read ("welsh", "other-script")."""
        with self.write() as db:
            table = db["questions"].insert(
                {
                    "asked_at": now(),
                    "text": text[:2000],
                    "source": source,
                    "user": user,
                    "answered": int(answered),
                    "best_id": best_id,
                    "best_score": best_score,
                    "language": language,
                }
            )
            return cast(int, table.last_pk)  # an insert into a rowid table always sets it

    def question_text(self, question_id: int) -> str | None:
        """A logged question's text (None once purged or if there is no such question)."""
        row = self.db.execute("select text from questions where id = ?", [question_id]).fetchone()
        return row[0] if row else None

    def question_counts(self, start: str | None = None, end: str | None = None) -> tuple[int, int]:
        """(questions logged, of which unanswered), asked from ``start`` until before ``end`` (ISO, UTC)."""
        where, args = _between("asked_at", start, end)
        total, unanswered = self.db.execute(
            f"select count(*), coalesce(sum(answered = 0), 0) from questions where {where}", args
        ).fetchone()
        return int(total), int(unanswered)

    def feedback_by_entry(self, start: str | None = None, end: str | None = None) -> list[tuple[str, int, int]]:
        """(entry id, helpful votes, not-helpful votes) for every entry with feedback (given in the window)."""
        where, args = _between("at", start, end)
        rows = self.db.execute(
            f"select entry_id, sum(helpful), sum(1 - helpful) from feedback where {where} "
            "group by entry_id order by entry_id",
            args,
        ).fetchall()
        return [(entry_id, int(helpful), int(not_helpful)) for entry_id, helpful, not_helpful in rows]

    def unanswered_questions(
        self, limit: int = 500, start: str | None = None, end: str | None = None
    ) -> list[dict[str, Any]]:
        where, args = _between("asked_at", start, end)
        return list(
            self.db["questions"].rows_where(
                f"answered = 0 and text is not null and {where}", args, order_by="asked_at desc", limit=limit
            )
        )

    def add_feedback(self, entry_id: str, helpful: bool, user: str | None, question: str | None) -> None:
        with self.write() as db:
            db["feedback"].insert(
                {
                    "at": now(),
                    "user": user,
                    "entry_id": entry_id,
                    "question": (question or "")[:2000] or None,
                    "helpful": int(helpful),
                }
            )
            self._event(db, "feedback", user, None, entry_id=entry_id, helpful=helpful)

    def purge_questions(self, older_than_days: int) -> int:
        """Forget the text of questions older than the retention period."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat()
        with self.write() as db:
            n = db.execute(
                "update questions set text = null, user = null where asked_at < ? and text is not null", [cutoff]
            ).rowcount
            n += db.execute(
                "update feedback set question = null, user = null where at < ? and question is not null", [cutoff]
            ).rowcount
            self._event(db, "purge", None, None, older_than_days=older_than_days, rows=n)
        return n

    def backup(self, target: Path) -> None:
        """Copy the database with SQLite's online backup API (safe while running).

        ``target`` is checked by the caller (bot.files.backup_target): never another file's data.
        """
        try:
            dest = sqlite3.connect(str(target))
            try:
                self.db.conn.backup(dest)
            finally:
                dest.close()
        except sqlite3.DatabaseError as exc:
            raise Problem("output_failed", path=target, reason=str(exc)) from None


def _between(column: str, start: str | None, end: str | None) -> tuple[str, list[str]]:
    """A SQL condition: ``column`` (an ISO timestamp) from ``start`` until before ``end``; either may be open."""
    conditions, args = ["1 = 1"], []
    if start:
        conditions.append(f"{column} >= ?")
        args.append(start)
    if end:
        conditions.append(f"{column} < ?")
        args.append(end)
    return " and ".join(conditions), args


def _open_problem(path: Path, exc: sqlite3.DatabaseError) -> Problem:
    """Why SQLite would not open SVBOT_DB, in words an admin can act on."""
    if path.name != ":memory:" and not path.parent.is_dir():
        return Problem("db_no_folder", path=path, folder=path.parent)
    if "not a database" in str(exc) or "encrypted" in str(exc):
        return Problem("db_not_database", path=path)
    return Problem("db_cannot_open", path=path, reason=str(exc))


# Which checklists ``Store.checklist_states`` looks at (each served by an index; see migrations).
_PICK = {
    "decider": "select * from checklists where withdrawn_at is null"
    " and (decision_maker = :user or (decision_maker is null and created_by = :user))",
    "involved": "select * from checklists where created_by = :user"
    " or id in (select checklist_id from answers where author = :user)",
    "slack": "select * from checklists where parent_ts is not null and withdrawn_at is null",
}

# Each picked checklist's state: every step's current answer (the latest not refused), and
# whether the decision step's sign-off still stands, i.e. nothing that reopens a checklist
# (another step revised, disputed or upheld; the decision maker changed) was logged after
# the event that made the sign-off count. The same rules as bot/checklist/progress.py;
# tests/store/test_states.py checks the two agree.
_STATES = """
with picked as ({pick}),
cur as (
  select a.checklist_id, a.step, a.status, a.decision, a.id, a.revisit_on,
         row_number() over (partition by a.checklist_id, a.step order by a.id desc) as rn
  from answers a join picked p on p.id = a.checklist_id
  where a.status != 'refused'
),
state as (
  select p.id as sid,
    json_group_array(c.step) filter (where c.status in ('accepted', 'upheld')) as answered,
    json_group_array(c.step) filter (where c.status = 'disputed') as disputed,
    max(c.id) filter (where c.step = :decision_step) as decision_id,
    max(c.decision) filter (where c.step = :decision_step) as decision,
    max(c.status) filter (where c.step = :decision_step) as decision_status,
    max(c.revisit_on) filter (where c.step = :decision_step) as revisit_on
  from picked p left join cur c on c.checklist_id = p.id and c.rn = 1
  group by p.id
),
signing as (
  select s.sid, (
      select max(g.id) from events g
      where g.checklist_id = s.sid and g.kind in ('answer.accepted', 'answer.upheld')
        and json_extract(g.data, '$.answer_id') = s.decision_id
    ) as signed_event
  from state s
  where s.decision_status in ('accepted', 'upheld') and s.decision in (select value from json_each(:sign_off))
)
select p.*, s.answered, s.disputed, s.decision, s.decision_status, s.revisit_on,
  g.signed_event is not null and not exists (
    select 1 from events e
    where e.checklist_id = p.id and e.id > g.signed_event
      and (e.kind = 'checklist.decision_maker'
           or (e.kind in ('answer.accepted', 'answer.disputed', 'answer.upheld')
               and coalesce(json_extract(e.data, '$.step'), '') != :decision_step))
  ) as signed,
  coalesce(s.decision_status in ('accepted', 'upheld') and s.decision = :defer, 0) as deferred,
  (select count(*) from json_each(:required) r where r.value not in (select value from json_each(s.answered)))
    as required_open
from picked p join state s on s.sid = p.id left join signing g on g.sid = p.id
"""
