#!/usr/bin/env python3
"""The erasure-coded volume section of docs/BENCHMARKS.md from a bench/nbd-bench.sh run with
--targets keel-r3,keel-ec: fio over NBD on a 3+2 volume (failure domain disk) against a
3-replica volume (failure domain host), medians of the rounds, ratio EC / 3 replicas."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_doc import replace_section  # noqa: E402

JOBS = (("randread", "4 KiB random read, QD32", "IOPS"), ("randwrite", "4 KiB random write, QD32", "IOPS"),
        ("read", "1 MiB sequential read, QD8", "MB/s"), ("write", "1 MiB sequential write, QD8", "MB/s"))


def main():
    a = argparse.ArgumentParser()
    for opt in ("results", "doc", "size-mib", "runtime", "rounds", "date", "cores", "keel", "placement"):
        a.add_argument("--" + opt, required=True)
    a.add_argument("--write-doc", type=int, default=1)
    args = a.parse_args()
    runs, cpus = {}, {}
    for line in open(args.results):
        label, job, iops, mbps, cpu, _round = line.split()
        runs.setdefault((label, job), []).append((float(iops), float(mbps)))
        cpus.setdefault((label, job), []).append(float(cpu))

    def med(label, job, unit):
        vals = [i if unit == "IOPS" else m for i, m in runs.get((label, job), [])]
        return statistics.median(vals) if vals else 0.0

    rows = ["| job | unit | 3 replicas | EC 3+2 | EC / 3 replicas | CPU µs/op, 3 replicas | CPU µs/op, EC 3+2 |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for job, name, unit in JOBS:
        r3, ec = med("keel-r3", job, unit), med("keel-ec", job, unit)
        c3 = statistics.median(cpus.get(("keel-r3", job), [0.0]))
        cec = statistics.median(cpus.get(("keel-ec", job), [0.0]))
        ratio = ec / r3 if r3 else 0.0
        rows.append(f"| {name} | {unit} | {r3:,.0f} | {ec:,.0f} | {ratio:.2f}x | {c3:.0f} | {cec:.0f} |")
    fills = []
    for label, what in (("keel-r3", "3 replicas"), ("keel-ec", "EC 3+2")):
        if (label, "fill_1M_QD8") in runs:
            fills.append(f"{what} {runs[(label, 'fill_1M_QD8')][0][1]:.1f} MB/s")
    placement = "; ".join(l.strip() for l in open(args.placement) if l.strip())
    section = "\n".join([
        "<!-- BEGIN bench/nbd-bench.sh erasure-coded: generated, do not edit by hand -->",
        f"Run {args.date} by `bench/nbd-bench.sh --targets keel-r3,keel-ec --size-mib {args.size_mib}"
        f" --runtime {args.runtime} --rounds {args.rounds}`, Keel `{args.keel}`, {args.cores} cores shared by"
        " the three nodes and fio. fio's nbd engine against node1 of a `keel up` cluster (3 nodes, 2 storage"
        " disks each, directories on one filesystem): a 3-replica volume (failure domain host) and a 3+2"
        " erasure-coded one (failure domain disk, 1.67x raw instead of 3x), each written whole once first;"
        f" medians of {args.rounds} rounds of {args.runtime} s, the volumes taking turns job by job. CPU µs/op"
        " is the three node processes' CPU time per operation.",
        "",
        *rows,
        "",
        f"First fill (1 MiB writes, QD8): {', '.join(fills)}. Chunk files per node: {placement}.",
        "<!-- END bench/nbd-bench.sh erasure-coded -->",
    ])
    print(section)
    if args.write_doc:
        replace_section(args.doc, "bench/nbd-bench.sh erasure-coded", section,
                        heading="## Erasure-coded volumes over NBD (issue 9)")


if __name__ == "__main__":
    main()
