"""How each transaction begins (transactions.py): on SQLite every request begins as a writer, because most reads
append to the access log, and a transaction that reads and then writes deadlocks with a concurrent writer."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import event, text

from blacklist_service.extensions import db
from tests.support import Desk

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
