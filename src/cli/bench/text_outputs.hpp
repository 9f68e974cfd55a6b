// `wasmhop bench`'s text outputs: the terminal table, JSON (--json) and CSV (--csv).
//
// JSON (one object): module, export, type, args, settings {batch_ms, reps, max_time_s, timeout_s},
// exit_status, verdict, agree, outcomes [{outcome, engines}], engines: one object per engine,
// fastest first, with the fields of a CSV row (numbers as numbers; null when not reached) plus
// per_call_ns, every timed batch's ns per call.
//
// CSV (header line, then one row per engine, fastest first): engine, status (ok, trap, error,
// crashed, timeout, skipped), tier, version, compile_ms, instantiate_ms, first_call_us, median_ns,
// ci_low_ns, ci_high_ns (95 % CI of the median, order statistics), ci_95 (1: it reaches 95 %; 0: too
// few batches, the range), ratio (median / best median), calls_per_batch, reps, call_path (direct,
// packed), differing_calls, result (the first call's results or trap), message. Empty when not reached.
#pragma once

#include <cstdio>
#include <string>

#include "cli/bench/bench_report.hpp"

namespace wasmhop::cli::bench {

void print_table(const BenchReport& r, std::FILE* out);
[[nodiscard]] std::string to_json(const BenchReport& r);
[[nodiscard]] std::string to_csv(const BenchReport& r);

}  // namespace wasmhop::cli::bench
