"""Admin commands, knowledge reload, App Home, Web API faults."""

from __future__ import annotations

import json

from harness import ADMIN, GOOD, all_text, payload, start_checklist

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.slack.home import home_view
from bot.slack.listeners import events


def test_admin_reload_is_refused_politely_for_others(slack):
    slack.command("admin reload", user="UBOB", name="r")
    slack.settle()
    text = slack.fake.calls_to("response_url:r")[0].args["text"]
    assert "for svbot admins only" in text and f"<@{ADMIN}>" in text


def test_admin_reload_succeeds_for_admins(slack):
    slack.command("admin reload", user=ADMIN, name="r")
    slack.settle()
    assert "Knowledge base reloaded" in slack.fake.calls_to("response_url:r")[0].args["text"]


def test_broken_edit_is_reported_with_file_and_line_and_the_bot_keeps_serving(editable):
    slack, folder = editable
    path = folder / "cases.yaml"
    lines = path.read_text().splitlines()
    lines[5] = lines[5] + " : : ["
    path.write_text("\n".join(lines) + "\n")
    slack.command("admin reload", user=ADMIN, name="r")
    slack.settle()
    text = slack.fake.calls_to("response_url:r")[0].args["text"]
    assert "not* loaded" in text and "cases.yaml:" in text
    slack.command("what did oldham do with banking", name="q")
    slack.settle()
    assert "Oldham" in all_text(slack.fake.calls_to("response_url:q")[0].args["blocks"])


def test_watcher_reports_a_broken_edit_to_admins(editable):
    from bot.slack.serve import KnowledgeWatcher

    slack, folder = editable
    (folder / "glossary.yaml").write_text("terms: [\n")
    KnowledgeWatcher(slack.core, slack.app.client).check_once()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    assert dm.args["channel"] == ADMIN and "glossary.yaml:" in dm.args["text"]
    KnowledgeWatcher(slack.core, slack.app.client).check_once()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1, "the same broken edit is reported once"


def _home(slack, user):
    slack.fake.reset()
    slack.event(dict(payload("event_callback_app_home_opened.json")["event"], tab="home", user=user))
    slack.settle()
    (published,) = slack.fake.calls_to("views.publish")
    assert published.args["user_id"] == user
    return published.args["view"]


def test_app_home_lists_the_users_checklists_with_what_is_left(slack):
    checklist_id = start_checklist(slack, "Library cleaning 2027", user="W111")
    slack.core.checklists.answer(checklist_id, "scope", *GOOD["scope"], "W111")
    view = _home(slack, "W111")
    text = all_text(view["blocks"])
    assert "Library cleaning 2027" in text and "1 of 7 steps answered" in text
    assert "left: What could this contract improve?" in text and "Does the Act apply?" not in text
    assert "https://example.slack.com/archives/C111/p" in text
    assert view["blocks"][0]["elements"][0]["action_id"] == "home_new_checklist"
    assert "Nothing is waiting for your sign-off" in text


def test_app_home_shows_what_waits_for_my_sign_off(slack):
    checklist_id = start_checklist(slack, "Library cleaning 2027", decider="UBOB")
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "decision":
            slack.core.checklists.answer(checklist_id, step_id, decision, reasons, "UALICE")
    text = all_text(_home(slack, "UBOB")["blocks"])
    waiting = text.split("*Waiting for your sign-off*")[1].split("*Your social value checklists*")[0]
    assert "Library cleaning 2027" in waiting and "ready for your decision" in waiting
    assert "Library cleaning 2027" not in all_text(_home(slack, "UCAROL")["blocks"])


def test_app_home_asks_the_decision_maker_to_resolve_a_disputed_sign_off(slack):
    checklist_id = start_checklist(slack, "Library cleaning 2027", decider="UBOB")
    for step_id, (decision, reasons) in GOOD.items():
        status = AnswerStatus.REFUSED if step_id == "decision" else AnswerStatus.ACCEPTED
        row = slack.core.store.add_answer(checklist_id, step_id, decision, reasons, "UALICE", status, [])
    slack.core.store.dispute(row.id, "the director signed it on paper", "UALICE")
    waiting = all_text(_home(slack, "UBOB")["blocks"]).split("*Your social value checklists*")[0]
    assert "Library cleaning 2027" in waiting and "resolve the dispute on Decision and sign-off" in waiting


