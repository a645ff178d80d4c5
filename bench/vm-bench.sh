#!/usr/bin/env bash
# VMs on Keel volumes vs the same QEMU on local files: boot time and guest disk throughput.
#
#   bench/vm-bench.sh [--rounds R] [--port-base P] [--no-doc]
#
#   --rounds R     boots per target (default 3); the report gives the median
#   --port-base P  first of the ports this run uses on 127.0.0.1 (default 22000): Keel API P..P+2,
#                  metadata P+10..P+12, NBD P+20..P+22. All must be free.
#   --no-doc       print the results, leave docs/BENCHMARKS.md alone
#
# It starts an embedded 3-node Keel cluster of its own, uploads the test guest's qcow2 disk as an
# image (2 replicas, failure domain host) and measures, the targets taking turns:
#   - boot time: from 'keel vm create --image' (a copy-on-write clone of the image, a new 128 MiB
#     data volume, flavor tiny: 1 vCPU, 512 MiB) to KEEL-GUEST-READY in the VM's serial log, against
#     QEMU started by hand with the same machine (q35, TCG, -cpu max, 512 MiB, virtio-blk) on a
#     local copy of the qcow2 file and a local raw 128 MiB data file;
#   - inside the guest: 64 MiB written with dd (1 MiB blocks, O_DIRECT) to the data disk and read
#     back (O_DIRECT); MB/s over the time from sending the command on the serial console to its
#     answer (Debian's busybox dd prints no rate).
# The section between the vm-bench markers in docs/BENCHMARKS.md is replaced with this run's figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

ROUNDS=3 PORT_BASE=22000 WRITE_DOC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
keel_apt_install qemu-system-x86 qemu-utils python3 bc
export KEEL_GUEST_DIR="${KEEL_GUEST_DIR:-${KEEL_CACHE:-$HOME/.cache/keel}/guest}"
"$ROOT/scripts/test-guest.sh" "$KEEL_GUEST_DIR"

