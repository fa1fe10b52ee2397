"""A screening job survives the loss of its worker: the next poll resumes it where its last committed chunk
ended, exactly once per row, and an attempt that was only slow stops without writing."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from blacklist_service.extensions import db
from blacklist_service.models import AccessLog, Principal, ScreeningJob
from blacklist_service.models.types import utcnow
from blacklist_service.services import jobs
from tests.partners.test_screening_jobs import WAIT, _finish, _lines, _submit
from tests.support import Desk, person_id

# A worker killed mid-job is simulated by an exception no handler catches; its thread ends with it.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


class WorkerKilled(BaseException):
    """The process running the job stopped (a restart, an out-of-memory kill)."""


ROWS = [
    {"reference": f"r{n}", "name": "张伟", "identifier": person_id(dt.date(1980, 5, 17 + n))}
    for n in range(5)
]


@pytest.fixture
def listed(world):
    """The first row's subject is listed (a match); the others are not on the list."""
    desk = Desk(world.court)
    debtor = desk.person(name="张伟", born=dt.date(1980, 5, 17))
    assert desk.list(desk.case(debtor["id"])["id"]).status_code == 201
    return desk


@pytest.fixture
def chunks_of_two(monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 2)


def _attempt() -> int | None:
    """The attempt a job thread runs (its name ends with it), None outside a job."""
    name = threading.current_thread().name
    return int(name.rsplit("-", 1)[1]) if name.startswith("screening-") else None


def _interfere(monkeypatch, before_chunk: Callable[[int, int], None]) -> None:
    """Call ``before_chunk(attempt, n)`` in the job's thread before it screens its n-th chunk (from 1)."""
    screen, counts = jobs.screening.screen, {}

    def screened(requests, sector, on=None):
        if (attempt := _attempt()) is not None:
            counts[attempt] = counts.get(attempt, 0) + 1
            before_chunk(attempt, counts[attempt])
        return screen(requests, sector, on)

    monkeypatch.setattr(jobs.screening, "screen", screened)


def _worker_dies_at_second_chunk(attempt: int, n: int) -> None:
    if attempt == 1 and n == 2:
        raise WorkerKilled  # the thread ends as if its process were killed: nothing catches it


def _wait_for_threads_of(job_id: str) -> None:
    for thread in threading.enumerate():
        if thread.name.startswith(f"screening-{job_id}-"):
            thread.join(WAIT)
            assert not thread.is_alive()


def _backdate(app, job_id: str, **ago: dt.timedelta) -> None:
    """Move the job's timestamps into the past: ``heartbeat_at=…``, ``finished_at=…``."""
    with app.app_context():
        db.session.execute(
            update(ScreeningJob)
            .where(ScreeningJob.id == job_id)
            .values({name: utcnow() - delta for name, delta in ago.items()})
        )
        db.session.commit()


def _silence(app, job_id: str, minutes: int = 6) -> None:
    """Make the job's last news older than STALE, as if its worker had died that long ago."""
    _backdate(app, job_id, heartbeat_at=dt.timedelta(minutes=minutes))


def _stored(app, job_id: str) -> ScreeningJob:
    with app.app_context():
        job = db.session.get(ScreeningJob, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def _screenings_logged(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AccessLog).where(AccessLog.action == "screen")
        )


