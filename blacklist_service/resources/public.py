"""Citizens, without a key: self-check, the public list, correction applications and reconsideration.

Every call here is throttled per client (429 with Retry-After) so the list cannot be scraped, and logged
(who asked, a keyed hash of what, which records were returned). A look-up of someone is also counted against
the identity it names (``count_lookup``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView
from flask_smorest.fields import Upload

from blacklist_service import clock
from blacklist_service.errors import Forbidden, ServiceError, TooMany
from blacklist_service.extensions import db, limiter, take
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import Enum, PageArgs, Text, coded, page_envelope
from blacklist_service.resources.sanctions import MeasureDecisionSchema
from blacklist_service.services import applications, citizens
from blacklist_service.services.applications import Ground
from blacklist_service.transactions import Lookup

blp = Blueprint(
    "public", __name__, url_prefix="/public", description="For citizens, no key needed; throttled per client"
)


def public_limit() -> str:
    return str(current_app.config["PUBLIC_RATE_LIMIT"])


def target_limit() -> str:
    return str(current_app.config["SELF_CHECK_TARGET_LIMIT"])


def _body_text(field: str) -> str:
    """A text field of the JSON or form body, else "" (the schema refuses the rest, after the throttle)."""
    try:
        body = request.get_json(silent=True) if request.is_json else request.form
    except RecursionError:  # nested too deeply: the arguments parser refuses it (400 json.too_deep)
        body = None
    body = body if isinstance(body, dict) or hasattr(body, "get") else {}
    value = body.get(field)
    return value if isinstance(value, str) else ""


def _number() -> str:
    """The identifier the look-up is by: the ID number, else the credit code. A blank ID number is none, as for
    ``citizens.identify`` behind the pages, which strip it (else a space there would key no identity at all)."""
    return _body_text("id_number").strip() or _body_text("credit_code")


def _target() -> str:
    """The identity being looked up, from a JSON or form body (see ``citizens.target_key``)."""
    return citizens.target_key(_body_text("name"), _number())


def _looks_up_no_one() -> bool:
    """A request that names no one (a GET, a blank form, a name without a number) is not counted against an
    identity: it would otherwise share one key with every other such request, and a few page views by anyone
    would shut the page for everybody. It still counts against its client's budget."""
    if request.method != "POST":
        return True
    return not (_body_text("name").strip() and _number().strip())


# One budget per client across every public route, API and web page alike (a per-route limit would
# multiply it by the number of routes). It counts every request, a faulty one too: it is the flood guard,
# and a faulty body costs the server as much to read and refuse (an application's up to MAX_CONTENT_LENGTH).
throttled = limiter.shared_limit(public_limit, scope="public")


def count_lookup() -> None:
    """Count this request against the identity it looks up, whoever sends it (``SELF_CHECK_TARGET_LIMIT``,
    shared by the API and the pages), or refuse it (429 ``rate_limited``): trying the birth dates behind a
    published masked ID stays slow, right and wrong identities alike.

    Called by each view once the request has passed every check of its own form (fields, a well-formed
    identifier, an application's attachments: the same 422 for any identity, which tells nothing about
    anyone and is not counted, so a citizen correcting typing mistakes does not lock himself out) and before
    an answer that depends on the identity leaves the server. The count is one atomic hit (``take``), not a
    test before the view and a deduction after it: concurrent guesses cannot all pass before any is counted.
    A request naming no one (``_looks_up_no_one``) is not counted."""
    if _looks_up_no_one():
        return
    wait = take(target_limit(), "public-target", _target())
    if wait is not None:
        raise TooMany(f"too many look-ups of this identity; try again in {wait} s", retry_after=wait)


@contextlib.contextmanager
def counted_lookup() -> Iterator[None]:
    """``count_lookup`` once the block has answered according to the identity: when it succeeds or refuses
    with anything but a 422. A filing's explanation and attachments are checked (422) before the identity is
    compared (``applications.file``), so those refusals are the form's and are not counted."""
    try:
        yield
    except ServiceError as exc:
        if exc.status != 422:
            count_lookup()
        raise
    count_lookup()


