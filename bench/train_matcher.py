"""Train the matcher's model and write it as knowledge/matcher_model.json; measure it leave one set out.

A multinomial logistic regression (scikit-learn, L2) over the features of
bot/matching/model.py (the question's terms, pairs of neighbouring terms, the
letter runs inside its words, pairs of neighbouring words) to the entry the question is about, or
``outside`` for a question svbot does not cover. It learns from each entry's
own names and example questions and from every question set the matcher is
developed on (tests/data/questions*.yaml, bench/data/questions_*.yaml; never a
questions_heldout*.yaml): in-scope questions labelled with their first expected
entry (a follow-up joined to the question it follows, as the matcher reads it),
out-of-scope ones as ``outside``.

Each set was written by a different person, so ``--loso`` measures the design
leave one set out: per set, a model trained without it (entries and the other
sets) is fused into the matcher and the set is scored, for svbot without the
model, the model alone, and svbot with it at each lift
(matching.yaml's model_lift) and out-of-scope cut (model_outside) in ``--grid``.
It prints one table a set and the mean, and
chooses nothing by itself: the shipped weights are matching.yaml's.

    python bench/train_matcher.py [--loso] [--grid WEIGHT:CUT ...] [--c C] [--out FILE]

Needs scikit-learn (the ``bench`` extra); svbot itself only reads the JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path

from common import ROOT, load_items
from match_quality import DATA, DEV_SETS, EXTRA_SET, OOS_SET, TUNED_PATTERN, evaluate, rank_all, svbot_ranker

from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.matching.matcher import Matcher
from bot.matching.model import MODEL_FILE, OUTSIDE, MatcherModel, entry_fingerprint, entry_samples

OUT = ROOT / "knowledge" / MODEL_FILE
C = 4.0
# Features seen in fewer samples than this are dropped: one writer's odd word is not a pattern.
MIN_COUNT = 2
# Weights smaller than this are left out of the file: they move no ranking.
MIN_WEIGHT = 0.1
GRID = ("0:1", "0.3:0.8", "0.5:0.8", "0.5:0.9", "0.5:1", "0.7:0.8")


def question_sets() -> list[Path]:
    """Every set the matcher is developed on, one writer each, in a fixed order."""
    return [*DEV_SETS, EXTRA_SET, OOS_SET, *sorted(DATA.glob(TUNED_PATTERN))]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def set_samples(path: Path) -> list[tuple[str, str]]:
    """(text, label) of a set: in-scope questions with their first expected entry, the others ``outside``."""
    in_scope, out_of_scope = load_items(path)
    samples = [(f"{after} {q}" if after else q, expect[0]) for q, expect, after in in_scope if expect]
    return samples + [(q, OUTSIDE) for q in out_of_scope]


def entries_samples(kb: KnowledgeBase) -> list[tuple[str, str]]:
    return [(text, e.id) for e in kb.raw_entries for text in entry_samples(e)]


def train(matcher: Matcher, samples: list[tuple[str, str]], c: float = C, min_weight: float = MIN_WEIGHT) -> dict:
    """The fitted model as matcher_model.json holds it (without the header)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [dict.fromkeys(matcher.model_features(text), 1) for text, _ in samples]
    counts: dict[str, int] = {}
    for row in rows:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    rows = [{f: v for f, v in row.items() if counts[f] >= MIN_COUNT} for row in rows]
    vectoriser = DictVectorizer()
    x = vectoriser.fit_transform(rows)
    labels = [label for _, label in samples]
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, labels)
    classes = [str(k) for k in model.classes_]
    weights: dict[str, list[list]] = {}
    for j, feat in enumerate(vectoriser.get_feature_names_out()):
        row = [[i, round(float(model.coef_[i, j]), 3)] for i in range(len(classes))]
        row = [r for r in row if abs(r[1]) >= min_weight]
        if row:
            weights[str(feat)] = row
    return {
        "classes": classes,
        "intercepts": [round(float(b), 3) for b in model.intercept_],
        "weights": dict(sorted(weights.items())),
    }


def with_settings(kb: KnowledgeBase, lift: float, cut: float) -> KnowledgeBase:
    matching = kb.matching.model_copy(update={"model_lift": lift, "model_outside": cut})
    return dataclasses.replace(kb, matching=matching)


def model_alone(model: MatcherModel, matcher: Matcher, in_scope) -> float:
    """The model's own top-1 on a set's in-scope questions."""
    right = 0
    for q, expect, after in in_scope:
        p = model.probabilities(matcher.model_features(f"{after} {q}" if after else q))
        p.pop(OUTSIDE, None)
        right += max(p, key=p.__getitem__) in expect
    return right / max(len(in_scope), 1)


