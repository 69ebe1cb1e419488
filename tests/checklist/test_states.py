"""Answer and checklist states: sign-off, disputes, deferral, withdrawal, reopening, the start date."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from kbtools import edit
from samples import GOOD, TICK_BOX

from bot.checklist import waiting
from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistError, ChecklistService, NotAllowed, NotReady
from bot.checklist.states import AnswerStatus
from bot.config import Settings
from bot.core import Svbot

OTHER_STEPS = ["scope", "outcomes", "process", "proportionality", "consultation", "measurement"]
DISMISSAL = "Not relevant."


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    return shared_app


@pytest.fixture
def checklist(service: ChecklistService) -> str:
    return service.new(
        ChecklistDetails("Office cleaning, Kirklees", decision_maker="dora", decision_maker_role="Director"), "alice"
    )


def answer(service: ChecklistService, checklist_id: str, step: str, by: str = "alice", **kwargs):
    decision, reasons = GOOD[step]
    return service.answer(checklist_id, step, decision, reasons, by, **kwargs)


def answer_others(service: ChecklistService, checklist_id: str, skip: tuple[str, ...] = ()) -> None:
    for step in OTHER_STEPS:
        if step not in skip:
            assert answer(service, checklist_id, step).accepted


def disputed_outcomes(service: ChecklistService, checklist_id: str) -> int:
    refused = service.answer(checklist_id, "outcomes", "none-relevant", DISMISSAL, "bob")
    assert not refused.accepted
    service.dispute(checklist_id, refused.answer.id, "One office with no staff transfer; nothing to add.", "bob")
    return refused.answer.id


# Sign-off -----------------------------------------------------------------------------------


def test_sign_off_is_refused_while_steps_are_open_and_names_them(
    service: ChecklistService, checklist: str, app: Svbot
) -> None:
    answer(service, checklist, "scope")
    with pytest.raises(NotReady) as caught:
        answer(service, checklist, "decision", by="dora")
    assert "outcomes, process, proportionality, consultation, measurement" in str(caught.value)
    assert "scope" not in str(caught.value)
    assert [a.step for a in app.store.answers(checklist)] == ["scope"], "a refused sign-off records nothing"
    with pytest.raises(NotReady):
        service.answer(checklist, "decision", "proceed-without", GOOD["decision"][1], "dora")


def test_sign_off_is_refused_while_a_step_is_disputed(service: ChecklistService, checklist: str) -> None:
    answer_others(service, checklist, skip=("outcomes",))
    disputed_outcomes(service, checklist)
    with pytest.raises(NotReady) as caught:
        answer(service, checklist, "decision", by="dora")
    assert "Disputed, waiting for the decision maker: outcomes" in str(caught.value)
    assert "Still open" not in str(caught.value)


def test_sign_off_when_every_other_step_counts_completes(service: ChecklistService, checklist: str) -> None:
    answer_others(service, checklist)
    outcome = answer(service, checklist, "decision", by="dora")
    assert outcome.accepted and outcome.complete
    record = service.record(checklist)
    assert record["status"] == "complete"
    assert record["sign_off"]["valid"] and record["sign_off"]["by"] == "dora"


def test_a_blank_decision_maker_is_refused(service: ChecklistService, checklist: str) -> None:
    for blank in ("", "   ", "\n\t"):
        with pytest.raises(ChecklistError, match="needs a name"):
            service.name_decision_maker(checklist, blank, "alice")
        with pytest.raises(ChecklistError, match="needs a name"):
            service.new(ChecklistDetails("Another", decision_maker=blank), "alice")
    assert service.record(checklist)["decision_maker"] == "dora"


@pytest.mark.parametrize("change", ["revise a step", "change the decision maker", "dispute a step"])
def test_changes_after_sign_off_reopen_the_checklist(service: ChecklistService, checklist: str, change: str) -> None:
    answer_others(service, checklist)
    assert answer(service, checklist, "decision", by="dora").complete
    if change == "revise a step":
        reasons = (
            "One 10% question and 2 KPIs are not a burden for a £2.3m contract over 4 years; "
            "the 12 local bidders already collect this."
        )
        assert service.answer(checklist, "proportionality", "proportionate", reasons, "bob").accepted
        reopened = "proportionality revised"
    elif change == "change the decision maker":
        service.name_decision_maker(checklist, "erin", "alice")
        reopened = "decision maker changed"
    else:
        refused = service.answer(checklist, "measurement", "no-measurement", DISMISSAL, "bob")
        service.dispute(checklist, refused.answer.id, "Measured by the existing site audit.", "bob")
        reopened = "measurement disputed"
    record = service.record(checklist)
    assert record["status"] == "open"
    assert record["sign_off"]["valid"] is False
    assert record["sign_off"]["reopened_by"] == reopened
    assert "needs signing off again" in service.export(checklist, "md")
    if change != "dispute a step":
        signer = "erin" if change == "change the decision maker" else "dora"
        assert answer(service, checklist, "decision", by=signer).complete


# Disputes -----------------------------------------------------------------------------------


def test_dispute_then_the_decision_maker_upholds_it(service: ChecklistService, checklist: str, app: Svbot) -> None:
    answer_id = disputed_outcomes(service, checklist)
    stored = app.store.answer(answer_id)
    assert stored.status is AnswerStatus.DISPUTED and not stored.counts
    assert stored.dispute_note.startswith("One office") and stored.disputed_by == "bob"
    assert "outcomes" in service.open_steps(checklist)
    with pytest.raises(NotAllowed, match="dora"):
        service.resolve_dispute(checklist, answer_id, "fine by me", "alice")
    with pytest.raises(ChecklistError, match="note"):
        service.resolve_dispute(checklist, answer_id, "   ", "dora")
    upheld = service.resolve_dispute(checklist, answer_id, "Agreed: the building programme covers it.", "dora")
    assert upheld.status is AnswerStatus.UPHELD and upheld.counts
    assert "outcomes" not in service.open_steps(checklist)
    record = service.record(checklist)
    step = next(s for s in record["steps"] if s["id"] == "outcomes")
    assert step["status"] == "upheld" and step["counts"]
    assert step["resolution"]["by"] == "dora"
    [dispute] = record["disputes"]
    assert dispute["outcome"] == "upheld" and dispute["reasons"] == DISMISSAL
    text = service.export(checklist, "md")
    assert "accepted by the decision maker over the checker's objection" in text
    assert "Agreed: the building programme covers it." in text


def test_only_a_named_decision_maker_resolves_a_dispute(service: ChecklistService) -> None:
    """The audit's one-person override: without a named decision maker, the starter cannot uphold."""
    checklist_id = service.new(ChecklistDetails("No decision maker"), "alice")
    answer_id = disputed_outcomes(service, checklist_id)
    note = "Accepted: one office, no staff on site."
    for who in ("alice", "bob"):
        with pytest.raises(NotAllowed, match="No decision maker is named") as refused:
            service.resolve_dispute(checklist_id, answer_id, note, who)
        assert f"svbot checklist decision-maker {checklist_id} LOGIN" in str(refused.value)
        assert "`decision-maker LOGIN` in the chat" in str(refused.value)
    assert service.progress(checklist_id).disputed_steps == ["outcomes"]
    service.name_decision_maker(checklist_id, "dora", "alice")
    with pytest.raises(NotAllowed, match=r"Only the decision maker \(dora\)"):
        service.resolve_dispute(checklist_id, answer_id, note, "alice")
    assert service.resolve_dispute(checklist_id, answer_id, note, "dora").counts


