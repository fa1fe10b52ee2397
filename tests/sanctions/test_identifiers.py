"""Resident ID (GB 11643), USCC (GB 32100) and organisation code (GB 11714): rulebook §5.3–§5.6."""

from __future__ import annotations

import datetime as dt

import pytest

from sanctions.identifiers import (
    InvalidIdentifier,
    Sex,
    age_on,
    build_resident_id,
    build_uscc,
    clean_identifier,
    eighteenth_birthday,
    is_masked_resident_id,
    is_minor_on,
    is_valid_resident_id,
    mask_resident_id,
    org_code_check_char,
    parse_org_code,
    parse_org_identifier,
    parse_resident_id,
    parse_uscc,
    ric_check_char,
    uscc_check_char,
)


def test_rulebook_test_vector_resident_id():
    rid = parse_resident_id("360426199101010071")
    assert rid.birth_date == dt.date(1991, 1, 1)
    assert rid.sex is Sex.MALE  # sequence 007: odd
    assert not rid.converted_from_legacy


def test_check_character_x_means_ten():
    first17 = next(
        f"11010519800101{n:03d}" for n in range(1000) if ric_check_char(f"11010519800101{n:03d}") == "X"
    )
    assert parse_resident_id(first17 + "x").number == first17 + "X"  # lower-case x accepted, stored upper


def test_female_from_even_sequence():
    first17 = "11010519800101002"
    assert parse_resident_id(first17 + ric_check_char(first17)).sex is Sex.FEMALE


def test_every_wrong_check_character_is_refused():
    first17 = "36042619910101007"
    good = ric_check_char(first17)
    for char in "0123456789X":
        if char != good:
            with pytest.raises(InvalidIdentifier) as err:
                parse_resident_id(first17 + char)
            assert err.value.code == "id_number.check_digit"


@pytest.mark.parametrize("raw", ["", "36042619910101007", "3604261991010100711", "36042619910101007Y", "abc"])
def test_malformed_resident_ids(raw):
    with pytest.raises(InvalidIdentifier) as err:
        parse_resident_id(raw)
    assert err.value.code == "id_number.format"


@pytest.mark.parametrize("birth", ["19800230", "19810229", "19801301", "19800000"])
def test_impossible_birth_dates_with_valid_check_digit(birth):
    first17 = f"110105{birth}093"
    with pytest.raises(InvalidIdentifier) as err:
        parse_resident_id(first17 + ric_check_char(first17))
    assert err.value.code == "id_number.bad_birth_date"


def test_leap_day_birth_is_valid():
    first17 = "11010519800229093"
    assert parse_resident_id(first17 + ric_check_char(first17)).birth_date == dt.date(1980, 2, 29)


def test_future_birth_date_refused_only_when_today_is_given():
    first17 = "11010520300101093"
    number = first17 + ric_check_char(first17)
    assert parse_resident_id(number).birth_date == dt.date(2030, 1, 1)
    with pytest.raises(InvalidIdentifier) as err:
        parse_resident_id(number, today=dt.date(2026, 11, 21))
    assert err.value.code == "id_number.future_birth_date"


def test_legacy_fifteen_digit_id_is_converted():
    rid = parse_resident_id("110105800517093")  # 1980-05-17, sequence 093
    first17 = "11010519800517093"
    assert rid.number == first17 + ric_check_char(first17)
    assert rid.converted_from_legacy
    assert rid.birth_date == dt.date(1980, 5, 17)
    assert rid.sex is Sex.MALE


def test_full_width_spaces_and_hyphens_are_cleaned():
    assert clean_identifier(" ３６０４２６ 1991-0101-0071 ") == "360426199101010071"
    assert is_valid_resident_id("３６０４２６１９９１０１０１００７１")
    assert not is_valid_resident_id("360426199101010072")


def test_public_mask_hides_digits_11_to_14():
    rid = parse_resident_id("360426199101010071")
    assert rid.masked == "3604261991****0071"
    assert mask_resident_id("3423011964****3224") == "3423011964****3224"
    assert is_masked_resident_id("3604261991****0071")
    assert not is_masked_resident_id("360426199101010071")
    assert not is_masked_resident_id("3604261991***10071")


@pytest.mark.parametrize(
    ("born", "adult_on"),
    [
        (dt.date(2008, 4, 1), dt.date(2026, 4, 1)),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1)),  # D3: common year → 1 March
        (dt.date(2004, 2, 29), dt.date(2022, 3, 1)),
        (dt.date(2006, 12, 31), dt.date(2024, 12, 31)),
    ],
)
def test_adult_from_the_eighteenth_birthday(born, adult_on):
    assert eighteenth_birthday(born) == adult_on
    assert is_minor_on(born, adult_on - dt.timedelta(days=1))
    assert not is_minor_on(born, adult_on)


def test_leap_day_born_eighteenth_birthday_in_a_leap_year():
    assert eighteenth_birthday(dt.date(1990, 2, 28)) == dt.date(2008, 2, 28)
    assert eighteenth_birthday(dt.date(2010, 2, 28)) == dt.date(2028, 2, 28)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1980, 5, 17), dt.date(2026, 5, 16), 45),
        (dt.date(1980, 5, 17), dt.date(2026, 5, 17), 46),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
        (dt.date(2008, 2, 29), dt.date(2028, 2, 29), 20),
    ],
)
def test_age_in_completed_years(born, day, age):
    assert age_on(born, day) == age


def test_rulebook_test_vector_uscc_and_embedded_org_code():
    assert parse_uscc("91110000600037341L") == "91110000600037341L"
    assert uscc_check_char("91110000600037341") == "L"
    assert parse_org_code("60003734-1") == "600037341"
    assert parse_org_identifier("60003734-1") == "600037341"
    assert org_code_check_char("60003734") == "1"


def test_uscc_letter_in_second_position_is_valid():
    first17 = "9A110000600037341"
    assert parse_uscc(first17 + uscc_check_char(first17)).startswith("9A")


def test_uscc_letter_in_first_position_is_valid():
    first17 = "Y1110000600037341"
    code = first17 + uscc_check_char(first17)
    assert parse_uscc(code) == code
    assert parse_org_identifier(code.lower()) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("91110000600037341A", "credit_code.check_digit"),
        ("9111000060003734", "credit_code.format"),
        ("91110000600037341I", "credit_code.format"),  # I is not in the alphabet
        ("91A10000600037341L", "credit_code.format"),
    ],
)
def test_bad_credit_codes(raw, code):
    with pytest.raises(InvalidIdentifier) as err:
        parse_org_identifier(raw)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("60003734-2", "org_code.check_digit"),
        ("60003734-", "org_code.format"),
        ("6000*734-1", "org_code.format"),
    ],
)
def test_bad_organisation_codes(raw, code):
    with pytest.raises(InvalidIdentifier) as err:
        parse_org_code(raw)
    assert err.value.code == code


def test_org_code_check_ten_and_eleven():
    bodies = {org_code_check_char(f"{n:08d}"): f"{n:08d}" for n in range(2000)}
    assert "X" in bodies and "0" in bodies
    assert parse_org_code(bodies["X"] + "X") == bodies["X"] + "X"
    assert parse_org_code(bodies["0"] + "0") == bodies["0"] + "0"


def test_org_identifier_of_other_length_is_refused():
    with pytest.raises(InvalidIdentifier) as err:
        parse_org_identifier("12345")
    assert err.value.code == "credit_code.format"


def test_builders_make_valid_identifiers():
    assert build_resident_id("360426", dt.date(1991, 1, 1), "007") == "360426199101010071"
    assert build_uscc("91110000", "60003734") == "91110000600037341L"
