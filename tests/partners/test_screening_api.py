"""Issue 4 over HTTP: partner screening scoped to the partner's sector, following the event log."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.support import credit_code, person_id

BORN = dt.date(1980, 5, 17)


@pytest.fixture
def listed_person(desk):
    debtor = desk.person(name="张伟")
    case = desk.case(debtor["id"])
    desk.list(case["id"])
    return debtor, case


def _screen(client, **body):
    response = client.post("/screening/", body)
    assert response.status_code == 200, response.json
    return response.json


def test_id_and_name_is_a_match_with_the_sectors_measures_only(world, listed_person):
    debtor, case = listed_person
    answer = _screen(world.aviation, name="张伟", identifier=person_id(BORN))
    assert answer["band"] == "match"
    assert answer["sector"] == "aviation"
    assert answer["algorithm_version"] and answer["screening_id"]
    assert answer["list_version"] >= 1
    match = answer["matches"][0]
    assert match["subject"] == {
        "ref": debtor["id"],
        "kind": "person",
        "name": "张伟",
        "identifier": person_id(BORN)[:10] + "****" + person_id(BORN)[14:],
    }
    assert [(m["code"], m["decision"]) for m in match["measures"]] == [("AVIATION_FLIGHT", "deny")]
    assert {r["case_number"] for r in match["records"]} == {case["number"]}
    assert match["explanation"]
    matches = str(answer["matches"])
    assert person_id(BORN) not in matches  # never the full ID of a listed person
    assert "amount" not in matches and "100000" not in matches  # no amounts
    assert "PUBLIC_RECRUITMENT" not in matches and "HOTEL_STAR" not in matches  # no other sector


def test_name_only_is_review_with_namesakes(world, listed_person, desk):
    desk.list(desk.case(desk.person(name="张伟", born=dt.date(1991, 2, 3))["id"])["id"])
    answer = _screen(world.hotel, name="张伟")
    assert answer["band"] == "review"
    assert {m["band"] for m in answer["matches"]} == {"review"}
    assert answer["matches"][0]["namesakes"] == 2
    assert {m["code"] for m in answer["matches"][0]["measures"]} == {"HOTEL_STAR", "LEISURE_VENUES"}


def test_contradicting_id_is_never_a_match(world, listed_person):
    other = person_id(dt.date(1990, 1, 1))
    answer = _screen(world.aviation, name="张伟", identifier=other)
    assert answer["band"] != "match"


def test_removal_reaches_screening_immediately(world, listed_person, desk):
    _, case = listed_person
    assert _screen(world.aviation, name="张伟", identifier=person_id(BORN))["band"] == "match"
    desk.fact(case["id"], "full_performance", "2026-11-20")
    after = _screen(world.aviation, name="张伟", identifier=person_id(BORN))
    assert (after["band"], after["matches"]) == ("clear", [])


def test_sector_scoping_hides_what_is_not_the_partners_business(world, desk):
    company = desk.company()
    desk.list(desk.case(company["id"])["id"])
    lr = company["key_persons"][0]["person"]
    # The legal representative is restricted (flights) but not listed (no procurement ban on him).
    assert _screen(world.aviation, name=lr["name"], identifier=lr["identifier"])["band"] == "match"
    from blacklist_service.auth import create_key
    from blacklist_service.extensions import db
    from blacklist_service.models import Role

    with world.app.app_context():
        key = create_key("采购中心", Role.PARTNER, sector="procurement")[1]
        db.session.commit()
    procurement = world.public.__class__(world.public.client, key)
    hidden = _screen(procurement, name=lr["name"], identifier=lr["identifier"])
    assert (hidden["band"], hidden["matches"]) == ("clear", [])
    org = _screen(procurement, name="北京某某科技有限公司", identifier=credit_code())
    assert org["band"] == "match"
    assert [m["code"] for m in org["matches"][0]["measures"]] == ["PROCUREMENT_SUPPLIER"]


def test_grace_period_and_term_end_follow_the_date(world, desk, today):
    case = desk.case(desk.person(name="李雷")["id"])
    today(dt.date(2026, 4, 1))
    desk.list(case["id"], circumstances=("SX3_EVADE",), grace_months=1, decision_date="2026-04-01")
    ident = person_id(BORN)
    assert _screen(world.aviation, name="李雷", identifier=ident)["band"] == "clear"
    today(dt.date(2026, 5, 2))
    assert _screen(world.aviation, name="李雷", identifier=ident)["band"] == "match"


def test_batch_and_validation(world, listed_person):
    body = {
        "items": [
            {"reference": "r1", "name": "张伟", "identifier": person_id(BORN)},
            {"reference": "r2", "name": "王小明"},
        ]
    }
    response = world.aviation.post("/screening/batch", body)
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [(r["reference"], r["band"]) for r in results] == [("r1", "match"), ("r2", "clear")]
    empty = world.aviation.post("/screening/", {})
    assert empty.status_code == 422 and empty.json["code"] == "screening.empty"
    assert world.court.post("/screening/", {"name": "张伟"}).json["code"] == "auth.wrong_role"
    assert world.aviation.post("/screening/batch", {"items": [{"name": "x"}] * 5001}).status_code == 422


def test_every_screening_is_logged(world, listed_person, app):
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    debtor, _ = listed_person
    answer = _screen(world.aviation, name="张伟", identifier=person_id(BORN))
    with app.app_context():
        row = db.session.scalar(select(AccessLog).where(AccessLog.action == "screen"))
    assert (row.reference, row.subject_ids) == (answer["screening_id"], [debtor["id"]])
    assert row.principal_id is not None and row.client is None


def test_async_job_with_progress_and_download(world, listed_person):
    items = [{"reference": str(n), "name": "张伟" if n == 3 else f"路人{n}"} for n in range(2500)]
    started = world.hotel.post("/screening/jobs", {"items": items})
    assert started.status_code == 202, started.json
    job_id = started.json["id"]
    deadline = time.time() + 60
    while (job := world.hotel.get(f"/screening/jobs/{job_id}").json)["status"] in {"queued", "running"}:
        assert time.time() < deadline
        time.sleep(0.05)
    assert (job["status"], job["done"], job["total"], job["progress"]) == ("done", 2500, 2500, 1.0)
    assert job["matched"] == 1
    download = world.hotel.get(f"/screening/jobs/{job_id}/result")
    lines = download.data.decode().splitlines()
    download.close()
    assert len(lines) == 2500
    import json

    third = json.loads(lines[3])
    assert (third["reference"], third["band"]) == ("3", "review")
    assert world.aviation.get(f"/screening/jobs/{job_id}").status_code == 404  # another partner's job


def test_removal_reaches_partners_through_the_change_feed(world, listed_person, desk):
    debtor, case = listed_person
    first = world.aviation.get("/screening/changes").json
    assert [(i["subject"]["ref"], i["sanctioned"]) for i in first["items"]] == [(debtor["id"], True)]
    assert first["items"][0]["measures"][0]["code"] == "AVIATION_FLIGHT"
    desk.fact(case["id"], "full_performance", "2026-11-20")
    later = world.aviation.get("/screening/changes", after=first["next_after"]).json
    assert [(i["subject"]["ref"], i["sanctioned"], i["measures"]) for i in later["items"]] == [
        (debtor["id"], False, [])
    ]
    assert world.aviation.get("/screening/changes", after=later["next_after"]).json["items"] == []
    # A sector with no measure on this person never hears about him.
    from blacklist_service.auth import create_key
    from blacklist_service.extensions import db
    from blacklist_service.models import Role

    with world.app.app_context():
        key = create_key("债券", Role.PARTNER, sector="bonds")[1]
        db.session.commit()
    bonds = world.public.__class__(world.public.client, key)
    assert bonds.get("/screening/changes").json["items"] == []


def test_daily_sweep_announces_the_end_of_a_grace_period_to_the_feed(world, desk, today):
    debtor = desk.person(name="韩梅梅")
    today(dt.date(2026, 10, 1))
    desk.list(desk.case(debtor["id"])["id"], decision_date="2026-10-01", grace_months=1)
    start = world.aviation.get("/screening/changes").json
    assert start["items"] == []  # decided, not yet published: no measure applies (D4)
    today(dt.date(2026, 11, 2))
    runner = world.app.test_cli_runner()
    assert "1 publication(s) announced" in runner.invoke(args=["listings", "sweep"]).output
    assert "0 publication(s) announced" in runner.invoke(args=["listings", "sweep"]).output
    feed = world.aviation.get("/screening/changes", after=start["next_after"]).json
    assert [(i["subject"]["ref"], i["sanctioned"]) for i in feed["items"]] == [(debtor["id"], True)]


def test_the_index_is_built_at_start_up_and_waits_for_migrations(app, world, listed_person, tmp_path):
    from blacklist_service import create_app
    from blacklist_service.services import screening

    screening.warm_up(app)
    assert len(app.extensions["screening"].index) == 1
    empty = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}", "TESTING": True}
    )
    screening.warm_up(empty)  # no tables yet: it will be built at the first screening instead
    assert empty.extensions["screening"].index is None


def _feed(partner, after: int) -> tuple[list[tuple[str, bool, list[tuple[str, str]]]], int]:
    page = partner.get("/screening/changes", after=after).json
    items = [
        (i["subject"]["name"], i["sanctioned"], [(m["code"], m["decision"]) for m in i["measures"]])
        for i in page["items"]
    ]
    return items, page["next_after"]


def test_daily_sweep_announces_key_persons_restricted_when_a_grace_period_ends(world, desk, today):
    """C-ORG-1 with D4: the legal representative's restriction takes effect with the publication."""
    case = desk.case(desk.company()["id"])
    today(dt.date(2026, 10, 1))
    desk.list(case["id"], decision_date="2026-10-01", grace_months=1)
    items, after = _feed(world.aviation, 0)
    assert items == []  # decided, not yet published or enforced
    today(dt.date(2026, 11, 2))
    runner = world.app.test_cli_runner()
    output = runner.invoke(args=["listings", "sweep"]).output
    assert "1 publication(s) announced" in output and "2 restriction/permission" in output
    items, after = _feed(world.aviation, after)
    flight = ("AVIATION_FLIGHT", "deny")
    assert sorted((name, sanctioned, flight in measures) for name, sanctioned, measures in items) == [
        ("北京某某科技有限公司", True, True),
        ("李四", True, True),
    ]
    assert "0 restriction/permission" in runner.invoke(args=["listings", "sweep"]).output  # once only
    assert _feed(world.aviation, after)[0] == []


