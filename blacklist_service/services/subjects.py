"""Registering debtors (natural persons and organisations) and organisations' key persons."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select

from blacklist_service import clock
from blacklist_service.errors import Conflict, Invalid, NotFound, Refused
from blacklist_service.extensions import db
from blacklist_service.models import KeyPerson, Subject
from blacklist_service.services import events, restrictions
from sanctions.catalogue import KeyRole
from sanctions.identifiers import (
    InvalidIdentifier,
    clean_identifier,
    parse_org_identifier,
    parse_resident_id,
)
from sanctions.listing import SubjectKind


def _person_fields(id_number: str) -> dict[str, object]:
    try:
        rid = parse_resident_id(id_number, today=clock.today())
    except InvalidIdentifier as exc:
        raise Invalid(exc.message, code=exc.code, field="id_number") from None
    return {
        "identifier": rid.number,
        "legacy_identifier": clean_identifier(id_number) if rid.converted_from_legacy else None,
        "birth_date": rid.birth_date,
        "sex": rid.sex.value,
    }


def _org_identifier(credit_code: str) -> str:
    try:
        return parse_org_identifier(credit_code)
    except InvalidIdentifier as exc:
        raise Invalid(exc.message, code=exc.code, field="credit_code") from None


def _existing(identifier: str) -> Subject | None:
    return db.session.scalar(select(Subject).where(Subject.identifier == identifier))


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def clean_name(name: str) -> str:
    """The stored and compared form of a name: NFKC; no spaces in Chinese names, single spaces otherwise."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(text.split()) if _HAN.search(text) else " ".join(text.split())


NAME_MAX = Subject.__table__.c.name.type.length


