"""The labelled evaluation generator and a small-scale quality check (no timing)."""

from collections import Counter

import numpy as np
import pytest

from sanctions.identifiers import is_valid_resident_id, parse_org_identifier
from screening import NAMESAKE_LIMIT, Entry, Kind, Query, ScreeningIndex
from screening.evaluation import (
    EVALUATION_LIMIT,
    ID_GROUPS,
    NEGATIVES,
    ORG_NAME_VARIANTS,
    PERSON_NAME_VARIANTS,
    Evaluation,
    LabelledQuery,
    TextColumn,
    evaluate,
    labelled_queries,
    person_names,
    run_evaluation,
    synthetic_list,
)

ID_NEGATIVES = (
    "neg_namesake_id",
    "neg_conflict_id",
    "neg_masked_other",
    "neg_unlisted_id",
    "neg_org_other_uscc",
)


def test_generator_is_deterministic() -> None:
    a, b = synthetic_list(3000, seed=3), synthetic_list(3000, seed=3)
    assert (a.entry_ids, a.names, a.identifiers, a.aliases, a.key_persons) == (
        b.entry_ids,
        b.names,
        b.identifiers,
        b.aliases,
        b.key_persons,
    )
    assert labelled_queries(a, per_variant=5, seed=4) == labelled_queries(b, per_variant=5, seed=4)
    assert synthetic_list(3000, seed=4).names != a.names


def test_name_frequencies_are_as_top_heavy_as_real_ones_and_no_more() -> None:
    """The commonest full names (张伟, 王伟, 王芳 …) are each about 0.02 % of the population
    (matching-notes); a heavier top would make name-only namesake ties look worse than they are."""
    names = Counter(person_names(np.random.default_rng(7), 1_000_000))
    (commonest, count), *_ = names.most_common(1)
    assert len(commonest) == 2
    assert 150 <= count <= 300  # 0.015 %–0.03 % of a million
    assert 0.75 < len(names) / 1_000_000 < 0.9  # most names distinct, but far from all


def test_generated_identifiers_are_valid() -> None:
    listed = synthetic_list(3000, seed=5)
    for kind, identifier in zip(listed.kinds.tolist(), listed.identifiers, strict=True):
        assert identifier is not None
        if kind:
            parse_org_identifier(identifier)
        else:
            assert is_valid_resident_id(identifier)
    assert 0.1 < float(listed.kinds.mean()) < 0.2
    assert all(is_valid_resident_id(kp[0].identifier or "") for kp in listed.key_persons.values())


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    listed = synthetic_list(20_000, seed=7)
    index = ScreeningIndex.build(listed.entries())
    return run_evaluation(index, labelled_queries(listed, per_variant=60, seed=11))


def test_every_variant_kind_is_generated(evaluation: Evaluation) -> None:
    expected = set(PERSON_NAME_VARIANTS) | set(ID_GROUPS) | set(ORG_NAME_VARIANTS) | set(NEGATIVES)
    assert expected <= set(evaluation.stats)
    assert all(s.queries >= 50 for s in evaluation.stats.values())


def test_with_an_identifier_recall_is_at_least_99_5_percent(evaluation: Evaluation) -> None:
    assert evaluation.band_share(sorted(ID_GROUPS), "match") >= 0.995


def test_namesakes_and_contradicting_ids_are_never_a_match(evaluation: Evaluation) -> None:
    assert evaluation.false_matches(ID_NEGATIVES) == 0
    assert evaluation.false_matches(NEGATIVES) == 0


def test_name_only_variants_land_in_review_near_the_top(evaluation: Evaluation) -> None:
    variants = list(PERSON_NAME_VARIANTS)
    assert evaluation.band_share(variants, "match") == 0.0  # a name alone never matches
    assert evaluation.band_share(variants, "review") >= 0.98
    assert evaluation.band_share(variants, "review") + evaluation.band_share(variants, "namesake") >= 0.995
    assert evaluation.share(variants, "top10_tied") >= 0.98
    assert evaluation.share(variants, "top10") >= 0.95
    # Equal evidence comes in an order that favours no one: as returned is the random-order expectation.
    assert abs(evaluation.share(variants, "top10") - evaluation.share(variants, "top10_expected")) < 0.02
    assert evaluation.share(variants, "top10_named") >= evaluation.share(variants, "top10")


