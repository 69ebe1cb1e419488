"""A small trained model of which entry a question is about, fused into the matcher's ranking.

``bench/train_matcher.py`` trains a logistic regression (scikit-learn) on the
entries' own titles, aliases, keywords and example questions and on the
development question sets (each one's out-of-scope questions as one more class,
``outside``), and writes it to knowledge/matcher_model.json: how, on what and
when it was trained, per entry a fingerprint of the text it learnt from, and one
weight per (feature, class). Here it is applied with sums in plain Python.

The features (``features``) are the question's terms as the matcher reads them
(glossary phrases joined, stopwords dropped, stemmed: ``t:TERM``), pairs of
neighbouring terms (``p:TERM TERM``), the four-letter runs inside its words,
stopwords left out (``c:GRAM``, start and end marked ``<`` ``>``), so a typo or an unusual form of a
word still shares most of its weight with the usual one, and pairs of neighbouring words with the
stopwords kept (``b:WORD WORD``): the phrasing ("can you calculate", "how much did our") says what a
question asks svbot to do, which tells as much as its subject whether svbot covers it.

The model is trained from the entries as they were: when an entry it knows is
edited, removed or added (its fingerprint differs), the model is stale and not
used, so the matcher ranks by its rules alone until it is trained again; `svbot
kb check` says so (``stale_entries``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.schema import Entry

MODEL_FILE = "matcher_model.json"
# The class of questions svbot does not cover (the sets' out_of_scope questions).
OUTSIDE = "outside"
# The length of the letter runs.
GRAM = 4


class ModelError(ValueError):
    """The model file is there but not a model (cut short, edited by hand)."""


def entry_fingerprint(entry: Entry) -> str:
    """A digest of the text of an entry the model learns from: a change to it makes the model stale."""
    text = json.dumps([entry.id, entry.title, entry.aliases, entry.keywords, entry.questions], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entry_samples(entry: Entry) -> list[str]:
    """The texts of an entry the model learns it from: its names together, then each example question."""
    return [" ".join([entry.title, *entry.aliases, *entry.keywords]), *entry.questions]


def _grams(word: str) -> set[str]:
    marked = f"<{word}>"
    return {marked[i : i + GRAM] for i in range(max(1, len(marked) - GRAM + 1))}


def features(terms: list[str], words: Iterable[str], phrasing: Sequence[str] = ()) -> set[str]:
    """The model's features of a question: its ``terms`` (in order, as the matcher reads them), their
    neighbouring pairs, the letter runs of its cleaned ``words`` (numbers left out), and the pairs of
    neighbouring words of its ``phrasing`` (every word, stopwords too: "can you", "how much", "our own").
    """
    feats = {f"t:{t}" for t in terms}
    feats |= {f"p:{a} {b}" for a, b in itertools.pairwise(terms)}
    feats |= {f"b:{a} {b}" for a, b in itertools.pairwise(phrasing)}
    feats |= {f"c:{g}" for w in set(words) if not w.isdigit() for g in _grams(w)}
    return feats


@dataclass(frozen=True)
class MatcherModel:
    """Classes (entry ids and ``outside``), their intercepts, and per feature its weights by class index."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, list[list]]  # per feature, its [class index, weight] pairs, as the file has them
    fingerprints: dict[str, str]

    @classmethod
    def from_json(cls, data: dict) -> MatcherModel:
        return cls(
            classes=tuple(data["classes"]),
            intercepts=tuple(float(b) for b in data["intercepts"]),
            weights=data["weights"],
            fingerprints=dict(data["entries"]),
        )

    @classmethod
    def load(cls, folder: Path) -> MatcherModel | None:
        """The model in ``folder``, or None when there is none; ``ModelError`` when it cannot be read."""
        path = folder / MODEL_FILE
        if not path.exists():
            return None
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as problem:
            message = f"{MODEL_FILE} cannot be read ({problem}): train it again with bench/train_matcher.py"
            raise ModelError(message) from None

    def stale_entries(self, entries: Iterable[Entry]) -> list[str]:
        """The ids of the entries added, removed or edited since the model was trained, sorted."""
        now = {e.id: entry_fingerprint(e) for e in entries}
        changed = {i for i, f in now.items() if self.fingerprints.get(i) != f}
        return sorted(changed | (self.fingerprints.keys() - now.keys()))

    def probabilities(self, feats: Iterable[str]) -> dict[str, float]:
        """P(class | question) for every class: a softmax over the summed weights."""
        logits = list(self.intercepts)
        try:
            for feat in feats:
                for i, w in self.weights.get(feat, ()):
                    logits[i] += w
        except (TypeError, ValueError, IndexError):
            return {}  # a hand-edited file: `svbot kb check` reports it; the rules rank alone
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}
