#!/usr/bin/env bash
# Keel's S3 gateway vs nginx from Debian (the HTTP limit), same machine, same run, same client.
#
#   bench/s3-bench.sh [--seconds S] [--rounds R] [--warmup W] [--no-doc]
#
#   --seconds S   seconds per job and target (default 15)
#   --rounds R    times every job runs on every target (default 2); the report gives the median
#   --warmup W    seconds every job first runs unrecorded on every target (default 45): the nodes'
#                 optimising JIT was still compiling the request paths a minute into a job
#   --no-doc      print the results, leave docs/BENCHMARKS.md alone
#   --jobs LIST   comma-separated subset of put-1m,get-1m,put-64m,get-64m,put-4k,get-4k; implies --no-doc
#
# It runs keel-testkit's S3Bench: an embedded 3-node cluster (real node processes on 127.0.0.1,
# started with keel up's JVM options)
# whose S3 gateway on node1 stores objects under a 1-replica policy, and nginx serving a directory
# on the same filesystem (static GET, WebDAV PUT). One HTTP/1.1 client on virtual threads loads
# both: 1 MiB PUT/GET with 4 clients and 64 MiB PUT/GET with 2 (MB/s), 4 KiB PUT/GET with 16
# clients (operations/s). S3 requests are SigV4-signed (UNSIGNED-PAYLOAD); nginx's are plain. The
# targets take turns job by job, reversed every other round. The section between the s3-bench
# markers in docs/BENCHMARKS.md is replaced with this run's figures and their ratios to nginx
# (goal: GET >= 0.7x, PUT >= 0.5x).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

SECONDS_PER=15 ROUNDS=2 WARMUP=45 WRITE_DOC=1 JOBS=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    --jobs) JOBS=$2; WRITE_DOC=0; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$SECONDS_PER" in *[!0-9]*|'') keel_die "--seconds takes a number, not '$SECONDS_PER'" ;; esac
case "$ROUNDS" in *[!0-9]*|'') keel_die "--rounds takes a number, not '$ROUNDS'" ;; esac
case "$WARMUP" in *[!0-9]*|'') keel_die "--warmup takes a number of seconds, not '$WARMUP'" ;; esac

keel_apt_install nginx-light python3
WORK=$(mktemp -d /tmp/keel-s3-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
echo "s3-bench: 6 jobs x 2 targets x ($WARMUP s warm-up + $ROUNDS rounds x ${SECONDS_PER}s), plus a cluster start" >&2
(cd "$ROOT" && mvn -B -ntp -o -Dstyle.color=never -pl keel-testkit -am verify -Dit.test=S3Bench \
  -Dkeel.bench.seconds="$SECONDS_PER" -Dkeel.bench.rounds="$ROUNDS" -Dkeel.bench.warmup="$WARMUP" -Dit.heap=1g -Dkeel.bench.jobs="$JOBS" -Dkeel.bench.out="$WORK/results.txt" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) \
  >"$WORK/mvn.log" 2>&1 || { tail -n 60 "$WORK/mvn.log" >&2; keel_die "the benchmark run failed (log above)"; }
[ -s "$WORK/results.txt" ] || keel_die "the benchmark wrote no results"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
PYTHONPATH="$ROOT/bench" python3 - "$WORK/results.txt" "$ROOT/docs/BENCHMARKS.md" "$WRITE_DOC" "$SECONDS_PER" "$ROUNDS" "$COMMIT" "$(nproc)" "$WARMUP" <<'PY'
import statistics, sys, time
from bench_doc import replace_section
results, doc, write_doc, seconds, rounds, commit, cores, warmup = sys.argv[1:9]
values = {}
for line in open(results):
    job, target, _round, value = line.split()
    values.setdefault((job, target), []).append(float(value))
jobs = [("put-1m", "1 MiB PUT", "MB/s", 0.5), ("get-1m", "1 MiB GET", "MB/s", 0.7),
        ("put-64m", "64 MiB PUT", "MB/s", 0.5), ("get-64m", "64 MiB GET", "MB/s", 0.7),
        ("put-4k", "4 KiB PUT, 16 clients", "ops/s", 0.5), ("get-4k", "4 KiB GET, 16 clients", "ops/s", 0.7)]
rows = []
for key, label, unit, goal in jobs:
    n = statistics.median(values.get((key, "nginx"), [0]))
    k = statistics.median(values.get((key, "keel-r1"), [0]))
    ratio = k / n if n else 0
    rows.append(f"| {label} | {unit} | {n:,.0f} | {k:,.0f} | {ratio:.2f}x | {goal}x | {'met' if ratio >= goal else 'not met'} |")
section = "\n".join([
    "<!-- BEGIN bench/s3-bench.sh: generated, do not edit by hand -->",
    "## S3 gateway vs nginx (bench/s3-bench.sh)",
    "",
    f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/s3-bench.sh --seconds {seconds} --rounds {rounds}`,"
    f" Keel `{commit}`, {cores} cores. Medians of {rounds} rounds, after {warmup} s of every job on both targets unrecorded"
    " (the nodes' JIT warms up). Keel: the S3 gateway of node1 of an embedded"
    " 3-node cluster (node processes started as `keel up` starts them: optimising JIT, 1 GiB heaps), objects"
    " under a 1-replica policy; nginx (Debian) serving files on the same filesystem"
    " (static GET, WebDAV PUT). One HTTP/1.1 client (JDK, virtual threads) for both; S3 requests SigV4-signed"
    " with UNSIGNED-PAYLOAD, the signing key kept per day as SDKs keep it.",
    "",
    "| job | unit | nginx | Keel | Keel / nginx | goal | |",
    "|---|---|---:|---:|---:|---:|---|",
    *rows,
    "<!-- END bench/s3-bench.sh -->",
])
print(section)
if write_doc == "1":
    replace_section(doc, "bench/s3-bench.sh", section)
PY
