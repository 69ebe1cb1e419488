"""Dates as people type them: one reading, and one way of saying what is wrong, everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dates import DateError, find_when, not_before, parse_day


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


# When a procurement starts, said in a sentence --------------------------------------------------

CHECKED_START = dt.date(2026, 3, 3)


@pytest.mark.parametrize(
    ("text", "said", "day"),
    [
        ("what if it started in 2025?", "in 2025", dt.date(2025, 1, 1)),
        ("before 2026", "before 2026", dt.date(2025, 12, 31)),
        ("after 2026", "after 2026", dt.date(2027, 1, 1)),
        ("and from 1 March 2026?", "from 1 March 2026", dt.date(2026, 3, 1)),
        ("starting March 3rd, 2027", "starting March 3rd, 2027", dt.date(2027, 3, 3)),
        ("on 2027-01-04", "on 2027-01-04", dt.date(2027, 1, 4)),
        ("before 1 March 2026", "before 1 March 2026", dt.date(2026, 2, 28)),
        ("after 28 February 2026", "after 28 February 2026", dt.date(2026, 3, 1)),
        ("in June 2026", "in June 2026", dt.date(2026, 6, 1)),
        ("after December 2026", "after December 2026", dt.date(2027, 1, 1)),
        # No year: the one nearest the reference (3 March 2026) on the side said.
        ("what if it started before January?", "before January", dt.date(2025, 12, 31)),
        ("before March", "before March", dt.date(2026, 2, 28)),
        ("in March", "in March", dt.date(2026, 3, 1)),
        ("in February", "in February", dt.date(2027, 2, 1)),
        ("from 1 April", "from 1 April", dt.date(2026, 4, 1)),
        ("from 2 March", "from 2 March", dt.date(2027, 3, 2)),
    ],
)
def test_a_start_date_said_in_a_sentence_is_read_as_a_day(text: str, said: str, day: dt.date) -> None:
    found = find_when(text, "the start date")
    assert found is not None
    when, (start, end) = found
    assert when.text == said == text[start:end].strip()
    assert when.first_day(CHECKED_START) == day


@pytest.mark.parametrize(
    "text", ["and if it was 100k?", "what about £2025?", "2,025 pounds", "what if it may be cheaper?", "60% services"]
)
def test_figures_and_words_that_are_not_dates_are_left_alone(text: str) -> None:
    assert find_when(text, "the start date") is None


def test_only_a_day_of_a_month_of_a_year_is_exact() -> None:
    assert all(
        (find_when(text, "x") or (None,))[0].exact is exact  # type: ignore[union-attr]
        for text, exact in (("1 March 2026", True), ("March 2026", False), ("in 2026", False), ("1 March", False))
    )


def test_a_day_said_that_does_not_exist_is_told_so_with_where_it_was() -> None:
    text = "what if it started on 31 February 2026?"
    with pytest.raises(DateError) as caught:
        find_when(text, "the start date")
    assert "February 2026 has 28 days" in str(caught.value)
    assert caught.value.span is not None and text[slice(*caught.value.span)] == "on 31 February 2026"


@pytest.mark.parametrize(
    ("text", "whole", "first", "last"),
    [
        ("starting in 2025", True, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("in March 2026", True, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("in February 2028", True, dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # a leap year
        ("from 1 March 2026", False, dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        ("before 2026", False, dt.date(2025, 12, 31), dt.date(2025, 12, 31)),
        ("after March 2026", False, dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    ],
)
def test_a_month_or_a_year_is_the_whole_of_it(text: str, whole: bool, first: dt.date, last: dt.date) -> None:
    found = find_when(text, "the start date")
    assert found is not None
    when = found[0]
    assert when.whole is whole
    assert (when.first_day(CHECKED_START), when.last_day(CHECKED_START)) == (first, last)
