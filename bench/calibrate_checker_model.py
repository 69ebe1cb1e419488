"""Choose when the trained model may overrule the reasons checker's rules, and show what it changes.

Two ways of overruling, each with two thresholds in knowledge/checker.yaml (0: off):

* the words' veto and rescue (``model_veto``, ``model_rescue``), on the words
  model's score: the rules accept and P(tick-box) >= veto: refused; the rules
  refuse softly (an element's cues did not match, or length; no tick-box rule
  fired) and P(justified) >= rescue: accepted;
* the stack's (``model_stack_veto``, ``model_stack_rescue``), on the stack's
  score, which weighs the rules' verdict beside the words: the rules accept and
  its P(tick-box) >= veto: refused; the rules refuse (unless the reasons are
  unreadable or admit the opposite of the option) and its P(justified) >=
  rescue: accepted.

``--oof FILE`` (written by ``bench/train_checker.py --oof FILE``) holds every
reason of the sets the rules were never tuned on, with both models' out-of-fold
scores. With it this prints, set by set, both rates of the rules alone and of
each way at thresholds chosen on the other sets (and at those chosen on all),
then the same by step and for negative options, and each way's mean balanced
accuracy over the sets. A threshold is chosen from 0.50 to 0.99 (or off) for the
best mean balanced accuracy over the sets (a tie goes to the higher threshold:
fewer overrulings), each kept within what the reasons the tests judge allow
(``--tests-from``, as ``bench/train_checker.py --save-tests`` wrote them, scored
by the shipped model: a test that fails is a limit, not a trade). ``--choose``
keeps the way with the better mean, turns the other off and prints the four
lines; ``--apply`` writes them into checker.yaml. Run the whole test suite after.

``--set FILE`` prints the same table for any labelled set with the shipped model
(in-sample for a set it was trained on); ``--grid`` adds what each threshold from
0.50 to 0.99 changes, ``--changes`` lists every reason that changes.

    python bench/calibrate_checker_model.py --oof FILE [--choose [--tests-from FILE] [--apply]]
    python bench/calibrate_checker_model.py --set FILE [--veto P] [--rescue P] [--stack-veto P] [--stack-rescue P]
        [--grid] [--changes]
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


@dataclass(frozen=True)
class Policy:
    """checker.yaml's four thresholds (0: off); the stack's, when set, replace the words'."""

    veto: float = 0.0
    rescue: float = 0.0
    stack_veto: float = 0.0
    stack_rescue: float = 0.0

    @property
    def stacked(self) -> bool:
        return bool(self.stack_veto or self.stack_rescue)

    def lines(self) -> dict[str, float]:
        return {
            "model_veto": self.veto,
            "model_rescue": self.rescue,
            "model_stack_veto": self.stack_veto,
            "model_stack_rescue": self.stack_rescue,
        }


RULES_ALONE = Policy()


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


def decide(s: Scored, policy: Policy) -> bool:
    """Whether the reasons are accepted once the model has had its say."""
    if policy.stacked:
        if s.stacked is None:
            return s.accepted
        if s.accepted:
            return not (policy.stack_veto and s.vetoable and s.stacked >= policy.stack_veto)
        return bool(policy.stack_rescue and s.overrulable and 1 - s.stacked >= policy.stack_rescue)
    if s.accepted:
        return not (policy.veto and s.vetoable and s.p_tick_box >= policy.veto)
    return bool(policy.rescue and s.soft and 1 - s.p_tick_box >= policy.rescue)


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


def outcome(scored: list[Scored], policy: Policy) -> Outcome:
    justified = [s for s in scored if s.justified]
    ticks = [s for s in scored if not s.justified]
    changed = [s for s in scored if decide(s, policy) != s.accepted]
    return Outcome(
        sum(decide(s, policy) for s in justified) / max(len(justified), 1),
        sum(not decide(s, policy) for s in ticks) / max(len(ticks), 1),
        sum(1 for s in changed if s.accepted and not s.justified),
        sum(1 for s in changed if s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and s.justified),
        sum(1 for s in changed if not s.accepted and not s.justified),
    )


def policies(policy: Policy) -> list[tuple[str, Policy]]:
    if policy.stacked:
        v, r = policy.stack_veto, policy.stack_rescue
        return [
            ("rules alone", RULES_ALONE),
            (f"stack veto only ({v:g})", Policy(stack_veto=v)),
            (f"stack rescue only ({r:g})", Policy(stack_rescue=r)),
            (f"stack both ({v:g} / {r:g})", policy),
        ]
    v, r = policy.veto, policy.rescue
    return [
        ("rules alone", RULES_ALONE),
        (f"veto only ({v:g})", Policy(veto=v)),
        (f"rescue only ({r:g})", Policy(rescue=r)),
        (f"both ({v:g} / {r:g})", policy),
    ]


_HEAD = f"  {'policy':46} justified accepted  tick-boxes refused  ->refuse right/wrong  ->accept right/wrong"


def _row(name: str, o: Outcome) -> str:
    return (
        f"  {name:46} {o.justified_accepted:18.3f}  {o.tick_boxes_refused:18.3f}  "
        f"{o.refused_right:>10}/{o.refused_wrong:<9}  {o.accepted_right:>10}/{o.accepted_wrong}"
    )


