// Scripted policy runners: a policy's guest module (guests/policy_<file>.wasm, built from
// guest/policies/script.cpp) run by one engine through one ABI, with exports resolved once
// (cached) or looked up by name on every call (uncached). The guest interface is in
// guest/policies/script_abi.hpp; docs/sim.md ("Scripted runs") describes the whole.
#pragma once

#include <chrono>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "abi/abi_info.hpp"
#include "policies/script_abi.hpp"
#include "sim/runner.hpp"
#include "sim/runner_selection.hpp"
#include "wasmhop/engine.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

// One ABI of the registry (src/abi/registry.hpp) as a run names it.
struct AbiChoice {
  const abi::AbiInfo* abi = nullptr;
  std::uint32_t batch = policy_script::kDefaultBatch;  // requests per call (batched ABIs only)

  [[nodiscard]] std::string label() const;  // its name; "batch:<n>" when not at the default size
};

// Names: those of the registry, and <batched ABI>:<n> (1 <= n <= kMaxBatch), e.g. batch:256.
// An empty list means every ABI (those an engine's capabilities cannot run are left out: see
// make_script_runner_factories).
[[nodiscard]] Result<AbiChoice> parse_abi(std::string_view text);
[[nodiscard]] Result<std::vector<AbiChoice>> parse_abi_list(const std::vector<std::string>& names);

// One engine, shared by the factories of its (ABI, cached) combinations and by their runners.
// Loading and instantiating are serialized: engines are not promised to compile on two threads.
class ScriptEngine {
 public:
  explicit ScriptEngine(std::unique_ptr<Engine> engine);
  [[nodiscard]] static Result<std::shared_ptr<ScriptEngine>> create(std::string_view id);

  [[nodiscard]] const EngineInfo& info() const noexcept { return engine_->info(); }
  // Runners that may run at once on different threads: 0 (no limit) for engines whose instances
  // may be called from any thread, 1 for engines bound to one thread (and for unknown ones).
  [[nodiscard]] unsigned max_concurrency() const noexcept { return max_concurrency_; }
  // A fresh instance of the policy module at `wasm`, under the lock. Each module is compiled once
  // per ScriptEngine (a sim process runs one policy through many ABI scenarios; slow compilers such
  // as Wasmer's LLVM would otherwise spend most of a run compiling); set_limits forgets them.
  [[nodiscard]] Result<std::unique_ptr<Instance>> instantiate(const std::filesystem::path& wasm);
  // The same for a component (canonical ABI), each compiled once.
  [[nodiscard]] Result<std::unique_ptr<ComponentInstance>> instantiate_component(const std::filesystem::path& path);

  // Limits for the instances created from now on: the longest one guest call may run (zero: none;
  // needs Capabilities::interruptible, engine_unavailable otherwise, saying what to do instead) and
  // the most memory a script may have (zero: none; Engine::set_memory_limit).
  [[nodiscard]] Status set_limits(std::chrono::nanoseconds call_timeout, std::uint64_t memory_limit);

 private:
  std::unique_ptr<Engine> engine_;
  std::mutex mutex_;
  unsigned max_concurrency_ = 1;
  InstanceOptions instance_options_;
  std::map<std::filesystem::path, std::unique_ptr<Module>> modules_;  // compiled once, by path
  std::map<std::filesystem::path, std::unique_ptr<Component>> components_;
};

struct ScriptRunnerConfig {
  AbiChoice abi;
  bool cached = true;
  std::filesystem::path guest_dir;  // where policy_<file>.wasm (and .native.so) are
};

class ScriptRunnerFactory final : public RunnerFactory {
 public:
  ScriptRunnerFactory(std::shared_ptr<ScriptEngine> engine, ScriptRunnerConfig config);

  [[nodiscard]] RunnerLabel label() const override;
  [[nodiscard]] unsigned max_concurrency() const override { return engine_->max_concurrency(); }
  // Loads the policy's module, instantiates it, fetches what the ABI needs and calls init().
  [[nodiscard]] Result<std::unique_ptr<PolicyRunner>> create(const RunSpec& spec) override;

 private:
  std::shared_ptr<ScriptEngine> engine_;
  ScriptRunnerConfig config_;
};

// The guest module of a catalogue policy: <guest_dir>/policy_<file>.wasm.
[[nodiscard]] Result<std::filesystem::path> policy_module_path(const std::filesystem::path& guest_dir,
                                                               std::string_view policy);

// The factories of one engine, one per (ABI, cached) of the selection, sharing `engine`. An ABI of
// the component model has one factory (its world is always resolved once). An ABI the engine's
// capabilities cannot run (abi::unavailable_reason) is an error when asked for by name, and left
// out, saying so through RunnerSelection::note, when implied by "every ABI".
[[nodiscard]] Result<std::vector<std::unique_ptr<RunnerFactory>>> make_script_runner_factories(
    std::shared_ptr<ScriptEngine> engine, const RunnerSelection& selection);

}  // namespace wasmhop::sim
