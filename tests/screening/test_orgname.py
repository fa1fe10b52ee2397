"""Company names: legal forms, brackets, regions, trade names, branches."""

import pytest

from screening.orgname import parse_org_name, region_codes, regions_compatible


@pytest.mark.parametrize(
    ("raw", "core", "legal_form"),
    [
        ("北京迪摩网络有限公司", "迪摩网络", "有限公司"),
        ("北京市迪摩网络有限责任公司", "迪摩网络", "有限责任公司"),
        ("迪摩网络（北京）有限公司", "迪摩网络", "有限公司"),
        ("迪摩网络(北京)有限公司", "迪摩网络", "有限公司"),
        ("迪摩网络【北京】有限公司", "迪摩网络", "有限公司"),
        ("北京某某（集团）有限公司", "某某", "集团有限公司"),
        ("中國平安保險（集團）股份有限公司", "中国平安保险", "集团股份有限公司"),
        ("广东省深圳市腾讯计算机系统有限公司", "腾讯计算机系统", "有限公司"),
        ("某某投资中心（有限合伙）", "某某投资中心", "有限合伙"),
        ("迪摩网络", "迪摩网络", ""),
        ("北京 迪摩网络 有限公司", "迪摩网络", "有限公司"),
        ("碘副建设有缄公司", "碘副建设", "有限公司"),  # one mistyped character in the legal form
    ],
)
def test_core_and_legal_form(raw: str, core: str, legal_form: str) -> None:
    parsed = parse_org_name(raw)
    assert (parsed.core, parsed.legal_form) == (core, legal_form)


def test_region_prefix_and_bracketed_region_give_the_same_region() -> None:
    a = parse_org_name("北京迪摩网络有限公司")
    b = parse_org_name("迪摩网络（北京）有限公司")
    assert a.region_code == b.region_code == "110000"
    assert a.ucore == "北京迪摩网络"


def test_most_specific_region_is_kept() -> None:
    assert parse_org_name("广东省深圳市腾讯计算机系统有限公司").region_code == "440300"


@pytest.mark.parametrize("raw", ["阿里巴巴集团控股有限公司", "凌云网络有限公司"])
def test_short_county_or_prefecture_names_do_not_eat_trade_names(raw: str) -> None:
    parsed = parse_org_name(raw)
    assert parsed.core.startswith(raw[:2])
    assert parsed.region_code == ""


def test_stripping_a_city_name_keeps_the_unstripped_body() -> None:
    parsed = parse_org_name("青岛啤酒股份有限公司")
    assert parsed.core == "啤酒"
    assert parsed.ucore == "青岛啤酒"  # the index and the scorer also use this form


def test_trade_name_drops_trailing_industry_words() -> None:
    assert parse_org_name("北京字节跳动科技有限公司").trade == "字节跳动"
    assert parse_org_name("北京迪摩网络科技有限公司").trade == "迪摩"


def test_branch_is_split_off() -> None:
    parsed = parse_org_name("北京迪摩网络有限公司朝阳分公司")
    assert parsed.branch == "朝阳分公司"
    assert parsed.core == "迪摩网络"


def test_region_compatibility_nests_codes() -> None:
    assert regions_compatible("110000", "110105") is True
    assert regions_compatible("110000", "310000") is False
    assert regions_compatible("", "310000") is None
    assert "110000" in region_codes("北京") and "110000" in region_codes("北京市")
