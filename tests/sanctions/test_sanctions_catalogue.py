"""The measure catalogue: shape of the data and the read-only queries the API calls (rulebook §2.2, §3.2)."""

from __future__ import annotations

import re

import pytest

from sanctions.catalogue import (
    ALL_KEY_ROLES,
    MEASURES,
    MEASURES_BY_CODE,
    Effect,
    Instrument,
    KeyRole,
    LegalBasis,
    Measure,
    Sector,
    Target,
    Trigger,
    UnknownMeasure,
    get_measure,
    list_measures,
    list_sectors,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
MEASURE_IDS = [m.code for m in MEASURES]

CONSUMPTION_CODES = {
    "AVIATION_FLIGHT",
    "RAIL_HIGH_SPEED",
    "RAIL_HIGH_CLASS",
    "SHIP_CABIN",
    "HOTEL_STAR",
    "LEISURE_VENUES",
    "TRAVEL_TOURS",
    "REAL_ESTATE_PURCHASE",
    "HOUSING_CONSTRUCTION",
    "OFFICE_LEASE_HIGH_END",
    "VEHICLE_PURCHASE",
    "PRIVATE_SCHOOL_FEES",
    "INSURANCE_HIGH_PREMIUM",
}


def rows_of(measure: Measure) -> set[int]:
    return set(measure.table_rows)


def measure_id(measure: Measure) -> str:
    return measure.code


def test_codes_are_unique() -> None:
    assert len(MEASURES_BY_CODE) == len(MEASURES)
    assert len(set(MEASURE_IDS)) == len(MEASURE_IDS)


@pytest.mark.parametrize("measure", MEASURES, ids=MEASURE_IDS)
def test_measure_is_complete(measure: Measure) -> None:
    """Every measure: stable UPPER_SNAKE code, both titles, a basis with provisions, at least one reach."""
    assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", measure.code)
    assert CJK.search(measure.title_zh)
    assert measure.title_en and not CJK.search(measure.title_en)
    assert measure.basis
    assert all(b.provision for b in measure.basis)
    assert measure.reach
    assert measure.table_rows and all(1 <= row <= 41 for row in measure.table_rows)
    assert MEASURES_BY_CODE[measure.code] is measure


def test_every_row_of_the_table_has_a_measure() -> None:
    """Rulebook §3.2 rows 1–41 are all encoded."""
    assert set().union(*(rows_of(m) for m in MEASURES)) == set(range(1, 42))


def test_every_consumption_item_xf1_to_xf9_is_cited() -> None:
    rules = {b.rule for m in MEASURES for b in m.basis}
    assert {f"XF{i}" for i in range(1, 10)} <= rules


@pytest.mark.parametrize("measure", MEASURES, ids=MEASURE_IDS)
def test_consumption_measures_fire_on_restriction_others_on_listing(measure: Measure) -> None:
    """Rows 31–36, 限高 Art. 3 items: fired by the restriction; debtor + C-ORG-1 key persons, all bans."""
    if measure.code in CONSUMPTION_CODES:
        assert measure.is_consumption
        assert measure.trigger is Trigger.RESTRICTED
        assert rows_of(measure) <= set(range(31, 37))
        assert {(r.target, r.effect, r.roles) for r in measure.reach} == {
            (Target.DEBTOR_PERSON, Effect.BAN, ALL_KEY_ROLES),
            (Target.DEBTOR_ORGANISATION, Effect.BAN, ALL_KEY_ROLES),
            (Target.KEY_PERSON, Effect.BAN, ALL_KEY_ROLES),
        }
        assert "C-ORG-1" in {b.rule for b in measure.basis}
    else:
        assert not measure.is_consumption
        assert measure.trigger in (Trigger.LISTED, Trigger.EITHER)


@pytest.mark.parametrize("measure", [m for m in MEASURES if rows_of(m) & set(range(17, 26))], ids=measure_id)
def test_post_and_eligibility_measures_reach_natural_person_debtors_only(measure: Measure) -> None:
    """Rows 17–25 (§3.3): triggered by the listing, natural-person debtors only."""
    assert measure.trigger is Trigger.LISTED
    assert [r.target for r in measure.reach] == [Target.DEBTOR_PERSON]


@pytest.mark.parametrize("code", ["PREFERENTIAL_POLICY_REVIEW", "KEY_SUPERVISION"])
def test_rows_16_and_38_flag_the_entity_and_never_reach_key_persons(code: str) -> None:
    """Rows 16 and 38 concern the entity (§3.3); a listed organisation's key persons are not listed for its
    debt (RULE-1, 2019 Opinion §16(b)), so a listing-based flag must not reach them in any role."""
    measure = get_measure(code)
    assert measure.trigger is Trigger.LISTED
    organisation = measure.reaches(Target.DEBTOR_ORGANISATION)
    assert organisation is not None and organisation.effect is Effect.REFERENCE
    assert all(measure.reaches(Target.KEY_PERSON, role) is None for role in KeyRole)


def test_no_listing_based_measure_reaches_a_key_person() -> None:
    """RULE-1: only the debtor is listed, so a key person is reached only through the restriction."""
    assert not [m.code for m in MEASURES if m.trigger is Trigger.LISTED and m.reaches(Target.KEY_PERSON)]


def test_key_persons_are_reached_only_by_consumption_measures_and_row_37() -> None:
    reaching = {m.code for m in MEASURES if m.reaches(Target.KEY_PERSON) is not None}
    assert reaching == CONSUMPTION_CODES | {"EXIT_RESTRICTION_CHECK"}


def test_exit_check_reaches_three_key_roles_not_the_actual_controller() -> None:
    """Row 37: exit restriction reaches the LR, main and directly responsible persons (CPL Art. 266)."""
    measure = get_measure("EXIT_RESTRICTION_CHECK")
    assert measure.trigger is Trigger.EITHER
    assert measure.reaches(Target.KEY_PERSON, KeyRole.ACTUAL_CONTROLLER) is None
    assert measure.reaches(Target.KEY_PERSON, KeyRole.DIRECTLY_RESPONSIBLE) is not None
    assert measure.reaches(Target.DEBTOR_ORGANISATION) is None


def test_only_flights_and_high_speed_rail_are_humanitarian_liftable() -> None:
    """C-HUMANITARIAN / D11: the lift covers flights and HSR, nothing else."""
    assert {m.code for m in MEASURES if m.humanitarian_liftable} == {"AVIATION_FLIGHT", "RAIL_HIGH_SPEED"}


def test_bonds_reach_organisations_only() -> None:
    for measure in list_measures(sector=Sector.BONDS):
        assert measure.reaches(Target.DEBTOR_PERSON) is None
        assert measure.reaches(Target.DEBTOR_ORGANISATION) is not None


# --- Sectors ------------------------------------------------------------------------------------------------


def test_list_sectors_returns_every_sector_with_stable_lowercase_values() -> None:
    sectors = list_sectors()
    assert sectors == tuple(Sector)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", s.value) for s in sectors)
    for required in ("aviation", "rail", "hotels", "travel", "real_estate", "vehicles", "private_schools"):
        assert Sector(required) in sectors
    for required in (
        "insurance",
        "procurement",
        "bidding",
        "candidate_vetting",
        "public_hiring",
        "soe_posts",
    ):
        assert Sector(required) in sectors
    for required in ("financial_posts", "bonds", "subsidies", "honours", "credit", "exit_control"):
        assert Sector(required) in sectors


@pytest.mark.parametrize("sector", list(Sector), ids=str)
def test_every_sector_has_titles_and_measures(sector: Sector) -> None:
    assert CJK.search(sector.title_zh)
    assert sector.title_en and not CJK.search(sector.title_en)
    measures = list_measures(sector=sector)
    assert measures
    assert all(m.sector is sector for m in measures)


# --- list_measures / get_measure ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "included", "excluded"),
    [
        (Trigger.LISTED, {"PROCUREMENT_SUPPLIER", "EXIT_RESTRICTION_CHECK"}, {"AVIATION_FLIGHT"}),
        (Trigger.RESTRICTED, {"AVIATION_FLIGHT", "EXIT_RESTRICTION_CHECK"}, {"PROCUREMENT_SUPPLIER"}),
        (Trigger.EITHER, {"EXIT_RESTRICTION_CHECK"}, {"AVIATION_FLIGHT", "PROCUREMENT_SUPPLIER"}),
    ],
    ids=str,
)
def test_list_measures_by_trigger_gives_what_that_status_fires(
    trigger: Trigger, included: set[str], excluded: set[str]
) -> None:
    codes = {m.code for m in list_measures(trigger=trigger)}
    assert included <= codes
    assert not excluded & codes
    assert all(m.trigger in (trigger, Trigger.EITHER) for m in list_measures(trigger=trigger))


