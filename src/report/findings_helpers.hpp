// What the finding files share (findings.cpp, findings_micro.cpp, findings_sim.cpp,
// penalty_table.cpp): the inputs every finding reads, lookups in a suite's summaries, the wording
// of numbers, and one function per finding in the order the report lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/findings.hpp"

namespace wasmhop::report::findings_detail {

// Table 1's configuration that makes many calls per host request (Instance::call_many): not one
// hop, so the cheapest-hop findings leave it out.
inline constexpr const char* kManyConfig = "pair-many";

// What every finding reads: the suite, its headline host build, the plan's engines and those of
// them that run guests in a sandbox.
struct FindingInputs {
  const SuiteData& d;
  std::string build;
  std::vector<std::string> engines;
  std::vector<std::string> sandboxed;
};

// Lookups (findings_lookup.cpp).
[[nodiscard]] bool finite_pos(double v);
[[nodiscard]] const GroupSummary* micro_group(const SuiteData& d, const std::string& experiment,
                                              const std::string& build, const std::string& engine,
                                              const std::string& config,
                                              std::optional<std::uint64_t> batch = std::nullopt,
                                              std::optional<std::uint64_t> payload = std::nullopt);
[[nodiscard]] std::vector<std::string> plan_engines(const SuiteData& d);
[[nodiscard]] std::vector<std::string> plan_policies(const SuiteData& d);
[[nodiscard]] bool paper_abi(const std::string& abi);  // pair, bincode, pod-static
[[nodiscard]] double median_of(std::vector<double> v);

// Words (findings_format.cpp).
[[nodiscard]] std::string config_words(const std::string& config);
[[nodiscard]] std::string fmt_rate(double bytes_per_second);
[[nodiscard]] std::string grouped(std::uint64_t n);  // 100000 -> "100,000"
[[nodiscard]] std::string policy_upper(const std::string& policy);

// The findings, one sentence each or nullopt when the records do not allow it.
// findings_micro.cpp: the micro-benchmark's.
[[nodiscard]] std::optional<std::string> cheapest_hop(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> cheapest_per_engine(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> best_abi(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> uncached_lookup(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> debug_host(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> setup_cost(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> batching(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> both_directions(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> many_calls(const FindingInputs& in);
// findings_sim.cpp: the simulator's.
[[nodiscard]] std::optional<std::string> sim_penalty(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> hit_rates(const FindingInputs& in);
[[nodiscard]] std::optional<std::string> exact_counts(const FindingInputs& in);

}  // namespace wasmhop::report::findings_detail