class IdentitySchema(ma.Schema):
    name = Text(required=True, metadata={"description": "Your name, or the organisation's"})
    id_number = ma.fields.String(metadata={"description": "Your resident ID number (18 digits, or 15)"})
    credit_code = ma.fields.String(
        metadata={"description": "The organisation's credit code or organisation code"}
    )
    representative_id_number = ma.fields.String(
        metadata={
            "description": "For an organisation: the ID number of its legal representative (or main "
            "responsible person), since the credit code is public"
        }
    )

    @ma.validates_schema
    def _one_identifier(self, data: dict, **_: object) -> None:
        if not data.get("id_number") and not data.get("credit_code"):
            raise ma.ValidationError(
                {"id_number": coded("identity.required", "give an ID number or a credit code").messages}
            )


class TextSchema(ma.Schema):
    code = ma.fields.String()
    zh = ma.fields.String()
    en = ma.fields.String()


class CourtContactSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    contact = ma.fields.String(allow_none=True)


class OwnListingSchema(ma.Schema):
    id = ma.fields.Integer()
    court = ma.fields.Nested(CourtContactSchema)
    case_number = ma.fields.String()
    decision_number = ma.fields.String()
    decision_date = ma.fields.Date()
    circumstances = ma.fields.List(ma.fields.Nested(TextSchema))
    state = ma.fields.String()
    publish_from = ma.fields.Date()
    term_end = ma.fields.Date(allow_none=True)
    removed_on = ma.fields.Date(allow_none=True)
    removal_reason = ma.fields.String(allow_none=True)
    how_to_end = ma.fields.List(ma.fields.Nested(TextSchema))


class OwnPermissionSchema(ma.Schema):
    kind = ma.fields.String()
    measures = ma.fields.List(ma.fields.String(), allow_none=True)
    valid_from = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)


class OwnRestrictionSchema(ma.Schema):
    id = ma.fields.Integer()
    court = ma.fields.Nested(CourtContactSchema)
    case_number = ma.fields.String()
    order_number = ma.fields.String()
    capacity = ma.fields.String()
    role = ma.fields.String(allow_none=True)
    organisation = ma.fields.String(allow_none=True)
    effective_from = ma.fields.Date()
    active = ma.fields.Boolean()
    lifted_on = ma.fields.Date(allow_none=True)
    lift_reason = ma.fields.String(allow_none=True)
    permissions = ma.fields.List(ma.fields.Nested(OwnPermissionSchema))
    how_to_end = ma.fields.List(ma.fields.Nested(TextSchema))


