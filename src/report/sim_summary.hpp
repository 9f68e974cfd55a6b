// Statistics of the simulator's records (run/sim_record.hpp, written by `wasmhop sim` as each
// simulation completes): timed runs grouped over replications (mean, 95% CI of the CPU and wall
// seconds), the scripted / native penalty, hit-rate tables, and the check that every engine
// reproduced the native counts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/stats.hpp"
#include "run/sim_record.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::report {

// The summaries are made from the run layer's typed records.
using run::SimRecord;

inline constexpr int kSimSummarySchema = 2;

struct SimGroup {
  // key
  std::string purpose, trace, host_build, policy, size_change, engine, tier, scenario, abi;
  bool cached = true;
  std::uint64_t cache_bytes = 0;
  // values
  std::uint64_t requests = 0, hits = 0, bytes_requested = 0, bytes_hit = 0;
  bool counts_agree = true;      // every replication counted the same
  Summary cpu_s;                 // sim_cpu_seconds over the replications
  Summary wall_s;                // sim_seconds
  Summary setup_s;
  [[nodiscard]] double hit_rate() const noexcept { return requests ? double(hits) / double(requests) : 0.0; }
  [[nodiscard]] double byte_hit_rate() const noexcept {
    return bytes_requested ? double(bytes_hit) / double(bytes_requested) : 0.0;
  }
  [[nodiscard]] double ns_per_request() const noexcept {
    return requests ? cpu_s.mean * 1e9 / double(requests) : 0.0;
  }
  // Against the native direct baseline of the same (purpose, trace, host build, policy, cache size, size
  // change): its median seconds and median scripted / median native. NaN for the baseline itself and
  // where there is none.
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  double native_cpu_s_median = kNone, native_wall_s_median = kNone;
  double ratio_cpu_median = kNone, ratio_wall_median = kNone;
};

// Groups by (purpose, trace, host_build, policy, cache_bytes, size_change, engine, tier, abi, cached).
[[nodiscard]] std::vector<SimGroup> summarize_sim(const std::vector<SimRecord>& rows, double confidence = 0.95);

// Engine rows against the direct native rows of the same (trace, policy, cache, size-change).
struct CountCheck {
  std::size_t compared = 0;      // engine rows with a native reference
  std::size_t mismatches = 0;
  std::size_t without_reference = 0;
  std::vector<std::string> details;  // the first mismatches, one line each
  std::vector<std::string> engines;  // engines compared
};
[[nodiscard]] CountCheck check_counts(const std::vector<SimRecord>& rows, const std::string& purpose);

// Whether a policy label ("gds(one)", "lru") names the policy `name` ("gds" = GDS with its default
// cost "one").
[[nodiscard]] bool policy_matches(const std::string& label, const std::string& name);

// Scripted / native-direct mean CPU time of the timed groups of one host build.
struct Penalty {
  std::string host_build, engine, tier, scenario, abi, policy;
  bool cached = true;
  double ratio = 0;          // mean scripted / mean native direct
  double scripted_s = 0, native_s = 0;
};
[[nodiscard]] std::vector<Penalty> penalties(const std::vector<SimGroup>& groups);

// CSV of the groups (one row each, header first). Columns: the key (purpose, trace, host_build, policy,
// cache_bytes, size_change, engine, tier, scenario, abi, cached), the counts (requests, hits, bytes_requested,
// bytes_hit), hit_rate and byte_hit_rate (fractions), counts_agree, n, cpu_s_{mean,sd,median,ci_low,ci_high,
// ci_half}, wall_s_{mean,median,ci_half}, setup_s_mean, ns_per_request, then (schema 2)
// native_cpu_s_median, native_wall_s_median, ratio_cpu_median, ratio_wall_median and schema.
[[nodiscard]] Status write_sim_summary_csv(const std::filesystem::path& path, const std::vector<SimGroup>& groups);

}  // namespace wasmhop::report
