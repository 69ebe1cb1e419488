"""Block Kit helpers: text kept within Slack's limits without half words or figures."""

from __future__ import annotations

from bot.slack import blocks as bk


def test_cut_ends_at_a_space_so_no_figure_is_left_half_shown() -> None:
    text = "Read two ways (£1,200,000 or £12,000,000): write 1.2m"
    shown = bk.cut(text, 40)
    assert len(shown) <= 40 and shown.endswith("…")
    assert shown == "Read two ways (£1,200,000 or…"


def test_cut_leaves_short_text_alone_and_cuts_one_long_word_where_it_must() -> None:
    assert bk.cut("short", 10) == "short"
    assert bk.cut("x" * 30, 10) == "x" * 9 + "…"


def test_cut_never_leaves_half_an_entity() -> None:
    assert bk.cut("aaaaaaaaa &amp; b", 13) == "aaaaaaaaa…"
