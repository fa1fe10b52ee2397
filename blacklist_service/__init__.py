"""The dishonest-debtor list and joint-sanction service (失信被执行人名单与联合惩戒).

Courts list and delist debtors and issue consumption restriction orders; partner agencies screen people
and companies against their own sector's sanctions; citizens check their own status and apply for
correction. Every write is recorded in an append-only event log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.middleware.proxy_fix import ProxyFix

from blacklist_service import config
from blacklist_service.errors import ServiceError
from blacklist_service.extensions import api, db, limiter, migrate

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from ``BLACKLIST_*`` variables, overridden by ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config.API_SETTINGS)
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    _ensure_sqlite_dir(app)
    _limit_request_bodies(app)
    _trust_proxies(app)
    _secure_headers(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    limiter.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "apiKey", {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <API key>"}
    )
    _register_blueprints(app)
    _register_error_handlers(app)
    _register_commands(app)

    from blacklist_service import holidays, transactions
    from blacklist_service.services import screening

    holidays.install(app)
    transactions.install(app)
    screening.init_app(app)
    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _ensure_sqlite_dir(app: Flask) -> None:
    from pathlib import Path

    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


# The one route whose body may exceed MAX_CONTENT_LENGTH (flask-smorest endpoint: blueprint.MethodView).
JOB_SUBMISSION = ("screening.JobViews", "POST")


def _limit_request_bodies(app: Flask) -> None:
    """MAX_CONTENT_LENGTH for every request (413 ``payload_too_large``, before anything is written), and
    MAX_JOB_REQUEST_BYTES for job submission alone. Its key is checked before the body is read."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = config.request_limit(int(app.config["MAX_ATTACHMENT_BYTES"]))

    @app.before_request
    def _job_body_limit() -> None:
        if (request.endpoint, request.method) == JOB_SUBMISSION:
            request.max_content_length = int(app.config["MAX_JOB_REQUEST_BYTES"])


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client address (rate limits, access log) and scheme from
    the entries they appended to X-Forwarded-For and X-Forwarded-Proto. Without a proxy those headers come
    from the client, who could pick its address and dodge its throttle: hence 0 = off by default."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


# On every answer unless it sets its own: many carry ID numbers and statuses (no browser or proxy may keep
# them; static files say no-cache themselves), none is to be sniffed into another type or framed.
SECURE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
HSTS = "max-age=31536000"


def _secure_headers(app: Flask) -> None:
    """SECURE_HEADERS, and HSTS on an answer sent over HTTPS (directly, or through the PROXY_HOPS proxies'
    X-Forwarded-Proto): over plain HTTP a client could not tell it came from here."""

    @app.after_request
    def _add(response: Response) -> Response:
        for name, value in SECURE_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def _register_blueprints(app: Flask) -> None:
    from blacklist_service.resources.blueprint import URL_CONVERTERS

    app.url_map.converters.update(URL_CONVERTERS)  # before any route: ids that fit a column, text paths
    from blacklist_service.resources import (
        access_log,
        applications,
        cases,
        debtors,
        events,
        listings,
        public,
        restrictions,
        sanctions,
        screening,
    )

    modules = (debtors, cases, listings, restrictions, applications, events, sanctions, screening, public)
    for module in (*modules, access_log):
        api.register_blueprint(module.blp)

    from blacklist_service import web

    app.register_blueprint(web.bp)  # the citizen pages: plain Flask, not in the OpenAPI spec


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return jsonify(error.payload()), error.status, dict(error.headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
        from werkzeug.exceptions import HTTPException

        db.session.rollback()
        if isinstance(error, HTTPException):
            return api.handle_http_exception(error)
        log.exception("unhandled error")
        body = {
            "status": 500,
            "code": "internal_error",
            "message": "internal error; the request changed nothing",
        }
        return jsonify(body), 500


def _register_commands(app: Flask) -> None:
    from blacklist_service import cli

    cli.register(app)
