"""Configuration: every setting comes from an environment variable prefixed ``BLACKLIST_``."""

from __future__ import annotations

import os
from pathlib import Path

PREFIX = "BLACKLIST_"
DEFAULT_SQLITE = Path("instance") / "blacklist.sqlite3"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(PREFIX + name, default)


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
        "PUBLIC_RATE_LIMIT": _env("PUBLIC_RATE_LIMIT", "30 per minute;300 per hour"),
        # Per looked-up identity (name + visible ID digits), whoever asks: guessing birth dates stays slow.
        "SELF_CHECK_TARGET_LIMIT": _env("SELF_CHECK_TARGET_LIMIT", "5 per hour;20 per day"),
        "UPLOAD_DIR": _env("UPLOAD_DIR", str(Path("instance") / "uploads")),
        "MAX_ATTACHMENT_BYTES": int(_env("MAX_ATTACHMENT_BYTES", str(5 * 1024 * 1024)) or 0),
    }


API_SETTINGS: dict[str, object] = {
    "API_TITLE": "Dishonest-debtor list and joint-sanction service",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
    "OPENAPI_REDOC_PATH": "/redoc",
    "OPENAPI_REDOC_URL": "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "JSON_SORT_KEYS": False,
}
