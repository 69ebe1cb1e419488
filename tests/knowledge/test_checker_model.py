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
    set_line(kb_copy / "checker.yaml", "model_stack_veto:", "model_stack_veto: 0")
    set_line(kb_copy / "checker.yaml", "model_stack_rescue:", "model_stack_rescue: 0")
    kb, _ = check_folder(kb_copy)
    assert kb is not None and kb.checker_model is None  # the model is optional while it is off
    line = set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0.9")
    [error] = errors(kb_copy)
    assert "model_veto is set but checker_model.yaml is missing" in error
    assert error.startswith(f"checker.yaml:{line}:")
    set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0")
    line = set_line(kb_copy / "checker.yaml", "model_stack_rescue:", "model_stack_rescue: 0.6")
    [error] = errors(kb_copy)
    assert error.startswith(f"checker.yaml:{line}:")
    assert "model_stack_rescue is set but checker_model.yaml is missing" in error


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


# -- the stack and the veto's question ------------------------------------------------------------


def without_stack(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nstack:\n") + 1], encoding="utf-8")


def first_stack_row(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[lines.index("  weights: |", lines.index("stack:")) + 1]


def stack_off(kb_copy: Path) -> None:
    for name in ("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue"):
        set_line(kb_copy / "checker.yaml", f"{name}:", f"{name}: 0")


def test_the_stack_thresholds_need_a_stack_in_the_model_file(kb_copy: Path) -> None:
    without_stack(kb_copy / "checker_model.yaml")
    stack_off(kb_copy)
    kb, _ = check_folder(kb_copy)
    assert kb is not None and kb.checker_model is not None and kb.checker_model.stack is None
    for name in ("model_stack_veto", "model_stack_rescue"):
        line = set_line(kb_copy / "checker.yaml", f"{name}:", f"{name}: 0.6")
        [error] = errors(kb_copy)
        assert error.startswith(f"checker.yaml:{line}:")
        assert f"{name} is set but checker_model.yaml has no stack" in error
        set_line(kb_copy / "checker.yaml", f"{name}:", f"{name}: 0")


@pytest.mark.parametrize("words", ["model_veto", "model_rescue"])
def test_the_stack_and_the_words_veto_or_rescue_are_one_choice(kb_copy: Path, words: str) -> None:
    stack_off(kb_copy)
    set_line(kb_copy / "checker.yaml", f"{words}:", f"{words}: 0.9")
    set_line(kb_copy / "checker.yaml", "model_stack_veto:", "model_stack_veto: 0.8")
    [error] = errors(kb_copy)
    assert "the stack (model_stack_veto, model_stack_rescue) replaces the words' veto and rescue" in error


@pytest.mark.parametrize("value", ["0.3", "1", "-0.5", "high"])
@pytest.mark.parametrize("name", ["model_stack_veto", "model_stack_rescue"])
def test_a_stack_threshold_is_off_or_a_confident_probability(kb_copy: Path, name: str, value: str) -> None:
    stack_off(kb_copy)
    line = set_line(kb_copy / "checker.yaml", f"{name}:", f"{name}: {value}")
    [error] = errors(kb_copy)
    assert error.startswith(f"checker.yaml:{line}: {name}")


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("    +1.5 w:jobs", "a feature starts with one of verdict:, problem:, rule:, words:"),
        ("    +1.5 words:always", "the words' log-odds are words:if-accepted or words:if-refused"),
        ("    inf rule:boilerplate", "the weight is not a finite number"),
    ],
)
def test_a_broken_stack_row_is_an_error_on_its_line(kb_copy: Path, row: str, says: str) -> None:
    path = kb_copy / "checker_model.yaml"
    edit(path, first_stack_row(path) + "\n", row + "\n")
    [error] = errors(kb_copy)
    assert error.startswith(f"checker_model.yaml:{line_of(path, row)}: stack.weights: row 1 "), error
    assert says in error


@pytest.mark.parametrize(
    ("key", "element", "says"),
    [
        ("consultation/consult", "value", "value is not one it needs in justification.yaml"),
        ("consultation/telepathy", "who", "no such step and option in checklist.yaml"),
    ],
)
def test_a_veto_asks_row_names_an_element_the_option_needs(kb_copy: Path, key: str, element: str, says: str) -> None:
    path = kb_copy / "checker_model.yaml"
    row = next(r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith("  consultation/consult:"))
    edit(path, row + "\n", f"  {key}: {element}\n")
    [error] = errors(kb_copy)
    assert error == f"checker_model.yaml:{line_of(path, f'  {key}:')}: veto_asks: {key}: {says}"