def test_app_home_costs_the_same_few_queries_however_many_checklists(slack):
    store = slack.core.store
    for i in range(60):  # a busy decision maker: mostly signed off, two still to sign
        checklist_id = store.create_checklist(ChecklistDetails(f"Contract {i}", decision_maker="UBOB"), "UALICE")
        steps = list(GOOD.items()) if i >= 2 else list(GOOD.items())[:-1]
        for step_id, (decision, reasons) in steps:
            store.add_answer(checklist_id, step_id, decision, reasons, "UALICE", AnswerStatus.ACCEPTED, [])
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        view = home_view(slack.core, slack.app.client, "UBOB", "/socialvalue")
    finally:
        store.db.conn.set_trace_callback(None)
    waiting = all_text(view["blocks"]).split("*Your social value checklists*")[0]
    assert "Contract 0" in waiting and "Contract 1" in waiting and "Contract 2" not in waiting
    assert len([s for s in statements if s.lstrip().lower().startswith(("select", "with"))]) == 2, statements


def test_app_home_for_a_new_user_shows_how_to_start(slack):
    slack.event(dict(payload("event_callback_app_home_opened.json")["event"], tab="home", user="UNEW"))
    slack.settle()
    text = all_text(slack.fake.calls_to("views.publish")[0].args["view"]["blocks"])
    assert "no checklists yet" in text


def test_rate_limited_post_is_retried_and_sent_once(slack, monkeypatch):
    import slack_sdk.http_retry.builtin_handlers as handlers

    monkeypatch.setattr(handlers.time, "sleep", lambda _s: None)
    slack.fake.rate_limit_next("chat.postMessage", retry_after=1)
    event = dict(payload("event_callback_app_mention.json")["event"], text="<@W111> what are the thresholds?")
    slack.event(event)
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 2
    assert slack.core.store.db["questions"].count == 1


def test_failed_web_api_call_is_logged_not_fatal(slack, caplog):
    slack.fake.fail_next("chat.postMessage", error="channel_not_found", times=3)
    event = dict(payload("event_callback_app_mention.json")["event"], text="<@W111> thresholds?")
    assert slack.event(event) == 200
    slack.settle()
    assert "channel_not_found" in caplog.text
    # Not worth retrying: the answer, the note in the thread and the DM saying so all failed.
    assert len(slack.fake.calls_to("chat.postMessage")) == 3
    # The faults are used up: the next answer gets through, first time, with nothing logged as failed.
    caplog.clear()
    event2 = dict(event, text="<@W111> consultation?", ts="1595926230.009700")
    slack.event(event2)
    slack.settle()
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 4
    assert posts[-1].args["thread_ts"] == event2["ts"] and "consult" in json.dumps(posts[-1].args).lower()
    assert "failed" not in caplog.text


def test_response_url_failures_are_retried(slack, monkeypatch):
    import slack_sdk.http_retry.builtin_handlers as handlers

    monkeypatch.setattr(handlers.time, "sleep", lambda _s: None)
    slack.fake.server_error_next("response_url:r1", status=503)
    slack.fake.rate_limit_next("response_url:r1", retry_after=1)
    slack.command("what counts as social value")
    slack.settle()
    calls = slack.fake.calls_to("response_url:r1")
    assert len(calls) == 3 and calls[-1].args["response_type"] == "ephemeral"


def test_answer_slack_did_not_take_is_retried_by_svbot(slack, monkeypatch):
    monkeypatch.setattr(events, "ANSWER_RETRY_DELAYS_S", (0.01, 0.01))
    event = dict(payload("event_callback_app_mention.json")["event"], text="<@W111> is consultation required?")
    slack.fake.fail_next("chat.postMessage", error="internal_error", times=2)
    slack.event(event, event_id="EvLost1")
    slack.settle()
    posts = slack.fake.calls_to("chat.postMessage")
    assert len(posts) == 3 and "consult" in json.dumps(posts[-1].args).lower()
    assert slack.core.store.db["questions"].count == 1
    slack.event(event, event_id="EvLost1", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 3, "once answered, Slack's retries are ignored"


def test_user_is_told_when_the_answer_never_gets_through(slack, monkeypatch):
    monkeypatch.setattr(events, "ANSWER_RETRY_DELAYS_S", (0.01, 0.01))
    event = dict(payload("event_callback_app_mention.json")["event"], text="<@W111> is consultation required?")
    slack.fake.fail_next("chat.postMessage", error="internal_error", times=3)
    slack.event(event)
    slack.settle()
    *attempts, told = slack.fake.calls_to("chat.postMessage")
    assert len(attempts) == 3 and all("blocks" in a.args for a in attempts)
    assert told.args["thread_ts"] == event["ts"] and "blocks" not in told.args
    assert "couldn't post my answer" in told.args["text"] and "internal_error" in told.args["text"]
