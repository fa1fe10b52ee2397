"""Court permissions under a consumption restriction (C-ORG-2, C-PERMIT, C-HUMANITARIAN)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, ForeignKey, String, Text, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.restrictions import Restriction
from blacklist_service.models.types import Json, Timestamp, utcnow


class Permission(db.Model):
    __tablename__ = "permissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    restriction_id: Mapped[int] = mapped_column(ForeignKey("restrictions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # personal_funds | necessity | humanitarian
    measures: Mapped[list[str] | None] = mapped_column(Json)  # measure codes; None = every item
    valid_from: Mapped[dt.date]
    valid_until: Mapped[dt.date | None]
    approved_by: Mapped[str] = mapped_column(String(100))  # the president, for a humanitarian lift
    reason: Mapped[str | None] = mapped_column(String(32))  # humanitarian ground
    note: Mapped[str | None] = mapped_column(Text)
    revoked_on: Mapped[dt.date | None]  # e.g. false evidence: the restriction returns (C-HUMANITARIAN)
    # false_evidence | breach_of_undertaking | other; the first two bar further humanitarian lifts
    revocation_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    restriction: Mapped[Restriction] = relationship(back_populates="permissions")

    @hybrid_method
    def in_force(self, on: dt.date) -> bool:
        return (
            self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
            and (self.revoked_on is None or on < self.revoked_on)
        )

    @in_force.expression
    def in_force(cls, on: dt.date) -> ColumnElement[bool]:
        return and_(
            cls.valid_from <= on,
            or_(cls.valid_until.is_(None), cls.valid_until >= on),
            or_(cls.revoked_on.is_(None), cls.revoked_on > on),
        )
