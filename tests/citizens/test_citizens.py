"""Issue 5: self-check, public disclosure, throttling, correction applications and reconsideration."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.support import credit_code, person_id

BORN = dt.date(1980, 5, 17)


def _me(name="张三", born=BORN, **kw):
    return {"name": name, "id_number": person_id(born, **kw)}


# --- Self-check ---------------------------------------------------------------------------------------------


def test_self_check_of_a_listed_person(desk, world):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    desk.list(case["id"], circumstances=("SX1_ABLE_REFUSE", "SX4_ASSET_REPORT"))
    me = world.public.post("/public/self-check", _me())
    assert me.status_code == 200, me.json
    body = me.json
    assert (body["listed"], body["restricted"]) == (True, True)
    listing = body["listings"][0]
    assert listing["state"] == "active"
    assert listing["court"] == {
        "code": "京0105",
        "name": "北京市朝阳区人民法院",
        "contact": "010-65000000 北京市朝阳区",
    }
    assert [c["code"] for c in listing["circumstances"]] == ["SX1_ABLE_REFUSE", "SX4_ASSET_REPORT"]
    assert listing["circumstances"][0]["zh"].startswith("有履行能力而拒不履行")
    assert "full_performance" in {w["code"] for w in listing["how_to_end"]}
    assert body["restrictions"][0]["active"] is True
    assert "full_performance" in {w["code"] for w in body["restrictions"][0]["how_to_end"]}
    assert {"AVIATION_FLIGHT", "PUBLIC_RECRUITMENT"} <= {m["code"] for m in body["measures"]}


def test_self_check_of_a_removed_person_shows_history_not_active(desk, world):
    case = desk.case(desk.person()["id"])
    desk.list(case["id"])
    desk.fact(case["id"], "full_performance", "2026-11-20")
    body = world.public.post("/public/self-check", _me()).json
    assert (body["listed"], body["restricted"], body["measures"]) == (False, False, [])
    assert [(x["state"], x["removal_reason"]) for x in body["listings"]] == [("removed", "full_performance")]
    assert body["listings"][0]["how_to_end"] == []
    assert [(r["active"], r["lift_reason"]) for r in body["restrictions"]] == [(False, "full_performance")]


def test_self_check_of_an_unknown_person_has_the_not_listed_shape(desk, world):
    never = world.public.post("/public/self-check", _me("赵大", dt.date(1990, 1, 1))).json
    desk.list(desk.case(desk.person()["id"])["id"])
    wrong_name = world.public.post("/public/self-check", _me("张四")).json  # a listed ID, another name
    assert (
        never
        == wrong_name
        == {
            "listed": False,
            "restricted": False,
            "listings": [],
            "restrictions": [],
            "measures": [],
            "applications": [],
        }
    )


def test_self_check_of_an_organisation_and_of_its_legal_representative(desk, world):
    company = desk.company()
    desk.list(desk.case(company["id"])["id"])
    lr = company["key_persons"][0]["person"]
    org_identity = {"name": "北京某某科技有限公司", "credit_code": credit_code()}
    bare = world.public.post("/public/self-check", org_identity)  # the credit code alone is public (D12)
    assert bare.status_code == 422 and bare.json["code"] == "identity.representative_required"
    stranger = world.public.post(
        "/public/self-check", org_identity | {"representative_id_number": person_id(dt.date(1990, 1, 1))}
    ).json
    assert stranger.get("listed") is False and stranger["listings"] == [], stranger
    org = world.public.post(
        "/public/self-check", org_identity | {"representative_id_number": lr["identifier"]}
    ).json
    assert org["listed"] is True
    mine = world.public.post("/public/self-check", {"name": lr["name"], "id_number": lr["identifier"]}).json
    assert (mine["listed"], mine["restricted"], mine["listings"]) == (False, True, [])  # rule one
    assert [(r["capacity"], r["role"], r["organisation"]) for r in mine["restrictions"]] == [
        ("key_person", "legal_representative", "北京某某科技有限公司")
    ]
    assert "AVIATION_FLIGHT" in {m["code"] for m in mine["measures"]}


def test_self_check_input_errors_and_access_log(world, app):
    bad = world.public.post("/public/self-check", {"name": "张三", "id_number": "110105198005170931"})
    assert bad.status_code == 422 and bad.json["code"] == "id_number.check_digit"
    missing = world.public.post("/public/self-check", {"name": "张三"})
    assert missing.json["code"] == "identity.required"
    world.public.post("/public/self-check", _me())
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    with app.app_context():
        logged = list(db.session.scalars(select(AccessLog)))
    assert [x.action for x in logged] == ["self_check"]
    assert logged[0].client == "127.0.0.1" and logged[0].principal_id is None
    assert len(logged[0].query_digest) == 64  # a keyed digest, not the ID: the log proves, it does not reveal


# --- Public disclosure ----------------------------------------------------------------------------------------


def test_public_search_masks_ids_and_shows_article_6_fields_only(desk, world):
    debtor = desk.person()
    desk.list(desk.case(debtor["id"])["id"])
    page = world.public.get("/public/dishonest-debtors", name="张三").json
    assert page["total"] == 1
    record = page["items"][0]
    assert record["id_number"] == person_id(BORN)[:10] + "****" + person_id(BORN)[14:]
    # Age when published (2026-04-01, before the 05-17 birthday), not today's 46 (2026-11-21).
    assert (record["sex"], record["age"], record["performance"]) == ("male", 45, "全部未履行")
    assert record["court"] == "北京市朝阳区人民法院" and record["province"] == "北京市"
    assert set(record) == {
        "id",
        "name",
        "kind",
        "id_number",
        "sex",
        "age",
        "duty",
        "performance",
        "circumstances",
        "basis_issuer",
        "basis_number",
        "case_number",
        "filed_on",
        "court",
        "province",
        "published_on",
    }
    assert person_id(BORN) not in str(page)


def _public_record_of(world, born):
    number = person_id(born)
    masked = number[:10] + "****" + number[14:]
    page = world.public.get("/public/dishonest-debtors", name="张三", id_number=masked).json
    assert page["total"] == 1, page
    return page["items"][0]


def test_public_age_does_not_tick_on_the_birthday(desk, world, today):
    """Polling the list daily must not give away the birth month and day hidden by the mask (D12, §5.3)."""
    born = dt.date(1980, 6, 10)
    listing = desk.list(desk.case(desk.person(born=born)["id"])["id"]).json
    assert listing["publish_from"] == "2026-04-01"
    seen = []
    for day in (dt.date(2026, 6, 9), dt.date(2026, 6, 10), dt.date(2026, 6, 11), dt.date(2027, 6, 11)):
        today(day)  # the day before the birthday, the birthday, the day after, and a year later
        seen.append(_public_record_of(world, born))
    assert [r["age"] for r in seen] == [45, 45, 45, 45]  # the age on 2026-04-01, the publication date
    assert all(r == seen[0] for r in seen)  # nothing in the record moves with the viewing day


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (dt.date(1980, 4, 21), 46),  # the birthday is the publication day itself: already 46 on it
        (dt.date(1980, 4, 22), 45),  # the birthday is the day after publication
        (dt.date(1980, 4, 1), 46),  # between decision and publication: publication counts, not decision
    ],
)
def test_public_age_is_the_age_on_the_publication_date(desk, world, today, born, age):
    today(dt.date(2026, 3, 20))
    case = desk.case(desk.person(born=born)["id"])
    listing = desk.list(case["id"], decision_date="2026-03-20", grace_months=1).json
    assert listing["publish_from"] == "2026-04-21"  # the day after the grace period (D4)
    from sanctions.identifiers import age_on

    assert age_on(born, dt.date(2026, 4, 21)) == age
    for day in (dt.date(2026, 4, 21), dt.date(2026, 11, 21), dt.date(2027, 6, 1)):
        today(day)
        record = _public_record_of(world, born)
        assert (record["published_on"], record["age"]) == ("2026-04-21", age), day


def test_public_search_only_active_published_records(desk, world, today):
    grace = desk.case(desk.person()["id"])
    today(dt.date(2026, 11, 10))
    desk.list(grace["id"], decision_date="2026-11-10", grace_months=1)
    paid = desk.case(desk.person(name="张三", born=dt.date(1970, 1, 1))["id"])
    desk.list(paid["id"])
    desk.fact(paid["id"], "full_performance", "2026-11-09")
    today(dt.date(2026, 11, 21))
    assert world.public.get("/public/dishonest-debtors", name="张三").json["total"] == 0
    today(dt.date(2026, 12, 11))  # the grace period ended on 12-10
    assert world.public.get("/public/dishonest-debtors", name="张三").json["total"] == 1


def test_public_search_narrowed_by_id_masked_id_and_province(desk, world):
    for n in range(3):
        desk.list(desk.case(desk.person(born=dt.date(1980 + n, 5, 17))["id"])["id"])
    number = person_id(dt.date(1981, 5, 17))
    assert world.public.get("/public/dishonest-debtors", name="张三").json["total"] == 3
    masked = number[:10] + "****" + number[14:]
    assert world.public.get("/public/dishonest-debtors", name="张三", id_number=masked).json["total"] == 1
    assert world.public.get("/public/dishonest-debtors", name="张三", province="上海市").json["total"] == 0
    assert (
        world.public.get("/public/dishonest-debtors", name="张 三").json["total"] == 3
    )  # spaces in a Han name
    assert world.public.get("/public/dishonest-debtors", name="张").json["total"] == 0  # exact names only
    company = desk.company()
    desk.list(desk.case(company["id"])["id"])
    org = world.public.get(
        "/public/dishonest-debtors", name="北京某某科技有限公司", id_number=credit_code()[8:17]
    ).json["items"]  # the embedded organisation code
    assert [(o["credit_code"], o["legal_representative"]) for o in org] == [(credit_code(), "李四")]


def test_public_search_takes_only_the_masked_id(desk, world, app):
    """The query of GET /public/dishonest-debtors is in its address, kept in server and proxy logs: a full ID
    number (18 or 15 digits, valid or not, the real one or a guess) is refused with the same 422 asking for
    the masked form, and nothing is searched or logged; the masked form and organisation codes still work."""
    desk.list(desk.case(desk.person()["id"])["id"])
    real = person_id(BORN)
    from sanctions.identifiers import ric_check_char

    guess = next(  # a valid ID with the same published digits and another birthday: what an attacker tries
        g
        for g in (real[:10] + f"{m:02d}{d:02d}" + real[14:] for m in range(1, 13) for d in range(1, 29))
        if g != real and ric_check_char(g[:17]) == g[17]
    )
    legacy = real[:6] + real[8:17]
    refusals = [
        world.public.get("/public/dishonest-debtors", name="张三", id_number=number)
        for number in (real, guess, real[:17] + "0", legacy, real.lower())
    ]
    assert {(r.status_code, r.json["code"]) for r in refusals} == {(422, "id_number.unmasked")}
    assert "****" in refusals[0].json["message"] and refusals[0].json["errors"][0]["field"] == "id_number"
    masked = real[:10] + "****" + real[14:]
    assert world.public.get("/public/dishonest-debtors", name="张三", id_number=masked).json["total"] == 1
    from sqlalchemy import func, select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)) == 1  # the masked search only


def test_self_check_is_throttled_per_looked_up_identity(desk, world, app):
    app.config["SELF_CHECK_TARGET_LIMIT"] = "3 per hour"
    desk.list(desk.case(desk.person()["id"])["id"])
    real = person_id(BORN)
    from sanctions.identifiers import ric_check_char

    candidates = (real[:10] + f"{m:02d}{d:02d}" + real[14:] for m in range(1, 13) for d in range(1, 29))
    guesses = [g for g in candidates if ric_check_char(g[:17]) == g[17] and g != real][:4]
    codes = []
    for n, number in enumerate(guesses):  # an attacker rotating client addresses
        response = world.public.client.post(
            "/public/self-check",
            json={"name": "张三", "id_number": number},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
        codes.append(response.status_code)
    assert codes == [200, 200, 200, 429]
    other = world.public.post("/public/self-check", _me("李四", dt.date(1975, 3, 2)))
    assert other.status_code == 200  # someone else is not affected


def test_legacy_15_digit_guesses_share_the_identity_budget(desk, world, app):
    """The 15-digit form of a guess is the same guess (it stands for the 18-digit number)."""
    app.config["SELF_CHECK_TARGET_LIMIT"] = "3 per hour"
    desk.list(desk.case(desk.person()["id"])["id"])
    real = person_id(BORN)  # born 1980: has a legacy 15-digit form
    legacy = [real[:6] + real[8:10] + f"{m:02d}{d:02d}" + real[14:17] for m, d in ((1, 2), (3, 4), (5, 6))]
    from sanctions.identifiers import ric_check_char

    guess = real[:10] + "0708" + real[14:17]
    codes = [
        world.public.client.post(
            "/public/self-check", json={"name": "张三", "id_number": number}, environ_base={"REMOTE_ADDR": ip}
        ).status_code
        for number, ip in (
            (legacy[0], "10.0.1.1"),
            (legacy[1], "10.0.1.2"),
            (guess + ric_check_char(guess), "10.0.1.3"),  # an 18-digit guess, well formed
        )
    ]
    codes.append(
        world.public.client.post(
            "/public/self-check",
            json={"name": "张三", "id_number": legacy[2]},
            environ_base={"REMOTE_ADDR": "10.0.1.4"},
        ).status_code
    )
    assert codes == [200, 200, 200, 429]


def test_one_budget_per_client_across_public_routes(world, app):
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    assert world.public.get("/public/dishonest-debtors", name="张三").status_code == 200
    assert world.public.post("/public/self-check", _me("李四", dt.date(1975, 3, 2))).status_code == 200
    assert world.public.client.get("/").status_code == 429  # the web page draws on the same budget
    assert world.public.get("/public/dishonest-debtors", name="张三").status_code == 429


@pytest.mark.parametrize("value", [110105198005170930, ["张三"], {"x": 1}, True, None])
def test_self_check_refuses_non_text_identity_cleanly(world, value):
    for body in ({"name": "张三", "id_number": value}, {"name": value, "id_number": person_id(BORN)}):
        response = world.public.post("/public/self-check", body)
        assert response.status_code == 422, response.json
        assert response.json["code"]


def test_public_search_logs_whose_records_were_shown(desk, world, app):
    desk.person(name="路人", born=dt.date(1970, 1, 1))  # subject 1: never listed
    debtor = desk.person(name="李雷")
    listing = desk.list(desk.case(debtor["id"])["id"]).json
    assert listing["id"] != debtor["id"]
    assert world.public.get("/public/dishonest-debtors", name="李雷").json["total"] == 1
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    with app.app_context():
        logged = db.session.scalars(select(AccessLog).where(AccessLog.action == "public_search")).all()
        assert [row.subject_ids for row in logged] == [[debtor["id"]]]


def test_public_search_pagination(desk, world):
    for n in range(5):
        desk.list(desk.case(desk.person(born=dt.date(1960 + n, 1, 2))["id"])["id"])
    first = world.public.get("/public/dishonest-debtors", name="张三", page_size=2).json
    third = world.public.get("/public/dishonest-debtors", name="张三", page_size=2, page=3).json
    assert (first["total"], len(first["items"]), len(third["items"])) == (5, 2, 1)
    ids = {
        x["id"]
        for p in (1, 2, 3)
        for x in world.public.get("/public/dishonest-debtors", name="张三", page_size=2, page=p).json["items"]
    }
    assert len(ids) == 5
    assert world.public.get("/public/dishonest-debtors", name="张三", page_size=500).status_code == 422


def test_public_endpoints_are_throttled_per_client(world, app):
    app.config["PUBLIC_RATE_LIMIT"] = "3 per minute"
    codes = [world.public.get("/public/dishonest-debtors", name="张三").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = world.public.get("/public/dishonest-debtors", name="张三")
    assert limited.json["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    other = world.public.client.get(
        "/public/dishonest-debtors", query_string={"name": "张三"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 200


# --- Correction applications ----------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n%test\n"


def _apply(world, listing_id, ground="should_be_deleted", files=(), **identity):
    form = (identity or _me()) | {
        "listing_id": str(listing_id),
        "ground": ground,
        "explanation": "已于11月1日全额还款",
        "contact": "13800000000",
    }
    data = dict(form)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return world.public.client.post(
        "/public/correction-applications", data=data, content_type="multipart/form-data"
    )


@pytest.fixture
def listed(desk):
    case = desk.case(desk.person()["id"])
    return case, desk.list(case["id"]).json


def test_a_correction_upheld_in_time(desk, world, listed, today):
    case, listing = listed
    today(dt.date(2026, 11, 2))
    filed = _apply(world, listing["id"], files=[("收据.pdf", PDF)])
    assert filed.status_code == 201, filed.json
    assert (filed.json["status"], filed.json["received_on"], filed.json["decision_due"]) == (
        "pending",
        "2026-11-02",
        "2026-11-17",
    )
    queue = desk.client.get("/correction-applications/", status="pending").json
    application = queue["items"][0]
    assert application["attachments"][0]["content_type"] == "application/pdf"
    download = desk.client.get(
        f"/correction-applications/{application['id']}/attachments/{application['attachments'][0]['id']}"
    )
    assert download.data == PDF
    download.close()
    today(dt.date(2026, 11, 10))
    decided = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {
            "outcome": "upheld",
            "removal_reason": "full_performance",
            "fact_date": "2026-11-01",
            "note": "核实已履行",
        },
    )
    assert decided.status_code == 200, decided.json
    assert (decided.json["status"], decided.json["effect"], decided.json["effect_due"]) == (
        "upheld",
        "deleted",
        "2026-11-13",
    )
    assert decided.json["listing"]["state"] == "removed"
    assert desk.client.get("/correction-applications/overdue").json == []  # decided and applied in time
    mine = world.public.post("/public/self-check", _me()).json
    assert [a["status"] for a in mine["applications"]] == ["upheld"]
    # Recorded as the case's performance: the listing goes and so does the restriction (D10, C-LIFT-SHALL).
    assert (mine["listed"], mine["restricted"]) == (False, False)
    assert [r["lift_reason"] for r in mine["restrictions"]] == ["full_performance"]
    facts = desk.client.get(f"/cases/{case['id']}").json["facts"]
    assert [(f["kind"], f["occurred_on"]) for f in facts] == [("full_performance", "2026-11-01")]


def test_a_rejection_followed_by_reconsideration(desk, world, listed, today):
    _, listing = listed
    today(dt.date(2026, 9, 16))
    reference = _apply(world, listing["id"], ground="should_not_be_listed").json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    assert application["decision_due"] == "2026-10-08"  # 09-16 + 15 = 10-01, National Day: next working day
    today(dt.date(2026, 9, 25))
    rejected = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": "理由不成立", "served_on": "2026-09-25"},
    )
    assert rejected.json["status"] == "rejected"
    assert rejected.json["reconsideration_deadline"] == "2026-10-08"  # 10-05 is a holiday
    today(dt.date(2026, 10, 8))
    asked = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration",
        _me() | {"reasons": "本人不是该案被执行人"},
    )
    assert asked.status_code == 200, asked.json
    assert (asked.json["status"], asked.json["reconsideration_due"]) == (
        "reconsideration_pending",
        "2026-10-23",
    )
    # The original decision stands meanwhile (L-APPEAL-7); the listing court cannot decide it.
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "active"
    own = desk.client.post(
        f"/correction-applications/{application['id']}/reconsideration-decision", {"outcome": "upheld"}
    )
    assert own.status_code == 403
    higher = world.higher_court
    assert higher.get("/correction-applications/").json["items"][0]["status"] == "reconsideration_pending"
    today(dt.date(2026, 10, 20))
    upheld = higher.post(
        f"/correction-applications/{application['id']}/reconsideration-decision",
        {"outcome": "upheld", "note": "确属错误纳入"},
    )
    assert upheld.status_code == 200, upheld.json
    assert (upheld.json["status"], upheld.json["effect"]) == ("reconsideration_upheld", "revoked")
    assert desk.client.get(f"/listings/{listing['id']}").json["removal"]["reason"] == "revoked"


def test_reconsideration_after_ten_days_is_refused(desk, world, listed, today):
    _, listing = listed
    reference = _apply(world, listing["id"]).json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-11-21"},
    )
    today(dt.date(2026, 12, 2))  # 11-21 + 10 = 12-01 (a Tuesday)
    late = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "x"}
    )
    assert late.status_code == 409 and late.json["code"] == "application.reconsideration_late"


def test_late_decision_shows_in_the_overdue_report(desk, world, listed, today):
    _, listing = listed
    today(dt.date(2026, 9, 16))
    _apply(world, listing["id"])
    today(dt.date(2026, 10, 12))
    report = desk.client.get("/correction-applications/overdue").json
    assert [(r["step"], r["due"], r["days_late"], r["done_on"]) for r in report] == [
        ("decision", "2026-10-08", 4, None)
    ]


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([("big.pdf", b"%PDF-" + b"0" * 2048)], "attachment.too_large"),
        ([("virus.exe", b"MZ\x90\x00")], "attachment.type"),
        ([("fake.pdf", b"<html>not a pdf</html>")], "attachment.type"),
        ([(f"p{n}.pdf", PDF) for n in range(6)], "attachment.count"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_filed(desk, world, listed, app, files, code):
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    _, listing = listed
    response = _apply(world, listing["id"], files=files)
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert desk.client.get("/correction-applications/").json["total"] == 0


def test_an_application_about_someone_elses_listing_is_not_found(desk, world, listed):
    _, listing = listed
    stranger = _apply(world, listing["id"], name="赵大", id_number=person_id(dt.date(1990, 1, 1)))
    assert stranger.status_code == 404 and stranger.json["code"] == "application.listing"
    assert _apply(world, listing["id"]).status_code == 201
    twice = _apply(world, listing["id"])
    assert twice.status_code == 409 and twice.json["code"] == "application.pending"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"removal_reason": "revoked"}, "application.removal_reason"),
        ({"removal_reason": "suspension"}, "application.removal_reason"),
        ({"removal_reason": "full_performance"}, "application.fact_date"),
        ({"removal_reason": "term_expired"}, "application.removal_reason"),  # item (一) has no term to expire
        ({"removal_reason": "early_deletion"}, "listing.early_deletion_no_term"),
    ],
)
def test_should_be_deleted_needs_a_real_deletion_event(desk, world, listed, body, code):
    _, listing = listed
    _apply(world, listing["id"])
    application = desk.client.get("/correction-applications/").json["items"][0]
    response = desk.client.post(
        f"/correction-applications/{application['id']}/decision", {"outcome": "upheld"} | body
    )
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert desk.client.get(f"/correction-applications/{application['id']}").json["status"] == "pending"
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "active"


def test_inaccurate_information_upheld_corrects_it(desk, world, listed):
    _, listing = listed
    _apply(world, listing["id"], ground="inaccurate")
    application = desk.client.get("/correction-applications/").json["items"][0]
    missing = desk.client.post(
        f"/correction-applications/{application['id']}/decision", {"outcome": "upheld"}
    )
    assert missing.status_code == 422 and missing.json["code"] == "application.changes"
    fixed = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "upheld", "changes": {"obligation": "支付货款"}},
    )
    assert fixed.json["effect"] == "corrected"
    assert fixed.json["listing"]["corrections"][0]["changes"]["obligation"] == ["支付货款及利息", "支付货款"]


def test_inaccurate_information_upheld_with_no_change_is_refused_and_changes_nothing(desk, world, listed):
    """L-CORRECT: upholding an inaccurate-information application must change something; changes equal to the
    record would record a correction that corrects nothing. The application stays pending for a decision."""
    _, listing = listed
    _apply(world, listing["id"], ground="inaccurate")
    application = desk.client.get("/correction-applications/").json["items"][0]
    before = len(world.admin.get("/events/", limit=1000).json["items"])
    same = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "upheld", "changes": {"obligation": "支付货款及利息"}},
    )
    assert (same.status_code, same.json["code"]) == (422, "correction.no_change"), same.json
    assert desk.client.get(f"/correction-applications/{application['id']}").json["status"] == "pending"
    assert desk.client.get(f"/listings/{listing['id']}").json["corrections"] == []
    assert len(world.admin.get("/events/", limit=1000).json["items"]) == before


def test_another_court_cannot_see_or_decide_the_application(desk, world, listed):
    _, listing = listed
    _apply(world, listing["id"])
    application = desk.client.get("/correction-applications/").json["items"][0]
    assert world.other_court.get("/correction-applications/").json["total"] == 0
    assert world.other_court.get(f"/correction-applications/{application['id']}").status_code == 403


def test_reconsideration_period_ending_on_a_make_up_working_sunday(desk, world, listed, today):
    _, listing = listed
    today(dt.date(2026, 9, 8))
    reference = _apply(world, listing["id"]).json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    today(dt.date(2026, 9, 10))
    rejected = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-09-10"},
    )
    # 09-10 + 10 days = Sunday 2026-09-20, a make-up working day (调休) before National Day: it stays.
    assert rejected.json["reconsideration_deadline"] == "2026-09-20"
    today(dt.date(2026, 9, 21))
    late = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "x"}
    )
    assert late.status_code == 409
    today(dt.date(2026, 9, 20))
    in_time = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "x"}
    )
    assert in_time.status_code == 200, in_time.json


def test_deadlines_beyond_the_holiday_data_are_marked_and_never_used_to_refuse(desk, world, listed, today):
    _, listing = listed
    today(dt.date(2026, 12, 28))  # + 15 days = 2027-01-12: the official 2027 calendar is not in the data yet
    reference = _apply(world, listing["id"]).json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    assert (application["decision_due"], application["calendar_known"]) == ("2027-01-12", False)
    today(dt.date(2027, 1, 4))
    desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2027-01-04"},
    )
    today(dt.date(2027, 1, 20))  # past the weekends-only count of 10 days, which cannot be trusted
    late = world.public.post(
        f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "x"}
    )
    assert late.status_code == 200, late.json
    assert late.json["calendar_known"] is False


def test_a_late_reconsideration_is_refused_on_its_own_deadline(desk, world, listed, today):
    """L-APPEAL-5, D2: the 10 days are judged on their own calendar. A decision deadline beyond the holiday
    data (2027-01-04) must not lift a reconsideration deadline inside it (2026-12-31)."""
    _, listing = listed
    today(dt.date(2026, 12, 20))
    filed = _apply(world, listing["id"])
    assert (filed.json["decision_due"], filed.json["calendar_known"]) == ("2027-01-04", False)
    application = desk.client.get("/correction-applications/").json["items"][0]
    today(dt.date(2026, 12, 21))
    rejected = desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-12-21"},
    )
    assert rejected.json["reconsideration_deadline"] == "2026-12-31"
    reference = filed.json["reference"]

    def ask(on):
        today(on)
        return world.public.post(
            f"/public/correction-applications/{reference}/reconsideration", _me() | {"reasons": "不服"}
        )

    for late_day in (dt.date(2027, 1, 1), dt.date(2027, 2, 20)):
        late = ask(late_day)
        assert late.status_code == 409 and late.json["code"] == "application.reconsideration_late"
        assert "2026-12-31" in late.json["message"]
    assert desk.client.get(f"/correction-applications/{application['id']}").json["status"] == "rejected"
    in_time = ask(dt.date(2026, 12, 31))  # the last day
    assert in_time.status_code == 200 and in_time.json["status"] == "reconsideration_pending", in_time.json


# --- Throttling by identity and by client ------------------------------------------------------------------


def test_requests_naming_no_one_are_not_counted_against_an_identity(desk, world, app):
    """Under the production limits, a self-check without a number (a 422) from many clients uses no
    identity's budget (all would share one key and shut the check for everybody); the real one still works."""
    from blacklist_service import config

    app.config["SELF_CHECK_TARGET_LIMIT"] = config.SELF_CHECK_TARGET_LIMIT
    desk.list(desk.case(desk.person()["id"])["id"])
    for n in range(25):
        for body in ({"name": "张三"}, {"name": "", "id_number": ""}, {}):
            response = world.public.client.post(
                "/public/self-check", json=body, environ_base={"REMOTE_ADDR": f"10.6.{n}.1"}
            )
            assert response.status_code == 422, (n, body, response.status_code)
    assert world.public.post("/public/self-check", _me()).json["listed"] is True


