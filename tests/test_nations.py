"""Answers for the user's nation: --nation, SVBOT_NATION, jurisdiction in JSON, leads and notes."""

from __future__ import annotations

import json

import pytest

from bot.core import Svbot
from bot.knowledge.loader import KnowledgeBase
from bot.nations import ALL_NATIONS, nation_view, parse_nation


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("wales", "Wales"),
        ("Northern Ireland", "Northern Ireland"),
        ("northern-ireland", "Northern Ireland"),
        ("", None),
    ],
)
def test_parse_nation(value: str, name: str | None) -> None:
    assert parse_nation(value) == name


def test_parse_nation_refuses_unknown_values() -> None:
    with pytest.raises(ValueError, match="use one of england, wales, scotland, northern-ireland"):
        parse_nation("atlantis")


def test_entry_that_does_not_apply_points_to_what_does(kb: KnowledgeBase) -> None:
    entry = kb.get("legal.thresholds")
    outside = next(n for n in ALL_NATIONS if n not in entry.jurisdiction)
    view = nation_view(kb, entry, outside)
    assert not view.applies
    assert view.see_also
    assert all(outside in e.jurisdiction and "England" not in e.jurisdiction for e in view.see_also)


def test_shared_legal_entry_points_a_welsh_reader_to_welsh_rules(kb: KnowledgeBase) -> None:
    # A legal entry shared with England that has no note of its own for Wales.
    entry = next(
        e
        for e in kb.entries
        if e.kind == "legal" and "Wales" in e.jurisdiction and len(e.jurisdiction) > 1 and "Wales" not in e.nation_notes
    )
    view = nation_view(kb, entry, "Wales")
    assert view.applies and view.see_also
    assert nation_view(kb, entry, "England").see_also == ()


def test_no_nation_says_where_an_entry_applies(kb: KnowledgeBase) -> None:
    view = nation_view(kb, kb.get("legal.thresholds"), None)
    assert view.nation is None and not view.everywhere


def test_ask_json_carries_jurisdiction_and_nation(run) -> None:
    result = run("ask", "--json", "--nation", "scotland", "--no-log", "what did oldham do with its banking contract")
    data = json.loads(result.stdout)
    assert data["nation"] == "Scotland"
    assert data["matches"][0]["jurisdiction"] == ["England"]


def test_ask_text_leads_with_the_nation(run) -> None:
    text = run("ask", "--nation", "scotland", "--no-log", "what did oldham do with its banking contract").stdout
    lines = text.splitlines()
    assert lines[2].startswith("For Scotland: this example is from England")


def test_ask_without_nation_says_where_it_applies(run) -> None:
    text = run("ask", "--no-log", "what did oldham do with its banking contract").stdout
    assert "Where: England." in text
    assert "For Scotland" not in text


def test_environment_sets_the_nation(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "scotland")
    data = json.loads(run("ask", "--json", "--no-log", "what did oldham do with its banking contract").stdout)
    assert data["nation"] == "Scotland"
    # --nation wins over the environment.
    data = json.loads(run("ask", "--json", "--no-log", "--nation", "wales", "reserved contracts for mutuals").stdout)
    assert data["nation"] == "Wales"


def test_bad_nation_setting_is_a_usage_error(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "atlantis")
    result = run("ask", "--no-log", "living wage")
    assert result.exit_code == 2
    assert "SVBOT_NATION" in result.stderr and "Traceback" not in result.stderr


def test_bad_nation_flag_is_a_usage_error(run) -> None:
    result = run("ask", "--nation", "atlantis", "living wage")
    assert result.exit_code == 2


# "what social value duty do we have", naming no nation: the 2012 Act's duty, but the Welsh Act's for
# someone in Wales (tests/matching/test_ranking_context.py has the rule itself).
DUTY = "what social value duty do we have"
WELSH_ACT = "legal.wales-socially-responsible-procurement"


def _first(run, *args: str) -> str:
    return json.loads(run("ask", "--json", "--no-log", *args, DUTY).stdout)["matches"][0]["id"]


def test_the_askers_nation_ranks_its_own_law_first_on_the_command_line(run, monkeypatch) -> None:
    assert _first(run) == "legal.duty-to-consider"
    assert _first(run, "--nation", "wales") == WELSH_ACT
    monkeypatch.setenv("SVBOT_NATION", "wales")
    assert _first(run) == WELSH_ACT
    # --nation wins over the environment.
    assert _first(run, "--nation", "england") == "legal.duty-to-consider"


