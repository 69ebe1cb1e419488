"""Answers to two steps that cannot both stand (``conflicts:`` in knowledge/checklist.yaml).

The reasons checker reads one answer at a time; a record can still say two things
that cannot both be true, such as "no relevant outcomes" at one step and
"securing them through the process" at another. An answer that clashes with
another step's answer that counts is refused, naming that answer, so the record
never holds both unless a decision maker upholds it over the objection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.checklist.checker import Verdict
from bot.knowledge.schema import ChecklistFile, ChecklistStep
from bot.store.db import AnswerRow

PROBLEM = "conflict"


@dataclass(frozen=True)
class Clash:
    """Another step's answer that the new one contradicts, and why they cannot both stand."""

    step: ChecklistStep
    decision: str
    label: str
    why: str

    @property
    def rule(self) -> str:
        return f"conflict:{self.step.id}/{self.decision}"


def clashes(checklist: ChecklistFile, step_id: str, decision: str, current: Mapping[str, AnswerRow]) -> list[Clash]:
    """The answers that count on other steps which ``decision`` at ``step_id`` contradicts."""
    steps = {s.id: s for s in checklist.steps}
    found: list[Clash] = []
    for conflict in checklist.conflicts:
        if conflict.answers.get(step_id) != decision:
            continue
        for other_id, other_decision in conflict.answers.items():
            answer = current.get(other_id)
            if other_id == step_id or answer is None or not answer.counts or answer.decision != other_decision:
                continue
            other = steps[other_id]
            label = next(o.label for o in other.options if o.id == other_decision)
            found.append(Clash(other, other_decision, label, conflict.why))
    return found


def objected(checklist: ChecklistFile, step_id: str, decision: str, rules: list[str]) -> list[Clash]:
    """The answers an answer was refused for contradicting, read from its stored rules (``Clash.rule``).

    A decision maker may uphold it over that objection: the record then says which answer it
    contradicts, and why, as the refusal did.
    """
    steps = {s.id: s for s in checklist.steps}
    found: list[Clash] = []
    for rule in rules:
        other_id, _, other_decision = rule.removeprefix(f"{PROBLEM}:").partition("/")
        if not rule.startswith(f"{PROBLEM}:") or other_id not in steps:
            continue
        pair = {step_id: decision, other_id: other_decision}
        why = next((c.why for c in checklist.conflicts if pair.items() <= c.answers.items()), None)
        label = next((o.label for o in steps[other_id].options if o.id == other_decision), other_decision)
        if why is not None:
            found.append(Clash(steps[other_id], other_decision, label, why))
    return found


def refused_for(verdict: Verdict, found: list[Clash]) -> Verdict:
    """``verdict`` refused for the clashes as well as for anything the checker found."""
    if not found:
        return verdict
    problems = verdict.problems if not verdict.accepted else []
    return replace(
        verdict,
        accepted=False,
        problems=[PROBLEM, *problems],
        rules=[*verdict.rules, *(c.rule for c in found)],
    )
