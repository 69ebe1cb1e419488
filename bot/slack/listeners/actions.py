"""Button and select actions: feedback, sharing, "did you mean", checklist steps.

Each listener acknowledges at once and hands the work to ``later`` (a thread
pool), so Slack gets its answer within milliseconds whatever follows. Buttons
that open a view use ``soon``: a pool of its own, so views.open goes out well
inside the trigger_id's 3 seconds even while answers back off on 429s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.checklist.service import ChecklistError, NotAllowed
from bot.checklist.states import AnswerStatus
from bot.core import Snapshot, Svbot
from bot.knowledge.schema import Entry
from bot.slack import blocks as bk
from bot.slack.answers import button_nation, chosen_entry_message, entry_blocks
from bot.slack.checklist_thread import (
    DECIDER_ACTION,
    EXPORT_ACTION,
    JUMP_ACTION,
    REVIEW_ACTION,
    REVISE_ACTION,
    STEP_ACTION,
    ChecklistThread,
)
from bot.slack.listeners.views import reasons_modal, resolve_modal
from bot.slack.notices import known_checklist, live_checklist, tell, tell_not_allowed
from bot.slack.safe import Responder, attempt, call

Work = Callable[[dict, WebClient], None]


def _question_id(value: dict[str, Any]) -> int | None:
    return value.get("q") if isinstance(value.get("q"), int) else None


def _is_ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def open_view(core: Svbot, client: WebClient, body: dict, view: dict[str, Any]) -> bool:
    """Open a view with the request's trigger_id; if Slack refuses, tell the user privately."""
    _, error = attempt(client.views_open, trigger_id=body.get("trigger_id", ""), view=view)
    if error is None:
        return True
    text = core.renderer.render("slack/view_failed.slack.j2", error=error)
    Responder(body.get("response_url"))(response_type="ephemeral", replace_original=False, text=text)
    return False


