"""Helpers shared by the benchmark scripts (not part of the bot)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def entry_fields(entry) -> list[str]:
    """The text the text-matching baselines index for an entry, field by field (BM25 joins them)."""
    return [entry.title, *entry.questions, *entry.keywords, *entry.aliases, entry.short_answer]


def out_of_scope_question(item) -> str:
    """An out-of-scope item is the question itself or, like an in-scope one, a mapping with ``q``."""
    return str(item["q"]) if isinstance(item, dict) else str(item)


def load_questions(path: Path) -> tuple[list[tuple[str, list[str]]], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    in_scope = [(item["q"], list(item["expect"])) for item in data["in_scope"]]
    return in_scope, [out_of_scope_question(q) for q in data["out_of_scope"]]


def load_items(path: Path) -> tuple[list[tuple[str, list[str], str | None]], list[str]]:
    """Like ``load_questions``, keeping each question's ``after`` (the question a follow-up follows)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    in_scope = [(item["q"], list(item["expect"]), item.get("after")) for item in data["in_scope"]]
    return in_scope, [out_of_scope_question(q) for q in data["out_of_scope"]]
