"""Settings: each one checked in one place, the same way for every command; the Slack app carries on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.nations import NATIONS
from bot.problems import USAGE, Problem
from bot.scope import BODIES
from bot.store import Store

# A malformed value of each setting, and what the one line must say about it.
MALFORMED = {
    "SVBOT_BODY": ("parish council", f"SVBOT_BODY must be one of {', '.join(BODIES)}, not 'parish council'"),
    "SVBOT_NATION": ("france", f"SVBOT_NATION must be one of {', '.join(NATIONS)}, not 'france'"),
    "SVBOT_WATCH_KNOWLEDGE": ("maybe", "SVBOT_WATCH_KNOWLEDGE must be on or off (1, true, yes or on; 0, false"),
    "SVBOT_ADMINS": ("U012AB3CD, @alice", "SVBOT_ADMINS must be Slack member ids separated by commas"),
    "SVBOT_REMINDER_HOUR": ("7am", "SVBOT_REMINDER_HOUR must be a whole number, not '7am'; set it to e.g. 7"),
    "SVBOT_QUESTION_RETENTION_DAYS": ("0", "SVBOT_QUESTION_RETENTION_DAYS must be between 1 and 36500, not 0"),
    "PORT": ("3000x", "PORT must be a whole number, not '3000x'"),
    "SVBOT_KNOWLEDGE": ("/no/such/knowledge", "SVBOT_KNOWLEDGE must be a folder, and '/no/such/knowledge' is not one"),
}
DEFAULTS = Settings()


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


@pytest.mark.parametrize("name", MALFORMED)
@pytest.mark.parametrize(
    "command",
    [
        ("checklist", "new", "--title", "Meals", "--json"),
        ("ask", "living wage", "--json"),
        ("scope", "--type", "services", "--value", "250000"),
        ("chat",),
        ("kb", "check"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_refuses_a_malformed_setting_in_one_line(
    run, env, monkeypatch: pytest.MonkeyPatch, name: str, command: tuple[str, ...]
) -> None:
    value, message = MALFORMED[name]
    monkeypatch.setenv(name, value)
    result = run(*command, input="living wage\n")
    assert result.exit_code == USAGE
    assert _one_line(result.stderr).startswith(f"svbot: {message}")
    assert result.stdout == "", "nothing answered or started on a setting that was not read"
    assert Store(env.db).db["checklists"].count == 0


def test_a_good_value_is_read_however_it_is_written() -> None:
    settings, problems = Settings.read(
        {
            "SVBOT_NATION": " Northern Ireland ",
            "SVBOT_BODY": "Sub-Central",
            "SVBOT_WATCH_KNOWLEDGE": "Off",
            "SVBOT_ADMINS": "U012AB3CD, W0XY9Z ,",
            "SVBOT_REMINDER_HOUR": "7",
            "PORT": "8080",
            "SVBOT_DB": "records/svbot.db",
        }
    )
    assert problems == []
    assert (settings.nation, settings.body, settings.watch_knowledge) == ("northern-ireland", "sub-central", False)
    assert settings.admins == {"U012AB3CD", "W0XY9Z"}
    assert (settings.reminder_hour, settings.port, settings.db_path) == (7, 8080, Path("records/svbot.db"))
    for word, on in (("1", True), ("yes", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)):
        assert Settings.read({"SVBOT_WATCH_KNOWLEDGE": word})[0].watch_knowledge is on


def test_read_gives_each_malformed_setting_its_default_and_a_problem() -> None:
    settings, problems = Settings.read({name: value for name, (value, _) in MALFORMED.items()})
    assert settings == DEFAULTS
    said = {str(p).split(" must ")[0]: str(p) for p in problems}
    assert sorted(said) == sorted(MALFORMED), "one problem for each, none twice"
    assert all(p.status == USAGE for p in problems)
    for name, (_, message) in MALFORMED.items():
        assert said[name].startswith(message)


def test_from_env_raises_the_first_malformed_setting() -> None:
    env = {"SVBOT_BODY": "parish", "PORT": "x"}
    with pytest.raises(Problem) as raised:
        Settings.from_env(env)
    assert raised.value.status == USAGE
    assert str(raised.value) == str(Settings.read(env)[1][0])
    assert str(raised.value).startswith("PORT must be a whole number, not 'x'; set it to e.g. 3000")
    assert Settings.from_env({}) == DEFAULTS


def test_checklist_new_records_the_configured_nation_however_it_is_written(run, env, monkeypatch) -> None:
    monkeypatch.setenv("SVBOT_NATION", "Northern Ireland")
    monkeypatch.setenv("SVBOT_BODY", "NI-Council")
    result = run("checklist", "new", "--title", "Belfast leisure")
    assert result.exit_code == 0, result.stderr
    assert "Nation and body type: Northern Ireland, Northern Ireland district council" in result.stdout
