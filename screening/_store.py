"""Storage building blocks: growable columns, the CSR key index with a mutable delta, ragged helpers."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from screening._hashing import hash_ragged

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


class Column:
    """A 1-D numpy array that grows by doubling (amortised O(1) appends)."""

    __slots__ = ("data", "size")

    def __init__(self, dtype: Any, initial: npt.ArrayLike | None = None) -> None:
        values = np.asarray(initial if initial is not None else [], dtype=dtype)
        self.data: np.ndarray[Any, Any] = values.copy() if values.size else np.empty(16, dtype=dtype)
        self.size = int(values.size)

    def extend(self, values: npt.ArrayLike) -> int:
        """Append values; returns the position of the first one."""
        arr = np.asarray(values, dtype=self.data.dtype)
        start = self.size
        need = start + arr.size
        if need > self.data.size:
            grown = np.empty(max(need, 2 * self.data.size), dtype=self.data.dtype)
            grown[:start] = self.data[:start]
            self.data = grown
        self.data[start:need] = arr
        self.size = need
        return start

    @property
    def view(self) -> np.ndarray[Any, Any]:
        return self.data[: self.size]

    def nbytes(self) -> int:
        """Bytes in use (spare capacity is never written, so it is not resident either)."""
        return int(self.size * self.data.itemsize)


class KeyIndex:
    """uint64 key → int32 ids. Immutable CSR base (sorted unique keys, offsets, postings) plus a small
    mutable delta dict, so additions take effect at once without rebuilding the arrays."""

    def __init__(self, keys: U64, ids: npt.NDArray[np.integer[Any]]) -> None:
        self.keys, self.offsets, self.postings = csr_from_parts([(keys, ids)])
        self.delta: dict[int, list[int]] = {}

    @classmethod
    def from_parts(cls, parts: list[tuple[U64, npt.NDArray[np.integer[Any]]]]) -> KeyIndex:
        """Build from (keys, ids) chunks; ``parts`` is emptied as it is consumed (see :func:`csr_from_parts`)."""
        index = cls.__new__(cls)
        index.keys, index.offsets, index.postings = csr_from_parts(parts)
        index.delta = {}
        return index

    def add(self, keys: U64, ids: npt.NDArray[np.integer[Any]]) -> None:
        for k, i in zip(keys.tolist(), ids.tolist(), strict=True):
            self.delta.setdefault(k, []).append(i)

    def ranges(self, hashes: U64) -> tuple[I64, I64]:
        """(start, stop) of each hash's base postings (empty range when absent)."""
        if not len(self.keys):
            zero = np.zeros(len(hashes), dtype=np.int64)
            return zero, zero
        if len(hashes) > 64:
            # Sorted needles walk the key array in order: far fewer cache misses on a big index.
            order = np.argsort(hashes)
            pos = np.empty(len(hashes), dtype=np.int64)
            pos[order] = np.searchsorted(self.keys, hashes[order])
        else:
            pos = np.searchsorted(self.keys, hashes)
        pos_c = np.minimum(pos, len(self.keys) - 1)
        found = self.keys[pos_c] == hashes
        start = np.where(found, self.offsets[pos_c], 0)
        stop = np.where(found, self.offsets[pos_c + 1], 0)
        return start, stop

    def gather(
        self, hashes: U64, owners: I64, capped: npt.NDArray[np.bool_] | None = None, cap: int = 0
    ) -> tuple[I64, I64]:
        """Postings of many keys at once: (owner of the key, id) pairs. Keys flagged ``capped`` whose
        posting list is longer than ``cap`` are skipped (too common to be informative)."""
        start, stop = self.ranges(hashes)
        lengths = stop - start
        if capped is not None:
            delta_len = np.zeros(len(hashes), dtype=np.int64)
            if self.delta:
                delta_len = np.array([len(self.delta.get(h, ())) for h in hashes.tolist()], dtype=np.int64)
            too_big = capped & (lengths + delta_len > cap)
            lengths = np.where(too_big, 0, lengths)
        else:
            too_big = np.zeros(len(hashes), dtype=np.bool_)
        total = int(lengths.sum())
        if total:
            first = np.repeat(start - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            ids = self.postings[first + np.arange(total)].astype(np.int64)
            own = np.repeat(owners, lengths)
        else:
            ids = np.zeros(0, dtype=np.int64)
            own = np.zeros(0, dtype=np.int64)
        if self.delta:
            extra_owner: list[int] = []
            extra_ids: list[int] = []
            for h, o, big in zip(hashes.tolist(), owners.tolist(), too_big.tolist(), strict=True):
                hit = self.delta.get(h)
                if hit and not big:
                    extra_owner.extend([o] * len(hit))
                    extra_ids.extend(hit)
            if extra_ids:
                own = np.concatenate([own, np.array(extra_owner, dtype=np.int64)])
                ids = np.concatenate([ids, np.array(extra_ids, dtype=np.int64)])
        return own, ids

    def get(self, key: int) -> I64:
        start, stop = self.ranges(np.array([key], dtype=np.uint64))
        base = self.postings[int(start[0]) : int(stop[0])].astype(np.int64)
        extra = self.delta.get(key)
        return np.concatenate([base, np.array(extra, dtype=np.int64)]) if extra else base

    def compacted(self, keep: npt.NDArray[np.bool_]) -> KeyIndex:
        """A new index with the delta merged into the base and ids where ``keep`` is false dropped."""
        counts = np.diff(self.offsets)
        keys = np.repeat(self.keys, counts)
        ids = self.postings.astype(np.int64)
        if self.delta:
            dk = np.array([k for k, v in self.delta.items() for _ in v], dtype=np.uint64)
            dv = np.array([i for v in self.delta.values() for i in v], dtype=np.int64)
            keys = np.concatenate([keys, dk])
            ids = np.concatenate([ids, dv])
        alive = keep[ids]
        return KeyIndex(keys[alive], ids[alive])

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.offsets.nbytes + self.postings.nbytes)

    def __len__(self) -> int:
        return len(self.postings) + sum(len(v) for v in self.delta.values())


