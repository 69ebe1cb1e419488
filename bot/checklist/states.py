"""The states an answer and a checklist can be in.

One model for every front end (CLI, chat, Slack) and every record format, so a
disputed step can never show as accepted anywhere. The store keeps an answer's
status in the ``answers.status`` column; the checklist's status is derived
from its answers and events by ``ChecklistService``.

How an answer moves:

- The checker accepts it: ``ACCEPTED``. It supersedes the step's previous answer.
- The checker refuses it: ``REFUSED``. It is kept, in full, and changes nothing.
- After a refusal the team may record that same answer as ``DISPUTED``, with
  their reasons for disagreeing (``dispute_note``). The step shows as disputed
  and does not count as answered.
- The checklist's decision maker (or its starter where none is named) may then
  accept the disputed answer over the checker's objection, with a note of
  their own: ``UPHELD``. That counts as answered, and every view says it was
  accepted by a person over the checker's objection. Or the step is revised
  and the new answer accepted, which ends the dispute (``superseded``).

How a checklist moves:

- ``OPEN`` until every step has an answer that counts (``ACCEPTED`` or
  ``UPHELD``) and the ``decision`` step is signed off (``proceed`` or
  ``proceed-without``): then ``COMPLETE``. Sign-off is refused while any other
  step is open or disputed.
- ``decision/defer`` makes it ``DEFERRED`` (with what it waits for and a
  revisit date); it stays open for answers and counts as not decided.
- Revising any step, or changing the decision maker, after sign-off reopens
  it (``OPEN``): it needs signing off again. The history keeps everything.
- ``WITHDRAWN`` (started by mistake, with a reason): kept, read-only, and left
  out of the report's figures.
"""

from __future__ import annotations

from enum import StrEnum


class AnswerStatus(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DISPUTED = "disputed"
    UPHELD = "upheld"

    @property
    def counts(self) -> bool:
        """Whether an answer in this state answers its step."""
        return self in (AnswerStatus.ACCEPTED, AnswerStatus.UPHELD)


class ChecklistStatus(StrEnum):
    OPEN = "open"
    DEFERRED = "deferred"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"


SIGN_OFF_DECISIONS = frozenset({"proceed", "proceed-without"})
DEFER_DECISION = "defer"
