"""Demo data for trying the service: three courts, keys, and a few debtors in each state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from blacklist_service import clock
from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import Court, FactKind, Role
from blacklist_service.services import cases, listings, restrictions, subjects
from blacklist_service.services.listings import Proposal
from sanctions.catalogue import KeyRole
from sanctions.identifiers import build_resident_id, build_uscc
from sanctions.listing import Circumstance, SubjectKind


def seed_demo() -> dict[str, str] | None:
    """Create the demo world and return its API keys by label; None if the database already has courts."""
    if db.session.scalar(select(Court).limit(1)):
        return None
    higher = Court(code="京03", name="北京市第三中级人民法院", province="北京市", contact="12368")
    chaoyang = Court(
        code="京0105",
        name="北京市朝阳区人民法院",
        province="北京市",
        parent=higher,
        contact="010-12368 北京市朝阳区",
    )
    dongcheng = Court(code="京0101", name="北京市东城区人民法院", province="北京市", parent=higher)
    db.session.add_all([higher, chaoyang, dongcheng])
    db.session.flush()
    keys = {
        "court 京0105 (朝阳)": create_key("朝阳法院执行局", Role.COURT, court=chaoyang)[1],
        "court 京03 (三中院)": create_key("三中院执行局", Role.COURT, court=higher)[1],
        "partner hotels": create_key("演示酒店", Role.PARTNER, sector="hotels")[1],
        "partner aviation": create_key("演示航司", Role.PARTNER, sector="aviation")[1],
        "admin": create_key("运维", Role.ADMIN)[1],
    }
    _cases(chaoyang, clock.today())
    return keys


def _cases(court: Court, today: dt.date) -> None:
    filed = today - dt.timedelta(days=320)  # dates relative to today, so the demo is never in the future
    decided = filed + dt.timedelta(days=60)
    year = filed.year

    def open_case(n: int, debtor, amount: str):
        return cases.open_case(
            court,
            number=f"（{year}）京0105执{n}号",
            applicant="北京某银行股份有限公司",
            debtor=debtor,
            obligation="偿还借款本金及利息",
            amount=Decimal(amount),
            basis_issuer="北京市朝阳区人民法院",
            basis_number=f"（{year - 1}）京0105民初{n}号",
            filed_on=filed,
            payment_deadline=filed + dt.timedelta(10),
        )

    def propose(case, n: int, *items: Circumstance) -> None:
        listings.propose(
            case,
            Proposal(
                decision_number=f"（{year}）京0105执{n}号决定书",
                decision_date=decided,
                signed_by="院长 王明",
                circumstances=frozenset(items),
            ),
        )

    zhang = subjects.register(
        SubjectKind.PERSON, "张伟", build_resident_id("110105", dt.date(1980, 5, 17), "093")
    )
    propose(open_case(101, zhang, "186000.00"), 101, Circumstance.SX1_ABLE_REFUSE)

    company = subjects.register(
        SubjectKind.ORGANISATION, "北京某某科技有限公司", build_uscc("91110105", "MA01ABCD")
    )
    subjects.add_key_person(
        company,
        KeyRole.LEGAL_REPRESENTATIVE,
        "李娜",
        build_resident_id("110108", dt.date(1975, 3, 2), "064"),
        dt.date(2019, 6, 1),
    )
    propose(open_case(102, company, "2350000.00"), 102, Circumstance.SX1_ABLE_REFUSE, Circumstance.SX3_EVADE)

    wang = subjects.register(
        SubjectKind.PERSON, "王芳", build_resident_id("110101", dt.date(1969, 8, 11), "042")
    )
    poor = open_case(103, wang, "52000.00")
    cases.record_fact(
        poor, FactKind.INCAPACITY, decided - dt.timedelta(days=7), description="重病，丧失劳动能力"
    )
    restrictions.issue_order(poor, f"（{year}）京0105执103号限制消费令", decided, "院长 王明")

    shan = subjects.register(
        SubjectKind.PERSON, "单磊", build_resident_id("110105", dt.date(1991, 12, 3), "015")
    )
    paid = open_case(104, shan, "8800.00")
    propose(paid, 104, Circumstance.SX4_ASSET_REPORT)
    cases.record_fact(paid, FactKind.FULL_PERFORMANCE, decided + dt.timedelta(days=20))
