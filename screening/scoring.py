"""Discrete evidence levels, their weights (bits) and the band rules.

Every comparison is reduced to a discrete *level* per feature (name, identifier, region, legal form);
each level carries a Fellegi–Sunter weight ``log2(m/u)`` and the score is their sum, so the list of
addends *is* the explanation (matching-notes §5.1). Name weights are the ones fitted on 4,000 labelled
queries against a 1 M synthetic list in matching-notes §5.1; the identifier weights are re-derived for
the public mask, which shows 14 of 18 digits (area, birth year, sequence, check; rulebook §5.3)
instead of the 10 assumed there: two different people share the visible digits with probability about
1/11,000 within one area and birth year, so ``u`` is at least 100× smaller and the weight ~7 bits
higher than the notes' +17.3 for the 6+4 mask.

Bands are rules on the levels, so they hold whatever the weights (each rule is tested):

Persons
1. a valid identifier that contradicts the entry's (full vs full, or visible digits of a masked one)
   → ``clear``, whatever the name;
2. a valid full identifier equal to the entry's (after 15 → 18 conversion) → ``match``, whatever the
   name — the resident ID is unique and check-digit protected; a disagreeing name is surfaced as the
   ``name`` feature with ``id_name_mismatch`` so a reviewer sees it (people and companies rename);
3. partial identifier evidence (masked ID compatible with at least :data:`MIN_VISIBLE_DIGITS` visible
   digits compared, or an invalid ID one typo from the entry's)
   counts only with name agreement (level edit1 or better): score ≥ :data:`MATCH_BITS` → ``match``,
   else ``review``; without a name in the query → ``review``; with a disagreeing name it is not
   counted (weight 0) → ``clear``;
4. no identifier evidence: a name agreement → ``review`` (a name alone never matches: namesakes);
   otherwise ``clear``.

Organisations: rule 1 except for a branch of the listed company (a branch has its own credit code);
rule 2 with the USCC or the organisation code it embeds; name agreement → ``review`` unless the
regions contradict (the same trade name registered in another region is another company) → ``clear``.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import numpy.typing as npt

# 1.1: namesake collapse (Query.namesake_limit); 1.2: masks with few visible digits are no evidence, more
# name separators, numbered-tone pinyin, CJK radicals supplement folded; 1.3: variant characters folded
# (screening.text.VARIANTS: 髙→高, 﨑→崎, 衞→卫, 徳→德 …) and invisible format characters dropped (U+200B …);
# 1.4: a mistyped resident ID that passes the credit-code checksum is still a typo of the listed ID
ALGORITHM_VERSION = "cn-screening/1.4"
MATCH_BITS = 12.0


class PersonLevel(IntEnum):
    NONE = -1  # the query has no name
    OTHER = 0
    EDIT1 = 1  # one character edit (names of ≥ 3 characters) or one pinyin-syllable edit
    SWAPPED = 2  # two neighbouring characters swapped (same characters)
    FUZZY_PINYIN = 3  # equal after zh/z, n/l, -ng/-n … folding
    ROMANISED = 4  # romanised query equal to the entry's pinyin
    HOMOPHONE = 5  # equal toneless pinyin, different characters
    REORDERED = 6  # same ·-separated parts in another order (minority / transliterated names)
    EXACT = 7  # equal after normalisation (traditional, spaces, dots, full width …)


class OrgLevel(IntEnum):
    NONE = -1
    OTHER = 0
    EDIT1 = 1  # one character edit in the name body (≥ 4 characters)
    HOMOPHONE = 2  # name body with equal pinyin
    TRADE = 3  # equal trade name (字号), industry words differ or missing
    CORE = 4  # equal name body; region prefix / bracket / legal form differ or missing
    EXACT = 5  # equal full normalised name


class IdLevel(IntEnum):
    MISSING = 0  # nothing to compare (either side has no usable identifier)
    EXACT = 1
    MASK_COMPATIBLE = 2
    TYPO = 3  # invalid query ID one substitution / transposition from the entry's
    CONFLICT = 4
    MASK_CONFLICT = 5
    QUERY_INVALID = 6  # the query's identifier failed validation and is not near this entry's
    MASK_TOO_FEW = 7  # a masked ID agrees, but shows fewer than MIN_VISIBLE_DIGITS: no evidence


# Plain-int aliases for hot loops (IntEnum attribute access is slow).
P_NONE, P_OTHER, P_EDIT1, P_SWAPPED, P_FUZZY_PINYIN, P_ROMANISED, P_HOMOPHONE, P_REORDERED, P_EXACT = range(
    -1, 8
)
O_NONE, O_OTHER, O_EDIT1, O_HOMOPHONE, O_TRADE, O_CORE, O_EXACT = range(-1, 6)
(
    ID_MISSING,
    ID_EXACT,
    ID_MASK_COMPATIBLE,
    ID_TYPO,
    ID_CONFLICT,
    ID_MASK_CONFLICT,
    ID_QUERY_INVALID,
    ID_MASK_TOO_FEW,
) = range(8)

PERSON_NAME_WEIGHTS: dict[PersonLevel, float] = {
    PersonLevel.NONE: 0.0,
    PersonLevel.OTHER: -6.2,
    PersonLevel.EDIT1: -2.2,
    PersonLevel.SWAPPED: 0.0,
    PersonLevel.FUZZY_PINYIN: 3.5,
    PersonLevel.ROMANISED: 5.0,
    PersonLevel.HOMOPHONE: 5.6,
    PersonLevel.REORDERED: 6.0,
    PersonLevel.EXACT: 7.0,
}
ORG_NAME_WEIGHTS: dict[OrgLevel, float] = {
    OrgLevel.NONE: 0.0,
    OrgLevel.OTHER: -6.2,
    OrgLevel.EDIT1: 1.0,
    OrgLevel.HOMOPHONE: 4.0,
    OrgLevel.TRADE: 5.0,
    OrgLevel.CORE: 6.5,
    OrgLevel.EXACT: 8.0,
}
ID_WEIGHTS: dict[IdLevel, float] = {
    IdLevel.MISSING: 0.0,
    IdLevel.EXACT: 29.0,
    IdLevel.MASK_COMPATIBLE: 24.0,  # scaled by visible digits, see mask_weight()
    IdLevel.TYPO: 12.9,
    IdLevel.CONFLICT: -11.8,
    IdLevel.MASK_CONFLICT: -11.8,
    IdLevel.QUERY_INVALID: 0.0,
    IdLevel.MASK_TOO_FEW: 0.0,
}
REGION_WEIGHTS = {"same": 1.0, "different": -8.0, "unknown": 0.0}
LEGAL_FORM_WEIGHTS = {"same": 0.5, "different": -1.0, "unknown": 0.0}


MIN_VISIBLE_DIGITS = 10
"""Fewest visible digits a compatible masked ID needs to count at all. Ten is the weakest mask whose weight
was measured (area + last four, matching-notes §4.4 and §5.2: +17.3 bits, with a name agreement precision
1.000 at 1 M); with fewer, the visible digits are shared by a large part of the list (six digits are one
area code, thousands of people), and a pattern with nothing visible agrees with everyone. Such a mask is
reported as ``mask_too_few`` and weighs nothing, so the name alone decides: never ``match``."""


def mask_weight(visible: int) -> float:
    """Weight of a compatible masked ID: public pattern (14 visible) +24 bits, area + last 4 (10) +17.3,
    fewer than :data:`MIN_VISIBLE_DIGITS` nothing."""
    if visible >= 14:
        return 24.0
    if visible >= MIN_VISIBLE_DIGITS:
        return 17.3
    return 0.0


BAND_CLEAR, BAND_REVIEW, BAND_MATCH = 0, 1, 2
BAND_NAMES = ("clear", "review", "match")


def person_bands(
    name_level: npt.NDArray[np.int8], id_level: npt.NDArray[np.int8], score: npt.NDArray[np.float64]
) -> npt.NDArray[np.int8]:
    """Vectorised person band rules (module docstring, rules 1–4)."""
    agree = name_level >= P_EDIT1
    no_name = name_level == P_NONE
    partial = (id_level == ID_MASK_COMPATIBLE) | (id_level == ID_TYPO)
    conflict = (id_level == ID_CONFLICT) | (id_level == ID_MASK_CONFLICT)
    band = np.full(name_level.shape, BAND_CLEAR, dtype=np.int8)
    band[agree] = BAND_REVIEW
    band[partial & no_name] = BAND_REVIEW
    band[partial & agree & (score >= MATCH_BITS)] = BAND_MATCH
    band[id_level == ID_EXACT] = BAND_MATCH
    band[conflict] = BAND_CLEAR
    return band


def org_bands(
    name_level: npt.NDArray[np.int8],
    id_level: npt.NDArray[np.int8],
    region_conflict: npt.NDArray[np.bool_],
    branch_of: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int8]:
    """Vectorised organisation band rules (module docstring)."""
    agree = name_level >= O_EDIT1
    band = np.full(name_level.shape, BAND_CLEAR, dtype=np.int8)
    band[agree & ~region_conflict] = BAND_REVIEW
    band[(name_level == O_NONE) & (id_level == ID_MISSING)] = BAND_CLEAR
    band[id_level == ID_EXACT] = BAND_MATCH
    band[(id_level == ID_CONFLICT) & ~branch_of] = BAND_CLEAR
    return band
