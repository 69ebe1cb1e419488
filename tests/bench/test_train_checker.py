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


def test_held_out_sets_are_never_trained_on(trainer, tmp_path: Path) -> None:
    item = {"step": "outcomes", "decision": "none-relevant", "reasons": "n/a", "label": "refuse"}
    tests_set = write_set(tmp_path / "reasons.yaml", [item])
    data = tmp_path / "data"
    data.mkdir()
    for name in ("reasons_dev3.yaml", "reasons_dev8.yaml", "reasons_heldout3.yaml", "reasons_extra.yaml"):
        write_set(data / name, [item])
    assert [p.name for p in trainer.labelled_sets(data, tests_set)] == [
        "reasons.yaml",
        "reasons_dev3.yaml",
        "reasons_dev8.yaml",
        "reasons_extra.yaml",
    ]
    with pytest.raises(SystemExit, match="held out"):
        trainer.load_set(data / "reasons_heldout3.yaml")
    [loaded] = trainer.load_set(data / "reasons_dev3.yaml")
    assert loaded == trainer.Item("outcomes", "none-relevant", "n/a", True) and loaded.source == "reasons_dev3.yaml"
    # The sets the stack learns from are the ones the rules were never tuned on.
    assert {"reasons_dev8.yaml", "reasons_dev10.yaml", "reasons_dev11.yaml"} <= set(trainer.HONEST)
    assert "reasons_dev3.yaml" not in trainer.HONEST


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


def judged(trainer, source: str, tick_box: bool, accepted: bool, rules=(), missing=(), n: int = 0):
    item = trainer.Item("outcomes", "outcomes-identified", f"reason {source} {n} {tick_box}", tick_box, source)
    problems = () if accepted else ("dismissal",)
    return trainer.Judged(item, accepted, False, problems, tuple(rules), tuple(missing), accepted, not accepted)


def honest_sets(trainer):
    """Three sets where the rules accept half the tick-boxes and refuse a quarter of the justified
    reasons; the words' log-odds are right on all of them: a stack should learn to follow the words."""
    sets, oof = {}, {}
    for name in ("a", "b", "c"):
        rows, z = [], []
        for n in range(40):
            tick = n % 2 == 0
            accepted = (not tick and n % 4 != 1) or (tick and n % 4 == 0)
            rows.append(judged(trainer, name, tick, accepted, rules=("dismissal",) if not accepted else (), n=n))
            z.append(3.0 if tick else -3.0)
        sets[name], oof[name] = rows, z
    nested = {(left, name): oof[name] for left in sets for name in sets if left != name}
    return sets, trainer.OutOfFold(oof, nested)


def test_the_stack_learns_when_to_overrule_the_rules(trainer) -> None:
    pytest.importorskip("sklearn")
    sets, oof = honest_sets(trainer)
    stack = trainer.train_stack(sets, oof, Cs=[1.0])
    assert stack.weights["words:if-accepted"] > 0 and stack.weights["words:if-refused"] > 0
    assert list(stack.weights) == sorted(stack.weights, key=lambda f: -abs(stack.weights[f]))
    # Nested leave-one-set-out: every set is scored by a stack that never saw it, and the words win.
    assert set(stack.out_of_fold) == {"a", "b", "c"} and all(len(p) == 40 for p in stack.out_of_fold.values())
    assert stack.cross_validated["justified_accepted_by_set"] == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert stack.cross_validated["tick_boxes_refused_by_set"] == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert stack.trained_on == ["a (40)", "b (40)", "c (40)"]
    with pytest.raises(SystemExit, match="two sets the rules were never tuned on"):
        trainer.train_stack({"a": sets["a"]}, oof)


def test_a_stack_call_never_overrules_what_may_not_be_overruled(trainer) -> None:
    accepted = judged(trainer, "a", True, True)
    assert not trainer.stack_decides(accepted, 0.6) and trainer.stack_decides(accepted, 0.4)
    recorded = trainer.Judged(accepted.item, True, False, (), ("recorded:who",), (), False, False)
    assert trainer.stack_decides(recorded, 0.99)
    refused = judged(trainer, "a", False, False)
    assert trainer.stack_decides(refused, 0.4) and not trainer.stack_decides(refused, 0.6)
    contradicted = trainer.Judged(refused.item, False, False, ("contradiction",), (), (), False, False)
    assert not trainer.stack_decides(contradicted, 0.0)


