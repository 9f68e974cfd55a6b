// One planned step in a child process, journaled: the one sequence micro and suite share.
//
//   step-start -> the child (log, time limit, stop request) -> its end as an error kind (to_status)
//   -> collect (the step's own check of what it wrote: its records) -> step-done | step-failed |
//   step-interrupted
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "run/journal.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

struct ChildStep {
  std::string id;
  std::vector<std::string> argv;       // argv[0]: a path
  std::filesystem::path log;           // the child's stdout + stderr ("" = ours)
  std::chrono::milliseconds timeout{0};  // 0: none
  std::chrono::milliseconds tick{500};
  std::function<void(double elapsed_s)> on_tick;
  // After a clean exit: how many records the step wrote, or why it failed after all.
  std::function<Result<std::uint64_t>()> collect;
};

struct StepEnd {
  enum class State { done, failed, interrupted } state = State::done;
  double wall_s = 0, cpu_s = 0;
  std::uint64_t records = 0;
  Error error;      // failed / interrupted: why
  int signal = 0;   // interrupted: the signal that asked for the stop
};

// Runs attempt `attempt` of the step and journals it. Errors: only journal writes that fail.
[[nodiscard]] Result<StepEnd> run_step(Journal& journal, int attempt, const ChildStep& step);

}  // namespace wasmhop::run
