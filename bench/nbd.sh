#!/usr/bin/env bash
# NBD protocol benchmark: Keel's NBD server vs qemu-nbd, both serving the same raw file on this
# machine, driven by fio's nbd engine. Writes its table into docs/BENCHMARKS.md.
#   bench/nbd.sh [SIZE_MIB (default 1024)] [SECONDS per job (default 15)]
# This measures the protocol layer over a file (FileBlockDevice); the Keel-volume comparison of
# issue 4 (1 and 3 replicas) uses the same jobs once volumes serve NBD.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env
keel_apt_install fio qemu-utils
SIZE_MIB=${1:-1024}
RUNTIME=${2:-15}
KEEL_PORT=10809
QEMU_PORT=10810
WORK=$(mktemp -d /tmp/keel-bench-nbd.XXXXXX)
cleanup() { [ -n "${KEEL_PID:-}" ] && kill "$KEEL_PID" 2>/dev/null; [ -n "${QEMU_PID:-}" ] && kill "$QEMU_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -pl keel-block -am package)
mkdir -p "$WORK/keel" "$WORK/qemu"
truncate -s "${SIZE_MIB}M" "$WORK/keel/vol" "$WORK/qemu/vol"
# Fill both so reads hit allocated blocks on the same filesystem.
dd if=/dev/urandom of="$WORK/keel/vol" bs=1M count="$SIZE_MIB" conv=notrunc status=none
cp "$WORK/keel/vol" "$WORK/qemu/vol"

CP="$ROOT/keel-block/target/classes:$(ls ~/.m2/repository/org/slf4j/slf4j-api/*/slf4j-api-*.jar | tail -n1)"
"$JAVA_HOME/bin/java" -Xmx512m -cp "$CP" io.keel.block.tools.ServeDirectory "$WORK/keel" "$KEEL_PORT" > "$WORK/keel.log" 2>&1 &
KEEL_PID=$!
qemu-nbd -f raw -p "$QEMU_PORT" -b 127.0.0.1 -x vol --persistent --cache=writeback "$WORK/qemu/vol" 2> "$WORK/qemu.log" &
QEMU_PID=$!
for i in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$KEEL_PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$QEMU_PORT) 2>/dev/null && break
  sleep 0.1
done

run() { # name port rw bs iodepth -> prints IOPS and MB/s
  fio --name="$1" --ioengine=nbd --uri="nbd://127.0.0.1:$2/vol" --rw="$3" --bs="$4" --iodepth="$5" \
      --size="${SIZE_MIB}M" --time_based --runtime="$RUNTIME" --group_reporting --output-format=json 2>/dev/null \
    | sed -n '/^{/,$p' | python3 -c "import json,sys; j=json.load(sys.stdin)['jobs'][0]; op='read' if j['read']['io_bytes']>0 else 'write'; print('%.0f %.1f' % (j[op]['iops'], j[op]['bw_bytes']/1e6))"
}

declare -a ROWS
for job in "randread 4k 32" "randwrite 4k 32" "read 1M 8" "write 1M 8"; do
  set -- $job
  k=$(run keel $KEEL_PORT "$1" "$2" "$3"); q=$(run qemu $QEMU_PORT "$1" "$2" "$3")
  ROWS+=("$1 $2 QD$3|$k|$q")
done

DATE=$(date -u +%Y-%m-%d)
TABLE=$(
  echo "| job | Keel IOPS | Keel MB/s | qemu-nbd IOPS | qemu-nbd MB/s | Keel / qemu-nbd |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r name k q <<< "$r"
    read -r ki kb <<< "$k"; read -r qi qb <<< "$q"
    ratio=$(python3 -c "print('%.2f' % ($ki/$qi if $qi else 0))")
    echo "| $name | $ki | $kb | $qi | $qb | ${ratio}x |"
  done
)
echo "$TABLE"
OUT="$ROOT/docs/BENCHMARKS.md"
[ -f "$OUT" ] || printf '# Benchmarks\n\nFigures written by the scripts in bench/, each run on one machine in one run.\n' > "$OUT"
python3 - "$OUT" "$DATE" "$SIZE_MIB" "$RUNTIME" "$(nproc)" <<PY
import sys, re
path, date, size, runtime, cores = sys.argv[1:]
table = """$TABLE"""
section = (f"## NBD server vs qemu-nbd (bench/nbd.sh)\n\n"
           f"Run {date}: {cores} cores, one {size} MiB raw file per server on the same filesystem, "
           f"fio nbd engine, {runtime} s per job, qemu-nbd 7.2 with --cache=writeback. Protocol layer only "
           f"(Keel's FileBlockDevice), not yet a Keel volume.\n\n{table}\n")
text = open(path).read()
text = re.sub(r"## NBD server vs qemu-nbd \(bench/nbd.sh\)\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "written to docs/BENCHMARKS.md"
