"""Who is asked about, and which court permissions are in force: the input to :mod:`sanctions.decide`.

Rulebook §2.3 (the four key persons, C-ORG-1…4), §2.4 (C-PERMIT), §2.5 (C-HUMANITARIAN, C-LR-CHANGE), §3.4
(EDU-1); decisions D10, D11. Everything is validated at construction and raises :class:`InvalidInput`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from sanctions.calendar import period_end_months
from sanctions.catalogue import Instrument, KeyRole, LegalBasis, Measure, Target, UnknownMeasure, get_measure


class InvalidInput(ValueError):
    """A status or permission is not valid; ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SubjectKind(StrEnum):
    PERSON = "person"  # a natural person (same value as sanctions.listing)
    ORGANISATION = "organisation"
    # A debtor's child, asked about in that capacity. Never a subject of any measure (EDU-1).
    CHILD = "child"


@dataclass(frozen=True)
class KeyPosition:
    """A key role the person holds in a *restricted* organisation debtor (C-ORG-1).

    ``organisation`` is the organisation's stable identifier (e.g. its unified social credit code);
    ``organisation_listed`` says whether that organisation is also on the dishonest list. After a change of
    legal representative approved under C-LR-CHANGE the former holder no longer has the position: leave it
    out.
    """

    organisation: str
    role: KeyRole
    organisation_listed: bool = False

    def __post_init__(self) -> None:
        _coerce(self, "role", KeyRole)


def _coerce(obj: object, name: str, kind: type[StrEnum]) -> None:
    """Turn a plain string from the API into its enum member (ValueError if unknown): ``is`` checks rely on it."""
    object.__setattr__(obj, name, kind(getattr(obj, name)))


