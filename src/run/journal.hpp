// The journal of a results directory, <dir>/journal.jsonl: one JSON line per event, appended with one
// write each and fdatasync (AppendOnlyWriter), so it survives a crash up to the event being written.
// The same format for micro, sim and suite:
//
//   {"event":"run-start","time":...,"command":"suite","argv":[...],"resume":false}
//   {"event":"step-start","step":ID,"attempt":N,"time":...,"argv":[...]}          (argv: child steps)
//   {"event":"step-done","step":ID,"attempt":N,"time":...,"wall_s":S,"cpu_s":C,"records":R}
//   {"event":"step-failed","step":ID,"attempt":N,"time":...,"wall_s":S,"kind":K,"message":...}
//   {"event":"step-interrupted","step":ID,"attempt":N,"time":...,"wall_s":S,"signal":SIG}
//   {"event":"step-discarded","step":ID,"attempt":N,"moved_to":PATH,"records":R}  (resume: partial records set aside)
//   {"event":"run-end","time":...,"wall_s":S,"done":D,"failed":F,"interrupted":bool}
//
// A step is complete when its last step-done follows its last step-start; only complete steps'
// records count. (A step of micro or suite is one child process; a step of sim is one simulation.)
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/jsonl.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

struct StepState {
  int attempts = 0;          // step-start events
  bool done = false;         // the last attempt finished
  bool failed = false;       // the last attempt failed
  double wall_s = 0;         // of the completed attempt
  double cpu_s = 0;          // its child's CPU time
  std::uint64_t records = 0; // of the completed attempt
  std::string message;       // failure message
};

struct JournalState {
  std::map<std::string, StepState> steps;
  int run_starts = 0;        // sessions: 1 = never resumed
  double wall_s = 0;         // sum of the run-end wall times
  std::vector<nlohmann::json> events;
  [[nodiscard]] bool done(const std::string& id) const;
  [[nodiscard]] int attempts(const std::string& id) const;
};

// The state after every event of the file (a missing file is an empty journal). A crash may leave a
// partial last line: malformed lines are skipped.
[[nodiscard]] Result<JournalState> read_journal(const std::filesystem::path& path);

class Journal {
 public:
  [[nodiscard]] static Result<Journal> open(const std::filesystem::path& path);
  [[nodiscard]] Status append(nlohmann::json event);  // adds "time"

  // The events above, by name.
  [[nodiscard]] Status run_start(const std::string& command, const std::vector<std::string>& argv, bool resume);
  [[nodiscard]] Status run_end(double wall_s, std::size_t done, std::size_t failed, bool interrupted);
  [[nodiscard]] Status step_start(const std::string& step, int attempt, const std::vector<std::string>& argv = {});
  [[nodiscard]] Status step_done(const std::string& step, int attempt, double wall_s, double cpu_s,
                                 std::uint64_t records);
  [[nodiscard]] Status step_failed(const std::string& step, int attempt, double wall_s, const Error& error);
  [[nodiscard]] Status step_interrupted(const std::string& step, int attempt, double wall_s, int signal);

 private:
  explicit Journal(AppendOnlyWriter w) : writer_(std::move(w)) {}
  AppendOnlyWriter writer_;
};

}  // namespace wasmhop::run
