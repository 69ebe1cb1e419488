"""The report's figures, from real records."""

from __future__ import annotations

from bot.checklist.details import ChecklistDetails
from bot.checklist.states import AnswerStatus
from bot.core import Svbot
from bot.report import build_report


def test_none_relevant_share_counts_current_accepted_outcomes_only(app: Svbot) -> None:
    store = app.store
    ids = [store.create_checklist(ChecklistDetails(f"Contract {i}"), "alice") for i in range(4)]

    def outcomes(checklist_id: str, decision: str, accepted: bool = True) -> None:
        status = AnswerStatus.ACCEPTED if accepted else AnswerStatus.REFUSED
        store.add_answer(checklist_id, "outcomes", decision, "reasons", "alice", status, [])

    outcomes(ids[0], "none-relevant")
    outcomes(ids[1], "outcomes-identified")
    outcomes(ids[2], "outcomes-identified")
    outcomes(ids[3], "none-relevant")  # revised: only the latest accepted answer counts
    outcomes(ids[3], "outcomes-identified")
    outcomes(ids[1], "none-relevant", accepted=False)  # refused attempts do not count
    report = build_report(app)
    assert report["decisions"]["outcomes"] == {"none-relevant": 1, "outcomes-identified": 3}
    assert report["none_relevant_share"] == 0.25
    assert report["answers"]["total"] == 6 and report["answers"]["refused"] == 1


def test_none_relevant_share_is_absent_without_outcomes(app: Svbot) -> None:
    app.store.create_checklist(ChecklistDetails("Nothing answered"), "alice")
    assert build_report(app)["none_relevant_share"] is None


# Two explanations alike for their first 120 characters, and one whose first sentence has "s.1" in it.
ALIKE = (
    "The reasons don't yet give the fact that takes this procurement outside the Act, "
    "such as a value below the threshold"
)
REFUSALS = [
    f"{ALIKE} for services contracts in force on the day it started. Add it.",
    f"{ALIKE} for works contracts in force on the day it started. Add it.",
    "Section 1 duty: the reasons don't say why s.1 does not reach this call-off from the framework. Say it.",
]


def test_different_refusal_reasons_never_print_alike(app: Svbot) -> None:
    checklist_id = app.store.create_checklist(ChecklistDetails("Grounds maintenance"), "alice")
    for problem in REFUSALS + REFUSALS[:1]:
        app.store.add_answer(checklist_id, "scope", "does-not-apply", "n/a", "alice", AnswerStatus.REFUSED, [problem])
    report = build_report(app)
    assert [(x["reason"], x["count"]) for x in report["answers"]["top_refusal_reasons"]] == [
        (REFUSALS[0].removesuffix(" Add it."), 2),
        (REFUSALS[1].removesuffix(" Add it."), 1),
        (REFUSALS[2].removesuffix(" Say it."), 1),
    ]
    text = app.renderer.render("report.txt.j2", r=report)
    listed = text.split("Most common refusal reasons:\n")[1].split("\n\n")[0].splitlines()
    assert len(listed) == 3 and len(set(listed)) == 3, listed
    assert "services" in listed[0] and "works" in listed[1] and "call-off" in listed[2]
    slack = app.renderer.render("slack/report.slack.j2", r=report, admin=True)
    assert "threshold for services" in slack and "threshold for works" in slack


def test_the_per_rule_table_stays_in_line_for_long_rule_names(app: Svbot) -> None:
    """A conflict rule ("conflict:outcomes/none-relevant") is longer than the usual column: the column widens."""
    rules = ["conflict:outcomes/none-relevant", "needs:outcome", None, "conflict:measurement/not-measured-at-length"]
    report = build_report(app)
    report["disputes"] = {
        "total": 4,
        "upheld": 4,
        "self_upheld": 0,
        "superseded": 0,
        "pending": 0,
        "by_rule": [
            {"rule": rule, "disputed": 1, "upheld": 1, "self_upheld": 0, "superseded": 0, "pending": 0}
            for rule in rules
        ],
        "self_upheld_disputes": [],
    }
    text = app.renderer.render("report.txt.j2", r=report)
    rows = text.split("(rules often upheld are the ones to tune with `svbot checklist try`):\n")[1].splitlines()[:4]
    for row, rule in zip(rows, rules, strict=True):
        assert row.strip().startswith(rule or "(no rule recorded)"), row
    assert len({row.index(" 1 disputed:") for row in rows}) == 1, rows
