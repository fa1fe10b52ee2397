"""Pinyin for personal names: a per-character table with surname readings, fuzzy pinyin, romanised input.

* :func:`tables` reads the first (most common) reading of every character in pypinyin's dictionary
  once, tones stripped and ü written ``v`` as pypinyin does: a dict lookup per character at query time
  (about 7× cheaper than ``lazy_pinyin`` per name) and a numpy table for vectorised builds.
* pypinyin gives common-word readings for heteronym surnames (单 dan, 曾 ceng, 解 jie …). The first
  character of a name, or a compound-surname prefix, takes its surname reading from
  :data:`SURNAME_READINGS` / :data:`COMPOUND_SURNAMES` instead. The other readings stay available as
  alternatives (:func:`alternate_values`) because a clerk may still type "Dan Wei" for 单伟.
* ``fuzzy`` folds the confusions of southern speakers and pinyin input methods (zh/z, ch/c, sh/s,
  n/l, r/l, f/h, -ng/-n, lü/lu) into one key, a weaker level than equal pinyin.
* ``parse_romanised`` turns "Zhang Wei", "WEI ZHANG", "zhangwei", "ZHANG, Wei" into candidate
  syllable sequences in both name orders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from pypinyin import pinyin_dict

from screening._hashing import token_of_text

# Surname readings where pypinyin's first (common-word) reading is wrong for a surname.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "查": "zha", "朴": "piao",
    "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "盖": "ge", "长": "chang", "卜": "bu",
    "薄": "bo", "郇": "xun", "召": "shao", "隗": "wei", "阚": "kan", "秘": "bi", "种": "chong",
    "句": "gou", "折": "she", "繁": "po", "祭": "zhai", "员": "yun", "能": "nai", "乜": "nie",
    "蕃": "pi", "角": "jue", "尉": "wei", "沈": "shen", "都": "du", "重": "chong", "朝": "chao",
    "贲": "ben", "柏": "bai", "车": "che", "华": "hua", "宁": "ning", "任": "ren", "纪": "ji",
    "石": "shi", "叶": "ye", "曲": "qu", "燕": "yan", "殷": "yin", "过": "guo", "褚": "chu",
    "牟": "mou", "冼": "xian", "那": "na", "费": "fei", "逄": "pang", "冯": "feng",
}  # fmt: skip

# Compound surnames and their readings (two characters, read together).
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"), "上官": ("shang", "guan"),
    "尉迟": ("yu", "chi"), "长孙": ("zhang", "sun"), "单于": ("chan", "yu"), "万俟": ("mo", "qi"),
    "东方": ("dong", "fang"), "皇甫": ("huang", "fu"), "夏侯": ("xia", "hou"), "公孙": ("gong", "sun"),
    "令狐": ("ling", "hu"), "宇文": ("yu", "wen"), "慕容": ("mu", "rong"), "司徒": ("si", "tu"),
    "司空": ("si", "kong"), "端木": ("duan", "mu"), "澹台": ("tan", "tai"), "公冶": ("gong", "ye"),
    "宗政": ("zong", "zheng"), "濮阳": ("pu", "yang"), "淳于": ("chun", "yu"), "太叔": ("tai", "shu"),
    "申屠": ("shen", "tu"), "轩辕": ("xuan", "yuan"), "呼延": ("hu", "yan"), "闻人": ("wen", "ren"),
    "南宫": ("nan", "gong"), "百里": ("bai", "li"), "东郭": ("dong", "guo"), "西门": ("xi", "men"),
    "钟离": ("zhong", "li"), "独孤": ("du", "gu"), "拓跋": ("tuo", "ba"), "第五": ("di", "wu"),
    "梁丘": ("liang", "qiu"), "左丘": ("zuo", "qiu"), "公羊": ("gong", "yang"), "赫连": ("he", "lian"),
    "乐正": ("yue", "zheng"), "仲孙": ("zhong", "sun"), "亓官": ("qi", "guan"), "漆雕": ("qi", "diao"),
    "巫马": ("wu", "ma"), "谷梁": ("gu", "liang"), "鲜于": ("xian", "yu"), "闾丘": ("lv", "qiu"),
    "司寇": ("si", "kou"), "羊舌": ("yang", "she"), "夹谷": ("jia", "gu"), "公良": ("gong", "liang"),
    "段干": ("duan", "gan"),
}  # fmt: skip

_TONE_MARKS = {0x0300, 0x0301, 0x0302, 0x0304, 0x030C}
CODE_SPACE = 0x40000


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    stripped = "".join(ch for ch in decomposed if ord(ch) not in _TONE_MARKS)
    return unicodedata.normalize("NFC", stripped).replace("ü", "v")


@dataclass(frozen=True)
class _Tables:
    first: dict[str, str]
    syllables: tuple[str, ...]  # index = syllable id; 0 is "" (not a syllable)
    syllable_id: dict[str, int]
    char_ids: npt.NDArray[np.int16]  # code point -> syllable id (0: no reading)
    surname_ids: npt.NDArray[np.int16]  # code point -> surname syllable id (0: use char_ids)
    tokens: npt.NDArray[np.uint64]  # syllable id -> 64-bit token (stable)
    fuzzy_tokens: npt.NDArray[np.uint64]  # syllable id -> token of its fuzzy form
    fuzzy_class: npt.NDArray[np.int32]  # syllable id -> id of its fuzzy form (same id = same class)
    compound_codes: npt.NDArray[np.int64]  # sorted ord(c0) * 0x40000 + ord(c1) of compound surnames
    compound_ids: npt.NDArray[np.int16]  # (n, 2) syllable ids, aligned with compound_codes
    char_id_map: dict[str, int]  # character -> syllable id (dict lookups are faster than numpy scalars)
    surname_id_map: dict[str, int]


def fuzzy(syllable: str) -> str:
    """Fold a toneless syllable to its "fuzzy pinyin" class."""
    s = syllable
    for initial, folded in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(initial):
            s = folded + s[2:]
            break
    else:
        if s[:1] in ("n", "r") and not s.startswith("ng"):
            s = "l" + s[1:]
        elif s[:1] == "f":
            s = "h" + s[1:]
    if s.endswith("ng") and len(s) > 2:
        s = s[:-1]
    return s.replace("v", "u")


@cache
def tables() -> _Tables:
    """Build the character tables once (about 60 ms)."""
    first: dict[str, str] = {}
    inventory: set[str] = set()
    for code, readings in pinyin_dict.pinyin_dict.items():
        options = [_toneless(r) for r in readings.split(",")]
        options = [r for r in options if r.isascii() and r.isalpha()]
        if not options:
            continue
        first[chr(code)] = options[0]
        inventory.update(options)
    for reading in SURNAME_READINGS.values():
        inventory.add(reading)
    for pair in COMPOUND_SURNAMES.values():
        inventory.update(pair)
    syllables = ("", *sorted(inventory))
    syllable_id = {s: i for i, s in enumerate(syllables)}
    size = CODE_SPACE
    char_ids = np.zeros(size, dtype=np.int16)
    for ch, reading in first.items():
        if ord(ch) < size:
            char_ids[ord(ch)] = syllable_id[reading]
    surname_ids = np.zeros(size, dtype=np.int16)
    for ch, reading in SURNAME_READINGS.items():
        surname_ids[ord(ch)] = syllable_id[reading]
    tokens = np.array([0] + [token_of_text(s) for s in syllables[1:]], dtype=np.uint64)
    fuzzy_tokens = np.array([0] + [token_of_text("~" + fuzzy(s)) for s in syllables[1:]], dtype=np.uint64)
    classes: dict[str, int] = {}
    fuzzy_class = np.array([0] + [classes.setdefault(fuzzy(s), len(classes) + 1) for s in syllables[1:]])
    pairs = sorted((ord(k[0]) * CODE_SPACE + ord(k[1]), v) for k, v in COMPOUND_SURNAMES.items())
    compound_codes = np.array([p[0] for p in pairs], dtype=np.int64)
    compound_ids = np.array([[syllable_id[a], syllable_id[b]] for _, (a, b) in pairs], dtype=np.int16)
    return _Tables(
        first,
        syllables,
        syllable_id,
        char_ids,
        surname_ids,
        tokens,
        fuzzy_tokens,
        fuzzy_class.astype(np.int32),
        compound_codes,
        compound_ids,
        {ch: syllable_id[r] for ch, r in first.items() if ord(ch) < CODE_SPACE},
        {ch: syllable_id[r] for ch, r in SURNAME_READINGS.items()},
    )


def _char_id(ch: str, table: npt.NDArray[np.int16]) -> int:
    code = ord(ch)
    return int(table[code]) if code < CODE_SPACE else 0


def syllable_values(core: str) -> list[int]:
    """Primary reading of a name as syllable ids (surname-aware); a character without a reading is
    ``-ord(ch)``. Mirrors :func:`values_for_ragged` exactly."""
    t = tables()
    get = t.char_id_map.get
    values = [get(ch) or -ord(ch) for ch in core]
    if core:
        compound = COMPOUND_SURNAMES.get(core[:2]) if len(core) >= 2 else None
        if compound is not None:
            values[0], values[1] = t.syllable_id[compound[0]], t.syllable_id[compound[1]]
        else:
            surname = t.surname_id_map.get(core[0])
            if surname:
                values[0] = surname
    return values


def alternate_values(core: str) -> list[list[int]]:
    """Other plausible readings: single-surname reading of a compound prefix, and the plain
    common-word reading of every character; only those that differ from the primary reading."""
    t = tables()
    plain = [_char_id(ch, t.char_ids) or -ord(ch) for ch in core]
    out: list[list[int]] = []
    if not core:
        return out
    primary = syllable_values(core)
    single = list(plain)
    surname = _char_id(core[0], t.surname_ids)
    if surname:
        single[0] = surname
    for alternative in (single, plain):
        if alternative != primary and alternative not in out:
            out.append(alternative)
    return out


def value_tokens(values: Sequence[int], *, fuzzy_form: bool = False) -> list[int]:
    """64-bit key tokens for syllable values (see :func:`syllable_values`)."""
    source = _token_lists()[1 if fuzzy_form else 0]
    return [source[v] if v > 0 else other_token(-v) for v in values]


@cache
def _token_lists() -> tuple[list[int], list[int]]:
    """The token tables as Python lists (indexing a list is ~10× cheaper than a numpy scalar)."""
    t = tables()
    return [int(x) for x in t.tokens], [int(x) for x in t.fuzzy_tokens]


@cache
def other_token(code: int) -> int:
    """Token of a character that has no pinyin reading."""
    return token_of_text("?" + chr(code))


def fuzzy_values(values: Sequence[int]) -> list[int]:
    fc = tables().fuzzy_class
    return [int(fc[v]) if v > 0 else v for v in values]


def values_for_ragged(flat: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """Vectorised :func:`syllable_values` over ragged rows of code points."""
    t = tables()
    codes = flat.astype(np.int64)
    inside = codes < CODE_SPACE
    values = np.where(inside, t.char_ids[np.where(inside, codes, 0)], 0).astype(np.int32)
    lengths = np.diff(offsets)
    starts = offsets[:-1][lengths > 0]
    surname = np.where(inside[starts], t.surname_ids[np.where(inside[starts], codes[starts], 0)], 0)
    values[starts[surname > 0]] = surname[surname > 0]
    pair_starts = offsets[:-1][lengths >= 2]
    if len(pair_starts):
        pair = codes[pair_starts] * CODE_SPACE + codes[pair_starts + 1]
        pos = np.searchsorted(t.compound_codes, pair)
        pos = np.minimum(pos, len(t.compound_codes) - 1)
        hit = t.compound_codes[pos] == pair
        values[pair_starts[hit]] = t.compound_ids[pos[hit], 0]
        values[pair_starts[hit] + 1] = t.compound_ids[pos[hit], 1]
    return np.where(values > 0, values, -codes).astype(np.int32)


def plain_values_for_ragged(flat: npt.NDArray[np.uint32]) -> npt.NDArray[np.int32]:
    """Common-word readings of every character (no surname rule), e.g. for company names."""
    t = tables()
    codes = flat.astype(np.int64)
    inside = codes < CODE_SPACE
    values = np.where(inside, t.char_ids[np.where(inside, codes, 0)], 0).astype(np.int64)
    return np.where(values > 0, values, -codes).astype(np.int32)


def tokens_for_values(values: npt.NDArray[np.int32], *, fuzzy_form: bool = False) -> npt.NDArray[np.uint64]:
    """Vectorised :func:`value_tokens`."""
    t = tables()
    source = t.fuzzy_tokens if fuzzy_form else t.tokens
    out = source[np.maximum(values, 0)]
    negative = values <= 0
    if negative.any():
        others, inverse = np.unique(-values[negative], return_inverse=True)
        out[negative] = np.array([other_token(int(c)) for c in others], dtype=np.uint64)[inverse]
    return out


def fuzzy_values_array(values: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    fc = tables().fuzzy_class
    return np.where(values > 0, fc[np.maximum(values, 0)], values).astype(np.int32)


# --- romanised input -------------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s,.'’`\-·]+")
_MAX_SEGMENTATIONS = 4
_KEPT_PER_PREFIX = 8
_MAX_READINGS = 6  # readings of a whole romanised name


@cache
def _inventory() -> frozenset[str]:
    return frozenset(tables().syllables[1:])


# Passports write lü / nü as LYU / NYU; pypinyin writes lv / nv. Also accept "lu:" style via _fold_latin.
_SPELLINGS = {"lyu": "lv", "nyu": "nv", "lyue": "lve", "nyue": "nve", "lue": "lve", "nue": "nve"}


@cache
def _pieces() -> dict[str, str]:
    """Spelling → syllable for every spelling the segmenter accepts."""
    # Interjection readings without a vowel (嗯 n / ng, 呣 m, 哼 hng) are never part of a name; as
    # pieces they would only split "zhang" into zha + ng.
    pieces = {s: s for s in _inventory() if any(v in s for v in "aeiouv")}
    for spelling, syllable in _SPELLINGS.items():
        if syllable in pieces:
            pieces.setdefault(spelling, syllable)
    return pieces


@cache
def segment(token: str) -> tuple[tuple[str, ...], ...]:
    """Segmentations of a lower-case token into pinyin syllables, fewest syllables first: the minimal
    ones and those with one syllable more (at most 4 in all; () if none).

    One more syllable is the apostrophe that passports and most forms leave out: "XUAN" is 宣 (xuan)
    or 旭安 (xu'an), "XIAN" 贤 or 西安, "lieai" lie ai or li e ai.
    """
    pieces = _pieces()
    n = len(token)
    # Per prefix length, its shortest segmentations (a few: enough to keep every minimal + 1 one).
    best: list[list[tuple[str, ...]]] = [[] for _ in range(n + 1)]
    best[0] = [()]
    for end in range(1, n + 1):
        options: list[tuple[str, ...]] = []
        for start in range(max(0, end - 6), end):
            syllable = pieces.get(token[start:end])
            if syllable is not None:
                options.extend((*prefix, syllable) for prefix in best[start])
        best[end] = sorted(dict.fromkeys(options), key=len)[:_KEPT_PER_PREFIX]
    if not best[n]:
        return ()
    fewest = len(best[n][0])
    return tuple(o for o in best[n] if len(o) <= fewest + 1)[:_MAX_SEGMENTATIONS]


# Tone numbers ("Zhang1 Wei3", "lv4"): a digit 0-5 right after a letter of a syllable.
_TONE_NUMBER = re.compile(r"(?<=[A-Za-z])[0-5]")


def _fold_latin(text: str) -> str:
    """Lower the romanisation to plain ASCII letters: ü (any tone: ǖ ǘ ǚ ǜ, or "u:") → v, tone marks and
    tone numbers dropped. Decompose first: replacing "ü" before NFD would miss the precomposed toned forms,
    which then lost their diaeresis with the tone mark and read as u (Lǚ Bù → lu bu)."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    text = decomposed.replace("u\u0308", "v").replace("U\u0308", "V").replace("u:", "v").replace("U:", "V")
    text = _TONE_NUMBER.sub("", "".join(ch for ch in text if not unicodedata.combining(ch)))
    return text


def parse_romanised(text: str) -> list[tuple[str, ...]]:
    """Candidate syllable sequences (surname first) for a romanised name, in order of preference.

    "Zhang Wei" / "zhangwei" → (zhang, wei) first; "Wei Zhang" → also (zhang, wei) as the western order;
    "ZHANG, Wei" fixes the order (surname before the comma); a single all-capital token among mixed-case
    ones is tried first as the surname. Returns [] when the text is not pinyin.
    """
    folded = _fold_latin(text).strip()
    if not folded:
        return []
    has_comma = "," in folded or "，" in folded
    raw_tokens = [t for t in _SPLIT.split(folded) if t]
    if not raw_tokens or not all(t.isascii() and t.isalpha() for t in raw_tokens):
        return []
    capitals = [t for t in raw_tokens if t.isupper() and len(t) > 1]
    surname_first_known = has_comma
    if not has_comma and len(raw_tokens) > 1 and len(capitals) == 1:
        # Passport style "ZHANG Wei" / "Wei ZHANG": the capitalised token is probably the surname;
        # try that order first but keep the other one.
        surname = capitals[0]
        raw_tokens = [surname] + [t for t in raw_tokens if t is not surname]
    tokens = [t.lower() for t in raw_tokens]
    segmented = [segment(t) for t in tokens]
    if any(not s for s in segmented):
        return []
    orders: list[list[tuple[tuple[str, ...], ...]]] = [segmented]
    if not surname_first_known and len(tokens) > 1:
        orders.append([segmented[-1], *segmented[:-1]])
    results: list[tuple[str, ...]] = []
    for order in orders:
        combos: list[tuple[str, ...]] = [()]
        for options in order:
            combos = [c + o for c in combos for o in options]
        results.extend(combo for combo in combos if combo not in results)
    results.sort(key=len)  # stable: fewest syllables first, each in the order of preference
    del results[_MAX_READINGS:]
    if not surname_first_known and len(tokens) == 1:
        # "weizhang": a single token may also be given name + surname.
        for combo in list(results):
            if 2 <= len(combo) <= 3:
                rotated = (combo[-1], *combo[:-1])
                if rotated not in results:
                    results.append(rotated)
    return results
