"""C-ORG-1 whatever order the clerk enters things in: an organisation's order or listing reaches whoever holds
a key role when it takes effect or takes it later, from the day they took it until the day they left it;
never someone who had left before it took effect."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import Desk, credit_code, person_id

LR_ID = person_id(dt.date(1975, 3, 2), area="110108", seq="051")


def _company(desk: Desk, since: str) -> dict:
    response = desk.client.post(
        "/debtors/",
        {
            "kind": "organisation",
            "name": "北京某某贸易有限公司",
            "credit_code": credit_code("91110105MA01GHJK"),
            "key_persons": [
                {"role": "legal_representative", "name": "李四", "id_number": LR_ID, "since": since}
            ],
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def _rows(restrictions: list[dict]) -> list[tuple[str, str]]:
    return [(r["capacity"], r["effective_from"]) for r in restrictions]


def test_a_listing_reaches_a_legal_representative_who_took_office_after_the_decision(desk, world):
    company = _company(desk, since="2026-11-21")
    listed = desk.list(desk.case(company["id"])["id"], decision_date="2026-11-20")
    assert listed.status_code == 201, listed.json
    assert _rows(listed.json["restrictions"]) == [("debtor", "2026-11-20"), ("key_person", "2026-11-21")]
    lr = company["key_persons"][0]["person"]
    measures = desk.client.get(f"/debtors/{lr['id']}/measures").json
    assert {m["code"]: m["decision"] for m in measures}["AVIATION_FLIGHT"] == "deny"
    before = desk.client.get(f"/debtors/{lr['id']}/measures", as_of="2026-11-20").json
    assert "AVIATION_FLIGHT" not in {m["code"] for m in before}  # not before taking office


def test_an_order_reaches_a_legal_representative_who_took_office_after_its_date(desk):
    company = _company(desk, since="2026-11-21")
    order = desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-20")
    assert order.status_code == 201, order.json
    assert _rows(order.json) == [("debtor", "2026-11-20"), ("key_person", "2026-11-21")]


@pytest.mark.parametrize("left_on", ["2026-11-10", "2026-11-21"])  # the second: left today
def test_a_legal_representative_who_has_left_is_reached_only_until_he_left(desk, left_on):
    """As if the order had been entered before the change (D1): the former holder is released the day the
    successor is reached, and is in force on no day after it."""
    company = _company(desk, since="2020-01-01")
    case = desk.case(company["id"])
    changed = desk.change_legal_representative(company["id"], effective_on=left_on)
    assert changed.status_code == 201, changed.json
    former = company["key_persons"][0]["person"]
    successor = changed.json["key_person"]["person"]
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    reached = [(r["subject_id"], r["effective_from"], r["lifted_on"]) for r in order.json]
    assert reached == [
        (company["id"], "2026-11-01", None),
        (former["id"], "2026-11-01", left_on),
        (successor["id"], left_on, None),
    ]


def test_a_legal_representative_who_left_before_the_order_took_effect_is_not_reached(desk):
    company = _company(desk, since="2020-01-01")
    case = desk.case(company["id"])
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-01")
    assert changed.status_code == 201, changed.json
    order = desk.restrict(case["id"], order_date="2026-11-01")
    assert order.status_code == 201, order.json
    former = company["key_persons"][0]["person"]
    assert former["id"] not in {r["subject_id"] for r in order.json}


# --- Art. 6 (一): a listed organisation's legal representative or person in charge is published -------------


def _headless_company(desk: Desk) -> dict:
    response = desk.client.post(
        "/debtors/",
        {
            "kind": "organisation",
            "name": "北京某某物流有限公司",
            "credit_code": credit_code("91110105MA01KLMN"),
        },
    )
    assert response.status_code == 201, response.json
    return response.json


def _events(desk: Desk) -> int:
    return len(desk.client.get("/events/", limit=1000).json["items"])


def test_an_organisation_with_no_head_recorded_is_not_listed_until_one_is(desk, world):
    company = _headless_company(desk)
    case = desk.case(company["id"])
    before = _events(desk)
    refused = desk.list(case["id"], decision_date="2026-11-20")
    assert (refused.status_code, refused.json["code"]) == (422, "listing.head_unknown")
    assert "Art. 6" in refused.json["rule"]
    assert _events(desk) == before  # nothing written
    assert desk.client.get("/listings/").json["total"] == 0

    # The remedy: record the legal representative (here: in office from today), then decide again.
    desk.key_person(company["id"], "main_responsible", "李四", LR_ID, since="2026-11-21")
    listed = desk.list(case["id"], decision_date="2026-11-20")
    assert listed.status_code == 201, listed.json
    published = world.public.get("/public/dishonest-debtors", name="北京某某物流有限公司").json["items"]
    assert [p["legal_representative"] for p in published] == ["李四"]  # the person in charge, as Art. 6 asks
    check = world.public.post(
        "/public/self-check",
        {
            "name": "北京某某物流有限公司",
            "credit_code": company["identifier"],
            "representative_id_number": LR_ID,
        },
    )
    assert check.status_code == 200, check.json
    assert check.json["listed"] is True


def test_a_head_recorded_only_from_a_later_day_does_not_count_yet(desk):
    company = _company(desk, since="2026-11-22")  # tomorrow: not in office on the decision date nor today
    refused = desk.list(desk.case(company["id"])["id"], decision_date="2026-11-20")
    assert (refused.status_code, refused.json["code"]) == (422, "listing.head_unknown")
