"""Listeners, one module per Slack surface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.core import Svbot
from bot.slack.listeners import actions, commands, events, views


def register_all(app: App, core: Svbot, later: Callable[..., Any]) -> None:
    """Register every surface; ``later(fn, *args)`` runs work after the ack."""
    commands.register(app, core, later)
    events.register(app, core, later)
    actions.register(app, core, later)
    views.register(app, core, later)
