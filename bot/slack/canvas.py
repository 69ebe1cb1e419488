"""The decision record as a Slack canvas, where the workspace allows canvases (scope ``canvases:write``).

A canvas is easier to read in Slack than a Word file, but it is an extra: the
.docx in the thread stays the record for the procurement file. So any refusal
(a free workspace, canvases switched off, the scope not granted, content Slack
will not take) is logged and svbot carries on without one.

svbot creates a standalone canvas and shares it read-only with the checklist's
channel, so nobody edits the record in place. Free workspaces cannot create
standalone canvases; there the canvas is added as a tab of the channel instead
(``channel_id``), which Slack allows once per channel on free plans.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.slack.safe import attempt

log = logging.getLogger("svbot.slack")
FREE_TEAM_STANDALONE = "free_teams_cannot_create_non_tabbed_canvases"
MAX_MARKDOWN = 1_048_576  # canvases.create: "limited to 1 MiB (1,048,576 characters)"


@dataclass(frozen=True)
class Canvas:
    id: str
    url: str


def publish(client: WebClient, title: str, markdown: str, channel: str) -> Canvas | None:
    """Put ``markdown`` in a canvas the channel can read; None when there is none."""
    if len(markdown) > MAX_MARKDOWN:
        log.info("no canvas for %r: the record is longer than a canvas takes", title)
        return None
    content = {"type": "markdown", "markdown": markdown}
    created, error = attempt(client.canvases_create, title=title, document_content=content)
    tabbed = error == FREE_TEAM_STANDALONE
    if tabbed:  # a channel tab is readable by whoever can read the channel: no sharing needed
        created, error = attempt(client.canvases_create, title=title, document_content=content, channel_id=channel)
    if created is None:
        log.info("no canvas for %r (Slack said %s): the record goes in the thread as a file", title, error)
        return None
    canvas_id = created["canvas_id"]
    url = canvas_url(client, canvas_id)
    if url is None or (not tabbed and not _share(client, canvas_id, channel)):
        remove(client, canvas_id)
        return None
    return Canvas(canvas_id, url)


def remove(client: WebClient, canvas_id: str) -> None:
    """Delete a canvas nobody can be shown (never leave an orphaned copy of a record)."""
    attempt(client.canvases_delete, canvas_id=canvas_id)


def _share(client: WebClient, canvas_id: str, channel: str) -> bool:
    """Read-only for the channel's members: the record is not edited in place."""
    _, error = attempt(client.canvases_access_set, canvas_id=canvas_id, access_level="read", channel_ids=[channel])
    if error:
        log.info("could not share canvas %s with %s (Slack said %s)", canvas_id, channel, error)
    return error is None


_workspaces: dict[int, tuple[WebClient, str]] = {}
_lock = threading.Lock()


def canvas_url(client: WebClient, canvas_id: str) -> str | None:
    """``https://WORKSPACE.slack.com/docs/TEAM/CANVAS``, from auth.test's url and team_id (asked once)."""
    with _lock:
        known = _workspaces.get(id(client))
    if known is None or known[0] is not client:
        auth, _ = attempt(client.auth_test)
        if auth is None:
            return None
        known = (client, f"{str(auth['url']).rstrip('/')}/docs/{auth['team_id']}")
        with _lock:
            _workspaces[id(client)] = known
    return f"{known[1]}/{canvas_id}"
