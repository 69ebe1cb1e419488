"""Train the reasons checker's second opinion and write it as knowledge/checker_model.yaml.

A class-balanced logistic regression (scikit-learn, L2) over the feature
families of bot/checklist/model.py (``--features``; by default ``FAMILIES``):
the reasons' words, word pairs, the letter runs inside words, words by step and
on negative options, shape, and the option they are given for. No feature
names a rule or an element, so the model keeps its meaning while the rules are
tuned.

Its strength C is chosen by leave-one-set-out cross-validation: each labelled
set was written by a different person, so the model is trained on every set but
one and scored on the one left out, and the C with the best mean balanced
accuracy over the sets wins. ``--compare`` prints that figure for several
choices of families (the comparison in bench/checker_model_experiment.md).

It is trained on every labelled set in the repository the rules are tuned on
(tests/data/reasons.yaml and each bench/data/reasons_*.yaml; never a
reasons_heldout*.yaml, nor the calibration set reasons_dev8.yaml on which the
thresholds are chosen), any set named with --set, and, unless --no-tests, the
reasons the tests judge (--tests: by default the checker's own,
tests/checklist/test_checker.py; tests/ for every test, which takes about 16
minutes), labelled by the rules' verdict on them: the tests pass, so the rules
are right on them by design, and a model that agrees with them keeps them
passing. ``--save-tests FILE`` keeps those labelled reasons, and
``--tests-from FILE`` reads them back instead of running the tests again.

The thresholds that let the model overrule the rules are not set here: they are
checker.yaml's ``model_veto`` and ``model_rescue``, chosen on the calibration
set with bench/calibrate_checker_model.py.

    python bench/train_checker.py [--set FILE ...] [--tests PATH | --tests-from FILE | --no-tests]
        [--save-tests FILE] [--features FAMILY ...] [--compare] [--out FILE]

Needs scikit-learn (the ``bench`` extra); svbot itself only reads the YAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from common import ROOT

from bot.knowledge.schema import FEATURE_FAMILIES

DATA = ROOT / "bench" / "data"
TESTS_SET = ROOT / "tests" / "data" / "reasons.yaml"
CURATED_TESTS = ROOT / "tests" / "checklist" / "test_checker.py"
OUT = ROOT / "knowledge" / "checker_model.yaml"
# The set the thresholds are chosen on (bench/calibrate_checker_model.py): never trained on.
CALIBRATION = "reasons_dev8.yaml"
# The families the shipped model reads: each one raised the leave-one-set-out figure.
FAMILIES = ("words", "pairs", "chars", "negative-words", "step-words", "shape", "option")
# What --compare sets side by side: the first model's families, each new family added alone, all of them.
COMPARED = (
    ("words", "pairs", "shape", "option"),
    ("words", "pairs", "chars", "shape", "option"),
    ("words", "pairs", "negative-words", "shape", "option"),
    ("words", "pairs", "step-words", "shape", "option"),
    FAMILIES,
)
_CS = (0.3, 1.0, 3.0)
_MIN_DF = 2  # a feature seen in one reason only is an anecdote
_DROP_BELOW = 0.02  # weights smaller than this change no verdict worth having (--compare measures it)


@dataclass(frozen=True)
class Item:
    step: str
    decision: str
    reasons: str
    tick_box: bool
    source: str = field(default="", compare=False)  # the set it comes from: leave-one-set-out's groups


def tuned_sets(data: Path = DATA, tests_set: Path = TESTS_SET) -> list[Path]:
    """Every labelled set the rules are tuned on; a held-out set and the calibration set are never read."""
    return [tests_set, *(p for p in sorted(data.glob("reasons_*.yaml")) if not is_held_out(p))]


def is_held_out(path: Path) -> bool:
    return "heldout" in path.name or path.name == CALIBRATION


def load_set(path: Path, source: str = "") -> list[Item]:
    if is_held_out(path):
        why = "the thresholds are chosen on it" if path.name == CALIBRATION else "it is held out"
        raise SystemExit(f"{path} is never trained on: {why}")
    return [
        Item(raw["step"], raw["decision"], str(raw["reasons"]).strip(), raw["label"] == "refuse", source or path.name)
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
    ]


def save_items(items: list[Item], path: Path) -> None:
    """Labelled reasons as a set file (``load_set`` reads it back)."""
    rows = [
        {"step": i.step, "decision": i.decision, "reasons": i.reasons, "label": "refuse" if i.tick_box else "accept"}
        for i in items
    ]
    path.write_text(yaml.safe_dump({"reasons": rows}, sort_keys=False, allow_unicode=True), encoding="utf-8")


def curated_items(test_file: Path = CURATED_TESTS) -> list[Item]:
    """The reasons the tests in ``test_file`` judge, each labelled by the shipped rules' verdict.

    The tests run in this process with ``ReasonsChecker.check`` watched; only calls on a
    checker with the shipped rules count (some tests judge with rules they changed).
    """
    import pytest

    from bot.checklist.checker import ReasonsChecker
    from bot.knowledge.loader import load_knowledge

    shipped = load_knowledge(ROOT / "knowledge")
    seen: dict[tuple[str, str, str], bool] = {}
    original = ReasonsChecker._check_rules

    def watched(self, step, decision, reasons, record=()):
        verdict = original(self, step, decision, reasons, record)
        text = (reasons or "").strip()
        if text and not record and self.config == shipped.checker and self.justification == shipped.justification:
            seen.setdefault((step, decision, text), verdict.accepted)
        return verdict

    class Watch:
        def pytest_sessionstart(self) -> None:
            ReasonsChecker._check_rules = watched  # type: ignore[method-assign]

        def pytest_sessionfinish(self) -> None:
            ReasonsChecker._check_rules = original  # type: ignore[method-assign]

    code = pytest.main([str(test_file), "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "--no-header"], [Watch()])
    if code != 0:
        raise SystemExit(f"the tests fail ({code}): fix them before training on the reasons they judge")
    options = {(s.id, o.id) for s in shipped.checklist.steps for o in s.options}
    return [Item(s, d, r, not ok, TESTS_SOURCE) for (s, d, r), ok in seen.items() if (s, d) in options]


# The group of the tests' reasons: always trained on, never left out (the rules label them).
TESTS_SOURCE = "tests"


def unique(items: list[Item]) -> Iterator[Item]:
    """Each (step, option, reasons) once: the first label given wins."""
    seen = set()
    for item in items:
        key = (item.step, item.decision, item.reasons)
        if key not in seen:
            seen.add(key)
            yield item


@dataclass
class Trained:
    intercept: float
    weights: dict[str, float]  # heaviest first
    C: float
    cross_validated: dict[str, float | dict[str, float]]
    families: tuple[str, ...] = FAMILIES


@dataclass(frozen=True)
class ByC:
    """Leave-one-set-out at one C: each set's rates when it was left out, and their means."""

    C: float
    by_set: dict[str, tuple[float, float]]  # set: (justified accepted, tick-boxes refused)

    @property
    def balanced_accuracy(self) -> float:
        return sum(j + t for j, t in self.by_set.values()) / (2 * len(self.by_set))

    def mean(self, index: int) -> float:
        return sum(rates[index] for rates in self.by_set.values()) / len(self.by_set)