def test_a_job_whose_worker_died_is_resumed_by_the_next_poll_and_answers_each_row_once(
    world, app, listed, chunks_of_two, monkeypatch
):
    _interfere(monkeypatch, _worker_dies_at_second_chunk)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    died = world.aviation.get(f"/screening/jobs/{job_id}").json
    assert (died["status"], died["done"], died["attempts"]) == ("running", 2, 1)  # not yet thought lost

    _silence(app, job_id, minutes=4)  # within STALE: still thought to be running somewhere
    assert world.aviation.get(f"/screening/jobs/{job_id}").json["attempts"] == 1
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert (job["done"], job["matched"], job["attempts"], job["error"]) == (5, 1, 2, None)
    lines = _lines(world.aviation, job_id)
    assert [line["reference"] for line in lines] == [row["reference"] for row in ROWS]
    assert [line["band"] for line in lines] == ["match", "clear", "clear", "clear", "clear"]
    assert _screenings_logged(app) == 5  # the first two rows were not screened again
    with app.app_context():  # the rows and the first attempt's partial result are deleted
        assert not jobs.input_path(job_id).exists()
        assert not jobs.result_path(job_id, 1).exists()
        assert jobs.result_path(job_id, 2).exists()


def test_rows_written_but_never_counted_are_not_carried_over(world, app, listed, chunks_of_two, monkeypatch):
    """The worker died after writing its second chunk to the file but before committing it."""
    commit_second = jobs._own

    def dies_before_committing(job_id, attempt, **changes):
        if attempt == 1 and changes.get("done") == 4:
            raise WorkerKilled
        commit_second(job_id, attempt, **changes)

    monkeypatch.setattr(jobs, "_own", dies_before_committing)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    with app.app_context():
        assert len(jobs.result_path(job_id, 1).read_text().splitlines()) == 4
    assert _stored(app, job_id).done == 2
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert [line["reference"] for line in _lines(world.aviation, job_id)] == [
        row["reference"] for row in ROWS
    ]
    assert (job["done"], job["attempts"]) == (5, 2)
    assert _screenings_logged(app) == 5


def test_a_slow_attempt_taken_over_stops_without_writing(world, app, listed, chunks_of_two, monkeypatch):
    reached, released = threading.Event(), threading.Event()

    def first_attempt_stalls(attempt: int, n: int) -> None:
        if attempt == 1 and n == 2:
            reached.set()
            released.wait(WAIT)

    _interfere(monkeypatch, first_attempt_stalls)
    job_id = _submit(world.aviation, ROWS)
    assert reached.wait(WAIT)
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)  # the poll started attempt 2, which ran to the end
    assert (job["attempts"], job["done"]) == (2, 5)
    released.set()  # attempt 1 wakes up, screens its chunk, and finds the job is no longer its own
    _wait_for_threads_of(job_id)
    after = _stored(app, job_id)
    assert (after.status, after.done, after.attempts, after.error) == ("done", 5, 2, None)
    assert [line["reference"] for line in _lines(world.aviation, job_id)] == [
        row["reference"] for row in ROWS
    ]
    assert _screenings_logged(app) == 5  # attempt 1's late chunk was not logged


def test_two_polls_of_a_lost_job_start_one_attempt(world, app, listed, chunks_of_two, monkeypatch):
    _interfere(monkeypatch, _worker_dies_at_second_chunk)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    _silence(app, job_id)
    started: list[int] = []
    monkeypatch.setattr(jobs, "start", lambda app, job_id, attempt=1: started.append(attempt))
    with app.test_request_context():
        lost = db.session.get(ScreeningJob, job_id)
        assert lost is not None
        db.session.expunge(lost)  # both polls read the job before either claimed it
        jobs._take_over(lost)
        jobs._take_over(lost)
    assert started == [2]
    assert _stored(app, job_id).attempts == 2


def _replay_dies_at_second_chunk(monkeypatch) -> None:
    screen, chunks = jobs._Replay.screen, {"seen": 0}

    def replay_dies(self, chunk, sector):
        if _attempt() == 1:
            chunks["seen"] += 1
            _worker_dies_at_second_chunk(1, chunks["seen"])
        return screen(self, chunk, sector)

    monkeypatch.setattr(jobs._Replay, "screen", replay_dies)


