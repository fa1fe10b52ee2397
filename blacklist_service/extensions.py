"""Extension singletons and the flask-smorest glue (the only module that knows flask-smorest internals)."""

from __future__ import annotations

import ipaddress
import math
import time
from typing import Any

import marshmallow as ma
from flask import Response, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api as _Api
from flask_sqlalchemy import SQLAlchemy
from limits import RateLimitItem, parse_many
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from werkzeug.exceptions import HTTPException

from blacklist_service.errors import http_error_payload

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(metadata={"description": "Field name (dotted for nested fields)"})
    code = ma.fields.String(metadata={"description": "Stable machine-readable code"})
    message = ma.fields.String()


class ErrorSchema(ma.Schema):
    """Every error response has this shape."""

    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    code = ma.fields.String(
        metadata={"description": "Stable machine-readable code, e.g. listing.minor, id_number.check_digit"}
    )
    message = ma.fields.String(metadata={"description": "Human-readable explanation"})
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema), metadata={"description": "Field errors"})
    rule = ma.fields.String(metadata={"description": "The rule that refused the request (rulebook code)"})
    remedy = ma.fields.String(metadata={"description": "What the caller can do instead"})


class Api(_Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> tuple[Response, int, dict[str, Any]]:
        payload = http_error_payload(error)
        headers = dict((getattr(error, "data", None) or {}).get("headers") or {})
        return jsonify(payload), payload["status"], headers



# One subscriber is given a whole IPv6 /64 (RFC 6177 and common ISP practice) and may use any address in it.
IPV6_CLIENT_PREFIX = 64


def client_key() -> str:
    """The per-client throttle key: the client's address (after ProxyFix, see ``PROXY_HOPS``), an IPv6 one
    widened to its /64 so that rotating addresses within one subscriber's prefix does not multiply the budget.
    An IPv4 address, also one mapped into IPv6, is kept whole."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return address


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
limiter = Limiter(key_func=client_key, default_limits=[], headers_enabled=True)


def spend(limits: str, scope: str, key: str) -> int | None:
    """Count one against every limit of ``limits`` (flask-limiter's notation, ``"2 per minute;30 per hour"``)
    for ``key`` in the limiter's storage, shared by the workers through Redis in production: for a cost only
    the view knows it incurs (a decorator counts every request). None when each had room; otherwise the
    seconds until the spent one has room again, and nothing is counted."""
    if not limiter.enabled:
        return None
    items, strategy = parse_many(limits), limiter.limiter
    for item in items:
        if not strategy.test(item, scope, key):
            return _wait(item, scope, key)
    for item in items:
        strategy.hit(item, scope, key)
    return None


def take(limits: str, scope: str, key: str) -> int | None:
    """``spend`` in one step per limit: each is hit at once (atomically in the storage), so requests running
    at the same time cannot all pass a test before any of them is counted (``spend`` tests, then hits; and a
    decorator's conditional deduction tests before the view and counts after it). None when each had room;
    otherwise the seconds until the first full one has room again (a limit hit before it stays spent)."""
    if not limiter.enabled:
        return None
    for item in parse_many(limits):
        if not limiter.limiter.hit(item, scope, key):
            return _wait(item, scope, key)
    return None


def _wait(item: RateLimitItem, scope: str, key: str) -> int:
    """Whole seconds, at least one, until ``item`` has room again for ``key``."""
    reset = limiter.limiter.get_window_stats(item, scope, key).reset_time
    return max(1, math.ceil(reset - time.time()))
