"""Shared fixtures: a temporary database, the real app, a mutable knowledge copy, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.checklist.checker import ReasonsChecker
from bot.cli import cli
from bot.config import Settings
from bot.core import Svbot
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.matching.matcher import Matcher
from bot.paths import KNOWLEDGE_DIR

ENV_VARS = (
    "SVBOT_DB",
    "SVBOT_KNOWLEDGE",
    "SVBOT_ADMINS",
    "SVBOT_QUESTION_RETENTION_DAYS",
    "SVBOT_WATCH_KNOWLEDGE",
    "SVBOT_NATION",
    "SVBOT_BODY",
    "SVBOT_REMINDER_HOUR",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "PORT",
)


@dataclass(frozen=True)
class Env:
    """Where this test's state lives."""

    folder: Path
    db: Path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    """A clean environment: the database in a temporary folder, no Slack credentials."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "svbot.db"
    monkeypatch.setenv("SVBOT_DB", str(db))
    # Anything that falls back to the working folder lands in tmp_path, not the checkout.
    monkeypatch.chdir(tmp_path)
    return Env(tmp_path, db)


@pytest.fixture
def app(env: Env) -> Svbot:
    """The real application over the shipped knowledge and a temporary database."""
    return Svbot(Settings.from_env())


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Svbot:
    """One application (and database) for a whole module, where tests keep to their own records.

    Building the app loads and indexes the knowledge base, the slow part of most tests.
    """
    folder = tmp_path_factory.mktemp("shared")
    return Svbot(Settings(db_path=folder / "svbot.db", knowledge_dir=KNOWLEDGE_DIR))


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge folder that a test may edit."""
    return Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))


Run = Callable[..., Result]


@pytest.fixture
def run(env: Env) -> Run:
    """Invoke ``svbot`` in-process: ``run("ask", "question", "--json", input=None)``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


# The shipped knowledge base, loaded once per session (read-only) --------------------------------


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture(scope="session")
def checker(kb: KnowledgeBase) -> ReasonsChecker:
    return ReasonsChecker.for_knowledge(kb)
