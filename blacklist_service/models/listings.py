"""Listings on the dishonest-debtor list (失信被执行人名单) and their corrections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.cases import Case
from blacklist_service.models.courts import Court
from blacklist_service.models.subjects import Subject
from blacklist_service.models.types import Json, Timestamp, utcnow
from sanctions.listing import ListingState, listing_state


class Listing(db.Model):
    """A listing decision (决定书). Removal is a soft delete: the row stays, with reason and dates."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"), index=True)
    decision_number: Mapped[str] = mapped_column(String(80), unique=True)
    decision_date: Mapped[dt.date]
    signed_by: Mapped[str] = mapped_column(String(100))  # 院长签发 (L-PROC-4)
    circumstances: Mapped[list[str]] = mapped_column(Json)
    initiator: Mapped[str] = mapped_column(String(16))
    grace_months: Mapped[int] = mapped_column(default=0)
    grace_end: Mapped[dt.date | None]
    publish_from: Mapped[dt.date]
    term_years: Mapped[int | None]
    extension_years: Mapped[int] = mapped_column(default=0)
    extension_ground: Mapped[str | None] = mapped_column(String(32))
    term_end: Mapped[dt.date | None] = mapped_column(index=True)
    justification: Mapped[str | None] = mapped_column(Text)
    overrides: Mapped[list[str]] = mapped_column(Json, default=list)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    # Removal (deletion, revocation, expiry): kept for history, no longer public or a basis for sanctions.
    removed_on: Mapped[dt.date | None] = mapped_column(index=True)  # day recorded as removed
    removal_reason: Mapped[str | None] = mapped_column(String(32))
    removal_rule: Mapped[str | None] = mapped_column(String(120))
    removal_fact_date: Mapped[dt.date | None]  # date of the triggering fact (D9)
    removal_due: Mapped[dt.date | None]  # 3 working days from the fact (Arts. 9–10)
    removal_calendar_known: Mapped[bool | None]
    removal_note: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship()
    subject: Mapped[Subject] = relationship()
    court: Mapped[Court] = relationship()
    corrections: Mapped[list[Correction]] = relationship(back_populates="listing", order_by="Correction.id")

    def state(self, on: dt.date) -> ListingState:
        return listing_state(self.publish_from, self.term_end, self.removed_on, on)

    def removal_overdue(self, today: dt.date) -> bool:
        """Removed later than its deadline, or an expired term still unmarked past its deadline."""
        if self.removal_due is None:
            return False
        done_on = self.removed_on or today
        return done_on > self.removal_due


class Correction(db.Model):
    """Art. 9 ¶2: inaccurate recorded or published information corrected (within 3 working days)."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    found_on: Mapped[dt.date]  # when the inaccuracy was found or reported
    corrected_on: Mapped[dt.date]
    due: Mapped[dt.date]
    calendar_known: Mapped[bool] = mapped_column(default=True)
    changes: Mapped[dict[str, list[object]]] = mapped_column(Json)  # field -> [before, after]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="corrections")

    @property
    def overdue(self) -> bool:
        return self.corrected_on > self.due
