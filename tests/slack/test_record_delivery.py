"""A completed checklist's thread gets the record's summary, a canvas where allowed, and the Word file."""

from __future__ import annotations

import logging
import threading

import pytest
from harness import GOOD, all_text, docx_text
from harness import jump as _jump
from harness import open_modal as _open_modal
from harness import start_checklist as _start

from bot.checklist.states import AnswerStatus
from bot.slack.listeners.views import reasons_modal

TITLE = "Rochdale home care framework 2027"
RECORD_FILE = "social-value-record-{}.docx"


def _ready(slack, channel="C111", decider="UBOB", **fields):
    slack.fake.add_user("UALICE", "Alice Smith")
    slack.fake.add_user("UBOB", "Bob Jones")
    checklist_id = _start(slack, TITLE, channel=channel, decider=decider, **fields)
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "decision":
            assert slack.core.checklists.answer(checklist_id, step_id, decision, reasons, "UALICE").accepted
    return checklist_id


def _sign_off(slack, checklist_id, user="UBOB", fault=None):
    """Sign off through the reasons form; ``fault`` (method, error) is scripted for the next call."""
    _jump(slack, checklist_id, "decision")
    view = _open_modal(slack, "decision", "proceed")
    slack.fake.reset()
    if fault:
        slack.fake.fail_next(*fault)
    assert slack.submit_view(view, *GOOD["decision"], user=user) == (200, {})
    slack.settle()


def _thread_posts(slack, checklist_id):
    row = slack.core.store.get_checklist(checklist_id)
    return [
        c
        for c in slack.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == row["channel"] and c.args.get("thread_ts") == row["thread_ts"]
    ]


def _summary(slack, checklist_id):
    (summary,) = [c for c in _thread_posts(slack, checklist_id) if "Signed off:" in all_text(c.args["blocks"])]
    return all_text(summary.args["blocks"])


def test_completion_posts_one_summary_a_canvas_link_and_the_word_file(slack):
    checklist_id = _ready(slack)
    _sign_off(slack, checklist_id)
    row = slack.core.store.get_checklist(checklist_id)
    text = _summary(slack, checklist_id)
    assert f"Signed off: {TITLE}" in text
    assert "*Decision:* Proceed" in text and "signed off by <@UBOB> on <!date^" in text
    assert "*Decision maker:* <@UBOB>" in text and "Started by <@UALICE> on <!date^" in text
    assert "complete: all 7 steps have an answer that counts" in text
    assert "*Disputes:* none" in text and "Late sign-off" not in text
    digest = slack.core.store.verify_chain(checklist_id).digest
    assert f"SHA-256 `{digest}`" in text

    (created,) = slack.fake.calls_to("canvases.create")
    markdown = created.args["document_content"]["markdown"]
    assert created.args["title"] == f"Social value decision record: {TITLE}"
    assert markdown.startswith(f"# Social value decision record: {TITLE}") and "Bob Jones" in markdown
    assert "UBOB" not in markdown, "names, not Slack ids"
    (canvas_id,) = slack.fake.canvases_made
    (shared,) = slack.fake.calls_to("canvases.access.set")
    assert (shared.args["canvas_id"], shared.args["access_level"], shared.args["channel_ids"]) == (
        canvas_id,
        "read",
        "C111",
    ), "read-only for the channel: nobody edits the record in place"
    assert f"<https://test.slack.com/docs/T111/{canvas_id}|Read the decision record in a canvas>" in text

    (complete,) = slack.fake.calls_to("files.completeUploadExternal")
    assert (complete.args["channel_id"], complete.args["thread_ts"]) == ("C111", row["thread_ts"])
    (upload,) = slack.fake.calls_to("file_upload")
    assert slack.fake.calls_to("files.getUploadURLExternal")[0].args["filename"] == RECORD_FILE.format(checklist_id)
    word = docx_text(upload.args["data"])
    assert TITLE in word and "Bob Jones" in word and "UBOB" not in word
    methods = [c.method for c in slack.fake.calls if c.method in ("chat.postMessage", "files.completeUploadExternal")]
    assert methods.index("files.completeUploadExternal") > 0, "the summary comes first, then the file"


def test_a_free_workspace_gets_the_canvas_as_a_channel_tab(slack):
    slack.fake.canvas_plan = "free"
    checklist_id = _ready(slack)
    _sign_off(slack, checklist_id)
    standalone, tabbed = slack.fake.calls_to("canvases.create")
    assert "channel_id" not in standalone.args and tabbed.args["channel_id"] == "C111"
    assert slack.fake.calls_to("canvases.access.set") == [], "a tab is as readable as its channel"
    (canvas_id,) = slack.fake.canvases_made
    assert f"https://test.slack.com/docs/T111/{canvas_id}" in _summary(slack, checklist_id)
    assert len(slack.fake.calls_to("file_upload")) == 1


@pytest.mark.parametrize("plan", ["off", "no_scope"])
def test_without_canvases_the_file_still_arrives_and_the_refusal_is_logged(slack, caplog, plan):
    slack.fake.canvas_plan = plan
    checklist_id = _ready(slack)
    with caplog.at_level(logging.INFO, logger="svbot.slack"):
        _sign_off(slack, checklist_id)
    assert slack.fake.canvases_made == {}
    text = _summary(slack, checklist_id)
    assert "canvas" not in text and "(Word) follows in this thread" in text
    assert len(slack.fake.calls_to("file_upload")) == 1
    assert any("no canvas" in r.getMessage() for r in caplog.records)


