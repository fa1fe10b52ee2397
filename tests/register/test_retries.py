"""A court's client retries a POST whose answer it lost (a timeout): the retry must not write twice."""

from __future__ import annotations

from tests.support import Desk


def _listed_case(desk: Desk, seq: str = "093") -> tuple[dict, dict]:
    case = desk.case(desk.person(seq=seq)["id"], amount="100000.00")
    listing = desk.list(case["id"])
    assert listing.status_code == 201, listing.json
    return case, listing.json


def test_a_retried_payment_is_recorded_once_and_does_not_delist_a_debtor_who_paid_half(desk):
    """Half the debt paid, the answer lost, the same request sent again: without a reference the second copy
    counted as a second payment, the obligation looked fully performed and the listing was removed (a false
    Art. 10 ¶1 deletion). With the client's ``request_id`` the retry is refused and changes nothing."""
    case, listing = _listed_case(desk)
    payment = {"amount": "50000.00", "request_id": "c0ffee00-0000-4000-8000-000000000001"}
    first = desk.fact(case["id"], "partial_performance", "2026-11-20", **payment)
    assert first.status_code == 201, first.json
    events_before = desk.client.get("/events/").json["last_seq"]
    retry = desk.fact(case["id"], "partial_performance", "2026-11-20", **payment)
    assert (retry.status_code, retry.json["code"]) == (409, "fact.already_recorded")
    assert str(first.json["fact"]["id"]) in retry.json["message"]
    assert desk.client.get("/events/").json["last_seq"] == events_before
    after = desk.client.get(f"/cases/{case['id']}").json
    assert (after["amounts"]["performed"], after["amounts"]["fully_performed"]) == ("50000.00", False)
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "active"


def test_the_same_reference_in_another_case_and_two_payments_without_one_are_separate_facts(desk):
    case, _ = _listed_case(desk)
    other, _ = _listed_case(desk, seq="095")
    reference = {"amount": "10.00", "request_id": "receipt-1"}
    assert desk.fact(case["id"], "partial_performance", "2026-11-20", **reference).status_code == 201
    assert desk.fact(other["id"], "partial_performance", "2026-11-20", **reference).status_code == 201
    for _ in range(2):  # two genuine transfers of the same sum on the same day
        assert desk.fact(case["id"], "partial_performance", "2026-11-20", amount="10.00").status_code == 201
    assert desk.client.get(f"/cases/{case['id']}").json["amounts"]["performed"] == "30.00"
