"""Normalisation of names: NFKC, dots, whitespace, traditional → simplified and its exceptions."""

import sys
import unicodedata

import pytest

from screening.text import DOT, INVISIBLE, VARIANTS, normalise, normalise_many, person_name, to_simplified


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("張偉", "张伟"),
        ("歐陽娜娜", "欧阳娜娜"),
        ("张 伟", "张伟"),
        ("张\u3000伟", "张伟"),
        (" 张伟 ", "张伟"),
        ("⾦明", "金明"),  # Kangxi radical U+2FA6 → 金
        ("ＡＢＣ", "abc"),
        ("Zhang  Wei", "zhang wei"),
    ],
)
def test_normalise_folds_width_radicals_spaces_and_script(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("dot", ["·", "•", "・", "･", "‧", "⋅", "∙", "⸱", "⸳", "．", "․", "﹒", "."])
def test_every_middle_dot_look_alike_becomes_one_dot(dot: str) -> None:
    assert normalise(f"买买提{dot}艾力") == f"买买提{DOT}艾力"


def test_spaces_around_a_dot_between_han_are_removed() -> None:
    assert normalise("买买提 · 艾力") == "买买提·艾力"


def test_period_between_latin_letters_is_not_a_middle_dot() -> None:
    assert DOT not in normalise("J.Smith")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("王乾", "王乾"), ("王乾隆", "王乾隆"), ("於丹", "於丹"), ("锺明", "钟明"), ("鍾明", "钟明")],
)
def test_t2s_exceptions_keep_names_conversion_would_break(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_plain_opencc_would_turn_qian_into_gan() -> None:
    import opencc  # type: ignore[import-untyped]

    assert opencc.OpenCC("t2s.json").convert("王乾") == "王干"  # why T2S_KEEP exists
    assert to_simplified("王乾") == "王乾"


def test_normalise_is_idempotent() -> None:
    for raw in ["張 偉", "买买提 • 艾力", "中國平安保險（集團）股份有限公司", "王乾", "ZHANG, Wei"]:
        once = normalise(raw)
        assert normalise(once) == once


def test_normalise_many_equals_normalise_one_by_one() -> None:
    raws = ["張偉", "买买提•艾力", "王乾", "北京某某（集团）有限公司", "a\nb", "", "  李 明 "]
    assert normalise_many(raws) == [normalise(r) for r in raws]


def test_person_name_reports_traditional_input_and_parts() -> None:
    traditional = person_name("張偉")
    assert (traditional.core, traditional.traditional, traditional.script) == ("张伟", True, "han")
    minority = person_name("买买提・艾力")
    assert minority.core == "买买提艾力"
    assert minority.parts == ("买买提", "艾力")
    assert person_name("Zhang Wei").script == "latin"
    assert person_name("  ").script == "empty"


@pytest.mark.parametrize("separator", ["-", "‐", "‑", "–", "—", "——", "―", "－", " - ", " — ", " "])
def test_a_dash_or_a_space_between_han_name_parts_separates_them_like_the_dot(separator: str) -> None:
    """艾力-买买提 is 艾力·买买提 with another separator: without the parts it could never be found as the
    listed 买买提·艾力 in reverse order (issue 4: minority and transliterated names)."""
    name = person_name(f"艾力{separator}买买提")
    assert (name.normalised, name.core, name.parts) == (f"艾力{DOT}买买提", "艾力买买提", ("艾力", "买买提"))


@pytest.mark.parametrize(
    ("raw", "core"),
    [
        ("张 伟", "张伟"),
        ("张 伟 杰", "张伟杰"),
        ("王 小明", "王小明"),
        ("张伟 杰", "张伟杰"),
        ("张\u3000伟", "张伟"),
    ],
)
def test_a_space_next_to_a_single_han_character_is_still_dropped(raw: str, core: str) -> None:
    name = person_name(raw)
    assert (name.normalised, name.core, name.parts) == (core, core, ())


def test_a_dash_between_latin_letters_or_in_a_company_name_is_left_alone() -> None:
    assert person_name("Wei-Jie").normalised == "wei-jie"
    assert normalise("中建-北京有限公司") == "中建-北京有限公司"  # companies: orgname reads them
    assert normalise_many(["艾力-买买提"]) == ["艾力-买买提"]
    assert normalise_many(["艾力-买买提", "张 伟"], person=True) == [f"艾力{DOT}买买提", "张伟"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("⺠生", "民生"),
        ("社⻑", "社长"),
        ("⻑江", "长江"),
        ("⻄安", "西安"),
        ("⻩河", "黄河"),
        ("⻢⻰", "马龙"),
    ],
)
def test_cjk_radicals_supplement_forms_of_whole_characters_are_folded(raw: str, expected: str) -> None:
    """PDF extraction emits U+2E80–U+2EF3 radicals for ordinary characters; NFKC leaves them alone."""
    assert normalise(raw) == expected
    assert person_name(raw).script == "han"


def test_component_radicals_are_not_guessed() -> None:
    assert normalise("\u2e85\u2ea1") == "\u2e85\u2ea1"  # ⺅ (亻) and ⺡ (氵) never stand alone in a name


