"""BLACKLIST_HOLIDAYS_FILE: the operator gives the State Council's notice for a year the chinese_calendar
package does not cover yet, and deadlines running into that year stop being provisional (D2)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import chinese_calendar
import pytest

from blacklist_service import create_app, holidays
from sanctions.calendar import is_working_day, set_notices, working_days_deadline
from tests.support import app_settings

D = dt.date
# Made-up days for a year no release will cover (see tests/sanctions/test_calendar.py).
NOTICE = {
    "2099": {"days_off": ["2099-01-01", "2099-01-02", "2099-01-05", "2099-01-06"], "make_up_days": ["2099-01-10"]}
}


@pytest.fixture(autouse=True)
def no_notices_afterwards() -> Iterator[None]:
    yield
    set_notices([])


def _settings(tmp_path: Path) -> dict[str, object]:
    return app_settings(f"sqlite:///{tmp_path / 'holidays.sqlite3'}")  # never opened: only start-up is tested


def _app(tmp_path: Path, content: object | None):
    settings = _settings(tmp_path)
    if content is not None:
        path = tmp_path / "holidays.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        settings["HOLIDAYS_FILE"] = str(path)
    return create_app(settings)


def test_the_configured_notice_counts_its_holidays_and_makes_deadlines_definite(tmp_path):
    _app(tmp_path, NOTICE)
    deadline = working_days_deadline(D(2098, 12, 31), 3)  # weekends only: 2099-01-05, provisional
    assert (deadline.due, deadline.calendar_known) == (D(2099, 1, 9), True)
    assert is_working_day(D(2099, 1, 10)) == (True, True)


def test_an_app_without_the_setting_leaves_the_year_unknown(tmp_path):
    _app(tmp_path, NOTICE)
    _app(tmp_path, None)
    assert working_days_deadline(D(2098, 12, 31), 3).calendar_known is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Expecting property name"),
        ([], "expected an object keyed by year"),
        ({"99": NOTICE["2099"]}, "'99' is not a year"),
        ({"2099": {"days_off": []}}, "expected exactly"),
        ({"2099": {"days_off": "2099-01-01", "make_up_days": []}}, "expected lists of dates"),
        ({"2099": {"days_off": ["2099-13-01"], "make_up_days": []}}, "month must be in 1..12"),
        ({"2099": {"days_off": [], "make_up_days": ["2099-01-09"]}}, "but it is a weekday"),
        ({"2025": {"days_off": [], "make_up_days": []}}, "already has the 2025 notice"),
    ],
)
def test_a_faulty_file_stops_the_service_from_starting(tmp_path, content, message):
    with pytest.raises(RuntimeError, match=message) as refused:
        _app(tmp_path, content)
    assert "BLACKLIST_HOLIDAYS_FILE" in str(refused.value)
    assert is_working_day(D(2099, 1, 1)) == (True, False)


def test_a_missing_file_stops_the_service_from_starting(tmp_path):
    settings = _settings(tmp_path) | {"HOLIDAYS_FILE": str(tmp_path / "none.json")}
    with pytest.raises(RuntimeError, match="No such file"):
        create_app(settings)


def test_the_source_of_each_year_is_named_for_the_record(tmp_path):
    """``flask deadlines recount`` records which calendar a deadline was counted on again."""
    _app(tmp_path, NOTICE)
    assert holidays.source(2025) == f"chinese_calendar {chinese_calendar.__version__}"
    assert holidays.source(2099) == "BLACKLIST_HOLIDAYS_FILE"
    assert holidays.source(2098) == "weekends only"
