"""Concrete purchases: the limits as well as the bans (XF1, XF2, XF9, EDU-1…3, C-PERMIT, C-HUMANITARIAN)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from enum import StrEnum

import pytest

from sanctions.catalogue import KeyRole
from sanctions.decide import (
    ConsumptionItem,
    Decision,
    Flight,
    FlightCabin,
    HotelStay,
    Institution,
    Payer,
    Purchase,
    SchoolPayment,
    SeatClass,
    ShipCabin,
    ShipTicket,
    TrainPrefix,
    TrainTicket,
    check_purchase,
)
from sanctions.subject import (
    HumanitarianLift,
    HumanitarianReason,
    InvalidInput,
    KeyPosition,
    NecessityPermission,
    PersonalFundsPermission,
    SubjectKind,
    SubjectStatus,
)

D = dt.date
ON = D(2026, 3, 15)
ORG = "91110000600037341L"
PERSON = SubjectKind.PERSON
RESTRICTED = SubjectStatus(PERSON, restricted=True)
LISTED = SubjectStatus(PERSON, listed=True, restricted=True)
CLEAN = SubjectStatus(PERSON)
CHILD = SubjectStatus(SubjectKind.CHILD)
LEGAL_REP = SubjectStatus(PERSON, key_positions=(KeyPosition(ORG, KeyRole.LEGAL_REPRESENTATIVE, True),))


def ident(value: object) -> str | None:
    """Short, deterministic test ids for statuses, purchases, enums and dates (None: pytest's default)."""
    if isinstance(value, SubjectStatus):
        parts = [value.kind.value]
        parts += [flag for flag, on in (("listed", value.listed), ("restricted", value.restricted)) if on]
        parts += [
            f"{p.role}-of-{'listed' if p.organisation_listed else 'restricted'}-org"
            for p in value.key_positions
        ]
        parts += [p.rule for p in value.permissions]
        return "+".join(parts)
    if isinstance(value, (StrEnum, dt.date)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "-".join([type(value).__name__, *(str(v) for v in dataclasses.astuple(value))])
    return None


ALLOWED_ON_DC = (SeatClass.SECOND_CLASS, SeatClass.HARD_SEAT, SeatClass.SOFT_SEAT, SeatClass.HARD_SLEEPER)
HIGH_CLASS = (
    SeatClass.FIRST_CLASS,
    SeatClass.BUSINESS_CLASS,
    SeatClass.SOFT_SLEEPER,
    SeatClass.DELUXE_SOFT_SLEEPER,
)
CONVENTIONAL = (TrainPrefix.Z, TrainPrefix.T, TrainPrefix.K, TrainPrefix.OTHER)


# --- Trains (XF1, XF9) --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seat", list(SeatClass), ids=ident)
def test_every_g_train_seat_is_denied(seat: SeatClass) -> None:
    """XF9: all seats on G trains, including second class."""
    check = check_purchase(RESTRICTED, TrainTicket(TrainPrefix.G, seat), ON)
    assert (check.decision, check.rule) == (Decision.DENY, "XF9")
    assert check.measure is not None and check.measure.measure.code == "RAIL_HIGH_SPEED"


@pytest.mark.parametrize("prefix", [TrainPrefix.D, TrainPrefix.C], ids=ident)
@pytest.mark.parametrize(
    ("seat", "expected"),
    [*((s, Decision.ALLOW) for s in ALLOWED_ON_DC), *((s, Decision.DENY) for s in HIGH_CLASS)],
    ids=ident,
)
def test_dc_trains_allow_second_class_and_deny_first_class_and_above(
    prefix: TrainPrefix, seat: SeatClass, expected: Decision
) -> None:
    """XF9: second class on D/C trains is allowed; first class, business class and 一等卧 are not."""
    check = check_purchase(LISTED, TrainTicket(prefix, seat), ON)
    assert (check.decision, check.rule) == (expected, "XF9")
    assert (check.measure is None) is (expected is Decision.ALLOW)


@pytest.mark.parametrize("prefix", CONVENTIONAL, ids=ident)
@pytest.mark.parametrize(
    ("seat", "expected"),
    [
        (SeatClass.HARD_SEAT, Decision.ALLOW),
        (SeatClass.SOFT_SEAT, Decision.ALLOW),
        (SeatClass.HARD_SLEEPER, Decision.ALLOW),
        (SeatClass.SECOND_CLASS, Decision.ALLOW),
        (SeatClass.SOFT_SLEEPER, Decision.DENY),
        (SeatClass.DELUXE_SOFT_SLEEPER, Decision.DENY),
        (SeatClass.FIRST_CLASS, Decision.DENY),
        (SeatClass.BUSINESS_CLASS, Decision.DENY),
    ],
    ids=ident,
)
def test_conventional_trains_allow_hard_seats_and_sleepers_and_deny_soft_sleeper_and_above(
    prefix: TrainPrefix, seat: SeatClass, expected: Decision
) -> None:
    """XF1: soft sleeper and above is restricted; hard seat, soft seat and hard sleeper are not."""
    check = check_purchase(RESTRICTED, TrainTicket(prefix, seat), ON)
    assert (check.decision, check.rule) == (expected, "XF1")
    if expected is Decision.DENY:
        assert check.measure is not None and check.measure.measure.code == "RAIL_HIGH_CLASS"


# --- Flights, ships, hotels (XF1, XF2) ----------------------------------------------------------------------


@pytest.mark.parametrize("cabin", list(FlightCabin), ids=ident)
def test_every_flight_cabin_is_denied(cabin: FlightCabin) -> None:
    """XF1: aircraft in any cabin, economy included."""
    check = check_purchase(RESTRICTED, Flight(cabin), ON)
    assert (check.decision, check.rule) == (Decision.DENY, "XF1")


def test_flight_is_denied_to_the_legal_representative_of_a_listed_company() -> None:
    """C-ORG-1 story: the LR is not listed, but the company is; his ticket is refused."""
    check = check_purchase(LEGAL_REP, Flight(), ON)
    assert check.decision is Decision.DENY
    assert check.measure is not None and check.measure.grounds[0].role is KeyRole.LEGAL_REPRESENTATIVE


def test_flight_is_allowed_with_a_personal_funds_permission() -> None:
    """C-ORG-2: the same LR with an approved private trip paid from personal funds."""
    permission = PersonalFundsPermission(
        organisation=ORG, measures=frozenset({"AVIATION_FLIGHT"}), valid_from=ON
    )
    status = SubjectStatus(PERSON, key_positions=LEGAL_REP.key_positions, permissions=(permission,))
    assert check_purchase(status, Flight(), ON).decision is Decision.ALLOW_WITH_PERMISSION
    # Per item: the same permission does not cover a G-train ticket.
    assert (
        check_purchase(status, TrainTicket(TrainPrefix.G, SeatClass.SECOND_CLASS), ON).decision
        is Decision.DENY
    )


@pytest.mark.parametrize(
    ("cabin", "expected"),
    [
        (ShipCabin.SPECIAL, Decision.DENY),
        (ShipCabin.FIRST, Decision.DENY),
        (ShipCabin.SECOND, Decision.DENY),
        (ShipCabin.THIRD, Decision.ALLOW),
        (ShipCabin.FOURTH, Decision.ALLOW),
        (ShipCabin.FIFTH, Decision.ALLOW),
        (ShipCabin.SEAT, Decision.ALLOW),
    ],
    ids=ident,
)
def test_ship_cabins_second_class_and_above_are_denied(cabin: ShipCabin, expected: Decision) -> None:
    """XF1: second class or higher on ships."""
    check = check_purchase(RESTRICTED, ShipTicket(cabin), ON)
    assert (check.decision, check.rule) == (expected, "XF1")


@pytest.mark.parametrize(
    ("stay", "expected"),
    [
        (HotelStay(0), Decision.ALLOW),
        (HotelStay(0, high_end=True), Decision.DENY),  # 2016 Opinion (七)2: other high-end lodging
        (HotelStay(1), Decision.DENY),
        (HotelStay(3), Decision.DENY),
        (HotelStay(5), Decision.DENY),
    ],
    ids=ident,
)
def test_star_rated_hotels_are_denied_and_unrated_lodging_allowed(
    stay: HotelStay, expected: Decision
) -> None:
    """XF2: star-rated (one star or more) and high-end hotels."""
    check = check_purchase(RESTRICTED, stay, ON)
    assert (check.decision, check.rule) == (expected, "XF2")


@pytest.mark.parametrize("stars", [-1, 6])
def test_star_rating_outside_zero_to_five_is_rejected(stars: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        HotelStay(stars)
    assert caught.value.code == "star_rating_out_of_range"


# --- Schools (XF7, EDU-1…3) ---------------------------------------------------------------------------------

DEBTOR_STATUSES = [
    CLEAN,
    RESTRICTED,
    LISTED,
    LEGAL_REP,
    SubjectStatus(SubjectKind.ORGANISATION, listed=True, restricted=True),
]
DEBTOR_IDS = ["clean", "restricted", "listed", "key-person", "listed-org"]


@pytest.mark.parametrize("status", [CHILD, *DEBTOR_STATUSES], ids=["child", *DEBTOR_IDS])
@pytest.mark.parametrize("payer", list(Payer), ids=ident)
@pytest.mark.parametrize(
    "institution",
    [
        Institution.UNIVERSITY,
        Institution.PUBLIC_SCHOOL,
        Institution.PRIVATE_SCHOOL,
        Institution.ADMISSION_EXAM,
    ],
    ids=ident,
)
def test_childs_university_enrolment_and_ordinary_schooling_are_allowed_in_every_status(
    status: SubjectStatus, payer: Payer, institution: Institution
) -> None:
    """EDU-3 (and EDU-1 for the child): universities, public schools and the gaokao are never restricted."""
    check = check_purchase(status, SchoolPayment(institution, payer), ON)
    assert check.decision is Decision.ALLOW
    assert check.measure is None
    assert check.rule == ("EDU-1" if status.kind is SubjectKind.CHILD else "EDU-3")


@pytest.mark.parametrize(
    ("status", "payer", "expected", "rule"),
    [
        (RESTRICTED, Payer.SUBJECT, Decision.DENY, "EDU-2"),
        (LISTED, Payer.SUBJECT, Decision.DENY, "EDU-2"),
        (LEGAL_REP, Payer.SUBJECT, Decision.DENY, "EDU-2"),  # C-ORG-1 reaches the key persons too
        (RESTRICTED, Payer.OTHER, Decision.ALLOW, "EDU-2"),  # someone else pays: not restricted
        (CLEAN, Payer.SUBJECT, Decision.ALLOW, "EDU-2"),
        (CHILD, Payer.SUBJECT, Decision.ALLOW, "EDU-1"),  # the child is never a subject
    ],
    ids=ident,
)
def test_high_fee_private_school_is_restricted_only_when_the_debtor_pays(
    status: SubjectStatus, payer: Payer, expected: Decision, rule: str
) -> None:
    """XF7 / EDU-2: only the debtor's own payment to a high-fee private school is restricted."""
    check = check_purchase(status, SchoolPayment(Institution.HIGH_FEE_PRIVATE_SCHOOL, payer), ON)
    assert (check.decision, check.rule) == (expected, rule)


def test_high_fee_private_school_with_a_necessity_permission() -> None:
    """C-PERMIT: approved per item."""
    permission = NecessityPermission(measures=frozenset({"PRIVATE_SCHOOL_FEES"}), valid_from=D(2026, 2, 1))
    status = SubjectStatus(PERSON, restricted=True, permissions=(permission,))
    check = check_purchase(status, SchoolPayment(Institution.HIGH_FEE_PRIVATE_SCHOOL, Payer.SUBJECT), ON)
    assert check.decision is Decision.ALLOW_WITH_PERMISSION
    assert check.measure is not None and check.measure.permissions == (permission,)


# --- Humanitarian lift (C-HUMANITARIAN, D11) ----------------------------------------------------------------

LIFT = HumanitarianLift(
    valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 31), reason=HumanitarianReason.MEDICAL
)
LIFTED = SubjectStatus(PERSON, listed=True, restricted=True, permissions=(LIFT,))


@pytest.mark.parametrize(
    ("purchase", "day", "expected"),
    [
        (TrainTicket(TrainPrefix.G, SeatClass.SECOND_CLASS), D(2026, 3, 1), Decision.ALLOW_WITH_PERMISSION),
        (
            TrainTicket(TrainPrefix.G, SeatClass.BUSINESS_CLASS),
            D(2026, 3, 31),
            Decision.ALLOW_WITH_PERMISSION,
        ),
        (TrainTicket(TrainPrefix.G, SeatClass.SECOND_CLASS), D(2026, 4, 1), Decision.DENY),  # a day after
        (TrainTicket(TrainPrefix.G, SeatClass.SECOND_CLASS), D(2026, 2, 28), Decision.DENY),
        (TrainTicket(TrainPrefix.D, SeatClass.FIRST_CLASS), D(2026, 3, 15), Decision.ALLOW_WITH_PERMISSION),
        (Flight(), D(2026, 3, 15), Decision.ALLOW_WITH_PERMISSION),
        (Flight(), D(2026, 4, 1), Decision.DENY),
        # Only flights and high-speed rail are lifted.
        (TrainTicket(TrainPrefix.K, SeatClass.SOFT_SLEEPER), D(2026, 3, 15), Decision.DENY),
        (HotelStay(3), D(2026, 3, 15), Decision.DENY),
        (ShipTicket(ShipCabin.FIRST), D(2026, 3, 15), Decision.DENY),
    ],
    ids=ident,
)
def test_humanitarian_lift_allows_flights_and_hsr_for_its_month(
    purchase: Purchase, day: dt.date, expected: Decision
) -> None:
    assert check_purchase(LIFTED, purchase, day).decision is expected


# --- Other consumption, and subjects nothing reaches --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("TRAVEL_TOURS", "XF6"),
        ("REAL_ESTATE_PURCHASE", "XF3"),
        ("OFFICE_LEASE_HIGH_END", "XF4"),
        ("VEHICLE_PURCHASE", "XF5"),
        ("INSURANCE_HIGH_PREMIUM", "XF8"),
        ("LEISURE_VENUES", "XF2"),
    ],
)
def test_other_consumption_items_are_denied_to_a_restricted_debtor(code: str, rule: str) -> None:
    check = check_purchase(RESTRICTED, ConsumptionItem(code), ON)
    assert (check.decision, check.rule) == (Decision.DENY, rule)
    assert check.measure is not None and check.measure.measure.code == code


