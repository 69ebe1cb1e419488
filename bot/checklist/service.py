"""Checklist operations shared by the CLI, the chat and Slack.

Nothing here knows about Slack: callers pass plain user names or ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from bot.checklist.checker import Verdict
from bot.checklist.conflicts import PROBLEM as CONFLICT
from bot.checklist.conflicts import Clash, clashes, refused_for
from bot.checklist.details import ChecklistDetails
from bot.checklist.formats import BINARY_FORMATS, EXPORT_FORMATS, TEXT_FORMATS
from bot.checklist.notes import read_note
from bot.checklist.progress import Progress, progress
from bot.checklist.record import Names, build_record, knowledge_version, start_events
from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS, AnswerStatus, ChecklistStatus
from bot.dates import DateError, not_before, parse_day
from bot.knowledge.schema import ChecklistStep
from bot.nations import parse_nation
from bot.problems import PROBLEM, USAGE
from bot.scope import BODIES
from bot.store.chain import ChainReport

if TYPE_CHECKING:
    from bot.core import Snapshot, Svbot
    from bot.store.db import AnswerRow

MAX_TITLE = 200
MAX_REASONS_STORED = 20_000
MAX_DETAIL = 300
MAX_NOTE = 5_000
TEXT_DETAILS = ("reference", "value", "category", "buying")
# How a refusal names each detail that is too long.
DETAIL_WORDS = {
    "reference": "the reference",
    "value": "the value",
    "category": "the category",
    "buying": "what is bought",
    "decision_maker_role": "the decision maker's role",
}


def tidy_title(title: str) -> str:
    """A title as stored and shown: one line, single spaces (``checked`` refuses one over MAX_TITLE)."""
    return " ".join(title.split())


RECORD_WORDS = "checklist/record_words.txt.j2"


class ChecklistError(Exception):
    """A checklist request that cannot be carried out (unknown id, step or option).

    ``status``: the command line's exit status for it (``USAGE`` for input typed wrongly).
    """

    status = PROBLEM


class DateInputError(ChecklistError):
    """A date given is missing, malformed or impossible: a usage error, as it is for every command."""

    status = USAGE


class NotAllowed(ChecklistError):
    """The user may not take this action; the message says who can, by the names they gave svbot.

    ``action`` and ``who`` (the ids of the ``starter``, the ``named`` decision maker, the
    ``decider``) let a front end name them its own way (``ChecklistService.who_may``): Slack
    text as mentions.
    """

    def __init__(self, message: str, action: str, who: dict[str, str | None], checklist_id: str = ""):
        super().__init__(message)
        self.action = action
        self.who = who
        self.checklist_id = checklist_id


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    problems: list[str]
    answer: AnswerRow
    verdict: Verdict
    complete: bool
    step: ChecklistStep
    cites: list[dict[str, str]] = field(default_factory=list)
    state: Progress | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "problems": self.problems,
            "answer_id": self.answer.id,
            "complete": self.complete,
        }


class NotReady(ChecklistError):
    """Sign-off asked for while other steps are open or disputed; the message names them."""


class RevisitError(DateInputError):
    """A deferral's revisit date is missing, malformed, impossible or past (a form shows it at the date)."""


def parse_date(text: str | None, what: str) -> str | None:
    """An ISO date (YYYY-MM-DD) or None if blank; anything else is a friendly error (see ``bot.dates``)."""
    if text is None or not text.strip():
        return None
    try:
        return parse_day(text, what).isoformat()
    except DateError as exc:
        raise DateInputError(str(exc)) from None


def revisit_date(text: str | None, today: dt.date | None = None) -> str:
    """A deferral's revisit date: a real date, today or later (RevisitError otherwise).

    Today is allowed: a team deferring to a meeting later the same day has a date to come back
    to, and the reminder falls due that day. Before today nothing would ever be revisited.
    """
    if text is None or not text.strip():
        raise RevisitError("a deferral needs a revisit date (YYYY-MM-DD): when will the team come back to it?")
    what = "the revisit date"
    try:
        return not_before(parse_day(text, what), today or dt.date.today(), what).isoformat()
    except DateError as exc:
        raise RevisitError(str(exc)) from None


