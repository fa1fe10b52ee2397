"""The in-memory screening index: build, incremental updates, and (batched) queries.

Layout
------
* **Entries** (one per list subject) own **records**: the entry's name, each alias, and for an
  organisation each key person. A record points at a distinct normalised name in a name table
  (:mod:`screening._tables`) and carries the record's identifier encodings.
* **Blocking keys** (name table) and **identifier keys** (records) live in :class:`KeyIndex`: an
  immutable CSR base (sorted uint64 keys, offsets, int32 postings) plus a small mutable delta dict.
* **Updates**: :meth:`ScreeningIndex.add` appends names/records and puts their keys in the delta;
  :meth:`~ScreeningIndex.remove` sets tombstones (entry and record ``alive`` flags) and decrements
  namesake counts; :meth:`~ScreeningIndex.replace` is remove + add. Every query filters on the
  tombstones, so each change takes effect for the very next query. :meth:`~ScreeningIndex.compact`
  merges the deltas into new CSR bases and drops tombstoned postings (optional; call it after many
  updates, e.g. nightly).

Building
--------
:meth:`ScreeningIndex.build` encodes :data:`BUILD_CHUNK` entries at a time: names are deduplicated
across chunks by the hash of their exact key (verified character by character), and each chunk's
keys and ids go into compact arrays; at the end every CSR base is sorted from those chunks one key
bucket at a time (:func:`screening._store.csr_from_parts`), so no Python object per key and no
full-size sort permutation ever exists. Peak memory stays close to the finished index (10 M
entries: ~3.4 GiB resident, ~4.1 GiB at the peak with the compact synthetic input).

Query
-----
A batch of queries runs as arrays of (query, candidate) pairs: key lookup → name-level verification
(equal / homophone / fuzzy / one edit, on padded matrices) → expansion to records → identifier
evidence → weights and band rules (:mod:`screening.scoring`) → best record per entry → namesake
collapse (:attr:`screening.model.Query.namesake_limit`) → top ``limit``. A single query is a batch
of one, so both paths give identical results.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctions.identifiers import mask_resident_id
from screening import scoring
from screening._hashing import hash_text
from screening._store import (
    I64,
    U64,
    Column,
    HashLookup,
    KeyIndex,
    StringColumn,
    equal_rows,
    hash_strings,
    padded,
    release_free_memory,
    within_one_edit,
)
from screening._tables import (
    LEVEL_VERIFY,
    OrgQueryForm,
    OrgTable,
    PersonTable,
    fuzzy_of,
    org_query_form,
    person_query_keys,
    person_query_keys_many,
    romanised_query_keys,
)
from screening.identifiers import (
    PERSON_FULL,
    PERSON_MASKED,
    PUBLIC_MASK,
    IdentifierKind,
    QueryIdentifier,
    decode_person_id,
    org_code_key,
    org_exact_key,
    org_id_column,
    parse_query_identifier,
    person_exact_key,
    person_id_column,
    person_mask_key,
)
from screening.model import Band, Entry, Feature, Kind, Match, NormalisedQuery, Query, Result
from screening.orgname import OrgName, parse_org_name, parse_org_names, regions_compatible
from screening.pinyin import parse_romanised, syllable_values, tables
from screening.scoring import (
    ID_CONFLICT,
    ID_EXACT,
    ID_MASK_COMPATIBLE,
    ID_MASK_CONFLICT,
    ID_MASK_TOO_FEW,
    ID_MISSING,
    ID_QUERY_INVALID,
    ID_TYPO,
    O_CORE,
    O_EDIT1,
    O_EXACT,
    O_HOMOPHONE,
    O_OTHER,
    O_TRADE,
    P_EDIT1,
    P_EXACT,
    P_FUZZY_PINYIN,
    P_HOMOPHONE,
    P_NONE,
    P_OTHER,
    P_REORDERED,
    P_ROMANISED,
    P_SWAPPED,
    IdLevel,
    OrgLevel,
    PersonLevel,
)
from screening.text import DOT, HAN_RE, normalise_many, person_name

POSTING_CAP = 2000  # deletion-key postings longer than this are skipped (matching-notes §1.3)
BATCH_CHUNK = 512  # queries processed together in query_batch
BUILD_CHUNK = 200_000  # entries encoded together by ScreeningIndex.build (bounds its transient memory)
VECTORISED_KEYS = 16  # a batch with at least this many person names hashes their probe keys with numpy
KEY_INDEXES = ("_person_records", "_org_records", "_entry_hash", "_id_keys", "_org_keys", "_person_keys")
ROLE_NAME, ROLE_ALIAS, ROLE_KEY_PERSON = 0, 1, 2
ROLE_NAMES = ("name", "alias", "key_person")
TABLE_PERSON, TABLE_ORG = 0, 1
_EMPTY = np.zeros(0, dtype=np.int64)
_PERSON_LABELS = {int(k): k.name.lower() for k in PersonLevel}
_ORG_LABELS = {int(k): k.name.lower() for k in OrgLevel}
_PERSON_WEIGHTS = {int(k): v for k, v in scoring.PERSON_NAME_WEIGHTS.items()}
_ORG_WEIGHTS = {int(k): v for k, v in scoring.ORG_NAME_WEIGHTS.items()}
_ID_LEVELS = {int(k): k for k in IdLevel}
_BANDS = (Band.CLEAR, Band.REVIEW, Band.MATCH)


@dataclass
class _Records:
    entry: Column = field(default_factory=lambda: Column(np.int32))
    role: Column = field(default_factory=lambda: Column(np.int8))
    table: Column = field(default_factory=lambda: Column(np.int8))
    name: Column = field(default_factory=lambda: Column(np.int32))
    alive: Column = field(default_factory=lambda: Column(np.bool_))
    pstate: Column = field(default_factory=lambda: Column(np.int8))
    pvalue: Column = field(default_factory=lambda: Column(np.uint64))
    exact: Column = field(default_factory=lambda: Column(np.uint64))
    mask: Column = field(default_factory=lambda: Column(np.uint64))
    okey: Column = field(default_factory=lambda: Column(np.uint64))
    org_valid: Column = field(default_factory=lambda: Column(np.bool_))
    id_invalid: Column = field(default_factory=lambda: Column(np.bool_))

    def columns(self) -> list[Column]:
        return [getattr(self, f) for f in self.__dataclass_fields__]

    @property
    def size(self) -> int:
        return self.entry.size


@dataclass
class _Pending:
    """Columns of entries being added, before they are encoded in bulk."""

    entry_ids: list[str] = field(default_factory=list)
    entry_kinds: list[int] = field(default_factory=list)
    rec_entry: list[int] = field(default_factory=list)
    rec_role: list[int] = field(default_factory=list)
    rec_table: list[int] = field(default_factory=list)
    rec_raw_name: list[str] = field(default_factory=list)
    rec_identifier: list[str | None] = field(default_factory=list)


class ScreeningIndex:
    """Screen names and identifiers against a list (see the module docstring).

    Thread-safe: updates and queries share one lock (the work is CPU-bound under the GIL anyway), so
    every query sees the index either before or after an update, never half-way.
    """

    def __init__(self) -> None:
        self._persons = PersonTable()
        self._orgs = OrgTable()
        self._person_keys = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._org_keys = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._person_records = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._org_records = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._id_keys = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._records = _Records()
        self._entry_ids = StringColumn()
        self._entry_kind = Column(np.int8)
        self._entry_alive = Column(np.bool_)
        self._entry_first = Column(np.int64)
        self._entry_stop = Column(np.int64)
        self._entry_hash = KeyIndex(np.zeros(0, np.uint64), np.zeros(0, np.int64))
        self._alive_entries = 0
        self._generation = 0
        self._lock = threading.RLock()
        # While build() runs: key/id chunks waiting to become CSR bases, and name hashes seen so far.
        self._staged: dict[str, list[tuple[U64, npt.NDArray[np.integer[Any]]]]] | None = None
        self._person_lookup = HashLookup()
        self._org_lookup = HashLookup()

    # --- building and updating -----------------------------------------------------------------

    @classmethod
    def build(
        cls, entries: Iterable[Entry], *, progress: Callable[[str], None] | None = None
    ) -> ScreeningIndex:
        """Build an index from entries (any iterable; consumed once, entries are not retained).

        Memory stays close to the finished index's: entries are encoded :data:`BUILD_CHUNK` at a
        time into compact key/id arrays, which are sorted into the CSR bases at the end, one index
        and one key bucket at a time (:func:`screening._store.csr_from_parts`). ``progress`` is
        called with the name of each stage as it starts ("encode", "index _person_keys" …,
        "check entry ids", "done"), e.g. to measure the time and peak memory of each.
        """
        stage = progress or (lambda _name: None)
        index = cls()
        index._staged = {attribute: [] for attribute in KEY_INDEXES}
        stage("encode")
        pending = _Pending()
        for entry in entries:
            _collect(entry, len(index._entry_ids) + len(pending.entry_ids), pending)
            if len(pending.entry_ids) >= BUILD_CHUNK:
                index._encode(pending)
                pending = _Pending()
                release_free_memory()
        if pending.entry_ids:
            index._encode(pending)
        del pending
        staged = index._staged
        index._staged = None
        index._person_lookup = index._org_lookup = HashLookup()
        for attribute in KEY_INDEXES:
            release_free_memory()
            stage(f"index {attribute}")
            setattr(index, attribute, KeyIndex.from_parts(staged.pop(attribute)))
        stage("check entry ids")
        index._check_unique_ids()
        index._generation = 0
        release_free_memory()
        stage("done")
        return index

    def add(self, entry: Entry) -> None:
        """Add one entry; raises ValueError if its ``entry_id`` is already listed."""
        with self._lock:
            self._ingest([entry])

    def add_many(self, entries: Iterable[Entry]) -> None:
        """Add several entries in one step (cheaper than repeated :meth:`add`)."""
        with self._lock:
            self._ingest(entries)

    def remove(self, entry_id: str) -> None:
        """Remove an entry (tombstone); raises KeyError if it is not listed."""
        with self._lock:
            position = self._find(entry_id)
            if position < 0:
                raise KeyError(entry_id)
            self._tombstone(position)
            self._generation += 1

    def replace(self, entry: Entry) -> None:
        """Replace the entry with the same ``entry_id`` (or add it if absent)."""
        with self._lock:
            position = self._find(entry.entry_id)
            if position >= 0:
                self._tombstone(position)
            self._ingest([entry])

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and self._find(entry_id) >= 0

    def __len__(self) -> int:
        return self._alive_entries

    @property
    def generation(self) -> int:
        """Incremented by every add / remove / replace (reported in each Result)."""
        return self._generation

    def _find(self, entry_id: str) -> int:
        key = int(hash_strings("entry", [entry_id])[0])
        for position in self._entry_hash.get(key).tolist():
            if self._entry_alive.data[position] and self._entry_ids[position] == entry_id:
                return int(position)
        return -1

    def _tombstone(self, position: int) -> None:
        self._entry_alive.data[position] = False
        start, stop = int(self._entry_first.data[position]), int(self._entry_stop.data[position])
        rec = self._records
        rec.alive.data[start:stop] = False
        for r in range(start, stop):
            table = self._persons if rec.table.data[r] == TABLE_PERSON else self._orgs
            table.counts.data[rec.name.data[r]] -= 1
        self._alive_entries -= 1

    def _ingest(self, entries: Iterable[Entry]) -> None:
        pending = _Pending()
        seen: set[str] = set()
        first_entry = len(self._entry_ids)
        for entry in entries:
            if entry.entry_id in seen or self._find(entry.entry_id) >= 0:
                raise ValueError(_already_listed(entry.entry_id))
            seen.add(entry.entry_id)
            _collect(entry, first_entry + len(pending.entry_ids), pending)
        if not pending.entry_ids:
            return
        self._encode(pending)
        self._generation += 1

    def _check_unique_ids(self) -> None:
        """After a bulk build: entry ids sharing a hash must differ (else the list repeats an id)."""
        index = self._entry_hash
        for k in np.flatnonzero(np.diff(index.offsets) > 1).tolist():
            positions = index.postings[index.offsets[k] : index.offsets[k + 1]].tolist()
            ids = [self._entry_ids[p] for p in positions]
            if len(set(ids)) < len(ids):
                raise ValueError(_already_listed(next(i for i in ids if ids.count(i) > 1)))

    def _encode(self, p: _Pending) -> None:
        rec_table = np.array(p.rec_table, dtype=np.int8)
        n_rec = len(p.rec_entry)
        rec_name = np.zeros(n_rec, dtype=np.int32)
        person_rows = np.flatnonzero(rec_table == TABLE_PERSON)
        org_rows = np.flatnonzero(rec_table == TABLE_ORG)
        new_person_keys: list[tuple[U64, I64]] = []
        new_org_keys: list[tuple[U64, I64]] = []
        if len(person_rows):
            ids, keys = self._person_name_ids([p.rec_raw_name[i] for i in person_rows])
            rec_name[person_rows] = ids
            new_person_keys.append(keys)
        if len(org_rows):
            ids, keys = self._org_name_ids([p.rec_raw_name[i] for i in org_rows])
            rec_name[org_rows] = ids
            new_org_keys.append(keys)
        # Drop records that repeat a name already recorded for the same entry (alias = name …).
        rec_entry = np.array(p.rec_entry, dtype=np.int64)
        combo = (rec_entry << 33) | (rec_table.astype(np.int64) << 32) | rec_name.astype(np.int64)
        _, first = np.unique(combo, return_index=True)
        keep = np.zeros(n_rec, dtype=np.bool_)
        keep[first] = True
        rows = np.flatnonzero(keep)
        first_record = self._records.size
        person_ids = person_id_column(
            [p.rec_identifier[i] if p.rec_table[i] == TABLE_PERSON else None for i in rows.tolist()]
        )
        org_ids = org_id_column(
            [p.rec_identifier[i] if p.rec_table[i] == TABLE_ORG else None for i in rows.tolist()]
        )
        rec = self._records
        rec.entry.extend(rec_entry[rows])
        rec.role.extend(np.array(p.rec_role, dtype=np.int8)[rows])
        rec.table.extend(rec_table[rows])
        rec.name.extend(rec_name[rows])
        rec.alive.extend(np.ones(len(rows), dtype=np.bool_))
        rec.pstate.extend(person_ids.state)
        rec.pvalue.extend(person_ids.value)
        rec.exact.extend(np.where(org_ids.valid, org_ids.exact_key, person_ids.exact_key))
        rec.mask.extend(person_ids.mask_key)
        rec.okey.extend(org_ids.org_key)
        rec.org_valid.extend(org_ids.valid)
        rec.id_invalid.extend(person_ids.invalid | org_ids.invalid)
        record_ids = np.arange(first_record, first_record + len(rows), dtype=np.int64)
        tables_of = rec_table[rows]
        names_of = rec_name[rows].astype(np.int64)
        for table, target, records_index in (
            (TABLE_PERSON, self._persons, "_person_records"),
            (TABLE_ORG, self._orgs, "_org_records"),
        ):
            sel = tables_of == table
            np.add.at(target.counts.data, names_of[sel], 1)
            self._insert(records_index, names_of[sel].astype(np.uint64), record_ids[sel])
        exact = rec.exact.view[first_record:]
        mask = rec.mask.view[first_record:]
        okey = rec.okey.view[first_record:]
        id_keys = np.concatenate([exact[exact != 0], mask[mask != 0], okey[(okey != 0) & (okey != exact)]])
        id_recs = np.concatenate(
            [record_ids[exact != 0], record_ids[mask != 0], record_ids[(okey != 0) & (okey != exact)]]
        )
        self._insert("_id_keys", id_keys, id_recs)
        for name_keys, name_ids in new_person_keys:
            self._insert("_person_keys", name_keys, name_ids)
        for name_keys, name_ids in new_org_keys:
            self._insert("_org_keys", name_keys, name_ids)
        # Entries.
        n_entries = len(p.entry_ids)
        first_entry = len(self._entry_ids)
        starts = np.full(n_entries, first_record + len(rows), dtype=np.int64)
        local_entry = rec_entry[rows] - first_entry
        np.minimum.at(starts, local_entry, record_ids)
        stops = np.zeros(n_entries, dtype=np.int64)
        np.maximum.at(stops, local_entry, record_ids + 1)
        stops = np.maximum(stops, starts)
        self._entry_ids.extend(p.entry_ids)
        self._entry_kind.extend(np.array(p.entry_kinds, dtype=np.int8))
        self._entry_alive.extend(np.ones(n_entries, dtype=np.bool_))
        self._entry_first.extend(starts)
        self._entry_stop.extend(stops)
        hashes = hash_strings("entry", p.entry_ids)
        self._insert("_entry_hash", hashes, np.arange(first_entry, first_entry + n_entries))
        self._alive_entries += n_entries

    def _insert(self, attribute: str, keys: U64, ids: npt.NDArray[np.integer[Any]]) -> None:
        if self._staged is not None:  # building: the CSR bases are made at the end
            self._staged[attribute].append((keys, ids.astype(np.int32)))
        else:
            index: KeyIndex = getattr(self, attribute)
            index.add(keys, ids)

    def _person_name_ids(self, raw: list[str]) -> tuple[npt.NDArray[np.int32], tuple[U64, I64]]:
        distinct_raw: dict[str, int] = {}
        raw_ids = np.fromiter(
            (distinct_raw.setdefault(r, len(distinct_raw)) for r in raw), np.int64, len(raw)
        )
        normalised = normalise_many(list(distinct_raw), person=True)
        del distinct_raw
        cores: list[str] = []
        parts: list[tuple[str, ...]] = []
        core_of: dict[str, int] = {}
        norm_ids = np.empty(len(normalised), dtype=np.int64)
        for i, s in enumerate(normalised):
            core = _person_core(s)
            j = core_of.get(core)
            if j is None:
                j = core_of[core] = len(cores)
                cores.append(core)
                parts.append(tuple(x for x in s.split(DOT) if x) if DOT in s else ())
            norm_ids[i] = j
        del normalised, core_of
        hashes: U64 | None = None
        if self._staged is not None:
            # Building: names seen in earlier chunks are found by the hash of their exact key.
            hashes = hash_strings("pE", cores)
            name_ids = self._person_lookup.find(hashes)
            hit = np.flatnonzero(name_ids >= 0)
            if len(hit):
                same = self._persons.same_names(name_ids[hit], [cores[j] for j in hit.tolist()])
                name_ids[hit[~same]] = -1  # a 64-bit hash collision: another name
        else:
            name_ids = np.array([self._existing_person(core) for core in cores], dtype=np.int64)
        fresh = np.flatnonzero(name_ids < 0)
        first = len(self._persons)
        keys, ids = self._persons.append(
            [cores[j] for j in fresh.tolist()], [parts[j] for j in fresh.tolist()]
        )
        name_ids[fresh] = np.arange(first, first + len(fresh))
        if hashes is not None:
            self._person_lookup.add(hashes[fresh], name_ids[fresh])
        return name_ids[norm_ids[raw_ids]].astype(np.int32), (keys, ids)

    def _existing_person(self, core: str) -> int:
        for name_id in self._person_keys.get(hash_text("pE", core)).tolist():
            if self._persons.display(name_id).replace(DOT, "") == core:
                return int(name_id)
        return -1

    def _existing_org(self, org: OrgName) -> int:
        full_hash = hash_text("of", org.full)
        for name_id in self._org_keys.get(hash_text("oC", org.core)).tolist():
            if self._orgs.full_hash.data[name_id] == full_hash and self._orgs.display(name_id) == org.full:
                return int(name_id)
        return -1

    def _org_name_ids(self, raw: list[str]) -> tuple[npt.NDArray[np.int32], tuple[U64, I64]]:
        distinct_raw: dict[str, int] = {}
        raw_ids = np.fromiter(
            (distinct_raw.setdefault(r, len(distinct_raw)) for r in raw), np.int64, len(raw)
        )
        parsed = parse_org_names(list(distinct_raw))
        del distinct_raw
        by_full: dict[str, int] = {}
        names: list[OrgName] = []
        norm_ids = np.empty(len(parsed), dtype=np.int64)
        for i, org in enumerate(parsed):
            j = by_full.get(org.full)
            if j is None:
                j = by_full[org.full] = len(names)
                names.append(org)
            norm_ids[i] = j
        del parsed, by_full
        hashes: U64 | None = None
        if self._staged is not None:
            hashes = hash_strings("of", [org.full for org in names])
            name_ids = self._org_lookup.find(hashes)
            for j in np.flatnonzero(name_ids >= 0).tolist():
                if self._orgs.display(int(name_ids[j])) != names[j].full:
                    name_ids[j] = -1  # a 64-bit hash collision: another name
        else:
            name_ids = np.array([self._existing_org(org) for org in names], dtype=np.int64)
        fresh = np.flatnonzero(name_ids < 0)
        first = len(self._orgs)
        keys, ids = self._orgs.append([names[j] for j in fresh.tolist()])
        name_ids[fresh] = np.arange(first, first + len(fresh))
        if hashes is not None:
            self._org_lookup.add(hashes[fresh], name_ids[fresh])
        return name_ids[norm_ids[raw_ids]].astype(np.int32), (keys, ids)

    def names_of(self, entry_id: str) -> tuple[str, ...]:
        """The distinct names of a listed entry's records, as matches report them (``matched_name``)."""
        with self._lock:
            position = self._find(entry_id)
            if position < 0:
                raise KeyError(entry_id)
            rec = self._records
            names: dict[str, None] = {}
            for r in range(int(self._entry_first.data[position]), int(self._entry_stop.data[position])):
                table = self._persons if rec.table.data[r] == TABLE_PERSON else self._orgs
                names[table.display(int(rec.name.data[r]))] = None
            return tuple(names)

    def namesakes_of(self, entry_id: str, name: str) -> tuple[str, ...]:
        """The listed entries (``entry_id`` included) with a record bearing exactly this name of the entry,
        as a match reports it (``matched_name``): those :attr:`Match.namesakes` counts, for a caller that
        counts only some of them (a partner's sector)."""
        with self._lock:
            position = self._find(entry_id)
            if position < 0:
                raise KeyError(entry_id)
            rec = self._records
            for r in range(int(self._entry_first.data[position]), int(self._entry_stop.data[position])):
                person = rec.table.data[r] == TABLE_PERSON
                name_id = int(rec.name.data[r])
                if (self._persons if person else self._orgs).display(name_id) != name:
                    continue
                records = (self._person_records if person else self._org_records).get(name_id)
                entries = np.unique(rec.entry.view[records[rec.alive.view[records]]])
                return tuple(self._entry_ids[int(e)] for e in entries.tolist())
            raise KeyError(name)

    def compact(self) -> None:
        """Merge the update deltas into the CSR bases and drop postings of removed records/names."""
        with self._lock:
            rec = self._records
            alive = rec.alive.view.copy()
            self._person_records = self._person_records.compacted(alive)
            self._org_records = self._org_records.compacted(alive)
            self._id_keys = self._id_keys.compacted(alive)
            self._person_keys = self._person_keys.compacted(self._persons.counts.view > 0)
            self._org_keys = self._org_keys.compacted(self._orgs.counts.view > 0)
            self._entry_hash = self._entry_hash.compacted(self._entry_alive.view.copy())

    def memory_bytes(self) -> int:
        """Bytes held in numpy arrays, entry ids included (excludes the organisation display names)."""
        indexes = (self._person_keys, self._org_keys, self._person_records, self._org_records, self._id_keys)
        total = sum(i.nbytes() for i in indexes) + self._entry_hash.nbytes()
        total += self._persons.nbytes() + self._orgs.nbytes() + self._entry_ids.nbytes()
        total += sum(c.nbytes() for c in self._records.columns())
        total += sum(
            c.nbytes() for c in (self._entry_kind, self._entry_alive, self._entry_first, self._entry_stop)
        )
        return int(total)

    # --- querying ------------------------------------------------------------------------------

    def query(self, query: Query) -> Result:
        """Screen one query."""
        return self.query_batch([query])[0]

    def query_batch(self, queries: Sequence[Query]) -> list[Result]:
        """Screen many queries; results are identical to calling :meth:`query` on each."""
        results: list[Result] = []
        for start in range(0, len(queries), BATCH_CHUNK):
            with self._lock:  # a chunk sees one consistent state of the index
                results.extend(_Batch(self, queries[start : start + BATCH_CHUNK]).run())
        return results


