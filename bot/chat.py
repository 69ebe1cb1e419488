"""``svbot chat``: the same bot in a terminal, no Slack needed.

Plain text is a question. Words at the start of a line are commands (see
``help``): start a checklist, answer its steps with reasons, see why reasons
were refused, revise, show and export the record.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.checklist.service import ChecklistError
from bot.core import Snapshot, Svbot
from bot.matching.matcher import Answer
from bot.nations import answer_context

QUIT = {"quit", "exit", "bye", "q", ":q"}


class Chat:
    def __init__(
        self,
        app: Svbot,
        user: str,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
        nation: str | None = None,
    ):
        self.app = app
        self.user = user
        self.nation = nation
        # Follow-ups ("what about wales?") are read against this session's last answers.
        self.conversation = f"chat:{id(self)}"
        self.read = read
        self.write = write
        self.current: str | None = None
        self.last: Answer | None = None

    def say(self, template: str, **context: object) -> None:
        self.write(self.app.renderer.render(template, **context))

    def run(self) -> None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history where available)
        self.say("chat/welcome.txt.j2", user=self.user, entries=len(self.app.snapshot().kb.entries))
        while True:
            try:
                line = self.read(self._prompt()).strip()
            except (EOFError, KeyboardInterrupt):
                self.write("")
                break
            if not line:
                continue
            if line.lower() in QUIT:
                break
            try:
                self.handle(line)
            except ChecklistError as exc:
                self.write(f"Sorry: {exc}")
        self.say("chat/goodbye.txt.j2")

    def _prompt(self) -> str:
        return f"svbot [{self.current}]> " if self.current else "svbot> "

    def handle(self, line: str) -> None:
        """Run one line: a command if it starts with one, otherwise a question."""
        word, _, rest = line.partition(" ")
        command = getattr(self, f"cmd_{word.lower().replace('-', '_')}", None)
        if command is not None and not line.endswith("?"):
            command(rest.strip())
        elif word.isdigit() and self.last and self.last.matches:
            self.cmd_topic(word)
        else:
            self.ask(line)

    # Questions ---------------------------------------------------------------

    def ask(self, question: str) -> None:
        snap = self.app.snapshot()
        self.last = self.app.ask(
            question, source="chat", user=self.user, snap=snap, nation=self.nation, conversation=self.conversation
        )
        self._show_answer(self.last, full=False, snap=snap)

    def _show_answer(self, answer: Answer, full: bool, snap: Snapshot | None = None) -> None:
        snap = snap or self.app.snapshot()
        self.say("chat/answer.txt.j2", answer=answer, full=full, **answer_context(snap, answer))

    def cmd_help(self, _: str) -> None:
        self.say("chat/help.txt.j2")

    def cmd_more(self, _: str) -> None:
        if self.last and self.last.answered:
            self._show_answer(self.last, full=True)
        else:
            self.write("Ask a question first; `more` then shows the whole entry.")

    def cmd_topic(self, arg: str) -> None:
        """Answer one of the topics offered in the last reply, by number or id."""
        matches = self.last.matches if self.last else []
        chosen = None
        if arg.isdigit() and 1 <= int(arg) <= len(matches):
            chosen = matches[int(arg) - 1].entry
        else:
            chosen = self.app.snapshot().kb.get(arg)
        if chosen is None:
            self.write("Give the number of a topic from the last answer, or an entry id.")
            return
        self.last = replace(Answer.for_entry(chosen), nation=self.nation or self.app.nation)
        self.app.conversations.remember(self.conversation, chosen.title, chosen.id)
        self._show_answer(self.last, full=False)

    # Checklists -------------------------------------------------------------

    def cmd_new(self, title: str) -> None:
        if not title:
            self.write("Give the procurement a title, e.g.: new Home care framework 2027")
            return
        self.current = self.app.checklists.new(title, self.user)
        self.say("chat/started.txt.j2", id=self.current, title=title, steps=self.app.checklists.steps)

    def cmd_list(self, _: str) -> None:
        self.say("checklist/list.txt.j2", checklists=self.app.checklists.all())

    def cmd_open(self, checklist_id: str) -> None:
        record = self.app.checklists.record(checklist_id.strip())
        self.current = record["id"]
        self.say("chat/status.txt.j2", record=record)

    def _require_current(self) -> str | None:
        if self.current is None:
            self.write("No checklist open. Start one with `new TITLE` or open one with `open ID` (see `list`).")
        return self.current

    def cmd_steps(self, _: str) -> None:
        if checklist_id := self._require_current():
            self.say("chat/status.txt.j2", record=self.app.checklists.record(checklist_id))

    cmd_status = cmd_steps

    def cmd_show(self, _: str) -> None:
        if checklist_id := self._require_current():
            self.say("checklist/show.txt.j2", record=self.app.checklists.record(checklist_id))

    def cmd_export(self, arg: str) -> None:
        checklist_id = self._require_current()
        if not checklist_id:
            return
        parts = shlex.split(arg) if arg else []
        fmt = parts[0] if parts else "md"
        text = self.app.checklists.export(checklist_id, fmt)
        if len(parts) > 1:
            Path(parts[1]).write_text(text, encoding="utf-8")
            self.write(f"Wrote the decision record to {parts[1]}.")
        else:
            self.write(text)

    def cmd_decision_maker(self, user: str) -> None:
        checklist_id = self._require_current()
        if checklist_id and user:
            self.app.checklists.name_decision_maker(checklist_id, user, self.user)
            self.write(f"{user} can now sign off the decision step.")

    def cmd_answer(self, arg: str) -> None:
        """Walk through one step: pick an option, give reasons, retry if refused."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step_id = arg.split()[0] if arg else (self.app.checklists.open_steps(checklist_id) or [""])[0]
        if not step_id:
            self.write("Every step has an answer. Revise one with `answer STEP`.")
            return
        step = self.app.checklists.step(step_id)
        current = self.app.store.current_answers(checklist_id).get(step.id)
        self.say("chat/step.txt.j2", step=step, current=current)
        choice = self.read("Option number (blank to cancel): ").strip()
        if not choice:
            return
        if not choice.isdigit() or not 1 <= int(choice) <= len(step.options):
            self.write(f"Choose a number from 1 to {len(step.options)}.")
            return
        option = step.options[int(choice) - 1]
        while True:
            reasons = self.read("Reasons (specific to this procurement): ").strip()
            if not reasons:
                self.write("Cancelled; nothing recorded.")
                return
            outcome = self.app.checklists.answer(checklist_id, step.id, option.id, reasons, self.user)
            if outcome.accepted:
                self.say(
                    "checklist/accepted.txt.j2",
                    step=step,
                    label=option.label,
                    complete=outcome.complete,
                    revision=outcome.answer.supersedes is not None,
                    open_steps=self.app.checklists.open_steps(checklist_id),
                )
                return
            self.say("checklist/refusal.txt.j2", step=step, problems=outcome.problems, pointers=outcome.cites)
            self.write("Try again with more specific reasons, or press Enter to stop.")
