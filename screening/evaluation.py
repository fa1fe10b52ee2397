"""Labelled synthetic evaluation data for the screening engine (matching-notes §5.3), deterministic by seed.

* :func:`synthetic_list` — a list of persons (frequency-weighted surnames incl. heteronym and compound
  ones, Zipf-weighted given-name characters, ~1 % minority names with ``·``, valid resident IDs over
  real area codes and birth dates), organisations (region prefix or bracketed region + trade name +
  industry + legal form, valid USCCs, ~5 % legacy organisation codes, a legal representative each),
  and a few aliases. Generated with numpy, so 10 M entries take about a minute.
* :func:`labelled_queries` — variants of listed subjects labelled with the true ``entry_id`` (name
  forms, romanisations, typos, ID forms, company forms) and hard negatives (namesakes with other IDs,
  contradicting IDs, unlisted people and companies, same trade name in another region).
* :func:`evaluate` — runs the queries through an index and tabulates, per variant kind and per band,
  how often the true entry is found (top 1 / top 10) and in which band; negatives count false matches.
"""

from __future__ import annotations

import operator
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, SupportsIndex, overload

import numpy as np
import numpy.typing as npt
import opencc

from sanctions.identifiers import mask_resident_id, org_code_check_char, ric_check_char, uscc_check_char
from screening._hashing import hash_text
from screening._store import hash_strings
from screening.model import Band, Entry, KeyPerson, Kind, Match, Query, Result
from screening.pinyin import fuzzy, syllable_values, tables
from screening.text import normalise

# Approximate census shares (%), plus heteronym and compound surnames the engine must read right.
SURNAMES: dict[str, float] = {
    "王": 7.1, "李": 7.0, "张": 6.7, "刘": 5.4, "陈": 4.5, "杨": 3.1, "黄": 2.2, "赵": 2.0, "吴": 2.0,
    "周": 1.9, "徐": 1.4, "孙": 1.4, "马": 1.3, "朱": 1.3, "胡": 1.2, "郭": 1.2, "何": 1.1, "林": 1.1,
    "高": 1.1, "罗": 1.0, "郑": 0.9, "梁": 0.9, "谢": 0.8, "宋": 0.8, "唐": 0.8, "许": 0.7, "韩": 0.7,
    "冯": 0.7, "邓": 0.7, "曹": 0.7, "彭": 0.6, "曾": 0.6, "肖": 0.6, "田": 0.6, "董": 0.5, "袁": 0.5,
    "潘": 0.5, "于": 0.5, "蒋": 0.5, "蔡": 0.5, "余": 0.5, "杜": 0.5, "叶": 0.4, "程": 0.4, "苏": 0.4,
    "魏": 0.4, "吕": 0.4, "丁": 0.4, "任": 0.4, "沈": 0.4, "姚": 0.4, "卢": 0.4, "姜": 0.4, "崔": 0.3,
    "钟": 0.3, "谭": 0.3, "陆": 0.3, "汪": 0.3, "范": 0.3, "金": 0.3, "石": 0.3, "廖": 0.3, "贾": 0.3,
    "夏": 0.3, "韦": 0.3, "付": 0.3, "方": 0.3, "白": 0.3, "邹": 0.3, "孟": 0.3, "熊": 0.3, "秦": 0.3,
    "邱": 0.3, "江": 0.3, "尹": 0.2, "薛": 0.2, "闫": 0.2, "段": 0.2, "雷": 0.2, "侯": 0.2, "龙": 0.2,
    "史": 0.2, "陶": 0.2, "黎": 0.2, "贺": 0.2, "顾": 0.2, "毛": 0.2, "郝": 0.2, "龚": 0.2, "邵": 0.2,
    "万": 0.2, "钱": 0.2, "严": 0.2, "覃": 0.2, "武": 0.2, "戴": 0.2, "莫": 0.2, "孔": 0.2, "向": 0.2,
    "汤": 0.2, "常": 0.1, "温": 0.1, "康": 0.1, "施": 0.1, "文": 0.1, "牛": 0.1, "樊": 0.1, "葛": 0.1,
    "邢": 0.1, "安": 0.1, "齐": 0.1, "易": 0.1, "乔": 0.1, "伍": 0.1, "庞": 0.1, "颜": 0.1, "倪": 0.1,
    "庄": 0.1, "聂": 0.1, "章": 0.1, "鲁": 0.1, "岳": 0.1, "翟": 0.1, "殷": 0.1, "詹": 0.1, "申": 0.1,
    "欧": 0.1, "耿": 0.1, "关": 0.1, "兰": 0.1, "焦": 0.1, "俞": 0.1, "左": 0.1, "柳": 0.1, "甘": 0.1,
    "祝": 0.1, "包": 0.1, "宁": 0.1, "尚": 0.1, "符": 0.1, "舒": 0.1, "阮": 0.1, "柯": 0.1, "纪": 0.1,
    "梅": 0.1, "童": 0.1, "凌": 0.1, "毕": 0.1, "单": 0.08, "解": 0.05, "区": 0.03, "仇": 0.03,
    "查": 0.04, "朴": 0.05, "乐": 0.03, "缪": 0.03, "盖": 0.02, "卜": 0.03, "欧阳": 0.05, "司马": 0.01,
    "诸葛": 0.01, "上官": 0.01, "尉迟": 0.005, "长孙": 0.005, "单于": 0.002, "东方": 0.005,
    "皇甫": 0.01, "令狐": 0.005, "慕容": 0.005, "夏侯": 0.005, "公孙": 0.005,
}  # fmt: skip
# Given-name characters, most frequent first (weights follow a Zipf law over this order).
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂华玉萍红梅鹏飞辉建国文斌宇浩凯健俊帆帅旭宁龙林欢佳阳亮"
    "成峰晨瑞志兵雷东博彬坤岩海波鑫婷雪琳晶燕倩颖慧莉兰凤洁琴云玲丹荣新春金光德清生永利福贵祥安家子晓小天"
    "思雨梦诗欣怡悦涵萱琪嘉睿轩泽铭昊然辰逸航毅诚立峻伦振鸿达兴民力宏学江山胜全和仁义礼智信忠孝勤俭秋冬夏"
    "松柏竹菊荷莲珍珠宝贝美娇媛妍妮婕姗婧蕾薇蓉芬芸菲霏露霖璐瑶瑾璇琦瑜珊翠虹彩莺鹤鸣鹰虎彪豪雄武威猛坚"
    "石森木水泉河湖涛浪潮岭川原野田园实晖曦昕晴朗月星宙乾坤鼎盛昌隆泰康寿禄喜乐庆吉友爱芝兆艺会贤"
)
GIVEN_POOL = 1500  # the curated characters, then other GB 2312 level-1 characters, Zipf-weighted
GIVEN_ZIPF = 0.7
GIVEN_TAIL_SEED = 2312
SINGLE_GIVEN = 0.2
# One-character given names follow a flatter law than the characters of two-character ones. With the
# shared 0.7 law, 王伟 and 李伟 came out at 0.06 % of all names, three times the real share: the commonest
# full names (张伟, 王伟, 王芳 …) are each about 0.02 % of the population (matching-notes, data caveat; the
# Ministry of Public Security's name reports). At 0.5 the commonest name is 0.022 % of a million.
SINGLE_GIVEN_ZIPF = 0.5


