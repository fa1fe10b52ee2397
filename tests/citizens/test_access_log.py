"""GET /access-log: the data-protection reader's view of who looked up whom (admin keys only)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from blacklist_service.extensions import db
from blacklist_service.models import Principal
from tests.support import person_id

BORN = dt.date(1980, 5, 17)
ME = {"name": "张三", "id_number": person_id(BORN)}


@pytest.fixture
def looked_up(desk, world):
    """张三 (listed) looked up four ways; 李四 (listed) once by a court; a stranger's self-check finds no one."""
    me = desk.person()
    other = desk.person("李四", seq="117")
    for subject in (me, other):
        assert desk.list(desk.case(subject["id"])["id"]).status_code == 201
    assert world.public.post("/public/self-check", ME).status_code == 200
    stranger = {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))}
    assert world.public.post("/public/self-check", stranger).status_code == 200
    screened = world.aviation.post("/screening/", {"name": "张三", "identifier": ME["id_number"]})
    assert screened.status_code == 200, screened.json
    assert world.public.get("/public/dishonest-debtors", name="张三").json["total"] == 1
    assert desk.client.get(f"/debtors/{other['id']}").status_code == 200
    return me["id"], other["id"]


def _principal_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Principal.id).where(Principal.name == name))


def test_who_looked_up_a_subject_newest_first(world, looked_up):
    me, _ = looked_up
    page = world.admin.get("/access-log/", subject_id=me)
    assert page.status_code == 200, page.json
    assert [x["action"] for x in page.json["items"]] == ["public_search", "screen", "self_check"]
    assert all(x["subject_ids"] == [me] for x in page.json["items"])
    assert page.json["total"] == 3 and (page.json["page"], page.json["page_size"]) == (1, 20)
    ids = [x["id"] for x in page.json["items"]]
    assert ids == sorted(ids, reverse=True)
    keyless, screening = page.json["items"][0], page.json["items"][1]
    assert (keyless["client"], keyless["principal_id"]) == ("127.0.0.1", None)
    assert screening["principal_id"] is not None and screening["client"] is None
    assert len(screening["query_digest"]) == 64 and screening["reference"]


def test_the_log_holds_and_shows_no_id_number(world, looked_up):
    page = world.admin.get("/access-log/", page_size=200)
    assert ME["id_number"] not in page.get_data(as_text=True)
    assert ME["id_number"][:10] not in page.get_data(as_text=True)  # not even its published part
    assert set(page.json["items"][0]) == {
        "id",
        "at",
        "action",
        "principal_id",
        "client",
        "query_digest",
        "subject_ids",
        "reference",
    }


def test_filters_by_key_action_and_time_and_pages(app, world, looked_up, desk):
    _, other = looked_up
    court = _principal_id(app, "朝阳法院执行局")  # world.court's key
    by_court = world.admin.get("/access-log/", principal_id=court, action="read").json
    assert [(x["principal_id"], x["subject_ids"]) for x in by_court["items"]] == [(court, [other])]
    self_checks = world.admin.get("/access-log/", action="self_check").json
    assert [x["subject_ids"] for x in self_checks["items"]] == [[], [looked_up[0]]]  # the stranger's: no one
    everything = world.admin.get("/access-log/", page_size=200).json
    newest = everything["items"][0]
    since_newest = world.admin.get("/access-log/", since=newest["at"], action=newest["action"]).json
    assert newest["id"] in [x["id"] for x in since_newest["items"]]
    assert newest["id"] not in [
        x["id"] for x in world.admin.get("/access-log/", until=newest["at"]).json["items"]
    ]
    assert world.admin.get("/access-log/", until="2000-01-01T00:00:00Z").json["total"] == 0
    in_beijing = world.admin.get("/access-log/", since="2000-01-01T08:00:00+08:00", action="screen").json
    assert in_beijing["total"] == 1
    second = world.admin.get("/access-log/", action="self_check", page_size=1, page=2).json
    assert ([x["id"] for x in second["items"]], second["total"]) == ([self_checks["items"][1]["id"]], 2)


def test_only_an_admin_key_reads_the_log(world, looked_up):
    assert world.court.get("/access-log/").status_code == 403
    assert world.aviation.get("/access-log/").status_code == 403
    assert world.public.get("/access-log/").status_code == 401


def test_reading_the_log_is_itself_logged(app, world, looked_up):
    """Who reads who looked up whom is accountable too, even for an empty answer ("nobody looked up X")."""
    me, other = looked_up
    admin = _principal_id(app, "运维")
    world.admin.get("/access-log/", subject_id=me)
    world.admin.get("/access-log/", action="self_check", since="2099-01-01T00:00:00Z")  # empty page
    reads = world.admin.get("/access-log/", principal_id=admin).json["items"]
    assert [(x["action"], x["reference"], x["subject_ids"]) for x in reads] == [
        ("read", "access_log:search", []),
        ("read", "access_log:search", [me]),
    ]
    assert reads[0]["query_digest"] != reads[1]["query_digest"]  # what was asked, as a keyed hash
    about_other = world.admin.get("/access-log/", subject_id=other).json["items"]
    assert about_other[0]["action"] == "read" and about_other[0]["principal_id"] != admin  # the court's


def test_asking_about_no_one_is_an_empty_page(app, world, looked_up):
    absent = world.admin.get("/access-log/", subject_id=99_999)
    assert (absent.status_code, absent.json["total"]) == (200, 0)
    admin = _principal_id(app, "运维")
    (read,) = world.admin.get("/access-log/", principal_id=admin).json["items"]
    assert read["subject_ids"] == []


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"action": "peek"}, "action", "access_log.action"),
        ({"subject_id": 0}, "subject_id", "id.range"),
        ({"subject_id": 2**31}, "subject_id", "id.range"),
        ({"since": "yesterday"}, "since", "datetime.invalid"),
        ({"since": "2026-11-22T00:00:00Z", "until": "2026-11-21T00:00:00Z"}, "until", "datetime.order"),
        ({"page": 0}, "page", "page.range"),
    ],
)
def test_bad_queries_are_refused_with_a_code_and_log_nothing(app, world, looked_up, params, field, code):
    before = world.admin.get("/access-log/").json["total"]
    refused = world.admin.get("/access-log/", **params)
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json["errors"]] == [(field, code)], refused.json
    assert world.admin.get("/access-log/").json["total"] == before + 1  # only the previous read was logged


def test_by_subject_is_an_index_lookup(app, looked_up):
    """The subjects are in an indexed table, not a JSON list: no scan of the whole log (SQLite's plan)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's query plan")
    with app.app_context():
        plan = db.session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT a.id FROM access_log a JOIN access_log_subjects s"
                " ON s.access_log_id = a.id WHERE s.subject_id = :me ORDER BY a.id DESC"
            ),
            {"me": looked_up[0]},
        ).all()
    steps = " / ".join(row[-1] for row in plan)
    assert "ix_access_log_subjects_subject_id_access_log_id" in steps and "SCAN a" not in steps, steps
