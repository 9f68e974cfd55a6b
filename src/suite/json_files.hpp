// The suite's JSON documents (suite.json, environment.json, a simulator child's output): read whole,
// written whole through a temporary file and a rename, so a crash never leaves half a document.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "wasmhop/result.hpp"

namespace wasmhop::suite {

// io_error when the file cannot be read; invalid_argument (naming the file) when it is not JSON.
[[nodiscard]] Result<nlohmann::json> read_json_file(const std::filesystem::path& path);
[[nodiscard]] Status write_json_file(const std::filesystem::path& path, const nlohmann::json& doc);

}  // namespace wasmhop::suite
