"""bench/train_checker.py: trained on the tuned sets only, written as a model `svbot kb check` accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.checklist.model import features
from bot.knowledge.schema import FEATURE_KINDS, CheckerModelFile, parse_weights

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def trainer(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import train_checker

    return train_checker


def write_set(path: Path, items: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"reasons": items}), encoding="utf-8")
    return path


def test_held_out_sets_and_the_calibration_set_are_never_trained_on(trainer, tmp_path: Path) -> None:
    item = {"step": "outcomes", "decision": "none-relevant", "reasons": "n/a", "label": "refuse"}
    tests_set = write_set(tmp_path / "reasons.yaml", [item])
    data = tmp_path / "data"
    data.mkdir()
    for name in ("reasons_dev3.yaml", "reasons_dev8.yaml", "reasons_heldout3.yaml", "reasons_extra.yaml"):
        write_set(data / name, [item])
    assert [p.name for p in trainer.tuned_sets(data, tests_set)] == [
        "reasons.yaml",
        "reasons_dev3.yaml",
        "reasons_extra.yaml",
    ]
    with pytest.raises(SystemExit, match="held out"):
        trainer.load_set(data / "reasons_heldout3.yaml")
    with pytest.raises(SystemExit, match="the thresholds are chosen on it"):
        trainer.load_set(data / "reasons_dev8.yaml")
    [loaded] = trainer.load_set(data / "reasons_dev3.yaml")
    assert loaded == trainer.Item("outcomes", "none-relevant", "n/a", True) and loaded.source == "reasons_dev3.yaml"


def test_the_tests_reasons_are_saved_and_read_back(trainer, tmp_path: Path) -> None:
    items = [
        trainer.Item("outcomes", "none-relevant", "n/a", True, "tests"),
        trainer.Item("scope", "applies", "services contract worth £3m", False, "tests"),
    ]
    trainer.save_items(items, tmp_path / "tests_reasons.yaml")
    back = trainer.load_set(tmp_path / "tests_reasons.yaml", trainer.TESTS_SOURCE)
    assert back == items and {i.source for i in back} == {"tests"}


def test_the_written_model_is_one_the_knowledge_base_accepts(trainer) -> None:
    weights = {"w:relevant": 1.5, "c:<rel": 0.8, "n:relevant": 0.5, "s:scope/services": -0.6, "shape:words<5": -0.75}
    by_set = {"balanced_accuracy": 0.9, "balanced_accuracy_by_set": {"reasons_dev2.yaml": 0.8}}
    trained = trainer.Trained(0.25, weights, 1.0, by_set, trainer.FAMILIES)
    text = trainer.render(trained, ["tests/data/reasons.yaml (3)"], 3, dt.date(2026, 12, 2))
    assert text.startswith("# The reasons checker's second opinion, written by bench/train_checker.py")
    spec = CheckerModelFile.model_validate(yaml.safe_load(text))
    assert spec.trained == dt.date(2026, 12, 2) and spec.intercept == 0.25 and spec.reasons == 3
    assert spec.features == list(trainer.FAMILIES)
    assert spec.weights.splitlines()[:2] == ["+1.5000 w:relevant", "+0.8000 c:<rel"]
    assert spec.cross_validated["balanced_accuracy_by_set"] == {"reasons_dev2.yaml": 0.8}


def test_training_learns_words_not_rules(trainer) -> None:
    pytest.importorskip("sklearn")  # the bench extra; the README's test command installs only the test extra
    ticks = ["not relevant", "not applicable here", "n/a not relevant", "considered, not relevant", "not needed"]
    goods = [
        "care leavers get apprenticeships",
        "local care leavers hired",
        "apprenticeships for care leavers",
        "care leavers mentored",
        "leavers from care employed",
    ]
    items = [trainer.Item("outcomes", "none-relevant", r, True, f"set{n % 2}") for n, r in enumerate(ticks)]
    items += [trainer.Item("outcomes", "outcomes-identified", r, False, f"set{n % 2}") for n, r in enumerate(goods)]
    trained = trainer.train(items * 2)
    assert trained.weights["w:relevant"] > 0 > trained.weights["w:care"]
    assert trained.weights["n:relevant"] > 0 and trained.weights["c:<car"] < 0
    assert all(f.startswith(FEATURE_KINDS) for f in trained.weights)
    parse_weights("".join(f"{w:+.4f} {f}\n" for f, w in trained.weights.items()))
    assert features("outcomes", "none-relevant", True, "not relevant", trained.families) & set(trained.weights)
    assert set(trained.cross_validated["balanced_accuracy_by_set"]) == {"set0", "set1"}


def test_leave_one_set_out_scores_each_set_by_the_others(trainer) -> None:
    """A set whose words no other set shares scores at chance: nothing of it leaks into its own model."""
    pytest.importorskip("sklearn")
    x_items = [trainer.Item("outcomes", "none-relevant", "not relevant", True, "a")] * 3
    x_items += [trainer.Item("outcomes", "outcomes-identified", "care leavers hired", False, "a")] * 3
    y_items = [trainer.Item("outcomes", "none-relevant", "nothing applies", True, "b")] * 3
    y_items += [trainer.Item("outcomes", "outcomes-identified", "apprentices from wigan", False, "b")] * 3
    items = x_items + y_items
    _, x = trainer._matrix(items, ("words",))
    [by_c] = trainer.leave_one_set_out(items, x, [1.0])
    assert set(by_c.by_set) == {"a", "b"}
    # Trained on "a" alone, "b"'s words weigh nothing: every reason of "b" gets the same call.
    assert by_c.by_set["b"] in ((1.0, 0.0), (0.0, 1.0)) and by_c.by_set["a"] in ((1.0, 0.0), (0.0, 1.0))
    assert by_c.balanced_accuracy == 0.5
    with pytest.raises(SystemExit, match="two labelled sets"):
        trainer.leave_one_set_out(x_items, x[:6], [1.0])
