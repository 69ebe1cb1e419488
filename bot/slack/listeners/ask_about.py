"""The "Ask svbot about this" message shortcut: answers a message's text, privately."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack.answers import answer_message, thread_nation
from bot.slack.safe import Responder, call

CALLBACK = "ask_about_message"
MAX_QUESTION = 2000  # a forwarded tender notice can be long; the matcher needs its gist


def register(app: App, core: Svbot, later: Callable[..., Any]) -> None:
    @app.shortcut(CALLBACK)
    def on_shortcut(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        later(answer, body, client)

    def answer(body: dict, client: WebClient) -> None:
        user = body.get("user", {}).get("id", "")
        text = " ".join(((body.get("message") or {}).get("text") or "").split())[:MAX_QUESTION]
        if not text:
            message: dict[str, Any] = {"text": core.renderer.render("slack/ask_about_empty.slack.j2")}
        else:
            snap = core.snapshot()
            # A message in a checklist's thread is answered for that checklist's nation.
            where = (body.get("channel") or {}).get("id")
            nation = thread_nation(core, where, (body.get("message") or {}).get("thread_ts"))
            result, question_id = core.ask_logged(text, source="shortcut", user=user, snap=snap, nation=nation)
            message = answer_message(core, snap, result, question_id, given_nation=nation)
        if Responder(body.get("response_url"))(response_type="ephemeral", replace_original=False, **message):
            return
        # No response_url (or it failed): only the person sees a DM from svbot.
        dm = call(client.conversations_open, users=user)
        if dm is not None:
            call(client.chat_postMessage, channel=dm["channel"]["id"], **message)
