#!/usr/bin/env bash
# Live migration of a running VM between two Keel nodes: total time and downtime.
#
#   bench/vm-migrate-bench.sh [--ram-mib LIST] [--rounds R] [--no-doc]
#
#   --ram-mib LIST  guest RAM sizes, comma-separated MiB (default 128,512)
#   --rounds R      round trips node2 -> node3 -> node2 per size (default 2); the report gives the
#                   median and the worst of the 2R migrations
#   --no-doc        print the results, leave docs/BENCHMARKS.md alone
#
# It runs keel-testkit's VmMigrationBench: three real node processes on 127.0.0.1 (LocalCluster),
# the test guest booted on TCG from a 2-replica Keel volume, moved with the API's live migration
# (ADR 0019), each migration's figures as the VM record reports them: total (start to the guest
# running on the target), QEMU's downtime, and the pause the guest saw (its stop on the source to
# its resume on the target, disks' lease hand-over included). The section between the
# vm-migrate-bench markers in docs/BENCHMARKS.md is replaced with the figures of this run. The
# cluster, its QEMUs and its data go when the run ends, failed or not.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

RAM=128,512 ROUNDS=2 WRITE_DOC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ram-mib) RAM=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$RAM" in *[!0-9,]*|'') keel_die "--ram-mib takes MiB sizes separated by commas, not '$RAM'" ;; esac
case "$ROUNDS" in *[!0-9]*|''|0) keel_die "--rounds takes a positive number, not '$ROUNDS'" ;; esac

keel_apt_install qemu-system-x86 qemu-utils libnbd-bin python3
WORK=$(mktemp -d /tmp/keel-migrate-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
log() { echo "vm-migrate-bench: $*" >&2; }

log "guest RAM $RAM MiB, $ROUNDS round trip(s) each; this takes a few minutes"
(cd "$ROOT" && mvn -B -ntp -o -Dstyle.color=never -pl keel-testkit -am verify -Dit.test=VmMigrationBench \
  -Dkeel.bench.ramMiB="$RAM" -Dkeel.bench.rounds="$ROUNDS" -Dkeel.bench.out="$WORK/results.txt" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) \
  >"$WORK/mvn.log" 2>&1 || { tail -n 60 "$WORK/mvn.log" >&2; keel_die "the benchmark run failed (log above)"; }
[ -s "$WORK/results.txt" ] || keel_die "the benchmark wrote no results"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$WORK/results.txt" "$ROOT/docs/BENCHMARKS.md" "$WRITE_DOC" "$RAM" "$ROUNDS" "$COMMIT" "$(nproc)" <<'PY'
import statistics, sys, time
results, doc, write_doc, ram, rounds, commit, cores = sys.argv[1:8]
by = {}
for line in open(results):
    r, total, down, pause = (int(x) for x in line.split())
    by.setdefault(r, []).append((total, down, pause))
rows = ["| guest RAM | migrations | total (median / worst) | QEMU downtime (median / worst) | guest pause (median / worst) |",
        "| ---: | ---: | ---: | ---: | ---: |"]
for r in sorted(by):
    runs = by[r]
    col = lambda i: f"{statistics.median(x[i] for x in runs):.0f} / {max(x[i] for x in runs)} ms"
    rows.append(f"| {r} MiB | {len(runs)} | {col(0)} | {col(1)} | {col(2)} |")
section = "\n".join([
    "<!-- BEGIN bench/vm-migrate-bench.sh: generated, do not edit by hand -->",
    "## Live migration (bench/vm-migrate-bench.sh)",
    "",
    f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/vm-migrate-bench.sh --ram-mib {ram} --rounds {rounds}`,"
    f" Keel `{commit}`, {cores} cores. Three node processes on one machine, the test guest (Debian cloud kernel,"
    " busybox) on TCG, disks on 2-replica Keel volumes, moved node2 to node3 and back while it runs. Total: start"
    " to running on the target. QEMU downtime: QEMU's own figure for the stop-and-copy. Guest pause: stop on the"
    " source to resume on the target, including the disks' write-lease hand-over (ADR 0019).",
    "",
    *rows,
    "<!-- END bench/vm-migrate-bench.sh -->"])
print(section)
if write_doc == "1":
    text = open(doc).read()
    begin, end = "<!-- BEGIN bench/vm-migrate-bench.sh", "<!-- END bench/vm-migrate-bench.sh -->"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(doc, "w").write(text)
PY