@pytest.mark.parametrize(
    "note",
    ["x", ".", "ok", "Agreed", "agreed.", "n/a", "As above", "OK, agreed, fine by me.", "Agreed: one office."],
)
def test_a_note_that_gives_no_reason_is_refused_saying_what_a_note_needs(service: ChecklistService, note: str) -> None:
    checklist_id = service.new(ChecklistDetails("Office cleaning", decision_maker="dora"), "alice")
    refused = service.answer(checklist_id, "outcomes", "none-relevant", DISMISSAL, "bob")
    with pytest.raises(ChecklistError, match="at least 3 words of your own saying why the team disagrees"):
        service.dispute(checklist_id, refused.answer.id, note, "bob")
    service.dispute(checklist_id, refused.answer.id, "One office of four staff, no staff transfer.", "bob")
    with pytest.raises(ChecklistError, match="at least 3 words of your own saying why you accept") as told:
        service.resolve_dispute(checklist_id, refused.answer.id, note, "dora")
    if note.lower().startswith(("ok", "agreed", "as above", "n/a")):
        assert "on its own is not a reason" in str(told.value)
    assert service.progress(checklist_id).disputed_steps == ["outcomes"], "nothing was upheld"
    upheld = service.resolve_dispute(checklist_id, refused.answer.id, "Agreed: one office, no staff on site.", "dora")
    assert upheld.counts


