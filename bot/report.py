"""Figures across all records: the data on social value practice the seeds say is missing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from bot.matching.normalise import clean

if TYPE_CHECKING:
    from bot.core import Svbot

GROUP_SIMILARITY = 75


def group_similar(texts: list[str]) -> list[dict[str, Any]]:
    """Group near-identical questions so admins see each gap once, most asked first."""
    groups: list[dict[str, Any]] = []
    for text in texts:
        key = clean(text)
        if not key:
            continue
        for group in groups:
            if fuzz.token_sort_ratio(key, group["key"]) >= GROUP_SIMILARITY:
                group["count"] += 1
                break
        else:
            groups.append({"key": key, "example": text, "count": 1})
    groups.sort(key=lambda g: g["count"], reverse=True)
    return [{"question": g["example"], "count": g["count"]} for g in groups]


def build_report(app: Svbot, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    store = app.store
    kb = app.snapshot().kb
    checklists = app.checklists.all()
    decisions: dict[str, Counter[str]] = {s.id: Counter() for s in kb.checklist.steps}
    decisions.update(store.current_decision_counts())
    total_answers, refused = store.answer_counts()
    refusal_reasons: Counter[str] = Counter()
    for problems in store.refusal_problems():
        for problem in problems:
            refusal_reasons[problem.split(".")[0]] += 1
    questions_total, unanswered_total = store.question_counts()
    unanswered = [r["text"] for r in store.unanswered_questions(limit=1000)]
    feedback = store.feedback_by_entry()
    not_helpful = [
        {"id": e, "helpful": h, "not_helpful": n}
        for e, h, n in sorted((f for f in feedback if f[2]), key=lambda f: f[2], reverse=True)
    ]
    none_relevant = decisions.get("outcomes", Counter()).get("none-relevant", 0)
    outcomes_total = sum(decisions.get("outcomes", Counter()).values())
    return {
        "checklists": {
            "started": len(checklists),
            "completed": sum(1 for c in checklists if c["status"] == "complete"),
        },
        "decisions": {step: dict(counter) for step, counter in decisions.items()},
        "none_relevant_share": round(none_relevant / outcomes_total, 3) if outcomes_total else None,
        "answers": {
            "total": total_answers,
            "refused": refused,
            "refusal_rate": round(refused / total_answers, 3) if total_answers else None,
            "top_refusal_reasons": [{"reason": r, "count": n} for r, n in refusal_reasons.most_common(5)],
        },
        "questions": {
            "total": questions_total,
            "unanswered": unanswered_total,
            "unanswered_groups": group_similar(unanswered)[:20],
        },
        "feedback": {
            "helpful": sum(h for _, h, _ in feedback),
            "not_helpful": sum(n for _, _, n in feedback),
            "entries_not_helpful": not_helpful[:10],
        },
        "review_due": [{"id": e.id, "review_by": e.review_by.isoformat()} for e in kb.entries if e.review_by < today],
    }
