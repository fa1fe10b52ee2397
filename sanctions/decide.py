"""Decide which measures apply to a subject in a sector, and whether a concrete purchase may go ahead.

The functions see only current statuses (:class:`~sanctions.subject.SubjectStatus`). A removed listing or a
lifted restriction therefore simply stops firing the measures derived from it: not listed and not
restricted means nothing applies, and listing-only measures vanish with the listing even while a
restriction remains (D10).
A debtor's child is never a subject (EDU-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sanctions.catalogue import (
    MEASURES,
    Effect,
    KeyRole,
    LegalBasis,
    Measure,
    Sector,
    Target,
    Trigger,
    get_measure,
    list_measures,
)
from sanctions.subject import (
    HumanitarianLift,
    HumanitarianReason,
    InvalidInput,
    KeyPosition,
    NecessityPermission,
    Permission,
    PersonalFundsPermission,
    SubjectKind,
    SubjectStatus,
    _coerce,
    consumption_measure,
)

# The API layer needs only this module: decisions, purchases and the status types from sanctions.subject.
__all__ = [
    "ConsumptionItem",
    "Decision",
    "Flight",
    "FlightCabin",
    "Ground",
    "HotelStay",
    "HumanitarianLift",
    "HumanitarianReason",
    "Institution",
    "InvalidInput",
    "KeyPosition",
    "KeyRole",
    "MeasureDecision",
    "NecessityPermission",
    "Payer",
    "Permission",
    "PersonalFundsPermission",
    "Purchase",
    "PurchaseCheck",
    "SchoolPayment",
    "SeatClass",
    "ShipCabin",
    "ShipTicket",
    "SubjectKind",
    "SubjectStatus",
    "TrainPrefix",
    "TrainTicket",
    "check_purchase",
    "decide",
    "decide_all",
    "decide_measure",
]


class Decision(StrEnum):
    """What the partner should do."""

    DENY = "deny"
    ALLOW = "allow"
    ALLOW_WITH_PERMISSION = "allow_with_permission"  # a court permission in force suspends the ban
    FLAG = "flag"  # not a ban: take the status into account (prudential reference, monitoring)


_SEVERITY = (Decision.DENY, Decision.ALLOW_WITH_PERMISSION, Decision.FLAG)

_STATUS_TEXT = {
    Trigger.LISTED: "on the dishonest-debtor list",
    Trigger.RESTRICTED: "under a consumption restriction",
    Trigger.EITHER: "listed or under a consumption restriction",
}


@dataclass(frozen=True)
class Ground:
    """One way a measure reaches the subject: as the debtor, or as a key person of an organisation debtor."""

    capacity: Target
    effect: Effect
    reason: str
    organisation: str | None = None
    role: KeyRole | None = None
    permission: Permission | None = None

    @property
    def decision(self) -> Decision:
        """FLAG for a reference, ALLOW_WITH_PERMISSION for a ban a permission suspends, else DENY."""
        if self.effect is Effect.REFERENCE:
            return Decision.FLAG
        return Decision.DENY if self.permission is None else Decision.ALLOW_WITH_PERMISSION


@dataclass(frozen=True)
class MeasureDecision:
    """The decision on one measure, with every ground that reaches the subject.

    The decision is the strictest over the grounds: one unpermitted ban denies, even if a permission covers
    another capacity (e.g. a key person's personal-funds permission does not lift their own restriction).
    """

    measure: Measure
    decision: Decision
    grounds: tuple[Ground, ...]

    @property
    def basis(self) -> tuple[LegalBasis, ...]:
        """The measure's legal basis, followed by that of any permission that changed the decision."""
        extra = tuple(b for p in self.permissions for b in p.basis)
        return self.measure.basis + extra

    @property
    def permissions(self) -> tuple[Permission, ...]:
        """The permissions that suspend a ban on some ground, without repeats."""
        return tuple(dict.fromkeys(g.permission for g in self.grounds if g.permission is not None))

    @property
    def reason(self) -> str:
        """A one-line human-readable account of the grounds."""
        return "; ".join(g.reason for g in self.grounds)


def _permission(
    status: SubjectStatus, measure: Measure, ground: Target, org: str | None, on: dt.date
) -> Permission | None:
    for permission in status.permissions:
        if permission.active_on(on) and permission.lifts(measure, ground, org):
            return permission
    return None


def _ground(
    status: SubjectStatus,
    measure: Measure,
    capacity: Target,
    effect: Effect,
    who: str,
    on: dt.date,
    organisation: str | None = None,
    role: KeyRole | None = None,
) -> Ground:
    permission = _permission(status, measure, capacity, organisation, on) if effect is Effect.BAN else None
    text = f"{effect}: {who} {_STATUS_TEXT[measure.trigger]}"
    if permission is not None:
        end = f"until {permission.valid_until}" if permission.valid_until else "until revoked"
        text += f"; suspended by {permission.rule} permission from {permission.valid_from} {end}"
    return Ground(capacity, effect, text, organisation, role, permission)


def decide_measure(status: SubjectStatus, measure: Measure, on: dt.date) -> MeasureDecision | None:
    """The decision on one measure for ``status`` on day ``on``, or None when the measure does not apply."""
    if status.kind is SubjectKind.CHILD:
        return None
    grounds: list[Ground] = []
    own = Target.DEBTOR_PERSON if status.kind is SubjectKind.PERSON else Target.DEBTOR_ORGANISATION
    reach = measure.reaches(own)
    if reach is not None and measure.trigger.fires(listed=status.listed, restricted=status.restricted):
        grounds.append(_ground(status, measure, own, reach.effect, "the subject is", on))
    for position in status.key_positions:
        reach = measure.reaches(Target.KEY_PERSON, position.role)
        if reach is not None and measure.trigger.fires(listed=position.organisation_listed, restricted=True):
            who = f"the subject is {position.role} of {position.organisation}, which is"
            grounds.append(
                _ground(
                    status,
                    measure,
                    Target.KEY_PERSON,
                    reach.effect,
                    who,
                    on,
                    position.organisation,
                    position.role,
                )
            )
    if not grounds:
        return None
    decision = min((g.decision for g in grounds), key=_SEVERITY.index)
    return MeasureDecision(measure, decision, tuple(grounds))


def _decide_all(
    status: SubjectStatus, measures: tuple[Measure, ...], on: dt.date
) -> tuple[MeasureDecision, ...]:
    decisions = (decide_measure(status, m, on) for m in measures)
    return tuple(d for d in decisions if d is not None)


def decide(status: SubjectStatus, sector: Sector, on: dt.date) -> tuple[MeasureDecision, ...]:
    """The measures of ``sector`` that apply to ``status`` on day ``on``, in catalogue order.

    Returns only measures of the requested sector that reach the subject; an empty tuple means nothing applies
    (the partner may proceed). Each item carries the decision (DENY, ALLOW_WITH_PERMISSION or FLAG), the
    grounds, the legal basis and any permission that changed it.
    """
    return _decide_all(status, list_measures(sector=sector), on)


def decide_all(status: SubjectStatus, on: dt.date) -> tuple[MeasureDecision, ...]:
    """Every measure that applies to ``status`` on day ``on``, across all sectors, in catalogue order."""
    return _decide_all(status, MEASURES, on)


# --- Concrete purchases -------------------------------------------------------------------------------------


class FlightCabin(StrEnum):
    ECONOMY = "economy"
    PREMIUM_ECONOMY = "premium_economy"
    BUSINESS = "business"
    FIRST = "first"


class TrainPrefix(StrEnum):
    G = "G"
    D = "D"
    C = "C"
    Z = "Z"
    T = "T"
    K = "K"
    OTHER = "other"


class SeatClass(StrEnum):
    """Seat or berth class. D-train sleepers: 一等卧 is SOFT_SLEEPER, 二等卧 is HARD_SLEEPER."""

    HARD_SEAT = "hard_seat"
    SOFT_SEAT = "soft_seat"
    HARD_SLEEPER = "hard_sleeper"
    SECOND_CLASS = "second_class"
    FIRST_CLASS = "first_class"
    BUSINESS_CLASS = "business_class"  # 商务座, 特等座
    SOFT_SLEEPER = "soft_sleeper"
    DELUXE_SOFT_SLEEPER = "deluxe_soft_sleeper"  # 高级软卧


# Soft sleeper and above (XF1) and first class and above (XF9).
_HIGH_CLASS = frozenset(
    {SeatClass.FIRST_CLASS, SeatClass.BUSINESS_CLASS, SeatClass.SOFT_SLEEPER, SeatClass.DELUXE_SOFT_SLEEPER}
)


class ShipCabin(StrEnum):
    SPECIAL = "special"  # 特等舱
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    FOURTH = "fourth"
    FIFTH = "fifth"
    SEAT = "seat"  # 散席, 座位


_HIGH_CABIN = frozenset({ShipCabin.SPECIAL, ShipCabin.FIRST, ShipCabin.SECOND})


class Institution(StrEnum):
    PUBLIC_SCHOOL = "public_school"
    PRIVATE_SCHOOL = "private_school"  # ordinary fees
    HIGH_FEE_PRIVATE_SCHOOL = "high_fee_private_school"
    UNIVERSITY = "university"  # any university, public or private (EDU-3)
    ADMISSION_EXAM = "admission_exam"  # gaokao and other admission examinations (EDU-3)


class Payer(StrEnum):
    SUBJECT = "subject"  # the subject, with their own property
    OTHER = "other"  # anyone else: a relative, a scholarship, …


@dataclass(frozen=True)
class Flight:
    cabin: FlightCabin = FlightCabin.ECONOMY

    def __post_init__(self) -> None:
        _coerce(self, "cabin", FlightCabin)


@dataclass(frozen=True)
class TrainTicket:
    prefix: TrainPrefix
    seat: SeatClass

    def __post_init__(self) -> None:
        _coerce(self, "prefix", TrainPrefix)
        _coerce(self, "seat", SeatClass)


@dataclass(frozen=True)
class ShipTicket:
    cabin: ShipCabin

    def __post_init__(self) -> None:
        _coerce(self, "cabin", ShipCabin)


@dataclass(frozen=True)
class HotelStay:
    """A hotel stay: ``star_rating`` 0 (unrated) to 5; ``high_end`` marks other high-end lodging ((七)2)."""

    star_rating: int
    high_end: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.star_rating <= 5:
            raise InvalidInput("star_rating_out_of_range", f"star rating {self.star_rating} is not 0 to 5")


@dataclass(frozen=True)
class SchoolPayment:
    """A payment of school fees or admission costs for the subject's child, and who pays."""

    institution: Institution
    payer: Payer

    def __post_init__(self) -> None:
        _coerce(self, "institution", Institution)
        _coerce(self, "payer", Payer)


# Measures whose rule turns on facts of the purchase, with the purchase type that carries them. Named bare,
# a school fee would be denied whoever pays and whatever the school (EDU-2, EDU-3), a D-train second-class
# seat or an unrated inn as if restricted (XF9, XF2): each is described by its own type, never by its code.
_DESCRIBED_BY: dict[str, type] = {
    "AVIATION_FLIGHT": Flight,
    "RAIL_HIGH_SPEED": TrainTicket,
    "RAIL_HIGH_CLASS": TrainTicket,
    "SHIP_CABIN": ShipTicket,
    "HOTEL_STAR": HotelStay,
    "PRIVATE_SCHOOL_FEES": SchoolPayment,
}


def _other_consumption(code: str) -> Measure:
    """The consumption measure a :class:`ConsumptionItem` names; raises :class:`InvalidInput` for a code that
    is not a consumption measure or whose purchase must be described by its own type."""
    measure = consumption_measure(code)
    purchase_type = _DESCRIBED_BY.get(code)
    if purchase_type is not None:
        raise InvalidInput(
            "purchase_needs_facts",
            f"describe a purchase under {code} as a {purchase_type.__name__}: its rule depends on what is bought"
            " (and, for school fees, who pays: EDU-2)",
        )
    return measure


@dataclass(frozen=True)
class ConsumptionItem:
    """Any other consumption, named by its consumption measure code (e.g. ``TRAVEL_TOURS``); flights, train and
    ship tickets, hotel stays and school payments have their own types (``purchase_needs_facts``)."""

    code: str

    def __post_init__(self) -> None:
        _other_consumption(self.code)


Purchase = Flight | TrainTicket | ShipTicket | HotelStay | SchoolPayment | ConsumptionItem


@dataclass(frozen=True)
class PurchaseCheck:
    """The answer for a purchase: decision, the rule that settles it, the governing measure's decision."""

    purchase: Purchase
    decision: Decision
    rule: str
    explanation: str
    measure: MeasureDecision | None = None


def _classify(purchase: Purchase) -> tuple[str | None, str, str]:
    """(measure code or None when outside every measure, rule code, explanation)."""
    if isinstance(purchase, Flight):
        return "AVIATION_FLIGHT", "XF1", "every flight, in any cabin, is restricted"
    if isinstance(purchase, TrainTicket):
        high = purchase.seat in _HIGH_CLASS
        if purchase.prefix is TrainPrefix.G:
            return "RAIL_HIGH_SPEED", "XF9", "every seat on a G train is restricted"
        if purchase.prefix in (TrainPrefix.D, TrainPrefix.C):
            if high:
                return "RAIL_HIGH_SPEED", "XF9", "first class and above on D/C trains is restricted"
            return None, "XF9", "second class and below on D/C trains is allowed"
        if high:
            return "RAIL_HIGH_CLASS", "XF1", "soft sleeper and above, first class and above, is restricted"
        return None, "XF1", "hard seat, soft seat and hard sleeper on other trains are allowed"
    if isinstance(purchase, ShipTicket):
        if purchase.cabin in _HIGH_CABIN:
            return "SHIP_CABIN", "XF1", "second-class and higher ship cabins are restricted"
        return None, "XF1", "ship cabins below second class are allowed"
    if isinstance(purchase, HotelStay):
        if purchase.star_rating > 0 or purchase.high_end:
            return "HOTEL_STAR", "XF2", "star-rated and high-end hotels are restricted"
        return None, "XF2", "unrated ordinary lodging is allowed"
    if isinstance(purchase, SchoolPayment):
        if purchase.institution is not Institution.HIGH_FEE_PRIVATE_SCHOOL:
            return None, "EDU-3", "ordinary schools, universities and admission exams are never restricted"
        if purchase.payer is Payer.OTHER:
            return None, "EDU-2", "a high-fee private school paid by someone else is not restricted"
        return (
            "PRIVATE_SCHOOL_FEES",
            "EDU-2",
            "paying a high-fee private school with own property is restricted",
        )
    measure = _other_consumption(purchase.code)  # again: a frozen dataclass can be forced past construction
    return measure.code, measure.basis[0].rule or "", measure.title_en


def check_purchase(status: SubjectStatus, purchase: Purchase, on: dt.date) -> PurchaseCheck:
    """May the subject make this purchase on day ``on``?

    Returns ALLOW when the purchase lies outside every measure (e.g. a D-train second-class seat, a university
    fee) or no measure reaches the subject; otherwise the governing measure's decision (DENY or
    ALLOW_WITH_PERMISSION) together with that measure decision. A debtor's child is always allowed (EDU-1).
    """
    if status.kind is SubjectKind.CHILD:
        return PurchaseCheck(purchase, Decision.ALLOW, "EDU-1", "a debtor's child is never a subject")
    code, rule, explanation = _classify(purchase)
    if code is None:
        return PurchaseCheck(purchase, Decision.ALLOW, rule, explanation)
    decision = decide_measure(status, get_measure(code), on)
    if decision is None:
        return PurchaseCheck(
            purchase, Decision.ALLOW, rule, f"{explanation}, but no restriction reaches the subject"
        )
    return PurchaseCheck(purchase, decision.decision, rule, explanation, decision)
