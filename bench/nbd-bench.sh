#!/usr/bin/env bash
# Keel volumes over NBD vs qemu-nbd, and the rebuild time after losing a node.
#
#   bench/nbd-bench.sh [--size-mib N] [--runtime S] [--rounds R] [--port-base P] [--grace D] [--no-doc]
#
#   --size-mib N   size of the raw file and of every volume, MiB (default 1024)
#   --runtime S    seconds per time-based fio job (default 20)
#   --rounds R     times every job runs on every target (default 2); the report gives the median
#   --port-base P  first of the ports this run uses on 127.0.0.1 (default 21000): Keel API P..P+2,
#                  metadata P+10..P+12, NBD P+20..P+22, qemu-nbd P+30. All must be free.
#   --grace D      grace period of the benchmark's cluster (keel up --grace-period; default 10s)
#   --no-doc       print the results, leave docs/BENCHMARKS.md alone
#   --targets LIST comma-separated subset of qemu,keel-r1,keel-r3,keel-ec (default qemu,keel-r1,keel-r3);
#                  implies --no-doc, except that keel-r3,keel-ec together write the erasure-coding
#                  section (a 3+2 volume, failure domain disk, against 3 replicas; issue 9)
#   --jobs LIST    comma-separated subset of randread,randwrite,read,write (default all); implies --no-doc
#   --no-rebuild   skip the rebuild part; implies --no-doc
#   (the three above are for iterating on one figure: the log lines carry IOPS, MB/s and CPU µs/op)
#
# In one run on this machine it measures, with fio's nbd engine (userspace NBD client, libnbd):
#   (a) qemu-nbd serving a raw file (--cache=writeback, --aio=threads, --discard=unmap), the baseline;
#   (b) a Keel volume under a 1-replica policy and (c) one under a 3-replica policy (failure
#       domain host), both exported by node1 of an embedded 3-node cluster of its own;
# each: 4 KiB random read and write at QD32, 1 MiB sequential read and write at QD8, after writing
# the whole device once. The targets take turns job by job (qemu-nbd, 1 replica, 3 replicas, in
# reverse order every other round), so that load from elsewhere on the machine hits all alike. Then it writes a 2-replica volume fully, kill -9s node3 and times how long
# until the volume reports "healthy" again. The section between the nbd-bench markers in
# docs/BENCHMARKS.md is replaced with the figures of this run. Everything it starts is stopped and
# its data removed on exit, failure included; node logs of a failed run are kept in /tmp.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

SIZE_MIB=1024 RUNTIME=20 ROUNDS=2 PORT_BASE=21000 GRACE=10s WRITE_DOC=1 NO_DOC=0
TARGETS="qemu keel-r1 keel-r3" JOBS="randread randwrite read write" REBUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) SIZE_MIB=$2; shift 2 ;;
    --runtime) RUNTIME=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --grace) GRACE=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; NO_DOC=1; shift ;;
    --targets) TARGETS=${2//,/ }; WRITE_DOC=0; shift 2 ;;
    --jobs) JOBS=${2//,/ }; WRITE_DOC=0; shift 2 ;;
    --no-rebuild) REBUILD=0; WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

keel_apt_install fio qemu-utils libnbd-bin python3 curl
fio --enghelp 2>/dev/null | grep -qw nbd \
  || keel_die "this fio ($(fio --version)) has no nbd ioengine; the benchmark needs it (Debian's fio 3.33 has it)"

API_PORT=$PORT_BASE RAFT_PORT=$((PORT_BASE + 10)) NBD_PORT=$((PORT_BASE + 20)) QEMU_PORT=$((PORT_BASE + 30))
for p in $API_PORT $((API_PORT + 1)) $((API_PORT + 2)) $RAFT_PORT $((RAFT_PORT + 1)) $((RAFT_PORT + 2)) \
         $NBD_PORT $((NBD_PORT + 1)) $((NBD_PORT + 2)) $QEMU_PORT; do
  if ss -Hltn "sport = :$p" | grep -q .; then keel_die "port $p is in use; pick other ports with --port-base"; fi
done

