"""The event log carries what each write stored (全程留痕): an auditor replays the register from it alone."""

from __future__ import annotations

from decimal import Decimal

from tests.support import Client, Desk, World


def _events(client: Client, action: str) -> list[dict]:
    return [e["data"] for e in client.get("/events/", limit=1000).json["items"] if e["action"] == action]


def _same(stored: dict, logged: dict, fields: list[str]) -> None:
    for name in fields:
        expected, got = stored[name], logged[name]
        if name == "amount" and expected is not None:
            expected, got = Decimal(str(expected)), Decimal(got)
        assert got == expected, (name, got, expected)


FACT_FIELDS = [
    "occurred_on",
    "amount",
    "ground",
    "asset_searches",
    "asset_leads",
    "refers_to_id",
    "description",
]


def test_a_fact_event_carries_what_decides_whether_it_deleted_listings(desk: Desk):
    """D8: only a suspension for retrial or bankruptcy deletes; L-DEL-4: 终本 only after two fruitless asset
    searches. The log used to carry neither the ground nor the searches, so it could not replay a removal."""
    debtor = desk.person()
    case = desk.case(debtor["id"])
    facts = [
        desk.fact(case["id"], "suspension", "2026-05-01", ground="other", description="案外人异议"),
        desk.fact(case["id"], "partial_performance", "2026-05-02", amount="1000.50"),
        desk.fact(case["id"], "no_property_termination", "2026-06-01", asset_searches=1, asset_leads=True),
    ]
    stored = [f.json["fact"] for f in facts]
    logged = [
        data
        for kind in ("suspension", "partial_performance", "no_property_termination")
        for data in _events(desk.client, f"fact.{kind}")
    ]
    assert [x["fact_id"] for x in logged] == [x["id"] for x in stored]
    for fact, data in zip(stored, logged, strict=True):
        _same(fact, data, FACT_FIELDS)


CASE_FIELDS = [
    "number",
    "debtor_id",
    "amount",
    "applicant",
    "obligation",
    "basis_issuer",
    "basis_number",
    "filed_on",
    "payment_deadline",
    "campus_loan",
    "later_in_order",
]


def test_a_case_event_carries_the_engine_inputs_it_was_opened_with(desk: Desk):
    case = desk.case(desk.person()["id"], later_in_order=True)
    [logged] = _events(desk.client, "case.opened")
    _same(case | {"amount": case["amounts"]["amount"]}, logged, CASE_FIELDS)


LISTING_FIELDS = [
    "decision_number",
    "decision_date",
    "signed_by",
    "circumstances",
    "initiator",
    "grace_months",
    "grace_end",
    "publish_from",
    "term_years",
    "extension_years",
    "term_end",
    "justification",
]


def test_a_listing_event_carries_the_decision(desk: Desk):
    case = desk.case(desk.person()["id"])
    listing = desk.list(case["id"], circumstances=("SX2_OBSTRUCT",), grace_months=2)
    assert listing.status_code == 201, listing.json
    [logged] = _events(desk.client, "listing.created")
    _same(listing.json, logged, LISTING_FIELDS)


def test_a_fact_names_the_key_that_recorded_it_as_its_event_does(desk: Desk, app):
    """The column was there but never filled: the fact row did not say who entered it."""
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import CaseFact, Event

    case = desk.case(desk.person()["id"])
    assert desk.fact(case["id"], "partial_performance", "2026-05-02", amount="10.00").status_code == 201
    with app.app_context():
        fact = db.session.scalars(select(CaseFact)).one()
        event = db.session.scalars(select(Event).where(Event.action == "fact.partial_performance")).one()
        assert fact.recorded_by_id is not None and fact.recorded_by_id == event.principal_id


def test_a_court_reads_the_debtors_and_key_persons_its_keys_registered(world: World, desk: Desk):
    """Subjects are shared between courts, so their events name no court, and no court key could read them
    back: a court now reads those its own keys recorded."""
    company = desk.company()
    desk.case(company["id"])  # a key person is recorded in a case against the company
    desk.key_person(company["id"])
    own = [e["action"] for e in world.court.get("/events/", limit=1000).json["items"]]
    registered, added = "subject.registered", "key_person.added"
    # the company and its legal representative; the case; the actual controller
    assert own == [registered, registered, added, "case.opened", registered, added]
    assert world.other_court.get("/events/", limit=1000).json["items"] == []  # another court sees none of it
    everything = world.admin.get("/events/", limit=1000).json["items"]
    assert [e["action"] for e in everything] == own


# Another court's events and its registrations, numbered 1..n by :func:`_crowd` on either database.
NUMBERS = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) SELECT i FROM n",
    "postgresql": "SELECT i FROM generate_series(1, :count) AS n(i)",
}


def _plan(app, court_id: int, crowd: tuple[int, int]) -> str:
    """The database's plan for a court key's read of the log (``events.read``), as one line of text, once the
    log holds 20 000 events of another court (``crowd``: its id and its key's): a court's own are a few."""
    from sqlalchemy import event, text

    from blacklist_service.extensions import db
    from blacklist_service.services import events

    with app.app_context():
        engine, emitted = db.engine, []
        other, key = crowd
        rows = f"""INSERT INTO events (recorded_at, on_date, principal_id, court_id, entity, entity_id, action, data)
            SELECT CURRENT_TIMESTAMP, CURRENT_DATE, :key, CASE WHEN i % 3 = 0 THEN NULL ELSE :other END, 'case', i,
            'case.opened', '{{}}' FROM ({NUMBERS[engine.dialect.name]}) AS n"""
        db.session.execute(text(rows), {"key": key, "other": other, "count": 20_000})
        if engine.dialect.name == "postgresql":  # as autovacuum does; the service never analyses SQLite
            db.session.execute(text("ANALYZE events"))

        def keep(conn, cursor, statement, parameters, context, executemany):
            if "FROM events" in statement and "INSERT" not in statement:
                emitted.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", keep)
        try:
            events.read(0, 100, court_id)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        ((statement, parameters),) = emitted
        cursor = db.session.connection().connection.driver_connection.cursor()
        explain = "EXPLAIN QUERY PLAN" if engine.dialect.name == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {statement}", parameters)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
        db.session.rollback()
        return plan


def test_a_courts_read_of_the_log_is_served_by_indexes_not_a_walk_through_every_later_event(
    app, world: World, desk: Desk
):
    """A court's events are a small part of a national log: its read (the court's own, and the court-less ones
    its keys recorded) must find them by index. With the keys as a subquery, the log was walked in sequence
    order and filtered: every later event of every court, a whole log's worth for a quiet court (0.4 s at
    3 million events on PostgreSQL, and growing with the log)."""
    from sqlalchemy import select

    from blacklist_service.extensions import db
    from blacklist_service.models import Principal

    desk.case(desk.company()["id"])
    other = world.courts["dongcheng"]
    with app.app_context():
        key = db.session.scalar(select(Principal.id).where(Principal.court_id == other))
    plan = _plan(app, world.courts["chaoyang"], (other, key))
    assert "ix_events_court_id" in plan and "ix_events_court_less_principal_id_seq" in plan, plan
    assert "SCAN events" not in plan and "pk_events" not in plan, plan
