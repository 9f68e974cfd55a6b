#!/usr/bin/env bash
# Installs what is missing, builds the Release host and runs the whole test suite (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
cmake --preset release
cmake --build --preset release -j "$jobs"
# Each engine-facing test runs once per engine, in its own process.
ctest --preset release -j "$jobs" --timeout 900