def _already_listed(entry_id: str) -> str:
    return f"entry {entry_id!r} is already listed; use replace()"


def _person_core(normalised: str) -> str:
    if HAN_RE.search(normalised):
        return normalised.replace(DOT, "").replace(" ", "")
    return normalised


def _collect(entry: Entry, position: int, p: _Pending) -> None:
    kind = entry.kind
    if kind is not Kind.PERSON and kind is not Kind.ORGANISATION:
        kind = Kind(kind)  # a plain string (validated)
    table = TABLE_PERSON if kind is Kind.PERSON else TABLE_ORG
    p.entry_ids.append(entry.entry_id)
    p.entry_kinds.append(table)
    rec_entry, rec_role, rec_table = p.rec_entry.append, p.rec_role.append, p.rec_table.append
    rec_name, rec_identifier = p.rec_raw_name.append, p.rec_identifier.append
    identifier = entry.identifier
    role = ROLE_NAME
    for name in (entry.name, *entry.aliases):
        if name and not name.isspace():
            rec_entry(position)
            rec_role(role)
            rec_table(table)
            rec_name(name)
            rec_identifier(identifier)
        role = ROLE_ALIAS
    for person in entry.key_persons:
        if person.name and not person.name.isspace():
            rec_entry(position)
            rec_role(ROLE_KEY_PERSON)
            rec_table(TABLE_PERSON)
            rec_name(person.name)
            rec_identifier(person.identifier)


