"""How each transaction begins (transactions.py): on SQLite every request begins as a writer, because most reads
append to the access log, and a transaction that reads and then writes deadlocks with a concurrent writer."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import event, text

from blacklist_service.extensions import db
from tests.support import Desk, person_id

WAIT = 30


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's locking only")
    return app


def _begins(app: Flask, run) -> list[str]:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_every_request_begins_as_a_writer_and_a_background_read_does_not(sqlite_app, world):
    assert set(_begins(sqlite_app, lambda: world.aviation.get("/screening/index"))) == {"BEGIN IMMEDIATE"}
    assert set(_begins(sqlite_app, lambda: world.aviation.post("/screening/", {"name": "张伟"}))) == {
        "BEGIN IMMEDIATE"
    }

    def background_read() -> None:
        with sqlite_app.app_context():
            db.session.execute(text("SELECT 1"))
            db.session.rollback()

    assert _begins(sqlite_app, background_read) == ["BEGIN"]


def test_a_lookup_that_logs_waits_for_a_writer_instead_of_failing(sqlite_app, world):
    """Another connection (a court's write, a job's progress) holds the write lock and then commits while a
    screening is being answered: the screening waits for it and is logged, rather than failing."""
    desk = Desk(world.court)
    desk.person(name="张伟")
    with sqlite_app.app_context():
        path = db.engine.url.database
    holding, done = threading.Event(), threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=WAIT)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE courts SET name = name")
        holding.set()
        time.sleep(0.3)
        conn.execute("COMMIT")
        conn.close()
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(WAIT)
    started = time.monotonic()
    answer = world.aviation.post("/screening/", {"name": "张伟"})
    thread.join(WAIT)
    assert done.is_set()
    assert answer.status_code == 200, answer.json
    assert time.monotonic() - started < 5  # it waited for the commit, not for the 10-second busy timeout


@pytest.fixture
def postgres_app(app: Flask) -> Flask:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's locking only")
    return app


def _waiting_for_register_lock(app: Flask) -> bool:
    with app.app_context():
        waiting = db.session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE '%pg_advisory_xact_lock%' AND pid <> pg_backend_pid()"
            )
        )
        db.session.rollback()
    return bool(waiting)


def _seqs(admin, after: int) -> list[int]:
    return [e["seq"] for e in admin.get("/events/", after=after, limit=1000).json["items"]]


def test_a_log_follower_never_skips_an_event_of_a_slower_writer(postgres_app, world, monkeypatch):
    """Sequence numbers come from a sequence, drawn when a row is inserted, not when it commits: if court A
    draws seq n and court B draws n+1 and commits first, a follower polling ``after=last seen`` between the
    two commits sees n+1 and never n (a removal lost for a partner: RULE-3). Writers are serialised by the
    register lock from their first statement, so B cannot draw a number, let alone commit, until A has
    committed. Real connections, one thread each; A is held after writing its event."""
    from blacklist_service.services import events

    flushed, release = threading.Event(), threading.Event()
    original = events.record

    def record_then_hold(*args, **kwargs):
        event = original(*args, **kwargs)
        if threading.current_thread().name == "court-a":
            flushed.set()
            assert release.wait(WAIT)
        return event

    monkeypatch.setattr(events, "record", record_then_hold)
    statuses: dict[str, int] = {}

    def register(name: str, debtor: str, born) -> None:
        body = {"kind": "person", "name": debtor, "id_number": person_id(born)}
        statuses[name] = world.court.post("/debtors/", body).status_code

    a = threading.Thread(target=register, args=("a", "张伟", dt.date(1980, 1, 2)), name="court-a")
    b = threading.Thread(target=register, args=("b", "李娜", dt.date(1981, 3, 4)), name="court-b")
    a.start()
    assert flushed.wait(WAIT)
    b.start()
    deadline = time.monotonic() + WAIT
    while b.is_alive() and not _waiting_for_register_lock(postgres_app) and time.monotonic() < deadline:
        time.sleep(0.01)
    b_waited = b.is_alive()
    seen_meanwhile = _seqs(world.admin, 0)  # a follower polls while A is still writing
    release.set()
    a.join(WAIT)
    b.join(WAIT)
    assert statuses == {"a": 201, "b": 201}
    assert b_waited, "court B wrote while court A held the register"
    followed = seen_meanwhile + _seqs(world.admin, max(seen_meanwhile, default=0))
    assert followed == _seqs(world.admin, 0)  # every event, once, in order
