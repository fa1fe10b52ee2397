"""Partner screening: an in-memory index of everyone listed or restricted today, kept current from the
event log, and answers scoped to the partner's own sector.

The index (``screening.ScreeningIndex``) holds one entry per subject — a debtor person or organisation, or
an organisation's key person — with a published, active listing or a restriction in force today. Before
each screening the process applies the events appended since it last looked (one indexed query), plus the
changes that come with the date (grace periods ending, terms expiring), so a removal is never served
after its transaction has committed. Every worker keeps its own index and follows the same shared log.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import SQLAlchemyError

from blacklist_service import clock
from blacklist_service.errors import Invalid
from blacklist_service.extensions import db
from blacklist_service.models import Case, Event, Listing, Restriction, Subject
from blacklist_service.services import citizens, events, restrictions
from blacklist_service.services.status import Standing, standings, status_of
from sanctions.catalogue import KeyRole, Sector, Target, Trigger
from sanctions.decide import KeyPosition, MeasureDecision, SubjectKind, SubjectStatus, decide, decide_all
from sanctions.identifiers import mask_resident_id
from screening.index import ScreeningIndex
from screening.model import Band, Entry, Kind, Match, Query, Result
from screening.scoring import ALGORITHM_VERSION

log = logging.getLogger(__name__)


@dataclass
class IndexState:
    """One process's index and how far it has followed the event log."""

    index: ScreeningIndex | None = None
    last_seq: int = 0
    day: dt.date | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    past: PastIndices = field(default_factory=lambda: PastIndices(0))  # past days screened (D1), index_on()
    past_lock: threading.Lock = field(default_factory=threading.Lock)  # a replay's build never holds `lock`
    # Subject id -> the sectors with a measure that applies to it, on `day` at event `last_seq`: which
    # candidates a partner may see (and count as namesakes) without loading every candidate's records again.
    # Replaced by a new dict, never cleared, whenever the index moves: a request still holding the old one can
    # only fill that one.
    sectors: dict[int, frozenset[Sector]] = field(default_factory=dict)


class PastIndices:
    """Indices of past days (D1 replays), least recently used first, at one list version.

    A partner who alternates between two days (receipts of Monday and Tuesday) would rebuild an index at
    every request if only the last day were kept. Kept instead: the most recently used days whose indices
    fit in ``budget`` bytes together (:meth:`ScreeningIndex.memory_bytes`), and always the last one asked,
    whatever its size, so a run of one day never rebuilds. The live index of today is not in here and is
    never evicted by a replay. Not thread-safe: :func:`index_on` holds ``past_lock``.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.version = 0
        self.days: OrderedDict[dt.date, ScreeningIndex] = OrderedDict()

    def get(self, day: dt.date, version: int) -> ScreeningIndex | None:
        if version != self.version:  # the log moved on: every day's index may be out of date
            self.days.clear()
            self.version = version
        index = self.days.get(day)
        if index is not None:
            self.days.move_to_end(day)
        return index

    def put(self, day: dt.date, index: ScreeningIndex) -> None:
        self.days[day] = index
        self.days.move_to_end(day)
        total = sum(i.memory_bytes() for i in self.days.values())
        while len(self.days) > 1 and total > self.budget:
            _, evicted = self.days.popitem(last=False)
            total -= evicted.memory_bytes()


def init_app(app: Flask) -> None:
    app.extensions["screening"] = IndexState(past=PastIndices(app.config["PAST_INDEX_MIB"] * 2**20))


def warm_up(app: Flask) -> None:
    """Build the index at server start-up (``blacklist_service.wsgi``), not at the first screening."""
    with app.app_context():
        try:
            refresh()
        except SQLAlchemyError:  # e.g. before `flask db upgrade`: it is built at the first screening instead
            log.warning("screening index not built at start-up; it will be built at the first screening")
        finally:
            db.session.remove()


def _state() -> IndexState:
    state: IndexState = current_app.extensions["screening"]
    return state


def _in_force_clause(on: dt.date) -> tuple[Any, Any]:
    listing = select(Listing.subject_id).where(
        Listing.publish_from <= on,
        or_(Listing.removed_on.is_(None), Listing.removed_on > on),
        or_(Listing.term_end.is_(None), Listing.term_end >= on),
    )
    restriction = select(Restriction.subject_id).where(Restriction.is_active(on))
    return listing, restriction


def subjects_in_force(on: dt.date, among: set[int] | None = None) -> list[Subject]:
    """Subjects with a published active listing or a restriction in force on ``on``."""
    listing, restriction = _in_force_clause(on)
    if among is not None:
        listing = listing.where(Listing.subject_id.in_(among))
        restriction = restriction.where(Restriction.subject_id.in_(among))
    ids = listing.union(restriction).subquery()
    return list(db.session.scalars(select(Subject).where(Subject.id.in_(select(ids.c.subject_id)))))


def entry_for(subject: Subject) -> Entry:
    return _entry(subject.id, subject.kind, subject.name, subject.identifier)


def _entry(subject_id: int, kind: str, name: str, identifier: str) -> Entry:
    kind_ = Kind.PERSON if kind == "person" else Kind.ORGANISATION
    return Entry(entry_id=str(subject_id), kind=kind_, name=name, identifier=identifier)


def _entries_in_force(on: dt.date) -> Iterator[Entry]:
    """Every entry for a full build, streamed as plain rows (no ORM objects: millions of them)."""
    listing, restriction = _in_force_clause(on)
    ids = listing.union(restriction).subquery()
    rows = db.session.execute(
        select(Subject.id, Subject.kind, Subject.name, Subject.identifier)
        .where(Subject.id.in_(select(ids.c.subject_id)))
        .execution_options(yield_per=10_000)
    )
    for row in rows:
        yield _entry(*row)


def _dated_changes(since: dt.date, until: dt.date) -> set[int]:
    """Subjects whose status changes with the date alone in (since, until]: publication after a grace period,
    a term's end, a restriction taking effect."""
    published = select(Listing.subject_id).where(Listing.publish_from > since, Listing.publish_from <= until)
    expired = select(Listing.subject_id).where(Listing.term_end >= since, Listing.term_end < until)
    effective = select(Restriction.subject_id).where(
        Restriction.effective_from > since, Restriction.effective_from <= until
    )
    return set(db.session.scalars(published.union(expired, effective)))