# --- the batch query engine ---------------------------------------------------------------------------


@dataclass
class _PreparedQuery:
    query: Query
    normalised: NormalisedQuery
    qid: QueryIdentifier | None
    person_forms: list[tuple[list[int], list[int], bool]]  # (chars, syllable values, romanised)
    key_forms: list[tuple[str, list[int], tuple[str, ...]]]  # keys made per batch: (core, values, parts)
    person_keys: list[tuple[list[int], list[bool], list[int]]]  # keys of romanised readings
    parts: tuple[str, ...]
    traditional: bool
    org: OrgQueryForm | None
    has_name: bool
    id_kind: int = 0  # persons: 0 none, 1 full resident ID, 2 public mask, 3 other mask, 4 invalid
    id_exact: int = 0
    id_mask: int = 0
    id_typos: frozenset[int] = frozenset()
    org_id_kind: int = 0  # organisations: 0 none, 5 valid credit / organisation code, 4 invalid
    org_exact: int = 0
    org_okey: int = 0
    id_probes: tuple[int, ...] = ()


def _prepare(q: Query) -> _PreparedQuery:
    name = (q.name or "").strip()
    organisation = None if q.kind is None else q.kind is Kind.ORGANISATION
    qid = parse_query_identifier(q.identifier, organisation=organisation) if q.identifier else None
    forms: list[tuple[list[int], list[int], bool]] = []
    key_forms: list[tuple[str, list[int], tuple[str, ...]]] = []
    keys: list[tuple[list[int], list[bool], list[int]]] = []
    readings: list[str] = []
    parsed_forms: dict[str, str] = {}
    script = "empty"
    parts: tuple[str, ...] = ()
    traditional = False
    org_form: OrgQueryForm | None = None
    if name:
        pn = person_name(name)
        script = pn.script
        traditional = pn.traditional
        parsed_forms["normalised"] = pn.normalised
        # A short name without brackets is a person's unless the caller says otherwise.
        maybe_org = q.kind is Kind.ORGANISATION or len(pn.core) >= 4 or "(" in pn.normalised
        org = parse_org_name(name) if q.kind is not Kind.PERSON and pn.script == "han" and maybe_org else None
        # Without a kind, skip the side the name cannot belong to: a short name without any company
        # attribute is not searched among companies, a name with a legal form not among persons.
        company_like = org is not None and bool(org.legal_form or org.branch)
        if q.kind is None and org is not None and not company_like and not org.regions and len(pn.core) <= 3:
            org = None
        if q.kind is not Kind.ORGANISATION and pn.core and not (q.kind is None and company_like):
            parts = pn.parts
            parsed_forms["core"] = pn.core
            syllables = tables().syllables
            values = syllable_values(pn.core)
            if pn.script == "han":
                forms.append(([ord(c) for c in pn.core], values, False))
                key_forms.append((pn.core, values, pn.parts))
                readings.append(" ".join(syllables[v] if v > 0 else chr(-v) for v in values))
            else:
                forms.append(([ord(c) for c in pn.core], [], False))
                key_forms.append((pn.core, values, ()))  # Latin-script names listed as such
                for reading in parse_romanised(name):
                    values = [tables().syllable_id[s] for s in reading]
                    rk = romanised_query_keys(values)
                    forms.append(([], values, True))
                    keys.append((rk.hashes, rk.capped, rk.levels))
                    readings.append(" ".join(reading))
        if org is not None and org.core:
            org_form = org_query_form(org)
            parsed_forms.update(
                company_full=org.full,
                company_core=org.core,
                company_trade=org.trade,
                legal_form=org.legal_form,
                region=org.region_code,
                branch=org.branch,
            )
    normalised = NormalisedQuery(
        name=q.name,
        script=script,
        kind=q.kind,
        forms=parsed_forms,
        pinyin=tuple(readings),
        identifier=qid.parsed if qid else None,
    )
    prepared = _PreparedQuery(
        q,
        normalised,
        qid,
        forms,
        key_forms,
        keys,
        parts,
        traditional,
        org_form,
        bool(forms) or bool(org_form),
    )
    if qid is not None:
        _prepare_identifier(prepared, qid)
    return prepared


