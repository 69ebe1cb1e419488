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

from bot.checklist.service import ChecklistError, parse_date
from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS
from bot.core import Snapshot, Svbot
from bot.matching.matcher import Answer
from bot.nations import answer_context

QUIT = {"quit", "exit", "bye", "q", ":q"}
NEW_OPTIONS = {"reference", "value", "buying", "decision-maker", "role", "starts", "start-event"}
MAX_NAME = 120


def _split_options(arg: str, known: set[str]) -> tuple[str, dict[str, str]]:
    """Split "Some words --name value ..." into the words and the options (ValueError if malformed)."""
    words = shlex.split(arg)
    rest: list[str] = []
    options: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--"):
            name = word[2:]
            if name not in known:
                raise ValueError(f"unknown option {word}; use {', '.join('--' + k for k in sorted(known))}")
            if i + 1 >= len(words):
                raise ValueError(f"{word} needs a value")
            options[name] = words[i + 1]
            i += 2
        else:
            rest.append(word)
            i += 1
    return " ".join(rest), options


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

    def cmd_new(self, arg: str) -> None:
        """``new TITLE [--reference R] [--value V] [--buying B] [--decision-maker NAME] [--role ROLE] ...``"""
        try:
            title, options = _split_options(arg, NEW_OPTIONS)
        except ValueError as exc:
            self.write(f'Sorry: {exc}. For example: new Home care 2027 --value "£14m over 4 years" --reference HC-27')
            return
        if not title:
            self.write("Give the procurement a title, e.g.: new Home care framework 2027")
            return
        if not self._ensure_name():
            return
        self.current = self.app.checklists.new(
            title,
            self.user,
            reference=options.get("reference"),
            value=options.get("value"),
            buying=options.get("buying"),
            decision_maker=options.get("decision-maker"),
            decision_maker_role=options.get("role"),
            starts_on=options.get("starts"),
            start_event=options.get("start-event"),
        )
        self.say("chat/started.txt.j2", id=self.current, title=title, steps=self.app.checklists.steps)

    def _ensure_name(self) -> bool:
        """Ask once for the person's real name: records show names, not login ids."""
        if self.app.store.person_name(self.user):
            return True
        name = " ".join(self.read("Your name, as it should appear on decision records (e.g. Jo Bloggs): ").split())
        if not name:
            self.write("Cancelled: decision records need your name. Set it any time with `name YOUR NAME`.")
            return False
        self.app.store.set_person_name(self.user, name[:MAX_NAME])
        return True

    def cmd_name(self, arg: str) -> None:
        name = " ".join(arg.split())
        if not name:
            known = self.app.store.person_name(self.user)
            self.write(f"Records show you as {known}." if known else "Give your name, e.g.: name Jo Bloggs")
            return
        self.app.store.set_person_name(self.user, name[:MAX_NAME])
        self.write(f"Records will show you as {name[:MAX_NAME]}.")

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

    def cmd_decision_maker(self, arg: str) -> None:
        """``decision-maker NAME [--role ROLE]``"""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        try:
            user, options = _split_options(arg, {"role"})
        except ValueError as exc:
            self.write(f"Sorry: {exc}.")
            return
        if not user:
            self.write('Name the decision maker, e.g.: decision-maker Jo Bloggs --role "Director of Adult Care"')
            return
        self.app.checklists.name_decision_maker(checklist_id, user, self.user, role=options.get("role"))
        self.write(f"{user} can now sign off the decision step and resolve disputes.")

    def cmd_dispute(self, arg: str) -> None:
        """``dispute STEP [NOTE]``: record the step's refused answer as disputed."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step_id, _, note = arg.partition(" ")
        answer = self.app.checklists.latest_answer(checklist_id, step_id) if step_id else None
        if answer is None:
            self.write("Give the step whose refused answer you dispute, e.g.: dispute outcomes")
            return
        self._dispute(checklist_id, answer.id, note)

    def _dispute(self, checklist_id: str, answer_id: int, note: str) -> None:
        if not self._ensure_name():
            return
        note = note.strip() or self.read("Why do you disagree with the checker? ").strip()
        if not note:
            self.write("Cancelled; nothing recorded.")
            return
        answer = self.app.checklists.dispute(checklist_id, answer_id, note, self.user)
        checklist = self.app.store.get_checklist(checklist_id) or {}
        self.say(
            "checklist/disputed.txt.j2",
            answer=answer,
            decider=self.app.checklists.decider(checklist),
            how=f"resolve {answer.step}",
        )

    def cmd_resolve(self, arg: str) -> None:
        """``resolve STEP [NOTE]``: the decision maker accepts a disputed answer over the checker's objection."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step_id, _, note = arg.partition(" ")
        current = self.app.store.current_answers(checklist_id).get(step_id) if step_id else None
        if current is None:
            self.write("Give the disputed step to accept, e.g.: resolve outcomes")
            return
        if not self._ensure_name():
            return
        note = note.strip() or self.read("Your note: why accept it over the checker's objection? ").strip()
        if not note:
            self.write("Cancelled; nothing recorded.")
            return
        answer = self.app.checklists.resolve_dispute(checklist_id, current.id, note, self.user)
        self.say("checklist/disputed.txt.j2", answer=answer, decider="", how="")

    def cmd_withdraw(self, reason: str) -> None:
        checklist_id = self._require_current()
        if not checklist_id:
            return
        if not reason.strip():
            self.write("Say why, e.g.: withdraw started twice by mistake; see checklist 1a2b3c4d")
            return
        self.app.checklists.withdraw(checklist_id, reason, self.user)
        self.write("Withdrawn. It is kept, read-only, and left out of the report's figures.")

    def cmd_starts(self, arg: str) -> None:
        """``starts DATE [EVENT]``: when the procurement starts or started."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        date, _, event = arg.partition(" ")
        self.app.checklists.set_start(checklist_id, date, event.strip() or None, self.user)
        self.write(f"Recorded: the procurement starts on {date}.")

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
        refused: int | None = None
        revisit = None
        if step.sign_off and option.id in SIGN_OFF_DECISIONS:
            self.app.checklists.check_sign_off(checklist_id, self.user)
        if step.sign_off and option.id == DEFER_DECISION:
            revisit = parse_date(self.read("Revisit on which date (YYYY-MM-DD)? "), "the revisit date")
        if not self._ensure_name():
            return
        while True:
            reasons = self.read("Reasons (specific to this procurement): ").strip()
            if not reasons:
                self.write("Cancelled; nothing recorded.")
                return
            if reasons.lower() == "dispute" and refused is not None:
                self._dispute(checklist_id, refused, "")
                return
            outcome = self.app.checklists.answer(
                checklist_id, step.id, option.id, reasons, self.user, revisit_on=revisit
            )
            self.write(self.app.checklists.describe(outcome))
            if outcome.accepted:
                return
            refused = outcome.answer.id
            self.write(
                "Try again with more specific reasons, type `dispute` to record this answer as disputed, "
                "or press Enter to stop."
            )