def test_the_note_rule_is_data_in_checklist_yaml(kb_copy: Path, tmp_path: Path) -> None:
    edit(kb_copy / "checklist.yaml", "  min_words: 3\n", "  min_words: 1\n")
    app = Svbot(Settings(db_path=tmp_path / "svbot.db", knowledge_dir=kb_copy))
    checklist_id = app.checklists.new(ChecklistDetails("Office cleaning", decision_maker="dora"), "alice")
    refused = app.checklists.answer(checklist_id, "outcomes", "none-relevant", DISMISSAL, "bob")
    with pytest.raises(ChecklistError, match="at least 1 words"):
        app.checklists.dispute(checklist_id, refused.answer.id, "Agreed.", "bob")
    assert app.checklists.dispute(checklist_id, refused.answer.id, "Tiny.", "bob").dispute_note == "Tiny."


def test_an_over_long_note_is_refused_not_cut(service: ChecklistService, checklist: str) -> None:
    refused = service.answer(checklist, "outcomes", "none-relevant", DISMISSAL, "bob")
    note = "One office of four staff, no staff transfer. " * 170  # about 7,600 characters
    with pytest.raises(ChecklistError, match=r"That note is 7,\d{3} characters; .* keep it to 5,000"):
        service.dispute(checklist, refused.answer.id, note, "bob")
    assert service.dispute(checklist, refused.answer.id, note[:4_990], "bob").dispute_note == note[:4_990].strip()


def test_a_revision_that_is_accepted_ends_the_dispute(service: ChecklistService, checklist: str) -> None:
    answer_id = disputed_outcomes(service, checklist)
    revised = answer(service, checklist, "outcomes", by="bob")
    assert revised.accepted
    [dispute] = service.record(checklist)["disputes"]
    assert dispute["outcome"] == "superseded" and dispute["superseded_by"] == revised.answer.id
    with pytest.raises(ChecklistError, match="no longer the latest"):
        service.resolve_dispute(checklist, answer_id, "too late", "dora")


def test_only_the_latest_refused_answer_can_be_disputed(service: ChecklistService, checklist: str) -> None:
    accepted = answer(service, checklist, "scope")
    with pytest.raises(ChecklistError, match="is accepted, not refused"):
        service.dispute(checklist, accepted.answer.id, "why not", "bob")
    first = service.answer(checklist, "outcomes", "none-relevant", DISMISSAL, "bob")
    service.answer(checklist, "outcomes", "none-relevant", "n/a", "bob")
    with pytest.raises(ChecklistError, match="no longer the latest"):
        service.dispute(checklist, first.answer.id, "the first one was fine", "bob")
    with pytest.raises(ChecklistError, match="note"):
        service.dispute(checklist, first.answer.id + 1, "", "bob")
    with pytest.raises(ChecklistError, match="no answer #999999"):
        service.dispute(checklist, 999999, "x", "bob")


