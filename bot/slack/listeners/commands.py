"""The /socialvalue slash command: acknowledged at once, answered after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.report import build_report
from bot.slack import blocks as bk
from bot.slack.answers import COMMAND, answer_message, slash_conversation
from bot.slack.listeners import scope
from bot.slack.listeners.new_checklist import open_from_command
from bot.slack.safe import Responder


def register(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any]) -> None:
    r = core.renderer

    def say_ephemeral(respond: Responder, text: str) -> None:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=bk.fallback_text(text),
            blocks=bk.limit(bk.sections(text)),
        )

    @app.command(COMMAND)
    def socialvalue(ack: Ack, body: dict, client: WebClient) -> None:
        text = " ".join((body.get("text") or "").split())
        word = text.partition(" ")[0].lower()
        if not text or word in ("help", "?"):
            user = body.get("user_id", "")
            help_text = r.render(
                "slack/help.slack.j2", command=body.get("command") or COMMAND, admin=core.is_admin(user)
            )
            ack(response_type="ephemeral", text=bk.fallback_text(help_text), blocks=bk.sections(help_text))
            return
        ack()
        if word == "checklist":  # the New checklist form; its trigger_id lasts 3 s
            soon(open_from_command, core, client, body, text.partition(" ")[2])
            return
        if text.lower() == "scope":  # the scope finder's form
            soon(scope.open_from_command, core, client, body)
            return
        later(handle, body, client)

    def handle(body: dict, client: WebClient) -> None:
        respond = Responder(body.get("response_url"))
        text = " ".join((body.get("text") or "").split())
        user = body.get("user_id", "")
        command = body.get("command") or COMMAND
        word, _, rest = text.partition(" ")
        word = word.lower()
        if word == "report" and not rest:
            data = build_report(core)
            say_ephemeral(respond, r.render("slack/report.slack.j2", r=data, admin=core.is_admin(user)))
        elif word == "admin":
            admin(rest.lower(), user, respond, command)
        else:
            snap = core.snapshot()
            # Follow-ups ("what about wales?") read against this person's last answer in this channel.
            conversation = slash_conversation(body.get("channel_id", ""), user)
            answer, question_id = core.ask_logged(text, source="slash", user=user, snap=snap, conversation=conversation)
            respond(
                response_type="ephemeral",
                replace_original=False,
                **answer_message(core, snap, answer, question_id, share=True),
            )

    def admin(action: str, user: str, respond: Responder, command: str) -> None:
        if not core.is_admin(user):
            say_ephemeral(
                respond,
                r.render(
                    "slack/admin_only.slack.j2",
                    command=command,
                    action=action or "",
                    admins=sorted(core.settings.admins),
                ),
            )
            return
        if action == "reload":
            result = core.knowledge.reload()
            say_ephemeral(respond, r.render("slack/reload.slack.j2", result=result, folder=str(core.knowledge.folder)))
        else:
            say_ephemeral(respond, r.render("slack/admin_usage.slack.j2", command=command))
