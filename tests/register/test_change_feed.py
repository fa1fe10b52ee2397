"""The partners' change feed (``GET /screening/changes``): a removal reaches every partner that was served the
sanction (RULE-3), whenever it polled."""

from __future__ import annotations

from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import Role
from tests.support import TODAY, Client

TODAY_TEXT = TODAY.isoformat()


def _feed(partner: Client, after: int = 0) -> tuple[list[tuple[int, bool]], int]:
    page = partner.get("/screening/changes", after=after).json
    return [(i["subject"]["ref"], i["sanctioned"]) for i in page["items"]], page["next_after"]


def _partner(world, sector: str) -> Client:
    with world.app.app_context():
        key = create_key(sector, Role.PARTNER, sector=sector)[1]
        db.session.commit()
    return Client(world.public.client, key)


def test_a_listing_revoked_the_day_it_was_decided_reaches_a_partner_that_was_served_it(world, desk):
    """Listed today, polled, revoked today: by dates alone the listing was never in force on any whole day,
    but the partner was told of it and must be told it ended (it used to get nothing)."""
    debtor = desk.person(name="韩梅梅")
    listing = desk.list(desk.case(debtor["id"])["id"], decision_date=TODAY_TEXT).json
    items, after = _feed(world.aviation)
    assert items == [(debtor["id"], True)]
    revoked = desk.client.post(f"/listings/{listing['id']}/revocation", {"fact_date": TODAY_TEXT})
    assert revoked.status_code == 200, revoked.json
    assert _feed(world.aviation, after)[0] == [(debtor["id"], False)]
    # A sector the listing never reached hears nothing, then or now.
    assert _feed(_partner(world, "bonds"))[0] == []


def test_an_order_lifted_the_day_it_was_made_reaches_a_partner_that_was_served_it(world, desk):
    debtor = desk.person(name="李雷")
    case = desk.case(debtor["id"])
    order = desk.restrict(case["id"], order_date=TODAY_TEXT)
    assert order.status_code == 201, order.json
    items, after = _feed(world.aviation)
    assert items == [(debtor["id"], True)]
    lifted = desk.client.post(
        f"/cases/{case['id']}/restrictions/lift",
        {
            "order_number": order.json[0]["order_number"],
            "reason": "applicant_consent",
            "fact_date": TODAY_TEXT,
        },
    )
    assert lifted.status_code == 200, lifted.json
    assert _feed(world.aviation, after)[0] == [(debtor["id"], False)]


def test_a_company_listed_and_revoked_the_same_day_releases_its_legal_representative(world, desk):
    """C-ORG-1: the legal representative restricted with the listing is freed with its revocation."""
    company = desk.company()
    listing = desk.list(desk.case(company["id"])["id"], decision_date=TODAY_TEXT).json
    items, after = _feed(world.aviation)
    assert len(items) == 2 and all(sanctioned for _, sanctioned in items)
    desk.client.post(f"/listings/{listing['id']}/revocation", {"fact_date": TODAY_TEXT})
    ended, _ = _feed(world.aviation, after)
    assert sorted(ended) == sorted((ref, False) for ref, _ in items)
