"""Consumption restrictions of the caller's court."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from blacklist_service.auth import ensure_own_court
from blacklist_service.models import Restriction, Role
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import AsOfArgs, PageArgs, page_envelope, page_schema
from blacklist_service.resources.views import set_view_date, view_date
from blacklist_service.services import restrictions
from blacklist_service.services.pages import paginate

blp = Blueprint(
    "restrictions", __name__, url_prefix="/restrictions", description="Consumption restrictions (限制消费)"
)


class RestrictionSchema(ma.Schema):
    id = ma.fields.Integer()
    case_id = ma.fields.Integer()
    case_number = ma.fields.Function(lambda r: r.case.number)
    subject_id = ma.fields.Integer()
    subject_name = ma.fields.Function(lambda r: r.subject.name)
    capacity = ma.fields.String(metadata={"description": "debtor, or key_person of an organisation debtor"})
    role = ma.fields.String(allow_none=True)
    order_number = ma.fields.String()
    order_date = ma.fields.Date()
    signed_by = ma.fields.String()
    listing_id = ma.fields.Integer(allow_none=True, metadata={"description": "Placed with this listing"})
    effective_from = ma.fields.Date()
    active = ma.fields.Function(lambda r: r.is_active(view_date()))
    lifted_on = ma.fields.Date(allow_none=True)
    lift_reason = ma.fields.String(allow_none=True)
    lift_fact_date = ma.fields.Date(allow_none=True)


class RestrictionQueryArgs(PageArgs, AsOfArgs):
    active = ma.fields.Boolean()
    subject_id = ma.fields.Integer()
    case_id = ma.fields.Integer()


@blp.route("/")
class RestrictionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(RestrictionQueryArgs, location="query")
    @blp.response(200, page_schema(RestrictionSchema, "RestrictionPageSchema"))
    def get(self, args):
        """List the caller's court's restrictions"""
        on = set_view_date(args.get("as_of"))
        query = select(Restriction).where(Restriction.court_id == g.principal.court_id)
        for name in ("subject_id", "case_id"):
            if args.get(name):
                query = query.where(getattr(Restriction, name) == args[name])
        if args.get("active") is not None:
            in_force = (Restriction.effective_from <= on) & (
                Restriction.lifted_on.is_(None) | (Restriction.lifted_on > on)
            )
            query = query.where(in_force if args["active"] else ~in_force)
        rows, total = paginate(query.order_by(Restriction.id.desc()), args["page"], args["page_size"])
        return page_envelope(rows, total, args["page"], args["page_size"])


@blp.route("/<int:restriction_id>")
class RestrictionByIdViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.response(200, RestrictionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, restriction_id):
        """Get a restriction"""
        restriction = restrictions.get(restriction_id)
        ensure_own_court(restriction.court_id)
        return restriction