def register(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any]) -> None:
    r = core.renderer

    def on(action_id: str | re.Pattern[str], work: Work, run: Callable[..., Any] = later) -> None:
        """Register ``work`` for an action: ack now, work after the response (``run``: later or soon)."""

        def listener(ack: Ack, body: dict, client: WebClient) -> None:
            ack()
            run(work, body, client)

        listener.__name__ = f"on_{work.__name__}"
        app.action(action_id)(listener)

    def topic(body: dict, client: WebClient, snap: Snapshot) -> Entry | None:
        """The knowledge entry an answer's button is about; if a reload removed it, say so."""
        entry = snap.kb.get(str(bk.button_value(body).get("e", "")))
        if entry is None:
            tell(core, client, body, "topic_gone")
        return entry

    def feedback(body: dict, client: WebClient, helpful: bool) -> None:
        value = bk.button_value(body)
        entry = topic(body, client, core.snapshot())
        if entry is None:
            return
        question_id = _question_id(value)
        question = core.store.question_text(question_id) if question_id is not None else None
        core.store.add_feedback(entry.id, helpful, body.get("user", {}).get("id"), question)
        text = r.render("slack/feedback_thanks.slack.j2", helpful=helpful, entry=entry)
        Responder(body.get("response_url"))(response_type="ephemeral", replace_original=False, text=text)

    def helpful(body: dict, client: WebClient) -> None:
        feedback(body, client, True)

    def not_helpful(body: dict, client: WebClient) -> None:
        feedback(body, client, False)

    def read_more(body: dict, client: WebClient) -> None:
        snap = core.snapshot()
        value = bk.button_value(body)
        entry = topic(body, client, snap)
        if entry is None:
            return
        Responder(body.get("response_url"))(
            response_type="ephemeral",
            replace_original=False,
            text=bk.fallback_text(entry.title),
            blocks=bk.limit(entry_blocks(core, snap, entry, full=True, nation=button_nation(core, value))),
        )

    def share(body: dict, client: WebClient) -> None:
        """Share through the response_url: it reaches the channel whether or not svbot is a member."""
        value = bk.button_value(body)
        snap = core.snapshot()
        entry = topic(body, client, snap)
        if entry is None:
            return
        user = body.get("user", {}).get("id", "")
        message = chosen_entry_message(
            core, snap, entry, _question_id(value), share=False, nation=button_nation(core, value)
        )
        shared_by = bk.context(r.render("slack/shared_by.slack.j2", user=user, question=None))
        message["blocks"] = bk.limit([shared_by, *message["blocks"]])
        respond = Responder(body.get("response_url"))
        if respond(response_type="in_channel", replace_original=False, **message):
            respond(delete_original=True)
        else:
            respond(
                response_type="ephemeral",
                replace_original=False,
                text=r.render("slack/share_failed.slack.j2"),
            )

    def did_you_mean(body: dict, client: WebClient) -> None:
        value = bk.button_value(body)
        snap = core.snapshot()
        entry = topic(body, client, snap)
        if entry is None:
            return
        message = chosen_entry_message(
            core, snap, entry, _question_id(value), share=bool(value.get("s")), nation=button_nation(core, value)
        )
        if _is_ephemeral(body):
            Responder(body.get("response_url"))(replace_original=True, **message)
            return
        original = body.get("message") or {}
        call(
            client.chat_postMessage,
            channel=body["channel"]["id"],
            thread_ts=original.get("thread_ts") or original.get("ts"),
            **message,
        )

    def open_modal(body: dict, client: WebClient, choose_option: bool) -> None:
        value = bk.button_value(body)
        checklist_id, step_id = str(value.get("c", "")), str(value.get("s", ""))
        if live_checklist(core, client, body, checklist_id) is None:
            return
        current = core.store.current_answers(checklist_id).get(step_id)
        option = str(value.get("o", "")) if choose_option else None
        view = reasons_modal(
            core,
            checklist_id,
            step_id,
            option or (current.decision if current else None),
            current.reasons if current else None,
            revisit=current.revisit_on if current else None,
        )
        if view is None:
            tell(core, client, body, "step_gone", step=step_id)
            return
        open_view(core, client, body, view)

    def option(body: dict, client: WebClient) -> None:
        open_modal(body, client, choose_option=True)

    def revise(body: dict, client: WebClient) -> None:
        open_modal(body, client, choose_option=False)

    def review(body: dict, client: WebClient) -> None:
        """Open the disputed answer for the decision maker; anyone else is told who decides, and why."""
        value = bk.button_value(body)
        checklist_id, answer_id = str(value.get("c", "")), value.get("a")
        checklist = live_checklist(core, client, body, checklist_id)
        if checklist is None:
            return
        respond = Responder(body.get("response_url"))
        try:
            core.checklists.check_may_resolve(checklist_id, body.get("user", {}).get("id", ""))
        except NotAllowed as exc:
            tell_not_allowed(core, client, body, exc)
            return
        except ChecklistError as exc:
            tell(core, client, body, "refused", error=str(exc))
            return
        answer = next((a for a in core.store.answers(checklist_id) if a.id == answer_id), None)
        if answer is None:
            tell(core, client, body, "answer_gone")
            return
        if answer.status is not AnswerStatus.DISPUTED:
            text = r.render("slack/dispute_gone.slack.j2", status=str(answer.status))
            respond(response_type="ephemeral", replace_original=False, text=text)
            return
        open_view(core, client, body, resolve_modal(core, checklist_id, answer))

    def jump(body: dict, client: WebClient) -> None:
        action = body["actions"][0]
        step_id = (action.get("selected_option") or {}).get("value") or ""
        checklist_id = (action.get("block_id") or "").partition(":")[2]
        if known_checklist(core, client, body, checklist_id) is None:
            return
        if step_id not in {s.id for s in core.checklists.steps}:
            tell(core, client, body, "step_gone", step=step_id)
            return
        link = ChecklistThread(core, client).jump(checklist_id, step_id)
        if link:
            Responder(body.get("response_url"))(
                response_type="ephemeral",
                replace_original=False,
                text=r.render("slack/step_posted.slack.j2", link=link),
            )

    def export(body: dict, client: WebClient) -> None:
        checklist_id = str(bk.button_value(body).get("c", ""))
        checklist = known_checklist(core, client, body, checklist_id)
        if checklist is None:
            return
        thread = ChecklistThread(core, client)
        if thread.post_record(checklist_id):
            return
        if thread.unreachable:
            text = r.render(
                "slack/record_unreachable.slack.j2",
                channel=checklist["channel"],
                error=thread.unreachable,
                export_label=thread.labels.export,
            )
            Responder(body.get("response_url"))(response_type="ephemeral", replace_original=False, text=text)
        else:
            tell(core, client, body, "record_failed")

    def name_decider(body: dict, client: WebClient) -> None:
        action = body["actions"][0]
        checklist_id = (action.get("block_id") or "").partition(":")[2]
        chosen = action.get("selected_user")
        checklist = live_checklist(core, client, body, checklist_id)
        if checklist is None:
            return
        if not chosen:
            tell(core, client, body, "no_decider", checklist=checklist)
            return
        user = body.get("user", {}).get("id", "")
        try:
            core.checklists.name_decision_maker(checklist_id, chosen, user)
        except NotAllowed as exc:  # not the starter
            tell_not_allowed(core, client, body, exc)
            return
        except ChecklistError as exc:  # a name the checklist cannot take
            tell(core, client, body, "refused", error=str(exc))
            return
        thread = ChecklistThread(core, client)
        thread.refresh_parent(checklist_id)
        thread.tell_decision_maker(checklist_id, user)
        Responder(body.get("response_url"))(
            response_type="ephemeral",
            replace_original=False,
            text=r.render("slack/decider_named.slack.j2", user=chosen),
        )

    on("feedback_helpful", helpful)
    on("feedback_not_helpful", not_helpful)
    on("read_more", read_more)
    on("share_answer", share)
    on(re.compile(r"^did_you_mean_\d+$"), did_you_mean)
    on(re.compile(rf"^{STEP_ACTION}_\d+$"), option, soon)
    on(REVISE_ACTION, revise, soon)
    on(REVIEW_ACTION, review, soon)
    on(JUMP_ACTION, jump)
    on(EXPORT_ACTION, export)
    on(DECIDER_ACTION, name_decider)
