// `wasmhop suite`: the whole study in one command. Locates (or builds) the Release and Debug hosts,
// generates the workload, runs every step of the plan (plan.hpp) in its own child process, records
// everything in one results directory, and finally writes the report (report_builder.hpp).
//
// Results directory (run/run_dir.hpp):
//   run.json            the plan (mode, seed, parameters, steps in run order), the shard, the host binaries
//   environment.json    machine, OS, compilers, build flags, engine versions, git revision, command line
//   journal.jsonl       run-start / step-start / step-done / step-failed / step-interrupted events (run/journal.hpp)
//   records/<step>.jsonl  the typed records each step's child writes as it measures (run/records.hpp)
//   records/discarded/    partial records of interrupted attempts, set aside on --resume (never counted)
//   logs/<step>.log     each child's stdout and stderr
//   workload/           the generated trace and the engine-check sample
//   report/             summaries (CSV/JSON), figures; report.md and report.html at the top
//
// Interruption (SIGINT / SIGTERM): the running child is stopped, the journal says so, and the
// command to resume is printed. --resume DIR re-runs what is not complete; a step's partial records
// are moved to records/discarded/ first, so the final records equal an uninterrupted run's.
//
// --shard K/N runs a deterministic 1/N of the plan (shard.hpp); `wasmhop report DIR...` merges shards.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct SuiteOptions {
  bool quick = false;
  std::string out;                        // new results directory ("" = results/suite-<date>-<time>)
  std::string resume;                     // continue this results directory
  std::optional<std::uint64_t> seed;      // run-order seed (default 20221)
  std::string shard;                      // "K/N": this shard of the plan (shard.hpp); "" = all of it
  std::vector<std::string> builds;        // host builds (default: release, debug)
  std::vector<std::string> engines;       // engine ids (default: every available engine)
  std::string debug_binary;               // explicit host binaries (default: located or built)
  std::string release_binary;
  bool build_missing = true;              // build a missing host with the CMake presets
  std::string paper_trace = "auto";       // "auto" | "none" | a path
  std::optional<int> micro_reps;          // micro replications (default: the mode's; 100 = the paper's protocol)
  std::optional<int> sim_reps;            // timed simulator replications per compiled engine (mode's default)
  double step_timeout_s = 0;              // kill a step after this long (0: max(600 s, 20x its expected time))
  bool report = true;                     // write the report at the end
  std::vector<std::string> argv;          // the command line, recorded
  std::FILE* out_stream = stderr;         // progress and messages
};

struct SuiteOutcome {
  std::filesystem::path dir;
  std::size_t steps = 0;
  std::size_t done = 0;
  std::size_t failed = 0;
  bool interrupted = false;
  int signal = 0;
  double wall_s = 0;
  bool report_requested = true;
  bool report_written = false;
  [[nodiscard]] int exit_status() const noexcept {
    if (interrupted) return 128 + (signal ? signal : 2);
    return failed == 0 && (report_written || !report_requested) ? 0 : 1;
  }
};

// Errors are setup problems (bad options, an existing directory without --resume, a host binary that
// cannot be found or built, ...); step failures are counted in the outcome instead.
[[nodiscard]] Result<SuiteOutcome> run_suite(const SuiteOptions& options);

}  // namespace wasmhop::suite
