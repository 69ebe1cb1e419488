"""`svbot report` end to end: disputes and how they ended, per checker rule, and dismissals from the YAML.

Everything is done through the command line, as an admin would: answers refused, disputed,
accepted by the decision maker, revised, or left waiting; then the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples import GOOD

DISMISSAL = ("none-relevant", "Not relevant.")


def _ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def _new(run, title: str) -> str:
    return json.loads(
        _ok(run("checklist", "new", "--title", title, "--decision-maker", "dora", "--by", "alice", "--json"))
    )["id"]


def _answer(run, checklist_id: str, step: str, decision: str, reasons: str) -> dict:
    args = ("checklist", "answer", checklist_id, step, "--decision", decision, "--reasons", reasons, "--by", "alice")
    return json.loads(_ok(run(*args, "--json")))


def _dispute(run, checklist_id: str, step: str) -> None:
    _ok(
        run(
            "checklist",
            "dispute",
            checklist_id,
            step,
            "--note",
            "One office, no staff: nothing to add",
            "--by",
            "alice",
        )
    )


@pytest.fixture
def disputes(run) -> dict[str, str]:
    """Three disputes of the same refusal: one upheld, one ended by a revision, one waiting."""
    ids = {name: _new(run, f"Office cleaning {name}") for name in ("upheld", "revised", "pending")}
    for checklist_id in ids.values():
        assert _answer(run, checklist_id, "outcomes", *DISMISSAL)["accepted"] is False
        _dispute(run, checklist_id, "outcomes")
    _ok(
        run(
            "checklist",
            "resolve",
            ids["upheld"],
            "outcomes",
            "--note",
            "Agreed: one office, no staff on site",
            "--by",
            "dora",
        )
    )
    assert _answer(run, ids["revised"], "outcomes", *GOOD["outcomes"])["accepted"] is True
    return ids


def test_report_json_counts_disputes_by_how_they_ended_and_by_rule(run, disputes) -> None:
    report = json.loads(_ok(run("report", "--json")))
    assert {k: report["disputes"][k] for k in ("total", "upheld", "superseded", "pending")} == {
        "total": 3,
        "upheld": 1,
        "superseded": 1,
        "pending": 1,
    }
    by_rule = report["disputes"]["by_rule"]
    assert by_rule, "each dispute is counted under the rules that refused it"
    for row in by_rule:
        assert row["rule"] and row["disputed"] == row["upheld"] + row["superseded"] + row["pending"]
        assert row["self_upheld"] == 0
    assert all(row["disputed"] == 3 for row in by_rule), "the same refusal, three times"
    assert report["answers"]["disputed"] == 3


def test_report_text_shows_disputes_per_rule(run, disputes) -> None:
    text = _ok(run("report"))
    assert (
        "Disputes: 3 (1 accepted by the decision maker over the checker's objection, "
        "1 ended by a revision the checker accepted, 1 waiting for the decision maker)."
    ) in text
    report = json.loads(_ok(run("report", "--json")))
    for row in report["disputes"]["by_rule"]:
        assert f"{row['rule']:<24} 3 disputed: 1 upheld, 1 revised, 1 pending" in text


def test_a_self_upheld_dispute_is_counted_and_listed_apart(run, disputes) -> None:
    """The decision maker upholding the dispute they raised themselves: no second person weighed it."""
    own = _new(run, "Office cleaning self")
    assert _answer(run, own, "outcomes", *DISMISSAL)["accepted"] is False
    note = "One office, no staff: nothing to add"
    _ok(run("checklist", "dispute", own, "outcomes", "--note", note, "--by", "dora"))
    _ok(run("checklist", "resolve", own, "outcomes", "--note", "Agreed: one office, no staff on site", "--by", "dora"))
    report = json.loads(_ok(run("report", "--json")))["disputes"]
    assert (report["total"], report["upheld"], report["self_upheld"]) == (4, 2, 1)
    [listed] = report["self_upheld_disputes"]
    assert (listed["checklist"], listed["step"], listed["by"]) == (own, "outcomes", "dora")
    assert listed["rules"] and not any(r.startswith("recorded:") for r in listed["rules"])
    for row in report["by_rule"]:
        assert (row["disputed"], row["upheld"], row["self_upheld"]) == (4, 1, 1), row
    text = _ok(run("report"))
    assert "1 of them self-upheld" in text
    assert "3 waiting" not in text and f'{own} "Office cleaning self", outcomes (none-relevant) by dora' in text
    for row in report["by_rule"]:
        assert f"{row['rule']:<24} 4 disputed: 1 upheld, 1 self-upheld, 1 revised, 1 pending" in text
    record = _ok(run("checklist", "export", own))
    assert "(self-upheld: who had also disputed it)" in record


def test_rules_that_refused_nothing_are_not_in_the_per_rule_table(run) -> None:
    """A sign-off's `recorded:decision-maker` says the record supplied who decides: it refused nothing."""
    checklist_id = _new(run, "Office cleaning sign-off")
    for step, (decision, reasons) in GOOD.items():
        if step != "decision":
            assert _answer(run, checklist_id, step, decision, reasons)["accepted"] is True
    args = ("checklist", "answer", checklist_id, "decision", "--decision", "proceed", "--reasons", "Proceed.")
    refused = json.loads(_ok(run(*args, "--by", "dora", "--json")))
    assert refused["accepted"] is False
    _ok(
        run("checklist", "dispute", checklist_id, "decision", "--note", "Everything above is recorded.", "--by", "dora")
    )
    rows = json.loads(_ok(run("report", "--json")))["disputes"]["by_rule"]
    assert rows and not any((row["rule"] or "").startswith(("recorded:", "moot:", "named:")) for row in rows), rows


def test_a_withdrawn_checklists_dispute_leaves_the_report(run, disputes) -> None:
    _ok(run("checklist", "withdraw", disputes["pending"], "--reason", "Started twice", "--by", "alice"))
    report = json.loads(_ok(run("report", "--json")))
    assert (report["disputes"]["total"], report["disputes"]["pending"]) == (2, 0)


def test_dismissals_follow_the_options_the_yaml_marks_negative(run, kb_copy: Path, monkeypatch) -> None:
    """Mark `scaled-back` negative and unmark `none-relevant`: the report follows the YAML, not the code."""
    path = kb_copy / "checklist.yaml"
    text = path.read_text()
    dismissal = '{id: none-relevant, label: "No relevant outcomes", negative: true}'
    assert dismissal in text
    text = text.replace(dismissal, dismissal.replace(", negative: true", ""))
    text = text.replace("{id: scaled-back, ", "{id: scaled-back, negative: true, ", 1)
    path.write_text(text)
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    checklist_id = _new(run, "Parks")
    assert _answer(run, checklist_id, "proportionality", *GOOD["proportionality"])["accepted"]
    assert _answer(run, checklist_id, "outcomes", *GOOD["outcomes"])["accepted"]
    dismissals = json.loads(_ok(run("report", "--json")))["dismissals"]
    assert "outcomes" not in dismissals
    assert dismissals["proportionality"] == {"options": ["scaled-back"], "count": 0, "answered": 1, "share": 0.0}
    assert f"{'proportionality':<16} 0 of 1 (0.0%): scaled-back" in _ok(run("report"))
