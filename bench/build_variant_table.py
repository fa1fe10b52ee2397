"""Regenerate ``screening/data/variants.tsv``: variant characters (异体字, Japanese shinjitai) folded to the
standard character a mainland record would use, e.g. 髙→高, 衞→衛, 﨑→崎, 徳→德.

Sources, both maintained upstream (nothing here is a hand-made list of variants):

* the Unicode Character Database's Unihan (``Unihan_Variants.txt``: kSemanticVariant and kZVariant;
  ``Unihan_OtherMappings.txt``: kTGH, the 2013 Table of General Standard Chinese Characters
  通用规范汉字表 with its levels; ``Unihan_Readings.txt``: kMandarin), from Debian's ``unicode-data``;
* OpenCC's own character dictionaries shipped with the ``opencc`` wheel that normalisation already uses:
  ``JPShinjitaiCharacters`` (Japanese shinjitai → kyūjitai: 徳→德) and ``HKVariantsRev`` (Hong Kong
  variant forms → OpenCC's standard form: 衞→衛).

A pair *variant → standard* is kept only if it cannot merge two names a mainland register tells apart:

1. the variant is not a character of the 2013 table (kTGH, all three levels: 8 105 characters, level 3
   being those restored for names and places, so 喆, 堃, 邨 are names of their own beside 哲, 坤, 村 and a
   register records them as written), nor in GB 2312, the character set mainland records have been
   written in since 1981: 余, 于, 闫, 肖, 游, 涂, 芸, 予, 翦 … are names of their own, however the
   dictionaries relate them, and the component forms 亻, 刂, 犭 … never stand for a character in a name;
2. the standard character, after OpenCC's t2s, is a common one (the table's levels 1–2), and it is the
   only one the variant leads to (﨑's semantic variants are 崎, 埼, 碕 …: only 崎 is common);
3. both are read alike in Mandarin where Unihan gives both readings (逄 páng is not 逢 féng), since the
   pinyin keys are computed on the folded name;
4. the variant is not itself a surname (Faker's ``zh_CN`` table of 399 census surnames, the test extra):
   仝 Tóng is a surname of its own beside 同 Tóng, though the 2013 table lists it as 同's variant;
5. t2s does not already change the variant, nor simplify another character to it (the folding would
   then not be idempotent: 懍→懔), and it is not one of ``screening.text.T2S_KEEP``.

Last, a character OpenCC's t2s simplifies only in two passes (薴→苧→苎) is folded to the end of the chain.

Run once when a source changes (Debian's package is only needed for this script):

    apt-get install unicode-data
    .venv/bin/python bench/build_variant_table.py

Columns: variant, standard (before t2s, which the pipeline applies next), source.
"""

from __future__ import annotations

import bz2
import re
from collections import defaultdict
from pathlib import Path

import opencc
from faker.providers.person.zh_CN import Provider as ChineseNames

from screening.text import T2S_KEEP, to_simplified

_UNIHAN = Path("/usr/share/unicode")
_OPENCC = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
_TARGET = Path(__file__).resolve().parent.parent / "screening" / "data" / "variants.tsv"
_CODEPOINT = re.compile(r"U\+([0-9A-F]{4,6})")
_HAN_BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)]


def _unihan(name: str, field: str) -> dict[str, str]:
    values: dict[str, str] = {}
    with bz2.open(_UNIHAN / f"Unihan_{name}.txt.bz2", "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == field:
                values[chr(int(parts[0][2:], 16))] = parts[2]
    return values


def _unihan_variants() -> dict[str, set[str]]:
    variants: dict[str, set[str]] = defaultdict(set)
    for field in ("kSemanticVariant", "kZVariant"):
        for char, value in _unihan("Variants", field).items():
            variants[char].update(chr(int(code, 16)) for code in _CODEPOINT.findall(value))
    return variants


def _opencc_dictionary(name: str) -> dict[str, str]:
    """Every single-character mapping of one of OpenCC's character dictionaries."""
    config = _TARGET.parent / f"_{name}.json"
    config.write_text(
        f'{{"name": "{name}", "conversion_chain": [{{"dict": {{"type": "ocd2", '
        f'"file": "{_OPENCC / (name + ".ocd2")}"}}}}]}}'
    )
    try:
        converter = opencc.OpenCC(str(config))
        chars = [chr(c) for lo, hi in _HAN_BLOCKS for c in range(lo, hi + 1)]
        converted = converter.convert("\n".join(chars)).split("\n")
    finally:
        config.unlink()
    assert len(converted) == len(chars)
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def _standard_levels() -> tuple[set[str], set[str]]:
    """The 2013 table's characters (levels 1–3: what a mainland register writes as itself) and its levels 1–2
    (numbers 1–6500, everyday use: the only folding targets)."""
    table = _unihan("OtherMappings", "kTGH")  # "2013:6530"
    return set(table), {char for char, value in table.items() if int(value.split(":")[1]) <= 6500}


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _simplified_forms() -> set[str]:
    """Every character t2s produces from another one."""
    chars = [chr(c) for lo, hi in _HAN_BLOCKS for c in range(lo, hi + 1)]
    return {b for a, b in zip(chars, to_simplified("\n".join(chars)).split("\n"), strict=True) if a != b}


def _read_alike(a: str, b: str, readings: dict[str, str]) -> bool:
    if a not in readings or b not in readings:
        return True  # compatibility-block forms (﨑) carry no reading: nothing says they differ
    return bool(set(readings[a].split()) & set(readings[b].split()))


def build() -> list[tuple[str, str, str]]:
    (standard, common), readings = _standard_levels(), _unihan("Readings", "kMandarin")
    surnames = {char for name in ChineseNames.last_names for char in name}
    excluded = standard | surnames | T2S_KEEP | _simplified_forms()
    candidates: dict[str, dict[str, str]] = defaultdict(dict)  # variant -> standard -> source
    for variant, targets in _unihan_variants().items():
        for target in targets:
            candidates[variant].setdefault(target, "unihan")
    for name in ("JPShinjitaiCharacters", "HKVariantsRev"):
        for variant, target in _opencc_dictionary(name).items():
            candidates[variant].setdefault(target, f"opencc:{name}")
    rows = []
    for variant, targets in sorted(candidates.items()):
        if variant in excluded or _in_gb2312(variant) or to_simplified(variant) != variant:
            continue
        kept = {
            to_simplified(t): (t, source)
            for t, source in sorted(targets.items())  # sorted: the same table on every run
            if to_simplified(t) in common and _read_alike(variant, t, readings)
        }
        if len(kept) == 1:
            target, source = next(iter(kept.values()))
            rows.append((variant, target, source))
    return sorted(rows + _t2s_chains())


def _t2s_chains() -> list[tuple[str, str, str]]:
    """Characters OpenCC's t2s takes two passes to simplify (薴→苧→苎): folded to the chain's end first, so
    normalisation is idempotent (a normalised name normalised again is itself)."""
    chars = [chr(c) for lo, hi in _HAN_BLOCKS for c in range(lo, hi + 1)]
    once = to_simplified("\n".join(chars)).split("\n")
    twice = to_simplified("\n".join(once)).split("\n")
    return [(c, t, "opencc:t2s-twice") for c, o, t in zip(chars, once, twice, strict=True) if o != t]


def main() -> None:
    rows = build()
    lines = ["# variant\tstandard\tsource — generated by bench/build_variant_table.py; do not edit"]
    lines += ["\t".join(row) for row in rows]
    _TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} variants written to {_TARGET}")


if __name__ == "__main__":
    main()
