"""What a cold ``svbot ask`` loads: only what answering needs (see README, "Benchmarks": start < 1 s).

The reasons checker, Slack, Word and the database are for other commands; each
costs start-up time a question should not wait for.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bot.core import Svbot

# Modules answering a question must not load; each was, or could easily be, pulled in by accident.
NOT_FOR_ASK = (
    "bot.checklist.checker",
    "bot.checklist.service",
    "slack_sdk",
    "slack_bolt",
    "docx",
    "waitress",
)
NOT_WITHOUT_LOG = ("bot.store", "sqlite_utils")
PROBE = """
import json, sys
from bot.cli import main
args, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["svbot", *args]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def _loaded(env, args: list[str], watched: tuple[str, ...]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(watched)],
        cwd=env.folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert json.loads(done.stdout)["matches"], done.stdout
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_a_cold_ask_loads_neither_the_checker_nor_slack_nor_the_database(env) -> None:
    assert _loaded(env, ["ask", "--no-log", "--json", "living wage"], NOT_FOR_ASK + NOT_WITHOUT_LOG) == []


def test_the_reasons_checker_is_built_on_first_use_only(app: Svbot) -> None:
    snap = app.snapshot()
    app.ask("does the social value act apply to goods", source="cli", log=False, snap=snap)
    assert "checker" not in vars(snap), "answering a question built the checker"
    assert snap.checker is snap.checker, "built once per knowledge version"
    assert app.snapshot() is snap
