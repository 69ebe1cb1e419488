"""`svbot serve` start-up, Socket Mode dispatch, and Block Kit limits."""

from __future__ import annotations

import json

import pytest
from harness import BOT_TOKEN, payload
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.config import Settings
from bot.slack import blocks as bk
from bot.slack.serve import ConfigError, check_settings, run


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_missing_credentials_are_named(env, named, capsys, tmp_path):
    settings = Settings.from_env({**env, "SVBOT_DB": str(tmp_path / "db.sqlite")})
    assert run(settings) == 1
    err = capsys.readouterr().err
    assert f"missing {named}" in err
    assert "xoxb-1" not in err


def test_wrong_kinds_of_token_are_explained():
    with pytest.raises(ConfigError, match="starting 'xoxb-'"):
        check_settings(Settings(bot_token="xapp-oops", signing_secret="s"))
    with pytest.raises(ConfigError, match="starting 'xapp-'"):
        check_settings(Settings(bot_token="xoxb-1", app_token="xoxb-oops"))


def test_rejected_bot_token_gives_a_clear_error(fake, tmp_path, capsys):
    fake.fail_next("auth.test", error="invalid_auth")
    settings = Settings(
        db_path=tmp_path / "db",
        bot_token="xoxb-revoked-999",
        signing_secret="s",
        slack_api_url=fake.url,
        watch_knowledge=False,
    )
    assert run(settings) == 1
    err = capsys.readouterr().err
    assert "rejected SLACK_BOT_TOKEN (invalid_auth)" in err
    assert "xoxb-revoked-999" not in err


def test_rejected_app_token_in_socket_mode_gives_a_clear_error(fake, tmp_path, capsys):
    fake.fail_next("apps.connections.open", error="invalid_auth")
    settings = Settings(
        db_path=tmp_path / "db",
        bot_token=BOT_TOKEN,
        app_token="xapp-1-bad",
        slack_api_url=fake.url,
        watch_knowledge=False,
    )
    assert run(settings) == 1
    err = capsys.readouterr().err
    assert "rejected SLACK_APP_TOKEN (invalid_auth)" in err
    assert "xapp-1-bad" not in err


def test_socket_mode_envelope_goes_through_the_same_listeners(slack):
    envelope = payload("socket_mode_envelope_slash_command.json")
    envelope["payload"].update(
        command="/socialvalue",
        text="does the act apply to works contracts",
        response_url=slack.fake.response_url("sock"),
    )
    response = run_bolt_app(slack.app, SocketModeRequest.from_dict(envelope))
    assert response.status == 200
    slack.settle()
    answer = slack.fake.calls_to("response_url:sock")[0].args
    assert answer["response_type"] == "ephemeral" and "works" in json.dumps(answer).lower()


def test_socket_mode_retried_event_is_answered_once(slack):
    envelope = payload("socket_mode_envelope_events_api_retry.json")
    envelope["payload"]["event"] = dict(
        payload("event_callback_app_mention.json")["event"], text="<@W111> is consultation required?"
    )
    for _ in range(2):
        run_bolt_app(slack.app, SocketModeRequest.from_dict(envelope))
    slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_long_text_is_split_under_slack_limits():
    paragraph = "A fairly long sentence about social value & <procurement>. " * 40
    text = "\n\n".join([paragraph] * 20)
    sections = bk.sections(text)
    assert len(sections) > 1
    assert all(len(s["text"]["text"]) <= bk.MAX_TEXT for s in sections)
    assert "".join(s["text"]["text"] for s in sections).count("&") == text.count("&")
    many = bk.limit([bk.context("x")] * 80)
    assert len(many) == bk.MAX_BLOCKS and "trimmed" in many[-1]["elements"][0]["text"]


def test_button_values_and_labels_are_capped():
    element = bk.button("x" * 200, "a", {"v": "y" * 5000})
    assert len(element["text"]["text"]) <= bk.MAX_BUTTON_TEXT
    assert len(element["value"]) <= bk.MAX_VALUE


def test_weekly_digest_is_sent_to_every_admin(fake, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from bot.cli import cli

    monkeypatch.setenv("SVBOT_DB", str(tmp_path / "db.sqlite"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", fake.url)
    monkeypatch.setenv("SVBOT_ADMINS", "UADMIN1,UADMIN2")
    runner = CliRunner()
    runner.invoke(cli, ["ask", "what is the weather in leeds"])
    result = runner.invoke(cli, ["report", "--send-to-admins"])
    assert result.exit_code == 0, result.output
    posts = fake.calls_to("chat.postMessage")
    assert sorted(p.args["channel"] for p in posts) == ["UADMIN1", "UADMIN2"]
    assert "weather in leeds" in posts[0].args["text"]
    fake.fail_next("chat.postMessage", error="channel_not_found")
    assert runner.invoke(cli, ["report", "--send-to-admins"]).exit_code == 1
