"""SIGKILL a process while it writes answers: every acknowledged answer survives, nothing is corrupt."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.checklist.details import ChecklistDetails
from bot.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def kill_during_writes(db: Path, checklist_id: str, rounds: int, seed: int = 7) -> list[int]:
    """Run the writer, kill -9 it at random moments; return every id it acknowledged."""
    rng = random.Random(seed)
    acknowledged: list[int] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), checklist_id], stdout=subprocess.PIPE, env=env, text=True
        )
        first = child.stdout.readline()  # wait until it is writing
        acknowledged.append(int(first))
        time.sleep(rng.uniform(0.005, 0.08))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        acknowledged.extend(int(line) for line in out.split())
    return acknowledged


def test_sigkill_loses_no_acknowledged_answer_and_corrupts_nothing(tmp_path):
    db = tmp_path / "crash.db"
    checklist_id = Store(db).create_checklist(ChecklistDetails("Crash test"), "tester")
    acknowledged = kill_during_writes(db, checklist_id, rounds=8)
    assert len(acknowledged) > 8
    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("select id from answers")}
    assert set(acknowledged) <= stored
    events = conn.execute("select count(*) from events where kind like 'answer.%'").fetchone()[0]
    assert events == len(stored), "every answer has its event, written in the same transaction"
    superseding = conn.execute(
        "select count(*) from answers a join answers b on a.supersedes = b.id where b.accepted = 0"
    ).fetchone()[0]
    assert superseding == 0
