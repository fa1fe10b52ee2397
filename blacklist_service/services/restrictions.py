"""Consumption restriction orders (限制消费令): issuing, the automatic restriction of listed debtors, lifting."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from blacklist_service import clock
from blacklist_service.errors import Conflict, Invalid, NotFound, Refused, refused
from blacklist_service.extensions import db
from blacklist_service.models import Event, Listing, Permission, Restriction, Subject
from blacklist_service.services import events
from sanctions.catalogue import KeyRole
from sanctions.listing import Initiator, Refusal, RemovalReason
from sanctions.restriction import OrderAccepted, OrderProposal, assess_restriction_order
from sanctions.subject import HumanitarianLift, InvalidInput, NecessityPermission, PersonalFundsPermission

if TYPE_CHECKING:
    from blacklist_service.models import Case, Court

DEBTOR = "debtor"
KEY_PERSON = "key_person"
KEY_PERSON_CHANGE = "key_person_change"  # lift reason: the person no longer holds the role (C-LR-CHANGE)


class LiftReason(StrEnum):
    """限高规定 Art. 9 and D10."""

    FULL_PERFORMANCE = "full_performance"  # shall (C-LIFT-SHALL)
    SETTLEMENT_PERFORMED = "settlement_performed"  # shall (D10)
    SECURITY = "security"  # may (C-LIFT-MAY-1)
    APPLICANT_CONSENT = "applicant_consent"  # may (C-LIFT-MAY-2)
    NON_ENFORCEMENT = "non_enforcement"  # D10
    TERMINATION = "termination"  # D10
    LISTING_REVOKED = "listing_revoked"  # D10: placed only because of a wrong listing


def active_for(case: Case, subject_id: int) -> Restriction | None:
    query = select(Restriction).where(
        Restriction.case_id == case.id, Restriction.subject_id == subject_id, Restriction.lifted_on.is_(None)
    )
    return next(iter(db.session.scalars(query)), None)


@dataclass(frozen=True)
class _Reached:
    """One row an order creates: who, in which capacity and role, from when, and (for a key person who left
    the role after the order took effect) the first day out of it, when the row is lifted."""

    subject: Subject
    capacity: str
    role: str | None
    starts: dt.date
    released_on: dt.date | None = None


def _reach(case: Case, effective_from: dt.date) -> list[_Reached]:
    """Who an order in force from ``effective_from`` reaches, and from when: the debtor and, for an
    organisation, everyone who holds a key role then or takes it later (C-ORG-1): an order entered after the
    role changed hands reaches the holder as ``reach_new_key_person`` would have, from the day they took it,
    and the former holder as ``release_former_key_person`` would have left them, until the day they left it
    (D1: the dates the court entered decide, not the day the order is entered). Whoever left the role by the
    start is not reached."""
    debtor = case.debtor
    reached = [_Reached(debtor, DEBTOR, None, effective_from)]
    if not debtor.is_person:
        reached += [
            _Reached(k.person, KEY_PERSON, k.role, max(k.since, effective_from), k.until)
            for k in debtor.key_persons
            if k.until is None or effective_from < k.until
        ]
    return reached


def _create_reached(case: Case, reached: _Reached, order: Order) -> Restriction:
    row = _create(case, reached.subject, reached.capacity, reached.role, order, reached.starts)
    if reached.released_on is not None:
        _lift(row, KEY_PERSON_CHANGE, reached.released_on, lifted_on=reached.released_on)
    return row


@dataclass(frozen=True)
class Order:
    """What every row of one order shares: its number, date and signature, the listing it came with, the
    written reasons and the refusals they overrode, and on whose initiative it was made (C-INIT)."""

    number: str
    date: dt.date
    signed_by: str
    listing_id: int | None = None
    justification: str | None = None
    overrides: tuple[str, ...] = ()
    initiator: str | None = None  # None: not recorded on the row a new key person's row is copied from
    applied_on: dt.date | None = None

    @classmethod
    def of(cls, row: Restriction) -> Order:
        return cls(
            row.order_number,
            row.order_date,
            row.signed_by,
            row.listing_id,
            row.justification,
            tuple(row.overrides),
        )


def _create(
    case: Case, subject: Subject, capacity: str, role: str | None, order: Order, effective_from: dt.date
) -> Restriction:
    restriction = Restriction(
        case=case,
        court_id=case.court_id,
        subject=subject,
        capacity=capacity,
        role=role,
        order_number=order.number,
        order_date=order.date,
        signed_by=order.signed_by,
        listing_id=order.listing_id,
        effective_from=effective_from,
        justification=order.justification,
        overrides=list(order.overrides),
    )
    db.session.add(restriction)
    db.session.flush()
    events.record(
        "restriction",
        restriction.id,
        "restriction.created",
        {
            "case_id": case.id,
            "capacity": capacity,
            "role": role,
            "order_number": order.number,
            "effective_from": effective_from.isoformat(),
            "listing_id": order.listing_id,
            "overrides": restriction.overrides,
            "initiator": order.initiator,
            "applied_on": order.applied_on.isoformat() if order.applied_on else None,
        },
        court_id=case.court_id,
        subject_id=subject.id,
    )
    return restriction


def place_with_listing(listing: Listing) -> list[Restriction]:
    """C-IMPOSE-2: a listed debtor must be restricted, from the day the listing is published (D4). The rows
    carry the listing's written reasons; its overrides are counted on the listing, not again here."""
    case = listing.case
    order = Order(
        f"{listing.decision_number}（随失信决定限制消费）",
        listing.decision_date,
        listing.signed_by,
        listing.id,
        listing.justification,
        tuple(listing.overrides),
        listing.initiator,
    )
    return [
        _create_reached(case, reached, order)
        for reached in _reach(case, listing.publish_from)
        if not active_for(case, reached.subject.id)  # an order already in force keeps the invariant
    ]