def loso(kb: KnowledgeBase, grid: list[str], c: float, min_weight: float) -> None:
    sets = question_sets()
    base = Matcher(with_settings(kb, 0.0, 1.0))
    table: dict[str, list[dict[str, float]]] = {}
    for held in sets:
        samples = entries_samples(kb) + [s for p in sets if p != held for s in set_samples(p)]
        data = train(base, samples, c, min_weight)
        data["entries"] = {e.id: entry_fingerprint(e) for e in kb.raw_entries}
        model = MatcherModel.from_json(data)
        in_scope, out_of_scope = load_items(held)
        print(f"\n== {_name(held)} left out: {len(in_scope)} in scope, {len(out_of_scope)} out of scope")
        print(f"{'system':24} {'top1':>6} {'rec@3':>6} {'MRR':>6} {'OOS ans':>8} {'in ans':>7}")
        alone = model_alone(model, base, in_scope)
        print(f"{'model alone':24} {alone:6.3f}")
        table.setdefault("model alone", []).append({"top1": alone})
        for setting in grid:
            lift, cut = (float(v) for v in setting.split(":"))
            matcher = Matcher(with_settings(kb, lift, cut), model=model)
            r = evaluate(rank_all(svbot_ranker(matcher), in_scope, out_of_scope), kb.matching.answer_threshold)
            name = "svbot" if lift == 0 else f"svbot+model {lift:g}/{cut:g}"
            table.setdefault(name, []).append(r)
            print(
                f"{name:24} {r['top1']:6.3f} {r['recall@3']:6.3f} {r['mrr']:6.3f} {r['oos_answered']:8.3f} "
                f"{r['in_answered']:7.3f}"
            )
    print(f"\n== mean over the {len(sets)} sets, each scored by a model trained without it (worst OOS answered)")
    for name, rows in table.items():
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}
        worst = max((r.get("oos_answered", 0.0) for r in rows), default=0.0)
        extra = (
            f"{mean['recall@3']:6.3f} {mean['mrr']:6.3f} {mean['oos_answered']:8.3f} {worst:6.3f}"
            if "recall@3" in mean
            else ""
        )
        print(f"{name:24} {mean['top1']:6.3f} {extra}")


def write(kb: KnowledgeBase, out: Path, c: float, min_weight: float) -> None:
    sets = question_sets()
    base = Matcher(with_settings(kb, 0.0, 1.0))
    samples = entries_samples(kb) + [s for p in sets for s in set_samples(p)]
    data = {
        "about": (
            "The matcher's trained model, written by bench/train_matcher.py: do not edit by hand. A logistic "
            "regression from a question's features (bot/matching/model.py: t: term, p: pair of terms, c: four "
            "letters of a word, b: pair of words) to the entry it is about or 'outside'. weights: per feature, "
            "[class index, weight] pairs; entries: per entry, a fingerprint of the text learnt from (a different "
            "one makes the model stale)."
        ),
        "model": f"logistic regression, L2, C={c:g}, features in {MIN_COUNT}+ samples, |weights| >= {min_weight:g}",
        "trained": dt.date.today().isoformat(),
        "trained_on": ["the entries' titles, aliases, keywords and example questions"]
        + [f"{_name(p)} ({len(set_samples(p))})" for p in sets],
        "entries": {e.id: entry_fingerprint(e) for e in kb.raw_entries},
        **train(base, samples, c, min_weight),
    }
    out.write_text(_readable_json(data), encoding="utf-8")
    print(f"wrote {out} ({len(data['weights'])} features, {len(samples)} samples)")


def _readable_json(data: dict) -> str:
    """JSON with one line a key, and one a feature in the weights (a diff shows which weights moved)."""

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows = ",\n".join(f"  {compact(k)}:{compact(v)}" for k, v in value.items())
            lines.append(f"{compact(key)}:{{\n{rows}\n}}")
        else:
            lines.append(f"{compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--loso", action="store_true", help="measure leave one set out instead of writing")
    parser.add_argument("--grid", nargs="+", default=list(GRID), help="model_lift:model_outside pairs to compare")
    parser.add_argument("--c", type=float, default=C, help="the regression's C")
    parser.add_argument("--min-weight", type=float, default=MIN_WEIGHT, help="smaller weights are left out")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    kb = load_knowledge(args.knowledge)
    if args.loso:
        loso(kb, args.grid, args.c, args.min_weight)
    else:
        write(kb, args.out, args.c, args.min_weight)


if __name__ == "__main__":
    main()
