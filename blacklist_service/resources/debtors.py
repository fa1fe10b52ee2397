"""Debtors: natural persons and organisations, with organisations' key persons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from flask import g
from flask.views import MethodView

from blacklist_service.auth import ensure_court_has_case_on
from blacklist_service.extensions import db
from blacklist_service.models import Role, Subject
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import AsOfArgs, Date, Enum, Text, coded
from blacklist_service.resources.restrictions import RestrictionSchema
from blacklist_service.resources.sanctions import MeasureDecisionSchema
from blacklist_service.resources.views import set_view_date
from blacklist_service.services import citizens, subjects
from blacklist_service.services.status import measures_for
from sanctions.catalogue import KeyRole, Sector
from sanctions.listing import SubjectKind

blp = Blueprint("debtors", __name__, url_prefix="/debtors", description="Register debtors and key persons")


class KeyPersonCreateSchema(ma.Schema):
    role = Enum(KeyRole, code="key_person.role", required=True)
    name = Text(required=True)
    id_number = ma.fields.String(required=True, metadata={"example": "110105199003070935"})
    since = Date(required=True)


class DebtorCreateSchema(ma.Schema):
    kind = Enum(SubjectKind, code="debtor.kind", required=True)
    name = Text(required=True)
    id_number = ma.fields.String(
        metadata={"description": "Resident ID (18 digits, or legacy 15) of a person"}
    )
    credit_code = ma.fields.String(
        metadata={
            "description": "Unified social credit code (18) or organisation code (9) of an organisation"
        }
    )
    key_persons = ma.fields.List(ma.fields.Nested(KeyPersonCreateSchema), load_default=list)

    @ma.validates_schema
    def _identifier_for_kind(self, data: dict, **_: object) -> None:
        if data["kind"] is SubjectKind.PERSON and not data.get("id_number"):
            raise ma.ValidationError(
                {"id_number": coded("id_number.required", "a person needs an ID number").messages}
            )
        if data["kind"] is SubjectKind.ORGANISATION and not data.get("credit_code"):
            raise ma.ValidationError(
                {"credit_code": coded("credit_code.required", "an organisation needs a credit code").messages}
            )
        if data["kind"] is SubjectKind.PERSON and data.get("key_persons"):
            raise ma.ValidationError(
                {
                    "key_persons": coded(
                        "key_person.not_organisation", "only an organisation has key persons"
                    ).messages
                }
            )


class SubjectRefSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    identifier = ma.fields.String(metadata={"description": "Full ID number or credit code (court view)"})


class KeyPersonSchema(ma.Schema):
    id = ma.fields.Integer()
    role = ma.fields.String()
    since = ma.fields.Date()
    until = ma.fields.Date(allow_none=True)
    person = ma.fields.Nested(SubjectRefSchema)


class DebtorSchema(SubjectRefSchema):
    legacy_identifier = ma.fields.String(allow_none=True)
    birth_date = ma.fields.Date(allow_none=True)
    sex = ma.fields.String(allow_none=True)
    key_persons = ma.fields.List(ma.fields.Nested(KeyPersonSchema))


class _InOffice:
    """A debtor as ``DebtorSchema`` reads it, but with only the key persons in office on a day: the
    organisation's own list is left alone (changing it would change the record in the session)."""

    def __init__(self, subject: Subject, on: dt.date) -> None:
        self._subject = subject
        self.key_persons = subject.current_key_persons(on)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._subject, name)


