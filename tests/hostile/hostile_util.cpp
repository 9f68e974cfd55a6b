#include "hostile/hostile_util.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace wasmhop::testing {

CliRun run_cli(const std::string& args) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string cmd = std::string(WASMHOP_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  CliRun r;
  std::array<char, 4096> buf{};
  while (p != nullptr && std::fgets(buf.data(), buf.size(), p) != nullptr) r.out += buf.data();
  const int raw = p != nullptr ? pclose(p) : -1;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace wasmhop::testing
