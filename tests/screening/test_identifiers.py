"""Identifiers: query parsing, typo neighbours, vectorised list columns, stable hashing."""

import random

import numpy as np
import pytest

from sanctions.identifiers import is_valid_resident_id, mask_resident_id, ric_check_char
from screening._hashing import hash_deletions, hash_insertions, hash_ragged, hash_tokens, hash_transpositions
from screening.identifiers import (
    PERSON_FULL,
    PERSON_MASKED,
    PERSON_NONE,
    IdentifierKind,
    decode_person_id,
    encode_person_id,
    org_code_key,
    org_exact_key,
    org_id_column,
    parse_query_identifier,
    person_exact_key,
    person_id_column,
    person_mask_key,
)

VALID = "11010519491231002X"


def test_full_resident_id_is_parsed_and_shown_masked() -> None:
    qid = parse_query_identifier(VALID)
    assert qid.parsed.kind is IdentifierKind.RESIDENT_ID and qid.parsed.valid
    assert qid.parsed.display == "1101051949****002X"
    assert qid.canonical == VALID


def test_legacy_fifteen_digit_id_is_converted() -> None:
    qid = parse_query_identifier("110105491231002")
    assert qid.canonical == VALID and qid.parsed.legacy


def test_full_width_and_lower_case_x_are_cleaned() -> None:
    assert parse_query_identifier("１１０１０５１９４９１２３１００２ｘ").canonical == VALID


def test_public_mask_shows_fourteen_digits() -> None:
    qid = parse_query_identifier("1101051949****002X")
    assert qid.parsed.kind is IdentifierKind.RESIDENT_ID_MASKED
    assert qid.parsed.visible == 14


def test_other_mask_patterns_are_accepted_generically() -> None:
    qid = parse_query_identifier("110105********002X")
    assert qid.parsed.kind is IdentifierKind.RESIDENT_ID_MASKED and qid.parsed.visible == 10


def test_invalid_id_lists_its_valid_typo_neighbours() -> None:
    typo = VALID[:16] + "3X"  # one digit changed: the check character no longer fits
    qid = parse_query_identifier(typo)
    assert not qid.parsed.valid and qid.parsed.error == "id_number.check_digit"
    assert VALID in qid.typo_neighbours
    assert all(is_valid_resident_id(n) for n in qid.typo_neighbours)


def test_a_digit_string_read_as_a_credit_code_keeps_its_resident_id_typo_neighbours() -> None:
    typo = "110105298001012513"  # 110105198001012513 with the year's first digit mistyped
    qid = parse_query_identifier(typo)
    assert qid.parsed.kind is IdentifierKind.USCC and qid.parsed.valid  # passes GB 32100's checksum
    assert "110105198001012513" in qid.typo_neighbours
    assert parse_query_identifier(typo, organisation=True).typo_neighbours == ()  # a company query
    assert parse_query_identifier("91110000600037341L").typo_neighbours == ()  # not a resident-ID shape


def test_transposed_digits_are_typo_neighbours() -> None:
    number = "360426199101010071"
    swapped = number[:6] + "91" + number[8:]  # 19 → 91 in the year
    assert number in parse_query_identifier(swapped).typo_neighbours


@pytest.mark.parametrize(
    ("raw", "kind"), [("91110000600037341L", IdentifierKind.USCC), ("60003734-1", IdentifierKind.ORG_CODE)]
)
def test_organisation_identifiers(raw: str, kind: IdentifierKind) -> None:
    qid = parse_query_identifier(raw)
    assert qid.parsed.kind is kind and qid.parsed.valid


def test_bad_checksum_uscc_is_invalid_with_a_stable_code() -> None:
    qid = parse_query_identifier("91350100M000100Y44", organisation=True)
    assert not qid.parsed.valid and qid.parsed.error == "credit_code.check_digit"


def test_digits_with_a_birth_year_are_read_as_a_mistyped_resident_id() -> None:
    # Passes the USCC checksum by accident; positions 7-10 say 1983.
    qid = parse_query_identifier("350721198388288132")
    assert qid.parsed.kind is IdentifierKind.RESIDENT_ID and not qid.parsed.valid


def test_garbage_never_raises() -> None:
    assert parse_query_identifier("abc").parsed.kind is IdentifierKind.UNKNOWN


