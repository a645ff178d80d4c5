#!/usr/bin/env python3
"""Turns the raw figures of bench/iscsi-bench.sh into its section of docs/BENCHMARKS.md.

Every number in the section comes from the files the run wrote; nothing is typed in by hand.
"""
import argparse
import json
import re
import statistics
import sys

BEGIN = "<!-- BEGIN bench/iscsi-bench.sh: generated, do not edit by hand -->"
END = "<!-- END bench/iscsi-bench.sh -->"
JOBS = [("randread", "4 KiB random read, QD32 (fio)", "IOPS"),
        ("randwrite", "4 KiB random write, QD32 (fio)", "IOPS"),
        ("read", "1 MiB sequential read, QD8 (fio)", "MB/s"),
        ("write", "1 MiB sequential write, QD8 (fio)", "MB/s"),
        ("perf", "4 KiB random read, QD32 (iscsi-perf)", "IOPS"),
        ("perf1", "4 KiB random read, QD1 (iscsi-perf)", "IOPS")]
# QD1 shows how much of the QD32 rate comes from requests served in parallel; no goal of its own.
NO_GOAL = {"perf1"}
TARGETS = ("tgt", "keel-r1", "keel-r3")
# The goal of issue 7: a 1-replica volume at least as fast as tgt on every job. 3 replicas: report only.
GOAL_R1 = 1.0


