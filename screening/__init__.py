"""Screening engine: match names and identifiers against the dishonest-debtor list.

Pure Python + numpy (no Flask, no database). Typical use::

    from screening import Entry, Kind, Query, ScreeningIndex

    index = ScreeningIndex.build(entries)          # at start-up
    index.add(entry); index.remove("E1"); index.replace(entry)   # visible to the next query
    result = index.query(Query(name="張偉", identifier="1101051949****002X"))
    result.band, result.matches[0].features, result.to_dict()

Design notes: ``screening/index.py`` (index layout, incremental updates), ``screening/scoring.py``
(levels, weights, band rules), ``screening/text.py`` / ``pinyin.py`` / ``orgname.py`` (normalisation),
``screening/evaluation.py`` (labelled synthetic data).
"""

from screening.identifiers import IdentifierKind, ParsedIdentifier
from screening.index import ScreeningIndex
from screening.model import (
    NAMESAKE_LIMIT,
    Band,
    Entry,
    Feature,
    KeyPerson,
    Kind,
    Match,
    NormalisedQuery,
    Query,
    Result,
)
from screening.scoring import ALGORITHM_VERSION

__all__ = [
    "ALGORITHM_VERSION",
    "NAMESAKE_LIMIT",
    "Band",
    "Entry",
    "Feature",
    "IdentifierKind",
    "KeyPerson",
    "Kind",
    "Match",
    "NormalisedQuery",
    "ParsedIdentifier",
    "Query",
    "Result",
    "ScreeningIndex",
]
