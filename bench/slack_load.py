"""How svbot's HTTP mode holds up under many concurrent Slack requests.

Runs `svbot serve` (HTTP mode: bolt's WSGI adapter under waitress) as its own
process on 127.0.0.1, pointed at the fake Slack Web API of tests/fake_slack.py,
which runs here beside the load generator, and sends it ``--requests`` signed
requests (built with tests/slack/harness.py) from ``--concurrency`` threads:
- 60% /socialvalue questions (slash commands, answered on the response_url),
- 20% app_mention events, each with its own event_id (answered in a thread),
- 20% clicks on a checklist step's option buttons (each opens a modal).
Questions come from tests/data/questions.yaml. Each request is timed from
sending to the HTTP response, which is Slack's acknowledgement deadline.

Each click carries a fresh trigger_id, which the fake Slack honours for 3 s as
Slack does; the time from sending a click to its ``views.open`` reaching the
fake Slack is reported too (p50/p99/max, and how many came too late).

Prints requests/s, p50/p99/max time to acknowledge, non-200 responses, then,
once the listeners have finished, errors logged by the listeners and, per
kind of request, how many got no answer or more than one.

Targets: p99 < 100 ms at 50 concurrent requests, >= 300 requests/s.

The server is one process, as deployed; the client and the fake Slack share
another. The run stops
sending after ``--seconds`` whatever happens; requests not sent by then are
counted as skipped.

    python bench/slack_load.py [--requests 2000] [--concurrency 50] [--seconds 90] [--seed N]
    python bench/slack_load.py --client wrk [--concurrency 50] [--seconds 20]   # needs Debian's wrk

Set SVBOT_LOAD_PIDFILE=FILE to have the server's pid written there (to attach a
profiler such as py-spy while the load runs).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import ROOT, load_questions

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from fake_slack import FakeSlack
from harness import SECRET, Harness, buttons, form_values, payload
from slack_sdk.signature import SignatureVerifier

from bot.slack.checklist_thread import STEP_ACTION
from bot.slack.serve import SLACK_PATH

# Only ever talk to the local servers, whatever proxy the environment names.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"])
)

TARGET_P99_MS = 100.0
TARGET_RPS = 300.0
MIX = (("command", 0.6), ("mention", 0.2), ("click", 0.2))


class LogCounter(logging.Handler):
    """Counts log records by (logger, level) and keeps the first of each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.first: dict[tuple[str, str], str] = {}
        self.max_queue_depth = 0

    def emit(self, record: logging.LogRecord) -> None:  # called under the handler's lock
        key = (record.name, record.levelname)
        self.counts[key] += 1
        if key not in self.first:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
            self.first[key] = text[:300]
        if record.name == "waitress.queue" and record.args:
            self.max_queue_depth = max(self.max_queue_depth, int(record.args[0]))

    def clear(self) -> None:
        with self.lock:
            self.counts.clear()
            self.first.clear()
            self.max_queue_depth = 0


