"""Deadline counting (rulebook §6.3, D2), pinned on real dates of the State Council holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from sanctions.calendar import (
    DeadlineBasis,
    YearNotice,
    add_months,
    calendar_days_deadline,
    is_working_day,
    package_covers,
    set_notices,
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


# --- A notice the package does not carry yet (D2; BLACKLIST_HOLIDAYS_FILE) ----------------------------------
# 2099 stands for "next year": no release of chinese_calendar will cover it. The days are made up for the test;
# the shape is a real notice's: a block of days off around a weekend, and a Saturday made a working day.
NOTICE_2099 = YearNotice(
    2099,
    days_off=frozenset({D(2099, 1, 1), D(2099, 1, 2), D(2099, 1, 5), D(2099, 1, 6)}),
    make_up_days=frozenset({D(2099, 1, 10)}),  # a Saturday
)


@pytest.fixture
def notice_2099():
    set_notices([NOTICE_2099])
    yield NOTICE_2099
    set_notices([])


def test_a_notice_covers_its_year_the_package_does_not(notice_2099):
    assert not package_covers(2099)
    assert is_working_day(D(2099, 1, 1)) == (False, True)  # Thursday, a day off in the notice
    assert is_working_day(D(2099, 1, 7)) == (True, True)  # an ordinary Wednesday
    assert is_working_day(D(2099, 1, 10)) == (True, True)  # Saturday, made a working day
    assert is_working_day(D(2099, 1, 11)) == (False, True)  # an ordinary Sunday
    assert is_working_day(D(2100, 1, 4)) == (True, False)  # the year after: still unknown


def test_three_working_days_across_a_notice_holiday(notice_2099):
    """From Wed 2098-12-31 (not counted): weekends alone would give Thu 1, Fri 2, Mon 5; the notice
    gives Wed 7, Thu 8, Fri 9, and the deadline is no longer provisional."""
    deadline = working_days_deadline(D(2098, 12, 31), 3)
    assert (deadline.due, deadline.calendar_known) == (D(2099, 1, 9), True)
    deadline = working_days_deadline(D(2099, 1, 8), 2)  # Fri 9, then the make-up Saturday 10
    assert (deadline.due, deadline.calendar_known) == (D(2099, 1, 10), True)


def test_a_calendar_day_period_ending_on_a_notice_holiday_moves(notice_2099):
    deadline = calendar_days_deadline(D(2098, 12, 22), 10)  # ends Thu 2099-01-01, off: Wed 7 after the block
    assert (deadline.due, deadline.calendar_known) == (D(2099, 1, 7), True)


def test_unsetting_the_notices_makes_the_year_unknown_again(notice_2099):
    set_notices([])
    assert is_working_day(D(2099, 1, 1)) == (True, False)


@pytest.mark.parametrize(
    ("days_off", "make_up_days", "message"),
    [
        ({D(2098, 12, 31)}, set(), "2098-12-31, a day of another year"),
        ({D(2099, 1, 10)}, {D(2099, 1, 10)}, "both a day off and a make-up working day"),
        (set(), {D(2099, 1, 9)}, "2099-01-09 a make-up working day, but it is a weekday"),
    ],
)
def test_a_faulty_notice_is_refused(days_off, make_up_days, message):
    with pytest.raises(ValueError, match=message):
        YearNotice(2099, frozenset(days_off), frozenset(make_up_days))


def test_a_year_the_package_covers_or_two_notices_for_one_year_are_refused():
    assert package_covers(2025)
    with pytest.raises(ValueError, match="already has the 2025 notice"):
        set_notices([YearNotice(2025, frozenset(), frozenset())])
    with pytest.raises(ValueError, match="two notices for 2099"):
        set_notices([NOTICE_2099, NOTICE_2099])
    assert is_working_day(D(2099, 1, 1)) == (True, False)  # a refused set changes nothing