def _prepare_identifier(pq: _PreparedQuery, qid: QueryIdentifier) -> None:
    """Hash the identifier keys once: index probes and the values evidence compares against."""
    kind = qid.parsed.kind
    probes: list[int] = []
    if kind is IdentifierKind.RESIDENT_ID and qid.parsed.valid:
        pq.id_kind = 1
        pq.id_exact = person_exact_key(qid.canonical)
        pq.id_mask = person_mask_key(qid.canonical)
        probes += [pq.id_exact, pq.id_mask]
    elif kind is IdentifierKind.RESIDENT_ID_MASKED:
        if _is_public_mask(qid.canonical):
            pq.id_kind = 2
            pq.id_mask = person_mask_key(qid.canonical)
            probes.append(pq.id_mask)
        else:
            pq.id_kind = 3
    elif kind is IdentifierKind.RESIDENT_ID or qid.typo_neighbours:  # invalid, or read as a credit code
        pq.id_kind = 4
        pq.id_typos = frozenset(person_exact_key(c) for c in qid.typo_neighbours)
        probes += sorted(pq.id_typos)
    org = qid if kind in (IdentifierKind.USCC, IdentifierKind.ORG_CODE) else qid.alternative
    if org is not None and org.parsed.valid:
        pq.org_id_kind = 5
        pq.org_exact = org_exact_key(org.canonical)
        pq.org_okey = org_code_key(org.canonical)
        probes += [pq.org_exact, pq.org_okey]
    elif org is not None or (kind is IdentifierKind.UNKNOWN and not qid.parsed.valid):
        pq.org_id_kind = 4
    if kind is IdentifierKind.UNKNOWN:
        pq.id_kind = 4
    pq.id_probes = tuple(probes)