class ApplicationStatusSchema(ma.Schema):
    reference = ma.fields.String()
    listing_id = ma.fields.Integer()
    ground = ma.fields.String()
    status = ma.fields.String()
    received_on = ma.fields.Date()
    decision_due = ma.fields.Date()
    decided_on = ma.fields.Date(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    effect = ma.fields.String(allow_none=True)
    served_on = ma.fields.Date(allow_none=True)
    reconsideration_deadline = ma.fields.Date(allow_none=True)
    reconsideration_due = ma.fields.Date(allow_none=True)
    reconsideration_decided_on = ma.fields.Date(allow_none=True)
    calendar_known = ma.fields.Boolean(metadata={"description": "False: a deadline is provisional (D2)"})


class SelfCheckSchema(ma.Schema):
    listed = ma.fields.Boolean(metadata={"description": "On the active dishonest-debtor list today"})
    restricted = ma.fields.Boolean(metadata={"description": "Under a consumption restriction today"})
    listings = ma.fields.List(ma.fields.Nested(OwnListingSchema), metadata={"description": "Active and past"})
    restrictions = ma.fields.List(ma.fields.Nested(OwnRestrictionSchema))
    measures = ma.fields.List(
        ma.fields.Nested(MeasureDecisionSchema), metadata={"description": "In force today"}
    )
    applications = ma.fields.List(ma.fields.Nested(ApplicationStatusSchema))


class PublicQueryArgs(PageArgs):
    name = Text(required=True, metadata={"description": "Exact name (被执行人姓名/名称)"})
    id_number = ma.fields.String(
        metadata={
            "description": "ID masked as published (digits 11–14 as ****, e.g. 3604261991****0071), or an "
            "organisation code; a full ID is refused (422 id_number.unmasked): it would be in the address"
        }
    )
    province = ma.fields.String(metadata={"description": "Province of the court, e.g. 北京市"})


class PublicRecordSchema(ma.Schema):
    """List rules Art. 6 fields only; a person's ID number is masked (digits 11–14)."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "Masked: 3604261991****0071"})
    sex = ma.fields.String()
    age = ma.fields.Integer(
        metadata={
            "description": "Age on the publication date (list rules Art. 6; fixed so the masked birth date "
            "cannot be learnt)"
        }
    )
    credit_code = ma.fields.String()
    legal_representative = ma.fields.String(
        allow_none=True,
        metadata={"description": "An organisation's legal representative, else its head (Art. 6 (一))"},
    )
    duty = ma.fields.String()
    performance = ma.fields.String()
    circumstances = ma.fields.List(ma.fields.Nested(TextSchema))
    basis_issuer = ma.fields.String()
    basis_number = ma.fields.String()
    case_number = ma.fields.String()
    filed_on = ma.fields.Date()
    court = ma.fields.String()
    province = ma.fields.String()
    published_on = ma.fields.Date()


class PublicPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PublicRecordSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()


class ApplicationFormSchema(IdentitySchema):
    listing_id = ma.fields.Integer(required=True, metadata={"description": "From your self-check"})
    ground = Enum(Ground, code="application.ground", required=True)
    explanation = Text(required=True, max_length=4000)
    contact = ma.fields.String(validate=ma.validate.Length(max=200))
    attachments = ma.fields.List(
        Upload(), load_default=list, metadata={"description": "Up to 5 PDF, PNG or JPEG files"}
    )


class ReconsiderationSchema(IdentitySchema):
    reasons = Text(required=True, max_length=citizens.REASONS_MAX)


def _identify(data: dict) -> object:
    return citizens.identify(
        data["name"], data.get("id_number"), data.get("credit_code"), data.get("representative_id_number")
    )


def _digest(data: dict) -> str:
    return citizens.query_digest(data.get("name"), data.get("id_number") or data.get("credit_code"))


@blp.route("/self-check")
class SelfCheckViews(Lookup, MethodView):
    decorators = (throttled,)

    @blp.arguments(IdentitySchema)
    @blp.response(200, SelfCheckSchema)
    @blp.alt_response(403, response="FORBIDDEN")  # request.cross_site: sent from another website
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data):
        """Check your own status

        Exact identity only (name and full ID number, or organisation name and credit code): your active and
        past listings and restrictions, why, what ends them and whom to contact, and your applications. An
        identity with no records — or one that does not match — gets the same answer as someone never listed.
        """
        subject = _identify(data)  # a malformed identifier is refused here (422), before the count
        count_lookup()
        result = citizens.self_check(subject, clock.today())
        citizens.log_access("self_check", _digest(data), [subject.id] if subject else [])
        db.session.commit()
        return result


@blp.route("/dishonest-debtors")
class PublicSearchViews(MethodView):
    decorators = (throttled,)

    @blp.arguments(PublicQueryArgs, location="query")
    @blp.response(200, PublicPageSchema)
    @blp.alt_response(403, response="FORBIDDEN")  # request.cross_site: sent from another website
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def get(self, args):
        """Search the public list

        Only active, published records (grace periods over), by exact name, optionally narrowed by ID number
        (masked as published; a full ID is refused, as it would be in the address) or organisation code and
        by province; the fields of list rules Art. 6.
        """
        citizens.refuse_full_resident_id(args.get("id_number"))
        page, size = args.pop("page"), args.pop("page_size")
        query = citizens.PublicQuery(args["name"], args.get("id_number"), args.get("province"))
        items, total, shown = citizens.public_search(query, clock.today(), page, size)
        citizens.log_access("public_search", citizens.query_digest(args["name"], args.get("id_number")), shown)
        db.session.commit()
        return page_envelope(items, total, page, size)


@blp.route("/correction-applications")
class ApplicationFilingViews(MethodView):
    decorators = (throttled,)

    @blp.arguments(ApplicationFormSchema, location="multipart")
    @blp.response(201, ApplicationStatusSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(403, response="FORBIDDEN")  # request.cross_site: sent from another website
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, form):
        """Apply for correction of a listing (Art. 11)

        Grounds: should not have been listed, information inaccurate, should have been deleted. The listing
        court decides within 15 days of receipt; follow the status on your self-check.
        """
        subject = _identify(form)
        with counted_lookup(), citizens.logged_if_refused("correction_application", _digest(form), subject):
            application = applications.file(
                subject,
                form["listing_id"],
                form["ground"],
                form["explanation"],
                form.get("contact"),
                form["attachments"],
            )
        assert subject is not None  # file() refuses an unknown identity
        citizens.log_access("correction_application", _digest(form), [subject.id], application.reference)
        db.session.commit()
        return application


@blp.route("/correction-applications/<reference>/reconsideration")
class ReconsiderationFilingViews(MethodView):
    decorators = (throttled,)

    @blp.arguments(ReconsiderationSchema)
    @blp.response(200, ApplicationStatusSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(403, response="FORBIDDEN")  # request.cross_site: sent from another website
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data, reference):
        """Ask the court one level up to reconsider a rejection (within 10 days of its service)"""
        subject = _identify(data)
        count_lookup()
        application = citizens.ask_reconsideration(subject, reference, data["reasons"], _digest(data))
        db.session.commit()
        return application


# --- Requests from other sites -------------------------------------------------------------------------------


def refuse_cross_site() -> None:
    """Refuse what another site makes a visitor's browser send here (cross-site request forgery).

    There is no session to ride on, but a forged request still acts from the visitor's address: it spends
    that client's throttle budget (a page of hidden requests locks them, or their whole shared network, out)
    and a looked-up identity's, files in the name of anyone whose identity the forger knows with the
    visitor's address in the access log, and puts lookups in that log that the visitor never made. A token
    would need a session or a cookie to be bound to; the browser already says where a request comes from:
    ``Sec-Fetch-Site`` (every current browser over HTTPS), else ``Origin`` on a POST (the pages send it: their
    Referrer-Policy is same-origin). Another site may still link here (a GET that opens a page), and clients
    that are not browsers send neither header. Runs before the throttles, so a refused request costs nothing.
    """
    if _from_another_site():
        raise Forbidden(
            "a request sent from another website is refused; open the page on this site and send it from there",
            code="request.cross_site",
        )


def _from_another_site() -> bool:
    headers, safe = request.headers, request.method in {"GET", "HEAD"}
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        if site in {"same-origin", "none"}:  # "none": typed, bookmarked or reloaded by the visitor
            return False
        opened = headers.get("Sec-Fetch-Mode") == "navigate" and headers.get("Sec-Fetch-Dest") == "document"
        return not (safe and opened)  # a link from another site may open a page, nothing else
    origin = headers.get("Origin")  # a browser without Fetch metadata: on a POST, where it comes from
    if safe or origin is None:
        return False
    return urlsplit(origin).netloc.lower() != request.host.lower()  # "null" (origin hidden) too


blp.before_request(refuse_cross_site)