BUCKET_BITS = 8  # csr_from_parts sorts up to 2**BUCKET_BITS buckets of keys (by their top bits) one at a time
BUCKET_MIN = 1 << 18  # … of at least this many keys each


def csr_from_parts(parts: list[tuple[U64, npt.NDArray[np.integer[Any]]]]) -> tuple[U64, I64, I32]:
    """Sorted distinct keys, offsets and int32 postings from (keys, ids) chunks, in bounded memory.

    Keys are well-mixed 64-bit hashes, so their top bits split them into equal buckets. Each chunk
    is first ordered by bucket, highest first; then bucket by bucket, lowest first, the chunks' tails
    are moved out (and the chunks shrunk in place), sorted and appended to the output arrays. The
    chunks thus shrink while the output grows: beyond the larger of the two, the only transient
    arrays are one chunk's (while it is ordered) and one bucket's. ``parts`` is emptied. The order of
    the postings within a key is unspecified (nothing depends on it).
    """
    total = sum(len(k) for k, _ in parts)
    bits = min(BUCKET_BITS, max(0, (total - 1) // BUCKET_MIN).bit_length())
    buckets = 1 << bits
    chunks: list[_Chunk] = []
    parts.reverse()
    while parts:
        k, ids = parts.pop()
        chunks.append(_Chunk(k, ids, bits))
        del k, ids
        release_free_memory()
    keys = np.empty(total, dtype=np.uint64)  # pages beyond the distinct keys are never touched
    offsets = np.empty(total + 1, dtype=np.int64)
    postings = np.empty(total, dtype=np.int32)
    n_keys = start = 0
    for b in range(buckets):
        bucket_keys, bucket_ids = _Chunk.take(chunks, b)
        if not len(bucket_keys):
            continue
        order = np.argsort(bucket_keys)
        bucket_keys = bucket_keys[order]
        postings[start : start + len(order)] = bucket_ids[order]
        first = np.flatnonzero(np.concatenate([[True], bucket_keys[1:] != bucket_keys[:-1]]))
        keys[n_keys : n_keys + len(first)] = bucket_keys[first]
        offsets[n_keys : n_keys + len(first)] = first + start
        n_keys += len(first)
        start += len(order)
        if b % 16 == 15:
            release_free_memory()  # the chunks' tails moved out so far
    offsets[n_keys] = total
    del chunks
    release_free_memory()
    return _shrunk(keys, n_keys), _shrunk(offsets, n_keys + 1), postings


class _Chunk:
    """One (keys, ids) chunk of :func:`csr_from_parts`, ordered by bucket, highest first."""

    __slots__ = ("counts", "ids", "keys", "size")

    def __init__(self, keys: U64, ids: npt.NDArray[np.integer[Any]], bits: int) -> None:
        if bits:
            bucket = (keys >> np.uint64(64 - bits)).astype(np.uint8)
            self.counts: list[int] = np.bincount(bucket, minlength=1 << bits).tolist()
            order = np.argsort(np.uint8((1 << bits) - 1) - bucket, kind="stable")  # uint8: a radix sort
            del bucket
            self.keys: U64 = keys[order]
            self.ids: I32 = ids[order].astype(np.int32, copy=False)
        else:  # one bucket: taken whole, never shrunk (the arrays may be the caller's)
            self.counts = [len(keys)]
            self.keys = keys
            self.ids = ids.astype(np.int32, copy=False)
        self.size = len(keys)

    @staticmethod
    def take(chunks: list[_Chunk], bucket: int) -> tuple[U64, I32]:
        """Move bucket ``bucket`` (the lowest left) out of every chunk."""
        pieces = [
            (c.keys[c.size - c.counts[bucket] : c.size], c.ids[c.size - c.counts[bucket] : c.size])
            for c in chunks
        ]
        keys = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0, dtype=np.uint64)
        ids = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0, dtype=np.int32)
        del pieces
        for c in chunks:
            if c.counts[bucket]:
                c.size -= c.counts[bucket]
                if len(c.counts) > 1:  # the chunk owns its (reordered) arrays
                    c.keys = _shrunk(c.keys, c.size)
                    c.ids = _shrunk(c.ids, c.size)
        return keys, ids


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return None
    return trim


