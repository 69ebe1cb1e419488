"""The terminal chat, driven with scripted input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from samples import GOOD, TICK_BOX

from bot.chat import Chat
from bot.checklist.details import ChecklistDetails
from bot.core import Svbot
from bot.scope import Procurement, ScopeFinder


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


def chat(app: Svbot, lines: list[str], user: str = "alice", name: str | None = "Alice Khan") -> tuple[Chat, Script]:
    """Run a conversation; ``name`` is the name the user already gave (None: the chat has to ask)."""
    if name:
        app.store.set_person_name(user, name)
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
    assert "Hello Alice Khan." in said[0], "greeted by the name given, not the login id"

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
    assert "outcomes=outcomes-identified by Alice Khan: refused" in show
    assert "outcomes=outcomes-identified by Alice Khan: accepted" in show

    record = json.loads(said[9])
    assert record["id"] == checklist_id
    assert [h["status"] for h in record["history"]] == ["refused", "accepted"]
    assert record["steps"][1]["reasons"] == GOOD["outcomes"][1]

    assert said[-1].startswith("Goodbye.")
    assert len(said) == 11
    # Every prompt for reasons said what is wanted.
    assert script.prompts.count("Reasons (specific to this procurement; blank or `cancel` to stop): ") == 2


def test_questions_are_logged(app: Svbot) -> None:
    chat(app, ["where do I claim my mileage", "bye"], user="logger")
    [row] = [r for r in app.store.unanswered_questions() if r["user"] == "logger"]
    assert row["text"] == "where do I claim my mileage"
    assert row["source"] == "chat"


def test_unsure_answer_offers_numbered_topics(app: Svbot) -> None:
    _, script = chat(app, ["social value for a school uniform supplier", "2", "q"])
    unsure = script.said[1]
    assert unsure.startswith("I'm not sure I have an answer to that.")
    assert "  2. " in unsure
    second_title = unsure.split("  2. ", 1)[1].splitlines()[0]
    assert script.said[2].startswith(second_title)


def test_answer_flow_edge_cases(app: Svbot) -> None:
    scope = app.checklists.step("scope")
    session, script = chat(
        app,
        [
            "answer",  # no checklist yet
            "new Libraries cleaning",
            "answer",  # the next open step is scope
            "9",  # not an option: asked again
            "answer scope",  # not an option either (not taken as a command): asked again
            "",  # blank option cancels
            "answer scope",
            "1",
            "",  # blank reasons cancel
            "answer living-wage",  # unknown step
            "steps",
            "quit",
        ],
    )
    said = script.said
    assert said[1].startswith("No checklist open.")
    assert scope.title in said[3]
    choose = f"Choose a number from 1 to {len(scope.options)}, or type the option's name (blank or `cancel` to stop)."
    assert said[4] == choose and said[5] == choose
    assert said[6] == "Cancelled; nothing recorded."
    assert script.prompts.count("Option (number or name; blank or `cancel` to stop): ") == 4
    assert said[8] == "Cancelled; nothing recorded."
    assert said[9].startswith("Sorry: there is no step 'living-wage'")
    assert "open: scope, outcomes, process" in said[10]
    assert app.store.answers(session.current) == []


def test_options_by_label_or_id(app: Svbot) -> None:
    step = app.checklists.step("outcomes")
    decision, reasons = GOOD["outcomes"]
    option = next(o for o in step.options if o.id == decision)
    for typed in (option.label.upper(), option.id):
        session, _ = chat(app, ["new Label test", "answer outcomes", typed, reasons])
        (answer,) = app.store.answers(session.current)
        assert answer.decision == decision and answer.accepted


def test_ctrl_c_cancels_the_prompt_not_the_chat(app: Svbot) -> None:
    lines = iter(["new Interrupted", "answer scope", KeyboardInterrupt, "answer scope", "1", KeyboardInterrupt, "list"])
    said: list[str] = []

    def read(prompt: str) -> str:
        line = next(lines, None)
        if line is None:
            raise EOFError
        if line is KeyboardInterrupt:
            raise KeyboardInterrupt
        return line

    app.store.set_person_name("ctrl-c", "Casey Clark")
    session = Chat(app, "ctrl-c", read=read, write=said.append)
    session.run()
    assert said.count("Cancelled; nothing recorded.") == 2
    assert any(session.current in s and "Interrupted" in s for s in said[-3:]), "`list` ran after both Ctrl-Cs"
    assert said[-1].startswith("Goodbye.")


def test_stopping_after_refusals_says_they_were_kept(app: Svbot) -> None:
    session, script = chat(app, ["new Refusals kept", "answer outcomes", "1", TICK_BOX, TICK_BOX, ""])
    assert "Cancelled; nothing recorded." not in script.text
    assert "Your 2 refused attempts are kept in the history (`show`); the step is still open." in script.text
    assert [a.accepted for a in app.store.answers(session.current)] == [False, False]


def test_sign_off_is_refused_before_any_typing(app: Svbot) -> None:
    checklist_id = app.checklists.new(ChecklistDetails("Home care"), "alice")
    app.store.set_person_name("alice", "Alice Khan")
    _, script = chat(app, [f"open {checklist_id}", "answer decision", "1", GOOD["decision"][1]], user="mallory")
    assert script.said[2].startswith("Sorry: Only the person who started this checklist (Alice Khan)")
    assert not any(p.startswith("Option (") for p in script.prompts), "told before choosing an option"
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
    assert "Complete: every step answered and signed off" in record
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


def test_the_chat_asks_a_real_name_once_and_keeps_it(app: Svbot) -> None:
    user = "root-name-test"
    session, script = chat(app, ["new Libraries cleaning", "Priya Shah", "quit"], user=user, name=None)
    assert script.prompts.count("Your name, as it should appear on decision records (e.g. Jo Bloggs): ") == 1
    record = app.checklists.record(session.current)
    assert record["created_by"] == user and record["created_by_name"] == "Priya Shah"
    again, script = chat(app, ["new Parks maintenance", "quit"], user=user, name=None)
    assert not any(p.startswith("Your name") for p in script.prompts), "asked once, kept"
    assert app.checklists.record(again.current)["created_by_name"] == "Priya Shah"


def test_a_blank_name_cancels_and_records_nothing(app: Svbot) -> None:
    session, script = chat(app, ["new Libraries cleaning", "   ", "quit"], user="no-name", name=None)
    assert session.current is None
    assert "decision records need your name" in script.text


def test_new_sets_the_procurement_details(app: Svbot) -> None:
    line = (
        'new Home care 2027 --reference HC-27 --value "£14m over 4 years" --buying "home care" '
        '--decision-maker "Dora Singh" --role "Director of Adult Care" --starts 2027-06-01 --start-event tender-notice'
    )
    app.store.set_person_name("dsingh", "Dora Singh")
    session, script = chat(app, [line, "new Broken --colour red", "new Broken --buying", "quit"])
    record = app.checklists.record(session.current)
    assert record["title"] == "Home care 2027"
    assert (record["reference"], record["value"], record["buying"]) == ("HC-27", "£14m over 4 years", "home care")
    assert (record["decision_maker"], record["decision_maker_role"]) == ("dsingh", "Director of Adult Care")
    assert record["decision_maker_name"] == "Dora Singh"
    assert (record["starts_on"], record["start_event"]) == ("2027-06-01", "tender-notice")
    assert "unknown option --colour" in script.text and "--buying needs a value" in script.text
    assert script.text.count("Sorry:") == 2


def test_dispute_in_the_chat_then_the_decision_maker_resolves(app: Svbot) -> None:
    session, script = chat(
        app,
        [
            "new Office cleaning",
            "answer outcomes",
            "2",
            "Not relevant.",
            "dispute",
            "One office, no staff.",
            "steps",
            "quit",
        ],
    )
    checklist_id = session.current
    assert "type `dispute`" in script.text
    assert "Recorded outcomes" in script.text and "as disputed" in script.text
    assert "[?] outcomes" in script.said[-2] and "disputed" in script.said[-2]
    assert "No decision maker is named yet" in script.text and "(decision-maker LOGIN)" in script.text
    _, script = chat(app, [f"open {checklist_id}", "resolve outcomes"], user="bob", name="Bob Jones")
    assert "Sorry: No decision maker is named for this checklist" in script.text
    _, script = chat(app, [f"open {checklist_id}", "decision-maker carol", "quit"])
    _, script = chat(app, [f"open {checklist_id}", "resolve outcomes", "ok"], user="bob", name="Bob Jones")
    assert "Sorry: Only the decision maker (carol)" in script.text
    note = "Agreed: one office, no staff on site"
    _, script = chat(
        app, [f"open {checklist_id}", "resolve outcomes", note, "steps", "quit"], user="carol", name="Carol Ng"
    )
    assert "over the checker's objection" in script.text
    assert "[x] outcomes" in script.said[-2]
    assert app.checklists.record(checklist_id)["disputes"][0]["outcome"] == "upheld"


def test_defer_in_the_chat_asks_for_a_revisit_date(app: Svbot) -> None:
    reasons = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."
    defer = str([o.id for o in app.checklists.step("decision").options].index("defer") + 1)
    session, script = chat(app, ["new Deferred", "answer decision", defer, "2099-02-01", reasons, "quit"])
    assert "Revisit on which date (YYYY-MM-DD; blank or `cancel` to stop)? " in script.prompts
    assert "deferred until 2099-02-01" in script.text
    assert app.checklists.record(session.current)["status"] == "deferred"


@pytest.mark.parametrize(
    "line",
    ["help me with thresholds", "show me an example of social value in a banking contract", "list the themes"],
)
def test_a_question_starting_with_a_command_word_is_a_question(app: Svbot, line: str) -> None:
    _, script = chat(app, [line], user="asker")
    reply = script.said[1]
    assert "new TITLE" not in reply and "No checklist open" not in reply and "No checklists yet" not in reply
    logged = app.store.db.execute("select text from questions where user = 'asker'").fetchall()
    assert (line,) in logged, "taken as a question"


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("decision-maker", "Name who may sign off the decision step by the login they use svbot with"),
        ("open", "Give the checklist's id, e.g.: open 1a2b3c4d"),
        ("new", "Give the procurement a title, e.g.: new Home care framework 2027"),
        ("3", "A number picks one of the topics I offer after an answer; ask a question first."),
    ],
)
def test_missing_arguments_get_a_usage_line_and_are_not_logged(app: Svbot, line: str, usage: str) -> None:
    _, script = chat(app, [line], user=f"usage-{line}")
    assert script.said[1].startswith(usage)
    assert not app.store.db.execute("select 1 from questions where user = ?", [f"usage-{line}"]).fetchall()


def test_a_number_beyond_the_topics_offered(app: Svbot) -> None:
    session, script = chat(app, ["social value for a bridge repair in a small town", "99"])
    offered = len(session.last.matches)
    assert offered and f"  {offered}. " in script.said[1]
    assert script.said[2] == f"Choose a topic from 1 to {offered} from my last reply, or ask a question."


def test_help_matches_the_command_table(app: Svbot) -> None:
    from bot.chat import COMMANDS

    _, script = chat(app, ["help"])
    help_text = script.said[1]
    for command in COMMANDS:
        assert f"\n  {command.names[0]}" in help_text, command.names[0]
    assert "every checklist in this database (everyone's)" in help_text


def test_export_survives_every_file_mistake(app: Svbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "records"
    folder.mkdir()
    session, script = chat(
        app,
        [
            "new Export mistakes",
            "export md ~/records/home.md",
            f"export md {folder}",
            f"export md {tmp_path}/recrods/x.md",
            "export pdf x.pdf",
            "export ~/records/plain.csv",
            "show",
        ],
    )
    said = script.said
    assert said[2] == f"Wrote the decision record to {folder / 'home.md'}."
    assert (folder / "home.md").read_text(encoding="utf-8").startswith("# Social value decision record")
    assert said[3] == (
        f"Sorry: {folder} is a folder; give a file name inside it, e.g. "
        f"{folder / f'social-value-record-{session.current}.md'}."
    )
    assert said[4].startswith(f"Sorry: cannot write {tmp_path}/recrods/x.md: the folder {tmp_path}/recrods does not")
    assert said[5].startswith("Sorry: svbot does not write .pdf files")
    assert said[6] == f"Wrote the decision record to {folder / 'plain.csv'}."
    assert "," in (folder / "plain.csv").read_text(encoding="utf-8").splitlines()[0]
    assert said[7].startswith("Export mistakes"), "the chat carried on"


def test_scope_check_then_quote_it_at_the_scope_step(app: Svbot) -> None:
    session, script = chat(
        app,
        ["new Cleaning 2026", "scope", "services", "216000", "included", "sub-central", "", "", "",
         "answer scope", "1", "=", "q"],
    )  # fmt: skip
    said = "\n".join(script.said)
    assert "Does s.1 of the Public Services (Social Value) Act 2012 apply? Yes" in said
    assert session.last_scope and "so s.1 applies" in session.last_scope[1].why
    record = app.checklists.record(session.current)
    scope = next(s for s in record["steps"] if s["id"] == "scope")
    assert scope["status"] == "answered"
    assert scope["reasons"] == session.last_scope[1].why
    # The record keeps the finder's whole answer with the step's answer.
    check = record["scope_check"]
    assert check["answer_id"] == scope["answer_id"] and check["act_applies"] is True
    assert check["inputs"]["body"] == "sub-central" and check["threshold"]["amount"] > 0


def test_scope_check_with_a_checklist_open_is_prefilled_from_it(app: Svbot) -> None:
    session, script = chat(
        app,
        ["new Cleaning --value '£216,000 including VAT' --buying 'cleaning services for 3 libraries'",
         "starts 2026-03-03", "scope", "", "", "", "sub-central", "", "", "answer scope", "1", "=", "q"],
    )  # fmt: skip
    said = "\n".join(script.said)
    assert "press Enter to keep each value read from it" in said
    prompts = "\n".join(script.prompts)
    assert "blank for services" in prompts and "blank for 216000" in prompts and "blank for included" in prompts
    assert "starting 3 March 2026: above the £207,720 threshold" in said
    check = app.checklists.record(session.current)["scope_check"]
    assert check["inputs"]["value"] == 216_000 and check["inputs"]["vat"] == "included"
    assert check["inputs"]["start"] == "2026-03-03" and check["act_applies"] is True


def test_scope_check_can_be_cancelled_and_refuses_bad_values(app: Svbot) -> None:
    _, script = chat(app, ["scope", "", "scope", "teapots", "goods", "lots", "included", "", "q"])
    said = "\n".join(script.said)
    assert "Scope check cancelled." in said
    assert "Choose one of:" in said
    assert "Sorry: 'lots' is not an amount in pounds" in said


def test_and_for_goods_after_the_scope_finder_asks_it_again_for_goods(app: Svbot) -> None:
    lines = ["scope", "services", "250k", "excluded", "sub-central", "", "", "", "and for goods?"]
    _, script = chat(app, lines, user="scopefu")
    _, _, after = script.text.partition("Same procurement as your last scope check")
    assert after, script.text
    assert after.startswith(", but goods instead of services:")
    assert "Trading for Good" not in after and "I'm not sure" not in after
    assert "Goods, £300,000 including VAT" in after


def test_follow_ups_naming_any_finder_input_ask_the_finder_again(app: Svbot) -> None:
    """The acceptance test's check (services, £216,000 including VAT, sub-central), then a follow-up on
    each other input: each is the previous check with that change, and says what it changed."""
    check = ["scope", "services", "216000", "included", "sub-central", "", "", ""]
    asked = {
        "what if it's a framework?": ("a framework instead of a single contract", "Services framework, £216,000"),
        "and if it was 100k?": ("£100,000 instead of £216,000", "Services framework, £100,000 including VAT"),
        "what if it started in 2025?": (
            # 2025 spans the Procurement Act's start (24 February 2025): an answer for each part.
            "starting in 2025 instead of 2 December 2026",
            "Starting between 1 January and 23 February 2025: s.1 does not apply.",
        ),
        "what if it's excluding VAT and 190k?": (
            "£190,000 instead of £100,000 and VAT excluded instead of VAT included",
            "£228,000 including VAT",
        ),
    }
    today = dt.date.today()
    _, script = chat(app, [*check, *asked], user="scopefu-all")
    replies = script.text.split("Same procurement as your last scope check, but ")[1:]
    assert len(replies) == len(asked), script.text
    for (question, (changed, verdict)), reply in zip(asked.items(), replies, strict=True):
        changed = changed.replace("2 December 2026", f"{today.day} {today:%B} {today.year}")
        assert reply.startswith(f"{changed}:"), (question, reply)
        assert verdict in reply, (question, reply)
        for wrong in ("National TOMs", "outside what I cover", "I'm not sure", "Procurement Act 2023: what changed"):
            assert wrong not in reply, (question, reply)


def test_follow_ups_on_health_care_a_uk_body_and_the_services_share(app: Svbot) -> None:
    check = ["scope", "services", "216000", "included", "sub-central", "", "", ""]
    lines = [*check, "it's health care services", "services are 70% of it", "we're a central government department"]
    session, script = chat(app, lines, user="scopefu-flags")
    assert "Same procurement as your last scope check, but health care services instead of not health care:" in (
        script.text
    )
    assert "mixed contract instead of services and 70% services instead of no services share" in script.text
    assert "central government authority instead of sub-central authority" in script.text
    assert session.last_scope is not None
    now = session.last_scope[0]
    assert (now.health_care, now.type, now.services_share, now.body) == (True, "mixed", 70.0, "central")
    assert "not sure" not in script.text.lower()


def test_a_follow_up_the_finder_cannot_take_says_why_and_keeps_the_check(app: Svbot) -> None:
    check = ["scope", "services", "216000", "included", "sub-central", "", "", ""]
    session, script = chat(app, [*check, "what if it was £1,2m?", "and for goods?"], user="scopefu-bad")
    assert "I read that as a change to your last scope check, but '£1,2m' could be read two ways" in script.text
    assert "Same procurement as your last scope check, but goods instead of services:" in script.text
    assert session.last_scope is not None and session.last_scope[0].value == 216_000


def test_and_for_goods_after_the_thresholds_in_the_chat(app: Svbot) -> None:
    _, script = chat(app, ["what are the current procurement thresholds for the SVA", "and for goods?"], user="thrfu")
    _, _, follow = script.text.partition('Read as a follow-up to "Thresholds')
    assert follow.lstrip(":").split("\n")[1].startswith('On "goods", it says:'), script.text


def test_scope_check_asks_again_for_a_value_that_reads_two_ways(app: Svbot) -> None:
    session, script = chat(app, ["scope", "services", "£1,2m", "1.2m", "included", "sub-central", "", "", "", "q"])
    said = "\n".join(script.said)
    assert "Sorry: '£1,2m' could be read two ways (£1,200,000 or £12,000,000)" in said
    assert "write a point for decimals" in said
    assert session.last_scope is not None and session.last_scope[0].value == 1_200_000
    assert script.prompts.count("Estimated value in pounds, e.g. 216000 or 216k (blank to cancel): ") == 2


def test_scope_check_asks_whether_care_is_a_light_touch_service(app: Svbot) -> None:
    session, script = chat(
        app,
        ["new Home care --value '£400k' --buying 'home care services for 30 adults'", "starts 2026-03-03",
         "scope", "light-touch", "", "exempt", "sub-central", "", "", "q"],
    )  # fmt: skip
    said = "\n".join(script.said)
    assert 'mentions "care", which suggests a light-touch service' in said
    prompts = "\n".join(script.prompts)
    assert "What is being bought (services, goods, works, mixed, light-touch; blank to cancel)" in prompts
    assert session.last_scope is not None
    procurement, result = session.last_scope
    # £400k is between the services and light-touch figures: s.1(16)(b) and (17) judge a light touch
    # contract at the ordinary £207,720 figure, so s.1 applies.
    assert procurement.type == "light-touch" and result.act_applies is True
    assert result.threshold.id == "threshold.sub-central.goods-services" and "s.1(16)(b)" in result.why
    assert "£400,000, exempt from VAT" in result.why


def test_scope_check_in_wales_asks_whether_a_council_is_a_uk_body(app: Svbot) -> None:
    session, script = chat(
        app,
        ["new Cardiff cleaning --nation wales --value '£300k' --buying 'cleaning services'", "starts 2026-04-01",
         "scope", "", "", "excluded", "sub-central", "", "", "", "q"],
    )  # fmt: skip
    assert any("Is it a UK body whose functions are mainly not devolved" in p for p in script.prompts)
    assert session.last_scope is not None
    assert session.last_scope[1].act_applies is False
    assert "devolved Welsh authority (sub-central authority in Wales)" in session.last_scope[1].why
    session, _ = chat(
        app,
        ["new Police cleaning --nation wales --value '£300k' --buying 'cleaning services'", "starts 2026-04-01",
         "scope", "", "", "excluded", "sub-central", "yes", "", "", "q"],
    )  # fmt: skip
    assert session.last_scope is not None and session.last_scope[1].act_applies is True


def test_scope_check_asks_what_svbot_scope_and_the_slack_form_ask(app: Svbot) -> None:
    # A services framework for an NHS trust, health care, starting before the 2026 thresholds: the
    # chat's answer is the one the finder gives the command line and the Slack form for the same inputs.
    session, script = chat(
        app,
        ["scope", "services", "2m", "included", "nhs", "framework", "yes", "2025-12-31x", "2025-12-31", "q"],
    )  # fmt: skip
    assert "Sorry: the start date must be a date written YYYY-MM-DD" in "\n".join(script.said)
    assert session.last_scope is not None
    procurement, result = session.last_scope
    expected = Procurement("services", 2_000_000, "nhs", None, dt.date(2025, 12, 31), "included",
                           framework=True, health_care=True)  # fmt: skip
    assert procurement == expected
    assert result == ScopeFinder(app.snapshot().kb, app.renderer, surface="chat").find(expected)
    assert result.why.startswith("Services framework, £2,000,000 including VAT, NHS trust")
    assert "provider-selection-regime" in [d.id for d in result.duties]
    session, _ = chat(app, ["scope", "services", "2m", "included", "central", "call-off", "no", "", "q"])
    assert session.last_scope is not None and session.last_scope[1].act_applies is False
    assert "call-off" in session.last_scope[1].why


def test_a_blank_vat_answer_takes_the_value_as_excluding_vat_as_the_cli_does(app: Svbot) -> None:
    session, script = chat(app, ["scope", "services", "180000", "", "sub-central", "", "", "", "q"])
    assert "Does that value include VAT? (included, excluded, exempt; blank for excluded): " in script.prompts
    assert session.last_scope is not None
    procurement, result = session.last_scope
    assert procurement.vat == "excluded"
    assert result.value_incl_vat == 216_000 and result.act_applies is True


def test_dispute_naming_the_step_at_the_reasons_prompt(app: Svbot) -> None:
    session, script = chat(
        app,
        [
            "new Office cleaning",
            "answer outcomes",
            "2",
            "Not relevant.",
            "dispute outcomes",
            "One office, no staff.",
            "quit",
        ],
    )
    assert "Recorded outcomes" in script.text and "as disputed" in script.text
    assert app.checklists.record(session.current)["disputes"][0]["outcome"] == "pending"


def test_accepting_your_own_dispute_is_said_back(app: Svbot) -> None:
    session, _ = chat(
        app,
        ["new Office cleaning", "answer outcomes", "2", "Not relevant.", "dispute", "One office, no staff.", "quit"],
    )
    note = "Agreed: one office, no staff on site"
    _, script = chat(app, [f"open {session.current}", "decision-maker alice", "resolve outcomes", note, "quit"])
    assert "self-upheld: you had also disputed it yourself" in script.text


def test_the_chat_s_own_lines_come_from_its_labels_template(app: Svbot, monkeypatch) -> None:
    """Everything the chat says is a template: its short lines are prompts/chat/labels.txt.j2's."""
    labels = app.renderer.strings("chat/labels.txt.j2")
    for line in ("sorry", "failed", "named", "exported", "decider_named", "withdrawn", "starts", "all_answered"):
        assert getattr(labels, line), line
    real = app.renderer.strings

    def reworded(name: str):
        strings = real(name)
        if name != "chat/labels.txt.j2":
            return strings
        return type("Labels", (), {k: getattr(strings, k) for k in dir(strings) if not k.startswith("_")}
                    | {"sorry": "Oops ({problem})"})  # fmt: skip

    monkeypatch.setattr(app.renderer, "strings", reworded)
    _, script = chat(app, ["new Reworded", "answer living-wage", "quit"])
    assert "Oops (there is no step 'living-wage'" in script.text and "Sorry:" not in script.text


