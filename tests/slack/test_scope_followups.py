"""Follow-ups to the scope finder's answer in Slack: "and for goods?" asks the finder again."""

from __future__ import annotations

from harness import all_text, payload, start_checklist
from test_scope_modal import SENTENCE, _ask_in_thread, _check_scope, form, open_scope_form

from bot.checklist.states import AnswerStatus


def test_and_for_goods_after_the_scope_form_on_the_slash_command(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="services", value="250000", vat="excluded", body="sub-central"))
    slack.settle()
    assert "apply?* Yes" in all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    slack.command("and for goods?", name="r2")
    slack.settle()
    (answer,) = [c.args for c in slack.fake.calls_to("response_url:r2")]
    text = all_text(answer["blocks"])
    assert "_Same procurement as your last scope check, but goods instead of services:_" in text
    assert "apply?* No" in text and "Trading for Good" not in text
    # The follow-up is the context now: "what about works?" changes goods to works.
    slack.command("what about works?", name="r3")
    slack.settle()
    (again,) = [c.args for c in slack.fake.calls_to("response_url:r3")]
    assert "works instead of goods" in all_text(again["blocks"])


def test_and_for_goods_after_a_scope_answer_sent_by_dm(slack):
    slack.fake.add_channel("CNOTIN")  # the bot is not in it: the answer comes by direct message
    view = open_scope_form(slack, channel="CNOTIN")
    slack.submit_state(view, form(type_="services", value="250000", vat="excluded", body="sub-central"))
    slack.settle()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, channel=dm.args["channel"], text="and for goods?", ts="1700000400.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "goods instead of services" in text and "apply?* No" in text


def test_a_new_question_after_a_scope_answer_is_answered_as_usual(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="services", value="250000", vat="excluded", body="sub-central"))
    slack.settle()
    slack.command("can we insist suppliers pay the real living wage", name="r2")
    slack.settle()
    (answer,) = [c.args for c in slack.fake.calls_to("response_url:r2")]
    text = all_text(answer["blocks"])
    assert "Living Wage" in text and "scope check" not in text


def _slash(slack, text, name):
    slack.command(text, name=name)
    slack.settle()
    (answer,) = [c.args for c in slack.fake.calls_to(f"response_url:{name}")]
    return all_text(answer["blocks"])


def test_follow_ups_on_every_finder_input_on_the_slash_command(slack):
    """The acceptance test: services, £216,000 including VAT, sub-central, then value, arrangement
    and start date each changed in turn, each from the check before it."""
    view = open_scope_form(slack)
    slack.submit_state(view, form())
    slack.settle()
    assert SENTENCE in all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    framework = _slash(slack, "what if it's a framework?", "f1")
    assert "but a framework instead of a single contract:" in framework
    assert "Services framework, £216,000 including VAT" in framework and "apply?* Yes" in framework
    cheaper = _slash(slack, "and if it was 100k?", "f2")
    assert "but £100,000 instead of £216,000:" in cheaper
    assert "Services framework, £100,000 including VAT" in cheaper and "apply?* No" in cheaper
    earlier = _slash(slack, "what if it started in 2025?", "f3")
    # Any day of 2025, which spans the Procurement Act's start: the answer for each part, no guessed day.
    assert "starting in 2025 instead of 3 March 2026:" in earlier
    assert "*Starting between 1 January and 23 February 2025:* s.1 does not apply." in earlier
    assert "below the £214,904 threshold in force since 1 January 2024" in earlier
    assert "*Starting between 24 February and 31 December 2025:* s.1 does not apply." in earlier
    assert 'for example "from 24 February 2025"' in earlier
    whole = _slash(slack, "and in 2026?", "f4")
    assert "starting in 2026 instead of in 2025:" in whole and "apply?* No" in whole
    assert "Start date taken as any day in 2026, not its first day" in whole
    for text in (framework, cheaper, earlier):
        assert "National TOMs" not in text and "outside what I cover" not in text


def test_a_follow_up_the_finder_cannot_take_says_why_in_slack(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form())
    slack.settle()
    text = _slash(slack, "what if it was £1,2m?", "bad")
    assert "could be read two ways (£1,200,000 or £12,000,000)" in text and "Same procurement" not in text


def test_a_follow_up_by_dm_changes_the_value(slack):
    slack.fake.add_channel("CNOTIN")
    view = open_scope_form(slack, channel="CNOTIN")
    slack.submit_state(view, form())
    slack.settle()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, channel=dm.args["channel"], text="what if it was £0.1m?", ts="1700000400.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "but £100,000 instead of £216,000:" in text and "apply?* No" in text