def test_the_model_file_with_its_stack_and_veto_asks_is_one_the_knowledge_base_accepts(trainer) -> None:
    weights = {"w:relevant": 1.5, "shape:words<5": -0.75}
    trained = trainer.Trained(0.25, weights, 1.0, {"balanced_accuracy": 0.9}, trainer.FAMILIES)
    stack = trainer.Stack(
        -0.3,
        {"words:if-refused": 1.1, "verdict:accepted": -1.0, "rule:needs:who": 0.5},
        1.0,
        {"balanced_accuracy": 0.97, "justified_accepted_by_set": {"reasons_dev8.yaml": 0.96}},
        {"reasons_dev8.yaml": [0.2, 0.9]},
        ["reasons_dev8.yaml (2)"],
    )
    asks = {"consultation/consult": "how"}
    text = trainer.render(trained, ["tests/data/reasons.yaml (3)"], 3, dt.date(2026, 12, 2), asks, stack)
    assert "# stack: a second regression, trained only on the sets the rules were never tuned on" in text
    spec = CheckerModelFile.model_validate(yaml.safe_load(text))
    assert spec.veto_asks == asks and spec.stack is not None
    assert (
        spec.stack.intercept == -0.3 and spec.stack.reasons == 2 and spec.stack.trained_on == ["reasons_dev8.yaml (2)"]
    )
    assert spec.stack.weights.splitlines() == [
        "+1.1000 words:if-refused",
        "-1.0000 verdict:accepted",
        "+0.5000 rule:needs:who",
    ]
    assert spec.stack.cross_validated["justified_accepted_by_set"] == {"reasons_dev8.yaml": 0.96}


def test_veto_asks_names_what_each_option_s_tick_boxes_most_often_lack(trainer) -> None:
    rows = [
        judged(trainer, "a", True, False, missing=("who", "outcome"), n=1),
        judged(trainer, "a", True, False, missing=("who",), n=2),
        judged(trainer, "a", True, False, missing=("outcome",), n=3),
        judged(trainer, "a", True, False, missing=("outcome",), n=4),
        judged(trainer, "a", False, False, missing=("who",), n=5),  # justified: not counted
        judged(trainer, "a", True, True, n=6),  # accepted: nothing missing
    ]
    assert trainer.veto_asks(rows) == {"outcomes/outcomes-identified": "outcome"}


def test_the_out_of_fold_scores_are_written_for_the_calibration(trainer, tmp_path: Path, monkeypatch) -> None:
    sets, oof = honest_sets(trainer)
    stack = trainer.Stack(0, {}, 1.0, {}, {n: [0.1] * 40 for n in sets}, [])
    rows = [j for n in sets for j in sets[n]]
    trainer.write_oof(tmp_path / "oof.json", rows, oof, stack)
    import calibrate_checker_model as calibrate

    scored = calibrate.from_oof(tmp_path / "oof.json")
    assert len(scored) == 120 and scored[0].item["set"] == "a" and scored[0].stacked == 0.1
    assert scored[0].p_tick_box == pytest.approx(1 / (1 + 2.718281828**-3.0), rel=1e-6)
    assert scored[0].justified is False and scored[1].justified is True


def test_a_set_left_out_is_never_trained_on_even_where_another_set_repeats_it(trainer, monkeypatch) -> None:
    np = pytest.importorskip("numpy")
    items = [trainer.Item("outcomes", "none-relevant", f"reason {n}", n % 2 == 0, "a") for n in range(4)]
    items += [trainer.Item("outcomes", "none-relevant", "reason 0", True, "b")]  # a copy of one of a's
    items += [trainer.Item("outcomes", "none-relevant", "reason b", False, "b")]
    x = np.arange(len(items)).reshape(-1, 1)
    monkeypatch.setattr(trainer, "_fit", lambda rows, y, C: rows[:, 0].tolist())
    assert trainer._fit_without(items, x, np.zeros(len(items)), {"a"}, 1.0) == [5]
    assert trainer._fit_without(items, x, np.zeros(len(items)), {"b"}, 1.0) == [1, 2, 3]


def test_the_tests_reasons_are_labelled_as_the_tests_judged_them(trainer, tmp_path: Path) -> None:
    """Checks by the shipped checker or by the rules alone count; a test's own model or rules do not."""
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "test_judged.py").write_text(
        f"""
from pathlib import Path

from bot.checklist.checker import ReasonsChecker
from bot.knowledge.loader import load_knowledge

KB = load_knowledge(Path({str(root / "knowledge")!r}))
OFF = dict.fromkeys(("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue"), 0)


def test_judged():
    shipped = ReasonsChecker.for_knowledge(KB)
    shipped.check("outcomes", "none-relevant", "Not relevant.")
    parts = (KB.checklist.steps, KB.matching.stopwords, KB.justification)
    rules = ReasonsChecker(KB.checker.model_copy(update=OFF), *parts)
    rules.check("scope", "applies", "Services contract above threshold")
    own = KB.checker.model_copy(update={{**OFF, "filler_words": ["services"]}})
    ReasonsChecker(own, *parts).check("scope", "applies", "x y z")
    recorded = "its home care for 40 people, 1.2m, a services contract"
    shipped.check("scope", "applies", recorded, record=["decision-maker"])
""",
        encoding="utf-8",
    )
    items = trainer.curated_items(tmp_path / "test_judged.py")
    assert {(i.step, i.decision, i.reasons): i.tick_box for i in items} == {
        ("outcomes", "none-relevant", "Not relevant."): True,
        ("scope", "applies", "Services contract above threshold"): False,
    }
    assert {i.source for i in items} == {"tests"}
