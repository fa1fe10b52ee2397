"""A subject's statuses from the register, as the sanctions engine sees them (``SubjectStatus``).

Statuses come only from records in force on the given day: active listings (published, within their term,
not removed), restrictions in force, and court permissions in force. Removing a listing or lifting a
restriction therefore ends every measure derived from it at once (rule three, D10).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from blacklist_service.extensions import db
from blacklist_service.models import Case, Listing, Permission, Restriction, Subject
from blacklist_service.services.restrictions import DEBTOR, KEY_PERSON
from sanctions.catalogue import KeyRole, Sector
from sanctions.decide import MeasureDecision, decide, decide_all
from sanctions.listing import ListingState, listing_state
from sanctions.subject import (
    HumanitarianLift,
    KeyPosition,
    NecessityPermission,
    PersonalFundsPermission,
    SubjectKind,
    SubjectStatus,
)
from sanctions.subject import Permission as Grant

log = logging.getLogger(__name__)

PERSONAL_FUNDS = "personal_funds"
NECESSITY = "necessity"
HUMANITARIAN = "humanitarian"


def _listings_in_force(
    subject_ids: Collection[int], on: dt.date, undo_from: dt.date | None = None
) -> list[Listing]:
    """Active listings on ``on``; with ``undo_from``, removals recorded from that day on count as not yet made."""
    not_removed = or_(Listing.removed_on.is_(None), Listing.removed_on > on)
    if undo_from is not None:
        not_removed = or_(not_removed, Listing.removed_on >= undo_from)
    query = select(Listing).where(
        Listing.subject_id.in_(subject_ids),
        Listing.publish_from <= on,
        not_removed,
        or_(Listing.term_end.is_(None), Listing.term_end >= on),
    )
    return [x for x in db.session.scalars(query.order_by(Listing.id)) if _active(x, on, undo_from)]


def _active(listing: Listing, on: dt.date, undo_from: dt.date | None) -> bool:
    removed_on = listing.removed_on
    if removed_on is not None and undo_from is not None and removed_on >= undo_from:
        removed_on = None
    return listing_state(listing.publish_from, listing.term_end, removed_on, on) is ListingState.ACTIVE


def _restrictions_in_force(
    subject_ids: Collection[int], on: dt.date, undo_from: dt.date | None = None
) -> list[Restriction]:
    in_force = Restriction.is_active(on)
    if undo_from is not None:
        in_force = or_(in_force, and_(Restriction.effective_from <= on, Restriction.lifted_on >= undo_from))
    query = (
        select(Restriction)
        .where(Restriction.subject_id.in_(subject_ids), in_force)
        .options(selectinload(Restriction.case).selectinload(Case.debtor))
    )
    return list(db.session.scalars(query.order_by(Restriction.id)))


# One court's order as it reaches one person: a person holding two roles in the organisation (legal
# representative and actual controller) has one row per role under the same order.
OrderKey = tuple[int, int, int, str]  # subject, court, case, order number


def _order_key(restriction: Restriction) -> OrderKey:
    return (restriction.subject_id, restriction.court_id, restriction.case_id, restriction.order_number)


def _permissions_in_force(subject_ids: Collection[int], on: dt.date) -> dict[OrderKey, list[Permission]]:
    """The permissions in force on ``on``, by the order they were granted under. A court grants a permission
    to the person under its order, not to one of their roles: it holds on every row of that order for the
    person, including a row granted on a role since left (C-ORG-2, C-PERMIT, C-HUMANITARIAN)."""
    query = (
        select(Permission)
        .join(Permission.restriction)
        .where(
            Restriction.subject_id.in_(subject_ids),
            Permission.in_force(on),
        )
        .options(contains_eager(Permission.restriction))
    )
    by_order: dict[OrderKey, list[Permission]] = {}
    for permission in db.session.scalars(query.order_by(Permission.id)):
        by_order.setdefault(_order_key(permission.restriction), []).append(permission)
    return by_order


def _covered(grants: list[Permission], kind: str) -> tuple[list[Permission], frozenset[str] | None]:
    """Permissions of ``kind`` under one order, and the measure codes they cover (None: all)."""
    grants = [p for p in grants if p.kind == kind]
    if any(p.measures is None for p in grants):
        return grants, None
    return grants, frozenset(code for p in grants for code in p.measures or ())


@dataclass(frozen=True)
class _Shared:
    """A permission that every order in force grants: one of them (for its reference and reason), the measure
    codes all of them cover (None: every item), and the days all of them are in force together."""

    permission: Permission
    codes: frozenset[str] | None
    valid_from: dt.date
    valid_until: dt.date | None


def _last_day(permission: Permission) -> dt.date | None:
    """The last day the permission is in force: its end, or the day before a revocation taking effect."""
    revoked = permission.revoked_on and permission.revoked_on - dt.timedelta(days=1)
    ends = [day for day in (permission.valid_until, revoked) if day is not None]
    return min(ends, default=None)


def _span(grants: list[Permission]) -> tuple[dt.date, dt.date | None]:
    """From the first day one of an order's grants is in force to the last (None: open-ended)."""
    ends = [_last_day(p) for p in grants]
    return min(p.valid_from for p in grants), None if None in ends else max(e for e in ends if e)


def _common(orders: Iterable[list[Permission]], kind: str) -> _Shared | None:
    """A permission holds only if every order in force on the person grants it: one court cannot lift
    another's ban, nor one order another order's. It is shown with the days they all share, so a partner told
    it runs until a day does not find the ban back before it (C-HUMANITARIAN, D11).

    ``orders`` gives the permissions in force under each order.
    """
    first: Permission | None = None
    common: frozenset[str] | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    for permissions in orders:
        grants, codes = _covered(permissions, kind)
        if not grants:
            return None
        first = first or grants[0]
        if codes is not None:
            common = codes if common is None else common & codes
        starts, ends = _span(grants)
        valid_from = starts if valid_from is None else max(valid_from, starts)
        valid_until = ends if valid_until is None else min(valid_until, ends or valid_until)
    if first is None or valid_from is None or (common is not None and not common):
        return None
    return _Shared(first, common, valid_from, valid_until)


