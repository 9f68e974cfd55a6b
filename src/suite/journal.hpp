// The suite's journal, <dir>/journal.jsonl: one JSON line per event, appended with one write each
// (report::AppendOnlyWriter), so it survives a crash up to the event being written.
//
//   {"event":"suite-start","time":...,"argv":[...],"resume":false}
//   {"event":"step-start","step":ID,"attempt":N,"time":...,"argv":[...]}
//   {"event":"step-done","step":ID,"attempt":N,"time":...,"wall_s":S,"records":R}
//   {"event":"step-failed","step":ID,"attempt":N,"time":...,"wall_s":S,"exit_status":E,"message":...}
//   {"event":"step-interrupted","step":ID,"attempt":N,"time":...,"wall_s":S,"signal":SIG}
//   {"event":"step-discarded","step":ID,"attempt":N,"moved_to":PATH,"records":R}   (resume: partial records set aside)
//   {"event":"suite-end","time":...,"wall_s":S,"done":D,"failed":F,"interrupted":bool}
//
// A step is complete when its last step-done follows its last step-start; only complete steps'
// records count.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "report/records.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct StepState {
  int attempts = 0;          // step-start events
  bool done = false;         // the last attempt finished
  bool failed = false;       // the last attempt failed (exit status != 0)
  double wall_s = 0;         // of the completed attempt
  double cpu_s = 0;          // its child's CPU time
  std::uint64_t records = 0; // of the completed attempt
  std::string message;       // failure message
};

struct JournalState {
  std::map<std::string, StepState> steps;
  int suite_starts = 0;
  double wall_s = 0;         // sum of the suite-end wall times + (for an unfinished run) nothing more
  std::vector<nlohmann::json> events;
  [[nodiscard]] bool done(const std::string& id) const;
};

[[nodiscard]] Result<JournalState> read_journal(const std::filesystem::path& path);

class Journal {
 public:
  [[nodiscard]] static Result<Journal> open(const std::filesystem::path& path);
  [[nodiscard]] Status append(nlohmann::json event);  // adds "time"

 private:
  explicit Journal(report::AppendOnlyWriter w) : writer_(std::move(w)) {}
  report::AppendOnlyWriter writer_;
};

}  // namespace wasmhop::suite