def main():
    p = argparse.ArgumentParser()
    for a in ["results", "doc", "write-doc", "size-mib", "runtime", "rounds", "date", "cores", "cpu", "mem",
              "kernel", "fs", "load-start", "load-end", "fio", "tgt", "qemu", "libiscsi", "libnbd", "java", "keel",
              "up-retries", "short-cp"]:
        p.add_argument("--" + a, required=True)
    p.add_argument("--group")
    a = p.parse_args()

    runs, cpus = {}, {}
    for line in open(a.results):
        label, job, iops, mbps, cpu, _round = line.split()
        runs.setdefault((label, job), []).append((float(iops), float(mbps)))
        cpus.setdefault((label, job), []).append(float(cpu))
    res = {k: (statistics.median(i for i, _ in v), statistics.median(m for _, m in v)) for k, v in runs.items()}

    def val(label, job, unit):
        iops, mbps = res.get((label, job), (0.0, 0.0))
        return iops if unit == "IOPS" else mbps

    def spread(label, job, unit):
        vals = [i if unit == "IOPS" else m for i, m in runs.get((label, job), [])]
        if len(vals) < 2:
            return ""
        return " (%.0f-%.0f)" % (min(vals), max(vals))

    rows, goal_rows = [], []
    for job, name, unit in JOBS:
        t, k1, k3 = (val(x, job, unit) for x in TARGETS)
        r1, r3 = (k1 / t if t else 0.0), (k3 / t if t else 0.0)
        fmt = (lambda v: "%.0f" % v) if unit == "IOPS" else (lambda v: "%.1f" % v)
        rows.append(f"| {name} | {unit} | {fmt(t)}{spread('tgt', job, unit)} | {fmt(k1)}{spread('keel-r1', job, unit)} "
                    f"| {r1:.2f}x | {fmt(k3)}{spread('keel-r3', job, unit)} | {r3:.2f}x |")
        if job in NO_GOAL:
            continue
        goal_rows.append(f"| 1 replica | {name} | >= {GOAL_R1:.1f}x | {r1:.2f}x | "
                         f"{'met' if r1 >= GOAL_R1 else '**not met**'} |")
    met = sum(1 for r in goal_rows if r.endswith("| met |"))
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    cpu_rows = []
    for job, name, unit in JOBS:
        t, k1, k3 = (cpu.get((x, job), 0.0) for x in TARGETS)
        cpu_rows.append(f"| {name} | {t:.0f} | {k1:.0f} | {k1 / t if t else 0:.1f}x | {k3:.0f} |")
    fills = []
    for label, what in (("tgt", "tgt"), ("keel-r1", "Keel, 1 replica"), ("keel-r3", "Keel, 3 replicas")):
        if (label, "fill_1M_QD8") in res:
            fills.append(f"{what} {res[(label, 'fill_1M_QD8')][1]:.1f} MB/s")
    served = ""
    if a.group:
        try:
            g = json.load(open(a.group))
            t1 = [t for t in g.get("targets", []) if t.get("nodeName") == "node1"][0]
            served = (f" Keel's target on node1 counted {t1.get('readOps', 0)} reads and {t1.get('writeOps', 0)} "
                      f"writes ({t1.get('readBytes', 0) / 2**30:.1f} GiB read, {t1.get('writeBytes', 0) / 2**30:.1f} "
                      f"GiB written) over the run, state {t1.get('state')}.")
        except (OSError, ValueError, IndexError, KeyError):
            served = ""
    # How much of the QD32 rate comes from serving requests in parallel: QD32 over QD1, iscsi-perf.
    qd_note = ""
    scale = {x: res[(x, "perf")][0] / res[(x, "perf1")][0] for x in TARGETS
             if (x, "perf") in res and (x, "perf1") in res and res[(x, "perf1")][0]}
    if "tgt" in scale and "keel-r1" in scale:
        qd_note = (f"iscsi-perf's 4 KiB random reads at QD32 over QD1: tgt {scale['tgt']:.1f}x, Keel 1 replica "
                   f"{scale['keel-r1']:.1f}x" + (f", 3 replicas {scale['keel-r3']:.1f}x" if "keel-r3" in scale else "")
                   + ". One request at a time Keel is at "
                   f"{res[('keel-r1', 'perf1')][0] / res[('tgt', 'perf1')][0]:.2f}x tgt.")
        if scale["keel-r1"] < 0.75 * scale["tgt"]:
            qd_note += (" With 32 in flight on the one session Keel gains much less than tgt: Keel's target "
                        "executes a session's commands one after the other on the connection's thread (ADR 0032, "
                        "Threading: read a PDU, execute it, answer, read the next), while tgtd hands them to its I/O "
                        "threads. The random-I/O ratios above measure that more than the data path.")
    load1 = max(float(a.load_start.split()[0]), float(a.load_end.split()[0]))
    load_note = ""
    if load1 >= 1.0:
        load_note = (f"\n**Other load was present** on this {a.cores}-core machine during the run (1-minute load "
                     f"average {a.load_start.split()[0]} at the start, {a.load_end.split()[0]} at the end; builds and "
                     f"tests of other work ran alongside), so absolute figures are noisy; baseline and Keel ran "
                     f"back to back in the same run.\n")

    out = [BEGIN, "## Keel volumes over iSCSI vs tgt (bench/iscsi-bench.sh)", "",
           f"Run {a.date} by `bench/iscsi-bench.sh --size-mib {a.size_mib} --runtime {a.runtime} --rounds {a.rounds}`, "
           f"Keel `{a.keel}`.", "",
           f"- Machine: {a.cores} cores ({a.cpu}), {a.mem} memory, kernel {a.kernel}, data on {a.fs}; "
           f"load average {a.load_start} at the start, {a.load_end} at the end.",
           f"- Tools: {a.tgt} (tgtd); {a.qemu} (qemu-storage-daemon, QEMU's libiscsi driver); {a.libiscsi} "
           f"(iscsi-perf); {a.fio} with its `nbd` ioengine; {a.libnbd}; {a.java}.",
           f"- Baseline: tgtd (userspace, `tgtd -f --iscsi portal=127.0.0.1:PORT` on its own control port) serving "
           f"a {a.size_mib} MiB raw file on the same filesystem as the Keel data folder as LUN 1 of one target "
           f"(backing store `rdwr`: pread/pwrite through the page cache, the fair match for Keel's chunk store, "
           f"which also writes through the page cache and flushes on SYNCHRONIZE CACHE).",
           f"- Keel: an embedded 3-node cluster on 127.0.0.1 (`keel up --iscsi-port`, 3 directory disks per node, "
           f"same filesystem), {a.size_mib} MiB volumes (64 MiB chunks) under a 1-replica policy (LUN 0) and a "
           f"3-replica policy (failure domain host, LUN 1) of one target group `bench` on node1 "
           f"(`POST /api/v1/iscsi/groups`, `POST /api/v1/iscsi/groups/bench/luns`), measured once both LUNs "
           f"reported node1's path active/optimized. All nodes on the one machine, so replication traffic shares "
           f"its {a.cores} cores and the loopback.{served}",
           f"- Load generators, the same for both targets. fio: `qemu-storage-daemon --blockdev "
           f"driver=iscsi,transport=tcp,portal=...,target=IQN,lun=N,cache.direct=on` (one iSCSI session) "
           f"re-exported with `--export type=nbd` on 127.0.0.1, and fio's `nbd` engine against that export, as "
           f"bench/nbd-bench.sh runs it; the QEMU hop costs both targets alike and caps what either can show. "
           f"iscsi-perf: `iscsi-perf -r -b 8 -m 32 iscsi://PORTAL/IQN/LUN` (libiscsi, its own session, no QEMU; "
           f"also `-m 1`, one request at a time, which shows how much of the QD32 rate comes from serving requests "
           f"in parallel; it has no goal), "
           f"bounded by `timeout -s INT`, the mean of its per-second 'iops current' after 2 s.",
           f"- Every device was written fully once (1 MiB, QD8) before the jobs, so reads hit written data "
           f"(fill rates: {'; '.join(fills)}), then read at random for 5 s, not counted (the Keel nodes' JIT compiles "
           f"the read path). Each job then ran {a.runtime} s time-based after 2 s of ramp, "
           f"one job at a time, no flushes, {a.rounds} round(s); the targets took turns job by job "
           f"(reversed every other round). Figures are the median of the rounds, with the range in brackets "
           f"when there were several; ratios are of medians. MB = 10^6 bytes.",
           load_note,
           (f"\n`keel up`/`keel down` ran through short class-path links: from this checkout the node class path "
            f"is {a.short_cp} bytes and `keel up` otherwise reports \"node1 exited during start\" while node1 runs "
            f"(the JDK cuts ProcessHandle.Info.commandLine() at 4096 bytes, past io.keel.node.Main).\n")
           if a.short_cp else "",
           (f"\n`keel up` failed {a.up_retries} time(s) in this run and was retried from scratch (a fresh cluster "
            f"each time).\n") if a.up_retries not in ("", "0") else "",
           "| job | unit | tgt | Keel 1 replica | ratio | Keel 3 replicas | ratio |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: |", *rows, "", qd_note, "",
           f"Goal of issue 7 (ratio to tgt; 3 replicas are reported, with no goal): {met} of {len(goal_rows)} met.", "",
           "| policy | job | goal | measured | |", "| --- | --- | --- | ---: | --- |", *goal_rows, "",
           "Server CPU per operation (µs of user and system time of tgtd, or of the three Keel node processes "
           "summed, from the end of the ramp to the end of the job; median of the rounds; the initiators' "
           "CPU is not counted):", "",
           "| job | tgtd | Keel 1 replica | 1 replica / tgtd | Keel 3 replicas |",
           "| --- | ---: | ---: | ---: | ---: |", *cpu_rows, "",
           END]
    section = "\n".join(l for l in out if l is not None) + "\n"
    section = re.sub(r"\n{3,}", "\n\n", section)
    print(section)
    if a.write_doc != "1":
        return
    try:
        text = open(a.doc).read()
    except FileNotFoundError:
        text = "# Benchmarks\n\nFigures written by the scripts in bench/, each run on one machine in one run.\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(a.doc, "w").write(text)
    print("written to " + a.doc, file=sys.stderr)


if __name__ == "__main__":
    main()
