"""How svbot names people in Slack: mentions in Slack text, names from ``users.info`` elsewhere.

Slack text (messages, ephemeral notes, DMs) names a person as ``<@U024BE7LH>``:
Slack shows it as their name, kept current, and never a bare id. Where Slack
shows text as it is (a modal's errors) and in records written outside Slack,
a procurement file needs "Alice Smith", not "U024BE7LH": names come from
``users.info`` (scope ``users:read``), cached for an hour so a record with forty
answers costs at most a few calls; when Slack cannot say (no scope, a deleted
user, an outage) the id is kept, never guessed.
"""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient

from bot.config import SLACK_USER_ID
from bot.render import slack_escape
from bot.slack.safe import call

NAME_TTL_S = 3600.0


def mention(user: str) -> str:
    """A person in Slack text: ``<@U024BE7LH>``, which Slack shows as their name; a name that is not a
    Slack id (a CLI login) as it is, escaped."""
    return f"<@{user}>" if SLACK_USER_ID.fullmatch(user or "") else slack_escape(user)


class People:
    """Resolves Slack user ids to display names; one per app, shared by every listener thread."""

    def __init__(self, client: WebClient, ttl_s: float = NAME_TTL_S):
        self.client = client
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._names: dict[str, tuple[float, str]] = {}

    def name(self, user_id: str) -> str:
        """The person's name as Slack shows it ("Alice Smith"), or the id if Slack cannot say."""
        if not SLACK_USER_ID.fullmatch(user_id or ""):
            return user_id  # a CLI or chat user name is already a name
        now = time.monotonic()
        with self._lock:
            cached = self._names.get(user_id)
        if cached and now - cached[0] < self.ttl_s:
            return cached[1]
        response = call(self.client.users_info, user=user_id)
        if response is None:
            return cached[1] if cached else user_id
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        name = profile.get("real_name") or user.get("real_name") or profile.get("display_name") or user_id
        with self._lock:
            self._names[user_id] = (now, name)
        return name


_directories: dict[int, People] = {}
_directories_lock = threading.Lock()


def people_for(client: WebClient) -> People:
    """The one name cache for a Web API client (the app has one client, shared by every listener)."""
    with _directories_lock:
        people = _directories.get(id(client))
        if people is None or people.client is not client:
            people = _directories[id(client)] = People(client)
        return people
