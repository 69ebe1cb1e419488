"""The App Home tab: what waits for the user's sign-off, their open checklists and what is left on each."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.safe import call

MAX_LINKS = 10  # one chat.getPermalink call each
MAX_WAITING = 10
SCAN_LIMIT = 500  # checklists looked through for the ones naming this user as decision maker


def _with_link(client: WebClient, summary: dict[str, Any], allowed: bool) -> dict[str, Any]:
    location = summary["location"]
    summary["link"] = None
    if allowed and location["where"] == "slack" and location.get("thread_ts"):
        link = call(client.chat_getPermalink, channel=location["channel"], message_ts=location["thread_ts"])
        summary["link"] = link["permalink"] if link else None
    return summary


def _left(core: Svbot, summary: dict[str, Any]) -> None:
    """Add the titles of the steps still open, and whether only the sign-off is left."""
    open_ids = set(core.checklists.open_steps(summary["id"])) if summary["status"] != "complete" else set()
    left = [s for s in core.checklists.steps if s.id in open_ids]
    summary["left"] = [s.title for s in left]
    summary["ready"] = bool(left) and all(s.sign_off for s in left)


def home_view(core: Svbot, client: WebClient, user: str, command: str) -> dict[str, Any]:
    """The Home tab for ``user``."""
    r = core.renderer
    rows = core.store.list_checklists(limit=SCAN_LIMIT)
    waiting = [core.checklists.summary(row) for row in rows if row.get("decision_maker") == user]
    waiting = [c for c in waiting if c["status"] != "complete"][:MAX_WAITING]
    mine = core.checklists.for_user(user)
    for i, summary in enumerate([*waiting, *mine]):
        _with_link(client, summary, i < MAX_LINKS)
        _left(core, summary)
    labels = r.strings("slack/labels.txt.j2")
    blocks = [
        bk.actions([bk.button(labels.new_checklist, "home_new_checklist", "new", style="primary")], block_id="home"),
        *bk.sections(r.render("slack/home.slack.j2", waiting=waiting, checklists=mine, command=command)),
        bk.divider(),
        *bk.sections(r.render("slack/home_help.slack.j2", command=command)),
    ]
    return {"type": "home", "blocks": bk.limit(blocks)}
