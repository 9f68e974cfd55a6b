// What the micro-benchmark's figures print besides the groups' statistics, computed here so that
// tools/plot_micro.py only selects rows and draws (it computes no statistic and aggregates nothing).
//
//   auto units = wasmhop::report::replication_units(groups);   // captions: "3 replications of 2,000 calls"
//   auto refs = wasmhop::report::batch_references(groups);     // the batch sweep's reference line per build
//
// Both go into micro_summary.json (micro_summary.hpp) as "units" and "batch_reference".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/stats.hpp"

namespace wasmhop::report {

// Replications and calls per replication over a set of groups: one entry per experiment, per
// (experiment, host build), per (experiment, host build, engine) and per (experiment, config); an empty
// key field means "every value". Groups whose records disagree on calls (calls == 0) add no calls.
struct ReplicationUnits {
  std::string experiment, host_build, engine, config;
  std::size_t n_min = 0, n_max = 0;
  std::uint64_t calls_min = 0, calls_max = 0;  // 0, 0: no group with a known call count
};
[[nodiscard]] std::vector<ReplicationUnits> replication_units(std::span<const GroupSummary> groups);

// The batch sweep's "guest's own work per record" line of one host build: the lowest median ns per
// record of the reference groups. Those are the batch groups of ABI "native" or with a "native" word in
// the configuration name (the guest's loop without a call boundary); without any, the engine "native"
// at its largest batch size.
struct BatchReference {
  std::string host_build;
  double ns_per_record = 0.0;
  bool from_native_config = true;          // false: engine native at batch_size
  std::uint64_t batch_size = 0;
  std::vector<std::string> configs;        // the reference configurations (drawn as the line, not as series)
};
[[nodiscard]] std::vector<BatchReference> batch_references(std::span<const GroupSummary> groups);

[[nodiscard]] nlohmann::json to_json(const ReplicationUnits& u);
[[nodiscard]] nlohmann::json to_json(const BatchReference& r);

}  // namespace wasmhop::report
