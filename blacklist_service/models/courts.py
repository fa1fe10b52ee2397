"""Courts and the principals (API keys) that act for them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.types import Timestamp, utcnow


class Court(db.Model):
    __tablename__ = "courts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # 法院代字 as in case numbers, e.g. 京0105
    name: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"))  # one level up (reconsideration)
    contact: Mapped[str | None] = mapped_column(String(200))  # phone / address shown to citizens

    parent: Mapped[Court | None] = relationship(remote_side=[id])


class Role(StrEnum):
    COURT = "court"
    PARTNER = "partner"
    ADMIN = "admin"


class Principal(db.Model):
    """An API key holder. The key itself is never stored, only its SHA-256."""

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"))
    sector: Mapped[str | None] = mapped_column(String(40))
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    court: Mapped[Court | None] = relationship()
