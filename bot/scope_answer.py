"""``svbot checklist answer ID scope --from-scope``: answer the scope step with the scope finder.

The finder's inputs come from the checklist (its value, what is bought, nation,
body type and start date; see ``bot/scope_check.py``), then SVBOT_BODY and
SVBOT_NATION, and any option given here overrides them. The step's decision is
the one matching the finder's verdict unless ``--decision`` says otherwise; the
reasons are the finder's sentence, followed by ``--reasons`` where given; the
finder's whole answer is kept with the answer, for the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from bot.dates import parse_day
from bot.nations import NATIONS
from bot.scope import BODIES, DEFAULT_VAT, TYPES, VAT_CHOICES

if TYPE_CHECKING:
    from bot.core import Svbot
    from bot.scope import Procurement, ScopeResult

# Each finder input as an option of `checklist answer`, used only with --from-scope.
_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--type", "scope_type"), {"type": click.Choice(TYPES), "help": "--from-scope: what is bought."}),
    (("--value", "scope_value"), {"help": "--from-scope: the estimated value, e.g. 216000 or 1.2m."}),
    (("--vat", "scope_vat"), {"type": click.Choice(VAT_CHOICES), "help": "--from-scope: is VAT in the value?"}),
    (
        ("--services-share", "scope_share"),
        {"type": click.FloatRange(0, 100), "help": "--from-scope: a mixed contract's services share, in %."},
    ),
    (("--framework", "scope_framework"), {"is_flag": True, "help": "--from-scope: a framework."}),
    (("--call-off", "scope_call_off"), {"is_flag": True, "help": "--from-scope: a call-off under a framework."}),
    (("--health-care", "scope_health"), {"is_flag": True, "help": "--from-scope: health care services."}),
    (("--body", "scope_body"), {"type": click.Choice(BODIES), "help": "--from-scope: who is buying."}),
    (("--nation", "scope_nation"), {"type": click.Choice(list(NATIONS)), "help": "--from-scope: where."}),
    (
        ("--uk-body", "scope_uk_body"),
        {"is_flag": True, "help": "--from-scope: in Wales, Scotland or NI, a UK body (functions mainly not devolved)."},
    ),
    (("--start", "scope_start"), {"metavar": "DATE", "help": "--from-scope: when it starts (YYYY-MM-DD)."}),
)


def from_scope_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--from-scope and the finder's inputs, as options of `checklist answer`."""
    for names, settings in reversed(_OPTIONS):
        func = click.option(*names, default=None if not settings.get("is_flag") else False, **settings)(func)
    help_text = "Answer the scope step with the scope finder, from the checklist's details (see README)."
    return click.option("--from-scope", is_flag=True, help=help_text)(func)


@dataclass(frozen=True)
class ScopeAnswer:
    procurement: Procurement
    result: ScopeResult
    decision: str | None
    reasons: str


def given(options: dict[str, Any]) -> list[str]:
    """The finder options that were given (each is for --from-scope only)."""
    flags = {names[1]: names[0] for names, _ in _OPTIONS}
    return [flags[k] for k, v in options.items() if k in flags and v not in (None, False)]


def scope_answer(
    app: Svbot, checklist_id: str, step: str, decision: str | None, reasons: str | None, options: dict[str, Any]
) -> ScopeAnswer:
    """Run the finder for a checklist's scope step; click.UsageError for what the user must add."""
    from bot.amounts import parse_amount
    from bot.checklist.service import ChecklistError
    from bot.nations import parse_nation
    from bot.scope import Procurement, ScopeError, ScopeFinder
    from bot.scope_check import SCOPE_STEP, checklist_defaults, light_touch_cues, suggested_decision

    if step != SCOPE_STEP:
        raise click.UsageError(f"--from-scope answers the '{SCOPE_STEP}' step, not '{step}'")
    checklist = app.store.get_checklist(checklist_id)
    if checklist is None:
        raise ChecklistError(f"there is no checklist '{checklist_id}'")
    kb = app.snapshot().kb
    defaults = checklist_defaults(checklist, app.settings, light_touch_cues(kb))
    try:
        value = parse_amount(options["scope_value"]) if options["scope_value"] else defaults.value
        start = parse_day(options["scope_start"], "--start") if options["scope_start"] else defaults.start
    except ValueError as exc:
        raise click.UsageError(f"--from-scope: {exc}") from None
    type_ = options["scope_type"] or defaults.type
    missing = [name for name, v in (("--type", type_), ("--value", value)) if v is None]
    if missing:
        raise click.UsageError(
            app.renderer.render("checklist/from_scope_missing.txt.j2", missing=missing, checklist=checklist)
        )
    assert type_ is not None and value is not None
    try:
        procurement = Procurement(
            type_,
            value,
            options["scope_body"] or defaults.body,
            parse_nation(options["scope_nation"]) or defaults.nation,
            start or dt.date.today(),
            options["scope_vat"] or defaults.vat or DEFAULT_VAT,
            options["scope_share"],
            options["scope_framework"],
            options["scope_call_off"],
            options["scope_health"],
            options["scope_uk_body"],
            # A type read from the checklist's words, not given: the finder asks if it may be light touch.
            None if options["scope_type"] else defaults.light_touch,
        )
        result = ScopeFinder(kb, app.renderer).find(procurement)
    except ScopeError as exc:
        raise click.UsageError(f"--from-scope: {exc}") from None
    quoted = f"{result.why} {reasons.strip()}" if reasons and reasons.strip() else result.why
    return ScopeAnswer(procurement, result, decision or suggested_decision(result), quoted)
