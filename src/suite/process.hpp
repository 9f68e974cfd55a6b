// Child processes of the suite: one measurement per process, output to a log file, stoppable.
//
// Children are started with fork + exec in a process group of their own (a Ctrl-C on the terminal
// reaches only the suite, which then stops the child on purpose) and with PR_SET_PDEATHSIG, so a
// child never outlives a suite that crashed. SIGINT / SIGTERM to the suite only set a flag
// (install_stop_handlers); the suite polls it while it waits.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::suite {

// Installs SIGINT/SIGTERM handlers that record the signal (no SA_RESTART). Idempotent.
void install_stop_handlers();
// The signal received since install_stop_handlers (0 = none).
[[nodiscard]] int stop_requested() noexcept;
// The flag itself (for loops that take a pointer, e.g. sim::SweepOptions::stop).
[[nodiscard]] const std::atomic<int>& stop_flag() noexcept;
// For tests: forget a received signal.
void clear_stop_request() noexcept;

struct ChildOutcome {
  int exit_status = 0;        // exit code, or 128 + signal number
  bool stopped = false;       // we stopped it because a stop was requested
  bool timed_out = false;     // we killed it at ChildOptions::timeout
  double wall_s = 0;
  double cpu_s = 0;           // user + system CPU time of the child (and its waited-for children)
};

struct ChildOptions {
  std::filesystem::path log;                  // stdout + stderr appended here ("" = inherit)
  std::chrono::milliseconds tick{250};        // how often on_tick runs while waiting
  std::function<void(double elapsed_s)> on_tick;  // progress display
  std::chrono::milliseconds timeout{0};       // kill it (SIGTERM, SIGKILL after 3 s) after this long; 0 = never
};

// Runs argv[0] (a path) with argv; waits; stops it (SIGTERM, then SIGKILL after 3 s) when a stop
// is requested or its timeout passes. Errors: the program cannot be started or the log cannot be opened.
[[nodiscard]] Result<ChildOutcome> run_logged(const std::vector<std::string>& argv, const ChildOptions& options);

// Runs a short helper command and returns its stdout (stderr discarded). A missing program or a
// non-zero exit is an error naming the command.
[[nodiscard]] Result<std::string> capture_output(const std::vector<std::string>& argv);

// Searches PATH for a program name (returns "" when absent); a name with a '/' is returned as is.
[[nodiscard]] std::string find_program(const std::string& name);

// "a b 'c d'": argv quoted for a POSIX shell (for logs and "how to rerun").
[[nodiscard]] std::string shell_join(const std::vector<std::string>& argv);

}  // namespace wasmhop::suite

namespace wasmhop::suite {

// Runs several commands at once (each with its own log; stdout + stderr) and waits for all of them.
// Returns each one's exit status (128 + signal); a command that cannot start gets 127. A stop
// request stops them all.
[[nodiscard]] std::vector<int> run_parallel(const std::vector<std::vector<std::string>>& commands,
                                            const std::vector<std::filesystem::path>& logs);

}  // namespace wasmhop::suite
