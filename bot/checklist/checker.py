"""Refuse tick-box reasons; accept reasons that explain the decision.

Reasons are judged on whether they *explain the decision*, not on how many
specific-looking tokens they hold. For each step and option,
``justification.yaml`` lists the elements a justified answer addresses (for
``process/not-pursued``: the constraint that rules it out, and what is done
instead), each recognised by cues an admin can read and tune.

A check runs in four parts:

1. ``_unreadable``: empty, too long, gibberish or repetitive reasons stop here.
2. ``_read``: the reasons are split into sentences and each is sorted: set
   aside if it is boilerplate, pasted policy, the law restated, a supplier's
   credentials, a hedge, a bare reference, a list of buzzwords or mere
   decoration (a place, a value, a date, a reference, an organisation's name);
   otherwise kept. Decoration never counts as substance, so "Not relevant
   2027 Rochdale £1m" is still a dismissal.
3. ``_elements``: the option's elements are looked for in the kept sentences.
4. ``_rules``: the tick-box rules that fired (in checker.yaml), which explain
   a refusal and, for urgency of the authority's own making, a claim that no
   social value duty applies at all, grounds carried over from an earlier
   procurement, or words that undercut the option chosen (its ``contradicts``
   in justification.yaml, unless words that lift them are there too), block
   it. Reasons missing one element may be accepted on their substance, but
   not when they answer another step instead.

A refusal names the primary problem, the elements still missing and one
precise question; ``Verdict.rules`` lists every rule that fired, for
``svbot checklist try`` and the per-rule report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.checklist.model import RESCUE_RULE, VETO_RULE, CheckerModel, ModelReading, StackedModel, stack_features
from bot.knowledge.schema import (
    STACK_KINDS,
    CheckerFile,
    CheckerModelFile,
    ChecklistStep,
    Contradiction,
    JustificationFile,
    JustifiedOption,
    parse_weights,
)
from bot.matching.normalise import clean

if TYPE_CHECKING:
    from bot.knowledge.loader import KnowledgeBase

_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+[-–—]\s+|^\s*[-*•]\s+", re.MULTILINE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONEY = r"£\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?\b|\b\d[\d,.]*\s?(?:k|m|bn|million|billion)\b"
_DATE = (
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
    r"|\b(?:[0-2]?\d|3[01])/(?:0?[1-9]|1[0-2])\b(?![/.]\d)"  # a day and month without the year: "agreed 28/11"
    r"|\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r"(?:\s+(?:19|20)\d\d)?|\b"
    + _MONTH
    + r"\s+(?:19|20)\d\d\b"
)
_YEAR = r"\b(?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?\b"
_NUMBER_WORD = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SEASON = r"(?:spring|summer|autumn|winter|new year)"
_PERIOD = (
    rf"\b(?:next|this|following)\s+(?:week|month|year|quarter|term|{_DAY}|{_SEASON})\b"
    rf"|\bin\s+the\s+{_SEASON}\b|\bthe\s+{_SEASON}\b|\b(?:by|on|until|before)\s+{_DAY}\b|\b{_DAY}\b"
    rf"|\bend\s+of\s+(?:the|this|next)\s+(?:week|month|year|quarter|term)\b|\bfortnight\b|\btomorrow\b"
    rf"|\b{_NUMBER_WORD}\s+(?:days?|weeks?|months?)\b|\bq[1-4]\b"
)
_DURATION = (
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)[- ]"
    r"(?:days?|weeks?|months?|years?)\b"
)
_MONTH_NAME = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b"
)
# A sum under £100,000 ("£38k", "£12,500", "£9k"): below every services threshold, whatever the body.
# `svbot kb check` refuses a threshold in facts.yaml, in force today or later, that is not above it
# (SMALL_SUM_CEILING in bot/knowledge/checks.py: change both together).
_SMALL_SUM = (
    r"£\s?(?:\d{1,2}(?:\.\d+)?\s?k\b|\d{1,2},\d{3}\b(?![,.]\d)|\d{1,5}\b(?![,.]\d)(?!\s?(?:k|m|bn|million|billion)\b))"
)
_SPECIAL = {
    "{money}": _MONEY,
    "{small-sum}": _SMALL_SUM,
    "{date}": _DATE,
    "{period}": _PERIOD,
    "{duration}": _DURATION,
    "{month}": _MONTH_NAME,
}
# Decoration: sums, dates, figures, reference codes and citations say nothing on their own.
_DECORATION = re.compile(
    rf"{_MONEY}|{_DATE}|{_YEAR}|\b[a-z]*[-/.]?\d[\w./-]*|\bs\.?\s?\d+\s*(?:\(\s*\w+\s*\))*|\([^()]*\d[^()]*\)",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d")
# How sure someone is ("100% sure", "90 per cent certain"): a figure that commits to nothing.
_CERTAINTY = re.compile(r"\b\d+\s*(?:%|per\s*cent)\s+(?:sure|certain|confident)\b")
# When and where, not how many: a date, a year, a reference code or a bracketed aside beside a hedge
# ("a future meeting (ref PB-2026-12)", "further work at its meeting on 4 December") commits to nothing.
_STAMP = re.compile(rf"{_DATE}|{_YEAR}|\([^()]*\)|\b[a-z]+[-/]\d[\w/-]*", re.IGNORECASE)
# Where one clause of a sentence ends and another begins: ", and", ", but", ", so".
_CLAUSE = re.compile(r",\s+(?:and|but|so|while|whereas|although|though)\s+", re.IGNORECASE)
# Words by which a clause speaks of this procurement or this authority rather than of the law in general.
_OWN = re.compile(
    r"\b(?:this|it|its|it's|we|we're|our|ours|here|the (?:council|trust|authority|board|department)(?:['’]s)?)(?!\w)",
    re.IGNORECASE,
)
# An organisation's name ("Salford City Council's", "the Council's"): it says who, never why.
_ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w&.'’-]*\s+){0,4}(?:Council|Authority|Trust|Board|Government|Executive|Department|Agency)"
    r"(?:['’]s)?(?![\w'’])"
)
# Prepositions that join a stock phrase ("value for money") rather than make a clause.
_JOINERS = {"for", "of", "to", "in", "with"}
# A counted item ("one work placement"): a commitment, not a buzzword.
# "this one", "the one" and "each one" point at something, "one-to-one" is a manner; they count nothing.
_QUANTITY = re.compile(
    r"(?<!-)(?<!\bthis )(?<!\bthat )(?<!\bthe )(?<!\beach )(?<!\bany )(?<!\bno )"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a single)\s+\w",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[a-z,;)] )[A-Z]")  # a capital inside a sentence: a place, a body, a person
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_VOWELS = set("aeiouy")
_LINKS = {
    "for",
    "with",
    "to",
    "from",
    "by",
    "of",
    "in",
    "on",
    "that",
    "so",
    "because",
    "not",
    "no",
    "a",
    "the",
    "will",
    "is",
    "are",
    "we",
    "our",
    "they",
    "when",
    "which",
    "as",
    "at",
    "into",
    "only",
    "if",
    "above",
    "below",
    "over",
    "under",
    "after",
    "before",
    "within",
    "than",
    "per",
    "via",
    # pronouns and auxiliaries make an item a clause, not a heading: "tendering it ourselves"
    "it",
    "its",
    "us",
    "ourselves",
    "them",
    "their",
    "this",
    "these",
    "be",
    "was",
    "were",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
}


def _cue_pattern(cue: str) -> str:
    """One cue as a regular expression over lower-case text (see justification.yaml)."""
    parts = []
    for chunk in _lower(cue).split("~"):
        words = []
        for word in chunk.split():
            if word in _SPECIAL:
                words.append(f"(?:{_SPECIAL[word]})")
            elif word.endswith("*") and len(word) > 1:
                words.append(re.escape(word[:-1]) + r"[\w'-]*")
            else:
                words.append(re.escape(word))
        parts.append(r"\s+".join(words))
    return r"(?:\s+\S+){0,3}\s+".join(parts)


def _compile(cues: Iterable[str]) -> re.Pattern[str] | None:
    """All cues in one pattern; the word boundaries are checked once, outside the alternation."""
    patterns = [_cue_pattern(c) for c in cues if c.strip()]
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE) if patterns else None


# Words repeat across reasons; cleaning each once keeps ``check`` fast.
_clean_word = lru_cache(maxsize=8192)(clean)


# Contractions spelt out, in cues and reasons alike, so "can't" matches "cannot" and "we'll ask" "we will ask".
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "cannot"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"\b(i|we|you|they)'d\b"), r"\1 would"),
    (re.compile(r"\bi'm\b"), "i am"),
)
# The same written without the apostrophe ("cant", "doesnt"), as typed in a hurry; "wont" and "shant"
# are left alone (words of their own).
_BARE_CONTRACTIONS = re.compile(r"\b(?:cant|(?:do|does|did|is|are|was|were|has|have|had|could|would|should)nt)\b")


def _spell_bare(match: re.Match[str]) -> str:
    word = match.group()
    return "cannot" if word == "cant" else word[:-2] + " not"


def _lower(text: str) -> str:
    low = text.replace("’", "'").lower()
    if "'" in low:
        for pattern, spelt in _CONTRACTIONS:
            low = pattern.sub(spelt, low)
    if "nt" in low:
        low = _BARE_CONTRACTIONS.sub(_spell_bare, low)
    return low


@dataclass(frozen=True)
class Verdict:
    """The checker's finding on one reason.

    ``problems``: the primary problem code, one of ``PROBLEMS`` (rendered by
    prompts/checklist/problem.txt.j2); ``elements``: the elements found; ``missing``:
    those still needed; ``says``: each element's plain description; ``question``: the
    one question a refusal asks; ``rules``: every rule that fired (tick-box rules by
    name, missing elements as ``needs:<element>``); ``signals``: the words that
    counted as substance; ``admits``: what reasons that undercut the option admit
    (the option's ``contradicts``), for that refusal's explanation; ``answers``: the
    other step that reasons written for it answer instead; ``model``: the trained
    model's reading, when it was asked (it overruled the rules if the rules say
    ``model:veto`` or ``model:rescued``).
    """

    accepted: bool
    problems: list[str]
    elements: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    says: dict[str, str] = field(default_factory=dict)
    question: str = ""
    rules: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    admits: str = ""
    answers: str = ""
    model: ModelReading | None = None


@dataclass
class _Reading:
    """What the reasons say once boilerplate and decoration are set aside."""

    text: str
    words: list[str]
    kept: list[str]
    set_aside: dict[str, list[str]]
    substance: list[str]
    decorated: bool
    cued: list[str] = field(default_factory=list)  # the kept sentences as cues read them (``_for_cues``)


# The order in which problems explain a refusal: the first that fired is shown.
_EXPLAINED_BY = (
    "own_urgency",
    "contradiction",
    "other_step",
    "overclaim",
    "earlier_grounds",
    "earlier_procurement",
    "dismissal",
    "reference",
    "empty_numbers",
    "framework_names",
    "buzzwords",
    "pasted_policy",
    "plans_named",
    "credentials",
    "restated_law",
    "hedged",
    "concluded_at_length",
    "unexplained_conclusion",
    "boilerplate",
    "decoration",
    "too_short",
    "themes_only",
    "long_generic",
    "missing_element",
)
# The trained model's refusal of reasons the rules accepted (checker.yaml's model_veto).
MODEL_VETO = "model_veto"
# What a soft refusal may carry for the model to accept it (checker.yaml's model_rescue):
# an element whose cues did not match, or length; never a tick-box rule.
_SOFT_PROBLEMS = {"missing_element", "long_generic"}
_SOFT_RULES = ("needs:", "recorded:", "moot:", "long_generic")
# Refusals the stack never overrules (model_stack_rescue): reasons that cannot be read, or that admit the opposite.
_NEVER_OVERRULED = {"empty", "too_long", "gibberish", "repetition", "contradiction"}
# Rules that refuse reasons whatever else they say; the others explain a refusal.
_BLOCKING = {
    "own_urgency",
    "dismissal",
    "contradiction",
    "concluded_at_length",
    "overclaim",
    "earlier_grounds",
    "themes_only",
    "too_short",
}
# Reasons for an option justification.yaml does not cover need this many words of substance.
_MIN_SUBSTANCE = 3
# What a checklist's own record can show, for elements ``recorded_by`` it (justification.yaml):
# the step is answered by the named decision maker; a revisit date is set; the answer is given
# before the procurement's recorded start.
RECORD_FACTS = ("decision-maker", "revisit-date", "before-start")
# Every problem code a verdict can carry, each explained by prompts/checklist/problem.txt.j2.
PROBLEMS = ("empty", "too_long", "gibberish", "repetition", *_EXPLAINED_BY, MODEL_VETO)


class ReasonsChecker:
    """Built once per knowledge snapshot; ``check`` is pure and thread-safe."""

    def __init__(
        self,
        config: CheckerFile,
        steps: list[ChecklistStep],
        stopwords: list[str],
        justification: JustificationFile,
        model: CheckerModelFile | None = None,
    ):
        self.config = config
        self.justification = justification
        self._model_file = model
        self._model: CheckerModel | None = None
        self._stack: StackedModel | None = None
        self._boilerplate = [clean(p) for p in config.boilerplate if clean(p)]
        self._stop = {clean(w) for w in stopwords}
        self._filler = {clean(w) for w in config.filler_words}
        self._restating = {clean(w) for w in config.restating_words}
        self._generic = {clean(w) for w in config.generic_words} | self._stop | self._restating
        self._themes = {w for t in config.theme_words for w in clean(t).split()}
        self._steps = {s.id: s for s in steps}
        self._questions = {s.id: clean(s.question) for s in steps}
        self._hints = {s.id: [h for h in (clean(h) for h in s.hints) if h] for s in steps}
        # A pointer to another step of this checklist ("see outcomes"): the reason is in this record.
        ids = "|".join(re.escape(clean(s.id)) for s in steps)
        self._step_pointer = re.compile(rf"\b(?:see|as per|per)\s+(?:the\s+)?(?:{ids})(?:\s+step)?(?=\s*(?:[).,;:]|$))")
        self._step_words = {
            s.id: {
                w for text in (s.title, s.question, s.help, *(o.label for o in s.options)) for w in clean(text).split()
            }
            for s in steps
        }
        # Each step's own words: those of its text that at most one other step's text shares.
        shared = Counter(w for words in self._step_words.values() for w in words)
        self._own_words = {
            step: {w for w in words if shared[w] <= 2 and w not in self._stop and len(w) > 2}
            for step, words in self._step_words.items()
        }
        elements = justification.elements
        self._cues = {
            name: _compile([*e.cues, *(c for other in e.like for c in elements[other].cues)])
            for name, e in elements.items()
        }
        self._says = {name: e.says for name, e in justification.elements.items()}
        self._recorded_by = {name: e.recorded_by for name, e in elements.items() if e.recorded_by}
        self._essential = {name for name, e in elements.items() if e.essential}
        self._rules = {
            name: _compile(getattr(config, name))
            for name in (
                "dismissals",
                "references",
                "framework_names",
                "plans_named",
                "empty_numbers",
                "policy_speak",
                "own_urgency",
                "fixed_dates",
                "earlier_procurement",
                "earlier_grounds",
                "earlier_grounds_lifted",
                "unexplained",
                "restated_law",
                "hedges",
                "overclaims",
                "overclaims_lifted",
                "credentials",
                "credentials_checked",
            )
        }
        self._contradicts = {
            (step, name): [(c, _compile(c.cues), _compile(c.unless)) for c in option.contradicts]
            for step, options in justification.steps.items()
            for name, option in options.items()
            if option.contradicts
        }

    @classmethod
    def for_knowledge(cls, kb: KnowledgeBase) -> ReasonsChecker:
        """The checker for one knowledge snapshot."""
        return cls(kb.checker, kb.checklist.steps, kb.matching.stopwords, kb.justification, kb.checker_model)

    @property
    def model(self) -> CheckerModel | None:
        """The trained second opinion, read from its file on first use (None: there is none)."""
        if self._model is None and self._model_file is not None:
            spec = self._model_file
            self._model = CheckerModel(spec.intercept, parse_weights(spec.weights), spec.features)
        return self._model

    @property
    def stack(self) -> StackedModel | None:
        """The model file's stack, read on first use (None: there is none)."""
        if self._stack is None and self._model_file is not None and self._model_file.stack is not None:
            spec = self._model_file.stack
            self._stack = StackedModel(spec.intercept, parse_weights(spec.weights, STACK_KINDS))
        return self._stack

    def model_reading(self, step: str, decision: str, reasons: str | None) -> ModelReading | None:
        """What the trained model makes of the reasons, whether or not it may overrule the rules."""
        model = self.model
        text = (reasons or "").strip()
        return model.read(step, decision, self.is_negative(step, decision), text) if model and text else None

    def stacked_reading(self, step: str, decision: str, reasons: str | None, verdict: Verdict) -> ModelReading | None:
        """The words model's reading with the stack's, which weighs it beside the rules' ``verdict``."""
        reading = self.model_reading(step, decision, reasons)
        stack = self.stack
        if reading is None or stack is None:
            return reading
        feats = stack_features(verdict.accepted, self._soft(verdict), verdict.problems, verdict.rules)
        score, top = stack.read(feats, verdict.accepted, reading.log_odds)
        return replace(reading, stacked=score, stacked_top=top)

    def is_negative(self, step: str, decision: str) -> bool:
        spec = self._steps.get(step)
        return bool(spec and any(o.id == decision and o.negative for o in spec.options))

    def option(self, step: str, decision: str) -> JustifiedOption | None:
        """What reasons for this option must address (None: judged on substance alone)."""
        return self.justification.steps.get(step, {}).get(decision)

    # -- the check, in four parts -----------------------------------------------------

    def check(self, step: str, decision: str, reasons: str | None, record: Collection[str] = ()) -> Verdict:
        """Judge ``reasons`` given for ``decision`` at ``step``: the rules, then the trained model's say.

        ``record``: what the checklist's own record already shows (``RECORD_FACTS``); an
        element ``recorded_by`` one of them needs no words in the reasons, and the
        verdict's rules say so (``recorded:<element>``).
        """
        verdict = self._check_rules(step, decision, reasons, record)
        if self.config.stacked:
            return self._stacked(step, decision, reasons, verdict)
        veto, rescue = self.config.model_veto, self.config.model_rescue
        if not (veto and self._vetoable(verdict)) and not (rescue and self._soft(verdict)):
            return verdict
        reading = self.model_reading(step, decision, reasons)
        if reading is None:
            return verdict
        if self._vetoable(verdict) and reading.score >= veto:
            return self._veto(step, decision, verdict, reading)
        if not verdict.accepted and 1 - reading.score >= rescue:
            return self._rescue(verdict, reading)
        return replace(verdict, model=reading)

    def _stacked(self, step: str, decision: str, reasons: str | None, verdict: Verdict) -> Verdict:
        """The stack's call (checker.yaml's model_stack_veto and model_stack_rescue), either way."""
        veto, rescue = self.config.model_stack_veto, self.config.model_stack_rescue
        if not (veto and self._vetoable(verdict)) and not (rescue and self._overrulable(verdict)):
            return verdict
        reading = self.stacked_reading(step, decision, reasons, verdict)
        if reading is None or reading.stacked is None:
            return verdict
        if verdict.accepted and reading.stacked >= veto:
            return self._veto(step, decision, verdict, reading)
        if not verdict.accepted and 1 - reading.stacked >= rescue:
            return self._rescue(verdict, reading)
        return replace(verdict, model=reading)

    def _veto(self, step: str, decision: str, verdict: Verdict, reading: ModelReading) -> Verdict:
        """Nothing in the reasons ties the decision to this procurement: name the element most likely
        missing and ask for it."""
        lacking = self._likely_missing(step, decision, verdict)
        found = [e for e in verdict.elements if e not in lacking]
        rules = [*verdict.rules, VETO_RULE]
        refusal = self._refusal(self.option(step, decision), [MODEL_VETO], found, rules, lacking)
        return replace(refusal, signals=verdict.signals, model=reading)

    def _likely_missing(self, step: str, decision: str, verdict: Verdict) -> list[str]:
        """The element a vetoed answer most likely lacks: one the rules took on weaker evidence than
        its cues (accepted on substance, named beside another, moot), else the one the labelled
        tick-boxes for this option most often lacked (checker_model.yaml's veto_asks)."""
        option = self.option(step, decision)
        weak = [r.partition(":")[2] for r in verdict.rules if r.startswith(("unrecognised:", "named:", "moot:"))]
        usual = self._model_file.veto_asks.get(f"{step}/{decision}") if self._model_file else None
        needs = option.needs if option else []
        return next(([e] for e in [*weak, usual] if e and e in needs), [])

    def _rescue(self, verdict: Verdict, reading: ModelReading) -> Verdict:
        """Accepted over the rules' refusal: the rules that fired stay listed, for admins to tune."""
        # unrecognised:ELEMENT, as for an acceptance on substance: which element's cues to extend.
        rules = [RESCUE_RULE, *(f"unrecognised:{m}" for m in verdict.missing)]
        rules += [r for r in verdict.rules if r.startswith(("recorded:", "moot:"))]
        rules += [f"overruled:{r}" for r in verdict.rules if not r.startswith(_SOFT_RULES)]
        says = self.says(verdict.elements)
        return Verdict(
            True, [], elements=verdict.elements, says=says, rules=rules, signals=verdict.signals, model=reading
        )

    @staticmethod
    def _overrulable(verdict: Verdict) -> bool:
        """Refused for something the stack may weigh: never unreadable reasons, nor reasons that
        admit the opposite of the option chosen (a contradiction stands, however the words read)."""
        return not verdict.accepted and not set(verdict.problems) & _NEVER_OVERRULED

    @staticmethod
    def _vetoable(verdict: Verdict) -> bool:
        """Accepted on the reasons' words alone: the model reads only words, so it may not
        overrule an acceptance the checklist's record completes (``recorded:<element>``)."""
        return verdict.accepted and not any(r.startswith("recorded:") for r in verdict.rules)

    def _soft(self, verdict: Verdict) -> bool:
        """Refused only because an element's cues did not match or for length: no tick-box rule fired.

        An ``essential`` element missing is never soft: the model may not waive it any
        more than substance may.
        """
        return (
            not verdict.accepted
            and bool(verdict.problems)
            and set(verdict.problems) <= _SOFT_PROBLEMS
            and all(r.startswith(_SOFT_RULES) for r in verdict.rules)
            and not set(verdict.missing) & self._essential
        )

    def _check_rules(self, step: str, decision: str, reasons: str | None, record: Collection[str]) -> Verdict:
        """The rules' verdict alone."""
        text = (reasons or "").strip()
        option = self.option(step, decision)
        unreadable = self._unreadable(text)
        if unreadable:
            return self._refusal(option, [unreadable], [], [unreadable], [])
        reading = self._read(step, decision, text)
        found, missing = self._elements(option, reading)
        from_record = [m for m in missing if self._recorded_by.get(m) in record]
        named = self._named(step, decision, option, reading, found, missing)
        moot = self._moot(option, reading, [m for m in missing if m not in from_record and m not in named])
        if from_record or moot or named:
            also = {*from_record, *moot, *named}
            found = [n for n in (option.needs if option else []) if n in found or n in also]
            missing = [m for m in missing if m not in also]
        waived = [*(f"recorded:{e}" for e in from_record), *(f"moot:{e}" for e in moot)]
        waived += [f"named:{e}" for e in named]
        unjustified = bool(missing) or (option is None and len(reading.substance) < _MIN_SUBSTANCE)
        negative = self.is_negative(step, decision)
        rules = self._rules_fired(reading, unjustified, negative)
        if negative and not unjustified and self._dismissed_beside_figures(option, reading):
            rules.append("dismissal")
        # Themes in place of outcomes sink reasons that would otherwise pass: with every element
        # found, or missing one but accepted on substance. Elsewhere other rules explain the refusal.
        if self._themes_only(step, negative, reading) and (
            not unjustified or self._on_substance(missing, rules, reading)
        ):
            rules.append("themes_only")
        contradiction = self._contradiction(step, decision, reading)
        if contradiction:
            rules.insert(0, "contradiction")
        answers = ""
        if self._on_substance(missing, rules, reading):
            # Specific reasons that fire no tick-box rule but miss one element's cues: a cue
            # list never knows every way to say a thing. The rule id tells admins which
            # element's cues to extend (``svbot checklist try`` shows it). Reasons that
            # answer another step instead are not accepted on their substance.
            answers = "" if found else self._answers_another_step(step, reading)
            if not answers:
                rules = [f"unrecognised:{missing[0]}", *waived]
                return Verdict(True, [], elements=found, says=self.says(found), rules=rules, signals=reading.substance)
            rules.insert(0, "other_step")
        rules.extend(waived)
        if unjustified or set(rules) & _BLOCKING:
            if missing and not found and not answers and not set(rules) - {"long_generic"}:
                # Nothing else explains the refusal: say so if they answer another step instead.
                answers = self._answers_another_step(step, reading)
                if answers:
                    rules.insert(0, "other_step")
            fired = [*rules, *(f"needs:{m}" for m in missing)]
            refusal = self._refusal(option, [_primary(rules)], found, fired, missing, reading.substance, contradiction)
            return replace(refusal, answers=answers) if answers else refusal
        return Verdict(True, [], elements=found, says=self.says(found), rules=rules, signals=reading.substance)

    def _unreadable(self, text: str) -> str | None:
        """Why the reasons cannot be read as reasons at all, if they cannot."""
        if not text:
            return "empty"
        if len(text) > self.config.max_chars:
            return "too_long"
        undecorated = _DECORATION.sub(" ", text)
        if self._gibberish(undecorated):
            return "gibberish"
        if self._repetitive(_sentences(text), clean(text).split()):
            return "repetition"
        return None

    def _read(self, step: str, decision: str, text: str) -> _Reading:
        """Sort the sentences into those kept and those set aside (with why)."""
        generic = self._generic_for(step, decision)
        kept: list[str] = []
        set_aside: dict[str, list[str]] = {}
        substance: list[str] = []
        decorated = bool(_FIGURE.search(text) or _NAME.search(text))
        headings = self._is_heading_list(text)
        credentials = not self.config.credentials_steps or step in self.config.credentials_steps
        for sentence in self._clauses(_sentences(text), step, generic, credentials, headings):
            words = self._substance(sentence, generic)
            kind = "buzzwords" if headings else self._set_aside_as(sentence, words, step, credentials)
            if kind == "decoration":
                decorated = True
            if kind:
                set_aside.setdefault(kind, []).append(sentence)
            else:
                kept.append(sentence)
                substance.extend(w for w in words if w not in substance)
        return _Reading(text, clean(text).split(), kept, set_aside, substance, decorated, [_for_cues(s) for s in kept])

    def _generic_for(self, step: str, decision: str) -> set[str]:
        """Words that say nothing on this step: the generic words, the step's own and the option's."""
        return self._generic | self._step_words.get(step, set()) | set(clean(decision).split())

    def _clauses(
        self, sentences: list[str], step: str, generic: set[str], credentials: bool, headings: bool
    ) -> Iterable[str]:
        """Each sentence, or its clauses when it restates the law beside a fact of its own.

        "By value this is a goods contract, and the Act covers services contracts": the law
        restated is set aside, the clause about this procurement (it speaks of "this", "it",
        "we") is kept; "...services contracts, and frameworks mainly for services" stays whole.
        """
        for sentence in sentences:
            clauses = [c for c in _CLAUSE.split(sentence) if c.strip(" .,")]
            if headings or len(clauses) == 1 or not self._restates_law(sentence, step, generic, credentials):
                yield sentence
                continue
            own = [c for c in clauses if _OWN.search(c) and not self._restates_law(c, step, generic, credentials)]
            yield from own
            yield ", ".join(c for c in clauses if c not in own) if own else sentence

    def _restates_law(self, text: str, step: str, generic: set[str], credentials: bool) -> bool:
        return self._set_aside_as(text, self._substance(text, generic), step, credentials) == "restated_law"

    def _elements(self, option: JustifiedOption | None, reading: _Reading) -> tuple[list[str], list[str]]:
        """The option's elements found in the kept sentences, and those missing."""
        if option is None:
            return [], []
        kept = reading.cued
        found = [n for n in option.needs if (cues := self._cues.get(n)) and any(cues.search(s) for s in kept)]
        return found, [n for n in option.needs if n not in found]

    def _named(
        self,
        step: str,
        decision: str,
        option: JustifiedOption | None,
        reading: _Reading,
        found: list[str],
        missing: list[str],
    ) -> list[str]:
        """The missing elements another found element names (the option's ``named_by``): beside its
        cue ("a scored question on ...", "... as a spec requirement", "... priced into the contract"),
        ``named_min_words`` words of substance that are neither generic nor mere themes."""
        least = self.config.named_min_words
        if option is None or not option.named_by or least <= 0:
            return []
        generic = self._generic_for(step, decision) | self._themes
        named = []
        for element, by in option.named_by.items():
            cues = self._cues.get(by)
            if element not in missing or by not in found or cues is None:
                continue
            for low in reading.cued:
                beside = [self._substance(words, generic) for m in cues.finditer(low) for words in _beside(low, m)]
                if len({w for words in beside for w in words}) >= least:
                    named.append(element)
                    break
        return named

    def _moot(self, option: JustifiedOption | None, reading: _Reading, missing: list[str]) -> list[str]:
        """The missing elements made moot by another the kept sentences address (the option's ``moot``):
        a constraint that leaves nothing to the authority leaves nothing to do instead. The constraint
        must be described, not only named: "the framework fixes the criteria" says neither which
        framework nor what is bought (``moot_min_substance`` in checker.yaml)."""
        if option is None or not option.moot or len(reading.substance) < self.config.moot_min_substance:
            return []
        kept = reading.cued
        return [
            m
            for m in missing
            if any((c := self._cues.get(e)) and any(c.search(s) for s in kept) for e in option.moot.get(m, []))
        ]

    def _dismissed_beside_figures(self, option: JustifiedOption | None, reading: _Reading) -> bool:
        """A dismissal whose only ground is a figure a cue reads ("Not relevant, it's £40k."): with no
        word of substance, it says neither what is bought nor against which threshold. A ground in
        words ("a devolved Welsh authority, so s.1 doesn't apply") is no mere dismissal."""
        if reading.substance or not reading.decorated or option is None:
            return False
        if not self._hit("dismissals", _lower(reading.text)):
            return False
        plain = [_DECORATION.sub(" ", s) for s in reading.cued]
        return any((c := self._cues.get(n)) and not any(c.search(s) for s in plain) for n in option.needs)

    def _on_substance(self, missing: list[str], rules: list[str], reading: _Reading) -> bool:
        """Whether reasons missing one element still carry enough substance to accept.

        Only when no tick-box rule fired (a long paragraph alone is not one), the element
        missing is not ``essential`` (the fact the option turns on), and the kept sentences
        hold ``accept_on_substance`` words that are neither generic, names nor decoration.
        """
        threshold = self.config.accept_on_substance
        return (
            threshold > 0
            and len(missing) == 1
            and missing[0] not in self._essential
            and not set(rules) - {"long_generic"}
            and len(reading.substance) >= threshold
        )

    def _themes_only(self, step: str, negative: bool, reading: _Reading) -> bool:
        """Outcomes named only as themes ("5 apprentices, £50k local spend, less carbon"): beyond the
        theme words, too few words of substance say what this contract will do, or for whom. A place
        or a body named counts as one such word ("HGV training", "spend with Wrexham firms"): it says
        where or with whom, though never more than once (a list of places is still a list)."""
        if negative or step not in self.config.theme_steps or not self.config.min_beyond_themes:
            return False
        beyond = [w for w in reading.substance if w not in self._themes]
        named = any(_NAME.search(_DECORATION.sub(" ", _ORGANISATION.sub(" ", _FIRM.sub(" ", s)))) for s in reading.kept)
        return len(beyond) + named < self.config.min_beyond_themes

    def _contradiction(self, step: str, decision: str, reading: _Reading) -> Contradiction | None:
        """What the reasons say that undercuts the option chosen, if anything (unless something lifts it)."""
        low = _lower(reading.text)
        for contradiction, cues, unless in self._contradicts.get((step, decision), []):
            if cues and cues.search(low) and not (unless and unless.search(low)):
                return contradiction
        return None

    def _answers_another_step(self, step: str, reading: _Reading) -> str:
        """The other step whose option these reasons fully answer (two elements or more), if any.

        Reasons written for a different step ("payroll checked quarterly" for consultation)
        may carry plenty of substance; they must not be accepted on it. Only reasons that
        use none of this step's own words (its title, question, help and options) count.
        """
        if set(reading.words) & self._own_words.get(step, set()):
            return ""  # they speak of this step's own matter
        kept = reading.cued
        words = set(reading.words)
        answered = [
            other
            for other, options in self.justification.steps.items()
            if other != step
            for option in options.values()
            if len(option.needs) >= 2
            and all((c := self._cues.get(n)) and any(c.search(s) for s in kept) for n in option.needs)
        ]
        # Of those they answer, the step whose own words they use most ("supplier day": consultation).
        return max(answered, key=lambda other: len(words & self._own_words.get(other, set())), default="")

    def _rules_fired(self, reading: _Reading, unjustified: bool, negative: bool) -> list[str]:
        """Every tick-box rule that fired, by name (see checker.yaml).

        Most rules explain why unjustified reasons fall short; beside reasons that
        address every element they are harmless and are not reported. Urgency of
        the authority's own making (unless an unforeseeable event is named) as the
        excuse for a negative option, a claim that no social value duty applies at
        all, grounds carried over from an earlier procurement, and reasons too short
        to show consideration block acceptance whatever else is said. A claim that s.1 does
        not apply at all is no overclaim beside the duty or policy that applies instead.
        """
        low = _lower(reading.text)
        urgent = self._cues.get("urgent-event")
        fired = []
        # Urgency excuses only what is not done: "cut staff turnover" in a KPI is no excuse.
        # An end date the contract itself fixed was always known: no later event makes it unforeseeable.
        own = self._hit("own_urgency", low) and not (urgent and urgent.search(low))
        if negative and (own or self._hit("fixed_dates", low)):
            fired.append("own_urgency")
        if self._hit("earlier_grounds", low) and not self._hit("earlier_grounds_lifted", low):
            fired.append("earlier_grounds")
        if self._hit("overclaims", low) and not self._hit("overclaims_lifted", low):
            fired.append("overclaim")
        # A long paragraph that ends a negative option in a conclusion ("officers are satisfied the
        # Act does not apply"): whatever it names on the way, the conclusion stands in for the grounds.
        if negative and self._hit("unexplained", low) and len(reading.words) >= self.config.max_unanchored_words:
            fired.append("concluded_at_length")
        # A bare dismissal set aside ("None:", "n/a -") beside a single word of substance ("None: it is an
        # extension.") names a category, not the fact of this procurement that rules the option out.
        dismissed = self._hit("dismissals", low)
        bare = any(self._hit("dismissals", _lower(s)) for s in reading.set_aside.get("boilerplate", []))
        if negative and bare and 0 < len(reading.substance) < self.config.min_beside_dismissal:
            fired.append("dismissal")
        explains = [
            ("earlier_procurement", self._hit("earlier_procurement", low)),
            ("dismissal", dismissed and reading.decorated and not reading.substance and "dismissal" not in fired),
            ("reference", "reference" in reading.set_aside),
            ("buzzwords", "buzzwords" in reading.set_aside),
            ("empty_numbers", self._hit("empty_numbers", low)),
            ("framework_names", self._hit("framework_names", low)),
            ("pasted_policy", "pasted_policy" in reading.set_aside),
            ("plans_named", self._hit("plans_named", low)),
            ("credentials", "credentials" in reading.set_aside),
            ("restated_law", "restated_law" in reading.set_aside),
            ("hedged", "hedged" in reading.set_aside),
            ("unexplained_conclusion", self._hit("unexplained", low)),
            ("boilerplate", "boilerplate" in reading.set_aside),
            ("decoration", reading.decorated and not reading.substance),
            ("long_generic", len(reading.words) >= self.config.max_unanchored_words),
        ]
        if unjustified:
            fired.extend(name for name, hit in explains if hit)
        if len(reading.words) < self.config.min_words:
            fired.append("too_short")
        return fired

    # -- sorting sentences --------------------------------------------------------------

    def _set_aside_as(self, sentence: str, substance: list[str], step: str, credentials: bool = True) -> str | None:
        """Why a sentence says nothing about this procurement, or None if it may."""
        undecorated = _DECORATION.sub(" ", sentence)
        cleaned = clean(undecorated)
        if cleaned and (self._is_boilerplate(cleaned) or self._copies_question(cleaned, step)):
            return "boilerplate"
        if not cleaned or self._is_decoration(sentence, undecorated):
            return "decoration"
        low = _lower(sentence)
        if self._hit("policy_speak", low):
            return "pasted_policy"
        if self._hit("restated_law", low):
            return "restated_law"
        if credentials and self._hit("credentials", low) and not self._hit("credentials_checked", low):
            return "credentials"
        if self._hit("hedges", low) and not self._commits(low):
            return "hedged"
        if self._is_buzzword_list(undecorated):
            return "buzzwords"
        # "see outcomes" points within this record, not elsewhere; a citation in brackets beside
        # what was decided ("(ref DN-2026-118)") is decoration, not a pointer in place of reasons.
        pointed = self._step_pointer.sub(" ", _lower(undecorated))
        if self._hit("references", pointed) and len(self._beside_reference(pointed, substance)) <= 1:
            return None if self._hit("dismissals", low) else "reference"
        return None

    def _beside_reference(self, low: str, substance: list[str]) -> list[str]:
        """The substance of a sentence besides the reference's own words ("decision notice")."""
        pattern = self._rules["references"]
        named = {w for m in pattern.finditer(low) for w in clean(m.group()).split()} if pattern else set()
        return [w for w in substance if w not in named]

    def _commits(self, low: str) -> bool:
        """A hedge beside a figure or a count still commits to something; the hedge's own
        figure ("possibly 2" is a count, "100% sure" is not) does not, nor does a date or a reference."""
        pattern = self._rules["hedges"]
        rest = _STAMP.sub(" ", _CERTAINTY.sub(" ", pattern.sub(" ", low) if pattern else low))
        return bool(_FIGURE.search(rest) or _QUANTITY.search(rest))

    def _copies_question(self, cleaned: str, step: str) -> bool:
        """The step's own question, or its hints, echoed back ("we will consult the market, the VCSE
        sector..."; "we have considered the contract value and length, the market and...")."""
        cutoff = self.config.copied_question_cutoff
        question = self._questions.get(step, "")
        if cutoff <= 0 or not question:
            return False
        if fuzz.token_sort_ratio(cleaned, question) >= cutoff:
            return True
        rest = cleaned
        for hint in self._hints.get(step, []):
            rest = rest.replace(hint, " ")
        return rest != cleaned and len([w for w in rest.split() if w not in self._generic]) < _MIN_SUBSTANCE

    def _is_boilerplate(self, cleaned: str) -> bool:
        cutoff = self.config.boilerplate_cutoff
        return process.extractOne(cleaned, self._boilerplate, scorer=fuzz.ratio, score_cutoff=cutoff) is not None

    def _is_decoration(self, sentence: str, undecorated: str) -> bool:
        """Only names, figures and punctuation: "Rochdale, £1m, 2027", "Bradford Council, 2026".

        A list of them with a generic word among the items is decoration too:
        "Rochdale Borough, £1.2m, 2027-2031, services".
        """
        words = _WORD.findall(undecorated)
        if not words or len(words) > 4:
            return False
        if all(w[0].isupper() for w in words):
            return len(words) > 1 or undecorated != sentence
        items = [i for i in sentence.split(",") if i.strip(" .")]
        listed = len(items) >= 3 and undecorated != sentence
        return listed and all(w[0].isupper() or _clean_word(w) in self._generic for w in words)

    def _is_buzzword_list(self, sentence: str) -> bool:
        """Three or more short items with nothing linking them: "jobs, skills, net zero"."""
        body = sentence.split(":", 1)[-1]
        items = [i for i in re.split(r",|;|/|&|\band\b|\n", body) if i.strip(" .-•*")]
        if len(items) < 3:
            return False
        for item in items:
            words = clean(item).split()
            if not words or len(words) > 3 or (_LINKS & set(words) and not self._generic_phrase(words)):
                return False
            if _QUANTITY.match(item.strip()):
                return False  # "one work placement, non-toxic baits": a counted ask is a commitment
        return True

    def _generic_phrase(self, words: list[str]) -> bool:
        """A stock phrase joined by a preposition, every word generic: "value for money"."""
        return set(words) & _LINKS <= _JOINERS and set(words) <= self._generic

    def _is_heading_list(self, text: str) -> bool:
        """Headings spread over sentences: "Economic: jobs. Social: wellbeing. Environmental: carbon."."""
        items = [i for i in re.split(r"[,;/&.:\n]|\band\b", text) if i.strip(" -•*")]
        if len(items) < 4:
            return False
        for item in items:
            words = clean(item).split()
            if not words or len(words) > 3 or _LINKS & set(words) or _FIGURE.search(item) or _QUANTITY.search(item):
                return False
        return True

    def _substance(self, sentence: str, generic: set[str]) -> list[str]:
        """The words of a sentence that are neither generic, decoration nor names."""
        undecorated = _DECORATION.sub(" ", _ORGANISATION.sub(" ", sentence))
        out = []
        for i, raw in enumerate(_WORD.findall(undecorated)):
            word = _clean_word(raw).replace(" ", "")
            if len(word) < 3 or word in generic or word in self._filler:
                continue
            if raw[0].isupper() and i > 0:
                continue  # a name: a place, a council, a person
            out.append(word)
        return out

    def _hit(self, rule: str, low: str) -> bool:
        pattern = self._rules.get(rule)
        return bool(pattern and pattern.search(low))

    # -- readability ----------------------------------------------------------------------

    def _gibberish(self, text: str) -> bool:
        visible = [c for c in text if not c.isspace()]
        letters = sum(c.isalpha() for c in visible)
        if not visible or letters / len(visible) < self.config.min_letter_ratio:
            return True
        raw = _WORD.findall(text)
        weird = sum(
            1
            for w in raw
            if _clean_word(w) in self._filler
            or (w.islower() and len(w) >= 4 and not (_VOWELS & set(w.lower())))
            or re.search(r"(.)\1\1", w.lower())
        )
        return bool(raw) and weird / len(raw) >= 0.3

    def _repetitive(self, sentences: list[str], words: list[str]) -> bool:
        content = [w for w in words if w not in self._stop]
        if len(content) >= 6 and len(set(content)) / len(content) < self.config.max_repetition:
            return True
        keys = [clean(s) for s in sentences if len(clean(s).split()) >= 3]
        if len(keys) != len(set(keys)):
            return True
        # The same run of four words twice is padding, not a second point. Figures and
        # citations are left out: "s.1 does not apply ... s.1 does not apply to" is not padding.
        plain = clean(_DECORATION.sub(" ", " ".join(sentences))).split()
        runs = [tuple(plain[i : i + 4]) for i in range(len(plain) - 3)]
        return len(runs) != len(set(runs))

    # -- the refusal ----------------------------------------------------------------------

    def _refusal(
        self,
        option: JustifiedOption | None,
        problems: list[str],
        found: list[str],
        rules: list[str],
        missing: list[str],
        signals: list[str] | None = None,
        contradiction: Contradiction | None = None,
    ) -> Verdict:
        """A refusal with its one question: the contradiction's, the first missing element's, else the first needed."""
        ask_for = (missing or (option.needs if option else []))[:1]
        question = option.ask[ask_for[0]] if option and ask_for else self.config.default_question
        admits = ""
        if problems == ["contradiction"] and contradiction:
            question, admits = contradiction.ask, contradiction.says
        return Verdict(
            False,
            problems,
            elements=found,
            missing=missing,
            says=self.says([*found, *missing]),
            question=question,
            rules=rules,
            signals=signals or [],
            admits=admits,
        )

    def says(self, elements: Iterable[str]) -> dict[str, str]:
        """Each element's description in plain words."""
        return {e: self._says[e] for e in elements if e in self._says}


