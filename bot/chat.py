"""``svbot chat``: the same bot in a terminal, no Slack needed.

A line is a command only when it *is* one: a command word followed by no more
words than that command takes (``help``, ``open ID``, ``export md FILE``).
Anything else, including "help me with thresholds", is a question, except a
slip (``bot.command_words``): "anser scope" or "scope now" is asked about
("did you mean ...?"), not answered or logged. Commands
live in one table, ``COMMANDS``; to add one, write a ``cmd_`` method, add a
row, and describe it in ``prompts/chat/help.txt.j2``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from bot.checklist.details import ChecklistDetails
from bot.checklist.formats import BINARY_FORMATS, EXPORT_FORMATS, export_format, record_file_name
from bot.checklist.service import ChecklistError, refusal_kind, revisit_date
from bot.checklist.states import DEFER_DECISION, SIGN_OFF_DECISIONS
from bot.command_words import heard, near_command, stray_word
from bot.core import Snapshot, Svbot
from bot.dates import DateError, parse_day
from bot.files import write_bytes
from bot.knowledge.schema import ChecklistStep, StepOption
from bot.matching.matcher import Answer
from bot.nations import answer_context
from bot.problems import Problem
from bot.scope import Procurement, ScopeResult
from bot.scope_check import ScopeDefaults, checklist_defaults, configured_defaults, scope_record
from bot.scope_followup import ScopeFollowUp, scope_read_as

log = logging.getLogger("svbot.chat")
NEW_OPTIONS = {"reference", "value", "buying", "decision-maker", "role", "starts", "start-event", "nation", "body"}
MAX_NAME = 120


@dataclass(frozen=True)
class Command:
    """One chat command: the words that call it and how many words may follow."""

    names: tuple[str, ...]
    method: str
    fewest: int = 0
    most: int | None = 0  # None: any text (a title)

    def fits(self, args: list[str]) -> bool:
        """Too many words means the line is a question that happens to start with this word."""
        return self.most is None or len(args) <= self.most


COMMANDS: tuple[Command, ...] = (
    Command(("help",), "cmd_help"),
    Command(("more",), "cmd_more"),
    Command(("new",), "cmd_new", fewest=1, most=None),
    Command(("list",), "cmd_list"),
    Command(("open",), "cmd_open", fewest=1, most=1),
    Command(("steps", "status"), "cmd_steps"),
    Command(("answer",), "cmd_answer", most=1),
    Command(("show",), "cmd_show"),
    Command(("export",), "cmd_export", most=2),
    # These take the rest of the line: a name and a role, a step and a note, a reason.
    Command(("decision-maker",), "cmd_decision_maker", fewest=1, most=None),
    Command(("dispute",), "cmd_dispute", fewest=1, most=None),
    Command(("resolve",), "cmd_resolve", fewest=1, most=None),
    Command(("withdraw",), "cmd_withdraw", most=None),
    Command(("starts",), "cmd_starts", fewest=1, most=2),
    Command(("name",), "cmd_name"),
    Command(("scope",), "cmd_scope"),
    Command(("quit", "exit", "bye", "q", ":q"), "cmd_quit"),
)
BY_NAME = {name: command for command in COMMANDS for name in command.names}
# At any question the chat asks, the words that leave the chat cancel the question instead (as a blank line does).
QUIT_WORDS = frozenset(name for command in COMMANDS if command.method == "cmd_quit" for name in command.names)
CANCEL_WORDS = QUIT_WORDS | {"cancel"}


class Cancelled(Exception):
    """The person typed a cancel word (``CANCEL_WORDS``) at a prompt: stop the command, record nothing."""

    def __init__(self, word: str):
        super().__init__(word)
        self.word = word


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
        # The scope finder's last check, whose sentence "=" quotes at the scope step.
        self.last_scope: tuple[Procurement, ScopeResult] | None = None
        self.done = False
        self.labels = app.renderer.strings("chat/labels.txt.j2")

    def say(self, template: str, **context: object) -> None:
        self.write(self.app.renderer.render(template, **context))

    def run(self) -> None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history where available)
        # Greet by the name the person gave, never by a login id ("Hello root" when input is piped).
        name = self.app.store.person_name(self.user)
        self.say("chat/welcome.txt.j2", person=name, entries=len(self.app.snapshot().kb.entries))
        while not self.done:
            try:
                line = self.read(self._prompt()).strip()
            except (EOFError, KeyboardInterrupt):
                self.write("")
                break
            if line:
                self.handle_safely(line)
        self.say("chat/goodbye.txt.j2")

    def handle_safely(self, line: str) -> None:
        """Run one line; whatever goes wrong, say so in one line and carry on: the chat never dies."""
        try:
            self.handle(line)
        except Cancelled as cancelled:
            self._cancelled(cancelled)
        except (ChecklistError, Problem) as exc:
            self.write(self.labels.sorry.format(problem=_sentence(exc)))
        except Exception as exc:  # a bug must not throw away the person's session
            log.exception("chat command failed: %s", line)
            self.write(self.labels.failed.format(kind=type(exc).__name__))

    def _cancelled(self, cancelled: Cancelled | None, refused: int = 0, current: object = None) -> None:
        """Say the question was cancelled (and what was kept); a quit word does not leave from inside a question."""
        word = cancelled.word if cancelled else None
        self.say("chat/cancelled.txt.j2", refused=refused, current=current, quit_word=word in QUIT_WORDS)

    def _prompt(self) -> str:
        return f"svbot [{self.current}]> " if self.current else "svbot> "

    def handle(self, line: str) -> None:
        """Run one line: a command if the whole line is one, otherwise a question."""
        parsed = self.parse(line)
        if parsed is not None:
            command, args = parsed
            if len(args) < command.fewest:
                self.say("chat/usage.txt.j2", command=command.names[0])
            else:
                getattr(self, command.method)(args)
        elif line.isdigit():
            self.cmd_topic(line)
        elif slip := self.slip(line):
            self.say("chat/typo.txt.j2", **slip)
        else:
            self.ask(line)

    def slip(self, line: str) -> dict[str, Any] | None:
        """What to ask about a line that is a command typed nearly right, not a question (None if it is one).

        "anser scope": a word one edit from a command word, with words that command takes.
        "scope now": a command word that takes no words, with one stray word no topic answers
        ("scope of the act" is a question). A line ending in "?" is always a question.
        """
        if line.endswith("?"):
            return None
        word, _, rest = line.strip().partition(" ")
        near = near_command(word, BY_NAME, self.app.snapshot().matcher.knows)
        if near is not None:
            return {"command": near, "rest": rest.strip(), "exact": False} if BY_NAME[near].fits(rest.split()) else None
        command = BY_NAME.get(word.lower())
        if command is None or command.most != 0 or not stray_word(rest):
            return None
        if heard(self.app.answer(line, nation=self._nation())):
            return None
        return {"command": word.lower(), "rest": rest.strip(), "exact": True}

    @staticmethod
    def parse(line: str) -> tuple[Command, list[str]] | None:
        """The command and its words, or None when the line is a question."""
        if line.endswith("?"):
            return None
        word, _, rest = line.partition(" ")
        command = BY_NAME.get(word.lower().replace("_", "-"))
        if command is None:
            return None
        if command.most is None:
            args = [rest.strip()] if rest.strip() else []
        else:
            try:
                args = shlex.split(rest)
            except ValueError:  # an unbalanced quote: take the words as typed
                args = rest.split()
        return (command, args) if command.fits(args) else None

    def ask_line(self, prompt: str) -> str | None:
        """Read one answer to a prompt; None when it is blank (or Ctrl-C, end of input).

        A cancel word (``quit``, ``cancel``...) raises ``Cancelled``: it is never taken as an answer,
        even where a blank line takes a default.
        """
        try:
            text = self.read(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            self.write("")
            return None
        if text.lower() in CANCEL_WORDS:
            raise Cancelled(text.lower())
        return text or None

    # Questions ---------------------------------------------------------------

    def ask(self, question: str) -> None:
        snap = self.app.snapshot()
        self.last = self.app.ask(
            question, source="chat", user=self.user, snap=snap, nation=self._nation(), conversation=self.conversation
        )
        if self.last.scope is not None:
            if self.last.scope.problem is not None:
                self.say("chat/scope_followup_problem.txt.j2", problem=self.last.scope.problem)
            else:
                self._show_scope(self.last.scope.now, snap, followup=self.last.scope)
            return
        self._show_answer(self.last, full=False, snap=snap)

    def _nation(self) -> str | None:
        """What answers lead with: the open checklist's nation (as in its Slack thread), else this chat's."""
        checklist = self.app.store.get_checklist(self.current) if self.current else None
        return (checklist or {}).get("nation") or self.nation

    def _show_answer(self, answer: Answer, full: bool, snap: Snapshot | None = None) -> None:
        snap = snap or self.app.snapshot()
        self.say("chat/answer.txt.j2", answer=answer, full=full, noted=True, **answer_context(snap, answer))

    def cmd_help(self, _: list[str]) -> None:
        self.say("chat/help.txt.j2")

    def cmd_quit(self, _: list[str]) -> None:
        self.done = True

    def cmd_more(self, _: list[str]) -> None:
        if self.last and self.last.answered:
            self._show_answer(self.last, full=True)
        else:
            self.say("chat/usage.txt.j2", command="more")

    def cmd_topic(self, number: str) -> None:
        """Answer one of the topics offered in the last reply."""
        matches = self.last.matches if self.last else []
        if not matches:
            self.say("chat/usage.txt.j2", command="number")
            return
        if not 1 <= int(number) <= len(matches):
            self.say("chat/usage.txt.j2", command="number", offered=len(matches))
            return
        chosen = matches[int(number) - 1].entry
        self.last = replace(Answer.for_entry(chosen), nation=self._nation() or self.app.nation)
        self.app.conversations.remember(self.conversation, chosen.title, chosen.id)
        self._show_answer(self.last, full=False)

    # Checklists -------------------------------------------------------------

    def cmd_new(self, args: list[str]) -> None:
        """``new TITLE [--reference R] [--value V] [--buying B] [--decision-maker NAME] [--role ROLE] ...``"""
        try:
            title, options = _split_options(args[0], NEW_OPTIONS)
        except ValueError as exc:
            self.write(self.labels.sorry.format(problem=_sentence(exc)))
            self.say("chat/usage.txt.j2", command="new")
            return
        if not title:
            self.say("chat/usage.txt.j2", command="new")
            return
        if options.get("decision-maker"):
            # Who decides is checked before the chat asks anything: a refusal after typing a name helps no one.
            self.app.checklists.person(options["decision-maker"])
        if not self._ensure_name():
            return
        configured = configured_defaults(self.app.settings)
        details = ChecklistDetails(
            title,
            reference=options.get("reference"),
            value=options.get("value"),
            buying=options.get("buying"),
            decision_maker=options.get("decision-maker"),
            decision_maker_role=options.get("role"),
            starts_on=options.get("starts"),
            start_event=options.get("start-event"),
            # The nation this chat was started with (--nation), else SVBOT_NATION; the body type SVBOT_BODY.
            nation=options.get("nation") or self.nation or configured.nation,
            body_type=options.get("body") or configured.body,
        )
        self.current = self.app.checklists.new(details, self.user)
        self.say("chat/started.txt.j2", record=self.app.checklists.record(self.current))

    def _ensure_name(self) -> bool:
        """Ask once for the person's real name: records show names, not login ids."""
        if self.app.store.person_name(self.user):
            return True
        try:
            name = " ".join((self.ask_line(self.labels.name_prompt) or "").split())[:MAX_NAME]
        except Cancelled:
            name = ""
        if not name:
            self.say("chat/usage.txt.j2", command="name")
            return False
        self.app.store.set_person_name(self.user, name)
        return True

    def cmd_name(self, _: list[str]) -> None:
        """Give (or change) the name the records show for you."""
        name = " ".join((self.ask_line(self.labels.name_prompt) or "").split())[:MAX_NAME]
        if name:
            self.app.store.set_person_name(self.user, name)
            self.write(self.labels.named.format(name=name))

    def cmd_list(self, _: list[str]) -> None:
        self.say("checklist/list.txt.j2", checklists=self.app.checklists.all())

    def cmd_open(self, args: list[str]) -> None:
        record = self.app.checklists.record(args[0])
        self.current = record["id"]
        self.say("chat/status.txt.j2", record=record)

    def _require_current(self) -> str | None:
        if self.current is None:
            self.say("chat/usage.txt.j2", command="no-checklist")
        return self.current

    def cmd_steps(self, _: list[str]) -> None:
        if checklist_id := self._require_current():
            self.say("chat/status.txt.j2", record=self.app.checklists.record(checklist_id))

    def cmd_show(self, _: list[str]) -> None:
        if checklist_id := self._require_current():
            self.say("checklist/show.txt.j2", record=self.app.checklists.record(checklist_id))

    def cmd_export(self, args: list[str]) -> None:
        """``export [FORMAT] [FILE]``; the format may also come from the file's extension."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        given, target = None, None
        if args and (args[0] in EXPORT_FORMATS or len(args) == 2):
            given, target = args[0], (args[1] if len(args) == 2 else None)
        elif args:
            target = args[0]
        # Refuses a file name svbot does not write (record.pdf), or one the format contradicts (md into x.docx).
        fmt = export_format(target, given, "md")
        name = record_file_name(checklist_id, fmt)
        if target is None and fmt in BINARY_FORMATS:
            self.say("chat/usage.txt.j2", command="export-file", format=fmt, example=name)
            return
        data = self.app.checklists.export_bytes(checklist_id, fmt)
        if target is None:
            self.write(data.decode("utf-8"))
            return
        path = write_bytes(target, data, name)
        self.write(self.labels.exported.format(path=path))

    def cmd_decision_maker(self, args: list[str]) -> None:
        """``decision-maker NAME [--role ROLE]``: the role is every word after ``--role``."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        try:
            user, options = _split_options(args[0], {"role"})
        except ValueError as exc:
            self.write(self.labels.sorry.format(problem=_sentence(exc)))
            return
        person = self.app.checklists.name_decision_maker(checklist_id, user, self.user, role=options.get("role"))
        name = self.app.store.person_name(person)
        if name:
            self.write(self.labels.decider_named.format(name=name, user=person))
        else:
            self.write(self.labels.decider_named_login.format(user=person))

    def cmd_dispute(self, args: list[str]) -> None:
        """``dispute STEP [NOTE]``: record the step's refused answer as disputed, with a note (asked if not given)."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step, _, note = args[0].partition(" ")
        if self._a_question("dispute", step, note, args[0]):
            return
        answer = self.app.checklists.latest_answer(checklist_id, step)
        if answer is None:
            self.say("chat/usage.txt.j2", command="dispute")
            return
        self._dispute(checklist_id, answer.id, note.strip() or None)

    def _dispute(self, checklist_id: str, answer_id: int, note: str | None = None) -> None:
        if not self._ensure_name():
            return
        note = note or self.ask_line(self.labels.dispute_prompt)
        if note is None:
            self._cancelled(None)
            return
        answer = self.app.checklists.dispute(checklist_id, answer_id, note, self.user)
        checklist = self.app.store.get_checklist(checklist_id) or {}
        named = checklist.get("decision_maker")
        decider = self.app.checklists.name_of(named) if named else None
        self.say(
            "checklist/disputed.txt.j2",
            answer=answer,
            decider=decider,
            how=f"resolve {answer.step}",
            name_how="decision-maker LOGIN",
        )

    def _a_question(self, word: str, step: str, note: str, rest: str) -> bool:
        """Ask "dispute resolution in procurement" as the question it is: words after something not a step."""
        if not note.strip() or step in {s.id for s in self.app.checklists.steps}:
            return False
        self.ask(f"{word} {rest}")
        return True

    def cmd_resolve(self, args: list[str]) -> None:
        """``resolve STEP [NOTE]``: the decision maker accepts a disputed answer over the checker's objection."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step, _, given = args[0].partition(" ")
        if self._a_question("resolve", step, given, args[0]):
            return
        current = self.app.store.current_answers(checklist_id).get(step)
        if current is None:
            self.say("chat/usage.txt.j2", command="resolve")
            return
        # Before any typing: someone who does not decide learns it now, not after writing a note.
        self.app.checklists.check_may_resolve(checklist_id, self.user)
        if not self._ensure_name():
            return
        note = given.strip() or self.ask_line(self.labels.resolve_prompt)
        if note is None:
            self._cancelled(None)
            return
        answer = self.app.checklists.resolve_dispute(checklist_id, current.id, note, self.user)
        self.say("checklist/disputed.txt.j2", answer=answer, decider="", how="")

    def cmd_withdraw(self, args: list[str]) -> None:
        """``withdraw [REASON]``: the reason is asked for when not given on the line."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        reason = args[0] if args else self.ask_line(self.labels.withdraw_prompt)
        if reason is None:
            self._cancelled(None)
            return
        if args:
            # A line that only starts with "withdraw" may be a question ("withdraw from a framework early"):
            # withdrawing cannot be undone, so the one-line form is confirmed first.
            title = (self.app.store.get_checklist(checklist_id) or {}).get("title", "")
            sure = self.ask_line(self.labels.withdraw_confirm.format(id=checklist_id, title=title, reason=reason))
            if (sure or "").lower() not in ("y", "yes"):
                self._cancelled(None)
                return
        self.app.checklists.withdraw(checklist_id, reason, self.user)
        self.write(self.labels.withdrawn)

    def cmd_starts(self, args: list[str]) -> None:
        """``starts DATE [EVENT]``: when the procurement starts or started."""
        checklist_id = self._require_current()
        if checklist_id:
            self.app.checklists.set_start(checklist_id, args[0], args[1] if len(args) > 1 else None, self.user)
            self.write(self.labels.starts.format(day=args[0]))

    def cmd_answer(self, args: list[str]) -> None:
        """Walk through one step: pick an option, give reasons, retry if refused."""
        checklist_id = self._require_current()
        if not checklist_id:
            return
        step_id = args[0] if args else (self.app.checklists.open_steps(checklist_id) or [""])[0]
        if not step_id:
            self.write(self.labels.all_answered)
            return
        step = self.app.checklists.step(step_id)
        # Before any typing: someone who may not sign off learns it now, not after writing reasons.
        self.app.checklists.check_may_answer(checklist_id, step.id, self.user)
        current = self.app.store.current_answers(checklist_id).get(step.id)
        author = self.app.checklists.name_of(current.author) if current else None
        self.say("chat/step.txt.j2", step=step, current=current, author=author)
        option = self._choose_option(step)
        if option is None:
            self._cancelled(None, current=current)
            return
        revisit = None
        if step.sign_off and option.id in SIGN_OFF_DECISIONS:
            self.app.checklists.check_sign_off(checklist_id, self.user)
        if step.sign_off and option.id == DEFER_DECISION:
            revisit = self._revisit_date()
            if revisit is None:
                self._cancelled(None, current=current)
                return
        if self._ensure_name():
            self._give_reasons(checklist_id, step, option, current, revisit)

    def _revisit_date(self) -> str | None:
        """A deferral's revisit date, asked until it is a real date, today or later; None if blank."""
        while True:
            text = self.ask_line(self.labels.revisit_prompt)
            if text is None:
                return None
            try:
                return revisit_date(text)
            except ChecklistError as exc:
                self.write(self.labels.sorry.format(problem=_sentence(exc)))

    # The scope finder -----------------------------------------------------------

    def cmd_scope(self, _: list[str]) -> None:
        """Ask what is being bought, then say which duties apply (svbot scope, step by step).

        With a checklist open, the questions are pre-filled from it (Enter keeps each value).
        """
        from bot.scope import ScopeError
        from bot.scope_check import light_touch_cues

        checklist = self.app.store.get_checklist(self.current) if self.current else None
        configured = configured_defaults(self.app.settings)
        kb = self.app.snapshot().kb
        if checklist is not None:
            defaults = checklist_defaults(checklist, self.app.settings, light_touch_cues(kb))
            # The checklist's nation, else the one this chat was started with, else SVBOT_NATION.
            defaults = replace(defaults, nation=checklist.get("nation") or self.nation or configured.nation)
            self.say("chat/scope_prefilled.txt.j2", checklist=checklist, defaults=defaults)
        else:
            defaults = replace(configured, nation=self.nation or configured.nation)
        try:
            answers = self._scope_questions(defaults)
        except Cancelled:
            answers = None
        if answers is None:
            self.write(self.labels.scope_cancelled)
            return
        try:
            procurement = Procurement(nation=defaults.nation, **answers)
        except (ScopeError, ValueError) as exc:
            self.write(self.labels.sorry.format(problem=_sentence(exc)))
            return
        self._show_scope(procurement, self.app.snapshot())

    def _show_scope(self, procurement: Procurement, snap: Snapshot, followup: ScopeFollowUp | None = None) -> None:
        """The finder's answer for ``procurement``, kept for "=" at the scope step and for follow-ups."""
        from bot.nations import nation_key
        from bot.scope import ScopeError, ScopeFinder, parts_context

        try:
            parts = ScopeFinder(snap.kb, self.app.renderer, surface="chat").find_period(procurement)
        except ScopeError as exc:
            self.write(self.labels.sorry.format(problem=_sentence(exc)))
            return
        self.app.remember_scope(self.conversation, procurement)
        if followup is not None:
            self.say("scope/read_as.txt.j2", **scope_read_as(followup))
        if len(parts) > 1:
            # A month or a year a change splits: no one sentence to quote until the day is given.
            self.last_scope = None
            self.say("scope/parts.txt.j2", **parts_context(procurement, parts))
            return
        result = parts[0][2]
        self.last_scope = (procurement, result)
        self.say("scope/result.txt.j2", result=result)
        nation = procurement.nation
        self.say("chat/scope_quote.txt.j2", nation=nation_key(nation) if nation else None)

    def _scope_questions(self, defaults: ScopeDefaults) -> dict[str, Any] | None:
        """The scope finder's inputs as ``Procurement`` arguments, asked one at a time (Enter keeps a
        default); None if the person cancels. The same inputs as ``svbot scope`` and the Slack form.

        What is bought has no default when its words suggest a light-touch service: the person says.
        """
        from bot.scope import ARRANGEMENTS, BODIES, DEFAULT_VAT, LOCAL_BODIES, NATION_BODY, TYPES, VAT_CHOICES

        labels = self.labels
        guess = None if defaults.light_touch else defaults.type
        type_ = self._pick(labels.scope_type_default if guess else labels.scope_type, TYPES, guess)
        if type_ is None:
            return None
        value = self._scope_value(defaults.value)
        if value is None:
            return None
        # As `svbot scope`: a value is taken to exclude VAT unless the person says otherwise.
        vat = self._pick(labels.scope_vat_default, VAT_CHOICES, defaults.vat or DEFAULT_VAT) or DEFAULT_VAT
        body = self._pick(labels.scope_body, BODIES, default=defaults.body)
        uk_body = False
        if body in LOCAL_BODIES and defaults.nation in NATION_BODY:
            answer = self.ask_line(labels.scope_uk_body.format(nation=defaults.nation)) or "no"
            uk_body = answer.lower() in ("y", "yes")
        share = None
        if type_ == "mixed":
            text = self.ask_line(labels.scope_share)
            share = float(text) if text and text.replace(".", "", 1).isdigit() else None
        arrangement = self._pick(labels.scope_arrangement, ARRANGEMENTS, "contract")
        health = False
        if type_ in ("services", "light-touch", "mixed"):
            health = (self.ask_line(labels.scope_health) or "no").lower() in ("y", "yes")
        return {
            "type": type_,
            "value": value,
            "vat": vat,
            "body": body,
            "uk_body": uk_body,
            "services_share": share,
            "framework": arrangement == "framework",
            "call_off": arrangement == "call-off",
            "health_care": health,
            "start": defaults.start or self._scope_start(),
        }

    def _scope_start(self) -> dt.date:
        """The procurement's start date, asked until it is a date; blank for today."""
        while True:
            text = self.ask_line(self.labels.scope_start)
            if text is None:
                return dt.date.today()
            try:
                return parse_day(text, self.labels.scope_start_what)
            except DateError as exc:
                self.write(self.labels.sorry.format(problem=_sentence(exc)))

    def _scope_value(self, default: float | None) -> float | None:
        """The value in pounds, asked until it reads one way only (Enter keeps the default); None to cancel."""
        from bot.amounts import AmountError, parse_amount

        amount = f"{default:.0f}" if default is not None else None
        prompt = self.labels.scope_value_default.format(default=amount) if amount else self.labels.scope_value
        while True:
            text = self.ask_line(prompt)
            if text is None:
                return default
            try:
                return parse_amount(text)
            except AmountError as exc:
                self.write(self.labels.sorry.format(problem=_sentence(exc)))

    def _pick(self, prompt: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        """One of ``choices`` by name or number; blank takes the default (None if there is none)."""
        while True:
            text = self.ask_line(prompt.format(choices=", ".join(choices), default=default or "none"))
            if text is None:
                return default
            if text.isdigit() and 1 <= int(text) <= len(choices):
                return choices[int(text) - 1]
            if text.lower() in choices:
                return text.lower()
            self.write(self.labels.scope_pick.format(choices=", ".join(choices)))

    def _choose_option(self, step: ChecklistStep) -> StepOption | None:
        """Ask until the person picks an option by number, id or label; None if they cancel."""
        while True:
            choice = self.ask_line(self.labels.option_prompt)
            if choice is None:
                return None
            option = _option_for(step, choice)
            if option is not None:
                return option
            self.say("chat/usage.txt.j2", command="option", options=len(step.options))

    def _give_reasons(
        self, checklist_id: str, step: ChecklistStep, option: StepOption, current: object, revisit: str | None
    ) -> None:
        refused = 0
        last_refused: int | None = None
        while True:
            try:
                reasons = self.ask_line(self.labels.reasons_prompt)
            except Cancelled as cancelled:
                self._cancelled(cancelled, refused=refused, current=current)
                return
            if reasons is None:
                self._cancelled(None, refused=refused, current=current)
                return
            if last_refused is not None and reasons.lower().split() in (["dispute"], ["dispute", step.id]):
                self._dispute(checklist_id, last_refused)
                return
            scope = None
            if reasons == "=" and self.last_scope:
                # "=" quotes the scope finder's sentence; the record keeps the finder's whole answer.
                reasons = self.last_scope[1].why
                scope = scope_record(*self.last_scope)
            outcome = self.app.checklists.answer(
                checklist_id, step.id, option.id, reasons, self.user, revisit_on=revisit, scope=scope
            )
            self.write(self.app.checklists.describe(outcome))
            if outcome.accepted:
                return
            refused += 1
            last_refused = outcome.answer.id
            conflict = refusal_kind(outcome.verdict.problems) == "conflict"
            self.write(self.labels.try_again_conflict if conflict else self.labels.try_again)


def _option_for(step: ChecklistStep, choice: str) -> StepOption | None:
    """The option a person meant: its number, its id or its label (any case)."""
    if choice.isdigit():
        number = int(choice)
        return step.options[number - 1] if 1 <= number <= len(step.options) else None
    wanted = " ".join(choice.lower().split()).rstrip(".")
    return next((o for o in step.options if wanted in (o.id.lower(), " ".join(o.label.lower().split()))), None)


class _OptionParser(argparse.ArgumentParser):
    """argparse, telling the chat what is wrong instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def _words(text: str) -> list[str]:
    """The words of a line: double quotes group words; apostrophes ("O'Brien's"), '#' and '\\' are text.

    An unmatched double quote (12" pipes) is kept as typed rather than refused.
    """
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return text.split()


def _split_options(text: str, known: set[str]) -> tuple[str, dict[str, str]]:
    """Split "Some words --name value words --other value" into the words and the options.

    Each option takes every word up to the next option, so nothing typed is dropped; an
    unknown option, an option with no value or stray words raise ValueError saying which.
    """
    parser = _OptionParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    parser.add_argument("words", nargs="*")
    for name in sorted(known):
        parser.add_argument(f"--{name}", dest=name, nargs="+", action="extend")
    names = ", ".join("--" + k for k in sorted(known))
    words = _words(text)
    unknown = next((w for w in words if w.startswith("--") and w[2:] not in known), None)
    if unknown is not None:
        raise ValueError(f"unknown option {unknown}; use {names}")
    try:
        parsed, extra = parser.parse_known_args(words)
    except argparse.ArgumentError as exc:
        raise ValueError(f"{exc.argument_name} needs a value" if exc.argument_name else str(exc)) from None
    if extra:
        raise ValueError(f"svbot could not read {' '.join(extra)}; options are {names}")
    values = vars(parsed)
    options = {name: " ".join(values[name]) for name in known if values.get(name)}
    return " ".join(values["words"]), options


def _sentence(problem: object) -> str:
    """A problem's message as a sentence: with its own closing mark, or a full stop."""
    text = str(problem).strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."
