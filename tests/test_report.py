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
