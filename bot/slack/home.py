"""The App Home tab: what waits for the user's sign-off, their open checklists and what is left on each."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.checklist import waiting as wait
from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.safe import call

MAX_LINKS = 10  # one chat.getPermalink call each
MAX_WAITING = 10


def _with_link(client: WebClient, summary: dict[str, Any], allowed: bool) -> dict[str, Any]:
    location = summary["location"]
    summary["link"] = None
    if allowed and location["where"] == "slack" and location.get("thread_ts"):
        link = call(client.chat_getPermalink, channel=location["channel"], message_ts=location["thread_ts"])
        summary["link"] = link["permalink"] if link else None
    return summary


def home_view(core: Svbot, client: WebClient, user: str, command: str) -> dict[str, Any]:
    """The Home tab for ``user``: two queries, however many checklists the workspace has."""
    r = core.renderer
    waiting = wait.waiting_for_sign_off(core.checklists, user, limit=MAX_WAITING)
    mine = wait.involving(core.checklists, user)
    for i, summary in enumerate([*waiting, *mine]):
        _with_link(client, summary, i < MAX_LINKS)
    labels = r.strings("slack/labels.txt.j2")
    blocks = [
        bk.actions([bk.button(labels.new_checklist, "home_new_checklist", "new", style="primary")], block_id="home"),
        *bk.sections(r.render("slack/home.slack.j2", waiting=waiting, checklists=mine, command=command)),
        bk.divider(),
        *bk.sections(r.render("slack/home_help.slack.j2", command=command)),
    ]
    return {"type": "home", "blocks": bk.limit(blocks)}
