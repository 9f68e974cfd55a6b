#!/usr/bin/env bash
# Installs what is missing, builds the Debug and Release hosts, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
for preset in release debug; do
  cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$jobs"
done
# The main job: reproduce the whole study (wasmhop suite: both host builds, every engine, the report).
build/release/bin/wasmhop engines
echo
out="results/suite-$(date +%Y%m%d-%H%M%S)"
status=0
build/release/bin/wasmhop suite --out "$out" || status=$?
echo "report: $PWD/$out/report.html (Markdown: $PWD/$out/report.md)"
exit "$status"