def _search_from(world, address):
    return world.public.client.get(
        "/public/dishonest-debtors", query_string={"name": "张三"}, environ_base={"REMOTE_ADDR": address}
    ).status_code


def test_an_ipv6_client_is_throttled_by_its_64_prefix(world, app):
    """One subscriber holds a whole IPv6 /64: rotating addresses within it shares one budget. Another /64,
    and IPv4 addresses (also when mapped into IPv6), are clients of their own."""
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    same_64 = ["2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:1:ffff:ffff:ffff:ffff"]
    assert [_search_from(world, a) for a in same_64] == [200, 200, 429]
    assert _search_from(world, "2001:db8:0:2::1") == 200  # the next /64
    assert [_search_from(world, a) for a in ("192.0.2.1", "192.0.2.1", "192.0.2.2")] == [200, 200, 200]
    assert _search_from(world, "::ffff:192.0.2.1") == 429  # the same IPv4 client


# --- Access log of filing, reconsideration and attachments ----------------------------------------------------


def _access_log(app):
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import AccessLog

    with app.app_context():
        rows = db.session.scalars(select(AccessLog).order_by(AccessLog.id))
        return [(x.action, x.subject_ids, x.reference, x.client) for x in rows]


def test_filing_is_logged_whether_it_succeeds_or_fails(desk, world, listed, app):
    """Who looked up whom: an application proves an identity, so each attempt is in the access log, a
    refused one too (with no one, when the identity matches no one), like a self-check."""
    _, listing = listed
    subject_id = listing["subject"]["id"]
    stranger = _apply(world, listing["id"], name="赵大", id_number=person_id(dt.date(1990, 1, 1)))
    assert stranger.status_code == 404
    filed = _apply(world, listing["id"])
    assert filed.status_code == 201
    twice = _apply(world, listing["id"])
    assert twice.status_code == 409
    assert _access_log(app) == [
        ("correction_application", [], None, "127.0.0.1"),
        ("correction_application", [subject_id], filed.json["reference"], "127.0.0.1"),
        ("correction_application", [subject_id], None, "127.0.0.1"),
    ]
    assert desk.client.get("/correction-applications/").json["total"] == 1