# Who decides: people by login, shown by the name they gave -------------------------------


def _dispute_outcomes(app: Svbot, first_line: str, user: str, name: str) -> tuple[str | None, Script]:
    """Start a checklist with ``first_line`` and dispute a refused answer at the outcomes step."""
    session, script = chat(
        app,
        [first_line, "answer outcomes", "2", "Not relevant.", "dispute", "One office, no staff.", "quit"],
        user=user,
        name=name,
    )
    return session.current, script


def test_a_decision_maker_named_by_full_name_resolves_once_they_gave_that_name(app: Svbot) -> None:
    line = 'new Cleaning --decision-maker "Dora Patel" --role Director'
    current, script = _dispute_outcomes(app, line, "apatel", "Alice Patel")
    assert current is None, "a name nobody gave cannot be a decision maker: nothing is started"
    assert "Sorry: 'Dora Patel' is not a name anyone has given svbot" in script.text
    assert "dpatel" not in script.text and "login" in script.text
    app.store.set_person_name("dpatel", "Dora Patel")
    checklist_id, script = _dispute_outcomes(app, line, "apatel", "Alice Patel")
    assert app.store.get_checklist(checklist_id)["decision_maker"] == "dpatel"
    assert "until the decision maker (Dora Patel) accepts it" in script.text
    _, script = chat(app, [f"open {checklist_id}", "resolve outcomes", "Looks fine.", "quit"], user="mpatel")
    assert "Sorry: Only the decision maker (Dora Patel)" in script.text
    assert not any(p.startswith("Your note") for p in script.prompts), "told before writing a note"
    _, script = chat(
        app, [f"open {checklist_id}", "resolve outcomes", "Agreed: one office, no staff on site", "quit"], user="dpatel"
    )
    assert "over the checker's objection" in script.text
    assert app.checklists.record(checklist_id)["disputes"][0]["outcome"] == "upheld"