@pytest.mark.parametrize("code", ["PROCUREMENT_SUPPLIER", "NO_SUCH_MEASURE"])
def test_consumption_item_must_name_a_consumption_measure(code: str) -> None:
    with pytest.raises(InvalidInput):
        ConsumptionItem(code)


PURCHASES: list[Purchase] = [
    Flight(FlightCabin.FIRST),
    TrainTicket(TrainPrefix.G, SeatClass.BUSINESS_CLASS),
    ShipTicket(ShipCabin.SPECIAL),
    HotelStay(5),
    SchoolPayment(Institution.HIGH_FEE_PRIVATE_SCHOOL, Payer.SUBJECT),
    ConsumptionItem("TRAVEL_TOURS"),
]


@pytest.mark.parametrize("purchase", PURCHASES, ids=ident)
def test_child_may_make_any_purchase(purchase: Purchase) -> None:
    """EDU-1: whatever is asked about a child, no measure applies."""
    check = check_purchase(CHILD, purchase, ON)
    assert (check.decision, check.rule, check.measure) == (Decision.ALLOW, "EDU-1", None)


@pytest.mark.parametrize("purchase", PURCHASES, ids=ident)
@pytest.mark.parametrize(
    "status",
    [CLEAN, SubjectStatus(PERSON, key_positions=()), SubjectStatus(SubjectKind.ORGANISATION)],
    ids=["person", "no-positions", "organisation"],
)
def test_nothing_reaches_a_subject_without_status(status: SubjectStatus, purchase: Purchase) -> None:
    """D10: once the listing is removed and the restriction lifted, every purchase is allowed."""
    check = check_purchase(status, purchase, ON)
    assert check.decision is Decision.ALLOW
    assert check.measure is None
    assert check.explanation.endswith("but no restriction reaches the subject")


