// Runs a child process (usually this executable again) and captures its standard output.
// One engine configuration per process: V8 tiers are process-global.
#pragma once

#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::cli {

struct ChildResult {
  int exit_status = 0;      // exit code, or 128 + signal number
  std::string out;          // everything the child wrote to stdout
};

// Path of the running executable (/proc/self/exe).
[[nodiscard]] std::string self_executable();

// Runs argv (argv[0] is the program path); stderr passes through to ours.
[[nodiscard]] Result<ChildResult> run_child(const std::vector<std::string>& argv);

}  // namespace wasmhop::cli
