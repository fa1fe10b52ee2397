"""Per-sector decisions (deny / allow-with-permission / flag) for a subject's current statuses.

Rulebook §2.3–§2.5, §3.2–§3.4; decisions D10, D11.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum

import pytest

from sanctions.catalogue import MEASURES, Effect, KeyRole, Measure, Sector, Target
from sanctions.decide import Decision, MeasureDecision, decide, decide_all, decide_measure
from sanctions.subject import (
    HumanitarianLift,
    HumanitarianReason,
    KeyPosition,
    NecessityPermission,
    Permission,
    PersonalFundsPermission,
    SubjectKind,
    SubjectStatus,
)

D = dt.date
ON = D(2026, 3, 15)
ORG = "91110000600037341L"
OTHER_ORG = "91310000MA1FL0000X"

PERSON = SubjectKind.PERSON
COMPANY = SubjectKind.ORGANISATION
LISTED_PERSON = SubjectStatus(PERSON, listed=True, restricted=True)
RESTRICTED_PERSON = SubjectStatus(PERSON, restricted=True)
LISTED_ORG = SubjectStatus(COMPANY, listed=True, restricted=True)
RESTRICTED_ORG = SubjectStatus(COMPANY, restricted=True)
CLEAN_PERSON = SubjectStatus(PERSON)
CLEAN_ORG = SubjectStatus(COMPANY)
CHILD = SubjectStatus(SubjectKind.CHILD)


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


def key_person(
    role: KeyRole = KeyRole.LEGAL_REPRESENTATIVE,
    *,
    org_listed: bool = True,
    listed: bool = False,
    restricted: bool = False,
    permissions: tuple[Permission, ...] = (),
) -> SubjectStatus:
    """A natural person holding ``role`` in the restricted organisation ORG (also listed unless told)."""
    position = KeyPosition(ORG, role, org_listed)
    return SubjectStatus(PERSON, listed, restricted, (position,), permissions)


def codes(decisions: tuple[MeasureDecision, ...]) -> dict[str, Decision]:
    return {d.measure.code: d.decision for d in decisions}


# --- The stories ------------------------------------------------------------------------------------------


def test_listed_company_legal_representative_is_denied_a_flight_but_is_not_listed() -> None:
    """C-ORG-1, 2019 Opinion §16(b): the LR is restricted through the company, never listed himself."""
    status = key_person(KeyRole.LEGAL_REPRESENTATIVE)
    (flight,) = decide(status, Sector.AVIATION, ON)
    assert flight.measure.code == "AVIATION_FLIGHT"
    assert flight.decision is Decision.DENY
    (ground,) = flight.grounds
    assert (ground.capacity, ground.organisation, ground.role) == (
        Target.KEY_PERSON,
        ORG,
        KeyRole.LEGAL_REPRESENTATIVE,
    )
    assert flight.reason == (
        f"ban: the subject is legal_representative of {ORG}, which is under a consumption restriction"
    )
    assert "C-ORG-1" in {b.rule for b in flight.basis}
    # Not listed himself: the listing's own measures (procurement, vetting, hiring …) do not reach him.
    for sector in (Sector.PROCUREMENT, Sector.CANDIDATE_VETTING, Sector.PUBLIC_HIRING, Sector.HONOURS):
        assert decide(status, sector, ON) == ()


def test_personal_funds_permission_allows_the_legal_representative_to_fly() -> None:
    """C-ORG-2 / C-ORG-4: approved private consumption with personal funds → allow with permission."""
    permission = PersonalFundsPermission(
        organisation=ORG, valid_from=D(2026, 3, 1), reference="(2026)京01执123号"
    )
    (flight,) = decide(key_person(permissions=(permission,)), Sector.AVIATION, ON)
    assert flight.decision is Decision.ALLOW_WITH_PERMISSION
    assert flight.permissions == (permission,)
    assert flight.grounds[0].permission is permission
    assert {"C-ORG-2", "C-ORG-4"} <= {b.rule for b in flight.basis}
    assert flight.reason.endswith("suspended by C-ORG-2 permission from 2026-03-01 until revoked")


@pytest.mark.parametrize(
    ("approved", "sector", "expected"),
    [
        (None, Sector.RAIL, Decision.ALLOW_WITH_PERMISSION),  # all items approved
        (None, Sector.PRIVATE_SCHOOLS, Decision.ALLOW_WITH_PERMISSION),
        (frozenset({"AVIATION_FLIGHT"}), Sector.AVIATION, Decision.ALLOW_WITH_PERMISSION),
        (frozenset({"AVIATION_FLIGHT"}), Sector.HOTELS, Decision.DENY),  # per item
        (frozenset({"AVIATION_FLIGHT"}), Sector.RAIL, Decision.DENY),
    ],
)
def test_personal_funds_permission_per_item_or_all_items(
    approved: frozenset[str] | None, sector: Sector, expected: Decision
) -> None:
    """C-ORG-2: the court approves some or all items; the rest stay banned."""
    permission = PersonalFundsPermission(organisation=ORG, measures=approved, valid_from=D(2026, 3, 1))
    decisions = decide(key_person(permissions=(permission,)), sector, ON)
    assert decisions
    assert {d.decision for d in decisions} == {expected}


@pytest.mark.parametrize(
    "permission",
    [
        PersonalFundsPermission(organisation=OTHER_ORG, valid_from=D(2026, 3, 1)),  # another company's case
        PersonalFundsPermission(organisation=ORG, valid_from=D(2026, 3, 16)),  # not yet in force
        PersonalFundsPermission(
            organisation=ORG, valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 14)
        ),  # expired
        NecessityPermission(
            measures=frozenset({"AVIATION_FLIGHT"}), valid_from=D(2026, 3, 1)
        ),  # C-PERMIT is for the debtor's own restriction
    ],
    ids=["other-organisation", "not-yet-in-force", "expired", "necessity-is-for-debtors"],
)
def test_permission_that_does_not_cover_the_key_person_leaves_the_ban(
    permission: PersonalFundsPermission | NecessityPermission,
) -> None:
    (flight,) = decide(key_person(permissions=(permission,)), Sector.AVIATION, ON)
    assert flight.decision is Decision.DENY
    assert flight.permissions == ()


def test_personal_funds_permission_does_not_lift_the_persons_own_restriction() -> None:
    """C-ORG-2 unblocks the key-person capacity only; the strictest ground decides."""
    permission = PersonalFundsPermission(organisation=ORG, valid_from=D(2026, 3, 1))
    status = key_person(restricted=True, permissions=(permission,))
    (flight,) = decide(status, Sector.AVIATION, ON)
    assert flight.decision is Decision.DENY
    assert [(g.capacity, g.decision) for g in flight.grounds] == [
        (Target.DEBTOR_PERSON, Decision.DENY),
        (Target.KEY_PERSON, Decision.ALLOW_WITH_PERMISSION),
    ]
    assert flight.permissions == (permission,)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 28), Decision.DENY),
        (D(2026, 3, 1), Decision.ALLOW_WITH_PERMISSION),
        (D(2026, 3, 31), Decision.ALLOW_WITH_PERMISSION),
        (D(2026, 4, 1), Decision.DENY),  # D11: the lift expires by itself
    ],
    ids=ident,
)
@pytest.mark.parametrize("sector", [Sector.AVIATION, Sector.RAIL], ids=ident)
def test_humanitarian_lift_suspends_flights_and_g_trains_for_its_month_only(
    sector: Sector, day: dt.date, expected: Decision
) -> None:
    """C-HUMANITARIAN, D11: a lift from 2026-03-01 to 2026-03-31 inclusive."""
    lift = HumanitarianLift(
        valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 31), reason=HumanitarianReason.FUNERAL
    )
    decisions = codes(
        decide(SubjectStatus(PERSON, listed=True, restricted=True, permissions=(lift,)), sector, day)
    )
    if sector is Sector.AVIATION:
        assert decisions == {"AVIATION_FLIGHT": expected}
    else:
        # Conventional-train soft sleepers are not high-speed rail: the lift leaves them banned.
        assert decisions == {"RAIL_HIGH_SPEED": expected, "RAIL_HIGH_CLASS": Decision.DENY}


def test_humanitarian_lift_covers_every_capacity_once() -> None:
    """D11: whatever the basis — own restriction or key-person role — the flight ban is suspended."""
    lift = HumanitarianLift(
        valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 31), reason=HumanitarianReason.EXAM
    )
    (flight,) = decide(key_person(restricted=True, permissions=(lift,)), Sector.AVIATION, ON)
    assert flight.decision is Decision.ALLOW_WITH_PERMISSION
    assert [g.permission for g in flight.grounds] == [lift, lift]
    assert flight.permissions == (lift,)
    assert "C-HUMANITARIAN" in {b.rule for b in flight.basis}
    assert "suspended by C-HUMANITARIAN permission from 2026-03-01 until 2026-03-31" in flight.reason


@pytest.mark.parametrize("sector", list(Sector), ids=ident)
@pytest.mark.parametrize(
    "status",
    [
        LISTED_PERSON,
        LISTED_ORG,
        key_person(KeyRole.DIRECTLY_RESPONSIBLE, listed=True, restricted=True),
        SubjectStatus(
            PERSON,
            restricted=True,
            key_positions=(
                KeyPosition(ORG, KeyRole.ACTUAL_CONTROLLER, True),
                KeyPosition(OTHER_ORG, KeyRole.MAIN_RESPONSIBLE, False),
            ),
        ),
    ],
    ids=["listed-person", "listed-org", "listed-key-person", "restricted-controller"],
)
def test_partner_in_a_sector_never_receives_another_sectors_measure(
    status: SubjectStatus, sector: Sector
) -> None:
    decisions = decide(status, sector, ON)
    assert all(d.measure.sector is sector for d in decisions)
    assert decisions == tuple(d for d in decide_all(status, ON) if d.measure.sector is sector)


def test_decide_all_is_the_union_of_the_sectors() -> None:
    every = decide_all(LISTED_PERSON, ON)
    assert sum(len(decide(LISTED_PERSON, s, ON)) for s in Sector) == len(every)
    assert len({d.measure.sector for d in every}) > 20


# --- D10: measures end with the status they derive from ----------------------------------------------------


@pytest.mark.parametrize("status", [CLEAN_PERSON, CLEAN_ORG], ids=["person", "organisation"])
def test_not_listed_and_not_restricted_means_nothing_applies(status: SubjectStatus) -> None:
    """L-DEL-*, C-LIFT-*: once the listing is removed and the restriction lifted, every measure ends."""
    assert decide_all(status, ON) == ()


def test_former_legal_representative_after_change_has_nothing() -> None:
    """C-LR-CHANGE: the former LR's position is dropped from the status; nothing reaches him any more."""
    assert decide_all(SubjectStatus(PERSON), ON) == ()
    assert codes(decide(key_person(), Sector.AVIATION, ON)) == {"AVIATION_FLIGHT": Decision.DENY}


