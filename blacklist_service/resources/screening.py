"""Partner screening: one subject, a batch, or an asynchronous job — answers scoped to the partner's sector."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, g, send_file
from flask.views import MethodView

from blacklist_service.errors import Conflict, Gone, TooMany
from blacklist_service.extensions import db, spend
from blacklist_service.models import Role
from blacklist_service.models.types import BIGINT_MAX
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import AsOfArgs, Enum, Range, coded
from blacklist_service.services import jobs, screening
from blacklist_service.services.screening import Screening
from blacklist_service.transactions import Lookup
from sanctions.catalogue import Sector
from screening.identifiers import IdentifierKind, parse_query_identifier
from screening.model import Kind
from screening.text import normalise

blp = Blueprint(
    "screening",
    __name__,
    url_prefix="/screening",
    description="Screen people and companies against your sector's sanctions (partner keys)",
)

MAX_BATCH = 5000
MAX_JOB = 1_000_000


class ScreeningRequestSchema(ma.Schema):
    name = ma.fields.String(
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "Chinese (simplified or traditional) or pinyin, any order"},
    )
    identifier = ma.fields.String(
        validate=ma.validate.Length(min=1, max=40),
        metadata={
            "description": "Resident ID (18, 15-digit legacy, or masked as published), credit code or org code"
        },
    )
    kind = Enum(Kind, code="screening.kind")
    reference = ma.fields.String(
        validate=ma.validate.Length(max=100), metadata={"description": "Your row id"}
    )
    # strict: 1.5 is a mistake to say, not a 1 to guess (a JSON body keeps its numbers' types)
    limit = ma.fields.Integer(
        strict=True, load_default=10, validate=Range(min=1, max=50, code="screening.limit")
    )

    @ma.validates_schema
    def _something(self, data: dict, **_: object) -> None:
        """Refuse what the engine could only answer "clear" for lack of anything to compare: an
        identifier not shaped like any identifier, a masked ID with no digit visible, or no identifier and
        a name without a letter. (An identifier of the right shape with a wrong check digit stays: it is
        read as a typo; a mask with a few digits stays too, and is reported as no evidence.)"""
        identifier = data.get("identifier")
        parsed = parse_query_identifier(identifier).parsed if identifier else None
        if parsed is not None and parsed.kind is IdentifierKind.UNKNOWN:
            message = "not a resident ID (18 or 15 digits, or masked as published), credit code or organisation code"
            raise ma.ValidationError({"identifier": coded("identifier.format", message).messages})
        if parsed is not None and parsed.kind is IdentifierKind.RESIDENT_ID_MASKED and not parsed.visible:
            # Agrees with everyone, so it is no evidence (matching-notes §4.4): say so instead of ignoring it.
            message = "a masked ID with no visible digit: send the digits you have, or no identifier"
            raise ma.ValidationError({"identifier": coded("identifier.nothing_visible", message).messages})
        if not identifier and not any(ch.isalnum() for ch in normalise(data.get("name") or "")):
            raise ma.ValidationError(
                {"name": coded("screening.empty", "give a name or an identifier").messages}
            )


class _Count(ma.validate.Length):
    """How many subjects one request may carry, refused with a stable code (a larger list: a job)."""

    def __init__(self, most: int, code: str) -> None:
        super().__init__(min=1, max=most)
        self.code = code

    def __call__(self, value: Any) -> Any:
        try:
            return super().__call__(value)
        except ma.ValidationError as error:
            raise coded(self.code, str(error.messages[0])) from None


class BatchSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(ScreeningRequestSchema),
        required=True,
        validate=_Count(MAX_BATCH, "screening.batch_size"),
    )


class JobRequestSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(ScreeningRequestSchema),
        required=True,
        validate=_Count(MAX_JOB, "screening.job_size"),
    )


class FeatureSchema(ma.Schema):
    name = ma.fields.String()
    level = ma.fields.String(metadata={"description": "How it matched: exact, traditional, homophone, …"})
    weight = ma.fields.Float(metadata={"description": "Bits of evidence; negative = against"})
    detail = ma.fields.Dict()


class MatchedSubjectSchema(ma.Schema):
    ref = ma.fields.Integer(metadata={"description": "Stable reference of the listed subject"})
    kind = ma.fields.String()
    name = ma.fields.String()
    identifier = ma.fields.String(metadata={"description": "Person: masked ID; organisation: its code"})


class SectorMeasureSchema(ma.Schema):
    code = ma.fields.String()
    title_zh = ma.fields.String()
    title_en = ma.fields.String()
    decision = ma.fields.String(metadata={"description": "deny | allow_with_permission | flag"})
    basis = ma.fields.List(ma.fields.String())


class RecordSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "listing | restriction"})
    court = ma.fields.String()
    case_number = ma.fields.String()
    decision_date = ma.fields.Date()
    published_on = ma.fields.Date()
    term_end = ma.fields.Date(allow_none=True)
    order_date = ma.fields.Date()
    effective_from = ma.fields.Date()
    capacity = ma.fields.String()
    role = ma.fields.String(allow_none=True)


class MatchSchema(ma.Schema):
    band = ma.fields.String(metadata={"description": "match | review"})
    score = ma.fields.Float()
    namesakes = ma.fields.Integer(
        metadata={"description": "Entries with exactly this name that a measure of your sector concerns"}
    )
    explanation = ma.fields.List(ma.fields.Nested(FeatureSchema))
    subject = ma.fields.Nested(MatchedSubjectSchema)
    measures = ma.fields.List(
        ma.fields.Nested(SectorMeasureSchema), metadata={"description": "Your sector only"}
    )
    records = ma.fields.List(
        ma.fields.Nested(RecordSchema),
        metadata={"description": "The listings and restrictions that ground your sector's measures, only"},
    )


class AnswerSchema(ma.Schema):
    screening_id = ma.fields.String()
    reference = ma.fields.String(allow_none=True)
    band = ma.fields.String(metadata={"description": "match | review | clear"})
    list_version = ma.fields.Integer(metadata={"description": "Event sequence the answer was computed on"})
    algorithm_version = ma.fields.String()
    on = ma.fields.Date()
    sector = ma.fields.String()
    query = ma.fields.Dict(
        metadata={"description": "How the query was read: normalised forms, pinyin, identifier"}
    )
    matches = ma.fields.List(ma.fields.Nested(MatchSchema))


class BatchAnswerSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(AnswerSchema))


class JobSchema(ma.Schema):
    id = ma.fields.String()
    status = ma.fields.String(
        metadata={"description": "queued | running | done | failed | expired (result deleted)"}
    )
    total = ma.fields.Integer()
    done = ma.fields.Integer()
    matched = ma.fields.Integer()
    progress = ma.fields.Function(lambda j: round(j.done / j.total, 4) if j.total else 1.0)
    as_of = ma.fields.Date(
        allow_none=True,
        metadata={"description": "The day whose list the job replays (D1); null: today's list as it runs"},
    )
    list_version = ma.fields.Integer(
        allow_none=True, metadata={"description": "Event sequence the last chunk screened was computed on"}
    )
    error = ma.fields.String(allow_none=True)
    attempts = ma.fields.Integer(
        metadata={"description": "Workers that ran it; more than 1: resumed after a worker was lost"}
    )
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)


class IndexInfoSchema(ma.Schema):
    entries = ma.fields.Integer(
        metadata={"description": "Admin keys only: everyone listed or restricted, every sector"}
    )
    list_version = ma.fields.Integer(metadata={"description": "Event sequence the index is at"})
    algorithm_version = ma.fields.String()
    on = ma.fields.Date()


def _requests(items: list[dict]) -> list[Screening]:
    return [Screening(**item) for item in items]


def _sector() -> Sector:
    return Sector(g.principal.sector)


def _spend_replay() -> None:
    """Count a replay that builds a past day's index against the key's ``BLACKLIST_REPLAY_RATE_LIMIT``
    (shared by the workers), or refuse it (429 ``replay.too_many``): each build takes a worker seconds."""
    wait = spend(str(current_app.config["REPLAY_RATE_LIMIT"]), "screening-replay", str(g.principal.id))
    if wait is not None:
        raise TooMany(
            "too many replays of days not replayed lately: each builds that day's list; try again later, or "
            "send a day's subjects together (a batch or a job)",
            code="replay.too_many",
            retry_after=wait,
        )


@blp.route("/")
class ScreenViews(Lookup, MethodView):
    @blp.auth(Role.PARTNER)
    @blp.arguments(ScreeningRequestSchema)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, AnswerSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data, args):
        """Screen one person or company

        A name alone is never a ``match`` (namesakes are common): it is ``review`` with the number of listed
        namesakes in your sector. A valid ID or credit code equal to the entry's decides; one that contradicts
        it rules the entry out; a masked ID counts by its visible digits (fewer than 10: no evidence; none:
        422 ``identifier.nothing_visible``). Only matches with a measure of your sector are returned, with
        those measures and the records that ground them only. ``?as_of=`` answers as the list stood on a past
        day (audit replay, a screening receipt: D1); a day not replayed lately builds that day's list, and a
        key may do so ``BLACKLIST_REPLAY_RATE_LIMIT`` times (429 ``replay.too_many``).
        """
        requests = _requests([data])
        answers = screening.screen(requests, _sector(), args.get("as_of"), _spend_replay)
        screening.log_screenings(requests, answers, g.principal.id)
        db.session.commit()
        return answers[0]


@blp.route("/batch")
class BatchViews(Lookup, MethodView):
    @blp.auth(Role.PARTNER)
    @blp.arguments(BatchSchema)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, BatchAnswerSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data, args):
        """Screen up to 5 000 subjects in one request (larger lists: a job); ``?as_of=`` as for one"""
        requests = _requests(data["items"])
        answers = screening.screen(requests, _sector(), args.get("as_of"), _spend_replay)
        screening.log_screenings(requests, answers, g.principal.id)
        db.session.commit()
        return {"results": answers}


@blp.route("/jobs")
class JobViews(Lookup, MethodView):
    @blp.auth(Role.PARTNER)
    @blp.arguments(JobRequestSchema)
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(202, JobSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data, args):
        """Start an asynchronous screening job (up to 1 000 000 subjects)

        Poll ``GET /screening/jobs/{id}`` for progress; download the JSON Lines result when done. A job
        whose worker stopped (a restart) is resumed by the next poll after 5 minutes without progress, from
        its last finished chunk of 1 000 rows; after 3 attempts it fails. A key may have
        ``BLACKLIST_JOB_LIMIT`` (2) jobs running at once; another is refused (429 ``job.too_many``).
        ``?as_of=`` screens every row against the list as it stood on a past day, as for one (D1); the
        job shows its ``as_of``, and every row of a past day is answered on one list version. A day not
        replayed lately counts against the key's replay limit, as for one (429 ``replay.too_many``).
        """
        requests = _requests(data["items"])
        job = jobs.submit(g.principal, requests, args.get("as_of"))
        try:
            # Its thread builds the day later (uncounted there): counted now, while a 429 can still be said.
            if screening.replay_builds(args.get("as_of")):
                _spend_replay()
            db.session.commit()
        except Exception:
            jobs.input_path(job.id).unlink(missing_ok=True)  # the partner's rows, of a job that never was
            raise
        jobs.start(current_app._get_current_object(), job.id)
        return job


@blp.route("/jobs/<job_id>")
class JobByIdViews(MethodView):
    @blp.auth(Role.PARTNER)
    @blp.response(200, JobSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, job_id):
        """A job's progress"""
        return jobs.get(job_id, g.principal)


