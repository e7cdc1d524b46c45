#!/usr/bin/env bash
# CI smoke test of the benchmark module: builds target/benchmarks.jar, runs every benchmark for every peer once
# (non-forked, no warm-up, one 100 ms iteration: about 10-15 s), fails on the first error (a lost or duplicated task,
# a peer that does not start or stop), then renders the table and the chart from the smoke JSON.
#   apartment-benchmarks/smoke.sh              # build, then run
#   apartment-benchmarks/smoke.sh --no-build   # use the existing jar
# Extra arguments go to JMH (e.g. a regex). The figures mean nothing: it only proves that everything runs.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$HERE/target/benchmarks.jar"

if [ "${1:-}" = "--no-build" ]; then
  shift
else
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl apartment-benchmarks -am)
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s)
if ! timeout 600 java -Djava.awt.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw \
    -jar "$JAR" -f 0 -wi 0 -i 1 -r 100ms -foe true -rf json -rff "$TMP/smoke.json" "$@" > "$TMP/smoke.txt" 2>&1; then
  cat "$TMP/smoke.txt"
  echo "benchmark smoke: FAILED (log above)"
  exit 1
fi
java -cp "$JAR" dev.apartment.bench.report.Table "$TMP/smoke.json" > "$TMP/smoke.md"
java -Djava.awt.headless=true -cp "$JAR" dev.apartment.bench.report.Chart "$TMP/smoke.json" "$TMP/smoke.png" > /dev/null
n=$(grep -c '"benchmark"' "$TMP/smoke.json")
sed -n '/^Benchmark  /,$p' "$TMP/smoke.txt" | grep -v ':p0\.\|:p1\.'
echo "benchmark smoke took $(( $(date +%s) - start )) s; table and chart rendered"
echo "benchmark smoke ok: $n benchmark runs completed"
