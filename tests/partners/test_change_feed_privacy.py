"""What the change feed (``GET /screening/changes``) tells a partner about a subject whose sector measures
ended: enough for a follower that held the row to delete it (RULE-3), nothing for one that never held it
(issue 4: a partner learns only the measures that apply; a deleted listing is no longer shown, Art. 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from blacklist_service.auth import create_key
from blacklist_service.extensions import db
from blacklist_service.models import Role
from tests.support import Client, person_id

FORMER = person_id(dt.date(1975, 1, 1))
MASKED_FORMER = FORMER[:10] + "****" + FORMER[14:]


@pytest.fixture
def former_debtor(desk):
    """李四, listed and then removed on his full performance (Art. 10 ¶1 (一)); 张伟 still listed."""
    desk.list(desk.case(desk.person(name="张伟")["id"])["id"])
    former = desk.person(name="李四", born=dt.date(1975, 1, 1))
    case = desk.case(former["id"])
    assert desk.list(case["id"]).status_code == 201
    return former, case


def _new_follower(world) -> Client:
    """A partner key made today, which has screened no one."""
    with world.app.app_context():
        key = create_key("新航司", Role.PARTNER, sector="aviation")[1]
        db.session.commit()
    return Client(world.public.client, key)


def _walk(partner: Client, limit: int) -> list[dict]:
    """Every item, from the start, ``limit`` events a page (a page may hold none of the sector's)."""
    items, after = [], 0
    while (page := partner.get("/screening/changes", after=after, limit=limit).json)["next_after"] != after:
        items, after = items + page["items"], page["next_after"]
    return items


def test_a_follower_that_held_the_row_deletes_it_by_its_ref(world, desk, former_debtor):
    former, case = former_debtor
    held = world.aviation.get("/screening/changes").json
    assert {i["subject"]["ref"]: i["subject"]["name"] for i in held["items"]}[former["id"]] == "李四"
    desk.fact(case["id"], "full_performance", "2026-11-20")
    ended = world.aviation.get("/screening/changes", after=held["next_after"]).json["items"]
    assert ended == [
        {
            "seq": ended[0]["seq"],
            "subject": {"ref": former["id"], "kind": "person"},
            "sanctioned": False,
            "measures": [],
        }
    ]


@pytest.mark.parametrize("limit", [1, 500])
def test_a_new_follower_walking_the_feed_learns_no_one_whose_measures_ended(
    world, desk, former_debtor, limit
):
    """Walked from the start, one event a page or many, the feed used to name every subject whose measures
    ever ended, with the masked ID: an archive of deleted listings to a key that had screened no one."""
    former, case = former_debtor
    desk.fact(case["id"], "full_performance", "2026-11-20")
    items = _walk(_new_follower(world), limit)
    assert {i["subject"].get("name") for i in items if i["sanctioned"]} == {"张伟"}
    ended = [i["subject"] for i in items if not i["sanctioned"]]
    assert ended and all(subject == {"ref": former["id"], "kind": "person"} for subject in ended)
    assert "李四" not in str(items) and MASKED_FORMER not in str(items)
