"""Identifiers for screening: query parsing (one at a time) and list columns (vectorised).

Validation itself is :mod:`sanctions.identifiers` (GB 11643 resident IDs incl. 15 → 18 conversion,
GB 32100 credit codes, GB 11714 organisation codes). This module adds what matching needs:

* masked resident IDs in any mask pattern (``*`` at hidden positions); the public pattern
  ``id[:10] + '****' + id[14:]`` (rulebook §5.3, decision D12) has its own index key;
* the valid IDs one typo away from an invalid query ID (the check digit catches every single-digit
  error, so an invalid ID next to a listed one is a typo, not another person);
* numpy encodings of a whole list column, validated without a Python call per entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from sanctions.identifiers import (
    InvalidIdentifier,
    clean_identifier,
    mask_resident_id,
    parse_org_code,
    parse_resident_id,
    parse_uscc,
)
from screening._hashing import hash_matrix, hash_text

U64 = npt.NDArray[np.uint64]

PUBLIC_MASK = tuple(range(10, 14))
# First two digits of GB/T 2260 codes (provinces, plus Taiwan, Hong Kong, Macau).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)  # hidden positions of the public pattern (0-based)
_RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_MASKED = re.compile(r"^[0-9*]{17}[0-9X*]$")
_RIC_SHAPE = re.compile(r"\d{17}[\dX]")


class IdentifierKind(StrEnum):
    RESIDENT_ID = "resident_id"
    RESIDENT_ID_MASKED = "resident_id_masked"
    USCC = "uscc"
    ORG_CODE = "org_code"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ParsedIdentifier:
    """A query identifier after cleaning and validation.

    ``display`` never shows a full resident ID (public masking); ``error`` is the stable code from
    :class:`sanctions.identifiers.InvalidIdentifier` when ``valid`` is false; ``legacy`` marks a
    15-digit ID converted to 18 digits; ``visible`` counts the digits a masked ID shows.
    """

    kind: IdentifierKind
    valid: bool
    display: str
    error: str | None = None
    legacy: bool = False
    visible: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "valid": self.valid,
            "display": self.display,
            "error": self.error,
            "legacy": self.legacy,
            "visible_digits": self.visible,
        }


@dataclass(frozen=True)
class QueryIdentifier:
    """Internal: a parsed query identifier with the values the index compares (not serialised)."""

    parsed: ParsedIdentifier
    canonical: str = ""  # full 18-char resident ID, USCC, 9-char org code, or the masked pattern
    typo_neighbours: tuple[str, ...] = ()  # valid resident IDs one edit away from an invalid one
    alternative: QueryIdentifier | None = None  # the credit-code reading of an ambiguous digit string

    @property
    def is_person(self) -> bool:
        return self.parsed.kind in (IdentifierKind.RESIDENT_ID, IdentifierKind.RESIDENT_ID_MASKED)


def person_exact_key(id18: str) -> int:
    return hash_text("id:R", id18)


def person_mask_key(id18_or_masked: str) -> int:
    return hash_text("id:M", id18_or_masked[:10] + id18_or_masked[14:])


def org_exact_key(code: str) -> int:
    return hash_text("id:U", code) if len(code) == 18 else hash_text("id:G", code)


def org_code_key(code: str) -> int:
    return hash_text("id:G", code[8:17] if len(code) == 18 else code)


def encode_person_id(id18: str) -> int:
    """18 characters as one integer: first 17 digits × 11 + check value (X = 10)."""
    check = 10 if id18[17] == "X" else int(id18[17])
    return int(id18[:17]) * 11 + check


def decode_person_id(value: int) -> str:
    body, check = divmod(value, 11)
    return f"{body:017d}" + ("X" if check == 10 else str(check))


_W = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK_CHARS = "10X98765432"


def _typo_neighbours(number: str) -> tuple[str, ...]:
    """Valid 18-character IDs one substitution or adjacent transposition away from ``number``.

    Uses the weighted sum arithmetically: replacing digit d at position i by c changes the sum by
    (c - d) · w_i, so each candidate costs a few integer operations instead of a full checksum.
    """
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return ()
    digits = [int(c) for c in number[:17]]
    total = sum(d * w for d, w in zip(digits, _W, strict=True))
    out: set[str] = set()
    for i in range(17):
        for c in range(10):
            if c != digits[i]:
                check = _CHECK_CHARS[(total + (c - digits[i]) * _W[i]) % 11]
                if check == number[17]:
                    out.add(number[:i] + str(c) + number[i + 1 :])
    out.add(number[:17] + _CHECK_CHARS[total % 11])  # the check character itself mistyped
    for i in range(16):
        a, b = digits[i], digits[i + 1]
        if a != b and _CHECK_CHARS[(total + (b - a) * _W[i] + (a - b) * _W[i + 1]) % 11] == number[17]:
            out.add(number[:i] + str(b) + str(a) + number[i + 2 :])
    out.discard(number)
    valid = []
    for cand in sorted(out):
        try:
            parse_resident_id(cand)
        except InvalidIdentifier:
            continue
        valid.append(cand)
    return tuple(valid)


def _parse_masked(code: str) -> QueryIdentifier | None:
    if "*" not in code or not _MASKED.match(code):
        return None
    visible = sum(c != "*" for c in code)
    parsed = ParsedIdentifier(IdentifierKind.RESIDENT_ID_MASKED, True, code, visible=visible)
    return QueryIdentifier(parsed, canonical=code)


def _org_reading(code: str) -> tuple[QueryIdentifier | None, str | None]:
    """(valid credit-code / organisation-code reading, or None; the error code if it fails)."""
    try:
        if len(code) == 18:
            org = parse_uscc(code)
            return QueryIdentifier(ParsedIdentifier(IdentifierKind.USCC, True, org), canonical=org), None
        if len(code) == 9:
            org = parse_org_code(code)
            return QueryIdentifier(ParsedIdentifier(IdentifierKind.ORG_CODE, True, org), canonical=org), None
    except InvalidIdentifier as exc:
        return None, exc.code
    return None, "credit_code.format"


def _resident_reading(code: str) -> tuple[QueryIdentifier | None, str | None]:
    """(valid resident-ID reading, or None; the error code if it fails). Future birth dates fail."""
    if not (len(code) in (15, 18) and code[:15].isdigit()):
        return None, "id_number.format"
    try:
        rid = parse_resident_id(code, today=dt.date.today())
    except InvalidIdentifier as exc:
        return None, exc.code
    parsed = ParsedIdentifier(
        IdentifierKind.RESIDENT_ID, True, mask_resident_id(rid.number), legacy=rid.converted_from_legacy
    )
    return QueryIdentifier(parsed, canonical=rid.number), None


def parse_query_identifier(raw: str, *, organisation: bool | None = None) -> QueryIdentifier:
    """Parse what a partner sent: full, masked or legacy resident ID, USCC or organisation code.

    ``organisation`` is the query's kind; None infers it from the format. When a string reads both
    ways (an 18-digit credit code can pass the resident-ID checksum, and about 1 in 30 digit strings
    pass the credit-code one), the resident ID wins if it starts with a province code, else the credit
    code; an invalid one that looks like a resident ID (province code, birth year 19xx/20xx) keeps the
    credit-code reading as an ``alternative``, and a credit-code reading of 18 digits keeps the resident
    reading's ``typo_neighbours``. Never raises.
    """
    code = clean_identifier(raw).replace("＊", "*")
    if organisation is not True:
        masked = _parse_masked(code)
        if masked is not None:
            return masked
    ric, ric_error = (None, None) if organisation is True else _resident_reading(code)
    province = code[:2] in PROVINCE_CODES
    if ric is not None and (province or organisation is False):
        return ric  # whatever the credit-code reading: no need to compute it
    org, org_error = (None, None) if organisation is False else _org_reading(code)
    if ric is not None and org is None:
        return ric
    if org is not None and not (
        organisation is None and province and _RIC_SHAPE.fullmatch(code) and code[6:8] in ("19", "20")
    ):
        if organisation is None and _RIC_SHAPE.fullmatch(code):
            # A mistyped resident ID passes the credit-code checksum one time in thirty: keep its typo
            # neighbours, so a listed person one keystroke away still counts as ID evidence.
            return replace(org, typo_neighbours=_typo_neighbours(code))
        return org
    if organisation is not True and _RIC_SHAPE.fullmatch(code):
        parsed = ParsedIdentifier(IdentifierKind.RESIDENT_ID, False, mask_resident_id(code), error=ric_error)
        return QueryIdentifier(
            parsed, canonical=code, typo_neighbours=_typo_neighbours(code), alternative=org
        )
    if organisation is not True and len(code) == 15 and code.isdigit():
        return QueryIdentifier(ParsedIdentifier(IdentifierKind.RESIDENT_ID, False, "", error=ric_error))
    kind = IdentifierKind.UNKNOWN
    if organisation is True or (len(code) in (9, 18) and not code[:17].isdigit()):
        kind = IdentifierKind.USCC if len(code) == 18 else IdentifierKind.ORG_CODE
    error = org_error if kind is not IdentifierKind.UNKNOWN else "identifier.format"
    return QueryIdentifier(
        ParsedIdentifier(kind, False, code if kind is not IdentifierKind.UNKNOWN else "", error)
    )


# --- list columns, vectorised ------------------------------------------------------------------------

PERSON_NONE, PERSON_FULL, PERSON_MASKED = 0, 1, 2


@dataclass(frozen=True)
class PersonIdColumn:
    state: npt.NDArray[np.int8]  # PERSON_NONE (missing or invalid) / PERSON_FULL / PERSON_MASKED
    value: U64  # encode_person_id; for masked IDs the hidden digits are 0
    exact_key: U64  # 0 unless full
    mask_key: U64  # 0 unless full or public-masked
    invalid: npt.NDArray[np.bool_]  # an identifier was given but failed validation


def _valid_dates(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    month_ok = (month >= 1) & (month <= 12)
    limit = days[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    ok: npt.NDArray[np.bool_] = (
        month_ok & (day >= 1) & (day <= limit) & (year >= 1870) & (year <= dt.date.today().year)
    )
    return ok


def person_id_column(raw: list[str | None]) -> PersonIdColumn:
    """Validate and encode a column of resident IDs (full, legacy 15-digit or publicly masked)."""
    n = len(raw)
    state = np.zeros(n, dtype=np.int8)
    value = np.zeros(n, dtype=np.uint64)
    exact_key = np.zeros(n, dtype=np.uint64)
    mask_key = np.zeros(n, dtype=np.uint64)
    invalid = np.zeros(n, dtype=np.bool_)
    texts = ["" if r is None else r.strip().upper() for r in raw]
    full_rows: list[int] = []
    full_texts: list[str] = []
    for i, t in enumerate(texts):
        if not t:
            continue
        if len(t) == 18 and "*" not in t:
            full_rows.append(i)
            full_texts.append(t)
            continue
        cleaned = clean_identifier(t)
        if len(cleaned) == 15 and cleaned.isdigit():
            try:
                full_texts.append(parse_resident_id(cleaned).number)
                full_rows.append(i)
            except InvalidIdentifier:
                invalid[i] = True
        elif len(cleaned) == 18 and "*" not in cleaned:
            full_rows.append(i)
            full_texts.append(cleaned)
        elif (
            _MASKED.match(cleaned) and all(cleaned[p] == "*" for p in PUBLIC_MASK) and cleaned.count("*") == 4
        ):
            state[i] = PERSON_MASKED
            value[i] = encode_person_id(cleaned.replace("*", "0"))
            mask_key[i] = person_mask_key(cleaned)
        else:
            invalid[i] = True
    if full_rows:
        rows = np.array(full_rows, dtype=np.int64)
        matrix = np.frombuffer(np.array(full_texts, dtype="S18").tobytes(), dtype=np.uint8).reshape(-1, 18)
        digits = matrix[:, :17].astype(np.int64) - 48
        body_ok = np.all((digits >= 0) & (digits <= 9), axis=1)
        last = matrix[:, 17]
        check = _CHECK[(np.where(body_ok[:, None], digits, 0) @ _RIC_WEIGHTS) % 11]
        ok = body_ok & (check == last)
        powers = 10 ** np.arange(7, -1, -1, dtype=np.int64)
        year = digits[:, 6:10] @ powers[4:]
        month = digits[:, 10:12] @ powers[6:]
        day = digits[:, 12:14] @ powers[6:]
        ok &= _valid_dates(year, month, day)
        good = rows[ok]
        gm = matrix[ok]
        body = (digits[ok] @ (10 ** np.arange(16, -1, -1, dtype=np.int64)).astype(np.int64)).astype(np.uint64)
        last_value = np.where(gm[:, 17] == ord("X"), 10, gm[:, 17].astype(np.int64) - 48).astype(np.uint64)
        state[good] = PERSON_FULL
        value[good] = body * np.uint64(11) + last_value
        exact_key[good] = hash_matrix("id:R", gm.astype(np.uint64))
        mask_key[good] = hash_matrix(
            "id:M", np.concatenate([gm[:, :10], gm[:, 14:]], axis=1).astype(np.uint64)
        )
        invalid[rows[~ok]] = True
    return PersonIdColumn(state, value, exact_key, mask_key, invalid)


@dataclass(frozen=True)
class OrgIdColumn:
    valid: npt.NDArray[np.bool_]
    exact_key: U64  # hash of the USCC ('id:U') or of the organisation code ('id:G')
    org_key: U64  # hash of the organisation code (USCC positions 9-17)
    invalid: npt.NDArray[np.bool_]


_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY"):
    _USCC_VALUE[ord(_c)] = _i
_ORG_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    _ORG_VALUE[ord(_c)] = _i
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ORG_CHECK = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index 11 - sum % 11 (10 -> X, 11 -> 0)


def _org_code_ok(body: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Vectorised GB 11714 check of 9-character rows."""
    values = _ORG_VALUE[body[:, :8]]
    fmt = np.all(values >= 0, axis=1) & ((body[:, 8] == ord("X")) | ((body[:, 8] >= 48) & (body[:, 8] <= 57)))
    check = _ORG_CHECK[11 - (np.where(values >= 0, values, 0) @ _ORG_WEIGHTS) % 11]
    ok: npt.NDArray[np.bool_] = fmt & (check == body[:, 8])
    return ok


