// Child processes: the one module that starts, watches and ends them (one engine configuration per
// process, since V8's tiers are process-global; a step of micro or the suite is one child).
//
// Every child is started with fork + exec and PR_SET_PDEATHSIG, so it never outlives a wasmhop that
// crashed. Children of micro / suite steps (run_logged) and plot jobs (run_parallel) also get a
// process group of their own: a Ctrl-C on the terminal reaches only wasmhop, which then stops the
// child on purpose (stop.hpp). A child's end becomes a Status with an error kind (to_status).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::run {

struct ChildOutcome {
  int exit_status = 0;        // exit code, or 128 + signal number
  bool stopped = false;       // we stopped it because a stop was requested
  bool timed_out = false;     // we killed it at ChildOptions::timeout
  double wall_s = 0;
  double cpu_s = 0;           // user + system CPU time of the child (and its waited-for children)
  double timeout_s = 0;       // the time limit it had (0: none)
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

// How a child ended, as an error kind: ok (exit status 0); timeout (killed at its time limit);
// interrupted (stopped on a stop request); internal (another exit status, or killed by a signal).
[[nodiscard]] Status to_status(const ChildOutcome& outcome);

struct ChildResult {
  int exit_status = 0;      // exit code, or 128 + signal number
  std::string out;          // everything the child wrote to stdout
};

// Runs argv (argv[0] is the program path) and captures its stdout; stdin and stderr are ours.
[[nodiscard]] Result<ChildResult> run_child(const std::vector<std::string>& argv);

// Runs a short helper command (argv[0] searched in PATH) and returns its stdout (stderr discarded).
// A missing program or a non-zero exit is an error naming the command.
[[nodiscard]] Result<std::string> capture_output(const std::vector<std::string>& argv);

// For code that cannot be stopped in-process (engines without Capabilities::interruptible): runs
// argv like run_child and kills the child (SIGKILL) once it has run `timeout` past its start mark.
// An argument "{mark-fd}" becomes the number of a descriptor the child writes one-byte marks to;
// the clock starts at its first mark (so a child marks once it has compiled, and compile time is
// not counted), and the last mark tells the caller how far it got. A child that never marks gets
// `timeout` plus `before_mark` in all.
struct TimedChildResult {
  ChildResult child;
  bool timed_out = false;
  char last_mark = 0;  // 0: none
};
[[nodiscard]] Result<TimedChildResult> run_child_with_timeout(const std::vector<std::string>& argv,
                                                              std::chrono::nanoseconds timeout,
                                                              std::chrono::nanoseconds before_mark);

// Runs the commands, at most `at_once` at a time (0: one per processor), in their order (each with its
// own log: stdout + stderr, truncated), and waits for all of them. Returns each one's exit status
// (128 + signal); a command that cannot start gets 127. A stop request stops the running ones and
// starts no more.
[[nodiscard]] std::vector<int> run_parallel(const std::vector<std::vector<std::string>>& commands,
                                            const std::vector<std::filesystem::path>& logs, std::size_t at_once = 0);

}  // namespace wasmhop::run
