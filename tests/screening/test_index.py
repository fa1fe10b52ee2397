"""The index: bands, explanations, identifiers, incremental updates, batch = single."""

import json

import pytest

from sanctions.identifiers import mask_resident_id, ric_check_char
from screening import ALGORITHM_VERSION, NAMESAKE_LIMIT, Band, Entry, KeyPerson, Kind, Query, ScreeningIndex

ZHANG_1 = "11010519491231002X"
ZHANG_2 = "360426199101010071"
SHAN = "110105199001010010"
REP = "110105198001010016"
OTHER = "320102198505050011"
USCC = "91110000600037341L"
OTHER_USCC = "91350100M000100Y43"


def valid(body17: str) -> str:
    return body17 + ric_check_char(body17)


def entries() -> list[Entry]:
    return [
        Entry("E1", Kind.PERSON, "张伟", ZHANG_1),
        Entry("E2", Kind.PERSON, "张伟", ZHANG_2),
        Entry("E3", Kind.PERSON, "单伟杰", SHAN, aliases=("单杰",)),
        Entry(
            "E4", Kind.ORGANISATION, "北京迪摩网络有限公司", USCC, key_persons=(KeyPerson("欧阳娜娜", REP),)
        ),
        Entry("E5", Kind.PERSON, "买买提·艾力", valid("65010119800101001")),
        Entry("E6", Kind.PERSON, "王乾", valid("11010119700101002")),
        Entry("E7", Kind.PERSON, "李明华", valid("11010119700101003")),
    ]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex.build(entries())


def test_fixture_ids_are_valid() -> None:
    from sanctions.identifiers import is_valid_resident_id

    assert all(is_valid_resident_id(i) for i in (ZHANG_1, ZHANG_2, SHAN, REP, OTHER))


def top(index: ScreeningIndex, **kwargs: object) -> tuple[Band, list[tuple[str, str, float]]]:
    result = index.query(Query(**kwargs))  # type: ignore[arg-type]
    return result.band, [(m.entry_id, m.band.value, m.score) for m in result.matches]


def features(index: ScreeningIndex, query: Query, entry_id: str) -> dict[str, str]:
    match = next(m for m in index.query(query).matches if m.entry_id == entry_id)
    return {f.name: f.level for f in match.features}


def test_a_name_alone_is_review_with_the_namesake_count(index: ScreeningIndex) -> None:
    result = index.query(Query("张伟"))
    assert result.band is Band.REVIEW
    assert {m.entry_id for m in result.matches} == {"E1", "E2"}
    assert all(m.band is Band.REVIEW and m.namesakes == 2 for m in result.matches)


def test_a_unique_name_alone_is_still_only_review(index: ScreeningIndex) -> None:
    result = index.query(Query("李明华"))
    assert result.band is Band.REVIEW and result.matches[0].namesakes == 1


def test_exact_valid_id_with_agreeing_name_is_a_match(index: ScreeningIndex) -> None:
    result = index.query(Query("張偉", ZHANG_1))
    assert result.band is Band.MATCH
    assert [m.entry_id for m in result.matches] == ["E1"]
    assert features(index, Query("張偉", ZHANG_1), "E1") == {"name": "traditional", "id": "exact"}


def test_namesake_with_a_contradicting_id_is_cleared_and_not_disclosed(index: ScreeningIndex) -> None:
    result = index.query(Query("张伟", OTHER))
    assert result.band is Band.CLEAR
    assert result.matches == () and result.cleared == 2
    audit = index.query(Query("张伟", OTHER, include_cleared=True))
    assert {m.entry_id: m.band for m in audit.matches} == {"E1": Band.CLEAR, "E2": Band.CLEAR}
    assert all({f.name: f.level for f in m.features}["id"] == "conflict" for m in audit.matches)


def test_contradicting_id_is_never_a_match_even_for_a_rare_exact_name(index: ScreeningIndex) -> None:
    assert index.query(Query("李明华", OTHER)).band is Band.CLEAR


