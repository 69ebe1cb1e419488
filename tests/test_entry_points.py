"""Every way of starting svbot offers the same commands: the console script, ``python -m bot``
and ``python -m bot.cli`` (a fresh process each, as a user runs them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from bot.cli import cli

SCRIPT = Path(sys.executable).with_name("svbot")
ENTRY_POINTS = {
    "svbot": [str(SCRIPT)],
    "python -m bot": [sys.executable, "-m", "bot"],
    "python -m bot.cli": [sys.executable, "-m", "bot.cli"],
}
GROUPS = [()] + [(name,) for name, command in cli.commands.items() if isinstance(command, click.Group)]


def _help(command: list[str], group: tuple[str, ...], folder: Path) -> str:
    done = subprocess.run(
        [*command, *group, "--help"], cwd=folder, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _listed(help_text: str) -> set[str]:
    """The command names under "Commands:" in click's help."""
    commands = help_text.partition("\nCommands:\n")[2]
    return {line.split()[0] for line in commands.splitlines() if line.startswith("  ") and line.split()}


@pytest.mark.skipif(not SCRIPT.exists(), reason="the svbot console script is not installed next to this Python")
@pytest.mark.parametrize("group", GROUPS, ids=lambda g: " ".join(g) or "svbot")
def test_every_entry_point_offers_the_same_commands(env, group: tuple[str, ...]) -> None:
    helps = {name: _help(command, group, env.folder) for name, command in ENTRY_POINTS.items()}
    registered = cli.commands if not group else cli.commands[group[0]].commands  # type: ignore[attr-defined]
    for name, text in helps.items():
        assert _listed(text) == set(registered), f"{name} {' '.join(group)} lists other commands"
    # The same help word for word, naming itself svbot, whichever way it was started.
    assert helps["python -m bot"] == helps["svbot"] == helps["python -m bot.cli"]
    assert helps["svbot"].startswith(f"Usage: svbot {' '.join(group)}".rstrip() + " [OPTIONS]")
