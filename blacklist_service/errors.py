"""One JSON error shape for every error: ``{status, code, message, errors?, rule?, remedy?}``.

``code`` is stable and machine-readable (``listing.minor``, ``id_number.check_digit``, ``auth.other_court``);
``message`` is for humans; ``errors`` lists field errors as ``{field, code, message}``.
Services raise :class:`ServiceError` subclasses; they never build responses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from werkzeug.exceptions import HTTPException

from sanctions.listing import Refusal

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """A request that cannot be done; carries its HTTP status and stable code."""

    status = 400
    code = "bad_request"
    headers: Mapping[str, str] = MappingProxyType({})

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        rule: str | None = None,
        remedy: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field
        self.rule = rule
        self.remedy = remedy
        self.extra = dict(extra or {})

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "code": self.code, "message": self.message}
        if self.field:
            body["errors"] = [{"field": self.field, "code": self.code, "message": self.message}]
        if self.rule:
            body["rule"] = self.rule
        if self.remedy:
            body["remedy"] = self.remedy
        body.update(self.extra)
        return body


class Invalid(ServiceError):
    status = 422
    code = "validation_error"


class Refused(ServiceError):
    """The rules engine refused the act (422 with the refusal's code, rule and remedy)."""

    status = 422
    code = "refused"


def refused(refusal: Refusal) -> Refused:
    """The HTTP error for a refusal of the rules engine."""
    return Refused(refusal.message, code=refusal.code, rule=refusal.rule, remedy=refusal.remedy)


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Gone(ServiceError):
    status = 410
    code = "gone"


class TooMany(ServiceError):
    status = 429
    code = "rate_limited"
    headers: Mapping[str, str] = MappingProxyType({"Retry-After": "60"})

    def __init__(self, message: str, *, retry_after: int = 60, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers = MappingProxyType({"Retry-After": str(retry_after)})


class Unauthorized(ServiceError):
    status = 401
    code = "auth.missing_key"


class Forbidden(ServiceError):
    status = 403
    code = "auth.forbidden"


_DEFAULT_CODES = {
    "Missing data for required field.": "required",
    "Unknown field.": "unknown_field",
    "Field may not be null.": "null",
}


def _field_errors(messages: Any, prefix: str = "") -> Iterator[dict[str, str]]:
    """Flatten marshmallow/webargs messages (possibly nested, location-keyed) into field errors."""
    if isinstance(messages, Mapping):
        if set(messages) == {"code", "message"}:
            yield {"field": prefix or "_schema", "code": messages["code"], "message": messages["message"]}
            return
        for key, value in messages.items():
            yield from _field_errors(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list | tuple):
        for item in messages:
            yield from _field_errors(item, prefix)
    else:
        text = str(messages)
        yield {"field": prefix or "_schema", "code": _DEFAULT_CODES.get(text, "invalid"), "message": text}


_LOCATIONS = ("json", "query", "form", "files", "multipart", "headers", "view_args", "path")


def validation_payload(messages: Mapping[str, Any]) -> dict[str, Any]:
    """422 body from webargs messages ``{location: {field: [...]}}``: locations are dropped from field names."""
    flat: dict[str, Any] = {}
    for key, value in messages.items():
        if key in _LOCATIONS and isinstance(value, Mapping):
            flat.update(value)
        else:
            flat[key] = value
    errors = list(_field_errors(flat))
    first = errors[0] if errors else {"code": "validation_error", "message": "invalid input", "field": ""}
    coded = [e for e in errors if e["code"] not in {"invalid", "required", "unknown_field", "null"}]
    code = coded[0]["code"] if len(coded) == 1 else "validation_error"
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or first["message"]
    return {"status": 422, "code": code, "message": f"invalid input — {summary}", "errors": errors}


def http_error_payload(error: HTTPException) -> dict[str, Any]:
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    if status == 422 and "messages" in data:
        return validation_payload(data["messages"])
    if status == 400 and "messages" in data:
        body = validation_payload(data["messages"])
        body.update(status=400, code="malformed_request")
        return body
    code = {
        400: "malformed_request",
        401: "auth.missing_key",
        403: "auth.forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        429: "rate_limited",
        500: "internal_error",
    }.get(status, "http_error")
    message = data.get("message") or error.description or error.name
    if status >= 500:
        message = "internal error; the request changed nothing"
    return {"status": status, "code": code, "message": message}