@cache
def given_name_chars() -> tuple[str, ...]:
    """Given-name characters in frequency order: the curated list, then other common characters.

    The other characters are taken in a fixed pseudo-random order. GB 2312 lists them by pinyin, and
    taking them in that order (as version 1 of this generator did) filled 40 % of the given-name mass
    with readings a… to g…: homophone groups such as ban / bang several times their real size, and
    names such as 陈绊娜 or 李鄙帮.
    """
    chars = dict.fromkeys(GIVEN_CHARS)
    others = [ch for ch in common_chars() if ch not in chars]
    random.Random(GIVEN_TAIL_SEED).shuffle(others)
    chars.update(dict.fromkeys(others[: max(0, GIVEN_POOL - len(chars))]))
    return tuple(chars)


MINORITY_PARTS = (
    "买买提", "艾力", "阿不都", "热依拉", "古丽", "努尔", "阿依", "吐尔逊", "麦麦提", "依明", "阿布力孜",
    "热合曼", "帕提古丽", "迪丽热巴", "古丽娜尔", "亚森", "阿迪力", "伊力哈木", "吾斯曼", "塔依尔",
)  # fmt: skip
INDUSTRIES = (
    "科技", "网络科技", "信息技术", "贸易", "商贸", "实业", "投资", "建设", "建筑工程", "房地产开发", "物流",
    "文化传媒", "广告", "教育咨询", "企业管理", "餐饮管理", "食品", "服装", "医药", "生物科技", "化工", "机械设备",
    "汽车销售", "能源", "环保科技", "农业发展", "资产管理", "装饰工程", "劳务", "运输", "旅游", "酒店管理",
)  # fmt: skip
LEGAL_FORMS = ("有限公司", "有限责任公司", "股份有限公司", "有限公司", "有限公司", "集团有限公司")


@cache
def common_chars() -> tuple[str, ...]:
    """The 3,755 level-1 characters of GB 2312 (the commonest simplified characters)."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return tuple(out)


@cache
def _areas() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(county codes, province names, prefecture-city names) from the packaged region table."""
    text = resources.files("screening").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    counties, provinces, cities = [], [], []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        code, level, name = line.split("\t")
        if level == "county" and int(code[:2]) < 70:
            counties.append(code)
        elif level == "province" and int(code[:2]) < 70:
            provinces.append(name)
        elif level == "city" and name.endswith("市"):
            cities.append(name)
    return tuple(counties), tuple(provinces), tuple(cities)


def _short(region: str) -> str:
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region[: -len(suffix)]
    return region


class TextColumn(Sequence[str]):
    """A read-only sequence of strings kept as one ``str`` plus offsets: about two bytes per Han
    character instead of a ~60-byte object per string, so a 10 M-entry list stays small.
    ``offsets`` may be an int: every string has that length."""

    __slots__ = ("_offsets", "_text", "_width")

    def __init__(self, text: str, offsets: npt.NDArray[np.int64] | int) -> None:
        self._text = text
        if isinstance(offsets, int):
            self._width = offsets
            self._offsets = np.zeros(0, dtype=np.int64)
        else:
            self._width = -1
            self._offsets = offsets

    @classmethod
    def from_strings(cls, strings: Iterable[str], block: int = 1 << 20) -> TextColumn:
        texts: list[str] = []
        lengths: list[npt.NDArray[np.int64]] = []
        chunk: list[str] = []
        for item in strings:
            chunk.append(item)
            if len(chunk) == block:
                texts.append("".join(chunk))
                lengths.append(np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk)))
                chunk = []
        texts.append("".join(chunk))
        lengths.append(np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk)))
        return cls.from_lengths("".join(texts), np.concatenate(lengths))

    @classmethod
    def from_lengths(cls, text: str, lengths: npt.NDArray[np.int64]) -> TextColumn:
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(text, offsets)

    def __len__(self) -> int:
        return len(self._text) // self._width if self._width > 0 else max(len(self._offsets) - 1, 0)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self.strings(start, stop)
            return [self[i] for i in range(start, stop, step)]
        i = _position(index, len(self))
        if self._width > 0:
            return self._text[i * self._width : (i + 1) * self._width]
        return self._text[int(self._offsets[i]) : int(self._offsets[i + 1])]

    def strings(self, start: int, stop: int) -> list[str]:
        """Items ``start:stop`` as a list (one pass, faster than indexing one by one)."""
        stop = max(start, min(stop, len(self)))
        text = self._text
        if self._width > 0:
            w = self._width
            return [text[i * w : (i + 1) * w] for i in range(start, stop)]
        bounds = self._offsets[start : stop + 1].tolist()
        return [text[a:b] for a, b in pairwise(bounds)]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), 1 << 16):
            yield from self.strings(start, start + (1 << 16))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _position(index: SupportsIndex, length: int) -> int:
    """A sequence index as a position in ``0..length-1`` (negative from the end), else IndexError."""
    i = operator.index(index)
    if i < 0:
        i += length
    if not 0 <= i < length:
        raise IndexError(index)
    return i


