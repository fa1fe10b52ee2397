"""The listing rules engine: may this debtor be put on the dishonest-debtor list, and on what terms?

Pure functions over immutable facts (no Flask, no session). The register's services gather the facts of a case,
call :func:`assess_listing`, and store what it returns. Rule codes refer to ../shared/docs/rulebook.md and the
product decisions in ../shared/docs/decisions.md (D-numbers).

The four founding rules (rulebook "What the engine must encode"):
1. an organisation's key persons are never listed for its debt, only restricted (2019 Opinion §16(b));
2. assets already preserved or security given that cover the debt bar listing (list rules Art. 3, §16(a));
3. performance deletes promptly (Art. 10, Art. 2 ¶2) — see :func:`removal_effects`;
4. no property / incapacity: consumption restriction instead of listing (§14/16, Art. 3 BAR_OTHER_NOT_ABLE).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sanctions.calendar import Deadline, period_end_months, working_days_deadline
from sanctions.identifiers import is_minor_on

MAX_GRACE_MONTHS = 3  # 2019 Opinion §15: 1–3 months
MAX_EXTENSION_YEARS = 3  # list rules Art. 2 ¶1, L-TERM-2
FIXED_TERM_YEARS = 2  # list rules Art. 2 ¶1, L-TERM-1
RELIST_BAR_MONTHS = 6  # list rules Art. 10 ¶4, L-RELIST-BAR, D7
REMOVAL_WORKING_DAYS = 3  # list rules Arts. 9–10


class SubjectKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class Circumstance(StrEnum):
    """List rules Art. 1 items (一)–(六) (rulebook §1.1)."""

    SX1_ABLE_REFUSE = "SX1_ABLE_REFUSE"
    SX2_OBSTRUCT = "SX2_OBSTRUCT"
    SX3_EVADE = "SX3_EVADE"
    SX4_ASSET_REPORT = "SX4_ASSET_REPORT"
    SX5_BREACH_XGL = "SX5_BREACH_XGL"
    SX6_SETTLEMENT = "SX6_SETTLEMENT"


CIRCUMSTANCE_TEXT_ZH = {
    Circumstance.SX1_ABLE_REFUSE: "有履行能力而拒不履行生效法律文书确定义务",
    Circumstance.SX2_OBSTRUCT: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    Circumstance.SX3_EVADE: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    Circumstance.SX4_ASSET_REPORT: "违反财产报告制度",
    Circumstance.SX5_BREACH_XGL: "违反限制消费令",
    Circumstance.SX6_SETTLEMENT: "无正当理由拒不履行执行和解协议",
}


class SubjectRole(StrEnum):
    """How the proposed subject relates to the case's debt."""

    DEBTOR = "debtor"
    KEY_PERSON = "key_person"  # legal representative, main/directly responsible person, actual controller
    OTHER = "other"


class Initiator(StrEnum):
    COURT = "court"  # 依职权 (L-PROC-3)
    APPLICANT = "applicant"  # 申请执行人申请 (L-PROC-2)


class ExtensionGround(StrEnum):
    """L-TERM-2: the two grounds that allow extending a fixed term by 1–3 years."""

    SERIOUS_VIOLENCE = "serious_violence"  # violence or threats, 情节严重 (needs item 二)
    MULTIPLE_ACTS = "multiple_acts"  # 具有多项失信行为


class Override(StrEnum):
    """A refusal the court overrode with a written justification; stored on the listing and counted."""

    SECURED_WITH_JUSTIFICATION = "secured_with_justification"  # rule two, items (二)–(六)
    CAMPUS_LOAN_WITH_JUSTIFICATION = "campus_loan_with_justification"  # 2019 Opinion §16(c) "一般"
    HOLD_OFF_WITH_JUSTIFICATION = "hold_off_with_justification"  # 2019 Opinion §16(a), items (二)–(六)


@dataclass(frozen=True)
class HoldOff:
    """The applicant's request that the court hold off measures (申请暂不采取惩戒措施, 2019 Opinion §16(a)).

    It is in force from the day it was made until the day the applicant withdraws it (that day excluded).
    """

    asked_on: dt.date
    withdrawn_on: dt.date | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.asked_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


