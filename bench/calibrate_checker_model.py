"""Choose when the trained model may overrule the reasons checker's rules, and show what it changes.

Two ways of overruling, each with its thresholds in knowledge/checker.yaml (0: off):

* veto and rescue (``model_veto``, ``model_rescue``), on the words model's score:
  the rules accept and P(tick-box) >= veto: refused; the rules refuse softly (an
  element's cues did not match, or length; no tick-box rule fired) and
  P(justified) >= rescue: accepted;
* the stack (``model_stack``), which weighs the rules' verdict beside the words:
  the rules accept and its P(tick-box) >= model_stack: refused; the rules refuse
  (unless the reasons are unreadable or admit the opposite) and its P(tick-box)
  < model_stack: accepted.

``--oof FILE`` (written by ``bench/train_checker.py --oof FILE``) holds every
reason of the sets the rules were never tuned on, with both models' out-of-fold
scores. With it this prints, set by set, both rates of the rules alone, of veto
and rescue at thresholds chosen on the other sets (and at those chosen on all),
and of the stack, then the same by step and for negative options. ``--choose``
picks the thresholds on those scores pooled: for veto and rescue apart, from
0.50 to 0.99, the one with the most right changes less twice the wrong ones (a
wrong change costs more trust than a right one gains; a tie goes to the higher
threshold), off (0) when none gains; for the stack 0.5, where its class-balanced
regression calls a reason as likely one way as the other. Every threshold must
also leave the reasons the tests judge as the rules judge them (``--tests-from``,
as ``bench/train_checker.py --save-tests`` wrote them, scored by the shipped
model: a test that fails is a limit, not a trade). The way whose figures are
better over the sets (mean balanced accuracy, the stack's nested) is kept and
the other turned off; ``--apply`` writes the three lines into checker.yaml. Run
the whole test suite after.

``--set FILE`` prints the same table for any labelled set with the shipped model
(in-sample for a set it was trained on); ``--grid`` adds what each threshold from
0.50 to 0.99 changes, ``--changes`` lists every reason that changes.

    python bench/calibrate_checker_model.py --oof FILE [--choose [--tests-from FILE] [--apply]]
    python bench/calibrate_checker_model.py --set FILE [--veto P] [--rescue P] [--stack P] [--grid] [--changes]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from common import ROOT

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import load_knowledge


@dataclass(frozen=True)
class Scored:
    """One labelled reason: the rules' verdict, the words model's P(tick-box) and the stack's."""

    item: dict
    justified: bool
    accepted: bool  # by the rules alone
    soft: bool  # refused by the rules only softly
    p_tick_box: float
    vetoable: bool = True  # an acceptance the record does not complete
    overrulable: bool = False  # a refusal the stack may overrule
    stacked: float | None = None


def score(checker: ReasonsChecker, items: list[dict]) -> list[Scored]:
    out = []
    for item in items:
        verdict = checker._check_rules(item["step"], item["decision"], item["reasons"], ())
        reading = checker.stacked_reading(item["step"], item["decision"], item["reasons"], verdict)
        out.append(
            Scored(
                item,
                item["label"] == "accept",
                verdict.accepted,
                checker._soft(verdict),
                reading.score if reading else 0.5,
                checker._vetoable(verdict),
                checker._overrulable(verdict),
                reading.stacked if reading else None,
            )
        )
    return out


