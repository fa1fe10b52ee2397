"""Listing, removing, revoking and correcting entries on the dishonest-debtor list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, cast, or_, select

from blacklist_service import clock
from blacklist_service.errors import Conflict, Invalid, NotFound, Refused, refused
from blacklist_service.extensions import db
from blacklist_service.models import Case, Correction, Event, Listing, Restriction, Subject
from blacklist_service.models.types import utcnow
from blacklist_service.services import events, restrictions
from blacklist_service.services.pages import paginate
from blacklist_service.services.subjects import clean_name
from sanctions.listing import (
    Circumstance,
    ExtensionGround,
    Initiator,
    ListingProposal,
    ListingState,
    ListingTerms,
    Refusal,
    RemovalReason,
    SubjectRole,
    assess_listing,
    correction_deadline,
    deleted_after_decision,
    removal_effects,
)

if TYPE_CHECKING:
    from blacklist_service.models import Court


def get(listing_id: int) -> Listing:
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(f"no listing {listing_id}", code="listing.not_found")
    return listing


def _role_in_case(case: Case, subject: Subject) -> SubjectRole:
    if subject.id == case.debtor_id:
        return SubjectRole.DEBTOR
    if any(k.person_id == subject.id for k in case.debtor.key_persons):
        return SubjectRole.KEY_PERSON  # current or former: never listed for the organisation's debt
    return SubjectRole.OTHER


def open_listing(case: Case, subject_id: int, on: dt.date) -> Listing | None:
    query = select(Listing).where(
        Listing.case_id == case.id, Listing.subject_id == subject_id, Listing.removed_on.is_(None)
    )
    return next(
        (x for x in db.session.scalars(query) if x.state(on) in {ListingState.ACTIVE, ListingState.IN_GRACE}),
        None,
    )


def overlapping_listing(case: Case, subject_id: int, first: dt.date, last: dt.date | None) -> Listing | None:
    """A listing of the subject in the case on the list (in grace or active) on some day from ``first`` to
    ``last`` (None: open-ended): a back-dated listing may not overlap one decided before it, nor one after."""
    query = select(Listing).where(Listing.case_id == case.id, Listing.subject_id == subject_id)
    return next((x for x in db.session.scalars(query) if _on_the_list(x, first, last)), None)


def _on_the_list(listing: Listing, first: dt.date, last: dt.date | None) -> bool:
    """Whether the listing was on the list on a day of [first, last]: from its decision date until its term
    ended or it was removed (the day of removal excluded, as in its state: one removed the day it was decided
    never was)."""
    ends = [listing.term_end, listing.removed_on and listing.removed_on - dt.timedelta(days=1)]
    listed_to = min((day for day in ends if day is not None), default=None)
    listed_from = max(listing.decision_date, first)
    return (last is None or listed_from <= last) and (listed_to is None or listed_from <= listed_to)


@dataclass(frozen=True)
class Proposal:
    """A court's request to list, as received over HTTP."""

    decision_number: str
    decision_date: dt.date
    signed_by: str
    circumstances: frozenset[Circumstance]
    subject_id: int | None = None
    initiator: Initiator = Initiator.COURT
    grace_months: int = 0
    extension_years: int = 0
    extension_ground: ExtensionGround | None = None
    justification: str | None = None
    circumstance_arose_on: dt.date | None = None
    applied_on: dt.date | None = None


