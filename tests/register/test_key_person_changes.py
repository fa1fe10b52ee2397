"""Key persons leave their roles, over HTTP (C-ORG-1, C-LR-CHANGE, 2019 Opinion §17(2)).

An actual controller or directly responsible person can leave the role on a date and is then released from
the restrictions that reached them only through it; a change of legal representative is recorded in the
order the changes happened, so the register never shows two current legal representatives.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import CONTROLLER_ID, HUMANITARIAN_LIFT, Desk, person_id

LR_ID = person_id(dt.date(1975, 3, 2), area="110108", seq="051")  # 李四, the company's legal representative
LIFT = HUMANITARIAN_LIFT


def _decisions(desk, subject_id, **params):
    response = desk.client.get(f"/debtors/{subject_id}/measures", **params)
    assert response.status_code == 200, response.json
    return {d["code"]: d["decision"] for d in response.json}


def _add(desk, company, role, name="周七", id_number=CONTROLLER_ID, since="2020-01-01"):
    return desk.key_person(company["id"], role, name, id_number, since)


def _end(desk, company_id, key_person_id, effective_on="2026-11-10"):
    return desk.client.post(
        f"/debtors/{company_id}/key-persons/{key_person_id}/end", {"effective_on": effective_on}
    )


def _restricted_company_with(desk, role):
    """A restricted company with a second key person in ``role`` (周七)."""
    company = desk.company()
    case = desk.case(company["id"])
    link = _add(desk, company, role)
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    return company, case, link


def _active_rows(desk, subject_id, client=None):
    rows = (client or desk.client).get("/restrictions/", subject_id=subject_id, active="true").json["items"]
    return sorted((r["role"], r["order_number"]) for r in rows)


def _key_persons(desk, company_id):
    """The key persons ever recorded, and how far the event log goes (a refusal records nothing)."""
    debtor = desk.client.get(f"/debtors/{company_id}").json
    links = [(k["person"]["name"], k["role"], k["since"], k["until"]) for k in debtor["key_persons"]]
    return links, desk.client.get("/events/").json["last_seq"]


# --- Ending the role of an actual controller or directly responsible person -----------------------------------


@pytest.mark.parametrize("role", ["actual_controller", "directly_responsible"])
def test_a_key_person_who_leaves_the_role_is_released_from_the_day_he_left(desk, role):
    """C-ORG-1 reaches the holder of the role; once out of it, the person is released (C-LR-CHANGE)."""
    company, _, link = _restricted_company_with(desk, role)
    person = link["person"]
    assert _decisions(desk, person["id"])["AVIATION_FLIGHT"] == "deny"
    ended = _end(desk, company["id"], link["id"])
    assert ended.status_code == 201, ended.json
    assert ended.json["key_person"]["until"] == "2026-11-10"
    assert [(r["subject_id"], r["role"], r["lift_reason"]) for r in ended.json["released"]] == [
        (person["id"], role, "key_person_change")
    ]
    assert _decisions(desk, person["id"]) == {}
    # D1: released from the first day out of the role as the court entered it, not from the day of the record
    assert _decisions(desk, person["id"], as_of="2026-11-09")["AVIATION_FLIGHT"] == "deny"
    assert _decisions(desk, person["id"], as_of="2026-11-10") == {}
    assert _decisions(desk, company["id"])["AVIATION_FLIGHT"] == "deny"  # the company stays restricted
    later = desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-21").json
    assert person["id"] not in {r["subject_id"] for r in later}  # a later order does not reach him


def test_the_roles_still_held_keep_the_person_restricted_and_the_lr_can_then_change(desk):
    """The legal representative who is also the actual controller: ending the latter releases only its rows;
    the change of legal representative, refused while he was the actual controller, then goes through."""
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    link = _add(desk, company, "actual_controller", name="李四", id_number=LR_ID)
    desk.restrict(case["id"], order_date="2026-11-01")
    refused = desk.change_legal_representative(company["id"], effective_on="2026-11-15")
    assert refused.status_code == 409 and refused.json["code"] == "key_person.still_responsible"
    assert _end(desk, company["id"], link["id"]).status_code == 201
    assert [role for role, _ in _active_rows(desk, lr["id"])] == ["legal_representative"]
    assert _decisions(desk, lr["id"])["AVIATION_FLIGHT"] == "deny"
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-15")
    assert changed.status_code == 201, changed.json
    assert _decisions(desk, lr["id"]) == {}


def test_another_courts_order_releases_the_former_holder_once_he_has_left(desk, world):
    """Each court releases its own order; the release is no longer refused as `restriction.role_held`."""
    company, _, link = _restricted_company_with(desk, "actual_controller")
    other = Desk(world.other_court, court_code="京0101")
    theirs = other.restrict(other.case(company["id"])["id"], order_date="2026-11-01").json
    their_row = next(r for r in theirs if r["subject_id"] == link["person"]["id"])
    held = other.client.post(f"/restrictions/{their_row['id']}/release", {"fact_date": "2026-11-10"})
    assert held.status_code == 409 and held.json["code"] == "restriction.role_held"
    assert _end(desk, company["id"], link["id"]).status_code == 201
    assert _decisions(desk, link["person"]["id"])["AVIATION_FLIGHT"] == "deny"  # the other court's order
    released = other.client.post(f"/restrictions/{their_row['id']}/release", {"fact_date": "2026-11-10"})
    assert released.status_code == 200, released.json
    assert _decisions(desk, link["person"]["id"]) == {}


def test_a_permission_granted_on_a_role_since_left_still_holds_on_the_persons_other_role(desk):
    """A court's permission is for the person under its order (C-HUMANITARIAN): ending the role whose row it
    was entered on does not take it away from the row that remains."""
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    link = _add(desk, company, "directly_responsible", name="李四", id_number=LR_ID)
    order = desk.restrict(case["id"], order_date="2026-11-01").json
    dr_row = next(r for r in order if r["subject_id"] == lr["id"] and r["role"] == "directly_responsible")
    assert desk.client.post(f"/restrictions/{dr_row['id']}/permissions", LIFT).status_code == 201
    assert _end(desk, company["id"], link["id"]).status_code == 201
    assert _decisions(desk, lr["id"])["AVIATION_FLIGHT"] == "allow_with_permission"


@pytest.mark.parametrize(
    ("effective_on", "status", "code"),
    [
        ("2026-11-22", 422, "date.future"),
        ("2020-01-01", 422, "key_person.end_before_start"),  # the day he took the role
        ("2019-06-01", 422, "key_person.end_before_start"),
    ],
)
def test_an_end_on_a_wrong_date_is_refused_and_changes_nothing(desk, effective_on, status, code):
    company, _, link = _restricted_company_with(desk, "actual_controller")
    before = (_key_persons(desk, company["id"]), _active_rows(desk, link["person"]["id"]))
    refused = _end(desk, company["id"], link["id"], effective_on)
    assert refused.status_code == status and refused.json["code"] == code
    assert (_key_persons(desk, company["id"]), _active_rows(desk, link["person"]["id"])) == before


@pytest.mark.parametrize("effective_on", ["2026-11-21", "2020-01-02"])
def test_an_end_from_the_day_after_taking_the_role_up_to_today_is_accepted(desk, effective_on):
    company, _, link = _restricted_company_with(desk, "actual_controller")
    assert _end(desk, company["id"], link["id"], effective_on).status_code == 201


def test_the_legal_representative_changes_hands_rather_than_ends(desk):
    """C-LR-CHANGE: an organisation always has a legal representative, and the former one's release has its
    own conditions; the change records both in one step."""
    company = desk.company()
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01")
    lr_link = company["key_persons"][0]
    refused = _end(desk, company["id"], lr_link["id"])
    assert refused.status_code == 422 and refused.json["code"] == "key_person.end_role"
    assert _key_persons(desk, company["id"])[0][0][3] is None


def test_an_ended_role_cannot_end_again_and_unknown_links_are_404(desk, world):
    company, _, link = _restricted_company_with(desk, "actual_controller")
    assert _end(desk, company["id"], link["id"]).status_code == 201
    again = _end(desk, company["id"], link["id"], "2026-11-15")
    assert again.status_code == 409 and again.json["code"] == "key_person.ended"
    assert _key_persons(desk, company["id"])[0][-1][3] == "2026-11-10"
    assert _end(desk, company["id"], 999_999).json["code"] == "key_person.not_found"
    other_company = desk.company(name="北京另一科技有限公司", body="91110105MA02ABCD")
    desk.case(other_company["id"])
    foreign = _end(desk, other_company["id"], link["id"])
    assert foreign.status_code == 404 and foreign.json["code"] == "key_person.not_found"
    no_case = _end(Desk(world.other_court, court_code="京0101"), company["id"], link["id"])
    assert no_case.status_code == 403


# --- A change of legal representative recorded late -----------------------------------------------------------


def test_a_change_dated_before_the_current_holder_took_office_is_refused(desk):
    """A→B effective 2026-11-10 is recorded; A→C effective 2026-06-01 recorded afterwards would leave B and C
    both current and C never released (C-LR-CHANGE). Refused; nothing changes."""
    company = desk.company()
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-04-01")
    assert desk.change_legal_representative(company["id"], effective_on="2026-11-10").status_code == 201
    before = (
        _key_persons(desk, company["id"]),
        desk.client.get("/restrictions/", active="true").json["total"],
    )
    late = desk.client.post(
        f"/debtors/{company['id']}/key-person-changes",
        {
            "role": "legal_representative",
            "name": "郑八",
            "id_number": person_id(dt.date(1981, 1, 1), seq="013"),
            "effective_on": "2026-06-01",
        },
    )
    assert late.status_code == 422 and late.json["code"] == "key_person.change_before_current"
    assert late.json["rule"] and late.json["remedy"] and late.json["current_since"] == "2026-11-10"
    after = (
        _key_persons(desk, company["id"]),
        desk.client.get("/restrictions/", active="true").json["total"],
    )
    assert after == before


@pytest.mark.parametrize(
    ("effective_on", "status"),
    [("2026-11-09", 422), ("2026-11-10", 422), ("2026-11-11", 201)],
)
def test_a_change_must_come_after_the_day_the_current_holder_took_office(desk, effective_on, status):
    """Both sides of the boundary: a change on the current holder's first day would leave him a term of no
    day (a correction, not a change); the day after is a change."""
    company = desk.company()
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-04-01")
    assert desk.change_legal_representative(company["id"], effective_on="2026-11-10").status_code == 201
    change = desk.client.post(
        f"/debtors/{company['id']}/key-person-changes",
        {
            "role": "legal_representative",
            "name": "郑八",
            "id_number": person_id(dt.date(1981, 1, 1), seq="013"),
            "effective_on": effective_on,
        },
    )
    assert change.status_code == status, change.json
    current = desk.client.get(f"/debtors/{company['id']}", as_of="2026-11-21").json["key_persons"]
    holders = [k["person"]["name"] for k in current if k["role"] == "legal_representative"]
    assert holders == (["吴十"] if status == 422 else ["郑八"])
