"""Who a checklist is waiting on, and for what: the App Home and the daily reminder ask here.

Worked out by one SQL query per question (``Store.checklist_states``), not by
replaying every checklist's history in Python, so a decision maker with five
hundred checklists behind them still gets their Home tab at once.

A checklist waits on:

- its decision maker (the starter where none is named) to **sign off**, once
  every other step has an answer that counts;
- its decision maker to **resolve a dispute** (a step the team stands by over
  the checker's objection);
- its starter to get the **open steps** answered.

A deferred checklist waits on nobody until its revisit date; a complete or
withdrawn one waits on nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.checklist.progress import DECISION_STEP
from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS, ChecklistStatus

if TYPE_CHECKING:
    from bot.checklist.service import ChecklistService

SIGN_OFF = "sign_off"
RESOLVE = "resolve"
NAME_DECIDER = "name_decider"  # a dispute waits, but only a named decision maker may uphold it
ANSWER = "answer"
REVISIT = "revisit"


def _states(service: ChecklistService, which: str, **kwargs: Any) -> list[dict[str, Any]]:
    steps = service.steps
    return service.app.store.checklist_states(
        which,
        decision_step=DECISION_STEP,
        sign_off=SIGN_OFF_DECISIONS,
        required=[s.id for s in steps if not s.sign_off],
        defer=DEFER_DECISION,
        **kwargs,
    )


def _status(row: dict[str, Any]) -> ChecklistStatus:
    """The same rules as ``progress``, from the columns the query worked out."""
    if row.get("withdrawn_at"):
        return ChecklistStatus.WITHDRAWN
    if row["signed"] and not row["required_open"]:
        return ChecklistStatus.COMPLETE
    if row["deferred"]:
        return ChecklistStatus.DEFERRED
    return ChecklistStatus.OPEN


def summarize(service: ChecklistService, row: dict[str, Any]) -> dict[str, Any]:
    """One line of a list (as ``ChecklistService.summary``), with the titles of the steps left."""
    steps = service.steps
    answered = set(row["answered"])
    status = _status(row)
    if status is ChecklistStatus.OPEN:  # a sign-off that no longer stands must be given again
        left = [s for s in steps if s.id not in answered or s.sign_off]
    elif status is ChecklistStatus.DEFERRED:
        left = [s for s in steps if s.id not in answered]
    else:
        left = []
    return {
        "id": row["id"],
        "title": row["title"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "decision_maker": row.get("decision_maker"),
        "decider": row.get("decision_maker") or row["created_by"],
        "location": service._location(row),
        "parent_ts": row.get("parent_ts"),
        "status": str(status),
        "steps_answered": len(steps) - len(left),
        "steps_total": len(steps),
        "steps_disputed": len(row["disputed"]),
        "left": [s.title for s in left],
        "disputed": [s.title for s in steps if s.id in row["disputed"]],
        "to_answer": [s.title for s in left if not s.sign_off and s.id not in row["disputed"]],
        "ready": bool(left) and all(s.sign_off for s in left),
        "revisit_on": row.get("revisit_on") if status is ChecklistStatus.DEFERRED else None,
    }


def waiting_for_sign_off(service: ChecklistService, user: str, limit: int = 10) -> list[dict[str, Any]]:
    """Checklists ``user`` signs off where the sign-off is all that is left, newest first."""
    rows = _states(service, "decider", user=user, waiting_for_sign_off=True, limit=limit)
    return [summarize(service, row) for row in rows]


def involving(service: ChecklistService, user: str, limit: int = 20) -> list[dict[str, Any]]:
    """The newest checklists ``user`` started or answered: open ones first, then complete or withdrawn."""
    summaries = [summarize(service, row) for row in _states(service, "involved", user=user, limit=limit)]
    done = (ChecklistStatus.COMPLETE, ChecklistStatus.WITHDRAWN)
    return sorted(summaries, key=lambda c: c["status"] in done)


@dataclass
class Waiting:
    """What one person is asked to do, checklist by checklist."""

    person: str
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (what, checklist summary)


def waiting_in_slack(service: ChecklistService, today: dt.date, limit: int = 5000) -> dict[str, Waiting]:
    """For each person, the Slack checklists waiting on them today and what for."""
    out: dict[str, Waiting] = {}
    for row in _states(service, "slack", limit=limit):
        summary = summarize(service, row)
        for person, what in _asks(summary, today):
            out.setdefault(person, Waiting(person)).items.append((what, summary))
    return out


def _asks(summary: dict[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """Who this checklist waits on, and for what (nothing once complete, withdrawn or deferred)."""
    status = ChecklistStatus(summary["status"])
    decider, starter = summary["decider"], summary["created_by"]
    if status is ChecklistStatus.DEFERRED:
        due = summary["revisit_on"] and summary["revisit_on"] <= today.isoformat()
        return [(decider, REVISIT)] if due else []
    if status is not ChecklistStatus.OPEN:
        return []
    asks: list[tuple[str, str]] = []
    if summary["to_answer"]:
        asks.append((starter, ANSWER))
    if summary["disputed"]:
        asks.append((decider, RESOLVE) if summary["decision_maker"] else (starter, NAME_DECIDER))
    elif summary["ready"]:
        asks.append((decider, SIGN_OFF))
    return asks
