#!/usr/bin/env bash
# Prints a JMH JSON result file as Markdown: peers side by side, Apartment-only figures, the tuning targets.
#   apartment-benchmarks/table.sh results.json > results.md
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$HERE/target/benchmarks.jar"
[ $# -eq 1 ] || { echo "usage: $0 results.json" >&2; exit 2; }
[ -f "$JAR" ] || (cd "$HERE/.." && ./mvnw -q -B package -DskipTests -pl apartment-benchmarks -am) >&2
exec java -cp "$JAR" dev.apartment.bench.report.Table "$1"
