"""Correction applications and reconsideration (list rules Arts. 11–12; rulebook §1.9, §6.3; D2).

- The listing court decides within 15 (calendar) days of receipt (L-APPEAL-2).
- Upheld: the revocation, correction or deletion takes effect, within 3 working days (L-APPEAL-3).
- Rejected: the applicant may ask the court one level up to reconsider within 10 days of service
  (L-APPEAL-5); it decides within 15 days (L-APPEAL-6); the original decision stands meanwhile (L-APPEAL-7).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, or_, select
from werkzeug.datastructures import FileStorage

from blacklist_service import clock
from blacklist_service.errors import Conflict, Invalid, NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Attachment, CorrectionApplication, Court, FactKind, Listing, Subject
from blacklist_service.models.types import INT_MAX
from blacklist_service.services import events, listings
from sanctions.calendar import Deadline, calendar_days_deadline, working_days_deadline
from sanctions.listing import ListingState, RemovalReason

DECIDE_DAYS = 15  # L-APPEAL-2, calendar days
RECONSIDER_APPLY_DAYS = 10  # L-APPEAL-5
RECONSIDER_DECIDE_DAYS = 15  # L-APPEAL-6
EFFECT_WORKING_DAYS = 3  # L-APPEAL-3
MAX_ATTACHMENTS = 5
# Types recognised by their first bytes, never by the name or the declared type alone.
SIGNATURES = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


class Ground(StrEnum):
    """Art. 11: the three grounds for a correction application."""

    SHOULD_NOT_BE_LISTED = "should_not_be_listed"
    INACCURATE = "inaccurate"
    SHOULD_BE_DELETED = "should_be_deleted"


class Status(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    REJECTED = "rejected"
    RECONSIDERATION_PENDING = "reconsideration_pending"
    RECONSIDERATION_UPHELD = "reconsideration_upheld"
    RECONSIDERATION_REJECTED = "reconsideration_rejected"


class Outcome(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"


def _due(application: CorrectionApplication, deadline: Deadline) -> dt.date:
    """A deadline's day; the application remembers if any of its deadlines ran past the holiday data (D2)."""
    application.calendar_known = application.calendar_known and deadline.calendar_known
    return deadline.due


def get(application_id: int) -> CorrectionApplication:
    application = db.session.get(CorrectionApplication, application_id)
    if application is None:
        raise NotFound(f"no application {application_id}", code="application.not_found")
    return application


def by_reference(reference: str) -> CorrectionApplication | None:
    return db.session.scalar(
        select(CorrectionApplication).where(CorrectionApplication.reference == reference)
    )


def _record(application: CorrectionApplication, action: str, data: dict[str, Any]) -> None:
    events.record(
        "correction_application",
        application.id,
        action,
        {"reference": application.reference} | data,
        court_id=application.court_id,
        subject_id=application.subject_id,
    )


# --- Filing ------------------------------------------------------------------------------------------------


def file_name(raw: str) -> str:
    """The applicant's file name as the court is shown it and saves it: without folders (``/`` or ``\\``),
    control or invisible characters (a right-to-left override shows ``a\\u202efdp.exe`` as ``aexe.pdf``; a
    line break cannot go in a header), line breaks and tabs as one space (a multipart name may carry any of
    them: RFC 2231)."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    visible = "".join(c for c in base if c.isspace() or not unicodedata.category(c).startswith("C"))
    return " ".join(visible.split())


def _check_attachment(upload: FileStorage, limit: int) -> tuple[bytes, str]:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(
            f"{upload.filename}: an attachment may be at most {limit // 1024} KiB",
            code="attachment.too_large",
            field="attachments",
        )
    kind = next((t for t, magic in SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise Invalid(
            f"{upload.filename}: only PDF, PNG and JPEG files are accepted",
            code="attachment.type",
            field="attachments",
        )
    return data, kind


Checked = list[tuple[FileStorage, bytes, str]]


def _check_uploads(uploads: list[FileStorage]) -> Checked:
    """Every attachment read and checked (count, type, size), before anything is written."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise Invalid(f"at most {MAX_ATTACHMENTS} attachments", code="attachment.count", field="attachments")
    if not all(isinstance(u, FileStorage) for u in uploads):  # e.g. a text field named "attachments"
        raise Invalid("attachments must be files", code="attachment.type", field="attachments")
    limit = int(current_app.config["MAX_ATTACHMENT_BYTES"])
    return [(u, *_check_attachment(u, limit)) for u in uploads if u and u.filename]


