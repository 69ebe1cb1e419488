"""Live reloading: a broken edit never replaces the last good snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbtools import edit, line_of, set_line

from bot.knowledge.live import LiveKnowledge
from bot.knowledge.loader import KnowledgeError

NEW_ENTRY = """
  - id: legal.zebra-crossings
    kind: legal
    title: Zebra crossings outside schools
    short_answer: Zebra crossings are a made-up topic used to test reloading.
    body: Nothing here is real; the entry exists so a test can find it.
    questions:
      - do zebra crossings outside schools count as social value
      - zebra crossing social value
      - can a zebra crossing be a community benefit
      - who pays for zebra crossings near primary schools
      - zebra crossings and the act
    keywords: [zebra crossing, zebra crossings, lollipop]
    sources:
      - title: Test source
        url: https://example.org/zebra
        date: "2024"
    jurisdiction: [England]
    last_reviewed: 2026-01-01
    review_by: 2099-01-01
"""

QUESTION = "what is the national toms framework"


@pytest.fixture
def live(kb_copy: Path) -> LiveKnowledge:
    return LiveKnowledge(kb_copy)


def test_starts_with_a_working_matcher_and_reloads_nothing(live: LiveKnowledge) -> None:
    answer = live.matcher.ask(QUESTION)
    assert answer.answered
    assert answer.best.entry.id == "principle.measurement-frameworks"
    kb = live.kb
    result = live.reload()
    assert result.ok
    assert not result.changed
    assert result.entries == len(kb.entries)
    assert live.kb is kb
    assert live.reload_if_changed() is None


def test_broken_knowledge_refuses_to_start(kb_copy: Path) -> None:
    (kb_copy / "glossary.yaml").unlink()
    with pytest.raises(KnowledgeError):
        LiveKnowledge(kb_copy)


def test_broken_edit_keeps_last_good_snapshot(live: LiveKnowledge, kb_copy: Path) -> None:
    kb_before, matcher_before = live.kb, live.matcher
    path = kb_copy / "legal-1.yaml"
    set_line(path, "    title:", None, after="- id: legal.act-overview")
    edit(path, "id: legal.thresholds", "id: legal.thresholds\n    id: legal.thresholds-again")

    result = live.reload()

    assert not result.ok
    assert not result.changed
    assert live.kb is kb_before
    assert live.matcher is matcher_before
    assert result.entries == len(kb_before.entries)
    assert live.matcher.ask(QUESTION).best.entry.id == "principle.measurement-frameworks"
    # The duplicate key stops the whole file: the YAML error names its line.
    [error] = [e for e in result.errors if e.code == "yaml"]
    assert Path(error.file) == path
    assert error.line == line_of(path, "id: legal.thresholds-again")
    assert str(error).startswith(f"{path}:{error.line}: error:")


def test_schema_error_is_reported_with_file_and_line(live: LiveKnowledge, kb_copy: Path) -> None:
    path = kb_copy / "principles.yaml"
    edit(path, "id: principle.co-design", "id: principle.Co_Design")
    result = live.reload()
    assert not result.ok
    schema = [e for e in result.errors if e.code == "schema"]
    assert [(Path(e.file), e.line) for e in schema] == [(path, line_of(path, "principle.Co_Design"))]
    assert live.kb.get("principle.co-design") is not None


def test_failed_fingerprint_is_remembered(live: LiveKnowledge, kb_copy: Path) -> None:
    set_line(kb_copy / "matching.yaml", "answer_threshold:", "answer_threshold: high")
    first = live.reload_if_changed()
    assert first is not None and not first.ok
    # Nothing changed since the failed attempt: no second attempt, no repeated log.
    assert live.reload_if_changed() is None


def test_good_edit_is_picked_up(live: LiveKnowledge, kb_copy: Path) -> None:
    before = live.matcher.ask("are zebra crossings outside schools social value")
    assert not before.matches or before.best.entry.id != "legal.zebra-crossings"
    old_count = len(live.kb.entries)

    with (kb_copy / "legal-2.yaml").open("a", encoding="utf-8") as out:
        out.write(NEW_ENTRY)
    result = live.reload_if_changed()

    assert result is not None
    assert result.ok and result.changed
    assert result.entries == old_count + 1
    assert live.kb.get("legal.zebra-crossings") is not None
    after = live.matcher.ask("are zebra crossings outside schools social value")
    assert after.answered
    assert after.best.entry.id == "legal.zebra-crossings"
    assert live.reload_if_changed() is None


def test_fix_after_failure_is_picked_up(live: LiveKnowledge, kb_copy: Path) -> None:
    path = kb_copy / "matching.yaml"
    set_line(path, "answer_threshold:", "answer_threshold: high")
    assert not live.reload().ok
    set_line(path, "answer_threshold:", "answer_threshold: 0.99")
    result = live.reload_if_changed()
    assert result is not None and result.ok and result.changed
    assert live.kb.matching.answer_threshold == 0.99
    assert live.last_failed_fingerprint is None
    # The new threshold is in service: the same question is no longer confident enough.
    assert not live.matcher.ask(QUESTION).answered


def test_deep_nesting_keeps_last_good(live: LiveKnowledge, kb_copy: Path) -> None:
    kb_before = live.kb
    (kb_copy / "deep.yaml").write_text("entries: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    result = live.reload()
    assert not result.ok
    assert "nested too deeply" in result.errors[0].message
    assert live.kb is kb_before


def test_warnings_do_not_block_a_reload(live: LiveKnowledge, kb_copy: Path) -> None:
    (kb_copy / "stray.yml").write_text("anything: 1\n", encoding="utf-8")
    with (kb_copy / "glossary.yaml").open("a", encoding="utf-8") as out:
        out.write("# edited\n")
    result = live.reload()
    assert result.ok and result.changed
    assert [f.code for f in result.findings if f.code == "ignored"] == ["ignored"]
    assert result.errors == []
