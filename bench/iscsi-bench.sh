#!/usr/bin/env bash
# Keel volumes over iSCSI (target groups, ADR 0033) vs Linux's tgt (tgtd) serving a raw file.
#
#   bench/iscsi-bench.sh [--size-mib N] [--runtime S] [--rounds R] [--port-base P] [--no-doc]
#
#   --size-mib N   size of the raw file and of every volume, MiB (default 1024)
#   --runtime S    seconds per time-based job (default 20)
#   --rounds R     times every job runs on every target (default 2); the report gives the median
#   --port-base P  first of the ports this run uses on 127.0.0.1 (default 22000): Keel API P..P+2,
#                  metadata P+10..P+12, NBD P+20..P+22, iSCSI P+30..P+32, tgtd P+40 (and its
#                  control socket number P+41), qemu-storage-daemon's NBD exports P+50..P+52.
#                  All must be free.
#   --no-doc       print the results, leave docs/BENCHMARKS.md alone
#   --targets LIST comma-separated subset of tgt,keel-r1,keel-r3 (default all); implies --no-doc
#   --jobs LIST    comma-separated subset of randread,randwrite,read,write,perf,perf1 (default all);
#                  implies --no-doc
#   (the two above are for iterating on one figure: the log lines carry IOPS, MB/s and CPU µs/op)
#
# In one run on this machine it measures, through the same iSCSI initiator for all (libiscsi):
#   (a) Debian's tgt (tgtd, userspace, backing store rdwr: pread/pwrite through the page cache)
#       serving a raw file on the same filesystem as the Keel data, the baseline;
#   (b) a Keel volume under a 1-replica policy and (c) one under a 3-replica policy (failure
#       domain host), both LUNs of a Keel iSCSI target group on node1 of an embedded 3-node cluster
#       of its own (the LUN's active/optimized path on node1);
# with two load generators: fio's nbd engine against qemu-storage-daemon, which re-exports the
# iSCSI LUN (QEMU's libiscsi block driver) over NBD on 127.0.0.1 - 4 KiB random read and write at
# QD32, 1 MiB sequential read and write at QD8, after writing the whole device once - and
# libiscsi's iscsi-perf directly against the target, 4 KiB random reads at QD32, a QEMU-free
# figure (and at QD1, which shows how much of QD32's rate comes from serving requests in
# parallel). The targets take turns job by job (tgt, 1 replica, 3 replicas, reversed every other
# round), so that load from elsewhere on the machine hits all alike. The section between the
# iscsi-bench markers in docs/BENCHMARKS.md is replaced with the figures of this run. Everything it
# starts is stopped and its data removed on exit, failure included; logs of a failed run are kept
# in /tmp.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

SIZE_MIB=1024 RUNTIME=20 ROUNDS=2 PORT_BASE=22000 GRACE=10s WRITE_DOC=1
TARGETS="tgt keel-r1 keel-r3" JOBS="randread randwrite read write perf perf1"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mib) SIZE_MIB=$2; shift 2 ;;
    --runtime) RUNTIME=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    --targets) TARGETS=${2//,/ }; WRITE_DOC=0; shift 2 ;;
    --jobs) JOBS=${2//,/ }; WRITE_DOC=0; shift 2 ;;
    -h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for t in $TARGETS; do
  case "$t" in tgt|keel-r1|keel-r3) ;; *) keel_die "unknown target '$t' (tgt, keel-r1, keel-r3)" ;; esac
done
for j in $JOBS; do
  case "$j" in randread|randwrite|read|write|perf|perf1) ;; *) keel_die "unknown job '$j' (randread, randwrite, read, write, perf, perf1)" ;; esac
done
case "$SIZE_MIB$RUNTIME$ROUNDS" in *[!0-9]*) keel_die "--size-mib, --runtime and --rounds take whole numbers" ;; esac

keel_apt_install tgt fio qemu-utils qemu-block-extra libiscsi-bin libnbd-bin python3 curl
command -v qemu-storage-daemon >/dev/null \
  || keel_apt_install qemu-system-common
command -v qemu-storage-daemon >/dev/null \
  || keel_die "qemu-storage-daemon is missing (Debian's qemu-system-common has it); the benchmark needs it to re-export iSCSI LUNs over NBD"
fio --enghelp 2>/dev/null | grep -qw nbd \
  || keel_die "this fio ($(fio --version)) has no nbd ioengine; the benchmark needs it (Debian's fio 3.33 has it)"