def _rebuild(state: IndexState, today: dt.date) -> None:
    last = events.last_seq()
    state.index = ScreeningIndex.build(_entries_in_force(today))
    state.last_seq, state.day = last, today
    state.sectors = {}
    _freeze_heap()
    log.info("screening index built: %d entries at event %d", len(state.index), last)


def _freeze_heap() -> None:
    """Take every object alive now out of the collector's sight (:func:`gc.freeze`).

    A worker's heap at this point is long-lived: the modules, pypinyin's phrase dictionary (some 200 000
    lists) and the index. A full collection walks all of it, and a batch or a job's chunk allocates enough
    survivors to trigger one every few requests: at 100 000 debtors each cost 0.15–0.3 s, most of the
    collector's time in a job. Frozen, a full collection walks only what came later. Unfreezing and
    collecting first frees what has died since the previous freeze (a rebuild: the old index's objects) and
    the start-up's garbage, which would otherwise stay frozen for good.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _apply(state: IndexState, changed: set[int], today: dt.date) -> None:
    assert state.index is not None
    current = {s.id: s for s in subjects_in_force(today, changed)} if changed else {}
    for subject_id in changed:
        if subject_id in current:
            state.index.replace(entry_for(current[subject_id]))
        elif str(subject_id) in state.index:
            state.index.remove(str(subject_id))


def refresh() -> IndexState:
    """Bring this process's index up to date with the log and the date; build it on first use."""
    state, today = _state(), clock.today()
    with state.lock:
        if state.index is None or state.day is None or today < state.day:
            _rebuild(state, today)
            return state
        changed = _dated_changes(state.day, today) if today != state.day else set()
        new_events = db.session.execute(
            select(Event.seq, Event.subject_id).where(Event.seq > state.last_seq).order_by(Event.seq)
        ).all()
        changed |= {subject_id for _, subject_id in new_events if subject_id is not None}
        _apply(state, changed, today)
        if new_events:
            state.last_seq = new_events[-1][0]
        if new_events or today != state.day:
            # Any event may change a subject's sectors, or those of an organisation's key persons.
            state.sectors = {}
        state.day = today
    return state


