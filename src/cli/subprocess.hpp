// Runs a child process (usually this executable again) and captures its standard output.
// One engine configuration per process: V8 tiers are process-global.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::cli {

struct ChildResult {
  int exit_status = 0;      // exit code, or 128 + signal number
  std::string out;          // everything the child wrote to stdout
};

// This process's command line, as the kernel has it (/proc/self/cmdline).
[[nodiscard]] std::vector<std::string> command_line();

// Path of the running executable (/proc/self/exe).
[[nodiscard]] std::string self_executable();

// Runs argv (argv[0] is the program path); stderr passes through to ours.
[[nodiscard]] Result<ChildResult> run_child(const std::vector<std::string>& argv);

// For code that cannot be stopped in-process (engines without Capabilities::interruptible): runs
// argv like run_child and kills the child (SIGKILL) once it has run `timeout` past its start mark.
// An argument "{mark-fd}" becomes the number of a descriptor the child writes one-byte marks to;
// the clock starts at its first mark (so a child marks once it has compiled, and compile time is
// not counted), and the last mark tells the caller how far it got. A child that never marks gets
// `timeout` plus `before_mark` in all. The child dies with this process too (PR_SET_PDEATHSIG).
struct TimedChildResult {
  ChildResult child;
  bool timed_out = false;
  char last_mark = 0;  // 0: none
};
[[nodiscard]] Result<TimedChildResult> run_child_with_timeout(const std::vector<std::string>& argv,
                                                              std::chrono::nanoseconds timeout,
                                                              std::chrono::nanoseconds before_mark);

}  // namespace wasmhop::cli
