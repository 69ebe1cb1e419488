"""The Markdown decision record: summary, guidance titles, and user text kept inert."""

from __future__ import annotations

import re

from samples import GOOD

from bot.checklist.details import ChecklistDetails
from bot.core import Svbot


def test_markdown_record_has_a_summary_and_guidance_titles(app: Svbot) -> None:
    checklist_id = app.checklists.new(ChecklistDetails("Meals on wheels 2027"), "alice")
    for step, (decision, reasons) in GOOD.items():
        assert app.checklists.answer(checklist_id, step, decision, reasons, "alice").accepted
    text = app.checklists.export(checklist_id, "md")
    summary = text.split("## Summary", 1)[1].split("## 1.", 1)[0]
    for step in app.checklists.steps:
        assert step.title in summary
    assert "*open*" not in summary
    title = app.knowledge.kb.get("legal.scope-services").title
    assert f"- {title} (legal.scope-services): " in text, "each cited entry, in the words every record uses"


def test_markdown_record_neutralises_html_and_table_breaks(app: Svbot) -> None:
    checklist_id = app.checklists.new(ChecklistDetails("<script>alert(1)</script> | cleaning"), "mallory|x")
    hostile = GOOD["scope"][1] + " <img src=x onerror=alert(1)> | pipe"
    assert app.checklists.answer(checklist_id, "scope", "applies", hostile, "mallory|x").accepted
    text = app.checklists.export(checklist_id, "md")
    assert not re.search(r"(?<!\\)<", text), "every < from user text is escaped"
    assert "\\<img src=x onerror=alert(1)> \\| pipe" in text
    history_row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert history_row.count(" | ") == 5, "a | in user text must not add table columns"
