"""Consumption restrictions of the caller's court."""

from __future__ import annotations

from enum import StrEnum

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from blacklist_service.auth import ensure_own_court
from blacklist_service.errors import NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Restriction, Role
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import (
    AsOfArgs,
    Date,
    Enum,
    Id,
    PageArgs,
    Text,
    page_envelope,
    page_schema,
)
from blacklist_service.resources.sanctions import MeasureDecisionSchema
from blacklist_service.resources.views import set_view_date, view_date
from blacklist_service.services import citizens, restrictions
from blacklist_service.services.pages import paginate
from blacklist_service.services.status import measures_for
from sanctions.subject import HumanitarianReason

blp = Blueprint(
    "restrictions", __name__, url_prefix="/restrictions", description="Consumption restrictions (限制消费)"
)


class RestrictionSchema(ma.Schema):
    id = ma.fields.Integer()
    case_id = ma.fields.Integer()
    court_id = ma.fields.Integer()
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
    justification = ma.fields.String(allow_none=True, metadata={"description": "The order's written reasons"})
    overrides = ma.fields.List(
        ma.fields.String(), metadata={"description": "Refusals the written reasons overrode (counted)"}
    )


class PermissionSchema(ma.Schema):
    id = ma.fields.Integer()
    restriction_id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "personal_funds | necessity | humanitarian"})
    measures = ma.fields.List(
        ma.fields.String(), allow_none=True, metadata={"description": "None: every item"}
    )
    valid_from = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    approved_by = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    note = ma.fields.String(allow_none=True)
    revoked_on = ma.fields.Date(allow_none=True)
    revocation_reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "false_evidence | breach_of_undertaking | other; the first two bar further"
            " humanitarian lifts of the person (C-HUMANITARIAN)"
        },
    )
    in_force = ma.fields.Function(lambda p: p.in_force(view_date()))


class RestrictionDetailSchema(RestrictionSchema):
    permissions = ma.fields.List(ma.fields.Nested(PermissionSchema))
    measures = ma.fields.Function(
        lambda r: MeasureDecisionSchema(many=True).dump(measures_for(r.subject, view_date())),
        metadata={
            "description": "Every measure that applies to this person or organisation on the read date"
        },
    )


class PermissionKind(StrEnum):
    PERSONAL_FUNDS = "personal_funds"  # C-ORG-2: a key person's private consumption with personal funds
    NECESSITY = "necessity"  # C-PERMIT: the debtor's consumption necessary for living or business
    HUMANITARIAN = "humanitarian"  # C-HUMANITARIAN: flights and high-speed rail, at most one month


class PermissionCreateSchema(ma.Schema):
    kind = Enum(PermissionKind, code="permission.kind", required=True)
    measures = ma.fields.List(ma.fields.String(), metadata={"description": "Consumption measure codes"})
    valid_from = Date(required=True)
    valid_until = Date(metadata={"description": "Inclusive; required for a humanitarian lift (≤ 1 month)"})
    approved_by = Text(
        required=True,
        max_length=100,
        metadata={"description": "The court president, for a humanitarian lift"},
    )
    reason = Enum(HumanitarianReason, code="permission.reason")
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class PermissionRevokeSchema(ma.Schema):
    revoked_on = Date(required=True)
    revocation_reason = Enum(
        restrictions.RevocationReason,
        code="permission.revocation_reason",
        required=True,
        metadata={
            "description": "false_evidence or breach_of_undertaking: no further humanitarian lift is approved"
            " for the person (C-HUMANITARIAN); other: no bar"
        },
    )
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class RestrictionQueryArgs(PageArgs, AsOfArgs):
    active = ma.fields.Boolean()
    subject_id = Id()
    case_id = Id()


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
            in_force = Restriction.is_active(on)
            query = query.where(in_force if args["active"] else ~in_force)
        rows, total = paginate(query.order_by(Restriction.id.desc()), args["page"], args["page_size"])
        citizens.log_reads((x.subject_id for x in rows), "restrictions:search")
        return page_envelope(rows, total, args["page"], args["page_size"])


def _own_restriction(restriction_id: int):
    restriction = restrictions.get(restriction_id)
    ensure_own_court(restriction.court_id)
    return restriction


@blp.route("/<int:restriction_id>")
class RestrictionByIdViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, RestrictionDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, restriction_id):
        """Get a restriction with its permissions and the measures that apply to its subject"""
        set_view_date(args.get("as_of"))
        restriction = _own_restriction(restriction_id)
        citizens.log_reads([restriction.subject_id], f"restriction:{restriction.id}")
        return restriction


@blp.route("/<int:restriction_id>/permissions")
class PermissionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(PermissionCreateSchema)
    @blp.response(201, RestrictionDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, restriction_id):
        """Grant a permission under a restriction

        ``personal_funds``: a key person's approved private consumption with personal funds (C-ORG-2), for the
        listed measure codes or every item. ``necessity``: the debtor's consumption needed for living or
        business, per item (C-PERMIT). ``humanitarian``: a temporary lift of flights and high-speed rail for
        at most one month, approved by the court president, ending by itself (C-HUMANITARIAN, D11).
        """
        restriction = _own_restriction(restriction_id)
        kind = data.pop("kind")
        restrictions.grant_permission(restriction, kind=kind.value, **data)
        db.session.commit()
        return restriction


@blp.route("/<int:restriction_id>/permissions/<int:permission_id>/revocation")
class PermissionRevocationViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(PermissionRevokeSchema)
    @blp.response(200, RestrictionDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, restriction_id, permission_id):
        """Revoke a permission (e.g. false evidence): the measures apply again from ``revoked_on``

        A humanitarian lift revoked for ``false_evidence`` or ``breach_of_undertaking`` bars every further
        humanitarian lift for the person, in any case (C-HUMANITARIAN, 2019 Opinion §17(3)).
        """
        restriction = _own_restriction(restriction_id)
        permission = restrictions.get_permission(permission_id)
        if permission.restriction_id != restriction.id:
            raise NotFound("no such permission on this restriction", code="permission.not_found")
        restrictions.revoke_permission(
            permission, data["revoked_on"], data.get("note"), reason=data["revocation_reason"]
        )
        db.session.commit()
        return restriction


class ReleaseSchema(ma.Schema):
    fact_date = Date(
        required=True,
        metadata={
            "description": "The first day the person is released: not before the first day out of the role"
            " (422 restriction.release_before_role_end), not in the future"
        },
    )
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


@blp.route("/<int:restriction_id>/release")
class ReleaseViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(ReleaseSchema)
    @blp.response(200, RestrictionDetailSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, restriction_id):
        """Release a former key person from this court's order (C-LR-CHANGE)

        For a key person who no longer holds the role (a change of legal representative or main responsible
        person, or the end of an actual controller's or directly responsible person's role) that another
        court recorded: each court releases the former holder from its own orders, from ``fact_date`` (D1).
        """
        restriction = _own_restriction(restriction_id)
        restrictions.release(restriction, data["fact_date"], data.get("note"))
        db.session.commit()
        return restriction