def _matrix(items: list[Item], families: Sequence[str]):
    from sklearn.feature_extraction.text import CountVectorizer

    from bot.checklist.checker import ReasonsChecker
    from bot.checklist.model import features
    from bot.knowledge.loader import load_knowledge

    checker = ReasonsChecker.for_knowledge(load_knowledge(ROOT / "knowledge"))
    negative = {(i.step, i.decision): checker.is_negative(i.step, i.decision) for i in items}
    feats = [sorted(features(i.step, i.decision, negative[i.step, i.decision], i.reasons, families)) for i in items]
    vectoriser = CountVectorizer(analyzer=lambda f: f, binary=True, min_df=_MIN_DF)
    return vectoriser, vectoriser.fit_transform(feats)


def _fit(x, y, C: float, drop_below: float = _DROP_BELOW):
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(class_weight="balanced", solver="liblinear", max_iter=5000, C=C).fit(x, y)
    fitted.coef_[abs(fitted.coef_) < drop_below] = 0  # as written: small weights are dropped from the file
    return fitted


def leave_one_set_out(items: list[Item], x, Cs: Sequence[float] = _CS) -> list[ByC]:
    """For each C, each set's rates from a model trained on every other set (and the tests' reasons).

    A reason that is in the left-out set is never trained on, even when another set repeats it.
    """
    import numpy as np

    y = np.array([i.tick_box for i in items], dtype=int)
    sets = sorted({i.source for i in items} - {TESTS_SOURCE})
    if len(sets) < 2:
        raise SystemExit("leave-one-set-out needs two labelled sets or more")
    out = []
    for C in Cs:
        by_set = {}
        for left_out in sets:
            test = np.array([i.source == left_out for i in items])
            texts = {(i.step, i.decision, i.reasons) for i, t in zip(items, test, strict=True) if t}
            train = np.array(
                [not t and (i.step, i.decision, i.reasons) not in texts for i, t in zip(items, test, strict=True)]
            )
            tick = _fit(x[train], y[train], C).predict_proba(x[test])[:, 1] >= 0.5
            truth = y[test] == 1
            by_set[left_out] = (float((~tick[~truth]).mean()), float(tick[truth].mean()))
        out.append(ByC(C, by_set))
    return out


