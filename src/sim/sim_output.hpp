// Sweep results as a console table, CSV and JSON. One row per (policy, cost, cache size, engine,
// tier, ABI, cached); counts are exact integers, sizes are stated in bytes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/driver.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

[[nodiscard]] std::string format_table(const SweepResult& result);
[[nodiscard]] std::string to_csv(const SweepResult& result);
[[nodiscard]] std::string to_json(const SweepResult& result);  // {"trace": {...}, "records": [...]}

// One record as a JSON object (the elements of to_json's "records"), and back (for --resume: the
// derived fields hit_rate, byte_hit_rate and requests_per_second are recomputed).
[[nodiscard]] nlohmann::ordered_json record_row(const SimRecord& record);
[[nodiscard]] Result<SimRecord> record_from_row(const nlohmann::json& row);

// Identifies a job: policy, cost, size, size-change mode and the runner's label.
[[nodiscard]] std::string job_key(const SimRecord& record);
[[nodiscard]] std::string job_key(const RunSpec& spec, const RunnerLabel& label);

// Writes text to a file (creating parent directories); errors name the file.
[[nodiscard]] Status write_text_file(const std::string& path, const std::string& text);

}  // namespace wasmhop::sim
