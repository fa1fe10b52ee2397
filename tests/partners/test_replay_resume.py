"""A replay job (``?as_of=``) resumed after its worker was lost rebuilds its day's index in the worker that
resumes it, and that build is neither refused nor counted against the key's ``BLACKLIST_REPLAY_RATE_LIMIT``.

The key paid for the day when the job was accepted (``JobViews.post``); the resume is the server's own
restart, not the partner's request, and at most ``jobs.MAX_ATTEMPTS`` - 1 resumes follow one counted
submission (after that the job fails), so a key cannot turn one counted replay into unbounded builds. A
resumed job must never be dropped because of the limit.
"""

from __future__ import annotations

import pytest

from blacklist_service.services import jobs
from blacklist_service.services.screening import _state
from tests.partners.test_job_recovery import (
    ROWS,
    _replay_dies_at_second_chunk,
    _silence,
    _wait_for_threads_of,
)
from tests.partners.test_replay_limit import DAY_1, DAY_2, DAY_3, _assert_limited, _replay
from tests.partners.test_screening_jobs import _finish, _submit

DAY_0 = "2026-11-17"
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


@pytest.fixture
def lost_replay(app, world, desk, builds, monkeypatch):
    """A job replaying DAY_3 (counted at submission) whose worker died after its first chunk; the worker
    that will resume it has an empty cache of past days, as a restarted one does."""
    assert desk.list(desk.case(desk.person(name="张伟")["id"])["id"]).status_code == 201
    app.config["REPLAY_RATE_LIMIT"] = "3 per minute"
    monkeypatch.setattr(jobs, "CHUNK", 2)
    _replay_dies_at_second_chunk(monkeypatch)
    job_id = _submit(world.aviation, ROWS, as_of=DAY_3)
    _wait_for_threads_of(job_id)

    def restart() -> None:
        with app.app_context():
            _state().past.days.clear()
        _silence(app, job_id)

    return job_id, restart


def _resumed(world, builds, job_id: str) -> None:
    job = _finish(world.aviation, job_id)
    assert (job["attempts"], job["done"], job["as_of"]) == (2, len(ROWS), DAY_3)
    assert [str(day) for day in builds if str(day) == DAY_3] == [DAY_3, DAY_3]  # built again to resume


def test_a_replay_job_is_resumed_when_the_keys_replay_budget_is_spent(app, world, lost_replay, builds):
    job_id, restart = lost_replay  # the job spent one of three
    assert [_replay(world.aviation, day).status_code for day in (DAY_1, DAY_2)] == [200, 200]
    _assert_limited(_replay(world.aviation, DAY_0))  # spent
    restart()
    _resumed(world, builds, job_id)


def test_resuming_a_replay_job_does_not_count_against_the_key(app, world, lost_replay, builds):
    job_id, restart = lost_replay  # the job spent one of three
    restart()
    _resumed(world, builds, job_id)
    assert [_replay(world.aviation, day).status_code for day in (DAY_1, DAY_2)] == [200, 200]
    _assert_limited(_replay(world.aviation, DAY_0))  # the resume's build was not the third
