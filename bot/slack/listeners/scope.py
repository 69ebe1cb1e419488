"""The scope finder in Slack: ``/socialvalue scope``, and "Check scope" on a checklist's scope step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.scope import Procurement, ScopeError, ScopeFinder, ScopeResult
from bot.scope_check import checklist_defaults, configured_defaults, light_touch_cues, suggested_decision
from bot.slack import blocks as bk
from bot.slack.answers import slash_conversation, thread_conversation
from bot.slack.checklist_thread import SCOPE_CHECK_ACTION as CHECK_ACTION
from bot.slack.listeners.actions import open_view
from bot.slack.listeners.views import FORM_ERRORS, reasons_modal
from bot.slack.notices import live_checklist
from bot.slack.safe import attempt, call
from bot.slack.scope_modal import CALLBACK, Origin, read_form, result_text, scope_view


def find(core: Svbot, procurement: Procurement) -> ScopeResult:
    """The finder's answer, worded for Slack (the notes point to the form's fields)."""
    return ScopeFinder(core.snapshot().kb, core.renderer, surface="slack").find(procurement)


def open_from_command(core: Svbot, client: WebClient, body: dict) -> None:
    """/socialvalue scope: the form with the configured body type and nation; the answer comes back here."""
    origin = Origin(channel=body.get("channel_id"))
    open_view(core, client, body, scope_view(core, configured_defaults(core.settings), origin))


def post_result(
    core: Svbot, client: WebClient, channel: str | None, user: str, procurement: Procurement, result: ScopeResult
) -> None:
    """Only the person who asked sees the answer: ephemeral where they asked, else a direct message.

    The check becomes the context for follow-ups ("and for goods?") on /socialvalue there, or in the DM.
    """
    text = result_text(core, result)
    message = {"text": bk.fallback_text(result.why), "blocks": bk.limit(bk.sections(text))}
    if channel:
        _, error = attempt(client.chat_postEphemeral, channel=channel, user=user, **message)
        if error is None:
            core.remember_scope(slash_conversation(channel, user), procurement)
            return
    dm = call(client.conversations_open, users=user)
    if dm is not None and call(client.chat_postMessage, channel=dm["channel"]["id"], **message) is not None:
        core.remember_scope(thread_conversation(dm["channel"]["id"]), procurement)


def register(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any]) -> None:
    def open_for_step(body: dict, client: WebClient) -> None:
        """The form pre-filled from the checklist (value, what is bought, nation, body type, start date)."""
        value = bk.button_value(body)
        checklist = live_checklist(core, client, body, str(value.get("c", "")))
        if checklist is None:
            return
        origin = Origin(checklist.get("channel"), checklist["id"], str(value.get("s", "")))
        cues = light_touch_cues(core.snapshot().kb)
        open_view(core, client, body, scope_view(core, checklist_defaults(checklist, core.settings, cues), origin))

    @app.action(CHECK_ACTION)
    def on_check(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        soon(open_for_step, body, client)

    @app.view(CALLBACK)
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        procurement, errors = read_form(view, core.renderer.strings(FORM_ERRORS))
        if procurement is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            result = find(core, procurement)
        except ScopeError as exc:
            ack(response_action="errors", errors={"value": bk.cut(str(exc), bk.MAX_ERROR)})
            return
        origin = Origin.from_view(view)
        user = body.get("user", {}).get("id", "")
        if origin.checklist_id and origin.step_id:
            # From the checklist: the step's reasons form, pre-filled with the finder's answer.
            current = core.store.current_answers(origin.checklist_id).get(origin.step_id)
            decision = suggested_decision(result) or (current.decision if current else None)
            step_view = reasons_modal(
                core, origin.checklist_id, origin.step_id, decision, result.why, scope=(procurement, result)
            )
            if step_view is not None:
                ack(response_action="update", view=step_view)
                return
        ack()
        later(post_result, core, client, origin.channel, user, procurement, result)