def test_a_replay_resumed_after_the_log_moved_on_starts_over_on_one_version(
    world, app, listed, chunks_of_two, monkeypatch
):
    _replay_dies_at_second_chunk(monkeypatch)
    job_id = _submit(world.aviation, ROWS, as_of="2026-11-20")
    _wait_for_threads_of(job_id)
    first = _stored(app, job_id)
    assert first.done == 2
    other = listed.person(name="李娜", born=dt.date(1985, 1, 2))  # the log moves on
    assert listed.list(listed.case(other["id"])["id"], decision_date="2026-11-21").status_code == 201
    version = int(world.aviation.get("/screening/index").json["list_version"])
    assert version > first.list_version
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert (job["list_version"], job["attempts"], job["done"]) == (version, 2, 5)
    lines = _lines(world.aviation, job_id)
    assert [(line["reference"], line["list_version"]) for line in lines] == [
        (row["reference"], version) for row in ROWS
    ]
    assert _screenings_logged(app) == 2 + 5  # the first chunk was screened again, on the new version


def test_a_replay_resumed_on_the_same_version_carries_its_rows_over(
    world, app, listed, chunks_of_two, monkeypatch
):
    _replay_dies_at_second_chunk(monkeypatch)
    job_id = _submit(world.aviation, ROWS, as_of="2026-11-20")
    _wait_for_threads_of(job_id)
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert (job["attempts"], job["done"]) == (2, 5)
    assert len({line["list_version"] for line in _lines(world.aviation, job_id)}) == 1
    assert _screenings_logged(app) == 5


def _lost_job(app, job_id: str, attempts: int, rows: bool, age: dt.timedelta) -> Path:
    with app.app_context():
        hotel = db.session.scalars(
            select(Principal).where(Principal.role == "partner", Principal.sector == "hotels")
        ).one()
        db.session.add(
            ScreeningJob(
                id=job_id,
                principal_id=hotel.id,
                sector="hotels",
                status="running",
                total=1,
                attempts=attempts,
                heartbeat_at=utcnow() - age,
            )
        )
        db.session.commit()
        path = jobs.input_path(job_id)
    if rows:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"name": "张伟"}\n', encoding="utf-8")
    return path


def test_a_job_lost_too_often_or_without_its_rows_fails_and_keeps_nothing(world, app):
    stale, fresh = dt.timedelta(minutes=6), dt.timedelta(minutes=4)
    too_often = _lost_job(app, "too-often", jobs.MAX_ATTEMPTS, rows=True, age=stale)
    _lost_job(app, "no-rows", 1, rows=False, age=stale)  # submitted before rows were kept
    young = _lost_job(app, "young", jobs.MAX_ATTEMPTS, rows=True, age=fresh)

    with app.app_context():
        partial = [jobs.result_path("too-often", attempt) for attempt in range(1, jobs.MAX_ATTEMPTS + 1)]
    for path in partial:
        path.write_text("{}\n", encoding="utf-8")
    failed = world.hotel.get("/screening/jobs/too-often").json
    assert (failed["status"], failed["error"]) == ("failed", jobs.LOST.format(attempts=jobs.MAX_ATTEMPTS))
    assert not too_often.exists()  # the partner's rows are personal data: deleted with the job's end
    assert not any(path.exists() for path in partial)
    assert _stored(app, "too-often").status == "failed"  # stored: every worker reports the same
    gone = world.hotel.get("/screening/jobs/no-rows").json
    assert (gone["status"], gone["error"], gone["attempts"]) == ("failed", jobs.GONE, 1)
    assert world.hotel.get("/screening/jobs/young").json["status"] == "running"  # within STALE
    assert young.exists()
    assert world.aviation.get("/screening/jobs/too-often").status_code == 404  # another partner's
    assert world.hotel.get("/screening/jobs/too-often/result").json["code"] == "job.not_done"


def test_a_finished_job_keeps_only_its_result(world, app, listed):
    job_id = _submit(world.aviation, ROWS)
    job = _finish(world.aviation, job_id)
    assert (job["attempts"], job["done"]) == (1, 5)
    with app.app_context():
        assert not jobs.input_path(job_id).exists()
        assert jobs.result_path(job_id, 1).exists()