def org_id_column(raw: list[str | None]) -> OrgIdColumn:
    """Validate and encode a column of credit codes / organisation codes (vectorised)."""
    n = len(raw)
    valid = np.zeros(n, dtype=np.bool_)
    exact_key = np.zeros(n, dtype=np.uint64)
    org_key = np.zeros(n, dtype=np.uint64)
    invalid = np.zeros(n, dtype=np.bool_)
    rows18: list[int] = []
    text18: list[str] = []
    rows9: list[int] = []
    text9: list[str] = []
    for i, r in enumerate(raw):
        if not r:
            continue
        code = r.strip().upper()
        if not (code.isascii() and code.isalnum()):
            code = clean_identifier(code)
        if len(code) == 18 and code.isascii():
            rows18.append(i)
            text18.append(code)
        elif len(code) == 9 and code.isascii():
            rows9.append(i)
            text9.append(code)
        else:
            invalid[i] = True
    if rows18:
        rows = np.array(rows18, dtype=np.int64)
        m = np.frombuffer(np.array(text18, dtype="S18").tobytes(), dtype=np.uint8).reshape(-1, 18)
        values = _USCC_VALUE[m]
        ok = np.all(values >= 0, axis=1) & np.all((m[:, 2:8] >= 48) & (m[:, 2:8] <= 57), axis=1)
        check = (31 - (np.where(values[:, :17] >= 0, values[:, :17], 0) @ _USCC_WEIGHTS) % 31) % 31
        ok &= (
            check == values[:, 17]
        )  # like sanctions.parse_uscc: the embedded code's own check is not required
        good = m[ok].astype(np.uint64)
        valid[rows[ok]] = True
        invalid[rows[~ok]] = True
        exact_key[rows[ok]] = hash_matrix("id:U", good)
        org_key[rows[ok]] = hash_matrix("id:G", good[:, 8:17])
    if rows9:
        rows = np.array(rows9, dtype=np.int64)
        m = np.frombuffer(np.array(text9, dtype="S9").tobytes(), dtype=np.uint8).reshape(-1, 9)
        ok = _org_code_ok(m)
        keys = hash_matrix("id:G", m[ok].astype(np.uint64))
        valid[rows[ok]] = True
        invalid[rows[~ok]] = True
        exact_key[rows[ok]] = keys
        org_key[rows[ok]] = keys
    return OrgIdColumn(valid, exact_key, org_key, invalid)
