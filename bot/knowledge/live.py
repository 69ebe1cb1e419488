"""The knowledge snapshot in service, swapped whole on a good reload.

Admins edit YAML while the bot runs. ``LiveKnowledge.reload`` validates the
folder and swaps in the new snapshot and matcher only if there are no
errors; otherwise the last good version keeps serving and the findings say
what to fix.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import (
    Finding,
    KnowledgeBase,
    check_folder,
    fingerprint_folder,
    load_knowledge,
)
from bot.matching.matcher import Matcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    changed: bool
    entries: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class LiveKnowledge:
    """Holds the current (snapshot, matcher) pair; safe to read from any thread.

    Entries show the figures in force today, so when the date changes the
    snapshot is rendered again for the new day (and re-indexed) on first use.
    """

    def __init__(self, folder: Path, clock: Callable[[], dt.date] = dt.date.today):
        self.folder = folder
        self._clock = clock
        kb = load_knowledge(folder, today=clock())
        self._current: tuple[KnowledgeBase, Matcher] = (kb, Matcher(kb))
        self._lock = threading.Lock()
        self.last_failed_fingerprint: str | None = None

    def _today(self) -> tuple[KnowledgeBase, Matcher]:
        current = self._current
        today = self._clock()
        if current[0].on == today:
            return current
        with self._lock:
            if self._current[0].on != today:
                kb = self._current[0].as_of(today)
                self._current = (kb, Matcher(kb))
            return self._current

    @property
    def current(self) -> tuple[KnowledgeBase, Matcher]:
        """The snapshot and its matcher, read together (a reload swaps both at once)."""
        return self._today()

    @property
    def kb(self) -> KnowledgeBase:
        return self._today()[0]

    @property
    def matcher(self) -> Matcher:
        return self._today()[1]

    def reload(self) -> ReloadResult:
        """Validate the folder and swap it in if it is good.

        Logs one line per outcome: what changed, or why this version was refused.
        """
        with self._lock:
            fingerprint = fingerprint_folder(self.folder)
            try:
                kb, findings = check_folder(self.folder, today=self._clock())
            except Exception:
                # A bug, not an admin's mistake: report it once for this version, not on every poll.
                log.exception("knowledge reload failed; still serving the last good version")
                self.last_failed_fingerprint = fingerprint
                return ReloadResult(False, False, len(self._current[0].entries), [])
            if kb is None:
                self.last_failed_fingerprint = fingerprint
                errors = [f for f in findings if f.severity == "error"]
                log.error(
                    "knowledge reload refused: %d error(s), first %s; still serving the last good version "
                    "(run `svbot kb check` for the list)",
                    len(errors),
                    errors[0] if errors else "unknown",
                )
                return ReloadResult(False, False, len(self._current[0].entries), findings)
            changed = kb.fingerprint != self._current[0].fingerprint
            if changed:
                self._current = (kb, Matcher(kb))
                log.info("knowledge reloaded: %d entries, %d facts", len(kb.entries), len(kb.facts))
            self.last_failed_fingerprint = None
            return ReloadResult(True, changed, len(kb.entries), findings)

    def reload_if_changed(self) -> ReloadResult | None:
        """Reload when the files changed since the last attempt; None when nothing changed."""
        current = fingerprint_folder(self.folder)
        if current in (self._current[0].fingerprint, self.last_failed_fingerprint):
            return None
        return self.reload()
