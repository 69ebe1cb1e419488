"""The scope finder at a checklist's ``scope`` step: pre-filled from the checklist, kept with the answer.

Every front end (chat, CLI, Slack) offers the scope finder at the step that asks
whether the Act applies. This module reads a checklist's details into the
finder's inputs (what a person typed as the value or what is bought is free
text, so only what can be read without guessing is taken), suggests the step's
decision from the finder's verdict, and turns a finder answer into the plain
data stored with the step's answer (``answers.scope``) and shown in the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.amounts import AmountError, figures_in
from bot.config import Settings
from bot.knowledge.loader import KnowledgeBase
from bot.nations import parse_nation
from bot.scope import BODIES, Procurement, ScopeError, ScopeResult

SCOPE_STEP = "scope"
# The scope step's option that matches each verdict of the finder (None: the facts were not enough).
DECISIONS: dict[bool | None, str | None] = {True: "applies", False: "does-not-apply", None: None}

_VAT_INCLUDED = re.compile(r"\b(incl(?:uding|\.|usive)?|inc\.?)\s*(?:of\s+)?vat\b|\bvat\s+incl", re.IGNORECASE)
_VAT_EXCLUDED = re.compile(r"\b(excl(?:uding|\.|usive)?|ex\.?|exc\.?)\s*(?:of\s+)?vat\b|\+\s*vat\b", re.IGNORECASE)
# Words that name one kind of contract in what a team says it is buying.
_KINDS = {
    "services": re.compile(r"\bservices?\b", re.IGNORECASE),
    "goods": re.compile(r"\b(goods|supplies|supply of|equipment)\b", re.IGNORECASE),
    "works": re.compile(r"\b(works|construction|building of)\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class ScopeDefaults:
    """The finder's inputs as far as a checklist (or the configuration) gives them; None where unknown."""

    type: str | None = None
    value: float | None = None
    vat: str | None = None
    body: str | None = None
    nation: str | None = None  # jurisdiction name, "Wales"
    start: dt.date | None = None
    # Words in what is bought that suggest a light-touch service ("home care"): ask, never guess.
    light_touch: str | None = None


def amount_in(text: str | None) -> float | None:
    """The contract value in free text ("£14m over 4 years" -> 14,000,000), or None if none is clear.

    A figure counts when it has a pound sign or a scale (k, m, million), or is the whole text:
    "4 years" is not a value. A figure that could be read two ways ("£1,2m") makes the value
    unclear, so None: the person is asked for it rather than given a guess.
    """
    if not text:
        return None
    found: list[tuple[bool, float]] = []
    for figure in figures_in(text):
        if not (figure.money or figure.text.strip() == text.strip()):
            continue
        try:
            found.append((figure.pound, figure.pounds()))
        except AmountError:
            return None
    if not found:
        return None
    with_pound = [n for has_pound, n in found if has_pound]
    return with_pound[0] if with_pound else found[0][1]


def vat_in(text: str | None) -> str | None:
    """``included`` or ``excluded`` when the value's text says so ("inc VAT", "+ VAT"), else None."""
    if not text:
        return None
    if _VAT_EXCLUDED.search(text):
        return "excluded"
    if _VAT_INCLUDED.search(text):
        return "included"
    return None


def kind_in(*texts: str | None) -> str | None:
    """services, goods or works when what is bought names exactly one of them, else None."""
    words = " ".join(t for t in texts if t)
    kinds = {kind for kind, pattern in _KINDS.items() if pattern.search(words)}
    return kinds.pop() if len(kinds) == 1 else None


def light_touch_in(cues: Sequence[str], *texts: str | None) -> str | None:
    """The first of ``cues`` (scope.yaml's light-touch words) named in what is bought, else None."""
    words = " ".join(t for t in texts if t)
    for cue in cues:
        if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", words, re.IGNORECASE):
            return cue
    return None


def light_touch_cues(kb: KnowledgeBase) -> tuple[str, ...]:
    """The light-touch cue words of a knowledge snapshot (none without scope.yaml's light_touch)."""
    rules = kb.scope.light_touch if kb.scope is not None else None
    return tuple(rules.cues) if rules is not None else ()


def configured_defaults(settings: Settings) -> ScopeDefaults:
    """Body type and nation from SVBOT_BODY / SVBOT_NATION (ignored when not a known value)."""
    body = settings.body if settings.body in BODIES else None
    try:
        nation = parse_nation(settings.nation)
    except ValueError:
        nation = None
    return ScopeDefaults(body=body, nation=nation)


def checklist_defaults(
    checklist: dict[str, Any], settings: Settings, light_touch_cues: Sequence[str] = ()
) -> ScopeDefaults:
    """The finder's inputs from a checklist's details, then the configuration for what it leaves open.

    Where what is bought names one of ``light_touch_cues`` and no other kind than services, the
    type is services and ``light_touch`` holds the cue: whether it is a light-touch service is
    left for the person to say.
    """
    configured = configured_defaults(settings)
    body = checklist.get("body_type")
    starts = checklist.get("starts_on")
    described = (checklist.get("buying"), checklist.get("category"), checklist.get("title"))
    kind = kind_in(*described)
    cue = light_touch_in(light_touch_cues, *described) if kind in (None, "services") else None
    return ScopeDefaults(
        type="services" if cue else kind,
        light_touch=cue,
        value=amount_in(checklist.get("value")),
        vat=vat_in(checklist.get("value")),
        body=body if body in BODIES else configured.body,
        nation=checklist.get("nation") or configured.nation,
        start=dt.date.fromisoformat(starts) if starts else None,
    )


def inputs(p: Procurement) -> dict[str, Any]:
    """What was asked, as plain data (stored with the answer, and enough to ask again)."""
    return {
        "type": p.type,
        "value": p.value,
        "vat": p.vat,
        "services_share": p.services_share,
        "framework": p.framework,
        "call_off": p.call_off,
        "health_care": p.health_care,
        "uk_body": p.uk_body,
        "light_touch_hint": p.light_touch_hint,
        "body": p.body,
        "nation": p.nation,
        "start": p.start.isoformat(),
        "start_until": p.start_until.isoformat() if p.start_until else None,
    }


def procurement(data: dict[str, Any]) -> Procurement:
    """The inverse of ``inputs``; ScopeError for data that is not a procurement."""
    try:
        share = data.get("services_share")
        return Procurement(
            type=str(data["type"]),
            value=float(data["value"]),
            body=data.get("body") if data.get("body") in BODIES else None,
            nation=parse_nation(data.get("nation")),
            start=dt.date.fromisoformat(str(data["start"])),
            start_until=dt.date.fromisoformat(str(data["start_until"])) if data.get("start_until") else None,
            vat=str(data.get("vat") or "excluded"),
            services_share=float(share) if share is not None else None,
            framework=bool(data.get("framework")),
            call_off=bool(data.get("call_off")),
            health_care=bool(data.get("health_care")),
            uk_body=bool(data.get("uk_body")),
            light_touch_hint=str(data["light_touch_hint"]) if data.get("light_touch_hint") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ScopeError(f"the scope check's inputs are incomplete ({exc})") from None


def scope_record(p: Procurement, result: ScopeResult) -> dict[str, Any]:
    """What the record keeps of a scope check used at the step: the inputs and the finder's whole answer."""
    rule = result.rule_source.model_dump(exclude_none=True) if result.rule_source else None
    return {"inputs": inputs(p), **result.as_json(), "rule_source": rule}


def suggested_decision(result: ScopeResult) -> str | None:
    """The scope step's option matching the finder's verdict (None when it could not tell)."""
    return DECISIONS[result.act_applies]
