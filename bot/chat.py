"""``svbot chat``: the same bot in a terminal, no Slack needed.

Plain text is a question. Words at the start of a line are commands (see
``help``): start a checklist, answer its steps with reasons, see why reasons
were refused, revise, show and export the record.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable
from pathlib import Path

from bot.checklist.service import ChecklistError, parse_date
from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS
from bot.core import Svbot
from bot.matching.matcher import Answer

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
    ):
        self.app = app
        self.user = user
        self.read = read
        self.write = write
        self.current: str | None = None
        self.last: Answer | None = None

    def say(self, template: str, **context: object) -> None:
        self.write(self.app.renderer.render(template, **context))

    def run(self) -> None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history where available)
        self.say("chat/welcome.txt.j2", user=self.user, entries=len(self.app.knowledge.kb.entries))
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
        self.last = self.app.ask(question, source="chat", user=self.user)
        self._show_answer(self.last, full=False)

    def _show_answer(self, answer: Answer, full: bool) -> None:
        kb = self.app.knowledge.kb
        related = [e for e in (kb.get(i) for i in answer.best.entry.related) if e][:4] if answer.answered else []
        self.say("chat/answer.txt.j2", answer=answer, related=related, full=full)

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
            chosen = self.app.knowledge.kb.get(arg)
        if chosen is None:
            self.write("Give the number of a topic from the last answer, or an entry id.")
            return
        self.last = Answer.for_entry(chosen)
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
        self.say("checklist/list.txt.j2", checklists=self.app.checklists.list())

    def cmd_open(self, checklist_id: str) -> None:
        record = self.app.checklists.record(checklist_id.strip())
        self.current = record["id"]
        self.say("chat/status.txt.j2", record=record)

    def _require_current(self) -> str | None:
        if self.current is None:
            self.write("No checklist open. Start one with `new TITLE` or open one with `open ID` (see `list`).")
        return self.current

    def cmd_steps(self, _: str) -> None:
        if self._require_current():
            self.say("chat/status.txt.j2", record=self.app.checklists.record(self.current))

    cmd_status = cmd_steps

    def cmd_show(self, _: str) -> None:
        if self._require_current():
            self.say("checklist/show.txt.j2", record=self.app.checklists.record(self.current))

    def cmd_export(self, arg: str) -> None:
        if not self._require_current():
            return
        parts = shlex.split(arg) if arg else []
        fmt = parts[0] if parts else "md"
        text = self.app.checklists.export(self.current, fmt)
        if len(parts) > 1:
            Path(parts[1]).write_text(text, encoding="utf-8")
            self.write(f"Wrote the decision record to {parts[1]}.")
        else:
            self.write(text)

    def cmd_decision_maker(self, arg: str) -> None:
        """``decision-maker NAME [--role ROLE]``"""
        if not self._require_current():
            return
        try:
            user, options = _split_options(arg, {"role"})
        except ValueError as exc:
            self.write(f"Sorry: {exc}.")
            return
        if not user:
            self.write('Name the decision maker, e.g.: decision-maker Jo Bloggs --role "Director of Adult Care"')
            return
        self.app.checklists.name_decision_maker(self.current, user, self.user, role=options.get("role"))
        self.write(f"{user} can now sign off the decision step and resolve disputes.")

    def cmd_dispute(self, arg: str) -> None:
        """``dispute STEP [NOTE]``: record the step's refused answer as disputed."""
        if not self._require_current():
            return
        step_id, _, note = arg.partition(" ")
        answer = self.app.checklists.latest_answer(self.current, step_id) if step_id else None
        if answer is None:
            self.write("Give the step whose refused answer you dispute, e.g.: dispute outcomes")
            return
        self._dispute(answer.id, note)

    def _dispute(self, answer_id: int, note: str) -> None:
        if not self._ensure_name():
            return
        note = note.strip() or self.read("Why do you disagree with the checker? ").strip()
        if not note:
            self.write("Cancelled; nothing recorded.")
            return
        answer = self.app.checklists.dispute(self.current, answer_id, note, self.user)
        checklist = self.app.store.get_checklist(self.current) or {}
        self.say(
            "checklist/disputed.txt.j2",
            answer=answer,
            decider=self.app.checklists.decider(checklist),
            how=f"resolve {answer.step}",
        )

    def cmd_resolve(self, arg: str) -> None:
        """``resolve STEP [NOTE]``: the decision maker accepts a disputed answer over the checker's objection."""
        if not self._require_current():
            return
        step_id, _, note = arg.partition(" ")
        current = self.app.store.current_answers(self.current).get(step_id) if step_id else None
        if current is None:
            self.write("Give the disputed step to accept, e.g.: resolve outcomes")
            return
        if not self._ensure_name():
            return
        note = note.strip() or self.read("Your note: why accept it over the checker's objection? ").strip()
        if not note:
            self.write("Cancelled; nothing recorded.")
            return
        answer = self.app.checklists.resolve_dispute(self.current, current.id, note, self.user)
        self.say("checklist/disputed.txt.j2", answer=answer, decider="", how="")

    def cmd_withdraw(self, reason: str) -> None:
        if not self._require_current():
            return
        if not reason.strip():
            self.write("Say why, e.g.: withdraw started twice by mistake; see checklist 1a2b3c4d")
            return
        self.app.checklists.withdraw(self.current, reason, self.user)
        self.write("Withdrawn. It is kept, read-only, and left out of the report's figures.")

    def cmd_starts(self, arg: str) -> None:
        """``starts DATE [EVENT]``: when the procurement starts or started."""
        if not self._require_current():
            return
        date, _, event = arg.partition(" ")
        self.app.checklists.set_start(self.current, date, event.strip() or None, self.user)
        self.write(f"Recorded: the procurement starts on {date}.")

    def cmd_answer(self, arg: str) -> None:
        """Walk through one step: pick an option, give reasons, retry if refused."""
        if not self._require_current():
            return
        step_id = arg.split()[0] if arg else (self.app.checklists.open_steps(self.current) or [""])[0]
        if not step_id:
            self.write("Every step has an answer. Revise one with `answer STEP`.")
            return
        step = self.app.checklists.step(step_id)
        current = self.app.store.current_answers(self.current).get(step.id)
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
            self.app.checklists.check_sign_off(self.current, self.user)
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
                self._dispute(refused, "")
                return
            outcome = self.app.checklists.answer(
                self.current, step.id, option.id, reasons, self.user, revisit_on=revisit
            )
            self.write(self.app.checklists.describe(outcome))
            if outcome.accepted:
                return
            refused = outcome.answer.id
            self.write(
                "Try again with more specific reasons, type `dispute` to record this answer as disputed, "
                "or press Enter to stop."
            )
