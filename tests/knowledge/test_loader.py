"""Loading and validating the knowledge folder: each finding names its file and line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from kbtools import edit, line_of, set_line

from bot.knowledge.loader import Finding, KnowledgeError, check_folder, fingerprint_folder, load_knowledge
from bot.paths import KNOWLEDGE_DIR


def entry_yaml(
    entry_id: str = "legal.test-topic",
    *,
    sources: bool = True,
    review_by: str = "2099-01-01",
    question: str = "a question nobody else asks about test topics",
    related: str = "[]",
) -> str:
    """A minimal valid entries file with one entry (the entry starts on line 2)."""
    source = (
        """    sources:
      - title: Test source
        url: https://example.org/source
        date: "2024"
"""
        if sources
        else ""
    )
    return f"""entries:
  - id: {entry_id}
    kind: legal
    title: A topic made up for a test
    short_answer: A short answer about the made-up topic.
    body: A longer body about the made-up topic.
    questions:
      - {question}
      - second made up question about zebra crossings
      - third made up question about zebra crossings
      - fourth made up question about zebra crossings
      - fifth made up question about zebra crossings
    keywords: [zebra crossing]
    related: {related}
{source}    jurisdiction: [England]
    last_reviewed: 2020-01-01
    review_by: {review_by}
"""


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def find(findings: list[Finding], code: str, file: Path, line: int | None = None) -> Finding:
    matching = [f for f in findings if f.code == code and Path(f.file) == file and line in (None, f.line)]
    assert matching, f"no {code} finding at {file.name}:{line} in:\n" + "\n".join(map(str, findings))
    return matching[0]


# The shipped knowledge ------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return check_folder(KNOWLEDGE_DIR)


def test_shipped_knowledge_has_no_errors(shipped) -> None:
    kb, findings = shipped
    assert errors(findings) == []
    assert kb is not None
    assert len(kb.entries) >= 49


def test_every_contract_id_exists(shipped) -> None:
    kb, _ = shipped
    required = yaml.safe_load((KNOWLEDGE_DIR / "contract.yaml").read_text(encoding="utf-8"))["required_ids"]
    assert len(required) >= 49
    missing = [i for i in required if kb.get(i) is None]
    assert missing == []


def test_shipped_checklist_matches_the_contract(shipped) -> None:
    kb, _ = shipped
    steps = {s.id: [o.id for o in s.options] for s in kb.checklist.steps}
    assert list(steps) == ["scope", "outcomes", "process", "proportionality", "consultation", "measurement", "decision"]
    assert steps["scope"] == ["applies", "applying-by-policy", "does-not-apply", "urgency-exception"]
    assert steps["outcomes"] == ["outcomes-identified", "none-relevant"]
    assert steps["process"] == ["secure-through-process", "not-pursued"]
    assert steps["proportionality"] == ["proportionate", "scaled-back"]
    assert steps["consultation"] == ["consult", "no-consultation"]
    assert steps["measurement"] == ["measure", "no-measurement"]
    assert steps["decision"] == ["proceed", "proceed-without", "defer"]
    negative = {o.id for s in kb.checklist.steps for o in s.options if o.negative}
    assert negative == {
        "does-not-apply",
        "urgency-exception",
        "none-relevant",
        "not-pursued",
        "no-consultation",
        "no-measurement",
        "proceed-without",
    }
    assert [s.id for s in kb.checklist.steps if s.sign_off] == ["decision"]


def test_shipped_entries_have_sources_and_unique_ids(shipped) -> None:
    kb, _ = shipped
    ids = [e.id for e in kb.entries]
    assert len(ids) == len(set(ids))
    assert all(e.sources for e in kb.entries)
    legal_1 = KNOWLEDGE_DIR / "legal-1.yaml"
    assert kb.locations["legal.act-overview"] == (str(legal_1), line_of(legal_1, "- id: legal.act-overview"))


def test_load_knowledge_returns_the_snapshot() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    assert kb.get("case.oldham-banking") is not None
    assert kb.fingerprint == fingerprint_folder(KNOWLEDGE_DIR)


# Schema errors --------------------------------------------------------------


def test_missing_title_names_entry_file_and_line(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    set_line(path, "    title:", None, after="- id: legal.act-overview")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    line = line_of(path, "- id: legal.act-overview")
    finding = find(findings, "schema", path, line)
    assert "title" in finding.message
    assert "legal.act-overview" in finding.message
    assert str(finding).startswith(f"{path}:{line}: error:")


def test_bad_id_is_reported_on_its_line(kb_copy: Path) -> None:
    path = kb_copy / "legal-2.yaml"
    edit(path, "id: legal.living-wage", "id: Legal.Living_Wage")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", path, line_of(path, "id: Legal.Living_Wage"))
    assert "ids look like" in finding.message


def test_id_with_wrong_kind_prefix(kb_copy: Path) -> None:
    path = kb_copy / "legal-2.yaml"
    edit(path, "id: legal.living-wage", "id: case.living-wage")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", path, line_of(path, "id: case.living-wage"))
    assert "starting 'legal.'" in finding.message


def test_yes_where_text_is_wanted(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    line = set_line(path, "    title:", "    title: yes", after="- id: legal.act-overview")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", path, line)
    assert "valid string" in finding.message


def test_wrong_type_for_a_boolean(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    line = set_line(path, "      - {id: does-not-apply", '      - {id: does-not-apply, label: "No", negative: maybe}')
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "schema", path, line)
    assert "negative" in finding.message
    assert "boolean" in finding.message


def test_bad_date_in_source(kb_copy: Path) -> None:
    path = kb_copy / "legal-1.yaml"
    line = set_line(path, "        date:", '        date: "24/02/2025"', after="- id: legal.act-overview")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", path, line)
    assert "YYYY" in finding.message


def test_too_few_questions(kb_copy: Path) -> None:
    text = entry_yaml().replace("      - fifth made up question about zebra crossings\n", "")
    (kb_copy / "extra.yaml").write_text(text, encoding="utf-8")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", kb_copy / "extra.yaml")
    assert "questions" in finding.message


def test_unknown_field_in_entry(kb_copy: Path) -> None:
    text = entry_yaml().replace("    kind: legal\n", "    kind: legal\n    colour: blue\n")
    (kb_copy / "extra.yaml").write_text(text, encoding="utf-8")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", kb_copy / "extra.yaml", 4)
    assert "colour" in finding.message


def test_entries_file_needs_entries_list(kb_copy: Path) -> None:
    (kb_copy / "extra.yaml").write_text("title: not an entries file\n", encoding="utf-8")
    _, findings = check_folder(kb_copy)
    assert "entries" in find(findings, "schema", kb_copy / "extra.yaml", 1).message


def test_unknown_top_level_key(kb_copy: Path) -> None:
    (kb_copy / "extra.yaml").write_text(entry_yaml() + "notes: hello\n", encoding="utf-8")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", kb_copy / "extra.yaml", line_of(kb_copy / "extra.yaml", "notes:"))
    assert "notes" in finding.message


def test_yaml_syntax_error_is_a_finding(kb_copy: Path) -> None:
    path = kb_copy / "principles.yaml"
    broken = set_line(path, "    review_by:", "    review_by: [2027-11-22")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "yaml", path)
    # The parser notices the unclosed list at the next key, a line or two later.
    assert broken <= finding.line <= broken + 2


def test_bad_special_file_schema(kb_copy: Path) -> None:
    path = kb_copy / "matching.yaml"
    line = set_line(path, "answer_threshold:", "answer_threshold: 1.5")
    _, findings = check_folder(kb_copy)
    finding = find(findings, "schema", path, line)
    assert "answer_threshold" in finding.message


# Cross-checks ---------------------------------------------------------------


def test_duplicate_id_names_both_locations(kb_copy: Path) -> None:
    extra = kb_copy / "zz-extra.yaml"
    extra.write_text(entry_yaml("legal.act-overview"), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "duplicate-id", extra, 2)
    legal_1 = kb_copy / "legal-1.yaml"
    assert f"{legal_1}:{line_of(legal_1, '- id: legal.act-overview')}" in finding.message


def test_missing_contract_id(kb_copy: Path) -> None:
    path = kb_copy / "contract.yaml"
    edit(path, "  - legal.act-overview\n", "  - legal.act-overview\n  - legal.not-written-yet\n")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "missing-id", path, line_of(path, "legal.not-written-yet"))
    assert "legal.not-written-yet" in finding.message


def test_missing_value_question_entry(kb_copy: Path) -> None:
    path = kb_copy / "matching.yaml"
    edit(path, "value_question_entries: [legal.thresholds,", "value_question_entries: [legal.thresholdz,")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "missing-id", path, line_of(path, "value_question_entries:"))
    assert "legal.thresholdz" in finding.message


def test_broken_related_link(kb_copy: Path) -> None:
    extra = kb_copy / "extra.yaml"
    extra.write_text(entry_yaml(related="[legal.act-overview, case.birmingham-policies]"), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    [finding] = [f for f in findings if f.code == "broken-related"]
    assert (Path(finding.file), finding.line) == (extra, line_of(extra, "case.birmingham-policies"))
    assert "legal.test-topic" in finding.message
    assert "case.birmingham-policies" in finding.message


def test_broken_related_in_block_list_points_at_the_item(kb_copy: Path) -> None:
    extra = kb_copy / "extra.yaml"
    extra.write_text(entry_yaml(related="\n      - legal.act-overview\n      - legal.nowhere"), encoding="utf-8")
    _, findings = check_folder(kb_copy)
    find(findings, "broken-related", extra, line_of(extra, "- legal.nowhere"))


def test_self_related_is_a_warning(kb_copy: Path) -> None:
    (kb_copy / "extra.yaml").write_text(entry_yaml(related="[legal.test-topic]"), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is not None
    assert find(findings, "self-related", kb_copy / "extra.yaml").severity == "warning"


def test_entry_without_sources(kb_copy: Path) -> None:
    extra = kb_copy / "extra.yaml"
    extra.write_text(entry_yaml(sources=False), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "no-sources", extra, 2)
    assert finding.severity == "error"


def test_past_review_date_is_a_warning_not_an_error(kb_copy: Path) -> None:
    extra = kb_copy / "extra.yaml"
    extra.write_text(entry_yaml(review_by="2021-06-30"), encoding="utf-8")
    kb, findings = check_folder(kb_copy, today=dt.date(2026, 12, 1))
    assert kb is not None
    assert errors(findings) == []
    finding = find(findings, "review-due", extra, line_of(extra, "review_by"))
    assert finding.severity == "warning"
    assert "2021-06-30" in finding.message


def test_review_date_warning_depends_on_today() -> None:
    _, before = check_folder(KNOWLEDGE_DIR, today=dt.date(2026, 12, 1))
    _, after = check_folder(KNOWLEDGE_DIR, today=dt.date(2040, 1, 1))
    assert not [f for f in before if f.code == "review-due"]
    due = [f for f in after if f.code == "review-due"]
    assert len(due) >= 49
    assert all(f.severity == "warning" for f in due)


def test_duplicate_example_question_across_entries(kb_copy: Path) -> None:
    extra = kb_copy / "zz-extra.yaml"
    # Same question as legal.act-overview, differently cased and punctuated.
    extra.write_text(entry_yaml(question="What is the Social Value Act"), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "duplicate-question", extra, line_of(extra, "What is the Social Value Act"))
    assert "legal.act-overview" in finding.message
    assert str(kb_copy / "legal-1.yaml") in finding.message


def test_checklist_citing_unknown_id(kb_copy: Path) -> None:
    path = kb_copy / "checklist.yaml"
    line = set_line(path, "    cite:", "    cite: [legal.scope-services, legal.scope-servicez]", after="- id: scope")
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "broken-related", path, line)
    assert "legal.scope-servicez" in finding.message
    assert "step 'scope'" in finding.message


@pytest.mark.parametrize(
    "name", ["glossary.yaml", "matching.yaml", "checklist.yaml", "checker.yaml", "justification.yaml", "contract.yaml"]
)
def test_missing_special_file(kb_copy: Path, name: str) -> None:
    (kb_copy / name).unlink()
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "missing", kb_copy / name)
    assert name in finding.message


def _edit_justification(kb_copy: Path, change) -> Path:
    path = kb_copy / "justification.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_justification_for_an_unknown_option(kb_copy: Path) -> None:
    path = _edit_justification(
        kb_copy,
        lambda d: d["steps"]["outcomes"].update(
            {"maybe": json.loads(json.dumps(d["steps"]["outcomes"]["none-relevant"]))}
        ),
    )
    kb, findings = check_folder(kb_copy)
    assert kb is None
    finding = find(findings, "unknown-option", path, line_of(path, "maybe:"))
    assert "'outcomes/maybe' is not a step and option" in finding.message


def test_checklist_option_without_elements_is_a_warning(kb_copy: Path) -> None:
    path = _edit_justification(kb_copy, lambda d: d["steps"]["decision"].pop("defer"))
    kb, findings = check_folder(kb_copy)
    assert kb is not None
    assert "'decision/defer' has no elements" in find(findings, "no-elements", path).message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: (
                d["steps"]["scope"]["applies"]["needs"].append("vibes"),
                d["steps"]["scope"]["applies"]["ask"].update(vibes="?"),
            ),
            "needs unknown element(s): vibes",
        ),
        (lambda d: d["steps"]["scope"]["applies"]["ask"].pop("value"), "no question under 'ask' for: value"),
        (lambda d: d["elements"]["value"].update({"cues": ["below ~~ threshold"]}), "should match pattern"),
    ],
)
def test_justification_schema(kb_copy: Path, change, message: str) -> None:
    path = _edit_justification(kb_copy, change)
    kb, findings = check_folder(kb_copy)
    assert kb is None
    assert message in find(findings, "schema", path).message


def test_missing_folder() -> None:
    kb, findings = check_folder(Path("/nonexistent/knowledge"))
    assert kb is None
    assert findings[0].code == "missing"


def test_stray_yml_file_is_ignored_with_a_warning(kb_copy: Path) -> None:
    (kb_copy / "extra.yml").write_text(entry_yaml(sources=False), encoding="utf-8")
    kb, findings = check_folder(kb_copy)
    assert kb is not None
    assert find(findings, "ignored", kb_copy / "extra.yml").severity == "warning"


def test_load_knowledge_raises_with_every_error(kb_copy: Path) -> None:
    (kb_copy / "extra.yaml").write_text(entry_yaml(sources=False), encoding="utf-8")
    (kb_copy / "matching.yaml").unlink()
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy)
    codes = {f.code for f in caught.value.findings}
    assert {"no-sources", "missing"} <= codes
    assert "2 error(s)" in str(caught.value)


def test_fingerprint_changes_on_edit(kb_copy: Path) -> None:
    before = fingerprint_folder(kb_copy)
    with (kb_copy / "glossary.yaml").open("a", encoding="utf-8") as out:
        out.write("# edited\n")
    assert fingerprint_folder(kb_copy) != before


# svbot kb check ---------------------------------------------------------------


def test_kb_check_json_ok(run) -> None:
    result = run("kb", "check", "--json", "--folder", str(KNOWLEDGE_DIR))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"ok", "folder", "entries", "errors", "warnings"}
    assert data["ok"] is True
    assert data["folder"] == str(KNOWLEDGE_DIR)
    assert data["entries"] >= 49
    assert data["errors"] == []


def test_kb_check_json_errors_exit_1(run, kb_copy: Path) -> None:
    extra = kb_copy / "extra.yaml"
    extra.write_text(entry_yaml(sources=False), encoding="utf-8")
    result = run("kb", "check", "--json", "--folder", str(kb_copy))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["entries"] is None
    assert data["errors"] == [
        {
            "severity": "error",
            "code": "no-sources",
            "file": str(extra),
            "line": 2,
            "message": "legal.test-topic: entry has no sources",
        }
    ]


def test_kb_check_text_names_file_and_line(run, kb_copy: Path) -> None:
    path = kb_copy / "contract.yaml"
    edit(path, "  - legal.act-overview\n", "  - legal.act-overview\n  - legal.not-written-yet\n")
    result = run("kb", "check", "--folder", str(kb_copy))
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, 'legal.not-written-yet')}: error:" in result.stderr
    assert f"Checked {kb_copy}: 1 error(s)" in result.stderr


def test_kb_check_output_starts_by_naming_the_folder(run, kb_copy: Path) -> None:
    glossary = kb_copy / "glossary.yaml"
    edit(glossary, "variants: [social return on investment]", "variants: [social return on investment, third sector]")
    warned = run("kb", "check", "--folder", str(kb_copy))
    assert warned.exit_code == 0
    assert warned.stdout.startswith(f"Checked {kb_copy}. OK: ") and "warning: " in warned.stdout
    edit(kb_copy / "contract.yaml", "  - legal.act-overview\n", "  - legal.act-overview\n  - legal.not-written-yet\n")
    failed = run("kb", "check", "--folder", str(kb_copy))
    assert failed.exit_code == 1
    assert failed.stderr.startswith(f"Checked {kb_copy}: 1 error(s), 1 warning(s).\n") and "error: " in failed.stderr
    assert "warning: " in failed.stdout


def test_kb_check_text_ok(run) -> None:
    result = run("kb", "check", "--folder", str(KNOWLEDGE_DIR))
    assert result.exit_code == 0
    assert f"Checked {KNOWLEDGE_DIR}. OK: " in result.stdout


def test_kb_check_uses_svbot_knowledge(run, kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (kb_copy / "checker.yaml").unlink()
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    result = run("kb", "check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["folder"] == str(kb_copy)


def test_kb_check_deep_nesting_names_the_file(run, kb_copy: Path) -> None:
    deep = kb_copy / "deep.yaml"
    deep.write_text("entries:\n  - " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    text = run("kb", "check", "--folder", str(kb_copy))
    assert text.exit_code == 1
    assert f"{deep}:2: error: nested too deeply" in text.stderr
    result = run("kb", "check", "--json", "--folder", str(kb_copy))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(e["file"], e["line"], e["code"]) for e in data["errors"]] == [(str(deep), 2, "yaml")]
