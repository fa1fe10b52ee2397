"""The court register's stories (issue 2 "Done when"), each over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support import CONTROLLER_ID, person_id, wrong_check


def test_list_a_person_who_refuses_to_pay_sx1(desk, world):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    response = desk.list(case["id"])
    assert response.status_code == 201, response.json
    listing = response.json
    assert listing["state"] == "active"
    assert listing["circumstances"] == ["SX1_ABLE_REFUSE"]
    assert listing["term_years"] is None and listing["term_end"] is None  # L-TERM-4: no fixed term
    assert listing["publish_from"] == "2026-04-01"
    # C-IMPOSE-2: the listed debtor is restricted with the listing
    assert [(r["subject_id"], r["capacity"], r["active"]) for r in listing["restrictions"]] == [
        (debtor["id"], "debtor", True)
    ]


def test_rule_two_refused_when_preserved_assets_cover_the_debt(desk):
    case = desk.case(desk.person()["id"], amount="100000.00")
    assert desk.fact(case["id"], "preservation", "2026-03-20", amount="60000.00").status_code == 201
    assert desk.fact(case["id"], "security", "2026-03-21", amount="40000.00").status_code == 201
    response = desk.list(case["id"])
    assert response.status_code == 422
    assert response.json["code"] == "listing.secured"
    assert "RULE-2" in response.json["rule"]
    assert desk.client.get("/listings/").json["total"] == 0


def test_rule_two_partial_cover_does_not_bar(desk):
    case = desk.case(desk.person()["id"], amount="100000.00")
    desk.fact(case["id"], "preservation", "2026-03-20", amount="99999.99")
    assert desk.list(case["id"]).status_code == 201


def test_rule_two_items_two_to_six_need_a_written_justification_which_is_counted(desk):
    case = desk.case(desk.person()["id"], amount="100000.00")
    desk.fact(case["id"], "preservation", "2026-03-20", amount="100000.00")
    refused = desk.list(case["id"], circumstances=("SX3_EVADE",))
    assert refused.status_code == 422
    assert refused.json["code"] == "listing.secured_needs_justification"
    listed = desk.list(case["id"], circumstances=("SX3_EVADE",), justification="转移房产，保全财产价值存疑")
    assert listed.status_code == 201
    assert listed.json["overrides"] == ["secured_with_justification"]
    assert listed.json["justification"] == "转移房产，保全财产价值存疑"
    assert desk.client.get("/listings/overrides").json == {
        "overrides": {"secured_with_justification": 1},
        "order_overrides": {},
    }
    counted_on = {
        day: desk.client.get("/listings/overrides", as_of=day).json["overrides"]
        for day in ("2026-03-31", "2026-04-01")  # decided on 2026-04-01 (D1)
    }
    assert counted_on == {"2026-03-31": {}, "2026-04-01": {"secured_with_justification": 1}}


def test_rule_four_no_property_refused_then_restricted_instead(desk):
    debtor = desk.person()
    case = desk.case(debtor["id"])
    assert desk.fact(case["id"], "incapacity", "2026-03-25").status_code == 201
    refused = desk.list(case["id"])
    assert refused.status_code == 422
    assert refused.json["code"] == "listing.no_property"
    assert "限制消费令" in refused.json["remedy"]
    order = desk.restrict(case["id"], order_date="2026-04-01")
    assert order.status_code == 201, order.json
    assert [(r["subject_id"], r["capacity"], r["active"]) for r in order.json] == [
        (debtor["id"], "debtor", True)
    ]
    assert desk.client.get("/listings/").json["total"] == 0


def test_list_a_company_restricts_but_never_lists_its_legal_representative(desk):
    company = desk.company()
    lr = company["key_persons"][0]["person"]
    case = desk.case(company["id"])
    listed = desk.list(case["id"])
    assert listed.status_code == 201, listed.json
    assert listed.json["subject"]["id"] == company["id"]
    restricted = {(r["subject_id"], r["capacity"], r["role"]) for r in listed.json["restrictions"]}
    assert restricted == {(company["id"], "debtor", None), (lr["id"], "key_person", "legal_representative")}
    direct = desk.list(case["id"], subject_id=lr["id"])
    assert direct.status_code == 422
    assert direct.json["code"] == "listing.key_person"
    assert "RULE-1" in direct.json["rule"]
    listings = desk.client.get("/listings/").json["items"]
    assert [x["subject"]["id"] for x in listings] == [company["id"]]


def test_seventeen_refused_and_listed_on_the_eighteenth_birthday(desk):
    debtor = desk.person(born=dt.date(2008, 4, 1))
    case = desk.case(debtor["id"])
    minor = desk.list(case["id"], decision_date="2026-03-31")  # one day short of 18 (D3)
    assert minor.status_code == 422
    assert minor.json["code"] == "listing.minor"
    adult = desk.list(case["id"], decision_date="2026-04-01")  # the 18th birthday
    assert adult.status_code == 201, adult.json


def test_full_performance_removes_listing_and_restrictions_in_the_same_response(desk, world):
    company = desk.company()
    case = desk.case(company["id"])
    listing = desk.list(case["id"], circumstances=("SX1_ABLE_REFUSE", "SX3_EVADE")).json
    before = world.admin.get("/events/").json["last_seq"]
    paid = desk.fact(case["id"], "full_performance", "2026-05-06")
    assert paid.status_code == 201, paid.json
    assert [x["id"] for x in paid.json["removed_listings"]] == [listing["id"]]
    removed = paid.json["removed_listings"][0]
    assert removed["state"] == "removed"
    assert removed["removal"]["reason"] == "full_performance"
    assert removed["removal"]["fact_date"] == "2026-05-06"
    assert {r["capacity"] for r in paid.json["lifted_restrictions"]} == {"debtor", "key_person"}
    assert all(
        r["active"] is False and r["lift_reason"] == "full_performance"
        for r in paid.json["lifted_restrictions"]
    )
    log = world.admin.get("/events/", after=before).json["items"]
    actions = [e["action"] for e in log]
    assert actions[0] == "fact.full_performance"
    assert actions.count("listing.removed") == 1
    assert actions.count("restriction.lifted") == 2
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)
    # The removed listing is kept (soft delete) and no longer active.
    kept = desk.client.get(f"/listings/{listing['id']}").json
    assert kept["state"] == "removed"
    assert desk.client.get("/listings/", state="active").json["total"] == 0


def test_two_year_listing_is_never_active_after_its_last_day(desk, today):
    case = desk.case(desk.person()["id"], filed_on="2025-03-01", payment_deadline="2025-03-05")
    today(dt.date(2025, 3, 10))
    listing = desk.list(case["id"], circumstances=("SX4_ASSET_REPORT",), decision_date="2025-03-10").json
    assert listing["term_years"] == 2
    assert listing["term_end"] == "2027-03-10"  # D2: active through the same-numbered day
    today(dt.date(2027, 3, 10))
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "active"
    today(dt.date(2027, 3, 11))  # no sweep has run
    assert desk.client.get(f"/listings/{listing['id']}").json["state"] == "expired"
    assert desk.client.get("/listings/", state="active").json["total"] == 0
    assert desk.client.get("/listings/", state="expired").json["total"] == 1


def test_removal_overdue_across_the_national_day_holiday(desk, today):
    case = desk.case(desk.person()["id"], filed_on="2025-03-01", payment_deadline="2025-03-05")
    today(dt.date(2025, 9, 1))
    listing = desk.list(case["id"], decision_date="2025-09-01").json
    # Paid Monday 2025-09-29. Working days after it: 09-30, then 10-01..10-08 are the National Day
    # holiday, so 10-09 and 10-10: the deadline is Friday 2025-10-10 (and Saturday 10-11 is a
    # make-up working day that does not matter here).
    today(dt.date(2025, 10, 11))
    paid = desk.fact(case["id"], "full_performance", "2025-09-29")
    removal = paid.json["removed_listings"][0]["removal"]
    assert removal["due"] == "2025-10-10"
    assert removal["removed_on"] == "2025-10-11"
    assert removal["overdue"] is True
    overdue = desk.client.get("/listings/overdue").json
    assert [(o["listing_id"], o["kind"], o["due"], o["days_late"]) for o in overdue] == [
        (listing["id"], "removal", "2025-10-10", 1)
    ]


def test_removal_on_the_last_working_day_is_not_overdue(desk, today):
    case = desk.case(desk.person()["id"], filed_on="2025-03-01", payment_deadline="2025-03-05")
    today(dt.date(2025, 9, 1))
    desk.list(case["id"], decision_date="2025-09-01")
    today(dt.date(2025, 10, 10))
    paid = desk.fact(case["id"], "full_performance", "2025-09-29")
    assert paid.json["removed_listings"][0]["removal"]["overdue"] is False
    assert desk.client.get("/listings/overdue").json == []


def test_a_court_touching_another_courts_case_gets_403(desk, world):
    case = desk.case(desk.person()["id"])
    other = world.other_court
    for response in (
        other.get(f"/cases/{case['id']}"),
        other.post(f"/cases/{case['id']}/facts", {"kind": "full_performance", "occurred_on": "2026-05-01"}),
        other.post(
            f"/cases/{case['id']}/listings",
            {
                "decision_number": "x",
                "decision_date": "2026-04-01",
                "signed_by": "x",
                "circumstances": ["SX1_ABLE_REFUSE"],
            },
        ),
        other.post(
            f"/cases/{case['id']}/restrictions",
            {"order_number": "y", "order_date": "2026-04-01", "signed_by": "y"},
        ),
    ):
        assert response.status_code == 403, response.json
        assert response.json["code"] == "auth.other_court"
    listing = desk.list(case["id"]).json
    assert other.post(f"/listings/{listing['id']}/revocation", {"fact_date": "2026-05-01"}).status_code == 403
    assert desk.client.get(f"/cases/{case['id']}").json["facts"] == []


def test_partner_and_keyless_calls_cannot_use_court_endpoints(world):
    assert world.public.get("/listings/").status_code == 401
    assert world.public.get("/listings/").json["code"] == "auth.missing_key"
    assert world.hotel.get("/listings/").json["code"] == "auth.wrong_role"
    bad = world.public.client.get("/listings/", headers={"Authorization": "Bearer bl_nothing.wrong"})
    assert bad.status_code == 401 and bad.json["code"] == "auth.invalid_key"


def test_an_admin_key_reads_the_register_but_never_writes_it(world, desk):
    """A key person recorded on a restricted organisation is restricted with it (RULE-1): an admin key (data
    protection, operations) could do that with no court and no case. Every write is a court's."""
    company = desk.company()
    desk.case(company["id"])
    person = {"kind": "person", "name": "王五", "id_number": person_id(dt.date(1990, 1, 1))}
    controller = {
        "role": "actual_controller",
        "name": "周七",
        "id_number": CONTROLLER_ID,
        "since": "2020-01-01",
    }
    for path, body in (("/debtors/", person), (f"/debtors/{company['id']}/key-persons", controller)):
        response = world.admin.post(path, body)
        assert response.status_code == 403 and response.json["code"] == "auth.wrong_role", response.json
    key_persons = world.admin.get(f"/debtors/{company['id']}").json["key_persons"]  # reading is allowed
    assert [k["role"] for k in key_persons] == ["legal_representative"]  # nothing was added


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            {"kind": "person", "name": "张三", "id_number": wrong_check(person_id(dt.date(1980, 5, 17)))},
            "id_number",
            "id_number.check_digit",
        ),
        ({"kind": "person", "name": "张三", "id_number": "12345"}, "id_number", "id_number.format"),
        (
            {"kind": "organisation", "name": "某公司", "credit_code": "91110000600037341A"},
            "credit_code",
            "credit_code.check_digit",
        ),
        ({"kind": "robot", "name": "x", "id_number": "1"}, "kind", "debtor.kind"),
    ],
)
def test_bad_debtor_input_is_422_with_a_code_and_changes_nothing(world, body, field, code):
    response = world.court.post("/debtors/", body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert response.json["errors"][0]["field"] == field
    assert world.admin.get("/events/").json["items"] == []


def _impossible_birth_date_id() -> str:
    from sanctions.identifiers import ric_check_char

    first17 = "11010519800230093"
    return first17 + ric_check_char(first17)


def test_impossible_birth_date_with_a_valid_check_digit(world):
    response = world.court.post(
        "/debtors/", {"kind": "person", "name": "张三", "id_number": _impossible_birth_date_id()}
    )
    assert response.status_code == 422
    assert response.json["code"] == "id_number.bad_birth_date"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"number": "2024京0105执1234"}, "case_number.format"),
        ({"number": "（2026）京0101执1号"}, "case_number.other_court"),
        ({"amount": "-5.00"}, "amount.negative"),
        ({"amount": "0"}, "amount.zero"),
        ({"filed_on": "2026-02-30"}, "date.invalid"),
    ],
)
def test_bad_case_input_is_422_and_changes_nothing(desk, world, change, code):
    debtor = desk.person()
    seq = world.admin.get("/events/").json["last_seq"]
    body = {
        "number": "（2026）京0105执77号",
        "applicant": "王五",
        "debtor_id": debtor["id"],
        "obligation": "付款",
        "amount": "100.00",
        "basis_issuer": "某法院",
        "basis_number": "（2025）京0105民初1号",
        "filed_on": "2026-03-02",
    } | change
    response = world.court.post("/cases/", body)
    assert response.status_code == 422, response.json
    assert response.json["code"] == code
    assert world.admin.get("/events/").json["last_seq"] == seq
    assert world.court.get("/cases/").json["total"] == 0


