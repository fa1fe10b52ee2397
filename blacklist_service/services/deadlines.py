"""Stored deadlines counted again once the official holiday calendar covers them (D2).

A deadline running past the years the holiday data covers is counted on weekends alone and stored with its
flag down ("calendar unknown"). When a ``chinese_calendar`` release or ``BLACKLIST_HOLIDAYS_FILE`` brings
the year, :func:`recount` counts each such deadline again from its stored start day and length, stores the
result, raises the flag and records one event per changed record, old and new day side by side (全程留痕).
``flask deadlines recount`` runs it; the production entry point warns at start-up when it has work
(:func:`warn_if_due`). A deadline whose count still runs past the data is left as it is.

What the recount does not rewrite:

- What was done stays done. A removal, a decision or a correction recorded against the provisional day is
  not undone: none of their effects depends on the deadline, only the judgement "late" does, and that is
  read from the stored day, so the overdue reports follow the official count from now on. The events of the
  time (``listing.removed`` with its ``due`` and ``overdue``, ``application.decided`` with ``late``) keep
  what was known then; the recount's event says how the judgement changed.
- A day given is not taken back. Mostly the official count is later (a holiday is not a working day), and
  the stored day moves to it. A make-up working day (调休) can make it earlier: then the day given stays
  when the official one had already passed on the recount day, or is that very day, so that no court is late
  after the fact against a day it was never given in time, and the day an applicant was told to ask for
  reconsideration by always stays, as :func:`applications._last_day_to_ask` never refuses before it
  (L-APPEAL-5). An earlier official day still ahead is taken: the court learns of it in time.
- Reads ``as_of`` a past day (D1) show the recounted day. They replay the state of that day from the facts
  as the register holds them now (a corrected name shows corrected there too), not a copy of what was
  displayed then, and the deadline a fact set was the official count all along: only our data lacked it,
  and the provisional day was marked as such. What was shown then is in the event log.

Each record has one flag: an application's covers all of its deadlines, so it is raised only once every one
of them is covered; those covered already get their official day meanwhile (and a second run finds them
equal, so the recount is idempotent).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from blacklist_service import clock, holidays
from blacklist_service.extensions import db
from blacklist_service.models import Correction, CorrectionApplication, Listing
from blacklist_service.services import events
from blacklist_service.services.applications import DEADLINES
from sanctions.calendar import Deadline
from sanctions.listing import REMOVAL_WORKING_DAYS, RemovalReason, correction_deadline, removal_effects

log = logging.getLogger(__name__)

COMMAND = "flask deadlines recount"
WHY = (
    "counted on weekends only while the official holiday calendar did not cover it (D2); counted again on {}"
)
PASSED = "the official day had passed, or was that day, when the calendar came: the court keeps the day given"
TOLD = "the applicant was told this day: his time to ask for reconsideration is not shortened (L-APPEAL-5)"


@dataclass(frozen=True)
class Recounted:
    """One deadline counted again on the official calendar."""

    name: str
    start: dt.date
    days: int
    official: Deadline
    was: dt.date
    now: dt.date
    done_on: dt.date | None  # the day the step was done, if it was: judged late or not on ``now``
    kept: str | None = None  # why ``was`` stays though the official day is earlier

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start.isoformat(),
            "days": self.days,
            "basis": self.official.basis.value,
            "from": self.was.isoformat(),
            "to": self.now.isoformat(),
            "why": WHY.format(_sources(self.start, self.official.due)),
        }
        if self.kept:
            data |= {"official": self.official.due.isoformat(), "kept": self.kept}
        if self.done_on is not None:
            data["late"] = [self.done_on > self.was, self.done_on > self.now]
        return data


@dataclass
class Change:
    """What the recount changes on one record: deadlines moved or confirmed, and its flag."""

    record: Listing | Correction | CorrectionApplication
    label: str
    deadlines: list[Recounted] = field(default_factory=list)
    settled: bool = True  # every deadline of the record is covered now: its flag goes up

    @property
    def moved(self) -> list[Recounted]:
        return [d for d in self.deadlines if d.now != d.was]


@dataclass(frozen=True)
class Report:
    changes: list[Change]
    provisional: int  # records still holding a deadline the calendar does not cover


def _sources(start: dt.date, due: dt.date) -> str:
    """The calendars of the years the count ran through (the start day is not counted)."""
    first = (start + dt.timedelta(days=1)).year
    return ", ".join(f"{holidays.source(year)} ({year})" for year in range(first, due.year + 1))


def _settle(
    name: str,
    start: dt.date,
    days: int,
    official: Deadline,
    was: dt.date,
    done_on: dt.date | None,
    today: dt.date,
) -> Recounted:
    """The day to store for a deadline the calendar now covers (see the module's docstring)."""
    kept = None
    if official.due < was:
        if name == "reconsideration_deadline":
            kept = TOLD
        elif official.due <= today:  # passed, or today: learnt on its last day, it leaves the court no time
            kept = PASSED
    return Recounted(name, start, days, official, was, was if kept else official.due, done_on, kept)


# --- Listings: the removal deadline, and corrections of what was recorded (Arts. 9–10) --------------------


def _removal(listing: Listing, today: dt.date) -> Change | None:
    assert listing.removal_reason and listing.removal_fact_date and listing.removal_due
    start = max(listing.removal_fact_date, listing.decision_date)  # as services.listings.remove counts it
    official = removal_effects(RemovalReason(listing.removal_reason), start).deadline
    if not official.calendar_known:
        return None
    due = _settle(
        "removal_due", start, REMOVAL_WORKING_DAYS, official, listing.removal_due, listing.removed_on, today
    )
    return Change(listing, f"listing {listing.id}", [due])


def _correction(correction: Correction, today: dt.date) -> Change | None:
    official = correction_deadline(correction.found_on)
    if not official.calendar_known:
        return None
    due = _settle(
        "due",
        correction.found_on,
        REMOVAL_WORKING_DAYS,
        official,
        correction.due,
        correction.corrected_on,
        today,
    )
    return Change(correction, f"listing {correction.listing_id} correction {correction.id}", [due])


# --- Correction applications (Arts. 11–12) -------------------------------------------------------------------


def _application(a: CorrectionApplication, today: dt.date) -> Change | None:
    change = Change(a, f"application {a.reference}")
    for name, counted in DEADLINES.items():
        start, was = counted.start(a), getattr(a, name)
        if start is None or was is None:
            continue
        official = counted.count(start, counted.days)
        if not official.calendar_known:
            change.settled = False  # this one stays as it is, and so does the flag
            continue
        done_on = getattr(a, counted.done) if counted.done else None
        change.deadlines.append(_settle(name, start, counted.days, official, was, done_on, today))
    return change if change.settled or change.moved else None


# --- Planning and applying --------------------------------------------------------------------------------


def _candidates() -> list[tuple[Listing | Correction | CorrectionApplication, Callable[..., Change | None]]]:
    removals = select(Listing).where(Listing.removal_calendar_known.is_(False)).order_by(Listing.id)
    corrections = select(Correction).where(Correction.calendar_known.is_(False)).order_by(Correction.id)
    applications = (
        select(CorrectionApplication)
        .where(CorrectionApplication.calendar_known.is_(False))
        .order_by(CorrectionApplication.id)
    )
    return [
        *((x, _removal) for x in db.session.scalars(removals)),
        *((x, _correction) for x in db.session.scalars(corrections)),
        *((x, _application) for x in db.session.scalars(applications)),
    ]


def plan(today: dt.date) -> Report:
    """What :func:`recount` would change today, without changing anything."""
    candidates = _candidates()
    changes = [c for record, judge in candidates if (c := judge(record, today)) is not None]
    settled = sum(c.settled for c in changes)
    return Report(changes, len(candidates) - settled)


def recount() -> Report:
    """Count again every provisional deadline the calendar now covers; store and record the changes (the
    caller commits: one transaction for all)."""
    report = plan(clock.today())
    for change in report.changes:
        _apply(change)
    db.session.flush()
    return report


def _apply(change: Change) -> None:
    record = change.record
    for d in change.deadlines:
        setattr(record, d.name, d.now)
    if isinstance(record, Listing):
        record.removal_calendar_known = True
        _record_listing(record, {"deadline": "removal_due"} | change.deadlines[0].data())
    elif isinstance(record, Correction):
        record.calendar_known = True
        _record_listing(
            record.listing,
            {"deadline": "correction", "correction_id": record.id} | change.deadlines[0].data(),
        )
    else:
        record.calendar_known = change.settled
        events.record(
            "correction_application",
            record.id,
            "application.deadlines_recounted",
            {
                "reference": record.reference,
                "deadlines": {d.name: d.data() for d in change.deadlines},
                "calendar_known": change.settled,
            },
            court_id=record.court_id,
            subject_id=record.subject_id,
        )


def _record_listing(listing: Listing, data: dict[str, Any]) -> None:
    events.record(
        "listing",
        listing.id,
        "listing.deadline_recounted",
        data,
        court_id=listing.court_id,
        subject_id=listing.subject_id,
    )


def warn_if_due(app: Flask) -> None:
    """At start-up: say so when stored provisional deadlines can now be counted on the official calendar (a
    package upgrade or a holidays file takes a restart, so this is when the calendar changes). It only warns:
    the recount writes to the register, which one command does once, not every worker at start-up."""
    with app.app_context():
        try:
            due = plan(clock.today()).changes
        except SQLAlchemyError:  # e.g. before `flask db upgrade`
            return
        finally:
            db.session.remove()
    if due:
        log.warning(
            "%d record(s) hold deadlines counted without the holiday calendar, which now covers them: run '%s'",
            len(due),
            COMMAND,
        )
