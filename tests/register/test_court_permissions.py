"""Court permissions under a restriction order, over HTTP: a permission is granted to the person under the
court's order, whatever role's row it was entered on (C-ORG-2, C-PERMIT, C-HUMANITARIAN), and a humanitarian
lift lasts at most one month, not one month at a time (2019 Opinion §17(3), D11)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import Desk, person_id

LR_ID = person_id(dt.date(1975, 3, 2), area="110108", seq="051")  # 李四, the company's legal representative
LIFT = {
    "kind": "humanitarian",
    "valid_from": "2026-11-21",
    "valid_until": "2026-12-20",
    "approved_by": "院长 赵六",
    "reason": "medical",
}
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
    added = desk.client.post(
        f"/debtors/{company['id']}/key-persons",
        {"role": "actual_controller", "name": "李四", "id_number": LR_ID, "since": "2020-01-01"},
    )
    assert added.status_code == 201, added.json
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    rows = [r for r in order.json if r["subject_id"] == lr["id"]]
    assert sorted(r["role"] for r in rows) == ["actual_controller", "legal_representative"]
    return company, lr, case, rows


# --- One person, two roles, one order ----------------------------------------------------------------------


@pytest.mark.parametrize("row", [0, 1])
def test_a_humanitarian_lift_under_an_order_covers_both_of_the_persons_roles(desk, row):
    """C-HUMANITARIAN: the court lifts the person's flight ban under its order, on whichever row it is entered."""
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