@pytest.mark.parametrize(
    ("sector", "listed_expected", "restricted_only_expected"),
    [
        (Sector.AVIATION, {"AVIATION_FLIGHT": Decision.DENY}, {"AVIATION_FLIGHT": Decision.DENY}),
        (
            Sector.PRIVATE_SCHOOLS,
            {"PRIVATE_SCHOOL_FEES": Decision.DENY},
            {"PRIVATE_SCHOOL_FEES": Decision.DENY},
        ),
        (Sector.PROCUREMENT, {"PROCUREMENT_SUPPLIER": Decision.DENY}, {}),
        (Sector.CANDIDATE_VETTING, {"CANDIDATE_NOMINATION": Decision.DENY}, {}),
        (
            Sector.PUBLIC_HIRING,
            {"PUBLIC_RECRUITMENT": Decision.DENY, "PUBLIC_STAFF_APPRAISAL_REVIEW": Decision.FLAG},
            {},
        ),
        (Sector.CREDIT, {"CREDIT_APPROVAL_REVIEW": Decision.FLAG}, {}),
        (
            Sector.EXIT_CONTROL,
            {"EXIT_RESTRICTION_CHECK": Decision.FLAG},
            {"EXIT_RESTRICTION_CHECK": Decision.FLAG},
        ),
    ],
    ids=ident,
)
def test_listing_only_measures_vanish_with_the_listing_while_the_restriction_remains(
    sector: Sector, listed_expected: dict[str, Decision], restricted_only_expected: dict[str, Decision]
) -> None:
    """D10: after 终本 or term expiry the listing is gone but the restriction continues."""
    assert codes(decide(LISTED_PERSON, sector, ON)) == listed_expected
    assert codes(decide(RESTRICTED_PERSON, sector, ON)) == restricted_only_expected


