"""A daily reminder by DM for checklists waiting on someone's sign-off (off unless SVBOT_REMINDER_HOUR is set).

A checklist waits on its sign-off when every other step has an answer: its
decision maker (or the starter, when none is named) gets one direct message a
day listing those checklists. The day's reminder is claimed in the database per
checklist, so restarts and several processes never send it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from typing import Any

from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.safe import call

log = logging.getLogger("svbot.slack")
SCAN_LIMIT = 1000
CHECK_EVERY_S = 60.0


def waiting_for_sign_off(core: Svbot) -> dict[str, list[dict[str, Any]]]:
    """Open Slack checklists whose only open steps are sign-off steps, by the person who signs off."""
    sign_off = {s.id for s in core.checklists.steps if s.sign_off}
    waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in core.store.list_checklists(limit=SCAN_LIMIT):
        if not row.get("parent_ts"):
            continue
        left = set(core.checklists.open_steps(row["id"]))
        if left and left <= sign_off:
            waiting[row.get("decision_maker") or row["created_by"]].append(row)
    return waiting


def send_reminders(core: Svbot, client: WebClient, today: dt.date) -> int:
    """DM today's reminders not sent yet; return how many people were reminded."""
    sent = 0
    for person, rows in waiting_for_sign_off(core).items():
        due = [row for row in rows if core.store.claim_post(row["id"], f"reminder:{today.isoformat()}")]
        if not due:
            continue
        for row in due:
            link = call(client.chat_getPermalink, channel=row["channel"], message_ts=row["parent_ts"])
            row["link"] = link["permalink"] if link else None
        text = core.renderer.render("slack/reminder.slack.j2", checklists=due)
        dm = call(client.conversations_open, users=person)
        posted = dm and call(client.chat_postMessage, channel=dm["channel"]["id"], text=text, blocks=bk.sections(text))
        if posted:
            sent += 1
        else:  # let a later check today try again
            for row in due:
                core.store.release_post(row["id"], f"reminder:{today.isoformat()}")
    return sent


class ReminderThread(threading.Thread):
    """Checks every minute; from ``hour`` o'clock UTC sends the day's reminders once."""

    def __init__(self, core: Svbot, client: WebClient, hour: int):
        super().__init__(name="svbot-reminders", daemon=True)
        self.core, self.client, self.hour = core, client, hour
        self.stopped = threading.Event()
        self._done: dt.date | None = None

    def due(self, now: dt.datetime) -> bool:
        return now.hour >= self.hour and self._done != now.date()

    def run(self) -> None:
        while not self.stopped.wait(CHECK_EVERY_S):
            now = dt.datetime.now(dt.UTC)
            if not self.due(now):
                continue
            try:
                send_reminders(self.core, self.client, now.date())
                self._done = now.date()
            except Exception:  # a reminder must never stop the bot
                log.exception("daily reminders failed")
