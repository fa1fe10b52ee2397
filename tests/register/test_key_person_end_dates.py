"""A key person's release takes the date the court gives, never the server clock (D1, C-ORG-1, C-LR-CHANGE).

The role ends on the effective date the court enters; the rows that reached the person only through it end
the same day, so a read ``as_of`` any day between that date and today agrees with today's read, and with
the debtor's key persons in office that day.
"""

from __future__ import annotations

import pytest

from tests.support import Desk


def _flight(desk, subject_id, on):
    decisions = desk.client.get(f"/debtors/{subject_id}/measures", as_of=on).json
    return {d["code"]: d["decision"] for d in decisions}.get("AVIATION_FLIGHT")


def _in_office(desk, company_id, on):
    debtor = desk.client.get(f"/debtors/{company_id}", as_of=on).json
    return {(k["person"]["id"], k["role"]) for k in debtor["key_persons"]}


def _company_with_controller(desk):
    company = desk.company()
    case = desk.case(company["id"])
    added = desk.key_person(company["id"])
    assert desk.restrict(case["id"], order_date="2026-11-01").status_code == 201
    return company, case, added


def test_ending_a_role_releases_the_person_from_the_effective_date_not_from_today(desk):
    company, _, link = _company_with_controller(desk)
    person = link["person"]["id"]
    ended = desk.client.post(
        f"/debtors/{company['id']}/key-persons/{link['id']}/end", {"effective_on": "2026-11-10"}
    )
    assert ended.status_code == 201, ended.json
    assert [r["lifted_on"] for r in ended.json["released"]] == ["2026-11-10"]
    assert (person, "actual_controller") in _in_office(desk, company["id"], "2026-11-09")
    assert _flight(desk, person, "2026-11-09") == "deny"  # the last day in the role
    assert (person, "actual_controller") not in _in_office(desk, company["id"], "2026-11-15")
    assert _flight(desk, person, "2026-11-10") is None  # the first day out of it (D2)
    assert _flight(desk, person, "2026-11-15") is None
    assert _flight(desk, person, "2026-11-21") is None  # today's read agrees


def test_a_change_of_legal_representative_releases_the_former_holder_on_the_day_the_successor_is_reached(
    desk,
):
    """C-LR-CHANGE: the successor is restricted from the change's date; the former holder is released on it,
    so no day has both or neither."""
    company = desk.company()
    former = company["key_persons"][0]["person"]["id"]
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01")
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-10")
    assert changed.status_code == 201, changed.json
    successor = changed.json["key_person"]["person"]["id"]
    assert [r["lifted_on"] for r in changed.json["released"]] == ["2026-11-10"]
    assert [r["effective_from"] for r in changed.json["restricted"]] == ["2026-11-10"]
    assert (_flight(desk, former, "2026-11-09"), _flight(desk, successor, "2026-11-09")) == ("deny", None)
    assert (_flight(desk, former, "2026-11-10"), _flight(desk, successor, "2026-11-10")) == (None, "deny")
    assert (_flight(desk, former, "2026-11-15"), _flight(desk, successor, "2026-11-15")) == (None, "deny")


def _other_courts_row(world, company, person_id_):
    other = Desk(world.other_court, court_code="京0101")
    rows = other.restrict(other.case(company["id"])["id"], order_date="2026-11-01").json
    return other, next(r for r in rows if r["subject_id"] == person_id_)


def test_another_courts_release_takes_its_fact_date(desk, world):
    company, _, link = _company_with_controller(desk)
    person = link["person"]["id"]
    other, row = _other_courts_row(world, company, person)
    desk.client.post(f"/debtors/{company['id']}/key-persons/{link['id']}/end", {"effective_on": "2026-11-10"})
    released = other.client.post(f"/restrictions/{row['id']}/release", {"fact_date": "2026-11-12"})
    assert released.status_code == 200, released.json
    assert (released.json["lifted_on"], released.json["lift_fact_date"]) == ("2026-11-12", "2026-11-12")
    assert _flight(desk, person, "2026-11-11") == "deny"  # the other court's order until its release
    assert _flight(desk, person, "2026-11-12") is None


@pytest.mark.parametrize("fact_date", ["2026-11-09", "2026-11-01"])
def test_a_release_dated_before_the_person_left_the_role_is_refused_and_changes_nothing(
    desk, world, fact_date
):
    """Released before the role ended, the person would show in office and unrestricted on the days between."""
    company, _, link = _company_with_controller(desk)
    other, row = _other_courts_row(world, company, link["person"]["id"])
    desk.client.post(f"/debtors/{company['id']}/key-persons/{link['id']}/end", {"effective_on": "2026-11-10"})
    seq = desk.client.get("/events/").json["last_seq"]
    refused = other.client.post(f"/restrictions/{row['id']}/release", {"fact_date": fact_date})
    assert refused.status_code == 422 and refused.json["code"] == "restriction.release_before_role_end"
    assert other.client.get(f"/restrictions/{row['id']}").json["lifted_on"] is None
    assert desk.client.get("/events/").json["last_seq"] == seq


def test_an_order_entered_after_the_role_ended_reaches_the_former_holder_for_the_days_he_held_it(desk):
    """The outcome does not depend on which the clerk entered first, the order or the end of the role: an
    order in force from 2026-11-01 reached the actual controller until he left on 2026-11-10 either way."""
    company = desk.company()
    case = desk.case(company["id"])
    added = desk.key_person(company["id"])
    person = added["person"]["id"]
    ended = desk.client.post(
        f"/debtors/{company['id']}/key-persons/{added['id']}/end", {"effective_on": "2026-11-10"}
    )
    assert ended.status_code == 201 and ended.json["released"] == []
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    row = next(r for r in order.json if r["subject_id"] == person)
    assert (row["effective_from"], row["lifted_on"], row["lift_reason"]) == (
        "2026-11-01",
        "2026-11-10",
        "key_person_change",
    )
    assert _flight(desk, person, "2026-10-31") is None
    assert _flight(desk, person, "2026-11-09") == "deny"
    assert _flight(desk, person, "2026-11-10") is None
    assert _flight(desk, person, "2026-11-21") is None
    later = desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-10").json
    assert person not in {r["subject_id"] for r in later}  # in force only from the first day out of it
