"""Dated facts: the value in force on a day, formatting, placeholders in entries, kb check rules."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from kbtools import edit, line_of

from bot.knowledge.facts import Facts, format_date, format_value
from bot.knowledge.live import LiveKnowledge
from bot.knowledge.loader import Finding, KnowledgeBase, check_folder, load_knowledge
from bot.knowledge.schema import FactsFile
from bot.matching.matcher import Matcher
from bot.yamlio import parse_yaml

SUB_CENTRAL = "threshold.sub-central.goods-services"
DAY_BEFORE = dt.date(2025, 12, 31)
NEW_YEAR = dt.date(2026, 1, 1)
ENTRY = "legal.thresholds"


def facts_from(text: str) -> Facts:
    return Facts(FactsFile.model_validate(parse_yaml(text).data).facts)


SOURCE = '{title: "Test regulations 2030", url: "https://www.legislation.gov.uk/uksi/2030/1", date: "2030"}'
TWO_VALUES = f"""facts:
  - id: test.rate
    title: A test rate
    kind: percent
    review_by: 2099-01-01
    values:
      - value: 10
        effective_from: 2030-01-01
        effective_to: 2030-12-31
        source: {SOURCE}
      - value: 12.5
        effective_from: 2031-01-01
        source: {SOURCE}
"""


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def codes_at(findings: list[Finding], code: str) -> list[tuple[str, int]]:
    return [(Path(f.file).name, f.line) for f in findings if f.code == code]


# Selection by date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact_id", "before", "after"),
    [
        (SUB_CENTRAL, 214_904, 207_720),
        ("threshold.central.goods-services", 139_688, 135_018),
        ("threshold.works", 5_372_609, 5_193_000),
        ("threshold.utilities.goods-services", 429_809, 415_440),
        ("threshold.light-touch", 663_540, 663_540),
        ("threshold.welsh.sub-central.goods-services", 214_904, 207_720),
    ],
)
def test_a_procurement_gets_the_threshold_in_force_when_it_started(
    kb: KnowledgeBase, fact_id: str, before: int, after: int
) -> None:
    assert kb.facts.on(fact_id, DAY_BEFORE).value == before
    assert kb.facts.on(fact_id, NEW_YEAR).value == after


def test_a_value_knows_its_period_and_source(kb: KnowledgeBase) -> None:
    old = kb.facts.on(SUB_CENTRAL, DAY_BEFORE)
    assert (old.effective_from, old.effective_to) == (dt.date(2025, 2, 24), DAY_BEFORE)
    new = kb.facts.on(SUB_CENTRAL, NEW_YEAR)
    assert (new.effective_from, new.effective_to) == (NEW_YEAR, None)
    assert "2025/1200" in new.source.title and new.source.url.startswith("https://www.legislation.gov.uk/")
    assert new.fact.vat == "included"
    assert new.as_json()["text"] == "£207,720"


def test_no_value_before_the_first_or_for_an_unknown_id(kb: KnowledgeBase) -> None:
    assert kb.facts.on(SUB_CENTRAL, dt.date(2023, 12, 31)) is None
    assert kb.facts.on("threshold.no-such", NEW_YEAR) is None
    assert kb.facts.all_on(dt.date(2000, 1, 1)) == []


def test_all_on_lists_every_fact_in_force() -> None:
    facts = facts_from(TWO_VALUES)
    assert [(v.fact.id, v.value) for v in facts.all_on(dt.date(2030, 12, 31))] == [("test.rate", 10)]
    assert [(v.fact.id, v.value) for v in facts.all_on(dt.date(2031, 1, 1))] == [("test.rate", 12.5)]


def test_every_shipped_fact_has_a_primary_source_and_a_value_today(kb: KnowledgeBase) -> None:
    assert len(kb.facts) >= 10
    for fact in kb.facts:
        assert kb.facts.on(fact.id, dt.date.today()) is not None, fact.id
        for spec in fact.values:
            assert spec.source.url and spec.source.url.startswith(
                (
                    "https://www.legislation.gov.uk/",
                    "https://www.gov.uk/",
                    "https://www.gov.wales/",
                    "https://www.gov.scot/",
                    "https://www.finance-ni.gov.uk/",
                    "https://www.england.nhs.uk/",
                )
            ), fact.id


# Formatting and placeholders --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("money", 207720, "£207,720"),
        ("money", 5193000, "£5,193,000"),
        ("money", 1234.5, "£1,234.50"),
        ("percent", 10, "10%"),
        ("percent", 12.5, "12.5%"),
        ("date", dt.date(2026, 2, 4), "4 February 2026"),
        ("text", "Fair Work First", "Fair Work First"),
    ],
)
def test_values_are_written_as_people_write_them(kind: str, value: object, text: str) -> None:
    assert format_value(kind, value) == text


def test_placeholders_render_for_the_day_asked(kb: KnowledgeBase) -> None:
    text = f"At least {{{{fact:{SUB_CENTRAL}}}}} for councils."
    assert kb.facts.render(text, NEW_YEAR) == "At least £207,720 (from 1 January 2026) for councils."
    assert kb.facts.render(f"{{{{fact:{SUB_CENTRAL}|value}}}}", NEW_YEAR) == "£207,720"
    assert kb.facts.render(f"{{{{ fact: {SUB_CENTRAL} | from }}}}", NEW_YEAR) == "1 January 2026"
    assert (
        kb.facts.render(f"{{{{fact:{SUB_CENTRAL}}}}}", DAY_BEFORE)
        == "£214,904 (from 24 February 2025 to 31 December 2025)"
    )
    missing = kb.facts.render(f"{{{{fact:{SUB_CENTRAL}}}}}", dt.date(2020, 1, 1))
    assert missing.startswith("(no figure recorded for 1 January 2020")
    assert kb.facts.render("no placeholder {{here}}", NEW_YEAR) == "no placeholder {{here}}"


@pytest.fixture
def with_placeholder(kb_copy: Path) -> Path:
    """The thresholds entry's short answer using a placeholder instead of a typed figure."""
    path = kb_copy / "legal-1.yaml"
    line = line_of(path, f"id: {ENTRY}")
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i in range(line, len(text)):
        if text[i].startswith("    short_answer:"):
            text[i] = (
                f"    short_answer: Councils use {{{{fact:{SUB_CENTRAL}}}}} from {{{{fact:{SUB_CENTRAL}|from}}}}.\n"
            )
            # Drop the folded continuation lines of the old short answer.
            while text[i + 1].startswith("      "):
                del text[i + 1]
            break
    path.write_text("".join(text), encoding="utf-8")
    return kb_copy


