"""Configuration: every setting comes from an environment variable prefixed ``BLACKLIST_``."""

from __future__ import annotations

import os
from pathlib import Path

PREFIX = "BLACKLIST_"
DEFAULT_SQLITE = Path("instance") / "blacklist.sqlite3"
MIB = 1024 * 1024
# Request bodies. A screening batch (5 000 subjects, every field at its schema maximum) is under 10 MiB.
MIN_REQUEST_BYTES = 16 * MIB
# POST /screening/jobs takes up to 1 000 000 subjects as JSON: about 120 MiB for typical rows (names,
# IDs, short references), twice that for long company names, UUID references and indentation.
JOB_REQUEST_BYTES = 512 * MIB
# Swagger UI 5 renders OpenAPI 3.1 (the PyPI bundles ship version 4, which cannot).
SWAGGER_UI_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
REDOC_URL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
# The public throttles' defaults (the tests check the pages stay usable under these very limits).
PUBLIC_RATE_LIMIT = "30 per minute;300 per hour"
SELF_CHECK_TARGET_LIMIT = "5 per hour;20 per day"
# Per partner key, the as_of replays that build a past day's index (about 2 s at 100 000 entries, 11 s at
# 1 000 000, README "Benchmarks"): at 1 000 000 at most a minute of builds in any minute and some 6 minutes of
# one worker's thread an hour, while receipts checked a day at a time (then served from the cache) fit.
REPLAY_RATE_LIMIT = "5 per minute;30 per hour"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(PREFIX + name, default)


def _count(name: str, default: int | None, minimum: int = 0) -> int | None:
    """A whole number of at least ``minimum``; unset or empty = ``default``."""
    value = _env(name)
    if value is None or not value.strip():
        return default
    number = int(value)
    if number < minimum:
        raise ValueError(f"{PREFIX}{name} must be at least {minimum}, not {number}")
    return number


def from_environment() -> dict[str, object]:
    """Read the service's settings; see README "Configuration" for each variable."""
    database_url = _env("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE.resolve()}"
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": _env("SECRET_KEY", "dev-only-not-secret"),
        # Fixed "today" (YYYY-MM-DD) for demos and tests (D1); unset = the server's local date.
        "TODAY": _env("TODAY"),
        # Redis for state shared between workers (rate limits); memory:// in a single process.
        "RATELIMIT_STORAGE_URI": _env("REDIS_URL", "memory://"),
        "PUBLIC_RATE_LIMIT": _env("PUBLIC_RATE_LIMIT", PUBLIC_RATE_LIMIT),
        # Per looked-up identity (name + visible ID digits), whoever asks: guessing birth dates stays slow.
        "SELF_CHECK_TARGET_LIMIT": _env("SELF_CHECK_TARGET_LIMIT", SELF_CHECK_TARGET_LIMIT),
        # Per partner key, replays (as_of) that build a past day's index; cached days and live screening are free.
        "REPLAY_RATE_LIMIT": _env("REPLAY_RATE_LIMIT", REPLAY_RATE_LIMIT),
        # A JSON file of State Council holiday notices for years chinese_calendar does not cover yet (D2).
        "HOLIDAYS_FILE": _env("HOLIDAYS_FILE"),
        "UPLOAD_DIR": _env("UPLOAD_DIR", str(Path("instance") / "uploads")),
        "MAX_ATTACHMENT_BYTES": _count("MAX_ATTACHMENT_BYTES", 5 * MIB, minimum=1),
        # Flask refuses larger bodies with 413; unset = request_limit() of the attachment size (create_app).
        "MAX_CONTENT_LENGTH": _count("MAX_REQUEST_BYTES", None, minimum=1),
        # The one route that needs more: POST /screening/jobs (partner keys only, checked before the body is read).
        "MAX_JOB_REQUEST_BYTES": _count("MAX_JOB_REQUEST_BYTES", JOB_REQUEST_BYTES, minimum=1),
        # Jobs a partner key may have running at once (each takes a thread of a worker); more: 429 job.too_many.
        "JOB_LIMIT": _count("JOB_LIMIT", 2, minimum=1),
        # Days a finished job's result is kept for download (it holds the partner's rows); then the sweep deletes it.
        "JOB_RESULT_DAYS": _count("JOB_RESULT_DAYS", 7, minimum=1),
        # Memory for the screening indices of past days kept for replays (as_of), least recently used out;
        # the last day asked is kept whatever its size, today's index is apart and never evicted.
        "PAST_INDEX_MIB": _count("PAST_INDEX_MIB", 256),
        # Reverse proxies in front that append X-Forwarded-For/-Proto; 0 = none (the headers are ignored).
        "PROXY_HOPS": _count("PROXY_HOPS", 0),
        # The API docs pages load Swagger UI and ReDoc from these; point them at a mirror on a closed network.
        "OPENAPI_SWAGGER_UI_URL": _env("SWAGGER_UI_URL", SWAGGER_UI_URL),
        "OPENAPI_REDOC_URL": _env("REDOC_URL", REDOC_URL),
    }


def request_limit(attachment_bytes: int) -> int:
    """The default body limit: a correction application with its most and largest attachments, plus
    1 MiB for the form fields and multipart framing, and never less than a full screening batch."""
    from blacklist_service.services.applications import MAX_ATTACHMENTS

    return max(MIN_REQUEST_BYTES, MAX_ATTACHMENTS * attachment_bytes + MIB)


API_SETTINGS: dict[str, object] = {
    "API_TITLE": "Dishonest-debtor list and joint-sanction service",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_REDOC_PATH": "/redoc",
    # hide_parameters: a database error's message, logged as an unhandled error, would otherwise carry the
    # statement's parameters, ID numbers among them.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "JSON_SORT_KEYS": False,
}