def _finished_days_ago(app, job_id: str, days: float) -> None:
    _backdate(app, job_id, finished_at=dt.timedelta(days=days))


def test_the_daily_sweep_deletes_results_older_than_the_retention(world, app, listed):
    """A result holds the partner's rows (names, ID numbers): kept JOB_RESULT_DAYS (7), then deleted."""
    old, recent = _submit(world.aviation, ROWS), _submit(world.aviation, ROWS[:1])
    _finish(world.aviation, old)
    _finish(world.aviation, recent)
    _finished_days_ago(app, old, 7.01)
    _finished_days_ago(app, recent, 6.99)

    swept = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert swept.exit_code == 0, swept.output
    assert "1 screening-job result(s) deleted" in swept.output
    expired = world.aviation.get(f"/screening/jobs/{old}").json
    assert (expired["status"], expired["done"], expired["matched"]) == ("expired", 5, 1)  # counts stay
    gone = world.aviation.get(f"/screening/jobs/{old}/result")
    assert (gone.status_code, gone.json["code"]) == (410, "job.expired")
    with app.app_context():
        assert not jobs.result_path(old, 1).exists()
    assert len(_lines(world.aviation, recent)) == 1  # still within the retention
    again = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert "0 screening-job result(s) deleted" in again.output


def test_a_failed_job_keeps_none_of_the_partners_rows(world, app, listed, chunks_of_two, monkeypatch):
    def breaks(attempt: int, n: int) -> None:
        if n == 2:
            raise RuntimeError("index unavailable")

    _interfere(monkeypatch, breaks)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    failed = world.aviation.get(f"/screening/jobs/{job_id}").json
    assert (failed["status"], failed["error"], failed["done"]) == (
        "failed",
        jobs.FAILED,
        2,
    )  # no internals shown
    assert world.aviation.get(f"/screening/jobs/{job_id}/result").json["code"] == "job.not_done"
    with app.app_context():
        assert not jobs.input_path(job_id).exists()
        assert not jobs.result_path(job_id, 1).exists()  # the two rows answered are not kept either


def _kill_attempt_one_at_second_chunk(world, app, monkeypatch) -> str:
    _interfere(monkeypatch, _worker_dies_at_second_chunk)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    assert (_stored(app, job_id).done, _stored(app, job_id).result_attempt) == (2, 1)
    return job_id


def test_an_attempt_that_died_before_starting_leaves_the_rows_where_they_were(
    world, app, listed, chunks_of_two, monkeypatch
):
    """Attempt 2 is claimed, but its worker dies before the thread runs: attempt 3 copies from attempt 1."""
    job_id = _kill_attempt_one_at_second_chunk(world, app, monkeypatch)
    start = jobs.start
    monkeypatch.setattr(jobs, "start", lambda app, job_id, attempt=1: None)  # the claiming worker dies
    _silence(app, job_id)
    assert world.aviation.get(f"/screening/jobs/{job_id}").json["attempts"] == 2
    monkeypatch.setattr(jobs, "start", start)
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert (job["attempts"], job["done"], job["matched"]) == (3, 5, 1)
    assert [line["reference"] for line in _lines(world.aviation, job_id)] == [
        row["reference"] for row in ROWS
    ]
    assert _screenings_logged(app) == 5
    with app.app_context():
        assert sorted(p.name for p in jobs.result_path(job_id, 1).parent.iterdir()) == [f"{job_id}.3.jsonl"]


def test_rows_lost_from_the_volume_are_screened_again_and_counted_once(
    world, app, listed, chunks_of_two, monkeypatch
):
    job_id = _kill_attempt_one_at_second_chunk(world, app, monkeypatch)
    with app.app_context():
        jobs.result_path(job_id, 1).unlink()
    _silence(app, job_id)
    job = _finish(world.aviation, job_id)
    assert (job["done"], job["matched"]) == (5, 1)  # not 2: the match of the lost rows is not counted twice
    assert [line["reference"] for line in _lines(world.aviation, job_id)] == [
        row["reference"] for row in ROWS
    ]
    assert _screenings_logged(app) == 2 + 5  # the first two rows really were looked up twice