def _assess(case: Case, proposal: OrderProposal) -> OrderAccepted:
    """As for listings: judged on the case as it stood on the order date, then on every fact since."""
    from blacklist_service.services import cases

    on_the_day = assess_restriction_order(cases.restriction_facts(case, proposal.order_date), proposal)
    if isinstance(on_the_day, Refusal):
        raise refused(on_the_day)
    since = assess_restriction_order(cases.restriction_facts(case), proposal)
    if isinstance(since, Refusal):
        raise refused(since)
    return OrderAccepted(tuple(dict.fromkeys(on_the_day.overrides + since.overrides)))


def issue_order(
    case: Case,
    order_number: str,
    order_date: dt.date,
    signed_by: str,
    justification: str | None = None,
    initiator: Initiator = Initiator.COURT,
    applied_on: dt.date | None = None,
) -> list[Restriction]:
    """Issue a 限制消费令 on the case's debtor (and an organisation's key persons)."""
    if order_date > clock.today():
        raise Invalid("the order date is in the future", code="date.future", field="order_date")
    justification = (justification or "").strip() or None
    proposal = OrderProposal(order_date, initiator, applied_on, justification)
    outcome = _assess(case, proposal)
    if active_for(case, case.debtor_id):
        raise Conflict("the debtor is already restricted in this case", code="restriction.exists")
    if db.session.scalar(select(Restriction.id).where(Restriction.order_number == order_number.strip())):
        raise Conflict("an order with this number exists", code="restriction.order_number_exists")
    order = Order(
        order_number.strip(),
        order_date,
        signed_by.strip(),
        justification=justification,
        overrides=tuple(o.value for o in outcome.overrides),
        initiator=initiator.value,
        applied_on=applied_on,
    )
    return [_create_reached(case, reached, order) for reached in _reach(case, order_date)]


def _lift(
    restriction: Restriction,
    reason: str,
    fact_date: dt.date,
    note: str | None = None,
    *,
    lifted_on: dt.date | None = None,
) -> Restriction:
    """Lift ``restriction``: from ``lifted_on`` when the court's record fixes the day (a key person out of the
    role, D1), else from today, the day of the court's lifting act (C-LIFT-SHALL: the court lifts it)."""
    restriction.lifted_on = lifted_on or clock.today()
    restriction.lift_reason = reason
    restriction.lift_fact_date = fact_date
    restriction.lift_note = note
    db.session.flush()
    events.record(
        "restriction",
        restriction.id,
        "restriction.lifted",
        {"reason": reason, "fact_date": fact_date.isoformat(), "case_id": restriction.case_id},
        court_id=restriction.court_id,
        subject_id=restriction.subject_id,
    )
    return restriction


