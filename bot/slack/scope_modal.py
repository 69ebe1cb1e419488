"""The scope finder's form in Slack: ``/socialvalue scope`` and the checklist's "Check scope" button.

The form asks what ``svbot scope`` asks (type, value, VAT, services share,
contract/framework/call-off, health care, body type, nation, start date).
Opened from ``/socialvalue scope`` it defaults the body type and nation from
configuration and posts the answer privately; opened from a checklist's
``scope`` step it is pre-filled from the checklist, and its answer becomes the
reasons form for the step, pre-filled with the finder's sentence.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.amounts import parse_positive_amount
from bot.core import Svbot
from bot.nations import NATIONS, nation_key
from bot.render import slack_escape
from bot.scope import ARRANGEMENTS, BODIES, DEFAULT_VAT, TYPES, VAT_CHOICES, Procurement, ScopeError, ScopeResult
from bot.scope_check import ScopeDefaults
from bot.slack import blocks as bk

CALLBACK = "scope_finder"
HEALTH = "health-care"
UK_BODY = "uk-body"
MAX_VALUE_INPUT = 40
LABELS = "slack/scope_labels.txt.j2"


@dataclass(frozen=True)
class Origin:
    """Where the form was opened: the channel to answer in, and the checklist step if any."""

    channel: str | None = None
    checklist_id: str | None = None
    step_id: str | None = None

    def metadata(self) -> str:
        data = {"ch": self.channel, "c": self.checklist_id, "s": self.step_id}
        return json.dumps({k: v for k, v in data.items() if v})

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> Origin:
        try:
            data = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        return cls(data.get("ch"), data.get("c"), data.get("s"))


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": bk.cut(text, 75)}, "value": value}


def _chosen(options: list[dict[str, Any]], value: str | None) -> dict[str, Any]:
    found = next((o for o in options if o["value"] == value), None)
    return {"initial_option": found} if found else {}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None = None) -> bk.Block:
    block: bk.Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": bk.cut(label, 2000)},
        "element": {"action_id": block_id, **element},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": bk.cut(hint, 2000)}
    return block


def _select(options: list[dict[str, Any]], initial: str | None, placeholder: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "options": options,
        "placeholder": {"type": "plain_text", "text": placeholder},
        **_chosen(options, initial),
    }


def _radio(options: list[dict[str, Any]], initial: str | None) -> dict[str, Any]:
    return {"type": "radio_buttons", "options": options, **_chosen(options, initial)}


def _amount_text(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def scope_view(core: Svbot, defaults: ScopeDefaults, origin: Origin) -> dict[str, Any]:
    """The form, filled in with ``defaults`` (the configuration's, or a checklist's)."""
    labels = core.renderer.strings(LABELS)
    bodies = core.renderer.strings("slack/body_types.txt.j2").labels
    value: dict[str, Any] = {"type": "plain_text_input", "max_length": MAX_VALUE_INPUT}
    if defaults.value is not None:
        value["initial_value"] = _amount_text(defaults.value)
    start = {"type": "datepicker", "initial_date": (defaults.start or dt.date.today()).isoformat()}
    health = [_option(labels.health_option, HEALTH)]
    blocks: list[bk.Block] = []
    if origin.checklist_id:
        blocks.append(bk.context(labels.from_checklist))
    if defaults.light_touch:
        # What is bought suggests a light-touch service: the person chooses, nothing is pre-selected.
        blocks.append(bk.context(labels.light_touch.replace("{cue}", slack_escape(defaults.light_touch))))
    blocks += [
        _input(
            "type",
            labels.type,
            _select(
                [_option(labels.types[t], t) for t in TYPES],
                None if defaults.light_touch else defaults.type,
                labels.pick,
            ),
            optional=False,
        ),
        _input("value", labels.value, value, optional=False, hint=labels.value_hint),
        _input(
            "vat",
            labels.vat,
            _radio([_option(labels.vats[v], v) for v in VAT_CHOICES], defaults.vat or DEFAULT_VAT),
            optional=False,
        ),
        _input(
            "share",
            labels.share,
            {"type": "plain_text_input", "max_length": 10},
            optional=True,
            hint=labels.share_hint,
        ),
        _input(
            "arrangement",
            labels.arrangement,
            _radio([_option(labels.arrangements[a], a) for a in ARRANGEMENTS], "contract"),
            optional=False,
        ),
        _input("health", labels.health, {"type": "checkboxes", "options": health}, optional=True),
        _input(
            "body",
            labels.body,
            _select([_option(bodies[b], b) for b in BODIES if b in bodies], defaults.body, labels.pick),
            optional=True,
        ),
        _input(
            "nation",
            labels.nation,
            _select(
                [_option(v, k) for k, v in NATIONS.items()],
                nation_key(defaults.nation) if defaults.nation else None,
                labels.pick,
            ),
            optional=True,
        ),
        _input(
            "uk_body",
            labels.uk_body,
            {"type": "checkboxes", "options": [_option(labels.uk_body_option, UK_BODY)]},
            optional=True,
            hint=labels.uk_body_hint,
        ),
        _input("start", labels.start, start, optional=False, hint=labels.start_hint),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": origin.metadata(),
        "title": {"type": "plain_text", "text": bk.cut(labels.title, 24)},
        "submit": {"type": "plain_text", "text": bk.cut(labels.submit, 24)},
        "close": {"type": "plain_text", "text": bk.cut(labels.close, 24)},
        "blocks": blocks,
    }


def read_form(view: dict[str, Any], said: Any) -> tuple[Procurement | None, dict[str, str]]:
    """The procurement described by a submitted form, or the errors to show on its fields.

    ``said``: the form's error wording (``prompts/slack/form_errors.txt.j2``).
    """
    values = view.get("state", {}).get("values", {})

    def field(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(block_id) or {}

    def text(block_id: str) -> str:
        return " ".join((field(block_id).get("value") or "").split())

    def chosen(block_id: str) -> str | None:
        return (field(block_id).get("selected_option") or {}).get("value")

    errors: dict[str, str] = {}
    type_ = chosen("type")
    if type_ not in TYPES:
        errors["type"] = said.no_type
    amount: float | None = None
    try:
        amount = parse_positive_amount(text("value"))
    except ValueError as exc:
        errors["value"] = _error(exc)
    share: float | None = None
    if text("share"):
        try:
            share = float(text("share").rstrip("%").strip())
        except ValueError:
            errors["share"] = said.share_not_a_number
        else:
            if not 0 <= share <= 100:
                errors["share"] = said.share_out_of_range
            elif type_ != "mixed":
                errors["share"] = said.share_not_mixed
    start: dt.date | None = None
    try:
        start = dt.date.fromisoformat(field("start").get("selected_date") or "")
    except ValueError:
        errors["start"] = said.no_start
    if errors or type_ is None or amount is None or start is None:
        return None, errors
    arrangement = chosen("arrangement") or "contract"
    vat = chosen("vat") or DEFAULT_VAT
    health = any(o.get("value") == HEALTH for o in field("health").get("selected_options") or [])
    uk_body = any(o.get("value") == UK_BODY for o in field("uk_body").get("selected_options") or [])
    try:
        procurement = Procurement(
            type_,
            amount,
            chosen("body") if chosen("body") in BODIES else None,
            NATIONS.get(chosen("nation") or ""),
            start,
            vat,
            share,
            arrangement == "framework",
            arrangement == "call-off",
            health,
            uk_body,
        )
    except ScopeError as exc:
        return None, {"value": _error(exc)}
    return procurement, {}


def _error(exc: ValueError) -> str:
    """A refusal as a sentence for the form's field: the person's value is quoted whole, never cut."""
    said = str(exc)
    return bk.cut(f"{said[:1].upper()}{said[1:]}.", bk.MAX_ERROR)


def result_text(core: Svbot, result: ScopeResult, *, for_step: bool = False) -> str:
    """The finder's answer in Slack mrkdwn: verdict, sentence, threshold, VAT note, duties, notes."""
    return core.renderer.render("slack/scope_result.slack.j2", result=result, for_step=for_step)
