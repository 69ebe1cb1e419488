"""Bad input through Slack: huge and hostile text, secrets kept out of logs."""

from __future__ import annotations

import json
import logging

from harness import BOT_TOKEN, GOOD, SECRET, jump, open_modal, payload, start_checklist

from bot.slack import blocks as bk

HOSTILE = "\u202eevil\u202c \u200b<!everyone> <!subteam^S123|@team> <@U999> :boom: \x07\x1b[31m & &amp; <script>"


def _posted_payloads(slack):
    return [c.args for c in slack.fake.calls if c.method.startswith(("chat.", "views.", "response_url"))]


def _assert_no_pings(messages):
    raw = json.dumps(messages)
    for markup in ("<!everyone>", "<!subteam", "<@U999>", "<script>", "\\u001b", "\\u0007"):
        assert markup not in raw, markup


def test_huge_question_is_answered_within_slack_limits(slack):
    question = ("does the social value act apply to works contracts " * 2500)[:100_000]
    slack.event(dict(payload("event_callback_app_mention.json")["event"], text="<@W111> " + question))
    slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert len(post.args["blocks"]) <= bk.MAX_BLOCKS
    assert all(len(b.get("text", {}).get("text", "")) <= bk.MAX_TEXT for b in post.args["blocks"])
    assert len(next(slack.core.store.db["questions"].rows)["text"]) <= 2000


def test_hostile_question_text_never_pings_or_breaks(slack):
    slack.command(HOSTILE, name="h")
    slack.event(dict(payload("event_callback_message_im.json")["event"], text=HOSTILE))
    slack.settle()
    messages = _posted_payloads(slack)
    assert len(messages) == 2
    _assert_no_pings(messages)


def test_hostile_and_huge_reasons_are_refused_or_kept_safely(slack):
    checklist_id = start_checklist(slack)
    view = open_modal(slack, "scope", "applies")
    _, reply = slack.submit_view(view, "applies", "x" * 100_000)
    assert reply["response_action"] == "errors" and len(reply["errors"]["reasons"]) <= 1000
    hostile = GOOD["scope"][1] + " " + HOSTILE
    assert slack.submit_view(view, "applies", hostile)[1] == {}
    slack.settle()
    _assert_no_pings(_posted_payloads(slack))
    assert slack.core.store.current_answers(checklist_id)["scope"].reasons == hostile


def test_tokens_and_secrets_never_reach_logs_or_exports(slack, caplog):
    caplog.set_level(logging.DEBUG)
    checklist_id = start_checklist(slack)
    slack.fake.fail_next("chat.update", error="invalid_auth")
    slack.submit_view(open_modal(slack, "scope", "applies"), *GOOD["scope"])
    slack.command("living wage")
    slack.send("{broken")
    slack.settle()
    exports = "".join(slack.core.checklists.export(checklist_id, f) for f in ("md", "json", "csv"))
    for secret in (BOT_TOKEN, SECRET):
        assert secret not in caplog.text
        assert secret not in exports
    assert "chat.update" in caplog.text or "invalid_auth" in caplog.text


def test_refusal_shown_in_the_modal_is_plain_text_with_the_problem(slack):
    checklist_id = start_checklist(slack)
    jump(slack, checklist_id, "outcomes")
    view = open_modal(slack, "outcomes", "none-relevant")
    _, reply = slack.submit_view(view, "none-relevant", "Social value has been considered in line with the Act.")
    text = reply["errors"]["reasons"]
    assert "&lt;" not in text and "pasted into any procurement" in text
    assert "Oldham" in text
