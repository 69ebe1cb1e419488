"""Figures across all records: the data on social value practice the seeds say is missing.

``build_report`` covers everything, or a window of dates (``--since``/``--until``,
both inclusive, UTC): checklists started in it, answers given, disputes recorded,
sign-offs given and questions asked in it. Withdrawn checklists are counted as
withdrawn and kept out of every other figure. States come from ``states.py``
through ``progress``, so the report agrees with every record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from bot.checklist.record import dispute_outcome
from bot.checklist.states import AnswerStatus, ChecklistStatus
from bot.matching.normalise import clean

if TYPE_CHECKING:
    from bot.checklist.progress import Progress
    from bot.core import Svbot
    from bot.knowledge.schema import ChecklistStep
    from bot.store.db import AnswerRow

GROUP_SIMILARITY = 75
# What the checker said about an answer it refused, whatever the team did next.
CHECKER_REFUSED = (AnswerStatus.REFUSED, AnswerStatus.DISPUTED, AnswerStatus.UPHELD)
# Where a sentence ends: a stop and a space before the next one's capital, not the point in "s.1" or "e.g. a".
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class Window:
    """Inclusive dates (UTC); None at either end means open-ended."""

    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def start(self) -> str | None:
        """The first stored timestamp in the window (timestamps are ISO strings, UTC)."""
        return self.since.isoformat() if self.since else None

    @property
    def end(self) -> str | None:
        """The first stored timestamp after the window."""
        return (self.until + dt.timedelta(days=1)).isoformat() if self.until else None

    def holds(self, at: str | None) -> bool:
        """Whether a stored timestamp (or date) falls in the window."""
        if not at:
            return False
        day = at[:10]
        return (self.since is None or day >= self.since.isoformat()) and (
            self.until is None or day <= self.until.isoformat()
        )

    def as_dict(self) -> dict[str, str | None]:
        return {"since": self.start, "until": self.until.isoformat() if self.until else None}


def group_similar(texts: list[str], languages: list[str | None] | None = None) -> list[dict[str, Any]]:
    """Group near-identical questions so admins see each gap once, most asked first.

    ``languages`` marks questions in a language svbot does not read ("welsh", "other-script"): they are
    grouped apart, and a group of them says so (``language``). Another script's words are compared as
    typed, since ``clean`` keeps only the Latin alphabet.
    """
    groups: list[dict[str, Any]] = []
    for text, language in zip(texts, languages or [None] * len(texts), strict=True):
        key = clean(text) if language != "other-script" else " ".join(text.casefold().split())
        if not key:
            continue
        for group in groups:
            if group["language"] == language and fuzz.token_sort_ratio(key, group["key"]) >= GROUP_SIMILARITY:
                group["count"] += 1
                break
        else:
            groups.append({"key": key, "example": text, "count": 1, "language": language})
    groups.sort(key=lambda g: g["count"], reverse=True)
    return [
        {"question": g["example"], "count": g["count"], **({"language": g["language"]} if g["language"] else {})}
        for g in groups
    ]


def build_report(app: Svbot, today: dt.date | None = None, window: Window | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    window = window or Window()
    store = app.store
    kb = app.snapshot().kb
    steps = kb.checklist.steps
    checklists = _checklists(app, window)
    kept = [c for c in checklists if c["state"].status is not ChecklistStatus.WITHDRAWN]
    decisions = _decisions(steps, kept)
    dismissals = _dismissals(steps, decisions)
    answers = [a for c in checklists if c["row"].get("withdrawn_at") is None for a in c["answers"]]
    questions_total, unanswered_total = store.question_counts(window.start, window.end)
    unanswered = store.unanswered_questions(limit=1000, start=window.start, end=window.end)
    texts, languages = [r["text"] for r in unanswered], [r.get("language") for r in unanswered]
    feedback = store.feedback_by_entry(window.start, window.end)
    not_helpful = [
        {"id": e, "helpful": h, "not_helpful": n}
        for e, h, n in sorted((f for f in feedback if f[2]), key=lambda f: f[2], reverse=True)
    ]
    outcomes = dismissals.get("outcomes")
    return {
        "window": window.as_dict(),
        "checklists": _checklist_figures(checklists, kept, window),
        "decisions": decisions,
        # Kept for readers of earlier reports: the dismissal share of the outcomes step.
        "none_relevant_share": outcomes["share"] if outcomes else None,
        "dismissals": dismissals,
        "answers": _answer_figures(answers, window),
        "disputes": _dispute_figures(checklists, window),
        "questions": {
            "total": questions_total,
            "unanswered": unanswered_total,
            "unanswered_groups": group_similar(texts, languages)[:20],
        },
        "feedback": {
            "helpful": sum(h for _, h, _ in feedback),
            "not_helpful": sum(n for _, _, n in feedback),
            "entries_not_helpful": not_helpful[:10],
        },
        "review_due": [{"id": e.id, "review_by": e.review_by.isoformat()} for e in kb.entries if e.review_by < today],
    }


def _checklists(app: Svbot, window: Window) -> list[dict[str, Any]]:
    """Every checklist with its answers and state (the window is applied per figure)."""
    out = []
    for row in app.store.all_checklists():
        answers = app.store.answers(row["id"])
        state = app.checklists.progress(row["id"], row)
        out.append({"row": row, "answers": answers, "state": state, "started": window.holds(row["created_at"])})
    return out


def _checklist_figures(checklists: list[dict[str, Any]], kept: list[dict[str, Any]], window: Window) -> dict[str, Any]:
    """Checklists started in the window, by status now; late sign-offs given in the window."""
    started = [c for c in kept if c["started"]]
    status = Counter(str(c["state"].status) for c in started)
    return {
        "started": len(started),
        "completed": status[ChecklistStatus.COMPLETE],
        "open": status[ChecklistStatus.OPEN],
        "deferred": status[ChecklistStatus.DEFERRED],
        "withdrawn": sum(1 for c in checklists if c["started"] and c["row"].get("withdrawn_at")),
        "late_sign_offs": [late for c in kept if (late := _late(c, window))],
    }


def _late(checklist: dict[str, Any], window: Window) -> dict[str, Any] | None:
    """A sign-off given in the window after the procurement had started (s.1 asks for it before)."""
    row, sign = checklist["row"], checklist["state"].sign_off
    starts = row.get("starts_on")
    if not (starts and sign and sign.valid and window.holds(sign.at)):
        return None
    signed_on = sign.at[:10]
    if signed_on <= starts:
        return None
    return {"id": row["id"], "title": row["title"], "starts_on": starts, "signed_on": signed_on}


def _decisions(steps: list[ChecklistStep], kept: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """For each step, how many checklists started in the window have each option as an answer that counts."""
    counts: dict[str, Counter[str]] = {s.id: Counter() for s in steps}
    for checklist in kept:
        if not checklist["started"]:
            continue
        state: Progress = checklist["state"]
        for step, answer in state.current.items():
            if answer.counts:
                counts.setdefault(step, Counter())[answer.decision] += 1
    return {step: dict(counter) for step, counter in counts.items()}


def _dismissals(steps: list[ChecklistStep], decisions: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """How often each step is answered with a dismissal: the options checklist.yaml marks ``negative``."""
    out = {}
    for step in steps:
        negative = [o.id for o in step.options if o.negative]
        if not negative:
            continue
        counts = decisions.get(step.id, {})
        answered = sum(counts.values())
        dismissed = sum(counts.get(o, 0) for o in negative)
        out[step.id] = {
            "options": negative,
            "count": dismissed,
            "answered": answered,
            "share": round(dismissed / answered, 3) if answered else None,
        }
    return out


def first_sentence(text: str) -> str:
    """What a refusal says is wrong: its first sentence (the rest is the question to answer)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def _answer_figures(answers: list[AnswerRow], window: Window) -> dict[str, Any]:
    """Answers given in the window; "refused" counts every answer the checker refused."""
    given = [a for a in answers if window.holds(a.created_at)]
    refused = [a for a in given if a.status in CHECKER_REFUSED]
    reasons: Counter[str] = Counter(first_sentence(p) for a in refused for p in a.problems)
    return {
        "total": len(given),
        "refused": len(refused),
        "refusal_rate": round(len(refused) / len(given), 3) if given else None,
        "top_refusal_reasons": [{"reason": r, "count": n} for r, n in reasons.most_common(5)],
        "disputed": sum(1 for a in refused if a.disputed_at),
    }


