"""Subjects: natural persons and organisations (debtors, and the key persons of organisations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.types import Timestamp, utcnow


class Subject(db.Model):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # sanctions.listing.SubjectKind
    name: Mapped[str] = mapped_column(String(200), index=True)
    # 18-character resident ID (persons) or USCC / organisation code (organisations), validated.
    identifier: Mapped[str] = mapped_column(String(18), unique=True)
    legacy_identifier: Mapped[str | None] = mapped_column(String(15))  # 15-digit ID as first recorded
    birth_date: Mapped[dt.date | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    key_persons: Mapped[list[KeyPerson]] = relationship(
        foreign_keys="KeyPerson.organisation_id", back_populates="organisation", order_by="KeyPerson.id"
    )

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    def current_key_persons(self, on: dt.date) -> list[KeyPerson]:
        return [k for k in self.key_persons if k.since <= on and (k.until is None or on < k.until)]


class KeyPerson(db.Model):
    """A natural person holding one of the four roles of 限高规定 Art. 3 ¶2 in an organisation."""

    __tablename__ = "key_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # legal_representative | main_responsible | ...
    since: Mapped[dt.date]
    until: Mapped[dt.date | None]  # first day no longer in the role

    organisation: Mapped[Subject] = relationship(foreign_keys=[organisation_id], back_populates="key_persons")
    person: Mapped[Subject] = relationship(foreign_keys=[person_id])
