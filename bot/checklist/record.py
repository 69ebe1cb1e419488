"""The decision record: one data model, built once, rendered into every format.

``build_record`` turns a checklist's stored rows into plain data (dicts and
lists, so it is also the JSON export). Markdown, CSV, HTML, Word and the
CLI/chat views all render this one structure, so they cannot disagree about
what was decided, by whom, or whether a step counts.

People are stored by id (a Slack user id or a login name); a ``names``
resolver turns them into people's names. Slack passes one backed by
``users.info``; elsewhere names come from the people the chat has asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.checklist.conflicts import PROBLEM as CONFLICT
from bot.checklist.conflicts import objected
from bot.checklist.progress import Progress
from bot.checklist.states import AnswerStatus, ChecklistStatus
from bot.scope_check import SCOPE_STEP
from bot.store.db import AnswerRow

if TYPE_CHECKING:
    from bot.checklist.service import ChecklistService
    from bot.knowledge.loader import KnowledgeBase
    from bot.knowledge.schema import ChecklistFile, ChecklistStep

Names = Callable[[str], str]
LABELS = "checklist/labels.txt.j2"
BODY_TYPES = "slack/body_types.txt.j2"  # the labels the New checklist form shows


STEP_STATUS = {
    AnswerStatus.ACCEPTED: "answered",
    AnswerStatus.UPHELD: "upheld",
    AnswerStatus.DISPUTED: "disputed",
}


def build_record(service: ChecklistService, checklist_id: str, names: Names | None = None) -> dict[str, Any]:
    """The whole decision record of one checklist, as plain data."""
    app = service.app
    row = service._checklist(checklist_id)
    name = _resolver(service, names)
    history = app.store.answers(checklist_id)
    state = service.progress(checklist_id, row)
    snap = app.snapshot()
    checklist_steps = snap.kb.checklist.steps
    labels = {s.id: {o.id: o.label for o in s.options} for s in checklist_steps}
    steps = [
        _step(step, state, history, labels[step.id], name, service.guidance(step, snap), snap.kb.checklist)
        for step in checklist_steps
    ]
    sign_off = _sign_off(state, labels, name)
    kb = snap.kb
    return {
        "id": row["id"],
        "title": row["title"],
        "checklist_title": kb.checklist.title,
        **_details(service, row),
        "created_by": row["created_by"],
        "created_by_name": name(row["created_by"]),
        "created_at": row["created_at"],
        "decision_maker": row.get("decision_maker"),
        "decision_maker_name": name(service.decider(row)),
        "decision_maker_role": row.get("decision_maker_role"),
        "decision_maker_named": bool(row.get("decision_maker")),
        "location": service._location(row),
        "status": str(state.status),
        "open_steps": state.open_steps,
        "disputed_steps": state.disputed_steps,
        "sign_off": sign_off,
        "deferral": _deferral(state, name),
        "withdrawal": _withdrawal(row, name),
        "timing": _timing(row, state, sign_off),
        "knowledge": knowledge_version(kb),
        "steps": steps,
        "scope_check": _scope_check(state, name),
        "cited_entries": _cited(steps),
        "disputes": _disputes(history, labels, name),
        "history": [_history_item(a, history, labels, name) for a in history],
        "chain": app.store.verify_chain(checklist_id).as_dict(),
    }


def knowledge_version(kb: KnowledgeBase) -> dict[str, str | None]:
    """Which guidance was in force: the knowledge fingerprint and the date its newest entry was reviewed."""
    reviewed = max((e.last_reviewed for e in kb.entries), default=None)
    return {"fingerprint": kb.fingerprint[:12], "date": reviewed.isoformat() if reviewed else None}


def _resolver(service: ChecklistService, names: Names | None) -> Names:
    """Names from the caller, else the names people gave the chat, else the id itself."""
    cache: dict[str, str] = {}

    def resolve(user: str) -> str:
        if user not in cache:
            found = names(user) if names else None
            cache[user] = found or service.app.store.person_name(user) or user
        return cache[user]

    return resolve


def start_events(service: ChecklistService) -> dict[str, str]:
    """What may mark the start of a procurement (the duty applies before it, s.1(1)-(2)), with labels."""
    return dict(service.app.renderer.strings(LABELS).start_events)


def _details(service: ChecklistService, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "reference": row.get("reference"),
        "value": row.get("value"),
        "category": row.get("category"),
        "buying": row.get("buying"),
        "starts_on": row.get("starts_on"),
        "start_event": row.get("start_event"),
        "start_event_label": start_events(service).get(row.get("start_event") or ""),
        # Chosen on Slack's "New checklist" form: the nation's name and a body type id (as `svbot scope --body`).
        "nation": row.get("nation"),
        "body_type": row.get("body_type"),
        "body_type_label": _body_label(service, row.get("body_type")),
    }


def _body_label(service: ChecklistService, body_type: str | None) -> str | None:
    """The body type as the form offered it ("Local authority or other sub-central body")."""
    if not body_type:
        return None
    return service.app.renderer.strings(BODY_TYPES).labels.get(body_type, body_type)


def _step(
    step: ChecklistStep,
    state: Progress,
    history: list[AnswerRow],
    labels: dict[str, str],
    name: Names,
    guidance_now: list[dict[str, str]],
    checklist: ChecklistFile,
) -> dict[str, Any]:
    answer = state.current.get(step.id)
    mine = [a for a in history if a.step == step.id]
    return {
        "id": step.id,
        "title": step.title,
        "question": step.question,
        "duty": step.duty,
        "status": STEP_STATUS[answer.status] if answer else "open",
        "counts": bool(answer and answer.counts),
        "decision": answer.decision if answer else None,
        "decision_label": labels.get(answer.decision, answer.decision) if answer else None,
        "reasons": answer.reasons if answer else None,
        "author": answer.author if answer else None,
        "author_name": name(answer.author) if answer else None,
        "at": answer.created_at if answer else None,
        "answer_id": answer.id if answer else None,
        "revisit_on": answer.revisit_on if answer else None,
        "scope": answer.scope if answer else None,
        "dispute": _dispute_note(answer, name) if answer else None,
        "resolution": _resolution_note(answer, name) if answer else None,
        # The checker's objection a disputed or upheld answer stands over: the answers it contradicts,
        # and what else it found, in the words its refusal gave.
        "contradicts": _contradicts(checklist, answer) if answer and answer.disputed_at else [],
        "objection": _objection(answer) if answer and answer.disputed_at else [],
        "knowledge": {"fingerprint": (answer.kb_fingerprint or "")[:12] or None, "date": answer.kb_date}
        if answer
        else None,
        "revisions": sum(1 for a in mine if a.status is not AnswerStatus.REFUSED),
        "refused": sum(1 for a in mine if a.status is AnswerStatus.REFUSED),
        # What the guidance said when the step was answered; the current wording until then.
        "cites": answer.cites if answer and answer.cites else guidance_now,
        "cites_as_answered": bool(answer and answer.cites),
    }


def _contradicts(checklist: ChecklistFile, answer: AnswerRow) -> list[dict[str, str]]:
    return [
        {"step": c.step.id, "title": c.step.title, "decision": c.decision, "label": c.label, "why": c.why}
        for c in objected(checklist, answer.step, answer.decision, answer.rules)
    ]


def _objection(answer: AnswerRow) -> list[str]:
    """What the checker's refusal said, but the contradiction (``_contradicts`` words that one, and
    ``refused_for`` puts it first)."""
    contradiction = any(rule.startswith(f"{CONFLICT}:") for rule in answer.rules)
    return answer.problems[1:] if contradiction else list(answer.problems)


def _act(by: str | None, at: str | None, name: Names, **what: Any) -> dict[str, Any] | None:
    """Something a person did on the record: what, who (id and name) and when; None if it never happened."""
    if not at:
        return None
    return {**what, "by": by, "by_name": name(by or ""), "at": at}


def _dispute_note(answer: AnswerRow, name: Names) -> dict[str, Any] | None:
    return _act(answer.disputed_by, answer.disputed_at, name, note=answer.dispute_note)


def _resolution_note(answer: AnswerRow, name: Names) -> dict[str, Any] | None:
    # Accepting one's own dispute is allowed (a small team's decision maker may be the officer
    # who disputed), but the record says so: nothing about who overrode the checker is hidden.
    own = answer.resolved_by is not None and answer.resolved_by == answer.disputed_by
    return _act(answer.resolved_by, answer.resolved_at, name, note=answer.resolution_note, own_dispute=own)


def _sign_off(state: Progress, labels: dict[str, dict[str, str]], name: Names) -> dict[str, Any] | None:
    sign = state.sign_off
    if sign is None:
        return None
    return {
        "by": sign.by,
        "by_name": name(sign.by),
        "at": sign.at,
        "decision": sign.answer.decision,
        "decision_label": labels[sign.answer.step].get(sign.answer.decision, sign.answer.decision),
        "upheld": sign.answer.status is AnswerStatus.UPHELD,
        "valid": sign.valid,
        "reopened_by": sign.reopened_by,
    }


def _deferral(state: Progress, name: Names) -> dict[str, Any] | None:
    answer = state.deferral
    if answer is None or state.status is not ChecklistStatus.DEFERRED:
        return None
    return _act(answer.author, answer.created_at, name, waiting_for=answer.reasons, revisit_on=answer.revisit_on)


def _withdrawal(row: dict[str, Any], name: Names) -> dict[str, Any] | None:
    return _act(row.get("withdrawn_by"), row.get("withdrawn_at"), name, reason=row.get("withdraw_reason"))


def _timing(row: dict[str, Any], state: Progress, sign_off: dict[str, Any] | None) -> dict[str, Any]:
    """Whether consideration and sign-off came before the procurement started (s.1(1)-(2))."""
    starts = row.get("starts_on")
    others_open = [s for s in state.open_steps if s != "decision"]
    considered = [(a.resolved_at or a.created_at) for s, a in state.current.items() if s != "decision" and a.counts]
    considered_on = max(considered)[:10] if considered and not others_open else None
    signed_on = sign_off["at"][:10] if sign_off and sign_off["valid"] else None
    return {
        "starts_on": starts,
        "considered_on": considered_on,
        "signed_on": signed_on,
        # On the start date itself counts as before: a notice is published that day.
        "consideration_before_start": None if not (starts and considered_on) else considered_on <= starts,
        "sign_off_before_start": None if not (starts and signed_on) else signed_on <= starts,
        "late_sign_off": bool(starts and signed_on and signed_on > starts),
        "started": bool(starts and starts <= dt.date.today().isoformat()),
    }


def _scope_check(state: Progress, name: Names) -> dict[str, Any] | None:
    """The scope finder's answer the scope step's current answer used (None if it used none).

    Stored with the answer (``answers.scope``): the inputs, ``act_applies``, ``why``, the
    threshold (id, amount, effective date, source), the other duties and the notes.
    """
    answer = state.current.get(SCOPE_STEP)
    if answer is None or not answer.scope:
        return None
    return {
        **answer.scope,
        "step": answer.step,
        "answer_id": answer.id,
        "by": answer.author,
        "by_name": name(answer.author),
        "at": answer.created_at,
        "counts": answer.counts,
    }


def _cited(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry the record cites, once, with its title and short answer as the team saw it."""
    seen: dict[str, dict[str, Any]] = {}
    for step in steps:
        for entry in step["cites"]:
            seen.setdefault(entry["id"], entry)
    return list(seen.values())


