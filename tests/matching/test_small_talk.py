"""Greetings and thanks get a short friendly reply saying what svbot does, not "outside what I cover"."""

from __future__ import annotations

import json

import pytest

from bot.chat import Chat
from bot.core import Svbot
from bot.matching.matcher import Matcher


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hello", "greeting"),
        ("Hi there!", "greeting"),
        ("good morning svbot", "greeting"),
        ("thanks", "thanks"),
        ("Cheers!", "thanks"),
        ("thank you so much", "thanks"),
        ("thanks for the help", "thanks"),
        ("hi, thanks!", "thanks"),
        ("test", "about_svbot"),
        ("who built you?", "about_svbot"),
        ("<@U0123ABC> are you a real person?", "about_svbot"),
        ("hi, who are you?", "greeting"),
    ],
)
def test_greetings_and_thanks_are_small_talk(matcher: Matcher, message: str, kind: str) -> None:
    answer = matcher.ask(message)
    assert answer.small_talk == kind
    assert answer.replied and not answer.off_topic and not answer.answered


@pytest.mark.parametrize(
    "message",
    [
        "hello, does the social value act apply to goods?",
        "thanks - and what about wales?",
        "cheers, how do I book annual leave",
    ],
)
def test_a_question_with_a_greeting_is_still_a_question(matcher: Matcher, message: str) -> None:
    assert matcher.ask(message).small_talk is None


def test_a_greeting_does_not_hide_a_definition(matcher: Matcher) -> None:
    answer = matcher.ask("hi, what's a VCSE?")
    assert answer.small_talk is None
    assert answer.definition is not None and answer.definition.term == "VCSE"


def test_ask_replies_to_a_greeting_with_what_svbot_does(run) -> None:
    out = run("ask", "--no-log", "hello").stdout
    assert "outside what I cover" not in out
    assert "I answer questions on social value" in out and "Ask in your own words" in out
    thanks = run("ask", "--no-log", "cheers").stdout
    assert thanks.startswith("You're welcome") and "outside" not in thanks


def test_a_question_about_svbot_gets_what_it_does_without_a_hello(run) -> None:
    out = run("ask", "--no-log", "who are you?").stdout
    assert out.startswith("I'm svbot: I answer questions on social value") and "outside" not in out


def test_ask_json_marks_small_talk(run) -> None:
    data = json.loads(run("ask", "--json", "--no-log", "thanks").stdout)
    assert data["small_talk"] == "thanks" and data["answered"] is True and "outside" not in data


def test_small_talk_is_not_logged_as_a_gap(app: Svbot) -> None:
    app.ask("hello", source="cli")
    (row,) = app.store.db["questions"].rows
    assert row["answered"] in (1, True)


def test_chat_greets_back_and_mentions_help(app: Svbot) -> None:
    out: list[str] = []
    session = Chat(app, "tester", write=out.append)
    session.handle("hello")
    session.handle("thanks")
    text = "\n".join(out)
    assert "type `help` for the checklist commands" in text
    assert "You're welcome" in text and "outside what I cover" not in text
