"""The report over a window of dates: withdrawn checklists apart, late sign-offs, disputes per rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from samples import GOOD

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistService
from bot.core import Svbot
from bot.report import Window, build_report

STEPS = ["scope", "outcomes", "process", "proportionality", "consultation", "measurement"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Set the day the store stamps on what it writes."""

    def on(day: str) -> None:
        monkeypatch.setattr("bot.store.db.now", lambda: f"{day}T10:00:00.000000+00:00")

    return on


def complete(service: ChecklistService, title: str, **details: str) -> str:
    checklist_id = service.new(ChecklistDetails(title, **details), "alice")
    for step in STEPS:
        assert service.answer(checklist_id, step, *GOOD[step], "alice").accepted
    assert service.answer(checklist_id, "decision", *GOOD["decision"], "alice").complete
    return checklist_id


def window(since: str | None = None, until: str | None = None) -> Window:
    return Window(dt.date.fromisoformat(since) if since else None, dt.date.fromisoformat(until) if until else None)


def test_the_window_holds_checklists_answers_and_questions_from_it(app: Svbot, clock) -> None:
    clock("2026-11-10")
    before = complete(app.checklists, "Before")
    refused = app.checklists.answer(before, "consultation", "no-consultation", "Not relevant.", "alice")
    app.checklists.dispute(before, refused.answer.id, "A call-off: nothing to consult on.", "alice")
    app.ask_logged("what is the meaning of zzqx", source="cli")
    clock("2026-11-20")
    inside = app.checklists.new(ChecklistDetails("Inside"), "alice")
    app.checklists.answer(inside, "scope", *GOOD["scope"], "alice")
    app.ask_logged("what is the meaning of zzqx", source="cli")
    clock("2026-11-30")
    complete(app.checklists, "After")
    week = build_report(app, window=window("2026-11-16", "2026-11-22"))
    assert week["window"] == {"since": "2026-11-16", "until": "2026-11-22"}
    assert week["checklists"]["started"] == 1 and week["checklists"]["open"] == 1
    assert week["checklists"]["completed"] == 0
    assert week["answers"]["total"] == 1
    assert week["decisions"]["scope"] == {"applies": 1} and week["decisions"]["decision"] == {}
    assert week["questions"]["total"] == 1
    assert week["disputes"]["total"] == 0 and week["checklists"]["late_sign_offs"] == []
    everything = build_report(app)
    assert everything["window"] == {"since": None, "until": None}
    assert everything["checklists"]["started"] == 3 and everything["checklists"]["completed"] == 1, "Before reopened"
    assert everything["questions"]["total"] == 2
    assert everything["disputes"]["total"] == 1 and everything["disputes"]["pending"] == 1
    assert build_report(app, window=window("2026-11-20", "2026-11-20"))["checklists"]["started"] == 1, "inclusive"
    assert build_report(app, window=window(since="2026-11-21"))["checklists"]["started"] == 1


def test_withdrawn_checklists_are_counted_apart(app: Svbot) -> None:
    service = app.checklists
    kept = complete(service, "Kept")
    mistake = service.new(ChecklistDetails("Started twice"), "alice")
    assert service.answer(mistake, "outcomes", "none-relevant", "Not relevant.", "alice").accepted is False
    assert service.answer(mistake, "scope", *GOOD["scope"], "alice").accepted
    service.withdraw(mistake, "Started twice by mistake", "alice")
    report = build_report(app)
    assert report["checklists"]["started"] == 1 and report["checklists"]["withdrawn"] == 1
    assert report["decisions"]["scope"] == {"applies": 1}
    assert report["answers"]["total"] == len(app.store.answers(kept)), "the withdrawn checklist's answers are out"
    assert report["answers"]["refused"] == 0


def test_late_sign_offs_are_flagged_with_their_ids(app: Svbot) -> None:
    late = complete(app.checklists, "Late one", starts_on="2020-01-01", start_event="tender-notice")
    complete(app.checklists, "On time", starts_on="2999-01-01")
    complete(app.checklists, "No start date")
    [flagged] = build_report(app)["checklists"]["late_sign_offs"]
    assert flagged["id"] == late and flagged["starts_on"] == "2020-01-01"
    assert flagged["signed_on"] == dt.date.today().isoformat()
    text = app.renderer.render("report.txt.j2", r=build_report(app))
    assert f"{late}  Late one: started 2020-01-01" in text


