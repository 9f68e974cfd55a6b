// Finds and loads engine plugins: dlopen(RTLD_LOCAL) once per process, never unloaded.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engines/plugin/plugin_abi.h"
#include "wasmhop/result.hpp"

namespace wasmhop::plugin {

// Where plugins are looked for, first match wins: $WASMHOP_ENGINE_DIR; <exe>/../lib/wasmhop/engines
// (an installed tree); this build's plugin directory; the install prefix's.
[[nodiscard]] std::vector<std::filesystem::path> search_dirs();

// The plugin's entry table. `file_stem` is e.g. "wasmhop-engine-wasmtime"; `entry` the symbol.
// Failure says where it looked and, when the build recorded one (<stem>.unavailable), why the
// plugin was not built.
[[nodiscard]] Result<void*> load_symbol(std::string_view file_stem, const char* entry, std::string_view id);

[[nodiscard]] Result<const whp_plugin_v1*> load_engine_plugin(std::string_view plugin, std::string_view id);

}  // namespace wasmhop::plugin
