// Helpers shared by the hostile-guest tests.
#pragma once

#include <chrono>
#include <string>

namespace wasmhop::testing {

// The wasmhop command run as a user runs it: exit status, stdout and stderr together, seconds.
struct CliRun {
  int status = -1;
  std::string out;
  double seconds = 0;
};
[[nodiscard]] CliRun run_cli(const std::string& args);

// Seconds since t0.
[[nodiscard]] inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace wasmhop::testing