def from_oof(path: Path) -> list[Scored]:
    """The out-of-fold scores ``bench/train_checker.py --oof`` wrote."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        Scored(
            r,
            r["label"] == "accept",
            r["accepted"],
            r["soft"],
            r["p_words"],
            r["vetoable"],
            r["overrulable"],
            r["p_stack"],
        )
        for r in rows
    ]


def decide(s: Scored, veto: float, rescue: float, stack: float = 0.0) -> bool:
    """Whether the reasons are accepted once the model has had its say (0: that way is off)."""
    if stack:
        if s.stacked is None:
            return s.accepted
        if s.accepted:
            return not (s.vetoable and s.stacked >= stack)
        return s.overrulable and s.stacked < stack
    if s.accepted:
        return not (veto and s.vetoable and s.p_tick_box >= veto)
    return bool(rescue and s.soft and 1 - s.p_tick_box >= rescue)


@dataclass(frozen=True)
class Outcome:
    justified_accepted: float
    tick_boxes_refused: float
    refused_right: int  # tick-boxes the model refused
    refused_wrong: int  # justified reasons it refused
    accepted_right: int
    accepted_wrong: int

    @property
    def balanced(self) -> float:
        return (self.justified_accepted + self.tick_boxes_refused) / 2


def outcome(scored: list[Scored], veto: float, rescue: float, stack: float = 0.0) -> Outcome:
    justified = [s for s in scored if s.justified]
    ticks = [s for s in scored if not s.justified]
    changed = [s for s in scored if decide(s, veto, rescue, stack) != s.accepted]
    return Outcome(
        sum(decide(s, veto, rescue, stack) for s in justified) / max(len(justified), 1),
        sum(not decide(s, veto, rescue, stack) for s in ticks) / max(len(ticks), 1),
        sum(1 for s in changed if s.accepted and not s.justified),
        sum(1 for s in changed if s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and not s.justified),
    )


def policies(veto: float, rescue: float, stack: float = 0.0) -> list[tuple[str, float, float, float]]:
    rows = [
        ("rules alone", 0.0, 0.0, 0.0),
        (f"veto only ({veto:g})", veto, 0.0, 0.0),
        (f"rescue only ({rescue:g})", 0.0, rescue, 0.0),
        (f"both ({veto:g} / {rescue:g})", veto, rescue, 0.0),
    ]
    return rows + ([(f"stack ({stack:g})", 0.0, 0.0, stack)] if stack else [])


_HEAD = f"  {'policy':46} justified accepted  tick-boxes refused  ->refuse right/wrong  ->accept right/wrong"


def _row(name: str, o: Outcome) -> str:
    return (
        f"  {name:46} {o.justified_accepted:18.3f}  {o.tick_boxes_refused:18.3f}  "
        f"{o.refused_right:>10}/{o.refused_wrong:<9}  {o.accepted_right:>10}/{o.accepted_wrong}"
    )


def print_table(scored: list[Scored], veto: float, rescue: float, stack: float = 0.0) -> None:
    print(_HEAD)
    for name, v, r, t in policies(veto, rescue, stack):
        print(_row(name, outcome(scored, v, r, t)))


def print_grid(scored: list[Scored]) -> None:
    print("  threshold  veto right/wrong  rescue right/wrong")
    for t in _THRESHOLDS:
        v, r = outcome(scored, t, 0), outcome(scored, 0, t)
        print(f"  {t:9.2f}  {v.refused_right:>10}/{v.refused_wrong:<5}  {r.accepted_right:>12}/{r.accepted_wrong}")


def print_changes(scored: list[Scored], veto: float, rescue: float, stack: float = 0.0) -> None:
    for s in scored:
        now = decide(s, veto, rescue, stack)
        if now != s.accepted:
            how = "vetoed" if s.accepted else "rescued"
            right = "right" if now == s.justified else "WRONG"
            item = s.item
            stacked = f" stack={s.stacked:.2f}" if stack and s.stacked is not None else ""
            print(
                f"  {how} {right} P(tick-box)={s.p_tick_box:.2f}{stacked} {item['step']}/{item['decision']}: "
                f"{item['reasons'][:160]!r}"
            )


CHECKER_YAML = ROOT / "knowledge" / "checker.yaml"
_THRESHOLDS = [step / 100 for step in range(50, 100)]
# Where the stack's class-balanced regression calls a reason as likely one way as the other.
STACK_AT = 0.5


def net(o: Outcome) -> int:
    """Right changes less twice the wrong ones."""
    return o.refused_right + o.accepted_right - 2 * (o.refused_wrong + o.accepted_wrong)


def choose_one(scored: list[Scored], way: str, floor: float = 0.0, ceiling: float = 1.0) -> float:
    """The threshold of one way (``veto`` or ``rescue``) in (``floor``, ``ceiling``] with the best ``net``;
    0 if none there gains."""
    best, best_net = 0.0, 0
    for t in _THRESHOLDS:
        if not floor < t <= ceiling:
            continue
        gained = net(outcome(scored, t, 0) if way == "veto" else outcome(scored, 0, t))
        if gained > 0 and gained >= best_net:
            best, best_net = t, gained
    return best


@dataclass(frozen=True)
class Floors:
    """The thresholds that keep every test's verdict: each way's in (above, at most]."""

    veto: float = 0.0
    rescue: float = 0.0
    stack_above: float = 0.0
    stack_at_most: float = 1.0
    veto_at_most: float = 1.0
    rescue_at_most: float = 1.0


def floors(scored_tests: list[Scored]) -> Floors:
    """What the tests' reasons allow, each labelled as the tests judge it.

    Mostly the rules are right on them (then no threshold may change their verdict); a few
    tests expect the model to overrule the rules (then the threshold must let it).
    """
    vetoable = [s for s in scored_tests if s.accepted and s.vetoable]
    soft = [s for s in scored_tests if not s.accepted and s.soft]
    stackable = [s for s in scored_tests if s.stacked is not None and (s.vetoable if s.accepted else s.overrulable)]
    return Floors(
        veto=max((s.p_tick_box for s in vetoable if s.justified), default=0.0),
        veto_at_most=min((s.p_tick_box for s in vetoable if not s.justified), default=1.0),
        rescue=max((1 - s.p_tick_box for s in soft if not s.justified), default=0.0),
        rescue_at_most=min((1 - s.p_tick_box for s in soft if s.justified), default=1.0),
        # The stack refuses from its threshold: a justified reason must stay below it, a tick-box reach it.
        stack_above=max((s.stacked for s in stackable if s.justified), default=0.0),  # type: ignore[type-var]
        stack_at_most=min((s.stacked for s in stackable if not s.justified), default=1.0),  # type: ignore[type-var]
    )


def stack_threshold(limits: Floors) -> float:
    """0.5 if the tests allow it, else the nearest threshold they allow (0: none)."""
    candidates = [t / 100 for t in range(1, 100) if limits.stack_above < t / 100 <= limits.stack_at_most]
    return min(candidates, key=lambda t: (abs(t - STACK_AT), t), default=0.0)


@dataclass(frozen=True)
class Choice:
    veto: float
    rescue: float
    stack: float


def choose(scored: list[Scored], limits: Floors) -> Choice:
    """Each way's thresholds on the pooled out-of-fold scores, within what the tests allow."""
    veto = choose_one(scored, "veto", limits.veto, limits.veto_at_most)
    rescue = choose_one(scored, "rescue", limits.rescue, limits.rescue_at_most)
    alone, both = outcome(scored, 0, 0), outcome(scored, veto, rescue)
    if both.justified_accepted < alone.justified_accepted or both.tick_boxes_refused < alone.tick_boxes_refused:
        veto = rescue = 0.0
    has_stack = any(s.stacked is not None for s in scored)
    return Choice(veto, rescue, stack_threshold(limits) if has_stack else 0.0)


