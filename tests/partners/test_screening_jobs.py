"""Asynchronous screening jobs as of a past day (D1): the list as it stood then, one version per job."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.support import Client, person_id

BORN = dt.date(1980, 5, 17)
WAIT = 30  # seconds: a gate never waits longer, so a broken test fails instead of hanging


@pytest.fixture
def removed_today(desk):
    """张伟, listed on 2026-04-01 (case filed 2026-03-02), removed by full performance on today, 2026-11-21."""
    debtor = desk.person(name="张伟")
    case = desk.case(debtor["id"])
    assert desk.list(case["id"]).status_code == 201
    assert desk.fact(case["id"], "full_performance", "2026-11-21").status_code == 201
    return debtor


def _post(client: Client, path: str, body: Any, **query: str):
    return client.client.post(path, json=body, query_string=query, headers=client._headers())


def _submit(client: Client, items: list[dict[str, Any]], **query: str) -> str:
    started = _post(client, "/screening/jobs", {"items": items}, **query)
    assert started.status_code == 202, started.json
    return str(started.json["id"])


def _finish(client: Client, job_id: str) -> dict[str, Any]:
    deadline = time.time() + 60
    while (job := client.get(f"/screening/jobs/{job_id}").json)["status"] in {"queued", "running"}:
        assert time.time() < deadline
        time.sleep(0.02)
    assert job["status"] == "done", job
    return job


def _lines(client: Client, job_id: str) -> list[dict[str, Any]]:
    download = client.get(f"/screening/jobs/{job_id}/result")
    assert download.status_code == 200
    lines = [json.loads(line) for line in download.data.decode().splitlines()]
    download.close()
    return lines


def _live_version(client: Client) -> int:
    return int(client.get("/screening/index").json["list_version"])


ITEMS = [
    {"reference": "r1", "name": "张伟", "identifier": person_id(BORN)},
    {"reference": "r2", "name": "王小明"},
]


def test_a_job_as_of_a_past_day_screens_against_the_list_then(world, removed_today):
    partner = world.aviation
    version = _live_version(partner)

    # Without as_of: today's list, exactly as before (the listing is gone).
    now_id = _submit(partner, ITEMS)
    now = _finish(partner, now_id)
    assert (now["as_of"], now["list_version"], now["matched"]) == (None, version, 0)
    assert [(a["reference"], a["band"], a["on"]) for a in _lines(partner, now_id)] == [
        ("r1", "clear", "2026-11-21"),
        ("r2", "clear", "2026-11-21"),
    ]

    # The day before the removal: still listed.
    then_id = _submit(partner, ITEMS, as_of="2026-11-20")
    then = _finish(partner, then_id)
    assert (then["as_of"], then["list_version"], then["matched"]) == ("2026-11-20", version, 1)
    lines = _lines(partner, then_id)
    assert [(a["reference"], a["band"], a["on"], a["list_version"]) for a in lines] == [
        ("r1", "match", "2026-11-20", version),
        ("r2", "clear", "2026-11-20", version),
    ]
    assert [m["subject"]["ref"] for m in lines[0]["matches"]] == [removed_today["id"]]
    assert [m["code"] for m in lines[0]["matches"][0]["measures"]] == ["AVIATION_FLIGHT"]
    # The same answer as one request as of that day (but for its own screening id).
    single = _post(partner, "/screening/", ITEMS[0], as_of="2026-11-20").json
    assert {k: v for k, v in lines[0].items() if k != "screening_id"} == {
        k: v for k, v in single.items() if k != "screening_id"
    }

    # Before the listing existed: nothing to find.
    before_id = _submit(partner, ITEMS, as_of="2026-03-01")
    before = _finish(partner, before_id)
    assert (before["as_of"], before["matched"]) == ("2026-03-01", 0)
    assert [(a["band"], a["on"]) for a in _lines(partner, before_id)] == [
        ("clear", "2026-03-01"),
        ("clear", "2026-03-01"),
    ]


def test_a_job_as_of_today_is_todays_list(world, removed_today):
    job_id = _submit(world.aviation, ITEMS, as_of="2026-11-21")
    job = _finish(world.aviation, job_id)
    version = _live_version(world.aviation)
    assert (job["as_of"], job["list_version"], job["matched"]) == ("2026-11-21", version, 0)
    assert {(a["band"], a["on"]) for a in _lines(world.aviation, job_id)} == {("clear", "2026-11-21")}


@pytest.mark.parametrize(("as_of", "code"), [("2026-11-22", "date.future"), ("2026-02-30", "date.invalid")])
def test_a_job_as_of_a_future_or_impossible_day_is_refused_and_queues_nothing(world, app, as_of, code):
    from blacklist_service.extensions import db
    from blacklist_service.models import ScreeningJob
    from blacklist_service.services.jobs import result_path

    refused = _post(world.aviation, "/screening/jobs", {"items": ITEMS}, as_of=as_of)
    assert refused.status_code == 422, refused.json
    assert (refused.json["code"], refused.json["errors"][0]["field"]) == (code, "as_of")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScreeningJob)) == 0
        assert not result_path("x", 1).parent.exists()  # no job ever ran


class Gates:
    """Pause a job's worker thread at chosen points, from the test's thread."""

    def __init__(self) -> None:
        self.reached: dict[str, threading.Event] = {}
        self.released: dict[str, threading.Event] = {}
        self.opened = False  # after the test: nothing pauses any more
        self._lock = threading.Lock()

    def _pair(self, name: str) -> tuple[threading.Event, threading.Event]:
        with self._lock:
            reached = self.reached.setdefault(name, threading.Event())
            released = self.released.setdefault(name, threading.Event())
            if self.opened:
                released.set()
            return reached, released

    def pause(self, name: str) -> None:
        """Called in the job's thread."""
        reached, released = self._pair(name)
        reached.set()
        released.wait(WAIT)

    def wait_for(self, name: str) -> None:
        assert self._pair(name)[0].wait(WAIT), f"the job never reached {name}"

    def release(self, name: str) -> None:
        self._pair(name)[1].set()

    def open(self) -> None:
        with self._lock:
            self.opened = True
            for released in self.released.values():
                released.set()


