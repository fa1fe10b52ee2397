"""Asynchronous screening jobs: a partner's large list screened in chunks in a background thread.

The submitted rows are kept on the upload volume until the job ends; progress lives in the database, shared
by every worker; the result is a JSON Lines file on the upload volume. Each chunk is written to the result
and synced to disk before its progress is committed, so the committed ``done`` never runs ahead of the file.
A key may have ``JOB_LIMIT`` jobs running; the daily sweep deletes results after ``JOB_RESULT_DAYS``.

A job survives the loss of its worker (a restart, a crash). One attempt owns it at a time (``attempts`` is
the ownership token, taken by compare-and-set) and renews ``heartbeat_at`` with every chunk, by the
database's clock. A job whose heartbeat is older than :data:`STALE` was lost; the next poll of it, in
whichever worker answers, takes the next attempt (unless the key's limit is reached), which copies the rows
committed from the file of the attempt that committed them (``result_attempt``) and screens the rest. An
attempt that was only slow finds itself superseded at its next commit and stops without writing. After
:data:`MAX_ATTEMPTS` the job fails: rows that kill their worker every time must not loop.

A job with ``as_of`` (D1) screens every row against the list as it stood on that day, as
``POST /screening/?as_of=`` does: it takes the past-day index from :func:`screening.index_on` once and keeps
it for all its chunks, so every row is screened on the same index and list version even if the log moves
on or a request for another day replaces the cached index meanwhile (the records shown with a match are read
as each chunk is answered, as for one request). It never takes the live index's lock. A replay resumed
after the log has moved on starts over, so that it still answers on one list version.
"""

from __future__ import annotations

import contextlib
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
from typing import Any, TextIO

from flask import Flask, current_app
from sqlalchemy import func, or_, select, text, update
from sqlalchemy.exc import OperationalError