def test_exact_id_with_a_different_name_is_a_match_flagged_as_name_mismatch(index: ScreeningIndex) -> None:
    result = index.query(Query("赵六", ZHANG_1))
    assert result.band is Band.MATCH and result.matches[0].entry_id == "E1"
    name = next(f for f in result.matches[0].features if f.name == "name")
    assert name.level == "other" and name.weight < 0 and name.detail["id_name_mismatch"] is True


def test_legacy_fifteen_digit_id_matches_its_eighteen_digit_entry(index: ScreeningIndex) -> None:
    legacy = ZHANG_1[:6] + ZHANG_1[8:17]
    result = index.query(Query("张伟", legacy))
    assert result.band is Band.MATCH and result.matches[0].entry_id == "E1"
    assert {f.name: f.level for f in result.matches[0].features}["id"] == "exact_legacy"


def test_masked_id_with_name_agreement_is_a_match(index: ScreeningIndex) -> None:
    result = index.query(Query("张伟", mask_resident_id(ZHANG_2)))
    assert result.band is Band.MATCH
    assert [(m.entry_id, m.band) for m in result.matches] == [("E2", Band.MATCH)]
    assert result.cleared == 1  # E1: same name, visible digits differ


def test_masked_id_without_name_agreement_does_not_count(index: ScreeningIndex) -> None:
    result = index.query(Query("赵六", mask_resident_id(ZHANG_2), include_cleared=True))
    assert result.band is Band.CLEAR
    id_feature = next(f for f in result.matches[0].features if f.name == "id")
    assert (
        id_feature.level == "mask_compatible"
        and id_feature.weight == 0.0
        and "not_counted" in id_feature.detail
    )


def test_masked_id_without_any_name_is_review(index: ScreeningIndex) -> None:
    result = index.query(Query(None, mask_resident_id(ZHANG_2)))
    assert result.band is Band.REVIEW and result.matches[0].entry_id == "E2"


@pytest.mark.parametrize(
    "pattern",
    [
        "*" * 18,  # nothing visible: agrees with everyone
        "1" + "*" * 17,  # one digit
        "**********1231****",  # four digits, all of them hidden on a publicly masked entry anyway
        ZHANG_1[:6] + "*" * 8 + ZHANG_1[14:17] + "*",  # nine digits: one under the floor
    ],
)
def test_a_mask_showing_too_few_digits_is_no_evidence_so_the_name_alone_stays_review(
    index: ScreeningIndex, pattern: str
) -> None:
    """A name alone never yields match (issue 4): a mask with fewer than MIN_VISIBLE_DIGITS visible digits
    (matching-notes §4.4) weighs nothing and says so, instead of +24 bits for agreeing with nobody's digits."""
    result = index.query(Query("张伟", pattern))
    assert result.band is Band.REVIEW
    e1 = next(m for m in result.matches if m.entry_id == "E1")
    id_feature = next(f for f in e1.features if f.name == "id")
    assert (id_feature.level, id_feature.weight) == ("mask_too_few", 0.0)
    assert id_feature.detail["visible_digits"] < 10 and "not_counted" in id_feature.detail
    assert e1.score == 7.0  # the name's exact weight alone


def test_a_mask_showing_ten_digits_counts_with_the_name() -> None:
    """The other side of the floor: area + last four (10 digits, matching-notes §5.2) is evidence."""
    index = ScreeningIndex.build([Entry("E1", Kind.PERSON, "张伟", ZHANG_1)])
    result = index.query(Query("张伟", ZHANG_1[:6] + "*" * 8 + ZHANG_1[14:]))
    assert result.band is Band.MATCH
    id_feature = next(f for f in result.matches[0].features if f.name == "id")
    assert (id_feature.level, id_feature.weight, id_feature.detail["visible_digits"]) == (
        "mask_compatible",
        17.3,
        10,
    )


def test_a_mask_with_too_few_digits_still_rules_out_an_entry_whose_digits_differ(
    index: ScreeningIndex,
) -> None:
    """A visible digit that differs contradicts the entry, however few are shown (rule 1)."""
    result = index.query(Query("张伟", "1" + "*" * 17))  # E2's ID starts with 3
    assert [m.entry_id for m in result.matches] == ["E1"] and result.cleared == 1


