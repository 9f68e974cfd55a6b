// The plugin's component entries (plugin_abi.h, since components): the crate's typed component
// calls (component_ffi.h) on a Wasmtime engine of the plugin engine's flavor, made on first use
// (a process that never loads a component pays nothing for it).
#pragma once

#include <cstddef>
#include <cstdint>

#include "engines/plugin/plugin_abi.h"

namespace wasmhop::wasmtime_plugin {

struct WtEngine;

void* component_new(void* engine, const std::uint8_t* bytes, std::size_t len, const char* name, whp_error* err);
void component_free(void* component);
void* component_instance_new(void* component, whp_error* err);
void component_instance_free(void* instance);
int component_world(void* instance, std::uint32_t world, void* table, whp_error* err);
const char* component_last_error(void* instance);

// Frees the engine's component engine, if one was made (engine_free).
void free_component_engine(WtEngine& engine);

}  // namespace wasmhop::wasmtime_plugin
