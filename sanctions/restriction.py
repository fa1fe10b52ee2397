"""When a court may or must restrict a debtor's consumption (限高规定 Arts. 1, 3, 9; rulebook §2, D10).

Pure functions; the catalogue of what a restriction forbids lives in ``sanctions.catalogue``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sanctions.listing import HoldOff, Initiator, Override, Refusal, hold_off_in_force


@dataclass(frozen=True)
class RestrictionFacts:
    unperformed_amount: Decimal
    payment_deadline: dt.date | None  # the period set in the 执行通知书
    campus_loan_student: bool = False
    enforcement_ended: bool = False
    hold_offs: tuple[HoldOff, ...] = ()  # the applicant's requests to hold off measures (2019 Opinion §16(a))


@dataclass(frozen=True)
class OrderProposal:
    """A court's proposed 限制消费令: on the applicant's written application, or of its own motion (C-INIT)."""

    order_date: dt.date
    initiator: Initiator = Initiator.COURT
    applied_on: dt.date | None = None  # when the applicant's application was received
    justification: str | None = None  # written reasons that may override §16(a) or §16(c)


@dataclass(frozen=True)
class OrderAccepted:
    """The court may issue the order; ``overrides`` are the refusals its written justification overrode."""

    overrides: tuple[Override, ...] = ()


def assess_restriction_order(facts: RestrictionFacts, order: OrderProposal) -> Refusal | OrderAccepted:
    """May the court issue this 限制消费令? The refusal, or what its written reasons overrode.

    C-IMPOSE-1: only after the payment deadline in the enforcement notice has passed unperformed.
    2019 Opinion §16(a) [secondary], as the rulebook's summary reads it: not while the applicant's request to
    hold off measures is in force (unless the applicant applied for the order after it), except with the
    court's written reasons.
    2019 Opinion §16(c): a full-time student in a campus-loan dispute is generally not restricted.
    """
    refusal = _guard_order(facts, order)
    if refusal:
        return refusal
    justified = bool(order.justification and order.justification.strip())
    overrides: list[Override] = []
    asked_on = hold_off_in_force(facts.hold_offs, order.order_date, order.initiator, order.applied_on)
    if asked_on and not justified:
        return Refusal(
            "restriction.hold_off_needs_justification",
            "2019 Opinion §16(a) [secondary]",
            f"the applicant asked on {asked_on} for measures to be held off",
            "record the applicant's withdrawal of the request; order on the applicant's later application, "
            "giving the day it was received (applied_on); or give written reasons",
        )
    if asked_on:
        overrides.append(Override.HOLD_OFF_WITH_JUSTIFICATION)
    if facts.campus_loan_student and not justified:
        return Refusal(
            "restriction.campus_loan_student",
            "2019 Opinion §16(c)",
            "a full-time student in a campus-loan dispute is generally not restricted",
            "give a written justification if this case is an exception",
        )
    if facts.campus_loan_student:
        overrides.append(Override.CAMPUS_LOAN_WITH_JUSTIFICATION)
    return OrderAccepted(tuple(overrides))


def _guard_order(facts: RestrictionFacts, order: OrderProposal) -> Refusal | None:
    if order.applied_on is not None and order.applied_on > order.order_date:
        return Refusal(
            "restriction.applied_after_order",
            "限高规定 Art. 4 (C-INIT)",
            "the application postdates the order",
        )
    if facts.enforcement_ended:
        return Refusal(
            "restriction.enforcement_ended",
            "限高规定 Art. 1; D10",
            "enforcement of this case has ended or is suspended",
        )
    if facts.unperformed_amount <= 0:
        return Refusal(
            "restriction.nothing_unperformed",
            "限高规定 Art. 1 (C-IMPOSE-1); Art. 9 (C-LIFT-SHALL)",
            "the obligation has been performed in full",
        )
    if facts.payment_deadline is None or order.order_date <= facts.payment_deadline:
        return Refusal(
            "restriction.before_deadline",
            "限高规定 Art. 1 ¶1 (C-IMPOSE-1)",
            "a consumption restriction may be ordered only after the payment period in the enforcement "
            "notice (执行通知书) has passed",
            "record the enforcement notice's payment deadline on the case, or wait until it has passed",
        )
    return None
