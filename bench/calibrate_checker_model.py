"""Choose when the trained model may overrule the reasons checker's rules, on a set they were not tuned on.

For one labelled set (``--set``, which should be one the rules were never tuned
on), prints the rates of the rules alone, then with the model's veto only, its
rescue only and both, at the thresholds given (default: checker.yaml's
``model_veto`` and ``model_rescue``), with how many decisions each changes
rightly and wrongly:

* veto: the rules accept and P(tick-box) >= veto: refused;
* rescue: the rules refuse softly (an element's cues did not match, or length;
  no tick-box rule fired) and P(justified) >= rescue: accepted.

``--grid`` adds, for every threshold from 0.50 to 0.99, what the veto and the
rescue would each change; ``--changes`` lists every reason they change.

``--choose`` picks each threshold on the first set: from 0.50 to 0.99, the one
with the most right changes less twice the wrong ones (a wrong change costs more
trust than a right one gains; a tie goes to the higher threshold), off (0) when
none gains, and above every score of the reasons the tests judge
(``--tests-from``, as ``bench/train_checker.py --save-tests`` wrote them: a test
that fails is a limit, not a trade). It then checks that neither rate of the
combination falls below the rules alone, prints the chosen lines, and with
``--apply`` writes them into knowledge/checker.yaml. Run the whole test suite
after.

    python bench/calibrate_checker_model.py --set FILE [--veto P] [--rescue P] [--grid] [--changes]
        [--choose [--tests-from FILE] [--apply]]
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from common import ROOT

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import load_knowledge


@dataclass(frozen=True)
class Scored:
    """One labelled reason: the rules' verdict and the model's P(tick-box)."""

    item: dict
    justified: bool
    accepted: bool  # by the rules alone
    soft: bool  # refused by the rules only softly
    p_tick_box: float


def score(checker: ReasonsChecker, items: list[dict]) -> list[Scored]:
    out = []
    for item in items:
        verdict = checker._check_rules(item["step"], item["decision"], item["reasons"], ())
        reading = checker.model_reading(item["step"], item["decision"], item["reasons"])
        p = reading.score if reading else 0.5
        out.append(Scored(item, item["label"] == "accept", verdict.accepted, checker._soft(verdict), p))
    return out


def decide(s: Scored, veto: float, rescue: float) -> bool:
    """Whether the reasons are accepted once the model has had its say (0: that way is off)."""
    if s.accepted:
        return not (veto and s.p_tick_box >= veto)
    return bool(rescue and s.soft and 1 - s.p_tick_box >= rescue)


@dataclass(frozen=True)
class Outcome:
    justified_accepted: float
    tick_boxes_refused: float
    refused_right: int  # tick-boxes the model refused
    refused_wrong: int  # justified reasons it refused
    accepted_right: int
    accepted_wrong: int


def outcome(scored: list[Scored], veto: float, rescue: float) -> Outcome:
    justified = [s for s in scored if s.justified]
    ticks = [s for s in scored if not s.justified]
    changed = [s for s in scored if decide(s, veto, rescue) != s.accepted]
    return Outcome(
        sum(decide(s, veto, rescue) for s in justified) / max(len(justified), 1),
        sum(not decide(s, veto, rescue) for s in ticks) / max(len(ticks), 1),
        sum(1 for s in changed if s.accepted and not s.justified),
        sum(1 for s in changed if s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and not s.justified),
    )


def policies(veto: float, rescue: float) -> list[tuple[str, float, float]]:
    return [
        ("rules alone", 0, 0),
        (f"veto only ({veto:g})", veto, 0),
        (f"rescue only ({rescue:g})", 0, rescue),
        (f"both ({veto:g} / {rescue:g})", veto, rescue),
    ]


def print_table(scored: list[Scored], veto: float, rescue: float) -> None:
    print(f"  {'policy':28} justified accepted  tick-boxes refused  ->refuse right/wrong  ->accept right/wrong")
    for name, v, r in policies(veto, rescue):
        o = outcome(scored, v, r)
        print(
            f"  {name:28} {o.justified_accepted:18.3f}  {o.tick_boxes_refused:18.3f}  "
            f"{o.refused_right:>10}/{o.refused_wrong:<9}  {o.accepted_right:>10}/{o.accepted_wrong}"
        )


def print_grid(scored: list[Scored]) -> None:
    print("  threshold  veto right/wrong  rescue right/wrong")
    for step in range(50, 100):
        t = step / 100
        v, r = outcome(scored, t, 0), outcome(scored, 0, t)
        print(f"  {t:9.2f}  {v.refused_right:>10}/{v.refused_wrong:<5}  {r.accepted_right:>12}/{r.accepted_wrong}")


def print_changes(scored: list[Scored], veto: float, rescue: float) -> None:
    for s in scored:
        now = decide(s, veto, rescue)
        if now != s.accepted:
            how = "vetoed" if s.accepted else "rescued"
            right = "right" if now == s.justified else "WRONG"
            item = s.item
            print(
                f"  {how} {right} P(tick-box)={s.p_tick_box:.2f} {item['step']}/{item['decision']}: "
                f"{item['reasons'][:160]!r}"
            )


def choose(checker: ReasonsChecker, path: Path, tests_from: Path | None, write: bool) -> tuple[float, float]:
    scored = score(checker, yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"])
    veto_floor = rescue_floor = 0.0
    if tests_from:
        tests = score(checker, yaml.safe_load(tests_from.read_text(encoding="utf-8"))["reasons"])
        veto_floor, rescue_floor = floors(tests)
        print(f"the tests' {len(tests)} reasons need veto above {veto_floor:.3f} and rescue above {rescue_floor:.3f}")
    veto, rescue = choose_one(scored, "veto", veto_floor), choose_one(scored, "rescue", rescue_floor)
    alone, both = outcome(scored, 0, 0), outcome(scored, veto, rescue)
    if both.justified_accepted < alone.justified_accepted or both.tick_boxes_refused < alone.tick_boxes_refused:
        print("together they lower a rate the rules alone reach: both off")
        veto = rescue = 0.0
    print(f"\nchosen on {path.name}:\n  model_veto: {veto:g}\n  model_rescue: {rescue:g}")
    if write:
        apply({"model_veto": veto, "model_rescue": rescue}, CHECKER_YAML)
        print(f"written to {CHECKER_YAML}: now run the whole test suite")
    return veto, rescue


CHECKER_YAML = ROOT / "knowledge" / "checker.yaml"
_THRESHOLDS = [step / 100 for step in range(50, 100)]


def net(o: Outcome) -> int:
    """Right changes less twice the wrong ones."""
    return o.refused_right + o.accepted_right - 2 * (o.refused_wrong + o.accepted_wrong)


def choose_one(scored: list[Scored], way: str, floor: float = 0.0) -> float:
    """The threshold of one way (``veto`` or ``rescue``) with the best ``net`` above ``floor``; 0 if none gains."""
    best, best_net = 0.0, 0
    for t in _THRESHOLDS:
        if t <= floor:
            continue
        gained = net(outcome(scored, t, 0) if way == "veto" else outcome(scored, 0, t))
        if gained > 0 and gained >= best_net:
            best, best_net = t, gained
    return best


def floors(scored_tests: list[Scored]) -> tuple[float, float]:
    """The lowest veto and rescue that change none of the tests' verdicts (the rules are right on them)."""
    veto = max((s.p_tick_box for s in scored_tests if s.accepted), default=0.0)
    rescue = max((1 - s.p_tick_box for s in scored_tests if not s.accepted and s.soft), default=0.0)
    return veto, rescue