def test_entries_show_the_figure_in_force_and_cite_its_source(with_placeholder: Path) -> None:
    kb = load_knowledge(with_placeholder, today=NEW_YEAR)
    raw = next(e for e in kb.raw_entries if e.id == ENTRY)
    assert "{{fact:" in raw.short_answer
    entry = kb.get(ENTRY)
    assert entry.short_answer == "Councils use £207,720 (from 1 January 2026) from 1 January 2026."
    assert any("2025/1200" in s.title for s in entry.sources)
    assert not any("2025/1200" in s.title for s in raw.sources)
    earlier = kb.as_of(DAY_BEFORE).get(ENTRY)
    assert earlier.short_answer.startswith("Councils use £214,904 (from 24 February 2025")
    assert kb.as_of(NEW_YEAR) is kb


def test_the_matcher_indexes_the_rendered_text(with_placeholder: Path) -> None:
    kb = load_knowledge(with_placeholder, today=NEW_YEAR)
    matcher = Matcher(kb)
    doc = next(d for d in matcher._docs if d.entry.id == ENTRY)
    assert "{{" not in doc.entry.short_answer
    # The matcher reads the figure as a sum of money, and the date after it as words.
    rendered_terms = matcher.normaliser.terms("£207,720 (from 1 January 2026)")
    assert rendered_terms == ["pound", "1", "januari", "2026"]
    assert all(t in doc.tf for t in rendered_terms)


def test_ask_prints_the_figure_in_force_today(with_placeholder: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(with_placeholder))
    kb = load_knowledge(with_placeholder)
    today = kb.facts.on(SUB_CENTRAL, dt.date.today())
    result = run("ask", "--no-log", "what are the procurement thresholds")
    assert result.exit_code == 0
    assert f"Councils use {today.text} (from {format_date(today.effective_from)})" in result.stdout
    assert "{{" not in result.stdout


def test_a_running_bot_moves_to_the_new_figures_when_the_date_changes(with_placeholder: Path) -> None:
    today = [DAY_BEFORE]
    live = LiveKnowledge(with_placeholder, clock=lambda: today[0])
    assert "£214,904" in live.kb.get(ENTRY).short_answer
    matcher_before = live.matcher
    today[0] = NEW_YEAR
    assert "£207,720" in live.kb.get(ENTRY).short_answer
    assert live.kb.on == NEW_YEAR
    assert live.matcher is not matcher_before
    assert "£207,720" in next(d for d in live.matcher._docs if d.entry.id == ENTRY).entry.short_answer


