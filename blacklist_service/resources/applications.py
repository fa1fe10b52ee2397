"""Courts' queue of correction applications and reconsiderations (Arts. 11–12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import marshmallow as ma
from flask import current_app, g, send_file
from flask.views import MethodView

from blacklist_service import clock
from blacklist_service.errors import Forbidden, NotFound
from blacklist_service.extensions import db
from blacklist_service.models import Role
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import AsOfArgs, Date, Enum, PageArgs, page_envelope, page_schema
from blacklist_service.resources.listings import ListingSchema
from blacklist_service.resources.views import set_view_date
from blacklist_service.services import applications, citizens
from blacklist_service.services.applications import Outcome, Remedy, Status
from blacklist_service.services.pages import paginate
from sanctions.listing import RemovalReason

blp = Blueprint(
    "applications",
    __name__,
    url_prefix="/correction-applications",
    description="Correction applications and reconsiderations for the caller's court",
)


class AttachmentSchema(ma.Schema):
    id = ma.fields.Integer()
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer()
    sha256 = ma.fields.String()


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String()
    listing = ma.fields.Nested(ListingSchema)
    applicant = ma.fields.Function(lambda a: a.subject.name)
    court = ma.fields.Function(lambda a: a.court.code)
    ground = ma.fields.String()
    explanation = ma.fields.String()
    contact = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    received_on = ma.fields.Date()
    decision_due = ma.fields.Date(metadata={"description": "15 days from receipt (L-APPEAL-2)"})
    decided_on = ma.fields.Date(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    effect = ma.fields.String(allow_none=True)
    effect_due = ma.fields.Date(allow_none=True, metadata={"description": "3 working days (L-APPEAL-3)"})
    effect_on = ma.fields.Date(allow_none=True)
    served_on = ma.fields.Date(allow_none=True)
    reconsideration_deadline = ma.fields.Date(
        allow_none=True, metadata={"description": "10 days from service"}
    )
    reconsideration_court = ma.fields.Function(
        lambda a: a.reconsideration_court.code if a.reconsideration_court else None
    )
    reconsideration_reasons = ma.fields.String(allow_none=True)
    reconsideration_received_on = ma.fields.Date(allow_none=True)
    reconsideration_due = ma.fields.Date(allow_none=True)
    reconsideration_decided_on = ma.fields.Date(allow_none=True)
    reconsideration_note = ma.fields.String(allow_none=True)
    calendar_known = ma.fields.Boolean(
        metadata={"description": "False: a deadline ran past the official holiday data; weekends only (D2)"}
    )
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))


class QueueArgs(PageArgs, AsOfArgs):
    status = Enum(Status, code="application.status")


class DecisionSchema(ma.Schema):
    outcome = Enum(Outcome, code="application.outcome", required=True)
    note = ma.fields.String(validate=ma.validate.Length(max=4000))
    changes = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Ground 'inaccurate': the corrected fields"},
    )
    removal_reason = Enum(
        RemovalReason,
        code="listing.removal_reason",
        metadata={"description": "Ground 'should_be_deleted': the Art. 10 event"},
    )
    fact_date = Date(metadata={"description": "Ground 'should_be_deleted': the date of that event"})
    served_on = Date(metadata={"description": "A rejection's service date, if already served"})


class ServiceSchema(ma.Schema):
    served_on = Date(required=True)


class LateSchema(ma.Schema):
    application_id = ma.fields.Integer()
    reference = ma.fields.String()
    step = ma.fields.String(metadata={"description": "decision | effect | reconsideration"})
    due = ma.fields.Date()
    done_on = ma.fields.Date(allow_none=True)
    days_late = ma.fields.Integer()


def _for_this_court(application_id: int, on: dt.date | None = None):
    application = applications.get(application_id)
    if g.principal.role == Role.ADMIN.value:
        return application
    if not applications.may_act(application, g.principal.court_id):
        raise Forbidden("this application is for another court", code="auth.other_court")
    if not applications.may_act(application, g.principal.court_id, on):  # not yet before the court above
        raise NotFound("no such application before your court then", code="application.not_found")
    return application


def _remedy(data: dict) -> Remedy:
    return Remedy(data.get("changes"), data.get("removal_reason"), data.get("fact_date"))


@blp.route("/")
class QueueViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, page_schema(ApplicationSchema, "ApplicationPageSchema"))
    def get(self, args):
        """The court's applications, earliest deadline first (reconsiderations for a higher court)

        ``as_of`` shows them as they stood at the end of that day (D1): those received later are left out,
        a reconsideration is the higher court's once it was received, ``status`` (and the filter on it) is
        the status then, and a step taken later (a decision, its effect, service, reconsideration) is empty.
        """
        on = args.get("as_of")
        set_view_date(on)
        query = applications.queue(g.principal.court, args.get("status"), on)
        rows, total = paginate(query, args["page"], args["page_size"])
        citizens.log_reads((x.listing.subject_id for x in rows), "applications:queue")
        shown = rows if on is None else [applications.ApplicationOn(x, on) for x in rows]
        return page_envelope(shown, total, args["page"], args["page_size"])


@blp.route("/overdue")
class OverdueViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, LateSchema(many=True))
    def get(self, args):
        """Decisions, effects and reconsiderations past their deadlines

        ``as_of`` (default today) shows the report as it stood at the end of that day (D1): applications
        received later are left out; a step done later counts as still pending then (``done_on`` null,
        ``days_late`` counted to ``as_of``) and is shown only if its deadline had passed by then.
        """
        return applications.overdue(g.principal.court, set_view_date(args.get("as_of")))


@blp.route("/<int:application_id>")
class ApplicationViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, ApplicationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, application_id):
        """Get an application (``as_of``: as it stood at the end of that day, as in the list; 404 before
        it was received)"""
        on = args.get("as_of")
        application = _for_this_court(application_id, on)
        set_view_date(on)
        shown = application if on is None else applications.ApplicationOn(application, on)
        citizens.log_reads([application.listing.subject_id], f"application:{application.id}")
        return shown


@blp.route("/<int:application_id>/decision")
class DecisionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(DecisionSchema)
    @blp.response(200, ApplicationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, application_id):
        """Decide an application (the listing court, within 15 days)

        The decision is dated the day it is recorded (no backdating: the deadline report must not be
        fooled). Upheld: the listing is revoked, corrected or deleted in this same request — a deletion by
        recording its Art. 10 event on the case. Rejected: record the service date (here or later) to start
        the applicant's 10 days for reconsideration.
        """
        application = _for_this_court(application_id)
        if application.court_id != g.principal.court_id:
            raise Forbidden("only the listing court decides the application", code="auth.other_court")
        applications.decide(
            application,
            data["outcome"],
            clock.today(),
            data.get("note"),
            _remedy(data),
            data.get("served_on"),
        )
        db.session.commit()
        return application


@blp.route("/<int:application_id>/service")
class ServiceViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(ServiceSchema)
    @blp.response(200, ApplicationSchema)
    def post(self, data, application_id):
        """Record that the rejection was served on the applicant"""
        application = _for_this_court(application_id)
        applications.record_service(application, data["served_on"])
        db.session.commit()
        return application


@blp.route("/<int:application_id>/reconsideration-decision")
class ReconsiderationDecisionViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(DecisionSchema)
    @blp.response(200, ApplicationSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, application_id):
        """Decide a reconsideration (the court one level up, within 15 days)"""
        application = _for_this_court(application_id)
        if application.reconsideration_court_id != g.principal.court_id:
            raise Forbidden(
                "only the court one level up decides the reconsideration", code="auth.other_court"
            )
        applications.decide_reconsideration(
            application,
            data["outcome"],
            clock.today(),
            data.get("note"),
            _remedy(data),
        )
        db.session.commit()
        return application


@blp.route("/<int:application_id>/attachments/<int:attachment_id>")
class AttachmentViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.response(200, content_type="application/octet-stream")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, application_id, attachment_id):
        """Download an attachment"""
        application = _for_this_court(application_id)
        attachment = next((a for a in application.attachments if a.id == attachment_id), None)
        if attachment is None:
            raise NotFound("no such attachment", code="attachment.not_found")
        # An applicant's document (often an ID card or bank record): who opened it is logged like any read.
        citizens.log_reads([application.subject_id], f"attachment:{attachment.id}")
        path = Path(current_app.config["UPLOAD_DIR"]) / attachment.sha256
        response = send_file(
            path,
            mimetype=attachment.content_type,
            as_attachment=True,  # saved, never shown by the browser in this site's pages
            download_name=download_name(attachment.filename, attachment.content_type),
        )
        response.headers["Cache-Control"] = "no-store"  # often an ID card or a bank record
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# The file name extensions of each accepted type (services.applications.SIGNATURES), the usual one first.
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}


def download_name(filename: str, content_type: str) -> str:
    """The name an attachment is saved under: the applicant's, cleaned as stored (``applications.file_name``:
    names stored before were not), ending in an extension of the type found in its content (``a.html``
    holding a PDF is saved as ``a.html.pdf``)."""
    name = applications.file_name(filename).strip(". ")
    extensions = EXTENSIONS[content_type]
    return name if name.lower().endswith(extensions) else f"{name or 'attachment'}{extensions[0]}"
