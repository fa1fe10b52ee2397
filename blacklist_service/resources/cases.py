"""Enforcement cases: open them, record facts, propose listings, issue and lift restriction orders."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from blacklist_service.auth import ensure_own_court
from blacklist_service.errors import NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Case, FactKind, Role
from blacklist_service.models.types import INT_MAX
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import (
    AsOfArgs,
    Date,
    Enum,
    Id,
    Money,
    PageArgs,
    Text,
    page_envelope,
    page_schema,
)
from blacklist_service.resources.listings import ListingSchema
from blacklist_service.resources.restrictions import RestrictionSchema
from blacklist_service.resources.views import set_view_date, view_date
from blacklist_service.services import cases, listings, restrictions, subjects
from blacklist_service.services.listings import Proposal
from blacklist_service.services.pages import paginate
from blacklist_service.services.restrictions import LiftReason
from sanctions.listing import Circumstance, ExtensionGround, Initiator

blp = Blueprint("cases", __name__, url_prefix="/cases", description="Enforcement cases of the caller's court")


class CaseCreateSchema(ma.Schema):
    number = ma.fields.String(
        required=True, validate=ma.validate.Length(max=60), metadata={"example": "（2024）京0105执1234号"}
    )
    applicant = Text(required=True, metadata={"description": "申请执行人"})
    debtor_id = Id(required=True)
    obligation = Text(required=True, max_length=2000, metadata={"description": "生效法律文书确定的义务"})
    amount = Money(required=True, positive=True)
    basis_issuer = Text(required=True, metadata={"description": "执行依据 issuing body"})
    basis_number = Text(required=True, max_length=80, metadata={"description": "执行依据 document number"})
    filed_on = Date(required=True, metadata={"description": "立案时间"})
    payment_deadline = Date(metadata={"description": "End of the period set in the 执行通知书"})
    campus_loan = ma.fields.Boolean(
        load_default=False, metadata={"description": "Full-time student, campus loan"}
    )
    later_in_order = ma.fields.Boolean(
        load_default=False, metadata={"description": "BAR_LATER_ORDER applies"}
    )


class AmountsSchema(ma.Schema):
    amount = Money()
    performed = Money()
    unperformed = Money()
    secured = Money(metadata={"description": "Preserved assets plus security not released (D6)"})
    fully_performed = ma.fields.Boolean()


class FactSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    occurred_on = ma.fields.Date()
    amount = Money(allow_none=True)
    ground = ma.fields.String(allow_none=True)
    asset_searches = ma.fields.Integer(allow_none=True)
    asset_leads = ma.fields.Boolean(allow_none=True)
    refers_to_id = ma.fields.Integer(allow_none=True)
    description = ma.fields.String(allow_none=True)
    request_id = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()


class CaseSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    court = ma.fields.Function(lambda c: c.court.code)
    applicant = ma.fields.String()
    debtor_id = ma.fields.Integer()
    debtor_name = ma.fields.Function(lambda c: c.debtor.name)
    obligation = ma.fields.String()
    basis_issuer = ma.fields.String()
    basis_number = ma.fields.String()
    filed_on = ma.fields.Date()
    payment_deadline = ma.fields.Date(allow_none=True)
    campus_loan = ma.fields.Boolean()
    later_in_order = ma.fields.Boolean()
    # As of the read's date (D1): facts dated later are not shown and do not count.
    amounts = ma.fields.Function(lambda c: AmountsSchema().dump(cases.amounts(c, view_date())))
    enforcement_ended = ma.fields.Function(lambda c: cases.enforcement_ended(c, view_date()))
    facts = ma.fields.Function(
        lambda c: FactSchema(many=True).dump([f for f in c.facts if f.occurred_on <= view_date()]),
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Fact"}},
    )


class CaseQueryArgs(PageArgs, AsOfArgs):
    number = ma.fields.String(
        validate=ma.validate.Length(max=60), metadata={"description": "Part of the case number"}
    )
    debtor_id = Id()


class FactCreateSchema(ma.Schema):
    kind = Enum(FactKind, code="fact.kind", required=True)
    occurred_on = Date(required=True, metadata={"description": "Legal date of the fact (payment, ruling …)"})
    amount = Money(metadata={"description": "preservation / security / partial_performance: the value"})
    ground = ma.fields.String(metadata={"description": "suspension: retrial | bankruptcy | other"})
    asset_searches = ma.fields.Integer(validate=ma.validate.Range(min=0, max=INT_MAX))
    asset_leads = ma.fields.Boolean()
    refers_to_id = Id(
        metadata={"description": "release: the preservation, security or applicant_hold_off fact it ends"}
    )
    description = ma.fields.String(validate=ma.validate.Length(max=2000))
    request_id = Text(
        max_length=64,
        metadata={
            "description": "Your unique reference for this request (a UUID): a retry after a lost answer is "
            "refused with 409 ``fact.already_recorded`` and changes nothing, instead of counting twice"
        },
    )


class FactOutcomeSchema(ma.Schema):
    fact = ma.fields.Nested(FactSchema)
    case = ma.fields.Nested(CaseSchema)
    removed_listings = ma.fields.List(ma.fields.Nested(ListingSchema))
    lifted_restrictions = ma.fields.List(ma.fields.Nested(RestrictionSchema))


class ListingCreateSchema(ma.Schema):
    decision_number = Text(required=True, max_length=80, metadata={"example": "（2024）京0105执1234号之一"})
    decision_date = Date(required=True)
    signed_by = Text(
        required=True, max_length=100, metadata={"description": "Court president who signed (院长签发)"}
    )
    circumstances = ma.fields.List(
        Enum(Circumstance, code="listing.circumstance"), required=True, validate=ma.validate.Length(min=1)
    )
    subject_id = Id(metadata={"description": "Whom to list; default the case's debtor"})
    initiator = Enum(Initiator, code="listing.initiator", load_default=Initiator.COURT)
    grace_months = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=3))
    extension_years = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=3))
    extension_ground = Enum(ExtensionGround, code="listing.extension_ground")
    justification = ma.fields.String(
        validate=ma.validate.Length(max=4000),
        metadata={
            "description": "Written reasons; needed to list over rule two, a hold-off or a campus loan"
        },
    )
    circumstance_arose_on = Date(metadata={"description": "Re-listing after an applicant's deletion (D7)"})
    applied_on = Date(metadata={"description": "When the applicant's request to list was received"})


class RestrictionOrderSchema(ma.Schema):
    order_number = Text(required=True, max_length=80)
    order_date = Date(required=True)
    signed_by = Text(required=True, max_length=100)
    justification = ma.fields.String(
        validate=ma.validate.Length(max=4000),
        metadata={"description": "Written reasons; needed over a hold-off or for a campus-loan student"},
    )
    initiator = Enum(
        Initiator,
        code="restriction.initiator",
        load_default=Initiator.COURT,
        metadata={
            "description": "applicant: on its written application (限高规定 Art. 4); court: own motion"
        },
    )
    applied_on = Date(metadata={"description": "When the applicant's application was received"})


class LiftSchema(ma.Schema):
    order_number = Text(required=True, max_length=80)
    reason = Enum(LiftReason, code="restriction.lift_reason", required=True)
    fact_date = Date(required=True)
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


def _own_case(case_id: int) -> Case:
    case = cases.get(case_id)
    ensure_own_court(case.court_id)
    return case


@blp.route("/")
class CaseViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(CaseCreateSchema)
    @blp.response(201, CaseSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Open an enforcement case

        The case number must name the caller's court (法院代字) and the filing year.
        """
        debtor = subjects.get(data.pop("debtor_id"))
        case = cases.open_case(g.principal.court, debtor=debtor, **data)
        db.session.commit()
        return case

    @blp.auth(Role.COURT)
    @blp.arguments(CaseQueryArgs, location="query")
    @blp.response(200, page_schema(CaseSchema, "CasePageSchema"))
    def get(self, args):
        """List the caller's court's cases (``as_of``: those filed by then, as they stood that day)"""
        on = set_view_date(args.get("as_of"))
        query = select(Case).where(Case.court_id == g.principal.court_id, Case.filed_on <= on)
        if args.get("number"):
            query = query.where(Case.number.contains(args["number"]))
        if args.get("debtor_id"):
            query = query.where(Case.debtor_id == args["debtor_id"])
        rows, total = paginate(query.order_by(Case.id.desc()), args["page"], args["page_size"])
        return page_envelope(rows, total, args["page"], args["page_size"])


