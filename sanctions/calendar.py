"""Counting legal deadlines (rulebook §6.3, decisions D2).

- The start day is not counted.
- Month and year periods end on the same-numbered day (or the month's last day) and are not moved for holidays.
- Calendar-day periods end start + N; a last day that is not a working day moves to the next working day.
- Working-day periods count Monday–Friday outside public holidays, plus make-up working days (调休).

Holidays and make-up working days come from the maintained ``chinese_calendar`` package (State Council
notices). The State Council publishes a year's notice in the November before it, and the package follows
some weeks later: for a year it does not cover yet, the operator may give the notice itself
(:func:`set_notices`, from ``BLACKLIST_HOLIDAYS_FILE``). For years neither covers, weekends alone are
counted and the result says so (D2).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
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


@dataclass(frozen=True)
class YearNotice:
    """A State Council notice on one year's public holidays (国务院办公厅关于…年部分节假日安排的通知): the
    days off, and the weekend days made working days (调休)."""

    year: int
    days_off: frozenset[dt.date]
    make_up_days: frozenset[dt.date]

    def __post_init__(self) -> None:
        outside = sorted(d for d in self.days_off | self.make_up_days if d.year != self.year)
        if outside:
            raise ValueError(f"the {self.year} notice names {outside[0]}, a day of another year")
        both = sorted(self.days_off & self.make_up_days)
        if both:
            raise ValueError(f"the {self.year} notice names {both[0]} both a day off and a make-up working day")
        weekday = sorted(d for d in self.make_up_days if d.weekday() < 5)
        if weekday:
            raise ValueError(f"the {self.year} notice makes {weekday[0]} a make-up working day, but it is a weekday")

    def is_working_day(self, day: dt.date) -> bool:
        return day in self.make_up_days or (day.weekday() < 5 and day not in self.days_off)


_notices: dict[int, YearNotice] = {}


def package_covers(year: int) -> bool:
    """Whether the installed ``chinese_calendar`` holds the State Council's notice for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def set_notices(notices: Iterable[YearNotice]) -> None:
    """Use these notices for years the package does not cover (replacing any set before). A year the package
    covers is refused: two sources for one year could disagree, and the maintained one wins once it has it."""
    by_year: dict[int, YearNotice] = {}
    for notice in notices:
        if notice.year in by_year:
            raise ValueError(f"two notices for {notice.year}")
        if package_covers(notice.year):
            raise ValueError(
                f"chinese_calendar {chinese_calendar.__version__} already has the {notice.year} notice: remove it"
            )
        by_year[notice.year] = notice
    _notices.clear()
    _notices.update(by_year)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """Return (is a working day, the official calendar covers this date)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        notice = _notices.get(day.year)
        if notice is not None:
            return notice.is_working_day(day), True
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
