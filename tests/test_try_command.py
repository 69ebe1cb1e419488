"""``svbot checklist try``: the verdict, elements and rules fired, recording nothing."""

from __future__ import annotations

import json

from kbtools import set_line


def test_try_refusal_in_plain_text(run, env) -> None:
    result = run(
        "checklist", "try", "process", "--decision", "not-pursued", "--reasons", "the framework fixes the criteria"
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Refused: process / not-pursued (a negative option)")
    assert "[x] constraint: the constraint that rules it out" in out
    assert "[ ] instead: what you will do or record instead" in out
    assert "Rules fired: needs:instead" in out
    assert "You give the constraint that rules it out: what will you do or record instead" in out
    assert not env.db.exists(), "try records nothing"


def test_try_says_which_elements_another_made_moot_or_named(run) -> None:
    reasons = "the court order names the expert, so there is nothing in the process we control"
    result = run("checklist", "try", "process", "--decision", "not-pursued", "--reasons", reasons)
    assert result.stdout.startswith("Accepted: process / not-pursued"), result.output
    assert "[x] instead: what you will do or record instead (moot: the constraint given leaves nothing to do)" in (
        result.stdout
    )
    assert "Rules fired: moot:instead" in result.stdout
    reasons = "a scored question on keeping the village library van running"
    result = run("checklist", "try", "process", "--decision", "secure-through-process", "--reasons", reasons)
    assert "(named beside another element's words)" in result.stdout and "named:outcome" in result.stdout


def test_try_acceptance_in_plain_text(run) -> None:
    result = run("checklist", "try", "scope", "--decision", "applies", "--reasons", "Services contract above threshold")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Accepted: scope / applies\n")
    assert "[x] services:" in result.stdout and "[x] value:" in result.stdout
    assert "A team would be told" not in result.stdout


def test_try_json(run) -> None:
    result = run(
        "checklist", "try", "scope", "--decision", "does-not-apply", "--reasons", "n/a - Rochdale, £1m, 2027", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "accepted",
        "problems",
        "explanation",
        "needs",
        "elements",
        "missing",
        "question",
        "rules",
        "substance",
        "from_record",
        "model",
    }
    assert data["accepted"] is False
    assert data["problems"] == ["dismissal"]
    assert data["needs"] == ["outside-act"] and data["elements"] == [] and data["missing"] == ["outside-act"]
    assert data["rules"][0] == "dismissal" and data["rules"][-1] == "needs:outside-act"
    assert data["explanation"][0].startswith("This is a dismissal")
    assert data["explanation"][0].endswith(data["question"])


def test_try_unknown_step_or_option_is_a_usage_error(run) -> None:
    result = run("checklist", "try", "scoop", "--decision", "applies", "--reasons", "x")
    assert result.exit_code == 2
    assert "there is no step 'scoop'; the steps are: scope, outcomes" in result.output
    result = run("checklist", "try", "scope", "--decision", "maybe", "--reasons", "x")
    assert result.exit_code == 2
    assert "'maybe' is not an option for 'scope'" in result.output
    assert "Traceback" not in result.output


def test_try_names_a_contradiction_and_the_rules_that_fired(run) -> None:
    reasons = "Does not apply - the service is delivered in Wales."
    result = run("checklist", "try", "scope", "--decision", "does-not-apply", "--reasons", reasons, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["accepted"] is False and data["problems"] == ["contradiction"]
    assert data["rules"][0] == "contradiction" and data["rules"][-1] == "needs:outside-act"
    assert "s.1 turns on the authority and what it buys, not the place" in data["explanation"][0]
    assert data["question"].startswith("Which fact about your authority")


def test_try_with_a_checklist_s_record(run) -> None:
    started = run("checklist", "new", "--title", "Library cleaning", "--decision-maker", "dora", "--json")
    checklist_id = json.loads(started.stdout)["id"]
    interim = "interim 6-month contract while the service is redesigned; nothing to add in that time"
    args = ("checklist", "try", "decision", "--decision", "proceed-without", "--reasons", interim, "--json")
    alone = json.loads(run(*args).stdout)
    assert not alone["accepted"] and alone["missing"] == ["decision-maker"] and alone["from_record"] == []
    as_dora = json.loads(run(*args, "--checklist", checklist_id, "--by", "dora").stdout)
    assert as_dora["accepted"] and as_dora["from_record"] == ["decision-maker"]
    assert "recorded:decision-maker" in as_dora["rules"]
    text = run(*args[:-1], "--checklist", checklist_id, "--by", "dora").stdout
    assert "[x] decision-maker: who took the decision (a named role) (shown by the checklist's record)" in text


def test_try_with_a_revisit_date(run) -> None:
    args = ("checklist", "try", "decision", "--decision", "defer", "--reasons", "Waiting for the estates review")
    assert run(*args).stdout.startswith("Refused")
    assert run(*args, "--revisit", "2099-02-01").stdout.startswith("Accepted")
    bad = run(*args, "--revisit", "2027-02-31")
    assert bad.exit_code == 2 and "2027-02-31 does not exist: February 2027 has 28 days" in bad.output
    unknown = run(*args, "--checklist", "nope")
    assert unknown.exit_code == 1 and "no checklist 'nope'" in unknown.output


def test_try_shows_the_model_s_score_and_whether_it_may_overrule(run) -> None:
    reasons = "8 apprenticeships for Wigan care leavers over the 3-year contract."
    result = run("checklist", "try", "outcomes", "--decision", "outcomes-identified", "--reasons", reasons)
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("Model (checker_model.yaml): P(tick-box) ")]
    assert "the rules' verdict stands (" in line
    assert "  weighed most: " in result.stdout
    data = json.loads(
        run("checklist", "try", "outcomes", "--decision", "outcomes-identified", "--reasons", reasons, "--json").stdout
    )
    assert 0 <= data["model"]["p_tick_box"] <= 1
    assert data["model"]["top"] and {"feature", "weight"} == set(data["model"]["top"][0])
    assert {"veto", "rescue", "stack_veto", "stack_rescue"} <= set(data["model"])
    # Shown too where the model had no say: a tick-box rule refused the reasons.
    refused = run("checklist", "try", "outcomes", "--decision", "none-relevant", "--reasons", "Not relevant.")
    assert "Model (checker_model.yaml): P(tick-box) " in refused.stdout
    assert "; the rules' verdict stands (" in refused.stdout


def test_try_shows_a_veto_and_its_plain_words(run, kb_copy, monkeypatch) -> None:
    model = kb_copy / "checker_model.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text[: text.index("weights: |")] + "weights: |\n  +20.0 w:leavers\n", encoding="utf-8")
    set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0.9")
    set_line(kb_copy / "checker.yaml", "model_rescue:", "model_rescue: 0")
    set_line(kb_copy / "checker.yaml", "model_stack_veto:", "model_stack_veto: 0")
    set_line(kb_copy / "checker.yaml", "model_stack_rescue:", "model_stack_rescue: 0")
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    reasons = "8 apprenticeships for Wigan care leavers over the 3-year contract."
    result = run("checklist", "try", "outcomes", "--decision", "outcomes-identified", "--reasons", reasons)
    assert result.stdout.startswith("Refused: outcomes / outcomes-identified")
    assert "model:veto" in result.stdout
    assert "; it refused these (veto at P(tick-box) 0.9, rescue off)" in result.stdout
    assert "weighed most: w:leavers +20.00" in result.stdout
    assert "nothing in them ties the decision to a fact of this one that a reader could check" in result.stdout


def test_try_shows_the_stack_s_call_and_its_pulls(run, kb_copy, monkeypatch) -> None:
    model = kb_copy / "checker_model.yaml"
    text = model.read_text(encoding="utf-8")
    stack = "stack:\n  model: a test stack\n  trained_on: [a set]\n  reasons: 3\n  intercept: 0\n  weights: |\n"
    stack += "    +1 words:if-accepted\n    +1 words:if-refused\n"
    model.write_text(text[: text.index("weights: |")] + "weights: |\n  +20.0 w:leavers\n" + stack, encoding="utf-8")
    set_line(kb_copy / "checker.yaml", "model_veto:", "model_veto: 0")
    set_line(kb_copy / "checker.yaml", "model_rescue:", "model_rescue: 0")
    set_line(kb_copy / "checker.yaml", "model_stack_veto:", "model_stack_veto: 0.5")
    set_line(kb_copy / "checker.yaml", "model_stack_rescue:", "model_stack_rescue: 0.5")
    monkeypatch.setenv("SVBOT_KNOWLEDGE", str(kb_copy))
    args = ("checklist", "try", "outcomes", "--decision", "outcomes-identified", "--reasons")
    result = run(*args, "8 apprenticeships for Wigan care leavers over the 3-year contract.")
    assert result.stdout.startswith("Refused: outcomes / outcomes-identified"), result.output
    assert (
        ", stacked with the rules' verdict 1.00; it refused these (the stack: veto at P(tick-box) 0.5, rescue at"
        in (result.stdout)
    )
    assert "  the stack weighed most: words:if-accepted +" in result.stdout
    data = json.loads(run(*args, "8 apprenticeships for Wigan care leavers over the 3-year contract.", "--json").stdout)
    assert data["model"]["stacked"]["p_tick_box"] == 1.0 and data["model"]["stack_veto"] == 0.5
    assert data["model"]["stacked"]["top"][0]["feature"] == "words:if-accepted"
