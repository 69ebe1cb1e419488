"""`svbot serve` when Slack cannot be reached at all: one line, not a page of URLError."""

from __future__ import annotations

import socket

from harness import BOT_TOKEN

from bot.config import Settings
from bot.slack.serve import run


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_route_to_slack_is_one_clear_line(tmp_path, capsys):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    settings = Settings(
        db_path=tmp_path / "db", bot_token=BOT_TOKEN, signing_secret="s", slack_api_url=url, watch_knowledge=False
    )
    assert run(settings) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "svbot serve:" in line or "Error" in line or "Traceback" in line]
    assert lines == [
        f"svbot serve: cannot reach Slack at {url} ([Errno 111] Connection refused); "
        "check the network or proxy (HTTPS_PROXY) and try again."
    ]