class _EntryIds(Sequence[str]):
    """``P00000000``-style entry ids, computed on access."""

    def __init__(self, kinds: npt.NDArray[np.int8]) -> None:
        self._kinds = kinds

    def __len__(self) -> int:
        return len(self._kinds)

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = _position(index, len(self))
        return f"{'O' if self._kinds[i] else 'P'}{i:08d}"

    def strings(self, start: int, stop: int) -> list[str]:
        kinds = self._kinds[start:stop].tolist()
        return [f"{'O' if k else 'P'}{i:08d}" for i, k in zip(range(start, stop), kinds, strict=True)]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _EntryIds):
            return bool(np.array_equal(self._kinds, other._kinds))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class _KeyPersons(Mapping[int, tuple[KeyPerson, ...]]):
    """Row → (legal representative,) for organisation rows, built on access from compact columns."""

    def __init__(self, rows: npt.NDArray[np.int64], names: TextColumn, identifiers: TextColumn) -> None:
        self._rows = rows
        self._names = names
        self._identifiers = identifiers

    def _position(self, row: object) -> int:
        if not isinstance(row, (int, np.integer)):
            return -1
        k = int(np.searchsorted(self._rows, int(row)))
        return k if k < len(self._rows) and int(self._rows[k]) == int(row) else -1

    def __getitem__(self, row: int) -> tuple[KeyPerson, ...]:
        k = self._position(row)
        if k < 0:
            raise KeyError(row)
        return (KeyPerson(self._names[k], self._identifiers[k]),)

    def __contains__(self, row: object) -> bool:
        return self._position(row) >= 0

    def block(self, start: int, stop: int) -> dict[int, tuple[KeyPerson, ...]]:
        """The items for rows ``start:stop`` (one pass)."""
        a, b = (int(x) for x in np.searchsorted(self._rows, [start, stop]))
        names, identifiers = self._names.strings(a, b), self._identifiers.strings(a, b)
        return {
            row: (KeyPerson(name, identifier),)
            for row, name, identifier in zip(self._rows[a:b].tolist(), names, identifiers, strict=True)
        }

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows.tolist())

    def __len__(self) -> int:
        return len(self._rows)


@dataclass
class SyntheticList:
    """Columns of a synthetic list, kept compact (10 M entries take well under 1 GiB);
    :meth:`entries` yields :class:`Entry` objects lazily."""

    entry_ids: Sequence[str]
    kinds: npt.NDArray[np.int8]  # 0 person, 1 organisation
    names: Sequence[str]
    identifiers: Sequence[str | None]
    aliases: dict[int, tuple[str, ...]] = field(default_factory=dict)
    key_persons: Mapping[int, tuple[KeyPerson, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entry_ids)

    def entry(self, i: int) -> Entry:
        return Entry(
            entry_id=self.entry_ids[i],
            kind=Kind.ORGANISATION if self.kinds[i] else Kind.PERSON,
            name=self.names[i],
            identifier=self.identifiers[i],
            aliases=self.aliases.get(i, ()),
            key_persons=self.key_persons.get(i, ()),
        )

    def entries(self) -> Iterator[Entry]:
        block = 1 << 16
        aliases, none = self.aliases, ()
        for start in range(0, len(self), block):
            stop = min(start + block, len(self))
            ids = _strings(self.entry_ids, start, stop)
            names = _strings(self.names, start, stop)
            identifiers = _strings(self.identifiers, start, stop)
            kinds = self.kinds[start:stop].tolist()
            if isinstance(self.key_persons, _KeyPersons):
                key_persons = self.key_persons.block(start, stop)
            else:
                key_persons = {i: self.key_persons[i] for i in range(start, stop) if i in self.key_persons}
            for k, i in enumerate(range(start, stop)):
                yield Entry(
                    ids[k],
                    Kind.ORGANISATION if kinds[k] else Kind.PERSON,
                    names[k],
                    identifiers[k],
                    aliases.get(i, none),
                    key_persons.get(i, none),
                )

    def name_hashes(self) -> npt.NDArray[np.uint64]:
        """Sorted hashes of the listed names (a compact stand-in for ``set(names)``)."""
        block = 1 << 20
        parts = [
            hash_strings("name", _strings(self.names, start, start + block))
            for start in range(0, len(self), block)
        ]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def _strings(column: Sequence[Any], start: int, stop: int) -> list[Any]:
    if isinstance(column, (TextColumn, _EntryIds)):
        return column.strings(start, stop)
    return list(column[start:stop])


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """Random personal names with realistic surname and given-name frequencies."""
    return list(person_name_column(rng, n))


def person_name_column(rng: np.random.Generator, n: int) -> TextColumn:
    """:func:`person_names` as a compact :class:`TextColumn` (same names, same random draws)."""
    surnames = list(SURNAMES)
    weights = np.array(list(SURNAMES.values()))
    given = np.array([ord(c) for c in given_name_chars()], dtype=np.uint32)
    zipf = 1.0 / np.arange(1, len(given) + 1) ** GIVEN_ZIPF
    s_idx = rng.choice(len(surnames), size=n, p=weights / weights.sum())
    s_codes = np.zeros((len(surnames), 2), dtype=np.uint32)
    for i, s in enumerate(surnames):
        s_codes[i, : len(s)] = [ord(c) for c in s]
    g = given[rng.choice(len(given), size=(n, 2), p=zipf / zipf.sum())]
    single = rng.random(n) < SINGLE_GIVEN
    flat = 1.0 / np.arange(1, len(given) + 1) ** SINGLE_GIVEN_ZIPF
    g[single, 0] = given[rng.choice(len(given), size=int(single.sum()), p=flat / flat.sum())]
    g[single, 1] = 0  # one-character given names
    del single
    codes = np.concatenate([s_codes[s_idx], g], axis=1)
    del s_idx, g
    lengths = np.count_nonzero(codes, axis=1).astype(np.int64)
    text = codes[codes != 0].astype("<u4").tobytes().decode("utf-32-le")
    del codes
    minority = np.flatnonzero(rng.random(n) < 0.01)
    parts = rng.choice(len(MINORITY_PARTS), size=(len(minority), 2))
    if len(minority):
        offsets = np.concatenate([[0], np.cumsum(lengths)]).tolist()
        pieces: list[str] = []
        done = 0
        for row, (a, b) in zip(minority.tolist(), parts.tolist(), strict=True):
            name = MINORITY_PARTS[a] + "·" + MINORITY_PARTS[(b if b != a else a + 1) % len(MINORITY_PARTS)]
            pieces.append(text[done : offsets[row]])
            pieces.append(name)
            lengths[row] = len(name)
            done = offsets[row + 1]
        pieces.append(text[done:])
        text = "".join(pieces)
    return TextColumn.from_lengths(text, lengths)


_RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)


