"""Enforcement cases and the facts courts record on them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blacklist_service.extensions import db
from blacklist_service.models.courts import Court, Principal
from blacklist_service.models.subjects import Subject
from blacklist_service.models.types import Money, Timestamp, utcnow


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"), index=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)  # （2024）京0105执1234号
    applicant: Mapped[str] = mapped_column(String(200))  # 申请执行人
    debtor_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    obligation: Mapped[str] = mapped_column(Text)  # the obligation fixed by the effective document
    amount: Mapped[Money]
    basis_issuer: Mapped[str] = mapped_column(String(200))  # 执行依据 issuing body
    basis_number: Mapped[str] = mapped_column(String(80))  # 执行依据 document number
    filed_on: Mapped[dt.date]  # 立案时间
    payment_deadline: Mapped[dt.date | None]  # end of the period in the 执行通知书
    campus_loan: Mapped[bool] = mapped_column(default=False)  # debtor is a full-time student, campus loan
    later_in_order: Mapped[bool] = mapped_column(default=False)  # BAR_LATER_ORDER
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    court: Mapped[Court] = relationship()
    debtor: Mapped[Subject] = relationship()
    facts: Mapped[list[CaseFact]] = relationship(back_populates="case", order_by="CaseFact.id")


class FactKind(StrEnum):
    """Facts a court records on a case (rulebook §1.3, §1.8; decisions D6, D8, D10)."""

    PRESERVATION = "preservation"  # 查封、扣押、冻结: value of the assets
    SECURITY = "security"  # 担保: value of the security
    RELEASE = "release"  # a preservation or security released, or a hold-off withdrawn (refers_to)
    INCAPACITY = "incapacity"  # 丧失履行能力 finding (rule four)
    NO_PROPERTY_TERMINATION = "no_property_termination"  # 终结本次执行, no property found (L-DEL-4)
    PARTIAL_PERFORMANCE = "partial_performance"  # amount paid
    FULL_PERFORMANCE = "full_performance"  # L-DEL-1
    SETTLEMENT_AGREEMENT = "settlement_agreement"  # 执行和解协议 reached
    SETTLEMENT_PERFORMED = "settlement_performed"  # L-DEL-2
    APPLICANT_DELETION_REQUEST = "applicant_deletion_request"  # L-DEL-3, approved written request
    SUSPENSION = "suspension"  # 中止执行 with its ground (L-DEL-5 only for retrial/bankruptcy, D8)
    NON_ENFORCEMENT = "non_enforcement"  # 不予执行 (L-DEL-6)
    TERMINATION = "termination"  # 终结执行 (L-DEL-7)
    APPLICANT_HOLD_OFF = "applicant_hold_off"  # 申请暂不采取惩戒措施 (2019 Opinion §16(a))


class CaseFact(db.Model):
    __tablename__ = "case_facts"
    # A retried request (the answer lost to a timeout) carries the same reference: it must not count twice.
    __table_args__ = (UniqueConstraint("case_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[dt.date]  # the legal date of the fact (D1, D9)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    ground: Mapped[str | None] = mapped_column(String(32))  # suspension: retrial | bankruptcy | other
    asset_searches: Mapped[int | None]  # 终本: online asset searches run
    asset_leads: Mapped[bool | None]  # 终本: did anyone give an effective asset lead
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("case_facts.id"))  # release of which fact
    description: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))  # the court client's reference for its request
    recorded_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("principals.id"))

    case: Mapped[Case] = relationship(back_populates="facts")
    recorded_by: Mapped[Principal | None] = relationship()
