"""Test support: valid identifiers, a small world of courts and keys, and a JSON client per key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import AccessLog, Court, Role
from sanctions.identifiers import build_resident_id, build_uscc, ric_check_char


def person_id(born: dt.date, *, area: str = "110105", seq: str = "093") -> str:
    """A valid 18-digit resident ID for this birth date (odd sequence = male)."""
    return build_resident_id(area, born, seq)


def other_birth_date(number: str, month: int, day: int) -> str:
    """Another birth date behind the same published masked number (digits 11–14), with its right check
    character: what someone guessing an identity from the public list tries."""
    body = number[:10] + f"{month:02d}{day:02d}" + number[14:17]
    return body + ric_check_char(body)


def wrong_check(number: str) -> str:
    """The number with a wrong check character."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def access_log_size(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessLog)) or 0


def credit_code(body: str = "91110105MA01ABCD") -> str:
    """A valid unified social credit code from 16 characters + computed check characters."""
    return build_uscc(body[:8], body[8:16])


class Client:
    """JSON calls with one API key."""

    def __init__(self, client: FlaskClient, key: str | None) -> None:
        self.client = client
        self.key = key

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, **params: Any):
        return self.client.get(path, query_string=params, headers=self._headers())

    def post(self, path: str, json: Any = None):
        return self.client.post(path, json=json, headers=self._headers())


@dataclass
class World:
    app: Flask
    courts: dict[str, int]  # court ids
    keys: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Client:
        try:
            return self.clients[name]
        except KeyError:
            raise AttributeError(name) from None


TODAY = dt.date(2026, 11, 21)
CONTROLLER_ID = person_id(dt.date(1970, 1, 1), area="110108", seq="031")  # 周七, an actual controller
# A court's humanitarian lift (C-HUMANITARIAN, D11): one month from today, for medical treatment.
HUMANITARIAN_LIFT = {
    "kind": "humanitarian",
    "valid_from": "2026-11-21",
    "valid_until": "2026-12-20",
    "approved_by": "院长 赵六",
    "reason": "medical",
}


