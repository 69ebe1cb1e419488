"""Properties that must hold for any input at all."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.checklist.checker import PROBLEMS, ReasonsChecker
from bot.matching.matcher import Matcher
from bot.matching.normalise import clean
from bot.render import slack_escape

MODEST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like what people paste into Slack: words, markup, emoji, odd Unicode.
SLACK_BITS = st.sampled_from(
    [
        "<@U123>",
        "<#C1|general>",
        "<https://x.example|label>",
        "<!channel>",
        ":wave:",
        "&amp;",
        "&lt;",
        "social value",
        "threshhold",
        "£1.2m",
        "s.1(3)",
        "\u200b",
        "\u202e",
        "ﬁ",
        "é",
        "?",
        "\n",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(SLACK_BITS, st.text(max_size=12)), max_size=40).map(" ".join),
)


@given(TEXT)
@settings(max_examples=100, deadline=None)
def test_clean_is_lowercase_words(text: str) -> None:
    out = clean(text)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", out), out
    assert clean(out) == out


@given(question=TEXT, top=st.integers(min_value=-2, max_value=12))
@MODEST
def test_matcher_never_raises(matcher: Matcher, question: str, top: int) -> None:
    answer = matcher.ask(question, top=top)
    scores = [m.score for m in answer.matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(scores) <= max(top, 1)
    assert not answer.ambiguous or answer.answered


@given(
    step=st.sampled_from(["scope", "outcomes", "process", "decision", "no-such-step"]),
    decision=st.sampled_from(["applies", "none-relevant", "proceed-without", "bogus"]),
    reasons=st.one_of(TEXT, st.none()),
)
@MODEST
def test_checker_never_raises(checker: ReasonsChecker, step: str, decision: str, reasons: str | None) -> None:
    verdict = checker.check(step, decision, reasons)
    assert set(verdict.problems) <= set(PROBLEMS)
    assert verdict.accepted == (verdict.problems == [])
    assert len(verdict.problems) <= 1
    assert verdict.accepted or verdict.question


@given(st.text(max_size=300))
@settings(max_examples=100, deadline=None)
def test_slack_escape_leaves_no_markup(text: str) -> None:
    out = slack_escape(text)
    assert "<" not in out and ">" not in out
    assert re.search(r"&(?!amp;|lt;|gt;)", out) is None
    # Unescaping gives back the text minus control characters.
    unescaped = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert len(unescaped) <= len(text)