def test_id_one_typo_from_the_listed_one_with_the_name_is_a_match(index: ScreeningIndex) -> None:
    typo = ZHANG_1[:16] + "3X"
    result = index.query(Query("张伟", typo))
    assert result.band is Band.MATCH and result.matches[0].entry_id == "E1"
    assert {f.name: f.level for f in result.matches[0].features}["id"] == "typo"


def test_a_mistyped_id_that_reads_as_a_credit_code_is_still_a_typo_of_the_listed_id() -> None:
    """1 in 30 mistyped IDs pass the credit-code checksum (here the year 1980 typed 2980); read as a
    credit code alone, the listed person one keystroke away lost its ID evidence and stayed in review."""
    listed, typo = "110105198001012513", "110105298001012513"
    index = ScreeningIndex.build([Entry("P1", Kind.PERSON, "王芳", listed)])
    result = index.query(Query("王芳", typo))
    assert result.band is Band.MATCH and result.matches[0].entry_id == "P1"
    assert {f.name: f.level for f in result.matches[0].features}["id"] == "typo"
    assert index.query(Query("李静", typo)).band is Band.CLEAR  # without the name, a typo counts for nothing


def test_id_only_query(index: ScreeningIndex) -> None:
    assert top(index, identifier=SHAN)[1][0][:2] == ("E3", "match")
    assert index.query(Query(None, OTHER)).band is Band.CLEAR


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("单伟杰", "exact"),
        ("單偉傑", "traditional"),
        ("单 伟 杰", "exact"),
        ("单伟洁", "homophone"),
        ("Shan Weijie", "romanised"),
        ("WEIJIE SHAN", "romanised"),
        ("shanweijie", "romanised"),
        ("SHAN, Weijie", "romanised"),
        ("Shan4 Wei3jie2", "romanised"),  # tone numbers
        ("shan4wei3jie2", "romanised"),
        ("单伟结", "homophone"),
        ("单杰伟", "swapped"),
        ("单伟明", "edit1"),
        ("单伟杰明", "edit1"),
        ("san weijie", "fuzzy_pinyin"),
    ],
)
def test_name_forms_are_explained(index: ScreeningIndex, name: str, level: str) -> None:
    result = index.query(Query(name))
    match = next(m for m in result.matches if m.entry_id == "E3")
    assert match.band is Band.REVIEW
    assert {f.name: f.level for f in match.features}["name"] == level


@pytest.mark.parametrize("name", ["Lǚ Bù", "LǙ BU", "Lü Bu", "LYU BU", "Lv3 Bu4"])
def test_u_umlaut_in_any_tone_is_romanised_not_fuzzy(name: str) -> None:
    """Precomposed ǚ (a tone on ü) used to lose its diaeresis and read as lu: only fuzzy_pinyin for 吕布."""
    index = ScreeningIndex.build([Entry("L1", Kind.PERSON, "吕布", None)])
    assert features(index, Query(name), "L1")["name"] == "romanised"


def test_alias_matches_and_says_so(index: ScreeningIndex) -> None:
    match = next(m for m in index.query(Query("单杰")).matches if m.entry_id == "E3")
    assert match.record == "alias" and match.matched_name == "单杰"


def test_qian_survives_traditional_conversion_and_romanisation(index: ScreeningIndex) -> None:
    assert index.query(Query("王乾")).matches[0].entry_id == "E6"
    assert index.query(Query("Wang Qian")).matches[0].entry_id == "E6"


def test_minority_name_with_another_dot_and_reordered_parts(index: ScreeningIndex) -> None:
    assert features(index, Query("买买提•艾力"), "E5")["name"] == "exact"
    assert features(index, Query("艾力·买买提"), "E5")["name"] == "reordered"


@pytest.mark.parametrize(
    "name", ["艾力-买买提", "艾力—买买提", "艾力－买买提", "艾力 买买提", "艾力 - 买买提"]
)
def test_reversed_minority_name_with_a_dash_or_a_space_is_reordered(index: ScreeningIndex, name: str) -> None:
    """Issue 4: minority names in either order. With the true masked ID it is a match (rule 3)."""
    assert features(index, Query(name), "E5")["name"] == "reordered"
    masked = mask_resident_id(valid("65010119800101001"))
    result = index.query(Query(name, masked))
    assert (result.band, result.matches[0].entry_id) == (Band.MATCH, "E5")


