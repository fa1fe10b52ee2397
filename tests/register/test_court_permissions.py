"""Court permissions under a restriction order, over HTTP: a permission is granted to the person under the
court's order, whatever role's row it was entered on (C-ORG-2, C-PERMIT, C-HUMANITARIAN), and a humanitarian
lift lasts at most one month, not one month at a time (2019 Opinion §17(3), D11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import HUMANITARIAN_LIFT, Desk, person_id

LR_ID = person_id(dt.date(1975, 3, 2), area="110108", seq="051")  # 李四, the company's legal representative
LIFT = HUMANITARIAN_LIFT
FUNDS = {"kind": "personal_funds", "valid_from": "2026-11-21", "approved_by": "法官 钱七"}


def _decisions(desk, subject_id, **params):
    response = desk.client.get(f"/debtors/{subject_id}/measures", **params)
    assert response.status_code == 200, response.json
    return {d["code"]: d["decision"] for d in response.json}


def _lr_also_actual_controller(desk):
    """A restricted company whose legal representative is also its actual controller: one order, two rows."""
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    desk.key_person(company["id"], name="李四", id_number=LR_ID)
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    rows = [r for r in order.json if r["subject_id"] == lr["id"]]
    assert sorted(r["role"] for r in rows) == ["actual_controller", "legal_representative"]
    return company, lr, case, rows


# --- One person, two roles, one order ----------------------------------------------------------------------


@pytest.mark.parametrize("row", [0, 1])
def test_a_humanitarian_lift_under_an_order_covers_both_of_the_persons_roles(desk, row):
    """C-HUMANITARIAN: the court lifts the person's flight ban under its order, on whichever row it is
    entered."""
    _, lr, _, rows = _lr_also_actual_controller(desk)
    assert _decisions(desk, lr["id"])["AVIATION_FLIGHT"] == "deny"
    granted = desk.client.post(f"/restrictions/{rows[row]['id']}/permissions", LIFT)
    assert granted.status_code == 201, granted.json
    decisions = _decisions(desk, lr["id"])
    assert decisions["AVIATION_FLIGHT"] == decisions["RAIL_HIGH_SPEED"] == "allow_with_permission"
    assert decisions["HOTEL_STAR"] == "deny"  # the lift covers flights and high-speed rail only
    assert _decisions(desk, lr["id"], as_of="2026-12-21")["AVIATION_FLIGHT"] == "deny"  # it ends by itself


def test_a_personal_funds_permission_under_an_order_covers_both_of_the_persons_roles(desk):
    """C-ORG-2: the permission is for the person's private consumption, not for one of their roles."""
    _, lr, _, rows = _lr_also_actual_controller(desk)
    granted = desk.client.post(
        f"/restrictions/{rows[0]['id']}/permissions", FUNDS | {"measures": ["HOTEL_STAR"]}
    )
    assert granted.status_code == 201, granted.json
    decisions = _decisions(desk, lr["id"])
    assert decisions["HOTEL_STAR"] == "allow_with_permission"
    assert decisions["AVIATION_FLIGHT"] == "deny"  # only the approved item


def test_a_permission_under_one_order_does_not_lift_another_order_of_the_same_court(desk):
    """README: a permission lifts a ban only if every restriction in force on the person grants it. 李四 is
    restricted as a debtor and as the company's legal representative, by two orders of the same court."""
    person = desk.person(name="李四", born=dt.date(1975, 3, 2), area="110108", seq="051")
    own = desk.restrict(desk.case(person["id"])["id"], order_date="2026-11-01").json[0]
    company = desk.company()
    keyed = next(
        r
        for r in desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01").json
        if r["subject_id"] == person["id"]
    )
    assert desk.client.post(f"/restrictions/{own['id']}/permissions", LIFT).status_code == 201
    assert _decisions(desk, person["id"])["AVIATION_FLIGHT"] == "deny"
    assert desk.client.post(f"/restrictions/{keyed['id']}/permissions", LIFT).status_code == 201
    assert _decisions(desk, person["id"])["AVIATION_FLIGHT"] == "allow_with_permission"


def test_a_permission_under_one_courts_order_does_not_lift_another_courts_order_for_two_roles(desk, world):
    """One court cannot lift another court's restriction, however the person's roles are split."""
    company, lr, _, rows = _lr_also_actual_controller(desk)
    other = Desk(world.other_court, court_code="京0101")
    other_case = other.case(company["id"])
    assert other.restrict(other_case["id"], order_date="2026-11-01").status_code == 201
    assert desk.client.post(f"/restrictions/{rows[0]['id']}/permissions", LIFT).status_code == 201
    assert _decisions(desk, lr["id"])["AVIATION_FLIGHT"] == "deny"


# --- A humanitarian lift lasts at most one month in one stretch -------------------------------------------


