#!/usr/bin/env bash
# Runs each fuzzer in turn on one core, each for SECONDS (default 300), from its generated seed
# corpus; the growing corpus, crash artifacts and logs stay in the build directory.
#   CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DWASMHOP_BUILD_FUZZERS=ON
#   ninja -C build/fuzz fuzzers fuzz_seeds
#   fuzz/run.sh build/fuzz [SECONDS] [HARNESS...]
# Prints one line per harness: executions, corpus size, and whether it found anything.
set -u
build=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]}
seconds=${2:-300}
shift $(( $# >= 2 ? 2 : 1 ))
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(fuzz_trace_text fuzz_trace_csv fuzz_trace_oracle fuzz_trace_compressed fuzz_size_parse fuzz_bincode
             fuzz_flatbuffers fuzz_memory_limit fuzz_module_wabt fuzz_module_wasm2c fuzz_module_v8)
fi
seed_dir() {
  case "$1" in
    fuzz_trace_*) echo "trace_${1#fuzz_trace_}" ;;
    fuzz_module_*) echo "module_${1#fuzz_module_}" ;;
    *) echo "${1#fuzz_}" ;;
  esac
}
# V8 keeps its own signal handlers away (wasmhop installs the trap handler); leaks in libnode's
# start-up are not ours (see docs/hardening.md).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:handle_segv=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for h in "${harnesses[@]}"; do
  bin="$build/fuzz/$h"
  corpus="$build/fuzz/corpus/$h"
  artifacts="$build/fuzz/artifacts/$h/"
  log="$build/fuzz/logs/$h.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  cp -n "$build/fuzz/seeds/$(seed_dir "$h")"/* "$corpus"/ 2>/dev/null
  extra=()
  asan=$ASAN_OPTIONS
  # V8 is never torn down (one per process): its heap pages are still allocated at exit.
  [ "$h" = fuzz_module_v8 ] && { extra=(-detect_leaks=0); asan="$asan:detect_leaks=0"; }
  ASAN_OPTIONS=$asan taskset -c "${FUZZ_CPU:-0}" "$bin" "$corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" "${extra[@]}" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  found=$(ls "$artifacts" | wc -l)
  printf '%-24s exit %d  %10s executions in %ss  corpus %5d  artifacts %d\n' "$h" "$rc" "${execs:-?}" "$seconds" \
    "$(ls "$corpus" | wc -l)" "$found"
  [ "$rc" -ne 0 ] && status=1
done
exit $status
