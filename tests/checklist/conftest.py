"""Fixtures shared by the checklist tests."""

from __future__ import annotations

import pytest
from rich_records import complete_checklist, deferred_checklist, withdrawn_checklist

from bot.checklist.service import ChecklistService
from bot.core import Svbot


@pytest.fixture
def service(app: Svbot) -> ChecklistService:
    return app.checklists


@pytest.fixture(scope="module")
def ids(service: ChecklistService) -> dict[str, str]:
    """One checklist of each kind the record formats are compared on (tests/rich_records.py); the
    record tests override ``service`` with a module-scoped one on the shared app."""
    return {
        "complete": complete_checklist(service),
        "deferred": deferred_checklist(service),
        "withdrawn": withdrawn_checklist(service),
    }