def test_a_database_error_leaves_the_job_to_be_resumed_not_failed(
    world, app, listed, chunks_of_two, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    def database_busy(attempt: int, n: int) -> None:
        if attempt == 1 and n == 2:
            raise OperationalError("INSERT …", {}, Exception("database is locked"))

    _interfere(monkeypatch, database_busy)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    stopped = world.aviation.get(f"/screening/jobs/{job_id}").json
    assert (stopped["status"], stopped["done"], stopped["error"]) == ("running", 2, None)
    with app.app_context():
        assert jobs.input_path(job_id).exists()  # kept for the next attempt
    _silence(app, job_id)
    assert _finish(world.aviation, job_id)["attempts"] == 2


def test_a_replay_of_today_resumed_carries_its_rows_over(world, app, listed, chunks_of_two, monkeypatch):
    _interfere(monkeypatch, _worker_dies_at_second_chunk)
    job_id = _submit(world.aviation, ROWS, as_of="2026-11-21")  # today: the live list, as it runs
    _wait_for_threads_of(job_id)
    _silence(app, job_id)
    assert (_finish(world.aviation, job_id)["done"], _screenings_logged(app)) == (5, 5)


def test_the_sweep_fails_jobs_abandoned_for_a_day_and_deletes_files_no_job_needs(world, app, listed):
    abandoned = _lost_job(app, "abandoned", 1, rows=True, age=dt.timedelta(hours=24, minutes=1))
    waiting = _lost_job(app, "waiting", 1, rows=True, age=dt.timedelta(hours=23))  # its partner may yet poll
    done_id = _submit(world.aviation, ROWS[:1])
    _finish(world.aviation, done_id)
    with app.app_context():
        folder = jobs.input_path("x").parent
        leftover = jobs.result_path(done_id, 2)  # e.g. of an attempt superseded, or a crash before deletion
        stray_old, stray_new = folder / "gone.input.jsonl", folder / "submitting.input.jsonl"
    for path in (leftover, stray_old, stray_new):
        path.write_text("{}\n", encoding="utf-8")
    hours_ago = time.time() - 2 * 3600
    os.utime(stray_old, (hours_ago, hours_ago))

    swept = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert "0 screening-job result(s) deleted, 1 abandoned job(s) failed" in swept.output, swept.output
    gone = world.hotel.get("/screening/jobs/abandoned").json
    assert (gone["status"], gone["error"]) == ("failed", jobs.ABANDONED_ERROR)
    assert not abandoned.exists() and waiting.exists()
    assert not leftover.exists() and not stray_old.exists() and stray_new.exists()
    assert len(_lines(world.aviation, done_id)) == 1  # the done job's own result stays


def test_a_key_may_have_two_jobs_running_and_a_third_waits(world, app, listed, monkeypatch):
    released, holding = threading.Event(), threading.Semaphore(0)

    def hold(attempt: int, n: int) -> None:  # every job holds at its first chunk, once it runs
        holding.release()
        released.wait(WAIT)

    _interfere(monkeypatch, hold)
    started: list[str] = []
    try:
        started += [_submit(world.aviation, ROWS), _submit(world.aviation, ROWS)]
        assert holding.acquire(timeout=WAIT) and holding.acquire(timeout=WAIT)  # both have said "running"
        refused = world.aviation.post("/screening/jobs", {"items": ROWS})
        assert (refused.status_code, refused.json["code"]) == (429, "job.too_many")
        assert refused.headers["Retry-After"] == "60"
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(ScreeningJob)) == 2  # nothing queued
            assert len(list(jobs.input_path("x").parent.glob("*.input.jsonl"))) == 2  # nor its rows kept
        started.append(_submit(world.hotel, ROWS))  # another key has its own two
        _silence(app, started[0])  # a lost job holds no thread until it is resumed: it does not count
        started.append(_submit(world.aviation, ROWS))
    finally:
        released.set()
        for job_id in started:  # every thread ends with this test, not in the next one's database
            _wait_for_threads_of(job_id)
    assert {_stored(app, job_id).status for job_id in started} == {"done"}


