"""bench/match_quality.py: which question sets a run reports, in which order, and how held-out sets are kept apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"

DEV = {"in_scope": [{"q": "can we require the real living wage", "expect": ["legal.living-wage"]}],
       "out_of_scope": ["how do I reset my password"]}  # fmt: skip
HELD = {"in_scope": [{"q": "what does the social value act do", "expect": ["no.such-entry"]}], "out_of_scope": []}


@pytest.fixture
def mq(monkeypatch, tmp_path):
    """match_quality with its sets redirected to a temporary folder: two dev files, an extra file, no held-out."""
    pytest.importorskip("rank_bm25")
    monkeypatch.syspath_prepend(str(BENCH))
    import match_quality

    data = tmp_path / "bench" / "data"
    data.mkdir(parents=True)
    dev = [tmp_path / "questions.yaml", tmp_path / "questions_2026.yaml"]
    for path in (*dev, data / "questions_extra.yaml"):
        path.write_text(yaml.safe_dump(DEV), encoding="utf-8")
    monkeypatch.setattr(match_quality, "DEV_SETS", dev)
    monkeypatch.setattr(match_quality, "DATA", data)
    monkeypatch.setattr(match_quality, "EXTRA_SET", data / "questions_extra.yaml")
    monkeypatch.setattr(match_quality, "OOS_SET", data / "questions_oos_dev.yaml")
    return match_quality


def held_out(mq, name: str) -> Path:
    path = mq.DATA / name
    path.write_text(yaml.safe_dump(HELD), encoding="utf-8")
    return path


def test_only_files_named_questions_heldout_are_held_out(mq):
    assert mq.is_held_out(Path("bench/data/questions_heldout2.yaml"))
    assert mq.is_held_out(Path("/elsewhere/questions_heldout.yaml"))
    assert not mq.is_held_out(Path("bench/data/questions_extra.yaml"))
    assert not mq.is_held_out(Path("tests/data/questions.yaml"))
    assert not mq.is_held_out(Path("bench/data/reasons_heldout2.yaml"))


def test_all_without_a_held_out_file_reports_dev_then_extra(mq):
    sets = mq.sets_to_report(None, everything=True)
    assert [s.paths for s in sets] == [tuple(mq.DEV_SETS), (mq.EXTRA_SET,)]
    assert not any(s.held_out for s in sets)
    assert "development" in sets[0].label and "tuned on" in sets[1].label


def test_all_reports_every_held_out_set_last_and_labelled(mq):
    second, first = held_out(mq, "questions_heldout2.yaml"), held_out(mq, "questions_heldout.yaml")
    sets = mq.sets_to_report(None, everything=True)
    assert [s.paths for s in sets[2:]] == [(first.resolve(),), (second.resolve(),)]
    assert [s.held_out for s in sets] == [False, False, True, True]
    assert all(s.label.startswith("HELD OUT") for s in sets[2:])


def test_all_reports_the_out_of_scope_set_after_extra_and_before_held_out(mq):
    mq.OOS_SET.write_text(yaml.safe_dump(DEV), encoding="utf-8")
    held = held_out(mq, "questions_heldout.yaml")
    sets = mq.sets_to_report(None, everything=True)
    assert [s.paths for s in sets] == [tuple(mq.DEV_SETS), (mq.EXTRA_SET,), (mq.OOS_SET,), (held.resolve(),)]
    assert sets[2].label.startswith("out-of-scope development set") and not sets[2].held_out
    (named,) = mq.sets_to_report([mq.OOS_SET], everything=False)
    assert named.label == sets[2].label


def test_out_of_scope_questions_may_be_written_as_mappings_like_in_scope_ones(mq):
    mq.OOS_SET.write_text(
        yaml.safe_dump({"in_scope": [], "out_of_scope": [{"q": "does tupe apply"}, "what is ir35"]}), encoding="utf-8"
    )
    assert mq.load_sets([mq.OOS_SET]) == ([], ["does tupe apply", "what is ir35"])


def test_questions_makes_one_set_held_out_if_any_file_is(mq):
    path = held_out(mq, "questions_heldout2.yaml")
    (only,) = mq.sets_to_report([path], everything=False)
    assert only.held_out and only.label.startswith("HELD OUT")
    (mixed,) = mq.sets_to_report([mq.EXTRA_SET, path], everything=False)
    assert mixed.held_out and len(mixed.paths) == 2
    (extra,) = mq.sets_to_report([mq.EXTRA_SET], everything=False)
    assert not extra.held_out
    (dev,) = mq.sets_to_report(None, everything=False)
    assert dev.paths == tuple(mq.DEV_SETS)


def run(mq, monkeypatch, capsys, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["match_quality.py", "--no-hybrid", *args])
    mq.main()
    return capsys.readouterr().out


def test_all_prints_each_set_with_the_held_out_last_and_its_misses_hidden(mq, monkeypatch, capsys):
    held_out(mq, "questions_heldout2.yaml")
    out = run(mq, monkeypatch, capsys, "--all", "--misses")
    headings = [line for line in out.splitlines() if line.startswith("== ")]
    assert len(headings) == 3
    assert "development" in headings[0] and "questions_extra" in headings[1]
    assert headings[2].startswith("== HELD OUT") and "questions_heldout2.yaml" in headings[2]
    held_part = out[out.index(headings[2]) :]
    assert "svbot" in held_part and "BM25" in held_part
    assert "what does the social value act do" not in out  # the held-out miss is not listed
    assert "not listed" in held_part


def test_all_without_a_held_out_file_says_so(mq, monkeypatch, capsys):
    out = run(mq, monkeypatch, capsys, "--all")
    assert "no held-out set" in out
    assert sum(line.startswith("== ") for line in out.splitlines()) == 2


def test_a_held_out_set_named_with_questions_lists_its_misses(mq, monkeypatch, capsys):
    path = held_out(mq, "questions_heldout2.yaml")
    out = run(mq, monkeypatch, capsys, "--questions", str(path), "--misses")
    assert "== HELD OUT" in out
    assert "MISS 'what does the social value act do'" in out


def test_all_reports_former_held_out_sets_as_development_sets_before_the_held_out_ones(mq):
    tuned = mq.DATA / "questions_dev2.yaml"
    tuned.write_text(yaml.safe_dump(DEV), encoding="utf-8")
    held = held_out(mq, "questions_heldout3.yaml")
    sets = mq.sets_to_report(None, everything=True)
    assert [s.paths for s in sets] == [tuple(mq.DEV_SETS), (mq.EXTRA_SET,), (tuned.resolve(),), (held.resolve(),)]
    assert sets[2].label.startswith("development set") and not sets[2].held_out
    assert sets[3].held_out


def test_nation_asks_svbot_as_from_that_nation(mq, monkeypatch, capsys):
    duty = {"in_scope": [{"q": "what social value duty do we have", "expect": ["legal.duty-to-consider"]}],
            "out_of_scope": []}  # fmt: skip
    path = mq.DATA / "questions_duty.yaml"
    path.write_text(yaml.safe_dump(duty), encoding="utf-8")
    plain = run(mq, monkeypatch, capsys, "--questions", str(path), "--misses")
    assert "MISS" not in plain
    welsh = run(mq, monkeypatch, capsys, "--questions", str(path), "--misses", "--nation", "wales")
    assert "svbot (Wales asker)" in welsh
    assert "got legal.wales-socially-responsible-procurement" in welsh