def test_disputes_are_counted_per_checker_rule_with_how_they_ended(app: Svbot) -> None:
    service = app.checklists
    checklist_id = service.new(ChecklistDetails("Disputes", decision_maker="dora"), "alice")
    upheld = service.answer(checklist_id, "consultation", "no-consultation", "Not relevant.", "bob")
    service.dispute(checklist_id, upheld.answer.id, "A call-off: nothing to consult on.", "bob")
    service.resolve_dispute(checklist_id, upheld.answer.id, "Agreed: the reasons fit this contract.", "dora")
    revised = service.answer(checklist_id, "outcomes", "none-relevant", "Not relevant.", "bob")
    service.dispute(checklist_id, revised.answer.id, "One office only.", "bob")
    assert service.answer(checklist_id, "outcomes", *GOOD["outcomes"], "bob").accepted
    pending = service.answer(checklist_id, "measurement", "no-measurement", "Not relevant.", "bob")
    service.dispute(checklist_id, pending.answer.id, "Nothing to measure on a one-off purchase.", "bob")
    disputes = build_report(app)["disputes"]
    assert (disputes["total"], disputes["upheld"], disputes["superseded"], disputes["pending"]) == (3, 1, 1, 1)
    rules = {r["rule"]: r for r in disputes["by_rule"]}
    for answer in (upheld, revised, pending):
        assert answer.verdict.rules, "the checker names the rules that refused it"
    assert rules["boilerplate"] == {
        "rule": "boilerplate",
        "disputed": 3,
        "upheld": 1,
        "self_upheld": 0,
        "superseded": 1,
        "pending": 1,
    }
    assert rules[upheld.verdict.rules[-1]]["upheld"] >= 1
    text = app.renderer.render("report.txt.j2", r=build_report(app))
    assert "Disputes: 3 (1 accepted by the decision maker" in text
    assert "boilerplate" in text and "3 disputed: 1 upheld, 1 revised, 1 pending" in text


def test_an_upheld_answer_counts_as_a_decision(app: Svbot) -> None:
    service = app.checklists
    checklist_id = service.new(ChecklistDetails("Upheld", decision_maker="alice"), "alice")
    refused = service.answer(checklist_id, "outcomes", "none-relevant", "Not relevant.", "alice")
    service.dispute(checklist_id, refused.answer.id, "One office with no staff transfer.", "alice")
    service.resolve_dispute(checklist_id, refused.answer.id, "Agreed: the reasons fit this contract.", "alice")
    report = build_report(app)
    assert report["decisions"]["outcomes"] == {"none-relevant": 1}
    assert report["none_relevant_share"] == 1.0
    assert report["answers"]["refused"] == 1 and report["answers"]["disputed"] == 1


def test_dismissals_come_from_the_options_marked_negative(app: Svbot) -> None:
    service = app.checklists
    checklist_id = service.new(ChecklistDetails("Dismissals", decision_maker="alice"), "alice")
    refused = service.answer(checklist_id, "scope", "urgency-exception", "Not relevant.", "alice")
    service.dispute(checklist_id, refused.answer.id, "The provider collapsed on Friday.", "alice")
    service.resolve_dispute(
        checklist_id, refused.answer.id, "Agreed: emergency cover after the provider collapsed.", "alice"
    )
    assert service.answer(checklist_id, "outcomes", *GOOD["outcomes"], "alice").accepted
    report = build_report(app)
    steps = app.snapshot().kb.checklist.steps
    expected = {s.id: [o.id for o in s.options if o.negative] for s in steps if any(o.negative for o in s.options)}
    assert {step: d["options"] for step, d in report["dismissals"].items()} == expected
    assert report["dismissals"]["scope"] == {
        "options": ["does-not-apply", "urgency-exception"],
        "count": 1,
        "answered": 1,
        "share": 1.0,
    }
    assert report["dismissals"]["outcomes"]["share"] == report["none_relevant_share"] == 0.0
    text = app.renderer.render("report.txt.j2", r=report)
    assert "scope            1 of 1 (100.0%): does-not-apply, urgency-exception" in text


def test_report_dates_are_checked(run) -> None:
    bad = run("report", "--since", "2026-13-01")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "svbot: --since 2026-13-01 does not exist: there is no month 13"
    reversed_ = run("report", "--since", "2026-12-01", "--until", "2026-11-01")
    assert reversed_.exit_code == 2 and "--since 2026-12-01 is after --until 2026-11-01" in reversed_.stderr
    data = json.loads(run("report", "--json", "--since", "2026-11-01", "--until", "2026-11-07").stdout)
    assert data["window"] == {"since": "2026-11-01", "until": "2026-11-07"}
    for key in ("checklists", "decisions", "none_relevant_share", "answers", "questions", "feedback", "review_due"):
        assert key in data
    assert set(data["checklists"]) >= {"started", "completed", "withdrawn", "late_sign_offs"}
    text = run("report", "--since", "2026-11-01", "--until", "2026-11-07").stdout
    assert "From 2026-11-01 to 2026-11-07 (UTC, both days included)" in text
