"""Answer messages: the short answer, sources, related topics and buttons."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core import Snapshot, Svbot
from bot.knowledge.schema import Entry
from bot.matching.matcher import Answer
from bot.nations import nation_key, nation_view, parse_nation
from bot.scope_followup import ScopeFollowUp, scope_read_as
from bot.slack import blocks as bk

COMMAND = "/socialvalue"


def slash_conversation(channel: str, user: str) -> str:
    """Where /socialvalue keeps its follow-up context: one per person and channel."""
    return f"slash:{channel}:{user}"


def thread_conversation(channel: str, thread_ts: str | None = None) -> str:
    """Where a thread keeps its follow-up context; a direct message outside any thread has no ``thread_ts``."""
    return f"{channel}:{thread_ts or ''}"


def entry_blocks(
    app: Svbot, snap: Snapshot, entry: Entry, *, full: bool = False, nation: str | None = None
) -> list[bk.Block]:
    r = app.renderer
    related = snap.related(entry)
    out = bk.sections(r.render("slack/answer.slack.j2", entry=entry, full=full))
    view = nation_view(snap.kb, entry, nation)
    if view.nation is None and (view.other_notes or not view.everywhere):
        out.append(bk.context(r.render("slack/nation_notes.slack.j2", entry=entry, view=view)))
    out.append(bk.context(r.render("slack/sources.slack.j2", entry=entry)))
    if related:
        out.append(bk.context(r.render("slack/related.slack.j2", related=related)))
    return out


def thread_nation(app: Svbot, channel: str | None, thread_ts: str | None) -> str | None:
    """In a checklist's thread, the nation chosen on that checklist (None elsewhere, or none chosen)."""
    if not (channel and thread_ts):
        return None
    checklist = app.store.find_checklist_by_thread(channel, thread_ts)
    return (checklist or {}).get("nation") or None


def led_by(answer: Answer, given: str | None, configured: str | None) -> str | None:
    """Why the answer leads with its nation: the checklist's (``given``), the workspace setting, or the
    question (it names a nation, or follows one that did); None when it leads with none."""
    if answer.nation is None:
        return None
    if given is not None:
        return "checklist" if answer.nation == given else "question"
    return "setting" if answer.nation == configured else "question"


def answer_message(
    app: Svbot,
    snap: Snapshot,
    answer: Answer,
    question_id: int | None,
    *,
    share: bool = False,
    full: bool = False,
    given_nation: str | None = None,
) -> dict[str, Any]:
    """``text`` and ``blocks`` for an answer (or an honest "not sure"), from the snapshot that answered.

    ``given_nation``: the nation of the checklist whose thread the question was asked in.
    """
    r = app.renderer
    if answer.scope is not None:
        return scope_followup_message(app, snap, answer.scope)
    labels = r.strings("slack/labels.txt.j2")
    entry = answer.entry
    view = nation_view(snap.kb, entry, answer.nation) if entry else None
    lead = r.render("slack/answer_lead.slack.j2", answer=answer, entry=entry, view=view)
    out = bk.sections(lead) if lead else []
    if entry is not None:
        basis = led_by(answer, given_nation, app.nation)
        if basis is not None:
            out.append(bk.context(r.render("slack/answer_nation.slack.j2", nation=answer.nation, led_by=basis)))
        out += entry_blocks(app, snap, entry, full=full, nation=answer.nation)
        value: dict[str, Any] = {"e": entry.id, "q": question_id, **_nation_value(answer.nation)}
        buttons = [
            bk.button(labels.helpful, "feedback_helpful", value),
            bk.button(labels.not_helpful, "feedback_not_helpful", value),
        ]
        if not full:
            buttons.append(bk.button(labels.more, "read_more", value))
        if share:
            buttons.append(bk.button(labels.share, "share_answer", value, style="primary"))
        out.append(bk.actions(buttons, block_id="answer_actions"))
        text = f"{entry.title}: {entry.short_answer}"
        alternatives = answer.matches[1:3] if answer.ambiguous else []
    elif answer.small_talk is not None:
        text = r.render("slack/small_talk.slack.j2", small_talk=answer.small_talk, command=COMMAND)
        out += bk.sections(text)
        alternatives = []
    elif answer.unread is not None:
        text = r.render("slack/unread.slack.j2", unread=answer.unread, command=COMMAND, noted=question_id is not None)
        out += bk.sections(text)
        alternatives = []
    elif answer.off_topic:
        text = r.render("slack/outside.slack.j2", question=answer.question, outside=answer.outside)
        out += bk.sections(text)
        alternatives = []
    elif answer.definition is not None:
        text = lead
        alternatives = answer.matches[:3]
    else:
        text = r.render("slack/not_sure.slack.j2", question=answer.question, matches=answer.matches)
        out += bk.sections(text)
        alternatives = answer.matches[:3]
    if alternatives:
        out.append(bk.context(r.render("slack/did_you_mean.slack.j2", answered=answer.answered)))
        out.append(
            bk.actions(
                [
                    bk.button(
                        m.entry.title,
                        f"did_you_mean_{i}",
                        {"e": m.entry.id, "q": question_id, "s": share, **_nation_value(answer.nation)},
                    )
                    for i, m in enumerate(alternatives)
                ],
                block_id="did_you_mean",
            )
        )
    return {"text": bk.fallback_text(text), "blocks": bk.limit(out)}


def scope_followup_message(app: Svbot, snap: Snapshot, followup: ScopeFollowUp) -> dict[str, Any]:
    """A follow-up to a scope check ("and for goods?"): the finder's answer for the changed inputs."""
    from bot.scope import ScopeError, ScopeFinder, parts_context
    from bot.slack.scope_modal import result_text

    r = app.renderer
    lead = r.render("slack/scope_read_as.slack.j2", **scope_read_as(followup))
    try:
        if followup.problem is not None:
            raise ScopeError(followup.problem)
        parts = ScopeFinder(snap.kb, r, surface="slack").find_period(followup.now)
    except ScopeError as exc:
        text = r.render("slack/scope_failed.slack.j2", error=str(exc))
        return {"text": bk.fallback_text(text), "blocks": bk.limit(bk.sections(text))}
    if len(parts) > 1:
        # A month or a year a change splits ("in 2025"): the answer for each part.
        text = r.render("slack/scope_parts.slack.j2", **parts_context(followup.now, parts))
        return {"text": bk.fallback_text(text), "blocks": bk.limit(bk.sections(lead) + bk.sections(text))}
    result = parts[0][2]
    blocks = bk.sections(lead) + bk.sections(result_text(app, result))
    return {"text": bk.fallback_text(result.why), "blocks": bk.limit(blocks)}


def _nation_value(nation: str | None) -> dict[str, str]:
    return {"n": nation_key(nation)} if nation else {}


def button_nation(app: Svbot, value: dict[str, Any]) -> str | None:
    """The nation an answer's button carries (the one the answer led with), else the workspace's."""
    try:
        return parse_nation(value.get("n") if isinstance(value.get("n"), str) else None) or app.nation
    except ValueError:
        return app.nation


def chosen_entry_message(
    app: Svbot, snap: Snapshot, entry: Entry, question_id: int | None, *, share: bool, nation: str | None = None
) -> dict[str, Any]:
    """The answer for a topic picked from "did you mean", for ``nation`` (default: the workspace's)."""
    chosen = replace(Answer.for_entry(entry), nation=nation or app.nation)
    return answer_message(app, snap, chosen, question_id, share=share)
