"""``svbot facts``: the dated figures in force on a day, with their sources."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from bot.dates import DateError, parse_day

USAGE = 2
PROBLEM = 1


@click.command("facts")
@click.option("--on", "on", metavar="DATE", help="The day (YYYY-MM-DD) to show the figures for; default today.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
def facts(on: str | None, as_json: bool) -> None:
    """Figures in force on a day (thresholds, weightings, in-force dates), with their sources."""
    from bot.config import Settings
    from bot.knowledge.facts import format_date
    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.render import Renderer

    try:
        day = parse_day(on, "--on") if on is not None else dt.date.today()
    except DateError as exc:
        click.echo(f"svbot facts: {exc}", err=True)
        sys.exit(USAGE)
    try:
        kb = load_knowledge(Settings.from_env().knowledge_dir)
    except KnowledgeError as exc:
        click.echo(f"svbot: cannot start: {exc}\nRun `svbot kb check` for the full list.", err=True)
        sys.exit(PROBLEM)
    values = kb.facts.all_on(day)
    missing = [f for f in kb.facts if kb.facts.on(f.id, day) is None]
    if as_json:
        data = {"on": day.isoformat(), "facts": [v.as_json() for v in values], "missing": [f.id for f in missing]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    text = Renderer().render(
        "facts/list.txt.j2", day=format_date(day), values=values, missing=missing, format_date=format_date
    )
    click.echo(text)