def test_a_canvas_that_cannot_be_shared_is_removed(slack):
    checklist_id = _ready(slack)
    _sign_off(slack, checklist_id, fault=("canvases.access.set", "restricted_action"))
    assert slack.fake.canvases_made == {}, "deleted, not left orphaned"
    assert "canvas" not in _summary(slack, checklist_id)
    assert len(slack.fake.calls_to("file_upload")) == 1


def test_late_sign_off_and_disputes_are_in_the_summary(slack):
    slack.fake.add_user("UBOB", "Bob Jones")
    checklist_id = _start(slack, TITLE, decider="UBOB")
    store = slack.core.store
    for step_id, (decision, reasons) in GOOD.items():
        if step_id in ("decision", "outcomes"):
            continue
        store.add_answer(checklist_id, step_id, decision, reasons, "UALICE", AnswerStatus.ACCEPTED, [])
    refused = store.add_answer(checklist_id, "outcomes", *GOOD["outcomes"], "UALICE", AnswerStatus.REFUSED, ["x"])
    slack.core.checklists.dispute(checklist_id, refused.id, "These outcomes are specific to Rochdale.", "UALICE")
    slack.core.checklists.resolve_dispute(
        checklist_id, refused.id, "Agreed: specific enough for this contract.", "UBOB"
    )
    slack.core.checklists.set_start(checklist_id, "2020-01-01", None, "UALICE")
    _sign_off(slack, checklist_id)
    text = _summary(slack, checklist_id)
    assert "Late sign-off" in text and "after the procurement started on 2020-01-01" in text
    assert "What could this contract improve?: the team disputed the checker (<@UALICE>)" in text
    assert "accepted over the checker's objection by <@UBOB> on <!date^" in text


def test_two_sign_offs_at_once_deliver_everything_once(slack):
    checklist_id = _ready(slack)
    views = [reasons_modal(slack.core, checklist_id, "decision", "proceed", None) for _ in range(2)]
    slack.fake.reset()
    slack.fake.slow("chat.update", 0.3)
    barrier = threading.Barrier(2)
    replies = []

    def submit(view):
        barrier.wait()
        replies.append(slack.submit_view(view, *GOOD["decision"], user="UBOB"))

    threads = [threading.Thread(target=submit, args=(v,)) for v in views]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slack.settle(20)
    assert len(slack.fake.calls_to("canvases.create")) == 1
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 1
    _summary(slack, checklist_id)  # exactly one


def test_removed_from_a_private_channel_svbot_sends_the_record_by_dm_and_asks_to_be_invited(slack):
    slack.fake.add_channel("GPRIVATE", private=True, member=True)
    checklist_id = _ready(slack, channel="GPRIVATE")
    slack.fake.channels["GPRIVATE"].member = False  # someone removed svbot from the channel
    _sign_off(slack, checklist_id)
    assert not [c for c in slack.fake.calls_to("files.completeUploadExternal") if c.args["channel_id"] == "GPRIVATE"]
    assert slack.fake.canvases_made == {}, "no canvas for a channel svbot cannot reach"
    dms = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("D")]
    assert sorted(c.args["channel"] for c in dms) == ["DALICE", "DBOB"]
    for dm in dms:
        text = all_text(dm.args["blocks"])
        assert "/invite @svbot" in text and "<#GPRIVATE>" in text and "*Export the record*" in text
        assert f"Signed off: {TITLE}" in text and "The decision record for the procurement file (Word) follows." in text
    uploads = slack.fake.calls_to("files.completeUploadExternal")
    assert sorted(u.args["channel_id"] for u in uploads) == ["DALICE", "DBOB"], "the Word file in each DM"
    assert "canvas" not in all_text(dms[0].args["blocks"])


def test_export_button_shares_the_word_file(slack):
    checklist_id = _ready(slack)
    parent = f"cl_parent:{checklist_id}"
    slack.fake.reset()
    slack.click({"action_id": "cl_export", "value": f'{{"c":"{checklist_id}"}}', "text": {}}, block_id=parent)
    slack.settle()
    (upload,) = slack.fake.calls_to("file_upload")
    assert TITLE in docx_text(upload.args["data"])
    (complete,) = slack.fake.calls_to("files.completeUploadExternal")
    assert "draft: 1 step(s) still open" in complete.args["initial_comment"]
    assert slack.fake.calls_to("canvases.create") == [], "a draft gets the file only"


def test_export_from_a_channel_svbot_was_removed_from_says_so_privately(slack):
    slack.fake.add_channel("GPRIVATE", private=True, member=True)
    checklist_id = _start(slack, TITLE, channel="GPRIVATE")
    slack.fake.channels["GPRIVATE"].member = False
    slack.fake.reset()
    parent = f"cl_parent:{checklist_id}"
    slack.click({"action_id": "cl_export", "value": f'{{"c":"{checklist_id}"}}', "text": {}}, block_id=parent)
    slack.settle()
    (told,) = slack.fake.calls_to("response_url:a1")
    assert "/invite @svbot" in told.args["text"] and told.args["response_type"] == "ephemeral"
