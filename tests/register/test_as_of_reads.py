"""``?as_of=`` on the overdue reports and a debtor's key persons (D1): the state at the end of a past day."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.citizens.test_citizens import _apply, _me
from tests.support import Desk, person_id


@pytest.fixture
def desk(world):
    return Desk(world.court)


def _overdue(client, path, **as_of):
    """The report's rows, as (kind or step, due, done_on, days_late)."""
    rows = client.get(path, **as_of).json
    return [(r.get("kind", r.get("step")), r["due"], r["done_on"], r["days_late"]) for r in rows]


def _listings_overdue(desk, **as_of):
    return _overdue(desk.client, "/listings/overdue", **as_of)


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


def test_application_steps_done_late_were_pending_before(desk, world, today):
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
    higher = world.higher_court
    decision = f"/correction-applications/{application['id']}/reconsideration-decision"
    assert higher.post(decision, {"outcome": "rejected"}).json["reconsideration_decided_on"] == "2026-11-02"
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
    changed = desk.client.post(
        f"/debtors/{company['id']}/key-person-changes",
        {
            "role": "legal_representative",
            "name": "吴十",
            "id_number": person_id(dt.date(1985, 8, 8), seq="017"),
            "effective_on": "2026-11-10",
        },
    )
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
