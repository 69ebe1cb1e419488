"""Command words typed nearly right: the chat asks "did you mean ...?" and answers or logs nothing."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import OSA

from bot.chat import Chat
from bot.command_words import is_english_word, near_command
from bot.core import Svbot
from bot.matching.matcher import Matcher

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


# An English word one edit from each command word that has one (the chat's and the Slack command's).
ENGLISH_NEIGHBOURS = {
    "expert": "export", "shoe": "show", "shop": "show", "quite": "quit", "quiet": "quit", "held": "help",
    "move": "more", "lost": "list", "oven": "open", "stops": "steps", "answers": "answer", "disputed": "dispute",
    "resolved": "resolve", "withdrew": "withdraw", "stars": "starts", "same": "name", "slope": "scope",
    "exist": "exit", "reports": "report", "admit": "admin", "checklists": "checklist", "cancer": "cancel",
}  # fmt: skip
ALL_WORDS = (*CHAT_WORDS, "checklist", "more", "dispute", "resolve", "withdraw", "name", "quit", "exit", "report",
             "admin", "cancel")  # fmt: skip


@pytest.mark.parametrize(("word", "near"), ENGLISH_NEIGHBOURS.items())
def test_an_english_word_near_a_command_word_is_no_slip(matcher: Matcher, word: str, near: str) -> None:
    pytest.importorskip("spellchecker")
    assert OSA.distance(word, near) == 1, "the case is one edit from a command word"
    assert near_command(word, ALL_WORDS, matcher.knows) is None
    assert near_command(word.capitalize(), ALL_WORDS, matcher.knows) is None


# Words in the dictionary only as rare entries, which the knowledge base never uses: slips, not questions.
@pytest.mark.parametrize(("word", "meant"), [("scop", "scope"), ("Scop", "scope"), ("stets", "steps")])
def test_a_rare_dictionary_word_the_knowledge_never_uses_is_a_slip(matcher: Matcher, word: str, meant: str) -> None:
    pytest.importorskip("spellchecker")
    assert is_english_word(word) is False and near_command(word, ALL_WORDS, matcher.knows) == meant


def test_a_rare_dictionary_word_the_knowledge_uses_is_a_word(matcher: Matcher) -> None:
    # "checklists" is rare in the dictionary's corpus but the knowledge base uses it: a question.
    pytest.importorskip("spellchecker")
    assert near_command("checklists", ALL_WORDS) == "checklist"  # without the knowledge, a slip
    assert near_command("checklists", ALL_WORDS, matcher.knows) is None


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
        ("scop", "Did you mean `scope`?"),  # "scop" is a dictionary word, but a rare one the knowledge never uses
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


@pytest.mark.parametrize("line", ["expert advice", "shoe", "quite", "stops"])
def test_a_line_starting_with_an_english_word_near_a_command_is_a_question(shared_app: Svbot, line: str) -> None:
    # "expert advice" is a question about expert advice, not `export advice` typed wrong.
    pytest.importorskip("spellchecker")
    shared_app.store.set_person_name("alice", "Alice Khan")
    before = logged(shared_app)
    text = said_to(shared_app, line)
    assert "Did you mean `" not in text and "takes no more words" not in text, text
    assert logged(shared_app) == before + 1, "asked of the matcher, and logged like any question"