def hold_off_in_force(
    hold_offs: tuple[HoldOff, ...], day: dt.date, initiator: Initiator, applied_on: dt.date | None
) -> dt.date | None:
    """The day of the latest request to hold off that stands against a measure decided on ``day``, if any.

    The applicant's own application for the measure, received after its request to hold off, withdraws that
    request for this measure. An application of unknown date withdraws nothing: it may predate the request.
    """
    holding = [h.asked_on for h in hold_offs if h.in_force_on(day)]
    if initiator is Initiator.APPLICANT and applied_on is not None:
        holding = [asked_on for asked_on in holding if applied_on <= asked_on]
    return max(holding, default=None)


@dataclass(frozen=True)
class CaseFacts:
    """What the register knows about the case and its debtor on the decision date."""

    debtor_kind: SubjectKind
    unperformed_amount: Decimal  # obligation minus performed part
    secured_value: Decimal = Decimal(0)  # D6: preserved + sealed + seized + frozen + security given
    debtor_birth_date: dt.date | None = None
    no_property_finding: bool = False  # 终本 with no property / 丧失履行能力 (rule four)
    campus_loan_student: bool = False  # full-time student, campus-loan dispute (2019 Opinion §16(c))
    later_in_order: bool = False  # BAR_LATER_ORDER (e.g. general guarantor before the principal debtor)
    enforcement_ended: bool = False  # termination, non-enforcement, or suspension for retrial/bankruptcy
    applicant_deletion_dates: tuple[dt.date, ...] = ()  # deletions at the applicant's written request (D7)
    hold_offs: tuple[HoldOff, ...] = ()  # the applicant's requests to hold off measures (2019 Opinion §16(a))
    # An organisation's legal representative or person in charge is recorded in office (Art. 6 (一) publishes
    # the name); always True for a person.
    head_recorded: bool = True


@dataclass(frozen=True)
class ListingProposal:
    """A court's proposed listing decision (决定书)."""

    subject_role: SubjectRole
    circumstances: frozenset[Circumstance]
    decision_date: dt.date
    initiator: Initiator = Initiator.COURT
    grace_months: int = 0
    extension_years: int = 0
    extension_ground: ExtensionGround | None = None
    justification: str | None = None  # written reasons that may override rule two (二)–(六) or §16(c)
    circumstance_arose_on: dt.date | None = None  # when the Art. 1 circumstance arose (D7 re-listing)
    applied_on: dt.date | None = None  # when the applicant's request to list was received (L-PROC-2, D7)


