"""The public API and the court's attachment download as an attacker sees them: requests forged by another
site, answers kept in caches, attachments opened as pages or saved under a misleading name."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from pathlib import Path

import pytest

from blacklist_service import create_app
from blacklist_service.extensions import db
from blacklist_service.resources.applications import EXTENSIONS, download_name
from blacklist_service.services.applications import SIGNATURES
from tests.support import access_log_size, app_settings, person_id

ME = {"name": "张三", "id_number": person_id(dt.date(1980, 5, 17))}
PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"  # a PDF that is also a page
# What a page on another site makes the browser send: a form posted there, or a script's fetch.
FORM_FROM_ANOTHER_SITE = {
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
}
FETCH_FROM_ANOTHER_SITE = {
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "no-cors",
    "Sec-Fetch-Dest": "empty",
}


@pytest.fixture
def listing(desk):
    return desk.list(desk.case(desk.person()["id"])["id"]).json


def _file(client, listing_id, name="收据.pdf", content=PDF, headers=None):
    data = ME | {"listing_id": str(listing_id), "ground": "inaccurate", "explanation": "已全额还款"}
    data["attachments"] = [(io.BytesIO(content), name)]
    return client.post(
        "/public/correction-applications",
        data=data,
        content_type="multipart/form-data",
        headers=headers or {},
    )


# --- Requests forged by another site ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        FORM_FROM_ANOTHER_SITE,
        FETCH_FROM_ANOTHER_SITE,
        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
        {"Origin": "https://attacker.example"},  # a browser without Fetch metadata
        {"Origin": "null"},  # the same, from a page that hides its origin
    ],
)
def test_a_filing_forged_by_another_site_files_nothing_and_costs_no_budget(
    app, world, desk, listing, headers
):
    """Another site's page can make a visitor's browser post this multipart form, in the name of anyone
    whose ID number the forger knows, from the visitor's address and on the visitor's throttle."""
    app.config["PUBLIC_RATE_LIMIT"] = "1 per minute"
    client = app.test_client()
    forged = _file(client, listing["id"], headers=headers)
    assert (forged.status_code, forged.json["code"]) == (403, "request.cross_site")
    assert world.court.get("/correction-applications/").json["total"] == 0
    assert access_log_size(app) == 0  # nobody was looked up
    mine = _file(client, listing["id"])  # the visitor's own budget is whole
    assert mine.status_code == 201, mine.json


def test_the_public_api_refuses_other_sites_scripts_but_not_its_own_pages_nor_programs(app, world, listing):
    client = app.test_client()
    cases = [
        (client.post("/public/self-check", json=ME, headers=FETCH_FROM_ANOTHER_SITE), 403),
        (client.get("/public/dishonest-debtors?name=张三", headers=FETCH_FROM_ANOTHER_SITE), 403),
        (client.get("/public/dishonest-debtors?name=张三", headers=FORM_FROM_ANOTHER_SITE), 200),  # a link
        (client.post("/public/self-check", json=ME, headers={"Sec-Fetch-Site": "same-origin"}), 200),  # /docs
        (client.post("/public/self-check", json=ME, headers={"Origin": "http://localhost"}), 200),
        (client.post("/public/self-check", json=ME), 200),  # a program: no browser headers
    ]
    assert [r.status_code for r, _ in cases] == [status for _, status in cases]


# --- Response headers ------------------------------------------------------------------------------------------


def test_answers_carrying_personal_data_are_not_stored_nor_sniffed_nor_framed(world, desk, listing):
    debtor_id = desk.client.get(f"/listings/{listing['id']}").json["subject"]["id"]
    answers = [
        world.public.post("/public/self-check", ME),
        world.public.get("/public/dishonest-debtors", name="张三"),
        world.public.post("/public/self-check", {"name": "张三"}),  # an error echoing the input
        world.court.get(f"/debtors/{debtor_id}"),
        world.court.get("/listings/"),
        world.court.get("/nowhere"),
    ]
    for answer in answers:
        assert answer.headers["Cache-Control"] == "no-store", answer.request.path
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.request.path
        assert answer.headers["X-Frame-Options"] == "DENY", answer.request.path
        assert "Strict-Transport-Security" not in answer.headers  # plain HTTP


@pytest.mark.parametrize(("hops", "hsts"), [(1, True), (0, False)])
def test_hsts_only_over_https_as_the_trusted_proxies_report_it(app, world, hops, hsts):
    """Behind PROXY_HOPS proxies the scheme is theirs (X-Forwarded-Proto); without, a client's header is
    ignored and plain HTTP gets no HSTS."""
    proxied = create_app(app_settings(app.config["SQLALCHEMY_DATABASE_URI"]) | {"PROXY_HOPS": hops})
    client = proxied.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    try:
        for path in ("/public/dishonest-debtors?name=张三", "/self-check", "/static/web/web.css"):
            answer = client.get(path, headers=forwarded)
            assert answer.status_code == 200
            assert ("max-age=" in answer.headers.get("Strict-Transport-Security", "")) is hsts, path
            answer.close()
        assert "Strict-Transport-Security" not in client.get("/self-check").headers
    finally:
        with proxied.app_context():  # its own engine: no connection left open on the test database
            db.session.remove()
            db.engine.dispose()


# --- Attachments ----------------------------------------------------------------------------------------------


def _download(world, desk, listing, name, content=PDF):
    assert _file(world.public.client, listing["id"], name=name, content=content).status_code == 201
    application = desk.client.get("/correction-applications/").json["items"][0]
    attachment = application["attachments"][0]
    response = desk.client.get(f"/correction-applications/{application['id']}/attachments/{attachment['id']}")
    response.get_data()  # read, then the file closed
    response.close()
    return response


def test_an_attachment_is_downloaded_as_a_file_never_shown_as_a_page(world, desk, listing):
    """A file that starts like a PDF may also be HTML: the court's browser must save it, with its checked
    type, never render it from this site; and an ID card scan is kept by no cache."""
    response = _download(world, desk, listing, "scan.html")
    assert response.data == PDF and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=scan.html.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("sent", "stored", "saved"),
    [
        # A line break: the download, which cannot put it in a header, used to fail with a 500.
        ("%E6%94%B6%E6%8D%AE%0A1.pdf", "收据 1.pdf", "%E6%94%B6%E6%8D%AE%201.pdf"),
        # A right-to-left override shows 收据\u202efdp.exe as 收据exe.pdf: the court is shown the name as it is.
        ("%E6%94%B6%E6%8D%AE%E2%80%AEfdp.exe", "收据fdp.exe", "%E6%94%B6%E6%8D%AEfdp.exe.pdf"),
    ],
)
def test_an_attachment_name_is_stored_and_downloaded_without_control_characters(
    world, desk, listing, sent, stored, saved
):
    """A multipart file name may carry any character (RFC 2231 ``filename*=UTF-8''…``)."""
    fields = ME | {"listing_id": str(listing["id"]), "ground": "inaccurate", "explanation": "已全额还款"}
    parts = [f'Content-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(
        f"Content-Disposition: form-data; name=\"attachments\"; filename*=UTF-8''{sent}\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
    )
    body = "".join(f"--XX\r\n{part}" for part in parts) + "--XX--\r\n"
    filed = world.public.client.post(
        "/public/correction-applications", data=body.encode(), content_type="multipart/form-data; boundary=XX"
    )
    assert filed.status_code == 201, filed.json
    application = desk.client.get("/correction-applications/").json["items"][0]
    attachment = application["attachments"][0]
    assert attachment["filename"] == stored
    response = desk.client.get(f"/correction-applications/{application['id']}/attachments/{attachment['id']}")
    assert response.status_code == 200 and response.get_data() == b"%PDF-1.4"
    response.close()
    assert response.headers["Content-Disposition"].endswith(f"filename*=UTF-8''{saved}")


@pytest.mark.parametrize(
    ("stored", "content_type", "saved"),
    [
        ("收据.pdf", "application/pdf", "收据.pdf"),
        ("Scan.JPEG", "image/jpeg", "Scan.JPEG"),
        ("photo.png", "image/jpeg", "photo.png.jpg"),
        ("invoice.html", "application/pdf", "invoice.html.pdf"),
        ("C:\\Users\\wang\\身份证.png", "image/png", "身份证.png"),  # an old browser's full path
        ("a\r\nb\tc.pdf", "application/pdf", "a b c.pdf"),
        ("scan\u202efdp.exe", "application/pdf", "scanfdp.exe.pdf"),  # a right-to-left override
        ("..", "application/pdf", "attachment.pdf"),
        (".pdf", "application/pdf", "pdf.pdf"),  # not hidden
        ("report.pdf. ", "application/pdf", "report.pdf"),
    ],
)
def test_the_saved_name_is_the_applicants_without_tricks_and_with_the_real_type(stored, content_type, saved):
    assert download_name(stored, content_type) == saved


def test_every_accepted_type_has_its_extensions():
    assert EXTENSIONS.keys() == SIGNATURES.keys()


def test_the_sweep_deletes_documents_left_by_a_filing_that_was_rolled_back(world, app, desk, listing):
    """An attachment is written before its filing commits: a filing then refused (here by the identity's
    throttle, counted once the identity has answered) left the applicant's document on disk for no one."""
    second = desk.list(desk.case(listing["subject"]["id"])["id"]).json  # another listing of the same person
    app.config["SELF_CHECK_TARGET_LIMIT"] = "1 per hour"
    assert _file(world.public.client, listing["id"]).status_code == 201  # the identity's one look-up
    other = b"%PDF-1.4\n%another receipt\n"
    refused = _file(world.public.client, second["id"], content=other)
    assert refused.status_code == 429  # once its document was written
    folder = Path(app.config["UPLOAD_DIR"])
    held, orphan = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(other).hexdigest()
    young = hashlib.sha256(b"a filing in flight").hexdigest()
    (folder / young).write_bytes(b"a filing in flight")
    two_hours_ago = time.time() - 7200
    for name in (held, orphan):
        os.utime(folder / name, (two_hours_ago, two_hours_ago))

    swept = app.test_cli_runner().invoke(args=["listings", "sweep"])
    assert swept.exit_code == 0, swept.output
    assert "1 orphaned attachment file(s) deleted" in swept.output
    assert {p.name for p in folder.iterdir() if p.is_file()} == {held, young}
