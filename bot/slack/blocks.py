"""Block Kit builders that keep within Slack's limits.

Slack rejects a message whose text object passes 3,000 characters or which
has more than 50 blocks, so long entries are split into several sections and
very long messages are trimmed with a note.
"""

from __future__ import annotations

import json
from typing import Any

MAX_TEXT = 3000
MAX_BLOCKS = 50
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_ACTIONS = 25
# A form field's error (``response_action: errors``): Slack documents no limit; this keeps a runaway
# message short while every error svbot writes, with the person's own words quoted whole, fits.
MAX_ERROR = 1000
Block = dict[str, Any]


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending "…" if shortened: at a space where one is near the end,
    so no word or figure ("£1,200,000") is left half shown."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    # Never leave half an entity such as "&am" at the end.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def chunks(text: str, limit: int = MAX_TEXT - 100) -> list[str]:
    """Split text at paragraph, then line, then word boundaries into pieces under ``limit``."""
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(paragraph) > limit:
            split_at = paragraph.rfind("\n", 0, limit)
            if split_at <= 0:
                split_at = paragraph.rfind(" ", 0, limit)
            if split_at <= 0:
                split_at = limit
            head = paragraph[:split_at]
            amp = head.rfind("&")
            if amp != -1 and ";" not in head[amp:]:
                split_at = amp or split_at
            pieces.append(paragraph[:split_at].rstrip())
            paragraph = paragraph[split_at:].lstrip()
        current = paragraph
    if current:
        pieces.append(current)
    return pieces or [" "]


def sections(mrkdwn: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in chunks(mrkdwn)]


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": cut(mrkdwn, MAX_TEXT)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: Any, style: str | None = None) -> dict[str, Any]:
    raw = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": cut(text, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": raw[:MAX_VALUE],
    }
    if style:
        element["style"] = style
    return element


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """The clicked button's value, read back from the JSON ``button`` wrote; {} if it is not one."""
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
    except (KeyError, IndexError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def actions(elements: list[dict[str, Any]], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": elements[:MAX_ACTIONS]}
    if block_id:
        block["block_id"] = block_id
    return block


def limit(blocks: list[Block], note: str = "(trimmed to fit in Slack)") -> list[Block]:
    """At most 50 blocks: keep the first 49 and say the rest was trimmed."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], context(note)]


def fallback_text(mrkdwn: str) -> str:
    """The notification text sent alongside blocks."""
    return cut(mrkdwn, MAX_TEXT)
