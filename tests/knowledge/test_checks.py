"""kb check in plain words: sources, glossary variants, dates, tabs and indentation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from kbtools import edit, line_of, set_line

from bot.knowledge.loader import Finding, check_folder

TODAY = dt.date(2026, 12, 1)


def entry_with_sources(sources: list[tuple[str, str]], kind: str = "legal", reviewed: str = "2026-01-01") -> str:
    """An entries file with one entry citing ``sources`` as (title, url or 'citation: ...')."""
    lines = []
    for title, where in sources:
        lines.append(f'      - title: "{title}"')
        if where.startswith("citation: "):
            lines.append(f'        citation: "{where.removeprefix("citation: ")}"')
        else:
            lines.append(f"        url: {where}")
        lines.append('        date: "2024"')
    prefix = {"legal": "legal", "principle": "principle"}[kind]
    return f"""entries:
  - id: {prefix}.zebra-crossings
    kind: {kind}
    title: Zebra crossings outside schools
    short_answer: Zebra crossings are a made-up topic used to test source rules.
    body: Nothing here is real.
    questions:
      - do zebra crossings outside schools count as social value
      - zebra crossing social value
      - can a zebra crossing be a community benefit
      - who pays for zebra crossings near primary schools
      - zebra crossings and the act
    keywords: [zebra crossing]
    sources:
{chr(10).join(lines)}
    jurisdiction: [England]
    last_reviewed: {reviewed}
    review_by: 2099-01-01
