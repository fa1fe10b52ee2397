"""openapi.yaml is generated from the code and committed; it must stay in sync and be a valid spec."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate

from blacklist_service.extensions import api

SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"


def test_committed_spec_matches_the_code(app):
    with app.app_context():
        generated = api.spec.to_dict()
    committed = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert generated == committed, (
        "openapi.yaml is out of date: run `flask openapi write --format=yaml openapi.yaml`"
    )


def test_committed_spec_is_valid_openapi():
    validate(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def test_spec_and_docs_are_served(world):
    assert world.public.get("/openapi.json").json["info"]["title"].startswith("Dishonest-debtor")
    assert world.public.get("/docs").status_code == 200
