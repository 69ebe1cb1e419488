"""The checklist thread in a real workspace: the record always arrives, nothing is posted twice."""

from __future__ import annotations

import threading

from harness import GOOD, all_text, docx_text
from harness import jump as _jump
from harness import open_modal as _open_modal
from harness import start_checklist as _start

from bot.checklist.states import AnswerStatus
from bot.slack.checklist_thread import MAX_RECORD_TEXT
from bot.slack.listeners.views import reasons_modal

TITLE = "Rochdale home care framework 2027"


def _start_in(slack, channel):
    return _start(slack, TITLE, channel=channel)


def _answer_all_but(slack, checklist_id, *left):
    for step_id, (decision, reasons) in GOOD.items():
        if step_id not in left:
            assert slack.core.checklists.answer(checklist_id, step_id, decision, reasons, "UALICE").accepted


def _submit_together(slack, checklist_id, *step_ids):
    """Submit the reasons forms of several steps at the same moment, as several people would."""
    views = [reasons_modal(slack.core, checklist_id, s, GOOD[s][0], None) for s in step_ids]
    replies = {}
    barrier = threading.Barrier(len(step_ids))

    def submit(i, step_id):
        barrier.wait()
        replies[i] = slack.submit_view(views[i], *GOOD[step_id])

    threads = [threading.Thread(target=submit, args=(i, s)) for i, s in enumerate(step_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(reply == (200, {}) for reply in replies.values()), replies
    slack.settle(20)


def _finish_through_slack(slack, checklist_id):
    for step_id, (decision, reasons) in GOOD.items():
        if step_id != "scope":
            _jump(slack, checklist_id, step_id)
        view = _open_modal(slack, step_id, decision)
        assert slack.submit_view(view, decision, reasons) == (200, {})
        slack.settle()


def test_full_checklist_in_a_public_channel_svbot_never_joined_ends_with_the_record(slack):
    slack.fake.add_channel("CPUBLIC")
    slack.fake.add_user("UALICE", "Alice Smith")
    checklist_id = _start_in(slack, "CPUBLIC")
    _finish_through_slack(slack, checklist_id)
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    assert slack.fake.calls_to("conversations.join")[0].args["channel"] == "CPUBLIC"
    (complete,) = slack.fake.calls_to("files.completeUploadExternal")
    assert (complete.args["channel_id"], complete.args["thread_ts"]) == ("CPUBLIC", thread_ts)
    content = docx_text(slack.fake.calls_to("file_upload")[0].args["data"])
    assert f"Social value decision record: {TITLE}" in content
    assert "Alice Smith" in content and "UALICE" not in content, "names, not Slack ids, in the procurement file"


def test_record_is_posted_as_text_when_no_file_can_be_shared(slack):
    slack.fake.add_channel("CLOCKED")
    checklist_id = _start_in(slack, "CLOCKED")
    _answer_all_but(slack, checklist_id, "decision")
    _jump(slack, checklist_id, "decision")
    view = _open_modal(slack, "decision", "proceed")
    slack.fake.fail_next("conversations.join", error="restricted_action")
    assert slack.submit_view(view, *GOOD["decision"]) == (200, {})
    slack.settle()
    assert slack.fake.calls_to("files.completeUploadExternal"), "the upload was tried"
    thread_ts = slack.core.store.get_checklist(checklist_id)["thread_ts"]
    record = slack.fake.calls_to("chat.postMessage")[-1].args
    assert record["thread_ts"] == thread_ts
    text = all_text(record["blocks"])
    assert "not_in_channel" in text and "as a message" in text
    assert f"Social value decision record: {TITLE}" in text
    for step_id, (_decision, reasons) in GOOD.items():
        assert reasons.replace("&", "&amp;").replace("'", "'")[:60] in text, step_id
    assert "<@UALICE>" in text and "<!date^" in text


def test_a_record_too_long_for_slack_is_cut_with_a_note(slack):
    slack.fake.add_channel("CLOCKED")
    checklist_id = _start_in(slack, "CLOCKED")
    for step_id, (decision, reasons) in GOOD.items():  # long accepted answers, stored as they were given
        slack.core.store.add_answer(
            checklist_id, step_id, decision, (reasons + "\n") * 20, "UALICE", AnswerStatus.ACCEPTED, []
        )
    slack.fake.reset()
    slack.fake.fail_next("conversations.join", error="restricted_action")
    # The export button posts the record so far, the same way.
    parent = f"cl_parent:{checklist_id}"
    slack.click({"action_id": "cl_export", "value": f'{{"c":"{checklist_id}"}}', "text": {}}, block_id=parent)
    slack.settle()
    (record,) = slack.fake.calls_to("chat.postMessage")
    text = all_text(record.args["blocks"])
    assert "cut to fit in Slack" in text
    assert len(text) < MAX_RECORD_TEXT + 2000


def test_simultaneous_accepts_post_the_next_step_once(slack):
    checklist_id = _start(slack)
    _jump(slack, checklist_id, "outcomes")
    slack.fake.reset()
    slack.fake.slow("chat.postMessage", 0.5)
    _submit_together(slack, checklist_id, "scope", "outcomes")
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if "cl_step" in str(c.args.get("blocks"))]
    steps = [b["block_id"].rsplit(":", 1)[1] for c in posted for b in c.args["blocks"] if b["type"] == "actions"]
    assert steps == ["process"]


def test_signing_off_twice_at_once_posts_the_record_once(slack):
    # Sign-off needs every other step first, so the race that completes a checklist is two sign-offs.
    checklist_id = _start(slack)
    _answer_all_but(slack, checklist_id, "decision")
    slack.fake.reset()
    slack.fake.slow("chat.update", 0.3)
    _submit_together(slack, checklist_id, "decision", "decision")
    assert slack.core.checklists.record(checklist_id)["status"] == "complete"
    assert len(slack.fake.calls_to("files.completeUploadExternal")) == 1