def test_unknown_circumstance_is_422(desk):
    case = desk.case(desk.person()["id"])
    response = desk.list(case["id"], circumstances=("SX9_MADE_UP",))
    assert response.status_code == 422
    assert response.json["code"] == "listing.circumstance"
    assert "SX1_ABLE_REFUSE" in response.json["message"]


# --- A decision is judged on the case as it stood on its date, and on everything recorded since ------------


def test_rule_two_bars_a_listing_decided_while_assets_covered_the_debt_though_released_since(desk):
    case = desk.case(desk.person()["id"], amount="100000.00")
    preserved = desk.fact(case["id"], "preservation", "2026-03-20", amount="100000.00").json["fact"]
    assert desk.fact(case["id"], "release", "2026-05-01", refers_to_id=preserved["id"]).status_code == 201
    on_the_day = desk.list(case["id"], decision_date="2026-04-01")
    assert on_the_day.status_code == 422 and on_the_day.json["code"] == "listing.secured"
    assert desk.list(case["id"], decision_date="2026-05-01").status_code == 201  # released that day


def test_a_listing_entered_after_the_debt_was_paid_is_refused_though_decided_before(desk):
    case = desk.case(desk.person()["id"])
    assert desk.fact(case["id"], "full_performance", "2026-05-06").status_code == 201
    late = desk.list(case["id"], decision_date="2026-04-01")
    assert late.status_code == 422 and late.json["code"] == "listing.nothing_unperformed"
    assert desk.client.get("/listings/").json["total"] == 0


