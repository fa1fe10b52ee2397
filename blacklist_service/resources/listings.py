"""Listings of the caller's court: search, revoke, delete early, correct, and the overdue report."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from blacklist_service import clock
from blacklist_service.auth import ensure_own_court
from blacklist_service.errors import NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Listing, Restriction, Role
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import AsOfArgs, Date, Enum, PageArgs, page_envelope, page_schema
from blacklist_service.resources.restrictions import RestrictionDetailSchema, RestrictionSchema
from blacklist_service.resources.views import set_view_date, view_date
from blacklist_service.services import citizens, listings, restrictions
from blacklist_service.services.listings import CORRECTABLE, ListingFilter
from sanctions.listing import Circumstance, ListingState

blp = Blueprint(
    "listings", __name__, url_prefix="/listings", description="Dishonest-debtor listings (失信名单)"
)


class RemovalSchema(ma.Schema):
    reason = ma.fields.String(attribute="removal_reason")
    rule = ma.fields.String(attribute="removal_rule")
    fact_date = ma.fields.Date(attribute="removal_fact_date")
    removed_on = ma.fields.Date()
    due = ma.fields.Date(attribute="removal_due", metadata={"description": "3 working days from the fact"})
    calendar_known = ma.fields.Boolean(attribute="removal_calendar_known")
    overdue = ma.fields.Function(lambda x: x.removal_overdue(clock.today()))
    note = ma.fields.String(attribute="removal_note", allow_none=True)


class CorrectionSchema(ma.Schema):
    id = ma.fields.Integer()
    found_on = ma.fields.Date()
    corrected_on = ma.fields.Date()
    due = ma.fields.Date()
    overdue = ma.fields.Boolean()
    changes = ma.fields.Dict(metadata={"description": "field -> [before, after]"})
    note = ma.fields.String(allow_none=True)


class ListingSubjectSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    identifier = ma.fields.String()


class DatedList(ma.fields.List):
    """A list of dated records without those dated after the read date (D1: not there yet on that day)."""

    def __init__(self, inner: ma.fields.Field, *, dated_by: str, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.dated_by = dated_by

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        shown = [x for x in value or [] if getattr(x, self.dated_by) <= view_date()]
        return super()._serialize(shown, attr, obj, **kwargs)


def _restrictions_of(listing) -> list[Restriction]:
    query = select(Restriction).where(Restriction.case_id == listing.case_id).order_by(Restriction.id)
    return list(db.session.scalars(query))


class ListingSchema(ma.Schema):
    id = ma.fields.Integer()
    case_id = ma.fields.Integer()
    case_number = ma.fields.Function(lambda x: x.case.number)
    court = ma.fields.Function(lambda x: x.court.code)
    subject = ma.fields.Nested(ListingSubjectSchema)
    decision_number = ma.fields.String()
    decision_date = ma.fields.Date()
    signed_by = ma.fields.String()
    circumstances = ma.fields.List(ma.fields.String())
    initiator = ma.fields.String()
    grace_months = ma.fields.Integer()
    grace_end = ma.fields.Date(allow_none=True)
    publish_from = ma.fields.Date(metadata={"description": "First day published and enforced (D4)"})
    term_years = ma.fields.Integer(
        allow_none=True, metadata={"description": "None for item (一): no fixed term"}
    )
    extension_years = ma.fields.Integer()
    extension_ground = ma.fields.String(allow_none=True)
    term_end = ma.fields.Date(allow_none=True, metadata={"description": "Last active day (D2)"})
    state = ma.fields.Function(
        lambda x: x.state(view_date()).value,
        metadata={"description": "in_grace | active | expired | removed, as of the read date"},
    )
    justification = ma.fields.String(allow_none=True)
    overrides = ma.fields.List(ma.fields.String())
    # As of the read date (D1): a removal or correction made later is not there yet.
    removal = ma.fields.Function(
        lambda x: RemovalSchema().dump(x) if x.removal_reason and x.removed_on <= view_date() else None
    )
    restrictions = ma.fields.Function(
        lambda x: RestrictionDetailSchema(many=True).dump(_restrictions_of(x)),
        metadata={
            "description": "Restrictions of the case (debtor, key persons), each with the measures that apply"
        },
    )
    corrections = DatedList(ma.fields.Nested(CorrectionSchema), dated_by="corrected_on")


def _people_shown(rows: list[Listing]) -> list[int]:
    """The debtors and restricted key persons whose records (IDs among them) a listing response shows
    (one query for the page's restrictions)."""
    cases = {x.case_id for x in rows}
    restricted = db.session.scalars(select(Restriction.subject_id).where(Restriction.case_id.in_(cases)))
    return [x.subject_id for x in rows] + list(restricted)


class ListingSummarySchema(ListingSchema):
    """A listing in a search page: its restrictions without the measures of each person, which cost a status
    computation per restricted person (see GET /listings/{id} or /debtors/{id}/measures for those)."""

    restrictions = ma.fields.Function(
        lambda x: RestrictionSchema(many=True).dump(_restrictions_of(x)),
        metadata={"description": "Restrictions of the case (debtor, key persons)"},
    )


class ListingQueryArgs(PageArgs, AsOfArgs):
    state = Enum(ListingState, code="listing.state")
    circumstance = Enum(Circumstance, code="listing.circumstance")
    name = ma.fields.String(
        validate=ma.validate.Length(max=200), metadata={"description": "Part of the subject's name"}
    )
    case_number = ma.fields.String(
        validate=ma.validate.Length(max=60), metadata={"description": "Part of the case number"}
    )
    decided_from = Date()
    decided_to = Date()


class RemovalRequestSchema(ma.Schema):
    fact_date = Date(
        required=True, metadata={"description": "When the wrong listing / performance was found"}
    )
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class CorrectionRequestSchema(ma.Schema):
    found_on = Date(required=True)
    changes = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(sorted(CORRECTABLE))),
        values=ma.fields.String(),
        required=True,
        metadata={"description": f"New values; fields: {', '.join(sorted(CORRECTABLE))}"},
    )
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class OverdueSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "removal | revocation | expiry_unmarked | correction"})
    listing_id = ma.fields.Integer()
    case_number = ma.fields.String()
    fact_date = ma.fields.Date()
    due = ma.fields.Date()
    done_on = ma.fields.Date(allow_none=True)
    days_late = ma.fields.Integer()
    calendar_known = ma.fields.Boolean()


