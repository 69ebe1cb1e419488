"""`svbot facts`: the figures in force on a day, with their sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbtools import edit


def test_facts_on_a_day_lists_each_figure_with_its_source(run) -> None:
    result = run("facts", "--on", "2026-01-01")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Figures in force on 1 January 2026")
    assert "threshold.sub-central.goods-services" in out
    assert "£207,720 including VAT, from 1 January 2026" in out
    assert "SI 2025/1200" in out and "https://www.legislation.gov.uk/uksi/2025/1200/made" in out


def test_the_day_before_gets_the_earlier_figure(run) -> None:
    result = run("facts", "--on", "2025-12-31", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["on"] == "2025-12-31"
    by_id = {f["id"]: f for f in data["facts"]}
    sub = by_id["threshold.sub-central.goods-services"]
    assert (sub["value"], sub["text"], sub["effective_from"], sub["effective_to"]) == (
        214904,
        "£214,904",
        "2025-02-24",
        "2025-12-31",
    )
    assert sub["source"]["url"].startswith("https://www.legislation.gov.uk/")
    # Only facts whose first value starts later (a duty not yet in force) may be missing.
    assert "threshold.sub-central.goods-services" not in data["missing"]
    assert all(by_id.get(i) is None for i in data["missing"])


def test_default_is_today(run) -> None:
    import datetime as dt

    data = json.loads(run("facts", "--json").stdout)
    assert data["on"] == dt.date.today().isoformat()
    assert data["facts"]


def test_a_day_before_any_figure_says_so(run) -> None:
    result = run("facts", "--on", "2000-01-01")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No figures are recorded for 1 January 2000."
    data = json.loads(run("facts", "--on", "2000-01-01", "--json").stdout)
    assert data["facts"] == [] and "threshold.works" in data["missing"]


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2026-02-30", "--on 2026-02-30 does not exist: February 2026 has 28 days"),
        ("2026-13-01", "there is no month 13"),
        ("next tuesday", "--on must be a date written YYYY-MM-DD, e.g. 2027-03-14 (got 'next tuesday')"),
    ],
)
def test_a_bad_date_is_one_clear_line_and_exit_2(run, day: str, said: str) -> None:
    result = run("facts", "--on", day)
    assert result.exit_code == 2
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_broken_knowledge_is_exit_1_without_a_traceback(run, kb_copy: Path, monkeypatch) -> None:
    edit(kb_copy / "facts.yaml", "  - id: threshold.works\n", "  - id: threshold.sub-central.goods-services\n")
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    result = run("facts")
    assert result.exit_code == 1
    assert "is already used at line" in result.stderr
    assert "Traceback" not in result.output
