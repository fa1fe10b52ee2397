"""Issue 3 over HTTP: the public catalogue, per-person measures, permissions, change of legal representative."""

from __future__ import annotations

import datetime as dt

import pytest

from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import Role
from tests.support import Client, Desk, person_id


def _decisions(client, subject_id, **params):
    response = client.get(f"/debtors/{subject_id}/measures", **params)
    assert response.status_code == 200, response.json
    return {d["code"]: d["decision"] for d in response.json}


# --- The public catalogue -----------------------------------------------------------------------------------


def test_catalogue_is_public_and_read_only(world):
    sectors = world.public.get("/sanctions/sectors").json
    assert {"aviation", "rail", "hotels", "procurement", "candidate_vetting"} <= {s["code"] for s in sectors}
    rail = world.public.get("/sanctions/measures", sector="rail").json
    assert {m["code"] for m in rail} == {"RAIL_HIGH_SPEED", "RAIL_HIGH_CLASS"}
    assert all(m["sector"] == "rail" and m["basis"] for m in rail)
    flight = world.public.get("/sanctions/measures/AVIATION_FLIGHT").json
    assert flight["trigger"] == "restricted" and flight["humanitarian_liftable"] is True
    assert {r["target"] for r in flight["reach"]} == {"debtor_person", "debtor_organisation", "key_person"}
    listed_only = world.public.get("/sanctions/measures", trigger="listed").json
    assert "PUBLIC_RECRUITMENT" in {m["code"] for m in listed_only}
    assert "AVIATION_FLIGHT" not in {m["code"] for m in listed_only}
    assert world.public.get("/sanctions/measures/NOPE").json["code"] == "measure.not_found"
    assert world.public.get("/sanctions/measures", sector="moon").json["code"] == "sector.unknown"
    assert world.public.post("/sanctions/measures", {}).status_code == 405


# --- The "list a company" story, with measures per key person --------------------------------------------


def test_listed_company_legal_representative_denied_a_flight_but_not_listed(desk):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    listing = desk.list(case["id"]).json
    per_person = {
        r["subject_id"]: {m["code"]: m["decision"] for m in r["measures"]} for r in listing["restrictions"]
    }
    assert per_person[lr["id"]]["AVIATION_FLIGHT"] == "deny"
    assert per_person[lr["id"]]["RAIL_HIGH_SPEED"] == "deny"
    assert "PUBLIC_RECRUITMENT" not in per_person[lr["id"]]  # a listing-only ban: he is not listed
    assert per_person[company["id"]]["PROCUREMENT_SUPPLIER"] == "deny"
    assert per_person[company["id"]]["BOND_ENTERPRISE"] == "deny"
    assert desk.client.get("/listings/", name="李四").json["total"] == 0


def test_a_listed_companys_legal_representative_gets_no_listing_based_flag(desk):
    """RULE-1 (2019 Opinion §16(b)): rows 16 and 38 flag the listed company, not its legal representative,
    who is only restricted from high consumption with it."""
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    assert desk.list(desk.case(company["id"])["id"]).status_code == 201
    decisions = _decisions(desk.client, lr["id"])
    assert decisions["AVIATION_FLIGHT"] == "deny"
    assert "KEY_SUPERVISION" not in decisions and "PREFERENTIAL_POLICY_REVIEW" not in decisions
    company_decisions = _decisions(desk.client, company["id"])
    assert company_decisions["KEY_SUPERVISION"] == company_decisions["PREFERENTIAL_POLICY_REVIEW"] == "flag"


@pytest.mark.parametrize("sector", ["market_supervision", "preferential_policies"])
def test_partners_of_rows_16_and_38_find_the_listed_company_but_not_its_legal_representative(
    desk, world, app, sector
):
    """RULE-1: screening the legal representative is clear for these sectors (a `match` would treat him as
    listed); screening the company gives its flag."""
    with app.app_context():
        key = create_key("合作部门", Role.PARTNER, sector=sector)[1]
        db.session.commit()
    partner = Client(world.public.client, key)
    company = desk.company()
    assert desk.list(desk.case(company["id"])["id"]).status_code == 201
    lr_id = person_id(dt.date(1975, 3, 2), area="110108", seq="051")
    person = partner.post("/screening/", {"name": "李四", "identifier": lr_id})
    assert person.status_code == 200 and (person.json["band"], person.json["matches"]) == ("clear", [])
    entity = partner.post("/screening/", {"name": company["name"], "identifier": company["identifier"]})
    assert entity.json["band"] == "match"
    assert [m["decision"] for m in entity.json["matches"][0]["measures"]] == ["flag"]


