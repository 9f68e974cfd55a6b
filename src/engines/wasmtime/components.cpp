// The plugin's component entries: thin forwards to the crate's component module, plus the one
// piece of state it keeps per plugin engine (its component engine, made once, on first use).
#include "engines/wasmtime/components.hpp"

#include <mutex>

#include "engines/wasmtime/component_ffi.h"
#include "engines/wasmtime/objects.hpp"

namespace wasmhop::wasmtime_plugin {

void* component_new(void* e, const std::uint8_t* bytes, std::size_t len, const char* name, whp_error* err) {
  auto* engine = static_cast<WtEngine*>(e);
  {
    std::lock_guard lock(engine->component_mutex);
    if (engine->component_engine == nullptr) {
      engine->component_engine = wasmhop_wt_component_engine_new(engine->flavor.config, err);
      if (engine->component_engine == nullptr) return nullptr;
    }
  }
  static const std::uint8_t kEmpty[1] = {0};
  return wasmhop_wt_component_new(engine->component_engine, bytes != nullptr ? bytes : kEmpty, len, name, err);
}

void component_free(void* c) { wasmhop_wt_component_free(c); }
void* component_instance_new(void* c, whp_error* err) { return wasmhop_wt_component_instance_new(c, err); }
void component_instance_free(void* i) { wasmhop_wt_component_instance_free(i); }
int component_world(void* i, std::uint32_t world, void* table, whp_error* err) {
  return wasmhop_wt_component_world(i, world, table, err);
}
const char* component_last_error(void* i) { return wasmhop_wt_component_last_error(i); }

void free_component_engine(WtEngine& engine) {
  wasmhop_wt_component_engine_free(engine.component_engine);
  engine.component_engine = nullptr;
}

}  // namespace wasmhop::wasmtime_plugin
