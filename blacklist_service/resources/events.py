"""The event log, for followers (screening workers, audits): every change, in commit order."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView

from blacklist_service.models import Role
from blacklist_service.models.types import BIGINT_MAX
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import Range
from blacklist_service.services import events

blp = Blueprint("events", __name__, url_prefix="/events", description="Append-only event log (全程留痕)")


class EventQueryArgs(ma.Schema):
    after = ma.fields.Integer(
        load_default=0,
        validate=Range(min=0, max=BIGINT_MAX, code="after.range"),
        metadata={"description": "Return events with seq greater than this"},
    )
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))


class EventSchema(ma.Schema):
    seq = ma.fields.Integer()
    recorded_at = ma.fields.DateTime()
    on_date = ma.fields.Date()
    principal_id = ma.fields.Integer(allow_none=True)
    court_id = ma.fields.Integer(allow_none=True)
    entity = ma.fields.String()
    entity_id = ma.fields.Integer()
    action = ma.fields.String()
    subject_id = ma.fields.Integer(allow_none=True)
    data = ma.fields.Dict()


class EventPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EventSchema))
    last_seq = ma.fields.Integer(metadata={"description": "Highest seq in the log; poll with after=<this>"})


@blp.route("/")
class EventViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(EventQueryArgs, location="query")
    @blp.response(200, EventPageSchema)
    def get(self, args):
        """Read the event log after a sequence number

        A court key reads its own court's events: those of its cases, listings, restrictions and
        correction applications, and the debtors and key persons its keys registered. An admin key reads
        all.
        """
        court_id = g.principal.court_id if g.principal.role == Role.COURT.value else None
        return {"items": events.read(args["after"], args["limit"], court_id), "last_seq": events.last_seq()}
