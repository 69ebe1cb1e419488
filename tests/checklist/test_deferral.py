"""A deferred decision: its revisit date is checked, and every later reply keeps saying it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from samples import GOOD

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistError, ChecklistService
from bot.core import Svbot

WAITING = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    return shared_app


@pytest.fixture
def checklist(service: ChecklistService) -> str:
    return service.new(ChecklistDetails("Deferred cleaning"), "alice")


def _defer(service: ChecklistService, checklist_id: str, revisit: str):
    return service.answer(checklist_id, "decision", "defer", WAITING, "alice", revisit_on=revisit)


def test_answers_after_a_deferral_keep_its_date_and_the_open_steps(service: ChecklistService, checklist: str) -> None:
    assert _defer(service, checklist, "2099-02-01").accepted
    later = service.answer(checklist, "scope", *GOOD["scope"], "alice")
    said = service.describe(later)
    assert "deferred until 2099-02-01" in said
    assert "Still open: outcomes, process, proportionality, consultation, measurement." in said


def test_a_revisit_date_in_the_past_is_refused_and_nothing_recorded(service: ChecklistService, checklist: str) -> None:
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    with pytest.raises(ChecklistError) as caught:
        _defer(service, checklist, yesterday)
    assert str(caught.value) == (
        f"the revisit date {yesterday} is in the past: give today ({dt.date.today().isoformat()}) or a later date"
    )
    assert service.app.store.answers(checklist) == []


def test_today_is_a_revisit_date(service: ChecklistService, checklist: str) -> None:
    assert _defer(service, checklist, dt.date.today().isoformat()).accepted


def test_a_revisit_date_that_does_not_exist_is_told_so(service: ChecklistService, checklist: str) -> None:
    with pytest.raises(ChecklistError, match="2099-02-30 does not exist: February 2099 has 28 days"):
        _defer(service, checklist, "2099-02-30")
    with pytest.raises(ChecklistError, match="2099-02-30 does not exist"):
        service.set_start(checklist, "2099-02-30", None, "alice")


def test_the_cli_refuses_a_past_or_impossible_revisit_date_in_one_line(run) -> None:
    checklist_id = json.loads(run("checklist", "new", "--title", "CLI deferral", "--json").stdout)["id"]
    args = ("checklist", "answer", checklist_id, "decision", "--decision", "defer", "--reasons", WAITING)
    past = run(*args, "--revisit", "2020-01-01")
    assert past.exit_code == 2
    assert past.stderr.strip().startswith("svbot: the revisit date 2020-01-01 is in the past: give today (")
    impossible = run(*args, "--revisit", "2027-02-30")
    assert impossible.exit_code == 2
    assert impossible.stderr.strip() == "svbot: the revisit date 2027-02-30 does not exist: February 2027 has 28 days"
    assert "deferred" not in run("checklist", "list").stdout
    deferred = run(*args, "--revisit", "2099-02-01")
    assert deferred.exit_code == 0
    decision, reasons = GOOD["scope"]
    again = run("checklist", "answer", checklist_id, "scope", "--decision", decision, "--reasons", reasons)
    assert "The checklist is deferred until 2099-02-01; it stays open for answers." in again.stdout
    assert "Still open: outcomes" in again.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("report", "--since", "2026-02-30"), "--since 2026-02-30 does not exist: February 2026 has 28 days"),
        (("facts", "--on", "2026-02-30"), "--on 2026-02-30 does not exist: February 2026 has 28 days"),
        (
            ("scope", "--type", "services", "--value", "1000", "--start", "2026-02-30"),
            "--start 2026-02-30 does not exist: February 2026 has 28 days",
        ),
        (("checklist", "new", "--title", "X", "--starts", "2027-02-29"), "February 2027 has 28 days"),
    ],
)
def test_every_command_says_an_impossible_date_does_not_exist(run, args: tuple[str, ...], said: str) -> None:
    result = run(*args)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert said in result.stderr
    assert "must be a date written" not in result.stderr and "is not a date" not in result.stderr


def test_a_revisit_date_on_any_other_answer_is_refused_not_dropped(run) -> None:
    checklist_id = json.loads(run("checklist", "new", "--title", "CLI revisit", "--json").stdout)["id"]
    decision, reasons = GOOD["scope"]
    args = ("checklist", "answer", checklist_id, "scope", "--decision", decision, "--reasons", reasons)
    told = run(*args, "--revisit", "2099-02-01")
    assert told.exit_code == 2
    assert "a revisit date is only for deferring the decision" in told.stderr
    assert run(*args).exit_code == 0, "without it the answer is recorded"
