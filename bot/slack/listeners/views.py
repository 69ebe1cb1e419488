"""The reasons modal: where a checklist answer is checked and recorded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.checklist.service import ChecklistError, NotAllowed, RevisitError, refusal_kind
from bot.core import Svbot
from bot.scope import Procurement, ScopeError, ScopeFinder, ScopeResult
from bot.scope_check import inputs, scope_record, suggested_decision
from bot.scope_check import procurement as scope_inputs
from bot.slack import blocks as bk
from bot.slack.answers import thread_conversation
from bot.slack.checklist_thread import ChecklistThread
from bot.slack.people import people_for
from bot.slack.scope_modal import result_text
from bot.store.db import AnswerRow

CALLBACK = "cl_reasons"
RESOLVE_CALLBACK = "cl_resolve"
DISPUTE_BLOCK = "dispute"
REVISIT_BLOCK = "revisit"
NOTE_BLOCK = "note"
MAX_ERROR = bk.MAX_ERROR
FORM_ERRORS = "slack/form_errors.txt.j2"
MAX_REASONS_INPUT = 3000
MAX_SHOWN_WHY = 1500  # private_metadata holds 3,000 characters; the inputs take a few hundred


def reasons_modal(
    core: Svbot,
    checklist_id: str,
    step_id: str,
    decision: str | None,
    reasons: str | None,
    *,
    scope: tuple[Procurement, ScopeResult] | None = None,
    scope_changed: bool = False,
    revisit: str | None = None,
) -> dict[str, Any] | None:
    """The modal asking for a decision and reasons, prefilled when revising.

    The sign-off step also asks when to revisit, for a deferral (``revisit``: the date it had).

    ``scope``: the scope finder's check made from the step: its answer is shown above the
    form, and its inputs and a digest of the answer shown travel in the metadata, so the
    answer records what was checked and what the person saw (see ``_scope_used``).
    ``scope_changed``: the knowledge changed the finder's answer since the form was
    opened; the form says so above the new answer.
    """
    try:
        step = core.checklists.step(step_id)
    except ChecklistError:
        return None
    labels = core.renderer.strings("slack/labels.txt.j2")
    options = [{"text": {"type": "plain_text", "text": bk.cut(o.label, 75)}, "value": o.id} for o in step.options]
    radio: dict[str, Any] = {"type": "radio_buttons", "action_id": "decision", "options": options}
    chosen = next((o for o in options if o["value"] == decision), None)
    if chosen:
        radio["initial_option"] = chosen
    text_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "reasons",
        "multiline": True,
        "max_length": MAX_REASONS_INPUT,
        "placeholder": {"type": "plain_text", "text": bk.cut(labels.reasons_placeholder, 150)},
    }
    if reasons:
        text_input["initial_value"] = reasons[:MAX_REASONS_INPUT]
    meta: dict[str, Any] = {"c": checklist_id, "s": step_id}
    checked: list[bk.Block] = []
    if scope is not None:
        meta["scope"] = inputs(scope[0])
        meta["shown"] = {"d": shown_digest(scope[1]), "a": scope[1].act_applies, "why": scope[1].why[:MAX_SHOWN_WHY]}
        checked = [*bk.sections(result_text(core, scope[1], for_step=True)), bk.divider()]
        if scope_changed:
            checked = [*bk.sections(core.renderer.render("slack/scope_changed.slack.j2")), *checked]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": json.dumps(meta),
        "title": {"type": "plain_text", "text": bk.cut(labels.modal_title, 24)},
        "submit": {"type": "plain_text", "text": bk.cut(labels.modal_submit, 24)},
        "close": {"type": "plain_text", "text": bk.cut(labels.modal_close, 24)},
        "blocks": [
            *checked,
            *bk.sections(core.renderer.render("slack/modal_context.slack.j2", step=step)),
            {
                "type": "input",
                "block_id": "decision",
                "label": {"type": "plain_text", "text": labels.decision_label},
                "element": radio,
            },
            {
                "type": "input",
                "block_id": "reasons",
                "label": {"type": "plain_text", "text": labels.reasons_label},
                "element": text_input,
            },
            *([_revisit_input(labels, revisit)] if step.sign_off else []),
            _note_input(DISPUTE_BLOCK, labels.dispute_label, labels.dispute_placeholder, labels.dispute_hint),
        ],
    }


def _revisit_input(labels: Any, revisit: str | None) -> dict[str, Any]:
    """When to come back to a deferred decision: optional on the form, required by the service for Defer."""
    picker: dict[str, Any] = {
        "type": "datepicker",
        "action_id": REVISIT_BLOCK,
        "placeholder": {"type": "plain_text", "text": bk.cut(labels.revisit_placeholder, 150)},
    }
    if revisit:
        picker["initial_date"] = revisit
    return {
        "type": "input",
        "block_id": REVISIT_BLOCK,
        "optional": True,
        "label": {"type": "plain_text", "text": bk.cut(labels.revisit_label, 2000)},
        "element": picker,
        "hint": {"type": "plain_text", "text": bk.cut(labels.revisit_hint, 2000)},
    }


def _revisit(view: dict) -> str | None:
    """The revisit date picked on the form (YYYY-MM-DD), or None."""
    values = view.get("state", {}).get("values", {})
    return (values.get(REVISIT_BLOCK, {}).get(REVISIT_BLOCK) or {}).get("selected_date") or None


def _note_input(block_id: str, label: str, placeholder: str, hint: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": hint is not None,
        "label": {"type": "plain_text", "text": bk.cut(label, 2000)},
        "element": {
            "type": "plain_text_input",
            "action_id": block_id,
            "multiline": True,
            "max_length": MAX_REASONS_INPUT,
            "placeholder": {"type": "plain_text", "text": bk.cut(placeholder, 150)},
        },
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": bk.cut(hint, 2000)}
    return block


def resolve_modal(core: Svbot, checklist_id: str, answer: AnswerRow) -> dict[str, Any]:
    """The decision maker's view of a disputed answer, asking for their note to accept it."""
    labels = core.renderer.strings("slack/labels.txt.j2")
    step = core.checklists.step(answer.step)
    label = next((o.label for o in step.options if o.id == answer.decision), answer.decision)
    text = core.renderer.render("slack/resolve_modal.slack.j2", step=step, answer=answer, label=label)
    return {
        "type": "modal",
        "callback_id": RESOLVE_CALLBACK,
        "private_metadata": json.dumps({"c": checklist_id, "a": answer.id}),
        "title": {"type": "plain_text", "text": bk.cut(labels.resolve_title, 24)},
        "submit": {"type": "plain_text", "text": bk.cut(labels.resolve_submit, 24)},
        "close": {"type": "plain_text", "text": bk.cut(labels.modal_close, 24)},
        "blocks": [
            *bk.sections(text),
            _note_input(NOTE_BLOCK, labels.resolve_note_label, labels.reasons_placeholder),
        ],
    }