def app_settings(url: str) -> dict[str, object]:
    """The app's settings in tests: this database, a fixed today (D1), throttles out of the way."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "TESTING": True,
        "TODAY": TODAY,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_RATE_LIMIT": "1000 per minute",
        "SELF_CHECK_TARGET_LIMIT": "1000 per minute",
    }


def build_world(app: Flask) -> World:
    with app.app_context():
        higher = Court(code="京03", name="北京市第三中级人民法院", province="北京市", contact="010-12368")
        chaoyang = Court(
            code="京0105",
            name="北京市朝阳区人民法院",
            province="北京市",
            parent=higher,
            contact="010-65000000 北京市朝阳区",
        )
        dongcheng = Court(code="京0101", name="北京市东城区人民法院", province="北京市", parent=higher)
        db.session.add_all([higher, chaoyang, dongcheng])
        db.session.flush()
        keys = {
            "court": create_key("朝阳法院执行局", Role.COURT, court=chaoyang)[1],
            "other_court": create_key("东城法院执行局", Role.COURT, court=dongcheng)[1],
            "higher_court": create_key("三中院", Role.COURT, court=higher)[1],
            "admin": create_key("运维", Role.ADMIN)[1],
            "hotel": create_key("某酒店", Role.PARTNER, sector="hotels")[1],
            "aviation": create_key("航信", Role.PARTNER, sector="aviation")[1],
        }
        db.session.commit()
        courts = {"chaoyang": chaoyang.id, "dongcheng": dongcheng.id, "higher": higher.id}
    http = app.test_client()
    clients = {name: Client(http, key) for name, key in keys.items()}
    clients["public"] = Client(http, None)
    return World(app, courts, keys, clients)


class Desk:
    """A court clerk's shortcuts over HTTP; each returns the response so tests can check refusals."""

    def __init__(self, client: Client, court_code: str = "京0105") -> None:
        self.client = client
        self.court_code = court_code
        self._next_case = 1000

    def person(self, name: str = "张三", born: dt.date = dt.date(1980, 5, 17), **kw: Any) -> dict[str, Any]:
        body = {"kind": "person", "name": name, "id_number": person_id(born, **kw)}
        response = self.client.post("/debtors/", body)
        assert response.status_code == 201, response.json
        return response.json

    def company(
        self,
        name: str = "北京某某科技有限公司",
        body: str = "91110105MA01ABCD",
        legal_representative: tuple[str, dt.date] | None = ("李四", dt.date(1975, 3, 2)),
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"kind": "organisation", "name": name, "credit_code": credit_code(body)}
        if legal_representative:
            lr_name, born = legal_representative
            payload["key_persons"] = [
                {
                    "role": "legal_representative",
                    "name": lr_name,
                    "id_number": person_id(born, area="110108", seq="051"),
                    "since": "2020-01-01",
                }
            ]
        response = self.client.post("/debtors/", payload)
        assert response.status_code == 201, response.json
        return response.json

    def key_person(
        self,
        organisation_id: int,
        role: str = "actual_controller",
        name: str = "周七",
        id_number: str = CONTROLLER_ID,
        since: str = "2020-01-01",
    ) -> Any:
        """Record a key person of the organisation (201 asserted): the key-person link, with its person."""
        added = self.client.post(
            f"/debtors/{organisation_id}/key-persons",
            {"role": role, "name": name, "id_number": id_number, "since": since},
        )
        assert added.status_code == 201, added.json
        return added.json

    def change_legal_representative(
        self, organisation_id: int, effective_on: str = "2026-11-10", id_number: str | None = None
    ) -> Any:
        """吴十 succeeds the legal representative (the response, for the caller to check)."""
        return self.client.post(
            f"/debtors/{organisation_id}/key-person-changes",
            {
                "role": "legal_representative",
                "name": "吴十",
                "id_number": id_number or person_id(dt.date(1985, 8, 8), seq="017"),
                "effective_on": effective_on,
            },
        )

    def case(
        self,
        debtor_id: int,
        *,
        amount: str = "100000.00",
        filed_on: str = "2026-03-02",
        payment_deadline: str | None = "2026-03-12",
        **kw: Any,
    ) -> dict[str, Any]:
        self._next_case += 1
        year = filed_on[:4]
        body = {
            "number": f"（{year}）{self.court_code}执{self._next_case}号",
            "applicant": "王五",
            "debtor_id": debtor_id,
            "obligation": "支付货款及利息",
            "amount": amount,
            "basis_issuer": "北京市朝阳区人民法院",
            "basis_number": f"（{year}）京0105民初88号",
            "filed_on": filed_on,
            "payment_deadline": payment_deadline,
        } | kw
        body = {name: value for name, value in body.items() if value is not None}  # None: leave it out
        response = self.client.post("/cases/", body)
        assert response.status_code == 201, response.json
        return response.json

    def fact(self, case_id: int, kind: str, occurred_on: str, **kw: Any):
        return self.client.post(f"/cases/{case_id}/facts", {"kind": kind, "occurred_on": occurred_on} | kw)

    def list(
        self,
        case_id: int,
        circumstances: tuple[str, ...] = ("SX1_ABLE_REFUSE",),
        decision_date: str = "2026-04-01",
        **kw: Any,
    ):
        self._next_case += 1
        body = {
            "decision_number": f"（2026）{self.court_code}执{self._next_case}号决定书",
            "decision_date": decision_date,
            "signed_by": "院长 赵六",
            "circumstances": list(circumstances),
        } | kw
        return self.client.post(f"/cases/{case_id}/listings", body)

    def restrict(self, case_id: int, order_date: str = "2026-04-01", **kw: Any):
        self._next_case += 1
        body = {
            "order_number": f"（2026）{self.court_code}执{self._next_case}号限制消费令",
            "order_date": order_date,
            "signed_by": "院长 赵六",
        } | kw
        return self.client.post(f"/cases/{case_id}/restrictions", body)