# --- Reach: persons, organisations, key persons ------------------------------------------------------------


@pytest.mark.parametrize(
    "sector",
    [
        Sector.PUBLIC_HIRING,
        Sector.PARTY_MEMBERSHIP,
        Sector.CANDIDATE_VETTING,
        Sector.MILITARY_SERVICE,
        Sector.SOE_POSTS,
        Sector.PUBLIC_INSTITUTIONS,
        Sector.FINANCIAL_POSTS,
    ],
    ids=ident,
)
def test_post_measures_reach_listed_natural_persons_not_organisations(sector: Sector) -> None:
    """Rows 17–25 (§3.3): natural-person debtors only; a listed company has no such post to lose."""
    assert Decision.DENY in codes(decide(LISTED_PERSON, sector, ON)).values()
    assert decide(LISTED_ORG, sector, ON) == ()
    assert decide(key_person(), sector, ON) == ()


@pytest.mark.parametrize(
    ("status", "sector", "expected"),
    [
        (LISTED_ORG, Sector.PROCUREMENT, {"PROCUREMENT_SUPPLIER": Decision.DENY}),
        (
            LISTED_ORG,
            Sector.BIDDING,
            {"BIDDING_BIDDER": Decision.DENY, "BIDDING_AGENCY_REVIEW": Decision.FLAG},
        ),
        (
            LISTED_PERSON,
            Sector.BIDDING,
            {
                "BIDDING_BIDDER": Decision.DENY,
                "BIDDING_EXPERT": Decision.DENY,
                "BIDDING_STAFF_REVIEW": Decision.FLAG,
            },
        ),
        (
            LISTED_ORG,
            Sector.BONDS,
            {
                "BOND_ENTERPRISE": Decision.DENY,
                "BOND_INTERBANK_REVIEW": Decision.FLAG,
                "BOND_CORPORATE_PUBLIC": Decision.DENY,
            },
        ),
        (LISTED_PERSON, Sector.BONDS, {}),
        (LISTED_ORG, Sector.MARKET_SUPERVISION, {"KEY_SUPERVISION": Decision.FLAG}),
        (LISTED_PERSON, Sector.MARKET_SUPERVISION, {}),
        (LISTED_ORG, Sector.HOTELS, {"HOTEL_STAR": Decision.DENY, "LEISURE_VENUES": Decision.DENY}),
        (RESTRICTED_ORG, Sector.SUBSIDIES, {}),
        (LISTED_ORG, Sector.EXIT_CONTROL, {}),  # an organisation does not cross a border
    ],
    ids=ident,
)
def test_debtor_reach(status: SubjectStatus, sector: Sector, expected: dict[str, Decision]) -> None:
    assert codes(decide(status, sector, ON)) == expected


