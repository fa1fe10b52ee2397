"""Hostile input: oversized numbers, NUL and other control characters, lone surrogates, text that does not
fit its column, look-alike case numbers, non-files as attachments, unknown sectors.

Each gets a clear error (404 or 422 with a stable code) and changes nothing — never a 500, on SQLite and on
PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blacklist_service.auth import create_key
from blacklist_service.errors import Invalid
from blacklist_service.extensions import db
from blacklist_service.models import (
    AccessLog,
    Case,
    Listing,
    Permission,
    Principal,
    Restriction,
    Role,
    ScreeningJob,
    Subject,
)
from blacklist_service.resources import cases as case_resources
from blacklist_service.resources import debtors as debtor_resources
from blacklist_service.resources import listings as listing_resources
from blacklist_service.resources import restrictions as restriction_resources
from blacklist_service.resources import screening as screening_resources
from blacklist_service.resources.blueprint import MAX_JSON_DEPTH
from blacklist_service.services.pages import MAX_PAGE
from tests.support import person_id

BORN = dt.date(1980, 5, 17)
ME = {"name": "张三", "id_number": person_id(BORN)}
PDF = b"%PDF-1.4\n%test\n"
INT_MAX = 2**31 - 1


@pytest.fixture
def listed(desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"])
    assert listing.status_code == 201, listing.json
    return case, listing.json


def last_seq(world) -> int:
    return world.admin.get("/events/").json["last_seq"]


def apply_form(world, listing_id, **fields):
    data = (
        ME | {"listing_id": str(listing_id), "ground": "should_be_deleted", "explanation": "已还款"} | fields
    )
    return world.public.client.post(
        "/public/correction-applications", data=data, content_type="multipart/form-data"
    )


def assert_refused(response, status=422, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json["status"] == status and response.json["code"]
    if code is not None:
        assert response.json["code"] == code, response.json


# --- a. Oversized integers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [10**19, MAX_PAGE + 1, 0, -(10**19)])
@pytest.mark.parametrize(
    ("client", "path", "params"),
    [
        ("public", "/public/dishonest-debtors", {"name": "张三"}),
        ("court", "/cases/", {}),
        ("court", "/listings/", {}),
        ("court", "/restrictions/", {}),
        ("court", "/correction-applications/", {}),
    ],
)
def test_page_numbers_out_of_range_are_422(world, client, path, params, page):
    response = getattr(world, client).get(path, **params, page=page)
    assert_refused(response)
    assert response.json["errors"][0]["field"] == "page"


def test_the_last_allowed_page_is_an_empty_page(desk, world):
    desk.list(desk.case(desk.person()["id"])["id"])
    found = world.public.get("/public/dishonest-debtors", name="张三", page=MAX_PAGE, page_size=200).json
    assert (found["total"], found["items"], found["page"]) == (1, [], MAX_PAGE)


@pytest.mark.parametrize("number", [str(INT_MAX + 1), str(10**20), "9" * 5000])
@pytest.mark.parametrize(
    "path",
    [
        "/cases/{}",
        "/listings/{}",
        "/debtors/{}",
        "/debtors/{}/measures",
        "/restrictions/{}",
        "/correction-applications/{}",
    ],
)
def test_huge_ids_in_paths_are_404(world, path, number):
    assert_refused(world.admin.get(path.format(number)), 404, "not_found")


def test_huge_ids_in_paths_of_writes_are_404_and_change_nothing(world):
    before = last_seq(world)
    writes = [
        ("/cases/2147483648/facts", {"kind": "full_performance", "occurred_on": "2026-04-01"}),
        ("/listings/2147483648/revocation", {"fact_date": "2026-04-01"}),
        ("/restrictions/2147483648/permissions/1/revocation", {"revoked_on": "2026-04-01"}),
        ("/restrictions/1/permissions/2147483648/revocation", {"revoked_on": "2026-04-01"}),
    ]
    for path, body in writes:
        assert_refused(world.court.post(path, body), 404)
    assert last_seq(world) == before


def test_the_largest_id_is_simply_not_found(world):
    assert_refused(world.admin.get(f"/cases/{INT_MAX}"), 404, "case.not_found")


@pytest.mark.parametrize("value", [INT_MAX + 1, -(2**31) - 1, 10**30, 0])
@pytest.mark.parametrize(
    ("path", "name"),
    [("/cases/", "debtor_id"), ("/restrictions/", "subject_id"), ("/restrictions/", "case_id")],
)
def test_huge_ids_in_query_args_are_422(world, path, name, value):
    response = world.court.get(path, **{name: value})
    assert_refused(response, 422, "id.range")
    assert response.json["errors"][0]["field"] == name


@pytest.mark.parametrize("value", [INT_MAX + 1, -(2**31) - 1, 10**30, 1e300])
def test_huge_ids_in_json_bodies_are_422_and_change_nothing(desk, world, value):
    case = desk.case(desk.person()["id"])
    before = last_seq(world)
    opened = world.court.post(
        "/cases/",
        {
            "number": "（2026）京0105执77号",
            "applicant": "王五",
            "debtor_id": value,
            "obligation": "支付货款",
            "amount": "1000.00",
            "basis_issuer": "北京市朝阳区人民法院",
            "basis_number": "（2026）京0105民初1号",
            "filed_on": "2026-03-02",
        },
    )
    assert_refused(opened, 422, "id.range")
    assert_refused(desk.list(case["id"], subject_id=value), 422, "id.range")
    assert_refused(desk.fact(case["id"], "release", "2026-04-01", refers_to_id=value), 422, "id.range")
    searches = desk.fact(case["id"], "no_property_termination", "2026-04-01", asset_searches=value)
    assert_refused(searches)
    assert searches.json["errors"][0]["field"] == "asset_searches"
    assert last_seq(world) == before


def test_event_sequence_numbers_are_bigint(world):
    assert world.admin.get("/events/", after=INT_MAX + 1).json["items"] == []
    assert world.admin.get("/events/", after=2**63 - 1).json["items"] == []
    assert_refused(world.admin.get("/events/", after=2**63))
    assert world.hotel.get("/screening/changes", after=2**63 - 1).json["items"] == []
    assert_refused(world.hotel.get("/screening/changes", after=2**63), 422, "after.range")


def test_a_huge_listing_id_in_a_correction_application_is_not_found(world, listed):
    assert_refused(apply_form(world, INT_MAX + 1), 404, "application.listing")
    assert_refused(apply_form(world, -(2**31) - 1), 404, "application.listing")
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_a_huge_page_on_the_web_search_is_a_form_error(world, app):
    response = app.test_client().post("/", data={"name": "张三", "page": str(10**19)})
    assert response.status_code == 422
    assert "text/html" in response.content_type


# --- b, c. Control characters and lone surrogates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "path", "params"),
    [
        ("public", "/public/dishonest-debtors", {"name": "张\x00三"}),
        ("public", "/public/dishonest-debtors", {"name": "张三", "province": "北\x00"}),
        ("public", "/public/dishonest-debtors", {"name": "张三", "id_number": "1101\x00"}),
        ("public", "/public/dishonest-debtors", {"name": "张\x1b三"}),
        ("court", "/listings/", {"name": "张\x00"}),
        ("court", "/listings/", {"case_number": "\x00"}),
        ("court", "/cases/", {"number": "执\x00"}),
    ],
)
def test_control_characters_in_query_args_are_422(world, client, path, params):
    response = getattr(world, client).get(path, **params)
    assert_refused(response, 422, "text.control_character")
    assert response.json["errors"][0]["field"] in params


@pytest.mark.parametrize(("bad", "code"), [("\x00", "text.control_character"), ("\ud800", "text.encoding")])
def test_bad_text_in_json_bodies_is_422_and_changes_nothing(desk, world, listed, bad, code):
    case, listing = listed
    before = last_seq(world)
    calls = [
        (world.public, "/public/self-check", {"name": f"张{bad}三", "id_number": ME["id_number"]}),
        (world.hotel, "/screening/", {"name": f"张{bad}三"}),
        (world.hotel, "/screening/", {"identifier": f"1101{bad}"}),
        (world.hotel, "/screening/batch", {"items": [{"name": "李四"}, {"name": f"张{bad}三"}]}),
        (
            world.court,
            "/debtors/",
            {"kind": "person", "name": f"王{bad}", "id_number": person_id(BORN, seq="111")},
        ),
        (
            world.court,
            f"/cases/{case['id']}/facts",
            {"kind": "security", "occurred_on": "2026-04-01", "amount": "1.00", "description": f"x{bad}y"},
        ),
        (
            world.court,
            f"/listings/{listing['id']}/revocation",
            {"fact_date": "2026-04-01", "note": f"x{bad}"},
        ),
        (
            world.court,
            f"/listings/{listing['id']}/corrections",
            {"found_on": "2026-04-01", "changes": {"signed_by": f"赵{bad}"}},
        ),
        (
            world.court,
            f"/cases/{case['id']}/restrictions",
            {"order_number": f"令{bad}", "order_date": "2026-04-01", "signed_by": "院长"},
        ),
    ]
    for client, path, body in calls:
        response = client.post(path, body)
        assert_refused(response, 422, code)
        assert response.json["errors"][0]["code"] == code
    assert last_seq(world) == before


def test_the_error_names_the_nested_field(world):
    response = world.hotel.post("/screening/batch", {"items": [{"name": "李四"}, {"name": "张\ud800三"}]})
    assert [e["field"] for e in response.json["errors"]] == ["items.1.name"]


def test_a_nul_in_a_correction_application_is_422_and_files_nothing(world, listed):
    _, listing = listed
    assert_refused(apply_form(world, listing["id"], explanation="x\x00y"), 422, "text.control_character")
    assert_refused(apply_form(world, listing["id"], contact="138\x00"), 422, "text.control_character")
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_tabs_and_line_breaks_are_ordinary_text(world, listed):
    _, listing = listed
    filed = apply_form(world, listing["id"], explanation="第一段\r\n第二段\n\t第三段")
    assert filed.status_code == 201, filed.json


@pytest.mark.parametrize("path", ["/screening/jobs/a%00b", "/screening/jobs/a%00b/result"])
def test_control_characters_in_path_strings_are_404(world, path):
    assert_refused(world.hotel.get(path), 404)


def test_control_characters_in_an_application_reference_are_404(world):
    response = world.public.post(
        "/public/correction-applications/JZ%00/reconsideration", ME | {"reasons": "x"}
    )
    assert_refused(response, 404)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/", {"name": "张\x00三"}),
        ("/", {"name": "张三", "province": "北\x00"}),
        ("/self-check", {"name": "张\x00三", "id_number": ME["id_number"]}),
        ("/self-check", {"name": "张三", "id_number": "1101\x00"}),
    ],
)
def test_web_forms_show_a_form_error_for_control_characters(app, world, path, data):
    response = app.test_client().post(path, data=data)
    assert response.status_code == 422
    assert "text/html" in response.content_type


def test_web_correction_form_with_a_tampered_identity_is_not_found(app, world, listed):
    _, listing = listed
    response = app.test_client().post(
        "/corrections/new", data=ME | {"name": "张\x00三", "listing_id": str(listing["id"])}
    )
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_web_correction_form_shows_a_form_error_for_control_characters(app, world, listed):
    _, listing = listed
    browser = app.test_client()
    data = ME | {"listing_id": str(listing["id"]), "ground": "should_be_deleted", "explanation": "x\x00y"}
    response = browser.post("/corrections", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "text/html" in response.content_type
    assert world.court.get("/correction-applications/").json["total"] == 0


# --- e. A text field where a file belongs -----------------------------------------------------------------------


def test_a_text_field_as_attachment_is_422(world, listed):
    _, listing = listed
    assert_refused(apply_form(world, listing["id"], attachments="notafile"), 422, "attachment.type")
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_control_characters_are_dropped_from_attachment_names(world, listed):
    _, listing = listed
    filed = apply_form(world, listing["id"], attachments=[(io.BytesIO(PDF), "还款\x01凭证.pdf")])
    assert filed.status_code == 201, filed.json
    application = world.court.get("/correction-applications/").json["items"][0]
    assert [a["filename"] for a in application["attachments"]] == ["还款凭证.pdf"]


# --- f. Text that does not fit its column -----------------------------------------------------------------------


def _max_length(schema, name):
    lengths = [v.max for v in schema().fields[name].validators if hasattr(v, "max") and v.max is not None]
    return min(lengths) if lengths else None


@pytest.mark.parametrize(
    ("schema", "name", "column"),
    [
        (case_resources.CaseCreateSchema, "number", Case.number),
        (case_resources.CaseCreateSchema, "applicant", Case.applicant),
        (case_resources.CaseCreateSchema, "basis_issuer", Case.basis_issuer),
        (case_resources.CaseCreateSchema, "basis_number", Case.basis_number),
        (case_resources.ListingCreateSchema, "decision_number", Listing.decision_number),
        (case_resources.ListingCreateSchema, "signed_by", Listing.signed_by),
        (case_resources.RestrictionOrderSchema, "order_number", Restriction.order_number),
        (case_resources.RestrictionOrderSchema, "signed_by", Restriction.signed_by),
        (case_resources.LiftSchema, "order_number", Restriction.order_number),
        (restriction_resources.PermissionCreateSchema, "approved_by", Permission.approved_by),
        (debtor_resources.DebtorCreateSchema, "name", Subject.name),
        (debtor_resources.KeyPersonCreateSchema, "name", Subject.name),
        (debtor_resources.KeyPersonChangeSchema, "name", Subject.name),
        (case_resources.CaseQueryArgs, "number", Case.number),
        (listing_resources.ListingQueryArgs, "case_number", Case.number),
        (listing_resources.ListingQueryArgs, "name", Subject.name),
    ],
)
def test_schema_limits_fit_the_columns(schema, name, column):
    limit = _max_length(schema, name)
    assert limit is not None and limit <= column.type.length


def test_a_signature_longer_than_its_column_is_422(desk, world):
    case = desk.case(desk.person()["id"])
    before = last_seq(world)
    assert_refused(desk.list(case["id"], signed_by="赵" * 101))
    assert_refused(desk.restrict(case["id"], signed_by="赵" * 101))
    assert last_seq(world) == before
    assert desk.list(case["id"], signed_by="赵" * 100).status_code == 201


def test_a_permission_approver_longer_than_its_column_is_422(desk, world):
    case = desk.case(desk.person()["id"])
    restriction = desk.restrict(case["id"]).json[0]
    body = {"kind": "necessity", "measures": ["HOTEL_STAR"], "valid_from": "2026-05-01"}
    too_long = world.court.post(
        f"/restrictions/{restriction['id']}/permissions", body | {"approved_by": "赵" * 101}
    )
    assert_refused(too_long)
    assert too_long.json["errors"][0]["field"] == "approved_by"


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("decision_number", 80),
        ("subject_name", 200),
        ("signed_by", 100),
        ("basis_number", 80),
        ("case_number", 60),
    ],
)
def test_corrections_longer_than_their_column_are_422(desk, world, listed, name, limit):
    _, listing = listed
    before = last_seq(world)
    response = world.court.post(
        f"/listings/{listing['id']}/corrections",
        {"found_on": "2026-04-01", "changes": {name: "字" * (limit + 1)}},
    )
    assert_refused(response, 422, "correction.value")
    assert response.json["errors"][0]["field"] == name
    apply_form(world, listing["id"], ground="inaccurate")
    application = world.court.get("/correction-applications/").json["items"][0]
    decided = world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "upheld", "changes": {name: "字" * (limit + 1)}},
    )
    assert_refused(decided, 422, "correction.value")
    assert world.court.get(f"/correction-applications/{application['id']}").json["status"] == "pending"
    assert last_seq(world) == before + 1  # the application only


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/listings/", {"name": "张" * 201}),
        ("/listings/", {"case_number": "号" * 61}),
        ("/cases/", {"number": "号" * 61}),
    ],
)
def test_search_text_longer_than_any_column_value_is_422(world, path, params):
    response = world.court.get(path, **params)
    assert_refused(response)
    assert response.json["errors"][0]["field"] in params


def test_a_legacy_id_with_spaces_is_stored_cleaned(world):
    created = world.court.post(
        "/debtors/", {"kind": "person", "name": "张三", "id_number": " 110105 800517 093 "}
    )
    assert created.status_code == 201, created.json
    assert created.json["legacy_identifier"] == "110105800517093"


def test_a_name_that_grows_past_its_column_when_normalised_is_422(world):
    name = "\ufdfa" * 20  # one character each, eighteen after NFKC
    created = world.court.post("/debtors/", {"kind": "person", "name": name, "id_number": ME["id_number"]})
    assert_refused(created, 422, "name.too_long")


# --- g. Decision numbers with stray spaces ----------------------------------------------------------------------


def test_a_duplicate_decision_number_with_a_trailing_space_is_409(desk, world):
    first = desk.list(desk.case(desk.person()["id"])["id"], decision_number="（2026）京0105执1号决定书")
    assert first.status_code == 201
    other = desk.case(desk.person(name="钱八", born=dt.date(1966, 6, 6))["id"])
    again = desk.list(other["id"], decision_number=" （2026）京0105执1号决定书 ")
    assert_refused(again, 409, "listing.decision_number_exists")


# --- h. Look-alike case numbers --------------------------------------------------------------------------------


def _open(world, debtor_id, number):
    return world.court.post(
        "/cases/",
        {
            "number": number,
            "applicant": "王五",
            "debtor_id": debtor_id,
            "obligation": "支付货款",
            "amount": "1000.00",
            "basis_issuer": "北京市朝阳区人民法院",
            "basis_number": "（2026）京0105民初1号",
            "filed_on": "2026-03-02",
        },
    )


def test_case_numbers_in_other_digits_are_the_same_case(desk, world):
    debtor = desk.person()["id"]
    first = _open(world, debtor, "（２０２６）京０１０５执１００１号")
    assert first.status_code == 201, first.json
    assert first.json["number"] == "（2026）京0105执1001号"
    for same in ("（2026）京0105执1001号", "(2026)京0105执01001号", "（2026）京0105执００１００１号"):
        assert_refused(_open(world, debtor, same), 409, "case.exists")
    for foreign in ("（٢٠٢٦）京0105执1002号", "（2026）京0105执١٠٠٢号", "（2026）京0105执0号"):
        assert_refused(_open(world, debtor, foreign), 422, "case_number.format")
    assert world.court.get("/cases/").json["total"] == 1


def test_identifiers_in_other_digits_are_refused_not_registered_twice(world):
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for number in ("110105800517093", "11010519800517101X"):
        created = world.court.post(
            "/debtors/", {"kind": "person", "name": "张三", "id_number": number.translate(arabic)}
        )
        assert_refused(created, 422, "id_number.format")
    with world.app.app_context():
        assert db.session.scalar(select(Subject)) is None


# --- i. Partner keys for unknown sectors ------------------------------------------------------------------------


def test_a_partner_key_for_an_unknown_sector_is_refused(app, world):
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            create_key("新酒店", Role.PARTNER, sector="hotel")
        assert refused.value.code == "key.sector_unknown"
        db.session.rollback()
        assert db.session.scalar(select(Principal).where(Principal.name == "新酒店")) is None
    result = app.test_cli_runner().invoke(
        args=["keys", "create", "--role", "partner", "--sector", "hotel", "--name", "n"]
    )
    assert result.exit_code != 0
    assert "hotel" in result.output and "hotels" in result.output


def test_a_stored_key_with_an_unknown_sector_is_refused_not_500(app, world):
    with app.app_context():
        principal = db.session.scalar(select(Principal).where(Principal.sector == "hotels"))
        principal.sector = "hotel"
        db.session.commit()
    assert_refused(world.hotel.post("/screening/", {"name": "张三"}), 403, "auth.sector_unknown")


# --- j. Text of spaces alone ------------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\t"])
def test_a_decision_number_or_signature_of_spaces_alone_is_refused(desk, world, blank):
    """L-PROC-4: a decision is identified by its number and signed by the president; blank is neither."""
    case = desk.case(desk.person()["id"])
    before = last_seq(world)
    for field in ("decision_number", "signed_by"):
        refused = desk.list(case["id"], **{field: blank})
        assert_refused(refused, 422)
        assert [(e["field"], e["code"]) for e in refused.json["errors"]] == [(field, "text.blank")]
    assert_refused(desk.restrict(case["id"], signed_by=blank), 422)
    assert last_seq(world) == before
    stripped = desk.list(case["id"], decision_number=" （2026）京0105执7号决定书\u3000", signed_by=" 院长 赵六 ")
    assert (stripped.json["decision_number"], stripped.json["signed_by"]) == ("（2026）京0105执7号决定书", "院长 赵六")


# --- k. JSON bodies nested too deeply, numbers too long to convert ------------------------------------------------


def _raw_post(client, path, body: str):
    headers = {"Authorization": f"Bearer {client.key}", "Content-Type": "application/json"}
    return client.client.post(path, data=body, headers=headers)


def _screenings_logged(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessLog))


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH, 950, 100_000])
@pytest.mark.parametrize(
    ("client", "path", "template"),
    [
        ("hotel", "/screening/", '{{"name": {}}}'),
        ("hotel", "/screening/batch", '{{"items": [{{"name": {}}}]}}'),
        ("hotel", "/screening/jobs", '{{"items": {}}}'),
        ("public", "/public/self-check", '{{"name": {}}}'),
        ("court", "/debtors/", '{{"name": {}}}'),
    ],
)
def test_json_nested_too_deeply_is_400_and_changes_nothing(app, world, client, path, template, depth):
    """Python's decoder, and every walk over what it returns, recurse: a body nested ~1 000 levels was a 500."""
    before, logged = last_seq(world), _screenings_logged(app)
    response = _raw_post(getattr(world, client), path, template.format(_nested(depth)))
    assert_refused(response, 400, "malformed_request")
    assert [(e["field"], e["code"]) for e in response.json["errors"]] == [("json", "json.too_deep")]
    assert (last_seq(world), _screenings_logged(app)) == (before, logged)
    with app.app_context():
        assert db.session.scalar(select(ScreeningJob)) is None


