// The canonical ABI (the component model) for policy scripts: the policy's component
// (policy_<file>.component.wasm, world `policy` of guest/component/wasmhop.wit), one request per
// call as a WIT record, lowered by the engine. Engines with Capabilities::component only.
#pragma once

#include <filesystem>
#include <memory>

#include "sim/runner.hpp"
#include "sim/script_runner.hpp"
#include "wasmhop/cache/types.hpp"

namespace wasmhop::sim {

// <guest_dir>/policy_<file>.component.wasm of a catalogue policy.
[[nodiscard]] Result<std::filesystem::path> policy_component_path(const std::filesystem::path& guest_dir,
                                                                  std::string_view policy);

// A fresh instance of the component, init(config) called, the world resolved once.
[[nodiscard]] Result<std::unique_ptr<PolicyRunner>> make_canonical_runner(std::shared_ptr<ScriptEngine> engine,
                                                                          const std::filesystem::path& component,
                                                                          const cache::CacheConfig& config);

}  // namespace wasmhop::sim