@pytest.mark.parametrize(
    ("role", "org_listed", "sector", "expected"),
    [
        # Rows 16 and 38 flag the entity, never the key persons of a listed organisation: they are not listed
        # for its debt (RULE-1, 2019 Opinion §16(b)).
        (KeyRole.LEGAL_REPRESENTATIVE, True, Sector.PREFERENTIAL_POLICIES, {}),
        (KeyRole.ACTUAL_CONTROLLER, True, Sector.MARKET_SUPERVISION, {}),
        (KeyRole.LEGAL_REPRESENTATIVE, False, Sector.PREFERENTIAL_POLICIES, {}),
        (KeyRole.LEGAL_REPRESENTATIVE, False, Sector.MARKET_SUPERVISION, {}),
        # C-ORG-1: consumption bans reach all four roles whether or not the organisation is listed.
        (KeyRole.MAIN_RESPONSIBLE, False, Sector.TRAVEL, {"TRAVEL_TOURS": Decision.DENY}),
        (KeyRole.ACTUAL_CONTROLLER, False, Sector.INSURANCE, {"INSURANCE_HIGH_PREMIUM": Decision.DENY}),
        (KeyRole.DIRECTLY_RESPONSIBLE, True, Sector.VEHICLES, {"VEHICLE_PURCHASE": Decision.DENY}),
        # Row 37: exit control flags the LR, main and directly responsible persons, not the actual controller.
        (KeyRole.DIRECTLY_RESPONSIBLE, False, Sector.EXIT_CONTROL, {"EXIT_RESTRICTION_CHECK": Decision.FLAG}),
        (KeyRole.ACTUAL_CONTROLLER, True, Sector.EXIT_CONTROL, {}),
        # Listing-only bans never reach key persons (list rules: only the debtor is listed).
        (KeyRole.LEGAL_REPRESENTATIVE, True, Sector.PROCUREMENT, {}),
        (KeyRole.LEGAL_REPRESENTATIVE, True, Sector.CREDIT, {}),
    ],
    ids=ident,
)
def test_key_person_reach(
    role: KeyRole, org_listed: bool, sector: Sector, expected: dict[str, Decision]
) -> None:
    assert codes(decide(key_person(role, org_listed=org_listed), sector, ON)) == expected


