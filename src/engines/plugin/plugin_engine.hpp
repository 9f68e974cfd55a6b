// Engines that live in a plugin (plugin_abi.h): one adapter turns any plugin into a
// wasmhop::Engine. The registry names the plugin folder and its configuration.
#pragma once

#include <memory>
#include <string_view>

#include "wasmhop/engine.hpp"

namespace wasmhop {

// Loads wasmhop-engine-<plugin>.so (once per process) and creates the engine `config` names.
// engine_unavailable, with the reason, when the plugin was not built here or cannot load.
[[nodiscard]] Result<std::unique_ptr<Engine>> load_plugin_engine(std::string_view id, std::string_view plugin,
                                                                 std::string_view config);

}  // namespace wasmhop
