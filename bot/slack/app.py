"""Build the bolt ``App`` for svbot from configuration.

Listeners are grouped by Slack surface in ``bot.slack.listeners``; each acks
first and hands the work to the core. Web API calls retry on connection
errors, HTTP 429 (honouring Retry-After) and 5xx, using slack_sdk's handlers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.core import Svbot
from bot.slack.listeners import register_all
from bot.slack.safe import retry_handlers

log = logging.getLogger("svbot.slack")


VIEW_THREADS = 4


class ListenerExecutor(ThreadPoolExecutor):
    """Runs listeners after the ack, and can wait for them all to finish (shutdown, tests).

    Opening a view has its own small pool (``soon``): a trigger_id lasts 3 s, so
    views.open must never queue behind answers, uploads or 429 back-offs.
    """

    def __init__(self, max_workers: int, *, name: str = "svbot-listener", view_threads: int = VIEW_THREADS):
        super().__init__(max_workers=max_workers, thread_name_prefix=name)
        self._pending: set[Future] = set()
        self._lock = threading.Condition()
        self.views = ListenerExecutor(view_threads, name="svbot-views", view_threads=0) if view_threads else None

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)
            self._lock.notify_all()

    def later(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Run ``fn(*args)`` after the acknowledgement; failures are logged, never lost silently."""

        def run() -> None:
            try:
                fn(*args)
            except Exception:
                log.exception("background work %s failed", getattr(fn, "__name__", fn))

        return self.submit(run)

    def soon(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Like ``later``, on the pool that only opens views (nothing slow shares it)."""
        return (self.views or self).later(fn, *args)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until no listener is running; False on timeout."""
        if self.views is not None and not self.views.wait_idle(timeout):
            return False
        with self._lock:
            return self._lock.wait_for(lambda: not self._pending, timeout=timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.views is not None:
            self.views.shutdown(wait=wait, cancel_futures=cancel_futures)
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def build_client(core: Svbot) -> WebClient:
    settings = core.settings
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=15,
        retry_handlers=retry_handlers(),
    )


def build_app(core: Svbot, *, listener_threads: int = 8, token_verification: bool = True) -> App:
    """The svbot bolt app; ``core.settings`` must hold the bot token and signing secret."""
    settings = core.settings
    executor = ListenerExecutor(listener_threads)
    app = App(
        signing_secret=settings.signing_secret,
        client=build_client(core),
        token_verification_enabled=token_verification,
        listener_executor=executor,
        # Listeners only acknowledge and hand work to the executor, so run them on the
        # request thread: no hop through the pool (and bolt's 10 ms polling) before the ack.
        process_before_response=True,
        logger=logging.getLogger("svbot.bolt"),
    )

    @app.error
    def on_error(error: Exception, body: dict, logger) -> None:
        logger.exception("listener failed for a %s request: %s", body.get("type"), type(error).__name__)

    register_all(app, core, executor.later, executor.soon)
    return app
