"""The daily reminder: off by default, at most once a day per person and checklist, durable."""

from __future__ import annotations

import datetime as dt

import pytest
from harness import GOOD, all_text
from harness import start_checklist as _start

from bot.checklist.states import AnswerStatus
from bot.config import Settings
from bot.problems import Problem
from bot.slack.reminders import ReminderThread, send_reminders

DAY = dt.date(2026, 12, 2)


def _ready_for_sign_off(slack, title, **fields):
    checklist_id = _start(slack, title, **fields)
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "decision":
            slack.core.checklists.answer(checklist_id, step_id, decision, reasons, "UALICE")
    return checklist_id


def _dms(slack, channel=None):
    return [
        c
        for c in slack.fake.calls_to("chat.postMessage")
        if c.args["channel"].startswith("D") and channel in (None, c.args["channel"])
    ]


def test_the_decision_maker_is_reminded_once_a_day(slack):
    _ready_for_sign_off(slack, "Library cleaning 2027", decider="UBOB")
    _start(slack, "Parks 2027", decider="UBOB")  # steps still open: nothing to sign yet
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 2, "Bob to sign off, Alice to answer"
    (dm,) = _dms(slack, "DBOB")
    text = all_text(dm.args["blocks"])
    assert "Library cleaning 2027" in text and "the decision is yours" in text and "Parks 2027" not in text
    assert "https://example.slack.com/archives/C111/p" in text
    assert send_reminders(slack.core, slack.app.client, DAY) == 0, "once a day"
    assert send_reminders(slack.core, slack.app.client, DAY + dt.timedelta(days=1)) == 2


def test_the_starter_is_reminded_of_open_steps(slack):
    checklist_id = _start(slack, "Parks 2027", decider="UBOB")
    slack.core.checklists.answer(checklist_id, "scope", *GOOD["scope"], "UALICE")
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 1
    (dm,) = _dms(slack)
    assert dm.args["channel"] == "DALICE"
    text = all_text(dm.args["blocks"])
    assert "Parks 2027" in text and "still to answer: What could this contract improve?" in text
    assert "Does the Act apply?" not in text and "Decision and sign-off" not in text


def test_a_dispute_reminds_the_decision_maker_and_open_steps_the_starter(slack):
    checklist_id = _start(slack, "Parks 2027", decider="UBOB")
    refused = slack.core.store.add_answer(
        checklist_id, "outcomes", *GOOD["outcomes"], "UALICE", AnswerStatus.REFUSED, ["tick-box"]
    )
    slack.core.store.dispute(refused.id, "our outcomes are specific to Rochdale", "UALICE")
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 2
    bob = all_text(_dms(slack, "DBOB")[0].args["blocks"])
    assert "the team stands by an answer the checker refused (What could this contract improve?)" in bob
    alice = all_text(_dms(slack, "DALICE")[0].args["blocks"])
    assert "still to answer: Does the Act apply?" in alice and "What could this contract improve?" not in alice


def test_a_deferred_decision_is_brought_back_on_its_revisit_date(slack):
    checklist_id = _ready_for_sign_off(slack, "Library cleaning 2027", decider="UBOB")
    slack.core.store.add_answer(
        checklist_id,
        "decision",
        "defer",
        "Waiting for the cabinet budget on 1 March.",
        "UBOB",
        AnswerStatus.ACCEPTED,
        [],
        revisit_on=(DAY + dt.timedelta(days=2)).isoformat(),
    )
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 0, "deferred: nothing to do until the date"
    assert send_reminders(slack.core, slack.app.client, DAY + dt.timedelta(days=2)) == 1
    text = all_text(_dms(slack, "DBOB")[0].args["blocks"])
    assert "deferred until 2026-12-04" in text


def test_complete_and_withdrawn_checklists_wait_on_nobody(slack):
    done = _ready_for_sign_off(slack, "Library cleaning 2027")
    slack.core.checklists.answer(done, "decision", *GOOD["decision"], "UALICE")
    gone = _start(slack, "Parks 2027")
    slack.core.checklists.withdraw(gone, "started by mistake", "UALICE")
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 0
    assert _dms(slack) == []


def test_the_starter_is_reminded_when_no_decision_maker_is_named(slack):
    _ready_for_sign_off(slack, "Library cleaning 2027")
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 1
    assert _dms(slack)[0].args["channel"] == "DALICE"


def test_a_reminder_slack_did_not_take_is_tried_again_later(slack):
    _ready_for_sign_off(slack, "Library cleaning 2027", decider="UBOB")
    slack.fake.reset()
    slack.fake.fail_next("conversations.open", error="internal_error")
    assert send_reminders(slack.core, slack.app.client, DAY) == 0
    assert send_reminders(slack.core, slack.app.client, DAY) == 1


def test_reminders_are_off_unless_configured():
    assert Settings.from_env({}).reminder_hour is None
    assert Settings.from_env({"SVBOT_REMINDER_HOUR": "9"}).reminder_hour == 9
    for bad in ("24", "nine"):
        with pytest.raises(Problem):
            Settings.from_env({"SVBOT_REMINDER_HOUR": bad})


def test_the_thread_is_due_from_the_hour_once_a_day(slack):
    thread = ReminderThread(slack.core, slack.app.client, hour=9)
    morning = dt.datetime(2026, 12, 2, 8, 59, tzinfo=dt.UTC)
    assert not thread.due(morning)
    assert thread.due(morning.replace(hour=9, minute=0))
    thread._done = morning.date()
    assert not thread.due(morning.replace(hour=17))
    assert thread.due(morning.replace(day=3, hour=9))