def test_a_faulty_application_gets_the_same_answer_for_a_right_and_a_wrong_identity(desk, world, listed, app):
    """Filing must not tell which ID numbers are real: the application is checked before the identity, so
    a bad attachment (or a blank explanation) is the same 422 either way; nothing is filed, and the
    attempts are logged."""
    _, listing = listed
    wrong = {"name": "张三", "id_number": person_id(dt.date(1980, 7, 1))}
    bad_file = [("virus.pdf", b"MZ\x90\x00")]
    answers = [_apply(world, listing["id"], files=bad_file, **identity) for identity in (wrong, _me())]
    assert [(r.status_code, r.json["code"]) for r in answers] == [(422, "attachment.type")] * 2
    blank = [
        world.public.client.post(
            "/public/correction-applications",
            data=identity | {"listing_id": str(listing["id"]), "ground": "inaccurate", "explanation": "  "},
            content_type="multipart/form-data",
        )
        for identity in (wrong, _me())
    ]
    assert [(r.status_code, r.json["errors"][0]["field"]) for r in blank] == [(422, "explanation")] * 2
    assert blank[0].json["code"] == blank[1].json["code"]
    assert desk.client.get("/correction-applications/").json["total"] == 0
    logged = _access_log(app)
    assert [(action, len(ids)) for action, ids, _, _ in logged] == [
        ("correction_application", 0),
        ("correction_application", 1),
    ]