@pytest.mark.parametrize("name", ["买买提-艾力", "买买提—艾力", "买买提 艾力"])
def test_minority_name_in_listed_order_with_a_dash_or_a_space_is_exact(
    index: ScreeningIndex, name: str
) -> None:
    assert features(index, Query(name), "E5")["name"] == "exact"


def test_a_listed_name_with_a_dash_is_found_by_its_dotted_form() -> None:
    index = ScreeningIndex.build([Entry("D1", Kind.PERSON, "约翰-史密斯", None)])
    assert features(index, Query("约翰·史密斯"), "D1")["name"] == "exact"
    assert features(index, Query("史密斯·约翰"), "D1")["name"] == "reordered"


def test_a_radicals_supplement_character_copied_from_a_pdf_is_the_ideograph() -> None:
    """⺠ (U+2EA0) is 民 in PDF-extracted text; with the true masked ID the query is a match."""
    listed = valid("11010819700101001")
    index = ScreeningIndex.build([Entry("R1", Kind.PERSON, "民生", listed)])
    result = index.query(Query("⺠生", mask_resident_id(listed)))
    assert (result.band, features(index, Query("⺠生"), "R1")["name"]) == (Band.MATCH, "exact")


def test_key_person_of_an_organisation_is_screened_as_a_person(index: ScreeningIndex) -> None:
    result = index.query(Query("欧阳娜娜", REP))
    assert result.band is Band.MATCH
    assert (result.matches[0].entry_id, result.matches[0].record, result.matches[0].kind) == (
        "E4",
        "key_person",
        Kind.ORGANISATION,
    )


@pytest.mark.parametrize(
    "name",
    [
        "北京迪摩网络有限公司",
        "迪摩网络（北京）有限公司",
        "迪摩网络(北京)有限公司",
        "北京市迪摩网络有限责任公司",
        "迪摩网络",
    ],
)
def test_company_name_variants_are_review(index: ScreeningIndex, name: str) -> None:
    result = index.query(Query(name, kind=Kind.ORGANISATION))
    assert result.band is Band.REVIEW and result.matches[0].entry_id == "E4"


def test_company_with_its_credit_code_or_embedded_org_code_is_a_match(index: ScreeningIndex) -> None:
    assert top(index, name="迪摩网络", identifier=USCC)[1][0][:2] == ("E4", "match")
    assert top(index, name="迪摩网络", identifier="60003734-1")[1][0][:2] == ("E4", "match")


def test_company_with_another_credit_code_is_cleared(index: ScreeningIndex) -> None:
    assert index.query(Query("北京迪摩网络有限公司", OTHER_USCC, kind=Kind.ORGANISATION)).band is Band.CLEAR


def test_same_trade_name_in_another_region_is_cleared(index: ScreeningIndex) -> None:
    result = index.query(Query("上海迪摩网络有限公司", kind=Kind.ORGANISATION, include_cleared=True))
    assert result.band is Band.CLEAR
    assert {f.name: f.level for f in result.matches[0].features}["region"] == "different"


def test_a_branch_with_its_own_credit_code_stays_in_review(index: ScreeningIndex) -> None:
    result = index.query(Query("北京迪摩网络有限公司朝阳分公司", OTHER_USCC, kind=Kind.ORGANISATION))
    assert result.band is Band.REVIEW
    assert "branch" in {f.name for f in result.matches[0].features}


def test_result_serialises_to_json(index: ScreeningIndex) -> None:
    payload = index.query(Query("張偉", mask_resident_id(ZHANG_1))).to_dict()
    text = json.dumps(payload, ensure_ascii=False)
    assert json.loads(text)["algorithm_version"] == ALGORITHM_VERSION
    assert payload["matches"][0]["features"][1]["name"] == "id"
    assert ZHANG_1 not in text  # full resident IDs are never echoed