def _store(application: CorrectionApplication, checked: Checked) -> None:
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for upload, data, kind in checked:
        digest = hashlib.sha256(data).hexdigest()
        (folder / digest).write_bytes(data)
        db.session.add(
            Attachment(
                application=application,
                filename=(file_name(upload.filename or "") or "file")[:200],
                content_type=kind,
                size=len(data),
                sha256=digest,
            )
        )


_DIGEST = re.compile(r"[0-9a-f]{64}")


def purge_orphans(now: dt.datetime) -> list[Path]:
    """The daily sweep: delete the attachment files no application holds. ``_store`` writes a file before its
    transaction commits, so a filing refused or rolled back after it (the identity's throttle, a conflict, a
    lost database) leaves the applicant's document (often an ID card) on disk for no one. A file younger than
    an hour may belong to a filing still in flight and stays."""
    folder = Path(current_app.config["UPLOAD_DIR"])
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and _DIGEST.fullmatch(p.name)]
    held = set(db.session.scalars(select(Attachment.sha256).distinct()))
    db.session.rollback()
    an_hour_ago = (now - dt.timedelta(hours=1)).timestamp()
    orphans = [p for p in files if p.name not in held and p.stat().st_mtime < an_hour_ago]
    for path in orphans:
        path.unlink(missing_ok=True)
    return orphans


def file(
    subject: Subject | None,
    listing_id: int,
    ground: Ground,
    explanation: str,
    contact: str | None,
    uploads: list[FileStorage],
) -> CorrectionApplication:
    """A listed person or organisation applies to the listing court (Art. 11).

    ``subject``: the applicant as identified, None for an identity that matches no one. The application
    itself (explanation, attachments) is checked first, so a faulty one gets the same refusal whether the
    identity is right or wrong: filing must not tell which ID numbers are real.
    """
    today = clock.today()
    if not explanation.strip():
        raise Invalid("explain why", code="application.explanation", field="explanation")
    checked = _check_uploads(uploads)
    listing = db.session.get(Listing, listing_id) if 1 <= listing_id <= INT_MAX else None
    if subject is None or listing is None or listing.subject_id != subject.id:
        raise NotFound(
            "no such listing of yours", code="application.listing"
        )  # same answer for all three: no leak
    if listing.state(today) is ListingState.REMOVED:
        raise Conflict("this listing has already been removed", code="application.listing_removed")
    pending = {Status.PENDING.value, Status.RECONSIDERATION_PENDING.value}
    if any(a.listing_id == listing.id and a.status in pending for a in _of_subject(subject)):
        raise Conflict("an application about this listing is already pending", code="application.pending")
    decision_deadline = calendar_days_deadline(today, DECIDE_DAYS)
    application = CorrectionApplication(
        reference=f"JZ{today:%Y%m%d}{secrets.token_hex(4).upper()}",
        listing=listing,
        subject=subject,
        court_id=listing.court_id,
        ground=ground.value,
        explanation=explanation.strip(),
        contact=contact,
        status=Status.PENDING.value,
        received_on=today,
        decision_due=decision_deadline.due,
        calendar_known=decision_deadline.calendar_known,
    )
    db.session.add(application)
    _store(application, checked)
    db.session.flush()
    _record(
        application,
        "application.filed",
        {
            "ground": ground.value,
            "listing_id": listing.id,
            "decision_due": application.decision_due.isoformat(),
        },
    )
    return application


def _of_subject(subject: Subject) -> list[CorrectionApplication]:
    query = select(CorrectionApplication).where(CorrectionApplication.subject_id == subject.id)
    return list(db.session.scalars(query))


