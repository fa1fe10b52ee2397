"""The applicant's request to hold off measures (2019 Opinion §16(a) [secondary], rulebook §4), over HTTP.

While the request is in force the debtor is not listed for refusing to perform (item 一) and no consumption
restriction is ordered; items (二)–(六) and orders need the court's written reasons, which are stored on the
record and counted. The request ends when the applicant withdraws it (a release of the fact) or asks the
court to list after it.
"""

from __future__ import annotations

from tests.support import Desk


def _held_case(desk: Desk, debtor_id: int | None = None) -> tuple[dict, dict]:
    case = desk.case(debtor_id or desk.person()["id"])
    response = desk.fact(
        case["id"], "applicant_hold_off", "2026-03-20", description="申请人申请暂不采取惩戒措施"
    )
    assert response.status_code == 201, response.json
    return case, response.json["fact"]


def _changes(desk: Desk) -> tuple[int, int, int]:
    client = desk.client
    return (
        client.get("/listings/").json["total"],
        client.get("/restrictions/").json["total"],
        client.get("/events/").json["last_seq"],
    )


def test_item_one_refused_while_the_applicant_holds_off_and_nothing_is_written(desk):
    case, _ = _held_case(desk)
    before = _changes(desk)
    response = desk.list(case["id"])
    assert response.status_code == 422
    assert response.json["code"] == "listing.applicant_hold_off"
    assert "§16(a)" in response.json["rule"] and "2026-03-20" in response.json["message"]
    assert response.json["remedy"]
    justified = desk.list(case["id"], justification="申请人之请求不影响")
    assert justified.json["code"] == "listing.applicant_hold_off"  # item (一) cannot be justified away
    assert _changes(desk) == before


def test_items_two_to_six_need_written_reasons_which_are_stored_and_counted(desk):
    case, _ = _held_case(desk)
    refused = desk.list(case["id"], circumstances=("SX2_OBSTRUCT",))
    assert refused.status_code == 422
    assert refused.json["code"] == "listing.hold_off_needs_justification"
    reasons = "以暴力抗拒执行，法院依职权惩戒"
    listed = desk.list(case["id"], circumstances=("SX2_OBSTRUCT",), justification=reasons)
    assert listed.status_code == 201, listed.json
    assert listed.json["overrides"] == ["hold_off_with_justification"]
    assert listed.json["justification"] == reasons
    counts = desk.client.get("/listings/overrides").json
    assert counts == {"overrides": {"hold_off_with_justification": 1}, "order_overrides": {}}


def test_a_restriction_order_is_refused_unless_justified_and_the_reasons_reach_every_row(desk):
    company = desk.company()
    case, _ = _held_case(desk, company["id"])
    before = _changes(desk)
    refused = desk.restrict(case["id"])
    assert refused.status_code == 422
    assert refused.json["code"] == "restriction.hold_off_needs_justification"
    assert _changes(desk) == before
    order = desk.restrict(case["id"], justification="  被执行人转移财产  ")
    assert order.status_code == 201, order.json
    assert [(r["capacity"], r["overrides"], r["justification"]) for r in order.json] == [
        ("debtor", ["hold_off_with_justification"], "被执行人转移财产"),
        ("key_person", ["hold_off_with_justification"], "被执行人转移财产"),
    ]
    shown = desk.client.get(f"/restrictions/{order.json[0]['id']}").json
    assert shown["overrides"] == ["hold_off_with_justification"]
    # One order, counted once, though it restricts the company and its legal representative.
    counts = desk.client.get("/listings/overrides").json
    assert counts == {"overrides": {}, "order_overrides": {"hold_off_with_justification": 1}}
    before = desk.client.get("/listings/overrides", as_of="2026-03-31").json  # ordered on 2026-04-01
    assert before == {"overrides": {}, "order_overrides": {}}


def test_an_order_without_overrides_keeps_its_reasons_and_counts_nothing(desk):
    case = desk.case(desk.person()["id"])
    order = desk.restrict(case["id"], justification="依职权")
    assert order.status_code == 201, order.json
    assert (order.json[0]["overrides"], order.json[0]["justification"]) == ([], "依职权")
    assert desk.client.get("/listings/overrides").json["order_overrides"] == {}


def test_the_applicants_withdrawal_ends_the_hold_off_from_its_day(desk):
    case, hold_off = _held_case(desk)
    withdrawn = desk.fact(case["id"], "release", "2026-04-01", refers_to_id=hold_off["id"])
    assert withdrawn.status_code == 201, withdrawn.json
    assert desk.list(case["id"], decision_date="2026-03-31").json["code"] == "listing.applicant_hold_off"
    assert desk.list(case["id"], decision_date="2026-04-01").status_code == 201
    again = desk.fact(case["id"], "release", "2026-04-02", refers_to_id=hold_off["id"])
    assert again.status_code == 409 and again.json["code"] == "fact.already_released"


