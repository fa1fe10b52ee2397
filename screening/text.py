"""Text normalisation shared by person and company names.

Pipeline (matching-notes §2): NFKC (full width, Kangxi radicals, compatibility ideographs) → invisible
format characters dropped (:data:`INVISIBLE`: zero-width spaces and joiners, bidi controls, soft hyphen)
→ the CJK Radicals Supplement forms of whole characters (:data:`RADICAL_EQUIVALENTS`) → variant characters
to their standard form (:data:`VARIANTS`: 髙→高, 﨑→崎, 衞→衛, 徳→德 …) → every middle-dot look-alike to
``·`` → for persons, hyphens and dashes between Han characters and spaces between Han name parts to ``·``
(:func:`person_name`, ``normalise_many(person=True)``) → whitespace between Han characters removed, other
runs collapsed → traditional → simplified with OpenCC (``t2s.json``) except for
:data:`T2S_KEEP` → :data:`T2S_EXTRA` → case-fold. The same function runs on list entries and queries,
so the exceptions apply symmetrically and the result is idempotent. :func:`normalise_many` runs the
identical pipeline over one joined string, which is what makes normalising millions of list names cheap.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import opencc

HAN_RANGES = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = f"[{HAN_RANGES}]"
HAN_RE = re.compile(_HAN)

DOT = "·"
# NFKC leaves these alone (it maps U+FF0E, U+2024 and U+FE52 to "." and U+0387 to "·").
_DOT_LOOKALIKES = "\u2022\u30fb\uff65\u2027\u22c5\u2219\u2e31\u2e33\u1427\u0387\u16eb\u2981\u00b7\u02d1"
# CJK Radicals Supplement (U+2E80-U+2EF3): PDF text extraction (court documents) emits these for ordinary
# characters whose glyph the font shares (人⺠法院, 社⻑), and NFKC leaves all but ⺟ and ⻳ alone. Only the
# forms that are whole characters in their own right are folded, each to the unified ideograph its Unicode
# name describes (CJK RADICAL CIVILIAN = 民, C-SIMPLIFIED SEE = 见 …), as in the Unicode Character Database's
# EquivalentUnifiedIdeograph.txt; components that never stand alone in a name (亻氵扌艹 …) and forms whose
# equivalent is itself a component or uncertain are left out.
RADICAL_EQUIVALENTS: dict[str, str] = {
    "\u2e9c": "日", "\u2e9d": "月", "\u2e9f": "母", "\u2ea0": "民", "\u2ea9": "王", "\u2eac": "示",
    "\u2ec1": "虎", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车",
    "\u2ed1": "長", "\u2ed3": "长", "\u2ed4": "门", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页",
    "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼",
    "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
    "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙",
    "\u2ef2": "亀", "\u2ef3": "龟",
}  # fmt: skip


def _variants() -> dict[str, str]:
    text = resources.files("screening").joinpath("data/variants.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {variant: standard for variant, standard, _source in rows}


# Variant characters (异体字, Japanese shinjitai) as records of foreign-issued documents show them (hotel and
# airline records: 髙橋, 衞, 﨑, 徳), folded to the standard character a mainland record uses; t2s then
# simplifies it (衞→衛→卫). Generated from Unihan's semantic and z-variants and OpenCC's shinjitai and Hong
# Kong variant dictionaries by bench/build_variant_table.py, which keeps only pairs that cannot merge two
# names a register tells apart: never a character of the 2013 standard table, whatever its level (余, 于,
# 闫, 肖, 芸, and 喆, 堃 restored for names, stay themselves), never a surname (仝 ≠ 同), never a different
# reading.
VARIANTS: dict[str, str] = _variants()
# Unicode format characters (category Cf: U+200B zero-width space, U+202E right-to-left override, U+FEFF, the
# soft hyphen …) print as nothing, and NFKC keeps them: pasted from a web page or slipped in on purpose, they
# would make 张\u200b三 one edit away from the listed 张三.
# Planes 0, 1 and 14 hold every one (2 and 3 are ideographs, 15 and 16 private use): scanning only them keeps
# the import 0.1 s shorter for every worker and command; a test checks the whole range still finds no more.
_FORMAT_PLANES = (range(0x0000, 0x20000), range(0xE0000, 0xF0000))
INVISIBLE = frozenset(
    chr(code) for plane in _FORMAT_PLANES for code in plane if unicodedata.category(chr(code)) == "Cf"
)
_FOLD_TABLE = str.maketrans(
    {c: DOT for c in _DOT_LOOKALIKES} | RADICAL_EQUIVALENTS | VARIANTS | dict.fromkeys(INVISIBLE)
)
_HAN_OR_DOT = f"(?:{_HAN}|{DOT})"
_PERIOD_IN_HAN = re.compile(rf"(?<={_HAN})\.(?={_HAN})")
_SPACE_IN_HAN = re.compile(rf"(?<={_HAN_OR_DOT})[^\S\n]+(?={_HAN_OR_DOT})")
# Persons only (company names keep their dashes and spaces for orgname): a hyphen or dash between Han
# characters separates the parts of a minority or transliterated name like the middle dot (艾力-买买提,
# 艾力—买买提); so does a space between two runs of at least two Han characters (艾力 买买提), while a
# space next to a single character is still dropped (张 伟 = 张伟, 王 小明 = 王小明).
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_DASH_IN_HAN = re.compile(rf"(?<={_HAN})[^\S\n]*[{_DASHES}]+[^\S\n]*(?={_HAN})")
_SPACE_BETWEEN_PARTS = re.compile(rf"(?<={_HAN}{_HAN})[^\S\n]+(?={_HAN}{_HAN})")
_SPACES = re.compile(r"[^\S\n]+")
_EDGE_SPACES = re.compile(r"(?m)^[^\S\n]+|[^\S\n]+$")
_REPEATED_DOTS = re.compile(f"{DOT}{{2,}}")

# Characters t2s must not touch: 乾 (qian) would become 干 (gan) and change the pinyin; 於 is a
# surname of its own in simplified Chinese (於 Yu ≠ 于 Yu).
T2S_KEEP: frozenset[str] = frozenset({"乾", "於"})
# Simplified variants OpenCC does not fold: 锺 (U+953A, standardised surname form of 鍾) → 钟.
T2S_EXTRA: dict[str, str] = {"锺": "钟"}
_PROTECT = {ch: chr(0xE000 + i) for i, ch in enumerate(sorted(T2S_KEEP))}
_PROTECT_TABLE = str.maketrans(_PROTECT)
_RESTORE_TABLE = str.maketrans({v: k for k, v in _PROTECT.items()} | T2S_EXTRA)

_local = threading.local()


def _converter() -> opencc.OpenCC:
    conv = getattr(_local, "t2s", None)
    if conv is None:
        conv = opencc.OpenCC("t2s.json")
        _local.t2s = conv
    return conv


def to_simplified(text: str) -> str:
    """Traditional → simplified with the exception table (newlines are preserved)."""
    return str(_converter().convert(text.translate(_PROTECT_TABLE))).translate(_RESTORE_TABLE)


def _fold(text: str, person: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    if not unicodedata.is_normalized("NFKC", text):  # an invisible character dropped between a letter and
        text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)  # its mark (or two jamo)
    text = _PERIOD_IN_HAN.sub(DOT, text)
    if person:
        text = _SPACE_BETWEEN_PARTS.sub(DOT, _DASH_IN_HAN.sub(DOT, text))
    text = _SPACE_IN_HAN.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _EDGE_SPACES.sub("", text)
    return _REPEATED_DOTS.sub(DOT, text)


def normalise(raw: str) -> str:
    """Normalise one name (person or company); see the module docstring."""
    text = _fold(raw.replace("\n", " ").replace("\r", " "))
    return to_simplified(text).casefold().strip(DOT)


def normalise_many(raws: list[str], *, person: bool = False) -> list[str]:
    """:func:`normalise` over many names at once (same results, far fewer Python-level calls); ``person``
    also reads dashes and spaces between Han name parts as part separators (as :func:`person_name`)."""
    if not raws:
        return []
    joined = "\n".join(raws)
    if joined.count("\n") != len(raws) - 1 or "\r" in joined:
        joined = "\n".join(r.replace("\n", " ").replace("\r", " ") for r in raws)
    out = to_simplified(_fold(joined, person)).casefold().split("\n")
    if len(out) != len(raws):  # pragma: no cover - NFKC never creates or removes newlines
        return [person_name(r).normalised if person else normalise(r) for r in raws]
    return [s.strip(DOT) if s[:1] == DOT or s[-1:] == DOT else s for s in out]


@dataclass(frozen=True)
class PersonName:
    """A person's name after normalisation.

    ``core`` is the comparison form (no dots, no spaces); ``parts`` are the ``·``-separated parts of
    minority and transliterated names; ``script`` is ``han``, ``latin`` or ``empty``; ``traditional``
    tells that t2s changed the input.
    """

    raw: str
    normalised: str
    core: str
    parts: tuple[str, ...]
    script: str
    traditional: bool


def person_name(raw: str) -> PersonName:
    folded = _fold(raw.replace("\n", " ").replace("\r", " "), person=True)
    simplified = to_simplified(folded)
    normalised = simplified.casefold().strip(DOT)
    traditional = simplified != folded
    if HAN_RE.search(normalised):
        script = "han"
        core = normalised.replace(DOT, "").replace(" ", "")
    elif normalised:
        script = "latin"
        core = normalised
    else:
        script = "empty"
        core = ""
    parts = tuple(p for p in normalised.split(DOT) if p) if DOT in normalised else ()
    return PersonName(raw, normalised, core, parts, script, traditional)


@cache
def is_han(ch: str) -> bool:
    return bool(HAN_RE.match(ch))