class ServerProcess(Harness):
    """The harness's request builders, aimed at `svbot serve` running in a separate process."""

    def __init__(self, tmp: Path, fake: FakeSlack):
        self.fake = fake
        self.verifier = SignatureVerifier(SECRET)
        self._ids = 0
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": "xoxb-load-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
            "SVBOT_DB": str(tmp / "load.db"),
            "PORT": str(port),
            "SVBOT_WATCH_KNOWLEDGE": "0",
        }
        env.pop("SLACK_APP_TOKEN", None)
        self.log_path = tmp / "serve.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, stderr=self._log)
        self.url = f"http://127.0.0.1:{port}{SLACK_PATH}"
        if os.environ.get("SVBOT_LOAD_PIDFILE"):
            Path(os.environ["SVBOT_LOAD_PIDFILE"]).write_text(str(self.proc.pid))
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SystemExit(f"svbot serve did not start:\n{self.log_path.read_text()[-2000:]}") from None
                time.sleep(0.1)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the fake Slack has seen no new call for half a second."""
        deadline = time.monotonic() + timeout
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.fake.calls)
            if count != seen:
                seen, quiet_since = count, time.monotonic()
            elif time.monotonic() - quiet_since > 0.5:
                return
            time.sleep(0.05)
        raise AssertionError("the server is still calling Slack")

    def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()

    def server_log_counts(self) -> Counter[str]:
        """ERROR and WARNING lines the server logged, by logger name."""
        counts: Counter[str] = Counter()
        for line in self.log_path.read_text().splitlines():
            parts = line.split(" ", 4)
            if len(parts) >= 4 and parts[2] in ("ERROR", "WARNING", "CRITICAL"):
                counts[f"{parts[3].rstrip(':')} {parts[2]}"] += 1
        return counts


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def captured(harness: Harness, build, *args, **kwargs) -> tuple[str, str]:
    """The (body, content type) a harness helper would send, without sending it."""
    out: list[tuple[str, str]] = []

    def capture(body: str, content_type: str = "application/json", **_: object) -> tuple[int, str]:
        out.append((body, content_type))
        return 200, ""

    harness.send = capture  # type: ignore[method-assign]
    try:
        build(*args, **kwargs)
    finally:
        del harness.send
    return out[0]


def start_checklist(harness: Harness) -> list[tuple[str, dict, str]]:
    """Start a checklist; return (block_id, button, message ts) for its step option buttons."""
    status, _ = harness.command("checklist Load test", name="setup")
    if status != 200:
        raise SystemExit(f"could not start a checklist: HTTP {status}")
    (opened,) = harness.fake.wait_for("views.open", timeout=30)
    status, reply = harness.submit_state(opened.args["view"], form_values("Load test", "C111"))
    if status != 200 or reply:
        raise SystemExit(f"the New checklist form was refused: HTTP {status} {reply}")
    harness.settle(30)
    found = []
    for call in harness.fake.calls_to("chat.postMessage"):
        for block_id, button in buttons(call.args.get("blocks", [])):
            if button["action_id"].startswith(STEP_ACTION):
                found.append((block_id, button, call.args.get("thread_ts") or "1.1"))
    if not found:
        raise SystemExit("the checklist's first step has no option buttons")
    return found


def build_requests(harness: Harness, n: int, rng: random.Random, questions: list[str], step_buttons) -> list:
    """(kind, key, body, content type) for n requests in the MIX, shuffled."""
    counts = {kind: round(share * n) for kind, share in MIX}
    counts["command"] = n - counts["mention"] - counts["click"]
    kinds = [kind for kind, count in counts.items() for _ in range(count)]
    rng.shuffle(kinds)
    out = []
    for i, kind in enumerate(kinds):
        question = rng.choice(questions)
        user = f"ULOAD{i % 40:02d}"
        if kind == "command":
            key = f"cmd{i}"
            body, ctype = captured(harness, harness.command, question, user=user, name=key)
        elif kind == "mention":
            key = f"1700100000.{i:06d}"  # the event's ts: the answer's thread_ts
            event = dict(payload("event_callback_app_mention.json")["event"])
            event.update(text=f"<@UBOT> {question}", user=user, ts=key, event_ts=key, client_msg_id=f"load-{i}")
            body, ctype = captured(harness, harness.event, event, event_id=f"EvLOAD{i:06d}")
        else:
            key = f"trigger-load-{i}"
            block_id, button, ts = rng.choice(step_buttons)
            body, ctype = captured(harness, harness.click, button, block_id=block_id, user=user, message={"ts": ts})
            form = json.loads(urllib.parse.unquote(body.removeprefix("payload=")))
            form["trigger_id"] = key
            body = "payload=" + urllib.parse.quote(json.dumps(form))
        out.append((kind, key, body, ctype))
    return out


def baseline(harness: Harness, n: int, concurrency: int, body: str, deadline: float) -> tuple[float, float, float]:
    """The same client against /healthz (waitress, no bolt): requests/s, p50 and p99 ms."""
    url = harness.url.removesuffix(SLACK_PATH) + "/healthz"
    times: list[float] = []

    def one(_: int) -> None:
        if time.monotonic() > deadline:
            return
        t0 = time.perf_counter()
        request = urllib.request.Request(url, data=body.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        times.append((time.perf_counter() - t0) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    return (len(times) / wall if wall else 0.0), percentile(times, 50), percentile(times, 99)


def report_views_open(harness: Harness, clicked: dict[str, float]) -> None:
    """Time from sending a click to its views.open reaching Slack; Slack refuses it after 3 s."""
    opened = {str(c.args.get("trigger_id")): c.at for c in harness.fake.calls_to("views.open")}
    delays = [(opened[key] - sent) * 1000 for key, sent in clicked.items() if key in opened]
    late = sum(1 for ms in delays if ms > harness.fake.trigger_ttl * 1000)
    if not delays:
        print("click to views.open: no views opened")
        return
    print(
        f"click to views.open  p50 {percentile(delays, 50):.1f} ms, p99 {percentile(delays, 99):.1f} ms, "
        f"max {max(delays):.1f} ms; {late} of {len(delays)} after the trigger_id expired (3 s), "
        f"{len(clicked) - len(delays)} clicks never opened a view"
    )


def answers_by_key(harness: Harness) -> Counter[str]:
    """How many times each request was answered, keyed as in build_requests."""
    got: Counter[str] = Counter()
    for call in list(harness.fake.calls):
        if call.method.startswith("response_url:"):
            got[call.method.removeprefix("response_url:")] += 1
        elif call.method == "chat.postMessage" and call.args.get("thread_ts"):
            got[str(call.args["thread_ts"])] += 1
        elif call.method == "views.open":
            got[str(call.args.get("trigger_id"))] += 1
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=90.0, help="stop sending after this long (default 90)")
    parser.add_argument("--settle", type=float, default=60.0, help="how long to wait for listeners afterwards")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-baseline", action="store_true", help="skip timing the client against /healthz")
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "questions.yaml")
    parser.add_argument(
        "--client",
        choices=("python", "wrk"),
        default="python",
        help="python: the threads here, which also check every answer; wrk: Debian's wrk (C), which leaves the "
        "server more of the machine and reports latency percentiles (apt-get install wrk)",
    )
    args = parser.parse_args()

    in_scope, out_of_scope = load_questions(args.questions)
    questions = [q for q, _ in in_scope] + out_of_scope
    logs = LogCounter()
    for name in ("svbot", "waitress", "slack_bolt", "slack_sdk"):
        logging.getLogger(name).addHandler(logs)
        logging.getLogger(name).propagate = False

    with tempfile.TemporaryDirectory(prefix="svbot-load-") as tmp, FakeSlack() as fake:
        harness = ServerProcess(Path(tmp), fake)
        try:
            if args.client == "wrk":
                run_wrk(harness, args, questions, Path(tmp))
            else:
                run(harness, args, questions, logs)
        finally:
            harness.close()


def _lua_string(text: str) -> str:
    level = "=" * 4
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def run_wrk(harness: Harness, args: argparse.Namespace, questions: list[str], tmp: Path) -> None:
    """The same signed requests, sent by wrk; percentiles from wrk's --latency report."""
    import shutil

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    rng = random.Random(args.seed)
    step_buttons = start_checklist(harness)
    work = build_requests(harness, args.requests, rng, questions, step_buttons)
    ts = str(int(time.time()))
    entries = []
    for _kind, _key, body, ctype in work:
        signature = harness.verifier.generate_signature(timestamp=ts, body=body)
        entries.append(f"{{{_lua_string(body)}, {_lua_string(ctype)}, {_lua_string(signature)}}}")
    script = tmp / "load.lua"
    script.write_text(
        "local reqs = {\n" + ",\n".join(entries) + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #reqs + 1\n"
        "  local r = reqs[i]\n"
        f"  return wrk.format('POST', nil, {{['Content-Type'] = r[2], ['X-Slack-Request-Timestamp'] = '{ts}', "
        "['X-Slack-Signature'] = r[3]}, r[1])\n"
        "end\n"
    )
    seconds = max(5, min(int(args.seconds), 60))
    harness.fake.reset()
    harness.fake.any_trigger = True  # wrk replays the same requests, trigger_ids included
    print(
        f"wrk: {args.concurrency} connections, 2 threads, {seconds} s, cycling {len(work)} signed requests "
        f"(command 60%, mention 20%, click 20%); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    out = subprocess.run(
        [wrk, "-t2", f"-c{args.concurrency}", f"-d{seconds}s", "--latency", "-s", str(script), harness.url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    print(out.rstrip())
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    p99 = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("99%"))
    print(f"throughput {rps:.1f} requests/s (target >= {TARGET_RPS:g}); p99 ack {p99} (target < {TARGET_P99_MS:g} ms)")
    try:
        harness.settle(args.settle)
        print("background work finished after the run")
    except AssertionError:
        print(f"background work STILL BUSY after {args.settle:g} s")


def run(harness: Harness, args: argparse.Namespace, questions: list[str], logs: LogCounter) -> None:
    rng = random.Random(args.seed)
    step_buttons = start_checklist(harness)
    work = build_requests(harness, args.requests, rng, questions, step_buttons)
    harness.fake.reset()
    # Warm-up: a few requests of each kind outside the measurement.
    warmup = [w for w in work if w[0] == "command"][:3] + [w for w in work if w[0] == "click"][:3]
    for _kind, key, body, ctype in warmup:
        harness.fake.new_trigger_id(key)
        harness.send(body, ctype)
    harness.settle(30)
    harness.fake.reset()
    logs.clear()

    deadline = time.monotonic() + args.seconds
    results: list[tuple[str, str, int | None, float]] = []
    clicked: dict[str, float] = {}
    lock = threading.Lock()

    def one(item: tuple[str, str, str, str]) -> None:
        kind, key, body, ctype = item
        if time.monotonic() > deadline:
            return
        if kind == "click":
            harness.fake.new_trigger_id(key)  # issued as the click is sent: it lasts 3 s from here
            with lock:
                clicked[key] = time.monotonic()
        t0 = time.perf_counter()
        try:
            status, _ = harness.send(body, ctype)
        except OSError as exc:  # refused, reset or timed out: an error, not a crash
            status = None
            record = {"name": "client", "levelname": "ERROR", "levelno": logging.ERROR, "msg": repr(exc)}
            logs.handle(logging.makeLogRecord(record))
        elapsed = (time.perf_counter() - t0) * 1000
        with lock:
            results.append((kind, key, status, elapsed))

    print(
        f"sending {len(work)} requests ({', '.join(f'{k} {int(s * 100)}%' for k, s in MIX)}) from "
        f"{args.concurrency} threads to {harness.url}; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency, thread_name_prefix="load") as pool:
        list(pool.map(one, work))
    wall = time.perf_counter() - started

    settle_started = time.perf_counter()
    try:
        harness.settle(args.settle)
        settled = f"listeners idle {time.perf_counter() - settle_started:.1f} s after the last ack"
    except AssertionError:
        settled = f"listeners STILL BUSY after {args.settle:g} s"

    sent = len(results)
    times = [ms for *_, ms in results]
    ok = [r for r in results if r[2] == 200]
    statuses = Counter(str(r[2]) for r in results if r[2] != 200)
    rps = sent / wall if wall else 0.0
    p50, p99 = percentile(times, 50), percentile(times, 99)
    print(f"sent {sent}, skipped {len(work) - sent} (past --seconds {args.seconds:g}) in {wall:.2f} s")
    print(f"throughput   {rps:8.1f} requests/s   target >= {TARGET_RPS:g}: {'met' if rps >= TARGET_RPS else 'MISSED'}")
    print(
        f"ack time     p50 {p50:.1f} ms, p99 {p99:.1f} ms, mean {statistics.fmean(times) if times else 0:.1f} ms, "
        f"max {max(times, default=0):.1f} ms   target p99 < {TARGET_P99_MS:g} ms at 50 concurrent: "
        f"{'met' if p99 < TARGET_P99_MS else 'MISSED'}"
        + ("" if args.concurrency == 50 else f" (this run: {args.concurrency} concurrent)")
    )
    print(f"errors       {sent - len(ok)} non-200 responses" + (f" ({dict(statuses)})" if statuses else ""))
    for kind, _share in MIX:
        kt = [ms for k, _, _, ms in results if k == kind]
        if kt:
            p50k, p99k = percentile(kt, 50), percentile(kt, 99)
            print(f"  {kind:8} {len(kt):5} sent, ack p50 {p50k:7.1f} ms, p99 {p99k:7.1f} ms")

    print(settled)
    if logs.max_queue_depth:
        print(f"waitress task queue depth reached {logs.max_queue_depth} (8 server threads)")
    server_logs = harness.server_log_counts()
    listener_errors = server_logs["svbot.bolt ERROR"] + server_logs["svbot.bolt CRITICAL"]
    print(f"listener errors (ERROR on svbot.bolt in the server log): {listener_errors}")
    for key, count in sorted(server_logs.items()):
        print(f"  server log {key}: {count}")
    for (name, level), count in sorted(logs.counts.items()):
        print(f"  client log {name} {level}: {count}, first: {logs.first.get((name, level), '')}")

    report_views_open(harness, clicked)
    got = answers_by_key(harness)
    what = {"command": "response_url posts", "mention": "thread replies", "click": "views.open"}
    print("answers (for requests acknowledged with 200):")
    for kind, _share in MIX:
        keys = [key for k, key, status, _ in results if k == kind and status == 200]
        missing = sum(1 for key in keys if got[key] == 0)
        duplicated = sum(1 for key in keys if got[key] > 1)
        posted = sum(got[key] for key in keys)
        print(
            f"  {kind:8} {len(keys):5} acknowledged, {posted:5} {what[kind]}, "
            f"{missing} missing, {duplicated} answered more than once"
        )

    # For scale: what the client threads and waitress manage on their own here.
    if not args.no_baseline:
        n = min(len(work), 1000)
        b_rps, b_p50, b_p99 = baseline(harness, n, args.concurrency, work[0][2], time.monotonic() + 30)
        print(
            f"same client, {n} POSTs to /healthz (waitress only, no bolt): {b_rps:.0f} requests/s, "
            f"p50 {b_p50:.1f} ms, p99 {b_p99:.1f} ms"
        )


if __name__ == "__main__":
    main()