# What a cue names: the words after it ("a question on reaching housebound patients") or before
# it ("escorts' welsh as a spec requirement", "the handyperson scheme priced into the contract").
_NAMES_AFTER = re.compile(r"\s*(?:on|about|for|covering)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)")
_NAMES_NEXT = re.compile(r"\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)")  # after a cue that ends "on": "question on"
_ENDS_ON = re.compile(r"\b(?:on|about|for|covering)$")
_NAMES_BEFORE = re.compile(
    r"((?:[\w'’-]+\s+){0,2}[\w'’-]+)\s+(?:as an?|as the|in the|into the|in our|into our)(?:\s+[\w-]+)?\s*$"
)


def _beside(low: str, match: re.Match[str]) -> list[str]:
    """The words a cue's match names, after it or before it (none if it names nothing)."""
    after = (_NAMES_NEXT if _ENDS_ON.search(match.group()) else _NAMES_AFTER).match(low, match.end())
    before = _NAMES_BEFORE.search(low, 0, match.start())
    return [m.group(1) for m in (after, before) if m]


# A firm's or a group's own name ("Greenway Jobs Ltd", "Friends of Hill Park"): a cue word inside it
# ("jobs", "park") says who, not what this contract does, so cues read it as a plain noun.
_FIRM = re.compile(r"\b(?:[A-Z][\w&'’-]*\s+){1,5}(?:Ltd|Limited|plc|PLC|LLP|CIC)\b\.?(?:['’]s)?")
_FRIENDS = re.compile(r"\bFriends\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*){1,4}")


def _for_cues(sentence: str) -> str:
    """A kept sentence as element cues read it: lower case, organisations' own names made plain nouns."""
    if "Friends" in sentence:
        sentence = _FRIENDS.sub(" a friends group ", sentence)
    if re.search(r"\b(?:Ltd|Limited|plc|PLC|LLP|CIC)\b", sentence):
        sentence = _FIRM.sub(" a firm ", sentence)
    return _lower(sentence)


def _primary(rules: list[str]) -> str:
    """The problem that explains a refusal best: the first rule fired, in ``_EXPLAINED_BY`` order."""
    return next((p for p in _EXPLAINED_BY if p in rules), "missing_element")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip(" .-*•")]
