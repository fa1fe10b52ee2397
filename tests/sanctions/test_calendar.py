"""Deadline counting (rulebook §6.3, D2), pinned on real dates of the State Council holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from sanctions.calendar import (
    DeadlineBasis,
    add_months,
    calendar_days_deadline,
    is_working_day,
    working_days_deadline,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 8), False),  # National Day + Mid-Autumn 2025 run to 10-08
        (D(2025, 9, 28), True),  # Sunday, make-up working day (调休)
        (D(2025, 10, 11), True),  # Saturday, make-up working day
        (D(2025, 10, 12), False),  # ordinary Sunday
        (D(2026, 2, 14), True),  # Saturday, make-up working day before Spring Festival 2026
        (D(2026, 11, 20), True),  # ordinary Friday
    ],
)
def test_working_days_come_from_the_official_calendar(day, working):
    assert is_working_day(day) == (working, True)


def test_years_beyond_the_data_count_weekends_only_and_say_so():
    assert is_working_day(D(2099, 1, 1)) == (True, False)  # a Thursday: unknown holidays
    assert is_working_day(D(2099, 1, 3)) == (False, False)  # a Saturday


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2025, 9, 29), D(2025, 10, 10)),  # Mon: 09-30, [holiday 10-01..08], 10-09, 10-10
        (D(2025, 9, 26), D(2025, 9, 30)),  # Fri: Sun 09-28 is a make-up working day, 09-29, 09-30
        (D(2025, 9, 30), D(2025, 10, 11)),  # 10-09, 10-10, Sat 10-11 make-up working day
        (D(2026, 11, 18), D(2026, 11, 23)),  # Wed: Thu, Fri, Mon
        (D(2026, 11, 21), D(2026, 11, 25)),  # Saturday start: the start day is not counted
    ],
)
def test_three_working_days(start, due):
    deadline = working_days_deadline(start, 3)
    assert deadline.due == due
    assert deadline.basis is DeadlineBasis.WORKING
    assert deadline.calendar_known
    assert not deadline.is_overdue(due)
    assert deadline.is_overdue(due + dt.timedelta(days=1))


def test_working_days_beyond_the_data_are_marked_unknown():
    deadline = working_days_deadline(D(2098, 12, 31), 3)  # Wed → Thu 1 Jan, Fri, Mon
    assert deadline.due == D(2099, 1, 5)
    assert not deadline.calendar_known


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2025, 9, 16), 15, D(2025, 10, 9)),  # ends 10-01, a holiday: next working day 10-09
        (D(2025, 9, 13), 15, D(2025, 9, 28)),  # ends on make-up working Sunday 09-28: stays
        (D(2026, 11, 6), 15, D(2026, 11, 23)),  # ends Sat 11-21: next working day Mon 11-23
        (D(2026, 11, 10), 10, D(2026, 11, 20)),  # ends on a Friday
    ],
)
def test_calendar_day_periods(start, days, due):
    deadline = calendar_days_deadline(start, days)
    assert deadline.due == due
    assert deadline.basis is DeadlineBasis.CALENDAR
    assert deadline.calendar_known


def test_calendar_days_beyond_the_data_are_marked_unknown():
    assert not calendar_days_deadline(D(2099, 1, 1), 15).calendar_known


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 3, 10), 24, D(2027, 3, 10)),  # D2's own example
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # no 29 Feb: last day of the month
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_month_periods_end_on_the_same_numbered_day(start, months, end):
    assert add_months(start, months) == end