def test_personal_funds_permission_allows_the_legal_representative(desk):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    listing = desk.list(case["id"]).json
    lr_restriction = next(r for r in listing["restrictions"] if r["subject_id"] == lr["id"])
    granted = desk.client.post(
        f"/restrictions/{lr_restriction['id']}/permissions",
        {
            "kind": "personal_funds",
            "measures": ["AVIATION_FLIGHT"],
            "valid_from": "2026-11-01",
            "approved_by": "院长 赵六",
            "note": "以个人财产因私出行",
        },
    )
    assert granted.status_code == 201, granted.json
    decisions = _decisions(desk.client, lr["id"])
    assert decisions["AVIATION_FLIGHT"] == "allow_with_permission"
    assert decisions["RAIL_HIGH_SPEED"] == "deny"  # only the approved item
    permission = granted.json["permissions"][0]
    backdated = desk.client.post(
        f"/restrictions/{lr_restriction['id']}/permissions/{permission['id']}/revocation",
        {"revoked_on": "2026-11-20", "revocation_reason": "other"},
    )
    assert backdated.status_code == 422 and backdated.json["code"] == "date.past"  # D1: no rewriting history
    revoked = desk.client.post(
        f"/restrictions/{lr_restriction['id']}/permissions/{permission['id']}/revocation",
        {"revoked_on": "2026-11-21", "revocation_reason": "other"},
    )
    assert revoked.status_code == 200
    assert _decisions(desk.client, lr["id"])["AVIATION_FLIGHT"] == "deny"
    assert _decisions(desk.client, lr["id"], as_of="2026-11-20")["AVIATION_FLIGHT"] == "allow_with_permission"


def test_humanitarian_lift_allows_high_speed_rail_for_its_month_and_not_a_day_after(desk, today):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    restriction = desk.restrict(case["id"]).json[0]
    today(dt.date(2026, 4, 20))
    lift = desk.client.post(
        f"/restrictions/{restriction['id']}/permissions",
        {
            "kind": "humanitarian",
            "valid_from": "2026-05-01",
            "valid_until": "2026-06-01",
            "approved_by": "院长 赵六",
            "reason": "medical",
        },
    )
    assert lift.status_code == 201, lift.json
    for day, decision in [
        ("2026-04-30", "deny"),
        ("2026-05-01", "allow_with_permission"),
        ("2026-06-01", "allow_with_permission"),
        ("2026-06-02", "deny"),
    ]:
        assert (
            _decisions(desk.client, debtor["id"], sector="rail", as_of=day)["RAIL_HIGH_SPEED"] == decision
        ), day
    assert _decisions(desk.client, debtor["id"], as_of="2026-05-15")["HOTEL_STAR"] == "deny"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {
                "kind": "humanitarian",
                "valid_from": "2026-05-01",
                "valid_until": "2026-06-02",
                "reason": "exam",
            },
            "permission.humanitarian_lift_too_long",
        ),
        ({"kind": "humanitarian", "valid_from": "2026-05-01", "reason": "exam"}, "permission.humanitarian"),
        (
            {
                "kind": "humanitarian",
                "valid_from": "2026-05-01",
                "valid_until": "2026-05-03",
                "reason": "holiday",
            },
            "permission.reason",
        ),
        ({"kind": "necessity", "valid_from": "2026-05-01"}, "permission.permission_without_measures"),
        (
            {"kind": "necessity", "valid_from": "2026-05-01", "measures": ["PUBLIC_RECRUITMENT"]},
            "permission.not_a_consumption_measure",
        ),
        (
            {"kind": "necessity", "valid_from": "2026-05-01", "measures": ["NOPE"]},
            "permission.unknown_measure",
        ),
        ({"kind": "personal_funds", "valid_from": "2026-05-01"}, "permission.capacity"),
        (
            {
                "kind": "necessity",
                "valid_from": "2026-05-02",
                "valid_until": "2026-05-01",
                "measures": ["HOTEL_STAR"],
            },
            "permission.permission_window_reversed",
        ),
    ],
)
def test_bad_permissions_are_422(desk, body, code):
    case = desk.case(desk.person()["id"])
    restriction = desk.restrict(case["id"]).json[0]
    response = desk.client.post(
        f"/restrictions/{restriction['id']}/permissions", {"approved_by": "院长"} | body
    )
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert desk.client.get(f"/restrictions/{restriction['id']}").json["permissions"] == []


