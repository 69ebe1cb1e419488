"""kb check refuses checklist YAML that Slack could not show, naming file and line."""

from __future__ import annotations

from pathlib import Path

from kbtools import line_of, set_line

from bot.knowledge.loader import check_folder


def _errors_at(kb_copy: Path, line: int) -> list[str]:
    kb, findings = check_folder(kb_copy)
    assert kb is None
    path = str(kb_copy / "checklist.yaml")
    return [f.message for f in findings if f.severity == "error" and f.file == path and f.line == line]


def test_more_than_ten_options_are_refused(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    line = line_of(path, "- id: scope")
    extra = "".join(f"      - {{id: extra-{i}, label: Extra {i}}}\n" for i in range(7))
    set_line(path, "      - {id: applies,", "      - {id: applies, label: The Act applies}\n" + extra.rstrip("\n"))
    (message,) = _errors_at(kb_copy, line)
    assert "11 options" in message and "at most 10" in message


def test_ten_options_are_fine(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    extra = "".join(f"      - {{id: extra-{i}, label: Extra {i}}}\n" for i in range(6))
    set_line(path, "      - {id: applies,", "      - {id: applies, label: The Act applies}\n" + extra.rstrip("\n"))
    kb, findings = check_folder(kb_copy)
    assert kb is not None, [str(f) for f in findings]
    assert len(kb.checklist.steps[0].options) == 10


def test_step_id_over_150_characters_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    long_id = "scope-" + "x" * 145
    line = set_line(path, "  - id: scope", f"  - id: {long_id}")
    (message,) = _errors_at(kb_copy, line)
    assert "step id is 151 characters" in message


def test_option_id_over_150_characters_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    line = set_line(path, "      - {id: applies,", "      - {id: " + "a" * 151 + ", label: The Act applies}")
    (message,) = _errors_at(kb_copy, line)
    assert "option id is 151 characters" in message