def test_json_nested_as_deep_as_allowed_is_read_as_usual(world):
    """The same body one level shallower reaches the schema, which says what is wrong with it."""
    shallow = _nested(MAX_JSON_DEPTH - 1)  # inside the body's own object: MAX_JSON_DEPTH levels in all
    response = _raw_post(world.hotel, "/screening/", f'{{"name": {shallow}}}')
    assert_refused(response, 422)
    assert response.json["errors"][0]["field"] == "name"


def test_a_number_too_long_to_convert_is_400_and_changes_nothing(app, world):
    logged = _screenings_logged(app)
    response = _raw_post(world.hotel, "/screening/", '{"name": "张三", "limit": 1' + "0" * 5000 + "}")
    assert_refused(response, 400, "malformed_request")
    assert response.json["errors"][0]["code"] == "json.number_too_long"
    assert _screenings_logged(app) == logged


# --- l. Screening: batch and job sizes at and past their edge, numbers of the wrong type --------------------------


@pytest.mark.parametrize(
    ("path", "count", "code"),
    [
        ("/screening/batch", 0, "screening.batch_size"),
        ("/screening/batch", screening_resources.MAX_BATCH + 1, "screening.batch_size"),
        ("/screening/jobs", 0, "screening.job_size"),
    ],
)
def test_a_batch_or_job_of_the_wrong_size_is_422_and_logs_nothing(app, world, path, count, code):
    response = world.hotel.post(path, {"items": [{"name": "张三"}] * count})
    assert_refused(response, 422, code)
    assert response.json["errors"][0]["field"] == "items"
    assert _screenings_logged(app) == 0
    with app.app_context():
        assert db.session.scalar(select(ScreeningJob)) is None


