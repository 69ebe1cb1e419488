"""What a real workspace imposes: expiring trigger_ids, rate limits, channels svbot is not in."""

from __future__ import annotations

import time

from harness import buttons, form_values, open_new_checklist_form, payload
from harness import start_checklist as _start

from bot.slack.app import ListenerExecutor


def _first_option(slack):
    post = next(c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("thread_ts"))
    return buttons(post.args["blocks"])[0]


def test_step_click_opens_its_form_within_3_s_while_answers_back_off_on_429(slack):
    """Eight answers sleep on Retry-After in every listener thread; the form still opens in time."""
    _start(slack)
    block_id, option = _first_option(slack)
    slack.fake.rate_limit_next("chat.postMessage", retry_after=4, times=8)
    for i in range(8):
        event = dict(payload("event_callback_app_mention.json")["event"], text=f"<@W111> threshold {i}?", ts=f"9.{i}")
        assert slack.event(event) == 200
    slack.fake.wait_for("chat.postMessage", count=2 + 8)  # parent, first step, then eight 429s
    # Starting the checklist opened the New checklist form: wait for the click's own form.
    opened_before = len(slack.fake.calls_to("views.open"))
    clicked = time.monotonic()
    slack.click(option, block_id=block_id, message={"ts": "1.1"}, name="click")
    opened = slack.fake.wait_for("views.open", count=opened_before + 1, timeout=10)[opened_before]
    assert opened.at >= clicked
    assert opened.at - clicked < 3.0
    slack.settle(30)
    assert slack.fake.calls_to("response_url:click") == [], "no failure to report"
    assert (
        len([c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("thread_ts", "").startswith("9.")]) == 16
    )


def test_views_share_no_pool_with_answers():
    """The view pool is separate from the listener pool and waits are joint."""
    executor = ListenerExecutor(1)
    try:
        assert executor.views is not None and executor.views is not executor
        started = []
        executor.later(time.sleep, 0.5)
        executor.soon(lambda: started.append(time.monotonic()))
        t0 = time.monotonic()
        assert executor.wait_idle(5)
        assert started and started[0] - t0 < 0.3
    finally:
        executor.shutdown()


def test_a_form_slack_will_not_open_is_explained_privately(slack):
    _start(slack)
    block_id, option = _first_option(slack)
    slack.fake.trigger_ttl = 0.0  # every trigger_id has expired by the time views.open arrives
    slack.click(option, block_id=block_id, message={"ts": "1.1"}, name="late")
    slack.settle()
    assert slack.fake.calls_to("views.open")
    (told,) = slack.fake.calls_to("response_url:late")
    assert told.args["response_type"] == "ephemeral"
    assert "click the button again" in told.args["text"]


def _start_in(slack, channel, name):
    """Submit the New checklist form for ``channel``; return what svbot told the person by DM."""
    assert _start(slack, "Parking enforcement 2027", channel=channel) is None, "nothing saved"
    (told,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("D")]
    return told.args["text"]


def test_failed_checklist_posts_say_what_went_wrong(slack):
    slack.fake.add_channel("GPRIVATE", private=True)
    private = _start_in(slack, "GPRIVATE", "private")
    assert "private channel" in private and "/invite @svbot" in private
    for error, expected in (("invalid_blocks", "invalid_blocks"), ("is_archived", "archived")):
        view = open_new_checklist_form(slack, "Parking enforcement 2027")
        slack.fake.fail_next("chat.postMessage", error=error)
        assert slack.submit_state(view, form_values("Parking enforcement 2027", "C111")) == (200, {})
        slack.settle()
        _parent, told = slack.fake.calls_to("chat.postMessage")
        assert expected in told.args["text"] and "/invite" not in told.args["text"]


def test_a_checklist_cannot_start_in_a_dm_between_people(slack):
    """The command typed in someone else's DM: the form offers no channel, so the person picks one."""
    slack.fake.add_channel("DPEOPLE", is_im=True)
    view = open_new_checklist_form(slack, "Parking enforcement 2027", channel="DPEOPLE")
    channel = next(b for b in view["blocks"] if b["block_id"] == "channel")["element"]
    assert "initial_conversation" not in channel
    _, reply = slack.submit_state(view, form_values("Parking enforcement 2027", None))
    assert reply["response_action"] == "errors" and "channel" in reply["errors"]