@pytest.mark.parametrize("ending", ["last_day_passed", "revocation_took_effect"])
def test_daily_sweep_announces_the_return_of_measures_a_permission_suspended(world, desk, today, ending):
    """D11: a humanitarian lift suspends the flight ban for its period, then the ban returns by itself."""
    case = desk.case(desk.person(name="王五")["id"])
    assert desk.restrict(case["id"], order_date="2026-11-21").status_code == 201
    restriction_id = desk.client.get("/restrictions/", case_id=case["id"]).json["items"][0]["id"]
    lift = {"kind": "humanitarian", "valid_from": "2026-11-21", "valid_until": "2026-12-20"}
    lift |= {"approved_by": "院长 赵六", "reason": "medical"}
    granted = desk.client.post(f"/restrictions/{restriction_id}/permissions", lift)
    assert granted.status_code == 201, granted.json
    items, after = _feed(world.aviation, 0)
    assert items == [("王五", True, [("AVIATION_FLIGHT", "allow_with_permission")])]
    back_on = dt.date(2026, 12, 21)
    if ending == "revocation_took_effect":
        back_on = dt.date(2026, 12, 1)
        permission_id = granted.json["permissions"][0]["id"]
        path = f"/restrictions/{restriction_id}/permissions/{permission_id}/revocation"
        revocation = {"revoked_on": "2026-12-01", "revocation_reason": "false_evidence"}
        assert desk.client.post(path, revocation).status_code == 200
        items, after = _feed(world.aviation, after)  # the revocation is announced when decided …
        assert items == [("王五", True, [("AVIATION_FLIGHT", "allow_with_permission")])]  # … not yet in force
    runner = world.app.test_cli_runner()
    today(back_on - dt.timedelta(days=1))
    runner.invoke(args=["listings", "sweep"])
    assert _feed(world.aviation, after)[0] == []  # the lift still holds on its last day
    today(back_on)
    assert "1 restriction/permission" in runner.invoke(args=["listings", "sweep"]).output
    items, after = _feed(world.aviation, after)
    assert items == [("王五", True, [("AVIATION_FLIGHT", "deny")])]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"identifier": "11010519800517093"}, "identifier", "identifier.format"),  # 17 digits
        ({"identifier": "abc"}, "identifier", "identifier.format"),
        ({"name": "张三", "identifier": "not-an-id"}, "identifier", "identifier.format"),
        ({"name": " "}, "name", "screening.empty"),
        ({"name": "·…"}, "name", "screening.empty"),
        ({"name": "张伟", "identifier": "*" * 18}, "identifier", "identifier.nothing_visible"),
        ({"identifier": "＊" * 18}, "identifier", "identifier.nothing_visible"),
    ],
)
def test_unusable_queries_are_refused_not_cleared(world, body, field, code):
    """A careless partner must not read "clear" into a query that had nothing to compare."""
    response = world.hotel.post("/screening/", body)
    assert response.status_code == 422, response.json
    assert [(e["field"], e["code"]) for e in response.json["errors"]] == [(field, code)]
    batch = world.hotel.post("/screening/batch", {"items": [{"name": "李四"}, body]})
    assert batch.status_code == 422
    assert batch.json["errors"][0]["field"].startswith("items.1")


