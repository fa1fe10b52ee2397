"""What citizens see: their own records (self-check) and the public list (Art. 6 fields, IDs masked)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import Select, insert, or_, select

from blacklist_service.auth import current_principal
from blacklist_service.errors import Invalid, NotFound, ServiceError
from blacklist_service.extensions import db
from blacklist_service.models import AccessLog, CorrectionApplication, Court, Listing, Restriction, Subject
from blacklist_service.models.audit import AccessAction, AccessLogSubject
from blacklist_service.services import applications, cases
from blacklist_service.services.pages import paginate
from blacklist_service.services.restrictions import ways_to_end
from blacklist_service.services.status import measures_for
from blacklist_service.services.subjects import clean_name
from sanctions.catalogue import KeyRole
from sanctions.identifiers import (
    InvalidIdentifier,
    age_on,
    clean_identifier,
    is_masked_resident_id,
    mask_resident_id,
    parse_org_identifier,
    parse_resident_id,
)
from sanctions.listing import CIRCUMSTANCE_TEXT_ZH, Circumstance, ListingState

CIRCUMSTANCE_TEXT_EN = {
    Circumstance.SX1_ABLE_REFUSE: "able to perform the obligation but refuses to",
    Circumstance.SX2_OBSTRUCT: "obstructs or resists enforcement by forged evidence, violence, threats or the like",
    Circumstance.SX3_EVADE: "evades enforcement by false litigation or arbitration, or by hiding or moving assets",
    Circumstance.SX4_ASSET_REPORT: "breached the duty to report assets",
    Circumstance.SX5_BREACH_XGL: "breached a consumption restriction order",
    Circumstance.SX6_SETTLEMENT: "refuses without good reason to perform an enforcement settlement agreement",
}


def identify(
    name: str,
    id_number: str | None = None,
    credit_code: str | None = None,
    representative_id: str | None = None,
) -> Subject | None:
    """The registered subject with exactly this identity, else None (no fuzzy matching).

    A person proves identity with the full ID number, which is never published. An organisation's credit
    code *is* published (D12), so an organisation also gives the full ID number of its legal representative
    or main responsible person. A malformed identifier is a 422 (it reveals nothing about anyone); a valid
    identity that does not match is treated exactly like an unknown one.
    """
    try:
        if id_number:
            identifier = parse_resident_id(id_number).number
        elif credit_code:
            identifier = parse_org_identifier(credit_code)
        else:
            raise Invalid("give an ID number or a credit code", code="identity.required", field="id_number")
        representative = (
            parse_resident_id(representative_id).number if credit_code and representative_id else None
        )
    except InvalidIdentifier as exc:
        field = (
            "id_number"
            if id_number
            else ("credit_code" if credit_code and not representative_id else "representative_id_number")
        )
        raise Invalid(exc.message, code=exc.code, field=field) from None
    if credit_code and not id_number and representative is None:
        raise Invalid(
            "an organisation also gives its legal representative's ID number",
            code="identity.representative_required",
            field="representative_id_number",
        )
    subject = db.session.scalar(select(Subject).where(Subject.identifier == identifier))
    if subject is None or subject.name != clean_name(name):
        return None
    if representative is not None and not _represents(subject, representative):
        return None
    return subject


def _represents(organisation: Subject, person_identifier: str) -> bool:
    roles = {KeyRole.LEGAL_REPRESENTATIVE.value, KeyRole.MAIN_RESPONSIBLE.value}
    return any(
        k.person.identifier == person_identifier and k.role in roles and k.until is None
        for k in organisation.key_persons
    )


def target_key(name: str | None, identifier: str | None) -> str:
    """Throttle key for "who is being looked up": the name and the *visible* part of the ID, which is what
    someone trying birth dates against a published masked ID keeps constant. A legacy 15-digit number is
    read as the 18-digit one it stands for, whose check character depends on the hidden digits, so the
    check character is left out: both forms of every guess count against the same identity."""
    number = clean_identifier(identifier or "")
    with contextlib.suppress(InvalidIdentifier):  # an ill-formed guess keeps its own key (it finds no one)
        number = parse_resident_id(number).number
    visible = number[:10] + number[14:17] if len(number) == 18 else number
    return query_digest("target", clean_name(name or ""), visible)


def log_reads(subject_ids: Iterable[int], what: str) -> None:
    """A court's or the admin's look at people's records (full IDs among them) is logged like any lookup:
    who looked at whom, and through what (``what``: e.g. ``listing:12``, ``listings:search``)."""
    shown = sorted(set(subject_ids))
    if shown:
        log_access("read", query_digest(what), shown, what[:64])
        db.session.commit()


def query_digest(*parts: str | None) -> str:
    """A keyed hash of what was asked, so the access log proves a lookup without storing the ID."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    text = "|".join(p or "" for p in parts).encode("utf-8", "surrogatepass")  # before validation refuses it
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def log_access(
    action: str,
    digest: str,
    subject_ids: list[int],
    reference: str | None = None,
    principal_id: int | None = None,
) -> None:
    """Record a lookup: by a key holder (``principal_id``, else the request's), or a keyless client address."""
    if principal_id is None and (principal := current_principal()) is not None:
        principal_id = principal.id
    client = request.remote_addr if principal_id is None and has_request_context() else None
    db.session.add(
        AccessLog(
            principal_id=principal_id,
            client=client,
            action=action,
            query_digest=digest,
            subject_ids=sorted(set(subject_ids)),
            reference=reference,
        )
    )


