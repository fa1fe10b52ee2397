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


def test_the_docs_pages_load_their_scripts_from_a_configured_mirror(monkeypatch, tmp_path):
    from blacklist_service import create_app

    default = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.sqlite3'}"}).test_client()
    assert "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js" in default.get("/docs").text
    monkeypatch.setenv("BLACKLIST_SWAGGER_UI_URL", "https://mirror.court.internal/swagger-ui/")
    monkeypatch.setenv("BLACKLIST_REDOC_URL", "https://mirror.court.internal/redoc.standalone.js")
    client = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.sqlite3'}"}).test_client()
    docs, redoc = client.get("/docs").text, client.get("/redoc").text
    assert "https://mirror.court.internal/swagger-ui/swagger-ui-bundle.js" in docs
    assert "https://mirror.court.internal/swagger-ui/swagger-ui.css" in docs
    assert "cdn.jsdelivr.net" not in docs + redoc
    assert 'src="https://mirror.court.internal/redoc.standalone.js"' in redoc