def test_a_withdrawal_cannot_precede_the_request(desk):
    case, hold_off = _held_case(desk)
    events = desk.client.get("/events/").json["last_seq"]
    early = desk.fact(case["id"], "release", "2026-03-19", refers_to_id=hold_off["id"])
    assert early.status_code == 422
    assert (early.json["code"], early.json["errors"][0]["field"]) == ("date.order", "occurred_on")
    assert desk.client.get("/events/").json["last_seq"] == events
    assert desk.list(case["id"]).json["code"] == "listing.applicant_hold_off"


def test_a_release_must_refer_to_something_releasable(desk):
    case = desk.case(desk.person()["id"])
    paid = desk.fact(case["id"], "partial_performance", "2026-03-20", amount="10.00").json["fact"]
    response = desk.fact(case["id"], "release", "2026-03-21", refers_to_id=paid["id"])
    assert response.status_code == 422 and response.json["code"] == "fact.refers_to"


def test_the_applicants_later_request_to_list_overrides_its_hold_off(desk):
    case, _ = _held_case(desk)
    same_day = desk.list(case["id"], initiator="applicant", applied_on="2026-03-20")
    assert same_day.json["code"] == "listing.applicant_hold_off"
    later = desk.list(case["id"], initiator="applicant", applied_on="2026-03-21")
    assert later.status_code == 201, later.json
    assert later.json["overrides"] == []


def test_an_applicant_listing_of_unknown_date_does_not_withdraw_the_hold_off(desk):
    case, _ = _held_case(desk)
    unknown = desk.list(case["id"], initiator="applicant")
    assert unknown.status_code == 422 and unknown.json["code"] == "listing.applicant_hold_off"
    assert "applied_on" in unknown.json["remedy"]


def test_an_order_the_applicant_applied_for_after_its_hold_off_needs_no_reasons(desk):
    case, _ = _held_case(desk)
    unknown = desk.restrict(case["id"], initiator="applicant")
    assert unknown.json["code"] == "restriction.hold_off_needs_justification"
    late = desk.restrict(case["id"], initiator="applicant", applied_on="2026-04-02")
    assert late.status_code == 422 and late.json["code"] == "restriction.applied_after_order"
    order = desk.restrict(case["id"], initiator="applicant", applied_on="2026-03-21")
    assert order.status_code == 201, order.json
    assert (order.json[0]["overrides"], order.json[0]["justification"]) == ([], None)
    created = [e for e in desk.client.get("/events/").json["items"] if e["action"] == "restriction.created"]
    assert (created[-1]["data"]["initiator"], created[-1]["data"]["applied_on"]) == (
        "applicant",
        "2026-03-21",
    )
    assert desk.client.get("/listings/overrides").json["order_overrides"] == {}


def test_the_restriction_placed_with_a_listing_over_a_hold_off_carries_its_reasons_counted_once(desk):
    case, _ = _held_case(desk)
    listed = desk.list(case["id"], circumstances=("SX3_EVADE",), justification="  转移财产  ")
    assert listed.status_code == 201, listed.json
    assert listed.json["justification"] == "转移财产"  # stored as the reasons, without the padding
    [restriction] = listed.json["restrictions"]
    shown = desk.client.get(f"/restrictions/{restriction['id']}").json
    assert (shown["overrides"], shown["justification"]) == (["hold_off_with_justification"], "转移财产")
    counts = desk.client.get("/listings/overrides").json
    assert counts == {"overrides": {"hold_off_with_justification": 1}, "order_overrides": {}}


def test_a_new_legal_representative_is_restricted_under_the_order_with_its_reasons(desk):
    case, _ = _held_case(desk, desk.company()["id"])
    order = desk.restrict(case["id"], justification="转移财产")
    assert order.status_code == 201, order.json
    changed = desk.change_legal_representative(case["debtor_id"])
    assert changed.status_code == 201, changed.json
    [successor] = changed.json["restricted"]
    assert (successor["order_number"], successor["overrides"], successor["justification"]) == (
        order.json[0]["order_number"],
        ["hold_off_with_justification"],
        "转移财产",
    )
    assert desk.client.get("/listings/overrides").json["order_overrides"] == {
        "hold_off_with_justification": 1
    }


def test_the_event_log_tells_a_withdrawal_from_a_release_of_assets(desk):
    case, hold_off = _held_case(desk)
    preserved = desk.fact(case["id"], "preservation", "2026-03-21", amount="10.00").json["fact"]
    desk.fact(case["id"], "release", "2026-04-01", refers_to_id=hold_off["id"])
    desk.fact(case["id"], "release", "2026-04-02", refers_to_id=preserved["id"])
    releases = [e["data"] for e in desk.client.get("/events/").json["items"] if e["action"] == "fact.release"]
    assert [r["refers_to_id"] for r in releases] == [hold_off["id"], preserved["id"]]
