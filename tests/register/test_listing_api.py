"""Listing API details: grace periods (D4), conflicts, search, as_of replay, corrections, the event log."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from blacklist_service.extensions import db


def test_grace_period_nothing_published_or_enforced_until_it_ends_d4(desk, today):
    case = desk.case(desk.person()["id"])
    today(dt.date(2026, 4, 1))
    listing = desk.list(case["id"], circumstances=("SX3_EVADE",), grace_months=2).json
    assert (listing["grace_end"], listing["publish_from"], listing["term_end"]) == (
        "2026-06-01",
        "2026-06-02",
        "2028-06-01",
    )
    assert listing["state"] == "in_grace"
    assert [r["active"] for r in listing["restrictions"]] == [False]
    today(dt.date(2026, 6, 2))
    now = desk.client.get(f"/listings/{listing['id']}").json
    assert now["state"] == "active"
    assert [r["active"] for r in now["restrictions"]] == [True]


def test_performance_during_the_grace_period_removes_the_decided_listing(desk, today):
    case = desk.case(desk.person()["id"])
    today(dt.date(2026, 4, 10))
    listing = desk.list(case["id"], grace_months=1).json
    paid = desk.fact(case["id"], "full_performance", "2026-04-10")
    assert [x["id"] for x in paid.json["removed_listings"]] == [listing["id"]]


def test_already_listed_and_duplicate_decision_numbers_are_409(desk):
    case = desk.case(desk.person()["id"])
    first = desk.list(case["id"], decision_number="（2026）京0105执1号决定书")
    assert first.status_code == 201
    twice = desk.list(case["id"])
    assert twice.status_code == 409 and twice.json["code"] == "listing.already_listed"
    other = desk.case(desk.person(name="钱八", born=dt.date(1966, 6, 6))["id"])
    same_number = desk.list(other["id"], decision_number="（2026）京0105执1号决定书")
    assert same_number.status_code == 409 and same_number.json["code"] == "listing.decision_number_exists"


def test_a_back_dated_listing_may_not_overlap_another_of_the_case(desk, today):
    """One listing of the debtor in a case at a time, whichever is entered first: listing A (item 四) is on
    the list 2024-02-01 to 2026-02-01, so a listing decided in that period is 409 and changes nothing; one
    decided the day after A's last day is not."""
    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    today(dt.date(2024, 2, 1))
    first = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-02-01").json
    assert first["term_end"] == "2026-02-01"
    today(dt.date(2026, 11, 21))
    for decided in ("2025-06-01", "2026-02-01"):
        overlap = desk.list(case["id"], circumstances=("SX3_EVADE",), decision_date=decided)
        assert overlap.status_code == 409 and overlap.json["code"] == "listing.already_listed", overlap.json
    assert desk.client.get("/listings/", state="active", as_of="2025-07-01").json["total"] == 1
    assert desk.client.get("/listings/").json["total"] == 1
    after = desk.list(case["id"], circumstances=("SX3_EVADE",), decision_date="2026-02-02")
    assert after.status_code == 201, after.json


def test_a_back_dated_listing_may_not_reach_into_a_later_one(desk):
    """The new listing's own period counts too: a 2-year listing decided 2024-04-01 would still be on the list
    on 2026-04-01, the day a listing already entered was decided; one decided a day earlier ends before it."""
    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    assert desk.list(case["id"], decision_date="2026-04-01").status_code == 201  # item (一): no term
    reaching = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-04-01")
    assert reaching.status_code == 409 and reaching.json["code"] == "listing.already_listed"
    ended = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2024-03-31")
    assert (ended.status_code, ended.json["term_end"]) == (201, "2026-03-31"), ended.json


def test_a_listing_revoked_the_day_it_was_decided_was_never_on_the_list(desk, today):
    """Its state is removed from that day on, so it overlaps no listing decided before it."""
    case = desk.case(desk.person()["id"], filed_on="2024-01-05", payment_deadline="2024-01-10")
    today(dt.date(2026, 4, 1))
    wrong = desk.list(case["id"], decision_date="2026-04-01").json
    desk.client.post(f"/listings/{wrong['id']}/revocation", {"fact_date": "2026-04-01"})
    today(dt.date(2026, 11, 21))
    earlier = desk.list(case["id"], circumstances=("SX3_EVADE",), decision_date="2025-06-01")
    assert earlier.status_code == 201, earlier.json


