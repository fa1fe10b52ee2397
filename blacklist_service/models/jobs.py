"""Asynchronous screening jobs for lists too large for one request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blacklist_service.extensions import db
from blacklist_service.models.types import Timestamp, utcnow


class ScreeningJob(db.Model):
    __tablename__ = "screening_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    sector: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)
    as_of: Mapped[dt.date | None]  # replays the list of this past day (D1); None: the list as it runs
    list_version: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Ownership: the attempt now screening the rows, and when it last reported (a stale job was lost with its
    # worker and is resumed by the next attempt: services.jobs).
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")
    heartbeat_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    result_attempt: Mapped[int | None]  # the attempt whose result file holds the ``done`` rows committed
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