API_PORT=$PORT_BASE RAFT_PORT=$((PORT_BASE + 10)) NBD_PORT=$((PORT_BASE + 20))
WORK=$(mktemp -d /tmp/kvb.XXXXXX)
export KEEL_DATA=$WORK/d
QEMU_PID=
log() { echo "vm-bench: $*" >&2; }
keel() { "$ROOT/keel" "$@"; }
cleanup() {
  set +e
  [ -n "$QEMU_PID" ] && kill -9 "$QEMU_PID" 2>/dev/null
  keel vm list -o json 2>/dev/null | python3 -c 'import json,sys; [print(v["name"]) for v in json.load(sys.stdin)]' \
    | while read -r vm; do keel vm delete "$vm" --delete-volumes --yes >/dev/null 2>&1; done
  [ -f "$KEEL_DATA/cluster.json" ] && keel down >/dev/null 2>&1
  pkill -9 -f "$WORK/" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
await_ready() { # serial log, deadline seconds: waits for KEEL-GUEST-READY
  local end=$(($(date +%s) + $2))
  until grep -q KEEL-GUEST-READY "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || keel_die "no KEEL-GUEST-READY in $1 within $2 s"
    sleep 0.05
  done
}
dd_rates() { # socket -> "write_MBps read_MBps": 64 MiB over the time from sending the command to its answer
  local out
  out=$(python3 "$ROOT/bench/guest_cmd.py" "$1" 120 \
    "run dd if=/dev/zero of=/dev/vdb bs=1M count=64 oflag=direct" \
    "run dd if=/dev/vdb of=/dev/null bs=1M count=64 iflag=direct") || keel_die "dd in the guest failed: $out"
  echo "$out" | awk '/^ELAPSED/ {printf "%.1f ", 67.108864 / $2} END {print ""}'
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "starting a 3-node Keel cluster in $KEEL_DATA"
keel up --api-port "$API_PORT" --raft-port "$RAFT_PORT" --nbd-port "$NBD_PORT" > "$WORK/up.log" 2>&1 \
  || { cat "$WORK/up.log" >&2; keel_die "keel up failed"; }
keel compute create --nodes node1,node2,node3 >/dev/null
keel policy create two --replicas 2 --failure-domain host >/dev/null
keel image upload "$KEEL_GUEST_DIR/disk.qcow2" --name guest --policy two >/dev/null 2>&1

: > "$WORK/keel.txt"; : > "$WORK/local.txt"
for round in $(seq 1 "$ROUNDS"); do
  # Keel: a VM from the image on node1.
  t0=$(now)
  keel vm create "b$round" --flavor tiny --image guest --disk 128M --node node1 --wait 120 > "$WORK/create.log" \
    || { cat "$WORK/create.log" >&2; keel_die "keel vm create failed"; }
  ta=$(printf '%.2f' "$(echo "$(now) - $t0" | bc)")
  id=$(keel vm show "b$round" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  dir=
  for d in "$KEEL_DATA"/node1/data/vms/"$id" /run/keel/*/"$id"; do [ -d "$d" ] && { dir=$d; break; }; done
  [ -n "$dir" ] || keel_die "no runtime directory for VM $id"
  await_ready "$dir/serial.log" 120
  t=$(printf '%.2f' "$(echo "$(now) - $t0" | bc)")
  echo "$t $(dd_rates "$dir/serial.sock") $ta" >> "$WORK/keel.txt"
  keel vm delete "b$round" --delete-volumes --yes >/dev/null
  log "round $round: Keel boot ${t}s (ACTIVE after ${ta}s)"

  # Local: the same machine on local files.
  cp "$KEEL_GUEST_DIR/disk.qcow2" "$WORK/boot.qcow2"; rm -f "$WORK/data.raw"; truncate -s 128M "$WORK/data.raw"
  rm -f "$WORK/serial.log" "$WORK/serial.sock"
  t0=$(now)
  qemu-system-x86_64 -nodefaults -no-user-config -machine q35 -accel tcg -cpu max -m 512 -smp 1 -display none \
    -chardev "socket,id=s0,path=$WORK/serial.sock,server=on,wait=off,logfile=$WORK/serial.log" -serial chardev:s0 \
    -blockdev "{\"driver\":\"file\",\"filename\":\"$WORK/boot.qcow2\",\"node-name\":\"b-file\"}" \
    -blockdev '{"driver":"qcow2","file":"b-file","node-name":"b"}' -device virtio-blk-pci,drive=b,bootindex=0 \
    -blockdev "{\"driver\":\"file\",\"filename\":\"$WORK/data.raw\",\"node-name\":\"d-file\",\"aio\":\"threads\"}" \
    -blockdev '{"driver":"raw","file":"d-file","node-name":"d"}' -device virtio-blk-pci,drive=d \
    > "$WORK/qemu.log" 2>&1 &
  QEMU_PID=$!
  await_ready "$WORK/serial.log" 120
  t=$(printf '%.2f' "$(echo "$(now) - $t0" | bc)")
  echo "$t $(dd_rates "$WORK/serial.sock")" >> "$WORK/local.txt"
  kill -9 "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=
  log "round $round: local boot ${t}s"
done

col() { awk -v c="$2" '{print $c}' "$1" | median; }
KB=$(col "$WORK/keel.txt" 1) LB=$(col "$WORK/local.txt" 1)
KW=$(col "$WORK/keel.txt" 2) LW=$(col "$WORK/local.txt" 2)
KR=$(col "$WORK/keel.txt" 3) LR=$(col "$WORK/local.txt" 3)
KA=$(col "$WORK/keel.txt" 4)
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b) if b else '-')" "$1" "$2"; }
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
REPORT=$(cat <<MD
<!-- BEGIN bench/vm-bench.sh: generated, do not edit by hand -->
Run of $(date -u +%Y-%m-%d) on $(nproc) cores, QEMU $(qemu-system-x86_64 --version | head -n1 | awk '{print $4}'), TCG,
$ROUNDS rounds, medians; load average $LOAD_START at the start, $LOAD_END at the end. Test guest:
Debian cloud kernel + busybox from a disk image, flavor tiny (1 vCPU, 512 MiB). Keel: boot disk a
copy-on-write clone of the uploaded image, data disk a new volume, both 2 replicas (failure domain
host), over NBD from the VM's node. Local: the same QEMU machine on a qcow2 copy and a raw file.

| measure | Keel | local files | Keel / local |
|---|---|---|---|
| boot: create to KEEL-GUEST-READY, s (lower is better) | $KB | $LB | $(ratio "$KB" "$LB") |
| guest dd write 64 MiB, 1 MiB O_DIRECT, MB/s (higher is better) | $KW | $LW | $(ratio "$KW" "$LW") |
| guest dd read 64 MiB, 1 MiB O_DIRECT, MB/s (higher is better) | $KR | $LR | $(ratio "$KR" "$LR") |

Keel's boot time includes the CLI's own start (a JVM), the API call, placement, the metadata
command that clones the image and creates the data volume, and the node agent's start of QEMU (it
acts on its next round, at most 1 s later): 'keel vm create' answered ACTIVE after $KA s (median).
<!-- END bench/vm-bench.sh -->
MD
)
echo "$REPORT"
if [ "$WRITE_DOC" = 1 ]; then
  python3 - "$ROOT/docs/BENCHMARKS.md" "$REPORT" "$ROOT/bench" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from bench_doc import replace_section
replace_section(sys.argv[1], "bench/vm-bench.sh", sys.argv[2],
                heading="## VMs: boot time and guest disk throughput (bench/vm-bench.sh)")
PY
  log "docs/BENCHMARKS.md updated"
fi
