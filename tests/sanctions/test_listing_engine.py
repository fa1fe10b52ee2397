"""The listing rules engine (sanctions.listing), attacked rule by rule with rulebook codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from sanctions.listing import (
    CIRCUMSTANCE_TEXT_ZH,
    CaseFacts,
    Circumstance,
    ExtensionGround,
    HoldOff,
    Initiator,
    ListingProposal,
    ListingState,
    ListingTerms,
    Override,
    Refusal,
    RemovalReason,
    SubjectKind,
    SubjectRole,
    assess_listing,
    correction_deadline,
    deleted_after_decision,
    listing_state,
    removal_effects,
)
from sanctions.restriction import OrderAccepted, OrderProposal, RestrictionFacts, assess_restriction_order

D = dt.date
SX1, SX2, SX3, SX4, SX5, SX6 = list(Circumstance)

PERSON = CaseFacts(
    debtor_kind=SubjectKind.PERSON, unperformed_amount=Decimal("100000"), debtor_birth_date=D(1980, 5, 17)
)
ORG = CaseFacts(debtor_kind=SubjectKind.ORGANISATION, unperformed_amount=Decimal("100000"))


def propose(*circumstances: Circumstance, **kw) -> ListingProposal:
    base = {
        "subject_role": SubjectRole.DEBTOR,
        "circumstances": frozenset(circumstances or (SX1,)),
        "decision_date": D(2026, 4, 1),
    }
    return ListingProposal(**(base | kw))


def refused(facts: CaseFacts, proposal: ListingProposal) -> str:
    outcome = assess_listing(facts, proposal)
    assert isinstance(outcome, Refusal), outcome
    assert outcome.rule and outcome.message
    return outcome.code


def accepted(facts: CaseFacts, proposal: ListingProposal) -> ListingTerms:
    outcome = assess_listing(facts, proposal)
    assert isinstance(outcome, ListingTerms), outcome
    return outcome


# --- Rule one and who can be listed ---------------------------------------------------------------


@pytest.mark.parametrize("circumstances", [(SX1,), (SX2,), (SX1, SX3, SX6)])
def test_rule_one_key_person_never_listed_for_the_organisations_debt(circumstances):
    code = refused(ORG, propose(*circumstances, subject_role=SubjectRole.KEY_PERSON, justification="x"))
    assert code == "listing.key_person"


def test_only_the_debtor_can_be_listed():
    assert refused(PERSON, propose(subject_role=SubjectRole.OTHER)) == "listing.not_debtor"


def test_an_organisation_is_listed_as_debtor():
    assert accepted(ORG, propose()).term_end is None


def test_an_organisation_without_a_recorded_head_cannot_be_listed_art_6():
    """Art. 6 (一): the listing records and publishes the legal representative's or person in charge's name."""
    headless = replace(ORG, head_recorded=False)
    assert refused(headless, propose(SX2, justification="serious")) == "listing.head_unknown"
    outcome = assess_listing(headless, propose())
    assert isinstance(outcome, Refusal) and "key-persons" in (outcome.remedy or "")
    assert accepted(replace(PERSON, head_recorded=False), propose()).term_end is None  # a person has none


# --- Minors (list rules Art. 4, D3) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "decided", "minor"),
    [
        (D(2008, 4, 1), D(2026, 3, 31), True),  # one day short of 18
        (D(2008, 4, 1), D(2026, 4, 1), False),  # the 18th birthday
        (D(2008, 2, 29), D(2026, 2, 28), True),  # leap-day birth: adult on 1 March
        (D(2008, 2, 29), D(2026, 3, 1), False),
    ],
)
def test_minor_boundary_to_the_day(born, decided, minor):
    facts = replace(PERSON, debtor_birth_date=born)
    outcome = assess_listing(facts, propose(decision_date=decided))
    assert isinstance(outcome, Refusal) is minor
    if minor:
        assert outcome.code == "listing.minor"


def test_minor_refused_even_with_justification():
    facts = replace(PERSON, debtor_birth_date=D(2010, 1, 1))
    assert refused(facts, propose(SX2, justification="serious")) == "listing.minor"


# --- Rule four and the case's state ---------------------------------------------------------------


def test_rule_four_no_property_refused_with_the_restriction_remedy():
    outcome = assess_listing(replace(PERSON, no_property_finding=True), propose(SX2))
    assert isinstance(outcome, Refusal)
    assert outcome.code == "listing.no_property"
    assert outcome.remedy and "限制消费令" in outcome.remedy


def test_nothing_unperformed_is_refused():
    assert refused(replace(PERSON, unperformed_amount=Decimal(0)), propose()) == "listing.nothing_unperformed"


def test_enforcement_ended_is_refused():
    assert refused(replace(PERSON, enforcement_ended=True), propose()) == "listing.enforcement_ended"


def test_no_circumstance_means_restriction_not_listing():
    outcome = assess_listing(PERSON, replace(propose(), circumstances=frozenset()))
    assert isinstance(outcome, Refusal) and outcome.code == "listing.no_circumstance"
    assert outcome.remedy


# --- Rule two (Art. 3 bars, 2019 Opinion §16(a), D6) ---------------------------------------------


@pytest.mark.parametrize(
    ("secured", "barred"),
    [(Decimal("99999.99"), False), (Decimal("100000"), True), (Decimal("250000"), True)],
)
def test_rule_two_item_one_boundary(secured, barred):
    outcome = assess_listing(replace(PERSON, secured_value=secured), propose(SX1))
    assert isinstance(outcome, Refusal) is barred
    if barred:
        assert outcome.code == "listing.secured"


def test_rule_two_item_one_cannot_be_justified_away():
    facts = replace(PERSON, secured_value=Decimal("100000"))
    assert refused(facts, propose(SX1, justification="the court insists")) == "listing.secured"
    assert refused(facts, propose(SX1, SX3, justification="the court insists")) == "listing.secured"


@pytest.mark.parametrize("item", [SX2, SX3, SX4, SX5, SX6])
def test_rule_two_items_two_to_six_need_a_written_justification(item):
    facts = replace(PERSON, secured_value=Decimal("100000"))
    assert refused(facts, propose(item)) == "listing.secured_needs_justification"
    assert refused(facts, propose(item, justification="   ")) == "listing.secured_needs_justification"
    terms = accepted(facts, propose(item, justification="伪造证据，情节恶劣"))
    assert terms.overrides == (Override.SECURED_WITH_JUSTIFICATION,)


def test_bar_later_in_order_applies_to_item_one_only():
    facts = replace(PERSON, later_in_order=True)
    assert refused(facts, propose(SX1)) == "listing.later_in_order"
    assert accepted(facts, propose(SX2)).term_years == 2


# --- The applicant's request to hold off measures (2019 Opinion §16(a)) ----------------------------


HELD = replace(PERSON, hold_offs=(HoldOff(D(2026, 3, 2)),))  # propose() decides on 2026-04-01


@pytest.mark.parametrize(
    ("hold_off", "in_force"),
    [
        (HoldOff(D(2026, 4, 1)), True),  # asked on the decision day
        (HoldOff(D(2026, 4, 2)), False),  # asked after the decision
        (HoldOff(D(2026, 3, 2), withdrawn_on=D(2026, 4, 1)), False),  # withdrawn on the decision day
        (HoldOff(D(2026, 3, 2), withdrawn_on=D(2026, 4, 2)), True),  # withdrawn the day after
    ],
)
def test_hold_off_in_force_on_the_decision_day(hold_off, in_force):
    outcome = assess_listing(replace(PERSON, hold_offs=(hold_off,)), propose())
    assert isinstance(outcome, Refusal) is in_force
    if in_force:
        assert outcome.code == "listing.applicant_hold_off"
        assert "§16(a)" in outcome.rule and str(hold_off.asked_on) in outcome.message


def test_hold_off_bars_item_one_even_with_a_justification():
    assert refused(HELD, propose(SX1, SX2, justification="理由")) == "listing.applicant_hold_off"


@pytest.mark.parametrize("item", [SX2, SX3, SX4, SX5, SX6])
def test_hold_off_items_two_to_six_need_a_written_justification(item):
    assert refused(HELD, propose(item)) == "listing.hold_off_needs_justification"
    assert refused(HELD, propose(item, justification="  ")) == "listing.hold_off_needs_justification"
    terms = accepted(HELD, propose(item, justification="以暴力妨碍执行，申请人之请求不影响法院依职权惩戒"))
    assert terms.overrides == (Override.HOLD_OFF_WITH_JUSTIFICATION,)


def test_the_applicants_later_request_to_list_withdraws_its_hold_off():
    later = propose(initiator=Initiator.APPLICANT, applied_on=D(2026, 3, 3))
    assert accepted(HELD, later).term_end is None
    same_day = propose(initiator=Initiator.APPLICANT, applied_on=D(2026, 3, 2))
    assert refused(HELD, same_day) == "listing.applicant_hold_off"  # which came first is unknown
    # An application of unknown date may predate the hold-off: it withdraws nothing.
    unknown = assess_listing(HELD, propose(initiator=Initiator.APPLICANT))
    assert isinstance(unknown, Refusal) and unknown.code == "listing.applicant_hold_off"
    assert "applied_on" in unknown.remedy
    # A second hold-off after the request to list is in force again.
    twice = replace(HELD, hold_offs=(HoldOff(D(2026, 3, 2)), HoldOff(D(2026, 3, 20))))
    assert refused(twice, later) == "listing.applicant_hold_off"


def test_the_court_on_its_own_initiative_is_held_by_the_latest_hold_off():
    twice = replace(PERSON, hold_offs=(HoldOff(D(2026, 1, 5), D(2026, 2, 1)), HoldOff(D(2026, 3, 9))))
    outcome = assess_listing(twice, propose())
    assert isinstance(outcome, Refusal) and "2026-03-09" in outcome.message


def test_rule_two_and_a_hold_off_both_recorded():
    facts = replace(HELD, secured_value=Decimal("1e6"))
    terms = accepted(facts, propose(SX3, justification="理由"))
    assert terms.overrides == (Override.SECURED_WITH_JUSTIFICATION, Override.HOLD_OFF_WITH_JUSTIFICATION)


# --- Campus loans (2019 Opinion §16(c)) ------------------------------------------------------------


def test_campus_loan_student_refused_unless_justified():
    facts = replace(PERSON, campus_loan_student=True)
    assert refused(facts, propose()) == "listing.campus_loan_student"
    assert accepted(facts, propose(justification="毕业后有稳定收入仍拒不履行")).overrides == (
        Override.CAMPUS_LOAN_WITH_JUSTIFICATION,
    )


def test_both_overrides_are_recorded():
    facts = replace(PERSON, campus_loan_student=True, secured_value=Decimal("1e6"))
    terms = accepted(facts, propose(SX3, justification="理由"))
    assert terms.overrides == (Override.SECURED_WITH_JUSTIFICATION, Override.CAMPUS_LOAN_WITH_JUSTIFICATION)


# --- Terms (Art. 2, D2, D4, D5) ---------------------------------------------------------------------


def test_item_one_has_no_term_and_d5_item_one_with_others_neither():
    assert accepted(PERSON, propose(SX1)).term_end is None
    terms = accepted(PERSON, propose(SX1, SX3))
    assert terms.term_years is None and terms.term_end is None


@pytest.mark.parametrize("item", [SX2, SX3, SX4, SX5, SX6])
def test_items_two_to_six_two_years_through_the_same_numbered_day(item):
    terms = accepted(PERSON, propose(item, decision_date=D(2025, 3, 10)))
    assert terms.term_years == 2
    assert terms.term_end == D(2027, 3, 10)
    assert terms.publish_from == D(2025, 3, 10)
    assert terms.grace_end is None


def test_leap_day_decision_term_ends_on_28_february():
    assert accepted(PERSON, propose(SX4, decision_date=D(2024, 2, 29))).term_end == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("months", "grace_end", "publish_from", "term_end"),
    [
        (1, D(2025, 4, 10), D(2025, 4, 11), D(2027, 4, 10)),
        (3, D(2025, 6, 10), D(2025, 6, 11), D(2027, 6, 10)),
    ],
)
def test_grace_period_defers_publication_and_the_whole_term(months, grace_end, publish_from, term_end):
    terms = accepted(PERSON, propose(SX3, decision_date=D(2025, 3, 10), grace_months=months))
    assert (terms.grace_end, terms.publish_from, terms.term_end) == (grace_end, publish_from, term_end)


def test_grace_period_on_item_one_defers_publication_only():
    terms = accepted(PERSON, propose(SX1, decision_date=D(2026, 1, 31), grace_months=1))
    assert (terms.grace_end, terms.publish_from, terms.term_end) == (D(2026, 2, 28), D(2026, 3, 1), None)


@pytest.mark.parametrize("months", [-1, 4, 12])
def test_grace_period_outside_one_to_three_months(months):
    assert refused(PERSON, propose(grace_months=months)) == "listing.grace_period"


@pytest.mark.parametrize(
    ("circumstances", "years", "ground", "term_end"),
    [
        ((SX2,), 1, ExtensionGround.SERIOUS_VIOLENCE, D(2029, 4, 1)),
        ((SX2,), 3, ExtensionGround.SERIOUS_VIOLENCE, D(2031, 4, 1)),  # at most 5 years in all
        ((SX3, SX4), 2, ExtensionGround.MULTIPLE_ACTS, D(2030, 4, 1)),
    ],
)
def test_extension_by_one_to_three_years(circumstances, years, ground, term_end):
    terms = accepted(PERSON, propose(*circumstances, extension_years=years, extension_ground=ground))
    assert terms.term_years == 2 + years
    assert terms.term_end == term_end


@pytest.mark.parametrize(
    ("circumstances", "years", "ground", "code"),
    [
        ((SX1,), 1, ExtensionGround.SERIOUS_VIOLENCE, "listing.extension_without_term"),
        ((SX1, SX2), 1, ExtensionGround.SERIOUS_VIOLENCE, "listing.extension_without_term"),  # D5
        ((SX2,), 4, ExtensionGround.SERIOUS_VIOLENCE, "listing.extension"),
        ((SX2,), 1, None, "listing.extension"),
        ((SX2,), 0, ExtensionGround.SERIOUS_VIOLENCE, "listing.extension"),
        ((SX3,), 1, ExtensionGround.SERIOUS_VIOLENCE, "listing.extension"),  # needs item (二)
        ((SX3,), 1, ExtensionGround.MULTIPLE_ACTS, "listing.extension"),  # needs two acts
    ],
)
def test_extension_refusals(circumstances, years, ground, code):
    assert refused(PERSON, propose(*circumstances, extension_years=years, extension_ground=ground)) == code


# --- Re-listing after a deletion at the applicant's request (D7) -----------------------------------


DELETED = replace(PERSON, applicant_deletion_dates=(D(2026, 1, 10), D(2026, 3, 31)))


@pytest.mark.parametrize(
    ("decided", "barred"),
    [(D(2026, 9, 30), True), (D(2026, 10, 1), False)],  # 6 months from the latest deletion, 2026-03-31
)
def test_applicant_relisting_bar_six_months(decided, barred):
    outcome = assess_listing(DELETED, propose(decision_date=decided, initiator=Initiator.APPLICANT))
    assert isinstance(outcome, Refusal) is barred
    if barred:
        assert outcome.code == "listing.relist_bar"


def test_applicant_bar_counts_from_the_request_not_the_decision():
    asked_in_time = propose(
        decision_date=D(2026, 10, 20), applied_on=D(2026, 9, 29), initiator=Initiator.APPLICANT
    )
    assert refused(DELETED, asked_in_time) == "listing.relist_bar"
    later = propose(decision_date=D(2026, 10, 20), applied_on=D(2026, 10, 1), initiator=Initiator.APPLICANT)
    assert accepted(DELETED, later).term_end is None
    backwards = propose(
        decision_date=D(2026, 10, 20), applied_on=D(2026, 10, 21), initiator=Initiator.APPLICANT
    )
    assert refused(DELETED, backwards) == "listing.applied_after_decision"


def test_a_new_circumstance_cannot_postdate_the_decision():
    future = propose(SX2, decision_date=D(2026, 5, 1), circumstance_arose_on=D(2030, 1, 1))
    assert refused(DELETED, future) == "listing.relist_needs_new_circumstance"
    same_day = propose(SX2, decision_date=D(2026, 5, 1), circumstance_arose_on=D(2026, 5, 1))
    assert accepted(DELETED, same_day).term_years == 2


def test_court_may_relist_only_for_a_new_circumstance_after_the_deletion():
    assert refused(DELETED, propose(decision_date=D(2026, 5, 1))) == "listing.relist_needs_new_circumstance"
    same_day = propose(decision_date=D(2026, 5, 1), circumstance_arose_on=D(2026, 3, 31))
    assert refused(DELETED, same_day) == "listing.relist_needs_new_circumstance"
    after = propose(SX2, decision_date=D(2026, 5, 1), circumstance_arose_on=D(2026, 4, 2))
    assert accepted(DELETED, after).term_years == 2


# --- Active or not, by dates alone (rule three) -----------------------------------------------------


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (D(2025, 4, 10), ListingState.IN_GRACE),
        (D(2025, 4, 11), ListingState.ACTIVE),
        (D(2027, 4, 10), ListingState.ACTIVE),
        (D(2027, 4, 11), ListingState.EXPIRED),
    ],
)
def test_listing_state_by_date(on, state):
    assert listing_state(D(2025, 4, 11), D(2027, 4, 10), None, on) is state


def test_removed_listing_state_from_its_removal_day():
    assert listing_state(D(2025, 1, 1), None, D(2025, 6, 1), D(2025, 5, 31)) is ListingState.ACTIVE
    assert listing_state(D(2025, 1, 1), None, D(2025, 6, 1), D(2025, 6, 1)) is ListingState.REMOVED


# --- Removal effects (Arts. 9–10, D8–D10) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "lifts_case", "lifts_listing"),
    [
        (RemovalReason.FULL_PERFORMANCE, True, True),
        (RemovalReason.SETTLEMENT_PERFORMED, True, True),
        (RemovalReason.NON_ENFORCEMENT, True, True),
        (RemovalReason.TERMINATION, True, True),
        (RemovalReason.APPLICANT_REQUEST, False, False),
        (RemovalReason.NO_PROPERTY_TERMINATION, False, False),  # D10: restriction continues after 终本
        (RemovalReason.SUSPENSION, False, False),
        (RemovalReason.TERM_EXPIRED, False, False),
        (RemovalReason.EARLY_DELETION, False, False),
        (RemovalReason.REVOKED, False, True),
    ],
)
def test_removal_effects_on_restrictions_d10(reason, lifts_case, lifts_listing):
    effects = removal_effects(reason, D(2026, 11, 18))
    assert (effects.lifts_case_restrictions, effects.lifts_listing_restriction) == (lifts_case, lifts_listing)
    assert effects.deadline.due == D(2026, 11, 23)  # Wed + 3 working days
    assert "Art." in effects.rule


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        (RemovalReason.FULL_PERFORMANCE, "listing.nothing_unperformed"),
        (RemovalReason.SETTLEMENT_PERFORMED, "listing.nothing_unperformed"),
        (RemovalReason.APPLICANT_REQUEST, "listing.applicant_deletion"),
        (RemovalReason.NO_PROPERTY_TERMINATION, "listing.no_property"),
        (RemovalReason.SUSPENSION, "listing.enforcement_ended"),
        (RemovalReason.NON_ENFORCEMENT, "listing.enforcement_ended"),
        (RemovalReason.TERMINATION, "listing.enforcement_ended"),
    ],
)
def test_a_deletion_event_after_the_decision_refuses_a_listing_entered_later(reason, code):
    """Rule three: entered in date order the listing would have been deleted by the Art. 10 ¶1 event."""
    refusal = deleted_after_decision(D(2026, 5, 6), reason)
    assert (refusal.code, refusal.rule) == (code, removal_effects(reason, D(2026, 5, 6)).rule)
    assert "2026-05-06" in refusal.message


def test_correction_deadline_three_working_days():
    assert correction_deadline(D(2025, 9, 30)).due == D(2025, 10, 11)


def test_every_circumstance_has_its_chinese_wording():
    assert set(CIRCUMSTANCE_TEXT_ZH) == set(Circumstance)


# --- Consumption restriction orders (限高规定 Art. 1, 2019 Opinion §16(a), §16(c)) -------------------


FACTS = RestrictionFacts(unperformed_amount=Decimal(1), payment_deadline=D(2026, 3, 12))


@pytest.mark.parametrize(
    ("facts", "day", "code"),
    [
        (FACTS, D(2026, 3, 12), "restriction.before_deadline"),  # the last day of the period
        (FACTS, D(2026, 3, 13), None),
        (replace(FACTS, payment_deadline=None), D(2026, 3, 13), "restriction.before_deadline"),
        (replace(FACTS, unperformed_amount=Decimal(0)), D(2026, 4, 1), "restriction.nothing_unperformed"),
        (replace(FACTS, enforcement_ended=True), D(2026, 4, 1), "restriction.enforcement_ended"),
        (replace(FACTS, campus_loan_student=True), D(2026, 4, 1), "restriction.campus_loan_student"),
    ],
)
def test_restriction_order(facts, day, code):
    outcome = assess_restriction_order(facts, OrderProposal(day))
    assert (outcome.code if isinstance(outcome, Refusal) else None) == code


@pytest.mark.parametrize(
    ("hold_off", "day", "code"),
    [
        (HoldOff(D(2026, 3, 20)), D(2026, 4, 1), "restriction.hold_off_needs_justification"),
        (HoldOff(D(2026, 4, 1)), D(2026, 4, 1), "restriction.hold_off_needs_justification"),
        (HoldOff(D(2026, 4, 2)), D(2026, 4, 1), None),
        (HoldOff(D(2026, 3, 20), D(2026, 4, 1)), D(2026, 4, 1), None),  # withdrawn on the order day
        (HoldOff(D(2026, 3, 20), D(2026, 4, 2)), D(2026, 4, 1), "restriction.hold_off_needs_justification"),
    ],
)
def test_restriction_order_while_the_applicant_holds_off(hold_off, day, code):
    outcome = assess_restriction_order(replace(FACTS, hold_offs=(hold_off,)), OrderProposal(day))
    assert (outcome.code if isinstance(outcome, Refusal) else None) == code


def test_restriction_over_a_hold_off_with_justification_is_recorded():
    held = replace(FACTS, hold_offs=(HoldOff(D(2026, 3, 20)),))
    blank = OrderProposal(D(2026, 4, 1), justification=" ")
    assert assess_restriction_order(held, blank).code == "restriction.hold_off_needs_justification"
    outcome = assess_restriction_order(held, OrderProposal(D(2026, 4, 1), justification="理由"))
    assert outcome == OrderAccepted((Override.HOLD_OFF_WITH_JUSTIFICATION,))
    both = replace(held, campus_loan_student=True)
    assert assess_restriction_order(
        both, OrderProposal(D(2026, 4, 1), justification="理由")
    ) == OrderAccepted((Override.HOLD_OFF_WITH_JUSTIFICATION, Override.CAMPUS_LOAN_WITH_JUSTIFICATION))
    # The earlier refusals come first: a hold-off does not hide a missing payment deadline.
    early = assess_restriction_order(held, OrderProposal(D(2026, 3, 12), justification="理由"))
    assert early.code == "restriction.before_deadline"


@pytest.mark.parametrize(
    ("initiator", "applied_on", "code"),
    [
        (Initiator.APPLICANT, D(2026, 3, 21), None),  # applied after its request to hold off
        (Initiator.APPLICANT, D(2026, 3, 20), "restriction.hold_off_needs_justification"),  # same day
        (Initiator.APPLICANT, None, "restriction.hold_off_needs_justification"),  # date unknown
        (Initiator.COURT, D(2026, 3, 21), "restriction.hold_off_needs_justification"),  # own motion
        (Initiator.APPLICANT, D(2026, 4, 2), "restriction.applied_after_order"),
    ],
)
def test_the_applicants_application_for_the_order_after_its_hold_off(initiator, applied_on, code):
    held = replace(FACTS, hold_offs=(HoldOff(D(2026, 3, 20)),))
    outcome = assess_restriction_order(held, OrderProposal(D(2026, 4, 1), initiator, applied_on))
    assert (outcome.code if isinstance(outcome, Refusal) else None) == code
    if code is None:
        assert outcome == OrderAccepted(())  # nothing overridden: the applicant asked for it


def test_campus_loan_restriction_with_justification():
    justified = OrderProposal(D(2026, 4, 1), justification="理由")
    outcome = assess_restriction_order(replace(FACTS, campus_loan_student=True), justified)
    assert outcome == OrderAccepted((Override.CAMPUS_LOAN_WITH_JUSTIFICATION,))
    assert assess_restriction_order(FACTS, justified) == OrderAccepted(())  # nothing to override