def _clean_name(name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise Invalid("a name is required", code="name.required", field="name")
    if len(cleaned) > NAME_MAX:  # NFKC can lengthen a name (U+FDFA is 18 characters)
        raise Invalid(f"a name has at most {NAME_MAX} characters", code="name.too_long", field="name")
    return cleaned


def register(kind: SubjectKind, name: str, identifier: str) -> Subject:
    """Register a person (by resident ID) or organisation (by credit code); 409 if already registered."""
    is_person = kind is SubjectKind.PERSON
    fields = _person_fields(identifier) if is_person else {"identifier": _org_identifier(identifier)}
    existing = _existing(str(fields["identifier"]))
    if existing is not None:
        raise Conflict(
            f"already registered as subject {existing.id}",
            code="subject.exists",
            extra={"existing_id": existing.id},
        )
    subject = Subject(kind=kind.value, name=_clean_name(name), **fields)
    db.session.add(subject)
    db.session.flush()
    events.record("subject", subject.id, "subject.registered", {"kind": subject.kind}, subject_id=subject.id)
    return subject


def find_or_register_person(name: str, id_number: str) -> Subject:
    """The natural person with this ID, registering them if new; the name must agree."""
    fields = _person_fields(id_number)
    existing = _existing(str(fields["identifier"]))
    if existing is None:
        return register(SubjectKind.PERSON, name, id_number)
    if existing.name != _clean_name(name):
        raise Conflict(
            f"ID number registered as subject {existing.id} under another name",
            code="subject.name_mismatch",
            extra={"existing_id": existing.id},
        )
    return existing


def get(subject_id: int) -> Subject:
    subject = db.session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(f"no subject {subject_id}", code="subject.not_found")
    return subject


def add_key_person(
    organisation: Subject, role: KeyRole, name: str, id_number: str, since: dt.date, *, reach: bool = True
) -> KeyPerson:
    """Record who holds one of the four roles; restrictions in force on the organisation reach them (C-ORG-1)."""
    if organisation.is_person:
        raise Invalid("only an organisation has key persons", code="key_person.not_organisation")
    person = find_or_register_person(name, id_number)
    _check_no_overlapping_tenure(organisation, person, role, since)
    link = KeyPerson(organisation=organisation, person=person, role=role.value, since=since)
    db.session.add(link)
    db.session.flush()
    events.record(
        "key_person",
        link.id,
        "key_person.added",
        {"organisation_id": organisation.id, "person_id": person.id, "role": role.value},
        subject_id=person.id,
    )
    if reach:
        restrictions.reach_new_key_person(organisation, person, role.value, since)
    return link


def _check_no_overlapping_tenure(
    organisation: Subject, person: Subject, role: KeyRole, since: dt.date
) -> None:
    """One tenure per person and role on any day: two overlapping ones would give his restriction rows two
    ends, and ending either would have to guess which days the other still covers (C-ORG-1, C-LR-CHANGE)."""
    for k in organisation.key_persons:
        if k.person_id != person.id or k.role != role.value:
            continue
        if k.until is None:
            raise Conflict("this person already holds this role", code="key_person.exists")
        if since < k.until:
            raise Conflict(
                f"this person held this role until {k.until - dt.timedelta(days=1)}: a new tenure starts on"
                f" {k.until} or later",
                code="key_person.overlapping_tenure",
                field="since",
            )


CHANGEABLE_ROLES = (KeyRole.LEGAL_REPRESENTATIVE, KeyRole.MAIN_RESPONSIBLE)


def change_key_person(
    organisation: Subject, role: KeyRole, name: str, id_number: str, effective_on: dt.date, court_id: int
) -> tuple[KeyPerson, list[object], list[object]]:
    """C-LR-CHANGE (2019 Opinion §17(2)): in one step the former legal representative or main responsible
    person is released and the new one is restricted under every order in force on the organisation.

    The former holder must not also be the actual controller or the directly responsible person: those
    roles stay restricted whoever represents the organisation.
    """
    if role not in CHANGEABLE_ROLES:
        raise Invalid(
            "only the legal representative or main responsible person changes this way",
            code="key_person.change_role",
            field="role",
        )
    if effective_on > clock.today():
        raise Invalid("the change date is in the future", code="date.future", field="effective_on")
    _check_not_before_current_holder(organisation, role, effective_on)
    holders = [k for k in organisation.current_key_persons(effective_on) if k.role == role.value]
    if not holders:
        raise NotFound(f"the organisation has no current {role.value}", code="key_person.not_found")
    former = holders[0]
    if any(
        k.person_id == former.person_id
        and k.role in {KeyRole.ACTUAL_CONTROLLER, KeyRole.DIRECTLY_RESPONSIBLE}
        for k in organisation.current_key_persons(effective_on)
    ):
        raise Conflict(
            "the former holder is also the actual controller or directly responsible person and stays restricted",
            code="key_person.still_responsible",
        )
    successor = find_or_register_person(name, id_number)
    if successor.id == former.person_id:
        raise Conflict("the new holder is the current one", code="key_person.same_person")
    former.until = effective_on
    released = restrictions.release_former_key_person(
        organisation, former.person, role.value, effective_on, court_id
    )
    link = add_key_person(organisation, role, name, id_number, effective_on, reach=False)
    restricted = restrictions.reach_new_key_person(organisation, successor, role.value, effective_on)
    events.record(
        "key_person",
        former.id,
        "key_person.changed",
        {
            "organisation_id": organisation.id,
            "role": role.value,
            "former_person_id": former.person_id,
            "new_person_id": successor.id,
            "effective_on": effective_on.isoformat(),
        },
        subject_id=organisation.id,
    )
    return link, released, restricted


def _check_not_before_current_holder(organisation: Subject, role: KeyRole, effective_on: dt.date) -> None:
    """A change is recorded in the order it happened: one dated on or before the start of the role's current
    holder would end the term of a holder who had already left and leave two current holders, the one
    recorded late never released (C-LR-CHANGE). A change on the very day the current holder took office
    would leave him a term of no day: that is a correction of the record, not a change."""
    later = [k for k in organisation.key_persons if k.role == role.value and k.since >= effective_on]
    if later:
        current = max(later, key=lambda k: k.since)
        raise Refused(
            f"the current {role.value} (key person {current.id}) took office on {current.since}: a change"
            f" effective on {effective_on} comes before it",
            code="key_person.change_before_current",
            rule="2019 Opinion §17(2) (C-LR-CHANGE)",
            remedy="record changes in the order they took effect; a change after the current holder took"
            " office must be dated after that day",
            extra={"current_since": current.since.isoformat()},
        )


ENDABLE_ROLES = (KeyRole.ACTUAL_CONTROLLER, KeyRole.DIRECTLY_RESPONSIBLE)


def end_key_person(
    organisation: Subject, key_person_id: int, effective_on: dt.date, court_id: int
) -> tuple[KeyPerson, list[object]]:
    """The actual controller or a directly responsible person no longer holds the role from ``effective_on``
    (the first day out of it): this court's orders on the organisation release them from that day (D1: the
    date the court gives, not the day of the record) from the rows that reach them only through that role
    (C-ORG-1 reaches the role's holder, C-LR-CHANGE); another court's orders stay until that court releases
    them (``restrictions.release``). The legal representative and the
    main responsible person change hands instead (``change_key_person``): an organisation always has one,
    and the former holder's release has its own conditions.
    """
    link = next((k for k in organisation.key_persons if k.id == key_person_id), None)
    if link is None:
        raise NotFound(f"no key person {key_person_id} of this organisation", code="key_person.not_found")
    if KeyRole(link.role) not in ENDABLE_ROLES:
        raise Invalid(
            "the legal representative and the main responsible person change hands: record the change",
            code="key_person.end_role",
            field="role",
        )
    if link.until is not None:
        raise Conflict(f"the person left the role on {link.until}", code="key_person.ended")
    if effective_on > clock.today():
        raise Invalid("the date is in the future", code="date.future", field="effective_on")
    if effective_on <= link.since:
        raise Invalid(
            f"the person took the role on {link.since}; the first day out of it must come after",
            code="key_person.end_before_start",
            field="effective_on",
        )
    link.until = effective_on
    released = restrictions.release_former_key_person(
        organisation, link.person, link.role, effective_on, court_id
    )
    events.record(
        "key_person",
        link.id,
        "key_person.ended",
        {
            "organisation_id": organisation.id,
            "person_id": link.person_id,
            "role": link.role,
            "effective_on": effective_on.isoformat(),
        },
        subject_id=link.person_id,
    )
    return link, released