def by_set(scored: list[Scored]) -> dict[str, list[Scored]]:
    out: dict[str, list[Scored]] = {}
    for s in scored:
        out.setdefault(s.item.get("set", "?"), []).append(s)
    return out


def compare(scored: list[Scored], choice: Choice, limits: Floors) -> tuple[float, float]:
    """Print each set's rates for each way; return each way's mean balanced accuracy over the sets.

    Veto and rescue are scored on each set at thresholds chosen on the other sets (and, for
    reference, at those chosen on all); the stack's scores are nested out-of-fold already.
    """
    sets = by_set(scored)
    mean_vr = mean_stack = 0.0
    per_set: dict[str, tuple[float, float]] = {}
    for name, rows in sets.items():
        others = [s for n, r in sets.items() if n != name for s in r]
        v = choose_one(others, "veto", limits.veto, limits.veto_at_most)
        r = choose_one(others, "rescue", limits.rescue, limits.rescue_at_most)
        per_set[name] = (v, r)
        justified = sum(s.justified for s in rows)
        print(f"\n{name}: {len(rows)} reasons ({justified} justified, {len(rows) - justified} tick-boxes)")
        print(_HEAD)
        print(_row("rules alone", outcome(rows, 0, 0)))
        chosen_elsewhere = outcome(rows, v, r)
        print(_row(f"veto/rescue chosen on the others ({v:g}/{r:g})", chosen_elsewhere))
        print(
            _row(
                f"veto/rescue chosen on all ({choice.veto:g}/{choice.rescue:g})",
                outcome(rows, choice.veto, choice.rescue),
            )
        )
        stacked = outcome(rows, 0, 0, choice.stack)
        if any(s.stacked is not None for s in rows):
            if choice.stack != STACK_AT:
                print(_row(f"stack ({STACK_AT:g}, beyond the tests' limits)", outcome(rows, 0, 0, STACK_AT)))
            if choice.stack:
                print(_row(f"stack ({choice.stack:g})", stacked))
        mean_vr += chosen_elsewhere.balanced / len(sets)
        mean_stack += stacked.balanced / len(sets) if choice.stack else 0.0
    print("\nby step and for negative options, every set together:")
    ways: list[tuple[str, Callable[[Scored], bool]]] = [
        ("rules", lambda s: s.accepted),
        ("veto/rescue", lambda s: decide(s, *per_set[s.item.get("set", "?")], 0.0)),
        ("stack", lambda s: decide(s, 0, 0, choice.stack or STACK_AT)),
    ]
    groups = [*sorted({s.item["step"] for s in scored}), "negative options"]
    print(f"  {'':20}" + "".join(f"{n + ' acc/ref':>22}" for n, _ in ways))
    for group in groups:
        rows = [s for s in scored if (s.item["step"] == group if group != "negative options" else _negative(s))]
        print(f"  {group:20}" + "".join(f"{_rates_text(rows, call):>22}" for _, call in ways))
    print(f"\nmean balanced accuracy over the sets: veto/rescue {mean_vr:.4f}, stack {mean_stack:.4f}")
    return mean_vr, mean_stack


