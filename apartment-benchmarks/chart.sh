#!/usr/bin/env bash
# Draws a JMH JSON result file as a PNG bar chart, the peers side by side per benchmark:
#   apartment-benchmarks/chart.sh results.json out.png
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$HERE/target/benchmarks.jar"
[ $# -eq 2 ] || { echo "usage: $0 results.json out.png" >&2; exit 2; }
[ -f "$JAR" ] || (cd "$HERE/.." && ./mvnw -q -B package -DskipTests -pl apartment-benchmarks -am)
exec java -Djava.awt.headless=true -cp "$JAR" dev.apartment.bench.report.Chart "$1" "$2"
