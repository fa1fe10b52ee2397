"""Asynchronous screening jobs: a partner's large list screened in chunks in a background thread.

The submitted rows are kept on the upload volume until the job ends; progress lives in the database, shared
by every worker; the result is a JSON Lines file on the upload volume. Each chunk is written to the result
and flushed to disk before its progress is committed, so the committed ``done`` never runs ahead of the file.

A job survives the loss of its worker (a restart, a crash). One attempt owns it at a time (``attempts`` is
the ownership token, taken by compare-and-set) and renews ``heartbeat_at`` with every chunk. A job whose
heartbeat is older than :data:`STALE` was lost; the next poll of it, in whichever worker answers, takes the
next attempt, which copies the rows already answered and screens the rest. An attempt that was only slow
finds itself superseded at its next commit and stops without writing. After :data:`MAX_ATTEMPTS` the job
fails: rows that kill their worker every time must not loop.

A job with ``as_of`` (D1) screens every row against the list as it stood on that day, as
``POST /screening/?as_of=`` does: it takes the past-day index from :func:`screening.index_on` once and keeps
it for all its chunks, so every row is screened on the same index and list version even if the log moves
on or a request for another day replaces the cached index meanwhile (the records shown with a match are read
as each chunk is answered, as for one request). It never takes the live index's lock. A replay resumed
after the log has moved on starts over, so that it still answers on one list version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

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
from screening.model import Kind

log = logging.getLogger(__name__)
CHUNK = 1000
ACTIVE = ("queued", "running")  # then done (the result kept JOB_RESULT_DAYS, then expired) or failed
# A chunk of 1 000 rows takes about 0.15 s at 1 M listed entries; the longest silence is the first build of an
# index by a fresh worker (122 s at 10 M entries). Five minutes without news is a lost worker.
STALE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3
LOST = "lost: the workers running it stopped {attempts} times; submit the list again"
GONE = "lost: its submitted rows are gone (a job from before this version, or a wiped volume); submit again"


class Superseded(Exception):
    """This attempt no longer owns the job: it was thought lost and another attempt took it over."""


def _directory() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "jobs"


def input_path(job_id: str) -> Path:
    return _directory() / f"{job_id}.input.jsonl"


def result_path(job_id: str, attempt: int) -> Path:
    # The first attempt's name is the one results had before jobs could be resumed.
    return _directory() / (f"{job_id}.jsonl" if attempt == 1 else f"{job_id}.{attempt}.jsonl")


def submit(principal: Principal, requests: list[Screening], as_of: dt.date | None = None) -> ScreeningJob:
    """Queue a job and keep its rows (the caller commits, then starts it); a future ``as_of`` is refused
    before anything is queued."""
    screening.check_as_of(as_of)
    job = ScreeningJob(
        id=str(uuid.uuid4()),
        principal_id=principal.id,
        sector=str(principal.sector),
        status="queued",
        total=len(requests),
        as_of=as_of,
        attempts=1,
        heartbeat_at=utcnow(),
    )
    path = input_path(job.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as rows:
        for request in requests:
            rows.write(json.dumps(dataclasses.asdict(request), ensure_ascii=False) + "\n")
    db.session.add(job)
    return job


def start(app: Flask, job_id: str, attempt: int = 1) -> threading.Thread:
    thread = threading.Thread(
        target=_run, args=(app, job_id, attempt), name=f"screening-{job_id}-{attempt}", daemon=True
    )
    thread.start()
    return thread


def _own(job_id: str, attempt: int, **changes: Any) -> None:
    """Record progress as the job's owner, renewing its heartbeat (in the caller's transaction)."""
    owned = db.session.execute(
        update(ScreeningJob)
        .where(
            ScreeningJob.id == job_id,
            ScreeningJob.attempts == attempt,
            ScreeningJob.status.in_(ACTIVE),
        )
        .values(heartbeat_at=utcnow(), **changes)
    )
    if owned.rowcount != 1:  # type: ignore[attr-defined]
        raise Superseded(job_id)


def _rows(job_id: str, skip: int) -> Iterator[list[Screening]]:
    """The submitted rows after the first ``skip``, in chunks, read as they are needed."""
    with input_path(job_id).open(encoding="utf-8") as lines:
        rows = itertools.islice(lines, skip, None)
        while chunk := list(itertools.islice(rows, CHUNK)):
            yield [_row(json.loads(line)) for line in chunk]


def _row(fields: dict[str, Any]) -> Screening:
    kind = fields.pop("kind", None)
    return Screening(kind=Kind(kind) if kind else None, **fields)


class _Replay:
    """A job's view of the list on its ``as_of`` day: the live index while that day is still today (as for
    one request), then the past-day index, fetched once and held to the end of the job."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.past: tuple[ScreeningIndex, int] | None = None

    def version(self) -> int | None:
        """The one list version this replay answers on, or None while its day is still today."""
        if self.past is None and self.day >= clock.today():
            return None
        if self.past is None:
            self.past = screening.index_on(self.day)
        return self.past[1]

    def screen(self, chunk: list[Screening], sector: Sector) -> list[dict[str, Any]]:
        if self.version() is None:
            return screening.screen(chunk, sector, self.day)  # today (a future day: refused, the job fails)
        assert self.past is not None
        index, version = self.past
        return screening.screen_with(chunk, sector, index, self.day, version)