def _check_window(valid_from: dt.date, valid_until: dt.date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput(
            "permission_window_reversed", f"permission ends ({valid_until}) before it starts ({valid_from})"
        )


def consumption_measure(code: str) -> Measure:
    """The consumption measure with this code; raises :class:`InvalidInput` for an unknown or other code.

    Court permissions and purchase checks only ever concern consumption measures (限高规定 Arts. 3 and 8).
    """
    try:
        measure = get_measure(code)
    except UnknownMeasure:
        raise InvalidInput("unknown_measure", f"unknown measure code {code!r}") from None
    if not measure.is_consumption:
        raise InvalidInput(
            "not_a_consumption_measure",
            f"{code} follows from the listing, not a consumption restriction; no permission lifts it",
        )
    return measure


def _check_consumption_codes(codes: frozenset[str]) -> None:
    if not codes:
        raise InvalidInput("permission_without_measures", "a permission must name at least one measure")
    for code in sorted(codes):
        consumption_measure(code)


class _Window:
    """Validity window of a court permission: both ends inclusive; no end means until revoked."""

    valid_from: dt.date
    valid_until: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        """Whether the permission is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, kw_only=True)
class PersonalFundsPermission(_Window):
    """A key person's approved private consumption with personal funds (C-ORG-2, C-ORG-4).

    Applies only to measures that reach the person as a key person of ``organisation`` — never to the
    person's own restriction as a debtor. ``measures`` lists the approved consumption measure codes; ``None``
    means every item. ``valid_until=None`` means until revoked.
    """

    organisation: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    measures: frozenset[str] | None = None
    reference: str = ""

    rule: ClassVar[str] = "C-ORG-2"
    basis: ClassVar[tuple[LegalBasis, ...]] = (
        LegalBasis(Instrument.XG_RULES, "Art. 3 ¶2", "C-ORG-2"),
        LegalBasis(Instrument.OPINION_2019, "§17(1)", "C-ORG-4"),
    )

    def __post_init__(self) -> None:
        _check_window(self.valid_from, self.valid_until)
        if self.measures is not None:
            object.__setattr__(self, "measures", frozenset(self.measures))
            _check_consumption_codes(self.measures)

    def lifts(self, measure: Measure, capacity: Target, organisation: str | None) -> bool:
        """Whether this permission lifts ``measure`` for a ban reaching the subject in ``capacity``."""
        return (
            capacity is Target.KEY_PERSON
            and organisation == self.organisation
            and measure.is_consumption
            and (self.measures is None or measure.code in self.measures)
        )


@dataclass(frozen=True, kw_only=True)
class NecessityPermission(_Window):
    """A restricted debtor's approved consumption needed for living or business, per item (C-PERMIT, Art. 8).

    Applies to the debtor's own restriction (person or organisation), for the listed measure codes only.
    """

    measures: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date | None = None
    reference: str = ""

    rule: ClassVar[str] = "C-PERMIT"
    basis: ClassVar[tuple[LegalBasis, ...]] = (LegalBasis(Instrument.XG_RULES, "Art. 8", "C-PERMIT"),)

    def __post_init__(self) -> None:
        _check_window(self.valid_from, self.valid_until)
        object.__setattr__(self, "measures", frozenset(self.measures))
        _check_consumption_codes(self.measures)

    def lifts(self, measure: Measure, capacity: Target, organisation: str | None) -> bool:
        """Whether this permission lifts ``measure`` for a ban reaching the subject in ``capacity``."""
        return capacity is not Target.KEY_PERSON and measure.code in self.measures


class HumanitarianReason(StrEnum):
    """Grounds for a humanitarian temporary lift (2019 Opinion §17(3))."""

    MEDICAL = "medical"  # serious illness of self or a close relative (重大疾病就医)
    FUNERAL = "funeral"  # a close relative's funeral
    OFFICIAL_DUTY = "official_duty"
    FOREIGN_AFFAIRS = "foreign_affairs"
    EXAM = "exam"  # an important examination


@dataclass(frozen=True, kw_only=True)
class HumanitarianLift(_Window):
    """Temporary lift of the flight and high-speed-rail measures (C-HUMANITARIAN, D11).

    Approved by the court president; valid from ``valid_from`` to ``valid_until`` inclusive, at most one month
    counted as in D2 (the last permitted day is the same-numbered day a month after ``valid_from``, or that
    month's last day). It suspends the flight and HSR measures whatever their basis and whatever capacity they
    reach the person in, and expires by itself.
    """

    valid_from: dt.date
    valid_until: dt.date
    reason: HumanitarianReason
    reference: str = ""

    rule: ClassVar[str] = "C-HUMANITARIAN"
    basis: ClassVar[tuple[LegalBasis, ...]] = (
        LegalBasis(Instrument.OPINION_2019, "§17(3)", "C-HUMANITARIAN"),
    )

    def __post_init__(self) -> None:
        _coerce(self, "reason", HumanitarianReason)
        _check_window(self.valid_from, self.valid_until)
        latest = period_end_months(self.valid_from, 1)
        if self.valid_until > latest:
            raise InvalidInput(
                "humanitarian_lift_too_long",
                f"a humanitarian lift lasts at most one month: from {self.valid_from} it must end by"
                f" {latest}, not {self.valid_until} (C-HUMANITARIAN, D11)",
            )

    def lifts(self, measure: Measure, capacity: Target, organisation: str | None) -> bool:
        """Whether this lift suspends ``measure``: flights and high-speed rail only, in any capacity."""
        return measure.humanitarian_liftable


Permission = PersonalFundsPermission | NecessityPermission | HumanitarianLift


@dataclass(frozen=True)
class SubjectStatus:
    """The subject's current statuses, as the court's records show them on the day of the decision.

    - ``listed``: on the active, published dishonest-debtor list as the debtor.
    - ``restricted``: under an active consumption restriction order as the debtor. A listed debtor is always
      restricted (限高规定 Art. 1 ¶2, C-IMPOSE-2), so ``listed`` without ``restricted`` is rejected.
    - ``key_positions``: key roles held in restricted organisation debtors (natural persons only).
    - ``permissions``: court permissions on record; each is checked against the decision date.

    A ``CHILD`` carries nothing: a debtor's child is never a subject (EDU-1).
    """

    kind: SubjectKind
    listed: bool = False
    restricted: bool = False
    key_positions: tuple[KeyPosition, ...] = ()
    permissions: tuple[Permission, ...] = ()

    def __post_init__(self) -> None:
        _coerce(self, "kind", SubjectKind)
        object.__setattr__(self, "key_positions", tuple(self.key_positions))
        object.__setattr__(self, "permissions", tuple(self.permissions))
        if self.kind is SubjectKind.CHILD and (
            self.listed or self.restricted or self.key_positions or self.permissions
        ):
            raise InvalidInput(
                "child_is_not_a_subject",
                "a debtor's child is never a subject (EDU-1); if the child is a debtor in their own right,"
                " describe them as a natural person",
            )
        if self.listed and not self.restricted:
            raise InvalidInput(
                "listed_but_not_restricted",
                "a listed debtor must also be under a consumption restriction (限高 Art. 1 ¶2, C-IMPOSE-2)",
            )
        if self.kind is SubjectKind.ORGANISATION:
            if self.key_positions:
                raise InvalidInput(
                    "organisation_key_position", "key positions (C-ORG-1) are held by natural persons only"
                )
            if any(not isinstance(p, NecessityPermission) for p in self.permissions):
                raise InvalidInput(
                    "permission_for_individuals_only",
                    "personal-funds permissions and humanitarian lifts are granted to individuals only",
                )