def _under_orders(
    restrictions: Iterable[Restriction], permissions: dict[OrderKey, list[Permission]]
) -> list[list[Permission]]:
    """The permissions in force under each distinct order among ``restrictions``."""
    orders = dict.fromkeys(_order_key(r) for r in restrictions)
    return [permissions.get(order, []) for order in orders]


def _grants(
    own: list[Restriction],
    keyed: list[Restriction],
    permissions: dict[OrderKey, list[Permission]],
) -> tuple[Grant, ...]:
    grants: list[Grant] = []
    necessity = _common(_under_orders(own, permissions), NECESSITY) if own else None
    if necessity is not None:
        grants.append(
            NecessityPermission(
                measures=necessity.codes or frozenset(necessity.permission.measures or ()),
                valid_from=necessity.valid_from,
                valid_until=necessity.valid_until,
                reference=f"permission {necessity.permission.id}",
            )
        )
    for organisation, group in _by_organisation(keyed).items():
        funds = _common(_under_orders(group, permissions), PERSONAL_FUNDS)
        if funds is not None:
            grants.append(
                PersonalFundsPermission(
                    organisation=organisation,
                    measures=funds.codes,
                    valid_from=funds.valid_from,
                    valid_until=funds.valid_until,
                    reference=f"permission {funds.permission.id}",
                )
            )
    person_restrictions = own + keyed
    lift = (
        _common(_under_orders(person_restrictions, permissions), HUMANITARIAN)
        if person_restrictions
        else None
    )
    if lift is not None and lift.valid_until is not None and lift.permission.reason:
        grants.append(
            HumanitarianLift(
                valid_from=lift.valid_from,
                valid_until=lift.valid_until,
                reason=lift.permission.reason,
                reference=f"permission {lift.permission.id}",
            )
        )
    return tuple(grants)


def _by_organisation(keyed: list[Restriction]) -> dict[str, list[Restriction]]:
    groups: dict[str, list[Restriction]] = {}
    for restriction in keyed:
        groups.setdefault(restriction.case.debtor.identifier, []).append(restriction)
    return groups


@dataclass(frozen=True)
class Standing:
    """What is in force for one subject on a day: the records and the status the sanctions engine reads."""

    listings: list[Listing]
    restrictions: list[Restriction]
    status: SubjectStatus


def standings(
    subjects: Collection[Subject], on: dt.date, *, undo_from: dt.date | None = None
) -> dict[int, Standing]:
    """Statuses of many subjects at once (a few queries in all, not a few per subject).

    ``undo_from``: listings removed and restrictions lifted from that day on count as still in force, as a
    log follower may have seen them earlier that day (the change feed, RULE-3); permissions are taken as
    they stand on ``on``."""
    ids = [s.id for s in subjects]
    listings: dict[int, list[Listing]] = {i: [] for i in ids}
    for listing in _listings_in_force(ids, on, undo_from):
        listings[listing.subject_id].append(listing)
    restrictions: dict[int, list[Restriction]] = {i: [] for i in ids}
    for restriction in _restrictions_in_force(ids, on, undo_from):
        restrictions[restriction.subject_id].append(restriction)
    organisations = {r.case.debtor_id for rs in restrictions.values() for r in rs if r.capacity == KEY_PERSON}
    listed_organisations = (
        {x.subject_id for x in _listings_in_force(organisations, on, undo_from)} if organisations else set()
    )
    permissions = _permissions_in_force(ids, on)
    return {
        s.id: Standing(
            listings[s.id],
            restrictions[s.id],
            _status(s, bool(listings[s.id]), restrictions[s.id], listed_organisations, permissions),
        )
        for s in subjects
    }


def _status(
    subject: Subject,
    listed: bool,
    restrictions: list[Restriction],
    listed_organisations: set[int],
    permissions: dict[OrderKey, list[Permission]],
) -> SubjectStatus:
    own = [r for r in restrictions if r.capacity == DEBTOR]
    keyed = [r for r in restrictions if r.capacity == KEY_PERSON]
    if listed and not own:  # cannot happen through the API (C-IMPOSE-2); never let it open a gap
        log.error("subject %s is listed without a restriction in force", subject.id)
    positions = tuple(
        dict.fromkeys(
            KeyPosition(
                organisation=r.case.debtor.identifier,
                role=KeyRole(r.role),
                organisation_listed=r.case.debtor_id in listed_organisations,
            )
            for r in keyed
        )
    )
    kind = SubjectKind.PERSON if subject.is_person else SubjectKind.ORGANISATION
    grants = _grants(own, keyed, permissions) if subject.is_person else _grants(own, [], permissions)
    return SubjectStatus(
        kind, listed=listed, restricted=bool(own) or listed, key_positions=positions, permissions=grants
    )


def status_of(subject: Subject, on: dt.date) -> SubjectStatus:
    """The subject's statuses on ``on``, from the listings, restrictions and permissions in force."""
    return standings([subject], on)[subject.id].status


def measures_for(subject: Subject, on: dt.date, sector: Sector | None = None) -> tuple[MeasureDecision, ...]:
    """The measures that apply to the subject on ``on``: one sector's, or every sector's."""
    status = status_of(subject, on)
    return decide(status, sector, on) if sector else decide_all(status, on)
