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
# The main job: call a guest script on every engine and print the cost per call.
build/release/bin/wasmhop engines
echo
build/release/bin/wasmhop demo