def release_free_memory() -> None:
    """Give freed heap memory back to the OS (glibc ``malloc_trim``; a no-op elsewhere).

    glibc keeps freed blocks below its (self-raising, up to 32 MiB) mmap threshold in the heap, so
    the many mid-sized arrays a build frees would otherwise stay resident until reused."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_A = TypeVar("_A", bound=np.ndarray[Any, Any])


def _shrunk(array: _A, size: int) -> _A:
    """``array[:size]``, reallocated in place (no second copy in memory; the tail goes back to the
    allocator). Only for arrays allocated here, of which no view exists: a view would dangle."""
    if size == len(array):
        return array
    if not array.flags.owndata:
        return cast(_A, array[:size])
    array.resize(size, refcheck=False)
    return array


def ragged_of_strings(strings: list[str]) -> tuple[npt.NDArray[np.uint32], I64]:
    """Code points of many strings as (flat uint32, offsets)."""
    flat = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    offsets = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return flat, offsets


def hash_strings(tag: str, strings: list[str]) -> U64:
    """Vectorised :func:`screening._hashing.hash_text` over many strings (row order kept)."""
    flat, offsets = ragged_of_strings(strings)
    keys, rows = hash_ragged(tag, flat.astype(np.uint64), offsets, min_length=0)
    out = np.zeros(len(strings), dtype=np.uint64)
    out[rows] = keys
    return out


def padded(
    flat: npt.NDArray[Any], offsets: I64, rows: I64, width: int, pad: int
) -> tuple[npt.NDArray[np.int64], I64]:
    """Rows of a ragged array as an int64 matrix padded with ``pad``; returns (matrix, lengths)."""
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    if width == 0 or len(rows) == 0:
        return np.full((len(rows), width), pad, dtype=np.int64), lengths
    cols = np.arange(width, dtype=np.int64)
    inside = cols[None, :] < lengths[:, None]
    idx = np.where(inside, starts[:, None] + cols[None, :], 0)
    values = flat[idx].astype(np.int64) if len(flat) else np.zeros(idx.shape, dtype=np.int64)
    return np.where(inside, values, pad), lengths


def equal_rows(a: npt.NDArray[np.int64], la: I64, b: npt.NDArray[np.int64], lb: I64) -> npt.NDArray[np.bool_]:
    """Row-wise equality of two padded matrices of equal width."""
    if a.shape[1] == 0:
        return np.asarray(la == lb, dtype=np.bool_)
    cols = np.arange(a.shape[1])[None, :]
    return np.asarray((la == lb) & np.all((a == b) | (cols >= la[:, None]), axis=1), dtype=np.bool_)


def within_one_edit(
    a: npt.NDArray[np.int64], la: I64, b: npt.NDArray[np.int64], lb: I64
) -> npt.NDArray[np.bool_]:
    """Row-wise: is b one substitution, insertion, deletion or adjacent transposition from a?

    Both matrices have the same width W ≥ max length + 1 (pad columns never compare equal to data).
    """
    n, width = a.shape
    out = np.zeros(n, dtype=np.bool_)
    if n == 0 or width == 0:
        return out
    cols = np.arange(width)[None, :]
    same = la == lb
    if same.any():
        mism = (a != b) & (cols < la[:, None])
        count = mism.sum(axis=1)
        out |= same & (count == 1)
        two = same & (count == 2)
        if two.any():
            first = np.argmax(mism, axis=1)
            nxt = np.minimum(first + 1, width - 1)
            rows = np.arange(n)
            swapped = mism[rows, nxt] & (a[rows, first] == b[rows, nxt]) & (a[rows, nxt] == b[rows, first])
            out |= two & swapped
    for longer, shorter, l_long, l_short in ((b, a, lb, la), (a, b, la, lb)):
        sel = l_long == l_short + 1
        if not sel.any():
            continue
        lo, sh, ls = longer[sel], shorter[sel], l_short[sel]
        diff = (lo != sh) | (cols >= ls[:, None])
        prefix = np.argmax(diff, axis=1)  # first position where they differ (≤ ls)
        shifted = np.ones_like(diff)
        shifted[:, : width - 1] = (lo[:, 1:] == sh[:, : width - 1]) | (cols[:, : width - 1] >= ls[:, None])
        suffix_ok = np.flip(np.logical_and.accumulate(np.flip(shifted, axis=1), axis=1), axis=1)
        out[sel] = suffix_ok[np.arange(len(prefix)), prefix]
    return out


class StringColumn:
    """A growable list of strings kept as UTF-8 bytes plus offsets: about one byte per ASCII character
    instead of a ~60-byte Python object per string (entry ids of a 10 M list: ~0.2 GiB, not ~0.6)."""

    __slots__ = ("data", "offsets")

    def __init__(self) -> None:
        self.data = Column(np.uint8)
        self.offsets = Column(np.int64, [0])

    def extend(self, strings: list[str]) -> None:
        joined = "".join(strings)
        if joined.isascii():
            raw = joined.encode("ascii")
            lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
        else:
            encoded = [s.encode("utf-8") for s in strings]
            raw = b"".join(encoded)
            lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        base = int(self.offsets.view[-1])
        self.data.extend(np.frombuffer(raw, dtype=np.uint8))
        self.offsets.extend(base + np.cumsum(lengths))

    def __getitem__(self, position: int) -> str:
        offsets = self.offsets.data
        raw: bytes = self.data.data[offsets[position] : offsets[position + 1]].tobytes()
        return raw.decode("utf-8")

    def __len__(self) -> int:
        return self.offsets.size - 1

    def nbytes(self) -> int:
        return self.data.nbytes() + self.offsets.nbytes()


class HashLookup:
    """Sorted 64-bit hashes → ids, extended chunk by chunk (deduplicates names while building)."""

    __slots__ = ("hashes", "ids")

    def __init__(self) -> None:
        self.hashes: U64 = np.zeros(0, dtype=np.uint64)
        self.ids: I32 = np.zeros(0, dtype=np.int32)

    def find(self, hashes: U64) -> I64:
        """The id stored for each hash, -1 where there is none."""
        if not len(self.hashes):
            return np.full(len(hashes), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return np.where(self.hashes[pos] == hashes, self.ids[pos].astype(np.int64), -1)

    def add(self, hashes: U64, ids: I64) -> None:
        order = np.argsort(hashes, kind="stable")
        hashes = hashes[order]
        where = np.searchsorted(self.hashes, hashes)
        self.hashes = np.insert(self.hashes, where, hashes)
        self.ids = np.insert(self.ids, where, ids[order].astype(np.int32))
