"""How far two independent labellers agree on the same reasons, beside the checker.

The reasons checker's targets (0.97 of justified reasons accepted and of
tick-boxes refused) are set against labels written by people. This script
says how close a second person comes to the first on the same reasons, so the
checker's figures can be read against what careful labellers achieve. The
second labelling (``bench/data/agreement_*.yaml``) names each reason by its set
and its 0-based index in that set's ``reasons`` list, and gives its own label.

For each file it prints the share of the first labeller's accepts the second
also accepted, and of their refusals the second also refused, overall, by set
and by how sure the second labeller was; then the checker's rates on the same
reasons against the first labeller's labels.

    python bench/label_agreement.py [--file FILE ...]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import yaml
from common import ROOT

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import load_knowledge

DATA = ROOT / "bench" / "data"


def _rates(pairs: list[tuple[str, str]]) -> str:
    """``pairs`` of (first label, other label): the share of each first label the other matched."""
    counts = Counter(pairs)
    parts = []
    for label, word in (("accept", "accepted"), ("refuse", "refused")):
        total = sum(n for (first, _), n in counts.items() if first == label)
        same = counts[(label, label)]
        parts.append(f"{word} {same / total:.3f} ({same}/{total})" if total else f"{word} -")
    return ", ".join(parts)


def pairs_for(path: Path) -> list[dict]:
    """The second labelling in ``path``, each item with the reason and the first label beside it."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["labels"]
    sets: dict[str, list[dict]] = {}
    out = []
    for item in items:
        name = item["set"]
        if name not in sets:
            sets[name] = yaml.safe_load((path.parent / name).read_text(encoding="utf-8"))["reasons"]
        original = sets[name][item["index"]]
        out.append({**original, "set": name, "first": original["label"], "second": item["label"], "sure": item["sure"]})
    return out


def report(path: Path, checker: ReasonsChecker) -> list[str]:
    items = pairs_for(path)
    lines = [f"== {path.name}: {len(items)} reasons labelled twice, independently"]
    lines.append(f"second labeller, of the first's labels: {_rates([(i['first'], i['second']) for i in items])}")
    for name in sorted({i["set"] for i in items}):
        chosen = [i for i in items if i["set"] == name]
        lines.append(f"  {name}: {_rates([(i['first'], i['second']) for i in chosen])}")
    for sure in ("high", "low"):
        chosen = [i for i in items if i["sure"] == sure]
        if chosen:
            lines.append(f"  sure {sure} ({len(chosen)}): {_rates([(i['first'], i['second']) for i in chosen])}")
    verdicts = [
        (i["first"], "accept" if checker.check(i["step"], i["decision"], i["reasons"]).accepted else "refuse")
        for i in items
    ]
    lines.append(f"the checker, of the first's labels:         {_rates(verdicts)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--file", type=Path, action="append", help="a second labelling (default: every bench/data/agreement_*.yaml)"
    )
    args = parser.parse_args(argv)
    files = args.file or sorted(DATA.glob("agreement_*.yaml"))
    checker = ReasonsChecker.for_knowledge(load_knowledge(ROOT / "knowledge"))
    for path in files:
        print("\n".join(report(path, checker)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