# --- Deciding ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remedy:
    """What an upheld application changes, by ground."""

    changes: dict[str, str] | None = None  # inaccurate: the corrected fields
    removal_reason: RemovalReason | None = None  # should_be_deleted: the Art. 10 event it rests on
    fact_date: dt.date | None = None  # the date of that event (D9)


def _take_effect(application: CorrectionApplication, decided_on: dt.date, remedy: Remedy) -> None:
    listing, ground = application.listing, Ground(application.ground)
    note = f"correction application {application.reference}"
    if ground is Ground.INACCURATE:
        if not remedy.changes:
            raise Invalid("say what to correct", code="application.changes", field="changes")
        listings.correct(listing, remedy.changes, decided_on, note)
        application.effect = "corrected"
    elif ground is Ground.SHOULD_NOT_BE_LISTED:
        if listing.removed_on is not None:
            raise Conflict("the listing has already been removed", code="application.listing_removed")
        listings.revoke(listing, decided_on, note)
        application.effect = "revoked"
    else:
        _delete(listing, decided_on, remedy, note)
        application.effect = "deleted"
    application.effect_due = _due(application, working_days_deadline(decided_on, EFFECT_WORKING_DAYS))
    application.effect_on = clock.today()


# An Art. 10 ¶1 event is recorded as a fact of the case, so that it removes every listing of the case and
# lifts restrictions exactly as D10 says, as if the court had entered it directly (rule three).
_DELETION_FACTS = {
    RemovalReason.FULL_PERFORMANCE: FactKind.FULL_PERFORMANCE,
    RemovalReason.SETTLEMENT_PERFORMED: FactKind.SETTLEMENT_PERFORMED,
    RemovalReason.APPLICANT_REQUEST: FactKind.APPLICANT_DELETION_REQUEST,
    RemovalReason.NON_ENFORCEMENT: FactKind.NON_ENFORCEMENT,
    RemovalReason.TERMINATION: FactKind.TERMINATION,
}


def _delete(listing: Listing, decided_on: dt.date, remedy: Remedy, note: str) -> None:
    """Ground (三), should have been deleted: the deletion the court should have made, made now."""
    from blacklist_service.services import cases  # cases imports listings, which this module imports

    if listing.removed_on is not None:
        return  # already deleted since the application (e.g. the court recorded the fact on the case)
    reason = remedy.removal_reason
    if reason in _DELETION_FACTS:
        if remedy.fact_date is None:
            raise Invalid(
                "give the date of the event that should have deleted the listing",
                code="application.fact_date",
                field="fact_date",
            )
        cases.record_fact(listing.case, _DELETION_FACTS[reason], remedy.fact_date, description=note)
    elif reason is RemovalReason.TERM_EXPIRED and listing.term_end and listing.term_end < clock.today():
        listings.remove(listing, reason, listing.term_end, note)
    elif reason is RemovalReason.EARLY_DELETION:
        listings.delete_early(listing, remedy.fact_date or decided_on, note)
    else:
        allowed = ", ".join(
            r.value for r in (*_DELETION_FACTS, RemovalReason.TERM_EXPIRED, RemovalReason.EARLY_DELETION)
        )
        raise Invalid(
            f"say which event should have deleted the listing: {allowed}; record a suspension or"
            " 终本 on the case itself",
            code="application.removal_reason",
            field="removal_reason",
        )


def _check_decision_date(decided_on: dt.date, received_on: dt.date) -> None:
    if decided_on > clock.today():
        raise Invalid("the decision date is in the future", code="date.future", field="decided_on")
    if decided_on < received_on:
        raise Invalid("the decision predates the application", code="date.order", field="decided_on")


