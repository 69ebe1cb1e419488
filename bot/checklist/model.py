"""A second opinion on the rules' verdict from a small linear model over the reasons' words.

``bench/train_checker.py`` trains a class-balanced logistic regression on the
labelled reasons and writes it as knowledge/checker_model.yaml: a header saying
how, on what and when it was trained, which families of feature it reads, an
intercept, and one weight per feature, heaviest first. Here it is applied with a
dot product in plain Python. The features are the reasons' own words, never the
rules' or the elements' names, so the model does not change meaning when the
rules are tuned. The families (schema.FEATURE_FAMILIES, each feature's prefix):

* ``words`` (``w:WORD``) and ``pairs`` (``b:WORD WORD``): words and word pairs,
  cleaned as the checker cleans them;
* ``chars`` (``c:GRAM``): the 4-letter runs inside each word, its start and end
  marked ``<`` and ``>``, so a typo, a plural or a Welsh or Scots spelling still
  shares most of its weight with the usual word;
* ``negative-words`` (``n:WORD``): a word of reasons given for a negative option
  ("not relevant" weighs differently where it is the option's own claim);
* ``step-words`` (``s:STEP/WORD``): a word of reasons given at that step;
* ``shape`` (``shape:...``): length, a figure, a sum of money, a date, a name,
  bullets, a list, all lower case;
* ``option`` (``option:STEP/OPTION`` and ``option:negative`` or
  ``option:positive``): what the reasons are given for.

The file may also hold a ``stack``: a second logistic regression, trained only
on sets the rules were never tuned on, that reads the rules' verdict beside the
words model's log-odds (schema.STACK_FAMILIES): whether the rules accepted,
whether a refusal was soft, its primary problem, every rule that fired. It learns
when the rules are reliable, so it can overrule them either way.

The thresholds that let either overrule the rules live in checker.yaml
(``model_veto`` and ``model_rescue``, or ``model_stack_veto`` and
``model_stack_rescue``; 0 turns each off): see ``ReasonsChecker.check``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from bot.knowledge.schema import FIRST_FAMILIES, STACK_WORDS
from bot.matching.normalise import clean

_NAME = re.compile(r"(?<=[a-z,;)] )[A-Z]")
_MONEY = re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:k|m|bn|million)\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})[a-z]*\b|\b(?:{_MONTHS})[a-z]*\s+\d{{4}}\b"
    rf"|\b(?:19|20)\d\d\b|\bq[1-4]\b",
    re.IGNORECASE,
)
# How many of the heaviest features ``svbot checklist try`` lists.
_TOP = 8
# The verdict's rules when the model overrules the rules (the report counts disputes per rule).
VETO_RULE = "model:veto"
RESCUE_RULE = "model:rescued"
# The length of the letter runs of the ``chars`` family.
_GRAM = 4


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return next((f"<{e}" for e in edges if n < e), f">={edges[-1]}")


def _grams(word: str) -> set[str]:
    marked = f"<{word}>"
    return {marked[i : i + _GRAM] for i in range(max(1, len(marked) - _GRAM + 1))}


def features(
    step: str, decision: str, negative: bool, reasons: str, families: Collection[str] = FIRST_FAMILIES
) -> set[str]:
    """Every feature of ``families`` the model reads from the reasons and the option they are given for."""
    words = clean(reasons).split()
    feats: set[str] = set()
    if "words" in families:
        feats |= {f"w:{w}" for w in words}
    if "pairs" in families:
        feats |= {f"b:{a} {b}" for a, b in itertools.pairwise(words)}
    if "chars" in families:
        feats |= {f"c:{g}" for w in set(words) if not w.isdigit() for g in _grams(w)}
    if "negative-words" in families and negative:
        feats |= {f"n:{w}" for w in words}
    if "step-words" in families:
        feats |= {f"s:{step}/{w}" for w in words}
    if "shape" in families:
        feats |= _shape(reasons, len(words))
    if "option" in families:
        feats |= {f"option:{step}/{decision}", "option:negative" if negative else "option:positive"}
    return feats


def _shape(reasons: str, n_words: int) -> set[str]:
    feats = {f"shape:words{_bucket(n_words, (5, 10, 20, 40))}"}
    shapes = (
        ("figure", any(c.isdigit() for c in reasons)),
        ("money", bool(_MONEY.search(reasons))),
        ("name", bool(_NAME.search(reasons))),
        ("bullets", bool(_BULLET.search(reasons))),
        ("lower-case", reasons == reasons.lower()),
        ("date", bool(_DATE.search(reasons))),
        ("list", sum(reasons.count(c) for c in ",;") >= 3),  # themes or headline numbers in a row
    )
    return feats | {f"shape:{name}" for name, hit in shapes if hit}


def stack_features(accepted: bool, soft: bool, problems: Sequence[str], rules: Iterable[str]) -> set[str]:
    """What the stack reads of the rules' verdict (besides the words model's log-odds)."""
    feats = {"verdict:accepted" if accepted else "verdict:refused"}
    if not accepted:
        feats.add("verdict:soft" if soft else "verdict:hard")
        feats |= {f"problem:{p}" for p in problems[:1]}
    return feats | {f"rule:{r}" for r in rules}


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


def _pulls(present: list[tuple[str, float]], score: float) -> list[tuple[str, float]]:
    """The pulls towards the call first: towards a tick-box when it leans that way."""
    sign = 1 if score >= 0.5 else -1
    return sorted(present, key=lambda fw: (-sign * fw[1], fw[0]))[:_TOP]


@dataclass(frozen=True)
class ModelReading:
    """The model's view of one reason: P(tick-box) and the features that weighed most, by their pull.

    ``stacked``: the stack's P(tick-box) once it has read the rules' verdict too, and
    ``stacked_top`` its heaviest pulls (None: there is no stack, or it was not asked).
    """

    score: float
    top: list[tuple[str, float]]
    stacked: float | None = None
    stacked_top: list[tuple[str, float]] = field(default_factory=list)

    @property
    def log_odds(self) -> float:
        p = min(max(self.score, 1e-12), 1 - 1e-12)
        return math.log(p / (1 - p))

    def as_dict(self) -> dict:
        out: dict = {
            "p_tick_box": round(self.score, 3),
            "top": [{"feature": f, "weight": round(w, 3)} for f, w in self.top],
        }
        if self.stacked is not None:
            out["stacked"] = {
                "p_tick_box": round(self.stacked, 3),
                "top": [{"feature": f, "weight": round(w, 3)} for f, w in self.stacked_top],
            }
        return out


class CheckerModel:
    """An intercept and weights (positive: towards a tick-box), applied with a dot product."""

    def __init__(self, intercept: float, weights: dict[str, float], families: Collection[str] = FIRST_FAMILIES):
        self.intercept = intercept
        self.weights = weights
        self.families = tuple(families)

    def read(self, step: str, decision: str, negative: bool, reasons: str) -> ModelReading:
        feats = features(step, decision, negative, reasons, self.families)
        present = [(f, self.weights[f]) for f in feats if f in self.weights]
        score = _logistic(self.intercept + sum(w for _, w in present))
        return ModelReading(score, _pulls(present, score))


class StackedModel:
    """The rules' verdict and the words model's log-odds, weighed together (positive: towards a tick-box).

    ``words:if-accepted`` and ``words:if-refused`` weigh the log-odds where the rules
    accepted and where they refused: how far to trust the words against each verdict.
    """

    def __init__(self, intercept: float, weights: dict[str, float]):
        self.intercept = intercept
        self.weights = weights

    def read(self, verdict_features: Collection[str], accepted: bool, log_odds: float) -> tuple[float, list]:
        """P(tick-box) and the heaviest pulls, each feature's weight times its value."""
        present = [(f, self.weights[f]) for f in verdict_features if f in self.weights]
        words = STACK_WORDS[0] if accepted else STACK_WORDS[1]
        present.append((words, self.weights.get(words, 0.0) * log_odds))
        score = _logistic(self.intercept + sum(w for _, w in present))
        return score, _pulls(present, score)