# kb check rules -------------------------------------------------------------------------------------


def test_an_unknown_fact_is_an_error_with_file_and_line(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    edit(path, "    body: |-\n", "    body: |-\n      The figure is {{fact:threshold.made-up}} today.\n")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    line = line_of(path, "threshold.made-up")
    assert (path.name, line) in codes_at(errors(findings), "unknown-fact")
    assert "{{fact:threshold.made-up}} names no fact" in errors(findings)[0].message


@pytest.mark.parametrize(
    ("placeholder", "said"),
    [
        (f"{{{{fact:{SUB_CENTRAL}|amount}}}}", "write 'value' or 'from'"),
        (f"{{{{fact {SUB_CENTRAL}}}}}", "written wrongly"),
        (f"{{{{fact:{SUB_CENTRAL}}}", "written wrongly"),
    ],
)
def test_a_misspelt_placeholder_is_an_error(kb_copy: Path, placeholder: str, said: str) -> None:
    path = kb_copy / "legal-1.yaml"
    edit(path, "    body: |-\n", f"    body: |-\n      The figure is {placeholder} today.\n")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    [finding] = [f for f in errors(findings) if f.code == "unknown-fact"]
    assert said in finding.message
    assert finding.line == line_of(path, "The figure is ")


def test_a_figure_typed_into_prose_names_the_fact_to_use(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    edit(path, "    body: |-\n", "    body: |-\n      Councils use £207,720 now (and £207720 too).\n")
    _, findings = check_folder(kb_copy)
    typed = [f for f in findings if f.code == "typed-figure" and f.line == line_of(path, "Councils use £207,720")]
    assert len(typed) == 2
    assert f"{{{{fact:{SUB_CENTRAL}}}}}" in typed[0].message
    assert typed[0].severity == "error"


def test_round_figures_typed_as_shorthand_are_flagged_too(kb_copy: Path) -> None:
    # £2m, £2 million and £50k are the same figures as £2,000,000 and £50,000 in facts.yaml.
    path = kb_copy / "legal-1.yaml"
    edit(
        path, "    body: |-\n", "    body: |-\n      Works from £2m (£2 Million), goods from £50k; not £25m or £2mm.\n"
    )
    _, findings = check_folder(kb_copy)
    line = line_of(path, "Works from £2m")
    typed = sorted(
        f.message.split(": ")[1].split(" is typed")[0] for f in findings if f.code == "typed-figure" and f.line == line
    )
    assert typed == ["£2 Million", "£2m", "£50k"]


def test_figures_that_are_no_fact_are_not_flagged(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    edit(path, "    body: |-\n", "    body: |-\n      A £207,7200 budget, £2,077 or £50; 207,720 people.\n")
    _, findings = check_folder(kb_copy)
    assert line_of(path, "A £207,7200 budget") not in [f.line for f in findings if f.code == "typed-figure"]


FACT_ERRORS = [
    (
        "      - value: 139688\n        effective_from: 2025-02-24\n",
        "      - value: 139688\n        effective_from: 2025-02-20\n",
        "overlaps",
    ),
    ("        effective_to: 2025-02-23\n", "        effective_to: 2023-01-01\n", "effective_to must not come before"),
    ("      - value: 135018\n", '      - value: "£135,018"\n', "needs a number"),
    ("    kind: money\n    vat: included\n", "    kind: percent\n    vat: included\n", "'vat' applies only"),
    ("      - value: 135018\n", "      - value: yes\n", "not yes/no"),
]


@pytest.mark.parametrize(("old", "new", "said"), FACT_ERRORS)
def test_bad_fact_values_are_errors_at_the_fact(kb_copy: Path, old: str, new: str, said: str) -> None:
    path = kb_copy / "facts.yaml"
    edit(path, old, new)
    kb, findings = check_folder(kb_copy)
    assert kb is None
    found = [f for f in errors(findings) if f.file == str(path)]
    assert found and said in found[0].message
    assert found[0].line >= line_of(path, "id: threshold.central.goods-services")


def test_values_out_of_order_are_an_error(kb_copy: Path) -> None:
    path = kb_copy / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("  - id: threshold.sub-central.goods-services", 1)
    head, values = first.split("    values:\n", 1)
    items = values.split("      - value:")
    reordered = head + "    values:\n" + "      - value:".join([items[0], items[3], items[1], items[2]])
    path.write_text(reordered + "  - id: threshold.sub-central.goods-services" + rest, encoding="utf-8")
    _, findings = check_folder(kb_copy)
    assert any("oldest first" in f.message for f in errors(findings))


def test_a_duplicate_fact_id_is_reported_at_the_later_one(kb_copy: Path) -> None:
    path = kb_copy / "facts.yaml"
    edit(path, "  - id: threshold.works\n", f"  - id: {SUB_CENTRAL}\n")
    _, findings = check_folder(kb_copy)
    later = line_of(path, f"id: {SUB_CENTRAL}", line_of(path, f"id: {SUB_CENTRAL}") + 1)
    assert codes_at(errors(findings), "duplicate-id") == [("facts.yaml", later)]


def test_a_fact_past_review_is_a_warning_and_one_with_no_value_today_an_error(kb_copy: Path) -> None:
    path = kb_copy / "facts.yaml"
    _, later = check_folder(kb_copy, today=dt.date(2027, 10, 2))
    assert ("facts.yaml", line_of(path, "review_by:")) in codes_at(later, "review-due")
    assert all(f.severity == "warning" for f in later if f.code == "review-due")
    assert codes_at(later, "no-current-value") == []
    kb, before = check_folder(kb_copy, today=dt.date(2023, 6, 1))
    assert kb is None
    assert ("facts.yaml", line_of(path, "id: threshold.central.goods-services")) in codes_at(
        errors(before), "no-current-value"
    )
    assert codes_at(before, "review-due") == []


def test_facts_yaml_is_required(kb_copy: Path) -> None:
    (kb_copy / "facts.yaml").unlink()
    kb, findings = check_folder(kb_copy)
    assert kb is None
    assert [f.message for f in errors(findings)] == ["facts.yaml is missing"]


# The reloading bot -------------------------------------------------------------------------------


def test_a_broken_version_is_logged_once_and_a_good_reload_once(
    kb_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = LiveKnowledge(kb_copy)
    good = live.kb
    path = kb_copy / "legal-1.yaml"
    edit(path, "last_reviewed: ", "last_reviewed: 2026-02-30\n    xlast_reviewed: ")
    caplog.set_level(logging.INFO, logger="bot.knowledge.live")
    for _ in range(3):
        live.reload_if_changed()
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1
    assert "2026-02-30 is not a real date" in refused[0].getMessage()
    assert refused[0].exc_info is None
    assert live.kb is good
    edit(path, "last_reviewed: 2026-02-30\n    xlast_reviewed: ", "last_reviewed: ")
    (kb_copy / "glossary.yaml").write_text((kb_copy / "glossary.yaml").read_text() + "# edited\n")
    caplog.clear()
    for _ in range(3):
        live.reload_if_changed()
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["knowledge reloaded"]


# The reasons checker reads a sum under £100,000 as below every services threshold of the 2012 Act
# ({small-sum}): a threshold in force now or later that is not above it must stop the knowledge.
@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        ("      - value: 135018\n", "      - value: 95000\n", True),  # today's central threshold
        ("      - value: 135018\n", "      - value: 100000\n", True),  # at the ceiling is not above it
        ("      - value: 135018\n", "      - value: 100001\n", False),
    ],
)
def test_a_services_threshold_must_stay_above_the_checkers_small_sum(
    kb_copy: Path, old: str, new: str, refused: bool
) -> None:
    path = kb_copy / "facts.yaml"
    edit(path, old, new)
    kb, findings = check_folder(kb_copy)
    found = [f for f in errors(findings) if f.code == "small-sum-ceiling"]
    assert bool(found) is refused
    if refused:
        assert kb is None
        assert found[0].line == line_of(path, "id: threshold.central.goods-services")
        assert "{small-sum}" in found[0].message and "£100,000" in found[0].message


def test_a_past_threshold_below_the_small_sum_is_history(kb_copy: Path) -> None:
    path = kb_copy / "facts.yaml"
    edit(
        path,
        "      - value: 139688\n        effective_from: 2024-01-01\n",
        "      - value: 95000\n        effective_from: 2024-01-01\n",
    )
    _, findings = check_folder(kb_copy)
    assert not [f for f in findings if f.code == "small-sum-ceiling"]
