"""The per-identity throttle of the public API counts a request only once it reaches the identity check.

A request refused for its own form (a missing or faulty field, a malformed ID number, a rejected attachment:
the same 422 for any identity, so it tells nothing about anyone) is not counted against the identity it
names, so a citizen correcting typing mistakes does not lock himself out. Every request that reaches the
check, with a right or a wrong identity, still counts; the per-client budget keeps counting everything.
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
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def listing(desk, app):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"]).json
    app.config["SELF_CHECK_TARGET_LIMIT"] = "3 per hour"
    return listing


def _self_check(world, body, address="10.20.0.1"):
    return world.public.client.post("/public/self-check", json=body, environ_base={"REMOTE_ADDR": address})


def _apply(world, form, files=(), address="10.20.0.1"):
    data = dict(form)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return world.public.client.post(
        "/public/correction-applications",
        data=data,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def _application(listing_id, identity=ME, **fields):
    return (
        identity | {"listing_id": str(listing_id), "ground": "inaccurate", "explanation": "金额有误"} | fields
    )


def test_self_checks_refused_for_their_form_leave_the_identity_budget_alone(world, listing):
    refused = [
        ME | {"id_number": BAD_CHECK},  # a typing mistake in the number
        ME | {"id_number": REAL[:16]},  # one digit short
        ME | {"id_number": REAL + "1"},  # one too many
        ME | {"name": "张\x07三"},  # a control character in the name
        ME | {"credit_code": "not a code", "id_number": ""},
    ]
    for body in refused * 2:
        response = _self_check(world, body)
        assert response.status_code == 422, (body, response.json)
    answers = [_self_check(world, ME) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert answers[0].json["listed"] is True
    assert answers[3].json["code"] == "rate_limited" and int(answers[3].headers["Retry-After"]) > 0


def test_probing_self_checks_still_count_right_or_wrong_and_spent_stays_spent(world, listing):
    """Guesses (wrong identities) count whoever sends them; once spent, the right identity is refused too,
    and so is a form with a mistake in it (the 429 tells no more than the 422 would)."""
    codes = [
        _self_check(world, ME | {"id_number": other_birth_date(REAL, 1, day)}, f"10.21.0.{day}").status_code
        for day in (1, 2)
    ]
    codes.append(_self_check(world, ME, "10.21.0.3").status_code)
    codes.append(
        _self_check(world, ME | {"id_number": other_birth_date(REAL, 1, 4)}, "10.21.0.4").status_code
    )
    codes.append(_self_check(world, ME, "10.21.0.5").status_code)
    assert codes == [200, 200, 200, 429, 429]
    assert (
        _self_check(world, {"name": "李四", "id_number": person_id(dt.date(1975, 3, 2))}).status_code == 200
    )


def test_filings_refused_for_their_form_leave_the_identity_budget_alone(world, listing):
    refused = [
        _application(listing["id"], explanation=" "),
        _application(listing["id"], ground="no such ground"),
        _application(listing["id"]) | {"listing_id": "abc"},
        ME | {"ground": "inaccurate", "explanation": "金额有误"},  # no listing
        _application(listing["id"], id_number=BAD_CHECK),
    ]
    for form in refused:
        response = _apply(world, form)
        assert response.status_code == 422, (form, response.json)
    for files in ([("a.txt", b"plain text")], [(f"p{n}.pdf", PDF) for n in range(6)]):
        response = _apply(world, _application(listing["id"]), files=files)
        assert response.status_code == 422, response.json
    someone_elses = _apply(world, _application(listing["id"] + 100))
    filed = _apply(world, _application(listing["id"]), files=[("收据.pdf", PDF)])
    again = _apply(world, _application(listing["id"]))
    over = _apply(world, _application(listing["id"]))
    assert [r.status_code for r in (someone_elses, filed, again, over)] == [404, 201, 409, 429], filed.json
    assert over.json["code"] == "rate_limited"


def test_probing_filings_count_with_a_wrong_identity(world, listing):
    wrong = [
        _apply(world, _application(listing["id"], ME | {"id_number": other_birth_date(REAL, 2, d)}))
        for d in (1, 2, 3)
    ]
    assert [r.status_code for r in wrong] == [404, 404, 404]
    assert _apply(world, _application(listing["id"])).status_code == 429  # the right one, after three guesses


def _rejected(world, listing) -> str:
    filed = _apply(world, _application(listing["id"]))
    assert filed.status_code == 201, filed.json
    application = world.court.get("/correction-applications/").json["items"][0]
    decided = world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": "理由不成立", "served_on": "2026-11-20"},
    )
    assert decided.status_code == 200, decided.json
    return filed.json["reference"]


def test_reconsiderations_refused_for_their_form_leave_the_identity_budget_alone(world, listing, today):
    today(dt.date(2026, 11, 20))
    reference = _rejected(world, listing)  # one look-up of ME
    today(dt.date(2026, 11, 25))
    path = f"/public/correction-applications/{reference}/reconsideration"
    refused = [
        ME,
        ME | {"reasons": " "},
        ME | {"reasons": "x" * 4001},
        ME | {"id_number": BAD_CHECK, "reasons": "不服"},
    ]
    for body in refused * 2:
        response = world.public.client.post(path, json=body)
        assert response.status_code == 422, (body, response.json)
    asked, again, over = (world.public.client.post(path, json=ME | {"reasons": "不服"}) for _ in range(3))
    assert [r.status_code for r in (asked, again, over)] == [200, 409, 429], asked.json


def test_the_per_client_budget_still_counts_every_request(world, app):
    """The flood guard: a client sending faulty forms is throttled like any other (they cost a request)."""
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    codes = [_self_check(world, ME | {"id_number": BAD_CHECK}).status_code for _ in range(3)]
    assert codes == [422, 422, 429]


def test_concurrent_look_ups_cannot_overrun_the_identity_budget(listing, app, monkeypatch):
    """The count is one atomic hit before the answer leaves the server, not a test before the view and a
    deduction after it (flask-limiter's ``deduct_when``): two look-ups in flight at once, each past the
    identity check before either is answered, still get one answer between them under "1 per hour"."""
    import contextlib
    import threading

    from blacklist_service.services import citizens

    app.config["SELF_CHECK_TARGET_LIMIT"] = "1 per hour"
    both_inside = threading.Barrier(2, timeout=5)
    identify = citizens.identify

    def identify_together(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):  # the other was refused before it got here
            both_inside.wait()
        return identify(*args, **kwargs)

    monkeypatch.setattr(citizens, "identify", identify_together)
    codes: list[int] = []

    def look_up(n: int) -> None:
        response = app.test_client().post(
            "/public/self-check", json=ME, environ_base={"REMOTE_ADDR": f"10.22.0.{n}"}
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=look_up, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 429]
