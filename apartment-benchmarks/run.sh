#!/usr/bin/env bash
# Runs the JMH suite with the report's settings and writes, into one output folder:
#   results.json (JMH JSON), results.txt (JMH's log), results.md (tables + targets), results.png (chart).
#
#   apartment-benchmarks/run.sh                  # the report: 3 forks x (3 warm-up + 5 measured) x 1 s, -prof gc
#                                                # about 22-25 minutes on a 2-core machine
#   apartment-benchmarks/run.sh --quick          # smoke-sized figures: 1 fork x (1 + 2) x 1 s, about 2-3 minutes
#   apartment-benchmarks/run.sh --quick RoundTrip -p peer=apartment,netty   # extra arguments go to JMH
#
# Options (before any JMH argument):
#   --quick        short settings, figures for orientation only
#   --out DIR      output folder (default: apartment-benchmarks/results/<full|quick>-<timestamp>)
#   --no-build     use the existing target/benchmarks.jar
# Exits non-zero if any benchmark failed (a lost or duplicated task, a loop that did not stop, ...).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$HERE/target/benchmarks.jar"
MODE=full
OUT=""
BUILD=1

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    --) shift; break ;;
    *) break ;;
  esac
done

if [ "$BUILD" = 1 ]; then
  echo "building $JAR ..."
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl apartment-benchmarks -am)
fi
[ -f "$JAR" ] || { echo "missing $JAR (build: ./mvnw package -DskipTests -pl apartment-benchmarks -am)" >&2; exit 1; }

case "$MODE" in
  full)  SETTINGS=(-f 3 -wi 3 -w 1s -i 5 -r 1s) ;;
  quick) SETTINGS=(-f 1 -wi 1 -w 1s -i 2 -r 1s) ;;
esac
OUT="${OUT:-$HERE/results/$MODE-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

echo "running the $MODE suite (${SETTINGS[*]} -prof gc) into $OUT"
status=0
java -jar "$JAR" "${SETTINGS[@]}" -prof gc -rf json -rff "$OUT/results.json" "$@" 2>&1 | tee "$OUT/results.txt" \
  || status=$?

if grep -q '<failure>' "$OUT/results.txt"; then
  echo "FAILED benchmarks (details in $OUT/results.txt):" >&2
  awk '/^# Benchmark:/ {b=$3} /^# Parameters:/ {p=$0; sub(/^# Parameters: /, "", p)}
       /<failure>/ && !seen[b p]++ {print "  " b " " p}' "$OUT/results.txt" >&2
  status=1
fi

if grep -q '"benchmark"' "$OUT/results.json" 2>/dev/null; then
  java -cp "$JAR" dev.apartment.bench.report.Table "$OUT/results.json" > "$OUT/results.md"
  java -Djava.awt.headless=true -cp "$JAR" dev.apartment.bench.report.Chart "$OUT/results.json" "$OUT/results.png"
  echo
  cat "$OUT/results.md"
  echo
  echo "wrote $OUT/results.json, results.md, results.png"
fi
exit "$status"
