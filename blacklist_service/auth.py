"""API keys and roles.

Keys look like ``bl_<prefix>.<secret>``; only the prefix (for lookup) and the SHA-256 of the whole key are
stored, so a database leak reveals no usable key. A key is shown once, by ``flask keys create``.
Roles: ``court`` (bound to one court; acts only on that court's cases), ``partner`` (bound to one
sector; sees only that sector's measures), ``admin``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import g, request
from sqlalchemy import select

from blacklist_service.errors import Forbidden, Invalid, Unauthorized
from blacklist_service.extensions import db
from blacklist_service.models import Court, Principal, Role
from sanctions.catalogue import Sector

SECTORS = tuple(s.value for s in Sector)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    name: str, role: Role, *, court: Court | None = None, sector: str | None = None
) -> tuple[Principal, str]:
    """Create a principal and return it with its key (the only time the key exists in clear)."""
    if role is Role.COURT and court is None:
        raise Invalid("a court key needs its court", code="key.court_required")
    if role is Role.PARTNER and not sector:
        raise Invalid("a partner key needs its sector", code="key.sector_required")
    if role is Role.PARTNER and sector not in SECTORS:
        raise Invalid(
            f"unknown sector {sector!r}; sectors: {', '.join(SECTORS)}", code="key.sector_unknown", field="sector"
        )
    prefix = secrets.token_hex(6)
    key = f"bl_{prefix}.{secrets.token_urlsafe(32)}"
    principal = Principal(
        name=name,
        role=role.value,
        court=court if role is Role.COURT else None,
        sector=sector if role is Role.PARTNER else None,
        key_prefix=prefix,
        key_hash=_digest(key),
    )
    db.session.add(principal)
    db.session.flush()
    return principal, key


def _principal_for(key: str) -> Principal | None:
    if not key.startswith("bl_") or "." not in key:
        return None
    prefix = key[3:].split(".", 1)[0]
    principal = db.session.scalar(select(Principal).where(Principal.key_prefix == prefix))
    if principal is None or principal.revoked_at is not None:
        return None
    return principal if hmac.compare_digest(principal.key_hash, _digest(key)) else None


def authenticate(roles: tuple[Role, ...]) -> Principal:
    """Resolve the bearer key of the current request and check its role."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("send your API key as 'Authorization: Bearer <key>'")
    principal = _principal_for(key.strip())
    if principal is None:
        raise Unauthorized("unknown or revoked API key", code="auth.invalid_key")
    if roles and Role(principal.role) not in roles:
        raise Forbidden(
            f"this endpoint is for {', '.join(r.value for r in roles)} keys", code="auth.wrong_role"
        )
    if principal.role == Role.PARTNER.value and principal.sector not in SECTORS:  # made before sectors were checked
        raise Forbidden(
            f"this key's sector {principal.sector!r} is unknown; ask for a new key", code="auth.sector_unknown"
        )
    g.principal = principal
    return principal


def current_principal() -> Principal | None:
    return g.get("principal")


def ensure_own_court(court_id: int) -> None:
    """A court acts only on its own court's cases (403 otherwise); admins may act on any."""
    principal = current_principal()
    if principal is None:
        raise Unauthorized("authentication required")
    if principal.role == Role.ADMIN.value:
        return
    if principal.role != Role.COURT.value or principal.court_id != court_id:
        raise Forbidden("this case belongs to another court", code="auth.other_court")


def ensure_court_has_case_on(subject_id: int) -> None:
    """A court changes an organisation's key persons only when it enforces a case against it (403 otherwise)."""
    from blacklist_service.models import Case

    principal = current_principal()
    if principal is None:
        raise Unauthorized("authentication required")
    if principal.role == Role.ADMIN.value:
        return
    has_case = db.session.scalar(
        select(Case.id).where(Case.court_id == principal.court_id, Case.debtor_id == subject_id).limit(1)
    )
    if has_case is None:
        raise Forbidden("your court has no case against this debtor", code="auth.other_court")
