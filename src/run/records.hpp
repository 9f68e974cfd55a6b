// Records: what a run measured, one JSON object per line of records/<file>.jsonl, written once by the
// process that measured it, as it measured it, and read by `wasmhop report` (never rewritten). Every
// record carries the same header:
//
//   kind        "micro" (micro_record.hpp) | "sim" (sim_record.hpp) | "workload" (workload_record.hpp)
//   schema      kRecordSchema: the version of every kind's fields; a reader refuses any other version
//   run_id      the run: "<results directory name>/<step>" in micro and suite runs
//   step        the step of the run that wrote it (the journal says whether that step completed)
//   timestamp   wall-clock UTC time it was written, ISO 8601 "2024-05-01T12:34:56.789Z"
//   host_build  "debug" | "release": the build of the wasmhop that measured it
//
// Schema history: 1 = micro records without kind/schema/step and "sim" rows converted by the suite;
// 2 = every record written typed by its producer, with this header.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wasmhop/result.hpp"

namespace wasmhop::run {

inline constexpr int kRecordSchema = 2;

// The host build this binary is ("debug" / "release"), from CMAKE_BUILD_TYPE.
[[nodiscard]] const char* host_build() noexcept;

// The fields every record carries (above). `kind` and `schema` are set by the writer of each kind.
struct RecordHeader {
  std::string run_id;
  std::string step;
  std::string timestamp;
  std::string host_build;
  friend bool operator==(const RecordHeader&, const RecordHeader&) = default;
};

// A header for a record written now by this binary.
[[nodiscard]] RecordHeader make_header(std::string run_id, std::string step);

// Writes kind, schema and the header into `j`; reads the header back (a missing key is empty).
void put_header(nlohmann::json& j, std::string_view kind, const RecordHeader& h);
[[nodiscard]] RecordHeader get_header(const nlohmann::json& j);

// The record's kind ("" when absent).
[[nodiscard]] std::string record_kind(const nlohmann::json& j);

// ok when `j` says schema kRecordSchema; otherwise invalid_argument saying which version it has and
// which this wasmhop reads ("no schema" for records written before versions existed).
[[nodiscard]] Status check_schema(const nlohmann::json& j);

}  // namespace wasmhop::run
