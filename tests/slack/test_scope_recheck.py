"""The reasons form records the scope finder's answer the person saw, never one the knowledge changed since.

"Check scope" turns the finder's answer into the scope step's reasons form. If an admin
reloads the knowledge while that form is open and the answer changes, submitting it must
not record an answer nobody saw: the form shows the new answer, says so, and records
nothing until the person submits again.
"""

from __future__ import annotations

from harness import all_text, block, buttons, start_checklist, step_message
from test_scope_modal import SENTENCE, form

OLD_FIGURE = "      - value: 207720\n        effective_from: 2026-01-01\n"
NEW_FIGURE = "      - value: 216500\n        effective_from: 2026-01-01\n"


def _reasons_form(slack) -> tuple[str, dict]:
    """A checklist, "Check scope" on its scope step, the finder's form submitted: the reasons form."""
    checklist_id = start_checklist(
        slack, "Library cleaning 2027", value="£216,000 including VAT", buying="cleaning services",
        nation="england", body="sub-central",
    )  # fmt: skip
    slack.core.checklists.set_start(checklist_id, "2026-03-03", None, "UALICE")
    check = next(
        e for _, e in buttons(step_message(slack, "scope").args["blocks"]) if e["action_id"] == "cl_scope_check"
    )
    slack.fake.reset()
    slack.click(check, message={"ts": "1.1"})
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    _, reply = slack.submit_state(opened.args["view"], form())
    assert reply["response_action"] == "update"
    return checklist_id, reply["view"]


def _raise_threshold(slack, folder) -> None:
    """An admin edits the sub-central threshold in facts.yaml and reloads."""
    facts = folder / "facts.yaml"
    text = facts.read_text()
    assert OLD_FIGURE in text
    facts.write_text(text.replace(OLD_FIGURE, NEW_FIGURE, 1))
    assert slack.core.knowledge.reload().changed


def test_an_answer_changed_by_a_reload_is_shown_not_recorded(editable):
    slack, folder = editable
    checklist_id, reasons_view = _reasons_form(slack)
    assert block(reasons_view, "reasons")["element"]["initial_value"] == SENTENCE
    _raise_threshold(slack, folder)

    status, reply = slack.submit_view(reasons_view, "applies", SENTENCE + " Cleaning of 12 libraries.")
    assert status == 200 and reply["response_action"] == "update"
    assert slack.core.store.answers(checklist_id) == [], "nothing recorded from the stale form"
    again = reply["view"]
    shown = all_text(again["blocks"])
    assert "The scope finder's answer has changed" in shown
    assert "£216,500" in shown and "£207,720" not in shown
    reasons = block(again, "reasons")["element"]["initial_value"]
    assert SENTENCE not in reasons and reasons.endswith(" Cleaning of 12 libraries.")
    assert "£216,500" in reasons, "the quoted sentence is swapped for the new one"
    assert block(again, "decision")["element"]["initial_option"]["value"] == "does-not-apply"

    status, reply = slack.submit_view(again, "does-not-apply", reasons)
    assert (status, reply) == (200, {}), reply
    slack.settle()
    current = slack.core.store.current_answers(checklist_id)["scope"]
    assert current.scope["act_applies"] is False
    assert current.scope["why"] in reasons and current.scope["threshold"]["amount"] == 216500


def test_an_answer_the_reload_left_alone_is_recorded(editable):
    slack, folder = editable
    checklist_id, reasons_view = _reasons_form(slack)
    cases = folder / "cases.yaml"
    cases.write_text(cases.read_text() + "\n")
    (folder / "glossary.yaml").write_text((folder / "glossary.yaml").read_text() + "# reviewed\n")
    assert slack.core.knowledge.reload().changed, "the knowledge changed, but not the finder's answer"
    assert slack.submit_view(reasons_view, "applies", SENTENCE) == (200, {})
    slack.settle()
    current = slack.core.store.current_answers(checklist_id)["scope"]
    assert current.scope["why"] == SENTENCE and current.scope["act_applies"] is True


def test_a_check_the_finder_can_no_longer_answer_is_refused_in_the_form(editable):
    slack, folder = editable
    checklist_id, reasons_view = _reasons_form(slack)
    (folder / "scope.yaml").unlink()
    assert slack.core.knowledge.reload().changed
    assert slack.core.snapshot().kb.scope is None
    _, reply = slack.submit_view(reasons_view, "applies", SENTENCE)
    assert reply["response_action"] == "errors" and "can no longer answer" in reply["errors"]["reasons"]
    assert slack.core.store.answers(checklist_id) == []
