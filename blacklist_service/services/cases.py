"""Enforcement cases and the facts recorded on them (the inputs of the rules engine)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from blacklist_service import clock
from blacklist_service.auth import current_principal
from blacklist_service.errors import Conflict, Invalid, NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Case, CaseFact, Court, FactKind, Listing, Subject
from blacklist_service.services import events, listings, restrictions
from sanctions.catalogue import KeyRole
from sanctions.listing import CaseFacts, HoldOff, RemovalReason, SubjectKind
from sanctions.restriction import RestrictionFacts

# （2024）京0105执1234号: year, court code (province abbreviation + up to 4 digits), 执 + optional type
# character (恢 resumed, 保 preservation, 异 objection, 复 review, 监 supervision), sequence.
# Read after NFKC (full-width digits and brackets fold to ASCII); only ASCII digits, the sequence without
# leading zeros, so that one case has one number.
CASE_NUMBER = re.compile(
    r"^[（(]([0-9]{4})[)）]([\u4e00-\u9fff][0-9]{0,4})(执[恢保异复监]?)0*([1-9][0-9]{0,5})号$"
)

SUSPENSION_GROUNDS = ("retrial", "bankruptcy", "other")  # D8: only the first two delete listings
# Steps of the enforcement case itself, so never before it was filed (preservation, security, a release and
# a payment may come earlier: 诉前/诉讼保全, performance before the creditor applied).
ENFORCEMENT_STEPS = frozenset(
    {
        FactKind.INCAPACITY,
        FactKind.NO_PROPERTY_TERMINATION,
        FactKind.SETTLEMENT_AGREEMENT,
        FactKind.SETTLEMENT_PERFORMED,
        FactKind.APPLICANT_DELETION_REQUEST,
        FactKind.SUSPENSION,
        FactKind.NON_ENFORCEMENT,
        FactKind.TERMINATION,
        FactKind.APPLICANT_HOLD_OFF,
    }
)
_VALUED = {FactKind.PRESERVATION, FactKind.SECURITY, FactKind.PARTIAL_PERFORMANCE}


def normalise_case_number(raw: str, field: str = "number") -> tuple[str, int, str]:
    """Return (canonical number with full-width brackets, year, court code) or raise 422."""
    match = CASE_NUMBER.match(unicodedata.normalize("NFKC", raw).strip())
    if not match:
        raise Invalid(
            "a case number looks like （2024）京0105执1234号", code="case_number.format", field=field
        )
    year, court_code, kind, seq = match.groups()
    return f"（{year}）{court_code}{kind}{int(seq)}号", int(year), court_code


def check_case_identity(
    court: Court, number: str, filed_on: dt.date, case: Case | None = None, field: str = "number"
) -> str:
    """The canonical case number, if it names ``court``, its year is the filing year, the filing date is
    not in the future and no other case has it (``case``: the one being corrected); else 422 or 409."""
    canonical, year, court_code = normalise_case_number(number, field)
    if court_code != court.code:
        raise Invalid(
            f"the case number names court {court_code}, but this key acts for court {court.code}",
            code="case_number.other_court",
            field=field,
        )
    if year != filed_on.year:
        raise Invalid(
            "the case number's year must be the filing year", code="case_number.year_mismatch", field=field
        )
    if filed_on > clock.today():
        raise Invalid("the filing date is in the future", code="date.future", field="filed_on")
    taken = select(Case.id).where(Case.number == canonical)
    if db.session.scalar(taken if case is None else taken.where(Case.id != case.id)):
        raise Conflict(f"case {canonical} already exists", code="case.exists")
    return canonical


@dataclass(frozen=True)
class CaseAmounts:
    amount: Decimal
    performed: Decimal
    unperformed: Decimal
    secured: Decimal  # D6: preserved + security, not released
    fully_performed: bool


def open_case(
    court: Court,
    *,
    number: str,
    applicant: str,
    debtor: Subject,
    obligation: str,
    amount: Decimal,
    basis_issuer: str,
    basis_number: str,
    filed_on: dt.date,
    payment_deadline: dt.date | None = None,
    campus_loan: bool = False,
    later_in_order: bool = False,
) -> Case:
    canonical = check_case_identity(court, number, filed_on)
    if payment_deadline is not None and payment_deadline < filed_on:
        raise Invalid(
            "the payment deadline is before the filing date", code="date.order", field="payment_deadline"
        )
    if campus_loan and debtor.kind != SubjectKind.PERSON:
        raise Invalid("only a person can be a student", code="case.campus_loan_person", field="campus_loan")
    case = Case(
        court=court,
        number=canonical,
        applicant=applicant.strip(),
        debtor=debtor,
        obligation=obligation.strip(),
        amount=amount,
        basis_issuer=basis_issuer.strip(),
        basis_number=basis_number.strip(),
        filed_on=filed_on,
        payment_deadline=payment_deadline,
        campus_loan=campus_loan,
        later_in_order=later_in_order,
    )
    db.session.add(case)
    db.session.flush()
    events.record("case", case.id, "case.opened", _case_data(case), court_id=court.id, subject_id=debtor.id)
    return case


def _case_data(case: Case) -> dict[str, object]:
    """Everything the case was opened with: the log alone replays the engine's inputs (全程留痕)."""
    return {
        "number": case.number,
        "debtor_id": case.debtor_id,
        "amount": str(case.amount),
        "applicant": case.applicant,
        "obligation": case.obligation,
        "basis_issuer": case.basis_issuer,
        "basis_number": case.basis_number,
        "filed_on": case.filed_on.isoformat(),
        "payment_deadline": case.payment_deadline.isoformat() if case.payment_deadline else None,
        "campus_loan": case.campus_loan,
        "later_in_order": case.later_in_order,
    }


