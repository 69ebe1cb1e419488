"""Request handling: signatures, URL verification, body limits, retries."""

from __future__ import annotations

import json
import time

from harness import payload

from bot.slack.serve import MAX_BODY_BYTES


def test_url_verification_echoes_the_challenge(slack):
    status, body = slack.send(json.dumps(payload("url_verification.json")))
    assert status == 200
    assert json.loads(body)["challenge"] == payload("url_verification.json")["challenge"]


def test_forged_signature_is_rejected_without_side_effects(slack):
    body = json.dumps({**payload("event_callback_app_mention.json"), "event_id": "EvForged"})
    status, _ = slack.send(body, signature="v0=" + "0" * 64)
    assert status == 401
    slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.core.store.db["questions"].count == 0
    assert slack.core.store.db["processed_events"].count == 0


def test_stale_request_is_rejected(slack):
    body = json.dumps({**payload("event_callback_app_mention.json"), "event_id": "EvStale"})
    status, _ = slack.send(body, timestamp=int(time.time()) - 60 * 10)
    assert status == 401
    slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []


def test_replayed_signature_on_a_different_body_is_rejected(slack):
    ts = int(time.time())
    good = json.dumps(payload("url_verification.json"))
    signature = slack.verifier.generate_signature(timestamp=str(ts), body=good)
    tampered = json.dumps({**payload("event_callback_app_mention.json"), "event_id": "EvTampered"})
    assert slack.send(tampered, timestamp=ts, signature=signature)[0] == 401


def test_malformed_body_gets_an_error_not_a_crash(slack):
    assert slack.send("{not json") == (400, "malformed request")
    assert slack.send("payload=%7Bnot", "application/x-www-form-urlencoded") == (400, "malformed request")
    assert slack.send(json.dumps(payload("url_verification.json")))[0] == 200


def test_oversized_body_is_refused_before_it_is_read(slack):
    # Refused from the headers alone: only waitress's production limit can do that.
    status, body = slack.announce_oversized(MAX_BODY_BYTES + 1)
    assert status == 413, body
    slack.settle()
    assert slack.core.store.db["questions"].count == 0
    assert slack.send(json.dumps(payload("url_verification.json")))[0] == 200


def test_retried_event_is_answered_once(slack):
    event = dict(payload("event_callback_app_mention.json")["event"], text="<@UBOT> does the act cover goods?")
    assert slack.event(event, event_id="EvRetry1") == 200
    assert (
        slack.event(event, event_id="EvRetry1", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        == 200
    )
    assert slack.event(event, event_id="EvRetry1", **{"X-Slack-Retry-Num": "2"}) == 200
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert slack.core.store.db["questions"].count == 1