from blacklist_service import clock
from blacklist_service.errors import Forbidden, NotFound, ServiceError, TooMany
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
# A chunk of 1 000 rows takes about 0.15 s at 1 M listed entries; the longest step is the build of a past day's
# index for a replay (142 s at 10 M entries, more on a busy machine), during which the heartbeat is renewed
# apart (HEARTBEAT_EVERY). Five minutes without news is a lost worker.
STALE = dt.timedelta(minutes=5)
HEARTBEAT_EVERY = dt.timedelta(minutes=1)
MAX_ATTEMPTS = 3
# Plus the key's id: a transaction-scoped advisory lock per key, apart from the register's.
_JOB_LOCK = 7_355_609_000_000
LOST = "lost: the workers running it stopped {attempts} times; submit the list again"
FAILED = "internal error while screening (logged); submit the list again"
# A job silent this long was lost and its partner never came back for it: the sweep fails it, deleting its rows.
ABANDONED = dt.timedelta(days=1)
ABANDONED_ERROR = "abandoned: lost, and not polled for a day; submit the list again"
GONE = "lost: its submitted rows are gone (a job from before this version, or a wiped volume); submit again"
REVOKED = "stopped: the key that submitted it was revoked"


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
        heartbeat_at=_now(),
    )
    path = input_path(job.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("w", encoding="utf-8") as rows:
            for request in requests:
                rows.write(json.dumps(dataclasses.asdict(request), ensure_ascii=False) + "\n")
        limit = int(current_app.config["JOB_LIMIT"])
        if (running := _running(principal.id)) >= limit:  # counted after the rows are written: a short lock
            raise TooMany(
                f"{running} of your jobs are running, the most a key may have; poll them and submit when one ends",
                code="job.too_many",
            )
    except BaseException:  # a full disk, a refusal: the partner's rows are not kept for a job that never was
        path.unlink(missing_ok=True)
        raise
    db.session.add(job)
    return job


def _running(principal_id: int) -> int:
    """The key's jobs running: heard of within :data:`STALE` (a lost one takes no thread until it is
    resumed). Takes a lock per key on PostgreSQL until the caller's transaction ends, so that two requests
    cannot both pass the count (SQLite serialises every request)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _JOB_LOCK + principal_id})
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(ScreeningJob)
            .where(
                ScreeningJob.principal_id == principal_id,
                ScreeningJob.status.in_(ACTIVE),
                ScreeningJob.heartbeat_at >= _now() - STALE,
            )
        )
        or 0
    )


def start(app: Flask, job_id: str, attempt: int = 1) -> threading.Thread:
    thread = threading.Thread(
        target=_run, args=(app, job_id, attempt), name=f"screening-{job_id}-{attempt}", daemon=True
    )
    thread.start()
    return thread


def _now() -> dt.datetime:
    """The clock heartbeats are written and read by: on PostgreSQL the database's, since workers on several
    hosts share the jobs and a host whose clock ran ahead would take over live ones; on SQLite (one machine)
    the process's."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.scalar(select(func.now()))  # type: ignore[no-any-return]
    return utcnow()


def _compare_and_set(job_id: str, attempt: int, *also: Any, **changes: Any) -> bool:
    """Change an active job if ``attempt`` still owns it (and ``also`` holds): True if it did."""
    changed = db.session.execute(
        update(ScreeningJob)
        .where(
            ScreeningJob.id == job_id,
            ScreeningJob.attempts == attempt,
            ScreeningJob.status.in_(ACTIVE),
            *also,
        )
        .values(**changes)
        .execution_options(synchronize_session=False)  # callers re-read the job; no stale copy to fix up
    )
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


def _own(job_id: str, attempt: int, **changes: Any) -> None:
    """Record progress as the job's owner, renewing its heartbeat (in the caller's transaction)."""
    if not _compare_and_set(job_id, attempt, heartbeat_at=_now(), **changes):
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


@contextlib.contextmanager
def _kept_alive(job_id: str, attempt: int) -> Iterator[None]:
    """Renew the job's heartbeat every :data:`HEARTBEAT_EVERY` while a long step runs between chunks (a past
    day's index build: minutes at 10 M entries), so that no poll takes a job that is working for lost and
    builds the index again; stops renewing as soon as the attempt is superseded."""
    app, stop = current_app._get_current_object(), threading.Event()  # type: ignore[attr-defined]

    def beat() -> None:
        with app.app_context():
            try:
                while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
                    with write_transaction(register_lock=False):
                        if not _compare_and_set(job_id, attempt, heartbeat_at=_now()):
                            return
            finally:
                db.session.remove()

    thread = threading.Thread(target=beat, name=f"screening-{job_id}-{attempt}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class _Replay:
    """A job's view of the list on its ``as_of`` day: the live index while that day is still today (as for
    one request), then the past-day index, fetched once and held to the end of the job."""

    def __init__(self, day: dt.date, job_id: str, attempt: int) -> None:
        self.day, self.job_id, self.attempt = day, job_id, attempt
        self.past: tuple[ScreeningIndex, int] | None = None

    def version(self) -> int | None:
        """The one list version this replay answers on, or None while its day is still today."""
        if self.past is None and self.day >= clock.today():
            return None
        if self.past is None:
            with _kept_alive(self.job_id, self.attempt):
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
        except OperationalError:  # the database was busy or unreachable: not the rows' fault
            log.exception("screening job %s: attempt %s stopped; the next poll resumes it", job_id, attempt)
        except ServiceError as exc:  # a refusal the partner can act on (a day gone into the future)
            _end(job_id, attempt, "failed", exc.message)
        except Exception:  # a failed job must say so, not hang as "running"; the details are in the log
            log.exception("screening job %s failed", job_id)
            _end(job_id, attempt, "failed", FAILED)
        finally:
            db.session.remove()


def _screen_rows(job_id: str, attempt: int) -> None:
    job = db.session.get(ScreeningJob, job_id)
    assert job is not None
    principal_id, sector, done, matched = job.principal_id, Sector(job.sector), job.done, job.matched
    holder = job.result_attempt
    replay = _Replay(job.as_of, job_id, attempt) if job.as_of else None
    if replay and done and replay.version() not in (None, job.list_version):
        done = matched = 0  # the past day's list moved on (any event moves it): start over, on one version
    db.session.rollback()
    with result_path(job_id, attempt).open("w", encoding="utf-8") as out:
        if done and not _carry_over(result_path(job_id, holder) if holder else None, done, out):
            done = matched = 0  # the file holding them is gone (the volume lost data): start over
        _sync(out)
        with write_transaction(register_lock=False):
            _own(job_id, attempt, status="running", done=done, matched=matched, result_attempt=attempt)
        for chunk in _rows(job_id, done):
            _ensure_key_valid(principal_id)
            answers = replay.screen(chunk, sector) if replay else screening.screen(chunk, sector)
            db.session.rollback()  # end the read transaction before writing
            for answer in answers:
                out.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
            _sync(out)  # on disk before the progress that counts it is committed
            done += len(chunk)
            matched += sum(1 for a in answers if a["matches"])
            with write_transaction(register_lock=False):  # appends and progress: no register write
                screening.log_screenings(chunk, answers, principal_id)
                _own(job_id, attempt, done=done, matched=matched, list_version=answers[0]["list_version"])
    _end(job_id, attempt, "done")


def _ensure_key_valid(principal_id: int) -> None:
    """A revoked key's job stops before its next chunk (failed, its rows deleted by ``_run``): nobody may screen
    on behalf of a key that no longer exists, nor log lookups under it, and its result could not be fetched."""
    if db.session.scalar(select(Principal.revoked_at).where(Principal.id == principal_id)) is not None:
        raise Forbidden(REVOKED, code="auth.revoked")


def _sync(out: TextIO) -> None:
    out.flush()
    os.fsync(out.fileno())


def _carry_over(earlier: Path | None, done: int, out: TextIO) -> bool:
    """Copy, line by line, the ``done`` rows committed in an earlier attempt's file (which may hold more,
    written but never counted). False, with nothing copied, if that file no longer holds them."""
    copied = 0
    if earlier is not None and earlier.exists():
        with earlier.open(encoding="utf-8") as rows:
            for line in itertools.islice(rows, done):
                out.write(line)
                copied += 1
    if copied == done:
        return True
    out.seek(0)
    out.truncate()
    return False


def _end(job_id: str, attempt: int, status: str, error: str | None = None) -> None:
    """Finish the job as its owner, and delete what only the running job needed (the rows are personal data)."""
    try:
        with write_transaction(register_lock=False):
            _own(job_id, attempt, status=status, error=error, finished_at=utcnow())
    except Superseded:
        log.warning("screening job %s: attempt %s was superseded before it ended", job_id, attempt)
        return
    _discard(job_id, keep=result_path(job_id, attempt) if status == "done" else None)


def _discard(job_id: str, keep: Path | None = None) -> None:
    """Delete the job's files (its submitted rows, every attempt's result) but ``keep``."""
    for path in _directory().glob(f"{job_id}.*"):
        if path != keep:
            path.unlink(missing_ok=True)


def result_file(job: ScreeningJob) -> Path:
    """A finished job's result: the file of the attempt that committed its last rows."""
    return result_path(job.id, job.result_attempt or job.attempts)


def purge(now: dt.datetime) -> tuple[list[str], list[str]]:
    """The daily sweep: expire the results of jobs finished more than ``JOB_RESULT_DAYS`` ago (or whose key
    was revoked) and fail jobs
    silent for :data:`ABANDONED` (lost, and never polled again), then delete every file no job needs —
    also those a crash left behind. Returns the ids of the jobs expired and of those failed. The jobs stay,
    with their counts (who screened how many, for the audit)."""
    kept_until = now - dt.timedelta(days=int(current_app.config["JOB_RESULT_DAYS"]))
    # A revoked key can download nothing: its results are personal data kept for no one.
    revoked = ScreeningJob.principal_id.in_(select(Principal.id).where(Principal.revoked_at.is_not(None)))
    with write_transaction(register_lock=False):
        expired = _set_status(
            "expired",
            None,
            ScreeningJob.status == "done",
            or_(ScreeningJob.finished_at < kept_until, revoked),
        )
        silent = ScreeningJob.heartbeat_at < now - ABANDONED
        abandoned = _set_status("failed", ABANDONED_ERROR, ScreeningJob.status.in_(ACTIVE), silent)
    _delete_unneeded_files(now)
    return expired, abandoned


def _set_status(status: str, error: str | None, *where: Any) -> list[str]:
    """One guarded UPDATE: a job that a poll resumed or an attempt finished meanwhile no longer matches
    ``where`` when its row is locked, and is left alone."""
    changes = {"status": status} | ({"error": error, "finished_at": utcnow()} if error else {})
    changed = db.session.execute(
        update(ScreeningJob)
        .where(*where)
        .values(**changes)
        .returning(ScreeningJob.id)
        .execution_options(synchronize_session=False)
    )
    return list(changed.scalars())


def _delete_unneeded_files(now: dt.datetime) -> None:
    """Keep the files of running jobs and the result of each done job; delete the rest. A file of no job
    at all is deleted once it is an hour old (a job being submitted writes its rows just before it exists)."""
    files = [path for path in _directory().glob("*.jsonl")] if _directory().exists() else []
    ids = {path.name.split(".", 1)[0] for path in files}
    jobs = {job.id: job for job in db.session.scalars(select(ScreeningJob).where(ScreeningJob.id.in_(ids)))}
    db.session.rollback()
    an_hour_ago = (now - dt.timedelta(hours=1)).timestamp()
    for path in files:
        job = jobs.get(path.name.split(".", 1)[0])
        needed = (
            path.stat().st_mtime > an_hour_ago
            if job is None
            else job.status in ACTIVE or (job.status == "done" and path == result_file(job))
        )
        if not needed:
            path.unlink(missing_ok=True)


def get(job_id: str, principal: Principal) -> ScreeningJob:
    """A partner's own job; one lost with its worker is resumed here (or failed, once it has been lost
    :data:`MAX_ATTEMPTS` times)."""
    job = db.session.get(ScreeningJob, job_id)
    if job is None or job.principal_id != principal.id:  # another partner's job does not exist for you
        raise NotFound("no such job", code="job.not_found")
    heard = job.heartbeat_at.replace(tzinfo=job.heartbeat_at.tzinfo or dt.UTC)  # SQLite keeps no zone
    if job.status in ACTIVE and _now() - heard > STALE:
        _take_over(job)
        db.session.refresh(job)
    return job


def _take_over(job: ScreeningJob) -> None:
    """Claim a lost job for a new attempt in this worker, unless another poll claimed it first."""
    attempt, job_id, principal_id = job.attempts, job.id, job.principal_id
    resumable = attempt < MAX_ATTEMPTS and input_path(job_id).exists()
    error = None if resumable else (GONE if attempt < MAX_ATTEMPTS else LOST.format(attempts=attempt))
    changes = (
        {"status": "queued", "attempts": attempt + 1, "heartbeat_at": _now()}
        if resumable
        else {"status": "failed", "error": error, "finished_at": utcnow()}
    )
    with write_transaction(register_lock=False):
        if resumable and _running(principal_id) >= int(current_app.config["JOB_LIMIT"]):
            return  # the key's other jobs use its threads: resumed by a poll once one of them ends
        claimed = _compare_and_set(job_id, attempt, ScreeningJob.heartbeat_at < _now() - STALE, **changes)
    if not claimed:  # another poll took it first, or its attempt spoke up meanwhile
        return
    log.warning("screening job %s was lost by attempt %s: %s", job_id, attempt, error or "resumed")
    if resumable:
        start(current_app._get_current_object(), job_id, attempt + 1)  # type: ignore[attr-defined]
    else:
        _discard(job_id)