class _Batch:
    """One chunk of queries evaluated as arrays of (query, record) candidate pairs."""

    def __init__(self, index: ScreeningIndex, queries: Sequence[Query]) -> None:
        self.ix = index
        self.prepared = [_prepare(q) for q in queries]
        self.n = len(self.prepared)

    def _person_probes(self) -> tuple[U64, npt.NDArray[np.bool_], npt.NDArray[np.int8], I64]:
        """Every person-name probe of the batch: (hash, capped, level it proves, query)."""
        owners = [qi for qi, pq in enumerate(self.prepared) for _ in pq.key_forms]
        forms = [form for pq in self.prepared for form in pq.key_forms]
        hashes: list[int] = []
        capped: list[bool] = []
        levels: list[int] = []
        queries: list[int] = []
        if len(forms) < VECTORISED_KEYS:
            for qi, (core, _, parts) in zip(owners, forms, strict=True):
                keyset, _ = person_query_keys(core, parts)
                hashes.extend(keyset.hashes)
                capped.extend(keyset.capped)
                levels.extend(keyset.levels)
                queries.extend([qi] * len(keyset.hashes))
            bulk = (_EMPTY.astype(np.uint64), np.zeros(0, np.bool_), np.zeros(0, np.int8), _EMPTY)
        else:
            h, c, lv, rows = person_query_keys_many(
                [f[0] for f in forms], [f[1] for f in forms], [f[2] for f in forms]
            )
            bulk = (h, c, lv, np.array(owners, dtype=np.int64)[rows])
        for qi, pq in enumerate(self.prepared):
            for hs, cs, ls in pq.person_keys:  # romanised readings
                hashes.extend(hs)
                capped.extend(cs)
                levels.extend(ls)
                queries.extend([qi] * len(hs))
        return (
            np.concatenate([bulk[0], np.array(hashes, dtype=np.uint64)]),
            np.concatenate([bulk[1], np.array(capped, dtype=np.bool_)]),
            np.concatenate([bulk[2], np.array(levels, dtype=np.int8)]),
            np.concatenate([bulk[3], np.array(queries, dtype=np.int64)]),
        )

    # -- candidates ---------------------------------------------------------------------------------

    def _person_name_pairs(self) -> tuple[I64, I64, npt.NDArray[np.int8]]:
        """(query, name id, level) for person-name candidates at level ≥ edit1.

        Each probe key proves a level (exact, homophone, fuzzy, one edit, swapped: see
        :func:`screening._tables.person_query_keys`), so a hit needs no character comparison; only
        ·-separated part hits are checked for a reordering.
        """
        hashes, capped, probe_level, probe_query = self._person_probes()
        if not len(hashes):
            return _EMPTY, _EMPTY, np.zeros(0, np.int8)
        probes, names = self.ix._person_keys.gather(
            hashes, np.arange(len(hashes), dtype=np.int64), capped, POSTING_CAP
        )
        if not len(probes):
            return _EMPTY, _EMPTY, np.zeros(0, np.int8)
        queries = probe_query[probes]
        levels = probe_level[probes]
        verify = np.flatnonzero(levels == LEVEL_VERIFY)
        if len(verify):
            parts = self.ix._persons.parts
            for i in verify.tolist():
                other = parts.get(int(names[i]))
                mine = self.prepared[int(queries[i])].parts
                levels[i] = P_REORDERED if other and sorted(other) == sorted(mine) else P_OTHER
        # Best level per (query, name): one sort of packed int64 keys (query: 27 bits, name: 32 bits,
        # 15 - level: 4 bits; levels run from -3 to 7).
        packed = np.sort((queries << 36) | (names << 4) | (12 - levels.astype(np.int64)))
        first = np.ones(len(packed), dtype=np.bool_)
        first[1:] = (packed[1:] >> 4) != (packed[:-1] >> 4)
        packed = packed[first]
        queries, names, levels = (
            packed >> 36,
            (packed >> 4) & 0xFFFFFFFF,
            (12 - (packed & 0xF)).astype(np.int8),
        )
        keep = levels >= P_EDIT1
        return queries[keep], names[keep], levels[keep]

    def _person_levels(
        self,
        forms: I64,
        names: I64,
        q_chars: I64,
        q_coff: I64,
        q_vals: I64,
        q_voff: I64,
        romanised: npt.NDArray[np.bool_],
        form_query: I64,
    ) -> npt.NDArray[np.int8]:
        table = self.ix._persons
        offsets = table.offsets.view
        name_len = offsets[names + 1] - offsets[names]
        q_len = np.maximum(q_coff[forms + 1] - q_coff[forms], q_voff[forms + 1] - q_voff[forms])
        width = int(max(name_len.max(initial=0), q_len.max(initial=0))) + 1
        qc, qcl = padded(q_chars, q_coff, forms, width, -1)
        qv, qvl = padded(q_vals, q_voff, forms, width, -1)
        cc, ccl = padded(table.chars.view, offsets, names, width, -2)
        cv, cvl = padded(table.values.view, offsets, names, width, -2)
        qf, cf = fuzzy_of(qv), fuzzy_of(cv)
        longest = np.maximum(qvl, cvl)
        level = np.full(len(forms), P_OTHER, dtype=np.int8)
        rom = romanised[forms]
        one_edit = (within_one_edit(qc, qcl, cc, ccl) & ~rom) | within_one_edit(qf, qvl, cf, cvl)
        level[one_edit & (longest >= 3)] = P_EDIT1
        level[_swapped(qc, qcl, cc, ccl) & ~rom] = P_SWAPPED
        level[equal_rows(qf, qvl, cf, cvl)] = P_FUZZY_PINYIN
        same_pinyin = equal_rows(qv, qvl, cv, cvl)
        level[same_pinyin & rom] = P_ROMANISED
        level[same_pinyin & ~rom] = P_HOMOPHONE
        level[equal_rows(qc, qcl, cc, ccl) & ~rom] = P_EXACT
        with_parts = [i for i, pq in enumerate(self.prepared) if pq.parts]
        if table.parts and with_parts:
            candidates = np.flatnonzero((level < P_REORDERED) & np.isin(form_query[forms], with_parts))
            for i in candidates.tolist():
                pq = self.prepared[int(form_query[forms[i]])]
                other = table.parts.get(int(names[i]))
                if other and sorted(pq.parts) == sorted(other):
                    level[i] = P_REORDERED
        return level

    def _org_name_pairs(self) -> tuple[I64, I64, npt.NDArray[np.int8]]:
        hashes: list[int] = []
        owners: list[int] = []
        capped: list[bool] = []
        for qi, pq in enumerate(self.prepared):
            if pq.org is not None:
                hashes.extend(pq.org.keys.hashes)
                capped.extend(pq.org.keys.capped)
                owners.extend([qi] * len(pq.org.keys.hashes))
        if not hashes:
            return _EMPTY, _EMPTY, np.zeros(0, np.int8)
        queries, names = self.ix._org_keys.gather(
            np.array(hashes, dtype=np.uint64), np.array(owners, dtype=np.int64), np.array(capped), POSTING_CAP
        )
        combo = np.unique((queries << 32) | names)
        queries, names = combo >> 32, combo & 0xFFFFFFFF
        levels = self._org_levels(queries, names)
        keep = levels >= O_EDIT1
        return queries[keep], names[keep], levels[keep]

    def _org_levels(self, queries: I64, names: I64) -> npt.NDArray[np.int8]:
        t = self.ix._orgs
        level = np.full(len(queries), O_OTHER, dtype=np.int8)
        if not len(queries):
            return level

        def q_attr(attribute: str) -> U64:
            values = [getattr(pq.org, attribute) if pq.org else 0 for pq in self.prepared]
            return np.array(values, dtype=np.uint64)[queries]

        q_core, q_ucore = q_attr("core_hash"), q_attr("ucore_hash")
        c_core, c_ucore = t.core_hash.view[names], t.ucore_hash.view[names]
        for attribute, flat, offsets in (
            ("core", t.chars.view, t.offsets.view),
            ("ucore", t.uchars.view, t.uoffsets.view),
        ):
            chars: list[int] = []
            lengths: list[int] = []
            for pq in self.prepared:
                body = getattr(pq.org.name, attribute) if pq.org else ""
                chars.extend(map(ord, body))
                lengths.append(len(body))
            q_off = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            name_len = offsets[names + 1] - offsets[names]
            width = int(max(name_len.max(initial=0), max(lengths, default=0))) + 1
            qc, qcl = padded(np.array(chars, dtype=np.int64), q_off, queries, width, -1)
            cc, ccl = padded(flat, offsets, names, width, -2)
            level[within_one_edit(qc, qcl, cc, ccl) & (np.maximum(qcl, ccl) >= 4)] = O_EDIT1
        pin = q_attr("pinyin_hash")
        level[(pin != 0) & (pin == t.pinyin_hash.view[names])] = O_HOMOPHONE
        c_trade = t.trade_hash.view[names]
        level[(q_attr("trade_hash") == c_trade) | (q_attr("core_as_trade") == c_trade)] = O_TRADE
        same_core = (q_core == c_core) | (q_ucore == c_ucore) | (q_core == c_ucore) | (q_ucore == c_core)
        level[same_core] = O_CORE
        level[q_attr("full_hash") == t.full_hash.view[names]] = O_EXACT
        return level

    def _id_probe(self) -> tuple[I64, I64]:
        """(query, record) pairs found through the identifier index."""
        hashes: list[int] = []
        owners: list[int] = []
        for qi, pq in enumerate(self.prepared):
            hashes.extend(pq.id_probes)
            owners.extend([qi] * len(pq.id_probes))
        if not hashes:
            return _EMPTY, _EMPTY
        return self.ix._id_keys.gather(np.array(hashes, dtype=np.uint64), np.array(owners, dtype=np.int64))

    # -- evaluation -----------------------------------------------------------------------------------

    def run(self) -> list[Result]:
        ix = self.ix
        rec = ix._records
        alive = rec.alive.view
        rec_table = rec.table.view
        # Name candidates → records.
        pq_, pn_, pl_ = self._person_name_pairs()
        oq_, on_, ol_ = self._org_name_pairs()
        parts_q: list[I64] = []
        parts_r: list[I64] = []
        parts_l: list[npt.NDArray[np.int8]] = []
        for queries, names, levels, records_index in (
            (pq_, pn_, pl_, ix._person_records),
            (oq_, on_, ol_, ix._org_records),
        ):
            if len(queries):
                pair = np.arange(len(queries), dtype=np.int64)
                owner, recs = records_index.gather(names.astype(np.uint64), pair)
                parts_q.append(queries[owner])
                parts_r.append(recs)
                parts_l.append(levels[owner])
        iq, ir = self._id_probe()
        if len(iq):
            parts_q.append(iq)
            parts_r.append(ir)
            parts_l.append(np.full(len(iq), -2, dtype=np.int8))  # level to compute
        if not parts_q:
            return [self._result(qi, [], 0, 0) for qi in range(self.n)]
        qs = np.concatenate(parts_q)
        rs = np.concatenate(parts_r)
        ls = np.concatenate(parts_l)
        keep = alive[rs]
        qs, rs, ls = qs[keep], rs[keep], ls[keep]
        # One row per (query, record), keeping the best known level: one sort of packed int64 keys
        # (query: 10 bits, record: 32 bits, 15 - level: 4 bits).
        packed = np.sort((qs << 36) | (rs << 4) | (12 - ls.astype(np.int64)))
        first = np.ones(len(packed), dtype=np.bool_)
        first[1:] = (packed[1:] >> 4) != (packed[:-1] >> 4)
        packed = packed[first]
        qs, rs, ls = packed >> 36, (packed >> 4) & 0xFFFFFFFF, (12 - (packed & 0xF)).astype(np.int8)
        unknown = np.flatnonzero(ls == -2)
        if len(unknown):
            ls[unknown] = self._levels_for_records(qs[unknown], rs[unknown])
        tables_of = rec_table[rs]
        is_person = tables_of == TABLE_PERSON
        id_level, id_weight, visible = self._id_evidence(qs, rs, ls)
        name_weight = np.where(
            is_person,
            _PERSON_LUT[ls.astype(np.int64) + 2],
            _ORG_LUT[ls.astype(np.int64) + 2],
        )
        region_level, region_weight, legal_level, legal_weight, branch_of = self._org_attributes(qs, rs, ls)
        # Partial ID evidence (mask / typo) counts only with a name agreement.
        partial = (id_level == ID_MASK_COMPATIBLE) | (id_level == ID_TYPO)
        not_counted = partial & (ls >= 0) & (ls < 1)
        id_weight = np.where(not_counted, 0.0, id_weight)
        score = name_weight + id_weight + np.where(is_person, 0.0, region_weight + legal_weight)
        band = np.where(
            is_person,
            scoring.person_bands(ls, id_level, score),
            scoring.org_bands(ls, id_level, region_level == 2, branch_of),
        ).astype(np.int8)
        # Name-only hits that could not be compared at all are not worth showing.
        shown = (band > scoring.BAND_CLEAR) | (ls >= 1) | (id_level != ID_MISSING)
        qs, rs, ls, band, score = qs[shown], rs[shown], ls[shown], band[shown], score[shown]
        id_level, visible, not_counted = id_level[shown], visible[shown], not_counted[shown]
        region_level, legal_level, branch_of = region_level[shown], legal_level[shown], branch_of[shown]
        entries = rec.entry.view[rs].astype(np.int64)
        # Best record per (query, entry), then rank within each query — each one stable sort of
        # packed int64 keys (score in tenths of a bit, descending; ties keep record order).
        rank = (np.int64(2) - band.astype(np.int64)) << 11 | np.clip(
            1023 - np.rint(score * 10).astype(np.int64), 0, 2047
        )
        order = np.argsort((qs << 45) | (entries << 13) | rank, kind="stable")
        packed = ((qs << 45) | (entries << 13))[order]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = packed[1:] != packed[:-1]
        best = order[first]
        best = best[np.argsort((qs[best] << 45) | (rank[best] << 32) | entries[best])]  # keys are unique
        collapsed = self._collapsed_namesakes(best, qs, rs, band, id_level)
        results: list[Result] = []
        bq = qs[best]
        bounds = np.searchsorted(bq, np.arange(self.n + 1))
        for qi in range(self.n):
            rows = best[bounds[qi] : bounds[qi + 1]]
            positive = band[rows] > scoring.BAND_CLEAR
            total = int(np.count_nonzero(positive))
            cleared = len(rows) - total
            query = self.prepared[qi].query
            shown = ~collapsed[bounds[qi] : bounds[qi + 1]]
            if not query.include_cleared:
                shown &= positive
            rows = rows[shown]
            limit = max(0, query.limit)
            matches = [
                self._match(
                    qi,
                    int(r),
                    int(rs[r]),
                    int(ls[r]),
                    int(band[r]),
                    float(score[r]),
                    int(id_level[r]),
                    int(visible[r]),
                    bool(not_counted[r]),
                    int(region_level[r]),
                    int(legal_level[r]),
                    bool(branch_of[r]),
                )
                for r in rows[:limit].tolist()
            ]
            results.append(self._result(qi, matches, total, cleared))
        return results

    def _collapsed_namesakes(
        self, best: I64, qs: I64, rs: I64, band: npt.NDArray[np.int8], id_level: npt.NDArray[np.int8]
    ) -> npt.NDArray[np.bool_]:
        """Rows of ``best`` (ranked per query) dropped by :attr:`Query.namesake_limit`: name-only
        review matches beyond the first ``namesake_limit`` of each (query, listed name)."""
        out = np.zeros(len(best), dtype=np.bool_)
        limits = np.array([pq.query.namesake_limit or 0 for pq in self.prepared], dtype=np.int64)
        if not limits.any() or not len(best):
            return out
        ids = id_level[best]
        candidates = np.flatnonzero(
            (band[best] == scoring.BAND_REVIEW)
            # Name-only: no identifier, an unreadable one, or a mask showing too few digits to count.
            & ((ids == ID_MISSING) | (ids == ID_QUERY_INVALID) | (ids == ID_MASK_TOO_FEW))
            & (limits[qs[best]] > 0)
        )
        if len(candidates) <= limits[limits > 0].min():
            return out  # no name can have more rows than its query's limit
        rec = self.ix._records
        records = rs[best[candidates]]
        group = (
            (qs[best[candidates]] << 33)
            | (rec.table.view[records].astype(np.int64) << 32)
            | rec.name.view[records].astype(np.int64)
        )
        order = np.argsort(group, kind="stable")  # rank order within each group
        grouped = group[order]
        starts = np.ones(len(grouped), dtype=np.bool_)
        starts[1:] = grouped[1:] != grouped[:-1]
        position = np.arange(len(grouped))
        occurrence = position - np.maximum.accumulate(np.where(starts, position, 0))
        beyond = occurrence >= limits[grouped >> 33]
        out[candidates[order[beyond]]] = True
        return out

    def _levels_for_records(self, queries: I64, records: I64) -> npt.NDArray[np.int8]:
        """Name level of records reached through their identifier only."""
        rec = self.ix._records
        out = np.full(len(queries), P_NONE, dtype=np.int8)
        tables_of = rec.table.view[records]
        names = rec.name.view[records].astype(np.int64)
        has_name = np.array([self.prepared[int(q)].has_name for q in queries.tolist()], dtype=np.bool_)
        sel = np.flatnonzero((tables_of == TABLE_PERSON) & has_name)
        if len(sel):
            form_rows: list[int] = []
            chars: list[int] = []
            vals: list[int] = []
            clen: list[int] = []
            vlen: list[int] = []
            rom: list[bool] = []
            pair_form: list[int] = []
            pair_name: list[int] = []
            pair_sel: list[int] = []
            for k in sel.tolist():
                pq = self.prepared[int(queries[k])]
                if not pq.person_forms:
                    out[k] = P_OTHER
                for c, v, r in pq.person_forms:
                    pair_form.append(len(form_rows))
                    pair_name.append(int(names[k]))
                    pair_sel.append(k)
                    form_rows.append(k)
                    chars.extend(c)
                    vals.extend(v)
                    clen.append(len(c))
                    vlen.append(len(v))
                    rom.append(r)
            if pair_form:
                levels = self._person_levels(
                    np.array(pair_form, dtype=np.int64),
                    np.array(pair_name, dtype=np.int64),
                    np.array(chars, dtype=np.int64),
                    np.concatenate([[0], np.cumsum(clen)]).astype(np.int64),
                    np.array(vals, dtype=np.int64),
                    np.concatenate([[0], np.cumsum(vlen)]).astype(np.int64),
                    np.array(rom, dtype=np.bool_),
                    queries[np.array(form_rows, dtype=np.int64)],
                )
                target = np.array(pair_sel, dtype=np.int64)
                best = np.full(len(queries), -1, dtype=np.int8)
                np.maximum.at(best, target, levels)
                out[sel] = np.maximum(out[sel], best[sel])
        sel = np.flatnonzero((tables_of == TABLE_ORG) & has_name)
        if len(sel):
            org_levels = self._org_levels(queries[sel], names[sel])
            no_org = np.array(
                [self.prepared[int(q)].org is None for q in queries[sel].tolist()], dtype=np.bool_
            )
            out[sel] = np.where(no_org, O_OTHER, org_levels)
        return out

    def _id_evidence(
        self, queries: I64, records: I64, levels: npt.NDArray[np.int8]
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64], I64]:
        rec = self.ix._records
        n = len(queries)
        id_level = np.full(n, ID_MISSING, dtype=np.int8)
        weight = np.zeros(n, dtype=np.float64)
        visible = np.zeros(n, dtype=np.int64)
        prepared = self.prepared
        kinds = np.fromiter((pq.id_kind for pq in prepared), dtype=np.int8, count=self.n)
        org_kinds = np.fromiter((pq.org_id_kind for pq in prepared), dtype=np.int8, count=self.n)
        q_exact = np.fromiter((pq.id_exact for pq in prepared), dtype=np.uint64, count=self.n)
        q_mask = np.fromiter((pq.id_mask for pq in prepared), dtype=np.uint64, count=self.n)
        q_org_exact = np.fromiter((pq.org_exact for pq in prepared), dtype=np.uint64, count=self.n)
        q_okey = np.fromiter((pq.org_okey for pq in prepared), dtype=np.uint64, count=self.n)
        if not (kinds.any() or org_kinds.any()) or not n:
            return id_level, weight, visible
        is_person = rec.table.view[records] == TABLE_PERSON
        # Person records are compared with the resident-ID reading, organisation records with the
        # credit-code reading (a query without a kind may carry both).
        k = np.where(is_person, kinds[queries], org_kinds[queries])
        pstate = rec.pstate.view[records]
        r_exact = rec.exact.view[records]
        r_mask = rec.mask.view[records]
        # Full valid resident ID.
        sel = (k == 1) & is_person
        full = sel & (pstate == PERSON_FULL)
        id_level[full] = np.where(r_exact[full] == q_exact[queries[full]], ID_EXACT, ID_CONFLICT)
        masked_entry = sel & (pstate == PERSON_MASKED)
        same_mask = r_mask[masked_entry] == q_mask[queries[masked_entry]]
        id_level[masked_entry] = np.where(same_mask, ID_MASK_COMPATIBLE, ID_MASK_CONFLICT)
        visible[masked_entry] = 14
        # Publicly masked query ID.
        sel = (k == 2) & is_person & (pstate != 0)
        same_mask = r_mask[sel] == q_mask[queries[sel]]
        id_level[sel] = np.where(same_mask, ID_MASK_COMPATIBLE, ID_MASK_CONFLICT)
        visible[sel] = 14
        # Other mask patterns: compare the visible positions one by one (rare).
        for i in np.flatnonzero((k == 3) & is_person & (pstate != 0)).tolist():
            pattern = self.prepared[int(queries[i])].qid
            assert pattern is not None
            listed = decode_person_id(int(rec.pvalue.view[records[i]]))
            hidden = set(PUBLIC_MASK) if pstate[i] == PERSON_MASKED else set()
            shown = [j for j, c in enumerate(pattern.canonical) if c != "*" and j not in hidden]
            agree = all(pattern.canonical[j] == listed[j] for j in shown)
            id_level[i] = ID_MASK_COMPATIBLE if agree else ID_MASK_CONFLICT
            visible[i] = len(shown)
        # Invalid query ID: a typo of the listed one? (organisation codes: no typo search)
        for i in np.flatnonzero(k == 4).tolist():
            near = prepared[int(queries[i])].id_typos
            if near and is_person[i] and int(r_exact[i]) in near:
                id_level[i] = ID_TYPO
            else:
                id_level[i] = ID_QUERY_INVALID
        # Organisation identifiers.
        sel = (k == 5) & ~is_person & rec.org_valid.view[records]
        qe, qo = q_org_exact[queries[sel]], q_okey[queries[sel]]
        same = (r_exact[sel] == qe) | (rec.okey.view[records[sel]] == qo)
        id_level[sel] = np.where(same, ID_EXACT, ID_CONFLICT)
        # A mask counts only by the digits actually compared: with fewer than MIN_VISIBLE_DIGITS (none at
        # all for "******************") agreeing proves nothing, so it is no evidence (matching-notes §4.4).
        too_few = (id_level == ID_MASK_COMPATIBLE) & (visible < scoring.MIN_VISIBLE_DIGITS)
        id_level[too_few] = ID_MASK_TOO_FEW
        weight = _ID_LUT[id_level]
        compatible = id_level == ID_MASK_COMPATIBLE
        weight[compatible] = np.where(
            visible[compatible] >= 14,
            scoring.mask_weight(14),
            scoring.mask_weight(scoring.MIN_VISIBLE_DIGITS),
        )
        return id_level, weight, visible

    def _org_attributes(
        self, queries: I64, records: I64, levels: npt.NDArray[np.int8]
    ) -> tuple[I64, npt.NDArray[np.float64], I64, npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Region (0 unknown, 1 same, 2 different), legal form (same idea) and branch for org pairs."""
        n = len(queries)
        region_level = np.zeros(n, dtype=np.int64)
        legal_level = np.zeros(n, dtype=np.int64)
        branch_of = np.zeros(n, dtype=np.bool_)
        rec = self.ix._records
        t = self.ix._orgs
        sel = np.flatnonzero((rec.table.view[records] == TABLE_ORG) & (levels >= 0))
        for i in sel.tolist():
            form = self.prepared[int(queries[i])].org
            if form is None:
                continue
            name = int(rec.name.view[records[i]])
            compatible = regions_compatible(form.name.region_code, _code(int(t.region.view[name])))
            region_level[i] = 0 if compatible is None else (1 if compatible else 2)
            listed_form = int(t.legal_form.view[name])
            query_form = t.legal_forms.get(form.name.legal_form, -1)
            if form.name.legal_form and listed_form:
                legal_level[i] = 1 if query_form == listed_form else 2
            branch_of[i] = bool(form.name.branch) and not bool(t.branch.view[name])
        region_weight = np.select(
            [region_level == 1, region_level == 2],
            [scoring.REGION_WEIGHTS["same"], scoring.REGION_WEIGHTS["different"]],
            0.0,
        )
        legal_weight = np.select(
            [legal_level == 1, legal_level == 2],
            [scoring.LEGAL_FORM_WEIGHTS["same"], scoring.LEGAL_FORM_WEIGHTS["different"]],
            0.0,
        )
        return region_level, region_weight, legal_level, legal_weight, branch_of

    # -- presentation ----------------------------------------------------------------------------------

    def _match(
        self,
        qi: int,
        row: int,
        record: int,
        level: int,
        band: int,
        score: float,
        id_level: int,
        visible: int,
        not_counted: bool,
        region_level: int,
        legal_level: int,
        branch_of: bool,
    ) -> Match:
        ix = self.ix
        rec = ix._records
        pq = self.prepared[qi]
        entry = int(rec.entry.data[record])
        table_id = int(rec.table.data[record])
        name_id = int(rec.name.data[record])
        table = ix._persons if table_id == TABLE_PERSON else ix._orgs
        listed = table.display(name_id)
        role = ROLE_NAMES[int(rec.role.data[record])]
        features: list[Feature] = []
        if level >= 0:
            if table_id == TABLE_PERSON:
                label = _PERSON_LABELS[level]
                if level == P_EXACT and pq.traditional:
                    label = "traditional"
                weight = _PERSON_WEIGHTS[level]
                query_name = pq.normalised.forms.get("core", "")
            else:
                label = _ORG_LABELS[level]
                weight = _ORG_WEIGHTS[level]
                query_name = pq.normalised.forms.get("company_full", "")
            detail: dict[str, str | int | float | bool | None] = {
                "query": query_name,
                "listed": listed,
                "record": role,
            }
            if pq.normalised.pinyin and table_id == TABLE_PERSON:
                detail["pinyin"] = " / ".join(pq.normalised.pinyin)
            if id_level == ID_EXACT and level == 0:
                detail["id_name_mismatch"] = True
            features.append(Feature("name", label, weight, detail))
        if id_level != ID_MISSING or pq.qid is not None:
            features.append(self._id_feature(pq, record, id_level, visible, not_counted))
        if table_id == TABLE_ORG and level >= 0 and pq.org is not None:
            region = ("unknown", "same", "different")[region_level]
            features.append(
                Feature(
                    "region",
                    region,
                    scoring.REGION_WEIGHTS[region],
                    {
                        "query": pq.org.name.region_code or None,
                        "listed": _code(int(ix._orgs.region.data[name_id])) or None,
                    },
                )
            )
            form_level = ("unknown", "same", "different")[legal_level]
            features.append(
                Feature(
                    "legal_form",
                    form_level,
                    scoring.LEGAL_FORM_WEIGHTS[form_level],
                    {"query": pq.org.name.legal_form},
                )
            )
            if branch_of:
                features.append(Feature("branch", "branch_of", 0.0, {"branch": pq.org.name.branch}))
        return Match(
            entry_id=ix._entry_ids[entry],
            kind=Kind.PERSON if ix._entry_kind.data[entry] == TABLE_PERSON else Kind.ORGANISATION,
            band=_BANDS[band],
            score=round(score, 2),
            features=tuple(features),
            namesakes=int(table.counts.data[name_id]),
            matched_name=listed,
            record=role,
        )

    def _id_feature(
        self, pq: _PreparedQuery, record: int, id_level: int, visible: int, not_counted: bool
    ) -> Feature:
        rec = self.ix._records
        level = _ID_LEVELS[id_level]
        weight = 0.0 if not_counted else scoring.ID_WEIGHTS[level]
        if id_level == ID_MASK_COMPATIBLE and not not_counted:
            weight = scoring.mask_weight(visible)
        detail: dict[str, str | int | float | bool | None] = {}
        if pq.qid is not None:
            detail["query"] = pq.qid.parsed.display
            detail["query_kind"] = pq.qid.parsed.kind.value
            if pq.qid.parsed.legacy:
                detail["legacy_converted"] = True
            if pq.qid.parsed.error:
                detail["query_error"] = pq.qid.parsed.error
        state = int(rec.pstate.data[record])
        if state:
            detail["listed"] = mask_resident_id(decode_person_id(int(rec.pvalue.data[record])))
        if id_level in (ID_MASK_COMPATIBLE, ID_MASK_CONFLICT, ID_MASK_TOO_FEW):
            detail["visible_digits"] = visible
        if id_level == ID_MASK_TOO_FEW:
            detail["not_counted"] = f"fewer than {scoring.MIN_VISIBLE_DIGITS} visible digits to compare"
        if not_counted:
            detail["not_counted"] = "partial identifier evidence needs a name agreement"
        if rec.id_invalid.data[record]:
            detail["listed_invalid"] = True
        label = level.name.lower()
        if id_level == ID_EXACT and pq.qid is not None and pq.qid.parsed.legacy:
            label = "exact_legacy"
        return Feature("id", label, weight, detail)

    def _result(self, qi: int, matches: list[Match], total: int, cleared: int) -> Result:
        band = matches[0].band if matches else Band.CLEAR
        return Result(
            query=self.prepared[qi].normalised,
            band=band,
            matches=tuple(matches),
            total=total,
            cleared=cleared,
            algorithm_version=scoring.ALGORITHM_VERSION,
            index_generation=self.ix.generation,
            index_size=len(self.ix),
        )


def _swapped(a: npt.NDArray[np.int64], la: I64, b: npt.NDArray[np.int64], lb: I64) -> npt.NDArray[np.bool_]:
    """Same characters, two neighbours swapped (张伟杰 / 张杰伟): a stronger kind of one edit."""
    if a.shape[1] == 0:
        return np.zeros(len(a), dtype=np.bool_)
    cols = np.arange(a.shape[1])[None, :]
    mism = (a != b) & (cols < la[:, None])
    two = (la == lb) & (la >= 3) & (mism.sum(axis=1) == 2)
    first = np.argmax(mism, axis=1)
    nxt = np.minimum(first + 1, a.shape[1] - 1)
    rows = np.arange(len(a))
    swapped = two & mism[rows, nxt] & (a[rows, first] == b[rows, nxt]) & (a[rows, nxt] == b[rows, first])
    return np.asarray(swapped, dtype=np.bool_)


def _lut(table: dict[Any, float]) -> npt.NDArray[np.float64]:
    """Weights indexed by level + 2 (levels run from -2 "to compute" to 7)."""
    lut = np.zeros(10, dtype=np.float64)
    for level, weight in table.items():
        lut[int(level) + 2] = weight
    return lut


_PERSON_LUT = _lut(scoring.PERSON_NAME_WEIGHTS)
_ORG_LUT = _lut(scoring.ORG_NAME_WEIGHTS)
_ID_LUT = np.array([scoring.ID_WEIGHTS[IdLevel(i)] for i in range(len(IdLevel))], dtype=np.float64)


def _code(value: int) -> str:
    return f"{value:06d}" if value else ""


def _is_public_mask(pattern: str) -> bool:
    return [i for i, c in enumerate(pattern) if c == "*"] == list(PUBLIC_MASK)
