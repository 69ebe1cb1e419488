"""What the bot says about light-touch services and s.1 of the 2012 Act is true as of today.

Since 24 February 2025 s.1(16)(b) and (17) catch a light touch contract at the ordinary goods and
services threshold for the body (knowledge/scope.yaml, act.rules.light-touch): the Procurement
Act's own, higher light-touch figure is not the s.1 threshold. Every prompt and knowledge text that
mentions a higher light-touch threshold must say so, with the date the law changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render import Renderer
from bot.scope_check import ScopeDefaults

ROOT = Path(__file__).resolve().parents[1]
# A sentence (or template line) that speaks of light-touch services and a higher threshold.
_HIGHER = re.compile(r"higher[^.]{0,40}threshold|threshold[^.]{0,20}higher", re.IGNORECASE)
_LIGHT = re.compile(r"light[- ]touch", re.IGNORECASE)


def _texts() -> list[tuple[str, str]]:
    files = sorted(ROOT.glob("prompts/**/*.j2")) + sorted(ROOT.glob("knowledge/*.yaml"))
    return [(str(f.relative_to(ROOT)), f.read_text(encoding="utf-8")) for f in files]


def _paragraphs(text: str) -> list[str]:
    """Template lines, YAML paragraphs and comment blocks, with folded lines joined."""
    text = re.sub(r"(?m)^\s*#+ ?", "", text)
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=\s*(?:-|\{%|[\w-]+:)\s)", text)]


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_a_higher_light_touch_threshold_is_never_said_to_be_the_acts(name: str, text: str) -> None:
    for paragraph in _paragraphs(text):
        if _LIGHT.search(paragraph) and _HIGHER.search(paragraph):
            assert "ordinary" in paragraph or "same figure" in paragraph, f"{name}: {paragraph[:300]}"
            # Dated where the law changed, the glossary's definition too (as typed, or from facts.yaml).
            dated = ("24 February 2025", "SI 2025/163", "{{fact:date.procurement-act.commencement|value}}")
            assert any(d in paragraph for d in dated), f"{name}: {paragraph[:300]}"


def test_the_chat_says_light_touch_services_are_caught_at_the_ordinary_threshold() -> None:
    said = Renderer().render(
        "chat/scope_prefilled.txt.j2",
        checklist={"id": "c1", "title": "Home care"},
        defaults=ScopeDefaults(type="services", light_touch="home care"),
    )
    assert 'mentions "home care", which suggests a light-touch service' in said
    assert "Since 24 February 2025 s.1 of the 2012 Act catches light-touch services at the ordinary" in said
    assert "have a higher threshold" not in said


def test_the_slack_form_says_light_touch_services_are_caught_at_the_ordinary_threshold() -> None:
    said = Renderer().strings("slack/scope_labels.txt.j2").light_touch
    assert "Since 24 February 2025 s.1 of the 2012 Act catches them at the ordinary services threshold" in said
    assert "have a higher threshold" not in said
