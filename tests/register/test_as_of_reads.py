"""``?as_of=`` on the overdue reports and a debtor's key persons (D1): the state at the end of a past day."""

from __future__ import annotations

import datetime as dt

from tests.citizens.test_citizens import _apply, _me


def _overdue(client, path, **as_of):
    """The report's rows, as (kind or step, due, done_on, days_late)."""
    rows = client.get(path, **as_of).json
    return [(r.get("kind", r.get("step")), r["due"], r["done_on"], r["days_late"]) for r in rows]


def _listings_overdue(desk, **as_of):
    return _overdue(desk.client, "/listings/overdue", **as_of)


def test_a_listing_read_as_of_a_day_before_its_decision_is_not_found(desk, world):
    """D1: a listing is not there before its decision date, as in the search (and a case before its filing)."""
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX3_EVADE",), decision_date="2026-04-01").json
    before = desk.client.get(f"/listings/{listing['id']}", as_of="2026-03-31")
    assert (before.status_code, before.json["code"]) == (404, "listing.not_found")
    assert desk.client.get("/listings/", as_of="2026-03-31").json["total"] == 0
    on_the_day = desk.client.get(f"/listings/{listing['id']}", as_of="2026-04-01")
    assert (on_the_day.status_code, on_the_day.json["state"]) == (200, "active")
    assert world.admin.get(f"/listings/{listing['id']}", as_of="2026-03-31").status_code == 404
    assert world.other_court.get(f"/listings/{listing['id']}", as_of="2026-04-01").status_code == 403


def test_a_revocation_recorded_late_was_pending_before_it_was_recorded(desk):
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    # Today is Sat 2026-11-21; wrong listing found Mon 11-02: due Thu 11-05.
    revoked = desk.client.post(f"/listings/{listing['id']}/revocation", {"fact_date": "2026-11-02"})
    assert revoked.json["removal"]["due"] == "2026-11-05"
    done = [("revocation", "2026-11-05", "2026-11-21", 16)]
    assert _listings_overdue(desk) == done
    assert _listings_overdue(desk, as_of="2026-11-21") == done  # done on the day: as today
    assert _listings_overdue(desk, as_of="2026-11-20") == [("revocation", "2026-11-05", None, 15)]
    assert _listings_overdue(desk, as_of="2026-11-06") == [("revocation", "2026-11-05", None, 1)]
    assert _listings_overdue(desk, as_of="2026-11-05") == []  # the deadline's own day is in time
    assert _listings_overdue(desk, as_of="2026-11-02") == []  # the fact's day
    assert _listings_overdue(desk, as_of="2026-11-01") == []  # before the fact


def _expired_listing(desk, today):
    """A listing whose 2-year term ended Sun 2026-02-01 (expiry due Wed 02-04), marked removed on 02-10."""
    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    today(dt.date(2024, 2, 1))
    listing = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-02-01").json
    assert listing["term_end"] == "2026-02-01"
    today(dt.date(2026, 2, 10))
    return listing


def test_an_expiry_marked_late_was_unmarked_before_it_was_marked(desk, today, world):
    _expired_listing(desk, today)
    unmarked = [("expiry_unmarked", "2026-02-04", None, 6)]
    assert _listings_overdue(desk) == unmarked
    swept = world.app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert "1 expired listing(s) marked" in swept.output
    marked = [("removal", "2026-02-04", "2026-02-10", 6)]
    assert _listings_overdue(desk) == marked
    assert _listings_overdue(desk, as_of="2026-02-10") == marked
    # Before it was marked: the unmarked term, once (not also as a pending removal of the same expiry).
    assert _listings_overdue(desk, as_of="2026-02-09") == [("expiry_unmarked", "2026-02-04", None, 5)]
    assert _listings_overdue(desk, as_of="2026-02-05") == [("expiry_unmarked", "2026-02-04", None, 1)]
    assert _listings_overdue(desk, as_of="2026-02-04") == []
    assert _listings_overdue(desk, as_of="2026-02-01") == []  # the term's last day: still active


def test_an_expired_listing_removed_after_the_day_was_unmarked_on_it(desk, today):
    listing = _expired_listing(desk, today)
    # Revoked on 02-10 (found 02-09, in time): on 02-06 its ended term was still unmarked.
    desk.client.post(f"/listings/{listing['id']}/revocation", {"fact_date": "2026-02-09"})
    assert _listings_overdue(desk) == []
    assert _listings_overdue(desk, as_of="2026-02-06") == [("expiry_unmarked", "2026-02-04", None, 2)]


