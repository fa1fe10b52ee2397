"""A key person recorded after the organisation's order was lifted is reached for the days he held the role
while it was in force, as if the clerk had entered him first (C-ORG-1, D1: the court's dates decide, not the
day of entry). He is restricted, never listed (RULE-1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import CONTROLLER_ID, TODAY

LIFTED_ON = dt.date(2026, 11, 12)  # the day the court lifts the order (its act: lifted from that day)


def _flight(desk, subject_id, on):
    decisions = desk.client.get(f"/debtors/{subject_id}/measures", as_of=on).json
    return {d["code"]: d["decision"] for d in decisions}.get("AVIATION_FLIGHT")


def _add_controller(desk, company_id, since):
    return desk.key_person(company_id, since=since)["person"]["id"]


def _lift(desk, case_id, order_number):
    lifted = desk.client.post(
        f"/cases/{case_id}/restrictions/lift",
        {"order_number": order_number, "reason": "security", "fact_date": "2026-11-11"},
    )
    assert lifted.status_code == 200, lifted.json


def _controller_link(desk, company_id):
    key_persons = desk.client.get(f"/debtors/{company_id}").json["key_persons"]
    return next(k for k in key_persons if k["role"] == "actual_controller")


def _rows(desk, person):
    rows = desk.client.get("/restrictions/", subject_id=person).json["items"]
    return sorted((r["role"], r["effective_from"], r["lifted_on"], r["lift_reason"]) for r in rows)


def _lifted_order_and_controller(desk, today, controller_first: bool, since: str = "2026-11-05"):
    """An order in force from 2026-11-01, lifted on 2026-11-12; the controller, in the role since ``since``,
    entered before the lift or only today."""
    today(LIFTED_ON)
    company = desk.company()
    case = desk.case(company["id"])
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    person = _add_controller(desk, company["id"], since) if controller_first else None
    _lift(desk, case["id"], order.json[0]["order_number"])
    today(TODAY)
    return company, person or _add_controller(desk, company["id"], since)


@pytest.mark.parametrize("controller_first", [True, False])
def test_a_controller_recorded_after_the_lift_is_reached_for_the_days_the_order_was_in_force(
    desk, today, controller_first
):
    _, person = _lifted_order_and_controller(desk, today, controller_first)
    assert _rows(desk, person) == [("actual_controller", "2026-11-05", "2026-11-12", "security")]
    days = ["2026-11-04", "2026-11-05", "2026-11-11", "2026-11-12", "2026-11-21"]
    assert [_flight(desk, person, day) for day in days] == [None, "deny", "deny", None, None]


def test_the_key_person_reached_late_is_restricted_never_listed(desk, today, world):
    """RULE-1: the row is a restriction with the organisation; no listing names him."""
    _, person = _lifted_order_and_controller(desk, today, controller_first=False)
    assert desk.client.get("/listings/", subject_id=person).json["total"] == 0
    assert world.public.get("/public/dishonest-debtors", name="周七").json["items"] == []


def test_a_controller_who_took_the_role_on_the_day_of_the_lift_is_not_reached(desk, today):
    _, person = _lifted_order_and_controller(desk, today, controller_first=False, since="2026-11-12")
    assert _rows(desk, person) == []


def test_a_legal_representative_recorded_late_is_reached_until_the_lift(desk, today):
    """C-LR-CHANGE recorded today, effective before the order was lifted: the successor is reached from the
    change's date until the lift."""
    today(LIFTED_ON)
    company = desk.company()
    case = desk.case(company["id"])
    order = desk.restrict(case["id"], order_date="2026-11-01").json
    _lift(desk, case["id"], order[0]["order_number"])
    today(TODAY)
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-05")
    assert changed.status_code == 201, changed.json
    successor = changed.json["key_person"]["person"]["id"]
    assert [(r["effective_from"], r["lifted_on"]) for r in changed.json["restricted"]] == [
        ("2026-11-05", "2026-11-12")
    ]
    assert (_flight(desk, successor, "2026-11-04"), _flight(desk, successor, "2026-11-05")) == (None, "deny")
    assert _flight(desk, successor, "2026-11-12") is None