def propose(case: Case, request: Proposal) -> Listing:
    """Run the rules engine; store the listing and its automatic restrictions, or raise the refusal (422)."""
    today = clock.today()
    subject = db.session.get(Subject, request.subject_id or case.debtor_id)
    if subject is None:
        raise NotFound(f"no subject {request.subject_id}", code="subject.not_found")
    if request.decision_date > today:
        raise Invalid("the decision date is in the future", code="date.future", field="decision_date")
    if request.decision_date < case.filed_on:
        raise Invalid("the decision predates the case", code="date.order", field="decision_date")
    proposal = ListingProposal(
        subject_role=_role_in_case(case, subject),
        circumstances=request.circumstances,
        decision_date=request.decision_date,
        initiator=request.initiator,
        grace_months=request.grace_months,
        extension_years=request.extension_years,
        extension_ground=request.extension_ground,
        justification=request.justification,
        circumstance_arose_on=request.circumstance_arose_on,
        applied_on=request.applied_on,
    )
    outcome = _assess(case, proposal)
    listed = overlapping_listing(case, subject.id, outcome.decision_date, outcome.term_end)
    if listed is not None:
        raise Conflict(
            f"the debtor is listed in this case by the decision of {listed.decision_date} in the period of "
            "this one",
            code="listing.already_listed",
        )
    if db.session.scalar(
        select(Listing.id).where(Listing.decision_number == request.decision_number.strip())
    ):
        raise Conflict("a listing with this decision number exists", code="listing.decision_number_exists")
    listing = _store(case, subject, request, outcome)
    restrictions.place_with_listing(listing)
    return listing


def _assess(case: Case, proposal: ListingProposal) -> ListingTerms:
    """Judge the decision on the case as it stood on its date (D1; rule two: assets preserved then bar it,
    even if released since). Of what happened after that date only an Art. 10 ¶1 deletion event counts
    (performance, the applicant's request, 终本, the end of enforcement): entered in date order it would have
    deleted the listing, so the listing is not created active. A bar that arose later (a preservation, an
    incapacity finding) does not undo a lawful decision, as it would not had the decision been entered
    first: the outcome must not depend on the order of data entry."""
    from blacklist_service.services import cases  # cases imports this module

    terms = assess_listing(cases.engine_facts(case, proposal.decision_date), proposal)
    if isinstance(terms, Refusal):
        raise refused(terms)
    deleted = cases.deletion_after(case, proposal.decision_date)
    if deleted is not None:
        raise refused(deleted_after_decision(*deleted))
    return terms


def _store(case: Case, subject: Subject, request: Proposal, terms: ListingTerms) -> Listing:
    listing = Listing(
        case=case,
        subject=subject,
        court_id=case.court_id,
        decision_number=request.decision_number.strip(),
        decision_date=terms.decision_date,
        signed_by=request.signed_by.strip(),
        circumstances=sorted(c.value for c in request.circumstances),
        initiator=request.initiator.value,
        grace_months=request.grace_months,
        grace_end=terms.grace_end,
        publish_from=terms.publish_from,
        term_years=terms.term_years,
        extension_years=request.extension_years,
        extension_ground=request.extension_ground.value if request.extension_ground else None,
        term_end=terms.term_end,
        justification=(request.justification or "").strip() or None,
        overrides=[o.value for o in terms.overrides],
    )
    db.session.add(listing)
    db.session.flush()
    events.record(
        "listing",
        listing.id,
        "listing.created",
        _decision_data(listing),
        court_id=case.court_id,
        subject_id=subject.id,
    )
    return listing