def test_batch_equals_single_queries(index: ScreeningIndex) -> None:
    queries = [
        Query("张伟"), Query("張偉", ZHANG_1), Query("张伟", OTHER), Query(None, mask_resident_id(ZHANG_2)),
        Query("Shan Weijie"), Query("迪摩网络（北京）有限公司"), Query("欧阳娜娜", REP), Query("无名氏"),
        Query("单伟明", limit=1), Query("张伟", OTHER, include_cleared=True), Query(""), Query(None, "abc"),
    ]  # fmt: skip
    assert [r.to_dict() for r in index.query_batch(queries)] == [index.query(q).to_dict() for q in queries]


# --- incremental updates ---------------------------------------------------------------------------


def test_remove_add_replace_take_effect_for_the_next_query() -> None:
    index = ScreeningIndex.build(entries())
    generation = index.generation
    index.remove("E1")
    assert [m.entry_id for m in index.query(Query("张伟")).matches] == ["E2"]
    assert index.query(Query("张伟", ZHANG_1)).band is Band.CLEAR
    assert index.query(Query("张伟")).matches[0].namesakes == 1
    index.add(Entry("E8", Kind.PERSON, "赵敏", OTHER))
    assert top(index, name="赵敏", identifier=OTHER)[1] == [("E8", "match", 36.0)]
    assert index.query(Query("赵敏敏")).matches[0].entry_id == "E8"  # deletion keys of the new name work
    index.replace(Entry("E8", Kind.PERSON, "钱敏", OTHER))
    assert index.query(Query("赵敏")).matches == ()
    assert index.query(Query("钱敏")).matches[0].entry_id == "E8"
    index.add(Entry("E1", Kind.PERSON, "张伟", ZHANG_1))  # a removed id can come back
    assert index.query(Query("张伟")).matches[0].namesakes == 2
    assert len(index) == 8 and index.generation == generation + 4


def test_compaction_keeps_answers_and_drops_tombstones() -> None:
    index = ScreeningIndex.build(entries())
    index.remove("E2")
    index.add(Entry("E9", Kind.ORGANISATION, "上海凌云科技有限公司", OTHER_USCC))
    queries = [
        Query("张伟"),
        Query("凌云科技"),
        Query(None, OTHER_USCC),
        Query("张伟", ZHANG_2, include_cleared=True),
    ]
    before = [r.to_dict() for r in index.query_batch(queries)]
    index.compact()
    assert [r.to_dict() for r in index.query_batch(queries)] == before
    assert not index._person_keys.delta and not index._org_keys.delta


def test_duplicate_and_unknown_ids_are_rejected() -> None:
    index = ScreeningIndex.build(entries())
    with pytest.raises(ValueError, match="already listed"):
        index.add(Entry("E1", Kind.PERSON, "张三", OTHER))
    with pytest.raises(KeyError):
        index.remove("nope")
    with pytest.raises(ValueError):
        ScreeningIndex.build([Entry("X", Kind.PERSON, "甲乙"), Entry("X", Kind.PERSON, "丙丁")])


def test_empty_index_answers_clear() -> None:
    index = ScreeningIndex.build([])
    assert len(index) == 0
    assert index.query(Query("张伟", ZHANG_1)).band is Band.CLEAR


def test_all_digit_credit_code_that_looks_like_a_resident_id_still_matches_its_company() -> None:
    from sanctions.identifiers import is_valid_resident_id, org_code_check_char, uscc_check_char

    candidates = []
    for body in range(12345678, 12345978):
        first17 = "91110119" + f"{body:08d}" + org_code_check_char(f"{body:08d}")  # positions 7-8 "19"
        candidates.append(first17 + uscc_check_char(first17))
    uscc = next(c for c in candidates if c.isdigit() and not is_valid_resident_id(c))
    index = ScreeningIndex.build([Entry("C1", Kind.ORGANISATION, "北京延庆某某科技有限公司", uscc)])
    result = index.query(Query("北京延庆某某科技有限公司", uscc))
    assert result.band is Band.MATCH and result.matches[0].entry_id == "C1"


# --- namesake collapse ----------------------------------------------------------------------------------


