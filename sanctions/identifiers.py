"""Chinese identifiers: resident ID numbers, unified social credit codes, organisation codes.

Rulebook §5.3–§5.6. Pure functions, no I/O. Validation functions raise :class:`InvalidIdentifier`
with a stable machine-readable ``code`` so that the API can report exactly what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class InvalidIdentifier(ValueError):
    """An identifier failed validation; ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


# --- Resident ID number, GB 11643-1999 (rulebook §5.4) -------------------------------------------

_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2
_RIC_CHECK = "10X98765432"
# ASCII digits only: a number in other digits (Arabic-Indic ٠١٢…) would be stored as another identifier.
_RIC_18 = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_RIC_15 = re.compile(r"^\d{15}$", re.ASCII)
_RIC_MASKED = re.compile(r"^\d{10}\*{4}\d{3}[\dX]$", re.ASCII)


def ric_check_char(first17: str) -> str:
    """Return the GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-character resident ID number and what it encodes."""

    number: str
    birth_date: dt.date
    sex: Sex
    converted_from_legacy: bool = False

    @property
    def masked(self) -> str:
        return mask_resident_id(self.number)


def clean_identifier(raw: str) -> str:
    """Strip spaces and hyphens, upper-case, and fold full-width characters to ASCII."""
    folded = raw.translate(_FULLWIDTH)
    return re.sub(r"[\s\-]", "", folded).upper()


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _birth_date(yyyymmdd: str) -> dt.date:
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise InvalidIdentifier(
            "id_number.bad_birth_date", f"birth date {yyyymmdd} in the ID number is not a real date"
        ) from None


def parse_resident_id(raw: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate an 18-digit (or legacy 15-digit) resident ID number.

    A 15-digit legacy number (pre-1999: two-digit year, no check digit) is converted to 18 digits
    by inserting "19" before the year and computing the check character.
    Raises InvalidIdentifier with codes ``id_number.format``, ``id_number.check_digit``,
    ``id_number.bad_birth_date`` or ``id_number.future_birth_date``.
    """
    number = clean_identifier(raw)
    legacy = False
    if _RIC_15.match(number):
        first17 = number[:6] + "19" + number[6:]
        number = first17 + ric_check_char(first17)
        legacy = True
    elif not _RIC_18.match(number):
        raise InvalidIdentifier(
            "id_number.format", "an ID number has 18 characters (17 digits and a digit or X) or 15 digits"
        )
    elif ric_check_char(number[:17]) != number[17]:
        raise InvalidIdentifier("id_number.check_digit", "the ID number's check character is wrong")
    born = _birth_date(number[6:14])
    if today is not None and born > today:
        raise InvalidIdentifier(
            "id_number.future_birth_date", "the birth date in the ID number is in the future"
        )
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number=number, birth_date=born, sex=sex, converted_from_legacy=legacy)


def build_resident_id(area: str, born: dt.date, sequence: str) -> str:
    """The valid 18-character ID for a 6-digit area code, birth date and 3-digit sequence (demos, tests)."""
    first17 = f"{area}{born:%Y%m%d}{sequence}"
    return first17 + ric_check_char(first17)


def is_valid_resident_id(raw: str) -> bool:
    try:
        parse_resident_id(raw)
    except InvalidIdentifier:
        return False
    return True


def mask_resident_id(number: str) -> str:
    """Public masking (rulebook §5.3, D12): digits 11–14 (birth month and day) become ****."""
    return number[:10] + "****" + number[14:]


def is_masked_resident_id(raw: str) -> bool:
    return bool(_RIC_MASKED.match(clean_identifier(raw)))


def eighteenth_birthday(born: dt.date) -> dt.date:
    """The day a person becomes an adult (D3): born 29 February turns 18 on 1 March in a common year."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return dt.date(born.year + 18, 3, 1)


def is_minor_on(born: dt.date, day: dt.date) -> bool:
    """True when the person is under 18 on ``day`` (list rules Art. 4, rulebook §1.4)."""
    return day < eighteenth_birthday(born)


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on ``day``; a 29 February birthday counts from 1 March in common years."""
    years = day.year - born.year
    try:
        birthday = born.replace(year=day.year)
    except ValueError:
        birthday = dt.date(day.year, 3, 1)
    return years - (1 if day < birthday else 0)


# --- Organisation code, GB 11714-1997 (rulebook §5.6) --------------------------------------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")


def _org_char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_code_check_char(body: str) -> str:
    total = sum(_org_char_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def parse_org_code(raw: str) -> str:
    """Validate a 9-character organisation code (the hyphen before the check character is optional)."""
    code = clean_identifier(raw)
    if not _ORG_CODE.match(code):
        raise InvalidIdentifier(
            "org_code.format", "an organisation code has 8 characters and a check character"
        )
    if org_code_check_char(code[:8]) != code[8]:
        raise InvalidIdentifier("org_code.check_digit", "the organisation code's check character is wrong")
    return code


# --- Unified social credit code, GB 32100-2015 (rulebook §5.5) -----------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def build_uscc(prefix: str, org_body: str) -> str:
    """The valid credit code from 8 leading characters and an 8-character organisation-code body."""
    first17 = prefix + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)


def parse_uscc(raw: str) -> str:
    """Validate an 18-character unified social credit code; letters are valid in the first position."""
    code = clean_identifier(raw)
    if not _USCC.match(code):
        raise InvalidIdentifier(
            "credit_code.format",
            "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z; "
            "positions 3-8 are digits",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier("credit_code.check_digit", "the credit code's check character is wrong")
    return code


def parse_org_identifier(raw: str) -> str:
    """Accept a unified social credit code (18) or a legacy organisation code (9, optional hyphen)."""
    code = clean_identifier(raw)
    if len(code) == 18:
        return parse_uscc(code)
    if len(code) == 9:
        return parse_org_code(code)
    raise InvalidIdentifier(
        "credit_code.format", "expected an 18-character credit code or a 9-character organisation code"
    )
