"""Checklist operations shared by the CLI, the chat and Slack.

Nothing here knows about Slack: callers pass plain user names or ids.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.checklist.checker import Verdict
from bot.knowledge.schema import ChecklistStep

if TYPE_CHECKING:
    from bot.core import Snapshot, Svbot
    from bot.store.db import AnswerRow

MAX_TITLE = 200
MAX_REASONS_STORED = 20_000
EXPORT_FORMATS = ("md", "json", "csv")


def tidy_title(title: str) -> str:
    """A title as stored and shown: one line, single spaces, at most MAX_TITLE characters."""
    return " ".join(title.split())[:MAX_TITLE]


class ChecklistError(Exception):
    """A checklist request that cannot be carried out (unknown id, step or option)."""


class NotAllowed(ChecklistError):
    """The user may not take this action; the message says who can."""


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    problems: list[str]
    answer: AnswerRow
    verdict: Verdict
    complete: bool
    step: ChecklistStep
    cites: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "problems": self.problems,
            "answer_id": self.answer.id,
            "complete": self.complete,
        }


class ChecklistService:
    def __init__(self, app: Svbot):
        self.app = app

    @property
    def steps(self) -> list[ChecklistStep]:
        return list(self.app.snapshot().kb.checklist.steps)

    def step(self, step_id: str, snap: Snapshot | None = None) -> ChecklistStep:
        steps = (snap or self.app.snapshot()).kb.checklist.steps
        for step in steps:
            if step.id == step_id:
                return step
        known = ", ".join(s.id for s in steps)
        raise ChecklistError(f"there is no step '{step_id}'; the steps are: {known}")

    def _checklist(self, checklist_id: str) -> dict[str, Any]:
        row = self.app.store.get_checklist(checklist_id)
        if row is None:
            raise ChecklistError(f"there is no checklist '{checklist_id}'")
        return row

    def new(self, title: str, by: str, **details: str | None) -> str:
        """Create a checklist; ``details`` are the store's optional columns (value, channel, ...)."""
        title = tidy_title(title)
        if not title:
            raise ChecklistError("a checklist needs a title, e.g. the name of the procurement")
        return self.app.store.create_checklist(title, by, **details)

    def can_sign_off(self, checklist: dict[str, Any], user: str) -> bool:
        return user in (checklist["created_by"], checklist.get("decision_maker"))

    def name_decision_maker(self, checklist_id: str, user: str, by: str) -> None:
        checklist = self._checklist(checklist_id)
        if by != checklist["created_by"]:
            raise NotAllowed(
                self.app.renderer.render("checklist/not_allowed.txt.j2", checklist=checklist, action="name")
            )
        self.app.store.set_decision_maker(checklist_id, user, by)

    def check_may_answer(self, checklist_id: str, step_id: str, by: str) -> None:
        """Raise NotAllowed if ``by`` may not answer the step: only the sign-off step is restricted."""
        checklist = self._checklist(checklist_id)
        self._check_sign_off(checklist, self.step(step_id), by)

    def _check_sign_off(self, checklist: dict[str, Any], step: ChecklistStep, by: str) -> None:
        if step.sign_off and not self.can_sign_off(checklist, by):
            raise NotAllowed(
                self.app.renderer.render("checklist/not_allowed.txt.j2", checklist=checklist, action="sign")
            )

    def answer(self, checklist_id: str, step_id: str, decision: str, reasons: str, by: str) -> AnswerOutcome:
        """Check and record one answer. Refused answers are recorded too."""
        checklist = self._checklist(checklist_id)
        snap = self.app.snapshot()
        step = self.step(step_id, snap)
        if decision not in {o.id for o in step.options}:
            options = ", ".join(o.id for o in step.options)
            raise ChecklistError(f"'{decision}' is not an option for step '{step_id}'; choose one of: {options}")
        self._check_sign_off(checklist, step, by)
        reasons = (reasons or "").strip()
        verdict = snap.checker.check(step_id, decision, reasons)
        negative = snap.checker.is_negative(step_id, decision)
        problems = [
            self.app.renderer.render(
                "checklist/problem.txt.j2", code=code, step=step, negative=negative, verdict=verdict
            )
            for code in verdict.problems
        ]
        row = self.app.store.add_answer(
            checklist_id, step_id, decision, reasons[:MAX_REASONS_STORED], by, verdict.accepted, problems
        )
        complete = not self.open_steps(checklist_id)
        pointers = self.pointers(step, decision, snap)
        return AnswerOutcome(verdict.accepted, problems, row, verdict, complete, step, pointers)

    def pointers(self, step: ChecklistStep, decision: str, snap: Snapshot) -> list[dict[str, str]]:
        """Knowledge entries to show with a refusal: what others found."""
        negative = snap.checker.is_negative(step.id, decision)
        ids = step.negative_cite if negative else step.cite
        kb = snap.kb
        return [
            {"id": e.id, "title": e.title, "short_answer": e.short_answer}
            for e in (kb.get(i) for i in ids)
            if e is not None
        ]

    def open_steps(self, checklist_id: str) -> list[str]:
        answered = self.app.store.current_answers(checklist_id)
        return [s.id for s in self.steps if s.id not in answered]

    def all(self, created_by: str | None = None) -> list[dict[str, Any]]:
        """Every checklist (or one person's), newest first."""
        return [self.summary(row) for row in self.app.store.list_checklists(created_by)]

    def for_user(self, user: str, limit: int = 20) -> list[dict[str, Any]]:
        """Checklists the user started or answered, open ones first, newest first within each."""
        summaries = [self.summary(row) for row in self.app.store.checklists_for_user(user, limit=limit)]
        return sorted(summaries, key=lambda c: c["status"] == "complete")

    def summary(self, row: dict[str, Any]) -> dict[str, Any]:
        """One line of a list: where it lives and how far it has got."""
        current = self.app.store.current_answers(row["id"])
        total = len(self.steps)
        done = sum(1 for s in self.steps if s.id in current)
        return {
            "id": row["id"],
            "title": row["title"],
            "created_by": row["created_by"],
            "created_at": row["created_at"],
            "location": self._location(row),
            "status": "complete" if done == total else "open",
            "steps_answered": done,
            "steps_total": total,
        }

    @staticmethod
    def _location(row: dict[str, Any]) -> dict[str, Any]:
        if row.get("channel"):
            return {
                "where": "slack",
                "team": row.get("team"),
                "channel": row["channel"],
                "thread_ts": row.get("thread_ts"),
            }
        return {"where": "local"}

    def record(self, checklist_id: str) -> dict[str, Any]:
        """The decision record so far, with the whole history."""
        row = self._checklist(checklist_id)
        snap = self.app.snapshot()
        kb = snap.kb
        history = self.app.store.answers(checklist_id)
        current = {a.step: a for a in history if a.accepted}
        steps = []
        cited: dict[str, dict[str, str]] = {}
        for step in kb.checklist.steps:
            answer = current.get(step.id)
            labels = {o.id: o.label for o in step.options}
            for entry_id in step.cite:
                entry = kb.get(entry_id)
                if entry:
                    cited[entry_id] = {"id": entry.id, "title": entry.title, "kind": entry.kind}
            steps.append(
                {
                    "id": step.id,
                    "title": step.title,
                    "question": step.question,
                    "duty": step.duty,
                    "status": "answered" if answer else "open",
                    "decision": answer.decision if answer else None,
                    "decision_label": labels.get(answer.decision, answer.decision) if answer else None,
                    "reasons": answer.reasons if answer else None,
                    "author": answer.author if answer else None,
                    "at": answer.created_at if answer else None,
                    "answer_id": answer.id if answer else None,
                    "revisions": sum(1 for a in history if a.step == step.id and a.accepted),
                    "refused": sum(1 for a in history if a.step == step.id and not a.accepted),
                    "cites": [e for e in step.cite if e in cited],
                }
            )
        open_steps = [s["id"] for s in steps if s["status"] == "open"]
        sign_off = next((s for s in steps if s["id"] == "decision" and s["status"] == "answered"), None)
        return {
            "id": row["id"],
            "title": row["title"],
            "reference": row.get("reference"),
            "value": row.get("value"),
            "category": row.get("category"),
            "created_by": row["created_by"],
            "created_at": row["created_at"],
            "decision_maker": row.get("decision_maker"),
            "location": self._location(row),
            "status": "complete" if not open_steps else "open",
            "open_steps": open_steps,
            "sign_off": {"by": sign_off["author"], "at": sign_off["at"], "decision": sign_off["decision"]}
            if sign_off
            else None,
            "steps": steps,
            "cited_entries": list(cited.values()),
            "history": [a.as_dict() for a in history],
            "checklist_title": kb.checklist.title,
        }

    def export(self, checklist_id: str, fmt: str) -> str:
        """The decision record as Markdown, JSON or CSV."""
        if fmt not in EXPORT_FORMATS:
            raise ChecklistError(f"unknown format '{fmt}'; use one of: {', '.join(EXPORT_FORMATS)}")
        record = self.record(checklist_id)
        return self.app.renderer.render(f"checklist/record.{fmt}.j2", record=record, csv_row=_csv_row) + "\n"


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(*values: object) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()
