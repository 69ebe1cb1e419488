"""Reasons written for these tests: one accepted answer per checklist step, and a tick-box."""

from __future__ import annotations

GOOD = {
    "scope": ("applies", "£2.3m meals on wheels contract for Kirklees over 4 years, services above the threshold."),
    "outcomes": (
        "outcomes-identified",
        "8 apprenticeships for Kirklees care leavers and 30% of food bought from Yorkshire growers.",
    ),
    "process": (
        "secure-through-process",
        "Two lots (north and south Kirklees) so VCSE caterers can bid; social value weighted at 10%.",
    ),
    "proportionality": (
        "proportionate",
        "For £2.3m over 4 years, one 10% question and 3 KPIs is not a burden on the 12 local bidders.",
    ),
    "consultation": (
        "consult",
        "Supplier day at Dewsbury Town Hall on 14 March 2027 with VCSE providers and a survey of 200 service users.",
    ),
    "measurement": (
        "measure",
        "Quarterly KPI report to the contract manager: apprentices started, local food spend in £, meals delivered.",
    ),
    "decision": (
        "proceed",
        "Approved by Jo Bloggs, Director of Adult Care, on 3 February 2027, before the tender notice.",
    ),
}

TICK_BOX = "Social value has been considered in line with the Act."

# Accepted reasons for process/not-pursued: consistent with proceeding without social value.
NOT_PURSUED = (
    "The call-off from the ESPO framework fixes the award criteria, so no scored question can be added; "
    "we will record the supplier's apprenticeship figures at each contract review instead."
)