def namesake_list(count: int = 12) -> list[Entry]:
    """``count`` listed 张伟 (valid, distinct IDs) and a few near names of 张伟."""
    people = [Entry(f"N{i:02d}", Kind.PERSON, "张伟", valid(f"11010519800101{i:03d}")) for i in range(count)]
    near = [
        Entry("J1", Kind.PERSON, "张伟杰", valid("11010519800201001")),  # one character longer
        Entry("H1", Kind.PERSON, "张威", valid("11010519800301001")),  # homophone
        Entry("H2", Kind.PERSON, "章伟", valid("11010519800401001")),  # surname homophone
    ]
    return people + near


def test_namesakes_collapse_so_a_distinct_near_name_reaches_the_top_ten() -> None:
    index = ScreeningIndex.build(namesake_list(12))
    result = index.query(Query("张伟", namesake_limit=NAMESAKE_LIMIT))
    ids = [m.entry_id for m in result.matches]
    zhang_wei = [m for m in result.matches if m.matched_name == "张伟"]
    assert [m.entry_id for m in zhang_wei] == ["N00", "N01", "N02"]  # the best NAMESAKE_LIMIT, in order
    assert len(zhang_wei) == NAMESAKE_LIMIT == 3
    assert all(m.namesakes == 12 and m.band is Band.REVIEW for m in zhang_wei)
    assert {"J1", "H1", "H2"} <= set(ids)  # the distinct near names get the freed places
    assert result.total == 15  # every candidate is still counted
    assert ids[:3] == ["N00", "N01", "N02"]  # exact namesakes still rank first
    # Without the collapse, ten namesakes fill the top ten and push the near names out.
    everything = index.query(Query("张伟", namesake_limit=None))
    assert [m.entry_id for m in everything.matches] == [f"N{i:02d}" for i in range(10)]
    assert everything.total == result.total
    assert [m.entry_id for m in index.query(Query("张伟", namesake_limit=1)).matches][:1] == ["N00"]


def test_a_mask_showing_too_few_digits_collapses_namesakes_like_a_name_alone() -> None:
    """A mask under the floor weighs nothing (matching-notes §4.4), so the query is name-only and its
    namesakes collapse as for a name alone; a mask that counts is evidence, and nothing collapses."""
    index = ScreeningIndex.build(namesake_list(12))
    few = index.query(Query("张伟", "1101" + "*" * 14, namesake_limit=NAMESAKE_LIMIT))
    assert [m.matched_name for m in few.matches].count("张伟") == NAMESAKE_LIMIT
    counted = index.query(Query("张伟", "1101051980" + "*" * 8, namesake_limit=NAMESAKE_LIMIT))
    assert [m.matched_name for m in counted.matches].count("张伟") == 10


def test_namesakes_of_a_match_are_the_entries_it_counts() -> None:
    """A caller that counts only some namesakes (a partner's sector) asks which entries they are."""
    index = ScreeningIndex.build(
        [
            Entry("N1", Kind.PERSON, "张伟", None),
            Entry("N2", Kind.PERSON, "張偉", None),  # the same name once normalised
            Entry("N3", Kind.PERSON, "张伟明", None, aliases=("张伟",)),
            Entry("N4", Kind.PERSON, "章伟", None),
            Entry("C1", Kind.ORGANISATION, "北京迪摩网络有限公司", USCC),
        ]
    )
    match = next(m for m in index.query(Query("张伟")).matches if m.entry_id == "N1")
    assert (match.namesakes, index.namesakes_of("N1", match.matched_name)) == (3, ("N1", "N2", "N3"))
    index.remove("N2")
    assert index.namesakes_of("N3", match.matched_name) == ("N1", "N3")
    company = index.query(Query("北京迪摩网络有限公司")).matches[0]
    assert index.namesakes_of("C1", company.matched_name) == ("C1",)
    with pytest.raises(KeyError):
        index.namesakes_of("N4", "张伟")
    with pytest.raises(KeyError):
        index.namesakes_of("N2", "张伟")


