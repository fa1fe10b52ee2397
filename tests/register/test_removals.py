"""Rule three over HTTP: every Art. 10 ¶1 event, D8 suspensions, D10 restrictions, revocation, early deletion."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def listed(desk):
    """A listed organisation (so restrictions reach its legal representative too) and its case."""
    company = desk.company()
    case = desk.case(company["id"])
    listing = desk.list(case["id"], circumstances=("SX1_ABLE_REFUSE", "SX4_ASSET_REPORT")).json
    return case, listing


def _active_restrictions(desk, case):
    return desk.client.get("/restrictions/", case_id=case["id"], active=True).json["total"]


@pytest.mark.parametrize(
    ("kind", "extra", "reason", "lifted"),
    [
        ("full_performance", {}, "full_performance", 2),
        ("settlement_performed", {}, "settlement_performed", 2),
        ("applicant_deletion_request", {}, "applicant_request", 0),  # D10: lift is the court's decision
        (
            "no_property_termination",
            {"asset_searches": 2, "asset_leads": False},
            "no_property_termination",
            0,
        ),
        ("suspension", {"ground": "retrial"}, "suspension", 0),
        ("suspension", {"ground": "bankruptcy"}, "suspension", 0),
        ("non_enforcement", {}, "non_enforcement", 2),
        ("termination", {}, "termination", 2),
    ],
)
def test_deletion_events_remove_listings_and_lift_restrictions_per_d10(
    desk, listed, kind, extra, reason, lifted
):
    case, listing = listed
    response = desk.fact(case["id"], kind, "2026-05-06", **extra)
    assert response.status_code == 201, response.json
    assert [(x["id"], x["removal"]["reason"]) for x in response.json["removed_listings"]] == [
        (listing["id"], reason)
    ]
    assert len(response.json["lifted_restrictions"]) == lifted
    assert _active_restrictions(desk, case) == 2 - lifted
    assert desk.client.get("/listings/", state="active").json["total"] == 0


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("suspension", {"ground": "other"}),  # D8
        ("no_property_termination", {"asset_searches": 1, "asset_leads": False}),  # L-DEL-4 needs 2 searches
        ("no_property_termination", {"asset_searches": 3, "asset_leads": True}),  # …and no asset lead
        ("partial_performance", {"amount": "99999.99"}),
        ("settlement_agreement", {}),
        ("preservation", {"amount": "5.00"}),
    ],
)
def test_facts_that_do_not_remove(desk, listed, kind, extra):
    case, _ = listed
    response = desk.fact(case["id"], kind, "2026-05-06", **extra)
    assert response.status_code == 201, response.json
    assert response.json["removed_listings"] == [] and response.json["lifted_restrictions"] == []
    assert desk.client.get("/listings/", state="active").json["total"] == 1


def test_partial_payments_reaching_the_amount_are_full_performance(desk, listed):
    case, _ = listed
    desk.fact(case["id"], "partial_performance", "2026-05-01", amount="60000.00")
    paid = desk.fact(case["id"], "partial_performance", "2026-05-06", amount="40000.00")
    assert [x["removal"]["reason"] for x in paid.json["removed_listings"]] == ["full_performance"]
    assert paid.json["case"]["amounts"]["unperformed"] == "0.00"
    again = desk.fact(case["id"], "full_performance", "2026-05-07")
    assert again.status_code == 409 and again.json["code"] == "fact.already_performed"


def test_full_performance_removes_a_fixed_term_listing_early(desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX2_OBSTRUCT",)).json
    assert listing["term_end"] == "2028-04-01"
    paid = desk.fact(case["id"], "full_performance", "2026-05-06")
    assert [x["id"] for x in paid.json["removed_listings"]] == [listing["id"]]


def test_full_performance_lifts_an_order_without_any_listing(desk):
    case = desk.case(desk.person()["id"])
    assert desk.restrict(case["id"]).status_code == 201
    paid = desk.fact(case["id"], "full_performance", "2026-05-06")
    assert [r["lift_reason"] for r in paid.json["lifted_restrictions"]] == ["full_performance"]


def test_applicant_request_then_relisting_rules_d7(desk, today):
    case = desk.case(desk.person()["id"])
    # Entered on the request's day, so the first listing is off the list by 11-06 (the clock never runs back).
    today(dt.date(2026, 5, 6))
    desk.list(case["id"])
    desk.fact(case["id"], "applicant_deletion_request", "2026-05-06")
    today(dt.date(2026, 11, 6))
    barred = desk.list(case["id"], decision_date="2026-11-06", initiator="applicant")
    assert barred.status_code == 422 and barred.json["code"] == "listing.relist_bar"
    court = desk.list(case["id"], decision_date="2026-11-06")
    assert court.status_code == 422 and court.json["code"] == "listing.relist_needs_new_circumstance"
    ok = desk.list(
        case["id"],
        decision_date="2026-11-06",
        circumstances=("SX5_BREACH_XGL",),
        circumstance_arose_on="2026-10-01",
    )
    assert ok.status_code == 201, ok.json
    today(dt.date(2026, 11, 21))
    desk.fact(case["id"], "full_performance", "2026-11-20")
    assert desk.client.get("/listings/", state="active").json["total"] == 0


def test_a_deletion_request_that_deleted_nothing_bars_no_later_listing_d7(desk, today):
    """D7 and Art. 10 ¶3–4 follow a deletion at the applicant's request: a request recorded while nothing was
    listed removed nothing, so neither the court's own listing nor the applicant's within 6 months is barred."""
    case = desk.case(desk.person()["id"])
    today(dt.date(2026, 3, 10))
    assert desk.fact(case["id"], "applicant_deletion_request", "2026-03-10").json["removed_listings"] == []
    today(dt.date(2026, 11, 21))
    court = desk.list(case["id"], decision_date="2026-04-01")  # first listing, court's initiative
    assert court.status_code == 201, court.json
    other = desk.case(desk.person(name="赵七", born=dt.date(1970, 1, 2))["id"])
    desk.fact(other["id"], "applicant_deletion_request", "2026-03-10")
    applicant = desk.list(other["id"], decision_date="2026-04-01", initiator="applicant")
    assert applicant.status_code == 201, applicant.json


def test_the_d7_bar_runs_from_the_deletion_the_request_made(desk, today):
    """The other side: the same request, once it deleted a listing, bars the court's listing without a new
    circumstance and the applicant's within 6 months (D7)."""
    case = desk.case(desk.person()["id"])
    today(dt.date(2026, 4, 1))
    desk.list(case["id"])
    today(dt.date(2026, 4, 10))
    deleted = desk.fact(case["id"], "applicant_deletion_request", "2026-04-10").json["removed_listings"]
    assert [x["removal"]["reason"] for x in deleted] == ["applicant_request"]
    again = desk.list(case["id"], decision_date="2026-04-10")
    assert again.status_code == 422 and again.json["code"] == "listing.relist_needs_new_circumstance"
    asked = desk.list(case["id"], decision_date="2026-04-10", initiator="applicant")
    assert asked.status_code == 422 and asked.json["code"] == "listing.relist_bar"