def test_a_correction_made_late_was_pending_before_it_was_made(desk, today):
    listing = desk.list(desk.case(desk.person(name="张叁")["id"])["id"]).json
    today(dt.date(2026, 5, 18))  # found Mon 05-11: due Thu 05-14
    body = {"found_on": "2026-05-11", "changes": {"subject_name": "张三"}}
    assert desk.client.post(f"/listings/{listing['id']}/corrections", body).status_code == 201
    done = [("correction", "2026-05-14", "2026-05-18", 4)]
    assert _listings_overdue(desk) == done
    assert _listings_overdue(desk, as_of="2026-05-18") == done
    assert _listings_overdue(desk, as_of="2026-05-17") == [("correction", "2026-05-14", None, 3)]
    assert _listings_overdue(desk, as_of="2026-05-15") == [("correction", "2026-05-14", None, 1)]
    assert _listings_overdue(desk, as_of="2026-05-14") == []
    assert _listings_overdue(desk, as_of="2026-05-10") == []  # before it was found


def _reconsidered(desk, world, today, outcome: str = "rejected") -> int:
    """An application received 09-16, rejected late on 10-12 (served that day), reconsideration asked on
    10-13 and decided late on 11-02 by the higher court (``outcome``)."""
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    today(dt.date(2026, 9, 16))  # decision due 10-08 (10-01 is National Day)
    reference = _apply(world, listing["id"], ground="should_not_be_listed").json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    today(dt.date(2026, 10, 12))
    rejected = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-10-12"},
    )
    assert rejected.status_code == 200, rejected.json
    today(dt.date(2026, 10, 13))
    asked = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "不是本人"}
    )
    assert asked.json["reconsideration_due"] == "2026-10-28"
    today(dt.date(2026, 11, 2))
    decision = f"/correction-applications/{application['id']}/reconsideration-decision"
    decided = world.higher_court.post(decision, {"outcome": outcome})
    assert decided.json["reconsideration_decided_on"] == "2026-11-02", decided.json
    return int(application["id"])


def test_application_steps_done_late_were_pending_before(desk, world, today):
    _reconsidered(desk, world, today)
    higher = world.higher_court
    path = "/correction-applications/overdue"
    decided = [("decision", "2026-10-08", "2026-10-12", 4)]
    assert _overdue(desk.client, path) == decided
    assert _overdue(desk.client, path, as_of="2026-10-12") == decided  # decided on the day
    assert _overdue(desk.client, path, as_of="2026-10-11") == [("decision", "2026-10-08", None, 3)]
    assert _overdue(desk.client, path, as_of="2026-10-08") == []
    assert _overdue(desk.client, path, as_of="2026-09-15") == []  # before it was received
    reconsidered = [("reconsideration", "2026-10-28", "2026-11-02", 5)]
    assert _overdue(higher, path) == reconsidered
    assert _overdue(higher, path, as_of="2026-11-02") == reconsidered
    assert _overdue(higher, path, as_of="2026-10-30") == [("reconsideration", "2026-10-28", None, 2)]
    assert _overdue(higher, path, as_of="2026-10-28") == []


def test_key_persons_as_of_are_those_in_office_that_day(desk):
    company = desk.company()  # 李四, legal representative since 2020-01-01
    desk.case(company["id"])
    changed = desk.change_legal_representative(company["id"])
    assert changed.status_code == 201, changed.json

    def holders(**as_of):
        debtor = desk.client.get(f"/debtors/{company['id']}", **as_of).json
        return [(k["person"]["name"], k["since"], k["until"]) for k in debtor["key_persons"]]

    # Without as_of: unchanged, every holder ever recorded.
    assert holders() == [("李四", "2020-01-01", "2026-11-10"), ("吴十", "2026-11-10", None)]
    assert holders(as_of="2026-11-21") == [("吴十", "2026-11-10", None)]
    assert holders(as_of="2026-11-10") == [("吴十", "2026-11-10", None)]  # 李四 left on the day
    assert holders(as_of="2026-11-09") == [("李四", "2020-01-01", "2026-11-10")]
    assert holders(as_of="2020-01-01") == [("李四", "2020-01-01", "2026-11-10")]
    assert holders(as_of="2019-12-31") == []
    assert desk.client.get(f"/debtors/{company['id']}", as_of="2026-02-30").json["code"] == "date.invalid"