# --- Answers for one partner ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screening:
    """A partner's query, as received."""

    name: str | None = None
    identifier: str | None = None
    kind: Kind | None = None
    reference: str | None = None  # the partner's own id for this row (batch)
    limit: int = 10


def _public_identifier(subject: Subject) -> str:
    """Masked for persons (digits 11–14, D12); an organisation's code in full."""
    return mask_resident_id(subject.identifier) if subject.is_person else subject.identifier


def _grounding(
    standing: Standing, decisions: tuple[MeasureDecision, ...]
) -> tuple[list[Listing], list[Restriction]]:
    """The listings and restrictions that ground one of the sector's decisions, in their order: a record
    that grounds none (a key person's restriction under another debtor's case, when the sector's measures
    reach only debtors) is another sector's business and is not shown (issue 4)."""
    listings = restrictions_ = False
    keyed: set[tuple[str | None, str | None]] = set()
    for decision in decisions:
        trigger = decision.measure.trigger
        for ground in decision.grounds:
            if ground.capacity is Target.KEY_PERSON:
                keyed.add((ground.organisation, None if ground.role is None else str(ground.role)))
                continue
            # As the debtor, as decide() reads the status: a listing fires every trigger (a listed debtor
            # counts as restricted, C-IMPOSE-2); his own restriction orders fire all but LISTED.
            listings = True
            restrictions_ |= trigger is not Trigger.LISTED
    shown = [
        r
        for r in standing.restrictions
        if (r.capacity == restrictions.DEBTOR and restrictions_)
        or (r.capacity == restrictions.KEY_PERSON and (r.case.debtor.identifier, r.role) in keyed)
    ]
    return (standing.listings if listings else []), shown


def _records(standing: Standing, decisions: tuple[MeasureDecision, ...]) -> list[dict[str, Any]]:
    grounding_listings, grounding_restrictions = _grounding(standing, decisions)
    listed = [
        {
            "type": "listing",
            "court": x.court.name,
            "case_number": x.case.number,
            "decision_date": x.decision_date,
            "published_on": x.publish_from,
            "term_end": x.term_end,
        }
        for x in grounding_listings
    ]
    restricted = [
        {
            "type": "restriction",
            "court": r.case.court.name,
            "case_number": r.case.number,
            "order_date": r.order_date,
            "effective_from": r.effective_from,
            "capacity": r.capacity,
            "role": r.role,
        }
        for r in grounding_restrictions
    ]
    return listed + restricted


def _measures(decisions: tuple[MeasureDecision, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": d.measure.code,
            "title_zh": d.measure.title_zh,
            "title_en": d.measure.title_en,
            "decision": d.decision.value,
            "basis": [str(b) for b in d.basis],
        }
        for d in decisions
    ]


def _match(
    match: Match,
    subject: Subject,
    standing: Standing,
    decisions: tuple[MeasureDecision, ...],
    namesakes: int,
) -> dict[str, Any]:
    return {
        "band": match.band.value,
        "score": round(match.score, 3),
        "namesakes": namesakes,
        "explanation": [f.to_dict() for f in match.features],
        "subject": {
            "ref": subject.id,
            "kind": subject.kind,
            "name": subject.name,
            "identifier": _public_identifier(subject),
        },
        "measures": _measures(decisions),
        "records": _records(standing, decisions),
    }


