"""The chunked, bounded-memory build: CSR from chunks, name deduplication across chunks, compact columns,
and the vectorised query keys (each against its plain counterpart)."""

import numpy as np
import pytest

import screening._store as store
import screening.index as index_module
from screening import Entry, Kind, Query, ScreeningIndex
from screening._store import HashLookup, KeyIndex, StringColumn, csr_from_parts
from screening._tables import person_query_keys, person_query_keys_many
from screening.evaluation import labelled_queries, person_names, synthetic_list
from screening.pinyin import syllable_values
from screening.text import person_name


def naive_csr(keys: np.ndarray, ids: np.ndarray) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for k, i in zip(keys.tolist(), ids.tolist(), strict=True):
        out.setdefault(k, []).append(i)
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize("bucket_min", [1 << 18, 64])  # one bucket; many buckets
def test_csr_from_parts_equals_a_plain_sort(monkeypatch: pytest.MonkeyPatch, bucket_min: int) -> None:
    monkeypatch.setattr(store, "BUCKET_MIN", bucket_min)
    rng = np.random.default_rng(5)
    distinct = rng.integers(1, 2**63, size=3000, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    keys = distinct[rng.integers(0, len(distinct), size=20_000)]  # repeated keys, across chunks too
    ids = rng.integers(0, 50_000, size=len(keys))
    parts = [(keys[i : i + 3001].copy(), ids[i : i + 3001].copy()) for i in range(0, len(keys), 3001)]
    sorted_keys, offsets, postings = csr_from_parts(parts)
    assert parts == []  # consumed
    assert np.all(sorted_keys[1:] > sorted_keys[:-1]) and offsets[0] == 0 and offsets[-1] == len(keys)
    got = {int(k): sorted(postings[offsets[j] : offsets[j + 1]].tolist()) for j, k in enumerate(sorted_keys)}
    assert got == naive_csr(keys, ids)
    assert postings.dtype == np.int32 and offsets.dtype == np.int64


def test_key_index_from_nothing_and_lookups() -> None:
    empty = KeyIndex.from_parts([])
    assert len(empty) == 0 and empty.get(7).tolist() == []
    index = KeyIndex(np.array([5, 3, 5], dtype=np.uint64), np.array([0, 1, 2]))
    assert sorted(index.get(5).tolist()) == [0, 2] and index.get(3).tolist() == [1]


def test_string_column_and_hash_lookup() -> None:
    column = StringColumn()
    column.extend(["P1", "E-42"])
    column.extend(["条目·三", ""])
    assert [column[i] for i in range(len(column))] == ["P1", "E-42", "条目·三", ""]
    lookup = HashLookup()
    assert lookup.find(np.array([9], dtype=np.uint64)).tolist() == [-1]
    lookup.add(np.array([9, 3], dtype=np.uint64), np.array([0, 1]))
    lookup.add(np.array([5], dtype=np.uint64), np.array([2]))
    assert lookup.find(np.array([3, 4, 5, 9], dtype=np.uint64)).tolist() == [1, -1, 2, 0]


def test_a_build_in_many_chunks_answers_like_a_build_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = synthetic_list(3000, seed=9)
    queries = [lq.query for lq in labelled_queries(listed, per_variant=6, seed=3)]
    queries += [Query(q.name, q.identifier, limit=50, include_cleared=True) for q in queries[::4]]
    whole = ScreeningIndex.build(listed.entries())
    monkeypatch.setattr(index_module, "BUILD_CHUNK", 97)
    monkeypatch.setattr(store, "BUCKET_MIN", 256)
    stages: list[str] = []
    chunked = ScreeningIndex.build(listed.entries(), progress=stages.append)
    assert stages[0] == "encode" and stages[-1] == "done" and "index _person_keys" in stages
    assert len(chunked._persons) == len(whole._persons)  # names deduplicated across chunks
    assert len(chunked._orgs) == len(whole._orgs)
    assert [r.to_dict() for r in chunked.query_batch(queries)] == [
        r.to_dict() for r in whole.query_batch(queries)
    ]
    assert chunked.memory_bytes() == whole.memory_bytes()
    for entry_id in ("P00000000", listed.entry_ids[2999]):
        assert entry_id in chunked and chunked.names_of(entry_id) == whole.names_of(entry_id)


def test_a_repeated_entry_id_in_another_chunk_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "BUILD_CHUNK", 2)
    entries = [Entry(f"E{i}", Kind.PERSON, name) for i, name in enumerate(["张三", "李四", "王五"])]
    with pytest.raises(ValueError, match="'E0' is already listed"):
        ScreeningIndex.build([*entries, Entry("E0", Kind.PERSON, "赵六")])


def test_vectorised_query_keys_equal_the_plain_ones() -> None:
    special = [
        "张",
        "欧阳娜娜",
        "单单单",
        "王乾",
        "买买提·艾力",
        "zhang wei",
        "aba",
        "司马懿懿懿",
        "艾力·买买提·艾力",
    ]
    names = [*person_names(np.random.default_rng(3), 400), *special]
    forms = [person_name(n) for n in names]
    cores = [f.core for f in forms]
    parts = [f.parts if f.script == "han" else () for f in forms]
    hashes, capped, levels, rows = person_query_keys_many(cores, [syllable_values(c) for c in cores], parts)
    for i, core in enumerate(cores):
        keyset, _ = person_query_keys(core, parts[i])
        mine = rows == i
        assert sorted(zip(keyset.hashes, keyset.capped, keyset.levels, strict=True)) == sorted(
            zip(hashes[mine].tolist(), capped[mine].tolist(), levels[mine].tolist(), strict=True)
        )


def test_small_and_large_batches_prepare_the_same_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = synthetic_list(2000, seed=4)
    index = ScreeningIndex.build(listed.entries())
    queries = [lq.query for lq in labelled_queries(listed, per_variant=3, seed=2)]
    vectorised = [r.to_dict() for r in index.query_batch(queries)]
    monkeypatch.setattr(index_module, "VECTORISED_KEYS", 10**9)
    assert [r.to_dict() for r in index.query_batch(queries)] == vectorised
