from __future__ import annotations

import shutil

import pytest
from fake_slack import FakeSlack
from harness import Harness

from bot.paths import KNOWLEDGE_DIR


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


@pytest.fixture
def slack(tmp_path, fake):
    harness = Harness(tmp_path, fake)
    yield harness
    harness.close()


@pytest.fixture
def editable(tmp_path, fake):
    """A harness on a copy of the shipped knowledge the test may edit, and that folder."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    harness = Harness(tmp_path, fake, knowledge_dir=folder)
    yield harness, folder
    harness.close()