def decide(
    application: CorrectionApplication,
    outcome: Outcome,
    decided_on: dt.date,
    note: str | None,
    remedy: Remedy,
    served_on: dt.date | None = None,
) -> CorrectionApplication:
    """The listing court's decision (L-APPEAL-2…4)."""
    if application.status != Status.PENDING.value:
        raise Conflict(f"the application is {application.status}", code="application.not_pending")
    _check_decision_date(decided_on, application.received_on)
    application.decided_on, application.decision_note = decided_on, note
    if outcome is Outcome.UPHELD:
        _take_effect(application, decided_on, remedy)
        application.status = Status.UPHELD.value
    else:
        application.status = Status.REJECTED.value
        if served_on:
            _set_service(application, served_on)
    db.session.flush()
    _record(
        application,
        "application.decided",
        {
            "outcome": outcome.value,
            "decided_on": decided_on.isoformat(),
            "late": decided_on > application.decision_due,
        },
    )
    return application


def _set_service(application: CorrectionApplication, served_on: dt.date) -> None:
    assert application.decided_on is not None
    if served_on < application.decided_on or served_on > clock.today():
        raise Invalid(
            "service is after the decision and not in the future", code="date.order", field="served_on"
        )
    application.served_on = served_on
    application.reconsideration_deadline = _due(
        application, calendar_days_deadline(served_on, RECONSIDER_APPLY_DAYS)
    )


def record_service(application: CorrectionApplication, served_on: dt.date) -> CorrectionApplication:
    """The rejection was served on the applicant: the 10 days to ask for reconsideration start."""
    if application.status != Status.REJECTED.value:
        raise Conflict("only a rejection is served for reconsideration", code="application.not_rejected")
    _set_service(application, served_on)
    db.session.flush()
    _record(application, "application.served", {"served_on": served_on.isoformat()})
    return application


def _last_day_to_ask(application: CorrectionApplication) -> dt.date | None:
    """The last day to ask for reconsideration, if it can be relied on to refuse (L-APPEAL-5, D2).

    Decided on this deadline's own calendar, not on the application's ``calendar_known``, which also covers
    its other deadlines (an unknown decision deadline must not lift a known 10-day limit). Counted again from
    the service date on today's holiday data: while that still runs past the data, never refuse; once it is
    known, refuse only after the later of it and the day the applicant was told, so no one is refused
    against a day he was not given.
    """
    if application.served_on is None or application.reconsideration_deadline is None:
        return None
    deadline = calendar_days_deadline(application.served_on, RECONSIDER_APPLY_DAYS)
    if not deadline.calendar_known:
        return None
    return max(deadline.due, application.reconsideration_deadline)


def reconsider(application: CorrectionApplication, reasons: str) -> CorrectionApplication:
    """The applicant asks the court one level up to reconsider a rejection (L-APPEAL-5)."""
    today = clock.today()
    if application.status != Status.REJECTED.value:
        raise Conflict("only a rejected application can be reconsidered", code="application.not_rejected")
    last_day = _last_day_to_ask(application)
    if last_day is not None and today > last_day:
        raise Conflict(
            f"the 10 days to ask for reconsideration ended on {last_day}",
            code="application.reconsideration_late",
        )
    higher = application.court.parent
    if higher is None:
        raise Conflict(
            "the listing court has no court above it on record", code="application.no_higher_court"
        )
    application.status = Status.RECONSIDERATION_PENDING.value
    application.reconsideration_court_id = higher.id
    application.reconsideration_reasons = reasons.strip()
    application.reconsideration_received_on = today
    application.reconsideration_due = _due(application, calendar_days_deadline(today, RECONSIDER_DECIDE_DAYS))
    db.session.flush()
    _record(
        application,
        "application.reconsideration_filed",
        {"court_id": higher.id, "due": application.reconsideration_due.isoformat()},
    )
    return application


