"""Child process for the crash-safety test: writes checklist answers forever,
printing each answer's id only after its transaction has committed."""

from __future__ import annotations

import sys

from bot.checklist.states import AnswerStatus
from bot.store import Store


def main() -> None:
    store = Store(sys.argv[1])
    checklist_id = sys.argv[2]
    i = 0
    while True:
        i += 1
        row = store.add_answer(
            checklist_id,
            "outcomes",
            "outcomes-identified",
            f"reason {i} " * 20,
            "crash-test",
            status=AnswerStatus.ACCEPTED if i % 3 else AnswerStatus.REFUSED,
            problems=[] if i % 3 else ["refused"],
        )
        print(row.id, flush=True)


if __name__ == "__main__":
    main()
