// Findings of a suite run, computed from its summaries (never typed by hand): the cheapest sandboxed
// hop, the best ABI for arbitrary data, the price of uncached lookups and of a Debug host, compile
// costs, batching, the simulator's scripted / native penalty per engine and policy beside the paper's
// 5-10x, hit rates beside the paper's, and whether every engine reproduced the native counts.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_doc.hpp"
#include "report/sim_summary.hpp"
#include "report/stats.hpp"
#include "run/workload_record.hpp"

namespace wasmhop::report {

struct StepStatus {
  std::string id, kind;
  bool done = false, failed = false;
  int attempts = 0;
  double wall_s = 0;
  double cpu_s = 0;
  std::uint64_t records = 0;
  std::string message;
};

// Everything a suite report is made from (read by src/suite/report_builder.cpp).
// One results directory a report was made from (several: the shards of one study).
struct SourceDir {
  std::filesystem::path dir;
  std::string shard;            // "K/N"
  std::size_t steps_done = 0;
  std::string cpu_model;        // from its environment.json
};

struct SuiteData {
  std::filesystem::path dir;    // where the report is written
  nlohmann::json suite;         // run.json (of the first source)
  nlohmann::json environment;   // environment.json (of the first source)
  std::vector<SourceDir> sources;
  int mode_micro_reps = 0, mode_sim_reps = 0;  // the mode's defaults (the rerun command spells out others)
  std::vector<StepStatus> steps;
  double wall_s = 0;            // sum of the sessions' wall times (run-end events)
  int sessions = 0;             // run-start events (1 = uninterrupted)
  std::vector<GroupSummary> micro;
  std::vector<SimGroup> sim;
  CountCheck check_sample;      // purpose "check": engines vs native on the sample
  CountCheck check_time;        // purpose "time": every timed engine row vs native direct
  std::vector<run::WorkloadRecord> workloads;
  std::map<std::string, std::filesystem::path> figures;  // name -> PNG
  std::size_t micro_records = 0, sim_records = 0;
};

// Whether an engine id runs guests in a sandbox (from the engines' capabilities in the environment;
// "native" / "native-direct" are not).
[[nodiscard]] bool is_sandboxed(const SuiteData& d, const std::string& engine);

// An engine's tier ("optimizing", "interpreter", ...) as its host listed it in environment.json,
// and "<id> (<tier>)" for tables.
[[nodiscard]] std::string engine_tier(const SuiteData& d, const std::string& engine);
[[nodiscard]] std::string engine_label(const SuiteData& d, const std::string& engine);

// The host build the headline numbers come from: "release" when present.
[[nodiscard]] std::string headline_build(const SuiteData& d);

// One Markdown-inline sentence per finding, most important first.
[[nodiscard]] std::vector<std::string> compute_findings(const SuiteData& d);

// The canonical ABI beside the hand-rolled ones, per engine that ran it (findings_canonical.cpp);
// nullopt when no canonical records.
[[nodiscard]] std::optional<std::string> canonical_finding(const SuiteData& d, const std::string& build);

// The penalty table beside the findings: engine x policy, range over the paper's scenarios.
[[nodiscard]] DocTable penalty_table(const SuiteData& d, const std::string& build);

// Number formatting shared by the report.
[[nodiscard]] std::string fmt_ns(double ns);
[[nodiscard]] std::string fmt_ratio(double r);
[[nodiscard]] std::string fmt_seconds(double s);
[[nodiscard]] std::string fmt_bytes(std::uint64_t b);
[[nodiscard]] std::string fmt_pct(double fraction, int decimals = 2);

}  // namespace wasmhop::report
