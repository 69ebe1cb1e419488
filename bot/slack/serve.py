"""``svbot serve``: run the Slack app in Socket Mode or over HTTP.

HTTP mode serves bolt's WSGI adapter with waitress, a production WSGI
server (bolt's own ``app.start()`` is for development only). Socket Mode is
used when SLACK_APP_TOKEN is set. Both watch the knowledge folder and reload
it after validation; both finish in-flight work on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bot.config import Settings

log = logging.getLogger("svbot")
MAX_BODY_BYTES = 512 * 1024
SLACK_PATH = "/slack/events"


class ConfigError(Exception):
    """Settings that stop the app from starting; the message says what to fix."""


def check_settings(settings: Settings) -> None:
    missing = [
        name
        for name, value in (("SLACK_BOT_TOKEN", settings.bot_token), ("SLACK_SIGNING_SECRET", settings.signing_secret))
        if not value
    ]
    if settings.app_token:
        missing = [m for m in missing if m != "SLACK_SIGNING_SECRET"]
    if missing:
        raise ConfigError(
            f"missing {' and '.join(missing)}. Set them in the environment (see README, 'Running in Slack'); "
            "`svbot chat` works without Slack."
        )
    if not (settings.bot_token or "").startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN should be a bot token starting 'xoxb-' (OAuth & Permissions page).")
    if settings.app_token and not settings.app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN should be an app-level token starting 'xapp-' (Basic Information page).")


def wsgi_app(slack_handler: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """Route /slack/events to bolt, answer /healthz, refuse oversized bodies."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            start_response("413 Payload Too Large", [("Content-Type", "text/plain")])
            return [b"request body too large"]
        try:
            return slack_handler(environ, start_response)
        except ValueError:
            # bolt parses the body before verifying it; a malformed body is the sender's error.
            log.warning("malformed request body refused")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed request"]

    return application


class KnowledgeWatcher(threading.Thread):
    """Polls the knowledge folder; reloads good edits, reports bad ones to admins."""

    def __init__(self, core: Any, client: Any, interval: float = 2.0):
        super().__init__(name="svbot-knowledge-watcher", daemon=True)
        self.core = core
        self.client = client
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.check_once()

    def check_once(self) -> None:
        from bot.slack import blocks as bk
        from bot.slack.safe import call

        try:
            result = self.core.knowledge.reload_if_changed()
        except Exception:  # a watcher must never die; the bot keeps serving
            log.exception("knowledge watcher failed")
            return
        if result is None:
            return
        if result.ok:
            # LiveKnowledge.reload has logged the one line that says so.
            _ = self.core.snapshot().checker  # the new version's, before a request waits for it
            _freeze_heap()
            return
        text = self.core.renderer.render(
            "slack/reload_failed_dm.slack.j2", result=result, folder=str(self.core.knowledge.folder)
        )
        for admin in sorted(self.core.settings.admins):
            call(self.client.chat_postMessage, channel=admin, text=bk.fallback_text(text), blocks=bk.sections(text))


def run(settings: Settings | None = None) -> int:
    """Start the app; return an exit status (1 with a clear message when it cannot start).

    A malformed setting does not stop it: it is logged once and its default used.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings is None:
        settings, problems = Settings.read()
        for problem in problems:  # the bot stays up for everyone; the admin reads why once, at start
            log.warning("%s Serving with its default meanwhile.", problem)
    try:
        check_settings(settings)
    except ConfigError as exc:
        print(f"svbot serve: {exc}", file=sys.stderr)
        return 1
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.core import Svbot
    from bot.knowledge.loader import KnowledgeError
    from bot.slack.app import build_app
    from bot.slack.reminders import ReminderThread

    try:
        core = Svbot(settings)
        with _quiet("slack_sdk.web.base_client"):  # a failed start is reported below, in one line
            app = build_app(core)
    except KnowledgeError as exc:
        print(f"svbot serve: cannot start: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # urllib's URLError, timeouts, DNS: no route to Slack at all
        print(f"svbot serve: {_unreachable(settings, exc)}", file=sys.stderr)
        return 1
    except (SlackApiError, BoltError) as exc:
        reason = exc.response.get("error") if isinstance(exc, SlackApiError) else _auth_error(str(exc))
        print(
            f"svbot serve: Slack rejected SLACK_BOT_TOKEN ({reason}). "
            "Copy the Bot User OAuth Token again from the app's OAuth & Permissions page.",
            file=sys.stderr,
        )
        return 1
    core.store.migrate()  # before the first request, so start-up problems show at once
    _ = core.snapshot().checker  # built now (the CLI builds it on first use): no request waits for it
    _freeze_heap()
    watcher = KnowledgeWatcher(core, app.client) if settings.watch_knowledge else None
    if watcher:
        watcher.start()
    reminders = ReminderThread(core, app.client, settings.reminder_hour) if settings.reminder_hour is not None else None
    if reminders:
        reminders.start()
    try:
        if settings.app_token:
            return _run_socket_mode(app, settings)
        return _run_http(app, settings)
    finally:
        if watcher:
            watcher.stopped.set()
        if reminders:
            reminders.stopped.set()
        app.listener_runner.listener_executor.shutdown(wait=True)
        log.info("svbot stopped; in-flight work finished")


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Hold back a library's per-retry log lines while it checks the credentials at start-up."""
    library = logging.getLogger(logger)
    level = library.level
    library.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        library.setLevel(level)


