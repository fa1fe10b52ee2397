"""Distinct-name tables and their blocking keys (vectorised for the list, scalar for queries).

Names are stored once per distinct normalised form (a list of 1 M people has ~0.6 M distinct names),
as ragged code-point arrays, and every blocking key points at a name id; the name → record postings
then give the entries. Namesake counts are kept per name id.

Person keys (matching-notes §1.3): ``pE`` exact name, ``pD`` its 1-deletion neighbourhood (≥ 3
characters), ``pP`` toneless pinyin (surname-aware, plus alternative readings), ``pF`` fuzzy pinyin,
``pQ`` fuzzy-pinyin deletion neighbourhood, ``pM`` parts of ·-separated names.
Organisation keys: ``oC`` name body (core and region-kept core), ``oT`` trade name, ``oP`` pinyin of the
core, ``oD`` deletion neighbourhood of the core (≥ 4 characters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from screening._hashing import (
    hash_deletions,
    hash_insertions,
    hash_ragged,
    hash_text,
    hash_tokens,
    hash_transpositions,
)
from screening._store import I64, U64, Column, hash_strings, ragged_of_strings
from screening.orgname import OrgName
from screening.pinyin import (
    alternate_values,
    fuzzy_values_array,
    plain_values_for_ragged,
    syllable_values,
    tokens_for_values,
    value_tokens,
    values_for_ragged,
)
from screening.scoring import P_EDIT1, P_EXACT, P_FUZZY_PINYIN, P_HOMOPHONE, P_ROMANISED, P_SWAPPED
from screening.text import DOT

CAPPED_TAGS = frozenset({"pD", "pT", "pQ", "oD"})
LEVEL_VERIFY = -3  # probe whose level must be checked on the pair (·-separated parts)


@dataclass(frozen=True)
class KeySet:
    """Blocking keys of one query form: hashes, whether each is subject to the posting cap, and the
    name level a hit on it proves (the keys are built so that a shared key implies the relation)."""

    hashes: list[int]
    capped: list[bool]
    levels: list[int]


class _Keys:
    def __init__(self) -> None:
        self.level: dict[int, int] = {}
        self.capped: dict[int, bool] = {}

    def put(self, tag: str, h: int, level: int) -> None:
        if self.level.get(h, -99) < level:
            self.level[h] = level
        self.capped[h] = self.capped.get(h, True) and tag in CAPPED_TAGS

    def add(self, tag: str, tokens: list[int] | tuple[int, ...], level: int) -> None:
        self.put(tag, hash_tokens(tag, tokens), level)

    def extend(self, tag: str, hashes: list[int], level: int) -> None:
        for h in hashes:
            self.put(tag, h, level)

    def keyset(self) -> KeySet:
        hashes = list(self.level)
        return KeySet(hashes, [self.capped[h] for h in hashes], [self.level[h] for h in hashes])


class PersonTable:
    """Distinct normalised person names: code points and syllable values (ragged, shared offsets)."""

    def __init__(self) -> None:
        self.chars = Column(np.uint32)
        self.values = Column(np.int32)
        self.offsets = Column(np.int64, [0])
        self.counts = Column(np.int32)  # alive records per name (namesakes)
        self.parts: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return self.counts.size

    def append(self, cores: list[str], parts: list[tuple[str, ...]]) -> tuple[U64, I64]:
        """Add names; returns their blocking keys as (hashes, name ids)."""
        first_id = len(self)
        flat, local = ragged_of_strings(cores)
        values = values_for_ragged(flat, local)
        base = int(self.offsets.view[-1])
        self.chars.extend(flat)
        self.values.extend(values)
        self.offsets.extend(local[1:] + base)
        self.counts.extend(np.zeros(len(cores), dtype=np.int32))
        for i, p in enumerate(parts):
            if p:
                self.parts[first_id + i] = p
        keys, rows = _person_keys(flat, local, values, cores, parts)
        return keys, rows + first_id

    def same_names(self, ids: I64, cores: list[str]) -> npt.NDArray[np.bool_]:
        """Whether stored name ``ids[i]`` has exactly the characters of ``cores[i]`` (vectorised)."""
        flat, local = ragged_of_strings(cores)
        lengths = np.diff(local)
        offsets = self.offsets.view
        starts = offsets[ids]
        same = (offsets[ids + 1] - starts) == lengths
        stored = self.chars.view
        if not len(flat) or not len(stored):
            return np.asarray(same & (lengths == 0), dtype=np.bool_)
        position = np.repeat(starts - local[:-1], lengths) + np.arange(len(flat), dtype=np.int64)
        differs = stored[np.minimum(position, len(stored) - 1)] != flat
        rows = np.repeat(np.arange(len(cores), dtype=np.int64), lengths)
        same &= np.bincount(rows[differs], minlength=len(cores)) == 0
        return np.asarray(same, dtype=np.bool_)

    def display(self, name_id: int) -> str:
        parts = self.parts.get(name_id)
        if parts:
            return DOT.join(parts)
        start, stop = self.offsets.data[name_id], self.offsets.data[name_id + 1]
        return self.chars.data[start:stop].tobytes().decode("utf-32-le")

    def nbytes(self) -> int:
        return self.chars.nbytes() + self.values.nbytes() + self.offsets.nbytes() + self.counts.nbytes()


def _person_keys(
    flat: npt.NDArray[np.uint32],
    offsets: I64,
    values: npt.NDArray[np.int32],
    cores: list[str],
    parts: list[tuple[str, ...]],
) -> tuple[U64, I64]:
    chars = flat.astype(np.uint64)
    ptok = tokens_for_values(values)
    ftok = tokens_for_values(values, fuzzy_form=True)
    out_keys: list[U64] = []
    out_rows: list[I64] = []
    for tag, tokens, mode, minimum in (
        ("pE", chars, "whole", 1),
        ("pD", chars, "positional", 3),
        ("pT", chars, "transpositions", 2),
        ("pP", ptok, "whole", 1),
        ("pF", ftok, "whole", 1),
        ("pQ", ftok, "positional", 3),
    ):
        k, r = hash_ragged(tag, tokens, offsets, mode=mode, min_length=minimum)
        out_keys.append(k)
        out_rows.append(r)
    # Alternative readings (heteronym surnames, compound-surname prefixes): a few % of names.
    differs = plain_values_for_ragged(flat) != values
    if differs.any():
        row_of = np.repeat(np.arange(len(cores)), np.diff(offsets))
        extra_keys: list[int] = []
        extra_rows: list[int] = []
        for row in np.unique(row_of[differs]).tolist():
            for alternative in alternate_values(cores[row]):
                extra_keys.append(hash_tokens("pP", value_tokens(alternative)))
                extra_rows.append(row)
        out_keys.append(np.array(extra_keys, dtype=np.uint64))
        out_rows.append(np.array(extra_rows, dtype=np.int64))
    part_keys: list[int] = []
    part_rows: list[int] = []
    for row, p in enumerate(parts):
        for part in dict.fromkeys(p):
            if len(part) >= 2:
                part_keys.append(hash_text("pM", part))
                part_rows.append(row)
    if part_keys:
        out_keys.append(np.array(part_keys, dtype=np.uint64))
        out_rows.append(np.array(part_rows, dtype=np.int64))
    return np.concatenate(out_keys), np.concatenate(out_rows)


def person_query_keys(core: str, parts: tuple[str, ...]) -> tuple[KeySet, list[int]]:
    """Keys a Han (or Latin-script) query name probes, with the level each proves; and its
    syllable values. No fuzzy-pinyin deletion keys: the character keys find every one-character
    edit, and the pinyin ones would only add "homophone + another edit" pairs at 5× the postings."""
    values = syllable_values(core)
    chars = [ord(c) for c in core]
    keys = _Keys()
    keys.add("pE", chars, P_EXACT)
    keys.add("pP", value_tokens(values), P_HOMOPHONE)
    keys.add("pF", value_tokens(values, fuzzy_form=True), P_FUZZY_PINYIN)
    if len(chars) >= 2:
        keys.extend("pD", hash_insertions("pD", chars), P_EDIT1)  # listed names one character longer
        keys.extend("pT", hash_transpositions("pT", chars), P_SWAPPED)
    if len(chars) >= 3:
        keys.extend("pD", hash_deletions("pD", chars, positional=True), P_EDIT1)  # one substitution
        keys.extend("pE", hash_deletions("pE", chars), P_EDIT1)  # listed names one character shorter
    for part in parts:
        if len(part) >= 2:
            keys.put("pM", hash_text("pM", part), LEVEL_VERIFY)
    return keys.keyset(), values


_PROBES = (  # (tag, token kind, mode, minimum length, level) — as person_query_keys() makes them
    ("pE", "chars", "whole", 1, P_EXACT),
    ("pP", "plain", "whole", 1, P_HOMOPHONE),
    ("pF", "fuzzy", "whole", 1, P_FUZZY_PINYIN),
    ("pD", "chars", "insertions", 2, P_EDIT1),
    ("pT", "chars", "transpositions", 2, P_SWAPPED),
    ("pD", "chars", "positional", 3, P_EDIT1),
    ("pE", "chars", "deletions", 3, P_EDIT1),
)


def person_query_keys_many(
    cores: list[str], values: list[list[int]], parts: list[tuple[str, ...]]
) -> tuple[U64, npt.NDArray[np.bool_], npt.NDArray[np.int8], I64]:
    """:func:`person_query_keys` for many names at once (vectorised; the same keys, levels and cap
    flags): returns (hashes, capped, levels, row of the name)."""
    flat, offsets = ragged_of_strings(cores)
    value_flat = np.array([v for row in values for v in row], dtype=np.int32)
    tokens = {
        "chars": flat.astype(np.uint64),
        "plain": tokens_for_values(value_flat),
        "fuzzy": tokens_for_values(value_flat, fuzzy_form=True),
    }
    keys: list[U64] = []
    rows: list[I64] = []
    levels: list[npt.NDArray[np.int8]] = []
    capped: list[npt.NDArray[np.bool_]] = []
    for tag, kind, mode, minimum, level in _PROBES:
        k, r = hash_ragged(tag, tokens[kind], offsets, mode=mode, min_length=minimum)
        keys.append(k)
        rows.append(r)
        levels.append(np.full(len(k), level, dtype=np.int8))
        capped.append(np.full(len(k), tag in CAPPED_TAGS, dtype=np.bool_))
    part_keys = [(hash_text("pM", part), row) for row, p in enumerate(parts) for part in p if len(part) >= 2]
    if part_keys:
        keys.append(np.array([h for h, _ in part_keys], dtype=np.uint64))
        rows.append(np.array([r for _, r in part_keys], dtype=np.int64))
        levels.append(np.full(len(part_keys), LEVEL_VERIFY, dtype=np.int8))
        capped.append(np.zeros(len(part_keys), dtype=np.bool_))
    h, row = np.concatenate(keys), np.concatenate(rows)
    lv, cap = np.concatenate(levels), np.concatenate(capped)
    # One probe per (name, hash): the best level; capped only if every key giving it is.
    order = np.lexsort((h, row))
    h, row, lv, cap = h[order], row[order], lv[order], cap[order]
    first = np.flatnonzero(np.concatenate([[True], (h[1:] != h[:-1]) | (row[1:] != row[:-1])]))
    return (
        h[first],
        np.minimum.reduceat(cap.astype(np.uint8), first).astype(np.bool_) if len(first) else cap[first],
        np.maximum.reduceat(lv, first) if len(first) else lv[first],
        row[first],
    )


def romanised_query_keys(values: list[int]) -> KeySet:
    """Keys a romanised reading (syllable values) probes: equal pinyin, fuzzy pinyin, one syllable."""
    ftok = value_tokens(values, fuzzy_form=True)
    keys = _Keys()
    keys.add("pP", value_tokens(values), P_ROMANISED)
    keys.add("pF", ftok, P_FUZZY_PINYIN)
    if len(ftok) >= 2:
        keys.extend("pQ", hash_insertions("pQ", ftok), P_EDIT1)
    if len(ftok) >= 3:
        keys.extend("pQ", hash_deletions("pQ", ftok, positional=True), P_EDIT1)
        keys.extend("pF", hash_deletions("pF", ftok), P_EDIT1)
    return keys.keyset()


# --- organisations ---------------------------------------------------------------------------------


def region_int(code: str) -> int:
    return int(code) if code else 0


class OrgTable:
    """Distinct normalised company names: core code points plus per-name comparison hashes."""

    def __init__(self) -> None:
        self.chars = Column(np.uint32)
        self.offsets = Column(np.int64, [0])
        self.uchars = Column(np.uint32)  # region-kept body (ucore)
        self.uoffsets = Column(np.int64, [0])
        self.counts = Column(np.int32)
        self.full_hash = Column(np.uint64)
        self.core_hash = Column(np.uint64)
        self.ucore_hash = Column(np.uint64)
        self.trade_hash = Column(np.uint64)
        self.pinyin_hash = Column(np.uint64)
        self.region = Column(np.int32)
        self.legal_form = Column(np.int32)
        self.branch = Column(np.bool_)
        self.display_names: list[str] = []
        self.legal_forms: dict[str, int] = {"": 0}

    def __len__(self) -> int:
        return self.counts.size

    def append(self, names: list[OrgName]) -> tuple[U64, I64]:
        first_id = len(self)
        cores = [n.core for n in names]
        flat, local = ragged_of_strings(cores)
        base = int(self.offsets.view[-1])
        self.chars.extend(flat)
        self.offsets.extend(local[1:] + base)
        self.counts.extend(np.zeros(len(names), dtype=np.int32))
        core_h = hash_strings("oC", cores)
        ucores = [n.ucore for n in names]
        u_all, u_local_all = ragged_of_strings(ucores)
        u_base = int(self.uoffsets.view[-1])
        self.uchars.extend(u_all)
        self.uoffsets.extend(u_local_all[1:] + u_base)
        ucore_h = hash_strings("oC", ucores)
        trades = [n.trade for n in names]
        trade_h = hash_strings("oT", trades)
        values = plain_values_for_ragged(flat)
        pin_k, pin_r = hash_ragged("oP", tokens_for_values(values), local, min_length=2)
        pinyin_h = np.zeros(len(names), dtype=np.uint64)
        pinyin_h[pin_r] = pin_k
        self.full_hash.extend(hash_strings("of", [n.full for n in names]))
        self.core_hash.extend(core_h)
        self.ucore_hash.extend(ucore_h)
        self.trade_hash.extend(trade_h)
        self.pinyin_hash.extend(pinyin_h)
        self.region.extend(np.array([region_int(n.region_code) for n in names], dtype=np.int32))
        self.legal_form.extend(
            np.array(
                [self.legal_forms.setdefault(n.legal_form, len(self.legal_forms)) for n in names], np.int32
            )
        )
        self.branch.extend(np.array([bool(n.branch) for n in names], dtype=np.bool_))
        self.display_names.extend(n.full for n in names)
        rows = np.arange(len(names), dtype=np.int64)
        core_len = np.diff(local)
        ucore_differs = ucore_h != core_h
        trade_ok = np.fromiter(map(len, trades), dtype=np.int64, count=len(trades)) >= 2
        del_k, del_r = hash_ragged("oD", flat.astype(np.uint64), local, mode="deletions", min_length=4)
        # The region-kept body too, so a typo inside a region prefix (内蒙古 → 内蒙病) is still one edit.
        u_rows = np.flatnonzero(ucore_differs)
        if len(u_rows):
            u_flat, u_local = ragged_of_strings([ucores[i] for i in u_rows.tolist()])
            u_k, u_r = hash_ragged("oD", u_flat.astype(np.uint64), u_local, mode="deletions", min_length=4)
            del_k = np.concatenate([del_k, u_k])
            del_r = np.concatenate([del_r, u_rows[u_r]])
        keys = np.concatenate(
            [
                core_h[core_len >= 1],
                ucore_h[ucore_differs],
                trade_h[trade_ok],
                pin_k,
                del_k,
            ]
        )
        ids = np.concatenate([rows[core_len >= 1], rows[ucore_differs], rows[trade_ok], pin_r, del_r])
        return keys, ids + first_id

    def display(self, name_id: int) -> str:
        return self.display_names[name_id]

    def nbytes(self) -> int:
        columns = (
            self.chars,
            self.offsets,
            self.uchars,
            self.uoffsets,
            self.counts,
            self.full_hash,
            self.core_hash,
            self.ucore_hash,
            self.trade_hash,
            self.pinyin_hash,
            self.region,
            self.legal_form,
            self.branch,
        )
        return sum(c.nbytes() for c in columns)


@dataclass(frozen=True)
class OrgQueryForm:
    """Comparison values of a company-name query."""

    name: OrgName
    keys: KeySet
    full_hash: int
    core_hash: int
    ucore_hash: int
    trade_hash: int
    core_as_trade: int
    pinyin_hash: int
    region: int


def org_query_form(name: OrgName) -> OrgQueryForm:
    core = name.core
    chars = [ord(c) for c in core]
    keys = _Keys()
    core_h = hash_text("oC", core)
    ucore_h = hash_text("oC", name.ucore)
    trade_h = hash_text("oT", name.trade)
    core_as_trade = hash_text("oT", core)
    values = plain_values_for_ragged(np.array(chars, dtype=np.uint32))
    pinyin_h = hash_tokens("oP", value_tokens(values.tolist())) if len(core) >= 2 else 0
    for h in (core_h, ucore_h, trade_h, core_as_trade):
        keys.put("oC", h, 0)
    if pinyin_h:
        keys.put("oP", pinyin_h, 0)
    bodies = [chars] if name.ucore == core else [chars, [ord(c) for c in name.ucore]]
    for body in bodies:
        if len(body) >= 3:
            keys.add("oD", body, 0)  # listed bodies one character longer
        if len(body) >= 4:
            keys.extend("oD", hash_deletions("oD", body), 0)
            keys.extend("oC", hash_deletions("oC", body), 0)
    return OrgQueryForm(
        name,
        keys.keyset(),
        hash_text("of", name.full),
        core_h,
        ucore_h,
        trade_h,
        core_as_trade,
        pinyin_h,
        region_int(name.region_code),
    )


def fuzzy_of(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Fuzzy classes of a padded matrix of syllable values (pads are negative and kept)."""
    return fuzzy_values_array(values.astype(np.int32)).astype(np.int64)