@pytest.mark.parametrize(
    ("change", "code"),
    [({"decision_date": "2026-11-22"}, "date.future"), ({"decision_date": "2026-03-01"}, "date.order")],
)
def test_decision_date_must_be_real(desk, change, code):
    case = desk.case(desk.person()["id"])
    response = desk.list(case["id"], **change)
    assert response.status_code == 422 and response.json["code"] == code


def test_unknown_subject_or_case_is_404(desk):
    case = desk.case(desk.person()["id"])
    assert desk.list(case["id"], subject_id=999).json["code"] == "subject.not_found"
    valid = {
        "decision_number": "x",
        "decision_date": "2026-04-01",
        "signed_by": "x",
        "circumstances": ["SX1_ABLE_REFUSE"],
    }
    assert desk.client.post("/cases/999/listings", valid).json["code"] == "case.not_found"
    assert desk.client.get("/listings/999").json["code"] == "listing.not_found"


def test_a_stranger_to_the_case_cannot_be_listed(desk):
    case = desk.case(desk.person()["id"])
    stranger = desk.person(name="孙九", born=dt.date(1990, 9, 9))
    response = desk.list(case["id"], subject_id=stranger["id"])
    assert response.status_code == 422 and response.json["code"] == "listing.not_debtor"


def test_search_filters_pagination_and_as_of(desk, today):
    people = [desk.person(name=f"周{n}", born=dt.date(1970 + n, 1, 1)) for n in range(5)]
    cases = [desk.case(p["id"]) for p in people]
    for n, case in enumerate(cases):
        circumstances = ("SX1_ABLE_REFUSE",) if n % 2 == 0 else ("SX3_EVADE", "SX4_ASSET_REPORT")
        assert (
            desk.list(case["id"], circumstances=circumstances, decision_date=f"2026-04-0{n + 1}").status_code
            == 201
        )
    desk.fact(cases[0]["id"], "full_performance", "2026-11-01")
    page = desk.client.get("/listings/", page=1, page_size=2).json
    assert (page["total"], len(page["items"]), page["items"][0]["decision_date"]) == (5, 2, "2026-04-05")
    assert (
        desk.client.get("/listings/", page=3, page_size=2).json["items"][0]["decision_date"] == "2026-04-01"
    )
    assert desk.client.get("/listings/", state="active").json["total"] == 4
    assert desk.client.get("/listings/", state="removed").json["total"] == 1
    assert desk.client.get("/listings/", circumstance="SX3_EVADE").json["total"] == 2
    assert desk.client.get("/listings/", name="周3").json["items"][0]["subject"]["name"] == "周3"
    assert desk.client.get("/listings/", case_number=cases[2]["number"]).json["total"] == 1
    assert (
        desk.client.get("/listings/", decided_from="2026-04-02", decided_to="2026-04-03").json["total"] == 2
    )
    # as_of replay: on 2026-10-31 the performed debtor was still active; on 2026-04-02 only two were decided
    assert desk.client.get("/listings/", state="active", as_of="2026-10-31").json["total"] == 5
    assert desk.client.get("/listings/", as_of="2026-04-02").json["total"] == 2
    bad = desk.client.get("/listings/", page_size=1000)
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "page_size"


def test_other_courts_listings_are_not_in_the_search(desk, world):
    desk.list(desk.case(desk.person()["id"])["id"])
    assert world.other_court.get("/listings/").json["total"] == 0


