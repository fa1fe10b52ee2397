"""Production settings: the request body limit (global, and per route for screening jobs) and trusting a
reverse proxy's X-Forwarded-For (off by default: the header would otherwise let clients pick their address)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from blacklist_service import config, create_app
from blacklist_service.extensions import db
from blacklist_service.models import (
    AccessLog,
    Attachment,
    CorrectionApplication,
    Event,
    ScreeningJob,
    Subject,
)
from blacklist_service.services.applications import MAX_ATTACHMENTS
from tests.conftest import _fresh_url
from tests.support import app_settings, build_world, person_id

BORN = dt.date(1980, 5, 17)
BOUNDARY = "----deployment-test-boundary"
PDF = b"%PDF-1.4\n"


@pytest.fixture
def listing(desk) -> dict:
    return desk.list(desk.case(desk.person(born=BORN)["id"])["id"]).json


def _form_body(listing_id: int, sizes: list[int]) -> bytes:
    """A correction application, every text field at its maximum, with PDF attachments of these sizes."""
    form = MultiDict(
        {
            "name": "张三",
            "id_number": person_id(BORN),
            "listing_id": str(listing_id),
            "ground": "should_be_deleted",
            "explanation": "已" * 4000,
            "contact": "1" * 200,
        }
    )
    for n, size in enumerate(sizes):
        content = PDF + b"0" * (size - len(PDF))
        form.add(
            "attachments",
            FileStorage(io.BytesIO(content), filename=f"{n}.pdf", content_type="application/pdf"),
        )
    return encode_multipart(form, boundary=BOUNDARY)[1]


def _post_form(client, body: bytes):
    return client.post(
        "/public/correction-applications", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def _form_of_length(listing_id: int, total: int, attachment: int) -> bytes:
    """An application with the most attachments encoded in exactly ``total`` bytes (the last takes the rest)."""
    sizes = [attachment] * MAX_ATTACHMENTS
    sizes[-1] += total - len(_form_body(listing_id, sizes))
    body = _form_body(listing_id, sizes)
    assert len(body) == total
    return body


def _rows(app: Flask) -> dict[str, int]:
    """How many rows the tables a refused body could have written to hold, and files on the volume."""
    with app.app_context():
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AccessLog, Attachment, CorrectionApplication, Event, ScreeningJob, Subject)
        }
    uploads = Path(app.config["UPLOAD_DIR"])
    counts["files"] = len(list(uploads.iterdir())) if uploads.exists() else 0
    return counts


def _too_large(response) -> None:
    assert response.status_code == 413, response.data[:200]
    assert response.is_json
    assert response.json["status"] == 413
    assert response.json["code"] == "payload_too_large"
    assert response.json["message"]


# --- Body size --------------------------------------------------------------------------------------------------


def test_the_default_limit_admits_the_largest_correction_application():
    attachment = 5 * 1024 * 1024
    assert config.request_limit(attachment) == MAX_ATTACHMENTS * attachment + config.MIB
    assert config.request_limit(1024) == config.MIN_REQUEST_BYTES  # never below a full screening batch


def test_the_largest_legitimate_correction_application_is_filed(app, desk, world, listing):
    limit = app.config["MAX_CONTENT_LENGTH"]
    attachment = app.config["MAX_ATTACHMENT_BYTES"]
    assert limit == config.request_limit(attachment)  # the default: nothing set in the environment
    body = _form_body(listing["id"], [attachment] * MAX_ATTACHMENTS)
    assert len(body) <= limit
    response = _post_form(world.public.client, body)
    assert response.status_code == 201, response.json
    filed = desk.client.get("/correction-applications/").json["items"][0]
    assert [a["size"] for a in filed["attachments"]] == [attachment] * MAX_ATTACHMENTS


def test_a_body_one_byte_over_the_limit_is_refused_and_nothing_is_filed(app, desk, world, listing):
    limit = app.config["MAX_CONTENT_LENGTH"]
    attachment = app.config["MAX_ATTACHMENT_BYTES"]
    before = _rows(app)
    response = _post_form(world.public.client, _form_of_length(listing["id"], limit, attachment))
    assert response.status_code == 422 and response.json["code"] == "attachment.too_large"  # read and judged
    _too_large(_post_form(world.public.client, _form_of_length(listing["id"], limit + 1, attachment)))
    # Nothing filed or stored; the refused attempt that was read is in the access log (who looked up whom).
    assert _rows(app) == before | {"AccessLog": before["AccessLog"] + 1}
    assert before["CorrectionApplication"] == before["files"] == 0


def _json_body(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    head = json.dumps({"name": "张三", "id_number": person_id(BORN), "pad": ""})
    return (head[:-2] + "x" * (size - len(head.encode())) + head[-2:]).encode()


def test_an_oversized_json_body_is_refused_before_anything_is_read_or_written(app, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = _json_body(limit + 1)
    assert len(body) == limit + 1
    headers = {"Content-Type": "application/json"}
    before = _rows(app)
    # The self-check's per-identity throttle reads the body first: still a clean 413.
    _too_large(world.public.client.post("/public/self-check", data=body, headers=headers))
    court = {"Authorization": f"Bearer {world.keys['court']}"} | headers
    _too_large(world.court.client.post("/debtors/", data=body, headers=court))
    assert _rows(app) == before
    assert before["AccessLog"] == before["Subject"] == 0
    response = world.public.client.post("/public/self-check", data=_json_body(1000), headers=headers)
    assert response.status_code == 422  # a small body is read (and refused by the schema: "pad")


def test_screening_jobs_have_their_own_larger_limit(app, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert app.config["MAX_JOB_REQUEST_BYTES"] == config.JOB_REQUEST_BYTES > limit
    headers = {"Authorization": f"Bearer {world.keys['hotel']}", "Content-Type": "application/json"}
    big = json.dumps({"items": [], "pad": "x" * limit}).encode()
    response = world.hotel.client.post("/screening/jobs", data=big, headers=headers)
    assert response.status_code == 422, response.json  # read, then refused by the schema, not for its size
    assert {e["field"] for e in response.json["errors"]} == {"items", "pad"}
    batch = world.hotel.client.post("/screening/batch", data=big, headers=headers)
    _too_large(batch)  # the other routes keep the global limit
    app.config["MAX_JOB_REQUEST_BYTES"] = len(big) - 1
    before = _rows(app)
    _too_large(world.hotel.client.post("/screening/jobs", data=big, headers=headers))
    assert _rows(app) == before
    assert world.hotel.client.post("/screening/jobs", data=big).status_code == 401  # no key: body unread


def test_the_limits_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BLACKLIST_MAX_REQUEST_BYTES", "1000")
    monkeypatch.setenv("BLACKLIST_MAX_JOB_REQUEST_BYTES", "2000")
    monkeypatch.setenv("BLACKLIST_PROXY_HOPS", "2")
    settings = config.from_environment()
    assert (settings["MAX_CONTENT_LENGTH"], settings["MAX_JOB_REQUEST_BYTES"], settings["PROXY_HOPS"]) == (
        1000,
        2000,
        2,
    )
    monkeypatch.setenv("BLACKLIST_MAX_REQUEST_BYTES", "0")
    with pytest.raises(ValueError, match="BLACKLIST_MAX_REQUEST_BYTES"):
        config.from_environment()
    monkeypatch.delenv("BLACKLIST_MAX_REQUEST_BYTES")
    monkeypatch.setenv("BLACKLIST_PROXY_HOPS", "-1")
    with pytest.raises(ValueError, match="BLACKLIST_PROXY_HOPS"):
        config.from_environment()
    monkeypatch.delenv("BLACKLIST_PROXY_HOPS")
    monkeypatch.delenv("BLACKLIST_MAX_JOB_REQUEST_BYTES")
    settings = config.from_environment()
    assert (settings["MAX_CONTENT_LENGTH"], settings["MAX_JOB_REQUEST_BYTES"], settings["PROXY_HOPS"]) == (
        None,  # create_app derives it from the attachment size
        config.JOB_REQUEST_BYTES,
        0,
    )


# --- Reverse proxy ----------------------------------------------------------------------------------------------


@pytest.fixture
def proxied_app(database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        app_settings(_fresh_url(database, tmp_path)) | {"UPLOAD_DIR": str(tmp_path / "uploads"), "PROXY_HOPS": 1}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _search(client, forwarded_for: str):
    return client.get(
        "/public/dishonest-debtors",
        query_string={"name": "张三"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},  # the proxy
    )


def _logged_clients(app: Flask) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog.client).order_by(AccessLog.id)))


def test_behind_one_proxy_each_forwarded_client_has_its_own_budget(proxied_app):
    proxied_app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    client = build_world(proxied_app).public.client
    assert _search(client, "203.0.113.7").status_code == 200
    assert _search(client, "203.0.113.7").status_code == 429
    # The proxy appends the address it saw; whatever the client claimed before it is not trusted.
    assert _search(client, "198.51.100.1, 203.0.113.7").status_code == 429
    assert _search(client, "203.0.113.8").status_code == 200
    assert _logged_clients(proxied_app) == ["203.0.113.7", "203.0.113.8"]


def test_without_a_proxy_forwarded_for_is_ignored(app, world):
    assert app.config["PROXY_HOPS"] == 0
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    client = world.public.client
    assert _search(client, "203.0.113.7").status_code == 200
    limited = _search(client, "203.0.113.8")
    assert limited.status_code == 429 and limited.json["code"] == "rate_limited"
    assert _logged_clients(app) == ["10.9.9.9"]


def test_a_database_error_logged_as_unhandled_carries_no_id_number(app, world, caplog, monkeypatch):
    """Personal data: the unhandled-error log holds the exception, and a database error's message would
    otherwise list the statement's parameters — here a resident ID number."""
    from sqlalchemy import text

    id_number = person_id(dt.date(1980, 5, 17))

    def failing_lookup(*args, **kwargs):
        db.session.execute(text("SELECT no_such_column FROM subjects WHERE id_number = :n"), {"n": id_number})

    monkeypatch.setattr("blacklist_service.services.citizens.identify", failing_lookup)
    response = world.public.post("/public/self-check", {"name": "张三", "id_number": id_number})
    assert response.status_code == 500 and response.json["code"] == "internal_error"
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "no_such_column" in logged  # the error itself is logged …
    assert id_number not in logged  # … without the ID it was looked up by


def test_the_attachment_size_is_a_positive_number_and_empty_means_the_default(monkeypatch):
    """An empty value read as 0 refused every attachment, and 0 or a negative size was taken as given."""
    monkeypatch.setenv("BLACKLIST_MAX_ATTACHMENT_BYTES", "")
    assert config.from_environment()["MAX_ATTACHMENT_BYTES"] == 5 * config.MIB
    monkeypatch.setenv("BLACKLIST_MAX_ATTACHMENT_BYTES", "1048576")
    assert config.from_environment()["MAX_ATTACHMENT_BYTES"] == config.MIB
    for bad in ("0", "-5"):
        monkeypatch.setenv("BLACKLIST_MAX_ATTACHMENT_BYTES", bad)
        with pytest.raises(ValueError, match="BLACKLIST_MAX_ATTACHMENT_BYTES"):
            config.from_environment()