def _disputes(history: list[AnswerRow], labels: dict[str, dict[str, str]], name: Names) -> list[dict[str, Any]]:
    """Every dispute and how it ended: upheld, superseded by a later accepted answer, or pending."""
    out = []
    for answer in history:
        if not answer.disputed_at:
            continue
        outcome = dispute_outcome(answer, history)
        later = _later_counting(answer, history)
        out.append(
            {
                "answer_id": answer.id,
                "step": answer.step,
                "decision": answer.decision,
                "decision_label": labels[answer.step].get(answer.decision, answer.decision),
                "reasons": answer.reasons,
                "problems": answer.problems,
                "rules": answer.rules,
                "dispute": _dispute_note(answer, name),
                "resolution": _resolution_note(answer, name),
                "outcome": outcome,
                "superseded_by": later.id if outcome == "superseded" and later else None,
            }
        )
    return out


def dispute_outcome(answer: AnswerRow, history: list[AnswerRow]) -> str:
    """How a disputed answer ended: ``upheld``, ``superseded`` (a later answer counts) or ``pending``."""
    if answer.status is AnswerStatus.UPHELD:
        return "upheld"
    return "superseded" if _later_counting(answer, history) else "pending"


def _later_counting(answer: AnswerRow, history: list[AnswerRow]) -> AnswerRow | None:
    return next((a for a in history if a.step == answer.step and a.id > answer.id and a.counts), None)


def _history_item(
    answer: AnswerRow, history: list[AnswerRow], labels: dict[str, dict[str, str]], name: Names
) -> dict[str, Any]:
    replaced = next(
        (a.id for a in history if a.step == answer.step and a.id > answer.id and a.status is not AnswerStatus.REFUSED),
        None,
    )
    return {
        **answer.as_dict(),
        "author_name": name(answer.author),
        "decision_label": labels.get(answer.step, {}).get(answer.decision, answer.decision),
        "superseded_by": replaced if answer.status is not AnswerStatus.REFUSED else None,
        "dispute": _dispute_note(answer, name),
        "resolution": _resolution_note(answer, name),
    }
