#!/usr/bin/env bash
# Keel's Reed-Solomon codec (keel-ec) vs ISA-L, one core each, same machine, same run.
#
#   bench/ec-bench.sh [--seconds S] [--rounds R] [--no-doc]
#
#   --seconds S   seconds per JMH measurement iteration (3 of them, after 2 warm-up ones) and per
#                 ISA-L measurement (default 1)
#   --rounds R    rounds, each one JMH run then one ISA-L run (default 3); the table gives medians,
#                 which keeps a burst of other work on shared cores from deciding a ratio
#   --no-doc      print the results, leave docs/BENCHMARKS.md alone
#
# Codes 4+2, 8+3 and 10+4 on 1 MiB stripes: 1 MiB of data cut into M fragments of
# floor(1 MiB / M / 64) * 64 bytes, plus N parity fragments of that size. Encode writes the N
# parity fragments; decode rebuilds data fragments 0 and 1 from the first M survivors, the repair
# matrix inverted once per loss pattern on both sides (Keel caches its repair plans, the ISA-L
# harness builds its tables before timing). GB/s counts data bytes (M x fragment bytes) per
# second, 1 GB = 10^9.
#
# Keel: bench/ec, a standalone Maven project outside the reactor that compiles keel-ec's sources
# with its JMH benchmark (jmh-core 1.37, single thread, one fork). ISA-L: bench/ec/isal_bench.c
# on Debian's libisal-dev (installed with apt-get when missing), ec_init_tables + ec_encode_data
# with the same Cauchy generator: before timing, both print parity fingerprints of fixed data and
# the run stops unless they are identical. The section between the
# ec-bench markers in docs/BENCHMARKS.md is replaced with this run's table (goal: encode >= 0.5x).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

SECONDS_PER=1 ROUNDS=3 WRITE_DOC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$SECONDS_PER" in *[!0-9]*|''|0) keel_die "--seconds takes a whole number above 0, not '$SECONDS_PER'" ;; esac
case "$ROUNDS" in *[!0-9]*|''|0) keel_die "--rounds takes a whole number above 0, not '$ROUNDS'" ;; esac

if ! (keel_apt_install libisal-dev gcc python3); then
  keel_die "the ISA-L comparison needs Debian's libisal-dev, gcc and python3, and apt-get could not install them:
  run 'apt-get install -y libisal-dev gcc python3' as root (ISA-L is packaged for amd64 and arm64) and try again"
fi

