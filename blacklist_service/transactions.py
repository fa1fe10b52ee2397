"""One transaction per request, with writers serialised.

Every request runs in one database transaction, committed by the view after the service succeeds and
rolled back on any error, so nothing is half-written. Mutating requests (POST/PUT/PATCH/DELETE) and write
commands additionally take the *register lock* as their first statement, which serialises writers:
- concurrent writers cannot both pass a check ("no active listing yet") and both write;
- event sequence numbers are assigned in commit order, so log followers never skip an event.
SQLite: ``BEGIN IMMEDIATE``, for every request: most reads append to the access log, and a transaction that
reads and then writes deadlocks with a concurrent writer, which SQLite resolves by failing it at once instead
of waiting (SQLite has one writer at a time anyway; only a job's reads, outside any request, begin deferred).
In WAL mode, so that those reads and the writer do not wait for each other; the key is read in a transaction
of its own, so that a large body is not parsed while holding the database.
PostgreSQL: a transaction-scoped advisory lock, for writes to the register only.
Court writes are rare (a few per second nationally at peak), so one lock is simple and sufficient.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from blacklist_service.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

_REGISTER_LOCK_KEY = 7_355_608  # arbitrary constant shared by all workers
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _is_write() -> bool:
    if has_app_context() and g.get("write_transaction"):
        return True
    if not has_request_context() or request.method in _SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(getattr(view, "view_class", view), "register_lock", True))


class Lookup:
    """Mixin for POST views that only read the register (screening, self-check): they append to the access
    log but never to the event log, so they need not wait for the register lock."""

    register_lock = False


def lookup(view: F) -> F:
    """The same for a function view."""
    view.register_lock = False  # type: ignore[attr-defined]
    return view


def install(app: Flask) -> None:
    """Hook the engine so each transaction begins the right way for its dialect."""
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        _install_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_begin)


def _install_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # let us emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Readers (a job screening its chunk) and the one writer do not wait for each other.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _is_write() or has_request_context() else "BEGIN")


def _postgres_begin(conn: Connection) -> None:
    if _is_write() and g.get("register_lock", True):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REGISTER_LOCK_KEY})


@contextlib.contextmanager
def write_transaction(register_lock: bool = True) -> Iterator[None]:
    """For CLI commands and jobs: one transaction, committed or rolled back as a whole, serialised with the
    register's writers; ``register_lock=False`` for writes that never touch the register (a job's progress and
    access-log rows, which cannot conflict with it): on PostgreSQL they then need not wait for court writes."""
    db.session.rollback()
    g.write_transaction, g.register_lock = True, register_lock
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.write_transaction, g.register_lock = False, True


def end_authentication() -> None:
    """SQLite: end the transaction that read the caller's key (begun as a writer, like every request's), so
    the body is parsed — a job's may be hundreds of megabytes — without holding the database."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()
