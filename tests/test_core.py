"""The application object: one consistent knowledge snapshot per request."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.core import Svbot
from bot.knowledge.loader import KnowledgeError


def test_a_snapshot_holds_still_while_the_knowledge_reloads(kb_copy: Path, tmp_path: Path) -> None:
    app = Svbot(Settings(db_path=tmp_path / "svbot.db", knowledge_dir=kb_copy))
    before = app.snapshot()
    assert app.snapshot() is before, "no reload, no new snapshot"
    cases = kb_copy / "cases.yaml"
    cases.write_text(cases.read_text().replace("Oldham", "Oldham Council", 1))
    assert app.knowledge.reload().changed
    after = app.snapshot()
    assert after.fingerprint != before.fingerprint
    # The old snapshot is untouched: kb, matcher and checker still of one version.
    assert before.matcher is not after.matcher and before.checker is not after.checker
    assert before.kb is not after.kb and before.kb.fingerprint == before.fingerprint


def test_related_entries_skip_unknown_ids_and_stop_at_four(app: Svbot) -> None:
    snap = app.snapshot()
    entry = max(snap.kb.entries, key=lambda e: len(e.related))
    shown = snap.related(entry)
    assert [e.id for e in shown] == [i for i in entry.related if snap.kb.get(i)][:4]
    assert len(shown) <= 4


def test_database_only_commands_do_not_need_the_knowledge(tmp_path: Path) -> None:
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "glossary.yaml").write_text("terms: [\n")
    settings = Settings(db_path=tmp_path / "svbot.db", knowledge_dir=broken)
    with pytest.raises(KnowledgeError):
        Svbot(settings)
    app = Svbot(settings, load_knowledge=False)
    assert app.store.purge_questions(30) == 0
    with pytest.raises(KnowledgeError):
        app.snapshot()
