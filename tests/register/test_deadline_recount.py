"""``flask deadlines recount``: deadlines stored as provisional (counted on weekends alone, D2) are counted again
once the official holiday calendar covers their year, from a holidays file or a package release."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from types import SimpleNamespace

import chinese_calendar
import pytest

from blacklist_service import holidays
from blacklist_service.extensions import db
from blacklist_service.models import CorrectionApplication
from blacklist_service.services import applications, deadlines
from sanctions.calendar import YearNotice, set_notices
from tests.citizens.test_citizens import _apply
from tests.register.test_as_of_reads import _listings_overdue, _overdue

D = dt.date
# A made-up notice for 2027 (the real one appears in the November before): New Year's Day, the Spring Festival
# from Friday 02-05 to Thursday 02-11, and Saturday 02-13 a make-up working day.
NOTICE_2027 = YearNotice(
    2027,
    days_off=frozenset({D(2027, 1, 1), *(D(2027, 2, day) for day in range(5, 12))}),
    make_up_days=frozenset({D(2027, 2, 13)}),
)
APPLICATIONS_OVERDUE = "/correction-applications/overdue"


@pytest.fixture
def calendar(app, monkeypatch, tmp_path) -> Iterator[SimpleNamespace]:
    """The installed package's years up to 2026 as they are, 2027 and later unknown (whatever the installed
    release), until the operator gives the 2027 notice in BLACKLIST_HOLIDAYS_FILE (``file()``) or a
    package release carries it (``release()``)."""
    real, released = chinese_calendar.is_workday, set()

    def is_workday(day: dt.date) -> bool:
        if day.year in released:
            return NOTICE_2027.is_working_day(day)
        if day.year >= 2027:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    def file() -> None:
        path = tmp_path / "holidays.json"
        days = {"days_off": NOTICE_2027.days_off, "make_up_days": NOTICE_2027.make_up_days}
        path.write_text(json.dumps({"2027": {k: sorted(map(str, v)) for k, v in days.items()}}))
        app.config["HOLIDAYS_FILE"] = str(path)
        holidays.install(app)  # as at the restart after setting it

    monkeypatch.setattr(chinese_calendar, "is_workday", is_workday)
    yield SimpleNamespace(file=file, release=lambda: released.add(2027))
    set_notices([])


def _recount(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["deadlines", "recount", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _events(world, action: str) -> list[dict]:
    return [e for e in world.admin.get("/events/", limit=1000).json["items"] if e["action"] == action]


def _application(desk, application_id: int) -> dict:
    return desk.client.get(f"/correction-applications/{application_id}").json


def test_a_removal_across_the_spring_festival_is_recounted_to_its_working_day(
    desk, world, app, today, calendar
):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"]).json
    today(D(2027, 2, 10))
    body = {"found_on": "2027-02-03", "changes": {"signed_by": "院长 赵七"}}
    assert desk.client.post(f"/listings/{listing['id']}/corrections", body).status_code == 201
    assert desk.fact(case["id"], "full_performance", "2027-02-03").status_code == 201
    # Weekends only: Thu 02-04, Fri 02-05, Mon 02-08. The court removed it on 02-10: two days late, it seems.
    removal = desk.client.get(f"/listings/{listing['id']}").json["removal"]
    assert (removal["due"], removal["calendar_known"], removal["overdue"]) == ("2027-02-08", False, True)
    late = [("correction", "2027-02-08", "2027-02-10", 2), ("removal", "2027-02-08", "2027-02-10", 2)]
    assert sorted(_listings_overdue(desk)) == late

    assert "0 record(s) recounted, 0 deadline(s) moved; 2 record(s) still provisional" in _recount(app)
    calendar.file()
    assert "2 record(s) recounted" in _recount(app, "--dry-run")
    assert (
        desk.client.get(f"/listings/{listing['id']}").json["removal"]["due"] == "2027-02-08"
    )  # nothing written
    output = _recount(app)

    # Thu 02-04, [Spring Festival 02-05..02-11], Fri 02-12, Sat 02-13 (make-up working day): in time after all.
    assert f"listing {listing['id']} removal_due: 2027-02-08 -> 2027-02-13 (done on time, was late)" in output
    assert "2 record(s) recounted, 2 deadline(s) moved; 0 record(s) still provisional" in output
    removal = desk.client.get(f"/listings/{listing['id']}").json["removal"]
    assert (removal["due"], removal["calendar_known"], removal["overdue"]) == ("2027-02-13", True, False)
    assert desk.client.get(f"/listings/{listing['id']}").json["corrections"][0]["due"] == "2027-02-13"
    assert _listings_overdue(desk) == []
    assert _listings_overdue(desk, as_of="2027-02-10") == []  # a past day shows the recounted day too
    assert _listings_overdue(desk, as_of="2027-02-15") == []

    recounted = _events(world, "listing.deadline_recounted")
    assert [(e["entity_id"], e["data"]["deadline"], e["on_date"]) for e in recounted] == [
        (listing["id"], "removal_due", "2027-02-10"),
        (listing["id"], "correction", "2027-02-10"),
    ]
    data = recounted[0]["data"]
    assert (data["from"], data["to"], data["late"], data["start"], data["days"], data["basis"]) == (
        "2027-02-08",
        "2027-02-13",
        [True, False],
        "2027-02-03",
        3,
        "working",
    )
    assert "BLACKLIST_HOLIDAYS_FILE (2027)" in data["why"]
    assert _events(world, "listing.removed")[0]["data"]["overdue"] is True  # what was known then stays

    events_before = world.admin.get("/events/").json["last_seq"]
    assert "0 record(s) recounted, 0 deadline(s) moved; 0 record(s) still provisional" in _recount(app)
    assert world.admin.get("/events/").json["last_seq"] == events_before


def test_a_correction_decision_due_on_a_holiday_moves_to_the_next_working_day(
    desk, world, app, today, calendar
):
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    today(D(2027, 1, 21))
    reference = _apply(world, listing["id"]).json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    assert (application["decision_due"], application["calendar_known"]) == ("2027-02-05", False)
    today(D(2027, 2, 8))
    decided = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2027-02-08"},
    )
    assert decided.json["reconsideration_deadline"] == "2027-02-18", decided.json
    assert _overdue(desk.client, APPLICATIONS_OVERDUE) == [("decision", "2027-02-05", "2027-02-08", 3)]

    calendar.release()  # a chinese_calendar release now carries 2027
    output = _recount(app)

    # 02-05 is the first day of the Spring Festival: the last day moves to Friday 02-12 (CPL Art. 85).
    assert (
        f"application {reference} decision_due: 2027-02-05 -> 2027-02-12 (done on time, was late)" in output
    )
    assert f"application {reference} reconsideration_deadline: 2027-02-18 confirmed" in output
    shown = _application(desk, application["id"])
    assert (shown["decision_due"], shown["reconsideration_deadline"], shown["calendar_known"]) == (
        "2027-02-12",
        "2027-02-18",
        True,
    )
    assert _overdue(desk.client, APPLICATIONS_OVERDUE) == []
    assert _overdue(desk.client, APPLICATIONS_OVERDUE, as_of="2027-02-08") == []
    (event,) = _events(world, "application.deadlines_recounted")
    assert event["entity"] == "correction_application" and event["entity_id"] == application["id"]
    assert event["data"]["calendar_known"] is True
    assert {name: (d["from"], d["to"]) for name, d in event["data"]["deadlines"].items()} == {
        "decision_due": ("2027-02-05", "2027-02-12"),
        "reconsideration_deadline": ("2027-02-18", "2027-02-18"),
    }
    assert event["data"]["deadlines"]["decision_due"]["late"] == [True, False]
    assert (
        f"chinese_calendar {chinese_calendar.__version__} (2027)"
        in event["data"]["deadlines"]["decision_due"]["why"]
    )
    with app.app_context():
        assert (
            applications.provisional_deadlines(db.session.get(CorrectionApplication, application["id"]))
            == set()
        )
    assert "0 record(s) recounted" in _recount(app)
    assert len(_events(world, "application.deadlines_recounted")) == 1


def test_a_deadline_still_beyond_the_calendar_stays_provisional_and_unchanged(
    desk, world, app, today, calendar
):
    """The 2027 notice covers the decision deadline, not the 10 days from a service in late December: the
    first moves, the second and the application's flag stay, and a second run changes nothing."""
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    today(D(2027, 1, 21))
    reference = _apply(world, listing["id"]).json["reference"]
    application_id = desk.client.get("/correction-applications/").json["items"][0]["id"]
    today(D(2027, 12, 29))
    decision = {"outcome": "rejected", "served_on": "2027-12-29"}
    assert (
        desk.client.post(f"/correction-applications/{application_id}/decision", decision).status_code == 200
    )
    assert _application(desk, application_id)["reconsideration_deadline"] == "2028-01-10"  # Sat 01-08: Monday
    calendar.file()
    output = _recount(app)

    assert f"application {reference} decision_due: 2027-02-05 -> 2027-02-12" in output
    assert "reconsideration_deadline" not in output
    assert "1 record(s) recounted, 1 deadline(s) moved; 1 record(s) still provisional" in output
    shown = _application(desk, application_id)
    assert (shown["decision_due"], shown["reconsideration_deadline"], shown["calendar_known"]) == (
        "2027-02-12",
        "2028-01-10",
        False,
    )
    (event,) = _events(world, "application.deadlines_recounted")
    assert list(event["data"]["deadlines"]) == ["decision_due"] and event["data"]["calendar_known"] is False
    with app.app_context():
        application = db.session.get(CorrectionApplication, application_id)
        assert applications.provisional_deadlines(application) == {"reconsideration_deadline"}
    assert "0 record(s) recounted, 0 deadline(s) moved; 1 record(s) still provisional" in _recount(app)
    assert len(_events(world, "application.deadlines_recounted")) == 1


