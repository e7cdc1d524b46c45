#!/usr/bin/env bash
# Builds the samples jar and writes docs/samples-*.png: the samples window driven into a few states, painted into
# images by the command's hidden --screenshots mode, under a virtual X display (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v xvfb-run >/dev/null || { echo "xvfb-run not found: install the 'xvfb' package" >&2; exit 1; }
./mvnw -q -DskipTests -pl apartment-samples -am package
xvfb-run -a -s "-screen 0 1280x800x24" java -jar apartment-samples/target/apartment-samples.jar --screenshots docs
ls -l docs/samples-*.png
