"""Checklists with every kind of thing a decision record must carry, for the format tests.

``complete_checklist``: odd characters everywhere (& < > | * _ " newlines, £), a
superseded answer, refused attempts, a dispute upheld by the decision maker, a
dispute ended by a revision, and a late sign-off. ``deferred_checklist`` and
``withdrawn_checklist`` cover the other ways a checklist ends.
"""

from __future__ import annotations

from samples import GOOD

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistService

ODD = '& < > | * _ "quoted" £'
ODD_TITLE = f"Care & Support <north> | *lot* _1_ {ODD}"
ODD_VALUE = "£1.2m\nover 4 years & <extension>"
DISMISSAL = "Not relevant."
PEOPLE = {"alice": "Alice O'Neil & Co", "dora": "Dora <Singh>", "bob": "Bob | Baker"}


def complete_checklist(service: ChecklistService) -> str:
    """Signed off late, after a superseded answer, refusals and two disputes."""
    checklist_id = service.new(
        ChecklistDetails(
            ODD_TITLE,
            reference="CL-7 & <8>",
            value=ODD_VALUE,
            buying="cleaning | *one* office",
            decision_maker="dora",
            decision_maker_role="Head of <Facilities> & Estates",
            starts_on="2020-01-01",
            start_event="tender-notice",
        ),
        "alice",
    )
    for step in ("scope", "process", "proportionality", "measurement"):
        decision, reasons = GOOD[step]
        assert service.answer(checklist_id, step, decision, reasons, "alice").accepted
    # A refused attempt that changes nothing.
    assert not service.answer(checklist_id, "process", "not-pursued", f"n/a {ODD}", "bob").accepted
    # A superseded answer: the first outcomes answer is revised.
    decision, reasons = GOOD["outcomes"]
    first = reasons + '\nLine two: 5 * 3 > 2 & "quoted" | _under_ £40k'
    assert service.answer(checklist_id, "outcomes", decision, first, "bob").accepted
    assert service.answer(checklist_id, "outcomes", decision, reasons, "bob").accepted
    # A dispute the decision maker upholds.
    refused = service.answer(checklist_id, "consultation", "no-consultation", DISMISSAL, "bob")
    assert not refused.accepted
    service.dispute(checklist_id, refused.answer.id, f"No one to consult for a call-off {ODD}", "bob")
    service.resolve_dispute(checklist_id, refused.answer.id, f"Accepted:\nfixed national framework {ODD}", "dora")
    # A dispute ended by a revision that the checker accepted.
    refused = service.answer(checklist_id, "measurement", "no-measurement", DISMISSAL, "alice")
    service.dispute(checklist_id, refused.answer.id, "Nothing to measure on a one-off purchase", "alice")
    decision, reasons = GOOD["measurement"]
    assert service.answer(checklist_id, "measurement", decision, reasons + " Revised.", "alice").accepted
    decision, reasons = GOOD["decision"]
    assert service.answer(checklist_id, "decision", decision, reasons, "dora").complete
    return checklist_id


def deferred_checklist(service: ChecklistService) -> str:
    """Deferred with what it waits for, a revisit date and a pending dispute."""
    checklist_id = service.new(ChecklistDetails("Deferred <one> & £5", value="£90k"), "alice")
    assert service.answer(checklist_id, "scope", *GOOD["scope"], "alice").accepted
    refused = service.answer(checklist_id, "outcomes", "none-relevant", DISMISSAL, "bob")
    service.dispute(checklist_id, refused.answer.id, "One office with no staff transfer; nothing to add.", "bob")
    waiting = "Waiting for the results of the estates survey of the Dewsbury office, due 14 January 2027."
    assert service.answer(checklist_id, "decision", "defer", waiting, "alice", revisit_on="2099-02-01").accepted
    return checklist_id


def withdrawn_checklist(service: ChecklistService) -> str:
    """Withdrawn with a reason, one step answered."""
    checklist_id = service.new(ChecklistDetails("Started twice"), "alice")
    assert service.answer(checklist_id, "scope", *GOOD["scope"], "alice").accepted
    service.withdraw(checklist_id, "Started twice by mistake; see <9f8e> & co", "alice")
    return checklist_id