def sectors_of(ids: set[int], on: dt.date) -> dict[int, frozenset[Sector]]:
    """The sectors with a measure that applies to each subject on ``on``: what ``decide_all`` gives on its
    status (:func:`blacklist_service.services.status.standings`), read with two column queries instead of
    the records (a permission changes a decision, never whether a measure applies)."""

    def listed(subject_id: Any) -> Any:
        listing, _ = _in_force_clause(on)
        return listing.where(Listing.subject_id == subject_id).exists()

    subjects = db.session.execute(
        select(Subject.id, Subject.kind, listed(Subject.id)).where(Subject.id.in_(ids))
    ).all()
    held = db.session.execute(
        select(Restriction.subject_id, Restriction.capacity, Restriction.role, listed(Case.debtor_id))
        .join(Case, Case.id == Restriction.case_id)
        .where(
            Restriction.subject_id.in_(ids),
            Restriction.is_active(on),
        )
    ).all()
    own = {subject_id for subject_id, capacity, _, _ in held if capacity == restrictions.DEBTOR}
    positions: dict[int, set[tuple[KeyRole, bool]]] = {}
    for subject_id, capacity, role, organisation_listed in held:
        if capacity == restrictions.KEY_PERSON:
            positions.setdefault(subject_id, set()).add((KeyRole(role), bool(organisation_listed)))
    kind_of = {"person": SubjectKind.PERSON, "organisation": SubjectKind.ORGANISATION}
    return {
        subject_id: _sectors_of_statuses(
            kind_of[kind],
            bool(is_listed),
            subject_id in own or bool(is_listed),
            frozenset(positions.get(subject_id, ())),
        )
        for subject_id, kind, is_listed in subjects
    }


def _sectors(status: SubjectStatus) -> frozenset[Sector]:
    """The sectors with a measure that applies to a status. Whether a measure applies depends only on the
    statuses and key positions (a permission or the date changes the decision, never that), of which there
    are few combinations: each is decided once per process."""
    roles = frozenset((p.role, p.organisation_listed) for p in status.key_positions)
    return _sectors_of_statuses(status.kind, status.listed, status.restricted, roles)


@functools.cache
def _sectors_of_statuses(
    kind: SubjectKind, listed: bool, restricted: bool, roles: frozenset[tuple[KeyRole, bool]]
) -> frozenset[Sector]:
    positions = tuple(KeyPosition(f"org {i}", role, on_list) for i, (role, on_list) in enumerate(roles))
    status = SubjectStatus(kind, listed=listed, restricted=restricted, key_positions=positions)
    return frozenset(d.measure.sector for d in decide_all(status, _ANY_DAY))


_ANY_DAY = dt.date(2000, 1, 1)  # without permissions, decide_all does not read the date


class _SectorView:
    """Which matched subjects a sector may see, with their records, loaded a few queries at a time.

    ``sectors`` caches, per subject, the sectors with a measure that applies (the index's version of
    :attr:`IndexState.sectors`); the records themselves (:class:`Standing`) are loaded for this request only.
    """

    def __init__(self, sector: Sector, on: dt.date, sectors: dict[int, frozenset[Sector]]) -> None:
        self.sector, self.on, self.sectors = sector, on, sectors
        self.subjects: dict[int, Subject] = {}
        self.standing: dict[int, Standing] = {}

    def load(self, ids: set[int]) -> None:
        """Records of these subjects (and so their sectors), for those not loaded yet."""
        wanted = ids - self.subjects.keys()
        if not wanted:
            return
        found = list(db.session.scalars(select(Subject).where(Subject.id.in_(wanted))))
        self.subjects.update((s.id, s) for s in found)
        for subject_id, standing in standings(found, self.on).items():
            self.standing[subject_id] = standing
            self.sectors[subject_id] = _sectors(standing.status)

    def learn(self, ids: set[int]) -> None:
        """Make sure the sectors of these subjects are known (reading those not cached)."""
        missing = ids - self.sectors.keys()
        if missing:
            self.sectors.update(sectors_of(missing, self.on))

    def concerns(self, match: Match) -> bool:
        """A measure of the sector applies to the matched subject (whatever the evidence)."""
        return self.sector in self.sectors.get(int(match.entry_id), frozenset())

    def sees(self, match: Match) -> bool:
        return match.band != Band.CLEAR and self.concerns(match)

    def decisions(self, subject_id: int) -> tuple[MeasureDecision, ...]:
        return decide(self.standing[subject_id].status, self.sector, self.on)


def _ids(result: Result) -> set[int]:
    return {int(m.entry_id) for m in result.matches}


def _pushed_out(result: Result, view: _SectorView, limit: int) -> bool:
    """Did matches the sector cannot see take places that one it can see might have had?"""
    return sum(map(view.sees, result.matches)) < limit and result.total > len(result.matches)


def _every_candidate(request: Screening, result: Result) -> Query:
    return Query(request.name, request.identifier, request.kind, limit=result.total)


