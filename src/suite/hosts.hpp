// The suite's host binaries: the Release and Debug builds of wasmhop. The running binary is one of
// them; the other is given (--release-binary / --debug-binary), found next to this build, or built
// with the CMake presets. Each is asked for `suite --build-info` and `engines --json`.
#pragma once

#include <filesystem>
#include <string>

#include "suite/environment.hpp"
#include "suite/output.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct HostQuery {
  std::string build;           // "release" | "debug"
  std::string explicit_path;   // --<build>-binary ("" = not given)
  std::string stored_path;     // the path a resumed run recorded ("" = none)
  bool build_missing = true;   // build a missing host with `cmake --preset`
  std::filesystem::path source_dir;
  std::filesystem::path log_dir;  // logs/ of the results directory (build logs)
};

[[nodiscard]] Result<HostBinary> locate_host(const HostQuery& q, Output& out);

}  // namespace wasmhop::suite