def log_many(rows: list[dict[str, Any]]) -> None:
    """Many lookups at once (a screening batch, a job's chunk of a thousand rows: one ORM object each cost as
    much as screening them): the log rows in one statement, whom each returned in another. Each row is a dict
    of ``AccessLog`` columns plus its ``subject_ids``."""
    if not rows:
        return
    found = [sorted(set(row["subject_ids"])) for row in rows]
    columns = [{k: v for k, v in row.items() if k != "subject_ids"} for row in rows]
    ids = db.session.scalars(
        insert(AccessLog).returning(AccessLog.id, sort_by_parameter_order=True), columns
    ).all()
    links = [
        {"access_log_id": log_id, "subject_id": subject_id}
        for log_id, subject_ids in zip(ids, found, strict=True)
        for subject_id in subject_ids
    ]
    if links:
        db.session.execute(insert(AccessLogSubject), links)


@contextlib.contextmanager
def logged_if_refused(action: str, digest: str, subject: Subject | None) -> Iterator[None]:
    """A refused filing or reconsideration changes nothing, but it was still an attempt on someone's records
    (and its answer differs for a real identity): its work is rolled back and the attempt recorded in a
    transaction of its own, as a self-check that matches no one is. The caller logs the success itself."""
    shown = [subject.id] if subject is not None else []
    try:
        yield
    except ServiceError:
        db.session.rollback()
        log_access(action, digest, shown)
        db.session.commit()
        raise


# --- Reading the access log ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessLogFilter:
    subject_id: int | None = None
    principal_id: int | None = None
    action: str | None = None
    since: dt.datetime | None = None  # inclusive, UTC
    until: dt.datetime | None = None  # exclusive, UTC


def read_access_log(flt: AccessLogFilter, page: int, page_size: int) -> tuple[list[AccessLog], int]:
    """A page of the access log, newest first, and the total; "by subject" is an index lookup in
    ``access_log_subjects`` (on SQLite and PostgreSQL alike).

    Reading the log is logged too, and committed: it shows who looked up whom, and when and from where (the
    callers' addresses), so it is itself a lookup of personal data, and whoever reads it must be as
    accountable as those it watches. It is logged as a ``read`` of the subjects asked about and shown, even
    when the page is empty: "nobody looked up X" is still an answer about X."""
    query = select(AccessLog)
    if flt.subject_id is not None:
        query = query.join(AccessLogSubject).where(AccessLogSubject.subject_id == flt.subject_id)
    if flt.principal_id is not None:
        query = query.where(AccessLog.principal_id == flt.principal_id)
    if flt.action is not None:
        query = query.where(AccessLog.action == flt.action)
    if flt.since is not None:
        query = query.where(AccessLog.at >= flt.since)
    if flt.until is not None:
        query = query.where(AccessLog.at < flt.until)
    rows, total = paginate(query.order_by(AccessLog.id.desc()), page, page_size)
    shown = {s for row in rows for s in row.subject_ids}
    if flt.subject_id is not None and db.session.get(Subject, flt.subject_id) is not None:
        shown.add(flt.subject_id)
    asked = query_digest("access_log", *(str(v) if v is not None else None for v in astuple(flt)))
    log_access(AccessAction.READ.value, asked, sorted(shown), "access_log:search")
    db.session.commit()
    return rows, total


