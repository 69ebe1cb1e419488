"""The one object that owns svbot's state: settings, knowledge, store, renderer.

The CLI, the terminal chat and the Slack listeners all go through it, so the
behaviour is the same wherever a question or a checklist answer comes from.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.knowledge.live import LiveKnowledge
from bot.matching.followup import Conversations, read_followup
from bot.matching.matcher import Answer
from bot.nations import named_nation, parse_nation

if TYPE_CHECKING:
    from bot.checklist.checker import ReasonsChecker
    from bot.checklist.service import ChecklistService
    from bot.render import Renderer
    from bot.store import Store


class Svbot:
    """Application state shared by every front end."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        try:
            self.nation = parse_nation(self.settings.nation)
        except ValueError as exc:
            raise ValueError(f"SVBOT_NATION: {exc}") from None
        self.conversations = Conversations()
        self.knowledge = LiveKnowledge(self.settings.knowledge_dir)
        self._checker_lock = threading.Lock()
        self._checker: tuple[str, ReasonsChecker] | None = None

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

    @property
    def checker(self) -> ReasonsChecker:
        """The reasons checker for the knowledge snapshot now in service."""
        kb = self.knowledge.kb
        with self._checker_lock:
            if self._checker is None or self._checker[0] != kb.fingerprint:
                from bot.checklist.checker import ReasonsChecker

                checker = ReasonsChecker(kb.checker, kb.checklist.steps, kb.matching.stopwords)
                self._checker = (kb.fingerprint, checker)
            return self._checker[1]

    def ask(
        self,
        question: str,
        *,
        source: str,
        user: str | None = None,
        top: int = 3,
        log: bool = True,
        nation: str | None = None,
        conversation: str | None = None,
    ) -> Answer:
        """Match a question; log it so admins can see what the bot could not answer."""
        if log:
            return self.ask_logged(
                question, source=source, user=user, top=top, nation=nation, conversation=conversation
            )[0]
        return self.answer(question, top=top, nation=nation, conversation=conversation)

    def answer(
        self, question: str, *, top: int = 3, nation: str | None = None, conversation: str | None = None
    ) -> Answer:
        """Match a question in its context: the conversation's last topic, and the nation.

        The nation is the one the question names, else ``nation`` (the checklist's or the
        caller's), else SVBOT_NATION. ``conversation`` keys the follow-up memory (a Slack
        thread, a DM, a chat session); without it every question stands alone.
        """
        matcher = self.knowledge.matcher
        previous = self.conversations.last(conversation) if conversation else None
        entry = self.knowledge.kb.get(previous.entry_id) if previous else None
        answer = read_followup(matcher, question, previous, entry, top=top)
        if answer is None:
            answer = matcher.ask(question, top=top)
            answer = replace(answer, nation=named_nation(matcher.normaliser.canonical_words(question)))
        if answer.nation is None:
            answer = replace(answer, nation=nation or self.nation)
        if conversation and answer.answered and answer.best:
            asked = f"{previous.question} {question}" if previous and answer.read_as else question
            self.conversations.remember(conversation, asked, answer.best.entry.id)
        return answer

    def ask_logged(
        self,
        question: str,
        *,
        source: str,
        user: str | None = None,
        top: int = 3,
        nation: str | None = None,
        conversation: str | None = None,
    ) -> tuple[Answer, int | None]:
        """Match and log a question; also return the log row's id (feedback refers to it).

        Blank questions get an answer (the usual "not sure") but are not logged: they are not gaps.
        """
        answer = self.answer(question, top=top, nation=nation, conversation=conversation)
        if not question.strip():
            return answer, None
        best = answer.best
        question_id = self.store.log_question(
            question,
            answered=answer.replied,
            best_id=best.entry.id if best else None,
            best_score=round(best.score, 4) if best else None,
            source=source,
            user=user,
        )
        return answer, question_id

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins
