"""A checklist completed through Slack: thread, buttons, modal, refusals, sign-off, export."""

from __future__ import annotations

from harness import GOOD, all_text, block, buttons, docx_text, form_values, open_new_checklist_form
from harness import jump as _jump
from harness import open_modal as _open_modal
from harness import start_checklist as _start


def test_start_posts_a_parent_and_the_first_step_in_a_thread(slack):
    checklist_id = _start(slack)
    posts = slack.fake.calls_to("chat.postMessage")
    parent, first = posts[0], posts[1]
    assert parent.args["channel"] == "C111" and "thread_ts" not in parent.args
    assert "Rochdale home care framework 2027" in all_text(parent.args["blocks"])
    assert first.args["thread_ts"] == slack.core.store.get_checklist(checklist_id)["thread_ts"]
    labels = [b["text"]["text"] for _, b in buttons(first.args["blocks"])]
    # Each option, then the scope finder ("Check scope", see test_scope_modal.py).
    assert labels == [o.label for o in slack.core.checklists.step("scope").options] + ["Check scope"]


def test_refused_reasons_come_back_inside_the_modal_and_are_kept(slack):
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "does-not-apply")
    assert block(view, "decision")["element"]["initial_option"]["value"] == "does-not-apply"
    status, reply = slack.submit_view(view, "does-not-apply", "Not relevant.")
    assert status == 200
    assert reply["response_action"] == "errors"
    assert "pasted into any procurement" in reply["errors"]["reasons"]
    assert reply["errors"]["reasons"].endswith("recorded as disputed for the decision maker.")
    history = slack.core.store.answers(checklist_id)
    assert [(a.step, a.accepted) for a in history] == [("scope", False)]
    slack.settle()
    assert slack.fake.calls_to("chat.update") == []


def test_accepted_answer_updates_the_step_and_parent_and_posts_the_next_step(slack):
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "applies")
    status, reply = slack.submit_view(view, *GOOD["scope"])
    assert status == 200 and reply == {}
    slack.settle()
    updates = slack.fake.calls_to("chat.update")
    step_update = next(c for c in updates if "14.2m" in all_text(c.args["blocks"]))
    assert "revise" in {b["action_id"].split("_")[1] for _, b in buttons(step_update.args["blocks"])}
    assert any("1 of 7 steps answered" in all_text(c.args["blocks"]) for c in updates)
    (next_step,) = slack.fake.calls_to("chat.postMessage")
    assert "What could this contract improve?" in all_text(next_step.args["blocks"])
    assert slack.core.store.current_answers(checklist_id)["scope"].author == "UALICE"


def test_revise_opens_the_modal_prefilled_and_keeps_history(slack):
    checklist_id = _start(slack)
    slack.submit_view(_open_modal(slack, "scope", "applies"), *GOOD["scope"])
    slack.settle()
    view = _open_modal(slack, "scope")
    reasons_input = block(view, "reasons")["element"]
    assert reasons_input["initial_value"] == GOOD["scope"][1]
    assert block(view, "decision")["element"]["initial_option"]["value"] == "applies"
    revised = "Rochdale home care framework, now £16m over 5 years after the budget review; still services."
    assert slack.submit_view(view, "applies", revised)[1] == {}
    history = slack.core.store.answers(checklist_id)
    assert [a.reasons for a in history] == [GOOD["scope"][1], revised]
    assert history[1].supersedes == history[0].id


def _answer_all_but_the_decision(slack, checklist_id: str) -> None:
    """Sign-off needs every other step answered first."""
    for step in [s.id for s in slack.core.checklists.steps if not s.sign_off]:
        assert slack.core.checklists.answer(checklist_id, step, *GOOD[step], "UALICE").accepted


def test_only_the_starter_or_named_decision_maker_can_sign_off(slack):
    checklist_id = _start(slack)
    _answer_all_but_the_decision(slack, checklist_id)
    _jump(slack, checklist_id, "decision")
    view = _open_modal(slack, "decision", "proceed")
    _, reply = slack.submit_view(view, *GOOD["decision"], user="UBOB")
    assert reply["response_action"] == "errors"
    assert "(User UALICE)" in reply["errors"]["reasons"], "the name Slack gives, in plain text"
    assert [a.step for a in slack.core.store.answers(checklist_id)] == [
        "scope",
        "outcomes",
        "process",
        "proportionality",
        "consultation",
        "measurement",
    ]
    slack.core.checklists.name_decision_maker(checklist_id, "UBOB", "UALICE")
    assert slack.submit_view(view, *GOOD["decision"], user="UBOB")[1] == {}


