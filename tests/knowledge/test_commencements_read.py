"""In-force dates and Northern Ireland policy points, each checked against the primary text it was read from.

Each expectation names the instrument or page it was confirmed from, so a failure after an edit points
to the text to read again, and every source pinned here must be on a primary publisher's site.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import yaml

from bot.knowledge.checks import _host_matches
from bot.knowledge.loader import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR

TODAY = dt.date(2026, 12, 3)
SSI_2016_30 = "www.legislation.gov.uk/ssi/2016/30/made"
REGULATED = "date.scotland.regulated-procurement.commencement"
DUTY = "date.scotland.sustainable-procurement-duty.commencement"
COMMUNITY = "date.scotland.community-benefits.commencement"


def _primary_domains() -> list[str]:
    rules = yaml.safe_load((KNOWLEDGE_DIR / "sources.yaml").read_text(encoding="utf-8"))
    return [str(d).lower() for d in rules["primary_domains"]]


def _is_primary(url: str | None) -> bool:
    """The same host rule `kb check` applies to sources (bot.knowledge.checks), not a copy of it."""
    host = urlsplit(url).hostname if url else None
    return bool(host) and _host_matches(host, _primary_domains())


def test_the_primary_check_used_here_tells_a_law_firm_from_legislation() -> None:
    assert _is_primary("https://www.legislation.gov.uk/ssi/2016/30/made")
    assert _is_primary("https://www.finance-ni.gov.uk/news/x")
    assert not _is_primary("https://www.carson-mcdowell.com/news-and-events/x")
    assert not _is_primary("https://kentonline.co.uk/news/national/x")
    assert not _is_primary(None)


@pytest.mark.parametrize(
    ("fact_id", "day", "article"),
    [
        # SSI 2016/30, art. 3: "all sections of, and the schedule to, the Act in so far as not already in
        # force, other than sections 8(2) and (3), 9, 24 and 25" on 18th April 2016 (so ss.3, 5 and 15).
        (REGULATED, dt.date(2016, 4, 18), "art"),
        # Art. 4: "sections 8(2) and (3), 9, 24 and 25 of the Act is 1st June 2016": the sustainable
        # procurement duty came six weeks after the rest of the Act, with the community benefit sections.
        (DUTY, dt.date(2016, 6, 1), "art. 4"),
        (COMMUNITY, dt.date(2016, 6, 1), "art. 4"),
    ],
)
def test_scottish_commencement_days_are_those_of_ssi_2016_30(
    kb: KnowledgeBase, fact_id: str, day: dt.date, article: str
) -> None:
    value = kb.facts.on(fact_id, TODAY)
    assert value is not None and value.value == day, fact_id
    assert value.effective_from == day
    assert kb.facts.on(fact_id, day - dt.timedelta(days=1)) is None
    assert SSI_2016_30 in (value.source.url or "") and _is_primary(value.source.url)
    assert "SSI 2016/30" in value.source.title and article in value.source.title
    assert value.source.date == "2016-01-19"  # made 19 January 2016


def test_the_sustainable_procurement_duty_is_not_dated_from_the_rest_of_the_act(kb: KnowledgeBase) -> None:
    regulated, duty = kb.facts.on(REGULATED, TODAY), kb.facts.on(DUTY, TODAY)
    assert regulated is not None and duty is not None
    assert duty.value > regulated.value
    notes = kb.facts.get(REGULATED).notes or ""  # type: ignore[union-attr]
    assert "Art. 5(3): the Act does not apply" in notes and "other than ss.8(2)-(3), 9, 24 and 25" in notes


@pytest.mark.parametrize(
    ("threshold", "commencement"),
    [
        ("threshold.scotland.regulated.goods-services", REGULATED),
        ("threshold.scotland.regulated.works", REGULATED),
        ("threshold.scotland.procurement-strategy", REGULATED),
        ("threshold.scotland.community-benefits", COMMUNITY),
    ],
)
def test_each_scottish_threshold_starts_on_the_day_its_section_came_into_force(
    kb: KnowledgeBase, threshold: str, commencement: str
) -> None:
    start = kb.facts.on(commencement, TODAY)
    assert start is not None
    first = kb.facts.get(threshold).values[0]  # type: ignore[union-attr]
    assert first.effective_from == start.value, threshold
    assert kb.facts.on(threshold, start.value - dt.timedelta(days=1)) is None
    assert _is_primary(first.source.url)


def test_the_scottish_entry_gives_both_days_and_cites_the_order(kb: KnowledgeBase) -> None:
    entry = kb.as_of(TODAY).get("legal.scotland-sustainable-procurement")
    assert entry is not None
    assert "{{fact:" not in entry.body
    assert "came into force on 18 April 2016 (SSI 2016/30, art. 3)" in entry.body
    assert "(ss.8(2)-(3) and 9) and community benefit requirements (ss.24-25) followed on 1 June 2016" in entry.body
    assert any(SSI_2016_30 in (s.url or "") for s in entry.sources)
    devolved = kb.as_of(TODAY).get("legal.devolved-nations")
    assert devolved is not None and "sustainable procurement duty (in force 1 June 2016" in devolved.body


NI_NEWS = "www.finance-ni.gov.uk/news/new-era-public-procurement-social-value-be-scored-government-contracts-murphy"


def test_the_ni_minimum_is_ten_percent_from_dofs_own_ppn_page(kb: KnowledgeBase) -> None:
    # finance-ni.gov.uk/node/52522 (last updated 6 October 2022): "from 1 June 2022 tenders must include a
    # minimum of 10% of the total award criteria to social value".
    weighting, start = kb.facts.on("weighting.ni.minimum", TODAY), kb.facts.on("date.ni.ppn-01-21.commencement", TODAY)
    assert weighting is not None and weighting.value == 10
    assert start is not None and start.value == dt.date(2022, 6, 1) == weighting.effective_from
    assert urlsplit(weighting.source.url).hostname == "www.finance-ni.gov.uk"
    assert _is_primary(weighting.source.url)
    # No DoF text restates the figure for 2026: the notes keep saying so until one is read.
    assert "not confirmed from DoF text" in (kb.facts.get("weighting.ni.minimum").notes or "")  # type: ignore[union-attr]


def test_the_ni_living_wage_condition_is_cited_from_dof_and_its_rate_left_open(kb: KnowledgeBase) -> None:
    # DoF news release, 5 July 2021: the policy "will see the Living Wage being included as a condition of
    # contract for all tenders from June 2022". The PPN's own clause and the rate it names were not read.
    entry = kb.as_of(TODAY).get("legal.northern-ireland")
    assert entry is not None
    assert "included as a condition of contract for all tenders from June 2022" in entry.body
    news = [s for s in entry.sources if NI_NEWS in (s.url or "")]
    assert len(news) == 1 and news[0].date == "2021-07-05" and _is_primary(news[0].url)
    assert "not the PPN's own text" in (entry.uncertain or "")
    assert "not confirmed here" in (entry.uncertain or "")