def test_the_decision_maker_example_the_chat_gives_works(app: Svbot) -> None:
    import shlex

    usage = app.renderer.render("chat/usage.txt.j2", command="decision-maker")
    example = usage.split("e.g.: ", 1)[1].strip()
    login = shlex.split(example)[1]
    session, script = chat(app, ["new Example decider", example, "quit"], user="ex-starter", name="Ezra Starter")
    assert app.store.get_checklist(session.current)["decision_maker"] == login
    assert "Sorry" not in script.text
    help_text = chat(app, ["help"])[1].said[1]
    assert '"Jo Bloggs"' not in help_text, "the help suggests what works: a login, not a full name"
    assert "decision-maker LOGIN" in help_text and "--decision-maker LOGIN" in help_text


def test_naming_a_decision_maker_says_who_by_the_name_they_gave(app: Svbot) -> None:
    app.store.set_person_name("rnamed", "Rosa Named")
    session, script = chat(app, ["new Naming", 'decision-maker "rosa named"', "decision-maker newlogin", "quit"])
    assert "Rosa Named (rnamed) can now sign off the decision step and resolve disputes." in script.text
    assert "newlogin can now sign off the decision step and resolve disputes" in script.text
    assert app.store.get_checklist(session.current)["decision_maker"] == "newlogin"


