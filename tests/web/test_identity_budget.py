"""The pages count a request against the identity it names only once it reaches the identity check.

A form refused for its own faults (a missing field, a malformed ID number, an attachment of the wrong type:
the same 422 page for any identity) is not counted, so a citizen correcting typing mistakes is not locked
out; every request that reaches the check, right or wrong identity, still counts (the API does the same, see
tests/citizens/test_identity_budget.py).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.support import other_birth_date, person_id, wrong_check

BORN = dt.date(1980, 5, 17)
ME = {"name": "张三", "id_number": person_id(BORN)}
REAL = ME["id_number"]
BAD_CHECK = wrong_check(REAL)
PDF = b"%PDF-1.4\n%web test\n"


@pytest.fixture
def listing(desk, app):
    listing = desk.list(desk.case(desk.person()["id"])["id"]).json
    app.config["SELF_CHECK_TARGET_LIMIT"] = "3 per hour"
    return listing


def _file(client, listing_id, identity=ME, files=(), **fields):
    data = (
        identity | {"listing_id": str(listing_id), "ground": "inaccurate", "explanation": "金额有误"} | fields
    )
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/corrections", data=data, content_type="multipart/form-data")


def _is_the_limited_page(response) -> None:
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 60  # the hour's window
    assert response.mimetype == "text/html" and "查询过于频繁" in response.get_data(as_text=True)


def test_self_checks_refused_for_their_form_leave_the_identity_budget_alone(app, listing):
    browser = app.test_client()
    refused = [
        ME | {"id_number": BAD_CHECK},
        ME | {"id_number": REAL[:16]},
        ME | {"name": "张\x07三"},
        ME | {"id_number": "", "credit_code": "not a code"},
    ]
    for data in refused * 2:
        response = browser.post("/self-check", data=data)
        assert response.status_code == 422, data
    answers = [browser.post("/self-check", data=ME) for _ in range(4)]
    assert [r.status_code for r in answers[:3]] == [200, 200, 200]
    _is_the_limited_page(answers[3])


def test_filings_refused_for_their_form_leave_the_identity_budget_alone(app, listing):
    browser = app.test_client()
    for fields in (
        {"explanation": " "},
        {"ground": ""},
        {"explanation": "长" * 4001},
        {"contact": "x" * 201},
    ):
        response = _file(browser, listing["id"], **fields)
        assert response.status_code == 422, fields
    for files in ([("a.txt", b"plain text")], [(f"p{n}.pdf", PDF) for n in range(6)]):
        assert _file(browser, listing["id"], files=files).status_code == 422
    opened = browser.post("/corrections/new", data=ME | {"listing_id": str(listing["id"])})
    filed = _file(browser, listing["id"], files=[("收据.pdf", PDF)])
    again = _file(browser, listing["id"])
    assert [r.status_code for r in (opened, filed, again)] == [200, 200, 409]
    _is_the_limited_page(_file(browser, listing["id"]))


def test_probing_through_the_pages_still_counts(app, listing):
    """Wrong identities count, from any client and on any page that looks them up."""
    wrong = [ME | {"id_number": other_birth_date(REAL, 3, day)} for day in (1, 2, 3)]
    codes = [
        app.test_client().post("/corrections/new", data=wrong[0] | {"listing_id": str(listing["id"])}),
        _file(app.test_client(), listing["id"], wrong[1]),
        app.test_client().post("/self-check", data=wrong[2]),
    ]
    assert [r.status_code for r in codes] == [404, 404, 200]  # the last one: the neutral "no records" page
    _is_the_limited_page(app.test_client().post("/self-check", data=ME))
    _is_the_limited_page(_file(app.test_client(), listing["id"]))


def test_reconsiderations_refused_for_their_form_leave_the_identity_budget_alone(app, world, listing, today):
    browser = app.test_client()
    today(dt.date(2026, 11, 20))
    filed = _file(browser, listing["id"], ground="should_not_be_listed")  # one look-up of ME
    assert filed.status_code == 200
    application = world.court.get("/correction-applications/").json["items"][0]
    decided = world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": "理由不成立", "served_on": "2026-11-20"},
    )
    assert decided.status_code == 200, decided.json
    today(dt.date(2026, 11, 25))
    path = f"/corrections/{application['reference']}/reconsideration"
    for fields in ({"reasons": " "}, {"reasons": "x" * 4001}, {"reasons": "不服\x00"}, {}) * 2:
        assert browser.post(path, data=ME | fields).status_code == 422, fields
    asked = browser.post(path, data=ME | {"reasons": "不服"})
    again = browser.post(path, data=ME | {"reasons": "不服"})
    assert [asked.status_code, again.status_code] == [200, 409]
    _is_the_limited_page(browser.post(path, data=ME | {"reasons": "不服"}))


def test_an_organisations_identity_is_counted_whatever_blank_id_number_comes_with_it(app, desk):
    """An organisation proves itself with its credit code and its representative's ID number. The page takes a
    blank ID number field as empty (it strips it), so the count must as well: with ``id_number`` a space, the
    look-up was keyed by no identifier at all, taken for a request naming no one, and never counted, so its
    representative's birth date could be guessed past the identity's budget."""
    company = desk.company()
    app.config["SELF_CHECK_TARGET_LIMIT"] = "3 per hour"
    organisation = {"name": company["name"], "credit_code": company["identifier"]}
    guesses = [
        organisation | {"id_number": blank, "representative_id_number": person_id(dt.date(1975, 3, day))}
        for day, blank in zip(range(10, 14), (" ", "\u3000", "", " "), strict=True)
    ]
    answers = [app.test_client().post("/self-check", data=guess) for guess in guesses]
    assert [r.status_code for r in answers[:3]] == [200, 200, 200]  # the neutral "no records" page
    _is_the_limited_page(answers[3])
