"""Checklist operations over a real database and the shipped checklist."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from samples import GOOD, NOT_PURSUED, TICK_BOX

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import MAX_TITLE, ChecklistError, ChecklistService, NotAllowed
from bot.core import Svbot

STEP_IDS = ["scope", "outcomes", "process", "proportionality", "consultation", "measurement", "decision"]
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    """Every test here starts its own checklist, so the module shares one app and database."""
    return shared_app


@pytest.fixture
def checklist(service: ChecklistService) -> str:
    return service.new(ChecklistDetails("Meals on wheels, Kirklees 2027", reference="KC-0042", value="£2.3m"), "alice")


def answer_good(service: ChecklistService, checklist_id: str, step: str, by: str = "alice"):
    decision, reasons = GOOD[step]
    return service.answer(checklist_id, step, decision, reasons, by)


def complete(service: ChecklistService, checklist_id: str, by: str = "alice") -> None:
    for step in STEP_IDS:
        assert answer_good(service, checklist_id, step, by=by).accepted


# Starting -------------------------------------------------------------------------------


def test_new_records_details(service: ChecklistService, checklist: str) -> None:
    record = service.record(checklist)
    assert record["title"] == "Meals on wheels, Kirklees 2027"
    assert record["reference"] == "KC-0042"
    assert record["value"] == "£2.3m"
    assert record["created_by"] == "alice"
    assert record["location"] == {"where": "local"}
    assert record["status"] == "open"
    assert record["open_steps"] == STEP_IDS


def test_title_is_tidied_and_an_over_long_one_refused_not_cut(service: ChecklistService) -> None:
    checklist_id = service.new(ChecklistDetails("  Home   care\nframework  " + "x" * 10), "alice")
    assert service.record(checklist_id)["title"] == "Home care framework " + "x" * 10
    long = "Cleaning of the bus depot and its offices " * 8  # 336 characters, cut mid-word at 200 before
    with pytest.raises(ChecklistError, match=f"the title is 335 characters, over the {MAX_TITLE} a record keeps"):
        service.new(ChecklistDetails(long), "alice")
    exact = ("x" * (MAX_TITLE - 1)) + "y"
    assert service.record(service.new(ChecklistDetails(exact), "alice"))["title"] == exact


def test_over_long_details_are_refused_not_cut(service: ChecklistService) -> None:
    with pytest.raises(ChecklistError, match="what is bought is 400 characters, over the 300"):
        service.new(ChecklistDetails("Depot cleaning", buying="b" * 400), "alice")


@pytest.mark.parametrize("title", ["", "   \n\t "])
def test_blank_title_is_refused(service: ChecklistService, title: str) -> None:
    with pytest.raises(ChecklistError, match="title"):
        service.new(ChecklistDetails(title), "alice")


def test_steps_follow_the_contract(service: ChecklistService) -> None:
    assert [s.id for s in service.steps] == STEP_IDS


# Answering ------------------------------------------------------------------------------


def test_accepted_answer(service: ChecklistService, checklist: str) -> None:
    outcome = answer_good(service, checklist, "outcomes")
    assert outcome.accepted
    assert outcome.problems == []
    assert outcome.answer.accepted
    assert outcome.answer.author == "alice"
    assert outcome.answer.supersedes is None
    assert not outcome.complete
    assert outcome.as_json() == {
        "accepted": True,
        "problems": [],
        "answer_id": outcome.answer.id,
        "complete": False,
    }
    assert service.open_steps(checklist) == [s for s in STEP_IDS if s != "outcomes"]


def test_refused_answer_is_kept_with_its_problems(service: ChecklistService, checklist: str, app: Svbot) -> None:
    outcome = service.answer(checklist, "outcomes", "outcomes-identified", TICK_BOX, "bob")
    assert not outcome.accepted
    assert len(outcome.problems) == 1
    assert "could be pasted into any procurement" in outcome.problems[0]
    assert outcome.verdict.problems == ["boilerplate"]
    [stored] = app.store.answers(checklist)
    assert stored.id == outcome.answer.id
    assert stored.accepted is False
    assert stored.reasons == TICK_BOX
    assert stored.author == "bob"
    assert stored.problems == outcome.problems
    # A refused answer does not answer the step.
    assert "outcomes" in service.open_steps(checklist)
    assert service.record(checklist)["steps"][1]["refused"] == 1


def test_refusal_on_negative_option_points_to_examples(service: ChecklistService, checklist: str) -> None:
    outcome = service.answer(checklist, "outcomes", "none-relevant", "Not relevant to this contract.", "alice")
    assert not outcome.accepted
    cited = {c["id"] for c in outcome.cites}
    assert "case.oldham-banking" in cited
    assert all(set(c) == {"id", "title", "short_answer"} for c in outcome.cites)


def test_reasons_are_stripped_before_storing(service: ChecklistService, checklist: str) -> None:
    decision, reasons = GOOD["scope"]
    outcome = service.answer(checklist, "scope", decision, f"  \n{reasons}\n  ", "alice")
    assert outcome.answer.reasons == reasons


def test_revision_supersedes_and_history_keeps_all(service: ChecklistService, checklist: str) -> None:
    first = answer_good(service, checklist, "outcomes")
    refused = service.answer(checklist, "outcomes", "none-relevant", "n/a", "bob")
    revised_reasons = "10 apprenticeships for Kirklees care leavers and 40% of food from Yorkshire growers."
    second = service.answer(checklist, "outcomes", "outcomes-identified", revised_reasons, "bob")

    assert second.accepted
    assert second.answer.supersedes == first.answer.id
    assert refused.answer.supersedes is None
    record = service.record(checklist)
    step = record["steps"][STEP_IDS.index("outcomes")]
    assert step["reasons"] == revised_reasons
    assert step["author"] == "bob"
    assert step["answer_id"] == second.answer.id
    assert step["revisions"] == 2
    assert step["refused"] == 1
    assert [h["id"] for h in record["history"]] == [first.answer.id, refused.answer.id, second.answer.id]
    assert [h["accepted"] for h in record["history"]] == [True, False, True]
    assert record["history"][0]["reasons"] == GOOD["outcomes"][1]


def test_refused_revision_keeps_the_accepted_answer(service: ChecklistService, checklist: str) -> None:
    first = answer_good(service, checklist, "scope")
    service.answer(checklist, "scope", "does-not-apply", "Not relevant.", "alice")
    step = service.record(checklist)["steps"][0]
    assert step["answer_id"] == first.answer.id
    assert step["decision"] == "applies"


def test_steps_in_any_order_until_complete(service: ChecklistService, checklist: str) -> None:
    order = ["measurement", "scope", "consultation", "outcomes", "proportionality", "process", "decision"]
    outcomes = [answer_good(service, checklist, step) for step in order]
    assert all(o.accepted for o in outcomes)
    assert [o.complete for o in outcomes] == [False] * 6 + [True]
    record = service.record(checklist)
    assert record["status"] == "complete"
    assert record["open_steps"] == []
    assert [s["id"] for s in record["steps"]] == STEP_IDS


def test_unknown_checklist(service: ChecklistService) -> None:
    with pytest.raises(ChecklistError, match="no checklist 'nope1234'"):
        service.answer("nope1234", "scope", "applies", GOOD["scope"][1], "alice")
    with pytest.raises(ChecklistError):
        service.record("nope1234")
    with pytest.raises(ChecklistError):
        service.export("nope1234", "md")


def test_unknown_step_lists_the_steps(service: ChecklistService, checklist: str) -> None:
    with pytest.raises(ChecklistError) as caught:
        service.answer(checklist, "living-wage", "applies", GOOD["scope"][1], "alice")
    assert "no step 'living-wage'" in str(caught.value)
    assert "scope, outcomes, process" in str(caught.value)


def test_unknown_option_lists_the_options(service: ChecklistService, checklist: str, app: Svbot) -> None:
    with pytest.raises(ChecklistError) as caught:
        service.answer(checklist, "outcomes", "maybe", GOOD["outcomes"][1], "alice")
    assert "outcomes-identified, none-relevant" in str(caught.value)
    assert app.store.answers(checklist) == []


def test_unknown_export_format(service: ChecklistService, checklist: str) -> None:
    with pytest.raises(ChecklistError, match="md, json, csv"):
        service.export(checklist, "xlsx")


# Sign-off ---------------------------------------------------------------------------------


def test_only_creator_signs_off_by_default(service: ChecklistService, checklist: str, app: Svbot) -> None:
    decision, reasons = GOOD["decision"]
    with pytest.raises(NotAllowed) as caught:
        service.answer(checklist, "decision", decision, reasons, "mallory")
    assert isinstance(caught.value, ChecklistError)
    assert "alice" in str(caught.value)
    assert "mallory" not in str(caught.value)
    assert app.store.answers(checklist) == []
    # Anyone may answer the other steps.
    for step in STEP_IDS[:-1]:
        assert answer_good(service, checklist, step, by="mallory").accepted
    assert answer_good(service, checklist, "decision", by="alice").accepted


def test_named_decision_maker_can_sign_off(service: ChecklistService, checklist: str) -> None:
    service.name_decision_maker(checklist, "dora", "alice")
    complete_but_decision = [s for s in STEP_IDS if s != "decision"]
    for step in complete_but_decision:
        answer_good(service, checklist, step, by="bob")
    outcome = answer_good(service, checklist, "decision", by="dora")
    assert outcome.accepted and outcome.complete
    record = service.record(checklist)
    assert record["decision_maker"] == "dora"
    assert record["sign_off"]["by"] == "dora"
    assert record["sign_off"]["decision"] == "proceed"
    with pytest.raises(NotAllowed) as caught:
        answer_good(service, checklist, "decision", by="bob")
    assert "alice" in str(caught.value) and "dora" in str(caught.value)


def test_only_creator_names_the_decision_maker(service: ChecklistService, checklist: str) -> None:
    with pytest.raises(NotAllowed) as caught:
        service.name_decision_maker(checklist, "mallory", "mallory")
    assert "alice" in str(caught.value)
    assert service.record(checklist)["decision_maker"] is None


# The record and its exports ---------------------------------------------------------------


def test_record_shape(service: ChecklistService, checklist: str) -> None:
    answer_good(service, checklist, "scope")
    service.answer(checklist, "outcomes", "none-relevant", "n/a", "bob")
    record = service.record(checklist)
    assert set(record) >= {
        "id",
        "title",
        "reference",
        "value",
        "category",
        "created_by",
        "created_at",
        "decision_maker",
        "location",
        "status",
        "open_steps",
        "sign_off",
        "steps",
        "cited_entries",
        "history",
        "checklist_title",
    }
    assert record["id"] == checklist
    assert record["sign_off"] is None
    assert len(record["steps"]) == len(STEP_IDS)
    scope = record["steps"][0]
    assert set(scope) >= {
        "id",
        "title",
        "question",
        "duty",
        "status",
        "decision",
        "decision_label",
        "reasons",
        "author",
        "at",
        "answer_id",
        "revisions",
        "refused",
        "cites",
    }
    assert scope["status"] == "answered"
    assert scope["decision_label"] == "The Act applies"
    assert "legal.scope-services" in [e["id"] for e in scope["cites"]]
    assert record["steps"][1]["status"] == "open"
    assert record["steps"][1]["decision"] is None
    assert {e["id"] for e in record["cited_entries"]} >= {"legal.scope-services", "legal.record-keeping"}
    for item in record["history"]:
        assert set(item) >= {"id", "step", "decision", "reasons", "author", "at", "status", "problems", "supersedes"}
    assert [h["status"] for h in record["history"]] == ["accepted", "refused"]
    assert json.loads(json.dumps(record)) == record


def test_markdown_export(service: ChecklistService, checklist: str) -> None:
    answer_good(service, checklist, "scope")
    service.answer(checklist, "outcomes", "outcomes-identified", TICK_BOX, "bob")
    text = service.export(checklist, "md")
    assert text.startswith("# Social value decision record: Meals on wheels, Kirklees 2027")
    for step in service.steps:
        assert step.question in text
    assert "Revision history" in text
    assert GOOD["scope"][1] in text
    assert "KC-0042" in text
    assert "refused" in text
    assert TICK_BOX in text


def test_json_export_parses(service: ChecklistService, checklist: str) -> None:
    complete(service, checklist)
    data = json.loads(service.export(checklist, "json"))
    assert data == json.loads(json.dumps(service.record(checklist)))
    assert data["status"] == "complete"
    assert data["sign_off"]["by"] == "alice"


def test_csv_export_parses(service: ChecklistService, checklist: str) -> None:
    complete(service, checklist)
    service.answer(checklist, "scope", "does-not-apply", "n/a", "bob")
    rows = list(csv.DictReader(io.StringIO(service.export(checklist, "csv").removeprefix("\ufeff"))))
    current = [r for r in rows if r["kind"] == "current"]
    history = [r for r in rows if r["kind"] == "history"]
    assert len(rows) == len(current) + len(history)
    assert [r["step"] for r in current] == STEP_IDS
    assert len(history) == len(STEP_IDS) + 1
    assert current[0]["reasons"] == GOOD["scope"][1]
    assert current[0]["question"] == service.steps[0].question
    assert history[-1]["answer_status"] == "refused"
    assert history[-1]["problems"]
    assert {r["checklist_id"] for r in rows} == {checklist}


def test_csv_neutralises_formulas(service: ChecklistService) -> None:
    checklist_id = service.new(ChecklistDetails('=HYPERLINK("http://evil.example","click")'), "@attacker")
    hostile = [
        '=HYPERLINK("http://evil.example","8 apprenticeships for Wigan care leavers over 3 years")',
        "=1+1",
        "+44 7700 900123 is the number for Wigan apprentices, 8 of them",
        "@SUM(A1:A3) for 8 Wigan apprentices over 3 years",
        "-2+3 apprentices from Bolton over 4 years",
        "\t=1+2 then 8 Wigan apprentices over 3 years",
        "\r=1+3 then 8 Wigan apprentices over 3 years",
    ]
    for reasons in hostile:
        service.answer(checklist_id, "outcomes", "outcomes-identified", reasons, "@attacker")
    rows = list(csv.reader(io.StringIO(service.export(checklist_id, "csv").removeprefix("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith((*FORMULA_STARTS, "\t", "\r"))]
    # The text is kept, only neutralised.
    assert "'=1+1" in cells
    assert "'@attacker" in cells


def test_list(service: ChecklistService) -> None:
    older = service.new(ChecklistDetails("Older"), "lister-1")
    newer = service.new(ChecklistDetails("Newer"), "lister-2")
    answer_good(service, newer, "scope", by="lister-2")
    complete(service, older, by="lister-1")
    rows = [r for r in service.all() if r["id"] in (older, newer)]
    assert [r["id"] for r in rows] == [newer, older]
    assert rows[0]["steps_answered"] == 1
    assert rows[0]["status"] == "open"
    assert rows[1]["status"] == "complete"
    assert rows[1]["steps_total"] == len(STEP_IDS)
    assert [r["id"] for r in service.all(created_by="lister-2")] == [newer]
    # Newest first across everything, too.
    everything = [r["created_at"] for r in service.all()]
    assert everything == sorted(everything, reverse=True)


def test_a_refusal_asks_the_missing_elements_question(service: ChecklistService, checklist: str, app: Svbot) -> None:
    outcome = service.answer(
        checklist, "process", "not-pursued", "Not pursued as the framework fixes the criteria.", "bob"
    )
    assert not outcome.accepted
    assert outcome.verdict.missing == ["instead"]
    [problem] = outcome.problems
    assert problem.startswith("The reasons don't yet give what you will do or record instead.")
    assert problem.endswith(
        "You give the constraint that rules it out: what will you do or record instead "
        "(at the call-off, in the contract, at the next re-tender)?"
    )
    [stored] = app.store.answers(checklist)
    assert stored.problems == [problem]


def test_csv_line_breaks_inside_a_cell_never_start_a_new_row(service: ChecklistService) -> None:
    # An unquoted line break would end the row, and the text after it would open a new row
    # whose first cell a spreadsheet runs as a formula.
    checklist_id = service.new(ChecklistDetails("Care & Support"), "alice")
    service.answer(checklist_id, "outcomes", "none-relevant", "n/a\n=cmd|' /C calc'!A0", "x\r=1+3")
    service.answer(checklist_id, "outcomes", "none-relevant", "not relevant\r@SUM(1)", "bob")
    rows = list(csv.reader(io.StringIO(service.export(checklist_id, "csv").removeprefix("\ufeff"), newline="")))
    assert {len(row) for row in rows} == {len(rows[0])}
    assert len([r for r in rows if "history" in r]) == 2
    assert not [c for row in rows[1:] for c in row if c.startswith((*FORMULA_STARTS, "\t", "\r", "\n"))]


# What the record shows, the reasons need not repeat ----------------------------------------

WITHOUT = "one-off spare part from the only manufacturer, so there is nothing to build social value into"


def test_the_named_decision_maker_need_not_name_themselves(service: ChecklistService, checklist: str) -> None:
    service.name_decision_maker(checklist, "dora", "alice", role="Director of Adult Care")
    for step in STEP_IDS[:-1]:
        answer_good(service, checklist, step, by="bob")
    # Proceeding without social value: the process answer must not be securing it (conflicts:).
    assert service.answer(checklist, "process", "not-pursued", NOT_PURSUED, "bob").accepted
    # The starter signing (allowed) is not the named decision maker: the reasons must say who decides.
    by_starter = service.answer(checklist, "decision", "proceed-without", WITHOUT, "alice")
    assert not by_starter.accepted and "needs:decision-maker" in by_starter.verdict.rules
    by_dora = service.answer(checklist, "decision", "proceed-without", WITHOUT, "dora")
    assert by_dora.accepted, by_dora.problems
    assert "recorded:decision-maker" in by_dora.answer.rules


def test_a_decision_before_the_recorded_start_need_not_give_its_date(service: ChecklistService, checklist: str) -> None:
    reasons = "Proceed with the local employment and carbon asks agreed at the steps above, director of adult care"
    service.set_start(checklist, (dt.date.today() - dt.timedelta(days=1)).isoformat(), None, "alice")
    for step in STEP_IDS[:-1]:
        answer_good(service, checklist, step, by="bob")
    late = service.answer(checklist, "decision", "proceed", reasons, "alice")
    assert not late.accepted and "needs:timing" in late.verdict.rules
    service.set_start(checklist, dt.date.today().isoformat(), None, "alice")
    on_the_day = service.answer(checklist, "decision", "proceed", reasons, "alice")
    assert on_the_day.accepted, on_the_day.problems
    assert "recorded:timing" in on_the_day.answer.rules


def test_a_deferral_s_revisit_date_says_until_when(service: ChecklistService, checklist: str) -> None:
    for step in STEP_IDS[:-1]:
        answer_good(service, checklist, step)
    outcome = service.answer(
        checklist, "decision", "defer", "Waiting for the estates review", "alice", revisit_on="2099-02-01"
    )
    assert outcome.accepted, outcome.problems
    assert service.facts_for(checklist, "decision", "alice", "2099-02-01") == {"revisit-date"}


def test_a_refusal_calls_only_a_tick_box_a_tick_box(service: ChecklistService, checklist: str) -> None:
    dismissal = service.answer(checklist, "outcomes", "none-relevant", "Not relevant 2027 Rochdale £1m", "alice")
    assert service.describe(dismissal).startswith("Not recorded as an answer yet: these reasons read like a tick-box.")
    part = service.answer(checklist, "process", "not-pursued", "the framework fixes the criteria", "alice")
    assert part.verdict.problems == ["missing_element"]
    text = service.describe(part)
    assert text.startswith("Not recorded as an answer yet: the reasons don't yet cover everything this decision needs.")
    assert "read like a tick-box" not in text