def test_necessity_permission_is_per_item(desk):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    restriction = desk.restrict(case["id"]).json[0]
    desk.client.post(
        f"/restrictions/{restriction['id']}/permissions",
        {
            "kind": "necessity",
            "measures": ["RAIL_HIGH_SPEED"],
            "valid_from": "2026-11-01",
            "approved_by": "院长",
        },
    )
    decisions = _decisions(desk.client, debtor["id"])
    assert (decisions["RAIL_HIGH_SPEED"], decisions["AVIATION_FLIGHT"]) == ("allow_with_permission", "deny")


def test_a_permission_from_one_court_does_not_lift_another_courts_restriction(desk, world):
    debtor = desk.person()
    mine = desk.restrict(desk.case(debtor["id"])["id"]).json[0]
    theirs = Desk(world.other_court, court_code="京0101")
    theirs.restrict(theirs.case(debtor["id"])["id"])
    desk.client.post(
        f"/restrictions/{mine['id']}/permissions",
        {
            "kind": "necessity",
            "measures": ["RAIL_HIGH_SPEED"],
            "valid_from": "2026-11-01",
            "approved_by": "院长",
        },
    )
    assert _decisions(desk.client, debtor["id"])["RAIL_HIGH_SPEED"] == "deny"


def test_measures_end_when_the_listing_and_restrictions_end(desk):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    desk.list(case["id"])
    assert _decisions(desk.client, debtor["id"])["PUBLIC_RECRUITMENT"] == "deny"
    desk.fact(case["id"], "full_performance", "2026-11-20")
    assert _decisions(desk.client, debtor["id"]) == {}
    assert _decisions(desk.client, debtor["id"], as_of="2026-11-19")["PUBLIC_RECRUITMENT"] == "deny"


def test_listing_only_measures_end_with_the_listing_while_the_restriction_continues_d10(desk):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    desk.list(case["id"])
    desk.fact(case["id"], "no_property_termination", "2026-11-20", asset_searches=2, asset_leads=False)
    decisions = _decisions(desk.client, debtor["id"])
    assert "PUBLIC_RECRUITMENT" not in decisions and "CANDIDATE_NOMINATION" not in decisions
    assert decisions["AVIATION_FLIGHT"] == "deny"


def test_change_of_legal_representative_in_one_step(desk, world):
    company = desk.company()
    former = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    desk.list(case["id"])
    new_id = person_id(dt.date(1985, 8, 8), area="110101", seq="017")
    changed = desk.change_legal_representative(company["id"], id_number=new_id)
    assert changed.status_code == 201, changed.json
    assert [r["subject_id"] for r in changed.json["released"]] == [former["id"]]
    successor = changed.json["key_person"]["person"]
    assert [r["subject_id"] for r in changed.json["restricted"]] == [successor["id"]]
    assert _decisions(desk.client, former["id"]) == {}
    assert _decisions(desk.client, successor["id"])["AVIATION_FLIGHT"] == "deny"
    organisation = desk.client.get(f"/debtors/{company['id']}").json
    assert {(k["person"]["id"], k["until"]) for k in organisation["key_persons"]} == {
        (former["id"], "2026-11-10"),
        (successor["id"], None),
    }
    actions = [e["action"] for e in world.admin.get("/events/").json["items"]]
    assert "key_person.changed" in actions and actions.count("restriction.lifted") == 1


def test_former_representative_who_is_also_the_actual_controller_stays_restricted(desk):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    desk.client.post(
        f"/debtors/{company['id']}/key-persons",
        {
            "role": "actual_controller",
            "name": lr["name"],
            "id_number": lr["identifier"],
            "since": "2020-01-01",
        },
    )
    desk.list(case["id"])
    changed = desk.change_legal_representative(company["id"])
    assert changed.status_code == 409 and changed.json["code"] == "key_person.still_responsible"
    assert _decisions(desk.client, lr["id"])["AVIATION_FLIGHT"] == "deny"


