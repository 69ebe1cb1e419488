"""People's names for records written outside Slack, from ``users.info`` (scope ``users:read``).

A procurement file needs "Alice Smith", not "U024BE7LH". Names are cached for an
hour so a record with forty answers costs at most a few calls; when Slack
cannot say (no scope, a deleted user, an outage) the id is kept, never guessed.
"""

from __future__ import annotations

import re
import threading
import time

from slack_sdk import WebClient

from bot.slack.safe import call

NAME_TTL_S = 3600.0
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class People:
    """Resolves Slack user ids to display names; one per app, shared by every listener thread."""

    def __init__(self, client: WebClient, ttl_s: float = NAME_TTL_S):
        self.client = client
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._names: dict[str, tuple[float, str]] = {}

    def name(self, user_id: str) -> str:
        """The person's name as Slack shows it ("Alice Smith"), or the id if Slack cannot say."""
        if not SLACK_USER_ID.match(user_id or ""):
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