# The checker's rules that say an element was waived, not that anything was refused: the
# record supplied it (``recorded:``), it was moot (``moot:``) or named (``named:``).
WAIVERS = ("recorded:", "moot:", "named:")
# How a dispute ended, per rule: upheld by someone other than who raised it, self-upheld, revised, waiting.
DISPUTE_OUTCOMES = ("upheld", "self_upheld", "superseded", "pending")


def _dispute_figures(checklists: list[dict[str, Any]], window: Window) -> dict[str, Any]:
    """Disputes recorded in the window, how they ended, and per checker rule, so admins know what to tune.

    A dispute upheld by the person who raised it (``self_upheld``) is counted apart, and listed:
    one person overriding the checker alone says nothing about whether its rule was wrong.
    Rules that refused nothing (``WAIVERS``) are left out of the per-rule table.
    """
    outcomes: Counter[str] = Counter()
    rules: dict[str, Counter[str]] = {}
    self_upheld: list[dict[str, Any]] = []
    for checklist in checklists:
        row = checklist["row"]
        if row.get("withdrawn_at"):
            continue
        history = checklist["answers"]
        for answer in history:
            if not window.holds(answer.disputed_at):
                continue
            outcome = dispute_outcome(answer, history)
            if outcome == "upheld" and answer.resolved_by == answer.disputed_by:
                outcome = "self_upheld"
                self_upheld.append(_self_upheld(row, answer))
            outcomes[outcome] += 1
            # Answers refused before the checker's rules were stored have none: counted under null.
            for rule in _refusing(answer.rules) or [""]:
                rules.setdefault(rule, Counter())[outcome] += 1
    ordered = sorted(rules.items(), key=lambda item: (-sum(item[1].values()), -item[1]["upheld"], item[0]))
    by_rule = [
        {"rule": rule or None, "disputed": sum(c.values()), **{o: c[o] for o in DISPUTE_OUTCOMES}}
        for rule, c in ordered
    ]
    return {
        "total": sum(outcomes.values()),
        # Every dispute a person upheld; ``self_upheld`` says how many of them the one who raised it did.
        "upheld": outcomes["upheld"] + outcomes["self_upheld"],
        "self_upheld": outcomes["self_upheld"],
        "superseded": outcomes["superseded"],
        "pending": outcomes["pending"],
        "by_rule": by_rule,
        "self_upheld_disputes": self_upheld,
    }


def _refusing(rules: list[str]) -> list[str]:
    """The rules that refused an answer, without those that only waived an element."""
    return [r for r in rules if not r.startswith(WAIVERS)]


def _self_upheld(row: dict[str, Any], answer: AnswerRow) -> dict[str, Any]:
    """A dispute its own author upheld: where, which step, who and when, and the rules it overrode."""
    return {
        "checklist": row["id"],
        "title": row["title"],
        "step": answer.step,
        "decision": answer.decision,
        "by": answer.resolved_by,
        "at": answer.resolved_at,
        "rules": _refusing(answer.rules),
    }
