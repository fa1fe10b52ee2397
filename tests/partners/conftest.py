"""Fixtures shared by the partner tests."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def builds(monkeypatch):
    """The days for which an index was built from the database, in order."""
    from blacklist_service.services import screening

    days: list[dt.date] = []
    entries_in_force = screening._entries_in_force

    def counted(on: dt.date):
        days.append(on)
        return entries_in_force(on)

    monkeypatch.setattr(screening, "_entries_in_force", counted)
    return days