def test_payments_entered_out_of_date_order_date_the_removal_by_their_running_total_d9(desk, today):
    """D9 counts from the day the obligation was fully performed: the payment that brought the running total,
    in date order, to the amount (05-06), not the payment entered last (dated 04-01)."""
    case = desk.case(desk.person()["id"])
    desk.list(case["id"])
    today(dt.date(2026, 5, 8))
    assert (
        desk.fact(case["id"], "partial_performance", "2026-05-06", amount="60000.00").json["removed_listings"]
        == []
    )
    paid = desk.fact(case["id"], "partial_performance", "2026-04-01", amount="40000.00")
    removal = paid.json["removed_listings"][0]["removal"]
    assert (removal["reason"], removal["fact_date"], removal["due"]) == (
        "full_performance",
        "2026-05-06",
        "2026-05-09",
    )
    assert removal["overdue"] is False
    assert [r["lift_fact_date"] for r in paid.json["lifted_restrictions"]] == ["2026-05-06"]
    assert desk.client.get("/listings/overdue").json == []


def test_an_earlier_payment_entered_last_that_alone_covers_the_debt_dates_the_removal(desk, today):
    """The other side of the running total: 100 000 paid on 04-02 performed the obligation that day, though
    a later part payment was entered first; the removal is late from then (D9)."""
    case = desk.case(desk.person()["id"])
    desk.list(case["id"])
    today(dt.date(2026, 5, 8))
    desk.fact(case["id"], "partial_performance", "2026-05-06", amount="60000.00")
    paid = desk.fact(case["id"], "partial_performance", "2026-04-02", amount="100000.00")
    removal = paid.json["removed_listings"][0]["removal"]
    assert (removal["fact_date"], removal["due"], removal["overdue"]) == ("2026-04-02", "2026-04-08", True)