# Cancelling at a prompt ------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["quit", "cancel", "q", "exit", "QUIT", "Cancel"])
def test_the_words_that_leave_cancel_at_the_reasons_prompt_and_record_nothing(app: Svbot, word: str) -> None:
    session, script = chat(app, ["new Cancel at reasons", "answer outcomes", "1", word, "steps", "quit"])
    assert "Cancelled; nothing recorded." in script.text
    assert app.store.answers(session.current) == []
    assert "[ ] outcomes" in script.said[-2], "the chat carried on: `steps` ran"
    assert any("blank or `cancel` to stop" in p for p in script.prompts if p.startswith("Reasons"))
    still_here = "You are still in the chat: type `quit` again to leave." in script.text
    assert still_here == (word.lower() != "cancel"), "a quit word is told it did not leave"


@pytest.mark.parametrize(
    "lines",
    [
        ["answer outcomes", "cancel"],  # the option
        ["answer decision", "defer", "cancel"],  # the revisit date
        ["answer outcomes", "2", "Not relevant.", "dispute", "quit"],  # why the checker is wrong
        ["withdraw", "q"],  # why it is withdrawn
    ],
)
def test_cancel_words_cancel_every_prompt(app: Svbot, lines: list[str]) -> None:
    session, script = chat(app, ["new Cancel anywhere", *lines, "list", "quit"])
    assert "Cancelled; nothing recorded." in script.text or "refused attempt is kept" in script.text
    assert all(str(a.status) == "refused" for a in app.store.answers(session.current))
    record = app.checklists.record(session.current)
    assert record["status"] == "open" and record["disputes"] == []
    assert "Cancel anywhere" in script.said[-2], "the chat carried on: `list` ran"


