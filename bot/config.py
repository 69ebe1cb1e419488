"""Settings read from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import KNOWLEDGE_DIR
from bot.problems import USAGE, Problem


def _whole_number(env: dict[str, str], name: str, default: int, low: int, high: int, example: int | None = None) -> int:
    """A whole-number setting, refused with a clear message when it is not one or out of range.

    ``example``: the value the message suggests, when the default is a sentinel outside the range.
    """
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        example = default if example is None else example
        raise Problem("setting_not_a_number", status=USAGE, setting=name, value=raw, example=example) from None
    if not low <= value <= high:
        raise Problem("setting_out_of_range", status=USAGE, setting=name, value=value, low=low, high=high)
    return value


def _csv(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


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
    # The organisation's nation and body type (as `svbot scope --nation/--body`), unchecked here:
    # Svbot and the scope finder say clearly what is wrong with a bad value.
    nation: str | None = None
    body: str | None = None
    reminder_hour: int | None = None  # UTC hour for the daily sign-off reminder; None: no reminders

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read the environment; a malformed value raises Problem naming the variable."""
        env = dict(os.environ if env is None else env)
        return cls(
            db_path=Path(env.get("SVBOT_DB") or "svbot.db"),
            knowledge_dir=Path(env.get("SVBOT_KNOWLEDGE") or KNOWLEDGE_DIR),
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=env.get("SLACK_API_URL") or None,
            admins=_csv(env.get("SVBOT_ADMINS", "")),
            port=_whole_number(env, "PORT", 3000, 0, 65535),
            question_retention_days=_whole_number(env, "SVBOT_QUESTION_RETENTION_DAYS", 90, 1, 36500),
            watch_knowledge=(env.get("SVBOT_WATCH_KNOWLEDGE", "1") not in ("0", "false", "no")),
            nation=env.get("SVBOT_NATION") or None,
            body=env.get("SVBOT_BODY") or None,
            reminder_hour=_whole_number(env, "SVBOT_REMINDER_HOUR", -1, 0, 23, example=9)
            if (env.get("SVBOT_REMINDER_HOUR") or "").strip()
            else None,
        )
