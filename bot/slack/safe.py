"""Web API calls that log a failure instead of crashing a listener."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

log = logging.getLogger("svbot.slack")


def retry_handlers() -> list[RetryHandler]:
    """Retry connection errors, HTTP 429 (honouring Retry-After) and 5xx: for the Web API and response_urls."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


# Failures worth another try once the client's own retry handlers have given up.
TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
CONNECTION_ERROR = "connection_error"


def attempt(method: Callable[..., Any], **kwargs: Any) -> tuple[Any | None, str | None]:
    """Run one Web API call: ``(response, None)``, or ``(None, error)`` with Slack's error code, logged."""
    name = getattr(method, "__name__", "call")
    try:
        return method(**kwargs), None
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        log.warning("Slack API %s failed: %s", name, error)
        return None, error
    except (SlackClientError, OSError) as exc:
        log.warning("Slack API %s failed: %s", name, type(exc).__name__)
        return None, CONNECTION_ERROR


def call(method: Callable[..., Any], **kwargs: Any) -> Any | None:
    """Run one Web API call; on failure log it (never the token) and return None."""
    return attempt(method, **kwargs)[0]


def transient(error: str | None) -> bool:
    """Whether a failed call may succeed if tried again later."""
    return error is not None and (error in TRANSIENT or error == CONNECTION_ERROR or error.startswith("http_5"))


def respond(response_url: str | None, **message: Any) -> bool:
    """Post to a response_url, retrying connection errors, 429s and 5xx (bolt's respond() does not).

    A failure is logged, never raised: the listener has already acknowledged.
    """
    if not response_url:
        return False
    client = WebhookClient(
        url=response_url,
        timeout=15,
        retry_handlers=retry_handlers(),
    )
    try:
        response = client.send_dict(message)
    except (SlackClientError, OSError) as exc:
        log.warning("posting to the response_url failed: %s", type(exc).__name__)
        return False
    if response.status_code != 200:
        log.warning("posting to the response_url failed: HTTP %s", response.status_code)
        return False
    return True


class Responder:
    """respond() for one request's response_url, with retries (see ``respond``)."""

    def __init__(self, response_url: str | None):
        self.response_url = response_url

    def __call__(self, text: str = "", **message: Any) -> bool:
        if text:
            message["text"] = text
        return respond(self.response_url, **message)