def test_a_full_batch_is_answered_row_by_row(app, world):
    rows = [{"reference": str(n), "name": "张三"} for n in range(screening_resources.MAX_BATCH)]
    response = world.hotel.post("/screening/batch", {"items": rows})
    assert response.status_code == 200, response.json
    assert [r["reference"] for r in response.json["results"]] == [str(n) for n in range(len(rows))]
    assert _screenings_logged(app) == len(rows)


@pytest.mark.parametrize("limit", [1.5, "10", True, 0, 51])
def test_a_screening_limit_that_is_not_a_whole_number_in_range_is_422(app, world, limit):
    """1.5 was read as 1 and "10" as 10: a mistake in the partner's program answered as if it were none."""
    response = world.hotel.post("/screening/", {"name": "张三", "limit": limit})
    assert_refused(response, 422)
    assert response.json["errors"][0]["field"] == "limit"
    assert _screenings_logged(app) == 0


# --- m. A body that is not sent as JSON -----------------------------------------------------------------------------

SCREEN_BODY = '{"name": "张三", "identifier": "110105198005170930"}'


def _post_as(client, path, body: str, content_type: str | None):
    headers = {"Authorization": f"Bearer {client.key}"} if client.key else {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.client.post(path, data=body.encode(), headers=headers)


def _job_files(app) -> list[Path]:
    uploads = Path(app.config["UPLOAD_DIR"])
    return sorted(uploads.rglob("*")) if uploads.exists() else []


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded"],
)
@pytest.mark.parametrize(
    ("client", "path", "body"),
    [
        ("hotel", "/screening/", SCREEN_BODY),
        ("hotel", "/screening/batch", f'{{"items": [{SCREEN_BODY}]}}'),
        ("hotel", "/screening/jobs", f'{{"items": [{SCREEN_BODY}]}}'),
        ("hotel", "/screening/?as_of=2026-01-05", SCREEN_BODY),
        ("public", "/public/self-check", '{"name": "张三", "id_number": "110105198005170930"}'),
        ("court", "/debtors/", '{"kind": "person", "name": "张三", "id_number": "110105198005170930"}'),
    ],
)
def test_a_body_not_sent_as_json_is_415_and_changes_nothing(app, world, client, path, body, content_type):
    """Read as no body at all, it was answered 422 ``screening.empty`` (or "name: required"): a partner whose
    client forgot the header was told it had sent nothing. ``curl -d`` sends a form type by default."""
    before, logged, files = last_seq(world), _screenings_logged(app), _job_files(app)
    response = _post_as(getattr(world, client), path, body, content_type)
    assert_refused(response, 415, "unsupported_media_type")
    assert "application/json" in response.json["message"]
    assert (last_seq(world), _screenings_logged(app), _job_files(app)) == (before, logged, files)
    with app.app_context():
        assert db.session.scalar(select(ScreeningJob)) is None


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"]
)
def test_a_json_body_with_a_charset_or_in_capitals_is_read(app, world, content_type):
    response = _post_as(world.hotel, "/screening/", SCREEN_BODY, content_type)
    assert response.status_code == 200, response.json
    assert _screenings_logged(app) == 1


def test_no_body_at_all_is_still_an_empty_query(app, world):
    """Nothing sent: nothing was misread, and the schema says what is missing."""
    response = _post_as(world.hotel, "/screening/", "", None)
    assert_refused(response, 422, "screening.empty")
    assert _screenings_logged(app) == 0


def test_a_public_body_not_sent_as_json_still_counts_against_the_clients_budget(app, world):
    """The throttle runs before the body is read (resources/public.py): a 415 draws on it like any request."""
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    body = '{"name": "张三", "id_number": "110105198005170930"}'
    codes = [_post_as(world.public, "/public/self-check", body, "text/plain").status_code for _ in range(3)]
    assert codes == [415, 415, 429]
    assert _screenings_logged(app) == 0
