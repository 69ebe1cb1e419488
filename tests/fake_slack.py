"""A fake Slack Web API server for tests (standard library only).

Point a ``slack_sdk.WebClient`` (or a bolt ``App``'s client) at it with
``WebClient(token="xoxb-test", base_url=fake.url)``; every request is
recorded as a :class:`Call` and answered the way Slack's Web API would.

Example::

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"

It models what a real workspace imposes:

- Channels and membership (:meth:`FakeSlack.add_channel`): posting to a public
  channel the bot has not joined works (``chat:write.public``), but uploading a
  file there, reading its history or posting ephemerally answers
  ``not_in_channel``; a private channel or a DM between people that the bot is
  not in answers ``channel_not_found``. ``conversations.join`` joins public
  channels only. Channels never registered behave as public channels the bot
  is a member of, so simple tests need no set-up.
- People (:meth:`FakeSlack.add_user`), ``users.info`` and ``conversations.open``.
- Canvases (``canvases.create``, ``canvases.access.set``, ``canvases.delete``) on the
  plan in :attr:`FakeSlack.canvas_plan`: ``paid`` (standalone canvases), ``free``
  (a standalone canvas answers ``free_teams_cannot_create_non_tabbed_canvases``; one
  canvas tab per channel), ``off`` (``canvas_disabled_user_team``) or ``no_scope``
  (``missing_scope``). The content is checked as Slack documents it (markdown, at
  most 1 MiB, no list inside a block quote); made canvases are in
  :attr:`FakeSlack.canvases_made`.
- trigger_ids (:meth:`FakeSlack.new_trigger_id`) expire 3 seconds after the
  interaction that carried them (``expired_trigger_id``) and work once.
- Every Block Kit payload (messages, ephemeral messages, response_url posts,
  views) is checked with slack_sdk's model classes and Slack's documented limits
  (see :func:`payload_problems`). A payload Slack would reject is answered as
  Slack answers it (``invalid_blocks``; ``invalid_arguments`` for views) and kept
  in :attr:`FakeSlack.invalid`: leaving the ``with`` block raises if any invalid
  payload was not claimed with :meth:`FakeSlack.take_invalid`, so a test suite
  fails on any payload Slack would refuse.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

TEAM_ID = "T111"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
FILE_UPLOAD = "file_upload"
RESPONSE_URL_PREFIX = "response_url:"
TRIGGER_TTL_S = 3.0
CANVAS_PLANS = ("paid", "free", "off", "no_scope")
FREE_TEAM_STANDALONE = "free_teams_cannot_create_non_tabbed_canvases"
MAX_CANVAS_MARKDOWN = 1_048_576
# Slack refuses a list inside a block quote ("Unsupported block type (List) within block quote").
_LIST_IN_QUOTE = re.compile(r"^>\s*(?:[-*+]|\d+[.)])\s", re.MULTILINE)
"""A trigger_id lasts 3 seconds (Slack's docs: "expire three seconds after they're sent")."""

# Slack's documented Block Kit limits (api.slack.com/reference/block-kit), checked on top of
# slack_sdk's own validators, which leave some out (radio_buttons options, empty text, ...).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_OPTIONS = {"static_select": 100, "multi_static_select": 100, "radio_buttons": 10, "checkboxes": 10, "overflow": 5}
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_ID = 255
MAX_PRIVATE_METADATA = 3000
MAX_VIEW_TITLE = 24
MAX_PLACEHOLDER = 150
MAX_INPUT_LENGTH = 3000
TEXT_LIMITS = {"section": 3000, "header": 150}
ELEMENT_TYPES = {
    "button",
    "static_select",
    "multi_static_select",
    "users_select",
    "multi_users_select",
    "conversations_select",
    "multi_conversations_select",
    "channels_select",
    "external_select",
    "overflow",
    "radio_buttons",
    "checkboxes",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "image",
    "mrkdwn",
    "plain_text",
    "rich_text_section",
}


def _text_problems(obj: Any, where: str, limit: int | None = None) -> list[str]:
    """A text object must be a non-empty plain_text or mrkdwn within ``limit`` characters."""
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"{where}: not a text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: text must not be empty"]
    if limit is not None and len(text) > limit:
        return [f"{where}: text is {len(text)} characters, more than {limit}"]
    return []