def set_payment_deadline(case: Case, deadline: dt.date) -> None:
    """The deadline of an enforcement notice served after the case was opened; set once, because orders
    may already rest on it (C-IMPOSE-1)."""
    if case.payment_deadline is not None:
        raise Conflict(
            f"the case's payment deadline is already {case.payment_deadline}",
            code="case.payment_deadline_set",
        )
    if deadline < case.filed_on:
        raise Invalid(
            "the payment deadline is before the filing date", code="date.order", field="payment_deadline"
        )
    case.payment_deadline = deadline
    events.record(
        "case",
        case.id,
        "case.payment_deadline",
        {"payment_deadline": deadline.isoformat()},
        court_id=case.court_id,
        subject_id=case.debtor_id,
    )


def get(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", code="case.not_found")
    return case


def _facts_of(case: Case, *kinds: FactKind, on: dt.date | None = None) -> list[CaseFact]:
    """The case's facts of these kinds; with ``on``, only those that had happened by that day."""
    wanted = {k.value for k in kinds}
    return [f for f in case.facts if f.kind in wanted and (on is None or f.occurred_on <= on)]


def amounts(case: Case, on: dt.date | None = None) -> CaseAmounts:
    """What is owed, paid and secured: by every fact recorded, or as it stood on the day ``on``."""
    performed = sum(
        (f.amount or Decimal(0) for f in _facts_of(case, FactKind.PARTIAL_PERFORMANCE, on=on)), Decimal(0)
    )
    full = bool(_facts_of(case, FactKind.FULL_PERFORMANCE, FactKind.SETTLEMENT_PERFORMED, on=on))
    released = {f.refers_to_id for f in _facts_of(case, FactKind.RELEASE, on=on)}
    secured = sum(
        (
            f.amount or Decimal(0)
            for f in _facts_of(case, FactKind.PRESERVATION, FactKind.SECURITY, on=on)
            if f.id not in released
        ),
        Decimal(0),
    )
    if full:
        performed = case.amount
    unperformed = max(case.amount - performed, Decimal(0))
    return CaseAmounts(case.amount, min(performed, case.amount), unperformed, secured, unperformed == 0)


def enforcement_ended(case: Case, on: dt.date | None = None) -> bool:
    """Termination, non-enforcement, or suspension for retrial or bankruptcy (D8)."""
    if _facts_of(case, FactKind.TERMINATION, FactKind.NON_ENFORCEMENT, on=on):
        return True
    return any(f.ground in {"retrial", "bankruptcy"} for f in _facts_of(case, FactKind.SUSPENSION, on=on))


def engine_facts(case: Case, on: dt.date | None = None) -> CaseFacts:
    """The rules engine's view of the case: every fact recorded, or the case as it stood on the day ``on``
    (a decision is judged on the facts of its date: D1, sanctions.listing.CaseFacts)."""
    money = amounts(case, on)
    debtor = case.debtor
    return CaseFacts(
        debtor_kind=SubjectKind(debtor.kind),
        unperformed_amount=money.unperformed,
        secured_value=money.secured,
        debtor_birth_date=debtor.birth_date,
        no_property_finding=bool(
            _facts_of(case, FactKind.INCAPACITY, FactKind.NO_PROPERTY_TERMINATION, on=on)
        ),
        campus_loan_student=case.campus_loan,
        later_in_order=case.later_in_order,
        enforcement_ended=enforcement_ended(case, on),
        applicant_deletion_dates=applicant_deletion_dates(case, on),
        hold_offs=hold_offs(case),
        head_recorded=_head_recorded(debtor, on or clock.today(), clock.today()),
    )


def applicant_deletion_dates(case: Case, on: dt.date | None = None) -> tuple[dt.date, ...]:
    """The days listings of the case were deleted at the applicant's written request (by ``on``, if given).

    D7 and Art. 10 ¶3–4 follow a deletion, not a request: a request recorded while nothing was listed
    deleted nothing, so it bars no later listing.
    """
    query = select(Listing.removal_fact_date).where(
        Listing.case_id == case.id, Listing.removal_reason == RemovalReason.APPLICANT_REQUEST.value
    )
    return tuple(sorted(day for day in db.session.scalars(query) if on is None or day <= on))


def _head_recorded(debtor: Subject, first: dt.date, last: dt.date) -> bool:
    """A person, or an organisation with a legal representative or main responsible person recorded in
    office on some day from ``first`` (the decision date) to ``last`` (today, when it is entered): one who took
    office after the decision, but is recorded by now, is the one published."""
    heads = {KeyRole.LEGAL_REPRESENTATIVE.value, KeyRole.MAIN_RESPONSIBLE.value}
    return debtor.kind == SubjectKind.PERSON.value or any(
        k.role in heads and k.since <= last and (k.until is None or first < k.until)
        for k in debtor.key_persons
    )


def hold_offs(case: Case) -> tuple[HoldOff, ...]:
    """The applicant's requests to hold off measures, each with the day it was withdrawn (its release).
    Each carries its dates, so the engine tells which one was in force on any day."""
    withdrawn = {f.refers_to_id: f.occurred_on for f in _facts_of(case, FactKind.RELEASE)}
    return tuple(
        HoldOff(f.occurred_on, withdrawn.get(f.id)) for f in _facts_of(case, FactKind.APPLICANT_HOLD_OFF)
    )


def restriction_facts(case: Case, on: dt.date | None = None) -> RestrictionFacts:
    """The engine's view for a restriction order: by every fact recorded, or as it stood on the day ``on``."""
    return RestrictionFacts(
        unperformed_amount=amounts(case, on).unperformed,
        payment_deadline=case.payment_deadline,
        campus_loan_student=case.campus_loan,
        enforcement_ended=enforcement_ended(case, on),
        hold_offs=hold_offs(case),
    )


def _validate_fact(
    case: Case,
    kind: FactKind,
    occurred_on: dt.date,
    amount: Decimal | None,
    ground: str | None,
    refers_to_id: int | None,
    asset_searches: int | None,
) -> None:
    if occurred_on > clock.today():
        raise Invalid("a fact cannot be dated in the future", code="date.future", field="occurred_on")
    if kind in ENFORCEMENT_STEPS and occurred_on < case.filed_on:
        raise Invalid(
            f"a {kind.value} is a step of the enforcement case, filed on {case.filed_on}",
            code="date.order",
            field="occurred_on",
        )
    if kind in _VALUED and (amount is None or amount <= 0):
        raise Invalid(f"a {kind.value} needs a positive amount", code="amount.required", field="amount")
    if kind is FactKind.SUSPENSION and ground not in SUSPENSION_GROUNDS:
        raise Invalid(
            f"a suspension needs its ground: one of {', '.join(SUSPENSION_GROUNDS)}",
            code="fact.ground",
            field="ground",
        )
    if kind is FactKind.NO_PROPERTY_TERMINATION and asset_searches is None:
        raise Invalid(
            "record how many online asset searches were run",
            code="fact.asset_searches",
            field="asset_searches",
        )
    if kind is FactKind.RELEASE:
        _validate_release(case, refers_to_id, occurred_on)
    if kind in {FactKind.FULL_PERFORMANCE, FactKind.PARTIAL_PERFORMANCE, FactKind.SETTLEMENT_PERFORMED} and (
        amounts(case).fully_performed
    ):
        raise Conflict("the obligation is already fully performed", code="fact.already_performed")


_RELEASABLE = {FactKind.PRESERVATION.value, FactKind.SECURITY.value, FactKind.APPLICANT_HOLD_OFF.value}


def _validate_release(case: Case, refers_to_id: int | None, occurred_on: dt.date) -> None:
    target = next((f for f in case.facts if f.id == refers_to_id), None)
    if target is None or target.kind not in _RELEASABLE:
        raise Invalid(
            "a release refers to a preservation, security or hold-off request fact of this case",
            code="fact.refers_to",
            field="refers_to_id",
        )
    if occurred_on < target.occurred_on:
        raise Invalid(
            f"a release cannot precede what it releases ({target.occurred_on})",
            code="date.order",
            field="occurred_on",
        )
    if any(f.refers_to_id == refers_to_id for f in _facts_of(case, FactKind.RELEASE)):
        raise Conflict("already released", code="fact.already_released")


def _fact_data(fact: CaseFact) -> dict[str, object]:
    """Every field of the fact as stored: whether it deleted listings depends on the suspension's ground (D8)
    and the 终本 searches and leads (L-DEL-4), so the log must carry them to replay the removal."""
    return {
        "fact_id": fact.id,
        "occurred_on": fact.occurred_on.isoformat(),
        "amount": str(fact.amount) if fact.amount else None,
        "ground": fact.ground,
        "asset_searches": fact.asset_searches,
        "asset_leads": fact.asset_leads,
        "refers_to_id": fact.refers_to_id,
        "description": fact.description,
        "request_id": fact.request_id,
    }


_PERFORMANCE = (FactKind.FULL_PERFORMANCE, FactKind.PARTIAL_PERFORMANCE, FactKind.SETTLEMENT_PERFORMED)
_PERFORMANCE_KINDS = {k.value for k in _PERFORMANCE}
_PERFORMED = {RemovalReason.FULL_PERFORMANCE, RemovalReason.SETTLEMENT_PERFORMED}
_ENDING = {
    FactKind.SETTLEMENT_PERFORMED: RemovalReason.SETTLEMENT_PERFORMED,
    FactKind.APPLICANT_DELETION_REQUEST: RemovalReason.APPLICANT_REQUEST,
    FactKind.NON_ENFORCEMENT: RemovalReason.NON_ENFORCEMENT,
    FactKind.TERMINATION: RemovalReason.TERMINATION,
}


def _removal_reason(case: Case, fact: CaseFact, was_performed: bool) -> RemovalReason | None:
    """Which Art. 10 ¶1 deletion event, if any, this fact is (rulebook §1.8; D8)."""
    kind = FactKind(fact.kind)
    if kind is FactKind.PARTIAL_PERFORMANCE and not was_performed and amounts(case).fully_performed:
        return RemovalReason.FULL_PERFORMANCE
    return _deletion_reason(fact)


def _deletion_reason(fact: CaseFact) -> RemovalReason | None:
    """The deletion event a fact is by itself (a payment is one only with the others: see ``performed_on``)."""
    kind = FactKind(fact.kind)
    if kind is FactKind.FULL_PERFORMANCE:
        return RemovalReason.FULL_PERFORMANCE
    if kind is FactKind.NO_PROPERTY_TERMINATION:
        # L-DEL-4: at least two online asset searches, and no effective asset lead from anyone.
        searched = (fact.asset_searches or 0) >= 2 and not fact.asset_leads
        return RemovalReason.NO_PROPERTY_TERMINATION if searched else None
    if kind is FactKind.SUSPENSION:
        return RemovalReason.SUSPENSION if fact.ground in {"retrial", "bankruptcy"} else None
    return _ENDING.get(kind)


def performed_on(case: Case) -> dt.date | None:
    """The day the obligation was fully performed (D9): a full performance or performed settlement, or the
    payment that brought the running total of payments, taken in date order, to the amount; not the payment
    entered last, which may be dated earlier."""
    days = sorted({f.occurred_on for f in _facts_of(case, *_PERFORMANCE)})
    return next((day for day in days if amounts(case, day).fully_performed), None)


def deletion_after(case: Case, day: dt.date) -> tuple[dt.date, RemovalReason] | None:
    """The first Art. 10 ¶1 deletion event dated after ``day``, with its date: what would have deleted a
    listing decided on ``day`` had it been entered in date order."""
    found = [
        (f.occurred_on, reason)
        for f in case.facts
        if f.occurred_on > day and f.kind not in _PERFORMANCE_KINDS
        if (reason := _deletion_reason(f)) is not None
    ]
    performed = performed_on(case)
    if performed is not None and performed > day:
        found.append((performed, RemovalReason.FULL_PERFORMANCE))
    return min(found, default=None)


def _check_not_recorded(case: Case, request_id: str | None) -> None:
    """Registers are serialised (``transactions``), so a retry always sees the first request's fact."""
    if request_id is None:
        return
    recorded = next((f for f in case.facts if f.request_id == request_id), None)
    if recorded is not None:
        raise Conflict(
            f"request {request_id} recorded fact {recorded.id} already: nothing was changed",
            code="fact.already_recorded",
        )


@dataclass
class FactOutcome:
    fact: CaseFact
    removed_listings: list[object]
    lifted_restrictions: list[object]


def record_fact(
    case: Case,
    kind: FactKind,
    occurred_on: dt.date,
    *,
    amount: Decimal | None = None,
    ground: str | None = None,
    asset_searches: int | None = None,
    asset_leads: bool | None = None,
    refers_to_id: int | None = None,
    description: str | None = None,
    request_id: str | None = None,
) -> FactOutcome:
    """Record a fact; a deletion event removes the case's listings and lifts restrictions in this transaction.

    ``request_id``: the client's reference for its request; a retry after a lost answer is refused (409), so
    a payment is never counted twice (a false full performance would delist the debtor: Art. 10 ¶1)."""
    _check_not_recorded(case, request_id)
    _validate_fact(case, kind, occurred_on, amount, ground, refers_to_id, asset_searches)
    was_performed = amounts(case).fully_performed
    fact = CaseFact(
        case=case,
        kind=kind.value,
        occurred_on=occurred_on,
        amount=amount if kind in _VALUED else None,
        ground=ground if kind is FactKind.SUSPENSION else None,
        asset_searches=asset_searches,
        asset_leads=asset_leads,
        refers_to_id=refers_to_id if kind is FactKind.RELEASE else None,
        description=description,
        request_id=request_id,
        recorded_by_id=principal.id if (principal := current_principal()) else None,
    )
    db.session.add(fact)
    db.session.flush()
    events.record(
        "case",
        case.id,
        f"fact.{kind.value}",
        _fact_data(fact),
        court_id=case.court_id,
        subject_id=case.debtor_id,
    )
    reason = _removal_reason(case, fact, was_performed)
    if reason is None:
        return FactOutcome(fact, [], [])
    # D9 counts from the day of the deletion event: for performance, the day it became full (payments may
    # be entered out of date order), which is this fact's own date for every other event.
    happened_on = performed_on(case) if reason in _PERFORMED else occurred_on
    assert happened_on is not None
    removed = listings.remove_for_case(case, reason, happened_on)
    lifted = restrictions.lift_for_case(case, reason, happened_on)
    return FactOutcome(fact, removed, lifted)
