#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer: the "asan" presets
# (Debug host, gcc, -fsanitize=address,undefined; the test preset sets ASAN_OPTIONS, UBSAN_OPTIONS
# and LSAN_OPTIONS with scripts/lsan.supp). See docs/hardening.md for what the options are for and
# for the last run's time. Extra arguments go to ctest (e.g. -R hostile, -L wasm2c).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
cmake --preset asan
cmake --build --preset asan -j "$jobs"
start=$(date +%s)
status=0
ctest --preset asan -j "$jobs" --timeout 1800 "$@" || status=$?
echo "sanitizer run: $(( $(date +%s) - start )) s of tests, exit status $status"
exit "$status"
