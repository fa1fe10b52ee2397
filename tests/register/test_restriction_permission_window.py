"""A permission that holds only because every order in force grants one (``services.status``) is shown with
the window all of them share: a partner told "suspended until" a day must not find the ban back before it
(C-HUMANITARIAN, C-PERMIT, D11)."""

from __future__ import annotations

from tests.support import Desk


def _flight(desk, subject_id, on):
    found = desk.client.get(f"/debtors/{subject_id}/measures", as_of=on).json
    return next(d for d in found if d["code"] == "AVIATION_FLIGHT")


def _lift(valid_from, valid_until):
    return {
        "kind": "humanitarian",
        "valid_from": valid_from,
        "valid_until": valid_until,
        "approved_by": "院长 赵六",
        "reason": "medical",
    }


def _grant(clerk, restriction, valid_from, valid_until):
    granted = clerk.client.post(f"/restrictions/{restriction['id']}/permissions", _lift(valid_from, valid_until))
    assert granted.status_code == 201, granted.json


def _restricted_by_two_courts(desk, world):
    debtor = desk.person()
    ours = desk.restrict(desk.case(debtor["id"])["id"]).json[0]
    other = Desk(world.other_court, court_code="京0101")
    theirs = other.restrict(other.case(debtor["id"])["id"]).json[0]
    return debtor, ours, other, theirs


def test_the_lift_shown_ends_when_the_first_of_the_two_courts_lifts_ends(desk, world):
    debtor, ours, other, theirs = _restricted_by_two_courts(desk, world)
    _grant(desk, ours, "2026-11-21", "2026-12-20")
    _grant(other, theirs, "2026-11-21", "2026-12-10")
    shown = _flight(desk, debtor["id"], "2026-11-25")
    assert shown["decision"] == "allow_with_permission"
    assert "until 2026-12-10" in shown["reason"], shown["reason"]
    assert _flight(desk, debtor["id"], "2026-12-11")["decision"] == "deny"


def test_the_lift_shown_starts_when_the_last_of_the_two_courts_lifts_starts(desk, world):
    debtor, ours, other, theirs = _restricted_by_two_courts(desk, world)
    _grant(desk, ours, "2026-11-21", "2026-12-20")
    _grant(other, theirs, "2026-11-23", "2026-12-20")
    assert _flight(desk, debtor["id"], "2026-11-22")["decision"] == "deny"
    shown = _flight(desk, debtor["id"], "2026-11-23")
    assert "from 2026-11-23 until 2026-12-20" in shown["reason"], shown["reason"]


def test_a_lift_revoked_from_a_later_day_is_shown_ending_the_day_before(desk):
    debtor = desk.person()
    row = desk.restrict(desk.case(debtor["id"])["id"]).json[0]
    granted = desk.client.post(f"/restrictions/{row['id']}/permissions", _lift("2026-11-21", "2026-12-20"))
    permission = granted.json["permissions"][0]["id"]
    revoked = desk.client.post(
        f"/restrictions/{row['id']}/permissions/{permission}/revocation",
        {"revoked_on": "2026-11-25", "revocation_reason": "other"},
    )
    assert revoked.status_code == 200, revoked.json
    assert "until 2026-11-24" in _flight(desk, debtor["id"], "2026-11-21")["reason"]
    assert _flight(desk, debtor["id"], "2026-11-25")["decision"] == "deny"