def _text(view: dict, block_id: str) -> str:
    """A plain text input's value (its action_id is its block_id), or "" if left empty."""
    values = view.get("state", {}).get("values", {})
    return ((values.get(block_id, {}).get(block_id) or {}).get("value") or "").strip()


def _submitted(view: dict) -> tuple[str, str, str, str]:
    meta = json.loads(view.get("private_metadata") or "{}")
    values = view.get("state", {}).get("values", {})
    decision = ((values.get("decision", {}).get("decision") or {}).get("selected_option") or {}).get("value") or ""
    return str(meta.get("c", "")), str(meta.get("s", "")), decision, _text(view, "reasons")


def shown_digest(result: ScopeResult) -> str:
    """A short digest of the finder's whole answer (verdict, sentence, threshold, duties, notes) as shown."""
    text = json.dumps(result.as_json(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ScopeCheck:
    """The scope check a reasons form carries, answered again from the knowledge in force now."""

    procurement: Procurement
    result: ScopeResult
    changed: bool  # the answer now differs from the one the form showed
    shown_why: str | None
    shown_applies: bool | None

    def record(self) -> dict[str, Any]:
        return scope_record(self.procurement, self.result)


def _scope_used(core: Svbot, view: dict) -> ScopeCheck | None:
    """The scope check the form was opened with (see ``reasons_modal``), or None without one.

    ScopeError when the finder can no longer answer it (its rules were removed by a reload).
    """
    meta = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(meta, dict) or not isinstance(meta.get("scope"), dict):
        return None
    procurement = scope_inputs(meta["scope"])
    result = ScopeFinder(core.snapshot().kb, core.renderer, surface="slack").find(procurement)
    shown = meta.get("shown")
    shown = shown if isinstance(shown, dict) else {}
    # A form from before digests were carried cannot tell: it records the answer as it is now.
    changed = "d" in shown and shown["d"] != shown_digest(result)
    why = shown.get("why") if isinstance(shown.get("why"), str) else None
    return ScopeCheck(procurement, result, changed, why, shown.get("a"))


def _remember_in_thread(core: Svbot, checklist_id: str, procurement: Procurement) -> None:
    """The scope check just used at the step is the checklist thread's context: "what if it's a
    framework?" there asks the finder again."""
    checklist = core.store.get_checklist(checklist_id) or {}
    if checklist.get("channel") and checklist.get("thread_ts"):
        core.remember_scope(thread_conversation(checklist["channel"], checklist["thread_ts"]), procurement)


def register(app: App, core: Svbot, later: Callable[..., Any]) -> None:
    @app.view(CALLBACK)
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        said = core.renderer.strings(FORM_ERRORS)
        try:
            checklist_id, step_id, decision, reasons = _submitted(view)
        except ValueError:
            ack(response_action="errors", errors={"reasons": said.out_of_date})
            return
        user = body.get("user", {}).get("id", "")
        if not decision:
            ack(response_action="errors", errors={"decision": said.no_decision})
            return
        try:
            check = _scope_used(core, view)
        except ScopeError as exc:
            text = core.renderer.render("slack/scope_gone.slack.j2", error=str(exc))
            ack(response_action="errors", errors={"reasons": bk.cut(text, MAX_ERROR)})
            return
        if check is not None and check.changed:
            # The knowledge changed under the open form: show the new answer, record nothing yet.
            ack(response_action="update", view=_rechecked(core, checklist_id, step_id, decision, reasons, check))
            return
        try:
            outcome = core.checklists.answer(
                checklist_id,
                step_id,
                decision,
                reasons,
                user,
                revisit_on=_revisit(view),
                scope=check.record() if check else None,
            )
        except RevisitError as exc:
            ack(response_action="errors", errors={REVISIT_BLOCK: bk.cut(str(exc), MAX_ERROR)})
            return
        except ChecklistError as exc:
            ack(response_action="errors", errors={"reasons": bk.cut(_said(core, client, exc), MAX_ERROR)})
            return
        if not outcome.accepted:
            note = _text(view, DISPUTE_BLOCK)
            if not note:
                message = core.renderer.render(
                    "checklist/refusal_modal.txt.j2",
                    problems=outcome.problems,
                    pointers=outcome.cites,
                    why=refusal_kind(outcome.verdict.problems),
                )
                ack(response_action="errors", errors={"reasons": bk.cut(message, MAX_ERROR)})
                return
            # The team disagrees with the refusal: keep it as their answer, disputed, for the decision maker.
            try:
                core.checklists.dispute(checklist_id, outcome.answer.id, note, user)
            except ChecklistError as exc:
                ack(response_action="errors", errors={DISPUTE_BLOCK: bk.cut(_said(core, client, exc), MAX_ERROR)})
                return
            ack()
            if check is not None:
                # Disputed or accepted, the check is the thread's context for follow-ups.
                _remember_in_thread(core, checklist_id, check.procurement)
            later(_after_dispute, core, client, checklist_id, step_id, outcome.answer.id, user)
            return
        ack()
        if check is not None:
            _remember_in_thread(core, checklist_id, check.procurement)
        later(ChecklistThread(core, client).after_accept, checklist_id, step_id)

    @app.view(RESOLVE_CALLBACK)
    def on_resolve(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            checklist_id, answer_id = str(meta["c"]), int(meta["a"])
        except (ValueError, KeyError, TypeError):
            ack(response_action="errors", errors={NOTE_BLOCK: core.renderer.strings(FORM_ERRORS).out_of_date})
            return
        user = body.get("user", {}).get("id", "")
        try:
            answer = core.checklists.resolve_dispute(checklist_id, answer_id, _text(view, NOTE_BLOCK), user)
        except ChecklistError as exc:
            ack(response_action="errors", errors={NOTE_BLOCK: bk.cut(_said(core, client, exc), MAX_ERROR)})
            return
        ack()
        later(ChecklistThread(core, client).after_accept, checklist_id, answer.step)


def _said(core: Svbot, client: WebClient, exc: ChecklistError) -> str:
    """A refusal as a modal's error, which Slack shows as plain text: a mention would show as its
    code, so the people who may act are named as Slack knows them (users.info)."""
    if isinstance(exc, NotAllowed):
        return core.checklists.who_may(exc.action, exc.who, people_for(client).name, exc.checklist_id)
    return str(exc)


def _rechecked(
    core: Svbot, checklist_id: str, step_id: str, decision: str, reasons: str, check: ScopeCheck
) -> dict[str, Any] | None:
    """The reasons form again, with the finder's new answer and a note that it changed.

    The person's reasons are kept, with the old sentence swapped for the new one where they
    quoted it; the decision follows the new verdict when the verdict itself changed.
    """
    if check.shown_why and check.shown_why in reasons:
        reasons = reasons.replace(check.shown_why, check.result.why)
    if check.result.act_applies != check.shown_applies:
        decision = suggested_decision(check.result) or decision
    scope = (check.procurement, check.result)
    return reasons_modal(core, checklist_id, step_id, decision, reasons, scope=scope, scope_changed=True)


def _after_dispute(core: Svbot, client: WebClient, checklist_id: str, step_id: str, answer_id: int, by: str) -> None:
    """Show the step as disputed in the thread, then ask the decision maker to review it."""
    thread = ChecklistThread(core, client)
    thread.after_accept(checklist_id, step_id)
    thread.tell_decider_of_dispute(checklist_id, answer_id, by)
