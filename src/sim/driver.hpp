// The simulator driver: runs policies over a trace for a list of cache sizes and collects one
// record per (policy, cost, cache size) with exact counters and the simulation time.
//
// Two ways to feed a trace, both reading it once:
//  * in memory (run_sweep over a Trace): each job runs over the whole trace; jobs are spread over
//    `threads` workers (hit-rate sweeps) or run one at a time (threads = 1: timed runs);
//  * streaming (run_sweep over a TraceReader): all runners exist at once and every chunk read is
//    fed to all of them (in parallel) before the next chunk is read, so a trace larger than memory
//    is read once.
// Reading time is reported apart from simulation time, and runner setup apart from both.
#pragma once

#include <atomic>
#include <functional>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/policies.hpp"
#include "sim/runner.hpp"
#include "trace/reader.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

struct SimRecord {
  std::string policy;
  cache::CacheConfig config;
  bool uses_cost = false;
  RunnerLabel label;
  cache::CacheStats stats;     // after the warm-up prefix
  std::uint64_t simulated = 0; // requests fed to the runner, warm-up included
  double setup_seconds = 0;    // RunnerFactory::create
  double sim_seconds = 0;      // access_batch calls only (wall clock)
  double sim_cpu_seconds = 0;  // the same calls, CPU time of the calling thread (robust on a busy machine)

  [[nodiscard]] double hit_rate() const noexcept;
  [[nodiscard]] double byte_hit_rate() const noexcept;
  [[nodiscard]] double requests_per_second() const noexcept;  // simulated / sim_seconds
  [[nodiscard]] std::string policy_label() const;             // "gds(packets)" or "lru"
};

struct TraceSummary {  // every member has a default: built with designated initializers
  std::string path{};
  TraceFormat format = TraceFormat::text;
  std::string compression{};
  std::uint64_t records = 0;
  std::uint64_t skipped = 0;
  std::vector<std::string> first_errors{};
  double read_seconds = 0;
  bool streamed = false;
  std::string input{};  // why it was streamed or loaded (input_plan.hpp), when the caller chose
  bool read_ahead = false;  // streamed on a thread of its own, overlapping the jobs (read_ahead.hpp)
};

// The facts of a trace loaded in memory (not streamed).
[[nodiscard]] TraceSummary summarize(const Trace& trace);

struct SweepOptions {
  unsigned threads = 0;                          // 0: all cores; 1: one job at a time (timed runs)
  std::uint64_t warmup = 0;                      // leading requests excluded from the counters
  std::size_t chunk_records = std::size_t{1} << 14;  // streaming: records per chunk
  // Called once per completed job, as it completes (serialized; from a worker thread), so results
  // can be written before the sweep ends.
  std::function<void(const SimRecord&)> on_record{};
  // When it becomes non-zero (a signal handler sets it), jobs not yet started are not started (in
  // memory) or the sweep stops before the next chunk (streaming; no job completes then). The result
  // holds the completed jobs and `interrupted`.
  const std::atomic<int>* stop = nullptr;
};

struct SweepResult {
  TraceSummary trace;
  unsigned threads = 1;
  std::uint64_t warmup = 0;
  std::vector<SimRecord> records;  // in job order (completed jobs only when interrupted)
  bool interrupted = false;        // SweepOptions::stop was set before every job completed
};

// Jobs for every (policy, size) pair, policies outermost.
[[nodiscard]] std::vector<RunSpec> make_runs(std::span<const PolicyChoice> policies,
                                             std::span<const std::uint64_t> cache_sizes,
                                             cache::SizeChange size_change);

[[nodiscard]] Result<SweepResult> run_sweep(const Trace& trace, std::span<const RunSpec> runs,
                                            RunnerFactory& factory, const SweepOptions& options);
[[nodiscard]] Result<SweepResult> run_sweep(TraceReader& reader, std::span<const RunSpec> runs,
                                            RunnerFactory& factory, const SweepOptions& options);

}  // namespace wasmhop::sim
