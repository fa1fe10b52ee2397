"""The append-only event log: every change to debtors, cases, listings and restrictions (全程留痕).

``seq`` increases monotonically in commit order: writers are serialised (see ``transactions``), so a
follower that reads ``seq > last_seen`` never misses an event. UPDATE and DELETE are refused by
database triggers created in the migration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from blacklist_service.extensions import db
from blacklist_service.models.types import BigId, Json, Timestamp, utcnow


class Event(db.Model):
    __tablename__ = "events"
    # A court's read of the log (services.events.read): its own events by ``court_id``, and the court-less ones
    # (subjects are shared) by the key that recorded them, each an index search rather than a walk in ``seq``
    # order through every court's events.
    __table_args__ = (
        Index(
            "ix_events_court_less_principal_id_seq",
            "principal_id",
            "seq",
            sqlite_where=text("court_id IS NULL"),
            postgresql_where=text("court_id IS NULL"),
        ),
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    recorded_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    on_date: Mapped[dt.date]  # the service's "today" when recorded (D1)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"))
    court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"), index=True)
    entity: Mapped[str] = mapped_column(String(32))  # subject | case | listing | restriction | ...
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))  # e.g. listing.created, listing.removed
    subject_id: Mapped[int | None] = mapped_column(index=True)  # whose status may have changed
    data: Mapped[dict[str, Any]] = mapped_column(Json)
