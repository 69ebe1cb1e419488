"""Events: @mentions, direct messages and the App Home tab.

bolt acknowledges events itself; the listeners only filter and hand the work
to ``later`` (a thread pool) so the acknowledgement is never held up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.answers import answer_message, thread_conversation, thread_nation
from bot.slack.home import home_view
from bot.slack.listeners.commands import COMMAND
from bot.slack.safe import attempt, call, transient

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# Message subtypes that are people writing; everything else (edits, joins, bots) is ignored.
_HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share"}


EVENT_TTL_S = 24 * 3600
# Our own retries of an answer Slack did not take, after the client's handlers gave up
# (bolt has already acknowledged the event, so Slack will not send it again).
ANSWER_RETRY_DELAYS_S = (2.0, 8.0)


def _from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


def register(app: App, core: Svbot, later: Callable[..., Any]) -> None:
    r = core.renderer

    def first_delivery(body: dict) -> bool:
        """Slack retries events it thinks we missed; handle each event_id once.

        Checked after the automatic ack, so the database write never delays it.
        """
        event_id = body.get("event_id")
        return not event_id or core.store.claim_event(str(event_id), ttl_s=EVENT_TTL_S)

    def post_answer(client: WebClient, channel: str, thread_ts: str | None, message: dict[str, Any]) -> str | None:
        """Post in the thread, trying again (bounded) on transient failures; None once posted, else the error."""
        error = None
        for delay in (0.0, *ANSWER_RETRY_DELAYS_S):
            if delay:
                time.sleep(delay)
            _, error = attempt(client.chat_postMessage, channel=channel, thread_ts=thread_ts, **message)
            if error is None or not transient(error):
                return error
        return error

    def tell_failed(client: WebClient, event: dict, error: str) -> None:
        """The answer could not be posted: say so in plain text, in the thread or else by DM."""
        text = r.render("slack/answer_failed.slack.j2", error=error)
        thread_ts = event.get("thread_ts") or event.get("ts")
        if call(client.chat_postMessage, channel=event["channel"], thread_ts=thread_ts, text=text) is not None:
            return
        user = event.get("user")
        dm = call(client.conversations_open, users=user) if user else None
        if dm is not None:
            call(client.chat_postMessage, channel=dm["channel"]["id"], text=text)

    def reply_in_thread(event: dict, client: WebClient, text: str, source: str) -> None:
        """Answer in the thread; if Slack never takes the answer, tell the person it failed."""
        thread_ts = event.get("thread_ts") or event.get("ts")
        question = " ".join(_MENTION.sub(" ", text).split())
        if not question:
            help_text = r.render("slack/help.slack.j2", command=COMMAND, admin=core.is_admin(event.get("user", "")))
            message = {"text": bk.fallback_text(help_text), "blocks": bk.sections(help_text)}
        else:
            snap = core.snapshot()
            # One conversation per thread; a direct message outside a thread is one conversation.
            thread = event.get("thread_ts") or (None if source == "dm" else thread_ts)
            conversation = thread_conversation(event["channel"], thread)
            user = event.get("user")
            nation = thread_nation(core, event["channel"], event.get("thread_ts"))
            answer, question_id = core.ask_logged(
                question, source=source, user=user, snap=snap, conversation=conversation, nation=nation
            )
            message = answer_message(core, snap, answer, question_id, given_nation=nation)
        error = post_answer(client, event["channel"], thread_ts, message)
        if error is not None:
            tell_failed(client, event, error)

    def answer_once(body: dict, event: dict, client: WebClient, source: str) -> None:
        if first_delivery(body):
            reply_in_thread(event, client, event.get("text") or "", source)

    @app.event("app_mention")
    def on_mention(body: dict, event: dict, client: WebClient) -> None:
        if _from_a_bot(event) or event.get("subtype") not in _HUMAN_SUBTYPES:
            return
        later(answer_once, body, event, client, "mention")

    @app.event("message")
    def on_message(body: dict, event: dict, client: WebClient, context: dict) -> None:
        if event.get("channel_type") != "im" or _from_a_bot(event):
            return
        if event.get("subtype") not in _HUMAN_SUBTYPES or event.get("user") == context.get("bot_user_id"):
            return
        later(answer_once, body, event, client, "dm")

    @app.event("app_home_opened")
    def on_home(body: dict, event: dict, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            later(publish_home, body, event, client)

    def publish_home(body: dict, event: dict, client: WebClient) -> None:
        if not first_delivery(body):
            return
        user = event["user"]
        view = home_view(core, client, user, COMMAND)
        call(client.views_publish, user_id=user, view=view)
