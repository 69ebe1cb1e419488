"""Answers to two steps that cannot both stand (``conflicts:`` in knowledge/checklist.yaml)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from kbtools import edit, line_of
from samples import GOOD, NOT_PURSUED

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistError, ChecklistService
from bot.checklist.states import AnswerStatus
from bot.core import Svbot
from bot.knowledge.loader import KnowledgeError, load_knowledge

NONE_RELEVANT = (
    "It's a renewal of a software subscription with no staff on site, no deliveries and no local "
    "supply chain, so nothing for the area to gain from it"
)


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    return shared_app


@pytest.fixture
def checklist(service: ChecklistService) -> str:
    return service.new(ChecklistDetails("Payroll software renewal", decision_maker="dora"), "alice")


def good(service: ChecklistService, checklist_id: str, step: str):
    decision, reasons = GOOD[step]
    return service.answer(checklist_id, step, decision, reasons, "alice")


def test_an_answer_that_contradicts_an_accepted_one_is_refused_and_kept(
    service: ChecklistService, checklist: str
) -> None:
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted
    outcome = good(service, checklist, "process")
    assert not outcome.accepted, "the checker alone accepts these reasons; the clash refuses them"
    assert outcome.answer.status is AnswerStatus.REFUSED
    assert outcome.verdict.problems == ["conflict"]
    assert "conflict:outcomes/none-relevant" in outcome.verdict.rules
    (problem,) = outcome.problems
    assert problem.startswith('This contradicts the answer that stands for "What could this contract improve?"')
    assert "(No relevant outcomes)" in problem and "nothing for the process to secure" in problem
    assert "process" in service.progress(checklist).open_steps
    told = service.describe(outcome)
    assert "nothing for the process to secure" in told


def test_it_works_in_either_order_and_a_revision_lifts_it(service: ChecklistService, checklist: str) -> None:
    assert good(service, checklist, "process").accepted
    refused = service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice")
    assert not refused.accepted and "conflict:process/secure-through-process" in refused.verdict.rules
    # Revise process to a negative option that does not clash, and the outcomes answer now stands.
    assert service.answer(checklist, "process", "not-pursued", NOT_PURSUED, "alice").accepted
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted


def test_every_clash_is_named_and_the_checker_s_own_problems_are_kept(
    service: ChecklistService, checklist: str
) -> None:
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted
    outcome = service.answer(checklist, "measurement", "measure", "Social value will be monitored.", "alice")
    assert outcome.verdict.problems[0] == "conflict" and len(outcome.verdict.problems) > 1
    assert "no social value outcomes to measure" in outcome.problems[0]


def test_a_disputed_clash_can_be_upheld_by_the_decision_maker(service: ChecklistService, checklist: str) -> None:
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted
    refused = good(service, checklist, "process")
    disputed = service.dispute(checklist, refused.answer.id, "the lots help SMEs even so", "alice")
    assert disputed.status is AnswerStatus.DISPUTED
    upheld = service.resolve_dispute(checklist, disputed.id, "accepted: SME access is the point", "dora")
    assert upheld.status is AnswerStatus.UPHELD


def test_try_with_a_checklist_shows_the_clash(run) -> None:
    started = json.loads(run("checklist", "new", "--title", "Payroll renewal", "--json").stdout)["id"]
    run("checklist", "answer", started, "outcomes", "--decision", "none-relevant", "--reasons", NONE_RELEVANT)
    args = ("checklist", "try", "process", "--decision", GOOD["process"][0], "--reasons", GOOD["process"][1])
    assert json.loads(run(*args, "--json").stdout)["accepted"]
    on_checklist = json.loads(run(*args, "--checklist", started, "--json").stdout)
    assert not on_checklist["accepted"] and on_checklist["problems"] == ["conflict"]
    assert "conflict:outcomes/none-relevant" in on_checklist["rules"]
    assert json.loads(run(*args, "--checklist", started, "--json").stdout) == on_checklist, "try records nothing"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("{outcomes: none-relevant, process:", "{outcome: none-relevant, process:", "names step 'outcome'"),
        ("process: secure-through-process}", "process: secure-it}", "option 'secure-it'"),
    ],
)
def test_a_conflict_naming_an_unknown_step_or_option_is_a_knowledge_error(kb_copy, old, new, says) -> None:
    edit(kb_copy / "checklist.yaml", old, new)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy)
    assert says in str(caught.value)
    # At the conflict's own line, not the file's title line.
    line = line_of(kb_copy / "checklist.yaml", new)
    assert f"checklist.yaml:{line}: error: a conflict names" in str(caught.value)


def test_only_an_answer_that_counts_is_contradicted(service: ChecklistService, checklist: str) -> None:
    refused = service.answer(checklist, "outcomes", "none-relevant", "not relevant", "alice")
    assert not refused.accepted
    assert good(service, checklist, "process").accepted, "a refused answer does not stand, so nothing clashes"
    service.dispute(checklist, refused.answer.id, "it is a software renewal with no staff on site", "alice")
    assert good(service, checklist, "measurement").accepted, "nor does a disputed one until it is upheld"


def test_a_contradiction_is_not_called_a_tick_box_and_says_how_to_resolve_it(
    service: ChecklistService, checklist: str
) -> None:
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted
    told = service.describe(good(service, checklist, "process"))
    assert told.startswith("Not recorded as an answer yet: it contradicts an answer that stands at another step.")
    assert "tick-box" not in told and "What others found" not in told
    assert "revise the other step, or dispute this refusal" in told


@pytest.mark.parametrize(
    ("reasons", "heading"),
    [
        ("Not relevant.", "these reasons read like a tick-box"),
        ("ok " * 3000, "Not recorded as an answer yet:\n"),
    ],
)
def test_a_refusal_heading_names_what_kind_of_refusal_it_is(
    service: ChecklistService, checklist: str, reasons: str, heading: str
) -> None:
    told = service.describe(service.answer(checklist, "scope", "does-not-apply", reasons, "alice"))
    assert heading in told
    if "tick-box" not in heading:
        assert "tick-box" not in told


OBJECTION = (
    'it contradicts the answer to "What could this contract improve?" (No relevant outcomes): '
    "with no relevant outcomes, there is nothing for the process to secure"
)


def test_the_record_says_what_an_upheld_answer_contradicts(service: ChecklistService, checklist: str) -> None:
    """Upheld over the checker's objection: show and every export say which answer it contradicts, and why."""
    assert service.answer(checklist, "outcomes", "none-relevant", NONE_RELEVANT, "alice").accepted
    disputed = service.dispute(checklist, good(service, checklist, "process").answer.id, "lots help SMEs", "alice")
    record = service.record(checklist)
    process = next(s for s in record["steps"] if s["id"] == "process")
    assert process["status"] == "disputed" and process["contradicts"][0]["step"] == "outcomes"
    service.resolve_dispute(checklist, disputed.id, "accepted: SME access is the point", "dora")
    record = service.record(checklist)
    steps = {s["id"]: s for s in record["steps"]}
    assert steps["process"]["contradicts"] == [
        {
            "step": "outcomes",
            "title": "What could this contract improve?",
            "decision": "none-relevant",
            "label": "No relevant outcomes",
            "why": "with no relevant outcomes, there is nothing for the process to secure",
        }
    ]
    assert steps["outcomes"]["contradicts"] == [], "the answer the checker accepted carries no objection"
    shown = service.app.renderer.render("checklist/show.txt.j2", record=record)
    assert f"the checker's objection: {OBJECTION}" in shown
    for fmt in ("md", "html"):
        text = service.export(checklist, fmt)
        assert f"{OBJECTION}." in text.replace("&#34;", '"').replace("&quot;", '"'), fmt
    rows = csv.DictReader(io.StringIO(service.export(checklist, "csv").removeprefix("\ufeff")))
    current = next(r for r in rows if r["kind"] == "current" and r["step"] == "process")
    assert current["problems"] == f"The checker's objection: {OBJECTION}."
    exported = json.loads(service.export(checklist, "json"))["steps"]
    assert exported[2]["contradicts"] == steps["process"]["contradicts"]
    paragraphs = [p.text for p in Document(io.BytesIO(service.export_bytes(checklist, "docx"))).paragraphs]
    assert f"The checker's objection: {OBJECTION}." in paragraphs


