// What each kind of step of the suite's plan runs (its child's command line) and how its records
// are checked once the child exits. Every child writes its own typed records to
// records/<step>.jsonl (micro --records, sim --records); gen's record is the workload's facts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "suite/environment.hpp"
#include "suite/plan.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct StepContext {
  std::filesystem::path dir;                 // the results directory
  Plan plan;
  std::map<std::string, HostBinary> hosts;   // by build
};

[[nodiscard]] std::filesystem::path workload_path(const StepContext& c);
[[nodiscard]] std::filesystem::path records_path(const StepContext& c, const Step& s);
[[nodiscard]] std::filesystem::path log_path(const StepContext& c, const Step& s);

// The child's command line.
[[nodiscard]] std::vector<std::string> step_argv(const StepContext& c, const Step& s);

// After the child exited cleanly: the number of records the step wrote (gen: writes the workload's
// record and the prefixes other steps run on). None is an error: the step failed.
[[nodiscard]] Result<std::uint64_t> collect_step(const StepContext& c, const Step& s);

}  // namespace wasmhop::suite
