// Measurement records: one JSON object per replication, appended as one line of a JSON Lines (.jsonl) file.
// Raw records come first; statistics (stats.hpp), the summary CSV/JSON/console table (micro_summary.hpp) and
// the plots (tools/plot_micro.py) are all computed from them, so a run can be re-analysed later.
//
// How the micro-benchmark runner uses this header (#include "report/records.hpp", link wasmhop_report):
//
//   auto writer = wasmhop::report::AppendOnlyWriter::open("results/micro.jsonl");   // Result<AppendOnlyWriter>
//   if (!writer) return tl::unexpected(writer.error());
//   const std::string run = wasmhop::report::make_run_id();                          // once per run
//   wasmhop::report::MicroRecord r;
//   r.run_id = run; r.timestamp = wasmhop::report::utc_timestamp_now();
//   r.experiment = "table1"; r.engine = "v8-liftoff"; ... r.replication = i; r.calls = 100000;
//   r.set_loop(loop_seconds);                 // sets loop_s and ns_per_call = loop_s * 1e9 / calls
//   if (auto st = writer->append(r); !st) ...  // validates, writes one line, hands it to the kernel at once
//
// and reads a file back with read_micro_records(path, {.skip_malformed = true}) (or read_jsonl for any kind
// of record).
//
// Micro record fields (JSON keys; a record is a flat JSON object, unknown keys are preserved in `extra`):
//   kind            "micro" (records of other kinds may share a file; read_micro_records ignores them)
//   schema          1
//   run_id          identifies one invocation of the runner (make_run_id)
//   timestamp       wall-clock UTC time the replication finished, ISO 8601 "2024-05-01T12:34:56.789Z"
//   experiment      "table1" | "batch" | "payload"
//   engine          engine id as the registry names it, e.g. "v8-liftoff", "wasm2c", "native"
//   engine_name     human-readable engine name, e.g. "V8"
//   engine_version  e.g. "10.2.154.26-node.36"
//   tier            e.g. "liftoff", "turbofan", "dynamic", "" when the engine has no tiers
//   host_build      "debug" | "release" (the host program's build)
//   config          configuration name, e.g. "pair-cached-preload-srs"
//   config_index    1..12 = the paper's Table 1 test number, 0 = native baseline, >12 = extra configurations
//   abi             "pair" | "bincode" | "pod" | "flatbuffers" | "batch" | "native"
//   cached          bool: exports resolved once (true) or looked up by name on every call (false)
//   loading         "preload" | "hotload" | "" (Pair ABI only)
//   srs             bool: self-referential struct (Pair ABI only; absent when not applicable)
//   memory          "static" | "dynamic" | "" (buffer ABIs only)
//   replication     0-based replication number
//   calls           number of guest calls in the timed loop
//   loop_s          seconds of the timed call loop (the paper's unit: seconds per replication)
//   compile_s       seconds to compile the module for this replication (0 if not measured)
//   instantiate_s   seconds to instantiate it
//   ns_per_call     loop_s * 1e9 / calls
//   batch_size      records per call (batch sweep only; absent otherwise)
//   payload_bytes   payload size in bytes (payload sweep only; absent otherwise)
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wasmhop/result.hpp"

namespace wasmhop::report {

// A record is any JSON object; MicroRecord is the typed view of the micro-benchmark's records.
using Record = nlohmann::json;

inline constexpr std::string_view kMicroKind = "micro";
inline constexpr int kMicroSchema = 1;

struct MicroRecord {
  std::string run_id;
  std::string timestamp;
  std::string experiment;      // "table1" | "batch" | "payload"
  std::string engine;
  std::string engine_name;
  std::string engine_version;
  std::string tier;
  std::string host_build;      // "debug" | "release"
  std::string config;
  int config_index = 0;
  std::string abi;
  bool cached = false;
  std::string loading;         // "preload" | "hotload" | ""
  std::optional<bool> srs;
  std::string memory;          // "static" | "dynamic" | ""
  std::uint32_t replication = 0;
  std::uint64_t calls = 0;
  double loop_s = 0.0;
  double compile_s = 0.0;
  double instantiate_s = 0.0;
  double ns_per_call = 0.0;
  std::optional<std::uint64_t> batch_size;
  std::optional<std::uint64_t> payload_bytes;
  // Any further keys of the JSON object (kept on read, written back on write). Must be an object or null.
  nlohmann::json extra = nlohmann::json::object();

  // Sets loop_s and ns_per_call (needs calls > 0 first; with calls == 0 ns_per_call is 0).
  void set_loop(double seconds) noexcept;
  // loop_s + compile_s + instantiate_s: the paper's Figure 5 ("including JIT compile time").
  [[nodiscard]] double including_compile_s() const noexcept { return loop_s + compile_s + instantiate_s; }

  friend bool operator==(const MicroRecord&, const MicroRecord&) = default;
};

// ns per call from a timed loop: loop_s * 1e9 / calls (0 when calls == 0).
[[nodiscard]] double ns_per_call(double loop_s, std::uint64_t calls) noexcept;

// Structural checks a record must pass before it is written: non-empty experiment, engine, host_build,
// config; host_build is "debug" or "release"; calls > 0; times finite and >= 0; batch_size/payload_bytes
// > 0 when present; ns_per_call agrees with loop_s and calls (relative 1e-9).
[[nodiscard]] Status validate(const MicroRecord& r);

// JSON conversion. to_micro_record never throws: a missing required key (experiment, engine, host_build,
// config, calls, loop_s) or a key of the wrong type is an invalid_argument error naming the key.
// A missing ns_per_call is computed from loop_s and calls.
[[nodiscard]] nlohmann::json to_json_object(const MicroRecord& r);
[[nodiscard]] Result<MicroRecord> to_micro_record(const nlohmann::json& j);

// nlohmann ADL hooks (`nlohmann::json j = rec;`, `j.get<MicroRecord>()`); from_json throws
// nlohmann::json::other_error on a bad record, so prefer to_micro_record in library code.
void to_json(nlohmann::json& j, const MicroRecord& r);
void from_json(const nlohmann::json& j, MicroRecord& r);

// A new run id: "<UTC yyyymmddThhmmssZ>-<pid>-<4 random hex digits>".
[[nodiscard]] std::string make_run_id();
// The current wall-clock time, UTC, ISO 8601 with milliseconds: "2024-05-01T12:34:56.789Z".
[[nodiscard]] std::string utc_timestamp_now();

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
  // validate(r), then kind/schema are set and the record is appended.
  [[nodiscard]] Status append(const MicroRecord& r);
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

struct MicroRecords {
  std::vector<MicroRecord> records;
  std::vector<std::size_t> lines;
  std::vector<LineError> malformed;  // unparsable lines and objects that are not valid micro records
  std::size_t other_kinds = 0;       // objects whose "kind" is present and not "micro" (ignored)
  [[nodiscard]] std::size_t skipped() const noexcept { return malformed.size(); }
};

// Micro records from a .jsonl file: records whose "kind" is absent or "micro" must be valid micro records
// (to_micro_record), otherwise they are malformed (error or skipped, as for read_jsonl).
[[nodiscard]] Result<MicroRecords> read_micro_records(const std::filesystem::path& path, ReadOptions options = {});
[[nodiscard]] Result<MicroRecords> parse_micro_records(std::string_view text, std::string_view source,
                                                       ReadOptions options = {});

}  // namespace wasmhop::report
