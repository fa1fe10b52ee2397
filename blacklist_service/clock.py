"""One clock (D1): legal dates come from facts; "today" comes only from here, and tests can fix it."""

from __future__ import annotations

import datetime as dt

from flask import current_app


def today() -> dt.date:
    """The service's today: ``BLACKLIST_TODAY`` when set (demos, tests), else the server's local date."""
    fixed = current_app.config.get("TODAY")
    if fixed:
        return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(str(fixed))
    return dt.date.today()
