"""The citizen pages: public search (``/``), self-check (``/self-check``), correction applications and
reconsideration requests.

Anything carrying an ID number is POSTed, never put in an address. Service errors are shown next to their
fields in the chosen language; a successful request logs the access (as the API does) and commits once.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, astuple, dataclass, field
from functools import partial
from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests
from werkzeug.wrappers import Response

from blacklist_service import clock
from blacklist_service.errors import ServiceError, TooMany
from blacklist_service.extensions import db, limiter
from blacklist_service.models import CorrectionApplication, Court, Subject
from blacklist_service.resources.public import count_lookup, counted_lookup, refuse_cross_site, throttled
from blacklist_service.services import applications, citizens
from blacklist_service.services.applications import MAX_ATTACHMENTS, Ground, Status
from blacklist_service.text import text_problem
from blacklist_service.transactions import lookup
from blacklist_service.web import bp, i18n
from sanctions.decide import Decision

PAGE_SIZE = 10
LANG_COOKIE = "lang"
EXPLANATION_MAX = 4000
CONTACT_MAX = 200
PENDING = {Status.PENDING.value, Status.RECONSIDERATION_PENDING.value}
SECURITY_HEADERS = {
    # No script at all: the pages work without JavaScript, and nothing else may run on them.
    "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # No Referer to other sites; same-origin keeps the Origin header on the pages' own POSTs (refuse_cross_site).
    "Referrer-Policy": "same-origin",
}

Page = tuple[str, int]
# The pages reached from the self-check by POSTing the identity: their language switch leads back to it.
FROM_SELF_CHECK = ("web.correction", "web.reconsideration")


# --- Language ------------------------------------------------------------------------------------------------


def current_lang(*, read_form: bool = True) -> str:
    """``?lang=`` (or a form's hidden ``lang``), else the cookie it set, else Chinese."""
    if "web_lang" not in g:
        posted = read_form and request.method == "POST"
        asked = request.args.get("lang") or (request.form.get("lang") if posted else None)
        cookie = request.cookies.get(LANG_COOKIE)
        g.web_lang = next((x for x in (asked, cookie) if x in i18n.LANGUAGES), i18n.DEFAULT)
    return str(g.web_lang)


def _switch_url(other: str) -> str:
    """The same page in the other language; after a POST, the blank form (the data is not in the URL)."""
    endpoint = request.endpoint if request.endpoint in {"web.index", "web.self_check"} else None
    if endpoint is None and request.endpoint and request.endpoint.startswith(FROM_SELF_CHECK):
        endpoint = "web.self_check"
    return url_for(endpoint or "web.index", lang=other)


@bp.before_request
def _same_site_only() -> Page | None:
    """A request another site made the browser send gets a page saying so, before any throttle counts it."""
    try:
        refuse_cross_site()
    except ServiceError as exc:
        problems = Problems(current_lang(read_form=False))  # the forged body is not read
        problems.service(exc)
        return render("web/error.html", exc.status, problems=problems)
    return None


@bp.after_request
def _headers(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in i18n.LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    if request.endpoint != "web.static":
        response.headers.setdefault("Cache-Control", "no-store")  # pages may carry someone's records
        response.headers["Content-Language"] = i18n.HTML_LANG[current_lang()]
        response.vary.add("Cookie")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def render(template: str, status: int = 200, **context: Any) -> Page:
    lang = current_lang()
    other = "en" if lang == "zh" else "zh"
    html = render_template(
        template,
        lang=lang,
        html_lang=i18n.HTML_LANG[lang],
        other_html_lang=i18n.HTML_LANG[other],
        switch_url=_switch_url(other),
        t=partial(i18n.text, lang),
        label=partial(i18n.label, lang),
        fmt_date=partial(i18n.date, lang),
        **context,
    )
    return html, status


# --- Form errors ---------------------------------------------------------------------------------------------

# Where a field error links to: the field's input (the first radio button for a radio group).
ANCHORS = {"ground": f"ground-{next(iter(Ground)).value}", "listing_id": "main", "page": "main"}


@dataclass
class Problems:
    """Field errors for the error summary (linked to each field) and for the fields themselves."""

    lang: str
    items: list[dict[str, str | None]] = field(default_factory=list)

    def add(self, field_name: str | None, code: str, fallback: str = "") -> None:
        limit = _attachment_limit()
        text = i18n.error(
            self.lang, code, fallback or code, size=i18n.size(self.lang, limit), count=MAX_ATTACHMENTS
        )
        anchor = ANCHORS.get(field_name, field_name) if field_name else None
        self.items.append({"field": field_name, "anchor": anchor, "text": text})

    def service(self, error: ServiceError) -> None:
        self.add(error.field, error.code, error.message)

    @property
    def by_field(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for item in self.items:
            if item["field"] and item["text"]:
                found.setdefault(str(item["field"]), str(item["text"]))
        return found

    def __bool__(self) -> bool:
        return bool(self.items)


def _attachment_limit() -> int:
    return int(current_app.config["MAX_ATTACHMENT_BYTES"])


def check_text(values: dict[str, str], problems: Problems) -> None:
    """Text no column can hold (control characters, see ``blacklist_service.text``): an error on its field."""
    for name, value in values.items():
        if (problem := text_problem(value)) is not None:
            problems.add(name, *problem)


# --- Input ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    name: str
    id_number: str
    credit_code: str
    representative_id_number: str = ""

    @classmethod
    def from_form(cls) -> Identity:
        fields = ("name", "id_number", "credit_code", "representative_id_number")
        return cls(*(request.form.get(k, "").strip() for k in fields))

    def digest(self) -> str:
        return citizens.query_digest(self.name, self.id_number or self.credit_code)

    def check(self, problems: Problems) -> None:
        if not self.name:
            problems.add("name", "name.required")
        if not self.id_number and not self.credit_code:
            problems.add("id_number", "identity.required")
        check_text(asdict(self), problems)

    def subject(self) -> Subject | None:
        """The registered subject with exactly this identity (ServiceError if an identifier is malformed)."""
        return citizens.identify(
            self.name, self.id_number or None, self.credit_code or None, self.representative_id_number or None
        )


def _positive_int(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value >= 1 else None


# --- Public search -------------------------------------------------------------------------------------------


def _provinces() -> list[str]:
    return list(db.session.scalars(select(Court.province).distinct().order_by(Court.province)))


@bp.route("/", methods=["GET", "POST"])
@throttled
@lookup
def index() -> Page:
    """What this is, and the public search (POST: an ID number may be part of the query)."""
    problems = Problems(current_lang())
    provinces = _provinces()
    if request.method == "GET":
        return render("web/index.html", form={}, problems=problems, provinces=provinces, results=None)
    form = {k: request.form.get(k, "").strip() for k in ("name", "id_number", "province")}
    page = _positive_int(request.form.get("page")) or 1
    if not form["name"]:
        problems.add("name", "name.required")
    check_text(form, problems)
    if problems:
        return render("web/index.html", 422, form=form, problems=problems, provinces=provinces, results=None)
    query = citizens.PublicQuery(form["name"], form["id_number"] or None, form["province"] or None)
    try:
        items, total, shown = citizens.public_search(query, clock.today(), page, PAGE_SIZE)
    except ServiceError as exc:
        db.session.rollback()
        problems.service(exc)
        return render("web/index.html", 422, form=form, problems=problems, provinces=provinces, results=None)
    citizens.log_access("public_search", citizens.query_digest(form["name"], form["id_number"] or None), shown)
    results = {"items": items, "total": total, "page": page, "pages": max(1, math.ceil(total / PAGE_SIZE))}
    page_html = render("web/index.html", form=form, problems=problems, provinces=provinces, results=results)
    db.session.commit()
    return page_html


# --- Self-check ----------------------------------------------------------------------------------------------


@bp.route("/self-check", methods=["GET", "POST"])
@throttled
@lookup
def self_check() -> Page:
    """Your own records: identity by exact name and number; an unknown identity sees a neutral page."""
    problems = Problems(current_lang())
    if request.method == "GET":
        return render("web/self_check.html", identity=Identity("", "", ""), problems=problems)
    identity = Identity.from_form()
    identity.check(problems)
    if problems:
        return render("web/self_check.html", 422, identity=identity, problems=problems)
    try:
        subject = identity.subject()
    except ServiceError as exc:  # a malformed identifier: the form's fault, not counted against anyone
        db.session.rollback()
        problems.service(exc)
        return render("web/self_check.html", 422, identity=identity, problems=problems)
    count_lookup()
    result = citizens.self_check(subject, clock.today())
    citizens.log_access("self_check", identity.digest(), [subject.id] if subject else [])
    pending = {a.listing_id for a in result["applications"] if a.status in PENDING}
    provisional = {a.reference: applications.provisional_deadlines(a) for a in result["applications"]}
    page = render(
        "web/result.html",
        identity=identity,
        result=result,
        pending=pending,
        provisional=provisional,
        measure_groups=_measure_groups(result["measures"]),
    )
    db.session.commit()
    return page


MEASURE_ORDER = (Decision.DENY, Decision.ALLOW_WITH_PERMISSION, Decision.FLAG)


def _measure_groups(measures: Any) -> list[tuple[str, list[Any]]]:
    """The measures in force, bans first, then those a court permission allows, then the references."""
    groups = [(d.value, [m for m in measures if m.decision is d]) for d in MEASURE_ORDER]
    return [(decision, found) for decision, found in groups if found]


# --- Correction applications -----------------------------------------------------------------------------------


def _subject_or_none(identity: Identity) -> Subject | None:
    """Whom the form's hidden identity names: None for no one, and for fields tampered with (they name no
    one either)."""
    if any(text_problem(value) for value in astuple(identity)):
        return None
    try:
        return identity.subject()
    except ServiceError:
        return None


def _listing_of(subject: Subject, listing_id: int) -> dict[str, Any] | None:
    result = citizens.self_check(subject, clock.today())
    return next((x for x in result["listings"] if x["id"] == listing_id), None)


def _own_listing(identity: Identity, listing_id: int | None) -> tuple[Subject | None, dict[str, Any] | None]:
    """The caller's subject (None for an identity that matches no one) and the self-check record of their
    listing (None for anything else)."""
    subject = _subject_or_none(identity)
    if subject is None or listing_id is None:
        return subject, None
    return subject, _listing_of(subject, listing_id)


def _not_yours(action: str, identity: Identity, subject: Subject | None) -> Page:
    """The neutral 404 page; the attempt is still logged (as a self-check that matches no one is)."""
    shown = [subject.id] if subject is not None else []
    db.session.rollback()
    citizens.log_access(action, identity.digest(), shown)
    db.session.commit()
    return render("web/not_found.html", 404)


def _form_page(
    identity: Identity, listing: dict[str, Any] | None, problems: Problems, status: int = 200
) -> Page:
    """The application form; ``listing`` None leaves out the listing's facts (a page for anyone's identity)."""
    values = {k: request.form.get(k, "") for k in ("ground", "explanation", "contact")}
    return render(
        "web/apply.html",
        status,
        identity=identity,
        listing=listing,
        problems=problems,
        values=values,
        grounds=list(Ground),
        max_files=MAX_ATTACHMENTS,
        max_size=i18n.size(current_lang(), _attachment_limit()),
        refiled=bool(problems) and bool(request.files),
        listing_id=listing["id"] if listing else request.form.get("listing_id", ""),
    )


@bp.route("/corrections/new", methods=["GET", "POST"])
@throttled
@lookup
def correction_form() -> Page | Response:
    """The application form for one of the caller's listings (reached from the self-check)."""
    if request.method == "GET":
        return redirect(url_for("web.self_check"))
    count_lookup()  # no form of its own: the identity (the self-check's hidden fields) is all it checks
    identity = Identity.from_form()
    subject, listing = _own_listing(identity, _positive_int(request.form.get("listing_id")))
    if subject is None or listing is None:
        return _not_yours("self_check", identity, subject)
    citizens.log_access("self_check", identity.digest(), [subject.id])
    page = _form_page(identity, listing, Problems(current_lang()))
    db.session.commit()
    return page


FILING = "correction_application"  # the access log's action, as for POST /public/correction-applications


def _application_problems(lang: str) -> Problems:
    """The form's own faults (the API's schema checks), found before anyone is identified."""
    problems = Problems(lang)
    explanation = request.form.get("explanation", "")
    contact = request.form.get("contact", "").strip()
    if request.form.get("ground", "") not in {g.value for g in Ground}:
        problems.add("ground", "ground.required")
    if not explanation.strip():
        problems.add("explanation", "application.explanation")
    elif len(explanation.strip()) > EXPLANATION_MAX:
        problems.add("explanation", "explanation.too_long")
    if len(contact) > CONTACT_MAX:
        problems.add("contact", "contact.too_long")
    check_text({"explanation": explanation, "contact": contact}, problems)
    return problems


@bp.route("/corrections", methods=["GET", "POST"])
@throttled
def correction_file() -> Page | Response:
    """File the application (Art. 11) with ``applications.file``; show the reference and the deadline.

    No identity oracle: as in the API, the form is checked before anyone is identified, and the attachments
    (in ``applications.file``) before the identity is compared, so a faulty application gets the same 422
    page, without the listing's facts, for a right and a wrong name and ID number.
    """
    if request.method == "GET":
        return redirect(url_for("web.self_check"))
    identity = Identity.from_form()
    listing_id = _positive_int(request.form.get("listing_id"))
    problems = _application_problems(current_lang())
    if problems:  # like a request the API's schema refuses: no one was looked up, nothing to log
        return _form_page(identity, None, problems, 422)
    subject = _subject_or_none(identity)
    uploads: list[FileStorage] = [f for f in request.files.getlist("attachments") if f and f.filename]
    ground, explanation = Ground(request.form["ground"]), request.form["explanation"]
    contact = request.form.get("contact", "").strip() or None
    try:
        with counted_lookup(), citizens.logged_if_refused(FILING, identity.digest(), subject):
            application = applications.file(subject, listing_id or 0, ground, explanation, contact, uploads)
    except TooMany:
        raise
    except ServiceError as exc:
        if exc.code == "application.listing":
            return render("web/not_found.html", 404)
        problems.service(exc)
        if exc.status == 409 and subject is not None and listing_id is not None:  # past the identity check
            return _form_page(identity, _listing_of(subject, listing_id), problems, 409)
        return _form_page(identity, None, problems, 422)
    assert subject is not None  # file() refuses an unknown identity
    citizens.log_access(FILING, identity.digest(), [subject.id], application.reference)
    listing = _listing_of(subject, application.listing_id)
    assert listing is not None
    filed = {
        "reference": application.reference,
        "decision_due": application.decision_due,
        "received_on": application.received_on,
        "court": listing["court"],
        "case_number": listing["case_number"],
        "provisional": "decision_due" in applications.provisional_deadlines(application),  # D2
    }
    page = render("web/filed.html", filed=filed)
    db.session.commit()
    return page


# --- Reconsideration (L-APPEAL-5) ---------------------------------------------------------------------------


def _reasons_problems(lang: str) -> Problems:
    """The reasons' own faults (the API's schema checks), found before anyone is identified."""
    problems = Problems(lang)
    reasons = request.form.get("reasons", "")
    if not reasons.strip():
        problems.add("reasons", "reasons.required")
    elif len(reasons.strip()) > citizens.REASONS_MAX:
        problems.add("reasons", "reasons.too_long")
    check_text({"reasons": reasons}, problems)
    return problems


def _rejection_facts(application: CorrectionApplication) -> dict[str, Any]:
    """What the applicant is asking to have reconsidered, and by which court (the listing court's parent)."""
    return {
        "reference": application.reference,
        "court": application.court.name,
        "case_number": application.listing.case.number,
        "decided_on": application.decided_on,
        "decision_note": application.decision_note,
        "served_on": application.served_on,
        "deadline": application.reconsideration_deadline,
        "higher_court": application.court.parent.name if application.court.parent else None,
        "provisional": applications.provisional_deadlines(application),  # D2
    }


def _reconsider_page(
    identity: Identity, reference: str, facts: dict[str, Any] | None, problems: Problems, status: int = 200
) -> Page:
    """The reconsideration form; ``facts`` None leaves out the application's facts (a page for anyone)."""
    return render(
        "web/reconsider.html",
        status,
        identity=identity,
        reference=reference,
        facts=facts,
        problems=problems,
        reasons=request.form.get("reasons", ""),
        max_length=citizens.REASONS_MAX,
    )


@bp.route("/corrections/<reference>/reconsideration/new", methods=["GET", "POST"])
@throttled
@lookup
def reconsideration_form(reference: str) -> Page | Response:
    """The form to ask for reconsideration of one of the caller's rejected applications (from the self-check)."""
    if request.method == "GET":
        return redirect(url_for("web.self_check"))
    count_lookup()  # no form of its own, as for the application form
    identity = Identity.from_form()
    subject = _subject_or_none(identity)
    try:
        application = citizens.own_application(subject, reference)
    except ServiceError:
        return _not_yours("self_check", identity, subject)
    citizens.log_access("self_check", identity.digest(), [application.subject_id])
    page = _reconsider_page(identity, reference, _rejection_facts(application), Problems(current_lang()))
    db.session.commit()
    return page


@bp.route("/corrections/<reference>/reconsideration", methods=["GET", "POST"])
@throttled
def reconsideration_file(reference: str) -> Page | Response:
    """Ask the court one level up to reconsider (``citizens.ask_reconsideration``, as the API does).

    No identity oracle: the reasons are checked before anyone is identified, so faulty ones get the same 422
    page, without the application's facts, for a right and a wrong name and ID number.
    """
    if request.method == "GET":
        return redirect(url_for("web.self_check"))
    identity = Identity.from_form()
    problems = _reasons_problems(current_lang())
    if problems:  # like a request the API's schema refuses: no one was looked up, nothing to log
        return _reconsider_page(identity, reference, None, problems, 422)
    subject = _subject_or_none(identity)
    count_lookup()
    try:
        application = citizens.ask_reconsideration(
            subject, reference, request.form["reasons"].strip(), identity.digest()
        )
    except ServiceError as exc:  # already logged and rolled back
        if exc.status == 404:
            return render("web/not_found.html", 404)
        problems.service(exc)
        facts = _rejection_facts(citizens.own_application(subject, reference))  # 409: past the identity check
        return _reconsider_page(identity, reference, facts, problems, exc.status)
    higher = application.reconsideration_court
    assert higher is not None  # reconsider() sets it
    asked = {
        "reference": application.reference,
        "court": {"name": higher.name, "contact": higher.contact},
        "received_on": application.reconsideration_received_on,
        "due": application.reconsideration_due,
        "provisional": "reconsideration_due" in applications.provisional_deadlines(application),  # D2
    }
    page = render("web/reconsidered.html", asked=asked)
    db.session.commit()
    return page


# --- Errors --------------------------------------------------------------------------------------------------


@bp.errorhandler(TooManyRequests)
def _too_many(_: TooManyRequests) -> Page:
    db.session.rollback()
    seconds = None
    current = limiter.current_limit
    if current is not None:
        seconds = max(1, math.ceil(current.reset_at - time.time()))
    return render("web/limited.html", 429, seconds=seconds)


@bp.errorhandler(TooMany)
def _too_many_lookups(error: TooMany) -> tuple[str, int, dict[str, str]]:
    """The identity's budget spent (``count_lookup``): the same page as for the client's."""
    db.session.rollback()
    html, status = render("web/limited.html", 429, seconds=int(error.headers["Retry-After"]))
    return html, status, dict(error.headers)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_: RequestEntityTooLarge) -> Page:
    """A body over MAX_CONTENT_LENGTH: the page says what fits instead of the API's JSON 413."""
    db.session.rollback()
    problems = Problems(current_lang(read_form=False))  # a body over the limit cannot be read
    problems.add(None, "payload_too_large")
    return render("web/error.html", 413, problems=problems)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError) -> Page:
    db.session.rollback()
    problems = Problems(current_lang())
    problems.service(error)
    return render("web/error.html", error.status, problems=problems)
