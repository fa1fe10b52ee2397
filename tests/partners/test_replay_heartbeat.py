"""A replay job keeps its heartbeat while it builds its past day's index (142 s at 10 M entries, more on a busy
machine): before, the job was silent for the whole build, and a build longer than ``jobs.STALE`` made the next
poll take the working job for lost and build the index again in another attempt, up to ``MAX_ATTEMPTS`` times."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from blacklist_service.services import jobs, screening
from tests.partners.test_job_recovery import ROWS, _wait_for_threads_of
from tests.partners.test_replay_limit import DAY_3
from tests.partners.test_screening_jobs import _finish, _submit


@pytest.fixture
def slow_build(monkeypatch):
    """The past day's build waits for the test's word, as a long build would take its time."""
    started, release = threading.Event(), threading.Event()
    build = screening.index_on

    def slow(day, before_build=None):
        started.set()
        assert release.wait(30)
        return build(day, before_build)

    monkeypatch.setattr(jobs.screening, "index_on", slow)
    monkeypatch.setattr(jobs, "STALE", dt.timedelta(seconds=1))
    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", dt.timedelta(seconds=0.1))
    yield started, release
    release.set()


def test_a_job_building_its_past_day_is_not_taken_for_lost(world, desk, slow_build):
    started, release = slow_build
    assert desk.list(desk.case(desk.person(name="张伟")["id"])["id"]).status_code == 201
    job_id = _submit(world.aviation, ROWS, as_of=DAY_3)
    assert started.wait(30)
    time.sleep(1.6)  # longer than STALE: a silent job would be taken over by this poll
    polled = world.aviation.get(f"/screening/jobs/{job_id}").json
    assert (polled["status"], polled["attempts"]) == ("running", 1)
    release.set()
    job = _finish(world.aviation, job_id)
    assert (job["attempts"], job["done"], job["as_of"]) == (1, len(ROWS), DAY_3)
    _wait_for_threads_of(job_id)
