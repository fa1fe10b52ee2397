"""Appending to and reading the event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select

from blacklist_service import clock
from blacklist_service.auth import current_principal
from blacklist_service.extensions import db
from blacklist_service.models import Event, Principal


def record(
    entity: str,
    entity_id: int,
    action: str,
    data: dict[str, Any],
    *,
    court_id: int | None = None,
    subject_id: int | None = None,
) -> Event:
    """Append one event in the current transaction (it commits or rolls back with the change itself)."""
    principal = current_principal()
    event = Event(
        on_date=clock.today(),
        principal_id=principal.id if principal else None,
        court_id=court_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        subject_id=subject_id,
        data=data,
    )
    db.session.add(event)
    db.session.flush()
    return event


def read(after: int = 0, limit: int = 100, court_id: int | None = None) -> list[Event]:
    """Events after ``after``; with ``court_id``, that court's: the events of its cases, and those with no
    court (a subject registered, a key person recorded: subjects are shared) that its keys recorded."""
    query = select(Event).where(Event.seq > after).order_by(Event.seq).limit(limit)
    if court_id is not None:
        # The keys as values, not a subquery: then each side of the OR is an index search (ix_events_court_id,
        # ix_events_court_less_principal_id_seq); with a subquery the log was walked in seq order instead.
        its_keys = list(db.session.scalars(select(Principal.id).where(Principal.court_id == court_id)))
        query = query.where(
            or_(Event.court_id == court_id, and_(Event.court_id.is_(None), Event.principal_id.in_(its_keys)))
        )
    return list(db.session.scalars(query))


def last_seq() -> int:
    return db.session.scalar(select(Event.seq).order_by(Event.seq.desc()).limit(1)) or 0
