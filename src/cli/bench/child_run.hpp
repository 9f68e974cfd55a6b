// The child process of `wasmhop bench`: one engine, measured in phases (compile, instantiate,
// first call, steady calls), printed as one JSON object on stdout. Errors and traps are part of that
// object; the child exits 0 whenever it could print it, so the parent tells them from a crash.
//
// JSON fields: engine, name, version, tier, interpreter, compile_ms, instantiate_ms, first_call_us,
// call_path ("direct" | "packed"), first: {results: [{type, bits, text}]} | {trap: {kind, message}},
// steady: {calls_per_batch, reps, per_call_ns: [...], checksum, differing_calls},
// error: {phase, kind, message} (phase: engine, compile, instantiate, export, args, steady).
#pragma once

#include "cli/bench/settings.hpp"

namespace wasmhop::cli::bench {

// Measures r.engine in this process and prints the JSON object. Returns the process exit status.
[[nodiscard]] int run_child(const ChildRequest& r);

}  // namespace wasmhop::cli::bench
