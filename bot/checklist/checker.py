"""Refuse tick-box reasons; accept reasons specific to this procurement.

A reason is split into sentences. Sentences close to a known boilerplate
phrase (rapidfuzz, so rewordings and typos still match) are set aside. What
is left is scored for specificity: figures and dates, proper names, concrete
procurement terms, and other words that are neither generic management-speak
nor the step's own question restated. Negative decisions ("none relevant",
"no consultation"...) need a higher score, because that is where the
tick-box hides. Length alone earns nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.knowledge.schema import CheckerFile, ChecklistStep
from bot.matching.normalise import clean

_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+[-–—]\s+")
_CITATION = re.compile(
    r"\b(?:ss?|sections?|regs?|regulations?|paras?|paragraphs?|articles?|schedule|sch)\.?\s*\d+[a-z]?(?:\s*\(\s*\w+\s*\))*"
    r"|\b(?:act|regulations|order)\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\s+act\b|\b\d+\s*\(\s*\w+\s*\)(?:\s*\(\s*\w+\s*\))*",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"£\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?|\b\d[\d,.]*\s?(?:k|m|bn|%|per ?cent|million|billion)\b"
    r"|\b\d+(?:st|nd|rd|th)?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s+(?:19|20)\d\d\b"
    r"|\bq[1-4]\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_VOWELS = set("aeiouy")


@dataclass(frozen=True)
class Verdict:
    """The checker's finding on one reason."""

    accepted: bool
    problems: list[str]
    specificity: float
    signals: list[str] = field(default_factory=list)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


class ReasonsChecker:
    """Built once per knowledge snapshot; ``check`` is pure and thread-safe."""

    def __init__(self, config: CheckerFile, steps: list[ChecklistStep], stopwords: list[str]):
        self.config = config
        self._boilerplate = [clean(p) for p in config.boilerplate if clean(p)]
        self._stop = {clean(w) for w in stopwords}
        self._generic = {clean(w) for w in config.generic_words} | self._stop
        self._filler = {clean(w) for w in config.filler_words}
        terms = [clean(t) for t in config.specific_terms if clean(t)]
        self._specific_words = {t for t in terms if " " not in t}
        self._specific_phrases = [t for t in terms if " " in t]
        self._steps = {s.id: s for s in steps}
        self._step_words = {
            s.id: {
                w for text in (s.title, s.question, s.help, *(o.label for o in s.options)) for w in clean(text).split()
            }
            for s in steps
        }

    def is_negative(self, step: str, decision: str) -> bool:
        spec = self._steps.get(step)
        return bool(spec and any(o.id == decision and o.negative for o in spec.options))

    def _is_boilerplate(self, sentence: str) -> bool:
        cleaned = clean(sentence)
        if not cleaned:
            return True
        return any(fuzz.ratio(cleaned, phrase) >= self.config.boilerplate_cutoff for phrase in self._boilerplate)

    def _gibberish(self, text: str) -> bool:
        visible = [c for c in text if not c.isspace()]
        letters = sum(c.isalpha() for c in visible)
        if visible and letters / len(visible) < self.config.min_letter_ratio:
            return True
        raw = _WORD.findall(text)
        weird = sum(
            1
            for w in raw
            if clean(w) in self._filler
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
        # The same run of four words twice is padding, not a second point.
        runs = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
        return len(runs) != len(set(runs))

    def _specificity(self, step: str, decision: str, sentences: list[str]) -> tuple[float, bool, list[str]]:
        """Score what is specific; also say whether any figure, date or name anchors it."""
        generic = self._generic | self._step_words.get(step, set()) | set(clean(decision).split())
        figures: set[str] = set()
        names: set[str] = set()
        terms: set[str] = set()
        others: set[str] = set()
        for sentence in sentences:
            body = _CITATION.sub(" ", sentence)
            figures.update(m.group(0).strip().lower() for m in _FIGURE.finditer(body))
            cleaned = f" {clean(body)} "
            phrases = [p for p in self._specific_phrases if f" {p} " in cleaned]
            terms.update(phrases)
            in_phrases = {w for p in phrases for w in p.split()}
            for i, raw in enumerate(_WORD.findall(body)):
                word = clean(raw).replace(" ", "")
                if not word or word in self._filler or word in in_phrases:
                    continue
                if word in self._specific_words:
                    terms.add(word)
                elif word in generic or len(word) < 3:
                    continue
                elif (raw[0].isupper() and i > 0) or (raw.isupper() and len(raw) >= 2):
                    names.add(word)
                else:
                    others.add(word)
        others -= names | terms
        anchored = bool(figures or names)
        score = (
            min(len(figures), 4)
            + min(len(names), 3)
            + min(len(terms), 4) * 0.75
            + min(len(others), 9 if anchored else 3) / 3
        )
        return score, anchored, [*sorted(figures), *sorted(names), *sorted(terms), *sorted(others)]

    def check(self, step: str, decision: str, reasons: str) -> Verdict:
        """Judge ``reasons`` given for ``decision`` at ``step``."""
        cfg = self.config
        text = (reasons or "").strip()
        if not text:
            return Verdict(False, ["empty"], 0.0)
        if len(text) > cfg.max_chars:
            return Verdict(False, ["too_long"], 0.0)
        words = clean(text).split()
        sentences = _sentences(text)
        if self._gibberish(text):
            return Verdict(False, ["gibberish"], 0.0)
        if self._repetitive(sentences, words):
            return Verdict(False, ["repetition"], 0.0)
        kept = [s for s in sentences if not self._is_boilerplate(s)]
        boilerplate = len(kept) < len(sentences) or self._is_boilerplate(text)
        score, anchored, signals = self._specificity(step, decision, kept)
        negative = self.is_negative(step, decision)
        needed = cfg.min_specific_negative if negative else cfg.min_specific
        long_but_generic = not anchored and len(words) >= cfg.max_unanchored_words
        if score >= needed and len(words) >= cfg.min_words and not long_but_generic:
            return Verdict(True, [], score, signals)
        if long_but_generic:
            problem = "long_generic"
        elif not kept or (boilerplate and score < cfg.min_specific):
            problem = "boilerplate"
        elif len(words) < cfg.min_words:
            problem = "too_short"
        elif negative and score >= cfg.min_specific:
            problem = "negative_weak"
        else:
            problem = "not_specific"
        return Verdict(False, [problem], score, signals)
