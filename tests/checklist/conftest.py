"""Fixtures shared by the checklist tests."""

from __future__ import annotations

import pytest

from bot.checklist.service import ChecklistService
from bot.core import Svbot


@pytest.fixture
def service(app: Svbot) -> ChecklistService:
    return app.checklists
