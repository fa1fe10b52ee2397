"""Helpers shared by views: the date a read is made "as of" (D1)."""

from __future__ import annotations

import datetime as dt

from flask import g

from blacklist_service import clock


def view_date() -> dt.date:
    """The ``as_of`` date of the current read, else today."""
    return g.get("as_of") or clock.today()


def set_view_date(as_of: dt.date | None) -> dt.date:
    g.as_of = as_of or clock.today()
    return g.as_of
