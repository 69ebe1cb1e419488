"""Listeners, one module per Slack surface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.core import Svbot
from bot.slack.listeners import actions, ask_about, commands, events, new_checklist, scope, views


def register_all(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any] | None = None) -> None:
    """Register every surface; ``later(fn, *args)`` runs work after the ack.

    ``soon(fn, *args)`` runs work that opens a view, on a pool nothing slow shares.
    """
    soon = soon or later
    commands.register(app, core, later, soon)
    events.register(app, core, later)
    actions.register(app, core, later, soon)
    new_checklist.register(app, core, later, soon)
    ask_about.register(app, core, later)
    views.register(app, core, later)
    scope.register(app, core, later, soon)
