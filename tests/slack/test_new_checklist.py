"""The New checklist form: from the command, a global shortcut and the App Home; the decision maker's DM."""

from __future__ import annotations

import json
import urllib.parse

from harness import all_text, docx_text, form_values, open_new_checklist_form, payload
from harness import start_checklist as _start

from bot.config import Settings
from bot.core import Svbot
from bot.slack.listeners.new_checklist import new_checklist_view


def _block(view, block_id):
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_command_opens_the_form_with_the_title_and_channel(slack):
    view = open_new_checklist_form(slack, "Library cleaning 2027", channel="C111")
    assert view["callback_id"] == "new_checklist"
    assert _block(view, "title")["element"]["initial_value"] == "Library cleaning 2027"
    assert _block(view, "channel")["element"]["initial_conversation"] == "C111"
    assert slack.fake.calls_to("chat.postMessage") == [], "nothing is posted before the form is sent"


def test_form_defaults_nation_and_body_from_configuration(tmp_path):
    core = Svbot(Settings(db_path=tmp_path / "db", nation="wales", body="sub-central", watch_knowledge=False))
    view = new_checklist_view(core)
    assert _block(view, "nation")["element"]["initial_option"]["value"] == "wales"
    assert _block(view, "body")["element"]["initial_option"]["value"] == "sub-central"
    assert "initial_value" not in _block(view, "title")["element"]
    assert (
        "initial_option"
        not in _block(new_checklist_view(Svbot(Settings(db_path=tmp_path / "d2"))), "nation")["element"]
    )


def test_submitted_form_starts_the_checklist_with_every_detail(slack):
    checklist_id = _start(
        slack,
        "Library cleaning 2027",
        reference="RBC/2027/014",
        value="£420k over 3 years",
        buying="cleaning services for 12 libraries",
        nation="england",
        body="sub-central",
        decider="UBOB",
    )
    row = slack.core.store.get_checklist(checklist_id)
    assert (row["reference"], row["value"], row["buying"]) == (
        "RBC/2027/014",
        "£420k over 3 years",
        "cleaning services for 12 libraries",
    )
    assert (row["nation"], row["body_type"], row["decision_maker"]) == ("England", "sub-central", "UBOB")
    parent = slack.fake.calls_to("chat.postMessage")[0]
    text = all_text(parent.args["blocks"])
    assert "Ref. RBC/2027/014" in text and "£420k over 3 years" in text and "England" in text
    assert "or <@UBOB> can sign off" in text
    record = slack.core.checklists.export(checklist_id, "md")
    details = record.split("## Summary")[0]
    assert all(v in details for v in ("RBC/2027/014", "£420k over 3 years", "cleaning services for 12 libraries"))
    assert "| Nation and body type | England, Local authority or other sub-central body |" in details
    data = json.loads(slack.core.checklists.export(checklist_id, "json"))
    assert (data["nation"], data["body_type"]) == ("England", "sub-central")
    word = docx_text(slack.core.checklists.export_bytes(checklist_id, "docx"))
    assert "Nation and body type\nEngland, Local authority or other sub-central body" in word


def test_record_says_when_no_nation_or_body_type_was_chosen(slack):
    # Every document says it in the same words (record_words.txt.j2), rather than leaving the row out.
    checklist_id = _start(slack, "Library cleaning 2027")
    assert "| Nation and body type | not given |" in slack.core.checklists.export(checklist_id, "md")
    assert '<th scope="row">Nation and body type</th><td>not given</td>' in slack.core.checklists.export(
        checklist_id, "html"
    )
    assert "Nation and body type\nnot given" in docx_text(slack.core.checklists.export_bytes(checklist_id, "docx"))


def test_decision_maker_is_told_by_dm_with_a_link_and_a_button(slack):
    checklist_id = _start(slack, "Library cleaning 2027", decider="UBOB")
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("D")]
    assert slack.fake.calls_to("conversations.open")[0].args["users"] == "UBOB"
    text = all_text(dm.args["blocks"])
    assert "<@UALICE> has named you the decision maker" in text and "Library cleaning 2027" in text
    permalink = "https://example.slack.com/archives/C111/p"
    (button,) = dm.args["blocks"][-1]["elements"]
    assert button["url"].startswith(permalink) and button["text"]["text"] == "Review and sign off"
    assert slack.core.store.get_checklist(checklist_id)["decision_maker"] == "UBOB"


def test_naming_yourself_sends_no_dm(slack):
    _start(slack, "Library cleaning 2027", decider="UALICE")
    assert [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("D")] == []


def test_a_form_without_title_or_channel_is_sent_back(slack):
    view = open_new_checklist_form(slack)
    assert slack.submit_state(view, form_values("   ", "C111"))[1]["errors"].keys() == {"title"}
    assert slack.submit_state(view, form_values("Parks 2027", None))[1]["errors"].keys() == {"channel"}
    slack.settle()
    assert slack.core.store.list_checklists() == []


def _shortcut(slack, body):
    slack.fake.reset()
    body["trigger_id"] = slack.fake.new_trigger_id()
    status, _ = slack.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
    assert status == 200
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    return opened.args["view"]


def test_global_shortcut_opens_the_same_form(slack):
    body = {
        "type": "shortcut",
        "callback_id": "new_checklist",
        "team": {"id": "T111", "domain": "test"},
        "user": {"id": "UALICE", "username": "alice", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "legacy",
        "action_ts": "1.2",
    }
    view = _shortcut(slack, body)
    assert view["callback_id"] == "new_checklist"
    assert "initial_conversation" not in _block(view, "channel")["element"]


def test_app_home_button_opens_the_same_form(slack):
    body = payload("block_actions_message_button.json")
    body["container"] = {"type": "view", "view_id": "V1"}
    body.pop("channel", None)
    body.pop("message", None)
    body["user"] = {"id": "UALICE", "username": "alice", "team_id": "T111"}
    body["actions"] = [{"action_id": "home_new_checklist", "block_id": "home", "type": "button", "action_ts": "1"}]
    body["response_url"] = None
    assert _shortcut(slack, body)["callback_id"] == "new_checklist"


def _message_shortcut(slack, text, name="ask"):
    body = {
        "type": "message_action",
        "callback_id": "ask_about_message",
        "trigger_id": slack.fake.new_trigger_id(),
        "team": {"id": "T111", "domain": "test"},
        "user": {"id": "UCAROL", "name": "carol", "team_id": "T111"},
        "channel": {"id": "C111", "name": "procurement"},
        "message": {"type": "message", "user": "UDAVE", "ts": "1700000000.000100", "text": text},
        "message_ts": "1700000000.000100",
        "response_url": slack.fake.response_url(name),
        "api_app_id": "A111",
        "token": "legacy",
        "action_ts": "1.2",
    }
    status, _ = slack.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
    assert status == 200
    slack.settle()
    return slack.fake.calls_to(f"response_url:{name}")


def test_ask_about_this_message_answers_privately(slack):
    (reply,) = _message_shortcut(slack, "Can we insist that the cleaning contractor pays the real living wage?")
    assert reply.args["response_type"] == "ephemeral"
    assert "Living Wage" in all_text(reply.args["blocks"])
    assert slack.fake.calls_to("chat.postMessage") == [], "nothing is posted in the channel"
    assert [q["source"] for q in slack.core.store.db["questions"].rows] == ["shortcut"]


def test_ask_about_a_message_without_text(slack):
    (reply,) = _message_shortcut(slack, "", name="empty")
    assert "no text I can read" in reply.args["text"]
