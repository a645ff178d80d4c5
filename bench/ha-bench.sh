#!/usr/bin/env bash
# HA failover: kill -9 of a node to its VM running elsewhere, and a maintenance evacuation.
#
#   bench/ha-bench.sh [--runs N] [--evacuate K] [--no-doc]
#
#   --runs N       power losses to measure (default 10); the report gives the median and the worst
#   --evacuate K   running VMs to evacuate with maintenance mode afterwards (default 5; 0 skips it)
#   --no-doc       print the results, leave docs/BENCHMARKS.md alone
#
# It runs keel-testkit's HaFailoverBench: three real node processes on 127.0.0.1 (LocalCluster)
# with the node defaults (1 s heartbeats, 10 s detection, 10 s write leases), a failover VM
# booted on TCG from a 2-replica Keel volume on node2. Each run kills node2 and the VM's QEMU with
# SIGKILL (a power loss) and splits the time to the VM running on another node at the HA
# engine's events: detection (kill to "node lost"), fencing wait ("lost" to "fenced": the node's
# leases running out) and restart ("fenced" to QEMU running on the new node). node2 is started
# again and the VM migrates back before the next run. Then K VMs run on node2 and node2 enters
# maintenance: the time until all K run elsewhere. The sections between the ha-bench markers in
# docs/BENCHMARKS.md (failover, evacuation) are replaced with the figures this run measured, so
# --runs 0 measures the evacuation alone and keeps the failover figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

RUNS=10 EVACUATE=5 WRITE_DOC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --evacuate) EVACUATE=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$RUNS" in *[!0-9]*|'') keel_die "--runs takes a number, not '$RUNS'" ;; esac
case "$EVACUATE" in *[!0-9]*|'') keel_die "--evacuate takes a number of VMs, not '$EVACUATE'" ;; esac

keel_apt_install qemu-system-x86 qemu-utils libnbd-bin python3
WORK=$(mktemp -d /tmp/keel-ha-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
log() { echo "ha-bench: $*" >&2; }

log "$RUNS power losses, then a maintenance evacuation of $EVACUATE VMs; this takes about $((RUNS + 3)) minutes"
(cd "$ROOT" && mvn -B -ntp -o -Dstyle.color=never -pl keel-testkit -am verify -Dit.test=HaFailoverBench \
  -Dkeel.bench.runs="$RUNS" -Dkeel.bench.evacuate="$EVACUATE" -Dkeel.bench.out="$WORK/results.txt" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) \
  >"$WORK/mvn.log" 2>&1 || { tail -n 60 "$WORK/mvn.log" >&2; keel_die "the benchmark run failed (log above)"; }
[ -s "$WORK/results.txt" ] || keel_die "the benchmark wrote no results"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$WORK/results.txt" "$ROOT/docs/BENCHMARKS.md" "$WRITE_DOC" "$RUNS" "$EVACUATE" "$COMMIT" "$(nproc)" <<'PY'
import statistics, sys, time
results, doc, write_doc, runs, evacuate, commit, cores = sys.argv[1:8]
fails, evac = [], []
for line in open(results):
    f = line.split()
    if f[0] == "failover":
        fails.append([int(x) for x in f[1:]])
    elif f[0] == "evacuate":
        evac.append((int(f[1]), int(f[2])))
def col(i):
    xs = [r[i] / 1000 for r in fails]
    return f"{statistics.median(xs):.1f} s / {max(xs):.1f} s"
rows = [] if not fails else ["| phase | median / worst |", "| --- | ---: |",
        f"| detection (kill to node lost) | {col(1)} |",
        f"| fencing wait (lost to leases expired) | {col(2)} |",
        f"| restart (fenced to QEMU running elsewhere) | {col(3)} |",
        f"| **kill -9 to VM running elsewhere** | **{col(0)}** |",
        f"| kill -9 to guest booted (TCG) | {col(4)} |"]
def replace(text, name, section):
    begin, end = f"<!-- BEGIN {name}", f"<!-- END {name} -->"
    if begin in text:
        head, rest = text.split(begin, 1)
        return head + section + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + section + "\n"
stamp = (f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/ha-bench.sh --runs {runs}"
         f" --evacuate {evacuate}`, Keel `{commit}`, {cores} cores.")
sections = {}
if fails:
    sections["bench/ha-bench.sh failover"] = "\n".join([
        "<!-- BEGIN bench/ha-bench.sh failover: generated, do not edit by hand -->",
        "## HA failover (bench/ha-bench.sh)",
        "",
        stamp + " Three node processes on one machine with the node defaults (1 s heartbeats,"
        " 10 s detection, 10 s write leases); a failover VM (test guest on TCG, 128 MiB, 2-replica boot volume) on"
        f" node2, which is killed with SIGKILL together with the VM's QEMU, {len(fails)} times. Phases are cut at the"
        " HA engine's cluster events. Goal: median under 15 s (Proxmox VE's defaults take about 2 minutes).",
        "",
        *rows,
        "<!-- END bench/ha-bench.sh failover -->"])
if evac:
    sections["bench/ha-bench.sh evacuation"] = "\n".join([
        "<!-- BEGIN bench/ha-bench.sh evacuation: generated, do not edit by hand -->",
        "## Maintenance evacuation (bench/ha-bench.sh)",
        "",
        stamp + " Three node processes on one machine; running test guests (TCG, 128 MiB, 2-replica boot"
        " volumes) on node2, which enters maintenance mode (`POST /api/v1/nodes/node2/maintenance`); timed until"
        " every VM runs on another node.",
        "",
        "| running VMs | evacuation time |", "| ---: | ---: |",
        *[f"| {n} | {ms / 1000:.1f} s |" for n, ms in evac],
        "<!-- END bench/ha-bench.sh evacuation -->"])
for name, section in sections.items():
    print(section)
if write_doc == "1":
    text = open(doc).read()
    for name, section in sections.items():
        text = replace(text, name, section)
    open(doc, "w").write(text)
PY