def test_no_property_termination_blocks_new_listings_but_restriction_continues(desk, listed):
    case, _ = listed
    desk.fact(case["id"], "no_property_termination", "2026-05-06", asset_searches=2, asset_leads=False)
    assert _active_restrictions(desk, case) == 2  # D10: continued restriction after 终本
    again = desk.list(case["id"])
    assert again.status_code == 422 and again.json["code"] == "listing.no_property"


def test_released_preservation_no_longer_covers_the_debt(desk):
    case = desk.case(desk.person()["id"])
    kept = desk.fact(case["id"], "preservation", "2026-03-20", amount="100000.00").json["fact"]
    assert desk.list(case["id"]).json["code"] == "listing.secured"
    released = desk.fact(case["id"], "release", "2026-03-28", refers_to_id=kept["id"])
    assert released.status_code == 201
    assert released.json["case"]["amounts"]["secured"] == "0.00"
    assert desk.list(case["id"]).status_code == 201
    twice = desk.fact(case["id"], "release", "2026-03-29", refers_to_id=kept["id"])
    assert twice.status_code == 409 and twice.json["code"] == "fact.already_released"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "suspension"}, "fact.ground"),
        ({"kind": "suspension", "ground": "weather"}, "fact.ground"),
        ({"kind": "preservation"}, "amount.required"),
        ({"kind": "no_property_termination"}, "fact.asset_searches"),
        ({"kind": "release", "refers_to_id": 999}, "fact.refers_to"),
        ({"kind": "full_performance", "occurred_on": "2026-11-22"}, "date.future"),
        ({"kind": "termination", "occurred_on": "2026-03-01"}, "date.order"),  # filed 2026-03-02
        ({"kind": "applicant_hold_off", "occurred_on": "2026-03-01"}, "date.order"),
        ({"kind": "partial_performance", "amount": "-1"}, "amount.negative"),
        ({"kind": "moonlight"}, "fact.kind"),
    ],
)
def test_bad_facts_are_422_and_change_nothing(desk, listed, body, code):
    case, _ = listed
    response = desk.client.post(f"/cases/{case['id']}/facts", {"occurred_on": "2026-05-06"} | body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert desk.client.get(f"/cases/{case['id']}").json["facts"] == []


def test_only_the_enforcement_case_s_own_steps_must_follow_its_filing(desk):
    """Preservation (诉前/诉讼保全) and a payment may come before the creditor applied; 终本 may not."""
    case = desk.case(desk.person()["id"])  # filed 2026-03-02
    assert desk.fact(case["id"], "preservation", "2026-01-10", amount="10.00").status_code == 201
    assert desk.fact(case["id"], "partial_performance", "2026-02-01", amount="10.00").status_code == 201
    early = desk.fact(case["id"], "no_property_termination", "2026-03-01", asset_searches=2)
    assert (early.status_code, early.json["code"]) == (422, "date.order")
    assert desk.fact(case["id"], "no_property_termination", "2026-03-02", asset_searches=2).status_code == 201


def test_revocation_lifts_the_automatic_restriction_but_not_a_court_order(desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"]).json
    revoked = desk.client.post(
        f"/listings/{listing['id']}/revocation", {"fact_date": "2026-05-06", "note": "错列"}
    )
    assert revoked.status_code == 200
    assert revoked.json["removal"]["reason"] == "revoked"
    assert "Art. 9" in revoked.json["removal"]["rule"]
    assert _active_restrictions(desk, case) == 0
    other = desk.case(desk.person(name="赵七", born=dt.date(1970, 1, 2))["id"])
    desk.restrict(other["id"])
    wrong = desk.list(other["id"]).json
    desk.client.post(f"/listings/{wrong['id']}/revocation", {"fact_date": "2026-05-06"})
    assert _active_restrictions(desk, other) == 1  # the order stands on its own
    again = desk.client.post(f"/listings/{wrong['id']}/revocation", {"fact_date": "2026-05-06"})
    assert again.status_code == 409 and again.json["code"] == "listing.already_removed"


@pytest.mark.parametrize("act", ["revocation", "early-deletion"])
def test_a_revocation_or_early_deletion_dated_before_the_decision_is_refused(desk, act):
    """Arts. 2 ¶2, 9 ¶1: the court finds a listing wrong, or deletes it early, once it exists; a date before
    the decision (2026-04-01) would give a deadline before the listing existed. The decision day is allowed."""
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX3_EVADE",)).json
    before = desk.client.post(f"/listings/{listing['id']}/{act}", {"fact_date": "2026-03-31"})
    assert before.status_code == 422 and before.json["code"] == "date.order", before.json
    unchanged = desk.client.get(f"/listings/{listing['id']}").json
    assert (unchanged["state"], unchanged["removal"]) == ("active", None)
    assert _active_restrictions(desk, case) == 1
    on_the_day = desk.client.post(f"/listings/{listing['id']}/{act}", {"fact_date": "2026-04-01"})
    assert on_the_day.status_code == 200, on_the_day.json
    assert (on_the_day.json["removal"]["fact_date"], on_the_day.json["removal"]["due"]) == (
        "2026-04-01",
        "2026-04-07",
    )


def test_a_payment_dated_before_the_listing_counts_its_removal_deadline_from_the_decision(desk, today):
    """D9 counts from the fact, but a listing that did not exist yet could not be removed: a payment dated
    03-20, entered after the listing decided 04-01, is due 3 working days from 04-01 (04-07, Qingming between),
    not from 03-20 (03-25). The removal keeps the payment's date."""
    case = desk.case(desk.person()["id"])
    today(dt.date(2026, 4, 1))
    desk.list(case["id"])
    today(dt.date(2026, 4, 7))
    paid = desk.fact(case["id"], "full_performance", "2026-03-20")
    removal = paid.json["removed_listings"][0]["removal"]
    assert (removal["fact_date"], removal["due"], removal["overdue"]) == ("2026-03-20", "2026-04-07", False)
    today(dt.date(2026, 4, 8))
    assert desk.client.get("/listings/overdue").json == []


def test_early_deletion_is_for_fixed_terms_only_l_term_4(desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX1_ABLE_REFUSE", "SX3_EVADE")).json  # D5: no term
    refused = desk.client.post(f"/listings/{listing['id']}/early-deletion", {"fact_date": "2026-06-01"})
    assert refused.status_code == 422 and refused.json["code"] == "listing.early_deletion_no_term"
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "active"


def test_performance_entered_after_the_term_ended_shows_the_expiry_as_late(desk, today):
    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    today(dt.date(2024, 2, 1))
    listing = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-02-01").json
    today(dt.date(2026, 3, 2))  # the term ended 2026-02-01, nobody swept; payment made after it
    paid = desk.fact(case["id"], "full_performance", "2026-02-20")
    removal = paid.json["removed_listings"][0]["removal"]
    assert (paid.json["removed_listings"][0]["id"], removal["reason"]) == (listing["id"], "term_expired")
    assert (removal["fact_date"], removal["overdue"]) == ("2026-02-01", True)


def test_early_deletion_keeps_the_restriction(desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX3_EVADE",)).json
    deleted = desk.client.post(f"/listings/{listing['id']}/early-deletion", {"fact_date": "2026-06-01"})
    assert deleted.json["removal"]["reason"] == "early_deletion"
    assert _active_restrictions(desk, case) == 1


def test_expired_term_shows_in_overdue_until_swept(desk, today, world):

    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    today(dt.date(2024, 2, 1))
    listing = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-02-01").json
    assert listing["term_end"] == "2026-02-01"  # a Sunday
    today(dt.date(2026, 2, 5))  # due: Mon 02-02, Tue 02-03, Wed 02-04
    overdue = desk.client.get("/listings/overdue").json
    assert [(o["kind"], o["due"], o["days_late"]) for o in overdue] == [("expiry_unmarked", "2026-02-04", 1)]
    runner = world.app.test_cli_runner()
    assert "1 expired listing(s) marked" in runner.invoke(args=["listings", "sweep"]).output
    swept = desk.client.get(f"/listings/{listing['id']}").json
    assert swept["removal"]["reason"] == "term_expired"
    assert swept["removal"]["fact_date"] == "2026-02-01"
    assert [(o["kind"], o["done_on"]) for o in desk.client.get("/listings/overdue").json] == [
        ("removal", "2026-02-05")
    ]
    assert _active_restrictions(desk, case) == 1  # D10: a term's end does not lift the restriction
