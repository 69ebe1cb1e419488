"""bench/calibrate_checker_model.py: what each way of overruling changes, and how its thresholds are chosen."""

from __future__ import annotations

import json
import re
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
    s, p = calibrate.Scored, calibrate.Policy
    accepted_tick = s({}, justified=False, accepted=True, soft=False, p_tick_box=0.95)
    accepted_good = s({}, justified=True, accepted=True, soft=False, p_tick_box=0.6)
    soft_good = s({}, justified=True, accepted=False, soft=True, p_tick_box=0.05)
    hard_good = s({}, justified=True, accepted=False, soft=False, p_tick_box=0.0)
    soft_tick = s({}, justified=False, accepted=False, soft=True, p_tick_box=0.5)
    scored = [accepted_tick, accepted_good, soft_good, hard_good, soft_tick]
    assert [calibrate.decide(x, p()) for x in scored] == [True, True, False, False, False]
    assert [calibrate.decide(x, p(veto=0.9)) for x in scored] == [False, True, False, False, False]
    assert [calibrate.decide(x, p(veto=0.5)) for x in scored] == [False, False, False, False, False]
    assert [calibrate.decide(x, p(rescue=0.9)) for x in scored] == [True, True, True, False, False]
    assert [calibrate.decide(x, p(rescue=0.5)) for x in scored] == [True, True, True, False, True]
    both = calibrate.outcome(scored, p(0.5, 0.5))
    assert (both.refused_right, both.refused_wrong, both.accepted_right, both.accepted_wrong) == (1, 1, 1, 1)
    assert both.justified_accepted == pytest.approx(1 / 3)
    assert both.tick_boxes_refused == 0.5  # one refused by the veto, one let in by the rescue
    rules = calibrate.outcome(scored, p())
    assert (rules.justified_accepted, rules.tick_boxes_refused) == (pytest.approx(1 / 3), 0.5)


def test_the_stack_overrules_either_way_but_never_what_it_may_not(calibrate) -> None:
    s, p = calibrate.Scored, calibrate.Policy
    accepted = s({}, justified=False, accepted=True, soft=False, p_tick_box=0.1, stacked=0.7)
    recorded = s({}, justified=False, accepted=True, soft=False, p_tick_box=0.1, vetoable=False, stacked=0.9)
    hard = s({}, justified=True, accepted=False, soft=False, p_tick_box=0.9, overrulable=True, stacked=0.2)
    contradicted = s({}, justified=True, accepted=False, soft=False, p_tick_box=0.0, overrulable=False, stacked=0.0)
    scored = [accepted, recorded, hard, contradicted]
    assert [calibrate.decide(x, p(stack_veto=0.5, stack_rescue=0.5)) for x in scored] == [False, True, True, False]
    assert [calibrate.decide(x, p(stack_veto=0.8, stack_rescue=0.5)) for x in scored] == [True, True, True, False]
    assert [calibrate.decide(x, p(stack_veto=0.5, stack_rescue=0.9)) for x in scored] == [False, True, False, False]
    assert [calibrate.decide(x, p(stack_veto=0.5)) for x in scored] == [False, True, False, False]
    # The words' veto and rescue read the words' score; the record's acceptance is not theirs to veto either.
    assert [calibrate.decide(x, p(0.05, 0.05)) for x in scored] == [False, True, False, False]
    o = calibrate.outcome(scored, p(stack_veto=0.5, stack_rescue=0.5))
    assert (o.refused_right, o.refused_wrong, o.accepted_right, o.accepted_wrong) == (1, 0, 1, 0)


def _calibration_set(tmp_path: Path) -> Path:
    """A two-reason labelled set: a bare dismissal to refuse and a specific outcome to accept."""
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
    return path


def test_the_report_scores_a_set_with_the_shipped_model(calibrate, tmp_path: Path, capsys) -> None:
    path = _calibration_set(tmp_path)
    calibrate.main(["--set", str(path), "--veto", "0.9", "--rescue", "0.9", "--grid", "--changes"])
    out = capsys.readouterr().out
    assert "reasons_calibration.yaml: 2 labelled reasons (1 justified, 1 tick-boxes)" in out
    assert re.search(r"\n  rules alone +1\.000 +1\.000 +0/0 +0/0\n", out)
    assert "both (0.9 / 0.9)" in out or "stack both (" in out
    assert "       0.99" in out


