"""Purging old question text: the cut-off is in days, and nothing newer is touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.store import Store


def days_ago(days: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="microseconds")


def test_purge_cut_off_is_counted_in_days(tmp_path: Path) -> None:
    store = Store(tmp_path / "svbot.db")
    ages = {"an hour old": 1 / 24, "two days old": 2, "six days old": 6, "eight days old": 8, "a year old": 365}
    for text, age in ages.items():
        question_id = store.log_question(text, answered=False, best_id=None, best_score=None, source="cli")
        store.db.execute("update questions set asked_at = ? where id = ?", [days_ago(age), question_id])
        store.add_feedback("legal.scope-services", False, "U1", text)
        store.db.execute("update feedback set at = ? where question = ?", [days_ago(age), text])
    assert store.purge_questions(7) == 4, "two questions and their two feedback comments"
    kept = [r[0] for r in store.db.execute("select text from questions order by id")]
    assert kept == ["an hour old", "two days old", "six days old", None, None]
    comments = [r[0] for r in store.db.execute("select question from feedback order by id")]
    assert comments == ["an hour old", "two days old", "six days old", None, None]
