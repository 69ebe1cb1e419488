"""knowledge/checker_model.yaml and checker.yaml's model thresholds: checked by ``svbot kb check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbtools import edit, line_of, set_line

from bot.knowledge.live import LiveKnowledge
from bot.knowledge.loader import check_folder


def errors(folder: Path) -> list[str]:
    kb, findings = check_folder(folder)
    assert kb is None
    return [f"{Path(f.file).name}:{f.line}: {f.message}" for f in findings if f.severity == "error"]


def first_row(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[lines.index("weights: |") + 1]


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("  heavy w:jobs", "write a weight, a space, then the feature"),
        ("  nan w:jobs", "the weight is not a finite number"),
        ("  +1.5 rule:boilerplate", "a feature starts with one of w:, b:, c:, n:, s:, shape:, option:"),
        ("  +1.5 w:", "a feature starts with one of"),
    ],
)
def test_a_broken_weight_row_is_an_error_on_its_line(kb_copy: Path, row: str, says: str) -> None:
    path = kb_copy / "checker_model.yaml"
    edit(path, first_row(path), row)
    [error] = errors(kb_copy)
    assert error.startswith(f"checker_model.yaml:{line_of(path, row)}: weights: row 1 ")
    assert says in error


def test_a_feature_listed_twice_is_an_error(kb_copy: Path) -> None:
    path = kb_copy / "checker_model.yaml"
    row = first_row(path)
    edit(path, row, f"{row}\n{row}")
    [error] = errors(kb_copy)
    assert "is listed twice" in error and error.startswith(f"checker_model.yaml:{line_of(path, row) + 1}:")


def test_an_unknown_feature_family_is_an_error(kb_copy: Path) -> None:
    path = kb_copy / "checker_model.yaml"
    set_line(path, "- chars", "- rules")
    [error] = errors(kb_copy)
    key = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row == "features:")
    assert error.startswith(f"checker_model.yaml:{key}: features: unknown feature families ['rules']"), error


def test_a_weight_of_a_family_the_model_does_not_read_is_an_error(kb_copy: Path) -> None:
    path = kb_copy / "checker_model.yaml"
    set_line(path, "- chars", None)
    row = next(r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith("  ") and " c:" in r)
    [error] = errors(kb_copy)
    assert error.startswith(f"checker_model.yaml:{line_of(path, row)}: weights: row ")
    assert "its family is not in features, so it is never read" in error


def test_a_model_without_its_header_fields_is_an_error(kb_copy: Path) -> None:
    set_line(kb_copy / "checker_model.yaml", "intercept:", None)
    assert any("intercept: Field required" in e for e in errors(kb_copy))


def test_thresholds_without_a_model_are_an_error(kb_copy: Path) -> None:
    (kb_copy / "checker_model.yaml").unlink()
    set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0")
    set_line(kb_copy / "checker.yaml", "model_rescue:", "model_rescue: 0")
    kb, _ = check_folder(kb_copy)
    assert kb is not None and kb.checker_model is None  # the model is optional while it is off
    line = set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0.9")
    [error] = errors(kb_copy)
    assert "model_veto is set but checker_model.yaml is missing" in error
    assert error.startswith(f"checker.yaml:{line}:")


@pytest.mark.parametrize("value", ["0.3", "1", "-0.5"])
def test_a_threshold_is_off_or_a_confident_probability(kb_copy: Path, value: str) -> None:
    set_line(kb_copy / "checker.yaml", "model_rescue:", f"model_rescue: {value}")
    [error] = errors(kb_copy)
    assert error.startswith("checker.yaml:") and "model_rescue" in error


def test_kb_check_names_the_broken_row(run, kb_copy: Path) -> None:
    path = kb_copy / "checker_model.yaml"
    edit(path, first_row(path), "  +1.5 rule:boilerplate")
    result = run("kb", "check", "--json", "--folder", str(kb_copy))
    assert result.exit_code == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["file"] == str(path) and error["line"] == line_of(path, "rule:boilerplate")


def test_a_broken_model_never_takes_the_bot_down(kb_copy: Path) -> None:
    live = LiveKnowledge(kb_copy)
    kb_before = live.kb
    path = kb_copy / "checker_model.yaml"
    edit(path, first_row(path), "  oops")
    result = live.reload()
    assert not result.ok and live.kb is kb_before
    assert kb_before.checker_model is not None


def test_the_weights_table_is_read_once_per_text() -> None:
    """Validating checker_model.yaml reads the table; the checker's first check reuses it."""
    from pathlib import Path

    from bot.checklist.checker import ReasonsChecker
    from bot.knowledge.loader import load_knowledge
    from bot.knowledge.schema import parse_weights

    kb = load_knowledge(Path(__file__).resolve().parents[2] / "knowledge")
    before = parse_weights.cache_info()
    model = ReasonsChecker.for_knowledge(kb).model
    after = parse_weights.cache_info()
    assert model is not None and after.misses == before.misses and after.hits == before.hits + 1