WORK=$(mktemp -d /tmp/keel-nbd-bench.XXXXXX)
export KEEL_DATA=$WORK/keel-data
QEMU_PID=
FAILED=1
log() { echo "nbd-bench: $*" >&2; }
"$ROOT/keel" --help >/dev/null 2>&1 || true  # builds Keel if sources changed since the last build
# 'keel up' tells whether a node it started still runs from ProcessHandle.Info.commandLine(), which
# the JDK cuts at 4096 bytes on Linux; the node's class path is every jar under
# keel-node/target/lib spelled out, so from a checkout with a longer path than /work/main (e.g. a
# worktree under /work/wt/) "io.keel.node.Main" falls past the cut and 'keel up' reports
# "node1 exited during start" while node1 runs. When the class path is that long, up and down run
# the same Main with the same JVM options through short symlinks; the CLI still goes through ./keel.
SHORT_CP=
CP_LEN=$(ls "$ROOT"/keel-node/target/lib/*.jar | awk '{n += length($0) + 1} END {print n + 0}')
if [ "$CP_LEN" -gt 3600 ]; then
  SHORT_CP=$(mktemp -d /tmp/kcp.XXXXXX)
  ln -s "$(ls "$ROOT"/keel-node/target/keel-node-*.jar | grep -v -- -sources | head -n1)" "$SHORT_CP/keel.jar"
  for j in "$ROOT"/keel-node/target/lib/*.jar; do ln -s "$j" "$SHORT_CP/$(basename "$j")"; done
  log "class path of $ROOT is $CP_LEN bytes: 'keel up/down' run through short links in $SHORT_CP"
fi
keel() {
  if [ -n "$SHORT_CP" ] && { [ "$1" = up ] || [ "$1" = down ]; }; then
    local cmd=$1; shift
    (cd "$SHORT_CP" && "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      -cp "$SHORT_CP/keel.jar:$(cd "$SHORT_CP" && ls *.jar | grep -v '^keel.jar$' | sed "s|^|$SHORT_CP/|" | paste -sd:)" \
      io.keel.node.Main "$cmd" --data "$KEEL_DATA" "$@")
  else
    "$ROOT/keel" "$@"
  fi
}

cleanup() {
  set +e
  [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null && wait "$QEMU_PID" 2>/dev/null
  if [ -f "$KEEL_DATA/cluster.json" ]; then
    keel down >/dev/null 2>&1
    for f in "$KEEL_DATA"/node*/node.pid; do  # only the nodes of this run's own data folder
      [ -f "$f" ] || continue
      pid=$(cat "$f"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    done
  fi
  if [ "$FAILED" = 1 ] && [ -d "$KEEL_DATA" ]; then
    keep=$(mktemp -d /tmp/keel-nbd-bench-logs.XXXXXX)
    for d in "$KEEL_DATA"/node*; do [ -f "$d/node.out" ] && cp "$d/node.out" "$keep/$(basename "$d").out"; done
    cp "$WORK"/*.log "$WORK"/*.txt "$keep/" 2>/dev/null
    log "failed; node output kept in $keep"
  fi
  rm -rf "$WORK"
  if [ -n "$SHORT_CP" ]; then rm -rf "$SHORT_CP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- fio
server_pids() { # label -> the processes that serve it: qemu-nbd, or every Keel node
  if [ "$1" = qemu ]; then echo "$QEMU_PID"; else awk 1 "$KEEL_DATA"/node*/node.pid 2>/dev/null; fi # pid files end without a newline
}
cpu_ticks() { # pids... -> user+system clock ticks used so far, summed
  local p t=0
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}

fio_job() { # label uri rw bs iodepth timed(1|0) -> "IOPS MBps CPU-us-per-op" (MB = 10^6 bytes)
  local out="$WORK/fio-$1-$3.json" extra=() pids c0 c1 t0 t1
  [ "$6" = 1 ] && extra=(--time_based --runtime="$RUNTIME" --ramp_time=2)
  fio --name="$1-$3" --ioengine=nbd --uri="$2" --rw="$3" --bs="$4" --iodepth="$5" --size="${SIZE_MIB}M" \
      --randrepeat=0 --group_reporting "${extra[@]}" --output-format=json --output="$out" >/dev/null 2>"$WORK/fio.err" &
  local fio_pid=$!
  # The servers' CPU time from the end of the ramp to the end of the job, per operation fio counted:
  # on this one machine CPU is what bounds the replicated jobs, so it explains their ratios.
  pids=$(server_pids "$1")
  [ "$6" = 1 ] && sleep 2
  c0=$(cpu_ticks $pids); t0=$(date +%s.%N)
  wait "$fio_pid" || { cat "$WORK/fio.err" >&2; keel_die "fio $3 against $2 failed"; }
  c1=$(cpu_ticks $pids); t1=$(date +%s.%N)
  python3 - "$out" "$((c1 - c0))" "$(getconf CLK_TCK)" "$t0" "$t1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
op = "read" if j["read"]["io_bytes"] > 0 else "write"
ticks, hz, t0, t1 = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
ops = j[op]["iops"] * (t1 - t0)
print("%.0f %.1f %.1f" % (j[op]["iops"], j[op]["bw_bytes"] / 1e6, ticks / hz * 1e6 / ops if ops else 0))
PY
}

fill() { # label uri: write the whole device once so that reads hit written data
  local r
  log "$1: writing all ${SIZE_MIB} MiB once ($2)"
  r=$(fio_job "$1" "$2" write 1M 8 0); echo "$1 fill_1M_QD8 $r 0" >> "$WORK/results.txt"
}

wait_port() { # port seconds
  local i
  for i in $(seq 1 $(($2 * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- (a) qemu-nbd baseline
: > "$WORK/results.txt"
truncate -s "${SIZE_MIB}M" "$WORK/qemu.raw"
qemu-nbd --format=raw --persistent --shared=4 --bind=127.0.0.1 --port="$QEMU_PORT" --export-name=vol \
  --cache=writeback --aio=threads --discard=unmap "$WORK/qemu.raw" 2> "$WORK/qemu-nbd.log" &
QEMU_PID=$!
wait_port "$QEMU_PORT" 10 || { cat "$WORK/qemu-nbd.log" >&2; keel_die "qemu-nbd did not listen on $QEMU_PORT"; }
# ---------------------------------------------------------------- the Keel cluster
stop_own_nodes() { # kill -9 the node processes recorded in this run's data folder, wait for them
  local f pid
  for f in "$KEEL_DATA"/node*/node.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  done
}
keel_up_retry() { # what (for messages), up options...: 'keel up', retried when it fails (see below)
  local what=$1 try; shift
  for try in 1 2 3; do
    if keel up "$@" >> "$WORK/keel-up.log" 2>&1; then return 0; fi
    # Start again from scratch (a half-bootstrapped cluster cannot be resumed).
    log "$what failed (try $try): $(grep -m1 -E '^error' "$WORK/keel-up.log" || tail -n1 "$WORK/keel-up.log")"
    echo "try $try of '$what' failed" >> "$WORK/keel-up-failures.log"
    cat "$WORK/keel-up.log" >> "$WORK/keel-up-failures.log"
    for f in "$KEEL_DATA"/node*/node.pid; do
      [ -f "$f" ] && echo "$f: $(cat "$f") alive=$(kill -0 "$(cat "$f")" 2>/dev/null && echo yes || echo no)" >> "$WORK/keel-up-failures.log"
    done
    stop_own_nodes
    [ -f "$KEEL_DATA/cluster.json" ] || rm -rf "$KEEL_DATA"
    : > "$WORK/keel-up.log"
  done
  cat "$WORK/keel-up-failures.log" >&2
  keel_die "$what failed three times"
}
log "starting a 3-node Keel cluster in $KEEL_DATA (API $API_PORT, NBD $NBD_PORT)"
: > "$WORK/keel-up.log"
keel_up_retry "keel up" --api-port "$API_PORT" --raft-port "$RAFT_PORT" --nbd-port "$NBD_PORT" --grace-period "$GRACE"
grep -q "gracePeriod: $GRACE" "$KEEL_DATA/node3/node.yaml" || keel_die "keel up did not set gracePeriod $GRACE in node.yaml"
UP_RETRIES=$(cat "$WORK/keel-up-failures.log" 2>/dev/null | grep -c '^try ' || true)

keel policy create r1 --replicas 1 --failure-domain host >/dev/null
keel policy create r2 --replicas 2 --failure-domain host >/dev/null
keel policy create r3 --replicas 3 --failure-domain host >/dev/null
keel volume create bench-r1 --size "${SIZE_MIB}M" --policy r1 >/dev/null
keel volume create bench-r3 --size "${SIZE_MIB}M" --policy r3 >/dev/null
keel volume create bench-rb --size "${SIZE_MIB}M" --policy r2 >/dev/null
case " $TARGETS " in
  *" keel-ec "*)
    # 3+2 on failure domain disk: keel up gives each node two storage disks, so 6 disks for 5 fragments.
    keel policy create ec32 --ec 3+2 --failure-domain disk >/dev/null
    keel volume create bench-ec --size "${SIZE_MIB}M" --policy ec32 >/dev/null ;;
esac

TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$KEEL_DATA/cli.json")
volume_json() { # name [node api port]
  curl -fsS --max-time 5 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${2:-$API_PORT}/api/v1/volumes/$1"
}
health() { volume_json "$1" "${2:-}" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["health"])' 2>/dev/null || echo "?"; }
placement() { # volume -> "volume node1=N node2=N node3=N": chunk copies (.data files) on each node's disks
  local id n line
  id=$(volume_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  line=$1
  for n in 1 2 3; do
    line+=" node$n=$(find "$KEEL_DATA/node$n/disks" -path '*/chunks/*' -name "$id-*.data" | wc -l)"
  done
  echo "$line"
}

# ---------------------------------------------------------------- (a) qemu-nbd, (b) 1 replica, (c) 3 replicas
declare -A URI=([qemu]="nbd://127.0.0.1:$QEMU_PORT/vol" [keel-r1]="nbd://127.0.0.1:$NBD_PORT/bench-r1"
                [keel-r3]="nbd://127.0.0.1:$NBD_PORT/bench-r3" [keel-ec]="nbd://127.0.0.1:$NBD_PORT/bench-ec")
for t in $TARGETS; do fill "$t" "${URI[$t]}"; done
for round in $(seq 1 "$ROUNDS"); do
  order=$TARGETS; [ $((round % 2)) = 0 ] && order=$(echo $TARGETS | tr ' ' '\n' | tac | paste -sd' ')
  for job in "randread 4k 32" "randwrite 4k 32" "read 1M 8" "write 1M 8"; do
    set -- $job
    case " $JOBS " in *" $1 "*) ;; *) continue ;; esac
    for t in $order; do
      r=$(fio_job "$t" "${URI[$t]}" "$1" "$2" "$3" 1)
      log "round $round $t $1 $2 QD$3: $r (IOPS MB/s CPU-us/op)"
      echo "$t $1 $r $round" >> "$WORK/results.txt"
    done
  done
done
kill "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=
rm -f "$WORK/qemu.raw"
for t in $TARGETS; do case $t in keel-r1) placement bench-r1 ;; keel-r3) placement bench-r3 ;; keel-ec) placement bench-ec ;; esac; done > "$WORK/placement.txt"
log "chunk copies per node: $(paste -sd';' "$WORK/placement.txt")"

