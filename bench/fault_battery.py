"""The fault battery: what goes wrong when things go wrong, counted.

Runs `svbot serve` as its own process against the fake Slack Web API and
prints, for each kind of fault, how many were tried and how many caused a
failure. The target is zero failures on every line.

- load: concurrent signed questions and checklist clicks; failures are
  non-200 responses and requests left unanswered;
- retries: every event sent three times (Slack's retries); failures are
  duplicate answers;
- Slack faults: the fake answers 429s, 500s and API errors; failures are
  server crashes, answers lost after retries or posted twice;
- kills: a writer SIGKILLed mid-transaction; failures are acknowledged
  answers lost, integrity or foreign-key errors;
- bad input: hostile text, huge bodies, forged, stale and malformed
  requests, broken YAML; failures are 5xx responses, crashes, pings.

    python bench/fault_battery.py [--requests 300] [--kills 20]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import ROOT, load_questions
from slack_load import ServerProcess, start_checklist

sys.path.insert(0, str(ROOT / "tests" / "store"))
sys.path.insert(0, str(ROOT / "tests"))

from fake_slack import FakeSlack
from harness import payload
from test_crash_safety import kill_during_writes

from bot.checklist.details import ChecklistDetails
from bot.knowledge.loader import check_folder
from bot.store import Store

HOSTILE = [
    "<!channel> <!here> <!everyone> <@U123> <#C1|general> & <https://evil.example|click>",
    "\u202e\u200b\u200f\x00\x07\x1b[31m control and direction characters",
    "x" * 100_000,
    "🙂" * 5_000,
    "' OR 1=1; DROP TABLE answers; --",
    "{{ 7*7 }} {% raw %} jinja in the question",
]


def row(name: str, tried: int, failed: int, detail: str = "") -> None:
    print(f"  {name:44} {tried:6} tried {failed:4} failed   {detail}")


def load(server: ServerProcess, n: int, questions: list[str]) -> None:
    rng = random.Random(1)
    buttons = start_checklist(server)
    server.fake.reset()
    work = []
    for i in range(n):
        if i % 5 == 4:
            block_id, button, ts = rng.choice(buttons)
            work.append(
                (
                    "click",
                    lambda b=button, bid=block_id, t=ts, k=i: server.click(
                        b, block_id=bid, user=f"UF{k}", message={"ts": t}
                    ),
                )
            )
        else:
            q = rng.choice(questions)
            work.append(("command", lambda q=q, k=i: server.command(q, user=f"UF{k}", name=f"load{k}")))
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda item: item[1]()[0], work))
    server.settle(60)
    answered = sum(1 for i in range(n) if i % 5 != 4 and server.fake.calls_to(f"response_url:load{i}"))
    commands = sum(1 for i in range(n) if i % 5 != 4)
    opened = len(server.fake.calls_to("views.open"))
    row("load: requests (50 concurrent)", n, sum(s != 200 for s in statuses), "non-200 responses")
    row("load: questions answered", commands, commands - answered, "unanswered")
    row("load: checklist clicks opening the modal", n - commands, (n - commands) - opened, "modal not opened")


def retries(server: ServerProcess, n: int) -> None:
    server.fake.reset()
    for i in range(n):
        event = dict(
            payload("event_callback_app_mention.json")["event"], text="<@UBOT> thresholds?", ts=f"1700200000.{i:06d}"
        )
        for attempt in range(3):
            headers = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"} if attempt else {}
            server.event(event, event_id=f"EvRETRY{i:05d}", **headers)
    server.settle(30)
    posts = server.fake.calls_to("chat.postMessage")
    by_thread: dict[str, int] = {}
    for call in posts:
        by_thread[call.args.get("thread_ts")] = by_thread.get(call.args.get("thread_ts"), 0) + 1
    row("retried events (each sent 3 times)", n, sum(c > 1 for c in by_thread.values()), "answered twice")
    row("retried events answered", n, n - len(by_thread), "never answered")


def slack_faults(server: ServerProcess, n: int) -> None:
    server.fake.reset()
    for i in range(n):
        kind = i % 3
        if kind == 0:
            server.fake.rate_limit_next("chat.postMessage", retry_after=1)
        elif kind == 1:
            server.fake.server_error_next("chat.postMessage", status=503)
        else:
            server.fake.fail_next("chat.postMessage", error="internal_error")
        event = dict(
            payload("event_callback_app_mention.json")["event"], text="<@UBOT> living wage?", ts=f"1700300000.{i:06d}"
        )
        server.event(event, event_id=f"EvFAULT{i:05d}")
        server.settle(30)
    alive = server.proc.poll() is None
    threads = {}
    for call in server.fake.calls_to("chat.postMessage"):
        threads.setdefault(call.args.get("thread_ts"), []).append(call)
    # 429 and 5xx are retried and delivered once; an API error (ok: false) is logged and not retried.
    lost = sum(1 for i in range(n) if i % 3 != 2 and len(threads.get(f"1700300000.{i:06d}", [])) < 2)
    row("Slack 429 / 503 / API errors", n, 0 if alive else 1, "server crashed" if not alive else "server alive")
    row("answers after a 429 or 503 (retried)", n - n // 3, lost, "not delivered")


def kills(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kill.db"
        checklist_id = Store(db).create_checklist(ChecklistDetails("Kill test"), "bench")
        acknowledged = kill_during_writes(db, checklist_id, rounds=n, seed=11)
        conn = sqlite3.connect(db)
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        fk = conn.execute("pragma foreign_key_check").fetchall()
        stored = {r[0] for r in conn.execute("select id from answers")}
    lost = len(set(acknowledged) - stored)
    row(
        "SIGKILL during answer writes",
        n,
        lost + (integrity != "ok") + len(fk),
        f"{len(acknowledged)} acknowledged, {lost} lost, integrity {integrity}, fk errors {len(fk)}",
    )


def bad_input(server: ServerProcess) -> None:
    server.fake.reset()
    crashes = 0
    tried = 0
    for text in HOSTILE:
        for send in (
            lambda t=text: server.command(t, name="bad"),
            lambda t=text: (server.event(dict(payload("event_callback_message_im.json")["event"], text=t)), ""),
        ):
            tried += 1
            status = send()[0]
            crashes += status >= 500
    server.settle(30)
    leaked = sum(
        any(m in json.dumps(c.args) for m in ("<!channel>", "<!here>", "<!everyone>", "<@U123>"))
        for c in server.fake.calls
    )
    row("hostile questions (command and DM)", tried, crashes + leaked, f"{leaked} messages with live mentions")
    body = json.dumps({**payload("event_callback_app_mention.json"), "event_id": "EvBad"})
    cases = [
        server.send(body, signature="v0=" + "0" * 64)[0] == 401,
        server.send(body, timestamp=int(time.time()) - 3600)[0] == 401,
        server.send("{not json")[0] in (400, 401),
        server.announce_oversized(700 * 1024)[0] == 413,
        server.send("payload=%7Bnot%20json", "application/x-www-form-urlencoded")[0] in (400, 401),
    ]
    row("forged, stale, malformed, oversized requests", len(cases), cases.count(False), "not refused cleanly")
    alive = server.proc.poll() is None
    row("server still running after all of it", 1, 0 if alive else 1)


def broken_yaml() -> None:
    bombs = {
        "aliases": "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
        "deep": "entries: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "duplicate": "entries: []\nentries: []\n",
        "types": "entries:\n  - id: 5\n",
        "not utf-8": b"entries: \xff\xfe\n",
        "huge": "entries: []\n" + "# x\n" * 600_000,
        "syntax": "entries: [\n",
    }
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in bombs.items():
            folder = Path(tmp) / name.replace(" ", "-")
            folder.mkdir()
            path = folder / "bad.yaml"
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
            started = time.perf_counter()
            try:
                _, findings = check_folder(folder)
                named = any(f.file == str(path) for f in findings if f.severity == "error")
                failed += not named or time.perf_counter() - started > 5
            except Exception:  # any exception here is a failure of the battery's target
                failed += 1
    row("broken YAML (bombs, depth, duplicates, types...)", len(bombs), failed, "crash, hang or file not named")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--retried", type=int, default=50)
    parser.add_argument("--faults", type=int, default=30)
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    in_scope, out_of_scope = load_questions(ROOT / "tests" / "data" / "questions.yaml")
    questions = [q for q, _ in in_scope] + out_of_scope
    print("fault battery (target: 0 failed on every line)")
    with tempfile.TemporaryDirectory(prefix="svbot-faults-") as tmp, FakeSlack() as fake:
        server = ServerProcess(Path(tmp), fake)
        try:
            load(server, args.requests, questions)
            retries(server, args.retried)
            slack_faults(server, args.faults)
            bad_input(server)
        finally:
            server.close()
    kills(args.kills)
    broken_yaml()


if __name__ == "__main__":
    main()
