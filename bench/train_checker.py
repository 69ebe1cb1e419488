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

It is trained on every labelled set in the repository (tests/data/reasons.yaml
and each bench/data/reasons_*.yaml, never a reasons_heldout*.yaml), any set
named with --set, and, unless --no-tests, the reasons the tests judge (--tests:
by default the checker's own, tests/checklist/test_checker.py; tests/ for every
test, which takes about 20 minutes), labelled by the verdict the tests saw (the
shipped checker's, or the rules' alone where a test turns the model off): the
tests pass, so those verdicts are right by design, and a model that agrees with
them keeps them passing. ``--save-tests FILE`` keeps those labelled
reasons, and ``--tests-from FILE`` reads them back instead of running the tests
again.

The stack. On the sets the rules were never tuned on (``HONEST``, or
``--honest``), the rules' verdict is honest, so a second, small regression
learns there when to trust it: it reads the rules' verdict (accepted or refused,
soft or hard, the primary problem, every rule fired) beside the words model's
log-odds, each honest set's log-odds from a words model trained without it. It
is written as the model file's ``stack:``. Its figures are leave-one-set-out
over the honest sets and nested: a set left out is scored by a stack trained on
the other honest sets, whose log-odds come from words models trained without
either set.

``--oof FILE`` writes, for every reason of the honest sets, the rules' verdict
and both models' out-of-fold scores; bench/calibrate_checker_model.py --oof FILE
--choose chooses the thresholds from them (pooled over the honest sets) and
compares the two ways of overruling the rules set by set. The thresholds
themselves are checker.yaml's ``model_veto``, ``model_rescue`` and
``model_stack``.

    python bench/train_checker.py [--set FILE ...] [--tests PATH | --tests-from FILE | --no-tests]
        [--save-tests FILE] [--honest NAME ...] [--oof FILE] [--features FAMILY ...] [--compare] [--out FILE] [--C C]

