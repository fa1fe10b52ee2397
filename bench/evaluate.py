"""Quality report of the screening engine on labelled synthetic data (deterministic by seed).

    .venv/bin/python bench/evaluate.py                  # 100k-entry list, 300 queries per variant
    .venv/bin/python bench/evaluate.py --size 1000000 --per-variant 500

Prints, per variant kind, where the true entry ranks (top 1, top 10 as returned, top 10 expected when
entries with equal evidence come in random order, top 10 with ties sharing a rank, found at all) and
its band; for negatives the band of the answer; precision per
overall band; the quality targets; the false-review rate (unlisted people queried by name alone and
answered ``review``, by the strongest name evidence); and a measurement of masked-ID evidence: how often an unlisted
person's publicly masked ID (14 visible digits) is compatible with some listed entry, and how often
that coincides with a name agreement (the precision of "masked ID compatible + name agreement →
match").
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from sanctions.identifiers import mask_resident_id
from screening import Query, ScreeningIndex
from screening.evaluation import (
    ID_GROUPS,
    NEGATIVES,
    ORG_NAME_VARIANTS,
    PERSON_NAME_VARIANTS,
    labelled_queries,
    person_names,
    resident_ids,
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


def mask_collisions(index: ScreeningIndex, listed_names: list[str], n: int, seed: int) -> None:
    """Unlisted people with their own masked IDs: how often does the mask alone, and mask + name, hit?"""
    rng = np.random.default_rng(seed)
    ids = resident_ids(rng, n)
    names = person_names(rng, n)
    listed = set(listed_names)
    mask_only = index.query_batch([Query(None, mask_resident_id(i)) for i in ids])
    with_name = index.query_batch([Query(nm, mask_resident_id(i)) for nm, i in zip(names, ids, strict=True)])
    hits = sum(1 for r in mask_only if r.matches)
    false_matches = sum(1 for r in with_name if r.band.value == "match")
    namesakes = sum(1 for nm in names if nm in listed)
    print(
        f"\nmasked-ID evidence ({n:,} unlisted people, public mask, 14 visible digits):\n"
        f"  mask alone compatible with some listed entry: {hits:,} ({hits / n:.4%}) -> band review, never match\n"
        f"  name + masked ID: {namesakes:,} of them share an exact name with the list; "
        f"false matches {false_matches} ({false_matches / n:.5%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--per-variant", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mask-trials", type=int, default=100_000)
    args = parser.parse_args()
    t = time.perf_counter()
    listed = synthetic_list(args.size, seed=args.seed)
    index = ScreeningIndex.build(listed.entries())
    queries = labelled_queries(listed, per_variant=args.per_variant, seed=args.seed + 4)
    built = time.perf_counter() - t
    print(
        f"list {args.size:,} entries, {len(queries):,} labelled queries (seed {args.seed}); built in {built:.1f} s"
    )
    evaluation = run_evaluation(index, queries)
    print()
    print(evaluation.table())
    person, org = list(PERSON_NAME_VARIANTS), list(ORG_NAME_VARIANTS)
    print("\ntargets")
    with_id = evaluation.band_share(sorted(ID_GROUPS), "match")
    print(f"  with an ID: true entry in band match            {with_id:.4f}  (≥ 0.995)")
    print(
        f"  namesake / contradicting-ID negatives matched   {evaluation.false_matches(ID_NEGATIVES)}  (must be 0)"
    )
    print(f"  any negative matched                            {evaluation.false_matches(NEGATIVES)}")
    print(f"  name-only: true entry in review                 {evaluation.band_share(person, 'review'):.4f}")
    print(
        f"  name-only: top 10 as returned                   {evaluation.share(person, 'top10'):.4f}  (≥ 0.98)"
    )
    print(
        f"  name-only: top 10, equal evidence in random order {evaluation.share(person, 'top10_expected'):.4f}"
        "  (the most any ranking can expect without knowing the answer)"
    )
    print(
        f"  name-only: top 10 with ties sharing a rank      {evaluation.share(person, 'top10_tied'):.4f}  (≥ 0.98)"
    )
    print(
        f"  name-only: top 10, or a collapsed namesake      {evaluation.share(person, 'top10_named'):.4f}"
        "  (the entry, or a returned namesake standing for it)"
    )
    print(
        f"  name-only: true entry in review, or a namesake  "
        f"{evaluation.band_share(person, 'review') + evaluation.band_share(person, 'namesake'):.4f}"
    )
    print(f"  company names: in review and top 10             {evaluation.share(org, 'top10'):.4f}  (≥ 0.98)")
    print("\nper band: what an answer in it means")
    for band, (count, positives, precision) in evaluation.band_precision().items():
        meaning = (
            f"precision (top match is the true entry) {precision:.4f}" if band != "clear" else "(missed)"
        )
        print(f"  {band:<7} {count:>6} answers, {positives:>6} of them for a listed subject; {meaning}")
    print()
    print(evaluation.false_reviews().table())
    print(
        "  (a name alone is review by design: a listed namesake or near name must be looked at; the "
        "identifier decides)"
    )
    mask_collisions(index, listed.names, args.mask_trials, args.seed + 5)


if __name__ == "__main__":
    main()