# --- Reconsideration (L-APPEAL-5) ---------------------------------------------------------------------------

RECONSIDERATION = "reconsideration"  # the access log's action
REASONS_MAX = 4000  # the longest reasons for reconsideration taken, on the API and the web page alike


def own_application(subject: Subject | None, reference: str) -> CorrectionApplication:
    """The caller's application by its reference. An unknown reference, an identity that matches no one and
    someone else's application get the same 404: the answer must not tell which references or IDs exist."""
    application = applications.by_reference(reference)
    if subject is None or application is None or application.subject_id != subject.id:
        raise NotFound("no such application of yours", code="application.not_found")
    return application


def ask_reconsideration(
    subject: Subject | None, reference: str, reasons: str, digest: str
) -> CorrectionApplication:
    """The applicant asks the court one level up to reconsider a rejection (L-APPEAL-5), from the API or the
    web page. Every attempt is logged, a refused one too (``logged_if_refused``); ``reasons`` is checked by
    the caller (not blank, at most ``REASONS_MAX``) before anyone is identified. The caller commits."""
    with logged_if_refused(RECONSIDERATION, digest, subject):
        application = own_application(subject, reference)
        applications.reconsider(application, reasons)
    log_access(RECONSIDERATION, digest, [application.subject_id], application.reference)
    return application


# --- Plain-language explanations ---------------------------------------------------------------------------


def _text(zh: str, en: str, code: str) -> dict[str, str]:
    return {"code": code, "zh": zh, "en": en}


def circumstances_text(codes: list[str]) -> list[dict[str, str]]:
    return [
        _text(CIRCUMSTANCE_TEXT_ZH[Circumstance(c)], CIRCUMSTANCE_TEXT_EN[Circumstance(c)], c) for c in codes
    ]


def how_listing_ends(listing: Listing) -> list[dict[str, str]]:
    """What ends this listing (Art. 10, Art. 2), in plain language."""
    ways = [
        _text(
            "全部履行生效法律文书确定的义务后，法院应在三个工作日内删除",
            "Pay in full: the court must delete the entry within 3 working days",
            "full_performance",
        ),
        _text(
            "与申请执行人达成执行和解协议并履行完毕",
            "Reach a settlement with the applicant and perform it in full",
            "settlement_performed",
        ),
        _text(
            "申请执行人书面申请删除并经法院审查同意",
            "The applicant asks the court in writing to delete it",
            "applicant_request",
        ),
    ]
    if listing.term_end:
        ways.append(
            _text(
                f"纳入期限至{listing.term_end:%Y年%m月%d日}届满，届满后三个工作日内删除；积极履行或主动纠正的，"
                "法院可以提前删除",
                f"The term ends on {listing.term_end}; it is then deleted within 3 working"
                " days. Performing or correcting the conduct may lead to early deletion",
                "term_end",
            )
        )
    ways.append(
        _text(
            "认为不应纳入、信息不准确或应当删除的，可以向执行法院申请纠正",
            "If it is wrong, inaccurate or should have been deleted, apply to the court for correction",
            "correction",
        )
    )
    return ways


def how_restriction_ends(restriction: Restriction, on: dt.date) -> list[dict[str, str]]:
    """限高规定 Arts. 3 ¶2, 8, 9 and D10: the ways open to this row's debtor or key person."""
    return ways_to_end(restriction, on)


# --- Self-check ----------------------------------------------------------------------------------------------


def _court_of(court: Court) -> dict[str, Any]:
    return {"code": court.code, "name": court.name, "contact": court.contact}


