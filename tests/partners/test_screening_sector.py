"""Sector scoping of screening answers: the sector is applied before the limit, namesakes are counted within
the sector, and a match shows only the records that ground the sector's measures (issue 4: "nothing about
other sectors")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import Client, person_id

LISTED_LI_SI_BORN = dt.date(1990, 6, 6)


def _partner(world, sector: str) -> Client:
    from blacklist_service.auth import create_key
    from blacklist_service.extensions import db
    from blacklist_service.models import Role

    with world.app.app_context():
        key = create_key(f"partner {sector}", Role.PARTNER, sector=sector)[1]
        db.session.commit()
    return Client(world.public.client, key)


def _screen(client: Client, **body):
    response = client.post("/screening/", body)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def li_si_everywhere(desk):
    """Ten listed companies whose legal representative is called 李四 (restricted with them, never listed:
    RULE-1, C-ORG-1) and one 李四 listed in his own right."""
    for i in range(10):
        company = desk.company(
            name=f"北京某{i}科技有限公司",
            body=f"91110105MA0{i}ABCD",
            legal_representative=("李四", dt.date(1970, 1, 1 + i)),
        )
        assert desk.list(desk.case(company["id"])["id"]).status_code == 201
    person = desk.person(name="李四", born=LISTED_LI_SI_BORN)
    assert desk.list(desk.case(person["id"])["id"]).status_code == 201
    return person


@pytest.mark.parametrize("limit", [1, 10, 50])
def test_an_in_sector_debtor_is_not_pushed_out_by_namesakes_outside_the_sector(
    world, li_si_everywhere, limit
):
    """Procurement measures reach listed debtors only: the ten key persons are none of its business, and
    must neither push the listed 李四 out of the first ``limit`` matches nor be counted as his namesakes."""
    procurement = _partner(world, "procurement")
    answer = _screen(procurement, name="李四", limit=limit)
    assert answer["band"] == "review"
    assert [(m["subject"]["ref"], m["namesakes"]) for m in answer["matches"]] == [(li_si_everywhere["id"], 1)]


def test_a_sector_that_concerns_every_namesake_sees_and_counts_them_all(world, li_si_everywhere):
    """The other side: flights are banned to the key persons too, so aviation sees eleven 李四."""
    answer = _screen(world.aviation, name="李四", limit=50)
    assert len(answer["matches"]) == 11
    assert {m["namesakes"] for m in answer["matches"]} == {11}
    assert len(_screen(world.aviation, name="李四", limit=3)["matches"]) == 3


def test_namesakes_with_a_contradicting_id_are_counted_within_the_sector(world, li_si_everywhere):
    procurement = _partner(world, "procurement")
    answer = _screen(procurement, name="李四", identifier=person_id(LISTED_LI_SI_BORN))
    assert [(m["band"], m["namesakes"]) for m in answer["matches"]] == [("match", 1)]
    assert (
        _screen(world.aviation, name="李四", identifier=person_id(LISTED_LI_SI_BORN))["matches"][0][
            "namesakes"
        ]
        == 11
    )


def test_batch_answers_each_row_within_the_sector(world, li_si_everywhere):
    procurement = _partner(world, "procurement")
    response = procurement.post(
        "/screening/batch", {"items": [{"name": "李四", "limit": 1}, {"name": "王小明"}]}
    )
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [r["band"] for r in results] == ["review", "clear"]
    assert [m["subject"]["ref"] for m in results[0]["matches"]] == [li_si_everywhere["id"]]


@pytest.fixture
def representative_also_listed(desk):
    """A listed company's legal representative (restricted with it, C-ORG-1) who is listed in his own case."""
    company = desk.company()
    company_case = desk.case(company["id"])
    assert desk.list(company_case["id"]).status_code == 201
    representative = company["key_persons"][0]["person"]
    own_case = desk.case(representative["id"])
    assert desk.list(own_case["id"]).status_code == 201
    return representative, own_case, company_case


def test_a_match_shows_only_the_records_that_ground_the_sectors_measures(world, representative_also_listed):
    """Procurement's measure reaches him as a listed debtor: his own listing grounds it; the company's case
    and his key-person restriction (consumption data of another debtor's case) ground nothing of it."""
    representative, own_case, company_case = representative_also_listed
    procurement = _partner(world, "procurement")
    match = _screen(procurement, name=representative["name"], identifier=representative["identifier"])[
        "matches"
    ][0]
    assert [m["code"] for m in match["measures"]] == ["PROCUREMENT_SUPPLIER"]
    assert [(r["type"], r["case_number"]) for r in match["records"]] == [("listing", own_case["number"])]
    assert company_case["number"] not in str(match)


