"""The citizen pages as an attacker sees them: forms posted from another site, script in the data they show."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from blacklist_service.extensions import db
from blacklist_service.models import Court
from tests.support import access_log_size
from tests.web.test_pages import ME, PDF, file_form, page, self_check

FROM_ANOTHER_SITE = {
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
}


@pytest.fixture
def browser(app):
    return app.test_client()


@pytest.fixture
def listing(desk):
    return desk.list(desk.case(desk.person()["id"])["id"]).json


# --- Forms posted from another site ----------------------------------------------------------------------------


def _rejected_reference(browser, world, listing) -> str:
    reference = page(file_form(browser, listing["id"], ground="inaccurate", explanation="x")).by_id(
        "reference"
    )
    application = world.court.get("/correction-applications/").json["items"][0]
    world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": "理由不成立", "served_on": "2026-11-21"},
    )
    return reference.text()


@pytest.mark.parametrize(
    "headers",
    [
        FROM_ANOTHER_SITE,
        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "empty"},  # fetch()
        {"Origin": "https://attacker.example"},  # a browser without Fetch metadata
        {"Origin": "null"},  # the same, from a page that hides where it is
    ],
)
def test_forms_posted_from_another_site_are_refused_before_anything_is_counted(app, world, listing, headers):
    """No session to steal, but a forged post acts from the visitor's address: it would file or ask for
    reconsideration in the name of anyone whose ID the forger knows, spend the visitor's throttle budget and
    the looked-up identity's, and write lookups the visitor never made into the access log."""
    reference = _rejected_reference(app.test_client(), world, listing)
    before = access_log_size(app)
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    app.config["SELF_CHECK_TARGET_LIMIT"] = "1 per minute"
    visitor = app.test_client()
    forged = [
        visitor.post("/self-check", data=ME, headers=headers),
        visitor.post("/", data={"name": "张三"}, headers=headers),
        visitor.post("/corrections/new", data=ME | {"listing_id": str(listing["id"])}, headers=headers),
        visitor.post(
            "/corrections",
            data=ME | {"listing_id": str(listing["id"]), "ground": "inaccurate", "explanation": "伪造"},
            headers=headers,
        ),
        visitor.post(
            f"/corrections/{reference}/reconsideration", data=ME | {"reasons": "伪造"}, headers=headers
        ),
    ]
    for response in forged:
        assert response.status_code == 403, response.request.path
        doc = page(response)
        assert "此请求由其他网站发出，已被拒绝" in doc.text()
        assert response.headers["Cache-Control"] == "no-store"
    assert access_log_size(app) == before
    statuses = [a["status"] for a in world.court.get("/correction-applications/").json["items"]]
    assert statuses == ["rejected"]  # no second application, no reconsideration
    assert self_check(visitor).status_code == 200  # the visitor's budget and the identity's are whole


def test_the_refusal_speaks_the_pages_language(app, world):
    refused = app.test_client().post("/self-check?lang=en", data=ME, headers=FROM_ANOTHER_SITE)
    doc = page(refused)
    assert refused.status_code == 403 and doc.html_lang() == "en"
    assert "This request was sent from another website and was refused" in doc.text()


def test_the_sites_own_forms_and_links_from_elsewhere_still_work(app, world, listing):
    browser = app.test_client()
    own = [
        {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
        {"Sec-Fetch-Site": "none"},  # reloaded by the visitor
        {"Origin": "http://localhost"},  # the test client's host, from a browser without Fetch metadata
        {},  # no browser headers at all
    ]
    assert [self_check(browser, headers=h).status_code for h in own] == [200] * 4
    link = browser.get("/self-check", headers=FROM_ANOTHER_SITE)  # another site links to the page
    assert link.status_code == 200
    embedded = browser.get("/self-check", headers=FROM_ANOTHER_SITE | {"Sec-Fetch-Dest": "iframe"})
    image = browser.get("/", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert (embedded.status_code, image.status_code) == (403, 403)  # they would spend the visitor's budget


def test_the_pages_send_their_origin_with_their_posts_but_no_referer_elsewhere(browser, world):
    """Referrer-Policy no-referrer made a browser send ``Origin: null`` with the pages' own posts, which
    cannot be told from a forged one; same-origin sends the origin here and nothing to other sites."""
    assert browser.get("/").headers["Referrer-Policy"] == "same-origin"


# --- Script in the data shown ----------------------------------------------------------------------------------


XSS = '<script>alert("{}")</script>'


def test_names_numbers_courts_and_notes_are_shown_as_text_never_as_markup(app, browser, world, desk):
    """Everything a page shows from the register, from a court or from the visitor is escaped: a court's
    name and contact, the debtor's name, case and decision numbers, the duty, the court's note, and the
    visitor's own input echoed back (names, explanation, a rejected file's name)."""
    with app.app_context():
        db.session.execute(
            update(Court)
            .where(Court.code == "京0105")
            .values(name=XSS.format("court") + "法院", contact='"><img src=x onerror=alert("contact")>')
        )
        db.session.commit()
    name = "<svg/onload=alert(1)>张三"
    identity = ME | {"name": name}
    debtor = desk.client.post("/debtors/", {"kind": "person", **identity})
    assert debtor.status_code == 201, debtor.json
    case = desk.case(debtor.json["id"], obligation=XSS.format("duty"), basis_number=XSS.format("basis"))
    listing = desk.list(case["id"], decision_number=XSS.format("decision")).json

    search = browser.post("/", data={"name": name})
    bad_file = file_form(
        browser,
        listing["id"],
        identity,
        files=[("<img src=x onerror=alert(2)>.pdf", b"not a pdf")],
        ground="inaccurate",
        explanation="</textarea>" + XSS.format("explanation"),
        contact='"><b>',
    )
    filed = file_form(
        browser, listing["id"], identity, ground="inaccurate", explanation="x", files=[("a.pdf", PDF)]
    )
    reference = page(filed).by_id("reference").text()
    application = world.court.get("/correction-applications/").json["items"][0]
    world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": XSS.format("note"), "served_on": "2026-11-21"},
    )
    pages = {
        "search": search,
        "self-check": self_check(browser, identity),
        "form": browser.post("/corrections/new", data=identity | {"listing_id": str(listing["id"])}),
        "refused form": bad_file,
        "filed": filed,
        "reconsider": browser.post(f"/corrections/{reference}/reconsideration/new", data=identity),
        "unknown input": browser.post("/", data={"name": XSS.format("query"), "id_number": '"><i>'}),
    }
    statuses = {what: response.status_code for what, response in pages.items()}
    assert statuses == dict.fromkeys(pages, 200) | {"refused form": 422, "unknown input": 422}
    for what, response in pages.items():
        html = response.get_data(as_text=True)
        for tag in ("<script", "<svg", "<img", "<b>", "<i>"):
            assert tag not in html, (what, tag)
    assert XSS.format("court") + "法院" in page(pages["search"]).text()
    assert XSS.format("note") in page(pages["self-check"]).text()
    assert XSS.format("decision") in page(pages["form"]).text()
    assert page(pages["refused form"]).by_id("explanation").text() == "</textarea>" + XSS.format(
        "explanation"
    )