@dataclass(frozen=True)
class ListingTerms:
    """An accepted listing: when it is published and, for items (二)–(六), when its term ends (D2, D4, D5)."""

    decision_date: dt.date
    publish_from: dt.date  # first day published and enforced (after any grace period, D4)
    grace_end: dt.date | None  # last day of the grace period
    term_years: int | None  # None: item (一) listings have no fixed term (L-TERM-4, D5)
    term_end: dt.date | None  # last day the listing is active; None: until a deletion event
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a listing is refused: stable ``code``, the rule it applies, a message and what the court can do."""

    code: str
    rule: str
    message: str
    remedy: str | None = None


_RESTRICT_INSTEAD = (
    "issue a consumption restriction order (限制消费令) on the debtor instead: it needs no culpable "
    "circumstance (限高规定 Art. 1)"
)


def _guard_subject(facts: CaseFacts, proposal: ListingProposal) -> Refusal | None:
    if proposal.subject_role is SubjectRole.KEY_PERSON:
        return Refusal(
            "listing.key_person",
            "RULE-1; 2019 Opinion §16(b); 限高规定 Art. 3 ¶2 (C-ORG-1)",
            "an organisation's legal representative, main responsible person, directly responsible person "
            "or actual controller is never listed because of the organisation's debt",
            "list the organisation itself; its key persons are restricted from high consumption with it",
        )
    if proposal.subject_role is SubjectRole.OTHER:
        return Refusal(
            "listing.not_debtor", "list rules Art. 1 (rulebook §0)", "only the case's debtor can be listed"
        )
    if facts.debtor_kind is SubjectKind.ORGANISATION and not facts.head_recorded:
        return Refusal(
            "listing.head_unknown",
            "list rules Art. 6 (一) (rulebook §1.6)",
            "an organisation's listing records and publishes the name of its legal representative or person "
            "in charge, and none is recorded in office",
            "record the legal representative or main responsible person (POST /debtors/{id}/key-persons), "
            "then decide again",
        )
    born = facts.debtor_birth_date
    if facts.debtor_kind is SubjectKind.PERSON and born and is_minor_on(born, proposal.decision_date):
        return Refusal(
            "listing.minor",
            "list rules Art. 4 (rulebook §1.4); D3",
            "the debtor is under 18 on the decision date and can never be listed",
        )
    return None


def _guard_case(facts: CaseFacts, proposal: ListingProposal) -> Refusal | None:
    if facts.enforcement_ended:
        return Refusal(
            "listing.enforcement_ended",
            "list rules Art. 10 ¶1 (三)–(七)",
            "enforcement of this case has ended or is suspended; there is nothing to list for",
        )
    if facts.unperformed_amount <= 0:
        return Refusal(
            "listing.nothing_unperformed",
            "list rules Art. 1 (precondition); Art. 10 ¶1 (一)",
            "the obligation has been performed in full",
        )
    if facts.no_property_finding:
        return Refusal(
            "listing.no_property",
            "RULE-4; 2019 Opinion §14/§16; list rules Art. 3 (BAR_OTHER_NOT_ABLE)",
            "the case has a finding of no enforceable property or incapacity to perform",
            _RESTRICT_INSTEAD,
        )
    if not proposal.circumstances:
        return Refusal(
            "listing.no_circumstance",
            "list rules Art. 1; 2019 Opinion §14",
            "a listing needs at least one of the six circumstances of Art. 1; non-payment alone is not one",
            _RESTRICT_INSTEAD,
        )
    return None


def _guard_item_one(facts: CaseFacts, proposal: ListingProposal) -> Refusal | None:
    """Art. 3 bars apply to item (一) only: a proposal that includes it is refused while one applies, and the
    remedy says the other items may be proposed alone (the court decides; nothing is dropped silently)."""
    if Circumstance.SX1_ABLE_REFUSE not in proposal.circumstances:
        return None
    if facts.later_in_order:
        return Refusal(
            "listing.later_in_order",
            "list rules Art. 3 (BAR_LATER_ORDER)",
            "the debtor is later in the order of performance and may not yet be enforced against",
            "list only under another Art. 1 circumstance that applies, or wait for the earlier debtor",
        )
    return None


def _guard_secured(
    facts: CaseFacts, proposal: ListingProposal
) -> tuple[Refusal | None, tuple[Override, ...]]:
    if facts.secured_value < facts.unperformed_amount:
        return None, ()
    if Circumstance.SX1_ABLE_REFUSE in proposal.circumstances:
        return (
            Refusal(
                "listing.secured",
                "RULE-2; list rules Art. 3 (BAR_SEIZED_ENOUGH, BAR_GUARANTEE); D6",
                "preserved, sealed, seized or frozen assets and security on the case cover the unperformed "
                "amount, so the debtor may not be listed for refusing to perform (item 一)",
                "enforce against the preserved assets or the security; another Art. 1 circumstance that applies "
                "may be proposed without item 一",
            ),
            (),
        )
    if not _has_text(proposal.justification):
        return (
            Refusal(
                "listing.secured_needs_justification",
                "RULE-2; 2019 Opinion §16(a); D6",
                "assets and security on the case cover the unperformed amount; listing under items (二)–(六) "
                "needs the court's written justification",
                "give a written justification, or enforce against the preserved assets",
            ),
            (),
        )
    return None, (Override.SECURED_WITH_JUSTIFICATION,)


def _guard_campus_loan(
    facts: CaseFacts, proposal: ListingProposal
) -> tuple[Refusal | None, tuple[Override, ...]]:
    if not facts.campus_loan_student:
        return None, ()
    if _has_text(proposal.justification):
        return None, (Override.CAMPUS_LOAN_WITH_JUSTIFICATION,)
    return (
        Refusal(
            "listing.campus_loan_student",
            "2019 Opinion §16(c)",
            "a full-time student in a campus-loan dispute is generally not listed",
            "give a written justification if this case is an exception",
        ),
        (),
    )


def _guard_hold_off(
    facts: CaseFacts, proposal: ListingProposal
) -> tuple[Refusal | None, tuple[Override, ...]]:
    """2019 Opinion §16(a) [secondary]: while the applicant's request to hold off measures is in force, the
    debtor is not listed; the applicant's own later request to list withdraws it.

    Handled as this product handles the other half of §16(a), property already controlled (rule two): a bar
    for item (一), a wrong to the applicant alone; items (二)–(六) also wrong the court (obstruction, evasion,
    a false asset report …), which may list over the request, on its own initiative, with written reasons.
    """
    asked_on = hold_off_in_force(
        facts.hold_offs, proposal.decision_date, proposal.initiator, proposal.applied_on
    )
    if asked_on is None:
        return None, ()
    rule = "2019 Opinion §16(a) [secondary]"
    if Circumstance.SX1_ABLE_REFUSE in proposal.circumstances:
        return (
            Refusal(
                "listing.applicant_hold_off",
                rule,
                f"the applicant asked on {asked_on} for measures to be held off, so the debtor may not be "
                "listed for refusing to perform (item 一)",
                "record the applicant's withdrawal of the request (a release of it); list on the applicant's "
                "later application, giving the day it was received (applied_on); or, for items (二)–(六) "
                "alone, give written reasons",
            ),
            (),
        )
    if not _has_text(proposal.justification):
        return (
            Refusal(
                "listing.hold_off_needs_justification",
                rule,
                f"the applicant asked on {asked_on} for measures to be held off; listing under items "
                "(二)–(六) over that request needs the court's written justification",
                "give a written justification, or record the applicant's withdrawal of the request",
            ),
            (),
        )
    return None, (Override.HOLD_OFF_WITH_JUSTIFICATION,)


def _guard_relisting(facts: CaseFacts, proposal: ListingProposal) -> Refusal | None:
    """D7: after a deletion at the applicant's request, no re-listing on its request within 6 months;
    the court may list again on its own initiative only for a new circumstance arising after the deletion."""
    if not facts.applicant_deletion_dates:
        return None
    deleted_on = max(facts.applicant_deletion_dates)
    if proposal.initiator is Initiator.APPLICANT:
        asked_on = proposal.applied_on or proposal.decision_date
        bar_end = period_end_months(deleted_on, RELIST_BAR_MONTHS)
        if asked_on <= bar_end:
            return Refusal(
                "listing.relist_bar",
                "list rules Art. 10 ¶4 (L-RELIST-BAR); D7",
                f"the listing was deleted at the applicant's request on {deleted_on}; its request to list "
                f"again, made on {asked_on}, is not supported until after {bar_end}",
            )
        return None
    arose = proposal.circumstance_arose_on
    if arose is None or not deleted_on < arose <= proposal.decision_date:
        return Refusal(
            "listing.relist_needs_new_circumstance",
            "list rules Art. 10 ¶3 (L-RELIST); D7",
            f"the listing was deleted at the applicant's request on {deleted_on}; the court may list again "
            "only for a new Art. 1 circumstance that arose after the deletion and by the decision date",
            "give the date the new circumstance arose (circumstance_arose_on)",
        )
    return None


def _guard_terms(proposal: ListingProposal) -> Refusal | None:
    if proposal.applied_on is not None and proposal.applied_on > proposal.decision_date:
        return Refusal("listing.applied_after_decision", "L-PROC-2", "the application postdates the decision")
    if not 0 <= proposal.grace_months <= MAX_GRACE_MONTHS:
        return Refusal(
            "listing.grace_period", "2019 Opinion §15", "a grace period is 1 to 3 months (or none)"
        )
    if proposal.extension_years == 0 and proposal.extension_ground is None:
        return None
    if Circumstance.SX1_ABLE_REFUSE in proposal.circumstances:
        return Refusal(
            "listing.extension_without_term",
            "list rules Art. 2 (L-TERM-4); D5",
            "a listing under item (一) has no fixed term, so it cannot be extended",
        )
    if not 1 <= proposal.extension_years <= MAX_EXTENSION_YEARS or proposal.extension_ground is None:
        return Refusal(
            "listing.extension",
            "list rules Art. 2 ¶1 (L-TERM-2)",
            "an extension is 1 to 3 years and needs its ground (serious_violence or multiple_acts)",
        )
    if proposal.extension_ground is ExtensionGround.SERIOUS_VIOLENCE and (
        Circumstance.SX2_OBSTRUCT not in proposal.circumstances
    ):
        return Refusal(
            "listing.extension",
            "list rules Art. 2 ¶1 (L-TERM-2)",
            "an extension for serious violence or threats needs circumstance (二) (SX2_OBSTRUCT)",
        )
    if proposal.extension_ground is ExtensionGround.MULTIPLE_ACTS and len(proposal.circumstances) < 2:
        return Refusal(
            "listing.extension",
            "list rules Art. 2 ¶1 (L-TERM-2)",
            "an extension for several dishonest acts needs at least two circumstances",
        )
    return None


def _has_text(text: str | None) -> bool:
    return bool(text and text.strip())


def compute_terms(proposal: ListingProposal, overrides: tuple[Override, ...] = ()) -> ListingTerms:
    """Publication date and term (D2, D4, D5): the term runs from the day after the grace period ends."""
    decided = proposal.decision_date
    grace_end = period_end_months(decided, proposal.grace_months) if proposal.grace_months else None
    term_start_anchor = grace_end or decided  # start day not counted
    publish_from = term_start_anchor + dt.timedelta(days=1) if grace_end else decided
    if Circumstance.SX1_ABLE_REFUSE in proposal.circumstances:
        return ListingTerms(decided, publish_from, grace_end, None, None, overrides)
    years = FIXED_TERM_YEARS + proposal.extension_years
    term_end = period_end_months(term_start_anchor, 12 * years)
    return ListingTerms(decided, publish_from, grace_end, years, term_end, overrides)


def assess_listing(facts: CaseFacts, proposal: ListingProposal) -> ListingTerms | Refusal:
    """Return the listing's terms, or the first rule that refuses it.

    Order: who is proposed (rule one, minors), the case (rule four, performance), Art. 3 bars, the term
    itself, re-listing, then the refusals a written justification can override: rule two, the applicant's
    request to hold off, campus loans.
    """
    refusal = (
        _guard_subject(facts, proposal)
        or _guard_case(facts, proposal)
        or _guard_item_one(facts, proposal)
        or _guard_terms(proposal)
        or _guard_relisting(facts, proposal)
    )
    if refusal:
        return refusal
    overrides: tuple[Override, ...] = ()
    for guard in (_guard_secured, _guard_hold_off, _guard_campus_loan):
        refusal, extra = guard(facts, proposal)
        if refusal:
            return refusal
        overrides += extra
    return compute_terms(proposal, overrides)


# --- Is a listing active? ----------------------------------------------------------------------


class ListingState(StrEnum):
    IN_GRACE = "in_grace"  # decided, not yet published or enforced (D4)
    ACTIVE = "active"  # published, a basis for sanctions
    EXPIRED = "expired"  # term over; inactive even before the sweep marks it (rule three)
    REMOVED = "removed"  # deleted, revoked: kept, not public, no basis for sanctions


def listing_state(
    publish_from: dt.date, term_end: dt.date | None, removed_on: dt.date | None, on: dt.date
) -> ListingState:
    """State of a listing on a given day, from its dates alone (never from a stored flag)."""
    if removed_on is not None and removed_on <= on:
        return ListingState.REMOVED
    if term_end is not None and on > term_end:
        return ListingState.EXPIRED
    if on < publish_from:
        return ListingState.IN_GRACE
    return ListingState.ACTIVE


# --- Removal (rule three) ------------------------------------------------------------------------


class RemovalReason(StrEnum):
    """Why a listing leaves the active list (list rules Arts. 2 ¶2, 9, 10)."""

    FULL_PERFORMANCE = "full_performance"  # L-DEL-1
    SETTLEMENT_PERFORMED = "settlement_performed"  # L-DEL-2
    APPLICANT_REQUEST = "applicant_request"  # L-DEL-3
    NO_PROPERTY_TERMINATION = "no_property_termination"  # L-DEL-4 (终本)
    SUSPENSION = "suspension"  # L-DEL-5, retrial or bankruptcy only (D8)
    NON_ENFORCEMENT = "non_enforcement"  # L-DEL-6
    TERMINATION = "termination"  # L-DEL-7
    TERM_EXPIRED = "term_expired"  # L-DEL-TERM
    EARLY_DELETION = "early_deletion"  # L-TERM-3, discretionary
    REVOKED = "revoked"  # L-REVOKE, Art. 9 ¶1: should not have been listed


REMOVAL_RULES = {
    RemovalReason.FULL_PERFORMANCE: "list rules Art. 10 ¶1 (一) (L-DEL-1); Art. 2 ¶2 for fixed terms; RULE-3",
    RemovalReason.SETTLEMENT_PERFORMED: "list rules Art. 10 ¶1 (二) (L-DEL-2); RULE-3",
    RemovalReason.APPLICANT_REQUEST: "list rules Art. 10 ¶1 (三) (L-DEL-3)",
    RemovalReason.NO_PROPERTY_TERMINATION: "list rules Art. 10 ¶1 (四) (L-DEL-4)",
    RemovalReason.SUSPENSION: "list rules Art. 10 ¶1 (五) (L-DEL-5); D8",
    RemovalReason.NON_ENFORCEMENT: "list rules Art. 10 ¶1 (六) (L-DEL-6)",
    RemovalReason.TERMINATION: "list rules Art. 10 ¶1 (七) (L-DEL-7)",
    RemovalReason.TERM_EXPIRED: "list rules Art. 10 ¶2 (L-DEL-TERM)",
    RemovalReason.EARLY_DELETION: "list rules Art. 2 ¶2 (L-TERM-3)",
    RemovalReason.REVOKED: "list rules Art. 9 ¶1 (L-REVOKE)",
}

_DELETION_REFUSALS = {
    RemovalReason.FULL_PERFORMANCE: ("listing.nothing_unperformed", "the obligation was performed in full"),
    RemovalReason.SETTLEMENT_PERFORMED: ("listing.nothing_unperformed", "the settlement was performed"),
    RemovalReason.APPLICANT_REQUEST: (
        "listing.applicant_deletion",
        "the applicant asked in writing to delete",
    ),
    RemovalReason.NO_PROPERTY_TERMINATION: (
        "listing.no_property",
        "the case was closed for want of property",
    ),
    RemovalReason.SUSPENSION: (
        "listing.enforcement_ended",
        "enforcement was suspended for retrial or bankruptcy",
    ),
    RemovalReason.NON_ENFORCEMENT: ("listing.enforcement_ended", "the court ruled not to enforce"),
    RemovalReason.TERMINATION: ("listing.enforcement_ended", "enforcement was terminated"),
}


def deleted_after_decision(happened_on: dt.date, reason: RemovalReason) -> Refusal:
    """A decision entered after an Art. 10 ¶1 deletion event dated after it: entered in date order, the
    listing would have been deleted by that event, so it is not created active (rule three)."""
    code, what = _DELETION_REFUSALS[reason]
    return Refusal(
        code,
        REMOVAL_RULES[reason],
        f"{what} on {happened_on}, after the decision date: the listing would have been deleted then",
    )


# D10: these end the consumption restrictions of the case too. 终本 (L-DEL-4), suspension, an applicant's
# request, term expiry and early deletion do not: a restriction outlives its listing.
_LIFTS_RESTRICTIONS = frozenset(
    {
        RemovalReason.FULL_PERFORMANCE,
        RemovalReason.SETTLEMENT_PERFORMED,
        RemovalReason.NON_ENFORCEMENT,
        RemovalReason.TERMINATION,
    }
)


@dataclass(frozen=True)
class RemovalEffects:
    rule: str
    deadline: Deadline  # 3 working days from the triggering fact's date (D9) or from the term's end
    lifts_case_restrictions: bool  # every restriction of the case (D10)
    lifts_listing_restriction: bool  # the restriction placed automatically with this listing


def removal_effects(reason: RemovalReason, fact_date: dt.date) -> RemovalEffects:
    """What a removal does and by when it must be done (list rules Arts. 9–10: 3 working days; D9, D10).

    ``fact_date`` is the date of the triggering fact as entered (payment, ruling, approval), or for
    TERM_EXPIRED the term's last day.
    """
    lifts_all = reason in _LIFTS_RESTRICTIONS
    return RemovalEffects(
        rule=REMOVAL_RULES[reason],
        deadline=working_days_deadline(fact_date, REMOVAL_WORKING_DAYS),
        lifts_case_restrictions=lifts_all,
        lifts_listing_restriction=lifts_all or reason is RemovalReason.REVOKED,
    )


def correction_deadline(found_on: dt.date) -> Deadline:
    """Art. 9 ¶2 (L-CORRECT): inaccurate information is corrected within 3 working days."""
    return working_days_deadline(found_on, REMOVAL_WORKING_DAYS)