# QEMU's iSCSI driver is a module of qemu-block-extra (block-iscsi.so).
ls /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so /usr/lib/*/qemu/block-iscsi.so >/dev/null 2>&1 \
  || keel_die "QEMU's iSCSI block driver (block-iscsi.so, package qemu-block-extra) is missing"

API_PORT=$PORT_BASE RAFT_PORT=$((PORT_BASE + 10)) NBD_PORT=$((PORT_BASE + 20)) ISCSI_PORT=$((PORT_BASE + 30))
TGT_PORT=$((PORT_BASE + 40)) TGT_CONTROL=$((PORT_BASE + 41)) QSD_PORT=$((PORT_BASE + 50))
for p in $API_PORT $((API_PORT + 1)) $((API_PORT + 2)) $RAFT_PORT $((RAFT_PORT + 1)) $((RAFT_PORT + 2)) \
         $NBD_PORT $((NBD_PORT + 1)) $((NBD_PORT + 2)) $ISCSI_PORT $((ISCSI_PORT + 1)) $((ISCSI_PORT + 2)) \
         $TGT_PORT $QSD_PORT $((QSD_PORT + 1)) $((QSD_PORT + 2)); do
  if ss -Hltn "sport = :$p" | grep -q .; then keel_die "port $p is in use; pick other ports with --port-base"; fi
done
# tgtadm talks to tgtd over the unix socket /var/run/tgtd/socket.<control port>; another tgtd
# (the system's uses socket.0) keeps its own.
if [ -S "/var/run/tgtd/socket.$TGT_CONTROL" ] && tgtadm --control-port "$TGT_CONTROL" --lld iscsi --mode target --op show >/dev/null 2>&1; then
  keel_die "a tgtd already answers on control port $TGT_CONTROL (/var/run/tgtd/socket.$TGT_CONTROL); pick other ports with --port-base"
fi

WORK=$(mktemp -d /tmp/keel-iscsi-bench.XXXXXX)
export KEEL_DATA=$WORK/keel-data
TGT_PID=
declare -A QSD_PID=()
FAILED=1
log() { echo "iscsi-bench: $*" >&2; }
"$ROOT/keel" --help >/dev/null 2>&1 || true  # builds Keel if sources changed since the last build
# As in nbd-bench.sh: 'keel up' tells whether a node it started still runs from
# ProcessHandle.Info.commandLine(), which the JDK cuts at 4096 bytes; from a checkout with a long
# path the node's class path pushes "io.keel.node.Main" past the cut and 'keel up' reports "node1
# exited during start" while node1 runs. Then up and down run through short symlinks.
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

stop_pid() { # pid: TERM, wait up to 5 s, then KILL
  local p=$1 i
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill "$p" 2>/dev/null
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
  wait "$p" 2>/dev/null || true
}
cleanup() {
  set +e
  local t
  for t in "${!QSD_PID[@]}"; do stop_pid "${QSD_PID[$t]}"; done
  if [ -n "$TGT_PID" ]; then
    # Logs the initiators out and drops the target before tgtd goes.
    tgtadm --control-port "$TGT_CONTROL" --lld iscsi --mode target --op delete --force --tid 1 >/dev/null 2>&1
    stop_pid "$TGT_PID"
    rm -f "/var/run/tgtd/socket.$TGT_CONTROL" "/var/run/tgtd/socket.$TGT_CONTROL.lock"
  fi
  if [ -f "$KEEL_DATA/cluster.json" ]; then
    keel down >/dev/null 2>&1
    for f in "$KEEL_DATA"/node*/node.pid; do  # only the nodes of this run's own data folder
      [ -f "$f" ] || continue
      pid=$(cat "$f"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    done
  fi
  if [ "$FAILED" = 1 ] && [ -d "$WORK" ]; then
    keep=$(mktemp -d /tmp/keel-iscsi-bench-logs.XXXXXX)
    for d in "$KEEL_DATA"/node*; do [ -f "$d/node.out" ] && cp "$d/node.out" "$keep/$(basename "$d").out"; done
    cp "$WORK"/*.log "$WORK"/*.txt "$WORK"/*.json "$WORK"/*.out "$keep/" 2>/dev/null
    log "failed; logs and node output kept in $keep"
  fi
  rm -rf "$WORK"
  if [ -n "$SHORT_CP" ]; then rm -rf "$SHORT_CP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

wait_port() { # port seconds
  local i
  for i in $(seq 1 $(($2 * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- the targets
declare -A IQN=() PORTAL=() LUN=() QSD_URI=()
: > "$WORK/results.txt"
case " $TARGETS " in *" tgt "*)
  # (a) tgtd in the foreground (-f), in the background of this script, on its own control socket.
  truncate -s "${SIZE_MIB}M" "$WORK/tgt.raw"
  tgtd -f --control-port "$TGT_CONTROL" --iscsi "portal=127.0.0.1:$TGT_PORT" > "$WORK/tgtd.log" 2>&1 &
  TGT_PID=$!
  wait_port "$TGT_PORT" 10 || { cat "$WORK/tgtd.log" >&2; keel_die "tgtd did not listen on 127.0.0.1:$TGT_PORT (log above)"; }
  tgtadm_() { tgtadm --control-port "$TGT_CONTROL" --lld iscsi "$@" >> "$WORK/tgtadm.log" 2>&1 \
    || { cat "$WORK/tgtadm.log" "$WORK/tgtd.log" >&2; keel_die "tgtadm $* failed (output above)"; }; }
  IQN[tgt]=iqn.2026-12.io.keel.bench:tgt
  tgtadm_ --mode target --op new --tid 1 --targetname "${IQN[tgt]}"
  # LUN 0 of a tgt target is its controller; the disk is LUN 1. Backing store type rdwr (the
  # default): pread/pwrite on the file through the page cache, like Keel's chunk store.
  tgtadm_ --mode logicalunit --op new --tid 1 --lun 1 --backing-store "$WORK/tgt.raw" --bstype rdwr
  tgtadm_ --mode target --op bind --tid 1 --initiator-address ALL
  PORTAL[tgt]=127.0.0.1:$TGT_PORT LUN[tgt]=1
  log "tgtd $(tgtd --version 2>&1 | head -n1 | awk '{print $NF}') (pid $TGT_PID) serves $WORK/tgt.raw as ${IQN[tgt]} LUN 1 on ${PORTAL[tgt]}"
;; esac

stop_own_nodes() { # kill -9 the node processes recorded in this run's data folder, wait for them
  local f pid
  for f in "$KEEL_DATA"/node*/node.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  done
}
keel_up_retry() { # what (for messages), up options...: 'keel up', retried from scratch when it fails
  local what=$1 try; shift
  for try in 1 2 3; do
    if keel up "$@" >> "$WORK/keel-up.log" 2>&1; then return 0; fi
    log "$what failed (try $try): $(grep -m1 -E '^error' "$WORK/keel-up.log" || tail -n1 "$WORK/keel-up.log")"
    echo "try $try of '$what' failed" >> "$WORK/keel-up-failures.log"
    cat "$WORK/keel-up.log" >> "$WORK/keel-up-failures.log"
    stop_own_nodes
    [ -f "$KEEL_DATA/cluster.json" ] || rm -rf "$KEEL_DATA"
    : > "$WORK/keel-up.log"
  done
  cat "$WORK/keel-up-failures.log" >&2
  keel_die "$what failed three times"
}
UP_RETRIES=0
KEEL_TARGETS=$(for t in $TARGETS; do case $t in keel-*) echo "$t" ;; esac; done | paste -sd' ')
api() { # method path [json body]: node1's API; prints the answer, fails with it on an HTTP error
  local out code
  out=$(curl -sS --max-time 10 -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} -w '\n%{http_code}' "http://127.0.0.1:$API_PORT/api/v1$2") || return 1
  code=$(tail -n1 <<< "$out")
  sed '$d' <<< "$out"
  [ "${code:0:1}" = 2 ]
}
node_log_tail() { # lines of the nodes' output about iSCSI, LUNs, leases and errors
  local n
  for n in 1 2 3; do
    [ -f "$KEEL_DATA/node$n/node.out" ] || continue
    grep -iE 'iscsi|lun|alua|lease|exception|error|warn' "$KEEL_DATA/node$n/node.out" | tail -n 25 | sed "s/^/node$n.out: /"
  done
}
if [ -n "$KEEL_TARGETS" ]; then
  log "starting a 3-node Keel cluster in $KEEL_DATA (API $API_PORT, NBD $NBD_PORT, iSCSI $ISCSI_PORT)"
  : > "$WORK/keel-up.log"
  keel_up_retry "keel up" --api-port "$API_PORT" --raft-port "$RAFT_PORT" --nbd-port "$NBD_PORT" \
    --iscsi-port "$ISCSI_PORT" --grace-period "$GRACE"
  UP_RETRIES=$(cat "$WORK/keel-up-failures.log" 2>/dev/null | grep -c '^try ' || true)
  TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$KEEL_DATA/cli.json")
  api POST /iscsi/groups '{"name":"bench","nodes":[{"node":"node1"}]}' > "$WORK/group-create.json" \
    || keel_die "POST /api/v1/iscsi/groups {\"name\":\"bench\",\"nodes\":[{\"node\":\"node1\"}]} failed: $(cat "$WORK/group-create.json")"
  lun=0
  for t in $KEEL_TARGETS; do
    r=${t#keel-r}
    keel policy create "r$r" --replicas "$r" --failure-domain host >/dev/null
    keel volume create "bench-r$r" --size "${SIZE_MIB}M" --policy "r$r" >/dev/null
    api POST /iscsi/groups/bench/luns "{\"volume\":\"bench-r$r\",\"lun\":$lun}" > "$WORK/lun-$t.json" \
      || keel_die "POST /api/v1/iscsi/groups/bench/luns {\"volume\":\"bench-r$r\",\"lun\":$lun} failed: $(cat "$WORK/lun-$t.json")"
    LUN[$t]=$lun; lun=$((lun + 1))
  done
  # Every LUN's path on node1 must be active/optimized (node1 holds the volume's write lease).
  deadline=$(( $(date +%s) + 90 ))
  while :; do
    api GET /iscsi/groups/bench/luns > "$WORK/luns.json" 2>/dev/null || true
    pending=$(python3 - "$WORK/luns.json" ${KEEL_TARGETS//keel-r/} <<'PY' 2>/dev/null || echo "(no answer)"
import json, sys
luns = {l["volumeName"]: l for l in json.load(open(sys.argv[1]))}
bad = []
for r in sys.argv[2:]:
    l = luns.get("bench-r" + r)
    if l is None:
        bad.append("bench-r%s: no LUN" % r); continue
    alua = {p.get("nodeName"): p.get("alua") for p in l.get("paths") or []}
    if not l.get("activeNode") or alua.get("node1") != "active/optimized":
        bad.append("bench-r%s: activeNode %s, haState %s, paths %s" % (r, l.get("activeNodeName") or l.get("activeNode"), l.get("haState"), alua))
print("; ".join(bad))
PY
)
    [ -z "$pending" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      node_log_tail >&2
      keel_die "the LUNs did not become active/optimized on node1 within 90 s of 'POST /api/v1/iscsi/groups/bench/luns': $pending (GET /api/v1/iscsi/groups/bench/luns: $(cat "$WORK/luns.json"); node log lines above)"
    fi
    sleep 1
  done
  api GET /iscsi/groups/bench > "$WORK/group.json" || keel_die "GET /api/v1/iscsi/groups/bench failed: $(cat "$WORK/group.json")"
  read -r KIQN KPORTAL < <(python3 -c '
import json, sys
t = [t for t in json.load(open(sys.argv[1]))["targets"] if t.get("nodeName") == "node1"][0]
print(t["iqn"], t["portal"])' "$WORK/group.json") || keel_die "no target on node1 in GET /api/v1/iscsi/groups/bench: $(cat "$WORK/group.json")"
  for t in $KEEL_TARGETS; do IQN[$t]=$KIQN; PORTAL[$t]=$KPORTAL; done
  log "Keel target $KIQN on $KPORTAL: $(for t in $KEEL_TARGETS; do printf '%s LUN %s; ' "$t" "${LUN[$t]}"; done)"
fi

# ---------------------------------------------------------------- the initiators
# qemu-storage-daemon per target: QEMU's iSCSI driver (libiscsi, one session) re-exported over NBD.
# No cache in between: cache.direct=on, and fio's nbd engine sends no flush.
i=0
for t in $TARGETS; do
  port=$((QSD_PORT + i)); i=$((i + 1))
  qemu-storage-daemon \
    --blockdev "driver=iscsi,node-name=lun,transport=tcp,portal=${PORTAL[$t]},target=${IQN[$t]},lun=${LUN[$t]},initiator-name=iqn.2026-12.io.keel.bench:qsd-$t,cache.direct=on" \
    --nbd-server "addr.type=inet,addr.host=127.0.0.1,addr.port=$port,max-connections=4" \
    --export "type=nbd,id=e,node-name=lun,name=lun,writable=on" > "$WORK/qsd-$t.log" 2>&1 &
  QSD_PID[$t]=$!
  if ! wait_port "$port" 15; then
    cat "$WORK/qsd-$t.log" >&2
    case $t in keel-*) node_log_tail >&2 ;; esac
    keel_die "qemu-storage-daemon did not export $t (iscsi://${PORTAL[$t]}/${IQN[$t]}/${LUN[$t]}) on NBD port $port (its output above)"
  fi
  QSD_URI[$t]="nbd://127.0.0.1:$port/lun"
  size=$(nbdinfo --size "${QSD_URI[$t]}" 2>/dev/null || echo 0)
  [ "$size" = $((SIZE_MIB * 1048576)) ] || keel_die "$t through qemu-storage-daemon is $size bytes, not ${SIZE_MIB} MiB"
done

# ---------------------------------------------------------------- the jobs
server_pids() { # label -> the processes that serve it: tgtd, or every Keel node
  if [ "$1" = tgt ]; then echo "$TGT_PID"; else awk 1 "$KEEL_DATA"/node*/node.pid 2>/dev/null; fi # pid files end without a newline
}
cpu_ticks() { # pids... -> user+system clock ticks used so far, summed over their threads
  local p t=0
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}

fio_job() { # label rw bs iodepth timed(1|0) -> "IOPS MBps CPU-us-per-op" (MB = 10^6 bytes)
  local out="$WORK/fio-$1-$2.json" extra=() pids c0 c1 t0 t1
  [ "$5" = 1 ] && extra=(--time_based --runtime="$RUNTIME" --ramp_time=2)
  fio --name="$1-$2" --ioengine=nbd --uri="${QSD_URI[$1]}" --rw="$2" --bs="$3" --iodepth="$4" --size="${SIZE_MIB}M" \
      --randrepeat=0 --group_reporting "${extra[@]}" --output-format=json --output="$out" >/dev/null 2>"$WORK/fio.err" &
  local fio_pid=$!
  # The servers' CPU time from the end of the ramp to the end of the job, per operation fio counted.
  pids=$(server_pids "$1")
  [ "$5" = 1 ] && sleep 2
  c0=$(cpu_ticks $pids); t0=$(date +%s.%N)
  if ! wait "$fio_pid"; then
    cat "$WORK/fio.err" >&2; tail -n 20 "$WORK/qsd-$1.log" >&2
    case $1 in keel-*) node_log_tail >&2 ;; esac
    keel_die "fio $2 $3 QD$4 against $1 (${QSD_URI[$1]}, qemu-storage-daemon over iscsi://${PORTAL[$1]}/${IQN[$1]}/${LUN[$1]}) failed (fio, qemu-storage-daemon and node output above)"
  fi
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

perf_job() { # label depth -> "IOPS MBps CPU-us-per-op": iscsi-perf, 4 KiB random reads, depth in flight
  # iscsi-perf runs until SIGINT and prints one line a second ("iops current N"); the first 2
  # seconds are the ramp, like fio's.
  local out="$WORK/perf-$1-qd$2.out" pids c0 c1 t0 t1 rc=0
  local url="iscsi://${PORTAL[$1]}/${IQN[$1]}/${LUN[$1]}"
  timeout -s INT "$((RUNTIME + 2)).5" iscsi-perf -i "iqn.2026-12.io.keel.bench:perf-$1" -r -b 8 -m "$2" "$url" > "$out" 2>&1 &
  local perf_pid=$!
  pids=$(server_pids "$1")
  sleep 2
  c0=$(cpu_ticks $pids); t0=$(date +%s.%N)
  wait "$perf_pid" || rc=$?
  c1=$(cpu_ticks $pids); t1=$(date +%s.%N)
  python3 - "$out" "$((c1 - c0))" "$(getconf CLK_TCK)" "$t0" "$t1" "$rc" <<'PY' || { cat "$out" >&2; case $1 in keel-*) node_log_tail >&2 ;; esac; keel_die "iscsi-perf -r -b 8 -m $2 $url failed (exit $rc; its output and the node log lines above)"; }
import re, sys
text = open(sys.argv[1], errors="replace").read().replace("\r", "\n")
ticks, hz, t0, t1, rc = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
secs = [(int(h) * 3600 + int(m) * 60 + int(s), int(i)) for h, m, s, i in
        re.findall(r"(\d\d):(\d\d):(\d\d) - lba \d+, iops current (\d+)", text)]
steady = [i for t, i in secs if t > 2]
# timeout's SIGINT ends it with 124; anything else (a lost connection, an I/O error) is a failure.
if rc not in (0, 124) or len(steady) < 1 or re.search(r"(?i)error|failed", text):
    sys.exit(1)
iops = sum(steady) / len(steady)
ops = iops * (t1 - t0)
print("%.0f %.1f %.1f" % (iops, iops * 4096 / 1e6, ticks / hz * 1e6 / ops if ops else 0))
PY
}

for t in $TARGETS; do
  log "$t: writing all ${SIZE_MIB} MiB once (${QSD_URI[$t]} -> iscsi://${PORTAL[$t]}/${IQN[$t]}/${LUN[$t]})"
  r=$(fio_job "$t" write 1M 8 0); echo "$t fill_1M_QD8 $r 0" >> "$WORK/results.txt"
  log "$t: fill $r (IOPS MB/s CPU-us/op)"
  # The nodes' JIT has compiled the write path during the fill but not the read path yet: 5 s of
  # random reads (not counted, the same for tgt) so that round 1 measures no compilation.
  r=$(RUNTIME=5 fio_job "$t" randread 4k 32 1); log "$t: warm-up 4 KiB random reads $r (not counted)"
done
for round in $(seq 1 "$ROUNDS"); do
  order=$TARGETS; [ $((round % 2)) = 0 ] && order=$(echo $TARGETS | tr ' ' '\n' | tac | paste -sd' ')
  for job in "randread 4k 32" "randwrite 4k 32" "read 1M 8" "write 1M 8" "perf 4k 32" "perf1 4k 1"; do
    set -- $job
    case " $JOBS " in *" $1 "*) ;; *) continue ;; esac
    for t in $order; do
      if [ "${1#perf}" != "$1" ]; then r=$(perf_job "$t" "$3"); else r=$(fio_job "$t" "$1" "$2" "$3" 1); fi
      log "round $round $t $1 $2 QD$3: $r (IOPS MB/s CPU-us/op)"
      echo "$t $1 $r $round" >> "$WORK/results.txt"
    done
  done
