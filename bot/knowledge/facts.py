"""Dated facts: figures that change over time, and the placeholders that show them.

Thresholds, minimum weightings and in-force dates live once, in
``knowledge/facts.yaml``, each value with the period it is in force and its
source. Entries write ``{{fact:ID}}`` instead of typing a figure, so one edit
to facts.yaml updates every answer, and an answer shows the figure in force
on the day it is given (or on the date a caller asks about).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.knowledge.schema import Fact, Source

# {{fact:ID}}, {{fact:ID|value}}, {{fact:ID|from}}; spaces inside the braces are tolerated.
PLACEHOLDER = re.compile(r"\{\{\s*fact\s*:\s*([^}|\s]*)\s*(?:\|\s*([^}\s]*)\s*)?\}\}")
# Anything that starts like a placeholder, to catch ones typed wrongly ("{{ fact: x }", "{{fact x}}").
PLACEHOLDER_START = re.compile(r"\{\{\s*fact\b")
FORMS = (None, "value", "from")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: dt.date) -> str:
    """1 January 2026 (the style of legislation and GOV.UK)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_value(kind: str, value: Any) -> str:
    """A fact's value as people write it: £207,720, 10%, 1 January 2026."""
    if kind == "money":
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    if kind == "percent":
        return f"{value:g}%"
    if kind == "date":
        return format_date(value)
    return str(value)


@dataclass(frozen=True)
class FactValue:
    """The value of one fact in force on a given day."""

    fact: Fact
    value: Any
    effective_from: dt.date
    effective_to: dt.date | None
    applies: str | None
    source: Source

    @property
    def text(self) -> str:
        return format_value(self.fact.kind, self.value)

    def as_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {
            "id": self.fact.id,
            "title": self.fact.title,
            "kind": self.fact.kind,
            "value": value,
            "text": self.text,
            "vat": self.fact.vat,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "applies": self.applies,
            "notes": self.fact.notes,
            "review_by": self.fact.review_by.isoformat(),
            "source": self.source.model_dump(exclude_none=True),
        }


@cache
def _renderer() -> Any:
    from bot.render import Renderer

    return Renderer()


class Facts:
    """The facts of one knowledge snapshot, looked up by id and date."""

    def __init__(self, facts: Iterable[Fact] = ()):
        self._by_id = {f.id: f for f in facts}

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._by_id

    def get(self, fact_id: str) -> Fact | None:
        return self._by_id.get(fact_id)

    def on(self, fact_id: str, when: dt.date) -> FactValue | None:
        """The value of ``fact_id`` in force on ``when``; None if unknown or none was in force."""
        fact = self._by_id.get(fact_id)
        if fact is None:
            return None
        for spec in fact.values:
            if spec.effective_from <= when and (spec.effective_to is None or when <= spec.effective_to):
                return FactValue(fact, spec.value, spec.effective_from, spec.effective_to, spec.applies, spec.source)
        return None

    def all_on(self, when: dt.date) -> list[FactValue]:
        """Every fact with a value in force on ``when``, in file order."""
        return [v for v in (self.on(f.id, when) for f in self) if v is not None]

    def render(self, text: str, when: dt.date) -> str:
        """Replace the placeholders in ``text`` with the figures in force on ``when``.

        Unknown ids and forms are left as typed: ``kb check`` refuses them, so they
        never reach an answer from a loaded knowledge base.
        """
        if "{{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            fact_id, form = match.group(1), match.group(2)
            if fact_id not in self._by_id or form not in FORMS:
                return match.group(0)
            value = self.on(fact_id, when)
            return _renderer().render(
                "facts/placeholder.txt.j2",
                form=form,
                title=self._by_id[fact_id].title,
                date=format_date(when),
                value=value.text if value else None,
                start=format_date(value.effective_from) if value else None,
                end=format_date(value.effective_to) if value and value.effective_to else None,
            )

        return PLACEHOLDER.sub(replace, text)


def placeholder_problems(text: str, facts: Facts) -> list[tuple[str, str]]:
    """Each wrong placeholder in ``text``: (the text to find it by, what is wrong)."""
    problems = []
    well_formed = 0
    for match in PLACEHOLDER.finditer(text):
        well_formed += 1
        fact_id, form = match.group(1), match.group(2)
        if fact_id not in facts:
            problems.append((match.group(0), f"{match.group(0)} names no fact in facts.yaml"))
        elif form not in FORMS:
            problems.append((match.group(0), f"{match.group(0)}: after '|' write 'value' or 'from', or nothing"))
    if len(PLACEHOLDER_START.findall(text)) > well_formed:
        bad = next(m for m in PLACEHOLDER_START.finditer(text) if not PLACEHOLDER.match(text, m.start()))
        problems.append(
            (bad.group(0), "a placeholder is written wrongly: use {{fact:ID}}, {{fact:ID|value}} or {{fact:ID|from}}")
        )
    return problems
