"""``svbot checklist try``: judge reasons without recording anything, to tune the rules.

Shows the verdict, the elements the option needs and those found, the rules
that fired and the refusal exactly as a team would see it. Exit status 0
whatever the verdict; 2 for an unknown step or option.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.cli_options import _user, by_option, handle_errors

if TYPE_CHECKING:
    from bot.checklist.conflicts import Clash
    from bot.knowledge.schema import ChecklistStep


def _step_with_option(steps: list[ChecklistStep], step: str, decision: str) -> ChecklistStep:
    """The step, if it exists and offers ``decision``; else a usage error (exit 2)."""
    spec = next((s for s in steps if s.id == step), None)
    if spec is None:
        known = ", ".join(s.id for s in steps)
        raise click.BadParameter(f"there is no step '{step}'; the steps are: {known}", param_hint="STEP")
    if decision not in {o.id for o in spec.options}:
        options = ", ".join(o.id for o in spec.options)
        raise click.BadParameter(
            f"'{decision}' is not an option for '{step}'; choose one of: {options}", param_hint="--decision"
        )
    return spec


@click.command("try")
@click.argument("step")
@click.option("--decision", required=True, help="The option chosen (e.g. none-relevant).")
@click.option("--reasons", required=True, help="The reasons to judge.")
@click.option(
    "--checklist",
    "checklist_id",
    help="Judge as an answer to this checklist: what its record shows (decision maker, start) need not be repeated.",
)
@click.option("--revisit", "revisit_on", help="With decision/defer: the revisit date (YYYY-MM-DD) the answer carries.")
@by_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@handle_errors
def try_reasons(
    step: str,
    decision: str,
    reasons: str,
    checklist_id: str | None,
    revisit_on: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Judge REASONS for STEP and --decision as the checker would; records nothing."""
    from bot.checklist.conflicts import refused_for
    from bot.checklist.service import revisit_date
    from bot.cli_options import _app, _emit_json

    app = _app()
    snap = app.snapshot()
    spec = _step_with_option(snap.kb.checklist.steps, step, decision)
    checker = snap.checker
    record: set[str] = set()
    found: list[Clash] = []
    if checklist_id:
        record = app.checklists.facts_for(checklist_id, step, _user(by), revisit_on)
        found = app.checklists.clashes_for(checklist_id, step, decision)
    elif revisit_on:
        record = {"revisit-date"} if revisit_date(revisit_on) else set()
    verdict = refused_for(checker.check(step, decision, reasons, record), found)
    reading = verdict.model or checker.stacked_reading(step, decision, reasons, verdict)
    config = checker.config
    option = checker.option(step, decision)
    needs = list(option.needs) if option else []
    explanation = [
        app.renderer.render(
            "checklist/problem.txt.j2", code=code, step=spec, negative=True, verdict=verdict, clashes=found
        )
        for code in verdict.problems
    ]
    if as_json:
        _emit_json(
            {
                "accepted": verdict.accepted,
                "problems": verdict.problems,
                "explanation": explanation,
                "needs": needs,
                "elements": verdict.elements,
                "missing": verdict.missing,
                "question": verdict.question,
                "rules": verdict.rules,
                "substance": verdict.signals,
                "from_record": sorted(record),
                "model": {
                    **reading.as_dict(),
                    "veto": config.model_veto,
                    "rescue": config.model_rescue,
                    "stack_veto": config.model_stack_veto,
                    "stack_rescue": config.model_stack_rescue,
                }
                if reading
                else None,
            }
        )
        return
    click.echo(
        app.renderer.render(
            "checklist/try.txt.j2",
            step=spec,
            decision=decision,
            negative=checker.is_negative(step, decision),
            verdict=verdict,
            needs=needs,
            says=checker.says(needs),
            explanation=explanation,
            reading=reading,
            veto=config.model_veto,
            rescue=config.model_rescue,
            stack_veto=config.model_stack_veto,
            stack_rescue=config.model_stack_rescue,
        )
    )