def print_table(scored: list[Scored], policy: Policy) -> None:
    print(_HEAD)
    for name, p in policies(policy):
        print(_row(name, outcome(scored, p)))


def print_grid(scored: list[Scored], stacked: bool) -> None:
    print(
        f"  threshold  {'stack ' if stacked else ''}veto right/wrong  {'stack ' if stacked else ''}rescue right/wrong"
    )
    for t in _THRESHOLDS:
        v = outcome(scored, Policy(stack_veto=t) if stacked else Policy(veto=t))
        r = outcome(scored, Policy(stack_rescue=t) if stacked else Policy(rescue=t))
        print(f"  {t:9.2f}  {v.refused_right:>10}/{v.refused_wrong:<5}  {r.accepted_right:>12}/{r.accepted_wrong}")


def print_changes(scored: list[Scored], policy: Policy) -> None:
    for s in scored:
        now = decide(s, policy)
        if now != s.accepted:
            how = "vetoed" if s.accepted else "rescued"
            right = "right" if now == s.justified else "WRONG"
            item = s.item
            stacked = f" stack={s.stacked:.2f}" if policy.stacked and s.stacked is not None else ""
            print(
                f"  {how} {right} P(tick-box)={s.p_tick_box:.2f}{stacked} {item['step']}/{item['decision']}: "
                f"{item['reasons'][:160]!r}"
            )


CHECKER_YAML = ROOT / "knowledge" / "checker.yaml"
_THRESHOLDS = [step / 100 for step in range(50, 100)]


@dataclass(frozen=True)
class Limits:
    """The thresholds that keep every test's verdict: each in (above, at most], as P(tick-box) for a
    veto and P(justified) for a rescue."""

    veto: tuple[float, float] = (0.0, 1.0)
    rescue: tuple[float, float] = (0.0, 1.0)
    stack_veto: tuple[float, float] = (0.0, 1.0)
    stack_rescue: tuple[float, float] = (0.0, 1.0)


def limits(scored_tests: list[Scored]) -> Limits:
    """What the tests' reasons allow, each labelled as the tests judge it.

    Mostly the rules are right on them (then no threshold may change their verdict); a few
    tests expect the model to overrule the rules (then the threshold must let it).
    """
    vetoable = [s for s in scored_tests if s.accepted and s.vetoable]
    soft = [s for s in scored_tests if not s.accepted and s.soft]
    overrulable = [s for s in scored_tests if not s.accepted and s.overrulable and s.stacked is not None]
    stack_vetoable = [s for s in vetoable if s.stacked is not None]

    def between(kept: Iterable[float], overruled: Iterable[float]) -> tuple[float, float]:
        return max(kept, default=0.0), min(overruled, default=1.0)

    return Limits(
        veto=between(
            (s.p_tick_box for s in vetoable if s.justified), (s.p_tick_box for s in vetoable if not s.justified)
        ),
        rescue=between(
            (1 - s.p_tick_box for s in soft if not s.justified), (1 - s.p_tick_box for s in soft if s.justified)
        ),
        stack_veto=between(
            (s.stacked for s in stack_vetoable if s.justified),  # type: ignore[misc]
            (s.stacked for s in stack_vetoable if not s.justified),  # type: ignore[misc]
        ),
        stack_rescue=between(
            (1 - s.stacked for s in overrulable if not s.justified),  # type: ignore[operator]
            (1 - s.stacked for s in overrulable if s.justified),  # type: ignore[operator]
        ),
    )


def mean_balanced(sets: Iterable[list[Scored]], policy: Policy) -> float:
    sets = list(sets)
    return sum(outcome(rows, policy).balanced for rows in sets) / max(len(sets), 1)


def choose_one(sets: list[list[Scored]], field: str, within: tuple[float, float] = (0.0, 1.0)) -> float:
    """One threshold (``veto``, ``rescue``, ``stack_veto`` or ``stack_rescue``) from 0.50 to 0.99 within
    ``within``, or 0, for the best mean balanced accuracy over ``sets`` (a tie to the higher).

    Each threshold changes its own reasons only (the rules' acceptances or refusals), so the
    four are chosen apart.
    """
    best, best_score = 0.0, mean_balanced(sets, RULES_ALONE)
    for t in _THRESHOLDS:
        if within[0] < t <= within[1]:
            gained = mean_balanced(sets, Policy(**{field: t}))
            if gained >= best_score + 1e-12 or (best and abs(gained - best_score) < 1e-12):
                best, best_score = t, gained
    return best


def choose(sets: list[list[Scored]], within: Limits, stacked: bool) -> Policy:
    """Both thresholds of one way (the stack's or the words'), within what the tests allow."""
    if stacked:
        return Policy(
            stack_veto=choose_one(sets, "stack_veto", within.stack_veto),
            stack_rescue=choose_one(sets, "stack_rescue", within.stack_rescue),
        )
    return Policy(veto=choose_one(sets, "veto", within.veto), rescue=choose_one(sets, "rescue", within.rescue))


