"""bench/justification_quality.py: tuned sets first, every reasons_heldout*.yaml last and marked HELD OUT."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"
ITEM = {"step": "outcomes", "decision": "none-relevant", "reasons": "n/a", "label": "refuse"}


@pytest.fixture
def quality(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import justification_quality

    return justification_quality


def write_set(path: Path) -> Path:
    path.write_text(yaml.safe_dump({"reasons": [ITEM]}), encoding="utf-8")
    return path


def headings(out: str) -> list[str]:
    return [line for line in out.splitlines() if "labelled reasons" in line]


def test_held_out_sets_come_last_and_marked(quality, tmp_path: Path, monkeypatch, capsys) -> None:
    tests_set = write_set(tmp_path / "tests_reasons.yaml")
    data = tmp_path / "data"
    data.mkdir()
    for name in ("reasons_heldout3.yaml", "reasons_dev3.yaml", "reasons_heldout2.yaml", "reasons_extra.yaml"):
        write_set(data / name)
    (data / "questions_extra.yaml").write_text("in_scope: []\n", encoding="utf-8")
    names = [p.name for p in quality.default_sets(data, tests_set)]
    assert names == [
        "tests_reasons.yaml",
        "reasons_dev3.yaml",
        "reasons_extra.yaml",
        "reasons_heldout2.yaml",
        "reasons_heldout3.yaml",
    ]
    monkeypatch.setattr(quality, "DATA", data)
    monkeypatch.setattr(quality, "TESTS_SET", tests_set)
    quality.main(["--quiet"])
    lines = headings(capsys.readouterr().out)
    assert [("HELD OUT" in line) for line in lines] == [False, False, False, True, True]


def test_works_without_a_held_out_set(quality, tmp_path: Path, monkeypatch, capsys) -> None:
    tests_set = write_set(tmp_path / "tests_reasons.yaml")
    data = tmp_path / "data"
    data.mkdir()
    write_set(data / "reasons_dev3.yaml")
    monkeypatch.setattr(quality, "DATA", data)
    monkeypatch.setattr(quality, "TESTS_SET", tests_set)
    quality.main([])
    out = capsys.readouterr().out
    assert len(headings(out)) == 2 and "HELD OUT" not in out
    assert "tick-boxes refused" in out
    assert "check (every pass): median" in out and "check (fastest pass): median" in out


def test_the_former_held_out_set_is_now_tuned_on(quality) -> None:
    sets = quality.default_sets(quality.DATA, quality.TESTS_SET)
    dev3 = quality.DATA / "reasons_dev3.yaml"
    assert dev3 in sets and not quality.is_held_out(dev3)
    assert not (quality.DATA / "reasons_heldout2.yaml").exists()


def test_a_held_out_set_s_misses_are_listed_only_when_it_is_named(quality, tmp_path: Path, monkeypatch, capsys) -> None:
    wrong = {**ITEM, "label": "accept"}  # "n/a" is refused, so this item is misjudged
    tests_set = write_set(tmp_path / "tests_reasons.yaml")
    data = tmp_path / "data"
    data.mkdir()
    held = data / "reasons_heldout9.yaml"
    held.write_text(yaml.safe_dump({"reasons": [wrong]}), encoding="utf-8")
    (data / "reasons_dev9.yaml").write_text(yaml.safe_dump({"reasons": [wrong]}), encoding="utf-8")
    monkeypatch.setattr(quality, "DATA", data)
    monkeypatch.setattr(quality, "TESTS_SET", tests_set)
    quality.main([])
    out = capsys.readouterr().out
    assert out.count("WRONG [accept]") == 1  # the development set's miss only
    assert "1 misjudged; not listed for a held-out set: name it with --set to see them" in out
    quality.main(["--set", str(held)])
    assert "WRONG [accept]" in capsys.readouterr().out


def test_rules_only_leaves_the_trained_model_no_say(quality, tmp_path: Path, monkeypatch) -> None:
    made = []
    real = quality.ReasonsChecker.for_knowledge
    monkeypatch.setattr(quality.ReasonsChecker, "for_knowledge", lambda kb: made.append(real(kb)) or made[-1])
    reasons = write_set(tmp_path / "reasons.yaml")
    quality.main(["--quiet", "--set", str(reasons)])
    quality.main(["--quiet", "--rules-only", "--set", str(reasons)])
    shipped, alone = made
    assert (alone.config.model_veto, alone.config.model_rescue, alone.config.stacked) == (0, 0, False)
    shipped_config = shipped.config
    assert shipped_config.stacked or (shipped_config.model_veto > 0 and shipped_config.model_rescue > 0)
