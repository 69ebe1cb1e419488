"""Events: @mentions, direct messages and the App Home tab.

bolt acknowledges events itself; the listeners only filter and hand the work
to ``later`` (a thread pool) so the acknowledgement is never held up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.answers import answer_message
from bot.slack.listeners.commands import COMMAND
from bot.slack.safe import call

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# Message subtypes that are people writing; everything else (edits, joins, bots) is ignored.
_HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share"}


EVENT_TTL_S = 24 * 3600
MAX_HOME_LINKS = 10  # one chat.getPermalink call each


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

    def reply_in_thread(event: dict, client: WebClient, text: str, source: str) -> bool:
        """Answer in the thread; False if Slack never took the message."""
        thread_ts = event.get("thread_ts") or event.get("ts")
        question = " ".join(_MENTION.sub(" ", text).split())
        if not question:
            help_text = r.render("slack/help.slack.j2", command=COMMAND, admin=core.is_admin(event.get("user", "")))
            posted = call(
                client.chat_postMessage,
                channel=event["channel"],
                thread_ts=thread_ts,
                text=bk.fallback_text(help_text),
                blocks=bk.sections(help_text),
            )
            return posted is not None
        snap = core.snapshot()
        # One conversation per thread; a direct message outside a thread is one conversation.
        conversation = f"{event['channel']}:{event.get('thread_ts') or ('' if source == 'dm' else thread_ts)}"
        user = event.get("user")
        answer, question_id = core.ask_logged(question, source=source, user=user, snap=snap, conversation=conversation)
        posted = call(
            client.chat_postMessage,
            channel=event["channel"],
            thread_ts=thread_ts,
            **answer_message(core, snap, answer, question_id),
        )
        if posted is None and question_id is not None:
            core.store.forget_question(question_id)
        return posted is not None

    def answer_once(body: dict, event: dict, client: WebClient, source: str) -> None:
        if first_delivery(body) and not reply_in_thread(event, client, event.get("text") or "", source):
            # Slack's own retry of this event (it resends until we answer) gets another go.
            core.store.release_event(str(body["event_id"]))

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
        mine = core.checklists.for_user(user)
        for i, summary in enumerate(mine):
            location = summary["location"]
            summary["link"] = None
            if location["where"] == "slack" and location.get("thread_ts") and i < MAX_HOME_LINKS:
                link = call(client.chat_getPermalink, channel=location["channel"], message_ts=location["thread_ts"])
                summary["link"] = link["permalink"] if link else None
        view = {
            "type": "home",
            "blocks": bk.limit(
                [
                    *bk.sections(r.render("slack/home.slack.j2", checklists=mine, command=COMMAND)),
                    bk.divider(),
                    *bk.sections(r.render("slack/home_help.slack.j2", command=COMMAND)),
                ]
            ),
        }
        call(client.views_publish, user_id=user, view=view)
