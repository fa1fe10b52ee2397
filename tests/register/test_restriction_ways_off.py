"""What a restricted person is told about how the restriction ends (限高规定 Arts. 3 ¶2, 8, 9; C-LR-CHANGE;
D10): only ways the register itself would accept for this row.

A key person is not the debtor: a necessity permission (C-PERMIT) is for the debtor's own restriction and
is refused on theirs; what frees them is the organisation's performance, leaving the role, and for private
consumption with personal funds a permission (C-ORG-2). A debtor listed in the case cannot have the order
lifted on security or the applicant's consent until the listing is gone (C-IMPOSE-2).
"""

from __future__ import annotations

from tests.support import CONTROLLER_ID


def _me(subject):
    return {"name": subject["name"], "id_number": subject["identifier"]}


def _ways(world, identity, capacity):
    body = world.public.post("/public/self-check", identity).json
    rows = [r for r in body["restrictions"] if r["capacity"] == capacity and r["active"]]
    assert rows, body
    return {w["code"]: w for w in rows[0]["how_to_end"]}


def test_a_key_person_is_told_the_ways_open_to_a_key_person(desk, world):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01")
    ways = _ways(world, _me(lr), "key_person")
    assert "permission" not in ways  # a necessity permission is refused on a key person's row
    assert {"full_performance", "left_role", "personal_funds"} <= set(ways)
    assert "组织" in ways["full_performance"]["zh"] or "单位" in ways["full_performance"]["zh"]
    assert "actual controller" in ways["left_role"]["en"]  # C-LR-CHANGE: the former LR must show he is not


def test_the_permission_a_key_person_is_told_of_is_one_the_court_can_grant(desk):
    company = desk.company()
    order = desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01").json
    row = next(r for r in order if r["capacity"] == "key_person")
    necessity = desk.client.post(
        f"/restrictions/{row['id']}/permissions",
        {"kind": "necessity", "measures": ["HOTEL_STAR"], "valid_from": "2026-11-21", "approved_by": "法官"},
    )
    assert necessity.status_code == 422 and necessity.json["code"] == "permission.capacity"
    funds = desk.client.post(
        f"/restrictions/{row['id']}/permissions",
        {"kind": "personal_funds", "valid_from": "2026-11-21", "approved_by": "法官"},
    )
    assert funds.status_code == 201, funds.json


def test_an_actual_controller_is_told_that_leaving_the_role_releases_him(desk, world):
    company = desk.company()
    case = desk.case(company["id"])
    desk.key_person(company["id"])
    desk.restrict(case["id"], order_date="2026-11-01")
    ways = _ways(world, {"name": "周七", "id_number": CONTROLLER_ID}, "key_person")
    assert "permission" not in ways and "left_role" in ways
    assert (
        "actual controller" not in ways["left_role"]["en"]
    )  # no proof asked of him: the role alone reached him


def test_a_listed_debtor_is_not_told_that_security_lifts_the_order_while_listed(desk, world):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    assert desk.list(case["id"]).status_code == 201
    ways = _ways(world, _me(debtor), "debtor")
    assert "security_or_consent" in ways
    assert "list" in ways["security_or_consent"]["en"] and "名单" in ways["security_or_consent"]["zh"]
    assert "permission" in ways  # C-PERMIT is the debtor's


def test_an_unlisted_debtor_is_told_security_or_consent_may_lift_it(desk, world):
    debtor = desk.person()
    desk.restrict(desk.case(debtor["id"])["id"])
    ways = _ways(world, _me(debtor), "debtor")
    assert "security_or_consent" in ways and "list" not in ways["security_or_consent"]["en"]
    assert {"full_performance", "settlement_performed", "permission"} <= set(ways)
