"""Run risky code (alias bombs, deep nesting) in a child process with a memory and time limit.

If a guard regresses, the child runs out of its own memory or time and the test
fails; the test runner itself is never the one the kernel kills.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_MB = 1024
TIME_LIMIT_S = 60.0

PARSE_SCRIPT = """
import json, sys
from bot.yamlio import YamlProblem, parse_yaml
try:
    parse_yaml(sys.stdin.read(), sys.argv[1])
    print(json.dumps({"loaded": True}))
except YamlProblem as exc:
    print(json.dumps({"line": exc.line, "problem": exc.problem}))
"""


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_limited(
    script: str, *args: str, stdin: str = "", memory_mb: int = MEMORY_LIMIT_MB, timeout_s: float = TIME_LIMIT_S
) -> subprocess.CompletedProcess[str]:
    """Run ``python -c script args`` from the checkout; raises TimeoutExpired (killing the child) if too slow."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        cwd=ROOT,
        preexec_fn=lambda: _limit_memory(memory_mb),
    )


def parse_limited(text: str, file: str = "risky.yaml", **limits: Any) -> dict[str, Any]:
    """parse_yaml(text) in a limited child: {"line", "problem"} if refused, {"loaded": True} if not."""
    done = run_limited(PARSE_SCRIPT, file, stdin=text, **limits)
    assert done.returncode == 0, f"the child died (status {done.returncode}): {done.stderr[-800:]}"
    return json.loads(done.stdout)