LATER_FACTS = [  # (kind, extra, what entering the listing after it gives: None = accepted, else the refusal)
    ("preservation", {"amount": "100000.00"}, None),  # Art. 3 bars apply at the decision
    ("security", {"amount": "100000.00"}, None),
    ("incapacity", {}, None),
    ("no_property_termination", {"asset_searches": 1}, None),  # not an L-DEL-4 deletion event
    ("applicant_hold_off", {}, None),
    ("suspension", {"ground": "other"}, None),  # D8
    ("partial_performance", {"amount": "50000.00"}, None),
    ("no_property_termination", {"asset_searches": 2, "asset_leads": False}, "listing.no_property"),
    ("full_performance", {}, "listing.nothing_unperformed"),
    ("settlement_performed", {}, "listing.nothing_unperformed"),
    ("applicant_deletion_request", {}, "listing.applicant_deletion"),
    ("suspension", {"ground": "retrial"}, "listing.enforcement_ended"),
    ("non_enforcement", {}, "listing.enforcement_ended"),
    ("termination", {}, "listing.enforcement_ended"),
]


@pytest.mark.parametrize(("kind", "extra", "refusal"), LATER_FACTS)
def test_a_decision_has_one_outcome_whichever_is_entered_first(desk, kind, extra, refusal):
    """A listing decided 04-01 and a fact of 05-06: of what happened after the decision only an Art. 10 ¶1
    deletion event counts (it would have deleted the listing entered first, so a listing entered after it is
    refused); a bar arising later (rule two, rule four) does not undo a lawful decision (RULE-2, RULE-4)."""
    debtor = desk.person()["id"]
    in_order = desk.case(debtor)
    listing = desk.list(in_order["id"]).json
    assert desk.fact(in_order["id"], kind, "2026-05-06", **extra).status_code == 201
    state = desk.client.get(f"/listings/{listing['id']}").json["state"]
    assert state == ("active" if refusal is None else "removed")
    out_of_order = desk.case(debtor)
    assert desk.fact(out_of_order["id"], kind, "2026-05-06", **extra).status_code == 201
    late = desk.list(out_of_order["id"])
    if refusal is None:
        assert (late.status_code, late.json["state"]) == (201, "active"), late.json
    else:
        assert (late.status_code, late.json["code"]) == (422, refusal)
        assert "2026-05-06" in late.json["message"]
        assert desk.client.get("/listings/", case_number=out_of_order["number"]).json["total"] == 0