def _in_force(case: Case) -> list[Restriction]:
    query = select(Restriction).where(Restriction.case_id == case.id, Restriction.lifted_on.is_(None))
    return list(db.session.scalars(query.order_by(Restriction.id)))


_CASE_LIFTS = {
    RemovalReason.FULL_PERFORMANCE: LiftReason.FULL_PERFORMANCE,
    RemovalReason.SETTLEMENT_PERFORMED: LiftReason.SETTLEMENT_PERFORMED,
    RemovalReason.NON_ENFORCEMENT: LiftReason.NON_ENFORCEMENT,
    RemovalReason.TERMINATION: LiftReason.TERMINATION,
}


def lift_for_case(case: Case, reason: RemovalReason, fact_date: dt.date) -> list[Restriction]:
    """D10: performance, non-enforcement and termination lift every restriction of the case; 终本,
    suspension and the applicant's deletion request do not (a restriction outlives its listing)."""
    lift_reason = _CASE_LIFTS.get(reason)
    if lift_reason is None:
        return []
    return [_lift(r, lift_reason.value, fact_date) for r in _in_force(case)]


def lift_for_listing(listing: Listing, reason: str, fact_date: dt.date) -> list[Restriction]:
    """D10: revoking a wrong listing lifts the restrictions placed only because of it."""
    query = select(Restriction).where(Restriction.listing_id == listing.id, Restriction.lifted_on.is_(None))
    return [_lift(r, LiftReason.LISTING_REVOKED.value, fact_date) for r in db.session.scalars(query)]


def lift_order(
    case: Case, order_number: str, reason: LiftReason, fact_date: dt.date, note: str | None
) -> list[Restriction]:
    """Art. 9: the court may lift on security or the applicant's consent — never while the debtor is listed."""
    from blacklist_service.services import listings

    if reason not in {LiftReason.SECURITY, LiftReason.APPLICANT_CONSENT}:
        raise Invalid(
            "lift on security or applicant_consent here; performance lifts by recording it",
            code="restriction.lift_reason",
            field="reason",
        )
    if fact_date > clock.today():
        raise Invalid("the date is in the future", code="date.future", field="fact_date")
    rows = [r for r in _in_force(case) if r.order_number == order_number]
    if not rows:
        raise NotFound("no restriction in force under this order", code="restriction.not_found")
    if listings.open_listing(case, case.debtor_id, clock.today()):
        raise Refused(
            "the debtor is on the dishonest-debtor list in this case; a listed debtor must stay restricted",
            code="restriction.debtor_listed",
            rule="限高规定 Art. 1 ¶2 (C-IMPOSE-2)",
            remedy="remove the listing first (performance, applicant's request, early deletion)",
        )
    return [_lift(r, reason.value, fact_date, note) for r in rows]


def get(restriction_id: int) -> Restriction:
    restriction = db.session.get(Restriction, restriction_id)
    if restriction is None:
        raise NotFound(f"no restriction {restriction_id}", code="restriction.not_found")
    return restriction


# --- Reach follows the organisation's key persons (C-ORG-1, C-LR-CHANGE) ----------------------------------


def _org_orders_reaching(organisation: Subject, since: dt.date) -> list[Restriction]:
    """The organisation's rows as debtor in force on some day from ``since``: in force now, or lifted after
    ``since`` (an order the clerk saw lifted before the key person was recorded)."""
    query = select(Restriction).where(
        Restriction.subject_id == organisation.id,
        Restriction.capacity == DEBTOR,
        or_(Restriction.lifted_on.is_(None), Restriction.lifted_on > since),
    )
    return list(db.session.scalars(query.order_by(Restriction.id)))


def _overlaps(row: Restriction, starts: dt.date, ends: dt.date | None) -> bool:
    """Whether ``row`` is in force on some day from ``starts`` until the day before ``ends`` (None: open)."""
    return (ends is None or row.effective_from < ends) and (row.lifted_on is None or starts < row.lifted_on)


