"""/socialvalue with a command word typed nearly right, or with a stray word: asked about, never logged."""

from __future__ import annotations

import json

import pytest
from harness import all_text


def _reply(slack, name="r1") -> dict:
    slack.settle()
    calls = slack.fake.calls_to(f"response_url:{name}")
    assert calls, f"no response to {name}: {[c.method for c in slack.fake.calls]}"
    return calls[-1].args


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("chekclist Depot cleaning", "/socialvalue checklist Depot cleaning"),
        ("scpoe", "/socialvalue scope"),
        ("scop", "/socialvalue scope"),  # a rare dictionary word the knowledge never uses
    ],
)
def test_a_misspelt_command_word_is_asked_about_at_once(slack, text: str, meant: str) -> None:
    status, body = slack.command(text)
    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith(f"Did you mean `{meant}`?")
    slack.settle()
    assert slack.fake.calls_to("views.open") == [], "no form opened on a guess"
    assert slack.core.store.db["questions"].count == 0


def test_a_command_with_a_stray_word_nothing_answers_is_asked_about(slack) -> None:
    slack.command("scope now")
    reply = _reply(slack)
    assert reply["response_type"] == "ephemeral"
    assert all_text(reply["blocks"]).startswith("`/socialvalue scope` takes no more words")
    assert slack.core.store.db["questions"].count == 0, "not logged as unanswered"


def test_help_with_more_words_is_a_question_as_in_the_chat(slack) -> None:
    status, body = slack.command("help me with thresholds")
    assert status == 200 and not body.strip(), "acknowledged, answered after: not the help text"
    reply = _reply(slack)
    assert "Thresholds" in all_text(reply["blocks"])
    assert slack.core.store.db["questions"].count == 1


def test_a_misspelt_word_ending_in_a_question_mark_is_a_question(slack) -> None:
    slack.command("chekclist for depots?")
    _reply(slack)
    assert slack.core.store.db["questions"].count == 1


@pytest.mark.parametrize("text", ["reports", "admit it", "checklists for care homes", "checklists"])
def test_an_english_word_near_a_command_word_is_a_question(slack, text: str) -> None:
    # One edit from "report", "admin" and "checklist", but words: asked of the matcher, not "did you mean".
    pytest.importorskip("spellchecker")
    status, body = slack.command(text)
    assert status == 200 and not body.strip(), "acknowledged, answered after: no did-you-mean"
    reply = _reply(slack)
    assert "Did you mean `" not in all_text(reply["blocks"])
    assert slack.core.store.db["questions"].count == 1