def _listing_record(listing: Listing, on: dt.date) -> dict[str, Any]:
    state = listing.state(on)
    return {
        "id": listing.id,
        "court": _court_of(listing.court),
        "case_number": listing.case.number,
        "decision_number": listing.decision_number,
        "decision_date": listing.decision_date,
        "circumstances": circumstances_text(listing.circumstances),
        "state": state.value,
        "publish_from": listing.publish_from,
        "term_end": listing.term_end,
        "removed_on": listing.removed_on if state is ListingState.REMOVED else None,
        "removal_reason": listing.removal_reason if state is ListingState.REMOVED else None,
        "how_to_end": how_listing_ends(listing)
        if state in {ListingState.ACTIVE, ListingState.IN_GRACE}
        else [],
    }


def _restriction_record(restriction: Restriction, on: dt.date) -> dict[str, Any]:
    active = restriction.is_active(on)
    return {
        "id": restriction.id,
        "court": _court_of(restriction.case.court),
        "case_number": restriction.case.number,
        "order_number": restriction.order_number,
        "capacity": restriction.capacity,
        "role": restriction.role,
        "organisation": restriction.case.debtor.name if restriction.role else None,
        "effective_from": restriction.effective_from,
        "active": active,
        "lifted_on": restriction.lifted_on,
        "lift_reason": restriction.lift_reason,
        "permissions": [
            {"kind": p.kind, "measures": p.measures, "valid_from": p.valid_from, "valid_until": p.valid_until}
            for p in restriction.permissions
            if p.in_force(on)
        ],
        "how_to_end": how_restriction_ends(restriction, on) if active else [],
    }


def self_check(subject: Subject | None, on: dt.date) -> dict[str, Any]:
    """The caller's own records. An unknown identity gets the same shape as someone never listed."""
    if subject is None:
        return {
            "listed": False,
            "restricted": False,
            "listings": [],
            "restrictions": [],
            "measures": [],
            "applications": [],
        }
    listings = list(
        db.session.scalars(
            select(Listing)
            .where(Listing.subject_id == subject.id, Listing.decision_date <= on)
            .order_by(Listing.id)
        )
    )
    restrictions = list(
        db.session.scalars(
            select(Restriction)
            .where(Restriction.subject_id == subject.id, Restriction.order_date <= on)
            .order_by(Restriction.id)
        )
    )
    applications = list(
        db.session.scalars(
            select(CorrectionApplication)
            .where(CorrectionApplication.subject_id == subject.id)
            .order_by(CorrectionApplication.id)
        )
    )
    measures = measures_for(subject, on)
    return {
        "listed": any(x.state(on) is ListingState.ACTIVE for x in listings),
        "restricted": any(r.is_active(on) for r in restrictions),
        "listings": [_listing_record(x, on) for x in listings],
        "restrictions": [_restriction_record(r, on) for r in restrictions],
        "measures": list(measures),
        "applications": applications,
    }


# --- Public disclosure (Art. 6) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicQuery:
    name: str
    identifier: str | None = None
    province: str | None = None


def _is_full_resident_id(cleaned: str) -> bool:
    """A whole resident ID, valid or mistyped (someone's ID all the same): 15 or 18 characters, digits first.
    Many credit codes are digits first too; one that is a valid credit code and not a valid ID is a code
    (a valid ID that is also a valid credit code, about one in a thousand codes, is taken as an ID)."""
    if len(cleaned) not in (15, 18) or not cleaned[:15].isdigit():
        return False
    return _valid(parse_resident_id, cleaned) or not _valid(parse_org_identifier, cleaned)


def _valid(parse: Callable[[str], object], cleaned: str) -> bool:
    try:
        parse(cleaned)
    except InvalidIdentifier:
        return False
    return True


def refuse_full_resident_id(raw: str | None) -> None:
    """For a search whose query is in the address (``GET /public/dishonest-debtors``): a full ID number
    would be kept in server and proxy logs and browser histories, and only its published digits are
    compared anyway (D12), so only the masked form is taken there."""
    cleaned = clean_identifier(raw or "")
    if _is_full_resident_id(cleaned) and not is_masked_resident_id(cleaned):
        raise Invalid(
            "give the ID number masked as published, digits 11-14 as **** (e.g. 3604261991****0071): a full"
            " ID number is never put in an address",
            code="id_number.unmasked",
            field="id_number",
        )