if [ "$REBUILD" = 0 ] || [ "$TARGETS $JOBS" != "qemu keel-r1 keel-r3 randread randwrite read write" ]; then
  log "partial run: results (target job IOPS MB/s CPU-us/op round):"; cat "$WORK/results.txt" >&2
  if [[ " $TARGETS " == *" keel-ec "* && " $TARGETS " == *" keel-r3 "* ]]; then
      python3 "$ROOT/bench/ec-volume-report.py" --results "$WORK/results.txt" --doc "$ROOT/docs/BENCHMARKS.md" \
        --write-doc "$((1 - NO_DOC))" --size-mib "$SIZE_MIB" --runtime "$RUNTIME" --rounds "$ROUNDS" \
        --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --cores "$(nproc)" --keel "$(git -C "$ROOT" rev-parse --short HEAD)" \
        --placement "$WORK/placement.txt"
  fi
  FAILED=0; exit 0
fi
# ---------------------------------------------------------------- rebuild

log "rebuild: writing all ${SIZE_MIB} MiB of bench-rb (2 replicas, failure domain host)"
r=$(fio_job keel-rb "nbd://127.0.0.1:$NBD_PORT/bench-rb" write 1M 8 0)
echo "keel-rb fill_1M_QD8 $r 0" >> "$WORK/results.txt"
# fio's nbd engine sends no flush: node1 makes the fill durable when the connection closes, and
# releases the write lease after that flush. A kill during it fails the flush on node3, whose
# copies then missed acknowledged data and are rebuilt at once (ADR 0028): that is a write
# failure, not the loss of a node, so wait for the lease to go before the kill.
lease_of() { volume_json "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("leaseHolder") or "")' 2>/dev/null || echo "?"; }
for i in $(seq 1 120); do [ -z "$(lease_of bench-rb)" ] && break; sleep 0.5; done
[ -z "$(lease_of bench-rb)" ] || keel_die "bench-rb's write lease was still held 60 s after the fill: $(lease_of bench-rb)"
volume_json bench-rb > "$WORK/rb-before.json"
[ "$(health bench-rb)" = healthy ] || keel_die "bench-rb is not healthy before the kill: $(cat "$WORK/rb-before.json")"
for n in 1 2; do wc -l < "$KEEL_DATA/node$n/node.out" > "$WORK/node$n.lines"; done
NODE3_PID=$(cat "$KEEL_DATA/node3/node.pid")
log "rebuild: kill -9 node3 (pid $NODE3_PID), grace period $GRACE"
curl -fsS --max-time 5 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$API_PORT/api/v1/nodes" \
  > "$WORK/nodes-before-kill.json" 2>/dev/null || echo '[]' > "$WORK/nodes-before-kill.json"
T_KILL=$(date +%s.%N)
kill -9 "$NODE3_PID"
N3_SEEN=$(python3 -c 'import json,sys; n=[v for v in json.load(open(sys.argv[1])) if v.get("name")=="node3"]; print("%s %s" % (n[0].get("status"), n[0].get("heartbeatAgeMs")) if n else "? ?")' "$WORK/nodes-before-kill.json" 2>/dev/null || echo "? ?")
log "rebuild: just before the kill node1 saw node3 as: status $(echo "$N3_SEEN" | cut -d' ' -f1), last heartbeat $(echo "$N3_SEEN" | cut -d' ' -f2) ms ago"
T_DEGRADED= T_HEALTHY= LAST=
DEADLINE=$(( $(date +%s) + 1200 ))
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
  h=$(health bench-rb)
  now=$(date +%s.%N)
  [ "$h" != "$LAST" ] && log "rebuild: +$(python3 -c "print('%.1f' % ($now - $T_KILL))") s: $h" && LAST=$h
  if [ "$h" = degraded ] || [ "$h" = unavailable ]; then [ -z "$T_DEGRADED" ] && T_DEGRADED=$now; fi
  if [ "$h" = healthy ] && [ -n "$T_DEGRADED" ]; then T_HEALTHY=$now; break; fi
  sleep 0.5
done
volume_json bench-rb > "$WORK/rb-after.json" 2>/dev/null || true
[ -n "$T_HEALTHY" ] || keel_die "bench-rb did not become healthy again within 20 minutes of the kill (last health: $LAST)"
# Bytes copied and when the first and last chunk were healed, from the surviving nodes' output.
: > "$WORK/healed.txt"
for n in 1 2; do tail -n +"$(( $(cat "$WORK/node$n.lines") + 1 ))" "$KEEL_DATA/node$n/node.out" | grep 'healed chunk' >> "$WORK/healed.txt" || true; done
# Replicas dropped from chunk maps after the kill, with the reason: a failed write or flush (a
# stale copy, rebuilt at once) or the repair that replaced a copy given up after the grace period.
: > "$WORK/dropped.txt"
for n in 1 2; do tail -n +"$(( $(cat "$WORK/node$n.lines") + 1 ))" "$KEEL_DATA/node$n/node.out" | grep 'dropped replica' >> "$WORK/dropped.txt" || true; done
{
  echo "kill $T_KILL"; echo "degraded $T_DEGRADED"; echo "healthy $T_HEALTHY"; echo "grace $GRACE"
  echo "detection 10s"; echo "node3 $N3_SEEN"
} > "$WORK/rebuild.txt"
sed 's/^/nbd-bench: node log: /' "$WORK/healed.txt" >&2

# ---------------------------------------------------------------- the report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
FS=$(df -PT "$WORK" | awk 'NR==2 {print $2 " on " $1}')
CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
QEMU_V=$(qemu-nbd --version | head -n1)
FIO_V=$(fio --version)
LIBNBD_V=$(nbdinfo --version 2>/dev/null | tail -n1)
JAVA_V=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)
KEEL_V=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 "$ROOT/bench/nbd-bench-report.py" --results "$WORK/results.txt" --rebuild "$WORK/rebuild.txt" \
  --healed "$WORK/healed.txt" --dropped "$WORK/dropped.txt" --before "$WORK/rb-before.json" --doc "$ROOT/docs/BENCHMARKS.md" \
  --write-doc "$WRITE_DOC" --size-mib "$SIZE_MIB" --runtime "$RUNTIME" --rounds "$ROUNDS" \
  --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --cores "$(nproc)" --cpu "$CPU" --mem "$MEM" \
  --kernel "$(uname -r)" --fs "$FS" --load-start "$LOAD_START" --load-end "$LOAD_END" \
  --fio "$FIO_V" --qemu "$QEMU_V" --libnbd "$LIBNBD_V" --java "$JAVA_V" --keel "$KEEL_V" --up-retries "$UP_RETRIES" --placement "$WORK/placement.txt" --short-cp "${SHORT_CP:+$CP_LEN}"
FAILED=0