def test_a_mask_with_a_few_digits_is_answered_but_is_no_evidence(world, listed_person):
    """The other side of ``identifier.nothing_visible``: one visible digit is accepted, reported as
    ``mask_too_few`` and weighs nothing, so the name alone stays review (a name never matches, issue 4)."""
    answer = _screen(world.aviation, name="张伟", identifier=person_id(BORN)[0] + "*" * 17)
    assert answer["band"] == "review"
    id_feature = next(f for f in answer["matches"][0]["explanation"] if f["name"] == "id")
    assert (id_feature["level"], id_feature["weight"], id_feature["detail"]["visible_digits"]) == (
        "mask_too_few",
        0.0,
        1,
    )


def test_an_identifier_with_a_wrong_check_digit_is_still_read_as_a_typo(world, listed_person):
    debtor, _ = listed_person
    typo = person_id(BORN)[:17] + ("0" if person_id(BORN)[17] != "0" else "1")
    answer = world.aviation.post("/screening/", {"name": "张伟", "identifier": typo})
    assert answer.status_code == 200
    assert [m["subject"]["ref"] for m in answer.json["matches"]] == [debtor["id"]]


def test_screening_as_of_a_past_day_replays_the_list_then(world, listed_person, desk, today):
    """D1: a partner can replay its screening of an earlier day (a receipt), from the records' dates."""
    debtor, case = listed_person
    desk.fact(case["id"], "full_performance", "2026-11-21")
    body = {"name": "张伟", "identifier": person_id(BORN)}
    now = world.aviation.post("/screening/", body).json
    assert (now["band"], now["on"]) == ("clear", "2026-11-21")
    then = world.aviation.client.post(
        "/screening/?as_of=2026-11-20", json=body, headers=world.aviation._headers()
    ).json
    assert (then["band"], then["on"]) == ("match", "2026-11-20")
    assert [m["subject"]["ref"] for m in then["matches"]] == [debtor["id"]]
    assert then["list_version"] == now["list_version"]  # computed on everything recorded so far
    batch = world.aviation.client.post(
        "/screening/batch?as_of=2026-11-20", json={"items": [body]}, headers=world.aviation._headers()
    ).json
    assert batch["results"][0]["band"] == "match"
    future = world.aviation.client.post(
        "/screening/?as_of=2026-11-22", json=body, headers=world.aviation._headers()
    )
    assert (future.status_code, future.json["code"]) == (422, "date.future")


