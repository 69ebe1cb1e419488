"""Deferring the decision in Slack: the form asks when to revisit, refuses a past day, and the thread says it."""

from __future__ import annotations

import datetime as dt

from harness import GOOD, all_text, block
from harness import jump as _jump
from harness import open_modal as _open_modal
from harness import start_checklist as _start

WAITING = "Waiting for the results of the estates survey of the Rochdale office, due 14 January 2027."


def _answer_all_but_the_decision(slack, checklist_id: str) -> None:
    for step in [s.id for s in slack.core.checklists.steps if not s.sign_off]:
        assert slack.core.checklists.answer(checklist_id, step, *GOOD[step], "UALICE").accepted


def _decision_form(slack):
    checklist_id = _start(slack)
    _answer_all_but_the_decision(slack, checklist_id)
    _jump(slack, checklist_id, "decision")
    return checklist_id, _open_modal(slack, "decision", "defer")


def test_the_decision_form_asks_for_a_revisit_date_and_the_thread_shows_it(slack):
    checklist_id, view = _decision_form(slack)
    picker = block(view, "revisit")
    assert picker["optional"] is True and picker["element"]["type"] == "datepicker"
    assert "defer" in picker["hint"]["text"].lower()
    assert slack.submit_view(view, "defer", WAITING, revisit="2099-02-01") == (200, {})
    slack.settle()
    record = slack.core.checklists.record(checklist_id)
    assert record["status"] == "deferred" and record["deferral"]["revisit_on"] == "2099-02-01"
    parents = [c for c in slack.fake.calls_to("chat.update") if "Progress:" in all_text(c.args["blocks"])]
    assert "deferred until 2099-02-01" in all_text(parents[-1].args["blocks"])


def test_a_past_or_missing_revisit_date_is_shown_at_the_date_and_nothing_recorded(slack):
    checklist_id, view = _decision_form(slack)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    _, reply = slack.submit_view(view, "defer", WAITING, revisit=yesterday)
    assert reply["response_action"] == "errors"
    assert reply["errors"]["revisit"].startswith(f"the revisit date {yesterday} is in the past")
    _, reply = slack.submit_view(view, "defer", WAITING)
    assert "a deferral needs a revisit date" in reply["errors"]["revisit"]
    assert [a.step for a in slack.core.store.answers(checklist_id)] == [
        s.id for s in slack.core.checklists.steps if not s.sign_off
    ]


def test_only_the_decision_step_asks_for_a_revisit_date(slack):
    _start(slack)
    view = _open_modal(slack, "scope", "applies")
    assert not [b for b in view["blocks"] if b.get("block_id") == "revisit"]
