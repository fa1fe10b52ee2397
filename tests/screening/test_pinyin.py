"""Surname-aware pinyin, fuzzy pinyin and romanised input."""

import numpy as np
import pytest

from screening.pinyin import (
    COMPOUND_SURNAMES,
    alternate_values,
    fuzzy,
    parse_romanised,
    segment,
    syllable_values,
    tables,
    tokens_for_values,
    value_tokens,
    values_for_ragged,
)


def reading(name: str) -> str:
    syllables = tables().syllables
    return " ".join(syllables[v] for v in syllable_values(name))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("单伟", "shan wei"),
        ("曾伟", "zeng wei"),
        ("解伟", "xie wei"),
        ("区伟", "ou wei"),
        ("仇伟", "qiu wei"),
        ("查伟", "zha wei"),
        ("朴伟", "piao wei"),
        ("乐伟", "yue wei"),
        ("覃伟", "qin wei"),
        ("翟伟", "zhai wei"),
        ("缪伟", "miao wei"),
        ("盖伟", "ge wei"),
    ],
)
def test_heteronym_surnames_take_their_surname_reading(name: str, expected: str) -> None:
    assert reading(name) == expected


def test_surname_reading_applies_to_the_first_character_only() -> None:
    assert reading("王单") == "wang dan"
    assert reading("李乐") == "li le"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("欧阳娜", "ou yang na"),
        ("司马光", "si ma guang"),
        ("诸葛亮", "zhu ge liang"),
        ("上官婉", "shang guan wan"),
        ("尉迟恭", "yu chi gong"),
        ("长孙无忌", "zhang sun wu ji"),
        ("单于飞", "chan yu fei"),
        ("万俟卨", "mo qi xie"),
    ],
)
def test_compound_surnames_are_read_together(name: str, expected: str) -> None:
    assert reading(name) == expected


def test_alternative_readings_keep_what_a_clerk_might_type() -> None:
    syllables = tables().syllables
    alternatives = {" ".join(syllables[v] for v in alt) for alt in alternate_values("单于飞")}
    assert "shan yu fei" in alternatives  # single surname 单 + given name 于飞
    assert {" ".join(syllables[v] for v in alt) for alt in alternate_values("单伟")} == {"dan wei"}
    assert alternate_values("张伟") == []


def test_every_compound_surname_reading_is_in_the_syllable_inventory() -> None:
    for pair in COMPOUND_SURNAMES.values():
        assert all(s in tables().syllable_id for s in pair)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zhang", "zang"),
        ("chen", "cheng"),
        ("shi", "si"),
        ("nan", "lan"),
        ("fu", "hu"),
        ("lv", "lu"),
        ("ren", "len"),
    ],
)
def test_fuzzy_pinyin_folds_common_confusions(a: str, b: str) -> None:
    assert fuzzy(a) == fuzzy(b)


def test_fuzzy_pinyin_keeps_distinct_syllables_apart() -> None:
    assert fuzzy("zhang") != fuzzy("wang")
    assert fuzzy("li") != fuzzy("lu")


@pytest.mark.parametrize(
    "text",
    ["Zhang Wei", "WEI ZHANG", "zhangwei", "ZHANG, Wei", "Wei Zhang", "zhang-wei", "ＺＨＡＮＧ ＷＥＩ"],
)
def test_romanised_input_in_either_order_yields_surname_first(text: str) -> None:
    assert ("zhang", "wei") in parse_romanised(text)


def test_comma_fixes_the_order() -> None:
    readings = parse_romanised("ZHANG, Weijie")
    assert readings[0] == ("zhang", "wei", "jie")
    assert all(r[0] == "zhang" for r in readings)


@pytest.mark.parametrize(
    ("token", "readings"),
    [
        ("xuan", [("xuan",), ("xu", "an")]),  # 宣 or 旭安: passports leave out the apostrophe
        ("xian", [("xian",), ("xi", "an")]),
        ("lieai", [("lie", "ai"), ("li", "e", "ai")]),
        ("changan", [("chan", "gan"), ("chang", "an")]),  # both minimal
        ("zhangwei", [("zhang", "wei")]),  # no zha + ng: vowel-less interjections are not name syllables
        ("wangwei", [("wang", "wei")]),
    ],
)
def test_segmentation_also_reads_a_left_out_apostrophe(token: str, readings: list[tuple[str, ...]]) -> None:
    assert list(segment(token)) == readings


def test_fewest_syllables_come_first_and_readings_are_capped() -> None:
    assert parse_romanised("LONG, Xuan") == [("long", "xuan"), ("long", "xu", "an")]
    readings = parse_romanised("Xian Xian Xian")
    assert readings[0] == ("xian", "xian", "xian") and len(readings) <= 6
    assert [len(r) for r in readings] == sorted(len(r) for r in readings)


def test_passport_lyu_and_umlaut_are_read_as_lv() -> None:
    assert ("lv", "xiao", "ming") in parse_romanised("LYU Xiaoming")
    assert ("lv", "xiao", "ming") in parse_romanised("Lü Xiaoming")


@pytest.mark.parametrize("text", ["Lǚ Bù", "LǙ BU", "lǘ bu", "Lǖ Bú", "lǜ bù", "lu:3 bu4", "lv3 bu4"])
def test_u_umlaut_with_a_tone_mark_is_still_lv(text: str) -> None:
    """ǖ ǘ ǚ ǜ are precomposed: they must be decomposed before ü is recognised, or 吕 reads as lu."""
    assert parse_romanised(text)[0] == ("lv", "bu")


@pytest.mark.parametrize("text", ["Zhang1 Wei3", "zhang1wei3", "ZHANG1 WEI3", "Wei3 Zhang1", "zhang1 wei0"])
def test_tone_numbers_are_dropped(text: str) -> None:
    assert ("zhang", "wei") in parse_romanised(text)


def test_digits_that_are_not_tone_numbers_are_not_pinyin() -> None:
    assert parse_romanised("Zhang9 Wei") == []
    assert parse_romanised("12 34") == []


def test_not_pinyin_gives_nothing() -> None:
    assert parse_romanised("Smith") == []
    assert parse_romanised("张伟") == []


def test_vectorised_readings_equal_scalar_ones() -> None:
    names = ["单伟", "欧阳娜娜", "曾国藩", "张伟", "尉迟恭", "A张", "买买提艾力", "王乾", "𠈌明", "李"]
    flat = np.frombuffer("".join(names).encode("utf-32-le"), dtype=np.uint32)
    offsets = np.concatenate([[0], np.cumsum([len(n) for n in names])]).astype(np.int64)
    values = values_for_ragged(flat, offsets)
    assert values.tolist() == [v for n in names for v in syllable_values(n)]
    assert tokens_for_values(values).tolist() == [t for n in names for t in value_tokens(syllable_values(n))]
