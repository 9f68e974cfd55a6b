// The micro-benchmark's record (kind "micro"): one replication of one configuration on one engine,
// written by `wasmhop micro` (micro/runner.cpp) as it is measured. Statistics (report/stats.hpp), the
// summary CSV/JSON/console table (report/micro_summary.hpp) and the plots are all computed from these.
//
//   wasmhop::run::MicroRecord r = ...;        // the header of records.hpp, then the fields below
//   r.set_loop(loop_seconds);                 // sets loop_s and ns_per_call = loop_s * 1e9 / calls
//   if (auto st = append(writer, r); !st) ... // validates, writes one line, hands it to the kernel at once
//
// and read back with read_micro_records(path, {.skip_malformed = true}).
//
// Fields (JSON keys; a record is a flat JSON object, unknown keys are kept in `extra`), after the header:
//   experiment      "table1" | "batch" | "payload" | "hostcall"
//   engine          engine id as the registry names it, e.g. "v8-liftoff", "wasm2c", "native"
//   engine_name     human-readable engine name, e.g. "V8"
//   engine_version  e.g. "10.2.154.26-node.36"
//   tier            e.g. "liftoff", "turbofan", "dynamic", "" when the engine has no tiers
//   config          configuration name, e.g. "pair-cached-preload-srs"
//   config_index    1..12 = the paper's Table 1 test number, 0 = native baseline, >12 = extra configurations
//   abi             "pair" | "bincode" | "pod" | "flatbuffers" | "batch" | "canonical" | "native" | ...
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
//   checksum        what the calls computed (checked against the expected value before it is written)
//   batch_size      records per call (batch sweep only; absent otherwise)
//   payload_bytes   payload size in bytes (payload sweeps only; absent otherwise)
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

#include "run/jsonl.hpp"
#include "run/records.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

inline constexpr std::string_view kMicroKind = "micro";

struct MicroRecord : RecordHeader {
  std::string experiment;      // "table1" | "batch" | "payload" | "hostcall"
  std::string engine;
  std::string engine_name;
  std::string engine_version;
  std::string tier;
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
  std::optional<std::int64_t> checksum;
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

// Structural checks a record must pass before it is written: non-empty step, experiment, engine, host_build,
// config; host_build is "debug" or "release"; calls > 0; times finite and >= 0; batch_size/payload_bytes
// > 0 when present; ns_per_call agrees with loop_s and calls (relative 1e-9).
[[nodiscard]] Status validate(const MicroRecord& r);

// JSON conversion. to_micro_record never throws: another kind, another schema (check_schema), a missing
// required key (experiment, engine, host_build, config, calls, loop_s) or a key of the wrong type is an
// invalid_argument error naming it. A missing ns_per_call is computed from loop_s and calls.
[[nodiscard]] nlohmann::json to_json_object(const MicroRecord& r);
[[nodiscard]] Result<MicroRecord> to_micro_record(const nlohmann::json& j);

// validate(r), then the record is appended as one line.
[[nodiscard]] Status append(AppendOnlyWriter& writer, const MicroRecord& r);

struct MicroRecords {
  std::vector<MicroRecord> records;
  std::vector<std::size_t> lines;
  std::vector<LineError> malformed;  // unparsable lines and objects that are not valid micro records
  std::size_t other_kinds = 0;       // objects whose "kind" is another (ignored)
  [[nodiscard]] std::size_t skipped() const noexcept { return malformed.size(); }
};

// Micro records from a .jsonl file: records whose "kind" is absent or "micro" must be valid micro records
// (to_micro_record), otherwise they are malformed (error or skipped, as for read_jsonl).
[[nodiscard]] Result<MicroRecords> read_micro_records(const std::filesystem::path& path, ReadOptions options = {});
[[nodiscard]] Result<MicroRecords> parse_micro_records(std::string_view text, std::string_view source,
                                                       ReadOptions options = {});

}  // namespace wasmhop::run
