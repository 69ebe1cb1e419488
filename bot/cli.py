"""The ``svbot`` command line (see README and shared interfaces).

Exit status: 0 success, 1 the command ran but found a problem, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot import __version__
from bot.checklist.formats import BINARY_FORMATS, EXPORT_FORMATS, export_format, record_file_name
from bot.cli_options import _app, _emit_json, _user, by_option, handle_errors, json_option
from bot.facts_command import facts
from bot.files import backup_target, text_lines, write_bytes
from bot.problems import PROBLEM, USAGE, Problem, describe
from bot.scope_answer import from_scope_options
from bot.scope_command import scope
from bot.try_command import try_reasons

if TYPE_CHECKING:
    from bot.core import Snapshot, Svbot
    from bot.matching.matcher import Answer
    from bot.report import Window


def nation_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--nation: answers lead with what applies there (default SVBOT_NATION)."""
    from bot.nations import NATIONS

    return click.option(
        "--nation",
        type=click.Choice(list(NATIONS), case_sensitive=False),
        default=None,
        help="Your nation: answers lead with what applies there (default: SVBOT_NATION).",
    )(func)


def _nation(value: str | None) -> str | None:
    from bot.nations import parse_nation

    return parse_nation(value)


class _Svbot(click.Group):
    """The root command: an everyday mistake anywhere below it is one clear line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Problem as exc:
            click.echo(f"svbot: {exc}", err=True)
            ctx.exit(exc.status)


@click.group(cls=_Svbot, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="svbot")
def cli() -> None:
    """svbot: answers questions on social value in UK public procurement and
    records a justified decision for each step of the "consider social value"
    checklist."""


cli.add_command(facts)
cli.add_command(scope)


# ask ------------------------------------------------------------------------


@cli.command()
@click.argument("question")
@json_option
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 50), help="How many matches to list.")
@click.option("--full", is_flag=True, help="Show the whole entry, not just the short answer.")
@click.option("--no-log", is_flag=True, help="Do not record unanswered questions in the database.")
@nation_option
def ask(question: str, as_json: bool, top: int, full: bool, no_log: bool, nation: str | None) -> None:
    """Answer QUESTION from the knowledge base; use - to read one question a line from stdin."""
    app = _app()
    where = _nation(nation)
    if question == "-":
        _ask_batch(app, top, as_json, full, log=not no_log, nation=where)
        return
    if not question.strip():  # nothing to answer, nothing noted
        if as_json:
            _emit_json(_no_question().as_json())
        else:
            click.echo(describe("blank_question"))
        return
    snap = app.snapshot()
    answer = app.ask(question, source="cli", top=top, log=not no_log, snap=snap, nation=where)
    if as_json:
        _emit_json(answer.as_json())
    else:
        click.echo(_render_answer(app, snap, answer, full, noted=not no_log))


def _ask_batch(app: Svbot, top: int, as_json: bool, full: bool, log: bool, nation: str | None) -> None:
    """One answer per line of stdin, in order; with --json exactly one JSON line per input line."""
    for text in text_lines(sys.stdin.buffer):
        line = text.strip()
        if not line and not as_json:
            continue  # a reader skims past blank lines; a script counting lines gets one per line
        snap = app.snapshot()
        answer = app.ask(line, source="cli", top=top, log=log, snap=snap, nation=nation) if line else _no_question()
        if as_json:
            click.echo(json.dumps({"question": line, **answer.as_json()}, ensure_ascii=False))
        else:
            click.echo(_render_answer(app, snap, answer, full, noted=log) + "\n")


def _no_question() -> Answer:
    """What a blank line gets: no matches, not a gap in the knowledge, not "outside what I cover"."""
    from bot.matching.matcher import Answer

    return Answer("", False, False, [])


def _render_answer(app: Svbot, snap: Snapshot, answer: Answer, full: bool = False, noted: bool = True) -> str:
    from bot.nations import answer_context

    return app.renderer.render("answer.txt.j2", answer=answer, full=full, noted=noted, **answer_context(snap, answer))


# chat -----------------------------------------------------------------------


@cli.command()
@by_option
@nation_option
def chat(by: str | None, nation: str | None) -> None:
    """A terminal conversation: questions and the whole checklist flow."""
    from bot.chat import Chat

    Chat(_app(), _user(by), read=_line_reader(), nation=_nation(nation)).run()


def _line_reader() -> Callable[[str], str]:
    """At a terminal, ``input`` (line editing, history); piped text is read in the encoding it was
    saved in, each prompt shown as ``input`` shows it, end of input an EOFError as ``input``'s is."""
    if sys.stdin.isatty():
        return input
    lines = text_lines(sys.stdin.buffer)

    def read(prompt: str) -> str:
        click.echo(prompt, nl=False)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    return read


