"""bench/train_matcher.py: what the matcher's model learns from (never a held-out set) and the file it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.matching.model import OUTSIDE, MatcherModel

BENCH = Path(__file__).resolve().parents[2] / "bench"

SET = {
    "in_scope": [
        {"q": "can we require the real living wage", "expect": ["legal.living-wage"]},
        {"q": "and in wales?", "expect": ["legal.living-wage", "legal.wales-socially-responsible-procurement"],
         "after": "can we require the real living wage"},
    ],
    "out_of_scope": ["how do I reset my password", {"q": "what's the weather"}],
}  # fmt: skip


@pytest.fixture
def tm(monkeypatch, tmp_path):
    """train_matcher with its sets redirected to a temporary folder."""
    pytest.importorskip("rank_bm25")  # match_quality, which it reads the sets' names from: the bench extra
    monkeypatch.syspath_prepend(str(BENCH))
    import train_matcher

    data = tmp_path / "bench" / "data"
    data.mkdir(parents=True)
    dev = [tmp_path / "questions.yaml", tmp_path / "questions_2026.yaml"]
    names = ["questions_extra.yaml", "questions_oos_dev.yaml", "questions_dev9.yaml", "questions_heldout9.yaml"]
    for path in (*dev, *(data / n for n in names)):
        path.write_text(yaml.safe_dump(SET), encoding="utf-8")
    monkeypatch.setattr(train_matcher, "DEV_SETS", dev)
    monkeypatch.setattr(train_matcher, "DATA", data)
    monkeypatch.setattr(train_matcher, "EXTRA_SET", data / "questions_extra.yaml")
    monkeypatch.setattr(train_matcher, "OOS_SET", data / "questions_oos_dev.yaml")
    return train_matcher


def test_it_learns_from_every_development_set_and_never_a_held_out_one(tm) -> None:
    names = [p.name for p in tm.question_sets()]
    assert names == [
        "questions.yaml",
        "questions_2026.yaml",
        "questions_extra.yaml",
        "questions_oos_dev.yaml",
        "questions_dev9.yaml",
    ]


def test_a_follow_up_is_learnt_as_read_and_out_of_scope_questions_as_outside(tm) -> None:
    samples = tm.set_samples(tm.DEV_SETS[0])
    assert samples == [
        ("can we require the real living wage", "legal.living-wage"),
        ("can we require the real living wage and in wales?", "legal.living-wage"),
        ("how do I reset my password", OUTSIDE),
        ("what's the weather", OUTSIDE),
    ]


def test_the_written_model_reads_back_and_ranks_its_training(tm, kb: KnowledgeBase, matcher: Matcher) -> None:
    pytest.importorskip("sklearn")
    samples = [*tm.entries_samples(kb), ("how do i reset my password", OUTSIDE), ("reset my password please", OUTSIDE)]
    data = {"entries": {}, **tm.train(matcher, samples, c=4.0, min_weight=0.0)}
    model = MatcherModel.from_json(json.loads(tm._readable_json(data)))
    assert set(model.classes) == {e.id for e in kb.entries} | {OUTSIDE}
    p = model.probabilities(matcher.model_features("reset my password"))
    assert max(p, key=p.__getitem__) == OUTSIDE
    p = model.probabilities(matcher.model_features(kb.get("legal.living-wage").questions[0]))
    assert max(p, key=p.__getitem__) == "legal.living-wage"
