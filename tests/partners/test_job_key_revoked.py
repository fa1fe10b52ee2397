"""A key revoked while its screening job runs (``flask keys revoke``): the job stops at its next chunk and
keeps none of the partner's rows; a finished job's result, which no key can download any more, goes at the
next daily sweep (README "Personal data": who looked up whom, rows deleted when a job ends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blacklist_service.extensions import db
from blacklist_service.models import Principal, ScreeningJob
from blacklist_service.services import jobs
from tests.partners.test_job_recovery import (
    ROWS,
    _interfere,
    _screenings_logged,
    _stored,
    _wait_for_threads_of,
    chunks_of_two,  # noqa: F401 - fixture
    listed,  # noqa: F401 - fixture
)
from tests.partners.test_screening_jobs import _finish, _submit


def _revoke(app, key: str) -> None:
    """As ``flask keys revoke <prefix>`` does."""
    prefix = key[3:].split(".", 1)[0]
    result = app.test_cli_runner().invoke(args=["keys", "revoke", prefix])
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("listed", "chunks_of_two")
def test_a_job_whose_key_is_revoked_stops_at_its_next_chunk_and_keeps_no_rows(world, app, monkeypatch):
    def revoke_during_second_chunk(attempt: int, n: int) -> None:
        if n == 2:
            _revoke(app, world.keys["aviation"])

    _interfere(monkeypatch, revoke_during_second_chunk)
    job_id = _submit(world.aviation, ROWS)
    _wait_for_threads_of(job_id)
    job = _stored(app, job_id)
    assert (job.status, job.done, job.error) == ("failed", 4, jobs.REVOKED)  # of 5 rows, in chunks of 2
    assert _screenings_logged(app) == 4  # the third chunk was never screened for the revoked key
    with app.app_context():
        assert list(jobs.input_path(job_id).parent.glob(f"{job_id}.*")) == []
    assert world.aviation.get(f"/screening/jobs/{job_id}").json["code"] == "auth.invalid_key"


@pytest.mark.usefixtures("listed")
def test_the_sweep_deletes_the_result_of_a_revoked_key_at_once(world, app):
    job_id = _submit(world.aviation, ROWS)
    _finish(world.aviation, job_id)
    kept = _submit(world.hotel, ROWS[:1])
    _finish(world.hotel, kept)
    _revoke(app, world.keys["aviation"])
    swept = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert "1 screening-job result(s) deleted" in swept.output
    assert _stored(app, job_id).status == "expired"
    assert _stored(app, kept).status == "done"
    with app.app_context():
        assert not jobs.result_path(job_id, 1).exists()
        assert jobs.result_path(kept, 1).exists()
        revoked = db.session.scalar(
            select(Principal.revoked_at).join(ScreeningJob).where(ScreeningJob.id == job_id)
        )
        assert revoked is not None