def test_key_person_of_two_organisations_has_one_ground_per_organisation() -> None:
    status = SubjectStatus(
        PERSON,
        key_positions=(
            KeyPosition(ORG, KeyRole.LEGAL_REPRESENTATIVE, True),
            KeyPosition(OTHER_ORG, KeyRole.ACTUAL_CONTROLLER, False),
        ),
        permissions=(PersonalFundsPermission(organisation=ORG, valid_from=D(2026, 1, 1)),),
    )
    (flight,) = decide(status, Sector.AVIATION, ON)
    assert [(g.organisation, g.decision) for g in flight.grounds] == [
        (ORG, Decision.ALLOW_WITH_PERMISSION),
        (OTHER_ORG, Decision.DENY),
    ]
    assert flight.decision is Decision.DENY


# --- C-PERMIT: the debtor's own necessity permission -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "sector", "expected"),
    [
        (RESTRICTED_PERSON, Sector.VEHICLES, {"VEHICLE_PURCHASE": Decision.ALLOW_WITH_PERMISSION}),
        (
            RESTRICTED_PERSON,
            Sector.REAL_ESTATE,
            {
                "REAL_ESTATE_PURCHASE": Decision.DENY,
                "HOUSING_CONSTRUCTION": Decision.DENY,
                "OFFICE_LEASE_HIGH_END": Decision.ALLOW_WITH_PERMISSION,
            },
        ),
        (LISTED_ORG, Sector.VEHICLES, {"VEHICLE_PURCHASE": Decision.ALLOW_WITH_PERMISSION}),
        (key_person(), Sector.VEHICLES, {"VEHICLE_PURCHASE": Decision.DENY}),  # key persons use C-ORG-2
    ],
    ids=ident,
)
def test_necessity_permission_is_per_item_for_the_debtor(
    status: SubjectStatus, sector: Sector, expected: dict[str, Decision]
) -> None:
    """C-PERMIT (限高 Art. 8): consumption necessary for living or business, approved item by item."""
    permission = NecessityPermission(
        measures=frozenset({"VEHICLE_PURCHASE", "OFFICE_LEASE_HIGH_END"}),
        valid_from=D(2026, 3, 1),
        valid_until=D(2026, 6, 30),
    )
    with_permission = dataclasses.replace(status, permissions=(permission,))
    assert codes(decide(with_permission, sector, ON)) == expected
    assert codes(decide(with_permission, sector, D(2026, 7, 1))) == dict.fromkeys(expected, Decision.DENY)


def test_reference_measures_are_never_lifted_by_permissions() -> None:
    lift = HumanitarianLift(
        valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 31), reason=HumanitarianReason.MEDICAL
    )
    (exit_check,) = decide(
        SubjectStatus(PERSON, restricted=True, permissions=(lift,)), Sector.EXIT_CONTROL, ON
    )
    assert exit_check.decision is Decision.FLAG
    assert exit_check.grounds[0].effect is Effect.REFERENCE
    assert exit_check.permissions == ()
    assert exit_check.basis == exit_check.measure.basis
    assert exit_check.reason == "reference: the subject is listed or under a consumption restriction"


# --- EDU-1: a child is never a subject ----------------------------------------------------------------------


@pytest.mark.parametrize("sector", list(Sector), ids=ident)
def test_child_receives_no_measure_in_any_sector(sector: Sector) -> None:
    assert decide(CHILD, sector, ON) == ()


@pytest.mark.parametrize("measure", MEASURES, ids=[m.code for m in MEASURES])
def test_child_is_outside_every_measure(measure: Measure) -> None:
    assert decide_measure(CHILD, measure, ON) is None