def _already_reached(
    order: Restriction, person: Subject, role: str, starts: dt.date, ends: dt.date | None
) -> bool:
    query = select(Restriction).where(
        Restriction.case_id == order.case_id,
        Restriction.order_number == order.order_number,
        Restriction.subject_id == person.id,
        Restriction.role == role,
    )
    return any(_overlaps(row, starts, ends) for row in db.session.scalars(query))


def reach_new_key_person(
    organisation: Subject, person: Subject, role: str, since: dt.date
) -> list[Restriction]:
    """A key person recorded in a role held since ``since`` is restricted under each of the organisation's
    orders for the days he held it while it was in force (C-ORG-1), whichever the clerk entered first: an
    order lifted since then reaches him until the day it was lifted, with its lifting (D1: the court's dates,
    not the day of entry). A restriction, never a listing (RULE-1). Days an order already reaches him in
    this role get no second row."""
    created = []
    for order in _org_orders_reaching(organisation, since):
        starts = max(since, order.effective_from)
        if order.lifted_on is not None and order.lifted_on <= starts:
            continue
        if _already_reached(order, person, role, starts, order.lifted_on):
            continue
        row = _create(order.case, person, KEY_PERSON, role, Order.of(order), starts)
        if order.lifted_on is not None:
            fact_date = order.lift_fact_date or order.lifted_on
            _lift(row, order.lift_reason or "", fact_date, order.lift_note, lifted_on=order.lifted_on)
        created.append(row)
    return created


def release_former_key_person(
    organisation: Subject, person: Subject, role: str, on: dt.date, court_id: int
) -> list[Restriction]:
    """C-LR-CHANGE: a former key person (a legal representative or main responsible person replaced, or an
    actual controller or directly responsible person who left the role) is released from the rows of this
    court's orders that reach them in that role; another court's orders stay until that court releases them
    (``release``)."""
    lifted = []
    for order in _org_orders_reaching(organisation, on):
        if order.court_id != court_id:
            continue
        for r in _rows_reaching(order.case, person, role, on):
            # From the first day out of the role, the day the successor is reached from (D1). A row the
            # court lifted later (the order's lift, recorded first) ends earlier: he was out of the role.
            note = None if r.lifted_on is None else f"recorded lifted on {r.lifted_on} ({r.lift_reason})"
            lifted.append(_lift(r, KEY_PERSON_CHANGE, on, note, lifted_on=on))
    return lifted


def _rows_reaching(case: Case, person: Subject, role: str, on: dt.date) -> list[Restriction]:
    """``person``'s rows in ``role`` under the case's orders, in force on some day from ``on``."""
    query = select(Restriction).where(
        Restriction.case_id == case.id,
        Restriction.subject_id == person.id,
        Restriction.role == role,
        Restriction.capacity == KEY_PERSON,
        or_(Restriction.lifted_on.is_(None), Restriction.lifted_on > on),
    )
    return list(db.session.scalars(query.order_by(Restriction.id)))


# --- Court permissions (C-ORG-2, C-PERMIT, C-HUMANITARIAN) -------------------------------------------------


class RevocationReason(StrEnum):
    """Why a court revokes a permission (C-HUMANITARIAN: the first two bar further humanitarian lifts)."""

    FALSE_EVIDENCE = "false_evidence"  # 提供虚假证明材料
    BREACH_OF_UNDERTAKING = "breach_of_undertaking"  # 违反承诺
    OTHER = "other"


BARRING_REVOCATIONS = (RevocationReason.FALSE_EVIDENCE, RevocationReason.BREACH_OF_UNDERTAKING)


