"""Counting legal deadlines (rulebook §6.3, decisions D2).

- The start day is not counted.
- Month and year periods end on the same-numbered day (or the month's last day) and are not moved for holidays.
- Calendar-day periods end start + N; a last day that is not a working day moves to the next working day.
- Working-day periods count Monday–Friday outside public holidays, plus make-up working days (调休).

Holidays and make-up working days come from the maintained ``chinese_calendar`` package (State Council
notices). For years it does not cover yet, weekends alone are counted and the result says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class DeadlineBasis(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class Deadline:
    """The last day on which an act is still on time."""

    due: dt.date
    basis: DeadlineBasis
    calendar_known: bool = True

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.due


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """Return (is a working day, the official calendar covers this date)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_months(start: dt.date, months: int) -> dt.date:
    """Same-numbered day ``months`` later, or the last day of that month when it has no such day (D2)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end_months(start: dt.date, months: int) -> dt.date:
    """Last day inside a month/year period whose start day is ``start`` (not counted)."""
    return add_months(start, months)


def calendar_days_deadline(start: dt.date, days: int) -> Deadline:
    """N calendar days after ``start``; a last day off work moves to the next working day (CPL Art. 85)."""
    due = start + dt.timedelta(days=days)
    known = True
    while True:
        working, covered = is_working_day(due)
        known = known and covered
        if working:
            return Deadline(due, DeadlineBasis.CALENDAR, known)
        due += ONE_DAY


def working_days_deadline(start: dt.date, days: int) -> Deadline:
    """The ``days``-th working day after ``start`` (list rules Arts. 9–10: 3 working days)."""
    due, counted, known = start, 0, True
    while counted < days:
        due += ONE_DAY
        working, covered = is_working_day(due)
        known = known and covered
        counted += working
    return Deadline(due, DeadlineBasis.WORKING, known)
