"""The scope finder in Slack: /socialvalue scope, "Check scope" on the checklist's scope step, and
answers in a checklist's thread led by the checklist's nation."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse

import pytest
from fake_slack import payload_problems
from harness import all_text, block, buttons, payload, start_checklist, step_message

from bot.config import Settings
from bot.core import Svbot
from bot.scope_check import configured_defaults
from bot.slack.answers import entry_blocks
from bot.slack.scope_modal import Origin, scope_view

SENTENCE = (
    "Services, £216,000 including VAT, sub-central authority, starting 3 March 2026: "
    "above the £207,720 threshold in force since 1 January 2026, so s.1 applies."
)


def open_scope_form(slack, user="UALICE", channel="C111"):
    slack.fake.reset()
    status, body = slack.command("scope", user=user, channel=channel, name="scope")
    assert (status, body) == (200, "")
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    return opened.args["view"]


def form(type_="services", value="216000", vat="included", share=None, arrangement="contract", health=False,
         body="sub-central", nation="england", start="2026-03-03", uk_body=False):  # fmt: skip
    """``state.values`` for the scope form, as Slack sends them."""

    def select(name, value):
        return {name: {"type": "static_select", "selected_option": {"value": value} if value else None}}

    def radio(name, value):
        return {name: {"type": "radio_buttons", "selected_option": {"value": value} if value else None}}

    checked = [{"value": "health-care"}] if health else []
    return {
        "type": select("type", type_),
        "value": {"value": {"type": "plain_text_input", "value": value}},
        "vat": radio("vat", vat),
        "share": {"share": {"type": "plain_text_input", "value": share}},
        "arrangement": radio("arrangement", arrangement),
        "health": {"health": {"type": "checkboxes", "selected_options": checked}},
        "body": select("body", body),
        "nation": select("nation", nation),
        "uk_body": {"uk_body": {"type": "checkboxes", "selected_options": [{"value": "uk-body"}] if uk_body else []}},
        "start": {"start": {"type": "datepicker", "selected_date": start}},
    }


def test_the_command_opens_the_form_with_every_input(slack):
    view = open_scope_form(slack)
    assert view["callback_id"] == "scope_finder"
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids == ["type", "value", "vat", "share", "arrangement", "health", "body", "nation", "uk_body", "start"]
    assert block(view, "start")["element"]["initial_date"] == dt.date.today().isoformat()
    assert block(view, "vat")["element"]["initial_option"]["value"] == "excluded"
    assert json.loads(view["private_metadata"]) == {"ch": "C111"}
    # SVBOT_NATION and SVBOT_BODY unset: nothing is chosen for the person.
    assert "initial_option" not in block(view, "body")["element"]
    assert "initial_option" not in block(view, "nation")["element"]
    assert slack.fake.calls_to("chat.postMessage") == []


def test_the_form_defaults_body_and_nation_from_configuration(tmp_path):
    core = Svbot(Settings(db_path=tmp_path / "db", nation="wales", body="nhs", watch_knowledge=False))
    view = scope_view(core, configured_defaults(core.settings), Origin("C1"))
    assert block(view, "nation")["element"]["initial_option"]["value"] == "wales"
    assert block(view, "body")["element"]["initial_option"]["value"] == "nhs"
    assert payload_problems(view, view=True) == []


def test_submitting_posts_the_answer_privately(slack):
    view = open_scope_form(slack)
    status, reply = slack.submit_state(view, form())
    assert (status, reply) == (200, {})
    slack.settle()
    (posted,) = slack.fake.calls_to("chat.postEphemeral")
    assert posted.args["channel"] == "C111" and posted.args["user"] == "UALICE"
    text = all_text(posted.args["blocks"])
    assert "apply?* Yes" in text
    assert f"> {SENTENCE}" in text
    assert "*Threshold:* £207,720" in text and "in force since 1 January 2026" in text
    assert "<https://www.legislation.gov.uk/" in text  # the threshold's source, linked
    assert "VAT: the value given already includes VAT (£216,000)." in text
    assert slack.fake.calls_to("chat.postMessage") == [], "nothing is posted for the channel to see"


def test_other_duties_and_notes_when_the_facts_are_not_enough(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="mixed", value="1.2m", vat="excluded", body="central", nation="scotland"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "apply?* Cannot tell from what was given" in text
    assert "*Other duties*" in text and "*Notes*" in text
    # Notes point to the form's fields, not to command-line options.
    assert "--" not in text
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="mixed", value="1.2m", body=None, nation=None))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "the form's Type of body" in text and "choose the Nation in the form" in text


def test_bad_inputs_are_sent_back_on_their_field(slack):
    view = open_scope_form(slack)
    status, reply = slack.submit_state(view, form(value="lots"))
    assert status == 200 and reply["response_action"] == "errors"
    assert set(reply["errors"]) == {"value"} and "not an amount in pounds" in reply["errors"]["value"]
    _, reply = slack.submit_state(view, form(share="70"))
    assert set(reply["errors"]) == {"share"}, "a services share only for a mixed contract"
    _, reply = slack.submit_state(view, form(type_="mixed", share="170"))
    assert set(reply["errors"]) == {"share"}
    _, reply = slack.submit_state(view, form(type_="mixed", share="seventy"))
    assert set(reply["errors"]) == {"share"}
    _, reply = slack.submit_state(view, form(start=None))
    assert set(reply["errors"]) == {"start"}
    _, reply = slack.submit_state(view, form(value="0"))
    assert set(reply["errors"]) == {"value"} and "positive" in reply["errors"]["value"]
    _, reply = slack.submit_state(view, form(value="£1,2m"))
    assert set(reply["errors"]) == {"value"}
    assert "could be read two ways (£1,200,000 or £12,000,000)" in reply["errors"]["value"]
    slack.settle()
    assert slack.fake.calls_to("chat.postEphemeral") == []


@pytest.mark.parametrize(
    ("value", "readings"),
    [
        ("£1,2m", ["£1,200,000", "£12,000,000"]),
        ("1,500k", ["£1,500", "£1,500,000"]),
        ("1.200,50", ["£1,200.50"]),
        ("£99999999999999", ["£1,000,000,000,000"]),
        ("0", []),
        ("about one point two million pounds, ish", []),  # as long as the field takes (MAX_VALUE_INPUT)
    ],
)
def test_a_refused_value_is_quoted_whole_with_what_is_accepted(slack, value, readings):
    view = open_scope_form(slack)
    _, reply = slack.submit_state(view, form(value=value))
    said = reply["errors"]["value"]
    assert f"'{value}'" in said, "the value as typed, whole"
    assert all(r in said for r in readings), said
    assert "for example" in said and not said.endswith("…"), said
    assert said.endswith("."), said


def test_the_answer_comes_by_dm_where_it_cannot_be_shown_in_the_channel(slack):
    slack.fake.add_channel("CNOTIN")  # public, the bot is not a member: no ephemeral messages
    view = open_scope_form(slack, channel="CNOTIN")
    slack.submit_state(view, form(type_="goods", value="150k", vat="excluded", body="central"))
    slack.settle()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    assert dm.args["channel"].startswith("D")
    assert "apply?* No" in all_text(dm.args["blocks"])


def test_help_offers_the_scope_finder(slack):
    status, body = slack.command("help")
    assert status == 200 and "/socialvalue scope" in body


# The checklist's scope step -----------------------------------------------------------


def _check_scope(slack, checklist_id):
    call = step_message(slack, "scope")
    (found,) = [(b, e) for b, e in buttons(call.args["blocks"]) if e["action_id"] == "cl_scope_check"]
    assert found[1]["text"]["text"] == "Check scope"
    slack.fake.reset()
    slack.click(found[1], block_id=found[0], message={"ts": "1.1"})
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    return opened.args["view"]


def test_check_scope_is_prefilled_from_the_checklist_and_becomes_the_answer(slack):
    checklist_id = start_checklist(
        slack,
        "Library cleaning 2027",
        value="£216,000 including VAT",
        buying="cleaning services for 12 libraries",
        nation="england",
        body="sub-central",
    )
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    view = _check_scope(slack, checklist_id)
    assert block(view, "type")["element"]["initial_option"]["value"] == "services"
    assert block(view, "value")["element"]["initial_value"] == "216000"
    assert block(view, "vat")["element"]["initial_option"]["value"] == "included"
    assert block(view, "body")["element"]["initial_option"]["value"] == "sub-central"
    assert block(view, "nation")["element"]["initial_option"]["value"] == "england"
    assert block(view, "start")["element"]["initial_date"] == "2026-03-03"

    status, reply = slack.submit_state(view, form())
    assert reply["response_action"] == "update"
    reasons_view = reply["view"]
    assert payload_problems(reasons_view, view=True) == []
    assert reasons_view["callback_id"] == "cl_reasons"
    assert block(reasons_view, "decision")["element"]["initial_option"]["value"] == "applies"
    assert block(reasons_view, "reasons")["element"]["initial_value"] == SENTENCE
    assert "*Threshold:* £207,720" in all_text(reasons_view["blocks"])

    status, reply = slack.submit_view(reasons_view, "applies", SENTENCE)
    assert (status, reply) == (200, {}), "the finder's sentence is accepted as the reasons"
    slack.settle()
    current = slack.core.store.current_answers(checklist_id)["scope"]
    assert current.accepted and current.scope["act_applies"] is True
    assert current.scope["inputs"]["start"] == "2026-03-03"
    record = slack.core.checklists.record(checklist_id)
    assert record["scope_check"]["answer_id"] == current.id
    assert record["scope_check"]["threshold"]["id"] == "threshold.sub-central.goods-services"
    assert "Scope finder's answer used for this step" in slack.core.checklists.export(checklist_id, "md")


def test_a_scope_check_that_cannot_tell_leaves_the_decision_to_the_team(slack):
    checklist_id = start_checklist(slack, "Depot refit", value="about a million", buying="a refit")
    view = _check_scope(slack, checklist_id)
    assert "initial_option" not in block(view, "type")["element"], "nothing guessed from 'a refit'"
    assert "initial_value" not in block(view, "value")["element"]
    _, reply = slack.submit_state(view, form(type_="mixed", value="1m", body="sub-central"))
    reasons_view = reply["view"]
    assert "initial_option" not in block(reasons_view, "decision")["element"]


def test_the_reasons_form_opened_without_a_check_records_no_scope(slack):
    checklist_id = start_checklist(slack)
    call = step_message(slack, "scope")
    option = next(e for _, e in buttons(call.args["blocks"]) if json.loads(e["value"]).get("o") == "applies")
    slack.fake.reset()
    slack.click(option, message={"ts": "1.1"})
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    assert "scope" not in json.loads(opened.args["view"]["private_metadata"])
    slack.submit_view(opened.args["view"], "applies", "Services contract above the threshold, not a call-off.")
    slack.settle()
    assert slack.core.checklists.record(checklist_id)["scope_check"] is None


# Answers in a checklist's thread ------------------------------------------------------


def _ask_in_thread(slack, text, thread_ts, channel="C111"):
    event = dict(payload("event_callback_app_mention.json")["event"], text=f"<@W111> {text}", channel=channel)
    event["ts"] = f"{float(thread_ts) + 5:.6f}"
    if thread_ts:
        event["thread_ts"] = thread_ts
    slack.fake.reset()
    slack.event(event)
    slack.settle()
    return all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])


def test_answers_in_a_checklist_thread_lead_with_its_nation(slack):
    checklist_id = start_checklist(slack, "Cardiff care", nation="wales", body="sub-central")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    text = _ask_in_thread(slack, "can we insist suppliers pay the real living wage", thread_ts)
    assert "Answered for Wales: the nation chosen on this checklist." in text
    assert "In Wales" in text
    # A nation named in the question wins, and the reply says why it leads with it.
    named = _ask_in_thread(slack, "living wage in scotland", thread_ts)
    assert "Answered for Scotland, as asked." in named
    # Outside the thread, with no nation configured, nothing is said about a nation.
    elsewhere = _ask_in_thread(slack, "can we insist suppliers pay the real living wage", "1700000500.000100")
    assert "Answered for" not in elsewhere


def test_the_buttons_under_an_answer_keep_its_nation(slack):
    checklist_id = start_checklist(slack, "Cardiff care", nation="wales", body="sub-central")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    _ask_in_thread(slack, "can we insist suppliers pay the real living wage", thread_ts)
    answer = slack.fake.calls_to("chat.postMessage")[-1]
    more = next(e for _, e in buttons(answer.args["blocks"]) if e["action_id"] == "read_more")
    assert json.loads(more["value"])["n"] == "wales"
    slack.fake.reset()
    slack.click(more, name="more")
    slack.settle()
    (full,) = slack.fake.calls_to("response_url:more")
    snap = slack.core.snapshot()
    entry = snap.kb.get(json.loads(more["value"])["e"])
    for_wales = entry_blocks(slack.core, snap, entry, full=True, nation="Wales")
    assert full.args["blocks"] == for_wales != entry_blocks(slack.core, snap, entry, full=True, nation=None)


def test_answers_say_when_they_follow_the_workspace_nation(tmp_path, fake):
    from harness import Harness

    harness = Harness(tmp_path, fake)
    try:
        harness.core.nation = "Scotland"  # as SVBOT_NATION=scotland
        text = _ask_in_thread(harness, "can we insist suppliers pay the real living wage", "1700000600.000100")
        assert "Answered for Scotland: this workspace's nation (SVBOT_NATION)." in text
    finally:
        harness.close()


# "what social value duty do we have" names no nation: the 2012 Act's duty, the Welsh Act's for Wales.
DUTY = "what social value duty do we have"


def _answered_with(core, text: str) -> str:
    """The id of the entry whose title heads the answer (in bold)."""
    (entry_id,) = [e.id for e in core.snapshot().kb.entries if f"*{e.title}*" in text.splitlines()]
    return entry_id


def test_a_checklist_threads_nation_ranks_its_own_law_first(slack):
    checklist_id = start_checklist(slack, "Cardiff care", nation="wales", body="sub-central")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    in_thread = _ask_in_thread(slack, DUTY, thread_ts)
    assert _answered_with(slack.core, in_thread) == "legal.wales-socially-responsible-procurement"
    elsewhere = _ask_in_thread(slack, DUTY, "1700000500.000100")
    assert _answered_with(slack.core, elsewhere) == "legal.duty-to-consider"


def test_the_workspaces_nation_ranks_its_own_law_first(tmp_path, fake):
    from harness import Harness

    harness = Harness(tmp_path, fake)
    try:
        harness.core.nation = "Wales"  # as SVBOT_NATION=wales
        text = _ask_in_thread(harness, DUTY, "1700000600.000100")
        assert _answered_with(harness.core, text) == "legal.wales-socially-responsible-procurement"
    finally:
        harness.close()


def test_ask_about_a_message_in_a_checklist_thread_uses_its_nation(slack):
    checklist_id = start_checklist(slack, "Glasgow care", nation="scotland", body="scottish")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    message = {"type": "message", "user": "UDAVE", "ts": "1700000900.000100", "thread_ts": thread_ts,
               "text": "can we insist suppliers pay the real living wage?"}  # fmt: skip
    body = {
        "type": "message_action",
        "callback_id": "ask_about_message",
        "trigger_id": slack.fake.new_trigger_id(),
        "team": {"id": "T111", "domain": "test"},
        "user": {"id": "UCAROL", "name": "carol", "team_id": "T111"},
        "channel": {"id": "C111", "name": "procurement"},
        "message": message,
        "message_ts": message["ts"],
        "response_url": slack.fake.response_url("askabout"),
        "api_app_id": "A111",
        "token": "legacy",
        "action_ts": "1.2",
    }
    status, _ = slack.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
    assert status == 200
    slack.settle()
    (reply,) = slack.fake.calls_to("response_url:askabout")
    assert "Answered for Scotland: the nation chosen on this checklist." in all_text(reply.args["blocks"])


def test_a_council_in_wales_is_answered_as_a_devolved_welsh_authority(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(value="300000", vat="excluded", nation="wales", start="2026-04-01"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "apply?* No" in text and "devolved Welsh authority (sub-central authority in Wales)" in text
    assert "tick the form's UK body box" in text and "--" not in text
    view = open_scope_form(slack)
    slack.submit_state(view, form(value="300000", vat="excluded", nation="wales", start="2026-04-01", uk_body=True))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "apply?* Yes" in text


def test_a_mixed_contract_at_half_services_says_services_are_not_the_greater_part(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="mixed", share="50", value="250000", vat="excluded", start="2026-04-01"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "apply?* No" in text and "services are half the value or less" in text and "alone" not in text


def test_a_devolved_welsh_body_is_told_whether_its_contract_is_prescribed(slack):
    # SI 2026/75, reg. 4: from 25 March 2026 a contract at or above its Procurement Act threshold.
    view = open_scope_form(slack)
    slack.submit_state(view, form(value="250000", vat="excluded", body="devolved-welsh", nation="wales",
                                  start="2026-04-01"))  # fmt: skip
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "Prescribed contracts: all reasonable steps" in text
    assert "£300,000 is at or above the £207,720 threshold" in text and "this is a prescribed contract" in text
    assert "https://www.legislation.gov.uk/wsi/2026/75/made" in text
    view = open_scope_form(slack)
    slack.submit_state(view, form(value="150000", vat="excluded", body="devolved-welsh", nation="wales",
                                  start="2026-04-01"))  # fmt: skip
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    assert "Local authority or other sub-central body as the Type of body" in text and "--" not in text


def test_check_scope_leaves_a_care_contracts_type_to_the_team(slack):
    checklist_id = start_checklist(slack, "Home care 2027", value="£400k", buying="home care services for 30 adults")
    view = _check_scope(slack, checklist_id)
    assert payload_problems(view, view=True) == []
    assert "initial_option" not in block(view, "type")["element"], "light touch or not: the team says"
    assert 'mentions "care", which suggests a light-touch service' in all_text(view["blocks"])
    _, reply = slack.submit_state(view, form(type_="light-touch", value="400000", vat="exempt"))
    reasons_view = reply["view"]
    # £400k light touch is above the services figure but below its own: s.1(16)(b) and (17) judge it at
    # the services figure, so "applies" is suggested and the sentence offered as reasons says why.
    assert block(reasons_view, "decision")["element"]["initial_option"]["value"] == "applies"
    reasons = block(reasons_view, "reasons")["element"]["initial_value"]
    assert "£400,000, exempt from VAT" in reasons and "s.1(16)(b) and (17)" in reasons
