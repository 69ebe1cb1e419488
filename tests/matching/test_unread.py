"""Messages svbot cannot read as a question: a lone emoji, a question in another script, one in Welsh.

They get a reply saying what svbot reads (prompts/unread.txt.j2), not "outside what I cover"; a question
in another language is logged as unanswered and marked so, a message without words is not logged.
"""

from __future__ import annotations

import json

import pytest

from bot.core import Svbot
from bot.matching.language import unread
from bot.matching.matcher import Matcher
from bot.report import build_report

ARABIC = "ما هي القيمة الاجتماعية في المشتريات العامة؟"
WELSH = "Ydy Deddf Gwerth Cymdeithasol yn berthnasol i nwyddau?"


@pytest.mark.parametrize(
    ("message", "why"),
    [
        ("🙂", "no-words"),
        (":slightly_smiling_face:", "no-words"),  # how Slack sends an emoji
        ("👍 👍", "no-words"),
        ("?!", "no-words"),
        (ARABIC, "other-script"),
        ("Что такое социальная ценность?", "other-script"),
        ("社会价值是什么", "other-script"),
        ("Beth yw gwerth cymdeithasol?", "welsh"),
        (WELSH, "welsh"),
        ("does the Social Value Act apply to goods? 🙂", None),
        ("Llywodraeth Cymru guidance on caffael", None),  # a Welsh name in an English question
        ("what does Cymru's SPPP Act say", None),
        ("café social value", None),
        ("216000", None),
        ("<https://www.legislation.gov.uk/ukpga/2012/3/section/1>", None),  # a link: read as what it names
        ("", None),
    ],
)
def test_what_svbot_cannot_read(matcher: Matcher, message: str, why: str | None) -> None:
    assert matcher.unread(message) == why
    answer = matcher.ask(message)
    assert answer.unread == why
    if why:
        assert not answer.off_topic and answer.outside is None and answer.matches == []


def test_without_welsh_words_configured_welsh_is_not_told_apart() -> None:
    assert unread(WELSH) is None and unread(WELSH, ["ydy", "deddf", "gwerth", "cymdeithasol"]) == "welsh"


def test_the_cli_replies_and_logs_only_the_other_language(run) -> None:
    out = run("ask", "🙂").stdout
    assert "I didn't find any words to read there" in out and "outside what I cover" not in out
    assert 'for example "does the Social Value Act apply to goods?"' in out and "noted" not in out
    out = run("ask", ARABIC).stdout
    assert "I can only read and answer questions in English" in out and "I don't read Welsh either" in out
    assert "outside what I cover" not in out and "I've noted the question so an admin can see it" in out
    out = run("ask", WELSH).stdout
    assert out.startswith("That looks like Welsh") and "Social Partnership and Public Procurement" in out
    report = run("report", "--json")
    groups = json.loads(report.stdout)["questions"]["unanswered_groups"]
    assert {g["question"]: g.get("language") for g in groups} == {ARABIC: "other-script", WELSH: "welsh"}
    text = run("report").stdout
    assert f"{ARABIC} (not in English: not read)" in text and "(in Welsh: not read)" in text
    assert "🙂" not in text


def test_ask_json_says_why(run) -> None:
    data = json.loads(run("ask", "🙂", "--json", "--no-log").stdout)
    assert data == {"answered": False, "ambiguous": False, "matches": [], "unread": "no-words"}


def test_a_lone_emoji_is_not_a_follow_up(app: Svbot) -> None:
    first = app.answer("does the social value act apply to goods", conversation="c1")
    assert first.entry is not None
    emoji = app.answer("🙂", conversation="c1")
    assert emoji.unread == "no-words" and emoji.read_as is None
    assert app.conversations.last("c1").entry_id == first.entry.id  # the context is kept


def test_the_report_groups_other_scripts_apart_and_counts_them_unanswered(app: Svbot) -> None:
    for text in (ARABIC, ARABIC + " ", "what is TUPE"):
        app.ask_logged(text, source="cli")
    app.ask_logged("🙂", source="cli")
    report = build_report(app)
    assert report["questions"]["total"] == 3 and report["questions"]["unanswered"] == 3
    groups = report["questions"]["unanswered_groups"]
    assert [(g["count"], g.get("language")) for g in groups] == [(2, "other-script"), (1, None)]


def test_the_chat_replies_the_same_way(shared_app: Svbot) -> None:
    from test_chat import chat

    _, script = chat(shared_app, ["🙂", ARABIC, WELSH, "q"], user="unread")
    emoji, arabic, welsh = script.said[1:4]
    assert emoji.startswith("I didn't find any words to read there") and "type `help`" in emoji
    assert arabic.startswith("I can only read and answer questions in English") and "noted" in arabic
    assert welsh.startswith("That looks like Welsh")
    assert "outside what I cover" not in script.text