def test_a_lost_job_waits_to_be_resumed_while_its_key_has_two_running(
    world, app, listed, chunks_of_two, monkeypatch
):
    """After a deploy a key submits two new jobs while its first is lost: polling the first does not start a
    third thread; it is resumed once one of the two has ended."""
    released = threading.Event()

    def hold_new_jobs(attempt: int, n: int) -> None:
        if not threading.current_thread().name.startswith(f"screening-{lost_id}-"):
            released.wait(WAIT)

    lost_id = _kill_attempt_one_at_second_chunk(world, app, monkeypatch)
    _silence(app, lost_id)
    _interfere(monkeypatch, hold_new_jobs)
    running: list[str] = []
    try:
        running += [_submit(world.aviation, ROWS), _submit(world.aviation, ROWS)]
        waiting = world.aviation.get(f"/screening/jobs/{lost_id}").json
        assert (waiting["status"], waiting["attempts"]) == ("running", 1)  # not taken over: no thread for it
    finally:
        released.set()
        for job_id in running:
            _wait_for_threads_of(job_id)
    resumed = _finish(world.aviation, lost_id)
    assert (resumed["attempts"], resumed["done"]) == (2, 5)


def test_a_host_whose_clock_runs_ahead_does_not_take_over_live_jobs(
    world, app, listed, chunks_of_two, monkeypatch
):
    """PostgreSQL: heartbeats are written and read by the database's clock, not each worker host's."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("one machine, one clock")
    released, holding = threading.Event(), threading.Event()

    def hold(attempt: int, n: int) -> None:
        holding.set()
        released.wait(WAIT)

    _interfere(monkeypatch, hold)
    job_id = _submit(world.aviation, ROWS)
    try:
        assert holding.wait(WAIT)
        monkeypatch.setattr(jobs, "utcnow", lambda: utcnow() + dt.timedelta(minutes=10))  # this host's clock
        polled = world.aviation.get(f"/screening/jobs/{job_id}").json
        assert (polled["status"], polled["attempts"]) == ("running", 1)  # not taken over
    finally:
        released.set()
        _wait_for_threads_of(job_id)
    assert _stored(app, job_id).status == "done"


def test_a_refused_or_failed_submission_keeps_none_of_the_rows(world, app, listed, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def busy(principal_id: int) -> int:
        raise OperationalError("SELECT count(*) …", {}, Exception("database is locked"))

    monkeypatch.setattr(jobs, "_running", busy)
    failed = world.aviation.post("/screening/jobs", {"items": ROWS})
    assert failed.status_code == 500
    with app.app_context():
        folder = jobs.input_path("x").parent
        assert not any(folder.glob("*.jsonl")) if folder.exists() else True
        assert db.session.scalar(select(func.count()).select_from(ScreeningJob)) == 0


def test_the_sweep_leaves_alone_a_lost_job_resumed_before_it_ran(
    world, app, listed, chunks_of_two, monkeypatch
):
    job_id = _kill_attempt_one_at_second_chunk(world, app, monkeypatch)
    _silence(app, job_id, minutes=25 * 60)
    resumed = _finish(world.aviation, job_id)  # the partner came back after a day and a bit
    swept = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert "0 abandoned job(s) failed" in swept.output, swept.output
    assert _stored(app, job_id).status == "done" and resumed["attempts"] == 2
    assert len(_lines(world.aviation, job_id)) == 5
