"""What the knowledge base says about law made or changed in 2026, checked against the law itself.

Each expectation names the primary text it was read from, so a test that fails after a change in the
law points to the instrument to read again.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge.loader import KnowledgeBase

WALES = "legal.wales-socially-responsible-procurement"
SCOTLAND = "legal.scotland-sustainable-procurement"
TODAY = dt.date(2026, 12, 2)


def _text(kb: KnowledgeBase, entry_id: str, when: dt.date = TODAY) -> str:
    entry = kb.as_of(when).get(entry_id)
    assert entry is not None
    return "\n".join([entry.short_answer, entry.body, entry.uncertain or ""])


def test_wales_prescribed_contracts_include_every_contract_above_its_threshold(kb: KnowledgeBase) -> None:
    # The Social Partnership and Public Procurement (Wales) Regulations 2026 (SI 2026/75), reg. 4, made
    # under s.24(8)(c) of the 2023 Act and in force 25 March 2026 (reg. 1(2)): a prescribed contract
    # "also includes" any contract or framework agreement unless its estimated value "is less than the
    # threshold amount set out in the table of paragraph 1(1) of Schedule 1 to PA 2023" or it is an
    # excluded contract (reg. 3). https://www.legislation.gov.uk/wsi/2026/75/made
    entry = kb.as_of(TODAY).get(WALES)
    assert entry is not None
    assert "SI 2026/75, reg. 4" in entry.short_answer
    assert any("legislation.gov.uk/wsi/2026/75" in (s.url or "") for s in entry.sources)
    # The threshold shown is the Welsh column of Schedule 1 in force on the day asked.
    welsh = kb.facts.on("threshold.welsh.sub-central.goods-services", TODAY)
    assert welsh is not None
    assert welsh.text in entry.body
    # The open point the regulations settle is no longer listed as open.
    assert "s.24(8)" not in (entry.uncertain or "")
    assert "consulted on regulations" not in entry.body


def test_wales_duty_started_on_25_march_2026_not_21_march_2025(kb: KnowledgeBase) -> None:
    # SI 2025/1353 (W.220), art. 2(b): "section 24(1) to (7) (socially responsible procurement duty)"
    # comes into force on 25 March 2026; the 21 March 2025 order (SI 2025/338) started other provisions.
    start = kb.facts.on("date.sppp.duty.commencement", TODAY)
    assert start is not None and start.value == dt.date(2026, 3, 25)
    devolved = _text(kb, "legal.devolved-nations")
    assert "21 March 2025" not in devolved
    assert "SI 2026/75" in devolved


@pytest.mark.parametrize(
    ("fact_id", "figure"),
    [
        # Procurement Reform (Scotland) Act 2014, s.3(2), s.25(1) and s.15(4), revised text as updated to
        # 4 March 2026: £50,000, £2,000,000, £4,000,000 and £5,000,000. The 1 January 2026 change was to the
        # GPA thresholds of the Public Contracts (Scotland) Regulations 2015 only (gov.scot, SPPN 4/2025).
        ("threshold.scotland.regulated.goods-services", 50_000),
        ("threshold.scotland.regulated.works", 2_000_000),
        ("threshold.scotland.community-benefits", 4_000_000),
        ("threshold.scotland.procurement-strategy", 5_000_000),
    ],
)
def test_scotlands_own_thresholds_did_not_change_on_1_january_2026(
    kb: KnowledgeBase, fact_id: str, figure: int
) -> None:
    for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 1), TODAY):
        value = kb.facts.on(fact_id, day)
        assert value is not None and value.value == figure, (fact_id, day)
    assert "SPPN 4/2025" in _text(kb, SCOTLAND)


def test_the_english_below_threshold_reservation_order_is_in_force_from_4_february_2026(kb: KnowledgeBase) -> None:
    # The Local Government (Exclusion of Non-commercial Considerations) (England) Order 2026 (SI 2026/94),
    # made 3 February 2026; art. 1(2): it "comes into force on the day after the day on which the Order is
    # made". https://www.legislation.gov.uk/uksi/2026/94/made
    fact = "date.below-threshold-reservation-order"
    before, after = kb.facts.on(fact, dt.date(2026, 2, 3)), kb.facts.on(fact, dt.date(2026, 2, 4))
    assert before is not None and before.value.startswith("not yet")
    assert after is not None and after.value == "4 February 2026"
    assert "legislation.gov.uk/uksi/2026/94" in (after.source.url or "")
    # Art. 3 lifts s.17(5)(e) for location only; reserving to SMEs or VCSEs comes from MHCLG's guidance.
    entry = kb.as_of(TODAY).get("legal.local-preference")
    assert entry is not None
    assert "SI 2026/94" in entry.short_answer
    assert "to SMEs or VCSEs (the Local Government" not in entry.short_answer
