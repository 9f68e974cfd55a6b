// `wasmhop micro` without --child-engine: one child process per (host build, engine), each a step
// of a results directory (run/run_dir.hpp) whose records go to records/micro.<build>.<engine>.jsonl;
// then the summary (CSV, JSON, console) and plots from those records alone. --resume DIR continues.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wasmhop::cli {

struct MicroCli {
  std::vector<std::string> engines;
  std::vector<std::string> builds;
  std::vector<std::string> configs;
  int reps = 100;
  std::int64_t calls = 100'000;
  bool quick = false;
  bool no_batch = false;
  bool no_payload = false;
  bool no_hostcall = false;
  bool no_canonical = false;
  bool no_plots = false;
  std::string out;
  std::string debug_binary;
  std::string release_binary;
  std::uint64_t seed = 20221;
  std::string guest_dir = WASMHOP_GUEST_DIR;
  bool guest_dir_given = false;  // else each host binary uses its own build's guests
  std::string resume;  // continue the run in this directory
  // child mode
  std::string child_engine;
  std::string records;
  std::string run_id;
  std::string step;
};

// The options a run records in run.json (and --resume reads back).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MicroCli, engines, builds, configs, reps, calls, quick, no_batch,
                                                no_payload, no_hostcall, no_canonical, seed, guest_dir,
                                                guest_dir_given)

// Each returns the command's exit status (messages on stderr).
[[nodiscard]] int micro_child(const MicroCli& o);
[[nodiscard]] int micro_parent(MicroCli o);
[[nodiscard]] int micro_resume(const std::string& dir, bool no_plots);

}  // namespace wasmhop::cli