def test_after_check_scope_a_follow_up_in_the_checklist_thread_asks_again(slack):
    checklist_id = start_checklist(
        slack, "Library cleaning", value="£216,000 including VAT", buying="cleaning services", body="sub-central"
    )
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    _, reply = slack.submit_state(_check_scope(slack, checklist_id), form())
    slack.submit_view(reply["view"], "applies", SENTENCE)
    slack.settle()
    text = _ask_in_thread(slack, "what if it started before January?", thread_ts)
    assert 'starting 31 December 2025 instead of 3 March 2026 (reading "before January" as that day)' in text
    assert "below the £214,904 threshold" not in text and "above the £214,904 threshold in force since" in text


def test_after_a_disputed_scope_step_a_follow_up_in_the_thread_still_knows_the_procurement(slack):
    # The checker refuses a bare dismissal; the team disputes it. The thread keeps the check as its
    # context exactly as an accepted scope answer does.
    checklist_id = start_checklist(
        slack, "Library cleaning", value="£216,000 including VAT", buying="cleaning services", body="sub-central"
    )
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    _, reply = slack.submit_state(_check_scope(slack, checklist_id), form())
    why = "The service is a statutory return the county council must file; nothing here is bought from anyone."
    assert slack.submit_view(reply["view"], "does-not-apply", "Not relevant.", dispute=why) == (200, {})
    slack.settle()
    (answer,) = slack.core.store.answers(checklist_id)
    assert answer.status == AnswerStatus.DISPUTED
    text = _ask_in_thread(slack, "what if it was a framework?", thread_ts)
    assert "Same procurement as your last scope check, but a framework instead of a single contract" in text
    assert "£216,000 including VAT" in text


def test_check_scope_in_a_scottish_checklist_pastes_the_duty_that_applies_there(slack):
    checklist_id = start_checklist(
        slack, "Glasgow cleaning", value="£216,000 including VAT", buying="cleaning services", nation="scotland"
    )
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    _, reply = slack.submit_state(_check_scope(slack, checklist_id), form(body="scottish", nation="scotland"))
    reasons = reply["view"]["blocks"]
    prefilled = next(b for b in reasons if b.get("block_id") == "reasons")["element"]["initial_value"]
    assert "s.1 does not apply" in prefilled
    assert "In Scotland the nation's own duty applies (Sustainable procurement duty, s.9)" in prefilled


def test_a_follow_up_on_works_in_a_scottish_thread_leads_with_scotlands_figure(slack):
    checklist_id = start_checklist(slack, "Glasgow depot", nation="scotland", body="sub-central")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    _ask_in_thread(slack, "what are the current procurement thresholds for the SVA", thread_ts)
    text = _ask_in_thread(slack, "and for works?", thread_ts)
    scottish = text.index("£2,000,000 (works)")
    assert scottish < text.index('On "works", it says:') and scottish < text.index("£5,193,000"), text


def test_follow_ups_on_health_care_a_uk_body_and_the_services_share_on_the_slash_command(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form())
    slack.settle()
    health = _slash(slack, "it's health care services", "h1")
    assert "but health care services instead of not health care:" in health
    assert "Provider Selection Regime" in health and "outside what I cover" not in health
    mixed = _slash(slack, "services are 70% of it", "h2")
    assert "mixed contract instead of services and 70% services instead of no services share" in mixed
    assert "Mixed contract (70% services)" in mixed


def test_a_uk_body_follow_up_by_dm_and_in_a_checklist_thread(slack):
    slack.fake.add_channel("CNOTIN")
    view = open_scope_form(slack, channel="CNOTIN")
    slack.submit_state(view, form(nation="wales"))
    slack.settle()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    assert "devolved Welsh authority (sub-central authority in Wales)" in all_text(dm.args["blocks"])
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, channel=dm.args["channel"], text="we're a UK body", ts="1700000400.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "a UK body whose functions are mainly not devolved instead of not a UK body" in text
    assert "apply?* Yes" in text
    checklist_id = start_checklist(slack, "Cardiff cleaning", value="£216,000 including VAT", buying="cleaning",
                                   nation="wales", body="sub-central")  # fmt: skip
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    _, reply = slack.submit_state(_check_scope(slack, checklist_id), form(nation="wales"))
    reasons = next(b for b in reply["view"]["blocks"] if b.get("block_id") == "reasons")["element"]["initial_value"]
    assert slack.submit_view(reply["view"], "does-not-apply", reasons) == (200, {})
    slack.settle()
    central = _ask_in_thread(slack, "we're a central government department", thread_ts)
    assert "central government authority instead of sub-central authority" in central
