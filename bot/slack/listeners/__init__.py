"""Listeners, one module per Slack surface."""

from __future__ import annotations

from slack_bolt import App

from bot.core import Svbot
from bot.slack.listeners import actions, commands, events, views


def register_all(app: App, core: Svbot) -> None:
    commands.register(app, core)
    events.register(app, core)
    actions.register(app, core)
    views.register(app, core)
