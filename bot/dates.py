"""Dates as people type them: YYYY-MM-DD, read one way and refused in one set of words everywhere.

Every command, chat question and Slack field that takes a date reads it here, so a date that is
written right but does not exist ("2027-02-30") is told so, not told how to write a date, wherever
it is typed. The words are ``prompts/dates.txt.j2``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache

from bot.render import Renderer

# Written as a date: four digits, two, two (fromisoformat also takes the compact 20270201).
_WRITTEN = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
TEMPLATE = "dates.txt.j2"


class DateError(ValueError):
    """A typed date svbot cannot take; the message says why (how to write it, or that it does not exist)."""


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
