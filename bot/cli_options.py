"""What every ``svbot`` command shares: --json, --by, building the app, checklist errors as exit 1.

Kept apart from ``cli.py`` so commands in modules of their own can use them
without importing the command group (which imports those modules).
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from bot.problems import PROBLEM

if TYPE_CHECKING:
    from bot.core import Svbot


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Every subcommand takes --json for machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")(func)


def by_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--by", "by", default=None, help="Who is acting (default: your login name).")(func)


def _user(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local-user"


def _app(knowledge: bool = True) -> Svbot:
    """Build the application, turning knowledge errors into a clear message.

    ``knowledge=False`` for commands that only touch the database (backup, purge):
    they must work even while the knowledge folder has errors.
    """
    from bot.core import Svbot
    from bot.knowledge.loader import KnowledgeError

    try:
        return Svbot(load_knowledge=knowledge)
    except KnowledgeError as exc:
        click.echo(f"svbot: cannot start: {exc}\nRun `svbot kb check` for the full list.", err=True)
        sys.exit(PROBLEM)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Checklist errors are problems (exit 1; input typed wrongly, such as a bad date, 2) with a plain
    message, not tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from bot.checklist.service import ChecklistError

        try:
            return func(*args, **kwargs)
        except ChecklistError as exc:
            if kwargs.get("as_json"):
                _emit_json({"error": str(exc)})
            else:
                click.echo(f"svbot: {exc}", err=True)
            sys.exit(exc.status)

    return wrapper