def random_ids(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        area, year, month, day = (
            rnd.randrange(110000, 660000),
            rnd.randrange(1950, 2005),
            rnd.randrange(1, 13),
            rnd.randrange(1, 29),
        )
        body = f"{area}{year}{month:02d}{day:02d}{rnd.randrange(1000):03d}"
        out.append(body + ric_check_char(body))
    return out


def test_person_column_agrees_with_scalar_validation() -> None:
    ids = random_ids(300, 1)
    broken = [i[:5] + str((int(i[5]) + 1) % 10) + i[6:] for i in ids[:50]]
    legacy = [i[:6] + i[8:17] for i in ids[50:60] if i[6:8] == "19"]
    masked = [mask_resident_id(i) for i in ids[60:70]]
    raw: list[str | None] = [*ids, *broken, *legacy, *masked, None, "", "not an id"]
    column = person_id_column(raw)
    for value, state, invalid, exact, mask in zip(
        raw, column.state, column.invalid, column.exact_key, column.mask_key, strict=True
    ):
        if value in masked:
            assert state == PERSON_MASKED and mask == person_mask_key(value)
        elif value and is_valid_resident_id(value):
            full = parse_query_identifier(value).canonical
            assert state == PERSON_FULL and exact == person_exact_key(full) and mask == person_mask_key(full)
        else:
            assert state == PERSON_NONE and exact == 0 and invalid == bool(value)


def test_person_id_encoding_round_trips() -> None:
    for number in [*random_ids(50, 2), VALID]:
        assert decode_person_id(encode_person_id(number)) == number


def test_org_column_validates_and_links_the_embedded_organisation_code() -> None:
    column = org_id_column(
        ["91110000600037341L", "600037341", "N2110108MA0000001W", "91350100M000100Y44", None]
    )
    assert column.valid.tolist() == [True, True, True, False, False]
    assert column.exact_key[0] == org_exact_key("91110000600037341L")
    assert column.org_key[0] == column.org_key[1] == org_code_key("600037341")


def test_vectorised_and_scalar_hashes_agree() -> None:
    rows = [[5, 9, 6, 6, 7], [1, 2, 3], [4, 4]]
    flat = np.array([t for r in rows for t in r], dtype=np.uint64)
    offsets = np.array([0, 5, 8, 10], dtype=np.int64)
    whole, _ = hash_ragged("t", flat, offsets)
    assert sorted(whole.tolist()) == sorted(hash_tokens("t", r) for r in rows)
    for mode, scalar in (
        ("deletions", lambda r: hash_deletions("t", r)),
        ("positional", lambda r: hash_deletions("t", r, positional=True)),
        ("transpositions", lambda r: hash_transpositions("t", r)),
    ):
        keys, owners = hash_ragged("t", flat, offsets, mode=mode, min_length=2)
        for i, r in enumerate(rows):
            assert sorted(keys[owners == i].tolist()) == sorted(scalar(r))


def test_positional_keys_meet_exactly_on_one_substitution_insertion_or_swap() -> None:
    a = [1, 2, 3]
    assert set(hash_deletions("d", a, positional=True)) & set(hash_deletions("d", [1, 9, 3], positional=True))
    assert not set(hash_deletions("d", a, positional=True)) & set(
        hash_deletions("d", [9, 1, 2], positional=True)
    )
    assert set(hash_insertions("d", [1, 3])) & set(hash_deletions("d", a, positional=True))
    assert set(hash_transpositions("s", a)) & set(hash_transpositions("s", [1, 3, 2]))
    assert not set(hash_transpositions("s", a)) & set(hash_transpositions("s", [3, 1, 2]))


def test_credit_code_that_also_passes_the_resident_id_checksum_is_read_as_a_credit_code() -> None:
    # 914115267911022480 is a valid USCC and passes GB 11643 too, but "91" is no province and the
    # "birth year" would be 2679.
    assert parse_query_identifier("914115267911022480").parsed.kind is IdentifierKind.USCC
    assert parse_query_identifier("911321299907273633").parsed.kind is IdentifierKind.USCC


def test_future_birth_date_is_not_a_valid_resident_id() -> None:
    qid = parse_query_identifier("110105299901010014")  # valid checksum, born 2999
    assert not qid.parsed.valid