def test_company_name_variants_land_in_review_near_the_top(evaluation: Evaluation) -> None:
    variants = list(ORG_NAME_VARIANTS)
    assert evaluation.band_share(variants, "review") >= 0.98
    assert evaluation.share(variants, "top10") >= 0.98


def test_same_trade_name_in_another_region_is_cleared(evaluation: Evaluation) -> None:
    assert evaluation.band_share(["neg_org_other_region"], "clear") >= 0.98


def test_the_report_is_a_table(evaluation: Evaluation) -> None:
    table = evaluation.table()
    assert table.splitlines()[0].startswith("variant")
    assert any(line.startswith("id_masked ") for line in table.splitlines())
    assert "precision" in table


def test_the_expected_top_ten_shares_ten_places_among_equal_evidence() -> None:
    index = ScreeningIndex.build(
        [Entry("A1", Kind.PERSON, "张伟杰")]  # exact: alone in first place
        + [Entry(f"H{i:02d}", Kind.PERSON, name) for i, name in enumerate(["张维杰"] * 12)]  # homophones
    )
    query = Query("张伟杰", limit=EVALUATION_LIMIT)  # evaluate() needs every tie, not the first ten
    queries = [LabelledQuery(query, "exact", "A1"), LabelledQuery(query, "homophone", "H03")]
    stats = evaluate(index.query_batch([lq.query for lq in queries]), queries).stats
    assert stats["exact"].top10_expected == 1.0 and stats["exact"].top10_tied == 1
    assert stats["homophone"].top10_expected == 9 / 12  # nine places left for twelve equals
    assert stats["homophone"].top10_tied == 1


def test_a_collapsed_namesake_stands_for_the_true_entry() -> None:
    index = ScreeningIndex.build(
        [Entry(f"N{i:02d}", Kind.PERSON, "张伟") for i in range(12)] + [Entry("J1", Kind.PERSON, "张伟杰")]
    )
    collapsed = Query("张伟", namesake_limit=NAMESAKE_LIMIT)
    queries = [LabelledQuery(collapsed, "exact", "N09"), LabelledQuery(collapsed, "exact", "N01")]
    results = index.query_batch([lq.query for lq in queries])
    strict = evaluate(results, queries).stats["exact"]
    assert (strict.top10, strict.found, strict.band["absent"]) == (1, 1, 1)  # N09 was collapsed away
    named = evaluate(results, queries, index.names_of).stats["exact"]
    assert (named.top10, named.top10_named, named.band["namesake"], named.band["review"]) == (1, 2, 1, 1)
    assert index.names_of("J1") == ("张伟杰",)


def test_text_column_behaves_like_a_list() -> None:
    items = ["张伟", "", "买买提·艾力", "Zhang Wei", "𠀀x"]
    column = TextColumn.from_strings(iter(items), block=2)
    assert list(column) == items and len(column) == 5 and column == items
    assert column[-1] == "𠀀x" and column[1:4] == items[1:4] and column[::2] == items[::2]
    fixed = TextColumn("ab" * 3, 2)
    assert list(fixed) == ["ab"] * 3 and fixed[2] == "ab"
    with pytest.raises(IndexError):
        column[5]


def test_false_reviews_are_counted_by_the_strongest_name_evidence() -> None:
    """bench/evaluate.py reports how often an unlisted name lands in review, and on what evidence."""
    index = ScreeningIndex.build(
        [Entry("P1", Kind.PERSON, "张伟", None), Entry("P2", Kind.PERSON, "张伟杰", None)]
    )
    queries = [
        LabelledQuery(Query("张伟"), "neg_unlisted_name", None),  # exact namesake (and 张伟杰 one edit)
        LabelledQuery(Query("章伟"), "neg_unlisted_name", None),  # homophone
        LabelledQuery(Query("张伟明"), "neg_unlisted_name", None),  # one edit from both
        LabelledQuery(Query("欧阳娜娜"), "neg_unlisted_name", None),  # nothing near: clear
        LabelledQuery(Query("张伟"), "exact", "P1"),  # a positive: not counted
    ]
    report = run_evaluation(index, queries).false_reviews()
    assert (report.queries, report.reviewed) == (4, 3)
    assert report.by_level == {"exact": 1, "homophone": 1, "edit1": 1}
    assert +report.negative_score == {"edit1": 1}  # + drops the zero counts
    assert "3 of 4 unlisted names answered review (75.0%)" in report.table()