@pytest.mark.parametrize(
    ("recounted_on", "decision_due", "kept"),
    [
        (
            D(2027, 2, 4),
            "2027-02-13",
            False,
        ),  # the make-up Saturday is still ahead: the court learns it in time
        # told on the day itself that it is the last one, the court has no time left: the Monday stays
        (D(2027, 2, 13), "2027-02-15", True),
        (D(2027, 2, 14), "2027-02-15", True),  # it had passed: the court is held to the Monday it was given
    ],
)
def test_a_make_up_working_day_moves_a_deadline_earlier_only_while_it_is_ahead(
    desk, world, app, today, calendar, recounted_on, decision_due, kept
):
    """Saturday 02-13 is a make-up working day: 15 days from Friday 01-29 end on it, not on Monday 02-15. The
    applicant's 10 days from a service on Wednesday 02-03 likewise, but the Monday he was told stays his."""
    debtor = desk.person()
    first, second = (desk.list(desk.case(debtor["id"])["id"]).json for _ in range(2))
    today(D(2027, 1, 21))
    _apply(world, first["id"])
    today(D(2027, 1, 29))
    _apply(world, second["id"])
    items = {x["listing"]["id"]: x for x in desk.client.get("/correction-applications/").json["items"]}
    told, pending = items[first["id"]], items[second["id"]]
    assert pending["decision_due"] == "2027-02-15"
    today(D(2027, 2, 3))
    decision = {"outcome": "rejected", "served_on": "2027-02-03"}
    assert desk.client.post(f"/correction-applications/{told['id']}/decision", decision).status_code == 200
    assert _application(desk, told["id"])["reconsideration_deadline"] == "2027-02-15"
    today(recounted_on)
    calendar.file()
    output = _recount(app)

    assert _application(desk, pending["id"])["decision_due"] == decision_due
    shown = _application(desk, told["id"])
    assert (shown["reconsideration_deadline"], shown["calendar_known"]) == ("2027-02-15", True)
    assert f"reconsideration_deadline: 2027-02-15 kept, official 2027-02-13: {deadlines.TOLD}" in output
    data = {e["entity_id"]: e["data"]["deadlines"] for e in _events(world, "application.deadlines_recounted")}
    assert data[told["id"]]["reconsideration_deadline"]["kept"] == deadlines.TOLD
    assert ("kept" in data[pending["id"]]["decision_due"]) is kept
    assert data[pending["id"]]["decision_due"]["official" if kept else "to"] == "2027-02-13"
    today(D(2027, 2, 15))
    desk.client.post(f"/correction-applications/{pending['id']}/decision", {"outcome": "rejected"})
    late = [("decision", "2027-02-13", "2027-02-15", 2)] if not kept else []
    assert _overdue(desk.client, APPLICATIONS_OVERDUE) == late


def test_start_up_warns_when_the_calendar_now_covers_provisional_deadlines(
    desk, world, app, today, calendar, caplog
):
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    today(D(2027, 1, 21))
    _apply(world, listing["id"])

    def warnings() -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger=deadlines.__name__):
            deadlines.warn_if_due(app)
        return [r.getMessage() for r in caplog.records]

    assert warnings() == []  # 2027 is not covered yet: nothing to do
    calendar.file()
    (message,) = warnings()
    assert "1 record(s)" in message and "flask deadlines recount" in message
    _recount(app)
    assert warnings() == []
