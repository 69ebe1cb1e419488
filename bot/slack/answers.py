"""Answer messages: the short answer, sources, related topics and buttons."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core import Snapshot, Svbot
from bot.knowledge.schema import Entry
from bot.matching.matcher import Answer
from bot.nations import nation_view
from bot.slack import blocks as bk


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


def answer_message(
    app: Svbot,
    snap: Snapshot,
    answer: Answer,
    question_id: int | None,
    *,
    share: bool = False,
    full: bool = False,
) -> dict[str, Any]:
    """``text`` and ``blocks`` for an answer (or an honest "not sure"), from the snapshot that answered."""
    r = app.renderer
    labels = r.strings("slack/labels.txt.j2")
    entry = answer.entry
    view = nation_view(snap.kb, entry, answer.nation) if entry else None
    lead = r.render("slack/answer_lead.slack.j2", answer=answer, entry=entry, view=view)
    out = bk.sections(lead) if lead else []
    if entry is not None:
        out += entry_blocks(app, snap, entry, full=full, nation=answer.nation)
        value = {"e": entry.id, "q": question_id}
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
                    bk.button(m.entry.title, f"did_you_mean_{i}", {"e": m.entry.id, "q": question_id, "s": share})
                    for i, m in enumerate(alternatives)
                ],
                block_id="did_you_mean",
            )
        )
    return {"text": bk.fallback_text(text), "blocks": bk.limit(out)}


def chosen_entry_message(
    app: Svbot, snap: Snapshot, entry: Entry, question_id: int | None, *, share: bool
) -> dict[str, Any]:
    """The answer for a topic picked from "did you mean"."""
    return answer_message(app, snap, replace(Answer.for_entry(entry), nation=app.nation), question_id, share=share)
