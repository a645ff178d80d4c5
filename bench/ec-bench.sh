#!/usr/bin/env bash
# Keel's Reed-Solomon codec (keel-ec) vs ISA-L, one core each, same machine, same run.
#
#   bench/ec-bench.sh [--seconds S] [--no-doc]
#
#   --seconds S   seconds per JMH measurement iteration (3 of them, after 2 warm-up ones) and per
#                 ISA-L measurement (default 1)
#   --no-doc      print the results, leave docs/BENCHMARKS.md alone
#
# Codes 4+2, 8+3 and 10+4 on 1 MiB stripes: 1 MiB of data cut into M fragments of
# floor(1 MiB / M / 64) * 64 bytes, plus N parity fragments of that size. Encode writes the N
# parity fragments; decode rebuilds data fragments 0 and 1 from the first M survivors, inverting the
# repair matrix every time. GB/s counts data bytes (M x fragment bytes) per second, 1 GB = 10^9.
#
# Keel: bench/ec, a standalone Maven project outside the reactor that compiles keel-ec's sources
# with its JMH benchmark (jmh-core 1.37, single thread, one fork). ISA-L: bench/ec/isal_bench.c
# on Debian's libisal-dev (installed with apt-get when missing), ec_init_tables + ec_encode_data
# with the same Cauchy generator (its parity is byte-identical to Keel's). The section between the
# ec-bench markers in docs/BENCHMARKS.md is replaced with this run's table (goal: encode >= 0.5x).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$ROOT/scripts/env.sh"
keel_setup_env

SECONDS_PER=1 WRITE_DOC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$SECONDS_PER" in *[!0-9]*|'') keel_die "--seconds takes a whole number, not '$SECONDS_PER'" ;; esac

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

echo "ec-bench: Keel (JMH, 1 thread) ..." >&2
java --add-modules jdk.incubator.vector -cp "$BENCH/target/classes:$(cat "$WORK/classpath.txt")" \
  org.openjdk.jmh.Main 'io.keel.ec.bench.CodecBench' -f 1 -t 1 -wi 2 -w "${SECONDS_PER}s" -i 3 -r "${SECONDS_PER}s" \
  -rf csv -rff "$WORK/jmh.csv" >"$WORK/jmh.log" 2>&1 \
  || { tail -40 "$WORK/jmh.log" >&2; keel_die "the JMH run failed (above)"; }
# CodecBench's setup prints its kernel; JMH may put it on the line of an iteration header.
KERNEL=$(grep -o 'kernel: [a-z0-9-]*' "$WORK/jmh.log" | sed 's/^kernel: //' | sort -u | paste -sd, -)

echo "ec-bench: ISA-L (1 thread) ..." >&2
"$WORK/isal_bench" "$SECONDS_PER" >"$WORK/isal.txt" || keel_die "the ISA-L harness failed"

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
CPU=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
python3 - "$WORK/jmh.csv" "$WORK/isal.txt" "$ROOT/docs/BENCHMARKS.md" "$WRITE_DOC" "$SECONDS_PER" "$COMMIT" \
  "$(nproc)" "$KERNEL" "$CPU" "$(java -version 2>&1 | head -1)" <<'PY'
import csv, re, sys, time
jmh, isal, doc, write_doc, seconds, commit, cores, kernel, cpu, jvm = sys.argv[1:11]
STRIPE = 1 << 20

def data_bytes(code):
    m = int(code.split("+")[0])
    return m * (STRIPE // m // 64 * 64)

keel = {}
for row in csv.DictReader(open(jmh)):
    op = row["Benchmark"].rsplit(".", 1)[1]
    code = row["Param: code"]
    keel[(op, code)] = float(row["Score"]) * data_bytes(code) / 1e9
ref = {}
for line in open(isal):
    _, op, code, gbs = line.split()
    ref[(op, code)] = float(gbs)
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
    f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/ec-bench.sh --seconds {seconds}`,"
    f" Keel `{commit}`, {cpu}, {cores} cores shared with other work (figures vary by 10-20 % between runs)."
    f" One thread each. Keel: keel-ec's `ReedSolomon` on the `{kernel}` kernel under JMH ({jvm}; 2 warm-up and"
    f" 3 measured iterations of {seconds} s, mean); ISA-L: Debian's libisal `ec_encode_data` (its own"
    " runtime choice of hand-written SIMD code: on this CPU the AVX-512 vpshufb version of the same split-nibble"
    " technique; Debian's 2.30 build has no GFNI code). A stripe is 1 MiB of data in M fragments of"
    " floor(1 MiB / M / 64) x 64 bytes; decode rebuilds 2 lost data fragments from M survivors, matrix"
    " inversion included. GB/s = data bytes per second / 10^9.",
    "",
    "| code | operation | Keel GB/s | ISA-L GB/s | Keel / ISA-L | goal | |",
    "|---|---|---:|---:|---:|---:|---|",
    *rows,
    "<!-- END bench/ec-bench.sh -->",
])
print(section)
if write_doc == "1":
    text = open(doc).read()
    pattern = re.compile(r"<!-- BEGIN bench/ec-bench.sh.*?<!-- END bench/ec-bench.sh -->", re.S)
    text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
    open(doc, "w").write(text)
PY
