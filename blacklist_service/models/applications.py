"""Correction applications by listed persons and organisations, and their reconsideration (Arts. 11–12)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.courts import Court
from blacklist_service.models.listings import Listing
from blacklist_service.models.subjects import Subject
from blacklist_service.models.types import Timestamp, utcnow


class CorrectionApplication(db.Model):
    __tablename__ = "correction_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)  # shown to the applicant
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"), index=True)  # the listing court
    ground: Mapped[str] = mapped_column(String(24))  # should_not_be_listed | inaccurate | should_be_deleted
    explanation: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), index=True)
    received_on: Mapped[dt.date]
    decision_due: Mapped[dt.date]  # 15 days from receipt (L-APPEAL-2)
    decided_on: Mapped[dt.date | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    effect: Mapped[str | None] = mapped_column(String(24))  # revoked | corrected | deleted
    effect_due: Mapped[dt.date | None]  # 3 working days from the decision (L-APPEAL-3)
    effect_on: Mapped[dt.date | None]
    served_on: Mapped[dt.date | None]  # service of a rejection: starts the 10 days (L-APPEAL-5)
    reconsideration_deadline: Mapped[dt.date | None]
    reconsideration_court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"), index=True)
    reconsideration_reasons: Mapped[str | None] = mapped_column(Text)
    reconsideration_received_on: Mapped[dt.date | None]
    reconsideration_due: Mapped[dt.date | None]  # 15 days from receipt (L-APPEAL-6)
    reconsideration_decided_on: Mapped[dt.date | None]
    reconsideration_note: Mapped[str | None] = mapped_column(Text)
    # False when a deadline ran past the years of the official holiday data: counted on weekends only (D2).
    calendar_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship()
    subject: Mapped[Subject] = relationship()
    court: Mapped[Court] = relationship(foreign_keys=[court_id])
    reconsideration_court: Mapped[Court | None] = relationship(foreign_keys=[reconsideration_court_id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", order_by="Attachment.id"
    )


class Attachment(db.Model):
    """A file supporting an application; stored on disk under its SHA-256, described here."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("correction_applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    application: Mapped[CorrectionApplication] = relationship(back_populates="attachments")