def test_a_cancel_word_for_your_name_cancels(app: Svbot) -> None:
    session, script = chat(app, ["new Nameless", "quit", "list"], user="cancel-name", name=None)
    assert session.current is None and app.store.person_name("cancel-name") is None
    assert "decision records need your name" in script.text
    assert script.prompts[-2:] == ["svbot> ", "svbot> "], "the chat carried on: `list` ran"


def test_cancelling_after_refusals_says_they_were_kept(app: Svbot) -> None:
    session, script = chat(app, ["new Refused then cancel", "answer outcomes", "1", TICK_BOX, "cancel"])
    assert "Your 1 refused attempt is kept in the history" in script.text
    assert [a.reasons for a in app.store.answers(session.current)] == [TICK_BOX], "'cancel' is not an attempt"


# Deferral in the chat ---------------------------------------------------------------------------


def _defer_lines(*dates: str) -> list[str]:
    return ["new Deferred dates", "answer decision", "defer", *dates]


def test_a_past_or_impossible_revisit_date_is_asked_again(app: Svbot) -> None:
    reasons = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."
    lines = _defer_lines("2020-01-01", "2027-02-30", "2099-02-01", reasons, "answer scope", *GOOD["scope"], "quit")
    session, script = chat(app, lines)
    assert "Sorry: the revisit date 2020-01-01 is in the past: give today (" in script.text
    assert "Sorry: the revisit date 2027-02-30 does not exist: February 2027 has 28 days." in script.text
    assert script.prompts.count("Revisit on which date (YYYY-MM-DD; blank or `cancel` to stop)? ") == 3
    assert app.store.answers(session.current)[0].revisit_on == "2099-02-01"
    after_scope = script.said[-2]
    assert "The checklist is deferred until 2099-02-01; it stays open for answers." in after_scope
    assert "Still open: outcomes, process" in after_scope