@blp.route("/")
class DebtorViews(MethodView):
    @blp.auth(Role.COURT)  # the register is written by courts only; an admin key reads
    @blp.arguments(DebtorCreateSchema)
    @blp.response(201, DebtorSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Register a debtor

        A person is identified by a resident ID number (GB 11643 check digit verified; a 15-digit legacy
        number is converted and its birth date and sex derived); an organisation by a unified social credit
        code (GB 32100) or a legacy organisation code (GB 11714). Key persons may be given at once.
        """
        kind = data["kind"]
        identifier = data.get("id_number") if kind is SubjectKind.PERSON else data.get("credit_code")
        subject = subjects.register(kind, data["name"], identifier)
        for person in data["key_persons"]:
            subjects.add_key_person(
                subject, person["role"], person["name"], person["id_number"], person["since"]
            )
        db.session.commit()
        return subject


@blp.route("/<int:debtor_id>")
class DebtorByIdViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, DebtorSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, debtor_id):
        """Get a debtor with its key persons

        Without ``as_of`` every key person ever recorded is listed, former ones with their ``until``. With
        ``as_of`` only those in office on that day (D1): ``since`` on or before it and ``until`` (the first
        day out of the role) empty or after it, so one who left on ``as_of`` is not listed.
        """
        subject = subjects.get(debtor_id)
        citizens.log_reads([subject.id], f"debtor:{subject.id}")
        as_of = args.get("as_of")
        set_view_date(as_of)
        return subject if as_of is None else _InOffice(subject, as_of)


@blp.route("/<int:debtor_id>/key-persons")
class KeyPersonViews(MethodView):
    @blp.auth(Role.COURT)  # a key person is restricted with the organisation: a court's act, never an admin's
    @blp.arguments(KeyPersonCreateSchema)
    @blp.response(201, KeyPersonSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, debtor_id):
        """Add a key person to an organisation

        The legal representative, main responsible person, directly responsible person or actual controller
        (限高规定 Art. 3 ¶2). They are restricted with the organisation, never listed for its debt (rule one).
        """
        organisation = subjects.get(debtor_id)
        ensure_court_has_case_on(organisation.id)
        link = subjects.add_key_person(
            organisation, data["role"], data["name"], data["id_number"], data["since"]
        )
        db.session.commit()
        return link


class KeyPersonChangeSchema(ma.Schema):
    role = Enum(
        KeyRole,
        code="key_person.role",
        required=True,
        metadata={"description": "legal_representative or main_responsible"},
    )
    name = Text(required=True, metadata={"description": "The new holder"})
    id_number = ma.fields.String(required=True)
    effective_on = Date(required=True)


class KeyPersonChangeResultSchema(ma.Schema):
    key_person = ma.fields.Nested(KeyPersonSchema)
    released = ma.fields.List(ma.fields.Nested(RestrictionSchema), metadata={"description": "Former holder"})
    restricted = ma.fields.List(ma.fields.Nested(RestrictionSchema), metadata={"description": "New holder"})


@blp.route("/<int:debtor_id>/key-person-changes")
class KeyPersonChangeViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(KeyPersonChangeSchema)
    @blp.response(201, KeyPersonChangeResultSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, debtor_id):
        """Change the legal representative or main responsible person (2019 Opinion §17(2), C-LR-CHANGE)

        In one step, from ``effective_on`` (D1), the former holder is released from this court's orders on
        the organisation (another court releases its own: ``/restrictions/{id}/release``) and the new holder
        is restricted under every order in force. Refused while the former holder is also the actual
        controller or the directly responsible person.
        """
        organisation = subjects.get(debtor_id)
        ensure_court_has_case_on(organisation.id)
        link, released, restricted = subjects.change_key_person(
            organisation, court_id=g.principal.court_id, **data
        )
        db.session.commit()
        return {"key_person": link, "released": released, "restricted": restricted}


class KeyPersonEndSchema(ma.Schema):
    effective_on = Date(
        required=True, metadata={"description": "The first day the person no longer holds the role"}
    )


class KeyPersonEndResultSchema(ma.Schema):
    key_person = ma.fields.Nested(KeyPersonSchema)
    released = ma.fields.List(
        ma.fields.Nested(RestrictionSchema), metadata={"description": "This court's rows released"}
    )


@blp.route("/<int:debtor_id>/key-persons/<int:key_person_id>/end")
class KeyPersonEndViews(MethodView):
    @blp.auth(Role.COURT)
    @blp.arguments(KeyPersonEndSchema)
    @blp.response(201, KeyPersonEndResultSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, debtor_id, key_person_id):
        """End an actual controller's or directly responsible person's role (C-ORG-1, C-LR-CHANGE)

        From ``effective_on`` the person no longer holds the role: this court's orders release them, from
        that day (D1), from the restrictions that reach them through it; another court releases its own
        (``/restrictions/{id}/release``). A role they still hold keeps them restricted. The legal
        representative and the main responsible person change through ``key-person-changes`` (422
        ``key_person.end_role``).
        """
        organisation = subjects.get(debtor_id)
        ensure_court_has_case_on(organisation.id)
        link, released = subjects.end_key_person(
            organisation, key_person_id, data["effective_on"], court_id=g.principal.court_id
        )
        db.session.commit()
        return {"key_person": link, "released": released}


class MeasureArgs(AsOfArgs):
    sector = Enum(Sector, code="sector.unknown")


@blp.route("/<int:debtor_id>/measures")
class DebtorMeasureViews(MethodView):
    @blp.auth(Role.COURT, Role.ADMIN)
    @blp.arguments(MeasureArgs, location="query")
    @blp.response(200, MeasureDecisionSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, debtor_id):
        """The measures that apply to a person or organisation, in every sector or one

        Computed from the listings, restrictions and permissions in force on ``as_of`` (default today).
        """
        on = set_view_date(args.get("as_of"))
        subject = subjects.get(debtor_id)
        citizens.log_reads([subject.id], f"debtor:{subject.id}:measures")
        return list(measures_for(subject, on, args.get("sector")))
