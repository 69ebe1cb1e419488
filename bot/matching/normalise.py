"""Turn free text (often Slack text) into comparable terms.

Two layers: ``clean`` strips Slack markup, odd characters and punctuation;
``Normaliser.terms`` then applies the glossary (spellings, then synonym
phrases rewritten to one canonical token), drops stopwords and stems. Both
questions and knowledge entries go through the same pipeline.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

from bot.knowledge.schema import GlossaryFile

MAX_QUESTION_CHARS = 2000
# Words of a message read (a pasted document is not read to its end); knowledge is read whole.
MAX_WORDS = 400

_SLACK_USER = re.compile(r"<[@!][^>]*>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]*)(?:\|([^>]*))?>")
_BARE_URL = re.compile(r"\bhttps?://\S+")
# A sum of money however it is typed ("£216,000", "60k", "£1.2m", "5 million pounds"): for the
# matcher one word, "pounds", in questions and entries alike, so a question quoting its contract's
# value finds the entries about values and thresholds, and an unknown "210k" no longer counts against it.
_MONEY = re.compile(
    r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|million|billion)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn)\b"
    r"|\b\d[\d,]*(?:\.\d+)?\s(?:million|billion|thousand)?\s?(?:pounds|gbp)\b",
    re.IGNORECASE,
)
# What every sum of money reads as (``clean(..., money=True)``).
MONEY_WORD = "pounds"
# A section of an Act however it is written ("s.52", "s 52", "s52", "section 52", "ss.24-25"):
# one word, "s52", so a question citing a section finds the entries citing it.
_SECTION = re.compile(r"\b(?:(ss?)\.?\s?|section\s)(\d+)\b", re.IGNORECASE)
_EMOJI = re.compile(r":[a-z0-9_+\-']+:")
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`](?=\w)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn"}
# Invisible characters Word, browsers and Slack put *inside* words (soft hyphen, zero-width
# space and joiners, word joiner): dropped, so "pro\u00adcurement" stays one word, as it looks.
_JOINERS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def clean(text: str, *, money: bool = False, whole: bool = False) -> str:
    """Lower-case words only: no Slack markup, links, emoji codes or punctuation.

    With ``money`` (the matcher's reading), every sum of money becomes the word "pounds" and
    every section of an Act one word ("s.52" -> "s52"). Only the first ``MAX_WORDS`` words of a
    message count; ``whole`` reads all of a text svbot trusts (a knowledge entry).
    """
    if not whole:
        text = text[: MAX_QUESTION_CHARS * 2]
    if not text.isascii():
        # First, so a soft hyphen inside an emoji code or a link does not hide it.
        text = text.translate(_JOINERS)
    text = _SLACK_CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = _SLACK_USER.sub(" ", text)
    text = html.unescape(text)
    text = _BARE_URL.sub(" ", text)
    if money:
        text = _MONEY.sub(f" {MONEY_WORD} ", text)
    text = _EMOJI.sub(" ", text)
    if money:
        text = _SECTION.sub(r"s\2", text)
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text.translate(_JOINERS))
        text = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in text)
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHE.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    words = text.split()
    return " ".join(words if whole else words[:MAX_WORDS])


def without_markup(text: str) -> str:
    """``text`` without Slack markup (mentions, channels, links), bare links or emoji codes (":smile:")."""
    for markup in (_SLACK_LINK, _SLACK_CHANNEL, _SLACK_USER, _BARE_URL, _EMOJI):
        text = markup.sub(" ", text)
    return text


def has_link(text: str) -> bool:
    """Whether ``text`` holds a link, bare or in Slack's markup."""
    return bool(_BARE_URL.search(text) or _SLACK_LINK.search(text))


def canonical_token(term: str) -> str:
    """The single token a glossary term becomes, e.g. 'living wage' -> 'living_wage'."""
    return "_".join(clean(term).split())


class Normaliser:
    """Applies the glossary, stopwords and stemming to cleaned text."""

    def __init__(self, glossary: GlossaryFile, stopwords: Iterable[str] = ()):
        self._spellings = {clean(k): clean(v) for k, v in glossary.spellings.items() if clean(k)}
        phrases: dict[str, str] = {}
        for item in glossary.terms:
            token = canonical_token(item.term)
            for variant in (item.term, *item.variants):
                key = clean(variant)
                if key:
                    phrases.setdefault(key, token)
        # A stopword of several words ("in short") is read as one token, then dropped like any stopword;
        # a glossary phrase of the same words stays the glossary's.
        stop_phrases = {clean(w) for w in stopwords if len(clean(w).split()) > 1} - phrases.keys()
        phrases.update({phrase: canonical_token(phrase) for phrase in stop_phrases})
        self._stop_phrases = {canonical_token(phrase) for phrase in stop_phrases}
        # Phrases by their first word, longest first: most words start no phrase and cost one lookup.
        starts: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, token in phrases.items():
            words = tuple(phrase.split())
            starts.setdefault(words[0], []).append((words, token))
        for candidates in starts.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)
        self._starts = starts
        self._stopwords = {clean(w) for w in stopwords}
        # PyStemmer: the Snowball (Porter 2) English stemmer, in C.
        self._stem = lru_cache(maxsize=100_000)(Stemmer.Stemmer("english").stemWord)

    def canonical_words(self, text: str, *, whole: bool = False) -> list[str]:
        """Cleaned words with spellings fixed and glossary phrases joined, before stopwords
        (``whole``: all of them, for a knowledge entry's text; see ``clean``)."""
        # A spelling may stand for several words ("socialvalue" -> "social value").
        words = " ".join(self._spellings.get(w, w) for w in clean(text, money=True, whole=whole).split()).split()
        out: list[str] = []
        i = 0
        while i < len(words):
            found = self._phrase_at(words, i)
            if found is not None and not self._longer_inside(words, i, found[0]):
                out.append(found[1])
                i += found[0]
            else:
                out.append(words[i])
                i += 1
        return out

    def _phrase_at(self, words: list[str], i: int) -> tuple[int, str] | None:
        """The longest glossary phrase starting at word i ("real living wage" before "living wage"):
        its length in words and its token."""
        for phrase, token in self._starts.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                return len(phrase), token
        return None

    def _longer_inside(self, words: list[str], i: int, length: int) -> bool:
        """Whether a longer phrase starts inside the one at word i and runs past it: that one wins
        ("not relevant to the subject matter" is about the subject matter, not "not relevant")."""
        for j in range(i + 1, i + length):
            later = self._phrase_at(words, j)
            if later is not None and later[0] > length and j + later[0] > i + length:
                return True
        return False

    def terms(self, text: str, *, whole: bool = False) -> list[str]:
        """Content terms of ``text``: canonical, stopwords dropped, stemmed (``whole``: see ``clean``)."""
        out = []
        for word in self.canonical_words(text, whole=whole):
            if word in self._stopwords or word in self._stop_phrases or (len(word) < 2 and not word.isdigit()):
                continue
            out.append(word if "_" in word or word.isdigit() else self._stem(word))
        return out
