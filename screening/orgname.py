"""Company names: regions, trade name, industry, legal form, branch (matching-notes §3).

A registered name is 行政区划 + 字号 + 行业 + 组织形式, e.g. 北京 + 迪摩 + 网络 + 有限公司; the region may
instead sit in brackets after the trade name (迪摩网络（北京）有限公司) and a branch appends …分公司.

:func:`parse_org_name` returns several comparison forms, because stripping short region names can
destroy a trade name (阿里巴巴 → 巴巴, 青岛啤酒 → 啤酒):

* ``core``  — region prefixes, bracketed parts and the legal form removed (迪摩网络);
* ``ucore`` — only the legal form and brackets removed, region kept (北京迪摩网络);
* ``trade`` — ``core`` without trailing industry words (迪摩), used to find "迪摩" alone.

Only province and prefecture-city names are stripped in their short form (北京, 深圳); counties only in
their full form (海淀区). The index keys and the scorer always use both ``core`` and ``ucore``, and the
region becomes a feature of its own (same / different / unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import ne

from screening.text import normalise, normalise_many

LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        {
            "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司",
            "股份合作公司", "股份公司", "集团公司", "总公司", "公司", "特殊普通合伙企业", "普通合伙企业",
            "有限合伙企业", "合伙企业", "个人独资企业", "独资企业", "农民专业合作社", "专业合作社", "合作社",
            "个体工商户", "集团", "事务所", "工作室", "经营部", "门市部", "商行",
        },
        key=lambda s: (-len(s), s),
    )
)  # fmt: skip
_FORM_ENDINGS = frozenset(f[-2:] for f in LEGAL_FORMS if len(f) >= 4)
# Bracketed qualifiers that belong to the legal form, e.g. 北京某某（集团）有限公司, 某某投资中心（有限合伙）.
_BRACKET_FORMS = frozenset({"集团", "有限合伙", "普通合伙", "特殊普通合伙", "个人独资", "股份", "控股"})
_BRANCH = re.compile(
    r"^(.*?(?:公司|合伙|企业|合作社|集团|事务所|银行|工作室|商行|经营部))"
    r"(.+?(?:分公司|分店|分厂|分部|营业部|办事处|支行|分行|代表处|分所|分社))$"
)
INDUSTRY_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            "科技", "网络", "信息", "技术", "信息技术", "网络科技", "电子", "贸易", "商贸", "实业", "投资",
            "建设", "建筑", "工程", "房地产", "房地产开发", "置业", "物业", "物业管理", "物流", "文化", "传媒",
            "广告", "教育", "咨询", "管理", "企业管理", "餐饮", "食品", "服装", "医药", "生物", "化工", "机械",
            "设备", "汽车", "能源", "环保", "农业", "金融", "资产管理", "租赁", "装饰", "装饰工程", "劳务",
            "运输", "旅游", "酒店", "健康", "智能", "数据", "软件", "通信", "材料", "新材料", "电器", "五金",
            "家具", "纺织", "印刷", "包装", "钢铁", "矿业", "建材", "园林", "绿化", "市政", "水利", "电力",
            "人力资源", "发展", "控股", "国际", "进出口", "供应链", "电子商务", "影视", "体育", "环境",
            "开发", "服务", "制造", "工贸", "商务", "安装", "machinery",
        },
        key=lambda s: (-len(s), s),
    )
)  # fmt: skip
_OPEN = "([{【〔〖「『<《"
_CLOSE = ")]}】〕〗」』>》"
_BRACKETS = str.maketrans({**{c: "(" for c in _OPEN}, **{c: ")" for c in _CLOSE}})
_BRACKET_GROUP = re.compile(r"\(([^()]*)\)")
_MIN_REMAINDER = 2


@dataclass(frozen=True)
class OrgName:
    """A parsed company name. ``region_code`` is the most specific GB/T 2260 code found ('' if none)."""

    raw: str
    normalised: str
    full: str
    ucore: str
    core: str
    trade: str
    legal_form: str
    regions: tuple[str, ...]
    region_code: str
    branch: str


@dataclass(frozen=True)
class _Regions:
    codes: dict[str, tuple[str, ...]]  # name (full or short) -> codes
    max_len: int


@cache
def _regions() -> _Regions:
    text = resources.files("screening").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    codes: dict[str, list[str]] = {}

    def add(name: str, code: str) -> None:
        if len(name) >= 2 and code not in codes.setdefault(name, []):
            codes[name].append(code)

    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, level, name = line.split("\t")
        add(name, code)
        if level == "province":
            short = re.sub(r"(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$", "", name)
            add(short, code)
        elif level == "city" and name.endswith("市") and len(name) >= 3:
            add(name[:-1], code)
    frozen = {k: tuple(sorted(v)) for k, v in codes.items()}
    return _Regions(frozen, max(len(k) for k in frozen))


def region_codes(name: str) -> tuple[str, ...]:
    """GB/T 2260 codes for a region name, full (北京市, 海淀区) or short (北京, 深圳) form."""
    return _regions().codes.get(name, ())


def significant(code: str) -> str:
    """The significant prefix of an area code: 110000 → 11, 440300 → 4403."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def regions_compatible(a: str, b: str) -> bool | None:
    """True / False when both codes are known and nest / differ; None when either is unknown."""
    if not a or not b:
        return None
    sa, sb = significant(a), significant(b)
    return sa.startswith(sb) or sb.startswith(sa)