def tidy(text: str | None, limit: int = MAX_DETAIL) -> str | None:
    """One line of text (procurement details must never break a record's layout), or None if blank."""
    text = " ".join((text or "").split())[:limit]
    return text or None


class ChecklistService:
    def __init__(self, app: Svbot):
        self.app = app

    @property
    def steps(self) -> list[ChecklistStep]:
        return list(self.app.snapshot().kb.checklist.steps)

    def step(self, step_id: str, snap: Snapshot | None = None) -> ChecklistStep:
        steps = (snap or self.app.snapshot()).kb.checklist.steps
        for step in steps:
            if step.id == step_id:
                return step
        known = ", ".join(s.id for s in steps)
        raise ChecklistError(f"there is no step '{step_id}'; the steps are: {known}")

    def _checklist(self, checklist_id: str) -> dict[str, Any]:
        row = self.app.store.get_checklist(checklist_id)
        if row is None:
            raise ChecklistError(f"there is no checklist '{checklist_id}'")
        return row

    def _writable(self, checklist_id: str) -> dict[str, Any]:
        """The checklist, if it may still change (a withdrawn one is read-only)."""
        row = self._checklist(checklist_id)
        if row.get("withdrawn_at"):
            raise ChecklistError(
                f"checklist {checklist_id} was withdrawn on {row['withdrawn_at'][:10]} "
                f"({row['withdraw_reason']}); it is kept read-only"
            )
        return row

    def new(
        self,
        details: ChecklistDetails,
        by: str,
        *,
        checklist_id: str | None = None,
        team: str | None = None,
        channel: str | None = None,
        parent_ts: str | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """Start a checklist; ``team``, ``channel`` and the thread say where it lives in Slack."""
        return self.app.store.create_checklist(
            self.checked(details),
            by,
            checklist_id=checklist_id,
            team=team,
            channel=channel,
            parent_ts=parent_ts,
            thread_ts=thread_ts,
        )

    def checked(self, details: ChecklistDetails) -> ChecklistDetails:
        """The details as stored: tidied to one line each, dates, nation and body type checked."""
        title = tidy_title(details.title)
        if not title:
            raise ChecklistError("a checklist needs a title, e.g. the name of the procurement")
        # Too long is refused, never cut: a record must not hold words other than those typed.
        _fits(title, MAX_TITLE, "the title", "put the detail in the reference or in what is bought")
        for name, what in DETAIL_WORDS.items():
            _fits(" ".join((getattr(details, name) or "").split()), MAX_DETAIL, what)
        if details.decision_maker is not None and not details.decision_maker.strip():
            raise ChecklistError("the decision maker needs a name")
        return replace(
            details,
            title=title,
            **{name: tidy(getattr(details, name)) for name in TEXT_DETAILS},
            decision_maker=self.person(details.decision_maker) if details.decision_maker else None,
            decision_maker_role=tidy(details.decision_maker_role),
            starts_on=parse_date(details.starts_on, "the procurement start date"),
            start_event=self._start_event(details.start_event),
            nation=_nation(details.nation),
            body_type=_body_type(details.body_type),
        )

    def _start_event(self, event: str | None) -> str | None:
        if event is None:
            return None
        known = start_events(self)
        if event not in known:
            raise ChecklistError(f"unknown start event '{event}'; use one of: {', '.join(known)}")
        return event

    def set_start(self, checklist_id: str, starts_on: str, start_event: str | None, by: str) -> None:
        """Record when the procurement starts or started (tender or transparency notice, market approach...)."""
        self._writable(checklist_id)
        day = parse_date(starts_on, "the procurement start date")
        if day is None:
            raise DateInputError("give the date the procurement starts or started, written YYYY-MM-DD")
        self.app.store.set_start(checklist_id, day, self._start_event(start_event), by)

    def person(self, who: str) -> str:
        """The id of the person ``who`` names: their id (a login, a Slack user id) or the name they gave.

        People act under their id everywhere (``--by``, the chat's login, Slack), so a decision
        maker is stored as one. A name someone gave svbot (``name`` in the chat) stands for their
        id; a full name nobody gave would be an id no one can act as, so it is refused.
        """
        text = tidy(who)
        if text is None:
            raise ChecklistError("the decision maker needs a name; a blank one cannot sign anything off")
        store = self.app.store
        if store.person_name(text) is not None:
            return text
        named = store.people_named(text)
        if len(named) == 1:
            return named[0]
        if named or any(c.isspace() for c in text):
            raise ChecklistError(self.app.renderer.render("checklist/who_is_that.txt.j2", given=text, ids=named))
        return text

    def name_of(self, user: str) -> str:
        """How ``user`` is shown: the name they gave svbot, else their id."""
        return self.app.store.person_name(user) or user

    def not_allowed(self, checklist: dict[str, Any], action: str) -> NotAllowed:
        """Who may take ``action`` (sign, resolve, withdraw, name), by the names they gave."""
        who = {
            "starter": checklist["created_by"],
            "named": checklist.get("decision_maker") or None,
            "decider": self.decider(checklist),
        }
        checklist_id = checklist["id"]
        return NotAllowed(self.who_may(action, who, self.name_of, checklist_id), action, who, checklist_id)

    def who_may(self, action: str, who: dict[str, str | None], name: Names, checklist_id: str = "") -> str:
        """The words saying who may take ``action``, each person (``who``: role -> id) shown as ``name`` gives."""
        names = {role: name(user) if user else None for role, user in who.items()}
        return self.app.renderer.render("checklist/not_allowed.txt.j2", action=action, id=checklist_id, **names)

    def can_sign_off(self, checklist: dict[str, Any], user: str) -> bool:
        return user in (checklist["created_by"], checklist.get("decision_maker"))

    def decider(self, checklist: dict[str, Any]) -> str:
        """Who signs off and resolves disputes: the named decision maker, else the starter."""
        return checklist.get("decision_maker") or checklist["created_by"]

    def name_decision_maker(self, checklist_id: str, user: str, by: str, role: str | None = None) -> str:
        """Name who may sign off (an id, or the name they gave: see ``person``); returns their id.

        Changing it after sign-off reopens the checklist.
        """
        checklist = self._writable(checklist_id)
        if by != checklist["created_by"]:
            raise self.not_allowed(checklist, "name")
        person = self.person(user)
        self.app.store.set_decision_maker(checklist_id, person, by, tidy(role))
        return person

    def withdraw(self, checklist_id: str, reason: str, by: str) -> None:
        """Withdraw a checklist started by mistake: kept, read-only, left out of the report's figures."""
        checklist = self._writable(checklist_id)
        if not self.can_sign_off(checklist, by):
            raise self.not_allowed(checklist, "withdraw")
        reason = " ".join((reason or "").split())
        if not reason:
            raise ChecklistError("say why the checklist is withdrawn (the reason is kept in the record)")
        self.app.store.withdraw(checklist_id, reason[:MAX_NOTE], by)

    def verify(self, checklist_id: str) -> ChainReport:
        """Recompute the checklist's hash chain: is its history as svbot wrote it?"""
        self._checklist(checklist_id)
        return self.app.store.verify_chain(checklist_id)

    def progress(self, checklist_id: str, checklist: dict[str, Any] | None = None) -> Progress:
        """Which steps count, which are disputed, and whether it is signed off, deferred or complete."""
        checklist = checklist or self._checklist(checklist_id)
        store = self.app.store
        return progress([s.id for s in self.steps], store.answers(checklist_id), store.events(checklist_id), checklist)

    def check_may_answer(self, checklist_id: str, step_id: str, by: str) -> None:
        """Raise NotAllowed if ``by`` may not answer the step: only the sign-off step is restricted."""
        checklist = self._checklist(checklist_id)
        self._check_sign_off(checklist, self.step(step_id), by)

    def record_facts(
        self, checklist: dict[str, Any], step: ChecklistStep, by: str, revisit: str | None = None
    ) -> set[str]:
        """What this checklist's record already shows for an answer to ``step`` by ``by`` today.

        The checker does not ask the reasons to repeat them (``RECORD_FACTS``): who decides
        (the named decision maker answering the sign-off step), the revisit date of a
        deferral, and that the decision comes before the procurement's recorded start.
        """
        facts: set[str] = set()
        if step.sign_off and checklist.get("decision_maker") and by == checklist["decision_maker"]:
            facts.add("decision-maker")
        if revisit:
            facts.add("revisit-date")
        starts_on = checklist.get("starts_on")
        # On the start date itself counts as before, as in the record's timing (record.py).
        if starts_on and dt.date.today().isoformat() <= starts_on:
            facts.add("before-start")
        return facts

    def clashes_for(self, checklist_id: str, step_id: str, decision: str) -> list[Clash]:
        """Answers on other steps of the checklist that ``decision`` at ``step_id`` contradicts; records nothing."""
        return clashes(self.app.snapshot().kb.checklist, step_id, decision, self.progress(checklist_id).current)

    def facts_for(self, checklist_id: str, step_id: str, by: str, revisit_on: str | None = None) -> set[str]:
        """``record_facts`` for a checklist by id (``svbot checklist try --checklist``); records nothing."""
        step = self.step(step_id)
        revisit = revisit_date(revisit_on) if revisit_on else None
        return self.record_facts(self._checklist(checklist_id), step, by, revisit)

    def _check_sign_off(self, checklist: dict[str, Any], step: ChecklistStep, by: str) -> None:
        if step.sign_off and not self.can_sign_off(checklist, by):
            raise self.not_allowed(checklist, "sign")

    def answer(
        self,
        checklist_id: str,
        step_id: str,
        decision: str,
        reasons: str,
        by: str,
        *,
        revisit_on: str | None = None,
        scope: dict[str, Any] | None = None,
    ) -> AnswerOutcome:
        """Check and record one answer. Refused answers are recorded too.

        ``revisit_on`` (YYYY-MM-DD) is required for ``decision/defer``; ``scope``
        is the scope finder's answer (its JSON) when the team used it.
        """
        checklist = self._writable(checklist_id)
        snap = self.app.snapshot()
        step = self.step(step_id, snap)
        if decision not in {o.id for o in step.options}:
            options = ", ".join(o.id for o in step.options)
            raise ChecklistError(f"'{decision}' is not an option for step '{step_id}'; choose one of: {options}")
        self._check_sign_off(checklist, step, by)
        revisit = self._revisit(step, decision, revisit_on)
        if decision in SIGN_OFF_DECISIONS and step.sign_off:
            self._ready_to_sign(checklist_id, checklist, step.id)
        reasons = (reasons or "").strip()
        verdict = snap.checker.check(step_id, decision, reasons, self.record_facts(checklist, step, by, revisit))
        found = clashes(snap.kb.checklist, step.id, decision, self.progress(checklist_id, checklist).current)
        verdict = refused_for(verdict, found)
        negative = snap.checker.is_negative(step_id, decision)
        problems = [
            self.app.renderer.render(
                "checklist/problem.txt.j2", code=code, step=step, negative=negative, verdict=verdict, clashes=found
            )
            for code in verdict.problems
        ]
        version = knowledge_version(snap.kb)
        row = self.app.store.add_answer(
            checklist_id,
            step_id,
            decision,
            reasons[:MAX_REASONS_STORED],
            by,
            AnswerStatus.ACCEPTED if verdict.accepted else AnswerStatus.REFUSED,
            problems,
            rules=list(verdict.rules),
            cites=self.guidance(step, snap),
            kb_fingerprint=version["fingerprint"],
            kb_date=version["date"],
            revisit_on=revisit,
            scope=scope,
        )
        state = self.progress(checklist_id)
        complete = state.status is ChecklistStatus.COMPLETE
        pointers = self.pointers(step, decision, snap)
        return AnswerOutcome(verdict.accepted, problems, row, verdict, complete, step, pointers, state)

    def describe(self, outcome: AnswerOutcome) -> str:
        """What to tell the person after an answer: recorded and what is left, or why it was refused."""
        render = self.app.renderer.render
        if not outcome.accepted:
            return render(
                "checklist/refusal.txt.j2",
                step=outcome.step,
                problems=outcome.problems,
                pointers=outcome.cites,
                why=refusal_kind(outcome.verdict.problems),
            )
        state = outcome.state or self.progress(outcome.answer.checklist_id)
        return render(
            "checklist/accepted.txt.j2",
            step=outcome.step,
            label=next(o.label for o in outcome.step.options if o.id == outcome.answer.decision),
            complete=outcome.complete,
            revision=outcome.answer.supersedes is not None,
            open_steps=state.open_steps,
            status=str(state.status),
            # The checklist's deferral, whichever step was just answered.
            revisit_on=state.deferral.revisit_on if state.deferral else None,
        )

    @staticmethod
    def _revisit(step: ChecklistStep, decision: str, revisit_on: str | None) -> str | None:
        if not (step.sign_off and decision == DEFER_DECISION):
            if revisit_on is not None and revisit_on.strip():
                # Said, not dropped: the team meant to come back to something, and nothing would remind them.
                raise RevisitError(
                    f"a revisit date is only for deferring the decision ('{step.id}' answered '{decision}' "
                    f"has none): leave the revisit date out, or defer the decision step with it"
                )
            return None
        return revisit_date(revisit_on)

    def check_sign_off(self, checklist_id: str, by: str) -> None:
        """Raise ``NotAllowed`` or ``NotReady`` (naming the steps) unless ``by`` may sign off now."""
        checklist = self._writable(checklist_id)
        if not self.can_sign_off(checklist, by):
            raise self.not_allowed(checklist, "sign")
        sign_step = next((s.id for s in self.steps if s.sign_off), "decision")
        self._ready_to_sign(checklist_id, checklist, sign_step)

    def _ready_to_sign(self, checklist_id: str, checklist: dict[str, Any], sign_step: str) -> None:
        """Sign-off needs every other step answered, none disputed."""
        state = self.progress(checklist_id, checklist)
        waiting = [s for s in state.open_steps if s != sign_step]
        if waiting:
            disputed = [s for s in waiting if s in state.disputed_steps]
            raise NotReady(
                self.app.renderer.render(
                    "checklist/not_ready.txt.j2",
                    open_steps=[s for s in waiting if s not in disputed],
                    disputed=disputed,
                )
            )

    def guidance(self, step: ChecklistStep, snap: Snapshot | None = None) -> list[dict[str, str]]:
        """The guidance the step cites, as it reads now: the record keeps what the team saw."""
        kb = (snap or self.app.snapshot()).kb
        return [
            {"id": e.id, "title": e.title, "short_answer": e.short_answer}
            for e in (kb.get(i) for i in step.cite)
            if e is not None
        ]

    def _disputable(self, checklist_id: str, answer_id: int, status: AnswerStatus) -> AnswerRow:
        """The answer, if it belongs to this checklist, is in ``status`` and is its step's latest word."""
        answers = self.app.store.answers(checklist_id)
        answer = next((a for a in answers if a.id == answer_id), None)
        if answer is None:
            raise ChecklistError(f"checklist {checklist_id} has no answer #{answer_id}")
        if answer.status is not status:
            raise ChecklistError(f"answer #{answer_id} is {answer.status}, not {status}")
        # A refused answer may be disputed while it is the step's last word; a dispute may be
        # resolved until a later answer replaces it (later refused attempts change nothing).
        later = [
            a
            for a in answers
            if a.step == answer.step and a.id > answer.id and (status is AnswerStatus.REFUSED or a.counts)
        ]
        if later:
            raise ChecklistError(
                f"answer #{answer_id} is no longer the latest for step '{answer.step}' (see #{later[-1].id})"
            )
        return answer

    def latest_answer(self, checklist_id: str, step_id: str) -> AnswerRow | None:
        """The step's most recent answer, whatever its state (what a dispute or resolution acts on)."""
        self.step(step_id)
        answers = [a for a in self.app.store.answers(checklist_id) if a.step == step_id]
        return answers[-1] if answers else None

    def dispute(self, checklist_id: str, answer_id: int, note: str, by: str) -> AnswerRow:
        """Record a refused answer as the team's answer despite the checker: DISPUTED, not counting yet."""
        self._writable(checklist_id)
        answer = self._disputable(checklist_id, answer_id, AnswerStatus.REFUSED)
        note = self.note(note, "dispute")
        return self.app.store.dispute(answer.id, note, by)

    def resolve_dispute(self, checklist_id: str, answer_id: int, note: str, by: str) -> AnswerRow:
        """The named decision maker accepts a disputed answer: UPHELD.

        Refused (``ChecklistError``) if upholding it would contradict an answer that counts now
        which the dispute did not stand over: the record must not say two incompatible things
        without anyone having been told.
        """
        checklist = self._writable(checklist_id)
        answer = self._disputable(checklist_id, answer_id, AnswerStatus.DISPUTED)
        self._check_may_resolve(checklist, by)
        if answer.decision in SIGN_OFF_DECISIONS and self.step(answer.step).sign_off:
            self._ready_to_sign(checklist_id, checklist, answer.step)
        self._check_consistent(checklist_id, checklist, answer)
        note = self.note(note, "resolve")
        return self.app.store.uphold(answer.id, note, by)

    def _check_consistent(self, checklist_id: str, checklist: dict[str, Any], answer: AnswerRow) -> None:
        """Refuse to uphold ``answer`` over a contradiction it was not disputed over (see ``conflicts.py``)."""
        snap = self.app.snapshot()
        current = self.progress(checklist_id, checklist).current
        found = [
            c for c in clashes(snap.kb.checklist, answer.step, answer.decision, current) if c.rule not in answer.rules
        ]
        if found:
            step = self.step(answer.step, snap)
            label = next((o.label for o in step.options if o.id == answer.decision), answer.decision)
            raise ChecklistError(
                self.app.renderer.render(
                    "checklist/resolve_conflict.txt.j2", step=step, label=label, answer=answer, clashes=found
                )
            )

    def check_may_resolve(self, checklist_id: str, by: str) -> None:
        """Raise NotAllowed unless ``by`` decides disputes here: asked before anyone writes a note."""
        self._check_may_resolve(self._writable(checklist_id), by)

    def _check_may_resolve(self, checklist: dict[str, Any], by: str) -> None:
        # Only a decision maker someone named may override the checker: where none is named,
        # the starter cannot accept the team's own dispute on their own say-so.
        if not checklist.get("decision_maker") or by != checklist["decision_maker"]:
            raise self.not_allowed(checklist, "resolve")

    def note(self, text: str | None, kind: str) -> str:
        """A dispute's note (``kind`` ``dispute``) or a resolving one (``resolve``), if it gives a reason.

        Refused with what a note needs (``checklist/note_refused.txt.j2``) when it is too short,
        only stock words ("agreed", "ok", "n/a": ``notes:`` in checklist.yaml) or over-long.
        """
        note = (text or "").strip()
        rule = self.app.snapshot().kb.checklist.notes
        render = self.app.renderer.render
        if len(note) > MAX_NOTE:
            raise ChecklistError(render("checklist/note_refused.txt.j2", kind=kind, length=len(note), limit=MAX_NOTE))
        reading = read_note(note, rule)
        if not reading.enough(rule):
            raise ChecklistError(
                render("checklist/note_refused.txt.j2", kind=kind, rule=rule, stock=reading.stock, blank=not note)
            )
        return note

    def pointers(self, step: ChecklistStep, decision: str, snap: Snapshot) -> list[dict[str, str]]:
        """Knowledge entries to show with a refusal: what others found."""
        negative = snap.checker.is_negative(step.id, decision)
        ids = step.negative_cite if negative else step.cite
        kb = snap.kb
        return [
            {"id": e.id, "title": e.title, "short_answer": e.short_answer}
            for e in (kb.get(i) for i in ids)
            if e is not None
        ]

    def open_steps(self, checklist_id: str) -> list[str]:
        """Steps without an answer that counts (a disputed step is open until resolved)."""
        return self.progress(checklist_id).open_steps

    def all(self, created_by: str | None = None) -> list[dict[str, Any]]:
        """Every checklist (or one person's), newest first."""
        return [self.summary(row) for row in self.app.store.list_checklists(created_by)]

    def summary(self, row: dict[str, Any]) -> dict[str, Any]:
        """One line of a list: where it lives and how far it has got."""
        state = self.progress(row["id"], row)
        total = len(self.steps)
        return {
            "id": row["id"],
            "title": row["title"],
            "created_by": row["created_by"],
            "created_at": row["created_at"],
            "location": self._location(row),
            "status": str(state.status),
            "steps_answered": total - len(state.open_steps),
            "steps_total": total,
            "steps_disputed": len(state.disputed_steps),
        }

    @staticmethod
    def _location(row: dict[str, Any]) -> dict[str, Any]:
        if row.get("channel"):
            return {
                "where": "slack",
                "team": row.get("team"),
                "channel": row["channel"],
                "thread_ts": row.get("thread_ts"),
            }
        return {"where": "local"}

    def record(self, checklist_id: str, names: Names | None = None) -> dict[str, Any]:
        """The decision record so far, with the whole history (see ``record.py``)."""
        return build_record(self, checklist_id, names)

    def export(self, checklist_id: str, fmt: str, names: Names | None = None) -> str:
        """The decision record as text: Markdown, JSON or CSV (``export_bytes`` gives every format)."""
        if fmt in BINARY_FORMATS:
            raise ChecklistError(f"a .{fmt} record is a file, not text; write it to a file")
        if fmt not in TEXT_FORMATS:
            raise ChecklistError(f"unknown format '{fmt}'; use one of: {', '.join(EXPORT_FORMATS)}")
        record = self.record(checklist_id, names)
        text = self.app.renderer.render(f"checklist/record.{fmt}.j2", record=record, csv_row=_csv_row) + "\n"
        # A byte-order mark makes Excel read the CSV as UTF-8 ("£", not "Â£").
        return "\ufeff" + text if fmt == "csv" else text

    def export_bytes(self, checklist_id: str, fmt: str, names: Names | None = None) -> bytes:
        """The decision record in any export format, as the bytes of a file (text formats in UTF-8)."""
        if fmt == "docx":
            # python-docx (and lxml) take ~90 ms to import: only when a Word record is asked for.
            from bot.checklist.docx_record import docx_bytes

            words = self.app.renderer.strings(RECORD_WORDS)
            return docx_bytes(self.record(checklist_id, names), words)
        return self.export(checklist_id, fmt, names).encode("utf-8")


# Problems with the form of the reasons rather than their substance: not called a tick-box.
FORM_PROBLEMS = {"empty", "too_long", "gibberish", "repetition"}


def refusal_kind(problems: list[str]) -> str:
    """What a refusal's heading says it is: a contradiction of another step, a missing part, the form, or a tick-box."""
    if CONFLICT in problems:
        return "conflict"
    if problems == ["missing_element"]:
        return "incomplete"  # specific reasons that miss one part are not a tick-box, and are not called one
    if problems and set(problems) <= FORM_PROBLEMS:
        return "form"
    return "tick-box"


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(values: list[object]) -> str:
    buffer = io.StringIO()
    # The writer quotes a cell only for the characters of its own line ending: keep CR LF so
    # a line break inside a cell is quoted instead of ending the row.
    csv.writer(buffer, lineterminator="\r\n").writerow([_csv_cell(v) for v in values])
    return buffer.getvalue().removesuffix("\r\n")


def _fits(text: str, limit: int, what: str, instead: str = "keep to what a reader of the record needs") -> None:
    """Refuse ``text`` longer than ``limit`` characters, saying how long it is and what to do."""
    if len(text) > limit:
        raise ChecklistError(
            f"{what} is {len(text):,} characters, over the {limit:,} a record keeps: shorten it ({instead})"
        )


def _nation(value: str | None) -> str | None:
    """``wales`` or ``Wales`` -> ``Wales`` (the jurisdiction name entries use); None if blank."""
    try:
        return parse_nation(value)
    except ValueError as exc:
        raise ChecklistError(str(exc)) from None


def _body_type(value: str | None) -> str | None:
    """A body type id as ``svbot scope --body`` takes it; None if blank."""
    body = (value or "").strip().lower() or None
    if body is not None and body not in BODIES:
        raise ChecklistError(f"unknown body type '{value}': use one of {', '.join(BODIES)}")
    return body
