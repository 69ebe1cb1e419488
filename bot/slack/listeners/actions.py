"""Button and select actions: feedback, sharing, "did you mean", checklist steps."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.answers import answer_message, chosen_entry_message, entry_blocks
from bot.slack.checklist_thread import (
    EXPORT_ACTION,
    JUMP_ACTION,
    REVISE_ACTION,
    STEP_ACTION,
    ChecklistThread,
)
from bot.slack.listeners.views import reasons_modal
from bot.slack.safe import Responder, call


def _value(body: dict) -> dict[str, Any]:
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
    except (KeyError, IndexError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _is_ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def register(app: App, core: Svbot) -> None:
    r = core.renderer

    def feedback(ack: Ack, body: dict, respond: Responder, helpful: bool) -> None:
        ack()
        value = _value(body)
        entry = core.knowledge.kb.get(str(value.get("e", "")))
        if entry is None:
            return
        question = None
        if isinstance(value.get("q"), int):
            rows = list(core.store.db["questions"].rows_where("id = ?", [value["q"]]))
            question = rows[0]["text"] if rows else None
        core.store.add_feedback(entry.id, helpful, body.get("user", {}).get("id"), question)
        text = r.render("slack/feedback_thanks.slack.j2", helpful=helpful, entry=entry)
        respond(response_type="ephemeral", replace_original=False, text=text)

    @app.action("feedback_helpful")
    def on_helpful(ack: Ack, body: dict) -> None:
        respond = Responder(body.get("response_url"))
        feedback(ack, body, respond, True)

    @app.action("feedback_not_helpful")
    def on_not_helpful(ack: Ack, body: dict) -> None:
        respond = Responder(body.get("response_url"))
        feedback(ack, body, respond, False)

    @app.action("read_more")
    def on_read_more(ack: Ack, body: dict) -> None:
        respond = Responder(body.get("response_url"))
        ack()
        entry = core.knowledge.kb.get(str(_value(body).get("e", "")))
        if entry is None:
            return
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=bk.fallback_text(entry.title),
            blocks=bk.limit(entry_blocks(core, entry, full=True)),
        )

    @app.action("share_answer")
    def on_share(ack: Ack, body: dict, client: WebClient) -> None:
        respond = Responder(body.get("response_url"))
        ack()
        value = _value(body)
        entry = core.knowledge.kb.get(str(value.get("e", "")))
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if entry is None or not channel:
            return
        user = body.get("user", {}).get("id", "")
        message = chosen_entry_message(
            core, entry, value.get("q") if isinstance(value.get("q"), int) else None, share=False
        )
        message["blocks"] = bk.limit(
            [bk.context(r.render("slack/shared_by.slack.j2", user=user, question=None)), *message["blocks"]]
        )
        if call(client.chat_postMessage, channel=channel, **message) is not None:
            respond(delete_original=True)

    @app.action(re.compile(r"^did_you_mean_\d+$"))
    def on_did_you_mean(ack: Ack, body: dict, client: WebClient) -> None:
        respond = Responder(body.get("response_url"))
        ack()
        value = _value(body)
        entry = core.knowledge.kb.get(str(value.get("e", "")))
        if entry is None:
            return
        question_id = value.get("q") if isinstance(value.get("q"), int) else None
        message = chosen_entry_message(core, entry, question_id, share=bool(value.get("s")))
        if _is_ephemeral(body):
            respond(replace_original=True, **message)
            return
        original = body.get("message") or {}
        call(
            client.chat_postMessage,
            channel=body["channel"]["id"],
            thread_ts=original.get("thread_ts") or original.get("ts"),
            **message,
        )

    # Checklist thread ----------------------------------------------------------

    @app.action(re.compile(rf"^{STEP_ACTION}_\d+$"))
    def on_option(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        value = _value(body)
        open_modal(client, body, str(value.get("c", "")), str(value.get("s", "")), str(value.get("o", "")))

    @app.action(REVISE_ACTION)
    def on_revise(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        value = _value(body)
        open_modal(client, body, str(value.get("c", "")), str(value.get("s", "")), None)

    def open_modal(client: WebClient, body: dict, checklist_id: str, step_id: str, option: str | None) -> None:
        if core.store.get_checklist(checklist_id) is None:
            return
        current = core.store.current_answers(checklist_id).get(step_id)
        view = reasons_modal(
            core,
            checklist_id,
            step_id,
            option or (current.decision if current else None),
            current.reasons if current else None,
        )
        if view is not None:
            call(client.views_open, trigger_id=body["trigger_id"], view=view)

    @app.action(JUMP_ACTION)
    def on_jump(ack: Ack, body: dict, client: WebClient) -> None:
        respond = Responder(body.get("response_url"))
        ack()
        action = body["actions"][0]
        step_id = ((action.get("selected_option") or {}).get("value")) or ""
        checklist_id = (action.get("block_id") or "").partition(":")[2]
        if core.store.get_checklist(checklist_id) is None or step_id not in {s.id for s in core.checklists.steps}:
            return
        link = ChecklistThread(core, client).jump(checklist_id, step_id)
        if link:
            respond(
                response_type="ephemeral",
                replace_original=False,
                text=r.render("slack/step_posted.slack.j2", link=link),
            )

    @app.action(EXPORT_ACTION)
    def on_export(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        checklist_id = str(_value(body).get("c", ""))
        if core.store.get_checklist(checklist_id) is not None:
            ChecklistThread(core, client).post_record(checklist_id)


__all__ = ["answer_message", "register"]
