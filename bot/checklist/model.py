"""A second opinion on the rules' verdict from a small linear model over the reasons' words.

``bench/train_checker.py`` trains a class-balanced logistic regression on the
labelled reasons and writes it as knowledge/checker_model.yaml: a header saying
how, on what and when it was trained, an intercept, and one weight per feature,
heaviest first. Here it is applied with a dot product in plain Python. The
features are the reasons' own words, never the rules' or the elements' names,
so the model does not change meaning when the rules are tuned:

* ``w:WORD`` and ``b:WORD WORD``: words and word pairs, cleaned as the checker
  cleans them;
* ``shape:...``: length, a figure, a sum of money, a name, bullets, all lower case;
* ``option:STEP/OPTION`` and ``option:negative`` or ``option:positive``: what
  the reasons are given for.

The thresholds that let it overrule the rules live in checker.yaml
(``model_veto``, ``model_rescue``; 0 turns either off). See ``second_opinion``.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from bot.matching.normalise import clean

_NAME = re.compile(r"(?<=[a-z,;)] )[A-Z]")
_MONEY = re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:k|m|bn|million)\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)
# How many of the heaviest features ``svbot checklist try`` lists.
_TOP = 8
# The verdict's rules when the model overrules the rules (the report counts disputes per rule).
VETO_RULE = "model:veto"
RESCUE_RULE = "model:rescued"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return next((f"<{e}" for e in edges if n < e), f">={edges[-1]}")


def features(step: str, decision: str, negative: bool, reasons: str) -> set[str]:
    """Every feature the model reads: the reasons' words, word pairs and shape, and the option."""
    words = clean(reasons).split()
    feats = {f"w:{w}" for w in words} | {f"b:{a} {b}" for a, b in itertools.pairwise(words)}
    feats.add(f"shape:words{_bucket(len(words), (5, 10, 20, 40))}")
    shapes = (
        ("figure", any(c.isdigit() for c in reasons)),
        ("money", bool(_MONEY.search(reasons))),
        ("name", bool(_NAME.search(reasons))),
        ("bullets", bool(_BULLET.search(reasons))),
        ("lower-case", reasons == reasons.lower()),
    )
    feats |= {f"shape:{name}" for name, hit in shapes if hit}
    feats |= {f"option:{step}/{decision}", "option:negative" if negative else "option:positive"}
    return feats


@dataclass(frozen=True)
class ModelReading:
    """The model's view of one reason: P(tick-box) and the features that weighed most, by their pull."""

    score: float
    top: list[tuple[str, float]]

    def as_dict(self) -> dict:
        return {"p_tick_box": round(self.score, 3), "top": [{"feature": f, "weight": round(w, 3)} for f, w in self.top]}


class CheckerModel:
    """An intercept and weights (positive: towards a tick-box), applied with a dot product."""

    def __init__(self, intercept: float, weights: dict[str, float]):
        self.intercept = intercept
        self.weights = weights

    def read(self, step: str, decision: str, negative: bool, reasons: str) -> ModelReading:
        present = [(f, self.weights[f]) for f in features(step, decision, negative, reasons) if f in self.weights]
        z = self.intercept + sum(w for _, w in present)
        score = 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
        # The pulls towards the call come first: towards a tick-box when it leans that way.
        sign = 1 if score >= 0.5 else -1
        top = sorted(present, key=lambda fw: (-sign * fw[1], fw[0]))[:_TOP]
        return ModelReading(score, top)