def test_a_bar_on_the_decision_day_counts_one_the_day_after_does_not(desk):
    """Rule two is judged on the case as it stood at the end of the decision date (D1)."""
    debtor = desk.person()["id"]
    same_day = desk.case(debtor)
    desk.fact(same_day["id"], "preservation", "2026-04-01", amount="100000.00")
    refused = desk.list(same_day["id"], decision_date="2026-04-01")
    assert refused.status_code == 422 and refused.json["code"] == "listing.secured"
    next_day = desk.case(debtor)
    desk.fact(next_day["id"], "preservation", "2026-04-02", amount="100000.00")
    assert desk.list(next_day["id"], decision_date="2026-04-01").status_code == 201


def test_payments_completing_the_debt_after_the_decision_refuse_a_listing_entered_later(desk):
    """A part paid before the decision and the rest after it: the obligation was performed on 05-06, after
    the decision, so entered in order the listing would have been removed then (L-DEL-1)."""
    debtor = desk.person()["id"]
    paid = desk.case(debtor)
    desk.fact(paid["id"], "partial_performance", "2026-05-06", amount="60000.00")
    desk.fact(paid["id"], "partial_performance", "2026-03-20", amount="40000.00")
    late = desk.list(paid["id"], decision_date="2026-04-01")
    assert late.status_code == 422 and late.json["code"] == "listing.nothing_unperformed"
    assert "2026-05-06" in late.json["message"]
    part = desk.case(debtor)
    desk.fact(part["id"], "partial_performance", "2026-05-06", amount="60000.00")
    desk.fact(part["id"], "partial_performance", "2026-03-20", amount="39999.99")
    assert desk.list(part["id"], decision_date="2026-04-01").status_code == 201