@blp.route("/<int:case_id>")
class CaseByIdViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, CaseSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, case_id):
        """Get a case with its facts and amounts (``as_of``: as it stood on a past day; 404 before it was
        filed, as in the list)"""
        on = set_view_date(args.get("as_of"))
        case = _own_case(case_id)
        if case.filed_on > on:
            raise NotFound("the case was not filed yet on that day", code="case.not_found")
        return case


class PaymentDeadlineSchema(ma.Schema):
    payment_deadline = Date(
        required=True, metadata={"description": "End of the period set in the 执行通知书"}
    )


@blp.route("/<int:case_id>/payment-deadline")
class PaymentDeadlineViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(PaymentDeadlineSchema)
    @blp.response(200, CaseSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, case_id):
        """Record the payment deadline of the enforcement notice (执行通知书)

        For a case opened before the notice was served. A consumption restriction order may be issued only
        once this period has passed (C-IMPOSE-1); it is set once and never moved (409 once set).
        """
        case = _own_case(case_id)
        cases.set_payment_deadline(case, data["payment_deadline"])
        db.session.commit()
        return case


@blp.route("/<int:case_id>/facts")
class FactViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(FactCreateSchema)
    @blp.response(201, FactOutcomeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, case_id):
        """Record a fact on the case

        Preserved assets and security count against the debt (rule two). A finding of no property or
        incapacity bars listing (rule four). Full performance, a performed settlement, the applicant's
        approved written request, 终本 after two fruitless asset searches, suspension for retrial or
        bankruptcy, non-enforcement and termination remove the case's listings in this same transaction
        (rule three, list rules Art. 10), and lift its restrictions where D10 says so. The response lists
        what was removed and lifted. A step of the enforcement case itself (终本, incapacity, settlement,
        suspension, non-enforcement, termination, the applicant's requests) is never dated before the case
        was filed (422 ``date.order``); preservation, security and payments may be.
        """
        case = _own_case(case_id)
        outcome = cases.record_fact(case, data.pop("kind"), data.pop("occurred_on"), **data)
        db.session.commit()
        return {
            "fact": outcome.fact,
            "case": case,
            "removed_listings": outcome.removed_listings,
            "lifted_restrictions": outcome.lifted_restrictions,
        }


