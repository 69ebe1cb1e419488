"""Where a checklist has got to, derived from its stored answers and events.

One function decides, for every front end and every record format, which
steps count as answered, which are disputed, whether the checklist is signed
off, deferred, complete or withdrawn (the rules are in ``states.py``).
Events are replayed in the order they were written, so "changed after
sign-off" needs no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS, AnswerStatus, ChecklistStatus
from bot.store.db import AnswerRow

DECISION_STEP = "decision"
# Events after which a sign-off no longer stands: the answers or the person signing changed.
_CHANGES = {"answer.accepted": "revised", "answer.disputed": "disputed", "answer.upheld": "upheld"}


@dataclass(frozen=True)
class SignOff:
    """The sign-off answer and whether it still stands."""

    answer: AnswerRow
    by: str
    at: str
    valid: bool
    reopened_by: str | None  # what reopened it, e.g. "outcomes revised" or "decision maker changed"


@dataclass(frozen=True)
class Progress:
    status: ChecklistStatus
    current: dict[str, AnswerRow]  # each step's current answer (may be disputed)
    open_steps: list[str]  # steps with no answer that counts (disputed ones included)
    disputed_steps: list[str]
    sign_off: SignOff | None
    deferral: AnswerRow | None

    def counts(self, step_id: str) -> bool:
        answer = self.current.get(step_id)
        return answer is not None and answer.counts


def progress(
    step_ids: Sequence[str],
    answers: Sequence[AnswerRow],
    events: Sequence[dict[str, Any]],
    checklist: dict[str, Any],
) -> Progress:
    """Replay one checklist's answers and events into its state."""
    current: dict[str, AnswerRow] = {}
    for answer in answers:
        if answer.status is not AnswerStatus.REFUSED:
            current[answer.step] = answer
    open_steps = [s for s in step_ids if not (s in current and current[s].counts)]
    disputed = [s for s in step_ids if s in current and current[s].status is AnswerStatus.DISPUTED]
    decision = current.get(DECISION_STEP)
    sign_off = _sign_off(decision, events) if decision and decision.decision in SIGN_OFF_DECISIONS else None
    deferral = decision if decision and decision.counts and decision.decision == DEFER_DECISION else None
    others_open = [s for s in open_steps if s != DECISION_STEP]
    if checklist.get("withdrawn_at"):
        status = ChecklistStatus.WITHDRAWN
    elif sign_off and sign_off.valid and not others_open:
        status = ChecklistStatus.COMPLETE
    elif deferral:
        status = ChecklistStatus.DEFERRED
    else:
        status = ChecklistStatus.OPEN
    return Progress(status, current, open_steps, disputed, sign_off, deferral)


def _sign_off(decision: AnswerRow, events: Sequence[dict[str, Any]]) -> SignOff | None:
    """Find when the decision answer came to count, and whether anything changed since."""
    if not decision.counts:
        return None
    signed_at: int | None = None
    signed: dict[str, Any] | None = None
    reopened_by: str | None = None
    for event in events:
        data = event["data"]
        if data.get("answer_id") == decision.id and event["kind"] in ("answer.accepted", "answer.upheld"):
            signed_at, signed, reopened_by = event["id"], event, None
        elif signed_at is None or reopened_by:
            continue
        elif event["kind"] in _CHANGES and data.get("step") != DECISION_STEP:
            reopened_by = f"{data.get('step')} {_CHANGES[event['kind']]}"
        elif event["kind"] == "checklist.decision_maker":
            reopened_by = "decision maker changed"
    if signed is None:
        return None
    by = decision.resolved_by if decision.status is AnswerStatus.UPHELD else decision.author
    return SignOff(decision, by or decision.author, signed["at"], reopened_by is None, reopened_by)