def apply(thresholds: dict[str, float], path: Path) -> None:
    """Write ``name: value`` over each threshold's own line of checker.yaml, and nothing else."""
    text = path.read_text(encoding="utf-8")
    for name, value in thresholds.items():
        text, found = re.subn(rf"(?m)^{name}:.*$", f"{name}: {value:g}", text)
        if found != 1:
            raise SystemExit(f"{path} has {found} lines starting {name}:, not one")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", type=Path, action="append", required=True, help="labelled reasons YAML")
    parser.add_argument("--veto", type=float, help="P(tick-box) at which the model refuses (default: checker.yaml)")
    parser.add_argument("--rescue", type=float, help="P(justified) at which it accepts (default: checker.yaml)")
    parser.add_argument("--grid", action="store_true", help="what each threshold from 0.50 to 0.99 changes")
    parser.add_argument("--changes", action="store_true", help="list every reason the model's say changes")
    parser.add_argument("--choose", action="store_true", help="choose the thresholds on the first set")
    parser.add_argument("--tests-from", type=Path, help="the tests' reasons (train_checker.py --save-tests)")
    parser.add_argument("--apply", action="store_true", help="with --choose: write them into checker.yaml")
    args = parser.parse_args(argv)
    if args.apply and not args.choose:
        parser.error("--apply writes what --choose chose: give both")
    kb = load_knowledge(ROOT / "knowledge")
    checker = ReasonsChecker.for_knowledge(kb)
    if checker.model is None:
        raise SystemExit("there is no knowledge/checker_model.yaml: train one with bench/train_checker.py")
    veto = kb.checker.model_veto if args.veto is None else args.veto
    rescue = kb.checker.model_rescue if args.rescue is None else args.rescue
    if args.choose:
        veto, rescue = choose(checker, args.sets[0], args.tests_from, args.apply)
    for path in args.sets:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
        scored = score(checker, items)
        justified = sum(s.justified for s in scored)
        ticks = len(scored) - justified
        print(f"\n{path.name}: {len(scored)} labelled reasons ({justified} justified, {ticks} tick-boxes)")
        print_table(scored, veto, rescue)
        if args.grid:
            print_grid(scored)
        if args.changes:
            print_changes(scored, veto, rescue)


if __name__ == "__main__":
    main()
