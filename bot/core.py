"""The one object that owns svbot's state: settings, knowledge, store, renderer.

The CLI, the terminal chat and the Slack listeners all go through it, so the
behaviour is the same wherever a question or a checklist answer comes from.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.knowledge.live import LiveKnowledge
from bot.matching.followup import Conversations, read_followup
from bot.matching.matcher import Answer
from bot.nations import parse_nation
from bot.scope_followup import read_scope_followup

if TYPE_CHECKING:
    from bot.checklist.checker import ReasonsChecker
    from bot.checklist.service import ChecklistService
    from bot.knowledge.loader import KnowledgeBase
    from bot.knowledge.schema import Entry
    from bot.matching.matcher import Matcher
    from bot.render import Renderer
    from bot.scope import Procurement
    from bot.store import Store

RELATED_SHOWN = 4


@dataclass(frozen=True)
class Snapshot:
    """One consistent version of the knowledge: a reload cannot change it mid-request."""

    kb: KnowledgeBase
    matcher: Matcher

    @cached_property
    def checker(self) -> ReasonsChecker:
        """The reasons checker of this version, built on first use: answering a question never needs it."""
        from bot.checklist.checker import ReasonsChecker

        return ReasonsChecker.for_knowledge(self.kb)

    @property
    def fingerprint(self) -> str:
        return self.kb.fingerprint

    def related(self, entry: Entry) -> list[Entry]:
        """The entries shown under an answer as "related" (unknown ids skipped)."""
        return [e for e in (self.kb.get(i) for i in entry.related) if e][:RELATED_SHOWN]


class Svbot:
    """Application state shared by every front end."""

    def __init__(self, settings: Settings | None = None, *, load_knowledge: bool = True):
        """Load the knowledge now (raising KnowledgeError if it is broken), or with
        ``load_knowledge=False`` on first use: ``backup`` and ``purge`` never need it."""
        self.settings = settings or Settings.from_env()
        self.nation = parse_nation(self.settings.nation)  # Settings.from_env has refused any other value
        self.conversations = Conversations()
        self._lock = threading.Lock()
        self._knowledge: LiveKnowledge | None = None
        self._snapshot: Snapshot | None = None
        if load_knowledge:
            self.snapshot()

    @property
    def knowledge(self) -> LiveKnowledge:
        """The live knowledge folder."""
        with self._lock:
            if self._knowledge is None:
                self._knowledge = LiveKnowledge(self.settings.knowledge_dir)
            return self._knowledge

    @cached_property
    def store(self) -> Store:
        """The database, opened (and migrated) on first use."""
        from bot.store import Store

        return Store(self.settings.db_path)

    @cached_property
    def renderer(self) -> Renderer:
        from bot.render import Renderer

        return Renderer()

    @cached_property
    def checklists(self) -> ChecklistService:
        from bot.checklist.service import ChecklistService

        return ChecklistService(self)

    def snapshot(self) -> Snapshot:
        """The knowledge base, matcher and reasons checker now in service, all of one version.

        Take one per request and use it throughout, so a reload mid-request cannot mix versions.
        """
        kb, matcher = self.knowledge.current
        with self._lock:
            if self._snapshot is None or self._snapshot.kb is not kb:
                self._snapshot = Snapshot(kb, matcher)
            return self._snapshot

    def ask(
        self,
        question: str,
        *,
        source: str,
        user: str | None = None,
        top: int = 3,
        log: bool = True,
        snap: Snapshot | None = None,
        nation: str | None = None,
        conversation: str | None = None,
    ) -> Answer:
        """Match a question; log it so admins can see what the bot could not answer."""
        if log:
            return self.ask_logged(
                question, source=source, user=user, top=top, snap=snap, nation=nation, conversation=conversation
            )[0]
        return self.answer(question, top=top, snap=snap, nation=nation, conversation=conversation)

    def answer(
        self,
        question: str,
        *,
        top: int = 3,
        snap: Snapshot | None = None,
        nation: str | None = None,
        conversation: str | None = None,
    ) -> Answer:
        """Match a question in its context: the conversation's last topic, and the nation.

        The nation is the one the question names, else ``nation`` (the checklist's or the
        caller's), else SVBOT_NATION; for a question naming none, that nation's own law ranks
        first. ``conversation`` keys the follow-up memory (a Slack thread, a DM, a chat
        session); without it every question stands alone.
        """
        snap = snap or self.snapshot()
        matcher = snap.matcher
        where = nation or self.nation
        cannot_read = matcher.unread(question)
        if cannot_read is not None:
            # Not a follow-up either: a lone emoji or a question in Welsh leaves the context as it was.
            return Answer(question, False, False, [], unread=cannot_read, nation=where)
        previous = self.conversations.last(conversation) if conversation else None
        words = snap.kb.scope.followups if snap.kb.scope is not None else None
        scope = read_scope_followup(matcher, question, previous, words)
        if scope is not None:
            # "and for goods?" after a scope check: the front end asks the finder again.
            if conversation:
                self.remember_scope(conversation, scope.now, question)
            return Answer(question, False, False, [], scope=scope)
        entry = snap.kb.get(previous.entry_id) if previous else None
        answer = read_followup(matcher, question, previous, entry, top=top, user_nation=where)
        if answer is None:
            answer = matcher.ask(question, top=top, user_nation=where)
        if answer.nation is None:
            answer = replace(answer, nation=where)
        if conversation and answer.entry:
            asked = f"{previous.question} {question}" if previous and answer.read_as else question
            self.conversations.remember(conversation, asked, answer.entry.id)
        return answer

    def remember_scope(self, conversation: str, procurement: Procurement, question: str = "scope") -> None:
        """Keep a scope finder check as the conversation's context, for follow-ups such as "and for goods?"."""
        self.conversations.remember(conversation, question, "", scope=procurement)

    def ask_logged(
        self,
        question: str,
        *,
        source: str,
        user: str | None = None,
        top: int = 3,
        snap: Snapshot | None = None,
        nation: str | None = None,
        conversation: str | None = None,
    ) -> tuple[Answer, int | None]:
        """Match and log a question; also return the log row's id (feedback refers to it).

        Blank questions get an answer (the usual "not sure") but are not logged: they are not gaps; nor is
        a message without words (a lone emoji). A question in a language svbot does not read is logged as
        unanswered with its ``language`` ("welsh", "other-script"), so admins see it for what it is.
        """
        answer = self.answer(question, top=top, snap=snap, nation=nation, conversation=conversation)
        if not question.strip() or answer.unread == "no-words":
            return answer, None
        best = answer.best
        question_id = self.store.log_question(
            question,
            answered=answer.replied,
            best_id=best.entry.id if best else None,
            best_score=round(best.score, 4) if best else None,
            source=source,
            user=user,
            language=answer.unread,
        )
        return answer, question_id

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins
