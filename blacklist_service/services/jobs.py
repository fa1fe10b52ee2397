"""Asynchronous screening jobs: a partner's large list screened in chunks in a background thread.

Progress lives in the database (shared by every worker); the result is a JSON Lines file on the upload
volume. A job lost with its process (restart) is reported as failed when read after its deadline
(:data:`LOST_AFTER` plus :data:`LOST_AFTER_PER_ROW` per row); it is not resumed: the partner resubmits.

A job with ``as_of`` (D1) screens every row against the list as it stood on that day, as
``POST /screening/?as_of=`` does: it takes the past-day index from :func:`screening.index_on` once and keeps
it for all its chunks, so every row is screened on the same index and list version even if the log moves
on or a request for another day replaces the cached index meanwhile (the records shown with a match are read
as each chunk is answered, as for one request). It never takes the live index's lock.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from blacklist_service import clock
from blacklist_service.errors import NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Principal, ScreeningJob
from blacklist_service.models.types import utcnow
from blacklist_service.services import screening
from blacklist_service.services.screening import Screening
from blacklist_service.transactions import write_transaction
from sanctions.catalogue import Sector
from screening.index import ScreeningIndex

log = logging.getLogger(__name__)
CHUNK = 1000


def result_path(job_id: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "jobs" / f"{job_id}.jsonl"


def submit(principal: Principal, requests: list[Screening], as_of: dt.date | None = None) -> ScreeningJob:
    """Queue a job (committed by the caller) and start it once the caller has committed; a future
    ``as_of`` is refused before anything is queued."""
    screening.check_as_of(as_of)
    job = ScreeningJob(
        id=str(uuid.uuid4()),
        principal_id=principal.id,
        sector=str(principal.sector),
        status="queued",
        total=len(requests),
        as_of=as_of,
    )
    db.session.add(job)
    return job


def start(app: Flask, job_id: str, requests: list[Screening]) -> threading.Thread:
    thread = threading.Thread(
        target=_run, args=(app, job_id, requests), name=f"screening-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _progress(job_id: str, **changes: Any) -> None:
    with write_transaction():
        job = db.session.get(ScreeningJob, job_id)
        assert job is not None
        for name, value in changes.items():
            setattr(job, name, value)


class _Replay:
    """A job's view of the list on its ``as_of`` day: the live index while that day is still today (as for
    one request), then the past-day index, fetched once and held to the end of the job."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.past: tuple[ScreeningIndex, int] | None = None

    def screen(self, chunk: list[Screening], sector: Sector) -> list[dict[str, Any]]:
        if self.past is None and self.day >= clock.today():
            return screening.screen(chunk, sector, self.day)  # today (a future day: refused, the job fails)
        if self.past is None:
            self.past = screening.index_on(self.day)
        index, version = self.past
        return screening.screen_with(chunk, sector, index, self.day, version)


def _run(app: Flask, job_id: str, requests: list[Screening]) -> None:
    with app.app_context():
        try:
            job = db.session.get(ScreeningJob, job_id)
            assert job is not None
            principal_id, sector, as_of = job.principal_id, Sector(job.sector), job.as_of
            path = result_path(job_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            _progress(job_id, status="running")
            done = matched = 0
            replay = _Replay(as_of) if as_of else None
            with path.open("w", encoding="utf-8") as out:
                for start_at in range(0, len(requests), CHUNK):
                    chunk = requests[start_at : start_at + CHUNK]
                    answers = replay.screen(chunk, sector) if replay else screening.screen(chunk, sector)
                    db.session.rollback()  # end the read transaction before writing
                    for answer in answers:
                        out.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
                    done += len(chunk)
                    matched += sum(1 for a in answers if a["matches"])
                    with write_transaction():
                        screening.log_screenings(chunk, answers, principal_id)
                        current = db.session.get(ScreeningJob, job_id)
                        assert current is not None
                        current.done, current.matched, current.list_version = (
                            done,
                            matched,
                            answers[0]["list_version"],
                        )
            _progress(job_id, status="done", finished_at=utcnow())
        except Exception as exc:  # a failed job must say so, not hang as "running"
            log.exception("screening job %s failed", job_id)
            db.session.rollback()
            _progress(job_id, status="failed", error=str(exc)[:500], finished_at=utcnow())
        finally:
            db.session.remove()


# A job runs in a thread of the worker that accepted it. Measured at 1 M listed entries, 100 000 rows take
# about 12 s; a job still unfinished many times later than that was lost with its worker (a restart).
LOST_AFTER = dt.timedelta(minutes=10)
LOST_AFTER_PER_ROW = dt.timedelta(milliseconds=2)
LOST = "lost: the worker running it stopped (a restart?); submit the list again"


def get(job_id: str, principal: Principal) -> ScreeningJob:
    job = db.session.get(ScreeningJob, job_id)
    if job is None or job.principal_id != principal.id:  # another partner's job does not exist for you
        raise NotFound("no such job", code="job.not_found")
    created = job.created_at.replace(tzinfo=job.created_at.tzinfo or dt.UTC)  # SQLite keeps no zone
    deadline = created + LOST_AFTER + job.total * LOST_AFTER_PER_ROW
    if job.status in ("queued", "running") and utcnow() > deadline:
        db.session.expunge(job)  # reported, not stored: a read writes nothing (and a slow job may still end)
        job.status, job.error = "failed", LOST
    return job
