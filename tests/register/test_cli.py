"""The Flask CLI: courts, keys (shown once, stored hashed), revocation, demo data."""

from __future__ import annotations

from sqlalchemy import select

from blacklist_service.extensions import db
from blacklist_service.models import Principal


def test_court_and_key_commands(app):
    runner = app.test_cli_runner()
    assert "court 京03 added" in runner.invoke(args=["courts", "add", "京03", "三中院", "北京市"]).output
    added = runner.invoke(
        args=["courts", "add", "京0105", "朝阳法院", "北京市", "--parent", "京03", "--contact", "010-12368"]
    )
    assert added.exit_code == 0, added.output
    created = runner.invoke(
        args=["keys", "create", "--role", "court", "--court", "京0105", "--name", "执行局"]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("bl_")
    client = app.test_client()
    assert client.get("/listings/", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(Principal))
        assert key not in (stored.key_hash, stored.key_prefix) and len(stored.key_hash) == 64
        prefix = stored.key_prefix
    assert runner.invoke(args=["keys", "revoke", prefix]).exit_code == 0
    revoked = client.get("/listings/", headers={"Authorization": f"Bearer {key}"})
    assert revoked.status_code == 401 and revoked.json["code"] == "auth.invalid_key"


def test_key_command_refusals(app):
    runner = app.test_cli_runner()
    assert (
        "no court with code"
        in runner.invoke(args=["keys", "create", "--role", "court", "--court", "X", "--name", "n"]).output
    )
    assert (
        "needs its court" in runner.invoke(args=["keys", "create", "--role", "court", "--name", "n"]).output
    )
    assert (
        "needs its sector"
        in runner.invoke(args=["keys", "create", "--role", "partner", "--name", "n"]).output
    )
    assert "no such key" in runner.invoke(args=["keys", "revoke", "nope"]).output


def test_demo_seed_creates_every_state_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    keys = dict(line.strip().split(": ", 1) for line in first.output.splitlines()[1:])
    court = app.test_client()
    headers = {"Authorization": f"Bearer {keys['court 京0105 (朝阳)']}"}
    states = [x["state"] for x in court.get("/listings/", headers=headers).json["items"]]
    assert sorted(states) == ["active", "active", "removed"]
    assert court.get("/restrictions/", headers=headers, query_string={"active": True}).json["total"] >= 3
    assert "already loaded" in runner.invoke(args=["demo", "seed"]).output
