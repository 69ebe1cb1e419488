"""A checklist's details, nation and body type included, the same from the CLI, the chat and the service."""

from __future__ import annotations

import json

import pytest

from bot.chat import Chat
from bot.checklist.details import DETAIL_FIELDS, ChecklistDetails
from bot.checklist.service import ChecklistError, ChecklistService
from bot.core import Svbot
from bot.store.db import Store


@pytest.fixture
def cli(run, monkeypatch: pytest.MonkeyPatch):
    """The CLI with no nation or body type configured, unless a test sets one."""
    monkeypatch.delenv("SVBOT_NATION", raising=False)
    monkeypatch.delenv("SVBOT_BODY", raising=False)
    return run


def _new(cli, *options: str) -> str:
    result = cli("checklist", "new", "--title", "Cardiff office cleaning", "--by", "alice", "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def test_cli_new_records_the_nation_and_body_type(cli, env) -> None:
    checklist_id = _new(cli, "--nation", "Wales", "--body", "devolved-welsh")
    row = Store(env.db).get_checklist(checklist_id) or {}
    assert (row["nation"], row["body_type"]) == ("Wales", "devolved-welsh")
    shown = cli("checklist", "show", checklist_id).stdout
    assert "Nation and body type: Wales, Welsh devolved body" in shown
    record = json.loads(cli("checklist", "show", checklist_id, "--json").stdout)
    assert (record["nation"], record["body_type"]) == ("Wales", "devolved-welsh")
    markdown = cli("checklist", "export", checklist_id, "--format", "md").stdout
    assert "| Nation and body type | Wales, Welsh devolved body |" in markdown


def test_cli_new_says_what_it_recorded(cli) -> None:
    text = cli("checklist", "new", "--title", "Glasgow libraries", "--nation", "scotland", "--body", "scottish").stdout
    assert text.startswith("Started checklist ")
    assert "Nation and body type: Scotland, Scottish public body" in text


def test_cli_new_defaults_to_the_configured_nation_and_body(cli, env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "northern-ireland")
    monkeypatch.setenv("SVBOT_BODY", "ni")
    row = Store(env.db).get_checklist(_new(cli)) or {}
    assert (row["nation"], row["body_type"]) == ("Northern Ireland", "ni")
    # The options win over the configuration, as in `svbot scope`.
    row = Store(env.db).get_checklist(_new(cli, "--nation", "england", "--body", "central")) or {}
    assert (row["nation"], row["body_type"]) == ("England", "central")


def test_cli_new_without_nation_or_body_records_none(cli, env) -> None:
    checklist_id = _new(cli)
    row = Store(env.db).get_checklist(checklist_id) or {}
    assert (row["nation"], row["body_type"]) == (None, None)
    assert "Nation and body type: not given" in cli("checklist", "show", checklist_id).stdout


@pytest.mark.parametrize(("option", "value"), [("--nation", "atlantis"), ("--body", "council")])
def test_cli_new_refuses_unknown_values_plainly(cli, env, option: str, value: str) -> None:
    result = cli("checklist", "new", "--title", "Bad", option, value)
    assert result.exit_code == 2
    assert f"'{value}' is not one of" in result.stderr and "Traceback" not in result.output
    assert cli("checklist", "list", "--json").stdout.strip() == "[]", "nothing was started"


def test_from_scope_uses_the_checklists_nation_and_body(cli) -> None:
    checklist_id = _new(
        cli,
        "--nation",
        "wales",
        "--body",
        "devolved-welsh",
        "--value",
        "£3m",
        "--buying",
        "cleaning services",
        "--starts",
        "2026-04-01",  # after the Welsh duty's commencement (25 March 2026)
    )
    result = cli("checklist", "answer", checklist_id, "scope", "--from-scope", "--by", "alice", "--json")
    assert result.exit_code == 0, result.output
    scope = json.loads(result.stdout)["scope"]
    assert scope["act_applies"] is False, "a devolved Welsh authority is outside s.1"
    assert any("Wales" in d["title"] and d["applies"] for d in scope["duties"])
    record = json.loads(cli("checklist", "show", checklist_id, "--json").stdout)
    assert record["scope_check"]["inputs"]["body"] == "devolved-welsh"
    assert record["scope_check"]["inputs"]["nation"] == "Wales"


def test_service_checks_nation_and_body(shared_app: Svbot) -> None:
    service = shared_app.checklists
    checklist_id = service.new(ChecklistDetails("Belfast", nation="northern ireland", body_type="NI"), "alice")
    row = shared_app.store.get_checklist(checklist_id) or {}
    assert (row["nation"], row["body_type"]) == ("Northern Ireland", "ni")
    with pytest.raises(ChecklistError, match="unknown nation 'atlantis'"):
        service.new(ChecklistDetails("Bad", nation="atlantis"), "alice")
    with pytest.raises(ChecklistError, match="unknown body type 'council'"):
        service.new(ChecklistDetails("Bad", body_type="council"), "alice")


def test_every_detail_reaches_the_row_and_the_chained_event(shared_app: Svbot) -> None:
    service: ChecklistService = shared_app.checklists
    given = ChecklistDetails(
        "Everything",
        reference="R-1",
        value="£1m",
        category="care",
        buying="home care services",
        decision_maker="dora",
        decision_maker_role="Director",
        starts_on="2027-01-04",
        start_event="tender-notice",
        nation="Scotland",
        body_type="scottish",
    )
    checklist_id = service.new(given, "alice")
    row = shared_app.store.get_checklist(checklist_id) or {}
    assert {name: row[name] for name in DETAIL_FIELDS} == given.stored()
    created = next(e for e in shared_app.store.events(checklist_id) if e["kind"] == "checklist.created")
    assert created["data"] == given.stored()
    assert service.verify(checklist_id).intact
    # An edit to the nation outside svbot shows in the history check.
    shared_app.store.db["checklists"].update(checklist_id, {"nation": "Wales"})
    assert "the checklist's nation was changed outside svbot" in service.verify(checklist_id).problems


def _chat(app: Svbot, lines: list[str], nation: str | None = None) -> tuple[Chat, list[str]]:
    said: list[str] = []
    feed = iter(lines)

    def read(_: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    app.store.set_person_name("carys", "Carys Jones")
    session = Chat(app, "carys", read=read, write=said.append, nation=nation)
    session.run()
    return session, said


def test_chat_new_takes_nation_and_body(shared_app: Svbot) -> None:
    session, said = _chat(shared_app, ["new Swansea parks --nation wales --body devolved-welsh", "q"])
    row = shared_app.store.get_checklist(session.current or "") or {}
    assert (row["nation"], row["body_type"]) == ("Wales", "devolved-welsh")
    assert "Nation and body type: Wales, Welsh devolved body" in said[1]


def test_chat_new_defaults_to_the_chats_nation(shared_app: Svbot) -> None:
    session, _ = _chat(shared_app, ["new Aberdeen parks", "q"], nation="Scotland")
    assert (shared_app.store.get_checklist(session.current or "") or {})["nation"] == "Scotland"


def test_chat_new_refuses_an_unknown_nation(shared_app: Svbot) -> None:
    session, said = _chat(shared_app, ["new Atlantis parks --nation atlantis", "q"])
    assert session.current is None
    assert any(line.startswith("Sorry: unknown nation 'atlantis'") for line in said)


def test_chat_questions_lead_with_the_open_checklists_nation(shared_app: Svbot) -> None:
    question = "what did oldham do with its banking contract"
    _, said = _chat(shared_app, ["new Belfast banking --nation northern-ireland", question, "q"])
    assert "For Northern Ireland: this example is from England" in said[2]
    _, said = _chat(shared_app, [question, "q"])
    assert "For Northern Ireland" not in said[1]