def _controller_who_left_on_the_8th(desk, today):
    """The controller left on 2026-11-08 (his row lifted that day); the order (from 2026-11-01) was lifted
    on 2026-11-12."""
    today(LIFTED_ON)
    company = desk.company()
    case = desk.case(company["id"])
    person = _add_controller(desk, company["id"], "2020-01-01")
    order = desk.restrict(case["id"], order_date="2026-11-01").json
    ended = desk.client.post(
        f"/debtors/{company['id']}/key-persons/{_controller_link(desk, company['id'])['id']}/end",
        {"effective_on": "2026-11-08"},
    )
    assert ended.status_code == 201, ended.json
    _lift(desk, case["id"], order[0]["order_number"])
    today(TODAY)
    return company, person


def test_a_tenure_overlapping_an_earlier_one_of_the_same_person_and_role_is_refused(desk, today):
    """One tenure per person and role on any day: recorded again from 2026-11-06, two days his earlier tenure
    (until 2026-11-07) covers, is refused and changes nothing; his row keeps its one end."""
    company, person = _controller_who_left_on_the_8th(desk, today)
    seq = desk.client.get("/events/").json["last_seq"]
    again = desk.client.post(
        f"/debtors/{company['id']}/key-persons",
        {"role": "actual_controller", "name": "周七", "id_number": CONTROLLER_ID, "since": "2026-11-06"},
    )
    assert (again.status_code, again.json["code"]) == (409, "key_person.overlapping_tenure")
    assert "2026-11-08" in again.json["message"]
    assert desk.client.get("/events/").json["last_seq"] == seq
    assert _rows(desk, person) == [("actual_controller", "2026-11-01", "2026-11-08", "key_person_change")]


def test_back_in_the_role_after_his_tenure_he_is_reached_for_the_days_the_order_was_in_force(desk, today):
    """Back from 2026-11-08, the first day out of his earlier tenure: a second row from that day until the order's
    lift, so every day he held the role while the order was in force is restricted, each by one row."""
    company, person = _controller_who_left_on_the_8th(desk, today)
    _add_controller(desk, company["id"], "2026-11-08")
    assert _rows(desk, person) == [
        ("actual_controller", "2026-11-01", "2026-11-08", "key_person_change"),
        ("actual_controller", "2026-11-08", "2026-11-12", "security"),
    ]
    days = ["2026-11-07", "2026-11-08", "2026-11-11", "2026-11-12"]
    assert [_flight(desk, person, d) for d in days] == ["deny", "deny", "deny", None]


def test_a_role_ended_before_the_lift_but_recorded_after_it_ends_the_row_on_the_day_he_left(desk, today):
    """The mirror case: the order (from 2026-11-01) was lifted on 2026-11-12; today the court records that the
    controller left on 2026-11-07. His row ends on 2026-11-07, as it would had the clerk entered the end
    first, not on the lift's day (D1, C-LR-CHANGE)."""
    today(LIFTED_ON)
    company = desk.company()
    case = desk.case(company["id"])
    person = _add_controller(desk, company["id"], "2020-01-01")
    order = desk.restrict(case["id"], order_date="2026-11-01").json
    _lift(desk, case["id"], order[0]["order_number"])
    today(TODAY)
    ended = desk.client.post(
        f"/debtors/{company['id']}/key-persons/{_controller_link(desk, company['id'])['id']}/end",
        {"effective_on": "2026-11-07"},
    )
    assert ended.status_code == 201, ended.json
    assert _rows(desk, person) == [("actual_controller", "2026-11-01", "2026-11-07", "key_person_change")]
    assert [_flight(desk, person, d) for d in ("2026-11-06", "2026-11-07", "2026-11-11")] == [
        "deny",
        None,
        None,
    ]


def test_a_legal_representative_replaced_before_the_lift_but_recorded_after_it_is_not_restricted_beside_his_successor(
    desk, today
):
    """Only one legal representative at a time (C-LR-CHANGE): the former holder's row ends the day the
    successor's begins, whatever was entered first."""
    today(LIFTED_ON)
    company = desk.company()
    case = desk.case(company["id"])
    order = desk.restrict(case["id"], order_date="2026-11-01").json
    former = next(r["subject_id"] for r in order if r["role"] == "legal_representative")
    _lift(desk, case["id"], order[0]["order_number"])
    today(TODAY)
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-07")
    assert changed.status_code == 201, changed.json
    successor = changed.json["key_person"]["person"]["id"]
    on_the_7th = (_flight(desk, former, "2026-11-07"), _flight(desk, successor, "2026-11-07"))
    assert on_the_7th == (None, "deny")
    assert (_flight(desk, former, "2026-11-06"), _flight(desk, successor, "2026-11-06")) == ("deny", None)