def resident_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Valid 18-digit resident IDs: real area codes (skewed), birth dates 1950-2005, check digit."""
    return list(resident_id_column(rng, n))


def resident_id_column(rng: np.random.Generator, n: int) -> TextColumn:
    """:func:`resident_ids` as a compact :class:`TextColumn` (same IDs, same random draws; the
    digits are assembled a block at a time, so 10 M IDs need ~0.3 GiB, not several)."""
    counties = _areas()[0]
    area_weights = 1.0 / np.arange(1, len(counties) + 1) ** 0.5
    area_digits = np.array([[ord(c) - 48 for c in a] for a in counties], dtype=np.uint8)
    area_rows = rng.permutation(len(counties))[
        rng.choice(len(counties), size=n, p=area_weights / area_weights.sum())
    ]
    days = rng.integers(0, (np.datetime64("2005-12-31") - np.datetime64("1950-01-01")).astype(int), size=n)
    seq = rng.integers(0, 1000, size=n)
    texts: list[str] = []
    block = 1 << 20
    for start in range(0, n, block):
        dates = np.datetime64("1950-01-01") + days[start : start + block].astype("timedelta64[D]")
        months = dates.astype("datetime64[M]")
        year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
        month = months.astype(np.int64) % 12 + 1
        day = (dates - months).astype(np.int64) + 1
        yyyymmdd = year * 10000 + month * 100 + day
        numbers = yyyymmdd * 1000 + seq[start : start + block]  # 11 digits: date and sequence
        tail = (numbers[:, None] // 10 ** np.arange(10, -1, -1, dtype=np.int64)) % 10
        body = np.concatenate([area_digits[area_rows[start : start + block]].astype(np.int64), tail], axis=1)
        check = np.frombuffer(b"10X98765432", dtype=np.uint8)[(body @ _RIC_WEIGHTS) % 11]
        ascii_rows = np.concatenate([(body + 48).astype(np.uint8), check[:, None]], axis=1)
        texts.append(ascii_rows.tobytes().decode("ascii"))
    return TextColumn("".join(texts), 18)


def credit_codes(rng: np.random.Generator, n: int) -> list[str]:
    """Valid USCCs (registration authority 9, entity type 1, real area code, embedded org code)."""
    counties = _areas()[0]
    out = []
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    areas = rng.choice(len(counties), size=n)
    bodies = rng.integers(0, 10, size=(n, 8))
    letters = rng.random(n) < 0.3
    letter_idx = rng.integers(10, 31, size=n)
    for i in range(n):
        org = [str(d) for d in bodies[i].tolist()]
        if letters[i]:
            org[0] = alphabet[int(letter_idx[i])]
        org_body = "".join(org)
        org_code = org_body + org_code_check_char(org_body)
        first17 = "91" + counties[int(areas[i])] + org_code
        out.append(first17 + uscc_check_char(first17))
    return out


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """Company names: region (short/full prefix or bracketed) + 2-3 character trade name + industry + form."""
    _, provinces, cities = _areas()
    pool = common_chars()
    out = []
    trade_len = np.where(rng.random(n) < 0.8, 2, 3)
    trade_chars = rng.integers(0, len(pool), size=(n, 3))
    style = rng.random(n)
    region_pick = rng.random(n)
    prov = rng.integers(0, len(provinces), size=n)
    city = rng.integers(0, len(cities), size=n)
    industry = rng.integers(0, len(INDUSTRIES), size=n)
    form = rng.integers(0, len(LEGAL_FORMS), size=n)
    for i in range(n):
        trade = "".join(pool[int(c)] for c in trade_chars[i, : int(trade_len[i])])
        if region_pick[i] < 0.55:
            region = provinces[int(prov[i])]
        elif region_pick[i] < 0.9:
            region = cities[int(city[i])]
        else:
            region = ""
        if region and rng.random() < 0.7:
            region = _short(region)
        body = trade + INDUSTRIES[int(industry[i])]
        legal = LEGAL_FORMS[int(form[i])]
        if region and style[i] < 0.15:
            out.append(f"{body}（{region}）{legal}")
        else:
            out.append(f"{region}{body}{legal}")
    return out


def synthetic_list(size: int, *, seed: int = 7, org_share: float = 0.15) -> SyntheticList:
    """A deterministic synthetic list of ``size`` entries (persons and organisations)."""
    rng = np.random.default_rng(seed)
    n_org = int(size * org_share)
    n_person = size - n_org
    kinds = np.zeros(size, dtype=np.int8)
    org_rows = np.sort(rng.choice(size, size=n_org, replace=False))
    kinds[org_rows] = 1
    person_rows = np.flatnonzero(kinds == 0)
    person_names_ = person_name_column(rng, n_person)
    person_ids = resident_id_column(rng, n_person)
    codes = credit_codes(rng, n_org)
    legacy = rng.random(n_org) < 0.05
    org_names = company_names(rng, n_org)
    org_ids = [code[8:17] if old else code for code, old in zip(codes, legacy.tolist(), strict=True)]
    del codes
    names = TextColumn.from_strings(_interleave(kinds, person_names_, org_names))
    identifiers = TextColumn.from_strings(_interleave(kinds, person_ids, org_ids))
    del person_names_, person_ids, org_names, org_ids
    reps = person_name_column(rng, n_org)
    rep_ids = resident_id_column(rng, n_org)
    key_persons = _KeyPersons(org_rows.astype(np.int64), reps, rep_ids)
    alias_rows = person_rows[rng.random(len(person_rows)) < 0.01]
    alias_names = person_names(rng, len(alias_rows))
    aliases: dict[int, tuple[str, ...]] = {
        int(row): (alias_names[k],) for k, row in enumerate(alias_rows.tolist())
    }
    return SyntheticList(_EntryIds(kinds), kinds, names, identifiers, aliases, key_persons)


def _interleave(kinds: npt.NDArray[np.int8], persons: Sequence[str], orgs: Sequence[str]) -> Iterator[str]:
    """Person and organisation values in row order."""
    cursor = [0, 0]
    block = 1 << 16
    for start in range(0, len(kinds), block):
        for k in kinds[start : start + block].tolist():
            yield (orgs if k else persons)[cursor[k]]
            cursor[k] += 1


# --- labelled queries --------------------------------------------------------------------------------

PERSON_NAME_VARIANTS = (
    "exact", "traditional", "spaces", "dots", "homophone", "surname_homophone", "fuzzy_pinyin",
    "pinyin_surname_first", "pinyin_western", "pinyin_joined", "pinyin_comma", "typo", "drop", "insert",
    "swap", "alias", "key_person",
)  # fmt: skip
PERSON_ID_VARIANTS = (
    "id_exact", "id_masked", "id_legacy", "id_typo", "id_only", "id_renamed", "id_name_typo",
    "id_masked_homophone", "id_traditional",
)  # fmt: skip
ORG_NAME_VARIANTS = (
    "org_exact", "org_no_suffix", "org_region_moved", "org_region_dropped", "org_traditional",
    "org_other_form", "org_fullwidth", "org_typo",
)  # fmt: skip
ORG_ID_VARIANTS = ("org_uscc", "org_code", "org_uscc_renamed")
NEGATIVES = (
    "neg_namesake_id", "neg_conflict_id", "neg_masked_other", "neg_unlisted_id", "neg_unlisted_name",
    "neg_org_other_region", "neg_org_other_uscc",
)  # fmt: skip
ID_GROUPS = frozenset(PERSON_ID_VARIANTS + ORG_ID_VARIANTS) - {"id_masked_homophone"}


@dataclass(frozen=True)
class LabelledQuery:
    """A query with its ground truth: ``expected`` is the entry it refers to (None for negatives)."""

    query: Query
    variant: str
    expected: str | None


class _Variants:
    def __init__(self, listed: SyntheticList, seed: int) -> None:
        self.listed = listed
        self.rnd = random.Random(seed)
        self.rng = np.random.default_rng(seed)
        self.s2t = opencc.OpenCC("s2t.json")
        t = tables()
        self.by_syllable: dict[str, list[str]] = defaultdict(list)
        self.by_fuzzy: dict[str, list[str]] = defaultdict(list)
        for ch in common_chars():
            reading = t.first.get(ch)
            if reading and normalise(ch) == ch:
                self.by_syllable[reading].append(ch)
                self.by_fuzzy[fuzzy(reading)].append(ch)
        self.persons = np.flatnonzero(listed.kinds == 0)
        self.orgs = np.flatnonzero(listed.kinds == 1)
        self._name_hashes: npt.NDArray[np.uint64] | None = None

    def person(self, where: str = "") -> int:
        for _ in range(10000):
            i = int(self.rnd.choice(self.persons))
            name = self.listed.names[i]
            if where == "han" and "·" in name:
                continue
            if where == "long" and ("·" in name or len(name) < 3):
                continue
            if where == "given2" and ("·" in name or len(name) != 3 or name[:2] in _COMPOUNDS):
                continue
            if where == "dots" and "·" not in name:
                continue
            if where == "short" and len(name) != 2:
                continue
            if where == "alias" and i not in self.listed.aliases:
                continue
            return i
        raise LookupError(f"no listed person fits {where!r}")

    def surname_len(self, name: str) -> int:
        return 2 if name[:2] in _COMPOUNDS else 1

    def homophone(self, ch: str) -> str | None:
        reading = tables().first.get(ch)
        options = [c for c in self.by_syllable.get(reading or "", []) if c != ch]
        return self.rnd.choice(options) if options else None

    def fuzzy_char(self, ch: str) -> str | None:
        reading = tables().first.get(ch, "")
        options = [c for c in self.by_fuzzy.get(fuzzy(reading), []) if tables().first.get(c) != reading]
        return self.rnd.choice(options) if options else None

    def random_char(self, avoid: str) -> str:
        while True:
            c = self.rnd.choice(common_chars())
            if tables().first.get(c) != tables().first.get(avoid):
                return c

    def fresh_name(self) -> str:
        if self._name_hashes is None:
            self._name_hashes = self.listed.name_hashes()
        hashes = self._name_hashes
        while True:
            name = person_names(self.rng, 1)[0]
            h = np.uint64(hash_text("name", name))
            pos = int(np.searchsorted(hashes, h))
            if pos == len(hashes) or hashes[pos] != h:  # not listed
                return name

    def fresh_id(self) -> str:
        return resident_ids(self.rng, 1)[0]

    def romanise(self, name: str, style: str) -> str:
        syl = [tables().syllables[v] if v > 0 else "" for v in syllable_values(name.replace("·", ""))]
        syl = [s.replace("v", "yu") if s in ("lv", "nv") else s.replace("v", "u") for s in syl]
        k = self.surname_len(name)
        surname, given = "".join(syl[:k]), "".join(syl[k:])
        if style == "pinyin_surname_first":
            return f"{surname.capitalize()} {given.capitalize()}"
        if style == "pinyin_western":
            return (
                f"{given.capitalize()} {surname.upper() if self.rnd.random() < 0.5 else surname.capitalize()}"
            )
        if style == "pinyin_joined":
            return (surname + given).lower()
        return f"{surname.upper()}, {given.capitalize()}"

    def name_variant(self, kind: str) -> tuple[int, str] | None:
        listed = self.listed
        if kind == "exact":
            i = self.person()
            return i, listed.names[i]
        if kind == "traditional":
            for _ in range(200):
                i = self.person("han")
                t = str(self.s2t.convert(listed.names[i]))
                if t != listed.names[i]:
                    return i, t
            return None
        if kind == "spaces":
            i = self.person("han")
            name = listed.names[i]
            sep = self.rnd.choice([" ", "\u3000", "  "])
            k = self.rnd.randrange(1, len(name))
            return i, name[:k] + sep + name[k:]
        if kind == "dots":
            i = self.person("dots")
            return i, listed.names[i].replace("·", self.rnd.choice(["•", "・", ".", "‧", "∙", " · "]))
        if kind in ("homophone", "surname_homophone", "fuzzy_pinyin", "typo"):
            i = self.person("han" if kind != "typo" else "long")
            name = listed.names[i]
            k = self.surname_len(name)
            if kind == "surname_homophone":
                if k != 1:
                    return None
                pos = 0
            else:
                pos = self.rnd.randrange(k, len(name))
            if kind == "typo":
                repl: str | None = self.random_char(name[pos])
            elif kind == "fuzzy_pinyin":
                repl = self.fuzzy_char(name[pos])
            else:
                repl = self.homophone(name[pos])
            if repl is None:
                return None
            return i, name[:pos] + repl + name[pos + 1 :]
        if kind.startswith("pinyin_"):
            i = self.person("han")
            return i, self.romanise(listed.names[i], kind)
        if kind == "drop":
            i = self.person("long")
            name = listed.names[i]
            pos = self.rnd.randrange(self.surname_len(name), len(name))
            return i, name[:pos] + name[pos + 1 :]
        if kind == "insert":
            i = self.person("han")
            name = listed.names[i]
            pos = self.rnd.randrange(self.surname_len(name), len(name) + 1)
            return i, name[:pos] + self.random_char("") + name[pos:]
        if kind == "swap":
            i = self.person("given2")
            name = listed.names[i]
            if name[1] == name[2]:
                return None
            return i, name[0] + name[2] + name[1]
        if kind == "alias":
            i = self.person("alias")
            return i, listed.aliases[i][0]
        return None


_COMPOUNDS = frozenset(s for s in SURNAMES if len(s) == 2)


def _legacy(rid: str) -> str | None:
    return rid[:6] + rid[8:17] if rid[6:8] == "19" else None


def _id_typo(rnd: random.Random, rid: str) -> str:
    while True:
        pos = rnd.randrange(0, 17)
        digit = str((int(rid[pos]) + rnd.randrange(1, 10)) % 10)
        typo = rid[:pos] + digit + rid[pos + 1 :]
        if ric_check_char(typo[:17]) != typo[17]:
            return typo


def _region_moved(name: str) -> str | None:
    from screening.orgname import parse_org_name

    org = parse_org_name(name)
    if not org.regions or "（" in name:
        return None
    region = org.regions[0]
    legal = org.legal_form
    return f"{org.core}（{region}）{legal}"


def labelled_queries(listed: SyntheticList, *, per_variant: int = 200, seed: int = 11) -> list[LabelledQuery]:
    """Labelled queries over ``listed``: ``per_variant`` of every kind in the module's variant lists."""
    v = _Variants(listed, seed)
    rnd = v.rnd
    out: list[LabelledQuery] = []

    def add(q: Query, kind: str, expected: str | None) -> None:
        out.append(LabelledQuery(q, kind, expected))

    for kind in PERSON_NAME_VARIANTS:
        made = 0
        for _ in range(per_variant * 20):
            if made == per_variant:
                break
            if kind == "key_person":
                i = int(rnd.choice(v.orgs))
                kp = listed.key_persons[i][0]
                add(Query(kp.name), kind, listed.entry_ids[i])
                made += 1
                continue
            got = v.name_variant(kind)
            if got is None:
                continue
            i, name = got
            add(Query(name), kind, listed.entry_ids[i])
            made += 1
    for kind in PERSON_ID_VARIANTS:
        for _ in range(per_variant):
            i = v.person()
            name = listed.names[i]
            rid = listed.identifiers[i]
            assert rid is not None
            eid = listed.entry_ids[i]
            if kind == "id_exact":
                add(Query(name, rid), kind, eid)
            elif kind == "id_masked":
                add(Query(name, mask_resident_id(rid)), kind, eid)
            elif kind == "id_legacy":
                legacy = _legacy(rid)
                add(Query(name, legacy or rid), kind, eid)
            elif kind == "id_typo":
                add(Query(name, _id_typo(rnd, rid)), kind, eid)
            elif kind == "id_only":
                add(Query(None, rid), kind, eid)
            elif kind == "id_renamed":
                add(Query(v.fresh_name(), rid), kind, eid)
            elif kind == "id_name_typo":
                i = v.person("short")
                name, rid, eid = listed.names[i], listed.identifiers[i], listed.entry_ids[i]
                assert rid is not None
                add(Query(name[0] + v.random_char(name[1]), rid), kind, eid)
            elif kind == "id_masked_homophone":
                got = v.name_variant("homophone")
                if got:
                    j, homophone = got
                    rid_j = listed.identifiers[j]
                    assert rid_j is not None
                    add(Query(homophone, mask_resident_id(rid_j)), kind, listed.entry_ids[j])
            elif kind == "id_traditional":
                got = v.name_variant("traditional")
                if got:
                    j, traditional = got
                    add(Query(traditional, listed.identifiers[j]), kind, listed.entry_ids[j])
    for kind in ORG_NAME_VARIANTS + ORG_ID_VARIANTS:
        made = 0
        for _ in range(per_variant * 20):
            if made == per_variant:
                break
            i = int(rnd.choice(v.orgs))
            name, code, eid = listed.names[i], listed.identifiers[i], listed.entry_ids[i]
            variant: str | None = name
            ident: str | None = None
            if kind == "org_no_suffix":
                variant = _strip_form(name)
            elif kind == "org_region_moved":
                variant = _region_moved(name)
            elif kind == "org_region_dropped":
                from screening.orgname import parse_org_name

                org = parse_org_name(name)
                variant = org.core + org.legal_form if org.regions else None
            elif kind == "org_traditional":
                variant = str(v.s2t.convert(name))
                variant = variant if variant != name else None
            elif kind == "org_other_form":
                variant = _other_form(name)
            elif kind == "org_fullwidth":
                variant = (
                    name.replace("（", "(").replace("）", ")")
                    if "（" in name
                    else " ".join(name[:4]) + name[4:]
                )
            elif kind == "org_typo":
                core_pos = [p for p, ch in enumerate(name) if ch in common_chars()]
                pos = rnd.choice(core_pos[2:6]) if len(core_pos) > 6 else None
                variant = None if pos is None else name[:pos] + v.random_char(name[pos]) + name[pos + 1 :]
            elif kind == "org_uscc":
                if code is None or len(code) != 18:
                    continue
                ident = code
            elif kind == "org_code":
                if code is None or len(code) != 18:
                    continue
                ident = code[8:17]
            elif kind == "org_uscc_renamed":
                if code is None or len(code) != 18:
                    continue
                variant = company_names(v.rng, 1)[0]
                ident = code
            if variant is None:
                continue
            add(Query(variant, ident, Kind.ORGANISATION if rnd.random() < 0.5 else None), kind, eid)
            made += 1
    for kind in NEGATIVES:
        for _ in range(per_variant):
            if kind == "neg_namesake_id":
                i = v.person()
                add(Query(listed.names[i], v.fresh_id()), kind, None)
            elif kind == "neg_conflict_id":
                got = v.name_variant(rnd.choice(["homophone", "traditional", "spaces", "exact"]))
                if got:
                    add(Query(got[1], v.fresh_id()), kind, None)
            elif kind == "neg_masked_other":
                i = v.person()
                add(Query(listed.names[i], mask_resident_id(v.fresh_id())), kind, None)
            elif kind == "neg_unlisted_id":
                add(Query(v.fresh_name(), v.fresh_id()), kind, None)
            elif kind == "neg_unlisted_name":
                add(Query(v.fresh_name()), kind, None)
            elif kind == "neg_org_other_region":
                i = int(rnd.choice(v.orgs))
                moved = _other_region(listed.names[i], rnd)
                if moved:
                    add(Query(moved, None, Kind.ORGANISATION), kind, None)
            elif kind == "neg_org_other_uscc":
                i = int(rnd.choice(v.orgs))
                add(Query(listed.names[i], credit_codes(v.rng, 1)[0], Kind.ORGANISATION), kind, None)
    return out