def _identifier_clause(query: Select[Any], raw: str) -> Select[Any]:
    """Narrow by an identifier. For persons only the published digits are compared (1–10 and 15–18), whether
    the caller typed the full ID or the masked one: the public search must not confirm a guessed full ID."""
    cleaned = clean_identifier(raw)
    try:
        if is_masked_resident_id(cleaned):
            visible = cleaned
        elif _is_full_resident_id(cleaned):
            visible = mask_resident_id(parse_resident_id(cleaned).number)
        else:
            code = parse_org_identifier(cleaned)
            if len(code) == 9:  # a legacy organisation code is embedded in the credit code, positions 9–17
                return query.where(
                    or_(Subject.identifier == code, Subject.identifier.like("________" + code + "_"))
                )
            return query.where(Subject.identifier == code)
    except InvalidIdentifier as exc:
        raise Invalid(exc.message, code=exc.code, field="id_number") from None
    return query.where(Subject.identifier.like(visible[:10] + "____" + visible[14:]))


def public_search(
    q: PublicQuery, on: dt.date, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int, list[int]]:
    """Active, published listings by exact name (and optionally identifier and province): the page of public
    records, the total, and the subjects shown (for the access log: whose records were looked at)."""
    query = (
        select(Listing)
        .join(Subject, Listing.subject_id == Subject.id)
        .join(Court, Listing.court_id == Court.id)
        .where(
            Subject.name == clean_name(q.name),
            Listing.publish_from <= on,
            or_(Listing.removed_on.is_(None), Listing.removed_on > on),
            or_(Listing.term_end.is_(None), Listing.term_end >= on),
        )
    )
    if q.identifier:
        query = _identifier_clause(query, q.identifier)
    if q.province:
        query = query.where(Court.province == q.province)
    rows, total = paginate(query.order_by(Listing.publish_from.desc(), Listing.id.desc()), page, page_size)
    return [public_record(x, on) for x in rows], total, sorted({x.subject_id for x in rows})


def public_record(listing: Listing, on: dt.date) -> dict[str, Any]:
    """Only the fields of list rules Art. 6, with a person's ID masked (rulebook §5.3, D12).

    A person's age is their age on the listing's publication date, a fixed part of the published record
    (Art. 6 (二); the published samples carry it so). It is never the age on the viewing day ``on``: that
    would tick up on the birthday and give away, to anyone looking daily, the birth month and day that the
    masked ID hides. ``on`` only picks the organisation's current legal representative.
    """
    subject, case = listing.subject, listing.case
    money = cases.amounts(case)
    record: dict[str, Any] = {
        "id": listing.id,
        "name": subject.name,
        "kind": subject.kind,
        "duty": case.obligation,
        "performance": "部分未履行" if money.performed > 0 else "全部未履行",
        "circumstances": circumstances_text(listing.circumstances),
        "basis_issuer": case.basis_issuer,
        "basis_number": case.basis_number,
        "case_number": case.number,
        "filed_on": case.filed_on,
        "court": listing.court.name,
        "province": listing.court.province,
        "published_on": listing.publish_from,
    }
    if subject.is_person:
        assert subject.birth_date is not None
        record |= {
            "id_number": mask_resident_id(subject.identifier),
            "sex": subject.sex,
            "age": age_on(subject.birth_date, listing.publish_from),
        }
    else:
        # Art. 6 (一): the legal representative's name, or else the person in charge's (主要负责人).
        heads = [KeyRole.LEGAL_REPRESENTATIVE.value, KeyRole.MAIN_RESPONSIBLE.value]
        in_office = sorted(
            (k for k in subject.current_key_persons(on) if k.role in heads), key=lambda k: heads.index(k.role)
        )
        representative = in_office[0].person.name if in_office else None
        record |= {"credit_code": subject.identifier, "legal_representative": representative}
    return record