def test_building_the_index_freezes_the_long_lived_heap(app, world, listed_person):
    """Full collections walk only what was allocated after the index was built: the modules, pypinyin's
    dictionaries and the index itself are frozen with it (gc.freeze), instead of being walked again every
    few batches."""
    import gc

    from blacklist_service.services import screening

    long_lived = [object()]  # a container alive when the index is built
    gc.unfreeze()
    app.extensions["screening"].index = None
    screening.warm_up(app)
    assert len(app.extensions["screening"].index) == 1
    assert gc.get_freeze_count() > 0
    assert not any(o is long_lived for o in gc.get_objects())  # frozen: no longer in any generation


def _replay(partner, day: str, body: dict) -> dict:
    response = partner.client.post(f"/screening/?as_of={day}", json=body, headers=partner._headers())
    assert response.status_code == 200, response.json
    return response.json


def test_alternating_past_days_are_built_once_each_and_today_is_never_evicted(
    app, world, listed_person, builds
):
    """D1 replays: a partner alternating between two past days does not rebuild an index at every request,
    and replays never push out the live index of today."""
    body = {"name": "张伟", "identifier": person_id(BORN)}
    assert world.aviation.post("/screening/", body).json["band"] == "match"
    live = app.extensions["screening"].index
    built_today = len(builds)
    bands = [_replay(world.aviation, day, body)["band"] for day in ["2026-11-19", "2026-03-31"] * 3]
    assert bands == ["match", "clear"] * 3  # listed on 2026-04-01: each day answered from its own index
    assert builds[built_today:] == [dt.date(2026, 11, 19), dt.date(2026, 3, 31)]
    assert world.aviation.post("/screening/", body).json["band"] == "match"
    assert app.extensions["screening"].index is live and len(builds) == built_today + 2


def test_past_days_beyond_the_memory_bound_are_rebuilt_and_a_new_event_drops_them(
    app, world, listed_person, desk, builds
):
    from blacklist_service.services import screening

    body = {"name": "张伟", "identifier": person_id(BORN)}
    app.config["REPLAY_RATE_LIMIT"] = "100 per minute"  # five builds here: the cache is tested, not the throttle
    # BLACKLIST_PAST_INDEX_MIB=0: the last day only
    app.extensions["screening"].past = screening.PastIndices(0)
    for day in ["2026-11-19", "2026-11-20", "2026-11-20", "2026-11-19"]:
        _replay(world.aviation, day, body)
    assert builds == [dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 19)]
    app.extensions["screening"].past = screening.PastIndices(2**30)
    _replay(world.aviation, "2026-11-19", body)
    desk.person(name="李娜", born=dt.date(1990, 1, 2))  # any event: a past day's list may read otherwise (D9)
    assert _replay(world.aviation, "2026-11-19", body)["band"] == "match"
    assert builds[3:] == [dt.date(2026, 11, 19), dt.date(2026, 11, 19)]
