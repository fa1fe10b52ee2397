"""Validation of subject statuses and court permissions (C-ORG-2, C-PERMIT, C-HUMANITARIAN, D11, EDU-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from sanctions.catalogue import KeyRole
from sanctions.subject import (
    HumanitarianLift,
    HumanitarianReason,
    InvalidInput,
    KeyPosition,
    NecessityPermission,
    PersonalFundsPermission,
    SubjectKind,
    SubjectStatus,
    consumption_measure,
)

D = dt.date
ORG = "91110000600037341L"
LR = KeyPosition(ORG, KeyRole.LEGAL_REPRESENTATIVE, organisation_listed=True)


def lift(start: dt.date, end: dt.date) -> HumanitarianLift:
    return HumanitarianLift(valid_from=start, valid_until=end, reason=HumanitarianReason.MEDICAL)


@pytest.mark.parametrize(
    ("build", "code"),
    [
        # EDU-1: a child is never a subject, so it carries no status at all.
        (lambda: SubjectStatus(SubjectKind.CHILD, listed=True, restricted=True), "child_is_not_a_subject"),
        (lambda: SubjectStatus(SubjectKind.CHILD, restricted=True), "child_is_not_a_subject"),
        (lambda: SubjectStatus(SubjectKind.CHILD, key_positions=(LR,)), "child_is_not_a_subject"),
        (
            lambda: SubjectStatus(SubjectKind.CHILD, permissions=(lift(D(2026, 3, 1), D(2026, 3, 2)),)),
            "child_is_not_a_subject",
        ),
        # C-IMPOSE-2: a listed debtor is always restricted.
        (lambda: SubjectStatus(SubjectKind.PERSON, listed=True), "listed_but_not_restricted"),
        # C-ORG-1: key persons are natural persons.
        (lambda: SubjectStatus(SubjectKind.ORGANISATION, key_positions=(LR,)), "organisation_key_position"),
        (
            lambda: SubjectStatus(
                SubjectKind.ORGANISATION, restricted=True, permissions=(lift(D(2026, 3, 1), D(2026, 3, 2)),)
            ),
            "permission_for_individuals_only",
        ),
        (
            lambda: SubjectStatus(
                SubjectKind.ORGANISATION,
                restricted=True,
                permissions=(PersonalFundsPermission(organisation=ORG, valid_from=D(2026, 1, 1)),),
            ),
            "permission_for_individuals_only",
        ),
    ],
)
def test_inconsistent_status_is_rejected(build: Callable[[], object], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert caught.value.code == code
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize(
    "status",
    [
        SubjectStatus(SubjectKind.CHILD),
        SubjectStatus(SubjectKind.PERSON),
        SubjectStatus(SubjectKind.PERSON, restricted=True),  # D10: a restriction outlives its listing
        SubjectStatus(SubjectKind.PERSON, listed=True, restricted=True, key_positions=(LR,)),
        SubjectStatus(
            SubjectKind.ORGANISATION,
            listed=True,
            restricted=True,
            permissions=(
                NecessityPermission(measures=frozenset({"OFFICE_LEASE_HIGH_END"}), valid_from=D(2026, 1, 1)),
            ),
        ),
    ],
)
def test_consistent_status_is_accepted(status: SubjectStatus) -> None:
    assert status.listed <= status.restricted


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (
            lambda: NecessityPermission(
                measures=frozenset({"VEHICLE_PURCHASE"}), valid_from=D(2026, 3, 2), valid_until=D(2026, 3, 1)
            ),
            "permission_window_reversed",
        ),
        (
            lambda: PersonalFundsPermission(
                organisation=ORG, valid_from=D(2026, 3, 2), valid_until=D(2026, 3, 1)
            ),
            "permission_window_reversed",
        ),
        (lambda: lift(D(2026, 3, 2), D(2026, 3, 1)), "permission_window_reversed"),
        (
            lambda: NecessityPermission(measures=frozenset(), valid_from=D(2026, 3, 1)),
            "permission_without_measures",
        ),
        (
            lambda: PersonalFundsPermission(organisation=ORG, measures=frozenset(), valid_from=D(2026, 3, 1)),
            "permission_without_measures",
        ),
        (
            lambda: NecessityPermission(measures=frozenset({"NO_SUCH_MEASURE"}), valid_from=D(2026, 3, 1)),
            "unknown_measure",
        ),
        # Listing-only measures end only with the listing; no court permission lifts them.
        (
            lambda: NecessityPermission(
                measures=frozenset({"PROCUREMENT_SUPPLIER"}), valid_from=D(2026, 3, 1)
            ),
            "not_a_consumption_measure",
        ),
        (
            lambda: PersonalFundsPermission(
                organisation=ORG, measures=frozenset({"CANDIDATE_NOMINATION"}), valid_from=D(2026, 3, 1)
            ),
            "not_a_consumption_measure",
        ),
        # C-HUMANITARIAN / D11 / D2: at most one month: the same-numbered day, or the month's last day.
        (lambda: lift(D(2026, 3, 1), D(2026, 4, 2)), "humanitarian_lift_too_long"),
        (lambda: lift(D(2026, 1, 31), D(2026, 3, 1)), "humanitarian_lift_too_long"),
        (lambda: lift(D(2026, 3, 1), D(2026, 6, 1)), "humanitarian_lift_too_long"),
    ],
)
def test_invalid_permission_is_rejected_at_construction(build: Callable[[], object], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert caught.value.code == code


def test_too_long_lift_error_names_the_latest_end_date() -> None:
    with pytest.raises(InvalidInput, match=r"must end by 2026-04-01, not 2026-04-02 \(C-HUMANITARIAN, D11\)"):
        lift(D(2026, 3, 1), D(2026, 4, 2))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 3, 1), D(2026, 3, 31)),
        (D(2026, 3, 1), D(2026, 4, 1)),  # D2: the same-numbered day a month later is inside the period
        (D(2026, 1, 31), D(2026, 2, 28)),  # D2: no 31 February, so the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2026, 3, 1), D(2026, 3, 1)),  # a single day
    ],
)
def test_lift_of_at_most_one_month_is_accepted(start: dt.date, end: dt.date) -> None:
    permission = lift(start, end)
    assert permission.active_on(start) and permission.active_on(end)


@pytest.mark.parametrize(
    ("until", "day", "active"),
    [
        (D(2026, 3, 31), D(2026, 2, 28), False),
        (D(2026, 3, 31), D(2026, 3, 1), True),
        (D(2026, 3, 31), D(2026, 3, 31), True),
        (D(2026, 3, 31), D(2026, 4, 1), False),
        (None, D(2099, 12, 31), True),  # open-ended: until revoked
        (None, D(2026, 2, 28), False),
    ],
)
def test_permission_window_is_inclusive(until: dt.date | None, day: dt.date, active: bool) -> None:
    permission = PersonalFundsPermission(organisation=ORG, valid_from=D(2026, 3, 1), valid_until=until)
    assert permission.active_on(day) is active


@pytest.mark.parametrize(
    ("code", "error"),
    [("TRAVEL_TOURS", None), ("BOND_ENTERPRISE", "not_a_consumption_measure"), ("XF1", "unknown_measure")],
)
def test_consumption_measure_lookup(code: str, error: str | None) -> None:
    if error is None:
        assert consumption_measure(code).code == code
    else:
        with pytest.raises(InvalidInput) as caught:
            consumption_measure(code)
        assert caught.value.code == error


def test_plain_strings_from_the_api_become_enum_members() -> None:
    """The API passes raw strings; identity checks (``is SubjectKind.CHILD``) must still hold."""
    child = SubjectStatus("child")  # type: ignore[arg-type]
    assert child.kind is SubjectKind.CHILD
    position = KeyPosition(ORG, "actual_controller")  # type: ignore[arg-type]
    assert position.role is KeyRole.ACTUAL_CONTROLLER
    status = SubjectStatus(SubjectKind.PERSON, key_positions=[position])  # type: ignore[arg-type]
    assert status.key_positions == (position,)
    reason = HumanitarianLift(valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 2), reason="exam")  # type: ignore[arg-type]
    assert reason.reason is HumanitarianReason.EXAM
    permission = NecessityPermission(measures={"VEHICLE_PURCHASE"}, valid_from=D(2026, 3, 1))  # type: ignore[arg-type]
    assert permission.measures == frozenset({"VEHICLE_PURCHASE"})
    assert hash(permission) == hash(permission)
    funds = PersonalFundsPermission(organisation=ORG, measures=["HOTEL_STAR"], valid_from=D(2026, 3, 1))  # type: ignore[arg-type]
    assert funds.measures == frozenset({"HOTEL_STAR"})


@pytest.mark.parametrize(
    "build",
    [
        lambda: SubjectStatus("company"),  # type: ignore[arg-type]
        lambda: KeyPosition(ORG, "director"),  # type: ignore[arg-type]
        lambda: HumanitarianLift(valid_from=D(2026, 3, 1), valid_until=D(2026, 3, 2), reason="holiday"),  # type: ignore[arg-type]
    ],
    ids=["kind", "role", "reason"],
)
def test_unknown_enum_strings_are_rejected(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()
