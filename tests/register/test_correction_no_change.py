"""L-CORRECT (Art. 9 ¶2): a correction corrects something. Changes equal to the record as it stands (a retry
after a lost answer, or values that only look different) are refused with ``correction.no_change`` and write
nothing: no correction row, no event."""

from __future__ import annotations

import pytest


def _events(world) -> int:
    return len(world.admin.get("/events/", limit=1000).json["items"])


@pytest.fixture
def listing(desk):
    case = desk.case(desk.person(name="张三")["id"], payment_deadline=None)
    return desk.list(case["id"]).json


def _correct(desk, listing, changes):
    return desk.client.post(
        f"/listings/{listing['id']}/corrections", {"found_on": "2026-11-20", "changes": changes}
    )


def test_a_retried_correction_is_refused_and_not_recorded_twice(desk, world, listing):
    changes = {"obligation": "支付货款", "basis_number": "（2025）京0105民初99号"}
    assert _correct(desk, listing, changes).status_code == 201
    before = _events(world)
    retry = _correct(desk, listing, changes)
    assert (retry.status_code, retry.json["code"]) == (422, "correction.no_change"), retry.json
    assert len(desk.client.get(f"/listings/{listing['id']}").json["corrections"]) == 1
    assert _events(world) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"subject_name": " 张  三\u3000"},  # the stored name once cleaned as stored
        {"filed_on": "2026-03-02"},
        {"case_number": "CASE_NUMBER"},
    ],
    ids=["name", "filing-date", "case-number"],
)
def test_changes_equal_to_the_record_are_refused_and_change_nothing(desk, world, listing, changes):
    if changes.get("case_number") == "CASE_NUMBER":
        changes = {"case_number": listing["case_number"]}
    before = _events(world)
    refused = _correct(desk, listing, changes)
    assert (refused.status_code, refused.json["code"]) == (422, "correction.no_change"), refused.json
    assert refused.json["errors"][0]["field"] == "changes"
    assert desk.client.get(f"/listings/{listing['id']}").json["corrections"] == []
    assert _events(world) == before


def test_a_correction_records_only_the_fields_it_changes(desk, listing):
    fixed = _correct(desk, listing, {"subject_name": "张三", "obligation": "支付货款"})
    assert fixed.status_code == 201, fixed.json
    assert fixed.json["corrections"][0]["changes"] == {"obligation": ["支付货款及利息", "支付货款"]}
