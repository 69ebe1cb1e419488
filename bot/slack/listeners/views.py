"""The reasons modal: where a checklist answer is checked and recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.checklist.service import ChecklistError
from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.checklist_thread import ChecklistThread

CALLBACK = "cl_reasons"
MAX_ERROR = 1000
MAX_REASONS_INPUT = 3000


def reasons_modal(
    core: Svbot, checklist_id: str, step_id: str, decision: str | None, reasons: str | None
) -> dict[str, Any] | None:
    """The modal asking for a decision and reasons, prefilled when revising."""
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
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": json.dumps({"c": checklist_id, "s": step_id}),
        "title": {"type": "plain_text", "text": bk.cut(labels.modal_title, 24)},
        "submit": {"type": "plain_text", "text": bk.cut(labels.modal_submit, 24)},
        "close": {"type": "plain_text", "text": bk.cut(labels.modal_close, 24)},
        "blocks": [
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
        ],
    }


def _submitted(view: dict) -> tuple[str, str, str, str]:
    meta = json.loads(view.get("private_metadata") or "{}")
    values = view.get("state", {}).get("values", {})
    decision = ((values.get("decision", {}).get("decision") or {}).get("selected_option") or {}).get("value") or ""
    reasons = (values.get("reasons", {}).get("reasons") or {}).get("value") or ""
    return str(meta.get("c", "")), str(meta.get("s", "")), decision, reasons


def register(app: App, core: Svbot, later: Callable[..., Any]) -> None:
    @app.view(CALLBACK)
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        try:
            checklist_id, step_id, decision, reasons = _submitted(view)
        except ValueError:
            ack(response_action="errors", errors={"reasons": "This form is out of date; open the step again."})
            return
        user = body.get("user", {}).get("id", "")
        if not decision:
            ack(response_action="errors", errors={"decision": "Choose a decision."})
            return
        try:
            outcome = core.checklists.answer(checklist_id, step_id, decision, reasons, user)
        except ChecklistError as exc:
            ack(response_action="errors", errors={"reasons": bk.cut(str(exc), MAX_ERROR)})
            return
        if not outcome.accepted:
            message = core.renderer.render(
                "checklist/refusal_modal.txt.j2", problems=outcome.problems, pointers=outcome.cites
            )
            ack(response_action="errors", errors={"reasons": bk.cut(message, MAX_ERROR)})
            return
        ack()
        later(ChecklistThread(core, client).after_accept, checklist_id, step_id)
