// What the plugin adapters share (plugin_engine.cpp, plugin_component.cpp): whp_error to Error,
// and the engine handle every object created from it keeps alive.
#pragma once

#include <cstring>
#include <string>

#include "engines/plugin/plugin_abi.h"
#include "wasmhop/result.hpp"

namespace wasmhop::plugin {

inline Error to_error(const whp_error& e) {
  const auto kind = e.kind <= WHP_ERR_INTERNAL ? static_cast<ErrorKind>(e.kind) : ErrorKind::internal;
  const auto trap = e.trap <= WHP_TRAP_TIMEOUT ? static_cast<TrapKind>(e.trap) : TrapKind::unknown;
  std::string msg(e.message, strnlen(e.message, sizeof e.message));
  if (msg.empty()) msg = "the engine failed without a message";
  return Error{kind, std::move(msg), trap};
}

inline whp_error blank_error() {
  whp_error e;
  e.kind = WHP_ERR_INTERNAL;
  e.trap = WHP_TRAP_NONE;
  e.message[0] = '\0';
  return e;
}

// Plugin handles shared by the objects that need them alive (an instance may outlive its
// Module and Engine objects; the plugin's handles then stay until the last user goes).
struct EngineHandle {
  EngineHandle(const whp_plugin_v1* a, void* handle) : api(a), h(handle) {}
  EngineHandle(const EngineHandle&) = delete;
  EngineHandle& operator=(const EngineHandle&) = delete;
  ~EngineHandle() { api->engine_free(h); }
  const whp_plugin_v1* api;
  void* h;
};

}  // namespace wasmhop::plugin
