"""The daily sign-off reminder: off by default, at most once a day per checklist, durable."""

from __future__ import annotations

import datetime as dt

import pytest
from harness import GOOD
from harness import start_checklist as _start

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


def _dms(slack):
    return [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("D")]


def test_the_decision_maker_is_reminded_once_a_day(slack):
    _ready_for_sign_off(slack, "Library cleaning 2027", decider="UBOB")
    _start(slack, "Parks 2027", decider="UBOB")  # steps still open: nothing to sign yet
    slack.fake.reset()
    assert send_reminders(slack.core, slack.app.client, DAY) == 1
    (dm,) = _dms(slack)
    assert dm.args["channel"] == "DBOB"
    assert "Library cleaning 2027" in dm.args["text"] and "Parks 2027" not in dm.args["text"]
    assert send_reminders(slack.core, slack.app.client, DAY) == 0, "once a day"
    assert send_reminders(slack.core, slack.app.client, DAY + dt.timedelta(days=1)) == 1


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