def decide_reconsideration(
    application: CorrectionApplication,
    outcome: Outcome,
    decided_on: dt.date,
    note: str | None,
    remedy: Remedy,
) -> CorrectionApplication:
    """The higher court's decision (L-APPEAL-6); until then the original decision stands (L-APPEAL-7)."""
    if application.status != Status.RECONSIDERATION_PENDING.value:
        raise Conflict(f"the application is {application.status}", code="application.not_in_reconsideration")
    assert application.reconsideration_received_on is not None
    _check_decision_date(decided_on, application.reconsideration_received_on)
    application.reconsideration_decided_on, application.reconsideration_note = decided_on, note
    if outcome is Outcome.UPHELD:
        _take_effect(application, decided_on, remedy)
        application.status = Status.RECONSIDERATION_UPHELD.value
    else:
        application.status = Status.RECONSIDERATION_REJECTED.value
    db.session.flush()
    _record(
        application,
        "application.reconsidered",
        {"outcome": outcome.value, "decided_on": decided_on.isoformat()},
    )
    return application


@dataclass(frozen=True)
class Counted:
    """How one of an application's deadlines is counted: from which day (None: its step not reached), how
    many days, by which rule (calendar or working days, D2), and which field holds the day its step was done
    (None: the applicant's own step)."""

    start: Callable[[CorrectionApplication], dt.date | None]
    days: int
    count: Callable[[dt.date, int], Deadline]
    done: str | None


def _effect_start(a: CorrectionApplication) -> dt.date | None:
    """The upholding decision's day: the higher court's when it upheld on reconsideration."""
    return a.reconsideration_decided_on if a.status == Status.RECONSIDERATION_UPHELD.value else a.decided_on


# Every deadline an application stores (the attribute of that name), as it was counted when stored.
DEADLINES = {
    "decision_due": Counted(lambda a: a.received_on, DECIDE_DAYS, calendar_days_deadline, "decided_on"),
    "effect_due": Counted(_effect_start, EFFECT_WORKING_DAYS, working_days_deadline, "effect_on"),
    "reconsideration_deadline": Counted(
        lambda a: a.served_on, RECONSIDER_APPLY_DAYS, calendar_days_deadline, None
    ),
    "reconsideration_due": Counted(
        lambda a: a.reconsideration_received_on,
        RECONSIDER_DECIDE_DAYS,
        calendar_days_deadline,
        "reconsideration_decided_on",
    ),
}
SHOWN_DEADLINES = ("decision_due", "reconsideration_deadline", "reconsideration_due")  # to the applicant


def provisional_deadlines(application: CorrectionApplication) -> set[str]:
    """Which of the deadlines shown to the applicant are provisional (D2): counted without the official
    holiday calendar, and not since confirmed by it (counted again on today's data, it is still unknown or
    falls on another day)."""
    if application.calendar_known:
        return set()
    found = set()
    for name in SHOWN_DEADLINES:
        counted = DEADLINES[name]
        start, due = counted.start(application), getattr(application, name)
        if start is None or due is None:
            continue
        again = counted.count(start, counted.days)
        if not again.calendar_known or again.due != due:
            found.add(name)
    return found


# --- The courts' queues --------------------------------------------------------------------------------------


def queue(court: Court, status: Status | None, on: dt.date | None = None) -> Any:
    """Applications this court must decide: first instance as the listing court, reconsiderations as the
    court one level up; ``on``: as they stood at the end of that day (D1), see :func:`status_on`."""
    a = CorrectionApplication
    if on is None:
        query = select(a).where(or_(a.court_id == court.id, a.reconsideration_court_id == court.id))
        current = a.status
    else:
        asked = and_(a.reconsideration_court_id == court.id, a.reconsideration_received_on <= on)
        query = select(a).where(a.received_on <= on, or_(a.court_id == court.id, asked))
        current = status_on(on)
    if status:
        query = query.where(current == status.value)
    return query.order_by(a.decision_due, a.id)


def status_on(on: dt.date) -> ColumnElement[str]:
    """An application's status at the end of ``on``, from the dates of its steps and its status now (a
    reconsideration follows only a rejection, so a reconsidered one was rejected first)."""
    a = CorrectionApplication
    return case(
        (or_(a.decided_on.is_(None), a.decided_on > on), Status.PENDING.value),
        (a.reconsideration_decided_on <= on, a.status),
        (a.reconsideration_received_on <= on, Status.RECONSIDERATION_PENDING.value),
        (a.status == Status.UPHELD.value, Status.UPHELD.value),
        else_=Status.REJECTED.value,
    )


