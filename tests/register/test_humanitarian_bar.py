"""C-HUMANITARIAN (2019 Opinion §17(3)) over HTTP: a humanitarian lift revoked for false evidence or a breach of
the undertaking restores the restriction and bars every further humanitarian lift for the person."""

from __future__ import annotations

import pytest

from tests.support import HUMANITARIAN_LIFT, Desk

LIFT = HUMANITARIAN_LIFT


def _restriction(desk: Desk, debtor_id: int) -> dict:
    case = desk.case(debtor_id)
    response = desk.restrict(case["id"], order_date="2026-11-01")
    assert response.status_code == 201, response.json
    return response.json[0]


def _grant(desk: Desk, restriction_id: int, body: dict | None = None):
    return desk.client.post(f"/restrictions/{restriction_id}/permissions", body or LIFT)


def _lift(desk: Desk, restriction_id: int) -> int:
    granted = _grant(desk, restriction_id)
    assert granted.status_code == 201, granted.json
    return next(p["id"] for p in granted.json["permissions"] if p["revoked_on"] is None)


def _revoke(desk: Desk, restriction_id: int, permission_id: int, body: dict):
    return desk.client.post(f"/restrictions/{restriction_id}/permissions/{permission_id}/revocation", body)


def _revoked(desk: Desk, restriction_id: int, permission_id: int, reason: str) -> dict:
    response = _revoke(desk, restriction_id, permission_id, {"revoked_on": "2026-11-25", "revocation_reason": reason})
    assert response.status_code == 200, response.json
    return next(p for p in response.json["permissions"] if p["id"] == permission_id)


def _assert_barred(response) -> None:
    assert response.status_code == 422, response.json
    assert response.json["code"] == "permission.humanitarian_barred"
    assert response.json["rule"] == "C-HUMANITARIAN"
    assert response.json["remedy"]


@pytest.mark.parametrize("reason", ["false_evidence", "breach_of_undertaking"])
def test_no_further_humanitarian_lift_after_revocation_for_false_evidence_or_breach(world, desk, reason):
    restriction = _restriction(desk, desk.person()["id"])
    permission_id = _lift(desk, restriction["id"])
    before = world.admin.get("/events/").json["last_seq"]
    revoked = _revoked(desk, restriction["id"], permission_id, reason)
    assert revoked["revoked_on"] == "2026-11-25" and revoked["revocation_reason"] == reason
    log = world.admin.get("/events/", after=before).json["items"]
    assert [(e["action"], e["data"]) for e in log] == [
        (
            "permission.revoked",
            {"permission_id": permission_id, "revoked_on": "2026-11-25", "revocation_reason": reason},
        )
    ]
    again = _grant(desk, restriction["id"], LIFT | {"valid_from": "2026-12-01", "valid_until": "2026-12-31"})
    _assert_barred(again)
    assert len(desk.client.get(f"/restrictions/{restriction['id']}").json["permissions"]) == 1


def test_breach_bars_a_lift_on_the_persons_restrictions_in_other_cases_and_courts(world, desk):
    person = desk.person()
    first = _restriction(desk, person["id"])
    second = _restriction(desk, person["id"])  # the same person, another case of the same court
    elsewhere = Desk(world.other_court, "京0101")
    third = _restriction(elsewhere, person["id"])  # … and a case of another court
    _revoked(desk, first["id"], _lift(desk, first["id"]), "breach_of_undertaking")
    _assert_barred(_grant(desk, second["id"]))
    _assert_barred(_grant(elsewhere, third["id"]))
    stranger = _restriction(desk, desk.person(name="王五", seq="095")["id"])
    assert _grant(desk, stranger["id"]).status_code == 201  # the bar is personal


def test_revocation_for_another_reason_does_not_bar(desk):
    restriction = _restriction(desk, desk.person()["id"])
    revoked = _revoked(desk, restriction["id"], _lift(desk, restriction["id"]), "other")
    assert revoked["revocation_reason"] == "other"
    again = _grant(desk, restriction["id"], LIFT | {"valid_from": "2026-12-01", "valid_until": "2026-12-31"})
    assert again.status_code == 201, again.json


def test_a_barring_revocation_of_another_kind_of_permission_does_not_bar(desk):
    restriction = _restriction(desk, desk.person()["id"])
    necessity = _grant(
        desk,
        restriction["id"],
        {"kind": "necessity", "valid_from": "2026-11-21", "measures": ["HOTEL_STAR"], "approved_by": "院长"},
    )
    assert necessity.status_code == 201, necessity.json
    _revoked(desk, restriction["id"], necessity.json["permissions"][0]["id"], "false_evidence")
    assert _grant(desk, restriction["id"]).status_code == 201  # the bar is for humanitarian lifts only


def test_personal_funds_and_necessity_permissions_are_still_granted_after_the_bar(desk):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    key_person_restriction = next(
        r
        for r in desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01").json
        if r["subject_id"] == lr["id"]
    )
    own = _restriction(desk, lr["id"])  # the legal representative is a debtor in his own right too
    _revoked(desk, own["id"], _lift(desk, own["id"]), "false_evidence")
    _assert_barred(_grant(desk, key_person_restriction["id"]))
    personal_funds = _grant(
        desk,
        key_person_restriction["id"],
        {
            "kind": "personal_funds",
            "measures": ["AVIATION_FLIGHT"],
            "valid_from": "2026-12-01",
            "approved_by": "院长",
        },
    )
    assert personal_funds.status_code == 201, personal_funds.json
    necessity = _grant(
        desk,
        own["id"],
        {"kind": "necessity", "measures": ["HOTEL_STAR"], "valid_from": "2026-12-01", "approved_by": "院长"},
    )
    assert necessity.status_code == 201, necessity.json


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"revoked_on": "2026-11-25"}, "required"),
        ({"revoked_on": "2026-11-25", "revocation_reason": None}, "null"),
        ({"revoked_on": "2026-11-25", "revocation_reason": "lied"}, "permission.revocation_reason"),
    ],
)
def test_the_revocation_reason_is_required_and_validated(desk, body, code):
    restriction = _restriction(desk, desk.person()["id"])
    permission_id = _lift(desk, restriction["id"])
    response = _revoke(desk, restriction["id"], permission_id, body)
    assert response.status_code == 422, response.json
    assert [(e["field"], e["code"]) for e in response.json["errors"]] == [("revocation_reason", code)]
    if code == "permission.revocation_reason":
        assert response.json["code"] == code
        assert "false_evidence, breach_of_undertaking, other" in response.json["message"]
    permission = desk.client.get(f"/restrictions/{restriction['id']}").json["permissions"][0]
    assert permission["revoked_on"] is None and permission["revocation_reason"] is None