def test_list_measures_without_filters_is_the_whole_catalogue_in_order() -> None:
    assert list_measures() == MEASURES


def test_list_measures_combines_sector_and_trigger() -> None:
    assert [m.code for m in list_measures(Sector.RAIL, Trigger.RESTRICTED)] == [
        "RAIL_HIGH_SPEED",
        "RAIL_HIGH_CLASS",
    ]
    assert list_measures(Sector.RAIL, Trigger.LISTED) == ()
    assert [m.code for m in list_measures(Sector.EXIT_CONTROL, Trigger.LISTED)] == ["EXIT_RESTRICTION_CHECK"]


def test_get_measure_returns_the_measure() -> None:
    measure = get_measure("PROCUREMENT_SUPPLIER")
    assert measure.sector is Sector.PROCUREMENT
    assert measure.trigger is Trigger.LISTED


@pytest.mark.parametrize("code", ["NO_SUCH_MEASURE", "aviation_flight", ""])
def test_get_measure_unknown_code_raises_keyerror(code: str) -> None:
    with pytest.raises(UnknownMeasure) as caught:
        get_measure(code)
    assert isinstance(caught.value, KeyError)
    assert caught.value.args == (code,)


# --- Small value types --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "listed", "restricted", "fires"),
    [
        (Trigger.LISTED, True, True, True),
        (Trigger.LISTED, False, True, False),
        (Trigger.RESTRICTED, False, True, True),
        (Trigger.RESTRICTED, True, False, False),
        (Trigger.EITHER, False, True, True),
        (Trigger.EITHER, True, False, True),
        (Trigger.EITHER, False, False, False),
    ],
)
def test_trigger_fires(trigger: Trigger, listed: bool, restricted: bool, fires: bool) -> None:
    assert trigger.fires(listed=listed, restricted=restricted) is fires


