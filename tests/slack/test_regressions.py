"""Regression tests: each fails on a deliberate bug that once slipped through the whole suite."""

from __future__ import annotations

import json

from harness import GOOD, all_text, buttons, docx_text, payload
from harness import jump as _jump
from harness import open_modal as _open_modal
from harness import start_checklist as _start

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus


def home_event(user: str) -> dict:
    return dict(payload("event_callback_app_home_opened.json")["event"], tab="home", user=user)


def complete_directly(slack, checklist_id: str, author: str) -> None:
    for step_id, (decision, reasons) in GOOD.items():
        slack.core.store.add_answer(checklist_id, step_id, decision, reasons, author, AnswerStatus.ACCEPTED, [])


def revise(slack, checklist_id: str, step_id: str) -> dict:
    """Click a step's Revise button; the modal that opens (the recorded calls are kept)."""
    value = json.dumps({"c": checklist_id, "s": step_id})
    before = len(slack.fake.calls_to("views.open"))
    slack.click({"action_id": "cl_revise", "value": value, "text": {"type": "plain_text", "text": "Revise"}})
    slack.settle()
    return slack.fake.calls_to("views.open")[before].args["view"]


def complete_in_slack(slack, checklist_id: str) -> None:
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "scope":
            _jump(slack, checklist_id, step_id)
        assert slack.submit_view(_open_modal(slack, step_id, decision), decision, reasons)[1] == {}
        slack.settle()


# App Home -------------------------------------------------------------------------------------


def test_app_home_lists_open_checklists_first_and_those_the_user_only_answered(slack):
    store = slack.core.store
    store.create_checklist(ChecklistDetails("Open, started by me"), "W111")
    store.create_checklist(ChecklistDetails("Another team, not mine"), "W999")
    answered = store.create_checklist(ChecklistDetails("Another team, I answered a step"), "W999")
    store.add_answer(answered, "outcomes", *GOOD["outcomes"], "W111", AnswerStatus.ACCEPTED, [])
    done = store.create_checklist(ChecklistDetails("Complete, the newest"), "W111")
    complete_directly(slack, done, "W111")
    slack.event(home_event("W111"))
    slack.settle()
    (published,) = slack.fake.calls_to("views.publish")
    text = all_text(published.args["view"]["blocks"])
    assert "Another team, not mine" not in text
    titles = ["Open, started by me", "Another team, I answered a step", "Complete, the newest"]
    assert all(title in text for title in titles), "including checklists the user only answered"
    assert sorted(titles, key=text.find) == [
        "Another team, I answered a step",
        "Open, started by me",
        "Complete, the newest",
    ], "open ones first, newest first; complete ones after"


def test_app_home_retry_is_published_once(slack):
    event = home_event("W111")
    slack.event(event, event_id="EvHome1")
    slack.event(event, event_id="EvHome1", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    slack.settle()
    assert len(slack.fake.calls_to("views.publish")) == 1


# Answers --------------------------------------------------------------------------------------


def test_read_more_posts_the_whole_entry(slack):
    slack.command("can we reserve a contract for a public service mutual", name="q")
    slack.settle()
    (answer,) = slack.fake.calls_to("response_url:q")
    (more,) = [(b, e) for b, e in buttons(answer.args["blocks"]) if e["action_id"] == "read_more"]
    entry = slack.core.snapshot().kb.get(json.loads(more[1]["value"])["e"])
    body_line = next(line for line in entry.body.splitlines() if len(line) > 40 and line not in entry.short_answer)
    assert body_line[:40] not in all_text(answer.args["blocks"]), "the short answer leaves the body out"
    slack.fake.reset()
    slack.click(more[1], block_id=more[0], ephemeral=True, name="more")
    slack.settle()
    (full,) = slack.fake.calls_to("response_url:more")
    assert body_line[:40] in all_text(full.args["blocks"]).replace("&amp;", "&")


# Checklist thread -----------------------------------------------------------------------------


def test_export_button_uploads_the_record(slack):
    checklist_id = _start(slack)
    parent = slack.fake.calls_to("chat.postMessage")[0].args
    ((block_id, export),) = [(b, e) for b, e in buttons(parent["blocks"]) if e["action_id"] == "cl_export"]
    slack.fake.reset()
    slack.click(export, block_id=block_id)
    slack.settle()
    (upload,) = slack.fake.calls_to("file_upload")
    assert "Social value decision record: Rochdale home care framework 2027" in docx_text(upload.args["data"])
    assert slack.fake.calls_to("files.getUploadURLExternal")[0].args["filename"].endswith(".docx")
    location = slack.core.checklists.record(checklist_id)["location"]
    (complete,) = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.args["thread_ts"] == location["thread_ts"]


def test_reasons_modal_without_a_decision_asks_for_one(slack):
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "applies")
    status, reply = slack.submit_view(view, None, GOOD["scope"][1])
    assert status == 200
    assert reply == {"response_action": "errors", "errors": {"decision": "Choose a decision."}}
    assert slack.core.store.answers(checklist_id) == []


def test_the_record_is_uploaded_once_not_again_on_each_later_revision(slack):
    checklist_id = _start(slack)
    complete_in_slack(slack, checklist_id)
    assert len(slack.fake.calls_to("file_upload")) == 1
    for revision in ("now £16m over 5 years after the budget review", "now £17m after the inflation uplift"):
        view = revise(slack, checklist_id, "scope")
        assert slack.submit_view(view, "applies", f"Rochdale home care framework, {revision}; services.")[1] == {}
        slack.settle()
    assert len(slack.fake.calls_to("file_upload")) == 1, "revisions after completion do not re-post the record"
    decision, reasons = GOOD["decision"]
    assert slack.submit_view(revise(slack, checklist_id, "decision"), decision, reasons + " Confirmed again.")[1] == {}
    slack.settle()
    assert len(slack.fake.calls_to("file_upload")) == 2, "a new sign-off posts the record again"
    assert [a.accepted for a in slack.core.store.answers(checklist_id)].count(True) == len(GOOD) + 3
