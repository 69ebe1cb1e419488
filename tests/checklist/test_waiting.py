"""Who a checklist waits on: the SQL of ``Store.checklist_states`` agrees with ``progress`` in every state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from samples import GOOD

from bot.checklist import waiting
from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistService
from bot.checklist.states import AnswerStatus, ChecklistStatus
from bot.core import Svbot

REQUIRED = [s for s in GOOD if s != "decision"]
TODAY = dt.date(2027, 3, 1)


def _put(app: Svbot, checklist_id: str, step: str, status: AnswerStatus = AnswerStatus.ACCEPTED, **kwargs) -> int:
    decision, reasons = GOOD[step]
    decision = kwargs.pop("decision", decision)
    return app.store.add_answer(checklist_id, step, decision, reasons, "alice", status, [], **kwargs).id


def _all_required(app: Svbot, checklist_id: str) -> None:
    for step in REQUIRED:
        _put(app, checklist_id, step)


def _disputed(app: Svbot, checklist_id: str, step: str, **kwargs) -> int:
    answer_id = _put(app, checklist_id, step, AnswerStatus.REFUSED, **kwargs)
    app.store.dispute(answer_id, "we stand by it: one small office only", "alice")
    return answer_id


def _signed_then(change: Callable[[Svbot, str], object]) -> Callable[[Svbot, str], None]:
    def build(app: Svbot, checklist_id: str) -> None:
        _all_required(app, checklist_id)
        _put(app, checklist_id, "decision")
        change(app, checklist_id)

    return build


SCENARIOS: dict[str, Callable[[Svbot, str], object]] = {
    "new": lambda app, c: None,
    "some steps answered": lambda app, c: [_put(app, c, s) for s in REQUIRED[:3]],
    "refused answers only": lambda app, c: _put(app, c, "scope", AnswerStatus.REFUSED),
    "every other step answered": _all_required,
    "signed off": _signed_then(lambda app, c: None),
    "signed off, then a refused attempt": _signed_then(lambda app, c: _put(app, c, "outcomes", AnswerStatus.REFUSED)),
    "signed off, then a step revised": _signed_then(lambda app, c: _put(app, c, "outcomes")),
    "signed off, then the decision maker changed": _signed_then(
        lambda app, c: app.store.set_decision_maker(c, "dora", "alice")
    ),
    "signed off, then a step disputed": _signed_then(lambda app, c: _disputed(app, c, "process")),
    "a step disputed": lambda app, c: (_all_required(app, c), _disputed(app, c, "outcomes")),
    "a step disputed, then upheld": lambda app, c: (
        _all_required(app, c),
        app.store.uphold(_disputed(app, c, "outcomes"), "fine", "dora"),
    ),
    "sign-off disputed": lambda app, c: (_all_required(app, c), _disputed(app, c, "decision")),
    "sign-off disputed, then upheld": lambda app, c: (
        _all_required(app, c),
        app.store.uphold(_disputed(app, c, "decision"), "fine", "dora"),
    ),
    "deferred": lambda app, c: (
        _all_required(app, c),
        _put(app, c, "decision", decision="defer", revisit_on="2027-02-01"),
    ),
    "deferred, revisit later": lambda app, c: (
        _all_required(app, c),
        _put(app, c, "decision", decision="defer", revisit_on="2027-06-01"),
    ),
    "withdrawn": lambda app, c: (_all_required(app, c), app.store.withdraw(c, "started by mistake", "alice")),
}


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    return shared_app


@pytest.fixture(scope="module")
def built(shared_app: Svbot) -> dict[str, str]:
    """One checklist per scenario, decided by dora, in a Slack thread."""
    ids = {}
    for i, (name, build) in enumerate(SCENARIOS.items()):
        ids[name] = shared_app.store.create_checklist(
            ChecklistDetails(name, decision_maker="dora"), "alice", channel="C1", parent_ts=f"1.{i}", thread_ts=f"1.{i}"
        )
        build(shared_app, ids[name])
    return ids


def _truth(service: ChecklistService, checklist_id: str) -> tuple[ChecklistStatus, list[str]]:
    state = service.progress(checklist_id)
    return state.status, state.open_steps


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_sql_states_agree_with_the_replay(service: ChecklistService, built: dict[str, str], scenario: str) -> None:
    checklist_id = built[scenario]
    (row,) = [r for r in waiting._states(service, "involved", user="alice", limit=100) if r["id"] == checklist_id]
    summary = waiting.summarize(service, row)
    status, open_steps = _truth(service, checklist_id)
    assert summary["status"] == status, scenario
    titles = {s.id: s.title for s in service.steps}
    if status is ChecklistStatus.OPEN and "decision" not in open_steps:  # signed off, then reopened
        open_steps = [*open_steps, "decision"]
    if status in (ChecklistStatus.OPEN, ChecklistStatus.DEFERRED):
        assert summary["left"] == [titles[s] for s in open_steps], scenario
    else:
        assert summary["left"] == [], scenario


def test_waiting_for_sign_off_is_what_only_needs_signing(service: ChecklistService, built: dict[str, str]) -> None:
    got = {c["title"] for c in waiting.waiting_for_sign_off(service, "dora", limit=100)}
    expected = set()
    for scenario, checklist_id in built.items():
        status, open_steps = _truth(service, checklist_id)
        if status is ChecklistStatus.OPEN and set(open_steps) <= {"decision"}:
            expected.add(scenario)
    assert got == expected
    assert expected == {
        "every other step answered",
        "a step disputed, then upheld",
        "signed off, then a step revised",
        "signed off, then the decision maker changed",
        "sign-off disputed",
    }
    assert waiting.waiting_for_sign_off(service, "alice") == [], "alice named dora to sign off"


def test_the_starter_signs_off_where_no_decision_maker_is_named(app: Svbot) -> None:
    checklist_id = app.store.create_checklist(ChecklistDetails("Parks 2027"), "erin")
    _all_required(app, checklist_id)
    assert [c["id"] for c in waiting.waiting_for_sign_off(app.checklists, "erin")] == [checklist_id]


def test_who_is_asked_for_what(service: ChecklistService, built: dict[str, str]) -> None:
    asked = waiting.waiting_in_slack(service, TODAY)
    by_title = {
        (person, c["title"]): what for person, w in asked.items() for what, c in w.items if c["id"] in built.values()
    }
    assert by_title == {
        ("alice", "new"): waiting.ANSWER,
        ("alice", "some steps answered"): waiting.ANSWER,
        ("alice", "refused answers only"): waiting.ANSWER,
        ("dora", "every other step answered"): waiting.SIGN_OFF,
        ("dora", "signed off, then a step revised"): waiting.SIGN_OFF,
        ("dora", "signed off, then the decision maker changed"): waiting.SIGN_OFF,
        ("dora", "signed off, then a step disputed"): waiting.RESOLVE,
        ("dora", "a step disputed"): waiting.RESOLVE,
        ("dora", "a step disputed, then upheld"): waiting.SIGN_OFF,
        ("dora", "sign-off disputed"): waiting.RESOLVE,
        ("dora", "deferred"): waiting.REVISIT,
    }
