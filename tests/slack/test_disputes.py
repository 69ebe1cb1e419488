"""Disputes in Slack: the team records a refused answer as disputed; the decision maker accepts it."""

from __future__ import annotations

import json

from harness import GOOD, all_text, block, buttons, step_message
from harness import open_modal as _open_modal
from harness import start_checklist as _start

from bot.checklist.states import AnswerStatus

REFUSED = ("does-not-apply", "Not relevant.")
WHY = "The service is a statutory return the county council must file; nothing here is bought from anyone."


def _dispute_scope(slack, user: str = "UALICE") -> str:
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "does-not-apply")
    assert block(view, "dispute")["optional"] is True
    assert slack.submit_view(view, *REFUSED, user=user, dispute=WHY) == (200, {})
    slack.settle()
    return checklist_id


def _review_buttons(call) -> list[dict]:
    return [b for _, b in buttons(call.args["blocks"]) if b["action_id"] == "cl_review"]


def _note(text: str) -> dict:
    return {"note": {"note": {"type": "plain_text_input", "value": text}}}


def test_refused_answer_with_a_note_is_recorded_as_disputed_and_never_shown_as_accepted(slack):
    slack.fake.reset()
    checklist_id = _start(slack)
    slack.core.checklists.name_decision_maker(checklist_id, "UBOB", "UALICE")
    view = _open_modal(slack, "scope", "does-not-apply")
    assert slack.submit_view(view, *REFUSED, dispute=WHY) == (200, {})
    slack.settle()
    (answer,) = slack.core.store.answers(checklist_id)
    assert (answer.status, answer.dispute_note, answer.disputed_by) == (AnswerStatus.DISPUTED, WHY, "UALICE")
    assert "scope" in slack.core.checklists.progress(checklist_id).disputed_steps
    shown = all_text(step_message(slack, "scope").args["blocks"])
    assert "Disputed, not accepted" in shown and WHY in shown and ":white_check_mark:" not in shown
    assert "The checker's objection: This could be pasted into any procurement" in shown
    assert "<@UBOB>" in shown
    parents = [all_text(c.args["blocks"]) for c in slack.fake.calls_to("chat.update")]
    assert any("0 of 7 steps answered · :warning: 1 disputed" in text for text in parents)
    assert not any("1 of 7 steps answered" in text for text in parents)
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
    assert "<@UALICE> disagrees" in dm.args["text"] and WHY in all_text(dm.args["blocks"])
    assert len(_review_buttons(dm)) == 1


def test_a_note_on_an_answer_the_checker_accepts_is_not_a_dispute(slack):
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "applies")
    assert slack.submit_view(view, *GOOD["scope"], dispute="We think the checker is wrong.") == (200, {})
    (answer,) = slack.core.store.answers(checklist_id)
    assert answer.status is AnswerStatus.ACCEPTED and answer.dispute_note is None


def test_only_the_decision_maker_may_accept_a_disputed_answer(slack):
    checklist_id = _start(slack)
    slack.core.checklists.name_decision_maker(checklist_id, "UBOB", "UALICE")
    view = _open_modal(slack, "scope", "does-not-apply")
    slack.submit_view(view, *REFUSED, dispute=WHY)
    slack.settle()
    (button,) = _review_buttons(step_message(slack, "scope"))
    slack.fake.reset()
    slack.click(button, name="alice")
    slack.settle()
    assert slack.fake.calls_to("views.open") == []
    told = slack.fake.calls_to("response_url:alice")[0].args["text"]
    assert "Only the decision maker (<@UBOB>)" in told
    assert slack.core.store.answers(checklist_id)[0].status is AnswerStatus.DISPUTED


def test_decision_maker_accepts_the_disputed_answer_from_the_dm_with_a_note(slack):
    checklist_id = _start(slack)
    slack.core.checklists.name_decision_maker(checklist_id, "UBOB", "UALICE")
    view = _open_modal(slack, "scope", "does-not-apply")
    slack.submit_view(view, *REFUSED, dispute=WHY)
    slack.settle()
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
    (button,) = _review_buttons(dm)
    assert json.loads(button["value"])["c"] == checklist_id
    slack.fake.reset()
    slack.click(button, user="UBOB", channel="DBOB")
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    resolve = opened.args["view"]
    assert resolve["callback_id"] == "cl_resolve"
    assert WHY in all_text(resolve["blocks"]) and "Not relevant." in all_text(resolve["blocks"])
    _, reply = slack.submit_state(resolve, _note("   "), user="UBOB")
    assert reply["response_action"] == "errors" and "Add a note" in reply["errors"]["note"]
    _, reply = slack.submit_state(resolve, _note("Agreed."), user="UBOB")
    assert reply["response_action"] == "errors" and '"agreed" on its own is not a reason' in reply["errors"]["note"]
    note = "Agreed: no contract is let, so the Act has nothing to bite on. Checked with legal services."
    assert slack.submit_state(resolve, _note(note), user="UBOB") == (200, {})
    slack.settle()
    (answer,) = slack.core.store.answers(checklist_id)
    assert (answer.status, answer.resolved_by, answer.resolution_note) == (AnswerStatus.UPHELD, "UBOB", note)
    assert "scope" not in slack.core.checklists.open_steps(checklist_id)
    shown = all_text(step_message(slack, "scope").args["blocks"])
    assert "over the checker's objection" in shown and note in shown and "Disputed" not in shown
    assert "The checker's objection: This could be pasted into any procurement" in shown and WHY in shown
    assert _review_buttons(step_message(slack, "scope")) == []
    assert any("1 of 7 steps answered" in all_text(c.args["blocks"]) for c in slack.fake.calls_to("chat.update"))
    slack.fake.reset()
    slack.click(button, user="UBOB", channel="DBOB", name="again")
    slack.settle()
    assert slack.fake.calls_to("views.open") == []
    assert "already been accepted" in slack.fake.calls_to("response_url:again")[0].args["text"]


def test_with_no_decision_maker_named_the_starter_is_asked_to_name_one_who_then_gets_the_review(slack):
    """Nobody overrides the checker unnamed; the decision maker named later is told of the dispute, with the button."""
    checklist_id = _dispute_scope(slack)
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "DALICE"]
    assert _review_buttons(dm) == [] and "no decision maker is named yet" in dm.args["text"]
    (button,) = _review_buttons(step_message(slack, "scope"))
    slack.fake.reset()
    slack.click(button, user="UALICE", channel="DALICE", name="starter")
    slack.settle()
    assert slack.fake.calls_to("views.open") == []
    told = slack.fake.calls_to("response_url:starter")[0].args["text"]
    assert "No decision maker is named for this checklist" in told and "Name the decision maker" in told
    select = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UBOB"}
    slack.action(select, user="UALICE", block_id=f"cl_parent:{checklist_id}", name="named")
    slack.settle()
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
    text = all_text(dm.args["blocks"])
    assert "named you the decision maker" in text and "A disputed answer is waiting for you" in text
    assert "Does the Act apply?" in text and WHY in text
    (review,) = _review_buttons(dm)
    assert json.loads(review["value"]) == {"c": checklist_id, "a": slack.core.store.answers(checklist_id)[0].id}
    slack.fake.reset()
    slack.click(review, user="UBOB", channel="DBOB")
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    note = "Accepted: this is a statutory return, not a procurement; recorded for the audit trail."
    assert slack.submit_state(opened.args["view"], _note(note), user="UBOB") == (200, {})
    assert slack.core.store.answers(checklist_id)[0].status is AnswerStatus.UPHELD
