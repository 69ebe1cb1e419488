"""How well the reasons checker tells tick-boxes from justified answers.

Prints, for each labelled set, the share of tick-box reasons refused and of
justified reasons accepted (targets: 0.97 or more for both on the held-out
sets), broken down by step and by negative or positive option, then every
misjudged reason with the elements found, those missing and the rules that
fired. Each set is reported apart: first the sets the rules are tuned on
(tests/data/reasons.yaml and every bench/data/reasons_*.yaml that is not held
out), then, last and marked HELD OUT, every bench/data/reasons_heldout*.yaml
present: sets written independently and never used to design or tune the
rules, so only they measure how the rules generalise. There may be none.
Also prints the time ``check`` takes per reason, over every pass and over each
reason's fastest pass (which leaves out the machine's other load).

    python bench/justification_quality.py [--set FILE ...] [--quiet] [--rules-only]

``--rules-only`` measures the rules without the trained model's say
(checker.yaml's ``model_*`` thresholds read as 0).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import yaml
from common import ROOT

from bot.checklist.checker import ReasonsChecker, Verdict
from bot.knowledge.loader import load_knowledge

DATA = ROOT / "bench" / "data"
TESTS_SET = ROOT / "tests" / "data" / "reasons.yaml"
# Sets never used to design or tune the rules: reported last, and never to be tuned on.
HELD_OUT_GLOB = "reasons_heldout*.yaml"


def is_held_out(path: Path) -> bool:
    return path.match(HELD_OUT_GLOB)


def default_sets(data: Path, tests_set: Path) -> list[Path]:
    """The tuned sets first (the tests' set, then those in ``data``), the held-out sets last."""
    found = sorted(data.glob("reasons_*.yaml"))
    tuned = [tests_set, *(p for p in found if not is_held_out(p))]
    return tuned + [p for p in found if is_held_out(p)]


def _name(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _score(checker: ReasonsChecker, items: list[dict]) -> tuple[dict[str, list[int]], list[tuple[dict, Verdict]]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors = []
    for item in items:
        verdict = checker.check(item["step"], item["decision"], item["reasons"])
        want_accept = item["label"] == "accept"
        right = verdict.accepted == want_accept
        kind = "justified accepted" if want_accept else "tick-boxes refused"
        negative = "negative" if checker.is_negative(item["step"], item["decision"]) else "positive"
        for key in (kind, f"{kind} / step {item['step']}", f"{kind} / {negative} options"):
            totals[key][0] += right
            totals[key][1] += 1
        if not right:
            errors.append((item, verdict))
    return totals, errors


def _timing(checker: ReasonsChecker, items: list[dict], rounds: int = 5) -> dict[str, tuple[float, float, float]]:
    """Median, 99th percentile and worst milliseconds per reason: over every one of ``rounds`` passes,
    and over each reason's fastest pass (the cost of the code itself, without the machine's other load)."""
    passes: list[list[float]] = [[] for _ in items]
    for _ in range(rounds):
        for i, item in enumerate(items):
            start = time.perf_counter()
            checker.check(item["step"], item["decision"], item["reasons"])
            passes[i].append((time.perf_counter() - start) * 1000)
    return {"every pass": _spread([t for p in passes for t in p]), "fastest pass": _spread([min(p) for p in passes])}


def _spread(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return times[len(times) // 2], times[int(len(times) * 0.99)], times[-1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--set", dest="sets", type=Path, action="append", help="labelled reasons YAML (default: every set)"
    )
    parser.add_argument("--quiet", action="store_true", help="rates only, no list of misjudged reasons")
    parser.add_argument("--rules-only", action="store_true", help="the rules alone: the trained model has no say")
    args = parser.parse_args(argv)
    kb = load_knowledge(ROOT / "knowledge")
    checker = ReasonsChecker.for_knowledge(kb)
    if args.rules_only:
        off = dict.fromkeys(("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue"), 0)
        checker.config = kb.checker.model_copy(update=off)
    everything = []
    for path in args.sets or default_sets(DATA, TESTS_SET):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
        everything.extend(items)
        totals, errors = _score(checker, items)
        held_out = " (HELD OUT: never used to design or tune the rules)" if is_held_out(path) else ""
        print(f"\n{_name(path)}: {len(items)} labelled reasons{held_out}")
        for key in sorted(totals, key=lambda k: (k.count("/"), "step" in k, k)):
            right, n = totals[key]
            print(f"  {key:48} {right / n:6.3f}  ({right}/{n})")
        if errors and not args.quiet and is_held_out(path) and not args.sets:
            # Reading a held-out set's misses while changing the rules makes it a development set.
            print(f"  ({len(errors)} misjudged; not listed for a held-out set: name it with --set to see them)")
        elif not args.quiet:
            for item, verdict in errors:
                print(
                    f"  WRONG [{item['label']}] {item['step']}/{item['decision']} found={verdict.elements} "
                    f"rules={verdict.rules}: {item['reasons'][:150]!r}"
                )
    print()
    for label, (median, p99, worst) in _timing(checker, everything).items():
        print(
            f"check ({label}): median {median:.3f} ms, p99 {p99:.3f} ms, worst {worst:.3f} ms per reason "
            f"({len(everything)} reasons x 5)"
        )


if __name__ == "__main__":
    main()