def test_upholding_a_dispute_that_would_contradict_an_answer_now_standing_is_refused(
    service: ChecklistService, checklist: str
) -> None:
    """The audit's silent contradiction: none-relevant disputed, process accepted meanwhile, then upheld."""
    refused = service.answer(checklist, "outcomes", "none-relevant", "not relevant", "alice")
    assert not refused.accepted and not any(r.startswith("conflict:") for r in refused.verdict.rules)
    service.dispute(checklist, refused.answer.id, "A software renewal with no staff on site.", "alice")
    assert good(service, checklist, "process").accepted, "a disputed answer does not count yet"
    with pytest.raises(ChecklistError) as caught:
        service.resolve_dispute(checklist, refused.answer.id, "Agreed: nothing local for the contract to add.", "dora")
    said = str(caught.value)
    assert 'would contradict the answer that stands for "How will the procurement secure them?"' in said
    assert "nothing for the process to secure" in said and "Revise" in said
    state = service.progress(checklist)
    assert state.disputed_steps == ["outcomes"] and state.current["outcomes"].status is AnswerStatus.DISPUTED
    # Revise the other answer to one that does not clash, and the dispute can be upheld.
    assert service.answer(checklist, "process", "not-pursued", NOT_PURSUED, "alice").accepted
    upheld = service.resolve_dispute(
        checklist, refused.answer.id, "Agreed: nothing local for the contract to add.", "dora"
    )
    assert upheld.counts


