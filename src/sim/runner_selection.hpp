// Which runners a `wasmhop sim` invocation uses: the native runner and engine x ABI x cached
// combinations (src/sim/script_runner*.cpp). The CLI asks make_runner_factories() and runs one
// sweep per factory.
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/runner.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

struct RunnerSelection {
  std::vector<std::string> engines{"native"};  // "native" and/or engine ids (e.g. wabt-interp, v8, wasm2c)
  std::vector<std::string> abis;               // scripted only; empty = every ABI
  std::vector<bool> cached{true};              // scripted only: exports resolved once / looked up per call
  std::string guest_dir;                       // where the policy modules are (<file>.wasm)
  std::chrono::nanoseconds call_timeout{0};    // scripted only: longest guest call (0: none; interruptible engines)
  std::uint64_t memory_limit = 0;              // scripted only: most memory a script may have (0: none)
  // Told what the selection leaves out and why (an ABI an engine cannot run when it was not asked
  // for by name); the library prints nothing itself.
  std::function<void(const std::string&)> note;
};

[[nodiscard]] Result<std::vector<std::unique_ptr<RunnerFactory>>> make_runner_factories(
    const RunnerSelection& selection);

// The scripted side (script_runner.cpp): the factories for one engine id, one per (ABI, cached) in
// the selection.
[[nodiscard]] Result<std::vector<std::unique_ptr<RunnerFactory>>> make_script_runner_factories(
    std::string_view engine, const RunnerSelection& selection);

}  // namespace wasmhop::sim