def _option_problems(options: Any, where: str) -> list[str]:
    problems: list[str] = []
    for i, option in enumerate(options if isinstance(options, list) else []):
        problems += _text_problems(option.get("text"), f"{where}.options[{i}]", MAX_OPTION_TEXT)
        value = option.get("value")
        if not isinstance(value, str) or not value:
            problems.append(f"{where}.options[{i}]: no value")
        elif len(value) > MAX_OPTION_VALUE:
            problems.append(f"{where}.options[{i}]: value is {len(value)} characters, more than {MAX_OPTION_VALUE}")
    return problems


def _element_problems(element: Any, where: str) -> list[str]:
    """Limits on one interactive element that slack_sdk's validators do not check."""
    if not isinstance(element, dict):
        return [f"{where}: not an object"]
    kind = element.get("type")
    if kind not in ELEMENT_TYPES:
        return [f"{where}: unknown element type {kind!r}"]
    problems: list[str] = []
    if len(str(element.get("action_id", ""))) > MAX_ID:
        problems.append(f"{where}: action_id longer than {MAX_ID}")
    if "placeholder" in element:
        problems += _text_problems(element["placeholder"], f"{where}.placeholder", MAX_PLACEHOLDER)
    if kind in MAX_OPTIONS:
        options = element.get("options")
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: {kind} needs options")
        elif len(options) > MAX_OPTIONS[kind]:
            problems.append(f"{where}: {kind} has {len(options)} options, more than {MAX_OPTIONS[kind]}")
        problems += _option_problems(options, where)
        initial = element.get("initial_option")
        if initial is not None and initial not in (options or []):
            problems.append(f"{where}: initial_option is not one of the options")
    if kind == "plain_text_input":
        max_length = element.get("max_length", MAX_INPUT_LENGTH)
        if max_length > MAX_INPUT_LENGTH:
            problems.append(f"{where}: max_length above {MAX_INPUT_LENGTH}")
        if len(element.get("initial_value") or "") > max_length:
            problems.append(f"{where}: initial_value longer than max_length")
    return problems


def _block_problems(block: Any, where: str) -> list[str]:
    """slack_sdk's model validation, then the documented limits it leaves out."""
    if not isinstance(block, dict):
        return [f"{where}: not an object"]
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"{where}: unknown block type {block.get('type')!r}"]
        parsed.to_dict()  # runs every validator, nested objects included
    except (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError) as exc:
        return [f"{where}: {exc}"]
    kind = block.get("type")
    problems: list[str] = []
    if len(str(block.get("block_id", ""))) > MAX_ID:
        problems.append(f"{where}: block_id longer than {MAX_ID}")
    if kind in TEXT_LIMITS and ("text" in block or kind == "header"):
        problems += _text_problems(block.get("text"), f"{where}.text", TEXT_LIMITS[kind])
    if kind == "section" and "accessory" in block:
        problems += _element_problems(block["accessory"], f"{where}.accessory")
    if kind in ("actions", "context"):
        for i, element in enumerate(block.get("elements") or []):
            if kind == "context" and isinstance(element, dict) and element.get("type") in ("mrkdwn", "plain_text"):
                problems += _text_problems(element, f"{where}.elements[{i}]")
            else:
                problems += _element_problems(element, f"{where}.elements[{i}]")
    if kind == "input":
        problems += _element_problems(block.get("element"), f"{where}.element")
    return problems


def payload_problems(payload: dict[str, Any], *, view: bool = False) -> list[str]:
    """Why Slack would refuse a message (or, with ``view``, a view); empty if it would take it."""
    if view:
        return _view_problems(payload)
    blocks = payload.get("blocks")
    if blocks in (None, "", []):
        return (
            []
            if payload.get("text") or payload.get("attachments") or payload.get("delete_original")
            else ["a message needs text or blocks"]
        )
    if not isinstance(blocks, list):
        return ["blocks: not a list"]
    problems: list[str] = []
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        problems.append(f"blocks: {len(blocks)} blocks, more than {MAX_MESSAGE_BLOCKS}")
    for i, block in enumerate(blocks):
        problems += _block_problems(block, f"blocks[{i}]")
    return problems