def _pick(codes: tuple[str, ...], context: str) -> str:
    if context:
        prefix = significant(context)
        for code in codes:
            if code.startswith(prefix):
                return code
    return codes[0]


def _strip_region_prefix(text: str, found: list[str]) -> tuple[str, str]:
    """Strip leading region names; returns (rest, code of the most specific region)."""
    table = _regions()
    code = ""
    while True:
        for size in range(min(table.max_len, len(text) - _MIN_REMAINDER), 1, -1):
            codes = table.codes.get(text[:size])
            if codes:
                found.append(text[:size])
                code = _pick(codes, code)
                text = text[size:]
                break
        else:
            return text, code


@cache
def _by_length(suffixes: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    lengths = sorted({len(s) for s in suffixes}, reverse=True)
    return tuple((n, frozenset(s for s in suffixes if len(s) == n)) for n in lengths)


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """Remove the longest suffix from ``suffixes`` that leaves at least two characters."""
    for size, group in _by_length(suffixes):
        if len(text) - size >= _MIN_REMAINDER and text[-size:] in group:
            return text[:-size], text[-size:]
    return text, ""


# Legal forms of four or more characters by their last two, longest first (typo-tolerant stripping).
_FORMS_BY_ENDING: dict[str, tuple[str, ...]] = {
    ending: tuple(f for f in LEGAL_FORMS if len(f) >= 4 and f[-2:] == ending) for ending in _FORM_ENDINGS
}


def _strip_legal_form(text: str) -> tuple[str, str]:
    """Longest legal-form suffix; failing that, one with a single mistyped character (有限→有邓公司)."""
    rest, form = _strip_suffix(text, LEGAL_FORMS)
    candidates = _FORMS_BY_ENDING.get(text[-2:])
    if not candidates:
        return rest, form
    shortest = max(len(form), 3)
    for suffix in candidates:  # longest first
        size = len(suffix)
        if size <= shortest or len(text) - size < _MIN_REMAINDER:
            continue
        if sum(map(ne, text[-size:], suffix)) == 1:
            return text[:-size], suffix
    return rest, form


def _trade(core: str) -> str:
    trade = core
    while True:
        shorter, word = _strip_suffix(trade, INDUSTRY_WORDS)
        if not word:
            return trade
        trade = shorter


def parse_org_name(raw: str) -> OrgName:
    """Parse a company name (simplified or traditional, any bracket width, with or without suffix)."""
    return _parse(raw, normalise(raw))


def parse_org_names(raws: list[str]) -> list[OrgName]:
    """:func:`parse_org_name` over many names (normalised in one call: same results, faster)."""
    return [_parse(raw, normalised) for raw, normalised in zip(raws, normalise_many(raws), strict=True)]


def _parse(raw: str, normalised: str) -> OrgName:
    full = normalised.translate(_BRACKETS).replace(" ", "").replace("()", "")
    branch = ""
    match = _BRANCH.match(full)
    head = full
    if match:
        head, branch = match.group(1), match.group(2)
    found: list[str] = []
    bracket_code = ""
    form_bits: list[str] = []
    for content in _BRACKET_GROUP.findall(head):
        codes = region_codes(content)
        if codes:
            found.append(content)
            bracket_code = _pick(codes, bracket_code)
        elif content in _BRACKET_FORMS:
            form_bits.append(content)
    unbracketed = _BRACKET_GROUP.sub("", head).replace("(", "").replace(")", "")
    ucore, legal_form = _strip_legal_form(unbracketed)
    if form_bits:
        legal_form = "".join(form_bits) + legal_form
    core, prefix_code = _strip_region_prefix(ucore, found)
    code = prefix_code or bracket_code
    if prefix_code and bracket_code:
        code = bracket_code if bracket_code.startswith(significant(prefix_code)) else prefix_code
    return OrgName(
        raw=raw,
        normalised=normalised,
        full=full,
        ucore=ucore,
        core=core,
        trade=_trade(core),
        legal_form=legal_form,
        regions=tuple(found),
        region_code=code,
        branch=branch,
    )
