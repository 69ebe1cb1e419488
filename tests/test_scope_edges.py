"""The scope finder's sentence reads true when pasted: the figure compared, the regime of the day, sane values."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.amounts import AmountError, parse_amount
from bot.knowledge.loader import KnowledgeBase
from bot.scope import Procurement, ScopeFinder


@pytest.fixture(scope="module")
def finder(kb: KnowledgeBase) -> ScopeFinder:
    return ScopeFinder(kb)


def find(finder: ScopeFinder, value: float, start: dt.date, type_: str = "services", vat: str = "included"):
    return finder.find(Procurement(type_, value, "sub-central", vat=vat, start=start))


def test_a_value_compared_without_vat_shows_the_figure_compared(finder: ScopeFinder) -> None:
    """£250,000 including VAT "below the £214,904 threshold" reads as a contradiction without the net figure."""
    result = find(finder, 250_000, dt.date(2025, 1, 1), type_="light-touch")
    assert result.act_applies is False
    assert "£250,000 including VAT" in result.why
    assert "£208,333.33 without VAT, below the £214,904 services threshold" in result.why


def test_a_value_compared_with_vat_shows_no_second_figure(finder: ScopeFinder) -> None:
    result = find(finder, 250_000, dt.date(2026, 3, 3))
    assert "without VAT" not in result.why and "above the £207,720 threshold" in result.why


def test_the_commencement_dates_are_dated_facts_with_primary_sources(kb: KnowledgeBase) -> None:
    act = kb.facts.get("date.social-value-act.commencement").values[0]
    assert act.value == dt.date(2013, 1, 31)
    assert act.source.url.startswith("https://www.legislation.gov.uk/uksi/2012/3173/")
    pcr = kb.facts.get("date.pcr-2015.commencement").values[0]
    assert pcr.value == dt.date(2015, 2, 26)
    assert pcr.source.url.startswith("https://www.legislation.gov.uk/uksi/2015/102/")


@pytest.mark.parametrize("start", [dt.date(1900, 1, 1), dt.date(2013, 1, 30)])
def test_before_the_act_commenced_s1_did_not_apply(finder: ScopeFinder, start: dt.date) -> None:
    result = find(finder, 5_000_000, start)
    assert result.act_applies is False
    assert "s.1 came into force on 31 January 2013, so it did not apply" in result.why
    assert "SI 2012/3173" in result.rule_source.title
    assert not any("Public Contracts Regulations 2015" in n for n in result.notes), "never mislabelled"


@pytest.mark.parametrize("start", [dt.date(2013, 1, 31), dt.date(2015, 2, 25)])
def test_before_the_pcr_2015_the_regime_is_named_as_outside_svbot(finder: ScopeFinder, start: dt.date) -> None:
    result = find(finder, 5_000_000, start)
    assert result.act_applies is None
    assert "started before 26 February 2015" in result.why and "Public Contracts Regulations 2006" in result.why
    assert "reg. 118" in result.rule_source.title
    assert not any("was run under the Public Contracts Regulations 2015" in n for n in result.notes)


def test_from_the_pcr_2015_the_note_names_them(finder: ScopeFinder) -> None:
    result = find(finder, 5_000_000, dt.date(2015, 2, 26))
    assert "2006" not in result.why
    assert any("was run under the Public Contracts Regulations 2015" in n for n in result.notes)


@pytest.mark.parametrize("text", ["99999999999999999999999", "£2,000,000,000,000", "5000bn"])
def test_an_absurd_value_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(AmountError, match=r"is more than any procurement \(over £1,000,000,000,000\)"):
        parse_amount(text)


def test_the_largest_value_taken_is_exact() -> None:
    assert parse_amount("£1,000,000,000,000") == 1_000_000_000_000
    assert parse_amount("999999999999.99") == 999_999_999_999.99


def test_the_cli_refuses_an_absurd_value_without_float_artefacts(run) -> None:
    result = run("scope", "--type", "services", "--value", "99999999999999999999999", "--start", "2026-03-01")
    assert result.exit_code == 2
    assert "991,611,392" not in result.stdout + result.stderr
    assert "is more than any procurement" in result.stderr
