"""Train the reasons checker's second opinion and write it as knowledge/checker_model.yaml.

A class-balanced logistic regression (scikit-learn; L2, its strength chosen by
5-fold cross-validation on balanced accuracy) over the features of
bot/checklist/model.py: the reasons' words, word pairs and shape, and the
option they are given for. No feature names a rule or an element, so the model
keeps its meaning while the rules are tuned.

It is trained on every labelled set in the repository the rules are tuned on
(tests/data/reasons.yaml and each bench/data/reasons_*.yaml; never a
reasons_heldout*.yaml), any set named with --set, and, unless --no-tests, the
reasons the tests judge (--tests: by default the checker's own,
tests/checklist/test_checker.py; tests/ for every test, which takes minutes),
labelled by the rules' verdict on them: the tests pass, so the rules are right
on them by design, and a model that agrees with them keeps them passing.

The thresholds that let the model overrule the rules are not set here: they are
checker.yaml's ``model_veto`` and ``model_rescue``, chosen on a set the rules were
never tuned on with bench/calibrate_checker_model.py.

    python bench/train_checker.py [--set FILE ...] [--tests PATH | --no-tests] [--out FILE]

Needs scikit-learn (the ``bench`` extra); svbot itself only reads the YAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from common import ROOT

DATA = ROOT / "bench" / "data"
TESTS_SET = ROOT / "tests" / "data" / "reasons.yaml"
CURATED_TESTS = ROOT / "tests" / "checklist" / "test_checker.py"
OUT = ROOT / "knowledge" / "checker_model.yaml"
_GRID = {"C": [0.1, 0.3, 1.0, 3.0, 10.0]}
_MIN_DF = 2  # a word or pair seen in one reason only is an anecdote
_DROP_BELOW = 0.005  # weights smaller than this change no verdict


@dataclass(frozen=True)
class Item:
    step: str
    decision: str
    reasons: str
    tick_box: bool


def tuned_sets(data: Path = DATA, tests_set: Path = TESTS_SET) -> list[Path]:
    """Every labelled set the rules are tuned on; a held-out set is never read."""
    return [tests_set, *(p for p in sorted(data.glob("reasons_*.yaml")) if not is_held_out(p))]


def is_held_out(path: Path) -> bool:
    return "heldout" in path.name


def load_set(path: Path) -> list[Item]:
    if is_held_out(path):
        raise SystemExit(f"{path} is held out: it is never trained on")
    return [
        Item(raw["step"], raw["decision"], str(raw["reasons"]).strip(), raw["label"] == "refuse")
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
    ]


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
    return [Item(s, d, r, not ok) for (s, d, r), ok in seen.items() if (s, d) in options]


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
    cross_validated: dict[str, float]


def train(items: list[Item], seed: int = 0) -> Trained:
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict

    from bot.checklist.checker import ReasonsChecker
    from bot.checklist.model import features
    from bot.knowledge.loader import load_knowledge

    checker = ReasonsChecker.for_knowledge(load_knowledge(ROOT / "knowledge"))
    feats = [sorted(features(i.step, i.decision, checker.is_negative(i.step, i.decision), i.reasons)) for i in items]
    y = np.array([i.tick_box for i in items], dtype=int)
    vectoriser = CountVectorizer(analyzer=lambda f: f, binary=True, min_df=_MIN_DF)
    x = vectoriser.fit_transform(feats)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    base = LogisticRegression(class_weight="balanced", solver="liblinear", max_iter=5000)
    search = GridSearchCV(base, _GRID, scoring="balanced_accuracy", cv=folds).fit(x, y)
    oof = cross_val_predict(search.best_estimator_, x, y, cv=folds, method="predict_proba")[:, 1] >= 0.5
    tick = y == 1
    names = vectoriser.get_feature_names_out()
    pairs = [(str(n), round(float(w), 4)) for n, w in zip(names, search.best_estimator_.coef_[0], strict=True)]
    weights = dict(sorted(((n, w) for n, w in pairs if abs(w) >= _DROP_BELOW), key=lambda nw: (-abs(nw[1]), nw[0])))
    return Trained(
        intercept=round(float(search.best_estimator_.intercept_[0]), 4),
        weights=weights,
        C=float(search.best_params_["C"]),
        cross_validated={
            "balanced_accuracy": round(float(search.best_score_), 3),
            "justified_accepted": round(float((~oof[~tick]).mean()), 3),
            "tick_boxes_refused": round(float(oof[tick].mean()), 3),
        },
    )


_HEADER = """\
# The reasons checker's second opinion, written by bench/train_checker.py: do not edit by hand.
# A logistic regression over the reasons' words, word pairs and shape, and the option they are
# given for (bot/checklist/model.py). It overrules the rules only as far as checker.yaml's
# model_veto and model_rescue allow (0: never), thresholds chosen with
# bench/calibrate_checker_model.py on a set the rules were never tuned on.
# weights: one row a feature, heaviest first; positive pulls towards a tick-box, negative
# towards a justified answer:
#   w:WORD, b:WORD WORD  a word or word pair of the reasons (lower case, punctuation dropped)
#   shape:...            length in words, a figure, a sum of money, a name, bullets, all lower case
#   option:...           the step and option, or whether the option is a negative one
"""


def render(trained: Trained, sources: list[str], n: int, today: dt.date) -> str:
    spec = {
        "model": f"logistic regression, L2, C={trained.C:g}, class-balanced, words appearing in 2 reasons or more",
        "trained": today,
        "trained_on": sources,
        "reasons": n,
        "cross_validated": trained.cross_validated,
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
    parser.add_argument("--no-tests", action="store_true", help="leave out the tests' reasons")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args(argv)
    items: list[Item] = []
    sources = []
    for path in [*tuned_sets(), *args.sets]:
        loaded = load_set(path)
        items.extend(loaded)
        sources.append(f"{_name(path)} ({len(loaded)})")
    if not args.no_tests:
        curated = curated_items(args.tests)
        items.extend(curated)
        sources.append(f"the reasons judged by {_name(args.tests)}, labelled by the rules ({len(curated)})")
    items = list(unique(items))
    trained = train(items)
    args.out.write_text(render(trained, sources, len(items), dt.date.today()), encoding="utf-8")
    print(f"{args.out}: {len(trained.weights)} weights from {len(items)} reasons, C={trained.C:g}")
    print(f"cross-validated: {trained.cross_validated}")


if __name__ == "__main__":
    main()
