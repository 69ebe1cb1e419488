"""How well the reasons checker tells tick-boxes from justified answers.

Prints, for each labelled set, the share of tick-box reasons refused and of
justified reasons accepted (targets: 0.95 or more for both), broken down by
step and by whether the decision was a negative option.

    python bench/justification_quality.py [--set FILE ...] [--errors]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import yaml
from common import ROOT

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import load_knowledge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--set",
        dest="sets",
        type=Path,
        action="append",
        help="labelled reasons YAML (default: tests/data/reasons.yaml and bench/data/reasons_extra.yaml)",
    )
    parser.add_argument("--errors", action="store_true", help="list every misjudged reason")
    args = parser.parse_args()
    sets = args.sets or [ROOT / "tests" / "data" / "reasons.yaml", ROOT / "bench" / "data" / "reasons_extra.yaml"]
    kb = load_knowledge(ROOT / "knowledge")
    checker = ReasonsChecker(kb.checker, kb.checklist.steps, kb.matching.stopwords)
    for path in sets:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
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
        print(f"\n{path.relative_to(ROOT)}: {len(items)} labelled reasons")
        for key in sorted(totals, key=lambda k: (k.count("/"), k)):
            right, n = totals[key]
            print(f"  {key:48} {right / n:6.3f}  ({right}/{n})")
        if args.errors:
            for item, verdict in errors:
                print(
                    f"  WRONG [{item['label']}] {item['step']}/{item['decision']} {verdict.problems} "
                    f"score={verdict.specificity:.2f}: {item['reasons'][:140]!r}"
                )


if __name__ == "__main__":
    main()
