"""Amounts as people type them are read exactly: "4.1m" is £4,100,000, never £4,099,999.9999999995."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.amounts import figures_in, parse_amount
from bot.knowledge.loader import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("4.1m", 4_100_000),
        ("1.15m", 1_150_000),
        ("0.3m", 300_000),
        ("2.01k", 2_010),
        ("1.1bn", 1_100_000_000),
        ("£213,477.29", 213_477.29),
        ("12.5", 12.5),
        ("1.2345678m", 1_234_567.8),
        ("213.4779999k", 213_478),  # a fraction of a penny is rounded to the penny
    ],
)
def test_amounts_are_read_to_the_exact_penny(text: str, pounds: float) -> None:
    assert parse_amount(text) == pounds


def spellings(pounds: int) -> list[str]:
    """The ways people type a whole-pound amount: 213477, £213,477, 213.477k, 0.213477m."""
    return [str(pounds), f"£{pounds:,}", f"{Decimal(pounds) / 1000}k", f"{Decimal(pounds) / 1_000_000}m"]


def test_a_pound_either_side_of_every_threshold_still_decides_the_same(kb: KnowledgeBase) -> None:
    amounts = {
        int(spec.value) for fact in kb.facts if fact.kind == "money" for spec in fact.values if float(spec.value) > 1000
    }
    assert len(amounts) > 10
    for threshold in amounts:
        for pounds in (threshold - 1, threshold, threshold + 1):
            for text in spellings(pounds):
                read = parse_amount(text)
                assert read == pounds, text
                assert (read >= threshold) is (pounds >= threshold), text


def test_scope_prints_a_whole_number_of_pounds(run) -> None:
    out = run("scope", "--type", "services", "--value", "4.1m").stdout
    assert "£4,100,000 + VAT" in out and ".00" not in out


def test_figures_in_a_sentence_are_found_where_they_are() -> None:
    text = "what if it was £0.1m, not 216,000, over 4 years?"
    found = figures_in(text)
    assert [(f.text.strip(), f.money, f.pounds()) for f in found] == [
        ("£0.1m", True, 100_000),
        ("216,000", False, 216_000),
        ("4", False, 4),
    ]
    assert all(text[slice(*f.span)] == f.text for f in found)