def test_a_key_person_added_later_is_restricted_with_the_organisation(desk):
    company = desk.company()
    desk.restrict(desk.case(company["id"])["id"])
    controller_id = person_id(dt.date(1960, 1, 1), area="310101", seq="011")
    added = desk.client.post(
        f"/debtors/{company['id']}/key-persons",
        {
            "role": "actual_controller",
            "name": "郑十一",
            "id_number": controller_id,
            "since": "2026-06-01",
        },
    )
    assert added.status_code == 201
    assert _decisions(desk.client, added.json["person"]["id"])["HOTEL_STAR"] == "deny"


def test_lifting_an_order_refused_while_listed_and_reaches_key_persons(desk):
    company = desk.company()
    case = desk.case(company["id"])
    listing = desk.list(case["id"], circumstances=("SX3_EVADE",)).json
    order = listing["restrictions"][0]["order_number"]
    refused = desk.client.post(
        f"/cases/{case['id']}/restrictions/lift",
        {"order_number": order, "reason": "security", "fact_date": "2026-11-20"},
    )
    assert refused.status_code == 422 and refused.json["code"] == "restriction.debtor_listed"
    desk.client.post(f"/listings/{listing['id']}/early-deletion", {"fact_date": "2026-11-20"})
    lifted = desk.client.post(
        f"/cases/{case['id']}/restrictions/lift",
        {"order_number": order, "reason": "applicant_consent", "fact_date": "2026-11-20"},
    )
    assert lifted.status_code == 200, lifted.json
    assert {r["capacity"] for r in lifted.json} == {"debtor", "key_person"}
    assert all(r["lift_reason"] == "applicant_consent" for r in lifted.json)


def test_restriction_order_before_the_payment_deadline_is_refused(desk):
    case = desk.case(desk.person()["id"], payment_deadline="2026-04-01")
    early = desk.restrict(case["id"], order_date="2026-04-01")
    assert early.status_code == 422 and early.json["code"] == "restriction.before_deadline"
    assert desk.restrict(case["id"], order_date="2026-04-02").status_code == 201
    twice = desk.restrict(case["id"], order_date="2026-04-03")
    assert twice.status_code == 409 and twice.json["code"] == "restriction.exists"


def test_key_persons_are_changed_only_by_a_court_with_a_case_and_each_court_releases_its_own(desk, world):
    company = desk.company()
    former = company["key_persons"][0]["person"]
    desk.restrict(desk.case(company["id"])["id"])
    theirs = Desk(world.other_court, court_code="京0101")
    change = {
        "role": "legal_representative",
        "name": "吴十",
        "effective_on": "2026-11-10",
        "id_number": person_id(dt.date(1985, 8, 8), seq="017"),
    }
    stranger = world.other_court.post(f"/debtors/{company['id']}/key-person-changes", change)
    assert stranger.status_code == 403 and stranger.json["code"] == "auth.other_court"
    added = world.other_court.post(
        f"/debtors/{company['id']}/key-persons",
        {
            "role": "actual_controller",
            "name": "郑十一",
            "since": "2026-06-01",
            "id_number": person_id(dt.date(1960, 1, 1), area="310101", seq="011"),
        },
    )
    assert added.status_code == 403
    their_order = theirs.restrict(theirs.case(company["id"])["id"]).json
    changed = desk.client.post(f"/debtors/{company['id']}/key-person-changes", change)
    assert changed.status_code == 201, changed.json
    assert [r["court_id"] for r in changed.json["released"]] == [world.courts["chaoyang"]]
    assert len(changed.json["restricted"]) == 2  # the successor is reached by both courts' orders
    still = next(r for r in their_order if r["subject_id"] == former["id"])
    assert (
        _decisions(desk.client, former["id"])["AVIATION_FLIGHT"] == "deny"
    )  # the other court's order stands
    assert (
        desk.client.post(f"/restrictions/{still['id']}/release", {"fact_date": "2026-11-20"}).status_code
        == 403
    )
    released = world.other_court.post(f"/restrictions/{still['id']}/release", {"fact_date": "2026-11-20"})
    assert released.status_code == 200, released.json
    assert _decisions(desk.client, former["id"]) == {}


def test_a_court_reading_a_persons_data_is_logged(desk, world, app):
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    person = desk.person()
    world.other_court.get(f"/debtors/{person['id']}")
    with app.app_context():
        rows = list(db.session.scalars(select(AccessLog).where(AccessLog.action == "read")))
    assert [(r.subject_ids, r.principal_id is not None) for r in rows] == [([person["id"]], True)]