def test_each_threshold_is_chosen_for_the_best_mean_balanced_accuracy(calibrate) -> None:
    s = calibrate.Scored
    justified_ok = [s({}, justified=True, accepted=True, soft=False, p_tick_box=0.2) for _ in range(6)]
    scored = [
        *(s({}, justified=False, accepted=True, soft=False, p_tick_box=0.96) for _ in range(3)),  # right vetoes
        s({}, justified=True, accepted=True, soft=False, p_tick_box=0.91),  # a wrong veto up to 0.91
        *(s({}, justified=False, accepted=True, soft=False, p_tick_box=0.9) for _ in range(2)),  # up to 0.90
        *justified_ok,
        *(s({}, justified=True, accepted=False, soft=True, p_tick_box=0.2) for _ in range(2)),  # right rescues
        s({}, justified=False, accepted=False, soft=True, p_tick_box=0.25),  # a wrong rescue up to 0.75
        *(s({}, justified=False, accepted=False, soft=False, p_tick_box=0.9) for _ in range(4)),
    ]
    sets = [scored]
    # Vetoing from 0.91 up to 0.96 refuses 3 tick-boxes of 9 and no justified reason of 9; at 0.90, 5 tick-boxes
    # and 1 justified reason: 5/9 - 1/9 > 3/9, so 0.90 wins; ties go to the higher threshold.
    assert calibrate.choose_one(sets, "veto") == 0.9
    assert calibrate.choose_one(sets, "veto", (0.9, 1.0)) == 0.96
    # Rescuing from 0.76 to 0.80 accepts 2 justified reasons of 9 and lets in no tick-box.
    assert calibrate.choose_one(sets, "rescue") == 0.8
    # Off when nothing within the limits gains.
    assert calibrate.choose_one(sets, "rescue", (0.8, 1.0)) == 0.0
    assert calibrate.choose_one(sets, "veto", (0.96, 1.0)) == 0.0


def test_the_tests_reasons_bound_each_threshold_from_both_sides(calibrate) -> None:
    s = calibrate.Scored
    tests = [
        s({}, justified=True, accepted=True, soft=False, p_tick_box=0.93, stacked=0.3),
        s({}, justified=False, accepted=True, soft=False, p_tick_box=0.97, stacked=0.9),  # a test expects a veto
        s({}, justified=False, accepted=False, soft=True, p_tick_box=0.15, overrulable=True, stacked=0.2),
        s({}, justified=False, accepted=False, soft=False, p_tick_box=0.01, overrulable=False, stacked=0.01),
    ]
    within = calibrate.limits(tests)
    assert within.veto == (0.93, 0.97)
    assert within.rescue == (pytest.approx(0.85), 1.0)  # hard refusals are not the words' to rescue
    assert within.stack_veto == (0.3, 0.9)
    assert within.stack_rescue == (pytest.approx(0.8), 1.0)  # nor a contradiction the stack's


def test_apply_writes_the_lines_and_nothing_else(calibrate, tmp_path: Path) -> None:
    path = tmp_path / "checker.yaml"
    text = "# model_veto: a comment\nfiller_words: [a]\nmodel_veto: 0.93\nmodel_rescue: 0.79\n"
    path.write_text(text, encoding="utf-8")
    calibrate.apply({"model_veto": 0.95, "model_rescue": 0.0}, path)
    assert path.read_text(encoding="utf-8") == text.replace("0.93", "0.95").replace("0.79", "0")
    path.write_text("model_veto: 0.9\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="0 lines starting model_rescue"):
        calibrate.apply({"model_rescue": 0.8}, path)


def _oof(tmp_path: Path) -> Path:
    """Two sets where the rules let tick-boxes through that both scores see, and refuse justified
    reasons hard (a tick-box rule fired), which only the stack may accept."""
    rows = []
    for name in ("reasons_devA.yaml", "reasons_devB.yaml"):
        for n in range(10):
            base = {"set": name, "step": "outcomes", "decision": "outcomes-identified", "reasons": f"r{n}"}
            rows.append(
                {**base, "label": "refuse", "accepted": True, "soft": False, "vetoable": True, "overrulable": False}
                | {"p_words": 0.99, "p_stack": 0.9}
            )
            rows.append(
                {**base, "label": "accept", "accepted": False, "soft": False, "vetoable": False, "overrulable": True}
                | {"p_words": 0.01, "p_stack": 0.1}
            )
    path = tmp_path / "oof.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_choose_keeps_the_way_that_generalises_better_and_writes_its_lines(
    calibrate, tmp_path: Path, capsys, monkeypatch
) -> None:
    target = tmp_path / "checker.yaml"
    lines = "model_veto: 0.93\nmodel_rescue: 0.79\nmodel_stack_veto: 0\nmodel_stack_rescue: 0\n"
    target.write_text(lines, encoding="utf-8")
    monkeypatch.setattr(calibrate, "CHECKER_YAML", target)
    tests = _calibration_set(tmp_path)
    calibrate.main(["--oof", str(_oof(tmp_path)), "--choose", "--tests-from", str(tests), "--apply"])
    out = capsys.readouterr().out
    assert "reasons_devA.yaml: 20 reasons (10 justified, 10 tick-boxes)" in out
    assert re.search(r"veto/rescue chosen on the others \(0\.99/0\) +0\.000 +1\.000", out)
    assert re.search(r"stack chosen on the others \(0\.9/0\.9\) +1\.000 +1\.000", out)
    assert "thresholds chosen on the others: veto/rescue 0.5000, stack 1.0000" in out
    assert "outcomes" in out and "negative options" in out
    assert "chosen on oof.json (the stack):" in out
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["model_veto"] == written["model_rescue"] == 0
    assert written["model_stack_veto"] == written["model_stack_rescue"] == 0.9
    with pytest.raises(SystemExit):
        calibrate.main(["--set", str(tests), "--apply"])
    with pytest.raises(SystemExit):
        calibrate.main(["--set", str(tests), "--choose"])