class OverrideCountSchema(ma.Schema):
    overrides = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), metadata={"description": "Listings, per refusal"}
    )
    order_overrides = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={"description": "Consumption restriction orders, per refusal"},
    )


def _own_listing(listing_id: int):
    listing = listings.get(listing_id)
    ensure_own_court(listing.court_id)
    return listing


@blp.route("/")
class ListingViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(ListingQueryArgs, location="query")
    @blp.response(200, page_schema(ListingSummarySchema, "ListingPageSchema"))
    def get(self, args):
        """Search the caller's court's listings

        States are computed from the dates as of ``as_of`` (default today): an expired listing is never
        shown as active, even before the sweep marks it.
        """
        on = set_view_date(args.pop("as_of", None))
        page, size = args.pop("page"), args.pop("page_size")
        rows, total = listings.search(g.principal.court, ListingFilter(**args), on, page, size)
        citizens.log_reads(_people_shown(rows), "listings:search")
        return page_envelope(rows, total, page, size)


@blp.route("/overdue")
class OverdueViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, OverdueSchema(many=True))
    def get(self, args):
        """Removals, revocations and corrections past their 3-working-day deadline (Arts. 9–10)

        ``as_of`` (default today) shows the report as it stood at the end of that day (D1): a removal,
        revocation or correction whose fact is dated later is left out; one recorded later counts as still
        pending then (``done_on`` null, ``days_late`` counted to ``as_of``) and is shown only if its deadline
        had passed by then; a term ended before ``as_of`` and not marked removed by then is
        ``expiry_unmarked``.
        """
        return listings.overdue(g.principal.court, set_view_date(args.get("as_of")))


@blp.route("/overrides")
class OverrideViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, OverrideCountSchema)
    def get(self, args):
        """How often the court listed or restricted over a refusal with a written justification
        (``as_of``: the decisions and orders made by then)"""
        court, on = g.principal.court, set_view_date(args.get("as_of"))
        return {
            "overrides": listings.count_overrides(court, on),
            "order_overrides": restrictions.count_order_overrides(court, on),
        }


@blp.route("/<int:listing_id>")
class ListingByIdViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, ListingSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, listing_id):
        """Get a listing (``as_of``: as it stood on a past day; 404 before its decision date, as in the
        search)"""
        on = set_view_date(args.get("as_of"))
        listing = _own_listing(listing_id)
        if listing.decision_date > on:
            raise NotFound("the listing was not decided yet on that day", code="listing.not_found")
        citizens.log_reads(_people_shown([listing]), f"listing:{listing.id}")
        return listing


@blp.route("/<int:listing_id>/revocation")
class RevocationViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(RemovalRequestSchema)
    @blp.response(200, ListingSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, listing_id):
        """Revoke a wrong listing (Art. 9 ¶1, within 3 working days)

        The restrictions placed only because of this listing are lifted with it (D10).
        """
        listing = listings.revoke(_own_listing(listing_id), data["fact_date"], data.get("note"))
        db.session.commit()
        return listing


@blp.route("/<int:listing_id>/early-deletion")
class EarlyDeletionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(RemovalRequestSchema)
    @blp.response(200, ListingSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, listing_id):
        """Delete a listing early for active performance or correction (Art. 2 ¶2)"""
        listing = listings.delete_early(_own_listing(listing_id), data["fact_date"], data.get("note"))
        db.session.commit()
        return listing


@blp.route("/<int:listing_id>/corrections")
class CorrectionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(CorrectionRequestSchema)
    @blp.response(201, ListingSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, listing_id):
        """Correct inaccurate information (Art. 9 ¶2, within 3 working days)

        Only the fields that differ from the record are corrected and recorded. Changes equal to the current
        values are refused (422 ``correction.no_change``) and write nothing, so a retry after a lost answer is
        not recorded twice.
        """
        listing = _own_listing(listing_id)
        listings.correct(listing, data["changes"], data["found_on"], data.get("note"))
        db.session.commit()
        return listing
