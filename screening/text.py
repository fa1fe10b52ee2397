"""Text normalisation shared by person and company names.

Pipeline (matching-notes §2): NFKC (full width, Kangxi radicals, compatibility ideographs) → every
middle-dot look-alike to ``·`` → whitespace between Han characters removed, other runs collapsed →
traditional → simplified with OpenCC (``t2s.json``) except for :data:`T2S_KEEP` → :data:`T2S_EXTRA`
→ case-fold. The same function runs on list entries and queries, so the exceptions apply symmetrically
and the result is idempotent. :func:`normalise_many` runs the identical pipeline over one joined
string, which is what makes normalising millions of list names cheap.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

HAN_RANGES = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = f"[{HAN_RANGES}]"
HAN_RE = re.compile(_HAN)

DOT = "·"
# NFKC leaves these alone (it maps U+FF0E, U+2024 and U+FE52 to "." and U+0387 to "·").
_DOT_LOOKALIKES = "\u2022\u30fb\uff65\u2027\u22c5\u2219\u2e31\u2e33\u1427\u0387\u16eb\u2981\u00b7\u02d1"
_DOT_TABLE = str.maketrans({c: DOT for c in _DOT_LOOKALIKES})
_HAN_OR_DOT = f"(?:{_HAN}|{DOT})"
_PERIOD_IN_HAN = re.compile(rf"(?<={_HAN})\.(?={_HAN})")
_SPACE_IN_HAN = re.compile(rf"(?<={_HAN_OR_DOT})[^\S\n]+(?={_HAN_OR_DOT})")
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


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DOT_TABLE)
    text = _PERIOD_IN_HAN.sub(DOT, text)
    text = _SPACE_IN_HAN.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _EDGE_SPACES.sub("", text)
    return _REPEATED_DOTS.sub(DOT, text)


def normalise(raw: str) -> str:
    """Normalise one name (person or company); see the module docstring."""
    text = _fold(raw.replace("\n", " ").replace("\r", " "))
    return to_simplified(text).casefold().strip(DOT)


def normalise_many(raws: list[str]) -> list[str]:
    """:func:`normalise` over many names at once (same results, far fewer Python-level calls)."""
    if not raws:
        return []
    joined = "\n".join(raws)
    if joined.count("\n") != len(raws) - 1 or "\r" in joined:
        joined = "\n".join(r.replace("\n", " ").replace("\r", " ") for r in raws)
    out = to_simplified(_fold(joined)).casefold().split("\n")
    if len(out) != len(raws):  # pragma: no cover - NFKC never creates or removes newlines
        return [normalise(r) for r in raws]
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
    folded = _fold(raw.replace("\n", " ").replace("\r", " "))
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
