"""The knowledge snapshot in service, swapped whole on a good reload.

Admins edit YAML while the bot runs. ``LiveKnowledge.reload`` validates the
folder and swaps in the new snapshot and matcher only if there are no
errors; otherwise the last good version keeps serving and the findings say
what to fix.
"""

from __future__ import annotations

import logging
import threading
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
    """Holds the current (snapshot, matcher) pair; safe to read from any thread."""

    def __init__(self, folder: Path):
        self.folder = folder
        kb = load_knowledge(folder)
        self._current: tuple[KnowledgeBase, Matcher] = (kb, Matcher(kb))
        self._lock = threading.Lock()
        self.last_failed_fingerprint: str | None = None

    @property
    def current(self) -> tuple[KnowledgeBase, Matcher]:
        """The snapshot and its matcher, read together (a reload swaps both at once)."""
        return self._current

    @property
    def kb(self) -> KnowledgeBase:
        return self._current[0]

    @property
    def matcher(self) -> Matcher:
        return self._current[1]

    def reload(self) -> ReloadResult:
        """Validate the folder and swap it in if it is good."""
        with self._lock:
            kb, findings = check_folder(self.folder)
            if kb is None:
                self.last_failed_fingerprint = fingerprint_folder(self.folder)
                for finding in findings:
                    if finding.severity == "error":
                        log.error("knowledge reload refused: %s", finding)
                return ReloadResult(False, False, len(self.kb.entries), findings)
            changed = kb.fingerprint != self.kb.fingerprint
            if changed:
                self._current = (kb, Matcher(kb))
                log.info("knowledge reloaded: %d entries", len(kb.entries))
            self.last_failed_fingerprint = None
            return ReloadResult(True, changed, len(kb.entries), findings)

    def reload_if_changed(self) -> ReloadResult | None:
        """Reload when the files changed since the last attempt; None when nothing changed."""
        current = fingerprint_folder(self.folder)
        if current in (self.kb.fingerprint, self.last_failed_fingerprint):
            return None
        return self.reload()
