"""Stable 64-bit key hashing, one scalar and one vectorised implementation that agree bit for bit.

A key is a tag (what kind of key: exact name, pinyin, deletion …) plus a sequence of integer tokens
(code points, or 64-bit syllable hashes). The hash folds the tokens FNV-1a style (xor, multiply by the
64-bit FNV prime) from a seed that is the tag's blake2b digest, then applies the splitmix64 finaliser.
Each step is a bijection of the 64-bit state, so two sequences of equal length only collide by a
~2⁻⁶⁴ coincidence. It is deterministic across processes and machines (unlike ``hash()``), so an index
can be persisted, costs three integer operations per token in Python (query time), and vectorises
over rows with plain numpy uint64 arithmetic (build time).

The low bit is forced to 1 so that 0 can mean "no key".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_MASK = (1 << 64) - 1
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_FNV = 0x100000001B3


@cache
def seed(tag: str) -> int:
    """The 64-bit seed of a key tag (blake2b, so stable everywhere)."""
    return int.from_bytes(hashlib.blake2b(tag.encode("utf-8"), digest_size=8).digest(), "little")


def token_of_text(text: str) -> int:
    """A 64-bit token for a whole string (used for pinyin syllables)."""
    return int.from_bytes(hashlib.blake2b(b"tok:" + text.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def hash_tokens(tag: str, tokens: Iterable[int]) -> int:
    """Hash a token sequence under ``tag`` (scalar; used at query time)."""
    h = seed(tag)
    for t in tokens:
        h = ((h ^ t) * _FNV) & _MASK
    return _mix(h) | 1


POSITION = 1 << 62  # token appended to positional keys: POSITION + position


def hash_deletions(tag: str, tokens: Sequence[int], *, positional: bool = False) -> list[int]:
    """Hashes of the 1-deletion neighbours of ``tokens`` (same values as hashing each one).

    Non-positional: the distinct neighbours (deleting either of two equal neighbours gives one key).
    Positional: one key per position, the position appended as a final token, so two sequences share
    a key exactly when they differ by one substitution at that position.
    """
    prefix = [seed(tag)]
    for t in tokens[:-1]:
        prefix.append(((prefix[-1] ^ t) * _FNV) & _MASK)
    out = []
    for i in range(len(tokens)):
        if not positional and i and tokens[i] == tokens[i - 1]:
            continue
        h = prefix[i]
        for t in tokens[i + 1 :]:
            h = ((h ^ t) * _FNV) & _MASK
        if positional:
            h = ((h ^ (POSITION + i)) * _FNV) & _MASK
        out.append(_mix(h) | 1)
    return out


def hash_insertions(tag: str, tokens: Sequence[int]) -> list[int]:
    """Positional deletion keys that a sequence one token *longer* than ``tokens`` may carry:
    ``tokens`` itself with every possible position of the extra token appended."""
    base = list(tokens)
    return [hash_tokens(tag, [*base, POSITION + i]) for i in range(len(base) + 1)]


def hash_transpositions(tag: str, tokens: Sequence[int]) -> list[int]:
    """One key per adjacent pair (i, i+1): the sequence with that pair in sorted order, plus i.

    Two sequences share such a key exactly when they are equal or differ by swapping that pair."""
    out = []
    for i in range(len(tokens) - 1):
        seq = list(tokens)
        if seq[i] > seq[i + 1]:
            seq[i], seq[i + 1] = seq[i + 1], seq[i]
        out.append(hash_tokens(tag, [*seq, POSITION + i]))
    return out


def hash_text(tag: str, text: str) -> int:
    """Hash a string's code points under ``tag``."""
    return hash_tokens(tag, map(ord, text))


def _mix_array(z: U64) -> U64:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    out: U64 = z ^ (z >> np.uint64(31))
    return out


def hash_matrix(tag: str, matrix: npt.NDArray[np.uint64], skip: int = -1) -> U64:
    """Hash every row of a (rows × length) token matrix; ``skip`` leaves one column out."""
    h = np.full(matrix.shape[0], seed(tag), dtype=np.uint64)
    for column in range(matrix.shape[1]):
        if column != skip:
            h = (h ^ matrix[:, column]) * np.uint64(_FNV)
    return _mix_array(h) | np.uint64(1)


def ragged_rows(offsets: I64, rows: npt.NDArray[np.int64], length: int) -> npt.NDArray[np.int64]:
    """Flat positions of ``length`` tokens for each of ``rows`` (all of that length)."""
    return offsets[rows][:, None] + np.arange(length, dtype=np.int64)[None, :]


def hash_ragged(
    tag: str,
    flat: U64,
    offsets: I64,
    *,
    mode: str = "whole",
    min_length: int = 1,
    rows: npt.NDArray[np.int64] | None = None,
) -> tuple[U64, npt.NDArray[np.int64]]:
    """Hash ragged token rows (``flat[offsets[i]:offsets[i+1]]``), grouped by length.

    Returns (hashes, row numbers) for rows of at least ``min_length`` tokens; ``rows`` restricts the
    work to those rows. ``mode``: ``whole`` one hash per row; ``deletions`` the distinct 1-deletion
    neighbours (SymSpell); ``positional`` one deletion key per position (:func:`hash_deletions`);
    ``transpositions`` one key per adjacent pair (:func:`hash_transpositions`); ``insertions`` the
    keys a row one token longer may carry (:func:`hash_insertions`).
    """
    lengths = np.diff(offsets)
    candidates = np.arange(len(lengths), dtype=np.int64) if rows is None else rows
    out_keys: list[U64] = []
    out_rows: list[npt.NDArray[np.int64]] = []
    cand_lengths = lengths[candidates]
    for length in np.unique(cand_lengths):
        n = int(length)
        if n < min_length:
            continue
        group = candidates[cand_lengths == n]
        matrix = flat[ragged_rows(offsets, group, n)]
        if mode == "deletions":
            for position in range(n):
                # Deleting either of two equal neighbours gives the same sequence: emit it once.
                fresh = (
                    np.ones(len(group), dtype=np.bool_)
                    if position == 0
                    else matrix[:, position] != matrix[:, position - 1]
                )
                out_keys.append(hash_matrix(tag, matrix[fresh], skip=position))
                out_rows.append(group[fresh])
        elif mode == "positional":
            for position in range(n):
                marker = np.full((len(group), 1), POSITION + position, dtype=np.uint64)
                kept = np.concatenate([matrix[:, :position], matrix[:, position + 1 :], marker], axis=1)
                out_keys.append(hash_matrix(tag, kept))
                out_rows.append(group)
        elif mode == "transpositions":
            for position in range(n - 1):
                pair = matrix[:, position : position + 2]
                marker = np.full((len(group), 1), POSITION + position, dtype=np.uint64)
                swapped = np.concatenate(
                    [matrix[:, :position], pair.min(axis=1, keepdims=True), pair.max(axis=1, keepdims=True),
                     matrix[:, position + 2 :], marker],
                    axis=1,
                )  # fmt: skip
                out_keys.append(hash_matrix(tag, swapped))
                out_rows.append(group)
        elif mode == "insertions":
            for position in range(n + 1):
                marker = np.full((len(group), 1), POSITION + position, dtype=np.uint64)
                out_keys.append(hash_matrix(tag, np.concatenate([matrix, marker], axis=1)))
                out_rows.append(group)
        else:
            out_keys.append(hash_matrix(tag, matrix))
            out_rows.append(group)
    if not out_keys:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_keys), np.concatenate(out_rows)
