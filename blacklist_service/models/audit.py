"""Who looked up whom: every screening, self-check and public search is logged (PIPL accountability)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.types import BigId, Timestamp, utcnow


class AccessAction(StrEnum):
    SCREEN = "screen"  # a partner's screening (each row of a batch or job)
    SELF_CHECK = "self_check"
    PUBLIC_SEARCH = "public_search"
    CORRECTION_APPLICATION = "correction_application"
    RECONSIDERATION = "reconsideration"
    READ = "read"  # a court's or the admin's read of records (the access log's own too)


class AccessLog(db.Model):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), index=True)
    client: Mapped[str | None] = mapped_column(String(64))  # remote address for keyless calls
    action: Mapped[str] = mapped_column(String(32))  # an AccessAction
    # The query as a keyed hash (not the ID itself) plus the subjects returned.
    query_digest: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(String(64))  # screening id, etc.
    # Whom the lookup returned, one row each, so "who looked up subject X" is an index lookup on any backend
    # (a JSON list cannot be indexed portably). Loaded with the row: a reader always wants them.
    subjects: Mapped[list[AccessLogSubject]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AccessLogSubject.subject_id"
    )
    subject_ids: AssociationProxy[list[int]] = association_proxy(
        "subjects", "subject_id", creator=lambda subject_id: AccessLogSubject(subject_id=subject_id)
    )


class AccessLogSubject(db.Model):
    """One subject one lookup returned."""

    __tablename__ = "access_log_subjects"
    __table_args__ = (Index("ix_access_log_subjects_subject_id_access_log_id", "subject_id", "access_log_id"),)

    access_log_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("access_log.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