def test_correction_changes_the_data_and_tracks_its_deadline(desk, today, world):
    case = desk.case(desk.person(name="张叁")["id"])
    listing = desk.list(case["id"]).json
    today(dt.date(2026, 5, 15))  # found Mon 05-11: due Thu 05-14
    response = desk.client.post(
        f"/listings/{listing['id']}/corrections",
        {
            "found_on": "2026-05-11",
            "changes": {"subject_name": "张三", "basis_number": "（2025）京0105民初99号"},
        },
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["subject"]["name"] == "张三"
    correction = body["corrections"][0]
    assert correction["changes"]["subject_name"] == ["张叁", "张三"]
    assert (correction["due"], correction["overdue"]) == ("2026-05-14", True)
    assert [(o["kind"], o["days_late"]) for o in desk.client.get("/listings/overdue").json] == [
        ("correction", 1)
    ]
    assert world.admin.get("/events/").json["items"][-1]["action"] == "listing.corrected"
    shown = {
        day: len(desk.client.get(f"/listings/{listing['id']}", as_of=day).json["corrections"])
        for day in (
            "2026-05-14",
            "2026-05-15",
        )
    }
    assert shown == {"2026-05-14": 0, "2026-05-15": 1}  # made on 05-15 (D1: not there the day before)
    other = desk.list(desk.case(desk.person(name="钱八", born=dt.date(1966, 6, 6))["id"])["id"]).json
    taken = desk.client.post(
        f"/listings/{listing['id']}/corrections",
        {"found_on": "2026-05-11", "changes": {"decision_number": other["decision_number"]}},
    )
    assert taken.status_code == 409 and taken.json["code"] == "listing.decision_number_exists"
    bad = desk.client.post(
        f"/listings/{listing['id']}/corrections",
        {"found_on": "2026-05-11", "changes": {"term_end": "2020-01-01"}},
    )
    assert bad.status_code == 422


def test_the_case_number_and_filing_date_are_corrected_together_and_published(desk, world):
    """Art. 9 ¶2 and Art. 6 (五): the case number and filing date are published, so they can be corrected,
    under the same checks as when the case was opened."""
    case = desk.case(desk.person(name="张三")["id"], payment_deadline=None)
    listing = desk.list(case["id"]).json  # decided 2026-04-01
    path = f"/listings/{listing['id']}/corrections"
    fixed = desk.client.post(
        path,
        {
            "found_on": "2026-11-20",
            "changes": {"case_number": "(2025)京0105执0077号", "filed_on": "2025-12-30"},
        },
    )
    assert fixed.status_code == 201, fixed.json
    assert fixed.json["case_number"] == "（2025）京0105执77号"  # stored canonical, as when opened
    assert fixed.json["corrections"][0]["changes"] == {
        "case_number": [case["number"], "（2025）京0105执77号"],
        "filed_on": ["2026-03-02", "2025-12-30"],
    }
    published = world.public.get("/public/dishonest-debtors", name="张三").json["items"][0]
    assert (published["case_number"], published["filed_on"]) == ("（2025）京0105执77号", "2025-12-30")
    assert world.admin.get("/events/").json["items"][-1]["action"] == "listing.corrected"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"case_number": "（2026）京0106执9号"}, 422, "case_number.other_court"),
        ({"case_number": "2026京0105执9号"}, 422, "case_number.format"),
        ({"case_number": "（2025）京0105执9号"}, 422, "case_number.year_mismatch"),  # filed in 2026
        ({"filed_on": "2025-12-30"}, 422, "case_number.year_mismatch"),  # the number says 2026
        ({"filed_on": "2026-04-02"}, 422, "date.order"),  # after the listing decided on 2026-04-01
        ({"filed_on": "2026-11-22"}, 422, "date.future"),
        ({"filed_on": "20260301"}, 422, "date.invalid"),
        ({"filed_on": "2026-02-30"}, 422, "date.invalid"),
        ({"case_number": "TAKEN"}, 409, "case.exists"),
    ],
)
def test_a_wrong_case_identity_correction_is_refused_and_changes_nothing(desk, world, changes, status, code):
    case = desk.case(desk.person(name="张三")["id"], payment_deadline=None)
    other = desk.case(desk.person(name="钱八", born=dt.date(1966, 6, 6))["id"])
    listing = desk.list(case["id"]).json
    if changes.get("case_number") == "TAKEN":
        changes = {"case_number": other["number"]}
    before = len(world.admin.get("/events/", limit=1000).json["items"])
    refused = desk.client.post(
        f"/listings/{listing['id']}/corrections", {"found_on": "2026-11-20", "changes": changes}
    )
    assert (refused.status_code, refused.json["code"]) == (status, code), refused.json
    after = desk.client.get(f"/listings/{listing['id']}").json
    assert (after["case_number"], after["corrections"]) == (case["number"], [])
    assert len(world.admin.get("/events/", limit=1000).json["items"]) == before


def test_the_filing_date_cannot_pass_a_step_of_the_enforcement(desk):
    case = desk.case(desk.person(name="张三")["id"], payment_deadline=None)
    assert desk.fact(case["id"], "applicant_hold_off", "2026-03-05").status_code == 201
    listed = desk.list(case["id"], circumstances=("SX2_OBSTRUCT",), justification="暴力抗拒执行")
    path = f"/listings/{listed.json['id']}/corrections"
    late = desk.client.post(path, {"found_on": "2026-11-20", "changes": {"filed_on": "2026-03-06"}})
    assert (late.status_code, late.json["code"]) == (422, "date.order")
    assert (
        desk.client.post(path, {"found_on": "2026-11-20", "changes": {"filed_on": "2026-03-05"}}).status_code
        == 201
    )


