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
    _ok(run("checklist", "resolve", ids["upheld"], "outcomes", "--note", "Agreed: one office", "--by", "dora"))
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