@blp.route("/jobs/<job_id>/result")
class JobResultViews(MethodView):
    @blp.auth(Role.PARTNER)
    @blp.response(
        200,
        content_type="application/x-ndjson",
        description="One answer (as POST /screening/) per line, in the order submitted; each gives the day "
        "screened (``on``: the job's ``as_of`` or the day it ran) and its ``list_version``",
    )
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(410, response="GONE")
    def get(self, job_id):
        """Download a finished job's result (JSON Lines); it is deleted some days after the job ended
        (``BLACKLIST_JOB_RESULT_DAYS``, 410 ``job.expired``)"""
        job = jobs.get(job_id, g.principal)
        if job.status == "expired":
            days = current_app.config["JOB_RESULT_DAYS"]
            raise Gone(f"the result was deleted {days} days after the job ended", code="job.expired")
        if job.status != "done":
            raise Conflict(f"the job is {job.status}", code="job.not_done")
        return send_file(
            jobs.result_file(job),
            mimetype="application/x-ndjson",
            download_name=f"screening-{job.id}.jsonl",
        )


@blp.route("/index")
class IndexViews(MethodView):
    @blp.auth(Role.PARTNER, Role.ADMIN)
    @blp.response(200, IndexInfoSchema)
    def get(self):
        """List version and day of the screening index

        A partner key gets the list version, algorithm and day its answers are computed on; the index's
        size (``entries``) counts every sector's subjects, so only an admin key gets it.
        """
        return screening.index_info(whole=g.principal.role == Role.ADMIN.value)


