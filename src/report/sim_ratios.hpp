// The slowdown of each scripted scenario over the policies: per (purpose, trace, host build, cache size,
// size change, engine, scenario), the geometric mean, minimum and maximum over the policies of the
// median scripted / median native time (SimGroup::ratio_*_median). tools/plot_sim.py draws its ratio
// figure from these rows and computes nothing.
//
//   auto ratios = wasmhop::report::summarize_ratios(wasmhop::report::summarize_sim(rows));
//   write_sim_ratios_csv("report/sim_ratios.csv", ratios);
//
// CSV columns (RFC 4180, CRLF): purpose, trace, host_build, cache_bytes, size_change, engine, tier, scenario,
// abi, cached, requests, policies (the policies with a CPU ratio), cpu_ratio_geomean, cpu_ratio_min,
// cpu_ratio_max, wall_ratio_geomean, wall_ratio_min, wall_ratio_max, schema (kSimSummarySchema).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "report/sim_summary.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::report {

struct RatioRange {
  double geomean = 0.0, min = 0.0, max = 0.0;  // NaN when no policy has a ratio
};

struct SimRatios {
  std::string purpose, trace, host_build, size_change, engine, tier, scenario, abi;
  bool cached = true;
  std::uint64_t cache_bytes = 0, requests = 0;
  std::size_t policies = 0;
  RatioRange cpu, wall;
};

[[nodiscard]] std::vector<SimRatios> summarize_ratios(const std::vector<SimGroup>& groups);
// DIR/sim_summary.csv (write_sim_summary_csv) and DIR/sim_ratios.csv (summarize_ratios of the groups): what
// tools/plot_sim.py reads.
[[nodiscard]] Status write_sim_summaries(const std::filesystem::path& dir, const std::vector<SimGroup>& groups);
[[nodiscard]] Status write_sim_ratios_csv(const std::filesystem::path& path, const std::vector<SimRatios>& ratios);

}  // namespace wasmhop::report