WORK=$(mktemp -d /tmp/keel-ec-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
BENCH="$ROOT/bench/ec"

echo "ec-bench: building the JMH benchmark (bench/ec) ..." >&2
# Offline first: the usual case is a filled local repository; the first run downloads JMH.
MVN_ARGS=(-B -ntp -q -f "$BENCH/pom.xml" clean compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt")
mvn -o "${MVN_ARGS[@]}" >"$WORK/mvn.log" 2>&1 || mvn "${MVN_ARGS[@]}" >"$WORK/mvn.log" 2>&1 \
  || { cat "$WORK/mvn.log" >&2; keel_die "building bench/ec failed (above)"; }

echo "ec-bench: building the ISA-L harness ..." >&2
gcc -O2 -Wall -Wextra -o "$WORK/isal_bench" "$BENCH/isal_bench.c" -lisal \
  || keel_die "compiling bench/ec/isal_bench.c against ISA-L failed"

CP="$BENCH/target/classes:$(cat "$WORK/classpath.txt")"
"$WORK/isal_bench" --fingerprint >"$WORK/isal.fingerprint" || keel_die "the ISA-L harness failed"
java --add-modules jdk.incubator.vector -cp "$CP" io.keel.ec.bench.Fingerprint >"$WORK/keel.fingerprint" 2>/dev/null \
  || keel_die "io.keel.ec.bench.Fingerprint failed"
if ! cmp -s "$WORK/isal.fingerprint" "$WORK/keel.fingerprint"; then
  diff "$WORK/isal.fingerprint" "$WORK/keel.fingerprint" >&2 || true
  keel_die "Keel's parity differs from ISA-L's for the same data (above: ISA-L <, Keel >): not comparing unlike codecs"
fi
echo "ec-bench: parity identical to ISA-L's for $(wc -l <"$WORK/keel.fingerprint") codes" >&2

for round in $(seq 1 "$ROUNDS"); do
  echo "ec-bench: round $round of $ROUNDS: Keel (JMH, 1 thread) ..." >&2
  java --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main 'io.keel.ec.bench.CodecBench' \
    -f 1 -t 1 -wi 2 -w "${SECONDS_PER}s" -i 3 -r "${SECONDS_PER}s" -rf csv -rff "$WORK/jmh-$round.csv" \
    >"$WORK/jmh-$round.log" 2>&1 || { tail -40 "$WORK/jmh-$round.log" >&2; keel_die "the JMH run failed (above)"; }
  echo "ec-bench: round $round of $ROUNDS: ISA-L (1 thread) ..." >&2
  "$WORK/isal_bench" "$SECONDS_PER" >"$WORK/isal-$round.txt" || keel_die "the ISA-L harness failed"
done
# CodecBench's setup prints its kernel; JMH may put it on the line of an iteration header.
KERNEL=$(cat "$WORK"/jmh-*.log | grep -o 'kernel: [a-z0-9-]*' | sed 's/^kernel: //' | sort -u | paste -sd, -)

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
PYTHONPATH="$ROOT/bench" python3 - "$WORK" "$ROUNDS" "$ROOT/docs/BENCHMARKS.md" "$WRITE_DOC" "$SECONDS_PER" "$COMMIT" \
  "$(nproc)" "$KERNEL" "$CPU" "$(java -version 2>&1 | head -1)" <<'PY'
import csv, statistics, sys, time
from bench_doc import replace_section
work, rounds, doc, write_doc, seconds, commit, cores, kernel, cpu, jvm = sys.argv[1:11]
STRIPE = 1 << 20

def data_bytes(code):
    m = int(code.split("+")[0])
    return m * (STRIPE // m // 64 * 64)

keel, ref = {}, {}
for r in range(1, int(rounds) + 1):
    for row in csv.DictReader(open(f"{work}/jmh-{r}.csv")):
        op = row["Benchmark"].rsplit(".", 1)[1]
        code = row["Param: code"]
        keel.setdefault((op, code), []).append(float(row["Score"]) * data_bytes(code) / 1e9)
    for line in open(f"{work}/isal-{r}.txt"):
        _, op, code, gbs = line.split()
        ref.setdefault((op, code), []).append(float(gbs))
keel = {k: statistics.median(v) for k, v in keel.items()}
ref = {k: statistics.median(v) for k, v in ref.items()}
rows = []
for code in ("4+2", "8+3", "10+4"):
    for op in ("encode", "decode"):
        k, i = keel.get((op, code), 0.0), ref.get((op, code), 0.0)
        ratio = k / i if i else 0.0
        verdict = ("met" if ratio >= 0.5 else "not met") if op == "encode" else ""
        goal = "0.5x" if op == "encode" else ""
        rows.append(f"| {code} | {op} | {k:.2f} | {i:.2f} | {ratio:.2f}x | {goal} | {verdict} |")
section = "\n".join([
    "<!-- BEGIN bench/ec-bench.sh: generated, do not edit by hand -->",
    "## Erasure coding codec (issue 9)",
    "",
    f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/ec-bench.sh --seconds {seconds} --rounds {rounds}`,"
    f" Keel `{commit}`, {cpu}, {cores} cores shared with other work. Medians of {rounds} rounds, each a JMH run"
    f" then an ISA-L run. One thread each. Keel: keel-ec's `ReedSolomon` on the `{kernel}` kernel under JMH ({jvm}; 2 warm-up and"
    f" 3 measured iterations of {seconds} s, mean); ISA-L: Debian's libisal `ec_encode_data` (its own"
    " runtime choice of hand-written SIMD code: on this CPU the AVX-512 vpshufb version of the same split-nibble"
    " technique; Debian's 2.30 build has no GFNI code). A stripe is 1 MiB of data in M fragments of"
    " floor(1 MiB / M / 64) x 64 bytes; decode rebuilds 2 lost data fragments from M survivors, its repair"
    " matrix inverted once (Keel caches repair plans per loss pattern). GB/s = data bytes per second / 10^9.",
    "",
    "| code | operation | Keel GB/s | ISA-L GB/s | Keel / ISA-L | goal | |",
    "|---|---|---:|---:|---:|---:|---|",
    *rows,
    "<!-- END bench/ec-bench.sh -->",
])
print(section)
if write_doc == "1":
    replace_section(doc, "bench/ec-bench.sh", section)
PY
