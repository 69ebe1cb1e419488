"""Follow-ups in Slack: per thread, per DM, per person and channel for /socialvalue."""

from __future__ import annotations

from harness import all_text, payload


def _mention(slack, text: str, thread_ts: str | None, ts: str) -> str:
    event = dict(payload("event_callback_app_mention.json")["event"], text=f"<@W111> {text}", ts=ts)
    if thread_ts:
        event["thread_ts"] = thread_ts
    slack.event(event)
    slack.settle()
    return all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])


def test_follow_up_in_a_thread_reads_the_previous_answer(slack):
    first = _mention(slack, "can we insist suppliers pay the real living wage", None, "1700000000.000100")
    assert "Living Wage" in first
    follow = _mention(slack, "what about wales?", "1700000000.000100", "1700000001.000100")
    assert "Read as a follow-up to" in follow and "Living Wage" in follow
    assert "In Wales" in follow
    # Another thread knows nothing of it.
    other = _mention(slack, "what about wales?", "1700000099.000100", "1700000100.000100")
    assert "Read as a follow-up" not in other


def test_follow_up_in_a_direct_message(slack):
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, text="can we insist suppliers pay the real living wage", ts="1700000200.000100"))
    slack.settle()  # Slack delivers one message after the other; the app answers them in a pool
    slack.event(dict(im, text="what about wales?", ts="1700000201.000100"))
    slack.settle()
    posts = slack.fake.calls_to("chat.postMessage")
    assert "Read as a follow-up to" in all_text(posts[-1].args["blocks"])


def test_follow_up_on_the_slash_command(slack):
    slack.command("can we insist suppliers pay the real living wage", name="r1")
    slack.settle()
    slack.command("what about wales?", name="r2")
    slack.settle()
    (answer,) = [c.args for c in slack.fake.calls_to("response_url:r2")]
    assert "Read as a follow-up to" in all_text(answer["blocks"])


def test_a_greeting_in_a_direct_message_gets_a_friendly_reply(slack):
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, text="hello", ts="1700000300.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "I answer questions on social value" in text and "/socialvalue" in text
    assert "outside what I cover" not in text


def test_a_question_about_svbot_in_a_direct_message_says_what_it_does(slack):
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, text="who are you?", ts="1700000300.000200"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "I'm *svbot*: I answer questions on social value" in text and "Hello" not in text
    assert "outside what I cover" not in text


def test_the_same_topic_again_in_a_thread_leads_with_the_new_words(slack):
    first = _mention(slack, "what are the current procurement thresholds for the SVA", None, "1700000500.000100")
    assert "Thresholds" in first
    follow = _mention(slack, "and for goods?", "1700000500.000100", "1700000501.000100")
    assert "Read as a follow-up to" in follow
    assert 'On "goods", it says:' in follow
    assert follow.index('On "goods", it says:') < follow.index("*Sources:*")


def test_a_bare_link_in_a_direct_message_is_read_as_what_it_names(slack):
    im = payload("event_callback_message_im.json")["event"]
    link = "<https://www.legislation.gov.uk/ukpga/2012/3/section/1>"
    slack.event(dict(im, text=link, ts="1700000600.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert 'Read the link as "Public Services (Social Value) Act 2012' in text
    assert "outside what I cover" not in text