@functools.cache
def concerns_every_entry(sector: Sector) -> bool:
    """Whether a measure of ``sector`` applies to everyone the index can hold: a listed or restricted person
    or organisation, and a key person of a restricted organisation in any role (listed or not), as the
    consumption sectors' measures do (C-IMPOSE-2, C-ORG-1). Then every namesake is the sector's, and
    counting them needs no look-up (a status with more positions only adds measures)."""
    kinds = (SubjectKind.PERSON, SubjectKind.ORGANISATION)
    debtors = [(kind, listed, True, frozenset()) for kind in kinds for listed in (True, False)]
    key_persons = [
        (SubjectKind.PERSON, False, False, frozenset({(role, organisation_listed)}))
        for role in KeyRole
        for organisation_listed in (True, False)
    ]
    return all(sector in _sectors_of_statuses(*status) for status in debtors + key_persons)


def _namesakes_in_sector(
    index: ScreeningIndex, view: _SectorView, kept: list[list[Match]]
) -> dict[tuple[str, str], int]:
    """Per kept match (entry, matched name): the listed entries bearing that name that concern the sector,
    so that an entry of another sector is never counted (nor its existence disclosed)."""
    if concerns_every_entry(view.sector):
        return {(m.entry_id, m.matched_name): m.namesakes for ms in kept for m in ms}
    counts: dict[tuple[str, str], int] = {}
    bearers: dict[tuple[str, str], tuple[str, ...]] = {}
    for m in (m for ms in kept for m in ms):
        if m.namesakes > 1:
            try:
                bearers[m.entry_id, m.matched_name] = index.namesakes_of(m.entry_id, m.matched_name)
            except KeyError:  # removed from the live index since the query: it counts for itself
                bearers[m.entry_id, m.matched_name] = (m.entry_id,)
        else:
            counts[m.entry_id, m.matched_name] = 1
    view.learn({int(e) for ids in bearers.values() for e in ids})
    for key, ids in bearers.items():
        counts[key] = sum(view.sector in view.sectors.get(int(e), frozenset()) for e in ids)
    return counts


def _answers(
    requests: list[Screening],
    results: list[Result],
    sector: Sector,
    on: dt.date,
    list_version: int,
    index: ScreeningIndex,
    sectors: dict[int, frozenset[Sector]],
) -> list[dict[str, Any]]:
    """Keep only matches with a measure of the partner's own sector: others are none of its business, and
    are not counted as namesakes either.

    The engine ranks every listed subject; the sector is applied before ``limit``, so an in-sector debtor
    is never pushed out by others' entries: the few queries whose first ``limit`` matches the sector could
    not all see are asked again for all their matches, in one batch. Records are loaded for the whole batch
    at once."""
    view = _SectorView(sector, on, sectors)
    view.load(set().union(*map(_ids, results)))
    redo = [i for i, r in enumerate(results) if _pushed_out(r, view, requests[i].limit)]
    if redo:
        wide = index.query_batch([_every_candidate(requests[i], results[i]) for i in redo])
        view.learn(set().union(*map(_ids, wide)))
        for i, result in zip(redo, wide, strict=True):
            results[i] = result
    kept = [[m for m in r.matches if view.sees(m)][: q.limit] for q, r in zip(requests, results, strict=True)]
    view.load({int(m.entry_id) for ms in kept for m in ms})
    namesakes = _namesakes_in_sector(index, view, kept)
    answers = []
    for request, result, shown in zip(requests, results, kept, strict=True):
        matches = []
        for m in shown:
            subject_id = int(m.entry_id)
            decisions = view.decisions(subject_id)
            count = namesakes[m.entry_id, m.matched_name]
            matches.append(_match(m, view.subjects[subject_id], view.standing[subject_id], decisions, count))
        band = max((Band(m["band"]) for m in matches), key=lambda b: b.rank, default=Band.CLEAR)
        answers.append(
            {
                "screening_id": str(uuid.uuid4()),
                "reference": request.reference,
                "band": band.value,
                "list_version": list_version,
                "algorithm_version": result.algorithm_version,
                "on": on,
                "sector": sector.value,
                "query": result.query.to_dict(),
                "matches": matches,
            }
        )
    return answers


def check_as_of(as_of: dt.date | None) -> None:
    """A replay date (D1) is today or a past day, never a future one."""
    if as_of is not None and as_of > clock.today():
        raise Invalid("the date is in the future", code="date.future", field="as_of")