def _negative(s: Scored) -> bool:
    return bool(s.item.get("negative"))


def _rates_text(rows: Iterable[Scored], call: Callable[[Scored], bool]) -> str:
    rows = list(rows)
    justified = [call(s) for s in rows if s.justified]
    ticks = [not call(s) for s in rows if not s.justified]
    if not rows:
        return "-"
    return f"{sum(justified) / max(len(justified), 1):.3f}/{sum(ticks) / max(len(ticks), 1):.3f}"


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
    parser.add_argument("--oof", type=Path, help="out-of-fold scores (bench/train_checker.py --oof)")
    parser.add_argument("--set", dest="sets", type=Path, action="append", default=[], help="labelled reasons YAML")
    parser.add_argument("--veto", type=float, help="P(tick-box) at which the model refuses (default: checker.yaml)")
    parser.add_argument("--rescue", type=float, help="P(justified) at which it accepts (default: checker.yaml)")
    parser.add_argument("--stack", type=float, help="the stack's P(tick-box) that refuses (default: checker.yaml)")
    parser.add_argument("--grid", action="store_true", help="what each threshold from 0.50 to 0.99 changes")
    parser.add_argument("--changes", action="store_true", help="list every reason the model's say changes")
    parser.add_argument("--choose", action="store_true", help="choose the thresholds on the --oof scores")
    parser.add_argument("--tests-from", type=Path, help="the tests' reasons (train_checker.py --save-tests)")
    parser.add_argument("--apply", action="store_true", help="with --choose: write them into checker.yaml")
    args = parser.parse_args(argv)
    if args.apply and not args.choose:
        parser.error("--apply writes what --choose chose: give both")
    if args.choose and not args.oof:
        parser.error("--choose chooses on out-of-fold scores: give --oof FILE")
    if not args.oof and not args.sets:
        parser.error("give --oof FILE or --set FILE")
    kb = load_knowledge(ROOT / "knowledge")
    checker = ReasonsChecker.for_knowledge(kb)
    if checker.model is None:
        raise SystemExit("there is no knowledge/checker_model.yaml: train one with bench/train_checker.py")
    veto = kb.checker.model_veto if args.veto is None else args.veto
    rescue = kb.checker.model_rescue if args.rescue is None else args.rescue
    stack = kb.checker.model_stack if args.stack is None else args.stack
    if args.oof:
        scored = from_oof(args.oof)
        for s in scored:
            s.item["negative"] = checker.is_negative(s.item["step"], s.item["decision"])
        limits = Floors()
        if args.tests_from:
            tests = score(checker, yaml.safe_load(args.tests_from.read_text(encoding="utf-8"))["reasons"])
            limits = floors(tests)
            print(
                f"the tests' {len(tests)} reasons need veto above {limits.veto:.3f} and at most "
                f"{limits.veto_at_most:.3f}, rescue above {limits.rescue:.3f} and at most {limits.rescue_at_most:.3f}, "
                f"the stack above {limits.stack_above:.3f} and at most {limits.stack_at_most:.3f}"
            )
        choice = choose(scored, limits)
        mean_vr, mean_stack = compare(scored, choice, limits)
        if args.choose:
            keep_stack = bool(choice.stack) and mean_stack > mean_vr
            lines = {
                "model_veto": 0.0 if keep_stack else choice.veto,
                "model_rescue": 0.0 if keep_stack else choice.rescue,
                "model_stack": choice.stack if keep_stack else 0.0,
            }
            print(
                f"\nchosen on {args.oof.name} ({'the stack' if keep_stack else 'veto and rescue'} generalises better):"
            )
            print("".join(f"  {name}: {value:g}\n" for name, value in lines.items()), end="")
            if args.apply:
                apply(lines, CHECKER_YAML)
                print(f"written to {CHECKER_YAML}: now run the whole test suite")
            veto, rescue, stack = lines["model_veto"], lines["model_rescue"], lines["model_stack"]
    for path in args.sets:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
        scored = score(checker, items)
        justified = sum(s.justified for s in scored)
        ticks = len(scored) - justified
        print(f"\n{path.name}: {len(scored)} labelled reasons ({justified} justified, {ticks} tick-boxes)")
        print_table(scored, veto, rescue, stack)
        if args.grid:
            print_grid(scored)
        if args.changes:
            print_changes(scored, veto, rescue, stack)


if __name__ == "__main__":
    main()