def test_normalise_many_for_persons_equals_person_name_one_by_one() -> None:
    """The list side (normalise_many) and the query side (person_name) must read a name alike."""
    raws = [
        "艾力-买买提",
        "艾力 买买提",
        "张 伟",
        "⺠生",
        "買買提—艾力",
        "a\nb",
        "",
        " 王 小明 ",
        "Wei-Jie Shan",
    ]
    assert normalise_many(raws, person=True) == [person_name(r).normalised for r in raws]


@pytest.mark.parametrize(
    ("variant", "listed"),
    [
        ("髙橋", "高桥"),  # 髙 U+9AD9, the "ladder" 高 of Japanese and Taiwanese records (Unihan)
        ("王徳明", "王德明"),  # 徳, Japanese shinjitai (OpenCC JPShinjitaiCharacters)
        ("山﨑", "山崎"),  # 﨑 U+FA11, a unified ideograph in the compatibility block: NFKC keeps it
        ("衞青", "卫青"),  # 衞 → 衛 (Unihan; OpenCC HKVariantsRev) → 卫 (t2s)
        ("峯岸", "峰岸"),  # already t2s's
    ],
)
def test_variant_characters_fold_to_the_listed_standard_form(variant: str, listed: str) -> None:
    assert normalise(variant) == normalise(listed) == listed
    assert person_name(variant).core == listed
    assert normalise_many([variant], person=True) == [listed]


@pytest.mark.parametrize(
    "name",
    [
        "余华",  # 余: a variant of 予 in Unihan, and a common surname of its own
        "于敏",  # 于 ≠ 於 (T2S_KEEP) either way
        "闫妮",  # 闫 ≠ 阎 (matching-notes §2.2)
        "仝卓",  # 仝 Tóng: listed as 同's variant in 2013, and a surname (Faker's census table)
        "翦伯赞",  # 翦 Jiǎn: in GB 2312, a surname, not 剪
        "逄先知",  # 逄 Páng is not 逢 Féng: a different reading
        "张芸",  # 芸: Japanese shinjitai of 藝, a Chinese given-name character of its own
        "李喆",  # 喆, 堃, 邨: level 3 of the 2013 table (restored for names and places), so a register
        "王堃",  # writes them as themselves, though Unihan still records them as 哲's, 坤's and 村's variants
        "中邨",
        "嶋",  # in neither source (Unihan 15.0, OpenCC 1.4.2): not folded by guess
    ],
)
def test_variants_that_are_names_of_their_own_are_not_folded(name: str) -> None:
    assert normalise(name) == name


def test_the_variant_table_never_folds_a_gb2312_character_and_is_idempotent() -> None:
    """What bench/build_variant_table.py promises, checked on the committed table."""
    for variant in VARIANTS:
        with pytest.raises(UnicodeEncodeError):
            variant.encode("gb2312")
        once = normalise(variant)
        assert normalise(once) == once
        assert not any(ch in VARIANTS for ch in once)


def test_normalising_twice_changes_nothing_for_any_han_character() -> None:
    """The index and the query are both normalised; a form one more pass would change (t2s's 薴→苧→苎) would
    miss its own listed name. Over every unified and compatibility ideograph at once."""
    blocks = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)]
    chars = [chr(c) for lo, hi in blocks for c in range(lo, hi + 1)]
    once = normalise_many(chars)
    assert normalise_many(once) == once
    assert normalise("薴") == "苎"


@pytest.mark.parametrize(
    "raw",
    [
        "张\u200b三",  # zero-width space, as pasted from a web page
        "张\u200d三",  # zero-width joiner
        "\u202e张三",  # right-to-left override
        "\ufeff张三",  # byte-order mark at the start of a CSV row
        "张\u00ad三",  # soft hyphen
        "张\U000e0041三",  # a tag character (plane 14)
    ],
)
def test_invisible_format_characters_are_dropped(raw: str) -> None:
    """Unicode category Cf prints as nothing and NFKC keeps it: 张\u200b三 must be the listed 张三, not one edit
    away from it."""
    assert normalise(raw) == "张三"
    assert person_name(raw).core == "张三"
    assert normalise_many([raw], person=True) == ["张三"]


@pytest.mark.parametrize(
    ("hidden", "plain"),
    [("Jose\u200b\u0301", "José"), ("lu\u00ad\u0308", "lü"), ("\u1100\u200b\u1161", "가")],
)
def test_a_hidden_character_before_a_combining_mark_is_the_plain_spelling(hidden: str, plain: str) -> None:
    """Dropping the invisible character after NFKC leaves the letter and its mark (or two jamo) to compose."""
    assert normalise(hidden) == normalise(plain)
    assert normalise(normalise(hidden)) == normalise(hidden)
    assert normalise_many([hidden]) == [normalise(plain)]
    assert person_name(hidden).core == person_name(plain).core


def test_every_format_character_of_the_whole_code_space_is_dropped() -> None:
    """INVISIBLE scans only the planes that hold format characters (an import-time saving): a Unicode release
    that put one in another plane must fail here, not slip through as one edit."""
    everywhere = {c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) == "Cf"}
    assert everywhere == INVISIBLE
