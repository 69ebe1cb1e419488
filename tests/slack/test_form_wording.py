"""What the forms say beside a field they cannot take comes from prompts/slack/form_errors.txt.j2."""

from __future__ import annotations

from harness import form_values, open_new_checklist_form
from harness import open_modal as _open_modal
from harness import start_checklist as _start
from test_scope_modal import form, open_scope_form

from bot.slack.listeners.views import FORM_ERRORS


def test_the_scope_form_says_what_the_template_says(slack):
    said = slack.core.renderer.strings(FORM_ERRORS)
    view = open_scope_form(slack)
    cases = [
        (form(type_=None), "type", said.no_type),
        (form(share="70"), "share", said.share_not_mixed),
        (form(type_="mixed", share="170"), "share", said.share_out_of_range),
        (form(type_="mixed", share="seventy"), "share", said.share_not_a_number),
        (form(start=None), "start", said.no_start),
    ]
    for values, field, text in cases:
        _, reply = slack.submit_state(view, values)
        assert reply == {"response_action": "errors", "errors": {field: text}}


def test_the_checklist_forms_say_what_the_template_says(slack):
    said = slack.core.renderer.strings(FORM_ERRORS)
    view = open_new_checklist_form(slack, "")
    _, reply = slack.submit_state(view, form_values("", "C111"))
    assert reply == {"response_action": "errors", "errors": {"title": said.no_title}}
    _, reply = slack.submit_state(view, form_values("Parks", None))
    assert reply == {"response_action": "errors", "errors": {"channel": said.no_channel}}
    _start(slack)
    reasons = _open_modal(slack, "scope", "applies")
    _, reply = slack.submit_view(reasons, None, "Services above the threshold.")
    assert reply == {"response_action": "errors", "errors": {"decision": said.no_decision}}
    _, reply = slack.submit_view({**reasons, "private_metadata": "{not json"}, "applies", "x")
    assert reply == {"response_action": "errors", "errors": {"reasons": said.out_of_date}}
