"""No click goes unanswered: a button, menu or form on an old message says why it did nothing.

Buttons outlive what they act on: a checklist withdrawn or deleted, its steps or the
knowledge base changed by a reload. Each case is driven over real HTTP against the
fake Slack, and the person who clicked must be told, privately, why nothing happened.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from harness import GOOD, buttons, form_values, open_new_checklist_form, payload, step_message
from harness import open_modal as _open_modal
from harness import start_checklist as _start

GONE = "deleedbeef"  # a checklist id no store holds: the button of a deleted checklist


def _button(action_id: str, value: dict) -> dict:
    return {"action_id": action_id, "value": json.dumps(value), "text": {"type": "plain_text", "text": "x"}}


def _told(slack, name: str = "stale") -> str:
    """The one private reply the click got through its response_url."""
    slack.settle()
    replies = slack.fake.calls_to(f"response_url:{name}")
    assert len(replies) == 1, f"expected one private reply, got {replies}"
    reply = replies[0].args
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    return reply["text"]


def _click(slack, button: dict, block_id: str = "b", user: str = "UALICE", reset: bool = True) -> str:
    if reset:
        slack.fake.reset()
    status, _ = slack.click(button, block_id=block_id, name="stale", user=user, message={"ts": "1.1"})
    assert status == 200
    return _told(slack)


def _select(slack, action: dict, block_id: str, user: str = "UALICE") -> str:
    slack.fake.reset()
    status, _ = slack.action(action, block_id=block_id, name="stale", user=user)
    assert status == 200
    return _told(slack)


def _step_buttons(slack, step_id: str) -> list[tuple[str, dict]]:
    return buttons(step_message(slack, step_id).args["blocks"])


@pytest.mark.parametrize(
    "action_id",
    ["feedback_helpful", "feedback_not_helpful", "read_more", "share_answer", "did_you_mean_1"],
)
def test_an_answers_button_for_a_topic_no_longer_known_says_so(slack, action_id: str) -> None:
    text = _click(slack, _button(action_id, {"e": "legal.removed-by-a-reload", "q": None}))
    assert "no longer in the knowledge base" in text and "Ask the question again" in text
    assert slack.core.store.db["feedback"].count == 0


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("cl_option_0", {"c": GONE, "s": "scope", "o": "applies"}),
        ("cl_revise", {"c": GONE, "s": "scope"}),
        ("cl_scope_check", {"c": GONE, "s": "scope"}),
        ("cl_review", {"c": GONE, "a": 1}),
        ("cl_export", {"c": GONE}),
    ],
)
def test_a_button_of_a_deleted_checklist_says_so(slack, action_id: str, value: dict) -> None:
    text = _click(slack, _button(action_id, value))
    assert "That checklist is no longer in svbot's records" in text
    assert slack.fake.calls_to("views.open") == []


def test_the_menus_of_a_deleted_checklist_say_so(slack) -> None:
    jump = {"type": "static_select", "action_id": "cl_jump", "selected_option": {"value": "scope"}}
    assert "no longer in svbot's records" in _select(slack, jump, f"cl_parent:{GONE}")
    decider = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UBOB"}
    assert "no longer in svbot's records" in _select(slack, decider, f"cl_parent:{GONE}")


def test_every_step_button_of_a_withdrawn_checklist_says_it_was_withdrawn(slack) -> None:
    checklist_id = _start(slack)
    scope_buttons = _step_buttons(slack, "scope")
    slack.core.checklists.withdraw(checklist_id, "Started twice by mistake", "UALICE")
    assert {b["action_id"] for _, b in scope_buttons} >= {"cl_option_0", "cl_scope_check"}
    for block_id, button in scope_buttons:
        text = _click(slack, button, block_id)
        assert "was withdrawn on" in text and "Started twice by mistake" in text, button["action_id"]
        assert slack.fake.calls_to("views.open") == [], "no form opens on a read-only checklist"
    decider = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UBOB"}
    assert "was withdrawn" in _select(slack, decider, f"cl_parent:{checklist_id}")
    assert (slack.core.store.get_checklist(checklist_id) or {})["decision_maker"] is None


def test_a_withdrawn_title_is_escaped_in_the_notice(slack) -> None:
    checklist_id = _start(slack, title="Parks <!channel> & more")
    block_id, button = _step_buttons(slack, "scope")[0]
    slack.core.checklists.withdraw(checklist_id, "<@UEVE> said so", "UALICE")
    text = _click(slack, button, block_id)
    assert "Parks &lt;!channel&gt; &amp; more" in text and "&lt;@UEVE&gt;" in text


def test_a_step_the_checklist_no_longer_has_says_so(slack) -> None:
    checklist_id = _start(slack)
    text = _click(slack, _button("cl_option_0", {"c": checklist_id, "s": "retired-step", "o": "x"}))
    assert "no longer has a step `retired-step`" in text
    jump = {"type": "static_select", "action_id": "cl_jump", "selected_option": {"value": "retired-step"}}
    assert "no longer has a step `retired-step`" in _select(slack, jump, f"cl_parent:{checklist_id}")


def test_a_review_of_an_answer_no_longer_there_says_so(slack) -> None:
    checklist_id = _start(slack)
    slack.core.checklists.name_decision_maker(checklist_id, "UALICE", "UALICE")
    text = _click(slack, _button("cl_review", {"c": checklist_id, "a": 999_999}))
    assert "That answer is no longer in this checklist" in text


def test_clearing_the_decision_maker_menu_says_nothing_changed(slack) -> None:
    checklist_id = _start(slack)
    decider = {"type": "users_select", "action_id": "cl_decider", "selected_user": None}
    assert "No one was chosen" in _select(slack, decider, f"cl_parent:{checklist_id}")


def test_only_the_starter_may_name_the_decision_maker_and_is_told_so(slack) -> None:
    checklist_id = _start(slack)
    decider = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UEVE"}
    text = _select(slack, decider, f"cl_parent:{checklist_id}", user="UEVE")
    assert "Only the person who started this checklist" in text
    assert (slack.core.store.get_checklist(checklist_id) or {})["decision_maker"] is None


def test_export_that_reaches_nobody_says_so(slack) -> None:
    checklist_id = _start(slack)
    block_id, button = next((b, e) for b, e in buttons(_parent(slack)) if e["action_id"] == "cl_export")
    slack.fake.reset()
    slack.fake.fail_next("files.getUploadURLExternal", "internal_error", times=99)
    slack.fake.fail_next("chat.postMessage", "internal_error", times=99)
    text = _click(slack, button, block_id, reset=False)
    assert "couldn't put the decision record in the thread" in text
    assert checklist_id


def _parent(slack) -> list[dict]:
    for call in reversed(slack.fake.calls):
        if call.method in ("chat.postMessage", "chat.update"):
            for block_id, _ in buttons(call.args.get("blocks", [])):
                if block_id.startswith("cl_parent:"):
                    return call.args["blocks"]
    raise AssertionError("no parent message")


def test_a_completed_checklist_still_opens_a_step_to_revise(slack) -> None:
    # Not a stale click: a completed checklist may be revised (it then needs signing off again).
    checklist_id = _start(slack)
    for step, (decision, reasons) in GOOD.items():
        slack.core.checklists.answer(checklist_id, step, decision, reasons, "UALICE")
    assert slack.core.checklists.progress(checklist_id).status.value == "complete"
    view = _open_modal(slack, "scope", "applies")
    assert view["callback_id"] == "cl_reasons"


def test_without_a_response_url_the_notice_comes_by_direct_message(slack) -> None:
    # App Home buttons carry no response_url.
    body = payload("block_actions_message_button.json")
    body.pop("response_url", None)
    body["user"] = {"id": "UALICE", "username": "alice", "name": "alice", "team_id": "T111"}
    body["trigger_id"] = slack.fake.new_trigger_id()
    body["actions"] = [{"block_id": "b", "action_ts": "1.2", "type": "button", **_button("cl_export", {"c": GONE})}]
    slack.fake.reset()
    status, _ = slack.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
    assert status == 200
    slack.settle()
    (opened,) = slack.fake.calls_to("conversations.open")
    assert opened.args["users"] == "UALICE"
    (dm,) = slack.fake.calls_to("chat.postMessage")
    assert "no longer in svbot's records" in dm.args["text"]


def test_a_new_checklist_form_with_a_value_svbot_does_not_know_is_refused_in_the_form(slack) -> None:
    # Only a form from an older svbot (or a crafted one) can carry it: nothing is posted, the form says why.
    view = open_new_checklist_form(slack, "Parks")
    slack.fake.reset()
    status, reply = slack.submit_state(view, form_values("Parks", "C111", body="council"))
    slack.settle()
    assert status == 200 and reply["response_action"] == "errors"
    assert "unknown body type 'council'" in reply["errors"]["title"]
    assert slack.fake.calls_to("chat.postMessage") == [] and slack.core.store.list_checklists() == []