TICK_BOX = "Not relevant."
TEAM_NOTE = "The service is a statutory return the county council files itself; nothing is bought from anyone."
DECIDER_NOTE = "Agreed: no contract is let, so there is nothing to consider."


def _everywhere(service: ChecklistService, checklist_id: str) -> dict[str, str]:
    """The record as show, every export format and Slack's record text, each as one string."""
    record = service.record(checklist_id)
    out = {
        "show": service.app.renderer.render("checklist/show.txt.j2", record=record),
        "slack": service.app.renderer.render("slack/record.slack.j2", record=record, epoch=lambda _: 0),
        "docx": "\n".join(p.text for p in Document(io.BytesIO(service.export_bytes(checklist_id, "docx"))).paragraphs),
    }
    for fmt in ("md", "html", "csv"):
        out[fmt] = service.export(checklist_id, fmt).replace("&#34;", '"').replace("&quot;", '"').replace('""', '"')
    out["json"] = "\n".join(_strings(json.loads(service.export(checklist_id, "json"))))
    return out


def _strings(data: object) -> list[str]:
    """Every string in JSON data."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def test_the_record_shows_what_the_checker_objected_to_for_any_disputed_step(service, checklist) -> None:
    """Not only contradictions: a tick-box refusal the team disputes, and the decision maker then accepts,
    shows the checker's objection in plain words beside both notes, in every view of the record."""
    refused = service.answer(checklist, "scope", "does-not-apply", TICK_BOX, "alice")
    assert not refused.accepted and refused.problems
    objection = refused.problems[0]
    assert objection.startswith("This could be pasted into any procurement")
    service.dispute(checklist, refused.answer.id, TEAM_NOTE, "alice")
    step = next(s for s in service.record(checklist)["steps"] if s["id"] == "scope")
    assert step["status"] == "disputed" and step["contradicts"] == [] and step["objection"] == [objection]
    for view, text in _everywhere(service, checklist).items():
        assert objection in text, view
        assert TEAM_NOTE in text, view
    service.resolve_dispute(checklist, refused.answer.id, DECIDER_NOTE, "dora")
    for view, text in _everywhere(service, checklist).items():
        assert objection in text and TEAM_NOTE in text and DECIDER_NOTE in text, view
        if view != "json":
            assert "objection" in text.lower(), view


def test_an_answer_the_checker_accepted_carries_no_objection(service, checklist) -> None:
    assert good(service, checklist, "scope").accepted
    step = next(s for s in service.record(checklist)["steps"] if s["id"] == "scope")
    assert step["objection"] == [] and "objection:" not in service.export(checklist, "md")