def screen(
    requests: list[Screening],
    sector: Sector,
    as_of: dt.date | None = None,
    before_build: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Screen a batch for one partner sector (read-only; log the answers with :func:`log_screenings`).

    ``as_of`` (D1, audit replay and screening receipts) answers as the list stood on a past day, from the
    records' dates as they are known now (a performance entered late counts from its own date, D9).
    ``before_build`` is called before that day's index is built (not when it is cached) and may refuse."""
    check_as_of(as_of)
    today = clock.today()
    if as_of is None or as_of == today:
        state = refresh()
        with state.lock:  # one consistent (index, version, cache), whatever other requests refresh meanwhile
            index, version, day, sectors = state.index, state.last_seq, state.day, state.sectors
        assert index is not None
        return screen_with(requests, sector, index, today, version, _cache_for(sectors, version, day, today))
    index, version = index_on(as_of, before_build)
    return screen_with(requests, sector, index, as_of, version)


def _cache_for(
    sectors: dict[int, frozenset[Sector]], version: int, day: dt.date | None, today: dt.date
) -> dict[int, frozenset[Sector]] | None:
    """The shared cache, if this transaction reads the register at the cache's version; otherwise none
    (SQLite keeps a transaction's snapshot: one begun before another request moved the index on would fill
    the newer cache with older facts)."""
    seen = events.last_seq()
    return sectors if seen == version and day == today else None


def screen_with(
    requests: list[Screening],
    sector: Sector,
    index: ScreeningIndex,
    on: dt.date,
    list_version: int,
    sectors: dict[int, frozenset[Sector]] | None = None,
) -> list[dict[str, Any]]:
    """Screen against a given index: the list on ``on`` at event ``list_version`` (a job replaying a past
    day holds the index :func:`index_on` gave it for all its chunks). ``sectors`` caches which sectors each
    subject concerns for that index and version (:attr:`IndexState.sectors`); none: this call only."""
    results = index.query_batch(
        [Query(name=r.name, identifier=r.identifier, kind=r.kind, limit=r.limit) for r in requests]
    )
    return _answers(requests, results, sector, on, list_version, index, {} if sectors is None else sectors)


def index_on(day: dt.date, before_build: Callable[[], None] | None = None) -> tuple[ScreeningIndex, int]:
    """An index of the subjects in force on a past day, built from the database and kept, with those of
    other recent days, until the log moves on (:class:`PastIndices`, ``BLACKLIST_PAST_INDEX_MIB``).
    ``before_build`` runs when the day is not cached, before building: a refusal it raises builds nothing.

    Only ``past_lock`` is held, and only to look up or build: live screening (``lock``) never waits for a
    replay. A built index is never changed afterwards, so a caller may keep the one it was given (a job, for
    all its chunks) while the cache evicts it."""
    state = _state()
    with state.past_lock:
        # Read the version under the lock: the cache key then always matches what was built after it.
        version = events.last_seq()
        index = state.past.get(day, version)
        if index is None:
            if before_build is not None:
                before_build()
            index = ScreeningIndex.build(_entries_in_force(day))
            state.past.put(day, index)
        return index, version


def replay_builds(as_of: dt.date | None) -> bool:
    """Whether screening on ``as_of`` would build an index now: a past day that this worker's cache lacks at
    the current list version (today is the live index). A job asks at submission; its thread builds later."""
    if as_of is None or as_of >= clock.today():
        return False
    state = _state()
    with state.past_lock:
        version = events.last_seq()
        return state.past.get(as_of, version) is None


def log_screenings(requests: list[Screening], answers: list[dict[str, Any]], principal_id: int) -> None:
    """Who looked up whom: one access-log row per screened query, inserted in bulk (``citizens.log_many``)."""
    rows = [
        {
            "principal_id": principal_id,
            "action": "screen",
            "query_digest": citizens.query_digest(request.name, request.identifier),
            "subject_ids": [m["subject"]["ref"] for m in answer["matches"]],
            "reference": answer["screening_id"],
        }
        for request, answer in zip(requests, answers, strict=True)
    ]
    citizens.log_many(rows)


def index_info(whole: bool) -> dict[str, Any]:
    """The live index's list version, algorithm and day; with ``whole``, also its size.

    The size counts everyone listed or restricted, in every sector: a partner is not told it (how many are
    sanctioned in other sectors is none of its business, issue 4), only an admin key is. Its own sector's
    count would cost a sector look-up of every entry after each event; the change feed gives it anyway."""
    state = refresh()
    assert state.index is not None
    info: dict[str, Any] = {
        "list_version": state.last_seq,
        "algorithm_version": ALGORITHM_VERSION,
        "on": state.day,
    }
    if whole:
        info["entries"] = len(state.index)
    return info


# --- What changed, for partners that keep their own copies (rule three) --------------------------------------

STATUS_ACTIONS = (
    "listing.created",
    "listing.removed",
    "listing.corrected",
    "listing.published",
    "restriction.created",
    "restriction.lifted",
    "permission.granted",
    "permission.revoked",
    "key_person.added",
    "key_person.changed",
    *restrictions.DATED_ACTIONS,
)


def _had_measures(subject: Subject, sector: Sector, first_day: dt.date) -> bool:
    """Whether the follower may hold the subject as sanctioned in ``sector`` from before these changes: on the
    day before the first of them, or earlier that day, before a removal or lift recorded since (a listing
    decided and revoked the same day was served in between, and its end must reach the follower: RULE-3)."""
    if decide(status_of(subject, first_day - dt.timedelta(days=1)), sector, first_day):
        return True
    earlier_that_day = standings([subject], first_day, undo_from=first_day)[subject.id].status
    return bool(decide(earlier_that_day, sector, first_day))


def _fed(subject: Subject, sanctioned: bool) -> dict[str, Any]:
    """Who the item is about: in full (masked ID, D12) while the sector's measures apply; once they have all
    ended, the ``ref`` alone. A follower that holds the row got the ref with it and deletes by it; one that
    starts from ``after=0`` would otherwise receive the name of everyone whose measures ever ended, deleted
    listings (Art. 10) included, without having screened anyone (issue 4: only what applies)."""
    if not sanctioned:
        return {"ref": subject.id, "kind": subject.kind}
    return {
        "ref": subject.id,
        "kind": subject.kind,
        "name": subject.name,
        "identifier": _public_identifier(subject),
    }


def changes(sector: Sector, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Subjects whose sanctions in ``sector`` began, changed or ended after event ``after``.

    Each item gives the subject's measures in the sector *now* (empty: every measure has ended, delete
    your copy). Subjects with no measure in the sector before, during or after the changes are left out;
    one whose measures began and ended within them may be reported as ended (harmless: nothing to delete).
    """
    rows = db.session.execute(
        select(Event.seq, Event.subject_id, Event.on_date, Restriction.lifted_on)
        .outerjoin(
            Restriction,
            and_(
                Event.entity == "restriction",
                Event.action == "restriction.lifted",
                Restriction.id == Event.entity_id,
            ),
        )
        .where(Event.seq > after, Event.subject_id.is_not(None), Event.action.in_(STATUS_ACTIONS))
        .order_by(Event.seq)
        .limit(limit)
    ).all()
    today = clock.today()
    latest: dict[int, tuple[int, dt.date]] = {}
    for seq, subject_id, recorded_on, lifted_on in rows:
        # A key person's release takes the court's date (D1), which may be days before the record: the
        # follower held the row as in force until then, so "before" is judged from the day before that.
        on_date = min(recorded_on, lifted_on) if lifted_on is not None else recorded_on
        latest[subject_id] = (seq, min(latest.get(subject_id, (seq, on_date))[1], on_date))
    subjects = {s.id: s for s in db.session.scalars(select(Subject).where(Subject.id.in_(latest)))}
    items = []
    for subject_id, (seq, first_day) in sorted(latest.items(), key=lambda kv: kv[1][0]):
        subject = subjects[subject_id]
        now = decide(status_of(subject, today), sector, today)
        if now or _had_measures(subject, sector, first_day):
            items.append(
                {
                    "seq": seq,
                    "subject": _fed(subject, bool(now)),
                    "sanctioned": bool(now),
                    "measures": _measures(now),
                }
            )
    last = rows[-1][0] if rows else after
    return items, last