def train(items: list[Item], families: Sequence[str] = FAMILIES, Cs: Sequence[float] = _CS) -> Trained:
    """C chosen by leave-one-set-out (the best mean balanced accuracy; a tie goes to the smaller C)."""
    import numpy as np

    vectoriser, x = _matrix(items, families)
    y = np.array([i.tick_box for i in items], dtype=int)
    scores = leave_one_set_out(items, x, Cs)
    best = max(scores, key=lambda s: (round(s.balanced_accuracy, 4), -s.C))
    fitted = _fit(x, y, best.C)
    names = vectoriser.get_feature_names_out()
    pairs = [(str(n), round(float(w), 4)) for n, w in zip(names, fitted.coef_[0], strict=True)]
    weights = dict(sorted(((n, w) for n, w in pairs if abs(w) >= _DROP_BELOW), key=lambda nw: (-abs(nw[1]), nw[0])))
    return Trained(
        intercept=round(float(fitted.intercept_[0]), 4),
        weights=weights,
        C=best.C,
        cross_validated={
            "balanced_accuracy": round(best.balanced_accuracy, 3),
            "justified_accepted": round(best.mean(0), 3),
            "tick_boxes_refused": round(best.mean(1), 3),
            "balanced_accuracy_by_set": {n: round((j + t) / 2, 3) for n, (j, t) in best.by_set.items()},
        },
        families=tuple(families),
    )


def compare(items: list[Item], candidates: Sequence[Sequence[str]] = COMPARED, Cs: Sequence[float] = _CS) -> None:
    """Print the leave-one-set-out figure of each choice of families at each C."""
    for families in candidates:
        _, x = _matrix(items, families)
        for s in leave_one_set_out(items, x, Cs):
            print(
                f"{' + '.join(families):70} C={s.C:<4g} balanced accuracy {s.balanced_accuracy:.4f} "
                f"(justified accepted {s.mean(0):.3f}, tick-boxes refused {s.mean(1):.3f}; {x.shape[1]} features)",
                flush=True,
            )


_HEADER = """\
# The reasons checker's second opinion, written by bench/train_checker.py: do not edit by hand.
# A logistic regression over the reasons' own words (bot/checklist/model.py), never the rules'
# names. It overrules the rules only as far as checker.yaml's model_veto and model_rescue allow
# (0: never), thresholds chosen with bench/calibrate_checker_model.py on a set it was never
# trained on. cross_validated: leave one set out (each set scored by a model trained on the
# others), the mean over the sets at the chosen C.
# weights: one row a feature, heaviest first; positive pulls towards a tick-box, negative
# towards a justified answer. The families listed in features:
#   w:WORD, b:WORD WORD  a word or word pair of the reasons (lower case, punctuation dropped)
#   c:GRAM               four letters in a row inside a word (< its start, > its end)
#   n:WORD               a word of reasons given for a negative option
#   s:STEP/WORD          a word of reasons given at that step
#   shape:...            length in words, a figure, a sum of money, a date, a name, bullets, a list,
#                        all lower case
#   option:...           the step and option, or whether the option is a negative one
"""


def render(trained: Trained, sources: list[str], n: int, today: dt.date) -> str:
    spec = {
        "model": (
            f"logistic regression, L2, C={trained.C:g} (chosen by leave-one-set-out), class-balanced, "
            f"features seen in {_MIN_DF} reasons or more, weights under {_DROP_BELOW} dropped"
        ),
        "trained": today,
        "trained_on": sources,
        "reasons": n,
        "cross_validated": trained.cross_validated,
        "features": list(trained.families),
        "intercept": trained.intercept,
    }
    table = "".join(f"{w:+.4f} {f}\n" for f, w in trained.weights.items())
    body = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=120)
    return _HEADER + body + "weights: |\n" + "".join(f"  {row}\n" for row in table.splitlines())


def _name(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", type=Path, action="append", default=[], help="another labelled set")
    parser.add_argument(
        "--tests",
        type=Path,
        default=CURATED_TESTS,
        help="the tests whose reasons to learn from (default: the checker's; tests/: all of them, slowly)",
    )
    parser.add_argument("--tests-from", type=Path, help="the tests' reasons as --save-tests wrote them")
    parser.add_argument("--save-tests", type=Path, help="write the tests' reasons, labelled by the rules, here")
    parser.add_argument("--no-tests", action="store_true", help="leave out the tests' reasons")
    parser.add_argument(
        "--features", nargs="+", choices=list(FEATURE_FAMILIES), default=list(FAMILIES), help="the families to read"
    )
    parser.add_argument("--compare", action="store_true", help="print leave-one-set-out for several families; no model")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args(argv)
    items: list[Item] = []
    sources = []
    for path in [*tuned_sets(), *args.sets]:
        loaded = load_set(path)
        items.extend(loaded)
        sources.append(f"{_name(path)} ({len(loaded)})")
    if not args.no_tests:
        if args.tests_from:
            curated, where = load_set(args.tests_from, TESTS_SOURCE), f"the tests' reasons in {_name(args.tests_from)}"
        else:
            curated, where = curated_items(args.tests), f"the reasons judged by {_name(args.tests)}"
        if args.save_tests:
            save_items(curated, args.save_tests)
        items.extend(curated)
        sources.append(f"{where}, labelled by the rules ({len(curated)})")
    items = list(unique(items))
    if args.compare:
        compare(items)
        return
    trained = train(items, args.features)
    args.out.write_text(render(trained, sources, len(items), dt.date.today()), encoding="utf-8")
    print(f"{args.out}: {len(trained.weights)} weights from {len(items)} reasons, C={trained.C:g}")
    print(f"leave-one-set-out: {trained.cross_validated}")


if __name__ == "__main__":
    main()