def test_an_application_as_of_a_day_shows_its_status_and_only_the_steps_taken_by_then(desk, world, today):
    application_id = _reconsidered(desk, world, today)
    path = f"/correction-applications/{application_id}"

    def shown(client, day, *fields):
        body = client.get(path, as_of=day).json
        return tuple(body[f] for f in ("status", *fields))

    steps = ("decided_on", "served_on", "reconsideration_court", "reconsideration_decided_on")
    assert (
        desk.client.get(path, as_of="2026-09-15").json["code"] == "application.not_found"
    )  # not yet received
    assert shown(desk.client, "2026-09-16", *steps) == ("pending", None, None, None, None)
    assert shown(desk.client, "2026-10-11", *steps) == ("pending", None, None, None, None)
    assert shown(desk.client, "2026-10-12", *steps) == ("rejected", "2026-10-12", "2026-10-12", None, None)
    assert shown(desk.client, "2026-10-13", "reconsideration_received_on", "reconsideration_decided_on") == (
        "reconsideration_pending",
        "2026-10-13",
        None,
    )
    final = ("reconsideration_rejected", "2026-10-12", "2026-10-12", "京03", "2026-11-02")
    assert shown(desk.client, "2026-11-02", *steps) == final
    now = desk.client.get(path).json
    assert tuple(now[f] for f in ("status", *steps)) == final  # without as_of: as today

    def queue(client, **args):
        return [(a["id"], a["status"]) for a in client.get("/correction-applications/", **args).json["items"]]

    assert queue(desk.client, status="pending", as_of="2026-10-11") == [(application_id, "pending")]
    assert queue(desk.client, status="pending", as_of="2026-10-12") == []
    assert queue(desk.client, status="rejected", as_of="2026-10-12") == [(application_id, "rejected")]
    assert queue(desk.client, as_of="2026-09-15") == []
    assert queue(desk.client, status="reconsideration_rejected") == [
        (application_id, "reconsideration_rejected")
    ]
    higher = world.higher_court  # the reconsideration is the higher court's from the day it was received
    assert queue(higher, as_of="2026-10-12") == []
    assert queue(higher, as_of="2026-10-13") == [(application_id, "reconsideration_pending")]
    assert queue(higher) == [(application_id, "reconsideration_rejected")]


def test_the_cases_as_of_a_day_are_those_filed_by_then_as_they_stood(desk):
    debtor = desk.person()
    march = desk.case(debtor["id"], amount="1000.00")  # filed 2026-03-02
    assert desk.fact(march["id"], "partial_performance", "2026-07-01", amount="400.00").status_code == 201
    june = desk.case(debtor["id"], filed_on="2026-06-01", payment_deadline=None)

    def cases(**as_of):
        items = desk.client.get("/cases/", **as_of).json["items"]
        return {c["number"]: c["amounts"]["unperformed"] for c in items}

    assert cases() == {march["number"]: "600.00", june["number"]: "100000.00"}
    assert cases(as_of="2026-06-30") == {march["number"]: "1000.00", june["number"]: "100000.00"}
    assert cases(as_of="2026-05-31") == {march["number"]: "1000.00"}  # the June case was not filed yet
    assert cases(as_of="2026-03-01") == {}
    before = desk.client.get(f"/cases/{june['id']}", as_of="2026-05-31")  # the case itself, as the list
    assert (before.status_code, before.json["code"]) == (404, "case.not_found")
    assert desk.client.get(f"/cases/{june['id']}", as_of="2026-06-01").json["filed_on"] == "2026-06-01"


def test_an_effect_decided_on_reconsideration_is_not_there_before_it(desk, world, today):
    """Upheld by the higher court on 11-02: the revocation it ordered shows from then, not from the first
    instance's rejection on 10-12; nor does the listing's removal it brought about."""
    application_id = _reconsidered(desk, world, today, outcome="upheld")
    path = f"/correction-applications/{application_id}"

    def shown(day):
        body = desk.client.get(path, as_of=day).json
        return (
            body["status"],
            body["effect"],
            body["listing"]["state"],
            body["listing"]["removal"] is not None,
        )

    assert shown("2026-10-12") == ("rejected", None, "active", False)
    assert shown("2026-11-01") == ("reconsideration_pending", None, "active", False)
    assert shown("2026-11-02") == ("reconsideration_upheld", "revoked", "removed", True)


def test_the_court_above_sees_an_application_only_from_the_day_it_reached_it(desk, world, today):
    application_id = _reconsidered(desk, world, today)
    path = f"/correction-applications/{application_id}"
    before = world.higher_court.get(path, as_of="2026-10-12")
    assert (before.status_code, before.json["code"]) == (404, "application.not_found")
    assert world.higher_court.get(path, as_of="2026-10-13").json["status"] == "reconsideration_pending"
    assert desk.client.get(path, as_of="2026-10-12").status_code == 200  # the listing court had it then
