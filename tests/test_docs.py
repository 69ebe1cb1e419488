"""The README documents every command and setting; the Slack manifest matches the app."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml

from bot.cli import cli
from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "svbot") -> list[str]:
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        out.extend(_commands(command, path) if isinstance(command, click.Group) else [path])
    return out


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands(cli) if c not in README]
    assert not missing, f"document these in README.md: {missing}"


def _leaves(group: click.Group, prefix: str = "svbot") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        out.extend(_leaves(command, path) if isinstance(command, click.Group) else [(path, command)])
    return out


def test_the_command_reference_gives_every_command_exactly_its_options():
    """README's Command reference: each command's usage names every option it takes, and no other."""
    section = README.partition("\n## Command reference\n")[2].partition("\n## ")[0]
    assert section, "README.md needs its '## Command reference' section"
    usages = re.findall(r"`(svbot [^`]+)`", section)
    for path, command in _leaves(cli):
        spans = [u for u in usages if u == path or u.startswith(f"{path} ")]
        assert spans, f"{path} is missing from README's Command reference"
        named = {o for u in spans for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])(?![\w-])", u)}
        options = [set(p.opts) for p in command.params if isinstance(p, click.Option) and not p.hidden]
        undocumented = [sorted(o) for o in options if not o & named]
        assert not undocumented, f"README's Command reference: {path} does not name {undocumented}"
        unknown = named - set().union(*options)
        assert not unknown, f"README's Command reference: {path} has no option {sorted(unknown)}"


class _Recording(dict):
    """An empty environment that notes every variable looked up in it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def test_every_environment_variable_is_in_the_readme():
    env = _Recording()
    Settings.read(env)
    names = env.asked
    assert len(names) >= 10, "Settings.read looks up no variables?"
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert not missing, f"document these in README.md's Configuration table: {missing}"


def test_readme_set_up_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    lock = "-c requirements/lock.txt"
    test_command = (
        f"python3 -m venv .venv && .venv/bin/pip install {lock} -e '.[test]' && .venv/bin/python -m pytest -n 2"
    )
    assert test_command in README and test_command in ci
    assert f"python3 -m venv .venv && .venv/bin/pip install {lock} -e . && .venv/bin/svbot chat" in README


def test_the_lock_pins_every_dependency_the_project_names():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pinned = {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    }
    names = {re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in named}
    assert names - pinned == set(), "refresh requirements/lock.txt (see README, Locked versions)"


def test_manifest_declares_every_surface_the_app_listens_to():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/socialvalue"]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "im:history", "files:write"} <= scopes
    assert {"channels:join", "users:read", "im:write"} <= scopes, "the record's names, its channel, DMs"
    assert not scopes & {"channels:history", "groups:history", "users:read.email", "admin"}, "least privilege"
    for scope in scopes:
        assert f"| `{scope}` |" in README, f"README says why svbot needs {scope}"
    shortcuts = {(s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {("global", "new_checklist"), ("message", "ask_about_message")}


def test_procfile_runs_serve_on_port():
    procfile = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert "PORT" in procfile["web"] and "svbot serve" in procfile["web"]
    assert "SLACK_APP_TOKEN" in procfile["socket"]
