"""Speed and recall-versus-brute-force benchmark of the screening index.

    .venv/bin/python bench/screening_bench.py                 # 100k and 1M entries
    .venv/bin/python bench/screening_bench.py --sizes 100000  # one size
    .venv/bin/python bench/screening_bench.py --10m           # adds 10M (about 10 minutes)

Per list size it prints: index build time, memory (RSS delta of the build, numpy arrays held by the
index, tracemalloc peak for sizes ≤ 200k; the time and peak RSS of each stage — generating the
synthetic list, each build stage, queries, batch, brute force — and the peak RSS of the whole
process, input included), single-query latency p50/p90/p99 over a mix of name variants,
identifiers and negatives, batch throughput (``query_batch`` over --batch partner-style subjects: 90 %
unlisted people with their own IDs, 5 % listed people with IDs, 5 % names only), and, in the same
run, brute-force rapidfuzz ``process.extract`` over the same normalised names for the latency ratio
and for recall against brute force: of the names brute force finds at normalised Levenshtein
similarity ≥ 0.66 (at most one edit in a name of ≥ 3 characters, or equal), the share the index
returns in its review/match candidates.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import time
import tracemalloc
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from screening import Query, ScreeningIndex
from screening.evaluation import labelled_queries, person_names, resident_ids, synthetic_list
from screening.text import normalise_many


def rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Stages:
    """Time and peak RSS of each stage of a run.

    The kernel's high-water mark (VmHWM) is read at the end of each stage and then reset through
    ``/proc/self/clear_refs``, so each stage gets its own peak; the process peak is the maximum over
    all stages. Where the reset is not allowed, each stage shows the peak so far.
    """

    def __init__(self) -> None:
        self.name: str | None = None
        self.started = time.perf_counter()
        self.process_peak = max_rss_mib()
        self.rows: list[tuple[str, float, float, float]] = []
        self.resettable = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            return False
        return True

    @staticmethod
    def _hwm_mib() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return max_rss_mib()  # pragma: no cover

    def __call__(self, name: str | None) -> None:
        """End the current stage (if any) and start ``name`` (None: just end it)."""
        now = time.perf_counter()
        if self.name is not None:
            peak = self._hwm_mib()
            self.process_peak = max(self.process_peak, peak)
            self.rows.append((self.name, now - self.started, peak, rss_mib()))
            if self.resettable:
                self._reset()
        self.name, self.started = name, time.perf_counter()

    def report(self, rows: list[tuple[str, float, float, float]]) -> None:
        what = "peak RSS" if self.resettable else "peak so far"
        print(f"  {'stage':<34} {'time':>8} {what:>12} {'RSS at end':>12}")
        for name, seconds, peak, rss in rows:
            print(f"  {name:<34} {seconds:7.1f}s {peak:8,.0f} MiB {rss:8,.0f} MiB")


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(values: list[float]) -> str:
    arr = np.array(values) * 1000
    p50, p90, p99 = (np.percentile(arr, q) for q in (50, 90, 99))
    return f"p50 {p50:.3f} ms  p90 {p90:.3f} ms  p99 {p99:.3f} ms"


def partner_batch(listed, n: int, seed: int) -> list[Query]:  # type: ignore[no-untyped-def]
    """Partner-style subjects: mostly people not on the list, with their own IDs."""
    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    names = person_names(rng, n)
    ids = resident_ids(rng, n)
    persons = np.flatnonzero(listed.kinds == 0)
    out = []
    for i in range(n):
        r = rnd.random()
        if r < 0.05:
            j = int(persons[rnd.randrange(len(persons))])
            out.append(Query(listed.names[j], listed.identifiers[j]))
        elif r < 0.10:
            out.append(Query(names[i]))
        else:
            out.append(Query(names[i], ids[i]))
    return out


def run(size: int, args: argparse.Namespace, stages: Stages) -> None:
    print(f"\n=== {size:,} entries ===", flush=True)
    first_row = len(stages.rows)
    stages("synthetic list")
    t = time.perf_counter()
    listed = synthetic_list(size, seed=args.seed)
    print(f"synthetic list generated in {time.perf_counter() - t:.1f} s", flush=True)
    gc.collect()
    trace = size <= 200_000 and not args.no_tracemalloc  # tracemalloc slows a 1M build ~20×
    rss0 = rss_mib()
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    index = ScreeningIndex.build(
        listed.entries(), progress=lambda stage: stages(None if stage == "done" else f"build: {stage}")
    )
    build = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else float("nan")
    if trace:
        tracemalloc.stop()
    gc.collect()
    rss1 = rss_mib()
    print(f"build: {build:.1f} s   ({size / build:,.0f} entries/s)")
    print(
        f"memory: RSS +{rss1 - rss0:,.0f} MiB after build ({rss1:,.0f} MiB with the input); numpy arrays "
        f"{index.memory_bytes() / 2**20:,.0f} MiB; tracemalloc peak {peak:,.0f} MiB; "
        f"process peak RSS so far {stages.process_peak:,.0f} MiB"
    )
    stages.report(stages.rows[first_row:])
    stages("labelled queries")
    labelled = labelled_queries(listed, per_variant=args.per_variant, seed=args.seed + 1)
    stages("single queries")
    queries = [lq.query for lq in labelled]
    for q in queries[:50]:
        index.query(q)  # warm caches
    latencies = []
    for q in queries:
        t = time.perf_counter()
        index.query(q)
        latencies.append(time.perf_counter() - t)
    print(
        f"single query ({len(queries)} mixed queries): {percentiles(latencies)}  max {max(latencies) * 1000:.1f} ms"
    )
    stages("batch")
    batch = partner_batch(listed, args.batch, args.seed + 2)
    t = time.perf_counter()
    results = index.query_batch(batch)
    elapsed = time.perf_counter() - t
    bands = {b: sum(1 for r in results if r.band.value == b) for b in ("match", "review", "clear")}
    print(
        f"batch: {len(batch):,} partner subjects in {elapsed:.1f} s ({len(batch) / elapsed:,.0f}/s)  bands {bands}"
    )
    stages("brute force")
    brute_force(index, listed, labelled, latencies, args)
    stages(None)
    stages.report(stages.rows[-4:])
    print(f"process peak RSS (everything so far, input included): {stages.process_peak:,.0f} MiB", flush=True)
    del index, listed
    gc.collect()


def brute_force(index, listed, labelled, latencies, args) -> None:  # type: ignore[no-untyped-def]
    """rapidfuzz over the same normalised person names: latency ratio and recall of the index.

    Two brute-force reference sets per query: (a) every listed name within one edit (Levenshtein
    distance ≤ 1, the longer name ≥ 3 characters) or equal — what the engine promises to find; (b) every
    name with normalised Levenshtein similarity ≥ 0.66, which also admits two edits in names of six
    or more characters (minority names sharing one part), outside that promise.
    """
    # The brute-force baseline scans every listed name (persons and organisations), as a naive
    # implementation would; recall is measured on the person entries it returns.
    choices: list[str] = []
    block = 1 << 20
    for start in range(0, len(listed), block):  # a block at a time: ~60 B per name, not ~200
        norm = normalise_many(listed.names[start : start + block])
        choices.extend(n.replace("·", "").replace(" ", "") for n in norm)
    del norm
    person = listed.kinds == 0
    han = [
        lq
        for lq in labelled
        if lq.query.name and lq.query.identifier is None and lq.expected and lq.expected[0] == "P"
    ]
    han = [lq for lq in han if not lq.query.name.isascii()][: args.brute]
    found = {"edit": [0, 0], "sim": [0, 0]}
    bf_times: list[float] = []
    ratio_times: list[float] = []
    for lq in han:
        name = normalise_many([lq.query.name])[0].replace("·", "").replace(" ", "")
        t = time.perf_counter()
        near = process.extract(name, choices, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
        bf_times.append(time.perf_counter() - t)
        similar = process.extract(
            name, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=0.66, limit=None
        )
        t = time.perf_counter()
        process.extract(name, choices, scorer=fuzz.ratio, limit=10)
        ratio_times.append(time.perf_counter() - t)
        wanted = {
            "edit": {
                listed.entry_ids[h[2]]
                for h in near
                if person[h[2]] and (h[1] == 0 or max(len(h[0]), len(name)) >= 3)
            },
            "sim": {listed.entry_ids[h[2]] for h in similar if person[h[2]]},
        }
        if not wanted["sim"] and not wanted["edit"]:
            continue
        # Retrieval, not presentation: every candidate, namesakes not collapsed.
        result = index.query(replace(lq.query, limit=100_000, kind=None, namesake_limit=None))
        got = {m.entry_id for m in result.matches if m.band.value != "clear"}
        for key, ids in wanted.items():
            found[key][0] += len(ids & got)
            found[key][1] += len(ids)
    p50_index = float(np.median(latencies))
    print(
        f"brute force over {len(choices):,} names: process.extract(fuzz.ratio, limit=10) p50 "
        f"{np.median(ratio_times) * 1000:.1f} ms; process.extract(Levenshtein.distance ≤ 1) p50 "
        f"{np.median(bf_times) * 1000:.1f} ms"
    )
    edit, sim = found["edit"], found["sim"]
    print(
        f"latency ratio (brute-force fuzz.ratio p50 / index p50): {np.median(ratio_times) / p50_index:,.0f}×\n"
        f"recall vs brute force over {len(han)} Han name-only queries: within one edit "
        f"{edit[0]}/{edit[1]} = {edit[0] / max(edit[1], 1):.4f};  normalised similarity ≥ 0.66 "
        f"{sim[0]}/{sim[1]} = {sim[0] / max(sim[1], 1):.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--10m", dest="ten_million", action="store_true", help="also run 10,000,000 entries")
    parser.add_argument("--batch", type=int, default=100_000, help="partner subjects in the batch test")
    parser.add_argument("--per-variant", type=int, default=40, help="latency queries per variant kind")
    parser.add_argument("--brute", type=int, default=150, help="queries compared with brute force")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip tracemalloc (it slows the build)")
    args = parser.parse_args()
    sizes = list(args.sizes) + ([10_000_000] if args.ten_million else [])
    stages = Stages()
    for size in sizes:
        run(size, args, stages)


if __name__ == "__main__":
    main()