def test_an_order_is_judged_on_the_case_as_it_stood_on_its_date_and_since(desk):
    case = desk.case(desk.person()["id"])
    assert desk.fact(case["id"], "termination", "2026-05-06").status_code == 201
    late = desk.restrict(case["id"], order_date="2026-04-01")
    assert late.status_code == 422 and late.json["code"] == "restriction.enforcement_ended"
    other = desk.case(desk.person("王五", seq="115")["id"])
    assert desk.fact(other["id"], "applicant_hold_off", "2026-03-20").status_code == 201
    held = desk.fact(other["id"], "applicant_hold_off", "2026-03-25").json["fact"]
    desk.fact(other["id"], "release", "2026-05-01", refers_to_id=held["id"])
    # On 04-01 both requests stood; since 05-01 one still does: reasons are needed either way, counted once.
    order = desk.restrict(other["id"], order_date="2026-04-01", justification="理由")
    assert order.status_code == 201 and order.json[0]["overrides"] == ["hold_off_with_justification"]


def test_rule_four_remedy_a_case_opened_before_its_enforcement_notice_gets_its_deadline_later(desk, world):
    case = desk.case(desk.person()["id"], payment_deadline=None)
    assert desk.fact(case["id"], "incapacity", "2026-03-25").status_code == 201
    assert desk.list(case["id"]).json["code"] == "listing.no_property"
    refused = desk.restrict(case["id"])
    assert refused.status_code == 422 and refused.json["code"] == "restriction.before_deadline"
    assert "payment deadline" in refused.json["remedy"]
    early = desk.client.post(f"/cases/{case['id']}/payment-deadline", {"payment_deadline": "2026-03-01"})
    assert early.status_code == 422 and early.json["code"] == "date.order"  # before the filing date
    assert desk.client.post(f"/cases/{case['id']}/payment-deadline", {}).status_code == 422
    stranger = world.other_court.post(
        f"/cases/{case['id']}/payment-deadline", {"payment_deadline": "2026-03-12"}
    )
    assert stranger.status_code == 403
    set_ = desk.client.post(f"/cases/{case['id']}/payment-deadline", {"payment_deadline": "2026-03-12"})
    assert set_.status_code == 200 and set_.json["payment_deadline"] == "2026-03-12"
    again = desk.client.post(f"/cases/{case['id']}/payment-deadline", {"payment_deadline": "2026-03-20"})
    assert again.status_code == 409 and again.json["code"] == "case.payment_deadline_set"
    assert desk.client.get(f"/cases/{case['id']}").json["payment_deadline"] == "2026-03-12"
    logged = [e for e in desk.client.get("/events/").json["items"] if e["action"] == "case.payment_deadline"]
    assert [e["data"] for e in logged] == [{"payment_deadline": "2026-03-12"}]
    assert desk.restrict(case["id"], order_date="2026-03-12").json["code"] == "restriction.before_deadline"
    assert desk.restrict(case["id"], order_date="2026-03-13").status_code == 201


def test_a_case_reads_as_it_stood_on_a_past_day(desk):
    case = desk.case(desk.person()["id"], amount="100000.00")
    desk.fact(case["id"], "partial_performance", "2026-03-20", amount="40000.00")
    desk.fact(case["id"], "full_performance", "2026-05-06")
    desk.fact(case["id"], "termination", "2026-05-07")
    then = desk.client.get(f"/cases/{case['id']}", as_of="2026-05-05").json
    assert [f["kind"] for f in then["facts"]] == ["partial_performance"]
    assert (then["amounts"]["unperformed"], then["amounts"]["fully_performed"]) == ("60000.00", False)
    assert then["enforcement_ended"] is False
    paid_day = desk.client.get(f"/cases/{case['id']}", as_of="2026-05-06").json  # a fact counts on its day
    assert (paid_day["amounts"]["fully_performed"], paid_day["enforcement_ended"]) == (True, False)
    now = desk.client.get(f"/cases/{case['id']}").json
    assert [f["kind"] for f in now["facts"]] == ["partial_performance", "full_performance", "termination"]
    assert (now["amounts"]["unperformed"], now["amounts"]["fully_performed"], now["enforcement_ended"]) == (
        "0.00",
        True,
        True,
    )