def grant_permission(
    restriction: Restriction,
    *,
    kind: str,
    valid_from: dt.date,
    approved_by: str,
    measures: list[str] | None = None,
    valid_until: dt.date | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Permission:
    """Record a court permission under a restriction in force, validated by the sanctions engine."""
    if restriction.lifted_on is not None:
        raise Conflict("the restriction has been lifted", code="restriction.lifted")
    _check_permission_capacity(restriction, kind)
    if kind == "humanitarian":
        _check_humanitarian_bar(restriction.subject_id)
    _validate_grant(restriction, kind, measures, valid_from, valid_until, reason)
    if kind == "humanitarian" and valid_until is not None:
        _check_humanitarian_chain(restriction, valid_from, valid_until)
    permission = Permission(
        restriction=restriction,
        kind=kind,
        measures=sorted(measures) if measures else None,
        valid_from=valid_from,
        valid_until=valid_until,
        approved_by=approved_by.strip(),
        reason=reason,
        note=note,
    )
    db.session.add(permission)
    db.session.flush()
    events.record(
        "restriction",
        restriction.id,
        "permission.granted",
        {
            "permission_id": permission.id,
            "kind": kind,
            "measures": permission.measures,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
        court_id=restriction.court_id,
        subject_id=restriction.subject_id,
    )
    return permission


def _check_permission_capacity(restriction: Restriction, kind: str) -> None:
    if kind == "personal_funds" and restriction.capacity != KEY_PERSON:
        raise Invalid(
            "a personal-funds permission is for an organisation's key person (C-ORG-2)",
            code="permission.capacity",
            field="kind",
        )
    if kind == "necessity" and restriction.capacity != DEBTOR:
        raise Invalid(
            "a necessity permission is for the debtor's own restriction (C-PERMIT)",
            code="permission.capacity",
            field="kind",
        )
    if kind == "humanitarian" and not restriction.subject.is_person:
        raise Invalid("a humanitarian lift is for a natural person", code="permission.capacity", field="kind")


def _check_humanitarian_bar(subject_id: int) -> None:
    """C-HUMANITARIAN (2019 Opinion §17(3)): once a humanitarian lift of this person was revoked for false
    evidence or a breach of the undertaking, no further application is approved, in any case or court."""
    barring = db.session.scalars(
        select(Permission)
        .join(Permission.restriction)
        .where(
            Restriction.subject_id == subject_id,
            Permission.kind == "humanitarian",
            Permission.revocation_reason.in_([r.value for r in BARRING_REVOCATIONS]),
        )
        .order_by(Permission.id)
        .limit(1)
    ).first()
    if barring is None:
        return
    raise Refused(
        f"a humanitarian lift of this person (permission {barring.id}, revoked on {barring.revoked_on}) was"
        f" revoked for {barring.revocation_reason}: no further humanitarian lift is approved (2019 Opinion"
        " §17(3))",
        code="permission.humanitarian_barred",
        rule=HumanitarianLift.rule,
        remedy=(
            "the flight and high-speed-rail measures end only with the restriction itself (performance,"
            " settlement, security, the applicant's consent); personal-funds and necessity permissions are"
            " unaffected"
        ),
    )


def _lifted_days(permission: Permission) -> tuple[dt.date, dt.date] | None:
    """The first and last day a humanitarian lift suspends the measures, or None if revoked before it began."""
    assert permission.valid_until is not None  # a humanitarian lift always has its end (_validate_grant)
    last = permission.valid_until
    if permission.revoked_on is not None:
        last = min(last, permission.revoked_on - dt.timedelta(days=1))
    return (permission.valid_from, last) if permission.valid_from <= last else None


def _check_humanitarian_chain(restriction: Restriction, valid_from: dt.date, valid_until: dt.date) -> None:
    """C-HUMANITARIAN, D11: a humanitarian lift lasts at most one month. We read the limit as one stretch of
    days without the measures, not one grant at a time: a lift that overlaps another under the same order, or
    runs on from it (starts the day after it ends, or ends the day before it starts), is refused — otherwise
    monthly grants end to end would suspend the flight and high-speed-rail measures for good and the month
    would mean nothing. A lift after at least one day with the measures back is a new application, judged on
    its own grounds. The order is the court's order as it reaches the person, on any of their rows (a
    permission holds on them all, ``services.status``)."""
    siblings = select(Restriction.id).where(
        Restriction.subject_id == restriction.subject_id,
        Restriction.court_id == restriction.court_id,
        Restriction.case_id == restriction.case_id,
        Restriction.order_number == restriction.order_number,
    )
    lifts = db.session.scalars(
        select(Permission)
        .where(Permission.restriction_id.in_(siblings), Permission.kind == "humanitarian")
        .order_by(Permission.id)
    )
    for other in lifts:
        days = _lifted_days(other)
        if days is None:
            continue
        first, last = days
        if valid_from <= last + dt.timedelta(days=1) and first <= valid_until + dt.timedelta(days=1):
            raise Refused(
                f"humanitarian lift {other.id} suspends the measures from {first} to {last}: a lift from"
                f" {valid_from} to {valid_until} overlaps it or runs on from it, and the flight and"
                " high-speed-rail measures would stay suspended for more than one month (2019 Opinion §17(3))",
                code="permission.humanitarian_consecutive",
                rule=f"{HumanitarianLift.rule}, D11",
                remedy=(
                    "a lift lasts at most one month in one stretch: leave at least one day between two lifts"
                    " on which the measures apply"
                ),
            )


def _validate_grant(
    restriction: Restriction,
    kind: str,
    measures: list[str] | None,
    valid_from: dt.date,
    valid_until: dt.date | None,
    reason: str | None,
) -> None:
    try:
        if kind == "personal_funds":
            PersonalFundsPermission(
                organisation=restriction.case.debtor.identifier,
                valid_from=valid_from,
                valid_until=valid_until,
                measures=frozenset(measures) if measures else None,
            )
        elif kind == "necessity":
            NecessityPermission(
                measures=frozenset(measures or ()), valid_from=valid_from, valid_until=valid_until
            )
        else:
            if valid_until is None or reason is None:
                raise Invalid(
                    "a humanitarian lift needs its end date and reason",
                    code="permission.humanitarian",
                    field="valid_until" if valid_until is None else "reason",
                )
            HumanitarianLift(valid_from=valid_from, valid_until=valid_until, reason=reason)
    except InvalidInput as exc:
        raise Invalid(exc.message, code=f"permission.{exc.code}") from None
    except ValueError as exc:
        raise Invalid(str(exc), code="permission.invalid") from None


def revoke_permission(
    permission: Permission, on: dt.date, note: str | None, *, reason: RevocationReason
) -> Permission:
    """E.g. false evidence for a humanitarian lift: the restriction applies again from ``on``.

    A humanitarian lift revoked for false evidence or a breach of the undertaking also bars every further
    humanitarian lift for the person (C-HUMANITARIAN).
    """
    if permission.revoked_on is not None:
        raise Conflict("already revoked", code="permission.revoked")
    if on < clock.today():  # a revocation cannot rewrite what partners were told on earlier days (D1)
        raise Invalid("a revocation takes effect today or later", code="date.past", field="revoked_on")
    permission.revoked_on = on
    permission.revocation_reason = reason.value
    permission.note = "\n".join(x for x in (permission.note, note) if x)
    db.session.flush()
    restriction = permission.restriction
    events.record(
        "restriction",
        restriction.id,
        "permission.revoked",
        {"permission_id": permission.id, "revoked_on": on.isoformat(), "revocation_reason": reason.value},
        court_id=restriction.court_id,
        subject_id=restriction.subject_id,
    )
    return permission


def get_permission(permission_id: int) -> Permission:
    permission = db.session.get(Permission, permission_id)
    if permission is None:
        raise NotFound(f"no permission {permission_id}", code="permission.not_found")
    return permission


def release(restriction: Restriction, fact_date: dt.date, note: str | None) -> Restriction:
    """C-LR-CHANGE: release a key person who no longer holds the role (recorded by any court)."""
    if restriction.lifted_on is not None:
        raise Conflict("already lifted", code="restriction.lifted")
    if restriction.capacity != KEY_PERSON:
        raise Invalid(
            "only a key person's restriction is released this way", code="restriction.not_key_person"
        )
    organisation = restriction.case.debtor
    holds = any(
        k.person_id == restriction.subject_id and k.role == restriction.role
        for k in organisation.current_key_persons(clock.today())
    )
    if holds:
        raise Conflict("the person still holds this role in the organisation", code="restriction.role_held")
    if fact_date > clock.today():
        raise Invalid("the date is in the future", code="date.future", field="fact_date")
    _check_not_before_role_end(organisation, restriction, fact_date)
    return _lift(restriction, KEY_PERSON_CHANGE, fact_date, note, lifted_on=fact_date)


def _check_not_before_role_end(organisation: Subject, restriction: Restriction, fact_date: dt.date) -> None:
    """A release dated before the person left the role would show them in office and unrestricted on the
    days between (C-ORG-1 reaches whoever holds the role)."""
    ends = [
        k.until
        for k in organisation.key_persons
        if k.person_id == restriction.subject_id and k.role == restriction.role and k.until is not None
    ]
    if ends and fact_date < max(ends):
        raise Invalid(
            f"the person held the role until {max(ends) - dt.timedelta(days=1)}: the release takes effect on"
            f" {max(ends)} (the first day out of it) or later",
            code="restriction.release_before_role_end",
            field="fact_date",
        )


# --- Changes that come with the date alone (rule three: removals and returns must reach partners) -----------

DATED_ACTIONS = ("restriction.effective", "permission.effective", "permission.ended")


def announce_dated_changes() -> list[Event]:
    """Record, once each, what changes with the date alone and no court act marks: a restriction taking
    effect after a grace period (D4; an organisation's key persons among them), a permission starting on
    a later day than it was granted, and a permission ending — its last day passed, or a revocation
    decided earlier took effect — so the measures it suspended return (D11). Log followers, the
    partners' change feed first, learn of them (rule three)."""
    today = clock.today()
    announced = {
        (entity, entity_id, action)
        for entity, entity_id, action in db.session.execute(
            select(Event.entity, Event.entity_id, Event.action).where(Event.action.in_(DATED_ACTIONS))
        )
    }
    recorded = []
    delayed = select(Restriction).where(
        Restriction.effective_from > Restriction.order_date,
        Restriction.effective_from <= today,
        (Restriction.lifted_on.is_(None)) | (Restriction.lifted_on > Restriction.effective_from),
    )
    for restriction in db.session.scalars(delayed.order_by(Restriction.id)):
        if ("restriction", restriction.id, "restriction.effective") not in announced:
            data = {"effective_from": restriction.effective_from.isoformat()}
            recorded.append(
                _announce("restriction", restriction.id, "restriction.effective", restriction, data)
            )
    decided_on = _permission_decision_dates()
    for permission in db.session.scalars(
        select(Permission).where(Permission.valid_from <= today).order_by(Permission.id)
    ):
        granted_on, revoked_decided_on = decided_on.get(permission.id, (None, None))
        data = {"restriction_id": permission.restriction_id, "kind": permission.kind}
        starts_later = granted_on is not None and permission.valid_from > granted_on
        if starts_later and ("permission", permission.id, "permission.effective") not in announced:
            data_from = {**data, "valid_from": permission.valid_from.isoformat()}
            recorded.append(
                _announce(
                    "permission", permission.id, "permission.effective", permission.restriction, data_from
                )
            )
        ended = _ending_to_announce(permission, revoked_decided_on)
        if (
            ended is not None
            and ended <= today
            and ("permission", permission.id, "permission.ended") not in announced
        ):
            data_ended = {**data, "ended_on": ended.isoformat()}
            recorded.append(
                _announce("permission", permission.id, "permission.ended", permission.restriction, data_ended)
            )
    return recorded


def _permission_decision_dates() -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """Permission id → (day it was granted, day its revocation was decided), from the event log."""
    dates: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    rows = db.session.execute(
        select(Event.action, Event.on_date, Event.data).where(
            Event.action.in_(("permission.granted", "permission.revoked"))
        )
    )
    for action, on_date, data in rows:
        granted, revoked = dates.get(data["permission_id"], (None, None))
        if action == "permission.granted":
            granted = on_date
        else:
            revoked = on_date
        dates[data["permission_id"]] = (granted, revoked)
    return dates


def _ending_to_announce(permission: Permission, revocation_decided_on: dt.date | None) -> dt.date | None:
    """The first day the permission no longer applies, unless the revocation that ends it was in force
    the day it was decided (its own event told the log already)."""
    end_of_term = permission.valid_until + dt.timedelta(days=1) if permission.valid_until else None
    revoked = permission.revoked_on
    if revoked is not None and (end_of_term is None or revoked < end_of_term):
        return revoked if revocation_decided_on is None or revoked > revocation_decided_on else None
    return end_of_term


def _announce(
    entity: str, entity_id: int, action: str, restriction: Restriction, data: dict[str, str | int]
) -> Event:
    return events.record(
        entity, entity_id, action, data, court_id=restriction.court_id, subject_id=restriction.subject_id
    )


def count_order_overrides(court: Court, on: dt.date) -> dict[str, int]:
    """How often this court ordered a restriction over a refusal with a written justification (one per order),
    in the orders made by ``on``."""
    query = select(Restriction.overrides).where(
        Restriction.court_id == court.id,
        Restriction.capacity == DEBTOR,
        Restriction.listing_id.is_(None),
        Restriction.order_date <= on,
    )
    return dict(Counter(name for overrides in db.session.scalars(query) for name in overrides or []))


# --- How a restriction ends, as the person it reaches is told (self-check) ----------------------------------


def _way(code: str, zh: str, en: str) -> dict[str, str]:
    return {"code": code, "zh": zh, "en": en}


_NOT_WHILE_LISTED = _way(
    "security_or_consent",
    "提供确实有效的担保，或申请执行人同意的，法院可以解除；但本案失信名单信息删除前不予解除",
    "Give genuine and effective security, or obtain the applicant's consent: the court may lift it, but not"
    " while the debtor is on the dishonest-debtor list in this case",
)


def ways_to_end(restriction: Restriction, on: dt.date) -> list[dict[str, str]]:
    """The ways the register accepts to end (or relax) this row, in plain language: a debtor's own (限高规定
    Arts. 8, 9; D10), or a key person's (C-ORG-2, C-LR-CHANGE), never the other's — a necessity permission
    is refused on a key person's row, and a debtor listed in the case is not lifted on security or consent
    (C-IMPOSE-2, ``lift_order``)."""
    from blacklist_service.services import listings

    case = restriction.case
    listed = listings.open_listing(case, case.debtor_id, on) is not None
    if restriction.capacity == KEY_PERSON:
        return _key_person_ways(KeyRole(restriction.role), listed)
    return [
        _way(
            "full_performance",
            "全部履行义务后，法院应当及时解除",
            "Pay in full: the court must lift it promptly",
        ),
        _way(
            "settlement_performed",
            "与申请执行人达成执行和解协议并全部履行的，法院应当解除",
            "Perform in full a settlement reached with the applicant: the court must lift it",
        ),
        _NOT_WHILE_LISTED
        if listed
        else _way(
            "security_or_consent",
            "提供确实有效的担保，或申请执行人同意的，法院可以解除",
            "Give genuine and effective security, or obtain the applicant's consent: the court may lift it",
        ),
        _way(
            "permission",
            "因生活或经营必需进行限制项目消费的，可以向法院申请许可",
            "For consumption necessary for living or business, apply to the court for permission",
        ),
    ]


def _key_person_ways(role: KeyRole, organisation_listed: bool) -> list[dict[str, str]]:
    security = _way(
        "security_or_consent",
        "单位提供确实有效的担保，或申请执行人同意的，法院可以解除该限制消费令"
        + ("；但本案失信名单信息删除前不予解除" if organisation_listed else ""),
        "The organisation gives genuine and effective security, or the applicant consents: the court may lift"
        " the order"
        + (", but not while the organisation is on the list in this case" if organisation_listed else ""),
    )
    if role in {KeyRole.LEGAL_REPRESENTATIVE, KeyRole.MAIN_RESPONSIBLE}:
        left = _way(
            "left_role",
            "因经营需要确已不再担任该职务的，可以向法院申请解除对本人的限制，但须证明本人不是实际控制人或影响债务"
            "履行的直接责任人员（2019年意见第17条第2项）",
            "If you no longer hold the post for genuine business reasons, apply to the court for your release:"
            " you must show you are not the actual controller or a person directly responsible for the"
            " non-performance (2019 Opinion §17(2))",
        )
    else:
        left = _way(
            "left_role",
            "不再担任该职务的，请限制消费令所属法院记录；自离任之日起解除对本人的限制",
            "If you no longer hold the role, ask each court whose order reaches you to record it: you are"
            " released from the day you left",
        )
    return [
        _way(
            "full_performance",
            "被执行单位全部履行义务或全部履行执行和解协议后，法院应当及时解除",
            "The organisation pays in full, or performs in full a settlement with the applicant: the court must"
            " lift it promptly",
        ),
        security,
        left,
        _way(
            "personal_funds",
            "因私消费以个人财产实施限制项目的，可以向法院申请，经查证属实的，法院应予准许",
            "For private consumption with your own money, apply to the court: if this checks out it must allow"
            " it",
        ),
    ]
