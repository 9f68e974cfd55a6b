// Engines by id. Adding an engine = one folder with a factory + one line in registry.cpp.
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
  // Creates the engine. Engines whose tier is a process-global setting (V8) fail with
  // engine_unavailable when another tier is already active in this process.
  Result<std::unique_ptr<Engine>> (*create)();
};

[[nodiscard]] const std::vector<EngineEntry>& engine_registry();
[[nodiscard]] std::vector<std::string> engine_ids();
[[nodiscard]] Result<std::unique_ptr<Engine>> create_engine(std::string_view id);

}  // namespace wasmhop
