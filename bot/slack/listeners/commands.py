"""The /socialvalue slash command: acknowledged at once, answered after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.command_words import heard, near_command, stray_word
from bot.core import Svbot
from bot.report import build_report
from bot.slack import blocks as bk
from bot.slack.answers import COMMAND, answer_message, slash_conversation
from bot.slack.listeners import scope
from bot.slack.listeners.new_checklist import open_from_command
from bot.slack.safe import Responder

# The command's own words, and how many words each takes after it (None: any, a title).
WORDS: dict[str, int | None] = {"help": 0, "checklist": None, "scope": 0, "report": 0, "admin": 1}


def _takes(most: int | None, rest: str) -> bool:
    """Whether a command taking at most ``most`` words (None: any) takes ``rest``."""
    return most is None or len(rest.split()) <= most


def register(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any]) -> None:
    r = core.renderer

    def say_ephemeral(respond: Responder, text: str) -> None:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=bk.fallback_text(text),
            blocks=bk.limit(bk.sections(text)),
        )

    def typo(command: str, word: str, rest: str, exact: bool) -> str:
        return r.render("slack/typo.slack.j2", slash=command, command=word, rest=rest, exact=exact)

    @app.command(COMMAND)
    def socialvalue(ack: Ack, body: dict, client: WebClient) -> None:
        text = " ".join((body.get("text") or "").split())
        word, _, rest = text.partition(" ")
        word = word.lower()
        command = body.get("command") or COMMAND
        # "help" alone is the command; "help me with thresholds" is a question, as in the chat.
        if not text or text.lower() in ("help", "?"):
            user = body.get("user_id", "")
            help_text = r.render("slack/help.slack.j2", command=command, admin=core.is_admin(user))
            ack(response_type="ephemeral", text=bk.fallback_text(help_text), blocks=bk.sections(help_text))
            return
        near = None if text.endswith("?") else near_command(word, WORDS, core.snapshot().matcher.knows)
        if near is not None and _takes(WORDS[near], rest):
            # "chekclist Depot": a slip, not a question; nothing is answered or logged.
            said = typo(command, near, rest, exact=False)
            ack(response_type="ephemeral", text=bk.fallback_text(said), blocks=bk.sections(said))
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
            # "scope now": a command with a stray word; unless a topic answers it, ask, log nothing.
            stray = WORDS.get(word) == 0 and stray_word(rest) and not text.endswith("?")
            if stray and not heard(core.answer(text, snap=snap, conversation=None)):
                say_ephemeral(respond, typo(command, word, rest, exact=True))
                return
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