def test_resolving_a_disputed_sign_off_needs_the_other_steps(service: ChecklistService, checklist: str) -> None:
    answer_others(service, checklist, skip=("process",))
    answer(service, checklist, "process")
    refused = service.answer(checklist, "decision", "proceed-without", "n/a", "dora")
    assert not refused.accepted
    service.dispute(checklist, refused.answer.id, "Goods-only call-off; criteria fixed nationally.", "dora")
    assert service.record(checklist)["status"] == "open"
    reasons = "Goods-only call-off from a national framework; we cannot add award criteria. Reopened."
    service.answer(checklist, "process", "not-pursued", "n/a", "bob")  # refused: changes nothing
    assert service.answer(checklist, "process", "secure-through-process", GOOD["process"][1], "bob").accepted
    refused = service.answer(checklist, "decision", "proceed-without", "n/a", "dora")
    service.dispute(checklist, refused.answer.id, reasons, "dora")
    other = service.answer(checklist, "consultation", "no-consultation", "n/a", "bob")
    service.dispute(checklist, other.answer.id, "No one to consult for a call-off.", "bob")
    with pytest.raises(NotReady, match="consultation"):
        service.resolve_dispute(checklist, refused.answer.id, "Accepted: fixed national framework.", "dora")
    service.resolve_dispute(checklist, other.answer.id, "Accepted: nothing to consult on for a call-off.", "dora")
    service.resolve_dispute(checklist, refused.answer.id, "Accepted: fixed national framework.", "dora")
    record = service.record(checklist)
    assert record["status"] == "complete"
    assert record["sign_off"]["upheld"] is True and record["sign_off"]["by"] == "dora"


def test_a_disputed_step_never_counts_as_accepted(service: ChecklistService, checklist: str, app: Svbot) -> None:
    answer(service, checklist, "scope")
    disputed_outcomes(service, checklist)
    summary = next(c for c in service.all() if c["id"] == checklist)
    assert summary["steps_answered"] == 1 and summary["steps_disputed"] == 1
    mine = next(c for c in waiting.involving(service, "bob") if c["id"] == checklist)
    assert mine["steps_answered"] == 1
    record = service.record(checklist)
    outcomes = next(s for s in record["steps"] if s["id"] == "outcomes")
    assert outcomes["status"] == "disputed" and not outcomes["counts"]
    assert "outcomes" in record["open_steps"] and record["disputed_steps"] == ["outcomes"]
    show = app.renderer.render("checklist/show.txt.j2", record=record)
    assert "accepted" not in show.split("(outcomes)")[1].split("3.")[0]
    assert "disputed" in show
    md = service.export(checklist, "md")
    summary_row = next(line for line in md.splitlines() if line.startswith("| 2. "))
    assert "disputed" in summary_row and "accepted" not in summary_row
    rows = list(csv.DictReader(io.StringIO(service.export(checklist, "csv").lstrip("\ufeff"))))
    current = next(r for r in rows if r["kind"] == "current" and r["step"] == "outcomes")
    assert current["answer_status"] == "disputed"
    data = json.loads(service.export(checklist, "json"))
    assert next(s for s in data["steps"] if s["id"] == "outcomes")["counts"] is False


# Deferral and withdrawal ----------------------------------------------------------------------


def test_defer_needs_a_revisit_date_and_keeps_the_checklist_open(service: ChecklistService, checklist: str) -> None:
    reasons = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."
    with pytest.raises(ChecklistError, match="revisit date"):
        service.answer(checklist, "decision", "defer", reasons, "dora")
    with pytest.raises(ChecklistError, match="YYYY-MM-DD"):
        service.answer(checklist, "decision", "defer", reasons, "dora", revisit_on="next spring")
    outcome = service.answer(checklist, "decision", "defer", reasons, "dora", revisit_on="2099-02-01")
    assert outcome.accepted and not outcome.complete
    record = service.record(checklist)
    assert record["status"] == "deferred"
    assert record["deferral"]["revisit_on"] == "2099-02-01"
    assert record["deferral"]["waiting_for"] == reasons
    assert record["sign_off"] is None
    assert "deferred until 2099-02-01" in service.describe(outcome)
    assert answer(service, checklist, "scope").accepted, "a deferred checklist stays open for answers"