def _in_job() -> bool:
    return threading.current_thread().name.startswith("screening-")


@pytest.fixture
def gates(monkeypatch):
    """Gate "chunk N": before a replaying job screens its N-th chunk (one row each); gate "build": inside the
    job's build of its past-day index (``past_lock`` held)."""
    from blacklist_service.services import jobs, screening

    gates = Gates()
    entries, replay_screen = screening._entries_in_force, jobs._Replay.screen
    chunks = 0

    def gated_entries(day):
        if _in_job():
            gates.pause("build")
        yield from entries(day)

    def gated_replay_screen(self, chunk, sector):
        nonlocal chunks
        chunks += 1
        gates.pause(f"chunk {chunks}")
        return replay_screen(self, chunk, sector)

    monkeypatch.setattr(jobs, "CHUNK", 1)
    monkeypatch.setattr(screening, "_entries_in_force", gated_entries)
    monkeypatch.setattr(jobs._Replay, "screen", gated_replay_screen)
    yield gates
    gates.open()


def test_a_replaying_job_neither_blocks_live_screening_nor_loses_its_day_to_another(
    world, app, desk, removed_today, gates
):
    partner = world.aviation
    state = app.extensions["screening"]
    v0 = _live_version(partner)
    job_id = _submit(partner, [ITEMS[0]] * 3, as_of="2026-11-20")
    gates.release("chunk 1")

    # The job builds its past-day index under past_lock; the live index is not waiting for it.
    gates.wait_for("build")
    assert state.past_lock.locked()
    started = time.monotonic()
    assert _live_version(partner) == v0  # GET /screening/index refreshes the live index (its own lock)
    assert time.monotonic() - started < 5
    gates.release("build")

    # Between chunks the log moves on and a partner replays another day: the cache now holds that day …
    gates.wait_for("chunk 2")
    other = desk.person(name="李娜", born=dt.date(1985, 1, 2))
    assert desk.list(desk.case(other["id"])["id"], decision_date="2026-11-21").status_code == 201
    v1 = _live_version(partner)
    assert v1 > v0
    # (the job's day, at the older version, was dropped when the log moved on)
    march = _post(partner, "/screening/", ITEMS[0], as_of="2026-03-01").json
    assert (march["band"], march["on"], march["list_version"]) == ("clear", "2026-03-01", v1)
    assert (list(state.past.days), state.past.version) == ([dt.date(2026, 3, 1)], v1)
    gates.release("chunk 2")
    gates.release("chunk 3")

    # … and the job still answers every row on its own day and the version it started on.
    job = _finish(partner, job_id)
    assert (job["as_of"], job["list_version"], job["matched"]) == ("2026-11-20", v0, 3)
    assert [(a["band"], a["on"], a["list_version"]) for a in _lines(partner, job_id)] == [
        ("match", "2026-11-20", v0)
    ] * 3
    # The cache was not disturbed by the job: the other day's answer still stands, and asking for the job's
    # day again builds it afresh at the current version.
    assert (list(state.past.days), state.past.version) == ([dt.date(2026, 3, 1)], v1)
    again = _post(partner, "/screening/", ITEMS[0], as_of="2026-11-20").json
    assert (again["band"], again["list_version"]) == ("match", v1)


def test_a_job_as_of_today_keeps_its_day_when_the_date_changes_while_it_runs(world, desk, gates, today):
    """Started as of today on the live index; after midnight the remaining rows are answered on the same day
    (from the past-day index), not on the new day."""
    partner = world.aviation
    case = desk.case(desk.person(name="张伟")["id"])
    assert desk.list(case["id"]).status_code == 201
    _live_version(partner)  # the live index is built (the "build" gate is for the past-day one)
    job_id = _submit(partner, [ITEMS[0]] * 2, as_of="2026-11-21")
    gates.release("chunk 1")
    gates.wait_for("chunk 2")
    today(dt.date(2026, 11, 22))
    assert desk.fact(case["id"], "full_performance", "2026-11-22").status_code == 201
    assert _post(partner, "/screening/", ITEMS[0]).json["band"] == "clear"  # the new day's list
    gates.release("build")
    gates.release("chunk 2")
    job = _finish(partner, job_id)
    assert gates.reached["build"].is_set()  # the second chunk was answered from the past-day index
    assert job["as_of"] == "2026-11-21"
    assert [(a["band"], a["on"]) for a in _lines(partner, job_id)] == [("match", "2026-11-21")] * 2