def _run(app: Flask, job_id: str, attempt: int) -> None:
    with app.app_context():
        try:
            _screen_rows(job_id, attempt)
        except Superseded:
            log.warning("screening job %s: attempt %s was superseded and stopped", job_id, attempt)
        except Exception as exc:  # a failed job must say so, not hang as "running"
            log.exception("screening job %s failed", job_id)
            _end(job_id, attempt, "failed", str(exc)[:500])
        finally:
            db.session.remove()


def _screen_rows(job_id: str, attempt: int) -> None:
    job = db.session.get(ScreeningJob, job_id)
    assert job is not None
    principal_id, sector, done, matched = job.principal_id, Sector(job.sector), job.done, job.matched
    replay = _Replay(job.as_of) if job.as_of else None
    if replay and done and replay.version() != job.list_version:
        done = matched = 0  # the past day's list changed since: start over, to answer on one version
    with write_transaction():
        _own(job_id, attempt, status="running", done=done, matched=matched)
    with result_path(job_id, attempt).open("w", encoding="utf-8") as out:
        done = _carry_over(job_id, attempt, done, out)
        for chunk in _rows(job_id, done):
            answers = replay.screen(chunk, sector) if replay else screening.screen(chunk, sector)
            db.session.rollback()  # end the read transaction before writing
            for answer in answers:
                out.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
            out.flush()
            os.fsync(out.fileno())  # on disk before the progress that counts it is committed
            done += len(chunk)
            matched += sum(1 for a in answers if a["matches"])
            with write_transaction():
                screening.log_screenings(chunk, answers, principal_id)
                _own(job_id, attempt, done=done, matched=matched, list_version=answers[0]["list_version"])
    _end(job_id, attempt, "done")


def _carry_over(job_id: str, attempt: int, done: int, out: Any) -> int:
    """Copy the rows earlier attempts answered (their file may hold more, written but never counted)."""
    if not done:
        return 0
    with result_path(job_id, attempt - 1).open(encoding="utf-8") as earlier:
        copied = list(itertools.islice(earlier, done))
    if len(copied) != done:  # cannot happen unless the volume lost data: then start over, from nothing
        with write_transaction():
            _own(job_id, attempt, done=0, matched=0)
        return 0
    out.writelines(copied)
    return done


def _end(job_id: str, attempt: int, status: str, error: str | None = None) -> None:
    """Finish the job as its owner, and delete what only the running job needed (the rows are personal data)."""
    try:
        with write_transaction():
            _own(job_id, attempt, status=status, error=error, finished_at=utcnow())
    except Superseded:
        log.warning("screening job %s: attempt %s was superseded before it ended", job_id, attempt)
        return
    _discard(job_id, attempt if status == "done" else attempt + 1)  # a failed job has no result to keep


def _discard(job_id: str, before_attempt: int) -> None:
    """Delete the submitted rows and the result files of the attempts before ``before_attempt``."""
    input_path(job_id).unlink(missing_ok=True)
    for attempt in range(1, before_attempt):
        result_path(job_id, attempt).unlink(missing_ok=True)


def purge(now: dt.datetime) -> list[str]:
    """Delete the results of jobs finished more than ``JOB_RESULT_DAYS`` ago (the daily sweep, in its own
    transaction; the files go once it is committed): they hold the partners' rows. The job stays,
    ``expired``, with its counts (who screened how many, for the audit)."""
    cutoff = now - dt.timedelta(days=int(current_app.config["JOB_RESULT_DAYS"]))
    with write_transaction():
        old = db.session.scalars(
            select(ScreeningJob).where(ScreeningJob.status == "done", ScreeningJob.finished_at < cutoff)
        ).all()
        for job in old:
            job.status = "expired"
        expired = [(job.id, job.attempts) for job in old]
    for job_id, attempts in expired:
        _discard(job_id, attempts + 1)
    return [job_id for job_id, _ in expired]


def get(job_id: str, principal: Principal) -> ScreeningJob:
    """A partner's own job; one lost with its worker is resumed here (or failed, once it has been lost
    :data:`MAX_ATTEMPTS` times)."""
    job = db.session.get(ScreeningJob, job_id)
    if job is None or job.principal_id != principal.id:  # another partner's job does not exist for you
        raise NotFound("no such job", code="job.not_found")
    heard = job.heartbeat_at.replace(tzinfo=job.heartbeat_at.tzinfo or dt.UTC)  # SQLite keeps no zone
    if job.status in ACTIVE and utcnow() - heard > STALE:
        _take_over(job)
        db.session.refresh(job)
    return job


def _take_over(job: ScreeningJob) -> None:
    """Claim a lost job for a new attempt in this worker, unless another poll claimed it first."""
    attempt, job_id = job.attempts, job.id
    resumable = attempt < MAX_ATTEMPTS and input_path(job_id).exists()
    error = None if resumable else (GONE if attempt < MAX_ATTEMPTS else LOST.format(attempts=attempt))
    changes = (
        {"status": "queued", "attempts": attempt + 1, "heartbeat_at": utcnow()}
        if resumable
        else {"status": "failed", "error": error, "finished_at": utcnow()}
    )
    with write_transaction():
        claimed = db.session.execute(
            update(ScreeningJob)
            .where(
                ScreeningJob.id == job_id,
                ScreeningJob.attempts == attempt,
                ScreeningJob.status.in_(ACTIVE),
                ScreeningJob.heartbeat_at < utcnow() - STALE,
            )
            .values(**changes)
        )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    log.warning("screening job %s was lost by attempt %s: %s", job_id, attempt, error or "resumed")
    if resumable:
        start(current_app._get_current_object(), job_id, attempt + 1)  # type: ignore[attr-defined]
    else:
        _discard(job_id, attempt + 1)