def test_jump_posts_a_step_once_and_then_links_to_it(slack):
    checklist_id = _start(slack)
    _jump(slack, checklist_id, "measurement")
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if "How will you know" in all_text(c.args["blocks"])]
    assert len(posted) == 1
    slack.fake.reset()
    _jump(slack, checklist_id, "measurement")
    assert slack.fake.calls_to("chat.postMessage") == []
    assert "already in the thread" in slack.fake.calls_to("response_url:a1")[0].args["text"]


def test_full_checklist_through_slack_ends_with_the_record(slack):
    checklist_id = _start(slack)
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "scope":
            _jump(slack, checklist_id, step_id)
        view = _open_modal(slack, step_id, decision)
        status, reply = slack.submit_view(view, decision, reasons)
        assert (status, reply) == (200, {}), (step_id, reply)
        slack.settle()
    record = slack.core.checklists.record(checklist_id)
    assert record["status"] == "complete"
    uploads = slack.fake.calls_to("file_upload")
    assert len(uploads) == 1
    content = docx_text(uploads[0].args["data"])
    assert "Social value decision record: Rochdale home care framework 2027" in content
    for step_id, (_decision, reasons) in GOOD.items():
        assert reasons in content, step_id
    complete = slack.fake.calls_to("files.completeUploadExternal")[0].args
    assert complete["thread_ts"] == record["location"]["thread_ts"]
    summaries = [c for c in slack.fake.calls_to("chat.postMessage") if "Signed off:" in c.args["text"]]
    assert [c.args["thread_ts"] for c in summaries] == [record["location"]["thread_ts"]]


def test_checklist_not_started_when_slack_refuses_the_post(slack):
    view = open_new_checklist_form(slack, "Parking enforcement 2027")
    slack.fake.fail_next("chat.postMessage", error="not_in_channel")
    assert slack.submit_state(view, form_values("Parking enforcement 2027", "C111")) == (200, {})
    slack.settle()
    assert slack.core.store.list_checklists() == []
    assert "nothing was saved" in slack.fake.calls_to("chat.postMessage")[-1].args["text"]


def test_answer_is_saved_once_even_if_slack_updates_fail(slack):
    checklist_id = _start(slack)
    view = _open_modal(slack, "scope", "applies")
    slack.fake.fail_next("chat.update", error="internal_error", times=5)
    slack.fake.fail_next("chat.postMessage", error="internal_error", times=5)
    assert slack.submit_view(view, *GOOD["scope"])[1] == {}
    slack.settle()
    assert [a.accepted for a in slack.core.store.answers(checklist_id)] == [True]


def test_starter_names_the_decision_maker_in_slack(slack):
    checklist_id = _start(slack)
    select = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UBOB"}
    slack.action(select, user="UMALLORY", block_id=f"cl_parent:{checklist_id}", name="deny")
    slack.settle()
    assert slack.core.store.get_checklist(checklist_id)["decision_maker"] is None
    assert (
        "Only the person who started this checklist (<@UALICE>)"
        in slack.fake.calls_to("response_url:deny")[0].args["text"]
    )
    slack.action(select, user="UALICE", block_id=f"cl_parent:{checklist_id}", name="ok")
    slack.settle()
    assert slack.core.store.get_checklist(checklist_id)["decision_maker"] == "UBOB"
    parent = slack.fake.calls_to("chat.update")[-1].args
    assert "<@UBOB>" in all_text(parent["blocks"])
    (dm,) = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
    assert "named you the decision maker" in dm.args["text"]
    _answer_all_but_the_decision(slack, checklist_id)
    _jump(slack, checklist_id, "decision")
    view = _open_modal(slack, "decision", "proceed")
    assert slack.submit_view(view, *GOOD["decision"], user="UBOB")[1] == {}


def test_a_contradiction_comes_back_inside_the_modal_without_unrelated_pointers(slack):
    checklist_id = _start(slack)
    journal = "one-off payment for journal access; it's a digital licence and nothing is delivered in the area"
    assert slack.core.checklists.answer(checklist_id, "outcomes", "none-relevant", journal, "UALICE").accepted
    _jump(slack, checklist_id, "process")
    status, reply = slack.submit_view(_open_modal(slack, "process", GOOD["process"][0]), *GOOD["process"])
    assert status == 200 and reply["response_action"] == "errors"
    message = reply["errors"]["reasons"]
    assert 'This contradicts the answer that stands for "What could this contract improve?"' in message
    assert "See what others found" not in message
