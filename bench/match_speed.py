"""How long svbot takes to answer a question, and to start.

Times ``Matcher.ask`` on every question of the development set (in-scope and
out-of-scope, once each after a warm-up on other text) against:
- the shipped knowledge,
- 1,000 and 10,000 entries: the shipped ones plus synthetic entries built in
  memory by recombining the shipped entries' words, titles, keywords and
  sentences with a seeded random generator; each synthetic entry also coins a
  couple of new words (like a place or a scheme name), so the vocabulary grows
  with the knowledge base as it would in real life.
Prints p50, p99 and mean ms per question (wall time; and the p99 of CPU time,
which other processes on a loaded machine do not inflate), the index build time
and the vocabulary size for each, then the cold start of the real CLI
(``svbot ask --no-log --json "living wage"``, a fresh process each run, the
database in a temporary folder): median and max wall time, and CPU time.

Targets: p99 < 5 ms on the shipped knowledge, < 50 ms at 10,000 entries;
CLI cold start < 1 s.

The first timed round sees each question for the first time, so misspelt
words go through typo correction; later rounds (``--rounds``) reuse the
matcher's correction cache and are faster.

    python bench/match_speed.py [--sizes 1000 10000] [--rounds N] [--seed N]
                                [--cli-runs N] [--no-cli] [--questions FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, load_questions

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.schema import KIND_PREFIX, Entry
from bot.matching.matcher import Matcher

TARGET_P99_MS = {"shipped": 5.0, 10_000: 50.0}
TARGET_CLI_S = 1.0
WARMUP_QUESTIONS = 60

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


# Synthetic knowledge ---------------------------------------------------------


class Recombiner:
    """Builds new entries out of the shipped entries' words and sentences."""

    def __init__(self, entries: tuple[Entry, ...], rng: random.Random):
        self.templates = entries
        self.rng = rng
        self.title_words = [w for e in entries for w in _WORD.findall(e.title) if len(w) > 2]
        self.question_words = [w.lower() for e in entries for q in e.questions for w in _WORD.findall(q) if len(w) > 3]
        self.keywords = [k for e in entries for k in (*e.keywords, *e.aliases)]
        self.short_sentences = [s for e in entries for s in _SENTENCE.split(e.short_answer) if s]
        self.body_sentences = [s for e in entries for s in _SENTENCE.split(e.body) if s]
        self.roots = sorted({w.lower() for w in self.question_words + self.title_words if w.isalpha() and len(w) > 4})

    def coin(self) -> str:
        """A new word glued from two shipped ones ('procurwage'): new vocabulary."""
        a, b = self.rng.sample(self.roots, 2)
        return a[: self.rng.randint(3, 6)] + b[-self.rng.randint(3, 5) :]

    def question(self, template: str, coined: list[str]) -> str:
        words = template.split()
        out = []
        for word in words:
            if len(word) > 3 and self.rng.random() < 0.4:
                out.append(self.rng.choice(self.question_words))
            else:
                out.append(word)
        if self.rng.random() < 0.5:
            out.insert(self.rng.randrange(len(out) + 1), self.rng.choice(coined))
        return " ".join(out)

    def entry(self, n: int) -> Entry:
        """A new entry shaped like a random shipped one (same counts and lengths), made of other words."""
        rng = self.rng
        template = rng.choice(self.templates)
        coined = [self.coin() for _ in range(rng.randint(1, 3))]
        title_words = rng.sample(self.title_words, max(len(template.title.split()) - 1, 2))
        source_questions = [q for e in rng.sample(self.templates, 3) for q in e.questions]
        questions = [self.question(q, coined) for q in rng.sample(source_questions, len(template.questions))]
        keywords = [*coined, *rng.sample(self.keywords, max(len(template.keywords) - len(coined), 1))]
        aliases = [" ".join(rng.sample(self.title_words, rng.randint(1, 4))) for _ in template.aliases]
        short_len = len(_SENTENCE.split(template.short_answer))
        body_len = len(_SENTENCE.split(template.body))
        return template.model_copy(
            update={
                "id": f"{KIND_PREFIX[template.kind]}.synthetic-{n:05d}",
                "title": f"{coined[0].capitalize()}: {' '.join(title_words)}",
                "questions": questions,
                "keywords": keywords,
                "aliases": aliases,
                "short_answer": " ".join(rng.sample(self.short_sentences, short_len)),
                "body": " ".join([*rng.sample(self.body_sentences, body_len), *coined]),
            }
        )


def grown(kb: KnowledgeBase, size: int, seed: int) -> KnowledgeBase:
    """The shipped knowledge plus synthetic entries, ``size`` entries in all."""
    maker = Recombiner(kb.entries, random.Random(seed))
    extra = tuple(maker.entry(n) for n in range(1, size - len(kb.entries) + 1))
    return dataclasses.replace(kb, raw_entries=kb.raw_entries + extra)