def test_the_filing_date_cannot_pass_the_payment_deadline(desk):
    case = desk.case(desk.person(name="张三")["id"], payment_deadline="2026-03-12")
    path = f"/listings/{desk.list(case['id']).json['id']}/corrections"
    late = desk.client.post(path, {"found_on": "2026-11-20", "changes": {"filed_on": "2026-03-13"}})
    assert (late.status_code, late.json["code"]) == (422, "date.order")
    on_the_day = desk.client.post(path, {"found_on": "2026-11-20", "changes": {"filed_on": "2026-03-12"}})
    assert on_the_day.status_code == 201, on_the_day.json


def test_a_corrected_name_is_stored_in_its_searchable_form(desk, world):
    """L-CORRECT: correcting a name must not make the person vanish from searches and self-checks."""
    listing = desk.list(desk.case(desk.person(name="张叁")["id"])["id"]).json
    path = f"/listings/{listing['id']}/corrections"
    fixed = desk.client.post(path, {"found_on": "2026-11-20", "changes": {"subject_name": " 张  三\u3000"}})
    assert fixed.status_code == 201, fixed.json
    assert fixed.json["subject"]["name"] == "张三"
    assert world.public.get("/public/dishonest-debtors", name="张三").json["total"] == 1
    for changes in ({"subject_name": "  "}, {"subject_name": "张" * 201}, {"decision_number": "号" * 81}):
        refused = desk.client.post(path, {"found_on": "2026-11-20", "changes": changes})
        assert (refused.status_code, refused.json["code"]) == (422, "correction.value"), changes
    assert desk.client.get(f"/listings/{listing['id']}").json["subject"]["name"] == "张三"  # unchanged


def test_events_are_append_only_in_the_database(desk, app):
    desk.person()
    with app.app_context():
        for statement in ("UPDATE events SET action = 'x'", "DELETE FROM events"):
            with pytest.raises(Exception, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(text("SELECT count(*) FROM events")).scalar() == 1


def test_event_log_paging_and_court_scope(desk, world):
    desk.list(desk.case(desk.person()["id"])["id"])
    everything = world.admin.get("/events/").json
    seqs = [e["seq"] for e in everything["items"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert everything["last_seq"] == seqs[-1]
    assert [e["seq"] for e in world.admin.get("/events/", after=seqs[1], limit=2).json["items"]] == seqs[2:4]
    own = world.court.get("/events/").json["items"]
    assert own == everything["items"]  # all written by this court's key: its case's, and its registration
    assert {e["court_id"] for e in own} == {world.courts["chaoyang"], None}  # the subject's event has none
    assert world.other_court.get("/events/").json["items"] == []


def test_concurrent_proposals_for_one_case_list_the_debtor_once(desk, world):
    case = desk.case(desk.person()["id"])
    app = world.app
    results: list[int] = []

    def propose(n: int) -> None:
        client = app.test_client()
        response = client.post(
            f"/cases/{case['id']}/listings",
            headers={"Authorization": f"Bearer {world.keys['court']}"},
            json={
                "decision_number": f"并发{n}",
                "decision_date": "2026-04-01",
                "signed_by": "院长",
                "circumstances": ["SX1_ABLE_REFUSE"],
            },
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=propose, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409, 409, 409, 409, 409]
    assert desk.client.get("/listings/").json["total"] == 1


def test_court_and_admin_reads_of_people_are_logged(desk, world, app):
    """Who looked at whom: every court or admin read that shows a person's record (full ID) is logged."""
    from sqlalchemy import select

    from blacklist_service.models import AccessLog

    company = desk.company()
    case = desk.case(company["id"])
    listing = desk.list(case["id"]).json
    restriction = desk.client.get("/restrictions/", case_id=case["id"]).json["items"][0]
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(AccessLog))
    desk.client.get("/listings/")
    world.admin.get(f"/listings/{listing['id']}")
    desk.client.get(f"/restrictions/{restriction['id']}")
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).order_by(AccessLog.id)).all()[before:]
        logged = [(row.action, row.reference.split(":")[0], len(row.subject_ids)) for row in rows]
    # the listing shows the company and its restricted legal representative
    assert logged == [("read", "listings", 2), ("read", "listing", 2), ("read", "restriction", 1)]
