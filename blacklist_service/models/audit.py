"""Who looked up whom: every screening, self-check and public search is logged (PIPL accountability)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blacklist_service.extensions import db
from blacklist_service.models.types import BigId, Json, Timestamp, utcnow


class AccessLog(db.Model):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"), index=True)
    client: Mapped[str | None] = mapped_column(String(64))  # remote address for keyless calls
    # screen | self_check | public_search | correction_application | reconsideration | read
    action: Mapped[str] = mapped_column(String(32))
    # The query as a keyed hash (not the ID itself) plus the subjects returned.
    query_digest: Mapped[str | None] = mapped_column(String(64))
    subject_ids: Mapped[list[int]] = mapped_column(Json, default=list)
    reference: Mapped[str | None] = mapped_column(String(64))  # screening id, etc.