``--C`` skips the choice of C (the stack's is still chosen): a third of the fits, for a re-run
after a set is added, when the last run's choice is known.

Needs scikit-learn (the ``bench`` extra); svbot itself only reads the YAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
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
# The sets the rules were never tuned on: there the rules' verdict is honest, so the stack is trained
# and the thresholds are chosen on them (out of fold). Take a set out of this list once the rules are
# tuned on it.
HONEST = (
    "reasons_dev8.yaml",
    "reasons_dev10.yaml",
    "reasons_dev11.yaml",
    "reasons_dev12.yaml",
    "reasons_dev13.yaml",
    "reasons_dev14.yaml",
)
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


def labelled_sets(data: Path = DATA, tests_set: Path = TESTS_SET) -> list[Path]:
    """Every labelled set in the repository; a held-out set is never read."""
    return [tests_set, *(p for p in sorted(data.glob("reasons_*.yaml")) if not is_held_out(p))]


def is_held_out(path: Path) -> bool:
    return "heldout" in path.name


def load_set(path: Path, source: str = "") -> list[Item]:
    if is_held_out(path):
        raise SystemExit(f"{path} is never trained on: it is held out")
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
    """The reasons the tests in ``test_file`` judge, each labelled by the verdict the tests saw.

    The tests run in this process with ``ReasonsChecker.check`` watched. A call counts when
    its checker has the shipped rules and either the shipped model and thresholds (its
    verdict is the one the tests pass with, the model's say included) or no model thresholds
    at all (the rules alone); where both judged the same reasons, the shipped checker's
    verdict wins. Tests that judge with rules, models or thresholds of their own do not count.
    """
    import pytest

    from bot.checklist.checker import ReasonsChecker
    from bot.knowledge.loader import load_knowledge

    shipped = load_knowledge(ROOT / "knowledge")
    rules = _rules(shipped.checker)
    seen: dict[tuple[str, str, str], bool] = {}
    original = ReasonsChecker.check

    def watched(self, step, decision, reasons, record=()):
        verdict = original(self, step, decision, reasons, record)
        text = (reasons or "").strip()
        if not text or record or self.justification != shipped.justification:
            return verdict
        as_shipped = self.config == shipped.checker and self._model_file == shipped.checker_model
        if as_shipped or (self.config == rules and (step, decision, text) not in seen):
            seen[step, decision, text] = verdict.accepted
        return verdict

    class Watch:
        def pytest_sessionstart(self) -> None:
            ReasonsChecker.check = watched  # type: ignore[method-assign]

        def pytest_sessionfinish(self) -> None:
            ReasonsChecker.check = original  # type: ignore[method-assign]

    code = pytest.main([str(test_file), "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "--no-header"], [Watch()])
    if code != 0:
        raise SystemExit(f"the tests fail ({code}): fix them before training on the reasons they judge")
    options = {(s.id, o.id) for s in shipped.checklist.steps for o in s.options}
    return [Item(s, d, r, not ok, TESTS_SOURCE) for (s, d, r), ok in seen.items() if (s, d) in options]


def _rules(config):
    """checker.yaml without the model's thresholds: the rules alone."""
    thresholds = ("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue")
    return config.model_copy(update={name: 0 for name in thresholds if name in type(config).model_fields})


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
    how_C: str = "chosen by leave-one-set-out"


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


def train(items: list[Item], families: Sequence[str] = FAMILIES, Cs: Sequence[float] = _CS, matrix=None) -> Trained:
    """C chosen by leave-one-set-out (the best mean balanced accuracy; a tie goes to the smaller C).

    ``matrix``: ``_matrix(items, families)``, when the caller has it already.
    """
    import numpy as np

    vectoriser, x = matrix or _matrix(items, families)
    y = np.array([i.tick_box for i in items], dtype=int)
    scores = leave_one_set_out(items, x, Cs)
    best = max(scores, key=lambda s: (round(s.balanced_accuracy, 4), -s.C))
    fitted = _fit(x, y, best.C)
    names = vectoriser.get_feature_names_out()
    pairs = [(str(n), round(float(w), 4)) for n, w in zip(names, fitted.coef_[0], strict=True)]
    weights = dict(sorted(((n, w) for n, w in pairs if abs(w) >= _DROP_BELOW), key=_heaviest))
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
        how_C="chosen by leave-one-set-out" if len(Cs) > 1 else "as the last run chose it by leave-one-set-out",
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


def _fit_without(items: list[Item], x, y, left_out: set[str], C: float):
    """A words model trained on every reason but those of ``left_out`` (nor their copies in other sets)."""
    import numpy as np

    texts = {(i.step, i.decision, i.reasons) for i in items if i.source in left_out}
    train = np.array([i.source not in left_out and (i.step, i.decision, i.reasons) not in texts for i in items])
    return _fit(x[train], y[train], C)


@dataclass
class OutOfFold:
    """The words model's log-odds on each honest set from a model trained without it (``by_set``),
    and, for the stack's nested figures, on each honest set from one trained without it and
    another honest set (``nested[left_out, scored]``)."""

    by_set: dict[str, list[float]]
    nested: dict[tuple[str, str], list[float]]


def out_of_fold(items: list[Item], x, honest: Sequence[str], C: float) -> OutOfFold:
    import numpy as np

    y = np.array([i.tick_box for i in items], dtype=int)
    rows = {name: np.array([i.source == name for i in items]) for name in honest}
    by_set = {name: _fit_without(items, x, y, {name}, C).decision_function(x[rows[name]]).tolist() for name in honest}
    nested = {
        (left, name): _fit_without(items, x, y, {left, name}, C).decision_function(x[rows[name]]).tolist()
        for left in honest
        for name in honest
        if left != name
    }
    return OutOfFold(by_set, nested)


@dataclass(frozen=True)
class Judged:
    """One labelled reason and the rules' verdict on it, as the stack reads it."""

    item: Item
    accepted: bool
    soft: bool
    problems: tuple[str, ...]
    rules: tuple[str, ...]
    missing: tuple[str, ...]
    vetoable: bool
    overrulable: bool

    def stack_row(self, log_odds: float) -> dict[str, float]:
        from bot.checklist.model import stack_features
        from bot.knowledge.schema import STACK_WORDS

        row = dict.fromkeys(stack_features(self.accepted, self.soft, self.problems, self.rules), 1.0)
        row[STACK_WORDS[0] if self.accepted else STACK_WORDS[1]] = log_odds
        return row


def judge(items: list[Item]) -> list[Judged]:
    """The shipped rules' verdict on each reason, without the model."""
    from bot.checklist.checker import ReasonsChecker
    from bot.knowledge.loader import load_knowledge

    checker = ReasonsChecker.for_knowledge(load_knowledge(ROOT / "knowledge"))
    out = []
    for i in items:
        v = checker._check_rules(i.step, i.decision, i.reasons, ())
        out.append(
            Judged(
                i,
                v.accepted,
                checker._soft(v),
                tuple(v.problems),
                tuple(v.rules),
                tuple(v.missing),
                checker._vetoable(v),
                checker._overrulable(v),
            )
        )
    return out


def stack_decides(j: Judged, p_tick_box: float, threshold: float = 0.5) -> bool:
    """Whether the stack accepts: it refuses from ``threshold`` where the rules may be overruled."""
    if j.accepted:
        return not (j.vetoable and p_tick_box >= threshold)
    return j.overrulable and p_tick_box < threshold


def _fit_stack(rows: list[dict[str, float]], y: list[bool], C: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer(sparse=False)
    fitted = LogisticRegression(class_weight="balanced", solver="liblinear", max_iter=5000, C=C)
    return vectoriser, fitted.fit(vectoriser.fit_transform(rows), y)


@dataclass
class Stack:
    intercept: float
    weights: dict[str, float]  # heaviest first
    C: float
    cross_validated: dict[str, float | dict[str, float]]
    out_of_fold: dict[str, list[float]]  # each honest set's P(tick-box), from a stack trained without it
    trained_on: list[str]


def train_stack(judged: dict[str, list[Judged]], oof: OutOfFold, Cs: Sequence[float] = _CS) -> Stack:
    """The stack, C chosen by nested leave-one-set-out over the honest sets (rates at P = 0.5)."""
    names = sorted(judged)
    if len(names) < 2:
        raise SystemExit("the stack needs two sets the rules were never tuned on, or more")
    best: tuple[float, float, dict, dict] | None = None
    for C in Cs:
        by_set, p_by_set = {}, {}
        for left in names:
            rows = [
                j.stack_row(z) for n in names if n != left for j, z in zip(judged[n], oof.nested[left, n], strict=True)
            ]
            y = [j.item.tick_box for n in names if n != left for j in judged[n]]
            vectoriser, fitted = _fit_stack(rows, y, C)
            x_left = vectoriser.transform([j.stack_row(z) for j, z in zip(judged[left], oof.by_set[left], strict=True)])
            p = fitted.predict_proba(x_left)[:, 1].tolist()
            p_by_set[left] = p
            by_set[left] = _rates([(j, stack_decides(j, pt)) for j, pt in zip(judged[left], p, strict=True)])
        balanced = sum(a + r for a, r in by_set.values()) / (2 * len(by_set))
        if best is None or round(balanced, 4) > round(best[0], 4):
            best = (balanced, C, by_set, p_by_set)
    assert best is not None
    balanced, C, by_set, p_by_set = best
    rows = [j.stack_row(z) for n in names for j, z in zip(judged[n], oof.by_set[n], strict=True)]
    vectoriser, fitted = _fit_stack(rows, [j.item.tick_box for n in names for j in judged[n]], C)
    pairs = zip(vectoriser.get_feature_names_out(), fitted.coef_[0], strict=True)
    weights = dict(sorted(((str(f), round(float(w), 4)) for f, w in pairs if round(float(w), 4)), key=_heaviest))
    return Stack(
        intercept=round(float(fitted.intercept_[0]), 4),
        weights=weights,
        C=C,
        cross_validated={
            "balanced_accuracy": round(balanced, 3),
            "justified_accepted": round(sum(a for a, _ in by_set.values()) / len(by_set), 3),
            "tick_boxes_refused": round(sum(r for _, r in by_set.values()) / len(by_set), 3),
            "justified_accepted_by_set": {n: round(a, 3) for n, (a, _) in by_set.items()},
            "tick_boxes_refused_by_set": {n: round(r, 3) for n, (_, r) in by_set.items()},
        },
        out_of_fold=p_by_set,
        trained_on=[f"{n} ({len(judged[n])})" for n in names],
    )


def _heaviest(fw: tuple[str, float]) -> tuple[float, str]:
    return (-abs(fw[1]), fw[0])


def _rates(calls: list[tuple[Judged, bool]]) -> tuple[float, float]:
    """Justified reasons accepted and tick-boxes refused."""
    justified = [ok for j, ok in calls if not j.item.tick_box]
    ticks = [not ok for j, ok in calls if j.item.tick_box]
    return sum(justified) / max(len(justified), 1), sum(ticks) / max(len(ticks), 1)


def veto_asks(judged: list[Judged]) -> dict[str, str]:
    """For each option, the element its labelled tick-boxes the rules refused most often lacked."""
    counts: dict[str, Counter[str]] = {}
    for j in judged:
        if j.item.tick_box and not j.accepted:
            counts.setdefault(f"{j.item.step}/{j.item.decision}", Counter()).update(j.missing)
    return {key: c.most_common(1)[0][0] for key, c in sorted(counts.items()) if c}


_HEADER = """\
# The reasons checker's second opinion, written by bench/train_checker.py: do not edit by hand.
# A logistic regression over the reasons' own words (bot/checklist/model.py), never the rules'
# names. It overrules the rules only as far as checker.yaml's model_veto and model_rescue allow
# (0: never), or through the stack below (model_stack_veto, model_stack_rescue), thresholds chosen with
# bench/calibrate_checker_model.py on out-of-fold scores of sets the rules were never tuned on.
# cross_validated: leave one set out (each set scored by a model trained on the others), the
# mean over the sets at the chosen C.
# weights: one row a feature, heaviest first; positive pulls towards a tick-box, negative
# towards a justified answer. The families listed in features:
#   w:WORD, b:WORD WORD  a word or word pair of the reasons (lower case, punctuation dropped)
#   c:GRAM               four letters in a row inside a word (< its start, > its end)
#   n:WORD               a word of reasons given for a negative option
#   s:STEP/WORD          a word of reasons given at that step
#   shape:...            length in words, a figure, a sum of money, a date, a name, bullets, a list,
#                        all lower case
#   option:...           the step and option, or whether the option is a negative one
# veto_asks: for each STEP/OPTION, the element a refusal by the model asks for when the rules found
# every element: the one that option's labelled tick-boxes most often lacked.
# stack: a second regression, trained only on the sets the rules were never tuned on, over the
# rules' verdict and the words model's log-odds; it learns when to trust the rules. Its rows:
#   verdict:accepted|refused|soft|hard  what the rules decided (a refusal soft: only an
#                        element's cues or length; hard: a tick-box rule fired)
#   problem:NAME         the refusal's primary problem (prompts/checklist/problem.txt.j2)
#   rule:NAME            a rule that fired (checker.yaml; needs:ELEMENT, named:ELEMENT...)
#   words:if-accepted    times the words model's log-odds where the rules accepted
#   words:if-refused     times the words model's log-odds where the rules refused
"""


def render(
    trained: Trained,
    sources: list[str],
    n: int,
    today: dt.date,
    asks: dict[str, str] | None = None,
    stack: Stack | None = None,
) -> str:
    spec = {
        "model": (
            f"logistic regression, L2, C={trained.C:g} ({trained.how_C}), class-balanced, "
            f"features seen in {_MIN_DF} reasons or more, weights under {_DROP_BELOW} dropped"
        ),
        "trained": today,
        "trained_on": sources,
        "reasons": n,
        "cross_validated": trained.cross_validated,
        "features": list(trained.families),
        "intercept": trained.intercept,
    }
    body = _dump(spec) + "weights: |\n" + _table(trained.weights, "  ")
    if asks:
        body += _dump({"veto_asks": asks})
    if stack:
        head = {
            "model": (
                f"logistic regression, L2, C={stack.C:g} (chosen by nested leave-one-set-out over the sets it is "
                "trained on), class-balanced; each set's log-odds from a words model trained without it"
            ),
            "trained_on": stack.trained_on,
            "reasons": sum(len(p) for p in stack.out_of_fold.values()),
            "cross_validated": stack.cross_validated,
            "intercept": stack.intercept,
        }
        body += "stack:\n" + "".join(f"  {row}\n" for row in _dump(head).splitlines())
        body += "  weights: |\n" + _table(stack.weights, "    ")
    return _HEADER + body


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def _table(weights: dict[str, float], indent: str) -> str:
    return "".join(f"{indent}{w:+.4f} {f}\n" for f, w in weights.items())


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
    parser.add_argument(
        "--save-tests", type=Path, help="write the tests' reasons, labelled as the tests judged them, here"
    )
    parser.add_argument("--no-tests", action="store_true", help="leave out the tests' reasons")
    parser.add_argument(
        "--features", nargs="+", choices=list(FEATURE_FAMILIES), default=list(FAMILIES), help="the families to read"
    )
    parser.add_argument("--compare", action="store_true", help="print leave-one-set-out for several families; no model")
    parser.add_argument(
        "--honest", nargs="+", default=list(HONEST), help="the sets the rules were never tuned on (the stack's)"
    )
    parser.add_argument("--no-stack", action="store_true", help="write the words model only")
    parser.add_argument("--oof", type=Path, help="write the honest sets' out-of-fold scores here (for calibration)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    parser.add_argument(
        "--C", type=float, dest="C", help="the words model's C, not chosen (leave-one-set-out at it alone): quicker"
    )
    args = parser.parse_args(argv)
    items: list[Item] = []
    sources = []
    # The honest sets first: a reason they share with another set counts as theirs (``unique``).
    paths = sorted([*labelled_sets(), *args.sets], key=lambda path: path.name not in args.honest)
    for path in paths:
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
        sources.append(f"{where}, labelled as the tests judged them ({len(curated)})")
    items = list(unique(items))
    if args.compare:
        compare(items)
        return
    matrix = _matrix(items, args.features)
    trained = train(items, args.features, Cs=[args.C] if args.C else _CS, matrix=matrix)
    print(f"words model: {len(trained.weights)} weights from {len(items)} reasons, C={trained.C:g}", flush=True)
    print(f"  leave-one-set-out: {trained.cross_validated}", flush=True)
    judged = judge(items)
    honest = [name for name in args.honest if any(i.source == name for i in items)]
    stack = oof = None
    if not args.no_stack:
        oof = out_of_fold(items, matrix[1], honest, trained.C)
        by_set = {name: [j for j in judged if j.item.source == name] for name in honest}
        stack = train_stack(by_set, oof)
        print(f"stack: {len(stack.weights)} weights from {', '.join(stack.trained_on)}, C={stack.C:g}")
        print(f"  nested leave-one-set-out at P(tick-box) 0.5: {stack.cross_validated}")
    text = render(trained, sources, len(items), dt.date.today(), veto_asks(judged), stack)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    if args.oof and stack and oof:
        write_oof(args.oof, [j for j in judged if j.item.source in honest], oof, stack)
        print(f"out-of-fold scores of {', '.join(honest)} written to {args.oof}")


def write_oof(path: Path, judged: list[Judged], oof: OutOfFold, stack: Stack) -> None:
    """Each honest reason, the rules' verdict and both models' out-of-fold P(tick-box), as JSON."""
    import json
    import math

    position: dict[str, int] = Counter()
    rows = []
    for j in judged:
        name, k = j.item.source, position[j.item.source]
        position[name] += 1
        rows.append(
            {
                "set": name,
                "step": j.item.step,
                "decision": j.item.decision,
                "reasons": j.item.reasons,
                "label": "refuse" if j.item.tick_box else "accept",
                "accepted": j.accepted,
                "soft": j.soft,
                "vetoable": j.vetoable,
                "overrulable": j.overrulable,
                "p_words": 1 / (1 + math.exp(-oof.by_set[name][k])),
                "p_stack": stack.out_of_fold[name][k],
            }
        )
    path.write_text(json.dumps(rows, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
