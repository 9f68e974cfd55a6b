// The environment a suite ran in, recorded with its results (<dir>/environment.json): machine (CPU
// model, cores, memory, load), OS, compilers and build flags of both host builds, engine versions
// (`wasmhop engines --json` of each build), the guest toolchain, python/matplotlib, the git
// revision of the source and the command line.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wasmhop::suite {

struct HostBinary {
  std::string build;        // "release" | "debug"
  std::string path;
  nlohmann::json info;      // its `suite --build-info`
  nlohmann::json engines;   // its `engines --json`
};

// Never fails: what cannot be found is recorded as null / an "error" string.
[[nodiscard]] nlohmann::json collect_environment(const std::vector<HostBinary>& hosts,
                                                 const std::vector<std::string>& argv,
                                                 const std::filesystem::path& source_dir);

// Small facts, also used on their own.
[[nodiscard]] std::string cpu_model();
[[nodiscard]] std::string load_average();  // "/proc/loadavg" first three fields
[[nodiscard]] std::string git_revision(const std::filesystem::path& source_dir);  // "" when unknown

}  // namespace wasmhop::suite
