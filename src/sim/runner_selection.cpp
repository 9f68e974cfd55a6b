#include "sim/runner_selection.hpp"

#include <fmt/format.h>

#include "sim/native_runner.hpp"

namespace wasmhop::sim {

Result<std::vector<std::unique_ptr<RunnerFactory>>> make_runner_factories(const RunnerSelection& selection) {
  std::vector<std::unique_ptr<RunnerFactory>> out;
  for (const std::string& engine : selection.engines) {
    if (engine == "native") {
      out.push_back(std::make_unique<NativeRunnerFactory>());
      continue;
    }
    auto scripted = make_script_runner_factories(engine, selection);
    if (!scripted) return tl::unexpected(scripted.error());
    for (auto& f : *scripted) out.push_back(std::move(f));
  }
  if (out.empty()) return fail(ErrorKind::invalid_argument, "no engine selected (valid: native)");
  return out;
}

}  // namespace wasmhop::sim
