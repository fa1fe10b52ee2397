"""The joint-sanction catalogue, read-only and public: which measures exist, in which sector, on what basis."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from blacklist_service.errors import NotFound
from blacklist_service.resources.blueprint import Blueprint
from blacklist_service.resources.fields import Enum
from sanctions.catalogue import Sector, Trigger, UnknownMeasure, get_measure, list_measures, list_sectors

blp = Blueprint(
    "sanctions",
    __name__,
    url_prefix="/sanctions",
    description="Joint-sanction catalogue (联合惩戒措施): public, no key needed",
)


class SectorSchema(ma.Schema):
    code = ma.fields.Function(lambda s: s.value)
    title_zh = ma.fields.String()
    title_en = ma.fields.String()


class BasisSchema(ma.Schema):
    instrument = ma.fields.Function(lambda b: b.instrument.value)
    title_zh = ma.fields.Function(lambda b: b.instrument.title_zh)
    number = ma.fields.Function(lambda b: b.instrument.number)
    provision = ma.fields.String()
    rule = ma.fields.String(allow_none=True, metadata={"description": "Rulebook rule code"})
    text = ma.fields.Function(str)


class ReachSchema(ma.Schema):
    target = ma.fields.Function(
        lambda r: r.target.value, metadata={"description": "debtor_person | debtor_organisation | key_person"}
    )
    effect = ma.fields.Function(lambda r: r.effect.value, metadata={"description": "ban | reference"})
    roles = ma.fields.Function(lambda r: sorted(x.value for x in r.roles))


class MeasureSchema(ma.Schema):
    code = ma.fields.String()
    title_zh = ma.fields.String()
    title_en = ma.fields.String()
    sector = ma.fields.Function(lambda m: m.sector.value)
    trigger = ma.fields.Function(
        lambda m: m.trigger.value, metadata={"description": "listed | restricted | either"}
    )
    reach = ma.fields.List(ma.fields.Nested(ReachSchema))
    basis = ma.fields.List(ma.fields.Nested(BasisSchema))
    confidence = ma.fields.Function(
        lambda m: m.confidence.value, metadata={"description": "Rulebook confidence of the source"}
    )
    humanitarian_liftable = ma.fields.Boolean()


class MeasureQueryArgs(ma.Schema):
    sector = Enum(Sector, code="sector.unknown")
    trigger = Enum(
        Trigger,
        code="trigger.unknown",
        metadata={"description": "Measures this status fires (listed includes 'either')"},
    )


@blp.route("/sectors")
class SectorViews(MethodView):
    @blp.response(200, SectorSchema(many=True))
    def get(self):
        """List the sectors that implement measures"""
        return list(list_sectors())


@blp.route("/measures")
class MeasureViews(MethodView):
    @blp.arguments(MeasureQueryArgs, location="query")
    @blp.response(200, MeasureSchema(many=True))
    def get(self, args):
        """List measures, by sector and triggering status"""
        return list(list_measures(sector=args.get("sector"), trigger=args.get("trigger")))


@blp.route("/measures/<code>")
class MeasureByCodeViews(MethodView):
    @blp.response(200, MeasureSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, code):
        """Get one measure"""
        try:
            return get_measure(code)
        except UnknownMeasure:
            raise NotFound(f"no measure {code}", code="measure.not_found") from None


class GroundSchema(ma.Schema):
    capacity = ma.fields.Function(lambda g: g.capacity.value)
    effect = ma.fields.Function(lambda g: g.effect.value)
    organisation = ma.fields.String(allow_none=True)
    role = ma.fields.Function(lambda g: g.role.value if g.role else None)
    reason = ma.fields.String()


class MeasureDecisionSchema(ma.Schema):
    """A measure that applies to a subject, and what the partner must do."""

    code = ma.fields.Function(lambda d: d.measure.code)
    title_zh = ma.fields.Function(lambda d: d.measure.title_zh)
    title_en = ma.fields.Function(lambda d: d.measure.title_en)
    sector = ma.fields.Function(lambda d: d.measure.sector.value)
    decision = ma.fields.Function(
        lambda d: d.decision.value, metadata={"description": "deny | allow_with_permission | flag"}
    )
    basis = ma.fields.Function(lambda d: [str(b) for b in d.basis])
    reason = ma.fields.String()
    grounds = ma.fields.List(ma.fields.Nested(GroundSchema))
