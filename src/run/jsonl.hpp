// Files of records and documents. Records are JSON objects, one per line of a JSON Lines (.jsonl) file,
// appended as they are measured (AppendOnlyWriter) and read back with line numbers for whatever is
// malformed. Documents (run.json, environment.json) are written whole through a temporary file and a
// rename, so a crash never leaves half a document.
//
//   auto w = run::AppendOnlyWriter::open("records/micro.release.wasm3.jsonl");   // Result<AppendOnlyWriter>
//   if (!w) return tl::unexpected(w.error());
//   if (auto st = w->append(record_json); !st) ...   // one line, one write(2), in the kernel when it returns
//   auto lines = run::read_jsonl(path, {.skip_malformed = true});
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wasmhop/result.hpp"

namespace wasmhop::run {

// The current wall-clock time, UTC, ISO 8601 with milliseconds: "2024-05-01T12:34:56.789Z".
[[nodiscard]] std::string utc_timestamp_now();
// A new run id: "<UTC yyyymmddThhmmssZ>-<pid>-<4 random hex digits>".
[[nodiscard]] std::string make_run_id();

// Appends records to a .jsonl file, one line per record. Each line is written with a single write(2) on a
// file opened with O_APPEND, so it reaches the kernel before append returns (a crash loses at most the
// record being written) and lines from several processes appending to one file do not interleave. If the
// file ends in a partial line (an earlier crash), open first terminates it so the next record starts on a
// line of its own (the reader then reports the partial line, with its number). Move-only.
class AppendOnlyWriter {
 public:
  struct Options {
    bool create_parent_dirs = true;  // mkdir -p the file's directory
    bool durable = false;            // fdatasync after every line (slow; for power-loss safety)
  };

  [[nodiscard]] static Result<AppendOnlyWriter> open(const std::filesystem::path& path);
  [[nodiscard]] static Result<AppendOnlyWriter> open(const std::filesystem::path& path, Options options);

  AppendOnlyWriter(AppendOnlyWriter&& other) noexcept;
  AppendOnlyWriter& operator=(AppendOnlyWriter&& other) noexcept;
  AppendOnlyWriter(const AppendOnlyWriter&) = delete;
  AppendOnlyWriter& operator=(const AppendOnlyWriter&) = delete;
  ~AppendOnlyWriter();

  // Writes one record (must be a JSON object) as one line. Invalid UTF-8 in strings is replaced (U+FFFD).
  [[nodiscard]] Status append(const nlohmann::json& record);
  // Closes the file (also done by the destructor, which ignores errors).
  [[nodiscard]] Status close();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::size_t lines_written() const noexcept { return lines_; }
  [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }

 private:
  AppendOnlyWriter(std::filesystem::path path, int fd, Options options) noexcept
      : path_(std::move(path)), fd_(fd), options_(options) {}
  [[nodiscard]] Status write_line(std::string line);

  std::filesystem::path path_;
  int fd_ = -1;
  Options options_{};
  std::size_t lines_ = 0;
};

// Reading .jsonl files. Blank lines (only whitespace) are skipped silently. A line that is not valid JSON,
// or not a JSON object, is malformed: by default the first one is an invalid_argument error
// "<file>:<line>: <what>"; with skip_malformed it is counted and listed in `malformed` instead.
struct ReadOptions {
  bool skip_malformed = false;
};

struct LineError {
  std::size_t line = 0;  // 1-based line number in the file
  std::string message;
  friend bool operator==(const LineError&, const LineError&) = default;
};

struct JsonlRecords {
  std::vector<nlohmann::json> records;
  std::vector<std::size_t> lines;    // the 1-based line number of each record
  std::vector<LineError> malformed;  // only with skip_malformed
  [[nodiscard]] std::size_t skipped() const noexcept { return malformed.size(); }
};

// `source` names the input in error messages (a file name).
[[nodiscard]] Result<JsonlRecords> parse_jsonl(std::istream& in, std::string_view source, ReadOptions options = {});
[[nodiscard]] Result<JsonlRecords> parse_jsonl(std::string_view text, std::string_view source,
                                               ReadOptions options = {});
[[nodiscard]] Result<JsonlRecords> read_jsonl(const std::filesystem::path& path, ReadOptions options = {});

// The reader underneath: hands every JSON object to `take` with its line number; a non-empty string
// returned by `take` makes that line malformed (an error, or listed in `malformed` when skipping).
using TakeObject = std::function<std::string(nlohmann::json object, std::size_t line)>;
[[nodiscard]] Result<std::vector<LineError>> parse_jsonl_objects(std::istream& in, std::string_view source,
                                                                 ReadOptions options, const TakeObject& take);

// A whole file as text: io_error naming the file when it cannot be read.
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& path);

// JSON documents: io_error when the file cannot be read; invalid_argument (naming the file) when it is
// not JSON. Written whole (pretty-printed) through "<path>.tmp" and a rename.
[[nodiscard]] Result<nlohmann::json> read_json_file(const std::filesystem::path& path);
[[nodiscard]] Status write_json_file(const std::filesystem::path& path, const nlohmann::json& doc);

}  // namespace wasmhop::run
