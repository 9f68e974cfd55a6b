// A results directory of `wasmhop micro`, `sim` or `suite`, and its --resume:
//
//   run.json        what ran: {"schema", "command", "records_schema", "argv", ...the command's own plan}
//   journal.jsonl   every step's start and end (journal.hpp)
//   records/        the records (records.hpp); records/discarded/ what unfinished steps left behind
//   .lock           held while a run uses the directory: two runs never share one
//
// --resume DIR reads run.json (the recorded options: a resumed run does what it planned), sets aside
// the records of steps the journal does not mark complete, and the command then runs what is left.
// So the final records equal an uninterrupted run's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/journal.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

inline constexpr int kRunDocSchema = 2;

class RunDir {
 public:
  // What an existing `dir` may hold for a new run: nothing (micro, suite), or anything but a run
  // (sim, whose --out may be a directory of other things).
  enum class Existing { must_be_empty, no_run };

  // A new run of `command` in `dir` (created if missing). Refused when `dir` is not empty (or, with
  // Existing::no_run, when it holds a run: run.json, journal.jsonl or records/), naming --resume.
  [[nodiscard]] static Result<RunDir> create(const std::filesystem::path& dir, const std::string& command,
                                             Existing existing = Existing::must_be_empty);
  // The run of `command` in `dir`, to continue: run.json must be that command's, written with the
  // record schema this wasmhop writes.
  [[nodiscard]] static Result<RunDir> resume(const std::filesystem::path& dir, const std::string& command);

  RunDir(RunDir&&) noexcept;
  RunDir& operator=(RunDir&&) noexcept;
  ~RunDir();

  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
  [[nodiscard]] const nlohmann::json& doc() const noexcept { return doc_; }
  // Writes run.json: `doc` plus schema, command and records_schema.
  [[nodiscard]] Status write_doc(nlohmann::json doc);

  // The journal as it was when this session began, and the journal to append to.
  [[nodiscard]] const JournalState& prior() const noexcept { return prior_; }
  [[nodiscard]] Journal& journal() noexcept { return *journal_; }

  [[nodiscard]] std::filesystem::path records_file(const std::string& name) const;

  // Moves the records of steps the journal does not mark complete (and torn lines) to
  // records/discarded/; a line's step is its "step" key, else its file's name. Files whose lines all
  // count are left alone. Journals a step-discarded event per step; `say` gets one line per step.
  // Returns the number of lines set aside.
  [[nodiscard]] Result<std::uint64_t> set_aside_unfinished(const std::function<void(const std::string&)>& say);

 private:
  RunDir() = default;
  [[nodiscard]] static Result<RunDir> open(const std::filesystem::path& dir, const std::string& command);

  std::filesystem::path dir_;
  std::string command_;
  nlohmann::json doc_ = nlohmann::json::object();
  JournalState prior_;
  std::optional<Journal> journal_;
  int lock_fd_ = -1;
};

// Reads and checks DIR/run.json: that of `command` ("" = any), of a record schema this wasmhop reads.
[[nodiscard]] Result<nlohmann::json> read_run_doc(const std::filesystem::path& dir, const std::string& command);

}  // namespace wasmhop::run
