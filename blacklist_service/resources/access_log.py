"""The access log, for the data-protection reader: who looked up whom, and when (PIPL accountability)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from blacklist_service.models import Role
from blacklist_service.models.audit import AccessAction
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import Enum, Id, PageArgs, coded, page_envelope, page_schema
from blacklist_service.services import citizens

blp = Blueprint(
    "access-log", __name__, url_prefix="/access-log", description="Who looked up whom (admin keys only)"
)


class Moment(ma.fields.AwareDateTime):
    """An ISO date and time; without an offset it is UTC. A bad one is reported with a stable code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=dt.UTC, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        try:
            moment = super()._deserialize(value, attr, data, **kwargs)
        except ma.ValidationError:
            raise coded("datetime.invalid", "a time is ISO 8601, e.g. 2026-11-21T08:00:00+08:00") from None
        return moment.astimezone(dt.UTC)


class AccessLogQueryArgs(PageArgs):
    subject_id = Id(metadata={"description": "Lookups that returned this subject (a debtor's id)"})
    principal_id = Id(metadata={"description": "Lookups made with this API key"})
    action = Enum(AccessAction, code="access_log.action")
    since = Moment(metadata={"description": "From this time on (inclusive)"})
    until = Moment(metadata={"description": "Before this time (exclusive)"})

    @ma.validates_schema
    def _in_order(self, data: dict[str, Any], **_: object) -> None:
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ma.ValidationError({"until": coded("datetime.order", "until must be after since").messages})


class AccessLogEntrySchema(ma.Schema):
    """One lookup. It holds no ID number: the query is a keyed hash of what was asked."""

    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    action = ma.fields.String(metadata={"description": ", ".join(a.value for a in AccessAction)})
    principal_id = ma.fields.Integer(allow_none=True, metadata={"description": "The API key's holder"})
    client = ma.fields.String(allow_none=True, metadata={"description": "A keyless caller's address"})
    query_digest = ma.fields.String(
        allow_none=True,
        metadata={"description": "Keyed hash of what was asked: equal queries, equal digests"},
    )
    subject_ids = ma.fields.List(ma.fields.Integer(), metadata={"description": "The subjects returned"})
    reference = ma.fields.String(allow_none=True, metadata={"description": "Screening id, application, …"})


@blp.route("/")
class AccessLogViews(MethodView):
    @blp.auth(Role.ADMIN)
    @blp.arguments(AccessLogQueryArgs, location="query")
    @blp.response(200, page_schema(AccessLogEntrySchema, "AccessLogPageSchema"))
    def get(self, args):
        """Search the access log, newest first

        Who looked up whom: screenings (each row of a batch or job), self-checks, public searches,
        correction applications and reconsideration requests (refused ones too), and courts' and admins'
        reads of records and attachments. Filter by subject, API key, action and time. This read is itself
        logged.
        """
        page, size = args.pop("page"), args.pop("page_size")
        rows, total = citizens.read_access_log(citizens.AccessLogFilter(**args), page, size)
        return page_envelope(rows, total, page, size)