# checklist ------------------------------------------------------------------


@cli.group()
def checklist() -> None:
    """Start, answer, list, show and export "consider social value" checklists."""


checklist.add_command(try_reasons)


def procurement_nation_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--nation for a checklist: where the procurement is (default SVBOT_NATION)."""
    from bot.nations import NATIONS

    return click.option(
        "--nation",
        type=click.Choice(list(NATIONS), case_sensitive=False),
        default=None,
        help="Where the procurement is (default: SVBOT_NATION).",
    )(func)


def body_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--body: the type of body buying, as ``svbot scope --body`` (default SVBOT_BODY)."""
    from bot.scope import BODIES

    return click.option(
        "--body",
        type=click.Choice(BODIES, case_sensitive=False),
        default=None,
        help="Who is buying, as `svbot scope --body` (default: SVBOT_BODY).",
    )(func)


@checklist.command("new")
@click.option("--title", required=True, help="The procurement's name.")
@click.option("--reference", help="Procurement reference number.")
@click.option("--value", help="Estimated contract value, e.g. '£1.2m over 4 years'.")
@click.option("--category", help="Category, e.g. 'adult social care'.")
@click.option("--buying", help="What is being bought, e.g. 'home care for 300 adults'.")
@click.option(
    "--decision-maker",
    help="Who may sign off the decision step besides you: their login (as they give --by) or the name they gave svbot.",
)
@click.option("--decision-maker-role", help="The decision maker's role, e.g. 'Director of Adult Care'.")
@click.option("--starts", help="When the procurement starts or started (YYYY-MM-DD).")
@click.option(
    "--start-event",
    help="What marks the start: tender-notice, transparency-notice, market-approach or direct-award-contract.",
)
@procurement_nation_option
@body_option
@by_option
@json_option
@handle_errors
def checklist_new(
    title: str,
    reference: str | None,
    value: str | None,
    category: str | None,
    buying: str | None,
    decision_maker: str | None,
    decision_maker_role: str | None,
    starts: str | None,
    start_event: str | None,
    nation: str | None,
    body: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Start a checklist."""
    from bot.checklist.details import ChecklistDetails
    from bot.scope_check import configured_defaults

    app = _app()
    configured = configured_defaults(app.settings)
    details = ChecklistDetails(
        title,
        reference=reference,
        value=value,
        category=category,
        buying=buying,
        decision_maker=decision_maker,
        decision_maker_role=decision_maker_role,
        starts_on=starts,
        start_event=start_event,
        nation=nation or configured.nation,
        body_type=body or configured.body,
    )
    checklist_id = app.checklists.new(details, _user(by))
    if as_json:
        _emit_json({"id": checklist_id})
    else:
        click.echo(app.renderer.render("checklist/started.txt.j2", record=app.checklists.record(checklist_id)))


@checklist.command("answer")
@click.argument("checklist_id")
@click.argument("step")
@click.option("--decision", help="The option chosen (with --from-scope: default, the finder's verdict).")
@click.option("--reasons", help="Why, for this procurement (with --from-scope: added after the finder's sentence).")
@click.option("--revisit", help="For decision/defer: the date (YYYY-MM-DD) to come back to it.")
@from_scope_options
@by_option
@json_option
@handle_errors
def checklist_answer(
    checklist_id: str,
    step: str,
    decision: str | None,
    reasons: str | None,
    revisit: str | None,
    by: str | None,
    as_json: bool,
    from_scope: bool,
    **finder: Any,
) -> None:
    """Answer (or revise) one step. A refused answer is recorded as refused; exit status is 0 either way.

    At the scope step, --from-scope runs the scope finder on the checklist's details.
    """
    from bot.scope_answer import given, scope_answer
    from bot.scope_check import scope_record

    app = _app()
    scope = None
    if from_scope:
        found = scope_answer(app, checklist_id, step, decision, reasons, finder)
        scope = scope_record(found.procurement, found.result)
        if not as_json:
            click.echo(app.renderer.render("scope/result.txt.j2", result=found.result) + "\n")
        if found.decision is None:  # the finder cannot tell: nothing to record yet
            if as_json:
                _emit_json({"accepted": False, "scope": scope})
            click.echo(app.renderer.render("checklist/from_scope_undecided.txt.j2"), err=True)
            sys.exit(PROBLEM)
        decision, reasons = found.decision, found.reasons
    elif extra := given(finder):
        raise click.UsageError(f"{', '.join(extra)}: only with --from-scope")
    if decision is None or reasons is None:
        raise click.UsageError("give --decision and --reasons (or, at the scope step, --from-scope)")
    outcome = app.checklists.answer(checklist_id, step, decision, reasons, _user(by), revisit_on=revisit, scope=scope)
    if as_json:
        _emit_json({**outcome.as_json(), **({"scope": scope} if scope else {})})
        return
    click.echo(app.checklists.describe(outcome))
    if not outcome.accepted:
        how = f"svbot checklist dispute {checklist_id} {step} --note WHY"
        click.echo("\n" + app.renderer.render("checklist/dispute_hint.txt.j2", how=how))


@checklist.command("list")
@json_option
def checklist_list(as_json: bool) -> None:
    """Checklists, newest first."""
    app = _app()
    rows = app.checklists.all()
    if as_json:
        _emit_json(rows)
    else:
        click.echo(app.renderer.render("checklist/list.txt.j2", checklists=rows))


@checklist.command("show")
@click.argument("checklist_id")
@json_option
@handle_errors
def checklist_show(checklist_id: str, as_json: bool) -> None:
    """The record so far, with history."""
    app = _app()
    record = app.checklists.record(checklist_id)
    if as_json:
        _emit_json(record)
    else:
        click.echo(app.renderer.render("checklist/show.txt.j2", record=record))


@checklist.command("export")
@click.argument("checklist_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    help="Default: from the -o file's extension, else md (json with --json). docx (Word) needs -o.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@json_option
@handle_errors
def checklist_export(checklist_id: str, fmt: str | None, output: Path | None, as_json: bool) -> None:
    """The decision record, for the procurement file."""
    # The file's extension decides unless --format does; one svbot does not write, or one --format
    # contradicts, is refused.
    fmt = export_format(output, fmt, "json" if as_json else "md")
    name = record_file_name(checklist_id, fmt)
    if fmt in BINARY_FORMATS and not output:
        # Bytes written to a terminal are garbage at best: a Word file always goes to a file.
        raise Problem("export_needs_file", status=USAGE, format=fmt, example=name)
    data = _app().checklists.export_bytes(checklist_id, fmt)
    if output:
        output = write_bytes(output, data, name)
        if as_json:
            _emit_json({"id": checklist_id, "format": fmt, "path": str(output)})
        else:
            click.echo(f"Wrote {output}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@checklist.command("decision-maker")
@click.argument("checklist_id")
@click.argument("user")
@click.option("--role", help="Their role, e.g. 'Director of Adult Care' (printed on the record).")
@by_option
@json_option
@handle_errors
def checklist_decision_maker(checklist_id: str, user: str, role: str | None, by: str | None, as_json: bool) -> None:
    """Name USER (their login, or the name they gave svbot) as who may sign off (after sign-off this reopens it)."""
    app = _app()
    person = app.checklists.name_decision_maker(checklist_id, user, _user(by), role=role)
    if as_json:
        _emit_json({"id": checklist_id, "decision_maker": person, "role": role})
    else:
        name = app.store.person_name(person)
        click.echo(app.renderer.render("checklist/decider_named.txt.j2", id=checklist_id, user=person, given=name))


# kb -------------------------------------------------------------------------


@cli.group()
def kb() -> None:
    """Knowledge base tools for admins."""


@kb.command("check")
@json_option
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), help="Knowledge folder to check.")
def kb_check(as_json: bool, folder: Path | None) -> None:
    """Validate knowledge/: schema, ids, related links, sources, review dates, duplicates."""
    from bot.config import Settings
    from bot.knowledge.loader import check_folder

    folder = folder or Settings.from_env().knowledge_dir
    kb_, findings = check_folder(folder)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if as_json:
        _emit_json(
            {
                "ok": kb_ is not None,
                "folder": str(folder),
                "entries": len(kb_.entries) if kb_ else None,
                "errors": [f.as_dict() for f in errors],
                "warnings": [f.as_dict() for f in warnings],
            }
        )
    else:
        # The verdict naming the folder first (on stderr when there are errors), then each finding.
        if kb_ is not None:
            click.echo(
                f"Checked {folder}. OK: {len(kb_.entries)} entries, {len(kb_.facts)} facts, "
                f"{len(kb_.checklist.steps)} checklist steps, {len(warnings)} warning(s)."
            )
        else:
            click.echo(f"Checked {folder}: {len(errors)} error(s), {len(warnings)} warning(s).", err=True)
        for finding in findings:
            click.echo(str(finding), err=finding.severity == "error")
    if kb_ is None:
        sys.exit(PROBLEM)


# report, admin ----------------------------------------------------------------


@cli.command()
@json_option
@click.option(
    "--send-to-admins",
    is_flag=True,
    help="Also send the report to each SVBOT_ADMINS user in Slack (run it weekly from cron for a digest).",
)
@click.option("--since", metavar="DATE", help="Only what happened from DATE (YYYY-MM-DD, UTC) on.")
@click.option("--until", metavar="DATE", help="Only what happened up to and including DATE (YYYY-MM-DD, UTC).")
def report(as_json: bool, send_to_admins: bool, since: str | None, until: str | None) -> None:
    """Figures across all records, or a window of dates: checklists, decisions, refusals, disputes, questions."""
    from bot.report import build_report

    window = _window(since, until)
    app = _app()
    data = build_report(app, window=window)
    if as_json:
        _emit_json(data)
    else:
        click.echo(app.renderer.render("report.txt.j2", r=data))
    if send_to_admins:
        sent = _send_digest(app, data)
        click.echo(f"Sent the report to {sent} of {len(app.settings.admins)} admin(s) in Slack.", err=True)
        if sent < len(app.settings.admins):
            sys.exit(PROBLEM)


def _window(since: str | None, until: str | None) -> Window:
    """The report's window from --since/--until; a bad date is one line and exit 2."""
    from bot.report import Window

    days = {option: _day(option, value) for option, value in (("--since", since), ("--until", until))}
    if days["--since"] and days["--until"] and days["--since"] > days["--until"]:
        raise Problem("dates_reversed", status=USAGE, since=days["--since"], until=days["--until"])
    return Window(days["--since"], days["--until"])


def _day(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from bot.dates import DateError, parse_day

    try:
        return parse_day(value, option)
    except DateError as exc:
        raise Problem("bad_date", status=USAGE, why=str(exc)) from None


def _send_digest(app: Svbot, data: dict[str, Any]) -> int:
    if not app.settings.bot_token or not app.settings.admins:
        raise click.UsageError("--send-to-admins needs SLACK_BOT_TOKEN and SVBOT_ADMINS")
    from bot.slack import blocks as bk
    from bot.slack.app import build_client
    from bot.slack.safe import call

    client = build_client(app)
    text = app.renderer.render("slack/report.slack.j2", r=data, admin=True)
    return sum(
        call(client.chat_postMessage, channel=admin, text=bk.fallback_text(text), blocks=bk.limit(bk.sections(text)))
        is not None
        for admin in sorted(app.settings.admins)
    )


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@json_option
def backup(file: Path, as_json: bool) -> None:
    """Copy the database to FILE with SQLite's online backup (safe while the bot runs).

    FILE may be new or an earlier backup; any other existing file is refused, not overwritten.
    """
    app = _app(knowledge=False)
    db_path = app.settings.db_path
    file = backup_target(file, db_path)
    app.store.backup(file)
    if as_json:
        _emit_json({"backup": str(file)})
    else:
        click.echo(f"Backed up {db_path} to {file}. Restore: stop the bot, copy {file} over the database.")


@cli.command()
@click.option(
    "--days",
    type=int,
    default=None,
    help="Keep question text this many days, 1 or more (default: SVBOT_QUESTION_RETENTION_DAYS, 90).",
)
@json_option
def purge(days: int | None, as_json: bool) -> None:
    """Forget the text of old questions and feedback comments (they can hold personal data)."""
    if days is not None and not 1 <= days <= 36500:
        # Refused as SVBOT_QUESTION_RETENTION_DAYS is: 0 would forget every question at once.
        raise Problem("setting_out_of_range", status=USAGE, setting="--days", value=days, low=1, high=36500)
    app = _app(knowledge=False)
    keep = app.settings.question_retention_days if days is None else days
    n = app.store.purge_questions(keep)
    if as_json:
        _emit_json({"purged": n, "kept_days": keep})
    else:
        click.echo(f"Purged the text of {n} record(s) older than {keep} days.")


@cli.command()
def serve() -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT at /slack/events."""
    from bot.slack.serve import run

    sys.exit(run())


# Commands that live in modules of their own, registered here (imported last: they use the helpers above).
from bot.cli_checklist import dispute, resolve, starts, verify, withdraw  # noqa: E402

for _command in (dispute, resolve, withdraw, starts, verify):
    checklist.add_command(_command)


def main() -> None:
    """Every entry point (``svbot``, ``python -m bot``, ``python -m bot.cli``) runs this, named svbot."""
    cli(prog_name="svbot")


# Last in the module: ``python -m bot.cli`` runs this with every command above registered.
if __name__ == "__main__":
    main()