# Timing ----------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def time_asks(kb: KnowledgeBase, questions: list[str], warmup: list[str], rounds: int) -> dict:
    started = time.perf_counter()
    matcher = Matcher(kb)
    build_s = time.perf_counter() - started
    for q in warmup:
        matcher.ask(q)
    times_ms, cpu_ms = [], []
    for _ in range(rounds):
        for q in questions:
            t0, c0 = time.perf_counter(), time.process_time()
            matcher.ask(q)
            times_ms.append((time.perf_counter() - t0) * 1000)
            cpu_ms.append((time.process_time() - c0) * 1000)
    return {
        "entries": len(kb.entries),
        "vocabulary": len(matcher._idf),  # distinct index terms (private, read-only here)
        "build_s": build_s,
        "asks": len(times_ms),
        "p50": percentile(times_ms, 50),
        "p99": percentile(times_ms, 99),
        "mean": statistics.fmean(times_ms),
        "max": max(times_ms),
        "cpu_p99": percentile(cpu_ms, 99),
    }


def cli_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "svbot"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bot.cli"]


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(runs: int, question: str) -> tuple[list[float], list[float], str]:
    """Wall and CPU time of fresh `svbot ask` processes; also the answer's top id."""
    command = [*cli_command(), "ask", "--no-log", "--json", question]
    walls, cpus, top = [], [], ""
    with tempfile.TemporaryDirectory(prefix="svbot-bench-") as tmp:
        # This checkout's code, whichever checkout a shared venv's editable install points at.
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        env = dict(os.environ, SVBOT_DB=str(Path(tmp) / "svbot.db"), PYTHONPATH=path)
        for _ in range(runs):
            t0, c0 = time.perf_counter(), _children_cpu_s()
            done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, timeout=60)
            walls.append(time.perf_counter() - t0)
            cpus.append(_children_cpu_s() - c0)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
            matches = json.loads(done.stdout).get("matches") or [{}]
            top = matches[0].get("id", "")
    return walls, cpus, top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "questions.yaml")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000], help="synthetic knowledge sizes")
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the questions (default 1)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--cli-runs", type=int, default=7)
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI cold start")
    args = parser.parse_args()

    kb = load_knowledge(args.knowledge)
    in_scope, out_of_scope = load_questions(args.questions)
    questions = [q for q, _ in in_scope] + out_of_scope
    # Warm up on text the timed questions do not contain: the entries' own examples.
    warmup = random.Random(args.seed).sample([q for e in kb.entries for q in e.questions], WARMUP_QUESTIONS)
    print(
        f"{len(questions)} questions ({len(in_scope)} in-scope, {len(out_of_scope)} out-of-scope) x {args.rounds} "
        f"round(s) after {len(warmup)} warm-up asks; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    header = (
        f"{'knowledge':18} {'entries':>7} {'terms':>6} {'build s':>8} {'asks':>5} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'mean ms':>8} {'max ms':>7} {'cpu p99':>8}  target"
    )
    print(header)
    print("-" * len(header))
    runs = [("shipped", kb)] + [(f"synthetic {size:,}", size) for size in args.sizes]
    for label, source in runs:
        if isinstance(source, int):
            if source <= len(kb.entries):
                print(f"{label:18} skipped: not more than the {len(kb.entries)} shipped entries")
                continue
            target_kb = grown(kb, source, args.seed)
            target = TARGET_P99_MS.get(source)
        else:
            target_kb, target = source, TARGET_P99_MS["shipped"]
        r = time_asks(target_kb, questions, warmup, args.rounds)
        verdict = "" if target is None else f"p99 < {target:g} ms: {'met' if r['p99'] < target else 'MISSED'}"
        print(
            f"{label:18} {r['entries']:7,} {r['vocabulary']:6,} {r['build_s']:8.2f} {r['asks']:5} "
            f"{r['p50']:7.2f} {r['p99']:7.2f} {r['mean']:8.2f} {r['max']:7.2f} {r['cpu_p99']:8.2f}  {verdict}",
            flush=True,
        )

    if not args.no_cli:
        walls, cpus, top = time_cli(args.cli_runs, "living wage")
        command = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cli_command()))
        median, worst = statistics.median(walls), max(walls)
        print(
            f"\nCLI cold start ({command} ask --no-log --json 'living wage', {len(walls)} runs, top answer {top}):\n"
            f"  median {median:.3f} s, max {worst:.3f} s, all {', '.join(f'{w:.2f}' for w in walls)}\n"
            f"  CPU time (user + system) median {statistics.median(cpus):.3f} s, max {max(cpus):.3f} s;"
            f" load average now {os.getloadavg()[0]:.1f}\n"
            f"  target < {TARGET_CLI_S:g} s: {'met' if worst < TARGET_CLI_S else 'MISSED'}"
            f" (median {'met' if median < TARGET_CLI_S else 'missed'})"
        )


if __name__ == "__main__":
    main()