@pytest.mark.parametrize(
    ("purchase", "expected"),
    [
        (TrainTicket("G", "second_class"), Decision.DENY),  # type: ignore[arg-type]
        (TrainTicket("D", "second_class"), Decision.ALLOW),  # type: ignore[arg-type]
        (Flight("economy"), Decision.DENY),  # type: ignore[arg-type]
        (ShipTicket("third"), Decision.ALLOW),  # type: ignore[arg-type]
        (SchoolPayment("high_fee_private_school", "other"), Decision.ALLOW),  # type: ignore[arg-type]
        (SchoolPayment("high_fee_private_school", "subject"), Decision.DENY),  # type: ignore[arg-type]
    ],
    ids=ident,
)
def test_purchases_built_from_api_strings_are_decided_like_enums(
    purchase: Purchase, expected: Decision
) -> None:
    """A raw "G" must not slip past the G-train rule (XF9) as an unknown prefix."""
    assert check_purchase(RESTRICTED, purchase, ON).decision is expected


@pytest.mark.parametrize("build", [lambda: TrainTicket("X", "second_class"), lambda: Flight("cargo")])  # type: ignore[arg-type]
def test_purchase_with_unknown_enum_string_is_rejected(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()


# --- A measure whose rule needs the purchase's facts cannot be named bare -----------------------------------

# Each code with the purchase type that carries the facts its rule decides on.
DESCRIBED_PURCHASES = {
    "PRIVATE_SCHOOL_FEES": "SchoolPayment",  # EDU-2: who pays, and whether the school is a high-fee private one
    "AVIATION_FLIGHT": "Flight",
    "RAIL_HIGH_SPEED": "TrainTicket",  # XF9: the train's prefix and the seat
    "RAIL_HIGH_CLASS": "TrainTicket",
    "SHIP_CABIN": "ShipTicket",  # XF1: the cabin
    "HOTEL_STAR": "HotelStay",  # XF2: the star rating
}


@pytest.mark.parametrize(("code", "purchase_type"), DESCRIBED_PURCHASES.items())
def test_a_measure_with_its_own_purchase_type_cannot_be_a_bare_consumption_item(
    code: str, purchase_type: str
) -> None:
    """EDU-2/EDU-3: a school fee named only by its measure would be denied whoever pays and whatever the
    school; the purchase must say so (SchoolPayment), and so for every measure whose rule needs facts."""
    with pytest.raises(InvalidInput) as refused:
        ConsumptionItem(code)
    assert refused.value.code == "purchase_needs_facts"
    assert purchase_type in refused.value.message


def test_the_check_refuses_a_school_fee_smuggled_into_a_consumption_item() -> None:
    """A caller that bypasses construction (a frozen dataclass can be forced) still cannot skip EDU-2."""
    item = ConsumptionItem("TRAVEL_TOURS")
    object.__setattr__(item, "code", "PRIVATE_SCHOOL_FEES")
    with pytest.raises(InvalidInput) as refused:
        check_purchase(RESTRICTED, item, ON)
    assert refused.value.code == "purchase_needs_facts"