def test_a_current_answer_is_shown_with_its_author_s_name(app: Svbot) -> None:
    checklist_id = app.checklists.new(ChecklistDetails("Authors"), "alice")
    app.store.set_person_name("bnamed", "Bea Named")
    decision, reasons = GOOD["outcomes"]
    assert app.checklists.answer(checklist_id, "outcomes", decision, reasons, "bnamed").accepted
    _, script = chat(app, [f"open {checklist_id}", "answer outcomes", "", "quit"])
    assert "(Bea Named). A new answer revises it" in script.text and "(bnamed)" not in script.text


def test_an_unknown_decision_maker_is_refused_before_the_chat_asks_your_name(app: Svbot) -> None:
    session, script = chat(app, ['new Early --decision-maker "Nobody Here"', "quit"], user="early", name=None)
    assert session.current is None and "Sorry: 'Nobody Here' is not a name anyone has given svbot" in script.text
    assert not any(p.startswith("Your name") for p in script.prompts)


def test_a_contradiction_is_explained_with_how_to_resolve_it(app: Svbot) -> None:
    none_relevant = "one-off payment for journal access; it's a digital licence and nothing is delivered in the area"
    lines = ["new Journal access", "answer outcomes", "2", none_relevant, "answer process", "1", GOOD["process"][1], ""]
    _, script = chat(app, lines)
    refusal = next(s for s in script.said if s.startswith("Not recorded as an answer yet"))
    assert refusal.startswith("Not recorded as an answer yet: it contradicts an answer that stands at another step.")
    hint = script.said[script.said.index(refusal) + 1]
    assert "choose another option with `answer STEP` or revise the other step" in hint
    assert "more specific reasons" not in hint


