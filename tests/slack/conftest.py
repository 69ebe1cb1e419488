from __future__ import annotations

import pytest
from fake_slack import FakeSlack
from harness import Harness


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


@pytest.fixture
def slack(tmp_path, fake):
    harness = Harness(tmp_path, fake)
    yield harness
    harness.close()
