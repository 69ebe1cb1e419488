"""``svbot checklist`` commands for disputes, withdrawal, the start date and verifying the history."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bot.cli_options import PROBLEM, _app, _emit_json, _user, by_option, handle_errors, json_option

if TYPE_CHECKING:
    from bot.core import Svbot
    from bot.store.db import AnswerRow


def _latest(app: Svbot, checklist_id: str, step: str) -> AnswerRow:
    """The step's most recent answer: what ``dispute`` acts on."""
    from bot.checklist.service import ChecklistError

    answer = app.checklists.latest_answer(checklist_id, step)
    if answer is None:
        raise ChecklistError(f"step '{step}' of checklist {checklist_id} has no answer yet")
    return answer


@click.command("dispute")
@click.argument("checklist_id")
@click.argument("step")
@click.option("--note", required=True, help="Why the team disagrees with the checker's refusal.")
@by_option
@json_option
@handle_errors
def dispute(checklist_id: str, step: str, note: str, by: str | None, as_json: bool) -> None:
    """Record the step's refused answer as disputed; the decision maker then decides."""
    app = _app()
    answer = app.checklists.dispute(checklist_id, _latest(app, checklist_id, step).id, note, _user(by))
    if as_json:
        _emit_json({"id": checklist_id, "step": step, "answer_id": answer.id, "status": str(answer.status)})
        return
    checklist = app.store.get_checklist(checklist_id) or {}
    named = checklist.get("decision_maker")
    click.echo(
        app.renderer.render(
            "checklist/disputed.txt.j2",
            answer=answer,
            decider=app.checklists.name_of(named) if named else None,
            how=f"svbot checklist resolve {checklist_id} {step} --note WHY --by {named}",
            name_how=f"svbot checklist decision-maker {checklist_id} LOGIN",
        )
    )


@click.command("resolve")
@click.argument("checklist_id")
@click.argument("step")
@click.option("--note", required=True, help="Why you accept the answer over the checker's objection.")
@by_option
@json_option
@handle_errors
def resolve(checklist_id: str, step: str, note: str, by: str | None, as_json: bool) -> None:
    """As decision maker, accept the step's disputed answer over the checker's objection."""
    app = _app()
    current = app.store.current_answers(checklist_id).get(step)
    answer_id = current.id if current else _latest(app, checklist_id, step).id
    answer = app.checklists.resolve_dispute(checklist_id, answer_id, note, _user(by))
    state = app.checklists.progress(checklist_id)
    if as_json:
        _emit_json(
            {
                "id": checklist_id,
                "step": step,
                "answer_id": answer.id,
                "status": str(answer.status),
                "checklist": state.status,
            }
        )
        return
    click.echo(app.renderer.render("checklist/disputed.txt.j2", answer=answer, decider="", how=""))


@click.command("withdraw")
@click.argument("checklist_id")
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the record).")
@by_option
@json_option
@handle_errors
def withdraw(checklist_id: str, reason: str, by: str | None, as_json: bool) -> None:
    """Withdraw a checklist started by mistake: kept, read-only, out of the report's figures."""
    app = _app()
    app.checklists.withdraw(checklist_id, reason, _user(by))
    if as_json:
        _emit_json({"id": checklist_id, "status": "withdrawn"})
    else:
        click.echo(f"Withdrew checklist {checklist_id}. It is kept, read-only, and left out of the report's figures.")


@click.command("starts")
@click.argument("checklist_id")
@click.argument("date")
@click.option(
    "--event",
    "start_event",
    help="What marks the start: tender-notice, transparency-notice, market-approach or direct-award-contract.",
)
@by_option
@json_option
@handle_errors
def starts(checklist_id: str, date: str, start_event: str | None, by: str | None, as_json: bool) -> None:
    """Record the date (YYYY-MM-DD) the procurement starts or started."""
    app = _app()
    app.checklists.set_start(checklist_id, date, start_event, _user(by))
    if as_json:
        _emit_json({"id": checklist_id, "starts_on": date, "start_event": start_event})
    else:
        click.echo(f"Checklist {checklist_id}: the procurement starts on {date}.")


@click.command("verify")
@click.argument("checklist_id")
@json_option
@handle_errors
def verify(checklist_id: str, as_json: bool) -> None:
    """Recompute the history's hash chain; exit 1 if anything was changed outside svbot."""
    app = _app()
    report = app.checklists.verify(checklist_id)
    if as_json:
        _emit_json(report.as_dict())
    else:
        click.echo(app.renderer.render("checklist/verify.txt.j2", report=report.as_dict()))
    if not report.intact:
        sys.exit(PROBLEM)
