"""Score questions against knowledge entries.

Two signals, each in [0, 1], combined with weights from ``matching.yaml``:

- terms: BM25-style term weighting over each entry's fields (title, aliases
  and keywords count more than body text), divided by what a perfect match
  of the same question would score, so rare words decide and unknown words
  (GDPR, TUPE...) pull the score down;
- fuzzy: rapidfuzz similarity between the question and the entry's example
  questions, title and aliases, for paraphrases and word order.

A question nearly word for word one of an entry's example questions takes
that similarity as its score. Candidates come from an inverted index built at load time, so a question
costs little even with thousands of entries. Misspelt words missing from the
vocabulary are corrected to the nearest known term with rapidfuzz.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.amounts import figures_in
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry, Field_, GlossaryTerm, OutsideTopic, Signal, SmallTalk
from bot.matching.language import Unread, unread
from bot.matching.links import LinkReader
from bot.matching.model import OUTSIDE, MatcherModel, ModelError, features
from bot.matching.normalise import MONEY_WORD, Normaliser, canonical_token, clean

if TYPE_CHECKING:
    from bot.scope_followup import ScopeFollowUp

K1 = 1.2
MAX_FUZZY_TERMS = 24
B = 0.75
# The shortlist walks each question term's postings best first, this many at a time, and stops
# once no unseen entry can reach it, or after MAX_VISITS entries: a question made of words that
# thousands of entries use ("social value contract") then costs a bounded walk, not all of them.
CHUNK = 64
MAX_VISITS = 2000
# "is home care light touch?": at most this many other words before the glossary term.
MAX_MEMBERSHIP_WORDS = 2
# Words shorter than this are never respelt towards the glossary ("tupe" is not "type").
RESPELL_MIN_LENGTH = 5
# Canonical words (after the glossary: "welsh", "Cardiff" -> "wales") that name a nation in a question.
NATION_WORDS = {
    "england": "England",
    "english": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

# The entries are written around England's law: a question from England needs no push towards it.
HOME_DEFAULT = "England"


def named_nation(canonical_words: list[str]) -> str | None:
    """The one nation a question names ("what about wales?"), or None for none or several."""
    named = {NATION_WORDS[w] for w in canonical_words if w in NATION_WORDS}
    return named.pop() if len(named) == 1 else None


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float
    signals: dict[Signal, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """The outcome of matching one question.

    ``answered`` is about the knowledge entries. A glossary ``definition`` or an
    ``outside`` topic (a subject svbot does not cover) may come with it; ``nation``
    is the nation the reply should lead with, ``read_as`` the earlier topic a
    follow-up question was read with. ``small_talk`` is set for a message that is
    only a greeting or thanks: the reply says what svbot does, not "outside what I cover".
    A follow-up that finds the same topic again names the new words (``focus_on``) and
    leads with what the entry says about them (``focus``). ``scope`` is a follow-up to a
    scope finder answer, to be asked of the finder again; ``link`` is what a message that
    was only a link was read as.
    """

    question: str
    answered: bool
    ambiguous: bool
    matches: list[Match]
    definition: GlossaryTerm | None = None
    outside: OutsideTopic | None = None
    off_topic: bool = False
    nation: str | None = None
    read_as: Entry | None = None
    small_talk: SmallTalk | None = None
    focus_on: str | None = None
    focus: tuple[str, ...] = ()
    scope: ScopeFollowUp | None = None
    link: str | None = None
    # A message svbot cannot read as a question: no words (a lone emoji), Welsh, or another script.
    unread: Unread | None = None

    @classmethod
    def for_entry(cls, entry: Entry) -> Answer:
        """The answer when a person picked the entry themselves (a "did you mean" topic)."""
        return cls(entry.title, True, False, [Match(entry, 1.0)])

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def replied(self) -> bool:
        """Whether the bot gave an answer (an entry or a definition), not an "I'm not sure"."""
        return self.answered or self.definition is not None or self.small_talk is not None or self.scope is not None

    @property
    def entry(self) -> Entry | None:
        """The entry that answers the question; None when svbot is not sure."""
        best = self.best
        return best.entry if self.answered and best else None

    def as_json(self) -> dict:
        data: dict = {
            "answered": self.replied,
            "ambiguous": self.ambiguous,
            "matches": [
                {
                    "id": m.entry.id,
                    "kind": m.entry.kind,
                    "title": m.entry.title,
                    "score": round(m.score, 4),
                    "jurisdiction": list(m.entry.jurisdiction),
                }
                for m in self.matches
            ],
        }
        if self.definition is not None:
            data["definition"] = {"term": self.definition.term, "meaning": self.definition.meaning}
        if self.off_topic:
            data["outside"] = {
                "topic": self.outside.topic if self.outside else None,
                "ask": self.outside.ask if self.outside else None,
            }
        if self.nation:
            data["nation"] = self.nation
        if self.small_talk is not None:
            data["small_talk"] = self.small_talk
        if self.unread is not None:
            data["unread"] = self.unread
        if self.link is not None:
            data["link"] = self.link
        if self.focus_on is not None:
            data["focus"] = {"on": self.focus_on, "passages": list(self.focus)}
        if self.read_as is not None:
            data["read_as"] = {"id": self.read_as.id, "title": self.read_as.title}
        return data


@dataclass
class _Doc:
    entry: Entry
    tf: dict[str, float]
    length: float
    texts: list[str]
    names: list[list[str]]  # the terms of its title and of each alias


class Matcher:
    """An index of one knowledge snapshot; ``ask`` is cheap and thread-safe."""

    def __init__(self, kb: KnowledgeBase, model: MatcherModel | None = None):
        """``model`` replaces the trained model of the knowledge folder (matcher_model.json), if any."""
        cfg = kb.matching
        self.config = cfg
        if model is None and cfg.model_lift:
            try:
                model = MatcherModel.load(kb.folder)
            except ModelError:
                model = None  # `svbot kb check` reports it; the rules rank alone meanwhile
        # A model trained on entries since edited would rank by what they said: the rules alone do until retrained.
        self.model_stale = model.stale_entries(kb.raw_entries) if model else []
        self.model = model if model is not None and not self.model_stale and cfg.model_lift else None
        self.normaliser = Normaliser(kb.glossary, cfg.stopwords)
        self.links = LinkReader(kb.entries)
        self._docs = [self._index_entry(e) for e in kb.entries]
        count = max(len(self._docs), 1)
        avg_length = sum(d.length for d in self._docs) / count or 1.0
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.tf.keys())
        self._idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        # Each (term, entry) BM25 contribution is fixed by the snapshot: compute it once, per entry
        # (to score an entry) and per term, largest first (to find the entries worth scoring).
        self._weights: list[dict[str, float]] = []
        postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for i, doc in enumerate(self._docs):
            norm = K1 * (1 - B + B * doc.length / avg_length)
            weights = {t: self._idf[t] * tf * (K1 + 1) / (tf + norm) for t, tf in doc.tf.items()}
            self._weights.append(weights)
            for term, weight in weights.items():
                postings[term].append((weight, i))
        self._postings: dict[str, tuple[list[int], list[float]]] = {}
        for term, pairs in postings.items():
            pairs.sort(key=lambda p: (-p[0], p[1]))
            self._postings[term] = ([i for _, i in pairs], [w for w, _ in pairs])
        self._vocabulary = sorted(t for t in self._idf if len(t) >= cfg.typo_min_length)
        self._corrections: dict[str, str | None] = {}
        self._docs_by_id = {d.entry.id: d for d in self._docs}
        self._index_of = {d.entry.id: i for i, d in enumerate(self._docs)}
        self._stopwords = frozenset(clean(w) for w in cfg.stopwords)
        # A term whose meaning only repeats its name ("wales": "Wales.") defines nothing. Figures
        # in a meaning are {{fact:ID}} placeholders, shown as in force on the snapshot's day.
        self._definitions = {
            canonical_token(t.term): t.model_copy(update={"meaning": kb.facts.render(t.meaning, kb.on)})
            for t in kb.glossary.terms
            if clean(t.meaning) != clean(t.term)
        }
        self._definition_cues = frozenset(clean(w) for w in cfg.definition_cues)
        # Greeting and thanks words around a definition question ("hi, what's a VCSE?") are not the term.
        polite = {w for phrases in cfg.small_talk.values() for p in phrases for w in clean(p).split()}
        self._definition_words = self._definition_cues | {clean(w) for w in cfg.definition_words} | polite
        self._membership_cues = frozenset(clean(w) for w in cfg.membership_cues)
        self._outside = [(t, [f" {clean(w)} " for w in t.words if clean(w)], self._forms(t.words)) for t in cfg.outside]
        self._small_talk = {
            kind: sorted({clean(p) for p in phrases if clean(p)}, key=len, reverse=True)
            for kind, phrases in cfg.small_talk.items()
        }
        self._small_talk_fillers = frozenset(clean(w) for w in cfg.small_talk_fillers)
        self._welsh_words = frozenset(clean(w) for w in cfg.welsh_words)
        self._anchors = frozenset(t for w in cfg.anchors for t in [" ".join(self.normaliser.terms(w))] if t)
        self._example_cues = [f" {clean(w)} " for w in cfg.example_cues if clean(w)]
        self._places = [(f" {clean(p)} ", nation) for nation, ps in cfg.nation_places.items() for p in ps if clean(p)]
        self._case_study_cues = [f" {clean(w)} " for w in cfg.case_study_cues if clean(w)]
        # The words of those cues, as the matcher reads them ("case", "studi", "exampl"...).
        self.example_terms = frozenset(
            t for w in (*cfg.example_cues, *cfg.case_study_cues) for t in self.normaliser.terms(w)
        )
        self._obligation_cues = [f" {clean(w)} " for w in cfg.obligation_cues if clean(w)]
        self._value_question_cues = [f" {clean(w)} " for w in cfg.value_question_cues if clean(w)]
        self._case_names = self._names_of_cases()
        self._glossary_terms = frozenset(
            term for t in kb.glossary.terms for text in (t.term, *t.variants) for term in self.normaliser.terms(text)
        )
        self._money_terms = frozenset(self.normaliser.terms(MONEY_WORD))
        self._names = self._one_word_names()
        self._glossary_words, self._phrases_with = self._words_for_respelling(kb)
        self._respellings: dict[str, str | None] = {}

    def _index_entry(self, entry: Entry) -> _Doc:
        normalised: dict[str, list[str]] = {}

        def norm(text: str) -> list[str]:
            if text not in normalised:
                normalised[text] = self.normaliser.terms(text, whole=True)
            return normalised[text]

        fields: dict[Field_, list[str]] = {
            "title": [entry.title],
            "aliases": entry.aliases,
            "keywords": entry.keywords,
            "questions": entry.questions,
            "short_answer": [entry.short_answer],
            "takeaway": [entry.takeaway] if entry.takeaway else [],
            "body": [entry.body],
        }
        tf: dict[str, float] = defaultdict(float)
        length = 0.0
        for name, texts in fields.items():
            weight = self.config.field_weights.get(name, 0.0)
            for text in texts:
                terms = norm(text)
                length += weight * len(terms)
                for term in terms:
                    tf[term] += weight
        texts = [" ".join(norm(t)) for t in (entry.title, *entry.aliases, *entry.questions)]
        names = [norm(t) for t in (entry.title, *entry.aliases)]
        return _Doc(entry, dict(tf), length, [t for t in texts if t], names)

    def _names_of_cases(self) -> dict[int, frozenset[str]]:
        """Per case study, the terms that name it: words of its title and aliases ("Manchester",
        "Preston") that no other kind of entry has in its title or aliases."""
        general: set[str] = set()
        for doc in self._docs:
            if doc.entry.kind != "case_study":
                for terms in doc.names:
                    general.update(terms)
        names = {}
        for i, doc in enumerate(self._docs):
            if doc.entry.kind == "case_study":
                own = {t for terms in doc.names for t in terms}
                names[i] = frozenset(own - general)
        return names

    def _one_word_names(self) -> dict[str, frozenset[str]]:
        """Per entry, the single terms that name it: a title or alias of one term ("coproduction"),
        and a case study's own name ("Liverpool")."""
        names = {}
        for i, doc in enumerate(self._docs):
            own = {terms[0] for terms in doc.names if len(terms) == 1}
            names[doc.entry.id] = frozenset(own | self._case_names.get(i, frozenset()))
        return names

    def _correct(self, term: str) -> str | None:
        """The known term a misspelt one most likely meant, or None."""
        if term in self._idf or term.isdigit() or "_" in term or len(term) < self.config.typo_min_length:
            return term if term in self._idf else None
        if term not in self._corrections:
            if len(self._corrections) > 50_000:
                self._corrections.clear()
            found = process.extractOne(term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=self.config.typo_cutoff)
            self._corrections[term] = found[0] if found else None
        return self._corrections[term]

    def _words_for_respelling(self, kb: KnowledgeBase) -> tuple[list[str], dict[str, list[set[str]]]]:
        """The glossary's words (to correct towards), and the other words of each glossary phrase a
        word is in."""
        single: set[str] = set()
        phrases_with: dict[str, list[set[str]]] = defaultdict(list)
        for item in kb.glossary.terms:
            for variant in (item.term, *item.variants):
                words = clean(variant).split()
                if len(words) == 1:
                    single.add(words[0])
                for word in words if len(words) > 1 else ():
                    phrases_with[word].append(set(words) - {word})
        glossary_words = sorted(w for w in single | set(phrases_with) if len(w) >= RESPELL_MIN_LENGTH)
        return glossary_words, {w: ps for w, ps in phrases_with.items() if w not in single}

    def _known_word(self, word: str) -> bool:
        """Whether the knowledge or the stopwords already use the word (in any form: "policies")."""
        terms = self.normaliser.terms(word)
        return not terms or terms[0] in self._idf

    def respell(self, question: str) -> str:
        """The question with misspelt glossary words corrected before the glossary reads it
        ("acadamy trusts" -> "academy trusts", "emergancy"), so its phrases still join up.

        A word is corrected only if neither the knowledge nor the stopwords use it, and only
        to a glossary word standing alone or completing a phrase with the question's other words.
        """
        words = clean(question, money=True).split()
        present = set(words)
        out = []
        for word in words:
            if len(word) >= RESPELL_MIN_LENGTH and not word.isdigit() and not self._known_word(word):
                fixed = self._respelling(word)
                if fixed is not None and (
                    fixed not in self._phrases_with or any(rest <= present for rest in self._phrases_with[fixed])
                ):
                    word = fixed
            out.append(word)
        return " ".join(out)

    def _respelling(self, word: str) -> str | None:
        if word not in self._respellings:
            if len(self._respellings) > 50_000:
                self._respellings.clear()
            found = process.extractOne(
                word, self._glossary_words, scorer=fuzz.ratio, score_cutoff=self.config.typo_cutoff
            )
            self._respellings[word] = found[0] if found else None
        return self._respellings[word]

    def query_terms(self, question: str) -> tuple[list[str], list[str]]:
        """The question's terms as known to the index, and the unknown ones."""
        known, unknown = [], []
        for term in dict.fromkeys(self.normaliser.terms(self.respell(question))):
            corrected = self._correct(term)
            if corrected is None:
                unknown.append(term)
            elif corrected not in known:
                known.append(corrected)
        return known, unknown

    def _text_scores(self, query: str, candidates: list[int]) -> tuple[dict[int, float], dict[int, float]]:
        """Per candidate: best blended fuzzy score, and best word-order-free exact-ish score.

        One rapidfuzz call per scorer over all candidates' texts keeps the loop in C++.
        """
        texts: list[str] = []
        owners: list[int] = []
        for i in candidates:
            texts.extend(self._docs[i].texts)
            owners.extend([i] * len(self._docs[i].texts))
        fuzzy: dict[int, float] = dict.fromkeys(candidates, 0.0)
        verbatim: dict[int, float] = dict.fromkeys(candidates, 0.0)
        sorts = {k: s for _, s, k in process.extract(query, texts, scorer=fuzz.token_sort_ratio, limit=None)}
        sets = {k: s for _, s, k in process.extract(query, texts, scorer=fuzz.token_set_ratio, limit=None)}
        for k, owner in enumerate(owners):
            sort_score = sorts.get(k, 0.0) / 100
            blended = 0.5 * sort_score + 0.5 * sets.get(k, 0.0) / 100
            if blended > fuzzy[owner]:
                fuzzy[owner] = blended
            if sort_score > verbatim[owner]:
                verbatim[owner] = sort_score
        return fuzzy, verbatim

    def ask(self, question: str, top: int = 3, *, user_nation: str | None = None) -> Answer:
        """Rank the entries for ``question``; say whether the best answers it, or what it is instead.

        ``user_nation`` is where the person asking works (SVBOT_NATION, --nation, the checklist's):
        a question naming no nation prefers a devolved nation's own law (``_home_law``).
        """
        small_talk = self.small_talk(question)
        if small_talk is not None:
            return Answer(question, False, False, [], small_talk=small_talk)
        cannot_read = self.unread(question)
        if cannot_read is not None:
            return Answer(question, False, False, [], unread=cannot_read)
        known, unknown = self.query_terms(question)
        asked, link = question, None
        if "http" in question and (not known or self.links.pointed_at(question)):
            # Only a link ("what's this? <url>"), or a question about it ("does this apply to councils? <url>",
            # "can someone explain this"): answer what it points to, and say how it was read. A link beside
            # a question that does not point at it is left out: the question's own words say what is asked.
            read = self.links.read_all(question)
            if read:
                asked, link = self.links.expand(question), "; ".join(read)
                known, unknown = self.query_terms(asked)
        words = self.normaliser.canonical_words(self.respell(asked))
        padded = f" {clean(asked)} "
        places = self.places_named(padded)
        nation = named_nation(words)
        if nation is None and len(places) == 1 and not NATION_WORDS.keys() & set(words):
            nation = next(iter(places))
        # The asker's nation counts only when the question names none, nor a place in one ("in
        # england and wales", "a London borough" is asked).
        home = None if NATION_WORDS.keys() & set(words) or places else user_nation
        example = self.wants_example(asked)
        obligation = any(cue in padded for cue in self._obligation_cues)
        # "do we have to ... for a 50k contract": is this contract covered, which the thresholds decide.
        value_question = any(cue in padded for cue in self._value_question_cues) and any(
            figure.money for figure in figures_in(asked)
        )
        # A link's words are its address's, not a person's phrasing, which is what the model learnt from.
        likely = self.likelihoods(asked) if link is None else {}
        matches = (
            self._rank(
                known,
                unknown,
                top,
                likely=likely,
                nation=nation,
                home=home,
                example=example,
                obligation=obligation,
                value_question=value_question,
            )
            if known
            else []
        )
        best = matches[0].score if matches else 0.0
        definition = self.definition(asked)
        # A strong match is about social value: only the subjects outside even so can veto it.
        confident = best >= self.config.outside_override
        anchored = self.anchored(known)
        outside = None if definition else self.outside_topic(asked, anchored=anchored or confident)
        if outside is None and definition is None and link is None and "http" in question:
            # A link no entry's source explains may still name a subject svbot does not cover (TUPE on Acas).
            outside = self.outside_topic(self.links.address_words(question), anchored=anchored or confident)
        evidence = self.evidence(matches[0].entry, known, unknown) if matches else None
        # "is there a case study on X?": a rule is not a case study, however well it scores.
        case_wanted = bool(matches) and any(cue in padded for cue in self._case_study_cues)
        fits = not case_wanted or matches[0].entry.kind == "case_study"
        # The model has learnt what questions svbot does not cover look like ("holiday pay for agency staff"):
        # it may refuse one, but says "outside what I cover" only where the rules would not have answered
        # and the question names no social value subject; otherwise "not sure", with the closest topics.
        # A question on what a glossary term means, or whether something is one ("is home care light touch?"),
        # is about svbot's own words, whatever its phrasing reminds the model of.
        unlikely = likely.get(OUTSIDE, 0.0) >= self.config.model_outside and definition is None
        answered = (
            outside is None and evidence is not None and fits and not unlikely and best >= self.config.answer_threshold
        )
        if definition is not None and not answered:
            # Offer only the topics that use the term, not whatever else scored.
            token = canonical_token(definition.term)
            matches = [m for m in matches if self.mentions(m.entry, token)]
        if answered or definition is not None:
            margin = best - matches[1].score if len(matches) > 1 else 1.0
            ambiguous = answered and margin < self.config.ambiguity_margin
            return Answer(question, answered, ambiguous, matches, definition=definition, nation=nation, link=link)
        # Nothing but a number or a sum of money in common with the best entry ("what's 15% of 340k").
        nothing_shared = evidence is None and bool(matches) and not self._words(self._shared(matches[0].entry, known))
        off_topic = outside is not None or best < self.config.outside_threshold or nothing_shared
        off_topic = off_topic or (unlikely and not anchored and best < self.config.answer_threshold)
        return Answer(question, False, False, matches, outside=outside, off_topic=off_topic, nation=nation, link=link)

    def _rank(
        self,
        known: list[str],
        unknown: list[str],
        top: int,
        *,
        nation: str | None = None,
        home: str | None = None,
        example: bool = True,
        obligation: bool = False,
        value_question: bool = False,
        likely: dict[str, float] | None = None,
    ) -> list[Match]:
        """The ``top`` entries for the question's terms, best first, each with its combined score.

        A question naming a nation prefers the entries that apply there, and of those the ones
        written for fewest nations: its own rules before rules shared with the others. One naming
        none, asked by someone working in ``home``, prefers a devolved nation's own law (a Welsh
        officer's "what is our duty" is the Welsh Act's). A case
        study is one authority's story: a question that neither names it nor asks for an
        ``example`` prefers the general entries to it. A question on what the law requires
        (``obligation``: "do we have to...") prefers the legal entries to good practice, and one
        that also names a sum of money (``value_question``) the entries on the thresholds.
        ``likely`` is the trained model's probability of each entry: a signal like the others, and its
        likeliest entries are scored even when the rules' shortlist missed them.
        """
        # A question made only of words every entry uses ("social value") carries
        # little information: the floor stops it from scoring as a perfect match.
        information = self.information(known, unknown)
        ideal = max(information, self.config.min_query_weight) * (K1 + 1)
        ranked = self._shortlist(known)
        if likely:
            ranked += self._model_candidates(likely, known, {i for i, _ in ranked})
        # Long, rambling questions gain nothing from more than a few dozen terms in fuzzy scoring.
        fuzzy, verbatim = self._text_scores(" ".join((known + unknown)[:MAX_FUZZY_TERMS]), [i for i, _ in ranked])
        weights = self.config.weights
        weight_sum = sum(weights.values()) or 1.0
        trust_verbatim = information >= self.config.min_query_weight
        matches = []
        for i, score in ranked:
            signals: dict[Signal, float] = {"terms": score / ideal, "fuzzy": fuzzy[i]}
            combined = sum(w * signals[k] for k, w in weights.items()) / weight_sum
            own_words = verbatim[i] >= self.config.verbatim_cutoff
            if trust_verbatim and own_words:
                # Nearly word for word one of the entry's own example questions: the best evidence there is.
                combined = max(combined, verbatim[i])
            if likely:
                # The model only lifts: an entry it is unsure of keeps the rules' score, and the threshold its scale.
                signals["model"] = likely.get(self._docs[i].entry.id, 0.0)
                combined += self.config.model_lift * max(0.0, signals["model"] - combined)
            if nation is not None:
                combined *= self._nation_fit(self._docs[i].entry, nation)
            elif home is not None and self._home_law(self._docs[i].entry, home):
                combined = min(combined * (1 + self.config.home_own), 1.0)
            elif home is not None and self._devolved_law(self._docs[i].entry):
                combined *= 1 - self.config.home_other
            if not (example or own_words) and i in self._case_names and not self._case_names[i].intersection(known):
                combined *= 1 - self.config.case_unnamed
            if obligation and self._docs[i].entry.kind != "legal":
                combined *= 1 - self.config.obligation_not_legal
            if value_question and self._docs[i].entry.id in self.config.value_question_entries:
                combined = min(combined * (1 + self.config.value_question), 1.0)
            matches.append(Match(self._docs[i].entry, combined, signals))
        matches.sort(key=lambda m: m.score, reverse=True)
        return matches[: max(top, 1)]

    def likelihoods(self, question: str) -> dict[str, float]:
        """The trained model's probability of each entry and of ``OUTSIDE``; empty without a model."""
        return self.model.probabilities(self.model_features(question)) if self.model else {}

    def model_features(self, question: str) -> set[str]:
        """The trained model's features of a question (``bot.matching.model.features``): the letter runs
        of its words but stopwords ("what's a" says nothing about the topic)."""
        words = [w for w in clean(question, money=True).split() if w not in self._stopwords]
        respelt = self.respell(question)
        return features(self.normaliser.terms(respelt), words, self.normaliser.canonical_words(respelt))

    def _model_candidates(self, likely: dict[str, float], known: list[str], seen: set[int]) -> list[tuple[int, float]]:
        """The model's likeliest entries the shortlist left out, with their term score."""
        best = heapq.nlargest(self.config.model_candidates + 1, likely.items(), key=lambda kv: kv[1])
        out = []
        for entry_id, _ in best:
            i = self._index_of.get(entry_id)
            if i is not None and i not in seen:
                out.append((i, sum(self._weights[i].get(t, 0.0) for t in known)))
        return out

    def places_named(self, padded: str) -> set[str]:
        """The nations whose places or bodies (``nation_places``) a cleaned, space-padded question names."""
        return {nation for phrase, nation in self._places if phrase in padded}

    def wants_example(self, question: str) -> bool:
        """Whether the question asks for an example or a case study ("has any council done this?")."""
        padded = f" {clean(question)} "
        return any(cue in padded for cue in self._example_cues)

    def information(self, known: list[str], unknown: list[str]) -> float:
        """How much terms say (summed IDF): "social value" little, "Preston" much, an unknown word most."""
        return sum(self._idf[t] for t in known) + self._unknown_idf * len(unknown)

    def _nation_fit(self, entry: Entry, nation: str) -> float:
        """How well an entry's jurisdiction fits a question about ``nation``: 1 for that nation alone."""
        if nation not in entry.jurisdiction:
            return 1 - self.config.nation_mismatch
        return 1 - self.config.nation_shared * (len(entry.jurisdiction) - 1)

    @staticmethod
    def _home_law(entry: Entry, home: str) -> bool:
        """Whether an entry is the law of ``home``, a devolved nation, alone: what someone working
        there means by "our duty". Other entries keep their score: where one does not apply, the
        answer says so and points to the nation's own law (``bot.nations``)."""
        return entry.kind == "legal" and home != HOME_DEFAULT and tuple(entry.jurisdiction) == (home,)

    @staticmethod
    def _devolved_law(entry: Entry) -> bool:
        """Whether an entry is the law of one devolved nation alone (Wales, Scotland or Northern Ireland)."""
        return entry.kind == "legal" and len(entry.jurisdiction) == 1 and entry.jurisdiction[0] != HOME_DEFAULT

    def _shortlist(self, known: list[str]) -> list[tuple[int, float]]:
        """Candidate entries with their BM25 score, best first.

        Fagin's threshold algorithm: walk every term's postings from its largest contribution
        down, score each entry met in full, and stop when the shortlist's weakest score beats
        what an entry not yet met could still reach (the sum of the postings' current values).
        Exact unless MAX_VISITS cuts the walk short; then the entries met first, those with
        the largest contributions, are the ones kept.
        """
        lists = [self._postings[t] for t in known]
        zeros = [0.0] * len(known)
        scores: dict[int, float] = {}
        weakest: list[float] = []  # min-heap of the best `candidates` scores so far
        size = self.config.candidates
        start = 0
        while True:
            met: set[int] = set()
            bound = 0.0
            for ids, values in lists:
                met.update(ids[start : start + CHUNK])
                end = start + CHUNK
                bound += values[end] if end < len(values) else 0.0
            met.difference_update(scores)
            for i in met:
                score = scores[i] = sum(map(self._weights[i].get, known, zeros))
                if len(weakest) < size:
                    heapq.heappush(weakest, score)
                elif score > weakest[0]:
                    heapq.heapreplace(weakest, score)
            start += CHUNK
            if bound == 0.0 or (len(weakest) == size and weakest[0] >= bound) or len(scores) >= MAX_VISITS:
                break
        return heapq.nlargest(size, scores.items(), key=lambda kv: kv[1])

    def _shared(self, entry: Entry, known: list[str]) -> list[str]:
        """The question's terms that ``entry`` uses."""
        doc = self._docs_by_id[entry.id]
        return [t for t in known if t in doc.tf]

    def _words(self, terms: list[str]) -> list[str]:
        """The terms that are words: not numbers ("15", "2026") nor a sum of money."""
        return [t for t in terms if not t.isdigit() and t not in self._money_terms]

    def evidence(self, entry: Entry, known: list[str], unknown: list[str]) -> list[str] | None:
        """The words the question shares with ``entry``, or None when they are too few to answer from.

        One shared word is enough only when it is a glossary term ("SROI", "fair work first") or
        all the question says and a name of the entry (an alias, "coproduction"; a case study's
        name, "Liverpool?"). A lone ordinary word ("test", "what time is it", "who built you?") or
        a case's name beside words it does not use ("the weather in Manchester") is a coincidence,
        not a question the entry answers.
        """
        words = self._words(self._shared(entry, known))
        if not self._about_the_case(entry, words, known, unknown):
            return None
        if len(words) >= self.config.min_evidence_words:
            return words
        if len(words) == 1:
            alone = len(self._words(known)) + len(unknown) == 1
            if words[0] in self._glossary_terms or (alone and words[0] in self._names[entry.id]):
                return words
        return None

    def _about_the_case(self, entry: Entry, shared: list[str], known: list[str], unknown: list[str]) -> bool:
        """Whether a question naming a case study asks about it: it shares a telling word with the case
        besides the case's name, or says nothing telling besides (``case_topic_idf``). True for other entries."""
        limit = self.config.case_topic_idf
        names = self._case_names.get(self._index_of[entry.id])
        if not limit or names is None or not names.intersection(shared):
            return True

        def telling(terms: list[str]) -> list[str]:
            return [t for t in terms if t not in names and t not in self.example_terms and self._idf[t] >= limit]

        return bool(telling(shared)) or not (telling(self._words(known)) or unknown)

    def definition(self, question: str) -> GlossaryTerm | None:
        """The glossary term a "what's a VCSE" / "what does MEAT stand for" / "is home care light
        touch?" question asks about."""
        words = self.normaliser.canonical_words(question)
        rest = [w for w in words if w not in self._definition_words]
        if self._definition_cues.intersection(words):
            return self._definitions.get(rest[0]) if len(rest) == 1 else None
        # "is X a VCSE?", "does X count as light touch?": whether something is one, answered with what one is.
        if self._membership_cues.intersection(words) and 1 < len(rest) <= MAX_MEMBERSHIP_WORDS + 1:
            return self._definitions.get(rest[-1])
        return None

    def knows(self, word: str) -> bool:
        """Whether the knowledge base uses ``word`` (any of its terms, as the matcher reads it)."""
        return any(term in self._idf for term in self.normaliser.terms(word))

    def unread(self, question: str) -> Unread | None:
        """Why ``question`` cannot be read as a question (no words, Welsh, another script), or None."""
        return unread(question, self._welsh_words)

    def small_talk(self, question: str) -> SmallTalk | None:
        """ "greeting", "thanks" or "about_svbot" when the message is only that ("hi there", "thanks very
        much", "who are you?", "test"), else None.

        Thanks win over the others ("hi, thanks!" is thanks); any other word makes it a question.
        """
        text = f" {clean(question)} "
        found: list[SmallTalk] = []
        for kind, phrases in self._small_talk.items():
            for phrase in phrases:
                padded = f" {phrase} "
                if padded in text:
                    text = text.replace(padded, " ")
                    if kind not in found:
                        found.append(kind)
        if not found or not set(text.split()) <= self._small_talk_fillers:
            return None
        return "thanks" if "thanks" in found else found[0]

    def anchored(self, known: list[str]) -> bool:
        """Whether the question's terms name social value or a regime svbot covers (an ``anchors`` word)."""
        return any(" ".join(known[i : i + n]) in self._anchors for n in (1, 2, 3) for i in range(len(known)))

    def outside_topic(self, question: str, *, anchored: bool = False) -> OutsideTopic | None:
        """The subject svbot does not cover that the question names (TUPE, GDPR...), if any.

        A question ``anchored`` on social value (naming an anchor, or matching an entry strongly)
        is outside only for the topics marked ``even_about_social_value``.
        """
        padded = f" {clean(question)} "
        stems = f" {' '.join(self.normaliser.terms(question))} "
        for topic, words, forms in self._outside:
            if (topic.even_about_social_value or not anchored) and (
                any(w in padded for w in words) or any(f in stems for f in forms)
            ):
                return topic
        return None

    def _forms(self, words: list[str]) -> list[str]:
        """The outside phrases as the matcher reads them, stemmed ("contract extensions" also finds
        "contract extension", "late payments" "late payment"). Only phrases no stopword shortens:
        "write my" read as "write" would find every question with "write" in it; and a single
        word's stem finds too much ("evaluators" and "evaluation" are both "evalu")."""
        forms = []
        for word in words:
            terms = self.normaliser.terms(word)
            if len(terms) > 1 and len(terms) == len(clean(word).split()):
                forms.append(f" {' '.join(terms)} ")
        return forms

    def mentions(self, entry: Entry, term: str) -> bool:
        """Whether ``entry`` uses the (canonical) term anywhere it is indexed."""
        doc = self._docs_by_id.get(entry.id)
        return doc is not None and term in doc.tf