@pytest.mark.parametrize(
    ("basis", "text"),
    [
        (
            LegalBasis(Instrument.XG_RULES, "Art. 3 ¶1 (一)", "XF1"),
            "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"
            "法释〔2010〕8号（2015年修正） Art. 3 ¶1 (一) [XF1]",
        ),
        (LegalBasis(Instrument.CRIMINAL_LAW, "Art. 313"), "《中华人民共和国刑法》 Art. 313"),
        (
            LegalBasis(Instrument.MEMORANDUM_2016, "惩戒措施及实施单位"),
            "《关于对失信被执行人实施联合惩戒的合作备忘录》发改财金〔2016〕141号 惩戒措施及实施单位",
        ),
    ],
)
def test_legal_basis_text_names_instrument_provision_and_rule(basis: LegalBasis, text: str) -> None:
    assert str(basis) == text


@pytest.mark.parametrize("instrument", list(Instrument), ids=str)
def test_every_instrument_has_a_chinese_title(instrument: Instrument) -> None:
    assert instrument.title_zh.startswith("《") and instrument.title_zh.endswith("》")


def test_memorandum_number_is_cited() -> None:
    assert Instrument.MEMORANDUM_2016.number == "发改财金〔2016〕141号"
    assert any(b.instrument is Instrument.MEMORANDUM_2016 for b in get_measure("PROCUREMENT_SUPPLIER").basis)


def test_list_measures_accepts_api_strings_and_rejects_unknown_values() -> None:
    assert list_measures("aviation", "restricted") == list_measures(Sector.AVIATION, Trigger.RESTRICTED)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list_measures("airline")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list_measures(trigger="deleted")  # type: ignore[arg-type]
