"""Everyday mistakes (a bad path, a mistyped setting, an unreachable Slack) in one clear line.

The wording lives in ``prompts/problems.txt.j2``; code raises ``Problem`` with a
code and the details, and the front end (CLI, chat) shows it instead of a traceback.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.render import Renderer

PROBLEM = 1
USAGE = 2


@cache
def _renderer() -> Renderer:
    from bot.render import Renderer

    return Renderer()


def describe(code: str, **details: Any) -> str:
    """The one-line message for a problem code (what is wrong and what to do)."""
    return _renderer().render("problems.txt.j2", code=code, **details)


class Problem(Exception):
    """A user's or admin's mistake: ``str(exc)`` says what is wrong; ``status`` is the exit status."""

    def __init__(self, code: str, *, status: int = PROBLEM, **details: Any):
        self.code = code
        self.status = status
        self.details = details
        super().__init__(describe(code, **details))
