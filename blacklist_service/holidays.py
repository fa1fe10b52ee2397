"""The operator's copy of State Council holiday notices that ``chinese_calendar`` does not carry yet (D2).

The notice for a year appears in the November before it; until the package is released with it, deadlines
running into that year are provisional. ``BLACKLIST_HOLIDAYS_FILE`` closes that gap: a JSON file such as

    {"2027": {"days_off": ["2027-01-01", "2027-02-05", …], "make_up_days": ["2027-02-07", …]}}

read once at start-up. A faulty file stops the service from starting rather than miscount a deadline.
Deadlines stored as provisional before the file (or a package release) covered their year are counted again
by ``flask deadlines recount`` (``services.deadlines``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import chinese_calendar
from flask import Flask

from sanctions.calendar import YearNotice, is_working_day, package_covers, set_notices

FIELDS = {"days_off", "make_up_days"}


def install(app: Flask) -> None:
    """Give the deadline calendar the configured notices (none when the setting is unset)."""
    path = app.config.get("HOLIDAYS_FILE")
    try:
        set_notices(read_notices(Path(path)) if path else [])
    except (OSError, ValueError) as error:
        raise RuntimeError(f"BLACKLIST_HOLIDAYS_FILE ({path}): {error}") from error


def source(year: int) -> str:
    """Where the official calendar of ``year`` comes from, for the record of a deadline counted on it."""
    if package_covers(year):
        return f"chinese_calendar {chinese_calendar.__version__}"
    return "BLACKLIST_HOLIDAYS_FILE" if is_working_day(dt.date(year, 1, 1))[1] else "weekends only"


def read_notices(path: Path) -> list[YearNotice]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("expected an object keyed by year")
    return [_notice(year, entry) for year, entry in data.items()]


def _notice(year: str, entry: Any) -> YearNotice:
    if not year.isdigit() or len(year) != 4:
        raise ValueError(f"{year!r} is not a year")
    if not isinstance(entry, dict) or set(entry) != FIELDS:
        raise ValueError(f"{year}: expected exactly {sorted(FIELDS)}")
    return YearNotice(
        int(year), frozenset(_dates(year, entry["days_off"])), frozenset(_dates(year, entry["make_up_days"]))
    )


def _dates(year: str, values: Any) -> list[dt.date]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{year}: expected lists of dates (YYYY-MM-DD)")
    return [dt.date.fromisoformat(v) for v in values]