def test_a_follow_up_for_a_known_nation_leads_with_that_nations_figure(app: Svbot) -> None:
    script = Script(["what are the current procurement thresholds for the SVA", "and for works?"])
    Chat(app, "scot", read=script.read, write=script.write, nation="Scotland").run()
    _, _, follow = script.text.partition('Read as a follow-up to "Thresholds')
    assert follow, script.text
    scottish = follow.index("£2,000,000 (works)")
    assert scottish < follow.index('On "works", it says:') < follow.index("£5,193,000"), follow
    assert follow.count("For Scotland:") == 1, "said once, first"


def test_the_scope_sentence_quoted_at_the_step_names_a_scottish_bodys_own_duty(app: Svbot) -> None:
    lines = ["new Glasgow cleaning --nation scotland", "scope", "services", "216000", "included", "scottish", "", "",
             "2026-03-03", "answer scope", "3", "=", "q"]  # fmt: skip
    session, script = chat(app, lines, user="scopefu-scot")
    assert session.last_scope is not None
    record = app.checklists.record(session.current)
    scope = next(s for s in record["steps"] if s["id"] == "scope")
    assert scope["status"] == "answered", script.text
    assert "In Scotland the nation's own duty applies (Sustainable procurement duty, s.9)" in scope["reasons"]


