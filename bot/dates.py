"""Dates as people type them: YYYY-MM-DD, read one way and refused in one set of words everywhere.

Every command, chat question and Slack field that takes a date reads it here, so a date that is
written right but does not exist ("2027-02-30") is told so, not told how to write a date, wherever
it is typed. The words are ``prompts/dates.txt.j2``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from bot.render import Renderer

# Written as a date: four digits, two, two (fromisoformat also takes the compact 20270201).
_WRITTEN = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
TEMPLATE = "dates.txt.j2"


class DateError(ValueError):
    """A typed date svbot cannot take; the message says why (how to write it, or that it does not exist).

    ``span``: where the date is in the sentence it was found in (``find_when``)."""

    span: tuple[int, int] | None = None


@cache
def _renderer() -> Renderer:
    return Renderer()


def _say(reason: str, what: str, **context: object) -> str:
    return _renderer().render(TEMPLATE, reason=reason, what=what, **context)


def parse_day(text: str, what: str) -> dt.date:
    """``text`` as a day; DateError if it is not written YYYY-MM-DD or is a day no calendar has.

    ``what`` names the date in the message: "the revisit date", "--since".
    """
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(_why_not(text, what)) from None


def _why_not(text: str, what: str) -> str:
    written = _WRITTEN.match(text)
    if not written:
        return _say("format", what, text=text)
    year, month = int(written.group(1)), int(written.group(2))
    if not 1 <= month <= 12:
        return _say("no_month", what, text=text, month=month)
    if year < 1:
        return _say("no_year", what, text=text)
    days = calendar.monthrange(year, month)[1]
    return _say("no_day", what, text=text, month_name=calendar.month_name[month], year=year, days=days)


def not_before(day: dt.date, earliest: dt.date, what: str) -> dt.date:
    """``day``, unless it is before ``earliest`` (today, for a date still to come): then DateError."""
    if day < earliest:
        raise DateError(_say("past", what, day=day.isoformat(), today=earliest.isoformat()))
    return day


# When a procurement starts, as said in a sentence: "in 2025", "before January", "from 1 March 2026",
# "on 2026-03-01". A bare year counts only as 1990-2099 with no other digits around it; a month's
# name alone ("may", "march") only after a word that introduces a date or beside a day or a year.
_MONTHS = {
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if name},
    **{name.lower(): n for n, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
_RELATIONS = {
    "before": "before",
    "by": "before",
    "until": "before",
    "after": "after",
    "from": "from",
    "in": "from",
    "on": "from",
    "during": "from",
    "starting": "from",
    "start": "from",
}
_RELATION = "|".join(_RELATIONS)
_SPOKEN = re.compile(
    rf"(?:\b(?P<rel>{_RELATION})\s+)?(?:"
    rf"(?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)"
    rf"|\b(?P<d1>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<m1>{_MONTH})\b\.?(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|\b(?P<m2>{_MONTH})\b\.?\s+(?P<d2>\d{{1,2}}){_ORDINAL}\b(?:,?\s+(?P<y2>\d{{4}})\b)?"
    rf"|\b(?P<m3>{_MONTH})\b\.?(?:\s+(?P<y3>\d{{4}})\b)?"
    rf"|(?<![\d,.£])\b(?P<y4>(?:19|20)\d\d)\b(?![\d,.%]|\s*(?:k|m|bn|million|thousand|billion|pounds)\b)"
    rf")",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class When:
    """A start date as said: ``relation`` (before, after or from) a day, a month or a year.

    ``text`` is what was said; a part not said (the year of "before January") is None."""

    text: str
    relation: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def exact(self) -> bool:
        """Whether it names one day (a day of a month of a year), not a month or a year."""
        return None not in (self.year, self.month, self.day)

    @property
    def whole(self) -> bool:
        """Whether it names a whole month or year to start in ("in 2025", "in March 2026"), not a day
        or a day before or after one."""
        return self.relation == "from" and self.day is None

    def last_day(self, reference: dt.date) -> dt.date:
        """The last day a procurement starting then may start: the end of the month or year said
        ("in 2025": 31 December 2025); for a day, or a day before or after one, ``first_day``."""
        first = self.first_day(reference)
        if not self.whole:
            return first
        if self.month is None:
            return dt.date(first.year, 12, 31)
        return dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])

    def first_day(self, reference: dt.date) -> dt.date:
        """The day a procurement starting then starts: the first day of the month or year said
        ("in 2025": 1 January 2025), the day before it ("before January"), or the day after it
        ends ("after March"). A month or day without a year is the one nearest ``reference`` on
        its side: "before January" is before the last 1 January on or before ``reference``,
        "in March" the next March from ``reference``'s month."""
        month = self.month or 1
        day = self.day or 1
        year = self.year
        if year is None:
            year = reference.year
            if self.relation == "before":
                if dt.date(year, month, day) > reference:
                    year -= 1
            elif (month, day if self.day else 1) < (reference.month, reference.day if self.day else 1):
                year += 1
        start = dt.date(year, month, day)
        if self.relation == "before":
            return start - dt.timedelta(days=1)
        if self.relation == "after":
            if self.day is not None:
                return start + dt.timedelta(days=1)
            if self.month is not None:
                return dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year + 1, 1, 1)
        return start


def find_when(text: str, what: str) -> tuple[When, tuple[int, int]] | None:
    """The first start date said in ``text`` and where it is, or None if it says none.

    DateError when the day said does not exist ("31 February 2026"): the message says so, in the
    words ``parse_day`` uses, with ``what`` naming the date."""
    for found in _SPOKEN.finditer(text):
        try:
            when = _when(found, what)
        except DateError as exc:
            exc.span = found.span()
            raise
        if when is not None:
            return when, found.span()
    return None


def _when(found: re.Match[str], what: str) -> When | None:
    relation = _RELATIONS[found["rel"].lower()] if found["rel"] else "from"
    said = found.group(0).strip()
    if found["iso"]:
        written = parse_day(found["iso"], what)
        return When(said, relation, written.year, written.month, written.day)
    if found["m3"] and not (found["rel"] or found["y3"]):
        return None  # "may" or "march" alone is a word, not a date
    month = _MONTHS[(found["m1"] or found["m2"] or found["m3"] or "").lower()] if not found["y4"] else None
    year_text = found["y1"] or found["y2"] or found["y3"] or found["y4"]
    day_text = found["d1"] or found["d2"]
    year = int(year_text) if year_text else None
    day = int(day_text) if day_text else None
    if day is not None:
        # Check the day exists with parse_day's words; a day without a year is checked in a leap year.
        parse_day(f"{year or 2028:04d}-{month:02d}-{day:02d}", what)
    return When(said, relation, year, month, day)
