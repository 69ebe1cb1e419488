"""Command words typed nearly right: the chat asks "did you mean ...?" and answers or logs nothing."""

from __future__ import annotations

import pytest

from bot.chat import Chat
from bot.command_words import near_command
from bot.core import Svbot

CHAT_WORDS = ("help", "answer", "export", "show", "list", "open", "steps", "status", "starts", "scope", "new")


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("anser", "answer"),  # a letter dropped
        ("chekclist", "checklist"),  # two letters swapped
        ("scopee", "scope"),  # a letter added
        ("shiw", "show"),  # a letter changed
        ("ANSER", "answer"),
        ("answer", None),  # the command itself
        ("how", None),  # too short to be taken for a slip ("show")
        ("stats", None),  # one edit from both "status" and "starts": no guess
        ("anwsre", None),  # two edits
    ],
)
def test_near_command(word: str, meant: str | None) -> None:
    assert near_command(word, (*CHAT_WORDS, "checklist")) == meant


def logged(app: Svbot) -> int:
    return app.store.db["questions"].count


def said_to(app: Svbot, line: str) -> str:
    said: list[str] = []
    lines = [line]
    Chat(app, "alice", read=lambda _: lines.pop(0) if lines else "quit", write=said.append).run()
    return "\n".join(said[1:])


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        ("anser scope", "Did you mean `answer scope`?"),
        ("shwo", "Did you mean `show`?"),
        ("scope now", "`scope` takes no more words: did you mean `scope`?"),
        ("help me", "`help` takes no more words: did you mean `help`?"),
    ],
)
def test_a_slip_is_asked_about_not_answered_or_logged(shared_app: Svbot, line: str, reply: str) -> None:
    shared_app.store.set_person_name("alice", "Alice Khan")
    before = logged(shared_app)
    text = said_to(shared_app, line)
    assert text.startswith(reply), text
    assert 'end a question with "?"' in text
    assert "not sure" not in text and "closest topics" not in text.lower()
    assert logged(shared_app) == before, "a slip is no unanswered question"


@pytest.mark.parametrize(
    "line",
    [
        "help me with thresholds",  # a question that starts with a command word
        "scope of the act",
        "show thresholds",  # a command word with one word a topic answers
        "anser scope?",  # a question mark makes any line a question
        "list of frameworks for social value",  # more than one stray word: a question, even unanswered
    ],
)
def test_questions_that_start_like_commands_are_still_questions(shared_app: Svbot, line: str) -> None:
    shared_app.store.set_person_name("alice", "Alice Khan")
    before = logged(shared_app)
    text = said_to(shared_app, line)
    assert "Did you mean `" not in text and "takes no more words" not in text, text
    assert logged(shared_app) == before + 1
