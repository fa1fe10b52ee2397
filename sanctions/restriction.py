"""When a court may or must restrict a debtor's consumption (限高规定 Arts. 1, 3, 9; rulebook §2, D10).

Pure functions; the catalogue of what a restriction forbids lives in ``sanctions.catalogue``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sanctions.listing import Refusal


@dataclass(frozen=True)
class RestrictionFacts:
    unperformed_amount: Decimal
    payment_deadline: dt.date | None  # the period set in the 执行通知书
    campus_loan_student: bool = False
    enforcement_ended: bool = False


def assess_restriction_order(
    facts: RestrictionFacts, order_date: dt.date, justification: str | None = None
) -> Refusal | None:
    """Return None if the court may issue a 限制消费令 on ``order_date``, else the refusal.

    C-IMPOSE-1: only after the payment deadline in the enforcement notice has passed unperformed.
    2019 Opinion §16(c): a full-time student in a campus-loan dispute is generally not restricted.
    """
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
    if facts.campus_loan_student and not (justification and justification.strip()):
        return Refusal(
            "restriction.campus_loan_student",
            "2019 Opinion §16(c)",
            "a full-time student in a campus-loan dispute is generally not restricted",
            "give a written justification if this case is an exception",
        )
    return None