def test_withdraw_with_its_reason_on_the_line_withdraws_and_is_not_a_question(app: Svbot) -> None:
    line = "withdraw Started twice by mistake, see the other one"
    session, script = chat(app, ["new Office cleaning", line, "no", line, "yes", "quit"])
    checklist = app.store.get_checklist(session.current)
    assert checklist["withdraw_reason"] == "Started twice by mistake, see the other one"
    assert "outside what I cover" not in script.text
    assert not any(p.startswith("Why withdraw") for p in script.prompts), "the reason was on the line"
    asked = [p for p in script.prompts if p.startswith("Withdraw checklist")]
    assert len(asked) == 2 and '(Office cleaning) because "Started twice by mistake, see the other one"?' in asked[0]
    assert "Sorry" not in script.text, "no withdrew nothing, so the second try could"
    session, _ = chat(app, ["new Office cleaning", "withdraw", "Started by mistake", "quit"])
    assert app.store.get_checklist(session.current)["withdraw_reason"] == "Started by mistake"


def test_dispute_and_resolve_take_their_note_on_the_line(app: Svbot) -> None:
    note = "One office of four staff, no staff transfer."
    session, script = chat(
        app,
        ["new Office cleaning", "answer outcomes", "2", "Not relevant.", "", f"dispute outcomes {note}", "quit"],
    )
    [dispute] = app.checklists.record(session.current)["disputes"]
    assert dispute["dispute"]["note"] == note and not any(p.startswith("Why do you disagree") for p in script.prompts)
    upheld = "Agreed: one office, no staff on site."
    line = "decision-maker dsingh --role Director of Adult Care"
    chat(app, [f"open {session.current}", line, "quit"])
    assert app.store.get_checklist(session.current)["decision_maker_role"] == "Director of Adult Care"
    _, script = chat(app, [f"open {session.current}", f"resolve outcomes {upheld}", "quit"], user="dsingh", name="Dora")
    assert app.checklists.record(session.current)["disputes"][0]["resolution"]["note"] == upheld
    assert not any(p.startswith("Your note") for p in script.prompts)


@pytest.mark.parametrize(
    ("line", "title", "details"),
    [
        (
            "new Depot cleaning --value £90k --buying cleaning of a bus depot",
            "Depot cleaning",
            {"value": "£90k", "buying": "cleaning of a bus depot"},
        ),
        ("new O'Brien's depot", "O'Brien's depot", {}),
        ('new 12" pipe supply --reference PS #4', '12" pipe supply', {"reference": "PS #4"}),
        ('new "Depot cleaning" --reference "CL 7"', "Depot cleaning", {"reference": "CL 7"}),
    ],
)
def test_new_keeps_every_word_typed(app: Svbot, line: str, title: str, details: dict[str, str]) -> None:
    session, script = chat(app, [line, "quit"])
    assert "Sorry" not in script.text
    checklist = app.store.get_checklist(session.current)
    assert checklist["title"] == title
    for name, value in details.items():
        assert checklist[name] == value


def test_a_question_starting_with_dispute_is_still_a_question(app: Svbot) -> None:
    session, script = chat(app, ["new Office cleaning", "dispute resolution in a services contract", "quit"])
    assert "Sorry" not in script.text and "there is no step" not in script.text
    assert app.checklists.record(session.current)["disputes"] == []
