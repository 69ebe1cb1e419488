"""bench/train_checker.py: trained on the tuned sets only, written as a model `svbot kb check` accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.checklist.model import features
from bot.knowledge.schema import CheckerModelFile, parse_weights

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def trainer(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import train_checker

    return train_checker


def write_set(path: Path, items: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"reasons": items}), encoding="utf-8")
    return path


def test_held_out_sets_are_never_trained_on(trainer, tmp_path: Path) -> None:
    item = {"step": "outcomes", "decision": "none-relevant", "reasons": "n/a", "label": "refuse"}
    tests_set = write_set(tmp_path / "reasons.yaml", [item])
    data = tmp_path / "data"
    data.mkdir()
    for name in ("reasons_dev3.yaml", "reasons_heldout3.yaml", "reasons_extra.yaml"):
        write_set(data / name, [item])
    assert [p.name for p in trainer.tuned_sets(data, tests_set)] == [
        "reasons.yaml",
        "reasons_dev3.yaml",
        "reasons_extra.yaml",
    ]
    with pytest.raises(SystemExit, match="held out"):
        trainer.load_set(data / "reasons_heldout3.yaml")
    assert trainer.load_set(data / "reasons_dev3.yaml") == [trainer.Item("outcomes", "none-relevant", "n/a", True)]


def test_the_written_model_is_one_the_knowledge_base_accepts(trainer) -> None:
    trained = trainer.Trained(0.25, {"w:relevant": 1.5, "shape:words<5": -0.75}, 1.0, {"balanced_accuracy": 0.9})
    text = trainer.render(trained, ["tests/data/reasons.yaml (3)"], 3, dt.date(2026, 12, 2))
    assert text.startswith("# The reasons checker's second opinion, written by bench/train_checker.py")
    spec = CheckerModelFile.model_validate(yaml.safe_load(text))
    assert spec.trained == dt.date(2026, 12, 2) and spec.intercept == 0.25 and spec.reasons == 3
    assert spec.weights.splitlines() == ["+1.5000 w:relevant", "-0.7500 shape:words<5"]


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
    items = [trainer.Item("outcomes", "none-relevant", r, True) for r in ticks]
    items += [trainer.Item("outcomes", "outcomes-identified", r, False) for r in goods]
    trained = trainer.train(items * 2)
    assert trained.weights["w:relevant"] > 0 > trained.weights["w:care"]
    assert all(f.startswith(("w:", "b:", "shape:", "option:")) for f in trained.weights)
    parse_weights("".join(f"{w:+.4f} {f}\n" for f, w in trained.weights.items()))
    assert features("outcomes", "none-relevant", True, "not relevant") & set(trained.weights)
