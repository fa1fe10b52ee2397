"""Storage building blocks: growable columns, the CSR key index with a mutable delta, ragged helpers."""

from __future__ import annotations

from typing import Any

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
        return int(self.data.nbytes)


class KeyIndex:
    """uint64 key → int32 ids. Immutable CSR base (sorted unique keys, offsets, postings) plus a small
    mutable delta dict, so additions take effect at once without rebuilding the arrays."""

    def __init__(self, keys: U64, ids: npt.NDArray[np.integer[Any]]) -> None:
        order = np.argsort(keys)
        sorted_keys = keys[order]
        self.postings: I32 = ids[order].astype(np.int32)
        del order
        if len(sorted_keys):
            boundary = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
            starts = np.concatenate([np.zeros(1, dtype=np.int64), boundary.astype(np.int64)])
            self.keys: U64 = sorted_keys[starts]
        else:
            starts = np.zeros(0, dtype=np.int64)
            self.keys = np.zeros(0, dtype=np.uint64)
        self.offsets: I64 = np.concatenate([starts, np.array([len(sorted_keys)], dtype=np.int64)])
        self.delta: dict[int, list[int]] = {}

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
