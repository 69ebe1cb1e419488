"""bench/calibrate_checker_model.py: what the veto and the rescue change, counted right and wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def calibrate(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import calibrate_checker_model

    return calibrate_checker_model


def test_the_veto_only_refuses_acceptances_and_the_rescue_only_soft_refusals(calibrate) -> None:
    s = calibrate.Scored
    accepted_tick = s({}, justified=False, accepted=True, soft=False, p_tick_box=0.95)
    accepted_good = s({}, justified=True, accepted=True, soft=False, p_tick_box=0.6)
    soft_good = s({}, justified=True, accepted=False, soft=True, p_tick_box=0.05)
    hard_good = s({}, justified=True, accepted=False, soft=False, p_tick_box=0.0)
    soft_tick = s({}, justified=False, accepted=False, soft=True, p_tick_box=0.5)
    scored = [accepted_tick, accepted_good, soft_good, hard_good, soft_tick]
    assert [calibrate.decide(x, 0, 0) for x in scored] == [True, True, False, False, False]
    assert [calibrate.decide(x, 0.9, 0) for x in scored] == [False, True, False, False, False]
    assert [calibrate.decide(x, 0.5, 0) for x in scored] == [False, False, False, False, False]
    assert [calibrate.decide(x, 0, 0.9) for x in scored] == [True, True, True, False, False]
    assert [calibrate.decide(x, 0, 0.5) for x in scored] == [True, True, True, False, True]
    both = calibrate.outcome(scored, 0.5, 0.5)
    assert (both.refused_right, both.refused_wrong, both.accepted_right, both.accepted_wrong) == (1, 1, 1, 1)
    assert both.justified_accepted == pytest.approx(1 / 3)
    assert both.tick_boxes_refused == 0.5  # one refused by the veto, one let in by the rescue
    rules = calibrate.outcome(scored, 0, 0)
    assert (rules.justified_accepted, rules.tick_boxes_refused) == (pytest.approx(1 / 3), 0.5)


def test_the_report_scores_a_set_with_the_shipped_model(calibrate, tmp_path: Path, capsys) -> None:
    items = [
        {"step": "outcomes", "decision": "none-relevant", "reasons": "Not relevant.", "label": "refuse"},
        {
            "step": "outcomes",
            "decision": "outcomes-identified",
            "reasons": "8 apprenticeships for Wigan care leavers over the 3-year contract.",
            "label": "accept",
        },
    ]
    path = tmp_path / "reasons_calibration.yaml"
    path.write_text(yaml.safe_dump({"reasons": items}), encoding="utf-8")
    calibrate.main(["--set", str(path), "--veto", "0.9", "--rescue", "0.9", "--grid", "--changes"])
    out = capsys.readouterr().out
    assert "reasons_calibration.yaml: 2 labelled reasons (1 justified, 1 tick-boxes)" in out
    assert "  rules alone                               1.000               1.000           0/0" in out
    assert "both (0.9 / 0.9)" in out
    assert "       0.99" in out