def _view_problems(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view: not an object"]
    problems: list[str] = []
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError, KeyError, AttributeError, ValueError) as exc:
        problems.append(f"view: {exc}")
    blocks = view.get("blocks") or []
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append(f"view.blocks: {len(blocks)} blocks, more than {MAX_VIEW_BLOCKS}")
    if len(view.get("private_metadata") or "") > MAX_PRIVATE_METADATA:
        problems.append(f"view.private_metadata longer than {MAX_PRIVATE_METADATA}")
    for key in ("title", "submit", "close"):
        if key in view:
            problems += _text_problems(view[key], f"view.{key}", MAX_VIEW_TITLE)
    if view.get("type") == "modal" and "title" not in view:
        problems.append("view.title: a modal needs a title")
    for i, block in enumerate(blocks):
        problems += _block_problems(block, f"view.blocks[{i}]")
    return problems


@dataclass
class Channel:
    """A conversation in the fake workspace, as the bot sees it."""

    id: str
    private: bool = False
    member: bool = True
    is_im: bool = False
    name: str = ""


class _BackloggedServer(ThreadingHTTPServer):
    """Like Slack, accept bursts of connections (the default listen backlog is 5)."""

    request_queue_size = 256
    daemon_threads = True


@dataclass
class Call:
    """One request received by the fake server."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    raw_args: dict[str, Any] = field(default_factory=dict)
    """Args exactly as sent (form values not JSON-decoded)."""
    at: float = field(default_factory=time.monotonic)
    """When the request arrived (``time.monotonic()``)."""

    def header(self, name: str) -> str | None:
        """Return a request header, looked up case-insensitively."""
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return None

    @property
    def token(self) -> str | None:
        """The token sent as ``Authorization: Bearer ...`` (or a ``token`` arg)."""
        auth = self.header("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:]
        token = self.args.get("token")
        return token if isinstance(token, str) else None


@dataclass
class _Fault:
    """A scripted failure for the next call of a method."""

    kind: str  # "fail" | "rate_limit" | "server_error"
    error: str = "internal_error"
    status: int = 500
    retry_after: int = 1


@dataclass
class _Reply:
    """An HTTP response to send back."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)