def test_withdraw_keeps_the_checklist_read_only(service: ChecklistService, checklist: str) -> None:
    answer(service, checklist, "scope")
    with pytest.raises(ChecklistError, match="say why"):
        service.withdraw(checklist, "  ", "alice")
    with pytest.raises(NotAllowed):
        service.withdraw(checklist, "mistake", "mallory")
    service.withdraw(checklist, "Started twice by mistake", "alice")
    record = service.record(checklist)
    assert record["status"] == "withdrawn"
    assert record["withdrawal"]["reason"] == "Started twice by mistake"
    assert record["steps"][0]["reasons"] == GOOD["scope"][1], "kept"
    for attempt in (
        lambda: answer(service, checklist, "outcomes"),
        lambda: service.name_decision_maker(checklist, "erin", "alice"),
        lambda: service.withdraw(checklist, "again", "alice"),
    ):
        with pytest.raises(ChecklistError, match="withdrawn"):
            attempt()
    assert "**Withdrawn:** on " in service.export(checklist, "md")


# The procurement start date --------------------------------------------------------------------


def test_late_sign_off_is_allowed_but_flagged(service: ChecklistService) -> None:
    checklist_id = service.new(ChecklistDetails("Late", starts_on="2020-01-01", start_event="tender-notice"), "alice")
    answer_others(service, checklist_id)
    assert answer(service, checklist_id, "decision").complete
    record = service.record(checklist_id)
    assert record["timing"]["late_sign_off"] is True
    assert record["timing"]["consideration_before_start"] is False
    assert "**Late sign-off:**" in service.export(checklist_id, "md")


def test_sign_off_before_the_start_is_not_flagged(service: ChecklistService) -> None:
    checklist_id = service.new(
        ChecklistDetails("On time", starts_on="2999-01-01", start_event="market-approach"), "alice"
    )
    answer_others(service, checklist_id)
    answer(service, checklist_id, "decision")
    record = service.record(checklist_id)
    assert record["timing"]["late_sign_off"] is False
    assert record["timing"]["sign_off_before_start"] is True
    assert record["start_event_label"] == "first approach to the market"
    assert "Late sign-off" not in service.export(checklist_id, "md")


def test_start_date_and_event_are_checked(service: ChecklistService, checklist: str) -> None:
    with pytest.raises(ChecklistError, match="YYYY-MM-DD"):
        service.new(ChecklistDetails("Bad date", starts_on="31/12/2027"), "alice")
    with pytest.raises(ChecklistError, match="tender-notice, transparency-notice"):
        service.set_start(checklist, "2027-12-31", "press-release", "alice")
    service.set_start(checklist, "2027-12-31", "direct-award-contract", "alice")
    assert service.record(checklist)["starts_on"] == "2027-12-31"


# Names on the record ------------------------------------------------------------------------


def test_the_record_shows_names_not_ids(service: ChecklistService, checklist: str, app: Svbot) -> None:
    app.store.set_person_name("alice", "Alice Khan")
    answer(service, checklist, "scope")
    record = service.record(checklist)
    assert record["created_by_name"] == "Alice Khan"
    assert record["steps"][0]["author_name"] == "Alice Khan"
    assert record["decision_maker_name"] == "dora" and record["decision_maker_role"] == "Director"
    named = service.record(checklist, names={"dora": "Dora Singh"}.get)
    assert named["decision_maker_name"] == "Dora Singh"
    assert named["created_by_name"] == "Alice Khan", "the caller's resolver falls back to the stored names"
    assert "Dora Singh, Director" in service.export(checklist, "md", names={"dora": "Dora Singh"}.get)
    assert TICK_BOX not in service.export(checklist, "md")