def by_set(scored: list[Scored]) -> dict[str, list[Scored]]:
    out: dict[str, list[Scored]] = {}
    for s in scored:
        out.setdefault(s.item.get("set", "?"), []).append(s)
    return out


def compare(scored: list[Scored], within: Limits) -> dict[bool, tuple[float, Policy]]:
    """Print each set's rates for each way at thresholds chosen on the other sets; return, for each
    way (stacked or not), its mean balanced accuracy over the sets and its thresholds chosen on all."""
    sets = by_set(scored)
    ways = [False, True] if any(s.stacked is not None for s in scored) else [False]
    on_all = {way: choose(list(sets.values()), within, way) for way in ways}
    elsewhere: dict[tuple[str, bool], Policy] = {}
    means = dict.fromkeys(ways, 0.0)
    for name, rows in sets.items():
        justified = sum(s.justified for s in rows)
        print(f"\n{name}: {len(rows)} reasons ({justified} justified, {len(rows) - justified} tick-boxes)")
        print(_HEAD)
        print(_row("rules alone", outcome(rows, RULES_ALONE)))
        for way in ways:
            chosen = choose([r for n, r in sets.items() if n != name], within, way)
            elsewhere[name, way] = chosen
            label = "stack" if way else "veto/rescue"
            v, r = (chosen.stack_veto, chosen.stack_rescue) if way else (chosen.veto, chosen.rescue)
            got = outcome(rows, chosen)
            print(_row(f"{label} chosen on the others ({v:g}/{r:g})", got))
            a = on_all[way]
            va, ra = (a.stack_veto, a.stack_rescue) if way else (a.veto, a.rescue)
            print(_row(f"{label} chosen on all ({va:g}/{ra:g})", outcome(rows, a)))
            means[way] += got.balanced / len(sets)
    print("\nby step and for negative options, every set together (thresholds chosen on the other sets):")
    calls: list[tuple[str, Callable[[Scored], bool]]] = [("rules", lambda s: s.accepted)]
    for way in ways:
        calls.append(("stack" if way else "veto/rescue", lambda s, w=way: decide(s, elsewhere[_set(s), w])))
    groups = [*sorted({s.item["step"] for s in scored}), "negative options"]
    print(f"  {'':20}" + "".join(f"{n + ' acc/ref':>22}" for n, _ in calls))
    for group in groups:
        rows = [s for s in scored if (s.item["step"] == group if group != "negative options" else _negative(s))]
        print(f"  {group:20}" + "".join(f"{_rates_text(rows, call):>22}" for _, call in calls))
    print(
        "\nmean balanced accuracy over the sets, thresholds chosen on the others: "
        + ", ".join(f"{'stack' if way else 'veto/rescue'} {means[way]:.4f}" for way in ways)
    )
    return {way: (means[way], on_all[way]) for way in ways}


def _set(s: Scored) -> str:
    return s.item.get("set", "?")


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
    for name, what in (
        ("veto", "the words' P(tick-box) at which an acceptance is refused"),
        ("rescue", "the words' P(justified) at which a soft refusal is accepted"),
        ("stack-veto", "the stack's P(tick-box) at which an acceptance is refused"),
        ("stack-rescue", "the stack's P(justified) at which a refusal is accepted"),
    ):
        parser.add_argument(f"--{name}", type=float, help=f"{what} (default: checker.yaml)")
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
    c = kb.checker
    policy = Policy(
        c.model_veto if args.veto is None else args.veto,
        c.model_rescue if args.rescue is None else args.rescue,
        c.model_stack_veto if args.stack_veto is None else args.stack_veto,
        c.model_stack_rescue if args.stack_rescue is None else args.stack_rescue,
    )
    if args.oof:
        scored = from_oof(args.oof)
        for s in scored:
            s.item["negative"] = checker.is_negative(s.item["step"], s.item["decision"])
        within = Limits()
        if args.tests_from:
            tests = score(checker, yaml.safe_load(args.tests_from.read_text(encoding="utf-8"))["reasons"])
            within = limits(tests)
            print(f"the tests' {len(tests)} reasons allow, each in (above, at most]:")
            for name, (low, high) in vars(within).items():
                print(f"  {name}: ({low:.3f}, {high:.3f}]")
        results = compare(scored, within)
        if args.choose:
            stacked = True in results and results[True][0] > results[False][0]
            policy = results[stacked][1]
            print(f"\nchosen on {args.oof.name} ({'the stack' if stacked else 'the words veto and rescue'}):")
            print("".join(f"  {name}: {value:g}\n" for name, value in policy.lines().items()), end="")
            if args.apply:
                apply(policy.lines(), CHECKER_YAML)
                print(f"written to {CHECKER_YAML}: now run the whole test suite")
    for path in args.sets:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
        scored = score(checker, items)
        justified = sum(s.justified for s in scored)
        ticks = len(scored) - justified
        print(f"\n{path.name}: {len(scored)} labelled reasons ({justified} justified, {ticks} tick-boxes)")
        print_table(scored, policy)
        if args.grid:
            print_grid(scored, policy.stacked)
        if args.changes:
            print_changes(scored, policy)


if __name__ == "__main__":
    main()