def _restricted_person(desk):
    debtor = desk.person()
    restriction = desk.restrict(desk.case(debtor["id"])["id"], order_date="2026-11-01").json[0]
    return debtor, restriction


def _lift(desk, restriction_id, valid_from, valid_until):
    return desk.client.post(
        f"/restrictions/{restriction_id}/permissions",
        LIFT | {"valid_from": valid_from, "valid_until": valid_until},
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        ("2026-12-21", "2027-01-20"),  # starts the day after the first ends
        ("2026-12-20", "2027-01-19"),  # overlaps its last day
        ("2026-11-25", "2026-11-30"),  # inside it
        ("2026-10-21", "2026-11-20"),  # ends the day before it starts
        ("2026-10-25", "2026-11-21"),  # overlaps its first day
    ],
)
def test_a_humanitarian_lift_that_overlaps_or_runs_on_from_another_is_refused(desk, valid_from, valid_until):
    """C-HUMANITARIAN, D11: lifts end to end would suspend the flight and high-speed-rail measures for
    good."""
    debtor, restriction = _restricted_person(desk)
    assert _lift(desk, restriction["id"], "2026-11-21", "2026-12-20").status_code == 201
    refused = _lift(desk, restriction["id"], valid_from, valid_until)
    assert refused.status_code == 422
    assert refused.json["code"] == "permission.humanitarian_consecutive"
    assert refused.json["rule"] and refused.json["remedy"]
    detail = desk.client.get(f"/restrictions/{restriction['id']}").json
    assert len(detail["permissions"]) == 1  # nothing was recorded
    assert _decisions(desk, debtor["id"], as_of="2026-12-21")["AVIATION_FLIGHT"] == "deny"


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [("2026-12-22", "2027-01-21"), ("2026-10-20", "2026-11-19")],
)
def test_a_humanitarian_lift_after_a_day_with_the_measures_back_is_granted(desk, valid_from, valid_until):
    """The other side of the boundary: one day on which the measures apply separates two lifts."""
    _, restriction = _restricted_person(desk)
    assert _lift(desk, restriction["id"], "2026-11-21", "2026-12-20").status_code == 201
    granted = _lift(desk, restriction["id"], valid_from, valid_until)
    assert granted.status_code == 201, granted.json


def test_a_lift_revoked_before_it_began_does_not_count(desk):
    """A lift revoked (for another reason) before its first day never suspended anything."""
    _, restriction = _restricted_person(desk)
    first = _lift(desk, restriction["id"], "2026-11-25", "2026-12-20").json["permissions"][0]
    revoked = desk.client.post(
        f"/restrictions/{restriction['id']}/permissions/{first['id']}/revocation",
        {"revoked_on": "2026-11-25", "revocation_reason": "other"},
    )
    assert revoked.status_code == 200, revoked.json
    assert _lift(desk, restriction["id"], "2026-11-26", "2026-12-25").status_code == 201


def test_a_revoked_lift_counts_until_the_day_before_its_revocation(desk):
    _, restriction = _restricted_person(desk)
    first = _lift(desk, restriction["id"], "2026-11-21", "2026-12-20").json["permissions"][0]
    revoked = desk.client.post(
        f"/restrictions/{restriction['id']}/permissions/{first['id']}/revocation",
        {"revoked_on": "2026-11-30", "revocation_reason": "other"},
    )
    assert revoked.status_code == 200, revoked.json
    assert _lift(desk, restriction["id"], "2026-11-30", "2026-12-29").json["code"] == (
        "permission.humanitarian_consecutive"
    )
    assert _lift(desk, restriction["id"], "2026-12-01", "2026-12-31").status_code == 201


def test_a_lift_on_the_persons_other_row_under_the_same_order_cannot_run_on_either(desk):
    """The order reaches the person on two rows (two roles); a lift on either holds on both, so the month
    counts across them."""
    _, _, _, rows = _lr_also_actual_controller(desk)
    assert _lift(desk, rows[0]["id"], "2026-11-21", "2026-12-20").status_code == 201
    refused = _lift(desk, rows[1]["id"], "2026-12-21", "2027-01-20")
    assert refused.status_code == 422 and refused.json["code"] == "permission.humanitarian_consecutive"


def test_lifts_under_two_orders_are_judged_each_on_its_own(desk):
    """Each court's order is lifted by its own grant; the limit is per order (and both must grant anyway)."""
    debtor, restriction = _restricted_person(desk)
    other = desk.restrict(desk.case(debtor["id"])["id"], order_date="2026-11-01").json[0]
    assert _lift(desk, restriction["id"], "2026-11-21", "2026-12-20").status_code == 201
    assert _lift(desk, other["id"], "2026-12-21", "2027-01-20").status_code == 201