def _strip_form(name: str) -> str | None:
    from screening.orgname import LEGAL_FORMS as FORMS

    for form in FORMS:
        if name.endswith(form):
            return name[: -len(form)]
    return None


def _other_form(name: str) -> str | None:
    for a, b in (
        ("有限责任公司", "有限公司"),
        ("股份有限公司", "有限公司"),
        ("集团有限公司", "有限公司"),
        ("有限公司", "有限责任公司"),
    ):
        if name.endswith(a):
            return name[: -len(a)] + b
    return None


def _other_region(name: str, rnd: random.Random) -> str | None:
    from screening.orgname import parse_org_name, regions_compatible

    org = parse_org_name(name)
    if not org.region_code:
        return None
    _, provinces, _ = _areas()
    for _ in range(20):
        province = _short(rnd.choice(provinces))
        other = parse_org_name(province + org.core + org.legal_form)
        if regions_compatible(other.region_code, org.region_code) is False:
            return province + org.core + org.legal_form
    return None


# --- evaluation -----------------------------------------------------------------------------------------

EVALUATION_LIMIT = 500  # matches requested per query, so ranks beyond the partner's 10 can be measured


@dataclass
class VariantStats:
    """Per variant kind. Positives: where the true entry ranks and in which band. ``top10`` counts it
    among the first ten returned; ``top10_tied`` among the first ten *by score*, entries with equal
    evidence sharing a rank (a name shared by 40 listed people cannot put all 40 in a top ten);
    ``top10_expected`` the chance of being among the first ten when entries with equal evidence are
    put in random order (the expectation over tie orders, McSherry & Najork 2008): the most that any
    ranking can achieve that does not know the answer, since nothing in the query tells equal
    evidence apart (ties running past :data:`EVALUATION_LIMIT` are cut there, an overestimate of at
    most 10/490 for such a query);
    ``top10_named`` among the first ten returned *or* stood for there by a namesake: a returned match
    with one of its names whose group was collapsed (:attr:`screening.model.Query.namesake_limit`;
    the match reports more namesakes than were returned, so the partner learns the name is listed
    that often and that the identifier decides); ``found`` anywhere in review/match. The band is the
    true entry's, ``namesake`` when it is only stood for by a collapsed namesake, ``absent`` when it
    is not returned at all. Negatives: the overall band."""

    queries: int = 0
    top1: int = 0
    top10: int = 0
    top10_tied: int = 0
    top10_expected: float = 0.0
    top10_named: int = 0
    found: int = 0
    band: Counter[str] = field(default_factory=Counter)


