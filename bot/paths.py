"""Where the shipped knowledge base and prompt templates live.

In a source checkout (and an editable install) they are the top-level
``knowledge/`` and ``prompts/`` folders; a wheel carries copies under
``bot/_shipped/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_shipped" / name


KNOWLEDGE_DIR = _shipped("knowledge")
PROMPTS_DIR = _shipped("prompts")
