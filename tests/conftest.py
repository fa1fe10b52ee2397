"""Test fixtures.

Strategy: the schema is built only by the Alembic migrations, once per backend per session. Every test
gets a clean database: on SQLite a fresh copy of the migrated file, on PostgreSQL the same database with
all tables truncated. The suite runs on SQLite always and on PostgreSQL too when
``BLACKLIST_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it). "Today" is fixed (D1) and tests move it with
the ``today`` fixture.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from blacklist_service import create_app
from blacklist_service.extensions import db
from tests.support import Desk, World, app_settings, build_world

POSTGRES_URL = os.environ.get("BLACKLIST_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

def _migrate(url: str) -> None:
    app = create_app(app_settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for one backend: a template file (SQLite) or the PostgreSQL test database."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("db") / "template.sqlite3"
        _migrate(f"sqlite:///{template}")
        yield str(template)
        return
    assert POSTGRES_URL
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _migrate(POSTGRES_URL)
    yield POSTGRES_URL


def _fresh_url(database: str, tmp_path: Path) -> str:
    if database.startswith("postgresql"):
        engine = create_engine(database)
        with engine.begin() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
            ]
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return database
    copy = tmp_path / "test.sqlite3"
    shutil.copyfile(database, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app(database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(app_settings(_fresh_url(database, tmp_path)) | {"UPLOAD_DIR": str(tmp_path / "uploads")})
    yield app
    _join_job_threads()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _join_job_threads() -> None:
    """Let the test's screening-job threads end before its engine is disposed: one still running would take a
    new connection from the disposed engine and leave it to the garbage collector, unclosed (a ResourceWarning
    in whichever later test collects it, since building an index collects: services.screening._freeze_heap)."""
    for thread in threading.enumerate():
        if thread.name.startswith("screening-"):
            thread.join(60)
            assert not thread.is_alive(), f"{thread.name} outlived its test"


@pytest.fixture
def today(app: Flask):
    """Set the service's today: ``today(dt.date(2027, 1, 5))``."""

    def set_today(day: dt.date) -> None:
        app.config["TODAY"] = day

    return set_today


@pytest.fixture
def world(app: Flask) -> World:
    """Two courts (and their higher court), a court key each, an admin key and a client."""
    return build_world(app)


@pytest.fixture
def desk(world: World) -> Desk:
    """The first court's clerk: debtors, cases, listings and orders through the API."""
    return Desk(world.court)
