"""`svbot serve` as a real process: HTTP mode answers, SIGTERM finishes in-flight work."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_env(fake, tmp_path, port: int, **settings: str) -> dict[str, str]:
    """The environment of an ``svbot serve`` process against the fake Slack, in Socket Mode's absence."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-process-test",
        "SLACK_SIGNING_SECRET": "process-secret",
        "SLACK_API_URL": fake.url,
        "SVBOT_DB": str(tmp_path / "svbot.db"),
        "PORT": str(port),
        **settings,
    }
    env.pop("SLACK_APP_TOKEN", None)
    return env


# Generous bounds: each wait ends as soon as its condition holds; only a hung server reaches them.
START_S = 180
ANSWER_S = 120


class Lines:
    """Reads a process's stderr as it comes; waits for a line without polling or sleeping."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float) -> bool:
        """True once a line containing ``text`` was written; False if the stream closed first or on timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or any(text in line for line in self.lines), timeout)
            return any(text in line for line in self.lines)

    def wait_closed(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._closed, timeout)

    @property
    def text(self) -> str:
        with self._changed:
            return "".join(self.lines)


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], *, stop_s: float = ANSWER_S) -> Iterator[Serving]:
    """Run ``command`` (``svbot serve``) until it says it listens; on leaving, stop it with SIGTERM
    and wait for it and its stderr to finish. One that does not stop within ``stop_s`` is killed,
    and the test fails saying so, rather than hanging."""
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    err = Lines(proc.stderr)
    running = Serving(proc, err)
    try:
        # Up when it says it listens (however long a busy machine takes to load the knowledge).
        assert err.wait_for("svbot listening on", START_S), f"serve did not start:\n{err.text}"
        yield running
        running.stop(stop_s)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not running.killed, f"it did not stop within {stop_s} s of SIGTERM and was killed:\n{err.text}"


class Serving:
    """A running ``svbot serve`` process and its stderr."""

    def __init__(self, proc: subprocess.Popen[str], err: Lines) -> None:
        self.proc = proc
        self.err = err
        self.killed = False

    def stop(self, timeout: float) -> None:
        """SIGTERM, then wait for the process and its stderr; kill it if it has not stopped by ``timeout``."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.killed = True
            self.proc.kill()
            self.proc.wait()
        self.err.wait_closed(timeout)


def test_serve_over_http_then_shut_down_gracefully(fake, tmp_path):
    port = _free_port()
    env = _serve_env(fake, tmp_path, port)
    with serving([sys.executable, "-m", "bot.cli", "serve"], env) as running:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=ANSWER_S) as r:
            assert r.read() == b"ok"
        body = urllib.parse.urlencode(
            {
                "command": "/socialvalue",
                "text": "what did oldham do",
                "user_id": "U1",
                "channel_id": "C1",
                "response_url": fake.response_url("proc"),
            }
        )
        ts = str(int(time.time()))
        sig = SignatureVerifier("process-secret").generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events",
            data=body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
            },
        )
        with urllib.request.urlopen(request, timeout=ANSWER_S) as response:
            assert response.status == 200
        # SIGTERM straight after the acknowledgement (leaving the block): the answer is still in
        # flight, and must be sent.
    log = running.err.text
    assert running.proc.returncode == 0, log
    assert "in-flight work finished" in log
    assert fake.calls_to("response_url:proc"), "the answer was sent before shutdown"
    assert "xoxb-process-test" not in log and "process-secret" not in log


def test_serve_logs_a_malformed_setting_once_and_serves_on_its_default(fake, tmp_path):
    port = _free_port()
    env = _serve_env(
        fake, tmp_path, port, SVBOT_NATION="france", SVBOT_BODY="parish council", SVBOT_WATCH_KNOWLEDGE="maybe"
    )
    with serving([sys.executable, "-m", "bot", "serve"], env) as running:
        healthz = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=ANSWER_S)
        with healthz as r:
            assert r.read() == b"ok"
    log = running.err.text
    assert running.proc.returncode == 0, log
    warnings = [line for line in log.splitlines() if " WARNING svbot: SVBOT_" in line]
    assert len(warnings) == 3, log  # each once, at start
    for line, named, allowed in (
        (warnings[0], "SVBOT_WATCH_KNOWLEDGE must be on or off", "1, true, yes or on"),
        (warnings[1], "SVBOT_NATION must be one of", "england, wales, scotland, northern-ireland, not 'france'"),
        (warnings[2], "SVBOT_BODY must be one of", "central, sub-central"),
    ):
        assert named in line and allowed in line and line.endswith("Serving with its default meanwhile."), line
    assert "Traceback" not in log


# A stand-in for a server that ignores SIGTERM: it says it listens, then never stops by itself.
_DEAF = (
    "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('svbot listening on test', file=sys.stderr, flush=True); time.sleep(600)"
)


def test_a_server_that_ignores_sigterm_is_killed_and_the_test_fails_saying_so():
    deaf = serving([sys.executable, "-c", _DEAF], dict(os.environ), stop_s=1)
    with pytest.raises(AssertionError, match="did not stop within 1 s of SIGTERM and was killed"), deaf as running:
        pass
    assert running.proc.poll() is not None, "no process is left behind"