# What an application shows only once a step was taken, and the date of that step.
_STEP_OF = {
    "decided_on": "decided_on",
    "decision_note": "decided_on",
    "effect": "effect_decided_on",  # the decision that upheld it: first instance or reconsideration
    "effect_due": "effect_decided_on",
    "effect_on": "effect_on",
    "served_on": "served_on",
    "reconsideration_deadline": "served_on",
    "reconsideration_court": "reconsideration_received_on",
    "reconsideration_reasons": "reconsideration_received_on",
    "reconsideration_received_on": "reconsideration_received_on",
    "reconsideration_due": "reconsideration_received_on",
    "reconsideration_decided_on": "reconsideration_decided_on",
    "reconsideration_note": "reconsideration_decided_on",
}


class ApplicationOn:
    """An application as it stood at the end of ``on`` (D1): the steps taken later are not there yet."""

    def __init__(self, application: CorrectionApplication, on: dt.date) -> None:
        if application.received_on > on:
            raise NotFound(f"application {application.id} was received later", code="application.not_found")
        self._application, self._on = application, on
        now = select(status_on(on)).where(CorrectionApplication.id == application.id)
        self.status = db.session.scalar(now)

    def __getattr__(self, name: str) -> Any:
        step = _STEP_OF.get(name)
        taken = step is None or (self._date_of(step) or dt.date.max) <= self._on
        return getattr(self._application, name) if taken else None

    def _date_of(self, step: str) -> dt.date | None:
        a = self._application
        if step != "effect_decided_on":
            return getattr(a, step)  # type: ignore[no-any-return]
        upheld_on_reconsideration = a.status == Status.RECONSIDERATION_UPHELD.value
        return a.reconsideration_decided_on if upheld_on_reconsideration else a.decided_on


def may_act(application: CorrectionApplication, court_id: int, on: dt.date | None = None) -> bool:
    """The listing court, or the court above once the reconsideration reached it (by ``on``, if given)."""
    if court_id == application.court_id:
        return True
    reached = application.reconsideration_received_on or dt.date.max
    return court_id == application.reconsideration_court_id and (on is None or reached <= on)


@dataclass(frozen=True)
class Late:
    application_id: int
    reference: str
    step: str  # decision | effect | reconsideration
    due: dt.date
    done_on: dt.date | None
    days_late: int


def overdue(court: Court, today: dt.date) -> list[Late]:
    """Decisions, effects and reconsiderations past their deadlines, done late or still pending, as they
    stood at the end of ``today`` (D1): an application received later was unknown, a step done later was
    still pending."""
    found: list[Late] = []
    query = queue(court, None).where(CorrectionApplication.received_on <= today)
    for a in db.session.scalars(query):
        for step, due, done in _steps(a, court, today):
            done = listings.done_as_of(done, today)
            late_by = ((done or today) - due).days
            if late_by > 0:
                found.append(Late(a.id, a.reference, step, due, done, late_by))
    return found


def _steps(a: CorrectionApplication, court: Court, on: dt.date) -> list[tuple[str, dt.date, dt.date | None]]:
    """The steps ``court`` owed on ``on``: an effect only once the upholding decision was made, a
    reconsideration only once it was asked for (their dates say so, whatever happened since)."""
    steps: list[tuple[str, dt.date, dt.date | None]] = []
    if a.court_id == court.id:
        steps.append(("decision", a.decision_due, a.decided_on))
        decided = listings.done_as_of(a.decided_on, on)
        if a.effect_due and a.status == Status.UPHELD.value and decided:
            steps.append(("effect", a.effect_due, a.effect_on))
    asked = listings.done_as_of(a.reconsideration_received_on, on)
    if a.reconsideration_court_id == court.id and a.reconsideration_due and asked:
        steps.append(("reconsideration", a.reconsideration_due, a.reconsideration_decided_on))
    return steps
