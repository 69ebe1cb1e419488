"""`svbot serve` as a real process: HTTP mode answers, SIGTERM finishes in-flight work."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_over_http_then_shut_down_gracefully(fake, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-process-test",
        "SLACK_SIGNING_SECRET": "process-secret",
        "SLACK_API_URL": fake.url,
        "SVBOT_DB": str(tmp_path / "svbot.db"),
        "PORT": str(port),
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert time.time() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.1)
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
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "in-flight work finished" in err
    assert fake.calls_to("response_url:proc"), "the answer was sent before shutdown"
    assert "xoxb-process-test" not in err and "process-secret" not in err
