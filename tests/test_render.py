"""Rendering: Slack templates escape every value, text templates drop control characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from bot.checklist.details import ChecklistDetails
from bot.core import Svbot
from bot.render import Renderer, plain, shorten_apart, slack_escape

HOSTILE = "<!channel> & <@U1> <https://evil.example|click>"


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    (tmp_path / "note.slack.j2").write_text(
        "*{{ title }}* by <@{{ user }}>{% if extra %} ({{ extra }}){% endif %}\n", encoding="utf-8"
    )
    (tmp_path / "note.txt.j2").write_text("{{ title }} | {{ body | shorten(12) }}|{{ missing_ok }}\n", encoding="utf-8")
    (tmp_path / "labels.txt.j2").write_text('{% set share = "Share to channel" %}\n', encoding="utf-8")
    return Renderer(tmp_path)


def test_slack_escape() -> None:
    assert slack_escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_slack_escape_escapes_entities_again() -> None:
    # Already-escaped text is escaped again: values are user text, never markup.
    assert slack_escape("&lt;") == "&amp;lt;"


def test_slack_escape_drops_control_characters() -> None:
    assert slack_escape("a\x00b\u202ec\x1bd") == "abcd"


def test_slack_escape_accepts_any_value() -> None:
    assert slack_escape(True) == "True"
    assert slack_escape(12) == "12"
    assert slack_escape(None) == "None"


def test_slack_template_escapes_values_not_markup(renderer: Renderer) -> None:
    out = renderer.render("note.slack.j2", title=HOSTILE, user="U0ABC", extra=None)
    assert out == "*&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://evil.example|click&gt;* by <@U0ABC>"


def test_slack_template_renders_none_as_empty(renderer: Renderer) -> None:
    assert renderer.render("note.slack.j2", title=None, user="U1", extra="a>b") == "** by <@U1> (a&gt;b)"


def test_plain_template_strips_control_characters(renderer: Renderer) -> None:
    title = "Home care\x1b[2J\x07 \u202eevil\u202c\u200b done"
    out = renderer.render("note.txt.j2", title=title, body="short", missing_ok=None)
    assert out == "Home care[2J evil done | short|"
    assert not any(c in out for c in "\x1b\x07\u202e\u202c\u200b")


def test_plain_template_keeps_slack_characters(renderer: Renderer) -> None:
    out = renderer.render("note.txt.j2", title="a < b & c", body="x", missing_ok="")
    assert out.startswith("a < b & c |")


def test_shorten_filter(renderer: Renderer) -> None:
    out = renderer.render("note.txt.j2", title="t", body="a long body of text here", missing_ok="")
    assert out == "t | a long body…|"


def test_undefined_values_are_errors(renderer: Renderer) -> None:
    with pytest.raises(UndefinedError, match="'body' is undefined"):
        renderer.render("note.txt.j2", title="t", missing_ok="")


def test_strings(renderer: Renderer) -> None:
    assert renderer.strings("labels.txt.j2").share == "Share to channel"


def test_plain() -> None:
    assert plain("ok\ttab\nnew line\x7f\x9b") == "ok\ttab\nnew line"


def test_shipped_templates_strip_control_characters_from_user_text(shared_app: Svbot) -> None:
    checklist_id = shared_app.checklists.new(ChecklistDetails("Home care\x1b]0;pwned\x07"), "alice\u202e")
    record = shared_app.checklists.record(checklist_id)
    out = shared_app.renderer.render("checklist/show.txt.j2", record=record)
    assert out.startswith(f"Home care]0;pwned  [{checklist_id}]")
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_shorten_apart_cuts_at_a_word_and_never_makes_two_values_alike() -> None:
    shared = "word " * 6
    values = [f"{shared}services contracts", f"{shared}works contracts", "short", "a b c d e f g h"]
    assert shorten_apart(values, 12) == [f"{shared}services…", f"{shared}works…", "short", "a b c d e f…"]
    assert shorten_apart(["word word word word", "word word word word more"], 8) == [
        "word word word word",  # the whole of it is how the other begins
        "word word word word more",
    ]
    assert shorten_apart([], 10) == []