def _unreachable(settings: Settings, exc: OSError) -> str:
    """One line for "cannot reach Slack": where we tried and the network's reason, no traceback."""
    from slack_sdk import WebClient

    from bot.problems import describe

    reason = getattr(exc, "reason", None) or exc.strerror or type(exc).__name__
    return describe("slack_unreachable", url=settings.slack_api_url or WebClient.BASE_URL, reason=reason)


def _freeze_heap() -> None:
    """Move the long-lived heap (knowledge snapshot, index) out of the garbage collector's way.

    Full collections would otherwise walk hundreds of thousands of index objects
    while every request waits.
    """
    gc.collect()
    gc.freeze()


def _auth_error(message: str) -> str:
    """The error code in bolt's auth.test failure message, without anything else it holds."""
    import re

    found = re.search(r"'error': '([a-z_]+)'", message)
    return found.group(1) if found else "auth.test failed"


def http_server(app: Any, host: str, port: int, threads: int = 32) -> Any:
    """The production HTTP server for the bolt app (the tests run this same configuration)."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress.server import create_server

    return create_server(
        wsgi_app(SlackRequestHandler(app, path=SLACK_PATH)),
        host=host,
        port=port,
        threads=threads,
        # waitress answers 413 from the headers alone, before reading a byte of an oversized body.
        max_request_body_size=MAX_BODY_BYTES,
        ident="svbot",
    )


def _run_http(app: Any, settings: Settings) -> int:
    server = http_server(app, "0.0.0.0", settings.port)
    stopping = threading.Event()

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %d: finishing in-flight requests", signum)
        stopping.set()
        server.pull_trigger()  # wake the loop now rather than at its next timeout

    signal.signal(signal.SIGTERM, stop)
    log.info("svbot listening on http://0.0.0.0:%d%s", settings.port, SLACK_PATH)
    with contextlib.suppress(KeyboardInterrupt, OSError):
        serve_until(server, stopping)
    return 0


DRAIN_S = 30.0


def serve_until(server: Any, stopping: threading.Event, drain_s: float = DRAIN_S) -> None:
    """Run waitress until ``stopping`` is set, then drain: no new connections, in-flight answers sent.

    waitress's own ``close()`` shuts the listening socket and its wake-up pipe at
    once, while worker threads may still be writing an answer: the answer is lost
    and the worker's last wake-up fails with a traceback. Here the listening socket
    closes first, the loop keeps running until every open connection has sent what
    it owes (or ``drain_s`` passes), idle keep-alive connections are closed, and
    only then do the workers stop and the wake-up pipe close.
    """
    from waitress import wasyncore

    def turn(timeout: float) -> None:
        wasyncore.loop(timeout=timeout, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)

    try:
        while not stopping.is_set():
            turn(server.adj.asyncore_loop_timeout)
    finally:
        wasyncore.dispatcher.close(server)  # the listening socket only; the wake-up pipe stays
        deadline = time.monotonic() + drain_s
        while _close_idle(server) and time.monotonic() < deadline:
            turn(0.05)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.trigger.close()
        wasyncore.close_all(server._map)


def _close_idle(server: Any) -> bool:
    """Close connections that owe nothing; True while any still has a request or an answer in flight."""
    busy = False
    for channel in list(server.active_channels.values()):
        if channel.requests or channel.request is not None or channel.total_outbufs_len:
            busy = True
        elif channel.will_close or channel.close_when_flushed:
            busy = True  # the loop closes it once flushed
        else:
            channel.handle_close()
    return busy


def _run_socket_mode(app: Any, settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(app, settings.app_token)
    if settings.slack_api_url:
        handler.client.web_client.base_url = settings.slack_api_url
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        handler.connect()
    except SlackApiError as exc:
        print(
            f"svbot serve: Slack rejected SLACK_APP_TOKEN ({exc.response.get('error')}). Create an app-level "
            "token with the connections:write scope on the app's Basic Information page.",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"svbot serve: {_unreachable(settings, exc)}", file=sys.stderr)
        return 1
    log.info("svbot connected in Socket Mode")
    with contextlib.suppress(KeyboardInterrupt):
        stopping.wait()
    handler.close()
    return 0