# Name levels from strongest to weakest, as explained in a match's "name" feature (persons, then companies).
_NAME_STRENGTH = {
    "exact": 8, "traditional": 8, "reordered": 7, "homophone": 6, "romanised": 5, "fuzzy_pinyin": 4,
    "swapped": 3, "edit1": 2, "other": 1,
    "core": 7, "trade": 6,
}  # fmt: skip


def _name_level(match: Match) -> str:
    return next((f.level for f in match.features if f.name == "name"), "none")


def _name_strength(match: Match) -> int:
    return _NAME_STRENGTH.get(_name_level(match), 0)


@dataclass
class FalseReviews:
    """Outcome of :meth:`Evaluation.false_reviews`: negative queries, and those answered ``review`` per
    strongest name level (with how many of them scored below zero)."""

    queries: int = 0
    by_level: Counter[str] = field(default_factory=Counter)
    negative_score: Counter[str] = field(default_factory=Counter)

    @property
    def reviewed(self) -> int:
        return sum(self.by_level.values())

    def table(self) -> str:
        n = max(self.queries, 1)
        lines = [
            f"false reviews: {self.reviewed:,} of {self.queries:,} unlisted names answered review "
            f"({self.reviewed / n:.1%}); by the strongest name evidence:",
            f"  {'name level':<14} {'queries':>7} {'share':>7} {'score < 0':>9}",
        ]
        for level in sorted(self.by_level, key=lambda lv: (-_NAME_STRENGTH.get(lv, 0), lv)):
            count = self.by_level[level]
            lines.append(f"  {level:<14} {count:>7} {count / n:>7.1%} {self.negative_score[level]:>9}")
        return "\n".join(lines)


