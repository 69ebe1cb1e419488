"""What a person says about a procurement when starting its checklist.

One dataclass carries these details from every front end (the CLI's
``checklist new``, the chat's ``new``, Slack's "New checklist" form) through
the checklist service to the store, which keeps them on the checklist's row
and in its chained creation event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class ChecklistDetails:
    """A checklist's title and the optional details of the procurement it is about.

    ``nation`` is the jurisdiction name ("Wales"); ``body_type`` a body type id as
    ``svbot scope --body`` takes it ("sub-central").
    """

    title: str
    reference: str | None = None
    value: str | None = None
    category: str | None = None
    buying: str | None = None
    decision_maker: str | None = None
    decision_maker_role: str | None = None
    starts_on: str | None = None
    start_event: str | None = None
    nation: str | None = None
    body_type: str | None = None

    def stored(self) -> dict[str, Any]:
        """Every field by its column name in the ``checklists`` table."""
        return asdict(self)


DETAIL_FIELDS = tuple(f.name for f in fields(ChecklistDetails))
