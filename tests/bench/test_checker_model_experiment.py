"""bench/checker_model_experiment.py: thresholds fixed on training predictions, overrides only where allowed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")  # the bench extra

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def experiment():
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCH))
        import checker_model_experiment

        yield checker_model_experiment


def item(experiment, checker, step: str, decision: str, reasons: str, tick_box: bool):
    verdict = checker.check(step, decision, reasons)
    return experiment.Item(
        step, decision, reasons, tick_box, "test", verdict, checker.is_negative(step, decision)
    )  # fmt: skip


def test_threshold_is_the_lowest_confidence_right_often_enough(experiment) -> None:
    # 20 calls at 0.6 (half right), 20 at 0.8 (all right): 0.6 is not right 97% of the time; just above it is.
    p = np.array([0.6] * 20 + [0.8] * 20)
    right = np.array([True, False] * 10 + [True] * 20)
    assert experiment.threshold(p, right, 0.97) == 0.61
    assert experiment.threshold(p, right, 0.75) == 0.5
    # Fewer than 10 calls never fix a threshold; never right enough: 1.0, which turns the override off.
    assert experiment.threshold(np.array([0.9] * 9), np.array([True] * 9), 0.97) == 1.0
    assert experiment.threshold(p, np.zeros(40, dtype=bool), 0.5) == 1.0


def test_overrides_only_where_allowed(experiment, checker) -> None:
    accepted = item(experiment, checker, "scope", "applies", "Services contract above threshold", False)
    soft = item(experiment, checker, "process", "not-pursued", "the framework fixes the criteria", False)
    hard = item(experiment, checker, "outcomes", "none-relevant", "Not relevant 2027 Rochdale £1m", True)
    assert accepted.verdict.accepted and not soft.verdict.accepted and not hard.verdict.accepted
    assert experiment.soft_refusal(soft) and not experiment.soft_refusal(hard)
    policy = experiment.Policy("both", veto_at=0.9, rescue_at=0.8)
    assert not policy.decide(accepted, 0.95)  # vetoed
    assert policy.decide(accepted, 0.85)  # not confident enough to veto
    assert policy.decide(soft, 0.1)  # rescued: P(justified) 0.9
    assert not policy.decide(soft, 0.3)
    assert not policy.decide(hard, 0.0)  # a tick-box rule fired: never rescued
    off = experiment.Policy("off", veto_at=1.0, rescue_at=1.0)
    assert off.decide(accepted, 1.0) and not off.decide(soft, 0.0)
    changes = experiment.score([accepted, soft, hard], [False, True, False])
    assert changes["justified"] == (1, 2) and changes["tick"] == (1, 1)
    assert changes["to_refuse_wrong"] == 1 and changes["to_accept_right"] == 1


def test_verdict_features_name_what_the_rules_found(experiment, checker) -> None:
    soft = item(experiment, checker, "process", "not-pursued", "the framework fixes the criteria", False)
    feats = experiment.verdict_features(soft)
    assert "found:process/not-pursued:constraint" in feats
    assert "missing:process/not-pursued:instead" in feats
    assert "problem:missing_element" in feats and "option:negative" in feats
    assert not any(f.startswith("rule:needs") for f in feats)  # the same as missing:, counted once
    words = experiment.word_features(soft)
    assert {"w:framework", "b:fixes the", "shape:words<10", "shape:lower-case"} <= set(words)


def test_a_model_trained_on_the_development_set_tells_the_obvious_apart(experiment, checker) -> None:
    items = experiment.load([experiment.TRAIN_SETS[0]], checker)
    model = experiment.train(items, experiment.all_features)
    assert model.params["l1_ratio"] in (0.0, 1.0) and 0.9 < model.cv_score <= 1
    probes = [
        item(experiment, checker, "outcomes", "none-relevant", "Not relevant.", True),
        item(experiment, checker, "scope", "applies", "Services contract above threshold", False),
    ]
    tick_box, justified = model.p_tick_box(probes)
    assert tick_box > 0.9 and justified < 0.5
