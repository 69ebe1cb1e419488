"""A fake Slack Web API server for tests (standard library only).

Point a ``slack_sdk.WebClient`` (or a bolt ``App``'s client) at it with
``WebClient(token="xoxb-test", base_url=fake.url)``; every request is
recorded as a :class:`Call` and answered the way Slack's Web API would.

Example::

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.calls_to("chat.postMessage")[0].args["text"] == "hi"
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

TEAM_ID = "T111"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
FILE_UPLOAD = "file_upload"
RESPONSE_URL_PREFIX = "response_url:"


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
        """Stop the server when leaving a ``with`` block."""
        self.stop()

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

    def set_response(self, method: str, data: dict[str, Any]) -> None:
        """Merge ``data`` into every later successful response of ``method``.

        E.g. ``set_response("conversations.replies", {"messages": [...]})``.
        """
        with self._cond:
            self._overrides[method] = dict(data)

    def reset(self) -> None:
        """Clear recorded calls, scripted faults and response overrides."""
        with self._cond:
            self.calls.clear()
            self._faults.clear()
            self._overrides.clear()
            self._uploads.clear()

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
        if fault is not None:
            return fault
        if method == FILE_UPLOAD or method.startswith(RESPONSE_URL_PREFIX):
            return _Reply(body="OK" if method == FILE_UPLOAD else "ok")
        handler = _METHODS.get(method)
        body: dict[str, Any] = {"ok": True}
        if handler is not None:
            body.update(handler(self, args))
        with self._cond:
            body.update(self._overrides.get(method, {}))
        return _Reply(body=body)

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
        uid = args.get("user")
        return {"user": {"id": uid, "name": f"user-{uid}", "real_name": f"User {uid}", "is_bot": False}}

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
    "conversations.replies": FakeSlack._messages,
    "conversations.history": FakeSlack._messages,
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
