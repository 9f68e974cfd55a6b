// Engines by id. Adding an engine = one folder under src/engines/ + one line in registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/engine.hpp"

namespace wasmhop {

struct EngineEntry {
  std::string id;
  std::string summary;
  // Built into libwasmhop: its factory. Engines whose tier is a process-global setting (V8)
  // fail with engine_unavailable when another tier is already active in this process.
  Result<std::unique_ptr<Engine>> (*factory)() = nullptr;
  // Or a plugin (src/engines/plugin/plugin_abi.h): the folder that builds
  // wasmhop-engine-<plugin>.so, and the configuration handed to it ("cranelift", ...).
  std::string plugin{};
  std::string config{};

  // Creates the engine: engine_unavailable (with the reason) when it was not built here.
  [[nodiscard]] Result<std::unique_ptr<Engine>> create() const;
};

[[nodiscard]] const std::vector<EngineEntry>& engine_registry();
[[nodiscard]] std::vector<std::string> engine_ids();
[[nodiscard]] Result<std::unique_ptr<Engine>> create_engine(std::string_view id);

}  // namespace wasmhop
