"""A checklist as a Slack thread: a parent message with progress, one message per step.

The database is the source of truth; messages are views of it, rebuilt from
the record whenever something changes, so a failed Slack call never leaves
the store half-written and the next change repairs the message.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from slack_sdk import WebClient

from bot.checklist.details import ChecklistDetails
from bot.checklist.record import Names
from bot.checklist.states import AnswerStatus
from bot.core import Svbot
from bot.scope_check import SCOPE_STEP
from bot.slack import blocks as bk
from bot.slack import canvas
from bot.slack.people import people_for
from bot.slack.safe import attempt, call

STEP_ACTION = "cl_option"
REVISE_ACTION = "cl_revise"
JUMP_ACTION = "cl_jump"
EXPORT_ACTION = "cl_export"
DECIDER_ACTION = "cl_decider"
REVIEW_ACTION = "cl_review"  # the decision maker reviews a disputed answer
SCOPE_CHECK_ACTION = "cl_scope_check"  # "Check scope" on the scope step: the scope finder's form
OPEN_ACTION = "cl_open"  # a link button to the thread: Slack opens the URL, svbot only acknowledges
MAX_RECORD_TEXT = 12_000  # the record posted as messages when no file can be shared
UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})  # svbot cannot post there


def epoch(iso: str) -> int:
    """Seconds since 1970 for a stored ISO time, for Slack's <!date^...> (shown in each reader's zone)."""
    return int(dt.datetime.fromisoformat(iso).timestamp())


class ChecklistThread:
    def __init__(self, app: Svbot, client: WebClient):
        self.app = app
        self.client = client
        self.r = app.renderer
        self.labels = app.renderer.strings("slack/labels.txt.j2")
        self.unreachable: str | None = None  # set when the channel refused svbot outright

    # Messages ---------------------------------------------------------------

    def parent_message(self, record: dict[str, Any]) -> dict[str, Any]:
        body_labels = self.r.strings("slack/body_types.txt.j2").labels
        text = self.r.render("slack/checklist_parent.slack.j2", record=record, body_labels=body_labels)
        options = [
            {"text": {"type": "plain_text", "text": bk.cut(f"{i}. {s['title']}", 75)}, "value": s["id"]}
            for i, s in enumerate(record["steps"], 1)
        ]
        elements = [
            {
                "type": "static_select",
                "action_id": JUMP_ACTION,
                "placeholder": {"type": "plain_text", "text": self.labels.jump},
                "options": options[:100],
            },
            bk.button(self.labels.export, EXPORT_ACTION, {"c": record["id"]}),
            {
                "type": "users_select",
                "action_id": DECIDER_ACTION,
                "placeholder": {"type": "plain_text", "text": self.labels.decider},
                **({"initial_user": record["decision_maker"]} if record.get("decision_maker") else {}),
            },
        ]
        out = [
            *bk.sections(text),
            bk.context(
                self.r.render("slack/checklist_parent_context.slack.j2", record=record, export_label=self.labels.export)
            ),
            bk.actions(elements, block_id=f"cl_parent:{record['id']}"),
        ]
        return {"text": bk.fallback_text(text), "blocks": bk.limit(out)}

    def step_message(self, record: dict[str, Any], step_id: str) -> dict[str, Any]:
        steps = self.app.checklists.steps
        index = next(i for i, s in enumerate(steps, 1) if s.id == step_id)
        step = steps[index - 1]
        current = self.app.store.current_answers(record["id"]).get(step_id)
        info = next(s for s in record["steps"] if s["id"] == step_id)
        label = info["decision_label"]
        decider = self.app.checklists.decider(self.app.store.get_checklist(record["id"]) or record)
        text = self.r.render(
            "slack/step.slack.j2", index=index, step=step, answer=current, label=label, decider=decider
        )
        out = bk.sections(text)
        out.append(
            bk.context(
                self.r.render(
                    "slack/step_context.slack.j2", step=step, answer=current, revisions=info["revisions"], epoch=epoch
                )
            )
        )
        if current:
            buttons = [bk.button(self.labels.revise, REVISE_ACTION, {"c": record["id"], "s": step_id})]
            if current.status is AnswerStatus.DISPUTED:
                buttons.append(self.review_button(record["id"], current.id))
        else:
            buttons = [
                bk.button(o.label, f"{STEP_ACTION}_{i}", {"c": record["id"], "s": step_id, "o": o.id})
                for i, o in enumerate(step.options)
            ]
        if step_id == SCOPE_STEP and record.get("status") != "withdrawn":
            label = self.r.strings("slack/scope_labels.txt.j2").check_button
            buttons.append(bk.button(label, SCOPE_CHECK_ACTION, {"c": record["id"], "s": step_id}))
        out.append(bk.actions(buttons, block_id=f"cl_step:{record['id']}:{step_id}"))
        return {"text": bk.fallback_text(text), "blocks": bk.limit(out)}

    # Operations -------------------------------------------------------------

    def start(self, details: ChecklistDetails, user: str, channel: str, team: str | None) -> str:
        """Post the parent and first step, then save; SlackApiError (nothing saved) if Slack refused the parent.

        ChecklistError (nothing posted) for details the checklist cannot take.
        """
        details = self.app.checklists.checked(details)
        checklist_id = secrets.token_hex(4)
        draft = self._draft_record(checklist_id, details.title, user)
        draft.update(details.stored())
        parent = self.client.chat_postMessage(channel=channel, **self.parent_message(draft))
        ts = parent["ts"]
        self.app.checklists.new(
            details,
            user,
            team=team,
            channel=parent.get("channel") or channel,
            parent_ts=ts,
            thread_ts=ts,
            checklist_id=checklist_id,
        )
        first = self.app.checklists.steps[0].id
        self.post_step(checklist_id, first)
        return checklist_id

    def _draft_record(self, checklist_id: str, title: str, user: str) -> dict[str, Any]:
        steps = [
            {"id": s.id, "title": s.title, "status": "open", "decision_label": None, "revisions": 0}
            for s in self.app.checklists.steps
        ]
        return {
            "id": checklist_id,
            "title": title,
            "created_by": user,
            "decision_maker": None,
            "steps": steps,
            "status": "open",
            "open_steps": [s["id"] for s in steps],
        }

    def post_step(self, checklist_id: str, step_id: str) -> str | None:
        """Post a step's message once: None if it failed or someone else is posting it."""
        key = f"step:{step_id}"
        if not self.app.store.claim_post(checklist_id, key):
            return None
        record = self.app.checklists.record(checklist_id)
        response = call(
            self.client.chat_postMessage,
            channel=record["location"]["channel"],
            thread_ts=record["location"]["thread_ts"],
            **self.step_message(record, step_id),
        )
        if response is None:
            self.app.store.release_post(checklist_id, key)
            return None
        self.app.store.set_step_message(checklist_id, step_id, response["channel"], response["ts"])
        return response["ts"]

    def refresh(self, checklist_id: str, step_id: str) -> None:
        """Bring the step message and the parent's progress up to date."""
        record = self.app.checklists.record(checklist_id)
        posted = self.app.store.step_messages(checklist_id).get(step_id)
        if posted:
            call(
                self.client.chat_update,
                channel=posted["channel"],
                ts=posted["ts"],
                **self.step_message(record, step_id),
            )
        else:
            self.post_step(checklist_id, step_id)
        self.refresh_parent(checklist_id, record)

    def refresh_parent(self, checklist_id: str, record: dict[str, Any] | None = None) -> None:
        """Rebuild the parent message (title, progress, decision maker) from the record."""
        record = record or self.app.checklists.record(checklist_id)
        checklist = self.app.store.get_checklist(checklist_id) or {}
        if checklist.get("parent_ts"):
            call(
                self.client.chat_update,
                channel=checklist["channel"],
                ts=checklist["parent_ts"],
                **self.parent_message(record),
            )

    def tell_decision_maker(self, checklist_id: str, by: str) -> bool:
        """DM the named decision maker: who named them, for what, a link to the thread, and any
        disputed answers already waiting for them, each with its *Review disputed answer* button."""
        checklist = self.app.store.get_checklist(checklist_id) or {}
        decider = checklist.get("decision_maker")
        if not decider or decider == by or not checklist.get("parent_ts"):
            return False
        link = call(self.client.chat_getPermalink, channel=checklist["channel"], message_ts=checklist["parent_ts"])
        url = link["permalink"] if link else None
        disputed = self.waiting_disputes(checklist_id)
        text = self.r.render("slack/decider_dm.slack.j2", checklist=checklist, by=by, link=url, disputed=disputed)
        blocks = bk.sections(text)
        # One block per button: Slack wants each action id once in a block.
        blocks += [bk.actions([self.review_button(checklist_id, d["answer"].id, d["step"].title)]) for d in disputed]
        if url:
            button = bk.button(
                self.labels.review, OPEN_ACTION, {"c": checklist_id}, style=None if disputed else "primary"
            )
            blocks.append(bk.actions([{**button, "url": url}]))
        dm = call(self.client.conversations_open, users=decider)
        if dm is None:
            return False
        posted = call(
            self.client.chat_postMessage, channel=dm["channel"]["id"], text=bk.fallback_text(text), blocks=blocks
        )
        return posted is not None

    def waiting_disputes(self, checklist_id: str) -> list[dict[str, Any]]:
        """The checklist's disputed answers waiting for the decision maker, in step order, with labels."""
        current = self.app.store.current_answers(checklist_id)
        waiting = []
        for step in self.app.checklists.steps:
            answer = current.get(step.id)
            if answer is not None and answer.status is AnswerStatus.DISPUTED:
                label = next((o.label for o in step.options if o.id == answer.decision), answer.decision)
                waiting.append({"step": step, "answer": answer, "label": label})
        return waiting

    def review_button(self, checklist_id: str, answer_id: int, step_title: str | None = None) -> dict[str, Any]:
        """The *Review disputed answer* button (naming the step when a message offers several)."""
        value = {"c": checklist_id, "a": answer_id}
        text = f"{self.labels.review_dispute}: {step_title}" if step_title else self.labels.review_dispute
        return bk.button(text, REVIEW_ACTION, value, style="primary")

    def tell_decider_of_dispute(self, checklist_id: str, answer_id: int, by: str) -> bool:
        """DM the named decision maker the disputed answer and a button to review it (the starter, where
        none is named, is asked to name one)."""
        checklist = self.app.store.get_checklist(checklist_id) or {}
        answer = next((a for a in self.app.store.answers(checklist_id) if a.id == answer_id), None)
        if answer is None or not checklist:
            return False
        step = self.app.checklists.step(answer.step)
        label = next((o.label for o in step.options if o.id == answer.decision), answer.decision)
        posted_step = self.app.store.step_messages(checklist_id).get(answer.step)
        link = posted_step and call(
            self.client.chat_getPermalink, channel=posted_step["channel"], message_ts=posted_step["ts"]
        )
        text = self.r.render(
            "slack/dispute_dm.slack.j2",
            checklist=checklist,
            step=step,
            answer=answer,
            label=label,
            by=by,
            link=link["permalink"] if link else None,
            named=bool(checklist.get("decision_maker")),
        )
        named = checklist.get("decision_maker")
        # Without a named decision maker nobody may uphold it yet: the starter is asked to name one.
        dm = call(self.client.conversations_open, users=named or checklist["created_by"])
        if dm is None:
            return False
        blocks = bk.sections(text)
        if named:
            blocks.append(bk.actions([self.review_button(checklist_id, answer_id)]))
        posted = call(
            self.client.chat_postMessage, channel=dm["channel"]["id"], text=bk.fallback_text(text), blocks=blocks
        )
        return posted is not None

    def after_accept(self, checklist_id: str, step_id: str) -> None:
        """Update the thread after a step's answer changed (accepted, disputed or upheld): next step, or the record.

        Concurrent accepts may both get here; database claims make each post happen once.
        """
        self.refresh(checklist_id, step_id)
        record = self.app.checklists.record(checklist_id)
        posted = self.app.store.step_messages(checklist_id)
        next_step = next((s for s in record["open_steps"] if s not in posted), None)
        if next_step:
            self.post_step(checklist_id, next_step)
        if record["status"] == "complete":
            # One record per sign-off: a new sign-off earns another; revising other steps does not.
            sign_off = {s.id for s in self.app.checklists.steps if s.sign_off}
            key = f"record:{max((s['answer_id'] for s in record['steps'] if s['id'] in sign_off), default=0)}"
            if self.app.store.claim_post(checklist_id, key) and not self.post_record(checklist_id, announce=True):
                self.app.store.release_post(checklist_id, key)

    def post_record(self, checklist_id: str, announce: bool = False) -> bool:
        """Put the decision record in the thread; False if it reached nobody (a later try may work).

        On completion (``announce``): a summary message, with a link to a canvas of the record
        where the workspace allows canvases, then the Word file. From the Export button: the
        Word file. Where Slack will not take the file, the record's content as a message; where
        svbot cannot post in the channel at all (removed from a private channel), the summary
        and the file go by DM to the starter and the decision maker, asking them to invite svbot.
        ``self.unreachable`` says why the channel could not be reached, if that was the reason.
        """
        record = self.app.checklists.record(checklist_id)
        channel, thread_ts = record["location"]["channel"], record["location"]["thread_ts"]
        names = people_for(self.client).name
        self.join(channel)
        comment = None
        if announce:
            error = self._post_summary(record, channel, thread_ts, names)
            if error in UNREACHABLE:
                return self.send_record_privately(record, error)
            if error is not None:
                return False
        else:
            comment = self.r.render("slack/export_note.slack.j2", record=record)
        docx = self.app.checklists.export_bytes(checklist_id, "docx", names=names)
        error = self.upload_record(record, docx, channel, thread_ts, comment)
        if error is not None:
            error = self.post_record_text(record, channel, thread_ts, comment or "", error)
        if error in UNREACHABLE:
            self.unreachable = error
        return error is None

    def _post_summary(self, record: dict[str, Any], channel: str, thread_ts: str, names: Names) -> str | None:
        """The summary message, linking a canvas of the record where Slack allows one; Slack's error or None."""
        markdown = self.app.checklists.export(record["id"], "md", names=names)
        made = canvas.publish(self.client, f"Social value decision record: {record['title']}", markdown, channel)
        summary = self.summary(record, made.url if made else None)
        _, error = attempt(
            self.client.chat_postMessage,
            channel=channel,
            thread_ts=thread_ts,
            text=bk.fallback_text(summary),
            blocks=bk.limit(bk.sections(summary)),
        )
        if error is not None and made is not None:  # nobody was told of it: a retry makes another
            canvas.remove(self.client, made.id)
        return error

    def summary(self, record: dict[str, Any], canvas_url: str | None = None, in_thread: bool = True) -> str:
        """The completed record in one message: decision, who, status, timing, disputes, digest."""
        return self.r.render(
            "slack/record_summary.slack.j2",
            record=record,
            epoch=epoch,
            titles={s["id"]: s["title"] for s in record["steps"]},
            canvas_url=canvas_url,
            in_thread=in_thread,
        )

    def upload_record(
        self, record: dict[str, Any], docx: bytes, channel: str, thread_ts: str | None, comment: str | None
    ) -> str | None:
        """Share the Word record in a conversation (a thread, or a DM); Slack's error, or None."""
        _, error = attempt(
            self.client.files_upload_v2,
            channel=channel,
            **({"thread_ts": thread_ts} if thread_ts else {}),
            file=docx,
            filename=f"social-value-record-{record['id']}.docx",
            title=f"Social value decision record: {record['title']}"[:250],
            **({"initial_comment": comment} if comment else {}),
        )
        return error

    def send_record_privately(self, record: dict[str, Any], error: str) -> bool:
        """svbot is no longer in the channel: DM the starter and decision maker the record, ask for an invite."""
        docx = self.app.checklists.export_bytes(record["id"], "docx", names=people_for(self.client).name)
        text = self.r.render(
            "slack/record_by_dm.slack.j2",
            record=record,
            channel=record["location"]["channel"],
            error=error,
            export_label=self.labels.export,
        )
        text = f"{text}\n\n{self.summary(record, in_thread=False)}"
        reached = False
        for person in dict.fromkeys([record["created_by"], record.get("decision_maker") or record["created_by"]]):
            dm = call(self.client.conversations_open, users=person)
            if dm is None:
                continue
            posted = call(
                self.client.chat_postMessage,
                channel=dm["channel"]["id"],
                text=bk.fallback_text(text),
                blocks=bk.limit(bk.sections(text)),
            )
            shared = self.upload_record(record, docx, dm["channel"]["id"], None, None) is None
            reached = reached or (posted is not None and shared)
        return reached

    def join(self, channel: str) -> None:
        """Join a public channel (channels:join) so files can be shared there; others are left as they are."""
        if channel.startswith("C"):
            attempt(self.client.conversations_join, channel=channel)

    def post_record_text(
        self, record: dict[str, Any], channel: str, thread_ts: str, comment: str, error: str
    ) -> str | None:
        """The upload failed: post the record's content itself, cut to Slack's limits with a note.

        Slack's error if that failed too, else None.
        """
        body = self.r.render("slack/record.slack.j2", record=record, epoch=epoch)
        note = self.r.render("slack/record_as_text.slack.j2", error=error, cut=len(body) > MAX_RECORD_TEXT)
        if len(body) > MAX_RECORD_TEXT:  # cut at a line end, never inside a mention or a date
            end = body.rfind("\n", 0, MAX_RECORD_TEXT)
            body = body[: end if end > 0 else MAX_RECORD_TEXT] + "\n…"
        text = "\n".join(filter(None, [comment, note])) + f"\n\n{body}"
        blocks = bk.limit(bk.sections(text), note=self.r.render("slack/record_as_text.slack.j2", error=error, cut=True))
        _, failed = attempt(
            self.client.chat_postMessage,
            channel=channel,
            thread_ts=thread_ts,
            text=bk.fallback_text(comment or note),
            blocks=blocks,
        )
        return failed

    def jump(self, checklist_id: str, step_id: str) -> str | None:
        """Post a step into the thread if it is not there yet; return its permalink if it is."""
        posted = self.app.store.step_messages(checklist_id).get(step_id)
        if posted is None:
            self.post_step(checklist_id, step_id)
            return None
        link = call(self.client.chat_getPermalink, channel=posted["channel"], message_ts=posted["ts"])
        return link["permalink"] if link else None
