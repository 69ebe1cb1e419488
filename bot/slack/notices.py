"""Saying why a click did nothing: no button, menu or form on an old message goes unanswered.

A button can outlive what it acts on: the checklist is withdrawn or deleted,
the checklist's steps or the knowledge base change after a reload. Each
listener that cannot act tells the person who clicked, privately, why.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.checklist.service import NotAllowed
from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.people import mention
from bot.slack.safe import Responder, call

NOTICE = "slack/stale_click.slack.j2"


def tell(core: Svbot, client: WebClient, body: dict, why: str, **context: Any) -> None:
    """Tell the person who clicked why nothing happened: ephemeral where they clicked, else by DM.

    ``why`` names the case in ``prompts/slack/stale_click.slack.j2``. App Home buttons
    carry no response_url, hence the direct message.
    """
    say(client, body, core.renderer.render(NOTICE, why=why, **context))


def say(client: WebClient, body: dict, text: str) -> None:
    """Send Slack text privately to the person who clicked: ephemeral where they clicked, else by DM."""
    message: dict[str, Any] = {"text": bk.fallback_text(text), "blocks": bk.limit(bk.sections(text))}
    if Responder(body.get("response_url"))(response_type="ephemeral", replace_original=False, **message):
        return
    user = (body.get("user") or {}).get("id")
    dm = call(client.conversations_open, users=user) if user else None
    if dm is not None:
        call(client.chat_postMessage, channel=dm["channel"]["id"], **message)


def tell_not_allowed(core: Svbot, client: WebClient, body: dict, refusal: NotAllowed) -> None:
    """Tell the person who clicked who may do this instead, each named as a Slack mention."""
    say(client, body, core.checklists.who_may(refusal.action, refusal.who, mention, refusal.checklist_id))


def live_checklist(core: Svbot, client: WebClient, body: dict, checklist_id: str) -> dict[str, Any] | None:
    """The checklist a button acts on, if it may still change; otherwise say why not and return None."""
    checklist = core.store.get_checklist(checklist_id)
    if checklist is None:
        tell(core, client, body, "checklist_gone")
        return None
    if checklist.get("withdrawn_at"):
        tell(core, client, body, "withdrawn", checklist=checklist)
        return None
    return checklist


def known_checklist(core: Svbot, client: WebClient, body: dict, checklist_id: str) -> dict[str, Any] | None:
    """The checklist a button reads (a withdrawn one too); if it is gone, say so and return None."""
    checklist = core.store.get_checklist(checklist_id)
    if checklist is None:
        tell(core, client, body, "checklist_gone")
    return checklist
