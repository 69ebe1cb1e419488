"""A daily reminder by DM for checklists waiting on someone (off unless SVBOT_REMINDER_HOUR is set).

Who a checklist waits on, and for what, is decided in ``bot.checklist.waiting``:
the decision maker (the starter, when none is named) to sign off or to resolve
a dispute, or to look again at a deferred decision on its revisit date; the
starter to get open steps answered. Each person gets one direct message a day
listing what waits on them. The day's reminder is claimed in the database per
person and checklist, so restarts and several processes never send it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from slack_sdk import WebClient

from bot.checklist.waiting import waiting_in_slack
from bot.core import Svbot
from bot.slack import blocks as bk
from bot.slack.safe import call

log = logging.getLogger("svbot.slack")
CHECK_EVERY_S = 60.0


def _key(today: dt.date, person: str) -> str:
    return f"reminder:{today.isoformat()}:{person}"


def send_reminders(core: Svbot, client: WebClient, today: dt.date) -> int:
    """DM today's reminders not sent yet; return how many people were reminded."""
    sent = 0
    for person, waiting in waiting_in_slack(core.checklists, today).items():
        due = [(what, c) for what, c in waiting.items if core.store.claim_post(c["id"], _key(today, person))]
        if not due:
            continue
        if _remind(core, client, person, due):
            sent += 1
        else:  # let a later check today try again
            for _, c in due:
                core.store.release_post(c["id"], _key(today, person))
    return sent


def _remind(core: Svbot, client: WebClient, person: str, due: list[tuple[str, dict[str, Any]]]) -> bool:
    for _, c in due:
        link = call(client.chat_getPermalink, channel=c["location"]["channel"], message_ts=c["parent_ts"])
        c["link"] = link["permalink"] if link else None
    text = core.renderer.render("slack/reminder.slack.j2", items=due)
    dm = call(client.conversations_open, users=person)
    posted = dm and call(
        client.chat_postMessage, channel=dm["channel"]["id"], text=bk.fallback_text(text), blocks=bk.sections(text)
    )
    return bool(posted)


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
