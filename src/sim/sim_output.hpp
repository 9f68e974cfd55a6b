// Sweep results as a console table, CSV and JSON. One row per (policy, cost, cache size, engine,
// tier, ABI, cached); counts are exact integers, sizes are stated in bytes.
#pragma once

#include <string>

#include "sim/driver.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

[[nodiscard]] std::string format_table(const SweepResult& result);
[[nodiscard]] std::string to_csv(const SweepResult& result);
[[nodiscard]] std::string to_json(const SweepResult& result);  // {"trace": {...}, "records": [...]}

// Writes text to a file (creating parent directories); errors name the file.
[[nodiscard]] Status write_text_file(const std::string& path, const std::string& text);

}  // namespace wasmhop::sim
