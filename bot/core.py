"""The one object that owns svbot's state: settings, knowledge, store, renderer.

The CLI, the terminal chat and the Slack listeners all go through it, so the
behaviour is the same wherever a question or a checklist answer comes from.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.knowledge.live import LiveKnowledge
from bot.matching.matcher import Answer

if TYPE_CHECKING:
    from bot.checklist.checker import ReasonsChecker
    from bot.checklist.service import ChecklistService
    from bot.render import Renderer
    from bot.store import Store


class Svbot:
    """Application state shared by every front end."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
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

    def ask(self, question: str, *, source: str, user: str | None = None, top: int = 3, log: bool = True) -> Answer:
        """Match a question; log it so admins can see what the bot could not answer."""
        if log:
            return self.ask_logged(question, source=source, user=user, top=top)[0]
        return self.knowledge.matcher.ask(question, top=top)

    def ask_logged(
        self, question: str, *, source: str, user: str | None = None, top: int = 3
    ) -> tuple[Answer, int | None]:
        """Match and log a question; also return the log row's id (feedback refers to it).

        Blank questions get an answer (the usual "not sure") but are not logged: they are not gaps.
        """
        answer = self.knowledge.matcher.ask(question, top=top)
        if not question.strip():
            return answer, None
        best = answer.best
        question_id = self.store.log_question(
            question,
            answered=answer.answered,
            best_id=best.entry.id if best else None,
            best_score=round(best.score, 4) if best else None,
            source=source,
            user=user,
        )
        return answer, question_id

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admins