"""


def findings_for(kb_copy: Path, text: str) -> tuple[Path, list[Finding]]:
    path = kb_copy / "zebra.yaml"
    path.write_text(text, encoding="utf-8")
    _, findings = check_folder(kb_copy, today=TODAY)
    return path, [f for f in findings if f.file == str(path)]


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings]


ACT = "https://www.legislation.gov.uk/ukpga/2023/54/section/13"
FIRM = "https://www.lexology.com/library/detail.aspx?g=zebra"


def test_primary_sources_raise_nothing(kb_copy: Path) -> None:
    _, found = findings_for(
        kb_copy,
        entry_with_sources([("Procurement Act 2023, s.13", ACT), ("A law firm on the Procurement Act 2023", FIRM)]),
    )
    assert found == []


def test_legislation_only_from_a_law_firm_is_flagged_at_the_source(kb_copy: Path) -> None:
    path, found = findings_for(kb_copy, entry_with_sources([("Procurement Act 2023, s.13 explained", FIRM)]))
    line = line_of(path, "Procurement Act 2023, s.13 explained")
    assert ("non-primary", line) in codes(found)
    message = next(f.message for f in found if f.code == "non-primary")
    assert "is legislation taken from www.lexology.com" in message and "legislation.gov.uk" in message
    assert ("all-secondary", line_of(path, "    sources:")) in codes(found)


def test_a_ppn_from_a_secondary_site_is_flagged(kb_copy: Path) -> None:
    _, found = findings_for(
        kb_copy,
        entry_with_sources([("Procurement Act 2023, s.13", ACT), ("Summary of PPN 002 (Spend Matters)", FIRM)]),
    )
    assert [f.code for f in found] == ["non-primary"]
    assert "is a Procurement Policy Note taken from" in found[0].message


def test_a_citation_without_a_link_names_the_document_itself(kb_copy: Path) -> None:
    _, found = findings_for(
        kb_copy,
        entry_with_sources([("Cabinet Office PPN 10/12", "citation: Procurement Policy Note 10/12, 20 December 2012")]),
    )
    assert found == []


def test_mirrors_and_own_documents_are_flagged(kb_copy: Path) -> None:
    path, found = findings_for(
        kb_copy,
        entry_with_sources(
            [
                ("Procurement Act 2023, s.13", ACT),
                ("PPN 10/12 advice", "https://kipdf.com/ppn-10-12.html"),
                ("Slides", "https://cdn.slideserve.com/x/slides"),
                ("svbot domain brief, section 5", "citation: Domain brief compiled from stored pages"),
            ]
        ),
    )
    assert codes(found) == [
        ("mirror", line_of(path, "PPN 10/12 advice")),
        ("mirror", line_of(path, "Slides")),
        ("own-document", line_of(path, "svbot domain brief")),
    ]
    assert "kipdf.com" in found[0].message and "original publisher" in found[0].message


def test_all_secondary_applies_to_legal_entries_only(kb_copy: Path) -> None:
    _, found = findings_for(kb_copy, entry_with_sources([("A blog post", FIRM)], kind="principle"))
    assert found == []
    _, found = findings_for(kb_copy, entry_with_sources([("A blog post", FIRM)], kind="legal"))
    assert [f.code for f in found] == ["all-secondary"]


def test_source_rules_are_data(kb_copy: Path) -> None:
    edit(kb_copy / "sources.yaml", "  - kipdf.com\n", "")
    _, found = findings_for(kb_copy, entry_with_sources([("Act 2023", ACT), ("PPN copy", "https://kipdf.com/x")]))
    assert "mirror" not in [f.code for f in found]
    (kb_copy / "sources.yaml").write_text("primary_domains: []\nclaims: [{kind: x, primary: [a], patterns: ['(']}]\n")
    kb, findings = check_folder(kb_copy, today=TODAY)
    assert kb is None
    assert {f.file for f in findings if f.severity == "error"} == {str(kb_copy / "sources.yaml")}


def test_a_future_last_reviewed_is_a_warning(kb_copy: Path) -> None:
    path, found = findings_for(kb_copy, entry_with_sources([("Act 2023", ACT)], reviewed="2026-12-02"))
    [finding] = found
    assert (finding.code, finding.line, finding.severity) == (
        "reviewed-in-future",
        line_of(path, "last_reviewed"),
        "warning",
    )
    _, found = findings_for(kb_copy, entry_with_sources([("Act 2023", ACT)], reviewed="2026-12-01"))
    assert found == []


def test_a_glossary_variant_under_two_terms_is_a_warning_at_the_second(kb_copy: Path) -> None:
    path = kb_copy / "glossary.yaml"
    edit(path, "variants: [social return on investment]", "variants: [social return on investment, Third  Sector]")
    kb, findings = check_folder(kb_copy, today=TODAY)
    assert kb is not None
    [finding] = [f for f in findings if f.code == "glossary-variant"]
    assert finding.line == line_of(path, "Third  Sector")
    assert "'VCSE'" in finding.message and "'SROI'" in finding.message


def test_a_glossary_meaning_naming_no_fact_is_an_error_at_its_line(kb_copy: Path) -> None:
    path = kb_copy / "glossary.yaml"
    edit(path, "{{fact:threshold.light-touch}}", "{{fact:threshold.light-touches}}")
    kb, findings = check_folder(kb_copy, today=TODAY)
    assert kb is None
    [finding] = [f for f in findings if f.code == "unknown-fact"]
    assert finding.line == line_of(path, "threshold.light-touches")
    assert "glossary term 'light touch'" in finding.message


def test_the_shipped_glossary_has_no_variant_twice(kb_copy: Path) -> None:
    _, findings = check_folder(kb_copy, today=TODAY)
    assert [f for f in findings if f.code == "glossary-variant"] == []


# Dates, tabs and indentation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "said"),
    [("2026-02-30", "February 2026 has 28 days"), ("2026-13-01", "there is no month 13")],
)
def test_an_impossible_date_is_a_finding_with_file_and_line(run, kb_copy: Path, date: str, said: str) -> None:
    path = kb_copy / "legal-1.yaml"
    line = set_line(path, "    last_reviewed:", f"    last_reviewed: {date}")
    text = run("kb", "check", "--folder", str(kb_copy))
    assert text.exit_code == 1
    assert f"{path}:{line}: error: legal.act-overview: " in text.stderr
    assert f"last_reviewed: {date} is not a real date: {said}" in text.stderr
    result = run("kb", "check", "--json", "--folder", str(kb_copy))
    assert result.exit_code == 1
    # One finding: entries that link to the refused entry are not reported as broken links too.
    assert [(e["line"], e["code"]) for e in json.loads(result.stdout)["errors"]] == [(line, "schema")]


def test_ask_with_an_impossible_date_says_so_without_a_traceback(run, kb_copy: Path, monkeypatch) -> None:
    edit(kb_copy / "legal-1.yaml", "    last_reviewed: ", "    last_reviewed: 2026-02-30\n    x: ")
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    result = run("ask", "what is the social value act")
    assert result.exit_code == 1
    assert "2026-02-30 is not a real date" in result.stderr
    assert "Traceback" not in result.output


def test_a_tab_is_named_as_a_tab(kb_copy: Path) -> None:
    path = kb_copy / "glossary.yaml"
    edit(path, "  - term: SROI\n    meaning:", "  - term: SROI\n\tmeaning:")
    _, findings = check_folder(kb_copy, today=TODAY)
    line = line_of(path, "\tmeaning:")
    [finding] = [f for f in findings if f.severity == "error"]
    assert (finding.file, finding.line) == (str(path), line)
    assert finding.message.startswith(f"line {line} is indented with a tab; use spaces")


def test_a_misindented_line_is_named(kb_copy: Path) -> None:
    path = kb_copy / "glossary.yaml"
    edit(path, "  - term: SROI\n    meaning:", "  - term: SROI\n   meaning:")
    _, findings = check_folder(kb_copy, today=TODAY)
    [finding] = [f for f in findings if f.severity == "error"]
    assert "is not indented like the lines around it" in finding.message
    assert finding.line == line_of(path, "meaning: Social Return")


def test_an_unquoted_colon_is_named(kb_copy: Path) -> None:
    path = kb_copy / "glossary.yaml"
    edit(path, "  - term: SROI\n    meaning: Social", "  - term: SROI\n    meaning: Note: Social")
    _, findings = check_folder(kb_copy, today=TODAY)
    [finding] = [f for f in findings if f.severity == "error"]
    assert "put the value in quotes" in finding.message and finding.line == line_of(path, "Note: Social")


def test_an_impossible_source_date_is_an_error_at_its_line(kb_copy: Path) -> None:
    path, found = findings_for(
        kb_copy, entry_with_sources([("Procurement Act 2023, s.13", ACT)]).replace('date: "2024"', 'date: "2025-02-29"')
    )
    [finding] = [f for f in found if f.severity == "error"]
    assert finding.line == line_of(path, "2025-02-29")
    assert "2025-02-29 is not a real date: February 2025 has 28 days" in finding.message


def test_an_impossible_date_fact_is_named(kb_copy: Path) -> None:
    path = kb_copy / "facts.yaml"
    with path.open("a", encoding="utf-8") as out:
        out.write(
            "  - id: in-force.test-order\n    title: A made-up order\n    kind: date\n    review_by: 2099-01-01\n"
            "    values:\n      - value: 2026-02-30\n        effective_from: 2026-01-01\n"
            '        source: {title: "Test Order 2026", url: "https://www.legislation.gov.uk/uksi/2026/1", '
            'date: "2026"}\n'
        )
    kb, findings = check_folder(kb_copy, today=TODAY)
    assert kb is None
    [finding] = [f for f in findings if f.severity == "error"]
    assert "2026-02-30 is not a real date" in finding.message
    assert finding.line >= line_of(path, "in-force.test-order")


def test_a_non_primary_source_is_an_error_since_the_shipped_knowledge_is_clean(kb_copy: Path) -> None:
    _, found = findings_for(kb_copy, entry_with_sources([("Procurement Act 2023, s.13 explained", FIRM)]))
    assert next(f.severity for f in found if f.code == "non-primary") == "error"
