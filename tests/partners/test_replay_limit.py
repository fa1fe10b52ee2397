"""``as_of`` replays (D1) that need a new index are limited per key (``BLACKLIST_REPLAY_RATE_LIMIT``).

Each past day not in the worker's cache is an index built from the database: seconds at 100 000 entries,
some 11 s at 1 000 000. A key sending one new day after another would keep a worker busy building; it is
refused (429 ``replay.too_many`` with Retry-After) once its budget is spent. A replay served from the cache
costs nothing and is not counted; live screening is never limited by it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from blacklist_service.extensions import db
from blacklist_service.models import AccessLog, ScreeningJob
from tests.partners.test_screening_jobs import _finish
from tests.support import Client, person_id

BORN = dt.date(1980, 5, 17)
BODY = {"name": "张伟", "identifier": person_id(BORN)}
DAY_1, DAY_2, DAY_3 = "2026-11-18", "2026-11-19", "2026-11-20"


@pytest.fixture
def limited(app, desk):
    """张伟 listed; two replays of new days a minute per key."""
    case = desk.case(desk.person(name="张伟")["id"])
    assert desk.list(case["id"]).status_code == 201
    app.config["REPLAY_RATE_LIMIT"] = "2 per minute"


def _post(client: Client, path: str, body: Any, **query: str):
    return client.client.post(path, json=body, query_string=query, headers=client._headers())


def _replay(client: Client, day: str):
    return _post(client, "/screening/", BODY, as_of=day)


def _logged(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessLog))


def _assert_limited(response) -> None:
    assert response.status_code == 429, response.json
    assert response.json["code"] == "replay.too_many"
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_a_key_replaying_new_days_is_refused_once_its_budget_is_spent(app, world, limited, builds):
    assert [_replay(world.aviation, day).status_code for day in (DAY_1, DAY_2)] == [200, 200]
    logged, built = _logged(app), list(builds)
    refused = _replay(world.aviation, DAY_3)
    _assert_limited(refused)
    assert (_logged(app), builds) == (logged, built)  # nothing built, nothing logged for it
    # Another key has its own budget.
    answer = _replay(world.hotel, DAY_3)
    assert (answer.status_code, answer.json["band"]) == (200, "match")


def test_days_served_from_the_cache_are_not_counted(world, limited, builds):
    days = [DAY_1, DAY_1, DAY_2, DAY_1, DAY_2, DAY_2]
    assert [_replay(world.aviation, day).status_code for day in days] == [200] * len(days)
    assert [str(day) for day in builds if str(day) != "2026-11-21"] == [DAY_1, DAY_2]  # two builds, two spent
    _assert_limited(_replay(world.aviation, DAY_3))


def test_a_batch_replay_counts_once_like_one_subject(world, limited):
    batch = _post(world.aviation, "/screening/batch", {"items": [BODY] * 3}, as_of=DAY_1)
    assert batch.status_code == 200, batch.json
    assert _replay(world.aviation, DAY_2).status_code == 200
    _assert_limited(_post(world.aviation, "/screening/batch", {"items": [BODY]}, as_of=DAY_3))


def test_live_screening_is_not_limited(world, limited):
    assert [_replay(world.aviation, day).status_code for day in (DAY_1, DAY_2)] == [200, 200]
    _assert_limited(_replay(world.aviation, DAY_3))
    live = [
        _post(world.aviation, "/screening/", BODY),
        _post(world.aviation, "/screening/", BODY, as_of="2026-11-21"),  # today: the live index
        _post(world.aviation, "/screening/batch", {"items": [BODY]}),
    ]
    assert [r.status_code for r in live] == [200, 200, 200]


def test_a_job_replaying_a_new_day_counts_and_is_refused_before_it_is_accepted(app, world, limited):
    assert [_replay(world.aviation, day).status_code for day in (DAY_1, DAY_2)] == [200, 200]
    _assert_limited(_post(world.aviation, "/screening/jobs", {"items": [BODY]}, as_of=DAY_3))
    with app.app_context():
        assert db.session.scalar(select(ScreeningJob)) is None
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))  # its rows not kept
    cached = _post(world.aviation, "/screening/jobs", {"items": [BODY]}, as_of=DAY_1)
    assert cached.status_code == 202, cached.json
    assert _finish(world.aviation, cached.json["id"])["as_of"] == DAY_1
    live = _post(world.aviation, "/screening/jobs", {"items": [BODY]})
    assert live.status_code == 202, live.json
    assert _finish(world.aviation, live.json["id"])["as_of"] is None  # not left running into the next test


def test_an_accepted_job_spends_the_budget_of_its_new_day(world, limited):
    job = _post(world.aviation, "/screening/jobs", {"items": [BODY]}, as_of=DAY_1)
    assert job.status_code == 202, job.json
    _finish(world.aviation, job.json["id"])
    assert _replay(world.aviation, DAY_2).status_code == 200
    _assert_limited(_replay(world.aviation, DAY_3))
