"""/socialvalue report shows disputes and how they ended; admins also see them per checker rule."""

from __future__ import annotations

from harness import ADMIN, all_text

from bot.checklist.details import ChecklistDetails


def test_report_shows_disputes_and_admins_see_them_per_rule(slack):
    service = slack.core.checklists
    checklist_id = service.new(ChecklistDetails("Office cleaning", decision_maker="UDORA"), "UALICE")
    refused = service.answer(checklist_id, "outcomes", "none-relevant", "Not relevant.", "UALICE")
    assert not refused.accepted and refused.answer.rules
    service.dispute(checklist_id, refused.answer.id, "One office, no staff: nothing to add", "UALICE")
    slack.command("report", name="rep_user")
    slack.command("report", user=ADMIN, name="rep_admin")
    slack.settle()
    user_view = all_text(slack.fake.calls_to("response_url:rep_user")[0].args["blocks"])
    admin_view = all_text(slack.fake.calls_to("response_url:rep_admin")[0].args["blocks"])
    summary = "*Disputes*: 1 (0 accepted by the decision maker over the checker's objection, 0 ended by a revision"
    assert summary in user_view and summary in admin_view
    for rule in refused.answer.rules:
        line = f"• `{rule}`: 1 disputed: 0 upheld, 0 revised, 1 pending"
        assert line in admin_view and line not in user_view