@dataclass
class Evaluation:
    """Outcome of :func:`evaluate`: per-variant statistics and the raw (query, result) pairs."""

    stats: dict[str, VariantStats]
    pairs: list[tuple[LabelledQuery, Result]]

    def share(self, variants: Sequence[str], attribute: str) -> float:
        """Pooled share of ``attribute`` (top1 / top10 / top10_expected / top10_tied / found) over
        these variants."""
        cells = [self.stats[v] for v in variants if v in self.stats]
        total = sum(c.queries for c in cells)
        return sum(getattr(c, attribute) for c in cells) / total if total else float("nan")

    def band_share(self, variants: Sequence[str], band: str) -> float:
        cells = [self.stats[v] for v in variants if v in self.stats]
        total = sum(c.queries for c in cells)
        return sum(c.band.get(band, 0) for c in cells) / total if total else float("nan")

    def false_matches(self, variants: Sequence[str]) -> int:
        return sum(1 for lq, r in self.pairs if lq.variant in variants and r.band is Band.MATCH)

    def band_precision(self) -> dict[str, tuple[int, int, float]]:
        """Per overall band: (queries, of which positives, share whose top match is the true entry)."""
        out: dict[str, list[int]] = {b.value: [0, 0, 0] for b in Band}
        for lq, r in self.pairs:
            cell = out[r.band.value]
            cell[0] += 1
            cell[1] += lq.expected is not None
            cell[2] += int(
                bool(r.matches) and lq.expected is not None and r.matches[0].entry_id == lq.expected
            )
        return {b: (c[0], c[1], c[2] / c[0] if c[0] else float("nan")) for b, c in out.items()}

    def false_reviews(self, variants: Sequence[str] = ("neg_unlisted_name",)) -> FalseReviews:
        """How often queries of people who are not listed (these negative variants) are answered
        ``review``, by the strongest name evidence among their review matches: the price of never missing
        a listed name, which a reviewer pays."""
        report = FalseReviews()
        for lq, result in self.pairs:
            if lq.variant not in variants:
                continue
            report.queries += 1
            reviews = [m for m in result.matches if m.band is Band.REVIEW]
            if result.band is not Band.REVIEW or not reviews:
                continue
            strongest = max(reviews, key=lambda m: (_name_strength(m), m.score))
            level = _name_level(strongest)
            report.by_level[level] += 1
            report.negative_score[level] += strongest.score < 0
        return report

    def table(self) -> str:
        columns = (("top1", "top1"), ("top10", "top10"), ("top10_expected", "exp10"),
                   ("top10_tied", "tied10"), ("top10_named", "named10"), ("found", "found"))  # fmt: skip
        ranks_head = " ".join(f"{label:>7}" for _, label in columns)
        lines = [
            f"{'variant':<22} {'n':>5} {ranks_head}   band of the true entry (positives) / of the answer (negatives)"
        ]
        lines.append(
            f"{'':<{29 + 8 * len(columns)}}   {'match':>6} {'review':>6} {'clear':>6} {'namesake':>8} {'absent':>6}"
        )
        for name, s in self.stats.items():
            n = max(s.queries, 1)
            if name.startswith("neg_"):
                ranks = " ".join(f"{'-':>7}" for _ in columns)
            else:
                ranks = " ".join(f"{getattr(s, a) / n:7.3f}" for a, _ in columns)
            bands = " ".join(
                f"{s.band.get(b, 0) / n:{8 if b == 'namesake' else 6}.3f}"
                for b in ("match", "review", "clear", "namesake", "absent")
            )
            lines.append(f"{name:<22} {s.queries:>5} {ranks}   {bands}")
        lines.append("")
        lines.append("overall band   queries  positives  precision (top match is the true entry)")
        for band, (count, positives, precision) in self.band_precision().items():
            lines.append(f"  {band:<12} {count:>7}  {positives:>9}  {precision:.4f}")
        return "\n".join(lines)


