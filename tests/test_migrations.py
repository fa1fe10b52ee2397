"""The Alembic migrations are the only way the schema is built (tests/conftest.py): they must build exactly
the models' schema, on every backend, and every revision must downgrade cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from blacklist_service import create_app
from blacklist_service.extensions import db
from tests.conftest import _settings


def test_the_migrations_build_the_models_schema(app: Flask):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path):
    app = create_app(_settings(f"sqlite:///{tmp_path / 'round-trip.sqlite3'}"))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()
