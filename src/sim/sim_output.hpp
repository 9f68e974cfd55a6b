// Sweep results as a console table, CSV and JSON. One row per (policy, cost, cache size, engine,
// tier, ABI, cached); counts are exact integers, sizes are stated in bytes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "run/sim_record.hpp"
#include "sim/driver.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

[[nodiscard]] std::string format_table(const SweepResult& result);
[[nodiscard]] std::string to_csv(const SweepResult& result);
[[nodiscard]] std::string to_json(const SweepResult& result);  // {"trace": {...}, "records": [...]}

// One record as a JSON object (the elements of to_json's "records").
[[nodiscard]] nlohmann::ordered_json record_row(const SimRecord& record);

// Where a simulation's record comes from: its run and step, what the study ran it for, and the sweep.
struct RecordContext {
  std::string run_id, step;      // step "" = the simulation's own job_key
  std::string purpose = "time";  // "time" | "sweep" | "check"
  std::string trace;             // the trace's name in the study
  int replication = 0;
  std::uint64_t trace_records = 0;
  double trace_read_s = 0;
  bool timed = false;
  std::uint64_t warmup = 0;
};

// The typed, versioned record of one simulation (run/sim_record.hpp), and back (for --resume).
[[nodiscard]] run::SimRecord to_run_record(const SimRecord& record, const RecordContext& context);
[[nodiscard]] Result<SimRecord> from_run_record(const run::SimRecord& record);

// Identifies a job: policy, cost, size, size-change mode and the runner's label.
[[nodiscard]] std::string job_key(const SimRecord& record);
[[nodiscard]] std::string job_key(const RunSpec& spec, const RunnerLabel& label);

// Writes text to a file (creating parent directories); errors name the file.
[[nodiscard]] Status write_text_file(const std::string& path, const std::string& text);

}  // namespace wasmhop::sim