@blp.route("/<int:case_id>/listings")
class CaseListingViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(ListingCreateSchema)
    @blp.response(201, ListingSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, case_id):
        """Propose a listing

        The rules engine either accepts it (201, with the computed grace period, publication date and
        term, and the consumption restrictions placed with it on the debtor and, for an organisation,
        its key persons) or refuses it (422 with the refusal's ``code``, ``rule`` and ``remedy``).
        """
        case = _own_case(case_id)
        data["circumstances"] = frozenset(data["circumstances"])
        listing = listings.propose(case, Proposal(**data))
        db.session.commit()
        return listing


@blp.route("/<int:case_id>/restrictions")
class CaseRestrictionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(RestrictionOrderSchema)
    @blp.response(201, RestrictionSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, case_id):
        """Issue a consumption restriction order (限制消费令)

        Allowed once the payment period of the enforcement notice has passed (C-IMPOSE-1). For an
        organisation the order reaches the organisation and its key persons (C-ORG-1): one record each.
        """
        case = _own_case(case_id)
        created = restrictions.issue_order(case, **data)
        db.session.commit()
        return created


@blp.route("/<int:case_id>/restrictions/lift")
class CaseRestrictionLiftViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(LiftSchema)
    @blp.response(200, RestrictionSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, case_id):
        """Lift a restriction order on security or the applicant's consent (限高规定 Art. 9)

        Refused while the debtor is listed in the case (a listed debtor must stay restricted).
        Full performance lifts restrictions by recording it as a fact.
        """
        case = _own_case(case_id)
        lifted = restrictions.lift_order(
            case, data["order_number"], data["reason"], data["fact_date"], data.get("note")
        )
        db.session.commit()
        return lifted