@pytest.mark.parametrize(("nation", "first"), [("Wales", WELSH_ACT), (None, "legal.duty-to-consider")])
def test_the_chats_nation_ranks_its_own_law_first(app: Svbot, nation: str | None, first: str) -> None:
    from bot.chat import Chat
    from tests.test_chat import Script

    app.store.set_person_name("alice", "Alice Khan")
    script = Script([DUTY, "q"])
    Chat(app, "alice", read=script.read, write=script.write, nation=nation).run()
    answer = script.said[1]
    assert answer.startswith(app.snapshot().kb.get(first).title + "\n")


def test_a_follow_up_is_ranked_for_the_askers_nation(app: Svbot) -> None:
    scores = {}
    for nation in ("Scotland", None):
        app.answer("can we insist that suppliers pay the real living wage", conversation=str(nation), nation=nation)
        follow = app.answer("and what is our duty?", conversation=str(nation), nation=nation)
        assert follow.read_as is not None
        scores[nation] = {m.entry.id: m.score for m in follow.matches}
    scottish = "legal.scotland-sustainable-procurement"
    assert scores["Scotland"][scottish] > scores[None][scottish]


def test_a_question_naming_a_nation_is_answered_for_it(app: Svbot) -> None:
    assert app.answer("can we require the living wage in wales").nation == "Wales"
    assert app.answer("living wage in wales and scotland").nation is None


def test_chat_reads_follow_ups_and_shows_the_topic(app: Svbot) -> None:
    from tests.test_chat import chat

    _, script = chat(app, ["can we insist that suppliers pay the real living wage", "what about wales?", "q"])
    follow = script.said[2]
    assert follow.startswith('(Read as a follow-up to "')
    # Led by the entry's note for Wales, or by the Welsh entries to read when it has none.
    assert "In Wales: " in follow or "In Wales, also read:" in follow


# Wording and leads for the user's nation (issue 13, acceptance audit) -----------------------------


@pytest.mark.parametrize(
    ("items", "sentence"),
    [
        (["Wales"], "Wales"),
        (["England", "Wales"], "England and Wales"),
        (["England", "Wales", "Northern Ireland"], "England, Wales and Northern Ireland"),
    ],
)
def test_nations_read_as_a_sentence(items: list[str], sentence: str) -> None:
    from bot.render import and_list

    assert and_list(items) == sentence


def test_an_entry_for_england_and_wales_reads_naturally_in_scotland(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "scotland")
    out = run("ask", "--no-log", "which contracts does the act cover").stdout
    assert "this is about England and Wales and does not apply in Scotland" in out
    assert "England, Wales" not in out


@pytest.mark.parametrize("nation", ["scotland", "northern-ireland"])
def test_the_entrys_own_note_leads_where_it_does_not_apply(run, kb: KnowledgeBase, nation: str) -> None:
    entry = kb.get("legal.act-overview")
    name = parse_nation(nation)
    assert name not in entry.jurisdiction and name in entry.nation_notes
    out = run("ask", "--no-log", "--nation", nation, "what is the social value act").stdout
    lead = out.split(entry.title)[1].split(entry.short_answer[:40])[0]
    assert entry.nation_notes[name][:60] in lead
    assert "as written" not in lead


def test_the_entrys_own_note_leads_in_slack_too(app: Svbot) -> None:
    from bot.slack.answers import answer_message
    from bot.slack.blocks import fallback_text

    answer = app.answer("what is the social value act", nation="Scotland")
    message = answer_message(app, app.snapshot(), answer, None)
    lead = fallback_text(json.dumps(message["blocks"][:2]))
    assert answer.entry.nation_notes["Scotland"][:40] in lead


def test_wales_leads_with_the_welsh_position_on_the_act(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "wales")
    out = run("ask", "--no-log", "does the social value act apply to us").stdout
    _, _, rest = out.partition("\n")
    lead = rest.split("\n\n")[0]
    assert "In Wales: Section 1 does not apply to devolved Welsh authorities" in lead
    assert "Social Partnership and Public Procurement (Wales) Act 2023" in lead
