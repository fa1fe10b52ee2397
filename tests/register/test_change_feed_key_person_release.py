"""Review: a key person's release dated in the past (D1, commit 09d5a16) must still reach the partners that
were served the restriction through the change feed (RULE-3, 486c6f6)."""

from __future__ import annotations


def _feed(partner, after=0):
    page = partner.get("/screening/changes", after=after).json
    return [(i["subject"]["ref"], i["sanctioned"]) for i in page["items"]], page["next_after"]


def test_ending_a_role_from_a_past_day_reaches_the_change_feed(world, desk):
    company = desk.company()
    case = desk.case(company["id"])
    added = desk.key_person(company["id"])
    person = added["person"]["id"]
    assert desk.restrict(case["id"], order_date="2026-11-01").status_code == 201
    items, after = _feed(world.aviation)
    assert (person, True) in items  # the partner now holds him as restricted
    ended = desk.client.post(
        f"/debtors/{company['id']}/key-persons/{added['id']}/end", {"effective_on": "2026-11-10"}
    )
    assert ended.status_code == 201 and ended.json["released"], ended.json
    assert _feed(world.aviation, after)[0] == [(person, False)]


def test_a_change_of_legal_representative_from_a_past_day_reaches_the_change_feed(world, desk):
    company = desk.company()
    former = company["key_persons"][0]["person"]["id"]
    desk.restrict(desk.case(company["id"])["id"], order_date="2026-11-01")
    items, after = _feed(world.aviation)
    assert (former, True) in items
    changed = desk.change_legal_representative(company["id"], effective_on="2026-11-10")
    assert changed.status_code == 201, changed.json
    successor = changed.json["key_person"]["person"]["id"]
    assert {(former, False), (successor, True)} <= set(_feed(world.aviation, after)[0])
