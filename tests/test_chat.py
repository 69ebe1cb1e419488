"""The terminal chat, driven with scripted input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples import GOOD, TICK_BOX

from bot.chat import Chat
from bot.core import Svbot


class Script:
    """Feeds lines to the chat and keeps everything it says and every prompt it shows."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def read(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def write(self, text: str) -> None:
        self.said.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.said)


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    """Each conversation keeps to its own checklists and user, so the module shares one app."""
    return shared_app


def chat(app: Svbot, lines: list[str], user: str = "alice") -> tuple[Chat, Script]:
    script = Script(lines)
    session = Chat(app, user, read=script.read, write=script.write)
    session.run()
    return session, script


def test_whole_conversation(app: Svbot) -> None:
    decision_number = "1"  # outcomes-identified
    session, script = chat(
        app,
        [
            "can we reserve a contract for a public service mutual",
            "more",
            "new Meals on wheels, Kirklees 2027",
            "answer outcomes",
            decision_number,
            TICK_BOX,
            GOOD["outcomes"][1],
            "show",
            "export json",
            "quit",
        ],
    )
    said = script.said
    assert said[0].startswith("svbot: social value in public procurement")
    assert "Hello alice" in said[0]

    answer = said[1]
    entry = app.knowledge.kb.get("legal.reserved-contracts")
    assert answer.startswith(entry.title)
    assert "(`more` for the whole entry)" in answer
    more = said[2]
    assert entry.body.splitlines()[0] in more
    assert "(`more` for the whole entry)" not in more

    checklist_id = session.current
    assert checklist_id is not None
    assert said[3].startswith(f"Started checklist {checklist_id}: Meals on wheels, Kirklees 2027")
    assert f"svbot [{checklist_id}]> " in script.prompts

    step = app.checklists.step("outcomes")
    assert said[4].startswith(step.title)
    label = step.options[0].label
    assert f"1. {label}" in said[4]
    assert said[5].startswith("Not recorded as an answer yet")
    assert "Try again" in said[6]
    assert said[7].startswith(f"Recorded: {step.title} -> {label}")

    show = said[8]
    assert "History (2 answers)" in show
    assert "outcomes=outcomes-identified by alice: refused" in show
    assert "outcomes=outcomes-identified by alice: accepted" in show

    record = json.loads(said[9])
    assert record["id"] == checklist_id
    assert [h["accepted"] for h in record["history"]] == [False, True]
    assert record["steps"][1]["reasons"] == GOOD["outcomes"][1]

    assert said[-1].startswith("Goodbye.")
    assert len(said) == 11
    # Every prompt for reasons said what is wanted.
    assert script.prompts.count("Reasons (specific to this procurement): ") == 2


def test_questions_are_logged(app: Svbot) -> None:
    chat(app, ["where do I claim my mileage", "bye"], user="logger")
    [row] = [r for r in app.store.unanswered_questions() if r["user"] == "logger"]
    assert row["text"] == "where do I claim my mileage"
    assert row["source"] == "chat"


def test_unsure_answer_offers_numbered_topics(app: Svbot) -> None:
    _, script = chat(app, ["can we still do the social value consideration after the itt went out", "2", "q"])
    unsure = script.said[1]
    assert unsure.startswith("I'm not sure I have an answer to that.")
    assert "  2. " in unsure
    second_title = unsure.split("  2. ", 1)[1].splitlines()[0]
    assert script.said[2].startswith(second_title)


def test_answer_flow_edge_cases(app: Svbot) -> None:
    session, script = chat(
        app,
        [
            "answer",  # no checklist yet
            "new Libraries cleaning",
            "answer",  # the next open step is scope
            "9",  # not an option
            "answer scope",
            "",  # blank option cancels
            "answer scope",
            "1",
            "",  # blank reasons cancel
            "answer living-wage",  # unknown step
            "steps",
            "quit",
        ],
    )
    text = script.text
    assert "No checklist open." in text
    assert app.checklists.step("scope").title in script.said[2]
    assert f"Choose a number from 1 to {len(app.checklists.step('scope').options)}." in text
    assert "Cancelled; nothing recorded." in text
    assert "Sorry: there is no step 'living-wage'" in text
    assert "7 step(s) open" in script.said[-2]
    assert app.store.answers(session.current) == []


def test_sign_off_is_refused_politely(app: Svbot) -> None:
    checklist_id = app.checklists.new("Home care", "alice")
    _, script = chat(app, [f"open {checklist_id}", "answer decision", "1", GOOD["decision"][1]], user="mallory")
    assert "Sorry: Only the person who started this checklist (alice)" in script.text
    assert app.store.answers(checklist_id) == []


def test_complete_checklist_and_export_to_file(app: Svbot, tmp_path: Path) -> None:
    target = tmp_path / "record.md"
    lines = ["new Meals on wheels"]
    for step in app.checklists.steps:
        decision, reasons = GOOD[step.id]
        number = [o.id for o in step.options].index(decision) + 1
        lines += [f"answer {step.id}", str(number), reasons]
    lines += [f"export md {target}", "list", "quit"]
    session, script = chat(app, lines)
    assert "the checklist is complete" in script.text
    assert f"Wrote the decision record to {target}." in script.text
    record = target.read_text(encoding="utf-8")
    assert record.startswith("# Social value decision record: Meals on wheels")
    assert "Complete: every step has an accepted answer" in record
    [listed] = [line for line in script.said[-2].splitlines() if line.startswith(session.current)]
    assert "complete" in listed and "7/7" in listed


def test_commands_with_question_marks_are_questions(app: Svbot) -> None:
    _, script = chat(app, ["list?", "help"])
    assert "No checklists yet" not in script.said[1]
    assert "new TITLE" in script.said[2]


@pytest.mark.parametrize("ending", [[], ["exit"], ["QUIT"]])
def test_leaves_cleanly(app: Svbot, ending: list[str]) -> None:
    _, script = chat(app, ending)
    assert script.said[-1].startswith("Goodbye.")