def test_namesake_counts_follow_removals_and_collapse_follows_the_count() -> None:
    index = ScreeningIndex.build(namesake_list(4))
    assert [
        m.namesakes
        for m in index.query(Query("张伟", namesake_limit=NAMESAKE_LIMIT)).matches
        if m.matched_name == "张伟"
    ] == [4, 4, 4]
    index.remove("N00")
    shown = [
        m
        for m in index.query(Query("张伟", namesake_limit=NAMESAKE_LIMIT)).matches
        if m.matched_name == "张伟"
    ]
    assert [(m.entry_id, m.namesakes) for m in shown] == [("N01", 3), ("N02", 3), ("N03", 3)]


def test_identifier_evidence_is_never_collapsed() -> None:
    entries = namesake_list(12)
    index = ScreeningIndex.build(entries)
    listed = {e.entry_id: e.identifier for e in entries}
    # The exact ID of the tenth namesake: a match, whatever the collapse.
    exact = index.query(Query("张伟", listed["N09"], namesake_limit=NAMESAKE_LIMIT))
    assert (exact.band, exact.matches[0].entry_id) == (Band.MATCH, "N09")
    # A mistyped ID one digit from the tenth namesake's: that entry matches on the ID typo and is
    # kept; the other namesakes have no usable ID evidence (the query's ID is invalid for them) and
    # are collapsed to NAMESAKE_LIMIT, not counting the one with evidence.
    rid = listed["N09"]
    assert rid is not None
    typo = rid[:15] + str((int(rid[15]) + 1) % 10) + rid[16:]
    result = index.query(Query("张伟", typo, namesake_limit=NAMESAKE_LIMIT))
    zhang_wei = [m for m in result.matches if m.matched_name == "张伟"]
    assert zhang_wei[0].entry_id == "N09" and zhang_wei[0].band is Band.MATCH
    assert {f.name: f.level for f in zhang_wei[0].features}["id"] == "typo"
    assert [m.entry_id for m in zhang_wei[1:]] == ["N00", "N01", "N02"]
    assert all(m.band is Band.REVIEW and m.namesakes == 12 for m in zhang_wei[1:])
    # Masked-ID evidence: every compatible namesake is kept (here five entries listed with the same
    # masked ID); namesakes whose IDs contradict it are cleared.
    rid = valid("11010519900101001")
    same_mask = [Entry(f"M{i}", Kind.PERSON, "李娜", mask_resident_id(rid)) for i in range(5)]
    others = [Entry(f"L{i}", Kind.PERSON, "李娜", valid(f"11010519910101{i:03d}")) for i in range(5)]
    index = ScreeningIndex.build([*same_mask, *others])
    result = index.query(Query("李娜", mask_resident_id(rid), namesake_limit=NAMESAKE_LIMIT))
    assert [(m.entry_id, m.band) for m in result.matches] == [(f"M{i}", Band.MATCH) for i in range(5)]
    assert result.cleared == 5


def test_batch_applies_each_querys_own_namesake_limit() -> None:
    index = ScreeningIndex.build(namesake_list(12))
    queries = [
        Query("张伟", namesake_limit=NAMESAKE_LIMIT),
        Query("张伟", namesake_limit=1),
        Query("张伟", namesake_limit=None, limit=20),
    ]
    batch = index.query_batch(queries)
    assert [r.to_dict() for r in batch] == [index.query(q).to_dict() for q in queries]
    assert [sum(m.matched_name == "张伟" for m in r.matches) for r in batch] == [3, 1, 12]


def test_a_variant_character_on_a_foreign_record_finds_the_listed_name_with_its_id() -> None:
    """A hotel record from a Japanese passport (髙橋, 山﨑) is the listed 高桥 / 山崎: exact, then the ID decides."""
    index = ScreeningIndex.build(
        [Entry("E1", Kind.PERSON, "高桥", ZHANG_1), Entry("E2", Kind.PERSON, "山崎", ZHANG_2)]
    )
    for name, identifier, entry_id in [("髙橋", ZHANG_1, "E1"), ("山﨑", ZHANG_2, "E2")]:
        result = index.query(Query(name, identifier))
        assert (result.band, result.matches[0].entry_id) == (Band.MATCH, entry_id)
        name_feature = next(f for f in result.matches[0].features if f.name == "name")
        assert name_feature.level in ("exact", "traditional")  # equal after normalisation (橋 is traditional)