def evaluate(
    results: Sequence[Result],
    queries: Sequence[LabelledQuery],
    names_of: Callable[[str], Sequence[str]] | None = None,
) -> Evaluation:
    """Tabulate results (in the order of ``queries``; run them with ``limit`` ≥ 10, ideally
    :data:`EVALUATION_LIMIT`) per variant kind. ``names_of`` (entry id → its listed names, e.g.
    :meth:`ScreeningIndex.names_of`) lets a collapsed namesake stand for the true entry."""
    stats: dict[str, VariantStats] = {}
    for lq, result in zip(queries, results, strict=True):
        s = stats.setdefault(lq.variant, VariantStats())
        s.queries += 1
        if lq.expected is None:
            s.band[result.band.value] += 1
            continue
        ranks = [k for k, m in enumerate(result.matches) if m.entry_id == lq.expected]
        if not ranks:
            stand_in = _collapsed_namesake(result, names_of(lq.expected) if names_of else ())
            if stand_in is None:
                s.band["absent"] += 1
            else:
                s.top10_named += stand_in < 10
                s.band["namesake"] += 1
            continue
        mine = result.matches[ranks[0]]
        evidence = (mine.band.rank, mine.score)
        better = sum(1 for m in result.matches if (m.band.rank, m.score) > evidence)
        tied = sum(1 for m in result.matches if (m.band.rank, m.score) == evidence)
        s.top1 += ranks[0] == 0
        s.top10 += ranks[0] < 10
        s.top10_named += ranks[0] < 10
        s.top10_tied += better < 10
        s.top10_expected += min(1.0, max(0, 10 - better) / tied)
        s.found += 1
        s.band[mine.band.value] += 1
    return Evaluation(stats, list(zip(queries, results, strict=True)))


def _collapsed_namesake(result: Result, names: Sequence[str]) -> int | None:
    """Rank of the first returned match that bears one of ``names`` and stands for more namesakes
    than were returned (its group was collapsed), or None."""
    shown = Counter(m.matched_name for m in result.matches)
    for k, m in enumerate(result.matches):
        if m.matched_name in names and m.namesakes > shown[m.matched_name]:
            return k
    return None


def run_evaluation(index: object, queries: Sequence[LabelledQuery]) -> Evaluation:
    """Run labelled queries through an index (``query_batch``) at :data:`EVALUATION_LIMIT`."""
    from dataclasses import replace

    from screening.index import ScreeningIndex

    assert isinstance(index, ScreeningIndex)
    results = index.query_batch([replace(lq.query, limit=EVALUATION_LIMIT) for lq in queries])
    return evaluate(results, queries, index.names_of)
