"""Public data types of the screening engine. All results serialise with ``to_dict()`` to plain JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from screening.identifiers import ParsedIdentifier

JSONScalar = str | int | float | bool | None


class Kind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class Band(StrEnum):
    """Decision band. ``match``: act on it; ``review``: a human must look; ``clear``: no listed subject."""

    MATCH = "match"
    REVIEW = "review"
    CLEAR = "clear"

    @property
    def rank(self) -> int:
        return {"match": 2, "review": 1, "clear": 0}[self.value]


@dataclass(frozen=True, slots=True)
class KeyPerson:
    """A person attached to an organisation's entry (legal representative, person in charge …)."""

    name: str
    identifier: str | None = None
    role: str = "legal_representative"


@dataclass(frozen=True, slots=True)
class Entry:
    """One list entry. ``entry_id`` is opaque and assigned by the caller.

    A person carries a full 18-digit resident ID (a 15-digit legacy one is converted; a publicly
    masked one is accepted as weaker evidence); an organisation a USCC or organisation code.
    ``aliases`` are other names of the same subject; ``key_persons`` are an organisation's legal
    representative and other responsible persons, screened as persons and reported under the
    organisation's ``entry_id``.
    """

    entry_id: str
    kind: Kind
    name: str
    identifier: str | None = None
    aliases: tuple[str, ...] = ()
    key_persons: tuple[KeyPerson, ...] = ()


NAMESAKE_LIMIT = 3
"""A sensible :attr:`Query.namesake_limit` (entries returned per identical listed name on name evidence
alone). Off by default: measured on the labelled evaluation, collapsing lowered "true entry in the top 10
as returned" for name-only queries (0.953 → 0.931), and a caller that filters matches afterwards (by
sector, say) could lose a namesake that the collapse hid."""


@dataclass(frozen=True, slots=True)
class Query:
    """What a partner sends. ``kind`` None screens against persons and organisations alike.

    ``limit`` caps the matches returned. Candidates the evidence rules out (band ``clear``: a
    contradicting ID, another region) are only counted in :attr:`Result.cleared` — returning other
    listed people's entries for a subject who is clearly not them would disclose list data for no
    purpose — unless ``include_cleared`` asks for them (audit, debugging).

    ``namesake_limit`` collapses namesakes: among matches with no identifier evidence (band
    ``review``, the identifier missing on either side or unusable), at most this many entries per
    identical matched normalised name are returned, best first; each still reports
    :attr:`Match.namesakes`, the number of listed entries with that name. A name shared by 40 listed
    people cannot tell them apart — the identifier decides (screening-anchors §7, matching-notes
    §1.3) — so the remaining places go to distinct near names (homophones, one edit …). Matches with
    identifier evidence (band ``match``, or a compatible, typo or contradicting identifier) are
    never collapsed, and :attr:`Result.total` still counts every entry. ``None`` (the default) returns
    them all.
    """

    name: str | None = None
    identifier: str | None = None
    kind: Kind | None = None
    limit: int = 10
    include_cleared: bool = False
    namesake_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Feature:
    """One addend of the score: ``name`` (name / id / region / legal_form / branch / …), its ``level``,
    the ``weight`` in bits (log2 m/u, positive = evidence for) and human-readable ``detail``."""

    name: str
    level: str
    weight: float
    detail: Mapping[str, JSONScalar] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "level": self.level, "weight": self.weight, "detail": dict(self.detail)}


@dataclass(frozen=True, slots=True)
class Match:
    """A listed entry that the query may refer to.

    ``score`` is the sum of the feature weights; ``namesakes`` counts the listed entries (this one
    included) whose normalised name equals the name that matched; ``matched_name`` is that name as
    listed; ``record`` tells which of the entry's names matched (name / alias / key_person).
    """

    entry_id: str
    kind: Kind
    band: Band
    score: float
    features: tuple[Feature, ...]
    namesakes: int
    matched_name: str
    record: str

    def to_dict(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id,
            "kind": self.kind.value,
            "band": self.band.value,
            "score": self.score,
            "namesakes": self.namesakes,
            "matched_name": self.matched_name,
            "record": self.record,
            "features": [f.to_dict() for f in self.features],
        }


@dataclass(frozen=True, slots=True)
class NormalisedQuery:
    """How the engine read the query: normalised name forms, pinyin readings, parsed identifier."""

    name: str | None
    script: str  # han / latin / empty
    kind: Kind | None
    forms: Mapping[str, str]  # e.g. {"normalised": …, "core": …, "company_core": …, "region": …}
    pinyin: tuple[str, ...]  # candidate readings, surname first, space-separated syllables
    identifier: ParsedIdentifier | None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "script": self.script,
            "kind": self.kind.value if self.kind else None,
            "forms": dict(self.forms),
            "pinyin": list(self.pinyin),
            "identifier": self.identifier.to_dict() if self.identifier else None,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """The answer to one query: overall ``band`` (the best match's, ``clear`` if none), matches best
    first (at most ``limit``; ``total`` counts all entries in review or match, ``cleared`` the
    candidate entries whose evidence ruled them out), and provenance."""

    query: NormalisedQuery
    band: Band
    matches: tuple[Match, ...]
    total: int
    cleared: int
    algorithm_version: str
    index_generation: int
    index_size: int

    def to_dict(self) -> dict[str, object]:
        return {
            "band": self.band.value,
            "total": self.total,
            "cleared": self.cleared,
            "matches": [m.to_dict() for m in self.matches],
            "query": self.query.to_dict(),
            "algorithm_version": self.algorithm_version,
            "index_generation": self.index_generation,
            "index_size": self.index_size,
        }