class ChangesArgs(ma.Schema):
    after = ma.fields.Integer(load_default=0, validate=Range(min=0, max=BIGINT_MAX, code="after.range"))
    limit = ma.fields.Integer(load_default=500, validate=ma.validate.Range(min=1, max=5000))


class ChangedSubjectSchema(ma.Schema):
    seq = ma.fields.Integer()
    subject = ma.fields.Nested(
        MatchedSubjectSchema,
        metadata={
            "description": "Once ``sanctioned`` is false, only ``ref`` and ``kind``: delete by ``ref``"
        },
    )
    sanctioned = ma.fields.Boolean(metadata={"description": "False: every measure of your sector has ended"})
    measures = ma.fields.List(ma.fields.Nested(SectorMeasureSchema))


class ChangesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ChangedSubjectSchema))
    next_after = ma.fields.Integer(metadata={"description": "Pass as ``after`` next time"})


@blp.route("/changes")
class ChangesViews(MethodView):
    @blp.auth(Role.PARTNER)
    @blp.arguments(ChangesArgs, location="query")
    @blp.response(200, ChangesSchema)
    def get(self, args):
        """Subjects whose sanctions in your sector began, changed or ended

        Poll with ``after`` = the previous ``next_after``. When ``sanctioned`` is false, every measure of your
        sector has ended (performance, deletion, lifting): stop applying it and delete your copy, found by the
        subject's ``ref`` (given with it when it began; the name and masked ID are no longer sent).
        """
        items, last = screening.changes(_sector(), args["after"], args["limit"])
        return {"items": items, "next_after": last}
