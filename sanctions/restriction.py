"""When a court may or must restrict a debtor's consumption (限高规定 Arts. 1, 3, 9; rulebook §2, D10).

Pure functions; the catalogue of what a restriction forbids lives in ``sanctions.catalogue``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sanctions.listing import HoldOff, Override, Refusal


@dataclass(frozen=True)
class RestrictionFacts:
    unperformed_amount: Decimal
    payment_deadline: dt.date | None  # the period set in the 执行通知书
    campus_loan_student: bool = False
    enforcement_ended: bool = False
    hold_offs: tuple[HoldOff, ...] = ()  # the applicant's requests to hold off measures (2019 Opinion §16(a))


@dataclass(frozen=True)
class OrderAccepted:
    """The court may issue the order; ``overrides`` are the refusals its written justification overrode."""

    overrides: tuple[Override, ...] = ()


def assess_restriction_order(
    facts: RestrictionFacts, order_date: dt.date, justification: str | None = None
) -> Refusal | OrderAccepted:
    """May the court issue a 限制消费令 on ``order_date``? The refusal, or what the justification overrode.

    C-IMPOSE-1: only after the payment deadline in the enforcement notice has passed unperformed.
    2019 Opinion §16(a) [secondary], as the rulebook's summary reads it: not while the applicant's request to
    hold off measures is in force, unless the court gives written reasons.
    2019 Opinion §16(c): a full-time student in a campus-loan dispute is generally not restricted.
    """
    refusal = _guard_order(facts, order_date)
    if refusal:
        return refusal
    justified = bool(justification and justification.strip())
    overrides: list[Override] = []
    asked = [h.asked_on for h in facts.hold_offs if h.in_force_on(order_date)]
    if asked and not justified:
        return Refusal(
            "restriction.applicant_hold_off",
            "2019 Opinion §16(a) [secondary]",
            f"the applicant asked on {max(asked)} for measures to be held off",
            "record the applicant's withdrawal of the request, or give a written justification",
        )
    if asked:
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


def _guard_order(facts: RestrictionFacts, order_date: dt.date) -> Refusal | None:
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
    if facts.payment_deadline is None or order_date <= facts.payment_deadline:
        return Refusal(
            "restriction.before_deadline",
            "限高规定 Art. 1 ¶1 (C-IMPOSE-1)",
            "a consumption restriction may be ordered only after the payment period in the enforcement "
            "notice (执行通知书) has passed",
            "record the payment deadline of the enforcement notice, or wait until it has passed",
        )
    return None