def _decision_data(listing: Listing) -> dict[str, object]:
    """The decision as stored, so the log alone tells who listed whom, when, on what and for how long."""
    return {
        "case_id": listing.case_id,
        "decision_number": listing.decision_number,
        "decision_date": listing.decision_date.isoformat(),
        "signed_by": listing.signed_by,
        "circumstances": listing.circumstances,
        "initiator": listing.initiator,
        "grace_months": listing.grace_months,
        "grace_end": _iso(listing.grace_end),
        "publish_from": listing.publish_from.isoformat(),
        "term_years": listing.term_years,
        "extension_years": listing.extension_years,
        "extension_ground": listing.extension_ground,
        "term_end": _iso(listing.term_end),
        "justification": listing.justification,
        "overrides": listing.overrides,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def remove(listing: Listing, reason: RemovalReason, fact_date: dt.date, note: str | None = None) -> Listing:
    """Soft-delete a listing: kept with reason and dates, no longer public or a basis for sanctions.

    The 3-working-day deadline counts from the fact (D9), or from the decision when the fact, recorded on
    the case after the listing was entered, is dated earlier: a listing that did not exist yet could not
    be removed, and a deadline before it existed would make every such removal overdue.
    """
    today = clock.today()
    if listing.removed_on is not None:
        raise Conflict(f"already removed ({listing.removal_reason})", code="listing.already_removed")
    if fact_date > today:
        raise Invalid("the date is in the future", code="date.future", field="fact_date")
    effects = removal_effects(reason, max(fact_date, listing.decision_date))
    listing.removed_on = today
    listing.removed_at = utcnow()
    listing.removal_reason = reason.value
    listing.removal_rule = effects.rule
    listing.removal_fact_date = fact_date
    listing.removal_due = effects.deadline.due
    listing.removal_calendar_known = effects.deadline.calendar_known
    listing.removal_note = note
    db.session.flush()
    events.record(
        "listing",
        listing.id,
        "listing.removed",
        {
            "reason": reason.value,
            "rule": effects.rule,
            "fact_date": fact_date.isoformat(),
            "due": effects.deadline.due.isoformat(),
            "overdue": today > effects.deadline.due,
            "note": note,
        },
        court_id=listing.court_id,
        subject_id=listing.subject_id,
    )
    if effects.lifts_listing_restriction and not effects.lifts_case_restrictions:
        restrictions.lift_for_listing(listing, reason.value, fact_date)
    return listing


def remove_for_case(case: Case, reason: RemovalReason, fact_date: dt.date) -> list[Listing]:
    """Rule three: a deletion event removes every listing of the case still on the list, fixed-term ones too.

    A listing whose term had already ended before the event is removed as expired (its own, possibly late,
    removal), so a performance entered late still shows as late (D9).
    """
    query = (
        select(Listing).where(Listing.case_id == case.id, Listing.removed_on.is_(None)).order_by(Listing.id)
    )
    removed = []
    for listing in db.session.scalars(query):
        if listing.term_end is not None and listing.term_end < fact_date:
            removed.append(remove(listing, RemovalReason.TERM_EXPIRED, listing.term_end))
        else:
            removed.append(remove(listing, reason, fact_date))
    return removed


def sweep_expired(case_id: int | None = None) -> list[Listing]:
    """Mark listings whose term has ended (L-DEL-TERM). They are already inactive by their dates."""
    today = clock.today()
    query = select(Listing).where(Listing.removed_on.is_(None), Listing.term_end < today)
    if case_id is not None:
        query = query.where(Listing.case_id == case_id)
    expired = list(db.session.scalars(query))
    for listing in expired:
        assert listing.term_end is not None
        remove(listing, RemovalReason.TERM_EXPIRED, listing.term_end)
    return expired


def announce_published() -> list[Listing]:
    """Record ``listing.published`` for listings whose grace period has ended (D4), so that log followers
    (partners' change feed) learn of the publication, which no court act marks."""
    today = clock.today()
    announced = select(Event.entity_id).where(Event.entity == "listing", Event.action == "listing.published")
    query = select(Listing).where(
        Listing.grace_end.is_not(None),
        Listing.publish_from <= today,
        Listing.removed_on.is_(None),
        Listing.id.not_in(announced),
    )
    due = [x for x in db.session.scalars(query) if x.state(today) is ListingState.ACTIVE]
    for listing in due:
        events.record(
            "listing",
            listing.id,
            "listing.published",
            {"publish_from": listing.publish_from.isoformat()},
            court_id=listing.court_id,
            subject_id=listing.subject_id,
        )
    return due


def revoke(listing: Listing, found_on: dt.date, note: str | None) -> Listing:
    """Art. 9 ¶1 (L-REVOKE): a wrong listing is revoked; its automatic restriction goes with it (D10)."""
    _check_not_before_decision(listing, found_on)
    return remove(listing, RemovalReason.REVOKED, found_on, note)


def _check_not_before_decision(listing: Listing, fact_date: dt.date) -> None:
    """A listing is revoked or deleted early for what the court found once it existed (Arts. 2 ¶2, 9 ¶1):
    a date before its decision would give a deadline before it existed."""
    if fact_date < listing.decision_date:
        raise Invalid(
            f"the date is before the listing's decision ({listing.decision_date})",
            code="date.order",
            field="fact_date",
        )


def delete_early(listing: Listing, fact_date: dt.date, note: str | None) -> Listing:
    """Art. 2 ¶2 (L-TERM-3): discretionary early deletion for active performance or correction.

    Only a fixed-term listing (items 二–六) can be deleted early; an item (一) listing leaves the list only
    by an Art. 10 ¶1 event, recorded on the case (L-TERM-4, D5).
    """
    _check_not_before_decision(listing, fact_date)
    if listing.term_end is None:
        raise Refused(
            "a listing under item (一) has no term: record the deletion event (performance, settlement, the "
            "applicant's request, a ruling) on the case",
            code="listing.early_deletion_no_term",
            rule="list rules Art. 2, Art. 10 (L-TERM-4); D5",
        )
    return remove(listing, RemovalReason.EARLY_DELETION, fact_date, note)


CORRECTABLE = {
    "signed_by": ("listing", "signed_by"),
    "decision_number": ("listing", "decision_number"),
    "subject_name": ("subject", "name"),
    "obligation": ("case", "obligation"),
    "basis_issuer": ("case", "basis_issuer"),
    "basis_number": ("case", "basis_number"),
    # The case's identity (Art. 6 (五)): checked together, as when the case was opened.
    "case_number": ("case", "number"),
    "filed_on": ("case", "filed_on"),
}


def correct(listing: Listing, changes: dict[str, Any], found_on: dt.date, note: str | None) -> Correction:
    """Art. 9 ¶2 (L-CORRECT): correct inaccurate information, within 3 working days of finding it."""
    today = clock.today()
    if found_on > today:
        raise Invalid("the date is in the future", code="date.future", field="found_on")
    unknown = set(changes) - set(CORRECTABLE)
    if not changes or unknown:
        raise Invalid(
            f"correctable fields: {', '.join(sorted(CORRECTABLE))}", code="correction.fields", field="changes"
        )
    targets = {"listing": listing, "subject": listing.subject, "case": listing.case}
    values = {name: _corrected_text(name, value, targets) for name, value in changes.items()}
    values |= _case_identity(listing.case, values)
    values = _what_changes(values, targets)
    number = values.get("decision_number")
    if number and db.session.scalar(
        select(Listing.id).where(Listing.decision_number == number, Listing.id != listing.id)
    ):
        raise Conflict("another listing has this decision number", code="listing.decision_number_exists")
    diff: dict[str, list[object]] = {}
    for name, value in values.items():
        holder, attr = CORRECTABLE[name]
        before = getattr(targets[holder], attr)
        setattr(targets[holder], attr, value)
        diff[name] = [_plain(before), _plain(value)]
    deadline = correction_deadline(found_on)
    correction = Correction(
        listing=listing,
        found_on=found_on,
        corrected_on=today,
        due=deadline.due,
        calendar_known=deadline.calendar_known,
        changes=diff,
        note=note,
    )
    db.session.add(correction)
    db.session.flush()
    events.record(
        "listing",
        listing.id,
        "listing.corrected",
        {"correction_id": correction.id, "changes": diff, "due": deadline.due.isoformat()},
        court_id=listing.court_id,
        subject_id=listing.subject_id,
    )
    return correction


def _what_changes(values: dict[str, Any], targets: dict[str, Any]) -> dict[str, Any]:
    """The new values that differ from the record, compared as stored. A correction that changes nothing is
    refused, not recorded (L-CORRECT): a court's retry after a lost answer gets this refusal rather than a
    second correction, and an upheld application (L-APPEAL-3) must change what it found inaccurate."""
    changed = {
        name: value
        for name, value in values.items()
        if getattr(targets[CORRECTABLE[name][0]], CORRECTABLE[name][1]) != value
    }
    if not changed:
        raise Invalid(
            "the changes equal the listing's current values: nothing to correct",
            code="correction.no_change",
            field="changes",
        )
    return changed


def _corrected_text(name: str, value: object, targets: dict[str, Any]) -> str:
    """A new value as text, cleaned as stored (a name in the form every search compares, else the person
    would drop out of them) and within its column."""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text", code="correction.value", field=name)
    value = clean_name(value) if name == "subject_name" else value.strip()
    if not value:
        raise Invalid(f"{name} must be non-empty text", code="correction.value", field=name)
    holder, attr = CORRECTABLE[name]
    longest = getattr(type(targets[holder]).__table__.c[attr].type, "length", None)
    if longest is not None and len(value) > longest:
        raise Invalid(f"{name} has at most {longest} characters", code="correction.value", field=name)
    return value


def _case_identity(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """A corrected case number or filing date, checked together as when the case was opened (its court,
    the filing year, unique), and the filing date before everything decided in the case."""
    if "case_number" not in values and "filed_on" not in values:
        return {}
    from blacklist_service.services import cases  # cases imports this module

    filed_on = _date(values["filed_on"], "filed_on") if "filed_on" in values else case.filed_on
    number = cases.check_case_identity(
        case.court, values.get("case_number", case.number), filed_on, case, field="case_number"
    )
    _check_filed_before_decisions(case, filed_on)
    corrected: dict[str, Any] = {"filed_on": filed_on} if "filed_on" in values else {}
    return corrected | ({"case_number": number} if "case_number" in values else {})


def _date(text: str, field: str) -> dt.date:
    """YYYY-MM-DD only (``fromisoformat`` also reads other ISO forms, which a court never means)."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{field} is a date: YYYY-MM-DD", code="date.invalid", field=field) from None


def _check_filed_before_decisions(case: Case, filed_on: dt.date) -> None:
    """A listing, an order, a payment deadline or a step of the enforcement cannot predate the case (as when
    each was recorded)."""
    from blacklist_service.services.cases import ENFORCEMENT_STEPS  # cases imports this module

    decided = [
        *db.session.scalars(select(Listing.decision_date).where(Listing.case_id == case.id)),
        *db.session.scalars(select(Restriction.order_date).where(Restriction.case_id == case.id)),
        *([case.payment_deadline] if case.payment_deadline else []),
        *(f.occurred_on for f in case.facts if f.kind in ENFORCEMENT_STEPS),
    ]
    if decided and filed_on > min(decided):
        raise Invalid(
            f"the case's first decision, deadline or enforcement step ({min(decided)}) would predate its filing",
            code="date.order",
            field="filed_on",
        )


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Overdue:
    kind: str  # removal | revocation | expiry_unmarked | correction
    listing_id: int
    case_number: str
    fact_date: dt.date
    due: dt.date
    done_on: dt.date | None
    days_late: int
    calendar_known: bool


def done_as_of(done: dt.date | None, on: dt.date) -> dt.date | None:
    """When a step was done, as known at the end of ``on`` (D1): one done later was still pending then."""
    return done if done is not None and done <= on else None


def _late(
    kind: str, listing: Listing, fact: dt.date, due: dt.date, done: dt.date | None, on: dt.date, known: bool
) -> Overdue | None:
    """The report's row for a step due on ``due``, if it was late or still pending past it on ``on``."""
    done = done_as_of(done, on)
    late_by = ((done or on) - due).days
    if late_by <= 0:
        return None
    return Overdue(kind, listing.id, listing.case.number, fact, due, done, late_by, known)


def overdue(court: Court, today: dt.date) -> list[Overdue]:
    """Removals, revocations and corrections done after their 3-working-day deadline, or still pending, as
    they stood at the end of ``today`` (D1: a past day replays the report)."""
    rows = _late_removals(court, today) + _unmarked_expiries(court, today) + _late_corrections(court, today)
    return sorted((x for x in rows if x is not None), key=lambda o: (o.due, o.listing_id))


def _late_removals(court: Court, on: dt.date) -> list[Overdue | None]:
    """Removals recorded late (a fact dated after ``on`` was not yet owed). An expiry recorded after ``on``
    is left to ``_unmarked_expiries``: on ``on`` it was an unmarked term, the same duty, reported once."""
    query = select(Listing).where(
        Listing.court_id == court.id,
        Listing.removal_fact_date <= on,
        Listing.removed_on > Listing.removal_due,
    )
    found: list[Overdue | None] = []
    for x in db.session.scalars(query):
        assert x.removed_on and x.removal_due and x.removal_fact_date
        if x.removal_reason == RemovalReason.TERM_EXPIRED.value and x.removed_on > on:
            continue
        kind = "revocation" if x.removal_reason == RemovalReason.REVOKED.value else "removal"
        due, known = x.removal_due, bool(x.removal_calendar_known)
        found.append(_late(kind, x, x.removal_fact_date, due, x.removed_on, on, known))
    return found


def _unmarked_expiries(court: Court, on: dt.date) -> list[Overdue | None]:
    """Terms ended before ``on`` and not marked removed by then (a removal recorded later was yet to come)."""
    query = select(Listing).where(
        Listing.court_id == court.id,
        or_(Listing.removed_on.is_(None), Listing.removed_on > on),
        Listing.term_end < on,
    )
    found: list[Overdue | None] = []
    for x in db.session.scalars(query):
        assert x.term_end
        deadline = removal_effects(RemovalReason.TERM_EXPIRED, x.term_end).deadline
        found.append(_late("expiry_unmarked", x, x.term_end, deadline.due, None, on, deadline.calendar_known))
    return found


def _late_corrections(court: Court, on: dt.date) -> list[Overdue | None]:
    """Corrections made late; one found after ``on`` was not yet owed, one made after it was pending."""
    query = (
        select(Correction)
        .join(Listing)
        .where(
            Listing.court_id == court.id,
            Correction.found_on <= on,
            Correction.corrected_on > Correction.due,
        )
    )
    return [
        _late("correction", c.listing, c.found_on, c.due, c.corrected_on, on, c.calendar_known)
        for c in db.session.scalars(query)
    ]


@dataclass(frozen=True)
class ListingFilter:
    state: ListingState | None = None
    circumstance: Circumstance | None = None
    name: str | None = None
    case_number: str | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None


def _state_clause(query: Select[tuple[Listing]], state: ListingState, on: dt.date) -> Select[tuple[Listing]]:
    not_removed = or_(Listing.removed_on.is_(None), Listing.removed_on > on)
    not_expired = or_(Listing.term_end.is_(None), Listing.term_end >= on)
    if state is ListingState.REMOVED:
        return query.where(Listing.removed_on <= on)
    if state is ListingState.EXPIRED:
        return query.where(not_removed, Listing.term_end < on)
    if state is ListingState.IN_GRACE:
        return query.where(not_removed, not_expired, Listing.publish_from > on)
    return query.where(not_removed, not_expired, Listing.publish_from <= on)


def search(
    court: Court, flt: ListingFilter, on: dt.date, page: int, page_size: int
) -> tuple[list[Listing], int]:
    """A court's own listings, filtered and paginated, with states as of ``on``."""
    query = select(Listing).where(Listing.court_id == court.id, Listing.decision_date <= on)
    if flt.state:
        query = _state_clause(query, flt.state, on)
    if flt.name:
        query = query.join(Subject, Listing.subject_id == Subject.id).where(Subject.name.contains(flt.name))
    if flt.case_number:
        query = query.join(Case, Listing.case_id == Case.id).where(Case.number.contains(flt.case_number))
    if flt.decided_from:
        query = query.where(Listing.decision_date >= flt.decided_from)
    if flt.decided_to:
        query = query.where(Listing.decision_date <= flt.decided_to)
    if flt.circumstance:  # the JSON list is stored as text on both backends: match the quoted code
        query = query.where(cast(Listing.circumstances, String).contains(f'"{flt.circumstance.value}"'))
    return paginate(query.order_by(Listing.decision_date.desc(), Listing.id.desc()), page, page_size)


def count_overrides(court: Court, on: dt.date) -> dict[str, int]:
    """How often this court listed over a refusal with a written justification (rule two, hold-offs, campus
    loans), in the decisions made by ``on``."""
    query = select(Listing.overrides).where(Listing.court_id == court.id, Listing.decision_date <= on)
    return dict(Counter(name for overrides in db.session.scalars(query) for name in overrides or []))
