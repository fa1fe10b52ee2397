"""Consumption restrictions (限制消费): one row per restricted subject, linked to its order or listing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, String, Text, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.cases import Case
from blacklist_service.models.subjects import Subject
from blacklist_service.models.types import Json, Timestamp, utcnow

if TYPE_CHECKING:
    from blacklist_service.models.permissions import Permission


class Restriction(db.Model):
    __tablename__ = "restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    # debtor: the case's debtor; key_person: an organisation debtor's key person (C-ORG-1)
    capacity: Mapped[str] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(String(32))  # the key person's role
    order_number: Mapped[str] = mapped_column(String(80), index=True)
    order_date: Mapped[dt.date]
    signed_by: Mapped[str] = mapped_column(String(100))  # 院长签发 (C-ORDER)
    # Set when the restriction was placed automatically with a listing (C-IMPOSE-2).
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"), index=True)
    effective_from: Mapped[dt.date]  # after any grace period (D4)
    lifted_on: Mapped[dt.date | None]
    lift_reason: Mapped[str | None] = mapped_column(String(32))
    lift_fact_date: Mapped[dt.date | None]
    lift_note: Mapped[str | None] = mapped_column(Text)
    # The order's written reasons, and the refusals they overrode (sanctions.listing.Override values).
    justification: Mapped[str | None] = mapped_column(Text)
    overrides: Mapped[list[str]] = mapped_column(Json, default=list)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    subject: Mapped[Subject] = relationship()
    permissions: Mapped[list[Permission]] = relationship(
        back_populates="restriction", order_by="Permission.id"
    )

    @hybrid_method
    def is_active(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.lifted_on is None or on < self.lifted_on)

    @is_active.expression
    def is_active(cls, on: dt.date) -> ColumnElement[bool]:
        """The same test in SQL: in force from ``effective_from`` until the day before ``lifted_on``."""
        return and_(cls.effective_from <= on, or_(cls.lifted_on.is_(None), cls.lifted_on > on))