def test_reconsideration_requests_are_logged_whether_they_succeed_or_fail(desk, world, listed, app):
    _, listing = listed
    reference = _apply(world, listing["id"]).json["reference"]
    application = desk.client.get("/correction-applications/").json["items"][0]
    subject_id = application["listing"]["subject"]["id"]
    path = f"/public/correction-applications/{reference}/reconsideration"
    early = world.public.post(path, _me() | {"reasons": "不服"})  # not rejected yet
    assert early.status_code == 409 and early.json["code"] == "application.not_rejected"
    desk.client.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-11-21"},
    )
    stranger = world.public.post(path, _me("赵大", dt.date(1990, 1, 1)) | {"reasons": "不服"})
    assert stranger.status_code == 404
    asked = world.public.post(path, _me() | {"reasons": "不服"})
    assert asked.status_code == 200
    reconsiderations = [row for row in _access_log(app) if row[0] == "reconsideration"]
    assert [(ids, ref) for _, ids, ref, _ in reconsiderations] == [
        ([subject_id], None),  # refused: not rejected yet
        ([], None),  # refused: an identity that matches no one
        ([subject_id], reference),
    ]


def test_a_court_downloading_an_attachment_is_logged(desk, world, listed, app):
    _, listing = listed
    assert _apply(world, listing["id"], files=[("身份证.pdf", PDF)]).status_code == 201
    application = desk.client.get("/correction-applications/").json["items"][0]
    before = len(_access_log(app))
    attachment = application["attachments"][0]
    download = desk.client.get(f"/correction-applications/{application['id']}/attachments/{attachment['id']}")
    assert download.data == PDF
    download.close()
    logged = _access_log(app)[before:]
    assert [(action, ref) for action, _, ref, _ in logged] == [("read", f"attachment:{attachment['id']}")]
    assert logged[0][3] is None  # a key holder: the principal, not an address


def test_public_search_by_a_credit_code_of_digits_first_is_not_mistaken_for_an_id(desk, world):
    """Many credit codes begin with 15 digits, like an ID; a valid one is searched, not refused as an
    unmasked ID (D12: an organisation's code is public), while a mistyped ID is still refused."""
    from tests.support import credit_code

    company = desk.company(name="上海某某有限公司", body="9131000060720892")
    assert company["identifier"][:15].isdigit()
    desk.list(desk.case(company["id"])["id"])
    found = world.public.get(
        "/public/dishonest-debtors", name="上海某某有限公司", id_number=company["identifier"]
    )
    assert found.status_code == 200 and found.json["total"] == 1, found.json
    wrong_check = credit_code("9131000060720892")[:17] + "0"
    assert wrong_check != company["identifier"]
    mistyped = world.public.get("/public/dishonest-debtors", name="上海某某有限公司", id_number=wrong_check)
    assert (mistyped.status_code, mistyped.json["code"]) == (422, "id_number.unmasked")
