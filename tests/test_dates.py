"""Dates as people type them: one reading, and one way of saying what is wrong, everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dates import DateError, not_before, parse_day


def test_a_date_written_yyyy_mm_dd_is_read() -> None:
    assert parse_day(" 2027-02-01 ", "the revisit date") == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2027-02-30", "the revisit date 2027-02-30 does not exist: February 2027 has 28 days"),
        ("2028-02-30", "February 2028 has 29 days"),
        ("2027-04-31", "the revisit date 2027-04-31 does not exist: April 2027 has 30 days"),
        ("2027-13-01", "the revisit date 2027-13-01 does not exist: there is no month 13"),
        ("2027-00-10", "there is no month 0"),
        ("2027-01-00", "January 2027 has 31 days"),
    ],
)
def test_a_date_written_right_that_does_not_exist_is_told_so(text: str, said: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_day(text, "the revisit date")
    assert said in str(caught.value)
    assert "must be a date written" not in str(caught.value), "it is written YYYY-MM-DD: say it does not exist"


@pytest.mark.parametrize("text", ["next tuesday", "1/2/2027", "2027-2-1", ""])
def test_a_date_not_written_yyyy_mm_dd_is_told_how_to_write_it(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_day(text, "the revisit date")
    assert str(caught.value).startswith("the revisit date must be a date written YYYY-MM-DD")


def test_a_day_before_the_earliest_is_refused_and_that_day_itself_is_fine() -> None:
    today = dt.date(2027, 3, 1)
    assert not_before(today, today, "the revisit date") == today
    with pytest.raises(DateError) as caught:
        not_before(dt.date(2027, 2, 28), today, "the revisit date")
    assert str(caught.value) == ("the revisit date 2027-02-28 is in the past: give today (2027-03-01) or a later date")
