"""Follow-ups to the scope finder's answer in Slack: "and for goods?" asks the finder again."""

from __future__ import annotations

from harness import all_text, payload
from test_scope_modal import form, open_scope_form


def test_and_for_goods_after_the_scope_form_on_the_slash_command(slack):
    view = open_scope_form(slack)
    slack.submit_state(view, form(type_="services", value="250000", vat="excluded", body="sub-central"))
    slack.settle()
    assert "apply?* Yes" in all_text(slack.fake.calls_to("chat.postEphemeral")[0].args["blocks"])
    slack.command("and for goods?", name="r2")
    slack.settle()
    (answer,) = [c.args for c in slack.fake.calls_to("response_url:r2")]
    text = all_text(answer["blocks"])
    assert "Read as a follow-up to your scope check: goods instead of services" in text
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
