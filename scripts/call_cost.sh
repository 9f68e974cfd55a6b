#!/usr/bin/env bash
# Instructions per Pair call, wasmhop's typed handle (every call guarded by itself, and under a
# TrapScope) vs the engine's raw API, counted by callgrind (repeatable on a busy machine, unlike
# time). Each side runs alone in its own process (engine_overhead --side) at two call counts; the
# difference over the difference in calls is the cost of one call, set-up and compile cancelling
# out. The raw side is the raw bench's first loop: for native and wasm2c the call with no trap
# guard (native: a plain indirect call into the script's .so).
#
#   scripts/call_cost.sh [BUILD_DIR] [ENGINE_ID...]     default: build/release, every plugin engine
set -euo pipefail
build=${1:-build/release}
shift || true
engines=("$@")
[[ ${#engines[@]} -gt 0 ]] || engines=(wasm3 wamr-interp wasmi wasmtime-cranelift wasmtime-winch wasmtime-pulley
                                       wasmer-singlepass wasmer-cranelift wasmer-llvm)
bin=$build/bin/engine_overhead
command -v valgrind >/dev/null || { echo "call_cost.sh: needs valgrind" >&2; exit 1; }

# "instructions calls" of one run (calls: what that side made; engine_overhead gives interpreters
# a twentieth and warms wasmhop's loop up first), or nothing when the engine failed.
count() {
  local log json n
  log=$(mktemp)
  json=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" "$bin" --engine "$1" \
           --side "$2" --calls "$3" --reps 1) || { rm -f "$log"; return 0; }
  n=$(sed -n 's/.*"calls":\([0-9]*\).*/\1/p' <<<"$json")
  [[ $2 != raw ]] && n=$(( n + (n / 10 > 1000 ? n / 10 : 1000) ))
  echo "$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log") $n"
  rm -f "$log"
}

printf '%-20s %12s %12s %12s %8s %12s\n' engine wasmhop_Ir scope_Ir raw_Ir extra scope_extra
for id in "${engines[@]}"; do
  per=()
  for side in wasmhop scope raw; do
    ir_a= ir_b=
    read -r ir_a n_a < <(count "$id" "$side" 400000 || true)
    read -r ir_b n_b < <(count "$id" "$side" 2400000 || true)
    if [[ -z ${ir_a:-} || -z ${ir_b:-} ]]; then per+=(-); continue; fi
    per+=("$(python3 -c "print(f'{($ir_b - $ir_a) / ($n_b - $n_a):.1f}')")")
  done
  extra=- scope_extra=-  # over the raw call; without a scope to arm, scope is the same loop as wasmhop
  [[ ${per[0]} != - && ${per[2]} != - ]] && extra=$(python3 -c "print(f'{${per[0]} - ${per[2]}:+.1f}')")
  [[ ${per[1]} != - && ${per[2]} != - ]] && scope_extra=$(python3 -c "print(f'{${per[1]} - ${per[2]}:+.1f}')")
  printf '%-20s %12s %12s %12s %8s %12s\n' "$id" "${per[0]}" "${per[1]}" "${per[2]}" "$extra" "$scope_extra"
done
