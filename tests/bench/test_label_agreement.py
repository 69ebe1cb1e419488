"""bench/label_agreement.py: a second labelling compared with the first, label by label."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def agreement(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import label_agreement

    return label_agreement


def _reason(text: str, label: str) -> dict:
    return {"step": "outcomes", "decision": "none-relevant", "reasons": text, "label": label}


def test_rates_count_each_first_label_apart(agreement):
    pairs = [("accept", "accept"), ("accept", "refuse"), ("refuse", "refuse"), ("refuse", "refuse")]
    assert agreement._rates(pairs) == "accepted 0.500 (1/2), refused 1.000 (2/2)"


def test_a_second_labelling_is_read_against_the_named_set(agreement, tmp_path):
    reasons = [_reason("n/a", "refuse"), _reason("one-off delivery of 40 chairs, nothing local to secure", "accept")]
    (tmp_path / "reasons_x.yaml").write_text(yaml.safe_dump({"reasons": reasons}), encoding="utf-8")
    second = [
        {"set": "reasons_x.yaml", "index": 1, "label": "refuse", "sure": "low", "why": "w"},
        {"set": "reasons_x.yaml", "index": 0, "label": "refuse", "sure": "high", "why": "w"},
    ]
    path = tmp_path / "agreement_x.yaml"
    path.write_text(yaml.safe_dump({"labels": second}), encoding="utf-8")
    items = agreement.pairs_for(path)
    got = [(i["set"], i["first"], i["second"], i["sure"]) for i in items]
    assert got == [("reasons_x.yaml", "accept", "refuse", "low"), ("reasons_x.yaml", "refuse", "refuse", "high")]
    assert items[0]["reasons"].startswith("one-off delivery")


def test_the_shipped_agreement_file_names_real_reasons(agreement):
    for path in sorted((BENCH / "data").glob("agreement_*.yaml")):
        items = agreement.pairs_for(path)
        assert items and all(i["second"] in ("accept", "refuse") for i in items)