def test_a_sector_whose_measures_reach_key_persons_sees_the_key_person_restriction(
    world, representative_also_listed
):
    """Aviation: the flight ban reaches him both as a debtor and as the company's legal representative."""
    representative, own_case, company_case = representative_also_listed
    match = _screen(world.aviation, name=representative["name"], identifier=representative["identifier"])[
        "matches"
    ][0]
    keyed = [r for r in match["records"] if r.get("capacity") == "key_person"]
    assert [(r["case_number"], r["role"]) for r in keyed] == [
        (company_case["number"], "legal_representative")
    ]
    own = [(r["type"], r.get("capacity")) for r in match["records"] if r["case_number"] == own_case["number"]]
    assert own == [("listing", None), ("restriction", "debtor")]


def test_a_restricted_key_person_shows_his_restriction_to_a_sector_it_grounds(world, desk):
    """Not listed himself: the key-person restriction is the only record, and it grounds aviation's ban."""
    company = desk.company()
    company_case = desk.case(company["id"])
    desk.list(company_case["id"])
    representative = company["key_persons"][0]["person"]
    match = _screen(world.aviation, name=representative["name"], identifier=representative["identifier"])[
        "matches"
    ][0]
    assert [(r["type"], r["case_number"], r["capacity"]) for r in match["records"]] == [
        ("restriction", company_case["number"], "key_person")
    ]


def test_what_a_sector_sees_follows_the_register_at_once(world, desk, li_si_everywhere):
    """The per-process cache of who concerns which sector is dropped with every event (rule three)."""
    procurement = _partner(world, "procurement")
    assert _screen(procurement, name="李四")["band"] == "review"
    case = desk.client.get("/cases/", debtor_id=li_si_everywhere["id"]).json["items"][0]
    assert desk.fact(case["id"], "full_performance", "2026-11-20").status_code == 201
    assert (_screen(procurement, name="李四")["band"], _screen(procurement, name="李四")["matches"]) == (
        "clear",
        [],
    )
    assert len(_screen(world.aviation, name="李四", limit=50)["matches"]) == 10


def test_the_sectors_read_from_columns_are_those_the_full_records_give(
    world, desk, representative_also_listed
):
    """``sectors_of`` (which candidates a sector may see) must agree with ``decide_all`` on the statuses the
    answers are built from, for every kind of subject: a listed debtor, a restricted one with a humanitarian
    lift, a listed company, its key person also listed himself, a key person of a company only restricted."""
    from blacklist_service.models import Subject
    from blacklist_service.services.screening import sectors_of
    from blacklist_service.services.status import standings
    from sanctions.decide import decide_all

    restricted = desk.case(desk.person(name="王五", born=dt.date(1981, 1, 1))["id"])
    assert desk.restrict(restricted["id"], order_date="2026-11-20").status_code == 201
    restriction_id = desk.client.get("/restrictions/", case_id=restricted["id"]).json["items"][0]["id"]
    lift = {"kind": "humanitarian", "valid_from": "2026-11-20", "valid_until": "2026-12-20"}
    lift |= {"approved_by": "院长 赵六", "reason": "medical"}
    assert desk.client.post(f"/restrictions/{restriction_id}/permissions", lift).status_code == 201
    only_restricted = desk.company(
        name="上海某某贸易有限公司",
        body="91310101MA01WXY1",
        legal_representative=("赵七", dt.date(1972, 2, 2)),
    )
    assert desk.restrict(desk.case(only_restricted["id"])["id"], order_date="2026-11-20").status_code == 201
    with world.app.app_context():
        from blacklist_service.extensions import db

        subjects = list(db.session.scalars(db.select(Subject)))
        on = dt.date(2026, 11, 21)
        full = {
            subject_id: frozenset(d.measure.sector for d in decide_all(standing.status, on))
            for subject_id, standing in standings(subjects, on).items()
        }
        assert sectors_of({s.id for s in subjects}, on) == full
        assert len(full) == 5 and all(full.values())  # each of the five concerns some sector


def test_only_sectors_whose_measures_reach_every_entry_skip_the_namesake_look_up():
    """The shortcut (every namesake is the sector's) holds for consumption sectors, whose bans reach the
    debtor and all four key persons (C-ORG-1); not where a measure needs a listing (procurement), nor where
    one key role is out of reach (exit control spares the actual controller: CPL Art. 266)."""
    from blacklist_service.services.screening import concerns_every_entry
    from sanctions.catalogue import Sector

    assert all(map(concerns_every_entry, (Sector.AVIATION, Sector.HOTELS, Sector.RAIL)))
    assert not any(map(concerns_every_entry, (Sector.PROCUREMENT, Sector.EXIT_CONTROL, Sector.CREDIT)))
