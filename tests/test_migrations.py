"""The Alembic migrations are the only way the schema is built (tests/conftest.py): they must build exactly
the models' schema, on every backend, and every revision must go down and up again on a database that holds
data (on SQLite, altering a table rebuilds it, which rows referencing it would block)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from blacklist_service import create_app
from blacklist_service.extensions import db, migrate
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.support import Desk, app_settings, build_world

COUNTED = ("courts", "subjects", "cases", "case_facts", "listings", "restrictions", "permissions")


def test_the_migrations_build_the_models_schema(app: Flask):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own (the suite's shared one must stay at the head revision)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'round-trip.sqlite3'}"
        return
    assert POSTGRES_URL
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _seed(app: Flask) -> None:
    """A listed person and a restricted company, its legal representative with a permission."""
    world = build_world(app)
    desk = Desk(world.court)
    person = desk.person()
    assert desk.list(desk.case(person["id"])["id"]).status_code == 201
    company = desk.company()
    case = desk.case(company["id"])
    assert desk.fact(case["id"], "applicant_hold_off", "2026-03-20").status_code == 201
    order = desk.restrict(case["id"], justification="转移财产")
    assert order.status_code == 201, order.json
    permission = desk.client.post(
        f"/restrictions/{order.json[1]['id']}/permissions",
        {
            "kind": "personal_funds",
            "measures": ["AVIATION_FLIGHT"],
            "valid_from": "2026-12-01",
            "approved_by": "院长",
        },
    )
    assert permission.status_code == 201, permission.json
    student = desk.case(desk.person("李四", seq="117")["id"], campus_loan=True)
    assert desk.restrict(student["id"], justification="有能力而拒不履行").status_code == 201
    db.session.remove()  # the migrations alter tables: no connection may still hold a transaction
    db.engine.dispose()


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in COUNTED}


def test_every_revision_goes_down_and_up_again_with_data(empty_database: str):
    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        _seed(app)
        seeded = _counts()
        assert all(seeded.values()), seeded
        script = ScriptDirectory.from_config(migrate.get_config())
        revisions = [r.revision for r in script.walk_revisions()]  # head first
        for below in [*revisions[1:], "base"]:
            downgrade(revision=below)  # every downgrade above `below`, on the rows still there
            upgrade()  # and every upgrade back to the head
        assert set(inspect(db.engine).get_table_names()) >= set(COUNTED)
        downgrade(revision=revisions[1])
        upgrade()
        with db.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM restrictions")).scalar_one() == 0
            )  # base dropped all
        db.engine.dispose()


def test_the_latest_revisions_keep_every_row(empty_database: str):
    """One step down and up from the head (what a deployment's rollback does) loses no row."""
    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        _seed(app)
        seeded = _counts()
        for steps in range(1, 3):
            downgrade(revision=f"-{steps}")
            upgrade()
            assert _counts() == seeded
        db.engine.dispose()


def test_orders_from_before_their_reasons_were_kept_are_marked_where_they_must_have_overridden(
    empty_database: str,
):
    """Revision 3a7c51d0e2b9: an order issued directly on a campus-loan case was issued over §16(c)."""
    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        _seed(app)
        downgrade(revision="b0248248c34a")  # before orders kept their reasons
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.campus_loan, r.capacity, r.listing_id IS NULL, r.overrides, r.justification "
                    "FROM restrictions r JOIN cases c ON c.id = r.case_id ORDER BY r.id"
                )
            ).all()
        overrides = [
            (bool(loan), capacity, bool(direct), _json(value), why)
            for loan, capacity, direct, value, why in rows
        ]
        assert overrides == [
            (False, "debtor", False, [], None),  # placed with the listing
            (False, "debtor", True, [], None),  # over the hold-off: its reasons were not kept
            (False, "key_person", True, [], None),
            (True, "debtor", True, ["campus_loan_with_justification"], None),
        ]
        db.engine.dispose()


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def test_the_access_logs_subject_lists_move_into_their_indexed_table_and_back(empty_database: str):
    """Revision c3f1a7d95e20: each row's JSON list becomes one row per subject (each once), so "who looked up
    subject X" is an index lookup; a downgrade rebuilds the lists, sorted."""
    app = create_app(app_settings(empty_database))
    with app.app_context():
        upgrade()
        _seed(app)
        downgrade(revision="5d2c8e61a7f3")  # before the table
        with db.engine.begin() as conn:
            subjects = list(conn.execute(text("SELECT id FROM subjects ORDER BY id")).scalars())
            first, second = subjects[:2]
            before = conn.execute(text("SELECT count(*) FROM access_log")).scalar_one()
            for ids in ([second, first, first], [], [first], [first, 999_999]):  # 999 999: no such subject
                conn.execute(
                    text(
                        "INSERT INTO access_log (at, action, subject_ids) VALUES (CURRENT_TIMESTAMP, 'screen', :ids)"
                    ),
                    {"ids": json.dumps(ids)},
                )
            newest = conn.execute(text("SELECT id FROM access_log ORDER BY id DESC LIMIT 4")).scalars()
            added = sorted(newest)
        upgrade()
        with db.engine.connect() as conn:
            links = conn.execute(
                text(
                    "SELECT access_log_id, subject_id FROM access_log_subjects"
                    " WHERE access_log_id >= :first ORDER BY access_log_id, subject_id"
                ),
                {"first": added[0]},
            ).all()
            assert "subject_ids" not in {c["name"] for c in inspect(conn).get_columns("access_log")}
        assert [tuple(x) for x in links] == [
            (added[0], first),
            (added[0], second),
            (added[2], first),
            (added[3], first),
        ]
        downgrade(revision="5d2c8e61a7f3")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, subject_ids FROM access_log ORDER BY id")).all()
        lists = {row_id: _json(value) for row_id, value in rows}
        assert [lists[x] for x in added] == [[first, second], [], [first], [first]]
        assert len(lists) == before + 4
        upgrade()
        db.engine.dispose()
