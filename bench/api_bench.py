"""End-to-end benchmark of the screening API: HTTP layer, database and index together.

Fills a fresh SQLite (default) or PostgreSQL database with N listed debtors (each with its case, listing and
automatic restriction), then measures, through the Flask app in-process:
- building the screening index from the database (what a worker does at start-up);
- one partner screening request: an unlisted person with an ID (the common case at a hotel desk), and a
  listed person with an ID (a match, with the sector's measures looked up);
- a batch of 1 000 subjects in one request;
- an asynchronous job of 100 000 rows (``--job-rows``): accepted, run chunk by chunk, polled to the end;
- following the event log: a removal recorded, then the next screening (the removal must be visible).

    .venv/bin/python bench/api_bench.py [--size 100000] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, text

from blacklist_service import create_app
from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import Case, Court, Listing, Restriction, Role, Subject
from blacklist_service.services import screening
from sanctions.identifiers import build_resident_id

TODAY = dt.date(2026, 11, 21)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林斌宇浩凯鹏飞晨阳雪梅琳晶欣怡婷颖佳琪俊峰波"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    seen: set[str] = set()
    people = []
    while len(people) < n:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        number = build_resident_id(
            rng.choice(("110105", "310101", "440103", "510104")), born, f"{rng.randrange(1000):03d}"
        )
        if number not in seen:
            seen.add(number)
            people.append((_name(rng), number))
    return people


def fill(size: int, rng: random.Random) -> tuple[list[tuple[str, str]], int]:
    """Bulk-load ``size`` listed debtors; returns them and the court id."""
    court = Court(code="京0105", name="北京市朝阳区人民法院", province="北京市")
    db.session.add(court)
    db.session.flush()
    people = _people(rng, size)
    db.session.execute(
        insert(Subject),
        [
            {
                "id": i + 1,
                "kind": "person",
                "name": name,
                "identifier": number,
                "birth_date": dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                "sex": "male",
            }
            for i, (name, number) in enumerate(people)
        ],
    )
    db.session.execute(
        insert(Case),
        [
            {
                "id": i + 1,
                "court_id": court.id,
                "number": f"（2026）京0105执{i + 1}号",
                "applicant": "某银行",
                "debtor_id": i + 1,
                "obligation": "还款",
                "amount": 10000,
                "basis_issuer": "某法院",
                "basis_number": f"（2025）京0105民初{i + 1}号",
                "filed_on": dt.date(2026, 1, 5),
                "payment_deadline": dt.date(2026, 1, 15),
                "campus_loan": False,
                "later_in_order": False,
            }
            for i in range(size)
        ],
    )
    db.session.execute(
        insert(Listing),
        [
            {
                "id": i + 1,
                "case_id": i + 1,
                "subject_id": i + 1,
                "court_id": court.id,
                "decision_number": f"（2026）京0105执{i + 1}号决定书",
                "decision_date": dt.date(2026, 3, 2),
                "signed_by": "院长",
                "circumstances": ["SX1_ABLE_REFUSE"],
                "initiator": "court",
                "grace_months": 0,
                "publish_from": dt.date(2026, 3, 2),
                "extension_years": 0,
                "overrides": [],
            }
            for i in range(size)
        ],
    )
    db.session.execute(
        insert(Restriction),
        [
            {
                "id": i + 1,
                "case_id": i + 1,
                "court_id": court.id,
                "subject_id": i + 1,
                "capacity": "debtor",
                "order_number": f"（2026）京0105执{i + 1}号决定书（随失信决定限制消费）",
                "order_date": dt.date(2026, 3, 2),
                "signed_by": "院长",
                "listing_id": i + 1,
                "effective_from": dt.date(2026, 3, 2),
            }
            for i in range(size)
        ],
    )
    db.session.commit()
    return people, court.id


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms  p99 {p99 * 1000:.2f} ms"


def _job(client, headers: dict[str, str], rows: list[dict[str, str]]) -> None:
    """An asynchronous job end to end: rows kept on disk, each chunk fsynced and its progress committed."""
    began = time.perf_counter()
    started = client.post("/screening/jobs", json={"items": rows}, headers=headers)
    assert started.status_code == 202, started.json
    accepted = time.perf_counter() - began
    job_id = started.json["id"]
    while (job := client.get(f"/screening/jobs/{job_id}", headers=headers).json)["status"] != "done":
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.05)
    elapsed = time.perf_counter() - began
    print(
        f"job of {len(rows):,} rows: accepted in {accepted:.2f} s, done in {elapsed:.1f} s "
        f"({len(rows) / elapsed:,.0f} rows/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--job-rows", type=int, default=100_000, help="rows of the asynchronous job")
    args = parser.parse_args()
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp(prefix="api-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TODAY": TODAY,
            "UPLOAD_DIR": str(folder),
            "PUBLIC_RATE_LIMIT": "1000000 per minute",
        }
    )
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        started = time.perf_counter()
        people, _ = fill(args.size, rng)
        print(
            f"== {args.size:,} listed debtors in {url.split(':')[0]}: loaded in {time.perf_counter() - started:.1f} s"
        )
        key = create_key("bench hotel", Role.PARTNER, sector="hotels")[1]
        db.session.commit()
    started = time.perf_counter()
    screening.warm_up(app)
    print(
        f"index built from the database at start-up: {time.perf_counter() - started:.2f} s "
        f"({len(app.extensions['screening'].index):,} entries)"
    )
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}

    def post(path: str, body: object) -> float:
        began = time.perf_counter()
        response = client.post(path, json=body, headers=headers)
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, response.json
        return elapsed

    strangers = _people(random.Random(99), args.queries)
    clear = [post("/screening/", {"name": n, "identifier": i}) for n, i in strangers]
    print(f"screen one unlisted person with ID (clear): {_ms(clear)}")
    listed = [post("/screening/", {"name": n, "identifier": i}) for n, i in rng.sample(people, args.queries)]
    print(f"screen one listed person with ID (match + measures): {_ms(listed)}")
    name_only = [post("/screening/", {"name": n}) for n, _ in rng.sample(people, args.queries // 5)]
    print(f"screen a name only (review, namesakes): {_ms(name_only)}")
    batch = [{"name": n, "identifier": i} for n, i in strangers[:950] + rng.sample(people, 50)]
    seconds = [post("/screening/batch", {"items": batch}) for _ in range(3)]
    print(
        f"batch of 1,000 (5 % listed): {statistics.median(seconds):.2f} s per request "
        f"({1000 / statistics.median(seconds):,.0f} subjects/s)"
    )
    _job(client, headers, [{"name": n, "identifier": i} for n, i in _people(random.Random(5), args.job_rows)])
    with app.app_context():  # a removal, then the very next screening must not match
        name, number = people[0]
        db.session.execute(
            text(
                "UPDATE listings SET removed_on = :d, removal_reason = 'full_performance' "
                "WHERE subject_id = 1"
            ),
            {"d": TODAY},
        )
        db.session.execute(text("UPDATE restrictions SET lifted_on = :d WHERE subject_id = 1"), {"d": TODAY})
        db.session.execute(
            text(
                "INSERT INTO events (recorded_at, on_date, entity, entity_id, action, subject_id, "
                "data) VALUES (:now, :d, 'listing', 1, 'listing.removed', 1, '{}')"
            ),
            {"now": dt.datetime.now(dt.UTC), "d": TODAY},
        )
        db.session.commit()
    began = time.perf_counter()
    answer = client.post("/screening/", json={"name": name, "identifier": number}, headers=headers).json
    print(
        f"first screening after a removal: {(time.perf_counter() - began) * 1000:.2f} ms, band {answer['band']}"
    )
    assert answer["band"] == "clear"


if __name__ == "__main__":
    main()
