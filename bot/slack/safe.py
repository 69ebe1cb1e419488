"""Web API calls that log a failure instead of crashing a listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("svbot.slack")


def call(method: Callable[..., Any], **kwargs: Any) -> Any | None:
    """Run one Web API call; on failure log it (never the token) and return None."""
    try:
        return method(**kwargs)
    except SlackApiError as exc:
        log.warning("Slack API %s failed: %s", getattr(method, "__name__", "call"), exc.response.get("error"))
    except (SlackClientError, OSError) as exc:
        log.warning("Slack API %s failed: %s", getattr(method, "__name__", "call"), type(exc).__name__)
    return None