done
for t in "${!QSD_PID[@]}"; do stop_pid "${QSD_PID[$t]}"; unset "QSD_PID[$t]"; done
if [ -n "$KEEL_TARGETS" ]; then
  api GET /iscsi/groups/bench > "$WORK/group-after.json" 2>/dev/null || true
  api GET /iscsi/groups/bench/luns > "$WORK/luns-after.json" 2>/dev/null || true
fi

if [ "$TARGETS $JOBS" != "tgt keel-r1 keel-r3 randread randwrite read write perf perf1" ]; then
  log "partial run: results (target job IOPS MB/s CPU-us/op round):"; cat "$WORK/results.txt" >&2
  FAILED=0; exit 0
fi

# ---------------------------------------------------------------- the report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
FS=$(df -PT "$WORK" | awk 'NR==2 {print $2 " on " $1}')
CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
TGT_V="tgt $(dpkg-query -W -f '${Version}' tgt 2>/dev/null)"
QEMU_V=$(qemu-storage-daemon --version | head -n1)
LIBISCSI_V="libiscsi $(dpkg-query -W -f '${Version}' libiscsi-bin 2>/dev/null)"
FIO_V=$(fio --version)
LIBNBD_V=$(nbdinfo --version 2>/dev/null | tail -n1)
JAVA_V=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)
KEEL_V=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 "$ROOT/bench/iscsi-bench-report.py" --results "$WORK/results.txt" --doc "$ROOT/docs/BENCHMARKS.md" \
  --write-doc "$WRITE_DOC" --size-mib "$SIZE_MIB" --runtime "$RUNTIME" --rounds "$ROUNDS" \
  --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --cores "$(nproc)" --cpu "$CPU" --mem "$MEM" \
  --kernel "$(uname -r)" --fs "$FS" --load-start "$LOAD_START" --load-end "$LOAD_END" \
  --fio "$FIO_V" --tgt "$TGT_V" --qemu "$QEMU_V" --libiscsi "$LIBISCSI_V" --libnbd "$LIBNBD_V" --java "$JAVA_V" \
  --keel "$KEEL_V" --up-retries "$UP_RETRIES" --short-cp "${SHORT_CP:+$CP_LEN}" \
  --group "$WORK/group-after.json"
FAILED=0
