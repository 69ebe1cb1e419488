"""Settings read from the environment (see README, "Configuration").

Every setting is checked here, once, the same way for every front end: a
malformed value is a ``Problem`` naming the variable and what it accepts.
A command refuses to run on one (``Settings.from_env``: one line, exit 2);
the Slack app logs each once at start and serves on the default
(``Settings.read``), since stopping would take the bot away from everyone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot.paths import KNOWLEDGE_DIR
from bot.problems import USAGE, Problem

T = TypeVar("T")
V = TypeVar("V")
# The spellings a person may use for a yes/no setting.
SWITCH_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
# A Slack member id as Slack shows it ("Copy member ID"): U or W, then capitals and digits.
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


class _Reader:
    """Reads one environment, keeping a Problem for each malformed value (which reads as its default)."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: list[Problem] = []

    def text(self, name: str) -> str:
        return (self.env.get(name) or "").strip()

    def _checked(self, name: str, default: T, convert: Callable[[str], V]) -> V | T:
        raw = self.text(name)
        if not raw:
            return default
        try:
            return convert(raw)
        except Problem as problem:
            self.problems.append(problem)
            return default

    def whole_number(self, name: str, default: T, low: int, high: int, example: int | None = None) -> int | T:
        def convert(raw: str) -> int:
            try:
                value = int(raw)
            except ValueError:
                shown = example if example is not None else default
                raise Problem("setting_not_a_number", status=USAGE, setting=name, value=raw, example=shown) from None
            if not low <= value <= high:
                raise Problem("setting_out_of_range", status=USAGE, setting=name, value=value, low=low, high=high)
            return value

        return self._checked(name, default, convert)

    def one_of(self, name: str, choices: Sequence[str]) -> str | None:
        """One of ``choices``, however it is capitalised or spaced ("Northern Ireland" for northern-ireland)."""

        def convert(raw: str) -> str:
            key = "-".join(raw.lower().replace("_", " ").split())
            if key not in choices:
                raise Problem("setting_not_one_of", status=USAGE, setting=name, value=raw, choices=choices)
            return key

        return self._checked(name, None, convert)

    def switch(self, name: str, default: bool) -> bool:
        def convert(raw: str) -> bool:
            if raw.lower() not in SWITCH_WORDS:
                raise Problem("setting_not_a_switch", status=USAGE, setting=name, value=raw)
            return SWITCH_WORDS[raw.lower()]

        return self._checked(name, default, convert)

    def folder(self, name: str, default: Path) -> Path:
        def convert(raw: str) -> Path:
            if not Path(raw).is_dir():
                raise Problem("setting_not_a_folder", status=USAGE, setting=name, value=raw)
            return Path(raw)

        return self._checked(name, default, convert)

    def user_ids(self, name: str) -> frozenset[str]:
        def convert(raw: str) -> frozenset[str]:
            ids = [part.strip() for part in raw.split(",") if part.strip()]
            if wrong := [part for part in ids if not SLACK_USER_ID.fullmatch(part)]:
                raise Problem("setting_not_user_ids", status=USAGE, setting=name, value=wrong[0])
            return frozenset(ids)

        return self._checked(name, frozenset(), convert)


@dataclass(frozen=True)
class Settings:
    """Every setting svbot reads, with its default."""

    db_path: Path = Path("svbot.db")
    knowledge_dir: Path = KNOWLEDGE_DIR
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    slack_api_url: str | None = None
    admins: frozenset[str] = field(default_factory=frozenset)
    port: int = 3000
    question_retention_days: int = 90
    watch_knowledge: bool = True
    # The organisation's nation and body type, as `svbot scope --nation/--body` spells them
    # ("northern-ireland", "sub-central"); from_env and read accept nothing else.
    nation: str | None = None
    body: str | None = None
    reminder_hour: int | None = None  # UTC hour for the daily sign-off reminder; None: no reminders

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the environment; a malformed value raises Problem (exit status 2) naming the variable."""
        settings, problems = cls.read(env)
        if problems:
            raise problems[0]
        return settings

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> tuple[Settings, list[Problem]]:
        """Read the environment, a malformed value replaced by its default; and a Problem for each."""
        from bot.nations import NATIONS
        from bot.scope import BODIES

        read = _Reader(os.environ if env is None else env)
        settings = cls(
            db_path=Path(read.text("SVBOT_DB") or "svbot.db"),
            knowledge_dir=read.folder("SVBOT_KNOWLEDGE", KNOWLEDGE_DIR),
            bot_token=read.text("SLACK_BOT_TOKEN") or None,
            signing_secret=read.text("SLACK_SIGNING_SECRET") or None,
            app_token=read.text("SLACK_APP_TOKEN") or None,
            slack_api_url=read.text("SLACK_API_URL") or None,
            admins=read.user_ids("SVBOT_ADMINS"),
            port=read.whole_number("PORT", 3000, 0, 65535),
            question_retention_days=read.whole_number("SVBOT_QUESTION_RETENTION_DAYS", 90, 1, 36500),
            watch_knowledge=read.switch("SVBOT_WATCH_KNOWLEDGE", True),
            nation=read.one_of("SVBOT_NATION", list(NATIONS)),
            body=read.one_of("SVBOT_BODY", BODIES),
            reminder_hour=read.whole_number("SVBOT_REMINDER_HOUR", None, 0, 23, example=7),
        )
        return settings, read.problems
