"""``GET /screening/index``: each role sees only what it needs (README "Personal data", issue 4).

The index holds everyone listed or restricted in any sector. Its size told a procurement partner how many
people are sanctioned in sectors that are none of its business (a listed company's legal representative
is restricted from flights and hotels, never barred from procurement: RULE-1, C-ORG-1). A partner gets the
index's version and day, which its receipts cite; the size, across every sector, is the admin's only.
"""

from __future__ import annotations

import pytest

from tests.partners.test_screening_sector import _partner


@pytest.fixture
def listed_company(desk):
    """A listed company (procurement concerns it) and its legal representative, restricted with it and not
    listed (procurement does not concern him): two entries in the index."""
    company = desk.company()
    assert desk.list(desk.case(company["id"])["id"]).status_code == 201
    return company


@pytest.mark.parametrize("sector", ["procurement", "hotels"])
def test_a_partner_learns_the_version_and_day_but_not_the_size_of_the_whole_list(
    world, listed_company, sector
):
    response = _partner(world, sector).get("/screening/index")
    assert response.status_code == 200, response.json
    assert set(response.json) == {"list_version", "algorithm_version", "on"}
    assert response.json["list_version"] >= 1


def test_the_admin_sees_every_sectors_entries(world, listed_company):
    response = world.admin.get("/screening/index")
    assert response.status_code == 200, response.json
    assert response.json["entries"] == 2  # the company and its legal representative
    assert set(response.json) == {"entries", "list_version", "algorithm_version", "on"}


def test_a_court_key_may_not_read_it(world, listed_company):
    response = world.court.get("/screening/index")
    assert response.status_code == 403
    assert response.json["code"] == "auth.wrong_role"
