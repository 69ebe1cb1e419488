"""``svbot scope``: which social value duties apply to a proposed procurement (see bot/scope.py)."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from bot.amounts import parse_amount
from bot.dates import DateError, parse_day
from bot.nations import NATIONS
from bot.scope import BODIES, DEFAULT_VAT, TYPES, VAT_CHOICES

USAGE = 2
PROBLEM = 1


def _fail(message: str) -> None:
    click.echo(f"svbot scope: {message}", err=True)
    sys.exit(USAGE)


@click.command("scope")
@click.option("--type", "type_", required=True, type=click.Choice(TYPES), help="What is being bought.")
@click.option("--value", required=True, help="Estimated value in pounds, e.g. 216000, £216,000 or 216k.")
@click.option("--body", type=click.Choice(BODIES), help="Who is buying (default: SVBOT_BODY).")
@click.option("--nation", type=click.Choice(list(NATIONS)), help="Where (default: SVBOT_NATION).")
@click.option("--start", metavar="DATE", help="When the procurement starts, YYYY-MM-DD (default today).")
@click.option(
    "--vat", type=click.Choice(VAT_CHOICES), default=DEFAULT_VAT, show_default=True, help="Is VAT in --value?"
)
@click.option("--services-share", type=click.FloatRange(0, 100), help="Mixed contracts: the services share, in %.")
@click.option("--framework", is_flag=True, help="A framework (judged on all the contracts expected under it).")
@click.option("--call-off", is_flag=True, help="A call-off under an existing framework.")
@click.option("--health-care", is_flag=True, help="Health care services (the Provider Selection Regime).")
@click.option(
    "--uk-body",
    is_flag=True,
    help="In Wales, Scotland or NI: a UK body whose functions are mainly not devolved "
    "(otherwise a sub-central or NHS body there is taken as the nation's own public body).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
def scope(
    type_: str,
    value: str,
    body: str | None,
    nation: str | None,
    start: str | None,
    vat: str,
    services_share: float | None,
    framework: bool,
    call_off: bool,
    health_care: bool,
    uk_body: bool,
    as_json: bool,
) -> None:
    """Which social value duties apply to a proposed procurement: s.1 of the 2012 Act and the others."""
    from bot.config import Settings
    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.nations import parse_nation
    from bot.render import Renderer
    from bot.scope import Procurement, ScopeError, ScopeFinder

    settings = Settings.from_env()
    try:
        amount = parse_amount(value)
    except ValueError as exc:
        _fail(f"--value {exc}")
    try:
        day = parse_day(start, "--start") if start else dt.date.today()
    except DateError as exc:
        _fail(str(exc))
    # Settings.from_env has refused a malformed SVBOT_BODY or SVBOT_NATION, as for every command.
    body = body or settings.body
    where = parse_nation(nation or settings.nation)
    if services_share is not None and type_ != "mixed":
        _fail("--services-share is only for --type mixed")
    if framework and call_off:
        _fail("a procurement is a framework or a call-off under one, not both")
    try:
        kb = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        click.echo(f"svbot: cannot start: {exc}\nRun `svbot kb check` for the full list.", err=True)
        sys.exit(PROBLEM)
    renderer = Renderer()
    try:
        procurement = Procurement(
            type_, amount, body, where, day, vat, services_share, framework, call_off, health_care, uk_body
        )
        result = ScopeFinder(kb, renderer).find(procurement)
    except ScopeError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(renderer.render("scope/result.txt.j2", result=result))