def _maybe_json(value: Any) -> Any:
    """Decode strings that look like JSON objects/lists; return others unchanged."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _flatten(qs: dict[str, list[str]]) -> dict[str, Any]:
    """Turn ``parse_qs`` output into single values (lists only for repeated keys)."""
    return {k: v[0] if len(v) == 1 else v for k, v in qs.items()}


class FakeSlack:
    """Fake Slack Web API on 127.0.0.1 with call recording and fault injection."""

    def __init__(self) -> None:
        """Create the (not yet started) server."""
        self.calls: list[Call] = []
        self._cond = threading.Condition(threading.RLock())
        self._faults: dict[str, deque[_Fault]] = {}
        self._overrides: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)
        self._uploads: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self._latency: dict[str, float] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.trigger_ttl = TRIGGER_TTL_S
        self.clock: Callable[[], float] = time.monotonic
        """What trigger_ids are timed by (seconds); a test may set a clock it moves by hand."""
        self.canvas_plan = "paid"
        """What the workspace's plan allows: one of CANVAS_PLANS."""
        self.canvases_made: dict[str, dict[str, Any]] = {}
        """canvas_id -> {"title", "markdown", "tab" (channel or None), "access" {channel: level}}."""
        self.any_trigger = False
        """Accept every trigger_id: for load generators that replay recorded requests."""
        self._triggers: dict[str, list[Any]] = {}  # trigger_id -> [issued at (monotonic), used]
        self.invalid: list[tuple[str, list[str]]] = []
        """(method, problems) for every payload Slack would have refused; see take_invalid()."""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> Self:
        """Start serving in a daemon thread on an ephemeral port; return self."""
        if self._server is not None:
            return self
        server = _BackloggedServer(("127.0.0.1", 0), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-slack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        """Start the server when entering a ``with`` block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server; fail if a payload Slack would refuse was sent and not claimed."""
        self.stop()
        if exc is None:
            self.assert_all_valid()

    def assert_all_valid(self) -> None:
        """Raise AssertionError naming every payload Slack would have refused."""
        with self._cond:
            invalid = list(self.invalid)
        if invalid:
            lines = [f"{method}: {'; '.join(problems)}" for method, problems in invalid]
            raise AssertionError("payloads Slack would refuse:\n" + "\n".join(lines))

    def take_invalid(self) -> list[tuple[str, list[str]]]:
        """Return and forget the refused payloads (for tests that send them on purpose)."""
        with self._cond:
            taken, self.invalid = self.invalid, []
        return taken

    # ----------------------------------------------------------------- workspace
    def add_channel(
        self, channel_id: str, *, private: bool = False, member: bool = False, is_im: bool = False, name: str = ""
    ) -> Channel:
        """Register a conversation; by default a public channel the bot has not joined."""
        channel = Channel(channel_id, private=private, member=member, is_im=is_im, name=name or channel_id.lower())
        with self._cond:
            self.channels[channel_id] = channel
        return channel

    def add_user(self, user_id: str, real_name: str, display_name: str = "", **extra: Any) -> None:
        """Register a person ``users.info`` describes (others get a made-up name)."""
        profile = {"real_name": real_name, "display_name": display_name}
        user = {"id": user_id, "name": user_id.lower(), "real_name": real_name, "is_bot": False, "profile": profile}
        with self._cond:
            self.users[user_id] = {**user, **extra}

    def new_trigger_id(self, trigger_id: str | None = None) -> str:
        """Issue a trigger_id now, as Slack does with each interaction; it lasts ``trigger_ttl`` seconds."""
        trigger_id = trigger_id or f"{self._next_id()}.{TEAM_ID}.{int(time.time() * 1000)}"
        with self._cond:
            self._triggers[trigger_id] = [self.clock(), False]
        return trigger_id

    @property
    def root(self) -> str:
        """Server root, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """Base URL for ``WebClient(base_url=...)``; ends with ``/api/``."""
        return f"{self.root}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A stand-in Slack response_url; POSTs are recorded as ``response_url:<name>``."""
        return f"{self.root}/response_url/{name}"

    # ------------------------------------------------------------------- queries
    def calls_to(self, method: str) -> list[Call]:
        """All recorded calls of ``method``, in arrival order."""
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls of ``method`` arrived; return them.

        Raises AssertionError (listing what was received) on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    got = [c.method for c in self.calls]
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} call(s) to "
                        f"{method!r}; got {len(found)}. Received: {got}"
                    )
                self._cond.wait(remaining)

    # ----------------------------------------------------------------- scripting
    def fail_next(self, method: str, error: str = "internal_error", times: int = 1) -> None:
        """Answer the next ``times`` calls with ``{"ok": false, "error": error}`` (HTTP 200)."""
        self._add_fault(method, _Fault("fail", error=error), times)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next ``times`` calls with HTTP 429 and a Retry-After header."""
        self._add_fault(method, _Fault("rate_limit", retry_after=retry_after), times)

    def server_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` calls with an HTTP ``status`` error."""
        self._add_fault(method, _Fault("server_error", status=status), times)

    def slow(self, method: str, seconds: float) -> None:
        """Answer every later call of ``method`` after ``seconds`` (0 to stop), as a busy Slack would."""
        with self._cond:
            self._latency[method] = seconds

    def set_response(self, method: str, data: dict[str, Any]) -> None:
        """Merge ``data`` into every later successful response of ``method``.

        E.g. ``set_response("conversations.replies", {"messages": [...]})``.
        """
        with self._cond:
            self._overrides[method] = dict(data)

    def reset(self) -> None:
        """Clear recorded calls, scripted faults and response overrides.

        The workspace (channels, people, trigger_ids) stays, and so do refused
        payloads: claim those with :meth:`take_invalid`.
        """
        with self._cond:
            self.calls.clear()
            self._faults.clear()
            self._overrides.clear()
            self._uploads.clear()
            self._latency.clear()

    def _add_fault(self, method: str, fault: _Fault, times: int) -> None:
        with self._cond:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    # ------------------------------------------------------------------ handling
    def _next_id(self) -> int:
        with self._cond:
            return next(self._counter)

    def _next_ts(self) -> str:
        """A unique, increasing Slack-style ts (``"1700000000.000100"``, ...)."""
        micros = 1_700_000_000_000_000 + self._next_id() * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _record(self, call: Call) -> _Reply | None:
        """Record a call; return a scripted fault reply if one is pending."""
        with self._cond:
            self.calls.append(call)
            queue = self._faults.get(call.method)
            fault = queue.popleft() if queue else None
            self._cond.notify_all()
        if fault is None:
            return None
        if fault.kind == "fail":
            return _Reply(body={"ok": False, "error": fault.error})
        if fault.kind == "rate_limit":
            return _Reply(
                status=429,
                body={"ok": False, "error": "ratelimited"},
                headers={"Retry-After": str(fault.retry_after)},
            )
        return _Reply(status=fault.status, body={"ok": False, "error": "fatal_error"})

    def _handle(self, method: str, args: dict[str, Any], raw_args: dict[str, Any], headers: dict[str, str]) -> _Reply:
        """Dispatch one request for a Web API method (or upload / response_url)."""
        fault = self._record(Call(method, args, headers, raw_args))
        with self._cond:
            delay = self._latency.get(method, 0.0)
        if delay:
            time.sleep(delay)
        if fault is not None:
            return fault
        if method == FILE_UPLOAD:
            return _Reply(body="OK")
        if method.startswith(RESPONSE_URL_PREFIX):
            # A response_url works whether or not the bot is in the channel; bad blocks get HTTP 400.
            if self._refused(method, payload_problems(args)):
                return _Reply(status=400, body="invalid_blocks")
            return _Reply(body="ok")
        error = self._refusal(method, args)
        if error is not None:
            return _Reply(body={"ok": False, "error": error})
        handler = _METHODS.get(method)
        body: dict[str, Any] = {"ok": True}
        if handler is not None:
            body.update(handler(self, args))
        with self._cond:
            body.update(self._overrides.get(method, {}))
        return _Reply(body=body)

    def _refused(self, method: str, problems: list[str]) -> bool:
        if problems:
            with self._cond:
                self.invalid.append((method, problems))
        return bool(problems)

    def _refusal(self, method: str, args: dict[str, Any]) -> str | None:
        """The error Slack would answer for this call, or None."""
        channel_id = args.get("channel_id") if method == "files.completeUploadExternal" else args.get("channel")
        if isinstance(channel_id, str) and channel_id and method != "conversations.join":
            error = self._access_error(method, channel_id)
            if error:
                return error
        messages = ("chat.postMessage", "chat.postEphemeral", "chat.update")
        if method in messages and self._refused(method, payload_problems(args)):
            return "invalid_blocks"
        if method.startswith("views."):
            if method in ("views.open", "views.push"):
                error = self._trigger_error(str(args.get("trigger_id") or ""))
                if error:
                    return error
            if self._refused(method, payload_problems(_maybe_json(args.get("view")) or {}, view=True)):
                return "invalid_arguments"  # what Slack answers views.* with bad blocks
        return None

    def _access_error(self, method: str, channel_id: str) -> str | None:
        """Membership rules: see the module docstring."""
        with self._cond:
            channel = self.channels.get(channel_id)
        if channel is None or channel.member:
            return None
        if channel.private or channel.is_im:
            return "channel_not_found"  # the bot cannot see a private conversation it is not in
        if method in ("chat.postMessage", "chat.update", "chat.getPermalink"):
            return None  # chat:write.public: post in any public channel without joining
        return "not_in_channel"

    def _trigger_error(self, trigger_id: str) -> str | None:
        if self.any_trigger:
            return None
        with self._cond:
            issued = self._triggers.get(trigger_id)
            if issued is None:
                return "invalid_trigger_id"
            if issued[1]:
                return "exchanged_trigger_id"
            if self.clock() - issued[0] > self.trigger_ttl:
                return "expired_trigger_id"
            issued[1] = True
        return None

    # Web API method implementations ------------------------------------------
    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "type": "message",
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "ts": ts,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
        }
        for key in ("thread_ts", "attachments", "metadata"):
            if key in args:
                msg[key] = args[key]
        return msg

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://test.slack.com/",
            "team": "Test",
            "user": "svbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        return {"channel": args.get("channel"), "ts": ts, "message": self._message(args, ts)}

    def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        ts = str(args.get("ts", ""))
        return {
            "channel": args.get("channel"),
            "ts": ts,
            "text": args.get("text", ""),
            "message": self._message(args, ts),
        }

    def _permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        ts = str(args.get("message_ts", "")).replace(".", "")
        return {
            "channel": channel,
            "permalink": f"https://example.slack.com/archives/{channel}/p{ts}",
        }

    def _view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = _maybe_json(args.get("view"))
        view = dict(view) if isinstance(view, dict) else {}
        n = self._next_id()
        view["id"] = args.get("view_id") or f"V{n:08d}"
        view["hash"] = f"{n}.hash"
        return {"view": view}

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{self._next_id():08d}"
        with self._cond:
            self._uploads[file_id] = {"filename": args.get("filename")}
        return {"upload_url": f"{self.root}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = _maybe_json(args.get("files"))
        out = []
        for f in files if isinstance(files, list) else []:
            with self._cond:
                name = self._uploads.get(f.get("id"), {}).get("filename")
            out.append({"id": f.get("id"), "title": f.get("title") or name, "name": name})
        return {"files": out}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        uid = str(args.get("user"))
        with self._cond:
            known = self.users.get(uid)
        if known is not None:
            return {"user": known}
        profile = {"real_name": f"User {uid}", "display_name": ""}
        return {
            "user": {"id": uid, "name": f"user-{uid}", "real_name": f"User {uid}", "is_bot": False, "profile": profile}
        }

    def _join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(args.get("channel"))
        with self._cond:
            channel = self.channels.get(channel_id) or self.add_channel(channel_id, member=True)
            if channel.is_im:
                return {"ok": False, "error": "method_not_supported_for_channel_type"}
            if channel.private and not channel.member:
                return {"ok": False, "error": "channel_not_found"}
            already = channel.member
            channel.member = True
        out: dict[str, Any] = {"channel": {"id": channel_id, "name": channel.name, "is_private": channel.private}}
        if already:
            out["warning"] = "already_in_channel"
        return out

    def _open_im(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users") or "")
        if not users or "," in users:
            return {"ok": False, "error": "users_list_not_supplied" if not users else "not_implemented"}
        channel_id = "D" + users.lstrip("UW")
        with self._cond:
            if channel_id not in self.channels:
                self.add_channel(channel_id, is_im=True, member=True)
        return {"channel": {"id": channel_id}}

    def _canvas_create(self, args: dict[str, Any]) -> dict[str, Any]:
        error = self._canvas_refusal(args)
        if error:
            return {"ok": False, "error": error}
        canvas_id = f"F{self._next_id():08d}"
        content = args.get("document_content") or {}
        with self._cond:
            self.canvases_made[canvas_id] = {
                "title": args.get("title"),
                "markdown": content.get("markdown", ""),
                "tab": args.get("channel_id"),
                "access": {},
            }
        return {"canvas_id": canvas_id}

    def _canvas_refusal(self, args: dict[str, Any]) -> str | None:
        """Why Slack would refuse to create this canvas on ``canvas_plan``, or None."""
        if self.canvas_plan == "no_scope":
            return "missing_scope"
        if self.canvas_plan == "off":
            return "canvas_disabled_user_team"
        content = args.get("document_content")
        if content is not None:
            markdown = content.get("markdown") if isinstance(content, dict) else None
            if not isinstance(content, dict) or content.get("type") != "markdown" or not isinstance(markdown, str):
                return "invalid_arguments"
            if len(markdown) > MAX_CANVAS_MARKDOWN or _LIST_IN_QUOTE.search(markdown):
                return "canvas_creation_failed"
        channel_id = args.get("channel_id")
        if channel_id:
            with self._cond:
                channel = self.channels.get(str(channel_id))
                taken = any(c["tab"] == channel_id for c in self.canvases_made.values())
            if channel is not None and channel.private and not channel.member:
                return "channel_not_found"
            if self.canvas_plan == "free" and taken:
                return "free_team_canvas_tab_already_exists"
        elif self.canvas_plan == "free":
            return FREE_TEAM_STANDALONE
        return None

    def _canvas_access_set(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas_id = str(args.get("canvas_id"))
        level = args.get("access_level")
        channels = [c for c in str(args.get("channel_ids") or "").split(",") if c]
        with self._cond:
            canvas = self.canvases_made.get(canvas_id)
            if canvas is None:
                return {"ok": False, "error": "canvas_not_found"}
            if level not in ("read", "write") or not (channels or args.get("user_ids")):
                return {"ok": False, "error": "invalid_arguments"}
            for channel in channels:
                canvas["access"][channel] = level
        return {}

    def _canvas_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            if self.canvases_made.pop(str(args.get("canvas_id")), None) is None:
                return {"ok": False, "error": "canvas_not_found"}
        return {}

    def _messages(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"messages": [], "has_more": False}


_METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": FakeSlack._auth_test,
    "chat.postMessage": FakeSlack._post_message,
    "chat.postEphemeral": FakeSlack._post_ephemeral,
    "chat.update": FakeSlack._update,
    "chat.getPermalink": FakeSlack._permalink,
    "views.open": FakeSlack._view,
    "views.update": FakeSlack._view,
    "views.push": FakeSlack._view,
    "views.publish": FakeSlack._view,
    "files.getUploadURLExternal": FakeSlack._get_upload_url,
    "files.completeUploadExternal": FakeSlack._complete_upload,
    "users.info": FakeSlack._users_info,
    "conversations.join": FakeSlack._join,
    "conversations.open": FakeSlack._open_im,
    "conversations.replies": FakeSlack._messages,
    "conversations.history": FakeSlack._messages,
    "canvases.create": FakeSlack._canvas_create,
    "canvases.access.set": FakeSlack._canvas_access_set,
    "canvases.delete": FakeSlack._canvas_delete,
}


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Parse a JSON, urlencoded or multipart request body into raw args."""
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8"))
        return data if isinstance(data, dict) else {"_json": data}
    if ctype == "multipart/form-data":
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        out: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                out[str(name)] = {
                    "filename": filename,
                    "size": len(payload),
                    "content": payload.decode("utf-8", "replace"),
                }
            else:
                out[str(name)] = payload.decode("utf-8", "replace")
        return out
    return _flatten(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))


def _make_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to ``fake``."""

    class Handler(BaseHTTPRequestHandler):
        """Routes /api/<method>, /upload/<file_id> and /response_url/<name>."""

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def do_GET(self) -> None:
            """Handle GET (query-string args)."""
            self._serve()

        def do_POST(self) -> None:
            """Handle POST (form, JSON, multipart or raw upload bodies)."""
            self._serve()

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = dict(self.headers.items())
            try:
                if path.startswith("/upload/"):
                    file_id = path[len("/upload/") :]
                    args = {
                        "file_id": file_id,
                        "size": len(body),
                        "content": body.decode("utf-8", "replace"),
                        "data": body,
                    }
                    reply = fake._handle(FILE_UPLOAD, args, dict(args), headers)
                elif path.startswith("/response_url/"):
                    name = path[len("/response_url/") :]
                    raw = _parse_body(self.headers.get("Content-Type") or "application/json", body)
                    reply = fake._handle(RESPONSE_URL_PREFIX + name, raw, dict(raw), headers)
                elif path.startswith("/api/"):
                    raw = _flatten(parse_qs(parts.query, keep_blank_values=True))
                    raw.update(_parse_body(self.headers.get("Content-Type") or "", body))
                    args = {k: _maybe_json(v) for k, v in raw.items()}
                    reply = fake._handle(path[len("/api/") :], args, raw, headers)
                else:
                    reply = _Reply(status=404, body={"ok": False, "error": "unknown_path"})
            except (ValueError, TypeError, KeyError, AttributeError) as exc:  # bad input / fake bug
                reply = _Reply(status=500, body={"ok": False, "error": f"fake_slack: {exc!r}"})
            self._send(reply)

        def _send(self, reply: _Reply) -> None:
            if isinstance(reply.body, str):
                data, ctype = reply.body.encode(), "text/plain; charset=utf-8"
            else:
                data, ctype = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
            self.send_response(reply.status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
